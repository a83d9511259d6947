// SPDX-License-Identifier: GPL-2.0-only
/*
 * The in-kernel 8254 PIT (KVM_CREATE_PIT2): ports 0x40-0x43, optionally
 * the speaker port 0x61 (KVM_PIT_SPEAKER_DUMMY), and channel 0 driving
 * GSI 0.
 *
 * A channel does not tick: its count and OUT are computed when read, from
 * the host time (ktime_get()) elapsed since the count was loaded, so an
 * idle channel costs nothing.  Only channel 0 needs a real timer, to raise
 * IRQ0 when OUT rises: at the end of every period in modes 2 and 3, once
 * at terminal count in the others.
 *
 * The hrtimer callback runs in hard-irq context, where kvm_set_irq()
 * (which takes the chips' locks) may not be called: it only counts a
 * pending tick and queues a work item on a per-VM kthread worker
 * ("kvm-pit/<pid>", as api.rst announces), which pulses GSI 0.
 *
 * Locking: pit->lock (mutex) guards the channels and flags; port accesses
 * and ioctls are process context.  The timer callback touches only
 * @pending and queues work; the timer is (re)armed only under pit->lock
 * and after hrtimer_cancel(), which is what lets it read @period_ns
 * without a lock.
 */
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/math64.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "x86.h"
#include "irq.h"

#define PIT_FREQ_HZ		1193182
#define PIT_PORT_BASE		0x40
#define PIT_SPEAKER_PORT	0x61
/* Periodic IRQ0 faster than this would only burn host CPU. */
#define PIT_MIN_PERIOD_NS	(100 * NSEC_PER_USEC)
/* Reinject backlog bound: ticks beyond this are lost, not queued. */
#define PIT_MAX_PENDING		100
/* Port 0x61 bit 4 toggles with each DRAM refresh request on a PC. */
#define PIT_REFRESH_NS		15085
/* No control word written since creation: the channel does nothing. */
#define PIT_MODE_NONE		0xff

/*
 * read_state, write_state and count_latched: which byte comes next.
 * The values are the access-mode field of the control word (1-3), plus
 * "MSB of a word" (4); userspace sees and migrates them.
 */
enum { RW_LSB = 1, RW_MSB, RW_WORD0, RW_WORD1 };

struct pit_channel {
	/* count: as written (BCD digits if bcd), 0 stored as 0x10000. */
	struct kvm_pit_channel_state s;
	bool null_count;	/* control word written, count not yet */
	/*
	 * Not counting: no count loaded, gate low in modes 0/2/3/4 (counting
	 * inhibited), or waiting for a gate trigger in modes 1/5.
	 */
	bool stopped;
	s64 held_ns;		/* counted before stopping (modes 0/4 resume) */
};

struct kvm_pit {
	struct kvm *kvm;
	struct kvm_io_device dev;	/* 0x40-0x43 */
	struct kvm_io_device speaker;	/* 0x61, with KVM_PIT_SPEAKER_DUMMY */
	bool has_speaker;

	struct mutex lock;
	struct pit_channel ch[3];	/* ch[0..1].s.gate is always 1 */
	bool hpet_legacy;		/* KVM_PIT_FLAGS_HPET_LEGACY: no IRQ0 */
	u32 flags;			/* as KVM_SET_PIT2 last gave them */
	bool speaker_data_on;		/* port 0x61 bit 1 */

	struct hrtimer timer;		/* channel 0's next OUT rising edge */
	u64 period_ns;			/* 0: one-shot */
	atomic_t pending;		/* ticks not injected yet */
	bool reinject;			/* KVM_REINJECT_CONTROL */
	bool stopping;
	struct kthread_worker *worker;
	struct kthread_work inject;
	wait_queue_head_t wq;		/* reinject retry sleep, cut by stop */
};

static u32 pit_rem(u64 a, u32 b)
{
	u32 rem;

	div_u64_rem(a, b, &rem);
	return rem;
}

/* Modes 6 and 7 are 2 and 3 with a don't-care bit; -1 for none. */
static int pit_mode(const struct pit_channel *c)
{
	if (c->s.mode == PIT_MODE_NONE)
		return -1;
	return c->s.mode > 5 ? c->s.mode - 4 : c->s.mode;
}

static u32 pit_modulus(const struct pit_channel *c)
{
	return c->s.bcd ? 10000 : 0x10000;
}

