/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * AMD-V backend: per-CPU and per-vCPU state shared by the svm/ files.
 */
#ifndef ARCH_X86_KVM_SVM_SVM_H
#define ARCH_X86_KVM_SVM_SVM_H

#include <linux/percpu.h>
#include <asm/svm.h>

#include "x86.h"

/* Per physical CPU. */
struct svm_cpu {
	bool enabled;
	struct page *hsave;		/* VM_HSAVE_PA: VMRUN's host save area */
	struct vmcb *host_vmcb;		/* VMSAVE/VMLOAD of host hidden state */
	u64 host_vmcb_pa;
	/* ASIDs are handed out per CPU; a new generation flushes them all. */
	u64 asid_gen;
	u32 next_asid;
};

DECLARE_PER_CPU(struct svm_cpu, svm_cpu_data);
extern u32 svm_max_asid;
extern bool svm_flush_by_asid;

struct vcpu_svm {
	struct kvm_vcpu *vcpu;
	struct vmcb *vmcb;
	u64 vmcb_pa;
	u32 asid;
	u64 asid_gen;		/* 0: needs a fresh ASID */
	int asid_cpu;
	bool nmi_masked;	/* an NMI was delivered; IRET not seen yet */
	bool iret_pending;	/* IRET intercepted, not yet retired */
	u64 iret_rip;		/* ... at this RIP */
	bool nmi_step;		/* TF + #DB armed to find the NMI window */
	bool nmi_step_tf;	/* ... and the TF is ours, not the guest's */
	bool immediate_exit;	/* leave right after the next injection */
};

static inline void svm_clr_intercept(struct vmcb *vmcb, int bit)
{
	vmcb->control.intercepts[bit / 32] &= ~BIT(bit % 32);
}

static inline struct vcpu_svm *to_svm(struct kvm_vcpu *vcpu)
{
	return vcpu->arch.vendor;
}

static inline void svm_set_intercept(struct vmcb *vmcb, int bit)
{
	vmcb->control.intercepts[bit / 32] |= BIT(bit % 32);
}

/* hw.c */
int svm_check_hardware(void);
int svm_hardware_enable(void);
void svm_hardware_disable(void);
int svm_alloc_global(void);
void svm_free_global(void);
void svm_free_percpu(void);
void svm_assign_asid(struct vcpu_svm *svm, int cpu);
extern u64 svm_iopm_pa, svm_msrpm_pa;

/* vmcb.c */
void svm_vmcb_init(struct vcpu_svm *svm);
void svm_vcpu_reset(struct kvm_vcpu *vcpu);
void svm_get_segment(struct kvm_vcpu *vcpu, struct kvm_segment *s, int seg);
void svm_set_segment(struct kvm_vcpu *vcpu, const struct kvm_segment *s,
		     int seg);
void svm_get_dtable(struct kvm_vcpu *vcpu, struct kvm_dtable *dt, bool idt);
void svm_set_dtable(struct kvm_vcpu *vcpu, const struct kvm_dtable *dt,
		    bool idt);
u64 svm_get_cr(struct kvm_vcpu *vcpu, int cr);
void svm_set_cr(struct kvm_vcpu *vcpu, int cr, u64 val);
u64 svm_get_efer(struct kvm_vcpu *vcpu);
void svm_set_efer(struct kvm_vcpu *vcpu, u64 efer);
int svm_get_cpl(struct kvm_vcpu *vcpu);
int svm_get_msr(struct kvm_vcpu *vcpu, u32 index, u64 *data);
int svm_set_msr(struct kvm_vcpu *vcpu, u32 index, u64 data);
void svm_set_tsc_offset(struct kvm_vcpu *vcpu, u64 offset);
u64 svm_get_dr(struct kvm_vcpu *vcpu, int dr);
void svm_set_dr(struct kvm_vcpu *vcpu, int dr, u64 val);
void svm_update_debug_intercepts(struct kvm_vcpu *vcpu);

/* exit.c */
int svm_handle_exit(struct kvm_vcpu *vcpu);
void svm_inject_exception(struct kvm_vcpu *vcpu, u8 vector, bool has_error,
			  u32 error);

/* events.c */
bool svm_interrupt_allowed(struct kvm_vcpu *vcpu);
bool svm_nmi_allowed(struct kvm_vcpu *vcpu);
bool svm_event_pending(struct kvm_vcpu *vcpu);
void svm_inject_irq(struct kvm_vcpu *vcpu, u8 vector);
void svm_inject_nmi(struct kvm_vcpu *vcpu);
void svm_enable_irq_window(struct kvm_vcpu *vcpu);
void svm_enable_nmi_window(struct kvm_vcpu *vcpu);
void svm_irq_window_exit(struct vcpu_svm *svm);
void svm_iret_exit(struct vcpu_svm *svm);
int svm_nmi_step_done(struct vcpu_svm *svm, u64 code);
void svm_get_event(struct kvm_vcpu *vcpu, struct x86_event *ev);
void svm_set_event(struct kvm_vcpu *vcpu, const struct x86_event *ev);
u8 svm_get_interrupt_shadow(struct kvm_vcpu *vcpu);
void svm_set_interrupt_shadow(struct kvm_vcpu *vcpu, u8 shadow);
bool svm_get_nmi_mask(struct kvm_vcpu *vcpu);
void svm_set_nmi_mask(struct kvm_vcpu *vcpu, bool masked);

/* vmenter.S */
void svm_vmrun(u64 vmcb_pa, u64 *regs, u64 host_vmcb_pa);

#endif
