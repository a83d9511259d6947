/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * x86 per-VM and per-vCPU state, and the vendor ops table: the only seam
 * between the shared x86 layer and a vendor backend (svm/, vmx/).
 */
#ifndef ARCH_X86_KVM_X86_VCPU_H
#define ARCH_X86_KVM_X86_VCPU_H

#include <linux/types.h>
#include <linux/kvm.h>
#include <asm/fpu/types.h>
#include "emulate.h"
#include "mmu/tdp.h"

struct kvm;
struct kvm_vcpu;
struct kvm_msr_filter_set;

/*
 * Format of nested page table entries.  NPT uses ordinary x86-64 page
 * table entries, EPT its own bits; the shared MMU builds either from
 * these masks.
 */
struct tdp_format {
	u64 present_mask;	/* any of these bits set = present */
	u64 table_bits;		/* bits of a non-leaf entry */
	u64 leaf_bits;		/* bits of a read-only leaf entry */
	u64 write_bit;		/* added for a writable leaf */
};

/* Generic description of an exit the vendor leaves to the x86 layer. */
enum x86_exit_kind {
	X86_EXIT_IO,		/* IN/OUT/INS/OUTS */
	X86_EXIT_NPF,		/* nested page fault / EPT violation */
	X86_EXIT_HLT,
	X86_EXIT_CPUID,
	X86_EXIT_RDMSR,
	X86_EXIT_WRMSR,
	X86_EXIT_SHUTDOWN,	/* triple fault */
	X86_EXIT_DR,		/* MOV to/from a debug register */
	X86_EXIT_XSETBV,
	X86_EXIT_DEBUG_EXC,	/* intercepted #DB or #BP */
	X86_EXIT_FAIL_ENTRY,	/* hardware refused the guest state */
	X86_EXIT_UNHANDLED,	/* the vendor has no handler */
};

/* Page fault error code bits used in exit.npf.error_code. */
#define X86_PF_ERR_PRESENT	BIT(0)
#define X86_PF_ERR_WRITE	BIT(1)
#define X86_PF_ERR_FETCH	BIT(4)

struct x86_exit {
	enum x86_exit_kind kind;
	u64 hw_reason;		/* vendor exit code, for userspace reports */
	u64 hw_info[2];		/* vendor qualification, ditto */
	u8 insn_len;		/* length of the exiting instruction, or 0 */
	union {
		struct {
			u16 port;
			u8 size;	/* 1, 2 or 4 */
			u8 ad_bytes;	/* string forms: address size */
			bool in;
			bool string;
			bool rep;
			u64 next_rip;
		} io;
		struct {
			u64 gpa;
			u64 error_code;
		} npf;
		struct {
			u8 vector;
			u64 dr6;
		} exception;
	};
};

/* An event the vendor will deliver at the next entry (or just did). */
enum x86_event_type {
	X86_EVENT_NONE,
	X86_EVENT_INTR,		/* external interrupt */
	X86_EVENT_NMI,
	X86_EVENT_EXCEPTION,
	X86_EVENT_SOFT_INTR,	/* INTn */
};

struct x86_event {
	enum x86_event_type type;
	u8 vector;
	bool has_error;
	u32 error;
};

/* What to finish when userspace re-enters after an exit. */
enum x86_completion {
	X86_COMPLETE_NONE,
	X86_COMPLETE_PIO_IN,		/* copy data into RAX, skip insn */
	X86_COMPLETE_PIO_OUT,		/* skip insn */
	X86_COMPLETE_PIO_STRING,	/* INS/OUTS iteration */
	X86_COMPLETE_MMIO_READ,		/* re-run the emulator with data */
	X86_COMPLETE_RDMSR,		/* userspace answered an RDMSR */
	X86_COMPLETE_WRMSR,		/* userspace accepted a WRMSR */
};

/* Result of an MSR access. */
enum kvm_msr_result {
	KVM_MSR_OK,
	KVM_MSR_INVALID,	/* a known MSR, a faulting access: #GP */
	KVM_MSR_UNKNOWN,	/* nobody emulates this MSR */
	KVM_MSR_FILTERED,	/* denied by the userspace MSR filter */
};

#define KVM_NR_VAR_MTRR		8
#define KVM_MAX_MCE_BANKS	32

#define KVM_X86_MAX_CPUID_ENTRIES 256

struct kvm_vcpu_arch {
	/* Register cache: the vendor syncs RAX/RSP/RIP/RFLAGS around entry. */
	u64 regs[X86_NR_GPRS];
	u64 rip;
	u64 rflags;

	struct fpu_guest guest_fpu;

	struct x86_exit exit;