/* The initial count as a number of clocks (1 .. 65536). */
static u32 pit_initial(const struct pit_channel *c)
{
	u32 v = c->s.count;

	if (v == 0x10000)
		return pit_modulus(c);
	if (!c->s.bcd)
		return v;
	/* Invalid BCD digits still give a deterministic, nonzero count. */
	return (v >> 12 & 0xf) * 1000 + (v >> 8 & 0xf) * 100 +
	       (v >> 4 & 0xf) * 10 + (v & 0xf);
}

static u16 pit_encode(const struct pit_channel *c, u32 v)
{
	if (!c->s.bcd)
		return v;
	return (v / 1000 % 10) << 12 | (v / 100 % 10) << 8 |
	       (v / 10 % 10) << 4 | v % 10;
}

/* Clocks counted since the count was loaded (or the gate triggered). */
static u64 pit_ticks(const struct pit_channel *c, ktime_t now)
{
	s64 ns = c->stopped ? c->held_ns : now - c->s.count_load_time;

	return ns > 0 ? mul_u64_u32_div(ns, PIT_FREQ_HZ, NSEC_PER_SEC) : 0;
}

/* The counting element, in the register's format. */
static u16 pit_counter(const struct pit_channel *c, ktime_t now)
{
	u32 n = pit_initial(c), mod = pit_modulus(c), v, p;
	u64 d = pit_ticks(c, now);

	switch (pit_mode(c)) {
	case 2:		/* n .. 1, reload */
		v = n - pit_rem(d, n);
		break;
	case 3:		/* by twos, twice per period; odd n loads n - 1 */
		p = pit_rem(d, n);
		if (p >= (n + 1) / 2)
			p -= (n + 1) / 2;
		v = (n & ~1u) - 2 * p;
		break;
	default:	/* one-shot modes wrap and keep counting */
		v = n + mod - pit_rem(d, mod);
		break;
	}
	return pit_encode(c, v % mod);
}

static bool pit_out(const struct pit_channel *c, ktime_t now)
{
	u32 n = pit_initial(c);
	u64 d = pit_ticks(c, now);

	switch (pit_mode(c)) {
	case 0:		/* low until terminal count */
		return d >= n;
	case 1:		/* low from trigger to terminal count */
		return c->stopped || d >= n;
	case 2:		/* low for the last clock of each period */
		return c->stopped || pit_rem(d, n) != n - 1;
	case 3:		/* square wave, high half first (longer if odd) */
		return c->stopped || pit_rem(d, n) < (n + 1) / 2;
	case 4:		/* low for one clock at terminal count */
		return d != n;
	case 5:
		return c->stopped || d != n;
	default:
		return false;
	}
}

static void pit_add_pending(struct kvm_pit *pit, u64 n)
{
	int old = atomic_read(&pit->pending), new;

	do {
		new = min_t(u64, old + n, PIT_MAX_PENDING);
	} while (!atomic_try_cmpxchg(&pit->pending, &old, new));
}

static enum hrtimer_restart pit_timer_fn(struct hrtimer *t)
{
	struct kvm_pit *pit = container_of(t, struct kvm_pit, timer);
	u64 period = READ_ONCE(pit->period_ns), n = 1;

	/* Periods the host missed count as ticks too (for reinject). */
	if (period)
		n = hrtimer_forward_now(t, ns_to_ktime(period));
	pit_add_pending(pit, n);
	kthread_queue_work(pit->worker, &pit->inject);
	return period ? HRTIMER_RESTART : HRTIMER_NORESTART;
}

/* An edge on GSI 0; returns kvm_set_irq()'s status for the rising one. */
static int pit_pulse(struct kvm_pit *pit)
{
	int ret = kvm_set_irq(pit->kvm, KVM_PIT_IRQ_SOURCE_ID, 0, true);

	kvm_set_irq(pit->kvm, KVM_PIT_IRQ_SOURCE_ID, 0, false);
	return ret;
}

static ktime_t pit_retry_delay(struct kvm_pit *pit)
{
	u64 period = READ_ONCE(pit->period_ns);

	if (!period)
		return ms_to_ktime(1);
	return ns_to_ktime(max_t(u64, period / 2, PIT_MIN_PERIOD_NS));
}

/*
 * Without reinject, whatever piled up is one interrupt.  With reinject,
 * each tick is one interrupt, but a tick is taken off the backlog only
 * once the PIC/IOAPIC took it (status > 0): while the previous one still
 * waits in an IRR (status 0, coalesced) we retry twice a period, which
 * lets a backlog drain at one tick per period net.  A masked line (< 0)
 * drops the backlog: the guest asked not to see these ticks.
 */
