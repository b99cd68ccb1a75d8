#!/usr/bin/env bash
# Entrypoint of waba-emulator/postgres:13.8 (PostgreSQL 15 behind the official postgres image's contract).
#  - First arg starting with "-" => server flags: `postgres <flags>` (Meta's compose: "-p 3306 -N 500").
#  - `postgres` => start the server as the postgres user (running initdb on an empty $PGDATA first).
#  - Anything else is exec'd as is.
# Env: POSTGRES_PASSWORD (required unless POSTGRES_HOST_AUTH_METHOD=trust), POSTGRES_USER (default
#      postgres), POSTGRES_DB (default = user), POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD
#      (default scram-sha-256); POSTGRES_PASSWORD/USER/DB also as *_FILE.
set -euo pipefail

# shellcheck source=../db-common/entrypoint-lib.sh
source /usr/local/lib/waba-emulator/entrypoint-lib.sh

as_pg() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }
sql_lit() { local s=${1//\'/\'\'}; printf "'%s'" "$s"; }
sql_ident() { local s=${1//\"/\"\"}; printf '"%s"' "$s"; }

init_pgdata() {
  file_env POSTGRES_PASSWORD; file_env POSTGRES_USER postgres; file_env POSTGRES_DB "$POSTGRES_USER"
  local auth=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}
  if [ -z "$POSTGRES_PASSWORD" ] && [ "$auth" != trust ]; then
    die "Database is uninitialized and superuser password is not specified.
    You must specify POSTGRES_PASSWORD to a non-empty value for the superuser
    (or POSTGRES_HOST_AUTH_METHOD=trust to allow all connections without a password)."
  fi
  log "initialising an empty data directory at $PGDATA (superuser $POSTGRES_USER)"
  local pwfile; pwfile=$(mktemp); chown postgres "$pwfile"; chmod 600 "$pwfile"
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  local enc=scram-sha-256; [ "$auth" = md5 ] && enc=md5
  # shellcheck disable=SC2086
  as_pg initdb -D "$PGDATA" --username="$POSTGRES_USER" --pwfile="$pwfile" --encoding=UTF8 \
    --auth-local=trust --auth-host="$auth" ${POSTGRES_INITDB_ARGS:-} >/dev/null
  rm -f "$pwfile"
  {
    echo
    echo "# waba-emulator: password auth from any address (other containers, published port)"
    echo "host all all all $auth"
  } >>"$PGDATA/pg_hba.conf"
  {
    echo
    echo "# waba-emulator"
    echo "listen_addresses = '*'"
    echo "password_encryption = $enc"
  } >>"$PGDATA/postgresql.conf"

  local sockdir; sockdir=$(mktemp -d); chown postgres "$sockdir"
  log "starting a temporary server (unix socket only) to create the database"
  as_pg pg_ctl -D "$PGDATA" -w -t 60 -o "-c listen_addresses='' -k $sockdir" start >/dev/null
  local psql=(psql -v ON_ERROR_STOP=1 -h "$sockdir" -U "$POSTGRES_USER" --no-password --no-psqlrc -q)
  if [ "$POSTGRES_DB" != postgres ]; then
    as_pg "${psql[@]}" -d postgres -c "CREATE DATABASE $(sql_ident "$POSTGRES_DB")"
  fi
  run_init_scripts as_pg "${psql[@]}" -d "$POSTGRES_DB"
  as_pg pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  rmdir "$sockdir" 2>/dev/null || true
  log "initialisation done"
}

if [ "${1:0:1}" = '-' ]; then set -- postgres "$@"; fi

if [ "$1" = postgres ]; then
  shift
  PGDATA=${PGDATA:-/var/lib/postgresql/data}
  export PGDATA
  mkdir -p "$PGDATA" /var/run/postgresql
  chmod 2777 /var/run/postgresql
  if [ "$(stat -c %U "$PGDATA")" != postgres ]; then chown -R postgres:postgres "$PGDATA"; fi
  chmod 700 "$PGDATA"
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    init_pgdata
  else
    log "data directory $PGDATA already initialised (PostgreSQL $(cat "$PGDATA/PG_VERSION")); reusing it"
  fi
  unset POSTGRES_PASSWORD
  log "starting postgres (PostgreSQL 13.8 stand-in) with args: $*"
  exec setpriv --reuid=postgres --regid=postgres --init-groups postgres -D "$PGDATA" "$@"
fi

exec "$@"
