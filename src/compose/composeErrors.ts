import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { loadYaml } from './loadYaml';

/** A place in a compose file: 1-based line (and column when compose gives one). */
export interface ComposeFileLocation { file: string; line: number; column?: number }

/**
 * Where compose's error lines point to, when they name it:
 *   v1 YAML errors   `in "./multiconnect-compose.yml", line 5, column 4`
 *   v2 YAML errors   `yaml: line 2: did not find expected key` (no file: the one file that does not parse)
 *   schema errors    `validating /…/multiconnect-compose.yml: services.db Additional property portz is not allowed` (v2),
 *                    `The Compose file './multiconnect-compose.yml' is invalid because: Unsupported config option for services.db: 'portz'` (v1):
 *                    the line of that key in the file.
 */
export function locateComposeError(lines: readonly string[], folder: string, files: readonly string[]): ComposeFileLocation | undefined {
  const text = lines.join('\n');
  const abs = (f: string) => (isAbsolute(f) ? f : resolve(folder, f));
  const yamlV1 = [...text.matchAll(/in "([^"]+)", line (\d+), column (\d+)/g)].at(-1);
  if (yamlV1) return { file: abs(yamlV1[1]), line: Number(yamlV1[2]), column: Number(yamlV1[3]) };

  const named = /validating (\S+?):|The Compose file '([^']+)' is invalid|^(\S+\.ya?ml): /m.exec(text);
  const namedFile = named ? abs(named[1] ?? named[2] ?? named[3]) : undefined;
  const line = /\bline (\d+)\b/.exec(text)?.[1];
  if (line) {
    const file = namedFile ?? onlyUnparseable(folder, files);
    return file ? { file, line: Number(line) } : undefined;
  }
  if (!namedFile) return undefined;
  const path = /\b(services(?:\.[\w-]+)+)(?::? (?:Additional property (\S+)|'([^']+)'))?/.exec(text);
  const keys = path ? [...path[1].split('.'), ...(path[2] ?? path[3] ? [path[2] ?? path[3]] : [])] : [];
  return { file: namedFile, line: lineOfKey(namedFile, keys) ?? 1 };
}

/** The single compose file our YAML parser refuses, if exactly one does. */
function onlyUnparseable(folder: string, files: readonly string[]): string | undefined {
  const bad = files.map((f) => (isAbsolute(f) ? f : join(folder, f))).filter((f) => {
    try {
      return loadYaml().parseDocument(readFileSync(f, 'utf8')).errors.length > 0;
    } catch {
      return false;
    }
  });
  return bad.length === 1 ? bad[0] : undefined;
}

/** The line of the deepest key of `keys` that exists in the file. */
function lineOfKey(file: string, keys: readonly string[]): number | undefined {
  try {
    const { LineCounter, parseDocument } = loadYaml();
    const counter = new LineCounter();
    const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: counter });
    for (let n = keys.length; n > 0; n--) {
      const parent = n > 1 ? doc.getIn(keys.slice(0, n - 1), true) : doc.contents;
      const pair = (parent as { items?: Array<{ key?: { value?: unknown; range?: number[] } }> } | null)?.items?.find((p) => p.key?.value === keys[n - 1]);
      if (pair?.key?.range) return counter.linePos(pair.key.range[0]).line;
    }
  } catch {
    // unreadable: no line
  }
  return undefined;
}
