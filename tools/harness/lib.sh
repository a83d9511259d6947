# SPDX-License-Identifier: GPL-2.0-only
#
# Shared pieces of the emulated-host harness, sourced by check.sh, run.sh,
# bench.sh and survey.sh (bash).
#
# Environment knobs (all optional):
#	BUILD		output directory (default <top>/build)
#	KVER		kernel to build against and boot (default: kver.sh)
#	HOST		amd (QEMU TCG, SVM+NPT) or intel (Bochs, VMX+EPT);
#			make check also takes both (its default)
#	STACK		ours, ref or both
#	TEST_TIMEOUT	per-program limit inside the emulated host, seconds
#	MAX_BOOTS	reboots allowed after the emulated host died
#	QEMU_CPU	-cpu of the emulated AMD host (default EPYC,+svm,+npt)
#	QEMU_ACCEL	accelerator/smp options (default: single-threaded TCG,
#			-smp 2; see below)
#	INITRD_COMP	none, gzip, lz4, zstd or xz (default: see pack_initramfs)
#	KERNEL_APPEND	extra command line for the emulated host's kernel
#			(default tsc=reliable; KERNEL_APPEND= for none)
#	BOCHS_IPS	instructions per emulated second of Bochs (default
#			200000000)
#	BOCHS_CPUS	CPUs of the emulated Intel host (default 2, so that
#			cpu_hotplug runs and VMCSs move between CPUs; 1 is
#			about four times faster)
#	BOCHS_APPEND	extra command line under Bochs (default: the TSC
#			frequency that BOCHS_IPS implies, see bochs_iso)
#	ONLY		extended regex: run only the selftest programs (ours
#			and upstream) whose names match

