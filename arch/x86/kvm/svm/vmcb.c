// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VMCB: initial controls, the RESET state, and access to the guest
 * state it holds (segments, descriptor tables, control registers, EFER).
 */
#include <asm/processor-flags.h>
#include <asm/msr-index.h>

#include "svm/svm.h"

/* Segment attribute bits: type, S, DPL, P, AVL, L, D/B, G. */
#define SEG_TYPE_CODE_RX_ACC	0xb
#define SEG_TYPE_DATA_RW_ACC	0x3
#define SEG_TYPE_LDT		0x2
#define SEG_TYPE_BUSY_TSS16	0x3

#define PAT_RESET		0x0007040600070406ULL
#define DR6_RESET		0xffff0ff0ULL
#define DR7_RESET		0x400ULL
#define CR0_RESET		(X86_CR0_CD | X86_CR0_NW | X86_CR0_ET)

static const int svm_intercepts[] = {
	INTERCEPT_INTR, INTERCEPT_NMI, INTERCEPT_SMI, INTERCEPT_INIT,
	INTERCEPT_CPUID, INTERCEPT_INVD, INTERCEPT_HLT, INTERCEPT_INVLPGA,
	INTERCEPT_IOIO_PROT, INTERCEPT_MSR_PROT, INTERCEPT_TASK_SWITCH,
	INTERCEPT_SHUTDOWN, INTERCEPT_VMRUN, INTERCEPT_VMMCALL,
	INTERCEPT_VMLOAD, INTERCEPT_VMSAVE, INTERCEPT_STGI, INTERCEPT_CLGI,
	INTERCEPT_SKINIT, INTERCEPT_XSETBV, INTERCEPT_MONITOR,
	INTERCEPT_MWAIT, INTERCEPT_MWAIT_COND, INTERCEPT_RDPRU,
	INTERCEPT_RDPMC,
};

void svm_vmcb_init(struct vcpu_svm *svm)
{
	struct vmcb_control_area *c = &svm->vmcb->control;
	int i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < ARRAY_SIZE(svm_intercepts); i++)
		svm_set_intercept(svm->vmcb, svm_intercepts[i]);
	/*
	 * Every debug register access is emulated (dr.c), which keeps the
	 * guest's DR0-DR3 in our copy, loaded only while DR7 needs them.
	 */
	for (i = INTERCEPT_DR0_READ; i <= INTERCEPT_DR7_WRITE; i++)
		svm_set_intercept(svm->vmcb, i);
	svm_update_debug_intercepts(svm->vcpu);

	c->iopm_base_pa = svm_iopm_pa;
	c->msrpm_base_pa = svm_msrpm_pa;
	/* The host's RFLAGS.IF, not the guest's, gates host interrupts. */
	c->int_ctl = V_INTR_MASKING_MASK;
	c->nested_ctl = SVM_NESTED_CTL_NP_ENABLE;
	c->nested_cr3 = svm->vcpu->kvm->arch.tdp_root_pa;
	/* A reset (INIT, shutdown) does not move the guest's TSC. */
	c->tsc_offset = svm->vcpu->arch.tsc_offset;
	svm->asid_gen = 0;
}

static void seg_init(struct vmcb_seg *s, u16 sel, u64 base, u16 attrib)
{
	s->selector = sel;
	s->base = base;
	s->limit = 0xffff;
	s->attrib = attrib;
}

void svm_vcpu_reset(struct kvm_vcpu *vcpu)
{
	struct vcpu_svm *svm = to_svm(vcpu);
	struct vmcb_save_area *s = &svm->vmcb->save;
	u16 data = SVM_SELECTOR_P_MASK | SVM_SELECTOR_S_MASK |
		   SEG_TYPE_DATA_RW_ACC;

	svm_vmcb_init(svm);
	memset(s, 0, sizeof(*s));
	seg_init(&s->cs, 0xf000, 0xffff0000, SVM_SELECTOR_P_MASK |
		 SVM_SELECTOR_S_MASK | SEG_TYPE_CODE_RX_ACC);
	seg_init(&s->ds, 0, 0, data);
	seg_init(&s->es, 0, 0, data);
	seg_init(&s->fs, 0, 0, data);
	seg_init(&s->gs, 0, 0, data);
	seg_init(&s->ss, 0, 0, data);
	seg_init(&s->ldtr, 0, 0, SVM_SELECTOR_P_MASK | SEG_TYPE_LDT);
	seg_init(&s->tr, 0, 0, SVM_SELECTOR_P_MASK | SEG_TYPE_BUSY_TSS16);
	s->gdtr.limit = 0xffff;
	s->idtr.limit = 0xffff;
	s->cr0 = CR0_RESET;
	s->efer = EFER_SVME;	/* VMRUN requires it; hidden from the guest */
	s->dr6 = DR6_RESET;
	s->dr7 = DR7_RESET;
	s->g_pat = PAT_RESET;
}

