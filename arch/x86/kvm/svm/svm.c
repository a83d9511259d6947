// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvm-amd.ko: the AMD-V (SVM) backend with nested paging (NPT).
 *
 * This file holds the module's entry points, vCPU creation and the guest
 * entry; hw.c enables SVM on the CPUs, vmcb.c owns the VMCB's guest
 * state, exit.c decodes #VMEXITs.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/pgtable.h>
#include <asm/debugreg.h>
#include <asm/hw_breakpoint.h>

#include "svm/svm.h"

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Clean-room KVM backend for AMD-V (SVM with NPT)");

/*
 * NPT entries are ordinary x86-64 page table entries.  Guest accesses
 * are checked as user accesses, so every entry carries the U bit.
 */
static const struct tdp_format npt_format = {
	.present_mask = _PAGE_PRESENT,
	.table_bits = _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED,
	.leaf_bits = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED,
	.write_bit = _PAGE_RW | _PAGE_DIRTY,
};

static int svm_vcpu_create(struct kvm_vcpu *vcpu)
{
	struct vcpu_svm *svm;

	svm = kzalloc(sizeof(*svm), GFP_KERNEL_ACCOUNT);
	if (!svm)
		return -ENOMEM;
	svm->vmcb = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!svm->vmcb) {
		kfree(svm);
		return -ENOMEM;
	}
	svm->vmcb_pa = __pa(svm->vmcb);
	svm->vcpu = vcpu;
	svm->asid_cpu = -1;
	vcpu->arch.vendor = svm;
	return 0;
}

static void svm_vcpu_free(struct kvm_vcpu *vcpu)
{
	struct vcpu_svm *svm = to_svm(vcpu);

	free_page((unsigned long)svm->vmcb);
	kfree(svm);
	vcpu->arch.vendor = NULL;
}

static void svm_flush_tlb(struct kvm_vcpu *vcpu)
{
	/* A fresh ASID has no cached translations. */
	to_svm(vcpu)->asid_gen = 0;
}

/*
 * QEMU's TCG (7.2, the emulated host of our tests) delivers an external
 * interrupt injected through EVENTINJ at VMRUN but leaves it recorded as
 * a pending exception; should its CPU loop break out before the next
 * #VMEXIT (a round-robin kick between its vCPUs, say), it delivers the
 * vector a second time, wherever the guest is then, even with IF clear.
 * A Linux guest deadlocks on its own spinlock when that happens (found
 * by selftests/kvm/irq_stress).  An exit right after the delivery clears
 * the stale record, so under a hypervisor every such injection is
 * followed by a self-IPI.  Bare metal pays nothing.
 */
static int intr_exit_after_inject = -1;
module_param(intr_exit_after_inject, int, 0444);
MODULE_PARM_DESC(intr_exit_after_inject,
		 "Exit right after injecting an external interrupt: 1 yes, 0 no, -1 (default) only under a hypervisor");

static bool svm_needs_exit_after(struct vcpu_svm *svm)
{
	u32 inj = svm->vmcb->control.event_inj;

	if (svm->immediate_exit) {
		svm->immediate_exit = false;
		return true;
	}
	return intr_exit_after_inject > 0 && (inj & SVM_EVTINJ_VALID) &&
	       (inj & SVM_EVTINJ_TYPE_MASK) == SVM_EVTINJ_TYPE_INTR;
}

