// SPDX-License-Identifier: GPL-2.0-only
/*
 * VT-x hardware: detection, the control words chosen from the capability
 * MSRs, VMXON/VMXOFF on each CPU, VMCS activation on the CPU a vCPU runs
 * on (VMCLEAR on the old CPU, VMPTRLD on the new one), VPIDs and
 * invalidation of cached guest translations.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/pgtable.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/tsc.h>
#include <asm/tlbflush.h>

#include "vmx/vmx.h"

DEFINE_PER_CPU(struct vmx_cpu, vmx_cpu_data);
struct vmx_caps vmx_caps;

static DEFINE_SPINLOCK(vpid_lock);
static DECLARE_BITMAP(vpid_used, VMX_NR_VPIDS);

/* CPUID.1:ECX bit 5: VMX. */
#define CPUID1_ECX_VMX		BIT(5)

/*
 * A control word from its capability MSR: the low half has the bits
 * that must be one, the high half the bits that may be one.  @want are
 * the bits we need; @opt the bits we take if offered.
 */
static int adjust_controls(const char *what, u32 msr, u32 want, u32 opt,
			   u32 *out)
{
	u64 cap;
	u32 must, may;

	rdmsrl(msr, cap);
	must = cap;
	may = cap >> 32;
	if (want & ~may) {
		pr_err("kvm-intel: required %s controls %#x not supported (allowed %#x)\n",
		       what, want & ~may, may);
		return -EOPNOTSUPP;
	}
	*out = (want | (opt & may) | must) & may;
	return 0;
}

/*
 * Bits the host must own in CR0/CR4, and bits the real registers need
 * while the guest runs.  Unrestricted guest exempts CR0.PE and CR0.PG
 * from FIXED0; the host still owns them so that mode switches (and with
 * them EFER.LMA and the IA-32e entry control) are seen.  The guest's
 * CR0.CD/NW/ET must read back as written, which an emulated CPU (Bochs)
 * does not do for the real register: the host owns those too.
 */
static void setup_cr_masks(struct vmx_caps *c)
{
	u64 cr0_free = X86_CR0_PE | X86_CR0_PG;
	u64 cr0_kept = X86_CR0_CD | X86_CR0_NW | X86_CR0_ET;

	c->cr0_force = c->cr0_fixed0 & ~cr0_free;
	c->cr0_host_bits = (c->cr0_force | ~c->cr0_fixed1 | cr0_free |
			    cr0_kept) & 0xffffffffULL;
	c->cr4_force = c->cr4_fixed0;
	c->cr4_host_bits = c->cr4_fixed0 | ~c->cr4_fixed1 | X86_CR4_VMXE |
			   X86_CR4_SMXE;
}

/*
 * A guest that runs with RFLAGS.IF=0 must still leave when the host has
 * an interrupt pending; external-interrupt exiting guarantees that on
 * hardware.  Bochs (2.7, corei7_skylake_x) does not: with IF=0 guests
 * (the demo, the shutdown tests, a guest spinning with IF=0) the
 * emulated host lost its timer interrupts and froze, no heartbeat, in
 * two of three runs without this watchdog, and never in the runs with
 * it.  Such entries arm the VMX-preemption timer for about a
 * millisecond, so the host gets control back and takes what is pending;
 * entries with IF=1 do not use it.  On hardware it costs one exit per
 * millisecond of IF=0 guest time.
 */
static void setup_watchdog(struct vmx_caps *c)
{
	u64 ticks;

	if (!(c->pin & PIN_BASED_VMX_PREEMPTION_TIMER) || !tsc_khz) {
		c->pin &= ~PIN_BASED_VMX_PREEMPTION_TIMER;
		return;
	}
	ticks = (u64)tsc_khz >> vmx_misc_preemption_timer_rate(c->misc);
	c->watchdog_ticks = clamp_t(u64, ticks, 1, U32_MAX);
}

