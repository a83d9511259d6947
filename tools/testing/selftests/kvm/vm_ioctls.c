// SPDX-License-Identifier: GPL-2.0-only
/*
 * VM-wide x86 setup ioctls a VMM issues before it runs a guest:
 * KVM_SET_TSS_ADDR, KVM_SET_IDENTITY_MAP_ADDR, KVM_SET_BOOT_CPU_ID,
 * KVM_CHECK_EXTENSION on the VM fd, KVM_SET_GSI_ROUTING without an
 * irqchip, and machine-check setup (KVM_X86_GET_MCE_CAP_SUPPORTED,
 * KVM_X86_SETUP_MCE) with the bank MSRs it makes available.
 */
#include <stdlib.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "kvmt_test.h"

KVMT_GUEST(long_rdmsr);

#define MSR_IA32_APICBASE	0x1b
#define MSR_IA32_MCG_CAP	0x179
#define MSR_IA32_MCG_STATUS	0x17a
#define MSR_IA32_MCG_CTL	0x17b
#define MSR_MC_CTL(i)		(0x400 + 4 * (i))
#define MSR_MC_STATUS(i)	(0x401 + 4 * (i))
#define MSR_MC_ADDR(i)		(0x402 + 4 * (i))
#define MSR_MC_MISC(i)		(0x403 + 4 * (i))

#define MCG_COUNT_MASK		0xffULL
#define MCG_CTL_P		(1ULL << 8)

#define APIC_BASE_BSP		(1ULL << 8)

#define GP_VECTOR		13

FIXTURE(vm) {
	struct kvmt_vm *vm;
	bool amd;
};

FIXTURE_SETUP(vm)
{
	KVMT_REQUIRE_KVM();
	self->vm = kvmt_vm_new();
	self->amd = kvmt_cpu_is_amd(self->vm->sys_fd);
}

FIXTURE_TEARDOWN(vm)
{
	kvmt_vm_free(self->vm);
}

static int set_identity_map(int vm, uint64_t addr)
{
	return ioctl(vm, KVM_SET_IDENTITY_MAP_ADDR, &addr);
}

/*
 * KVM_SET_TSS_ADDR: three pages below 4 GiB (api.rst 4.36), any time
 * (only VMX uses the region, so on other hosts it is simply kept).
 */
TEST_F(vm, tss_addr)
{
	int fd = self->vm->fd;

	ASSERT_LT(0, kvmt_check_cap(fd, KVM_CAP_SET_TSS_ADDR));
	EXPECT_ERRNO(0, ioctl(fd, KVM_SET_TSS_ADDR, 0xfffbd000UL));
	EXPECT_ERRNO(0, ioctl(fd, KVM_SET_TSS_ADDR, 0xffffd000UL));
	/* The three pages must end at or below 4 GiB. */
	EXPECT_ERRNO(EINVAL, ioctl(fd, KVM_SET_TSS_ADDR, 0xffffe000UL));
	EXPECT_ERRNO(EINVAL, ioctl(fd, KVM_SET_TSS_ADDR, 0xfffff000UL));
	EXPECT_ERRNO(EINVAL, ioctl(fd, KVM_SET_TSS_ADDR, 0x100000000UL));
	kvmt_vcpu_new(self->vm, 0);
	EXPECT_ERRNO(0, ioctl(fd, KVM_SET_TSS_ADDR, 0xfeffd000UL));
}

/* KVM_SET_IDENTITY_MAP_ADDR: only before the first vCPU (api.rst 4.40). */
TEST_F(vm, identity_map_addr)
{
	int fd = self->vm->fd;

	ASSERT_LT(0, kvmt_check_cap(fd, KVM_CAP_SET_IDENTITY_MAP_ADDR));
	EXPECT_ERRNO(0, set_identity_map(fd, 0xfeffc000));
	/* 0 means the default (0xfffbc000). */
	EXPECT_ERRNO(0, set_identity_map(fd, 0));
	EXPECT_ERRNO(0, set_identity_map(fd, 0xfffbc000));
	kvmt_vcpu_new(self->vm, 0);
	EXPECT_ERRNO(EINVAL, set_identity_map(fd, 0xfffbc000));
	EXPECT_ERRNO(EINVAL, set_identity_map(fd, 0));
}

