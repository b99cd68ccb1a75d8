import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LogFrameDecoder, sinceAfter, splitTimestamp, stripAnsi } from '../../src/docker/logFrames';

const frame = (stream: 1 | 2, text: string): Buffer => {
  const payload = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

describe('Docker log frames', () => {
  it('splits multiplexed stdout/stderr frames into whole lines, across chunk boundaries', () => {
    const decoder = new LogFrameDecoder();
    const bytes = Buffer.concat([frame(1, 'one\ntw'), frame(2, 'oops\n'), frame(1, 'o\nthree'), frame(1, ' é\n')]);
    const lines = [];
    for (let i = 0; i < bytes.length; i += 3) lines.push(...decoder.push(bytes.subarray(i, i + 3)));
    assert.deepEqual(lines, [
      { source: 'stdout', text: 'one' },
      { source: 'stderr', text: 'oops' },
      { source: 'stdout', text: 'two' },
      { source: 'stdout', text: 'three é' },
    ]);
  });
  it('keeps an unterminated last line until flush', () => {
    const decoder = new LogFrameDecoder();
    assert.deepEqual(decoder.push(frame(1, 'no newline')), []);
    assert.deepEqual(decoder.flush(), [{ source: 'stdout', text: 'no newline' }]);
  });
  it('reads docker timestamps and resumes one nanosecond after the last line', () => {
    assert.deepEqual(splitTimestamp('2026-11-28T10:00:01.123456789Z INFO  master1 role changed'), { timestamp: '2026-11-28T10:00:01.123456789Z', text: 'INFO  master1 role changed' });
    assert.deepEqual(splitTimestamp('plain'), { text: 'plain' });
    assert.equal(sinceAfter('2026-11-28T10:00:01.123456789Z'), `${Date.parse('2026-11-28T10:00:01Z') / 1000}.123456790`);
    assert.equal(sinceAfter('2026-11-28T10:00:01.999999999Z'), `${Date.parse('2026-11-28T10:00:02Z') / 1000}.000000000`);
  });
  it('drops ANSI colours that output channels cannot show', () => {
    assert.equal(stripAnsi('\x1b[32mINFO\x1b[0m ready'), 'INFO ready');
  });
});
