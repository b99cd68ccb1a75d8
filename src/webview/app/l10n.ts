// The webview's strings in VS Code's display language. The host sends its l10n bundle
// (vscode.l10n.bundle) before the first state; until then, and for any missing key, English.
let bundle: Readonly<Record<string, string>> = {};

export function setBundle(next: Readonly<Record<string, string>> | undefined): void {
  bundle = next ?? {};
}

/** First-strong isolate … pop: a value (path, node name, number, code) keeps its own direction inside right-to-left text, like <bdi>. */
const isolate = (value: string | number): string =>
  typeof document !== 'undefined' && document.documentElement.dir === 'rtl' ? `\u2068${value}\u2069` : String(value);

/** Like vscode.l10n.t: `t('Set {0} shards?', 2)`. */
export function t(message: string, ...args: Array<string | number>): string {
  const text = bundle[message] ?? message;
  return args.length === 0 ? text : text.replace(/\{(\d+)\}/g, (whole, i: string) => (Number(i) < args.length ? isolate(args[Number(i)]) : whole));
}
