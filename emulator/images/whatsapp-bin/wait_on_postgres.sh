#!/usr/bin/env bash
# Emulator stand-in for Meta's /opt/whatsapp/bin/wait_on_postgres.sh: wait for the DB, then exec "$@".
WAIT_ON_DB_NAME=wait_on_postgres.sh exec /opt/whatsapp/bin/wait_on_db.sh PostgreSQL "$@"
