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
#include <asm/msr-index.h>

#include "x86.h"
#include "irq.h"

#define KVM_NR_INTERRUPTS	256

int kvm_vcpu_interrupt(struct kvm_vcpu *vcpu, struct kvm_interrupt __user *u)
{
	struct kvm_interrupt irq;

	if (copy_from_user(&irq, u, sizeof(irq)))
		return -EFAULT;
	/* With the in-kernel PIC, interrupts come from its lines only. */
	if (kvm_irqchip_in_kernel(vcpu->kvm))
		return -ENXIO;
	if (irq.irq >= KVM_NR_INTERRUPTS)
		return -EINVAL;
	/* A second one replaces the first, as in-tree without a PIC. */
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
	/* As in-tree: userspace never injects with an in-kernel PIC. */
	if (kvm_vcpu_has_lapic(vcpu))
		return true;
	return !vcpu->arch.irq_queued && interrupt_window_open(vcpu);
}

/* The PIC's output reaches this vCPU's LINT0 (ExtINT). */
static bool pic_interrupt_for(struct kvm_vcpu *vcpu)
{
	return kvm_apic_accepts_pic_intr(vcpu) &&
	       kvm_pic_has_interrupt(vcpu->kvm);
}

/* The in-kernel irqchip has an interrupt for this vCPU (IF aside). */
bool kvm_cpu_has_interrupt(struct kvm_vcpu *vcpu)
{
	return pic_interrupt_for(vcpu) || kvm_apic_pending_vector(vcpu) >= 0;
}

/* Acknowledge the interrupt to deliver: the PIC's first, as in-tree. */
static int cpu_get_interrupt(struct kvm_vcpu *vcpu)
{
	int v;

	if (pic_interrupt_for(vcpu))
		return kvm_pic_read_irq(vcpu->kvm);
	v = kvm_apic_pending_vector(vcpu);
	if (v >= 0)
		kvm_apic_ack(vcpu, v);
	return v;
}

/* In-kernel irqchip: inject now if the guest can take it, else wait. */
static bool inject_irqchip_interrupt(struct kvm_vcpu *vcpu, bool busy)
{
	const struct kvm_x86_ops *ops = kvm_x86_ops;
	int v;

	if (!kvm_cpu_has_interrupt(vcpu))
		return busy;
	if (!busy && ops->interrupt_allowed(vcpu)) {
		v = cpu_get_interrupt(vcpu);
		if (v >= 0) {
			ops->inject_irq(vcpu, v);
			busy = true;
		}
		/* Another one may be waiting behind it. */
		if (!kvm_cpu_has_interrupt(vcpu))
			return busy;
	}
	ops->enable_irq_window(vcpu);
	return busy;
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
	/*
	 * A debugger stepping with KVM_GUESTDBG_BLOCKIRQ wants no interrupt
	 * taken meanwhile: they stay pending, and no window is opened for
	 * them (it would exit at once, again and again).
	 */
	if (!(vcpu->arch.guest_debug & KVM_GUESTDBG_BLOCKIRQ)) {
		if (!busy && vcpu->arch.irq_queued) {
			ops->inject_irq(vcpu, vcpu->arch.irq_vector);
			vcpu->arch.irq_queued = false;
			busy = true;
		}
		if (kvm_vcpu_has_lapic(vcpu))
			busy = inject_irqchip_interrupt(vcpu, busy);
		if (vcpu->arch.irq_queued)
			ops->enable_irq_window(vcpu);
	}
	if (vcpu->run->request_interrupt_window && !kvm_vcpu_has_lapic(vcpu))
		ops->enable_irq_window(vcpu);
	if (vcpu->arch.nmi_pending)
		ops->enable_nmi_window(vcpu);
}

int kvm_vcpu_get_mp_state(struct kvm_vcpu *vcpu,
			  struct kvm_mp_state __user *u)
{
	struct kvm_mp_state mp = { .mp_state = KVM_MP_STATE_RUNNABLE };

