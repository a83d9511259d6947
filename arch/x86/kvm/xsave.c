// SPDX-License-Identifier: GPL-2.0-only
/*
 * XSAVE-managed state: the guest's XCR0 (XSETBV, KVM_GET/SET_XCRS), the
 * XCR0 switch around guest entry, and KVM_GET/SET_XSAVE through the
 * kernel's guest-FPU API.
 *
 * The guest runs with its own XCR0 only between kvm_load_guest_xcr0()
 * and kvm_put_guest_xcr0(), both with interrupts disabled, so no host
 * code ever executes XSAVE/XRSTOR with the guest's XCR0.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/cpufeature.h>
#include <asm/fpu/api.h>
#include <asm/fpu/types.h>
#include <asm/fpu/xcr.h>

#include "x86.h"

/* The static components offered to guests; AMX and MPX are not. */
#define GUEST_XFEATURES (XFEATURE_MASK_FP | XFEATURE_MASK_SSE | \
			 XFEATURE_MASK_YMM | XFEATURE_MASK_OPMASK | \
			 XFEATURE_MASK_ZMM_Hi256 | XFEATURE_MASK_Hi16_ZMM)
#define AVX512_MASK	(XFEATURE_MASK_OPMASK | XFEATURE_MASK_ZMM_Hi256 | \
			 XFEATURE_MASK_Hi16_ZMM)

static u64 host_xcr0;

void kvm_xsave_init(void)
{
	host_xcr0 = boot_cpu_has(X86_FEATURE_XSAVE) ?
		    xgetbv(XCR_XFEATURE_ENABLED_MASK) : 0;
}

u64 kvm_supported_xcr0(void)
{
	return host_xcr0 & GUEST_XFEATURES;
}

/* The XCR0 values the architecture allows, within what we support. */
static bool xcr0_valid(u64 xcr0)
{
	if (!(xcr0 & XFEATURE_MASK_FP))
		return false;
	if (xcr0 & ~kvm_supported_xcr0())
		return false;
	if ((xcr0 & XFEATURE_MASK_YMM) && !(xcr0 & XFEATURE_MASK_SSE))
		return false;
	if ((xcr0 & AVX512_MASK) &&
	    ((xcr0 & AVX512_MASK) != AVX512_MASK ||
	     !(xcr0 & XFEATURE_MASK_YMM)))
		return false;
	return true;
}

/*
 * [irqoff] before entry.  Loaded whatever the guest's CR4.OSXSAVE: XCR0
 * has no effect while OSXSAVE is clear, and a guest that sets OSXSAVE
 * (CR4 writes do not exit) must find its own XCR0 at once.
 */
void kvm_load_guest_xcr0(struct kvm_vcpu *vcpu)
{
	if (host_xcr0 && vcpu->arch.xcr0 != host_xcr0) {
		xsetbv(XCR_XFEATURE_ENABLED_MASK, vcpu->arch.xcr0);
		vcpu->arch.xcr0_loaded = true;
	}
}

/*
 * [irqoff] after exit.  XSETBV is intercepted, so XCR0 should still hold
 * what we loaded; but an emulated CPU (QEMU's TCG SVM) may not honour
 * the intercept and let the guest write XCR0 directly.  The host must
 * never run on with a guest's XCR0, so the register is read back: a
 * value the guest set behind our back becomes its XCR0, and the host's
 * is restored.
 */
void kvm_put_guest_xcr0(struct kvm_vcpu *vcpu)
{
	u64 cur;

	if (!host_xcr0)
		return;
	cur = xgetbv(XCR_XFEATURE_ENABLED_MASK);
	if (cur != vcpu->arch.xcr0 && xcr0_valid(cur))
		vcpu->arch.xcr0 = cur;
	if (cur != host_xcr0)
		xsetbv(XCR_XFEATURE_ENABLED_MASK, host_xcr0);
	vcpu->arch.xcr0_loaded = false;
}

/* The guest executed XSETBV (CR4.OSXSAVE is set, or it would #UD). */
int kvm_emulate_xsetbv(struct kvm_vcpu *vcpu)
{
	u64 *g = vcpu->arch.regs;
	u64 val = (g[X86_RDX] << 32) | (u32)g[X86_RAX];

	if (kvm_x86_ops->get_cpl(vcpu) || (u32)g[X86_RCX] != 0 ||
	    !xcr0_valid(val)) {
		kvm_inject_gp(vcpu);
		return 1;
	}
	vcpu->arch.xcr0 = val;
	kvm_skip_insn(vcpu, vcpu->arch.exit.insn_len);
	return 1;
}

int kvm_vcpu_get_xcrs(struct kvm_vcpu *vcpu, struct kvm_xcrs __user *u)
{
	struct kvm_xcrs x;

	memset(&x, 0, sizeof(x));
	x.nr_xcrs = 1;
	x.xcrs[0].xcr = XCR_XFEATURE_ENABLED_MASK;
	x.xcrs[0].value = vcpu->arch.xcr0;
	return copy_to_user(u, &x, sizeof(x)) ? -EFAULT : 0;
}

int kvm_vcpu_set_xcrs(struct kvm_vcpu *vcpu, struct kvm_xcrs __user *u)
{
	struct kvm_xcrs x;
	u32 i;

	if (copy_from_user(&x, u, sizeof(x)))
		return -EFAULT;
	if (x.nr_xcrs > KVM_MAX_XCRS || x.flags)
		return -EINVAL;
	for (i = 0; i < x.nr_xcrs; i++) {
		if (x.xcrs[i].xcr != XCR_XFEATURE_ENABLED_MASK ||
		    !xcr0_valid(x.xcrs[i].value))
			return -EINVAL;
	}
	for (i = 0; i < x.nr_xcrs; i++)
		vcpu->arch.xcr0 = x.xcrs[i].value;
	return 0;
}

int kvm_vcpu_get_xsave(struct kvm_vcpu *vcpu, struct kvm_xsave __user *u)
{
	struct kvm_xsave *x;
	int r = 0;

	x = kzalloc(sizeof(*x), GFP_KERNEL);
	if (!x)
		return -ENOMEM;
	/* PKRU is not offered to guests: it reads as zero. */
	fpu_copy_guest_fpstate_to_uabi(&vcpu->arch.guest_fpu, x->region,
				       sizeof(x->region),
				       kvm_supported_xcr0() | XFEATURE_MASK_FPSSE,
				       0);
	if (copy_to_user(u, x, sizeof(*x)))
		r = -EFAULT;
	kfree(x);
	return r;
}

int kvm_vcpu_set_xsave(struct kvm_vcpu *vcpu, struct kvm_xsave __user *u)
{
	struct kvm_xsave *x;
	u32 pkru = 0;
	int r;

	x = memdup_user(u, sizeof(*x));
	if (IS_ERR(x))
		return PTR_ERR(x);
	r = fpu_copy_uabi_to_guest_fpstate(&vcpu->arch.guest_fpu, x->region,
					   kvm_supported_xcr0(), &pkru);
	kfree(x);
	return r;
}
