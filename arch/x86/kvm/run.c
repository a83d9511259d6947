// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_RUN: the guest entry loop and the dispatch of exits the vendor
 * leaves to the shared x86 layer.
 *
 * Return convention of exit handlers: 1 = resume the guest, 0 = return
 * to userspace with vcpu->run describing why, < 0 = error for KVM_RUN.
 */
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/rcupdate.h>
#include <asm/fpu/api.h>
#include <asm/processor-flags.h>

#include "x86.h"
#include "irq.h"

/*
 * Debugging aid: log the next N exits (kind, hardware reason and
 * qualification, RIP) to the kernel log.  Set at load time or through
 * /sys/module/kvm/parameters/trace_exits; it counts down to zero.
 */
static unsigned int trace_exits;
module_param(trace_exits, uint, 0644);
MODULE_PARM_DESC(trace_exits, "Log this many upcoming VM exits (debugging)");

static void trace_exit(struct kvm_vcpu *vcpu, int handled)
{
	struct x86_exit *e = &vcpu->arch.exit;
	unsigned int left = READ_ONCE(trace_exits);

	if (likely(!left))
		return;
	WRITE_ONCE(trace_exits, left - 1);
	pr_info("kvm: vcpu%d exit hw=%#llx info=%#llx,%#llx kind=%d %s cs=%#llx rip=%#llx rflags=%#llx rax=%#llx\n",
		vcpu->vcpu_id, e->hw_reason, e->hw_info[0], e->hw_info[1],
		e->kind, handled ? "vendor" : "x86",
		kvm_seg_base(vcpu, VCPU_SREG_CS), vcpu->arch.rip,
		vcpu->arch.rflags, vcpu->arch.regs[X86_RAX]);
}

int kvm_internal_error(struct kvm_vcpu *vcpu, u32 suberror)
{
	struct kvm_run *run = vcpu->run;
	struct x86_exit *e = &vcpu->arch.exit;

	run->exit_reason = KVM_EXIT_INTERNAL_ERROR;
	run->internal.suberror = suberror;
	run->internal.ndata = 4;
	run->internal.data[0] = e->hw_reason;
	run->internal.data[1] = e->hw_info[0];
	run->internal.data[2] = e->hw_info[1];
	run->internal.data[3] = vcpu->arch.rip;
	return 0;
}

void kvm_skip_insn(struct kvm_vcpu *vcpu, u8 len)
{
	u64 rip = vcpu->arch.rip + len;

	if (kvm_vcpu_mode(vcpu) != X86EMUL_MODE_PROT64)
		rip = (u32)rip;
	kvm_retire_insn(vcpu, rip);
}
EXPORT_SYMBOL_GPL(kvm_skip_insn);

/*
 * An instruction finished outside the guest (skipped or emulated): an
 * STI or MOV SS shadow covered at most that instruction, so it is over.
 */
void kvm_retire_insn(struct kvm_vcpu *vcpu, u64 next_rip)
{
	vcpu->arch.rip = next_rip;
	if (kvm_x86_ops->set_interrupt_shadow)
		kvm_x86_ops->set_interrupt_shadow(vcpu, 0);
}

void kvm_inject_gp(struct kvm_vcpu *vcpu)
{
	kvm_x86_ops->inject_exception(vcpu, 13, true, 0);
}

void kvm_inject_ud(struct kvm_vcpu *vcpu)
{
	kvm_x86_ops->inject_exception(vcpu, 6, false, 0);
}

static int handle_npf(struct kvm_vcpu *vcpu)
{
	struct x86_exit *e = &vcpu->arch.exit;
	int r;

	r = kvm_tdp_page_fault(vcpu, e->npf.gpa, e->npf.error_code);
	if (r < 0) {
		/* The slot's userspace mapping is gone or inaccessible. */
		return r;
	}
	if (r == TDP_FAULT_MMIO)
		return kvm_emulate_mmio(vcpu);
	return 1;
}

