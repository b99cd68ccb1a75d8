// Entry point of the emulator images: WA_EMULATOR_IMAGE=web runs the Webapp; the coreapp
// image runs the DB upgrade job (WA_DB_UPGRADE=1), a master (WA_MASTER_NODE=1) or a coreapp.
import { readNodeConfig } from './config';
import { installCrashHandlers, startLogFile } from './container-files';
import { connectDatabase } from './db/connect';
import { log, setLogNode } from './log';
import { ClusterNode } from './node/cluster-node';
import { Master } from './node/master';
import { refusalFor, runDbUpgrade } from './node/upgrade-job';
import { startWebapp } from './web/webapp';

async function main(): Promise<void> {
  const cfg = readNodeConfig();
  setLogNode(cfg.isDbUpgrade && cfg.image === 'coreapp' ? 'dbupgrade' : cfg.hostname);
  startLogFile(cfg);
  installCrashHandlers(cfg);
  let stop: () => Promise<void> = async () => undefined;
  // PID 1 in the container: without handlers SIGTERM would be ignored until docker kills us.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      log.info(`${signal} received, shutting down`);
      stop().finally(() => process.exit(0));
      setTimeout(() => process.exit(0), 3000).unref();
    });
  }
  const jobRefusal = cfg.isDbUpgrade && cfg.image === 'coreapp' ? refusalFor(cfg.db.engine) : null;
  if (jobRefusal) {
    log.error(`database upgrade refused: ${jobRefusal}`);
    process.exit(1);
  }
  // The upgrade job fails (exit 1) rather than waiting forever, so `restart: on-failure` retries it.
  const sql = await connectDatabase(cfg.db, 1000, cfg.isDbUpgrade && cfg.image === 'coreapp' ? 60 : Infinity);

  if (cfg.image === 'web') {
    const server = await startWebapp(cfg, sql);
    stop = async () => void server.close();
  } else if (cfg.isDbUpgrade) {
    try {
      await runDbUpgrade(cfg, sql);
    } catch (e) {
      log.error(`database upgrade failed: ${(e as Error).message}`);
      process.exit(1);
    }
    if (cfg.exitOnSuccess) {
      await sql.close();
      process.exit(0);
    }
    log.info('EXIT_ON_SUCCESS=FALSE: staying up');
    setInterval(() => undefined, 1 << 30);
  } else if (cfg.isMaster) {
    const master = new Master(cfg, sql);
    await master.start();
    stop = () => master.stop();
  } else {
    const node = new ClusterNode(cfg, sql);
    await node.start();
    stop = () => node.stop();
  }

}

main().catch((e) => {
  log.error(`fatal: ${(e as Error).stack ?? e}`);
  process.exit(1);
});
