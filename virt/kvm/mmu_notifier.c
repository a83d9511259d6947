// SPDX-License-Identifier: GPL-2.0-only
/*
 * Following the host mm: guest memory is not pinned.  Each nested page
 * table leaf holds a page reference; when the host unmaps, migrates or
 * swaps a page of a memory slot, the mmu notifier zaps the matching
 * guest-physical range (dropping those references) before the host page
 * can change.  Faults racing with an invalidation notice it through
 * kvm->mmu_seq / mmu_invalidate_in_progress and retry.
 */
#include <linux/mmu_notifier.h>
#include <linux/sched/mm.h>

#include <kvm/kvm_core.h>
#include "mmu_notifier.h"

static struct kvm *mn_to_kvm(struct mmu_notifier *mn)
{
	return container_of(mn, struct kvm, mmu_notifier);
}

/* Zap every guest-physical range backed by [start, end) of the host. */
static void kvm_zap_hva_range(struct kvm *kvm, unsigned long start,
			      unsigned long end)
{
	struct kvm_memslot *slot;
	unsigned long id;

	xa_for_each(&kvm->slots_by_id, id, slot) {
		unsigned long s_start = slot->userspace_addr;
		unsigned long s_end = s_start + (slot->npages << PAGE_SHIFT);
		unsigned long lo = max(start, s_start);
		unsigned long hi = min(end, s_end);

		if (lo >= hi)
			continue;
		kvm_arch_zap_gfn_range(kvm,
			slot->base_gfn + ((lo - s_start) >> PAGE_SHIFT),
			slot->base_gfn + ((hi - s_start + PAGE_SIZE - 1) >>
					  PAGE_SHIFT));
	}
}

static int kvm_mn_invalidate_range_start(struct mmu_notifier *mn,
					 const struct mmu_notifier_range *range)
{
	struct kvm *kvm = mn_to_kvm(mn);
	int idx;

	spin_lock(&kvm->mmu_lock);
	kvm->mmu_invalidate_in_progress++;
	kvm->mmu_seq++;
	spin_unlock(&kvm->mmu_lock);

	/* Slots are freed only after an SRCU grace period. */
	idx = srcu_read_lock(&kvm->srcu);
	kvm_zap_hva_range(kvm, range->start, range->end);
	srcu_read_unlock(&kvm->srcu, idx);
	return 0;
}

static void kvm_mn_invalidate_range_end(struct mmu_notifier *mn,
					const struct mmu_notifier_range *range)
{
	struct kvm *kvm = mn_to_kvm(mn);

	spin_lock(&kvm->mmu_lock);
	kvm->mmu_seq++;
	kvm->mmu_invalidate_in_progress--;
	spin_unlock(&kvm->mmu_lock);
}

/* The mm is going away: nothing of it may stay mapped for the guest. */
static void kvm_mn_release(struct mmu_notifier *mn, struct mm_struct *mm)
{
	struct kvm *kvm = mn_to_kvm(mn);

	spin_lock(&kvm->mmu_lock);
	kvm->mmu_seq++;
	spin_unlock(&kvm->mmu_lock);
	kvm_arch_zap_gfn_range(kvm, 0, ~0ULL);
}

static const struct mmu_notifier_ops kvm_mmu_notifier_ops = {
	.invalidate_range_start = kvm_mn_invalidate_range_start,
	.invalidate_range_end = kvm_mn_invalidate_range_end,
	.release = kvm_mn_release,
};

int kvm_mmu_notifier_register(struct kvm *kvm)
{
	kvm->mmu_notifier.ops = &kvm_mmu_notifier_ops;
	return mmu_notifier_register(&kvm->mmu_notifier, current->mm);
}

void kvm_mmu_notifier_unregister(struct kvm *kvm)
{
	mmu_notifier_unregister(&kvm->mmu_notifier, kvm->mm);
}
