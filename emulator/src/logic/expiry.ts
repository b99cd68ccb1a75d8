// When a build expires, as Meta's WADebug computes it for Meta's images: releases (odd minor,
// 2.51.x) 180 days after the image was built, betas (even minor) 45 days.
const DAY_MS = 24 * 3600 * 1000;

/** `expire_timestamp` of /v1/support: "YYYY-MM-DDTHH:MM:SS" (UTC). */
export function expireTimestamp(version: string, builtMs: number): string {
  const minor = Number(/^v?\d+\.(\d+)/.exec(version)?.[1] ?? 1);
  const days = minor % 2 === 0 ? 45 : 180;
  return new Date(builtMs + days * DAY_MS).toISOString().replace(/\.\d+Z$/, '');
}
