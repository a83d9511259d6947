// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvm-intel.ko: the Intel VT-x backend with EPT, unrestricted guest and
 * VPID.
 *
 * This file holds the module's entry points, vCPU creation and the guest
 * entry; hw.c enables VMX on the CPUs and moves VMCSs between them,
 * vmcs.c owns the VMCS's guest state, exit.c decodes VM exits, events.c
 * injects events.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/hw_breakpoint.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/segment.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>

#include "vmx/vmx.h"

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Clean-room KVM backend for Intel VT-x (VMX with EPT)");

/*
 * EPT entries: present means any of read/write/execute.  Tables allow
 * everything; leaves are readable and executable write-back memory, and
 * writable when the shared MMU says so.
 */
static const struct tdp_format ept_format = {
	.present_mask = VMX_EPT_RWX_MASK,
	.table_bits = VMX_EPT_RWX_MASK,
	.leaf_bits = VMX_EPT_READABLE_MASK | VMX_EPT_EXECUTABLE_MASK |
		     (VMX_EPTP_MT_WB << VMX_EPT_MT_EPTE_SHIFT),
	.write_bit = VMX_EPT_WRITABLE_MASK,
};

void vmx_vmwrite_error(unsigned long field, u64 val)
{
	pr_warn_ratelimited("kvm-intel: VMWRITE of field %#lx (value %#llx) failed, VM-instruction error %u\n",
			    field, val, vmcs_read32(VM_INSTRUCTION_ERROR));
}

static int vmx_vcpu_create(struct kvm_vcpu *vcpu)
{
	struct vcpu_vmx *vmx;
	int vpid;

	vmx = kzalloc(sizeof(*vmx), GFP_KERNEL_ACCOUNT);
	if (!vmx)
		return -ENOMEM;
	vmx->vmcs = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	vpid = vmx_alloc_vpid();
	if (!vmx->vmcs || vpid < 0) {
		if (vpid >= 0)
			vmx_free_vpid(vpid);
		free_page((unsigned long)vmx->vmcs);
		kfree(vmx);
		return vpid < 0 ? vpid : -ENOMEM;
	}
	/* Bit 31 clear: an ordinary VMCS, not a shadow one. */
	*(u32 *)vmx->vmcs = vmx_caps.revision_id;
	vmx->vmcs_pa = __pa(vmx->vmcs);
	vmx->vpid = vpid;
	vmx->vcpu = vcpu;
	vmx->loaded_cpu = -1;
	vmx->host_cpu = -1;
	vmx->last_run_cpu = -1;
	INIT_LIST_HEAD(&vmx->loaded_link);
	vcpu->arch.vendor = vmx;
	return 0;
}

static void vmx_vcpu_free(struct kvm_vcpu *vcpu)
{
	struct vcpu_vmx *vmx = to_vmx(vcpu);

	/* The VMCS may still be active on the CPU that ran it last. */
	vmx_vcpu_clear(vmx);
	free_page((unsigned long)vmx->vmcs);
	vmx_free_vpid(vmx->vpid);
	kfree(vmx);
	vcpu->arch.vendor = NULL;
}

static void vmx_flush_tlb(struct kvm_vcpu *vcpu)
{
	/* Done by vmx_run() on the CPU that enters the guest next. */
	to_vmx(vcpu)->need_flush = true;
}

static void write_msr_if(u32 msr, u64 now, u64 want)
{
	if (now != want)
		wrmsrl(msr, want);
}

/* Host state that can change between entries (task, CR4 bits, TLS). */
static void vmx_update_host_state(struct vcpu_vmx *vmx, unsigned long fs_base)
{
	unsigned long cr3 = __read_cr3(), cr4 = cr4_read_shadow();

	if (cr3 != vmx->host_cr3) {
		vmcs_write(HOST_CR3, cr3);
		vmx->host_cr3 = cr3;
	}
	if (cr4 != vmx->host_cr4) {
		vmcs_write(HOST_CR4, cr4);
		vmx->host_cr4 = cr4;
	}
	if (fs_base != vmx->host_fs_base) {
		vmcs_write(HOST_FS_BASE, fs_base);
		vmx->host_fs_base = fs_base;
	}
}

/* See setup_watchdog(): only entries with RFLAGS.IF=0 need the timer. */
static void vmx_arm_watchdog(struct vcpu_vmx *vmx)
{
	u32 value;

	if (!vmx_caps.watchdog_ticks)
		return;
	value = (vmx->vcpu->arch.rflags & X86_EFLAGS_IF) ? U32_MAX :
		vmx_caps.watchdog_ticks;
	if (value != vmx->timer_value) {
		vmcs_write(VMX_PREEMPTION_TIMER_VALUE, value);
		vmx->timer_value = value;
	}
}

