// SPDX-License-Identifier: GPL-2.0-only
/*
 * The in-kernel local APIC as a 64-bit guest sees it: xAPIC registers at
 * 0xfee00000 (reached through the identity map; no memslot covers them),
 * software enable, the timer (one-shot, periodic, masked, current
 * count), task priority, self-IPIs and their priority order, HLT waiting
 * in the kernel for the timer, x2APIC mode through IA32_APIC_BASE, and
 * IPIs between vCPUs: INIT/SIPI to start an AP, fixed IPIs.
 *
 * The guests are scripts (kvmt_script.h); vectors they take are reported
 * by the stubs of kvmt_setup_idt().  The in-tree timer counts at 1 GHz
 * (1 ns per APIC bus cycle) and the tests rely on that only for lower
 * bounds; the emulated hosts are slow, so nothing has an upper bound
 * below the harness's own timeout.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "kvmt_test.h"
#include "kvmt_irq.h"

KVMT_GUEST(real_ap);

#define MS		1000000U	/* APIC timer ticks (divide by 1) */

#define NMI_VECTOR	2
#define GP_VECTOR	13

#define MSR_IA32_TSC		0x10
#define MSR_IA32_TSC_DEADLINE	0x6e0

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Run to the script's next read and check the value read. */
#define RUN_TO_READ_EQ(vcpu, want) do {					\
	uint64_t __v;							\
	RUN_TO_READ(vcpu, __v);						\
	EXPECT_EQ((uint64_t)(want), __v);				\
} while (0)

FIXTURE(lapic) {
	struct kvmt_vm *vm;
	struct kvmt_vcpu *vcpu;
};

FIXTURE_SETUP(lapic)
{
	KVMT_REQUIRE_KVM();
	self->vm = kvmt_irqchip_vm_new();
	self->vcpu = kvmt_script_vcpu_new(self->vm, 0);
}

FIXTURE_TEARDOWN(lapic)
{
	kvmt_vm_free(self->vm);
}

/*
 * Registers through MMIO: ID, version, SVR.  While the APIC is software
 * disabled an LVT's mask bit cannot be cleared (SDM 11.4.7.2); once SVR
 * bit 8 is set it can.  The version register ignores writes; PPR follows
 * TPR; CR8 is TPR bits 7:4.
 */
TEST_F(lapic, mmio_registers)
{
	static const struct kvmt_step s[] = {
		S_APIC_R(APIC_ID),
		S_APIC_R(APIC_LVR),
		S_APIC_R(APIC_SPIV),
		S_APIC_W(APIC_LVTT, 0x40),
		S_APIC_R(APIC_LVTT),
		S_APIC_ENABLE(),
		S_APIC_R(APIC_SPIV),
		S_APIC_W(APIC_LVTT, 0x40),
		S_APIC_R(APIC_LVTT),
		S_APIC_W(APIC_LVR, 0),
		S_APIC_R(APIC_LVR),
		S_APIC_W(APIC_TASKPRI, 0x30),
		S_APIC_R(APIC_TASKPRI),
		S_APIC_R(APIC_PROCPRI),
		S_END(),
	};
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct kvm_lapic_state ls;
	struct kvm_sregs sregs;

	KVMT_SCRIPT(vcpu, s);
	RUN_TO_READ_EQ(vcpu, 0);
	RUN_TO_READ_EQ(vcpu, 0x50014);
	RUN_TO_READ_EQ(vcpu, 0xff);
	RUN_TO_READ_EQ(vcpu, APIC_LVT_MASKED | 0x40);
	RUN_TO_READ_EQ(vcpu, APIC_SPIV_ENABLE | 0xff);
	RUN_TO_READ_EQ(vcpu, 0x40);
	RUN_TO_READ_EQ(vcpu, 0x50014);
	RUN_TO_READ_EQ(vcpu, 0x30);
	RUN_TO_READ_EQ(vcpu, 0x30);
	RUN_TO_END(vcpu);

	/* KVM_GET_LAPIC sees what the guest wrote. */
	kvmt_get_lapic(vcpu, &ls);
	EXPECT_EQ(APIC_SPIV_ENABLE | 0xff, kvmt_lapic_reg(&ls, APIC_SPIV));
	EXPECT_EQ(0x40U, kvmt_lapic_reg(&ls, APIC_LVTT));
	EXPECT_EQ(0x30U, kvmt_lapic_reg(&ls, APIC_TASKPRI));
	kvmt_get_sregs(vcpu, &sregs);
	EXPECT_EQ(3ULL, sregs.cr8);
}

