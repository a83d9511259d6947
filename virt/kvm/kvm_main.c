// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvm.ko entry points: module init, /dev/kvm and its system ioctls, and
 * the registration of a vendor backend.
 *
 * /dev/kvm exists only while a vendor module (kvm-amd, kvm-intel) is
 * registered, as with the in-tree modules.  Every file we hand out (the
 * /dev/kvm fd, VM fds, vCPU fds) pins the vendor module, so the backend's
 * code cannot go away under an open descriptor.
 */
#include <linux/module.h>
#include <linux/miscdevice.h>
#include <linux/fs.h>
#include <linux/mm.h>

#include <kvm/kvm_core.h>

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Clean-room kernel virtual machine core");

static DEFINE_MUTEX(kvm_register_lock);
static struct module *kvm_vendor_module;

static long kvm_dev_ioctl(struct file *filp, unsigned int ioctl,
			  unsigned long arg)
{
	switch (ioctl) {
	case KVM_GET_API_VERSION:
		if (arg)
			return -EINVAL;
		return KVM_API_VERSION_NR;
	case KVM_CREATE_VM:
		return kvm_dev_create_vm(arg);
	case KVM_CHECK_EXTENSION:
		return kvm_arch_check_extension(NULL, arg);
	case KVM_GET_VCPU_MMAP_SIZE:
		if (arg)
			return -EINVAL;
		/* kvm_run, then the PIO data page. */
		return PAGE_SIZE * (KVM_PIO_PAGE_OFFSET + 1);
	default:
		return kvm_arch_dev_ioctl(filp, ioctl, arg);
	}
}

static struct file_operations kvm_chardev_fops = {
	.unlocked_ioctl = kvm_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice kvm_dev = {
	.minor = KVM_MINOR,
	.name = "kvm",
	.fops = &kvm_chardev_fops,
	.mode = 0666,
};

/*
 * Called by a vendor module once its hardware is enabled.  Only one
 * backend can be registered at a time.
 */
int kvm_core_register(struct module *vendor)
{
	int r;

	mutex_lock(&kvm_register_lock);
	if (kvm_vendor_module) {
		r = -EBUSY;
		goto out;
	}
	kvm_chardev_fops.owner = vendor;
	kvm_vm_fops.owner = vendor;
	kvm_vcpu_fops.owner = vendor;
	r = misc_register(&kvm_dev);
	if (r) {
		pr_err("kvm: misc device register failed: %d\n", r);
		goto out;
	}
	kvm_vendor_module = vendor;
out:
	mutex_unlock(&kvm_register_lock);
	return r;
}
EXPORT_SYMBOL_GPL(kvm_core_register);

void kvm_core_unregister(void)
{
	mutex_lock(&kvm_register_lock);
	if (kvm_vendor_module) {
		misc_deregister(&kvm_dev);
		kvm_vendor_module = NULL;
	}
	mutex_unlock(&kvm_register_lock);
}
EXPORT_SYMBOL_GPL(kvm_core_unregister);

static int __init kvm_core_init(void)
{
	int r = kvm_eventfd_init();

	if (r)
		return r;
	/* vCPUs follow their thread across CPUs with preempt notifiers. */
	preempt_notifier_inc();
	return 0;
}

static void __exit kvm_core_exit(void)
{
	preempt_notifier_dec();
	kvm_eventfd_exit();
}

module_init(kvm_core_init);
module_exit(kvm_core_exit);
