// One line per event: "<ISO time> <LEVEL> <node> <message>" on stdout/stderr and in the node's log
// file (see log-file.ts). Never log secrets.
import { RotatingLogFile } from './log-file';

type Level = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** The last lines, for a crash log. */
const RECENT_LINES = 200;

let nodeName = 'emulator';
let file: RotatingLogFile | undefined;
const recent: string[] = [];

export function setLogNode(name: string): void {
  nodeName = name;
}

/** From now on every line also goes to this file. */
export function setLogFile(path: string): void {
  file?.close();
  file = new RotatingLogFile(path);
}

export function recentLogLines(): string[] {
  return [...recent];
}

function write(level: Level, message: string): void {
  const line = `${new Date().toISOString()} ${level.padEnd(5)} ${nodeName} ${message.replace(/\s*\n\s*/g, ' ')}\n`;
  (level === 'ERROR' || level === 'WARN' ? process.stderr : process.stdout).write(line);
  file?.write(line);
  recent.push(line);
  if (recent.length > RECENT_LINES) recent.shift();
}

export const log = {
  debug: (m: string) => { if (process.env.WA_EMULATOR_DEBUG) write('DEBUG', m); },
  info: (m: string) => write('INFO', m),
  warn: (m: string) => write('WARN', m),
  error: (m: string) => write('ERROR', m),
};
