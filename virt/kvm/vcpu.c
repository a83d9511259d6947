// SPDX-License-Identifier: GPL-2.0-only
/*
 * vCPU objects: creation, the vCPU file descriptor (ioctls and the mmap of
 * struct kvm_run), requests and kicks, and loading a vCPU on a physical
 * CPU across preemption.
 *
 * A vCPU is loaded (kvm_arch_vcpu_load) for the duration of each ioctl.
 * Preempt notifiers unload it when its thread is scheduled out and load it
 * again, possibly on another CPU, when the thread comes back.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <kvm/kvm_core.h>

static struct kvm_vcpu *preempt_notifier_to_vcpu(struct preempt_notifier *pn)
{
	return container_of(pn, struct kvm_vcpu, preempt_notifier);
}

static void kvm_sched_in(struct preempt_notifier *pn, int cpu)
{
	struct kvm_vcpu *vcpu = preempt_notifier_to_vcpu(pn);

	kvm_arch_vcpu_load(vcpu, cpu);
}

static void kvm_sched_out(struct preempt_notifier *pn,
			  struct task_struct *next)
{
	kvm_arch_vcpu_put(preempt_notifier_to_vcpu(pn));
}

static struct preempt_ops kvm_preempt_ops = {
	.sched_in = kvm_sched_in,
	.sched_out = kvm_sched_out,
};

void vcpu_load(struct kvm_vcpu *vcpu)
{
	int cpu = get_cpu();

	preempt_notifier_register(&vcpu->preempt_notifier);
	kvm_arch_vcpu_load(vcpu, cpu);
	put_cpu();
}

void vcpu_put(struct kvm_vcpu *vcpu)
{
	preempt_disable();
	kvm_arch_vcpu_put(vcpu);
	preempt_notifier_unregister(&vcpu->preempt_notifier);
	preempt_enable();
}

void kvm_make_request(struct kvm_vcpu *vcpu, int req)
{
	/* Order the request's payload before the bit (see the run loop). */
	smp_wmb();
	set_bit(req, &vcpu->requests);
}

bool kvm_check_request(struct kvm_vcpu *vcpu, int req)
{
	if (!test_bit(req, &vcpu->requests))
		return false;
	clear_bit(req, &vcpu->requests);
	smp_mb__after_atomic();
	return true;
}

/*
 * Make a vCPU that is in guest mode leave it.  The run loop sets
 * IN_GUEST_MODE and then re-checks requests with interrupts disabled, so
 * either it sees our request or we see IN_GUEST_MODE and interrupt it.
 */
static bool kvm_vcpu_exiting(struct kvm_vcpu *vcpu)
{
	return cmpxchg(&vcpu->mode, IN_GUEST_MODE, EXITING_GUEST_MODE) ==
	       IN_GUEST_MODE;
}

/* Wake a vCPU sleeping in kvm_vcpu_block(); true if it was asleep. */
bool kvm_vcpu_wake_up(struct kvm_vcpu *vcpu)
{
	return rcuwait_wake_up(&vcpu->wait);
}

/*
 * New work for @vcpu (a request, an interrupt in its LAPIC): wake it if
 * it sleeps, make it leave guest mode if it runs.  Any context.
 */
void kvm_vcpu_kick(struct kvm_vcpu *vcpu)
{
	int me, cpu;

	/*
	 * The request makes a vCPU that is between its last look at
	 * pending events and guest entry go round once more.
	 */
	kvm_make_request(vcpu, KVM_REQ_KICK);
	if (kvm_vcpu_wake_up(vcpu))
		return;
	me = get_cpu();
	cpu = READ_ONCE(vcpu->cpu);

	if (kvm_vcpu_exiting(vcpu) && cpu != me && cpu >= 0 &&
	    cpu_online(cpu))
		smp_send_reschedule(cpu);
	put_cpu();
}

static void kvm_ack_flush(void *info)
{
}

