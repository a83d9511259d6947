// SPDX-License-Identifier: GPL-2.0-only
/*
 * Register state through KVM_GET/SET_REGS, _SREGS, _DEBUGREGS, _FPU and
 * _MP_STATE: the architectural reset state of a new vCPU (x86 power-up
 * values, as the in-tree KVM reports them), round trips, and the
 * combinations KVM_SET_SREGS refuses.
 */
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kvmt_test.h"

#define CR0_PE		(1ULL << 0)
#define CR0_ET		(1ULL << 4)
#define CR0_NE		(1ULL << 5)
#define CR0_NW		(1ULL << 29)
#define CR0_CD		(1ULL << 30)
#define CR0_PG		(1ULL << 31)
#define CR4_PAE		(1ULL << 5)
#define EFER_LME	(1ULL << 8)
#define EFER_LMA	(1ULL << 10)

/* Segment type without the "accessed" bit, which implementations vary in. */
#define TYPE(s)		((s).type & ~1U)

FIXTURE(regs) {
	struct kvmt_vm *vm;
	struct kvmt_vcpu *vcpu;
};

FIXTURE_SETUP(regs)
{
	KVMT_REQUIRE_KVM();
	self->vm = kvmt_vm_new();
	self->vcpu = kvmt_vcpu_new(self->vm, 0);
}

FIXTURE_TEARDOWN(regs)
{
	kvmt_vm_free(self->vm);
}

TEST_F(regs, reset_gprs)
{
	struct kvm_regs r;

	kvmt_get_regs(self->vcpu, &r);
	EXPECT_EQ(0xfff0ULL, r.rip);
	EXPECT_EQ(0x2ULL, r.rflags);
	/*
	 * EDX holds the processor signature (CPUID.1:EAX) after reset; with
	 * no CPUID set yet the in-tree KVM reports 0x600.
	 */
	EXPECT_EQ(0x600ULL, r.rdx);
	EXPECT_EQ(0ULL, r.rax);
	EXPECT_EQ(0ULL, r.rbx);
	EXPECT_EQ(0ULL, r.rcx);
	EXPECT_EQ(0ULL, r.rsi);
	EXPECT_EQ(0ULL, r.rdi);
	EXPECT_EQ(0ULL, r.rsp);
	EXPECT_EQ(0ULL, r.rbp);
	EXPECT_EQ(0ULL, r.r8);
	EXPECT_EQ(0ULL, r.r9);
	EXPECT_EQ(0ULL, r.r10);
	EXPECT_EQ(0ULL, r.r11);
	EXPECT_EQ(0ULL, r.r12);
	EXPECT_EQ(0ULL, r.r13);
	EXPECT_EQ(0ULL, r.r14);
	EXPECT_EQ(0ULL, r.r15);
}

#define EXPECT_REAL_SEG(seg, sel, base_, type_) do {			\
	EXPECT_EQ((uint16_t)(sel), (seg).selector);			\
	EXPECT_EQ((uint64_t)(base_), (uint64_t)(seg).base);		\
	EXPECT_EQ(0xffffU, (seg).limit);				\
	EXPECT_EQ((unsigned int)(type_), TYPE(seg));			\
	EXPECT_EQ(1, (seg).present);					\
	EXPECT_EQ(1, (seg).s);						\
	EXPECT_EQ(0, (seg).dpl);					\
	EXPECT_EQ(0, (seg).db);						\
	EXPECT_EQ(0, (seg).l);						\
	EXPECT_EQ(0, (seg).g);						\
} while (0)