static uint64_t apic_base(struct kvmt_vcpu *vcpu)
{
	struct kvm_sregs s;

	kvmt_get_sregs(vcpu, &s);
	return s.apic_base;
}

/*
 * KVM_SET_BOOT_CPU_ID picks the BSP, whose APIC base MSR has the BSP
 * flag; EBUSY once a vCPU exists (api.rst 4.41).
 */
TEST_F(vm, boot_cpu_id)
{
	struct kvmt_vcpu *v0, *v1, *v2;
	int fd = self->vm->fd;

	ASSERT_LT(0, kvmt_check_cap(fd, KVM_CAP_SET_BOOT_CPU_ID));
	EXPECT_ERRNO(0, ioctl(fd, KVM_SET_BOOT_CPU_ID, 2UL));
	EXPECT_ERRNO(0, ioctl(fd, KVM_SET_BOOT_CPU_ID, 1UL));
	v0 = kvmt_vcpu_new(self->vm, 0);
	v1 = kvmt_vcpu_new(self->vm, 1);
	v2 = kvmt_vcpu_new(self->vm, 2);
	EXPECT_EQ(0ULL, apic_base(v0) & APIC_BASE_BSP);
	EXPECT_EQ(APIC_BASE_BSP, apic_base(v1) & APIC_BASE_BSP);
	EXPECT_EQ(0ULL, apic_base(v2) & APIC_BASE_BSP);
	EXPECT_EQ(apic_base(v1), kvmt_get_msr(v1, MSR_IA32_APICBASE));
	EXPECT_EQ(apic_base(v0), kvmt_get_msr(v0, MSR_IA32_APICBASE));

	EXPECT_ERRNO(EBUSY, ioctl(fd, KVM_SET_BOOT_CPU_ID, 0UL));
	EXPECT_ERRNO(EBUSY, ioctl(fd, KVM_SET_BOOT_CPU_ID, 1UL));
	/* Nothing moved. */
	EXPECT_EQ(APIC_BASE_BSP, apic_base(v1) & APIC_BASE_BSP);
	EXPECT_EQ(0ULL, apic_base(v0) & APIC_BASE_BSP);
}

/* The default BSP is vCPU 0. */
TEST_F(vm, boot_cpu_default)
{
	struct kvmt_vcpu *v1 = kvmt_vcpu_new(self->vm, 1);
	struct kvmt_vcpu *v0 = kvmt_vcpu_new(self->vm, 0);

	EXPECT_EQ(APIC_BASE_BSP, apic_base(v0) & APIC_BASE_BSP);
	EXPECT_EQ(0ULL, apic_base(v1) & APIC_BASE_BSP);
}

/*
 * KVM_CHECK_EXTENSION on a VM fd (KVM_CAP_CHECK_EXTENSION_VM) answers as
 * /dev/kvm does for these VM-independent capabilities.
 */
TEST_F(vm, check_extension)
{
	static const long caps[] = {
		KVM_CAP_USER_MEMORY, KVM_CAP_NR_MEMSLOTS, KVM_CAP_NR_VCPUS,
		KVM_CAP_MAX_VCPUS, KVM_CAP_MAX_VCPU_ID, KVM_CAP_IMMEDIATE_EXIT,
		KVM_CAP_SYNC_MMU, KVM_CAP_READONLY_MEM, KVM_CAP_EXT_CPUID,
		KVM_CAP_GET_MSR_FEATURES, KVM_CAP_MSR_PLATFORM_INFO,
		KVM_CAP_X86_USER_SPACE_MSR, KVM_CAP_X86_MSR_FILTER,
		KVM_CAP_SET_TSS_ADDR, KVM_CAP_SET_IDENTITY_MAP_ADDR,
		KVM_CAP_SET_BOOT_CPU_ID, KVM_CAP_MP_STATE, KVM_CAP_DEBUGREGS,
		KVM_CAP_VCPU_EVENTS, KVM_CAP_MCE, KVM_CAP_IRQ_ROUTING,
		KVM_CAP_X86_SMM, KVM_CAP_ENABLE_CAP, KVM_CAP_CHECK_EXTENSION_VM,
	};
	int sys = self->vm->sys_fd, fd = self->vm->fd;
	unsigned int i;

	ASSERT_LT(0, kvmt_check_cap(sys, KVM_CAP_CHECK_EXTENSION_VM));
	for (i = 0; i < KVMT_ARRAY_SIZE(caps); i++) {
		TH_LOG("capability %ld", caps[i]);
		EXPECT_EQ(ioctl(sys, KVM_CHECK_EXTENSION, caps[i]),
			  ioctl(fd, KVM_CHECK_EXTENSION, caps[i]));
	}
	/* Unknown capabilities are 0, not an error, on either fd. */
	EXPECT_EQ(0, ioctl(fd, KVM_CHECK_EXTENSION, 0x7fffffffL));
	EXPECT_EQ(0, ioctl(sys, KVM_CHECK_EXTENSION, 0x7fffffffL));
	/* These VMs offer what was promised. */
	EXPECT_LT(0, ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY));
	EXPECT_LE(32, ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_NR_MEMSLOTS));
}

