// SPDX-License-Identifier: GPL-2.0-only
/*
 * MSRs: the index lists and their E2BIG protocol, KVM_GET_MSRS on
 * /dev/kvm for feature MSRs, KVM_GET/SET_MSRS on a vCPU (every listed MSR,
 * partial success, limits), guest RDMSR/WRMSR against the same state,
 * #GP for MSRs KVM does not know, userspace MSR exits
 * (KVM_CAP_X86_USER_SPACE_MSR), the MSR filter, MSR_PLATFORM_INFO
 * (KVM_CAP_MSR_PLATFORM_INFO), and the TSC with TSC_ADJUST.
 */
#include <stdlib.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "kvmt_test.h"

KVMT_GUEST(long_rdmsr);
KVMT_GUEST(long_wrmsr);
KVMT_GUEST(long_rdtsc);
KVMT_GUEST(long_tsc_bump);
KVMT_GUEST(long_tsc_adjust_bump);

#define MSR_IA32_TSC			0x10
#define MSR_IA32_TSC_ADJUST		0x3b
#define MSR_IA32_UCODE_REV		0x8b
#define MSR_PLATFORM_INFO		0xce
#define MSR_IA32_SYSENTER_CS		0x174
#define MSR_IA32_SYSENTER_ESP		0x175
#define MSR_IA32_SYSENTER_EIP		0x176
#define MSR_MTRR_PHYSBASE0		0x200
#define MSR_MTRR_PHYSMASK0		0x201
#define MSR_MTRR_FIX64K_00000		0x250
#define MSR_MTRR_FIX16K_80000		0x258
#define MSR_MTRR_FIX4K_C0000		0x268
#define MSR_IA32_CR_PAT			0x277
#define MSR_MTRR_DEF_TYPE		0x2ff
#define MSR_EFER			0xc0000080
#define MSR_STAR			0xc0000081
#define MSR_LSTAR			0xc0000082
#define MSR_CSTAR			0xc0000083
#define MSR_SYSCALL_MASK		0xc0000084
#define MSR_FS_BASE			0xc0000100
#define MSR_GS_BASE			0xc0000101
#define MSR_KERNEL_GS_BASE		0xc0000102
#define MSR_TSC_AUX			0xc0000103

/* An index no x86 CPU or KVM defines. */
#define MSR_BOGUS			0x0000abcd

#define GP_VECTOR			13

/* Where the guest programs sit. */
#define P_RDMSR		(KVMT_CODE_GPA + 0x000)
#define P_WRMSR		(KVMT_CODE_GPA + 0x100)
#define P_RDTSC		(KVMT_CODE_GPA + 0x200)
#define P_TSC_BUMP	(KVMT_CODE_GPA + 0x300)
#define P_ADJ_BUMP	(KVMT_CODE_GPA + 0x400)
#define P_SIZE		0x100

/* RDMSR and WRMSR are both 2 bytes long (0f 32, 0f 30). */
#define MSR_INSN_LEN	2

/* struct kvm_msrs with room for @n entries. */
static struct kvm_msrs *msrs_alloc(unsigned int n)
{
	struct kvm_msrs *m = calloc(1, sizeof(*m) + n * sizeof(m->entries[0]));

	KVMT_REQUIRE(m, "calloc");
	m->nmsrs = n;
	return m;
}

static bool list_has(const struct kvm_msr_list *l, uint32_t index)
{
	unsigned int i;

	for (i = 0; i < l->nmsrs; i++)
		if (l->indices[i] == index)
			return true;
	return false;
}

FIXTURE(msrs) {
	struct kvmt_vcpu *vcpu;
	struct kvm_cpuid2 *cpuid;
};

static void load(struct kvmt_vcpu *vcpu, uint64_t gpa, const uint8_t *s,
		 const uint8_t *e)
{
	if (e - s > P_SIZE)
		KVMT_DIE(0, "guest program too large");
	kvmt_load_code(vcpu->vm, gpa, s, e);
}

FIXTURE_SETUP(msrs)
{
	KVMT_REQUIRE_KVM();
	self->vcpu = kvmt_guest_new_cpuid(KVMT_MODE_LONG,
					  KVMT_CODE(long_rdmsr));
	load(self->vcpu, P_WRMSR, KVMT_CODE(long_wrmsr));
	load(self->vcpu, P_RDTSC, KVMT_CODE(long_rdtsc));
	load(self->vcpu, P_TSC_BUMP, KVMT_CODE(long_tsc_bump));
	load(self->vcpu, P_ADJ_BUMP, KVMT_CODE(long_tsc_adjust_bump));
	kvmt_setup_idt(self->vcpu);
	self->cpuid = kvmt_supported_cpuid(self->vcpu->vm->sys_fd);
}

FIXTURE_TEARDOWN(msrs)
{
	free(self->cpuid);
	if (self->vcpu)
		kvmt_vm_free(self->vcpu->vm);
}

/* Point the vCPU at @rip with the given inputs, fresh stack. */
static void start(struct kvmt_vcpu *vcpu, uint64_t rip, uint32_t rcx,
		  uint64_t value, uint64_t r9)
{
	struct kvm_regs r = {
		.rip = rip, .rsp = KVMT_STACK_TOP, .rflags = 2,
		.rcx = rcx, .rax = (uint32_t)value, .rdx = value >> 32,
		.r9 = r9,
	};

	kvmt_set_regs(vcpu, &r);
}

static uint64_t edx_eax(struct kvmt_vcpu *vcpu)
{
	struct kvm_regs r;

	kvmt_get_regs(vcpu, &r);
	return (r.rdx << 32) | (uint32_t)r.rax;
}

