#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Print the kernel version to build against and boot in the emulated hosts.
# Chosen from what is installed (never `uname -r`): the newest 6.1 kernel
# that has both a build tree and a vmlinuz; KVER= in the environment wins.
if [ -n "$KVER" ]; then echo "$KVER"; exit 0; fi
for d in $(ls -d /lib/modules/6.1.*/build 2>/dev/null | sort -V -r); do
	v=${d#/lib/modules/}; v=${v%/build}
	if [ -f "/boot/vmlinuz-$v" ]; then echo "$v"; exit 0; fi
done
# Any kernel with headers, for a build-only use.
for d in $(ls -d /lib/modules/*/build 2>/dev/null | sort -V -r); do
	v=${d#/lib/modules/}; echo "${v%/build}"; exit 0
done
exit 1