static void pit_inject(struct kthread_work *work)
{
	struct kvm_pit *pit = container_of(work, struct kvm_pit, inject);
	int ret;

	while (!READ_ONCE(pit->stopping) && atomic_read(&pit->pending) > 0) {
		if (!READ_ONCE(pit->reinject)) {
			atomic_set(&pit->pending, 0);
			pit_pulse(pit);
			return;
		}
		ret = pit_pulse(pit);
		if (ret < 0)
			atomic_set(&pit->pending, 0);
		else if (ret > 0)
			atomic_dec_if_positive(&pit->pending);
		else
			wait_event_hrtimeout(pit->wq, READ_ONCE(pit->stopping),
					     pit_retry_delay(pit));
	}
}

/*
 * (Re)start channel 0's timer from its current state; any backlog of the
 * previous programming is dropped.
 */
static void pit_arm_timer(struct kvm_pit *pit)
{
	struct pit_channel *c = &pit->ch[0];
	int mode = pit_mode(c);
	u64 ns;

	hrtimer_cancel(&pit->timer);
	atomic_set(&pit->pending, 0);
	WRITE_ONCE(pit->period_ns, 0);
	if (c->stopped || pit->hpet_legacy)
		return;
	ns = mul_u64_u32_div(pit_initial(c), NSEC_PER_SEC, PIT_FREQ_HZ);
	if (mode == 2 || mode == 3) {
		ns = max_t(u64, ns, PIT_MIN_PERIOD_NS);
		WRITE_ONCE(pit->period_ns, ns);
	}
	/* OUT rises after n clocks in every mode (4/5: one clock later). */
	hrtimer_start(&pit->timer, ktime_add_ns(c->s.count_load_time, ns),
		      HRTIMER_MODE_ABS_HARD);
}

/*
 * A new count starts counting at once, whatever the mode (the one-clock
 * load delay and "takes effect at the end of the period" of modes 2/3
 * are not modelled).  In modes 1/5 a load with the gate high counts as a
 * trigger: channels 0 and 1 have their gate tied high and would
 * otherwise never count in these modes.
 */
static void pit_load(struct kvm_pit *pit, int i, u32 raw, ktime_t now)
{
	struct pit_channel *c = &pit->ch[i];

	c->s.count = raw ? raw : 0x10000;
	c->s.count_load_time = now;
	c->held_ns = 0;
	c->null_count = false;
	c->stopped = pit_mode(c) < 0 || !c->s.gate;
	if (i == 0)
		pit_arm_timer(pit);
}

/* Channel 2's gate from port 0x61 (channels 0 and 1: tied high). */
static void pit_set_gate(struct pit_channel *c, bool gate, ktime_t now)
{
	bool old = c->s.gate;
	int mode = pit_mode(c);

	c->s.gate = gate;
	if (old == gate || c->null_count || mode < 0)
		return;
	if (!gate) {
		/* Modes 0/2/3/4 stop counting; 1/5 ignore the level. */
		if (mode != 1 && mode != 5 && !c->stopped) {
			c->held_ns = now - c->s.count_load_time;
			c->stopped = true;
		}
		return;
	}
	/* Rising edge: modes 0/4 resume, the others restart the count. */
	if (mode == 0 || mode == 4)
		c->s.count_load_time = now - c->held_ns;
	else
		c->s.count_load_time = now;
	c->held_ns = 0;
	c->stopped = false;
}

static void pit_latch_count(struct pit_channel *c, ktime_t now)
{
	/* A second latch before the first is read is ignored. */
	if (c->s.count_latched)
		return;
	c->s.latched_count = pit_counter(c, now);
	c->s.count_latched = c->s.rw_mode;
}

static void pit_latch_status(struct pit_channel *c, ktime_t now)
{
	if (c->s.status_latched)
		return;
	c->s.status = pit_out(c, now) << 7 | c->null_count << 6 |
		      c->s.rw_mode << 4 | (c->s.mode & 7) << 1 | c->s.bcd;
	c->s.status_latched = 1;
}

