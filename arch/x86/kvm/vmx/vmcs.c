// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VMCS: controls and host state, the RESET state, and access to the
 * guest state it holds (segments, descriptor tables, control registers,
 * EFER, MSRs, debug registers).
 *
 * CR0 and CR4 have two values: the guest's view (vmx->cr0/cr4, also the
 * read shadows) and the real register, which needs the bits VMX forces
 * (CR0.NE, CR4.VMXE).  The host owns those bits and CR0.PE/PG, so a guest
 * write changing them exits; the other bits belong to the guest and may
 * change in the real register without an exit.
 */
#include <linux/mm.h>
#include <asm/cpu_entry_area.h>
#include <asm/desc.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>
#include <asm/segment.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>

#include "vmx/vmx.h"

#define PAT_RESET		0x0007040600070406ULL
#define DR6_RESET		0xffff0ff0ULL
#define DR7_RESET		0x400ULL
#define CR0_RESET		(X86_CR0_CD | X86_CR0_NW | X86_CR0_ET)

/* Access rights of the RESET segments: present, accessed. */
#define AR_CODE_RESET		(VMX_AR_P_MASK | VMX_AR_S_MASK | 0xb)
#define AR_DATA_RESET		(VMX_AR_P_MASK | VMX_AR_S_MASK | 0x3)
#define AR_LDT_RESET		(VMX_AR_P_MASK | VMX_AR_TYPE_LDT)
#define AR_TSS_RESET		(VMX_AR_P_MASK | VMX_AR_TYPE_BUSY_32_TSS)

/* EFER bits a guest may set: SCE, LME, LMA (kept by hardware), NXE. */
#define GUEST_EFER_MASK	(EFER_SCE | EFER_LME | EFER_LMA | EFER_NX)

/* Guest segment fields are laid out ES CS SS DS FS GS LDTR TR, 2 apart. */
static unsigned int seg_index(int seg)
{
	switch (seg) {
	case VCPU_SREG_TR:
		return 7;
	case VCPU_SREG_LDTR:
		return 6;
	default:
		return seg;
	}
}

#define SEG_FIELD(base, seg)	((base) + 2 * seg_index(seg))

/* Host state that differs between CPUs; written when the VMCS moves. */
void vmx_write_host_cpu_state(struct vcpu_vmx *vmx, int cpu)
{
	struct desc_ptr idt;
	u64 v;

	vmcs_write(HOST_TR_BASE,
		   (unsigned long)&get_cpu_entry_area(cpu)->tss.x86_tss);
	vmcs_write(HOST_GDTR_BASE, (unsigned long)get_cpu_gdt_ro(cpu));
	store_idt(&idt);
	vmcs_write(HOST_IDTR_BASE, idt.address);
	rdmsrl(MSR_GS_BASE, v);
	vmcs_write(HOST_GS_BASE, v);
	rdmsrl(MSR_IA32_SYSENTER_CS, v);
	vmcs_write(HOST_IA32_SYSENTER_CS, v);
	rdmsrl(MSR_IA32_SYSENTER_ESP, v);
	vmcs_write(HOST_IA32_SYSENTER_ESP, v);
	rdmsrl(MSR_IA32_SYSENTER_EIP, v);
	vmcs_write(HOST_IA32_SYSENTER_EIP, v);
	vmcs_write(HOST_CR0, read_cr0());
	vmx->host_cpu = cpu;
}

