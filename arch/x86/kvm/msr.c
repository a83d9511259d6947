// SPDX-License-Identifier: GPL-2.0-only
/*
 * Model-specific registers: the guest's RDMSR/WRMSR, KVM_GET/SET_MSRS on
 * the system and vCPU fds, the MSR index lists, and routing of MSRs
 * nobody emulates to userspace (KVM_CAP_X86_USER_SPACE_MSR).
 *
 * MSRs whose state the hardware keeps (EFER, the SYSCALL/SYSENTER MSRs,
 * FS/GS bases, PAT, ...) live in the vendor's control block and are
 * reached through kvm_x86_ops->get_msr/set_msr; the others live here.
 * Every accessor returns an enum kvm_msr_result: anything but KVM_MSR_OK
 * faults (#GP for the guest, a short count for KVM_GET/SET_MSRS).
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/msr.h>
#include <asm/msr-index.h>
#include <asm/mce.h>
#include <asm/mtrr.h>
#include <asm/kvm_para.h>
#include <asm/processor.h>

#include "x86.h"
#include "irq.h"

#define MAX_IO_MSRS		256
#define MTRR_CAP_VALUE		(BIT(8) | BIT(10) | KVM_NR_VAR_MTRR)
#define UCODE_REV_DEFAULT	0x100000000ULL
#define PLATFORM_INFO_CPUID_FAULT BIT_ULL(32)
#define MISC_ENABLE_RESET	(MSR_IA32_MISC_ENABLE_PEBS_UNAVAIL | \
				 MSR_IA32_MISC_ENABLE_BTS_UNAVAIL)
#define APIC_BASE_RESERVED	(GENMASK_ULL(7, 0) | BIT_ULL(9))

/* MSRs saved and restored by KVM_GET/SET_MSRS (KVM_GET_MSR_INDEX_LIST). */
static const u32 msrs_to_save[] = {
	MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_ESP, MSR_IA32_SYSENTER_EIP,
	MSR_STAR, MSR_CSTAR, MSR_KERNEL_GS_BASE, MSR_SYSCALL_MASK, MSR_LSTAR,
	MSR_IA32_TSC, MSR_IA32_CR_PAT, MSR_IA32_TSC_ADJUST,
	MSR_IA32_MISC_ENABLE, MSR_IA32_MCG_STATUS, MSR_IA32_MCG_CTL,
	MSR_IA32_UCODE_REV, MSR_PLATFORM_INFO, MSR_MISC_FEATURES_ENABLES,
	MSR_IA32_APICBASE, MSR_IA32_POWER_CTL, MSR_K7_HWCR,
	MSR_KVM_SYSTEM_TIME, MSR_KVM_WALL_CLOCK,
	MSR_KVM_SYSTEM_TIME_NEW, MSR_KVM_WALL_CLOCK_NEW,
	MSR_IA32_TSC_DEADLINE,
};

/* MSRs readable on the system fd (KVM_GET_MSR_FEATURE_INDEX_LIST). */
static const u32 feature_msrs[] = {
	MSR_IA32_UCODE_REV, MSR_IA32_ARCH_CAPABILITIES,
};

static u64 host_arch_capabilities(void)
{
	u64 v = 0;

	if (boot_cpu_has(X86_FEATURE_ARCH_CAPABILITIES))
		rdmsrl_safe(MSR_IA32_ARCH_CAPABILITIES, &v);
	return v;
}

static int get_feature_msr(u32 index, u64 *data)
{
	switch (index) {
	case MSR_IA32_UCODE_REV:
		*data = UCODE_REV_DEFAULT;
		return 0;
	case MSR_IA32_ARCH_CAPABILITIES:
		*data = host_arch_capabilities();
		return 0;
	default:
		return 1;
	}
}

void kvm_msr_reset(struct kvm_vcpu *vcpu)
{
	struct kvm_vcpu_arch *a = &vcpu->arch;
	int i;

	a->misc_enable = MISC_ENABLE_RESET;
	a->ucode_rev = UCODE_REV_DEFAULT;
	a->platform_info = PLATFORM_INFO_CPUID_FAULT;
	a->mtrr_def_type = 0;
	memset(a->mtrr_fixed, 0, sizeof(a->mtrr_fixed));
	memset(a->mtrr_var, 0, sizeof(a->mtrr_var));
	a->mcg_status = 0;
	a->pv_system_time = 0;
	/* As in-tree: every bank exists before KVM_X86_SETUP_MCE. */
	a->mcg_cap = KVM_MAX_MCE_BANKS;
	for (i = 0; i < KVM_MAX_MCE_BANKS; i++)
		a->mc_banks[4 * i] = ~0ULL;
	a->mcg_ctl = ~0ULL;
	a->tsc_adjust = 0;
	a->misc_features = 0;
	a->power_ctl = 0;
	a->hwcr = 0;
}

