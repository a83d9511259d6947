// SPDX-License-Identifier: GPL-2.0-only
/*
 * Event injection without an in-kernel irqchip, as a VMM with a
 * userspace PIC/APIC does it: KVM_INTERRUPT and its limits, the interrupt
 * window (request_interrupt_window, ready_for_interrupt_injection,
 * if_flag), KVM_NMI and NMI blocking, kvm_run.cr8, and
 * KVM_GET/SET_VCPU_EVENTS (round trips, events injected into a running
 * guest, refused states).  The guest's IDT reports every vector it takes
 * (kvmt_setup_idt()).
 */
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "kvmt_test.h"

KVMT_GUEST(long_sti);
KVMT_GUEST(long_cr8);
KVMT_GUEST(long_sti_hlt);
extern const uint8_t long_sti_sti[], long_sti_after[];
extern const uint8_t long_sti_hlt_after[];

#define RFLAGS_IF	(1ULL << 9)

#define NMI_VECTOR	2
#define UD_VECTOR	6
#define GP_VECTOR	13

#define P_CR8		(KVMT_CODE_GPA + 0x100)
#define P_STI_HLT	(KVMT_CODE_GPA + 0x200)
#define STI_HLT_AFTER	(P_STI_HLT + (long_sti_hlt_after - long_sti_hlt_start))

/* Addresses of labels inside long_sti, loaded at KVMT_CODE_GPA. */
#define STI_ADDR	(KVMT_CODE_GPA + (long_sti_sti - long_sti_start))
#define AFTER_ADDR	(KVMT_CODE_GPA + (long_sti_after - long_sti_start))

FIXTURE(events) {
	struct kvmt_vcpu *vcpu;
	bool amd;
};

FIXTURE_SETUP(events)
{
	KVMT_REQUIRE_KVM();
	self->vcpu = kvmt_guest_new_cpuid(KVMT_MODE_LONG, KVMT_CODE(long_sti));
	kvmt_load_code(self->vcpu->vm, P_CR8, KVMT_CODE(long_cr8));
	kvmt_load_code(self->vcpu->vm, P_STI_HLT, KVMT_CODE(long_sti_hlt));
	kvmt_setup_idt(self->vcpu);
	self->amd = kvmt_cpu_is_amd(self->vcpu->vm->sys_fd);
}

FIXTURE_TEARDOWN(events)
{
	if (self->vcpu)
		kvmt_vm_free(self->vcpu->vm);
}

static void start(struct kvmt_vcpu *vcpu, uint64_t rip, uint64_t rflags)
{
	struct kvm_regs r = {
		.rip = rip, .rsp = KVMT_STACK_TOP, .rflags = rflags,
	};

	kvmt_set_regs(vcpu, &r);
}

static int interrupt(struct kvmt_vcpu *vcpu, uint32_t irq)
{
	struct kvm_interrupt i = { .irq = irq };

	return ioctl(vcpu->fd, KVM_INTERRUPT, &i);
}

static void get_events(struct __test_metadata *_metadata,
		       struct kvmt_vcpu *vcpu, struct kvm_vcpu_events *e)
{
	memset(e, 0xcc, sizeof(*e));
	ASSERT_EQ(0, ioctl(vcpu->fd, KVM_GET_VCPU_EVENTS, e));
}

/* The stubs report @vec taken at @rip, with error code @err. */
#define RUN_TO_VECTOR_AT(vcpu, vec, rip_, err_) do {			\
	uint64_t __err, __rip;						\
	RUN_TO_VECTOR(vcpu, vec);					\
	kvmt_vector_info(vcpu, &__err, &__rip);				\
	EXPECT_EQ((uint64_t)(rip_), __rip);				\
	EXPECT_EQ((uint64_t)(err_), __err);				\
} while (0)

/* Vectors are 0-255; anything else is EINVAL. */
TEST_F(events, interrupt_range)
{
	EXPECT_ERRNO(EINVAL, interrupt(self->vcpu, 256));
	EXPECT_ERRNO(EINVAL, interrupt(self->vcpu, 0x10000));
	EXPECT_ERRNO(EINVAL, interrupt(self->vcpu, ~0U));
	EXPECT_ERRNO(0, interrupt(self->vcpu, 255));
}

/*
 * The protocol of a VMM with its own interrupt controller: with IF
 * clear, ask for the interrupt window; KVM_RUN returns with
 * KVM_EXIT_IRQ_WINDOW_OPEN once the guest can take an interrupt (after
 * STI and its shadow); the VMM injects with KVM_INTERRUPT and the guest
 * takes the vector through its IDT at that point.
 */
