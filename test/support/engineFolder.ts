// What the compose tests on an engine of their own share: a second engine (its own namespace) with
// the tiny image built on it, a client of it, a scratch cluster folder and the matrix's compose CLI.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ComposeCli } from '../../src/compose/composeCli';
import { DockerClient } from '../../src/docker/dockerClient';
import { matrixCli } from './composeMatrix';
import { SecondEngine, SecondEngineOptions, startSecondEngine } from './secondEngine';
import { buildTinyImage } from './tinyImage';

export interface EngineFolder {
  engine: SecondEngine;
  docker: DockerClient;
  folder: string;
  image: string;
  cli: ComposeCli;
  /** Stops the engine and removes the folder. */
  close(): Promise<void>;
}

export async function engineWithFolder(prefix: string, options: SecondEngineOptions = {}): Promise<EngineFolder> {
  const cli = await matrixCli();
  const folder = mkdtempSync(join(tmpdir(), prefix));
  let engine: SecondEngine | undefined;
  let docker: DockerClient | undefined;
  const close = async (): Promise<void> => {
    docker?.dispose();
    await engine?.stop();
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    engine = await startSecondEngine(options);
    docker = new DockerClient({ kind: 'unix', socketPath: engine.socketHost.slice('unix://'.length) });
    const image = buildTinyImage(engine.socketHost);
    return { engine, docker, folder, image, cli, close };
  } catch (e) {
    await close();
    throw e;
  }
}
