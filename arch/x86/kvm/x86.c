// SPDX-License-Identifier: GPL-2.0-only
/*
 * The x86 architecture layer: capabilities, the architecture's part of
 * the system, VM and vCPU ioctls, and VM/vCPU setup.  Vendor specifics are
 * reached only through kvm_x86_ops.
 */
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/fpu/api.h>

#include "x86.h"
#include "irq.h"

/* The smallest KVM_SET_NR_MMU_PAGES value in-tree accepts. */
#define KVM_MIN_ALLOC_MMU_PAGES	64

static int clock_caps(long ext)
{
	/* KVM_CLOCK_TSC_STABLE is never reported by KVM_GET_CLOCK. */
	return ext == KVM_CAP_ADJUST_CLOCK ?
	       KVM_CLOCK_REALTIME | KVM_CLOCK_HOST_TSC : 1;
}

int kvm_arch_check_extension(struct kvm *kvm, long ext)
{
	switch (ext) {
	case KVM_CAP_USER_MEMORY:
	case KVM_CAP_DESTROY_MEMORY_REGION_WORKS:
	case KVM_CAP_JOIN_MEMORY_REGIONS_WORKS:
	case KVM_CAP_IMMEDIATE_EXIT:
	case KVM_CAP_SYNC_MMU:
	case KVM_CAP_READONLY_MEM:
	case KVM_CAP_CHECK_EXTENSION_VM:
	case KVM_CAP_GET_MSR_FEATURES:
	case KVM_CAP_MSR_PLATFORM_INFO:
	case KVM_CAP_X86_USER_SPACE_MSR:
	case KVM_CAP_ENABLE_CAP:
	case KVM_CAP_EXT_CPUID:
	case KVM_CAP_SET_TSS_ADDR:
	case KVM_CAP_SET_IDENTITY_MAP_ADDR:
	case KVM_CAP_SET_BOOT_CPU_ID:
	case KVM_CAP_MP_STATE:
	case KVM_CAP_DEBUGREGS:
	case KVM_CAP_X86_MSR_FILTER:
	case KVM_CAP_VCPU_EVENTS:
	case KVM_CAP_SET_GUEST_DEBUG:
	/* The in-kernel irqchip (irq.h), its PIT and eventfd wiring. */
	case KVM_CAP_IRQCHIP:
	case KVM_CAP_IRQ_INJECT_STATUS:
	case KVM_CAP_SIGNAL_MSI:
	case KVM_CAP_PIT:
	case KVM_CAP_PIT2:
	case KVM_CAP_PIT_STATE2:
	case KVM_CAP_REINJECT_CONTROL:
	case KVM_CAP_TSC_DEADLINE_TIMER:
	case KVM_CAP_USER_NMI:
	case KVM_CAP_IRQFD:
	case KVM_CAP_IOEVENTFD:
	case KVM_CAP_IOEVENTFD_NO_LENGTH:
	case KVM_CAP_IOEVENTFD_ANY_LENGTH:
		return 1;
	case KVM_CAP_SET_GUEST_DEBUG2:
		return KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP |
		       KVM_GUESTDBG_USE_SW_BP | KVM_GUESTDBG_USE_HW_BP |
		       KVM_GUESTDBG_INJECT_DB | KVM_GUESTDBG_INJECT_BP |
		       KVM_GUESTDBG_BLOCKIRQ;
	case KVM_CAP_MCE:
		return KVM_MAX_MCE_BANKS;
	case KVM_CAP_GET_TSC_KHZ:
	case KVM_CAP_ADJUST_CLOCK:
		return clock_caps(ext);
	case KVM_CAP_XSAVE:
	case KVM_CAP_XCRS:
		return kvm_supported_xcr0() != 0;
	/* The number of GSIs a routing table may use (QEMU sizes by it). */
	case KVM_CAP_IRQ_ROUTING:
		return KVM_MAX_IRQ_ROUTES;
	case KVM_CAP_NR_MEMSLOTS:
		return KVM_USER_MEM_SLOTS;
	case KVM_CAP_NR_VCPUS:
		return min_t(int, num_online_cpus(), KVM_MAX_VCPUS);
	case KVM_CAP_MAX_VCPUS:
		return KVM_MAX_VCPUS;
	case KVM_CAP_MAX_VCPU_ID:
		return KVM_MAX_VCPU_IDS;
	default:
		return 0;
	}
}

