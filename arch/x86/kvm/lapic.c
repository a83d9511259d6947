// SPDX-License-Identifier: GPL-2.0-only
/*
 * The in-kernel local APIC (Intel SDM vol. 3, "Advanced Programmable
 * Interrupt Controller"), one per vCPU: xAPIC registers through MMIO,
 * x2APIC registers through MSRs 0x800-0x8ff, the APIC base MSR, the
 * interrupt priorities, and delivery of APIC bus messages.
 *
 * Concurrency: senders (other vCPU threads, the IOAPIC, MSIs, this
 * LAPIC's timer in hard-irq context) touch only IRR, TMR, the error
 * latch and the pending INIT/SIPI bits, all with atomic bit operations,
 * then kick the vCPU.  Everything else belongs to the vCPU thread (which
 * also serves the vCPU ioctls).  Destination matching reads other
 * LAPICs' ID/LDR/DFR/mode with READ_ONCE; a racing mode change of the
 * target is the guest's problem, as on hardware.  No locks.
 */
#include <linux/slab.h>
#include <linux/gfp.h>
#include <linux/bitops.h>
#include <asm/processor.h>
#include <asm/msr-index.h>

#include "lapic.h"

#define LAPIC_VERSION		0x00050014	/* version 0x14, max LVT 5 */
#define X2APIC_MSR_FIRST	0x800
#define X2APIC_MSR_LAST		0x8ff
#define XAPIC_ID_MASK		0xff000000U
#define XAPIC_DEST_MASK		0xff000000U	/* ICR2, LDR */
#define APIC_SHORTHAND_MASK	APIC_DEST_ALLBUT
#define APIC_SVR_WRITABLE	0x3ff	/* vector, APIC enable, focus */
#define APIC_TDCR_WRITABLE	0xb
#define LVT_COMMON		(APIC_VECTOR_MASK | APIC_LVT_MASKED)

/* CPUID.1:ECX feature bits the guest's model may lack. */
#define CPUID1_ECX		2
#define CPUID1_X2APIC		21
#define CPUID1_TSC_DEADLINE	24

static const u32 lapic_lvts[] = {
	APIC_LVTT, APIC_LVTTHMR, APIC_LVTPC, APIC_LVT0, APIC_LVT1, APIC_LVTERR,
};

static bool guest_has_x2apic(struct kvm_vcpu *vcpu)
{
	return kvm_guest_cpuid_has(vcpu, 1, 0, CPUID1_ECX, CPUID1_X2APIC);
}

static bool guest_has_tsc_deadline(struct kvm_vcpu *vcpu)
{
	return kvm_guest_cpuid_has(vcpu, 1, 0, CPUID1_ECX, CPUID1_TSC_DEADLINE);
}

static u64 lapic_base(struct kvm_lapic *apic)
{
	return READ_ONCE(apic->vcpu->arch.apic_base);
}

static bool lapic_hw_enabled(struct kvm_lapic *apic)
{
	return lapic_base(apic) & LAPIC_BASE_EN;
}

static bool lapic_x2apic(struct kvm_lapic *apic)
{
	return lapic_base(apic) & LAPIC_BASE_EXTD;
}

static bool lapic_sw_enabled(struct kvm_lapic *apic)
{
	return lapic_reg(apic, APIC_SPIV) & APIC_SPIV_APIC_ENABLED;
}

/* Fixed and lowest-priority interrupts need both enables. */
static bool lapic_takes_fixed(struct kvm_lapic *apic)
{
	return lapic_hw_enabled(apic) && lapic_sw_enabled(apic);
}

static u32 x2apic_ldr(u32 id)
{
	return ((id >> 4) << 16) | BIT(id & 0xf);
}

/* The 32-bit word of a 256-bit register (ISR, TMR, IRR) holding @vec. */
static unsigned long *vec_word(struct kvm_lapic *apic, u32 reg, u8 vec)
{
	return (unsigned long *)lapic_reg_ptr(apic, reg + (vec >> 5) * 0x10);
}

static bool vec_test(struct kvm_lapic *apic, u32 reg, u8 vec)
{
	return test_bit(vec & 31, vec_word(apic, reg, vec));
}

/* Highest vector set in ISR/TMR/IRR, or -1. */
static int vec_highest(struct kvm_lapic *apic, u32 reg)
{
	int i;
	u32 w;

	for (i = 7; i >= 0; i--) {
		w = lapic_reg(apic, reg + i * 0x10);
		if (w)
			return i * 32 + fls(w) - 1;
	}
	return -1;
}

