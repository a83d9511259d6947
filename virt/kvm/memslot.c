// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory slots: KVM_SET_USER_MEMORY_REGION and guest-physical lookups.
 *
 * Two indexes describe the slots: an xarray by slot id (for updates and
 * the mmu notifier) and a maple tree by guest frame range (for faults).
 * Both are read locklessly; writers hold kvm->slots_lock.  A slot object
 * is never modified once published: updates publish a new object and free
 * the old one after an SRCU grace period.
 *
 * Deleting or moving a slot first marks it invalid, so faulting vCPUs back
 * off, then zaps its nested mappings.  While an update is in flight
 * (kvm->slots_gen odd) a fault that finds no slot retries instead of
 * reporting MMIO, so a running guest sees the old layout or the new one.
 */
#include <linux/export.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <kvm/kvm_core.h>

#define KVM_MEM_MAX_NR_PAGES	((1UL << 31) - 1)
#define KVM_VALID_MEM_FLAGS	(KVM_MEM_LOG_DIRTY_PAGES | KVM_MEM_READONLY)

struct kvm_memslot *kvm_find_memslot(struct kvm *kvm, gfn_t gfn)
{
	return mtree_load(&kvm->slots_by_gfn, gfn);
}

unsigned long kvm_gfn_to_hva(const struct kvm_memslot *slot, gfn_t gfn)
{
	return slot->userspace_addr + ((gfn - slot->base_gfn) << PAGE_SHIFT);
}

static void slot_free(struct kvm_memslot *slot)
{
	if (slot)
		kvfree(slot->dirty_bitmap);
	kfree(slot);
}

void kvm_mark_page_dirty(struct kvm_memslot *slot, gfn_t gfn)
{
	if (slot->dirty_bitmap)
		set_bit(gfn - slot->base_gfn, slot->dirty_bitmap);
}

static void slots_update_begin(struct kvm *kvm)
{
	WRITE_ONCE(kvm->slots_gen, kvm->slots_gen + 1);
	smp_wmb();
}

static void slots_update_end(struct kvm *kvm)
{
	smp_wmb();
	WRITE_ONCE(kvm->slots_gen, kvm->slots_gen + 1);
}

static int slot_publish(struct kvm *kvm, struct kvm_memslot *slot)
{
	int r;

	r = mtree_store_range(&kvm->slots_by_gfn, slot->base_gfn,
			      kvm_memslot_end(slot) - 1, slot,
			      GFP_KERNEL_ACCOUNT);
	if (r)
		return r;
	r = xa_err(xa_store(&kvm->slots_by_id, slot->id, slot,
			    GFP_KERNEL_ACCOUNT));
	if (r)
		mtree_erase(&kvm->slots_by_gfn, slot->base_gfn);
	return r;
}

/* Stop guest access to @old and remove it from both indexes. */
static void slot_unpublish(struct kvm *kvm, struct kvm_memslot *old)
{
	WRITE_ONCE(old->invalid, true);
	spin_lock(&kvm->mmu_lock);
	kvm->mmu_seq++;
	spin_unlock(&kvm->mmu_lock);
	kvm_arch_zap_gfn_range(kvm, old->base_gfn, kvm_memslot_end(old));
	mtree_erase(&kvm->slots_by_gfn, old->base_gfn);
	xa_erase(&kvm->slots_by_id, old->id);
}

static bool range_overlaps(struct kvm *kvm, gfn_t base, u64 npages,
			   const struct kvm_memslot *ignore)
{
	unsigned long index = base;
	struct kvm_memslot *s;

	while ((s = mt_find(&kvm->slots_by_gfn, &index, base + npages - 1))) {
		if (s != ignore)
			return true;
	}
	return false;
}

static int check_region(const struct kvm_userspace_memory_region *mem)
{
	if (mem->flags & ~KVM_VALID_MEM_FLAGS)
		return -EINVAL;
	/* Address space 0 only: SMM's address space 1 is not supported. */
	if ((mem->slot >> 16) != 0 || (u16)mem->slot >= KVM_USER_MEM_SLOTS)
		return -EINVAL;
	if ((mem->memory_size & (PAGE_SIZE - 1)) ||
	    (mem->guest_phys_addr & (PAGE_SIZE - 1)))
		return -EINVAL;
	if ((mem->userspace_addr & (PAGE_SIZE - 1)) ||
	    !access_ok((void __user *)(unsigned long)mem->userspace_addr,
		       mem->memory_size))
		return -EINVAL;
	if (mem->guest_phys_addr + mem->memory_size < mem->guest_phys_addr)
		return -EINVAL;
	if ((mem->memory_size >> PAGE_SHIFT) > KVM_MEM_MAX_NR_PAGES)
		return -EINVAL;
	return 0;
}

static gfn_t kvm_max_gfn(void)
{
	/* The nested page tables cover the host's physical address width. */
	return (1ULL << (boot_cpu_data.x86_phys_bits - PAGE_SHIFT)) - 1;
}