TEST_F(events, interrupt_window)
{
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct kvm_run *run = vcpu->run;
	struct kvm_regs r;

	start(vcpu, KVMT_CODE_GPA, 2);
	run->request_interrupt_window = 1;
	RUN_TO_IO(vcpu, KVM_EXIT_IO_OUT, 0xb0, 1, 1);
	EXPECT_EQ(0, run->if_flag);
	EXPECT_EQ(0, run->ready_for_interrupt_injection);

	/* STI, then the instruction in its shadow: the window opens. */
	RUN_TO_EXIT(vcpu, KVM_EXIT_IRQ_WINDOW_OPEN);
	EXPECT_EQ(1, run->if_flag);
	EXPECT_EQ(1, run->ready_for_interrupt_injection);
	kvmt_get_regs(vcpu, &r);
	EXPECT_EQ((uint64_t)AFTER_ADDR, r.rip);
	EXPECT_NE(0ULL, r.rflags & RFLAGS_IF);

	run->request_interrupt_window = 0;
	ASSERT_EQ(0, interrupt(vcpu, 0x40));
	RUN_TO_VECTOR_AT(vcpu, 0x40, AFTER_ADDR, 0);
	/* Interrupt gates clear IF in the handler. */
	EXPECT_EQ(0, run->if_flag);
	RUN_TO_IO(vcpu, KVM_EXIT_IO_OUT, 0xb1, 1, 1);
	EXPECT_EQ(1, run->if_flag);
	/* Once: nothing else arrives. */
	RUN_TO_EXIT(vcpu, KVM_EXIT_HLT);
}

/*
 * "STI; HLT", the idle loop of most kernels: the HLT exit completes the
 * HLT, which ends the STI shadow, so the vCPU is ready for an interrupt
 * at once (a VMM with a userspace APIC injects on that flag).
 */
TEST_F(events, hlt_ends_sti_shadow)
{
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct kvm_run *run = vcpu->run;
	struct kvm_vcpu_events e;

	start(vcpu, P_STI_HLT, 2);
	RUN_TO_EXIT(vcpu, KVM_EXIT_HLT);
	EXPECT_EQ(1, run->if_flag);
	EXPECT_EQ(1, run->ready_for_interrupt_injection);
	EXPECT_EQ((uint64_t)STI_HLT_AFTER, kvmt_get_rip(vcpu));
	get_events(_metadata, vcpu, &e);
	EXPECT_EQ(0, e.interrupt.shadow);

	ASSERT_EQ(0, interrupt(vcpu, 0x41));
	RUN_TO_VECTOR_AT(vcpu, 0x41, STI_HLT_AFTER, 0);
	RUN_TO_IO(vcpu, KVM_EXIT_IO_OUT, 0xb7, 1, 1);
}

/*
 * With IF already set, requesting the window returns at once, before
 * the guest runs an instruction.
 */

TEST_F(events, interrupt_window_open_at_once)
{
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct kvm_run *run = vcpu->run;

	start(vcpu, KVMT_CODE_GPA, 2 | RFLAGS_IF);
	run->request_interrupt_window = 1;
	RUN_TO_EXIT(vcpu, KVM_EXIT_IRQ_WINDOW_OPEN);
	EXPECT_EQ(1, run->ready_for_interrupt_injection);
	EXPECT_EQ(1, run->if_flag);
	EXPECT_EQ((uint64_t)KVMT_CODE_GPA, kvmt_get_rip(vcpu));
	run->request_interrupt_window = 0;
	ASSERT_EQ(0, interrupt(vcpu, 0x80));
	RUN_TO_VECTOR_AT(vcpu, 0x80, KVMT_CODE_GPA, 0);
	RUN_TO_IO(vcpu, KVM_EXIT_IO_OUT, 0xb0, 1, 1);
}

/*
 * Without an in-kernel irqchip the in-tree KVM takes KVM_INTERRUPT as
 * the interrupt to inject on the next entry (GET_VCPU_EVENTS shows it as
 * injected); a second KVM_INTERRUPT before that entry replaces it, and
 * only the last vector reaches the guest.
 */
