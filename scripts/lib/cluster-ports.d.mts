// Types for cluster-ports.mjs (plain Node ESM, shared by scripts and tests).
export const CLUSTER_PORTS: number[];
export interface PortsLockHolder { pid: number; owner: string; since: string }
export interface PortHolder { name: string; project: string; folder: string }
export function lockHolder(): PortsLockHolder | undefined;
export function releaseClusterPorts(): void;
export function clusterPortsFree(): Promise<boolean>;
export function portHolders(): PortHolder[];
export function removeLeftoverTestClusters(holders?: PortHolder[]): Array<{ project: string; folder: string }>;
export function describePortHolders(holders?: PortHolder[]): string;
export function holdClusterPorts(owner: string, options?: { timeoutMs?: number; outsiderGraceMs?: number; log?: (line: string) => void }): Promise<void>;
export type ClusterPortsCheck = { action: 'go' } | { action: 'wait'; holder: PortsLockHolder } | { action: 'stop'; message: string };
export function clusterPortsCheck(): Promise<ClusterPortsCheck>;
