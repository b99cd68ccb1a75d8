import { parseDotenv, setDotenvValue } from '../compose/dotenv';
import { compareVersions, planUpgrade, versionProblem, type UpgradePlan } from '../compose/upgradePlan';
import type { HealthState } from '../cluster/healthPoller';
import { t } from '../l10n';

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

/** The steps that change the cluster, in order; an upgrade that stopped continues at its step. */
export type UpgradeStep = 'job' | 'recreate' | 'health';

/** Where an upgrade stopped when the Docker engine went away; kept until an upgrade finishes. */
export interface UpgradeResumePoint { from: string | undefined; to: string; step: UpgradeStep }

export interface UpgradeEngine {
  /** Whether the Docker engine answers now. */
  answering(): Promise<boolean>;
  /** Calls `listener` when the engine's event stream breaks (the engine stopped or restarted). */
  onLost(listener: () => void): { dispose(): void };
}

export interface UpgradePrompter {
  /** The new WA_API_VERSION; `problem` says what is wrong with a candidate. */
  version(from: string | undefined, problem: (candidate: string) => string | undefined): Promise<string | undefined>;
  /** Shows the plan; the user upgrades, backs up first (one click), or cancels. */
  confirm(plan: UpgradePlan): Promise<UpgradeChoice>;
  /** An earlier upgrade stopped at `point`: continue it, discard it (and upgrade anew), or cancel. */
  resume(point: UpgradeResumePoint): Promise<'continue' | 'discard' | undefined>;
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
  engine: UpgradeEngine;
  /** Where an earlier upgrade of this folder stopped (kept across runs of the command). */
  resumePoint: { get(): UpgradeResumePoint | undefined; set(point: UpgradeResumePoint | undefined): void };
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

/** The engine went away in the middle of a step (its message says which); the next run continues there. */
class EngineLost extends Error {}

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
    const { folder, environment, resumePoint } = this.ports;
    if (environment.WA_API_VERSION) {
      throw new UpgradeError(t("WA_API_VERSION={0} is exported in VS Code's environment; it overrides the folder's .env for compose, so the cluster would stay on it. Start VS Code without it and upgrade again.", environment.WA_API_VERSION));
    }
    const stopped = resumePoint.get();
    if (stopped) {
      const answer = await prompter.resume(stopped);
      if (!answer) return { kind: 'declined' };
      if (answer === 'continue') {
        const plan = planUpgrade({ from: stopped.from, to: stopped.to, dbEngine: folder.dbEngine(), dbUpgradeFiles: folder.dbUpgradeFiles() });
        return this.apply(plan, stopped.step, progress);
      }
      resumePoint.set(undefined);
    }
    const from = parseDotenv(folder.readDotenv()).WA_API_VERSION;
    const problemOf = (v: string): string | undefined => versionProblem(v, from) ?? downgradeProblem(v, from);
    const to = await prompter.version(from, problemOf);
    if (!to) return { kind: 'declined' };
    const problem = problemOf(to);
    if (problem) throw new UpgradeError(t('Cannot upgrade to "{0}": {1}', to, problem));
    const plan = planUpgrade({ from, to, dbEngine: folder.dbEngine(), dbUpgradeFiles: folder.dbUpgradeFiles() });

    const choice = await prompter.confirm(plan);
    if (!choice) return { kind: 'declined' };
    if (choice === 'backUpFirst') {
      progress.step(t('Backing up the settings'));
      const file = await this.ports.backUp();
      if (!file) return { kind: 'declined' };
      progress.step(t('Settings backed up to {0}', file));
    }

