#!/usr/bin/env bash
# Installs a real VS Code for tests and `npm start` on machines without desktop VS Code:
# code-server's bundled VS Code server (VS Code 1.100.3, the newest build for Node 20) plus
# playwright-core to drive Debian's headless Chromium. See the team's vscode-test-env.md.
#
#   bash scripts/setup-vscode-test.sh [DEST]      (default DEST=.vscode-test, git-ignored)
#
# Idempotent: a stamp file with the versions makes a second run return in well under a second.
# Everything goes into DEST, never into the project's package.json/lockfile (code-server's
# postinstall compiles native modules for ~90 s and would slow down every `npm ci`).
set -euo pipefail

CODE_SERVER_VERSION=${CODE_SERVER_VERSION:-4.100.3}     # VS Code 1.100.3; 4.101+ need Node 22+
PLAYWRIGHT_CORE_VERSION=${PLAYWRIGHT_CORE_VERSION:-1.65.1}
# code-server 4.100.3 depends on @vscode/ripgrep 1.15.11, which downloads this rg build from GitHub.
RIPGREP_PKG_VERSION=1.15.11
RIPGREP_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEST=${1:-$ROOT/.vscode-test}
mkdir -p "$DEST"
DEST=$(cd "$DEST" && pwd)
STAMP="$DEST/.installed"
WANT="code-server@$CODE_SERVER_VERSION playwright-core@$PLAYWRIGHT_CORE_VERSION node$(node -p 'process.versions.node.split(".")[0]')"
SERVER_MAIN="$DEST/node_modules/code-server/lib/vscode/out/server-main.js"

need=()
for p in chromium libkrb5-dev ripgrep; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done

if [ ${#need[@]} -eq 0 ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ] && [ -f "$SERVER_MAIN" ] \
   && [ -d "$DEST/node_modules/playwright-core" ]; then
  echo "[setup-vscode-test] up to date in $DEST ($WANT)"
  exit 0
fi

started=$(date +%s)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "[setup-vscode-test] missing apt packages (${need[*]}) and not root; install them: sudo apt-get install ${need[*]}" >&2; exit 1; fi
  echo "[setup-vscode-test] apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

# npm keeps the user's HOME: ~/.npmrc holds nodedir=/usr (local Node headers, so node-gyp downloads
# nothing) and the npm cache. Temporary files go into DEST; code-server itself runs with HOME=DEST/home.
export TMPDIR="$DEST/tmp"
mkdir -p "$TMPDIR"
# Test runners call this with a throwaway HOME: keep using the account's npmrc and npm cache then.
real_home=$(getent passwd "$(id -u)" | cut -d: -f6)
if [ -n "$real_home" ] && [ "$HOME" != "$real_home" ]; then
  [ -f "$real_home/.npmrc" ] && export npm_config_userconfig=${npm_config_userconfig:-$real_home/.npmrc}
  export npm_config_cache=${npm_config_cache:-$real_home/.npm}
fi

# @vscode/ripgrep's postinstall fetches rg from api.github.com (unreachable). It first looks in
# $TMPDIR/vscode-ripgrep-cache-<version>/, so put Debian's rg 13 there in the expected archive.
mkdir -p "$TMPDIR/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION"
tar -C /usr/bin -czf "$TMPDIR/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION/$RIPGREP_ASSET" rg

cd "$DEST"
[ -f package.json ] || echo '{ "name": "waba-vscode-test-env", "private": true }' > package.json
rm -f "$STAMP"
echo "[setup-vscode-test] npm install code-server@$CODE_SERVER_VERSION playwright-core@$PLAYWRIGHT_CORE_VERSION (about 90 s cold)"
# --unsafe-perm: code-server's postinstall exits as root without it (npm 11 warns "Unknown cli
# config" but still exports npm_config_unsafe_perm). npm_config_yes: node-pty's postinstall runs
# `npx node-gyp` and the global npmrc says yes=false.
npm_config_yes=true npm install --unsafe-perm --no-audit --no-fund --loglevel=error \
  "code-server@$CODE_SERVER_VERSION" "playwright-core@$PLAYWRIGHT_CORE_VERSION"

test -f "$SERVER_MAIN" || { echo "[setup-vscode-test] $SERVER_MAIN missing after install" >&2; exit 1; }
# code-server writes config.yaml and logs on its first run (even --version): keep them in DEST.
HOME="$DEST/home" XDG_CONFIG_HOME="$DEST/home/.config" XDG_DATA_HOME="$DEST/home/.local/share" \
  XDG_CACHE_HOME="$DEST/home/.cache" "$DEST/node_modules/.bin/code-server" --version | grep -F "with Code"
echo "$WANT" > "$STAMP"
echo "[setup-vscode-test] installed in $DEST in $(( $(date +%s) - started )) s"
