// SPDX-License-Identifier: GPL-2.0-only
/*
 * In-kernel I/O buses (see <kvm/io_bus.h>).
 *
 * A bus is an immutable array of ranges sorted by address, replaced as a
 * whole on every registration: lookups happen on every port or MMIO exit
 * and must not take locks, while registrations are rare (irqchip and
 * PIT creation, ioeventfd assignment).
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include <kvm/kvm_core.h>

/*
 * No fixed limit (in-tree has none for ioeventfds, which are most of
 * the ranges): the memory is charged to the VMM, and a copy of the
 * array, however large, comes from kvmalloc().
 */

struct kvm_io_range {
	gpa_t addr;
	int len;
	struct kvm_io_device *dev;
};

struct kvm_io_bus {
	int nr;
	int max_len;		/* the longest range: bounds the lookup */
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
	kvfree(old);
}

int kvm_io_bus_register_dev(struct kvm *kvm, enum kvm_bus idx, gpa_t addr,
			    int len, struct kvm_io_device *dev)
{
	struct kvm_io_bus *old, *new;
	int nr;

	lockdep_assert_held(&kvm->slots_lock);
	if (len <= 0)
		return -EINVAL;
	old = bus_get(kvm, idx);
	nr = old ? old->nr : 0;
	new = kvmalloc(struct_size(new, range, nr + 1), GFP_KERNEL_ACCOUNT);
	if (!new)
		return -ENOMEM;
	new->max_len = len;
	if (old) {
		memcpy(new->range, old->range, nr * sizeof(new->range[0]));
		new->max_len = max(old->max_len, len);
	}
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
	/*
	 * Removal must not fail: the device is about to be freed.  A large
	 * array falls back to vmalloc, which honours __GFP_NOFAIL.
	 */
	new = kvmalloc(struct_size(new, range, old->nr),
		       GFP_KERNEL_ACCOUNT | __GFP_NOFAIL);
	new->max_len = 1;
	for (i = 0; i < old->nr; i++) {
		if (old->range[i].dev == dev)
			continue;
		new->range[n++] = old->range[i];
		new->max_len = max(new->max_len, old->range[i].len);
	}
	new->nr = n;
	bus_publish(kvm, idx, new);
}

void kvm_io_bus_destroy(struct kvm *kvm)
{
	int i;

	/* The VM is dead: no reader is left. */
	for (i = 0; i < KVM_NR_BUSES; i++) {
		kvfree(rcu_dereference_protected(kvm->buses[i], 1));
		RCU_INIT_POINTER(kvm->buses[i], NULL);
	}
}

/*
 * The first range that can contain @addr: none starting more than
 * max_len - 1 below it can reach it, and the array is sorted by start.
 */
static int first_candidate(const struct kvm_io_bus *bus, gpa_t addr)
{
	gpa_t lowest = addr >= bus->max_len ? addr - bus->max_len + 1 : 0;
	int lo = 0, hi = bus->nr;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (bus->range[mid].addr < lowest)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int bus_access(struct kvm_vcpu *vcpu, enum kvm_bus idx, gpa_t addr,
		      int len, void *val, bool write)
{
	struct kvm *kvm = vcpu->kvm;
	struct kvm_io_bus *bus = srcu_dereference(kvm->buses[idx], &kvm->srcu);
	int i;

	if (!bus)
		return -EOPNOTSUPP;
	for (i = first_candidate(bus, addr); i < bus->nr; i++) {
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