static struct vmcb_seg *svm_seg(struct vcpu_svm *svm, int seg)
{
	struct vmcb_save_area *s = &svm->vmcb->save;

	switch (seg) {
	case VCPU_SREG_ES: return &s->es;
	case VCPU_SREG_CS: return &s->cs;
	case VCPU_SREG_SS: return &s->ss;
	case VCPU_SREG_DS: return &s->ds;
	case VCPU_SREG_FS: return &s->fs;
	case VCPU_SREG_GS: return &s->gs;
	case VCPU_SREG_TR: return &s->tr;
	default: return &s->ldtr;
	}
}

void svm_get_segment(struct kvm_vcpu *vcpu, struct kvm_segment *var, int seg)
{
	const struct vmcb_seg *s = svm_seg(to_svm(vcpu), seg);
	u16 a = s->attrib;

	memset(var, 0, sizeof(*var));
	var->base = s->base;
	var->limit = s->limit;
	var->selector = s->selector;
	var->type = a & 0xf;
	var->s = !!(a & SVM_SELECTOR_S_MASK);
	var->dpl = (a >> SVM_SELECTOR_DPL_SHIFT) & 3;
	var->present = !!(a & SVM_SELECTOR_P_MASK);
	var->avl = !!(a & SVM_SELECTOR_AVL_MASK);
	var->l = !!(a & SVM_SELECTOR_L_MASK);
	var->db = !!(a & SVM_SELECTOR_DB_MASK);
	var->g = !!(a & SVM_SELECTOR_G_MASK);
	var->unusable = !var->present;
}

void svm_set_segment(struct kvm_vcpu *vcpu, const struct kvm_segment *var,
		     int seg)
{
	struct vcpu_svm *svm = to_svm(vcpu);
	struct vmcb_seg *s = svm_seg(svm, seg);

	s->base = var->base;
	s->limit = var->limit;
	s->selector = var->selector;
	if (var->unusable) {
		s->attrib = 0;
	} else {
		s->attrib = (var->type & 0xf) |
			    (var->s ? SVM_SELECTOR_S_MASK : 0) |
			    ((var->dpl & 3) << SVM_SELECTOR_DPL_SHIFT) |
			    (var->present ? SVM_SELECTOR_P_MASK : 0) |
			    (var->avl ? SVM_SELECTOR_AVL_MASK : 0) |
			    (var->l ? SVM_SELECTOR_L_MASK : 0) |
			    (var->db ? SVM_SELECTOR_DB_MASK : 0) |
			    (var->g ? SVM_SELECTOR_G_MASK : 0);
	}
	/* The VMCB keeps the CPL separately; it follows SS.DPL. */
	if (seg == VCPU_SREG_SS)
		svm->vmcb->save.cpl = var->dpl & 3;
}

void svm_get_dtable(struct kvm_vcpu *vcpu, struct kvm_dtable *dt, bool idt)
{
	struct vmcb_save_area *s = &to_svm(vcpu)->vmcb->save;
	struct vmcb_seg *d = idt ? &s->idtr : &s->gdtr;

	memset(dt, 0, sizeof(*dt));
	dt->base = d->base;
	dt->limit = d->limit;
}

void svm_set_dtable(struct kvm_vcpu *vcpu, const struct kvm_dtable *dt,
		    bool idt)
{
	struct vmcb_save_area *s = &to_svm(vcpu)->vmcb->save;
	struct vmcb_seg *d = idt ? &s->idtr : &s->gdtr;

	d->base = dt->base;
	d->limit = dt->limit;
}

u64 svm_get_cr(struct kvm_vcpu *vcpu, int cr)
{
	struct vmcb *vmcb = to_svm(vcpu)->vmcb;

	switch (cr) {
	case 0: return vmcb->save.cr0;
	case 2: return vmcb->save.cr2;
	case 3: return vmcb->save.cr3;
	case 4: return vmcb->save.cr4;
	case 8: return vmcb->control.int_ctl & V_TPR_MASK;
	default: return 0;
	}
}

void svm_set_cr(struct kvm_vcpu *vcpu, int cr, u64 val)
{
	struct vmcb *vmcb = to_svm(vcpu)->vmcb;

	switch (cr) {
	case 0:
		vmcb->save.cr0 = val;
		break;
	case 2:
		vmcb->save.cr2 = val;
		break;
	case 3:
		vmcb->save.cr3 = val;
		break;
	case 4:
		vmcb->save.cr4 = val;
		break;
	case 8:
		vmcb->control.int_ctl = (vmcb->control.int_ctl & ~V_TPR_MASK) |
					(val & V_TPR_MASK);
		break;
	}
}

u64 svm_get_efer(struct kvm_vcpu *vcpu)
{
	return to_svm(vcpu)->vmcb->save.efer & ~EFER_SVME;
}

void svm_set_efer(struct kvm_vcpu *vcpu, u64 efer)
{
	to_svm(vcpu)->vmcb->save.efer = efer | EFER_SVME;
}

