// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_X86_SET_MSR_FILTER: userspace bitmaps deciding which guest MSR
 * accesses the kernel may handle.  A denied access raises #GP, or exits
 * to userspace when KVM_CAP_X86_USER_SPACE_MSR asked for
 * KVM_MSR_EXIT_REASON_FILTER.  Accesses by userspace itself
 * (KVM_GET/SET_MSRS) are never filtered.
 *
 * The filter is immutable once published; vCPUs read it under kvm->srcu
 * and a replaced filter is freed after a grace period, so a running vCPU
 * sees the old filter or the new one.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "x86.h"

#define MSR_FILTER_MAX_BITMAP	0x600	/* bytes per range */
#define X2APIC_MSR_FIRST	0x800
#define X2APIC_MSR_LAST		0x8ff

struct msr_filter_range {
	u32 flags;
	u32 nmsrs;
	u32 base;
	unsigned long *bitmap;
};

struct kvm_msr_filter_set {
	bool default_deny;
	int nr;
	struct msr_filter_range r[KVM_MSR_FILTER_MAX_RANGES];
};

static void filter_free(struct kvm_msr_filter_set *f)
{
	int i;

	if (!f)
		return;
	for (i = 0; i < f->nr; i++)
		kfree(f->r[i].bitmap);
	kfree(f);
}

bool kvm_msr_allowed(struct kvm_vcpu *vcpu, u32 index, bool write)
{
	struct kvm_msr_filter_set *f;
	u32 want = write ? KVM_MSR_FILTER_WRITE : KVM_MSR_FILTER_READ;
	bool allowed;
	int i;

	if (index >= X2APIC_MSR_FIRST && index <= X2APIC_MSR_LAST)
		return true;
	f = srcu_dereference(vcpu->kvm->arch.msr_filter, &vcpu->kvm->srcu);
	if (!f)
		return true;
	allowed = !f->default_deny;
	for (i = 0; i < f->nr; i++) {
		const struct msr_filter_range *r = &f->r[i];

		if (!(r->flags & want) || index < r->base ||
		    index - r->base >= r->nmsrs)
			continue;
		return test_bit(index - r->base, r->bitmap);
	}
	return allowed;
}

static int copy_range(struct msr_filter_range *dst,
		      const struct kvm_msr_filter_range *src)
{
	size_t size;

	if (src->flags & ~(KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE))
		return -EINVAL;
	if (!src->flags)
		return -EINVAL;
	size = BITS_TO_LONGS(src->nmsrs) * sizeof(long);
	if (size > MSR_FILTER_MAX_BITMAP)
		return -EINVAL;
	dst->bitmap = memdup_user((void __user *)src->bitmap, size);
	if (IS_ERR(dst->bitmap)) {
		int r = PTR_ERR(dst->bitmap);

		dst->bitmap = NULL;
		return r;
	}
	dst->flags = src->flags;
	dst->nmsrs = src->nmsrs;
	dst->base = src->base;
	return 0;
}

int kvm_vm_set_msr_filter(struct kvm *kvm, struct kvm_msr_filter __user *u)
{
	struct kvm_msr_filter_set *f, *old;
	struct kvm_msr_filter uf;
	bool empty = true;
	int i, r;

	if (copy_from_user(&uf, u, sizeof(uf)))
		return -EFAULT;
	if (uf.flags & ~KVM_MSR_FILTER_DEFAULT_DENY)
		return -EINVAL;
	for (i = 0; i < KVM_MSR_FILTER_MAX_RANGES; i++)
		if (uf.ranges[i].nmsrs)
			empty = false;
	if (empty && (uf.flags & KVM_MSR_FILTER_DEFAULT_DENY))
		return -EINVAL;

	f = NULL;
	if (!empty) {
		f = kzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);
		if (!f)
			return -ENOMEM;
		f->default_deny = uf.flags & KVM_MSR_FILTER_DEFAULT_DENY;
		for (i = 0; i < KVM_MSR_FILTER_MAX_RANGES; i++) {
			if (!uf.ranges[i].nmsrs)
				continue;
			r = copy_range(&f->r[f->nr], &uf.ranges[i]);
			if (r) {
				filter_free(f);
				return r;
			}
			f->nr++;
		}
	}

	mutex_lock(&kvm->lock);
	old = rcu_dereference_protected(kvm->arch.msr_filter,
					lockdep_is_held(&kvm->lock));
	rcu_assign_pointer(kvm->arch.msr_filter, f);
	mutex_unlock(&kvm->lock);
	synchronize_srcu(&kvm->srcu);
	filter_free(old);
	return 0;
}

void kvm_msr_filter_destroy(struct kvm *kvm)
{
	filter_free(rcu_dereference_protected(kvm->arch.msr_filter, 1));
	RCU_INIT_POINTER(kvm->arch.msr_filter, NULL);
}
