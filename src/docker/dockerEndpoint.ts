import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { t } from '../l10n';

/** Where the Docker engine is. TLS material is a folder with ca.pem, cert.pem, key.pem (as DOCKER_CERT_PATH). */
export type DockerEndpoint =
  | { kind: 'unix'; socketPath: string }
  | { kind: 'tcp'; host: string; port: number; tls?: { certDir: string } }
  | { kind: 'ssh'; host: string; port?: number; user?: string }
  /** A setting, variable or context that names no usable engine; every call fails with `problem`. */
  | { kind: 'invalid'; problem: string };

/** An endpoint and why it was chosen ("context `desktop-linux`", "DOCKER_HOST", ...); `context`: the Docker context it comes from. */
export interface ResolvedEngine { endpoint: DockerEndpoint; why: string; context?: string }

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

export class DockerEndpointError extends Error {}

/** What the resolution reads, so that it stays a pure function of its inputs. */
export interface EngineInputs {
  /** The setting wabaCluster.dockerHost (empty: not set). */
  setting?: string;
  /** The Docker context picked for this workspace (workspaceState): wins over everything else. */
  workspaceContext?: string;
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
  platform?: NodeJS.Platform;
  readFile(path: string): string | undefined;
  exists(path: string): boolean;
}

/**
 * Resolves the engine: the context picked for this workspace (never written to the docker config),
 * then the way the docker CLI does (docker/cli `cli/command/cli.go`): the setting,
 * DOCKER_HOST, DOCKER_CONTEXT, `currentContext` of the docker config; then the sockets an install
 * may have without a context (rootless, Docker Desktop); then the default socket.
 */
export function resolveEngine(inputs: EngineInputs): ResolvedEngine {
  const { env } = inputs;
  const picked = inputs.workspaceContext?.trim();
  if (picked === 'default') return localEngine(inputs);
  if (picked) return { ...contextEngine(inputs, dockerConfigDir(inputs), picked, t('picked for this workspace')), why: t('context `{0}`, picked for this workspace', picked) };
  const setting = inputs.setting?.trim();
  if (setting) return { endpoint: parseDockerHost(setting, t('the setting wabaCluster.dockerHost'), tlsFromEnv(inputs)), why: t('setting wabaCluster.dockerHost') };
  const dockerHost = env.DOCKER_HOST?.trim();
  if (dockerHost) return { endpoint: parseDockerHost(dockerHost, 'DOCKER_HOST', tlsFromEnv(inputs)), why: 'DOCKER_HOST' };

  const configDir = dockerConfigDir(inputs);
  const fromEnv = env.DOCKER_CONTEXT?.trim();
  const context = fromEnv || currentContext(inputs, configDir);
  if (typeof context === 'object') return context;
  if (context && context !== 'default') return contextEngine(inputs, configDir, context, fromEnv ? 'DOCKER_CONTEXT' : t('currentContext in {0}', join(configDir, 'config.json')));
  return localEngine(inputs);
}

/** The engine of the `default` context without DOCKER_HOST: the sockets an install may have, else the default socket. */
function localEngine(inputs: EngineInputs): ResolvedEngine {
  const { env } = inputs;
  const rootless = env.XDG_RUNTIME_DIR && join(env.XDG_RUNTIME_DIR, 'docker.sock');
  if (rootless && inputs.exists(rootless)) return { endpoint: { kind: 'unix', socketPath: rootless }, why: t('rootless Docker socket') };
  const desktop = (inputs.platform === 'darwin' ? ['.docker/run/docker.sock'] : ['.docker/desktop/docker.sock']).map((p) => join(inputs.homeDir, p));
  const desktopSocket = desktop.find((p) => inputs.exists(p));
  if (desktopSocket) return { endpoint: { kind: 'unix', socketPath: desktopSocket }, why: t('Docker Desktop socket') };
  return { endpoint: { kind: 'unix', socketPath: DEFAULT_DOCKER_SOCKET }, why: t('default socket') };
}

/** A Docker context of the docker config (`docker context ls` without running docker): its name and engine. */
export interface DockerContextEntry { name: string; host: string; description?: string }

