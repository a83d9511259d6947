/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Intel VT-x backend: per-CPU and per-vCPU state shared by the vmx/ files,
 * and the VMX instructions as C helpers.
 *
 * Every VMX instruction carries an exception fixup: after an emergency
 * disable (reboot, crash) a vCPU thread may still touch its VMCS, and a
 * #UD there must not take the host down.  VM-instruction failures
 * (VMfailInvalid: CF=1, VMfailValid: ZF=1) are reported to the caller.
 */
#ifndef ARCH_X86_KVM_VMX_VMX_H
#define ARCH_X86_KVM_VMX_VMX_H

#include <linux/percpu.h>
#include <linux/list.h>
#include <asm/asm.h>
#include <asm/vmx.h>

#include "x86.h"

/* Exit reason bit 31: the VM entry failed while loading guest state. */
#define VMX_EXIT_REASON_FAILED_ENTRY	BIT(31)
#define VMX_EXIT_REASON_BASIC(r)	((r) & 0xffff)

/* Pending debug exceptions: BS, a single-step trap is pending. */
#define VMX_PENDING_DBG_BS		BIT(14)

/* EPT violation qualification: NMI unblocking due to IRET. */
#define VMX_EPT_QUAL_NMI_UNBLOCK	BIT(12)

/* What the capability MSRs allow; filled once at module load. */
struct vmx_caps {
	u64 basic;
	u32 revision_id;
	bool insouts_info;		/* BASIC bit 54 */
	u32 pin, proc, proc2, exit, entry;	/* the chosen control words */
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	u64 ept_vpid;
	bool virtual_nmis;
	bool nmi_window;
	bool pat;			/* load/save IA32_PAT on entry/exit */
	bool save_efer;
	/* Software events may be injected with instruction length 0. */
	bool zero_len_soft;
	/*
	 * IA32_DEBUGCTL exists.  Bochs has no such MSR: reading it on every
	 * vCPU load would fault (and log) each time.
	 */
	bool debugctl;
	u64 misc;			/* IA32_VMX_MISC */
	/* VMX-preemption timer ticks for the IF=0 watchdog, or 0. */
	u32 watchdog_ticks;
	int invept_type;		/* single-context, or global */
	int invvpid_type;		/* single-context, or all-context */
	int ept_levels;
	/* CR0/CR4 bits the host owns: guest writes to them exit. */
	u64 cr0_host_bits, cr4_host_bits;
	/* Bits forced to one in the real CR0/CR4 while the guest runs. */
	u64 cr0_force, cr4_force;
};

extern struct vmx_caps vmx_caps;

/* Per physical CPU. */
struct vmx_cpu {
	bool enabled;
	void *vmxon_region;
	u64 vmxon_pa;
	u64 current_vmcs;	/* physical address of the current VMCS, or 0 */
	/*
	 * VMCSs active on this CPU: they must be VMCLEARed before VMXOFF.
	 * Changed only on this CPU with interrupts off; @list_busy tells an
	 * NMI-time disable that the list is being edited and cannot be
	 * walked.
	 */
	struct list_head loaded;
	int list_busy;
};

DECLARE_PER_CPU(struct vmx_cpu, vmx_cpu_data);

struct vcpu_vmx {
	struct kvm_vcpu *vcpu;
	void *vmcs;
	u64 vmcs_pa;
	u16 vpid;

	/* The CPU this VMCS is active on, or -1 when it is clear. */
	int loaded_cpu;
	bool launched;		/* VMRESUME, not VMLAUNCH, enters next */
	struct list_head loaded_link;
	int host_cpu;		/* CPU whose per-CPU host fields are written */
	int last_run_cpu;	/* CPU of the last guest entry */
	bool need_flush;	/* drop cached translations before entry */

	/* Cached control words. */
	u32 proc_ctl;
	u32 entry_ctl;
	u32 timer_value;	/* last VMX_PREEMPTION_TIMER_VALUE written */
	bool intr_info_set;	/* VM_ENTRY_INTR_INFO_FIELD holds an event */
	bool irq_stashed;	/* an interrupt waits for the guest's window */
	u8 irq_stash;
	/*
	 * The event in VM_ENTRY_INTR_INFO_FIELD is an external interrupt
	 * dressed as a zero-length INT n (see vmx_prepare_events()), and
	 * whether the last entry carried one.
	 */
	bool irq_as_soft;
	bool entered_irq_as_soft;

	/* Last exit. */
	bool entry_failed;	/* VMLAUNCH/VMRESUME itself failed */
	u32 insn_error;
	u32 exit_reason;
	u32 exit_intr_info;

