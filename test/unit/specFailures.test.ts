// npm test repeats each failure at its end (CI shows a log's last lines): the names and errors come
// from what node:test's spec reporter really prints for a failing file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

function specOutputOf(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'waba-spec-'));
  try {
    writeFileSync(join(dir, 'sample.test.mjs'), source);
    // Without NODE_TEST_CONTEXT: set by this test's own runner, it would make the child report to it, not print.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    return spawnSync(process.execPath, ['--test', '--test-reporter=spec', 'sample.test.mjs'], { cwd: dir, encoding: 'utf8', env }).stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const specFailures = async (out: string) => (await import('../../scripts/lib/spec-failures.mjs')).specFailures(out);

test('each failing test is named with its place and the first lines of its error, without the stack', async () => {
  const out = specOutputOf([
    "import test from 'node:test'; import assert from 'node:assert/strict';",
    "test('passes', () => {});",
    "test('three nodes in health', () => { assert.equal(2, 3, 'master1, master2, wacore1'); });",
    "test('a suite', async (t) => { await t.test('times out', () => { throw new Error('no primary master\\nafter 60 s'); }); });",
  ].join('\n'));
  const failures = await specFailures(out);
  const titles = failures.map((f) => f.title);
  assert.ok(titles.includes('three nodes in health (sample.test.mjs:3:1)'), titles.join(' | '));
  const health = failures.find((f) => f.title.startsWith('three nodes'));
  assert.match(health?.message ?? '', /^AssertionError \[ERR_ASSERTION\]: master1, master2, wacore1\n2 !== 3$/);
  const inner = failures.find((f) => f.title.startsWith('times out'));
  assert.equal(inner?.message, 'Error: no primary master\nafter 60 s');
  assert.ok(failures.every((f) => !/\bat .*:\d+:\d+\)?$/m.test(f.message)), 'no stack lines');
  assert.ok(!titles.some((t) => t.startsWith('passes')));
});

test('a passing run has nothing to repeat', async () => {
  assert.deepEqual(await specFailures(specOutputOf("import test from 'node:test'; test('passes', () => {});")), []);
});