u64 kvm_read_guest_tsc(struct kvm_vcpu *vcpu)
{
	return rdtsc() + vcpu->arch.tsc_offset;
}

static void set_guest_tsc(struct kvm_vcpu *vcpu, u64 tsc)
{
	vcpu->arch.tsc_offset = tsc - rdtsc();
	kvm_x86_ops->set_tsc_offset(vcpu, vcpu->arch.tsc_offset);
}

/* Index of a fixed-range MTRR in mtrr_fixed[], or -1. */
static int fixed_mtrr_index(u32 msr)
{
	switch (msr) {
	case MSR_MTRRfix64K_00000:
		return 0;
	case MSR_MTRRfix16K_80000:
	case MSR_MTRRfix16K_A0000:
		return 1 + msr - MSR_MTRRfix16K_80000;
	case MSR_MTRRfix4K_C0000 ... MSR_MTRRfix4K_F8000:
		return 3 + msr - MSR_MTRRfix4K_C0000;
	default:
		return -1;
	}
}

static bool is_var_mtrr(u32 msr)
{
	return msr >= MTRRphysBase_MSR(0) &&
	       msr < MTRRphysBase_MSR(KVM_NR_VAR_MTRR);
}

static bool is_mc_bank_msr(struct kvm_vcpu *vcpu, u32 msr)
{
	u32 banks = vcpu->arch.mcg_cap & 0xff;

	return msr >= MSR_IA32_MC0_CTL &&
	       msr < MSR_IA32_MC0_CTL + 4 * banks;
}

/*
 * Implementation-specific MSRs that guest kernels touch without checking
 * for a fault (Linux on AMD reads SYSCFG and sets bits in NB_CFG at
 * boot).  Nothing behind them is virtualised: they read as zero and
 * ignore writes.
 */
static bool is_inert_msr(u32 index)
{
	switch (index) {
	case MSR_AMD64_SYSCFG:
	case MSR_AMD64_NB_CFG:
	case MSR_K8_INT_PENDING_MSG:
	case MSR_AMD64_BU_CFG2:
	case MSR_AMD64_DC_CFG:
	case MSR_AMD64_LS_CFG:
	case MSR_K7_CLK_CTL:
	case MSR_IA32_PERF_CTL:
	case MSR_AMD64_OSVW_ID_LENGTH:
	case MSR_AMD64_OSVW_STATUS:
		return true;
	default:
		return false;
	}
}

int kvm_get_msr(struct kvm_vcpu *vcpu, u32 index, u64 *data, bool host)
{
	struct kvm_vcpu_arch *a = &vcpu->arch;
	int i;

	i = kvm_x86_ops->get_msr(vcpu, index, data);
	if (i != KVM_MSR_UNKNOWN)
		return i;
	if (kvm_vcpu_has_lapic(vcpu)) {
		i = kvm_lapic_get_msr(vcpu, index, data, host);
		if (i != KVM_MSR_UNKNOWN)
			return i;
	}

	switch (index) {
	case MSR_IA32_TSC:
		*data = kvm_read_guest_tsc(vcpu);
		return 0;
	case MSR_IA32_TSC_ADJUST:
		*data = a->tsc_adjust;
		return 0;
	case MSR_IA32_TSC_DEADLINE:
		/* Without an in-kernel LAPIC: no timer, reads 0 (in-tree). */
		*data = 0;
		return 0;
	case MSR_IA32_APICBASE:
		*data = a->apic_base;
		return 0;
	case MSR_IA32_MISC_ENABLE:
		*data = a->misc_enable;
		return 0;
	case MSR_IA32_UCODE_REV:
		*data = a->ucode_rev;
		return 0;
	case MSR_PLATFORM_INFO:
		if (!host && !vcpu->kvm->arch.platform_info_readable)
			return 1;
		*data = a->platform_info;
		return 0;
	case MSR_MISC_FEATURES_ENABLES:
		*data = a->misc_features;
		return 0;
	case MSR_IA32_POWER_CTL:
		*data = a->power_ctl;
		return 0;
	case MSR_K7_HWCR:
		*data = a->hwcr;
		return 0;
	case MSR_MTRRcap:
		*data = MTRR_CAP_VALUE;
		return 0;
	case MSR_MTRRdefType:
		*data = a->mtrr_def_type;
		return 0;
	case MSR_IA32_MCG_CAP:
		*data = a->mcg_cap;
		return 0;
	case MSR_KVM_SYSTEM_TIME:
	case MSR_KVM_SYSTEM_TIME_NEW:
		*data = a->pv_system_time;
		return 0;
	case MSR_KVM_WALL_CLOCK:
	case MSR_KVM_WALL_CLOCK_NEW:
		*data = vcpu->kvm->arch.pv_wall_clock;
		return 0;
	case MSR_IA32_MCG_STATUS:
		*data = a->mcg_status;
		return 0;
	case MSR_IA32_MCG_CTL:
		if (!(a->mcg_cap & MCG_CTL_P) && !host)
			return 1;
		*data = a->mcg_ctl;
		return 0;
	}

	i = fixed_mtrr_index(index);
	if (i >= 0) {
		*data = a->mtrr_fixed[i];
		return 0;
	}
	if (is_inert_msr(index)) {
		*data = 0;
		return 0;
	}
	if (is_var_mtrr(index)) {
		*data = a->mtrr_var[index - MTRRphysBase_MSR(0)];
		return 0;
	}
	if (is_mc_bank_msr(vcpu, index)) {
		*data = a->mc_banks[index - MSR_IA32_MC0_CTL];
		return 0;
	}
	return KVM_MSR_UNKNOWN;
}

