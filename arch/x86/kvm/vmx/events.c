// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMX event injection: the VM-entry interruption-information field for
 * exceptions, interrupts and NMIs, interrupt-/NMI-window exiting as
 * "window open" notifications, and the event state of
 * KVM_GET/SET_VCPU_EVENTS (the queued event, the STI/MOV SS shadow, NMI
 * blocking) kept in the VMCS.
 *
 * VM entry refuses to inject an external interrupt while RFLAGS.IF is 0
 * or an STI or MOV SS shadow is in effect (the guest-state checks fail
 * the entry).  An interrupt handed over at such a moment waits here
 * (irq_stash): until the shadow is gone, or, with IF=0 (only
 * KVM_SET_VCPU_EVENTS can queue one then: the interrupt was already
 * being delivered when the state was saved), it goes in as a
 * zero-length INT n, which VM entry accepts with IF=0 and which pushes
 * the same frame.
 */
#include <asm/irq_vectors.h>
#include <asm/processor-flags.h>
#include <asm/trapnr.h>

#include "vmx/vmx.h"

#define INTR_SHADOW	(GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS)

/* INT n, INT3, INTO: what an injected software event's length defaults to. */
#define SOFT_INTR_LEN	2
#define SOFT_EXC_LEN	1

void vmx_set_proc_ctl(struct vcpu_vmx *vmx, u32 bits, bool on)
{
	u32 ctl = on ? vmx->proc_ctl | bits : vmx->proc_ctl & ~bits;

	if (ctl != vmx->proc_ctl) {
		vmx->proc_ctl = ctl;
		vmcs_write(CPU_BASED_VM_EXEC_CONTROL, ctl);
	}
}

void vmx_set_intr_info(struct vcpu_vmx *vmx, u32 info, u32 error)
{
	u32 type = info & INTR_INFO_INTR_TYPE_MASK;

	vmcs_write(VM_ENTRY_INTR_INFO_FIELD, info);
	if (info & INTR_INFO_DELIVER_CODE_MASK)
		vmcs_write(VM_ENTRY_EXCEPTION_ERROR_CODE, error);
	/* Software events push the address after their instruction. */
	if (type == INTR_TYPE_SOFT_INTR)
		vmcs_write(VM_ENTRY_INSTRUCTION_LEN, SOFT_INTR_LEN);
	else if (type == INTR_TYPE_SOFT_EXCEPTION ||
		 type == INTR_TYPE_PRIV_SW_EXCEPTION)
		vmcs_write(VM_ENTRY_INSTRUCTION_LEN, SOFT_EXC_LEN);
	vmx->intr_info_set = info & INTR_INFO_VALID_MASK;
	vmx->irq_as_soft = false;
}

bool vmx_event_pending(struct kvm_vcpu *vcpu)
{
	struct vcpu_vmx *vmx = to_vmx(vcpu);

	return vmx->intr_info_set || vmx->irq_stashed;
}

static u32 interruptibility(void)
{
	return vmcs_read32(GUEST_INTERRUPTIBILITY_INFO);
}

bool vmx_interrupt_allowed(struct kvm_vcpu *vcpu)
{
	return (vcpu->arch.rflags & X86_EFLAGS_IF) &&
	       !(interruptibility() & INTR_SHADOW) &&
	       !vmx_event_pending(vcpu);
}

bool vmx_nmi_allowed(struct kvm_vcpu *vcpu)
{
	return !(interruptibility() & (INTR_SHADOW | GUEST_INTR_STATE_NMI));
}

void vmx_inject_irq(struct kvm_vcpu *vcpu, u8 vector)
{
	struct vcpu_vmx *vmx = to_vmx(vcpu);

	vmx->irq_stash = vector;
	vmx->irq_stashed = true;
	vmx_prepare_events(vmx);
}

void vmx_inject_nmi(struct kvm_vcpu *vcpu)
{
	/*
	 * Delivery blocks further NMIs (virtual-NMI blocking with virtual
	 * NMIs, real blocking without); the guest's IRET unblocks them and
	 * the interruptibility state shows which applies.
	 */
	vmx_set_intr_info(to_vmx(vcpu), NMI_VECTOR | INTR_TYPE_NMI_INTR |
			  INTR_INFO_VALID_MASK, 0);
}

/*
 * Before an entry: move a waiting interrupt into the VMCS unless a
 * shadow is in effect; a shadow (with IF=1) ends where interrupt-window
 * exiting fires.
 *
 * With IF=0 the interrupt goes in as a software interrupt with an
 * instruction length of 0: same vector, same frame (the return address
 * is RIP itself, RFLAGS as they are), no check of IF or of the shadows.
 * It differs from a real external interrupt only in the gate DPL check,
 * which cannot fail at CPL 0, where IF=0 code runs.  Without zero-length
 * injection (IA32_VMX_MISC bit 30) the interrupt waits until the guest
 * sets IF.
 */
