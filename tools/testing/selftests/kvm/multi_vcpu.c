// SPDX-License-Identifier: GPL-2.0-only
/*
 * Several vCPUs of one VM running at once, each from its own thread, and
 * the lifetime rules: a vCPU fd keeps its VM alive after the VM fd is
 * closed, and a closed vCPU fd leaves the VM usable.
 */
#include <pthread.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kvmt_test.h"

KVMT_GUEST(long_count);
KVMT_GUEST(long_peek);
KVMT_GUEST(real_hlt);
KVMT_GUEST(prot32_hlt);
KVMT_GUEST(long_hlt);

#define NR_VCPUS	4
#define ROUNDS		200

/*
 * Per-thread record.  Threads must not use the harness's ASSERTs (they
 * unwind the test's main thread), so they note the first problem here and
 * the main thread judges.
 */
struct worker {
	struct kvmt_vcpu *vcpu;
	pthread_t thread;
	unsigned int outs;
	char err[512];
};

static void worker_fail(struct worker *w, const char *what)
{
	char d[384];

	if (w->err[0])
		return;
	kvmt_describe_exit(w->vcpu, d, sizeof(d));
	snprintf(w->err, sizeof(w->err), "vCPU %d: %s; last exit %s",
		 w->vcpu->id, what, d);
}

/* long_count: OUTs of the vCPU id until HLT. */
static void *count_worker(void *arg)
{
	struct worker *w = arg;
	struct kvm_run *run = w->vcpu->run;

	for (;;) {
		if (kvmt_vcpu_run_raw(w->vcpu)) {
			worker_fail(w, "KVM_RUN failed");
			return NULL;
		}
		if (run->exit_reason == KVM_EXIT_HLT)
			return NULL;
		if (run->exit_reason != KVM_EXIT_IO ||
		    run->io.direction != KVM_EXIT_IO_OUT ||
		    run->io.port != 0x70 || run->io.size != 4 ||
		    run->io.count != 1 ||
		    kvmt_le_value(kvmt_io_data(w->vcpu), 4) !=
		    (uint64_t)w->vcpu->id) {
			worker_fail(w, "unexpected exit");
			return NULL;
		}
		w->outs++;
	}
}

static void join_all(struct __test_metadata *_metadata, struct worker *w,
		     int n)
{
	int i;

	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, pthread_join(w[i].thread, NULL));
		if (w[i].err[0])
			TH_LOG("%s", w[i].err);
		EXPECT_EQ('\0', w[i].err[0]);
	}
}

TEST(parallel_vcpus)
{
	struct worker w[NR_VCPUS] = { 0 };
	struct kvmt_vm *vm;
	struct kvm_regs r;
	uint32_t *counter;
	int i;

	KVMT_REQUIRE_KVM();
	vm = kvmt_vm_new();
	kvmt_vm_add_ram(vm, KVMT_RAM_SLOT, 0, KVMT_RAM_SIZE, 0);
	kvmt_load_code(vm, KVMT_CODE_GPA, KVMT_CODE(long_count));
	counter = kvmt_gpa2hva(vm, KVMT_DATA_GPA);
	*counter = 0;

	/* All vCPUs are set up here; each then runs in its own thread. */
	for (i = 0; i < NR_VCPUS; i++) {
		w[i].vcpu = kvmt_vcpu_new(vm, i);
		kvmt_setup_mode(w[i].vcpu, KVMT_MODE_LONG, KVMT_CODE_GPA);
		kvmt_get_regs(w[i].vcpu, &r);
		r.rbx = i;
		r.rcx = ROUNDS;
		r.rsi = KVMT_DATA_GPA;
		kvmt_set_regs(w[i].vcpu, &r);
	}
	for (i = 0; i < NR_VCPUS; i++)
		ASSERT_EQ(0, pthread_create(&w[i].thread, NULL, count_worker,
					    &w[i]));
	join_all(_metadata, w, NR_VCPUS);

	for (i = 0; i < NR_VCPUS; i++)
		EXPECT_EQ((unsigned int)ROUNDS, w[i].outs);
	/* LOCK INC from all vCPUs on one word: no update lost. */
	EXPECT_EQ((uint32_t)(NR_VCPUS * ROUNDS), *counter);
	kvmt_vm_free(vm);
}

/* *_hlt: HLT, HLT, OUT 0x77 to port 0x50, HLT. */
static void *hlt_worker(void *arg)
{
	struct worker *w = arg;
	struct kvm_run *run = w->vcpu->run;
	int step;

	for (step = 0; step < 4; step++) {
		if (kvmt_vcpu_run_raw(w->vcpu)) {
			worker_fail(w, "KVM_RUN failed");
			return NULL;
		}
		if (step == 2) {
			if (run->exit_reason != KVM_EXIT_IO ||
			    run->io.port != 0x50 ||
			    kvmt_le_value(kvmt_io_data(w->vcpu), 1) != 0x77) {
				worker_fail(w, "wanted OUT 0x77 to port 0x50");
				return NULL;
			}
		} else if (run->exit_reason != KVM_EXIT_HLT) {
			worker_fail(w, "wanted HLT");
			return NULL;
		}
		w->outs++;
	}
	return NULL;
}

