// A second Docker engine for tests (see ../../../shared/reference/second-engine.md): its own
// dockerd in its own network namespace, data root, exec root, pid file and socket, optionally
// with a TLS tcp listener on its namespace address. The main engine is never touched.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SecondEngineOptions {
  /** Also listen on tcp://<namespace address>:2376 with --tlsverify (certificates made here). */
  tls?: boolean;
  /** --live-restore, so containers keep running while the engine restarts. */
  liveRestore?: boolean;
  /** --ip: the default address of published ports (127.0.0.1: the host's loopback only, as a careful host is set up). */
  publishIp?: string;
  /** The data root on a tmpfs of this size (`48m`): a disk the test can fill. */
  dataRootSize?: string;
}

export interface SecondEngine {
  /** unix:///…/docker.sock */
  readonly socketHost: string;
  /** The engine's address in its namespace (this test host's own address). */
  readonly address: string;
  /** Its network namespace (/var/run/netns/<netns>): the remote host's own loopback is in there. */
  readonly netns: string;
  /** tcp://<address>:2376, when started with tls. */
  readonly tlsHost?: string;
  /** Client material for tlsHost: a DOCKER_CERT_PATH-style folder (ca.pem, cert.pem, key.pem). */
  readonly clientCertDir?: string;
  /** A CA that did not sign the engine's certificate (for the refusal test). */
  readonly strangerCaFile?: string;
  /** The folder the engine and its files live in. */
  readonly root: string;
  /** Runs the docker CLI against this engine; its standard output. */
  docker(...args: string[]): string;
  /** Stops the engine (SIGTERM) and starts it again with the same flags, after `downMs` without an engine. */
  restart(downMs?: number): Promise<void>;
  /** Removes its containers, stops it and removes its namespace, veth and folders. */
  stop(): Promise<void>;
}

const PREFIX = 'wabaeng-';

export interface EngineNamespace {
  /** The namespace's name: /var/run/netns/<ns>. */
  readonly ns: string;
  /** The engine's folder: docker.sock, docker.pid, data/, exec/ (the layout removeEngine cleans up). */
  readonly root: string;
  /** The namespace's address (this test host's own). */
  readonly address: string;
}

/**
 * A network namespace with a veth to this host and a folder for an engine, without the engine:
 * for a test whose engine is started by the code under test (scripts/setup-docker.sh with
 * WABA_DOCKERD_ROOT=<root>). removeEngine(root) removes both, and whatever engine runs there.
 */
export function makeEngineNamespace(): EngineNamespace {
  sweepLeftovers();
  const id = String(process.pid);
  const root = `/tmp/${PREFIX}${id}`;
  const ns = `${PREFIX}${id}`;
  const hostVeth = `we${id}h`;
  const nsVeth = `we${id}n`;
  const subnet = `10.213.${process.pid % 250}`;
  const address = `${subnet}.2`;
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'names.json'), JSON.stringify({ ns, hostVeth }));
  const sh = (cmd: string, ...args: string[]) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  sh('ip', 'netns', 'add', ns);
  sh('ip', 'link', 'add', hostVeth, 'type', 'veth', 'peer', 'name', nsVeth);
  sh('ip', 'link', 'set', nsVeth, 'netns', ns);
  sh('ip', 'addr', 'add', `${subnet}.1/30`, 'dev', hostVeth);
  sh('ip', 'link', 'set', hostVeth, 'up');
  sh('ip', '-n', ns, 'addr', 'add', `${address}/30`, 'dev', nsVeth);
  sh('ip', '-n', ns, 'link', 'set', nsVeth, 'up');
  sh('ip', '-n', ns, 'link', 'set', 'lo', 'up');
  return { ns, root, address };
}

/** Stops the engine of a folder made by makeEngineNamespace and removes its namespace, veth and folder. */
export function removeEngine(root: string): Promise<void> {
  return teardown(root);
}

