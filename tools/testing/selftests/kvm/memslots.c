// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_SET_USER_MEMORY_REGION: the rules api.rst states (page alignment,
 * slot ids below KVM_CAP_NR_MEMSLOTS, address spaces below
 * KVM_CAP_MULTI_ADDRESS_SPACE, no overlap, delete with size 0, move and
 * flag changes but no resize) with the errnos of the in-tree KVM, and what
 * a guest sees when slots move, are read-only or log dirty pages.
 */
#include <sys/ioctl.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kvmt_test.h"

#define MB		(1ULL << 20)
#define HOST_SIZE	(2 * MB)

KVMT_GUEST(long_peek);
KVMT_GUEST(long_poke);

FIXTURE(slots) {
	struct kvmt_vm *vm;
	uint8_t *mem;		/* HOST_SIZE bytes to back test slots */
	uint64_t hva;
	int nr_slots;
};

FIXTURE_SETUP(slots)
{
	KVMT_REQUIRE_KVM();
	self->vm = kvmt_vm_new();
	self->mem = kvmt_alloc_mem(HOST_SIZE);
	self->hva = (uintptr_t)self->mem;
	self->nr_slots = kvmt_check_cap(self->vm->fd, KVM_CAP_NR_MEMSLOTS);
	ASSERT_LT(2, self->nr_slots);
}

FIXTURE_TEARDOWN(slots)
{
	kvmt_vm_free(self->vm);
	kvmt_free_mem(self->mem, HOST_SIZE);
}

/* Expect KVM_SET_USER_MEMORY_REGION to fail with @err (0: succeed). */
#define EXPECT_SLOT(err, slot, flags, gpa, size, hva) do {		\
	int __r = kvmt_set_region_raw(self->vm->fd, (slot), (flags),	\
				      (gpa), (size), (hva));		\
	if (__r != -(err))						\
		TH_LOG("slot %#x flags %#x gpa %#llx size %#llx hva %#llx:"\
		       " got %d (%s), wanted %d",			\
		       (unsigned int)(slot), (unsigned int)(flags),	\
		       (unsigned long long)(gpa),			\
		       (unsigned long long)(size),			\
		       (unsigned long long)(hva), __r,			\
		       __r ? strerror(-__r) : "ok", -(err));		\
	EXPECT_EQ(-(err), __r);						\
} while (0)

TEST_F(slots, create_and_delete)
{
	EXPECT_SLOT(0, 1, 0, MB, MB, self->hva);
	EXPECT_SLOT(0, 1, 0, 0, 0, 0);
	/* The slot id and the range are free again. */
	EXPECT_SLOT(0, 1, 0, 2 * MB, MB, self->hva);
	EXPECT_SLOT(0, 2, 0, MB, MB, self->hva + MB);
}

TEST_F(slots, alignment)
{
	EXPECT_SLOT(EINVAL, 1, 0, MB + 0x100, 0x1000, self->hva);
	EXPECT_SLOT(EINVAL, 1, 0, MB + 0x800, 0x1000, self->hva);
	EXPECT_SLOT(EINVAL, 1, 0, MB, 0x1100, self->hva);
	EXPECT_SLOT(EINVAL, 1, 0, MB, 0x800, self->hva);
	EXPECT_SLOT(EINVAL, 1, 0, MB, 0x1000, self->hva + 8);
	EXPECT_SLOT(EINVAL, 1, 0, MB, 0x1000, self->hva + 0x800);
	/* None of the failures left a slot behind. */
	EXPECT_SLOT(0, 1, 0, MB, 0x1000, self->hva);
}

TEST_F(slots, unknown_flags)
{
	unsigned int bit;

	for (bit = 2; bit < 32; bit++)
		EXPECT_SLOT(EINVAL, 1, 1U << bit, MB, 0x1000, self->hva);
	/* Also when deleting. */
	EXPECT_SLOT(EINVAL, 1, 1U << 3, 0, 0, 0);
}

