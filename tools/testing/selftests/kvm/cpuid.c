// SPDX-License-Identifier: GPL-2.0-only
/*
 * CPUID: what KVM_GET_SUPPORTED_CPUID offers (and its E2BIG protocol),
 * KVM_SET_CPUID2/KVM_GET_CPUID2 round trips and limits, and the guest's
 * CPUID instruction answering from exactly the table the VMM set,
 * indexed leaves included and zeros for leaves the table lacks.
 */
#include <stdlib.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "kvmt_test.h"

KVMT_GUEST(long_cpuid_list);
KVMT_GUEST(prot32_cpuid_list);

/* api.rst, KVM_SET_CPUID2: the in-tree limit is 256 entries. */
#define MAX_CPUID_ENTRIES	256

#define LEAF1_ECX_HYPERVISOR	(1U << 31)

/* Guest buffers of long_cpuid_list/prot32_cpuid_list. */
#define QUERY_GPA		KVMT_DATA_GPA
#define RESULT_GPA		(KVMT_DATA_GPA + 0x2000)

struct query {
	uint32_t leaf, subleaf;
};

struct answer {
	uint32_t eax, ebx, ecx, edx;
};

FIXTURE(cpuid) {
	struct kvmt_vm *vm;
	struct kvmt_vcpu *vcpu;
	struct kvm_cpuid2 *supported;
};

FIXTURE_SETUP(cpuid)
{
	KVMT_REQUIRE_KVM();
	self->vm = kvmt_vm_new();
	self->vcpu = kvmt_vcpu_new(self->vm, 0);
	self->supported = kvmt_supported_cpuid(self->vm->sys_fd);
}

FIXTURE_TEARDOWN(cpuid)
{
	free(self->supported);
	kvmt_vm_free(self->vm);
}

static void add_entry(struct kvm_cpuid2 *c, uint32_t fn, uint32_t idx,
		      uint32_t flags, uint32_t a, uint32_t b, uint32_t cx,
		      uint32_t d)
{
	struct kvm_cpuid_entry2 *e = &c->entries[c->nent++];

	memset(e, 0, sizeof(*e));
	e->function = fn;
	e->index = idx;
	e->flags = flags;
	e->eax = a;
	e->ebx = b;
	e->ecx = cx;
	e->edx = d;
}

/*
 * A made-up CPU.  Values avoid the bits that KVM keeps in step with
 * other vCPU state (leaf 1: OSXSAVE follows CR4, APIC follows the APIC
 * base MSR, which is enabled; leaf 7: OSPKE follows CR4) and the leaves
 * KVM validates (0xd, 0x80000008), so that the guest must see every
 * word exactly as written.  The vendor is AMD's: out-of-range leaves
 * then read as zero, the behaviour this test is about.
 */
static struct kvm_cpuid2 *made_up_cpu(void)
{
	struct kvm_cpuid2 *c = kvmt_cpuid_alloc(16);

	c->nent = 0;
	/* Max basic leaf 0xd, "AuthenticAMD" in EBX, EDX, ECX. */
	add_entry(c, 0, 0, 0, 0xd, 0x68747541, 0x444d4163, 0x69746e65);
	add_entry(c, 1, 0, 0, 0x00a00f11, 0x01020800,
		  LEAF1_ECX_HYPERVISOR | 0x00000201, 0x078bfbff);
	add_entry(c, 7, 0, KVM_CPUID_FLAG_SIGNIFCANT_INDEX,
		  1, 0x12345678, 0x0a0b0c00, 0x9abcdef0);
	add_entry(c, 7, 1, KVM_CPUID_FLAG_SIGNIFCANT_INDEX,
		  0x00000030, 0x87654321, 0x0c0b0a00, 0x0fedcba9);
	add_entry(c, 0x80000000, 0, 0, 0x80000004, 0x68747541, 0x444d4163,
		  0x69746e65);
	add_entry(c, 0x80000002, 0, 0, 0x746d766b, 0x73657420, 0x70632074,
		  0x00000075);
	add_entry(c, 0x80000003, 0, 0, 0x11111111, 0x22222222, 0x33333333,
		  0x44444444);
	add_entry(c, 0x80000004, 0, 0, 0xaaaaaaaa, 0xbbbbbbbb, 0xcccccccc,
		  0xdddddddd);
	return c;
}

