// SPDX-License-Identifier: GPL-2.0-only
/*
 * Software walk of the guest's own page tables (guest linear address to
 * guest physical address), for instructions the kernel has to emulate.
 * Supports no paging, 32-bit (with PSE), PAE and 4/5-level paging.
 */
#include <linux/mm.h>
#include <linux/uaccess.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>

#include "x86.h"

#define PTE_P		BIT_ULL(0)
#define PTE_PS		BIT_ULL(7)
#define PTE_ADDR_MASK	GENMASK_ULL(51, 12)

static int read_pte(struct kvm_vcpu *vcpu, u64 gpa, u64 *pte, bool wide)
{
	u32 narrow;

	if (wide)
		return kvm_read_guest(vcpu->kvm, gpa, pte, 8);
	if (kvm_read_guest(vcpu->kvm, gpa, &narrow, 4))
		return -EFAULT;
	*pte = narrow;
	return 0;
}

/* Legacy 32-bit paging: two levels of 4-byte entries, PSE 4 MiB pages. */
static int walk32(struct kvm_vcpu *vcpu, u64 cr3, u64 cr4, u64 la, u64 *gpa)
{
	u64 pde, pte;

	if (read_pte(vcpu, (cr3 & 0xfffff000) + ((la >> 22) & 0x3ff) * 4,
		     &pde, false) || !(pde & PTE_P))
		return -EFAULT;
	if ((pde & PTE_PS) && (cr4 & X86_CR4_PSE)) {
		/* PSE-36: bits 20:13 of the PDE are address bits 39:32. */
		*gpa = (pde & 0xffc00000) | ((pde & 0x1fe000) << 19) |
		       (la & 0x3fffff);
		return 0;
	}
	if (read_pte(vcpu, (pde & 0xfffff000) + ((la >> 12) & 0x3ff) * 4,
		     &pte, false) || !(pte & PTE_P))
		return -EFAULT;
	*gpa = (pte & 0xfffff000) | (la & 0xfff);
	return 0;
}

/* PAE and long-mode paging: 8-byte entries, 9 index bits a level. */
static int walk64(struct kvm_vcpu *vcpu, u64 cr3, int levels, u64 la,
		  u64 *gpa)
{
	u64 table, e = 0;
	int level;

	if (levels == 3) {
		/* PAE: four PDPTEs at CR3 bits 31:5. */
		if (read_pte(vcpu, (cr3 & 0xffffffe0) + ((la >> 30) & 3) * 8,
			     &e, true) || !(e & PTE_P))
			return -EFAULT;
		table = e & PTE_ADDR_MASK;
		levels = 2;
	} else {
		table = cr3 & PTE_ADDR_MASK;
	}

	for (level = levels; level >= 1; level--) {
		int shift = 12 + 9 * (level - 1);

		if (read_pte(vcpu, table + ((la >> shift) & 511) * 8, &e,
			     true) || !(e & PTE_P))
			return -EFAULT;
		if (level == 1 || (level <= 3 && (e & PTE_PS))) {
			u64 page_mask = (1ULL << shift) - 1;

			*gpa = (e & PTE_ADDR_MASK & ~page_mask) |
			       (la & page_mask);
			return 0;
		}
		table = e & PTE_ADDR_MASK;
	}
	return -EFAULT;
}

int kvm_gva_to_gpa(struct kvm_vcpu *vcpu, u64 la, bool write, u64 *gpa)
{
	const struct kvm_x86_ops *ops = kvm_x86_ops;
	u64 cr0 = ops->get_cr(vcpu, 0);
	u64 cr3, cr4;

	if (!(cr0 & X86_CR0_PG)) {
		*gpa = (u32)la;
		return 0;
	}
	cr3 = ops->get_cr(vcpu, 3);
	cr4 = ops->get_cr(vcpu, 4);
	if (ops->get_efer(vcpu) & EFER_LMA)
		return walk64(vcpu, cr3, (cr4 & X86_CR4_LA57) ? 5 : 4, la, gpa);
	if (cr4 & X86_CR4_PAE)
		return walk64(vcpu, cr3, 3, (u32)la, gpa);
	return walk32(vcpu, cr3, cr4, (u32)la, gpa);
}

static int linear_copy(struct kvm_vcpu *vcpu, u64 la, void *buf,
		       unsigned int len, bool write)
{
	while (len) {
		unsigned int n = min_t(unsigned int, len,
				       PAGE_SIZE - offset_in_page(la));
		u64 gpa;
		int r;

		if (kvm_gva_to_gpa(vcpu, la, write, &gpa))
			return -EFAULT;
		r = write ? kvm_write_guest(vcpu->kvm, gpa, buf, n) :
			    kvm_read_guest(vcpu->kvm, gpa, buf, n);
		if (r)
			return r;
		la += n;
		buf += n;
		len -= n;
	}
	return 0;
}

int kvm_read_guest_linear(struct kvm_vcpu *vcpu, u64 la, void *buf,
			  unsigned int len)
{
	return linear_copy(vcpu, la, buf, len, false);
}

int kvm_write_guest_linear(struct kvm_vcpu *vcpu, u64 la, const void *buf,
			   unsigned int len)
{
	return linear_copy(vcpu, la, (void *)buf, len, true);
}

/* KVM_TRANSLATE: as in-tree, only "valid" depends on the walk. */
int kvm_vcpu_translate(struct kvm_vcpu *vcpu, struct kvm_translation __user *u)
{
	struct kvm_translation tr;
	u64 gpa;
	int idx;

	if (copy_from_user(&tr, u, sizeof(tr)))
		return -EFAULT;
	idx = srcu_read_lock(&vcpu->kvm->srcu);
	tr.valid = !kvm_gva_to_gpa(vcpu, tr.linear_address, false, &gpa);
	srcu_read_unlock(&vcpu->kvm->srcu, idx);
	tr.physical_address = tr.valid ? gpa : ~0ULL;
	tr.writeable = 1;
	tr.usermode = 0;
	return copy_to_user(u, &tr, sizeof(tr)) ? -EFAULT : 0;
}
