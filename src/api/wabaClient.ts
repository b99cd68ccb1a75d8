import type * as Undici from 'undici';
import { CertificateMismatchError, PinnedCertificate, checkPinnedIdentity, isUntrustedCertificate } from './certificatePin';
import { ErrorCode, errorsOf, type HealthBody, type LoginBody } from '../contract';
import { LoginRefusedError, WabaApiError } from './wabaError';
import type { ForwardSpec, LocalEnd } from '../docker/sshForward';
import { t } from '../l10n';

/**
 * A webapp as the user sees it: host and port (its pins and passwords are kept per host:port),
 * and how it is reached from this machine when not at host:port itself.
 */
export interface WabaAddress {
  host: string;
  port: number;
  /** On the loopback of an ssh host: reached through a local forward over the engine's ssh. */
  forward?: ForwardSpec;
  /** Where to connect instead of host:port (the forward's local end, once open). */
  dial?: LocalEnd;
  /** Why it cannot be reached from here, and what to do. */
  problem?: string;
}

export interface WabaResponse<T> { status: number; body: T }

export type WabaMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** What sessions and workflows need of a webapp client; WabaClient implements it (tests fake it). */
export interface WabaApi {
  readonly baseUrl: string;
  login(username: string, password: string, newPassword?: string): Promise<{ token: string; expiresAfter: string }>;
  call<T>(method: WabaMethod, path: string, options?: { authorization?: string; body?: unknown }): Promise<WabaResponse<T>>;
  dispose(): void;
}

/**
 * HTTPS client for one webapp. TLS verification stays on: the pinned certificate is the only
 * CA, and the server must present exactly it.
 */
export class WabaClient implements WabaApi {
  private dispatcher: Undici.Dispatcher | undefined;

  constructor(readonly address: WabaAddress, private readonly pin: PinnedCertificate, private readonly timeoutMs = 10_000) {}

  get baseUrl(): string { return `https://${this.address.host}:${this.address.port}`; }

  /**
   * `POST /v1/users/login`; `newPassword` is required on the first login of admin/secret (else
   * 1024). A refused password throws LoginRefusedError.
   */
  async login(username: string, password: string, newPassword?: string): Promise<{ token: string; expiresAfter: string }> {
    const basic = Buffer.from(`${username}:${password}`).toString('base64');
    let body: LoginBody;
    try {
      ({ body } = await this.call<LoginBody>('POST', '/v1/users/login', { authorization: `Basic ${basic}`, body: newPassword ? { new_password: newPassword } : {} }));
    } catch (error) {
      // Meta's webapp answers 1024 (password change required) with HTTP 401 too.
      if (error instanceof WabaApiError && error.status === 401 && error.code !== ErrorCode.PasswordChangeRequired) throw new LoginRefusedError(username, this.baseUrl);
      throw error;
    }
    const user = body?.users?.[0];
    if (!user?.token) throw new Error(t('The webapp answered the login without a token.'));
    return { token: user.token, expiresAfter: user.expires_after };
  }

  health(token: string): Promise<WabaResponse<HealthBody>> {
    return this.call<HealthBody>('GET', '/v1/health', { authorization: `Bearer ${token}` });
  }

  /** Any authenticated call; throws WabaApiError for a non-2xx answer. */
  async call<T>(method: WabaMethod, path: string, options: { authorization?: string; body?: unknown } = {}): Promise<WabaResponse<T>> {
    const { request } = loadUndici();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.authorization) headers.authorization = options.authorization;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const dial = this.address.dial ?? this.address;
    const response = await request(`https://${dial.host.includes(':') ? `[${dial.host}]` : dial.host}:${dial.port}${path}`, {
      method, headers, dispatcher: this.getDispatcher(),
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      headersTimeout: this.timeoutMs, bodyTimeout: this.timeoutMs,
    }).catch((error: unknown) => {
      if (isUntrustedCertificate(error)) throw new CertificateMismatchError(`${this.address.host}:${this.address.port}`, this.pin.fingerprint);
      throw error;
    });
    const text = await response.body.text();
    let body: unknown = undefined;
    try { body = text ? JSON.parse(text) : undefined; } catch { body = undefined; }
    if (response.statusCode < 200 || response.statusCode >= 300) throw new WabaApiError(response.statusCode, errorsOf(body), path, headerValue(response.headers['retry-after']));
    return { status: response.statusCode, body: body as T };
  }

  dispose(): void {
    void this.dispatcher?.close();
    this.dispatcher = undefined;
  }

  private getDispatcher(): Undici.Dispatcher {
    this.dispatcher ??= new (loadUndici().Agent)({
      connect: { ca: this.pin.pem, checkServerIdentity: checkPinnedIdentity(this.pin), rejectUnauthorized: true, timeout: this.timeoutMs },
    });
    return this.dispatcher;
  }
}

function loadUndici(): typeof Undici {
  return require('./undici.js') as typeof Undici;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
