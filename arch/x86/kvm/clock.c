// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest time: the VM clock (KVM_GET/SET_CLOCK), the TSC frequency
 * (KVM_GET/SET_TSC_KHZ) and kvmclock, the paravirtual clock a guest
 * enables with MSR_KVM_SYSTEM_TIME(_NEW).
 *
 * The VM clock is the host's boot-time clock plus a per-VM offset.  A
 * vCPU's kvmclock page holds a snapshot (guest TSC, VM clock) and the
 * scale from TSC ticks to nanoseconds; the guest extrapolates from it.
 * The page is rewritten only when the guest (re)enables it or the VM
 * clock is set, each time from one consistent snapshot, with the
 * version field odd while the page changes.
 */
#include <linux/math64.h>
#include <linux/time64.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <asm/kvm_para.h>
#include <asm/pvclock-abi.h>
#include <asm/tsc.h>

#include "x86.h"

#define KVMCLOCK_ENABLE		BIT_ULL(0)
#define TSC_KHZ_TOLERANCE_PPM	250

u64 kvm_vm_clock_ns(struct kvm *kvm)
{
	return ktime_get_boottime_ns() + kvm->arch.clock_offset;
}

/*
 * ns = ((ticks << shift) * mul) >> 32, with ticks at @khz: pick the shift
 * that brings the rate into (1e9, 2e9] ticks per second, so mul is in
 * [2^31, 2^32) and keeps full precision.
 */
static void pvclock_scale(u32 khz, s8 *shift, u32 *mul)
{
	u64 tps = (u64)khz * 1000;
	int s = 0;

	while (tps > 2 * NSEC_PER_SEC) {
		tps >>= 1;
		s--;
	}
	while (tps <= NSEC_PER_SEC) {
		tps <<= 1;
		s++;
	}
	*shift = s;
	*mul = div64_u64((u64)NSEC_PER_SEC << 32, tps);
}

/* Rewrite this vCPU's kvmclock page, if the guest enabled one. */
void kvm_update_kvmclock(struct kvm_vcpu *vcpu)
{
	struct pvclock_vcpu_time_info p = { };
	u64 msr = vcpu->arch.pv_system_time;
	u64 gpa = msr & ~KVMCLOCK_ENABLE;
	unsigned long flags;

	if (!(msr & KVMCLOCK_ENABLE))
		return;
	if (kvm_read_guest(vcpu->kvm, gpa, &p.version, sizeof(p.version)))
		return;

	p.version = (p.version + 1) | 1;	/* odd: being updated */
	if (kvm_write_guest(vcpu->kvm, gpa, &p.version, sizeof(p.version)))
		return;
	smp_wmb();

	local_irq_save(flags);
	p.tsc_timestamp = kvm_read_guest_tsc(vcpu);
	p.system_time = kvm_vm_clock_ns(vcpu->kvm);
	local_irq_restore(flags);
	pvclock_scale(vcpu->arch.tsc_khz, &p.tsc_shift,
		      &p.tsc_to_system_mul);
	if (boot_cpu_has(X86_FEATURE_CONSTANT_TSC) &&
	    boot_cpu_has(X86_FEATURE_NONSTOP_TSC))
		p.flags = PVCLOCK_TSC_STABLE_BIT;
	kvm_write_guest(vcpu->kvm, gpa + sizeof(p.version),
			(u8 *)&p + sizeof(p.version),
			sizeof(p) - sizeof(p.version));
	smp_wmb();
	p.version++;				/* even: stable */
	kvm_write_guest(vcpu->kvm, gpa, &p.version, sizeof(p.version));
}

/* MSR_KVM_WALL_CLOCK(_NEW): the wall time at which the VM clock was 0. */
int kvm_write_wall_clock(struct kvm_vcpu *vcpu, u64 gpa)
{
	struct pvclock_wall_clock w = { };
	u64 boot_ns;
	u32 rem;

	if (kvm_read_guest(vcpu->kvm, gpa, &w.version, sizeof(w.version)))
		return 0;	/* like hardware, a bad address is ignored */
	w.version = (w.version + 1) | 1;
	kvm_write_guest(vcpu->kvm, gpa, &w.version, sizeof(w.version));
	smp_wmb();
	boot_ns = ktime_get_real_ns() - kvm_vm_clock_ns(vcpu->kvm);
	w.sec = div_u64_rem(boot_ns, NSEC_PER_SEC, &rem);
	w.nsec = rem;
	kvm_write_guest(vcpu->kvm, gpa + sizeof(w.version), &w.sec,
			sizeof(w) - sizeof(w.version));
	smp_wmb();
	w.version++;
	kvm_write_guest(vcpu->kvm, gpa, &w.version, sizeof(w.version));
	return 0;
}

int kvm_vm_get_clock(struct kvm *kvm, struct kvm_clock_data __user *u)
{
	struct kvm_clock_data d;
	unsigned long flags;

	memset(&d, 0, sizeof(d));
	local_irq_save(flags);
	d.clock = kvm_vm_clock_ns(kvm);
	d.realtime = ktime_get_real_ns();
	d.host_tsc = rdtsc();
	local_irq_restore(flags);
	d.flags = KVM_CLOCK_REALTIME | KVM_CLOCK_HOST_TSC;
	return copy_to_user(u, &d, sizeof(d)) ? -EFAULT : 0;
}

int kvm_vm_set_clock(struct kvm *kvm, struct kvm_clock_data __user *u)
{
	struct kvm_clock_data d;
	struct kvm_vcpu *vcpu;
	unsigned long i;
	u64 now;

	if (copy_from_user(&d, u, sizeof(d)))
		return -EFAULT;
	if (d.flags & ~KVM_CLOCK_REALTIME)
		return -EINVAL;

	mutex_lock(&kvm->lock);
	now = ktime_get_boottime_ns();
	if (d.flags & KVM_CLOCK_REALTIME) {
		u64 real = ktime_get_real_ns();

		/* Account for the time that passed since @d was taken. */
		if (real > d.realtime)
			d.clock += real - d.realtime;
	}
	kvm->arch.clock_offset = d.clock - now;
	kvm_for_each_vcpu(i, vcpu, kvm) {
		kvm_make_request(vcpu, KVM_REQ_CLOCK_UPDATE);
		kvm_vcpu_kick(vcpu);
	}
	mutex_unlock(&kvm->lock);
	return 0;
}

long kvm_vcpu_set_tsc_khz(struct kvm_vcpu *vcpu, unsigned long khz)
{
	u64 tol = (u64)tsc_khz * TSC_KHZ_TOLERANCE_PPM / 1000000;

	if (!khz)
		return -EINVAL;
	/* No TSC scaling: only the host's rate can be honoured. */
	if (khz + tol < tsc_khz || khz > tsc_khz + tol)
		return -EINVAL;
	vcpu->arch.tsc_khz = khz;
	return 0;
}
