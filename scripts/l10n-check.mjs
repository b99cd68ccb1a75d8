#!/usr/bin/env node
// The localization check: every user-facing string in English and in every translation.
//   node scripts/l10n-check.mjs            prints what is missing (exit 1 when something is)
//   node scripts/l10n-check.mjs --export   also writes l10n/bundle.l10n.json (git-ignored): the English
//                                          bundle, i.e. every message a translator has to translate
// npm test's unit layer runs it (test/unit/l10n.test.ts). Conventions: docs/languages.md.
//
// What it checks, each problem on one line with the file and line to fix:
//   package.json      every %key% has its English in package.nls.json and its translation in
//                     package.nls.<lang>.json, with the same command links and {n} placeholders
//   src/**/*.ts       every message of vscode.l10n.t(…), l10n.t(…) and t(…) (t from src/l10n.ts or
//                     src/webview/app/l10n.ts) is a literal, and l10n/bundle.l10n.<lang>.json translates it
//                     with the same {n} placeholders; @vscode/l10n-dev (export) extracts the messages
//   untranslated      text that reaches the user (notifications, input boxes, quick picks, errors, tree
//                     and status-bar properties, validators, webview el()/button()/field()) written as a
//                     plain literal instead of through t(); `// l10n-ignore` on the line keeps one (a brand)
// Stale translations (no longer in the code) are listed as warnings.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getL10nJson } from '@vscode/l10n-dev';
import ts from 'typescript';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const LANGUAGES = ['ar'];

/**
 * Files whose literals are not converted yet (e.g. another branch's, converted in one pass after it
 * lands): their untranslated literals are counted, not failed. Empty now: keep it so.
 */
/** @type {string[]} */
export const PENDING_CONVERSION = [];

/** The wire contract (shared with the emulator): error titles, shapes and field docs are Meta's English. */
const WIRE_TEXT = ['src/contract/'];

/** The project's own translators: `t` imported from src/l10n.ts or src/webview/app/l10n.ts. */
const TRANSLATOR_MODULE = /(^|\/)l10n$/;
/** Calls whose string arguments a user reads. */
const UI_CALLS = new Set(['show', 'step', 'showInformationMessage', 'showWarningMessage', 'showErrorMessage', 'showInputBox', 'showQuickPick', 'createWebviewPanel', 'setStatusBarMessage']);
/** The webview's DOM helpers (src/webview/app/dom.ts): which arguments are text. */
const WEBVIEW_TEXT_ARGS = { el: (i) => i >= 2, button: (i) => i === 0, field: (i) => i === 1, showResult: (i) => i === 1 };
/** Properties a user reads (quick-pick items, input boxes, dialogs, tree items, status bar, protocol answers). */
const UI_PROPS = new Set(['title', 'prompt', 'placeHolder', 'placeholder', 'detail', 'description', 'label', 'tooltip', 'message', 'question', 'openLabel', 'text', 'summary', 'textContent']);
/** Functions whose returned string is a message: validators and describers. */
const MESSAGE_FUNCTIONS = /(Problem|Advice|Message)$|^describe/;

const read = (file) => readFileSync(join(ROOT, file), 'utf8');
const readJson = (file) => JSON.parse(read(file));
/** What a translation must keep as it is: {n} placeholders and $(icon) codicons. */
const placeholders = (text) => [...new Set(String(text).match(/\{\d+\}|\$\([\w~-]+\)/g) ?? [])].sort().join(' ');
const commandLinks = (text) => [...String(text).matchAll(/\(command:[^)]+\)/g)].map((m) => m[0]).sort().join(' ');
const short = (text, n = 90) => JSON.stringify(text.length > n ? `${text.slice(0, n)}…` : text);

function sourceFiles(dir = 'src') {
  return readdirSync(join(ROOT, dir), { recursive: true }).map(String).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => join(dir, f).split('\\').join('/')).sort();
}

/** The text of a string-ish node, with `{}` where a template has a value. */
function literalText(node) {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text + node.templateSpans.map((s) => `{}${s.literal.text}`).join('');
  return undefined;
}