int vmx_check_hardware(void)
{
	struct vmx_caps *c = &vmx_caps;
	bool true_msrs;
	u32 pin_msr, proc_msr, exit_msr, entry_msr;
	static const struct {
		u32 bit;
		const char *name;
	} required2[] = {
		{ SECONDARY_EXEC_ENABLE_EPT, "EPT" },
		{ SECONDARY_EXEC_UNRESTRICTED_GUEST, "unrestricted guest" },
		{ SECONDARY_EXEC_ENABLE_VPID, "VPID" },
	};
	u64 feat, cap;
	u32 vpid_cap;
	int r, i, missing;

	if (!(cpuid_ecx(1) & CPUID1_ECX_VMX)) {
		pr_err("kvm-intel: this CPU has no VT-x (CPUID.1:ECX.VMX is 0)\n");
		return -EOPNOTSUPP;
	}
	if (rdmsrl_safe(MSR_IA32_FEAT_CTL, &feat)) {
		pr_err("kvm-intel: IA32_FEATURE_CONTROL is not readable\n");
		return -EOPNOTSUPP;
	}
	if ((feat & FEAT_CTL_LOCKED) &&
	    !(feat & FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX)) {
		pr_err("kvm-intel: VT-x is disabled by the firmware (IA32_FEATURE_CONTROL locked without VMX outside SMX)\n");
		return -EOPNOTSUPP;
	}

	rdmsrl(MSR_IA32_VMX_BASIC, c->basic);
	c->revision_id = vmx_basic_vmcs_revision_id(c->basic);
	if (vmx_basic_vmcs_size(c->basic) > PAGE_SIZE) {
		pr_err("kvm-intel: VMCS size %u exceeds a page\n",
		       vmx_basic_vmcs_size(c->basic));
		return -EOPNOTSUPP;
	}
	if (c->basic & BIT_ULL(48)) {
		pr_err("kvm-intel: VMX limited to 32-bit physical addresses\n");
		return -EOPNOTSUPP;
	}
	if (((c->basic & VMX_BASIC_MEM_TYPE_MASK) >> VMX_BASIC_MEM_TYPE_SHIFT)
	    != VMX_BASIC_MEM_TYPE_WB) {
		pr_err("kvm-intel: VMCS memory type is not write-back\n");
		return -EOPNOTSUPP;
	}
	c->insouts_info = c->basic & VMX_BASIC_INOUT;

	true_msrs = c->basic & VMX_BASIC_TRUE_CTLS;
	pin_msr = true_msrs ? MSR_IA32_VMX_TRUE_PINBASED_CTLS :
			      MSR_IA32_VMX_PINBASED_CTLS;
	proc_msr = true_msrs ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS :
			       MSR_IA32_VMX_PROCBASED_CTLS;
	exit_msr = true_msrs ? MSR_IA32_VMX_TRUE_EXIT_CTLS :
			       MSR_IA32_VMX_EXIT_CTLS;
	entry_msr = true_msrs ? MSR_IA32_VMX_TRUE_ENTRY_CTLS :
				MSR_IA32_VMX_ENTRY_CTLS;

	r = adjust_controls("pin-based", pin_msr,
			    PIN_BASED_EXT_INTR_MASK | PIN_BASED_NMI_EXITING,
			    PIN_BASED_VIRTUAL_NMIS |
			    PIN_BASED_VMX_PREEMPTION_TIMER, &c->pin);
	if (r)
		return r;
	/*
	 * Primary: HLT, all port I/O, MOV DR, CR8 accesses (there is no TPR
	 * shadow: an unintercepted MOV CR8 would reach the host's APIC),
	 * MONITOR/MWAIT/RDPMC (not offered), TSC offsetting, and the
	 * secondary controls.  No MSR or I/O bitmaps: every access exits.
	 */
	rdmsrl(proc_msr, cap);
	if (!((cap >> 32) & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS)) {
		pr_err("kvm-intel: no secondary controls, so no EPT, unrestricted guest or VPID\n");
		return -EOPNOTSUPP;
	}
	c->nmi_window = (cap >> 32) & CPU_BASED_NMI_WINDOW_EXITING;
	r = adjust_controls("primary processor-based", proc_msr,
			    CPU_BASED_HLT_EXITING |
			    CPU_BASED_UNCOND_IO_EXITING |
			    CPU_BASED_MOV_DR_EXITING |
			    CPU_BASED_CR8_LOAD_EXITING |
			    CPU_BASED_CR8_STORE_EXITING |
			    CPU_BASED_USE_TSC_OFFSETTING |
			    CPU_BASED_MWAIT_EXITING |
			    CPU_BASED_MONITOR_EXITING |
			    CPU_BASED_RDPMC_EXITING |
			    CPU_BASED_ACTIVATE_SECONDARY_CONTROLS,
			    0, &c->proc);
	if (r)
		return r;
	rdmsrl(MSR_IA32_VMX_PROCBASED_CTLS2, cap);
	missing = 0;
	for (i = 0; i < ARRAY_SIZE(required2); i++) {
		if ((cap >> 32) & required2[i].bit)
			continue;
		pr_err("kvm-intel: required feature missing: %s\n",
		       required2[i].name);
		missing++;
	}
	if (missing)
		return -EOPNOTSUPP;
	r = adjust_controls("secondary processor-based",
			    MSR_IA32_VMX_PROCBASED_CTLS2,
			    SECONDARY_EXEC_ENABLE_EPT |
			    SECONDARY_EXEC_UNRESTRICTED_GUEST |
			    SECONDARY_EXEC_ENABLE_VPID,
			    0, &c->proc2);
	/*
	 * Exit: 64-bit host, EFER loaded (and saved if possible), debug
	 * controls saved.  Not "acknowledge interrupt on exit": a physical
	 * interrupt stays pending in the APIC and is taken when the run
	 * loop enables interrupts again.
	 */
	if (!r)
		r = adjust_controls("VM-exit", exit_msr,
				    VM_EXIT_HOST_ADDR_SPACE_SIZE |
				    VM_EXIT_LOAD_IA32_EFER |
				    VM_EXIT_SAVE_DEBUG_CONTROLS,
				    VM_EXIT_SAVE_IA32_EFER |
				    VM_EXIT_LOAD_IA32_PAT |
				    VM_EXIT_SAVE_IA32_PAT, &c->exit);
	if (!r)
		r = adjust_controls("VM-entry", entry_msr,
				    VM_ENTRY_LOAD_IA32_EFER |
				    VM_ENTRY_LOAD_DEBUG_CONTROLS,
				    VM_ENTRY_LOAD_IA32_PAT, &c->entry);
	if (r)
		return r;
	/* Set per vCPU from EFER.LMA. */
	c->entry &= ~VM_ENTRY_IA32E_MODE;
	/* Exit/entry controls we did not ask for must not be forced on. */
	if (c->exit & VM_EXIT_ACK_INTR_ON_EXIT) {
		pr_err("kvm-intel: the CPU forces acknowledge-interrupt-on-exit\n");
		return -EOPNOTSUPP;
	}

	c->virtual_nmis = c->pin & PIN_BASED_VIRTUAL_NMIS;
	/* NMI-window exiting exists only together with virtual NMIs. */
	if (!c->virtual_nmis)
		c->nmi_window = false;
	c->pat = (c->entry & VM_ENTRY_LOAD_IA32_PAT) &&
		 (c->exit & VM_EXIT_LOAD_IA32_PAT);
	if (!c->pat) {
		c->entry &= ~VM_ENTRY_LOAD_IA32_PAT;
		c->exit &= ~(VM_EXIT_LOAD_IA32_PAT | VM_EXIT_SAVE_IA32_PAT);
	}
	c->save_efer = c->exit & VM_EXIT_SAVE_IA32_EFER;
	rdmsrl(MSR_IA32_VMX_MISC, c->misc);
	c->zero_len_soft = c->misc & VMX_MISC_ZERO_LEN_INS;
	c->debugctl = !rdmsrl_safe(MSR_IA32_DEBUGCTLMSR, &cap);
	setup_watchdog(c);

	rdmsrl(MSR_IA32_VMX_EPT_VPID_CAP, c->ept_vpid);
	if (!(c->ept_vpid & VMX_EPT_PAGE_WALK_4_BIT)) {
		pr_err("kvm-intel: EPT has no 4-level page walk\n");
		return -EOPNOTSUPP;
	}
	if (!(c->ept_vpid & VMX_EPTP_WB_BIT)) {
		pr_err("kvm-intel: EPT has no write-back paging structures\n");
		return -EOPNOTSUPP;
	}
	if (!(c->ept_vpid & VMX_EPT_INVEPT_BIT) ||
	    !(c->ept_vpid & (VMX_EPT_EXTENT_CONTEXT_BIT |
			     VMX_EPT_EXTENT_GLOBAL_BIT))) {
		pr_err("kvm-intel: INVEPT is missing\n");
		return -EOPNOTSUPP;
	}
	c->invept_type = (c->ept_vpid & VMX_EPT_EXTENT_CONTEXT_BIT) ?
			 VMX_EPT_EXTENT_CONTEXT : VMX_EPT_EXTENT_GLOBAL;
	vpid_cap = c->ept_vpid >> 32;
	if (!(vpid_cap & VMX_VPID_INVVPID_BIT) ||
	    !(vpid_cap & (VMX_VPID_EXTENT_SINGLE_CONTEXT_BIT |
			  VMX_VPID_EXTENT_GLOBAL_CONTEXT_BIT))) {
		pr_err("kvm-intel: INVVPID is missing\n");
		return -EOPNOTSUPP;
	}
	c->invvpid_type = (vpid_cap & VMX_VPID_EXTENT_SINGLE_CONTEXT_BIT) ?
			  VMX_VPID_EXTENT_SINGLE_CONTEXT :
			  VMX_VPID_EXTENT_ALL_CONTEXT;
	/* Five levels only when the host's own paging has them. */
	c->ept_levels = (pgtable_l5_enabled() &&
			 (c->ept_vpid & VMX_EPT_PAGE_WALK_5_BIT)) ? 5 : 4;

	rdmsrl(MSR_IA32_VMX_CR0_FIXED0, c->cr0_fixed0);
	rdmsrl(MSR_IA32_VMX_CR0_FIXED1, c->cr0_fixed1);
	rdmsrl(MSR_IA32_VMX_CR4_FIXED0, c->cr4_fixed0);
	rdmsrl(MSR_IA32_VMX_CR4_FIXED1, c->cr4_fixed1);
	setup_cr_masks(c);

	pr_info("kvm-intel: VMX basic %#llx misc %#llx pin %#x proc %#x proc2 %#x exit %#x entry %#x ept/vpid %#llx\n",
		c->basic, c->misc, c->pin, c->proc, c->proc2, c->exit,
		c->entry, c->ept_vpid);
	return 0;
}

