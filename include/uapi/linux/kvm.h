/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The /dev/kvm userspace ABI: ioctl numbers, capability numbers, exit
 * reasons and the structures exchanged through them.
 *
 * This is an independent description of the interface of Linux 6.1 as
 * seen by x86 userspace.  It is shared verbatim by the kernel modules in
 * this tree and by userspace that wants to build against it, so it may
 * only use the uapi integer types and ioctl encoders.  Definitions that
 * only other architectures use (s390, powerpc, arm64, mips, riscv) are
 * left out on purpose; see tools/testing/abi/allowlist.txt.
 *
 * tools/testing/abi compiles this header against the distribution's
 * <linux/kvm.h> and fails on any difference in a number, a size or an
 * offset, so every layout below is load-bearing.
 *
 * The include guard is the conventional one on purpose: a translation
 * unit that reaches another copy of the header must see one definition.
 */
#ifndef __LINUX_KVM_H
#define __LINUX_KVM_H

#include <linux/const.h>
#include <linux/types.h>
#include <linux/stddef.h>
#include <linux/ioctl.h>
#include <asm/kvm.h>

/* What KVM_GET_API_VERSION returns; it has not changed since 2007. */
#define KVM_API_VERSION 12

/* All KVM ioctls use this type byte. */
#define KVMIO 0xAE

/* ===================================================================== */
/* Retired interfaces                                                    */
/* ===================================================================== */

/*
 * The old in-kernel tracing facility.  The numbers remain reserved and
 * the names are still referenced by old userspace, so they stay defined
 * even though no kernel implements them any more.
 */
#define KVM_TRC_SHIFT		16
#define KVM_TRC_ENTRYEXIT	(1 << KVM_TRC_SHIFT)
#define KVM_TRC_HANDLER		(1 << (KVM_TRC_SHIFT + 1))

#define KVM_TRC_VMENTRY		(KVM_TRC_ENTRYEXIT + 0x01)
#define KVM_TRC_VMEXIT		(KVM_TRC_ENTRYEXIT + 0x02)
#define KVM_TRC_PAGE_FAULT	(KVM_TRC_HANDLER + 0x01)

#define KVM_TRC_HEAD_SIZE	12
#define KVM_TRC_CYCLE_SIZE	8
#define KVM_TRC_EXTRA_MAX	7

#define KVM_TRC_INJ_VIRQ	(KVM_TRC_HANDLER + 0x02)
#define KVM_TRC_REDELIVER_EVT	(KVM_TRC_HANDLER + 0x03)
#define KVM_TRC_PEND_INTR	(KVM_TRC_HANDLER + 0x04)
#define KVM_TRC_IO_READ		(KVM_TRC_HANDLER + 0x05)
#define KVM_TRC_IO_WRITE	(KVM_TRC_HANDLER + 0x06)
#define KVM_TRC_CR_READ		(KVM_TRC_HANDLER + 0x07)
#define KVM_TRC_CR_WRITE	(KVM_TRC_HANDLER + 0x08)
#define KVM_TRC_DR_READ		(KVM_TRC_HANDLER + 0x09)
#define KVM_TRC_DR_WRITE	(KVM_TRC_HANDLER + 0x0A)
#define KVM_TRC_MSR_READ	(KVM_TRC_HANDLER + 0x0B)
#define KVM_TRC_MSR_WRITE	(KVM_TRC_HANDLER + 0x0C)
#define KVM_TRC_CPUID		(KVM_TRC_HANDLER + 0x0D)
#define KVM_TRC_INTR		(KVM_TRC_HANDLER + 0x0E)
#define KVM_TRC_NMI		(KVM_TRC_HANDLER + 0x0F)
#define KVM_TRC_VMMCALL		(KVM_TRC_HANDLER + 0x10)
#define KVM_TRC_HLT		(KVM_TRC_HANDLER + 0x11)
#define KVM_TRC_CLTS		(KVM_TRC_HANDLER + 0x12)
#define KVM_TRC_LMSW		(KVM_TRC_HANDLER + 0x13)
#define KVM_TRC_APIC_ACCESS	(KVM_TRC_HANDLER + 0x14)
#define KVM_TRC_TDP_FAULT	(KVM_TRC_HANDLER + 0x15)
#define KVM_TRC_GTLB_WRITE	(KVM_TRC_HANDLER + 0x16)
#define KVM_TRC_STLB_WRITE	(KVM_TRC_HANDLER + 0x17)
#define KVM_TRC_STLB_INVAL	(KVM_TRC_HANDLER + 0x18)
#define KVM_TRC_PPC_INSTR	(KVM_TRC_HANDLER + 0x19)

struct kvm_user_trace_setup {
	__u32 buf_size;
	__u32 buf_nr;
};

/* Placeholders that keep retired ioctl numbers from being reused. */
#define __KVM_DEPRECATED_MAIN_W_0x06 \
	_IOW(KVMIO, 0x06, struct kvm_user_trace_setup)
#define __KVM_DEPRECATED_MAIN_0x07	_IO(KVMIO, 0x07)
#define __KVM_DEPRECATED_MAIN_0x08	_IO(KVMIO, 0x08)
#define __KVM_DEPRECATED_VM_R_0x70 \
	_IOR(KVMIO, 0x70, struct kvm_assigned_irq)
#define __KVM_DEPRECATED_VCPU_W_0x87 \
	_IOW(KVMIO, 0x87, struct kvm_debug_guest)

/* Argument of the old KVM_DEBUG_GUEST, superseded by SET_GUEST_DEBUG. */
struct kvm_breakpoint {
	__u32 enabled;
	__u32 padding;
	__u64 address;
};

struct kvm_debug_guest {
	__u32 enabled;
	__u32 pad;
	struct kvm_breakpoint breakpoints[4];
	__u32 singlestep;
};

/* ===================================================================== */
/* Guest memory                                                          */
/* ===================================================================== */

/* KVM_SET_MEMORY_REGION (kernel-allocated memory; obsolete) */
struct kvm_memory_region {
	__u32 slot;
	__u32 flags;
	__u64 guest_phys_addr;
	__u64 memory_size;	/* in bytes */
};

/* KVM_SET_USER_MEMORY_REGION */
struct kvm_userspace_memory_region {
	__u32 slot;		/* bits 16+ select the address space */
	__u32 flags;		/* KVM_MEM_* */
	__u64 guest_phys_addr;
	__u64 memory_size;	/* in bytes; 0 deletes the slot */
	__u64 userspace_addr;	/* host virtual address backing the slot */
};

/*
 * Memslot flags.  Only the low 16 bits belong to userspace; the kernel
 * keeps private state in the upper half.
 */
#define KVM_MEM_LOG_DIRTY_PAGES	(1UL << 0)
#define KVM_MEM_READONLY	(1UL << 1)

/* KVM_GET_DIRTY_LOG */
struct kvm_dirty_log {
	__u32 slot;
	__u32 padding1;
	union {
		void *dirty_bitmap;	/* one bit per page of the slot */
		__u64 padding2;
	};
};

/* KVM_CLEAR_DIRTY_LOG */
struct kvm_clear_dirty_log {
	__u32 slot;
	__u32 num_pages;
	__u64 first_page;
	union {
		void *dirty_bitmap;	/* bit 0 is first_page */
		__u64 padding2;
	};
};

/* KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 arguments */
#define KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE	(1 << 0)
#define KVM_DIRTY_LOG_INITIALLY_SET		(1 << 1)

/*
 * Dirty ring (KVM_CAP_DIRTY_LOG_RING).  Each vCPU exposes an array of
 * kvm_dirty_gfn at page KVM_DIRTY_LOG_PAGE_OFFSET of its mmap area.  The
 * kernel publishes an entry by setting DIRTY; userspace, once it has
 * collected the entry, sets RESET and calls KVM_RESET_DIRTY_RINGS,
 * after which the kernel clears both bits and may reuse the slot.
 * Entries must be collected in ring order.
 */
#ifndef KVM_DIRTY_LOG_PAGE_OFFSET
#define KVM_DIRTY_LOG_PAGE_OFFSET 0
#endif

#define KVM_DIRTY_GFN_F_DIRTY	_BITUL(0)
#define KVM_DIRTY_GFN_F_RESET	_BITUL(1)
#define KVM_DIRTY_GFN_F_MASK	0x3

struct kvm_dirty_gfn {
	__u32 flags;
	__u32 slot;		/* as in kvm_userspace_memory_region.slot */
	__u64 offset;		/* page index inside the slot */
};

/* Memory encryption (SEV): KVM_MEMORY_ENCRYPT_{REG,UNREG}_REGION */
struct kvm_enc_region {
	__u64 addr;
	__u64 size;
};

/* ===================================================================== */
/* Interrupts                                                            */
/* ===================================================================== */

/* KVM_IRQ_LINE / KVM_IRQ_LINE_STATUS */
struct kvm_irq_level {
	/*
	 * On input the GSI to drive (PIC lines 0-15 and IOAPIC pins 0-23
	 * on x86); KVM_IRQ_LINE_STATUS overwrites it with a status.
	 */
	union {
		__u32 irq;
		__s32 status;
	};
	__u32 level;
};

/* KVM_GET_IRQCHIP / KVM_SET_IRQCHIP */
struct kvm_irqchip {
	__u32 chip_id;		/* KVM_IRQCHIP_* */
	__u32 pad;
	union {
		char dummy[512];	/* fixes the size */
		struct kvm_pic_state pic;
		struct kvm_ioapic_state ioapic;
	} chip;
};

/* KVM_INTERRUPT: queue an external interrupt (userspace irqchip only) */
struct kvm_interrupt {
	__u32 irq;
};