void vmx_prepare_events(struct vcpu_vmx *vmx)
{
	struct kvm_vcpu *vcpu = vmx->vcpu;
	u32 info;

	/*
	 * An external interrupt already in the VMCS, but RFLAGS or the
	 * shadow changed since (KVM_SET_REGS, KVM_SET_VCPU_EVENTS): take
	 * it back and decide again, or VM entry fails.
	 */
	if (vmx->intr_info_set && !vmx->irq_as_soft &&
	    (!(vcpu->arch.rflags & X86_EFLAGS_IF) ||
	     (interruptibility() & INTR_SHADOW))) {
		info = vmcs_read32(VM_ENTRY_INTR_INFO_FIELD);
		if ((info & INTR_INFO_INTR_TYPE_MASK) == INTR_TYPE_EXT_INTR) {
			vmx_set_intr_info(vmx, 0, 0);
			vmx->irq_stash = info & INTR_INFO_VECTOR_MASK;
			vmx->irq_stashed = true;
		}
	}
	if (!vmx->irq_stashed || vmx->intr_info_set)
		return;
	if (!(vcpu->arch.rflags & X86_EFLAGS_IF)) {
		if (!vmx_caps.zero_len_soft) {
			vmx_set_proc_ctl(vmx, CPU_BASED_INTR_WINDOW_EXITING,
					 true);
			return;
		}
		vmx->irq_stashed = false;
		vmx_set_intr_info(vmx, vmx->irq_stash | INTR_TYPE_SOFT_INTR |
				  INTR_INFO_VALID_MASK, 0);
		vmcs_write(VM_ENTRY_INSTRUCTION_LEN, 0);
		vmx->irq_as_soft = true;
		return;
	}
	if (interruptibility() & INTR_SHADOW) {
		vmx_set_proc_ctl(vmx, CPU_BASED_INTR_WINDOW_EXITING, true);
		return;
	}
	vmx->irq_stashed = false;
	vmx_set_intr_info(vmx, vmx->irq_stash | INTR_TYPE_EXT_INTR |
			  INTR_INFO_VALID_MASK, 0);
}

/*
 * Exit as soon as the guest can take an interrupt (RFLAGS.IF=1 and no
 * shadow): at once, before any guest instruction, if it already can.
 */
void vmx_enable_irq_window(struct kvm_vcpu *vcpu)
{
	vmx_set_proc_ctl(to_vmx(vcpu), CPU_BASED_INTR_WINDOW_EXITING, true);
}

void vmx_enable_nmi_window(struct kvm_vcpu *vcpu)
{
	/* Without NMI-window exiting the next exit retries, as on SVM. */
	if (vmx_caps.nmi_window)
		vmx_set_proc_ctl(to_vmx(vcpu), CPU_BASED_NMI_WINDOW_EXITING,
				 true);
}

/* KVM_GET_VCPU_EVENTS: the event the next entry delivers. */
void vmx_get_event(struct kvm_vcpu *vcpu, struct x86_event *ev)
{
	struct vcpu_vmx *vmx = to_vmx(vcpu);
	u32 info;

	memset(ev, 0, sizeof(*ev));
	if (!vmx->intr_info_set) {
		if (vmx->irq_stashed) {
			ev->type = X86_EVENT_INTR;
			ev->vector = vmx->irq_stash;
		}
		return;
	}
	info = vmcs_read32(VM_ENTRY_INTR_INFO_FIELD);
	ev->vector = info & INTR_INFO_VECTOR_MASK;
	switch (info & INTR_INFO_INTR_TYPE_MASK) {
	case INTR_TYPE_EXT_INTR:
		ev->type = X86_EVENT_INTR;
		break;
	case INTR_TYPE_NMI_INTR:
		ev->type = X86_EVENT_NMI;
		break;
	case INTR_TYPE_SOFT_INTR:
		ev->type = vmx->irq_as_soft ? X86_EVENT_INTR :
					      X86_EVENT_SOFT_INTR;
		break;
	default:
		ev->type = X86_EVENT_EXCEPTION;
		ev->has_error = info & INTR_INFO_DELIVER_CODE_MASK;
		if (ev->has_error)
			ev->error = vmcs_read32(VM_ENTRY_EXCEPTION_ERROR_CODE);
		break;
	}
}

/* KVM_SET_VCPU_EVENTS: replaces whatever the next entry would deliver. */
void vmx_set_event(struct kvm_vcpu *vcpu, const struct x86_event *ev)
{
	struct vcpu_vmx *vmx = to_vmx(vcpu);
	u32 info = ev->vector | INTR_INFO_VALID_MASK;

	vmx->irq_stashed = false;
	switch (ev->type) {
	case X86_EVENT_NONE:
		vmx_set_intr_info(vmx, 0, 0);
		return;
	case X86_EVENT_INTR:
		vmx_inject_irq(vcpu, ev->vector);
		return;
	case X86_EVENT_NMI:
		vmx_inject_nmi(vcpu);
		return;
	case X86_EVENT_SOFT_INTR:
		vmx_set_intr_info(vmx, info | INTR_TYPE_SOFT_INTR, 0);
		return;
	case X86_EVENT_EXCEPTION:
		vmx_inject_exception(vcpu, ev->vector, ev->has_error,
				     ev->error);
		return;
	}
}