/* Guest RDMSR that must succeed. */
static uint64_t guest_rdmsr(struct __test_metadata *_metadata,
			    struct kvmt_vcpu *vcpu, uint32_t index)
{
	TH_LOG("guest RDMSR %#x", index);
	start(vcpu, P_RDMSR, index, 0, 0);
	RUN_TO_IO(vcpu, KVM_EXIT_IO_OUT, 0x90, 1, 1);
	return edx_eax(vcpu);
}

/* Guest WRMSR that must succeed. */
static void guest_wrmsr(struct __test_metadata *_metadata,
			struct kvmt_vcpu *vcpu, uint32_t index, uint64_t value)
{
	TH_LOG("guest WRMSR %#x = %#llx", index, (unsigned long long)value);
	start(vcpu, P_WRMSR, index, value, 0);
	RUN_TO_IO(vcpu, KVM_EXIT_IO_OUT, 0x91, 1, 1);
}

/* The guest's last instruction raised #GP(0) at @rip. */
static void expect_gp_at(struct __test_metadata *_metadata,
			 struct kvmt_vcpu *vcpu, uint64_t rip)
{
	uint64_t err, at;

	RUN_TO_VECTOR(vcpu, GP_VECTOR);
	kvmt_vector_info(vcpu, &err, &at);
	EXPECT_EQ(0ULL, err);
	EXPECT_EQ(rip, at);
}

/* Guest RDMSR/WRMSR of @index that must raise #GP(0). */
static void guest_rdmsr_gp(struct __test_metadata *_metadata,
			   struct kvmt_vcpu *vcpu, uint32_t index)
{
	TH_LOG("guest RDMSR %#x, wanted #GP", index);
	start(vcpu, P_RDMSR, index, 0, 0);
	expect_gp_at(_metadata, vcpu, P_RDMSR);
}

static void guest_wrmsr_gp(struct __test_metadata *_metadata,
			   struct kvmt_vcpu *vcpu, uint32_t index,
			   uint64_t value)
{
	TH_LOG("guest WRMSR %#x = %#llx, wanted #GP", index,
	       (unsigned long long)value);
	start(vcpu, P_WRMSR, index, value, 0);
	expect_gp_at(_metadata, vcpu, P_WRMSR);
}

static bool cpuid_has(struct kvm_cpuid2 *c, uint32_t fn, int reg, int bit)
{
	struct kvm_cpuid_entry2 *e = kvmt_cpuid_find(c, fn, 0);
	uint32_t v;

	if (!e)
		return false;
	v = reg == 'a' ? e->eax : reg == 'b' ? e->ebx :
	    reg == 'c' ? e->ecx : e->edx;
	return v & (1U << bit);
}

/*
 * The list protocol of api.rst 4.3: too small a buffer is E2BIG with the
 * real count written back; a large enough one is filled and nmsrs set to
 * the count.
 */
static void check_list_protocol(struct __test_metadata *_metadata, int fd,
				unsigned long req)
{
	struct kvm_msr_list probe = { .nmsrs = 0 }, *l;
	unsigned int n, i, j;

	EXPECT_ERRNO(E2BIG, ioctl(fd, req, &probe));
	n = probe.nmsrs;
	ASSERT_LT(0U, n);
	l = calloc(1, sizeof(*l) + (n + 8) * sizeof(l->indices[0]));
	ASSERT_NE(NULL, l);

	l->nmsrs = n - 1;
	EXPECT_ERRNO(E2BIG, ioctl(fd, req, l));
	EXPECT_EQ(n, l->nmsrs);

	l->nmsrs = n + 8;
	memset(l->indices, 0xff, (n + 8) * sizeof(l->indices[0]));
	EXPECT_ERRNO(0, ioctl(fd, req, l));
	EXPECT_EQ(n, l->nmsrs);
	/* Only the first n slots are written. */
	EXPECT_EQ(0xffffffffU, l->indices[n]);

	l->nmsrs = n;
	EXPECT_ERRNO(0, ioctl(fd, req, l));
	EXPECT_EQ(n, l->nmsrs);
	/* No index twice. */
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (l->indices[i] == l->indices[j]) {
				TH_LOG("MSR %#x listed twice", l->indices[i]);
				EXPECT_NE(l->indices[i], l->indices[j]);
			}
	free(l);
}

TEST_F(msrs, index_list)
{
	int fd = self->vcpu->vm->sys_fd;
	struct kvm_msr_list *l;

	check_list_protocol(_metadata, fd, KVM_GET_MSR_INDEX_LIST);
	/* The MSRs every x86-64 VMM saves and restores are in it. */
	l = kvmt_msr_list(fd, KVM_GET_MSR_INDEX_LIST);
	EXPECT_TRUE(list_has(l, MSR_IA32_TSC));
	EXPECT_TRUE(list_has(l, MSR_IA32_SYSENTER_CS));
	EXPECT_TRUE(list_has(l, MSR_IA32_SYSENTER_ESP));
	EXPECT_TRUE(list_has(l, MSR_IA32_SYSENTER_EIP));
	EXPECT_TRUE(list_has(l, MSR_STAR));
	EXPECT_TRUE(list_has(l, MSR_LSTAR));
	EXPECT_TRUE(list_has(l, MSR_CSTAR));
	EXPECT_TRUE(list_has(l, MSR_SYSCALL_MASK));
	EXPECT_TRUE(list_has(l, MSR_KERNEL_GS_BASE));
	EXPECT_TRUE(list_has(l, MSR_IA32_TSC_ADJUST));
	EXPECT_TRUE(list_has(l, MSR_PLATFORM_INFO));
	EXPECT_FALSE(list_has(l, MSR_BOGUS));
	free(l);
}

