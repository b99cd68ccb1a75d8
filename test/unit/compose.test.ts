import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findClusterFolder } from '../../src/compose/clusterFolder';
import { ComposeMissingError, ComposeSettingError, Probe, checkComposeSetting, resolveComposeCli } from '../../src/compose/composeCli';
import { composeArgs, parseComposeCommand } from '../../src/compose/composeCommand';
import { publishedHostPorts, readComposeFiles, versionOfImage, versionedImage, versionedServices } from '../../src/compose/composeFiles';
import { parseDotenv } from '../../src/compose/dotenv';
import { interpolate } from '../../src/compose/interpolate';
import { composeProjectName } from '../../src/compose/projectName';

describe('composeProjectName', () => {
  const name = (flavor: 'v1' | 'v2', folderBasename: string, variables: Record<string, string> = {}, topLevelName?: string) =>
    composeProjectName(flavor, { folderBasename, variables, topLevelName });
  it('derives it from the folder name by each version\'s rules (measured with docker-compose 1.29 and compose 2.26)', () => {
    for (const flavor of ['v1', 'v2'] as const) {
      assert.equal(name(flavor, 'biz'), 'biz');
      assert.equal(name(flavor, 'My Biz.2'), 'mybiz2');
      assert.equal(name(flavor, 'UPPER_x-y'), 'upper_x-y');
    }
    assert.equal(name('v1', '_lead'), '_lead');
    assert.equal(name('v2', '_lead'), 'lead');
    assert.equal(name('v2', '-dash'), 'dash');
  });
  it('prefers COMPOSE_PROJECT_NAME; v1 normalizes it, v2 refuses an invalid one as compose does', () => {
    assert.equal(name('v1', 'biz', { COMPOSE_PROJECT_NAME: 'Caps.Env' }), 'capsenv');
    assert.throws(() => name('v2', 'biz', { COMPOSE_PROJECT_NAME: 'Caps.Env' }), /COMPOSE_PROJECT_NAME "Caps\.Env" is not a valid project name/);
    assert.equal(name('v2', 'biz', { COMPOSE_PROJECT_NAME: 'prod' }, 'ignored'), 'prod');
    assert.equal(name('v2', 'biz', { COMPOSE_PROJECT_NAME: '  ' }), 'biz');
  });
  it('takes the top-level name: under v2 only, interpolated and normalized', () => {
    assert.equal(name('v2', 'biz', {}, 'My-Named.Proj'), 'my-namedproj');
    assert.equal(name('v2', 'biz', { PN: 'fromenv' }, '${PN:-dflt}_x'), 'fromenv_x');
    assert.equal(name('v1', 'biz', {}, 'My-Named.Proj'), 'biz');
    assert.throws(() => name('v2', '___'), /empty compose project name/);
  });
});

describe('interpolate', () => {
  it('substitutes like compose', () => {
    const vars = { A: 'a', E: '' };
    assert.equal(interpolate('$A ${A} ${B:-b} ${E:-e} ${E-e} ${A:+alt} ${B+alt} $$A ${B:?need B}', vars), 'a a b e  alt  $A ');
    assert.equal(interpolate('img:v${WA_API_VERSION:?Run docker-compose with env var WA_API_VERSION (ex. WA_API_VERSION=2.41.2 docker-compose <command> <options>)}', { WA_API_VERSION: '2.53.1' }), 'img:v2.53.1');
  });
});

