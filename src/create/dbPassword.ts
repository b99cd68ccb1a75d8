// The database password rules of a cluster folder, explained from its own db.env and compose file.
import { loadYaml } from '../compose/loadYaml';
import { parseDotenv } from '../compose/dotenv';
import { t } from '../l10n';

/** Characters that break the client's database connection string (Meta's WADebug checks for them). */
export const DB_PASSWORD_BREAKING_CHARACTERS = '?{}&~!()^=';

/** Why a DB password breaks the client, or undefined when it is fine. */
export function dbPasswordProblem(password: string): string | undefined {
  if (!password) return t('WA_DB_PASSWORD is empty.');
  const bad = [...new Set([...password].filter((c) => DB_PASSWORD_BREAKING_CHARACTERS.includes(c)))];
  return bad.length ? t("WA_DB_PASSWORD contains {0}, which break the client's database connection.", bad.join(' ')) : undefined;
}

/** The password the compose file's db service is created with (MySQL root or PostgreSQL superuser). */
function serverPassword(composeText: string): { name: string; value: string } | undefined {
  const env = (loadYaml().parse(composeText) as { services?: { db?: { environment?: Record<string, unknown> } } })?.services?.db?.environment ?? {};
  for (const name of ['MYSQL_ROOT_PASSWORD', 'POSTGRES_PASSWORD']) {
    if (env[name] !== undefined) return { name, value: String(env[name]) };
  }
  return undefined;
}

/** Lines that explain where the DB password lives, how to change it and which characters to avoid. */
export function dbPasswordNotes(dbEnvText: string, composeText: string): string[] {
  const password = parseDotenv(dbEnvText).WA_DB_PASSWORD ?? '';
  const server = serverPassword(composeText);
  const notes = [
    server
      ? t("Database password: WA_DB_PASSWORD={0} in db.env, the same as {1} of the db service in multiconnect-compose.yml (Meta's defaults, written unchanged).", password, server.name)
      : t("Database password: WA_DB_PASSWORD={0} in db.env (Meta's defaults, written unchanged).", password),
    t('To change it, change both files before the first Start Cluster: the database keeps the password it was created with in its volume.'),
    t("Avoid the characters {0}: they break the client's database connection (Meta's WADebug flags them).", [...DB_PASSWORD_BREAKING_CHARACTERS].join(' ')),
  ];
  const problem = dbPasswordProblem(password);
  if (problem) notes.push(t('Warning: {0}', problem));
  if (server && server.value !== password) notes.push(t('Warning: WA_DB_PASSWORD and {0} differ, so the nodes cannot log in to the database.', server.name));
  return notes;
}
