// SPDX-License-Identifier: GPL-2.0-only
/*
 * System-level /dev/kvm API: version, VM types, the vCPU mapping,
 * capabilities, and what each kind of file descriptor answers to ioctls
 * it does not know.  Expected errnos are those of the in-tree KVM in the
 * target kernel (our reference), which api.rst leaves open in places.
 */
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <termios.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kvmt_test.h"

/* An ioctl number in KVM's space that no kernel defines. */
#define KVM_UNKNOWN_IOCTL	_IO(KVMIO, 0xff)

FIXTURE(sys) {
	int fd;
};

FIXTURE_SETUP(sys)
{
	KVMT_REQUIRE_KVM();
	self->fd = kvmt_open_sys();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(sys)
{
	close(self->fd);
}

TEST_F(sys, api_version)
{
	EXPECT_EQ(KVM_API_VERSION, ioctl(self->fd, KVM_GET_API_VERSION, 0));
	EXPECT_EQ(12, ioctl(self->fd, KVM_GET_API_VERSION, 0));
	/* The ioctl takes no argument; the in-tree KVM insists on 0. */
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, KVM_GET_API_VERSION, 1));
}

TEST_F(sys, create_vm_types)
{
	unsigned long bad[] = { 1, 2, 0x100, ~0UL };
	unsigned int i;
	int vm;

	vm = ioctl(self->fd, KVM_CREATE_VM, 0);
	ASSERT_LE(0, vm);
	/* The new fd is a VM: it answers VM ioctls. */
	EXPECT_LE(1, ioctl(vm, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY));
	close(vm);

	for (i = 0; i < KVMT_ARRAY_SIZE(bad); i++) {
		TH_LOG("type %#lx", bad[i]);
		EXPECT_ERRNO(EINVAL, ioctl(self->fd, KVM_CREATE_VM, bad[i]));
	}
}

TEST_F(sys, several_vms)
{
	int vm[4], i;

	for (i = 0; i < 4; i++) {
		vm[i] = ioctl(self->fd, KVM_CREATE_VM, 0);
		ASSERT_LE(0, vm[i]);
	}
	for (i = 0; i < 4; i++)
		close(vm[i]);
}

TEST_F(sys, vcpu_mmap)
{
	int size = ioctl(self->fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	uint8_t *all, *pio;
	int vm, vcpu;

	/* kvm_run itself, then the PIO data page at KVM_PIO_PAGE_OFFSET. */
	ASSERT_LE(4096, size);
	ASSERT_EQ(0, size % 4096);
	ASSERT_LE((KVM_PIO_PAGE_OFFSET + 1) * 4096, size);

	vm = ioctl(self->fd, KVM_CREATE_VM, 0);
	ASSERT_LE(0, vm);
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	ASSERT_LE(0, vcpu);

	all = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	ASSERT_TRUE(all != MAP_FAILED);
	pio = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu,
		   KVM_PIO_PAGE_OFFSET * 4096);
	ASSERT_TRUE(pio != MAP_FAILED);

	/* Both mappings show the same kernel page. */
	all[KVM_PIO_PAGE_OFFSET * 4096 + 17] = 0x5a;
	EXPECT_EQ(0x5a, pio[17]);
	pio[18] = 0xa5;
	EXPECT_EQ(0xa5, all[KVM_PIO_PAGE_OFFSET * 4096 + 18]);

	/* A fresh vCPU has not exited yet and requests nothing. */
	EXPECT_EQ(0, ((struct kvm_run *)all)->immediate_exit);
	EXPECT_EQ(0, ((struct kvm_run *)all)->request_interrupt_window);

	munmap(pio, 4096);
	munmap(all, size);
	close(vcpu);
	close(vm);
}

TEST_F(sys, mmap_of_non_vcpu_fds)
{
	int vm = ioctl(self->fd, KVM_CREATE_VM, 0);
	void *p;

	ASSERT_LE(0, vm);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->fd, 0);
	EXPECT_TRUE(p == MAP_FAILED);
	EXPECT_EQ(ENODEV, errno);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, vm, 0);
	EXPECT_TRUE(p == MAP_FAILED);
	EXPECT_EQ(ENODEV, errno);
	close(vm);
}