/*
 * KVM_SET_GSI_ROUTING routes to an in-kernel irqchip; without one it is
 * EINVAL whatever the table (even an empty one).
 */
TEST_F(vm, gsi_routing_without_irqchip)
{
	struct {
		struct kvm_irq_routing hdr;
		struct kvm_irq_routing_entry e[2];
	} rt;
	int fd = self->vm->fd;

	ASSERT_LT(0, kvmt_check_cap(fd, KVM_CAP_IRQ_ROUTING));
	memset(&rt, 0, sizeof(rt));
	EXPECT_ERRNO(EINVAL, ioctl(fd, KVM_SET_GSI_ROUTING, &rt));
	rt.hdr.nr = 2;
	rt.e[0].gsi = 0;
	rt.e[0].type = KVM_IRQ_ROUTING_IRQCHIP;
	rt.e[0].u.irqchip.irqchip = 0;
	rt.e[0].u.irqchip.pin = 0;
	rt.e[1].gsi = 1;
	rt.e[1].type = KVM_IRQ_ROUTING_MSI;
	rt.e[1].u.msi.address_lo = 0xfee00000;
	rt.e[1].u.msi.data = 0x30;
	EXPECT_ERRNO(EINVAL, ioctl(fd, KVM_SET_GSI_ROUTING, &rt));
	rt.hdr.flags = 1;
	EXPECT_ERRNO(EINVAL, ioctl(fd, KVM_SET_GSI_ROUTING, &rt));
	/* Still none after a vCPU exists. */
	kvmt_vcpu_new(self->vm, 0);
	rt.hdr.flags = 0;
	EXPECT_ERRNO(EINVAL, ioctl(fd, KVM_SET_GSI_ROUTING, &rt));
}

static uint64_t mce_supported(struct __test_metadata *_metadata, int sys)
{
	uint64_t cap = ~0ULL;

	EXPECT_EQ(0, ioctl(sys, KVM_X86_GET_MCE_CAP_SUPPORTED, &cap));
	return cap;
}

static int setup_mce(struct kvmt_vcpu *vcpu, uint64_t mcg_cap)
{
	return ioctl(vcpu->fd, KVM_X86_SETUP_MCE, &mcg_cap);
}

/* Whether KVM_GET_MSRS reads MSR @index of @vcpu. */
static bool msr_ok(struct kvmt_vcpu *vcpu, uint32_t index)
{
	uint64_t v;

	return kvmt_get_msr_raw(vcpu->fd, index, &v) == 1;
}

/*
 * KVM_X86_GET_MCE_CAP_SUPPORTED lists capability bits in MCG_CAP
 * layout, with MCG_CTL_P among them; the bank count field is zero (the
 * number of banks is KVM_CAP_MCE's answer).
 */
TEST_F(vm, mce_supported)
{
	int sys = self->vm->sys_fd;
	uint64_t cap = mce_supported(_metadata, sys);

	EXPECT_LE(1, kvmt_check_cap(sys, KVM_CAP_MCE));
	EXPECT_GE(32, kvmt_check_cap(sys, KVM_CAP_MCE));
	EXPECT_NE(0ULL, cap & MCG_CTL_P);
	EXPECT_EQ(0ULL, cap & MCG_COUNT_MASK);
}

