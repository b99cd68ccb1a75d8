import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// One tag per test process: test files of parallel runs (other checkouts) never remove each other's image.
export const TINY_IMAGE = `waba-test/tiny:p${process.pid}`;
/** The same without a shell (only sleep): an image a shell cannot be opened in. */
export const TINY_NOSHELL_IMAGE = `waba-test/tiny-noshell:p${process.pid}`;

/**
 * A tiny runnable image without a registry: the host's dash (as /bin/sh) and sleep with the
 * shared libraries they link, imported with `docker import`. Default command: sleep 600.
 * `host`: another engine (DOCKER_HOST form) than the default one.
 */
export function buildTinyImage(host?: string, options: { shell?: boolean } = {}): string {
  const tag = options.shell === false ? TINY_NOSHELL_IMAGE : TINY_IMAGE;
  removeTinyImage(host, tag); // a leftover from a run that was killed
  const programs: Record<string, string> = { ...(options.shell === false ? {} : { '/bin/sh': realPath('/bin/dash') }), '/bin/sleep': realPath('/bin/sleep') };
  const libs = new Set<string>();
  for (const program of Object.values(programs)) {
    for (const line of execFileSync('ldd', [program], { encoding: 'utf8' }).split('\n')) {
      const lib = /(\/\S+)\s+\(0x/.exec(line)?.[1];
      if (lib) libs.add(lib);
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'waba-tiny-'));
  try {
    const tarball = join(dir, 'rootfs.tar');
    // -h stores link targets as files; -P keeps absolute paths so libraries land where ldd said.
    const renames = Object.entries(programs).flatMap(([target, source]) => ['--transform', `s|^${source}$|${target}|`]);
    execFileSync('tar', ['-chPf', tarball, ...renames, ...Object.values(programs), ...libs]);
    execFileSync('docker', [...hostArgs(host), 'import', '--change', 'CMD ["/bin/sleep","600"]', tarball, tag], { stdio: 'ignore' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return tag;
}

export function removeTinyImage(host?: string, tag = TINY_IMAGE): void {
  execFileSync('docker', [...hostArgs(host), 'image', 'rm', '-f', tag], { stdio: 'ignore' });
}

const hostArgs = (host: string | undefined): string[] => (host ? ['-H', host] : []);

function realPath(path: string): string {
  return execFileSync('readlink', ['-f', path], { encoding: 'utf8' }).trim();
}
