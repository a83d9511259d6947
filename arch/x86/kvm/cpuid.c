// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest CPUID: the table userspace sets with KVM_SET_CPUID2, and the
 * guest's CPUID instruction answered from it.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/cpufeatures.h>
#include <asm/processor.h>
#include <asm/processor-flags.h>
#include <asm/fpu/types.h>
#include <asm/kvm_para.h>

#include "x86.h"

/* The bit of a feature within its CPUID register. */
#define F(x)	BIT((x) & 31)

/* Size of the standard-format XSAVE area for the components in @xcr0. */
static u32 xstate_size(u64 xcr0)
{
	u32 size = 512 + 64, eax, ebx, ecx, edx;
	int i;

	for (i = 2; i < 64; i++) {
		if (!(xcr0 & BIT_ULL(i)))
			continue;
		cpuid_count(0xd, i, &eax, &ebx, &ecx, &edx);
		size = max(size, eax + ebx);
	}
	return size;
}


void kvm_vcpu_free_cpuid(struct kvm_vcpu *vcpu)
{
	kvfree(vcpu->arch.cpuid);
	vcpu->arch.cpuid = NULL;
	vcpu->arch.nr_cpuid = 0;
}

static bool same_table(struct kvm_vcpu *vcpu,
		       const struct kvm_cpuid_entry2 *e, u32 nent)
{
	const struct kvm_cpuid_entry2 *o = vcpu->arch.cpuid;
	u32 i;

	if (nent != vcpu->arch.nr_cpuid)
		return false;
	for (i = 0; i < nent; i++)
		if (e[i].function != o[i].function ||
		    e[i].index != o[i].index || e[i].flags != o[i].flags ||
		    e[i].eax != o[i].eax || e[i].ebx != o[i].ebx ||
		    e[i].ecx != o[i].ecx || e[i].edx != o[i].edx)
			return false;
	return true;
}

int kvm_vcpu_set_cpuid2(struct kvm_vcpu *vcpu,
			struct kvm_cpuid2 __user *ucpuid)
{
	struct kvm_cpuid_entry2 *e = NULL;
	struct kvm_cpuid2 hdr;

	if (copy_from_user(&hdr, ucpuid, sizeof(hdr)))
		return -EFAULT;
	if (hdr.nent > KVM_X86_MAX_CPUID_ENTRIES)
		return -E2BIG;
	if (hdr.nent) {
		e = vmemdup_user(ucpuid->entries, array_size(hdr.nent,
							     sizeof(*e)));
		if (IS_ERR(e))
			return PTR_ERR(e);
	}
	/*
	 * Once the vCPU has run, its features are fixed (the MMU and the
	 * vendor state were built from them): only the same table again is
	 * accepted, as in-tree.
	 */
	if (vcpu->arch.ran) {
		int r = same_table(vcpu, e, hdr.nent) ? 0 : -EINVAL;

		kvfree(e);
		return r;
	}
	kvm_vcpu_free_cpuid(vcpu);
	vcpu->arch.cpuid = e;
	vcpu->arch.nr_cpuid = hdr.nent;
	vcpu->arch.cpuid_set = true;
	return 0;
}

int kvm_vcpu_get_cpuid2(struct kvm_vcpu *vcpu,
			struct kvm_cpuid2 __user *ucpuid)
{
	struct kvm_cpuid2 hdr;

	if (copy_from_user(&hdr, ucpuid, sizeof(hdr)))
		return -EFAULT;
	if (hdr.nent < vcpu->arch.nr_cpuid)
		return -E2BIG;
	/* As in-tree, nent is not written back on success. */
	if (copy_to_user(ucpuid->entries, vcpu->arch.cpuid,
			 array_size(vcpu->arch.nr_cpuid,
				    sizeof(*vcpu->arch.cpuid))))
		return -EFAULT;
	return 0;
}

