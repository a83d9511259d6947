// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_GET_DIRTY_LOG: which slots have a log, and that the log holds
 * exactly the pages the guest wrote since the previous call, over a
 * slot large enough for a multi-word bitmap; pages written again after
 * a call are reported again, reads and the VMM's own writes are not.
 */
#include <stdlib.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "kvmt_test.h"

KVMT_GUEST(long_write_list);
KVMT_GUEST(long_read_list);

#define P_WRITE		(KVMT_CODE_GPA + 0x000)
#define P_READ		(KVMT_CODE_GPA + 0x100)
#define LIST_GPA	KVMT_DATA_GPA

/* A logged slot of 300 pages (5 bitmap words, the last partly used). */
#define LOG_SLOT	1
#define LOG_GPA		0x10000000ULL
#define LOG_PAGES	300
#define LOG_WORDS	((LOG_PAGES + 63) / 64)
/* A second logged slot right after it. */
#define LOG2_SLOT	2
#define LOG2_GPA	(LOG_GPA + 0x1000000)
#define LOG2_PAGES	16

#define PAGE		4096ULL

FIXTURE(dirty) {
	struct kvmt_vcpu *vcpu;
	uint8_t *mem;
	uint8_t *mem2;
};

FIXTURE_SETUP(dirty)
{
	KVMT_REQUIRE_KVM();
	self->vcpu = kvmt_guest_new(KVMT_MODE_LONG, KVMT_CODE(long_write_list));
	kvmt_load_code(self->vcpu->vm, P_READ, KVMT_CODE(long_read_list));
	self->mem = kvmt_vm_add_ram(self->vcpu->vm, LOG_SLOT, LOG_GPA,
				    LOG_PAGES * PAGE, KVM_MEM_LOG_DIRTY_PAGES);
	self->mem2 = kvmt_vm_add_ram(self->vcpu->vm, LOG2_SLOT, LOG2_GPA,
				     LOG2_PAGES * PAGE,
				     KVM_MEM_LOG_DIRTY_PAGES);
}

FIXTURE_TEARDOWN(dirty)
{
	if (self->vcpu)
		kvmt_vm_free(self->vcpu->vm);
}

/* Make the guest store @val to (or load from) each address. */
static void guest_touch(struct __test_metadata *_metadata,
			struct kvmt_vcpu *vcpu, bool write,
			const uint64_t *gpas, unsigned int n, uint32_t val)
{
	struct kvm_regs r = {
		.rip = write ? P_WRITE : P_READ, .rsp = KVMT_STACK_TOP,
		.rflags = 2, .rsi = LIST_GPA, .rcx = n, .rax = val,
	};

	kvmt_write_guest(vcpu->vm, LIST_GPA, gpas, n * sizeof(*gpas));
	kvmt_set_regs(vcpu, &r);
	RUN_TO_IO(vcpu, KVM_EXIT_IO_OUT, 0xa8, 1, 1);
}

/* Guest writes to pages @pages (page numbers) of the first slot. */
static void guest_write_pages(struct __test_metadata *_metadata,
			      struct kvmt_vcpu *vcpu, const unsigned int *pages,
			      unsigned int n, uint32_t val)
{
	uint64_t gpas[64];
	unsigned int i;

	ASSERT_GE(KVMT_ARRAY_SIZE(gpas), n);
	for (i = 0; i < n; i++)
		gpas[i] = LOG_GPA + pages[i] * PAGE + 8 * (i % 512);
	guest_touch(_metadata, vcpu, true, gpas, n, val);
}

static int get_log(int vm, uint32_t slot, uint64_t *bitmap)
{
	struct kvm_dirty_log log;

	memset(&log, 0, sizeof(log));
	log.slot = slot;
	log.dirty_bitmap = bitmap;
	return ioctl(vm, KVM_GET_DIRTY_LOG, &log);
}

/*
 * Fetch the first slot's log and compare it with @pages exactly.  A
 * sentinel word after the bitmap must stay untouched.
 */
static void expect_log(struct __test_metadata *_metadata, int vm,
		       const unsigned int *pages, unsigned int n)
{
	uint64_t bm[LOG_WORDS + 1], want[LOG_WORDS];
	unsigned int i;

	memset(bm, 0xa5, sizeof(bm));
	memset(want, 0, sizeof(want));
	for (i = 0; i < n; i++)
		want[pages[i] / 64] |= 1ULL << (pages[i] % 64);
	ASSERT_EQ(0, get_log(vm, LOG_SLOT, bm));
	for (i = 0; i < LOG_WORDS; i++) {
		if (bm[i] != want[i])
			TH_LOG("word %u (pages %u-%u): %#018llx, "
			       "wanted %#018llx", i, i * 64, i * 64 + 63,
			       (unsigned long long)bm[i],
			       (unsigned long long)want[i]);
		EXPECT_EQ(want[i], bm[i]);
	}
	EXPECT_EQ(0xa5a5a5a5a5a5a5a5ULL, bm[LOG_WORDS]);
}

