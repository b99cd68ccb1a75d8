// The extension's log tail without VS Code: the same pipeline (event hub, Engine API log stream,
// frame decoder, tail) in this plain Node process, on the same container and burst, with a sink that
// only counts. Beside the extension host's heap it tells what our code keeps from what VS Code's
// output channel keeps.
import { execFileSync } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DockerClient } from '../src/docker/dockerClient';
import { engineInputsHere, resolveEngine } from '../src/docker/dockerEndpoint';
import { LogTailSet } from '../src/docker/logTailSet';

const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Heap (MB, after GC) before and after the ticker's burst of `total` lines, and the lines counted. */
export async function tailPipelineMemory(project: string, service: string, containerId: string, total: number): Promise<{ heapBefore: number; heapAfter: number; lines: number }> {
  setFlagsFromString('--expose_gc');
  const gc = runInNewContext('gc') as () => void;
  const docker = new DockerClient(resolveEngine(engineInputsHere(undefined)).endpoint);
  let lines = 0;
  const tails = new LogTailSet(docker, project, () => ({ line: () => { lines++; }, notice: () => undefined, reveal: () => undefined, dispose: () => undefined }), { tail: 0 });
  try {
    await tails.show(service, containerId);
    await sleep(1_500);
    gc();
    const heapBefore = process.memoryUsage().heapUsed / MB;
    execFileSync('docker', ['kill', '-s', 'USR1', containerId]);
    const deadline = Date.now() + 60_000;
    while (lines < total && Date.now() < deadline) await sleep(100);
    await sleep(2_000);
    gc();
    return { heapBefore, heapAfter: process.memoryUsage().heapUsed / MB, lines };
  } finally {
    tails.dispose();
    docker.dispose();
  }
}
