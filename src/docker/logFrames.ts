/**
 * Docker's log stream of a container without a TTY multiplexes stdout and stderr in frames:
 * an 8-byte header (stream type, 3 zero bytes, big-endian payload size) then the payload.
 * This splits such a stream into whole lines, across chunk boundaries.
 */
export type LogSource = 'stdout' | 'stderr';
export interface LogLine { source: LogSource; text: string }

export class LogFrameDecoder {
  private pending: Buffer = Buffer.alloc(0);
  private readonly partial: Record<LogSource, string> = { stdout: '', stderr: '' };

  /** Feeds a chunk; returns the lines it completed. */
  push(chunk: Buffer): LogLine[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const lines: LogLine[] = [];
    while (this.pending.length >= 8) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      const source: LogSource = this.pending[0] === 2 ? 'stderr' : 'stdout';
      const text = this.partial[source] + this.pending.subarray(8, 8 + size).toString('utf8');
      this.pending = this.pending.subarray(8 + size);
      const parts = text.split('\n');
      this.partial[source] = parts.pop() ?? '';
      for (const part of parts) lines.push({ source, text: part.replace(/\r$/, '') });
    }
    return lines;
  }

  /** Whatever is left without a final newline. */
  flush(): LogLine[] {
    const lines: LogLine[] = [];
    for (const source of ['stdout', 'stderr'] as const) {
      if (this.partial[source]) lines.push({ source, text: this.partial[source] });
      this.partial[source] = '';
    }
    return lines;
  }
}

/** Splits `2026-11-28T10:00:00.123456789Z message` (docker logs --timestamps) into its parts. */
export function splitTimestamp(line: string): { timestamp?: string; text: string } {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) (.*)$/s.exec(line);
  return m ? { timestamp: m[1], text: m[2] } : { text: line };
}

/** Docker's `since` takes seconds (with fractions): resume just after the last line seen. */
export function sinceAfter(timestamp: string): string {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(timestamp);
  if (!m) return String(Math.floor(Date.parse(timestamp) / 1000));
  return formatSince(BigInt(Math.floor(Date.parse(`${m[1]}Z`) / 1000)) * 1_000_000_000n + BigInt((m[2] ?? '').padEnd(9, '0').slice(0, 9)) + 1n);
}

/** Nanoseconds since the epoch as Docker's `since` (seconds.nanoseconds). */
export function formatSince(nanos: bigint): string {
  return `${nanos / 1_000_000_000n}.${String(nanos % 1_000_000_000n).padStart(9, '0')}`;
}

/** Output channels do not render ANSI colours; drop the escape sequences. */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '');
}
