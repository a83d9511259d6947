// SPDX-License-Identifier: GPL-2.0-only
/*
 * Debug registers.  Every MOV to or from a debug register exits and is
 * emulated here against the vCPU's copy; DR6 and DR7 live with the
 * vendor, which loads them on entry, and the guest's DR0-DR3 go into the
 * hardware around entries only while its DR7 enables a breakpoint (see
 * kvm_debug_before_entry()).  Also KVM_GET/SET_DEBUGREGS.
 */
#include <linux/uaccess.h>
#include <asm/processor-flags.h>

#include "x86.h"

#define DR6_FIXED_1	0xffff0ff0ULL
#define DR7_FIXED_1	0x400ULL

u64 kvm_get_dr(struct kvm_vcpu *vcpu, int dr)
{
	if (dr < 4)
		return vcpu->arch.db[dr];
	return kvm_x86_ops->get_dr(vcpu, dr);
}

#define DR7_ENABLE_BITS	0xffULL		/* L0, G0 ... L3, G3 */

static void update_guest_bp(struct kvm_vcpu *vcpu)
{
	vcpu->arch.guest_bp_active =
		!!(kvm_x86_ops->get_dr(vcpu, 7) & DR7_ENABLE_BITS);
}

/* 0, or 1 if the value is invalid (#GP). */
static int kvm_set_dr(struct kvm_vcpu *vcpu, int dr, u64 val)
{
	if (dr < 4) {
		vcpu->arch.db[dr] = val;
		return 0;
	}
	if (val >> 32)
		return 1;
	if (dr == 6)
		val |= DR6_FIXED_1;
	else
		val |= DR7_FIXED_1;
	kvm_x86_ops->set_dr(vcpu, dr, val);
	if (dr == 7)
		update_guest_bp(vcpu);
	return 0;
}

#define DR7_GD		BIT_ULL(13)	/* general detect: MOV DR faults */
#define DR6_BD		BIT_ULL(13)	/* ... and this says why */

/*
 * A debugger's DR7 with GD (KVM_GUESTDBG_USE_HW_BP): the MOV DR is
 * reported as the #DB it would raise, before it executes.
 */
static bool general_detect(struct kvm_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;

	if (!(vcpu->arch.guest_debug & KVM_GUESTDBG_USE_HW_BP) ||
	    !(vcpu->arch.gdb_dr[7] & DR7_GD))
		return false;
	run->exit_reason = KVM_EXIT_DEBUG;
	run->debug.arch.exception = 1;
	run->debug.arch.pad = 0;
	run->debug.arch.pc = kvm_seg_base(vcpu, VCPU_SREG_CS) + vcpu->arch.rip;
	run->debug.arch.dr6 = DR6_FIXED_1 | DR6_BD;
	run->debug.arch.dr7 = vcpu->arch.gdb_dr[7];
	return true;
}

/* MOV r, DRn (0F 21 /r) or MOV DRn, r (0F 23 /r). */
int kvm_emulate_mov_dr(struct kvm_vcpu *vcpu)
{
	bool long_mode = kvm_vcpu_mode(vcpu) == X86EMUL_MODE_PROT64;
	u8 b[15];
	u8 rex = 0, modrm;
	int i = 0, dr, gpr;
	u64 la;

	la = kvm_seg_base(vcpu, VCPU_SREG_CS) +
	     (long_mode ? vcpu->arch.rip : (u32)vcpu->arch.rip);
	if (kvm_read_guest_linear(vcpu, la, b, 4) &&
	    kvm_read_guest_linear(vcpu, la, b, 3))
		return kvm_internal_error(vcpu, KVM_INTERNAL_ERROR_EMULATION);
	if (long_mode && (b[0] & 0xf0) == 0x40)
		rex = b[i++];
	if (b[i] != 0x0f || (b[i + 1] != 0x21 && b[i + 1] != 0x23))
		return kvm_internal_error(vcpu, KVM_INTERNAL_ERROR_EMULATION);
	modrm = b[i + 2];
	dr = (modrm >> 3) & 7;
	gpr = (modrm & 7) | ((rex & 1) << 3);

	if (rex & 4) {			/* DR8-DR15 do not exist */
		kvm_inject_ud(vcpu);
		return 1;
	}
	if (dr == 4 || dr == 5) {
		if (kvm_x86_ops->get_cr(vcpu, 4) & X86_CR4_DE) {
			kvm_inject_ud(vcpu);
			return 1;
		}
		dr += 2;
	}
	if (kvm_x86_ops->get_cpl(vcpu)) {
		kvm_inject_gp(vcpu);
		return 1;
	}
	if (general_detect(vcpu))
		return 0;
	if (kvm_x86_ops->get_dr(vcpu, 7) & DR7_GD) {
		/* The guest's own DR7.GD: #DB, and the CPU clears GD. */
		kvm_x86_ops->set_dr(vcpu, 7,
				    kvm_x86_ops->get_dr(vcpu, 7) & ~DR7_GD);
		kvm_x86_ops->set_dr(vcpu, 6,
				    kvm_x86_ops->get_dr(vcpu, 6) | DR6_BD);
		kvm_x86_ops->inject_exception(vcpu, 1, false, 0);
		return 1;
	}

	if (b[i + 1] == 0x21) {
		u64 v = kvm_get_dr(vcpu, dr);

		vcpu->arch.regs[gpr] = long_mode ? v : (u32)v;
	} else {
		u64 v = vcpu->arch.regs[gpr];

		if (kvm_set_dr(vcpu, dr, long_mode ? v : (u32)v)) {
			kvm_inject_gp(vcpu);
			return 1;
		}
	}
	kvm_skip_insn(vcpu, i + 3);
	return 1;
}

int kvm_vcpu_get_debugregs(struct kvm_vcpu *vcpu,
			   struct kvm_debugregs __user *u)
{
	struct kvm_debugregs d;

	memset(&d, 0, sizeof(d));
	memcpy(d.db, vcpu->arch.db, sizeof(d.db));
	d.dr6 = kvm_get_dr(vcpu, 6);
	d.dr7 = kvm_get_dr(vcpu, 7);
	return copy_to_user(u, &d, sizeof(d)) ? -EFAULT : 0;
}

int kvm_vcpu_set_debugregs(struct kvm_vcpu *vcpu,
			   struct kvm_debugregs __user *u)
{
	struct kvm_debugregs d;

	if (copy_from_user(&d, u, sizeof(d)))
		return -EFAULT;
	if (d.flags || (d.dr6 >> 32) || (d.dr7 >> 32))
		return -EINVAL;
	/* Userspace's values are taken as they are (fixed bits included). */
	memcpy(vcpu->arch.db, d.db, sizeof(d.db));
	kvm_x86_ops->set_dr(vcpu, 6, d.dr6);
	kvm_x86_ops->set_dr(vcpu, 7, d.dr7);
	update_guest_bp(vcpu);
	return 0;
}