/*
 * Let VMXON work outside SMX on this CPU: set and lock
 * IA32_FEATURE_CONTROL if the firmware left it unlocked.
 */
static int vmx_enable_feature_control(void)
{
	u64 feat;

	if (rdmsrl_safe(MSR_IA32_FEAT_CTL, &feat))
		return -EOPNOTSUPP;
	if (!(feat & FEAT_CTL_LOCKED)) {
		feat |= FEAT_CTL_LOCKED | FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX;
		if (wrmsrl_safe(MSR_IA32_FEAT_CTL, feat))
			return -EOPNOTSUPP;
	}
	if (!(feat & FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX)) {
		pr_err("kvm-intel: VT-x disabled by the firmware on CPU %d\n",
		       smp_processor_id());
		return -EOPNOTSUPP;
	}
	return 0;
}

/* Runs on the CPU being enabled (CPU hotplug callback). */
int vmx_hardware_enable(void)
{
	struct vmx_cpu *vc = this_cpu_ptr(&vmx_cpu_data);
	const struct vmx_caps *c = &vmx_caps;
	int cpu = smp_processor_id();
	u64 cr0 = read_cr0(), cr4;
	int r;

	if (!vc->vmxon_region) {
		vc->vmxon_region = (void *)get_zeroed_page(GFP_KERNEL);
		if (!vc->vmxon_region)
			return -ENOMEM;
		vc->vmxon_pa = __pa(vc->vmxon_region);
		INIT_LIST_HEAD(&vc->loaded);
	}
	*(u32 *)vc->vmxon_region = c->revision_id;

	if (cr4_read_shadow() & X86_CR4_VMXE) {
		/* Someone else (another hypervisor) owns VMX here. */
		pr_err("kvm-intel: CR4.VMXE already set on CPU %d\n", cpu);
		return -EBUSY;
	}
	r = vmx_enable_feature_control();
	if (r)
		return r;

	cr4_set_bits(X86_CR4_VMXE);
	cr4 = cr4_read_shadow();
	if ((cr0 & c->cr0_fixed0) != c->cr0_fixed0 || (cr0 & ~c->cr0_fixed1) ||
	    (cr4 & c->cr4_fixed0) != c->cr4_fixed0 || (cr4 & ~c->cr4_fixed1)) {
		pr_err("kvm-intel: host CR0 %#llx / CR4 %#llx violate the VMX fixed bits on CPU %d\n",
		       cr0, cr4, cpu);
		cr4_clear_bits(X86_CR4_VMXE);
		return -EIO;
	}
	if (vmxon(vc->vmxon_pa)) {
		pr_err("kvm-intel: VMXON failed on CPU %d\n", cpu);
		cr4_clear_bits(X86_CR4_VMXE);
		return -EIO;
	}
	vc->current_vmcs = 0;
	vc->enabled = true;
	/*
	 * Translations cached by an earlier VMX user must not leak in.
	 * Without the global forms, every vCPU's first entry on this CPU
	 * flushes its own context anyway (vmx_run()).
	 */
	if (c->ept_vpid & VMX_EPT_EXTENT_GLOBAL_BIT)
		invept(VMX_EPT_EXTENT_GLOBAL, 0);
	if ((c->ept_vpid >> 32) & VMX_VPID_EXTENT_GLOBAL_CONTEXT_BIT)
		invvpid(VMX_VPID_EXTENT_ALL_CONTEXT, 0);
	return 0;
}

