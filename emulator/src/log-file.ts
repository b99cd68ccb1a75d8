// Log files inside the containers, where Meta's images keep theirs (WADebug collects them through
// Docker's archive API): appended synchronously, rotated by size so a long-running cluster never
// fills the disk. A file that cannot be opened (e.g. a non-root user without a writable log
// directory) is reported once on stderr and skipped: the node keeps logging to stdout.
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
export const DEFAULT_KEEP = 3;

export class RotatingLogFile {
  private fd: number | undefined;
  private size = 0;
  private failed = false;

  constructor(readonly path: string, readonly maxBytes = DEFAULT_MAX_BYTES, readonly keep = DEFAULT_KEEP) {}

  write(text: string): void {
    if (this.failed) return;
    try {
      if (this.fd === undefined) this.open();
      const bytes = Buffer.byteLength(text);
      if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
      writeSync(this.fd as number, text);
      this.size += bytes;
    } catch (e) {
      this.failed = true;
      process.stderr.write(`${new Date().toISOString()} WARN  cannot write ${this.path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); logging to stdout only\n`);
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private open(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    this.fd = openSync(this.path, 'a', 0o644);
    this.size = fstatSync(this.fd).size;
  }

  /** web.log -> web.log.1 -> … -> web.log.<keep>; the oldest is dropped. */
  private rotate(): void {
    this.close();
    rmSync(`${this.path}.${this.keep}`, { force: true });
    for (let i = this.keep - 1; i >= 1; i--) {
      try {
        renameSync(`${this.path}.${i}`, `${this.path}.${i + 1}`);
      } catch {
        // that generation does not exist yet
      }
    }
    if (this.keep > 0) renameSync(this.path, `${this.path}.1`);
    else rmSync(this.path, { force: true });
    this.open();
  }
}

/** Writes a new file in dir; keeps only the newest `keep` files whose names end in suffix. */
export function writeBoundedFile(dir: string, name: string, suffix: string, content: string, keep: number): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  const fd = openSync(path, 'w', 0o644);
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  const older = readdirSync(dir).filter((f) => f.endsWith(suffix)).sort().reverse().slice(keep);
  for (const f of older) rmSync(join(dir, f), { force: true });
  return path;
}
