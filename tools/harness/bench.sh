#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make bench: side-by-side cost of one IO round trip (SET_REGS, KVM_RUN to
# an IO exit, KVM_RUN to HLT) on our modules and on the in-tree ones, in
# one boot of the emulated host (HOST=amd, the default, or HOST=intel).
#
# AMD: single-threaded TCG with -icount shift=0,sleep=off: the emulated
# clock then advances 1 ns per instruction, so the "ns" the demo reads
# with clock_gettime are an instruction count of the whole path and
# repeat to within a few instructions.
# Intel: Bochs with clock sync=none is instruction-counted by design: its
# TSC advances BOCHS_IPS times per emulated second (lib.sh), so the "ns"
# are 1e9/BOCHS_IPS instructions each (5 at the default).
#
# The stacks alternate ours/ref/ours/ref (BENCH_ROUNDS pairs) and the
# minimums are compared.
#
#	BENCH_N		iterations per run (default 2000)
#	BENCH_ROUNDS	ours/ref pairs (default 2)

set -u
# Under -icount the emulated clock follows the instruction count, not the
# wall clock: give the heartbeat (every 5 emulated seconds) more room.
HB_LIMIT=${HB_LIMIT:-300}
. "$(dirname "$0")/lib.sh"

BENCH_N=${BENCH_N:-2000}
BENCH_ROUNDS=${BENCH_ROUNDS:-2}
case "$HOST" in
amd|intel) ;;
*) die "make bench takes HOST=amd or HOST=intel (got '$HOST')" ;;
esac

results_reset
trap summary_on_exit EXIT
check_kernel
log "building the modules (log: $LOGS/build-modules.log)"
make -C "$TOP" modules >"$LOGS/build-modules.log" 2>&1 ||
	log "module build failed: the ours runs will fail"
extract_linux_src || die "cannot extract $LINUX_TARBALL"
[ -f "$TOP/tools/kvm-demo/Makefile" ] || die "tools/kvm-demo/Makefile missing"
make -C "$TOP/tools/kvm-demo" OUT="$BUILD/demo" LINUX_SRC="$LINUX_SRC" \
	>"$LOGS/build-demo.log" 2>&1 || {
	tail -n 30 "$LOGS/build-demo.log"
	die "demo build failed"
}
[ -x "$BUILD/demo/kvm-demo" ] || die "$BUILD/demo/kvm-demo missing"

d=$BUILD/initramfs-bench
initramfs_new "$d"
initramfs_add_prog "$d" "$BUILD/demo/kvm-demo" kvm-demo
PLAN_IDX=0
for r in $(seq "$BENCH_ROUNDS"); do
	for s in ours ref; do
		plan_add "$d/plan" "$s" insmod insmod 60
		plan_add "$d/plan" "$s" bench "bench$r" "$TEST_TIMEOUT" \
			/kvm-demo --bench "$BENCH_N"
		plan_add "$d/plan" "$s" unload rmmod 60
	done
done
# Bochs reads the initramfs through emulated BIOS disk calls: small wins.
[ "$HOST" = intel ] && INITRD_COMP=${INITRD_COMP:-gzip}
pack_initramfs "$d" "$BUILD/initrd-bench" || die "cannot pack the initramfs"

QEMU_ACCEL="-accel tcg,thread=single -icount shift=0,sleep=off -smp 1"
MAX_BOOTS=1
run_plan "$d" "$BUILD/initrd-bench" bench || true

awk -f "$HARNESS/parse.awk" "$d/plan" "$LOGS/bench.log" >"$LOGS/bench.parsed"
grep -E '^(PASS|FAIL|SKIP) ' "$LOGS/bench.parsed" | tee -a "$RESULTS"
grep '^BENCH ' "$LOGS/bench.parsed" | awk -v host="$HOST" '
	{
		printf "  %-4s min=%s median=%s\n", $2, $3, $4
		if (!($2 in min) || $3 + 0 < min[$2]) min[$2] = $3 + 0
	}
	END {
		print ""
		print "host: " host
		if ("ours" in min)
			printf "io_roundtrip_ns min: ours=%d\n", min["ours"]
		if ("ref" in min)
			printf "io_roundtrip_ns min: ref=%d\n", min["ref"]
		if (("ours" in min) && ("ref" in min) && min["ref"] > 0)
			printf "ratio ours/ref: %.3f\n", min["ours"] / min["ref"]
		else
			print "ratio ours/ref: n/a (a stack produced no number)"
	}'
summary
