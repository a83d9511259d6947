// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interrupts and NMIs from userspace (no in-kernel irqchip): KVM_INTERRUPT,
 * KVM_NMI, the interrupt window (request_interrupt_window,
 * ready_for_interrupt_injection, KVM_EXIT_IRQ_WINDOW_OPEN), CR8 in
 * struct kvm_run, and KVM_GET/SET_MP_STATE.
 *
 * KVM_INTERRUPT queues a vector that is injected at the next entry, as
 * the API says: userspace must only queue one when
 * ready_for_interrupt_injection said the guest can take it.
 */
#include <linux/uaccess.h>
#include <asm/processor-flags.h>

#include "x86.h"

#define KVM_NR_INTERRUPTS	256

int kvm_vcpu_interrupt(struct kvm_vcpu *vcpu, struct kvm_interrupt __user *u)
{
	struct kvm_interrupt irq;

	if (copy_from_user(&irq, u, sizeof(irq)))
		return -EFAULT;
	if (irq.irq >= KVM_NR_INTERRUPTS)
		return -EINVAL;
	if (vcpu->arch.irq_queued)
		return -ENXIO;
	vcpu->arch.irq_queued = true;
	vcpu->arch.irq_vector = irq.irq;
	return 0;
}

int kvm_vcpu_nmi(struct kvm_vcpu *vcpu)
{
	vcpu->arch.nmi_pending = true;
	return 0;
}

/* The guest could take an external interrupt right now. */
static bool interrupt_window_open(struct kvm_vcpu *vcpu)
{
	return kvm_x86_ops->interrupt_allowed(vcpu);
}

bool kvm_ready_for_interrupt(struct kvm_vcpu *vcpu)
{
	return !vcpu->arch.irq_queued && interrupt_window_open(vcpu);
}

/*
 * Before each entry: hand queued events to the vendor for injection,
 * at most one per entry, NMIs first; ask for an exit when the guest
 * opens its interrupt window if userspace or a queued event waits on it.
 */
void kvm_inject_pending_events(struct kvm_vcpu *vcpu)
{
	const struct kvm_x86_ops *ops = kvm_x86_ops;
	bool busy = ops->event_pending(vcpu);

	if (!busy && vcpu->arch.nmi_pending && ops->nmi_allowed(vcpu)) {
		ops->inject_nmi(vcpu);
		vcpu->arch.nmi_pending = false;
		busy = true;
	}
	if (!busy && vcpu->arch.irq_queued) {
		ops->inject_irq(vcpu, vcpu->arch.irq_vector);
		vcpu->arch.irq_queued = false;
		busy = true;
	}
	if (vcpu->run->request_interrupt_window || vcpu->arch.irq_queued)
		ops->enable_irq_window(vcpu);
	if (vcpu->arch.nmi_pending)
		ops->enable_nmi_window(vcpu);
}

int kvm_vcpu_get_mp_state(struct kvm_vcpu *vcpu,
			  struct kvm_mp_state __user *u)
{
	struct kvm_mp_state mp = { .mp_state = KVM_MP_STATE_RUNNABLE };

	return copy_to_user(u, &mp, sizeof(mp)) ? -EFAULT : 0;
}

int kvm_vcpu_set_mp_state(struct kvm_vcpu *vcpu,
			  struct kvm_mp_state __user *u)
{
	struct kvm_mp_state mp;

	if (copy_from_user(&mp, u, sizeof(mp)))
		return -EFAULT;
	/* Without an in-kernel local APIC every vCPU is runnable. */
	return mp.mp_state == KVM_MP_STATE_RUNNABLE ? 0 : -EINVAL;
}