/* A PAT/MTRR memory type byte: UC, WC, WT, WP, WB (and UC- for PAT). */
static bool valid_mem_type(u8 t, bool pat)
{
	return t == 0 || t == 1 || t == 4 || t == 5 || t == 6 ||
	       (pat && t == 7);
}

bool kvm_pat_valid(u64 pat)
{
	int i;

	for (i = 0; i < 8; i++)
		if (!valid_mem_type(pat >> (8 * i), true))
			return false;
	return true;
}
EXPORT_SYMBOL_GPL(kvm_pat_valid);

static bool mtrr_valid(u32 index, u64 data)
{
	int i;

	if (index == MSR_MTRRdefType)
		return !(data & ~0xcffULL) && valid_mem_type(data & 0xff, false);
	if (fixed_mtrr_index(index) >= 0) {
		for (i = 0; i < 8; i++)
			if (!valid_mem_type(data >> (8 * i), false))
				return false;
		return true;
	}
	/* Variable ranges: bases carry a type, masks a valid bit. */
	if (!((index - MTRRphysBase_MSR(0)) & 1))
		return valid_mem_type(data & 0xff, false) &&
		       !(data & 0xf00);
	return !(data & 0x7ff);
}

int kvm_set_msr(struct kvm_vcpu *vcpu, u32 index, u64 data, bool host)
{
	struct kvm_vcpu_arch *a = &vcpu->arch;
	int i;

	if (kvm_vcpu_has_lapic(vcpu)) {
		i = kvm_lapic_set_msr(vcpu, index, data, host);
		if (i != KVM_MSR_UNKNOWN)
			return i;
	}

	switch (index) {
	case MSR_IA32_TSC_DEADLINE:
		return 0;	/* no LAPIC timer to arm: ignored, as in-tree */
	case MSR_IA32_TSC:
		if (!host) {
			/* The guest moving its TSC shows in TSC_ADJUST. */
			a->tsc_adjust += data - kvm_read_guest_tsc(vcpu);
		}
		set_guest_tsc(vcpu, data);
		return 0;
	case MSR_IA32_TSC_ADJUST:
		if (!host)
			set_guest_tsc(vcpu, kvm_read_guest_tsc(vcpu) +
					    data - a->tsc_adjust);
		a->tsc_adjust = data;
		return 0;
	case MSR_IA32_APICBASE:
		if (data & APIC_BASE_RESERVED)
			return 1;
		if (data >> boot_cpu_data.x86_phys_bits)
			return 1;
		/* x2APIC mode needs the feature, and the APIC enabled. */
		if ((data & X2APIC_ENABLE) &&
		    (!(data & MSR_IA32_APICBASE_ENABLE) ||
		     !kvm_guest_cpuid_has(vcpu, 1, 0, 2, X86_FEATURE_X2APIC & 31)))
			return 1;
		a->apic_base = data;
		return 0;
	case MSR_IA32_MISC_ENABLE:
		a->misc_enable = data;
		return 0;
	case MSR_IA32_UCODE_REV:
		if (!host)
			return 0;	/* a guest write loads no microcode */
		a->ucode_rev = data;
		return 0;
	case MSR_PLATFORM_INFO:
		if (!host)
			return 1;
		a->platform_info = data;
		return 0;
	case MSR_MISC_FEATURES_ENABLES:
		if (data & ~MSR_MISC_FEATURES_ENABLES_CPUID_FAULT)
			return 1;
		if ((data & MSR_MISC_FEATURES_ENABLES_CPUID_FAULT) &&
		    !(a->platform_info & PLATFORM_INFO_CPUID_FAULT))
			return 1;
		a->misc_features = data;
		return 0;
	case MSR_IA32_POWER_CTL:
		a->power_ctl = data;
		return 0;
	case MSR_K7_HWCR:
		a->hwcr = data;
		return 0;
	case MSR_MTRRcap:
		return host ? 0 : 1;
	case MSR_MTRRdefType:
		if (!mtrr_valid(index, data))
			return 1;
		a->mtrr_def_type = data;
		return 0;
	case MSR_IA32_MCG_CAP:
		if (!host)
			return 1;
		a->mcg_cap = data;
		return 0;
	case MSR_KVM_SYSTEM_TIME:
	case MSR_KVM_SYSTEM_TIME_NEW:
		a->pv_system_time = data;
		kvm_make_request(vcpu, KVM_REQ_CLOCK_UPDATE);
		return 0;
	case MSR_KVM_WALL_CLOCK:
	case MSR_KVM_WALL_CLOCK_NEW:
		vcpu->kvm->arch.pv_wall_clock = data;
		return host ? 0 : kvm_write_wall_clock(vcpu, data);
	case MSR_IA32_MCG_STATUS:
		a->mcg_status = data;
		return 0;
	case MSR_IA32_MCG_CTL:
		if (!(a->mcg_cap & MCG_CTL_P) && !host)
			return 1;
		if (data != 0 && data != ~0ULL)
			return 1;
		a->mcg_ctl = data;
		return 0;
	}

	if (is_inert_msr(index))
		return 0;
	i = fixed_mtrr_index(index);
	if (i >= 0 || is_var_mtrr(index)) {
		if (!mtrr_valid(index, data))
			return 1;
		if (i >= 0)
			a->mtrr_fixed[i] = data;
		else
			a->mtrr_var[index - MTRRphysBase_MSR(0)] = data;
		return 0;
	}
	if (is_mc_bank_msr(vcpu, index)) {
		/* MCi_CTL enables all error reporting or none. */
		if (!((index - MSR_IA32_MC0_CTL) & 3) && data && ~data)
			return 1;
		a->mc_banks[index - MSR_IA32_MC0_CTL] = data;
		return 0;
	}
	return kvm_x86_ops->set_msr(vcpu, index, data);
}

