// A webhook receiver container on a cluster's network (alias "receiver"): a few lines of Node in the
// emulator's coreapp image, printing one line per callback it gets. It can answer 500 to the first N
// callbacks (to watch retries) and serve HTTPS with a given certificate (to watch the uploaded CA).
import { exec } from './compose-cluster';

const SCRIPT = `
const http = require('http'), https = require('https');
let refuse = Number(process.env.REFUSE_FIRST || 0);
const handler = (req, res) => {
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', () => {
    const line = JSON.stringify({ at: Date.now(), path: req.url, type: req.headers['content-type'] || '', body });
    if (refuse > 0) { refuse--; console.log('REFUSED ' + line); res.writeHead(500); res.end(); return; }
    console.log('RECEIVED ' + line);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
};
const server = process.env.TLS_CERT ? https.createServer({ cert: process.env.TLS_CERT, key: process.env.TLS_KEY }, handler) : http.createServer(handler);
server.listen(Number(process.env.PORT || 8080), () => console.log('LISTENING'));
process.on('SIGTERM', () => process.exit(0));
`;

export interface Received { at: number; path: string; type: string; body: string }

export class WebhookReceiver {
  private constructor(readonly name: string) {}

  /** Starts the receiver; `alias` is its host name on the network. */
  static async start(o: { image: string; network: string; name: string; alias?: string; port?: number; refuseFirst?: number; tls?: { certPem: string; keyPem: string } }): Promise<WebhookReceiver> {
    const env = [`PORT=${o.port ?? 8080}`, `REFUSE_FIRST=${o.refuseFirst ?? 0}`];
    if (o.tls) env.push(`TLS_CERT=${o.tls.certPem}`, `TLS_KEY=${o.tls.keyPem}`);
    await exec('docker', ['rm', '-f', o.name]).catch(() => undefined);
    await exec('docker', ['run', '-d', '--name', o.name, '--label', 'waba-emulator.test=webhook-receiver', '--network', o.network,
      '--network-alias', o.alias ?? 'receiver', ...env.flatMap((e) => ['-e', e]), '--entrypoint', 'node', o.image, '-e', SCRIPT]);
    const receiver = new WebhookReceiver(o.name);
    for (let i = 0; i < 100 && !(await receiver.logs()).includes('LISTENING'); i++) await new Promise((r) => setTimeout(r, 100));
    return receiver;
  }

  logs(): Promise<string> {
    return exec('docker', ['logs', this.name]);
  }

  /** Callbacks answered 200 (RECEIVED) or 500 (REFUSED), oldest first. */
  async received(kind: 'RECEIVED' | 'REFUSED' = 'RECEIVED'): Promise<Received[]> {
    return (await this.logs()).split('\n').filter((l) => l.startsWith(`${kind} `)).map((l) => JSON.parse(l.slice(kind.length + 1)) as Received);
  }

  async remove(): Promise<void> {
    await exec('docker', ['rm', '-f', this.name]).catch((e) => console.log(`cleanup: ${(e as Error).message}`));
  }
}
