import assert from 'node:assert/strict';
import { Duplex, PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import type { EngineEventListener } from '../../src/docker/eventHub';
import { MASK, maskEnvironment, maskedInspectText } from '../../src/docker/containerInspect';
import { planDbConsole } from '../../src/compose/dbConsole';
import { NodeTerminal, NodeTerminalEngine, chooseShell } from '../../src/docker/execTerminal';

describe('Inspect: secrets in the environment', () => {
  it('masks WA_DB_PASSWORD and every *_PASSWORD, *_KEY, *_TOKEN, *_SECRET, *_PWD, and nothing else', () => {
    assert.deepEqual(maskEnvironment([
      'WA_DB_PASSWORD=testpass', 'MYSQL_ROOT_PASSWORD=root!', 'API_KEY=k=v', 'GITHUB_TOKEN=t', 'APP_SECRET=s', 'MYSQL_PWD=p',
      'WA_DB_USERNAME=root', 'KEYBOARD=us', 'PATH=/usr/bin', 'EMPTY_PASSWORD=', 'NOVALUE',
    ]), [
      `WA_DB_PASSWORD=${MASK}`, `MYSQL_ROOT_PASSWORD=${MASK}`, `API_KEY=${MASK}`, `GITHUB_TOKEN=${MASK}`, `APP_SECRET=${MASK}`, `MYSQL_PWD=${MASK}`,
      'WA_DB_USERNAME=root', 'KEYBOARD=us', 'PATH=/usr/bin', 'EMPTY_PASSWORD=', 'NOVALUE',
    ]);
  });
  it('shows the whole inspect answer as JSON with only Config.Env masked, the original left as it was', () => {
    const inspect = { Id: 'abc', Config: { Image: 'img', Env: ['WA_DB_PASSWORD=testpass', 'WA_DB_HOSTNAME=db'] }, State: { Status: 'running' } };
    const text = maskedInspectText(inspect);
    assert.deepEqual(JSON.parse(text), { Id: 'abc', Config: { Image: 'img', Env: [`WA_DB_PASSWORD=${MASK}`, 'WA_DB_HOSTNAME=db'] }, State: { Status: 'running' } });
    assert.doesNotMatch(text, /testpass/);
    assert.equal(inspect.Config.Env[0], 'WA_DB_PASSWORD=testpass');
  });
});

describe('Database Console: the client and its credentials from db.env', () => {
  const dbEnv = { WA_DB_ENGINE: 'MYSQL', WA_DB_HOSTNAME: 'db', WA_DB_PORT: '3306', WA_DB_USERNAME: 'root', WA_DB_PASSWORD: 'testpass' };
  it('runs mysql against the host and port the nodes use, the password only in MYSQL_PWD', () => {
    const plan = planDbConsole(dbEnv);
    assert.ok(!('problem' in plan));
    assert.deepEqual(plan, { service: 'db', client: 'mysql', cmd: ['mysql', '--host=db', '--port=3306', '--user=root'], env: ['MYSQL_PWD=testpass'], title: 'db: mysql' });
  });
  it('runs psql on the postgres database, the password only in PGPASSWORD', () => {
    const plan = planDbConsole({ ...dbEnv, WA_DB_ENGINE: 'PGSQL' });
    assert.ok(!('problem' in plan));
    assert.deepEqual(plan.cmd, ['psql', '--host=db', '--port=3306', '--username=root', '--dbname=postgres']);
    assert.deepEqual(plan.env, ['PGPASSWORD=testpass']);
    assert.ok(!plan.cmd.join(' ').includes('testpass') && !plan.title.includes('testpass'));
  });
  it('says what db.env lacks', () => {
    assert.deepEqual(planDbConsole({ ...dbEnv, WA_DB_PASSWORD: '' }), { problem: 'db.env has no WA_DB_PASSWORD: the console uses the credentials the nodes use.' });
    assert.deepEqual(planDbConsole({ ...dbEnv, WA_DB_ENGINE: 'ORACLE' }), { problem: 'db.env says WA_DB_ENGINE=ORACLE; the console knows MYSQL and PGSQL.' });
  });
});

describe('Open Shell: which shell', () => {
  const image = (programs: string[]) => async (cmd: string[]) => (programs.includes(cmd[0]) ? 0 : 126);
  it('takes bash when the image has it, else sh, else none', async () => {
    assert.equal(await chooseShell(image(['bash', 'sh'])), 'bash');
    assert.equal(await chooseShell(image(['sh'])), 'sh');
    assert.equal(await chooseShell(image([])), undefined);
    assert.equal(await chooseShell(async () => { throw new Error('engine gone'); }), undefined);
  });
});

/** An engine with one exec whose TTY is `tty`: what the program would write, and what it was sent. */
function fakeEngine(options: { exitCode?: number; state?: string } = {}) {
  const toProgram = new PassThrough(), fromProgram = new PassThrough();
  const tty = Duplex.from({ writable: toProgram, readable: fromProgram });
  const listeners = new Set<EngineEventListener>();
  const sent: string[] = [];
  toProgram.on('data', (c: Buffer) => sent.push(c.toString()));
  const engine: NodeTerminalEngine & { state: string } = {
    state: options.state ?? 'running',
    execTty: async () => ({ execId: 'e1', stream: tty }),
    execExitCode: async () => options.exitCode ?? 0,
    resizeExec: async () => undefined,
    containerState: async () => engine.state,
    events: { subscribe: (l) => { listeners.add(l); return { dispose: () => listeners.delete(l) }; } },
  };
  return { engine, sent, fromProgram, tty, listeners };
}

function screen() {
  const shown: string[] = [];
  const result = { shown, closed: undefined as number | undefined | 'no', text: () => shown.join('') };
  return { result, screen: { write: (t: string) => shown.push(t), close: (code?: number) => { result.closed = code ?? 'no'; } } };
}

const spec = { containerId: 'c1', node: 'wacore1', cmd: ['bash'] };
const tick = () => new Promise((r) => setTimeout(r, 20));
/** Waits (at most 2 s) for what the terminal does after the program ended: it asks the engine first. */
async function eventually(accept: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 2_000; !accept() && Date.now() < deadline;) await tick();
}

