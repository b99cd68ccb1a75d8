import * as vscode from 'vscode';

/** Where commands log: the extension's "WABA Cluster" output channel. */
export type CommandLog = Pick<vscode.LogOutputChannel, 'info' | 'warn' | 'error' | 'trace' | 'show'>;

/**
 * Runs one command's body. A failure (a thrown error) is handled the same way for every command:
 * logged in the output channel with the command's title, and shown as an error notification with
 * a "Show Output" button; the command then returns `failed` (undefined unless given), so callers
 * such as tests and other extensions get a value, never a rejection. Expected refusals (the user
 * cancelled, a precondition not met) are not errors: a body returns them as values.
 */
export async function runCommand<R, F = undefined>(log: CommandLog, title: string, body: () => R | Promise<R>, failed?: F): Promise<R | F> {
  try {
    return await body();
  } catch (error) {
    reportFailure(log, title, error);
    return failed as F;
  }
}

/**
 * Registers a command through {@link runCommand}; adopt it for every command:
 * `registerCommand(output, 'wabaCluster.up', 'Start Cluster', () => ...)`.
 */
export function registerCommand<A extends unknown[], R, F = undefined>(
  log: CommandLog, id: string, title: string, handler: (...args: A) => R | Promise<R>, failed?: F,
): vscode.Disposable {
  return vscode.commands.registerCommand(id, (...args: A) => runCommand(log, title, () => handler(...args), failed));
}

/** Logs a failure and shows it; the notification is not awaited (it stays until dismissed). */
export function reportFailure(log: CommandLog, title: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  log.error(`${title} failed: ${message}`);
  if (error instanceof Error && error.stack) log.trace(error.stack);
  const show = vscode.l10n.t('Show Output');
  void vscode.window.showErrorMessage(vscode.l10n.t('{0} failed: {1}', title, message), show).then((pick) => { if (pick === show) log.show(true); });
}

/** Output lines of a child process (compose, the DB upgrade job): stdout as info, stderr as warnings. */
export function processLines(log: CommandLog): { stdout(line: string): void; stderr(line: string): void } {
  return { stdout: (line) => log.info(line), stderr: (line) => log.warn(line) };
}