/* KVM_SIGNAL_MSI */
#define KVM_MSI_VALID_DEVID	(1U << 0)
struct kvm_msi {
	__u32 address_lo;
	__u32 address_hi;
	__u32 data;
	__u32 flags;
	__u32 devid;
	__u8  pad[12];
};

/* KVM_SET_GSI_ROUTING: one routing entry per (gsi, target) pair */
struct kvm_irq_routing_irqchip {
	__u32 irqchip;
	__u32 pin;
};

struct kvm_irq_routing_msi {
	__u32 address_lo;
	__u32 address_hi;
	__u32 data;
	union {
		__u32 pad;
		__u32 devid;
	};
};

/* Needed for the size of the routing union even on x86. */
struct kvm_irq_routing_s390_adapter {
	__u64 ind_addr;
	__u64 summary_addr;
	__u64 ind_offset;
	__u32 summary_offset;
	__u32 adapter_id;
};

struct kvm_irq_routing_hv_sint {
	__u32 vcpu;
	__u32 sint;
};

struct kvm_irq_routing_xen_evtchn {
	__u32 port;
	__u32 vcpu;
	__u32 priority;
};

#define KVM_IRQ_ROUTING_XEN_EVTCHN_PRIO_2LEVEL	((__u32)(-1))

/* kvm_irq_routing_entry.type */
#define KVM_IRQ_ROUTING_IRQCHIP		1
#define KVM_IRQ_ROUTING_MSI		2
#define KVM_IRQ_ROUTING_S390_ADAPTER	3
#define KVM_IRQ_ROUTING_HV_SINT		4
#define KVM_IRQ_ROUTING_XEN_EVTCHN	5

struct kvm_irq_routing_entry {
	__u32 gsi;
	__u32 type;
	__u32 flags;		/* KVM_MSI_VALID_DEVID for MSI */
	__u32 pad;
	union {
		struct kvm_irq_routing_irqchip irqchip;
		struct kvm_irq_routing_msi msi;
		struct kvm_irq_routing_s390_adapter adapter;
		struct kvm_irq_routing_hv_sint hv_sint;
		struct kvm_irq_routing_xen_evtchn xen_evtchn;
		__u32 pad[8];
	} u;
};

struct kvm_irq_routing {
	__u32 nr;
	__u32 flags;
	struct kvm_irq_routing_entry entries[];
};

/* KVM_IRQFD */
#define KVM_IRQFD_FLAG_DEASSIGN	(1 << 0)
/*
 * With KVM_CAP_IRQFD_RESAMPLE: the interrupt is level-triggered and
 * resamplefd is signalled when the guest acknowledges it.
 */
#define KVM_IRQFD_FLAG_RESAMPLE	(1 << 1)

struct kvm_irqfd {
	__u32 fd;
	__u32 gsi;
	__u32 flags;
	__u32 resamplefd;
	__u8  pad[16];
};

/* KVM_CREATE_PIT2 */
#define KVM_PIT_SPEAKER_DUMMY	1

struct kvm_pit_config {
	__u32 flags;
	__u32 pad[15];
};

/* KVM_X86_SETUP_MCE / KVM_X86_SET_MCE: inject a machine check */
struct kvm_x86_mce {
	__u64 status;
	__u64 addr;
	__u64 misc;
	__u64 mcg_status;
	__u8 bank;
	__u8 pad1[7];
	__u64 pad2[3];
};

/* KVM_CAP_X2APIC_API */
#define KVM_X2APIC_API_USE_32BIT_IDS		(1ULL << 0)
#define KVM_X2APIC_API_DISABLE_BROADCAST_QUIRK	(1ULL << 1)

/* ===================================================================== */
/* Event file descriptors                                                */
/* ===================================================================== */

/* Bit numbers for kvm_ioeventfd.flags */
enum {
	kvm_ioeventfd_flag_nr_datamatch,
	kvm_ioeventfd_flag_nr_pio,
	kvm_ioeventfd_flag_nr_deassign,
	kvm_ioeventfd_flag_nr_virtio_ccw_notify,
	kvm_ioeventfd_flag_nr_fast_mmio,
	kvm_ioeventfd_flag_nr_max,
};

#define KVM_IOEVENTFD_FLAG_DATAMATCH	(1 << kvm_ioeventfd_flag_nr_datamatch)
#define KVM_IOEVENTFD_FLAG_PIO		(1 << kvm_ioeventfd_flag_nr_pio)
#define KVM_IOEVENTFD_FLAG_DEASSIGN	(1 << kvm_ioeventfd_flag_nr_deassign)
#define KVM_IOEVENTFD_FLAG_VIRTIO_CCW_NOTIFY \
	(1 << kvm_ioeventfd_flag_nr_virtio_ccw_notify)

#define KVM_IOEVENTFD_VALID_FLAG_MASK	((1 << kvm_ioeventfd_flag_nr_max) - 1)

/* KVM_IOEVENTFD */
struct kvm_ioeventfd {
	__u64 datamatch;
	__u64 addr;		/* port or guest physical address */
	__u32 len;		/* 1, 2, 4 or 8; 0 matches any length */
	__s32 fd;
	__u32 flags;
	__u8  pad[36];
};

/* KVM_HYPERV_EVENTFD */
#define KVM_HYPERV_CONN_ID_MASK		0x00ffffff
#define KVM_HYPERV_EVENTFD_DEASSIGN	(1 << 0)

struct kvm_hyperv_eventfd {
	__u32 conn_id;
	__s32 fd;
	__u32 flags;
	__u32 padding[3];
};

/* ===================================================================== */
/* Exits: struct kvm_run and friends                                     */
/* ===================================================================== */

/* kvm_run.exit_reason */
#define KVM_EXIT_UNKNOWN		0
#define KVM_EXIT_EXCEPTION		1
#define KVM_EXIT_IO			2
#define KVM_EXIT_HYPERCALL		3
#define KVM_EXIT_DEBUG			4
#define KVM_EXIT_HLT			5
#define KVM_EXIT_MMIO			6
#define KVM_EXIT_IRQ_WINDOW_OPEN	7
#define KVM_EXIT_SHUTDOWN		8
#define KVM_EXIT_FAIL_ENTRY		9
#define KVM_EXIT_INTR			10
#define KVM_EXIT_SET_TPR		11
#define KVM_EXIT_TPR_ACCESS		12
#define KVM_EXIT_S390_SIEIC		13
#define KVM_EXIT_S390_RESET		14
#define KVM_EXIT_DCR			15	/* no longer produced */
#define KVM_EXIT_NMI			16
#define KVM_EXIT_INTERNAL_ERROR		17
#define KVM_EXIT_OSI			18
#define KVM_EXIT_PAPR_HCALL		19
#define KVM_EXIT_S390_UCONTROL		20
#define KVM_EXIT_WATCHDOG		21
#define KVM_EXIT_S390_TSCH		22
#define KVM_EXIT_EPR			23
#define KVM_EXIT_SYSTEM_EVENT		24
#define KVM_EXIT_S390_STSI		25
#define KVM_EXIT_IOAPIC_EOI		26
#define KVM_EXIT_HYPERV			27
#define KVM_EXIT_ARM_NISV		28
#define KVM_EXIT_X86_RDMSR		29
#define KVM_EXIT_X86_WRMSR		30
#define KVM_EXIT_DIRTY_RING_FULL	31
#define KVM_EXIT_AP_RESET_HOLD		32
#define KVM_EXIT_X86_BUS_LOCK		33
#define KVM_EXIT_XEN			34
#define KVM_EXIT_RISCV_SBI		35
#define KVM_EXIT_RISCV_CSR		36
#define KVM_EXIT_NOTIFY			37

/* kvm_run.internal.suberror for KVM_EXIT_INTERNAL_ERROR */
#define KVM_INTERNAL_ERROR_EMULATION			1
#define KVM_INTERNAL_ERROR_SIMUL_EX			2
#define KVM_INTERNAL_ERROR_DELIVERY_EV			3
#define KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON	4

/* kvm_run.emulation_failure.flags: which optional fields are valid */
#define KVM_INTERNAL_ERROR_EMULATION_FLAG_INSTRUCTION_BYTES	(1ULL << 0)

/* kvm_run.io.direction */
#define KVM_EXIT_IO_IN		0
#define KVM_EXIT_IO_OUT		1

/* kvm_run.system_event.type */
#define KVM_SYSTEM_EVENT_SHUTDOWN	1
#define KVM_SYSTEM_EVENT_RESET		2
#define KVM_SYSTEM_EVENT_CRASH		3
#define KVM_SYSTEM_EVENT_WAKEUP		4
#define KVM_SYSTEM_EVENT_SUSPEND	5
#define KVM_SYSTEM_EVENT_SEV_TERM	6

/* kvm_run.msr.reason */
#define KVM_MSR_EXIT_REASON_INVAL	(1 << 0)
#define KVM_MSR_EXIT_REASON_UNKNOWN	(1 << 1)
#define KVM_MSR_EXIT_REASON_FILTER	(1 << 2)

/* kvm_run.notify.flags */
#define KVM_NOTIFY_CONTEXT_INVALID	(1 << 0)

/* Payload of KVM_EXIT_HYPERV */
#define KVM_EXIT_HYPERV_SYNIC	1
#define KVM_EXIT_HYPERV_HCALL	2
#define KVM_EXIT_HYPERV_SYNDBG	3

struct kvm_hyperv_exit {
	__u32 type;
	__u32 pad1;
	union {
		struct {
			__u32 msr;
			__u32 pad2;
			__u64 control;
			__u64 evt_page;
			__u64 msg_page;
		} synic;
		struct {
			__u64 input;
			__u64 result;
			__u64 params[2];
		} hcall;
		struct {
			__u32 msr;
			__u32 pad2;
			__u64 control;
			__u64 status;
			__u64 send_page;
			__u64 recv_page;
			__u64 pending_page;
		} syndbg;
	} u;
};

