// Types for vscode-server.js (plain CommonJS so that code-shim.js runs without a loader).
import type { ChildProcess } from 'node:child_process';

export const INSTALL_DIR: string;
export const SERVER_MAIN: string;
export const CHROMIUM_ARGS: string[];

export interface StartedServer {
  port: number;
  authority: string;
  baseUrl: string;
  process: ChildProcess;
  logFile: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The connection token the server requires, if any. */
  token?: string;
  stop(): Promise<void>;
  killGroup(signal: NodeJS.Signals): void;
}

export function ensureInstalled(): void;
export function vscodeVersion(): { version: string; commit: string };
export function freePort(): Promise<number>;
export function installExtension(opts: { vsix: string; userDataDir: string; extensionsDir: string; env?: NodeJS.ProcessEnv }): string;
export function startServer(opts: {
  userDataDir: string; extensionsDir: string; logFile: string; env?: NodeJS.ProcessEnv;
  host?: string; port?: number; smokeTestDriver?: boolean; readyTimeoutMs?: number; isCancelled?: () => boolean;
  /** Serve only requests that carry this token (`?tkn=`, then a cookie); none without it. */
  connectionToken?: string;
  /** Workspace trust on (folders open in Restricted Mode until trusted); off by default. */
  workspaceTrust?: boolean;
}): Promise<StartedServer>;
export function workbenchUrl(baseUrl: string, target?: string, payload?: Array<[string, string]>, token?: string): string;
/** A playwright-core BrowserContext (typed loosely: playwright-core lives in .vscode-test, not in our node_modules). */
export function launchBrowser(profileDir: string, opts?: { viewport?: { width: number; height: number }; locale?: string }): Promise<any>;
/** VS Code's display language for a user-data dir (argv.json locale and a stand-in language pack); see vscode-server.js. */
export function useDisplayLanguage(opts: { userDataDir: string; language: string }): void;
export function tail(file: string, lines?: number): string;
export function sleep(ms: number): Promise<void>;
