#!/usr/bin/env bash
# Builds the emulator images (no registry needed; everything comes from Debian's apt mirror):
#   waba-emulator/base:<key>          debootstrap'd bookworm rootfs (nodejs, mariadb, postgresql-15, ...)
#   <ns>/mysql:8.0.33                 MariaDB with the official mysql image's contract
#   <ns>/postgres:13.8                PostgreSQL 15 with the official postgres image's contract
#   <ns>/coreapp:v<VERSION>           emulator program as Meta's coreapp (also used for masters)
#   <ns>/web:v<VERSION>               emulator program as Meta's webapp
# <ns> is $WABA_EMULATOR_IMAGES, default waba-emulator: two checkouts of this repository (say, two
# branches under test at once) build into their own namespaces and never swap each other's images.
# The compose overrides read the same variable.
# Usage: emulator/scripts/build-images.sh [VERSION ...]   (default: emulator/versions.txt)
# Idempotent: the base is keyed by a hash of its package list + rootfs script (rootfs tarball
# cached in emulator/.cache/), and every other image carries a waba-emulator.inputs-hash label;
# an image whose label matches its current inputs is not rebuilt.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
em=$repo/emulator
images=$em/images
cache=$em/.cache
ns=${WABA_EMULATOR_IMAGES:-waba-emulator}
[[ $ns =~ ^[a-z0-9][a-z0-9._/-]*$ ]] || { echo "[build-images] ERROR: WABA_EMULATOR_IMAGES='$ns' is not an image name prefix" >&2; exit 1; }
export DOCKER_BUILDKIT=0   # classic builder: FROM a local image never contacts a registry

say() { echo "[build-images] $*"; }
die() { echo "[build-images] ERROR: $*" >&2; exit 1; }
now() { date +%s.%N; }
T0=$(now)
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }
sha() { sha256sum | cut -c1-16; }

# ---- preflight ---------------------------------------------------------------------------
command -v docker >/dev/null 2>&1 || die "docker CLI not found. Install Debian's docker.io (scripts/setup-docker.sh does it)."
if ! docker info >/dev/null 2>&1; then
  die "the Docker engine does not answer (docker info failed). Start it with scripts/setup-docker.sh."
fi

# One build at a time per checkout (tests and developers may start it concurrently; the staged
# contexts under .cache/ are shared).
mkdir -p "$cache"
exec 9>"$cache/build.lock"
if ! flock -n 9; then
  say "another build-images.sh is running in this checkout; waiting for it"
  flock 9
fi

versions=("$@")
if [ ${#versions[@]} -eq 0 ]; then
  [ -f "$em/versions.txt" ] || die "no VERSION given and $em/versions.txt is missing"
  mapfile -t versions < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$em/versions.txt" | grep -v '^$')
fi
for v in "${versions[@]}"; do
  v=${v#v}
  [[ $v =~ ^2\.[0-9]+\.[0-9]+$ ]] || die "bad version '$v' (expected 2.N.M, e.g. 2.53.1)"
done

# ---- 1. emulator bundle ------------------------------------------------------------------
# WA_EMULATOR_BUNDLE=<file> uses that bundle as is (skips esbuild), e.g. for testing the images.
t=$(now)
if [ -n "${WA_EMULATOR_BUNDLE:-}" ]; then
  bundle=$WA_EMULATOR_BUNDLE
  [ -f "$bundle" ] || die "WA_EMULATOR_BUNDLE=$bundle does not exist"
  say "using bundle $bundle (WA_EMULATOR_BUNDLE)"
elif [ -f "$em/src/main.ts" ]; then
  say "bundling emulator/src/main.ts -> emulator/dist/main.js"
  (cd "$repo" && node esbuild.mjs --only=emulator) || die "esbuild failed (node esbuild.mjs --only=emulator)"
fi
bundle=${bundle:-$em/dist/main.js}
[ -f "$bundle" ] || die "$bundle is missing (emulator/src/main.ts not written yet?)"
say "bundle ready ($(took "$t"))"

# ---- 2. base image -----------------------------------------------------------------------
apt_uri() {  # first URIs of a sources entry whose URI ends in the given path
  local path=$1 f u
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    u=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }' "$f" | grep -E "/${path}/?\$" | head -n1 || true)
    if [ -n "$u" ]; then echo "${u%/}"; return; fi
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    u=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; break } }' "$f" \
      | grep -E "/${path}/?\$" | head -n1 || true)
    if [ -n "$u" ]; then echo "${u%/}"; return; fi
  done
}

base_key=$(cat "$images/base/packages.txt" "$images/base/make-rootfs.sh" | sha | cut -c1-12)
base=waba-emulator/base:$base_key
tarball=$cache/base-$base_key.tar
mkdir -p "$cache"
if docker image inspect "$base" >/dev/null 2>&1; then
  say "base image $base present"