TEST_F(slots, slot_id_limit)
{
	uint32_t n = self->nr_slots;

	EXPECT_SLOT(0, n - 1, 0, MB, 0x1000, self->hva);
	EXPECT_SLOT(EINVAL, n, 0, 2 * MB, 0x1000, self->hva);
	EXPECT_SLOT(EINVAL, 0xffff, 0, 2 * MB, 0x1000, self->hva);
	EXPECT_SLOT(EINVAL, n, 0, 0, 0, 0);
}

/*
 * Bits 16-31 of "slot" select an address space.  x86 has two (the second
 * for SMM); slots in different spaces may overlap.
 */
TEST_F(slots, address_spaces)
{
	int nr_as = kvmt_check_cap(self->vm->fd, KVM_CAP_MULTI_ADDRESS_SPACE);
	uint32_t as;

	if (nr_as < 1)
		nr_as = 1;
	EXPECT_SLOT(0, 1, 0, MB, MB, self->hva);
	for (as = 1; as < (uint32_t)nr_as; as++)
		EXPECT_SLOT(0, (as << 16) | 1, 0, MB, MB, self->hva);
	EXPECT_SLOT(EINVAL, ((uint32_t)nr_as << 16) | 2, 0, 4 * MB, MB,
		    self->hva);
	EXPECT_SLOT(EINVAL, 0xffffU << 16 | 2, 0, 4 * MB, MB, self->hva);
	for (as = 1; as < (uint32_t)nr_as; as++)
		EXPECT_SLOT(0, (as << 16) | 1, 0, 0, 0, 0);
}

TEST_F(slots, overlap)
{
	EXPECT_SLOT(0, 1, 0, MB, MB, self->hva);
	EXPECT_SLOT(EEXIST, 2, 0, MB, MB, self->hva);		/* same */
	EXPECT_SLOT(EEXIST, 2, 0, MB - 0x1000, 0x2000, self->hva); /* head */
	EXPECT_SLOT(EEXIST, 2, 0, 2 * MB - 0x1000, 0x2000, self->hva);
	EXPECT_SLOT(EEXIST, 2, 0, MB + 0x4000, 0x1000, self->hva); /* inside */
	EXPECT_SLOT(EEXIST, 2, 0, 0, 4 * MB, self->hva);	/* around */
	/* Touching is not overlapping. */
	EXPECT_SLOT(0, 2, 0, MB - 0x1000, 0x1000, self->hva);
	EXPECT_SLOT(0, 3, 0, 2 * MB, 0x1000, self->hva);
	/* The same host memory may back several slots. */
	EXPECT_SLOT(0, 4, 0, 8 * MB, MB, self->hva);
}

TEST_F(slots, move)
{
	EXPECT_SLOT(0, 1, 0, MB, 0x2000, self->hva);
	EXPECT_SLOT(0, 2, 0, 4 * MB, 0x2000, self->hva);
	/* Same size, new gpa. */
	EXPECT_SLOT(0, 1, 0, 2 * MB, 0x2000, self->hva);
	/* Onto another slot. */
	EXPECT_SLOT(EEXIST, 1, 0, 4 * MB + 0x1000, 0x2000, self->hva);
	/* The old place is free. */
	EXPECT_SLOT(0, 3, 0, MB, 0x2000, self->hva);
}

TEST_F(slots, no_resize_no_remap)
{
	EXPECT_SLOT(0, 1, 0, MB, 0x2000, self->hva);
	EXPECT_SLOT(EINVAL, 1, 0, MB, 0x3000, self->hva);
	EXPECT_SLOT(EINVAL, 1, 0, MB, 0x1000, self->hva);
	EXPECT_SLOT(EINVAL, 1, 0, 2 * MB, 0x3000, self->hva);
	/* userspace_addr of an existing slot is fixed too. */
	EXPECT_SLOT(EINVAL, 1, 0, MB, 0x2000, self->hva + 0x1000);
	/* Unchanged: same values are fine. */
	EXPECT_SLOT(0, 1, 0, MB, 0x2000, self->hva);
}

