// SPDX-License-Identifier: GPL-2.0-only
/*
 * Create and destroy hundreds of VMs with memory and running vCPUs and
 * check that nothing is left behind: kernel memory (/proc/meminfo
 * MemAvailable and SUnreclaim), file descriptors and mappings of this
 * process.  Error paths must not leak descriptors either.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kvmt_test.h"

KVMT_GUEST(long_hlt);

#define WARMUP		20
#define CYCLES		300
/*
 * Allowed growth over CYCLES VMs.  Per-CPU page and slab caches make a few
 * MiB of noise with two CPUs; a leaked VM or vCPU (tens of KiB each)
 * still adds up to more than this over CYCLES VMs.
 */
#define SUNRECLAIM_MARGIN_KB	(2 * 1024)
#define AVAILABLE_MARGIN_KB	(16 * 1024)

static int count_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	int c, n = 0;

	if (!f)
		return -1;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

/* Let deferred frees (RCU callbacks, workqueues) finish, drop caches. */
static void settle(void)
{
	int fd;

	sync();
	usleep(500 * 1000);
	fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
	/* Without root this fails and the margins have to absorb caches. */
	if (fd >= 0) {
		ssize_t n = write(fd, "3", 1);

		(void)n;
		close(fd);
	}
	usleep(500 * 1000);
}

/* One VM: RAM, a guest run to HLT, and @nr_vcpus vCPUs in all. */
static void one_vm(int nr_vcpus)
{
	struct kvmt_vcpu *vcpu = kvmt_guest_new(KVMT_MODE_LONG,
						KVMT_CODE(long_hlt));
	struct kvmt_vm *vm = vcpu->vm;
	int i;

	for (i = 1; i < nr_vcpus; i++)
		kvmt_vcpu_new(vm, i);
	if (kvmt_vcpu_run_raw(vcpu) || vcpu->run->exit_reason != KVM_EXIT_HLT)
		KVMT_DIE(0, "guest did not reach HLT");
	kvmt_vm_free(vm);
}

struct snapshot {
	long available_kb, sunreclaim_kb;
	int fds, maps;
};

static void snap(struct snapshot *s)
{
	s->available_kb = kvmt_meminfo_kb("MemAvailable");
	s->sunreclaim_kb = kvmt_meminfo_kb("SUnreclaim");
	s->fds = kvmt_count_fds();
	s->maps = count_maps();
}

/* A fixture only for the longer timeouts TEST_F_TIMEOUT allows. */
FIXTURE(churn) {
	struct snapshot before, after;
};

FIXTURE_SETUP(churn)
{
	KVMT_REQUIRE_KVM();
}

FIXTURE_TEARDOWN(churn)
{
}

static void report(struct __test_metadata *_metadata, const char *what,
		   const struct snapshot *b, const struct snapshot *a)
{
	ksft_print_msg("%s: MemAvailable %ld -> %ld kB, SUnreclaim %ld -> %ld kB,"
		       " fds %d -> %d, maps %d -> %d\n", what,
		       b->available_kb, a->available_kb, b->sunreclaim_kb,
		       a->sunreclaim_kb, b->fds, a->fds, b->maps, a->maps);
	EXPECT_EQ(b->fds, a->fds);
	EXPECT_EQ(b->maps, a->maps);
	if (b->available_kb < 0 || b->sunreclaim_kb < 0) {
		TH_LOG("no MemAvailable/SUnreclaim in /proc/meminfo");
		return;
	}
	EXPECT_GT(SUNRECLAIM_MARGIN_KB, a->sunreclaim_kb - b->sunreclaim_kb);
	EXPECT_GT(AVAILABLE_MARGIN_KB, b->available_kb - a->available_kb);
}

TEST_F_TIMEOUT(churn, vms, 600)
{
	int i;

	/* Caches and lazily allocated kernel state fill up first. */
	for (i = 0; i < WARMUP; i++)
		one_vm(1 + i % 4);
	settle();
	snap(&self->before);
	for (i = 0; i < CYCLES; i++)
		one_vm(i % 10 ? 1 : 8);
	settle();
	snap(&self->after);
	report(_metadata, "vms", &self->before, &self->after);
}

/* Failing calls must not leave descriptors or kernel objects behind. */
TEST_F_TIMEOUT(churn, error_paths, 300)
{
	struct kvmt_vm *vm;
	int i, max_id;

	vm = kvmt_vm_new();
	max_id = kvmt_check_cap(vm->fd, KVM_CAP_MAX_VCPU_ID);
	ASSERT_LE(0, ioctl(vm->fd, KVM_CREATE_VCPU, 0));
	settle();
	snap(&self->before);
	for (i = 0; i < 2000; i++) {
		EXPECT_ERRNO(EINVAL, ioctl(vm->sys_fd, KVM_CREATE_VM, 7));
		EXPECT_ERRNO(EINVAL, ioctl(vm->fd, KVM_CREATE_VCPU, max_id));
		EXPECT_ERRNO(EEXIST, ioctl(vm->fd, KVM_CREATE_VCPU, 0));
		EXPECT_EQ(-EINVAL, kvmt_set_region_raw(vm->fd, 1, 0, 0x1000,
						       0x1000, 0x1234));
		if (_metadata->passed == 0)
			break;
	}
	settle();
	snap(&self->after);
	report(_metadata, "error paths", &self->before, &self->after);
	kvmt_vm_free(vm);
}

TEST_HARNESS_MAIN
