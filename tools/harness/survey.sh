#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# make survey: every upstream KVM selftest that builds, plus our own, in
# the emulated AMD host; prints a table.  Informational: exits 0.
# STACK=ref surveys the in-tree modules.
MODE=survey exec "$(dirname "$0")/check.sh" "$@"