	/* Guest state the VMCS does not hold, or holds differently. */
	u64 cr0;		/* guest's view; host-owned bits live here */
	u64 cr4;
	u64 cr2;
	u64 efer;
	u64 dr6;
	u8 tpr;
	u64 pat;		/* used when the PAT controls are missing */
	u64 kernel_gs_base, star, lstar, cstar, sfmask;

	/* Host state written into the VMCS, to skip unchanged writes. */
	unsigned long host_cr3, host_cr4, host_fs_base;
	/* Host IA32_DEBUGCTL, which a VM exit clears; sampled at load. */
	unsigned long host_debugctl;
};

static inline struct vcpu_vmx *to_vmx(struct kvm_vcpu *vcpu)
{
	return vcpu->arch.vendor;
}

/* ---- VMX instructions ---- */

void vmx_vmwrite_error(unsigned long field, u64 val);

static __always_inline u64 vmcs_read(unsigned long field)
{
	u64 val;

	/* "ja": CF=0 and ZF=0, the read succeeded; otherwise read 0. */
	asm volatile("1: vmread %[field], %[val]\n\t"
		     "ja 3f\n"
		     "2:\n\t"
		     "xor %k[val], %k[val]\n"
		     "3:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     : [val] "=r"(val)
		     : [field] "r"(field)
		     : "cc");
	return val;
}

static __always_inline u32 vmcs_read32(unsigned long field)
{
	return vmcs_read(field);
}

static __always_inline void vmcs_write(unsigned long field, u64 val)
{
	u8 fail;

	asm volatile("1: vmwrite %[val], %[field]\n\t"
		     "setbe %[fail]\n\t"
		     "jmp 3f\n"
		     "2:\n\t"
		     "movb $1, %[fail]\n"
		     "3:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     : [fail] "=q"(fail)
		     : [val] "rm"(val), [field] "r"(field)
		     : "cc");
	if (unlikely(fail))
		vmx_vmwrite_error(field, val);
}

static inline void vmcs_set_bits(unsigned long field, u32 bits)
{
	vmcs_write(field, vmcs_read32(field) | bits);
}

static inline void vmcs_clear_bits(unsigned long field, u32 bits)
{
	vmcs_write(field, vmcs_read32(field) & ~bits);
}

/*
 * VMXON, VMCLEAR, VMPTRLD (operand: a physical address in memory): 0 on
 * success, -EIO on VMfail or a fault.
 */
#define VMX_PA_INSN(name)						\
static __always_inline int name(u64 pa)					\
{									\
	u8 fail;							\
									\
	asm volatile("1: " #name " %[pa]\n\t"				\
		     "setbe %[fail]\n\t"				\
		     "jmp 3f\n"						\
		     "2:\n\t"						\
		     "movb $1, %[fail]\n"				\
		     "3:\n\t"						\
		     _ASM_EXTABLE(1b, 2b)				\
		     : [fail] "=q"(fail)				\
		     : [pa] "m"(pa)					\
		     : "cc", "memory");					\
	return fail ? -EIO : 0;						\
}

VMX_PA_INSN(vmxon)
VMX_PA_INSN(vmclear)
VMX_PA_INSN(vmptrld)