int svm_get_cpl(struct kvm_vcpu *vcpu)
{
	return to_svm(vcpu)->vmcb->save.cpl;
}

/* EFER bits a guest may set: SCE, LME, LMA (kept by hardware), NXE. */
#define GUEST_EFER_MASK	(EFER_SCE | EFER_LME | EFER_LMA | EFER_NX)

/* MSRs whose guest values the VMCB holds (loaded by VMRUN/VMLOAD). */
int svm_get_msr(struct kvm_vcpu *vcpu, u32 index, u64 *data)
{
	struct vmcb_save_area *s = &to_svm(vcpu)->vmcb->save;

	switch (index) {
	case MSR_EFER:
		*data = s->efer & ~EFER_SVME;
		break;
	case MSR_STAR:
		*data = s->star;
		break;
	case MSR_LSTAR:
		*data = s->lstar;
		break;
	case MSR_CSTAR:
		*data = s->cstar;
		break;
	case MSR_SYSCALL_MASK:
		*data = s->sfmask;
		break;
	case MSR_KERNEL_GS_BASE:
		*data = s->kernel_gs_base;
		break;
	case MSR_FS_BASE:
		*data = s->fs.base;
		break;
	case MSR_GS_BASE:
		*data = s->gs.base;
		break;
	case MSR_IA32_SYSENTER_CS:
		*data = s->sysenter_cs;
		break;
	case MSR_IA32_SYSENTER_ESP:
		*data = s->sysenter_esp;
		break;
	case MSR_IA32_SYSENTER_EIP:
		*data = s->sysenter_eip;
		break;
	case MSR_IA32_CR_PAT:
		*data = s->g_pat;
		break;
	case MSR_IA32_DEBUGCTLMSR:
		*data = s->dbgctl;
		break;
	default:
		return KVM_MSR_UNKNOWN;
	}
	return KVM_MSR_OK;
}

int svm_set_msr(struct kvm_vcpu *vcpu, u32 index, u64 data)
{
	struct vmcb_save_area *s = &to_svm(vcpu)->vmcb->save;

	switch (index) {
	case MSR_EFER:
		if (data & ~GUEST_EFER_MASK)
			return KVM_MSR_INVALID;
		s->efer = data | EFER_SVME;
		break;
	case MSR_STAR:
		s->star = data;
		break;
	case MSR_LSTAR:
		s->lstar = data;
		break;
	case MSR_CSTAR:
		s->cstar = data;
		break;
	case MSR_SYSCALL_MASK:
		s->sfmask = data;
		break;
	case MSR_KERNEL_GS_BASE:
		s->kernel_gs_base = data;
		break;
	case MSR_FS_BASE:
		s->fs.base = data;
		break;
	case MSR_GS_BASE:
		s->gs.base = data;
		break;
	case MSR_IA32_SYSENTER_CS:
		s->sysenter_cs = data;
		break;
	case MSR_IA32_SYSENTER_ESP:
		s->sysenter_esp = data;
		break;
	case MSR_IA32_SYSENTER_EIP:
		s->sysenter_eip = data;
		break;
	case MSR_IA32_CR_PAT:
		if (!kvm_pat_valid(data))
			return KVM_MSR_INVALID;
		s->g_pat = data;
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

void svm_set_tsc_offset(struct kvm_vcpu *vcpu, u64 offset)
{
	to_svm(vcpu)->vmcb->control.tsc_offset = offset;
}

u64 svm_get_dr(struct kvm_vcpu *vcpu, int dr)
{
	struct vmcb_save_area *s = &to_svm(vcpu)->vmcb->save;

	return dr == 6 ? s->dr6 : s->dr7;
}

void svm_set_dr(struct kvm_vcpu *vcpu, int dr, u64 val)
{
	struct vmcb_save_area *s = &to_svm(vcpu)->vmcb->save;

	if (dr == 6)
		s->dr6 = val;
	else
		s->dr7 = val;
}

void svm_update_debug_intercepts(struct kvm_vcpu *vcpu)
{
	struct vmcb *vmcb = to_svm(vcpu)->vmcb;
	u32 dbg = vcpu->arch.guest_debug;

	/*
	 * #DB and #AC are always intercepted: a guest can make the delivery
	 * of either raise it again, and the CPU then loops in event
	 * delivery where no interrupt gets in (CVE-2015-8104, -5307).  As
	 * exits, each round gives the host its CPU back.
	 */
	svm_set_intercept(vmcb, INTERCEPT_EXCEPTION_OFFSET + DB_VECTOR);
	svm_set_intercept(vmcb, INTERCEPT_EXCEPTION_OFFSET + AC_VECTOR);
	svm_clr_intercept(vmcb, INTERCEPT_EXCEPTION_OFFSET + BP_VECTOR);
	if (dbg & KVM_GUESTDBG_USE_SW_BP)
		svm_set_intercept(vmcb, INTERCEPT_EXCEPTION_OFFSET + BP_VECTOR);
}
