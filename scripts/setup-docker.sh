#!/usr/bin/env bash
# Makes sure a Docker engine answers: installs Debian's docker.io when missing, both Compose CLIs
# (v1 and the v2 plugin: scripts/setup-compose.sh), starts dockerd when nothing answers on the
# socket, and waits for it.
# The engine it starts lives on its own: the system's service manager starts it where one runs
# (systemd), otherwise dockerd runs in a session of its own (setsid, stdin from /dev/null), outside
# the terminal's process group, so Ctrl+C in `npm start` or `npm test` never reaches it (a terminal
# sends SIGINT to its whole foreground group, and dockerd would stop every container with it).
# Published ports default to 127.0.0.1 (dockerd --ip), so Meta's unmodified compose files
# ("9090:443", "33060:3306") never listen on other addresses.
# WABA_DOCKERD_ROOT=<dir> (tests): start the engine with everything of its own under <dir>
# (docker.sock, data/, exec/, docker.pid, dockerd.log) instead of the machine's engine; the caller
# sets DOCKER_HOST=unix://<dir>/docker.sock for its own docker commands.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "[setup-docker] missing: ${need[*]}; install them: sudo apt-get install ${need[*]}" >&2; exit 1; fi
  echo "[setup-docker] installing ${need[*]}"
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
bash "$(dirname "${BASH_SOURCE[0]}")/setup-compose.sh"
own=${WABA_DOCKERD_ROOT:-}
if [ -n "$own" ]; then export DOCKER_HOST="unix://$own/docker.sock"; fi
if timeout 5 docker info >/dev/null 2>&1; then
  echo "[setup-docker] engine already answering"; exit 0
fi
if [ "$(id -u)" != 0 ]; then echo "[setup-docker] dockerd is not running and only root can start it (sudo bash scripts/setup-docker.sh)" >&2; exit 1; fi
if [ -z "$own" ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
  echo "[setup-docker] starting the engine with its service manager: systemctl start docker"
  log="journalctl -u docker"
  systemctl start docker || true
else
  flags=(--ip 127.0.0.1)
  log=/var/log/dockerd.log
  if [ -n "$own" ]; then
    mkdir -p "$own"
    flags+=(-H "$DOCKER_HOST" --data-root "$own/data" --exec-root "$own/exec" --pidfile "$own/docker.pid")
    log=$own/dockerd.log
  fi
  mkdir -p "$(dirname "$log")"
  echo "[setup-docker] starting dockerd in a session of its own, not this terminal's (log: $log)"
  setsid dockerd "${flags[@]}" </dev/null >>"$log" 2>&1 &
fi
for _ in $(seq 1 60); do
  if timeout 5 docker info >/dev/null 2>&1; then echo "[setup-docker] engine ready"; exit 0; fi
  sleep 1
done
echo "[setup-docker] dockerd did not answer within 60 s; last log lines:" >&2
if [ -f "$log" ]; then tail -n 30 "$log" >&2; else $log -n 30 --no-pager >&2 || true; fi
exit 1
