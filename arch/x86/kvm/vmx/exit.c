// SPDX-License-Identifier: GPL-2.0-only
/*
 * VM-exit handling: each basic exit reason is either handled here (the
 * guest resumes) or translated into the generic struct x86_exit for the
 * shared x86 layer, with the same meaning as on SVM.  Instruction lengths
 * come from the VM-exit instruction-length field.
 *
 * Control-register accesses that exit (writes to host-owned CR0/CR4 bits,
 * CR8, CR3 if the CPU forces CR3 exiting) are emulated here: they change
 * the guest's paging mode, and with it EFER.LMA and the IA-32e entry
 * control, which only the backend maintains.
 */
#include <asm/trapnr.h>
#include <asm/processor-flags.h>
#include <asm/msr-index.h>

#include "vmx/vmx.h"

/* VM-exit instruction information for INS/OUTS: address size, 9:7. */
#define INSN_INFO_ADDR_SIZE(info)	(((info) >> 7) & 7)

/* Exit qualification of I/O instructions. */
#define IO_QUAL_SIZE(q)		(((q) & 7) + 1)
#define IO_QUAL_IN		BIT(3)
#define IO_QUAL_STRING		BIT(4)
#define IO_QUAL_REP		BIT(5)
#define IO_QUAL_PORT(q)		((q) >> 16)

/* Exit qualification of control-register accesses. */
#define CR_QUAL_NR(q)		((q) & 0xf)
#define CR_QUAL_TYPE(q)		(((q) >> 4) & 3)
#define CR_QUAL_GPR(q)		(((q) >> 8) & 0xf)
#define CR_QUAL_LMSW_DATA(q)	(((q) >> 16) & 0xffff)
enum { CR_MOV_TO, CR_MOV_FROM, CR_CLTS, CR_LMSW };

/* CR0 bits that exist; the others are reserved. */
#define CR0_KNOWN	(X86_CR0_PE | X86_CR0_MP | X86_CR0_EM | X86_CR0_TS | \
			 X86_CR0_ET | X86_CR0_NE | X86_CR0_WP | X86_CR0_AM | \
			 X86_CR0_NW | X86_CR0_CD | X86_CR0_PG)

void vmx_inject_exception(struct kvm_vcpu *vcpu, u8 vector, bool has_error,
			  u32 error)
{
	u32 info = vector | INTR_INFO_VALID_MASK;

	/*
	 * #BP and #OF come from INT3/INTO: the handler returns after the
	 * instruction, which VM entry needs to be told about.
	 */
	if (vector == X86_TRAP_BP || vector == X86_TRAP_OF)
		info |= INTR_TYPE_SOFT_EXCEPTION;
	else
		info |= INTR_TYPE_HARD_EXCEPTION;

	/* Real mode pushes no error codes (and VM entry refuses them). */
	if (has_error && (vmx_get_cr(vcpu, 0) & X86_CR0_PE))
		info |= INTR_INFO_DELIVER_CODE_MASK;
	vmx_set_intr_info(to_vmx(vcpu), info, error);
}

static void inject_gp(struct kvm_vcpu *vcpu)
{
	vmx_inject_exception(vcpu, X86_TRAP_GP, true, 0);
}

static void inject_ud(struct kvm_vcpu *vcpu)
{
	vmx_inject_exception(vcpu, X86_TRAP_UD, false, 0);
}

/*
 * An exit that interrupted the delivery of an event (say, an EPT
 * violation while pushing an exception frame) must deliver it again on
 * the next entry.
 */