TEST_F(msrs, feature_index_list)
{
	int fd = self->vcpu->vm->sys_fd;
	struct kvm_msr_list *l;

	ASSERT_LT(0, kvmt_check_cap(fd, KVM_CAP_GET_MSR_FEATURES));
	check_list_protocol(_metadata, fd, KVM_GET_MSR_FEATURE_INDEX_LIST);
	l = kvmt_msr_list(fd, KVM_GET_MSR_FEATURE_INDEX_LIST);
	EXPECT_TRUE(list_has(l, MSR_IA32_UCODE_REV));
	free(l);
}

/*
 * /dev/kvm answers KVM_GET_MSRS for every feature MSR, all in one call;
 * a non-feature MSR stops the walk there.
 */
TEST_F(msrs, feature_msrs_get)
{
	int fd = self->vcpu->vm->sys_fd;
	struct kvm_msr_list *l = kvmt_msr_list(fd,
					       KVM_GET_MSR_FEATURE_INDEX_LIST);
	struct kvm_msrs *m = msrs_alloc(l->nmsrs + 1);
	unsigned int i;

	for (i = 0; i < l->nmsrs; i++) {
		uint64_t v;

		m->entries[i].index = l->indices[i];
		TH_LOG("feature MSR %#x", l->indices[i]);
		EXPECT_EQ(1, kvmt_get_msr_raw(fd, l->indices[i], &v));
	}
	EXPECT_EQ((int)l->nmsrs, ioctl(fd, KVM_GET_MSRS, m));

	/* A vCPU MSR in the middle: processed up to it. */
	if (l->nmsrs >= 2) {
		m->entries[1].index = MSR_STAR;
		EXPECT_EQ(1, ioctl(fd, KVM_GET_MSRS, m));
	}
	m->entries[0].index = MSR_BOGUS;
	EXPECT_EQ(0, ioctl(fd, KVM_GET_MSRS, m));
	free(m);
	free(l);
}

/*
 * MSRs that cannot take even the value they read in these VMs: the
 * in-tree KVM lists MSR_KVM_ASYNC_PF_INT, but accepts writes to it only
 * with an in-kernel local APIC.
 */
static bool msr_needs_irqchip(uint32_t index)
{
	return index == 0x4b564d06;
}

/* MSRs whose value moves by itself between two reads. */
static bool msr_moves(uint32_t index)
{
	return index == MSR_IA32_TSC ||
	       index == 0x40000010 ||	/* Hyper-V VP runtime */
	       index == 0x40000020;	/* Hyper-V reference time counter */
}

/*
 * Every MSR of the index list can be read from and written to a vCPU,
 * all in one call each, as a VMM does to save and restore a vCPU: what
 * was read goes back in and reads back the same.
 */
TEST_F(msrs, vcpu_get_set_all)
{
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct kvm_msr_list *l = kvmt_msr_list(vcpu->vm->sys_fd,
					       KVM_GET_MSR_INDEX_LIST);
	struct kvm_msrs *a = msrs_alloc(l->nmsrs), *b = msrs_alloc(l->nmsrs);
	unsigned int i, n;
	int r;

	for (i = 0; i < l->nmsrs; i++)
		a->entries[i].index = l->indices[i];
	r = ioctl(vcpu->fd, KVM_GET_MSRS, a);
	if (r >= 0 && r < (int)l->nmsrs)
		TH_LOG("KVM_GET_MSRS stopped at MSR %#x",
		       a->entries[r].index);
	ASSERT_EQ((int)l->nmsrs, r);

	/* What was read goes back in, all in one call. */
	for (i = n = 0; i < l->nmsrs; i++)
		if (!msr_needs_irqchip(a->entries[i].index))
			a->entries[n++] = a->entries[i];
	a->nmsrs = n;
	r = ioctl(vcpu->fd, KVM_SET_MSRS, a);
	if (r >= 0 && r < (int)n)
		TH_LOG("KVM_SET_MSRS stopped at MSR %#x = %#llx",
		       a->entries[r].index,
		       (unsigned long long)a->entries[r].data);
	ASSERT_EQ((int)n, r);

	b->nmsrs = n;
	for (i = 0; i < n; i++)
		b->entries[i].index = a->entries[i].index;
	ASSERT_EQ((int)n, ioctl(vcpu->fd, KVM_GET_MSRS, b));
	for (i = 0; i < n; i++) {
		if (msr_moves(a->entries[i].index))
			continue;
		if (a->entries[i].data != b->entries[i].data)
			TH_LOG("MSR %#x: wrote %#llx, read %#llx",
			       a->entries[i].index,
			       (unsigned long long)a->entries[i].data,
			       (unsigned long long)b->entries[i].data);
		EXPECT_EQ(a->entries[i].data, b->entries[i].data);
	}
	free(a);
	free(b);
	free(l);
}

/*
 * Values a 64-bit OS would put there, and a second valid value of each
 * (MTRR masks fit 40 address bits; SYSENTER_ESP/EIP are 32-bit on AMD).
 */
static const struct {
	uint32_t index;
	uint64_t value, other;
} sensible[] = {
	{ MSR_STAR, 0x0023001000000000ULL, 0x0033002000000000ULL },
	{ MSR_LSTAR, 0xffffffff81a00080ULL, 0xffffffff81b00080ULL },
	{ MSR_CSTAR, 0xffffffff81a001c0ULL, 0x00007fffffffe000ULL },
	{ MSR_SYSCALL_MASK, 0x47700, 0x257fd5 },
	{ MSR_IA32_SYSENTER_CS, 0x10, 0x60 },
	{ MSR_IA32_SYSENTER_ESP, 0xfffe3000, 0x12345678 },
	{ MSR_IA32_SYSENTER_EIP, 0x81a01450, 0xc0101234 },
	{ MSR_KERNEL_GS_BASE, 0xffff88803ec00000ULL, 0x00007f0000001000ULL },
	{ MSR_IA32_CR_PAT, 0x0407050600070106ULL, 0x0007040600070406ULL },
	{ MSR_MTRR_DEF_TYPE, 0xc06, 0x800 },
	{ MSR_MTRR_PHYSBASE0, 0xc0000000, 0xd0000006 },
	{ MSR_MTRR_PHYSMASK0, 0xffc0000800ULL, 0xfff0000800ULL },
	{ MSR_MTRR_FIX64K_00000, 0x0606060606060606ULL, 0x0001040506000106ULL },
	{ MSR_MTRR_FIX16K_80000, 0x0000000006060606ULL, 0x0606060600000000ULL },
	{ MSR_MTRR_FIX4K_C0000, 0x0505050505050505ULL, 0x0000000505050505ULL },
};

