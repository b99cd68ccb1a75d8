// Password-encrypted settings backups: scrypt-derived key, AES-256-GCM.
// Layout of the base64 blob: "WAB1" | salt(16) | iv(12) | tag(16) | ciphertext.
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

const MAGIC = Buffer.from('WAB1');

export function sealBackup(plain: unknown, password: string): string {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', scryptSync(password, salt, 32), iv);
  const ct = Buffer.concat([cipher.update(JSON.stringify(plain), 'utf8'), cipher.final()]);
  return Buffer.concat([MAGIC, salt, iv, cipher.getAuthTag(), ct]).toString('base64');
}

/** Throws when the blob is malformed or the password is wrong. */
export function openBackup(data: string, password: string): unknown {
  const raw = Buffer.from(data, 'base64');
  if (raw.length < 48 || !raw.subarray(0, 4).equals(MAGIC)) throw new Error('not a backup');
  const salt = raw.subarray(4, 20);
  const iv = raw.subarray(20, 32);
  const tag = raw.subarray(32, 48);
  const decipher = createDecipheriv('aes-256-gcm', scryptSync(password, salt, 32), iv);
  decipher.setAuthTag(tag);
  const plain = Buffer.concat([decipher.update(raw.subarray(48)), decipher.final()]);
  return JSON.parse(plain.toString('utf8'));
}