static void pit_write_control(struct kvm_pit *pit, u8 val, ktime_t now)
{
	unsigned int i = val >> 6, rw = (val >> 4) & 3;
	struct pit_channel *c;

	if (i == 3) {
		/* Read-back: bits 3:1 select channels 2:0, active-low 5:4. */
		for (i = 0; i < 3; i++) {
			if (!(val & (2 << i)))
				continue;
			if (!(val & 0x20))
				pit_latch_count(&pit->ch[i], now);
			if (!(val & 0x10))
				pit_latch_status(&pit->ch[i], now);
		}
		return;
	}
	c = &pit->ch[i];
	if (!rw) {
		pit_latch_count(c, now);
		return;
	}
	/* A control word resets the channel until a count is written. */
	c->s.rw_mode = rw;
	c->s.read_state = rw;
	c->s.write_state = rw;
	c->s.mode = (val >> 1) & 7;
	c->s.bcd = val & 1;
	c->s.count_latched = 0;
	c->s.status_latched = 0;
	c->null_count = true;
	c->stopped = true;
	c->held_ns = 0;
	if (i == 0)
		pit_arm_timer(pit);
}

static void pit_write_count(struct kvm_pit *pit, int i, u8 val, ktime_t now)
{
	struct pit_channel *c = &pit->ch[i];

	switch (c->s.write_state) {
	case RW_LSB:
		pit_load(pit, i, val, now);
		break;
	case RW_MSB:
		pit_load(pit, i, val << 8, now);
		break;
	case RW_WORD0:
		c->s.write_latch = val;
		c->s.write_state = RW_WORD1;
		break;
	default:
		c->s.write_state = RW_WORD0;
		pit_load(pit, i, c->s.write_latch | val << 8, now);
		break;
	}
}

static u8 pit_read_count(struct pit_channel *c, ktime_t now)
{
	u16 v;

	if (c->s.status_latched) {
		c->s.status_latched = 0;
		return c->s.status;
	}
	if (c->s.count_latched) {
		v = c->s.latched_count;
		switch (c->s.count_latched) {
		case RW_LSB:
			c->s.count_latched = 0;
			return v & 0xff;
		case RW_WORD0:
			c->s.count_latched = RW_MSB;
			return v & 0xff;
		default:
			c->s.count_latched = 0;
			return v >> 8;
		}
	}
	v = pit_counter(c, now);
	switch (c->s.read_state) {
	case RW_LSB:
		return v & 0xff;
	case RW_MSB:
		return v >> 8;
	case RW_WORD0:
		c->s.read_state = RW_WORD1;
		return v & 0xff;
	default:
		c->s.read_state = RW_WORD0;
		return v >> 8;
	}
}

/* Wider accesses are split into byte cycles, as on the ISA bus. */
static int pit_port_read(struct kvm_vcpu *vcpu, struct kvm_io_device *dev,
			 gpa_t addr, int len, void *val)
{
	struct kvm_pit *pit = container_of(dev, struct kvm_pit, dev);
	ktime_t now = ktime_get();
	u8 *p = val;
	int i;

	mutex_lock(&pit->lock);
	for (i = 0; i < len; i++) {
		unsigned int port = addr + i - PIT_PORT_BASE;

		/* The control register is write-only: the bus floats. */
		p[i] = port < 3 ? pit_read_count(&pit->ch[port], now) : 0xff;
	}
	mutex_unlock(&pit->lock);
	return 0;
}

static int pit_port_write(struct kvm_vcpu *vcpu, struct kvm_io_device *dev,
			  gpa_t addr, int len, const void *val)
{
	struct kvm_pit *pit = container_of(dev, struct kvm_pit, dev);
	ktime_t now = ktime_get();
	const u8 *p = val;
	int i;

	mutex_lock(&pit->lock);
	for (i = 0; i < len; i++) {
		unsigned int port = addr + i - PIT_PORT_BASE;

		if (port < 3)
			pit_write_count(pit, port, p[i], now);
		else
			pit_write_control(pit, p[i], now);
	}
	mutex_unlock(&pit->lock);
	return 0;
}

static int pit_speaker_read(struct kvm_vcpu *vcpu, struct kvm_io_device *dev,
			    gpa_t addr, int len, void *val)
{
	struct kvm_pit *pit = container_of(dev, struct kvm_pit, speaker);
	ktime_t now = ktime_get();
	bool refresh = div_u64(now, PIT_REFRESH_NS) & 1;
	u8 v;

	mutex_lock(&pit->lock);
	v = pit->ch[2].s.gate | pit->speaker_data_on << 1 | refresh << 4 |
	    pit_out(&pit->ch[2], now) << 5;
	mutex_unlock(&pit->lock);
	*(u8 *)val = v;
	return 0;
}