export async function startSecondEngine(options: SecondEngineOptions = {}): Promise<SecondEngine> {
  const root = `/tmp/${PREFIX}${process.pid}`;
  const socket = join(root, 'docker.sock');
  const pidFile = join(root, 'docker.pid');
  try {
    const { ns, address } = makeEngineNamespace();
    writeFileSync(join(root, 'daemon.json'), '{}');
    if (options.dataRootSize) {
      mkdirSync(join(root, 'data'));
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${options.dataRootSize}`, `${PREFIX}data`, join(root, 'data')], { stdio: ['ignore', 'pipe', 'pipe'] });
    }

    const flags = [
      '--config-file', join(root, 'daemon.json'), '--data-root', join(root, 'data'), '--exec-root', join(root, 'exec'),
      '--pidfile', pidFile, '-H', `unix://${socket}`,
      ...(options.liveRestore ? ['--live-restore'] : []),
      ...(options.publishIp ? ['--ip', options.publishIp] : []),
    ];
    let tls: { clientCertDir: string; strangerCaFile: string } | undefined;
    if (options.tls) {
      tls = makeCertificates(join(root, 'certs'), address);
      const server = join(root, 'certs', 'server');
      flags.push('-H', `tcp://${address}:2376`, '--tlsverify', '--tlscacert', join(server, 'ca.pem'), '--tlscert', join(server, 'cert.pem'), '--tlskey', join(server, 'key.pem'));
    }
    const launch = async (): Promise<void> => {
      const log = openSync(join(root, 'dockerd.log'), 'a');
      const child = spawn('nsenter', [`--net=/var/run/netns/${ns}`, 'unshare', '--uts', 'sh', '-c', 'hostname engine2; exec dockerd "$@"', 'sh', ...flags], { detached: true, stdio: ['ignore', log, log] });
      child.unref();
      await waitUntil(`the second engine answers at ${socket} (log: ${join(root, 'dockerd.log')})`, 30_000, () => {
        try { return execFileSync('docker', ['-H', `unix://${socket}`, 'info', '--format', '{{.Name}}'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() === 'engine2'; } catch { return false; }
      });
    };
    await launch();
    const docker = (...args: string[]) => execFileSync('docker', ['-H', `unix://${socket}`, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return {
      socketHost: `unix://${socket}`, address, netns: ns, root,
      ...(tls ? { tlsHost: `tcp://${address}:2376`, ...tls } : {}),
      docker,
      restart: async (downMs = 0) => {
        await stopDaemon(root, 20_000);
        await new Promise((r) => setTimeout(r, downMs));
        await launch();
      },
      stop: async () => {
        try { const ids = docker('ps', '-aq').split('\n').filter(Boolean); if (ids.length) docker('rm', '-f', ...ids); } catch { /* the engine may be down already */ }
        await teardown(root);
      },
    };
  } catch (error) {
    await teardown(root);
    throw error;
  }
}

/** A CA, the engine's certificate for its address, a client certificate, and a CA nobody uses. */
function makeCertificates(dir: string, address: string): { clientCertDir: string; strangerCaFile: string } {
  const server = join(dir, 'server');
  const client = join(dir, 'client');
  for (const d of [server, client]) mkdirSync(d, { recursive: true });
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const ca = (name: string) => ssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', `/CN=${name}`, '-keyout', `${name}-key.pem`, '-out', `${name}.pem`);
  ca('ca');
  ca('stranger');
  const issue = (name: string, subject: string, ext: string) => {
    writeFileSync(join(dir, `${name}.ext`), ext);
    ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', subject, '-keyout', `${name}-key.pem`, '-out', `${name}.csr`);
    ssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.pem`);
  };
  issue('server', '/CN=engine2', `subjectAltName=IP:${address}\nextendedKeyUsage=serverAuth\n`);
  issue('client', '/CN=waba-test', 'extendedKeyUsage=clientAuth\n');
  const copy = (from: string, to: string) => writeFileSync(to, readFileSync(join(dir, from)));
  copy('ca.pem', join(server, 'ca.pem')); copy('server.pem', join(server, 'cert.pem')); copy('server-key.pem', join(server, 'key.pem'));
  copy('ca.pem', join(client, 'ca.pem')); copy('client.pem', join(client, 'cert.pem')); copy('client-key.pem', join(client, 'key.pem'));
  return { clientCertDir: client, strangerCaFile: join(dir, 'stranger.pem') };
}

/** SIGTERM to the engine by its pid file; SIGKILL after `graceMs`. */
async function stopDaemon(root: string, graceMs: number): Promise<void> {
  const pid = readPid(join(root, 'docker.pid'));
  if (pid === undefined) return;
  try { process.kill(pid, 'SIGTERM'); } catch { return; }
  try {
    await waitUntil('the second engine stops', graceMs, () => !alive(pid));
  } catch {
    try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    await waitUntil('the second engine is killed', 5_000, () => !alive(pid));
  }
}

/** Everything the engine left: its daemon and containerd, mounts, veth, namespace, folder. */
async function teardown(root: string): Promise<void> {
  await stopDaemon(root, 20_000);
  const containerd = readPid(join(root, 'exec', 'containerd', 'containerd.pid'));
  if (containerd !== undefined && alive(containerd)) { try { process.kill(containerd, 'SIGTERM'); } catch { /* gone */ } }
  for (const mount of readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1]).filter((m) => m?.startsWith(`${root}/`)).reverse()) {
    try { execFileSync('umount', ['-l', mount], { stdio: 'ignore' }); } catch { /* already gone */ }
  }
  let names: { ns?: string; hostVeth?: string } = {};
  try { names = JSON.parse(readFileSync(join(root, 'names.json'), 'utf8')); } catch { /* never written */ }
  if (names.hostVeth) { try { execFileSync('ip', ['link', 'del', names.hostVeth], { stdio: 'ignore' }); } catch { /* not created */ } }
  if (names.ns) { try { execFileSync('ip', ['netns', 'del', names.ns], { stdio: 'ignore' }); } catch { /* not created */ } }
  rmSync(root, { recursive: true, force: true });
}

/** Engines of earlier test runs that were killed before their teardown. */
function sweepLeftovers(): void {
  for (const name of readdirSync('/tmp').filter((n) => n.startsWith(PREFIX))) {
    const pid = Number(name.slice(PREFIX.length));
    if (pid === process.pid || alive(pid)) continue;
    void teardown(join('/tmp', name));
  }
}

function readPid(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

async function waitUntil(what: string, timeoutMs: number, check: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
