/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Glue between kvmt and kselftest_harness.h: assertions about KVM_RUN and
 * exits that log the whole exit on a mismatch.  Include after
 * kselftest_harness.h; usable only inside TEST()/TEST_F()/FIXTURE_SETUP()
 * bodies (they need _metadata) and only from the test's main thread.
 */
#ifndef KVMT_TEST_H
#define KVMT_TEST_H

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "kvmt.h"
#include "kvmt_script.h"

/*
 * Skip the test when there is no usable /dev/kvm at all.  The harness runs
 * each test in its own child and reads exit status 255 as "skipped"; this
 * also works from FIXTURE_SETUP, where a plain return would still run the
 * test body.
 */
#define KVMT_REQUIRE_KVM() do {						\
	if (!kvmt_have_kvm())						\
		SKIP(_exit(255), "/dev/kvm is not available");		\
} while (0)

/* Assert that the call returned -1 with errno @err (or 0 for success). */
#define ASSERT_ERRNO(err, call) do {					\
	errno = 0;							\
	long __r = (call);						\
	int __e = __r < 0 ? errno : 0;					\
	if (__e != (err))						\
		TH_LOG("%s: returned %ld, errno %d (%s), wanted %d (%s)",\
		       #call, __r, __e, strerror(__e), (err),		\
		       strerror(err));					\
	ASSERT_EQ((err), __e);						\
} while (0)
#define EXPECT_ERRNO(err, call) do {					\
	errno = 0;							\
	long __r = (call);						\
	int __e = __r < 0 ? errno : 0;					\
	if (__e != (err))						\
		TH_LOG("%s: returned %ld, errno %d (%s), wanted %d (%s)",\
		       #call, __r, __e, strerror(__e), (err),		\
		       strerror(err));					\
	EXPECT_EQ((err), __e);						\
} while (0)

#define KVMT_LOG_EXIT(vcpu, what) do {					\
	char __d[512];							\
	kvmt_describe_exit((vcpu), __d, sizeof(__d));			\
	TH_LOG("%s: last exit %s", (what), __d);			\
} while (0)

/* KVM_RUN must succeed. */
#define ASSERT_RUN_OK(vcpu) do {					\
	int __rr = kvmt_vcpu_run_raw(vcpu);				\
	if (__rr)							\
		TH_LOG("KVM_RUN failed: %s (errno %d)",			\
		       strerror(-__rr), -__rr);				\
	ASSERT_EQ(0, __rr);						\
} while (0)

/* The last exit must be @reason. */
#define ASSERT_EXIT(vcpu, reason) do {					\
	if ((vcpu)->run->exit_reason != (reason)) {			\
		TH_LOG("wanted exit %s (%u)", kvmt_exit_name(reason),	\
		       (reason));					\
		KVMT_LOG_EXIT(vcpu, "mismatch");			\
	}								\
	ASSERT_EQ((uint32_t)(reason), (vcpu)->run->exit_reason);	\
} while (0)

/* Run to the next exit and assert its reason. */
#define RUN_TO_EXIT(vcpu, reason) do {					\
	ASSERT_RUN_OK(vcpu);						\
	ASSERT_EXIT(vcpu, reason);					\
} while (0)

/* Run to a port I/O exit and check everything it reports. */
#define RUN_TO_IO(vcpu, dir, port_, size_, count_) do {			\
	struct kvm_run *__run = (vcpu)->run;				\
	RUN_TO_EXIT(vcpu, KVM_EXIT_IO);					\
	if (__run->io.direction != (dir) ||				\
	    __run->io.port != (port_) || __run->io.size != (size_) ||	\
	    __run->io.count != (count_)) {				\
		TH_LOG("wanted io %s port %#x size %u count %u",	\
		       (dir) == KVM_EXIT_IO_OUT ? "out" : "in",		\
		       (port_), (size_), (count_));			\
		KVMT_LOG_EXIT(vcpu, "mismatch");			\
	}								\
	ASSERT_EQ((dir), __run->io.direction);				\
	ASSERT_EQ((port_), __run->io.port);				\
	ASSERT_EQ((size_), __run->io.size);				\
	ASSERT_EQ((uint32_t)(count_), __run->io.count);				\
	/* The data must sit inside the vCPU mapping. */		\
	ASSERT_LE((uint64_t)__run->io.data_offset +			\
		  (uint64_t)(size_) * (count_), (vcpu)->run_size);	\
} while (0)