/*
 * One-shot timer: it fires its vector once, the vector is in service
 * (ISR) while the handler runs, the current count is 0 afterwards, and
 * the EOI clears ISR.
 */
TEST_F(lapic, timer_oneshot)
{
	static const struct kvmt_step s[] = {
		S_APIC_ENABLE(),
		S_APIC_W(APIC_TDCR, APIC_TDCR_DIV1),
		S_APIC_W(APIC_LVTT, 0x40),
		S_APIC_W(APIC_TMICT, MS),
		S_STI_HLT(),
		S_CLI(),
		S_APIC_R(APIC_TMCCT),
		S_EOI(),
		S_MARK(1),
		/* Nothing else comes. */
		S_STI(),
		S_SPIN(100000),
		S_CLI(),
		S_MARK(2),
		S_END(),
	};
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct kvm_lapic_state ls;

	KVMT_SCRIPT(vcpu, s);
	RUN_TO_VECTOR(vcpu, 0x40);
	kvmt_get_lapic(vcpu, &ls);
	EXPECT_TRUE(kvmt_lapic_bit(&ls, APIC_ISR, 0x40));
	EXPECT_FALSE(kvmt_lapic_bit(&ls, APIC_IRR, 0x40));
	EXPECT_FALSE(kvmt_lapic_bit(&ls, APIC_TMR, 0x40));
	EXPECT_EQ(0x40U, kvmt_lapic_reg(&ls, APIC_PROCPRI));
	RUN_TO_READ_EQ(vcpu, 0);
	RUN_TO_MARK(vcpu, 1);
	kvmt_get_lapic(vcpu, &ls);
	EXPECT_FALSE(kvmt_lapic_bit(&ls, APIC_ISR, 0x40));
	EXPECT_EQ(0U, kvmt_lapic_reg(&ls, APIC_PROCPRI));
	RUN_TO_MARK(vcpu, 2);
	RUN_TO_END(vcpu);
}

/* Periodic timer: the vector again and again until TMICT is cleared. */
TEST_F(lapic, timer_periodic)
{
	static const struct kvmt_step s[] = {
		S_APIC_ENABLE(),
		S_APIC_W(APIC_TDCR, APIC_TDCR_DIV1),
		S_APIC_W(APIC_LVTT, APIC_LVT_TIMER_PERIODIC | 0x41),
		S_APIC_W(APIC_TMICT, MS),
		S_STI_HLT(), S_CLI(), S_EOI(), S_MARK(1),
		S_STI_HLT(), S_CLI(), S_EOI(), S_MARK(2),
		S_STI_HLT(), S_CLI(), S_EOI(), S_MARK(3),
		/* Still counting, within the period. */
		S_APIC_R(APIC_TMCCT),
		S_APIC_W(APIC_TMICT, 0),
		S_APIC_R(APIC_TMCCT),
		S_END(),
	};
	struct kvmt_vcpu *vcpu = self->vcpu;
	uint64_t count;

	KVMT_SCRIPT(vcpu, s);
	RUN_TO_VECTOR(vcpu, 0x41);
	RUN_TO_MARK(vcpu, 1);
	RUN_TO_VECTOR(vcpu, 0x41);
	RUN_TO_MARK(vcpu, 2);
	RUN_TO_VECTOR(vcpu, 0x41);
	RUN_TO_MARK(vcpu, 3);
	/*
	 * 0 is possible: in-tree reads 0 between a period's end and the
	 * reload of the next, which a slow host can make long.
	 */
	RUN_TO_READ(vcpu, count);
	EXPECT_GE((uint64_t)MS, count);
	/* Writing 0 to the initial count stops the timer. */
	RUN_TO_READ_EQ(vcpu, 0);
	RUN_TO_END(vcpu);
}

/*
 * A masked timer counts down to 0 like any other but sets no IRR bit and
 * interrupts nobody.
 */
TEST_F(lapic, timer_masked)
{
	static const struct kvmt_step s[] = {
		S_APIC_ENABLE(),
		S_APIC_W(APIC_TDCR, APIC_TDCR_DIV1),
		S_APIC_W(APIC_LVTT, APIC_LVT_MASKED | 0x42),
		S_APIC_W(APIC_TMICT, MS),
		S_STI(),
		S_WAIT(APIC_MMIO(APIC_TMCCT), ~0U, 0),
		S_SPIN(100000),
		S_CLI(),
		S_MARK(1),
		S_END(),
	};
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct kvm_lapic_state ls;

	KVMT_SCRIPT(vcpu, s);
	RUN_TO_MARK(vcpu, 1);
	kvmt_get_lapic(vcpu, &ls);
	EXPECT_FALSE(kvmt_lapic_bit(&ls, APIC_IRR, 0x42));
	EXPECT_FALSE(kvmt_lapic_bit(&ls, APIC_ISR, 0x42));
	EXPECT_EQ(0U, kvmt_lapic_reg(&ls, APIC_TMCCT));
	RUN_TO_END(vcpu);
}