long kvm_arch_dev_ioctl(struct file *filp, unsigned int ioctl,
			unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	switch (ioctl) {
	case KVM_GET_MSR_INDEX_LIST:
		return kvm_get_msr_index_list(argp);
	case KVM_GET_MSR_FEATURE_INDEX_LIST:
		return kvm_get_msr_feature_index_list(argp);
	case KVM_GET_MSRS:
		return kvm_msrs_ioctl(NULL, argp, false);
	case KVM_GET_SUPPORTED_CPUID:
		return kvm_dev_get_supported_cpuid(argp);
	case KVM_X86_GET_MCE_CAP_SUPPORTED:
		return kvm_dev_get_mce_cap(argp);
	default:
		return -EINVAL;
	}
}

#define USER_SPACE_MSR_VALID	(KVM_MSR_EXIT_REASON_INVAL | \
				 KVM_MSR_EXIT_REASON_UNKNOWN | \
				 KVM_MSR_EXIT_REASON_FILTER)

static int kvm_vm_enable_cap(struct kvm *kvm, struct kvm_enable_cap *cap)
{
	if (cap->flags)
		return -EINVAL;
	switch (cap->cap) {
	case KVM_CAP_MSR_PLATFORM_INFO:
		kvm->arch.platform_info_readable = cap->args[0];
		return 0;
	case KVM_CAP_X86_USER_SPACE_MSR:
		if (cap->args[0] & ~USER_SPACE_MSR_VALID)
			return -EINVAL;
		kvm->arch.user_space_msr_mask = cap->args[0];
		return 0;
	case KVM_CAP_MAX_VCPU_ID:
		/* Settable once, before the first vCPU (api.rst 7.32). */
		if (cap->args[0] > KVM_MAX_VCPU_IDS)
			return -EINVAL;
		if (kvm->arch.max_vcpu_ids == cap->args[0])
			return 0;
		if (kvm->arch.max_vcpu_ids || atomic_read(&kvm->online_vcpus))
			return -EINVAL;
		kvm->arch.max_vcpu_ids = cap->args[0];
		return 0;
	default:
		return -EINVAL;
	}
}

int kvm_arch_init_vm(struct kvm *kvm, unsigned long type)
{
	int r;

	if (type)
		return -EINVAL;
	kvm->arch.platform_info_readable = true;
	kvm->arch.tsc_base_offset = -rdtsc();
	mutex_init(&kvm->arch.irq_lock);
	r = kvm_tdp_init(kvm);
	if (r)
		return r;
	if (kvm_x86_ops->vm_init) {
		r = kvm_x86_ops->vm_init(kvm);
		if (r)
			kvm_tdp_destroy(kvm);
	}
	return r;
}

void kvm_arch_destroy_vm(struct kvm *kvm)
{
	struct kvm_vcpu *vcpu;
	unsigned long i;

	/* The PIT's work item sends to LAPICs: stop it before they go. */
	kvm_pit_destroy(kvm);
	kvm_for_each_vcpu(i, vcpu, kvm)
		kvm_vcpu_destroy(vcpu);
	atomic_set(&kvm->online_vcpus, 0);
	if (kvm_x86_ops->vm_destroy)
		kvm_x86_ops->vm_destroy(kvm);
	kvm_tdp_destroy(kvm);
	kvm_msr_filter_destroy(kvm);
	kvm_irqchip_destroy(kvm);
	kvm_io_bus_destroy(kvm);
}

long kvm_arch_vm_ioctl(struct file *filp, unsigned int ioctl,
		       unsigned long arg)
{
	struct kvm *kvm = filp->private_data;
	void __user *argp = (void __user *)arg;

	switch (ioctl) {
	case KVM_ENABLE_CAP: {
		struct kvm_enable_cap cap;
		int r;

		if (copy_from_user(&cap, argp, sizeof(cap)))
			return -EFAULT;
		mutex_lock(&kvm->lock);
		r = kvm_vm_enable_cap(kvm, &cap);
		mutex_unlock(&kvm->lock);
		return r;
	}
	case KVM_GET_CLOCK:
		return kvm_vm_get_clock(kvm, argp);
	case KVM_SET_CLOCK:
		return kvm_vm_set_clock(kvm, argp);
	case KVM_X86_SET_MSR_FILTER:
		return kvm_vm_set_msr_filter(kvm, argp);
	case KVM_SET_TSS_ADDR:
		/* Used by VMX real-mode emulation only; kept for the API. */
		if (arg > (unsigned int)(-3 * PAGE_SIZE))
			return -EINVAL;
		kvm->arch.tss_addr = arg;
		return 0;
	case KVM_SET_IDENTITY_MAP_ADDR: {
		u64 addr;
		int r = 0;

		if (copy_from_user(&addr, argp, sizeof(addr)))
			return -EFAULT;
		mutex_lock(&kvm->lock);
		if (atomic_read(&kvm->online_vcpus))
			r = -EINVAL;
		else
			kvm->arch.identity_map_addr = addr;
		mutex_unlock(&kvm->lock);
		return r;
	}
	case KVM_SET_NR_MMU_PAGES:
		/* Sizes the shadow MMU's page cache in-tree; kept for the API. */
		if (arg < KVM_MIN_ALLOC_MMU_PAGES)
			return -EINVAL;
		kvm->arch.nr_mmu_pages = arg;
		return 0;
	case KVM_GET_NR_MMU_PAGES:
		return kvm->arch.nr_mmu_pages;
	case KVM_SET_BOOT_CPU_ID: {
		int r = 0;

		mutex_lock(&kvm->lock);
		if (atomic_read(&kvm->online_vcpus))
			r = -EBUSY;
		else
			kvm->arch.bsp_vcpu_id = arg;
		mutex_unlock(&kvm->lock);
		return r;
	}
	default: {
		long r = kvm_irqchip_vm_ioctl(kvm, ioctl, argp);

		return r == -ENOIOCTLCMD ? -ENOTTY : r;
	}
	}
}

