#!/usr/bin/env bash
# Shared by wait_on_mysql.sh / wait_on_postgres.sh (emulator stand-ins for Meta's scripts).
# Waits until $WA_DB_HOSTNAME:$WA_DB_PORT accepts a TCP connection, then execs "$@".
#   WA_DB_WAIT_SECONDS       give up after this many seconds (default 120) -> exit 1
#   WA_DB_WAIT_LOG_SECONDS   one progress line every N seconds (default 5)
# Usage: wait_on_db.sh <engine label> <command> [args...]
set -uo pipefail
engine=$1; shift
host=${WA_DB_HOSTNAME:-}
port=${WA_DB_PORT:-3306}
limit=${WA_DB_WAIT_SECONDS:-120}
every=${WA_DB_WAIT_LOG_SECONDS:-5}
me=$(basename "${WAIT_ON_DB_NAME:-$0}")

log() { echo "[$me] $(date -u +%Y-%m-%dT%H:%M:%SZ) $*"; }
if [ -z "$host" ]; then
  echo "[$me] ERROR: WA_DB_HOSTNAME is not set (expected from db.env)" >&2; exit 1
fi
case $limit in ''|*[!0-9]*) echo "[$me] ERROR: WA_DB_WAIT_SECONDS must be a whole number of seconds, got '$limit'" >&2; exit 1;; esac
case $every in ''|*[!0-9]*|0) every=5;; esac
if [ $# -eq 0 ]; then echo "[$me] ERROR: no command to run after the database is reachable" >&2; exit 1; fi

now_ms() { local t=${EPOCHREALTIME/[.,]/}; echo $((t / 1000)); }
start=$(now_ms)
next_log=$every
log "waiting for $engine at $host:$port (up to ${limit}s)"
while :; do
  if timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$host" "$port" 2>/dev/null; then
    log "$engine at $host:$port accepts connections after $((($(now_ms) - start) / 1000))s"
    exec "$@"
  fi
  elapsed_ms=$(($(now_ms) - start))
  elapsed=$((elapsed_ms / 1000))
  if [ "$elapsed_ms" -ge "$((limit * 1000))" ]; then
    echo "[$me] ERROR: $engine at $host:$port did not accept TCP connections within ${limit}s; giving up (check that the db service is running and WA_DB_HOSTNAME/WA_DB_PORT in db.env)" >&2
    exit 1
  fi
  if [ "$elapsed" -ge "$next_log" ]; then
    log "still waiting for $engine at $host:$port (${elapsed}s/${limit}s)"
    next_log=$((elapsed + every))
  fi
  sleep 1
done
