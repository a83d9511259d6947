#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Install what the build and the emulated-host harness need (Debian 12).
# Idempotent: asks dpkg what is missing and only then runs apt-get, so a
# machine that has everything never touches the network.

set -eu

PKGS="
qemu-system-x86
linux-image-amd64
linux-headers-amd64
busybox-static
cpio
bochs
bochsbios
vgabios
isolinux
syslinux-common
genisoimage
linux-source-6.1
sparse
coccinelle
linux-libc-dev
libc6-dev
gcc
make
kmod
xz-utils
binutils
zstd
"

missing=
for p in $PKGS; do
	st=$(dpkg-query -W -f '${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing="$missing $p"
done

if [ -z "$missing" ]; then
	exit 0
fi

echo "deps: installing:$missing" >&2
if [ "$(id -u)" != 0 ]; then
	echo "deps: not root; install these packages first:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
# shellcheck disable=SC2086
apt-get install -y --no-install-recommends $missing