/*
 * Enter the guest once.  Interrupts and preemption are off.  Besides the
 * GPRs (vmenter.S), VMX leaves some host state to software: CR2, the
 * SYSCALL MSRs and KERNEL_GS_BASE are swapped here; the data segment
 * selectors, the GDT and TSS limits and DEBUGCTL, which a VM exit resets,
 * are restored after it.
 */
static void vmx_run(struct kvm_vcpu *vcpu)
{
	struct vcpu_vmx *vmx = to_vmx(vcpu);
	struct vmx_cpu *vc = this_cpu_ptr(&vmx_cpu_data);
	int cpu = smp_processor_id();
	u64 *regs = vcpu->arch.regs;
	u64 kgs, star, lstar, cstar, sfmask;
	unsigned long fs_base;
	unsigned short ds, es, fs, gs;
	int fail;

	if (unlikely(!vc->enabled || vmx->loaded_cpu != cpu ||
		     vc->current_vmcs != vmx->vmcs_pa)) {
		/* VMX was switched off under us (reboot) or VMPTRLD failed. */
		vmx->entry_failed = true;
		vmx->insn_error = 0;
		return;
	}
	/* Translations cached here may predate runs on other CPUs. */
	if (vmx->need_flush || vmx->last_run_cpu != cpu) {
		vmx_flush_guest(vmx);
		vmx->need_flush = false;
		vmx->last_run_cpu = cpu;
	}
	vmx_prepare_events(vmx);

	rdmsrl(MSR_FS_BASE, fs_base);
	vmx_update_host_state(vmx, fs_base);
	vmcs_write(GUEST_RIP, vcpu->arch.rip);
	vmcs_write(GUEST_RSP, regs[X86_RSP]);
	vmcs_write(GUEST_RFLAGS, vcpu->arch.rflags);
	vmx_arm_watchdog(vmx);
	vmx_fixup_interruptibility(vmx);

	rdmsrl(MSR_KERNEL_GS_BASE, kgs);
	rdmsrl(MSR_STAR, star);
	rdmsrl(MSR_LSTAR, lstar);
	rdmsrl(MSR_CSTAR, cstar);
	rdmsrl(MSR_SYSCALL_MASK, sfmask);
	write_msr_if(MSR_KERNEL_GS_BASE, kgs, vmx->kernel_gs_base);
	write_msr_if(MSR_STAR, star, vmx->star);
	write_msr_if(MSR_LSTAR, lstar, vmx->lstar);
	write_msr_if(MSR_CSTAR, cstar, vmx->cstar);
	write_msr_if(MSR_SYSCALL_MASK, sfmask, vmx->sfmask);
	savesegment(ds, ds);
	savesegment(es, es);
	savesegment(fs, fs);
	savesegment(gs, gs);
	if (read_cr2() != vmx->cr2)
		write_cr2(vmx->cr2);

	fail = vmx_vmenter(regs, vmx->launched);

	vmx->cr2 = read_cr2();
	/* A VM exit left the GDT limit at 0xffff, the TSS limit at 0x67. */
	load_fixmap_gdt(cpu);
	invalidate_tss_limit();
	/* SWAPGS in the guest changes KERNEL_GS_BASE without an exit. */
	rdmsrl(MSR_KERNEL_GS_BASE, vmx->kernel_gs_base);
	if (ds)
		loadsegment(ds, ds);
	if (es)
		loadsegment(es, es);
	if (fs) {
		loadsegment(fs, fs);
		wrmsrl(MSR_FS_BASE, fs_base);
	}
	/* This reloads the inactive GS base too: restored right after. */
	if (gs)
		load_gs_index(gs);
	wrmsrl(MSR_KERNEL_GS_BASE, kgs);
	write_msr_if(MSR_STAR, vmx->star, star);
	write_msr_if(MSR_LSTAR, vmx->lstar, lstar);
	write_msr_if(MSR_CSTAR, vmx->cstar, cstar);
	write_msr_if(MSR_SYSCALL_MASK, vmx->sfmask, sfmask);
	if (vmx->host_debugctl)
		update_debugctlmsr(vmx->host_debugctl);
	/* The exit left DR7 at its reset value: re-arm host breakpoints. */
	if (hw_breakpoint_active())
		hw_breakpoint_restore();

	if (unlikely(fail)) {
		vmx->entry_failed = true;
		vmx->insn_error = vmcs_read32(VM_INSTRUCTION_ERROR);
		return;
	}
	vmx->entry_failed = false;
	vmx->exit_reason = vmcs_read32(VM_EXIT_REASON);
	/* A VMCS is launched once an entry got past the guest-state checks. */
	if (!(vmx->exit_reason & VMX_EXIT_REASON_FAILED_ENTRY))
		vmx->launched = true;
	if (VMX_EXIT_REASON_BASIC(vmx->exit_reason) ==
	    EXIT_REASON_EXCEPTION_NMI) {
		vmx->exit_intr_info = vmcs_read32(VM_EXIT_INTR_INFO);
		/*
		 * A host NMI arrived in guest mode and caused this exit; NMIs
		 * are blocked until an IRET.  Run the host's NMI handler now,
		 * through its IDT gate; its IRET unblocks NMIs.
		 */
		if ((vmx->exit_intr_info & (INTR_INFO_VALID_MASK |
					    INTR_INFO_INTR_TYPE_MASK)) ==
		    (INTR_INFO_VALID_MASK | INTR_TYPE_NMI_INTR))
			asm volatile("int $2" ::: "memory");
	}

	vcpu->arch.rip = vmcs_read(GUEST_RIP);
	regs[X86_RSP] = vmcs_read(GUEST_RSP);
	vcpu->arch.rflags = vmcs_read(GUEST_RFLAGS);
	/* An event not delivered shows in the IDT-vectoring information. */
	vmx->entered_irq_as_soft = vmx->irq_as_soft;
	if (vmx->intr_info_set)
		vmx_set_intr_info(vmx, 0, 0);
}