/*
 * Every vCPU must drop cached guest-physical translations before it next
 * runs guest code.  Called with kvm->mmu_lock held; waits until vCPUs
 * that were in guest mode have left it, so the caller may then release
 * the pages that were unmapped.
 */
void kvm_flush_remote_tlbs(struct kvm *kvm)
{
	struct kvm_vcpu *vcpu;
	unsigned long i;
	int me;

	lockdep_assert_held(&kvm->mmu_lock);
	cpumask_clear(kvm->flush_mask);
	me = get_cpu();
	kvm_for_each_vcpu(i, vcpu, kvm) {
		int cpu;

		kvm_make_request(vcpu, KVM_REQ_TLB_FLUSH);
		smp_mb__after_atomic();
		cpu = READ_ONCE(vcpu->cpu);
		if (kvm_vcpu_exiting(vcpu) && cpu != me && cpu >= 0)
			cpumask_set_cpu(cpu, kvm->flush_mask);
	}
	smp_call_function_many(kvm->flush_mask, kvm_ack_flush, NULL, true);
	put_cpu();
}

static vm_fault_t kvm_vcpu_fault(struct vm_fault *vmf)
{
	struct kvm_vcpu *vcpu = vmf->vma->vm_file->private_data;
	struct page *page;

	if (vmf->pgoff == 0)
		page = virt_to_page(vcpu->run);
	else if (vmf->pgoff == KVM_PIO_PAGE_OFFSET)
		page = vcpu->pio_page;
	else
		return VM_FAULT_SIGBUS;
	get_page(page);
	vmf->page = page;
	return 0;
}

static const struct vm_operations_struct kvm_vcpu_vm_ops = {
	.fault = kvm_vcpu_fault,
};

static int kvm_vcpu_mmap(struct file *file, struct vm_area_struct *vma)
{
	vma->vm_ops = &kvm_vcpu_vm_ops;
	return 0;
}

static int kvm_vcpu_release(struct inode *inode, struct file *filp)
{
	struct kvm_vcpu *vcpu = filp->private_data;

	kvm_put_kvm(vcpu->kvm);
	return 0;
}

static long kvm_vcpu_set_sigmask(struct kvm_vcpu *vcpu, void __user *argp)
{
	struct kvm_signal_mask kmask;
	sigset_t set;

	if (!argp) {
		vcpu->sigset_active = false;
		return 0;
	}
	if (copy_from_user(&kmask, argp, sizeof(kmask)))
		return -EFAULT;
	if (kmask.len != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&set, argp + sizeof(kmask), sizeof(set)))
		return -EFAULT;
	sigdelsetmask(&set, sigmask(SIGKILL) | sigmask(SIGSTOP));
	vcpu->sigset = set;
	vcpu->sigset_active = true;
	return 0;
}

static long kvm_vcpu_run(struct kvm_vcpu *vcpu)
{
	struct pid *old = rcu_access_pointer(vcpu->pid);
	sigset_t saved;
	long r;

	if (unlikely(old != task_pid(current))) {
		/* vcpu->mutex serialises writers of vcpu->pid. */
		rcu_assign_pointer(vcpu->pid, get_task_pid(current, PIDTYPE_PID));
		synchronize_rcu();
		put_pid(old);
	}
	if (vcpu->sigset_active)
		sigprocmask(SIG_SETMASK, &vcpu->sigset, &saved);
	vcpu_load(vcpu);
	r = kvm_arch_vcpu_run(vcpu);
	vcpu_put(vcpu);
	if (vcpu->sigset_active)
		sigprocmask(SIG_SETMASK, &saved, NULL);
	return r;
}

static long kvm_vcpu_ioctl(struct file *filp, unsigned int ioctl,
			   unsigned long arg)
{
	struct kvm_vcpu *vcpu = filp->private_data;
	long r;

	if (vcpu->kvm->mm != current->mm)
		return -EIO;
	if (mutex_lock_killable(&vcpu->mutex))
		return -EINTR;

	switch (ioctl) {
	case KVM_RUN:
		r = arg ? -EINVAL : kvm_vcpu_run(vcpu);
		break;
	case KVM_SET_SIGNAL_MASK:
		r = kvm_vcpu_set_sigmask(vcpu, (void __user *)arg);
		break;
	default:
		vcpu_load(vcpu);
		r = kvm_arch_vcpu_ioctl(filp, ioctl, arg);
		vcpu_put(vcpu);
		break;
	}
	mutex_unlock(&vcpu->mutex);
	return r;
}

