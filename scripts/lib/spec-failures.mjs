// What npm test repeats at its end about a node:test layer's failures (plain Node ESM, shared by scripts and tests).

/**
 * The spec reporter's "failing tests" list, each test with its location and the first lines of its
 * error (no stack): what npm test repeats at its end, where a CI log's tail shows it.
 */
export function specFailures(out) {
  const list = out.split('\n✖ failing tests:\n')[1];
  if (!list) return [];
  return list.split(/\n(?=test at )/).filter((entry) => entry.trim().startsWith('test at ')).map((entry) => {
    const [where, title, ...rest] = entry.trim().split('\n');
    const message = [];
    for (const line of rest) {
      if (/^\s+at /.test(line)) break;
      if (line.trim()) message.push(line.trim());
      if (message.length === 6) break;
    }
    return { title: `${(title ?? '').replace(/^✖ /, '').replace(/ \([\d.]+m?s\)$/, '')} (${where.replace(/^test at /, '')})`, message: message.join('\n') };
  });
}
