#!/usr/bin/env bash
# Builds the emulator base root filesystem with debootstrap + apt inside the chroot.
#   make-rootfs.sh <target-dir> <debian-mirror> <packages.txt> [<security-mirror>]
# Two stages: a minbase debootstrap, then `apt-get install --no-install-recommends` of the package
# list inside the chroot with a policy-rc.d that forbids starting services (so the MariaDB and
# PostgreSQL maintainer scripts never launch daemons inside the chroot). The data directories the
# packages create are removed: the images' entrypoints initialise them on first container start.
set -euo pipefail
dir=$1 mirror=$2 pkgfile=$3 secmirror=${4:-}
suite=bookworm
export DEBIAN_FRONTEND=noninteractive LC_ALL=C

mapfile -t pkgs < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$pkgfile" | grep -v '^$')

debootstrap --variant=minbase "$suite" "$dir" "$mirror"

cleanup() { umount "$dir/proc" 2>/dev/null || true; }
trap cleanup EXIT
mount -t proc proc "$dir/proc"

{
  echo "deb $mirror $suite main"
  echo "deb $mirror $suite-updates main"
  if [ -n "$secmirror" ]; then echo "deb $secmirror $suite-security main"; fi
} >"$dir/etc/apt/sources.list"
cp /etc/resolv.conf "$dir/etc/resolv.conf"
printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
chmod 755 "$dir/usr/sbin/policy-rc.d"
# Keep docs, man pages and translations out of the image.
cat >"$dir/etc/dpkg/dpkg.cfg.d/01-emulator-nodoc" <<'CFG'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
path-exclude=/usr/share/lintian/*
CFG
cat >"$dir/etc/apt/apt.conf.d/01-emulator" <<'CFG'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
CFG
# Do not let postgresql-common create (and initdb) a default cluster.
mkdir -p "$dir/etc/postgresql-common/createcluster.d"
echo 'create_main_cluster = false' >"$dir/etc/postgresql-common/createcluster.d/50-emulator.conf"

chroot "$dir" apt-get update -qq
chroot "$dir" apt-get install -y -qq "${pkgs[@]}" >/dev/null
chroot "$dir" apt-get clean

umount "$dir/proc"
trap - EXIT

# Trim: package lists, caches, docs, logs, and the data dirs the packages created.
rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/var/cache/apt/archives/*.deb \
  "$dir"/var/cache/debconf/*-old "$dir"/var/lib/dpkg/*-old \
  "$dir"/usr/share/man/* "$dir"/usr/share/info/* "$dir"/usr/share/locale/* "$dir"/usr/share/lintian \
  "$dir"/var/log/*.log "$dir"/var/log/apt/* \
  "$dir"/var/lib/mysql "$dir"/var/lib/postgresql/15 "$dir"/etc/postgresql/15 \
  "$dir"/tmp/* "$dir"/root/.cache
# PostgreSQL's LLVM JIT (libLLVM + z3, ~130 MB) is optional at run time: without llvmjit.so the
# server simply runs with JIT unavailable. The emulator's queries never need it.
rm -rf "$dir"/usr/lib/postgresql/15/lib/llvmjit* "$dir"/usr/lib/postgresql/15/lib/bitcode \
  "$dir"/usr/lib/x86_64-linux-gnu/libLLVM-*.so* "$dir"/usr/lib/x86_64-linux-gnu/libz3.so* \
  "$dir"/usr/share/i18n
find "$dir/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
find "$dir/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
rm -f "$dir/usr/sbin/policy-rc.d"
: >"$dir/etc/resolv.conf"
echo emulator >"$dir/etc/hostname"