/*
 * The current count runs down from the initial count, more slowly with
 * a larger divider, and a new initial count of 0 stops it at 0.
 */
TEST_F(lapic, timer_current_count)
{
	static const struct kvmt_step s[] = {
		S_APIC_ENABLE(),
		S_APIC_W(APIC_TDCR, APIC_TDCR_DIV1),
		S_APIC_W(APIC_LVTT, APIC_LVT_MASKED | 0x43),
		S_APIC_W(APIC_TMICT, 0xffffffff),
		S_APIC_R(APIC_TMCCT),
		S_SPIN(10000),
		S_APIC_R(APIC_TMCCT),
		S_APIC_W(APIC_TMICT, 0),
		S_APIC_R(APIC_TMCCT),
		S_APIC_R(APIC_TDCR),
		S_END(),
	};
	struct kvmt_vcpu *vcpu = self->vcpu;
	uint64_t c1, c2;

	KVMT_SCRIPT(vcpu, s);
	RUN_TO_READ(vcpu, c1);
	RUN_TO_READ(vcpu, c2);
	EXPECT_GE(0xffffffffULL, c1);
	EXPECT_LT(c2, c1);
	RUN_TO_READ_EQ(vcpu, 0);
	RUN_TO_READ_EQ(vcpu, APIC_TDCR_DIV1);
	RUN_TO_END(vcpu);
}

/*
 * HLT with IF set and the timer armed: the vCPU waits in the kernel (no
 * KVM_EXIT_HLT reaches userspace) until the timer's interrupt wakes it,
 * which is no sooner than the timer's 20 ms (allowing for early expiry
 * up to half of it).
 */
TEST_F(lapic, hlt_waits_for_timer)
{
	static const struct kvmt_step s[] = {
		S_APIC_ENABLE(),
		S_APIC_W(APIC_TDCR, APIC_TDCR_DIV1),
		S_APIC_W(APIC_LVTT, 0x44),
		S_MARK(1),
		S_APIC_W(APIC_TMICT, 20 * MS),
		S_STI_HLT(),
		S_CLI(),
		S_EOI(),
		S_END(),
	};
	struct kvmt_vcpu *vcpu = self->vcpu;
	uint64_t t0, t1, rip, err;

	KVMT_SCRIPT(vcpu, s);
	RUN_TO_MARK(vcpu, 1);
	t0 = now_ns();
	RUN_TO_VECTOR(vcpu, 0x44);
	t1 = now_ns();
	TH_LOG("HLT to timer interrupt: %llu us",
	       (unsigned long long)(t1 - t0) / 1000);
	EXPECT_LE(10000000ULL, t1 - t0);
	/* The interrupt ended the HLT. */
	kvmt_vector_info(vcpu, &err, &rip);
	EXPECT_EQ(KVMT_SCRIPT_AFTER_HLT, rip);
	EXPECT_EQ(0ULL, err);
	RUN_TO_END(vcpu);
}

/*
 * TPR holds back interrupts of its priority class and below: a pending
 * self-IPI of vector 0x45 (class 4) stays in IRR with TPR 0x50 and 0x40,
 * and is taken as soon as TPR drops to 0x30.
 */
TEST_F(lapic, tpr_blocks)
{
	static const struct kvmt_step s[] = {
		S_APIC_ENABLE(),
		S_APIC_W(APIC_TASKPRI, 0x50),
		S_APIC_W(APIC_ICR, APIC_DEST_SELF | 0x45),
		S_STI(), S_SPIN(10000), S_CLI(),
		S_MARK(1),
		S_APIC_W(APIC_TASKPRI, 0x40),
		S_STI(), S_SPIN(10000), S_CLI(),
		S_MARK(2),
		S_APIC_W(APIC_TASKPRI, 0x30),
		S_STI(), S_SPIN(10000), S_CLI(),
		S_EOI(),
		S_MARK(3),
		S_END(),
	};
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct kvm_lapic_state ls;

	KVMT_SCRIPT(vcpu, s);
	RUN_TO_MARK(vcpu, 1);
	kvmt_get_lapic(vcpu, &ls);
	EXPECT_TRUE(kvmt_lapic_bit(&ls, APIC_IRR, 0x45));
	EXPECT_EQ(0x50U, kvmt_lapic_reg(&ls, APIC_PROCPRI));
	RUN_TO_MARK(vcpu, 2);
	kvmt_get_lapic(vcpu, &ls);
	EXPECT_TRUE(kvmt_lapic_bit(&ls, APIC_IRR, 0x45));
	RUN_TO_VECTOR(vcpu, 0x45);
	kvmt_get_lapic(vcpu, &ls);
	EXPECT_FALSE(kvmt_lapic_bit(&ls, APIC_IRR, 0x45));
	EXPECT_TRUE(kvmt_lapic_bit(&ls, APIC_ISR, 0x45));
	RUN_TO_MARK(vcpu, 3);
	RUN_TO_END(vcpu);
}

