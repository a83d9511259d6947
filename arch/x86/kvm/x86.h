/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internal interfaces of the shared x86 layer (kvm.ko), used by its own
 * files and by the vendor modules.
 */
#ifndef ARCH_X86_KVM_X86_H
#define ARCH_X86_KVM_X86_H

#include <kvm/kvm_core.h>

/* vendor.c: a backend registers its ops table from its module init. */
int kvm_x86_register_vendor(const struct kvm_x86_ops *ops, struct module *owner);
void kvm_x86_unregister_vendor(void);

/* regs.c */
void kvm_vcpu_reset(struct kvm_vcpu *vcpu);
void kvm_vcpu_init_event(struct kvm_vcpu *vcpu);
int kvm_get_regs(struct kvm_vcpu *vcpu, struct kvm_regs *regs);
int kvm_set_regs(struct kvm_vcpu *vcpu, const struct kvm_regs *regs);
int kvm_get_sregs(struct kvm_vcpu *vcpu, struct kvm_sregs *sregs);
int kvm_set_sregs(struct kvm_vcpu *vcpu, const struct kvm_sregs *sregs);
enum x86_emul_mode kvm_vcpu_mode(struct kvm_vcpu *vcpu);
u64 kvm_seg_base(struct kvm_vcpu *vcpu, int seg);

/* cpuid.c */
int kvm_vcpu_set_cpuid2(struct kvm_vcpu *vcpu,
			struct kvm_cpuid2 __user *ucpuid);
int kvm_vcpu_get_cpuid2(struct kvm_vcpu *vcpu,
			struct kvm_cpuid2 __user *ucpuid);
int kvm_dev_get_supported_cpuid(struct kvm_cpuid2 __user *ucpuid);
void kvm_emulate_cpuid(struct kvm_vcpu *vcpu);
bool kvm_guest_cpuid_has(struct kvm_vcpu *vcpu, u32 function, u32 index,
			 int reg, int bit);
bool kvm_vcpu_cpuid_allows(struct kvm_vcpu *vcpu, u32 function, u32 index,
			   int reg, int bit);
void kvm_vcpu_free_cpuid(struct kvm_vcpu *vcpu);

/* run.c */
int kvm_handle_x86_exit(struct kvm_vcpu *vcpu);
int kvm_internal_error(struct kvm_vcpu *vcpu, u32 suberror);
void kvm_skip_insn(struct kvm_vcpu *vcpu, u8 len);
void kvm_retire_insn(struct kvm_vcpu *vcpu, u64 next_rip);
void kvm_inject_gp(struct kvm_vcpu *vcpu);
void kvm_inject_ud(struct kvm_vcpu *vcpu);

/* msr.c */
void kvm_msr_reset(struct kvm_vcpu *vcpu);
int kvm_get_msr(struct kvm_vcpu *vcpu, u32 index, u64 *data, bool host);
int kvm_set_msr(struct kvm_vcpu *vcpu, u32 index, u64 data, bool host);
int kvm_emulate_msr(struct kvm_vcpu *vcpu, bool write);
int kvm_complete_msr(struct kvm_vcpu *vcpu);
long kvm_msrs_ioctl(struct kvm_vcpu *vcpu, struct kvm_msrs __user *umsrs,
		    bool write);
long kvm_get_msr_index_list(struct kvm_msr_list __user *ulist);
long kvm_get_msr_feature_index_list(struct kvm_msr_list __user *ulist);
u64 kvm_read_guest_tsc(struct kvm_vcpu *vcpu);
bool kvm_pat_valid(u64 pat);
long kvm_dev_get_mce_cap(u64 __user *u);
long kvm_vcpu_setup_mce(struct kvm_vcpu *vcpu, u64 __user *u);

/* events.c */
int kvm_vcpu_interrupt(struct kvm_vcpu *vcpu, struct kvm_interrupt __user *u);
int kvm_vcpu_nmi(struct kvm_vcpu *vcpu);
bool kvm_ready_for_interrupt(struct kvm_vcpu *vcpu);
void kvm_inject_pending_events(struct kvm_vcpu *vcpu);
int kvm_vcpu_get_events(struct kvm_vcpu *vcpu,
			struct kvm_vcpu_events __user *u);
int kvm_vcpu_set_events(struct kvm_vcpu *vcpu,
			struct kvm_vcpu_events __user *u);
int kvm_vcpu_get_mp_state(struct kvm_vcpu *vcpu,
			  struct kvm_mp_state __user *u);
int kvm_vcpu_set_mp_state(struct kvm_vcpu *vcpu,
			  struct kvm_mp_state __user *u);
