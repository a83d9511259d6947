// SPDX-License-Identifier: GPL-2.0-only
/*
 * eventfds as interrupt and doorbell wires between a VMM's device
 * threads and the guest, with no vCPU exit to userspace in between:
 *
 *   KVM_IRQFD      a write to the eventfd raises a GSI (an edge);
 *   KVM_IOEVENTFD  a guest write to a port or MMIO address (optionally
 *                  with a given value) signals the eventfd.
 *
 * An irqfd is woken by eventfd_signal() with the eventfd's wait-queue
 * lock held and interrupts off, where interrupt chips cannot be driven:
 * the wake-up only queues a work item that raises the GSI.
 */
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/list.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include <kvm/kvm_core.h>

struct kvm_irqfd_wire {
	struct kvm *kvm;
	struct list_head link;		/* kvm->irqfds, under irqfds_lock */
	struct eventfd_ctx *eventfd;
	u32 gsi;
	wait_queue_entry_t wait;
	poll_table pt;
	struct work_struct inject;
	struct work_struct shutdown;
};

static struct workqueue_struct *irqfd_wq;

static void irqfd_inject(struct work_struct *work)
{
	struct kvm_irqfd_wire *w = container_of(work, typeof(*w), inject);

	kvm_arch_irqfd_inject(w->kvm, w->gsi);
}

/*
 * Detach from the eventfd and free; the wire is off kvm->irqfds.  A
 * write the wire already took from the eventfd is raised first unless
 * the VM is going away (@deliver false): a VMM that deassigns an irqfd
 * to inject from userspace instead (masking an MSI-X vector, say) must
 * not lose it, and in-tree does not.
 */
static void irqfd_free(struct kvm_irqfd_wire *w, bool deliver)
{
	u64 cnt;

	eventfd_ctx_remove_wait_queue(w->eventfd, &w->wait, &cnt);
	if (deliver)
		flush_work(&w->inject);
	else
		cancel_work_sync(&w->inject);
	eventfd_ctx_put(w->eventfd);
	kfree(w);
}

/* The eventfd was closed: the wire goes away by itself. */
static void irqfd_shutdown(struct work_struct *work)
{
	struct kvm_irqfd_wire *w = container_of(work, typeof(*w), shutdown);
	struct kvm *kvm = w->kvm;
	bool mine;

	spin_lock_irq(&kvm->irqfds_lock);
	mine = !list_empty(&w->link);
	list_del_init(&w->link);
	spin_unlock_irq(&kvm->irqfds_lock);
	/* Otherwise deassign or VM teardown already owns it. */
	if (mine)
		irqfd_free(w, true);
}

static int irqfd_wakeup(wait_queue_entry_t *wait, unsigned int mode,
			int sync, void *key)
{
	struct kvm_irqfd_wire *w = container_of(wait, typeof(*w), wait);
	__poll_t flags = key_to_poll(key);

	if (flags & EPOLLIN) {
		u64 cnt;

		eventfd_ctx_do_read(w->eventfd, &cnt);
		queue_work(irqfd_wq, &w->inject);
	}
	if (flags & EPOLLHUP)
		queue_work(irqfd_wq, &w->shutdown);
	/*
	 * add_wait_queue_priority() made the wire an exclusive waiter at
	 * the head of the queue: nonzero ends the wake-up here, so that
	 * the write it took reaches no other waiter (another VM's irqfd on
	 * the same eventfd, a poller), as in-tree.  A hang-up goes to all.
	 */
	return (flags & EPOLLIN) && !(flags & EPOLLHUP);
}

static void irqfd_queue_proc(struct file *file, wait_queue_head_t *wqh,
			     poll_table *pt)
{
	struct kvm_irqfd_wire *w = container_of(pt, typeof(*w), pt);

	add_wait_queue_priority(wqh, &w->wait);
}

static int irqfd_assign(struct kvm *kvm, const struct kvm_irqfd *args)
{
	struct kvm_irqfd_wire *w, *tmp;
	struct eventfd_ctx *eventfd;
	struct fd f;
	__poll_t events;
	int r;

	f = fdget(args->fd);
	if (!f.file)
		return -EBADF;
	eventfd = eventfd_ctx_fileget(f.file);
	if (IS_ERR(eventfd)) {
		r = PTR_ERR(eventfd);
		goto out;
	}
	r = -ENOMEM;
	w = kzalloc(sizeof(*w), GFP_KERNEL_ACCOUNT);
	if (!w) {
		eventfd_ctx_put(eventfd);
		goto out;
	}
	w->kvm = kvm;
	w->gsi = args->gsi;
	w->eventfd = eventfd;
	INIT_LIST_HEAD(&w->link);
	INIT_WORK(&w->inject, irqfd_inject);
	INIT_WORK(&w->shutdown, irqfd_shutdown);
	init_waitqueue_func_entry(&w->wait, irqfd_wakeup);
	init_poll_funcptr(&w->pt, irqfd_queue_proc);

	spin_lock_irq(&kvm->irqfds_lock);
	list_for_each_entry(tmp, &kvm->irqfds, link) {
		if (tmp->eventfd == eventfd) {
			spin_unlock_irq(&kvm->irqfds_lock);
			eventfd_ctx_put(eventfd);
			kfree(w);
			r = -EBUSY;
			goto out;
		}
	}
	list_add_tail(&w->link, &kvm->irqfds);
	spin_unlock_irq(&kvm->irqfds_lock);

	/* Signals sent before the assignment count too. */
	events = vfs_poll(f.file, &w->pt);
	if (events & EPOLLIN)
		queue_work(irqfd_wq, &w->inject);
	r = 0;
out:
	fdput(f);
	return r;
}

