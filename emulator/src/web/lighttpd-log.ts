// The Webapp's lighttpd-style error log (/var/log/lighttpd/error.log, which `wadebug logs` collects):
// server start and stop, and TLS handshakes that fail (e.g. plain HTTP sent to the HTTPS port, which
// a real webapp logs as "mod_openssl … http request").
import { LIGHTTPD_ERROR_LOG } from '../container-files';
import { RotatingLogFile } from '../log-file';

const file = new RotatingLogFile(LIGHTTPD_ERROR_LOG);

/** "2026-11-28 20:39:00: (server.c) message", lighttpd's own line format. */
export function lighttpdError(source: string, message: string): void {
  const stamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
  file.write(`${stamp}: (${source}) ${message.replace(/\s*\n\s*/g, ' ')}\n`);
}