/*
 * Run the @mode list program over @q and collect the answers.  The vCPU
 * must have its CPUID set and be in @mode with the program loaded.
 */
static void guest_cpuid(struct __test_metadata *_metadata,
			struct kvmt_vcpu *vcpu, enum kvmt_mode mode,
			const struct query *q, unsigned int n,
			struct answer *a)
{
	struct kvm_regs regs;

	ASSERT_LE(n * sizeof(*q), RESULT_GPA - QUERY_GPA);
	kvmt_write_guest(vcpu->vm, QUERY_GPA, q, n * sizeof(*q));
	memset(kvmt_gpa2hva(vcpu->vm, RESULT_GPA), 0x5a, n * sizeof(*a));
	memset(&regs, 0, sizeof(regs));
	regs.rip = KVMT_CODE_GPA;
	regs.rsp = KVMT_STACK_TOP;
	regs.rflags = 2;
	regs.rsi = QUERY_GPA;
	regs.rdi = RESULT_GPA;
	if (mode == KVMT_MODE_LONG)
		regs.r8 = n;
	else
		regs.rbp = n;
	kvmt_set_regs(vcpu, &regs);
	RUN_TO_IO(vcpu, KVM_EXIT_IO_OUT, 0xa0, 1, 1);
	memcpy(a, kvmt_gpa2hva(vcpu->vm, RESULT_GPA), n * sizeof(*a));
}

static void expect_entry_eq(struct __test_metadata *_metadata,
			    const struct kvm_cpuid_entry2 *want,
			    const struct kvm_cpuid_entry2 *got)
{
	if (memcmp(want, got, offsetof(struct kvm_cpuid_entry2, padding)))
		TH_LOG("leaf %#x.%u flags %#x: wanted %08x %08x %08x %08x, "
		       "got flags %#x %08x %08x %08x %08x",
		       want->function, want->index, want->flags, want->eax,
		       want->ebx, want->ecx, want->edx, got->flags, got->eax,
		       got->ebx, got->ecx, got->edx);
	EXPECT_EQ(want->function, got->function);
	EXPECT_EQ(want->index, got->index);
	EXPECT_EQ(want->flags, got->flags);
	EXPECT_EQ(want->eax, got->eax);
	EXPECT_EQ(want->ebx, got->ebx);
	EXPECT_EQ(want->ecx, got->ecx);
	EXPECT_EQ(want->edx, got->edx);
}

/*
 * api.rst: too few entries is E2BIG; enough entries succeed with nent
 * set to the number filled in.  (api.rst also says that too many is
 * ENOMEM; the in-tree KVM succeeds and adjusts nent, which is what
 * VMMs that start with a generous buffer rely on.)
 */
TEST_F(cpuid, supported_sizes)
{
	unsigned int n = self->supported->nent;
	struct kvm_cpuid2 *c;

	ASSERT_LT(2U, n);
	ASSERT_GE((unsigned int)MAX_CPUID_ENTRIES, n);

	c = kvmt_cpuid_alloc(0);
	EXPECT_ERRNO(E2BIG, ioctl(self->vm->sys_fd, KVM_GET_SUPPORTED_CPUID,
				  c));
	free(c);

	c = kvmt_cpuid_alloc(1);
	EXPECT_ERRNO(E2BIG, ioctl(self->vm->sys_fd, KVM_GET_SUPPORTED_CPUID,
				  c));
	free(c);

	c = kvmt_cpuid_alloc(n - 1);
	EXPECT_ERRNO(E2BIG, ioctl(self->vm->sys_fd, KVM_GET_SUPPORTED_CPUID,
				  c));
	free(c);

	c = kvmt_cpuid_alloc(n);
	EXPECT_ERRNO(0, ioctl(self->vm->sys_fd, KVM_GET_SUPPORTED_CPUID, c));
	EXPECT_EQ(n, c->nent);
	EXPECT_EQ(0, memcmp(c->entries, self->supported->entries,
			    n * sizeof(c->entries[0])));
	free(c);

	c = kvmt_cpuid_alloc(MAX_CPUID_ENTRIES + 100);
	EXPECT_ERRNO(0, ioctl(self->vm->sys_fd, KVM_GET_SUPPORTED_CPUID, c));
	EXPECT_EQ(n, c->nent);
	free(c);
}

