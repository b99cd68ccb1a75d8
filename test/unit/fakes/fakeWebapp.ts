// A fake of the webapp's login and health, for the session's unit tests: users with passwords
// (admin/secret must change it first, as Meta's webapp does), tokens it can revoke, a certificate
// it can replace (a re-created cluster) and an optional WA_API_KEY.
import { CertificateMismatchError, type PinnedCertificate } from '../../../src/api/certificatePin';
import type { WabaAddress, WabaApi, WabaMethod, WabaResponse } from '../../../src/api/wabaClient';
import { LoginRefusedError, WabaApiError } from '../../../src/api/wabaError';
import type { HealthBody } from '../../../src/contract';

export const certificate = (name: string): PinnedCertificate => ({ fingerprint: `FP:${name}`, pem: `PEM ${name}`, subject: `CN=${name}`, validTo: 'Dec 31 2030' });

export class FakeWebapp {
  readonly address: WabaAddress = { host: '127.0.0.1', port: 9090 };
  certificate = certificate('one');
  readonly passwords = new Map<string, string>([['admin', 'secret']]);
  readonly mustChange = new Set(['admin']);
  apiKey: string | undefined;
  /** Every login: `ok` when it issued a token. */
  readonly logins: Array<{ username: string; ok: boolean }> = [];
  readonly healthAuth: string[] = [];
  /** Every request tried, also those the pinned TLS check stops. */
  requests = 0;
  private tokens = new Set<string>();
  private nextToken = 1;

  /** Every token issued so far stops working (expiry, or a webapp restarted with a new key). */
  revokeTokens(): void { this.tokens.clear(); }

  /** `down -v` + `up`: new certificate, default password again, no tokens. */
  recreate(): void {
    this.certificate = certificate(`re-created-${this.nextToken}`);
    this.passwords.clear();
    this.passwords.set('admin', 'secret');
    this.mustChange.add('admin');
    this.revokeTokens();
  }

  client(pin: PinnedCertificate): WabaApi {
    const webapp = this;
    const baseUrl = `https://${this.address.host}:${this.address.port}`;
    // Like the pinned TLS check: a connection to a different certificate fails before any request.
    const tls = () => { webapp.requests++; if (webapp.certificate.fingerprint !== pin.fingerprint) throw new CertificateMismatchError(webapp.address.host, pin.fingerprint, webapp.certificate.fingerprint); };
    return {
      baseUrl,
      async login(username, password, newPassword) {
        tls();
        const ok = webapp.passwords.get(username) === password && (!webapp.mustChange.has(username) || newPassword !== undefined);
        webapp.logins.push({ username, ok });
        if (webapp.passwords.get(username) !== password) throw new LoginRefusedError(username, baseUrl);
        if (webapp.mustChange.has(username)) {
          if (!newPassword) throw new WabaApiError(401, [{ code: 1024, title: 'Password Change Required' }], '/v1/users/login');
          webapp.passwords.set(username, newPassword);
          webapp.mustChange.delete(username);
        }
        const token = `token-${webapp.nextToken++}`;
        webapp.tokens.add(token);
        return { token, expiresAfter: '2030-01-01 00:00:00+00:00' };
      },
      async call<T>(method: WabaMethod, path: string, options: { authorization?: string } = {}): Promise<WabaResponse<T>> {
        tls();
        if (method !== 'GET' || path !== '/v1/health') throw new Error(`the fake webapp has no ${method} ${path}`);
        const auth = options.authorization ?? '';
        webapp.healthAuth.push(auth);
        const bearer = /^Bearer (.+)$/.exec(auth)?.[1];
        const key = /^Apikey (.+)$/.exec(auth)?.[1];
        const allowed = (bearer !== undefined && webapp.tokens.has(bearer)) || (key !== undefined && key === webapp.apiKey);
        if (!allowed) throw new WabaApiError(401, [], path);
        const body: HealthBody = { health: { 'master1:abc': { role: 'primary_master', gateway_status: 'unregistered' } }, meta: { version: 'v2.53.1' } };
        return { status: 200, body: body as T };
      },
      dispose() { /* nothing held */ },
    };
  }
}