/* VMXOFF; a fault (VMX already off) is ignored. */
static __always_inline void vmxoff(void)
{
	asm volatile("1: vmxoff\n"
		     "2:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     ::: "cc", "memory");
}

/* INVEPT, INVVPID: 0 on success, -EIO on VMfail or a fault. */
static __always_inline int invept(unsigned long type, u64 eptp)
{
	struct { u64 eptp, zero; } desc = { eptp, 0 };
	u8 fail;

	asm volatile("1: invept %[desc], %[type]\n\t"
		     "setbe %[fail]\n\t"
		     "jmp 3f\n"
		     "2:\n\t"
		     "movb $1, %[fail]\n"
		     "3:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     : [fail] "=q"(fail)
		     : [desc] "m"(desc), [type] "r"(type) : "cc", "memory");
	return fail ? -EIO : 0;
}

static __always_inline int invvpid(unsigned long type, u16 vpid)
{
	struct { u64 vpid, gva; } desc = { vpid, 0 };
	u8 fail;

	asm volatile("1: invvpid %[desc], %[type]\n\t"
		     "setbe %[fail]\n\t"
		     "jmp 3f\n"
		     "2:\n\t"
		     "movb $1, %[fail]\n"
		     "3:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     : [fail] "=q"(fail)
		     : [desc] "m"(desc), [type] "r"(type) : "cc", "memory");
	return fail ? -EIO : 0;
}

/* hw.c */
int vmx_check_hardware(void);
int vmx_hardware_enable(void);
void vmx_hardware_disable(void);
void vmx_free_percpu(void);
void vmx_vcpu_load(struct kvm_vcpu *vcpu, int cpu);
void vmx_vcpu_clear(struct vcpu_vmx *vmx);
int vmx_alloc_vpid(void);
void vmx_free_vpid(u16 vpid);
void vmx_flush_guest(struct vcpu_vmx *vmx);
void vmx_flush_vpid(struct vcpu_vmx *vmx);
u64 vmx_eptp(struct kvm *kvm);

/* vmcs.c */
void vmx_vcpu_reset(struct kvm_vcpu *vcpu);
void vmx_write_host_cpu_state(struct vcpu_vmx *vmx, int cpu);
void vmx_get_segment(struct kvm_vcpu *vcpu, struct kvm_segment *s, int seg);
void vmx_set_segment(struct kvm_vcpu *vcpu, const struct kvm_segment *s,
		     int seg);
void vmx_get_dtable(struct kvm_vcpu *vcpu, struct kvm_dtable *dt, bool idt);
void vmx_set_dtable(struct kvm_vcpu *vcpu, const struct kvm_dtable *dt,
		    bool idt);
u64 vmx_get_cr(struct kvm_vcpu *vcpu, int cr);
void vmx_set_cr(struct kvm_vcpu *vcpu, int cr, u64 val);
u64 vmx_get_efer(struct kvm_vcpu *vcpu);
void vmx_set_efer(struct kvm_vcpu *vcpu, u64 efer);
int vmx_get_cpl(struct kvm_vcpu *vcpu);
bool vmx_long_mode_code(struct kvm_vcpu *vcpu);
void vmx_write_cr0(struct vcpu_vmx *vmx, u64 val);
void vmx_write_cr4(struct vcpu_vmx *vmx, u64 val);
void vmx_write_efer(struct vcpu_vmx *vmx, u64 efer);
bool vmx_pae_paging(struct kvm_vcpu *vcpu);
int vmx_read_pdptrs(struct kvm_vcpu *vcpu, u64 cr3, u64 *pdpte);
void vmx_write_pdptrs(const u64 *pdpte);
int vmx_get_msr(struct kvm_vcpu *vcpu, u32 index, u64 *data);
int vmx_set_msr(struct kvm_vcpu *vcpu, u32 index, u64 data);
void vmx_set_tsc_offset(struct kvm_vcpu *vcpu, u64 offset);
u64 vmx_get_dr(struct kvm_vcpu *vcpu, int dr);
void vmx_set_dr(struct kvm_vcpu *vcpu, int dr, u64 val);
void vmx_dump_guest_state(struct vcpu_vmx *vmx);

/* exit.c */
int vmx_handle_exit(struct kvm_vcpu *vcpu);
void vmx_inject_exception(struct kvm_vcpu *vcpu, u8 vector, bool has_error,
			  u32 error);

/* events.c */
bool vmx_interrupt_allowed(struct kvm_vcpu *vcpu);
bool vmx_nmi_allowed(struct kvm_vcpu *vcpu);
bool vmx_event_pending(struct kvm_vcpu *vcpu);
void vmx_inject_irq(struct kvm_vcpu *vcpu, u8 vector);
void vmx_inject_nmi(struct kvm_vcpu *vcpu);
void vmx_enable_irq_window(struct kvm_vcpu *vcpu);
void vmx_enable_nmi_window(struct kvm_vcpu *vcpu);
void vmx_set_intr_info(struct vcpu_vmx *vmx, u32 info, u32 error);
void vmx_prepare_events(struct vcpu_vmx *vmx);
void vmx_set_proc_ctl(struct vcpu_vmx *vmx, u32 bits, bool on);
void vmx_get_event(struct kvm_vcpu *vcpu, struct x86_event *ev);
void vmx_set_event(struct kvm_vcpu *vcpu, const struct x86_event *ev);
u8 vmx_get_interrupt_shadow(struct kvm_vcpu *vcpu);
void vmx_set_interrupt_shadow(struct kvm_vcpu *vcpu, u8 shadow);
bool vmx_get_nmi_mask(struct kvm_vcpu *vcpu);
void vmx_set_nmi_mask(struct kvm_vcpu *vcpu, bool masked);
void vmx_fixup_interruptibility(struct vcpu_vmx *vmx);
void vmx_update_debug_intercepts(struct kvm_vcpu *vcpu);

/* vmenter.S */
int vmx_vmenter(u64 *regs, bool launched);
extern char vmx_vmexit[];

#endif
