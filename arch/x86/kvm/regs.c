// SPDX-License-Identifier: GPL-2.0-only
/*
 * General purpose and special registers: the RESET state, KVM_GET/SET_REGS
 * and KVM_GET/SET_SREGS, and mode helpers used by the emulator.
 */
#include <asm/msr-index.h>
#include <asm/processor-flags.h>
#include <asm/cpufeature.h>
#include <asm/fpu/types.h>
#include <asm/tsc.h>

#include "x86.h"
#include "irq.h"

/* APIC base MSR bits (not exported by a kernel header we may use). */
#define APIC_BASE_DEFAULT	0xfee00000ULL
#define APIC_BASE_BSP		BIT_ULL(8)
#define APIC_BASE_ENABLE	BIT_ULL(11)

/*
 * The processor signature EDX holds after RESET: the guest's CPUID.1.EAX
 * if userspace set one, else family 6 as on in-tree KVM.
 */
static u64 reset_edx(struct kvm_vcpu *vcpu)
{
	int i;

	for (i = 0; i < vcpu->arch.nr_cpuid; i++)
		if (vcpu->arch.cpuid[i].function == 1)
			return vcpu->arch.cpuid[i].eax;
	return 0x600;
}

/* Register state shared by RESET and INIT. */
static void reset_registers(struct kvm_vcpu *vcpu)
{
	struct kvm_vcpu_arch *a = &vcpu->arch;

	memset(a->regs, 0, sizeof(a->regs));
	a->regs[X86_RDX] = reset_edx(vcpu);
	a->rip = 0xfff0;
	a->rflags = X86_EFLAGS_FIXED;
	a->completion = X86_COMPLETE_NONE;
	a->irq_queued = false;
	a->xcr0 = XFEATURE_MASK_FP;
	a->nmi_pending = false;
	memset(a->db, 0, sizeof(a->db));
	kvm_x86_ops->vcpu_reset(vcpu);
}

void kvm_vcpu_reset(struct kvm_vcpu *vcpu)
{
	struct kvm_vcpu_arch *a = &vcpu->arch;
	bool bsp = vcpu->vcpu_id == vcpu->kvm->arch.bsp_vcpu_id;

	a->tsc_khz = tsc_khz;
	/* The TSC counts from 0 at the VM's creation, on every vCPU. */
	a->tsc_offset = vcpu->kvm->arch.tsc_base_offset;
	a->guest_debug = 0;
	a->apic_base = APIC_BASE_DEFAULT | APIC_BASE_ENABLE;
	if (bsp)
		a->apic_base |= APIC_BASE_BSP;
	reset_registers(vcpu);
	kvm_msr_reset(vcpu);
	/* With an in-kernel LAPIC, APs wait for INIT and SIPI. */
	a->mp_state = (bsp || !a->apic) ? KVM_MP_STATE_RUNNABLE :
					  KVM_MP_STATE_UNINITIALIZED;
	if (a->apic)
		kvm_lapic_reset(vcpu, false);
}

/*
 * INIT (through the APIC bus): registers as at RESET, but MSRs, the APIC
 * base and the debugger's settings survive.
 */
void kvm_vcpu_init_event(struct kvm_vcpu *vcpu)
{
	reset_registers(vcpu);
	kvm_lapic_reset(vcpu, true);
}

int kvm_get_regs(struct kvm_vcpu *vcpu, struct kvm_regs *r)
{
	const u64 *g = vcpu->arch.regs;

	r->rax = g[X86_RAX];
	r->rbx = g[X86_RBX];
	r->rcx = g[X86_RCX];
	r->rdx = g[X86_RDX];
	r->rsi = g[X86_RSI];
	r->rdi = g[X86_RDI];
	r->rsp = g[X86_RSP];
	r->rbp = g[X86_RBP];
	r->r8 = g[X86_R8];
	r->r9 = g[X86_R9];
	r->r10 = g[X86_R10];
	r->r11 = g[X86_R11];
	r->r12 = g[X86_R12];
	r->r13 = g[X86_R13];
	r->r14 = g[X86_R14];
	r->r15 = g[X86_R15];
	r->rip = vcpu->arch.rip;
	r->rflags = vcpu->arch.rflags;
	return 0;
}

