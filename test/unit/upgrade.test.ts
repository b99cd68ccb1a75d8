// The upgrade workflow with fakes of its ports: the folder's files in memory, a compose and an
// engine that record what ran and re-create containers, a health source the test drives.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { HealthState } from '../../src/cluster/healthPoller';
import { parseHealth, summarizeHealth } from '../../src/cluster/clusterHealth';
import type { GatewayStatus } from '../../src/contract';
import { UpgradeWorkflow, type UpgradeChoice, type UpgradePorts, type UpgradeProgress, type UpgradeResumePoint } from '../../src/workflows/upgradeWorkflow';

const DOTENV = '# the cluster\nWA_API_VERSION=2.51.2\nCOMPOSE_FILE=multiconnect-compose.yml:docker-compose.emulator.yml\n';
const SERVICES = ['db', 'waweb', 'master1', 'master2', 'wacore1', 'wacore2'];

const healthOn = (version: string, status: GatewayStatus): HealthState => {
  const nodes = parseHealth({ health: { 'master1:a': { role: 'primary_master', gateway_status: status }, 'wacore1:b': { role: 'coreapp', gateway_status: status } }, meta: { version: `v${version}` } });
  return { kind: 'ok', nodes, summary: summarizeHealth(nodes), version: `v${version}`, at: new Date() };
};

/** A compose project: containers with ids; `up` re-creates those whose version changed. */
class FakeCluster {
  dotenv = DOTENV;
  dbEngine = 'MYSQL';
  jobFiles = ['dbupgrade-compose.yml', 'docker-compose.dbupgrade.emulator.yml'];
  containers = SERVICES.map((service) => ({ id: `${service}-1`, service }));
  readonly ran: string[] = [];
  /** Exit code of the next `up -d` of the cluster, and whether it re-creates containers before failing. */
  upExit = 0;
  upRecreates = true;
  /** 'engineRestart': the engine restarts while the job runs (the wait breaks, the event stream is lost). */
  jobExit: number | 'hang' | 'engineRestart' = 0;
  /** The engine stops before the next `up -d` of the cluster (compose cannot connect). */
  engineDownAtUp = false;
  engineAnswering = true;
  readonly lostListeners = new Set<() => void>();
  resumePoint: UpgradeResumePoint | undefined;
  removed: string[] = [];
  private generation = 1;
  readonly healthListeners = new Set<(s: HealthState) => void>();
  healthState: HealthState = healthOn('2.51.2', 'connected');
  /** What health reports once the containers run the new version. */
  afterUp: GatewayStatus = 'connected';

  /** The engine's event stream breaks (it stops or restarts). */
  loseEngine(): void {
    for (const l of [...this.lostListeners]) l();
  }

  setHealth(state: HealthState): void {
    this.healthState = state;
    for (const l of this.healthListeners) l(state);
  }