static int irqfd_deassign(struct kvm *kvm, const struct kvm_irqfd *args)
{
	struct kvm_irqfd_wire *w, *found = NULL;
	struct eventfd_ctx *eventfd;

	eventfd = eventfd_ctx_fdget(args->fd);
	if (IS_ERR(eventfd))
		return PTR_ERR(eventfd);
	spin_lock_irq(&kvm->irqfds_lock);
	list_for_each_entry(w, &kvm->irqfds, link) {
		if (w->eventfd == eventfd && w->gsi == args->gsi) {
			list_del_init(&w->link);
			found = w;
			break;
		}
	}
	spin_unlock_irq(&kvm->irqfds_lock);
	eventfd_ctx_put(eventfd);
	if (found) {
		/* A shutdown already queued finds it off the list. */
		cancel_work_sync(&found->shutdown);
		irqfd_free(found, true);
	}
	/* As in-tree: deassigning an unknown irqfd is not an error. */
	return 0;
}

int kvm_vm_irqfd(struct kvm *kvm, struct kvm_irqfd __user *u)
{
	struct kvm_irqfd args;

	if (copy_from_user(&args, u, sizeof(args)))
		return -EFAULT;
	/* Resampling (level-triggered irqfds) is not offered. */
	if (args.flags & ~KVM_IRQFD_FLAG_DEASSIGN)
		return -EINVAL;
	if (args.flags & KVM_IRQFD_FLAG_DEASSIGN)
		return irqfd_deassign(kvm, &args);
	/* In-tree: EINVAL without an in-kernel irqchip, whatever the fd. */
	if (!kvm_arch_irqfd_allowed(kvm))
		return -EINVAL;
	return irqfd_assign(kvm, &args);
}

void kvm_irqfd_release(struct kvm *kvm)
{
	struct kvm_irqfd_wire *w;

	/*
	 * One at a time, each off the list under the lock: a shutdown
	 * work item that runs meanwhile then knows the wire is not its own.
	 */
	spin_lock_irq(&kvm->irqfds_lock);
	while (!list_empty(&kvm->irqfds)) {
		w = list_first_entry(&kvm->irqfds, typeof(*w), link);
		list_del_init(&w->link);
		spin_unlock_irq(&kvm->irqfds_lock);
		cancel_work_sync(&w->shutdown);
		irqfd_free(w, false);
		spin_lock_irq(&kvm->irqfds_lock);
	}
	spin_unlock_irq(&kvm->irqfds_lock);
}

/* ---- ioeventfd ------------------------------------------------------ */

struct kvm_ioeventfd_dev {
	struct kvm_io_device dev;
	struct list_head link;		/* kvm->ioeventfds, under slots_lock */
	struct eventfd_ctx *eventfd;
	enum kvm_bus bus;		/* or IOEVENTFD_NO_BUS */
	u64 addr;
	int len;			/* 0: any access at addr */
	bool datamatch;
	u64 data;
};

/*
 * virtio-ccw notifications are an s390 thing, but in-tree accepts them
 * here too, for a bus no x86 guest reaches: kept on the list only.
 */
#define IOEVENTFD_NO_BUS	KVM_NR_BUSES

/* The bus range of a zero-length ioeventfd: any access starting at addr. */
#define IOEVENTFD_ANY_LEN	8

static int ioeventfd_write(struct kvm_vcpu *vcpu, struct kvm_io_device *dev,
			   gpa_t addr, int len, const void *val)
{
	struct kvm_ioeventfd_dev *p = container_of(dev, typeof(*p), dev);
	u64 v = 0;

	if (addr != p->addr || (p->len && len != p->len))
		return -EOPNOTSUPP;
	/*
	 * The value, zero-extended, against all of datamatch: as in-tree,
	 * a datamatch wider than the access never matches.
	 */
	if (p->datamatch) {
		memcpy(&v, val, min_t(int, len, sizeof(v)));
		if (v != p->data)
			return -EOPNOTSUPP;
	}
	eventfd_signal(p->eventfd, 1);
	return 0;
}

static const struct kvm_io_device_ops ioeventfd_ops = {
	.write = ioeventfd_write,
};

/* Could one guest write fire both?  Then in-tree refuses the second. */
static bool ioeventfd_collide(const struct kvm_ioeventfd_dev *p,
			      const struct kvm_ioeventfd_dev *q)
{
	if (p->bus != q->bus || p->addr != q->addr)
		return false;
	if (!p->len || !q->len)
		return true;
	if (p->len != q->len)
		return false;
	return !p->datamatch || !q->datamatch || p->data == q->data;
}