/*
 * Self-IPIs, by shorthand and by the APIC's own ID, wait in IRR while
 * IF is clear and are taken by priority: 0x58 first; 0x48 (lower class)
 * only after 0x58's EOI, although the handler's IRET set IF again.  The
 * ICR reads back as written, delivery status idle.
 */
TEST_F(lapic, self_ipi)
{
	static const struct kvmt_step s[] = {
		S_APIC_ENABLE(),
		S_IPI(0, APIC_DEST_SELF | 0x48),
		S_IPI(0, APIC_DM_FIXED | 0x58),
		S_APIC_R(APIC_ICR),
		S_MARK(1),
		S_STI(), S_SPIN(10000), S_CLI(),
		S_MARK(2),
		S_EOI(),
		S_STI(), S_SPIN(10000), S_CLI(),
		S_MARK(3),
		S_EOI(),
		S_END(),
	};
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct kvm_lapic_state ls;

	KVMT_SCRIPT(vcpu, s);
	RUN_TO_READ_EQ(vcpu, 0x58);
	RUN_TO_MARK(vcpu, 1);
	kvmt_get_lapic(vcpu, &ls);
	EXPECT_TRUE(kvmt_lapic_bit(&ls, APIC_IRR, 0x48));
	EXPECT_TRUE(kvmt_lapic_bit(&ls, APIC_IRR, 0x58));
	RUN_TO_VECTOR(vcpu, 0x58);
	RUN_TO_MARK(vcpu, 2);
	kvmt_get_lapic(vcpu, &ls);
	EXPECT_TRUE(kvmt_lapic_bit(&ls, APIC_ISR, 0x58));
	EXPECT_TRUE(kvmt_lapic_bit(&ls, APIC_IRR, 0x48));
	RUN_TO_VECTOR(vcpu, 0x48);
	RUN_TO_MARK(vcpu, 3);
	RUN_TO_END(vcpu);
	kvmt_get_lapic(vcpu, &ls);
	EXPECT_FALSE(kvmt_lapic_bit(&ls, APIC_ISR, 0x48));
	EXPECT_FALSE(kvmt_lapic_bit(&ls, APIC_ISR, 0x58));
}

/*
 * An IPI with delivery mode NMI to the APIC's own ID is an NMI: taken
 * with IF clear, through vector 2, without ISR or EOI.
 */
TEST_F(lapic, nmi_ipi)
{
	static const struct kvmt_step s[] = {
		S_APIC_ENABLE(),
		S_IPI(0, APIC_DM_NMI),
		S_SPIN(1000),
		S_MARK(1),
		S_END(),
	};
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct kvm_lapic_state ls;

	KVMT_SCRIPT(vcpu, s);
	RUN_TO_VECTOR(vcpu, NMI_VECTOR);
	kvmt_get_lapic(vcpu, &ls);
	EXPECT_FALSE(kvmt_lapic_bit(&ls, APIC_ISR, NMI_VECTOR));
	EXPECT_FALSE(kvmt_lapic_bit(&ls, APIC_IRR, NMI_VECTOR));
	RUN_TO_MARK(vcpu, 1);
	RUN_TO_END(vcpu);
}

/*
 * TSC-deadline mode (LVT timer mode 2, with TSC_DEADLINE_TIMER in the
 * guest's CPUID), the mode Linux guests use when CPUID offers it: the
 * timer fires when the TSC reaches IA32_TSC_DEADLINE, which then reads
 * 0.  The deadline, 20 ms ahead, is patched into the script at MARK 1
 * from the vCPU's TSC and KVM_GET_TSC_KHZ.  Writes to the initial count
 * register are ignored in this mode.
 */
