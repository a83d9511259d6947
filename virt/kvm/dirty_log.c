// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_GET_DIRTY_LOG: report the pages of a slot written since the last
 * call and arm the log again.
 *
 * Invariant kept by the fault path: a page mapped writable for the guest
 * has its dirty bit set.  Here each word of the bitmap is taken and
 * cleared atomically, the pages it names are write-protected, and all
 * vCPUs flush before the bits are reported; a write racing with us is
 * either in this report or faults and lands in the next one.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <kvm/kvm_core.h>

static int get_dirty_log(struct kvm *kvm, const struct kvm_dirty_log *log)
{
	struct kvm_memslot *slot;
	unsigned long *snap, n, i;
	bool flush = false;
	int r = 0;

	if ((log->slot >> 16) || (u16)log->slot >= KVM_USER_MEM_SLOTS)
		return -EINVAL;
	slot = xa_load(&kvm->slots_by_id, (u16)log->slot);
	if (!slot || !slot->dirty_bitmap)
		return -ENOENT;

	n = BITS_TO_LONGS(slot->npages);
	snap = kvmalloc_array(n, sizeof(long), GFP_KERNEL_ACCOUNT);
	if (!snap)
		return -ENOMEM;

	spin_lock(&kvm->mmu_lock);
	for (i = 0; i < n; i++) {
		unsigned long bits = xchg(&slot->dirty_bitmap[i], 0);
		unsigned long b;

		snap[i] = bits;
		for_each_set_bit(b, &bits, BITS_PER_LONG)
			flush |= kvm_arch_write_protect_gfn(kvm,
				slot->base_gfn + i * BITS_PER_LONG + b);
	}
	if (flush)
		kvm_flush_remote_tlbs(kvm);
	spin_unlock(&kvm->mmu_lock);

	if (copy_to_user((void __user *)log->dirty_bitmap, snap,
			 n * sizeof(long)))
		r = -EFAULT;
	kvfree(snap);
	return r;
}

int kvm_vm_get_dirty_log(struct kvm *kvm, struct kvm_dirty_log __user *u)
{
	struct kvm_dirty_log log;
	int r;

	if (copy_from_user(&log, u, sizeof(log)))
		return -EFAULT;
	/* slots_lock keeps the slot (and its bitmap) alive. */
	mutex_lock(&kvm->slots_lock);
	r = get_dirty_log(kvm, &log);
	mutex_unlock(&kvm->slots_lock);
	return r;
}
