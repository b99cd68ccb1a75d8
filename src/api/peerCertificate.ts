import { connect } from 'node:tls';
import { PinnedCertificate, pinFromPeer } from './certificatePin';

/**
 * Reads the certificate a TLS server presents, to show it to the user before they trust it
 * (trust on first use, like ssh). Nothing is sent over this connection: it closes right after
 * the handshake, so skipping verification here exposes no request or credential.
 */
export function readPeerCertificate(host: string, port: number, timeoutMs = 5000): Promise<PinnedCertificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, servername: host === '127.0.0.1' ? undefined : host, rejectUnauthorized: false, timeout: timeoutMs }, () => {
      const peer = socket.getPeerCertificate(false);
      socket.end();
      if (!peer?.raw) return reject(new Error(`${host}:${port} presented no certificate`));
      resolve(pinFromPeer(peer));
    });
    socket.on('timeout', () => { socket.destroy(); reject(new Error(`No TLS answer from ${host}:${port} within ${timeoutMs} ms`)); });
    socket.on('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ECONNREFUSED' ? new Error(`Nothing listens on ${host}:${port}: is the waweb container running?`) : e));
  });
}