int kvm_handle_x86_exit(struct kvm_vcpu *vcpu)
{
	struct x86_exit *e = &vcpu->arch.exit;
	struct kvm_run *run = vcpu->run;

	switch (e->kind) {
	case X86_EXIT_IO:
		return kvm_handle_io(vcpu);
	case X86_EXIT_NPF:
		return handle_npf(vcpu);
	case X86_EXIT_HLT:
		kvm_skip_insn(vcpu, e->insn_len);
		/* With an in-kernel LAPIC the run loop does the waiting. */
		if (kvm_vcpu_has_lapic(vcpu)) {
			vcpu->arch.mp_state = KVM_MP_STATE_HALTED;
			return 1;
		}
		run->exit_reason = KVM_EXIT_HLT;
		return 0;
	case X86_EXIT_CPUID:
		kvm_emulate_cpuid(vcpu);
		kvm_skip_insn(vcpu, e->insn_len);
		return 1;
	case X86_EXIT_RDMSR:
		return kvm_emulate_msr(vcpu, false);
	case X86_EXIT_WRMSR:
		return kvm_emulate_msr(vcpu, true);
	case X86_EXIT_DR:
		return kvm_emulate_mov_dr(vcpu);
	case X86_EXIT_XSETBV:
		return kvm_emulate_xsetbv(vcpu);
	case X86_EXIT_DEBUG_EXC:
		return kvm_handle_debug_exception(vcpu);
	case X86_EXIT_SHUTDOWN:
		run->exit_reason = KVM_EXIT_SHUTDOWN;
		return 0;
	case X86_EXIT_FAIL_ENTRY:
		run->exit_reason = KVM_EXIT_FAIL_ENTRY;
		run->fail_entry.hardware_entry_failure_reason = e->hw_reason;
		run->fail_entry.cpu = raw_smp_processor_id();
		return 0;
	case X86_EXIT_UNHANDLED:
	default:
		return kvm_internal_error(vcpu,
				KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON);
	}
}

/* Finish what the last exit to userspace left half done. */
static int complete_userspace_exit(struct kvm_vcpu *vcpu)
{
	switch (vcpu->arch.completion) {
	case X86_COMPLETE_NONE:
		return 1;
	case X86_COMPLETE_MMIO_READ:
		return kvm_complete_mmio(vcpu);
	case X86_COMPLETE_RDMSR:
	case X86_COMPLETE_WRMSR:
		return kvm_complete_msr(vcpu);
	default:
		return kvm_complete_pio(vcpu);
	}
}

/*
 * Requests that only say "look again": interrupts and INIT/SIPI are
 * looked at before every entry and in every wait anyway.  An NMI from
 * the APIC bus becomes pending here.
 */
static void take_event_requests(struct kvm_vcpu *vcpu)
{
	if (kvm_check_request(vcpu, KVM_REQ_NMI))
		vcpu->arch.nmi_pending = true;
	kvm_check_request(vcpu, KVM_REQ_EVENT);
	kvm_check_request(vcpu, KVM_REQ_KICK);
}

static void handle_requests(struct kvm_vcpu *vcpu)
{
	if (kvm_check_request(vcpu, KVM_REQ_TLB_FLUSH))
		kvm_x86_ops->flush_tlb(vcpu);
	if (kvm_check_request(vcpu, KVM_REQ_CLOCK_UPDATE)) {
		int idx = srcu_read_lock(&vcpu->kvm->srcu);

		kvm_update_kvmclock(vcpu);
		srcu_read_unlock(&vcpu->kvm->srcu, idx);
	}
	take_event_requests(vcpu);
}

