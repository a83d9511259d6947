#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make check: build everything, run the host-side tests, then boot the
# emulated hosts that load the module stack(s) and run the selftests:
# AMD (QEMU TCG) first, then Intel (Bochs; every Intel test in one boot).
# HOST=amd or HOST=intel runs only that one.  Intel results are named
# "intel:<stack>:<test>", AMD ones "<stack>:<test>".
# Prints "PASS name", "FAIL name: why" or "SKIP name: why" per result and,
# as the very last line, "N passed, N failed, N skipped".  Exits non-zero
# on any failure.
#
# MODE=survey (make survey) skips the host-side tests, runs every upstream
# selftest that built instead of the expected-pass list, prints a table
# and always exits 0.  It surveys the AMD host unless HOST says otherwise.
#
# Knobs: STACK=ours|ref|both, HOST, TEST_TIMEOUT, ONLY, BUILD, KVER (see
# lib.sh).

set -u
MODE=${MODE:-check}
if [ "$MODE" = survey ]; then
	HOST=${HOST:-amd}
else
	HOST=${HOST:-both}
fi
. "$(dirname "$0")/lib.sh"

case "$HOST" in
both) HOSTS="amd intel" ;;
amd|intel) HOSTS=$HOST ;;
*) die "HOST must be amd, intel or both (got '$HOST')" ;;
esac
T_START=$(now)

results_reset
trap summary_on_exit EXIT
check_kernel

# host_step name log command...: one host-side test, judged by status.
host_step() {
	local name=$1 out=$2
	local rc
	shift 2
	"$@" >"$out" 2>&1
	rc=$?
	if [ "$rc" = 0 ]; then
		result PASS "$name"
		return 0
	fi
	result FAIL "$name" "exit status $rc (log: $out)"
	tail -n 20 "$out" | sed 's/^/    /'
	return 1
}

# ---------------------------------------------------------------------
# Host side.

build_modules() {
	local out=$LOGS/build-modules.log
	if [ "$MODE" = check ] && [ "$STACK" != ref ]; then
		# From scratch: Kbuild does not recompile (nor warn again
		# about) objects that are up to date.
		log "building modules with W=1 (log: $out)"
		make -C "$KDIR" M="$TOP" clean >/dev/null 2>&1
		if make -C "$TOP" modules W=1 >"$out" 2>&1; then
			if grep -q 'warning:' "$out"; then
				result FAIL build-w1 "compiler warnings (log: $out)"
				grep 'warning:' "$out" | head -n 20 | sed 's/^/    /'
			else
				result PASS build-w1
			fi
		else
			result FAIL build-w1 "build failed (log: $out)"
			grep -E 'error|warning:' "$out" | head -n 20 | sed 's/^/    /'
		fi
	elif [ "$STACK" != ref ]; then
		make -C "$TOP" modules >"$out" 2>&1 ||
			log "module build failed (log: $out)"
	fi
}

