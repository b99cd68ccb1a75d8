// The webhook inspector's HTTP receiver: listens on one address (the cluster network's gateway),
// drops every connection from a peer `allow` refuses before reading a byte, answers 200 to a POST on
// its secret path and hands the body on. Plain HTTP: see the README (Webhook inspector) for why.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { t } from '../l10n';

export interface ReceiverOptions {
  host: string;
  /** Whether a peer address may talk to the receiver at all. */
  allow(address: string): boolean;
  onCallback(body: string, at: Date): void;
  /** A connection dropped because its peer is not allowed. */
  onRefused(address: string): void;
  maxBodyBytes?: number;
}

export interface CallbackReceiver {
  /** What the cluster's webhooks.url is set to. */
  readonly url: string;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

export function startCallbackReceiver(o: ReceiverOptions): Promise<CallbackReceiver> {
  const path = `/waba-inspector/${randomBytes(16).toString('hex')}`;
  const limit = o.maxBodyBytes ?? MAX_BODY;
  const server = createServer((req, res) => receive(req, res, path, limit, o.onCallback));
  server.on('connection', (socket) => {
    const peer = socket.remoteAddress ?? '';
    if (o.allow(peer)) return;
    o.onRefused(peer);
    socket.destroy();
  });
  // Slow or idle peers do not hold the receiver.
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, o.host)));
    server.listen({ host: o.host, port: 0, exclusive: true }, () => {
      const { port } = server.address() as { port: number };
      resolve({
        url: `http://${o.host}:${port}${path}`,
        close: () => new Promise<void>((done) => { server.close(() => done()); server.closeAllConnections(); }),
      });
    });
  });
}

function receive(req: IncomingMessage, res: ServerResponse, path: string, limit: number, onCallback: ReceiverOptions['onCallback']): void {
  if (req.url !== path) { res.writeHead(404).end(); req.resume(); return; }
  if (req.method !== 'POST') { res.writeHead(405, { allow: 'POST' }).end(); req.resume(); return; }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) { res.writeHead(413).end(); req.destroy(); return; }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (size > limit) return;
    // Meta's client counts only a 200 as delivered.
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    onCallback(Buffer.concat(chunks).toString('utf8'), new Date());
  });
}

function listenError(error: NodeJS.ErrnoException, host: string): Error {
  if (error.code === 'EADDRNOTAVAIL') {
    return new Error(t('The cluster network\'s gateway {0} is not an address of this machine: Docker runs elsewhere (a remote engine, Docker Desktop\'s VM or rootless Docker), where the inspector cannot listen for the cluster.', host));
  }
  return new Error(t('The inspector cannot listen on {0}: {1}', host, error.message));
}