/* Forget that @vmx is active on this CPU.  Interrupts are off. */
static void vmx_unlink_loaded(struct vmx_cpu *vc, struct vcpu_vmx *vmx)
{
	vc->list_busy++;
	list_del_init(&vmx->loaded_link);
	vc->list_busy--;
	if (vc->current_vmcs == vmx->vmcs_pa)
		vc->current_vmcs = 0;
	/* Seen by the CPU that waits for this VMCLEAR. */
	smp_wmb();
	vmx->launched = false;
	WRITE_ONCE(vmx->loaded_cpu, -1);
}

/*
 * Runs on the CPU being disabled, on reboot and from the emergency
 * (crash, possibly NMI) path: no locks, no allocation.  The VMCSs active
 * here are written back with VMCLEAR first, unless this interrupted an
 * edit of their list.
 */
void vmx_hardware_disable(void)
{
	struct vmx_cpu *vc = this_cpu_ptr(&vmx_cpu_data);
	struct vcpu_vmx *vmx, *tmp;
	unsigned long flags;

	if (!vc->enabled)
		return;
	local_irq_save(flags);
	if (!vc->list_busy) {
		list_for_each_entry_safe(vmx, tmp, &vc->loaded, loaded_link) {
			vmclear(vmx->vmcs_pa);
			vmx_unlink_loaded(vc, vmx);
		}
	}
	vmxoff();
	cr4_clear_bits(X86_CR4_VMXE);
	vc->current_vmcs = 0;
	vc->enabled = false;
	local_irq_restore(flags);
}

