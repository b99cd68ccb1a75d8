import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ClusterMonitor } from '../cluster/clusterMonitor';
import { ClusterFolder, composeEnvironment } from '../compose/clusterFolder';
import { parseComposeCommand } from '../compose/composeCommand';
import { runCompose } from '../compose/composeRunner';
import { setDotenvValue } from '../compose/dotenv';
import { planUpgrade, versionProblem } from '../compose/upgradePlan';
import type { DockerClient } from '../docker/dockerClient';
import type { WebappConnection } from './webappConnection';

interface UpgradeDeps { folder: ClusterFolder | undefined; docker: DockerClient; monitor: ClusterMonitor; connection: WebappConnection; output: vscode.LogOutputChannel; dockerHost: string | undefined }

/** How long the DB upgrade job may run before the upgrade gives up (large databases take long). */
const DB_UPGRADE_TIMEOUT_MS = 30 * 60_000;

/** Answers for automation (tests); prompts fill the gaps. */
export interface UpgradeOptions { version?: string; confirmed?: boolean }

/** Backing up the settings, and upgrading the cluster to another WA_API_VERSION as Meta's guide does. */
export function registerUpgradeCommands(deps: UpgradeDeps): vscode.Disposable[] {
  const { folder, output } = deps;
  const compose = () => parseComposeCommand(vscode.workspace.getConfiguration('wabaCluster').get<string>('composeCommand', 'docker-compose'));

  const backup = async (password?: string): Promise<string | undefined> => {
    const session = deps.connection.current;
    if (!folder || !session) { void vscode.window.showErrorMessage('Connect to the webapp first (WABA: Connect to Webapp): the backup comes from POST /v1/settings/backup.'); return undefined; }
    const secret = password ?? (await vscode.window.showInputBox({ title: 'Back up the settings', prompt: 'Password that encrypts the backup (needed again to restore it; it is not stored)', password: true, ignoreFocusOut: true, validateInput: (v) => (v.length < 8 ? 'At least 8 characters' : undefined) }));
    if (!secret) return undefined;
    try {
      const r = await session.authorized((authorization) => session.client.call<{ settings?: { data?: string } }>('POST', '/v1/settings/backup', { authorization, body: { password: secret } }));
      const data = r.body?.settings?.data;
      if (!data) throw new Error('the webapp answered without settings.data');
      const file = join(folder.path, `waba-settings-backup-${new Date().toISOString().replace(/[:.]/g, '-')}.txt`);
      writeFileSync(file, data + '\n', { flag: 'wx' });
      output.info(`Settings backed up to ${file}`);
      return file;
    } catch (error) {
      void vscode.window.showErrorMessage(`Backup failed: ${(error as Error).message}`);
      return undefined;
    }
  };

  const upgrade = async (options: UpgradeOptions = {}): Promise<boolean> => {
    if (!folder) { void vscode.window.showErrorMessage('No cluster folder is open.'); return false; }
    const from = folder.apiVersion;
    const to = options.version ?? (await vscode.window.showInputBox({ title: 'Upgrade the cluster', prompt: `New WA_API_VERSION (now ${from ?? 'unset'})`, ignoreFocusOut: true, validateInput: (v) => versionProblem(v, from) }));
    if (!to) return false;
    const problem = versionProblem(to, from);
    if (problem) { void vscode.window.showErrorMessage(`Cannot upgrade to "${to}": ${problem}`); return false; }
    const plan = planUpgrade({ from, to, dbEngine: folder.dbEngine, dbUpgradeFiles: folder.dbUpgradeFiles });

    if (process.env.WA_API_VERSION) {
      void vscode.window.showErrorMessage(`WA_API_VERSION=${process.env.WA_API_VERSION} is exported in VS Code's environment; it overrides the folder's .env for docker-compose, so the cluster would go back to it. Start VS Code without it and upgrade again.`);
      return false;
    }
    if (!options.confirmed) {
      const go = `Upgrade to ${plan.to}`, backUp = 'Back Up Settings First';
      const answer = await vscode.window.showWarningMessage(`Upgrade the cluster from ${from ?? '?'} to ${plan.to}?`, {
        modal: true, detail: `${plan.steps.map((s, i) => `${i + 1}. ${s}`).join('\n')}\n\nMeta recommends backing up the settings first and upgrading at quiet hours.`,
      }, go, backUp);
      if (!answer) return false;
      if (answer === backUp && !(await backup())) return false;
    }

    const env = { ...composeEnvironment(folder, deps.dockerHost), WA_API_VERSION: plan.to };
    const log = (line: string) => output.info(line);
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Upgrading to ${plan.to}`, cancellable: true }, (progress, token) =>
      applyUpgrade(plan, env, log, progress, token).catch((error: Error) => fail(`Upgrading to ${plan.to} failed: ${error.message}`)));
  };

  const applyUpgrade = async (plan: ReturnType<typeof planUpgrade>, env: Record<string, string>, log: (line: string) => void,
    progress: vscode.Progress<{ message?: string }>, token: vscode.CancellationToken): Promise<boolean> => {
    if (!folder) return false;
    const from = folder.apiVersion;
    if (plan.runDbUpgradeJob) {
      progress.report({ message: 'DB upgrade job' });
      const jobFolder = { path: folder.path, composeFiles: folder.dbUpgradeFiles };
      const started = await runCompose(compose(), jobFolder, { verb: 'up', services: ['dbupgrade'] }, log, env);
      if (started.exitCode !== 0) return fail(`The DB upgrade job did not start (exit ${started.exitCode}): ${started.lastLines.at(-1) ?? ''}. Nothing was changed.`);
      const job = (await deps.docker.listProjectContainers(folder.project)).find((c) => c.service === 'dbupgrade');
      if (!job) return fail('The DB upgrade job container was not found after starting it. Nothing was changed.');
      const exitCode = await waitOrGiveUp(deps.docker.waitForExit(job.id), token, DB_UPGRADE_TIMEOUT_MS);
      if (exitCode === undefined) {
        await deps.docker.removeContainer(job.id);
        return fail(`The DB upgrade job was ${token.isCancellationRequested ? 'cancelled' : `stopped after ${DB_UPGRADE_TIMEOUT_MS / 60_000} minutes`}; the cluster still runs ${from ?? 'the old version'} and .env is unchanged.`);
      }
      output.info(`DB upgrade job exited with ${exitCode}`);
      if (exitCode !== 0) return fail(`The DB upgrade job exited with ${exitCode}: the cluster still runs ${from ?? 'the old version'}. Its log: right-click dbupgrade → Tail Logs.`);
      await deps.docker.removeContainer(job.id);
    }
    progress.report({ message: 'WA_API_VERSION in .env' });
    const dotenvPath = join(folder.path, '.env');
    writeFileSync(dotenvPath, setDotenvValue(existsSync(dotenvPath) ? readFileSync(dotenvPath, 'utf8') : '', 'WA_API_VERSION', plan.to));
    folder.apiVersion = plan.to;
    progress.report({ message: 'docker-compose up -d' });
    const up = await runCompose(compose(), folder, { verb: 'up' }, log, env);
    await deps.monitor.refresh();
    if (up.exitCode !== 0) return fail(`docker-compose up -d on ${plan.to} failed (exit ${up.exitCode}): ${up.lastLines.at(-1) ?? ''}. The folder's .env already says ${plan.to}; fix the cause and run Start Cluster.`);
    void deps.connection.health.poll();
    void vscode.window.showInformationMessage(`The cluster runs ${plan.to}. Health shows meta.version v${plan.to} once the nodes are back.`);
    return true;
  };

  const fail = (message: string): false => {
    output.error(message);
    void vscode.window.showErrorMessage(message);
    return false;
  };

  return [
    vscode.commands.registerCommand('wabaCluster.backupSettings', (password?: string) => backup(password)),
    vscode.commands.registerCommand('wabaCluster.upgrade', (options?: UpgradeOptions) => upgrade(options ?? {})),
  ];
}

/** The job's exit code, or undefined when the user cancelled or the time ran out. */
function waitOrGiveUp(exit: Promise<number>, token: vscode.CancellationToken, timeoutMs: number): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(undefined), timeoutMs);
    const cancel = token.onCancellationRequested(() => resolve(undefined));
    exit.then(resolve, reject).finally(() => { clearTimeout(timer); cancel.dispose(); });
  });
}
