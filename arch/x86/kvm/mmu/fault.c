// SPDX-License-Identifier: GPL-2.0-only
/*
 * Nested page faults: find the memory slot behind a guest frame, take a
 * reference on the host page through the slot's userspace mapping, and
 * install it in the nested page tables, unless an invalidation raced
 * with us (then the guest simply faults again).
 */
#include <linux/mm.h>

#include "x86.h"
#include "mmu/tdp.h"

int kvm_tdp_page_fault(struct kvm_vcpu *vcpu, u64 gpa, u64 error_code)
{
	struct kvm *kvm = vcpu->kvm;
	struct tdp_cache *cache = &vcpu->arch.tdp_cache;
	bool write = error_code & X86_PF_ERR_WRITE;
	gfn_t gfn = gpa >> PAGE_SHIFT;
	struct kvm_memslot *slot;
	unsigned long gen, seq;
	struct page *page;
	bool writable;
	long got;
	int r;

	gen = READ_ONCE(kvm->slots_gen);
	smp_rmb();
	slot = kvm_find_memslot(kvm, gfn);
	if (!slot) {
		smp_rmb();
		if ((gen & 1) || gen != READ_ONCE(kvm->slots_gen))
			return TDP_FAULT_RETRY;
		return TDP_FAULT_MMIO;
	}
	if (READ_ONCE(slot->invalid))
		return TDP_FAULT_RETRY;

	writable = !(slot->flags & KVM_MEM_READONLY);
	if (write && !writable)
		return TDP_FAULT_MMIO;	/* writes to ROM go to userspace */
	/*
	 * Dirty logging: a page is mapped writable only on a write, and
	 * marked dirty then, so every page writable in the nested tables
	 * has its dirty bit set.
	 */
	if (slot->dirty_bitmap && !write)
		writable = false;

	seq = READ_ONCE(kvm->mmu_seq);
	smp_rmb();

	got = get_user_pages_unlocked(kvm_gfn_to_hva(slot, gfn), 1, &page,
				      writable ? FOLL_WRITE : 0);
	if (got != 1 && writable && write) {
		/* A read-only host mapping cannot back a guest write. */
		return -EFAULT;
	}
	if (got != 1 && writable && !write) {
		/* A read-only host mapping can still back guest reads. */
		writable = false;
		got = get_user_pages_unlocked(kvm_gfn_to_hva(slot, gfn), 1,
					      &page, 0);
	}
	if (got != 1)
		return -EFAULT;

	r = tdp_cache_topup(cache);
	if (r) {
		put_page(page);
		return r;
	}

	spin_lock(&kvm->mmu_lock);
	if (kvm->mmu_invalidate_in_progress || kvm->mmu_seq != seq) {
		spin_unlock(&kvm->mmu_lock);
		put_page(page);
		return TDP_FAULT_RETRY;
	}
	r = tdp_map(kvm, gfn, page_to_pfn(page), writable, cache);
	if (writable && r != -ENOMEM)
		kvm_mark_page_dirty(slot, gfn);
	spin_unlock(&kvm->mmu_lock);
	if (r)
		put_page(page);
	return r == -ENOMEM ? r : TDP_FAULT_FIXED;
}
