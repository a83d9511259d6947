/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * x86 half of the /dev/kvm userspace ABI, pulled in by <linux/kvm.h>.
 *
 * Every name, number and layout in here is fixed by the interface that
 * existing virtual machine monitors were compiled against (Linux 6.1);
 * tools/testing/abi proves with the compiler that this file agrees with
 * the distribution's copy.  Do not reorder or resize anything: add new
 * things only, and only once they exist upstream.
 *
 * The include guard is deliberately the conventional one so that a
 * translation unit which also reaches another copy of this header sees
 * one set of definitions, not two conflicting ones.
 */
#ifndef _ASM_X86_KVM_H
#define _ASM_X86_KVM_H

#include <linux/types.h>
#include <linux/ioctl.h>

/* ---- Page offsets inside the mmap()ed vCPU area --------------------- */

/* Page index (not byte offset) of the port I/O data buffer. */
#define KVM_PIO_PAGE_OFFSET		1
/* Page index of the coalesced MMIO ring (shared by the whole VM). */
#define KVM_COALESCED_MMIO_PAGE_OFFSET	2
/* First page index of the per-vCPU dirty ring. */
#define KVM_DIRTY_LOG_PAGE_OFFSET	64

/* ---- Architectural exception vectors -------------------------------- */

#define DE_VECTOR	0	/* divide error */
#define DB_VECTOR	1	/* debug */
#define BP_VECTOR	3	/* int3 */
#define OF_VECTOR	4	/* into */
#define BR_VECTOR	5	/* bound */
#define UD_VECTOR	6	/* invalid opcode */
#define NM_VECTOR	7	/* device not available */
#define DF_VECTOR	8	/* double fault */
#define TS_VECTOR	10	/* invalid TSS */
#define NP_VECTOR	11	/* segment not present */
#define SS_VECTOR	12	/* stack fault */
#define GP_VECTOR	13	/* general protection */
#define PF_VECTOR	14	/* page fault */
#define MF_VECTOR	16	/* x87 floating point */
#define AC_VECTOR	17	/* alignment check */
#define MC_VECTOR	18	/* machine check */
#define XM_VECTOR	19	/* SIMD floating point */
#define VE_VECTOR	20	/* virtualization exception */

/*
 * Feature selectors consumed by <linux/kvm.h>: the generic header only
 * declares the matching capabilities and structures when the
 * architecture announces them here.
 */
#define __KVM_HAVE_PIT
#define __KVM_HAVE_IOAPIC
#define __KVM_HAVE_IRQ_LINE
#define __KVM_HAVE_MSI
#define __KVM_HAVE_USER_NMI
#define __KVM_HAVE_GUEST_DEBUG
#define __KVM_HAVE_MSIX
#define __KVM_HAVE_MCE
#define __KVM_HAVE_PIT_STATE2
#define __KVM_HAVE_XEN_HVM
#define __KVM_HAVE_VCPU_EVENTS
#define __KVM_HAVE_DEBUGREGS
#define __KVM_HAVE_XSAVE
#define __KVM_HAVE_XCRS
#define __KVM_HAVE_READONLY_MEM

/* One bit per IDT vector in kvm_sregs.interrupt_bitmap. */
#define KVM_NR_INTERRUPTS 256

/* Argument of the long obsolete KVM_SET_MEMORY_ALIAS. */
struct kvm_memory_alias {
	__u32 slot;		/* alias number, unrelated to memslot ids */
	__u32 flags;
	__u64 guest_phys_addr;
	__u64 memory_size;
	__u64 target_phys_addr;
};

/* ---- In-kernel interrupt controllers (KVM_GET/SET_IRQCHIP) ---------- */

/* One 8259A; the field names follow the chip's own registers. */
struct kvm_pic_state {
	__u8 last_irr;		/* IRR as last sampled, for edge detection */
	__u8 irr;
	__u8 imr;
	__u8 isr;
	__u8 priority_add;	/* rotation: the line with top priority */
	__u8 irq_base;		/* vector of line 0 (from ICW2) */
	__u8 read_reg_select;	/* OCW3 RR/RIS: read ISR instead of IRR */
	__u8 poll;
	__u8 special_mask;
	__u8 init_state;	/* which ICW is expected next */
	__u8 auto_eoi;
	__u8 rotate_on_auto_eoi;
	__u8 special_fully_nested_mode;
	__u8 init4;		/* ICW4 will follow */
	__u8 elcr;		/* edge/level control register */
	__u8 elcr_mask;		/* which elcr bits are writable */
};