static void vmx_reinject_event(struct vcpu_vmx *vmx)
{
	u32 info = vmcs_read32(IDT_VECTORING_INFO_FIELD);
	u32 type = info & INTR_INFO_INTR_TYPE_MASK;

	if (!(info & VECTORING_INFO_VALID_MASK))
		return;
	/* An interrupt injected as INT n: it waits for the next entry again. */
	if (type == INTR_TYPE_SOFT_INTR && vmx->entered_irq_as_soft) {
		vmx->irq_stash = info & INTR_INFO_VECTOR_MASK;
		vmx->irq_stashed = true;
		return;
	}
	/* Software interrupts and exceptions: the guest executes them again. */
	if (type == INTR_TYPE_SOFT_INTR || type == INTR_TYPE_SOFT_EXCEPTION ||
	    type == INTR_TYPE_PRIV_SW_EXCEPTION)
		return;
	/* An NMI that was not delivered does not block NMIs yet. */
	if (type == INTR_TYPE_NMI_INTR)
		vmcs_clear_bits(GUEST_INTERRUPTIBILITY_INFO,
				GUEST_INTR_STATE_NMI);
	vmx_set_intr_info(vmx, info & (INTR_INFO_VECTOR_MASK |
				       INTR_INFO_INTR_TYPE_MASK |
				       INTR_INFO_DELIVER_CODE_MASK |
				       INTR_INFO_VALID_MASK),
			  vmcs_read32(IDT_VECTORING_ERROR_CODE));
}

static void vmx_decode_io(struct kvm_vcpu *vcpu, u64 qual)
{
	struct x86_exit *e = &vcpu->arch.exit;

	e->kind = X86_EXIT_IO;
	e->io.port = IO_QUAL_PORT(qual);
	e->io.size = IO_QUAL_SIZE(qual);
	e->io.in = qual & IO_QUAL_IN;
	e->io.string = qual & IO_QUAL_STRING;
	e->io.rep = qual & IO_QUAL_REP;
	e->io.next_rip = vcpu->arch.rip + e->insn_len;
	e->io.ad_bytes = 0;
	/* 0, 1, 2: 16-, 32-, 64-bit addresses; else the x86 layer decodes. */
	if (e->io.string && vmx_caps.insouts_info) {
		u32 as = INSN_INFO_ADDR_SIZE(vmcs_read32(VMX_INSTRUCTION_INFO));

		if (as <= 2)
			e->io.ad_bytes = 2 << as;
	}
}

/* Guest-physical fault: the error code the shared MMU understands. */
static void vmx_decode_ept_violation(struct vcpu_vmx *vmx, u64 qual)
{
	struct x86_exit *e = &vmx->vcpu->arch.exit;
	u64 err = 0;

	if (qual & EPT_VIOLATION_ACC_WRITE)
		err |= X86_PF_ERR_WRITE;
	if (qual & EPT_VIOLATION_ACC_INSTR)
		err |= X86_PF_ERR_FETCH;
	if (qual & EPT_VIOLATION_RWX_MASK)
		err |= X86_PF_ERR_PRESENT;
	e->kind = X86_EXIT_NPF;
	e->npf.gpa = vmcs_read(GUEST_PHYSICAL_ADDRESS);
	e->npf.error_code = err;
	e->hw_info[1] = e->npf.gpa;

	/*
	 * The fault hit the guest's IRET: NMIs it unblocked must be
	 * blocked again, as the IRET will run again.
	 */
	if ((qual & VMX_EPT_QUAL_NMI_UNBLOCK) && vmx_caps.virtual_nmis &&
	    !(vmcs_read32(IDT_VECTORING_INFO_FIELD) &
	      VECTORING_INFO_VALID_MASK))
		vmcs_set_bits(GUEST_INTERRUPTIBILITY_INFO,
			      GUEST_INTR_STATE_NMI);
}

/*
 * Apply new CR0/CR4/EFER values as a guest MOV would: PDPTEs are loaded
 * (and checked) when the result is PAE paging, translations tagged with
 * the vCPU's VPID are dropped.  Returns false for #GP.
 */
static bool guest_commit_paging(struct kvm_vcpu *vcpu, u64 cr0, u64 cr3,
				u64 cr4, u64 efer)
{
	struct vcpu_vmx *vmx = to_vmx(vcpu);
	u64 pdpte[4];
	bool pae = (cr0 & X86_CR0_PG) && (cr4 & X86_CR4_PAE) &&
		   !(efer & EFER_LMA);

	if (pae && vmx_read_pdptrs(vcpu, cr3, pdpte))
		return false;
	vmx_write_efer(vmx, efer);
	vmx_write_cr4(vmx, cr4);
	vmx_write_cr0(vmx, cr0);
	vmcs_write(GUEST_CR3, cr3);
	if (pae)
		vmx_write_pdptrs(pdpte);
	vmx_flush_vpid(vmx);
	return true;
}

