// The compose runner with a fake process and a fake file: what reaches the output channel, what
// is written to debug_output.txt, and what the user is told when compose is missing or the file
// cannot be written. The real compose CLIs run in test/integration/compose.
import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import { PassThrough, Writable } from 'node:stream';
import { describe, it } from 'node:test';
import type { ComposeCommand } from '../../src/compose/composeCommand';
import { runCompose, runComposeToFile, type ComposePorts, type ComposeProcess } from '../../src/compose/composeRunner';

/** A compose process that writes `stdout` / `stderr` (raw text), then exits with `exitCode` or fails with `error`. */
function fakeProcess(script: { stdout?: string; stderr?: string; exitCode?: number | null; error?: NodeJS.ErrnoException }): ComposeProcess & { killed: boolean } {
  const events = new EventEmitter();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const child = {
    stdout, stderr, killed: false,
    kill() { child.killed = true; },
    on(event: string, listener: Parameters<EventEmitter['on']>[1]) { events.on(event, listener); return child; },
  };
  setImmediate(() => {
    if (script.error) { events.emit('error', script.error); return; }
    stdout.end(script.stdout ?? '');
    stderr.end(script.stderr ?? '');
    // Like a child process: 'close' after both streams are read to the end.
    let open = 2;
    const ended = () => { if (--open === 0) setImmediate(() => events.emit('close', script.exitCode === undefined ? 0 : script.exitCode)); };
    stdout.on('end', ended);
    stderr.on('end', ended);
    stdout.resume();
    stderr.resume();
  });
  return child;
}

function fakePorts(script: Parameters<typeof fakeProcess>[0], file: { fail?: string } = {}) {
  const spawned: Array<{ file: string; args: string[]; cwd: string; env: Record<string, string> }> = [];
  const written: Record<string, string> = {};
  let child: ReturnType<typeof fakeProcess> | undefined;
  const ports: ComposePorts = {
    spawn: (cmd, args, { cwd, env }) => { spawned.push({ file: cmd, args, cwd, env }); child = fakeProcess(script); return child; },
    createFile: (path) => {
      written[path] = '';
      const stream = new Writable({ write(chunk, _encoding, done) { written[path] += String(chunk); done(); } });
      if (file.fail) setImmediate(() => stream.emit('error', new Error(file.fail)));
      return stream;
    },
  };
  return { ports, spawned, written, child: () => child };
}

const v2: ComposeCommand = { file: 'docker', prefix: ['compose'], project: 'biz' };
const folder = { path: '/clusters/biz', composeFiles: ['multiconnect-compose.yml'] };

describe('the compose runner (fake process)', () => {
  it('runs compose in the cluster folder with the project, the files and the extra environment', async () => {
    const { ports, spawned } = fakePorts({ exitCode: 0 });
    await runCompose(v2, folder, { verb: 'up', services: ['wacore1'] }, () => undefined, { DOCKER_HOST: 'tcp://127.0.0.1:2375' }, ports);
    assert.deepEqual(spawned, [{
      file: 'docker',
      args: ['compose', '--ansi', 'never', '-p', 'biz', '-f', 'multiconnect-compose.yml', 'up', '-d', '--', 'wacore1'],
      cwd: '/clusters/biz', env: { DOCKER_HOST: 'tcp://127.0.0.1:2375' },
    }]);
  });

  it('streams every line without terminal escapes, says which stream it came from, and keeps the last 20', async () => {
    const out = Array.from({ length: 25 }, (_, i) => `\x1B[2K\x1B[1G Container biz-wacore${i}-1  Started\r`).join('\n');
    const { ports } = fakePorts({ stdout: `${out}\n`, stderr: '\x1B[31mwarning: orphan containers\x1B[0m\n', exitCode: 0 });
    const lines: Array<[string, string]> = [];
    const result = await runCompose(v2, folder, { verb: 'up' }, (line, stream) => lines.push([line, stream]), {}, ports);
    assert.equal(lines.length, 26);
    assert.deepEqual(lines.find(([, s]) => s === 'stderr'), ['warning: orphan containers', 'stderr']);
    assert.ok(lines.filter(([, s]) => s === 'stdout').every(([l], i) => l === ` Container biz-wacore${i}-1  Started`), JSON.stringify(lines.slice(0, 3)));
    assert.equal(result.exitCode, 0);
    assert.equal(result.lastLines.length, 20);
    assert.ok(result.lastLines.includes(' Container biz-wacore24-1  Started'));
    assert.ok(!result.lastLines.includes(' Container biz-wacore0-1  Started'), 'only the last 20 are kept');
  });

  it('resolves with a failing exit code (the caller says what failed), and 1 when compose was killed', async () => {
    const failed = await runCompose(v2, folder, { verb: 'up' }, () => undefined, {}, fakePorts({ stderr: 'no such service: wacore9\n', exitCode: 15 }).ports);
    assert.deepEqual(failed, { exitCode: 15, lastLines: ['no such service: wacore9'] });
    const killed = await runCompose(v2, folder, { verb: 'up' }, () => undefined, {}, fakePorts({ exitCode: null }).ports);
    assert.equal(killed.exitCode, 1);
  });

  it('compose not on PATH: says which program is missing and which setting picks another', async () => {
    const missing = Object.assign(new Error('spawn docker-compose ENOENT'), { code: 'ENOENT' });
    const v1: ComposeCommand = { file: 'docker-compose', prefix: [] };
    await assert.rejects(runCompose(v1, folder, { verb: 'up' }, () => undefined, {}, fakePorts({ error: missing }).ports), /"docker-compose" was not found on PATH\. Install Docker Compose or change the setting wabaCluster\.composeCommand\./);
    const denied = Object.assign(new Error('spawn docker EACCES'), { code: 'EACCES' });
    await assert.rejects(runCompose(v2, folder, { verb: 'up' }, () => undefined, {}, fakePorts({ error: denied }).ports), /EACCES/);
  });

  it('a service name that looks like an option is refused before anything runs', async () => {
    const { ports, spawned } = fakePorts({ exitCode: 0 });
    await assert.rejects(runCompose(v2, folder, { verb: 'stop', services: ['--rmi'] }, () => undefined, {}, ports), /"--rmi" is not a service name/);
    assert.deepEqual(spawned, []);
  });

  it('to a file: standard output goes into the file line by line without escapes, standard error to the channel', async () => {
    const { ports, written } = fakePorts({ stdout: '\x1B[2Kwacore1-1  | started\r\nwacore2-1  | started\n', stderr: 'reading logs\n', exitCode: 0 });
    const lines: string[] = [];
    const result = await runComposeToFile(v2, folder, { verb: 'logs' }, '/tmp/debug_output.txt', (line) => lines.push(line), {}, ports);
    assert.equal(written['/tmp/debug_output.txt'], 'wacore1-1  | started\nwacore2-1  | started\n');
    assert.deepEqual(lines, ['reading logs']);
    assert.equal(result.exitCode, 0);
  });

  it('to a file that cannot be written: compose is stopped and the user is told which file and why', async () => {
    const { ports, child } = fakePorts({ stdout: 'x\n', exitCode: 0 }, { fail: 'EACCES: permission denied' });
    await assert.rejects(runComposeToFile(v2, folder, { verb: 'logs' }, '/root/debug_output.txt', () => undefined, {}, ports), /Cannot write \/root\/debug_output\.txt: EACCES: permission denied/);
    assert.equal(child()!.killed, true);
  });
});