TEST_F(lapic, timer_tsc_deadline)
{
	static const struct kvmt_step s[] = {
		S_APIC_ENABLE(),
		S_APIC_W(APIC_LVTT, APIC_LVT_TIMER_TSCDEADLINE | 0x46),
		S_APIC_W(APIC_TMICT, 1000),
		S_APIC_R(APIC_TMICT),
		S_MARK(1),
		S_WRMSR(MSR_IA32_TSC_DEADLINE, 0),	/* patched */
		S_STI_HLT(), S_CLI(), S_EOI(),
		S_RDMSR(MSR_IA32_TSC_DEADLINE),
		S_END(),
	};
	struct kvmt_vcpu *vcpu = self->vcpu;
	unsigned int deadline_step = 0;
	struct kvmt_step *patch;
	struct kvm_cpuid2 *cpuid;
	struct kvm_cpuid_entry2 *e;
	uint64_t t0, t1, tsc;
	int khz;

	while (s[deadline_step].op != KVMT_OP_WRMSR)
		deadline_step++;
	cpuid = kvmt_supported_cpuid(self->vm->sys_fd);
	e = kvmt_cpuid_find(cpuid, 1, 0);
	ASSERT_NE(NULL, e);
	e->ecx |= 1U << 24;	/* TSC_DEADLINE_TIMER */
	kvmt_set_cpuid(vcpu, cpuid);
	free(cpuid);
	khz = ioctl(vcpu->fd, KVM_GET_TSC_KHZ);
	ASSERT_LT(0, khz);

	KVMT_SCRIPT(vcpu, s);
	RUN_TO_READ_EQ(vcpu, 0);
	RUN_TO_MARK(vcpu, 1);
	tsc = kvmt_get_msr(vcpu, MSR_IA32_TSC);
	patch = kvmt_gpa2hva(vcpu->vm, KVMT_SCRIPT_GPA(vcpu->id) +
			     deadline_step * sizeof(*patch));
	patch->b = tsc + 20ULL * khz;
	t0 = now_ns();
	RUN_TO_VECTOR(vcpu, 0x46);
	t1 = now_ns();
	TH_LOG("deadline 20 ms ahead, taken after %llu us",
	       (unsigned long long)(t1 - t0) / 1000);
	EXPECT_LE(10000000ULL, t1 - t0);
	RUN_TO_READ_EQ(vcpu, 0);
	RUN_TO_END(vcpu);
}

/*
 * x2APIC: with X2APIC in CPUID the guest sets IA32_APIC_BASE.EXTD; then
 * the registers are MSRs 0x800 + offset / 16: the x2APIC ID is the vCPU
 * id (here vCPU 3, whose xAPIC ID was 3 << 24), the logical ID is
 * derived from it, self-IPIs go through MSR 0x83f or the ICR (one
 * 64-bit MSR) and EOI through MSR 0x80b.  The xAPIC page is gone, but
 * in-tree still claims its MMIO in x2APIC mode: reads return all ones,
 * writes are dropped, and nothing reaches userspace.
 */
