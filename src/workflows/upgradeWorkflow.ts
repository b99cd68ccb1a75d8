import { parseDotenv, setDotenvValue } from '../compose/dotenv';
import { compareVersions, planUpgrade, versionProblem, type UpgradePlan } from '../compose/upgradePlan';
import type { HealthState } from '../cluster/healthPoller';

/** The cluster folder's files, read at each use (the user may have edited them since activation). */
export interface UpgradeFolder {
  /** The text of `.env` ('' when there is none). */
  readDotenv(): string;
  writeDotenv(text: string): void;
  /** WA_DB_ENGINE of db.env (MYSQL or PGSQL). */
  dbEngine(): string | undefined;
  /** The DB upgrade job's compose files (dbupgrade-compose.yml), empty when the folder has none. */
  dbUpgradeFiles(): string[];
}

export interface ComposeOutcome { exitCode: number; lastLines: string[] }

export interface UpgradeCompose {
  /**
   * `up -d` of the cluster's compose files, or of `files` and `services` (the job). `version` is
   * passed as WA_API_VERSION (the job runs before .env changes); otherwise compose reads .env.
   */
  up(options: { files?: string[]; services?: string[]; version?: string }): Promise<ComposeOutcome>;
}

export interface UpgradeContainers {
  /** The compose project's containers. */
  list(): Promise<Array<{ id: string; service: string }>>;
  /** Resolves with the exit code; rejects when `signal` aborts or the time runs out. */
  waitForExit(id: string, options: { timeoutMs: number; signal: AbortSignal }): Promise<number>;
  remove(id: string): Promise<void>;
}

export interface UpgradeHealth {
  readonly state: HealthState;
  onDidChange(listener: (s: HealthState) => void): { dispose(): void };
  poll(): Promise<HealthState>;
}

export type UpgradeChoice = 'upgrade' | 'backUpFirst' | undefined;

export interface UpgradePrompter {
  /** The new WA_API_VERSION; `problem` says what is wrong with a candidate. */
  version(from: string | undefined, problem: (candidate: string) => string | undefined): Promise<string | undefined>;
  /** Shows the plan; the user upgrades, backs up first (one click), or cancels. */
  confirm(plan: UpgradePlan): Promise<UpgradeChoice>;
}

export interface UpgradeProgress {
  /** One step, as the user should read it (also logged). */
  step(message: string): void;
  /** Aborts when the user cancels. */
  readonly signal: AbortSignal;
}

export interface UpgradePorts {
  folder: UpgradeFolder;
  compose: UpgradeCompose;
  containers: UpgradeContainers;
  health: UpgradeHealth;
  /** Backs up the settings; the file written, or undefined when the user declined. Throws on failure. */
  backUp(): Promise<string | undefined>;
  /** The environment compose inherits (a WA_API_VERSION there overrides the folder's .env). */
  environment: Readonly<Record<string, string | undefined>>;
  /** How long the DB upgrade job may run (large databases take long). */
  jobTimeoutMs?: number;
  /** How long to wait for every node to leave `uninitialized` on the new version. */
  healthTimeoutMs?: number;
}

export type UpgradeResult =
  | { kind: 'declined' }
  | { kind: 'upgraded'; to: string; health: 'confirmed' | 'notConnected' | 'stoppedWaiting' };

/** An upgrade that stopped; `message` says what state the cluster is in and what to do. */
export class UpgradeError extends Error {}

const JOB_TIMEOUT_MS = 30 * 60_000;
const HEALTH_TIMEOUT_MS = 5 * 60_000;
const JOB_SERVICE = 'dbupgrade';

/**
 * Upgrades the cluster to another WA_API_VERSION the way Meta's guide does, choosing the path per
 * cluster: MySQL from 2.23 with the job's compose file runs the DB upgrade job first (the old
 * version keeps serving meanwhile), every other cluster takes the basic path (new version in .env,
 * `up -d`, downtime). A backup of the settings is offered first. Nothing is left half-applied:
 * .env changes only after the job succeeded, and goes back when `up -d` fails before it re-created
 * any container; after that point, .env stays at the new version (it then describes what runs).
 */
export class UpgradeWorkflow {
  constructor(private readonly ports: UpgradePorts) {}