/* Guest RDMSR/WRMSR; returns like an exit handler. */
int kvm_emulate_msr(struct kvm_vcpu *vcpu, bool write)
{
	u64 *g = vcpu->arch.regs;
	u32 index = g[X86_RCX];
	u64 data = (g[X86_RDX] << 32) | (u32)g[X86_RAX];
	struct kvm_run *run = vcpu->run;
	u32 reason;
	int r;

	if (!kvm_msr_allowed(vcpu, index, write))
		r = KVM_MSR_FILTERED;
	else if (write)
		r = kvm_set_msr(vcpu, index, data, false);
	else
		r = kvm_get_msr(vcpu, index, &data, false);
	if (r == KVM_MSR_OK) {
		if (!write) {
			g[X86_RAX] = (u32)data;
			g[X86_RDX] = data >> 32;
		}
		kvm_skip_insn(vcpu, vcpu->arch.exit.insn_len);
		return 1;
	}

	/* Userspace may have asked to handle what would fault. */
	if (r == KVM_MSR_FILTERED)
		reason = KVM_MSR_EXIT_REASON_FILTER;
	else if (r == KVM_MSR_UNKNOWN)
		reason = KVM_MSR_EXIT_REASON_UNKNOWN;
	else
		reason = KVM_MSR_EXIT_REASON_INVAL;
	if (vcpu->kvm->arch.user_space_msr_mask & reason) {
		run->exit_reason = write ? KVM_EXIT_X86_WRMSR :
					   KVM_EXIT_X86_RDMSR;
		run->msr.error = 0;
		memset(run->msr.pad, 0, sizeof(run->msr.pad));
		run->msr.reason = reason;
		run->msr.index = index;
		run->msr.data = write ? data : 0;
		vcpu->arch.completion = write ? X86_COMPLETE_WRMSR :
						X86_COMPLETE_RDMSR;
		vcpu->arch.completion_rip = vcpu->arch.rip;
		return 0;
	}
	kvm_inject_gp(vcpu);
	return 1;
}