static struct kvm_x86_ops vmx_x86_ops = {
	.name = "vmx",
	.hardware_enable = vmx_hardware_enable,
	.hardware_disable = vmx_hardware_disable,
	.tdp = &ept_format,
	.vcpu_create = vmx_vcpu_create,
	.vcpu_free = vmx_vcpu_free,
	.vcpu_reset = vmx_vcpu_reset,
	.vcpu_load = vmx_vcpu_load,
	.get_segment = vmx_get_segment,
	.set_segment = vmx_set_segment,
	.get_dtable = vmx_get_dtable,
	.set_dtable = vmx_set_dtable,
	.get_cr = vmx_get_cr,
	.set_cr = vmx_set_cr,
	.get_efer = vmx_get_efer,
	.set_efer = vmx_set_efer,
	.get_cpl = vmx_get_cpl,
	.get_msr = vmx_get_msr,
	.set_msr = vmx_set_msr,
	.set_tsc_offset = vmx_set_tsc_offset,
	.interrupt_allowed = vmx_interrupt_allowed,
	.nmi_allowed = vmx_nmi_allowed,
	.event_pending = vmx_event_pending,
	.inject_irq = vmx_inject_irq,
	.inject_nmi = vmx_inject_nmi,
	.enable_irq_window = vmx_enable_irq_window,
	.enable_nmi_window = vmx_enable_nmi_window,
	.get_event = vmx_get_event,
	.set_event = vmx_set_event,
	.get_interrupt_shadow = vmx_get_interrupt_shadow,
	.set_interrupt_shadow = vmx_set_interrupt_shadow,
	.get_nmi_mask = vmx_get_nmi_mask,
	.set_nmi_mask = vmx_set_nmi_mask,
	.update_debug_intercepts = vmx_update_debug_intercepts,
	.get_dr = vmx_get_dr,
	.set_dr = vmx_set_dr,
	.run = vmx_run,
	.handle_exit = vmx_handle_exit,
	.flush_tlb = vmx_flush_tlb,
	.inject_exception = vmx_inject_exception,
};

static int __init vmx_init(void)
{
	int r;

	r = vmx_check_hardware();
	if (r)
		return r;
	vmx_x86_ops.tdp_levels = vmx_caps.ept_levels;

	r = kvm_x86_register_vendor(&vmx_x86_ops, THIS_MODULE);
	if (r) {
		vmx_free_percpu();
		return r;
	}
	pr_info("kvm-intel: VT-x with EPT (%d levels), unrestricted guest and VPID enabled\n",
		vmx_caps.ept_levels);
	return 0;
}

static void __exit vmx_exit(void)
{
	kvm_x86_unregister_vendor();
	vmx_free_percpu();
}

module_init(vmx_init);
module_exit(vmx_exit);