HARNESS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HARNESS/../.." && pwd)
BUILD=$(realpath -m "${BUILD:-$TOP/build}")
LOGS=$BUILD/logs
KVER=${KVER:-$("$HARNESS/kver.sh" 2>/dev/null || true)}
HOST=${HOST:-amd}
STACK=${STACK:-ours}
TEST_TIMEOUT=${TEST_TIMEOUT:-180}
MAX_BOOTS=${MAX_BOOTS:-4}
QEMU_CPU=${QEMU_CPU:-EPYC,+svm,+npt}
# TCG's TSC is synchronized across vCPUs, but the kernel distrusts it in
# a VM and falls back to HPET; then kvmclock and the Hyper-V TSC page
# cannot be offered to nested guests (upstream kvm_clock_test and
# hyperv_clock fail on the in-tree stack; both pass with tsc=reliable).
KERNEL_APPEND=${KERNEL_APPEND-tsc=reliable}
LINUX_TARBALL=${LINUX_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
LINUX_SRC=$BUILD/linux-source-6.1
UPSTREAM=$BUILD/upstream
MARK='@@H@@'
# make exports KVER/KDIR as computed before deps.sh ran; on a fresh machine
# they are empty then, so recompute what is missing.
[ -n "${KDIR:-}" ] && [ -d "${KDIR:-}" ] || KDIR=/lib/modules/$KVER/build
export BUILD KVER KDIR LINUX_SRC

mkdir -p "$LOGS"

log() {
	echo "harness: $*" >&2
}

die() {
	log "error: $*"
	exit 2
}

now() {
	date +%s
}

# ---------------------------------------------------------------------
# Results.  Every result goes to stdout as it is known and to $RESULTS, so
# that the summary can be counted at the end.

RESULTS=$LOGS/results

results_reset() {
	: >"$RESULTS"
}

# result PASS|FAIL|SKIP name [reason]
result() {
	local line="$1 $2"
	[ -n "${3:-}" ] && line="$line: $3"
	echo "$line" | tee -a "$RESULTS"
}

# Print the final "N passed, N failed, N skipped" line; return 1 if any
# test failed.
summary() {
	local p f s
	SUMMARY_DONE=1
	p=$(grep -c '^PASS ' "$RESULTS" || true)
	f=$(grep -c '^FAIL ' "$RESULTS" || true)
	s=$(grep -c '^SKIP ' "$RESULTS" || true)
	echo "$p passed, $f failed, $s skipped" | tee "$LOGS/summary"
	[ "$f" = 0 ]
}

# A harness error (die, a crash of the script) still ends the output
# with a summary that counts it as a failure.
SUMMARY_DONE=
summary_on_exit() {
	local st=$?
	trap - EXIT
	if [ -z "$SUMMARY_DONE" ] && [ -f "$RESULTS" ]; then
		result FAIL harness "harness error (status $st), see above"
		summary
		exit 2
	fi
	exit "$st"
}

# ---------------------------------------------------------------------
# Kernel, sources, modules.

check_kernel() {
	[ -n "$KVER" ] || die "no installed kernel found (run tools/harness/deps.sh)"
	[ -f "/boot/vmlinuz-$KVER" ] || die "/boot/vmlinuz-$KVER missing"
	[ -d "/lib/modules/$KVER/kernel" ] || die "/lib/modules/$KVER missing"
}

# Extract the parts of the Debian kernel source that the selftests need
# (tools/, the uapi headers, Documentation/virt) to a stable path, once.
extract_linux_src() {
	local stamp=$LINUX_SRC/.harness-extracted want
	[ -f "$LINUX_TARBALL" ] || { log "$LINUX_TARBALL missing"; return 1; }
	# Bump the leading tag when the set of extracted paths changes.
	want="v1 $(stat -c '%s %Y' "$LINUX_TARBALL")"
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
		return 0
	fi
	log "extracting $LINUX_TARBALL to $LINUX_SRC"
	rm -rf "$LINUX_SRC" "$UPSTREAM"
	mkdir -p "$BUILD"
	tar -C "$BUILD" -xJf "$LINUX_TARBALL" \
		linux-source-6.1/Makefile \
		linux-source-6.1/tools \
		linux-source-6.1/scripts \
		linux-source-6.1/include/uapi \
		linux-source-6.1/arch/x86/include/uapi \
		linux-source-6.1/Documentation/virt || return 1
	echo "$want" >"$stamp"
}

# Build the upstream KVM selftests (a peer suite, built from the Debian
# source at test time, never copied into the project) into $UPSTREAM.
# Writes $UPSTREAM/PROGS (every x86_64 program, relative path) and
# $UPSTREAM/BUILT (those that built).  Cached by a stamp.
build_upstream() {
	local kdir=$LINUX_SRC/tools/testing/selftests/kvm
	local stamp=$UPSTREAM/.harness-built t0 p
	extract_linux_src || return 1
	if [ -f "$stamp" ] && [ -s "$UPSTREAM/PROGS" ]; then
		return 0
	fi
	mkdir -p "$UPSTREAM"
	t0=$(now)
	log "building upstream KVM selftests (log: $LOGS/upstream-build.log)"
	make -C "$kdir" -k -j"$(nproc)" OUTPUT="$UPSTREAM" \
		EXTRA_CFLAGS=-static LDFLAGS=-static \
		>"$LOGS/upstream-build.log" 2>&1 || true
	make -C "$kdir" -s --no-print-directory OUTPUT="$UPSTREAM" \
		-f Makefile -f "$HARNESS/print-progs.mk" harness-print-progs \
		2>/dev/null | tr ' ' '\n' | sed -n "s|^$UPSTREAM/||p" \
		>"$UPSTREAM/PROGS"
	: >"$UPSTREAM/BUILT"
	while read -r p; do
		[ -x "$UPSTREAM/$p" ] && echo "$p" >>"$UPSTREAM/BUILT"
	done <"$UPSTREAM/PROGS"
	log "upstream selftests: $(wc -l <"$UPSTREAM/BUILT") of" \
	    "$(wc -l <"$UPSTREAM/PROGS") built in $(($(now) - t0)) s"
	[ -s "$UPSTREAM/PROGS" ] || return 1
	touch "$stamp"
}

# Module files of a stack, in load order.
stack_modules() {
	local k=/lib/modules/$KVER/kernel vendor
	case "$HOST" in
	amd) vendor=amd ;;
	intel) vendor=intel ;;
	esac
	case "$1" in
	ours)
		echo "$TOP/kvm.ko"
		echo "$TOP/kvm-$vendor.ko"
		;;
	ref)
		echo "$k/virt/lib/irqbypass.ko"
		echo "$k/arch/x86/kvm/kvm.ko"
		[ "$vendor" = amd ] && echo "$k/drivers/crypto/ccp/ccp.ko"
		echo "$k/arch/x86/kvm/kvm-$vendor.ko"
		;;
	esac
}

stacks() {
	case "$STACK" in
	ours|ref) echo "$STACK" ;;
	both) echo ours ref ;;
	*) die "STACK must be ours, ref or both (got '$STACK')" ;;
	esac
}

# ---------------------------------------------------------------------
# Initramfs.

