import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findClusterFolder } from '../../src/compose/clusterFolder';
import { composeArgs, parseComposeCommand } from '../../src/compose/composeCommand';
import { parseDotenv } from '../../src/compose/dotenv';
import { composeProjectName } from '../../src/compose/projectName';

describe('composeProjectName', () => {
  it('derives the project from the folder name like docker-compose v1 (biz -> biz_db_1)', () => {
    assert.equal(composeProjectName('biz'), 'biz');
    assert.equal(composeProjectName('My Cluster.2'), 'mycluster2');
    assert.equal(composeProjectName('wa_ent-1'), 'wa_ent-1');
  });
  it('prefers COMPOSE_PROJECT_NAME', () => {
    assert.equal(composeProjectName('biz', { COMPOSE_PROJECT_NAME: 'Prod' }), 'prod');
    assert.equal(composeProjectName('biz', { COMPOSE_PROJECT_NAME: '  ' }), 'biz');
  });
});

describe('parseDotenv', () => {
  it('reads KEY=VALUE lines, skips comments and blank lines, unquotes', () => {
    const env = parseDotenv('# cluster\nWA_API_VERSION=2.53.1\n\nCOMPOSE_FILE="multiconnect-compose.yml:docker-compose.emulator.yml"\nBAD LINE\nX=\'a=b\'\r\n');
    assert.deepEqual(env, { WA_API_VERSION: '2.53.1', COMPOSE_FILE: 'multiconnect-compose.yml:docker-compose.emulator.yml', X: 'a=b' });
  });
});

describe('composeArgs', () => {
  const v1 = parseComposeCommand('docker-compose');
  const v2 = parseComposeCommand('docker compose');
  it('builds the seed commands for the v1 binary and the v2 plugin', () => {
    const files = ['multiconnect-compose.yml'];
    assert.deepEqual([v1.file, ...composeArgs(v1, files, { verb: 'up', services: ['db', 'waweb', 'master1', 'master2', 'wacore1', 'wacore2'] })],
      ['docker-compose', '-f', 'multiconnect-compose.yml', 'up', '-d', 'db', 'waweb', 'master1', 'master2', 'wacore1', 'wacore2']);
    assert.deepEqual([v2.file, ...composeArgs(v2, files, { verb: 'down', removeVolumes: true })], ['docker', 'compose', '-f', 'multiconnect-compose.yml', 'down', '-v']);
    assert.deepEqual(composeArgs(v1, files, { verb: 'down', removeVolumes: false }), ['-f', 'multiconnect-compose.yml', 'down']);
    assert.deepEqual(composeArgs(v1, ['a.yml', 'b.yml'], { verb: 'stop', services: ['wacore1'] }), ['-f', 'a.yml', '-f', 'b.yml', 'stop', 'wacore1']);
  });
  it('builds the per-service and troubleshooting commands of the guide', () => {
    const files = ['multiconnect-compose.yml'];
    assert.deepEqual(composeArgs(v1, files, { verb: 'up', services: ['wacore3'] }), ['-f', 'multiconnect-compose.yml', 'up', '-d', 'wacore3']);
    assert.deepEqual(composeArgs(v1, files, { verb: 'logs' }), ['-f', 'multiconnect-compose.yml', 'logs', '--no-color']);
    assert.deepEqual(composeArgs(v1, files, { verb: 'kill', services: ['wacore1'] }), ['-f', 'multiconnect-compose.yml', 'kill', 'wacore1']);
    assert.deepEqual(composeArgs(v1, files, { verb: 'services' }), ['-f', 'multiconnect-compose.yml', 'config', '--services']);
  });
  it('falls back to docker-compose for an empty setting', () => {
    assert.deepEqual(parseComposeCommand(''), { file: 'docker-compose', prefix: [] });
  });
});

describe('findClusterFolder', () => {
  it('takes the compose files from COMPOSE_FILE in .env, else multiconnect-compose.yml', () => {
    const dir = mkdtempSync(join(tmpdir(), 'Biz '));
    try {
      writeFileSync(join(dir, 'multiconnect-compose.yml'), "version: '3'\n");
      assert.deepEqual(findClusterFolder([dir], {})?.composeFiles, ['multiconnect-compose.yml']);
      writeFileSync(join(dir, '.env'), 'COMPOSE_FILE=multiconnect-compose.yml:docker-compose.emulator.yml\nCOMPOSE_PROJECT_NAME=Demo\n');
      const folder = findClusterFolder(['/nonexistent', dir], {});
      assert.deepEqual(folder?.composeFiles, ['multiconnect-compose.yml', 'docker-compose.emulator.yml']);
      assert.equal(folder?.project, 'demo');
      assert.equal(findClusterFolder([dir], { COMPOSE_PROJECT_NAME: 'shell' })?.project, 'shell');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
