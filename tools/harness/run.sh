#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make run: build the modules and the demo, boot an emulated host, load
# our modules, run /kvm-demo and show what it printed.  Exits 0 only if
# the demo reported success (DEMO-OK).
#
#	HOST=amd	QEMU TCG, -cpu EPYC,+svm,+npt (default)
#	HOST=intel	Bochs, VMX + EPT (slow: minutes)
#	STACK=ref	run the demo on the in-tree modules instead

set -u
. "$(dirname "$0")/lib.sh"

[ "$STACK" = both ] && die "make run takes STACK=ours or STACK=ref"
results_reset
trap summary_on_exit EXIT
check_kernel

if [ "$STACK" = ours ]; then
	log "building the modules (log: $LOGS/build-modules.log)"
	make -C "$TOP" modules >"$LOGS/build-modules.log" 2>&1 || {
		tail -n 30 "$LOGS/build-modules.log"
		die "module build failed"
	}
fi
extract_linux_src || die "cannot extract $LINUX_TARBALL"
[ -f "$TOP/tools/kvm-demo/Makefile" ] || die "tools/kvm-demo/Makefile missing"
log "building the demo (log: $LOGS/build-demo.log)"
make -C "$TOP/tools/kvm-demo" OUT="$BUILD/demo" LINUX_SRC="$LINUX_SRC" \
	>"$LOGS/build-demo.log" 2>&1 || {
	tail -n 30 "$LOGS/build-demo.log"
	die "demo build failed"
}
[ -x "$BUILD/demo/kvm-demo" ] || die "$BUILD/demo/kvm-demo missing"

d=$BUILD/initramfs-run
initramfs_new "$d"
initramfs_add_prog "$d" "$BUILD/demo/kvm-demo" kvm-demo
PLAN_IDX=0
plan_add "$d/plan" "$STACK" insmod insmod 60
demo_idx=$PLAN_IDX
plan_add "$d/plan" "$STACK" demo kvm-demo "${TEST_TIMEOUT}" /kvm-demo
plan_add "$d/plan" "$STACK" dmesg dmesg-clean 60
# Bochs reads the initramfs through emulated BIOS disk calls: small wins.
[ "$HOST" = intel ] && INITRD_COMP=${INITRD_COMP:-gzip}
pack_initramfs "$d" "$BUILD/initrd-run" || die "cannot pack the initramfs"

MAX_BOOTS=1
run_plan "$d" "$BUILD/initrd-run" run || true

echo "---- /kvm-demo output ($HOST host, $STACK modules):"
awk -f "$HARNESS/parse.awk" -v show="$demo_idx" "$d/plan" "$LOGS/run.log"
echo "----"
awk -f "$HARNESS/parse.awk" "$d/plan" "$LOGS/run.log" |
	grep -E '^(PASS|FAIL|SKIP) ' | tee -a "$RESULTS"
SUMMARY_DONE=1
if grep -q "^PASS $STACK:kvm-demo" "$RESULTS"; then
	echo "demo OK"
	exit 0
fi
grep -q "^FAIL $STACK:insmod" "$RESULTS" &&
	grep -a -i -E 'insmod|harness:' "$LOGS/run.log" | head -n 20
echo "demo FAILED (serial log: $LOGS/run.log)"
exit 1