/* One guest entry; returns like an exit handler. */
static int vcpu_enter_guest(struct kvm_vcpu *vcpu)
{
	int r, idx;

	if (READ_ONCE(vcpu->requests))
		handle_requests(vcpu);
	if (kvm_vcpu_has_lapic(vcpu)) {
		kvm_process_init_sipi(vcpu);
		if (vcpu->arch.mp_state != KVM_MP_STATE_RUNNABLE)
			return 1;	/* the run loop waits */
		kvm_x86_ops->set_cr(vcpu, 8, kvm_lapic_get_cr8(vcpu));
	}
	kvm_inject_pending_events(vcpu);

	preempt_disable();
	/*
	 * If the thread was scheduled out since KVM_RUN swapped the guest
	 * FPU state in, the registers now hold another task's state and
	 * the guest's is in memory: load it back before entering.
	 */
	if (test_thread_flag(TIF_NEED_FPU_LOAD))
		switch_fpu_return();
	local_irq_disable();
	/* Pairs with the barrier in kvm_vcpu_kick()/remote flushes. */
	smp_store_mb(vcpu->mode, IN_GUEST_MODE);
	if (READ_ONCE(vcpu->requests) || need_resched() ||
	    signal_pending(current)) {
		WRITE_ONCE(vcpu->mode, OUTSIDE_GUEST_MODE);
		local_irq_enable();
		preempt_enable();
		return 1;
	}

	/* Guest time is a quiescent state for RCU, as user time is. */
	rcu_note_context_switch(false);
	current->flags |= PF_VCPU;
	kvm_load_guest_xcr0(vcpu);
	kvm_debug_before_entry(vcpu);
	vcpu->arch.ran = true;
	kvm_x86_ops->run(vcpu);
	kvm_debug_after_exit(vcpu);
	kvm_put_guest_xcr0(vcpu);
	current->flags &= ~PF_VCPU;

	WRITE_ONCE(vcpu->mode, OUTSIDE_GUEST_MODE);
	local_irq_enable();
	preempt_enable();

	/* The guest may have moved its TPR through CR8 without an exit. */
	if (kvm_vcpu_has_lapic(vcpu))
		kvm_lapic_set_cr8(vcpu, kvm_x86_ops->get_cr(vcpu, 8));

	/*
	 * Memory slots are looked up only while handling exits: holding
	 * kvm->srcu across guest execution would stall slot updates.
	 */
	idx = srcu_read_lock(&vcpu->kvm->srcu);
	r = kvm_x86_ops->handle_exit(vcpu);
	trace_exit(vcpu, r);
	if (r == 0)
		r = kvm_handle_x86_exit(vcpu);
	srcu_read_unlock(&vcpu->kvm->srcu, idx);
	return r;
}

/* What ends HLT: an NMI, or an interrupt the guest can take. */
static bool halted_vcpu_has_work(struct kvm_vcpu *vcpu)
{
	return vcpu->arch.nmi_pending ||
	       (kvm_cpu_has_interrupt(vcpu) &&
		kvm_x86_ops->interrupt_allowed(vcpu));
}

/*
 * What ends a wait in HLT or for SIPI.  Called with the task state set
 * for sleeping, so it must not sleep itself: the PIC's spinlock is fine.
 */
static bool vcpu_wake_condition(struct kvm_vcpu *vcpu)
{
	unsigned long req = READ_ONCE(vcpu->requests);

	if (signal_pending(current) || kvm_apic_has_init_sipi(vcpu))
		return true;
	if (req & (BIT(KVM_REQ_NMI) | BIT(KVM_REQ_EVENT) | BIT(KVM_REQ_KICK)))
		return true;
	return vcpu->arch.mp_state == KVM_MP_STATE_HALTED &&
	       halted_vcpu_has_work(vcpu);
}

/*
 * The vCPU is halted or waits for INIT/SIPI: sleep until that changes.
 * Returns 1 when it can run, or -EINTR (KVM_EXIT_INTR) for a signal;
 * the state it waits in is kept for the next KVM_RUN.
 */
static int vcpu_block(struct kvm_vcpu *vcpu)
{
	for (;;) {
		kvm_process_init_sipi(vcpu);
		take_event_requests(vcpu);
		if (vcpu->arch.mp_state == KVM_MP_STATE_HALTED &&
		    halted_vcpu_has_work(vcpu))
			vcpu->arch.mp_state = KVM_MP_STATE_RUNNABLE;
		if (vcpu->arch.mp_state == KVM_MP_STATE_RUNNABLE)
			return 1;
		if (signal_pending(current)) {
			vcpu->run->exit_reason = KVM_EXIT_INTR;
			return -EINTR;
		}
		rcuwait_wait_event(&vcpu->wait, vcpu_wake_condition(vcpu),
				   TASK_INTERRUPTIBLE);
	}
}

