export const ROOT: string;
export const LANGUAGES: string[];
export const PENDING_CONVERSION: string[];
export function checkL10n(): Promise<{ problems: string[]; warnings: string[]; pending: string[]; bundle: Record<string, string>; messages: number; manifestKeys: number }>;