int kvm_set_regs(struct kvm_vcpu *vcpu, const struct kvm_regs *r)
{
	u64 *g = vcpu->arch.regs;

	g[X86_RAX] = r->rax;
	g[X86_RBX] = r->rbx;
	g[X86_RCX] = r->rcx;
	g[X86_RDX] = r->rdx;
	g[X86_RSI] = r->rsi;
	g[X86_RDI] = r->rdi;
	g[X86_RSP] = r->rsp;
	g[X86_RBP] = r->rbp;
	g[X86_R8] = r->r8;
	g[X86_R9] = r->r9;
	g[X86_R10] = r->r10;
	g[X86_R11] = r->r11;
	g[X86_R12] = r->r12;
	g[X86_R13] = r->r13;
	g[X86_R14] = r->r14;
	g[X86_R15] = r->r15;
	vcpu->arch.rip = r->rip;
	/* Bit 1 of RFLAGS always reads as one. */
	vcpu->arch.rflags = r->rflags | X86_EFLAGS_FIXED;
	return 0;
}

int kvm_get_sregs(struct kvm_vcpu *vcpu, struct kvm_sregs *s)
{
	const struct kvm_x86_ops *ops = kvm_x86_ops;

	ops->get_segment(vcpu, &s->cs, VCPU_SREG_CS);
	ops->get_segment(vcpu, &s->ds, VCPU_SREG_DS);
	ops->get_segment(vcpu, &s->es, VCPU_SREG_ES);
	ops->get_segment(vcpu, &s->fs, VCPU_SREG_FS);
	ops->get_segment(vcpu, &s->gs, VCPU_SREG_GS);
	ops->get_segment(vcpu, &s->ss, VCPU_SREG_SS);
	ops->get_segment(vcpu, &s->tr, VCPU_SREG_TR);
	ops->get_segment(vcpu, &s->ldt, VCPU_SREG_LDTR);
	ops->get_dtable(vcpu, &s->gdt, false);
	ops->get_dtable(vcpu, &s->idt, true);
	s->cr0 = ops->get_cr(vcpu, 0);
	s->cr2 = ops->get_cr(vcpu, 2);
	s->cr3 = ops->get_cr(vcpu, 3);
	s->cr4 = ops->get_cr(vcpu, 4);
	s->cr8 = kvm_vcpu_has_lapic(vcpu) ? kvm_lapic_get_cr8(vcpu) :
						 ops->get_cr(vcpu, 8);
	s->efer = ops->get_efer(vcpu);
	s->apic_base = vcpu->arch.apic_base;
	/* No interrupt is ever queued in the kernel without an irqchip. */
	memset(s->interrupt_bitmap, 0, sizeof(s->interrupt_bitmap));
	return 0;
}

/*
 * CR4 bits a guest may set: those the host supports, minus VMX/SMX, and
 * for features that CPUID enumerates, only if the guest's CPUID table
 * offers the feature.
 */
#define CPUID_EBX 1
#define CPUID_ECX 2

static const struct {
	u64 cr4_bit;
	int host_feature;
	u32 leaf;
	int reg, bit;
} cr4_features[] = {
	{ X86_CR4_OSXSAVE, X86_FEATURE_XSAVE, 1, CPUID_ECX, 26 },
	{ X86_CR4_PCIDE, X86_FEATURE_PCID, 1, CPUID_ECX, 17 },
	{ X86_CR4_FSGSBASE, X86_FEATURE_FSGSBASE, 7, CPUID_EBX, 0 },
	{ X86_CR4_SMEP, X86_FEATURE_SMEP, 7, CPUID_EBX, 7 },
	{ X86_CR4_SMAP, X86_FEATURE_SMAP, 7, CPUID_EBX, 20 },
	{ X86_CR4_UMIP, X86_FEATURE_UMIP, 7, CPUID_ECX, 2 },
	{ X86_CR4_PKE, X86_FEATURE_PKU, 7, CPUID_ECX, 3 },
	{ X86_CR4_LA57, X86_FEATURE_LA57, 7, CPUID_ECX, 16 },
};