/* Run to an OUT of one value and check the value. */
#define RUN_TO_OUT(vcpu, port_, size_, value) do {			\
	RUN_TO_IO(vcpu, KVM_EXIT_IO_OUT, port_, size_, 1);		\
	ASSERT_EQ((uint64_t)(value),					\
		  kvmt_le_value(kvmt_io_data(vcpu), (size_)));		\
} while (0)

/* Run to an IN of one value and supply @value for the guest. */
#define RUN_TO_IN(vcpu, port_, size_, value) do {			\
	RUN_TO_IO(vcpu, KVM_EXIT_IO_IN, port_, size_, 1);		\
	kvmt_le_store(kvmt_io_data(vcpu), (size_), (value));		\
} while (0)

/* Run to an MMIO exit and check address, width and direction. */
#define RUN_TO_MMIO(vcpu, gpa, len_, write) do {			\
	struct kvm_run *__run = (vcpu)->run;				\
	RUN_TO_EXIT(vcpu, KVM_EXIT_MMIO);				\
	if (__run->mmio.phys_addr != (gpa) ||				\
	    __run->mmio.len != (len_) ||				\
	    __run->mmio.is_write != (write)) {				\
		TH_LOG("wanted mmio %s gpa %#llx len %u",		\
		       (write) ? "write" : "read",			\
		       (unsigned long long)(gpa), (len_));		\
		KVMT_LOG_EXIT(vcpu, "mismatch");			\
	}								\
	ASSERT_EQ((uint64_t)(gpa), (uint64_t)__run->mmio.phys_addr);	\
	ASSERT_EQ((uint32_t)(len_), __run->mmio.len);				\
	ASSERT_EQ((write), __run->mmio.is_write);			\
} while (0)

#define RUN_TO_MMIO_WRITE(vcpu, gpa, len_, value) do {			\
	RUN_TO_MMIO(vcpu, gpa, len_, 1);				\
	ASSERT_EQ((uint64_t)(value),					\
		  kvmt_le_value((vcpu)->run->mmio.data, (len_)));	\
} while (0)

#define RUN_TO_MMIO_READ(vcpu, gpa, len_, value) do {			\
	RUN_TO_MMIO(vcpu, gpa, len_, 0);				\
	kvmt_le_store((vcpu)->run->mmio.data, (len_), (value));	\
} while (0)

/*
 * Run to the report of vector @vec by the stubs of kvmt_setup_idt();
 * kvmt_vector_info() then gives the error code and the saved RIP.
 */
#define RUN_TO_VECTOR(vcpu, vec)					\
	RUN_TO_OUT(vcpu, KVMT_PORT_VECTOR, 4, vec)

/*
 * Scripted guests (kvmt_script.h): run to the script's MARK of @n, to its
 * next R32/RDMSR/INB report (the value, RAX of the guest, into @var), or
 * to its END.
 */
#define RUN_TO_MARK(vcpu, n)						\
	RUN_TO_OUT(vcpu, KVMT_SCRIPT_PORT_MARK, 4, n)

#define RUN_TO_READ(vcpu, var) do {					\
	struct kvm_regs __regs;						\
	RUN_TO_IO(vcpu, KVM_EXIT_IO_OUT, KVMT_SCRIPT_PORT_READ, 4, 1);	\
	kvmt_get_regs(vcpu, &__regs);					\
	(var) = __regs.rax;						\
} while (0)

#define RUN_TO_END(vcpu)						\
	RUN_TO_OUT(vcpu, KVMT_SCRIPT_PORT_END, 1, 0)

#endif /* KVMT_TEST_H */