static int __set_region(struct kvm *kvm,
			const struct kvm_userspace_memory_region *mem)
{
	gfn_t base = mem->guest_phys_addr >> PAGE_SHIFT;
	u64 npages = mem->memory_size >> PAGE_SHIFT;
	struct kvm_memslot *old, *new;
	int r;

	old = xa_load(&kvm->slots_by_id, (u16)mem->slot);

	if (!npages) {
		if (!old)
			return -EINVAL;
		slots_update_begin(kvm);
		slot_unpublish(kvm, old);
		kvm->nr_slots--;
		slots_update_end(kvm);
		synchronize_srcu(&kvm->srcu);
		slot_free(old);
		return 0;
	}

	if (old) {
		if (mem->userspace_addr != old->userspace_addr ||
		    npages != old->npages ||
		    ((mem->flags ^ old->flags) & KVM_MEM_READONLY))
			return -EINVAL;
		if (base == old->base_gfn && mem->flags == old->flags)
			return 0;
	}

	if (!old || base != old->base_gfn) {
		if (base + npages - 1 > kvm_max_gfn())
			return -EINVAL;
		if (range_overlaps(kvm, base, npages, old))
			return -EEXIST;
	}

	new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new)
		return -ENOMEM;
	new->base_gfn = base;
	new->npages = npages;
	new->userspace_addr = mem->userspace_addr;
	new->flags = mem->flags;
	new->id = (u16)mem->slot;
	if (new->flags & KVM_MEM_LOG_DIRTY_PAGES) {
		new->dirty_bitmap = kvzalloc(BITS_TO_LONGS(npages) *
					     sizeof(long), GFP_KERNEL_ACCOUNT);
		if (!new->dirty_bitmap) {
			kfree(new);
			return -ENOMEM;
		}
	}

	slots_update_begin(kvm);
	if (old)
		slot_unpublish(kvm, old);
	r = slot_publish(kvm, new);
	if (r) {
		/* Put the old layout back; its mappings refault lazily. */
		if (old) {
			old->invalid = false;
			if (slot_publish(kvm, old))
				kvm->nr_slots--;
		}
		slots_update_end(kvm);
		synchronize_srcu(&kvm->srcu);
		slot_free(new);
		return r;
	}
	if (!old)
		kvm->nr_slots++;
	slots_update_end(kvm);
	if (old) {
		synchronize_srcu(&kvm->srcu);
		slot_free(old);
	}
	return 0;
}

int kvm_set_user_memory_region(struct kvm *kvm,
			       const struct kvm_userspace_memory_region *mem)
{
	int r;

	r = check_region(mem);
	if (r)
		return r;
	mutex_lock(&kvm->slots_lock);
	r = __set_region(kvm, mem);
	mutex_unlock(&kvm->slots_lock);
	return r;
}

/* VM teardown: no vCPU and no notifier can run any more. */
void kvm_free_memslots(struct kvm *kvm)
{
	struct kvm_memslot *slot;
	unsigned long id;

	xa_for_each(&kvm->slots_by_id, id, slot)
		slot_free(slot);
	xa_destroy(&kvm->slots_by_id);
	/*
	 * No reader is left.  Leave RCU mode first: 6.1's deferred freeing
	 * of a whole RCU-mode maple tree (mt_free_walk) is not reliable.
	 */
	mt_clear_in_rcu(&kvm->slots_by_gfn);
	mtree_destroy(&kvm->slots_by_gfn);
}

/*
 * Copy to/from guest-physical memory through the slots' userspace
 * mappings.  Callers hold kvm->srcu and run in the VM owner's mm.
 */
static int guest_copy(struct kvm *kvm, gpa_t gpa, void *data,
		      unsigned long len, bool write)
{
	while (len) {
		unsigned long off = offset_in_page(gpa);
		unsigned long n = min(len, PAGE_SIZE - off);
		struct kvm_memslot *slot;
		void __user *hva;
		unsigned long left;

		slot = kvm_find_memslot(kvm, gpa >> PAGE_SHIFT);
		if (!slot || READ_ONCE(slot->invalid))
			return -EFAULT;
		if (write && (slot->flags & KVM_MEM_READONLY))
			return -EFAULT;
		hva = (void __user *)(kvm_gfn_to_hva(slot, gpa >> PAGE_SHIFT) +
				      off);
		if (write)
			left = copy_to_user(hva, data, n);
		else
			left = copy_from_user(data, hva, n);
		if (left)
			return -EFAULT;
		gpa += n;
		data += n;
		len -= n;
	}
	return 0;
}

int kvm_read_guest(struct kvm *kvm, gpa_t gpa, void *data, unsigned long len)
{
	return guest_copy(kvm, gpa, data, len, false);
}
EXPORT_SYMBOL_GPL(kvm_read_guest);

int kvm_write_guest(struct kvm *kvm, gpa_t gpa, const void *data,
		    unsigned long len)
{
	return guest_copy(kvm, gpa, (void *)data, len, true);
}