static bool guest_set_cr0(struct kvm_vcpu *vcpu, u64 val)
{
	struct vcpu_vmx *vmx = to_vmx(vcpu);
	u64 old = vmx_get_cr(vcpu, 0), cr4 = vmx_get_cr(vcpu, 4);
	u64 efer = vmx->efer;

	if (val >> 32)
		return false;
	/* Reserved bits are ignored; ET is hard-wired to 1. */
	val = (val & CR0_KNOWN) | X86_CR0_ET;
	if ((val & X86_CR0_NW) && !(val & X86_CR0_CD))
		return false;
	if ((val & X86_CR0_PG) && !(val & X86_CR0_PE))
		return false;
	if (!(old & X86_CR0_PG) && (val & X86_CR0_PG) && (efer & EFER_LME)) {
		/* Paging on with LME set: IA-32e mode starts. */
		if (!(cr4 & X86_CR4_PAE))
			return false;
		efer |= EFER_LMA;
	} else if ((old & X86_CR0_PG) && !(val & X86_CR0_PG) &&
		   (efer & EFER_LMA)) {
		/* IA-32e mode can be left from compatibility mode only. */
		if (vmx_long_mode_code(vcpu))
			return false;
		efer &= ~EFER_LMA;
	}
	return guest_commit_paging(vcpu, val, vmcs_read(GUEST_CR3), cr4, efer);
}

static bool guest_set_cr4(struct kvm_vcpu *vcpu, u64 val)
{
	struct vcpu_vmx *vmx = to_vmx(vcpu);
	const struct vmx_caps *c = &vmx_caps;

	/* Host-owned CR4 bits are VMX's own or unsupported: #GP. */
	if (val & c->cr4_host_bits & ~c->cr4_force)
		return false;
	if (val & (X86_CR4_VMXE | X86_CR4_SMXE))
		return false;
	if ((vmx->efer & EFER_LMA) && !(val & X86_CR4_PAE))
		return false;
	return guest_commit_paging(vcpu, vmx_get_cr(vcpu, 0),
				   vmcs_read(GUEST_CR3), val, vmx->efer);
}

static int vmx_handle_cr(struct kvm_vcpu *vcpu, u64 qual, u8 len)
{
	struct vcpu_vmx *vmx = to_vmx(vcpu);
	bool wide = vmx_long_mode_code(vcpu);
	u64 *reg = &vcpu->arch.regs[CR_QUAL_GPR(qual)];
	u64 val = wide ? *reg : (u32)*reg;
	int cr = CR_QUAL_NR(qual);
	bool ok = true;

	switch (CR_QUAL_TYPE(qual)) {
	case CR_MOV_TO:
		if (cr == 0)
			ok = guest_set_cr0(vcpu, val);
		else if (cr == 4)
			ok = guest_set_cr4(vcpu, val);
		else if (cr == 3)
			ok = guest_commit_paging(vcpu, vmx_get_cr(vcpu, 0), val,
						 vmx_get_cr(vcpu, 4),
						 vmx->efer);
		else if (cr == 8) {
			ok = !(val & ~0xfULL);
			if (ok)
				vmx->tpr = val;
		} else
			goto unexpected;
		break;
	case CR_MOV_FROM:
		if (cr == 3)
			val = vmcs_read(GUEST_CR3);
		else if (cr == 8)
			val = vmx->tpr;
		else
			goto unexpected;
		*reg = wide ? val : (u32)val;
		break;
	case CR_CLTS:
		ok = guest_set_cr0(vcpu, vmx_get_cr(vcpu, 0) & ~X86_CR0_TS);
		break;
	case CR_LMSW: {
		u64 cr0 = vmx_get_cr(vcpu, 0);
		u64 msw = CR_QUAL_LMSW_DATA(qual) & 0xf;

		/* LMSW loads PE, MP, EM, TS but cannot clear PE. */
		ok = guest_set_cr0(vcpu, (cr0 & ~0xeULL) | msw |
					 (cr0 & X86_CR0_PE));
		break;
	}
	}
	if (!ok)
		inject_gp(vcpu);
	else
		kvm_skip_insn(vcpu, len);
	return 1;

unexpected:
	vcpu->arch.exit.kind = X86_EXIT_UNHANDLED;
	return 0;
}

