// Coreapps beyond Meta's wacore1–wacore3, for the 35-node tests (Meta's maximum: 2 masters and 33
// coreapps for 32 shards): an override file `docker-compose.coreapps.yml` defining wacore4…wacoreN
// like the compose files define wacore3 (same image, environment and ports, its own
// COREAPP_HOSTNAME), added to the folder's COMPOSE_FILE. The "Create Cluster" feature writes the
// same file for users; until it is merged, tests make it here.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

export const COREAPPS_FILE = 'docker-compose.coreapps.yml';

type Service = { image?: string; environment?: Record<string, string>; [key: string]: unknown };

/** Writes the override for `coreapps` coreapps in all into `folder` and lists it in .env's COMPOSE_FILE. */
export function addCoreapps(folder: string, coreapps: number): string[] {
  const envFile = join(folder, '.env');
  const env = readFileSync(envFile, 'utf8');
  const files = (/^COMPOSE_FILE=(.*)$/m.exec(env)?.[1] ?? 'multiconnect-compose.yml').split(':');
  // wacore3 as the files so far define it: Meta's service with the later files' image.
  let template: Service = {};
  for (const file of files) template = { ...template, ...((parse(readFileSync(join(folder, file), 'utf8')) as { services?: Record<string, Service> }).services?.wacore3 ?? {}) };
  if (!template.environment) throw new Error(`no wacore3 with an environment in ${files.join(', ')}`);
  const services: Record<string, Service> = {};
  for (let n = 4; n <= coreapps; n++) services[`wacore${n}`] = { ...template, environment: { ...template.environment, COREAPP_HOSTNAME: `wacore${n}` } };
  writeFileSync(join(folder, COREAPPS_FILE), `# Coreapps wacore4…wacore${coreapps}, each defined like wacore3 (tests of a ${coreapps + 2}-node cluster).\n${stringify({ version: '3', services })}`);
  writeFileSync(envFile, env.replace(/^COMPOSE_FILE=(.*)$/m, `COMPOSE_FILE=${[...files, COREAPPS_FILE].join(':')}`));
  return Object.keys(services);
}
