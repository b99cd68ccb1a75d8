import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { formatExpiry, signToken, verifyToken, TOKEN_LIFETIME_SEC } from '../../src/crypto/jwt';
import { openBackup, sealBackup } from '../../src/crypto/backup-box';
import { checkPassword, hashPassword } from '../../src/crypto/password-hash';
import { integer } from '../../src/crypto/der';
import { createSelfSignedCert } from '../../src/crypto/self-signed-cert';
import { certForVname, vnameFromCert } from '../../src/logic/vname';
import { schemaVersionFor } from '../../src/logic/version';

test('tokens: HS256, 7 days, rejected when tampered, expired or signed with another secret', () => {
  const { token, claims } = signToken('admin', 's3cret', 1_000_000);
  assert.equal(claims.exp - claims.iat, TOKEN_LIFETIME_SEC);
  assert.equal(verifyToken(token, 's3cret', 1_000_001)?.user, 'admin');
  assert.equal(verifyToken(token, 'other', 1_000_001), null);
  assert.equal(verifyToken(token, 's3cret', 1_000_000 + TOKEN_LIFETIME_SEC), null);
  assert.equal(verifyToken(token.slice(0, -2) + 'xx', 's3cret', 1_000_001), null);
  assert.equal(formatExpiry(1640787122), '2021-12-29 14:12:02+00:00');
});

test('backups open with the right password only', () => {
  const blob = sealBackup({ settings: { heartbeat_interval: 5 } }, 'pw-1');
  assert.deepEqual(openBackup(blob, 'pw-1'), { settings: { heartbeat_interval: 5 } });
  assert.throws(() => openBackup(blob, 'pw-2'));
  assert.throws(() => openBackup('Zm9v', 'pw-1'));
});

test('password hashes verify', async () => {
  const h = await hashPassword('Secret-123');
  assert.ok(await checkPassword('Secret-123', h));
  assert.ok(!(await checkPassword('Secret-124', h)));
  assert.ok(!h.includes('Secret-123'));
});

test('self-signed certificate verifies and names localhost and 127.0.0.1', () => {
  const { certPem } = createSelfSignedCert('waweb', ['localhost', 'waweb'], ['127.0.0.1']);
  const x = new X509Certificate(certPem);
  assert.ok(x.verify(x.publicKey));
  assert.equal(x.checkHost('localhost'), 'localhost');
  assert.equal(x.checkIP('127.0.0.1'), '127.0.0.1');
});

test('vname is read from a protobuf-shaped certificate, with a readable-text fallback', () => {
  assert.equal(vnameFromCert(certForVname('Acme Widgets')), 'Acme Widgets');
  assert.equal(vnameFromCert(Buffer.from('\x01\x02Acme Shop\x00').toString('base64')), 'Acme Shop');
});

test('schema version is the minor number', () => {
  assert.equal(schemaVersionFor('2.51.2'), 51);
  assert.equal(schemaVersionFor('v2.53.1'), 53);
  assert.throws(() => schemaVersionFor('latest'));
});

test('DER integers are minimal: a random serial that begins with zero bytes is written without them (OpenSSL refuses the padding)', () => {
  const hex = (b: Buffer) => b.toString('hex');
  assert.equal(hex(integer(Buffer.from([0x00, 0x05]))), '020105');
  assert.equal(hex(integer(Buffer.from([0x00, 0x00, 0x7f, 0x01]))), '02027f01');
  assert.equal(hex(integer(Buffer.from([0x00, 0x90]))), '02020090', 'the zero a high bit needs stays');
  assert.equal(hex(integer(Buffer.from([0x80]))), '02020080');
  assert.equal(hex(integer(Buffer.from([0x00, 0x00]))), '020100');
});