	if (kvm_vcpu_has_lapic(vcpu)) {
		kvm_process_init_sipi(vcpu);
		mp.mp_state = vcpu->arch.mp_state;
	}
	return copy_to_user(u, &mp, sizeof(mp)) ? -EFAULT : 0;
}

int kvm_vcpu_set_mp_state(struct kvm_vcpu *vcpu,
			  struct kvm_mp_state __user *u)
{
	struct kvm_mp_state mp;

	if (copy_from_user(&mp, u, sizeof(mp)))
		return -EFAULT;
	/* Without an in-kernel local APIC every vCPU is runnable. */
	if (!kvm_vcpu_has_lapic(vcpu))
		return mp.mp_state == KVM_MP_STATE_RUNNABLE ? 0 : -EINVAL;
	switch (mp.mp_state) {
	case KVM_MP_STATE_RUNNABLE:
	case KVM_MP_STATE_UNINITIALIZED:
	case KVM_MP_STATE_INIT_RECEIVED:
	case KVM_MP_STATE_HALTED:
	case KVM_MP_STATE_AP_RESET_HOLD:
		vcpu->arch.mp_state = mp.mp_state;
		return 0;
	case KVM_MP_STATE_SIPI_RECEIVED:
		/* Not a state of its own: waiting for SIPI, with one there. */
		vcpu->arch.mp_state = KVM_MP_STATE_INIT_RECEIVED;
		kvm_sipi_vcpu(vcpu, vcpu->arch.sipi_vector);
		return 0;
	default:
		return -EINVAL;
	}
}

/* Start a vCPU that waits for SIPI: real mode at vector << 12. */
void kvm_sipi_vcpu(struct kvm_vcpu *vcpu, u8 vector)
{
	struct kvm_segment cs;

	if (vcpu->arch.mp_state != KVM_MP_STATE_INIT_RECEIVED)
		return;
	kvm_x86_ops->get_segment(vcpu, &cs, VCPU_SREG_CS);
	cs.selector = vector << 8;
	cs.base = (u64)vector << 12;
	kvm_x86_ops->set_segment(vcpu, &cs, VCPU_SREG_CS);
	vcpu->arch.rip = 0;
	vcpu->arch.mp_state = KVM_MP_STATE_RUNNABLE;
}

/*
 * INIT and SIPI that arrived through the APIC bus.  INIT puts the vCPU
 * in its INIT state; an AP then waits for SIPI, the BSP runs from the
 * reset vector.  A SIPI counts only while the vCPU waits for one.
 */
void kvm_process_init_sipi(struct kvm_vcpu *vcpu)
{
	u8 vector;

	if (kvm_apic_take_init(vcpu)) {
		kvm_vcpu_init_event(vcpu);
		vcpu->arch.mp_state =
			(vcpu->arch.apic_base & MSR_IA32_APICBASE_BSP) ?
			KVM_MP_STATE_RUNNABLE : KVM_MP_STATE_INIT_RECEIVED;
	}
	if (kvm_apic_take_sipi(vcpu, &vector)) {
		vcpu->arch.sipi_vector = vector;
		kvm_sipi_vcpu(vcpu, vector);
	}
}

#define VCPU_EVENTS_VALID_FLAGS (KVM_VCPUEVENT_VALID_NMI_PENDING | \
				 KVM_VCPUEVENT_VALID_SIPI_VECTOR | \
				 KVM_VCPUEVENT_VALID_SHADOW | \
				 KVM_VCPUEVENT_VALID_SMM | \
				 KVM_VCPUEVENT_VALID_PAYLOAD | \
				 KVM_VCPUEVENT_VALID_TRIPLE_FAULT)

int kvm_vcpu_get_events(struct kvm_vcpu *vcpu,
			struct kvm_vcpu_events __user *u)
{
	const struct kvm_x86_ops *ops = kvm_x86_ops;
	struct x86_event ev = { .type = X86_EVENT_NONE };
	struct kvm_vcpu_events e;

	memset(&e, 0, sizeof(e));
	if (ops->get_event)
		ops->get_event(vcpu, &ev);