# initramfs_new dir: busybox, /init, the module stacks.
initramfs_new() {
	local d=$1 a s m n
	rm -rf "$d"
	mkdir -p "$d"/bin "$d"/proc "$d"/sys "$d"/dev "$d"/tmp "$d"/m "$d"/t
	ln -s bin "$d/sbin"
	mkdir -p "$d/usr"
	ln -s ../bin "$d/usr/bin"
	ln -s ../bin "$d/usr/sbin"
	cp /bin/busybox "$d/bin/busybox"
	for a in $(/bin/busybox --list); do
		[ "$a" = busybox ] || ln -sf busybox "$d/bin/$a"
	done
	install -m 755 "$HARNESS/init.sh" "$d/init"
	: >"$d/plan"
	for s in ours ref; do
		mkdir -p "$d/m/$s"
		: >"$d/m/$s/order"
		for m in $(stack_modules "$s"); do
			n=$(basename "$m" .ko)
			echo "$n" >>"$d/m/$s/order"
			# Newer Debian kernels ship xz-compressed modules, which
			# busybox insmod cannot load.
			if [ ! -f "$m" ] && [ -f "$m.xz" ]; then
				xz -dc "$m.xz" >"$d/m/$s/$n.ko"
				continue
			fi
			# A missing module (ours, not built yet) makes the stack's
			# insmod fail inside, which is the test we want.
			[ -f "$m" ] || continue
			# Debug info is of no use in there and costs unpack time.
			strip --strip-debug -o "$d/m/$s/$n.ko" "$m" 2>/dev/null ||
				cp "$m" "$d/m/$s/$n.ko"
		done
	done
}

# initramfs_add_prog dir src dest: a static test binary, stripped.
initramfs_add_prog() {
	mkdir -p "$(dirname "$1/$3")"
	strip -o "$1/$3" "$2" 2>/dev/null || cp "$2" "$1/$3"
	chmod 755 "$1/$3"
}

# pack_initramfs dir out: newc cpio, compressed by $INITRD_COMP.
# Measured (all 65 upstream selftests, 68 MB of cpio; boot, insmod,
# rmmod, poweroff): none 8.2 s, zstd -3 8.2 s (7.9 MB), lz4 8.2 s
# (41 MB), gzip -1 9.3 s (32 MB), xz -1 9.2 s (4.4 MB).  zstd unpacks as
# fast as no compression at all under TCG and keeps the file and the
# copy the kernel holds before unpacking small, so it is the default.
pack_initramfs() {
	local d=$1 out=$2 comp=${INITRD_COMP:-}
	if [ -z "$comp" ]; then
		comp=none
		command -v zstd >/dev/null && comp=zstd
	fi
	(cd "$d" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) \
		>"$out.cpio" || return 1
	INITRD_CPIO_KB=$(du -k "$out.cpio" | cut -f1)
	INITRD_COMP_USED=$comp
	case "$comp" in
	none) mv "$out.cpio" "$out" ;;
	gzip) gzip -1 -c "$out.cpio" >"$out" && rm -f "$out.cpio" ;;
	lz4) lz4 -l -q -c "$out.cpio" >"$out" && rm -f "$out.cpio" ;;
	zstd) zstd -q -3 -c "$out.cpio" >"$out" && rm -f "$out.cpio" ;;
	xz) xz --check=crc32 -1 -c "$out.cpio" >"$out" && rm -f "$out.cpio" ;;
	*) die "INITRD_COMP: unknown '$comp'" ;;
	esac
}

# ---------------------------------------------------------------------
# Plans.  One line per entry: idx stack kind name timeout [command...].

PLAN_IDX=0

# plan_add plan stack kind name timeout [command...]
plan_add() {
	local plan=$1
	shift
	echo "$PLAN_IDX $*" >>"$plan"
	PLAN_IDX=$((PLAN_IDX + 1))
}

# ---------------------------------------------------------------------
# Booting the emulated host.

# Seconds a boot may take to reach /init, grace after a test's own limit
# before the host declares the emulated host hung, and how long the
# heartbeat (second serial port, every 5 s) may stay silent.
# Bochs' emulated clock runs many times slower than the wall clock (a
# test that took 30 s of wall time measured 1 s inside, with clock
# sync=none and sync=realtime alike): there the heartbeat comes every
# emulated second (HB_INTERVAL) and may take longer, and the grace after
# a test's limit is generous.  HB_LIMIT=0 turns the heartbeat check off.
# Values given in the environment win for every host.
USER_BOOT_LIMIT=${BOOT_LIMIT:-}
USER_STALL_GRACE=${STALL_GRACE:-}
USER_HB_INTERVAL=${HB_INTERVAL:-}
USER_HB_LIMIT=${HB_LIMIT:-}