/* Controls and host state that stay for the VMCS's lifetime. */
static void vmx_vmcs_init(struct vcpu_vmx *vmx)
{
	const struct vmx_caps *c = &vmx_caps;
	struct kvm_vcpu *vcpu = vmx->vcpu;
	u64 v;

	vmx->proc_ctl = c->proc;
	vmx->entry_ctl = c->entry;
	vmcs_write(PIN_BASED_VM_EXEC_CONTROL, c->pin);
	vmcs_write(CPU_BASED_VM_EXEC_CONTROL, vmx->proc_ctl);
	vmcs_write(SECONDARY_VM_EXEC_CONTROL, c->proc2);
	vmcs_write(VM_EXIT_CONTROLS, c->exit);
	vmcs_write(VM_ENTRY_CONTROLS, vmx->entry_ctl);
	vmx_update_debug_intercepts(vcpu);
	vmcs_write(PAGE_FAULT_ERROR_CODE_MASK, 0);
	vmcs_write(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	vmcs_write(CR3_TARGET_COUNT, 0);
	vmcs_write(VM_EXIT_MSR_STORE_COUNT, 0);
	vmcs_write(VM_EXIT_MSR_LOAD_COUNT, 0);
	vmcs_write(VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmcs_write(VM_ENTRY_INTR_INFO_FIELD, 0);
	vmx->intr_info_set = false;
	vmx->irq_stashed = false;
	vmcs_write(EPT_POINTER, vmx_eptp(vcpu->kvm));
	vmcs_write(VIRTUAL_PROCESSOR_ID, vmx->vpid);
	vmcs_write(TSC_OFFSET, vcpu->arch.tsc_offset);
	vmx->timer_value = U32_MAX;
	if (c->pin & PIN_BASED_VMX_PREEMPTION_TIMER)
		vmcs_write(VMX_PREEMPTION_TIMER_VALUE, vmx->timer_value);
	vmcs_write(CR0_GUEST_HOST_MASK, c->cr0_host_bits);
	vmcs_write(CR4_GUEST_HOST_MASK, c->cr4_host_bits);

	/* Host: 64-bit kernel segments; RIP is the exit path in vmenter.S. */
	vmcs_write(HOST_CS_SELECTOR, __KERNEL_CS);
	vmcs_write(HOST_SS_SELECTOR, __KERNEL_DS);
	vmcs_write(HOST_DS_SELECTOR, 0);
	vmcs_write(HOST_ES_SELECTOR, 0);
	vmcs_write(HOST_FS_SELECTOR, 0);
	vmcs_write(HOST_GS_SELECTOR, 0);
	vmcs_write(HOST_TR_SELECTOR, GDT_ENTRY_TSS * 8);
	vmcs_write(HOST_RIP, (unsigned long)vmx_vmexit);
	rdmsrl(MSR_EFER, v);
	vmcs_write(HOST_IA32_EFER, v);
	if (c->pat) {
		rdmsrl(MSR_IA32_CR_PAT, v);
		vmcs_write(HOST_IA32_PAT, v);
	}
	vmx->host_cr3 = __read_cr3();
	vmcs_write(HOST_CR3, vmx->host_cr3);
	vmx->host_cr4 = cr4_read_shadow();
	vmcs_write(HOST_CR4, vmx->host_cr4);
	rdmsrl(MSR_FS_BASE, vmx->host_fs_base);
	vmcs_write(HOST_FS_BASE, vmx->host_fs_base);
	vmx_write_host_cpu_state(vmx, smp_processor_id());

	vmcs_write(VMCS_LINK_POINTER, ~0ULL);
}

static void seg_reset(int seg, u16 sel, u64 base, u32 ar)
{
	vmcs_write(SEG_FIELD(GUEST_ES_SELECTOR, seg), sel);
	vmcs_write(SEG_FIELD(GUEST_ES_BASE, seg), base);
	vmcs_write(SEG_FIELD(GUEST_ES_LIMIT, seg), 0xffff);
	vmcs_write(SEG_FIELD(GUEST_ES_AR_BYTES, seg), ar);
}

/*
 * The architectural RESET state, as KVM_GET_SREGS reports it on SVM too,
 * except TR: VMX wants a busy 32-bit TSS.  Usable with or without a
 * loaded VMCS (vCPU creation runs before the first vcpu_load).
 */
void vmx_vcpu_reset(struct kvm_vcpu *vcpu)
{
	struct vcpu_vmx *vmx = to_vmx(vcpu);
	int cpu = get_cpu();

	vmx_vcpu_load(vcpu, cpu);
	vmx_vmcs_init(vmx);

	seg_reset(VCPU_SREG_CS, 0xf000, 0xffff0000, AR_CODE_RESET);
	seg_reset(VCPU_SREG_DS, 0, 0, AR_DATA_RESET);
	seg_reset(VCPU_SREG_ES, 0, 0, AR_DATA_RESET);
	seg_reset(VCPU_SREG_FS, 0, 0, AR_DATA_RESET);
	seg_reset(VCPU_SREG_GS, 0, 0, AR_DATA_RESET);
	seg_reset(VCPU_SREG_SS, 0, 0, AR_DATA_RESET);
	seg_reset(VCPU_SREG_LDTR, 0, 0, AR_LDT_RESET);
	seg_reset(VCPU_SREG_TR, 0, 0, AR_TSS_RESET);
	vmcs_write(GUEST_GDTR_BASE, 0);
	vmcs_write(GUEST_GDTR_LIMIT, 0xffff);
	vmcs_write(GUEST_IDTR_BASE, 0);
	vmcs_write(GUEST_IDTR_LIMIT, 0xffff);

	vmx->cr2 = 0;
	vmx->tpr = 0;
	vmx_write_cr0(vmx, CR0_RESET);
	vmcs_write(GUEST_CR3, 0);
	vmx_write_cr4(vmx, 0);
	vmx_write_efer(vmx, 0);
	vmx->dr6 = DR6_RESET;
	vmcs_write(GUEST_DR7, DR7_RESET);
	vmcs_write(GUEST_IA32_DEBUGCTL, 0);
	vmx->pat = PAT_RESET;
	if (vmx_caps.pat)
		vmcs_write(GUEST_IA32_PAT, PAT_RESET);
	vmcs_write(GUEST_SYSENTER_CS, 0);
	vmcs_write(GUEST_SYSENTER_ESP, 0);
	vmcs_write(GUEST_SYSENTER_EIP, 0);
	vmx->kernel_gs_base = 0;
	vmx->star = 0;
	vmx->lstar = 0;
	vmx->cstar = 0;
	vmx->sfmask = 0;
	vmcs_write(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmcs_write(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	vmcs_write(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmcs_write(GUEST_PDPTR0, 0);
	vmcs_write(GUEST_PDPTR1, 0);
	vmcs_write(GUEST_PDPTR2, 0);
	vmcs_write(GUEST_PDPTR3, 0);
	/* A fresh VMCS on a CPU: cached translations must go first. */
	vmx->need_flush = true;
	put_cpu();
}

void vmx_get_segment(struct kvm_vcpu *vcpu, struct kvm_segment *var, int seg)
{
	u32 ar = vmcs_read32(SEG_FIELD(GUEST_ES_AR_BYTES, seg));

	memset(var, 0, sizeof(*var));
	var->base = vmcs_read(SEG_FIELD(GUEST_ES_BASE, seg));
	var->limit = vmcs_read32(SEG_FIELD(GUEST_ES_LIMIT, seg));
	var->selector = vmcs_read(SEG_FIELD(GUEST_ES_SELECTOR, seg));
	var->type = ar & VMX_AR_TYPE_MASK;
	var->s = !!(ar & VMX_AR_S_MASK);
	var->dpl = VMX_AR_DPL(ar);
	var->present = !!(ar & VMX_AR_P_MASK);
	var->avl = !!(ar & BIT(12));
	var->l = !!(ar & VMX_AR_L_MASK);
	var->db = !!(ar & VMX_AR_DB_MASK);
	var->g = !!(ar & VMX_AR_G_MASK);
	var->unusable = !!(ar & VMX_AR_UNUSABLE_MASK);
}

static u32 segment_ar(const struct kvm_segment *var, int seg)
{
	u32 ar;

	if (var->unusable || !var->present) {
		/* SS.DPL is the CPL even when SS is unusable. */
		return VMX_AR_UNUSABLE_MASK |
		       (seg == VCPU_SREG_SS ? (var->dpl & 3) << VMX_AR_DPL_SHIFT
					    : 0);
	}
	ar = (var->type & VMX_AR_TYPE_MASK) |
	     (var->s ? VMX_AR_S_MASK : 0) |
	     ((var->dpl & 3) << VMX_AR_DPL_SHIFT) |
	     VMX_AR_P_MASK |
	     (var->avl ? BIT(12) : 0) |
	     (var->l ? VMX_AR_L_MASK : 0) |
	     (var->db ? VMX_AR_DB_MASK : 0) |
	     (var->g ? VMX_AR_G_MASK : 0);
	/*
	 * VM entry wants usable code and data segments marked accessed; the
	 * CPU would set the bit on the first load anyway.
	 */
	if (var->s)
		ar |= VMX_AR_TYPE_ACCESSES_MASK;
	return ar;
}

void vmx_set_segment(struct kvm_vcpu *vcpu, const struct kvm_segment *var,
		     int seg)
{
	vmcs_write(SEG_FIELD(GUEST_ES_SELECTOR, seg), var->selector);
	vmcs_write(SEG_FIELD(GUEST_ES_BASE, seg), var->base);
	vmcs_write(SEG_FIELD(GUEST_ES_LIMIT, seg), var->limit);
	vmcs_write(SEG_FIELD(GUEST_ES_AR_BYTES, seg), segment_ar(var, seg));
}

void vmx_get_dtable(struct kvm_vcpu *vcpu, struct kvm_dtable *dt, bool idt)
{
	memset(dt, 0, sizeof(*dt));
	dt->base = vmcs_read(idt ? GUEST_IDTR_BASE : GUEST_GDTR_BASE);
	dt->limit = vmcs_read32(idt ? GUEST_IDTR_LIMIT : GUEST_GDTR_LIMIT);
}

void vmx_set_dtable(struct kvm_vcpu *vcpu, const struct kvm_dtable *dt,
		    bool idt)
{
	vmcs_write(idt ? GUEST_IDTR_BASE : GUEST_GDTR_BASE, dt->base);
	vmcs_write(idt ? GUEST_IDTR_LIMIT : GUEST_GDTR_LIMIT, dt->limit);
}

u64 vmx_get_cr(struct kvm_vcpu *vcpu, int cr)
{
	struct vcpu_vmx *vmx = to_vmx(vcpu);
	const struct vmx_caps *c = &vmx_caps;

	switch (cr) {
	case 0:
		return (vmcs_read(GUEST_CR0) & ~c->cr0_host_bits) |
		       (vmx->cr0 & c->cr0_host_bits);
	case 2:
		return vmx->cr2;
	case 3:
		return vmcs_read(GUEST_CR3);
	case 4:
		return (vmcs_read(GUEST_CR4) & ~c->cr4_host_bits) |
		       (vmx->cr4 & c->cr4_host_bits);
	case 8:
		return vmx->tpr;
	default:
		return 0;
	}
}

void vmx_write_cr0(struct vcpu_vmx *vmx, u64 val)
{
	vmx->cr0 = val;
	vmcs_write(CR0_READ_SHADOW, val);
	vmcs_write(GUEST_CR0, val | vmx_caps.cr0_force);
}

void vmx_write_cr4(struct vcpu_vmx *vmx, u64 val)
{
	vmx->cr4 = val;
	vmcs_write(CR4_READ_SHADOW, val);
	vmcs_write(GUEST_CR4, val | vmx_caps.cr4_force);
}

/* EFER.LMA decides the "IA-32e mode guest" entry control. */
void vmx_write_efer(struct vcpu_vmx *vmx, u64 efer)
{
	u32 entry = vmx->entry_ctl & ~VM_ENTRY_IA32E_MODE;

	if (efer & EFER_LMA)
		entry |= VM_ENTRY_IA32E_MODE;
	vmx->efer = efer;
	vmcs_write(GUEST_IA32_EFER, efer);
	if (entry != vmx->entry_ctl) {
		vmx->entry_ctl = entry;
		vmcs_write(VM_ENTRY_CONTROLS, entry);
	}
}

/* PAE paging outside IA-32e mode: VM entry loads PDPTEs from the VMCS. */
bool vmx_pae_paging(struct kvm_vcpu *vcpu)
{
	return (vmx_get_cr(vcpu, 0) & X86_CR0_PG) &&
	       (vmx_get_cr(vcpu, 4) & X86_CR4_PAE) &&
	       !(to_vmx(vcpu)->efer & EFER_LMA);
}

/*
 * Read the four PDPTEs that CR3 points to.  Returns -EINVAL if a present
 * one has reserved bits set (a guest MOV to a control register faults
 * then).  Unbacked memory reads as not present.
 */
int vmx_read_pdptrs(struct kvm_vcpu *vcpu, u64 cr3, u64 *pdpte)
{
	u64 rsvd = GENMASK_ULL(63, boot_cpu_data.x86_phys_bits) |
		   GENMASK_ULL(8, 5) | GENMASK_ULL(2, 1);
	int i, idx, r = 0;

	idx = srcu_read_lock(&vcpu->kvm->srcu);
	if (kvm_read_guest(vcpu->kvm, cr3 & ~0x1fULL, pdpte, 4 * sizeof(u64)))
		memset(pdpte, 0, 4 * sizeof(u64));
	srcu_read_unlock(&vcpu->kvm->srcu, idx);
	for (i = 0; i < 4; i++)
		if ((pdpte[i] & _PAGE_PRESENT) && (pdpte[i] & rsvd))
			r = -EINVAL;
	return r;
}

void vmx_write_pdptrs(const u64 *pdpte)
{
	int i;

	for (i = 0; i < 4; i++)
		vmcs_write(GUEST_PDPTR0 + 2 * i, pdpte[i]);
}

/*
 * A guest MOV to CR3/CR4 that does not exit loads the PDPTEs itself;
 * after userspace changed the paging state, read them from memory.
 */
static void vmx_refresh_pdptrs(struct kvm_vcpu *vcpu)
{
	u64 pdpte[4];

	if (!vmx_pae_paging(vcpu))
		return;
	vmx_read_pdptrs(vcpu, vmcs_read(GUEST_CR3), pdpte);
	vmx_write_pdptrs(pdpte);
}

void vmx_set_cr(struct kvm_vcpu *vcpu, int cr, u64 val)
{
	struct vcpu_vmx *vmx = to_vmx(vcpu);

	switch (cr) {
	case 0:
		vmx_write_cr0(vmx, val);
		break;
	case 2:
		vmx->cr2 = val;
		return;
	case 3:
		vmcs_write(GUEST_CR3, val);
		break;
	case 4:
		vmx_write_cr4(vmx, val);
		break;
	case 8:
		vmx->tpr = val & 0xf;
		return;
	default:
		return;
	}
	vmx_refresh_pdptrs(vcpu);
}

u64 vmx_get_efer(struct kvm_vcpu *vcpu)
{
	return to_vmx(vcpu)->efer;
}

void vmx_set_efer(struct kvm_vcpu *vcpu, u64 efer)
{
	vmx_write_efer(to_vmx(vcpu), efer);
	vmx_refresh_pdptrs(vcpu);
}

int vmx_get_cpl(struct kvm_vcpu *vcpu)
{
	return VMX_AR_DPL(vmcs_read32(GUEST_SS_AR_BYTES));
}

/* The guest runs 64-bit code: IA-32e mode and CS.L. */
bool vmx_long_mode_code(struct kvm_vcpu *vcpu)
{
	return (to_vmx(vcpu)->efer & EFER_LMA) &&
	       (vmcs_read32(GUEST_CS_AR_BYTES) & VMX_AR_L_MASK);
}

/* MSRs whose guest values the VMCS or this backend hold. */
int vmx_get_msr(struct kvm_vcpu *vcpu, u32 index, u64 *data)
{
	struct vcpu_vmx *vmx = to_vmx(vcpu);

	switch (index) {
	case MSR_EFER:
		*data = vmx->efer;
		break;
	case MSR_STAR:
		*data = vmx->star;
		break;
	case MSR_LSTAR:
		*data = vmx->lstar;
		break;
	case MSR_CSTAR:
		*data = vmx->cstar;
		break;
	case MSR_SYSCALL_MASK:
		*data = vmx->sfmask;
		break;
	case MSR_KERNEL_GS_BASE:
		*data = vmx->kernel_gs_base;
		break;
	case MSR_FS_BASE:
		*data = vmcs_read(GUEST_FS_BASE);
		break;
	case MSR_GS_BASE:
		*data = vmcs_read(GUEST_GS_BASE);
		break;
	case MSR_IA32_SYSENTER_CS:
		*data = vmcs_read32(GUEST_SYSENTER_CS);
		break;
	case MSR_IA32_SYSENTER_ESP:
		*data = vmcs_read(GUEST_SYSENTER_ESP);
		break;
	case MSR_IA32_SYSENTER_EIP:
		*data = vmcs_read(GUEST_SYSENTER_EIP);
		break;
	case MSR_IA32_CR_PAT:
		*data = vmx_caps.pat ? vmcs_read(GUEST_IA32_PAT) : vmx->pat;
		break;
	case MSR_IA32_DEBUGCTLMSR:
		*data = vmcs_read(GUEST_IA32_DEBUGCTL);
		break;
	default:
		return KVM_MSR_UNKNOWN;
	}
	return KVM_MSR_OK;
}

int vmx_set_msr(struct kvm_vcpu *vcpu, u32 index, u64 data)
{
	struct vcpu_vmx *vmx = to_vmx(vcpu);

	switch (index) {
	case MSR_EFER:
		if (data & ~GUEST_EFER_MASK)
			return KVM_MSR_INVALID;
		/* LME cannot change while paging is on; LMA is read-only. */
		if (((data ^ vmx->efer) & EFER_LME) && (vmx->cr0 & X86_CR0_PG))
			return KVM_MSR_INVALID;
		vmx_write_efer(vmx, (data & ~EFER_LMA) |
				    (vmx->efer & EFER_LMA));
		break;
	case MSR_STAR:
		vmx->star = data;
		break;
	case MSR_LSTAR:
		vmx->lstar = data;
		break;
	case MSR_CSTAR:
		vmx->cstar = data;
		break;
	case MSR_SYSCALL_MASK:
		vmx->sfmask = data;
		break;
	case MSR_KERNEL_GS_BASE:
		vmx->kernel_gs_base = data;
		break;
	case MSR_FS_BASE:
		vmcs_write(GUEST_FS_BASE, data);
		break;
	case MSR_GS_BASE:
		vmcs_write(GUEST_GS_BASE, data);
		break;
	case MSR_IA32_SYSENTER_CS:
		vmcs_write(GUEST_SYSENTER_CS, data);
		break;
	case MSR_IA32_SYSENTER_ESP:
		vmcs_write(GUEST_SYSENTER_ESP, data);
		break;
	case MSR_IA32_SYSENTER_EIP:
		vmcs_write(GUEST_SYSENTER_EIP, data);
		break;
	case MSR_IA32_CR_PAT:
		if (!kvm_pat_valid(data))
			return KVM_MSR_INVALID;
		vmx->pat = data;
		if (vmx_caps.pat)
			vmcs_write(GUEST_IA32_PAT, data);
		break;
	case MSR_IA32_DEBUGCTLMSR:
		/* No LBR or BTF virtualisation: only zero is accepted. */
		if (data)
			return KVM_MSR_INVALID;
		break;
	default:
		return KVM_MSR_UNKNOWN;
	}
	return KVM_MSR_OK;
}

void vmx_set_tsc_offset(struct kvm_vcpu *vcpu, u64 offset)
{
	vmcs_write(TSC_OFFSET, offset);
}

/* DR7 is in the VMCS; VMX does not switch DR6, the backend keeps it. */
u64 vmx_get_dr(struct kvm_vcpu *vcpu, int dr)
{
	return dr == 6 ? to_vmx(vcpu)->dr6 : vmcs_read(GUEST_DR7);
}

void vmx_set_dr(struct kvm_vcpu *vcpu, int dr, u64 val)
{
	if (dr == 6)
		to_vmx(vcpu)->dr6 = val;
	else
		vmcs_write(GUEST_DR7, val);
}

/* For a failed VM entry: the guest state the CPU refused. */
void vmx_dump_guest_state(struct vcpu_vmx *vmx)
{
	static const char * const names[] = {
		"es", "cs", "ss", "ds", "fs", "gs", "tr", "ldtr",
	};
	int seg;

	pr_warn("kvm-intel: guest cr0 %#llx (shadow %#llx) cr3 %#llx cr4 %#llx (shadow %#llx) efer %#llx entry %#llx\n",
		vmcs_read(GUEST_CR0), vmcs_read(CR0_READ_SHADOW),
		vmcs_read(GUEST_CR3), vmcs_read(GUEST_CR4),
		vmcs_read(CR4_READ_SHADOW), vmcs_read(GUEST_IA32_EFER),
		vmcs_read(VM_ENTRY_CONTROLS));
	pr_warn("kvm-intel: guest rip %#llx rsp %#llx rflags %#llx intr %#llx activity %#llx inject %#llx\n",
		vmcs_read(GUEST_RIP), vmcs_read(GUEST_RSP),
		vmcs_read(GUEST_RFLAGS),
		vmcs_read(GUEST_INTERRUPTIBILITY_INFO),
		vmcs_read(GUEST_ACTIVITY_STATE),
		vmcs_read(VM_ENTRY_INTR_INFO_FIELD));
	for (seg = VCPU_SREG_ES; seg <= VCPU_SREG_LDTR; seg++)
		pr_warn("kvm-intel: guest %-4s sel %#06llx base %#llx limit %#llx ar %#llx\n",
			names[seg],
			vmcs_read(SEG_FIELD(GUEST_ES_SELECTOR, seg)),
			vmcs_read(SEG_FIELD(GUEST_ES_BASE, seg)),
			vmcs_read(SEG_FIELD(GUEST_ES_LIMIT, seg)),
			vmcs_read(SEG_FIELD(GUEST_ES_AR_BYTES, seg)));
}