#define KVM_IOAPIC_NUM_PINS	24

struct kvm_ioapic_state {
	__u64 base_address;
	__u32 ioregsel;
	__u32 id;
	__u32 irr;
	__u32 pad;
	/* The redirection table, viewable raw or decoded. */
	union {
		__u64 bits;
		struct {
			__u8 vector;
			__u8 delivery_mode:3;
			__u8 dest_mode:1;
			__u8 delivery_status:1;
			__u8 polarity:1;
			__u8 remote_irr:1;
			__u8 trig_mode:1;
			__u8 mask:1;
			__u8 reserve:7;
			__u8 reserved[4];
			__u8 dest_id;
		} fields;
	} redirtbl[KVM_IOAPIC_NUM_PINS];
};

/* kvm_irqchip.chip_id values */
#define KVM_IRQCHIP_PIC_MASTER	0
#define KVM_IRQCHIP_PIC_SLAVE	1
#define KVM_IRQCHIP_IOAPIC	2
#define KVM_NR_IRQCHIPS		3

/* Bits in kvm_run.flags on x86. */
#define KVM_RUN_X86_SMM		(1 << 0)
#define KVM_RUN_X86_BUS_LOCK	(1 << 1)

/* ---- General purpose and system registers --------------------------- */

/* KVM_GET_REGS / KVM_SET_REGS */
struct kvm_regs {
	__u64 rax, rbx, rcx, rdx;
	__u64 rsi, rdi, rsp, rbp;
	__u64 r8,  r9,  r10, r11;
	__u64 r12, r13, r14, r15;
	__u64 rip, rflags;
};

/* KVM_GET_LAPIC / KVM_SET_LAPIC: the xAPIC register page as memory. */
#define KVM_APIC_REG_SIZE 0x400
struct kvm_lapic_state {
	char regs[KVM_APIC_REG_SIZE];
};

/* A segment register with its hidden part spelled out. */
struct kvm_segment {
	__u64 base;
	__u32 limit;
	__u16 selector;
	__u8  type;
	__u8  present, dpl, db, s, l, g, avl;
	__u8  unusable;
	__u8  padding;
};

/* GDTR / IDTR */
struct kvm_dtable {
	__u64 base;
	__u16 limit;
	__u16 padding[3];
};

/* KVM_GET_SREGS / KVM_SET_SREGS */
struct kvm_sregs {
	struct kvm_segment cs, ds, es, fs, gs, ss;
	struct kvm_segment tr, ldt;
	struct kvm_dtable gdt, idt;
	__u64 cr0, cr2, cr3, cr4, cr8;
	__u64 efer;
	__u64 apic_base;
	/* at most one bit set: a pending external interrupt vector */
	__u64 interrupt_bitmap[(KVM_NR_INTERRUPTS + 63) / 64];
};

/*
 * KVM_GET_SREGS2 / KVM_SET_SREGS2: like kvm_sregs but the pending
 * interrupt lives in the vCPU events instead, and the PAE PDPTEs the
 * CPU has loaded can be saved and restored.
 */
struct kvm_sregs2 {
	struct kvm_segment cs, ds, es, fs, gs, ss;
	struct kvm_segment tr, ldt;
	struct kvm_dtable gdt, idt;
	__u64 cr0, cr2, cr3, cr4, cr8;
	__u64 efer;
	__u64 apic_base;
	__u64 flags;
	__u64 pdptrs[4];
};
#define KVM_SREGS2_FLAGS_PDPTRS_VALID	1

/* ---- FPU, extended state and XCRs ----------------------------------- */

/* KVM_GET_FPU / KVM_SET_FPU, laid out much like FXSAVE's fields. */
struct kvm_fpu {
	__u8  fpr[8][16];
	__u16 fcw;
	__u16 fsw;
	__u8  ftwx;		/* abridged tag word, as FXSAVE stores it */
	__u8  pad1;
	__u16 last_opcode;
	__u64 last_ip;
	__u64 last_dp;
	__u8  xmm[16][16];
	__u32 mxcsr;
	__u32 pad2;
};