	/* Pending completion of a userspace exit. */
	enum x86_completion completion;
	/*
	 * RIP of the instruction that exited.  If userspace moved RIP
	 * meanwhile, the completion no longer applies and is dropped.
	 */
	u64 completion_rip;
	struct {
		u16 port;
		u8 size;
		bool in;
		u32 count;		/* string iterations in this batch */
		u64 next_rip;
		u8 ad_bytes;
		bool rep;
		u64 la;			/* guest linear address of the batch */
	} pio;
	struct {
		u64 gpa;
		u8 len;
		bool is_write;
		bool read_done;		/* data[] holds userspace's answer */
		bool write_pending;
		bool retry;		/* memory slots changed under us */
		unsigned long slots_gen;
		u8 data[8];
	} mmio;
	struct x86_emul emul;

	struct kvm_cpuid_entry2 *cpuid;
	int nr_cpuid;
	bool cpuid_set;		/* KVM_SET_CPUID2 was called */
	bool ran;		/* entered the guest at least once */

	u64 apic_base;
	struct tdp_cache tdp_cache;

	/* Events queued by userspace (events.c). */
	bool irq_queued;
	u8 irq_vector;
	bool nmi_pending;

	u64 db[4];		/* guest DR0-DR3 */
	bool guest_bp_active;	/* the guest's DR7 enables a breakpoint */
	u64 xcr0;		/* guest XCR0 */

	/* KVM_SET_GUEST_DEBUG (debug.c). */
	u32 guest_debug;
	u64 gdb_dr[8];
	u64 guest_dr7;		/* the guest's DR7 while the debugger's is in */
	bool tf_added;
	bool xcr0_loaded;	/* the hardware holds the guest's XCR0 */

	/* MSRs emulated by the x86 layer (msr.c). */
	u64 tsc_offset;
	u64 tsc_adjust;
	u64 misc_enable;
	u64 ucode_rev;
	u64 platform_info;
	u64 misc_features;
	u64 power_ctl;
	u64 hwcr;
	u64 mtrr_def_type;
	u64 mtrr_fixed[11];
	u64 mtrr_var[2 * KVM_NR_VAR_MTRR];
	u64 pv_system_time;	/* MSR_KVM_SYSTEM_TIME(_NEW) */
	u32 tsc_khz;
	u64 mcg_cap;
	u64 mcg_status;
	u64 mcg_ctl;
	u64 mc_banks[4 * KVM_MAX_MCE_BANKS];

	/* In-kernel irqchip (irq.h): NULL without KVM_CREATE_IRQCHIP. */
	struct kvm_lapic *apic;
	u32 mp_state;		/* KVM_MP_STATE_*, with an in-kernel LAPIC */
	u8 sipi_vector;		/* of the last SIPI received */

	void *vendor;		/* backend's per-vCPU data */
};

struct kvm_irq_routing_table;

struct kvm_arch {
	/* Nested page tables shared by all vCPUs of the VM. */
	u64 *tdp_root;
	u64 tdp_root_pa;
	bool platform_info_readable;	/* KVM_CAP_MSR_PLATFORM_INFO */
	u32 bsp_vcpu_id;		/* KVM_SET_BOOT_CPU_ID */
	u64 tss_addr;			/* KVM_SET_TSS_ADDR */
	u64 identity_map_addr;		/* KVM_SET_IDENTITY_MAP_ADDR */
	u64 pv_wall_clock;		/* MSR_KVM_WALL_CLOCK(_NEW) */
	u64 clock_offset;		/* VM clock - host boot time, ns */
	u64 tsc_base_offset;		/* a new vCPU's TSC offset */
	u32 max_vcpu_ids;		/* KVM_CAP_MAX_VCPU_ID, 0 = default */
	unsigned long nr_mmu_pages;	/* KVM_SET_NR_MMU_PAGES */
	u32 user_space_msr_mask;	/* KVM_CAP_X86_USER_SPACE_MSR */
	struct kvm_msr_filter_set __rcu *msr_filter;

	/* In-kernel irqchip (irq.h). */
	int irqchip_mode;		/* enum kvm_irqchip_mode */
	struct kvm_pic *pic;
	struct kvm_ioapic *ioapic;
	struct kvm_pit *pit;
	struct mutex irq_lock;		/* routing table updates */
	struct kvm_irq_routing_table __rcu *irq_routing;

	void *vendor;		/* backend's per-VM data */
};

/*
 * The vendor ops table.  Every vendor function is static and reached only
 * through this table.  Functions marked [irqoff] run with interrupts and
 * preemption disabled.
 */
struct kvm_x86_ops {
	const char *name;

	/* Module-wide: enable/disable virtualization on this CPU. */
	int (*hardware_enable)(void);
	void (*hardware_disable)(void);

	/* Nested paging in use and its format. */
	const struct tdp_format *tdp;
	int tdp_levels;