static int pit_speaker_write(struct kvm_vcpu *vcpu, struct kvm_io_device *dev,
			     gpa_t addr, int len, const void *val)
{
	struct kvm_pit *pit = container_of(dev, struct kvm_pit, speaker);
	u8 v = *(const u8 *)val;

	mutex_lock(&pit->lock);
	pit->speaker_data_on = v & 2;
	/* KVM_GET_PIT2 shows it in its flags (in-tree). */
	if (pit->speaker_data_on)
		pit->flags |= KVM_PIT_FLAGS_SPEAKER_DATA_ON;
	else
		pit->flags &= ~KVM_PIT_FLAGS_SPEAKER_DATA_ON;
	pit_set_gate(&pit->ch[2], v & 1, ktime_get());
	mutex_unlock(&pit->lock);
	return 0;
}

static const struct kvm_io_device_ops pit_ops = {
	.read = pit_port_read,
	.write = pit_port_write,
};

static const struct kvm_io_device_ops pit_speaker_ops = {
	.read = pit_speaker_read,
	.write = pit_speaker_write,
};

/*
 * Every field is taken as given (out-of-range ones are coerced to
 * something valid), except count_load_time: a host clock value from
 * another host or boot means nothing here, so each count is reloaded
 * now, which also restarts channel 0's timer.
 */
static void pit_set_channels(struct kvm_pit *pit,
			     const struct kvm_pit_channel_state *in)
{
	ktime_t now = ktime_get();
	int i;

	for (i = 0; i < 3; i++) {
		struct kvm_pit_channel_state s = in[i];

		/* 0 is "never programmed", as a new PIT reports. */
		if (s.rw_mode > RW_WORD0)
			s.rw_mode = 0;
		if (s.read_state > RW_WORD1)
			s.read_state = s.rw_mode;
		if (s.write_state > RW_WORD1)
			s.write_state = s.rw_mode;
		if (s.count_latched > RW_WORD1)
			s.count_latched = 0;
		s.status_latched = !!s.status_latched;
		if (s.mode > 7)
			s.mode = PIT_MODE_NONE;
		s.bcd = !!s.bcd;
		s.gate = i == 2 ? !!s.gate : 1;
		pit->ch[i].s = s;
		pit_load(pit, i, s.count & 0xffff, now);
	}
}

/*
 * After creation no channel has a mode (PIT_MODE_NONE): nothing counts
 * and no IRQ0 fires until the guest (or KVM_SET_PIT) programs one.
 */
static void pit_reset(struct kvm_pit *pit)
{
	ktime_t now = ktime_get();
	int i;

	for (i = 0; i < 3; i++) {
		struct pit_channel *c = &pit->ch[i];

		c->s = (struct kvm_pit_channel_state) {
			.count = 0x10000,
			.mode = PIT_MODE_NONE,
			.gate = i != 2,
			.count_load_time = now,
		};
		c->null_count = true;
		c->stopped = true;
	}
}

/* Also the error path of creation: copes with partial registration. */
static void pit_free(struct kvm *kvm, struct kvm_pit *pit)
{
	mutex_lock(&kvm->slots_lock);
	kvm_io_bus_unregister_dev(kvm, KVM_PIO_BUS, &pit->dev);
	if (pit->has_speaker)
		kvm_io_bus_unregister_dev(kvm, KVM_PIO_BUS, &pit->speaker);
	mutex_unlock(&kvm->slots_lock);

	/* No port access can rearm the timer now; the timer queues work. */
	hrtimer_cancel(&pit->timer);
	WRITE_ONCE(pit->stopping, true);
	wake_up(&pit->wq);
	kthread_cancel_work_sync(&pit->inject);
	kthread_destroy_worker(pit->worker);
	kfree(pit);
}

