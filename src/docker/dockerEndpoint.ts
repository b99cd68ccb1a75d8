/** Where the Docker engine is, resolved the way the docker CLI does for the cases we support. */
export type DockerEndpoint =
  | { kind: 'socket'; socketPath: string }
  | { kind: 'tcp'; host: string; port: number; protocol: 'http' | 'https' };

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

export class DockerEndpointError extends Error {}

/**
 * Resolves the engine endpoint from a DOCKER_HOST-style value (setting first, then environment).
 * An empty value means the default Unix socket.
 */
export function resolveDockerEndpoint(dockerHost: string | undefined): DockerEndpoint {
  const value = (dockerHost ?? '').trim();
  if (value === '') return { kind: 'socket', socketPath: DEFAULT_DOCKER_SOCKET };
  if (value.startsWith('unix://')) {
    const socketPath = value.slice('unix://'.length);
    if (!socketPath.startsWith('/')) throw new DockerEndpointError(`DOCKER_HOST "${value}" needs an absolute socket path, e.g. unix:///var/run/docker.sock`);
    return { kind: 'socket', socketPath };
  }
  const tcp = /^(tcp|http|https):\/\/([^:/]+|\[[^\]]+\]):(\d+)\/?$/.exec(value);
  if (tcp) {
    return { kind: 'tcp', host: tcp[2], port: Number(tcp[3]), protocol: tcp[1] === 'https' ? 'https' : 'http' };
  }
  throw new DockerEndpointError(`DOCKER_HOST "${value}" is not supported: use unix:///path/to/docker.sock or tcp://host:port`);
}

export function describeDockerEndpoint(endpoint: DockerEndpoint): string {
  return endpoint.kind === 'socket' ? `unix://${endpoint.socketPath}` : `${endpoint.protocol === 'https' ? 'https' : 'tcp'}://${endpoint.host}:${endpoint.port}`;
}
