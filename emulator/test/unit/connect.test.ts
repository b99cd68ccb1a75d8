import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { untilDatabaseAnswers } from '../../src/db/connect';

describe('untilDatabaseAnswers: a node waits for its database, never gives up on a hang', () => {
  it('an attempt that hangs is given up after its time and tried again; what it brings late is discarded', async () => {
    let release: (v: string) => void = () => undefined;
    const attempts = [new Promise<string>((r) => { release = r; }), Promise.resolve('second')];
    const discarded: string[] = [];
    const started = Date.now();
    const got = await untilDatabaseAnswers('database db:3306', () => attempts.shift()!, { retryMs: 10, attemptMs: 100, discard: (late) => discarded.push(late) });
    assert.equal(got, 'second');
    assert.ok(Date.now() - started < 2_000, 'the hung attempt did not hold the node');
    release('first, too late');
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(discarded, ['first, too late'], 'a connection that arrives after its time is closed, not leaked');
  });

  it('an attempt that fails is retried; after maxAttempts the error names the step and the last cause', async () => {
    let calls = 0;
    const failing = () => { calls++; return Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })); };
    await assert.rejects(untilDatabaseAnswers('database db:3306', failing, { retryMs: 1, maxAttempts: 3 }), /^Error: database db:3306: no answer after 3 attempts \(ECONNREFUSED\)$/);
    assert.equal(calls, 3);
  });

  it('a wait is said once in the log, with what it waits for, and its end once', async () => {
    const lines: string[] = [];
    const write = process.stderr.write;
    const writeOut = process.stdout.write;
    process.stderr.write = ((chunk: string) => { lines.push(String(chunk)); return true; }) as typeof process.stderr.write;
    process.stdout.write = ((chunk: string) => { lines.push(String(chunk)); return writeOut.call(process.stdout, chunk); }) as typeof process.stdout.write;
    let calls = 0;
    try {
      await untilDatabaseAnswers('reading the TLS certificate', async () => {
        if (++calls < 5) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        return 'ok';
      }, { retryMs: 1 });
    } finally {
      process.stderr.write = write;
      process.stdout.write = writeOut;
    }
    assert.equal(calls, 5);
    const said = lines.filter((l) => l.includes('reading the TLS certificate')); // stdout also carries the test runner's own stream
    assert.equal(said.length, 2, said.join(''));
    assert.match(said[0], /WARN .* reading the TLS certificate: ECONNREFUSED; waiting for the database \(retrying every 1 ms\)$/m);
    assert.match(said[1], /INFO .* reading the TLS certificate: the database answered after 5 attempts \(\d+\.\d s\)$/m);
  });
});
