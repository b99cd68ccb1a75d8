import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import type * as Https from 'node:https';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { DockerEndpoint, describeDockerEndpoint } from './dockerEndpoint';
import { SshDialStdio } from './sshDialStdio';
import { t } from '../l10n';

/** The engine did not answer within the call's time limit. */
export class EngineTimeoutError extends Error {
  readonly code = 'ENGINE_TIMEOUT';
  constructor(readonly endpoint: string, readonly timeoutMs: number) {
    super(t('no answer within {0} s', timeoutMs / 1000));
  }
}

/** The engine answered with an HTTP error ({ message } in the body). */
export class EngineApiError extends Error {
  constructor(readonly statusCode: number, message: string) {
    super(message);
  }
}

/** A configuration problem found before any connection (invalid endpoint, unreadable TLS files). */
export class EngineConfigError extends Error {
  readonly code = 'ENGINE_CONFIG';
}

type Query = Record<string, string | number | boolean | undefined>;

export interface EngineHttpOptions {
  /** Time limit of a call, and of a stream until the engine starts answering. */
  timeoutMs?: number;
}

/**
 * HTTP to the Docker Engine API over a unix socket, tcp (+TLS) or ssh, with a time limit on every
 * call: a hung engine (it accepts the connection and never answers) fails calls instead of freezing them.
 */
export class EngineHttp {
  readonly timeoutMs: number;
  private agent: http.Agent | undefined;
  private readonly inFlight = new Set<http.ClientRequest>();

  constructor(readonly endpoint: DockerEndpoint, options: EngineHttpOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? (endpoint.kind === 'ssh' ? 15_000 : 5_000);
  }

  get description(): string {
    return describeDockerEndpoint(this.endpoint);
  }

  /** A call with a JSON (or empty) answer. `timeoutMs: 0` waits as long as `signal` allows. */
  async json<T>(method: string, path: string, options: { query?: Query; timeoutMs?: number; signal?: AbortSignal; body?: unknown } = {}): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const body = await new Promise<Buffer>((resolve, reject) => {
      const req = this.request(method, path, options.query); // throws (rejects) for an unusable endpoint
      const timer = timeoutMs > 0 ? setTimeout(() => req.destroy(new EngineTimeoutError(this.description, timeoutMs)), timeoutMs) : undefined;
      const abort = (): void => { req.destroy(options.signal?.reason instanceof Error ? options.signal.reason : new Error('cancelled')); };
      options.signal?.addEventListener('abort', abort, { once: true });
      const done = (): void => { clearTimeout(timer); options.signal?.removeEventListener('abort', abort); };
      req.on('error', (e) => { done(); reject(e); });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => { done(); reject(e); });
        res.on('end', () => {
          done();
          const data = Buffer.concat(chunks);
          if ((res.statusCode ?? 500) >= 400) reject(apiError(res.statusCode ?? 500, data));
          else resolve(data);
        });
      });
      endWith(req, options.body);
    });
    const text = body.toString('utf8');
    return (text.trim() === '' ? undefined : /^[[{"]/.test(text.trim()) ? JSON.parse(text) : text) as T;
  }

  /**
   * A call whose answer is a stream (events, a followed log). The time limit runs until the engine
   * answers; the stream itself may stay quiet for as long as it likes.
   */
  stream(path: string, query: Query = {}, options: { method?: string; body?: unknown } = {}): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = this.request(options.method ?? 'GET', path, query);
      const timer = setTimeout(() => req.destroy(new EngineTimeoutError(this.description, this.timeoutMs)), this.timeoutMs);
      req.on('error', (e) => { clearTimeout(timer); reject(e); });
      req.on('response', (res) => {
        clearTimeout(timer);
        if ((res.statusCode ?? 500) < 400) { resolve(res); return; }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => reject(apiError(res.statusCode ?? 500, Buffer.concat(chunks))));
      });
      endWith(req, options.body);
    });
  }

  /**
   * A call that takes the connection over both ways (Docker's hijack, `Upgrade: tcp`), as a
   * terminal's exec start does; the time limit runs until the engine switches the connection.
   */
  upgrade(path: string, body: unknown): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const req = this.request('POST', path);
      req.setHeader('Connection', 'Upgrade');
      req.setHeader('Upgrade', 'tcp');
      const timer = setTimeout(() => req.destroy(new EngineTimeoutError(this.description, this.timeoutMs)), this.timeoutMs);
      req.on('error', (e) => { clearTimeout(timer); reject(e); });
      req.on('upgrade', (_res, socket, head) => {
        clearTimeout(timer);
        if (head.length > 0) socket.unshift(head);
        resolve(socket);
      });
      req.on('response', (res) => {
        clearTimeout(timer);
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => reject(apiError(res.statusCode ?? 500, Buffer.concat(chunks))));
      });
      endWith(req, body);
    });
  }

  /** Ends every call and stream still open, and closes idle connections. */
  dispose(): void {
    for (const req of this.inFlight) req.destroy(new Error(t('the Docker client was closed')));
    this.agent?.destroy();
    this.agent = undefined;
  }

  /** Throws EngineConfigError when the endpoint or its TLS files cannot be used. */
  private request(method: string, path: string, query: Query = {}): http.ClientRequest {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) search.set(k, String(v));
    const fullPath = `${path}${search.size ? `?${search}` : ''}`;
    const e = this.endpoint;
    if (e.kind === 'invalid') throw new EngineConfigError(e.problem);
    const agent = this.agent ??= createAgent(e);
    const base = { method, path: fullPath, agent, headers: { Host: 'docker' } };
    const req = e.kind === 'unix' ? http.request({ ...base, socketPath: e.socketPath })
      : e.kind === 'ssh' ? http.request(base)
        : (e.tls ? https() : http).request({ ...base, host: e.host, port: e.port, headers: {} });
    this.inFlight.add(req);
    req.on('close', () => this.inFlight.delete(req));
    return req;
  }
}