TEST_F(events, interrupt_queued)
{
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct kvm_vcpu_events e;

	start(vcpu, KVMT_CODE_GPA, 2 | RFLAGS_IF);
	ASSERT_EQ(0, interrupt(vcpu, 0x41));
	get_events(_metadata, vcpu, &e);
	EXPECT_EQ(1, e.interrupt.injected);
	EXPECT_EQ(0x41, e.interrupt.nr);
	EXPECT_EQ(0, e.interrupt.soft);

	EXPECT_ERRNO(0, interrupt(vcpu, 0x42));
	get_events(_metadata, vcpu, &e);
	EXPECT_EQ(1, e.interrupt.injected);
	EXPECT_EQ(0x42, e.interrupt.nr);

	RUN_TO_VECTOR_AT(vcpu, 0x42, KVMT_CODE_GPA, 0);
	get_events(_metadata, vcpu, &e);
	EXPECT_EQ(0, e.interrupt.injected);
	RUN_TO_IO(vcpu, KVM_EXIT_IO_OUT, 0xb0, 1, 1);
	RUN_TO_IO(vcpu, KVM_EXIT_IO_OUT, 0xb1, 1, 1);
	RUN_TO_EXIT(vcpu, KVM_EXIT_HLT);
}

/*
 * KVM_NMI: delivered through vector 2 at the next entry, whatever IF
 * says.  While the handler runs NMIs are blocked (nmi.masked); one
 * raised then waits for the handler's IRET.
 */
TEST_F(events, nmi)
{
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct kvm_vcpu_events e;

	start(vcpu, KVMT_CODE_GPA, 2);
	RUN_TO_IO(vcpu, KVM_EXIT_IO_OUT, 0xb0, 1, 1);
	get_events(_metadata, vcpu, &e);
	EXPECT_EQ(0, e.nmi.masked);
	EXPECT_EQ(0, e.nmi.pending);

	ASSERT_EQ(0, ioctl(vcpu->fd, KVM_NMI));
	get_events(_metadata, vcpu, &e);
	EXPECT_EQ(1, e.nmi.pending);

	RUN_TO_VECTOR_AT(vcpu, NMI_VECTOR, STI_ADDR, 0);
	get_events(_metadata, vcpu, &e);
	EXPECT_EQ(1, e.nmi.masked);
	EXPECT_EQ(0, e.nmi.pending);
	EXPECT_EQ(0, e.nmi.injected);

	/* A second NMI inside the handler waits for its IRETQ. */
	ASSERT_EQ(0, ioctl(vcpu->fd, KVM_NMI));
	RUN_TO_VECTOR_AT(vcpu, NMI_VECTOR, STI_ADDR, 0);
	get_events(_metadata, vcpu, &e);
	EXPECT_EQ(1, e.nmi.masked);

	RUN_TO_IO(vcpu, KVM_EXIT_IO_OUT, 0xb1, 1, 1);
	get_events(_metadata, vcpu, &e);
	EXPECT_EQ(0, e.nmi.masked);
	RUN_TO_EXIT(vcpu, KVM_EXIT_HLT);
}

/*
 * kvm_run.cr8 is the task priority without an in-kernel APIC: KVM_RUN
 * loads it into the guest's CR8 and every exit stores the guest's CR8
 * back.
 */

TEST_F(events, cr8)
{
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct kvm_run *run = vcpu->run;
	struct kvm_sregs s;
	struct kvm_regs r;

	start(vcpu, P_CR8, 2);
	kvmt_get_regs(vcpu, &r);
	r.rbx = 9;
	kvmt_set_regs(vcpu, &r);
	run->cr8 = 5;
	RUN_TO_IO(vcpu, KVM_EXIT_IO_OUT, 0xb2, 1, 1);
	kvmt_get_regs(vcpu, &r);
	EXPECT_EQ(5ULL, r.rax);
	EXPECT_EQ(5ULL, run->cr8);

	RUN_TO_IO(vcpu, KVM_EXIT_IO_OUT, 0xb3, 1, 1);
	EXPECT_EQ(9ULL, run->cr8);
	kvmt_get_sregs(vcpu, &s);
	EXPECT_EQ(9ULL, s.cr8);

	run->cr8 = 3;
	RUN_TO_IO(vcpu, KVM_EXIT_IO_OUT, 0xb4, 1, 1);
	kvmt_get_regs(vcpu, &r);
	EXPECT_EQ(3ULL, r.rax);
	EXPECT_EQ(3ULL, run->cr8);
}