    return this.apply(plan, plan.runDbUpgradeJob ? 'job' : 'recreate', progress);
  }

  /**
   * The steps from `first` on. Each is noted as the place to continue from before it starts; when
   * the engine goes away in one, the upgrade stops there and says so, and the next run continues it.
   */
  private async apply(plan: UpgradePlan, first: UpgradeStep, progress: UpgradeProgress): Promise<UpgradeResult> {
    const steps: UpgradeStep[] = [...(plan.runDbUpgradeJob ? ['job' as const] : []), 'recreate', 'health'];
    let health: 'confirmed' | 'notConnected' | 'stoppedWaiting' = 'notConnected';
    for (const step of steps.slice(Math.max(0, steps.indexOf(first)))) {
      this.ports.resumePoint.set({ from: plan.from, to: plan.to, step });
      const lost = new AbortController();
      const watch = this.ports.engine.onLost(() => lost.abort());
      try {
        if (step === 'job') await this.runJob(plan, plan.from, progress, lost.signal);
        else if (step === 'recreate') await this.recreate(plan, plan.from, progress, lost.signal);
        else health = await this.awaitHealth(plan.to, progress, lost.signal);
      } catch (error) {
        if (!(error instanceof EngineLost)) this.ports.resumePoint.set(undefined);
        throw error instanceof EngineLost ? new UpgradeError(this.stoppedMessage(plan, step, steps, error.message)) : error;
      } finally {
        watch.dispose();
      }
    }
    this.ports.resumePoint.set(undefined);
    return { kind: 'upgraded', to: plan.to, health };
  }

  /** Throws EngineLost when the engine went away during this step (or does not answer now). */
  private async checkEngine(lost: AbortSignal, what: string): Promise<void> {
    if (lost.aborted || !(await this.ports.engine.answering())) throw new EngineLost(what);
  }

  /** `call`'s result; when it fails because the engine went away, EngineLost. */
  private async engineCall<T>(lost: AbortSignal, call: Promise<T>): Promise<T> {
    try {
      return await call;
    } catch (error) {
      await this.checkEngine(lost, (error as Error).message);
      throw error;
    }
  }

  private stoppedMessage(plan: UpgradePlan, step: UpgradeStep, steps: readonly UpgradeStep[], what: string): string {
    const where = { job: t('the DB upgrade job'), recreate: t('up -d on {0}', plan.to), health: t('waiting for every node to report {0}', plan.to) }[step];
    const state = {
      job: plan.from ? t('The cluster still runs {0} and .env is unchanged.', plan.from) : t('The cluster still runs the old version and .env is unchanged.'),
      recreate: t('.env says {0}; containers may run either version.', plan.to),
      health: t('The containers were re-created on {0}.', plan.to),
    }[step];
    return t('The upgrade to {0} stopped at step {1} of {2} ({3}): the Docker engine stopped or restarted ({4}). {5} Once Docker answers again (Start Cluster brings back nodes that did not restart), run Upgrade Cluster: it continues from this step.',
      plan.to, steps.indexOf(step) + 1, steps.length, where, what, state);
  }

  /** The DB upgrade job with the new version; the cluster keeps running the old one meanwhile. */
  private async runJob(plan: UpgradePlan, from: string | undefined, progress: UpgradeProgress, lost: AbortSignal): Promise<void> {
    const { compose, containers } = this.ports;
    const unchanged = from ? t('The cluster still runs {0} and .env is unchanged.', from) : t('The cluster still runs the old version and .env is unchanged.');
    progress.step(t('Running the DB upgrade job on {0}', plan.to));
    const started = await compose.up({ version: plan.to, files: this.ports.folder.dbUpgradeFiles(), services: [JOB_SERVICE] });
    if (started.exitCode !== 0) {
      await this.checkEngine(lost, started.lastLines.at(-1) ?? t('no output'));
      throw new UpgradeError(t('The DB upgrade job did not start (exit {0}): {1}. {2}', started.exitCode, started.lastLines.at(-1) ?? t('no output'), unchanged));
    }
    const job = (await this.engineCall(lost, containers.list())).find((c) => c.service === JOB_SERVICE);
    if (!job) throw new UpgradeError(t("The DB upgrade job's container was not found after starting it. {0}", unchanged));
    const timeoutMs = this.ports.jobTimeoutMs ?? JOB_TIMEOUT_MS;
    let exitCode: number;
    try {
      exitCode = await containers.waitForExit(job.id, { timeoutMs, signal: progress.signal });
    } catch (error) {
      // The wait breaks when the engine stops: the job is left for the next run (up -d runs it again).
      await this.checkEngine(lost, t('the wait for the job broke: {0}', (error as Error).message));
      await containers.remove(job.id);
      throw new UpgradeError(progress.signal.aborted
        ? t('The DB upgrade job was cancelled; it was removed. {0}', unchanged)
        : t('The DB upgrade job did not finish within {0} ({1}); it was removed. {2}', duration(timeoutMs), (error as Error).message, unchanged));
    }
    // SIGTERM or SIGKILL from outside: the engine stops its containers when it shuts down.
    if (exitCode === 143 || exitCode === 137) throw new EngineLost(t('the job was stopped with exit {0}', exitCode));
    if (exitCode !== 0) {
      // Left in place: its log says why, and its restart policy (on-failure) retries as Meta intends.
      throw new UpgradeError(t('The DB upgrade job exited with {0}. {1} Its log: right-click {2} → Tail Logs.', exitCode, unchanged, JOB_SERVICE));
    }
    await containers.remove(job.id);
    progress.step(t('The DB upgrade job finished (exit 0)'));
  }

  /** New WA_API_VERSION in .env, then `up -d`; .env goes back if compose failed before re-creating anything. */
  private async recreate(plan: UpgradePlan, from: string | undefined, progress: UpgradeProgress, lost: AbortSignal): Promise<void> {
    const { folder, compose, containers } = this.ports;
    const before = new Set((await this.engineCall(lost, containers.list())).map((c) => c.id));
    // As it was before this upgrade (a continued upgrade may have written the new version already).
    const current = folder.readDotenv();
    const original = from && parseDotenv(current).WA_API_VERSION === plan.to ? setDotenvValue(current, 'WA_API_VERSION', from) : current;
    progress.step(t('Setting WA_API_VERSION={0} in .env', plan.to));
    folder.writeDotenv(setDotenvValue(original, 'WA_API_VERSION', plan.to));
    progress.step(t('up -d: re-creating every container on {0} (downtime while they restart)', plan.to));
    let up: ComposeOutcome;
    try {
      up = await compose.up({});
    } catch (error) {
      folder.writeDotenv(original);
      throw new UpgradeError(t('up -d could not run: {0}. .env is back at {1}.', (error as Error).message, from ?? t('its old value')));
    }
    if (up.exitCode === 0) return;
    const cause = up.lastLines.at(-1) ?? t('no output');
    await this.checkEngine(lost, cause);
    const recreated = (await this.engineCall(lost, containers.list())).filter((c) => !before.has(c.id) && c.service !== JOB_SERVICE).map((c) => c.service);
    if (recreated.length === 0) {
      folder.writeDotenv(original);
      throw new UpgradeError(from
        ? t('up -d on {0} failed before re-creating any container (exit {1}): {2}. .env is back at {3}; the cluster still runs {3}.', plan.to, up.exitCode, cause, from)
        : t('up -d on {0} failed before re-creating any container (exit {1}): {2}. .env is back at its old value; the cluster still runs the old version.', plan.to, up.exitCode, cause));
    }
    throw new UpgradeError(t('up -d on {0} failed (exit {1}) after re-creating {2}: {3}. .env says {0} (what those containers run); fix the cause and run Start Cluster to finish.', plan.to, up.exitCode, recreated.join(', '), cause));
  }

  /** Waits until health reports the new version with no node `uninitialized` (the schema upgrade done). */
  private awaitHealth(to: string, progress: UpgradeProgress, lost: AbortSignal): Promise<'confirmed' | 'notConnected' | 'stoppedWaiting'> {
    const { health } = this.ports;
    const timeoutMs = this.ports.healthTimeoutMs ?? HEALTH_TIMEOUT_MS;
    if (health.state.kind === 'signedOut') {
      progress.step(t('The containers run {0}; connect to the webapp to see the nodes come back.', to));
      return Promise.resolve('notConnected');
    }
    progress.step(t('Waiting for every node to report {0} (the primary master upgrades the schema)', to));
    return new Promise((resolve, reject) => {
      let lastReport = '';
      const finish = (outcome: 'confirmed' | 'notConnected' | 'stoppedWaiting' | Error): void => {
        clearTimeout(timer);
        subscription.dispose();
        progress.signal.removeEventListener('abort', cancelled);
        lost.removeEventListener('abort', engineLost);
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      const check = (state: HealthState): void => {
        if (state.kind === 'signedOut') {
          progress.step(t('The containers run {0}; the session ended ({1}): connect again to see health.', to, state.reason ?? t('disconnected')));
          return finish('notConnected');
        }
        const report = upgradeHealthReport(state, to);
        if (report.done) return finish('confirmed');
        if (report.text !== lastReport) progress.step((lastReport = report.text));
      };
      const cancelled = (): void => {
        progress.step(t('Stopped waiting; the containers run {0}.', to));
        finish('stoppedWaiting');
      };
      const engineLost = (): void => finish(new EngineLost(t('its event stream broke')));
      const timer = setTimeout(() => finish(new UpgradeError(
        t("The containers run {0}, but after {1} health still says: {2}. Meta expects uninitialized to clear within minutes: check the primary master's log (Tail Logs).", to, duration(timeoutMs), upgradeHealthReport(health.state, to).text))), timeoutMs);
      const subscription = health.onDidChange(check);
      progress.signal.addEventListener('abort', cancelled);
      lost.addEventListener('abort', engineLost);
      if (lost.aborted) return engineLost();
      check(health.state);
      void health.poll();
    });
  }
}