static u32 prio_class(int vector)
{
	return vector < 0 ? 0 : vector & 0xf0;
}

/* PPR per the SDM: the TPR, unless the in-service class is higher. */
static u32 lapic_update_ppr(struct kvm_lapic *apic)
{
	u32 tpr = lapic_reg(apic, APIC_TASKPRI) & 0xff;
	u32 isrc = prio_class(vec_highest(apic, APIC_ISR));
	u32 ppr = (tpr & 0xf0) >= isrc ? tpr : isrc;

	lapic_set_reg(apic, APIC_PROCPRI, ppr);
	return ppr;
}

/* APR: the TPR, unless a pending or in-service class is higher. */
static u32 lapic_apr(struct kvm_lapic *apic)
{
	u32 tpr = lapic_reg(apic, APIC_TASKPRI) & 0xff;
	u32 c = max(prio_class(vec_highest(apic, APIC_ISR)),
		    prio_class(vec_highest(apic, APIC_IRR)));

	return (tpr & 0xf0) >= c ? tpr : c;
}

/* ---- accepting interrupts (any context) ----------------------------- */

/*
 * An error the APIC detected: latched until the next ESR write, and
 * signalled through the error LVT.  The LVT's own vector is checked, so
 * this cannot recurse more than once.
 */
static void lapic_error(struct kvm_lapic *apic, u32 err)
{
	u32 lvterr = lapic_reg(apic, APIC_LVTERR);

	atomic_or(err, &apic->esr_pending);
	if (!(lvterr & APIC_LVT_MASKED) && (lvterr & APIC_VECTOR_MASK) >= 16)
		lapic_raise(apic, lvterr & APIC_VECTOR_MASK, false);
}

/*
 * Returns 1 when the vector became pending, 0 when the APIC dropped it
 * or it was already pending (coalesced, as KVM_IRQ_LINE_STATUS reports).
 */
int lapic_raise(struct kvm_lapic *apic, u8 vector, bool level)
{
	struct kvm_vcpu *vcpu = apic->vcpu;

	if (!lapic_takes_fixed(apic))
		return 0;
	if (vector < 16) {
		lapic_error(apic, APIC_ESR_RECVILL);
		return 0;
	}
	/* TMR first: the vCPU reads it at EOI, after it saw the IRR bit. */
	if (level)
		set_bit(vector & 31, vec_word(apic, APIC_TMR, vector));
	else
		clear_bit(vector & 31, vec_word(apic, APIC_TMR, vector));
	/*
	 * A vector already pending still counts as taken: in-tree reports
	 * it so (KVM_IRQ_LINE_STATUS, KVM_SIGNAL_MSI).
	 */
	if (test_and_set_bit(vector & 31, vec_word(apic, APIC_IRR, vector)))
		return 1;
	/* The kick's request makes a vCPU about to enter turn back. */
	kvm_vcpu_kick(vcpu);
	return 1;
}

static int lapic_accept(struct kvm_lapic *apic, const struct kvm_apic_irq *irq)
{
	struct kvm_vcpu *vcpu = apic->vcpu;

	switch (irq->delivery_mode) {
	case APIC_DM_FIXED:
	case APIC_DM_LOWEST:
		return lapic_raise(apic, irq->vector, irq->trig_level);
	case APIC_DM_NMI:
		kvm_make_request(vcpu, KVM_REQ_NMI);
		break;
	case APIC_DM_INIT:
		/* A SIPI that came before this INIT must not start the AP. */
		clear_bit(LAPIC_EV_SIPI, &apic->events);
		set_bit(LAPIC_EV_INIT, &apic->events);
		break;
	case APIC_DM_STARTUP:
		WRITE_ONCE(apic->sipi_vector, irq->vector);
		/* Pairs with the fully ordered test_and_clear_bit() taking it. */
		smp_mb__before_atomic();
		set_bit(LAPIC_EV_SIPI, &apic->events);
		break;
	case APIC_DM_EXTINT:
		break;
	default:		/* SMI, remote read, reserved: not emulated */
		return 0;
	}
	kvm_vcpu_kick(vcpu);
	return 1;
}

/*
 * Whether @apic is a destination of @irq.  The destination is 32 bits
 * wide only in an ICR written in x2APIC mode; the IOAPIC, MSIs and xAPIC
 * senders use 8 bits, where 0xff is the broadcast for every target.
 */
