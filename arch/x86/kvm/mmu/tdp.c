// SPDX-License-Identifier: GPL-2.0-only
/*
 * Nested page tables (AMD NPT, Intel EPT): one tree per VM mapping guest
 * frames to host pages, built on demand by faults and torn down by zaps.
 * The entry format comes from the vendor (struct tdp_format); the tree
 * logic is shared.
 *
 * Every present leaf holds one reference on its host page.  Zapping is
 * done in two passes under kvm->mmu_lock: first the leaves are made
 * non-present (the page frame stays in the entry, tagged ZAP_PENDING),
 * then all vCPUs flush and leave guest mode, and only then are the page
 * references dropped, so no vCPU can still reach a page we release.
 * Intermediate tables are kept until the VM is destroyed.
 */
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/swap.h>

#include "x86.h"
#include "mmu/tdp.h"

#define TDP_ENTRIES		512
#define TDP_ZAP_PENDING		BIT_ULL(62)	/* ignored by NPT and EPT */
#define TDP_ADDR_MASK		GENMASK_ULL(51, 12)

static inline bool tdp_present(u64 e)
{
	return e & kvm_x86_ops->tdp->present_mask;
}

static inline u64 *tdp_table(u64 e)
{
	return __va(e & TDP_ADDR_MASK);
}

int kvm_tdp_init(struct kvm *kvm)
{
	u64 *root = (u64 *)get_zeroed_page(GFP_KERNEL_ACCOUNT);

	if (!root)
		return -ENOMEM;
	kvm->arch.tdp_root = root;
	kvm->arch.tdp_root_pa = __pa(root);
	return 0;
}

static int tdp_levels(void)
{
	return kvm_x86_ops->tdp_levels;
}

/* Pages for intermediate tables, allocated before taking mmu_lock. */
int tdp_cache_topup(struct tdp_cache *c)
{
	while (c->nr < TDP_CACHE_SIZE) {
		void *p = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);

		if (!p)
			return -ENOMEM;
		c->pages[c->nr++] = p;
	}
	return 0;
}

void tdp_cache_free(struct tdp_cache *c)
{
	while (c->nr)
		free_page((unsigned long)c->pages[--c->nr]);
}

/*
 * Map @gfn to @pfn.  Returns 0 if the mapping was installed (the caller's
 * page reference now belongs to the table) or -EEXIST if a mapping was
 * already there (the caller drops its reference).
 */
int tdp_map(struct kvm *kvm, u64 gfn, u64 pfn, bool writable,
	    struct tdp_cache *cache)
{
	const struct tdp_format *fmt = kvm_x86_ops->tdp;
	u64 *table = kvm->arch.tdp_root;
	u64 e, *sptep;
	int level;

	lockdep_assert_held(&kvm->mmu_lock);
	for (level = tdp_levels(); level > 1; level--) {
		sptep = &table[(gfn >> (9 * (level - 1))) & (TDP_ENTRIES - 1)];
		e = READ_ONCE(*sptep);
		if (!tdp_present(e)) {
			void *child;

			if (WARN_ON_ONCE(!cache->nr))
				return -ENOMEM;
			child = cache->pages[--cache->nr];
			e = __pa(child) | fmt->table_bits;
			WRITE_ONCE(*sptep, e);
		}
		table = tdp_table(e);
	}

	sptep = &table[gfn & (TDP_ENTRIES - 1)];
	e = READ_ONCE(*sptep);
	if (tdp_present(e)) {
		/* A racing vCPU mapped it; allow a read-only -> RW upgrade. */
		if (writable && (e & TDP_ADDR_MASK) == (pfn << PAGE_SHIFT) &&
		    !(e & fmt->write_bit))
			WRITE_ONCE(*sptep, e | fmt->write_bit);
		return -EEXIST;
	}
	WRITE_ONCE(*sptep, (pfn << PAGE_SHIFT) | fmt->leaf_bits |
			   (writable ? fmt->write_bit : 0));
	return 0;
}

