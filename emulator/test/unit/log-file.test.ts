// The log files inside the containers stay bounded: rotation by size, a fixed number of crash logs,
// and a directory that cannot be written costs the node nothing but the file.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { RotatingLogFile, writeBoundedFile } from '../../src/log-file';

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'waba-logs-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a log file rotates at its size limit and keeps a fixed number of generations', () => withDir((dir) => {
  const path = join(dir, 'nested', 'web.log');
  const file = new RotatingLogFile(path, 1000, 2);
  const line = (i: number) => `${String(i).padStart(4, '0')} ${'x'.repeat(94)}\n`; // 100 bytes
  for (let i = 0; i < 55; i++) file.write(line(i));
  file.close();
  assert.deepEqual(readdirSync(join(dir, 'nested')).sort(), ['web.log', 'web.log.1', 'web.log.2']);
  for (const name of ['web.log', 'web.log.1', 'web.log.2']) assert.ok(statSync(join(dir, 'nested', name)).size <= 1000, name);
  assert.ok(readFileSync(path, 'utf8').endsWith(line(54)), 'the newest line is in the current file');
  assert.ok(readFileSync(`${path}.2`, 'utf8').startsWith(line(30)), 'the oldest kept generation follows without a gap');
  // Re-opened (a restarted node), the file continues where it was and still rotates on size.
  const again = new RotatingLogFile(path, 1000, 2);
  again.write(line(55));
  again.close();
  assert.ok(statSync(path).size <= 1000);
}));

test('crash logs: only the newest few are kept', () => withDir((dir) => {
  for (let i = 1; i <= 7; i++) writeBoundedFile(dir, `wa-service-abc-2026010${i}-crash.log`, '-crash.log', `crash ${i}\n`, 5);
  writeBoundedFile(dir, 'wa-service-abc.log', '.txt', 'main\n', 5);
  const names = readdirSync(dir).sort();
  assert.deepEqual(names, ['wa-service-abc-20260103-crash.log', 'wa-service-abc-20260104-crash.log', 'wa-service-abc-20260105-crash.log',
    'wa-service-abc-20260106-crash.log', 'wa-service-abc-20260107-crash.log', 'wa-service-abc.log']);
}));

test('a log directory that cannot be made is reported once, and logging goes on', () => withDir((dir) => {
  writeFileSync(join(dir, 'logs'), 'a file where the directory should be');
  const file = new RotatingLogFile(join(dir, 'logs', 'x.log'));
  const writes: string[] = [];
  const original = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => { writes.push(chunk); return true; }) as typeof process.stderr.write;
  try {
    file.write('a\n');
    file.write('b\n');
  } finally {
    process.stderr.write = original;
  }
  assert.equal(writes.length, 1);
  assert.match(writes[0], /cannot write .*x\.log \((EEXIST|ENOTDIR)\); logging to stdout only/);
}));