# host_limits: set the limits above for $HOST (call after changing it).
host_limits() {
	if [ "$HOST" = intel ]; then
		BOOT_LIMIT=${USER_BOOT_LIMIT:-900}
		STALL_GRACE=${USER_STALL_GRACE:-900}
		HB_INTERVAL=${USER_HB_INTERVAL:-1}
		HB_LIMIT=${USER_HB_LIMIT:-300}
	else
		BOOT_LIMIT=${USER_BOOT_LIMIT:-180}
		STALL_GRACE=${USER_STALL_GRACE:-90}
		HB_INTERVAL=${USER_HB_INTERVAL:-5}
		HB_LIMIT=${USER_HB_LIMIT:-60}
	fi
}
host_limits

# Single-threaded TCG by default.  Measured, in-tree stack, our selftests,
# four runs each, other emulators sharing the 2 cores: the default
# multi-threaded TCG froze the whole emulated host (no console, no
# heartbeat, nested SVM guests running) 2 to 4 times per run and took
# 120-200 s; thread=single froze never and took 51-60 s.
QEMU_ACCEL=${QEMU_ACCEL:--accel tcg,thread=single -smp 2}

# qemu_amd initrd start heartbeat-file [qemu options...]
qemu_amd() {
	local initrd=$1 start=$2 hb=$3
	shift 3
	exec qemu-system-x86_64 -machine q35 -cpu "$QEMU_CPU" -m 2048 \
		-nographic -serial mon:stdio -serial "file:$hb" \
		-no-reboot -kernel "/boot/vmlinuz-$KVER" \
		-initrd "$initrd" \
		-append "console=ttyS0 quiet panic=-1 hstart=$start hbint=$HB_INTERVAL $KERNEL_APPEND" \
		$QEMU_ACCEL "$@"
}

BOCHS_SYNC=${BOCHS_SYNC:-none}
BOCHS_IPS=${BOCHS_IPS:-200000000}
BOCHS_CPUS=${BOCHS_CPUS:-2}
# Bochs' TSC, local APIC timer and PIT all advance with the emulated
# instruction count, BOCHS_IPS per emulated second.  But the CPU model's
# CPUID leaves 0x15/0x16 describe a 3.5 GHz part, and Linux takes the
# TSC and APIC timer frequencies from there without calibrating: the
# emulated host's clock then ran about 18 times too slow (one heartbeat,
# one "second", per ~3.7 billion instructions, two minutes of wall time
# while a test kept the CPU busy), and every time limit inside with it.
# tsc_early_khz skips the CPUID path, so both are calibrated against the
# PIT, which agrees with Bochs.
BOCHS_APPEND=${BOCHS_APPEND-tsc_early_khz=$((BOCHS_IPS / 1000))}

# Bochs has no direct kernel boot: wrap kernel and initramfs in an
# isolinux ISO.  The serial console goes to a file.
bochs_iso() {
	local initrd=$1 start=$2 dir=$3
	rm -rf "$dir/iso"
	mkdir -p "$dir/iso/isolinux"
	cp /usr/lib/ISOLINUX/isolinux.bin \
	   /usr/lib/syslinux/modules/bios/ldlinux.c32 "$dir/iso/isolinux/"
	cp "/boot/vmlinuz-$KVER" "$dir/iso/vmlinuz"
	cp "$initrd" "$dir/iso/initrd"
	cat >"$dir/iso/isolinux/isolinux.cfg" <<-EOF
	DEFAULT linux
	LABEL linux
	KERNEL /vmlinuz
	APPEND initrd=/initrd console=ttyS0 quiet panic=-1 hstart=$start hbint=$HB_INTERVAL $KERNEL_APPEND $BOCHS_APPEND
	EOF
	genisoimage -quiet -o "$dir/boot.iso" -b isolinux/isolinux.bin \
		-c isolinux/boot.cat -no-emul-boot -boot-load-size 4 \
		-boot-info-table "$dir/iso"
}

