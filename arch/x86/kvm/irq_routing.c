// SPDX-License-Identifier: GPL-2.0-only
/*
 * The in-kernel irqchip's VM-level part: KVM_CREATE_IRQCHIP, the GSI
 * routing table (KVM_SET_GSI_ROUTING) and the ioctls that drive
 * interrupt lines (KVM_IRQ_LINE(_STATUS), KVM_SIGNAL_MSI), plus the
 * dispatch of the chips' state ioctls.
 *
 * The routing table is replaced as a whole and read under RCU: a GSI is
 * raised from vCPU threads, the PIT's work item and irqfds, none of which
 * should wait for a writer.
 */
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/uaccess.h>
#include <asm/apicdef.h>

#include "x86.h"
#include "irq.h"

/* A GSI reaches at most one pin of each chip, or exactly one MSI. */
#define KVM_NR_IRQCHIPS		3
#define MAX_ROUTES_PER_GSI	KVM_NR_IRQCHIPS

struct kvm_irq_route {
	u32 gsi;
	u32 type;		/* KVM_IRQ_ROUTING_IRQCHIP or _MSI */
	union {
		struct {
			u32 chip;	/* KVM_IRQCHIP_* */
			u32 pin;
		} irqchip;
		struct {
			u64 address;
			u32 data;
		} msi;
	};
};

struct kvm_irq_routing_table {
	struct rcu_head rcu;
	u32 nr;
	struct kvm_irq_route route[];	/* sorted by gsi */
};

static int route_cmp(const void *a, const void *b)
{
	const struct kvm_irq_route *x = a, *y = b;

	return x->gsi < y->gsi ? -1 : x->gsi > y->gsi;
}

static int msi_deliver(struct kvm *kvm, u64 address, u32 data)
{
	struct kvm_apic_irq irq = {
		/* Address bits 19:12: destination; bit 2: logical. */
		.dest_id = (address >> 12) & 0xff,
		.dest_logical = address & BIT(2),
		.vector = data & 0xff,
		.delivery_mode = data & APIC_DM_EXTINT,	/* bits 10:8 */
		.level = true,
		.trig_level = data & BIT(15),
		.shorthand = APIC_DEST_NOSHORT,
	};

	return kvm_apic_deliver(kvm, NULL, &irq);
}

int kvm_set_msi(struct kvm *kvm, u64 address, u32 data)
{
	return msi_deliver(kvm, address, data);
}

static int route_set(struct kvm *kvm, const struct kvm_irq_route *r,
		     int src, bool level)
{
	if (r->type == KVM_IRQ_ROUTING_HV_SINT)
		return -1;
	if (r->type == KVM_IRQ_ROUTING_MSI)
		return level ? msi_deliver(kvm, r->msi.address, r->msi.data) :
			       -1;
	switch (r->irqchip.chip) {
	case KVM_IRQCHIP_PIC_MASTER:
		return kvm_pic_set_irq(kvm, r->irqchip.pin, src, level);
	case KVM_IRQCHIP_PIC_SLAVE:
		return kvm_pic_set_irq(kvm, 8 + r->irqchip.pin, src, level);
	default:
		return kvm_ioapic_set_irq(kvm, r->irqchip.pin, src, level);
	}
}

int kvm_set_irq(struct kvm *kvm, int src, u32 gsi, bool level)
{
	struct kvm_irq_route routes[MAX_ROUTES_PER_GSI];
	struct kvm_irq_routing_table *t;
	int i, n = 0, ret = -1;

	/* Copy the routes out: the chips' locks are not taken under RCU. */
	rcu_read_lock();
	t = rcu_dereference(kvm->arch.irq_routing);
	for (i = 0; t && i < t->nr && n < MAX_ROUTES_PER_GSI; i++)
		if (t->route[i].gsi == gsi)
			routes[n++] = t->route[i];
	rcu_read_unlock();

	/*
	 * Combined status as KVM_IRQ_LINE_STATUS reports it: the sum of the
	 * chips that took it, 0 if one coalesced it, -1 if none did.
	 */
	for (i = 0; i < n; i++) {
		int r = route_set(kvm, &routes[i], src, level);

		if (r >= 0)
			ret = (ret < 0 ? 0 : ret) + r;
	}
	return ret;
}

