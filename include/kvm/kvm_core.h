/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Generic core of the clean-room KVM: VM, vCPU and memory slot objects
 * shared by virt/kvm/ and arch/x86/kvm/.
 *
 * Locking (outermost first):
 *   kvm->lock        mutex: vCPU creation, VM-wide state changes.
 *   vcpu->mutex      mutex: every vCPU ioctl; a vCPU is used by one
 *                    thread at a time.
 *   kvm->slots_lock  mutex: memory slot updates (writers only).
 *   kvm->srcu        SRCU: readers of memory slots (vCPU fault path,
 *                    ioctls that look slots up).  A slot is freed only
 *                    after synchronize_srcu().
 *   kvm->mmu_lock    spinlock: the nested page tables and the page
 *                    references they hold; never sleep under it.
 */
#ifndef KVM_KVM_CORE_H
#define KVM_KVM_CORE_H

#include <linux/kvm.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/srcu.h>
#include <linux/xarray.h>
#include <linux/maple_tree.h>
#include <linux/mmu_notifier.h>
#include <linux/preempt.h>
#include <linux/refcount.h>
#include <linux/wait.h>
#include <linux/cpumask.h>
#include <linux/signal.h>
#include <linux/rcuwait.h>

/* Limits reported through KVM_CHECK_EXTENSION; same values as upstream x86. */
#define KVM_MAX_VCPUS		1024
#define KVM_MAX_VCPU_IDS	4096
#define KVM_USER_MEM_SLOTS	32764
#define KVM_API_VERSION_NR	12

typedef u64 gpa_t;
typedef u64 gfn_t;
typedef u64 gva_t;

#include <kvm/io_bus.h>

struct kvm;
struct kvm_vcpu;

/*
 * One memory slot.  Immutable once published, except for @invalid, which
 * is set (under slots_lock) when the slot is about to be deleted or moved:
 * faults that find an invalid slot back off and retry.
 */
struct kvm_memslot {
	gfn_t base_gfn;
	u64 npages;
	unsigned long userspace_addr;
	u32 flags;
	u16 id;
	bool invalid;
	/* KVM_MEM_LOG_DIRTY_PAGES: a bit per page written since last read. */
	unsigned long *dirty_bitmap;
};

static inline gfn_t kvm_memslot_end(const struct kvm_memslot *s)
{
	return s->base_gfn + s->npages;
}

/* vCPU modes seen by other CPUs that kick it (see kvm_vcpu_kick()). */
enum {
	OUTSIDE_GUEST_MODE,
	IN_GUEST_MODE,
	EXITING_GUEST_MODE,
};

/* Bits in vcpu->requests: work to do before the next guest entry. */
enum {
	KVM_REQ_TLB_FLUSH,	/* guest-physical mappings changed */
	KVM_REQ_KICK,		/* just leave guest mode */
	KVM_REQ_CLOCK_UPDATE,	/* rewrite the kvmclock page */
	KVM_REQ_NMI,		/* an NMI arrived through the APIC bus */
	KVM_REQ_EVENT,		/* re-evaluate interrupts (LAPIC, PIC) */
};

#include "x86_vcpu.h"	/* struct kvm_vcpu_arch, struct kvm_arch */

struct kvm_vcpu {
	struct kvm *kvm;
	int vcpu_id;		/* userspace's id (APIC id) */
	int vcpu_idx;		/* position in kvm->vcpus */
	struct mutex mutex;
	struct kvm_run *run;	/* shared with userspace via mmap */
	struct page *pio_page;	/* KVM_PIO_PAGE_OFFSET */

	int cpu;		/* physical CPU while loaded, else -1 */
	int mode;		/* OUTSIDE/IN/EXITING_GUEST_MODE */
	unsigned long requests;
	struct preempt_notifier preempt_notifier;
	struct pid __rcu *pid;	/* thread that last ran KVM_RUN */

	struct rcuwait wait;	/* kvm_vcpu_block() sleeps here */

	bool sigset_active;
	sigset_t sigset;

	struct kvm_vcpu_arch arch;
};

struct kvm {
	struct mm_struct *mm;	/* owner; other mms get EIO */
	refcount_t users;	/* VM fd + one per vCPU fd */
	struct mutex lock;
	struct mutex slots_lock;
	struct srcu_struct srcu;
	spinlock_t mmu_lock;

	struct xarray slots_by_id;	/* id -> struct kvm_memslot */
	struct maple_tree slots_by_gfn;	/* [base, end) -> slot, RCU readers */
	int nr_slots;
	unsigned long slots_gen;	/* odd while an update is in flight */

	/*
	 * Invalidation protocol between page faults and unmappers (slot
	 * deletion, mmu notifier): a fault samples @mmu_seq before looking
	 * up the host page and installs it only if, under mmu_lock, the
	 * sequence is unchanged and no invalidation is in progress.
	 */
	unsigned long mmu_seq;
	long mmu_invalidate_in_progress;
	struct mmu_notifier mmu_notifier;

	cpumask_var_t flush_mask;	/* scratch for remote flushes */