bochs_intel() {
	local initrd=$1 start=$2 serial=$3 hb=$4 dir
	dir=$(dirname "$serial")/bochs
	mkdir -p "$dir"
	bochs_iso "$initrd" "$start" "$dir" || exit 1
	cat >"$dir/bochsrc" <<-EOF
	megs: 1024
	cpu: model=corei7_skylake_x, count=$BOCHS_CPUS, ips=$BOCHS_IPS
	romimage: file=/usr/share/bochs/BIOS-bochs-latest
	vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
	ata0-master: type=cdrom, path=$dir/boot.iso, status=inserted
	boot: cdrom
	com1: enabled=1, mode=file, dev=$serial
	com2: enabled=1, mode=file, dev=$hb
	display_library: rfb, options="timeout=0"
	speaker: enabled=0
	sound: driver=dummy
	log: $dir/bochs.log
	clock: sync=$BOCHS_SYNC, time0=local
	EOF
	# sound: the ALSA mixer thread aborts (fortify) on a machine without
	# a sound card.  The debugger is compiled in and waits for a command:
	# continue.
	printf 'c\n' >"$dir/cmds"
	exec bochs-bin -q -f "$dir/bochsrc" <"$dir/cmds"
}

# boot_once initrd serial-log start plan: boot the emulated host, wait for
# it to power off, kill it if it stops making progress.  Returns 0 if the
# plan ran to its end (DONE marker), 1 if the host died or hung; sets
# BOOT_DEATH to a description in the latter case.
boot_once() {
	local initrd=$1 serial=$2 start=$3 plan=$4
	local err=$serial.stderr hb=$serial.hb qpid last= m since t0 limit
	local idx tmo hbsize=0 hbsince sz
	: >"$serial"
	: >"$hb"
	BOOT_DEATH=
	BOOT_READY_SECS=
	t0=$(now)
	case "$HOST" in
	amd)
		qemu_amd "$initrd" "$start" "$hb" </dev/null >"$serial" 2>"$err" &
		;;
	intel)
		bochs_intel "$initrd" "$start" "$serial" "$hb" >"$err" 2>&1 &
		;;
	*) die "HOST must be amd or intel" ;;
	esac
	qpid=$!
	since=$t0
	hbsince=$t0
	while kill -0 "$qpid" 2>/dev/null; do
		sleep 1
		# Once the heartbeat has started, silence means a frozen host.
		sz=$(stat -c %s "$hb" 2>/dev/null || echo 0)
		if [ "$sz" != "$hbsize" ]; then
			hbsize=$sz
			hbsince=$(now)
		elif [ "$HB_LIMIT" -gt 0 ] && [ "$hbsize" -gt 0 ] &&
		     [ $(( $(now) - hbsince )) -gt "$HB_LIMIT" ]; then
			BOOT_DEATH="emulated host froze (no heartbeat for $HB_LIMIT s)"
			kill "$qpid" 2>/dev/null
			break
		fi
		m=$(grep -a "^$MARK " "$serial" 2>/dev/null | tail -n 1 | tr -d '\r')
		if [ "$m" != "$last" ]; then
			last=$m
			since=$(now)
			# The first marker is READY: /init runs.
			[ -n "$BOOT_READY_SECS" ] ||
				BOOT_READY_SECS=$(( since - t0 ))
		fi
		case "$m" in
		"")
			limit=$BOOT_LIMIT
			;;
		"$MARK BEGIN "*)
			idx=${m#"$MARK BEGIN "}
			tmo=$(awk -v i="$idx" '$1 == i { print $5; exit }' "$plan")
			limit=$(( ${tmo:-$TEST_TIMEOUT} + STALL_GRACE ))
			;;
		"$MARK STUCK "*)
			BOOT_DEATH="a test process could not be killed (stuck in the kernel)"
			kill "$qpid" 2>/dev/null
			break
			;;
		*)
			limit=$STALL_GRACE
			;;
		esac
		if [ $(( $(now) - since )) -gt "$limit" ]; then
			BOOT_DEATH="emulated host hung (no progress for $limit s)"
			kill "$qpid" 2>/dev/null
			break
		fi
	done
	wait "$qpid" 2>/dev/null
	BOOT_SECS=$(( $(now) - t0 ))
	if grep -aq "^$MARK DONE" "$serial"; then
		return 0
	fi
	if [ -z "$BOOT_DEATH" ]; then
		if grep -aq 'Bail out!' "$err"; then
			BOOT_DEATH="emulated host aborted (QEMU TCG: $(grep -a 'Bail out!' "$err" | head -n 1))"
		elif grep -aq 'Kernel panic' "$serial"; then
			BOOT_DEATH="emulated host died (kernel panic)"
		else
			BOOT_DEATH="emulated host died (powered off without finishing)"
		fi
	fi
	return 1
}

