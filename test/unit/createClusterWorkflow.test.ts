import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterImages, planClusterFolder } from '../../src/create/clusterFolderPlan';
import { templatesIn, writeClusterFolder } from '../../src/create/clusterFolderWriter';
import { CreateClusterDeps, CreateClusterPrompter, CreateClusterWorkflow, OpenHow, PickItem } from '../../src/workflows/createClusterWorkflow';
import { imageRepositories, versionsOfLocalImages } from '../../src/create/localImages';

const templates = templatesIn(join(__dirname, '..', '..', 'emulator', 'compose'));

type Question =
  | { kind: 'folder'; title: string; defaultPath?: string }
  | { kind: 'input'; title: string; prompt: string; value?: string; validate(v: string): string | undefined }
  | { kind: 'pick'; title: string; placeholder: string; items: PickItem<unknown>[] }
  | { kind: 'confirm'; message: string; detail: string; action: string };

/** Answers the workflow's questions in order, like a user; records what was asked. */
class ScriptedPrompter implements CreateClusterPrompter {
  readonly asked: Question[] = [];
  constructor(private readonly answers: Array<(q: Question) => unknown>) {}
  private answer<T>(q: Question): Promise<T> {
    this.asked.push(q);
    const next = this.answers.shift();
    if (!next) throw new Error(`unexpected question: ${JSON.stringify(q)}`);
    return Promise.resolve(next(q) as T);
  }
  pickFolder(o: { title: string; defaultPath?: string }) { return this.answer<string | undefined>({ kind: 'folder', ...o }); }
  input(o: { title: string; prompt: string; value?: string; validate(v: string): string | undefined }) { return this.answer<string | undefined>({ kind: 'input', ...o }); }
  pick<T>(o: { title: string; placeholder: string; items: PickItem<T>[] }) { return this.answer<T | undefined>({ kind: 'pick', ...o } as Question); }
  confirm(o: { message: string; detail: string; action: string }) { return this.answer<boolean>({ kind: 'confirm', ...o }); }
}

/** Picks the item whose label matches, failing when the question offers none. */
const choose = (label: RegExp) => (q: Question) => {
  if (q.kind !== 'pick') throw new Error(`expected a pick, got ${q.kind}`);
  const item = q.items.find((i) => label.test(i.label));
  if (!item) throw new Error(`no item ${label} in ${q.items.map((i) => i.label).join(', ')}`);
  return item.value;
};
const type = (value: string) => (q: Question) => {
  if (q.kind !== 'input') throw new Error(`expected an input, got ${q.kind}`);
  const problem = q.validate(value);
  if (problem) throw new Error(`"${value}" refused: ${problem}`);
  return value;
};

function setup(answers: Array<(q: Question) => unknown>, extra: Partial<CreateClusterDeps> = {}) {
  const root = mkdtempSync(join(tmpdir(), 'waba-create-'));
  const prompter = new ScriptedPrompter(answers.map((a) => (q) => (a === PARENT ? root : a(q))));
  const opened: Array<[string, OpenHow]> = [];
  const local: Record<ClusterImages, string[]> = { meta: [], emulator: ['2.53.1', '2.51.2'] };
  const workflow = new CreateClusterWorkflow({
    prompter, templates, localImageVersions: async (images) => local[images], defaultParent: '/home/dev',
    hasWorkspaceFolder: () => false, openFolder: async (dir, how) => { opened.push([dir, how]); }, ...extra,
  });
  return { root, prompter, opened, workflow, done: () => rmSync(root, { recursive: true, force: true }) };
}
const PARENT = () => undefined;