describe('A node terminal', () => {
  it('passes keys to the program and its output (split UTF-8 too) to the screen; a clean exit closes it', async () => {
    const { engine, sent, fromProgram } = fakeEngine();
    const { result, screen: s } = screen();
    const terminal = new NodeTerminal(engine, spec, s, 10);
    await terminal.open({ cols: 80, rows: 24 });
    terminal.input('echo hi\r');
    const bytes = Buffer.from('héllo\r\n');
    fromProgram.write(bytes.subarray(0, 2));
    fromProgram.write(bytes.subarray(2));
    await eventually(() => result.text().endsWith('\r\n') && sent.length > 0);
    assert.deepEqual(sent, ['echo hi\r']);
    assert.equal(result.text(), 'héllo\r\n');
    fromProgram.end();
    await eventually(() => result.closed !== undefined);
    assert.equal(result.closed, 0);
  });
  it('says the node stopped when Docker stops it under the shell, and stays until a key', async () => {
    const { engine, fromProgram, listeners } = fakeEngine({ exitCode: 137 });
    const { result, screen: s } = screen();
    const terminal = new NodeTerminal(engine, spec, s, 10);
    await terminal.open();
    for (const l of listeners) l.event?.({ action: 'kill', id: 'c1' });
    engine.state = 'exited';
    fromProgram.end();
    await eventually(() => /Press any key/.test(result.text()));
    assert.match(result.text(), /wacore1 stopped under the terminal: bash ended with it\. Open a new terminal once the node runs again\./);
    assert.equal(result.closed, undefined);
    terminal.input('x');
    assert.equal(result.closed, 'no');
    assert.equal(listeners.size, 0, 'no longer listening to the engine');
  });
  it('shows a failed exit code (a refused database login) and waits for a key', async () => {
    const { engine, fromProgram } = fakeEngine({ exitCode: 1 });
    const { result, screen: s } = screen();
    await new NodeTerminal(engine, { ...spec, cmd: ['mysql'] }, s, 10).open();
    fromProgram.write('ERROR 1045 (28000): Access denied\r\n');
    fromProgram.end();
    await eventually(() => /Press any key/.test(result.text()));
    assert.match(result.text(), /Access denied[\s\S]*mysql exited with code 1\./);
    assert.equal(result.closed, undefined);
  });
  it('says why it could not start', async () => {
    const { engine } = fakeEngine();
    engine.execTty = async () => { throw new Error('container c1 is not running'); };
    const { result, screen: s } = screen();
    await new NodeTerminal(engine, spec, s, 10).open();
    assert.match(result.text(), /Cannot start bash in wacore1: container c1 is not running/);
  });
  it('closed by the user: hangs up the program and shows nothing more', async () => {
    const { engine, tty } = fakeEngine({ exitCode: 129 });
    const { result, screen: s } = screen();
    const terminal = new NodeTerminal(engine, spec, s, 10);
    await terminal.open();
    terminal.dispose();
    await tick();
    assert.equal(tty.destroyed, true);
    assert.equal(result.text(), '');
  });
});