/* Payload of KVM_EXIT_XEN */
#define KVM_EXIT_XEN_HCALL	1

struct kvm_xen_exit {
	__u32 type;
	union {
		struct {
			__u32 longmode;
			__u32 cpl;
			__u64 input;
			__u64 result;
			__u64 params[6];
		} hcall;
	} u;
};

/*
 * The first page of the mmap()ed vCPU file descriptor.  Fields above the
 * exit union are inputs and outputs of every KVM_RUN; exactly one member
 * of the union is meaningful, selected by exit_reason.  Members for
 * other architectures are kept so the union reads the same everywhere.
 */
struct kvm_run {
	/* set by userspace */
	__u8 request_interrupt_window;
	__u8 immediate_exit;
	__u8 padding1[6];

	/* set by the kernel */
	__u32 exit_reason;
	__u8 ready_for_interrupt_injection;
	__u8 if_flag;
	__u16 flags;		/* KVM_RUN_X86_* */

	/* both directions */
	__u64 cr8;
	__u64 apic_base;

	union {
		/* KVM_EXIT_UNKNOWN */
		struct {
			__u64 hardware_exit_reason;
		} hw;
		/* KVM_EXIT_FAIL_ENTRY */
		struct {
			__u64 hardware_entry_failure_reason;
			__u32 cpu;
		} fail_entry;
		/* KVM_EXIT_EXCEPTION */
		struct {
			__u32 exception;
			__u32 error_code;
		} ex;
		/* KVM_EXIT_IO: data lives at data_offset from this page */
		struct {
			__u8 direction;
			__u8 size;		/* bytes per element */
			__u16 port;
			__u32 count;		/* elements (string I/O) */
			__u64 data_offset;
		} io;
		/* KVM_EXIT_DEBUG */
		struct {
			struct kvm_debug_exit_arch arch;
		} debug;
		/* KVM_EXIT_MMIO */
		struct {
			__u64 phys_addr;
			__u8  data[8];
			__u32 len;
			__u8  is_write;
		} mmio;
		/* KVM_EXIT_HYPERCALL */
		struct {
			__u64 nr;
			__u64 args[6];
			__u64 ret;
			__u32 longmode;
			__u32 pad;
		} hypercall;
		/* KVM_EXIT_TPR_ACCESS */
		struct {
			__u64 rip;
			__u32 is_write;
			__u32 pad;
		} tpr_access;
		/* KVM_EXIT_S390_SIEIC */
		struct {
			__u8 icptcode;
			__u16 ipa;
			__u32 ipb;
		} s390_sieic;
		/* KVM_EXIT_S390_RESET */
		__u64 s390_reset_flags;
		/* KVM_EXIT_S390_UCONTROL */
		struct {
			__u64 trans_exc_code;
			__u32 pgm_code;
		} s390_ucontrol;
		/* KVM_EXIT_DCR */
		struct {
			__u32 dcrn;
			__u32 data;
			__u8  is_write;
		} dcr;
		/* KVM_EXIT_INTERNAL_ERROR */
		struct {
			__u32 suberror;
			__u32 ndata;	/* valid data[] entries */
			__u64 data[16];
		} internal;
		/*
		 * KVM_EXIT_INTERNAL_ERROR with KVM_INTERNAL_ERROR_EMULATION:
		 * a second view of "internal" whose first fields coincide
		 * with it.  Fields after flags are present only when the
		 * corresponding flag is set; ndata still counts every __u64
		 * of the overlay (and any unspecified data after it).
		 */
		struct {
			__u32 suberror;
			__u32 ndata;
			__u64 flags;
			union {
				struct {
					__u8  insn_size;
					__u8  insn_bytes[15];
				};
			};
		} emulation_failure;
		/* KVM_EXIT_OSI */
		struct {
			__u64 gprs[32];
		} osi;
		/* KVM_EXIT_PAPR_HCALL */
		struct {
			__u64 nr;
			__u64 ret;
			__u64 args[9];
		} papr_hcall;
		/* KVM_EXIT_S390_TSCH */
		struct {
			__u16 subchannel_id;
			__u16 subchannel_nr;
			__u32 io_int_parm;
			__u32 io_int_word;
			__u32 ipb;
			__u8 dequeued;
		} s390_tsch;
		/* KVM_EXIT_EPR */
		struct {
			__u32 epr;
		} epr;
		/* KVM_EXIT_SYSTEM_EVENT */
		struct {
			__u32 type;
			__u32 ndata;
			union {
				__u64 flags;
				__u64 data[16];
			};
		} system_event;
		/* KVM_EXIT_S390_STSI */
		struct {
			__u64 addr;
			__u8 ar;
			__u8 reserved;
			__u8 fc;
			__u8 sel1;
			__u16 sel2;
		} s390_stsi;
		/* KVM_EXIT_IOAPIC_EOI */
		struct {
			__u8 vector;
		} eoi;
		/* KVM_EXIT_HYPERV */
		struct kvm_hyperv_exit hyperv;
		/* KVM_EXIT_ARM_NISV */
		struct {
			__u64 esr_iss;
			__u64 fault_ipa;
		} arm_nisv;
		/* KVM_EXIT_X86_RDMSR, KVM_EXIT_X86_WRMSR */
		struct {
			__u8 error;	/* userspace sets: inject #GP */
			__u8 pad[7];
			__u32 reason;	/* KVM_MSR_EXIT_REASON_* */
			__u32 index;
			__u64 data;	/* WRMSR value, or RDMSR result */
		} msr;
		/* KVM_EXIT_XEN */
		struct kvm_xen_exit xen;
		/* KVM_EXIT_RISCV_SBI */
		struct {
			unsigned long extension_id;
			unsigned long function_id;
			unsigned long args[6];
			unsigned long ret[2];
		} riscv_sbi;
		/* KVM_EXIT_RISCV_CSR */
		struct {
			unsigned long csr_num;
			unsigned long new_value;
			unsigned long write_mask;
			unsigned long ret_value;
		} riscv_csr;
		/* KVM_EXIT_NOTIFY */
		struct {
			__u32 flags;
		} notify;
		/* keeps the union at a fixed size as members are added */
		char padding[256];
	};

	/*
	 * Register state mirrored through this page (KVM_CAP_SYNC_REGS).
	 * The kernel marks in kvm_valid_regs what it filled in; userspace
	 * marks in kvm_dirty_regs what it changed and wants loaded.
	 */
#define SYNC_REGS_SIZE_BYTES 2048
	__u64 kvm_valid_regs;
	__u64 kvm_dirty_regs;
	union {
		struct kvm_sync_regs regs;
		char padding[SYNC_REGS_SIZE_BYTES];
	} s;
};

/* ===================================================================== */
/* Coalesced MMIO / PIO                                                  */
/* ===================================================================== */

/* KVM_REGISTER_COALESCED_MMIO / KVM_UNREGISTER_COALESCED_MMIO */
struct kvm_coalesced_mmio_zone {
	__u64 addr;
	__u32 size;
	union {
		__u32 pad;
		__u32 pio;	/* 1: addr is a port (KVM_CAP_COALESCED_PIO) */
	};
};

/* One buffered write in the ring. */
struct kvm_coalesced_mmio {
	__u64 phys_addr;
	__u32 len;
	union {
		__u32 pad;
		__u32 pio;
	};
	__u8  data[8];
};

/*
 * The ring at page KVM_COALESCED_MMIO_PAGE_OFFSET: the kernel appends at
 * "last", userspace consumes from "first".
 */
struct kvm_coalesced_mmio_ring {
	__u32 first, last;
	struct kvm_coalesced_mmio coalesced_mmio[];
};

/* Only usable where PAGE_SIZE is known. */
#define KVM_COALESCED_MMIO_MAX \
	((PAGE_SIZE - sizeof(struct kvm_coalesced_mmio_ring)) / \
	 sizeof(struct kvm_coalesced_mmio))

/* ===================================================================== */
/* Miscellaneous vCPU state                                              */
/* ===================================================================== */

/* KVM_TRANSLATE: guest linear to guest physical */
struct kvm_translation {
	__u64 linear_address;	/* in */
	__u64 physical_address;	/* out, and the rest too */
	__u8  valid;
	__u8  writeable;
	__u8  usermode;
	__u8  pad[5];
};

/* KVM_SET_SIGNAL_MASK: signals blocked while inside KVM_RUN */
struct kvm_signal_mask {
	__u32 len;
	__u8  sigset[];
};

/* KVM_TPR_ACCESS_REPORTING */
struct kvm_tpr_access_ctl {
	__u32 enabled;
	__u32 flags;
	__u32 reserved[8];
};

/* KVM_SET_VAPIC_ADDR */
struct kvm_vapic_addr {
	__u64 vapic_addr;
};

/* KVM_GET_MP_STATE / KVM_SET_MP_STATE; not every state exists on x86 */
#define KVM_MP_STATE_RUNNABLE		0
#define KVM_MP_STATE_UNINITIALIZED	1
#define KVM_MP_STATE_INIT_RECEIVED	2
#define KVM_MP_STATE_HALTED		3
#define KVM_MP_STATE_SIPI_RECEIVED	4
#define KVM_MP_STATE_STOPPED		5
#define KVM_MP_STATE_CHECK_STOP		6
#define KVM_MP_STATE_OPERATING		7
#define KVM_MP_STATE_LOAD		8
#define KVM_MP_STATE_AP_RESET_HOLD	9
#define KVM_MP_STATE_SUSPENDED		10

struct kvm_mp_state {
	__u32 mp_state;
};

/* KVM_SET_GUEST_DEBUG; arch-specific control bits are in <asm/kvm.h> */
#define KVM_GUESTDBG_ENABLE		0x00000001
#define KVM_GUESTDBG_SINGLESTEP		0x00000002

