// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_SET_GUEST_DEBUG: single-stepping and breakpoints for a debugger in
 * userspace, reported as KVM_EXIT_DEBUG.
 *
 * Single-step sets RFLAGS.TF for the guest while it runs (and clears it
 * again afterwards unless the guest had set it itself); software
 * breakpoints intercept #BP; hardware breakpoints load the debugger's
 * DR0-DR3/DR7 around the entry, in place of the guest's.  The vendor
 * intercepts #DB and #BP while any of this is enabled.
 */
#include <linux/uaccess.h>
#include <asm/debugreg.h>
#include <asm/processor-flags.h>

#include "x86.h"

#define DR7_RESERVED_ONE	0x400ULL

#define GUESTDBG_VALID (KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP | \
			KVM_GUESTDBG_USE_SW_BP | KVM_GUESTDBG_USE_HW_BP | \
			KVM_GUESTDBG_INJECT_DB | KVM_GUESTDBG_INJECT_BP | \
			KVM_GUESTDBG_BLOCKIRQ)

int kvm_vcpu_set_guest_debug(struct kvm_vcpu *vcpu,
			     struct kvm_guest_debug __user *u)
{
	const struct kvm_x86_ops *ops = kvm_x86_ops;
	struct kvm_guest_debug dbg;
	struct x86_event ev = { .type = X86_EVENT_NONE };

	if (copy_from_user(&dbg, u, sizeof(dbg)))
		return -EFAULT;
	if (dbg.control & ~GUESTDBG_VALID)
		return -EINVAL;

	if (dbg.control & (KVM_GUESTDBG_INJECT_DB | KVM_GUESTDBG_INJECT_BP)) {
		if (ops->get_event)
			ops->get_event(vcpu, &ev);
		if (ev.type == X86_EVENT_EXCEPTION)
			return -EBUSY;
		kvm_x86_ops->inject_exception(vcpu,
			(dbg.control & KVM_GUESTDBG_INJECT_DB) ? 1 : 3,
			false, 0);
	}

	if (!(dbg.control & KVM_GUESTDBG_ENABLE))
		dbg.control = 0;
	vcpu->arch.guest_debug = dbg.control;
	memcpy(vcpu->arch.gdb_dr, dbg.arch.debugreg, sizeof(vcpu->arch.gdb_dr));
	if (ops->update_debug_intercepts)
		ops->update_debug_intercepts(vcpu);
	return 0;
}

/*
 * [irqoff] just before entry.  The guest's own breakpoints need its
 * DR0-DR3 in the hardware; the exit leaves DR7 disabled, and the host's
 * breakpoints, if it has any, are restored after the exit.
 */
void kvm_debug_before_entry(struct kvm_vcpu *vcpu)
{
	u32 dbg = vcpu->arch.guest_debug;

	if (likely(!dbg && !vcpu->arch.guest_bp_active))
		return;
	if (vcpu->arch.guest_bp_active && !(dbg & KVM_GUESTDBG_USE_HW_BP)) {
		set_debugreg(vcpu->arch.db[0], 0);
		set_debugreg(vcpu->arch.db[1], 1);
		set_debugreg(vcpu->arch.db[2], 2);
		set_debugreg(vcpu->arch.db[3], 3);
	}
	if (dbg & KVM_GUESTDBG_SINGLESTEP) {
		vcpu->arch.tf_added = !(vcpu->arch.rflags & X86_EFLAGS_TF);
		vcpu->arch.rflags |= X86_EFLAGS_TF;
	}
	if (dbg & KVM_GUESTDBG_USE_HW_BP) {
		vcpu->arch.guest_dr7 = kvm_x86_ops->get_dr(vcpu, 7);
		set_debugreg(vcpu->arch.gdb_dr[0], 0);
		set_debugreg(vcpu->arch.gdb_dr[1], 1);
		set_debugreg(vcpu->arch.gdb_dr[2], 2);
		set_debugreg(vcpu->arch.gdb_dr[3], 3);
		kvm_x86_ops->set_dr(vcpu, 7, vcpu->arch.gdb_dr[7] | DR7_RESERVED_ONE);
	}
}

/* [irqoff] right after the exit. */
void kvm_debug_after_exit(struct kvm_vcpu *vcpu)
{
	u32 dbg = vcpu->arch.guest_debug;

	if (likely(!dbg && !vcpu->arch.guest_bp_active))
		return;
	if (vcpu->arch.guest_bp_active && !(dbg & KVM_GUESTDBG_USE_HW_BP) &&
	    hw_breakpoint_active())
		hw_breakpoint_restore();
	if ((dbg & KVM_GUESTDBG_SINGLESTEP) && vcpu->arch.tf_added)
		vcpu->arch.rflags &= ~X86_EFLAGS_TF;
	if (dbg & KVM_GUESTDBG_USE_HW_BP) {
		kvm_x86_ops->set_dr(vcpu, 7, vcpu->arch.guest_dr7);
		/* Give the host back its own breakpoints, if it has any. */
		if (hw_breakpoint_active())
			hw_breakpoint_restore();
	}
}

/* #DB or #BP intercepted: report it, or give it back to the guest. */
int kvm_handle_debug_exception(struct kvm_vcpu *vcpu)
{
	struct x86_exit *e = &vcpu->arch.exit;
	struct kvm_run *run = vcpu->run;
	u32 dbg = vcpu->arch.guest_debug;
	u8 vector = e->exception.vector;

	if ((vector == 3 && (dbg & KVM_GUESTDBG_USE_SW_BP)) ||
	    (vector == 1 && (dbg & (KVM_GUESTDBG_SINGLESTEP |
				    KVM_GUESTDBG_USE_HW_BP)))) {
		run->exit_reason = KVM_EXIT_DEBUG;
		run->debug.arch.exception = vector;
		run->debug.arch.pad = 0;
		run->debug.arch.pc = kvm_seg_base(vcpu, VCPU_SREG_CS) +
				     vcpu->arch.rip;
		run->debug.arch.dr6 = e->exception.dr6;
		run->debug.arch.dr7 = dbg & KVM_GUESTDBG_USE_HW_BP ?
				      vcpu->arch.gdb_dr[7] :
				      kvm_x86_ops->get_dr(vcpu, 7);
		return 0;
	}
	/* Not the debugger's: deliver it as the guest would have seen it. */
	kvm_x86_ops->inject_exception(vcpu, vector, false, 0);
	return 1;
}
