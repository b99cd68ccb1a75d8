#!/usr/bin/env bash
# Makes sure a Docker engine answers: installs Debian's docker.io when missing, both Compose CLIs
# (v1 and the v2 plugin: scripts/setup-compose.sh), starts dockerd when nothing answers on the
# socket, and waits for it.
# Published ports default to 127.0.0.1 (dockerd --ip), so Meta's unmodified compose files
# ("9090:443", "33060:3306") never listen on other addresses.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
if [ ${#need[@]} -gt 0 ]; then
  echo "[setup-docker] installing ${need[*]}"
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
bash "$(dirname "${BASH_SOURCE[0]}")/setup-compose.sh"
if timeout 5 docker info >/dev/null 2>&1; then
  echo "[setup-docker] engine already answering"; exit 0
fi
if [ "$(id -u)" != 0 ]; then echo "[setup-docker] dockerd is not running and only root can start it" >&2; exit 1; fi
mkdir -p /var/log
echo "[setup-docker] starting dockerd (log: /var/log/dockerd.log)"
nohup dockerd --ip 127.0.0.1 >/var/log/dockerd.log 2>&1 &
for _ in $(seq 1 60); do
  if timeout 5 docker info >/dev/null 2>&1; then echo "[setup-docker] engine ready"; exit 0; fi
  sleep 1
done
echo "[setup-docker] dockerd did not answer within 60 s; last log lines:" >&2
tail -n 30 /var/log/dockerd.log >&2
exit 1