	int (*vm_init)(struct kvm *kvm);
	void (*vm_destroy)(struct kvm *kvm);

	int (*vcpu_create)(struct kvm_vcpu *vcpu);
	void (*vcpu_free)(struct kvm_vcpu *vcpu);
	/* Architectural RESET state of the vendor-held registers. */
	void (*vcpu_reset)(struct kvm_vcpu *vcpu);
	void (*vcpu_load)(struct kvm_vcpu *vcpu, int cpu);
	void (*vcpu_put)(struct kvm_vcpu *vcpu);

	/* Vendor-held architectural state. */
	void (*get_segment)(struct kvm_vcpu *vcpu, struct kvm_segment *s,
			    int seg);
	void (*set_segment)(struct kvm_vcpu *vcpu,
			    const struct kvm_segment *s, int seg);
	void (*get_dtable)(struct kvm_vcpu *vcpu, struct kvm_dtable *dt,
			   bool idt);
	void (*set_dtable)(struct kvm_vcpu *vcpu,
			   const struct kvm_dtable *dt, bool idt);
	u64 (*get_cr)(struct kvm_vcpu *vcpu, int cr);
	void (*set_cr)(struct kvm_vcpu *vcpu, int cr, u64 val);
	u64 (*get_efer)(struct kvm_vcpu *vcpu);
	void (*set_efer)(struct kvm_vcpu *vcpu, u64 efer);
	int (*get_cpl)(struct kvm_vcpu *vcpu);
	/* MSRs held by the hardware: returns enum kvm_msr_result. */
	int (*get_msr)(struct kvm_vcpu *vcpu, u32 index, u64 *data);
	int (*set_msr)(struct kvm_vcpu *vcpu, u32 index, u64 data);
	void (*set_tsc_offset)(struct kvm_vcpu *vcpu, u64 offset);

	/* Enter the guest once and come back at the next exit. [irqoff] */
	void (*run)(struct kvm_vcpu *vcpu);
	/*
	 * Handle the last exit.  Return 1 when handled (resume the guest),
	 * 0 when vcpu->arch.exit describes work for the x86 layer.
	 */
	int (*handle_exit)(struct kvm_vcpu *vcpu);
	/* Next entry must not use stale guest-physical translations. */
	void (*flush_tlb)(struct kvm_vcpu *vcpu);
	void (*inject_exception)(struct kvm_vcpu *vcpu, u8 vector,
				 bool has_error, u32 error);

	/* Event injection (events.c drives these before each entry). */
	bool (*interrupt_allowed)(struct kvm_vcpu *vcpu);
	bool (*nmi_allowed)(struct kvm_vcpu *vcpu);
	bool (*event_pending)(struct kvm_vcpu *vcpu);
	void (*inject_irq)(struct kvm_vcpu *vcpu, u8 vector);
	void (*inject_nmi)(struct kvm_vcpu *vcpu);
	void (*enable_irq_window)(struct kvm_vcpu *vcpu);
	void (*enable_nmi_window)(struct kvm_vcpu *vcpu);

	/*
	 * State for KVM_GET/SET_VCPU_EVENTS: the event queued for the next
	 * entry, the STI/MOV-SS shadow, NMI blocking.  Optional: without
	 * them the ioctls report and accept no such state.
	 */
	void (*get_event)(struct kvm_vcpu *vcpu, struct x86_event *ev);
	void (*set_event)(struct kvm_vcpu *vcpu, const struct x86_event *ev);
	/* The shadow as KVM_X86_SHADOW_INT_* bits. */
	u8 (*get_interrupt_shadow)(struct kvm_vcpu *vcpu);
	void (*set_interrupt_shadow)(struct kvm_vcpu *vcpu, u8 shadow);
	bool (*get_nmi_mask)(struct kvm_vcpu *vcpu);
	void (*set_nmi_mask)(struct kvm_vcpu *vcpu, bool masked);

	/* Intercept #DB/#BP as vcpu->arch.guest_debug requires. */
	void (*update_debug_intercepts)(struct kvm_vcpu *vcpu);

	/* DR6 and DR7 (DR0-3 are kept by the x86 layer). */
	u64 (*get_dr)(struct kvm_vcpu *vcpu, int dr);
	void (*set_dr)(struct kvm_vcpu *vcpu, int dr, u64 val);
};

extern const struct kvm_x86_ops *kvm_x86_ops;

/* Segment numbers for get/set_segment (ISA order, then LDTR/TR). */
enum {
	VCPU_SREG_ES, VCPU_SREG_CS, VCPU_SREG_SS, VCPU_SREG_DS,
	VCPU_SREG_FS, VCPU_SREG_GS, VCPU_SREG_TR, VCPU_SREG_LDTR,
};

#endif
