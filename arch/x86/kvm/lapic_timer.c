// SPDX-License-Identifier: GPL-2.0-only
/*
 * The local APIC timer: one-shot, periodic and TSC-deadline modes, on a
 * host hrtimer that expires in hard-irq context.
 *
 * The APIC bus clock is 1 GHz, as in-tree: one count of a timer with
 * divide value 1 lasts 1 ns.  Only the vCPU thread starts and stops the
 * hrtimer, always cancelling it (waiting for a running callback) before
 * it changes the timer's parameters, so the callback sees them stable.
 */
#include <linux/math64.h>
#include <linux/minmax.h>
#include <asm/tsc.h>

#include "lapic.h"

/* A guest could otherwise keep a host CPU busy with interrupts. */
#define LAPIC_MIN_PERIOD_NS	100000ULL
/* Deadlines further out than this (~31 years) are as good as never. */
#define LAPIC_FAR_FUTURE_MS	1000000000000ULL

static enum hrtimer_restart lapic_timer_fire(struct hrtimer *hrt)
{
	struct kvm_lapic *apic = container_of(hrt, struct kvm_lapic,
					      timer.hrt);
	struct kvm_lapic_timer *t = &apic->timer;
	u32 lvtt = lapic_reg(apic, APIC_LVTT);

	/* A masked timer keeps counting; it just does not interrupt. */
	if (!(lvtt & APIC_LVT_MASKED))
		lapic_raise(apic, lvtt & APIC_VECTOR_MASK, false);

	if (t->mode == LAPIC_TIMER_PERIODIC) {
		hrtimer_forward_now(hrt, ns_to_ktime(t->period_ns));
		return HRTIMER_RESTART;
	}
	/* The SDM: an expired deadline disarms itself (MSR reads 0). */
	if (t->mode == LAPIC_TIMER_TSCDEADLINE)
		WRITE_ONCE(t->tsc_deadline, 0);
	return HRTIMER_NORESTART;
}

void lapic_timer_init(struct kvm_lapic *apic)
{
	hrtimer_init(&apic->timer.hrt, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_HARD);
	apic->timer.hrt.function = lapic_timer_fire;
}

void lapic_timer_stop(struct kvm_lapic *apic, bool clear_deadline)
{
	hrtimer_cancel(&apic->timer.hrt);
	if (clear_deadline)
		WRITE_ONCE(apic->timer.tsc_deadline, 0);
}

/* TDCR bits 3,1:0 encode divide by 2, 4, ... 128, and 111b = by 1. */
static u32 tdcr_shift(u32 tdcr)
{
	u32 code = ((tdcr >> 1) & 4) | (tdcr & 3);

	return (code + 1) & 7;
}

/* Guest TSC cycles to ns at the guest's TSC frequency. */
static u64 tsc_delta_to_ns(u64 delta, u32 khz)
{
	if (div_u64(delta, khz) >= LAPIC_FAR_FUTURE_MS)
		return LAPIC_FAR_FUTURE_MS * NSEC_PER_MSEC;
	return mul_u64_u32_div(delta, NSEC_PER_MSEC, khz);
}

static void lapic_arm_deadline(struct kvm_lapic *apic)
{
	struct kvm_vcpu *vcpu = apic->vcpu;
	struct kvm_lapic_timer *t = &apic->timer;
	u64 deadline = READ_ONCE(t->tsc_deadline), guest_tsc, ns = 0;
	u32 khz = vcpu->arch.tsc_khz ?: tsc_khz;
	ktime_t now;

	t->mode = LAPIC_TIMER_TSCDEADLINE;
	if (!deadline)
		return;
	now = ktime_get();
	guest_tsc = kvm_read_guest_tsc(vcpu);
	/* A deadline already passed fires at once. */
	if (deadline > guest_tsc && khz)
		ns = tsc_delta_to_ns(deadline - guest_tsc, khz);
	hrtimer_start(&t->hrt, ktime_add_ns(now, ns), HRTIMER_MODE_ABS_HARD);
}

void lapic_timer_restart(struct kvm_lapic *apic)
{
	struct kvm_lapic_timer *t = &apic->timer;
	u64 ns;

	hrtimer_cancel(&t->hrt);
	t->mode = lapic_lvtt_mode(lapic_reg(apic, APIC_LVTT));
	if (t->mode == LAPIC_TIMER_TSCDEADLINE) {
		lapic_arm_deadline(apic);
		return;
	}
	t->tmict = lapic_reg(apic, APIC_TMICT);
	t->shift = tdcr_shift(lapic_reg(apic, APIC_TDCR));
	if (!t->tmict)
		return;		/* a zero initial count stops the timer */
	ns = (u64)t->tmict << t->shift;
	if (t->mode == LAPIC_TIMER_PERIODIC)
		ns = max(ns, LAPIC_MIN_PERIOD_NS);
	t->period_ns = ns;
	hrtimer_start(&t->hrt, ktime_add_ns(ktime_get(), ns),
		      HRTIMER_MODE_ABS_HARD);
}

/* Per the SDM, a new timer mode disarms the timer. */
void lapic_timer_lvtt_written(struct kvm_lapic *apic, u32 old, u32 val)
{
	int old_mode = lapic_lvtt_mode(old), mode = lapic_lvtt_mode(val);
	bool deadline = old_mode == LAPIC_TIMER_TSCDEADLINE ||
			mode == LAPIC_TIMER_TSCDEADLINE;

	if (old_mode != mode)
		lapic_timer_stop(apic, deadline);
}

/* TMCCT: what is left of the running period, in (divided) counts. */
u32 lapic_timer_current_count(struct kvm_lapic *apic)
{
	struct kvm_lapic_timer *t = &apic->timer;
	s64 rem;

	if (lapic_lvtt_mode(lapic_reg(apic, APIC_LVTT)) ==
	    LAPIC_TIMER_TSCDEADLINE || !hrtimer_active(&t->hrt))
		return 0;
	rem = ktime_to_ns(hrtimer_get_remaining(&t->hrt));
	if (rem <= 0)
		return 0;
	/* The minimum period may make a period longer than TMICT counts. */
	return min_t(u64, (u64)rem >> t->shift, t->tmict);
}

/* Guest reads outside TSC-deadline mode see 0, as writes are ignored. */
u64 lapic_timer_get_deadline(struct kvm_lapic *apic, bool host)
{
	if (!host && lapic_lvtt_mode(lapic_reg(apic, APIC_LVTT)) !=
		     LAPIC_TIMER_TSCDEADLINE)
		return 0;
	return READ_ONCE(apic->timer.tsc_deadline);
}

/*
 * The host may restore the MSR before or after the LVTT (KVM_SET_MSRS
 * vs KVM_SET_LAPIC), so its value is kept in any mode and armed once
 * the LVTT selects TSC-deadline mode.
 */
void lapic_timer_set_deadline(struct kvm_lapic *apic, u64 data, bool host)
{
	bool armed = lapic_lvtt_mode(lapic_reg(apic, APIC_LVTT)) ==
		     LAPIC_TIMER_TSCDEADLINE;

	if (!armed && !host)
		return;
	lapic_timer_stop(apic, false);
	WRITE_ONCE(apic->timer.tsc_deadline, data);
	if (armed)
		lapic_arm_deadline(apic);
}
