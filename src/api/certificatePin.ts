import { X509Certificate } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import { t } from '../l10n';

/** A certificate the user chose to trust for one webapp address (host:port). */
export interface PinnedCertificate {
  /** SHA-256 fingerprint, upper-case hex pairs joined by colons (as browsers show it). */
  fingerprint: string;
  pem: string;
  subject: string;
  validTo: string;
}

export function pinFromPem(pem: string): PinnedCertificate {
  const cert = new X509Certificate(pem);
  return { fingerprint: cert.fingerprint256, pem: cert.toString(), subject: cert.subject.replace(/\n/g, ', '), validTo: cert.validTo };
}

export function pinFromPeer(peer: PeerCertificate): PinnedCertificate {
  const pem = `-----BEGIN CERTIFICATE-----\n${peer.raw.toString('base64').replace(/(.{64})/g, '$1\n').trimEnd()}\n-----END CERTIFICATE-----\n`;
  return pinFromPem(pem);
}

/**
 * Replaces only the host-name check: the chain is still verified (the pinned certificate is the
 * sole CA) and the server must present exactly the pinned certificate.
 */
export function checkPinnedIdentity(pin: PinnedCertificate): (host: string, cert: PeerCertificate) => Error | undefined {
  return (host, cert) => {
    if (cert.fingerprint256 === pin.fingerprint) return undefined;
    return new CertificateMismatchError(host, pin.fingerprint, cert.fingerprint256);
  };
}

export class CertificateMismatchError extends Error {
  /** `actual`: the presented fingerprint, when the TLS layer got as far as showing it. */
  constructor(readonly host: string, readonly expected: string, readonly actual?: string) {
    super(actual
      ? t('The webapp at {0} presented a different certificate than the one you trusted (trusted {1}…, presented {2}…). If the cluster was re-created, trust the new certificate again.', host, expected.slice(0, 23), actual.slice(0, 23))
      : t('The webapp at {0} presented a different certificate than the one you trusted (trusted {1}…). If the cluster was re-created, trust the new certificate again.', host, expected.slice(0, 23)));
  }
}

/**
 * OpenSSL's verdicts on a certificate that does not chain to the pinned one (the pin is the only
 * CA, so any other certificate fails verification before the fingerprint check runs).
 */
const UNTRUSTED_CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT', 'CERT_SIGNATURE_FAILURE', 'CERT_UNTRUSTED',
]);

/** The connection failed because the server presented a certificate other than the pinned one. */
export function isUntrustedCertificate(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (e instanceof CertificateMismatchError || (typeof e.code === 'string' && UNTRUSTED_CERTIFICATE_CODES.has(e.code))) return true;
  }
  return false;
}