/* What KVM_SET_VCPU_EVENTS takes, KVM_GET_VCPU_EVENTS gives back. */
TEST_F(events, round_trip)
{
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct kvm_vcpu_events in, out;

	/* An injected external interrupt. */
	memset(&in, 0, sizeof(in));
	in.interrupt.injected = 1;
	in.interrupt.nr = 0x50;
	ASSERT_EQ(0, ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &in));
	get_events(_metadata, vcpu, &out);
	EXPECT_EQ(1, out.interrupt.injected);
	EXPECT_EQ(0x50, out.interrupt.nr);
	EXPECT_EQ(0, out.interrupt.soft);
	EXPECT_EQ(0, out.exception.injected);

	/*
	 * NMI state and the interrupt shadow.  SVM has a single shadow bit,
	 * which the in-tree KVM reports as both kinds of shadow on AMD.
	 */
	memset(&in, 0, sizeof(in));
	in.flags = KVM_VCPUEVENT_VALID_NMI_PENDING | KVM_VCPUEVENT_VALID_SHADOW;
	in.nmi.pending = 1;
	in.nmi.masked = 1;
	in.interrupt.shadow = KVM_X86_SHADOW_INT_MOV_SS;
	ASSERT_EQ(0, ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &in));
	get_events(_metadata, vcpu, &out);
	EXPECT_EQ(1, out.nmi.pending);
	EXPECT_EQ(1, out.nmi.masked);
	EXPECT_EQ(0, out.nmi.injected);
	EXPECT_EQ(0, out.interrupt.injected);
	EXPECT_NE(0U, out.flags & KVM_VCPUEVENT_VALID_SHADOW);
	EXPECT_NE(0U, out.flags & KVM_VCPUEVENT_VALID_NMI_PENDING);
	if (self->amd) {
		EXPECT_EQ(KVM_X86_SHADOW_INT_MOV_SS | KVM_X86_SHADOW_INT_STI,
			  out.interrupt.shadow);
	} else {
		EXPECT_EQ(KVM_X86_SHADOW_INT_MOV_SS, out.interrupt.shadow);
	}

	/* Without VALID_NMI_PENDING, nmi.pending is left alone. */
	memset(&in, 0, sizeof(in));
	in.flags = KVM_VCPUEVENT_VALID_SHADOW;
	ASSERT_EQ(0, ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &in));
	get_events(_metadata, vcpu, &out);
	EXPECT_EQ(1, out.nmi.pending);
	EXPECT_EQ(0, out.nmi.masked);
	EXPECT_EQ(0, out.interrupt.shadow);

	/* An injected exception with an error code. */
	memset(&in, 0, sizeof(in));
	in.flags = KVM_VCPUEVENT_VALID_NMI_PENDING;
	in.exception.injected = 1;
	in.exception.nr = GP_VECTOR;
	in.exception.has_error_code = 1;
	in.exception.error_code = 0x1234;
	ASSERT_EQ(0, ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &in));
	get_events(_metadata, vcpu, &out);
	EXPECT_EQ(1, out.exception.injected);
	EXPECT_EQ(GP_VECTOR, out.exception.nr);
	EXPECT_EQ(1, out.exception.has_error_code);
	EXPECT_EQ(0x1234U, out.exception.error_code);
	EXPECT_EQ(0, out.nmi.pending);
}

/*
 * Events set with KVM_SET_VCPU_EVENTS are delivered on the next entry.
 * The guest restarts before each, so each handler runs from the same
 * place; the last one returns into the program.
 */
TEST_F(events, inject_into_guest)
{
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct kvm_vcpu_events in;

	/* #UD without an error code. */
	start(vcpu, KVMT_CODE_GPA, 2);
	memset(&in, 0, sizeof(in));
	in.exception.injected = 1;
	in.exception.nr = UD_VECTOR;
	ASSERT_EQ(0, ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &in));
	RUN_TO_VECTOR_AT(vcpu, UD_VECTOR, KVMT_CODE_GPA, 0);

	/* #GP with its error code. */
	start(vcpu, KVMT_CODE_GPA, 2);
	memset(&in, 0, sizeof(in));
	in.exception.injected = 1;
	in.exception.nr = GP_VECTOR;
	in.exception.has_error_code = 1;
	in.exception.error_code = 0x18;
	ASSERT_EQ(0, ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &in));
	RUN_TO_VECTOR_AT(vcpu, GP_VECTOR, KVMT_CODE_GPA, 0x18);

	/* An injected interrupt is delivered even with IF clear. */
	start(vcpu, KVMT_CODE_GPA, 2);
	memset(&in, 0, sizeof(in));
	in.interrupt.injected = 1;
	in.interrupt.nr = 0x51;
	ASSERT_EQ(0, ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &in));
	RUN_TO_VECTOR_AT(vcpu, 0x51, KVMT_CODE_GPA, 0);

	/* A pending NMI; its handler returns into the program. */
	start(vcpu, KVMT_CODE_GPA, 2);
	memset(&in, 0, sizeof(in));
	in.flags = KVM_VCPUEVENT_VALID_NMI_PENDING;
	in.nmi.pending = 1;
	ASSERT_EQ(0, ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &in));
	RUN_TO_VECTOR_AT(vcpu, NMI_VECTOR, KVMT_CODE_GPA, 0);
	RUN_TO_IO(vcpu, KVM_EXIT_IO_OUT, 0xb0, 1, 1);
	RUN_TO_IO(vcpu, KVM_EXIT_IO_OUT, 0xb1, 1, 1);
	RUN_TO_EXIT(vcpu, KVM_EXIT_HLT);
}

