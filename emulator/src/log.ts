// One line per event: "<ISO time> <LEVEL> <node> <message>". Never log secrets.
type Level = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

let nodeName = 'emulator';

export function setLogNode(name: string): void {
  nodeName = name;
}

function write(level: Level, message: string): void {
  const line = `${new Date().toISOString()} ${level.padEnd(5)} ${nodeName} ${message.replace(/\s*\n\s*/g, ' ')}\n`;
  (level === 'ERROR' || level === 'WARN' ? process.stderr : process.stdout).write(line);
}

export const log = {
  debug: (m: string) => { if (process.env.WA_EMULATOR_DEBUG) write('DEBUG', m); },
  info: (m: string) => write('INFO', m),
  warn: (m: string) => write('WARN', m),
  error: (m: string) => write('ERROR', m),
};