	/* In-kernel devices by address (io_bus.h); readers under srcu. */
	struct kvm_io_bus __rcu *buses[KVM_NR_BUSES];
	spinlock_t irqfds_lock;
	struct list_head irqfds;	/* KVM_IRQFD wires */
	struct list_head ioeventfds;	/* KVM_IOEVENTFD, under slots_lock */

	struct xarray vcpus;		/* vcpu_idx -> vcpu */
	atomic_t online_vcpus;

	struct kvm_arch arch;
};

#define kvm_for_each_vcpu(idx, vcpup, kvm)				\
	for (idx = 0; idx < atomic_read(&(kvm)->online_vcpus) &&	\
		      ((vcpup) = xa_load(&(kvm)->vcpus, idx)); idx++)

/* virt/kvm/memslot.c */
struct kvm_memslot *kvm_find_memslot(struct kvm *kvm, gfn_t gfn);
unsigned long kvm_gfn_to_hva(const struct kvm_memslot *slot, gfn_t gfn);
int kvm_set_user_memory_region(struct kvm *kvm,
			       const struct kvm_userspace_memory_region *mem);
void kvm_free_memslots(struct kvm *kvm);
void kvm_mark_page_dirty(struct kvm_memslot *slot, gfn_t gfn);

/* virt/kvm/dirty_log.c */
int kvm_vm_get_dirty_log(struct kvm *kvm, struct kvm_dirty_log __user *u);
int kvm_read_guest(struct kvm *kvm, gpa_t gpa, void *data, unsigned long len);
int kvm_write_guest(struct kvm *kvm, gpa_t gpa, const void *data,
		    unsigned long len);

/* virt/kvm/vcpu.c */
int kvm_vm_create_vcpu(struct kvm *kvm, u32 id);
void kvm_vcpu_destroy(struct kvm_vcpu *vcpu);
void kvm_make_request(struct kvm_vcpu *vcpu, int req);
bool kvm_check_request(struct kvm_vcpu *vcpu, int req);
void kvm_vcpu_kick(struct kvm_vcpu *vcpu);
bool kvm_vcpu_wake_up(struct kvm_vcpu *vcpu);
void kvm_flush_remote_tlbs(struct kvm *kvm);

/* virt/kvm/eventfd.c */
int kvm_vm_irqfd(struct kvm *kvm, struct kvm_irqfd __user *u);
int kvm_vm_ioeventfd(struct kvm *kvm, struct kvm_ioeventfd __user *u);
void kvm_irqfd_release(struct kvm *kvm);
void kvm_ioeventfd_release(struct kvm *kvm);
int kvm_eventfd_init(void);
void kvm_eventfd_exit(void);

/* virt/kvm/vm.c */
int kvm_dev_create_vm(unsigned long type);
void kvm_get_kvm(struct kvm *kvm);
void kvm_put_kvm(struct kvm *kvm);

/* virt/kvm/kvm_main.c: file operations are owned by the vendor module. */
extern struct file_operations kvm_vm_fops;
extern struct file_operations kvm_vcpu_fops;
int kvm_core_register(struct module *vendor);
void kvm_core_unregister(void);

/*
 * Architecture hooks (arch/x86/kvm/x86.c).  The generic core calls only
 * these; everything vendor-specific sits behind the x86 layer's vendor
 * ops table.
 */
long kvm_arch_dev_ioctl(struct file *filp, unsigned int ioctl,
			unsigned long arg);
int kvm_arch_check_extension(struct kvm *kvm, long ext);
int kvm_arch_init_vm(struct kvm *kvm, unsigned long type);
void kvm_arch_destroy_vm(struct kvm *kvm);
long kvm_arch_vm_ioctl(struct file *filp, unsigned int ioctl,
		       unsigned long arg);
int kvm_arch_vcpu_precreate(struct kvm *kvm, u32 id);
int kvm_arch_vcpu_create(struct kvm_vcpu *vcpu);
void kvm_arch_vcpu_destroy(struct kvm_vcpu *vcpu);
long kvm_arch_vcpu_ioctl(struct file *filp, unsigned int ioctl,
			 unsigned long arg);
int kvm_arch_vcpu_run(struct kvm_vcpu *vcpu);
void kvm_arch_vcpu_load(struct kvm_vcpu *vcpu, int cpu);
void kvm_arch_vcpu_put(struct kvm_vcpu *vcpu);
void kvm_arch_zap_gfn_range(struct kvm *kvm, gfn_t start, gfn_t end);
void kvm_arch_flush_remote_tlb(struct kvm_vcpu *vcpu);
bool kvm_arch_write_protect_gfn(struct kvm *kvm, gfn_t gfn);
/* irqfds: an in-kernel irqchip exists; pulse a GSI (process context). */
bool kvm_arch_irqfd_allowed(struct kvm *kvm);
void kvm_arch_irqfd_inject(struct kvm *kvm, u32 gsi);

void vcpu_load(struct kvm_vcpu *vcpu);
void vcpu_put(struct kvm_vcpu *vcpu);

#endif