/* Called at module exit, after every CPU has been disabled. */
void vmx_free_percpu(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct vmx_cpu *vc = per_cpu_ptr(&vmx_cpu_data, cpu);

		free_page((unsigned long)vc->vmxon_region);
		vc->vmxon_region = NULL;
	}
}

/* IPI target: VMCLEAR @info's VMCS if it is still active here. */
static void vmx_clear_here(void *info)
{
	struct vcpu_vmx *vmx = info;
	struct vmx_cpu *vc = this_cpu_ptr(&vmx_cpu_data);

	if (READ_ONCE(vmx->loaded_cpu) != smp_processor_id())
		return;
	if (vmclear(vmx->vmcs_pa))
		pr_err_ratelimited("kvm-intel: VMCLEAR failed on CPU %d\n",
				   smp_processor_id());
	vmx_unlink_loaded(vc, vmx);
}

/*
 * Make the VMCS inactive wherever it is active.  Needs interrupts on
 * (it may wait for another CPU).
 */
void vmx_vcpu_clear(struct vcpu_vmx *vmx)
{
	int cpu = READ_ONCE(vmx->loaded_cpu);

	/*
	 * An offline CPU cleared its VMCSs when it went down
	 * (vmx_hardware_disable), so a failed call has nothing left to do.
	 */
	if (cpu >= 0)
		smp_call_function_single(cpu, vmx_clear_here, vmx, 1);
	/* Pairs with the smp_wmb() in vmx_unlink_loaded(). */
	smp_rmb();
}

