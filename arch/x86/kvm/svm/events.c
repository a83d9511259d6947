// SPDX-License-Identifier: GPL-2.0-only
/*
 * SVM event injection: EVENTINJ for interrupts and NMIs, the virtual
 * interrupt (V_IRQ + VINTR intercept) as an "interrupt window open"
 * notification, and the IRET intercept that ends NMI blocking.
 */
#include "svm/svm.h"

#include <asm/debugreg.h>

#define SVM_SHADOW	SVM_INTERRUPT_SHADOW_MASK

bool svm_event_pending(struct kvm_vcpu *vcpu)
{
	return to_svm(vcpu)->vmcb->control.event_inj & SVM_EVTINJ_VALID;
}

bool svm_interrupt_allowed(struct kvm_vcpu *vcpu)
{
	struct vmcb *vmcb = to_svm(vcpu)->vmcb;

	return (vcpu->arch.rflags & X86_EFLAGS_IF) &&
	       !(vmcb->control.int_state & SVM_SHADOW) &&
	       !svm_event_pending(vcpu);
}

bool svm_nmi_allowed(struct kvm_vcpu *vcpu)
{
	struct vcpu_svm *svm = to_svm(vcpu);

	return !svm->nmi_masked &&
	       !(svm->vmcb->control.int_state & SVM_SHADOW);
}

void svm_inject_irq(struct kvm_vcpu *vcpu, u8 vector)
{
	to_svm(vcpu)->vmcb->control.event_inj = vector | SVM_EVTINJ_VALID |
						 SVM_EVTINJ_TYPE_INTR;
}

void svm_inject_nmi(struct kvm_vcpu *vcpu)
{
	struct vcpu_svm *svm = to_svm(vcpu);

	svm->vmcb->control.event_inj = 2 | SVM_EVTINJ_VALID |
				       SVM_EVTINJ_TYPE_NMI;
	/* NMIs stay blocked until the handler's IRET. */
	svm->nmi_masked = true;
	svm_set_intercept(svm->vmcb, INTERCEPT_IRET);
}

/*
 * Ask for a #VMEXIT when the guest can take an interrupt: a virtual
 * interrupt of top priority, ignoring the TPR, is pending; the guest
 * "takes" it as soon as RFLAGS.IF=1 and no shadow, which the VINTR
 * intercept turns into an exit before anything is delivered.
 */
void svm_enable_irq_window(struct kvm_vcpu *vcpu)
{
	struct vmcb *vmcb = to_svm(vcpu)->vmcb;

	vmcb->control.int_ctl |= V_IRQ_MASK | V_IGN_TPR_MASK |
				 (0xf << V_INTR_PRIO_SHIFT);
	svm_set_intercept(vmcb, INTERCEPT_VINTR);
}

void svm_irq_window_exit(struct vcpu_svm *svm)
{
	struct vmcb *vmcb = svm->vmcb;

	vmcb->control.int_ctl &= ~(V_IRQ_MASK | V_IGN_TPR_MASK |
				   V_INTR_PRIO_MASK);
	svm_clr_intercept(vmcb, INTERCEPT_VINTR);
}

/*
 * SVM has no "NMI window" exit.  NMIs stay blocked after an intercepted
 * IRET until that IRET has retired, and during an interrupt shadow;
 * both end after one more guest instruction, so the guest single-steps
 * that instruction (RFLAGS.TF with #DB intercepted) and the #DB exit
 * that follows opens the window.  Stepping is not armed while an event
 * is being injected: its handler would start with our TF in the saved
 * RFLAGS.  The NMI then waits for an exit right after the delivery.
 */
void svm_enable_nmi_window(struct kvm_vcpu *vcpu)
{
	struct vcpu_svm *svm = to_svm(vcpu);
	struct vmcb *vmcb = svm->vmcb;

	if (svm_event_pending(vcpu)) {
		if (!svm->nmi_masked)
			svm->immediate_exit = true;
		return;
	}
	/* The IRET intercept is armed: its exit comes back here. */
	if (svm->nmi_masked && !svm->iret_pending)
		return;
	/* A debugger's single-step already exits after each instruction. */
	if (svm->nmi_step ||
	    (vcpu->arch.guest_debug & KVM_GUESTDBG_SINGLESTEP))
		return;
	svm->nmi_step = true;
	svm->nmi_step_tf = !(vcpu->arch.rflags & X86_EFLAGS_TF);
	vcpu->arch.rflags |= X86_EFLAGS_TF;
	svm_set_intercept(vmcb, INTERCEPT_EXCEPTION_OFFSET + DB_VECTOR);
}