struct kvm_guest_debug {
	__u32 control;
	__u32 pad;
	struct kvm_guest_debug_arch arch;
};

/* KVM_ENABLE_CAP (vCPU, and VM with KVM_CAP_ENABLE_CAP_VM) */
struct kvm_enable_cap {
	__u32 cap;
	__u32 flags;
	__u64 args[4];
	__u8  pad[64];
};

/* KVM_CAP_X86_DISABLE_EXITS argument bits */
#define KVM_X86_DISABLE_EXITS_MWAIT	(1 << 0)
#define KVM_X86_DISABLE_EXITS_HLT	(1 << 1)
#define KVM_X86_DISABLE_EXITS_PAUSE	(1 << 2)
#define KVM_X86_DISABLE_EXITS_CSTATE	(1 << 3)
#define KVM_X86_DISABLE_VALID_EXITS	(KVM_X86_DISABLE_EXITS_MWAIT | \
					 KVM_X86_DISABLE_EXITS_HLT | \
					 KVM_X86_DISABLE_EXITS_PAUSE | \
					 KVM_X86_DISABLE_EXITS_CSTATE)

/* KVM_CAP_X86_BUS_LOCK_EXIT argument bits */
#define KVM_BUS_LOCK_DETECTION_OFF	(1 << 0)
#define KVM_BUS_LOCK_DETECTION_EXIT	(1 << 1)

/* KVM_CAP_PMU_CAPABILITY argument bits */
#define KVM_PMU_CAP_DISABLE		(1 << 0)

/* KVM_CAP_X86_NOTIFY_VMEXIT argument bits */
#define KVM_X86_NOTIFY_VMEXIT_ENABLED	(1ULL << 0)
#define KVM_X86_NOTIFY_VMEXIT_USER	(1ULL << 1)

/* ===================================================================== */
/* kvmclock (KVM_GET_CLOCK / KVM_SET_CLOCK)                              */
/* ===================================================================== */

/* kvm_clock_data.flags; the value 1 is unusable for historical reasons */
#define KVM_CLOCK_TSC_STABLE	2
#define KVM_CLOCK_REALTIME	(1 << 2)
#define KVM_CLOCK_HOST_TSC	(1 << 3)

struct kvm_clock_data {
	__u64 clock;		/* guest kvmclock, ns */
	__u32 flags;
	__u32 pad0;
	__u64 realtime;		/* CLOCK_REALTIME at the same instant */
	__u64 host_tsc;		/* host TSC at the same instant */
	__u32 pad[4];
};

/* ===================================================================== */
/* One-register interface (KVM_GET/SET_ONE_REG, KVM_GET_REG_LIST)        */
/* ===================================================================== */

/* Register ids: architecture in bits 56-63, access size in bits 52-55. */
#define KVM_REG_ARCH_MASK	0xff00000000000000ULL
#define KVM_REG_GENERIC		0x0000000000000000ULL

#define KVM_REG_PPC		0x1000000000000000ULL
#define KVM_REG_X86		0x2000000000000000ULL
#define KVM_REG_IA64		0x3000000000000000ULL
#define KVM_REG_ARM		0x4000000000000000ULL
#define KVM_REG_S390		0x5000000000000000ULL
#define KVM_REG_ARM64		0x6000000000000000ULL
#define KVM_REG_MIPS		0x7000000000000000ULL
#define KVM_REG_RISCV		0x8000000000000000ULL

#define KVM_REG_SIZE_SHIFT	52
#define KVM_REG_SIZE_MASK	0x00f0000000000000ULL
#define KVM_REG_SIZE_U8		0x0000000000000000ULL
#define KVM_REG_SIZE_U16	0x0010000000000000ULL
#define KVM_REG_SIZE_U32	0x0020000000000000ULL
#define KVM_REG_SIZE_U64	0x0030000000000000ULL
#define KVM_REG_SIZE_U128	0x0040000000000000ULL
#define KVM_REG_SIZE_U256	0x0050000000000000ULL
#define KVM_REG_SIZE_U512	0x0060000000000000ULL
#define KVM_REG_SIZE_U1024	0x0070000000000000ULL
#define KVM_REG_SIZE_U2048	0x0080000000000000ULL

struct kvm_reg_list {
	__u64 n;		/* entries in reg[] */
	__u64 reg[];
};

struct kvm_one_reg {
	__u64 id;
	__u64 addr;		/* userspace buffer of the id's size */
};

/* ===================================================================== */
/* Device control API (KVM_CREATE_DEVICE and device attributes)          */
/* ===================================================================== */

/* kvm_create_device.flags: only check whether the type is supported */
#define KVM_CREATE_DEVICE_TEST		1

struct kvm_create_device {
	__u32 type;		/* in: KVM_DEV_TYPE_* */
	__u32 fd;		/* out */
	__u32 flags;		/* in */
};

/* KVM_{SET,GET,HAS}_DEVICE_ATTR on device, vCPU, VM or system fds */
struct kvm_device_attr {
	__u32 flags;		/* must be zero */
	__u32 group;
	__u64 attr;
	__u64 addr;		/* userspace pointer to the value */
};

/* Groups and attributes of the VFIO pseudo device */
#define  KVM_DEV_VFIO_GROUP			1
#define   KVM_DEV_VFIO_GROUP_ADD		1
#define   KVM_DEV_VFIO_GROUP_DEL		2
#define   KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE	3

struct kvm_vfio_spapr_tce {
	__s32 groupfd;
	__s32 tablefd;
};

/*
 * Device types.  Each enumerator is also a macro of the same name so
 * that userspace can test for it with #ifdef.
 */
enum kvm_device_type {
	KVM_DEV_TYPE_FSL_MPIC_20 = 1,
#define KVM_DEV_TYPE_FSL_MPIC_20	KVM_DEV_TYPE_FSL_MPIC_20
	KVM_DEV_TYPE_FSL_MPIC_42,
#define KVM_DEV_TYPE_FSL_MPIC_42	KVM_DEV_TYPE_FSL_MPIC_42
	KVM_DEV_TYPE_XICS,
#define KVM_DEV_TYPE_XICS		KVM_DEV_TYPE_XICS
	KVM_DEV_TYPE_VFIO,
#define KVM_DEV_TYPE_VFIO		KVM_DEV_TYPE_VFIO
	KVM_DEV_TYPE_ARM_VGIC_V2,
#define KVM_DEV_TYPE_ARM_VGIC_V2	KVM_DEV_TYPE_ARM_VGIC_V2
	KVM_DEV_TYPE_FLIC,
#define KVM_DEV_TYPE_FLIC		KVM_DEV_TYPE_FLIC
	KVM_DEV_TYPE_ARM_VGIC_V3,
#define KVM_DEV_TYPE_ARM_VGIC_V3	KVM_DEV_TYPE_ARM_VGIC_V3
	KVM_DEV_TYPE_ARM_VGIC_ITS,
#define KVM_DEV_TYPE_ARM_VGIC_ITS	KVM_DEV_TYPE_ARM_VGIC_ITS
	KVM_DEV_TYPE_XIVE,
#define KVM_DEV_TYPE_XIVE		KVM_DEV_TYPE_XIVE
	KVM_DEV_TYPE_ARM_PV_TIME,
#define KVM_DEV_TYPE_ARM_PV_TIME	KVM_DEV_TYPE_ARM_PV_TIME
	KVM_DEV_TYPE_MAX,
};

/* ===================================================================== */
/* Xen emulation (KVM_CAP_XEN_HVM)                                       */
/* ===================================================================== */

/* KVM_XEN_HVM_CONFIG */
#define KVM_XEN_HVM_CONFIG_HYPERCALL_MSR	(1 << 0)
#define KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL	(1 << 1)
#define KVM_XEN_HVM_CONFIG_SHARED_INFO		(1 << 2)
#define KVM_XEN_HVM_CONFIG_RUNSTATE		(1 << 3)
#define KVM_XEN_HVM_CONFIG_EVTCHN_2LEVEL	(1 << 4)
#define KVM_XEN_HVM_CONFIG_EVTCHN_SEND		(1 << 5)

struct kvm_xen_hvm_config {
	__u32 flags;
	__u32 msr;		/* MSR that loads the hypercall page */
	__u64 blob_addr_32;
	__u64 blob_addr_64;
	__u8 blob_size_32;
	__u8 blob_size_64;
	__u8 pad2[30];
};

/* kvm_xen_hvm_attr.u.evtchn.flags */
#define KVM_XEN_EVTCHN_DEASSIGN		(1 << 0)
#define KVM_XEN_EVTCHN_UPDATE		(1 << 1)
#define KVM_XEN_EVTCHN_RESET		(1 << 2)

/* KVM_XEN_HVM_GET_ATTR / KVM_XEN_HVM_SET_ATTR */
struct kvm_xen_hvm_attr {
	__u16 type;		/* KVM_XEN_ATTR_TYPE_* */
	__u16 pad[3];
	union {
		__u8 long_mode;
		__u8 vector;
		struct {
			__u64 gfn;
		} shared_info;
		struct {
			__u32 send_port;
			__u32 type;	/* Xen EVTCHNSTAT_* of the port */
			__u32 flags;	/* KVM_XEN_EVTCHN_* */
			/* where a guest send on send_port ends up */
			union {
				struct {
					__u32 port;
					__u32 vcpu;
					__u32 priority;
				} port;
				struct {
					__u32 port;	/* 0: eventfd */
					__s32 fd;
				} eventfd;
				__u32 padding[4];
			} deliver;
		} evtchn;
		__u32 xen_version;
		__u64 pad[8];
	} u;
};