/** The contexts of the docker config's meta store, by name; `default` is not stored there, so it is not listed. */
export function listDockerContexts(inputs: Pick<EngineInputs, 'env' | 'homeDir'> & { readDir(path: string): string[]; readFile(path: string): string | undefined }): DockerContextEntry[] {
  const metaDir = join(dockerConfigDir(inputs), 'contexts', 'meta');
  const entries: DockerContextEntry[] = [];
  for (const id of inputs.readDir(metaDir)) {
    try {
      const meta = JSON.parse(inputs.readFile(join(metaDir, id, 'meta.json')) ?? '') as { Name?: unknown; Metadata?: { Description?: unknown }; Endpoints?: { docker?: { Host?: unknown } } };
      if (typeof meta.Name !== 'string' || typeof meta.Endpoints?.docker?.Host !== 'string') continue;
      entries.push({ name: meta.Name, host: meta.Endpoints.docker.Host, ...(typeof meta.Metadata?.Description === 'string' && meta.Metadata.Description ? { description: meta.Metadata.Description } : {}) });
    } catch { /* not a context's folder: skipped, as docker context ls skips it */ }
  }
  return entries.sort((a, b) => a.name.localeCompare(b.name));
}

/** $DOCKER_CONFIG, else ~/.docker: where config.json and the contexts live. */
function dockerConfigDir(inputs: Pick<EngineInputs, 'env' | 'homeDir'>): string {
  return inputs.env.DOCKER_CONFIG?.trim() || join(inputs.homeDir, '.docker');
}

function currentContext(inputs: EngineInputs, configDir: string): string | ResolvedEngine | undefined {
  const file = join(configDir, 'config.json');
  const text = inputs.readFile(file);
  if (text === undefined) return undefined;
  try {
    const name = (JSON.parse(text) as { currentContext?: unknown }).currentContext;
    return typeof name === 'string' ? name : undefined;
  } catch (e) {
    return invalid(t('{0} is not valid JSON ({1}); fix it or set wabaCluster.dockerHost.', file, (e as Error).message), t('docker config {0}', file));
  }
}

/** A context's engine, from the contexts meta store, with the context's TLS material. */
function contextEngine(inputs: EngineInputs, configDir: string, name: string, chosenBy: string): ResolvedEngine {
  const why = t('context `{0}`', name);
  const id = createHash('sha256').update(name).digest('hex');
  const metaFile = join(configDir, 'contexts', 'meta', id, 'meta.json');
  const text = inputs.readFile(metaFile);
  if (text === undefined) return invalid(t('Docker context "{0}" ({1}) does not exist in {2}. Run `docker context ls` and `docker context use <name>`.', name, chosenBy, configDir), why);
  let docker: { Host?: unknown; SkipTLSVerify?: unknown } | undefined;
  try {
    docker = (JSON.parse(text) as { Endpoints?: { docker?: typeof docker } }).Endpoints?.docker;
  } catch (e) {
    return invalid(t('{0} of Docker context "{1}" is not valid JSON ({2}).', metaFile, name, (e as Error).message), why);
  }
  if (typeof docker?.Host !== 'string' || docker.Host === '') return invalid(t('Docker context "{0}" has no Docker endpoint ({1}).', name, metaFile), why);
  if (docker.SkipTLSVerify === true) {
    return invalid(t('Docker context "{0}" skips TLS verification; the extension only talks to engines it can verify. Give the context its CA: {1}', name, `docker context update ${name} --docker "host=${docker.Host},ca=<ca.pem>,cert=<cert.pem>,key=<key.pem>"`), why);
  }
  const tlsDir = join(configDir, 'contexts', 'tls', id, 'docker');
  const tls = inputs.exists(join(tlsDir, 'ca.pem')) || inputs.exists(join(tlsDir, 'cert.pem')) ? { certDir: tlsDir } : undefined;
  return { endpoint: parseDockerHost(docker.Host, t('Docker context "{0}"', name), tls), why, context: name };
}

/** DOCKER_TLS_VERIFY / DOCKER_CERT_PATH, as the CLI reads them for a DOCKER_HOST (or -H) engine. */
function tlsFromEnv(inputs: EngineInputs): { certDir: string } | undefined | 'unverified' {
  const { env } = inputs;
  if (env.DOCKER_TLS_VERIFY) return { certDir: env.DOCKER_CERT_PATH || dockerConfigDir(inputs) };
  return env.DOCKER_TLS ? 'unverified' : undefined;
}