void svm_iret_exit(struct vcpu_svm *svm)
{
	svm_clr_intercept(svm->vmcb, INTERCEPT_IRET);
	svm->iret_pending = true;
	svm->iret_rip = svm->vmcb->save.rip;
}

/*
 * After every exit: has the intercepted IRET retired (NMIs unblocked),
 * and is a single step armed by svm_enable_nmi_window() over?  Returns
 * 1 when the exit was our own single-step #DB, which the guest must not
 * see.
 */
int svm_nmi_step_done(struct vcpu_svm *svm, u64 code)
{
	struct kvm_vcpu *vcpu = svm->vcpu;
	struct vmcb *vmcb = svm->vmcb;
	bool iret_retired = false;

	if (svm->iret_pending && vmcb->save.rip != svm->iret_rip) {
		svm->iret_pending = false;
		svm->nmi_masked = false;
		iret_retired = true;
	}
	if (!svm->nmi_step)
		return 0;
	svm->nmi_step = false;
	/* A retired IRET loaded RFLAGS from the stack: TF is the guest's. */
	if (svm->nmi_step_tf && !iret_retired)
		vcpu->arch.rflags &= ~X86_EFLAGS_TF;
	svm_update_debug_intercepts(vcpu);
	if (code != SVM_EXIT_EXCP_BASE + DB_VECTOR || !svm->nmi_step_tf ||
	    !(vmcb->save.dr6 & DR_STEP))
		return 0;
	vmcb->save.dr6 &= ~DR_STEP;
	return 1;
}

void svm_get_event(struct kvm_vcpu *vcpu, struct x86_event *ev)
{
	u32 inj = to_svm(vcpu)->vmcb->control.event_inj;

	memset(ev, 0, sizeof(*ev));
	if (!(inj & SVM_EVTINJ_VALID))
		return;
	ev->vector = inj & SVM_EVTINJ_VEC_MASK;
	ev->has_error = inj & SVM_EVTINJ_VALID_ERR;
	ev->error = to_svm(vcpu)->vmcb->control.event_inj_err;
	switch (inj & SVM_EVTINJ_TYPE_MASK) {
	case SVM_EVTINJ_TYPE_INTR:
		ev->type = X86_EVENT_INTR;
		break;
	case SVM_EVTINJ_TYPE_NMI:
		ev->type = X86_EVENT_NMI;
		break;
	case SVM_EVTINJ_TYPE_SOFT:
		ev->type = X86_EVENT_SOFT_INTR;
		break;
	default:
		ev->type = X86_EVENT_EXCEPTION;
		break;
	}
}

void svm_set_event(struct kvm_vcpu *vcpu, const struct x86_event *ev)
{
	struct vmcb_control_area *c = &to_svm(vcpu)->vmcb->control;
	static const u32 type[] = {
		[X86_EVENT_INTR] = SVM_EVTINJ_TYPE_INTR,
		[X86_EVENT_NMI] = SVM_EVTINJ_TYPE_NMI,
		[X86_EVENT_EXCEPTION] = SVM_EVTINJ_TYPE_EXEPT,
		[X86_EVENT_SOFT_INTR] = SVM_EVTINJ_TYPE_SOFT,
	};

	if (ev->type == X86_EVENT_NONE) {
		c->event_inj = 0;
		return;
	}
	c->event_inj = ev->vector | type[ev->type] | SVM_EVTINJ_VALID |
		       (ev->has_error ? SVM_EVTINJ_VALID_ERR : 0);
	c->event_inj_err = ev->error;
}

/* SVM keeps one shadow bit: it reads as both kinds, as in-tree. */
u8 svm_get_interrupt_shadow(struct kvm_vcpu *vcpu)
{
	if (!(to_svm(vcpu)->vmcb->control.int_state & SVM_SHADOW))
		return 0;
	return KVM_X86_SHADOW_INT_MOV_SS | KVM_X86_SHADOW_INT_STI;
}

void svm_set_interrupt_shadow(struct kvm_vcpu *vcpu, u8 shadow)
{
	struct vmcb_control_area *c = &to_svm(vcpu)->vmcb->control;

	if (shadow)
		c->int_state |= SVM_SHADOW;
	else
		c->int_state &= ~SVM_SHADOW;
}

bool svm_get_nmi_mask(struct kvm_vcpu *vcpu)
{
	return to_svm(vcpu)->nmi_masked;
}

void svm_set_nmi_mask(struct kvm_vcpu *vcpu, bool masked)
{
	struct vcpu_svm *svm = to_svm(vcpu);

	svm->nmi_masked = masked;
	svm->iret_pending = false;
	if (masked)
		svm_set_intercept(svm->vmcb, INTERCEPT_IRET);
	else
		svm_clr_intercept(svm->vmcb, INTERCEPT_IRET);
}