static bool lapic_matches(struct kvm_lapic *apic, struct kvm_vcpu *src,
			  const struct kvm_apic_irq *irq)
{
	u64 base = lapic_base(apic);
	bool wide, x2 = base & LAPIC_BASE_EXTD;
	u32 dest = irq->dest_id, id, ldr;

	if (!(base & LAPIC_BASE_EN))
		return false;
	switch (irq->shorthand) {
	case APIC_DEST_SELF:
		return apic->vcpu == src;
	case APIC_DEST_ALLINC:
		return true;
	case APIC_DEST_ALLBUT:
		return apic->vcpu != src;
	}

	wide = src && (READ_ONCE(src->arch.apic_base) & LAPIC_BASE_EXTD);
	if (dest == (wide ? 0xffffffffU : 0xffU))
		return true;

	if (!irq->dest_logical) {
		id = lapic_reg(apic, APIC_ID);
		return dest == (x2 ? id : id >> 24);
	}

	ldr = lapic_reg(apic, APIC_LDR);
	if (x2)		/* cluster in bits 31:16, member bitmap in 15:0 */
		return (dest >> 16) == (ldr >> 16) && (dest & ldr & 0xffff);
	if (dest > 0xff)
		return false;
	ldr >>= 24;
	if ((lapic_reg(apic, APIC_DFR) >> 28) == 0xf)	/* flat model */
		return dest & ldr;
	/* Cluster model: cluster 15 addresses every cluster. */
	return ((dest >> 4) == 0xf || (dest >> 4) == (ldr >> 4)) &&
	       (dest & ldr & 0xf);
}

int kvm_apic_deliver(struct kvm *kvm, struct kvm_vcpu *src,
		     const struct kvm_apic_irq *irq)
{
	struct kvm_lapic *apic, *best = NULL;
	struct kvm_vcpu *vcpu;
	u32 key, best_key = U32_MAX;
	unsigned long i, nr = max(atomic_read(&kvm->online_vcpus), 1);
	int n = 0;

	/* INIT level de-assert only resynchronizes arbitration IDs. */
	if (irq->delivery_mode == APIC_DM_INIT && !irq->level)
		return 0;

	kvm_for_each_vcpu(i, vcpu, kvm) {
		apic = READ_ONCE(vcpu->arch.apic);
		if (!apic || !lapic_matches(apic, src, irq))
			continue;
		if (irq->delivery_mode != APIC_DM_LOWEST) {
			n += lapic_accept(apic, irq);
			continue;
		}
		if (!lapic_takes_fixed(apic))
			continue;
		/*
		 * Lowest priority: the lowest TPR wins; ties go round the
		 * vCPUs starting at one that depends on the vector, so that
		 * different interrupts spread over equal candidates.
		 */
		key = (lapic_reg(apic, APIC_TASKPRI) & 0xff) << 16 |
		      (i + nr - irq->vector % nr) % nr;
		if (key < best_key) {
			best_key = key;
			best = apic;
		}
	}
	if (best)
		n += lapic_accept(best, irq);
	return n;
}

/* ---- the vCPU side ---------------------------------------------------- */

int kvm_apic_pending_vector(struct kvm_vcpu *vcpu)
{
	struct kvm_lapic *apic = vcpu->arch.apic;
	int v;

	if (!apic || !lapic_hw_enabled(apic))
		return -1;
	v = vec_highest(apic, APIC_IRR);
	if (v < 0 || prio_class(v) <= prio_class(lapic_reg(apic, APIC_PROCPRI)))
		return -1;
	return v;
}

void kvm_apic_ack(struct kvm_vcpu *vcpu, int vector)
{
	struct kvm_lapic *apic = vcpu->arch.apic;

	if (!apic || vector < 0 || vector > 255)
		return;
	clear_bit(vector & 31, vec_word(apic, APIC_IRR, vector));
	set_bit(vector & 31, vec_word(apic, APIC_ISR, vector));
	lapic_update_ppr(apic);
}

bool kvm_apic_accepts_pic_intr(struct kvm_vcpu *vcpu)
{
	struct kvm_lapic *apic = vcpu->arch.apic;
	u32 lvt0;

	/* Without an (enabled) APIC the PIC drives INTR directly. */
	if (!apic || !lapic_hw_enabled(apic))
		return true;
	lvt0 = lapic_reg(apic, APIC_LVT0);
	return !(lvt0 & APIC_LVT_MASKED) &&
	       (lvt0 & APIC_MODE_MASK) == APIC_DM_EXTINT;
}

