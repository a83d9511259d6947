/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VIRT_KVM_MMU_NOTIFIER_H
#define VIRT_KVM_MMU_NOTIFIER_H

struct kvm;

int kvm_mmu_notifier_register(struct kvm *kvm);
void kvm_mmu_notifier_unregister(struct kvm *kvm);

#endif
