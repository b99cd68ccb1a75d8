# Shared by the DB images' entrypoints (sourced): logging and the official images' VAR / VAR_FILE rule.
log() { echo "[entrypoint] $(date -u +%Y-%m-%dT%H:%M:%SZ) $*"; }
die() { echo "[entrypoint] ERROR: $*" >&2; exit 1; }

# VAR or VAR_FILE (not both); exports VAR (default $2) and unsets VAR_FILE.
file_env() {
  local var=$1 fvar="${1}_FILE" def=${2:-}
  if [ -n "${!var:-}" ] && [ -n "${!fvar:-}" ]; then die "both $var and $fvar are set (they are exclusive)"; fi
  local val=$def
  if [ -n "${!var:-}" ]; then val=${!var}; elif [ -n "${!fvar:-}" ]; then val=$(<"${!fvar}"); fi
  export "$var"="$val"; unset "$fvar"
}

# run_init_scripts CMD...: the official images' /docker-entrypoint-initdb.d: *.sh are sourced,
# *.sql and *.sql.gz are fed to CMD on standard input.
run_init_scripts() {
  local f
  for f in /docker-entrypoint-initdb.d/*; do
    [ -e "$f" ] || continue
    case "$f" in
      *.sh) log "running $f"; . "$f" ;;
      *.sql) log "running $f"; "$@" <"$f" ;;
      *.sql.gz) log "running $f"; gunzip -c "$f" | "$@" ;;
      *) log "ignoring $f" ;;
    esac
  done
}