bool kvm_arch_irqfd_allowed(struct kvm *kvm)
{
	return kvm_irqchip_in_kernel(kvm);
}

/* An irqfd is an edge: assert and release the line at once. */
void kvm_arch_irqfd_inject(struct kvm *kvm, u32 gsi)
{
	kvm_set_irq(kvm, KVM_USERSPACE_IRQ_SOURCE_ID, gsi, true);
	kvm_set_irq(kvm, KVM_USERSPACE_IRQ_SOURCE_ID, gsi, false);
}

static int check_entry(const struct kvm_irq_routing_entry *e)
{
	if (e->gsi > KVM_MAX_GSI)
		return -EINVAL;
	/* Only an MSI may carry a (here unused) device id. */
	if (e->flags & ~(e->type == KVM_IRQ_ROUTING_MSI ?
			 KVM_MSI_VALID_DEVID : 0))
		return -EINVAL;
	switch (e->type) {
	case KVM_IRQ_ROUTING_IRQCHIP:
		switch (e->u.irqchip.irqchip) {
		case KVM_IRQCHIP_PIC_MASTER:
		case KVM_IRQCHIP_PIC_SLAVE:
			return e->u.irqchip.pin < 8 ? 0 : -EINVAL;
		case KVM_IRQCHIP_IOAPIC:
			return e->u.irqchip.pin < KVM_IOAPIC_NUM_PINS ?
			       0 : -EINVAL;
		}
		return -EINVAL;
	case KVM_IRQ_ROUTING_MSI:
	/* Hyper-V SynIC routes are accepted (in-tree) and go nowhere. */
	case KVM_IRQ_ROUTING_HV_SINT:
		return 0;
	default:
		return -EINVAL;
	}
}

/*
 * A GSI may reach each irqchip once, and an MSI GSI nothing else: the
 * table is sorted, so the entries of one GSI are neighbours.
 */
static int check_table(const struct kvm_irq_routing_table *t)
{
	u32 i, j;

	for (i = 0; i < t->nr; i = j) {
		bool msi = false;
		unsigned int chips = 0;

		for (j = i; j < t->nr && t->route[j].gsi == t->route[i].gsi;
		     j++) {
			const struct kvm_irq_route *r = &t->route[j];

			if (r->type != KVM_IRQ_ROUTING_IRQCHIP) {
				if (msi || chips)
					return -EINVAL;
				msi = true;
				continue;
			}
			if (msi || (chips & BIT(r->irqchip.chip)))
				return -EINVAL;
			chips |= BIT(r->irqchip.chip);
		}
	}
	return 0;
}

static void convert_entry(struct kvm_irq_route *r,
			  const struct kvm_irq_routing_entry *e)
{
	r->gsi = e->gsi;
	r->type = e->type;
	if (e->type == KVM_IRQ_ROUTING_HV_SINT)
		return;
	if (e->type == KVM_IRQ_ROUTING_MSI) {
		r->msi.address = ((u64)e->u.msi.address_hi << 32) |
				 e->u.msi.address_lo;
		r->msi.data = e->u.msi.data;
	} else {
		r->irqchip.chip = e->u.irqchip.irqchip;
		r->irqchip.pin = e->u.irqchip.pin;
	}
}

static void install_table(struct kvm *kvm, struct kvm_irq_routing_table *t)
{
	struct kvm_irq_routing_table *old;

	mutex_lock(&kvm->arch.irq_lock);
	old = rcu_replace_pointer(kvm->arch.irq_routing, t,
				  lockdep_is_held(&kvm->arch.irq_lock));
	mutex_unlock(&kvm->arch.irq_lock);
	if (old)
		kfree_rcu(old, rcu);
}