/* Only slots that exist and log dirty pages have a log. */
TEST_F(dirty, enoent)
{
	struct kvmt_vcpu *vcpu = self->vcpu;
	uint64_t bm[LOG_WORDS + 1];
	int vm = vcpu->vm->fd;

	/* Slot 0 (RAM without logging), missing slots. */
	EXPECT_ERRNO(ENOENT, get_log(vm, KVMT_RAM_SLOT, bm));
	EXPECT_ERRNO(ENOENT, get_log(vm, 3, bm));
	EXPECT_ERRNO(ENOENT, get_log(vm, 100, bm));
	EXPECT_ERRNO(0, get_log(vm, LOG_SLOT, bm));

	/* Logging switched off: no log; back on: a log again. */
	ASSERT_EQ(0, kvmt_set_region_raw(vm, LOG_SLOT, 0, LOG_GPA,
					 LOG_PAGES * PAGE,
					 (uintptr_t)self->mem));
	EXPECT_ERRNO(ENOENT, get_log(vm, LOG_SLOT, bm));
	ASSERT_EQ(0, kvmt_set_region_raw(vm, LOG_SLOT,
					 KVM_MEM_LOG_DIRTY_PAGES, LOG_GPA,
					 LOG_PAGES * PAGE,
					 (uintptr_t)self->mem));
	EXPECT_ERRNO(0, get_log(vm, LOG_SLOT, bm));

	/* A deleted slot has none. */
	kvmt_vm_del_ram(vcpu->vm, LOG2_SLOT);
	EXPECT_ERRNO(ENOENT, get_log(vm, LOG2_SLOT, bm));
}

/*
 * Each call reports the pages written since the previous one, no more
 * and no less; a page written again after being reported is reported
 * again.
 */
TEST_F(dirty, exact_pages)
{
	static const unsigned int w1[] = { 0, 1, 63, 64, 130, 255, 256, 299,
					   1, 64 };
	static const unsigned int w2[] = { 1, 64, 200 };
	static const unsigned int w3[] = { 299, 0 };
	struct kvmt_vcpu *vcpu = self->vcpu;
	int vm = vcpu->vm->fd;

	/* Nothing written yet. */
	expect_log(_metadata, vm, NULL, 0);

	guest_write_pages(_metadata, vcpu, w1, KVMT_ARRAY_SIZE(w1), 0x11);
	EXPECT_EQ(0x11ULL, kvmt_le_value(self->mem + 130 * PAGE + 8 * 4, 4));
	expect_log(_metadata, vm, w1, KVMT_ARRAY_SIZE(w1));
	/* Reported once. */
	expect_log(_metadata, vm, NULL, 0);

	guest_write_pages(_metadata, vcpu, w2, KVMT_ARRAY_SIZE(w2), 0x22);
	expect_log(_metadata, vm, w2, KVMT_ARRAY_SIZE(w2));

	/* Many rounds over the same pages: each round shows up again. */
	for (unsigned int i = 0; i < 5; i++) {
		guest_write_pages(_metadata, vcpu, w3, KVMT_ARRAY_SIZE(w3),
				  0x30 + i);
		expect_log(_metadata, vm, w3, KVMT_ARRAY_SIZE(w3));
	}
	EXPECT_EQ(0x34ULL, kvmt_le_value(self->mem + 299 * PAGE, 4));
}

/*
 * Guest reads of pages nobody wrote, and the VMM's own stores, do not
 * dirty pages.  (A guest read of a page the VMM wrote may be reported:
 * the in-tree KVM maps such a page writable on the read fault and counts
 * it dirty then, which a dirty log may do.  The test does not look.)
 */
TEST_F(dirty, reads_and_host_writes)
{
	static const unsigned int w[] = { 5, 70 };
	uint64_t gpas[3] = {
		LOG_GPA + 2 * PAGE, LOG_GPA + 100 * PAGE, LOG_GPA + 5 * PAGE,
	};
	struct kvmt_vcpu *vcpu = self->vcpu;
	int vm = vcpu->vm->fd;
	struct kvm_regs r;

	guest_write_pages(_metadata, vcpu, w, KVMT_ARRAY_SIZE(w), 0x44);
	expect_log(_metadata, vm, w, KVMT_ARRAY_SIZE(w));

	/* Two untouched pages and one the guest wrote before. */
	guest_touch(_metadata, vcpu, false, gpas, 3, 0);
	kvmt_get_regs(vcpu, &r);
	EXPECT_EQ(0x44ULL, r.rdx);
	expect_log(_metadata, vm, NULL, 0);

	memset(self->mem + 7 * PAGE, 0x77, 64);
	memset(self->mem + 5 * PAGE, 0x78, 64);
	expect_log(_metadata, vm, NULL, 0);
	/* The guest sees the VMM's stores all the same. */
	gpas[0] = LOG_GPA + 7 * PAGE;
	guest_touch(_metadata, vcpu, false, gpas, 1, 0);
	kvmt_get_regs(vcpu, &r);
	EXPECT_EQ(0x77777777ULL, r.rdx);
	gpas[0] = LOG_GPA + 5 * PAGE;
	guest_touch(_metadata, vcpu, false, gpas, 1, 0);
	kvmt_get_regs(vcpu, &r);
	EXPECT_EQ(0x78787878ULL, r.rdx);
}

/* Each slot has its own log; bit 0 is the slot's first page. */
TEST_F(dirty, per_slot)
{
	static const unsigned int w[] = { 3 };
	uint64_t gpas[2] = { LOG2_GPA + 0 * PAGE, LOG2_GPA + 15 * PAGE };
	struct kvmt_vcpu *vcpu = self->vcpu;
	int vm = vcpu->vm->fd;
	uint64_t bm[2];

	ASSERT_EQ(0, get_log(vm, LOG2_SLOT, bm));
	guest_touch(_metadata, vcpu, true, gpas, 2, 0x55);
	guest_write_pages(_metadata, vcpu, w, 1, 0x66);
	memset(bm, 0xa5, sizeof(bm));
	ASSERT_EQ(0, get_log(vm, LOG2_SLOT, bm));
	EXPECT_EQ((1ULL << 0) | (1ULL << 15), bm[0]);
	EXPECT_EQ(0xa5a5a5a5a5a5a5a5ULL, bm[1]);
	expect_log(_metadata, vm, w, 1);
	ASSERT_EQ(0, get_log(vm, LOG2_SLOT, bm));
	EXPECT_EQ(0ULL, bm[0]);
}

TEST_HARNESS_MAIN
