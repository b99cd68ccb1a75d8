import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { DockerEndpointError, EngineInputs, composeEngineEnv, describeDockerEndpoint, listDockerContexts, parseDockerHost, resolveDockerEndpoint, resolveEngine } from '../../src/docker/dockerEndpoint';

const HOME = '/home/ana';
const contextId = (name: string) => createHash('sha256').update(name).digest('hex');

/** A machine made of the given files (path -> text; '' for a socket or an empty file). */
function machine(files: Record<string, string>, env: Record<string, string> = {}, setting?: string): EngineInputs {
  return { setting, env, homeDir: HOME, platform: 'linux', readFile: (p) => files[p], exists: (p) => p in files };
}

function withContext(name: string, host: string, extra: Record<string, string> = {}, endpoint: Record<string, unknown> = {}): Record<string, string> {
  const meta = { Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: false, ...endpoint } } };
  return { [`${HOME}/.docker/contexts/meta/${contextId(name)}/meta.json`]: JSON.stringify(meta), ...extra };
}

describe('resolveEngine, in the docker CLI order', () => {
  it('uses the default socket on a machine with nothing configured, and says so', () => {
    assert.deepEqual(resolveEngine(machine({})), { endpoint: { kind: 'unix', socketPath: '/var/run/docker.sock' }, why: 'default socket' });
  });

  it('prefers the setting over DOCKER_HOST, and DOCKER_HOST over any context', () => {
    const files = { [`${HOME}/.docker/config.json`]: '{"currentContext":"remote"}', ...withContext('remote', 'tcp://10.0.0.9:2375') };
    const env = { DOCKER_HOST: 'unix:///run/env.sock', DOCKER_CONTEXT: 'remote' };
    assert.deepEqual(resolveEngine(machine(files, env, 'unix:///run/setting.sock')), { endpoint: { kind: 'unix', socketPath: '/run/setting.sock' }, why: 'setting wabaCluster.dockerHost' });
    assert.deepEqual(resolveEngine(machine(files, env)), { endpoint: { kind: 'unix', socketPath: '/run/env.sock' }, why: 'DOCKER_HOST' });
  });

  it('reads the current context of the docker config from the contexts meta store', () => {
    const files = { [`${HOME}/.docker/config.json`]: '{"auths":{},"currentContext":"desktop-linux"}', ...withContext('desktop-linux', `unix://${HOME}/.docker/desktop/docker.sock`) };
    assert.deepEqual(resolveEngine(machine(files)), { endpoint: { kind: 'unix', socketPath: `${HOME}/.docker/desktop/docker.sock` }, why: 'context `desktop-linux`', context: 'desktop-linux' });
  });

  it('lets DOCKER_CONTEXT win over currentContext, and DOCKER_CONFIG move the store', () => {
    const store = '/etc/dockercfg';
    const meta = (name: string, host: string) => ({ [`${store}/contexts/meta/${contextId(name)}/meta.json`]: JSON.stringify({ Name: name, Endpoints: { docker: { Host: host } } }) });
    const files = { [`${store}/config.json`]: '{"currentContext":"a"}', ...meta('a', 'unix:///a.sock'), ...meta('b', 'ssh://deploy@build-box:2222') };
    assert.deepEqual(resolveEngine(machine(files, { DOCKER_CONFIG: store })).endpoint, { kind: 'unix', socketPath: '/a.sock' });
    assert.deepEqual(resolveEngine(machine(files, { DOCKER_CONFIG: store, DOCKER_CONTEXT: 'b' })), { endpoint: { kind: 'ssh', host: 'build-box', port: 2222, user: 'deploy' }, why: 'context `b`', context: 'b' });
  });

  it("gives a tcp context its TLS material from the store's tls folder", () => {
    const tlsDir = `${HOME}/.docker/contexts/tls/${contextId('prod')}/docker`;
    const files = { [`${HOME}/.docker/config.json`]: '{"currentContext":"prod"}', ...withContext('prod', 'tcp://192.0.2.7:2376', { [`${tlsDir}/ca.pem`]: '', [`${tlsDir}/cert.pem`]: '', [`${tlsDir}/key.pem`]: '' }) };
    assert.deepEqual(resolveEngine(machine(files)).endpoint, { kind: 'tcp', host: '192.0.2.7', port: 2376, tls: { certDir: tlsDir } });
  });

  it('treats the context "default" as no context', () => {
    assert.equal(resolveEngine(machine({ [`${HOME}/.docker/config.json`]: '{"currentContext":"default"}' })).why, 'default socket');
  });

  it('falls back to the rootless socket, then Docker Desktop, only when they exist', () => {
    const rootless = machine({ '/run/user/1000/docker.sock': '', [`${HOME}/.docker/desktop/docker.sock`]: '' }, { XDG_RUNTIME_DIR: '/run/user/1000' });
    assert.deepEqual(resolveEngine(rootless), { endpoint: { kind: 'unix', socketPath: '/run/user/1000/docker.sock' }, why: 'rootless Docker socket' });
    const desktop = machine({ [`${HOME}/.docker/desktop/docker.sock`]: '' }, { XDG_RUNTIME_DIR: '/run/user/1000' });
    assert.deepEqual(resolveEngine(desktop), { endpoint: { kind: 'unix', socketPath: `${HOME}/.docker/desktop/docker.sock` }, why: 'Docker Desktop socket' });
    const mac = { ...machine({ [`${HOME}/.docker/run/docker.sock`]: '' }), platform: 'darwin' as const };
    assert.equal(resolveEngine(mac).why, 'Docker Desktop socket');
  });

  it('says what is wrong, and what to do, when the configuration names no usable engine', () => {
    const problem = (inputs: EngineInputs) => { const e = resolveEngine(inputs).endpoint; return e.kind === 'invalid' ? e.problem : `resolved to ${JSON.stringify(e)}`; };
    assert.match(problem(machine({}, { DOCKER_CONTEXT: 'gone' })), /Docker context "gone" \(DOCKER_CONTEXT\) does not exist .*docker context ls/);
    assert.match(problem(machine({ [`${HOME}/.docker/config.json`]: '{"currentContext":' })), /config\.json is not valid JSON/);
    assert.match(problem(machine(withContext('lax', 'tcp://192.0.2.7:2376', {}, { SkipTLSVerify: true }), { DOCKER_CONTEXT: 'lax' })), /skips TLS verification.*docker context update lax/);
    assert.match(problem(machine({}, {}, 'npipe:////./pipe/docker_engine')), /^the setting wabaCluster\.dockerHost "npipe:.*" is not supported/);
    assert.match(problem(machine({}, { DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS: '1' })), /without DOCKER_TLS_VERIFY/);
  });

  it('takes TLS for DOCKER_HOST from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH (default: the config folder)', () => {
    assert.deepEqual(resolveEngine(machine({}, { DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' })).endpoint, { kind: 'tcp', host: 'h', port: 2376, tls: { certDir: '/certs' } });
    assert.deepEqual(resolveEngine(machine({}, { DOCKER_HOST: 'tcp://h', DOCKER_TLS_VERIFY: '1' })).endpoint, { kind: 'tcp', host: 'h', port: 2376, tls: { certDir: `${HOME}/.docker` } });
    assert.deepEqual(resolveEngine(machine({}, { DOCKER_HOST: 'tcp://h' })).endpoint, { kind: 'tcp', host: 'h', port: 2375 });
  });
});

describe('the Docker context picked for this workspace', () => {
  const files: Record<string, string> = { [`${HOME}/.docker/config.json`]: '{"currentContext":"remote"}', ...withContext('remote', 'tcp://10.0.0.9:2375'), ...withContext('box', 'ssh://ana@box'), [`${HOME}/.docker/contexts/meta/junk/meta.json`]: 'not json' };
  const env = { DOCKER_HOST: 'unix:///run/env.sock', DOCKER_CONTEXT: 'remote' };
  it('wins over the setting, DOCKER_HOST, DOCKER_CONTEXT and the current context, and says why', () => {
    assert.deepEqual(resolveEngine({ ...machine(files, env, 'unix:///run/setting.sock'), workspaceContext: 'box' }), { endpoint: { kind: 'ssh', host: 'box', user: 'ana' }, why: 'context `box`, picked for this workspace', context: 'box' });
  });
  it('"default" is this machine\'s socket, whatever DOCKER_HOST says; no pick is the docker CLI\'s order', () => {
    assert.deepEqual(resolveEngine({ ...machine(files, env), workspaceContext: 'default' }), { endpoint: { kind: 'unix', socketPath: '/var/run/docker.sock' }, why: 'default socket' });
    assert.equal(resolveEngine({ ...machine(files, env), workspaceContext: undefined }).why, 'DOCKER_HOST');
  });
  it('a picked context that no longer exists names no engine, and says what to do', () => {
    const resolved = resolveEngine({ ...machine(files), workspaceContext: 'gone' });
    assert.equal(resolved.endpoint.kind, 'invalid');
    assert.match(resolved.endpoint.kind === 'invalid' ? resolved.endpoint.problem : '', /Docker context "gone" \(picked for this workspace\) does not exist/);
  });
  it('lists the contexts of the meta store by name (as docker context ls), skipping what is not a context', () => {
    const dirs = (path: string) => (path === `${HOME}/.docker/contexts/meta` ? [contextId('remote'), contextId('box'), 'junk'] : []);
    assert.deepEqual(listDockerContexts({ env: {}, homeDir: HOME, readDir: dirs, readFile: (p) => files[p] }), [{ name: 'box', host: 'ssh://ana@box' }, { name: 'remote', host: 'tcp://10.0.0.9:2375' }]);
  });
});

describe('parseDockerHost', () => {
  it('reads unix://, tcp:// and ssh:// hosts', () => {
    assert.deepEqual(parseDockerHost('unix:///run/user/1000/docker.sock'), { kind: 'unix', socketPath: '/run/user/1000/docker.sock' });
    assert.deepEqual(parseDockerHost('tcp://127.0.0.1:2375'), { kind: 'tcp', host: '127.0.0.1', port: 2375 });
    assert.deepEqual(parseDockerHost('tcp://[::1]:2375'), { kind: 'tcp', host: '::1', port: 2375 });
    assert.deepEqual(parseDockerHost('ssh://me@host'), { kind: 'ssh', host: 'host', user: 'me' });
  });
  it('refuses what the CLI refuses, naming the accepted forms', () => {
    assert.match((parseDockerHost('unix://relative.sock') as { problem: string }).problem, /absolute socket path/);
    assert.match((parseDockerHost('ssh://me@host/path') as { problem: string }).problem, /a path after the host is not allowed/);
    assert.throws(() => resolveDockerEndpoint('ftp://x'), (e: Error) => e instanceof DockerEndpointError && /unix:\/\/\/path/.test(e.message));
  });
  it('describes an endpoint the way DOCKER_HOST spells it', () => {
    for (const host of ['unix:///var/run/docker.sock', 'tcp://127.0.0.1:2375', 'tcp://[::1]:2376', 'ssh://me@host:2222']) assert.equal(describeDockerEndpoint(parseDockerHost(host)), host);
  });
});

describe('composeEngineEnv', () => {
  it("points compose at the extension's engine and switches off the user's context and TLS variables", () => {
    assert.deepEqual(composeEngineEnv({ kind: 'unix', socketPath: '/run/x.sock' }), { DOCKER_HOST: 'unix:///run/x.sock', DOCKER_CONTEXT: '', DOCKER_TLS: '', DOCKER_TLS_VERIFY: '', DOCKER_CERT_PATH: '' });
  });
  it('hands a TLS engine its certificate folder, verified', () => {
    const env = composeEngineEnv({ kind: 'tcp', host: '192.0.2.7', port: 2376, tls: { certDir: '/ctx/tls' } });
    assert.equal(env.DOCKER_HOST, 'tcp://192.0.2.7:2376');
    assert.equal(env.DOCKER_TLS_VERIFY, '1');
    assert.equal(env.DOCKER_CERT_PATH, '/ctx/tls');
  });
  it('refuses an invalid engine instead of letting compose pick another one', () => {
    assert.throws(() => composeEngineEnv({ kind: 'invalid', problem: 'DOCKER_CONTEXT "gone" does not exist' }), /gone/);
  });
});
