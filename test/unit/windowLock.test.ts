// The lock that keeps one webhook inspector and one drill per cluster folder across VS Code windows:
// real files in a temporary folder, real processes for the "other window" (a live child, a pid that is gone).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LockHeldError, WindowLocks } from '../../src/workspace/windowLock';

describe('One holder per cluster folder across windows (window lock)', () => {
  let dir: string;
  let otherWindow: ReturnType<typeof spawn>;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'waba-locks-'));
    otherWindow = spawn('sleep', ['60'], { stdio: 'ignore' });
  });
  after(() => {
    otherWindow.kill();
    rmSync(dir, { recursive: true, force: true });
  });
  const windowOf = (pid: number, opened: string) => new WindowLocks({ dir, pid, windowOpened: new Date(opened) });

  it('the second window is refused with who holds it; after release it may take it', () => {
    const first = windowOf(otherWindow.pid!, '2026-12-07T21:05:00Z');
    const second = windowOf(process.pid, '2026-12-07T22:40:00Z');
    const held = first.acquire('/home/u/biz', 'webhookInspector', 'The webhook inspector');
    const refused = (() => { try { second.acquire('/home/u/biz', 'webhookInspector', 'The webhook inspector'); } catch (e) { return e; } return undefined; })();
    assert.ok(refused instanceof LockHeldError, 'the second window is refused');
    assert.match(refused.message, new RegExp(`^The webhook inspector is already running in another VS Code window on this folder \\(the window opened at .+, extension host pid ${otherWindow.pid}, since .+\\)\\. Stop it there`));
    assert.match(refused.message, /If no such window is open, delete .*webhookInspector-[0-9a-f]{16}\.lock\.$/);
    assert.equal(second.holder('/home/u/biz', 'webhookInspector')?.pid, otherWindow.pid);
    // Another feature, another folder: not blocked.
    second.acquire('/home/u/biz', 'drill', 'The failover drill').release();
    second.acquire('/home/u/other', 'webhookInspector', 'The webhook inspector').release();
    held.release();
    assert.equal(second.holder('/home/u/biz', 'webhookInspector'), undefined);
    second.acquire('/home/u/biz', 'webhookInspector', 'The webhook inspector').release();
    assert.deepEqual(readdirSync(dir), [], 'released locks leave no file behind');
  });

  it('a lock whose window is gone (its pid no longer runs) is taken over', () => {
    const gone = spawnSync('true').pid; // exited: its pid runs nothing now
    const crashed = windowOf(gone, '2026-12-07T21:00:00Z');
    crashed.acquire('/home/u/biz', 'drill', 'The failover drill'); // never released: the window crashed
    const next = windowOf(process.pid, '2026-12-07T22:00:00Z');
    assert.equal(next.holder('/home/u/biz', 'drill'), undefined, 'a stale lock holds nothing');
    const held = next.acquire('/home/u/biz', 'drill', 'The failover drill');
    assert.throws(() => windowOf(otherWindow.pid!, '2026-12-07T22:30:00Z').acquire('/home/u/biz', 'drill', 'The failover drill'), LockHeldError);
    held.release();
  });

  it('an unreadable lock file is taken over; a lock of another host stands', () => {
    const locks = windowOf(process.pid, '2026-12-07T22:00:00Z');
    const file = () => join(dir, readdirSync(dir)[0]);
    const held = windowOf(otherWindow.pid!, '2026-12-07T21:00:00Z').acquire('/srv/biz', 'drill', 'The failover drill');
    writeFileSync(file(), 'not json');
    const mine = locks.acquire('/srv/biz', 'drill', 'The failover drill');
    held.release(); // the other window's release never removes a lock that is not its own
    assert.throws(() => windowOf(otherWindow.pid!, '2026-12-07T21:00:00Z').acquire('/srv/biz', 'drill', 'The failover drill'), LockHeldError);
    mine.release();
    const remote = new WindowLocks({ dir, pid: 999_999, host: 'elsewhere', windowOpened: new Date() }).acquire('/srv/biz', 'drill', 'The failover drill');
    assert.throws(() => locks.acquire('/srv/biz', 'drill', 'The failover drill'), LockHeldError, 'a pid of another host cannot be checked from here');
    remote.release();
  });
});