function calleeName(call) {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

/**
 * One file: its translation calls (message, line, and where the call starts and ends for the
 * extractor) and its untranslated user-facing literals.
 */
function scanFile(file, text) {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const translators = new Set();
  for (const statement of sf.statements) {
    if (!ts.isImportDeclaration(statement) || !TRANSLATOR_MODULE.test(statement.moduleSpecifier.text)) continue;
    for (const el of statement.importClause?.namedBindings?.elements ?? []) if ((el.propertyName ?? el.name).text === 't') translators.add(el.name.text);
  }
  const isTranslation = (call) => {
    const callee = call.expression;
    if (ts.isIdentifier(callee)) return translators.has(callee.text);
    return ts.isPropertyAccessExpression(callee) && callee.name.text === 't' && /(^|\.)l10n$/.test(callee.expression.getText(sf));
  };
  const lineOf = (node) => sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
  const ignored = (node) => text.split('\n')[lineOf(node) - 1]?.includes('l10n-ignore');
  const calls = [];
  const problems = [];
  const untranslated = [];

  /** The sink a literal flows into, looking through ?:, +, ??, ||, parentheses and arrays. */
  const sinkOf = (node) => {
    let child = node;
    let parent = node.parent;
    while (parent && (ts.isParenthesizedExpression(parent) || ts.isConditionalExpression(parent) || ts.isArrayLiteralExpression(parent)
      || (ts.isBinaryExpression(parent) && [ts.SyntaxKind.PlusToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(parent.operatorToken.kind))
      || ts.isTemplateSpan(parent) || ts.isTemplateExpression(parent) || ts.isAsExpression(parent))) {
      child = parent;
      parent = parent.parent;
    }
    if (!parent) return undefined;
    if (ts.isCallExpression(parent) || ts.isNewExpression(parent)) {
      const index = parent.arguments?.indexOf(child) ?? -1;
      if (index < 0) return undefined;
      if (ts.isCallExpression(parent) && isTranslation(parent)) return undefined;
      const name = ts.isCallExpression(parent) ? calleeName(parent) : parent.expression.getText(sf);
      if (ts.isNewExpression(parent)) return /(Error|Refused)$/.test(name) && index === 0 ? `new ${name}()` : undefined;
      if (parent.expression.kind === ts.SyntaxKind.SuperKeyword) return index === 0 ? 'super()' : undefined;
      if (UI_CALLS.has(name)) return `${name}()`;
      if (file.startsWith('src/webview/app/') && WEBVIEW_TEXT_ARGS[name]?.(index)) return `${name}()`;
      if (name === 'push' && /problems|notes/i.test(parent.expression.expression?.getText(sf) ?? '')) return 'push()';
      return undefined;
    }
    if (ts.isPropertyAssignment(parent) && parent.initializer === child && UI_PROPS.has(parent.name.getText(sf))) return `${parent.name.getText(sf)}:`;
    if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === child && ts.isPropertyAccessExpression(parent.left)) {
      const target = parent.left;
      if (UI_PROPS.has(target.name.text) || target.expression.getText(sf) === 'errors') return `${target.getText(sf)} =`;
      return undefined;
    }
    const fn = ts.isReturnStatement(parent) ? ts.findAncestor(parent, ts.isFunctionLike) : ts.isArrowFunction(parent) && parent.body === child ? parent : undefined;
    const fnName = fn && (fn.name?.getText(sf) ?? (ts.isVariableDeclaration(fn.parent) ? fn.parent.name.getText(sf) : undefined));
    if (fnName && MESSAGE_FUNCTIONS.test(fnName)) return `return of ${fnName}()`;
    return undefined;
  };

  const visit = (node) => {
    if (ts.isCallExpression(node) && isTranslation(node)) {
      const [message] = node.arguments;
      const key = message && (ts.isStringLiteral(message) || ts.isNoSubstitutionTemplateLiteral(message)) ? message.text : undefined;
      if (key === undefined) {
        if (!ignored(node)) problems.push(`${file}:${lineOf(node)}: the message of ${node.expression.getText(sf)}() must be one literal ('Text {0}', value), not ${short(message?.getText(sf) ?? 'nothing', 60)}: the check cannot see it`);
      } else calls.push({ key, line: lineOf(node), start: node.getStart(sf), end: node.expression.getEnd(), callEnd: node.getEnd(), callee: node.expression.getText(sf) });
    }
    const value = literalText(node);
    if (value !== undefined && /[A-Za-z]{2,}\s+[A-Za-z]{2,}|\b[A-Z][a-z]{2,}/.test(value) && !ignored(node)) {
      const outer = ts.isTemplateSpan(node.parent) || ts.isTemplateExpression(node.parent);
      const sink = outer ? undefined : sinkOf(node);
      if (sink) untranslated.push(`${file}:${lineOf(node)}: ${sink} ${short(value)} is not translated: write it through ${file.startsWith('src/webview/app/') || !text.includes("from 'vscode'") ? 't' : 'vscode.l10n.t'}('…')`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { calls, problems, untranslated, translators };
}

/**
 * The messages as @vscode/l10n-dev's export extracts them. It knows `vscode.l10n.t` and `l10n.t`; our
 * bare `t(…)` calls are handed to it as `l10n.t(…)` (same message, same arguments).
 */
/**
 * What @vscode/l10n-dev's export reads: every call of every file again as `l10n.t(…)` with its own
 * arguments (it knows `vscode.l10n.t` and `l10n.t`; our bare `t(…)` is the same message and arguments),
 * in one document, since its cost is per document (about 0.1 s each), not per call.
 */
function exportSource(scanned) {
  const lines = scanned.flatMap(({ text, calls }) => calls.map((call) => `l10n.t${text.slice(call.end, call.callEnd)};`));
  return { contents: `import * as l10n from '@vscode/l10n';\n${lines.join('\n')}\n`, extension: '.ts' };
}

export async function checkL10n() {
  const problems = [];
  const warnings = [];
  const pending = [];

  // package.json and its nls files
  const manifest = read('package.json');
  const nls = readJson('package.nls.json');
  const used = [...new Set([...manifest.matchAll(/"%([\w.-]+)%"/g)].map((m) => m[1]))];
  for (const key of used) if (!(key in nls)) problems.push(`package.json: "%${key}%" has no English in package.nls.json`);
  for (const key of Object.keys(nls)) if (!used.includes(key)) warnings.push(`package.nls.json: "${key}" is not used in package.json`);
  for (const lang of LANGUAGES) {
    const file = `package.nls.${lang}.json`;
    const translated = readJson(file);
    for (const key of used) {
      if (!(key in nls)) continue;
      if (!(key in translated)) problems.push(`${file}: "${key}" is missing (English: ${short(nls[key])})`);
      else if (commandLinks(translated[key]) !== commandLinks(nls[key]) || placeholders(translated[key]) !== placeholders(nls[key])) {
        problems.push(`${file}: "${key}" must keep the English command links and placeholders (${commandLinks(nls[key])} ${placeholders(nls[key])})`);
      }
    }
    for (const key of Object.keys(translated)) if (!used.includes(key)) warnings.push(`${file}: "${key}" is not used in package.json (stale)`);
  }

  // the runtime messages
  const where = new Map();
  const scanned = [];
  for (const file of sourceFiles()) {
    const text = read(file);
    const scan = scanFile(file, text);
    problems.push(...scan.problems);
    if (PENDING_CONVERSION.includes(file)) pending.push(...scan.untranslated);
    else if (!WIRE_TEXT.some((prefix) => file.startsWith(prefix))) problems.push(...scan.untranslated);
    if (scan.calls.length) scanned.push({ file, text, calls: scan.calls });
  }
  let bundle = {};
  try {
    bundle = await getL10nJson([exportSource(scanned)]);
  } catch (error) {
    problems.push(`@vscode/l10n-dev cannot export the messages: ${error.message}`);
  }
  for (const { file, calls } of scanned) {
    for (const call of calls) {
      if (!(call.key in bundle)) problems.push(`${file}:${call.line}: @vscode/l10n-dev did not extract ${short(call.key)} (write the message as one plain literal)`);
      if (!where.has(call.key)) where.set(call.key, `${file}:${call.line}`);
    }
  }
  for (const lang of LANGUAGES) {
    const file = `l10n/bundle.l10n.${lang}.json`;
    const translated = readJson(file);
    for (const key of Object.keys(bundle)) {
      if (!(key in translated)) problems.push(`${file}: missing ${short(key, 200)} (${where.get(key)})`);
      else if (placeholders(translated[key]) !== placeholders(key)) problems.push(`${file}: ${short(key)} (${where.get(key)}) must use the placeholders ${placeholders(key) || '(none)'}, the translation has ${placeholders(translated[key]) || '(none)'}`);
      else if (typeof translated[key] !== 'string' || translated[key].trim() === '') problems.push(`${file}: ${short(key)} (${where.get(key)}) is empty`);
    }
    for (const key of Object.keys(translated)) if (!(key in bundle)) warnings.push(`${file}: ${short(key)} is not in the code (stale, or waiting for its t() call)`);
  }
  return { problems, warnings, pending, bundle, messages: Object.keys(bundle).length, manifestKeys: used.length };
}

/** The command line: the report, and with --export the English bundle. */
async function main() {
  const result = await checkL10n();
  if (process.argv.includes('--export')) {
    writeFileSync(join(ROOT, 'l10n', 'bundle.l10n.json'), JSON.stringify(result.bundle, null, 2) + '\n');
    console.log(`wrote ${relative(process.cwd(), join(ROOT, 'l10n', 'bundle.l10n.json'))} (${result.messages} messages)`);
  }
  for (const w of result.warnings) console.log(`warning: ${w}`);
  if (result.pending.length) console.log(`${result.pending.length} untranslated literals in files waiting for conversion (PENDING_CONVERSION):\n${result.pending.map((p) => `  ${p}`).join('\n')}`);
  for (const p of result.problems) console.log(`problem: ${p}`);
  console.log(`${result.manifestKeys} package.json strings, ${result.messages} runtime messages, languages: en, ${LANGUAGES.join(', ')}; ${result.problems.length} problem(s)`);
  return result.problems.length ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then((code) => process.exit(code), (error) => { console.error(error); process.exit(2); });
}