/* VMX has two shadow bits, ordered the other way round than the ABI's. */
u8 vmx_get_interrupt_shadow(struct kvm_vcpu *vcpu)
{
	u32 intr = interruptibility();

	return ((intr & GUEST_INTR_STATE_STI) ? KVM_X86_SHADOW_INT_STI : 0) |
	       ((intr & GUEST_INTR_STATE_MOV_SS) ?
		KVM_X86_SHADOW_INT_MOV_SS : 0);
}

void vmx_set_interrupt_shadow(struct kvm_vcpu *vcpu, u8 shadow)
{
	u32 intr = interruptibility() & ~INTR_SHADOW;

	/* Both at once are not a state VM entry accepts: MOV SS wins. */
	if (shadow & KVM_X86_SHADOW_INT_MOV_SS)
		intr |= GUEST_INTR_STATE_MOV_SS;
	else if (shadow & KVM_X86_SHADOW_INT_STI)
		intr |= GUEST_INTR_STATE_STI;
	vmcs_write(GUEST_INTERRUPTIBILITY_INFO, intr);
}

/* With virtual NMIs this is the virtual-NMI blocking the CPU tracks. */
bool vmx_get_nmi_mask(struct kvm_vcpu *vcpu)
{
	return interruptibility() & GUEST_INTR_STATE_NMI;
}

void vmx_set_nmi_mask(struct kvm_vcpu *vcpu, bool masked)
{
	u32 intr = interruptibility() & ~GUEST_INTR_STATE_NMI;

	vmcs_write(GUEST_INTERRUPTIBILITY_INFO,
		   intr | (masked ? GUEST_INTR_STATE_NMI : 0));
}

/*
 * Just before entry: the interruptibility state must agree with RFLAGS
 * and with the event being injected, or VM entry fails.  Userspace can
 * set the pieces independently (KVM_SET_REGS, KVM_SET_VCPU_EVENTS).
 */
void vmx_fixup_interruptibility(struct vcpu_vmx *vmx)
{
	u64 rflags = vmx->vcpu->arch.rflags;
	u32 intr = interruptibility(), fixed = intr, type = 0;

	if (vmx->intr_info_set)
		type = vmcs_read32(VM_ENTRY_INTR_INFO_FIELD) &
		       INTR_INFO_INTR_TYPE_MASK;
	/* An STI shadow needs IF=1; without it the shadow is a MOV SS one. */
	if ((fixed & GUEST_INTR_STATE_STI) && !(rflags & X86_EFLAGS_IF))
		fixed = (fixed & ~GUEST_INTR_STATE_STI) |
			GUEST_INTR_STATE_MOV_SS;
	/* An NMI being injected is not blocked by itself or a shadow. */
	if (vmx->intr_info_set && type == INTR_TYPE_NMI_INTR) {
		fixed &= ~INTR_SHADOW;
		if (vmx_caps.virtual_nmis)
			fixed &= ~GUEST_INTR_STATE_NMI;
	}
	/* A single-step trap held back by a shadow stays pending. */
	if ((fixed & INTR_SHADOW) && (rflags & X86_EFLAGS_TF))
		vmcs_set_bits(GUEST_PENDING_DBG_EXCEPTIONS, VMX_PENDING_DBG_BS);
	if (fixed != intr)
		vmcs_write(GUEST_INTERRUPTIBILITY_INFO, fixed);
}

/*
 * KVM_SET_GUEST_DEBUG: intercept #DB and #BP for the debugger.
 *
 * #AC is always intercepted: a guest can make the delivery of #AC raise
 * #AC again, and the CPU then loops in event delivery, where neither a
 * host interrupt nor the preemption timer gets in (CVE-2015-5307).  As a
 * VM exit, each round gives the host its CPU back.
 */
void vmx_update_debug_intercepts(struct kvm_vcpu *vcpu)
{
	u32 dbg = vcpu->arch.guest_debug;
	u32 bitmap = BIT(X86_TRAP_AC);

	if (dbg & (KVM_GUESTDBG_SINGLESTEP | KVM_GUESTDBG_USE_HW_BP))
		bitmap |= BIT(X86_TRAP_DB);
	if (dbg & KVM_GUESTDBG_USE_SW_BP)
		bitmap |= BIT(X86_TRAP_BP);
	vmcs_write(EXCEPTION_BITMAP, bitmap);
}