static const struct kvm_cpuid_entry2 *
table_find(const struct kvm_cpuid_entry2 *t, int n, u32 function, u32 index)
{
	int i;

	for (i = 0; i < n; i++) {
		if (t[i].function != function)
			continue;
		if ((t[i].flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) &&
		    t[i].index != index)
			continue;
		return &t[i];
	}
	return NULL;
}

static const struct kvm_cpuid_entry2 *cpuid_find(struct kvm_vcpu *vcpu,
						 u32 function, u32 index)
{
	return table_find(vcpu->arch.cpuid, vcpu->arch.nr_cpuid, function,
			  index);
}

/* Whether an entry has a feature bit (reg: 0..3 = EAX..EDX). */
static bool entry_has(const struct kvm_cpuid_entry2 *e, int reg, int bit)
{
	u32 v;

	if (!e)
		return false;
	v = reg == 0 ? e->eax : reg == 1 ? e->ebx : reg == 2 ? e->ecx : e->edx;
	return v & BIT(bit);
}

/* Whether the guest's CPUID table has a feature bit. */
bool kvm_guest_cpuid_has(struct kvm_vcpu *vcpu, u32 function, u32 index,
			 int reg, int bit)
{
	return entry_has(cpuid_find(vcpu, function, index), reg, bit);
}

/* The guest executed CPUID; leaves userspace did not set read as zero. */
void kvm_emulate_cpuid(struct kvm_vcpu *vcpu)
{
	u64 *g = vcpu->arch.regs;
	const struct kvm_cpuid_entry2 *e;

	u32 fn = g[X86_RAX], idx = g[X86_RCX];
	u32 eax = 0, ebx = 0, ecx = 0, edx = 0;
	u64 cr4 = kvm_x86_ops->get_cr(vcpu, 4);

	e = cpuid_find(vcpu, fn, idx);
	if (e) {
		eax = e->eax;
		ebx = e->ebx;
		ecx = e->ecx;
		edx = e->edx;
	}
	/* Bits that follow the vCPU's state, as on hardware. */
	if (fn == 1) {
		ecx &= ~F(X86_FEATURE_OSXSAVE);
		if ((cr4 & X86_CR4_OSXSAVE) && (ecx & F(X86_FEATURE_XSAVE)))
			ecx |= F(X86_FEATURE_OSXSAVE);
		if (!(vcpu->arch.apic_base & BIT_ULL(11)))
			edx &= ~F(X86_FEATURE_APIC);
	} else if (fn == 7 && idx == 0) {
		ecx &= ~F(X86_FEATURE_OSPKE);
		if (cr4 & X86_CR4_PKE)
			ecx |= F(X86_FEATURE_OSPKE);
	} else if (fn == 0xd && idx == 0 && e) {
		ebx = xstate_size(vcpu->arch.xcr0);
	}
	g[X86_RAX] = eax;
	g[X86_RBX] = ebx;
	g[X86_RCX] = ecx;
	g[X86_RDX] = edx;
}

/*
 * KVM_GET_SUPPORTED_CPUID: the host's CPUID filtered to what a guest can
 * really use on these modules.  One allow-list per register; a feature is
 * offered only once the state or instructions behind it are virtualised.
 * XSAVE and the AVX families are offered when the host has them (the
 * guest's XCR0 is switched on entry); MPX, AMX and XSAVES are not.
 * Withheld today: RDTSCP/RDPID until TSC_AUX is switched;
 * the PMU; the TSC deadline timer (offered through
 * KVM_CAP_TSC_DEADLINE_TIMER instead, as in-tree);
 * MONITOR/MWAIT; VMX/SVM (no nested virtualisation); TSX.
 */