/*
 * Dirty logging can be switched on an existing slot, together with a move
 * even; KVM_MEM_READONLY can be chosen only when a slot is created.
 */
TEST_F(slots, flag_changes)
{
	int ro = kvmt_check_cap(self->vm->fd, KVM_CAP_READONLY_MEM);

	EXPECT_SLOT(0, 1, 0, MB, 0x2000, self->hva);
	EXPECT_SLOT(0, 1, KVM_MEM_LOG_DIRTY_PAGES, MB, 0x2000, self->hva);
	EXPECT_SLOT(0, 1, 0, MB, 0x2000, self->hva);
	EXPECT_SLOT(0, 1, KVM_MEM_LOG_DIRTY_PAGES, 2 * MB, 0x2000,
		    self->hva);
	if (!ro)
		return;
	EXPECT_SLOT(EINVAL, 1, KVM_MEM_READONLY, 2 * MB, 0x2000, self->hva);
	EXPECT_SLOT(EINVAL, 1, KVM_MEM_READONLY | KVM_MEM_LOG_DIRTY_PAGES,
		    2 * MB, 0x2000, self->hva);
	EXPECT_SLOT(0, 2, KVM_MEM_READONLY, 4 * MB, 0x2000, self->hva);
	EXPECT_SLOT(0, 2, KVM_MEM_READONLY | KVM_MEM_LOG_DIRTY_PAGES,
		    4 * MB, 0x2000, self->hva);
	EXPECT_SLOT(EINVAL, 2, KVM_MEM_LOG_DIRTY_PAGES, 4 * MB, 0x2000,
		    self->hva);
}

/* Deleting a slot that does not exist is an error in the in-tree KVM. */
TEST_F(slots, delete_missing)
{
	EXPECT_SLOT(EINVAL, 1, 0, 0, 0, 0);
	EXPECT_SLOT(EINVAL, 5, 0, MB, 0, self->hva);
	EXPECT_SLOT(0, 1, 0, MB, 0x1000, self->hva);
	EXPECT_SLOT(0, 1, 0, 0, 0, 0);
	EXPECT_SLOT(EINVAL, 1, 0, 0, 0, 0);
}

/*
 * userspace_addr must be user memory for the whole size.  It need not be
 * mapped yet (the check is on the address range only), but kernel and
 * non-canonical addresses, and ranges running past the top of user space,
 * are refused with EINVAL.
 */
TEST_F(slots, user_addresses)
{
	EXPECT_SLOT(EINVAL, 1, 0, MB, 0x1000, 0xffff800000000000ULL);
	EXPECT_SLOT(EINVAL, 1, 0, MB, 0x1000, 0xffffffff81000000ULL);
	EXPECT_SLOT(EINVAL, 1, 0, MB, 0x1000, 0x0000800000000000ULL);
	EXPECT_SLOT(EINVAL, 1, 0, MB, 0x2000, 0x00007ffffffff000ULL);
	EXPECT_SLOT(0, 1, 0, MB, 0x1000, 0x100000000ULL);
	EXPECT_SLOT(0, 1, 0, 0, 0, 0);
}

TEST_F(slots, size_and_gpa_limits)
{
	EXPECT_SLOT(EINVAL, 1, 0, 0xfffffffffffff000ULL, 0x2000, self->hva);
	EXPECT_SLOT(EINVAL, 1, 0, 1ULL << 60, 0x1000, self->hva);
	EXPECT_SLOT(EINVAL, 1, 0, MB, 1ULL << 50, self->hva);
	EXPECT_SLOT(EINVAL, 1, 0, MB, 0xfffffffffffff000ULL, self->hva);
	EXPECT_SLOT(0, 1, 0, MB, 0x1000, self->hva);
}