/* A known state to start each refused call from. */
static void set_baseline(struct __test_metadata *_metadata,
			 struct kvmt_vcpu *vcpu, struct kvm_vcpu_events *got)
{
	struct kvm_vcpu_events in;

	memset(&in, 0, sizeof(in));
	in.flags = KVM_VCPUEVENT_VALID_NMI_PENDING;
	in.nmi.pending = 1;
	in.interrupt.injected = 1;
	in.interrupt.nr = 0x33;
	ASSERT_EQ(0, ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &in));
	get_events(_metadata, vcpu, got);
}

/*
 * Refused: unknown flags, flags of capabilities not enabled (exception
 * payloads, triple-fault events), exception vectors above 31 and NMI as
 * an exception, and SMM state unless KVM_CAP_X86_SMM is offered.  A
 * refused call changes nothing, except that the in-tree KVM checks the
 * triple-fault flag only after taking the exception, interrupt and NMI
 * state.
 */
TEST_F(events, invalid)
{
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct kvm_vcpu_events in, before, after;
	const struct {
		const char *what;
		uint32_t flags;
		uint8_t inj, nr;
		bool changes;
	} cases[] = {
		{ "flag bit 31", 1U << 31, 0, 0, false },
		{ "flag 0x40", 0x40, 0, 0, false },
		{ "payload without KVM_CAP_EXCEPTION_PAYLOAD",
		  KVM_VCPUEVENT_VALID_PAYLOAD, 0, 0, false },
		{ "triple fault without KVM_CAP_X86_TRIPLE_FAULT_EVENT",
		  KVM_VCPUEVENT_VALID_TRIPLE_FAULT, 0, 0, true },
		{ "exception 32", 0, 1, 32, false },
		{ "exception 255", 0, 1, 255, false },
		{ "NMI as exception", 0, 1, NMI_VECTOR, false },
	};
	unsigned int i;

	for (i = 0; i < KVMT_ARRAY_SIZE(cases); i++) {
		TH_LOG("%s", cases[i].what);
		set_baseline(_metadata, vcpu, &before);
		memset(&in, 0, sizeof(in));
		in.flags = cases[i].flags;
		in.exception.injected = cases[i].inj;
		in.exception.nr = cases[i].nr;
		EXPECT_ERRNO(EINVAL, ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS,
					   &in));
		get_events(_metadata, vcpu, &after);
		if (!cases[i].changes)
			EXPECT_EQ(0, memcmp(&before, &after, sizeof(before)));
	}

	/* SMM: only with KVM_CAP_X86_SMM. */
	set_baseline(_metadata, vcpu, &before);
	memset(&in, 0, sizeof(in));
	in.flags = KVM_VCPUEVENT_VALID_SMM;
	in.smi.smm = 1;
	if (!kvmt_check_cap(vcpu->vm->fd, KVM_CAP_X86_SMM)) {
		EXPECT_ERRNO(EINVAL, ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &in));
		in.smi.smm = 0;
		in.smi.pending = 1;
		EXPECT_ERRNO(EINVAL, ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &in));
		get_events(_metadata, vcpu, &after);
		EXPECT_EQ(0, memcmp(&before, &after, sizeof(before)));
	} else {
		EXPECT_ERRNO(0, ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &in));
		get_events(_metadata, vcpu, &after);
		EXPECT_NE(0U, after.flags & KVM_VCPUEVENT_VALID_SMM);
		EXPECT_EQ(1, after.smi.smm);
		in.smi.smm = 0;
		EXPECT_ERRNO(0, ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &in));
		get_events(_metadata, vcpu, &after);
		EXPECT_EQ(0, after.smi.smm);
	}
	/* SMM state left out: fine either way. */
	in.flags = 0;
	in.smi.smm = 1;
	EXPECT_ERRNO(0, ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &in));
	get_events(_metadata, vcpu, &after);
	EXPECT_EQ(0, after.smi.smm);
}

TEST_HARNESS_MAIN
