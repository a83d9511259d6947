// SPDX-License-Identifier: GPL-2.0-only
/*
 * Registration of a vendor backend and the per-CPU enabling of
 * virtualization it implies.
 *
 * Virtualization is enabled on every online CPU while a backend is
 * registered: a CPU hotplug state enables it on CPUs coming online and
 * disables it on CPUs going offline; reboot and the kernel's emergency
 * (crash/NMI) path disable it so that a kexec'd kernel finds the CPUs in
 * their normal state.
 */
#include <linux/cpu.h>
#include <linux/module.h>
#include <linux/reboot.h>
#include <asm/reboot.h>

#include "x86.h"

const struct kvm_x86_ops *kvm_x86_ops;
static int kvm_cpuhp_state;

static int kvm_cpu_online(unsigned int cpu)
{
	return kvm_x86_ops->hardware_enable();
}

static int kvm_cpu_offline(unsigned int cpu)
{
	kvm_x86_ops->hardware_disable();
	return 0;
}

static void kvm_disable_this_cpu(void *unused)
{
	kvm_x86_ops->hardware_disable();
}

static int kvm_reboot(struct notifier_block *nb, unsigned long code, void *v)
{
	on_each_cpu(kvm_disable_this_cpu, NULL, 1);
	return NOTIFY_OK;
}

static struct notifier_block kvm_reboot_nb = {
	.notifier_call = kvm_reboot,
};

/* Crash/emergency reboot, possibly in NMI context: no locks. */
static void kvm_emergency_disable(void)
{
	kvm_x86_ops->hardware_disable();
}

int kvm_x86_register_vendor(const struct kvm_x86_ops *ops, struct module *owner)
{
	int r;

	if (kvm_x86_ops) {
		pr_err("kvm: already using the %s backend\n", kvm_x86_ops->name);
		return -EEXIST;
	}
	kvm_x86_ops = ops;
	kvm_xsave_init();

	r = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "kvm/x86:online",
			      kvm_cpu_online, kvm_cpu_offline);
	if (r < 0) {
		pr_err("kvm: enabling %s failed on some CPU: %d\n",
		       ops->name, r);
		goto out_ops;
	}
	kvm_cpuhp_state = r;
	register_reboot_notifier(&kvm_reboot_nb);
	cpu_emergency_register_virt_callback(kvm_emergency_disable);

	r = kvm_core_register(owner);
	if (r)
		goto out_cpuhp;
	return 0;

out_cpuhp:
	cpu_emergency_unregister_virt_callback(kvm_emergency_disable);
	unregister_reboot_notifier(&kvm_reboot_nb);
	cpuhp_remove_state(kvm_cpuhp_state);
out_ops:
	kvm_x86_ops = NULL;
	return r;
}
EXPORT_SYMBOL_GPL(kvm_x86_register_vendor);

void kvm_x86_unregister_vendor(void)
{
	kvm_core_unregister();
	cpu_emergency_unregister_virt_callback(kvm_emergency_disable);
	unregister_reboot_notifier(&kvm_reboot_nb);
	cpuhp_remove_state(kvm_cpuhp_state);
	kvm_x86_ops = NULL;
}
EXPORT_SYMBOL_GPL(kvm_x86_unregister_vendor);