static void svm_run(struct kvm_vcpu *vcpu)
{
	struct vcpu_svm *svm = to_svm(vcpu);
	struct vmcb *vmcb = svm->vmcb;
	int cpu = smp_processor_id();
	u64 *regs = vcpu->arch.regs;

	svm_assign_asid(svm, cpu);
	vmcb->save.rax = regs[X86_RAX];
	vmcb->save.rsp = regs[X86_RSP];
	vmcb->save.rip = vcpu->arch.rip;
	vmcb->save.rflags = vcpu->arch.rflags;
	/* No state is cached across entries: no clean bits. */
	vmcb->control.clean = 0;

	asm volatile("clgi" ::: "memory");
	/*
	 * A self-IPI, pending until VMRUN sets the host IF, makes the
	 * guest exit as soon as the injected event is delivered.
	 */
	if (svm_needs_exit_after(svm))
		smp_send_reschedule(cpu);
	svm_vmrun(svm->vmcb_pa, regs,
		  per_cpu_ptr(&svm_cpu_data, cpu)->host_vmcb_pa);
	asm volatile("stgi" ::: "memory");

	/* #VMEXIT left DR7 at its reset value: re-arm host breakpoints. */
	if (hw_breakpoint_active())
		hw_breakpoint_restore();

	regs[X86_RAX] = vmcb->save.rax;
	regs[X86_RSP] = vmcb->save.rsp;
	vcpu->arch.rip = vmcb->save.rip;
	vcpu->arch.rflags = vmcb->save.rflags;
	vmcb->control.tlb_ctl = TLB_CONTROL_DO_NOTHING;
	/* An event not delivered shows in EXITINTINFO and is re-queued. */
	vmcb->control.event_inj = 0;
}

static struct kvm_x86_ops svm_x86_ops = {
	.name = "svm",
	.hardware_enable = svm_hardware_enable,
	.hardware_disable = svm_hardware_disable,
	.tdp = &npt_format,
	.vcpu_create = svm_vcpu_create,
	.vcpu_free = svm_vcpu_free,
	.vcpu_reset = svm_vcpu_reset,
	.get_segment = svm_get_segment,
	.set_segment = svm_set_segment,
	.get_dtable = svm_get_dtable,
	.set_dtable = svm_set_dtable,
	.get_cr = svm_get_cr,
	.set_cr = svm_set_cr,
	.get_efer = svm_get_efer,
	.set_efer = svm_set_efer,
	.get_cpl = svm_get_cpl,
	.get_msr = svm_get_msr,
	.set_msr = svm_set_msr,
	.set_tsc_offset = svm_set_tsc_offset,
	.interrupt_allowed = svm_interrupt_allowed,
	.nmi_allowed = svm_nmi_allowed,
	.event_pending = svm_event_pending,
	.inject_irq = svm_inject_irq,
	.inject_nmi = svm_inject_nmi,
	.enable_irq_window = svm_enable_irq_window,
	.enable_nmi_window = svm_enable_nmi_window,
	.get_event = svm_get_event,
	.set_event = svm_set_event,
	.get_interrupt_shadow = svm_get_interrupt_shadow,
	.set_interrupt_shadow = svm_set_interrupt_shadow,
	.get_nmi_mask = svm_get_nmi_mask,
	.set_nmi_mask = svm_set_nmi_mask,
	.update_debug_intercepts = svm_update_debug_intercepts,
	.get_dr = svm_get_dr,
	.set_dr = svm_set_dr,
	.run = svm_run,
	.handle_exit = svm_handle_exit,
	.flush_tlb = svm_flush_tlb,
	.inject_exception = svm_inject_exception,
};

static int __init svm_init(void)
{
	int r;

	r = svm_check_hardware();
	if (r)
		return r;
	/* NPT walks as many levels as the host's own paging. */
	svm_x86_ops.tdp_levels = pgtable_l5_enabled() ? 5 : 4;
	if (intr_exit_after_inject < 0)
		intr_exit_after_inject = boot_cpu_has(X86_FEATURE_HYPERVISOR);

	r = svm_alloc_global();
	if (r)
		return r;
	r = kvm_x86_register_vendor(&svm_x86_ops, THIS_MODULE);
	if (r) {
		svm_free_global();
		svm_free_percpu();
		return r;
	}
	pr_info("kvm-amd: SVM with nested paging enabled, %u ASIDs\n",
		svm_max_asid);
	return 0;
}

static void __exit svm_exit(void)
{
	kvm_x86_unregister_vendor();
	svm_free_percpu();
	svm_free_global();
}

module_init(svm_init);
module_exit(svm_exit);