/* Three vCPUs of one VM in real, protected and long mode at once. */
TEST(mixed_modes)
{
	static const struct {
		enum kvmt_mode mode;
		const uint8_t *start, *end;
		uint64_t gpa;
	} progs[] = {
		{ KVMT_MODE_REAL, real_hlt_start, real_hlt_end,
		  KVMT_CODE_GPA },
		{ KVMT_MODE_PROT32, prot32_hlt_start, prot32_hlt_end,
		  KVMT_CODE_GPA + 0x4000 },
		{ KVMT_MODE_LONG, long_hlt_start, long_hlt_end,
		  KVMT_CODE_GPA + 0x8000 },
	};
	struct worker w[3] = { 0 };
	struct kvmt_vm *vm;
	int i;

	KVMT_REQUIRE_KVM();
	vm = kvmt_vm_new();
	kvmt_vm_add_ram(vm, KVMT_RAM_SLOT, 0, KVMT_RAM_SIZE, 0);
	for (i = 0; i < 3; i++) {
		kvmt_load_code(vm, progs[i].gpa, progs[i].start, progs[i].end);
		w[i].vcpu = kvmt_vcpu_new(vm, i);
		kvmt_setup_mode(w[i].vcpu, progs[i].mode, progs[i].gpa);
	}
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, pthread_create(&w[i].thread, NULL, hlt_worker,
					    &w[i]));
	join_all(_metadata, w, 3);
	for (i = 0; i < 3; i++)
		EXPECT_EQ(4U, w[i].outs);
	kvmt_vm_free(vm);
}

/* The VM fd (and /dev/kvm's) closed first: the vCPU still runs. */
TEST(vcpu_outlives_vm_fd)
{
	struct kvmt_vcpu *vcpu;
	struct kvm_regs r;

	KVMT_REQUIRE_KVM();
	vcpu = kvmt_guest_new(KVMT_MODE_LONG, KVMT_CODE(long_peek));
	kvmt_le_store(kvmt_gpa2hva(vcpu->vm, KVMT_DATA_GPA), 4, 0xc0ffee);
	kvmt_get_regs(vcpu, &r);
	r.rbx = KVMT_DATA_GPA;
	kvmt_set_regs(vcpu, &r);

	ASSERT_EQ(0, close(vcpu->vm->fd));
	ASSERT_EQ(0, close(vcpu->vm->sys_fd));
	vcpu->vm->fd = -1;
	vcpu->vm->sys_fd = -1;

	RUN_TO_OUT(vcpu, 0x70, 4, 0xc0ffee);
	RUN_TO_EXIT(vcpu, KVM_EXIT_HLT);
	/* Guest memory is still the same memory. */
	kvmt_le_store(kvmt_gpa2hva(vcpu->vm, KVMT_DATA_GPA), 4, 0xbadf00d);
	kvmt_set_rip(vcpu, KVMT_CODE_GPA);
	RUN_TO_OUT(vcpu, 0x70, 4, 0xbadf00d);
	RUN_TO_EXIT(vcpu, KVM_EXIT_HLT);
	kvmt_vm_free(vcpu->vm);
}

/* A closed vCPU fd: the VM and its other vCPUs carry on. */
TEST(vm_outlives_vcpu_fd)
{
	struct kvmt_vcpu *first, *second;
	struct kvmt_vm *vm;
	struct kvm_regs r;

	KVMT_REQUIRE_KVM();
	first = kvmt_guest_new(KVMT_MODE_LONG, KVMT_CODE(long_peek));
	vm = first->vm;
	kvmt_vcpu_free(first);

	second = kvmt_vcpu_new(vm, 1);
	kvmt_setup_mode(second, KVMT_MODE_LONG, KVMT_CODE_GPA);
	kvmt_le_store(kvmt_gpa2hva(vm, KVMT_DATA_GPA), 4, 0x2222);
	kvmt_get_regs(second, &r);
	r.rbx = KVMT_DATA_GPA;
	kvmt_set_regs(second, &r);
	RUN_TO_OUT(second, 0x70, 4, 0x2222);
	RUN_TO_EXIT(second, KVM_EXIT_HLT);
	/* Id 0 is still taken by the vCPU whose fd is gone. */
	EXPECT_ERRNO(EEXIST, ioctl(vm->fd, KVM_CREATE_VCPU, 0));
	kvmt_vm_free(vm);
}

TEST_HARNESS_MAIN