#define KVM_XEN_ATTR_TYPE_LONG_MODE		0x0
#define KVM_XEN_ATTR_TYPE_SHARED_INFO		0x1
#define KVM_XEN_ATTR_TYPE_UPCALL_VECTOR		0x2
#define KVM_XEN_ATTR_TYPE_EVTCHN		0x3	/* needs EVTCHN_SEND */
#define KVM_XEN_ATTR_TYPE_XEN_VERSION		0x4	/* needs EVTCHN_SEND */

/* KVM_XEN_VCPU_GET_ATTR / KVM_XEN_VCPU_SET_ATTR */
struct kvm_xen_vcpu_attr {
	__u16 type;		/* KVM_XEN_VCPU_ATTR_TYPE_* */
	__u16 pad[3];
	union {
		__u64 gpa;
		__u64 pad[8];
		struct {
			__u64 state;
			__u64 state_entry_time;
			__u64 time_running;
			__u64 time_runnable;
			__u64 time_blocked;
			__u64 time_offline;
		} runstate;
		__u32 vcpu_id;
		struct {
			__u32 port;
			__u32 priority;
			__u64 expires_ns;
		} timer;
		__u8 vector;
	} u;
};

#define KVM_XEN_VCPU_ATTR_TYPE_VCPU_INFO	0x0
#define KVM_XEN_VCPU_ATTR_TYPE_VCPU_TIME_INFO	0x1
#define KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_ADDR	0x2
#define KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_CURRENT	0x3
#define KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_DATA	0x4
#define KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_ADJUST	0x5
/* the following need KVM_XEN_HVM_CONFIG_EVTCHN_SEND */
#define KVM_XEN_VCPU_ATTR_TYPE_VCPU_ID		0x6
#define KVM_XEN_VCPU_ATTR_TYPE_TIMER		0x7
#define KVM_XEN_VCPU_ATTR_TYPE_UPCALL_VECTOR	0x8

/* ===================================================================== */
/* AMD SEV (argument of KVM_MEMORY_ENCRYPT_OP)                           */
/* ===================================================================== */

enum sev_cmd_id {
	/* initialisation */
	KVM_SEV_INIT = 0,
	KVM_SEV_ES_INIT,
	/* launch */
	KVM_SEV_LAUNCH_START,
	KVM_SEV_LAUNCH_UPDATE_DATA,
	KVM_SEV_LAUNCH_UPDATE_VMSA,
	KVM_SEV_LAUNCH_SECRET,
	KVM_SEV_LAUNCH_MEASURE,
	KVM_SEV_LAUNCH_FINISH,
	/* outgoing migration */
	KVM_SEV_SEND_START,
	KVM_SEV_SEND_UPDATE_DATA,
	KVM_SEV_SEND_UPDATE_VMSA,
	KVM_SEV_SEND_FINISH,
	/* incoming migration */
	KVM_SEV_RECEIVE_START,
	KVM_SEV_RECEIVE_UPDATE_DATA,
	KVM_SEV_RECEIVE_UPDATE_VMSA,
	KVM_SEV_RECEIVE_FINISH,
	/* status and debugging */
	KVM_SEV_GUEST_STATUS,
	KVM_SEV_DBG_DECRYPT,
	KVM_SEV_DBG_ENCRYPT,
	/* certificates */
	KVM_SEV_CERT_EXPORT,
	/* attestation */
	KVM_SEV_GET_ATTESTATION_REPORT,
	/* aborting an outgoing migration */
	KVM_SEV_SEND_CANCEL,

	KVM_SEV_NR_MAX,
};

struct kvm_sev_cmd {
	__u32 id;		/* enum sev_cmd_id */
	__u64 data;		/* pointer to the command's struct */
	__u32 error;		/* out: firmware status code */
	__u32 sev_fd;		/* open /dev/sev */
};

struct kvm_sev_launch_start {
	__u32 handle;
	__u32 policy;
	__u64 dh_uaddr;
	__u32 dh_len;
	__u64 session_uaddr;
	__u32 session_len;
};

struct kvm_sev_launch_update_data {
	__u64 uaddr;
	__u32 len;
};

struct kvm_sev_launch_secret {
	__u64 hdr_uaddr;
	__u32 hdr_len;
	__u64 guest_uaddr;
	__u32 guest_len;
	__u64 trans_uaddr;
	__u32 trans_len;
};

struct kvm_sev_launch_measure {
	__u64 uaddr;
	__u32 len;
};

struct kvm_sev_guest_status {
	__u32 handle;
	__u32 policy;
	__u32 state;
};

struct kvm_sev_dbg {
	__u64 src_uaddr;
	__u64 dst_uaddr;
	__u32 len;
};

struct kvm_sev_attestation_report {
	__u8 mnonce[16];
	__u64 uaddr;
	__u32 len;
};

struct kvm_sev_send_start {
	__u32 policy;
	__u64 pdh_cert_uaddr;
	__u32 pdh_cert_len;
	__u64 plat_certs_uaddr;
	__u32 plat_certs_len;
	__u64 amd_certs_uaddr;
	__u32 amd_certs_len;
	__u64 session_uaddr;
	__u32 session_len;
};

struct kvm_sev_send_update_data {
	__u64 hdr_uaddr;
	__u32 hdr_len;
	__u64 guest_uaddr;
	__u32 guest_len;
	__u64 trans_uaddr;
	__u32 trans_len;
};

struct kvm_sev_receive_start {
	__u32 handle;
	__u32 policy;
	__u64 pdh_uaddr;
	__u32 pdh_len;
	__u64 session_uaddr;
	__u32 session_len;
};

struct kvm_sev_receive_update_data {
	__u64 hdr_uaddr;
	__u32 hdr_len;
	__u64 guest_uaddr;
	__u32 guest_len;
	__u64 trans_uaddr;
	__u32 trans_len;
};

/* ===================================================================== */
/* Legacy PCI device assignment (removed from the kernel, ABI reserved)  */
/* ===================================================================== */

#define KVM_DEV_ASSIGN_ENABLE_IOMMU	(1 << 0)
#define KVM_DEV_ASSIGN_PCI_2_3		(1 << 1)
#define KVM_DEV_ASSIGN_MASK_INTX	(1 << 2)

struct kvm_assigned_pci_dev {
	__u32 assigned_dev_id;
	__u32 busnr;
	__u32 devfn;
	__u32 flags;
	__u32 segnr;
	union {
		__u32 reserved[11];
	};
};

#define KVM_DEV_IRQ_HOST_INTX	(1 << 0)
#define KVM_DEV_IRQ_HOST_MSI	(1 << 1)
#define KVM_DEV_IRQ_HOST_MSIX	(1 << 2)

#define KVM_DEV_IRQ_GUEST_INTX	(1 << 8)
#define KVM_DEV_IRQ_GUEST_MSI	(1 << 9)
#define KVM_DEV_IRQ_GUEST_MSIX	(1 << 10)

#define KVM_DEV_IRQ_HOST_MASK	0x00ff
#define KVM_DEV_IRQ_GUEST_MASK	0xff00

struct kvm_assigned_irq {
	__u32 assigned_dev_id;
	__u32 host_irq;		/* ignored */
	__u32 guest_irq;
	__u32 flags;
	union {
		__u32 reserved[12];
	};
};

struct kvm_assigned_msix_nr {
	__u32 assigned_dev_id;
	__u16 entry_nr;
	__u16 padding;
};

#define KVM_MAX_MSIX_PER_DEV		256
struct kvm_assigned_msix_entry {
	__u32 assigned_dev_id;
	__u32 gsi;
	__u16 entry;		/* index in the device's MSI-X table */
	__u16 padding[3];
};

/* ===================================================================== */
/* Binary statistics (KVM_GET_STATS_FD)                                  */
/* ===================================================================== */

/*
 * A stats file starts with this header.  The offsets locate, within the
 * same file, the id string, the array of num_desc descriptors (each
 * followed by a name_size byte name) and the __u64 data block.
 */
struct kvm_stats_header {
	__u32 flags;		/* always 0 */
	__u32 name_size;	/* bytes per name, terminator included */
	__u32 num_desc;
	__u32 id_offset;
	__u32 desc_offset;
	__u32 data_offset;
};

/* kvm_stats_desc.flags: bits 0-3 type, 4-7 unit, 8-11 exponent base */
#define KVM_STATS_TYPE_SHIFT		0
#define KVM_STATS_TYPE_MASK		(0xF << KVM_STATS_TYPE_SHIFT)
#define KVM_STATS_TYPE_CUMULATIVE	(0x0 << KVM_STATS_TYPE_SHIFT)
#define KVM_STATS_TYPE_INSTANT		(0x1 << KVM_STATS_TYPE_SHIFT)
#define KVM_STATS_TYPE_PEAK		(0x2 << KVM_STATS_TYPE_SHIFT)
#define KVM_STATS_TYPE_LINEAR_HIST	(0x3 << KVM_STATS_TYPE_SHIFT)
#define KVM_STATS_TYPE_LOG_HIST		(0x4 << KVM_STATS_TYPE_SHIFT)
#define KVM_STATS_TYPE_MAX		KVM_STATS_TYPE_LOG_HIST

#define KVM_STATS_UNIT_SHIFT		4
#define KVM_STATS_UNIT_MASK		(0xF << KVM_STATS_UNIT_SHIFT)
#define KVM_STATS_UNIT_NONE		(0x0 << KVM_STATS_UNIT_SHIFT)
#define KVM_STATS_UNIT_BYTES		(0x1 << KVM_STATS_UNIT_SHIFT)
#define KVM_STATS_UNIT_SECONDS		(0x2 << KVM_STATS_UNIT_SHIFT)
#define KVM_STATS_UNIT_CYCLES		(0x3 << KVM_STATS_UNIT_SHIFT)
#define KVM_STATS_UNIT_BOOLEAN		(0x4 << KVM_STATS_UNIT_SHIFT)
#define KVM_STATS_UNIT_MAX		KVM_STATS_UNIT_BOOLEAN