/* New values in, the same values out, one call for all. */
TEST_F(msrs, vcpu_set_get_values)
{
	unsigned int i, n = KVMT_ARRAY_SIZE(sensible);
	struct kvm_msrs *m = msrs_alloc(n);

	for (i = 0; i < n; i++) {
		m->entries[i].index = sensible[i].index;
		m->entries[i].data = sensible[i].value;
	}
	ASSERT_EQ((int)n, ioctl(self->vcpu->fd, KVM_SET_MSRS, m));
	for (i = 0; i < n; i++)
		m->entries[i].data = 0x5555;
	ASSERT_EQ((int)n, ioctl(self->vcpu->fd, KVM_GET_MSRS, m));
	for (i = 0; i < n; i++) {
		TH_LOG("MSR %#x", sensible[i].index);
		EXPECT_EQ(sensible[i].value, (uint64_t)m->entries[i].data);
	}
	free(m);
}

/*
 * api.rst 4.19: processing stops at the first MSR that fails, and the
 * return value is the number processed; later entries are left alone.
 */
TEST_F(msrs, stop_at_first_failure)
{
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct kvm_msrs *m = msrs_alloc(3);
	uint64_t lstar = kvmt_get_msr(vcpu, MSR_LSTAR);

	kvmt_set_msr(vcpu, MSR_STAR, 0x0023001000000000ULL);
	m->entries[0].index = MSR_STAR;
	m->entries[1].index = MSR_BOGUS;
	m->entries[2].index = MSR_LSTAR;
	m->entries[2].data = 0x1234;
	EXPECT_EQ(1, ioctl(vcpu->fd, KVM_GET_MSRS, m));
	EXPECT_EQ(0x0023001000000000ULL, (uint64_t)m->entries[0].data);

	m->entries[0].data = 0x0033002000000000ULL;
	m->entries[2].data = 0xffffffff81000000ULL;
	EXPECT_EQ(1, ioctl(vcpu->fd, KVM_SET_MSRS, m));
	EXPECT_EQ(0x0033002000000000ULL, kvmt_get_msr(vcpu, MSR_STAR));
	EXPECT_EQ(lstar, kvmt_get_msr(vcpu, MSR_LSTAR));

	/* A known MSR with a value it cannot take stops the walk too. */
	m->entries[1].index = MSR_IA32_CR_PAT;
	/* Memory type 2 is reserved. */
	m->entries[1].data = 0x0202020202020202ULL;
	EXPECT_EQ(1, ioctl(vcpu->fd, KVM_SET_MSRS, m));
	EXPECT_NE(0x0202020202020202ULL, kvmt_get_msr(vcpu, MSR_IA32_CR_PAT));
	EXPECT_EQ(lstar, kvmt_get_msr(vcpu, MSR_LSTAR));

	/* Failing first: nothing processed. */
	m->entries[0].index = MSR_BOGUS;
	EXPECT_EQ(0, ioctl(vcpu->fd, KVM_SET_MSRS, m));
	EXPECT_EQ(0, ioctl(vcpu->fd, KVM_GET_MSRS, m));
	m->nmsrs = 0;
	EXPECT_EQ(0, ioctl(vcpu->fd, KVM_GET_MSRS, m));
	free(m);
}

/* Too many MSRs in one call: E2BIG, nothing done. */
TEST_F(msrs, too_many)
{
	struct kvmt_vcpu *vcpu = self->vcpu;
	unsigned int sizes[] = { 1000, 1001, 100000 };
	struct kvm_msrs *m = msrs_alloc(1001);
	unsigned int i;

	for (i = 0; i < 1001; i++) {
		m->entries[i].index = MSR_STAR;
		m->entries[i].data = 0x0023001000000000ULL;
	}
	kvmt_set_msr(vcpu, MSR_STAR, 0);
	for (i = 0; i < KVMT_ARRAY_SIZE(sizes); i++) {
		m->nmsrs = sizes[i];
		TH_LOG("nmsrs %u", sizes[i]);
		EXPECT_ERRNO(E2BIG, ioctl(vcpu->fd, KVM_GET_MSRS, m));
		EXPECT_ERRNO(E2BIG, ioctl(vcpu->fd, KVM_SET_MSRS, m));
		EXPECT_ERRNO(E2BIG, ioctl(vcpu->vm->sys_fd, KVM_GET_MSRS, m));
	}
	EXPECT_EQ(0ULL, kvmt_get_msr(vcpu, MSR_STAR));
	/* Many, but fewer than that, is fine. */
	m->nmsrs = 100;
	EXPECT_EQ(100, ioctl(vcpu->fd, KVM_SET_MSRS, m));
	EXPECT_EQ(100, ioctl(vcpu->fd, KVM_GET_MSRS, m));
	free(m);
}

/*
 * Where the limit is: the in-tree KVM takes at most 255 MSRs per call
 * (E2BIG from 256 on), on vCPUs and on /dev/kvm alike.
 */
