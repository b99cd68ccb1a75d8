// Entry point of the extension-host test suite (`extensionTestsPath` = dist-test/vscode/index.js).
// VS Code `require`s this module inside the extension host and calls run(); the run fails when
// the returned promise rejects. Mocha (bdd) loads every *.test.js bundled next to this file.
//
// WABA_TEST_RESULT_FILE: where to write {"passed": n, "failed": n} for the runner.
// WABA_SUITE=<name>[,<name>] runs only those <name>.test.js, in that order (cluster: the emulated
// MySQL cluster end to end; liveConfig: .env edited in the running window; operate: settings, backup,
// test messages, webhook inspector and health back-off on that cluster; diagnose: Diagnose Cluster's
// faults and the support bundle (it stops nodes and the database); uninstall: Remove Cluster and Delete Data
// with its backup first, last on that cluster (it deletes it); scale: 35 nodes; upgradePostgres: the basic
// upgrade on Postgres; restricted: Restricted Mode; production: the installed VSIX; remoteEngine: a cluster on
// a second engine over ssh:// or tcp://, WABA_REMOTE; nodeTools: shell, database console, inspect and the
// project's lifecycle on a MySQL cluster); otherwise every
// other suite runs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import type { TestFailure } from '../../scripts/lib/spec-failures.mjs' with { 'resolution-mode': 'import' };

/** Suites that need a cluster folder of their own; each runs only in the run that names it (WABA_SUITE). */
const CLUSTER_SUITES = ['cluster.test.js', 'upgradePostgres.test.js', 'liveConfig.test.js', 'operate.test.js', 'diagnose.test.js', 'uninstall.test.js', 'scale.test.js', 'restricted.test.js', 'production.test.js', 'remoteEngine.test.js', 'nodeTools.test.js'];

/** A failed test as npm test's closing list shows it: its full title and the first lines of its error. */

function writeResult(passed: number, failed: number, failures: TestFailure[] = []): void {
  const file = process.env.WABA_TEST_RESULT_FILE;
  if (file) fs.writeFileSync(file, JSON.stringify({ passed, failed, failures }) + '\n');
  // The plain line CI looks for (Mocha itself prints "N passing").
  console.log(`${passed} passed, ${failed} failed`);
}

export function run(): Promise<void> {
  const suites = process.env.WABA_SUITE?.split(',').map((name) => `${name.trim()}.test.js`);
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, slow: 5_000 });
  const files = fs.readdirSync(__dirname, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.js'))
    .filter((f) => (suites ? suites.includes(path.basename(f)) : !CLUSTER_SUITES.includes(path.basename(f))))
    .sort()
    .sort((a, b) => (suites ? suites.indexOf(path.basename(a)) - suites.indexOf(path.basename(b)) : 0));
  for (const f of files) mocha.addFile(path.join(__dirname, f));

  return new Promise((resolve, reject) => {
    const failures: TestFailure[] = [];
    try {
      const runner = mocha.run((failureCount) => {
        const failed = Math.max(failureCount, runner.stats?.failures ?? 0);
        writeResult(runner.stats?.passes ?? 0, failed, failures);
        if (failed > 0) reject(new Error(`${failed} test(s) failed`));
        else if (files.length === 0) reject(new Error(`no *.test.js files next to ${__filename}`));
        else resolve();
      });
      runner.on('fail', (test, err: unknown) => {
        failures.push({ title: test.fullTitle(), message: (err instanceof Error ? err.message : String(err)).split('\n').slice(0, 6).join('\n') });
      });
    } catch (err) {
      // A suite file that throws while loading ends up here.
      writeResult(0, 1, [{ title: 'loading the suites', message: String(err) }]);
      reject(err);
    }
  });
}