  ports(overrides: Partial<UpgradePorts> = {}): UpgradePorts {
    return {
      folder: {
        readDotenv: () => this.dotenv,
        writeDotenv: (text) => { this.ran.push('write .env'); this.dotenv = text; },
        dbEngine: () => this.dbEngine,
        dbUpgradeFiles: () => this.jobFiles,
      },
      compose: {
        up: async ({ files, services, version }) => {
          if (services?.includes('dbupgrade')) {
            this.ran.push(`up dbupgrade with ${files?.join('+')} WA_API_VERSION=${version}`);
            this.containers.push({ id: 'job-1', service: 'dbupgrade' });
            return { exitCode: 0, lastLines: [] };
          }
          this.ran.push(`up -d${version ? ` WA_API_VERSION=${version}` : ''}`);
          if (this.engineDownAtUp) {
            this.engineAnswering = false;
            this.loseEngine();
            return { exitCode: 1, lastLines: ['Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?'] };
          }
          if (this.upRecreates) {
            this.generation++;
            const recreate = this.upExit === 0 ? this.containers : this.containers.slice(0, 2);
            for (const c of recreate) c.id = `${c.service}-${this.generation}`;
          }
          if (this.upExit === 0) setImmediate(() => this.setHealth(healthOn(/WA_API_VERSION=(\S+)/.exec(this.dotenv)![1], this.afterUp)));
          return { exitCode: this.upExit, lastLines: this.upExit ? ['ERROR: manifest for docker.whatsapp.biz/web:v2.53.1 not found'] : [] };
        },
      },
      containers: {
        list: async () => this.containers.map((c) => ({ ...c })),
        waitForExit: (id, { signal }) => new Promise<number>((resolve, reject) => {
          this.ran.push(`wait ${id}`);
          if (this.jobExit === 'engineRestart') {
            this.loseEngine();
            return reject(new Error('socket hang up'));
          }
          if (this.jobExit !== 'hang') return resolve(this.jobExit);
          signal.addEventListener('abort', () => reject(new Error('aborted')));
        }),
        remove: async (id) => { this.ran.push(`remove ${id}`); this.removed.push(id); this.containers = this.containers.filter((c) => c.id !== id); },
      },
      health: {
        get state() { return cluster.healthState; },
        onDidChange: (l) => { this.healthListeners.add(l); return { dispose: () => this.healthListeners.delete(l) }; },
        poll: async () => this.healthState,
      },
      engine: {
        answering: async () => this.engineAnswering,
        onLost: (l) => { this.lostListeners.add(l); return { dispose: () => this.lostListeners.delete(l) }; },
      },
      resumePoint: { get: () => this.resumePoint, set: (point) => { this.resumePoint = point; } },
      backUp: async () => { this.ran.push('backup'); return '/biz/waba-settings-backup.txt'; },
      environment: {},
      healthTimeoutMs: 2_000,
      ...overrides,
    };
  }
}

let cluster: FakeCluster;

const prompter = (version: string | undefined, choice: UpgradeChoice = 'upgrade', resume: 'continue' | 'discard' | 'cancel' = 'continue') => ({
  asked: [] as string[],
  async resume(point: UpgradeResumePoint) { this.asked.push(`resume ${point.to} at ${point.step}`); return resume === 'cancel' ? undefined : resume; },
  async version(_from: string | undefined, problem: (v: string) => string | undefined) { this.asked.push(`version (${version && problem(version) ? 'refused' : 'ok'})`); return version; },
  async confirm(plan: { runDbUpgradeJob: boolean; steps: string[] }) { this.asked.push(`confirm ${plan.runDbUpgradeJob ? 'job' : 'basic'} path`); return choice; },
});

function progress(): UpgradeProgress & { steps: string[]; abort(): void } {
  const controller = new AbortController();
  const steps: string[] = [];
  return { steps, signal: controller.signal, step: (m) => steps.push(m), abort: () => controller.abort() };
}