TEST_F(regs, reset_sregs)
{
	struct kvm_sregs s;
	unsigned int i;

	kvmt_get_sregs(self->vcpu, &s);
	/* CS: selector f000, base ffff0000 - the reset vector is fffffff0. */
	EXPECT_REAL_SEG(s.cs, 0xf000, 0xffff0000, 0xa);	/* code, read */
	EXPECT_REAL_SEG(s.ds, 0, 0, 0x2);		/* data, write */
	EXPECT_REAL_SEG(s.es, 0, 0, 0x2);
	EXPECT_REAL_SEG(s.fs, 0, 0, 0x2);
	EXPECT_REAL_SEG(s.gs, 0, 0, 0x2);
	EXPECT_REAL_SEG(s.ss, 0, 0, 0x2);

	/* LDTR: an LDT; TR: a busy TSS (16-bit on AMD, 32-bit on Intel). */
	EXPECT_EQ(0, s.ldt.selector);
	EXPECT_EQ(0ULL, (uint64_t)s.ldt.base);
	EXPECT_EQ(0xffffU, s.ldt.limit);
	EXPECT_EQ(2, s.ldt.type);
	EXPECT_EQ(1, s.ldt.present);
	EXPECT_EQ(0, s.ldt.s);
	EXPECT_EQ(0, s.tr.selector);
	EXPECT_EQ(0ULL, (uint64_t)s.tr.base);
	EXPECT_EQ(0xffffU, s.tr.limit);
	EXPECT_TRUE(s.tr.type == 3 || s.tr.type == 11);
	EXPECT_EQ(1, s.tr.present);
	EXPECT_EQ(0, s.tr.s);

	EXPECT_EQ(0ULL, (uint64_t)s.gdt.base);
	EXPECT_EQ(0xffff, s.gdt.limit);
	EXPECT_EQ(0ULL, (uint64_t)s.idt.base);
	EXPECT_EQ(0xffff, s.idt.limit);

	/* CD, NW and ET set; everything else clear. */
	EXPECT_EQ(0x60000010ULL, s.cr0);
	EXPECT_EQ(0ULL, s.cr2);
	EXPECT_EQ(0ULL, s.cr3);
	EXPECT_EQ(0ULL, s.cr4);
	EXPECT_EQ(0ULL, s.cr8);
	EXPECT_EQ(0ULL, s.efer);
	/* The local APIC at its default base, enabled; vCPU 0 is the BSP. */
	EXPECT_EQ(0xfee00900ULL, s.apic_base);
	for (i = 0; i < KVMT_ARRAY_SIZE(s.interrupt_bitmap); i++)
		EXPECT_EQ(0ULL, s.interrupt_bitmap[i]);
}

TEST_F(regs, reset_ap_apic_base)
{
	struct kvmt_vcpu *ap = kvmt_vcpu_new(self->vm, 1);
	struct kvm_sregs s;

	/* Not the BSP: bit 8 clear. */
	kvmt_get_sregs(ap, &s);
	EXPECT_EQ(0xfee00800ULL, s.apic_base);
}

TEST_F(regs, reset_debugregs)
{
	struct kvm_debugregs d;
	unsigned int i;

	ASSERT_EQ(0, ioctl(self->vcpu->fd, KVM_GET_DEBUGREGS, &d));
	for (i = 0; i < 4; i++)
		EXPECT_EQ(0ULL, d.db[i]);
	EXPECT_EQ(0xffff0ff0ULL, d.dr6);
	EXPECT_EQ(0x400ULL, d.dr7);
}

TEST_F(regs, reset_fpu)
{
	struct kvm_fpu f;

	ASSERT_EQ(0, ioctl(self->vcpu->fd, KVM_GET_FPU, &f));
	/* The FINIT control word; the stack is empty. */
	EXPECT_EQ(0x37f, f.fcw);
	EXPECT_EQ(0, f.fsw);
}

TEST_F(regs, reset_mp_state)
{
	struct kvm_mp_state mp;

	ASSERT_EQ(0, ioctl(self->vcpu->fd, KVM_GET_MP_STATE, &mp));
	EXPECT_EQ((uint32_t)KVM_MP_STATE_RUNNABLE, mp.mp_state);
}

TEST_F(regs, regs_round_trip)
{
	struct kvm_regs in, out;
	uint64_t *p = (uint64_t *)&in;
	unsigned int i;

	/* Distinct 64-bit patterns in every field. */
	for (i = 0; i < sizeof(in) / sizeof(uint64_t); i++)
		p[i] = 0x0101010101010101ULL * (i + 1) ^ 0x8000000000000000ULL;
	in.rflags = 0x246;
	kvmt_set_regs(self->vcpu, &in);
	kvmt_get_regs(self->vcpu, &out);
	EXPECT_EQ(0, memcmp(&in, &out, sizeof(in)));
}

/* RFLAGS bit 1 is fixed at 1. */
TEST_F(regs, rflags_fixed_bit)
{
	struct kvm_regs r;

	kvmt_get_regs(self->vcpu, &r);
	r.rflags = 0;
	kvmt_set_regs(self->vcpu, &r);
	kvmt_get_regs(self->vcpu, &r);
	EXPECT_EQ(0x2ULL, r.rflags);
}

