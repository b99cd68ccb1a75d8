// Open Shell's terminal on a real engine reached over tcp+TLS (a second engine, its client
// certificate verified), the way the extension reaches an engine of a Docker context: the shell it
// picks, keys typed and their output read, the node stopping under it, an image without a shell.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DockerClient } from '../../src/docker/dockerClient';
import { NodeTerminal, chooseShell } from '../../src/docker/execTerminal';
import { SecondEngine, startSecondEngine } from '../support/secondEngine';
import { buildTinyImage } from '../support/tinyImage';

/** What a terminal screen shows, and whether (and how) it closed. */
function recordingScreen() {
  const screen = { text: '', closed: undefined as number | 'closed' | undefined };
  return { screen, port: { write: (t: string) => { screen.text += t; }, close: (code?: number) => { screen.closed = code ?? 'closed'; } } };
}

async function until(what: string, accept: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!accept()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('A node shell over tcp+TLS (second engine)', () => {
  let engine: SecondEngine;
  let docker: DockerClient;
  let withSh: string, withoutShell: string;
  const probe = (id: string) => async (cmd: string[]) => (await docker.exec(id, cmd)).exitCode;

  before(async () => {
    engine = await startSecondEngine({ tls: true });
    const sh = buildTinyImage(engine.socketHost);
    const none = buildTinyImage(engine.socketHost, { shell: false });
    withSh = engine.docker('run', '-d', sh).trim();
    withoutShell = engine.docker('run', '-d', none).trim();
    docker = new DockerClient({ kind: 'tcp', host: engine.address, port: 2376, tls: { certDir: engine.clientCertDir! } }, { why: 'test' });
  });

  after(async () => {
    docker?.dispose();
    await engine?.stop();
  });

  it('picks sh in an image without bash; a command typed shows its output; exit closes the terminal', async () => {
    const shell = await chooseShell(probe(withSh));
    assert.equal(shell, 'sh');
    const { screen, port } = recordingScreen();
    const terminal = new NodeTerminal(docker, { containerId: withSh, node: 'tiny', cmd: [shell!] }, port);
    await terminal.open({ cols: 100, rows: 30 });
    await until('the prompt', () => /[$#] $/.test(screen.text));
    terminal.input('echo "sum $((6 * 7))"\r');
    await until('the output', () => screen.text.includes('sum 42'));
    terminal.input('exit\r');
    await until('the terminal to close', () => screen.closed !== undefined);
    assert.equal(screen.closed, 0);
  });

  it('says so when the node stops under the shell, and closes on the next key', async () => {
    const { screen, port } = recordingScreen();
    const terminal = new NodeTerminal(docker, { containerId: withSh, node: 'tiny', cmd: ['sh'] }, port);
    await terminal.open();
    await until('the prompt', () => /[$#] $/.test(screen.text));
    engine.docker('stop', '-t', '1', withSh);
    await until('the stop notice', () => screen.text.includes('tiny stopped under the terminal: sh ended with it.'));
    assert.equal(screen.closed, undefined, 'the terminal stays, so the notice can be read');
    terminal.input('q');
    assert.equal(screen.closed, 'closed');
  });

  it('finds no shell in an image that has neither bash nor sh', async () => {
    assert.equal(await chooseShell(probe(withoutShell)), undefined);
  });
});