/* KVM's own leaves: the "KVMKVMKVM" signature and the feature leaf. */
TEST_F(cpuid, supported_kvm_leaves)
{
	struct kvm_cpuid_entry2 *sig, *feat;
	char vendor[13];

	sig = kvmt_cpuid_find(self->supported, 0x40000000, 0);
	ASSERT_NE(NULL, sig);
	memcpy(vendor, &sig->ebx, 4);
	memcpy(vendor + 4, &sig->ecx, 4);
	memcpy(vendor + 8, &sig->edx, 4);
	vendor[12] = 0;
	EXPECT_STREQ("KVMKVMKVM", vendor);
	EXPECT_EQ(0, memcmp(vendor, "KVMKVMKVM\0\0\0", 12));
	/* EAX is the highest KVM leaf: at least the feature leaf. */
	EXPECT_LE(0x40000001U, sig->eax);
	feat = kvmt_cpuid_find(self->supported, 0x40000001, 0);
	EXPECT_NE(NULL, feat);
}

/*
 * Leaf 1 is there, but the hypervisor bit (ECX bit 31) is not: the
 * in-tree KVM leaves announcing a hypervisor to the VMM, which sets the
 * bit in the table it gives the guest (QEMU does).  KVM's presence is
 * announced by leaf 0x40000000 instead.
 */
TEST_F(cpuid, supported_hypervisor_bit)
{
	struct kvm_cpuid_entry2 *e = kvmt_cpuid_find(self->supported, 1, 0);
	struct kvm_cpuid_entry2 *e0 = kvmt_cpuid_find(self->supported, 0, 0);

	ASSERT_NE(NULL, e);
	EXPECT_EQ(0U, e->ecx & LEAF1_ECX_HYPERVISOR);
	/* Leaf 0 is there too and names the basic range. */
	ASSERT_NE(NULL, e0);
	EXPECT_LE(1U, e0->eax);
}

/* KVM_GET_CPUID2 returns what KVM_SET_CPUID2 stored, in the same order. */
TEST_F(cpuid, set_get_round_trip)
{
	struct kvm_cpuid2 *in = made_up_cpu(), *out;
	unsigned int i;

	out = kvmt_cpuid_alloc(MAX_CPUID_ENTRIES);
	kvmt_set_cpuid(self->vcpu, in);
	out->nent = in->nent;
	ASSERT_EQ(0, ioctl(self->vcpu->fd, KVM_GET_CPUID2, out));
	for (i = 0; i < in->nent; i++)
		expect_entry_eq(_metadata, &in->entries[i], &out->entries[i]);

	/* A larger buffer: the same entries. */
	memset(out->entries, 0xee, MAX_CPUID_ENTRIES * sizeof(out->entries[0]));
	out->nent = MAX_CPUID_ENTRIES;
	ASSERT_EQ(0, ioctl(self->vcpu->fd, KVM_GET_CPUID2, out));
	for (i = 0; i < in->nent; i++)
		expect_entry_eq(_metadata, &in->entries[i], &out->entries[i]);

	/* A second SET replaces the table as a whole. */
	in->nent = 2;
	kvmt_set_cpuid(self->vcpu, in);
	out->nent = 2;
	ASSERT_EQ(0, ioctl(self->vcpu->fd, KVM_GET_CPUID2, out));
	for (i = 0; i < 2; i++)
		expect_entry_eq(_metadata, &in->entries[i], &out->entries[i]);
	out->nent = 1;
	EXPECT_ERRNO(E2BIG, ioctl(self->vcpu->fd, KVM_GET_CPUID2, out));
	free(in);
	free(out);
}

/*
 * A KVM_GET_CPUID2 buffer at least as large as the table succeeds; the
 * in-tree KVM does not write nent back then (nor on E2BIG), so the caller
 * has to know the size of the table it set.  No table yet: any buffer
 * fits, even an empty one.
 */
TEST_F(cpuid, get_cpuid2_nent)
{
	struct kvm_cpuid2 *in = made_up_cpu(), *out;

	out = kvmt_cpuid_alloc(MAX_CPUID_ENTRIES);
	EXPECT_ERRNO(0, ioctl(self->vcpu->fd, KVM_GET_CPUID2, out));
	EXPECT_EQ((unsigned int)MAX_CPUID_ENTRIES, out->nent);
	out->nent = 0;
	EXPECT_ERRNO(0, ioctl(self->vcpu->fd, KVM_GET_CPUID2, out));
	EXPECT_EQ(0U, out->nent);

	kvmt_set_cpuid(self->vcpu, in);
	out->nent = MAX_CPUID_ENTRIES;
	ASSERT_EQ(0, ioctl(self->vcpu->fd, KVM_GET_CPUID2, out));
	EXPECT_EQ((unsigned int)MAX_CPUID_ENTRIES, out->nent);
	out->nent = in->nent;
	ASSERT_EQ(0, ioctl(self->vcpu->fd, KVM_GET_CPUID2, out));
	EXPECT_EQ(in->nent, out->nent);
	free(in);
	free(out);
}

