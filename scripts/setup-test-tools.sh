#!/usr/bin/env bash
# Installs the programs the tests run besides Docker (scripts/setup-docker.sh, setup-compose.sh) and
# VS Code (scripts/setup-vscode-test.sh: chromium, libkrb5-dev, ripgrep), so that `npm install &&
# npm test` alone works on a fresh Debian machine:
#   sshd              openssh-server   the ssh:// engine tests (test/support/sshd.ts)
#   ssh, ssh-keygen   openssh-client   the same: the client side and its keys
#   openssl           openssl          the tcp://+TLS engine's certificates (test/support/secondEngine.ts)
#   ip                iproute2         second engines in network namespaces (the same file, npm run soak)
#   nsenter, unshare  util-linux       the same
#   ps                procps           the first-screen UI test finds the VS Code server it started
#   python3           python3          the support bundle tests read its zip with the standard library
# A missing program is installed with apt-get as root; otherwise the script fails naming each one
# and the command that installs it. Idempotent: returns at once when everything is there.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

tools=(
  /usr/sbin/sshd:openssh-server ssh:openssh-client ssh-keygen:openssh-client openssl:openssl ip:iproute2
  nsenter:util-linux unshare:util-linux ps:procps python3:python3
)
found() { if [[ $1 == /* ]]; then [ -x "$1" ]; else command -v "$1" >/dev/null 2>&1; fi; }

missing=() packages=()
for entry in "${tools[@]}"; do
  program=${entry%%:*} package=${entry##*:}
  if ! found "$program"; then
    missing+=("$program ($package)")
    [[ " ${packages[*]} " == *" $package "* ]] || packages+=("$package")
  fi
done
[ ${#packages[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "[setup-test-tools] the tests need programs this machine lacks: ${missing[*]}" >&2
  echo "[setup-test-tools] install them: sudo apt-get install ${packages[*]}" >&2
  exit 1
fi
echo "[setup-test-tools] apt-get install ${packages[*]} (for ${missing[*]})"
apt-get update -qq
apt-get install -y -qq "${packages[@]}" >/dev/null
for entry in "${tools[@]}"; do
  program=${entry%%:*}
  found "$program" || { echo "[setup-test-tools] $program is still missing after apt-get install ${entry##*:}" >&2; exit 1; }
done
