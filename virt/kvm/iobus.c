// SPDX-License-Identifier: GPL-2.0-only
/*
 * In-kernel I/O buses (see <kvm/io_bus.h>).
 *
 * A bus is an immutable array of ranges sorted by address, replaced as a
 * whole on every registration: lookups happen on every port or MMIO exit
 * and must not take locks, while registrations are rare (irqchip and
 * PIT creation, ioeventfd assignment).
 */
#include <linux/slab.h>
#include <linux/sort.h>

#include <kvm/kvm_core.h>

/* Enough for the in-kernel devices plus as many ioeventfds as in-tree. */
#define KVM_IO_BUS_MAX_RANGES	1024

struct kvm_io_range {
	gpa_t addr;
	int len;
	struct kvm_io_device *dev;
};

struct kvm_io_bus {
	int nr;
	struct kvm_io_range range[];
};

static int range_cmp(const void *a, const void *b)
{
	const struct kvm_io_range *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->len - y->len;
}

static struct kvm_io_bus *bus_get(struct kvm *kvm, enum kvm_bus idx)
{
	return srcu_dereference_check(kvm->buses[idx], &kvm->srcu,
				      lockdep_is_held(&kvm->slots_lock));
}

/* Replace the bus and free the old copy once no reader can see it. */
static void bus_publish(struct kvm *kvm, enum kvm_bus idx,
			struct kvm_io_bus *new)
{
	struct kvm_io_bus *old = bus_get(kvm, idx);

	rcu_assign_pointer(kvm->buses[idx], new);
	synchronize_srcu_expedited(&kvm->srcu);
	kfree(old);
}

int kvm_io_bus_register_dev(struct kvm *kvm, enum kvm_bus idx, gpa_t addr,
			    int len, struct kvm_io_device *dev)
{
	struct kvm_io_bus *old, *new;
	int nr;

	lockdep_assert_held(&kvm->slots_lock);
	old = bus_get(kvm, idx);
	nr = old ? old->nr : 0;
	if (nr >= KVM_IO_BUS_MAX_RANGES)
		return -ENOSPC;
	new = kmalloc(struct_size(new, range, nr + 1), GFP_KERNEL_ACCOUNT);
	if (!new)
		return -ENOMEM;
	if (old)
		memcpy(new->range, old->range, nr * sizeof(new->range[0]));
	new->range[nr] = (struct kvm_io_range) {
		.addr = addr, .len = len, .dev = dev,
	};
	new->nr = nr + 1;
	sort(new->range, new->nr, sizeof(new->range[0]), range_cmp, NULL);
	bus_publish(kvm, idx, new);
	return 0;
}

void kvm_io_bus_unregister_dev(struct kvm *kvm, enum kvm_bus idx,
			       struct kvm_io_device *dev)
{
	struct kvm_io_bus *old, *new;
	int i, n = 0;

	lockdep_assert_held(&kvm->slots_lock);
	old = bus_get(kvm, idx);
	if (!old)
		return;
	/* Removal must not fail: the device is about to be freed. */
	new = kmalloc(struct_size(new, range, old->nr),
		      GFP_KERNEL_ACCOUNT | __GFP_NOFAIL);
	for (i = 0; i < old->nr; i++)
		if (old->range[i].dev != dev)
			new->range[n++] = old->range[i];
	new->nr = n;
	bus_publish(kvm, idx, new);
}

void kvm_io_bus_destroy(struct kvm *kvm)
{
	int i;

	/* The VM is dead: no reader is left. */
	for (i = 0; i < KVM_NR_BUSES; i++) {
		kfree(rcu_dereference_protected(kvm->buses[i], 1));
		RCU_INIT_POINTER(kvm->buses[i], NULL);
	}
}

static int bus_access(struct kvm_vcpu *vcpu, enum kvm_bus idx, gpa_t addr,
		      int len, void *val, bool write)
{
	struct kvm *kvm = vcpu->kvm;
	struct kvm_io_bus *bus = srcu_dereference(kvm->buses[idx], &kvm->srcu);
	int i;

	if (!bus)
		return -EOPNOTSUPP;
	for (i = 0; i < bus->nr; i++) {
		const struct kvm_io_range *r = &bus->range[i];
		struct kvm_io_device *dev = r->dev;
		int ret;

		/* Sorted by start: nothing further on can contain @addr. */
		if (r->addr > addr)
			break;
		if (addr + len > r->addr + r->len)
			continue;
		if (write)
			ret = dev->ops->write ?
			      dev->ops->write(vcpu, dev, addr, len, val) :
			      -EOPNOTSUPP;
		else
			ret = dev->ops->read ?
			      dev->ops->read(vcpu, dev, addr, len, val) :
			      -EOPNOTSUPP;
		if (ret != -EOPNOTSUPP)
			return ret;
	}
	return -EOPNOTSUPP;
}

int kvm_io_bus_write(struct kvm_vcpu *vcpu, enum kvm_bus idx, gpa_t addr,
		     int len, const void *val)
{
	return bus_access(vcpu, idx, addr, len, (void *)val, true);
}

int kvm_io_bus_read(struct kvm_vcpu *vcpu, enum kvm_bus idx, gpa_t addr,
		    int len, void *val)
{
	return bus_access(vcpu, idx, addr, len, val, false);
}