/*
 * Visit the leaves of [start, end) below @table (which maps 512 entries of
 * 2^(9*(level-1)) frames each, starting at @base).  @finish selects the
 * pass: false marks present leaves pending, true releases pending ones.
 * Returns the number of leaves changed.
 */
static unsigned long tdp_zap_level(u64 *table, int level, u64 base,
				   u64 start, u64 end, bool finish)
{
	const struct tdp_format *fmt = kvm_x86_ops->tdp;
	u64 span = 1ULL << (9 * (level - 1));
	unsigned long changed = 0;
	int i;

	for (i = 0; i < TDP_ENTRIES; i++) {
		u64 lo = base + i * span, hi = lo + span;
		u64 e = READ_ONCE(table[i]);

		if (hi <= start || lo >= end)
			continue;
		if (level > 1) {
			if (tdp_present(e))
				changed += tdp_zap_level(tdp_table(e), level - 1,
							 lo, start, end, finish);
			continue;
		}
		if (!finish && tdp_present(e)) {
			WRITE_ONCE(table[i], (e & ~fmt->present_mask) |
					     TDP_ZAP_PENDING);
			changed++;
		} else if (finish && (e & TDP_ZAP_PENDING)) {
			struct page *page = pfn_to_page((e & TDP_ADDR_MASK) >>
							PAGE_SHIFT);

			if (e & fmt->write_bit)
				set_page_dirty(page);
			mark_page_accessed(page);
			put_page(page);
			WRITE_ONCE(table[i], 0);
			changed++;
		}
	}
	return changed;
}

void kvm_arch_zap_gfn_range(struct kvm *kvm, gfn_t start, gfn_t end)
{
	spin_lock(&kvm->mmu_lock);
	if (tdp_zap_level(kvm->arch.tdp_root, tdp_levels(), 0, start, end,
			  false)) {
		kvm_flush_remote_tlbs(kvm);
		tdp_zap_level(kvm->arch.tdp_root, tdp_levels(), 0, start, end,
			      true);
	}
	spin_unlock(&kvm->mmu_lock);
}

/*
 * Remove write access to one guest frame, for dirty logging.  Called with
 * mmu_lock held; the caller flushes.  Returns true if a writable mapping
 * was found.
 */
bool kvm_arch_write_protect_gfn(struct kvm *kvm, gfn_t gfn)
{
	const struct tdp_format *fmt = kvm_x86_ops->tdp;
	u64 *table = kvm->arch.tdp_root;
	u64 e;
	int level;

	lockdep_assert_held(&kvm->mmu_lock);
	for (level = tdp_levels(); level > 1; level--) {
		e = READ_ONCE(table[(gfn >> (9 * (level - 1))) &
				    (TDP_ENTRIES - 1)]);
		if (!tdp_present(e))
			return false;
		table = tdp_table(e);
	}
	e = READ_ONCE(table[gfn & (TDP_ENTRIES - 1)]);
	if (!tdp_present(e) || !(e & fmt->write_bit))
		return false;
	/* The host page was (possibly) written: tell the host mm. */
	set_page_dirty(pfn_to_page((e & TDP_ADDR_MASK) >> PAGE_SHIFT));
	WRITE_ONCE(table[gfn & (TDP_ENTRIES - 1)], e & ~fmt->write_bit);
	return true;
}

static void tdp_free_tables(u64 *table, int level)
{
	int i;

	if (level > 1) {
		for (i = 0; i < TDP_ENTRIES; i++)
			if (tdp_present(table[i]))
				tdp_free_tables(tdp_table(table[i]), level - 1);
	}
	free_page((unsigned long)table);
}

/* VM teardown: no vCPU runs any more. */
void kvm_tdp_destroy(struct kvm *kvm)
{
	if (!kvm->arch.tdp_root)
		return;
	kvm_arch_zap_gfn_range(kvm, 0, ~0ULL);
	tdp_free_tables(kvm->arch.tdp_root, tdp_levels());
	kvm->arch.tdp_root = NULL;
}