static const u32 leaf1_edx =
	F(X86_FEATURE_FPU) | F(X86_FEATURE_VME) | F(X86_FEATURE_DE) |
	F(X86_FEATURE_PSE) | F(X86_FEATURE_TSC) | F(X86_FEATURE_MSR) |
	F(X86_FEATURE_PAE) | F(X86_FEATURE_MCE) | F(X86_FEATURE_CX8) |
	F(X86_FEATURE_APIC) | F(X86_FEATURE_SEP) | F(X86_FEATURE_MTRR) |
	F(X86_FEATURE_PGE) | F(X86_FEATURE_MCA) | F(X86_FEATURE_CMOV) |
	F(X86_FEATURE_PAT) | F(X86_FEATURE_PSE36) | F(X86_FEATURE_CLFLUSH) |
	F(X86_FEATURE_MMX) | F(X86_FEATURE_FXSR) | F(X86_FEATURE_XMM) |
	F(X86_FEATURE_XMM2) | F(X86_FEATURE_HT);

static const u32 leaf1_ecx =
	F(X86_FEATURE_XMM3) | F(X86_FEATURE_PCLMULQDQ) | F(X86_FEATURE_SSSE3) |
	F(X86_FEATURE_CX16) | F(X86_FEATURE_PCID) | F(X86_FEATURE_XMM4_1) |
	F(X86_FEATURE_XMM4_2) | F(X86_FEATURE_MOVBE) | F(X86_FEATURE_POPCNT) |
	F(X86_FEATURE_AES) | F(X86_FEATURE_RDRAND);

/* Offered only with XSAVE, and AVX state in the supported XCR0. */
static const u32 leaf1_ecx_avx =
	F(X86_FEATURE_XSAVE) | F(X86_FEATURE_AVX) | F(X86_FEATURE_F16C) |
	F(X86_FEATURE_FMA);
static const u32 leaf7_ebx_avx = F(X86_FEATURE_AVX2);
static const u32 leaf7_ebx_avx512 =
	F(X86_FEATURE_AVX512F) | F(X86_FEATURE_AVX512DQ) |
	F(X86_FEATURE_AVX512CD) | F(X86_FEATURE_AVX512BW) |
	F(X86_FEATURE_AVX512VL);
/* CPUID.(EAX=0DH,ECX=1):EAX: XSAVEOPT, XSAVEC, XGETBV with ECX=1. */
#define XSAVE_SUBLEAF1_EAX	(BIT(0) | BIT(1) | BIT(2))

static const u32 leaf7_ebx =
	F(X86_FEATURE_FSGSBASE) | F(X86_FEATURE_TSC_ADJUST) | F(X86_FEATURE_BMI1) | F(X86_FEATURE_SMEP) |
	F(X86_FEATURE_BMI2) | F(X86_FEATURE_ERMS) | F(X86_FEATURE_ADX) |
	F(X86_FEATURE_SMAP) | F(X86_FEATURE_CLFLUSHOPT) | F(X86_FEATURE_CLWB) |
	F(X86_FEATURE_SHA_NI) | F(X86_FEATURE_RDSEED);

static const u32 ext1_edx =
	F(X86_FEATURE_SYSCALL) | F(X86_FEATURE_NX) | F(X86_FEATURE_MMXEXT) |
	F(X86_FEATURE_FXSR_OPT) | F(X86_FEATURE_GBPAGES) | F(X86_FEATURE_LM) |
	F(X86_FEATURE_3DNOWEXT) | F(X86_FEATURE_3DNOW) |
	/* These mirror leaf 1 on AMD. */
	(leaf1_edx & 0x0183f3ff);

static const u32 ext1_ecx =
	F(X86_FEATURE_LAHF_LM) | F(X86_FEATURE_ABM) | F(X86_FEATURE_SSE4A) |
	F(X86_FEATURE_MISALIGNSSE) | F(X86_FEATURE_3DNOWPREFETCH) |
	F(X86_FEATURE_CR8_LEGACY);

#define KVM_CPUID_SIGNATURE_LEAF	0x40000000
#define KVM_CPUID_FEATURES_LEAF		0x40000001
#define CPUID_INVARIANT_TSC		BIT(8)