/* Userspace answered a KVM_EXIT_X86_RDMSR/WRMSR. */
int kvm_complete_msr(struct kvm_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	bool read = vcpu->arch.completion == X86_COMPLETE_RDMSR;

	vcpu->arch.completion = X86_COMPLETE_NONE;
	if (vcpu->arch.rip != vcpu->arch.completion_rip)
		return 1;
	if (run->msr.error) {
		kvm_inject_gp(vcpu);
		return 1;
	}
	if (read) {
		vcpu->arch.regs[X86_RAX] = (u32)run->msr.data;
		vcpu->arch.regs[X86_RDX] = run->msr.data >> 32;
	}
	kvm_skip_insn(vcpu, vcpu->arch.exit.insn_len);
	return 1;
}

/*
 * KVM_GET_MSRS/KVM_SET_MSRS: process entries in order and return how
 * many succeeded.  @vcpu is NULL on the system fd (feature MSRs).
 */
long kvm_msrs_ioctl(struct kvm_vcpu *vcpu, struct kvm_msrs __user *umsrs,
		    bool write)
{
	struct kvm_msr_entry *e;
	struct kvm_msrs hdr;
	long r;
	u32 i;

	if (copy_from_user(&hdr, umsrs, sizeof(hdr)))
		return -EFAULT;
	if (hdr.nmsrs >= MAX_IO_MSRS)
		return -E2BIG;
	e = memdup_user(umsrs->entries, array_size(hdr.nmsrs, sizeof(*e)));
	if (IS_ERR(e))
		return PTR_ERR(e);

	for (i = 0; i < hdr.nmsrs; i++) {
		int fail;

		if (!vcpu)
			fail = write ? 1 : get_feature_msr(e[i].index,
							   &e[i].data);
		else if (write)
			fail = kvm_set_msr(vcpu, e[i].index, e[i].data, true);
		else
			fail = kvm_get_msr(vcpu, e[i].index, &e[i].data, true);
		if (fail)
			break;
	}
	r = i;
	if (!write && copy_to_user(umsrs->entries, e, i * sizeof(*e)))
		r = -EFAULT;
	kfree(e);
	return r;
}

static long copy_index_list(struct kvm_msr_list __user *ulist,
			    const u32 *list, u32 n)
{
	struct kvm_msr_list hdr;
	u32 room;

	if (copy_from_user(&hdr, ulist, sizeof(hdr)))
		return -EFAULT;
	room = hdr.nmsrs;
	hdr.nmsrs = n;
	if (copy_to_user(ulist, &hdr, sizeof(hdr)))
		return -EFAULT;
	/* The count is written back even when the buffer is too small. */
	if (n > room)
		return -E2BIG;
	if (copy_to_user(ulist->indices, list, n * sizeof(u32)))
		return -EFAULT;
	return 0;
}

long kvm_get_msr_index_list(struct kvm_msr_list __user *ulist)
{
	return copy_index_list(ulist, msrs_to_save, ARRAY_SIZE(msrs_to_save));
}

long kvm_get_msr_feature_index_list(struct kvm_msr_list __user *ulist)
{
	return copy_index_list(ulist, feature_msrs, ARRAY_SIZE(feature_msrs));
}

/* Machine-check capabilities offered: MCG_CTL present, 32 banks. */
#define KVM_MCE_CAP_SUPPORTED	(MCG_CTL_P | MCG_SER_P)

long kvm_dev_get_mce_cap(u64 __user *u)
{
	/* The capability bits only; the bank count is the VMM's choice. */
	u64 cap = KVM_MCE_CAP_SUPPORTED;

	return copy_to_user(u, &cap, sizeof(cap)) ? -EFAULT : 0;
}

long kvm_vcpu_setup_mce(struct kvm_vcpu *vcpu, u64 __user *u)
{
	struct kvm_vcpu_arch *a = &vcpu->arch;
	u64 cap;
	int i;

	if (copy_from_user(&cap, u, sizeof(cap)))
		return -EFAULT;
	if (!(cap & 0xff) || (cap & 0xff) > KVM_MAX_MCE_BANKS)
		return -EINVAL;
	if (cap & ~(KVM_MCE_CAP_SUPPORTED | 0xff | MCG_EXT_CNT_MASK))
		return -EINVAL;
	a->mcg_cap = cap & ~MCG_EXT_CNT_MASK;
	/* Software error recovery is an Intel feature. */
	if (boot_cpu_data.x86_vendor != X86_VENDOR_INTEL)
		a->mcg_cap &= ~MCG_SER_P;
	a->mcg_ctl = (cap & MCG_CTL_P) ? ~0ULL : 0;
	/* Every bank starts with all error reporting enabled. */
	for (i = 0; i < (cap & 0xff); i++)
		a->mc_banks[4 * i] = ~0ULL;
	return 0;
}
