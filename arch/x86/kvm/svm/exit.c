// SPDX-License-Identifier: GPL-2.0-only
/*
 * #VMEXIT handling: each exit code is either handled here (the guest
 * resumes) or translated into the generic struct x86_exit for the shared
 * x86 layer.  QEMU's TCG SVM has neither NRIPS nor decode assists, so
 * instruction lengths come from the architecture (CPUID is two bytes,
 * HLT one) or, for I/O, from EXITINFO2, which always holds next-RIP.
 */
#include "svm/svm.h"

void svm_inject_exception(struct kvm_vcpu *vcpu, u8 vector, bool has_error,
			  u32 error)
{
	struct vmcb_control_area *c = &to_svm(vcpu)->vmcb->control;

	c->event_inj = vector | SVM_EVTINJ_TYPE_EXEPT | SVM_EVTINJ_VALID |
		       (has_error ? SVM_EVTINJ_VALID_ERR : 0);
	c->event_inj_err = error;
}

/*
 * An exit that interrupted the delivery of an event (say, an NPF while
 * pushing an exception frame) must deliver it again on the next entry.
 */
static void svm_reinject_event(struct vmcb_control_area *c)
{
	u32 info = c->exit_int_info;
	u32 type = info & SVM_EXITINTINFO_TYPE_MASK;

	if (!(info & SVM_EXITINTINFO_VALID))
		return;
	/* Software interrupts are re-executed by the guest instead. */
	if (type == SVM_EXITINTINFO_TYPE_SOFT)
		return;
	c->event_inj = info;
	c->event_inj_err = c->exit_int_info_err;
}

static void svm_decode_io(struct x86_exit *e, u64 info1, u64 info2)
{
	e->kind = X86_EXIT_IO;
	e->io.port = info1 >> 16;
	e->io.in = info1 & SVM_IOIO_TYPE_MASK;
	e->io.string = info1 & SVM_IOIO_STR_MASK;
	e->io.rep = info1 & SVM_IOIO_REP_MASK;
	/*
	 * One-hot fields: SZ8/SZ16/SZ32 read as 1/2/4, which is the size in
	 * bytes; A16/A32/A64 read as 1/2/4, half the address size in bytes.
	 */
	e->io.size = (info1 & SVM_IOIO_SIZE_MASK) >> SVM_IOIO_SIZE_SHIFT;
	e->io.ad_bytes = 2 * ((info1 & SVM_IOIO_ASIZE_MASK) >>
			      SVM_IOIO_ASIZE_SHIFT);
	e->io.next_rip = info2;
}

int svm_handle_exit(struct kvm_vcpu *vcpu)
{
	struct vcpu_svm *svm = to_svm(vcpu);
	struct vmcb_control_area *c = &svm->vmcb->control;
	struct x86_exit *e = &vcpu->arch.exit;
	u64 code = ((u64)c->exit_code_hi << 32) | c->exit_code;

	e->hw_reason = code;
	e->hw_info[0] = c->exit_info_1;
	e->hw_info[1] = c->exit_info_2;
	e->insn_len = 0;

	if (code == (u64)SVM_EXIT_ERR) {
		e->kind = X86_EXIT_FAIL_ENTRY;
		return 0;
	}
	svm_reinject_event(c);
	if (svm_nmi_step_done(svm, code))
		return 1;

	switch (code) {
	case SVM_EXIT_INTR:
	case SVM_EXIT_NMI:
	case SVM_EXIT_SMI:
	case SVM_EXIT_INIT:
		/* The host took its interrupt after STGI; just go back. */
		return 1;
	case SVM_EXIT_CPUID:
		e->kind = X86_EXIT_CPUID;
		e->insn_len = 2;
		return 0;
	case SVM_EXIT_HLT:
		e->kind = X86_EXIT_HLT;
		e->insn_len = 1;
		return 0;
	case SVM_EXIT_IOIO:
		svm_decode_io(e, c->exit_info_1, c->exit_info_2);
		return 0;
	case SVM_EXIT_MSR:
		e->kind = c->exit_info_1 ? X86_EXIT_WRMSR : X86_EXIT_RDMSR;
		e->insn_len = 2;
		return 0;
	case SVM_EXIT_NPF:
		e->kind = X86_EXIT_NPF;
		e->npf.gpa = c->exit_info_2;
		e->npf.error_code = c->exit_info_1;
		return 0;
	case SVM_EXIT_VINTR:
		svm_irq_window_exit(svm);
		return 1;
	case SVM_EXIT_IRET:
		svm_iret_exit(svm);
		return 1;
	case SVM_EXIT_READ_DR0 ... SVM_EXIT_WRITE_DR7:
		e->kind = X86_EXIT_DR;
		return 0;
	case SVM_EXIT_EXCP_BASE + AC_VECTOR:
		/* Intercepted only to break delivery loops: hand it back. */
		svm_inject_exception(vcpu, AC_VECTOR, true, c->exit_info_1);
		return 1;
	case SVM_EXIT_EXCP_BASE + 1:	/* #DB */
	case SVM_EXIT_EXCP_BASE + 3:	/* #BP */
		e->kind = X86_EXIT_DEBUG_EXC;
		e->exception.vector = code - SVM_EXIT_EXCP_BASE;
		e->exception.dr6 = svm->vmcb->save.dr6;
		return 0;
	case SVM_EXIT_XSETBV:
		e->kind = X86_EXIT_XSETBV;
		e->insn_len = 3;
		return 0;
	case SVM_EXIT_INVD:
		/* Dropping dirty cache lines is not the guest's to do. */
		kvm_skip_insn(vcpu, 2);
		return 1;
	case SVM_EXIT_RDPMC:
		/* No PMU is offered. */
		svm_inject_exception(vcpu, 13, true, 0);
		return 1;
	case SVM_EXIT_SHUTDOWN:
		/* The VMCB is undefined after a shutdown: start it afresh. */
		svm_vcpu_reset(vcpu);
		e->kind = X86_EXIT_SHUTDOWN;
		return 0;
	case SVM_EXIT_VMRUN:
	case SVM_EXIT_VMMCALL:
	case SVM_EXIT_VMLOAD:
	case SVM_EXIT_VMSAVE:
	case SVM_EXIT_STGI:
	case SVM_EXIT_CLGI:
	case SVM_EXIT_SKINIT:
	case SVM_EXIT_INVLPGA:
	case SVM_EXIT_MONITOR:
	case SVM_EXIT_MWAIT:
	case SVM_EXIT_MWAIT_COND:
	case SVM_EXIT_RDPRU:
		/* Not offered to the guest (no nested SVM, no hypercalls). */
		svm_inject_exception(vcpu, 6, false, 0);
		return 1;
	default:
		e->kind = X86_EXIT_UNHANDLED;
		return 0;
	}
}