bool kvm_apic_take_init(struct kvm_vcpu *vcpu)
{
	struct kvm_lapic *apic = vcpu->arch.apic;

	return apic && test_and_clear_bit(LAPIC_EV_INIT, &apic->events);
}

bool kvm_apic_take_sipi(struct kvm_vcpu *vcpu, u8 *sipi_vector)
{
	struct kvm_lapic *apic = vcpu->arch.apic;

	if (!apic || !test_and_clear_bit(LAPIC_EV_SIPI, &apic->events))
		return false;
	*sipi_vector = READ_ONCE(apic->sipi_vector);
	return true;
}

bool kvm_apic_has_init_sipi(struct kvm_vcpu *vcpu)
{
	struct kvm_lapic *apic = vcpu->arch.apic;

	return apic && (READ_ONCE(apic->events) &
			(BIT(LAPIC_EV_INIT) | BIT(LAPIC_EV_SIPI)));
}

static void lapic_set_tpr(struct kvm_lapic *apic, u32 tpr)
{
	u32 old_ppr = lapic_reg(apic, APIC_PROCPRI);

	lapic_set_reg(apic, APIC_TASKPRI, tpr & 0xff);
	/* A lower priority may unblock a pending interrupt. */
	if (lapic_update_ppr(apic) < old_ppr)
		kvm_make_request(apic->vcpu, KVM_REQ_EVENT);
}

u8 kvm_lapic_get_cr8(struct kvm_vcpu *vcpu)
{
	struct kvm_lapic *apic = vcpu->arch.apic;

	return apic ? (lapic_reg(apic, APIC_TASKPRI) >> 4) & 0xf : 0;
}

void kvm_lapic_set_cr8(struct kvm_vcpu *vcpu, u8 cr8)
{
	struct kvm_lapic *apic = vcpu->arch.apic;

	/*
	 * Synced after every exit: keep TPR bits 3:0 (set through MMIO or
	 * the MSR) unless the guest really moved CR8.
	 */
	if (apic && kvm_lapic_get_cr8(vcpu) != (cr8 & 0xf))
		lapic_set_tpr(apic, (cr8 & 0xf) << 4);
}

static void lapic_eoi(struct kvm_lapic *apic)
{
	int v = vec_highest(apic, APIC_ISR);

	if (v < 0)
		return;
	clear_bit(v & 31, vec_word(apic, APIC_ISR, v));
	lapic_update_ppr(apic);
	if (vec_test(apic, APIC_TMR, v))
		kvm_ioapic_eoi(apic->vcpu->kvm, v);
	kvm_make_request(apic->vcpu, KVM_REQ_EVENT);
}

static void lapic_send_ipi(struct kvm_lapic *apic, u32 icr, u32 dest)
{
	u32 dm = icr & APIC_DM_FIXED_MASK;
	/*
	 * The ICR's trigger mode only qualifies INIT (de-assert); every
	 * other IPI is edge-triggered (SDM).
	 */
	struct kvm_apic_irq irq = {
		.dest_id = dest,
		.delivery_mode = dm,
		.shorthand = icr & APIC_SHORTHAND_MASK,
		.vector = icr & APIC_VECTOR_MASK,
		.dest_logical = icr & APIC_DEST_LOGICAL,
		.level = !(icr & APIC_INT_LEVELTRIG) || (icr & APIC_INT_ASSERT),
	};

	if ((dm == APIC_DM_FIXED || dm == APIC_DM_LOWEST) && irq.vector < 16) {
		lapic_error(apic, APIC_ESR_SENDILL);
		return;
	}
	kvm_apic_deliver(apic->vcpu->kvm, apic->vcpu, &irq);
}

/* ---- register access ---------------------------------------------- */

static u32 lvt_writable(struct kvm_lapic *apic, u32 off)
{
	switch (off) {
	case APIC_LVTT:
		return LVT_COMMON | (guest_has_tsc_deadline(apic->vcpu) ?
				     LAPIC_LVTT_MODE_MASK :
				     APIC_LVT_TIMER_PERIODIC);
	case APIC_LVTTHMR:
	case APIC_LVTPC:
		return LVT_COMMON | APIC_MODE_MASK;
	case APIC_LVT0:
	case APIC_LVT1:
		return LVT_COMMON | APIC_MODE_MASK | APIC_INPUT_POLARITY |
		       APIC_LVT_LEVEL_TRIGGER;
	default:		/* APIC_LVTERR */
		return LVT_COMMON;
	}
}

