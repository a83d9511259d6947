// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory slots deleted, re-created and moved while a vCPU keeps reading
 * through them.  Every read must either come from one of the host pages
 * that backed the slot or, while no slot is there, become an MMIO exit;
 * never another exit, an error or a value from nowhere.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kvmt_test.h"

KVMT_GUEST(long_peek_loop);

#define SLOT		1
#define GPA_A		(1ULL << 20)
#define GPA_B		(2ULL << 20)
#define VAL_PAGE0	0x11110000U
#define VAL_PAGE1	0x22220000U
#define VAL_MMIO	0x33330000U
#define CHANGES		400

struct reader {
	struct kvmt_vcpu *vcpu;
	bool stop;		/* read and written with atomics */
	unsigned long page_reads, mmio_reads;
	bool failed;		/* err is written before this is set */
	char err[512];
};

static void reader_fail(struct reader *r, const char *what)
{
	char d[384];

	kvmt_describe_exit(r->vcpu, d, sizeof(d));
	snprintf(r->err, sizeof(r->err), "%s; last exit %s", what, d);
	__atomic_store_n(&r->failed, true, __ATOMIC_RELEASE);
}

static bool reader_failed(struct reader *r)
{
	return __atomic_load_n(&r->failed, __ATOMIC_ACQUIRE);
}

static void *read_loop(void *arg)
{
	struct reader *r = arg;
	struct kvm_run *run = r->vcpu->run;
	bool after_mmio = false;
	uint64_t v;

	while (!__atomic_load_n(&r->stop, __ATOMIC_RELAXED)) {
		if (kvmt_vcpu_run_raw(r->vcpu)) {
			reader_fail(r, "KVM_RUN failed");
			return NULL;
		}
		switch (run->exit_reason) {
		case KVM_EXIT_MMIO:
			/* The slot is gone: the read must be MMIO at GPA_A. */
			if (run->mmio.is_write || run->mmio.len != 4 ||
			    run->mmio.phys_addr != GPA_A + 0x40) {
				reader_fail(r, "wrong MMIO exit");
				return NULL;
			}
			kvmt_le_store(run->mmio.data, 4, VAL_MMIO);
			after_mmio = true;
			r->mmio_reads++;
			break;
		case KVM_EXIT_IO:
			if (run->io.port != 0x72 || run->io.size != 4) {
				reader_fail(r, "wrong I/O exit");
				return NULL;
			}
			v = kvmt_le_value(kvmt_io_data(r->vcpu), 4);
			if (after_mmio ? v != VAL_MMIO :
			    v != VAL_PAGE0 && v != VAL_PAGE1) {
				reader_fail(r, "value read is from nowhere");
				return NULL;
			}
			if (!after_mmio)
				__atomic_fetch_add(&r->page_reads, 1,
						   __ATOMIC_RELAXED);
			after_mmio = false;
			break;
		default:
			reader_fail(r, "unexpected exit");
			return NULL;
		}
	}
	return NULL;
}

TEST(slot_changes_under_running_vcpu)
{
	struct reader r = { 0 };
	struct kvm_regs regs;
	pthread_t thread;
	unsigned long before;
	uint8_t *host;
	int fd, i, w;

	KVMT_REQUIRE_KVM();
	r.vcpu = kvmt_guest_new(KVMT_MODE_LONG, KVMT_CODE(long_peek_loop));
	fd = r.vcpu->vm->fd;
	host = kvmt_alloc_mem(2 * KVMT_PAGE_SIZE);
	kvmt_le_store(host + 0x40, 4, VAL_PAGE0);
	kvmt_le_store(host + KVMT_PAGE_SIZE + 0x40, 4, VAL_PAGE1);
	ASSERT_EQ(0, kvmt_set_region_raw(fd, SLOT, 0, GPA_A, KVMT_PAGE_SIZE,
					 (uintptr_t)host));
	kvmt_get_regs(r.vcpu, &regs);
	regs.rbx = GPA_A + 0x40;
	kvmt_set_regs(r.vcpu, &regs);

	ASSERT_EQ(0, pthread_create(&thread, NULL, read_loop, &r));
	for (i = 0; i < CHANGES && !reader_failed(&r); i++) {
		uint8_t *page = host + (i & 1) * KVMT_PAGE_SIZE;

		/* Delete, then re-create over the other host page... */
		ASSERT_EQ(0, kvmt_set_region_raw(fd, SLOT, 0, 0, 0, 0));
		sched_yield();
		ASSERT_EQ(0, kvmt_set_region_raw(fd, SLOT, 0, GPA_A,
						 KVMT_PAGE_SIZE,
						 (uintptr_t)page));
		/*
		 * Let the reader see the slot before it goes again: on a
		 * slow emulated host the deleting thread can otherwise
		 * keep it away for the whole run (bounded wait).
		 */
		before = __atomic_load_n(&r.page_reads, __ATOMIC_RELAXED);
		for (w = 0; w < 20000 && !reader_failed(&r) &&
		     __atomic_load_n(&r.page_reads, __ATOMIC_RELAXED) == before;
		     w++)
			sched_yield();
		/* ...and sometimes move it away and back. */
		if (i % 4 == 0) {
			ASSERT_EQ(0, kvmt_set_region_raw(fd, SLOT, 0, GPA_B,
							 KVMT_PAGE_SIZE,
							 (uintptr_t)page));
			sched_yield();
			ASSERT_EQ(0, kvmt_set_region_raw(fd, SLOT, 0, GPA_A,
							 KVMT_PAGE_SIZE,
							 (uintptr_t)page));
		}
	}
	__atomic_store_n(&r.stop, true, __ATOMIC_RELAXED);
	pthread_join(thread, NULL);
	if (reader_failed(&r))
		TH_LOG("%s", r.err);
	EXPECT_FALSE(r.failed);
	ksft_print_msg("reads from memory %lu, MMIO reads %lu\n",
		       r.page_reads, r.mmio_reads);
	EXPECT_LT(0UL, r.page_reads);
	kvmt_vm_free(r.vcpu->vm);
	kvmt_free_mem(host, 2 * KVMT_PAGE_SIZE);
}

TEST_HARNESS_MAIN
