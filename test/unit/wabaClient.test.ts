// The webapp client against a real HTTPS server on 127.0.0.1 (real TLS, real undici): the pinned
// certificate is the only one accepted, and the webapp's refusals arrive as errors the session and
// the health poller act on (refused password, 1024, 1015 with Retry-After).
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createSelfSignedCert } from '../../emulator/src/crypto/self-signed-cert';
import { CertificateMismatchError, pinFromPem } from '../../src/api/certificatePin';
import { readPeerCertificate } from '../../src/api/peerCertificate';
import { WabaClient } from '../../src/api/wabaClient';
import { LoginRefusedError, WabaApiError } from '../../src/api/wabaError';

/** Answers like the webapp: a login for admin/Right-Passw0rd, 1024 for admin/secret, a rate-limited health. */
function webapp(cert: { certPem: string; keyPem: string }): Promise<Server> {
  const server = createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const basic = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
    if (req.url === '/v1/users/login' && basic === 'admin:Right-Passw0rd') return send(200, { users: [{ token: 'jwt', expires_after: '2030-01-01 00:00:00+00:00' }] });
    if (req.url === '/v1/users/login' && basic === 'admin:secret') return send(401, { errors: [{ code: 1024, title: 'Password Change Required' }] });
    if (req.url === '/v1/users/login') return send(401, {});
    if (req.url === '/v1/health') return send(429, { errors: [{ code: 1015, title: 'Too many requests' }] }, { 'retry-after': '17' });
    send(404, { errors: [{ code: 1006, title: 'Resource not found' }] });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('WabaClient against a real HTTPS server', () => {
  const trusted = createSelfSignedCert('waweb', ['localhost'], ['127.0.0.1']);
  const other = createSelfSignedCert('waweb', ['localhost'], ['127.0.0.1']);
  let server: Server;
  let port: number;
  const client = (certPem: string) => new WabaClient({ host: '127.0.0.1', port }, pinFromPem(certPem), 5_000);

  before(async () => {
    server = await webapp(trusted);
    port = (server.address() as AddressInfo).port;
  });
  after(() => server.close());

  it('reads the certificate a user is asked to trust, and logs in through it', async () => {
    const presented = await readPeerCertificate('127.0.0.1', port);
    assert.equal(presented.fingerprint, pinFromPem(trusted.certPem).fingerprint);
    const c = client(presented.pem);
    try {
      assert.deepEqual(await c.login('admin', 'Right-Passw0rd'), { token: 'jwt', expiresAfter: '2030-01-01 00:00:00+00:00' });
    } finally { c.dispose(); }
  });

  it('refuses a server that presents another certificate (a re-created cluster) with CertificateMismatchError', async () => {
    const c = client(other.certPem);
    try {
      await assert.rejects(c.login('admin', 'Right-Passw0rd'), (e: unknown) => e instanceof CertificateMismatchError && /presented a different certificate than the one you trusted/.test(e.message));
    } finally { c.dispose(); }
  });

  it('tells a refused password (LoginRefusedError) from the first-login 1024 that Meta answers with HTTP 401 too', async () => {
    const c = client(trusted.certPem);
    try {
      await assert.rejects(c.login('admin', 'wrong'), LoginRefusedError);
      await assert.rejects(c.login('admin', 'secret'), (e: unknown) => e instanceof WabaApiError && e.code === 1024);
    } finally { c.dispose(); }
  });

  it('reports 1015 / 429 as a rate limit with its Retry-After', async () => {
    const c = client(trusted.certPem);
    try {
      await assert.rejects(c.call('GET', '/v1/health', { authorization: 'Apikey 0123456789abc' }), (e: unknown) => {
        assert.ok(e instanceof WabaApiError);
        assert.equal(e.rateLimited, true);
        assert.equal(e.retryAfterMs, 17_000);
        assert.match(e.message, /1015 Too many requests\. The webapp limits how often/);
        return true;
      });
    } finally { c.dispose(); }
  });
});