static void lapic_write_lvt(struct kvm_lapic *apic, u32 off, u32 val)
{
	u32 old = lapic_reg(apic, off);

	val &= lvt_writable(apic, off);
	/* A software-disabled APIC keeps every LVT masked (SDM). */
	if (!lapic_sw_enabled(apic))
		val |= APIC_LVT_MASKED;
	lapic_set_reg(apic, off, val);
	if (off == APIC_LVTT)
		lapic_timer_lvtt_written(apic, old, val);
	else if (off == APIC_LVT0)	/* may now take the PIC's interrupt */
		kvm_make_request(apic->vcpu, KVM_REQ_EVENT);
}

static void lapic_write_svr(struct kvm_lapic *apic, u32 val)
{
	u32 old = lapic_reg(apic, APIC_SPIV);
	int i;

	val &= APIC_SVR_WRITABLE;
	lapic_set_reg(apic, APIC_SPIV, val);
	if (!(val & APIC_SPIV_APIC_ENABLED)) {
		for (i = 0; i < ARRAY_SIZE(lapic_lvts); i++)
			lapic_set_reg(apic, lapic_lvts[i],
				      lapic_reg(apic, lapic_lvts[i]) |
				      APIC_LVT_MASKED);
	} else if (!(old & APIC_SPIV_APIC_ENABLED)) {
		kvm_make_request(apic->vcpu, KVM_REQ_EVENT);
	}
}

/*
 * A register read at 16-byte aligned @off.  False when there is nothing
 * to read there in x2APIC mode (#GP); xAPIC reads of write-only and
 * reserved offsets return 0.
 */
static bool lapic_read(struct kvm_lapic *apic, u32 off, u32 *val, bool x2)
{
	*val = 0;
	switch (off) {
	case APIC_ID:
	case APIC_LVR:
	case APIC_TASKPRI:
	case APIC_PROCPRI:
	case APIC_LDR:
	case APIC_SPIV:
	case APIC_ISR ... APIC_IRR + 0x70:
	case APIC_ESR:
	case APIC_ICR:
	case APIC_LVTT ... APIC_LVTERR:
	case APIC_TMICT:
	case APIC_TDCR:
		*val = lapic_reg(apic, off);
		return true;
	case APIC_TMCCT:
		*val = lapic_timer_current_count(apic);
		return true;
	case APIC_ARBPRI:
		if (x2)
			return false;
		*val = lapic_apr(apic);
		return true;
	case APIC_DFR:
	case APIC_ICR2:
		if (x2)
			return false;
		*val = lapic_reg(apic, off);
		return true;
	default:
		return !x2;
	}
}

/*
 * A register write at 16-byte aligned @off; the x2APIC ICR is handled
 * by the MSR path.  False for a write that faults in x2APIC mode (xAPIC
 * ignores those).  @strict: a guest's x2APIC write, where set reserved
 * bits fault too; elsewhere they are dropped.
 */
