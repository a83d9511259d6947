// SPDX-License-Identifier: GPL-2.0-only
/*
 * Ways out of KVM_RUN other than guest exits: kvm_run.immediate_exit,
 * signals (with and without KVM_SET_SIGNAL_MASK), and the rule that a VM
 * is usable only from the process that created it (api.rst, section 1:
 * other processes get EIO).
 */
#include <pthread.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kvmt_test.h"

KVMT_GUEST(long_peek);
KVMT_GUEST(long_spin);

/* The kernel's sigset for x86-64 is 64 bits. */
#define KERNEL_SIGSET_SIZE	8

static volatile sig_atomic_t got_usr1;

static void on_usr1(int sig)
{
	(void)sig;
	got_usr1++;
}

static void catch_usr1(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };

	/* No SA_RESTART: KVM_RUN must come back with EINTR. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
}

static void block_usr1(int how)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(how, &set, NULL);
}

/* KVM_SET_SIGNAL_MASK; @set NULL removes the vCPU's mask. */
static int set_run_sigmask(struct kvmt_vcpu *vcpu, const sigset_t *set,
			   uint32_t len)
{
	struct {
		struct kvm_signal_mask hdr;
		uint8_t bits[KERNEL_SIGSET_SIZE];
	} m;

	if (!set)
		return ioctl(vcpu->fd, KVM_SET_SIGNAL_MASK, NULL);
	m.hdr.len = len;
	/* glibc's sigset_t starts with the kernel's 64 signal bits. */
	memcpy(m.bits, set, KERNEL_SIGSET_SIZE);
	return ioctl(vcpu->fd, KVM_SET_SIGNAL_MASK, &m);
}

static void point_peek(struct kvmt_vcpu *vcpu)
{
	struct kvm_regs r;

	kvmt_get_regs(vcpu, &r);
	r.rip = KVMT_CODE_GPA;
	r.rbx = KVMT_DATA_GPA;
	kvmt_set_regs(vcpu, &r);
	kvmt_le_store(kvmt_gpa2hva(vcpu->vm, KVMT_DATA_GPA), 4, 0x5151);
}

/*
 * immediate_exit: KVM_RUN returns -EINTR before entering the guest.  The
 * in-tree KVM does not touch exit_reason on this path (it does report
 * KVM_EXIT_INTR when a signal ends a run), so it must still hold what the
 * test left there.
 */
#define STALE_EXIT_REASON	0x5eed

TEST(immediate_exit)
{
	struct kvmt_vcpu *vcpu;
	int i;

	KVMT_REQUIRE_KVM();
	vcpu = kvmt_guest_new(KVMT_MODE_LONG, KVMT_CODE(long_peek));
	point_peek(vcpu);

	vcpu->run->immediate_exit = 1;
	for (i = 0; i < 2; i++) {
		vcpu->run->exit_reason = STALE_EXIT_REASON;
		EXPECT_EQ(-EINTR, kvmt_vcpu_run_raw(vcpu));
		EXPECT_EQ((uint32_t)STALE_EXIT_REASON, vcpu->run->exit_reason);
		/* The guest did not move. */
		EXPECT_EQ((uint64_t)KVMT_CODE_GPA, kvmt_get_rip(vcpu));
	}
	/* Also after the guest has run once. */
	vcpu->run->immediate_exit = 0;
	RUN_TO_OUT(vcpu, 0x70, 4, 0x5151);
	vcpu->run->immediate_exit = 1;
	EXPECT_EQ(-EINTR, kvmt_vcpu_run_raw(vcpu));
	EXPECT_EQ((uint32_t)KVM_EXIT_IO, vcpu->run->exit_reason);
	vcpu->run->immediate_exit = 0;
	RUN_TO_EXIT(vcpu, KVM_EXIT_HLT);
	kvmt_vm_free(vcpu->vm);
}

struct spinner {
	struct kvmt_vcpu *vcpu;
	bool use_run_mask;	/* block SIGUSR1, unblock only via KVM mask */
	int ret;		/* KVM_RUN's -errno */
	uint32_t exit_reason;
	bool done;		/* set last, read with atomics */
};