#define KVM_STATS_BASE_SHIFT		8
#define KVM_STATS_BASE_MASK		(0xF << KVM_STATS_BASE_SHIFT)
#define KVM_STATS_BASE_POW10		(0x0 << KVM_STATS_BASE_SHIFT)
#define KVM_STATS_BASE_POW2		(0x1 << KVM_STATS_BASE_SHIFT)
#define KVM_STATS_BASE_MAX		KVM_STATS_BASE_POW2

struct kvm_stats_desc {
	__u32 flags;
	__s16 exponent;		/* value scale is base^exponent */
	__u16 size;		/* number of __u64 values */
	__u32 offset;		/* of the values in the data block */
	__u32 bucket_size;	/* linear histograms only */
	char name[];
};

/* ===================================================================== */
/* Capabilities (KVM_CHECK_EXTENSION, KVM_ENABLE_CAP)                    */
/* ===================================================================== */

#define KVM_CAP_IRQCHIP				0
#define KVM_CAP_HLT				1
#define KVM_CAP_MMU_SHADOW_CACHE_CONTROL	2
#define KVM_CAP_USER_MEMORY			3
#define KVM_CAP_SET_TSS_ADDR			4
#define KVM_CAP_VAPIC				6
#define KVM_CAP_EXT_CPUID			7
#define KVM_CAP_CLOCKSOURCE			8
#define KVM_CAP_NR_VCPUS			9	/* recommended */
#define KVM_CAP_NR_MEMSLOTS			10
#define KVM_CAP_PIT				11
#define KVM_CAP_NOP_IO_DELAY			12
#define KVM_CAP_PV_MMU				13
#define KVM_CAP_MP_STATE			14
#define KVM_CAP_COALESCED_MMIO			15
#define KVM_CAP_SYNC_MMU			16
#define KVM_CAP_IOMMU				18
#define KVM_CAP_DESTROY_MEMORY_REGION_WORKS	21
#define KVM_CAP_USER_NMI			22
#define KVM_CAP_SET_GUEST_DEBUG			23
#define KVM_CAP_REINJECT_CONTROL		24
#define KVM_CAP_IRQ_ROUTING			25
#define KVM_CAP_IRQ_INJECT_STATUS		26
#define KVM_CAP_ASSIGN_DEV_IRQ			29
#define KVM_CAP_JOIN_MEMORY_REGIONS_WORKS	30
#define KVM_CAP_MCE				31
#define KVM_CAP_IRQFD				32
#define KVM_CAP_PIT2				33
#define KVM_CAP_SET_BOOT_CPU_ID			34
#define KVM_CAP_PIT_STATE2			35
#define KVM_CAP_IOEVENTFD			36
#define KVM_CAP_SET_IDENTITY_MAP_ADDR		37
#define KVM_CAP_XEN_HVM				38
#define KVM_CAP_ADJUST_CLOCK			39
#define KVM_CAP_INTERNAL_ERROR_DATA		40
#define KVM_CAP_VCPU_EVENTS			41
#define KVM_CAP_S390_PSW			42
#define KVM_CAP_PPC_SEGSTATE			43
#define KVM_CAP_HYPERV				44
#define KVM_CAP_HYPERV_VAPIC			45
#define KVM_CAP_HYPERV_SPIN			46
#define KVM_CAP_PCI_SEGMENT			47
#define KVM_CAP_PPC_PAIRED_SINGLES		48
#define KVM_CAP_INTR_SHADOW			49
#define KVM_CAP_DEBUGREGS			50
#define KVM_CAP_X86_ROBUST_SINGLESTEP		51
#define KVM_CAP_PPC_OSI				52
#define KVM_CAP_PPC_UNSET_IRQ			53
#define KVM_CAP_ENABLE_CAP			54
#define KVM_CAP_XSAVE				55
#define KVM_CAP_XCRS				56
#define KVM_CAP_PPC_GET_PVINFO			57
#define KVM_CAP_PPC_IRQ_LEVEL			58
#define KVM_CAP_ASYNC_PF			59
#define KVM_CAP_TSC_CONTROL			60
#define KVM_CAP_GET_TSC_KHZ			61
#define KVM_CAP_PPC_BOOKE_SREGS			62
#define KVM_CAP_SPAPR_TCE			63
#define KVM_CAP_PPC_SMT				64
#define KVM_CAP_PPC_RMA				65
#define KVM_CAP_MAX_VCPUS			66	/* hard limit */
#define KVM_CAP_PPC_HIOR			67
#define KVM_CAP_PPC_PAPR			68
#define KVM_CAP_SW_TLB				69
#define KVM_CAP_ONE_REG				70
#define KVM_CAP_S390_GMAP			71
#define KVM_CAP_TSC_DEADLINE_TIMER		72
#define KVM_CAP_S390_UCONTROL			73
#define KVM_CAP_SYNC_REGS			74
#define KVM_CAP_PCI_2_3				75
#define KVM_CAP_KVMCLOCK_CTRL			76
#define KVM_CAP_SIGNAL_MSI			77
#define KVM_CAP_PPC_GET_SMMU_INFO		78
#define KVM_CAP_S390_COW			79
#define KVM_CAP_PPC_ALLOC_HTAB			80
#define KVM_CAP_READONLY_MEM			81
#define KVM_CAP_IRQFD_RESAMPLE			82
#define KVM_CAP_PPC_BOOKE_WATCHDOG		83
#define KVM_CAP_PPC_HTAB_FD			84
#define KVM_CAP_S390_CSS_SUPPORT		85
#define KVM_CAP_PPC_EPR				86
#define KVM_CAP_ARM_PSCI			87
#define KVM_CAP_ARM_SET_DEVICE_ADDR		88
#define KVM_CAP_DEVICE_CTRL			89
#define KVM_CAP_IRQ_MPIC			90
#define KVM_CAP_PPC_RTAS			91
#define KVM_CAP_IRQ_XICS			92
#define KVM_CAP_ARM_EL1_32BIT			93
#define KVM_CAP_SPAPR_MULTITCE			94
#define KVM_CAP_EXT_EMUL_CPUID			95
#define KVM_CAP_HYPERV_TIME			96
#define KVM_CAP_IOAPIC_POLARITY_IGNORED		97
#define KVM_CAP_ENABLE_CAP_VM			98
#define KVM_CAP_S390_IRQCHIP			99
#define KVM_CAP_IOEVENTFD_NO_LENGTH		100
#define KVM_CAP_VM_ATTRIBUTES			101
#define KVM_CAP_ARM_PSCI_0_2			102
#define KVM_CAP_PPC_FIXUP_HCALL			103
#define KVM_CAP_PPC_ENABLE_HCALL		104
#define KVM_CAP_CHECK_EXTENSION_VM		105
#define KVM_CAP_S390_USER_SIGP			106
#define KVM_CAP_S390_VECTOR_REGISTERS		107
#define KVM_CAP_S390_MEM_OP			108
#define KVM_CAP_S390_USER_STSI			109
#define KVM_CAP_S390_SKEYS			110
#define KVM_CAP_MIPS_FPU			111
#define KVM_CAP_MIPS_MSA			112
#define KVM_CAP_S390_INJECT_IRQ			113
#define KVM_CAP_S390_IRQ_STATE			114
#define KVM_CAP_PPC_HWRNG			115
#define KVM_CAP_DISABLE_QUIRKS			116
#define KVM_CAP_X86_SMM				117
#define KVM_CAP_MULTI_ADDRESS_SPACE		118
#define KVM_CAP_GUEST_DEBUG_HW_BPS		119
#define KVM_CAP_GUEST_DEBUG_HW_WPS		120
#define KVM_CAP_SPLIT_IRQCHIP			121
#define KVM_CAP_IOEVENTFD_ANY_LENGTH		122
#define KVM_CAP_HYPERV_SYNIC			123
#define KVM_CAP_S390_RI				124
#define KVM_CAP_SPAPR_TCE_64			125
#define KVM_CAP_ARM_PMU_V3			126
#define KVM_CAP_VCPU_ATTRIBUTES			127
#define KVM_CAP_MAX_VCPU_ID			128
#define KVM_CAP_X2APIC_API			129
#define KVM_CAP_S390_USER_INSTR0		130
#define KVM_CAP_MSI_DEVID			131
#define KVM_CAP_PPC_HTM				132
#define KVM_CAP_SPAPR_RESIZE_HPT		133
#define KVM_CAP_PPC_MMU_RADIX			134
#define KVM_CAP_PPC_MMU_HASH_V3			135
#define KVM_CAP_IMMEDIATE_EXIT			136
#define KVM_CAP_MIPS_VZ				137
#define KVM_CAP_MIPS_TE				138
#define KVM_CAP_MIPS_64BIT			139
#define KVM_CAP_S390_GS				140
#define KVM_CAP_S390_AIS			141
#define KVM_CAP_SPAPR_TCE_VFIO			142
#define KVM_CAP_X86_DISABLE_EXITS		143
#define KVM_CAP_ARM_USER_IRQ			144
#define KVM_CAP_S390_CMMA_MIGRATION		145
#define KVM_CAP_PPC_FWNMI			146
#define KVM_CAP_PPC_SMT_POSSIBLE		147
#define KVM_CAP_HYPERV_SYNIC2			148
#define KVM_CAP_HYPERV_VP_INDEX			149
#define KVM_CAP_S390_AIS_MIGRATION		150
#define KVM_CAP_PPC_GET_CPU_CHAR		151
#define KVM_CAP_S390_BPB			152
#define KVM_CAP_GET_MSR_FEATURES		153
#define KVM_CAP_HYPERV_EVENTFD			154
#define KVM_CAP_HYPERV_TLBFLUSH			155
#define KVM_CAP_S390_HPAGE_1M			156
#define KVM_CAP_NESTED_STATE			157
#define KVM_CAP_ARM_INJECT_SERROR_ESR		158
#define KVM_CAP_MSR_PLATFORM_INFO		159
#define KVM_CAP_PPC_NESTED_HV			160
#define KVM_CAP_HYPERV_SEND_IPI			161
#define KVM_CAP_COALESCED_PIO			162
#define KVM_CAP_HYPERV_ENLIGHTENED_VMCS		163
#define KVM_CAP_EXCEPTION_PAYLOAD		164
#define KVM_CAP_ARM_VM_IPA_SIZE			165
#define KVM_CAP_MANUAL_DIRTY_LOG_PROTECT	166	/* superseded by ..2 */
#define KVM_CAP_HYPERV_CPUID			167
#define KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2	168
#define KVM_CAP_PPC_IRQ_XIVE			169
#define KVM_CAP_ARM_SVE				170
#define KVM_CAP_ARM_PTRAUTH_ADDRESS		171
#define KVM_CAP_ARM_PTRAUTH_GENERIC		172
#define KVM_CAP_PMU_EVENT_FILTER		173
#define KVM_CAP_ARM_IRQ_LINE_LAYOUT_2		174
#define KVM_CAP_HYPERV_DIRECT_TLBFLUSH		175
#define KVM_CAP_PPC_GUEST_DEBUG_SSTEP		176
#define KVM_CAP_ARM_NISV_TO_USER		177
#define KVM_CAP_ARM_INJECT_EXT_DABT		178
#define KVM_CAP_S390_VCPU_RESETS		179
#define KVM_CAP_S390_PROTECTED			180
#define KVM_CAP_PPC_SECURE_GUEST		181
#define KVM_CAP_HALT_POLL			182
#define KVM_CAP_ASYNC_PF_INT			183
#define KVM_CAP_LAST_CPU			184
#define KVM_CAP_SMALLER_MAXPHYADDR		185
#define KVM_CAP_S390_DIAG318			186
#define KVM_CAP_STEAL_TIME			187
#define KVM_CAP_X86_USER_SPACE_MSR		188
#define KVM_CAP_X86_MSR_FILTER			189
#define KVM_CAP_ENFORCE_PV_FEATURE_CPUID	190
#define KVM_CAP_SYS_HYPERV_CPUID		191
#define KVM_CAP_DIRTY_LOG_RING			192
#define KVM_CAP_X86_BUS_LOCK_EXIT		193
#define KVM_CAP_PPC_DAWR1			194
#define KVM_CAP_SET_GUEST_DEBUG2		195
#define KVM_CAP_SGX_ATTRIBUTE			196
#define KVM_CAP_VM_COPY_ENC_CONTEXT_FROM	197
#define KVM_CAP_PTP_KVM				198
#define KVM_CAP_HYPERV_ENFORCE_CPUID		199
#define KVM_CAP_SREGS2				200
#define KVM_CAP_EXIT_HYPERCALL			201
#define KVM_CAP_PPC_RPT_INVALIDATE		202
#define KVM_CAP_BINARY_STATS_FD			203
#define KVM_CAP_EXIT_ON_EMULATION_FAILURE	204
#define KVM_CAP_ARM_MTE				205
#define KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM	206
#define KVM_CAP_VM_GPA_BITS			207
#define KVM_CAP_XSAVE2				208
#define KVM_CAP_SYS_ATTRIBUTES			209
#define KVM_CAP_PPC_AIL_MODE_3			210
#define KVM_CAP_S390_MEM_OP_EXTENSION		211
#define KVM_CAP_PMU_CAPABILITY			212
#define KVM_CAP_DISABLE_QUIRKS2			213
#define KVM_CAP_VM_TSC_CONTROL			214
#define KVM_CAP_SYSTEM_EVENT_DATA		215
#define KVM_CAP_ARM_SYSTEM_SUSPEND		216
#define KVM_CAP_S390_PROTECTED_DUMP		217
#define KVM_CAP_X86_TRIPLE_FAULT_EVENT		218
#define KVM_CAP_X86_NOTIFY_VMEXIT		219
#define KVM_CAP_VM_DISABLE_NX_HUGE_PAGES	220
#define KVM_CAP_S390_ZPCI_OP			221
#define KVM_CAP_S390_CPU_TOPOLOGY		222
#define KVM_CAP_DIRTY_LOG_RING_ACQ_REL		223

