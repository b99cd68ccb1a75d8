// Emulator version -> database schema version: the minor number (2.51.2 -> 51).
export function schemaVersionFor(version: string): number {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(version.trim());
  if (!m) throw new Error(`not a WhatsApp Business API version: ${version}`);
  return Number(m[2]);
}