TEST_F(sys, capabilities)
{
	int vm = ioctl(self->fd, KVM_CREATE_VM, 0);
	long caps[] = {
		KVM_CAP_NR_MEMSLOTS, KVM_CAP_MAX_VCPUS, KVM_CAP_MAX_VCPU_ID,
		KVM_CAP_NR_VCPUS, KVM_CAP_USER_MEMORY,
		KVM_CAP_IMMEDIATE_EXIT, KVM_CAP_CHECK_EXTENSION_VM,
	};
	int nr_vcpus, max_vcpus, max_id;
	unsigned int i;

	ASSERT_LE(0, vm);
	EXPECT_LT(0, ioctl(self->fd, KVM_CHECK_EXTENSION,
			   KVM_CAP_NR_MEMSLOTS));
	EXPECT_EQ(1, ioctl(self->fd, KVM_CHECK_EXTENSION,
			   KVM_CAP_USER_MEMORY));
	EXPECT_EQ(1, ioctl(self->fd, KVM_CHECK_EXTENSION,
			   KVM_CAP_IMMEDIATE_EXIT));
	EXPECT_EQ(1, ioctl(self->fd, KVM_CHECK_EXTENSION,
			   KVM_CAP_CHECK_EXTENSION_VM));

	/* Recommended <= maximum vCPUs <= vCPU id space. */
	nr_vcpus = ioctl(self->fd, KVM_CHECK_EXTENSION, KVM_CAP_NR_VCPUS);
	max_vcpus = ioctl(self->fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS);
	max_id = ioctl(self->fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPU_ID);
	EXPECT_LT(0, nr_vcpus);
	EXPECT_LE(nr_vcpus, max_vcpus);
	EXPECT_LE(max_vcpus, max_id);

	/* A VM fd gives the same answers for these. */
	for (i = 0; i < KVMT_ARRAY_SIZE(caps); i++) {
		TH_LOG("cap %ld", caps[i]);
		EXPECT_EQ(ioctl(self->fd, KVM_CHECK_EXTENSION, caps[i]),
			  ioctl(vm, KVM_CHECK_EXTENSION, caps[i]));
	}

	/* Unknown capabilities are simply absent. */
	EXPECT_EQ(0, ioctl(self->fd, KVM_CHECK_EXTENSION, 100000L));
	EXPECT_EQ(0, ioctl(self->fd, KVM_CHECK_EXTENSION, -1L));
	EXPECT_EQ(0, ioctl(vm, KVM_CHECK_EXTENSION, 100000L));
	close(vm);
}

/*
 * ioctls a file does not implement.  api.rst documents ENOTTY for ioctls a
 * kernel lacks; the in-tree KVM answers so only on VM fds and returns
 * EINVAL on /dev/kvm and on vCPU fds.
 */
TEST_F(sys, unknown_ioctls)
{
	int vm = ioctl(self->fd, KVM_CREATE_VM, 0);
	struct termios t;
	int vcpu;

	ASSERT_LE(0, vm);
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	ASSERT_LE(0, vcpu);

	EXPECT_ERRNO(EINVAL, ioctl(self->fd, KVM_UNKNOWN_IOCTL, 0));
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, TCGETS, &t));
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, KVM_RUN, 0));
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, KVM_CREATE_VCPU, 0));

	EXPECT_ERRNO(ENOTTY, ioctl(vm, KVM_UNKNOWN_IOCTL, 0));
	EXPECT_ERRNO(ENOTTY, ioctl(vm, TCGETS, &t));
	EXPECT_ERRNO(ENOTTY, ioctl(vm, KVM_RUN, 0));
	EXPECT_ERRNO(ENOTTY, ioctl(vm, KVM_GET_API_VERSION, 0));
	EXPECT_ERRNO(ENOTTY, ioctl(vm, KVM_CREATE_VM, 0));

	EXPECT_ERRNO(EINVAL, ioctl(vcpu, KVM_UNKNOWN_IOCTL, 0));
	EXPECT_ERRNO(EINVAL, ioctl(vcpu, TCGETS, &t));
	EXPECT_ERRNO(EINVAL, ioctl(vcpu, KVM_CREATE_VCPU, 1));
	EXPECT_ERRNO(EINVAL, ioctl(vcpu, KVM_GET_API_VERSION, 0));
	EXPECT_ERRNO(EINVAL, ioctl(vcpu, KVM_SET_USER_MEMORY_REGION, NULL));

	close(vcpu);
	close(vm);
}

/* A VM lives as long as its fd, whatever happens to /dev/kvm's. */
TEST_F(sys, vm_outlives_dev_fd)
{
	int vm = ioctl(self->fd, KVM_CREATE_VM, 0);
	int vcpu;

	ASSERT_LE(0, vm);
	close(self->fd);
	self->fd = -1;
	EXPECT_EQ(1, ioctl(vm, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY));
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	EXPECT_LE(0, vcpu);
	close(vcpu);
	close(vm);
}

TEST_HARNESS_MAIN