struct cpuid_builder {
	struct kvm_cpuid_entry2 *e;
	int nr, max;
};

static struct kvm_cpuid_entry2 *cpuid_add(struct cpuid_builder *b, u32 fn,
					  u32 idx, bool indexed)
{
	struct kvm_cpuid_entry2 *e;

	if (b->nr >= b->max)
		return NULL;
	e = &b->e[b->nr++];
	memset(e, 0, sizeof(*e));
	e->function = fn;
	e->index = idx;
	if (indexed)
		e->flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX;
	cpuid_count(fn, idx, &e->eax, &e->ebx, &e->ecx, &e->edx);
	return e;
}

static int build_supported_cpuid(struct cpuid_builder *b)
{
	struct kvm_cpuid_entry2 *e;
	u64 xcr0 = kvm_supported_xcr0();
	u32 max_basic = min_t(u32, cpuid_eax(0), 0xd);
	int i;
	u32 max_ext = min_t(u32, cpuid_eax(0x80000000), 0x80000008);
	u32 fn;

	for (fn = 0; fn <= max_basic; fn++) {
		switch (fn) {
		case 0:
			e = cpuid_add(b, fn, 0, false);
			if (e)
				e->eax = max_basic;
			break;
		case 1:
			e = cpuid_add(b, fn, 0, false);
			if (e) {
				/* APIC id and logical count come from the VMM. */
				e->ebx &= 0xffff;
				u32 ecx = e->ecx;

				/* The VMM sets the hypervisor bit, as in-tree. */
				e->ecx = ecx & leaf1_ecx;
				/* The in-kernel LAPIC emulates x2APIC, always. */
				e->ecx |= F(X86_FEATURE_X2APIC);
				if (xcr0 & XFEATURE_MASK_YMM)
					e->ecx |= ecx & leaf1_ecx_avx;
				else if (xcr0)
					e->ecx |= ecx & F(X86_FEATURE_XSAVE);
				e->edx &= leaf1_edx;
			}
			break;
		case 2:
			e = cpuid_add(b, fn, 0, false);
			break;
		case 7:
			e = cpuid_add(b, fn, 0, true);
			if (e) {
				u32 ebx = e->ebx;

				e->eax = 0;
				e->ebx &= leaf7_ebx;
				/* Emulated whatever the host has. */
				e->ebx |= F(X86_FEATURE_TSC_ADJUST);
				if (xcr0 & XFEATURE_MASK_YMM)
					e->ebx |= ebx & leaf7_ebx_avx;
				if (xcr0 & XFEATURE_MASK_ZMM_Hi256)
					e->ebx |= ebx & leaf7_ebx_avx512;
				e->ecx = 0;
				e->edx = 0;
			}
			break;
		case 0xd:
			if (!xcr0)
				continue;
			e = cpuid_add(b, fn, 0, true);
			if (!e)
				return -E2BIG;
			e->eax = (u32)xcr0;
			e->edx = xcr0 >> 32;
			e->ebx = xstate_size(XFEATURE_MASK_FPSSE);
			e->ecx = xstate_size(xcr0);
			e = cpuid_add(b, fn, 1, true);
			if (!e)
				return -E2BIG;
			e->eax &= XSAVE_SUBLEAF1_EAX;
			e->ebx = e->ecx = e->edx = 0;
			for (i = 2; i < 64; i++) {
				if (!(xcr0 & BIT_ULL(i)))
					continue;
				e = cpuid_add(b, fn, i, true);
				if (!e)
					return -E2BIG;
			}
			continue;
		default:
			continue;
		}
		if (!e)
			return -E2BIG;
	}

	e = cpuid_add(b, KVM_CPUID_SIGNATURE_LEAF, 0, false);
	if (!e)
		return -E2BIG;
	e->eax = KVM_CPUID_FEATURES_LEAF;
	memcpy(&e->ebx, "KVMK", 4);
	memcpy(&e->ecx, "VMKV", 4);
	memcpy(&e->edx, "M\0\0\0", 4);
	e = cpuid_add(b, KVM_CPUID_FEATURES_LEAF, 0, false);
	if (!e)
		return -E2BIG;
	/* kvmclock, both MSR sets, and a TSC good enough to trust. */
	e->eax = BIT(KVM_FEATURE_CLOCKSOURCE) | BIT(KVM_FEATURE_CLOCKSOURCE2) |
		 BIT(KVM_FEATURE_CLOCKSOURCE_STABLE_BIT);
	e->ebx = e->ecx = e->edx = 0;

	for (fn = 0x80000000; max_ext >= 0x80000000 && fn <= max_ext; fn++) {
		e = cpuid_add(b, fn, 0, false);
		if (!e)
			return -E2BIG;
		switch (fn) {
		case 0x80000000:
			e->eax = max_ext;
			break;
		case 0x80000001:
			e->ecx &= ext1_ecx;
			e->edx &= ext1_edx;
			break;
		case 0x80000007:
			e->eax = e->ebx = e->ecx = 0;
			e->edx &= CPUID_INVARIANT_TSC;
			break;
		case 0x80000008:
			/* Address sizes only; no extended features. */
			e->eax &= 0xffff;
			e->ebx = 0;
			e->ecx = 0;
			e->edx = 0;
			break;
		case 0x80000002 ... 0x80000006:
			break;	/* brand string, caches: as the host */
		default:
			e->eax = e->ebx = e->ecx = e->edx = 0;
			break;
		}
	}
	return 0;
}