TEST_F(msrs, too_many_boundary)
{
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct kvm_msrs *m = msrs_alloc(256);
	unsigned int i;

	for (i = 0; i < 256; i++) {
		m->entries[i].index = MSR_STAR;
		m->entries[i].data = 0x0023001000000000ULL;
	}
	m->nmsrs = 255;
	EXPECT_EQ(255, ioctl(vcpu->fd, KVM_SET_MSRS, m));
	EXPECT_EQ(255, ioctl(vcpu->fd, KVM_GET_MSRS, m));
	m->nmsrs = 256;
	EXPECT_ERRNO(E2BIG, ioctl(vcpu->fd, KVM_GET_MSRS, m));
	EXPECT_ERRNO(E2BIG, ioctl(vcpu->fd, KVM_SET_MSRS, m));
	EXPECT_ERRNO(E2BIG, ioctl(vcpu->vm->sys_fd, KVM_GET_MSRS, m));
	free(m);
}

/* What the guest writes, KVM_GET_MSRS reads; and the other way round. */
TEST_F(msrs, guest_rdmsr_wrmsr)
{
	struct kvmt_vcpu *vcpu = self->vcpu;
	unsigned int i;

	for (i = 0; i < KVMT_ARRAY_SIZE(sensible); i++) {
		guest_wrmsr(_metadata, vcpu, sensible[i].index,
			    sensible[i].value);
		EXPECT_EQ(sensible[i].value,
			  kvmt_get_msr(vcpu, sensible[i].index));
		EXPECT_EQ(sensible[i].value,
			  guest_rdmsr(_metadata, vcpu, sensible[i].index));
	}
	for (i = 0; i < KVMT_ARRAY_SIZE(sensible); i++) {
		kvmt_set_msr(vcpu, sensible[i].index, sensible[i].other);
		EXPECT_EQ(sensible[i].other,
			  guest_rdmsr(_metadata, vcpu, sensible[i].index));
	}

	/* FS/GS base: the MSRs are the segment bases. */
	guest_wrmsr(_metadata, vcpu, MSR_FS_BASE, 0x00007f1234567000ULL);
	guest_wrmsr(_metadata, vcpu, MSR_GS_BASE, 0xffff888001234000ULL);
	{
		struct kvm_sregs s;

		kvmt_get_sregs(vcpu, &s);
		EXPECT_EQ(0x00007f1234567000ULL, s.fs.base);
		EXPECT_EQ(0xffff888001234000ULL, s.gs.base);
	}
	EXPECT_EQ(0x00007f1234567000ULL, kvmt_get_msr(vcpu, MSR_FS_BASE));
	EXPECT_EQ(0xffff888001234000ULL, kvmt_get_msr(vcpu, MSR_GS_BASE));

	/* TSC_AUX exists for a guest offered RDTSCP. */
	if (cpuid_has(self->cpuid, 0x80000001, 'd', 27)) {
		guest_wrmsr(_metadata, vcpu, MSR_TSC_AUX, 3);
		EXPECT_EQ(3ULL, kvmt_get_msr(vcpu, MSR_TSC_AUX));
	}
}

/*
 * MSRs KVM does not know, and values a known MSR cannot take, raise
 * #GP(0) at the RDMSR/WRMSR; the guest's handler can skip the
 * instruction and go on.
 */
TEST_F(msrs, guest_gp)
{
	struct kvmt_vcpu *vcpu = self->vcpu;

	guest_rdmsr_gp(_metadata, vcpu, MSR_BOGUS);
	/* The handler returns to where the test says: past the RDMSR. */
	kvmt_vector_resume(vcpu, P_RDMSR + MSR_INSN_LEN);
	RUN_TO_IO(vcpu, KVM_EXIT_IO_OUT, 0x90, 1, 1);
	RUN_TO_EXIT(vcpu, KVM_EXIT_HLT);

	guest_wrmsr_gp(_metadata, vcpu, MSR_BOGUS, 0);
	guest_wrmsr_gp(_metadata, vcpu, 0xc0011234, 1);
	guest_wrmsr_gp(_metadata, vcpu, MSR_IA32_CR_PAT,
		       0x0202020202020202ULL);
	/* EFER: reserved bits. */
	guest_wrmsr_gp(_metadata, vcpu, MSR_EFER, (1ULL << 63) | 0x500);

	/* A good access right after works as usual. */
	guest_wrmsr(_metadata, vcpu, MSR_LSTAR, 0xffffffff81000000ULL);
	EXPECT_EQ(0xffffffff81000000ULL, kvmt_get_msr(vcpu, MSR_LSTAR));
}

static int enable_cap(int fd, uint32_t cap, uint64_t arg0)
{
	struct kvm_enable_cap c = { .cap = cap, .args[0] = arg0 };

	return ioctl(fd, KVM_ENABLE_CAP, &c);
}

/* Run to a userspace MSR exit and check it. */
#define RUN_TO_MSR_EXIT(vcpu, exit_, reason_, index_) do {		\
	RUN_TO_EXIT(vcpu, exit_);					\
	EXPECT_EQ((uint32_t)(reason_), (vcpu)->run->msr.reason);	\
	EXPECT_EQ((uint32_t)(index_), (vcpu)->run->msr.index);		\
} while (0)

/*
 * KVM_CAP_X86_USER_SPACE_MSR: accesses that would #GP for the reasons
 * userspace asked for exit instead.  A read completes with the data
 * userspace leaves in run->msr.data, loaded into EDX:EAX; error = 1
 * turns the access into a #GP after all.
 */