static bool lapic_write(struct kvm_lapic *apic, u32 off, u32 val, bool x2,
			bool strict)
{
	switch (off) {
	case APIC_ID:
		if (x2)
			return false;
		lapic_set_reg(apic, APIC_ID, val & XAPIC_ID_MASK);
		return true;
	case APIC_TASKPRI:
		if (strict && (val & ~0xffU))
			return false;
		lapic_set_tpr(apic, val);
		return true;
	case APIC_EOI:
		if (strict && val)
			return false;
		lapic_eoi(apic);
		return true;
	case APIC_LDR:
		if (x2)
			return false;
		lapic_set_reg(apic, APIC_LDR, val & XAPIC_DEST_MASK);
		return true;
	case APIC_DFR:
		if (x2)
			return false;
		lapic_set_reg(apic, APIC_DFR, val | APIC_DFR_CLUSTER);
		return true;
	case APIC_SPIV:
		lapic_write_svr(apic, val);
		return true;
	case APIC_ESR:
		if (strict && val)
			return false;
		/* Latch the errors seen since the last write. */
		lapic_set_reg(apic, APIC_ESR,
			      atomic_xchg(&apic->esr_pending, 0));
		return true;
	case APIC_ICR:
		if (x2)
			return false;
		val &= ~APIC_ICR_BUSY;	/* delivery is instantaneous */
		lapic_set_reg(apic, APIC_ICR, val);
		lapic_send_ipi(apic, val, lapic_reg(apic, APIC_ICR2) >> 24);
		return true;
	case APIC_ICR2:
		if (x2)
			return false;
		lapic_set_reg(apic, APIC_ICR2, val & XAPIC_DEST_MASK);
		return true;
	case APIC_LVTT ... APIC_LVTERR:
		lapic_write_lvt(apic, off, val);
		return true;
	case APIC_TMICT:
		/* Ignored in TSC-deadline mode (SDM). */
		if (lapic_lvtt_mode(lapic_reg(apic, APIC_LVTT)) ==
		    LAPIC_TIMER_TSCDEADLINE)
			return true;
		lapic_set_reg(apic, APIC_TMICT, val);
		lapic_timer_restart(apic);
		return true;
	case APIC_TDCR:
		/* A running count keeps the divide it started with. */
		lapic_set_reg(apic, APIC_TDCR, val & APIC_TDCR_WRITABLE);
		return true;
	case APIC_SELF_IPI:
		if (!x2)
			return true;	/* x2APIC only */
		if (strict && (val & ~APIC_VECTOR_MASK))
			return false;
		lapic_raise(apic, val & APIC_VECTOR_MASK, false);
		return true;
	default:	/* read-only or reserved */
		return !x2;
	}
}

bool kvm_lapic_mmio(struct kvm_vcpu *vcpu, gpa_t gpa, void *val,
		    unsigned int len, bool write)
{
	struct kvm_lapic *apic = vcpu->arch.apic;
	u64 base = vcpu->arch.apic_base, addr = LAPIC_BASE_ADDR(base);
	u8 slot[16] = { };
	u32 off, r;

	if (!apic || !(base & LAPIC_BASE_EN))
		return false;
	if (gpa < addr || gpa - addr >= PAGE_SIZE)
		return false;
	off = gpa - addr;
	/* In x2APIC mode the page stays KVM's: reads all ones (in-tree). */
	if (base & LAPIC_BASE_EXTD) {
		if (!write)
			memset(val, 0xff, len);
		return true;
	}

	if (write) {
		/* Only aligned 32-bit writes reach a register. */
		if (len == 4 && !(off & 0xf)) {
			memcpy(&r, val, 4);
			lapic_write(apic, off, r, false, false);
		}
		return true;
	}
	memset(val, 0, len);
	/* Bytes of one 16-byte slot; the 12 above the register read 0. */
	if ((len == 1 || len == 2 || len == 4) && (off & 0xf) + len <= 16) {
		lapic_read(apic, off & ~0xfU, &r, false);
		memcpy(slot, &r, 4);
		memcpy(val, slot + (off & 0xf), len);
	}
	return true;
}

/* ---- RESET, INIT and the APIC base MSR --------------------------------- */

/* Registers as after RESET/INIT (SDM), with @id in the ID register. */
static void lapic_reset_regs(struct kvm_lapic *apic, u32 id)
{
	u64 base = apic->vcpu->arch.apic_base;
	int i;

	lapic_timer_stop(apic, true);
	memset(apic->regs, 0, PAGE_SIZE);
	lapic_set_reg(apic, APIC_ID, id);
	lapic_set_reg(apic, APIC_LVR, LAPIC_VERSION);
	lapic_set_reg(apic, APIC_DFR, 0xffffffffU);
	lapic_set_reg(apic, APIC_SPIV, 0xff);
	for (i = 0; i < ARRAY_SIZE(lapic_lvts); i++)
		lapic_set_reg(apic, lapic_lvts[i], APIC_LVT_MASKED);
	/* As in-tree: the BSP takes the PIC's interrupts before setup. */
	if (base & LAPIC_BASE_BSP)
		lapic_set_reg(apic, APIC_LVT0, APIC_DM_EXTINT);
	if (base & LAPIC_BASE_EXTD)
		lapic_set_reg(apic, APIC_LDR, x2apic_ldr(id));
	atomic_set(&apic->esr_pending, 0);
	lapic_update_ppr(apic);
	kvm_make_request(apic->vcpu, KVM_REQ_EVENT);
}

