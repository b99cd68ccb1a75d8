import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FIGURES } from '../../bench/figures';
import { BEGIN, END, SPEED_PAGE, withBenchTable } from '../../bench/readme';
import { Results, single } from '../../bench/results';

describe("docs/speed.md's table from bench/results.json", () => {
  const results = (): Results => {
    const r = new Results('full', () => undefined);
    r.record('engine.list', { ours: single('Engine API', 'ms', 2), comparison: single('`docker ps`', 'ms', 40) });
    r.record('compose.start.v2', { ours: single('Start Service', 's', 1.2), comparison: single('raw `up -d`', 's', 1) });
    r.fillMissing('phase not selected (--only)');
    return r;
  };

  it('replaces only the generated section: the rows that come from tests stay', () => {
    const readme = `# X\n\n## Speed\n\n${BEGIN}\nold table\n${END}\n\n| from tests | 5 s |\n\n## Development\n`;
    const written = withBenchTable(readme, results().data);
    assert.ok(!written.includes('old table'));
    assert.ok(written.startsWith(`# X\n\n## Speed\n\n${BEGIN}\n`));
    assert.ok(written.endsWith(`${END}\n\n| from tests | 5 s |\n\n## Development\n`));
    assert.equal(withBenchTable(written, results().data).split(BEGIN).length, 2, 'written again: still one section');
  });

  it('puts each figure beside its comparison, the ratio and the goal with its verdict; every figure has a row', () => {
    const written = withBenchTable(`${BEGIN}\n${END}`, results().data);
    assert.match(written, /\| Listing the project's containers[^\n]*\| Engine API: 2 ms \| `docker ps`: 40 ms \| 0\.05× \|/);
    assert.match(written, /Start Service through the extension \(compose v2\)[^\n]*\| 1\.2× \| ≤ 1\.1×: \*\*missed\*\* \|/);
    for (const spec of FIGURES) assert.ok(written.includes(spec.title.replace(/\|/g, '\\|')), spec.id);
  });

  it('writes into docs/speed.md, which holds the one generated section (the README has none); the rest of the page stays', () => {
    const page = readFileSync(SPEED_PAGE, 'utf8');
    assert.equal(page.split(BEGIN).length, 2, 'docs/speed.md: one begin marker');
    assert.equal(page.split(END).length, 2, 'docs/speed.md: one end marker');
    assert.ok(!readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8').includes(BEGIN), 'README.md still has the markers');
    const written = withBenchTable(page, results().data);
    assert.equal(written.slice(0, written.indexOf(BEGIN)), page.slice(0, page.indexOf(BEGIN)));
    assert.equal(written.slice(written.indexOf(END)), page.slice(page.indexOf(END)));
  });

  it('refuses a page without its generated section', () => {
    assert.throws(() => withBenchTable('# no section', results().data), /no generated section/);
  });
});