describe('checkComposeSetting and resolveComposeCli', () => {
  const answers = (table: Record<string, string | undefined>): Probe & { calls: string[] } => {
    const calls: string[] = [];
    const probe = async (file: string, args: string[]) => {
      const key = [file, ...args].join(' ');
      calls.push(key);
      const out = table[key];
      return out === undefined ? { ok: false as const, why: `${file} is not on PATH` } : { ok: true as const, stdout: out };
    };
    return Object.assign(probe, { calls });
  };
  it('accepts only the allowed values, whatever settings file they come from', () => {
    assert.equal(checkComposeSetting(undefined), 'auto');
    assert.equal(checkComposeSetting(' docker  compose '), 'docker compose');
    assert.throws(() => checkComposeSetting('/tmp/evil.sh'), ComposeSettingError);
    assert.throws(() => checkComposeSetting('docker compose; rm -rf ~'), /allowed are "auto", "docker compose", "docker-compose"/);
  });
  it('auto: the plugin when it answers, else docker-compose; the rules follow the version, not the name', async () => {
    const both = answers({ 'docker compose version --short': '2.26.1-4\n', 'docker-compose version --short': '1.29.2\n' });
    assert.deepEqual(await resolveComposeCli('auto', both), { file: 'docker', prefix: ['compose'], label: 'docker compose', version: '2.26.1-4', flavor: 'v2' });
    const v1Only = answers({ 'docker-compose version --short': '1.29.2\n' });
    assert.equal((await resolveComposeCli('auto', v1Only)).flavor, 'v1');
    assert.deepEqual(v1Only.calls, ['docker compose version --short', 'docker-compose version --short']);
    const standaloneV2 = answers({ 'docker-compose version --short': 'v2.24.0\n' });
    assert.equal((await resolveComposeCli('docker-compose', standaloneV2)).flavor, 'v2');
  });
  it('names every command it tried when none answers', async () => {
    const none = answers({});
    await assert.rejects(resolveComposeCli('auto', none), (e: Error) => e instanceof ComposeMissingError
      && /tried "docker compose" \(docker is not on PATH\) and "docker-compose" \(docker-compose is not on PATH\)/.test(e.message) && /Install Compose v2/.test(e.message));
  });
});

describe('composeArgs', () => {
  const v1 = parseComposeCommand('docker-compose');
  const v2 = { ...parseComposeCommand('docker compose'), project: 'biz' };
  const files = ['multiconnect-compose.yml'];
  it('builds the seed commands, with -p and -- before the service names', () => {
    assert.deepEqual([v1.file, ...composeArgs({ ...v1, project: 'biz' }, files, { verb: 'up', services: ['db', 'waweb'] })],
      ['docker-compose', '--ansi', 'never', '-p', 'biz', '-f', 'multiconnect-compose.yml', 'up', '-d', '--', 'db', 'waweb']);
    assert.deepEqual([v2.file, ...composeArgs(v2, files, { verb: 'down', removeVolumes: true })], ['docker', 'compose', '--ansi', 'never', '-p', 'biz', '-f', 'multiconnect-compose.yml', 'down', '-v']);
    assert.deepEqual(composeArgs(v1, ['a.yml', 'b.yml'], { verb: 'stop', services: ['wacore1'] }), ['--ansi', 'never', '-f', 'a.yml', '-f', 'b.yml', 'stop', '--', 'wacore1']);
    assert.deepEqual(composeArgs(v1, files, { verb: 'logs' }), ['--ansi', 'never', '-f', 'multiconnect-compose.yml', 'logs', '--no-color']);
    assert.deepEqual(composeArgs(v1, files, { verb: 'services' }), ['--ansi', 'never', '-f', 'multiconnect-compose.yml', 'config', '--services']);
  });
  it('stops, starts and restarts the whole project without removing anything; recreates one or several nodes', () => {
    const tail = (action: Parameters<typeof composeArgs>[2]) => composeArgs(v2, files, action).slice(7);
    assert.deepEqual(tail({ verb: 'stop' }), ['stop']);
    assert.deepEqual(tail({ verb: 'start' }), ['start']);
    assert.deepEqual(tail({ verb: 'restart' }), ['restart']);
    assert.deepEqual(tail({ verb: 'start', services: ['wacore1', 'wacore2'] }), ['start', '--', 'wacore1', 'wacore2']);
    assert.deepEqual(tail({ verb: 'up', forceRecreate: true, services: ['wacore1', 'wacore2'] }), ['up', '-d', '--force-recreate', '--', 'wacore1', 'wacore2']);
    assert.deepEqual(tail({ verb: 'up', forceRecreate: true }), ['up', '-d', '--force-recreate']);
  });
  it('refuses a service name that starts with "-"', () => {
    assert.throws(() => composeArgs(v2, files, { verb: 'kill', services: ['--rmi=all'] }), /"--rmi=all" is not a service name/);
    assert.throws(() => composeArgs(v2, files, { verb: 'up', services: ['-d'] }), /not a service name/);
  });
});