/* Debug exception qualification: B0-B3, BD, BS; RTM is active-low. */
#define DB_QUAL_DR6_BITS	(0xfULL | BIT(13) | BIT(14))
#define DB_QUAL_RTM		BIT(16)
#define DR6_FIXED_1		0xffff0ff0ULL

/*
 * Exception or NMI exit.  Host NMIs were handled in vmx_run(); the
 * exceptions that exit are #AC, always (see
 * vmx_update_debug_intercepts()), handed back to the guest, and #DB and
 * #BP, intercepted for a debugger in userspace (KVM_SET_GUEST_DEBUG).
 */
static int vmx_handle_exception(struct kvm_vcpu *vcpu, u64 qual)
{
	struct vcpu_vmx *vmx = to_vmx(vcpu);
	struct x86_exit *e = &vcpu->arch.exit;
	u32 info = vmx->exit_intr_info;
	u8 vector = info & INTR_INFO_VECTOR_MASK;

	e->hw_info[1] = info;
	if ((info & INTR_INFO_INTR_TYPE_MASK) == INTR_TYPE_NMI_INTR)
		return 1;
	if (vector == X86_TRAP_AC) {
		/* The guest's own fault: deliver it (error code 0). */
		vmx_inject_exception(vcpu, X86_TRAP_AC, true, 0);
		return 1;
	}
	if (vector != X86_TRAP_DB && vector != X86_TRAP_BP) {
		e->kind = X86_EXIT_UNHANDLED;
		return 0;
	}
	e->kind = X86_EXIT_DEBUG_EXC;
	e->exception.vector = vector;
	e->exception.dr6 = vmx->dr6;
	if (vector == X86_TRAP_DB) {
		/* The exit did not touch DR6: it says what DR6 would say. */
		e->exception.dr6 = DR6_FIXED_1 | (qual & DB_QUAL_DR6_BITS);
		if (qual & DB_QUAL_RTM)
			e->exception.dr6 &= ~DB_QUAL_RTM;
	}
	return 0;
}