static void expect_same_seg(struct __test_metadata *_metadata,
			    const char *name, const struct kvm_segment *a,
			    const struct kvm_segment *b)
{
	TH_LOG("segment %s", name);
	EXPECT_EQ(a->base, b->base);
	EXPECT_EQ(a->limit, b->limit);
	EXPECT_EQ(a->selector, b->selector);
	EXPECT_EQ(a->type, b->type);
	EXPECT_EQ(a->present, b->present);
	EXPECT_EQ(a->dpl, b->dpl);
	EXPECT_EQ(a->db, b->db);
	EXPECT_EQ(a->s, b->s);
	EXPECT_EQ(a->l, b->l);
	EXPECT_EQ(a->g, b->g);
}

/* A long-mode register file goes in and comes back unchanged. */
TEST_F(regs, sregs_round_trip)
{
	struct kvm_sregs in, out;

	kvmt_get_sregs(self->vcpu, &in);
	in.cs = (struct kvm_segment){
		.base = 0, .limit = 0xffffffff, .selector = 0x18, .type = 0xb,
		.present = 1, .dpl = 0, .db = 0, .s = 1, .l = 1, .g = 1,
	};
	in.ds = (struct kvm_segment){
		.base = 0x12345000, .limit = 0xffffffff, .selector = 0x10,
		.type = 0x3, .present = 1, .db = 1, .s = 1, .g = 1,
	};
	in.es = in.ds;
	in.ss = in.ds;
	in.ss.base = 0;
	in.fs = in.ds;
	in.fs.base = 0x00007f0012345000ULL;
	in.gs = in.ds;
	in.gs.base = 0xffff888012345000ULL;
	in.gdt.base = 0x1000;
	in.gdt.limit = 0x7f;
	in.idt.base = 0xffffffff81000000ULL;
	in.idt.limit = 0xfff;
	in.cr0 = CR0_PE | CR0_ET | CR0_NE | CR0_PG;
	in.cr2 = 0xdead000;
	in.cr3 = 0x3000;
	in.cr4 = CR4_PAE;
	in.efer = EFER_LME | EFER_LMA;
	kvmt_set_sregs(self->vcpu, &in);
	kvmt_get_sregs(self->vcpu, &out);

	expect_same_seg(_metadata, "cs", &in.cs, &out.cs);
	expect_same_seg(_metadata, "ds", &in.ds, &out.ds);
	expect_same_seg(_metadata, "es", &in.es, &out.es);
	expect_same_seg(_metadata, "fs", &in.fs, &out.fs);
	expect_same_seg(_metadata, "gs", &in.gs, &out.gs);
	expect_same_seg(_metadata, "ss", &in.ss, &out.ss);
	EXPECT_EQ(in.gdt.base, out.gdt.base);
	EXPECT_EQ(in.gdt.limit, out.gdt.limit);
	EXPECT_EQ(in.idt.base, out.idt.base);
	EXPECT_EQ(in.idt.limit, out.idt.limit);
	EXPECT_EQ(in.cr0, out.cr0);
	EXPECT_EQ(in.cr2, out.cr2);
	EXPECT_EQ(in.cr3, out.cr3);
	EXPECT_EQ(in.cr4, out.cr4);
	EXPECT_EQ(in.efer, out.efer);
	EXPECT_EQ(in.apic_base, out.apic_base);
}

/*
 * Inconsistent control registers are refused with EINVAL and leave the
 * vCPU as it was.
 */
TEST_F(regs, sregs_invalid)
{
	struct kvm_sregs good, bad, now;
	const struct {
		const char *what;
		uint64_t cr0, cr4, efer;
	} cases[] = {
		{ "PG without PE", CR0_ET | CR0_PG, 0, 0 },
		{ "NW without CD", CR0_ET | CR0_NW, 0, 0 },
		{ "CR0 bits 63:32", CR0_ET | (1ULL << 40), 0, 0 },
		{ "CR4 reserved bit 40", CR0_ET, 1ULL << 40, 0 },
		{ "LMA without LME", CR0_ET, 0, EFER_LMA },
		{ "LME+LMA without paging", CR0_ET | CR0_PE, CR4_PAE,
		  EFER_LME | EFER_LMA },
		{ "long mode without PAE", CR0_ET | CR0_PE | CR0_PG, 0,
		  EFER_LME | EFER_LMA },
		{ "LME with paging, no LMA", CR0_ET | CR0_PE | CR0_PG, CR4_PAE,
		  EFER_LME },
	};
	unsigned int i;

	kvmt_get_sregs(self->vcpu, &good);
	for (i = 0; i < KVMT_ARRAY_SIZE(cases); i++) {
		bad = good;
		bad.cr0 = cases[i].cr0;
		bad.cr4 = cases[i].cr4;
		bad.efer = cases[i].efer;
		TH_LOG("%s", cases[i].what);
		EXPECT_ERRNO(EINVAL, ioctl(self->vcpu->fd, KVM_SET_SREGS,
					   &bad));
		kvmt_get_sregs(self->vcpu, &now);
		EXPECT_EQ(good.cr0, now.cr0);
		EXPECT_EQ(good.cr4, now.cr4);
		EXPECT_EQ(good.efer, now.efer);
	}

	/* 32-bit paging without PAE is fine. */
	bad = good;
	bad.cr0 = CR0_ET | CR0_PE | CR0_PG;
	EXPECT_EQ(0, ioctl(self->vcpu->fd, KVM_SET_SREGS, &bad));
}