/* A deassignment names exactly one, eventfd included. */
static bool ioeventfd_same(const struct kvm_ioeventfd_dev *p,
			   const struct kvm_ioeventfd_dev *q)
{
	return p->bus == q->bus && p->addr == q->addr && p->len == q->len &&
	       p->eventfd == q->eventfd && p->datamatch == q->datamatch &&
	       (!p->datamatch || p->data == q->data);
}

static enum kvm_bus ioeventfd_bus(u32 flags)
{
	if (flags & KVM_IOEVENTFD_FLAG_PIO)
		return KVM_PIO_BUS;
	if (flags & KVM_IOEVENTFD_FLAG_VIRTIO_CCW_NOTIFY)
		return IOEVENTFD_NO_BUS;
	return KVM_MMIO_BUS;
}

static int ioeventfd_check(const struct kvm_ioeventfd *args)
{
	if (args->len != 0 && args->len != 1 && args->len != 2 &&
	    args->len != 4 && args->len != 8)
		return -EINVAL;
	if (args->addr + args->len < args->addr)
		return -EINVAL;
	/* In-tree knows FAST_MMIO (and ignores it) and VIRTIO_CCW_NOTIFY. */
	if (args->flags & ~KVM_IOEVENTFD_VALID_FLAG_MASK)
		return -EINVAL;
	/* Without a length there is no value to compare. */
	if (!args->len && (args->flags & KVM_IOEVENTFD_FLAG_DATAMATCH))
		return -EINVAL;
	return 0;
}

int kvm_vm_ioeventfd(struct kvm *kvm, struct kvm_ioeventfd __user *u)
{
	struct kvm_ioeventfd args;
	struct kvm_ioeventfd_dev key, *p, *found = NULL;
	bool deassign;
	int r;

	if (copy_from_user(&args, u, sizeof(args)))
		return -EFAULT;
	deassign = args.flags & KVM_IOEVENTFD_FLAG_DEASSIGN;
	/*
	 * As in-tree, a deassignment is not validated: whatever cannot
	 * have been assigned simply matches nothing.
	 */
	if (!deassign) {
		r = ioeventfd_check(&args);
		if (r)
			return r;
	}

	key.bus = ioeventfd_bus(args.flags);
	key.addr = args.addr;
	key.len = args.len;
	key.datamatch = args.flags & KVM_IOEVENTFD_FLAG_DATAMATCH;
	key.data = key.datamatch ? args.datamatch : 0;

	key.eventfd = eventfd_ctx_fdget(args.fd);
	if (IS_ERR(key.eventfd))
		return PTR_ERR(key.eventfd);

	mutex_lock(&kvm->slots_lock);
	list_for_each_entry(p, &kvm->ioeventfds, link) {
		if (deassign ? ioeventfd_same(p, &key) :
			       ioeventfd_collide(p, &key)) {
			found = p;
			break;
		}
	}
	if (deassign) {
		r = -ENOENT;
		if (found) {
			if (found->bus != IOEVENTFD_NO_BUS)
				kvm_io_bus_unregister_dev(kvm, found->bus,
							  &found->dev);
			list_del(&found->link);
			eventfd_ctx_put(found->eventfd);
			kfree(found);
			r = 0;
		}
		goto out;
	}
	r = -EEXIST;
	if (found)
		goto out;
	r = -ENOMEM;
	p = kmemdup(&key, sizeof(key), GFP_KERNEL_ACCOUNT);
	if (!p)
		goto out;
	p->dev.ops = &ioeventfd_ops;
	r = 0;
	if (p->bus != IOEVENTFD_NO_BUS)
		r = kvm_io_bus_register_dev(kvm, p->bus, p->addr,
					    p->len ? p->len : IOEVENTFD_ANY_LEN,
					    &p->dev);
	if (r) {
		kfree(p);
		goto out;
	}
	list_add_tail(&p->link, &kvm->ioeventfds);
	key.eventfd = NULL;	/* the device holds the reference now */
out:
	mutex_unlock(&kvm->slots_lock);
	if (key.eventfd)
		eventfd_ctx_put(key.eventfd);
	return r;
}

/* VM teardown: nobody can reach the buses any more. */
void kvm_ioeventfd_release(struct kvm *kvm)
{
	struct kvm_ioeventfd_dev *p, *tmp;

	list_for_each_entry_safe(p, tmp, &kvm->ioeventfds, link) {
		list_del(&p->link);
		eventfd_ctx_put(p->eventfd);
		kfree(p);
	}
}

int kvm_eventfd_init(void)
{
	irqfd_wq = alloc_workqueue("kvm-irqfd", WQ_UNBOUND, 0);
	return irqfd_wq ? 0 : -ENOMEM;
}

void kvm_eventfd_exit(void)
{
	destroy_workqueue(irqfd_wq);
}
