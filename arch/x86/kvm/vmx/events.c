// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMX event injection: the VM-entry interruption-information field for
 * exceptions, interrupts and NMIs, and interrupt-/NMI-window exiting as
 * "window open" notifications.
 *
 * Unlike SVM's EVENTINJ, VM entry refuses to inject an external
 * interrupt while RFLAGS.IF=0 or an STI/MOV SS shadow is in effect.  An
 * interrupt handed over at such a moment waits here (irq_stash) and goes
 * in at the first entry after the interrupt window opens.
 */
#include <asm/irq_vectors.h>
#include <asm/processor-flags.h>

#include "vmx/vmx.h"

#define INTR_SHADOW	(GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS)

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
	vmcs_write(VM_ENTRY_INTR_INFO_FIELD, info);
	if (info & INTR_INFO_DELIVER_CODE_MASK)
		vmcs_write(VM_ENTRY_EXCEPTION_ERROR_CODE, error);
	vmx->intr_info_set = info & INTR_INFO_VALID_MASK;
}

bool vmx_event_pending(struct kvm_vcpu *vcpu)
{
	struct vcpu_vmx *vmx = to_vmx(vcpu);

	return vmx->intr_info_set || vmx->irq_stashed;
}

static bool interrupt_shadow(void)
{
	return vmcs_read32(GUEST_INTERRUPTIBILITY_INFO) & INTR_SHADOW;
}

bool vmx_interrupt_allowed(struct kvm_vcpu *vcpu)
{
	return (vcpu->arch.rflags & X86_EFLAGS_IF) && !interrupt_shadow() &&
	       !vmx_event_pending(vcpu);
}

bool vmx_nmi_allowed(struct kvm_vcpu *vcpu)
{
	return !(vmcs_read32(GUEST_INTERRUPTIBILITY_INFO) &
		 (INTR_SHADOW | GUEST_INTR_STATE_NMI));
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
 * Before an entry: move a waiting interrupt into the VMCS if the guest
 * can take it, else ask for an exit when it can.
 */
void vmx_prepare_events(struct vcpu_vmx *vmx)
{
	struct kvm_vcpu *vcpu = vmx->vcpu;

	if (!vmx->irq_stashed || vmx->intr_info_set)
		return;
	if ((vcpu->arch.rflags & X86_EFLAGS_IF) && !interrupt_shadow()) {
		vmx->irq_stashed = false;
		vmx_set_intr_info(vmx, vmx->irq_stash | INTR_TYPE_EXT_INTR |
				  INTR_INFO_VALID_MASK, 0);
	} else {
		vmx_set_proc_ctl(vmx, CPU_BASED_INTR_WINDOW_EXITING, true);
	}
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