/* Every slot id below KVM_CAP_NR_MEMSLOTS works, all at once. */
TEST_F_TIMEOUT(slots, all_slots, 300)
{
	uint32_t i, n = self->nr_slots;
	int r = 0;

	/* One page each, all backed by the same host page. */
	for (i = 0; i < n; i++) {
		r = kvmt_set_region_raw(self->vm->fd, i, 0,
					4 * MB + (uint64_t)i * 0x1000, 0x1000,
					self->hva);
		if (r)
			break;
	}
	if (r)
		TH_LOG("slot %u of %u: %s", i, n, strerror(-r));
	ASSERT_EQ(n, i);
	EXPECT_SLOT(EINVAL, n, 0, 1ULL << 32, 0x1000, self->hva);
	/* Full: a new gpa in an existing id is a move, still fine. */
	EXPECT_SLOT(0, n - 1, 0, 1ULL << 32, 0x1000, self->hva);
	EXPECT_SLOT(0, 0, 0, 0, 0, 0);
	EXPECT_SLOT(0, 0, 0, 2 * MB, 0x1000, self->hva);
}

/* Point the long_peek/long_poke program at @gpa and run it. */
static void aim(struct kvmt_vcpu *vcpu, uint64_t gpa, uint32_t val)
{
	struct kvm_regs regs;

	kvmt_get_regs(vcpu, &regs);
	regs.rip = KVMT_CODE_GPA;
	regs.rbx = gpa;
	regs.rax = val;
	kvmt_set_regs(vcpu, &regs);
}

#define PEEK(vcpu, gpa, want) do {					\
	aim(vcpu, gpa, 0);						\
	RUN_TO_OUT(vcpu, 0x70, 4, want);				\
	RUN_TO_EXIT(vcpu, KVM_EXIT_HLT);				\
} while (0)

/* A read of @gpa that no slot covers: an MMIO exit completed with @val. */
#define PEEK_MMIO(vcpu, gpa, val) do {					\
	aim(vcpu, gpa, 0);						\
	RUN_TO_MMIO_READ(vcpu, gpa, 4, val);				\
	RUN_TO_OUT(vcpu, 0x70, 4, val);					\
	RUN_TO_EXIT(vcpu, KVM_EXIT_HLT);				\
} while (0)

/* Slots that appear, move and vanish take effect for a running guest. */
TEST_F(slots, guest_sees_changes)
{
	struct kvmt_vcpu *vcpu = kvmt_guest_new(KVMT_MODE_LONG,
						KVMT_CODE(long_peek));
	int fd = vcpu->vm->fd;

	kvmt_le_store(self->mem + 0x10, 4, 0x12345678);
	ASSERT_EQ(0, kvmt_set_region_raw(fd, 1, 0, MB, 0x1000, self->hva));
	PEEK(vcpu, MB + 0x10, 0x12345678);

	/* Host writes show up directly. */
	kvmt_le_store(self->mem + 0x10, 4, 0x9abcdef0);
	PEEK(vcpu, MB + 0x10, 0x9abcdef0);

	/* Moved: the old gpa is unbacked now. */
	ASSERT_EQ(0, kvmt_set_region_raw(fd, 1, 0, 3 * MB, 0x1000,
					 self->hva));
	PEEK_MMIO(vcpu, MB + 0x10, 0x0badcafe);
	PEEK(vcpu, 3 * MB + 0x10, 0x9abcdef0);

	/* Deleted. */
	ASSERT_EQ(0, kvmt_set_region_raw(fd, 1, 0, 0, 0, 0));
	PEEK_MMIO(vcpu, 3 * MB + 0x10, 0x600dd00d);

	/* Back again, backed by another host page. */
	kvmt_le_store(self->mem + 0x1010, 4, 0x55aa55aa);
	ASSERT_EQ(0, kvmt_set_region_raw(fd, 1, 0, MB, 0x1000,
					 self->hva + 0x1000));
	PEEK(vcpu, MB + 0x10, 0x55aa55aa);
	kvmt_vm_free(vcpu->vm);
}