/*
 * CR4 feature bits follow the CPU model.  Before the first KVM_SET_CPUID2
 * everything KVM_GET_SUPPORTED_CPUID offers is accepted (a VMM may load
 * registers first); afterwards only what the vCPU's CPUID has.  Checked
 * with SMEP (CPUID.7.0:EBX[7]) and FSGSBASE (EBX[0]), when offered.
 */
TEST_F(regs, cr4_follows_cpuid)
{
	struct kvm_cpuid2 *sup = kvmt_supported_cpuid(self->vm->sys_fd);
	struct kvm_cpuid_entry2 *l7 = kvmt_cpuid_find(sup, 7, 0);
	struct kvm_cpuid2 *none = kvmt_cpuid_alloc(1);
	uint64_t bits = 0;
	struct kvm_sregs s, now;

	if (l7 && (l7->ebx & (1U << 7)))
		bits |= 1ULL << 20;	/* CR4.SMEP */
	if (l7 && (l7->ebx & (1U << 0)))
		bits |= 1ULL << 16;	/* CR4.FSGSBASE */
	if (!bits) {
		free(sup);
		free(none);
		SKIP(return, "neither SMEP nor FSGSBASE offered");
	}

	kvmt_get_sregs(self->vcpu, &s);
	s.cr4 |= bits;
	EXPECT_EQ(0, ioctl(self->vcpu->fd, KVM_SET_SREGS, &s));
	kvmt_get_sregs(self->vcpu, &now);
	EXPECT_EQ(s.cr4, now.cr4);

	/* A model with only leaf 0: the same bits are now refused. */
	none->entries[0].function = 0;
	kvmt_set_cpuid(self->vcpu, none);
	s.cr4 &= ~bits;
	EXPECT_EQ(0, ioctl(self->vcpu->fd, KVM_SET_SREGS, &s));
	s.cr4 |= bits;
	EXPECT_ERRNO(EINVAL, ioctl(self->vcpu->fd, KVM_SET_SREGS, &s));

	/* And accepted again with the supported model. */
	kvmt_set_cpuid(self->vcpu, sup);
	EXPECT_EQ(0, ioctl(self->vcpu->fd, KVM_SET_SREGS, &s));
	free(sup);
	free(none);
}

/* What a guest leaves in its registers is what KVM_GET_REGS shows. */
KVMT_GUEST(long_poke);
TEST_F(regs, guest_state_visible)
{
	struct kvmt_vcpu *vcpu = kvmt_guest_new(KVMT_MODE_LONG,
						KVMT_CODE(long_poke));
	struct kvm_regs r;

	kvmt_get_regs(vcpu, &r);
	r.rax = 0x0123456789abcdefULL;
	r.rbx = KVMT_DATA_GPA;
	r.r15 = 0xfedcba9876543210ULL;
	kvmt_set_regs(vcpu, &r);
	RUN_TO_OUT(vcpu, 0x71, 4, 0x89abcdef);
	RUN_TO_EXIT(vcpu, KVM_EXIT_HLT);
	kvmt_get_regs(vcpu, &r);
	EXPECT_EQ(0x0123456789abcdefULL, r.rax);
	EXPECT_EQ(0xfedcba9876543210ULL, r.r15);
	EXPECT_EQ(0x89abcdefULL,
		  kvmt_le_value(kvmt_gpa2hva(vcpu->vm, KVMT_DATA_GPA), 4));
	kvmt_vm_free(vcpu->vm);
}

TEST_HARNESS_MAIN
