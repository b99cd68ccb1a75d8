// Files inside the containers where Meta's images keep them, so that Docker sees a node change its
// file system as a real node does (`docker diff`) and WADebug's `wadebug logs` finds them:
//   masters/coreapps  /usr/local/waent/logs/wa-service-<id>.log, and wa-service-<id>-<time>-crash.log
//                     when the node crashes: an uncaught error, or one injected with SIGUSR2
//                     (`docker exec <container> kill -USR2 1`: tini passes it on, and the restart
//                     policy brings the node back as after a real crash; `docker kill -s SIGUSR2`
//                     works too, but Docker then counts the container as stopped by hand)
//   webapp            /var/log/whatsapp/web.log, /var/log/lighttpd/error.log (see web/lighttpd-log.ts)
import type { NodeConfig } from './config';
import { recentLogLines, log, setLogFile } from './log';
import { writeBoundedFile } from './log-file';

export const WAENT_LOG_DIR = '/usr/local/waent/logs';
export const WEB_LOG_FILE = '/var/log/whatsapp/web.log';
export const LIGHTTPD_ERROR_LOG = '/var/log/lighttpd/error.log';
/** Crash logs kept per container: a node in a crash loop must not fill the disk either. */
const CRASH_LOGS_KEPT = 5;

const serviceId = (cfg: NodeConfig) => cfg.container.slice(0, 8);

export function startLogFile(cfg: NodeConfig): void {
  setLogFile(cfg.image === 'web' ? WEB_LOG_FILE : `${WAENT_LOG_DIR}/wa-service-${serviceId(cfg)}.log`);
}

function crashReport(cfg: NodeConfig, error: unknown): string {
  const stack = error instanceof Error ? error.stack ?? error.message : String(error);
  return [
    `crash of ${cfg.nodeKey} (WhatsApp Business API emulator ${cfg.version}, pid ${process.pid}) at ${new Date().toISOString()}`,
    stack,
    '',
    'last log lines:',
    ...recentLogLines().map((l) => l.trimEnd()),
    '',
  ].join('\n');
}

/** Uncaught errors end the process (exit 1, so `restart:` brings the node back) after a crash log. */
export function installCrashHandlers(cfg: NodeConfig): void {
  const crash = (error: unknown) => {
    log.error(`crashed: ${error instanceof Error ? error.message : String(error)}`);
    if (cfg.image === 'coreapp') {
      const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
      try {
        const path = writeBoundedFile(WAENT_LOG_DIR, `wa-service-${serviceId(cfg)}-${stamp}-crash.log`, '-crash.log', crashReport(cfg, error), CRASH_LOGS_KEPT);
        log.error(`crash log written to ${path}`);
      } catch (e) {
        log.error(`cannot write the crash log: ${(e as Error).message}`);
      }
    }
    process.exit(1);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  // Fault injection for tests and demos: the crash happens outside the signal handler, like a real one.
  process.on('SIGUSR2', () => setImmediate(() => {
    throw new Error('injected crash: SIGUSR2 received');
  }));
}
