// SPDX-License-Identifier: GPL-2.0-only
/*
 * VM objects: creation from /dev/kvm, the VM file descriptor and its
 * ioctls, and the VM's lifetime.
 *
 * Lifetime: the VM fd and every vCPU fd each hold one reference in
 * kvm->users.  The VM (vCPUs included) is destroyed when the last of
 * them is closed, so userspace may close the VM fd first and keep running
 * its vCPUs.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <kvm/kvm_core.h>
#include "mmu_notifier.h"

void kvm_get_kvm(struct kvm *kvm)
{
	refcount_inc(&kvm->users);
}

static void kvm_destroy_vm(struct kvm *kvm)
{
	struct mm_struct *mm = kvm->mm;

	kvm_mmu_notifier_unregister(kvm);
	/* irqfd work drives the irqchip: gone before the irqchip goes. */
	kvm_irqfd_release(kvm);
	kvm_arch_destroy_vm(kvm);	/* vCPUs, then nested page tables */
	kvm_ioeventfd_release(kvm);
	xa_destroy(&kvm->vcpus);
	kvm_free_memslots(kvm);
	free_cpumask_var(kvm->flush_mask);
	cleanup_srcu_struct(&kvm->srcu);
	kfree(kvm);
	mmdrop(mm);
}

void kvm_put_kvm(struct kvm *kvm)
{
	if (refcount_dec_and_test(&kvm->users))
		kvm_destroy_vm(kvm);
}

static int kvm_vm_release(struct inode *inode, struct file *filp)
{
	kvm_put_kvm(filp->private_data);
	return 0;
}

static long kvm_vm_ioctl(struct file *filp, unsigned int ioctl,
			 unsigned long arg)
{
	struct kvm *kvm = filp->private_data;
	void __user *argp = (void __user *)arg;

	/* Only the creating process may drive the VM (as in-tree KVM). */
	if (kvm->mm != current->mm)
		return -EIO;

	switch (ioctl) {
	case KVM_CREATE_VCPU:
		return kvm_vm_create_vcpu(kvm, arg);
	case KVM_SET_USER_MEMORY_REGION: {
		struct kvm_userspace_memory_region mem;

		if (copy_from_user(&mem, argp, sizeof(mem)))
			return -EFAULT;
		return kvm_set_user_memory_region(kvm, &mem);
	}
	case KVM_CHECK_EXTENSION:
		return kvm_arch_check_extension(kvm, arg);
	case KVM_GET_DIRTY_LOG:
		return kvm_vm_get_dirty_log(kvm, argp);
	case KVM_IRQFD:
		return kvm_vm_irqfd(kvm, argp);
	case KVM_IOEVENTFD:
		return kvm_vm_ioeventfd(kvm, argp);
	default:
		return kvm_arch_vm_ioctl(filp, ioctl, arg);
	}
}

struct file_operations kvm_vm_fops = {
	.release = kvm_vm_release,
	.unlocked_ioctl = kvm_vm_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct kvm *kvm_create_vm(unsigned long type)
{
	struct kvm *kvm;
	int r;

	kvm = kzalloc(sizeof(*kvm), GFP_KERNEL_ACCOUNT);
	if (!kvm)
		return ERR_PTR(-ENOMEM);

	kvm->mm = current->mm;
	mmgrab(kvm->mm);
	refcount_set(&kvm->users, 1);
	mutex_init(&kvm->lock);
	mutex_init(&kvm->slots_lock);
	spin_lock_init(&kvm->irqfds_lock);
	INIT_LIST_HEAD(&kvm->irqfds);
	INIT_LIST_HEAD(&kvm->ioeventfds);
	spin_lock_init(&kvm->mmu_lock);
	xa_init(&kvm->slots_by_id);
	mt_init_flags(&kvm->slots_by_gfn, MT_FLAGS_USE_RCU);
	xa_init(&kvm->vcpus);

	r = -ENOMEM;
	if (!zalloc_cpumask_var(&kvm->flush_mask, GFP_KERNEL_ACCOUNT))
		goto out_free;
	r = init_srcu_struct(&kvm->srcu);
	if (r)
		goto out_free;

	r = kvm_arch_init_vm(kvm, type);
	if (r)
		goto out_srcu;

	r = kvm_mmu_notifier_register(kvm);
	if (r)
		goto out_arch;
	return kvm;

out_arch:
	kvm_arch_destroy_vm(kvm);
out_srcu:
	cleanup_srcu_struct(&kvm->srcu);
out_free:
	free_cpumask_var(kvm->flush_mask);
	mtree_destroy(&kvm->slots_by_gfn);
	mmdrop(kvm->mm);
	kfree(kvm);
	return ERR_PTR(r);
}

int kvm_dev_create_vm(unsigned long type)
{
	struct kvm *kvm;
	struct file *file;
	int fd;

	kvm = kvm_create_vm(type);
	if (IS_ERR(kvm))
		return PTR_ERR(kvm);

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		kvm_put_kvm(kvm);
		return fd;
	}
	file = anon_inode_getfile("kvm-vm", &kvm_vm_fops, kvm, O_RDWR);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		kvm_put_kvm(kvm);
		return PTR_ERR(file);
	}
	fd_install(fd, file);
	return fd;
}