int kvm_arch_vcpu_precreate(struct kvm *kvm, u32 id)
{
	if (kvm->arch.max_vcpu_ids && id >= kvm->arch.max_vcpu_ids)
		return -EINVAL;
	return 0;
}

int kvm_arch_vcpu_create(struct kvm_vcpu *vcpu)
{
	int r;

	if (!fpu_alloc_guest_fpstate(&vcpu->arch.guest_fpu))
		return -ENOMEM;
	vcpu->arch.emul.opaque = vcpu;
	/* kvm->lock is held: the irqchip mode cannot change under us. */
	if (kvm_irqchip_in_kernel(vcpu->kvm)) {
		r = kvm_lapic_create(vcpu);
		if (r)
			goto out_fpu;
	}
	r = kvm_x86_ops->vcpu_create(vcpu);
	if (r)
		goto out_lapic;
	kvm_vcpu_reset(vcpu);
	return 0;

out_lapic:
	kvm_lapic_free(vcpu);
out_fpu:
	fpu_free_guest_fpstate(&vcpu->arch.guest_fpu);
	return r;
}

void kvm_arch_vcpu_destroy(struct kvm_vcpu *vcpu)
{
	kvm_x86_ops->vcpu_free(vcpu);
	kvm_lapic_free(vcpu);
	kvm_vcpu_free_cpuid(vcpu);
	tdp_cache_free(&vcpu->arch.tdp_cache);
	fpu_free_guest_fpstate(&vcpu->arch.guest_fpu);
}

void kvm_arch_vcpu_load(struct kvm_vcpu *vcpu, int cpu)
{
	vcpu->cpu = cpu;
	if (kvm_x86_ops->vcpu_load)
		kvm_x86_ops->vcpu_load(vcpu, cpu);
}

void kvm_arch_vcpu_put(struct kvm_vcpu *vcpu)
{
	if (kvm_x86_ops->vcpu_put)
		kvm_x86_ops->vcpu_put(vcpu);
	vcpu->cpu = -1;
}

static int vcpu_get_lapic(struct kvm_vcpu *vcpu,
			  struct kvm_lapic_state __user *u)
{
	struct kvm_lapic_state *s;
	int r = 0;

	if (!kvm_vcpu_has_lapic(vcpu))
		return -EINVAL;
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	kvm_lapic_get_state(vcpu, s);
	if (copy_to_user(u, s, sizeof(*s)))
		r = -EFAULT;
	kfree(s);
	return r;
}

static int vcpu_set_lapic(struct kvm_vcpu *vcpu,
			  struct kvm_lapic_state __user *u)
{
	struct kvm_lapic_state *s;
	int r;

	if (!kvm_vcpu_has_lapic(vcpu))
		return -EINVAL;
	s = memdup_user(u, sizeof(*s));
	if (IS_ERR(s))
		return PTR_ERR(s);
	r = kvm_lapic_set_state(vcpu, s);
	kfree(s);
	return r;
}

