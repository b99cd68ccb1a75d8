// Emulator version -> database schema version: the minor number (2.51.2 -> 51).
export function schemaVersionFor(version: string): number {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(version.trim());
  if (!m) throw new Error(`not a WhatsApp Business API version: ${version}`);
  return Number(m[2]);
}

/**
 * How a node's version fits the database schema:
 *   current  the schema this version needs;
 *   behind   older: uninitialized until the primary master (or the DB upgrade job) upgrades it;
 *   newer    the schema moved past this version while the node ran (the DB upgrade job's
 *            no-downtime path): it keeps serving until it is restarted on the new version;
 *   too-old  the node started on a newer schema (a downgrade): refused, it changes nothing.
 */
export type SchemaFit = 'current' | 'behind' | 'newer' | 'too-old';

export function schemaFit(dbSchema: number | null, target: number, startedOnSchema: number | null): SchemaFit {
  if (dbSchema === null || dbSchema < target) return 'behind';
  if (dbSchema === target) return 'current';
  return startedOnSchema !== null && startedOnSchema <= target ? 'newer' : 'too-old';
}

export function tooOldText(version: string, target: number, dbSchema: number): string {
  return `The database schema (${dbSchema}) is newer than version ${version} supports (${target}): `
    + `this node refuses to run and changes nothing. Run the version the database was upgraded to (2.${dbSchema}.x) or newer.`;
}
