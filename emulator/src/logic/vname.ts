// The verified name inside a base64 VerifiedNameCertificate. The real certificate is a
// protobuf whose field 1 holds the details message, in which field 4 is verified_name.
// Anything else falls back to the longest readable text in the blob.

function readVarint(buf: Buffer, pos: number): [number, number] {
  let value = 0;
  let shift = 0;
  while (pos < buf.length) {
    const byte = buf[pos++];
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [value, pos];
    shift += 7;
  }
  throw new Error('truncated varint');
}

/** Length-delimited fields of a protobuf message, by field number; throws when not protobuf. */
function protoFields(buf: Buffer): Map<number, Buffer> {
  const fields = new Map<number, Buffer>();
  let pos = 0;
  while (pos < buf.length) {
    const [tag, afterTag] = readVarint(buf, pos);
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (field === 0) throw new Error('bad tag');
    if (wire === 0) pos = readVarint(buf, afterTag)[1];
    else if (wire === 1) pos = afterTag + 8;
    else if (wire === 5) pos = afterTag + 4;
    else if (wire === 2) {
      const [len, start] = readVarint(buf, afterTag);
      if (start + len > buf.length) throw new Error('truncated field');
      fields.set(field, buf.subarray(start, start + len));
      pos = start + len;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
  return fields;
}

export function vnameFromCert(certBase64: string): string | null {
  const raw = Buffer.from(certBase64.replace(/\s/g, ''), 'base64');
  if (raw.length === 0) return null;
  try {
    const details = protoFields(raw).get(1);
    const name = details && protoFields(details).get(4)?.toString('utf8');
    if (name) return name;
  } catch {
    // not a protobuf certificate
  }
  const readable = raw.toString('utf8').match(/[\p{L}\p{N}][\p{L}\p{N} &'.,-]{2,}/gu) ?? [];
  return readable.sort((a, b) => b.length - a.length)[0]?.trim() ?? null;
}

/** Builds a certificate in the same shape, for tests and local experiments. */
export function certForVname(vname: string): string {
  const str = (field: number, value: Buffer) => Buffer.concat([Buffer.from([(field << 3) | 2, value.length]), value]);
  const details = Buffer.concat([str(2, Buffer.from('smb:wa')), str(4, Buffer.from(vname, 'utf8'))]);
  return Buffer.concat([str(1, details), str(2, Buffer.alloc(64, 7))]).toString('base64');
}