static int set_gsi_routing(struct kvm *kvm, struct kvm_irq_routing __user *u)
{
	struct kvm_irq_routing hdr;
	struct kvm_irq_routing_entry *e;
	struct kvm_irq_routing_table *t;
	u32 i;
	int r;

	if (copy_from_user(&hdr, u, sizeof(hdr)))
		return -EFAULT;
	if (!kvm_irqchip_in_kernel(kvm))
		return -EINVAL;
	if (hdr.nr > KVM_MAX_IRQ_ROUTES || hdr.flags)
		return -EINVAL;

	e = NULL;
	if (hdr.nr) {
		e = vmemdup_user(u->entries, array_size(sizeof(*e), hdr.nr));
		if (IS_ERR(e))
			return PTR_ERR(e);
	}
	r = -ENOMEM;
	t = kzalloc(struct_size(t, route, hdr.nr), GFP_KERNEL_ACCOUNT);
	if (!t)
		goto out;
	for (i = 0; i < hdr.nr; i++) {
		r = check_entry(&e[i]);
		if (r)
			goto out;
		convert_entry(&t->route[i], &e[i]);
	}
	t->nr = hdr.nr;
	sort(t->route, t->nr, sizeof(t->route[0]), route_cmp, NULL);
	r = check_table(t);
	if (r)
		goto out;
	install_table(kvm, t);
	t = NULL;
out:
	kfree(t);
	kvfree(e);
	return r;
}

/*
 * The routing a new irqchip starts with: GSIs 0-15 reach the PIC pin
 * and the IOAPIC pin of the same number, GSIs 16-23 the IOAPIC only.
 */
static int default_routing(struct kvm *kvm)
{
	struct kvm_irq_routing_table *t;
	u32 gsi, n = 0;

	t = kzalloc(struct_size(t, route, KVM_NR_PIC_PINS +
				KVM_IOAPIC_NUM_PINS), GFP_KERNEL_ACCOUNT);
	if (!t)
		return -ENOMEM;
	for (gsi = 0; gsi < KVM_IOAPIC_NUM_PINS; gsi++) {
		struct kvm_irq_route *r;

		if (gsi < KVM_NR_PIC_PINS) {
			r = &t->route[n++];
			r->gsi = gsi;
			r->type = KVM_IRQ_ROUTING_IRQCHIP;
			r->irqchip.chip = gsi < 8 ? KVM_IRQCHIP_PIC_MASTER :
						    KVM_IRQCHIP_PIC_SLAVE;
			r->irqchip.pin = gsi & 7;
		}
		r = &t->route[n++];
		r->gsi = gsi;
		r->type = KVM_IRQ_ROUTING_IRQCHIP;
		r->irqchip.chip = KVM_IRQCHIP_IOAPIC;
		r->irqchip.pin = gsi;
	}
	t->nr = n;
	install_table(kvm, t);
	return 0;
}

void kvm_irqchip_destroy(struct kvm *kvm)
{
	kvm_pit_destroy(kvm);
	kvm_pic_destroy(kvm);
	kvm_ioapic_destroy(kvm);
	kfree(rcu_dereference_protected(kvm->arch.irq_routing, 1));
	RCU_INIT_POINTER(kvm->arch.irq_routing, NULL);
}

static int create_irqchip(struct kvm *kvm)
{
	int r;

	mutex_lock(&kvm->lock);
	r = -EEXIST;
	if (kvm_irqchip_in_kernel(kvm))
		goto out;
	/* vCPUs get their LAPIC at creation: too late for those. */
	r = -EINVAL;
	if (atomic_read(&kvm->online_vcpus))
		goto out;
	r = kvm_pic_create(kvm);
	if (r)
		goto out;
	r = kvm_ioapic_create(kvm);
	if (r)
		goto out_pic;
	r = default_routing(kvm);
	if (r)
		goto out_ioapic;
	/* vCPU creation (under kvm->lock) looks at the mode. */
	WRITE_ONCE(kvm->arch.irqchip_mode, KVM_IRQCHIP_KERNEL);
	mutex_unlock(&kvm->lock);
	return 0;

out_ioapic:
	kvm_ioapic_destroy(kvm);
out_pic:
	kvm_pic_destroy(kvm);
out:
	mutex_unlock(&kvm->lock);
	return r;
}