/*
 * KVM_GET_XSAVE / KVM_SET_XSAVE / KVM_GET_XSAVE2.  The buffer is an
 * XSAVE image in the standard (uncompacted) format, with component
 * offsets as reported by the host's CPUID leaf 0xD.  The fixed 4 KiB is
 * what the original ioctls transfer; with KVM_CAP_XSAVE2 the buffer may
 * be longer (the VM-scoped KVM_CHECK_EXTENSION reports its size) and the
 * excess is reached through extra[].
 */
struct kvm_xsave {
	__u32 region[1024];
	__u32 extra[];
};

#define KVM_MAX_XCRS	16

struct kvm_xcr {
	__u32 xcr;		/* XCR index, 0 for XCR0 */
	__u32 reserved;
	__u64 value;
};

/* KVM_GET_XCRS / KVM_SET_XCRS */
struct kvm_xcrs {
	__u32 nr_xcrs;
	__u32 flags;
	struct kvm_xcr xcrs[KVM_MAX_XCRS];
	__u64 padding[16];
};

/* ---- Model specific registers --------------------------------------- */

struct kvm_msr_entry {
	__u32 index;
	__u32 reserved;
	__u64 data;
};

/* KVM_GET_MSRS / KVM_SET_MSRS: a header followed by nmsrs entries. */
struct kvm_msrs {
	__u32 nmsrs;
	__u32 pad;
	struct kvm_msr_entry entries[];
};

/* KVM_GET_MSR_INDEX_LIST / KVM_GET_MSR_FEATURE_INDEX_LIST */
struct kvm_msr_list {
	__u32 nmsrs;		/* in: room in indices[]; out: needed */
	__u32 indices[];
};

/* KVM_X86_SET_MSR_FILTER */
#define KVM_MSR_FILTER_MAX_BITMAP_SIZE	0x600	/* bytes per range */
#define KVM_MSR_FILTER_MAX_RANGES	16

/* kvm_msr_filter_range.flags: which accesses the bitmap governs */
#define KVM_MSR_FILTER_READ		(1 << 0)
#define KVM_MSR_FILTER_WRITE		(1 << 1)

/* kvm_msr_filter.flags: fate of MSRs that no range covers */
#define KVM_MSR_FILTER_DEFAULT_ALLOW	(0 << 0)
#define KVM_MSR_FILTER_DEFAULT_DENY	(1 << 0)

struct kvm_msr_filter_range {
	__u32 flags;
	__u32 nmsrs;		/* bits in bitmap */
	__u32 base;		/* MSR index of bit 0 */
	__u8 *bitmap;		/* set bit: access permitted */
};

struct kvm_msr_filter {
	__u32 flags;
	struct kvm_msr_filter_range ranges[KVM_MSR_FILTER_MAX_RANGES];
};

/* ---- CPUID ---------------------------------------------------------- */

/* Original KVM_SET_CPUID format: no subleaf index. */
struct kvm_cpuid_entry {
	__u32 function;
	__u32 eax;
	__u32 ebx;
	__u32 ecx;
	__u32 edx;
	__u32 padding;
};

struct kvm_cpuid {
	__u32 nent;
	__u32 padding;
	struct kvm_cpuid_entry entries[];
};

struct kvm_cpuid_entry2 {
	__u32 function;
	__u32 index;		/* subleaf (ECX on input) */
	__u32 flags;		/* KVM_CPUID_FLAG_* */
	__u32 eax;
	__u32 ebx;
	__u32 ecx;
	__u32 edx;
	__u32 padding[3];
};

/* The misspelling is part of the ABI. */
#define KVM_CPUID_FLAG_SIGNIFCANT_INDEX		(1 << 0)
#define KVM_CPUID_FLAG_STATEFUL_FUNC		(1 << 1)
#define KVM_CPUID_FLAG_STATE_READ_NEXT		(1 << 2)

/* KVM_SET_CPUID2, KVM_GET_CPUID2, KVM_GET_SUPPORTED_CPUID, ... */
struct kvm_cpuid2 {
	__u32 nent;
	__u32 padding;
	struct kvm_cpuid_entry2 entries[];
};

/* ---- i8254 PIT ------------------------------------------------------ */

struct kvm_pit_channel_state {
	__u32 count;		/* reload value; 0x10000 stands for 0 */
	__u16 latched_count;
	__u8 count_latched;
	__u8 status_latched;
	__u8 status;
	__u8 read_state;
	__u8 write_state;
	__u8 write_latch;
	__u8 rw_mode;
	__u8 mode;
	__u8 bcd;
	__u8 gate;
	__s64 count_load_time;	/* host ns when count was loaded */
};