long kvm_arch_vcpu_ioctl(struct file *filp, unsigned int ioctl,
			 unsigned long arg)
{
	struct kvm_vcpu *vcpu = filp->private_data;
	void __user *argp = (void __user *)arg;
	int r;

	switch (ioctl) {
	case KVM_GET_REGS: {
		struct kvm_regs regs;

		r = kvm_get_regs(vcpu, &regs);
		if (!r && copy_to_user(argp, &regs, sizeof(regs)))
			r = -EFAULT;
		return r;
	}
	case KVM_SET_REGS: {
		struct kvm_regs regs;

		if (copy_from_user(&regs, argp, sizeof(regs)))
			return -EFAULT;
		return kvm_set_regs(vcpu, &regs);
	}
	case KVM_GET_SREGS: {
		struct kvm_sregs *sregs;

		sregs = kzalloc(sizeof(*sregs), GFP_KERNEL);
		if (!sregs)
			return -ENOMEM;
		r = kvm_get_sregs(vcpu, sregs);
		if (!r && copy_to_user(argp, sregs, sizeof(*sregs)))
			r = -EFAULT;
		kfree(sregs);
		return r;
	}
	case KVM_SET_SREGS: {
		struct kvm_sregs *sregs;

		sregs = memdup_user(argp, sizeof(*sregs));
		if (IS_ERR(sregs))
			return PTR_ERR(sregs);
		r = kvm_set_sregs(vcpu, sregs);
		kfree(sregs);
		return r;
	}
	case KVM_SET_CPUID2:
		return kvm_vcpu_set_cpuid2(vcpu, argp);
	case KVM_GET_CPUID2:
		return kvm_vcpu_get_cpuid2(vcpu, argp);
	case KVM_GET_TSC_KHZ:
		return vcpu->arch.tsc_khz;
	case KVM_SET_TSC_KHZ:
		return kvm_vcpu_set_tsc_khz(vcpu, arg);
	case KVM_X86_SETUP_MCE:
		return kvm_vcpu_setup_mce(vcpu, argp);
	case KVM_INTERRUPT:
		return kvm_vcpu_interrupt(vcpu, argp);
	case KVM_NMI:
		return kvm_vcpu_nmi(vcpu);
	case KVM_GET_VCPU_EVENTS:
		return kvm_vcpu_get_events(vcpu, argp);
	case KVM_SET_VCPU_EVENTS:
		return kvm_vcpu_set_events(vcpu, argp);
	case KVM_SET_GUEST_DEBUG:
		return kvm_vcpu_set_guest_debug(vcpu, argp);
	case KVM_TRANSLATE:
		return kvm_vcpu_translate(vcpu, argp);
	case KVM_GET_MP_STATE:
		return kvm_vcpu_get_mp_state(vcpu, argp);
	case KVM_SET_MP_STATE:
		return kvm_vcpu_set_mp_state(vcpu, argp);
	/* Without XSAVE on the host: the legacy x87/SSE part only. */
	case KVM_GET_XSAVE:
		return kvm_vcpu_get_xsave(vcpu, argp);
	case KVM_SET_XSAVE:
		return kvm_vcpu_set_xsave(vcpu, argp);
	case KVM_GET_XCRS:
		if (!kvm_supported_xcr0())
			return -EINVAL;
		return kvm_vcpu_get_xcrs(vcpu, argp);
	case KVM_SET_XCRS:
		if (!kvm_supported_xcr0())
			return -EINVAL;
		return kvm_vcpu_set_xcrs(vcpu, argp);
	case KVM_GET_FPU:
		return kvm_vcpu_get_fpu(vcpu, argp);
	case KVM_SET_FPU:
		return kvm_vcpu_set_fpu(vcpu, argp);
	case KVM_GET_DEBUGREGS:
		return kvm_vcpu_get_debugregs(vcpu, argp);
	case KVM_SET_DEBUGREGS:
		return kvm_vcpu_set_debugregs(vcpu, argp);
	case KVM_GET_MSRS:
		return kvm_msrs_ioctl(vcpu, argp, false);
	case KVM_SET_MSRS:
		return kvm_msrs_ioctl(vcpu, argp, true);
	case KVM_SET_VAPIC_ADDR: {
		struct kvm_vapic_addr va;

		if (copy_from_user(&va, argp, sizeof(va)))
			return -EFAULT;
		if (!kvm_vcpu_has_lapic(vcpu))
			return -EINVAL;
		/*
		 * QEMU clears it at every APIC reset.  The TPR-patching page
		 * itself (KVM_CAP_VAPIC) is not offered, so only 0 is valid.
		 */
		return va.vapic_addr ? -EINVAL : 0;
	}
	case KVM_GET_LAPIC:
		return vcpu_get_lapic(vcpu, argp);
	case KVM_SET_LAPIC:
		return vcpu_set_lapic(vcpu, argp);
	default:
		return -EINVAL;
	}
}
