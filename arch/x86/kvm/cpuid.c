// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest CPUID: the table userspace sets with KVM_SET_CPUID2, and the
 * guest's CPUID instruction answered from it.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/cpufeatures.h>
#include <asm/processor.h>

#include "x86.h"

void kvm_vcpu_free_cpuid(struct kvm_vcpu *vcpu)
{
	kvfree(vcpu->arch.cpuid);
	vcpu->arch.cpuid = NULL;
	vcpu->arch.nr_cpuid = 0;
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
	kvm_vcpu_free_cpuid(vcpu);
	vcpu->arch.cpuid = e;
	vcpu->arch.nr_cpuid = hdr.nent;
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
	if (copy_to_user(ucpuid->entries, vcpu->arch.cpuid,
			 array_size(vcpu->arch.nr_cpuid,
				    sizeof(*vcpu->arch.cpuid))))
		return -EFAULT;
	hdr.nent = vcpu->arch.nr_cpuid;
	if (copy_to_user(ucpuid, &hdr, sizeof(hdr)))
		return -EFAULT;
	return 0;
}

static const struct kvm_cpuid_entry2 *cpuid_find(struct kvm_vcpu *vcpu,
						 u32 function, u32 index)
{
	int i;

	for (i = 0; i < vcpu->arch.nr_cpuid; i++) {
		const struct kvm_cpuid_entry2 *e = &vcpu->arch.cpuid[i];

		if (e->function != function)
			continue;
		if ((e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) &&
		    e->index != index)
			continue;
		return e;
	}
	return NULL;
}

/* Whether the guest's CPUID table has a feature bit (reg: 0..3 = EAX..EDX). */
bool kvm_guest_cpuid_has(struct kvm_vcpu *vcpu, u32 function, u32 index,
			 int reg, int bit)
{
	const struct kvm_cpuid_entry2 *e = cpuid_find(vcpu, function, index);
	u32 v;

	if (!e)
		return false;
	v = reg == 0 ? e->eax : reg == 1 ? e->ebx : reg == 2 ? e->ecx : e->edx;
	return v & BIT(bit);
}

/* The guest executed CPUID; leaves userspace did not set read as zero. */
void kvm_emulate_cpuid(struct kvm_vcpu *vcpu)
{
	u64 *g = vcpu->arch.regs;
	const struct kvm_cpuid_entry2 *e;

	e = cpuid_find(vcpu, (u32)g[X86_RAX], (u32)g[X86_RCX]);
	g[X86_RAX] = e ? e->eax : 0;
	g[X86_RBX] = e ? e->ebx : 0;
	g[X86_RCX] = e ? e->ecx : 0;
	g[X86_RDX] = e ? e->edx : 0;
}

/*
 * KVM_GET_SUPPORTED_CPUID: the host's CPUID filtered to what a guest can
 * really use on these modules.  One allow-list per register; a feature is
 * offered only once the state or instructions behind it are virtualised.
 * Withheld today: XSAVE and everything built on it (AVX, AVX2, AVX-512,
 * FMA, F16C) until XCR0 is switched; RDTSCP/RDPID until TSC_AUX is;
 * the PMU; x2APIC and the TSC deadline timer (no in-kernel LAPIC);
 * MONITOR/MWAIT; VMX/SVM (no nested virtualisation); TSX.
 */
#define F(x)	BIT((x) & 31)

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

static const u32 leaf7_ebx =
	F(X86_FEATURE_FSGSBASE) | F(X86_FEATURE_BMI1) | F(X86_FEATURE_SMEP) |
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
#define CPUID_HYPERVISOR_BIT		BIT(31)
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
	u32 max_basic = min_t(u32, cpuid_eax(0), 7);
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
				e->ecx = (e->ecx & leaf1_ecx) |
					 CPUID_HYPERVISOR_BIT;
				e->edx &= leaf1_edx;
			}
			break;
		case 2:
			e = cpuid_add(b, fn, 0, false);
			break;
		case 7:
			e = cpuid_add(b, fn, 0, true);
			if (e) {
				e->eax = 0;
				e->ebx &= leaf7_ebx;
				e->ecx = 0;
				e->edx = 0;
			}
			break;
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
	e->eax = 0;	/* no paravirtual features yet */
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