	switch (ev.type) {
	case X86_EVENT_EXCEPTION:
		e.exception.injected = 1;
		e.exception.nr = ev.vector;
		e.exception.has_error_code = ev.has_error;
		e.exception.error_code = ev.error;
		break;
	case X86_EVENT_INTR:
	case X86_EVENT_SOFT_INTR:
		e.interrupt.injected = 1;
		e.interrupt.nr = ev.vector;
		e.interrupt.soft = ev.type == X86_EVENT_SOFT_INTR;
		break;
	case X86_EVENT_NMI:
		e.nmi.injected = 1;
		break;
	default:
		break;
	}
	/* An interrupt queued by KVM_INTERRUPT counts as injected. */
	if (vcpu->arch.irq_queued && !e.interrupt.injected) {
		e.interrupt.injected = 1;
		e.interrupt.nr = vcpu->arch.irq_vector;
	}
	if (ops->get_interrupt_shadow)
		e.interrupt.shadow = ops->get_interrupt_shadow(vcpu);
	e.nmi.pending = vcpu->arch.nmi_pending;
	e.nmi.masked = ops->get_nmi_mask ? ops->get_nmi_mask(vcpu) : 0;
	e.flags = KVM_VCPUEVENT_VALID_NMI_PENDING | KVM_VCPUEVENT_VALID_SHADOW;
	return copy_to_user(u, &e, sizeof(e)) ? -EFAULT : 0;
}

int kvm_vcpu_set_events(struct kvm_vcpu *vcpu,
			struct kvm_vcpu_events __user *u)
{
	const struct kvm_x86_ops *ops = kvm_x86_ops;
	struct x86_event ev = { .type = X86_EVENT_NONE };
	struct kvm_vcpu_events e;

	if (copy_from_user(&e, u, sizeof(e)))
		return -EFAULT;
	if (e.flags & ~VCPU_EVENTS_VALID_FLAGS)
		return -EINVAL;
	/*
	 * No SMM; payloads and triple-fault events need capabilities that
	 * are not offered, so their flags are invalid (as in-tree).
	 */
	if (e.flags & (KVM_VCPUEVENT_VALID_PAYLOAD |
		       KVM_VCPUEVENT_VALID_TRIPLE_FAULT))
		return -EINVAL;
	if ((e.flags & KVM_VCPUEVENT_VALID_SMM) &&
	    (e.smi.smm || e.smi.pending))
		return -EINVAL;
	/* Only architectural exceptions, and an NMI is not one of them. */
	if ((e.exception.injected || e.exception.pending) &&
	    (e.exception.nr > 31 || e.exception.nr == 2))
		return -EINVAL;

	if (e.exception.injected || e.exception.pending) {
		ev.type = X86_EVENT_EXCEPTION;
		ev.vector = e.exception.nr;
		ev.has_error = e.exception.has_error_code;
		ev.error = e.exception.error_code;
	} else if (e.nmi.injected) {
		ev.type = X86_EVENT_NMI;
		ev.vector = 2;
	} else if (e.interrupt.injected && e.interrupt.soft) {
		ev.type = X86_EVENT_SOFT_INTR;
		ev.vector = e.interrupt.nr;
	}
	vcpu->arch.irq_queued = e.interrupt.injected && !e.interrupt.soft &&
				ev.type == X86_EVENT_NONE;
	vcpu->arch.irq_vector = e.interrupt.nr;
	if (ops->set_event)
		ops->set_event(vcpu, &ev);

	if ((e.flags & KVM_VCPUEVENT_VALID_SHADOW) && ops->set_interrupt_shadow)
		ops->set_interrupt_shadow(vcpu, e.interrupt.shadow);
	if (e.flags & KVM_VCPUEVENT_VALID_NMI_PENDING)
		vcpu->arch.nmi_pending = e.nmi.pending;
	if (ops->set_nmi_mask)
		ops->set_nmi_mask(vcpu, e.nmi.masked);
	return 0;
}
