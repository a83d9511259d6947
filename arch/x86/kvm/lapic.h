/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internals of the in-kernel local APIC shared by lapic.c (registers,
 * priorities, delivery, MSRs, MMIO) and lapic_timer.c (the APIC timer).
 * The interface to the rest of KVM is irq.h.
 */
#ifndef ARCH_X86_KVM_LAPIC_H
#define ARCH_X86_KVM_LAPIC_H

#include <linux/hrtimer.h>
#include <linux/atomic.h>
#include <asm/apicdef.h>

#include "x86.h"
#include "irq.h"

/* IA32_APIC_BASE bits. */
#define LAPIC_BASE_BSP		BIT_ULL(8)
#define LAPIC_BASE_EXTD		BIT_ULL(10)	/* x2APIC mode */
#define LAPIC_BASE_EN		BIT_ULL(11)
#define LAPIC_BASE_ADDR(b)	((b) & ~0xfffULL)

/* LVT timer mode field (bits 18:17) and our names for its values. */
#define LAPIC_LVTT_MODE_MASK	(3U << 17)
enum {
	LAPIC_TIMER_ONESHOT,
	LAPIC_TIMER_PERIODIC,
	LAPIC_TIMER_TSCDEADLINE,
};

struct kvm_lapic_timer {
	struct hrtimer hrt;
	/*
	 * How the armed timer runs.  Set by the vCPU thread only while the
	 * hrtimer is stopped; read by the callback.
	 */
	int mode;
	u32 tmict;		/* initial count it started from */
	u32 shift;		/* log2 of the divide value it started with */
	u64 period_ns;		/* one period, for periodic mode */
	u64 tsc_deadline;	/* IA32_TSC_DEADLINE; the callback zeroes it */
};

/* Bits of kvm_lapic.events, set by senders, taken by the vCPU. */
enum {
	LAPIC_EV_INIT,
	LAPIC_EV_SIPI,
};

struct kvm_lapic {
	struct kvm_vcpu *vcpu;
	/*
	 * The registers at their architectural offsets (one 32-bit register
	 * per 16 bytes).  In x2APIC mode the ID is the full 32-bit x2APIC ID
	 * and 0x310 holds ICR bits 63:32.
	 */
	void *regs;
	struct kvm_lapic_timer timer;
	atomic_t esr_pending;	/* errors since the last ESR write */
	unsigned long events;
	u8 sipi_vector;		/* of the last SIPI; valid once EV_SIPI is set */
};

static inline u32 *lapic_reg_ptr(struct kvm_lapic *apic, u32 off)
{
	return apic->regs + off;
}

/* Other contexts read registers the vCPU thread may be writing. */
static inline u32 lapic_reg(struct kvm_lapic *apic, u32 off)
{
	return READ_ONCE(*lapic_reg_ptr(apic, off));
}

static inline void lapic_set_reg(struct kvm_lapic *apic, u32 off, u32 val)
{
	WRITE_ONCE(*lapic_reg_ptr(apic, off), val);
}

static inline int lapic_lvtt_mode(u32 lvtt)
{
	/* The reserved encoding 3 counts as one-shot. */
	return (lvtt & LAPIC_LVTT_MODE_MASK) == APIC_LVT_TIMER_PERIODIC ?
	       LAPIC_TIMER_PERIODIC :
	       (lvtt & LAPIC_LVTT_MODE_MASK) == APIC_LVT_TIMER_TSCDEADLINE ?
	       LAPIC_TIMER_TSCDEADLINE : LAPIC_TIMER_ONESHOT;
}

/* lapic.c: make @vector pending as a fixed interrupt (any context). */
int lapic_raise(struct kvm_lapic *apic, u8 vector, bool level);

/* lapic_timer.c; all but the callback run in the vCPU thread. */
void lapic_timer_init(struct kvm_lapic *apic);
/* Stop counting; @clear_deadline also disarms IA32_TSC_DEADLINE. */
void lapic_timer_stop(struct kvm_lapic *apic, bool clear_deadline);
/* (Re)start from TMICT/TDCR or the deadline, per the LVTT mode. */
void lapic_timer_restart(struct kvm_lapic *apic);
void lapic_timer_lvtt_written(struct kvm_lapic *apic, u32 old, u32 val);
u32 lapic_timer_current_count(struct kvm_lapic *apic);
u64 lapic_timer_get_deadline(struct kvm_lapic *apic, bool host);
void lapic_timer_set_deadline(struct kvm_lapic *apic, u64 data, bool host);

#endif