struct file_operations kvm_vcpu_fops = {
	.release = kvm_vcpu_release,
	.unlocked_ioctl = kvm_vcpu_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = kvm_vcpu_mmap,
	.llseek = noop_llseek,
};

static bool vcpu_id_taken(struct kvm *kvm, u32 id)
{
	struct kvm_vcpu *vcpu;
	unsigned long i;

	kvm_for_each_vcpu(i, vcpu, kvm)
		if (vcpu->vcpu_id == id)
			return true;
	return false;
}

static void kvm_vcpu_free(struct kvm_vcpu *vcpu)
{
	if (vcpu->pio_page)
		__free_page(vcpu->pio_page);
	free_page((unsigned long)vcpu->run);
	kfree(vcpu);
}

/* Called by the arch layer when the VM is destroyed. */
void kvm_vcpu_destroy(struct kvm_vcpu *vcpu)
{
	kvm_arch_vcpu_destroy(vcpu);
	put_pid(rcu_dereference_protected(vcpu->pid, 1));
	kvm_vcpu_free(vcpu);
}

int kvm_vm_create_vcpu(struct kvm *kvm, u32 id)
{
	struct kvm_vcpu *vcpu;
	char name[24];
	int r, idx;

	if (id >= KVM_MAX_VCPU_IDS)
		return -EINVAL;

	vcpu = kzalloc(sizeof(*vcpu), GFP_KERNEL_ACCOUNT);
	if (!vcpu)
		return -ENOMEM;
	vcpu->run = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	vcpu->pio_page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!vcpu->run || !vcpu->pio_page) {
		kvm_vcpu_free(vcpu);
		return -ENOMEM;
	}
	vcpu->kvm = kvm;
	vcpu->vcpu_id = id;
	vcpu->cpu = -1;
	mutex_init(&vcpu->mutex);
	rcuwait_init(&vcpu->wait);
	preempt_notifier_init(&vcpu->preempt_notifier, &kvm_preempt_ops);

	mutex_lock(&kvm->lock);
	idx = atomic_read(&kvm->online_vcpus);
	if (idx >= KVM_MAX_VCPUS) {
		r = -EINVAL;
		goto out_unlock;
	}
	if (vcpu_id_taken(kvm, id)) {
		r = -EEXIST;
		goto out_unlock;
	}
	r = kvm_arch_vcpu_precreate(kvm, id);
	if (r)
		goto out_unlock;
	vcpu->vcpu_idx = idx;
	r = kvm_arch_vcpu_create(vcpu);
	if (r)
		goto out_unlock;
	r = xa_insert(&kvm->vcpus, idx, vcpu, GFP_KERNEL_ACCOUNT);
	if (r)
		goto out_arch;

	/* The fd's reference; taken before the fd can be closed. */
	kvm_get_kvm(kvm);
	snprintf(name, sizeof(name), "kvm-vcpu:%u", id);
	r = anon_inode_getfd(name, &kvm_vcpu_fops, vcpu, O_RDWR | O_CLOEXEC);
	if (r < 0) {
		xa_erase(&kvm->vcpus, idx);
		/* Cannot be the last reference: the caller holds the VM fd. */
		refcount_dec(&kvm->users);
		goto out_arch;
	}
	/* Publish the vCPU only once it is fully set up. */
	smp_wmb();
	atomic_inc(&kvm->online_vcpus);
	mutex_unlock(&kvm->lock);
	return r;

out_arch:
	kvm_arch_vcpu_destroy(vcpu);
out_unlock:
	mutex_unlock(&kvm->lock);
	kvm_vcpu_free(vcpu);
	return r;
}
