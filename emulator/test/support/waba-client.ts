// HTTPS client for the Webapp on 127.0.0.1:9090. The self-signed certificate is fetched
// once per cluster and then pinned: later connections must present the same certificate.
import { X509Certificate } from 'node:crypto';
import { request } from 'node:https';
import { connect } from 'node:tls';

export interface ApiResponse {
  status: number;
  body: any;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class WabaClient {
  token?: string;
  private certPem?: string;
  fingerprint?: string;

  constructor(readonly host = '127.0.0.1', readonly port = 9090) {}

  /** Reads the Webapp's certificate (only this probe skips verification) and pins it. */
  async pinCertificate(timeoutMs = 60_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const der = await new Promise<Buffer>((resolve, reject) => {
          const socket = connect({ host: this.host, port: this.port, rejectUnauthorized: false, servername: 'localhost' }, () => {
            const raw = socket.getPeerCertificate().raw;
            socket.end();
            resolve(raw);
          });
          socket.setTimeout(2000, () => socket.destroy(new Error('timeout')));
          socket.on('error', reject);
        });
        const cert = new X509Certificate(der);
        this.certPem = cert.toString();
        this.fingerprint = cert.fingerprint256;
        return this.fingerprint;
      } catch (e) {
        if (Date.now() > deadline) throw e;
        await sleep(300);
      }
    }
  }

  /** `text` sends a plain-text body (a PEM certificate); `apiKey` authenticates with `Apikey`. */
  call(method: string, path: string, opts: { body?: unknown; text?: string; basic?: [string, string]; token?: string | null; apiKey?: string } = {}): Promise<ApiResponse> {
    if (!this.certPem) throw new Error('pinCertificate() first');
    const payload = opts.text ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
    const headers: Record<string, string> = {};
    if (payload) headers['content-type'] = opts.text === undefined ? 'application/json' : 'text/plain';
    if (opts.basic) headers.authorization = `Basic ${Buffer.from(opts.basic.join(':')).toString('base64')}`;
    else if (opts.apiKey) headers.authorization = `Apikey ${opts.apiKey}`;
    else if (opts.token !== null && (opts.token ?? this.token)) headers.authorization = `Bearer ${opts.token ?? this.token}`;
    const pinned = this.fingerprint;
    return new Promise((resolve, reject) => {
      const req = request({
        host: this.host, port: this.port, method, path, headers, agent: false, timeout: 15_000,
        ca: this.certPem, servername: 'localhost',
        checkServerIdentity: (_host, cert) => (cert.fingerprint256 === pinned ? undefined : new Error(`certificate changed: ${cert.fingerprint256}`)),
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Logs in (changing the default password when asked to) and keeps the token. */
  async login(user: string, password: string, newPassword?: string): Promise<ApiResponse> {
    const res = await this.call('POST', '/v1/users/login', { basic: [user, password], body: newPassword ? { new_password: newPassword } : undefined });
    if (res.status === 200) this.token = res.body.users[0].token;
    return res;
  }
}

/** Polls until check() returns a value (not undefined), or fails with the last seen state. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await sleep(intervalMs);
  }
}
