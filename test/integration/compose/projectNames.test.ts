// The extension's project name against the label the real compose CLI puts on containers, for
// awkward folder names and a top-level `name:`, on the CLI of this pass (WABA_COMPOSE: v1 or v2).
// The CLI runs as a user would in a terminal in the folder: no -p. Then the extension's own run
// (with -p) must land in the same project, which is the one the tree lists.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { readClusterFolder } from '../../../src/compose/clusterFolder';
import type { ComposeCli } from '../../../src/compose/composeCli';
import { DockerClient } from '../../../src/docker/dockerClient';
import { resolveDockerEndpoint } from '../../../src/docker/dockerEndpoint';
import { composeFilesProblem } from '../../../src/compose/preflight';
import { composeFor, matrixCli } from '../../support/composeMatrix';
import { buildTinyImage, removeTinyImage } from '../../support/tinyImage';

const run = promisify(execFile);
const tag = process.pid.toString(36);

/** Folder names that the v1 and v2 rules treat differently or that need normalizing. */
const FOLDERS = [`My Biz.${tag}`, `_lead${tag}`, `UPPER_x-${tag}`, `dots.in.${tag}`];

describe(`Project names of ${process.env.WABA_COMPOSE || 'docker compose'} and the extension agree`, () => {
  let cli: ComposeCli;
  let root: string;
  let image: string;
  const docker = new DockerClient(resolveDockerEndpoint(undefined));
  const projects = new Set<string>();

  before(async () => {
    cli = await matrixCli();
    image = buildTinyImage();
    root = mkdtempSync(join(tmpdir(), 'waba-names-'));
  });

  after(async () => {
    for (const project of projects) {
      const ids = (await run('docker', ['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`])).stdout.trim();
      if (ids) await run('docker', ['rm', '-f', ...ids.split(/\s+/)]);
      await run('docker', ['network', 'rm', `${project}_default`]).catch(() => undefined);
    }
    rmSync(root, { recursive: true, force: true });
    removeTinyImage();
    docker.dispose();
  });

  const composeFile = (name?: string) => [...(name ? [`name: ${name}`] : []), 'services:', '  s1:', `    image: ${image}`, '    stop_signal: SIGKILL', ''].join('\n');

  /** `up -d` in the folder as a terminal would (no -p); the project label of the container it made. */
  async function terminalProject(dir: string): Promise<string> {
    await run(cli.file, [...cli.prefix, '-f', 'multiconnect-compose.yml', 'up', '-d'], { cwd: dir });
    const label = (await run('docker', ['ps', '-a', '--filter', `label=com.docker.compose.service=s1`, '--filter', `label=com.docker.compose.project.working_dir=${dir}`,
      '--format', '{{.Label "com.docker.compose.project"}}'])).stdout.trim();
    projects.add(label);
    return label;
  }

  for (const name of FOLDERS) {
    it(`folder "${name}"`, async () => {
      const dir = join(root, name);
      mkdirSync(dir);
      writeFileSync(join(dir, 'multiconnect-compose.yml'), composeFile());
      const expected = readClusterFolder(dir, {}, cli.flavor).project;
      projects.add(expected);
      assert.equal(await terminalProject(dir), expected, 'the CLI labelled the container with another project');
      // The extension's run (with -p) finds and keeps the same container: nothing new is created.
      const up = await composeFor(dir, cli).run({ verb: 'up' }, () => undefined);
      assert.equal(up.exitCode, 0, up.lastLines.join('\n'));
      const nodes = await docker.listProjectContainers(expected);
      assert.deepEqual(nodes.map((n) => n.service), ['s1'], `the tree's query for project ${expected}`);
    });
  }

  it('a top-level name: wins over the folder (v2); v1 refuses the key and the extension says so before running', async () => {
    const dir = join(root, `named${tag}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'multiconnect-compose.yml'), composeFile(`Named.Cluster-${tag}`));
    const folder = readClusterFolder(dir, {}, cli.flavor);
    if (cli.flavor === 'v2') {
      assert.equal(folder.project, `namedcluster-${tag}`);
      assert.equal(await terminalProject(dir), folder.project);
    } else {
      await assert.rejects(terminalProject(dir), /'name' does not match any of the regexes/);
      const problem = await composeFilesProblem(composeFor(dir, cli));
      assert.equal(problem?.kind, 'composeFileInvalid');
      assert.match(problem!.message, /'name' does not match any of the regexes/);
    }
  });
});
