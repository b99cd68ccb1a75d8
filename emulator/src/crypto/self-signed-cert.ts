// Self-signed ECDSA P-256 certificate for the Webapp's HTTPS port, built with node:crypto
// only (the images need no openssl binary). SAN: the given DNS names and IPv4 addresses.
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { bitString, explicit, integer, octets, oid, seq, set, tlv, utcTime, utf8 } from './der';

export interface CertAndKey {
  certPem: string;
  keyPem: string;
}

const ECDSA_SHA256 = '1.2.840.10045.4.3.2';

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function subjectAltName(dnsNames: string[], ips: string[]): Buffer {
  const names = [
    ...dnsNames.map((n) => tlv(0x82, Buffer.from(n, 'ascii'))),
    ...ips.map((ip) => tlv(0x87, Buffer.from(ip.split('.').map(Number)))),
  ];
  return seq(oid('2.5.29.17'), octets(seq(...names)));
}

export function createSelfSignedCert(commonName: string, dnsNames: string[], ips: string[], now = new Date()): CertAndKey {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const name = seq(set(seq(oid('2.5.4.3'), utf8(commonName))));
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  const notBefore = new Date(now.getTime() - 24 * 3600 * 1000);
  const notAfter = new Date(now.getTime() + 10 * 365 * 24 * 3600 * 1000);
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    seq(oid(ECDSA_SHA256)),
    name,
    seq(utcTime(notBefore), utcTime(notAfter)),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, seq(subjectAltName(dnsNames, ips))),
  );
  const signature = sign('sha256', tbs, privateKey);
  const cert = seq(tbs, seq(oid(ECDSA_SHA256)), bitString(signature));
  return { certPem: pem('CERTIFICATE', cert), keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}
