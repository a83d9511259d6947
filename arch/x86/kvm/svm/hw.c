// SPDX-License-Identifier: GPL-2.0-only
/*
 * AMD-V hardware: detection, enabling SVM on each CPU, the permission
 * maps shared by all guests, and ASID allocation.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/io.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/processor.h>

#include "svm/svm.h"

DEFINE_PER_CPU(struct svm_cpu, svm_cpu_data);
u32 svm_max_asid;
bool svm_flush_by_asid;
u64 svm_iopm_pa, svm_msrpm_pa;

/* Intercept every port and every MSR: the maps are all ones. */
#define IOPM_PAGES	3	/* 12 KiB */
#define MSRPM_PAGES	2	/* 8 KiB */
static struct page *iopm_pages, *msrpm_pages;

/* CPUID Fn8000_000A EDX: SVM feature bits. */
#define SVM_FEAT_NPT		BIT(0)
#define SVM_FEAT_FLUSH_BY_ASID	BIT(6)

int svm_check_hardware(void)
{
	u32 eax, ebx, ecx, edx;
	u64 vm_cr;

	if (!boot_cpu_has(X86_FEATURE_SVM)) {
		pr_err("kvm-amd: this CPU has no AMD-V (SVM)\n");
		return -EOPNOTSUPP;
	}
	rdmsrl(MSR_VM_CR, vm_cr);
	if (vm_cr & SVM_VM_CR_SVM_DIS_MASK) {
		pr_err("kvm-amd: SVM is disabled by the firmware (VM_CR.SVMDIS)\n");
		return -EOPNOTSUPP;
	}
	cpuid(SVM_CPUID_FUNC, &eax, &ebx, &ecx, &edx);
	if (!(edx & SVM_FEAT_NPT)) {
		pr_err("kvm-amd: nested paging (NPT) is required and missing\n");
		return -EOPNOTSUPP;
	}
	/* EBX: number of ASIDs, ASID 0 being the host's. */
	if (ebx < 2) {
		pr_err("kvm-amd: no guest ASIDs\n");
		return -EOPNOTSUPP;
	}
	svm_max_asid = ebx - 1;
	svm_flush_by_asid = edx & SVM_FEAT_FLUSH_BY_ASID;
	return 0;
}

int svm_alloc_global(void)
{
	iopm_pages = alloc_pages(GFP_KERNEL, get_order(IOPM_PAGES * PAGE_SIZE));
	msrpm_pages = alloc_pages(GFP_KERNEL,
				  get_order(MSRPM_PAGES * PAGE_SIZE));
	if (!iopm_pages || !msrpm_pages) {
		svm_free_global();
		return -ENOMEM;
	}
	memset(page_address(iopm_pages), 0xff, IOPM_PAGES * PAGE_SIZE);
	memset(page_address(msrpm_pages), 0xff, MSRPM_PAGES * PAGE_SIZE);
	svm_iopm_pa = page_to_phys(iopm_pages);
	svm_msrpm_pa = page_to_phys(msrpm_pages);
	return 0;
}

void svm_free_global(void)
{
	if (iopm_pages)
		__free_pages(iopm_pages, get_order(IOPM_PAGES * PAGE_SIZE));
	if (msrpm_pages)
		__free_pages(msrpm_pages, get_order(MSRPM_PAGES * PAGE_SIZE));
	iopm_pages = NULL;
	msrpm_pages = NULL;
}

/* Runs on the CPU being enabled (CPU hotplug callback). */
int svm_hardware_enable(void)
{
	struct svm_cpu *sd = this_cpu_ptr(&svm_cpu_data);
	u64 efer;

	if (!sd->hsave) {
		sd->hsave = alloc_page(GFP_KERNEL | __GFP_ZERO);
		sd->host_vmcb = (void *)get_zeroed_page(GFP_KERNEL);
		if (!sd->hsave || !sd->host_vmcb) {
			if (sd->hsave)
				__free_page(sd->hsave);
			free_page((unsigned long)sd->host_vmcb);
			sd->hsave = NULL;
			sd->host_vmcb = NULL;
			return -ENOMEM;
		}
		sd->host_vmcb_pa = __pa(sd->host_vmcb);
	}

	rdmsrl(MSR_EFER, efer);
	if (efer & EFER_SVME) {
		/* Someone else (another hypervisor) owns SVM here. */
		pr_err("kvm-amd: EFER.SVME already set on CPU %d\n",
		       smp_processor_id());
		return -EBUSY;
	}
	wrmsrl(MSR_EFER, efer | EFER_SVME);
	wrmsrl(MSR_VM_HSAVE_PA, page_to_phys(sd->hsave));

	/* Stale ASIDs of an earlier enable must not be reused unflushed. */
	sd->asid_gen++;
	sd->next_asid = svm_max_asid + 1;
	sd->enabled = true;
	return 0;
}

/*
 * Runs on the CPU being disabled; also from the emergency (crash) path,
 * so it takes no lock and does not free memory.
 */
void svm_hardware_disable(void)
{
	struct svm_cpu *sd = this_cpu_ptr(&svm_cpu_data);
	u64 efer;

	if (!sd->enabled)
		return;
	/* GIF=0 would keep interrupts blocked after SVME is cleared. */
	asm volatile("stgi" ::: "memory");
	wrmsrl(MSR_VM_HSAVE_PA, 0);
	rdmsrl(MSR_EFER, efer);
	wrmsrl(MSR_EFER, efer & ~EFER_SVME);
	sd->enabled = false;
}

/* Called at module exit, after every CPU has been disabled. */
void svm_free_percpu(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct svm_cpu *sd = per_cpu_ptr(&svm_cpu_data, cpu);

		if (sd->hsave)
			__free_page(sd->hsave);
		free_page((unsigned long)sd->host_vmcb);
		sd->hsave = NULL;
		sd->host_vmcb = NULL;
	}
}

/*
 * Give the vCPU an ASID valid on this CPU.  A vCPU that moved here, or
 * whose translations must be dropped (asid_gen == 0), gets a fresh one:
 * fresh ASIDs hold no stale TLB entries.  When a CPU runs out, it starts a
 * new generation and flushes all ASIDs once.
 */
void svm_assign_asid(struct vcpu_svm *svm, int cpu)
{
	struct svm_cpu *sd = per_cpu_ptr(&svm_cpu_data, cpu);
	struct vmcb *vmcb = svm->vmcb;

	if (svm->asid_cpu == cpu && svm->asid_gen == sd->asid_gen)
		return;
	if (sd->next_asid > svm_max_asid) {
		sd->asid_gen++;
		sd->next_asid = 1;
		vmcb->control.tlb_ctl = TLB_CONTROL_FLUSH_ALL_ASID;
	}
	svm->asid = sd->next_asid++;
	svm->asid_gen = sd->asid_gen;
	svm->asid_cpu = cpu;
	vmcb->control.asid = svm->asid;
}
