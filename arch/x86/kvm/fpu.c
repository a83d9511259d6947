// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest FPU state for userspace: KVM_GET/SET_FPU.
 *
 * The guest's registers live in the kernel's guest fpstate
 * (vcpu->arch.guest_fpu), swapped in and out around KVM_RUN with
 * fpu_swap_kvm_fpstate(), so no host value reaches the guest and no
 * guest value the host.  Outside KVM_RUN the image in memory is current,
 * which is what these ioctls read and write.  The legacy FXSAVE region
 * sits at the start of the image in both the FXSAVE and XSAVE formats.
 */
#include <linux/uaccess.h>
#include <asm/fpu/types.h>
#include <asm/fpu/xcr.h>

#include "x86.h"

static struct fxregs_state *guest_fx(struct kvm_vcpu *vcpu)
{
	return &vcpu->arch.guest_fpu.fpstate->regs.fxsave;
}

int kvm_vcpu_get_fpu(struct kvm_vcpu *vcpu, struct kvm_fpu __user *u)
{
	struct fxregs_state *fx = guest_fx(vcpu);
	struct kvm_fpu f;

	memset(&f, 0, sizeof(f));
	memcpy(f.fpr, fx->st_space, sizeof(f.fpr));
	f.fcw = fx->cwd;
	f.fsw = fx->swd;
	f.ftwx = fx->twd;
	f.last_opcode = fx->fop;
	f.last_ip = fx->rip;
	f.last_dp = fx->rdp;
	memcpy(f.xmm, fx->xmm_space, sizeof(f.xmm));
	/* MXCSR is not part of this ioctl on in-tree KVM: it reads as 0. */
	return copy_to_user(u, &f, sizeof(f)) ? -EFAULT : 0;
}

int kvm_vcpu_set_fpu(struct kvm_vcpu *vcpu, struct kvm_fpu __user *u)
{
	struct fpstate *fps = vcpu->arch.guest_fpu.fpstate;
	struct fxregs_state *fx = guest_fx(vcpu);
	struct kvm_fpu f;

	if (copy_from_user(&f, u, sizeof(f)))
		return -EFAULT;

	memcpy(fx->st_space, f.fpr, sizeof(f.fpr));
	fx->cwd = f.fcw;
	fx->swd = f.fsw;
	fx->twd = f.ftwx;
	fx->fop = f.last_opcode;
	fx->rip = f.last_ip;
	fx->rdp = f.last_dp;
	memcpy(fx->xmm_space, f.xmm, sizeof(f.xmm));
	/* MXCSR is left alone (see kvm_vcpu_get_fpu()); XSAVE carries it. */
	/* In XSAVE format, mark x87 and SSE state as present. */
	if (boot_cpu_has(X86_FEATURE_XSAVE))
		fps->regs.xsave.header.xfeatures |= XFEATURE_MASK_FPSSE;
	return 0;
}
