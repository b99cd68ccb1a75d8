import { t } from '../l10n';

/** What upgrading a cluster to another WA_API_VERSION involves, per Meta's guide. */
export interface UpgradePlan {
  from: string | undefined;
  to: string;
  /** MySQL clusters from v2.23 on run the DB upgrade job first, while the old version keeps serving. */
  runDbUpgradeJob: boolean;
  steps: string[];
}

export function parseVersion(version: string): [number, number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a), y = parseVersion(b);
  if (!x || !y) return a.localeCompare(b);
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/** Why `to` cannot be the new version, or undefined. */
export function versionProblem(to: string, from: string | undefined): string | undefined {
  if (!parseVersion(to)) return t('Use the form 2.53.1 (no leading v).');
  if (from && compareVersions(to, from) === 0) return t('The cluster already runs {0}.', from);
  return undefined;
}

export function planUpgrade(opts: { from: string | undefined; to: string; dbEngine: string | undefined; dbUpgradeFiles: readonly string[] }): UpgradePlan {
  const to = opts.to.trim().replace(/^v/, '');
  const mysql = (opts.dbEngine ?? 'MYSQL').toUpperCase() === 'MYSQL';
  const runDbUpgradeJob = mysql && opts.dbUpgradeFiles.length > 0 && compareVersions(to, '2.23.0') >= 0;
  const steps = [
    ...(runDbUpgradeJob ? [t('run the DB upgrade job ({0}) with WA_API_VERSION={1} and wait for it to exit 0', opts.dbUpgradeFiles.join(' + '), to)] : []),
    t("set WA_API_VERSION={0} in the folder's .env", to),
    t('docker-compose up -d: every container is re-created on {0} (downtime while they restart)', to),
  ];
  return { from: opts.from, to, runDbUpgradeJob, steps };
}
