#!/usr/bin/env bash
# Entrypoint of waba-emulator/mysql:8.0.33 (MariaDB behind the official mysql image's contract).
#  - First arg starting with "-" => server flags: `mysqld <flags>`.
#  - `mysqld`/`mariadbd` => start the server (initialising an empty /var/lib/mysql first).
#  - Anything else is exec'd as is (e.g. `bash`).
# Env: MYSQL_ROOT_PASSWORD | MYSQL_ALLOW_EMPTY_PASSWORD | MYSQL_RANDOM_ROOT_PASSWORD (one required),
#      MYSQL_ROOT_HOST (default %), MYSQL_DATABASE, MYSQL_USER + MYSQL_PASSWORD; each also as *_FILE.
# MySQL-8-only server options (e.g. --default-authentication-plugin) are dropped with a note.
set -euo pipefail

# shellcheck source=../db-common/entrypoint-lib.sh
source /usr/local/lib/waba-emulator/entrypoint-lib.sh

# Options MySQL 8 has and MariaDB rejects; dropped (a value given as the next arg is dropped too).
MYSQL8_ONLY=(
  default-authentication-plugin authentication-policy mysql-native-password
  mysqlx mysqlx-port mysqlx-bind-address mysqlx-socket skip-mysqlx
  innodb-dedicated-server log-error-verbosity admin-address admin-port
  binlog-transaction-compression caching-sha2-password-auto-generate-rsa-keys
  sha256-password-auto-generate-rsa-keys disabled-storage-engines
)
is_mysql8_only() {
  local name=${1#--}; name=${name%%=*}; name=${name//_/-}
  name=${name#loose-}
  local o; for o in "${MYSQL8_ONLY[@]}"; do [ "$name" = "$o" ] && return 0; done
  return 1
}

filter_args() {
  FILTERED=()
  while [ $# -gt 0 ]; do
    local a=$1; shift
    if [[ $a == --* ]] && is_mysql8_only "$a"; then
      log "ignoring MySQL-8-only option ${a%%=*} (not supported by MariaDB)"
      if [[ $a != *=* ]] && [ $# -gt 0 ] && [[ $1 != -* ]]; then shift; fi
      continue
    fi
    FILTERED+=("$a")
  done
}

sql_str() { local s=${1//\\/\\\\}; s=${s//\'/\'\'}; printf "'%s'" "$s"; }
sql_id() { local s=${1//\`/\`\`}; printf '`%s`' "$s"; }

init_datadir() {
  local datadir=$1; shift
  file_env MYSQL_ROOT_PASSWORD; file_env MYSQL_USER; file_env MYSQL_PASSWORD; file_env MYSQL_DATABASE
  file_env MYSQL_ROOT_HOST '%'
  if [ -z "$MYSQL_ROOT_PASSWORD" ] && [ -z "${MYSQL_ALLOW_EMPTY_PASSWORD:-}" ] && [ -z "${MYSQL_RANDOM_ROOT_PASSWORD:-}" ]; then
    die "database is uninitialized and password option is not specified
    You need to specify one of MYSQL_ROOT_PASSWORD, MYSQL_ALLOW_EMPTY_PASSWORD and MYSQL_RANDOM_ROOT_PASSWORD"
  fi
  if [ -n "${MYSQL_RANDOM_ROOT_PASSWORD:-}" ] && [ -z "$MYSQL_ROOT_PASSWORD" ]; then
    MYSQL_ROOT_PASSWORD=$(openssl rand -base64 24)
    log "GENERATED ROOT PASSWORD: $MYSQL_ROOT_PASSWORD"
  fi

  log "initialising an empty data directory at $datadir"
  mariadb-install-db --user=mysql --datadir="$datadir" --skip-test-db \
    --auth-root-authentication-method=normal >/dev/null

  local sock=/run/mysqld/init.sock
  log "starting a temporary server (no networking) to create users"
  mariadbd --user=mysql --datadir="$datadir" --skip-networking --socket="$sock" "$@" &
  local pid=$!
  local i
  for i in $(seq 1 60); do
    if mariadb --protocol=socket --socket="$sock" -uroot -e 'SELECT 1' >/dev/null 2>&1; then break; fi
    kill -0 "$pid" 2>/dev/null || die "temporary server exited during initialisation"
    sleep 1
  done
  [ "$i" -lt 60 ] || die "temporary server did not answer within 60 s"

  local rp; rp=$(sql_str "$MYSQL_ROOT_PASSWORD")
  # Anonymous users and root@<anything but localhost> that the installer made.
  local extra
  extra=$(mariadb --protocol=socket --socket="$sock" -uroot -N -e \
    "SELECT CONCAT(QUOTE(User),'@',QUOTE(Host)) FROM mysql.global_priv WHERE User='' OR (User='root' AND Host<>'localhost')")
  {
    echo "SET @@SESSION.SQL_LOG_BIN=0;"
    local u; for u in $extra; do echo "DROP USER IF EXISTS $u;"; done
    echo "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD($rp);"
    if [ "$MYSQL_ROOT_HOST" != localhost ]; then
      local rh; rh=$(sql_str "$MYSQL_ROOT_HOST")
      echo "CREATE USER 'root'@$rh IDENTIFIED VIA mysql_native_password USING PASSWORD($rp);"
      echo "GRANT ALL ON *.* TO 'root'@$rh WITH GRANT OPTION;"
      echo "GRANT PROXY ON ''@'%' TO 'root'@$rh WITH GRANT OPTION;"
    fi
    echo "DROP DATABASE IF EXISTS test;"
    if [ -n "$MYSQL_DATABASE" ]; then echo "CREATE DATABASE IF NOT EXISTS $(sql_id "$MYSQL_DATABASE");"; fi
    if [ -n "$MYSQL_USER" ]; then
      if [ "$MYSQL_USER" = root ]; then die "MYSQL_USER=root: root is configured by MYSQL_ROOT_PASSWORD"; fi
      [ -n "$MYSQL_PASSWORD" ] || die "MYSQL_USER is set but MYSQL_PASSWORD is empty"
      echo "CREATE USER $(sql_str "$MYSQL_USER")@'%' IDENTIFIED VIA mysql_native_password USING PASSWORD($(sql_str "$MYSQL_PASSWORD"));"
      if [ -n "$MYSQL_DATABASE" ]; then
        echo "GRANT ALL ON $(sql_id "$MYSQL_DATABASE").* TO $(sql_str "$MYSQL_USER")@'%';"
      fi
    fi
    echo "FLUSH PRIVILEGES;"
  } | mariadb --protocol=socket --socket="$sock" -uroot || die "creating users failed"

  run_init_scripts mariadb --protocol=socket --socket="$sock" -uroot -p"$MYSQL_ROOT_PASSWORD" ${MYSQL_DATABASE:+"$MYSQL_DATABASE"}

  kill -TERM "$pid"; wait "$pid" || true
  log "initialisation done"
}

if [ "${1:0:1}" = '-' ]; then set -- mysqld "$@"; fi

if [ "$1" = mysqld ] || [ "$1" = mariadbd ]; then
  shift
  filter_args "$@"
  set -- ${FILTERED[@]+"${FILTERED[@]}"}
  datadir=/var/lib/mysql
  mkdir -p "$datadir" /run/mysqld
  chown mysql:mysql /run/mysqld
  # chown only when needed (a fresh named volume is root-owned).
  if [ "$(stat -c %U "$datadir")" != mysql ]; then chown -R mysql:mysql "$datadir"; fi
  if [ ! -d "$datadir/mysql" ]; then
    init_datadir "$datadir" "$@"
  else
    log "data directory $datadir already initialised; reusing it"
  fi
  unset MYSQL_ROOT_PASSWORD MYSQL_PASSWORD
  log "starting mariadbd (MySQL 8.0 stand-in) on port 3306"
  exec mariadbd --user=mysql --datadir="$datadir" "$@"
fi

exec "$@"
