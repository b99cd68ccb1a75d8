// HOME, the XDG dirs and TMPDIR (VS Code's IPC sockets) inside a test's own folder, so nothing a test
// starts (VS Code, the extension host, Chromium) writes into the real profile.
import * as fs from 'node:fs';
import * as path from 'node:path';

export function throwawayHomeEnv(tmp: string): Record<'HOME' | 'XDG_CONFIG_HOME' | 'XDG_DATA_HOME' | 'XDG_CACHE_HOME' | 'XDG_STATE_HOME' | 'TMPDIR', string> {
  const home = path.join(tmp, 'home');
  const env = {
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_STATE_HOME: path.join(home, '.local', 'state'),
    TMPDIR: path.join(tmp, 'tmp'),
  };
  for (const dir of Object.values(env)) fs.mkdirSync(dir, { recursive: true });
  return env;
}