# run_plan dir initrd name: boot initrd (packed from dir) running dir/plan
# until the plan is done, rebooting after a death to run what remains
# (at most MAX_BOOTS boots).  All serial logs are concatenated, with the
# host's own notes, to $LOGS/name.log, which parse.awk reads.
run_plan() {
	local dir=$1 initrd=$2 name=$3 plan=$1/plan start=0 boot=1 serial cur last
	local oops total done_ ready
	local combined=$LOGS/$name.log
	rm -f "$LOGS/$name".serial* "$LOGS/$name.deaths"
	: >"$combined"
	while :; do
		serial=$LOGS/$name.serial$boot.log
		log "booting emulated $HOST host (boot $boot, from entry $start," \
		    "serial log $serial)"
		if boot_once "$initrd" "$serial" "$start" "$plan"; then
			tr -d '\r' <"$serial" >>"$combined"
			log "emulated host finished in $BOOT_SECS s" \
			    "(/init after ${BOOT_READY_SECS:-?} s)"
			return 0
		fi
		tr -d '\r' <"$serial" >>"$combined"
		# The entry that was running when the host went away (cur),
		# else the last one that finished (done), if any.
		set -- $(tr -d '\r' <"$serial" | awk -v m="$MARK" '
			$1 == m && $2 == "READY" { r = 1 }
			$1 == m && $2 == "BEGIN" { b = $3 }
			$1 == m && $2 == "END" && $3 == b { e = b; b = "" }
			END { print (b == "" ? "-" : b), (e == "" ? "-" : e), r + 0 }')
		cur=${1#-} done_=${2#-} ready=$3
		last=$(awk 'END { print $1 }' "$plan")
		# The log may end in the middle of a line.
		if [ -n "$cur" ]; then
			printf '\n%s HOSTDIED %s %s\n' "$MARK" "$cur" \
				"$BOOT_DEATH" >>"$combined"
		elif [ -n "$done_" ]; then
			printf '\n%s HOSTDIED after:%s %s\n' "$MARK" "$done_" \
				"$BOOT_DEATH" >>"$combined"
		else
			printf '\n%s HOSTDIED - %s\n' "$MARK" "$BOOT_DEATH" \
				>>"$combined"
		fi
		{
			echo "==== $BOOT_DEATH"
			if [ -n "$cur" ]; then
				echo "==== while running: $(awk -v i="$cur" \
					'$1 == i { print $2 ":" $4; exit }' "$plan")"
			elif [ -n "$done_" ]; then
				echo "==== after $(awk -v i="$done_" \
					'$1 == i { print $2 ":" $4; exit }' "$plan")" \
				     "had finished"
			else
				echo "==== before any test started"
			fi
			# An oops is read from its first line: show that too
			# when it scrolled out of the last 40 lines.
			tr -d '\r' <"$serial" >"$serial.txt"
			oops=$(awk -v m="$MARK" '
				$1 == m && $2 == "BEGIN" { from = NR; found = "" }
				from && found == "" &&
				/BUG:|Oops|general protection fault|WARNING:|Kernel panic/ {
					found = NR
				}
				END { print found }' "$serial.txt")
			total=$(wc -l <"$serial.txt")
			if [ -n "$oops" ] && [ "$oops" -le $((total - 40)) ]; then
				echo "==== first report in $serial (line $oops):"
				sed -n "$oops,$((oops + 29))p" "$serial.txt"
			fi
			echo "==== last 40 lines of $serial:"
			tail -n 40 "$serial.txt"
			rm -f "$serial.txt"
			# Minus the feature warnings TCG prints at every start.
			grep -v "TCG doesn't support requested feature" \
				"$serial.stderr" >"$serial.stderr.short"
			if [ -s "$serial.stderr.short" ]; then
				echo "==== emulator stderr:"
				tail -n 10 "$serial.stderr.short"
			fi
			echo "===="
		} | tee -a "$LOGS/$name.deaths"
		# A host that never reached /init will not get there next time.
		[ "$ready" = 1 ] || return 1
		if [ -n "$cur" ]; then
			start=$((cur + 1))
		elif [ -n "$done_" ]; then
			start=$((done_ + 1))
		fi
		[ "$start" -le "$last" ] || return 0
		boot=$((boot + 1))
		if [ "$boot" -gt "$MAX_BOOTS" ]; then
			log "giving up after $MAX_BOOTS boots"
			return 0
		fi
	done
}
