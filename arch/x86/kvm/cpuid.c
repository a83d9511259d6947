// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest CPUID: the table userspace sets with KVM_SET_CPUID2, and the
 * guest's CPUID instruction answered from it.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>

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