/*
 * Make the vCPU's VMCS current on @cpu (this CPU; preemption is off).
 * Called when a vCPU thread is scheduled in and around each ioctl.
 */
void vmx_vcpu_load(struct kvm_vcpu *vcpu, int cpu)
{
	struct vcpu_vmx *vmx = to_vmx(vcpu);
	struct vmx_cpu *vc = per_cpu_ptr(&vmx_cpu_data, cpu);
	unsigned long flags;

	if (READ_ONCE(vmx->loaded_cpu) != cpu) {
		/* A VMCS is active on one CPU at a time. */
		vmx_vcpu_clear(vmx);
		if (!vc->enabled)
			return;
		local_irq_save(flags);
		/* Initialises the launch state of a new or moved VMCS. */
		if (vmclear(vmx->vmcs_pa))
			pr_err_ratelimited("kvm-intel: VMCLEAR failed on CPU %d\n",
					   cpu);
		vc->list_busy++;
		list_add(&vmx->loaded_link, &vc->loaded);
		vc->list_busy--;
		vmx->launched = false;
		WRITE_ONCE(vmx->loaded_cpu, cpu);
		local_irq_restore(flags);
	}
	if (vc->current_vmcs != vmx->vmcs_pa) {
		if (vmptrld(vmx->vmcs_pa)) {
			pr_err_ratelimited("kvm-intel: VMPTRLD failed on CPU %d (error %u)\n",
					   cpu,
					   vmcs_read32(VM_INSTRUCTION_ERROR));
			return;
		}
		vc->current_vmcs = vmx->vmcs_pa;
	}
	if (vmx->host_cpu != cpu)
		vmx_write_host_cpu_state(vmx, cpu);
	if (vmx_caps.debugctl)
		vmx->host_debugctl = get_debugctlmsr();
}

int vmx_alloc_vpid(void)
{
	int vpid;

	spin_lock(&vpid_lock);
	vpid = find_next_zero_bit(vpid_used, VMX_NR_VPIDS, 1);
	if (vpid < VMX_NR_VPIDS)
		__set_bit(vpid, vpid_used);
	else
		vpid = -ENOSPC;
	spin_unlock(&vpid_lock);
	return vpid;
}

void vmx_free_vpid(u16 vpid)
{
	spin_lock(&vpid_lock);
	__clear_bit(vpid, vpid_used);
	spin_unlock(&vpid_lock);
}

/* EPT pointer: write-back paging structures, page-walk length - 1. */
u64 vmx_eptp(struct kvm *kvm)
{
	return kvm->arch.tdp_root_pa | VMX_EPTP_MT_WB |
	       ((u64)(vmx_caps.ept_levels - 1) << 3);
}

/*
 * Drop this CPU's cached translations for the vCPU: guest-physical and
 * combined mappings of the VM's EPT tree, and the vCPU's VPID.
 */
void vmx_flush_guest(struct vcpu_vmx *vmx)
{
	/* Stale translations would let the guest reach freed pages. */
	if (invept(vmx_caps.invept_type, vmx_eptp(vmx->vcpu->kvm)))
		pr_warn_ratelimited("kvm-intel: INVEPT failed on CPU %d\n",
				    smp_processor_id());
	vmx_flush_vpid(vmx);
}

/* Linear translations of the vCPU (its paging mode or CR3 changed). */
void vmx_flush_vpid(struct vcpu_vmx *vmx)
{
	if (invvpid(vmx_caps.invvpid_type, vmx->vpid))
		pr_warn_ratelimited("kvm-intel: INVVPID failed on CPU %d\n",
				    smp_processor_id());
}