/* ===================================================================== */
/* ioctls on /dev/kvm                                                    */
/* ===================================================================== */

#define KVM_GET_API_VERSION		_IO(KVMIO,   0x00)
#define KVM_CREATE_VM			_IO(KVMIO,   0x01)	/* -> VM fd */
#define KVM_GET_MSR_INDEX_LIST		_IOWR(KVMIO, 0x02, struct kvm_msr_list)
/* returns 0 if unsupported, otherwise a positive (often informative) value */
#define KVM_CHECK_EXTENSION		_IO(KVMIO,   0x03)
/* size of the vCPU fd mapping (kvm_run plus the extra pages) */
#define KVM_GET_VCPU_MMAP_SIZE		_IO(KVMIO,   0x04)
#define KVM_GET_SUPPORTED_CPUID		_IOWR(KVMIO, 0x05, struct kvm_cpuid2)
#define KVM_TRACE_ENABLE		__KVM_DEPRECATED_MAIN_W_0x06
#define KVM_TRACE_PAUSE			__KVM_DEPRECATED_MAIN_0x07
#define KVM_TRACE_DISABLE		__KVM_DEPRECATED_MAIN_0x08
#define KVM_GET_EMULATED_CPUID		_IOWR(KVMIO, 0x09, struct kvm_cpuid2)
#define KVM_GET_MSR_FEATURE_INDEX_LIST	_IOWR(KVMIO, 0x0a, struct kvm_msr_list)

/* ===================================================================== */
/* ioctls on VM file descriptors                                         */
/* ===================================================================== */

#define KVM_SET_MEMORY_REGION		_IOW(KVMIO,  0x40, \
					     struct kvm_memory_region)
#define KVM_CREATE_VCPU			_IO(KVMIO,   0x41)	/* arg: id */
#define KVM_GET_DIRTY_LOG		_IOW(KVMIO,  0x42, struct kvm_dirty_log)
#define KVM_SET_MEMORY_ALIAS		_IOW(KVMIO,  0x43, \
					     struct kvm_memory_alias)
#define KVM_SET_NR_MMU_PAGES		_IO(KVMIO,   0x44)
#define KVM_GET_NR_MMU_PAGES		_IO(KVMIO,   0x45)
#define KVM_SET_USER_MEMORY_REGION	_IOW(KVMIO,  0x46, \
					     struct kvm_userspace_memory_region)
#define KVM_SET_TSS_ADDR		_IO(KVMIO,   0x47)
#define KVM_SET_IDENTITY_MAP_ADDR	_IOW(KVMIO,  0x48, __u64)

/* interrupt controllers and timers */
#define KVM_CREATE_IRQCHIP		_IO(KVMIO,   0x60)
#define KVM_IRQ_LINE			_IOW(KVMIO,  0x61, struct kvm_irq_level)
#define KVM_GET_IRQCHIP			_IOWR(KVMIO, 0x62, struct kvm_irqchip)
/* the direction bits of the next two are historical accidents */
#define KVM_SET_IRQCHIP			_IOR(KVMIO,  0x63, struct kvm_irqchip)
#define KVM_CREATE_PIT			_IO(KVMIO,   0x64)
#define KVM_GET_PIT			_IOWR(KVMIO, 0x65, struct kvm_pit_state)
#define KVM_SET_PIT			_IOR(KVMIO,  0x66, struct kvm_pit_state)
#define KVM_IRQ_LINE_STATUS		_IOWR(KVMIO, 0x67, struct kvm_irq_level)
/* same number as above, told apart by direction and size */
#define KVM_REGISTER_COALESCED_MMIO \
		_IOW(KVMIO,  0x67, struct kvm_coalesced_mmio_zone)
#define KVM_UNREGISTER_COALESCED_MMIO \
		_IOW(KVMIO,  0x68, struct kvm_coalesced_mmio_zone)
#define KVM_ASSIGN_PCI_DEVICE		_IOR(KVMIO,  0x69, \
					     struct kvm_assigned_pci_dev)
#define KVM_SET_GSI_ROUTING		_IOW(KVMIO,  0x6a, \
					     struct kvm_irq_routing)
#define KVM_ASSIGN_IRQ			__KVM_DEPRECATED_VM_R_0x70
#define KVM_ASSIGN_DEV_IRQ		_IOW(KVMIO,  0x70, \
					     struct kvm_assigned_irq)
#define KVM_REINJECT_CONTROL		_IO(KVMIO,   0x71)
#define KVM_DEASSIGN_PCI_DEVICE		_IOW(KVMIO,  0x72, \
					     struct kvm_assigned_pci_dev)
#define KVM_ASSIGN_SET_MSIX_NR		_IOW(KVMIO,  0x73, \
					     struct kvm_assigned_msix_nr)
#define KVM_ASSIGN_SET_MSIX_ENTRY	_IOW(KVMIO,  0x74, \
					     struct kvm_assigned_msix_entry)
#define KVM_DEASSIGN_DEV_IRQ		_IOW(KVMIO,  0x75, \
					     struct kvm_assigned_irq)
#define KVM_IRQFD			_IOW(KVMIO,  0x76, struct kvm_irqfd)
#define KVM_CREATE_PIT2			_IOW(KVMIO,  0x77, \
					     struct kvm_pit_config)