static u64 cr4_valid_bits(struct kvm_vcpu *vcpu)
{
	u64 bits = X86_CR4_VME | X86_CR4_PVI | X86_CR4_TSD | X86_CR4_DE |
		   X86_CR4_PSE | X86_CR4_PAE | X86_CR4_MCE | X86_CR4_PGE |
		   X86_CR4_PCE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
	int i;

	for (i = 0; i < ARRAY_SIZE(cr4_features); i++) {
		if (!boot_cpu_has(cr4_features[i].host_feature))
			continue;
		if (kvm_vcpu_cpuid_allows(vcpu, cr4_features[i].leaf, 0,
					  cr4_features[i].reg,
					  cr4_features[i].bit))
			bits |= cr4_features[i].cr4_bit;
	}
	return bits;
}

static bool sregs_valid(struct kvm_vcpu *vcpu, const struct kvm_sregs *s)
{
	if (s->cr4 & ~cr4_valid_bits(vcpu))
		return false;
	/* Not-write-through without cache-disable is a reserved combination. */
	if ((s->cr0 & X86_CR0_NW) && !(s->cr0 & X86_CR0_CD))
		return false;
	/* EFER.LMA must agree with EFER.LME and paging. */
	if ((s->efer & EFER_LME) && (s->cr0 & X86_CR0_PG)) {
		if (!(s->cr4 & X86_CR4_PAE) || !(s->efer & EFER_LMA))
			return false;
	} else if (s->efer & EFER_LMA) {
		return false;
	}
	/* Paging needs protection; CR0 bits 63:32 are reserved. */
	if ((s->cr0 & X86_CR0_PG) && !(s->cr0 & X86_CR0_PE))
		return false;
	if (s->cr0 >> 32)
		return false;
	return true;
}

int kvm_set_sregs(struct kvm_vcpu *vcpu, const struct kvm_sregs *s)
{
	const struct kvm_x86_ops *ops = kvm_x86_ops;

	if (!sregs_valid(vcpu, s))
		return -EINVAL;
	/* The APIC base is checked as a host write of the MSR would be. */
	if (kvm_set_msr(vcpu, MSR_IA32_APICBASE, s->apic_base, true))
		return -EINVAL;

	ops->set_dtable(vcpu, &s->gdt, false);
	ops->set_dtable(vcpu, &s->idt, true);
	ops->set_cr(vcpu, 2, s->cr2);
	ops->set_cr(vcpu, 3, s->cr3);
	ops->set_cr(vcpu, 8, s->cr8);
	ops->set_efer(vcpu, s->efer);
	ops->set_cr(vcpu, 4, s->cr4);
	ops->set_cr(vcpu, 0, s->cr0);
	if (kvm_vcpu_has_lapic(vcpu))
		kvm_lapic_set_cr8(vcpu, s->cr8);

	ops->set_segment(vcpu, &s->cs, VCPU_SREG_CS);
	ops->set_segment(vcpu, &s->ds, VCPU_SREG_DS);
	ops->set_segment(vcpu, &s->es, VCPU_SREG_ES);
	ops->set_segment(vcpu, &s->fs, VCPU_SREG_FS);
	ops->set_segment(vcpu, &s->gs, VCPU_SREG_GS);
	ops->set_segment(vcpu, &s->ss, VCPU_SREG_SS);
	ops->set_segment(vcpu, &s->tr, VCPU_SREG_TR);
	ops->set_segment(vcpu, &s->ldt, VCPU_SREG_LDTR);
	return 0;
}

enum x86_emul_mode kvm_vcpu_mode(struct kvm_vcpu *vcpu)
{
	struct kvm_segment cs;

	if (!(kvm_x86_ops->get_cr(vcpu, 0) & X86_CR0_PE))
		return X86EMUL_MODE_REAL;
	if (vcpu->arch.rflags & X86_EFLAGS_VM)
		return X86EMUL_MODE_VM86;
	kvm_x86_ops->get_segment(vcpu, &cs, VCPU_SREG_CS);
	if ((kvm_x86_ops->get_efer(vcpu) & EFER_LMA) && cs.l)
		return X86EMUL_MODE_PROT64;
	return cs.db ? X86EMUL_MODE_PROT32 : X86EMUL_MODE_PROT16;
}

u64 kvm_seg_base(struct kvm_vcpu *vcpu, int seg)
{
	struct kvm_segment s;

	/* In 64-bit mode only FS and GS have a base. */
	if (kvm_vcpu_mode(vcpu) == X86EMUL_MODE_PROT64 &&
	    seg != VCPU_SREG_FS && seg != VCPU_SREG_GS)
		return 0;
	kvm_x86_ops->get_segment(vcpu, &s, seg);
	return s.base;
}
