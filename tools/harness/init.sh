#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# /init of the emulated test host (busybox sh, PID 1).
#
# Runs the plan in /plan, one entry per line:
#
#	idx stack kind name timeout [command...]
#
# and reports every entry on the serial console between two markers,
#
#	@@H@@ BEGIN idx
#	@@H@@ END idx rc=N to=0|1 secs=N [nostack=1]
#
# which the host parses (tools/harness/parse.awk).  After a crash the host
# reboots us with hstart=N on the kernel command line to carry on from
# entry N.  "@@H@@ DONE" tells the host the plan ran to its end;
# a missing DONE means the emulated host died or hung.
#
# Kinds: insmod (load the stack's modules), unload, own (kselftest TAP
# program), up (upstream selftest, judged by exit status), demo, bench,
# dmesg (dmesg since insmod must be clean), reload (unload/load cycles).

PATH=/bin
export PATH

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mkdir -p /dev/shm && mount -t tmpfs tmpfs /dev/shm
exec </dev/null >/dev/console 2>&1

M='@@H@@'
start=0
hbint=5
for a in $(cat /proc/cmdline); do
	case "$a" in
	hstart=*) start=${a#hstart=} ;;
	hbint=*) hbint=${a#hbint=} ;;
	esac
done

# Stack state: which stack's modules are in, and which stacks could not be
# loaded (their remaining tests are reported as failed, not skipped).
loaded=
broken=' '

# Module names in load order for a stack; files are /m/<stack>/<name>.ko.
stack_mods() {
	cat "/m/$1/order"
}

# A stack that failed half way counts as loaded, so that what did load is
# removed before the next stack comes in.
stack_load() {
	local mod
	loaded=$1
	for mod in $(stack_mods "$1"); do
		if ! insmod "/m/$1/$mod.ko"; then
			echo "harness: insmod $1/$mod.ko failed"
			return 1
		fi
	done
	return 0
}

stack_unload() {
	local s=$1 mods= mod
	for mod in $(stack_mods "$s"); do
		mods="$mod $mods"
	done
	for mod in $mods; do
		if grep -q "^$(echo "$mod" | tr - _) " /proc/modules; then
			if ! rmmod "$mod"; then
				echo "harness: rmmod $s/$mod failed"
				return 1
			fi
		fi
	done
	loaded=
	return 0
}

# Make sure the stack a test needs is loaded (after a crash and reboot we
# resume in the middle of a stack, or another stack may still be in).
ensure_stack() {
	case "$broken" in *" $1 "*) return 1 ;; esac
	[ "$loaded" = "$1" ] && return 0
	if [ -n "$loaded" ]; then
		stack_unload "$loaded" || return 1
	fi
	dmesg -c >/dev/null
	if ! stack_load "$1"; then
		broken="$broken$1 "
		return 1
	fi
	return 0
}

# Run a command with a time limit in its own session, so that the whole
# process group can be killed.  busybox timeout returns the child's own
# status, so the watchdog leaves a flag file to tell a timeout apart.
# Sets rc and to.
run_timed() {
	tmo=$1
	shift
	rm -f /tmp/.timedout
	setsid "$@" &
	pid=$!
	(
		# Take the sleep down with us when the test ends in time.
		trap 'kill "$sp" 2>/dev/null; exit 0' TERM
		sleep "$tmo" &
		sp=$!
		wait "$sp"
		: >/tmp/.timedout
		kill -TERM -"$pid" 2>/dev/null
		kill -TERM "$pid" 2>/dev/null
		sleep 5
		kill -KILL -"$pid" 2>/dev/null
		kill -KILL "$pid" 2>/dev/null
		sleep 20
		# Still not reaped: stuck in the kernel.  Let the host reboot us.
		echo "$M STUCK $idx"
	) &
	wd=$!
	wait "$pid"
	rc=$?
	kill "$wd" 2>/dev/null
	wait "$wd" 2>/dev/null
	to=0
	[ -f /tmp/.timedout ] && to=1
	return 0
}

