// The import graph of src/ and bench/ (issue #19): every arrow points down the layers below, and
// nothing imports in a circle, neither between files nor between folders. A new src/ folder must
// be given its layer here.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

/** Lowest first: a module may import its own layer's folders and the layers before it, never a later one. */
const LAYERS: ReadonlyArray<readonly string[]> = [
  ['l10n.ts', 'notReady.ts', 'emitter.ts', 'contract', 'testing'],
  // The outside world: the Docker engine, the compose CLI, the webapp's HTTPS API.
  ['docker', 'compose', 'api'],
  ['cluster', 'settings', 'workspace', 'create'],
  ['topology', 'messages', 'webhooks'],
  ['workflows'],
  // What the views and commands use: the session, diagnose, operate, the walkthrough's keys.
  ['session', 'diagnose', 'operate', 'walkthrough'],
  ['views', 'webview'],
  ['commands'],
  ['composition', 'extension.ts'],
];

const ROOTS = ['src', 'bench'];

function sourceFiles(root: string): string[] {
  return readdirSync(root, { recursive: true }).map(String).filter((f) => f.endsWith('.ts')).map((f) => join(root, f));
}

function resolve(from: string, spec: string): string | undefined {
  const base = normalize(join(dirname(from), spec));
  const candidates = [base.replace(/\.m?js$/, (e) => (e === '.mjs' ? '.mjs' : '.ts')), `${base}.ts`, join(base, 'index.ts'), base];
  return candidates.find((c) => existsSync(c) && !c.endsWith('/'));
}

/** file → the files it imports (relative imports, type-only and dynamic ones included). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of ROOTS.flatMap(sourceFiles)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, false);
    const targets = importedFiles.map((i) => i.fileName).filter((s) => s.startsWith('.')).map((s) => {
      const target = resolve(file, s);
      assert.ok(target, `${file} imports ${s}, which is not a file`);
      return target;
    });
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** The strongly connected components with more than one member, or a member importing itself (Tarjan). */
function circles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do { w = stack.pop()!; onStack.delete(w); component.push(w); } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** src/<folder>/… → folder; src/<file>.ts → file; anything else → undefined. */
function unitOf(file: string): string | undefined {
  const parts = file.split('/');
  return parts[0] === 'src' ? parts[1] : undefined;
}

function layerOf(unit: string): number {
  return LAYERS.findIndex((layer) => layer.includes(unit));
}

describe('layering of src/ and bench/', () => {
  const graph = importGraph();

  it('reads the whole graph (the test would pass on nothing otherwise)', () => {
    const arrows = [...graph.values()].reduce((n, t) => n + t.length, 0);
    assert.ok(graph.size > 100 && arrows > 300, `${graph.size} files, ${arrows} imports`);
  });

  it('no file imports in a circle', () => {
    assert.deepEqual(circles(graph).map((c) => c.join(' ↔ ')), []);
  });

  it('no src/ folder imports in a circle with another', () => {
    const folders = new Map<string, Set<string>>();
    for (const [file, targets] of graph) {
      const from = unitOf(file);
      if (!from) continue;
      const set = folders.get(from) ?? new Set<string>();
      folders.set(from, set);
      for (const t of targets) { const to = unitOf(t); if (to && to !== from) set.add(to); }
    }
    const asArrays = new Map([...folders].map(([k, v]) => [k, [...v]]));
    assert.deepEqual(circles(asArrays).map((c) => c.join(' ↔ ')), []);
  });

  it('every src/ folder has a layer, and every import points to its own layer or a lower one', () => {
    const problems: string[] = [];
    for (const [file, targets] of graph) {
      const from = unitOf(file);
      if (!from) continue;
      if (layerOf(from) < 0) { problems.push(`src/${from} has no layer in test/unit/layering.test.ts`); continue; }
      for (const target of targets) {
        const to = unitOf(target);
        if (!to) problems.push(`${file} → ${target}: src/ imports only src/`);
        else if (layerOf(to) > layerOf(from)) problems.push(`${file} → ${target}: ${to} is above ${from}`);
      }
    }
    assert.deepEqual([...new Set(problems)], []);
  });

  it('no feature imports the panel: only the views layer and above import src/webview', () => {
    const webview = layerOf('webview');
    const offenders = [...graph].filter(([file, targets]) => {
      const from = unitOf(file);
      return from !== undefined && layerOf(from) < webview && targets.some((t) => unitOf(t) === 'webview');
    }).map(([file]) => file);
    assert.deepEqual(offenders, []);
  });
});