TEST(x2apic)
{
	static const struct kvmt_step s[] = {
		S_RDMSR(MSR_IA32_APICBASE),
		S_APIC_R(APIC_ID),
		S_WRMSR(MSR_IA32_APICBASE,
			APIC_DEFAULT_BASE | APICBASE_ENABLE | APICBASE_EXTD),
		S_RDMSR(MSR_IA32_APICBASE),
		S_RDMSR(X2APIC_MSR(APIC_ID)),
		S_RDMSR(X2APIC_MSR(APIC_LVR)),
		S_RDMSR(X2APIC_MSR(APIC_LDR)),
		S_WRMSR(X2APIC_MSR(APIC_SPIV), APIC_SPIV_ENABLE | 0xff),
		S_WRMSR(X2APIC_MSR(APIC_SELF_IPI), 0x49),
		S_STI(), S_SPIN(10000), S_CLI(),
		S_WRMSR(X2APIC_MSR(APIC_EOI), 0),
		S_MARK(1),
		S_WRMSR(X2APIC_MSR(APIC_ICR), (3ULL << 32) | 0x4a),
		S_STI(), S_SPIN(10000), S_CLI(),
		S_WRMSR(X2APIC_MSR(APIC_EOI), 0),
		S_MARK(2),
		S_APIC_R(APIC_LVR),
		S_APIC_W(APIC_TASKPRI, 0x70),
		S_RDMSR(X2APIC_MSR(APIC_TASKPRI)),
		S_END(),
	};
	struct kvmt_vcpu *vcpu;
	struct kvm_cpuid2 *cpuid;
	struct kvm_cpuid_entry2 *e;
	struct kvm_lapic_state ls;
	struct kvmt_vm *vm;

	KVMT_REQUIRE_KVM();
	vm = kvmt_irqchip_vm_new();
	kvmt_script_vcpu_new(vm, 0);
	vcpu = kvmt_script_vcpu_new(vm, 3);
	cpuid = kvmt_supported_cpuid(vm->sys_fd);
	e = kvmt_cpuid_find(cpuid, 1, 0);
	ASSERT_NE(NULL, e);
	ASSERT_NE(0U, e->ecx & (1U << 21));	/* X2APIC */
	free(cpuid);
	/* An AP: made runnable without INIT/SIPI. */
	{
		struct kvm_mp_state mp = { .mp_state = KVM_MP_STATE_RUNNABLE };

		ASSERT_EQ(0, ioctl(vcpu->fd, KVM_SET_MP_STATE, &mp));
	}

	KVMT_SCRIPT(vcpu, s);
	RUN_TO_READ_EQ(vcpu, APIC_DEFAULT_BASE | APICBASE_ENABLE);
	RUN_TO_READ_EQ(vcpu, 3U << 24);
	RUN_TO_READ_EQ(vcpu, APIC_DEFAULT_BASE | APICBASE_ENABLE |
			     APICBASE_EXTD);
	RUN_TO_READ_EQ(vcpu, 3);
	RUN_TO_READ_EQ(vcpu, 0x50014);
	/* Cluster 0, bit 3 within it. */
	RUN_TO_READ_EQ(vcpu, 1U << 3);
	RUN_TO_VECTOR(vcpu, 0x49);
	RUN_TO_MARK(vcpu, 1);
	RUN_TO_VECTOR(vcpu, 0x4a);
	RUN_TO_MARK(vcpu, 2);
	RUN_TO_READ_EQ(vcpu, 0xffffffff);
	RUN_TO_READ_EQ(vcpu, 0);
	RUN_TO_END(vcpu);

	/*
	 * KVM_GET_LAPIC in x2APIC mode: in-tree gives the ID register in
	 * the xAPIC layout (ID << 24) unless KVM_CAP_X2APIC_API says
	 * otherwise.
	 */
	kvmt_get_lapic(vcpu, &ls);
	EXPECT_EQ(3U << 24, kvmt_lapic_reg(&ls, APIC_ID));
	EXPECT_EQ(1U << 3, kvmt_lapic_reg(&ls, APIC_LDR));
	kvmt_vm_free(vm);
}

/*
 * IA32_APIC_BASE transitions the SDM forbids (11.12.5) raise #GP: EXTD
 * without the global enable, and x2APIC straight back to xAPIC.
 * x2APIC to disabled and back to xAPIC is fine.
 */
TEST(x2apic_transitions)
{
	static const struct kvmt_step s[] = {
		S_WRMSR(MSR_IA32_APICBASE, APIC_DEFAULT_BASE | APICBASE_BSP |
					   APICBASE_EXTD),
		S_MARK(1),
		S_WRMSR(MSR_IA32_APICBASE, APIC_DEFAULT_BASE | APICBASE_BSP |
					   APICBASE_ENABLE | APICBASE_EXTD),
		S_WRMSR(MSR_IA32_APICBASE, APIC_DEFAULT_BASE | APICBASE_BSP |
					   APICBASE_ENABLE),
		S_MARK(2),
		S_WRMSR(MSR_IA32_APICBASE, APIC_DEFAULT_BASE | APICBASE_BSP),
		S_WRMSR(MSR_IA32_APICBASE, APIC_DEFAULT_BASE | APICBASE_BSP |
					   APICBASE_ENABLE),
		S_RDMSR(MSR_IA32_APICBASE),
		S_APIC_R(APIC_LVR),
		S_END(),
	};
	struct kvmt_vcpu *vcpu;
	struct kvmt_vm *vm;
	uint64_t rip;

	KVMT_REQUIRE_KVM();
	vm = kvmt_irqchip_vm_new();
	vcpu = kvmt_script_vcpu_new(vm, 0);
	KVMT_SCRIPT(vcpu, s);
	/* WRMSR is two bytes long; go on after it. */
	RUN_TO_VECTOR(vcpu, GP_VECTOR);
	kvmt_vector_info(vcpu, NULL, &rip);
	kvmt_vector_resume(vcpu, rip + 2);
	RUN_TO_MARK(vcpu, 1);
	RUN_TO_VECTOR(vcpu, GP_VECTOR);
	kvmt_vector_info(vcpu, NULL, &rip);
	kvmt_vector_resume(vcpu, rip + 2);
	RUN_TO_MARK(vcpu, 2);
	EXPECT_EQ(APIC_DEFAULT_BASE | APICBASE_BSP | APICBASE_ENABLE |
		  APICBASE_EXTD, kvmt_get_msr(vcpu, MSR_IA32_APICBASE));
	RUN_TO_READ_EQ(vcpu, APIC_DEFAULT_BASE | APICBASE_BSP |
			     APICBASE_ENABLE);
	RUN_TO_READ_EQ(vcpu, 0x50014);
	RUN_TO_END(vcpu);
	kvmt_vm_free(vm);
}