TEST_F(msrs, user_space_msr)
{
	struct kvmt_vcpu *vcpu = self->vcpu;
	int vm = vcpu->vm->fd;

	ASSERT_LT(0, kvmt_check_cap(vm, KVM_CAP_X86_USER_SPACE_MSR));
	/* Reasons KVM does not define. */
	EXPECT_ERRNO(EINVAL, enable_cap(vm, KVM_CAP_X86_USER_SPACE_MSR,
					1ULL << 3));
	EXPECT_ERRNO(EINVAL, enable_cap(vm, KVM_CAP_X86_USER_SPACE_MSR,
					~0ULL));
	ASSERT_EQ(0, enable_cap(vm, KVM_CAP_X86_USER_SPACE_MSR,
				KVM_MSR_EXIT_REASON_UNKNOWN));

	/* RDMSR of an unknown MSR: the data userspace supplies. */
	start(vcpu, P_RDMSR, MSR_BOGUS, 0xdeaddeaddeaddeadULL, 0);
	RUN_TO_MSR_EXIT(vcpu, KVM_EXIT_X86_RDMSR,
			KVM_MSR_EXIT_REASON_UNKNOWN, MSR_BOGUS);
	vcpu->run->msr.data = 0x1122334455667788ULL;
	vcpu->run->msr.error = 0;
	RUN_TO_IO(vcpu, KVM_EXIT_IO_OUT, 0x90, 1, 1);
	{
		struct kvm_regs r;

		/* EAX and EDX each get 32 bits, upper halves clear. */
		kvmt_get_regs(vcpu, &r);
		EXPECT_EQ(0x55667788ULL, r.rax);
		EXPECT_EQ(0x11223344ULL, r.rdx);
	}

	/* WRMSR: the data comes from EDX:EAX. */
	start(vcpu, P_WRMSR, MSR_BOGUS, 0xaabbccdd99887766ULL, 0);
	RUN_TO_MSR_EXIT(vcpu, KVM_EXIT_X86_WRMSR,
			KVM_MSR_EXIT_REASON_UNKNOWN, MSR_BOGUS);
	EXPECT_EQ(0xaabbccdd99887766ULL, (uint64_t)vcpu->run->msr.data);
	vcpu->run->msr.error = 0;
	RUN_TO_IO(vcpu, KVM_EXIT_IO_OUT, 0x91, 1, 1);

	/* error = 1: #GP at the instruction, for reads and writes. */
	start(vcpu, P_RDMSR, MSR_BOGUS + 1, 0, 0);
	RUN_TO_MSR_EXIT(vcpu, KVM_EXIT_X86_RDMSR,
			KVM_MSR_EXIT_REASON_UNKNOWN, MSR_BOGUS + 1);
	vcpu->run->msr.error = 1;
	expect_gp_at(_metadata, vcpu, P_RDMSR);
	start(vcpu, P_WRMSR, MSR_BOGUS + 2, 5, 0);
	RUN_TO_MSR_EXIT(vcpu, KVM_EXIT_X86_WRMSR,
			KVM_MSR_EXIT_REASON_UNKNOWN, MSR_BOGUS + 2);
	vcpu->run->msr.error = 1;
	expect_gp_at(_metadata, vcpu, P_WRMSR);

	/* Known MSRs stay in the kernel. */
	guest_wrmsr(_metadata, vcpu, MSR_STAR, 0x0023001000000000ULL);
	EXPECT_EQ(0x0023001000000000ULL,
		  guest_rdmsr(_metadata, vcpu, MSR_STAR));
	/* A bad value for a known MSR is not "unknown": #GP. */
	guest_wrmsr_gp(_metadata, vcpu, MSR_IA32_CR_PAT,
		       0x0202020202020202ULL);

	/* ...unless userspace asks for invalid accesses too. */
	ASSERT_EQ(0, enable_cap(vm, KVM_CAP_X86_USER_SPACE_MSR,
				KVM_MSR_EXIT_REASON_UNKNOWN |
				KVM_MSR_EXIT_REASON_INVAL));
	start(vcpu, P_WRMSR, MSR_IA32_CR_PAT, 0x0202020202020202ULL, 0);
	RUN_TO_MSR_EXIT(vcpu, KVM_EXIT_X86_WRMSR, KVM_MSR_EXIT_REASON_INVAL,
			MSR_IA32_CR_PAT);
	EXPECT_EQ(0x0202020202020202ULL, (uint64_t)vcpu->run->msr.data);
	vcpu->run->msr.error = 0;
	RUN_TO_IO(vcpu, KVM_EXIT_IO_OUT, 0x91, 1, 1);

	/* Off again: #GP as before. */
	ASSERT_EQ(0, enable_cap(vm, KVM_CAP_X86_USER_SPACE_MSR, 0));
	guest_rdmsr_gp(_metadata, vcpu, MSR_BOGUS);
}

struct filter_bits {
	uint8_t b[8];
};

static int set_filter(int vm, uint32_t flags, uint32_t rflags,
		      uint32_t base, uint32_t nmsrs, struct filter_bits *bits)
{
	struct kvm_msr_filter f;

	memset(&f, 0, sizeof(f));
	f.flags = flags;
	if (nmsrs) {
		f.ranges[0].flags = rflags;
		f.ranges[0].base = base;
		f.ranges[0].nmsrs = nmsrs;
		f.ranges[0].bitmap = bits->b;
	}
	return ioctl(vm, KVM_X86_SET_MSR_FILTER, &f);
}

/*
 * KVM_X86_SET_MSR_FILTER: default deny with one range that allows STAR
 * (bit 0 of a range based at STAR); everything else #GPs in the guest,
 * or exits with reason FILTER when userspace asked for that.  The filter
 * is for the guest: KVM_GET/SET_MSRS still work.
 */