  async run(prompter: UpgradePrompter, progress: UpgradeProgress): Promise<UpgradeResult> {
    const { folder, environment } = this.ports;
    if (environment.WA_API_VERSION) {
      throw new UpgradeError(`WA_API_VERSION=${environment.WA_API_VERSION} is exported in VS Code's environment; it overrides the folder's .env for compose, so the cluster would stay on it. Start VS Code without it and upgrade again.`);
    }
    const from = parseDotenv(folder.readDotenv()).WA_API_VERSION;
    const problemOf = (v: string): string | undefined => versionProblem(v, from) ?? downgradeProblem(v, from);
    const to = await prompter.version(from, problemOf);
    if (!to) return { kind: 'declined' };
    const problem = problemOf(to);
    if (problem) throw new UpgradeError(`Cannot upgrade to "${to}": ${problem}`);
    const plan = planUpgrade({ from, to, dbEngine: folder.dbEngine(), dbUpgradeFiles: folder.dbUpgradeFiles() });

    const choice = await prompter.confirm(plan);
    if (!choice) return { kind: 'declined' };
    if (choice === 'backUpFirst') {
      progress.step('Backing up the settings');
      const file = await this.ports.backUp();
      if (!file) return { kind: 'declined' };
      progress.step(`Settings backed up to ${file}`);
    }

    if (plan.runDbUpgradeJob) await this.runJob(plan, from, progress);
    await this.recreate(plan, from, progress);
    return { kind: 'upgraded', to: plan.to, health: await this.awaitHealth(plan.to, progress) };
  }

  /** The DB upgrade job with the new version; the cluster keeps running the old one meanwhile. */
  private async runJob(plan: UpgradePlan, from: string | undefined, progress: UpgradeProgress): Promise<void> {
    const { compose, containers } = this.ports;
    const unchanged = `The cluster still runs ${from ?? 'the old version'} and .env is unchanged.`;
    progress.step(`Running the DB upgrade job on ${plan.to}`);
    const started = await compose.up({ version: plan.to, files: this.ports.folder.dbUpgradeFiles(), services: [JOB_SERVICE] });
    if (started.exitCode !== 0) throw new UpgradeError(`The DB upgrade job did not start (exit ${started.exitCode}): ${started.lastLines.at(-1) ?? 'no output'}. ${unchanged}`);
    const job = (await containers.list()).find((c) => c.service === JOB_SERVICE);
    if (!job) throw new UpgradeError(`The DB upgrade job's container was not found after starting it. ${unchanged}`);
    const timeoutMs = this.ports.jobTimeoutMs ?? JOB_TIMEOUT_MS;
    let exitCode: number;
    try {
      exitCode = await containers.waitForExit(job.id, { timeoutMs, signal: progress.signal });
    } catch (error) {
      await containers.remove(job.id);
      const why = progress.signal.aborted ? 'was cancelled' : `did not finish within ${duration(timeoutMs)} (${(error as Error).message})`;
      throw new UpgradeError(`The DB upgrade job ${why}; it was removed. ${unchanged}`);
    }
    if (exitCode !== 0) {
      // Left in place: its log says why, and its restart policy (on-failure) retries as Meta intends.
      throw new UpgradeError(`The DB upgrade job exited with ${exitCode}. ${unchanged} Its log: right-click ${JOB_SERVICE} → Tail Logs.`);
    }
    await containers.remove(job.id);
    progress.step('The DB upgrade job finished (exit 0)');
  }

  /** New WA_API_VERSION in .env, then `up -d`; .env goes back if compose failed before re-creating anything. */
  private async recreate(plan: UpgradePlan, from: string | undefined, progress: UpgradeProgress): Promise<void> {
    const { folder, compose, containers } = this.ports;
    const before = new Set((await containers.list()).map((c) => c.id));
    const original = folder.readDotenv();
    progress.step(`Setting WA_API_VERSION=${plan.to} in .env`);
    folder.writeDotenv(setDotenvValue(original, 'WA_API_VERSION', plan.to));
    progress.step(`up -d: re-creating every container on ${plan.to} (downtime while they restart)`);
    let up: ComposeOutcome;
    try {
      up = await compose.up({});
    } catch (error) {
      folder.writeDotenv(original);
      throw new UpgradeError(`up -d could not run: ${(error as Error).message}. .env is back at ${from ?? 'its old value'}.`);
    }
    if (up.exitCode === 0) return;
    const cause = up.lastLines.at(-1) ?? 'no output';
    const recreated = (await containers.list()).filter((c) => !before.has(c.id) && c.service !== JOB_SERVICE).map((c) => c.service);
    if (recreated.length === 0) {
      folder.writeDotenv(original);
      throw new UpgradeError(`up -d on ${plan.to} failed before re-creating any container (exit ${up.exitCode}): ${cause}. .env is back at ${from ?? 'its old value'}; the cluster still runs ${from ?? 'the old version'}.`);
    }
    throw new UpgradeError(`up -d on ${plan.to} failed (exit ${up.exitCode}) after re-creating ${recreated.join(', ')}: ${cause}. .env says ${plan.to} (what those containers run); fix the cause and run Start Cluster to finish.`);
  }