/** A DOCKER_HOST-style value: unix://, tcp:// (http://, https://), ssh://. `from` names its source in messages. */
export function parseDockerHost(value: string, from = 'DOCKER_HOST', tls?: { certDir: string } | 'unverified'): DockerEndpoint {
  const bad = (problem: string): DockerEndpoint => ({ kind: 'invalid', problem });
  const scheme = /^([a-z]+):\/\//.exec(value)?.[1];
  if (scheme === 'unix') {
    const socketPath = value.slice('unix://'.length);
    return socketPath.startsWith('/') ? { kind: 'unix', socketPath } : bad(t('{0} "{1}" needs an absolute socket path, e.g. unix:///var/run/docker.sock', from, value));
  }
  if (scheme === 'tcp' || scheme === 'http' || scheme === 'https') {
    const m = /^[a-z]+:\/\/([^:/@[\]]+|\[[^\]]+\])(?::(\d+))?\/?$/.exec(value);
    if (!m) return bad(t('{0} "{1}" is not tcp://host:port', from, value));
    if (tls === 'unverified') return bad(t('{0} "{1}" is used with DOCKER_TLS but without DOCKER_TLS_VERIFY; the extension only talks to engines it can verify. Set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH.', from, value));
    const useTls = tls ?? (scheme === 'https' ? { certDir: '' } : undefined);
    return { kind: 'tcp', host: m[1].replace(/^\[|\]$/g, ''), port: m[2] ? Number(m[2]) : useTls ? 2376 : 2375, ...(useTls ? { tls: useTls } : {}) };
  }
  if (scheme === 'ssh') {
    const m = /^ssh:\/\/(?:([^@/]+)@)?([^:/@[\]]+|\[[^\]]+\])(?::(\d+))?\/?$/.exec(value);
    if (!m) return bad(t('{0} "{1}" is not ssh://[user@]host[:port] (a path after the host is not allowed)', from, value));
    return { kind: 'ssh', host: m[2].replace(/^\[|\]$/g, ''), ...(m[3] ? { port: Number(m[3]) } : {}), ...(m[1] ? { user: m[1] } : {}) };
  }
  return bad(t('{0} "{1}" is not supported: use unix:///path/to/docker.sock, tcp://host:port or ssh://user@host', from, value));
}

function invalid(problem: string, why: string): ResolvedEngine {
  return { endpoint: { kind: 'invalid', problem }, why };
}

/** Whether the engine runs on this machine (a unix socket, or tcp on loopback). */
export function isLocalEndpoint(endpoint: DockerEndpoint): boolean {
  return endpoint.kind === 'unix' || (endpoint.kind === 'tcp' && /^(127\.|localhost$|::1$)/.test(endpoint.host));
}

/** The endpoint spelled as DOCKER_HOST spells it. */
export function describeDockerEndpoint(endpoint: DockerEndpoint): string {
  switch (endpoint.kind) {
    case 'unix': return `unix://${endpoint.socketPath}`;
    case 'tcp': return `tcp://${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`;
    case 'ssh': return `ssh://${endpoint.user ? `${endpoint.user}@` : ''}${endpoint.host}${endpoint.port ? `:${endpoint.port}` : ''}`;
    case 'invalid': return t('an invalid engine setting');
  }
}

/**
 * The environment that makes a compose CLI (v1 or v2) talk to `endpoint`: the same engine the
 * extension watches, whatever the user's shell or docker config say. Throws for an invalid endpoint.
 */
export function composeEngineEnv(endpoint: DockerEndpoint): Record<string, string> {
  if (endpoint.kind === 'invalid') throw new DockerEndpointError(endpoint.problem);
  // Empty values switch off what the user's environment may carry (the CLI treats "" as unset).
  const env: Record<string, string> = { DOCKER_HOST: describeDockerEndpoint(endpoint), DOCKER_CONTEXT: '', DOCKER_TLS: '', DOCKER_TLS_VERIFY: '', DOCKER_CERT_PATH: '' };
  if (endpoint.kind === 'tcp' && endpoint.tls) {
    env.DOCKER_TLS_VERIFY = '1';
    env.DOCKER_CERT_PATH = endpoint.tls.certDir;
  }
  return env;
}

/**
 * Kept for callers that only have a DOCKER_HOST value: that value, or the default socket.
 * Throws DockerEndpointError for a value that names no usable engine.
 */
export function resolveDockerEndpoint(dockerHost: string | undefined): DockerEndpoint {
  const value = (dockerHost ?? '').trim();
  if (value === '') return { kind: 'unix', socketPath: DEFAULT_DOCKER_SOCKET };
  const endpoint = parseDockerHost(value);
  if (endpoint.kind === 'invalid') throw new DockerEndpointError(endpoint.problem);
  return endpoint;
}

/** The resolution's inputs on this machine: its environment, home folder and files. */
export function engineInputsHere(setting: string | undefined, env: Readonly<Record<string, string | undefined>> = process.env, workspaceContext?: string): EngineInputs {
  return {
    setting, workspaceContext, env, homeDir: env.HOME || homedir(), platform: process.platform,
    readFile: (path) => { try { return readFileSync(path, 'utf8'); } catch { return undefined; } },
    exists: existsSync,
  };
}
