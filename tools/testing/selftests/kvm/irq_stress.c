// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interrupt injection the way a VMM with a userspace PIC/APIC does it
 * (QEMU with kernel-irqchip=off), under fire: a timer signal knocks the
 * vCPU out of KVM_RUN at arbitrary points, "device interrupts" become
 * pending at random, and the VMM injects only when the last exit said
 * ready_for_interrupt_injection and if_flag, asking for the interrupt
 * window otherwise.  The guest (guest/irq_stress.S) keeps R8 = 1 while
 * its interrupts are disabled; an interrupt that arrives there, or with
 * IF clear in the interrupted RFLAGS, is a broken injection protocol (a
 * Linux guest deadlocks on its own spinlock when that happens).
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/time.h>

#include "kselftest_harness.h"
#include "kvmt_test.h"

KVMT_GUEST(long_irq_stress);

#define IRQ_VECTOR	0x40
#define RFLAGS_IF	(1ULL << 9)
#define ROUNDS		20000

static volatile sig_atomic_t ticks;

/* The last exits, shown when the check fails. */
#define HIST		12
static struct {
	int rc;
	uint32_t reason;
	uint64_t rip, rflags;
	uint8_t ready, if_flag, injected, window;
} hist[HIST];

static void show_history(struct __test_metadata *_metadata, unsigned int n)
{
	unsigned int i;

	for (i = n >= HIST ? n - HIST : 0; i < n; i++)
		TH_LOG("exit %u: rc %d reason %u rip %#llx rflags %#llx ready %u if %u; then injected %u window %u",
		       i, hist[i % HIST].rc, hist[i % HIST].reason,
		       (unsigned long long)hist[i % HIST].rip,
		       (unsigned long long)hist[i % HIST].rflags,
		       hist[i % HIST].ready, hist[i % HIST].if_flag,
		       hist[i % HIST].injected, hist[i % HIST].window);
}

static void on_alarm(int sig)
{
	(void)sig;
	ticks++;
}

TEST(userspace_irqchip_protocol)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = {
		.it_interval = { .tv_usec = 700 },
		.it_value = { .tv_usec = 700 },
	};
	struct kvmt_vcpu *vcpu;
	struct kvm_run *run;
	struct kvm_regs r;
	unsigned int exits = 0, injected = 0, taken = 0, eintr = 0;
	unsigned int windows = 0, halts = 0;
	bool pending = false;
	uint64_t rflags;

	KVMT_REQUIRE_KVM();
	vcpu = kvmt_guest_new_cpuid(KVMT_MODE_LONG,
				    KVMT_CODE(long_irq_stress));
	kvmt_setup_idt(vcpu);
	run = vcpu->run;
	srand(1);

	/* No SA_RESTART: KVM_RUN must come back with EINTR. */
	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &it, NULL));

	while (exits < ROUNDS) {
		int rc;

		bool inj = false;

		if (pending && run->ready_for_interrupt_injection &&
		    run->if_flag) {
			struct kvm_interrupt irq = { .irq = IRQ_VECTOR };

			ASSERT_EQ(0, ioctl(vcpu->fd, KVM_INTERRUPT, &irq));
			pending = false;
			injected++;
			inj = true;
		}
		run->request_interrupt_window = pending;
		if (exits) {
			hist[(exits - 1) % HIST].injected = inj;
			hist[(exits - 1) % HIST].window = pending;
		}

		rc = kvmt_vcpu_run_raw(vcpu);
		kvmt_get_regs(vcpu, &r);
		hist[exits % HIST] = (typeof(hist[0])){
			.rc = rc, .reason = run->exit_reason, .rip = r.rip,
			.rflags = r.rflags,
			.ready = run->ready_for_interrupt_injection,
			.if_flag = run->if_flag,
		};
		exits++;
		if (rc == -EINTR) {
			eintr++;
			pending |= !(rand() % 3);
			continue;
		}
		ASSERT_EQ(0, rc);

		switch (run->exit_reason) {
		case KVM_EXIT_IO:
			if (run->io.port != KVMT_PORT_VECTOR) {
				pending |= !(rand() % 5);
				break;
			}
			kvmt_get_regs(vcpu, &r);
			ASSERT_EQ((uint64_t)IRQ_VECTOR, r.rax & 0xff);
			/* Frame: RDX RCX RAX vector error RIP CS RFLAGS. */
			memcpy(&rflags, kvmt_gpa2hva(vcpu->vm, r.rsp + 56),
			       sizeof(rflags));
			ASSERT_NE(0ULL, rflags & RFLAGS_IF) {
				TH_LOG("interrupt %u taken with IF clear at RIP %#llx",
				       taken, r.rdx);
				show_history(_metadata, exits);
			}
			ASSERT_EQ(0ULL, r.r8) {
				TH_LOG("interrupt %u taken in the CLI section at RIP %#llx",
				       taken, r.rdx);
				show_history(_metadata, exits);
			}
			taken++;
			break;
		case KVM_EXIT_MMIO:
			/* The write in the CLI section: nothing to emulate. */
			ASSERT_TRUE(run->mmio.is_write);
			break;
		case KVM_EXIT_IRQ_WINDOW_OPEN:
			windows++;
			ASSERT_TRUE(run->ready_for_interrupt_injection);
			ASSERT_TRUE(run->if_flag);
			break;
		case KVM_EXIT_HLT:
			/* The idle guest waits for the next device interrupt. */
			halts++;
			pending = true;
			break;
		default:
			ASSERT_EQ(KVM_EXIT_IO, run->exit_reason);
		}
	}

	it.it_value.tv_usec = 0;
	it.it_interval.tv_usec = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	TH_LOG("%u exits: %u EINTR, %u windows, %u HLT, %u injected, %u taken",
	       exits, eintr, windows, halts, injected, taken);
	/* Every injected interrupt arrives (one may still be in flight). */
	EXPECT_GE(taken + 1, injected);
	EXPECT_GT(taken, 100U);
	kvmt_vm_free(vcpu->vm);
}

TEST_HARNESS_MAIN
