/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The in-kernel irqchip (KVM_CREATE_IRQCHIP): one local APIC per vCPU
 * (lapic.c), the IOAPIC (ioapic.c), the pair of 8259 PICs (i8259.c), the
 * 8254 PIT (i8254.c, KVM_CREATE_PIT2), and the GSI routing that connects
 * interrupt sources to them (irq_routing.c).
 *
 * How an interrupt travels:
 *   source (KVM_IRQ_LINE, PIT, irqfd) -> kvm_set_irq(gsi)
 *     -> routing entries of that GSI -> PIC pin / IOAPIC pin / MSI
 *     -> IOAPIC and MSI send a struct kvm_apic_irq to kvm_apic_deliver()
 *     -> the target LAPIC sets the vector in its IRR and kicks its vCPU
 *   the PIC's output is the ExtINT input (LINT0) of the vCPUs whose LAPIC
 *   accepts it.
 *   Before each guest entry the vCPU asks kvm_cpu_get_interrupt() for the
 *   vector to inject (events.c).
 *
 * Locking: a LAPIC's IRR/TMR bits and its pending INIT/SIPI/NMI are set
 * atomically by any context that sends to it; everything else in a LAPIC
 * is changed by its own vCPU thread only.  The IOAPIC and each PIC pair
 * have a spinlock, taken in process context only (the PIT injects from a
 * work item, irqfds from a work item), never with another chip's lock
 * held except: PIC lock -> (nothing); IOAPIC lock -> (nothing); delivery
 * to a LAPIC takes no lock.
 */
#ifndef ARCH_X86_KVM_IRQ_H
#define ARCH_X86_KVM_IRQ_H

#include <linux/types.h>
#include <linux/kvm.h>
#include <asm/apicdef.h>
#include <kvm/kvm_core.h>

/* The ICR's "no shorthand" encoding; <asm/apicdef.h> has only the rest. */
#ifndef APIC_DEST_NOSHORT
#define APIC_DEST_NOSHORT	0x00000
#endif

struct kvm_lapic;
struct kvm_pic;
struct kvm_ioapic;
struct kvm_pit;

enum kvm_irqchip_mode {
	KVM_IRQCHIP_NONE,
	KVM_IRQCHIP_KERNEL,	/* KVM_CREATE_IRQCHIP: LAPIC, IOAPIC, PIC */
};

#define KVM_NR_PIC_PINS		16
#define KVM_MAX_IRQ_ROUTES	4096	/* as in-tree */
#define KVM_MAX_GSI		(KVM_MAX_IRQ_ROUTES - 1)

/*
 * Who drives an interrupt line.  A PIC or IOAPIC pin is the OR of the
 * levels its sources assert, as on a board where devices share a line.
 */
enum {
	KVM_USERSPACE_IRQ_SOURCE_ID,	/* KVM_IRQ_LINE(_STATUS) */
	KVM_PIT_IRQ_SOURCE_ID,
	KVM_IRQFD_RESAMPLE_IRQ_SOURCE_ID,
	KVM_NR_IRQ_SOURCES,
};

/*
 * A message on the APIC bus: from the IOAPIC, an MSI, or an ICR write.
 * Encodings are the ICR's (<asm/apicdef.h>): delivery_mode is one of
 * APIC_DM_FIXED, APIC_DM_LOWEST, APIC_DM_SMI, APIC_DM_NMI, APIC_DM_INIT,
 * APIC_DM_STARTUP, APIC_DM_EXTINT; shorthand one of APIC_DEST_NOSHORT,
 * APIC_DEST_SELF, APIC_DEST_ALLINC, APIC_DEST_ALLBUT.
 */
struct kvm_apic_irq {
	u32 dest_id;		/* 8 bits in xAPIC format, 32 in x2APIC */
	u32 delivery_mode;
	u32 shorthand;
	u8 vector;
	bool dest_logical;
	bool level;		/* assert; false = INIT level de-assert */
	bool trig_level;	/* level-triggered: set TMR, EOI goes back */
};

/* ---- lapic.c -------------------------------------------------------- */

/* Create/free the vCPU's LAPIC; called only when the VM has an irqchip. */
int kvm_lapic_create(struct kvm_vcpu *vcpu);
void kvm_lapic_free(struct kvm_vcpu *vcpu);
/*
 * Architectural RESET (@init false) or INIT (@init true) state.  Reads
 * vcpu->arch.apic_base (set by the caller for RESET) for the ID and mode.
 */
void kvm_lapic_reset(struct kvm_vcpu *vcpu, bool init);

/*
 * Send @irq to every LAPIC it addresses; @src is the sending vCPU for
 * shorthands (NULL for IOAPIC/MSI).  Returns the number of LAPICs that
 * took it (0 = nobody: masked or no such destination).
 */
int kvm_apic_deliver(struct kvm *kvm, struct kvm_vcpu *src,
		     const struct kvm_apic_irq *irq);

/*
 * The vector the vCPU would take now (highest IRR above the processor
 * priority), or -1.  Does not look at RFLAGS.IF.
 */
int kvm_apic_pending_vector(struct kvm_vcpu *vcpu);
/* The vCPU takes @vector: IRR -> ISR, processor priority raised. */
void kvm_apic_ack(struct kvm_vcpu *vcpu, int vector);
/* LINT0 accepts the PIC's ExtINT (or the LAPIC is hardware-disabled). */
bool kvm_apic_accepts_pic_intr(struct kvm_vcpu *vcpu);

/*
 * INIT and SIPI received through the APIC bus.  Returns true and fills
 * @sipi_vector / clears the event when one is pending.
 */