static int irq_line(struct kvm *kvm, void __user *argp, bool status)
{
	struct kvm_irq_level l;

	if (copy_from_user(&l, argp, sizeof(l)))
		return -EFAULT;
	if (!kvm_irqchip_in_kernel(kvm))
		return -ENXIO;
	l.status = kvm_set_irq(kvm, KVM_USERSPACE_IRQ_SOURCE_ID, l.irq,
			       l.level);
	if (status && copy_to_user(argp, &l, sizeof(l)))
		return -EFAULT;
	return 0;
}

/* KVM_GET_IRQCHIP (@set false) and KVM_SET_IRQCHIP. */
static int irqchip_state(struct kvm *kvm, struct kvm_irqchip __user *u,
			 bool set)
{
	struct kvm_irqchip *chip;
	int r = 0;

	chip = memdup_user(u, sizeof(*chip));
	if (IS_ERR(chip))
		return PTR_ERR(chip);
	if (!kvm_irqchip_in_kernel(kvm)) {
		r = -ENXIO;
		goto out;
	}
	switch (chip->chip_id) {
	case KVM_IRQCHIP_PIC_MASTER:
	case KVM_IRQCHIP_PIC_SLAVE:
		if (set)
			kvm_pic_set_state(kvm, chip->chip_id, &chip->chip.pic);
		else
			kvm_pic_get_state(kvm, chip->chip_id, &chip->chip.pic);
		break;
	case KVM_IRQCHIP_IOAPIC:
		if (set)
			kvm_ioapic_set_state(kvm, &chip->chip.ioapic);
		else
			kvm_ioapic_get_state(kvm, &chip->chip.ioapic);
		break;
	default:
		r = -EINVAL;
		goto out;
	}
	if (!set && copy_to_user(u, chip, sizeof(*chip)))
		r = -EFAULT;
out:
	kfree(chip);
	return r;
}

static int signal_msi(struct kvm *kvm, struct kvm_msi __user *u)
{
	struct kvm_msi msi;

	if (copy_from_user(&msi, u, sizeof(msi)))
		return -EFAULT;
	/* A device id is accepted and unused on x86, as in-tree. */
	if (!kvm_irqchip_in_kernel(kvm) || (msi.flags & ~KVM_MSI_VALID_DEVID))
		return -EINVAL;
	return kvm_set_msi(kvm, ((u64)msi.address_hi << 32) | msi.address_lo,
			   msi.data);
}

static int create_pit(struct kvm *kvm, struct kvm_pit_config __user *u)
{
	int r;

	/* In-tree creates one even without an irqchip (IRQ 0 then idles). */
	mutex_lock(&kvm->lock);
	r = kvm_vm_create_pit2(kvm, u);
	mutex_unlock(&kvm->lock);
	return r;
}

long kvm_irqchip_vm_ioctl(struct kvm *kvm, unsigned int ioctl,
			  void __user *argp)
{
	switch (ioctl) {
	case KVM_CREATE_IRQCHIP:
		return create_irqchip(kvm);
	case KVM_IRQ_LINE:
		return irq_line(kvm, argp, false);
	case KVM_IRQ_LINE_STATUS:
		return irq_line(kvm, argp, true);
	case KVM_GET_IRQCHIP:
		return irqchip_state(kvm, argp, false);
	case KVM_SET_IRQCHIP:
		return irqchip_state(kvm, argp, true);
	case KVM_SET_GSI_ROUTING:
		return set_gsi_routing(kvm, argp);
	case KVM_SIGNAL_MSI:
		return signal_msi(kvm, argp);
	case KVM_CREATE_PIT:
		return create_pit(kvm, NULL);
	case KVM_CREATE_PIT2:
		return create_pit(kvm, argp);
	case KVM_GET_PIT:
	case KVM_SET_PIT:
	case KVM_GET_PIT2:
	case KVM_SET_PIT2:
	case KVM_REINJECT_CONTROL:
		return kvm_pit_ioctl(kvm, ioctl, argp);
	default:
		return -ENOIOCTLCMD;
	}
}
