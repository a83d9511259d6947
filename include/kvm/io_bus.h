/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * In-kernel I/O buses: devices emulated inside KVM (PIC, PIT, IOAPIC,
 * ioeventfds) claim ranges of port or guest-physical addresses; an access
 * a device claims never leaves the kernel.
 *
 * Readers run in a vCPU's exit path under kvm->srcu; writers
 * (registration) hold kvm->slots_lock and publish a new copy of the bus.
 */
#ifndef KVM_IO_BUS_H
#define KVM_IO_BUS_H

#include <linux/types.h>

struct kvm;
struct kvm_vcpu;
struct kvm_io_device;

enum kvm_bus {
	KVM_MMIO_BUS,
	KVM_PIO_BUS,
	KVM_NR_BUSES,
};

/*
 * Both return 0 when the device handled the access and -EOPNOTSUPP when
 * it declines it (e.g. an ioeventfd whose datamatch does not match); the
 * bus then offers the access to the next device in range, and finally to
 * userspace.  @vcpu may be NULL for accesses not made by a vCPU.
 */
struct kvm_io_device_ops {
	int (*read)(struct kvm_vcpu *vcpu, struct kvm_io_device *dev,
		    gpa_t addr, int len, void *val);
	int (*write)(struct kvm_vcpu *vcpu, struct kvm_io_device *dev,
		     gpa_t addr, int len, const void *val);
};

struct kvm_io_device {
	const struct kvm_io_device_ops *ops;
};

/* The caller holds kvm->slots_lock.  -ENOSPC when the bus is full. */
int kvm_io_bus_register_dev(struct kvm *kvm, enum kvm_bus bus, gpa_t addr,
			    int len, struct kvm_io_device *dev);
/* Removes every range of @dev; waits until no reader can still see it. */
void kvm_io_bus_unregister_dev(struct kvm *kvm, enum kvm_bus bus,
			       struct kvm_io_device *dev);
/* Under kvm->srcu.  0 = handled, -EOPNOTSUPP = nobody claimed it. */
int kvm_io_bus_write(struct kvm_vcpu *vcpu, enum kvm_bus bus, gpa_t addr,
		     int len, const void *val);
int kvm_io_bus_read(struct kvm_vcpu *vcpu, enum kvm_bus bus, gpa_t addr,
		    int len, void *val);
void kvm_io_bus_destroy(struct kvm *kvm);

#endif