bool kvm_cpu_has_interrupt(struct kvm_vcpu *vcpu);
void kvm_process_init_sipi(struct kvm_vcpu *vcpu);
void kvm_sipi_vcpu(struct kvm_vcpu *vcpu, u8 vector);

/* fpu.c */
int kvm_vcpu_get_fpu(struct kvm_vcpu *vcpu, struct kvm_fpu __user *u);
int kvm_vcpu_set_fpu(struct kvm_vcpu *vcpu, struct kvm_fpu __user *u);

/* xsave.c */
void kvm_xsave_init(void);
u64 kvm_supported_xcr0(void);
void kvm_load_guest_xcr0(struct kvm_vcpu *vcpu);
void kvm_put_guest_xcr0(struct kvm_vcpu *vcpu);
int kvm_emulate_xsetbv(struct kvm_vcpu *vcpu);
int kvm_vcpu_get_xcrs(struct kvm_vcpu *vcpu, struct kvm_xcrs __user *u);
int kvm_vcpu_set_xcrs(struct kvm_vcpu *vcpu, struct kvm_xcrs __user *u);
int kvm_vcpu_get_xsave(struct kvm_vcpu *vcpu, struct kvm_xsave __user *u);
int kvm_vcpu_set_xsave(struct kvm_vcpu *vcpu, struct kvm_xsave __user *u);

/* clock.c */
u64 kvm_vm_clock_ns(struct kvm *kvm);
void kvm_update_kvmclock(struct kvm_vcpu *vcpu);
int kvm_write_wall_clock(struct kvm_vcpu *vcpu, u64 gpa);
int kvm_vm_get_clock(struct kvm *kvm, struct kvm_clock_data __user *u);
int kvm_vm_set_clock(struct kvm *kvm, struct kvm_clock_data __user *u);
long kvm_vcpu_set_tsc_khz(struct kvm_vcpu *vcpu, unsigned long khz);

/* debug.c */
int kvm_vcpu_set_guest_debug(struct kvm_vcpu *vcpu,
			     struct kvm_guest_debug __user *u);
void kvm_debug_before_entry(struct kvm_vcpu *vcpu);
void kvm_debug_after_exit(struct kvm_vcpu *vcpu);
int kvm_handle_debug_exception(struct kvm_vcpu *vcpu);

/* dr.c */
u64 kvm_get_dr(struct kvm_vcpu *vcpu, int dr);
int kvm_emulate_mov_dr(struct kvm_vcpu *vcpu);
int kvm_vcpu_get_debugregs(struct kvm_vcpu *vcpu,
			   struct kvm_debugregs __user *u);
int kvm_vcpu_set_debugregs(struct kvm_vcpu *vcpu,
			   struct kvm_debugregs __user *u);

/* msr_filter.c */
bool kvm_msr_allowed(struct kvm_vcpu *vcpu, u32 index, bool write);
int kvm_vm_set_msr_filter(struct kvm *kvm, struct kvm_msr_filter __user *u);
void kvm_msr_filter_destroy(struct kvm *kvm);

/* pio.c */
int kvm_handle_io(struct kvm_vcpu *vcpu);
int kvm_complete_pio(struct kvm_vcpu *vcpu);

/* mmio.c */
int kvm_emulate_mmio(struct kvm_vcpu *vcpu);
int kvm_complete_mmio(struct kvm_vcpu *vcpu);

/* mmu/walk.c: guest linear -> guest physical, 0 or -EFAULT. */
int kvm_gva_to_gpa(struct kvm_vcpu *vcpu, u64 la, bool write, u64 *gpa);
int kvm_read_guest_linear(struct kvm_vcpu *vcpu, u64 la, void *buf,
			  unsigned int len);
int kvm_vcpu_translate(struct kvm_vcpu *vcpu,
		       struct kvm_translation __user *u);
int kvm_write_guest_linear(struct kvm_vcpu *vcpu, u64 la, const void *buf,
			   unsigned int len);

/* mmu/tdp.c and mmu/fault.c */
int kvm_tdp_init(struct kvm *kvm);
void kvm_tdp_destroy(struct kvm *kvm);
int kvm_tdp_page_fault(struct kvm_vcpu *vcpu, u64 gpa, u64 error_code);

/* Result of kvm_tdp_page_fault(). */
enum {
	TDP_FAULT_FIXED,	/* mapping installed (or raced): resume */
	TDP_FAULT_RETRY,	/* slot in flux: resume and fault again */
	TDP_FAULT_MMIO,		/* no RAM there: emulate the access */
};

#endif
