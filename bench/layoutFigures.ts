// The topology diagram's layout (src/topology/topologyLayout.ts) in plain Node: Meta's maximum of
// 35 nodes beside the guide's 6, so the diagram of a large cluster is drawn as promptly as a small one.
import { topologyLayout } from '../src/topology/topologyLayout';
import { maxCluster } from '../test/support/maxCluster';
import { Results, sampled } from './results';

export function layoutFigures(results: Results, samples: number): void {
  const { nodes, health, shards } = maxCluster();
  const small = nodes.slice(0, 6);
  const time = (of: typeof nodes): number[] => {
    for (let i = 0; i < 10; i++) topologyLayout(of, health, shards, 720); // warm up the JIT
    return Array.from({ length: samples }, () => {
      const started = performance.now();
      topologyLayout(of, health, shards, 720);
      return performance.now() - started;
    });
  };
  results.record('layout.topology.35', {
    ours: sampled('layout of 35 nodes', 'ms', time(nodes)),
    comparison: sampled('layout of 6 nodes', 'ms', time(small)),
  });
}
