// User-facing strings of the vscode-free modules (checks, workflows, models): `t('Shard {0} moved', 1)`,
// like vscode.l10n.t. The extension installs VS Code's translator at activation; until then, and in
// unit tests, English with the arguments filled in.
export type Translate = (message: string, ...args: Array<string | number | boolean>) => string;

const english: Translate = (message, ...args) =>
  args.length === 0 ? message : message.replace(/\{(\d+)\}/g, (whole, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : whole));

let translate: Translate = english;

/** Set once by activate(): vscode.l10n.t. */
export function useTranslator(next: Translate): void {
  translate = next;
}

export const t: Translate = (message, ...args) => translate(message, ...args);
