#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# nested-qemu.sh ROOT KVER: stage a real client into an initramfs tree:
# Debian's qemu-system-x86_64 with the libraries ldd names and its
# firmware (SeaBIOS, the option ROMs), Debian's kernel as the nested
# guest, a busybox initramfs for that guest whose /init prints
# GUEST-MARKER and powers off, and /t/client/qemu-boot.sh which boots it.
set -eu
root=$1
kver=$2
here=$(cd "$(dirname "$0")" && pwd)
qemu=$(command -v qemu-system-x86_64)

# QEMU finds its firmware relative to its binary (../share/qemu); the
# initramfs's /usr/bin is a link to /bin, so QEMU gets a tree of its own.
mkdir -p "$root/opt/qemu/bin" "$root/opt/qemu/share" "$root/usr/share" \
	 "$root/usr/lib" "$root/guest" "$root/t/client"
cp "$qemu" "$root/opt/qemu/bin/"
for lib in $(ldd "$qemu" | grep -o '/[^ ]*'); do
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done
# Firmware, where QEMU looks relative to its binary (bin/../share/qemu,
# bin/../share/seabios, bin/../lib/ipxe/qemu); some files in share/qemu
# are absolute links into /usr/share/seabios and /usr/lib/ipxe.
mkdir -p "$root/opt/qemu/lib"
cp -a /usr/share/qemu /usr/share/seabios "$root/opt/qemu/share/"
cp -a /usr/share/seabios "$root/usr/share/"
if [ -d /usr/lib/ipxe ]; then
	cp -a /usr/lib/ipxe "$root/opt/qemu/lib/"
	cp -a /usr/lib/ipxe "$root/usr/lib/"
fi

# The nested guest.
cp "/boot/vmlinuz-$kver" "$root/guest/vmlinuz"
g=$(mktemp -d)
mkdir -p "$g/bin" "$g/proc" "$g/sys" "$g/dev"
cp /bin/busybox "$g/bin/"
for c in sh mount cat poweroff; do ln -s busybox "$g/bin/$c"; done
cat >"$g/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sys /sys
echo "GUEST-MARKER: Linux booted on KVM, clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
poweroff -f
INIT
chmod +x "$g/init"
(cd "$g" && find . | cpio -o -H newc 2>/dev/null | gzip -1) \
	>"$root/guest/initrd.gz"
rm -rf "$g"

install -m 755 "$here/qemu-boot.sh" "$root/t/client/qemu-boot.sh"