TEST_F(msrs, msr_filter)
{
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct filter_bits allow_star = { { 0x01 } };
	struct filter_bits none = { { 0 } };
	int vm = vcpu->vm->fd;
	struct kvm_msr_filter f;

	ASSERT_LT(0, kvmt_check_cap(vm, KVM_CAP_X86_MSR_FILTER));
	kvmt_set_msr(vcpu, MSR_LSTAR, 0xffffffff81000000ULL);

	/* Invalid filters are refused. */
	EXPECT_ERRNO(EINVAL, set_filter(vm, 1U << 1, 0, 0, 0, NULL));
	EXPECT_ERRNO(EINVAL, set_filter(vm, KVM_MSR_FILTER_DEFAULT_DENY, 0,
					0, 0, NULL));
	EXPECT_ERRNO(EINVAL, set_filter(vm, 0, 1U << 2, MSR_STAR, 8,
					&allow_star));
	/* A range bitmap of more than KVM_MSR_FILTER_MAX_BITMAP_SIZE. */
	memset(&f, 0, sizeof(f));
	f.ranges[0].flags = KVM_MSR_FILTER_READ;
	f.ranges[0].nmsrs = KVM_MSR_FILTER_MAX_BITMAP_SIZE * 8 + 8;
	f.ranges[0].bitmap = allow_star.b;
	EXPECT_ERRNO(EINVAL, ioctl(vm, KVM_X86_SET_MSR_FILTER, &f));

	ASSERT_EQ(0, set_filter(vm, KVM_MSR_FILTER_DEFAULT_DENY,
				KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE,
				MSR_STAR, 8, &allow_star));
	guest_wrmsr(_metadata, vcpu, MSR_STAR, 0x0023001000000000ULL);
	EXPECT_EQ(0x0023001000000000ULL,
		  guest_rdmsr(_metadata, vcpu, MSR_STAR));
	/* In the range, bit clear. */
	guest_rdmsr_gp(_metadata, vcpu, MSR_LSTAR);
	guest_wrmsr_gp(_metadata, vcpu, MSR_LSTAR, 0xffffffff82000000ULL);
	/* Outside every range: the default. */
	guest_rdmsr_gp(_metadata, vcpu, MSR_IA32_SYSENTER_CS);
	/* The host is not filtered. */
	EXPECT_EQ(0xffffffff81000000ULL, kvmt_get_msr(vcpu, MSR_LSTAR));
	kvmt_set_msr(vcpu, MSR_LSTAR, 0xffffffff83000000ULL);
	EXPECT_EQ(0xffffffff83000000ULL, kvmt_get_msr(vcpu, MSR_LSTAR));

	/* Denials as exits. */
	ASSERT_EQ(0, enable_cap(vm, KVM_CAP_X86_USER_SPACE_MSR,
				KVM_MSR_EXIT_REASON_FILTER));
	start(vcpu, P_RDMSR, MSR_LSTAR, 0, 0);
	RUN_TO_MSR_EXIT(vcpu, KVM_EXIT_X86_RDMSR, KVM_MSR_EXIT_REASON_FILTER,
			MSR_LSTAR);
	vcpu->run->msr.data = 0x77;
	vcpu->run->msr.error = 0;
	RUN_TO_IO(vcpu, KVM_EXIT_IO_OUT, 0x90, 1, 1);
	EXPECT_EQ(0x77ULL, edx_eax(vcpu));
	start(vcpu, P_WRMSR, MSR_LSTAR, 0xffffffff84000000ULL, 0);
	RUN_TO_MSR_EXIT(vcpu, KVM_EXIT_X86_WRMSR, KVM_MSR_EXIT_REASON_FILTER,
			MSR_LSTAR);
	EXPECT_EQ(0xffffffff84000000ULL, (uint64_t)vcpu->run->msr.data);
	vcpu->run->msr.error = 0;
	RUN_TO_IO(vcpu, KVM_EXIT_IO_OUT, 0x91, 1, 1);
	/* Userspace handled it: the kernel's LSTAR did not change. */
	EXPECT_EQ(0xffffffff83000000ULL, kvmt_get_msr(vcpu, MSR_LSTAR));
	ASSERT_EQ(0, enable_cap(vm, KVM_CAP_X86_USER_SPACE_MSR, 0));

	/* A write-only range with its bit clear: reads allowed by default. */
	ASSERT_EQ(0, set_filter(vm, KVM_MSR_FILTER_DEFAULT_ALLOW,
				KVM_MSR_FILTER_WRITE, MSR_LSTAR, 8, &none));
	EXPECT_EQ(0xffffffff83000000ULL,
		  guest_rdmsr(_metadata, vcpu, MSR_LSTAR));
	guest_wrmsr_gp(_metadata, vcpu, MSR_LSTAR, 0xffffffff85000000ULL);
	guest_wrmsr(_metadata, vcpu, MSR_IA32_SYSENTER_CS, 0x10);

	/* No ranges, default allow: filtering is off. */
	ASSERT_EQ(0, set_filter(vm, KVM_MSR_FILTER_DEFAULT_ALLOW, 0, 0, 0,
				NULL));
	guest_wrmsr(_metadata, vcpu, MSR_LSTAR, 0xffffffff85000000ULL);
	EXPECT_EQ(0xffffffff85000000ULL, kvmt_get_msr(vcpu, MSR_LSTAR));
}

/*
 * KVM_CAP_MSR_PLATFORM_INFO decides whether the guest may read
 * MSR_PLATFORM_INFO (it never may write it).  The in-tree KVM starts
 * with reads allowed.
 */
TEST_F(msrs, platform_info)
{
	struct kvmt_vcpu *vcpu = self->vcpu;
	int vm = vcpu->vm->fd;
	uint64_t host;

	ASSERT_LT(0, kvmt_check_cap(vm, KVM_CAP_MSR_PLATFORM_INFO));
	host = kvmt_get_msr(vcpu, MSR_PLATFORM_INFO);
	EXPECT_EQ(host, guest_rdmsr(_metadata, vcpu, MSR_PLATFORM_INFO));

	ASSERT_EQ(0, enable_cap(vm, KVM_CAP_MSR_PLATFORM_INFO, 0));
	guest_rdmsr_gp(_metadata, vcpu, MSR_PLATFORM_INFO);
	/* The VMM still reads it. */
	EXPECT_EQ(host, kvmt_get_msr(vcpu, MSR_PLATFORM_INFO));

	ASSERT_EQ(0, enable_cap(vm, KVM_CAP_MSR_PLATFORM_INFO, 1));
	EXPECT_EQ(host, guest_rdmsr(_metadata, vcpu, MSR_PLATFORM_INFO));
	guest_wrmsr_gp(_metadata, vcpu, MSR_PLATFORM_INFO, host);
}