/*
 * The supported table goes in and comes back entry for entry (values
 * may differ where KVM keeps CPUID in step with the vCPU, e.g. the XSAVE
 * area size of leaf 0xd, which follows XCR0).
 */
TEST_F(cpuid, set_get_supported)
{
	unsigned int i, n = self->supported->nent;
	struct kvm_cpuid2 *out = kvmt_cpuid_alloc(n);

	kvmt_set_cpuid(self->vcpu, self->supported);
	ASSERT_EQ(0, ioctl(self->vcpu->fd, KVM_GET_CPUID2, out));
	ASSERT_EQ(n, out->nent);
	for (i = 0; i < n; i++) {
		struct kvm_cpuid_entry2 *w = &self->supported->entries[i];
		struct kvm_cpuid_entry2 *g = &out->entries[i];

		EXPECT_EQ(w->function, g->function);
		EXPECT_EQ(w->index, g->index);
		EXPECT_EQ(w->flags, g->flags);
	}
	free(out);
}

/* KVM_GET_CPUID2 into a buffer shorter than the table: E2BIG. */
TEST_F(cpuid, get_short_buffer)
{
	struct kvm_cpuid2 *in = made_up_cpu(), *out;

	kvmt_set_cpuid(self->vcpu, in);
	out = kvmt_cpuid_alloc(in->nent - 1);
	EXPECT_ERRNO(E2BIG, ioctl(self->vcpu->fd, KVM_GET_CPUID2, out));
	EXPECT_EQ(in->nent - 1, out->nent);
	out->nent = 0;
	EXPECT_ERRNO(E2BIG, ioctl(self->vcpu->fd, KVM_GET_CPUID2, out));
	EXPECT_EQ(0U, out->nent);
	free(out);
	free(in);
}

/* At most 256 entries: more is E2BIG and leaves the old table alone. */
TEST_F(cpuid, set_limit)
{
	struct kvm_cpuid2 *c = kvmt_cpuid_alloc(MAX_CPUID_ENTRIES + 1);
	struct kvm_cpuid2 *out = kvmt_cpuid_alloc(MAX_CPUID_ENTRIES);
	unsigned int i;

	c->nent = 0;
	/* Distinct leaves in a range no CPU defines. */
	for (i = 0; i < MAX_CPUID_ENTRIES + 1; i++)
		add_entry(c, 0x20000000 + i, 0, 0, i, ~i, i << 8, i << 16);

	ASSERT_EQ(MAX_CPUID_ENTRIES + 1U, c->nent);
	EXPECT_ERRNO(E2BIG, ioctl(self->vcpu->fd, KVM_SET_CPUID2, c));
	c->nent = 100000;
	EXPECT_ERRNO(E2BIG, ioctl(self->vcpu->fd, KVM_SET_CPUID2, c));
	/* Still the empty table: a buffer of 0 entries fits it. */
	out->nent = 0;
	EXPECT_ERRNO(0, ioctl(self->vcpu->fd, KVM_GET_CPUID2, out));

	c->nent = MAX_CPUID_ENTRIES;
	EXPECT_ERRNO(0, ioctl(self->vcpu->fd, KVM_SET_CPUID2, c));
	out->nent = MAX_CPUID_ENTRIES - 1;
	EXPECT_ERRNO(E2BIG, ioctl(self->vcpu->fd, KVM_GET_CPUID2, out));
	out->nent = MAX_CPUID_ENTRIES;
	ASSERT_EQ(0, ioctl(self->vcpu->fd, KVM_GET_CPUID2, out));
	for (i = 0; i < MAX_CPUID_ENTRIES; i++)
		expect_entry_eq(_metadata, &c->entries[i], &out->entries[i]);
	free(c);
	free(out);
}

