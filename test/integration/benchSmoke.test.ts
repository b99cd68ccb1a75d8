// `npm run bench -- --smoke` as CI runs it, so the benchmark cannot rot: every figure of
// bench/figures.ts is in results.json, the smoke ones measured beside their comparison (with the
// ratio), the others marked as not run and why; the printed table has a row for each.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FIGURES } from '../../bench/figures';
import type { BenchResults } from '../../bench/results';

const ROOT = join(__dirname, '..', '..');

describe('npm run bench -- --smoke', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'waba-bench-smoke-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('writes every figure to results.json: the smoke ones measured beside their comparison, the rest "not run"', () => {
    const out = join(tmp, 'results.json');
    const started = Date.now();
    const run = spawnSync('npm', ['run', '--silent', 'bench', '--', '--smoke', `--out=${out}`], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
    assert.equal(run.status, 0, `npm run bench -- --smoke exited ${run.status}:\n${run.stdout}\n${run.stderr}`);
    const results = JSON.parse(readFileSync(out, 'utf8')) as BenchResults;
    assert.equal(results.mode, 'smoke');
    assert.match(results.versions.dockerEngine, /^\d+\.\d+/, 'the engine version is recorded');
    assert.deepEqual(Object.keys(results.figures).sort(), FIGURES.map((f) => f.id).sort(), 'one entry per registered figure');
    for (const spec of FIGURES) {
      const entry = results.figures[spec.id];
      if (!spec.smoke) {
        assert.ok('notRun' in entry && /smoke/.test(entry.notRun), `${spec.id}: marked as not run in smoke mode: ${JSON.stringify(entry)}`);
        continue;
      }
      assert.ok(!('notRun' in entry), `${spec.id} measured: ${JSON.stringify(entry)}`);
      for (const m of [entry.ours, entry.comparison]) assert.ok(m.n > 0 && Number.isFinite(m.p50) && m.p50 >= 0, `${spec.id}: ${m.label} has a value: ${JSON.stringify(m)}`);
      assert.ok(entry.ratio.p50 !== undefined && entry.ratio.p50 > 0, `${spec.id}: the ratio to its comparison: ${JSON.stringify(entry.ratio)}`);
    }
    for (const spec of FIGURES) assert.ok(run.stdout.includes(`| ${spec.title.replace(/\|/g, '\\|')} |`), `the printed table has a row for ${spec.id}`);
    console.log(`bench smoke: ${((Date.now() - started) / 1000).toFixed(1)} s; ${FIGURES.filter((f) => f.smoke).map((f) => f.id).join(', ')} measured`);
  });
});