static void *spin_thread(void *arg)
{
	struct spinner *s = arg;
	sigset_t empty;

	if (s->use_run_mask) {
		block_usr1(SIG_BLOCK);
		sigemptyset(&empty);
		s->ret = set_run_sigmask(s->vcpu, &empty, KERNEL_SIGSET_SIZE);
		if (s->ret) {
			s->ret = -errno;
			__atomic_store_n(&s->done, true, __ATOMIC_RELEASE);
			return NULL;
		}
	} else {
		block_usr1(SIG_UNBLOCK);
	}
	s->ret = kvmt_vcpu_run_raw(s->vcpu);
	s->exit_reason = s->vcpu->run->exit_reason;
	__atomic_store_n(&s->done, true, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * A vCPU thread spins in the guest; the main thread signals it until
 * KVM_RUN returns.  The main thread keeps SIGUSR1 blocked, so only the
 * vCPU thread can take it.
 */
static void kick_spinner(struct __test_metadata *_metadata, bool run_mask)
{
	struct timespec pause = { 0, 20 * 1000 * 1000 };
	struct spinner s = { 0 };
	struct kvm_regs r;
	pthread_t thread;
	int i;

	s.use_run_mask = run_mask;
	s.vcpu = kvmt_guest_new(KVMT_MODE_LONG, KVMT_CODE(long_spin));
	catch_usr1();
	block_usr1(SIG_BLOCK);
	ASSERT_EQ(0, pthread_create(&thread, NULL, spin_thread, &s));
	/* Give the guest time to really run first. */
	nanosleep(&pause, NULL);
	for (i = 0; i < 500 && !__atomic_load_n(&s.done, __ATOMIC_ACQUIRE);
	     i++) {
		pthread_kill(thread, SIGUSR1);
		nanosleep(&pause, NULL);
	}
	if (!__atomic_load_n(&s.done, __ATOMIC_ACQUIRE)) {
		/* Still spinning: kill the whole test, it has failed. */
		TH_LOG("KVM_RUN did not return after %d signals", i);
		ASSERT_TRUE(s.done);
	}
	pthread_join(thread, NULL);
	EXPECT_EQ(-EINTR, s.ret);
	EXPECT_EQ((uint32_t)KVM_EXIT_INTR, s.exit_reason);
	if (s.exit_reason != KVM_EXIT_INTR)
		KVMT_LOG_EXIT(s.vcpu, "kick");
	/* Stopped inside the spin loop. */
	kvmt_get_regs(s.vcpu, &r);
	EXPECT_LE((uint64_t)KVMT_CODE_GPA, r.rip);
	EXPECT_GT(KVMT_CODE_GPA + (uint64_t)(long_spin_end - long_spin_start),
		  r.rip);
	kvmt_vm_free(s.vcpu->vm);
}

TEST(signal_interrupts_run)
{
	KVMT_REQUIRE_KVM();
	kick_spinner(_metadata, false);
}

TEST(signal_unblocked_by_run_mask)
{
	KVMT_REQUIRE_KVM();
	kick_spinner(_metadata, true);
}

/*
 * A signal pending before KVM_RUN: KVM_SET_SIGNAL_MASK decides whether it
 * stops the run at once or is left for later.
 */
TEST(pending_signal_and_run_mask)
{
	struct kvmt_vcpu *vcpu;
	sigset_t empty, usr1;
	struct timespec zero = { 0, 0 };

	KVMT_REQUIRE_KVM();
	vcpu = kvmt_guest_new(KVMT_MODE_LONG, KVMT_CODE(long_peek));
	catch_usr1();
	block_usr1(SIG_BLOCK);
	sigemptyset(&empty);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	raise(SIGUSR1);
	ASSERT_EQ(0, got_usr1);

	/* Blocked during KVM_RUN too: the guest runs normally. */
	ASSERT_EQ(0, set_run_sigmask(vcpu, &usr1, KERNEL_SIGSET_SIZE));
	point_peek(vcpu);
	RUN_TO_OUT(vcpu, 0x70, 4, 0x5151);
	RUN_TO_EXIT(vcpu, KVM_EXIT_HLT);

	/* Unblocked during KVM_RUN: it returns at once. */
	ASSERT_EQ(0, set_run_sigmask(vcpu, &empty, KERNEL_SIGSET_SIZE));
	point_peek(vcpu);
	EXPECT_EQ(-EINTR, kvmt_vcpu_run_raw(vcpu));
	ASSERT_EXIT(vcpu, KVM_EXIT_INTR);
	EXPECT_EQ((uint64_t)KVMT_CODE_GPA, kvmt_get_rip(vcpu));

	/* No vCPU mask: the thread's mask (blocked) applies again. */
	ASSERT_EQ(0, set_run_sigmask(vcpu, NULL, 0));
	RUN_TO_OUT(vcpu, 0x70, 4, 0x5151);
	RUN_TO_EXIT(vcpu, KVM_EXIT_HLT);

	/* The mask must be exactly the kernel's sigset size. */
	EXPECT_ERRNO(EINVAL, set_run_sigmask(vcpu, &empty, 4));
	EXPECT_ERRNO(EINVAL, set_run_sigmask(vcpu, &empty, 16));

	/* The signal is still pending, never delivered while blocked. */
	EXPECT_EQ(SIGUSR1, sigtimedwait(&usr1, NULL, &zero));
	EXPECT_EQ(0, got_usr1);
	kvmt_vm_free(vcpu->vm);
}

/* What the child saw, in a page shared with the parent. */
struct child_report {
	int run, get_regs, set_regs, get_sregs;		/* vCPU fd */
	int create_vcpu, set_region, check_ext, get_dirty; /* VM fd */
	int api_version, own_vm;			/* /dev/kvm */
	bool finished;
};

static int errno_of(long r)
{
	return r < 0 ? errno : 0;
}

TEST(forked_child_gets_eio)
{
	struct kvmt_vcpu *vcpu;
	struct child_report *rep;
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	uint64_t bitmap[4];
	struct kvm_dirty_log log = { .slot = 0, .dirty_bitmap = bitmap };
	int status;
	pid_t pid;

	KVMT_REQUIRE_KVM();
	vcpu = kvmt_guest_new(KVMT_MODE_LONG, KVMT_CODE(long_peek));
	rep = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(rep != MAP_FAILED);
	kvmt_get_regs(vcpu, &regs);

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int vm;

		rep->run = errno_of(ioctl(vcpu->fd, KVM_RUN, 0));
		rep->get_regs = errno_of(ioctl(vcpu->fd, KVM_GET_REGS, &regs));
		rep->set_regs = errno_of(ioctl(vcpu->fd, KVM_SET_REGS, &regs));
		rep->get_sregs = errno_of(ioctl(vcpu->fd, KVM_GET_SREGS,
						&sregs));
		rep->create_vcpu = errno_of(ioctl(vcpu->vm->fd,
						  KVM_CREATE_VCPU, 1));
		rep->set_region = -kvmt_set_region_raw(vcpu->vm->fd, 3, 0,
						       1ULL << 30, 4096,
						       (uintptr_t)rep);
		rep->check_ext = errno_of(ioctl(vcpu->vm->fd,
						KVM_CHECK_EXTENSION,
						KVM_CAP_USER_MEMORY));
		rep->get_dirty = errno_of(ioctl(vcpu->vm->fd,
						KVM_GET_DIRTY_LOG, &log));
		rep->api_version = ioctl(vcpu->vm->sys_fd,
					 KVM_GET_API_VERSION, 0);
		vm = ioctl(vcpu->vm->sys_fd, KVM_CREATE_VM, 0);
		rep->own_vm = vm >= 0 ? 0 : errno;
		rep->finished = true;
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_TRUE(rep->finished);

	EXPECT_EQ(EIO, rep->run);
	EXPECT_EQ(EIO, rep->get_regs);
	EXPECT_EQ(EIO, rep->set_regs);
	EXPECT_EQ(EIO, rep->get_sregs);
	EXPECT_EQ(EIO, rep->create_vcpu);
	EXPECT_EQ(EIO, rep->set_region);
	EXPECT_EQ(EIO, rep->check_ext);
	EXPECT_EQ(EIO, rep->get_dirty);
	/* /dev/kvm is not tied to a VM: the child may make its own. */
	EXPECT_EQ(KVM_API_VERSION, rep->api_version);
	EXPECT_EQ(0, rep->own_vm);

	/* The parent's VM is untouched. */
	point_peek(vcpu);
	RUN_TO_OUT(vcpu, 0x70, 4, 0x5151);
	RUN_TO_EXIT(vcpu, KVM_EXIT_HLT);
	munmap(rep, 4096);
	kvmt_vm_free(vcpu->vm);
}

TEST_HARNESS_MAIN