describe('UpgradeWorkflow', () => {
  beforeEach(() => { cluster = new FakeCluster(); });

  it('MySQL from 2.23 with the job files: the DB upgrade job first, then .env and up -d; waits until every node reports the version', async () => {
    const p = progress();
    const result = await new UpgradeWorkflow(cluster.ports()).run(prompter('2.53.1'), p);
    assert.deepEqual(result, { kind: 'upgraded', to: '2.53.1', health: 'confirmed' });
    assert.deepEqual(cluster.ran, [
      'up dbupgrade with dbupgrade-compose.yml+docker-compose.dbupgrade.emulator.yml WA_API_VERSION=2.53.1', 'wait job-1', 'remove job-1',
      'write .env', 'up -d',
    ]);
    assert.equal(cluster.dotenv, DOTENV.replace('2.51.2', '2.53.1'), 'only the WA_API_VERSION line changed');
    assert.ok(p.steps.some((s) => /DB upgrade job finished/.test(s)) && p.steps.some((s) => /Waiting for every node to report 2\.53\.1/.test(s)), p.steps.join('\n'));
  });

  it("Postgres, or MySQL without the job's files: the guide's basic path", async () => {
    for (const setup of [() => { cluster.dbEngine = 'PGSQL'; }, () => { cluster.jobFiles = []; }]) {
      cluster = new FakeCluster();
      setup();
      const ask = prompter('2.53.1');
      const result = await new UpgradeWorkflow(cluster.ports()).run(ask, progress());
      assert.equal(result.kind, 'upgraded');
      assert.deepEqual(ask.asked, ['version (ok)', 'confirm basic path']);
      assert.deepEqual(cluster.ran, ['write .env', 'up -d']);
    }
  });

  it('backs up the settings first when asked, before anything changes; a declined backup changes nothing', async () => {
    await new UpgradeWorkflow(cluster.ports()).run(prompter('2.53.1', 'backUpFirst'), progress());
    assert.equal(cluster.ran[0], 'backup');
    cluster = new FakeCluster();
    const result = await new UpgradeWorkflow(cluster.ports({ backUp: async () => undefined })).run(prompter('2.53.1', 'backUpFirst'), progress());
    assert.deepEqual(result, { kind: 'declined' });
    assert.deepEqual(cluster.ran, []);
    assert.equal(cluster.dotenv, DOTENV);
  });

  it('a failed backup stops the upgrade with its reason', async () => {
    const failing = cluster.ports({ backUp: async () => { throw new Error('/v1/settings/backup failed with 1005 Access denied'); } });
    await assert.rejects(new UpgradeWorkflow(failing).run(prompter('2.53.1', 'backUpFirst'), progress()), /1005 Access denied/);
    assert.deepEqual(cluster.ran, []);
  });

  it('up -d failing before it re-created anything puts .env back as it was', async () => {
    cluster.dbEngine = 'PGSQL';
    cluster.upExit = 1;
    cluster.upRecreates = false;
    await assert.rejects(new UpgradeWorkflow(cluster.ports()).run(prompter('2.53.1'), progress()),
      /failed before re-creating any container \(exit 1\): ERROR: manifest .* not found\. \.env is back at 2\.51\.2; the cluster still runs 2\.51\.2/);
    assert.equal(cluster.dotenv, DOTENV, '.env byte for byte as before');
  });

  it('up -d failing after re-creating containers keeps .env at the new version and names them', async () => {
    cluster.dbEngine = 'PGSQL';
    cluster.upExit = 1;
    await assert.rejects(new UpgradeWorkflow(cluster.ports()).run(prompter('2.53.1'), progress()),
      /failed \(exit 1\) after re-creating db, waweb: .*\.env says 2\.53\.1 .*run Start Cluster/);
    assert.match(cluster.dotenv, /^WA_API_VERSION=2\.53\.1$/m);
  });

  it('a failed DB upgrade job leaves .env and the running cluster alone', async () => {
    cluster.jobExit = 3;
    await assert.rejects(new UpgradeWorkflow(cluster.ports()).run(prompter('2.53.1'), progress()), /exited with 3\. The cluster still runs 2\.51\.2 and \.env is unchanged/);
    assert.deepEqual(cluster.ran.filter((r) => r === 'write .env' || r === 'up -d'), []);
    assert.equal(cluster.dotenv, DOTENV);
  });

  it('cancelling during the DB upgrade job removes the job and changes nothing', async () => {
    cluster.jobExit = 'hang';
    const p = progress();
    const run = new UpgradeWorkflow(cluster.ports()).run(prompter('2.53.1'), p);
    setTimeout(() => p.abort(), 20);
    await assert.rejects(run, /was cancelled; it was removed\. The cluster still runs 2\.51\.2/);
    assert.deepEqual(cluster.removed, ['job-1']);
    assert.equal(cluster.dotenv, DOTENV);
  });

  it('refuses before asking anything when WA_API_VERSION is exported (it would override .env)', async () => {
    const ask = prompter('2.53.1');
    await assert.rejects(new UpgradeWorkflow(cluster.ports({ environment: { WA_API_VERSION: '2.51.2' } })).run(ask, progress()), /exported in VS Code's environment/);
    assert.deepEqual(ask.asked, []);
  });

  it('refuses a downgrade and the same version', async () => {
    await assert.rejects(new UpgradeWorkflow(cluster.ports()).run(prompter('2.49.0'), progress()), /older than 2\.51\.2/);
    await assert.rejects(new UpgradeWorkflow(cluster.ports()).run(prompter('2.51.2'), progress()), /already runs 2\.51\.2/);
    assert.deepEqual(cluster.ran, []);
  });

  it('fails with what health shows when nodes stay uninitialized past the time limit', async () => {
    cluster.dbEngine = 'PGSQL';
    cluster.afterUp = 'uninitialized';
    await assert.rejects(new UpgradeWorkflow(cluster.ports({ healthTimeoutMs: 200 })).run(prompter('2.53.1'), progress()),
      /The containers run 2\.53\.1, but after 0 s health still says: 2 node\(s\) uninitialized on 2\.53\.1: master1:a, wacore1:b/);
  });

  it('without a session, reports the containers upgraded and says to connect to see health', async () => {
    cluster.healthState = { kind: 'signedOut' };
    cluster.dbEngine = 'PGSQL';
    const p = progress();
    assert.deepEqual(await new UpgradeWorkflow(cluster.ports()).run(prompter('2.53.1'), p), { kind: 'upgraded', to: '2.53.1', health: 'notConnected' });
    assert.match(p.steps.at(-1)!, /connect to the webapp/);
  });

  describe('the Docker engine restarted by its service manager mid-upgrade', () => {
    it('during the DB upgrade job: stops saying where, .env and the cluster untouched; the next run continues with the job', async () => {
      cluster.jobExit = 'engineRestart';
      await assert.rejects(new UpgradeWorkflow(cluster.ports()).run(prompter('2.53.1'), progress()),
        /^Error: The upgrade to 2\.53\.1 stopped at step 1 of 3 \(the DB upgrade job\): the Docker engine stopped or restarted \(the wait for the job broke: socket hang up\)\. The cluster still runs 2\.51\.2 and \.env is unchanged\. Once Docker answers again .*run Upgrade Cluster: it continues from this step\.$/);
      assert.equal(cluster.dotenv, DOTENV);
      assert.deepEqual(cluster.removed, [], 'the job is not removed while the engine is away');
      assert.deepEqual(cluster.resumePoint, { from: '2.51.2', to: '2.53.1', step: 'job' });
      assert.equal(cluster.lostListeners.size, 0, 'no listener left on the engine');

      cluster.jobExit = 0;
      cluster.ran.length = 0;
      const ask = prompter(undefined);
      const result = await new UpgradeWorkflow(cluster.ports()).run(ask, progress());
      assert.deepEqual(result, { kind: 'upgraded', to: '2.53.1', health: 'confirmed' });
      assert.deepEqual(ask.asked, ['resume 2.53.1 at job'], 'nothing asked again but whether to continue');
      assert.deepEqual(cluster.ran, ['up dbupgrade with dbupgrade-compose.yml+docker-compose.dbupgrade.emulator.yml WA_API_VERSION=2.53.1', 'wait job-1', 'remove job-1', 'write .env', 'up -d']);
      assert.equal(cluster.dotenv, DOTENV.replace('2.51.2', '2.53.1'));
      assert.equal(cluster.resumePoint, undefined, 'finished: nothing left to continue');
    });

    it('during up -d: stops at step 2 with .env at the new version; the next run re-runs up -d (the same version is not refused) and waits for health', async () => {
      cluster.dbEngine = 'PGSQL';
      cluster.engineDownAtUp = true;
      cluster.upRecreates = false;
      await assert.rejects(new UpgradeWorkflow(cluster.ports()).run(prompter('2.53.1'), progress()),
        /stopped at step 1 of 2 \(up -d on 2\.53\.1\): the Docker engine stopped or restarted \(Cannot connect to the Docker daemon.*\)\. \.env says 2\.53\.1; containers may run either version\./);
      assert.match(cluster.dotenv, /^WA_API_VERSION=2\.53\.1$/m, '.env is not put back: the engine, not compose, failed');
      assert.deepEqual(cluster.resumePoint, { from: '2.51.2', to: '2.53.1', step: 'recreate' });

      Object.assign(cluster, { engineDownAtUp: false, engineAnswering: true, upRecreates: true });
      cluster.ran.length = 0;
      const p = progress();
      assert.deepEqual(await new UpgradeWorkflow(cluster.ports()).run(prompter(undefined), p), { kind: 'upgraded', to: '2.53.1', health: 'confirmed' });
      assert.deepEqual(cluster.ran, ['write .env', 'up -d']);
      assert.equal(cluster.dotenv, DOTENV.replace('2.51.2', '2.53.1'));
      assert.equal(cluster.resumePoint, undefined);
    });

    it('a continued up -d that compose refuses before re-creating anything puts .env back at the version before the upgrade', async () => {
      cluster.dbEngine = 'PGSQL';
      cluster.dotenv = DOTENV.replace('2.51.2', '2.53.1'); // the stopped run had written it
      cluster.resumePoint = { from: '2.51.2', to: '2.53.1', step: 'recreate' };
      cluster.upExit = 1;
      cluster.upRecreates = false;
      await assert.rejects(new UpgradeWorkflow(cluster.ports()).run(prompter(undefined), progress()), /\.env is back at 2\.51\.2/);
      assert.equal(cluster.dotenv, DOTENV);
      assert.equal(cluster.resumePoint, undefined, 'a failure of compose itself ends the upgrade (nothing to continue)');
    });

    it('while waiting for the nodes: stops at the last step; the next run only waits for health', async () => {
      cluster.dbEngine = 'PGSQL';
      cluster.afterUp = 'uninitialized';
      const run = new UpgradeWorkflow(cluster.ports()).run(prompter('2.53.1'), progress());
      setTimeout(() => cluster.loseEngine(), 30);
      await assert.rejects(run, /stopped at step 2 of 2 \(waiting for every node to report 2\.53\.1\): the Docker engine stopped or restarted \(its event stream broke\)\. The containers were re-created on 2\.53\.1\./);
      assert.deepEqual(cluster.resumePoint, { from: '2.51.2', to: '2.53.1', step: 'health' });

      cluster.ran.length = 0;
      const p = progress();
      const again = new UpgradeWorkflow(cluster.ports()).run(prompter(undefined), p);
      setTimeout(() => cluster.setHealth(healthOn('2.53.1', 'connected')), 30);
      assert.deepEqual(await again, { kind: 'upgraded', to: '2.53.1', health: 'confirmed' });
      assert.deepEqual(cluster.ran, [], 'nothing re-run: only the wait');
    });

    it('Start Over forgets where it stopped and asks for the version; cancel changes nothing', async () => {
      cluster.resumePoint = { from: '2.51.2', to: '2.53.1', step: 'job' };
      assert.deepEqual(await new UpgradeWorkflow(cluster.ports()).run(prompter('2.53.1', 'upgrade', 'cancel'), progress()), { kind: 'declined' });
      assert.deepEqual(cluster.resumePoint, { from: '2.51.2', to: '2.53.1', step: 'job' });
      const ask = prompter('2.53.1', 'upgrade', 'discard');
      assert.equal((await new UpgradeWorkflow(cluster.ports()).run(ask, progress())).kind, 'upgraded');
      assert.deepEqual(ask.asked, ['resume 2.53.1 at job', 'version (ok)', 'confirm job path']);
      assert.equal(cluster.resumePoint, undefined);
    });
  });
});
