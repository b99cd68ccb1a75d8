// Render after a health change: connected to the webapp with the panel open and the Cluster Nodes
// view on screen, a standby coreapp is cut off its network and put back, alternately; each time
// health is polled until it shows the change. Timed from the health poll's answer (the extension's
// HealthPoller publishing) to the tree's rows changing, VS Code fetching them, and each webview
// acknowledging the new state as rendered.
import * as vscode from 'vscode';
import { RENDER_VIEWS } from '../figures';
import type { RenderOptions, RenderSample } from './protocol';
import { BenchApi, TimedProbeEvent, nowMs, recordProbe, run, until } from './support';

export async function renderSamples(api: BenchApi, options: RenderOptions): Promise<RenderSample[]> {
  const connected = await vscode.commands.executeCommand('wabaCluster.connect', { username: options.username, password: options.password, trustFingerprint: options.fingerprint });
  if (connected !== true) throw new Error('could not connect to the webapp');
  await vscode.commands.executeCommand('workbench.view.extension.wabaCluster');
  await vscode.commands.executeCommand('wabaCluster.nodes.focus');
  const probe = recordProbe(api);
  try {
    await api.panelRequest('checkHealth', {}); // opens the panel
    await until('the panel\'s first render', () => probe.events.some((e) => e.kind === 'rendered'), (v) => v, 30_000);
    const rows = await api.treeSnapshot();
    const id = rows.find((r) => r.label === options.service)?.id;
    if (!id) throw new Error(`${options.service} is not in the tree`);
    const nodeStatus = () => (api.health().nodes ?? []).find((n) => n.key.startsWith(`${options.service}:`));
    const samples: RenderSample[] = [];
    for (let i = 0; i < options.samples; i++) {
      const cutOff = i % 2 === 0;
      const issuedAt = nowMs();
      await run('docker', cutOff ? ['network', 'disconnect', options.network, id] : ['network', 'connect', '--alias', options.service, options.network, id]);
      const shows = (description: string | undefined) => (cutOff ? /^1014 /.test(description ?? '') : description === 'coreapp · disconnected');
      await until(`health to show ${options.service} ${cutOff ? 'unreachable' : 'back'}`, async () => { await vscode.commands.executeCommand('wabaCluster.checkHealth'); return nodeStatus(); },
        (n) => (cutOff ? n?.error?.code === 1014 : n?.gatewayStatus === 'disconnected'), 60_000, 0);
      // Each webview answers once the state is on screen, which can be after health showed the change.
      const since = (e: TimedProbeEvent) => e.at >= issuedAt;
      const posted = () => probe.events.filter((e) => since(e) && e.kind === 'posted').map((e) => (e as { seq: number }).seq);
      await until('the webviews to acknowledge every state posted', () => posted().every((seq) => probe.events.some((e) => e.kind === 'rendered' && e.seq === seq)), (v) => v, 10_000, 20).catch(() => undefined);
      samples.push(measure(probe.events.filter(since), id, shows));
    }
    return samples;
  } finally {
    probe.dispose();
  }
}

function measure(events: TimedProbeEvent[], id: string, shows: (description: string | undefined) => boolean): RenderSample {
  const matches = (e: TimedProbeEvent) => 'rows' in e && shows(e.rows.find((r) => r.id === id)?.description);
  const changed = events.find((e) => e.kind === 'treeChanged' && matches(e));
  if (!changed) return { views: {} };
  const health = events.filter((e) => e.kind === 'health' && e.at <= changed.at).at(-1);
  if (!health) return { views: {} };
  const served = events.find((e) => e.kind === 'treeServed' && e.at >= changed.at && matches(e));
  const views: RenderSample['views'] = {};
  for (const view of RENDER_VIEWS) {
    const posted = events.find((e): e is Extract<TimedProbeEvent, { kind: 'posted' }> => e.kind === 'posted' && e.view === view && e.at >= health.at);
    const rendered = posted && events.find((e): e is Extract<TimedProbeEvent, { kind: 'rendered' }> => e.kind === 'rendered' && e.view === view && e.seq === posted.seq);
    views[view] = rendered && { ackMs: rendered.at - health.at, ownMs: rendered.ms };
  }
  return { treeChangedMs: changed.at - health.at, treeServedMs: served && served.at - health.at, views };
}
