// SPDX-License-Identifier: GPL-2.0-only
/*
 * The in-kernel irqchip's VM-level part: KVM_CREATE_IRQCHIP, the GSI
 * routing table and the ioctls that drive interrupt lines.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "x86.h"
#include "irq.h"

void kvm_irqchip_destroy(struct kvm *kvm)
{
}

long kvm_irqchip_vm_ioctl(struct kvm *kvm, unsigned int ioctl,
			  void __user *argp)
{
	return -ENOIOCTLCMD;
}