describe('Create Cluster workflow', () => {
  it('MySQL on the emulator: local versions first, 3 coreapps by default, password explained, folder opened', async () => {
    const t = setup([PARENT, type('biz'), choose(/^MySQL/), choose(/^Emulator/), choose(/^2\.53\.1$/), choose(/^3$/), () => true]);
    try {
      const result = await t.workflow.run();
      assert.equal(result.created, true);
      const dir = join(t.root, 'biz');
      assert.deepEqual(t.opened, [[dir, 'open']]);
      assert.deepEqual(readdirSync(dir).sort(), ['.env', 'db.env', 'dbupgrade-compose.yml', 'docker-compose.dbupgrade.emulator.yml', 'docker-compose.emulator.yml', 'multiconnect-compose.yml']);
      assert.match(readFileSync(join(dir, '.env'), 'utf8'), /^WA_API_VERSION=2\.53\.1$/m);

      const [folder, , , , versions, coreapps, confirm] = t.prompter.asked;
      assert.equal(folder.kind === 'folder' && folder.defaultPath, '/home/dev');
      assert.ok(versions.kind === 'pick');
      assert.deepEqual(versions.items.map((i) => i.label), ['2.53.1', '2.51.2', 'Type a version…']);
      assert.ok(coreapps.kind === 'pick');
      assert.deepEqual(coreapps.items.map((i) => i.label), ['3', '5', '9', '17', '33', 'Other number…']);
      assert.match(coreapps.items[0].description ?? '', /2 shards \+ 1 standby/);
      assert.ok(confirm.kind === 'confirm');
      assert.match(confirm.message, /Create the cluster folder .*biz\?/);
      assert.match(confirm.detail, /MySQL · emulator images · WA_API_VERSION=2\.53\.1 · 3 coreapps · compose project biz/);
      assert.match(confirm.detail, /WA_DB_PASSWORD=testpass in db\.env, the same as MYSQL_ROOT_PASSWORD/);
      assert.match(confirm.detail, /\? \{ \} & ~ ! \( \) \^ =/);
    } finally { t.done(); }
  });

  it('PostgreSQL on Meta\'s images with no local images: the version is typed, 33 coreapps typed too; added to the open workspace', async () => {
    const t = setup([PARENT, type('wa-prod'), choose(/^PostgreSQL/), choose(/^Meta/), type('2.49.1'), choose(/^Other/), type('33'), () => true, choose(/Add to Workspace/)],
      { hasWorkspaceFolder: () => true });
    try {
      const result = await t.workflow.run();
      assert.ok(result.created);
      assert.deepEqual(result.plan.composeFiles, ['multiconnect-compose.yml', 'docker-compose.coreapps.yml']);
      assert.deepEqual(t.opened, [[join(t.root, 'wa-prod'), 'add']]);
      const versionQuestion = t.prompter.asked[4];
      assert.ok(versionQuestion.kind === 'input');
      assert.match(versionQuestion.prompt, /docker\.whatsapp\.biz\/web and docker\.whatsapp\.biz\/coreapp .*none of them is on this engine yet/);
      assert.match(versionQuestion.validate('2.49') ?? '', /2\.N\.M/);
      const count = t.prompter.asked[6];
      assert.ok(count.kind === 'input');
      assert.match(count.validate('34') ?? '', /3 to 33/);
      assert.match(count.validate('2') ?? '', /3 to 33/);
    } finally { t.done(); }
  });

  it('refuses a name that is already a cluster folder, in the prompt, before anything is written', async () => {
    let problem: string | undefined;
    const t = setup([PARENT, (q) => { problem = q.kind === 'input' ? q.validate('biz') : 'not an input'; return undefined; }]);
    try {
      writeClusterFolder(join(t.root, 'biz'), planClusterFolder({ folderName: 'biz', db: 'mysql', version: '2.53.1' }, templates).files);
      assert.deepEqual(await t.workflow.run(), { created: false });
      assert.match(problem ?? '', /biz is a cluster folder already: open it instead, or pick another name/);
    } finally { t.done(); }
  });

  it('an existing cluster folder given up front: refused with a clear message, nothing changed', async () => {
    const t = setup([]);
    try {
      const answers = { parent: t.root, name: 'biz', db: 'mysql', images: 'emulator', version: '2.53.1', coreapps: 3, confirmed: true, open: false } as const;
      assert.equal((await t.workflow.run(answers)).created, true);
      const envBefore = readFileSync(join(t.root, 'biz', '.env'), 'utf8');
      await assert.rejects(t.workflow.run({ ...answers, db: 'postgres' }), /refusing to overwrite existing file\(s\) of a cluster folder\. Nothing was written/);
      assert.equal(readFileSync(join(t.root, 'biz', '.env'), 'utf8'), envBefore);
      assert.deepEqual(t.opened, []);
    } finally { t.done(); }
  });

  for (const [step, answers] of [
    ['the folder dialog', []],
    ['the name', [PARENT]],
    ['the database', [PARENT, type('biz')]],
    ['the images', [PARENT, type('biz'), choose(/^MySQL/)]],
    ['the version', [PARENT, type('biz'), choose(/^MySQL/), choose(/^Emulator/)]],
    ['the coreapps', [PARENT, type('biz'), choose(/^MySQL/), choose(/^Emulator/), choose(/^2\.53\.1/)]],
    ['the confirmation', [PARENT, type('biz'), choose(/^MySQL/), choose(/^Emulator/), choose(/^2\.53\.1/), choose(/^3$/)]],
  ] as const) {
    it(`cancelled at ${step}: nothing is written or opened`, async () => {
      const t = setup([...answers, () => undefined]);
      try {
        assert.deepEqual(await t.workflow.run(), { created: false });
        assert.deepEqual(readdirSync(t.root), []);
        assert.deepEqual(t.opened, []);
      } finally { t.done(); }
    });
  }
});

describe('local image versions', () => {
  const refs = ['docker.whatsapp.biz/coreapp:v2.49.1', 'docker.whatsapp.biz/web:v2.49.1', 'docker.whatsapp.biz/coreapp:v2.53.1',
    'waba-create/coreapp:v2.51.2', 'waba-create/web:v2.51.2', 'waba-create/coreapp:v2.53.1', 'waba-create/web:v2.53.1', 'waba-create/web:latest', 'mysql:8.0.33'];
  it('offers versions with both the web and the coreapp image, newest first', () => {
    assert.deepEqual(versionsOfLocalImages(refs, imageRepositories('meta')), ['2.49.1']);
    assert.deepEqual(versionsOfLocalImages(refs, imageRepositories('emulator', 'waba-create')), ['2.53.1', '2.51.2']);
    assert.deepEqual(versionsOfLocalImages(refs, imageRepositories('emulator')), []);
  });
  it('names the repositories of each kind of image', () => {
    assert.deepEqual(imageRepositories('meta'), { web: 'docker.whatsapp.biz/web', coreapp: 'docker.whatsapp.biz/coreapp' });
    assert.deepEqual(imageRepositories('emulator'), { web: 'waba-emulator/web', coreapp: 'waba-emulator/coreapp' });
  });
});