void kvm_lapic_reset(struct kvm_vcpu *vcpu, bool init)
{
	struct kvm_lapic *apic = vcpu->arch.apic;
	u32 id;

	if (!apic)
		return;
	if (init) {
		id = lapic_reg(apic, APIC_ID);
	} else {
		id = lapic_x2apic(apic) ? vcpu->vcpu_id : vcpu->vcpu_id << 24;
		/* INIT/SIPI in flight are for the previous life. */
		clear_bit(LAPIC_EV_INIT, &apic->events);
		clear_bit(LAPIC_EV_SIPI, &apic->events);
	}
	lapic_reset_regs(apic, id);
}

static int lapic_set_base(struct kvm_vcpu *vcpu, u64 val, bool host)
{
	struct kvm_lapic *apic = vcpu->arch.apic;
	u64 old = vcpu->arch.apic_base;
	u64 rsvd = GENMASK_ULL(7, 0) | BIT_ULL(9) |
		   ~GENMASK_ULL(boot_cpu_data.x86_phys_bits - 1, 0);
	bool was_en = old & LAPIC_BASE_EN, en = val & LAPIC_BASE_EN;
	bool was_x2 = old & LAPIC_BASE_EXTD, x2 = val & LAPIC_BASE_EXTD;
	u32 id = lapic_reg(apic, APIC_ID);

	if (!host && !guest_has_x2apic(vcpu))
		rsvd |= LAPIC_BASE_EXTD;
	if ((val & rsvd) || (x2 && !en))
		return KVM_MSR_INVALID;
	/* x2APIC is left only through disabled, and entered from xAPIC. */
	if (!host && ((was_x2 && en && !x2) || (!was_en && x2)))
		return KVM_MSR_INVALID;

	WRITE_ONCE(vcpu->arch.apic_base, val);
	if (was_en && !en) {
		/*
		 * Disabled: registers back to their RESET values except the
		 * ID, which the SDM keeps (its xAPIC byte, for re-enabling).
		 */
		lapic_reset_regs(apic, was_x2 ? id << 24 : id);
	} else if (x2 && !was_x2) {
		lapic_set_reg(apic, APIC_ID, vcpu->vcpu_id);
		lapic_set_reg(apic, APIC_LDR, x2apic_ldr(vcpu->vcpu_id));
	} else if (en && was_x2 && !x2) {
		/* Only the host gets here; give xAPIC a valid ID and LDR. */
		lapic_set_reg(apic, APIC_ID, id << 24);
		lapic_set_reg(apic, APIC_LDR, 0);
	}
	if (val != old)
		kvm_make_request(vcpu, KVM_REQ_EVENT);
	return KVM_MSR_OK;
}

/* ---- MSRs ------------------------------------------------------------ */

/* The register behind an x2APIC MSR: KVM_MSR_OK and @off, or why not. */
static int x2apic_reg(struct kvm_lapic *apic, u32 index, u32 *off)
{
	if (index < X2APIC_MSR_FIRST || index > X2APIC_MSR_LAST)
		return KVM_MSR_UNKNOWN;
	if (!lapic_x2apic(apic))
		return KVM_MSR_INVALID;
	*off = (index - X2APIC_MSR_FIRST) << 4;
	return KVM_MSR_OK;
}

int kvm_lapic_get_msr(struct kvm_vcpu *vcpu, u32 index, u64 *data,
		      bool host)
{
	struct kvm_lapic *apic = vcpu->arch.apic;
	u32 off, val;
	int r;

	if (!apic)
		return KVM_MSR_UNKNOWN;
	if (index == MSR_IA32_APICBASE) {
		*data = vcpu->arch.apic_base;
		return KVM_MSR_OK;
	}
	if (index == MSR_IA32_TSC_DEADLINE) {
		if (!host && !guest_has_tsc_deadline(vcpu))
			return KVM_MSR_INVALID;
		*data = lapic_timer_get_deadline(apic, host);
		return KVM_MSR_OK;
	}
	r = x2apic_reg(apic, index, &off);
	if (r != KVM_MSR_OK)
		return r;
	if (off == APIC_ICR) {
		*data = lapic_reg(apic, APIC_ICR) |
			(u64)lapic_reg(apic, APIC_ICR2) << 32;
		return KVM_MSR_OK;
	}
	if (!lapic_read(apic, off, &val, true))
		return KVM_MSR_INVALID;
	*data = val;
	return KVM_MSR_OK;
}