/*
 * Before KVM_X86_SETUP_MCE the in-tree KVM gives a vCPU the maximum
 * number of banks: their MSRs are there for the VMM to save.
 */
TEST_F(vm, mce_default_banks)
{
	struct kvmt_vcpu *vcpu = kvmt_vcpu_new(self->vm, 0);
	int max = kvmt_check_cap(self->vm->sys_fd, KVM_CAP_MCE);

	EXPECT_TRUE(msr_ok(vcpu, MSR_MC_CTL(0)));
	EXPECT_TRUE(msr_ok(vcpu, MSR_MC_CTL(max - 1)));
	EXPECT_TRUE(msr_ok(vcpu, MSR_MC_STATUS(max - 1)));
	EXPECT_FALSE(msr_ok(vcpu, MSR_MC_CTL(max)));
}

/*
 * MCG_CAP as the vCPU reports it after KVM_X86_SETUP_MCE: on AMD the
 * in-tree KVM keeps bits 8:0 only (the bank count and MCG_CTL_P; SVM
 * declares the rest reserved).
 */
static uint64_t mcg_cap_seen(bool amd, uint64_t set)
{
	return amd ? set & 0x1ff : set;
}

/*
 * KVM_X86_SETUP_MCE with the supported capabilities and N banks: MCG_CAP
 * reads back as set (see mcg_cap_seen()), MSRs of banks 0..N-1 work
 * (from the VMM and from the guest), those of bank N do not.
 */
TEST_F(vm, mce_setup)
{
	struct kvmt_vcpu *vcpu = kvmt_guest_new_cpuid(KVMT_MODE_LONG,
						      KVMT_CODE(long_rdmsr));
	/* The capability bits offered; the bank count is ours to choose. */
	uint64_t cap = mce_supported(_metadata, vcpu->vm->sys_fd) &
		       ~MCG_COUNT_MASK;
	uint64_t mcg = cap | 4;
	unsigned int i;
	struct kvm_regs r;

	kvmt_setup_idt(vcpu);
	ASSERT_EQ(0, setup_mce(vcpu, mcg));
	EXPECT_EQ(mcg_cap_seen(self->amd, mcg),
		  kvmt_get_msr(vcpu, MSR_IA32_MCG_CAP));
	for (i = 0; i < 4; i++) {
		TH_LOG("bank %u", i);
		EXPECT_TRUE(msr_ok(vcpu, MSR_MC_CTL(i)));
		EXPECT_TRUE(msr_ok(vcpu, MSR_MC_STATUS(i)));
		EXPECT_TRUE(msr_ok(vcpu, MSR_MC_ADDR(i)));
		EXPECT_TRUE(msr_ok(vcpu, MSR_MC_MISC(i)));
	}
	EXPECT_FALSE(msr_ok(vcpu, MSR_MC_CTL(4)));
	EXPECT_FALSE(msr_ok(vcpu, MSR_MC_STATUS(4)));
	EXPECT_FALSE(msr_ok(vcpu, MSR_MC_CTL(31)));
	EXPECT_EQ(0, kvmt_set_msr_raw(vcpu->fd, MSR_MC_CTL(4), 0));

	/* MCi_CTL takes all-zeros or all-ones only. */
	EXPECT_EQ(1, kvmt_set_msr_raw(vcpu->fd, MSR_MC_CTL(3), ~0ULL));
	EXPECT_EQ(~0ULL, kvmt_get_msr(vcpu, MSR_MC_CTL(3)));
	EXPECT_EQ(1, kvmt_set_msr_raw(vcpu->fd, MSR_MC_CTL(3), 0));
	EXPECT_EQ(0, kvmt_set_msr_raw(vcpu->fd, MSR_MC_CTL(3), 5));
	EXPECT_EQ(0ULL, kvmt_get_msr(vcpu, MSR_MC_CTL(3)));
	/* With MCG_CTL_P, MCG_CTL is there too. */
	if (cap & MCG_CTL_P) {
		EXPECT_EQ(1, kvmt_set_msr_raw(vcpu->fd, MSR_IA32_MCG_CTL,
					      ~0ULL));
		EXPECT_EQ(~0ULL, kvmt_get_msr(vcpu, MSR_IA32_MCG_CTL));
	}

	/* The guest reads bank 3 and takes #GP(0) on bank 4. */
	kvmt_set_msr(vcpu, MSR_MC_CTL(3), ~0ULL);
	memset(&r, 0, sizeof(r));
	r.rip = KVMT_CODE_GPA;
	r.rsp = KVMT_STACK_TOP;
	r.rflags = 2;
	r.rcx = MSR_MC_CTL(3);
	kvmt_set_regs(vcpu, &r);
	RUN_TO_IO(vcpu, KVM_EXIT_IO_OUT, 0x90, 1, 1);
	kvmt_get_regs(vcpu, &r);
	EXPECT_EQ(0xffffffffULL, r.rax);
	EXPECT_EQ(0xffffffffULL, r.rdx);
	r.rip = KVMT_CODE_GPA;
	r.rcx = MSR_MC_CTL(4);
	kvmt_set_regs(vcpu, &r);
	RUN_TO_VECTOR(vcpu, GP_VECTOR);
	{
		uint64_t err, rip;

		kvmt_vector_info(vcpu, &err, &rip);
		EXPECT_EQ(0ULL, err);
		EXPECT_EQ((uint64_t)KVMT_CODE_GPA, rip);
	}

	/* Set up again, with fewer banks: bank 3 goes away. */
	ASSERT_EQ(0, setup_mce(vcpu, cap | 2));
	EXPECT_EQ(mcg_cap_seen(self->amd, cap | 2),
		  kvmt_get_msr(vcpu, MSR_IA32_MCG_CAP));
	EXPECT_TRUE(msr_ok(vcpu, MSR_MC_CTL(1)));
	EXPECT_FALSE(msr_ok(vcpu, MSR_MC_CTL(2)));
	EXPECT_FALSE(msr_ok(vcpu, MSR_MC_CTL(3)));
	kvmt_vm_free(vcpu->vm);
}

