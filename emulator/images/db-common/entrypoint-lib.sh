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
