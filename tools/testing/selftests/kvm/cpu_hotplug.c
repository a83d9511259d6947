// SPDX-License-Identifier: GPL-2.0-only
/*
 * CPU hotplug with the modules loaded and a VM alive: virtualization is
 * disabled on a CPU going offline and enabled again when it comes back,
 * and a vCPU thread moved onto the returning CPU runs its guest there.
 */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kvmt_test.h"

KVMT_GUEST(long_hlt);

#define CPU1_ONLINE "/sys/devices/system/cpu/cpu1/online"

static int set_online(const char *state)
{
	int fd = open(CPU1_ONLINE, O_WRONLY);
	int r;

	if (fd < 0)
		return -1;
	r = write(fd, state, 1) == 1 ? 0 : -1;
	close(fd);
	return r;
}

static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

/* A fresh long-mode guest runs to its HLT on the current CPU. */
static void run_guest(struct __test_metadata *_metadata)
{
	struct kvmt_vcpu *vcpu = kvmt_guest_new(KVMT_MODE_LONG,
						KVMT_CODE(long_hlt));

	RUN_TO_EXIT(vcpu, KVM_EXIT_HLT);
	kvmt_vm_free(vcpu->vm);
}

TEST(offline_and_online_with_a_vm)
{
	struct kvmt_vcpu *vcpu;

	KVMT_REQUIRE_KVM();
	if (access(CPU1_ONLINE, W_OK))
		SKIP(return, "CPU 1 cannot be taken offline here");

	/* A VM exists across the whole sequence. */
	vcpu = kvmt_guest_new(KVMT_MODE_LONG, KVMT_CODE(long_hlt));

	ASSERT_EQ(0, pin(0));
	ASSERT_EQ(0, set_online("0"));
	run_guest(_metadata);
	ASSERT_EQ(0, set_online("1"));

	/* CPU 1 came back: virtualization must be on there again. */
	ASSERT_EQ(0, pin(1));
	run_guest(_metadata);
	RUN_TO_EXIT(vcpu, KVM_EXIT_HLT);

	/* And the old VM's vCPU keeps working after moving back. */
	ASSERT_EQ(0, pin(0));
	kvmt_vm_free(vcpu->vm);
	run_guest(_metadata);
}

TEST_HARNESS_MAIN