/*
 * A vCPU run from its own thread: KVM_RUN until an exit that is not an
 * OUT to a script port, an OUT to @stop_port, or 16 exits.  Threads must
 * not use the harness's assertions; the main thread judges the record.
 */
struct ap {
	struct kvmt_vcpu *vcpu;
	pthread_t thread;
	uint16_t stop_port;
	int run_err;
	unsigned int eagain;	/* KVM_RUN returned EAGAIN, run again */
	unsigned int n;
	struct {
		uint32_t reason;
		uint16_t port;
		uint32_t value;
	} exits[16];
	int ready;	/* the script's MARK 1 was seen */
	int done;
};

static void *ap_thread(void *arg)
{
	struct ap *ap = arg;
	struct kvm_run *run = ap->vcpu->run;

	while (ap->n < KVMT_ARRAY_SIZE(ap->exits)) {
		int r = kvmt_vcpu_run_raw(ap->vcpu);
		uint32_t value = 0;

		/*
		 * In-tree KVM_RUN of an AP waiting for INIT/SIPI may return
		 * EAGAIN (QEMU runs it again).
		 */
		if (r == -EAGAIN) {
			ap->eagain++;
			continue;
		}
		if (r) {
			ap->run_err = -r;
			break;
		}
		ap->exits[ap->n].reason = run->exit_reason;
		if (run->exit_reason != KVM_EXIT_IO ||
		    run->io.direction != KVM_EXIT_IO_OUT) {
			ap->n++;
			break;
		}
		value = kvmt_le_value(kvmt_io_data(ap->vcpu), run->io.size);
		ap->exits[ap->n].port = run->io.port;
		ap->exits[ap->n].value = value;
		ap->n++;
		if (run->io.port == KVMT_SCRIPT_PORT_MARK && value == 1)
			__atomic_store_n(&ap->ready, 1, __ATOMIC_RELEASE);
		if (run->io.port == ap->stop_port)
			break;
	}
	__atomic_store_n(&ap->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void on_sigusr1(int sig)
{
	(void)sig;
}

static void ap_start(struct __test_metadata *_metadata, struct ap *ap)
{
	struct sigaction sa = { .sa_handler = on_sigusr1 };

	/* No SA_RESTART: the signal makes a blocked KVM_RUN return. */
	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_EQ(0, pthread_create(&ap->thread, NULL, ap_thread, ap));
}

/* Join the AP's thread, kicking it out of KVM_RUN if it is stuck there. */
static void ap_join(struct __test_metadata *_metadata, struct ap *ap)
{
	while (!__atomic_load_n(&ap->done, __ATOMIC_ACQUIRE)) {
		pthread_kill(ap->thread, SIGUSR1);
		usleep(10000);
	}
	ASSERT_EQ(0, pthread_join(ap->thread, NULL));
	EXPECT_EQ(0, ap->run_err);
}

/* Wait up to @ms for @flag; whether it came. */
static bool wait_flag(int *flag, unsigned int ms)
{
	uint64_t end = now_ns() + (uint64_t)ms * 1000000;

	while (!__atomic_load_n(flag, __ATOMIC_ACQUIRE)) {
		if (now_ns() > end)
			return false;
		usleep(1000);
	}
	return true;
}

#define EXPECT_AP_EXIT(ap, i, port_, value_) do {			\
	ASSERT_LT((unsigned int)(i), (ap)->n);				\
	EXPECT_EQ((uint32_t)KVM_EXIT_IO, (ap)->exits[i].reason);	\
	EXPECT_EQ((port_), (ap)->exits[i].port);			\
	EXPECT_EQ((uint32_t)(value_), (ap)->exits[i].value);		\
} while (0)

#define AP_SIPI_VECTOR	0x60	/* the AP starts at 0x60000 */

/*
 * INIT then SIPI from the BSP's ICR start an AP: until then the AP's
 * KVM_RUN blocks in the kernel (UNINITIALIZED, then INIT_RECEIVED); the
 * SIPI starts it in real mode at CS = vector << 8, IP 0.
 */
TEST(init_sipi)
{
	static const struct kvmt_step s[] = {
		S_APIC_ENABLE(),
		S_IPI(1, APIC_DM_INIT | APIC_ICR_LEVEL | APIC_ICR_ASSERT),
		S_MARK(1),
		S_IPI(1, APIC_DM_STARTUP | AP_SIPI_VECTOR),
		S_MARK(2),
		S_END(),
	};
	struct ap ap = { .stop_port = 0x71 };
	struct kvmt_vcpu *bsp;
	struct kvm_mp_state mp;
	struct kvm_sregs sregs;
	struct kvmt_vm *vm;

	KVMT_REQUIRE_KVM();
	vm = kvmt_irqchip_vm_new();
	bsp = kvmt_script_vcpu_new(vm, 0);
	ap.vcpu = kvmt_vcpu_new(vm, 1);
	kvmt_load_code(vm, AP_SIPI_VECTOR << 12, KVMT_CODE(real_ap));
	ASSERT_EQ(0, ioctl(ap.vcpu->fd, KVM_GET_MP_STATE, &mp));
	EXPECT_EQ((uint32_t)KVM_MP_STATE_UNINITIALIZED, mp.mp_state);

	ap_start(_metadata, &ap);
	/* The AP's KVM_RUN waits for the SIPI. */
	EXPECT_FALSE(wait_flag(&ap.done, 200));
	KVMT_SCRIPT(bsp, s);
	RUN_TO_MARK(bsp, 1);
	EXPECT_FALSE(wait_flag(&ap.done, 200));
	RUN_TO_MARK(bsp, 2);
	EXPECT_TRUE(wait_flag(&ap.done, 20000));
	RUN_TO_END(bsp);
	ap_join(_metadata, &ap);
	TH_LOG("EAGAIN from the AP's KVM_RUN: %u times", ap.eagain);
	EXPECT_EQ(1U, ap.n);
	EXPECT_AP_EXIT(&ap, 0, 0x71, AP_SIPI_VECTOR << 8);
	kvmt_get_sregs(ap.vcpu, &sregs);
	EXPECT_EQ((uint64_t)AP_SIPI_VECTOR << 12, sregs.cs.base);
	EXPECT_EQ(0ULL, sregs.cr0 & 1);
	ASSERT_EQ(0, ioctl(ap.vcpu->fd, KVM_GET_MP_STATE, &mp));
	EXPECT_EQ((uint32_t)KVM_MP_STATE_RUNNABLE, mp.mp_state);
	kvmt_vm_free(vm);
}

/*
 * A fixed IPI from vCPU 0 to vCPU 1 (physical destination 1) wakes
 * vCPU 1 from STI; HLT with that vector, and only vCPU 1 takes it.
 */
TEST(fixed_ipi)
{
	static const struct kvmt_step bsp_s[] = {
		S_APIC_ENABLE(),
		S_IPI(1, APIC_DM_FIXED | 0x4b),
		S_STI(), S_SPIN(10000), S_CLI(),
		S_MARK(1),
		S_END(),
	};
	static const struct kvmt_step ap_s[] = {
		S_APIC_ENABLE(),
		S_MARK(1),
		S_STI_HLT(),
		S_CLI(),
		S_EOI(),
		S_MARK(2),
		S_END(),
	};
	struct ap ap = { .stop_port = KVMT_SCRIPT_PORT_END };
	struct kvmt_vcpu *bsp;
	struct kvmt_vm *vm;

	KVMT_REQUIRE_KVM();
	vm = kvmt_irqchip_vm_new();
	bsp = kvmt_script_vcpu_new(vm, 0);
	ap.vcpu = kvmt_script_vcpu_new(vm, 1);
	{
		struct kvm_mp_state mp = { .mp_state = KVM_MP_STATE_RUNNABLE };

		ASSERT_EQ(0, ioctl(ap.vcpu->fd, KVM_SET_MP_STATE, &mp));
	}
	KVMT_SCRIPT(ap.vcpu, ap_s);
	KVMT_SCRIPT(bsp, bsp_s);
	ap_start(_metadata, &ap);
	/* vCPU 1's APIC must be enabled before it can accept the IPI. */
	EXPECT_TRUE(wait_flag(&ap.ready, 20000));
	RUN_TO_MARK(bsp, 1);
	RUN_TO_END(bsp);
	EXPECT_TRUE(wait_flag(&ap.done, 20000));
	ap_join(_metadata, &ap);
	EXPECT_EQ(4U, ap.n);
	EXPECT_AP_EXIT(&ap, 0, KVMT_SCRIPT_PORT_MARK, 1);
	EXPECT_AP_EXIT(&ap, 1, KVMT_PORT_VECTOR, 0x4b);
	EXPECT_AP_EXIT(&ap, 2, KVMT_SCRIPT_PORT_MARK, 2);
	EXPECT_AP_EXIT(&ap, 3, KVMT_SCRIPT_PORT_END, 0);
	kvmt_vm_free(vm);
}

TEST_HARNESS_MAIN
