// SPDX-License-Identifier: GPL-2.0-only
/*
 * TEMPORARY weak stand-ins for the irqchip pieces while they are written
 * in parallel; each real definition overrides its stub at link time.
 * Deleted once lapic.c, ioapic.c, i8259.c and i8254.c are all in.
 */
#include "x86.h"
#include "irq.h"

int __weak kvm_lapic_create(struct kvm_vcpu *vcpu) { return -ENODEV; }
void __weak kvm_lapic_free(struct kvm_vcpu *vcpu) { }
void __weak kvm_lapic_reset(struct kvm_vcpu *vcpu, bool init) { }
int __weak kvm_apic_deliver(struct kvm *kvm, struct kvm_vcpu *src,
			    const struct kvm_apic_irq *irq) { return 0; }
int __weak kvm_apic_pending_vector(struct kvm_vcpu *vcpu) { return -1; }
void __weak kvm_apic_ack(struct kvm_vcpu *vcpu, int vector) { }
bool __weak kvm_apic_accepts_pic_intr(struct kvm_vcpu *vcpu) { return false; }
bool __weak kvm_apic_take_init(struct kvm_vcpu *vcpu) { return false; }
bool __weak kvm_apic_take_sipi(struct kvm_vcpu *vcpu, u8 *v) { return false; }
bool __weak kvm_apic_has_init_sipi(struct kvm_vcpu *vcpu) { return false; }
bool __weak kvm_lapic_mmio(struct kvm_vcpu *vcpu, gpa_t gpa, void *val,
			   unsigned int len, bool write) { return false; }
int __weak kvm_lapic_get_msr(struct kvm_vcpu *vcpu, u32 index, u64 *data,
			     bool host) { return KVM_MSR_UNKNOWN; }
int __weak kvm_lapic_set_msr(struct kvm_vcpu *vcpu, u32 index, u64 data,
			     bool host) { return KVM_MSR_UNKNOWN; }
u8 __weak kvm_lapic_get_cr8(struct kvm_vcpu *vcpu) { return 0; }
void __weak kvm_lapic_set_cr8(struct kvm_vcpu *vcpu, u8 cr8) { }
void __weak kvm_lapic_get_state(struct kvm_vcpu *vcpu,
				struct kvm_lapic_state *s) { }
int __weak kvm_lapic_set_state(struct kvm_vcpu *vcpu,
			       const struct kvm_lapic_state *s) { return 0; }

int __weak kvm_ioapic_create(struct kvm *kvm) { return -ENODEV; }
void __weak kvm_ioapic_destroy(struct kvm *kvm) { }
int __weak kvm_ioapic_set_irq(struct kvm *kvm, int pin, int src,
			      bool level) { return -1; }
void __weak kvm_ioapic_eoi(struct kvm *kvm, u8 vector) { }
void __weak kvm_ioapic_get_state(struct kvm *kvm,
				 struct kvm_ioapic_state *s) { }
void __weak kvm_ioapic_set_state(struct kvm *kvm,
				 const struct kvm_ioapic_state *s) { }

int __weak kvm_pic_create(struct kvm *kvm) { return -ENODEV; }
void __weak kvm_pic_destroy(struct kvm *kvm) { }
int __weak kvm_pic_set_irq(struct kvm *kvm, int pin, int src,
			   bool level) { return -1; }
bool __weak kvm_pic_has_interrupt(struct kvm *kvm) { return false; }
int __weak kvm_pic_read_irq(struct kvm *kvm) { return 0; }
void __weak kvm_pic_get_state(struct kvm *kvm, int chip,
			      struct kvm_pic_state *s) { }
void __weak kvm_pic_set_state(struct kvm *kvm, int chip,
			      const struct kvm_pic_state *s) { }

int __weak kvm_vm_create_pit2(struct kvm *kvm,
			      struct kvm_pit_config __user *u) { return -ENODEV; }
void __weak kvm_pit_destroy(struct kvm *kvm) { }
long __weak kvm_pit_ioctl(struct kvm *kvm, unsigned int ioctl,
			  void __user *argp) { return -ENXIO; }

int __weak kvm_set_irq(struct kvm *kvm, int src, u32 gsi, bool level) { return -EINVAL; }
int __weak kvm_set_msi(struct kvm *kvm, u64 address, u32 data) { return -EINVAL; }