/* Guest TSC as two halves of RDTSC. */
static uint64_t guest_rdtsc(struct __test_metadata *_metadata,
			    struct kvmt_vcpu *vcpu)
{
	start(vcpu, P_RDTSC, 0, 0, 0);
	RUN_TO_IO(vcpu, KVM_EXIT_IO_OUT, 0x94, 1, 1);
	return edx_eax(vcpu);
}

/*
 * Far more cycles than the emulated host needs between two of our
 * steps, far fewer than the jumps we make.
 */
#define TSC_SLACK	(1ULL << 38)
#define TSC_JUMP	(1ULL << 44)

/* KVM_SET_MSRS of MSR_IA32_TSC sets the TSC the guest reads. */
TEST_F(msrs, tsc_set)
{
	struct kvmt_vcpu *vcpu = self->vcpu;
	uint64_t t;

	kvmt_set_msr(vcpu, MSR_IA32_TSC, TSC_JUMP);
	t = guest_rdtsc(_metadata, vcpu);
	EXPECT_LE(TSC_JUMP, t);
	EXPECT_GT(TSC_JUMP + TSC_SLACK, t);
	EXPECT_LE(t, kvmt_get_msr(vcpu, MSR_IA32_TSC));
	EXPECT_LE(t, guest_rdmsr(_metadata, vcpu, MSR_IA32_TSC));

	/* And back down. */
	kvmt_set_msr(vcpu, MSR_IA32_TSC, 1000);
	t = guest_rdtsc(_metadata, vcpu);
	EXPECT_LE(1000ULL, t);
	EXPECT_GT(1000 + TSC_SLACK, t);
}

/* The in-tree KVM offers TSC_ADJUST to guests (CPUID.7.0:EBX bit 1). */
TEST_F(msrs, tsc_adjust_offered)
{
	EXPECT_TRUE(cpuid_has(self->cpuid, 7, 'b', 1));
}

/*
 * TSC_ADJUST follows guest writes to the TSC (by the amount the TSC
 * moved), and a guest write to TSC_ADJUST moves the TSC.  The guest's
 * CPUID offers TSC_ADJUST.
 */
TEST_F(msrs, tsc_adjust)
{
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct kvm_cpuid_entry2 *e = kvmt_cpuid_find(self->cpuid, 7, 0);
	uint64_t adj, t, host_adj;
	struct kvm_regs r;

	ASSERT_NE(NULL, e);
	e->ebx |= 1U << 1;
	kvmt_set_cpuid(vcpu, self->cpuid);

	EXPECT_EQ(0ULL, kvmt_get_msr(vcpu, MSR_IA32_TSC_ADJUST));
	EXPECT_EQ(0ULL, guest_rdmsr(_metadata, vcpu, MSR_IA32_TSC_ADJUST));

	/* Guest WRMSR TSC = TSC + jump. */
	start(vcpu, P_TSC_BUMP, 0, 0, TSC_JUMP);
	RUN_TO_IO(vcpu, KVM_EXIT_IO_OUT, 0x95, 1, 1);
	kvmt_get_regs(vcpu, &r);
	adj = (r.rdx << 32) | (uint32_t)r.rax;
	TH_LOG("TSC_ADJUST %#llx after a jump of %#llx",
	       (unsigned long long)adj, (unsigned long long)TSC_JUMP);
	/* The jump, minus the cycles between the RDTSC and the WRMSR. */
	EXPECT_GE(TSC_JUMP, adj);
	EXPECT_LT(TSC_JUMP - TSC_SLACK, adj);
	EXPECT_LE(TSC_JUMP, r.rbx);
	host_adj = kvmt_get_msr(vcpu, MSR_IA32_TSC_ADJUST);
	EXPECT_EQ(adj, host_adj);

	/* Guest TSC_ADJUST += jump: the TSC jumps as well. */
	start(vcpu, P_ADJ_BUMP, 0, 0, TSC_JUMP);
	RUN_TO_IO(vcpu, KVM_EXIT_IO_OUT, 0x96, 1, 1);
	kvmt_get_regs(vcpu, &r);
	EXPECT_LE(r.rbx + TSC_JUMP, r.rsi);
	EXPECT_GT(r.rbx + TSC_JUMP + TSC_SLACK, r.rsi);
	EXPECT_EQ(adj + TSC_JUMP, kvmt_get_msr(vcpu, MSR_IA32_TSC_ADJUST));

	/* Host-initiated TSC writes restore state: TSC_ADJUST stays. */
	t = kvmt_get_msr(vcpu, MSR_IA32_TSC);
	kvmt_set_msr(vcpu, MSR_IA32_TSC, t + TSC_JUMP);
	EXPECT_EQ(adj + TSC_JUMP, kvmt_get_msr(vcpu, MSR_IA32_TSC_ADJUST));
	/* ...and so do host-initiated TSC_ADJUST writes: the TSC stays. */
	t = kvmt_get_msr(vcpu, MSR_IA32_TSC);
	kvmt_set_msr(vcpu, MSR_IA32_TSC_ADJUST, 5);
	EXPECT_EQ(5ULL, kvmt_get_msr(vcpu, MSR_IA32_TSC_ADJUST));
	host_adj = kvmt_get_msr(vcpu, MSR_IA32_TSC);
	EXPECT_LT(t - TSC_SLACK, host_adj);
	EXPECT_GT(t + TSC_SLACK, host_adj);
}

TEST_HARNESS_MAIN