host_tests() {
	local emu=$TOP/tools/testing/emulate out rc
	host_step abi-check "$LOGS/abi-check.log" make -C "$TOP" abi-check

	# sparse over every module source (C=2 checks even up-to-date files).
	if [ "$STACK" != ref ] && command -v sparse >/dev/null; then
		out=$LOGS/sparse.log
		if make -C "$TOP" sparse >"$out" 2>&1 &&
		    ! grep -qE '(warning|error):' "$out"; then
			result PASS sparse
		else
			result FAIL sparse "sparse reports problems (log: $out)"
			grep -E '(warning|error):' "$out" | head -n 20 | sed 's/^/    /'
		fi
	fi

	[ -f "$emu/Makefile" ] || return 0
	out=$LOGS/emulate.log
	log "host unit tests (tools/testing/emulate)"
	make -C "$emu" OUT="$BUILD/emulate" run >"$out" 2>&1
	rc=$?
	awk '
	/^(not )?ok [0-9]+( |$)/ {
		bad = /^not /
		line = $0
		sub(/^(not )?ok [0-9]+ ?(- )?/, "", line)
		if (!bad && match(line, /#[ \t]*[Ss][Kk][Ii][Pp]/)) {
			why = substr(line, RSTART + RLENGTH)
			sub(/^[ \t:]*/, "", why)
			line = substr(line, 1, RSTART - 1)
			sub(/[ \t]+$/, "", line)
			print "SKIP emulate/" line ": " (why == "" ? "skipped" : why)
		} else {
			sub(/[ \t]+#.*$/, "", line)
			print (bad ? "FAIL" : "PASS") " emulate/" line
		}
	}' "$out" | tee -a "$RESULTS" >"$LOGS/emulate.results"
	cat "$LOGS/emulate.results"
	if [ "$rc" != 0 ] && ! grep -q '^FAIL ' "$LOGS/emulate.results"; then
		result FAIL emulate "exit status $rc (log: $out)"
		tail -n 20 "$out" | sed 's/^/    /'
	fi
}

# ---------------------------------------------------------------------
# Test programs.

build_selftests() {
	local dir=$TOP/tools/testing/selftests/kvm
	OWN_TESTS=
	if [ ! -f "$dir/Makefile" ]; then
		result FAIL build-selftests "$dir/Makefile missing"
		return
	fi
	log "building our selftests"
	rm -f "$BUILD/selftests/TESTS"
	if host_step build-selftests "$LOGS/build-selftests.log" \
		make -C "$dir" OUT="$BUILD/selftests" LINUX_SRC="$LINUX_SRC" &&
	   [ ! -f "$BUILD/selftests/TESTS" ]; then
		result FAIL build-selftests-list "$BUILD/selftests/TESTS missing"
	fi
	[ -f "$BUILD/selftests/TESTS" ] &&
		OWN_TESTS=$(grep -v '^[[:space:]]*\(#\|$\)' "$BUILD/selftests/TESTS" |
			only)
}

build_demo() {
	local dir=$TOP/tools/kvm-demo
	DEMO=
	if [ ! -f "$dir/Makefile" ]; then
		result FAIL build-demo "$dir/Makefile missing"
		return
	fi
	log "building the demo"
	if host_step build-demo "$LOGS/build-demo.log" \
		make -C "$dir" OUT="$BUILD/demo" LINUX_SRC="$LINUX_SRC"; then
		if [ -x "$BUILD/demo/kvm-demo" ]; then
			DEMO=$BUILD/demo/kvm-demo
		else
			result FAIL build-demo-binary "$BUILD/demo/kvm-demo missing"
		fi
	fi
}

# ONLY=regex narrows the programs to run (lines starting with the name).
only() {
	if [ -n "${ONLY:-}" ]; then
		awk -v re="$ONLY" '$1 ~ re'
	else
		cat
	fi
}

# Upstream programs to run: the expected-pass list of the host ($EXPECTED),
# or all in a survey.  Lines: "name [timeout]", # starts a comment.
upstream_selection() {
	if [ "$MODE" = survey ]; then
		sed "s/\$/ $TEST_TIMEOUT/" "$UPSTREAM/BUILT" 2>/dev/null
	elif [ -f "$EXPECTED" ]; then
		sed 's/#.*//' "$EXPECTED" | awk -v t="$TEST_TIMEOUT" \
			'NF { print $1, (NF > 1 ? $2 : t) }'
	fi | only
}

# ---------------------------------------------------------------------
# Emulated host.

# make_plan_and_initrd dir initrd: the plan of the current $HOST; results
# found here already (a program not built) are named with $PREFIX.
make_plan_and_initrd() {
	local d=$1 initrd=$2 plan s t name tmo
	initramfs_new "$d"
	plan=$d/plan
	PLAN_IDX=0
	[ -n "$DEMO" ] && initramfs_add_prog "$d" "$DEMO" kvm-demo
	for t in $OWN_TESTS; do
		if [ -x "$BUILD/selftests/$t" ]; then
			initramfs_add_prog "$d" "$BUILD/selftests/$t" "t/own/$t"
		fi
	done
	UP_SEL=$(upstream_selection)
	while read -r name tmo; do
		[ -n "$name" ] || continue
		if grep -qx "$name" "$UPSTREAM/BUILT" 2>/dev/null; then
			initramfs_add_prog "$d" "$UPSTREAM/$name" "t/up/$name"
		fi
	done <<<"$UP_SEL"

	# A real client: Debian's QEMU booting Debian's kernel on our KVM,
	# on both hosts (see Documentation/virt/kvm/testing.md); measured:
	# about 11 s a boot inside the AMD host, 36 s inside Bochs (the
	# Intel part of make check grows from about 110 s to 285 s).
	# NESTED_QEMU=0 leaves it out.
	CLIENTS=
	if [ "$MODE" = check ] && [ "${NESTED_QEMU:-1}" = 1 ]; then
		if "$HARNESS/nested-qemu.sh" "$d" "$KVER" \
		    >"$LOGS/nested-qemu.log" 2>&1; then
			CLIENTS="pc q35 pc-kirq q35-kirq"
		else
			result FAIL "${PREFIX}qemu-stage" "cannot stage QEMU (log: $LOGS/nested-qemu.log)"
		fi
	fi

	for s in $(stacks); do
		plan_add "$plan" "$s" insmod insmod 60
		if [ -n "$DEMO" ]; then
			plan_add "$plan" "$s" demo kvm-demo 60 /kvm-demo
		fi
		for t in $OWN_TESTS; do
			if [ -x "$d/t/own/$t" ]; then
				plan_add "$plan" "$s" own "$t" "$TEST_TIMEOUT" "/t/own/$t"
			else
				result FAIL "$PREFIX$s:$t" "not built"
			fi
		done
		while read -r name tmo; do
			[ -n "$name" ] || continue
			if [ -x "$d/t/up/$name" ]; then
				plan_add "$plan" "$s" up "$name" "$tmo" "/t/up/$name"
			else
				result FAIL "$PREFIX$s:upstream/$name" "not built"
			fi
		done <<<"$UP_SEL"
		# pc, q35: kernel-irqchip=off (QEMU's own PIC, IOAPIC, LAPIC
		# and PIT); pc-kirq, q35-kirq: KVM's in-kernel irqchip and PIT.
		# The in-tree modules cannot run the first (QEMU aborts setting
		# MSR 0x4b564d06 without an in-kernel LAPIC): they run the
		# -kirq boots only, for comparison.
		for t in $CLIENTS; do
			case "$s:$t" in
			ref:*-kirq | ours:*) ;;
			*) continue ;;
			esac
			plan_add "$plan" "$s" client "qemu-boot-$t" 300 \
				/t/client/qemu-boot.sh "$t"
		done
		plan_add "$plan" "$s" dmesg dmesg-clean 60
		plan_add "$plan" "$s" reload module-reload 120
	done
	cp "$plan" "$LOGS/$RUN_NAME.plan"
	log "packing the initramfs ($HOST host)"
	pack_initramfs "$d" "$initrd" || die "cannot pack the initramfs"
	log "initramfs: $(du -k "$initrd" | cut -f1) KiB" \
	    "($INITRD_COMP_USED of $INITRD_CPIO_KB KiB)," \
	    "$(wc -l <"$plan") plan entries"
}