/* KVM_GET_PIT / KVM_SET_PIT */
struct kvm_pit_state {
	struct kvm_pit_channel_state channels[3];
};

/* kvm_pit_state2.flags */
#define KVM_PIT_FLAGS_HPET_LEGACY	0x00000001
#define KVM_PIT_FLAGS_SPEAKER_DATA_ON	0x00000002

/* KVM_GET_PIT2 / KVM_SET_PIT2 */
struct kvm_pit_state2 {
	struct kvm_pit_channel_state channels[3];
	__u32 flags;
	__u32 reserved[9];
};

/* Argument layout reserved for KVM_REINJECT_CONTROL. */
struct kvm_reinject_control {
	__u8 pit_reinject;
	__u8 reserved[31];
};

/* ---- Debugging ------------------------------------------------------ */

/* kvm_run.debug.arch, filled in on KVM_EXIT_DEBUG */
struct kvm_debug_exit_arch {
	__u32 exception;	/* DB_VECTOR or BP_VECTOR */
	__u32 pad;
	__u64 pc;
	__u64 dr6;
	__u64 dr7;
};

/* x86 additions to kvm_guest_debug.control */
#define KVM_GUESTDBG_USE_SW_BP		0x00010000
#define KVM_GUESTDBG_USE_HW_BP		0x00020000
#define KVM_GUESTDBG_INJECT_DB		0x00040000
#define KVM_GUESTDBG_INJECT_BP		0x00080000
#define KVM_GUESTDBG_BLOCKIRQ		0x00100000

struct kvm_guest_debug_arch {
	__u64 debugreg[8];	/* DR0-DR7; DR4/DR5 unused */
};

/* KVM_GET_DEBUGREGS / KVM_SET_DEBUGREGS */
struct kvm_debugregs {
	__u64 db[4];
	__u64 dr6;
	__u64 dr7;
	__u64 flags;
	__u64 reserved[9];
};

/* ---- Pending events (KVM_GET/SET_VCPU_EVENTS) ----------------------- */

/* kvm_vcpu_events.flags: which optional parts SET should honour */
#define KVM_VCPUEVENT_VALID_NMI_PENDING		0x00000001
#define KVM_VCPUEVENT_VALID_SIPI_VECTOR		0x00000002
#define KVM_VCPUEVENT_VALID_SHADOW		0x00000004
#define KVM_VCPUEVENT_VALID_SMM			0x00000008
#define KVM_VCPUEVENT_VALID_PAYLOAD		0x00000010
#define KVM_VCPUEVENT_VALID_TRIPLE_FAULT	0x00000020

/* kvm_vcpu_events.interrupt.shadow */
#define KVM_X86_SHADOW_INT_MOV_SS	0x01
#define KVM_X86_SHADOW_INT_STI		0x02

struct kvm_vcpu_events {
	struct {
		__u8 injected;
		__u8 nr;
		__u8 has_error_code;
		__u8 pending;
		__u32 error_code;
	} exception;
	struct {
		__u8 injected;
		__u8 nr;
		__u8 soft;
		__u8 shadow;
	} interrupt;
	struct {
		__u8 injected;
		__u8 pending;
		__u8 masked;
		__u8 pad;
	} nmi;
	__u32 sipi_vector;
	__u32 flags;
	struct {
		__u8 smm;
		__u8 pending;
		__u8 smm_inside_nmi;
		__u8 latched_init;
	} smi;
	struct {
		__u8 pending;
	} triple_fault;
	__u8 reserved[26];
	__u8 exception_has_payload;
	__u64 exception_payload;	/* CR2 or DR6 value to deliver */
};

/* ---- Registers mirrored in kvm_run (KVM_CAP_SYNC_REGS) -------------- */

#define KVM_SYNC_X86_REGS	(1UL << 0)
#define KVM_SYNC_X86_SREGS	(1UL << 1)
#define KVM_SYNC_X86_EVENTS	(1UL << 2)

#define KVM_SYNC_X86_VALID_FIELDS \
	(KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS | KVM_SYNC_X86_EVENTS)

/*
 * Lives in the page userspace shares with the kernel, so the kernel must
 * copy out of it exactly once before validating anything it reads.
 */
struct kvm_sync_regs {
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct kvm_vcpu_events events;
};

/* ---- KVM_CAP_DISABLE_QUIRKS(2) -------------------------------------- */