int kvm_vm_create_pit2(struct kvm *kvm, struct kvm_pit_config __user *u)
{
	struct kvm_pit_config cfg = {};
	struct kvm_pit *pit;
	int r;

	lockdep_assert_held(&kvm->lock);
	if (u && copy_from_user(&cfg, u, sizeof(cfg)))
		return -EFAULT;
	/* As in-tree: flags other than the speaker's are ignored. */
	if (kvm->arch.pit)
		return -EEXIST;

	pit = kzalloc(sizeof(*pit), GFP_KERNEL_ACCOUNT);
	if (!pit)
		return -ENOMEM;
	pit->worker = kthread_create_worker(0, "kvm-pit/%d",
					    task_tgid_nr(current));
	if (IS_ERR(pit->worker)) {
		r = PTR_ERR(pit->worker);
		kfree(pit);
		return r;
	}
	pit->kvm = kvm;
	mutex_init(&pit->lock);
	hrtimer_init(&pit->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_HARD);
	pit->timer.function = pit_timer_fn;
	kthread_init_work(&pit->inject, pit_inject);
	init_waitqueue_head(&pit->wq);
	pit->reinject = true;		/* api.rst: the default */
	pit_reset(pit);
	pit->dev.ops = &pit_ops;
	pit->speaker.ops = &pit_speaker_ops;

	mutex_lock(&kvm->slots_lock);
	r = kvm_io_bus_register_dev(kvm, KVM_PIO_BUS, PIT_PORT_BASE, 4,
				    &pit->dev);
	if (!r && (cfg.flags & KVM_PIT_SPEAKER_DUMMY)) {
		r = kvm_io_bus_register_dev(kvm, KVM_PIO_BUS, PIT_SPEAKER_PORT,
					    1, &pit->speaker);
		pit->has_speaker = !r;
	}
	mutex_unlock(&kvm->slots_lock);
	if (r) {
		pit_free(kvm, pit);
		return r;
	}
	/* kvm_pit_ioctl() may run without kvm->lock. */
	smp_store_release(&kvm->arch.pit, pit);
	return 0;
}

/* VM teardown, after the vCPUs and before the PIC/IOAPIC/routing. */
void kvm_pit_destroy(struct kvm *kvm)
{
	struct kvm_pit *pit = kvm->arch.pit;

	if (!pit)
		return;
	kvm->arch.pit = NULL;
	pit_free(kvm, pit);
}

/* KVM_GET/SET_PIT move the head of struct kvm_pit_state2. */
static_assert(sizeof(struct kvm_pit_state) ==
	      offsetof(struct kvm_pit_state2, flags));

long kvm_pit_ioctl(struct kvm *kvm, unsigned int ioctl, void __user *argp)
{
	/* Zeroed: no kernel bytes in the padding that goes to userspace. */
	struct kvm_pit_state2 ps = {};
	struct kvm_reinject_control rc;
	bool v2 = ioctl == KVM_GET_PIT2 || ioctl == KVM_SET_PIT2;
	size_t size = v2 ? sizeof(ps) : sizeof(struct kvm_pit_state);
	struct kvm_pit *pit;
	int i;

	switch (ioctl) {
	case KVM_GET_PIT:
	case KVM_SET_PIT:
	case KVM_GET_PIT2:
	case KVM_SET_PIT2:
	case KVM_REINJECT_CONTROL:
		break;
	default:
		return -ENOIOCTLCMD;
	}
	/* Pairs with the release in kvm_vm_create_pit2(). */
	pit = smp_load_acquire(&kvm->arch.pit);
	if (!pit)
		return -ENXIO;

	switch (ioctl) {
	case KVM_REINJECT_CONTROL:
		if (copy_from_user(&rc, argp, sizeof(rc)))
			return -EFAULT;
		WRITE_ONCE(pit->reinject, !!rc.pit_reinject);
		return 0;
	case KVM_GET_PIT:
	case KVM_GET_PIT2:
		mutex_lock(&pit->lock);
		for (i = 0; i < 3; i++)
			memcpy(&ps.channels[i], &pit->ch[i].s,
			       sizeof(ps.channels[i]));
		/* All 32 bits come back as set, as in-tree. */
		ps.flags = pit->flags;
		mutex_unlock(&pit->lock);
		return copy_to_user(argp, &ps, size) ? -EFAULT : 0;
	default:	/* KVM_SET_PIT, KVM_SET_PIT2 */
		if (copy_from_user(&ps, argp, size))
			return -EFAULT;
		mutex_lock(&pit->lock);
		/*
		 * Unknown flags and reserved[] are ignored, not rejected:
		 * api.rst defines no error for them, and VMMs pass back what
		 * KVM_GET_PIT2 gave them.
		 */
		if (v2) {
			pit->flags = ps.flags;
			pit->hpet_legacy = ps.flags & KVM_PIT_FLAGS_HPET_LEGACY;
			pit->speaker_data_on =
				ps.flags & KVM_PIT_FLAGS_SPEAKER_DATA_ON;
		}
		pit_set_channels(pit, ps.channels);
		mutex_unlock(&pit->lock);
		return 0;
	}
}
