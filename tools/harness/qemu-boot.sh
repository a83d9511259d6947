#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# qemu-boot.sh MACHINE[-kirq]: runs inside the emulated host.  Debian's
# QEMU boots Debian's kernel with -enable-kvm on whatever KVM modules are
# loaded; passes only if the guest's /init printed its marker.  Plain
# MACHINE runs with kernel-irqchip=off (QEMU emulates the PIC, IOAPIC,
# LAPIC and PIT); MACHINE-kirq with kernel-irqchip=on (KVM's in-kernel
# irqchip and PIT).
# QEMU exits 0 even when killed by the timeout, so its status proves
# nothing.
arg=${1:-pc}
m=${arg%-kirq}
irqchip=off
[ "$arg" = "$m" ] || irqchip=on
log=/tmp/qemu-boot-$m-$irqchip.log
t0=$(cut -d' ' -f1 /proc/uptime)
timeout 240 /opt/qemu/bin/qemu-system-x86_64 -enable-kvm -cpu host \
	-machine "$m,kernel-irqchip=$irqchip" -smp 1 -m 256 -nographic \
	-no-reboot -kernel /guest/vmlinuz -initrd /guest/initrd.gz \
	-append "console=ttyS0 panic=-1 quiet" >"$log" 2>&1 </dev/null
t1=$(cut -d' ' -f1 /proc/uptime)
if grep -q "GUEST-MARKER" "$log"; then
	grep "GUEST-MARKER" "$log"
	echo "QEMU-BOOT $arg ok seconds=$(echo "$t0 $t1" | awk '{printf "%.1f", $2 - $1}')"
	exit 0
fi
echo "QEMU-BOOT $arg FAILED: no marker; last lines of the nested console:"
tail -n 40 "$log"
exit 1