bool kvm_apic_take_init(struct kvm_vcpu *vcpu);
bool kvm_apic_take_sipi(struct kvm_vcpu *vcpu, u8 *sipi_vector);
/* Some INIT or SIPI is waiting (for kvm_vcpu_block()). */
bool kvm_apic_has_init_sipi(struct kvm_vcpu *vcpu);

/*
 * xAPIC MMIO: true when @gpa is in this vCPU's APIC page and the APIC is
 * in xAPIC mode (the access was handled, reads fill @val).
 */
bool kvm_lapic_mmio(struct kvm_vcpu *vcpu, gpa_t gpa, void *val,
		    unsigned int len, bool write);

/*
 * MSRs the LAPIC owns: MSR_IA32_APICBASE, the x2APIC range
 * 0x800-0x8ff and MSR_IA32_TSC_DEADLINE.  Return enum kvm_msr_result;
 * KVM_MSR_UNKNOWN for an index that is not the LAPIC's.  @host is true
 * for KVM_GET/SET_MSRS (fewer checks, as the API documents).
 */
int kvm_lapic_get_msr(struct kvm_vcpu *vcpu, u32 index, u64 *data,
		      bool host);
int kvm_lapic_set_msr(struct kvm_vcpu *vcpu, u32 index, u64 data,
		      bool host);

/* CR8 is the TPR's bits 7:4; the x86 layer syncs it around entries. */
u8 kvm_lapic_get_cr8(struct kvm_vcpu *vcpu);
void kvm_lapic_set_cr8(struct kvm_vcpu *vcpu, u8 cr8);

/* KVM_GET_LAPIC / KVM_SET_LAPIC: the first 1 KiB of the register page. */
void kvm_lapic_get_state(struct kvm_vcpu *vcpu, struct kvm_lapic_state *s);
int kvm_lapic_set_state(struct kvm_vcpu *vcpu,
			const struct kvm_lapic_state *s);

/* ---- ioapic.c ------------------------------------------------------- */

int kvm_ioapic_create(struct kvm *kvm);		/* under kvm->lock */
void kvm_ioapic_destroy(struct kvm *kvm);
/*
 * Source @src drives pin @pin to @level.  Returns as KVM_IRQ_LINE_STATUS
 * reports: > 0 delivered, 0 coalesced (an edge while the previous one is
 * still pending in the IRR, or level already being serviced), < 0 masked
 * or ignored.
 */
int kvm_ioapic_set_irq(struct kvm *kvm, int pin, int src, bool level);
/* A LAPIC EOI'd a level-triggered @vector: clear Remote IRR, re-deliver. */
void kvm_ioapic_eoi(struct kvm *kvm, u8 vector);
void kvm_ioapic_get_state(struct kvm *kvm, struct kvm_ioapic_state *s);
void kvm_ioapic_set_state(struct kvm *kvm, const struct kvm_ioapic_state *s);

/* ---- i8259.c -------------------------------------------------------- */

int kvm_pic_create(struct kvm *kvm);		/* under kvm->lock */
void kvm_pic_destroy(struct kvm *kvm);
/* Pin 0-15 (8-15 on the slave); returns like kvm_ioapic_set_irq(). */
int kvm_pic_set_irq(struct kvm *kvm, int pin, int src, bool level);
/* The master's INT output is high (an unmasked request is pending). */
bool kvm_pic_has_interrupt(struct kvm *kvm);
/* Interrupt acknowledge cycle: the vector to deliver. */
int kvm_pic_read_irq(struct kvm *kvm);
/* @chip: KVM_IRQCHIP_PIC_MASTER or KVM_IRQCHIP_PIC_SLAVE. */
void kvm_pic_get_state(struct kvm *kvm, int chip, struct kvm_pic_state *s);
void kvm_pic_set_state(struct kvm *kvm, int chip,
		       const struct kvm_pic_state *s);

/* ---- i8254.c -------------------------------------------------------- */

int kvm_vm_create_pit2(struct kvm *kvm, struct kvm_pit_config __user *u);
void kvm_pit_destroy(struct kvm *kvm);
/* KVM_GET/SET_PIT, KVM_GET/SET_PIT2, KVM_REINJECT_CONTROL. */
long kvm_pit_ioctl(struct kvm *kvm, unsigned int ioctl, void __user *argp);

/* ---- irq_routing.c -------------------------------------------------- */

/*
 * Drive GSI @gsi to @level on behalf of @src through the routing table.
 * Returns the combined status (as kvm_ioapic_set_irq()), or -EINVAL for a
 * GSI without routes.  Process context.
 */
int kvm_set_irq(struct kvm *kvm, int src, u32 gsi, bool level);
/* Deliver an MSI (address/data as on the PCI bus). */
int kvm_set_msi(struct kvm *kvm, u64 address, u32 data);
/*
 * VM ioctls of the irqchip (KVM_CREATE_IRQCHIP, KVM_IRQ_LINE(_STATUS),
 * KVM_GET/SET_IRQCHIP, KVM_SET_GSI_ROUTING, KVM_SIGNAL_MSI, the PIT's);
 * -ENOIOCTLCMD for any other ioctl.
 */
long kvm_irqchip_vm_ioctl(struct kvm *kvm, unsigned int ioctl,
			  void __user *argp);
/* VM teardown, after the vCPUs are gone. */
void kvm_irqchip_destroy(struct kvm *kvm);

/* ---- events.c / run.c (vCPU side) ----------------------------------- */

static inline bool kvm_irqchip_in_kernel(struct kvm *kvm)
{
	return READ_ONCE(kvm->arch.irqchip_mode) != KVM_IRQCHIP_NONE;
}

static inline bool kvm_vcpu_has_lapic(struct kvm_vcpu *vcpu)
{
	return vcpu->arch.apic != NULL;
}

#endif
