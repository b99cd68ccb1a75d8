import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setDotenvValue } from '../../src/compose/dotenv';
import { compareVersions, planUpgrade, versionProblem } from '../../src/compose/upgradePlan';

describe('upgrade plan', () => {
  it('runs the DB upgrade job first on MySQL from 2.23 on, when the folder has its compose file', () => {
    const plan = planUpgrade({ from: '2.51.2', to: 'v2.53.1', dbEngine: 'MYSQL', dbUpgradeFiles: ['dbupgrade-compose.yml'] });
    assert.equal(plan.to, '2.53.1');
    assert.equal(plan.runDbUpgradeJob, true);
    assert.match(plan.steps[0], /DB upgrade job .*WA_API_VERSION=2\.53\.1/);
    assert.match(plan.steps.at(-1)!, /up -d/);
  });
  it('skips the job on Postgres, before 2.23, or without its compose file', () => {
    assert.equal(planUpgrade({ from: '2.51.2', to: '2.53.1', dbEngine: 'PGSQL', dbUpgradeFiles: ['dbupgrade-compose.yml'] }).runDbUpgradeJob, false);
    assert.equal(planUpgrade({ from: '2.21.1', to: '2.21.6', dbEngine: 'MYSQL', dbUpgradeFiles: ['dbupgrade-compose.yml'] }).runDbUpgradeJob, false);
    assert.equal(planUpgrade({ from: '2.51.2', to: '2.53.1', dbEngine: 'MYSQL', dbUpgradeFiles: [] }).runDbUpgradeJob, false);
  });
  it('compares versions numerically and refuses nonsense or the same version', () => {
    assert.ok(compareVersions('2.9.0', '2.23.0') < 0);
    assert.equal(versionProblem('latest', '2.51.2'), 'Use the form 2.53.1 (no leading v).');
    assert.equal(versionProblem('2.51.2', '2.51.2'), 'The cluster already runs 2.51.2.');
    assert.equal(versionProblem('2.53.1', '2.51.2'), undefined);
  });
  it('changes only the WA_API_VERSION line of .env, or appends it', () => {
    const text = '# version\nWA_API_VERSION=2.51.2\nCOMPOSE_FILE=a.yml:b.yml\n';
    assert.equal(setDotenvValue(text, 'WA_API_VERSION', '2.53.1'), '# version\nWA_API_VERSION=2.53.1\nCOMPOSE_FILE=a.yml:b.yml\n');
    assert.equal(setDotenvValue('A=1\n', 'WA_API_VERSION', '2.53.1'), 'A=1\nWA_API_VERSION=2.53.1\n');
    assert.equal(setDotenvValue('', 'WA_API_VERSION', '2.53.1'), 'WA_API_VERSION=2.53.1\n');
  });
});