#define KVM_X86_QUIRK_LINT0_REENABLED		(1 << 0)
#define KVM_X86_QUIRK_CD_NW_CLEARED		(1 << 1)
#define KVM_X86_QUIRK_LAPIC_MMIO_HOLE		(1 << 2)
#define KVM_X86_QUIRK_OUT_7E_INC_RIP		(1 << 3)
#define KVM_X86_QUIRK_MISC_ENABLE_NO_MWAIT	(1 << 4)
#define KVM_X86_QUIRK_FIX_HYPERCALL_INSN	(1 << 5)
#define KVM_X86_QUIRK_MWAIT_NEVER_UD_FAULTS	(1 << 6)

/* ---- Nested virtualization state (KVM_GET/SET_NESTED_STATE) --------- */

/* kvm_nested_state.format */
#define KVM_STATE_NESTED_FORMAT_VMX	0
#define KVM_STATE_NESTED_FORMAT_SVM	1

/* kvm_nested_state.flags */
#define KVM_STATE_NESTED_GUEST_MODE	0x00000001
#define KVM_STATE_NESTED_RUN_PENDING	0x00000002
#define KVM_STATE_NESTED_EVMCS		0x00000004
#define KVM_STATE_NESTED_MTF_PENDING	0x00000008
#define KVM_STATE_NESTED_GIF_SET	0x00000100

/* kvm_vmx_nested_state_hdr.smm.flags */
#define KVM_STATE_NESTED_SMM_GUEST_MODE	0x00000001
#define KVM_STATE_NESTED_SMM_VMXON	0x00000002

#define KVM_STATE_NESTED_VMX_VMCS_SIZE	0x1000
#define KVM_STATE_NESTED_SVM_VMCB_SIZE	0x1000

/* kvm_vmx_nested_state_hdr.flags */
#define KVM_STATE_VMX_PREEMPTION_TIMER_DEADLINE	0x00000001

/* Attribute of the system fd, group 0: guest-usable XSAVE features. */
#define KVM_X86_XCOMP_GUEST_SUPP	0

struct kvm_vmx_nested_state_data {
	__u8 vmcs12[KVM_STATE_NESTED_VMX_VMCS_SIZE];
	__u8 shadow_vmcs12[KVM_STATE_NESTED_VMX_VMCS_SIZE];
};

struct kvm_vmx_nested_state_hdr {
	__u64 vmxon_pa;
	__u64 vmcs12_pa;
	struct {
		__u16 flags;
	} smm;
	__u16 pad;
	__u32 flags;
	__u64 preemption_timer_deadline;
};

struct kvm_svm_nested_state_data {
	/* L1's VMCB12 image, meaningful with KVM_STATE_NESTED_RUN_PENDING */
	__u8 vmcb12[KVM_STATE_NESTED_SVM_VMCB_SIZE];
};

struct kvm_svm_nested_state_hdr {
	__u64 vmcb_pa;
};

struct kvm_nested_state {
	__u16 flags;
	__u16 format;
	__u32 size;		/* of the whole buffer, header included */

	union {
		struct kvm_vmx_nested_state_hdr vmx;
		struct kvm_svm_nested_state_hdr svm;
		__u8 pad[120];	/* header is 128 bytes in total */
	} hdr;

	/*
	 * Variable part.  It is declared with zero-length arrays so that
	 * sizeof(struct kvm_nested_state), and with it the ioctl numbers,
	 * stay what they were before this member existed.
	 */
	union {
		struct kvm_vmx_nested_state_data vmx[0];
		struct kvm_svm_nested_state_data svm[0];
	} data;
};

/* ---- PMU event filter (KVM_SET_PMU_EVENT_FILTER) -------------------- */

struct kvm_pmu_event_filter {
	__u32 action;		/* KVM_PMU_EVENT_ALLOW or _DENY */
	__u32 nevents;
	__u32 fixed_counter_bitmap;
	__u32 flags;
	__u32 pad[4];
	__u64 events[];
};

#define KVM_PMU_EVENT_ALLOW	0
#define KVM_PMU_EVENT_DENY	1

/* ---- vCPU device attributes (KVM_{GET,SET,HAS}_DEVICE_ATTR) --------- */

#define KVM_VCPU_TSC_CTRL	0	/* group: TSC control */
#define   KVM_VCPU_TSC_OFFSET	0	/* attribute: guest TSC offset */

#endif /* _ASM_X86_KVM_H */