/** Sends a JSON body (exec create/start take one), or none. */
function endWith(req: http.ClientRequest, body: unknown): void {
  if (body === undefined) { req.end(); return; }
  const text = JSON.stringify(body);
  req.setHeader('Content-Type', 'application/json');
  req.setHeader('Content-Length', Buffer.byteLength(text));
  req.end(text);
}

/** node:https (with tls and crypto) only when an engine needs it: not on the activation path. */
const https = (): typeof Https => require('node:https') as typeof Https;

function createAgent(e: Exclude<DockerEndpoint, { kind: 'invalid' }>): http.Agent {
  if (e.kind === 'ssh') return new SshAgent(e, 10);
  if (e.kind === 'tcp' && e.tls) return new (https().Agent)({ keepAlive: true, ...readTls(e.tls.certDir) });
  return new http.Agent({ keepAlive: true });
}

/** Each pooled connection is one `ssh … docker system dial-stdio`. */
class SshAgent extends http.Agent {
  constructor(private readonly target: { host: string; port?: number; user?: string }, private readonly connectTimeoutSeconds: number) {
    super({ keepAlive: true });
  }

  override createConnection(): SshDialStdio {
    return new SshDialStdio(this.target, this.connectTimeoutSeconds);
  }
}

/** The CA, client certificate and key of a DOCKER_CERT_PATH-style folder (each optional). */
function readTls(certDir: string): Https.AgentOptions {
  if (certDir === '') return {};
  const read = (name: string): Buffer | undefined => {
    try {
      return readFileSync(join(certDir, name));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new EngineConfigError(t('Cannot read the Docker TLS file {0}: {1}', join(certDir, name), (e as Error).message));
    }
  };
  const [ca, cert, key] = ['ca.pem', 'cert.pem', 'key.pem'].map(read);
  return { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
}

function apiError(statusCode: number, body: Buffer): EngineApiError {
  const text = body.toString('utf8');
  try {
    return new EngineApiError(statusCode, (JSON.parse(text) as { message?: string }).message ?? text);
  } catch {
    return new EngineApiError(statusCode, text.trim() || `HTTP ${statusCode}`);
  }
}