static void sync_run_state(struct kvm_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;

	run->if_flag = !!(vcpu->arch.rflags & X86_EFLAGS_IF);
	run->cr8 = kvm_vcpu_has_lapic(vcpu) ? kvm_lapic_get_cr8(vcpu) :
					      kvm_x86_ops->get_cr(vcpu, 8);
	run->apic_base = vcpu->arch.apic_base;
	run->ready_for_interrupt_injection = kvm_ready_for_interrupt(vcpu);
	run->flags = 0;
}

static int wait_for_init(struct kvm_vcpu *vcpu)
{
	rcuwait_wait_event(&vcpu->wait,
			   signal_pending(current) ||
			   kvm_apic_has_init_sipi(vcpu) ||
			   vcpu->arch.mp_state != KVM_MP_STATE_UNINITIALIZED,
			   TASK_INTERRUPTIBLE);
	kvm_process_init_sipi(vcpu);
	if (signal_pending(current)) {
		vcpu->run->exit_reason = KVM_EXIT_INTR;
		return -EINTR;
	}
	return -EAGAIN;
}

/*
 * Userspace injects interrupts itself and waits for the guest to take
 * one; with the in-kernel PIC the request is ignored, as in-tree.
 */
static bool wants_window(struct kvm_vcpu *vcpu)
{
	return vcpu->run->request_interrupt_window &&
	       !kvm_vcpu_has_lapic(vcpu) && kvm_ready_for_interrupt(vcpu);
}

int kvm_arch_vcpu_run(struct kvm_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	int r, idx;

	fpu_swap_kvm_fpstate(&vcpu->arch.guest_fpu, true);
	/* Without an in-kernel LAPIC, userspace owns the TPR. */
	if (!kvm_vcpu_has_lapic(vcpu))
		kvm_x86_ops->set_cr(vcpu, 8, run->cr8);

	/*
	 * A vCPU that never got INIT waits for it here and then returns
	 * EAGAIN (the VMM runs it again), as in-tree.
	 */
	if (kvm_vcpu_has_lapic(vcpu) &&
	    vcpu->arch.mp_state == KVM_MP_STATE_UNINITIALIZED) {
		r = wait_for_init(vcpu);
		goto out;
	}

	/* Pending operations complete even with immediate_exit set. */
	idx = srcu_read_lock(&vcpu->kvm->srcu);
	r = complete_userspace_exit(vcpu);
	srcu_read_unlock(&vcpu->kvm->srcu, idx);
	if (r <= 0)
		goto out;

	/* As in-tree: EINTR, and exit_reason is left as it was. */
	if (READ_ONCE(run->immediate_exit)) {
		r = -EINTR;
		goto out;
	}

	/* Userspace waits for a window that is already open. */
	if (wants_window(vcpu)) {
		run->exit_reason = KVM_EXIT_IRQ_WINDOW_OPEN;
		r = 0;
		goto out;
	}

	for (;;) {
		if (kvm_vcpu_has_lapic(vcpu) &&
		    vcpu->arch.mp_state != KVM_MP_STATE_RUNNABLE)
			r = vcpu_block(vcpu);
		else
			r = vcpu_enter_guest(vcpu);
		if (r <= 0)
			break;
		if (wants_window(vcpu)) {
			run->exit_reason = KVM_EXIT_IRQ_WINDOW_OPEN;
			r = 0;
			break;
		}
		if (signal_pending(current)) {
			run->exit_reason = KVM_EXIT_INTR;
			r = -EINTR;
			break;
		}
		cond_resched();
	}
out:
	fpu_swap_kvm_fpstate(&vcpu->arch.guest_fpu, false);
	sync_run_state(vcpu);
	return r;
}