/*
 * api.rst 4.105: EINVAL for a bank count of 0 or above KVM_CAP_MCE, and
 * for capability bits KVM does not support.
 */
TEST_F(vm, mce_setup_invalid)
{
	struct kvmt_vcpu *vcpu = kvmt_vcpu_new(self->vm, 0);
	uint64_t cap = mce_supported(_metadata, self->vm->sys_fd) &
		       ~MCG_COUNT_MASK;
	int max = kvmt_check_cap(self->vm->sys_fd, KVM_CAP_MCE);
	unsigned int bit;

	EXPECT_ERRNO(EINVAL, setup_mce(vcpu, cap | 0));
	EXPECT_ERRNO(EINVAL, setup_mce(vcpu, cap | (max + 1)));
	EXPECT_ERRNO(EINVAL, setup_mce(vcpu, cap | 255));
	for (bit = 9; bit < 64; bit++) {
		if ((cap >> bit) & 1)
			continue;
		/* Bits 16-23 are MCG_EXT_CNT; 24+ and 9-11 are flags. */
		if (bit >= 16 && bit < 24)
			continue;
		TH_LOG("capability bit %u", bit);
		EXPECT_ERRNO(EINVAL, setup_mce(vcpu, cap | 2 | (1ULL << bit)));
	}
	/* The largest count is fine. */
	EXPECT_ERRNO(0, setup_mce(vcpu, cap | max));
	EXPECT_EQ((uint64_t)max,
		  kvmt_get_msr(vcpu, MSR_IA32_MCG_CAP) & MCG_COUNT_MASK);
}

/*
 * api.rst 4.3: with KVM_CAP_MCE the bank MSRs are not in
 * KVM_GET_MSR_INDEX_LIST, as the number of banks is per vCPU.
 */
TEST_F(vm, mce_msrs_not_listed)
{
	struct kvm_msr_list *l = kvmt_msr_list(self->vm->sys_fd,
					       KVM_GET_MSR_INDEX_LIST);
	unsigned int i;

	for (i = 0; i < l->nmsrs; i++) {
		if (l->indices[i] >= MSR_MC_CTL(0) &&
		    l->indices[i] < MSR_MC_CTL(32))
			TH_LOG("MSR %#x listed", l->indices[i]);
		EXPECT_FALSE(l->indices[i] >= MSR_MC_CTL(0) &&
			     l->indices[i] < MSR_MC_CTL(32));
	}
	free(l);
}

TEST_HARNESS_MAIN
