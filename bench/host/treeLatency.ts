// Tree latency: containers of the workspace's project are stopped, started and killed one at a
// time; each change is timed from the engine's event time (timeNano) to (a) its line on a raw
// `docker events` stream started beside the extension, (b) the Cluster Nodes row changing in the
// extension, (c) VS Code fetching the changed rows for the view on screen.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import * as vscode from 'vscode';
import type { TreeOptions, TreeSample } from './protocol';
import { BenchApi, TimedProbeEvent, nowMs, recordProbe, run, sleep, until } from './support';

interface RawEvent { timeMs: number; action: string; id: string; at: number }

const CYCLE = ['stop', 'start', 'kill', 'start'] as const;

export async function treeSamples(api: BenchApi, options: TreeOptions): Promise<TreeSample[]> {
  const project = api.workspace().project;
  if (!project) throw new Error('the window has no cluster folder');
  // The view on screen, so VS Code fetches its rows as a user would see them.
  await vscode.commands.executeCommand('workbench.view.extension.wabaCluster');
  await vscode.commands.executeCommand('wabaCluster.nodes.focus');
  const running = (rows: Array<{ id?: string; contextValue?: string }>) => options.containers.every((c) => rows.some((r) => r.id === c.id && r.contextValue === 'runningContainer'));
  await until('every bench container running in the tree', () => api.treeSnapshot(), running, 30_000);

  const raw: RawEvent[] = [];
  const events = spawn('docker', ['events', '--filter', 'type=container', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.TimeNano}} {{.Action}} {{.Actor.ID}}']);
  createInterface({ input: events.stdout }).on('line', (line) => {
    const at = nowMs();
    const [nanos, action, id] = line.trim().split(' ');
    raw.push({ timeMs: Number(BigInt(nanos) / 1000n) / 1000, action, id, at });
  });
  const probe = recordProbe(api);
  const steps: Array<{ action: TreeSample['action']; id: string; service: string; issuedAt: number }> = [];
  try {
    await sleep(1_000); // the raw stream is open
    for (let i = 0; steps.length < options.changes; i++) {
      const container = options.containers[i % options.containers.length];
      const action = CYCLE[Math.floor(i / options.containers.length) % CYCLE.length];
      const issuedAt = nowMs();
      await run('docker', action === 'stop' ? ['stop', '-t', '5', container.id] : [action, container.id]);
      steps.push({ action, id: container.id, service: container.service, issuedAt });
      await sleep(options.gapMs);
    }
    await sleep(1_000);
  } finally {
    probe.dispose();
    events.kill();
  }
  return steps.map((step) => {
    const expected = step.action === 'start' ? 'runningContainer' : 'exitedContainer';
    const event = raw.find((e) => e.id === step.id && e.action === (step.action === 'start' ? 'start' : 'die') && e.at >= step.issuedAt);
    if (!event) throw new Error(`no raw docker event for ${step.action} ${step.service}`);
    const shows = (e: TimedProbeEvent) => 'rows' in e && e.rows.some((r) => r.id === step.id && r.contextValue === expected);
    const changed = probe.events.find((e) => e.kind === 'treeChanged' && e.at >= step.issuedAt && shows(e));
    const served = changed && probe.events.find((e) => e.kind === 'treeServed' && e.at >= changed.at && shows(e));
    return {
      action: step.action, service: step.service, rawMs: event.at - event.timeMs,
      changedMs: changed && changed.at - event.timeMs, servedMs: served && served.at - event.timeMs,
    };
  });
}