print_table() {
	local rows=$1
	[ -s "$rows" ] || return 0
	echo
	printf '%-6s %-4s %-44s %-5s %4s %5s  %s\n' \
		STACK KIND NAME RESULT RC SECS NOTE
	awk -F '\t' '{ printf "%-6s %-4s %-44s %-5s %4s %5s  %s\n",
		$2, $3, $4, $5, $6, $7, $8 }' "$rows"
	echo
	awk -F '\t' '{ n[$2 " " $3 " " $5]++ } END {
		for (k in n) print "  " k ": " n[k] }' "$rows" | sort
	echo
}

# ---------------------------------------------------------------------

build_modules
[ "$MODE" = check ] && host_tests

extract_linux_src || result FAIL linux-source "cannot extract $LINUX_TARBALL"
build_selftests
build_demo
T_UP=$(now)
build_upstream || log "upstream selftests did not build (log: $LOGS/upstream-build.log)"
T_UP=$(( $(now) - T_UP ))

# One emulated host after the other (they would fight over the 2 cores).
# Logs: $LOGS/$MODE.* for AMD, $LOGS/$MODE-intel.* for Intel.
TIMES=
for HOST in $HOSTS; do
	host_limits
	if [ "$HOST" = intel ]; then
		RUN_NAME=$MODE-intel
		PREFIX=intel:
		EXPECTED=$TOP/tools/testing/upstream-expected-pass-intel.txt
		d=$BUILD/initramfs-intel
	else
		RUN_NAME=$MODE
		PREFIX=
		EXPECTED=$TOP/tools/testing/upstream-expected-pass.txt
		d=$BUILD/initramfs
	fi
	T_HOST=$(now)
	make_plan_and_initrd "$d" "$d.img"
	run_plan "$d" "$d.img" "$RUN_NAME" || true
	awk -f "$HARNESS/parse.awk" -v prefix="$PREFIX" "$d/plan" \
		"$LOGS/$RUN_NAME.log" >"$LOGS/$RUN_NAME.parsed"
	grep -E '^(PASS|FAIL|SKIP) ' "$LOGS/$RUN_NAME.parsed" | tee -a "$RESULTS"
	grep '^ROW' "$LOGS/$RUN_NAME.parsed" >"$LOGS/$RUN_NAME.rows" || true
	if [ "$MODE" = survey ]; then
		print_table "$LOGS/$RUN_NAME.rows"
	fi
	T_HOST=$(( $(now) - T_HOST ))
	log "$HOST host: $T_HOST s (plan, initramfs, boots, parsing)"
	TIMES="$TIMES, $HOST host $T_HOST s"
done

log "total $(( $(now) - T_START )) s (upstream build $T_UP s$TIMES); logs in $LOGS"
if summary; then
	exit 0
fi
[ "$MODE" = survey ] && exit 0
exit 1