else
  if [ ! -f "$tarball" ]; then
    command -v debootstrap >/dev/null 2>&1 || die "debootstrap not found (apt-get install debootstrap, or run scripts/setup-docker.sh)"
    [ "$(id -u)" = 0 ] || die "building the base rootfs needs root (debootstrap + chroot)"
    mirror=$(apt_uri debian)
    [ -n "$mirror" ] || die "no Debian mirror in this machine's apt sources (/etc/apt/sources.list.d/*.sources or sources.list): debootstrap needs the one apt uses"
    secmirror=$(apt_uri debian-security)
    rootfs=$cache/rootfs-$base_key
    rm -rf "$rootfs"
    say "building base rootfs with debootstrap from $mirror (takes a few minutes; log: $cache/rootfs-$base_key.log)"
    t=$(now)
    if ! bash "$images/base/make-rootfs.sh" "$rootfs" "$mirror" "$images/base/packages.txt" "$secmirror" \
        >"$cache/rootfs-$base_key.log" 2>&1; then
      umount "$rootfs/proc" 2>/dev/null || true
      tail -n 30 "$cache/rootfs-$base_key.log" >&2
      die "making the rootfs failed (full log: $cache/rootfs-$base_key.log)"
    fi
    say "rootfs built ($(took "$t"))"
    t=$(now)
    tar -C "$rootfs" --numeric-owner -cf "$tarball.tmp" .
    mv "$tarball.tmp" "$tarball"
    rm -rf "$rootfs"
    # Old keys' tarballs are useless now.
    find "$cache" -maxdepth 1 -name 'base-*.tar' ! -name "base-$base_key.tar" -delete
    say "rootfs tarball cached: $tarball ($(du -h "$tarball" | cut -f1), $(took "$t"))"
  else
    say "reusing cached rootfs tarball $tarball"
  fi
  t=$(now)
  docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'LABEL waba-emulator.emulator=true waba-emulator.image=base' \
    --change "LABEL waba-emulator.inputs-hash=$base_key" \
    --change 'CMD ["/bin/bash"]' \
    -m "waba-emulator base rootfs ($base_key)" "$tarball" "$base" >/dev/null
  say "imported $base ($(took "$t"))"
fi

# ---- 3. images with an inputs-hash label ---------------------------------------------------
label_of() { docker image inspect -f '{{ index .Config.Labels "waba-emulator.inputs-hash" }}' "$1" 2>/dev/null || true; }
dir_hash() { (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha; }

# build <image:tag> <context dir> <inputs hash> [docker build args...]
build() {
  local name=$1 ctx=$2 hash=$3; shift 3
  if [ "$(label_of "$name")" = "$hash" ]; then
    say "$name up to date (inputs $hash)"
    return
  fi
  local t log old; t=$(now); log=$cache/build-${name//[\/:]/_}.log
  old=$(docker image inspect -f '{{.Id}}' "$name" 2>/dev/null || true)
  if ! docker build --pull=false --build-arg "BASE_IMAGE=$base" --label "waba-emulator.inputs-hash=$hash" \
      "$@" -t "$name" "$ctx" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    die "docker build of $name failed (log: $log)"
  fi
  say "built $name ($(took "$t"))"
  # Drop the superseded image if nothing else uses it (otherwise it stays as a dangling <none>).
  if [ -n "$old" ] && [ "$old" != "$(docker image inspect -f '{{.Id}}' "$name")" ]; then
    docker rmi "$old" >/dev/null 2>&1 || true
  fi
}

# DB images: their folder plus the entrypoint helpers they share.
db_context() {
  local ctx=$cache/context-$1
  rm -rf "$ctx"; mkdir -p "$ctx"
  cp -r "$images/$1/." "$ctx/"
  cp "$images/db-common/entrypoint-lib.sh" "$ctx/"
  echo "$ctx"
}
ctx=$(db_context mysql)
build "$ns/mysql:8.0.33" "$ctx" "$( { echo "$base_key"; dir_hash "$ctx"; } | sha)" \
  --label waba-emulator.emulator=true --label waba-emulator.image=mysql \
  --label waba-emulator.emulates=mysql:8.0.33 \
  --label 'org.opencontainers.image.description=Emulator stand-in for mysql:8.0.33 (MariaDB from Debian bookworm)'
ctx=$(db_context postgres)
build "$ns/postgres:13.8" "$ctx" "$( { echo "$base_key"; dir_hash "$ctx"; } | sha)" \
  --label waba-emulator.emulator=true --label waba-emulator.image=postgres \
  --label waba-emulator.emulates=postgres:13.8 \
  --label 'org.opencontainers.image.description=Emulator stand-in for postgres:13.8 (PostgreSQL 15 from Debian bookworm)'

# One Dockerfile for both WhatsApp images; they differ in WA_IMAGE and the ports they expose.
ctx=$cache/context-whatsapp
rm -rf "$ctx"; mkdir -p "$ctx/bin"
cp "$images/whatsapp/Dockerfile" "$ctx/Dockerfile"
cp "$images/whatsapp-bin/"*.sh "$ctx/bin/"
cp "$bundle" "$ctx/main.js"
inputs=$(dir_hash "$ctx")
declare -A ports=([coreapp]="6250 6251 6252 6253" [web]="443")
for img in coreapp web; do
  for v in "${versions[@]}"; do
    v=${v#v}
    build "$ns/$img:v$v" "$ctx" "$( { echo "$base_key $img $v"; echo "$inputs"; } | sha)" \
      --build-arg "WA_IMAGE=$img" --build-arg "WA_VERSION=$v" --build-arg "WA_PORTS=${ports[$img]}"
  done
done

say "all images ready in $(took "$T0"): $base $ns/mysql:8.0.33 $ns/postgres:13.8 $(for v in "${versions[@]}"; do printf '%s/{coreapp,web}:v%s ' "$ns" "${v#v}"; done)"
