// `npm run bench`: what users wait for, each figure beside what they would compare it with,
// measured in the same run on the same machine (bench/figures.ts lists them, with their goals).
//   npm run bench                      everything (about 12 min on 2 cores): writes bench/results.json
//   npm run bench -- --smoke           seconds: the plain-Node figures only (Docker, layout), the rest marked "not run"
//   npm run bench -- --only=engine,layout,activation,host,cluster     some phases
//   npm run bench -- --out=<file>      write the results elsewhere
// Then `npm run bench:readme` puts the table into docs/speed.md. The cluster phases hold the machine-wide
// cluster ports lock (Meta's compose publishes 9090 and 33060). Everything created is removed.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DockerClient } from '../src/docker/dockerClient';
import { engineInputsHere, resolveEngine } from '../src/docker/dockerEndpoint';
import { activationFigures } from './activation';
import { clusterFigures } from './clusterFigures';
import { engineFigures } from './engineFigures';
import { engineHostFigures } from './engineHost';
import { ExtensionHostLauncher } from './hostRuns';
import { layoutFigures } from './layoutFigures';
import { Results, round } from './results';
import { renderTable } from './table';

const ROOT = resolve(__dirname, '..');
const PHASES = ['engine', 'layout', 'activation', 'host', 'cluster'] as const;
type Phase = (typeof PHASES)[number];

function parseArgs(argv: string[]): { smoke: boolean; out: string; phases: Set<Phase> } {
  const value = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const smoke = argv.includes('--smoke');
  const only = value('only')?.split(',') ?? [...PHASES];
  for (const p of only) if (!PHASES.includes(p as Phase)) throw new Error(`--only: unknown phase "${p}" (phases: ${PHASES.join(', ')})`);
  return { smoke, out: resolve(value('out') ?? join(ROOT, 'bench', 'results.json')), phases: new Set((smoke ? ['engine', 'layout'] : only) as Phase[]) };
}

async function main(): Promise<void> {
  const started = Date.now();
  const { smoke, out, phases } = parseArgs(process.argv.slice(2));
  const results = new Results(smoke ? 'smoke' : 'full');
  const failed: string[] = [];
  const phase = async (name: Phase, body: () => Promise<void>): Promise<void> => {
    if (!phases.has(name)) return;
    const t = Date.now();
    console.log(`\n[bench] ${name} (load ${loadavg()[0].toFixed(2)})`);
    try {
      await body();
    } catch (error) {
      failed.push(name);
      console.error(`[bench] ${name} failed: ${error instanceof Error ? error.stack : String(error)}`);
      results.fillMissing(`the ${name} phase failed: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`);
    } finally {
      console.log(`[bench] ${name}: ${((Date.now() - t) / 1000).toFixed(0)} s`);
    }
  };

  // The engine phase runs the sources in this process; the others need VS Code and what users run:
  // the production bundles (npm run package builds the same) and the bench's extension-host side.
  const needsHost = phases.has('activation') || phases.has('host') || phases.has('cluster');
  if (needsHost) {
    execFileSync(process.execPath, ['esbuild.mjs', '--production', '--only=extension,webview'], { cwd: ROOT, stdio: 'inherit' });
    execFileSync(process.execPath, ['esbuild.mjs', '--only=bench'], { cwd: ROOT, stdio: 'inherit' });
  }
  const needsImages = phases.has('host') || phases.has('cluster');
  if (needsImages) execFileSync('bash', ['emulator/scripts/build-images.sh'], { cwd: ROOT, stdio: 'inherit' });
  const image = `${process.env.WABA_EMULATOR_IMAGES || 'waba-emulator'}/coreapp:v2.53.1`;
  let host: ExtensionHostLauncher | undefined;
  try {
    if (needsHost) {
      host = await ExtensionHostLauncher.prepare();
      results.setVersion('vscode', host.vscodeVersion);
    }
    await phase('engine', async () => {
      const docker = new DockerClient(resolveEngine(engineInputsHere(undefined)).endpoint);
      try {
        await engineFigures(results, docker, smoke ? { listings: 5, events: 3, logSeconds: 1 } : { listings: 30, events: 30, logSeconds: 5 });
      } finally {
        docker.dispose();
      }
    });
    await phase('layout', async () => layoutFigures(results, smoke ? 20 : 200));
    await phase('activation', () => activationFigures(results, host!, 10));
    await phase('host', () => engineHostFigures(results, host!, { changes: 36, rate: 12_000, seconds: 10, image }));
    await phase('cluster', () => clusterFigures(results, host, { rttSamples: 30, composeRounds: 8, renderSamples: 10 }));
  } finally {
    host?.dispose();
  }

  // Figures marked "not run" by now are ones the selected phases could not measure: the run failed.
  const unmeasured = Object.entries(results.data.figures).filter(([, f]) => 'notRun' in f).map(([id]) => id);
  results.fillMissing(smoke ? 'not measured in smoke mode' : 'phase not selected (--only)');
  results.data.machine.loadAtEnd = loadavg().map((l) => round(l));
  results.data.wallSeconds = round((Date.now() - started) / 1000, 0);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(results.data, null, 2) + '\n');
  console.log(`\n${renderTable(results.data)}\n`);
  console.log(`[bench] ${results.data.wallSeconds} s; load ${results.data.machine.loadAtStart.join(' ')} at the start, ${results.data.machine.loadAtEnd.join(' ')} at the end; written to ${out}${failed.length ? `; FAILED phases: ${failed.join(', ')}` : ''}`);
  if (unmeasured.length) console.log(`[bench] NOT MEASURED: ${unmeasured.join(', ')} (see "not run" above)`);
  if (failed.length || unmeasured.length) process.exitCode = 1;
}

main().catch((e) => { console.error(e); process.exit(1); });