  /** Waits until health reports the new version with no node `uninitialized` (the schema upgrade done). */
  private awaitHealth(to: string, progress: UpgradeProgress): Promise<'confirmed' | 'notConnected' | 'stoppedWaiting'> {
    const { health } = this.ports;
    const timeoutMs = this.ports.healthTimeoutMs ?? HEALTH_TIMEOUT_MS;
    if (health.state.kind === 'signedOut') {
      progress.step(`The containers run ${to}; connect to the webapp to see the nodes come back.`);
      return Promise.resolve('notConnected');
    }
    progress.step(`Waiting for every node to report ${to} (the primary master upgrades the schema)`);
    return new Promise((resolve, reject) => {
      let lastReport = '';
      const finish = (outcome: 'confirmed' | 'notConnected' | 'stoppedWaiting' | Error): void => {
        clearTimeout(timer);
        subscription.dispose();
        progress.signal.removeEventListener('abort', cancelled);
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      const check = (state: HealthState): void => {
        if (state.kind === 'signedOut') {
          progress.step(`The containers run ${to}; the session ended (${state.reason ?? 'disconnected'}): connect again to see health.`);
          return finish('notConnected');
        }
        const report = upgradeHealthReport(state, to);
        if (report.done) return finish('confirmed');
        if (report.text !== lastReport) progress.step((lastReport = report.text));
      };
      const cancelled = (): void => {
        progress.step(`Stopped waiting; the containers run ${to}.`);
        finish('stoppedWaiting');
      };
      const timer = setTimeout(() => finish(new UpgradeError(
        `The containers run ${to}, but after ${duration(timeoutMs)} health still says: ${upgradeHealthReport(health.state, to).text}. Meta expects uninitialized to clear within minutes: check the primary master's log (Tail Logs).`)), timeoutMs);
      const subscription = health.onDidChange(check);
      progress.signal.addEventListener('abort', cancelled);
      check(health.state);
      void health.poll();
    });
  }
}

function duration(ms: number): string {
  return ms >= 120_000 ? `${Math.round(ms / 60_000)} minutes` : `${Math.round(ms / 1000)} s`;
}

/** A lower version than the cluster's: its nodes would meet a newer schema, which Meta's nodes refuse. */
function downgradeProblem(to: string, from: string | undefined): string | undefined {
  if (!from || compareVersions(to.trim().replace(/^v/, ''), from) >= 0) return undefined;
  return `${to} is older than ${from}: the database schema stays on ${from}, and older nodes refuse a newer schema. Meta's path back is a cluster on the old version restored from a settings backup.`;
}

/** Whether health shows the upgrade finished, and what it shows otherwise. */
export function upgradeHealthReport(state: HealthState, to: string): { done: boolean; text: string } {
  if (state.kind !== 'ok') return { done: false, text: state.kind === 'failed' ? `health failed: ${state.message}` : 'not connected' };
  const version = state.version?.replace(/^v/, '');
  const waiting = state.nodes.filter((n) => n.gatewayStatus === 'uninitialized').map((n) => n.key);
  if (version !== to) return { done: false, text: `the webapp still reports ${state.version ?? 'no version'}` };
  if (waiting.length > 0) return { done: false, text: `${waiting.length} node(s) uninitialized on ${to}: ${waiting.join(', ')}` };
  if (state.nodes.length === 0) return { done: false, text: `no node in health yet on ${to}` };
  return { done: true, text: `every node reports ${to}` };
}