int kvm_lapic_set_msr(struct kvm_vcpu *vcpu, u32 index, u64 data,
		      bool host)
{
	struct kvm_lapic *apic = vcpu->arch.apic;
	u32 off;
	int r;

	if (!apic)
		return KVM_MSR_UNKNOWN;
	if (index == MSR_IA32_APICBASE)
		return lapic_set_base(vcpu, data, host);
	if (index == MSR_IA32_TSC_DEADLINE) {
		if (!host && !guest_has_tsc_deadline(vcpu))
			return KVM_MSR_INVALID;
		lapic_timer_set_deadline(apic, data, host);
		return KVM_MSR_OK;
	}
	r = x2apic_reg(apic, index, &off);
	if (r != KVM_MSR_OK)
		return r;
	if (off == APIC_ICR) {
		/* One 64-bit register; bits 63:32 are the destination. */
		data &= ~(u64)APIC_ICR_BUSY;
		lapic_set_reg(apic, APIC_ICR, data);
		lapic_set_reg(apic, APIC_ICR2, data >> 32);
		lapic_send_ipi(apic, data, data >> 32);
		return KVM_MSR_OK;
	}
	/* Bits 63:32 of every other x2APIC register are reserved. */
	if (!host && (data >> 32))
		return KVM_MSR_INVALID;
	return lapic_write(apic, off, data, true, !host) ? KVM_MSR_OK :
							    KVM_MSR_INVALID;
}

/* ---- KVM_GET/SET_LAPIC ---------------------------------------------- */

static void state_set(struct kvm_lapic_state *s, u32 off, u32 val)
{
	memcpy(s->regs + off, &val, sizeof(val));
}

void kvm_lapic_get_state(struct kvm_vcpu *vcpu, struct kvm_lapic_state *s)
{
	struct kvm_lapic *apic = vcpu->arch.apic;

	if (!apic)
		return;
	memcpy(s->regs, apic->regs, sizeof(s->regs));
	state_set(s, APIC_TMCCT, lapic_timer_current_count(apic));
	/* Without KVM_CAP_X2APIC_API the ID is in xAPIC format. */
	if (lapic_x2apic(apic))
		state_set(s, APIC_ID, lapic_reg(apic, APIC_ID) << 24);
}

int kvm_lapic_set_state(struct kvm_vcpu *vcpu,
			const struct kvm_lapic_state *s)
{
	struct kvm_lapic *apic = vcpu->arch.apic;
	u32 id;

	if (!apic)
		return -EINVAL;
	lapic_timer_stop(apic, false);
	memcpy(apic->regs, s->regs, sizeof(s->regs));
	/* Read-only to everyone: the model we emulate. */
	lapic_set_reg(apic, APIC_LVR, LAPIC_VERSION);
	lapic_set_reg(apic, APIC_ICR,
		      lapic_reg(apic, APIC_ICR) & ~APIC_ICR_BUSY);
	if (lapic_x2apic(apic)) {
		/*
		 * The state carries only the ID's low byte; keep the upper
		 * bits of an x2APIC ID above 255 when that byte matches.
		 */
		id = lapic_reg(apic, APIC_ID) >> 24;
		if (id == (vcpu->vcpu_id & 0xff))
			id = vcpu->vcpu_id;
		lapic_set_reg(apic, APIC_ID, id);
		lapic_set_reg(apic, APIC_LDR, x2apic_ldr(id));
	}
	lapic_update_ppr(apic);
	if (lapic_hw_enabled(apic))
		lapic_timer_restart(apic);
	kvm_make_request(vcpu, KVM_REQ_EVENT);
	return 0;
}

/* ---- lifetime -------------------------------------------------------- */

int kvm_lapic_create(struct kvm_vcpu *vcpu)
{
	struct kvm_lapic *apic;

	apic = kzalloc(sizeof(*apic), GFP_KERNEL_ACCOUNT);
	if (!apic)
		return -ENOMEM;
	apic->regs = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!apic->regs) {
		kfree(apic);
		return -ENOMEM;
	}
	apic->vcpu = vcpu;
	lapic_timer_init(apic);
	vcpu->arch.apic = apic;
	/* A consistent state even before the x86 layer's RESET. */
	kvm_lapic_reset(vcpu, false);
	return 0;
}

void kvm_lapic_free(struct kvm_vcpu *vcpu)
{
	struct kvm_lapic *apic = vcpu->arch.apic;

	if (!apic)
		return;
	WRITE_ONCE(vcpu->arch.apic, NULL);
	hrtimer_cancel(&apic->timer.hrt);
	free_page((unsigned long)apic->regs);
	kfree(apic);
}