/* Guest writes to a read-only slot exit as MMIO and change nothing. */
TEST_F(slots, readonly_guest)
{
	struct kvmt_vcpu *vcpu;
	int fd;

	if (!kvmt_check_cap(self->vm->fd, KVM_CAP_READONLY_MEM))
		SKIP(return, "no KVM_CAP_READONLY_MEM");
	vcpu = kvmt_guest_new(KVMT_MODE_LONG, KVMT_CODE(long_poke));
	fd = vcpu->vm->fd;
	kvmt_le_store(self->mem + 0x20, 4, 0x11111111);
	ASSERT_EQ(0, kvmt_set_region_raw(fd, 1, KVM_MEM_READONLY, MB,
					 0x1000, self->hva));

	aim(vcpu, MB + 0x20, 0xfeedbeef);
	RUN_TO_MMIO_WRITE(vcpu, MB + 0x20, 4, 0xfeedbeef);
	RUN_TO_OUT(vcpu, 0x71, 4, 0xfeedbeef);
	RUN_TO_EXIT(vcpu, KVM_EXIT_HLT);
	EXPECT_EQ(0x11111111ULL, kvmt_le_value(self->mem + 0x20, 4));

	/* Reads come from the backing memory, without exits. */
	kvmt_load_code(vcpu->vm, KVMT_CODE_GPA, KVMT_CODE(long_peek));
	PEEK(vcpu, MB + 0x20, 0x11111111);
	kvmt_vm_free(vcpu->vm);
}

/* KVM_GET_DIRTY_LOG reports the pages the guest wrote, then clears. */
TEST_F(slots, dirty_log)
{
	struct kvmt_vcpu *vcpu = kvmt_guest_new(KVMT_MODE_LONG,
						KVMT_CODE(long_poke));
	uint64_t bitmap[1] = { ~0ULL };
	struct kvm_dirty_log log = { .slot = 1, .dirty_bitmap = bitmap };
	int fd = vcpu->vm->fd;
	unsigned int page;

	/* A slot without dirty logging has no log. */
	ASSERT_EQ(0, kvmt_set_region_raw(fd, 1, 0, MB, 16 * 0x1000,
					 self->hva));
	EXPECT_ERRNO(ENOENT, ioctl(fd, KVM_GET_DIRTY_LOG, &log));

	ASSERT_EQ(0, kvmt_set_region_raw(fd, 1, KVM_MEM_LOG_DIRTY_PAGES, MB,
					 16 * 0x1000, self->hva));
	ASSERT_EQ(0, ioctl(fd, KVM_GET_DIRTY_LOG, &log));
	EXPECT_EQ(0ULL, bitmap[0]);

	for (page = 3; page < 16; page += 6) {
		aim(vcpu, MB + page * 0x1000 + 0x40, 0xabc00000 + page);
		RUN_TO_OUT(vcpu, 0x71, 4, 0xabc00000 + page);
		RUN_TO_EXIT(vcpu, KVM_EXIT_HLT);
		EXPECT_EQ(0xabc00000ULL + page,
			  kvmt_le_value(self->mem + page * 0x1000 + 0x40, 4));
	}
	ASSERT_EQ(0, ioctl(fd, KVM_GET_DIRTY_LOG, &log));
	EXPECT_EQ((1ULL << 3) | (1ULL << 9) | (1ULL << 15), bitmap[0]);
	ASSERT_EQ(0, ioctl(fd, KVM_GET_DIRTY_LOG, &log));
	EXPECT_EQ(0ULL, bitmap[0]);

	/* Unknown slot. */
	log.slot = 7;
	EXPECT_ERRNO(ENOENT, ioctl(fd, KVM_GET_DIRTY_LOG, &log));
	kvmt_vm_free(vcpu->vm);
}

TEST_HARNESS_MAIN
