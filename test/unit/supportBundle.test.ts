import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Diagnosis } from '../../src/diagnose/checks';
import { bundleEntries, maskSecrets, MASK } from '../../src/diagnose/supportBundle';
import { zip } from '../../src/diagnose/zip';
import type { ContainerInspect } from '../../src/docker/dockerClient';

const inspect = (name: string, env: string[]): ContainerInspect => ({
  Id: `${name}-id`, Name: `/${name}`, Config: { Image: 'img', Env: env, Cmd: ['--password=Sup3r-Secret'] }, State: { Status: 'running' },
});

/** Reads a zip with Python's zipfile: an implementation independent of ours. */
function unzip(buffer: Buffer): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'waba-zip-'));
  try {
    writeFileSync(join(dir, 'b.zip'), buffer);
    const out = execFileSync('python3', ['-c', 'import zipfile,json,sys; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(json.dumps({n: z.read(n).decode() for n in z.namelist()}))', join(dir, 'b.zip')], { encoding: 'utf8' });
    return JSON.parse(out) as Record<string, string>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the support bundle', () => {
  const diagnosis: Diagnosis = { at: '2026-11-28T12:00:00.000Z', counts: { ok: 1, warning: 0, problem: 0, skipped: 0 }, results: [] };
  const inspects = [
    inspect('biz_db_1', ['MYSQL_ROOT_PASSWORD=testpass', 'MYSQL_USER=testuser']),
    inspect('biz_wacore1_1', ['WA_DB_PASSWORD=testpass', 'WA_DB_USERNAME=root', 'WA_API_KEY=Api-Key-0123456789', 'COREAPP_HOSTNAME=wacore1', 'X_SECRET=Sup3r-Secret']),
  ];
  const entries = bundleEntries({
    at: new Date('2026-11-28T12:00:00Z'), windowMinutes: 180, folder: '/home/ana/biz', project: 'biz', inspects,
    logs: new Map([['biz_wacore1_1', ['2026-11-28T11:59:00.000000000Z connecting as root with testpass', '2026-11-28T11:59:01.000000000Z ok']]]),
    answers: { health: { health: {} }, support: { support: {} }, settings: { settings: { application: { webhooks: { url: 'https://hook:Hook-Pass-1@hooks.example/wa' } } } } },
    diagnosis, extraSecrets: ['Admin-Passw0rd!'],
  });

  it('holds the logs, inspect of every container, health, support, settings, the diagnosis and a README', () => {
    const files = unzip(zip(entries));
    assert.deepEqual(Object.keys(files).sort(), ['README.txt', 'diagnosis.json', 'health.json', 'inspect/biz_db_1.json', 'inspect/biz_wacore1_1.json', 'logs/biz_wacore1_1.log', 'settings.json', 'support.json']);
    assert.match(files['logs/biz_wacore1_1.log'], /^2026-11-28T11:59:00\.000000000Z connecting as root with \*{8}\n.* ok\n$/);
    assert.match(files['README.txt'], /last 180 minutes/);
    assert.deepEqual(JSON.parse(files['diagnosis.json']), diagnosis);
  });

  it('masks every password, key and secret in every file, keeping the variable names', () => {
    const files = unzip(zip(entries));
    const all = Object.values(files).join('\n');
    for (const secret of ['testpass', 'Api-Key-0123456789', 'Sup3r-Secret', 'Hook-Pass-1']) assert.ok(!all.includes(secret), `${secret} leaked`);
    const wacore = JSON.parse(files['inspect/biz_wacore1_1.json']) as ContainerInspect;
    assert.deepEqual(wacore.Config.Env, [`WA_DB_PASSWORD=${MASK}`, 'WA_DB_USERNAME=root', `WA_API_KEY=${MASK}`, 'COREAPP_HOSTNAME=wacore1', `X_SECRET=${MASK}`]);
    assert.deepEqual(wacore.Config.Cmd, [`--password=${MASK}`]);
    assert.match(files['settings.json'], /https:\/\/hook:\*{8}@hooks\.example\/wa/);
  });

  it('masks a secret inside a longer one as a whole', () => {
    assert.equal(maskSecrets('a=abcdef b=abcd', ['abcdef', 'abcd']), `a=${MASK} b=${MASK}`);
  });
});
