// The README, docs/ and emulator/README.md as a reader meets them: every relative link and picture leads somewhere (the
// file exists, and a #anchor names a heading there, as GitHub slugs it, Arabic included), and the
// Quick start's two commands are the ones CI runs and the English and Arabic quick starts name.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = resolve(__dirname, '..', '..');
const DOCS = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`);
/** The pages whose links are checked: the front door, the docs, and the emulator's README they hand over to. */
const PAGES = ['README.md', ...DOCS, 'emulator/README.md'];

/** The text with fenced code blocks blanked (line numbers kept): links and headings in code are not links or headings. */
function withoutFences(text: string): string {
  let fence: string | undefined;
  return text.split('\n').map((line) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      return '';
    }
    if (marker) { fence = marker; return ''; }
    return line;
  }).join('\n');
}

/** A heading's anchor as GitHub makes it: the rendered text lower-cased, punctuation and symbols dropped, spaces to hyphens. */
export function githubSlug(heading: string): string {
  const rendered = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and pictures: their text
    .replace(/<[^>]+>/g, '') // inline HTML
    .replace(/(\*\*|__|\*)(.+?)\1/g, '$2'); // emphasis (an underscore inside a word stays)
  return rendered.trim().toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** Every anchor a Markdown file offers: its headings' slugs (repeats get -1, -2 …) and HTML ids/names. */
function anchorsOf(file: string): Set<string> {
  const text = withoutFences(readFileSync(file, 'utf8'));
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of text.matchAll(/^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$/gm)) {
    const slug = githubSlug(heading);
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  for (const [, id] of text.matchAll(/<[a-z][^>]*\s(?:id|name)="([^"]+)"/gi)) anchors.add(id);
  return anchors;
}

interface Link { page: string; line: number; target: string }

/** The relative links and pictures of a page: Markdown `[text](target)`, `![alt](target)`, HTML href/src; not in code. */
export function linksOf(page: string, text: string): Link[] {
  const links: Link[] = [];
  withoutFences(text).split('\n').forEach((raw, i) => {
    const line = raw.replace(/(`+)[^`]*?\1/g, ''); // inline code spans
    const targets = [
      ...[...line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]),
      ...[...line.matchAll(/\s(?:href|src)="([^"]+)"/g)].map((m) => m[1]),
    ];
    for (const target of targets) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue; // https:, mailto: …: not a file here
      links.push({ page, line: i + 1, target });
    }
  });
  return links;
}

/** What is wrong with a link, or undefined when it leads somewhere. */
function brokenReason({ page, target }: Link): string | undefined {
  const hash = target.indexOf('#');
  const path = decodeURIComponent(hash === -1 ? target : target.slice(0, hash));
  const anchor = hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1));
  const file = path === '' ? join(ROOT, page) : resolve(dirname(join(ROOT, page)), path);
  if (!file.startsWith(ROOT)) return `${path} is outside the repository`;
  if (!existsSync(file)) return `${relative(ROOT, file)} does not exist`;
  if (anchor === undefined || anchor === '') return undefined;
  if (!file.endsWith('.md')) return `#${anchor} points into ${relative(ROOT, file)}, which is not Markdown`;
  const anchors = anchorsOf(file);
  return anchors.has(anchor) ? undefined : `${relative(ROOT, file)} has no heading #${anchor}`;
}

/** The commands of a page's first ```sh block after `heading` (comments dropped). */
function shCommandsAfter(text: string, heading: string): string[] {
  const at = text.indexOf(heading);
  assert.ok(at !== -1, `no heading "${heading}"`);
  const block = /```sh\n([\s\S]*?)```/.exec(text.slice(at));
  assert.ok(block, `no sh block after "${heading}"`);
  return block[1].split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean);
}

describe('README.md, docs/ and emulator/README.md: links, pictures and the commands a newcomer runs', () => {
  it('finds the pages and their links (the check itself sees what it must)', () => {
    assert.ok(PAGES.length >= 8, `pages: ${PAGES.join(', ')}`);
    const found = linksOf('x.md', '[a](docs/a.md#b) ![p](p.png "t") `[c](not/a/link)` <img src="i.png"> [w](https://example.org)\n```\n[d](in/code)\n```\n');
    assert.deepEqual(found.map((l) => l.target), ['docs/a.md#b', 'p.png', 'i.png']);
    assert.equal(githubSlug('Languages / اللغات'), 'languages--اللغات');
    assert.equal(githubSlug('Compose: Meta\'s files + an image-only override'), 'compose-metas-files--an-image-only-override');
    assert.equal(githubSlug('DB upgrade job (`dbupgrade-compose.yml`) and `network_mode: bridge`'), 'db-upgrade-job-dbupgrade-composeyml-and-network_mode-bridge');
    assert.equal(githubSlug('البدء السريع'), 'البدء-السريع');
  });

  it('every relative link and picture resolves: the file exists, and its #anchor is a heading there', () => {
    const broken: string[] = [];
    let count = 0;
    for (const page of PAGES) {
      for (const link of linksOf(page, readFileSync(join(ROOT, page), 'utf8'))) {
        count++;
        const reason = brokenReason(link);
        if (reason) broken.push(`${link.page}:${link.line}: (${link.target}) ${reason}`);
      }
    }
    assert.deepEqual(broken, [], `broken links:\n${broken.join('\n')}`);
    assert.ok(count > 50, `only ${count} links checked`);
  });

  it('every page of docs/ is linked from the README, and every picture in docs/ is shown somewhere', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const page of DOCS) assert.ok(readme.includes(`](${page}`), `README.md does not link ${page}`);
    const all = PAGES.map((p) => readFileSync(join(ROOT, p), 'utf8')).join('\n');
    for (const picture of readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.png'))) {
      assert.ok(all.includes(`${picture})`), `docs/${picture} is not shown on any page`);
    }
  });

  it("the Quick start's two commands are the ones CI runs, and the Arabic quick start names the same", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const english = shCommandsAfter(readme, '## Quick start');
    assert.deepEqual(english, ['npm install && npm start', 'npm install && npm test']);
    assert.deepEqual(shCommandsAfter(readme, '### البدء السريع'), english);
    const ci = readFileSync(join(ROOT, '.ci', 'run'), 'utf8').split('\n').filter((l) => !l.trimStart().startsWith('#')).map((l) => l.trim());
    assert.ok(ci.includes(english[1]), `.ci/run does not run "${english[1]}"`);
    const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    for (const name of ['start', 'test', 'package']) assert.ok(scripts[name], `package.json has no "${name}" script`);
    const vsix = /code --install-extension (\S+)/.exec(readme)?.[1];
    assert.ok(vsix && scripts.package.includes(`-o ${vsix}`), `the README installs ${vsix}, but npm run package writes elsewhere`);
  });
});