/*
 * The guest's CPUID answers from the table: indexed leaves by subleaf,
 * non-indexed leaves whatever ECX holds, and zeros for a leaf, or a
 * subleaf of an indexed leaf, that the table lacks.
 */
TEST_F(cpuid, guest_sees_table)
{
	static const struct query q[] = {
		{ 0, 0 }, { 0, 5 }, { 1, 0 }, { 1, 0xffffffff },
		{ 7, 0 }, { 7, 1 }, { 7, 2 },
		{ 5, 0 }, { 0xd, 0 },
		{ 0x80000000, 0 }, { 0x80000002, 0 }, { 0x80000003, 9 },
		{ 0x80000004, 0 },
		{ 0x40000000, 0 }, { 0x40000001, 0 },
	};
	struct kvm_cpuid2 *c = made_up_cpu();
	struct answer a[KVMT_ARRAY_SIZE(q)];
	unsigned int i;

	kvmt_vm_add_ram(self->vm, KVMT_RAM_SLOT, 0, KVMT_RAM_SIZE, 0);
	kvmt_set_cpuid(self->vcpu, c);
	kvmt_load_code(self->vm, KVMT_CODE_GPA, KVMT_CODE(prot32_cpuid_list));
	kvmt_setup_mode(self->vcpu, KVMT_MODE_PROT32, KVMT_CODE_GPA);
	guest_cpuid(_metadata, self->vcpu, KVMT_MODE_PROT32, q,
		    KVMT_ARRAY_SIZE(q), a);

	for (i = 0; i < KVMT_ARRAY_SIZE(q); i++) {
		struct kvm_cpuid_entry2 *e = kvmt_cpuid_find(c, q[i].leaf,
							     q[i].subleaf);
		struct answer want = { 0, 0, 0, 0 };

		if (e)
			want = (struct answer){ e->eax, e->ebx, e->ecx,
						e->edx };
		if (memcmp(&want, &a[i], sizeof(want)))
			TH_LOG("CPUID %#x.%#x: wanted %08x %08x %08x %08x, "
			       "got %08x %08x %08x %08x", q[i].leaf,
			       q[i].subleaf, want.eax, want.ebx, want.ecx,
			       want.edx, a[i].eax, a[i].ebx, a[i].ecx,
			       a[i].edx);
		EXPECT_EQ(0, memcmp(&want, &a[i], sizeof(want)));
	}
	free(c);
}

/*
 * A 64-bit guest on the supported CPUID sees, for every entry, what
 * KVM_GET_CPUID2 reports (which includes the bits KVM keeps in step with
 * the vCPU's state).
 */
TEST_F(cpuid, guest_sees_supported)
{
	unsigned int i, n = self->supported->nent;
	struct kvm_cpuid2 *out = kvmt_cpuid_alloc(n);
	struct query q[MAX_CPUID_ENTRIES];
	struct answer a[MAX_CPUID_ENTRIES];

	kvmt_vm_add_ram(self->vm, KVMT_RAM_SLOT, 0, KVMT_RAM_SIZE, 0);
	kvmt_set_cpuid(self->vcpu, self->supported);
	kvmt_load_code(self->vm, KVMT_CODE_GPA, KVMT_CODE(long_cpuid_list));
	kvmt_setup_mode(self->vcpu, KVMT_MODE_LONG, KVMT_CODE_GPA);
	ASSERT_EQ(0, ioctl(self->vcpu->fd, KVM_GET_CPUID2, out));
	for (i = 0; i < n; i++)
		q[i] = (struct query){ out->entries[i].function,
				       out->entries[i].index };
	guest_cpuid(_metadata, self->vcpu, KVMT_MODE_LONG, q, n, a);
	for (i = 0; i < n; i++) {
		struct kvm_cpuid_entry2 *e = &out->entries[i];
		struct answer want = { e->eax, e->ebx, e->ecx, e->edx };

		if (memcmp(&want, &a[i], sizeof(want)))
			TH_LOG("CPUID %#x.%#x: wanted %08x %08x %08x %08x, "
			       "got %08x %08x %08x %08x", q[i].leaf,
			       q[i].subleaf, want.eax, want.ebx, want.ecx,
			       want.edx, a[i].eax, a[i].ebx, a[i].ecx,
			       a[i].edx);
		EXPECT_EQ(0, memcmp(&want, &a[i], sizeof(want)));
	}
	free(out);
}

TEST_HARNESS_MAIN