#define KVM_SET_BOOT_CPU_ID		_IO(KVMIO,   0x78)
#define KVM_IOEVENTFD			_IOW(KVMIO,  0x79, struct kvm_ioeventfd)
#define KVM_XEN_HVM_CONFIG		_IOW(KVMIO,  0x7a, \
					     struct kvm_xen_hvm_config)
#define KVM_SET_CLOCK			_IOW(KVMIO,  0x7b, \
					     struct kvm_clock_data)
#define KVM_GET_CLOCK			_IOR(KVMIO,  0x7c, \
					     struct kvm_clock_data)
#define KVM_GET_PIT2			_IOR(KVMIO,  0x9f, \
					     struct kvm_pit_state2)
#define KVM_SET_PIT2			_IOW(KVMIO,  0xa0, \
					     struct kvm_pit_state2)
/* TSC frequency: per vCPU, or the VM default with KVM_CAP_VM_TSC_CONTROL */
#define KVM_SET_TSC_KHZ			_IO(KVMIO,   0xa2)
#define KVM_GET_TSC_KHZ			_IO(KVMIO,   0xa3)
#define KVM_ASSIGN_SET_INTX_MASK	_IOW(KVMIO,  0xa4, \
					     struct kvm_assigned_pci_dev)
#define KVM_SIGNAL_MSI			_IOW(KVMIO,  0xa5, struct kvm_msi)
#define KVM_SET_PMU_EVENT_FILTER	_IOW(KVMIO,  0xb2, \
					     struct kvm_pmu_event_filter)

/* device control: KVM_CREATE_DEVICE on the VM fd, the rest on any fd */
#define KVM_CREATE_DEVICE		_IOWR(KVMIO, 0xe0, \
					      struct kvm_create_device)
#define KVM_SET_DEVICE_ATTR		_IOW(KVMIO,  0xe1, \
					     struct kvm_device_attr)
#define KVM_GET_DEVICE_ATTR		_IOW(KVMIO,  0xe2, \
					     struct kvm_device_attr)
#define KVM_HAS_DEVICE_ATTR		_IOW(KVMIO,  0xe3, \
					     struct kvm_device_attr)

/* ===================================================================== */
/* ioctls on vCPU file descriptors                                       */
/* ===================================================================== */

#define KVM_RUN				_IO(KVMIO,   0x80)
#define KVM_GET_REGS			_IOR(KVMIO,  0x81, struct kvm_regs)
#define KVM_SET_REGS			_IOW(KVMIO,  0x82, struct kvm_regs)
#define KVM_GET_SREGS			_IOR(KVMIO,  0x83, struct kvm_sregs)
#define KVM_SET_SREGS			_IOW(KVMIO,  0x84, struct kvm_sregs)
#define KVM_TRANSLATE			_IOWR(KVMIO, 0x85, \
					      struct kvm_translation)
#define KVM_INTERRUPT			_IOW(KVMIO,  0x86, struct kvm_interrupt)
#define KVM_DEBUG_GUEST			__KVM_DEPRECATED_VCPU_W_0x87
#define KVM_GET_MSRS			_IOWR(KVMIO, 0x88, struct kvm_msrs)
#define KVM_SET_MSRS			_IOW(KVMIO,  0x89, struct kvm_msrs)
#define KVM_SET_CPUID			_IOW(KVMIO,  0x8a, struct kvm_cpuid)
#define KVM_SET_SIGNAL_MASK		_IOW(KVMIO,  0x8b, \
					     struct kvm_signal_mask)
#define KVM_GET_FPU			_IOR(KVMIO,  0x8c, struct kvm_fpu)
#define KVM_SET_FPU			_IOW(KVMIO,  0x8d, struct kvm_fpu)
#define KVM_GET_LAPIC			_IOR(KVMIO,  0x8e, \
					     struct kvm_lapic_state)
#define KVM_SET_LAPIC			_IOW(KVMIO,  0x8f, \
					     struct kvm_lapic_state)
#define KVM_SET_CPUID2			_IOW(KVMIO,  0x90, struct kvm_cpuid2)
#define KVM_GET_CPUID2			_IOWR(KVMIO, 0x91, struct kvm_cpuid2)
#define KVM_TPR_ACCESS_REPORTING	_IOWR(KVMIO, 0x92, \
					      struct kvm_tpr_access_ctl)
#define KVM_SET_VAPIC_ADDR		_IOW(KVMIO,  0x93, \
					     struct kvm_vapic_addr)
#define KVM_GET_MP_STATE		_IOR(KVMIO,  0x98, struct kvm_mp_state)
#define KVM_SET_MP_STATE		_IOW(KVMIO,  0x99, struct kvm_mp_state)
#define KVM_NMI				_IO(KVMIO,   0x9a)
#define KVM_SET_GUEST_DEBUG		_IOW(KVMIO,  0x9b, \
					     struct kvm_guest_debug)
#define KVM_X86_SETUP_MCE		_IOW(KVMIO,  0x9c, __u64)
#define KVM_X86_GET_MCE_CAP_SUPPORTED	_IOR(KVMIO,  0x9d, __u64)
#define KVM_X86_SET_MCE			_IOW(KVMIO,  0x9e, struct kvm_x86_mce)
/* 0x9f-0xa7 are also used by VM ioctls, with different structures */
#define KVM_GET_VCPU_EVENTS		_IOR(KVMIO,  0x9f, \
					     struct kvm_vcpu_events)
#define KVM_SET_VCPU_EVENTS		_IOW(KVMIO,  0xa0, \
					     struct kvm_vcpu_events)
#define KVM_GET_DEBUGREGS		_IOR(KVMIO,  0xa1, struct kvm_debugregs)
#define KVM_SET_DEBUGREGS		_IOW(KVMIO,  0xa2, struct kvm_debugregs)
/* on vCPU fds, and on VM fds with KVM_CAP_ENABLE_CAP_VM */
#define KVM_ENABLE_CAP			_IOW(KVMIO,  0xa3, \
					     struct kvm_enable_cap)
#define KVM_GET_XSAVE			_IOR(KVMIO,  0xa4, struct kvm_xsave)
#define KVM_SET_XSAVE			_IOW(KVMIO,  0xa5, struct kvm_xsave)
#define KVM_GET_XCRS			_IOR(KVMIO,  0xa6, struct kvm_xcrs)
#define KVM_SET_XCRS			_IOW(KVMIO,  0xa7, struct kvm_xcrs)
#define KVM_GET_ONE_REG			_IOW(KVMIO,  0xab, struct kvm_one_reg)
#define KVM_SET_ONE_REG			_IOW(KVMIO,  0xac, struct kvm_one_reg)
/* tell the guest it was paused, to avoid soft-lockup reports */
#define KVM_KVMCLOCK_CTRL		_IO(KVMIO,   0xad)
#define KVM_GET_REG_LIST		_IOWR(KVMIO, 0xb0, struct kvm_reg_list)
#define KVM_SMI				_IO(KVMIO,   0xb7)

/* memory encryption, VM fd */
#define KVM_MEMORY_ENCRYPT_OP		_IOWR(KVMIO, 0xba, unsigned long)
#define KVM_MEMORY_ENCRYPT_REG_REGION	_IOR(KVMIO,  0xbb, \
					     struct kvm_enc_region)
#define KVM_MEMORY_ENCRYPT_UNREG_REGION	_IOR(KVMIO,  0xbc, \
					     struct kvm_enc_region)

#define KVM_HYPERV_EVENTFD		_IOW(KVMIO,  0xbd, \
					     struct kvm_hyperv_eventfd)
#define KVM_GET_NESTED_STATE		_IOWR(KVMIO, 0xbe, \
					      struct kvm_nested_state)
#define KVM_SET_NESTED_STATE		_IOW(KVMIO,  0xbf, \
					     struct kvm_nested_state)
#define KVM_CLEAR_DIRTY_LOG		_IOWR(KVMIO, 0xc0, \
					      struct kvm_clear_dirty_log)
/* vCPU fd with KVM_CAP_HYPERV_CPUID, system fd with ..._SYS_HYPERV_CPUID */
#define KVM_GET_SUPPORTED_HV_CPUID	_IOWR(KVMIO, 0xc1, struct kvm_cpuid2)
#define KVM_X86_SET_MSR_FILTER		_IOW(KVMIO,  0xc6, \
					     struct kvm_msr_filter)
#define KVM_RESET_DIRTY_RINGS		_IO(KVMIO,   0xc7)

/* Xen emulation */
#define KVM_XEN_HVM_GET_ATTR		_IOWR(KVMIO, 0xc8, \
					      struct kvm_xen_hvm_attr)
#define KVM_XEN_HVM_SET_ATTR		_IOW(KVMIO,  0xc9, \
					     struct kvm_xen_hvm_attr)
#define KVM_XEN_VCPU_GET_ATTR		_IOWR(KVMIO, 0xca, \
					      struct kvm_xen_vcpu_attr)
#define KVM_XEN_VCPU_SET_ATTR		_IOW(KVMIO,  0xcb, \
					     struct kvm_xen_vcpu_attr)
#define KVM_XEN_HVM_EVTCHN_SEND		_IOW(KVMIO,  0xd0, \
					     struct kvm_irq_routing_xen_evtchn)

#define KVM_GET_SREGS2			_IOR(KVMIO,  0xcc, struct kvm_sregs2)
#define KVM_SET_SREGS2			_IOW(KVMIO,  0xcd, struct kvm_sregs2)
/* VM or vCPU fd; returns a new read-only stats fd */
#define KVM_GET_STATS_FD		_IO(KVMIO,   0xce)
#define KVM_GET_XSAVE2			_IOR(KVMIO,  0xcf, struct kvm_xsave)

#endif /* __LINUX_KVM_H */
