#!/usr/bin/env bash
# Installs both Docker Compose CLIs the tests run on, with apt alone:
#   v1  `docker-compose` 1.29 from this machine's Debian (bookworm)
#   v2  `docker compose` 2.26: the CLI plugin from Debian trixie's docker-compose package, at
#       /usr/local/lib/docker/cli-plugins/docker-compose (found there for every HOME)
# v2 follows /work/shared/reference/compose-v2.md, with one difference: the trixie entry lives in a
# private apt state (its own sources, lists and cache in a temporary folder), so the machine's apt
# sources are never changed and nothing can ever be installed from trixie (no pin needed, nothing
# left behind if the script is interrupted). The mirror is the one this machine's apt uses for its
# own release. The .deb is cached in the git-ignored .cache/compose-v2/.
# Idempotent: when both answer, it returns in well under a second.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PLUGIN=/usr/local/lib/docker/cli-plugins/docker-compose
V2_SUITE=trixie
CACHE=${WABA_COMPOSE_CACHE:-$ROOT/.cache/compose-v2}

say() { echo "[setup-compose] $*"; }
die() { echo "[setup-compose] $*" >&2; exit 1; }

need_root() {
  [ "$(id -u)" = 0 ] || die "$1 is missing and only root can install it (run as root, or install it yourself: see docs/operating.md, 'Compose v1 and v2')"
}

if ! command -v docker-compose >/dev/null 2>&1; then
  need_root "Compose v1 (docker-compose)"
  say "apt-get install docker-compose (v1)"
  apt-get update -qq
  apt-get install -y -qq docker-compose >/dev/null
fi

if docker compose version >/dev/null 2>&1; then
  say "v1: $(docker-compose version --short 2>/dev/null), v2: $(docker compose version --short)"
  exit 0
fi
need_root "Compose v2 (the docker compose plugin)"
command -v docker >/dev/null 2>&1 || die "the docker CLI is missing: install Debian's docker.io first (scripts/setup-docker.sh does)"

# The Debian archive this machine's apt reads its own release from (deb822 or one-line sources alike).
own_release=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
[ -n "$own_release" ] || die "cannot tell this machine's Debian release (VERSION_CODENAME in /etc/os-release)"
own_mirror() {
  apt-get indextargets --format '$(RELEASE) $(REPO_URI)' 'Identifier: Packages' 2>/dev/null \
    | awk -v r="$own_release" '$1 == r { print $2; exit }'
}
mirror=$(own_mirror)
# A machine whose package lists were never fetched knows its sources but lists no index target yet.
if [ -z "$mirror" ]; then apt-get update -qq && mirror=$(own_mirror); fi
[ -n "$mirror" ] || die "no apt source for Debian $own_release on this machine (apt-get indextargets): the v2 plugin comes from that mirror's $V2_SUITE suite; run apt-get update, or install the plugin at $PLUGIN yourself"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -f "$keyring" ] || die "$keyring is missing (Debian's debian-archive-keyring package)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$CACHE"
deb=$(ls -1 "$CACHE"/docker-compose_*.deb 2>/dev/null | tail -n1 || true)
if [ -z "$deb" ]; then
  started=$(date +%s)
  state=$work/apt
  mkdir -p "$state/sources" "$state/lists/partial" "$state/cache/archives/partial"
  printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: %s\n' "$mirror" "$V2_SUITE" "$keyring" \
    > "$state/sources/$V2_SUITE.sources"
  apt_private=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$state/sources"
    -o "Dir::State::Lists=$state/lists" -o "Dir::Cache=$state/cache" -o "APT::Sandbox::User=root")
  say "fetching $V2_SUITE's package index from $mirror (private apt state; the machine's sources stay as they are)"
  apt-get "${apt_private[@]}" update -qq
  (cd "$CACHE" && apt-get "${apt_private[@]}" download -qq "docker-compose/$V2_SUITE")
  deb=$(ls -1 "$CACHE"/docker-compose_*.deb 2>/dev/null | tail -n1 || true)
  [ -n "$deb" ] || die "apt-get download docker-compose/$V2_SUITE left no .deb in $CACHE"
  say "downloaded $(basename "$deb") in $(( $(date +%s) - started )) s"
fi

unpacked=$work/deb
dpkg-deb -x "$deb" "$unpacked"
# Only the plugin: the package's usr/bin/docker-compose is a symlink to it and would shadow v1 on PATH.
install -D -m 0755 "$unpacked/usr/libexec/docker/cli-plugins/docker-compose" "$PLUGIN"
docker compose version >/dev/null 2>&1 || die "$PLUGIN does not answer 'docker compose version'"
say "v1: $(docker-compose version --short 2>/dev/null), v2: $(docker compose version --short) ($PLUGIN)"