do_reload() {
	local s=$1 i
	for i in 1 2 3; do
		if [ -n "$loaded" ]; then
			stack_unload "$loaded" || return 1
		fi
		stack_load "$s" || return 1
	done
	stack_unload "$s" || return 1
	return 0
}

# The kernel log since the stack was loaded must hold no BUG, WARNING,
# Oops or Call Trace.  The OOM killer's report carries a Call Trace too;
# that one is a test asking for too much memory, judged by its own exit
# status, so its block is left out of the verdict (but still printed).
do_dmesg() {
	dmesg >/tmp/dmesg.out
	sed 's/^/dmesg: /' /tmp/dmesg.out
	awk '
		/invoked oom-killer/ { oom = 1 }
		!oom && /(^|[^A-Za-z_])BUG([^A-Za-z_]|$)|WARNING|Oops|Call Trace/
		/Out of memory: Killed process|oom_reaper:/ { oom = 0 }
	' /tmp/dmesg.out >/tmp/dmesg.bad
	if [ -s /tmp/dmesg.bad ]; then
		sed 's/^/dmesg-bad: /' /tmp/dmesg.bad
		return 1
	fi
	return 0
}

# Heartbeat on the second serial port, every hbint emulated seconds: the
# host tells a frozen emulated host (no heartbeat) from a slow test
# (heartbeat, no marker) without waiting for the test's whole time limit.
if [ -c /dev/ttyS1 ]; then
	(
		n=0
		while :; do
			echo "hb $n" >/dev/ttyS1
			n=$((n + 1))
			sleep "$hbint"
		done
	) &
fi

# The firmware leaves terminal escapes on the serial line: start clean.
printf '\n%s READY start=%s\n' "$M" "$start"
cd /tmp

# The plan is read on fd 3 so that no test inherits it as stdin.
while read -r idx stack kind name tmo cmd <&3; do
	case "$idx" in ''|'#'*) continue ;; esac
	[ "$idx" -lt "$start" ] && continue
	echo "$M BEGIN $idx"
	t0=$(date +%s)
	rc=0
	to=0
	extra=
	case "$kind" in
	insmod)
		if [ -n "$loaded" ]; then
			stack_unload "$loaded" || rc=1
		fi
		dmesg -c >/dev/null
		if [ "$rc" = 0 ] && stack_load "$stack"; then
			rc=0
		else
			rc=1
			broken="$broken$stack "
		fi
		;;
	unload)
		if [ "$loaded" = "$stack" ]; then
			stack_unload "$stack" || rc=1
		fi
		;;
	reload)
		if ensure_stack "$stack"; then
			do_reload "$stack" || rc=1
		else
			rc=125
			extra=' nostack=1'
		fi
		;;
	dmesg)
		if ensure_stack "$stack"; then
			do_dmesg || rc=1
		else
			rc=125
			extra=' nostack=1'
		fi
		;;
	*)
		if ensure_stack "$stack"; then
			# shellcheck disable=SC2086
			run_timed "$tmo" $cmd
		else
			rc=125
			extra=' nostack=1'
		fi
		;;
	esac
	t1=$(date +%s)
	printf '\n%s END %s rc=%s to=%s secs=%s%s\n' "$M" "$idx" "$rc" "$to" \
		$((t1 - t0)) "$extra"
done 3</plan

# Bytes the console UART has sent so far (ttyS0), or nothing.
uart_tx() {
	sed -n 's/^0: .* tx:\([0-9]*\).*/\1/p' /proc/tty/driver/serial \
		2>/dev/null
}

echo "$M DONE"
sync
# Console output from user space drains through the UART at the emulated
# baud rate, and poweroff does not wait for it: Bochs lost the last
# screens of a long plan (the DONE marker with them, so the host counted
# a death).  Wait until the UART has stopped sending (at most 2 min).
n=0
tx=$(uart_tx)
while [ "$n" -lt 120 ]; do
	sleep 1
	now=$(uart_tx)
	[ "$now" = "$tx" ] && break
	tx=$now
	n=$((n + 1))
done
poweroff -f
