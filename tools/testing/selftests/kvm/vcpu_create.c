// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_CREATE_VCPU: ids in [0, KVM_CAP_MAX_VCPU_ID), each id once, at most
 * KVM_CAP_MAX_VCPUS vCPUs per VM (api.rst 4.7).  A vCPU belongs to its VM
 * until the VM goes away, whether or not its fd is still open.
 */
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kvmt_test.h"

FIXTURE(vcpus) {
	struct kvmt_vm *vm;
	int max_vcpus;
	int max_id;
};

FIXTURE_SETUP(vcpus)
{
	KVMT_REQUIRE_KVM();
	self->vm = kvmt_vm_new();
	self->max_vcpus = kvmt_check_cap(self->vm->fd, KVM_CAP_MAX_VCPUS);
	self->max_id = kvmt_check_cap(self->vm->fd, KVM_CAP_MAX_VCPU_ID);
	ASSERT_LT(0, self->max_vcpus);
	ASSERT_LE(self->max_vcpus, self->max_id);
}

FIXTURE_TEARDOWN(vcpus)
{
	kvmt_vm_free(self->vm);
}

static int create(struct kvmt_vm *vm, unsigned long id)
{
	return ioctl(vm->fd, KVM_CREATE_VCPU, id);
}

TEST_F(vcpus, ids_in_range)
{
	unsigned long ids[] = { 0, 1, 7, self->max_id - 2, self->max_id - 1 };
	struct kvm_regs regs;
	unsigned int i;
	int fd;

	for (i = 0; i < KVMT_ARRAY_SIZE(ids); i++) {
		fd = create(self->vm, ids[i]);
		if (fd < 0)
			TH_LOG("id %lu: %s", ids[i], strerror(errno));
		ASSERT_LE(0, fd);
		/* Each new fd is a vCPU: it answers vCPU ioctls. */
		EXPECT_EQ(0, ioctl(fd, KVM_GET_REGS, &regs));
		close(fd);
	}
}

TEST_F(vcpus, ids_out_of_range)
{
	EXPECT_ERRNO(EINVAL, create(self->vm, self->max_id));
	EXPECT_ERRNO(EINVAL, create(self->vm, self->max_id + 1));
	EXPECT_ERRNO(EINVAL, create(self->vm, 0x7fffffff));
	EXPECT_ERRNO(EINVAL, create(self->vm, 0xffffffff));
	/* Failures use up nothing. */
	EXPECT_LE(0, create(self->vm, 0));
}

TEST_F(vcpus, duplicate_id)
{
	int fd = create(self->vm, 3);

	ASSERT_LE(0, fd);
	EXPECT_ERRNO(EEXIST, create(self->vm, 3));
	/* Closing the fd does not free the id: the vCPU lives on. */
	close(fd);
	EXPECT_ERRNO(EEXIST, create(self->vm, 3));
	EXPECT_LE(0, create(self->vm, 4));
}

/* Ids need not be dense or in order. */
TEST_F(vcpus, sparse_ids)
{
	EXPECT_LE(0, create(self->vm, self->max_id - 1));
	EXPECT_LE(0, create(self->vm, 100));
	EXPECT_LE(0, create(self->vm, 0));
	EXPECT_LE(0, create(self->vm, 50));
}

TEST_F_TIMEOUT(vcpus, max_vcpus, 120)
{
	int i, fd;

	/* Close each fd at once to stay clear of RLIMIT_NOFILE. */
	for (i = 0; i < self->max_vcpus; i++) {
		fd = create(self->vm, i);
		if (fd < 0)
			TH_LOG("vCPU %d of %d: %s", i, self->max_vcpus,
			       strerror(errno));
		ASSERT_LE(0, fd);
		close(fd);
	}
	EXPECT_ERRNO(EINVAL, create(self->vm, self->max_vcpus));
	EXPECT_ERRNO(EINVAL, create(self->vm, self->max_id - 1));
}

/* Each VM has its own id space and its own limit. */
TEST_F(vcpus, per_vm)
{
	struct kvmt_vm *other = kvmt_vm_new();

	EXPECT_LE(0, create(self->vm, 0));
	EXPECT_LE(0, create(other, 0));
	EXPECT_ERRNO(EEXIST, create(other, 0));
	kvmt_vm_free(other);
	EXPECT_ERRNO(EEXIST, create(self->vm, 0));
}

/* The kvm_run mapping of each vCPU is its own. */
TEST_F(vcpus, separate_run_pages)
{
	struct kvmt_vcpu *a = kvmt_vcpu_new(self->vm, 0);
	struct kvmt_vcpu *b = kvmt_vcpu_new(self->vm, 1);

	a->run->immediate_exit = 1;
	EXPECT_EQ(0, b->run->immediate_exit);
	a->run->immediate_exit = 0;
}

TEST_HARNESS_MAIN
