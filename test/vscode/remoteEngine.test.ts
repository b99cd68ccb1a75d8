// A cluster on a remote engine (WABA_SUITE=remoteEngine; the harness starts a second dockerd in a
// network namespace and points wabaCluster.dockerHost at it, WABA_REMOTE=ssh or tcp): Start runs
// compose there, and Connect, health and the status bar reach THAT cluster's webapp: over ssh://
// through a local forward (the engine publishes 9090 on its loopback only), over tcp:// + TLS on
// the engine's address. This machine's 127.0.0.1:9090 holds a decoy TLS server with another
// certificate: had anything used it, the certificate check would fail and the decoy would count it.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:tls';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { connectAsAdmin, until } from './clusterSteps';
import { activateExtension, describeItems, refreshUntil, workspaceProjectName, type WabaClusterApi } from './support';

const remote = process.env.WABA_REMOTE as 'ssh' | 'tcp';
const address = process.env.WABA_REMOTE_ADDRESS ?? '';
const netns = process.env.WABA_REMOTE_NETNS ?? '';
const socket = process.env.WABA_REMOTE_SOCKET ?? '';
const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The webapp's certificate as read on the remote host itself (inside its namespace), not through the extension. */
function fingerprintOnRemoteHost(): string | undefined {
  try {
    const out = execFileSync('nsenter', [`--net=/var/run/netns/${netns}`, 'sh', '-c', 'openssl s_client -connect 127.0.0.1:9090 </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] });
    return /Fingerprint=([0-9A-F:]+)/i.exec(out)?.[1]?.toUpperCase();
  } catch { return undefined; }
}

/** The last lines of the extension's log (the run's user-data folder is beside the cluster folder): why a step failed. */
function extensionLog(lines = 40): string {
  const userData = join(dirname(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '.'), 'user-data');
  const logs = readdirSync(userData, { recursive: true }).map(String).filter((f) => f.endsWith('WABA Cluster.log'));
  return logs.map((f) => readFileSync(join(userData, f), 'utf8').split('\n').slice(-lines).join('\n')).join('\n') || `no log under ${userData}`;
}

/** ssh processes of this machine that forward a local port to 127.0.0.1:9090 of the remote host. */
function forwardProcesses(): string[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map((pid) => {
    try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' '); } catch { return ''; }
  }).filter((cmd) => /\bssh\b/.test(cmd) && / -L 127\.0\.0\.1:\d+:127\.0\.0\.1:9090 /.test(cmd) && cmd.includes(address));
}

describe(`A cluster on a remote engine over ${remote}://`, function () {
  this.timeout(600_000);
  const project = workspaceProjectName();
  let api: WabaClusterApi;
  let decoy: Server;
  let decoyConnections = 0;
  let work: string;

  before(async () => {
    assert.ok(remote === 'ssh' || remote === 'tcp', `WABA_REMOTE=${remote}`);
    work = mkdtempSync(join(tmpdir(), 'waba-decoy-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=decoy', '-keyout', join(work, 'key.pem'), '-out', join(work, 'cert.pem')], { stdio: 'ignore' });
    decoy = createServer({ key: readFileSync(join(work, 'key.pem')), cert: readFileSync(join(work, 'cert.pem')) }, (s) => s.end());
    decoy.on('connection', () => { decoyConnections++; });
    await new Promise<void>((resolve, reject) => { decoy.once('error', reject); decoy.listen(9090, '127.0.0.1', resolve); });
    ({ api } = await activateExtension());
  });

  after(async () => {
    await vscode.commands.executeCommand('wabaCluster.disconnect');
    await new Promise((r) => decoy?.close(r));
    rmSync(work, { recursive: true, force: true });
  });

  it("Start Cluster runs compose on the remote engine: its nodes are in the tree, none on this machine's engine", async () => {
    assert.equal(await vscode.commands.executeCommand('wabaCluster.up'), true, extensionLog());
    const items = await refreshUntil(api, (xs) => ['waweb', 'master1', 'wacore1'].every((s) => xs.some((i) => i.label === s && /running/.test(i.description ?? ''))), 120_000);
    assert.ok(['waweb', 'master1', 'wacore1'].every((s) => items.some((i) => i.label === s)), describeItems(items));
    const remoteIds = execFileSync('docker', ['-H', socket, 'ps', '-q', '--filter', `label=com.docker.compose.project=${project}`], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
    assert.ok(remoteIds.length >= 5, `containers on the remote engine: ${remoteIds.join(' ')}`);
    assert.equal(execFileSync('docker', ['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`], { encoding: 'utf8' }).trim(), '', "nothing on this machine's engine");
  });

  it("Connect reaches the remote cluster's webapp: its certificate, health of its nodes, the status bar says how", async () => {
    const fingerprint = await until('the webapp answers TLS on the remote host', fingerprintOnRemoteHost, (fp) => fp !== undefined, 120_000).catch((e: Error) => { throw new Error(`${e.message}\n${extensionLog()}`); });
    await connectAsAdmin(fingerprint!, 120_000);
    const health = await until('health', () => api.health(), (h) => h.kind === 'ok' && (h.nodes ?? []).some((n) => n.role === 'primary_master'), 90_000);
    const remoteIds = execFileSync('docker', ['-H', socket, 'ps', '-q', '--no-trunc'], { encoding: 'utf8' }).trim().split('\n');
    const containersNamed = (health.nodes ?? []).map((n) => n.key.split(':')[1] ?? '');
    assert.ok(containersNamed.length >= 3 && containersNamed.every((c) => c.length >= 12 && remoteIds.some((id) => id.startsWith(c))), `health names ${containersNamed.join(', ')}; remote containers ${remoteIds.join(', ')}`);
    const tooltip = await until('the status bar rolls up health', () => api.visible().statusBar?.tooltip ?? '', (t) => t.includes('Webapp'), 30_000);
    if (remote === 'ssh') {
      const sshPort = process.env.WABA_REMOTE_SSH_PORT;
      assert.match(tooltip, new RegExp(`Webapp https://${escaped(address)}:9090 through a forward over ssh \\(ssh://root@${escaped(address)}:${sshPort}: 127\\.0\\.0\\.1:9090 on that host, 127\\.0\\.0\\.1:\\d+ on this machine\\)`));
      assert.equal(forwardProcesses().length, 1, 'one ssh forward');
    } else {
      assert.match(tooltip, new RegExp(`Webapp https://${escaped(address)}:9090(\\n|$)`));
      assert.deepEqual(forwardProcesses(), []);
    }
    assert.equal(decoyConnections, 0, "nothing connected to this machine's 127.0.0.1:9090");
  });

  it('Disconnect ends the ssh forward', async () => {
    await vscode.commands.executeCommand('wabaCluster.disconnect');
    await until('no ssh forward left', forwardProcesses, (p) => p.length === 0, 10_000);
    assert.equal(decoyConnections, 0);
  });
});