/* Cold path (before KVM_SET_CPUID2 only): the table is built per call. */
static bool supported_cpuid_has(u32 function, u32 index, int reg, int bit)
{
	struct cpuid_builder b = { .max = KVM_X86_MAX_CPUID_ENTRIES };
	bool has = false;

	b.e = kvcalloc(b.max, sizeof(*b.e), GFP_KERNEL);
	if (!b.e)
		return false;
	if (!build_supported_cpuid(&b))
		has = entry_has(table_find(b.e, b.nr, function, index),
				reg, bit);
	kvfree(b.e);
	return has;
}

/*
 * A feature check for state userspace loads (CR4 bits, say).  Before the
 * first KVM_SET_CPUID2 the vCPU has no model yet and everything that
 * KVM_GET_SUPPORTED_CPUID offers is accepted, as in-tree: a VMM may load
 * registers before it defines the CPU model.
 */
bool kvm_vcpu_cpuid_allows(struct kvm_vcpu *vcpu, u32 function, u32 index,
			   int reg, int bit)
{
	if (vcpu->arch.cpuid_set)
		return kvm_guest_cpuid_has(vcpu, function, index, reg, bit);
	return supported_cpuid_has(function, index, reg, bit);
}

int kvm_dev_get_supported_cpuid(struct kvm_cpuid2 __user *ucpuid)
{
	struct cpuid_builder b = { };
	struct kvm_cpuid2 hdr;
	int r;

	if (copy_from_user(&hdr, ucpuid, sizeof(hdr)))
		return -EFAULT;
	if (hdr.nent < 1)
		return -E2BIG;
	b.max = min_t(u32, hdr.nent, KVM_X86_MAX_CPUID_ENTRIES);
	b.e = kvcalloc(b.max, sizeof(*b.e), GFP_KERNEL);
	if (!b.e)
		return -ENOMEM;
	r = build_supported_cpuid(&b);
	if (!r && copy_to_user(ucpuid->entries, b.e, b.nr * sizeof(*b.e)))
		r = -EFAULT;
	hdr.nent = b.nr;
	if (!r && copy_to_user(ucpuid, &hdr, sizeof(hdr)))
		r = -EFAULT;
	kvfree(b.e);
	return r;
}