int vmx_handle_exit(struct kvm_vcpu *vcpu)
{
	struct vcpu_vmx *vmx = to_vmx(vcpu);
	struct x86_exit *e = &vcpu->arch.exit;
	u32 reason = vmx->exit_reason;
	u64 qual;

	e->insn_len = 0;
	e->hw_info[0] = 0;
	e->hw_info[1] = 0;
	if (vmx->entry_failed) {
		/* VMLAUNCH/VMRESUME refused the controls or host state. */
		e->kind = X86_EXIT_FAIL_ENTRY;
		e->hw_reason = vmx->insn_error;
		pr_warn_ratelimited("kvm-intel: VM entry failed, VM-instruction error %u\n",
				    vmx->insn_error);
		return 0;
	}
	qual = vmcs_read(EXIT_QUALIFICATION);
	e->hw_reason = VMX_EXIT_REASON_BASIC(reason);
	e->hw_info[0] = qual;
	if (reason & VMX_EXIT_REASON_FAILED_ENTRY) {
		/*
		 * The guest state was refused (or MSR loading failed).
		 * Userspace sees the whole exit reason, bit 31 included, as
		 * with the in-tree module (e.g. 0x80000021).
		 */
		e->kind = X86_EXIT_FAIL_ENTRY;
		e->hw_reason = reason;
		pr_warn_ratelimited("kvm-intel: VM entry failed, exit reason %u qualification %llu\n",
				    VMX_EXIT_REASON_BASIC(reason), qual);
		vmx_dump_guest_state(vmx);
		return 0;
	}
	vmx_reinject_event(vmx);

	switch (VMX_EXIT_REASON_BASIC(reason)) {
	case EXIT_REASON_EXCEPTION_NMI:
		return vmx_handle_exception(vcpu, qual);
	case EXIT_REASON_EXTERNAL_INTERRUPT:
	case EXIT_REASON_PREEMPTION_TIMER:
	case EXIT_REASON_INIT_SIGNAL:
	case EXIT_REASON_SIPI_SIGNAL:
		/* The host takes it once the run loop enables interrupts. */
		return 1;
	case EXIT_REASON_TRIPLE_FAULT:
		/* Start the VMCS afresh, as SVM does after a shutdown. */
		vmx_vcpu_reset(vcpu);
		e->kind = X86_EXIT_SHUTDOWN;
		return 0;
	case EXIT_REASON_INTERRUPT_WINDOW:
		vmx_set_proc_ctl(vmx, CPU_BASED_INTR_WINDOW_EXITING, false);
		return 1;
	case EXIT_REASON_NMI_WINDOW:
		vmx_set_proc_ctl(vmx, CPU_BASED_NMI_WINDOW_EXITING, false);
		return 1;
	case EXIT_REASON_CPUID:
		e->kind = X86_EXIT_CPUID;
		e->insn_len = vmcs_read32(VM_EXIT_INSTRUCTION_LEN);
		return 0;
	case EXIT_REASON_HLT:
		e->kind = X86_EXIT_HLT;
		e->insn_len = vmcs_read32(VM_EXIT_INSTRUCTION_LEN);
		return 0;
	case EXIT_REASON_IO_INSTRUCTION:
		e->insn_len = vmcs_read32(VM_EXIT_INSTRUCTION_LEN);
		vmx_decode_io(vcpu, qual);
		return 0;
	case EXIT_REASON_MSR_READ:
		e->kind = X86_EXIT_RDMSR;
		e->insn_len = vmcs_read32(VM_EXIT_INSTRUCTION_LEN);
		return 0;
	case EXIT_REASON_MSR_WRITE:
		e->kind = X86_EXIT_WRMSR;
		e->insn_len = vmcs_read32(VM_EXIT_INSTRUCTION_LEN);
		return 0;
	case EXIT_REASON_EPT_VIOLATION:
		vmx_decode_ept_violation(vmx, qual);
		return 0;
	case EXIT_REASON_DR_ACCESS:
		e->kind = X86_EXIT_DR;
		return 0;
	case EXIT_REASON_XSETBV:
		e->kind = X86_EXIT_XSETBV;
		e->insn_len = vmcs_read32(VM_EXIT_INSTRUCTION_LEN);
		return 0;
	case EXIT_REASON_CR_ACCESS:
		return vmx_handle_cr(vcpu, qual,
				     vmcs_read32(VM_EXIT_INSTRUCTION_LEN));
	case EXIT_REASON_INVD:
		/* Dropping dirty cache lines is not the guest's to do. */
		kvm_skip_insn(vcpu, vmcs_read32(VM_EXIT_INSTRUCTION_LEN));
		return 1;
	case EXIT_REASON_RDPMC:
		/* No PMU is offered. */
		inject_gp(vcpu);
		return 1;
	case EXIT_REASON_VMCALL:
	case EXIT_REASON_VMCLEAR:
	case EXIT_REASON_VMLAUNCH:
	case EXIT_REASON_VMPTRLD:
	case EXIT_REASON_VMPTRST:
	case EXIT_REASON_VMREAD:
	case EXIT_REASON_VMRESUME:
	case EXIT_REASON_VMWRITE:
	case EXIT_REASON_VMOFF:
	case EXIT_REASON_VMON:
	case EXIT_REASON_INVEPT:
	case EXIT_REASON_INVVPID:
	case EXIT_REASON_VMFUNC:
	case EXIT_REASON_MONITOR_INSTRUCTION:
	case EXIT_REASON_MWAIT_INSTRUCTION:
		/* Not offered to the guest (no nested VMX, no hypercalls). */
		inject_ud(vcpu);
		return 1;
	case EXIT_REASON_EPT_MISCONFIG:
		/* Our EPT entries are never misconfigured: report it. */
		e->hw_info[1] = vmcs_read(GUEST_PHYSICAL_ADDRESS);
		pr_warn_ratelimited("kvm-intel: EPT misconfiguration at GPA %#llx\n",
				    e->hw_info[1]);
		e->kind = X86_EXIT_UNHANDLED;
		return 0;
	default:
		e->kind = X86_EXIT_UNHANDLED;
		return 0;
	}
}
