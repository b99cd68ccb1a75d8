import { isIP } from 'node:net';
import { connect } from 'node:tls';
import { PinnedCertificate, pinFromPeer } from './certificatePin';
import { t } from '../l10n';

/**
 * Reads the certificate a TLS server presents, to show it to the user before they trust it
 * (trust on first use, like ssh). Nothing is sent over this connection: it closes right after
 * the handshake, so skipping verification here exposes no request or credential.
 */
export function readPeerCertificate(host: string, port: number, timeoutMs = 5000): Promise<PinnedCertificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, servername: isIP(host) ? undefined : host, rejectUnauthorized: false, timeout: timeoutMs }, () => {
      const peer = socket.getPeerCertificate(false);
      socket.end();
      if (!peer?.raw) return reject(new Error(t('{0} presented no certificate', `${host}:${port}`)));
      resolve(pinFromPeer(peer));
    });
    socket.on('timeout', () => { socket.destroy(); reject(new Error(t('No TLS answer from {0} within {1} ms', `${host}:${port}`, timeoutMs))); });
    socket.on('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ECONNREFUSED' ? new Error(t('Nothing listens on {0}: is the waweb container running?', `${host}:${port}`)) : e));
  });
}
