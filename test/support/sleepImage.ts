import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SLEEP_IMAGE = 'waba-test/sleep:latest';

/**
 * A tiny runnable image without a registry: the host's /bin/sleep and the shared libraries
 * it links, imported with `docker import`. Containers run `/bin/sleep <seconds>`.
 */
export function buildSleepImage(): string {
  removeSleepImage(); // a leftover from a run that was killed
  const sleep = execFileSync('readlink', ['-f', '/bin/sleep'], { encoding: 'utf8' }).trim();
  const libs = execFileSync('ldd', [sleep], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /(\/\S+)\s+\(0x/.exec(l)?.[1])
    .filter((p): p is string => Boolean(p));
  const dir = mkdtempSync(join(tmpdir(), 'waba-sleep-'));
  try {
    const tarball = join(dir, 'rootfs.tar');
    // -h stores link targets as files; -P keeps absolute paths so they land where ldd said.
    execFileSync('tar', ['-chPf', tarball, '--transform', `s|^${sleep}$|/bin/sleep|`, sleep, ...libs]);
    execFileSync('docker', ['import', '--change', 'CMD ["/bin/sleep","600"]', tarball, SLEEP_IMAGE], { stdio: 'ignore' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return SLEEP_IMAGE;
}

export function removeSleepImage(): void {
  execFileSync('docker', ['image', 'rm', '-f', SLEEP_IMAGE], { stdio: 'ignore' });
}