describe('parseDotenv', () => {
  it('reads KEY=VALUE lines, skips comments and blank lines, unquotes', () => {
    const env = parseDotenv('# cluster\nWA_API_VERSION=2.53.1\n\nCOMPOSE_FILE="multiconnect-compose.yml:docker-compose.emulator.yml"\nBAD LINE\nX=\'a=b\'\r\n');
    assert.deepEqual(env, { WA_API_VERSION: '2.53.1', COMPOSE_FILE: 'multiconnect-compose.yml:docker-compose.emulator.yml', X: 'a=b' });
  });
});

describe('findClusterFolder and the compose files', () => {
  const withFolder = (files: Record<string, string>, body: (dir: string) => void) => {
    const dir = mkdtempSync(join(tmpdir(), 'Biz '));
    try {
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
      body(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const meta = [
    "version: '3'",
    'services:',
    '  db:', '    image: mysql:8.0.33', '    ports:', '        - "33060:3306"',
    '  waweb:', '    image: docker.whatsapp.biz/web:v${WA_API_VERSION:?Run docker-compose with env var WA_API_VERSION (ex. WA_API_VERSION=2.41.2 docker-compose <command> <options>)}',
    '    ports:', '     - "9090:443"',
    '  master1:', '    image: docker.whatsapp.biz/coreapp:v${WA_API_VERSION:?x}', '    ports:', '      - "6250-6253"', '',
  ].join('\n');
  const override = "version: '3'\nservices:\n  waweb:\n    image: ${NS:-waba-emulator}/web:v${WA_API_VERSION}\n    ports:\n      - target: 8443\n        published: 9443\n";

  it('takes the compose files from COMPOSE_FILE in .env, else multiconnect-compose.yml; the shell wins over .env', () => {
    withFolder({ 'multiconnect-compose.yml': meta }, (dir) => {
      assert.deepEqual(findClusterFolder([dir], {})?.composeFiles, ['multiconnect-compose.yml']);
      writeFileSync(join(dir, 'override.yml'), override);
      writeFileSync(join(dir, '.env'), 'COMPOSE_FILE=multiconnect-compose.yml:override.yml\nCOMPOSE_PROJECT_NAME=demo\nWA_API_VERSION=2.51.2\n');
      const folder = findClusterFolder(['/nonexistent', dir], {})!;
      assert.deepEqual(folder.composeFiles, ['multiconnect-compose.yml', 'override.yml']);
      assert.equal(folder.project, 'demo');
      assert.deepEqual([folder.apiVersion, folder.apiVersionFrom], ['2.51.2', '.env']);
      const shell = findClusterFolder([dir], { COMPOSE_PROJECT_NAME: 'shell', WA_API_VERSION: '2.53.1' })!;
      assert.deepEqual([shell.project, shell.apiVersion, shell.apiVersionFrom], ['shell', '2.53.1', 'environment']);
    });
  });
  it('keeps a best guess and the reason when v2 would refuse the project name', () => {
    withFolder({ 'multiconnect-compose.yml': meta, '.env': 'COMPOSE_PROJECT_NAME=Prod\n' }, (dir) => {
      const v2 = findClusterFolder([dir], {}, 'v2')!;
      assert.equal(v2.project, 'prod');
      assert.match(v2.projectProblem ?? '', /not a valid project name for Docker Compose v2/);
      assert.equal(findClusterFolder([dir], {}, 'v1')!.projectProblem, undefined);
    });
  });
  it('reads versioned services, their image patterns and the fixed published ports', () => {
    withFolder({ 'multiconnect-compose.yml': meta, 'override.yml': override }, (dir) => {
      const model = readComposeFiles(dir, ['multiconnect-compose.yml', 'override.yml', 'missing.yml']);
      assert.deepEqual(model.unreadable, ['missing.yml']);
      assert.deepEqual(versionedServices(model).map((s) => s.name), ['waweb', 'master1']);
      assert.deepEqual(publishedHostPorts(model, {}).map((p) => `${p.service}:${p.port}`), ['db:33060', 'waweb:9090', 'waweb:9443']);
      const pattern = versionedImage(versionedServices(model)[0].image!, { NS: 'waba-ext' })!;
      assert.equal(pattern.repository, 'waba-ext/web');
      assert.equal(versionOfImage('waba-ext/web:v2.51.2', pattern), '2.51.2');
      assert.equal(versionOfImage('waba-ext/coreapp:v2.51.2', pattern), undefined);
      assert.equal(versionOfImage('mysql:8.0.33', pattern), undefined);
    });
  });
});
