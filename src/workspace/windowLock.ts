// One holder at a time across the VS Code windows of this machine, for what must not run twice on
// one cluster (the webhook inspector, the failover drill): a lock file per cluster folder and
// feature, in a folder every window of this VS Code shares (the extension's global storage). The
// file names its holder; a lock whose extension host is gone (its pid no longer runs here) is stale
// and taken over. Monitoring needs no lock: any number of windows may watch.
import { createHash, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { t } from '../l10n';

/** Who holds a lock: the extension host of one window. */
export interface LockHolder {
  pid: number;
  host: string;
  /** When that window's extension started (tells two windows apart for the user). */
  windowOpened: string;
  /** When it took the lock. */
  since: string;
}

export interface HeldLock { release(): void }

/** The lock is held by another live window; the message says which and what to do. */
export class LockHeldError extends Error {
  constructor(readonly holder: LockHolder, readonly file: string, what: string) {
    super(t('{0} is already running in another VS Code window on this folder (the window opened at {1}, extension host pid {2}, since {3}). Stop it there, or close that window, then try again. If no such window is open, delete {4}.',
      what, clock(holder.windowOpened), holder.pid, clock(holder.since), file));
  }
}

export interface WindowLockOptions {
  /** The shared folder the lock files live in. */
  dir: string;
  /** When this window's extension started. */
  windowOpened: Date;
  /** Whether a process of this host runs with that pid. */
  isAlive?(pid: number): boolean;
  pid?: number;
  host?: string;
}

export class WindowLocks {
  private readonly pid: number;
  private readonly host: string;
  private readonly isAlive: (pid: number) => boolean;

  constructor(private readonly options: WindowLockOptions) {
    this.pid = options.pid ?? process.pid;
    this.host = options.host ?? hostname();
    this.isAlive = options.isAlive ?? pidAlive;
  }

  /** Takes the lock of `feature` for the cluster folder, or throws LockHeldError naming its live holder. */
  acquire(folder: string, feature: string, what: string): HeldLock {
    const file = this.file(folder, feature);
    mkdirSync(this.options.dir, { recursive: true });
    for (;;) {
      const mine: LockHolder = { pid: this.pid, host: this.host, windowOpened: this.options.windowOpened.toISOString(), since: new Date().toISOString() };
      const text = JSON.stringify(mine);
      // Written whole under another name, then linked: the lock file never exists half-written.
      const draft = `${file}.${randomBytes(6).toString('hex')}`;
      writeFileSync(draft, text, { mode: 0o600 });
      try {
        linkSync(draft, file);
        return { release: () => removeIf(file, text) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      } finally {
        rmSync(draft, { force: true });
      }
      const found = readText(file);
      if (found === undefined) continue; // released meanwhile
      const holder = parseHolder(found);
      if (holder && !this.isStale(holder)) throw new LockHeldError(holder, file, what);
      removeIf(file, found);
    }
  }

  /** The live holder of another window, if any (a stale lock counts as none). */
  holder(folder: string, feature: string): LockHolder | undefined {
    const found = readText(this.file(folder, feature));
    const holder = found === undefined ? undefined : parseHolder(found);
    return holder && !this.isStale(holder) && holder.pid !== this.pid ? holder : undefined;
  }

  /** The error a window that wants `what` meets while another holds it, or undefined. */
  heldElsewhere(folder: string, feature: string, what: string): LockHeldError | undefined {
    const holder = this.holder(folder, feature);
    return holder ? new LockHeldError(holder, this.file(folder, feature), what) : undefined;
  }

  private file(folder: string, feature: string): string {
    return join(this.options.dir, `${feature}-${createHash('sha256').update(folder).digest('hex').slice(0, 16)}.lock`);
  }

  /** This window's own leftover, or a holder whose process is gone from this host. */
  private isStale(holder: LockHolder): boolean {
    if (holder.host !== this.host) return false; // cannot tell from here: it stands
    return holder.pid === this.pid || !this.isAlive(holder.pid);
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    return typeof h.pid === 'number' && typeof h.host === 'string' && typeof h.since === 'string' && typeof h.windowOpened === 'string' ? (h as LockHolder) : undefined;
  } catch {
    return undefined;
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Removes the lock only while it still says `text` (never another window's newer lock). */
function removeIf(file: string, text: string): void {
  if (readText(file) !== text) return;
  try { unlinkSync(file); } catch { /* gone already */ }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // runs, as another user
  }
}

/** "23:05:12", the local time of an ISO stamp. */
function clock(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString();
}