function duration(ms: number): string {
  return ms >= 120_000 ? t('{0} minutes', Math.round(ms / 60_000)) : t('{0} s', Math.round(ms / 1000));
}

/** A lower version than the cluster's: its nodes would meet a newer schema, which Meta's nodes refuse. */
function downgradeProblem(to: string, from: string | undefined): string | undefined {
  if (!from || compareVersions(to.trim().replace(/^v/, ''), from) >= 0) return undefined;
  return t("{0} is older than {1}: the database schema stays on {1}, and older nodes refuse a newer schema. Meta's path back is a cluster on the old version restored from a settings backup.", to, from);
}

/** Whether health shows the upgrade finished, and what it shows otherwise. */
export function upgradeHealthReport(state: HealthState, to: string): { done: boolean; text: string } {
  if (state.kind !== 'ok') return { done: false, text: state.kind === 'failed' ? t('health failed: {0}', state.message) : t('not connected') };
  const version = state.version?.replace(/^v/, '');
  const waiting = state.nodes.filter((n) => n.gatewayStatus === 'uninitialized').map((n) => n.key);
  if (version !== to) return { done: false, text: t('the webapp still reports {0}', state.version ?? t('no version')) };
  if (waiting.length > 0) return { done: false, text: t('{0} node(s) uninitialized on {1}: {2}', waiting.length, to, waiting.join(', ')) };
  if (state.nodes.length === 0) return { done: false, text: t('no node in health yet on {0}', to) };
  return { done: true, text: t('every node reports {0}', to) };
}
