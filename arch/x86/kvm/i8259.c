// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PC's two cascaded 8259A PICs: the master at ports 0x20-0x21, the
 * slave at 0xa0-0xa1 with its INT output on the master's IR2, and the
 * edge/level control registers (ELCR) at 0x4d0-0x4d1.  The master's INT
 * output is the ExtINT input of the vCPUs whose LAPIC accepts it.
 *
 * Each chip's state is kept in the ABI's struct kvm_pic_state.  Its
 * last_irr is the pins' line levels (the OR over sources, irq.h), which is
 * what edge detection compares against.  The master's IR2 follows the
 * slave's output rather than latching edges of it: the master then never
 * loses a cascaded request, whatever mix of auto-EOI and nesting the two
 * chips are programmed with.
 */
#include <linux/slab.h>

#include "x86.h"
#include "irq.h"

#define PIC_MASTER_PORT		0x20
#define PIC_SLAVE_PORT		0xa0
#define PIC_ELCR_PORT		0x4d0
#define PIC_CASCADE_IRQ		2
#define PIC_SPURIOUS_IRQ	7
/* Pins whose trigger mode the ELCR may select (not 0, 1, 2, 8, 13). */
#define PIC_MASTER_ELCR_MASK	0xf8
#define PIC_SLAVE_ELCR_MASK	0xde

struct kvm_pic_chip {
	struct kvm_pic_state s;
	/* ICW1 said single (no ICW3); not part of the ABI. */
	bool single;
};

struct kvm_pic {
	struct kvm_io_device dev;
	struct kvm *kvm;
	spinlock_t lock;	/* everything below */
	struct kvm_pic_chip chip[2];	/* master, slave */
	u16 lines[KVM_NR_IRQ_SOURCES];	/* per source: a bit per pin */
	bool output;		/* master INT; read without the lock */
};

static u16 pic_lines(const struct kvm_pic *pic)
{
	u16 lines = 0;
	int i;

	for (i = 0; i < KVM_NR_IRQ_SOURCES; i++)
		lines |= pic->lines[i];
	return lines;
}

/* Rank (0 = highest priority) of the best request in @mask, 8 for none. */
static int pic_rank(const struct kvm_pic_state *s, u8 mask)
{
	int rank;

	for (rank = 0; rank < 8; rank++)
		if (mask & BIT((rank + s->priority_add) & 7))
			return rank;
	return 8;
}

static int pic_rank_irq(const struct kvm_pic_state *s, int rank)
{
	return (rank + s->priority_add) & 7;
}

/* The request this chip would present on INT now, or -1. */
static int pic_pending(const struct kvm_pic_state *s, bool master)
{
	int req = pic_rank(s, s->irr & ~s->imr);
	u8 isr = s->isr;
	int cur;

	if (req == 8)
		return -1;
	/* Special mask mode: a masked level in service blocks nobody. */
	if (s->special_mask)
		isr &= ~s->imr;
	cur = pic_rank(s, isr);
	if (req < cur)
		return pic_rank_irq(s, req);
	/*
	 * Special fully nested mode: while a slave interrupt is in service,
	 * a higher one from the same slave still gets through the master.
	 */
	if (req == cur && master && s->special_fully_nested_mode &&
	    pic_rank_irq(s, req) == PIC_CASCADE_IRQ)
		return PIC_CASCADE_IRQ;
	return -1;
}

/* Re-derive IR2 and the output after any change; true if INT rose. */
static bool pic_update(struct kvm_pic *pic)
{
	struct kvm_pic_state *m = &pic->chip[0].s;
	u8 ir2 = pic_pending(&pic->chip[1].s, false) >= 0 ?
		 BIT(PIC_CASCADE_IRQ) : 0;
	bool was = pic->output;

	m->irr = (m->irr & ~BIT(PIC_CASCADE_IRQ)) | ir2;
	m->last_irr = (m->last_irr & ~BIT(PIC_CASCADE_IRQ)) | ir2;
	WRITE_ONCE(pic->output, pic_pending(m, true) >= 0);
	return pic->output && !was;
}

/*
 * The CPUs that may take the new request must look at it: one could be
 * halted, in guest mode, or just past its last look before entry (the
 * request makes the run loop go round again).
 */
static void pic_kick(struct kvm *kvm)
{
	struct kvm_vcpu *vcpu;
	unsigned long i;

	kvm_for_each_vcpu(i, vcpu, kvm) {
		if (!kvm_vcpu_has_lapic(vcpu) ||
		    !kvm_apic_accepts_pic_intr(vcpu))
			continue;
		kvm_vcpu_kick(vcpu);
	}
}

/* Interrupt acknowledge of @irq (poll or INTA). */
static void pic_ack(struct kvm_pic_state *s, int irq)
{
	/* A level pin's request stays as long as its line is high. */
	if (!(s->elcr & BIT(irq)))
		s->irr &= ~BIT(irq);
	if (!s->auto_eoi)
		s->isr |= BIT(irq);
	else if (s->rotate_on_auto_eoi)
		s->priority_add = (irq + 1) & 7;
}

/* Poll command: the next read is an acknowledge returning I and W2-W0. */
static u8 pic_poll(struct kvm_pic_state *s, bool master)
{
	int irq = pic_pending(s, master);

	s->poll = 0;
	if (irq < 0)
		return 0;
	pic_ack(s, irq);
	return 0x80 | irq;
}

static void pic_icw1(struct kvm_pic_chip *c, u8 val)
{
	struct kvm_pic_state *s = &c->s;

	/*
	 * The 8259A's initialization: mask cleared, IR7 lowest, special
	 * mask off, IRR selected for reads, ICW4 functions off until ICW4.
	 * Edge detection restarts: an edge pin needs a new rising edge.
	 * ISR is cleared too, as a guest re-initializing expects.
	 */
	s->init4 = val & 0x01;
	c->single = val & 0x02;
	s->init_state = 1;
	s->imr = 0;
	s->isr = 0;
	s->irr = s->last_irr & s->elcr;
	s->priority_add = 0;
	s->special_mask = 0;
	s->read_reg_select = 0;
	s->poll = 0;
	s->auto_eoi = 0;
	s->rotate_on_auto_eoi = 0;
	s->special_fully_nested_mode = 0;
}

/* OCW2: the EOI and rotation commands. */
static void pic_ocw2(struct kvm_pic_state *s, u8 val)
{
	int irq = val & 7, rank;
	u8 isr = s->isr;

	switch (val >> 5) {
	case 0:			/* rotate in auto-EOI mode: clear */
	case 4:			/* ... set */
		s->rotate_on_auto_eoi = val >> 7;
		break;
	case 1:			/* non-specific EOI */
	case 5:			/* ... and rotate */
		/* In special mask mode, masked levels are left in service. */
		if (s->special_mask)
			isr &= ~s->imr;
		rank = pic_rank(s, isr);
		if (rank == 8)
			break;
		irq = pic_rank_irq(s, rank);
		s->isr &= ~BIT(irq);
		if (val & 0x80)
			s->priority_add = (irq + 1) & 7;
		break;
	case 3:			/* specific EOI */
		s->isr &= ~BIT(irq);
		break;
	case 7:			/* specific EOI and rotate */
		s->isr &= ~BIT(irq);
		fallthrough;
	case 6:			/* set priority: @irq becomes the lowest */
		s->priority_add = (irq + 1) & 7;
		break;
	}
}

static void pic_write(struct kvm_pic *pic, u16 port, u8 val)
{
	struct kvm_pic_chip *c;
	struct kvm_pic_state *s;

	if ((port & ~1) == PIC_ELCR_PORT) {
		s = &pic->chip[port & 1].s;
		/* Requests already latched stay, as in-tree. */
		s->elcr = val & s->elcr_mask;
		return;
	}
	c = &pic->chip[port >= PIC_SLAVE_PORT];
	s = &c->s;
	if (!(port & 1)) {
		if (val & 0x10) {
			pic_icw1(c, val);
		} else if (val & 0x08) {		/* OCW3 */
			if (val & 0x04)
				s->poll = 1;
			if (val & 0x02)
				s->read_reg_select = val & 0x01;
			if (val & 0x40)
				s->special_mask = !!(val & 0x20);
		} else {
			pic_ocw2(s, val);
		}
		return;
	}
	switch (s->init_state) {
	case 1:			/* ICW2 */
		s->irq_base = val & 0xf8;
		s->init_state = !c->single ? 2 : s->init4 ? 3 : 0;
		break;
	case 2:			/* ICW3: the PC's wiring is fixed */
		s->init_state = s->init4 ? 3 : 0;
		break;
	case 3:			/* ICW4 */
		s->auto_eoi = !!(val & 0x02);
		s->special_fully_nested_mode = !!(val & 0x10);
		s->init_state = 0;
		break;
	default:		/* OCW1 */
		s->imr = val;
		break;
	}
}

static u8 pic_read(struct kvm_pic *pic, u16 port)
{
	bool master = port < PIC_SLAVE_PORT;
	struct kvm_pic_state *s;

	if ((port & ~1) == PIC_ELCR_PORT)
		return pic->chip[port & 1].s.elcr;
	s = &pic->chip[!master].s;
	/* After a poll command, the next read of either port is the poll. */
	if (s->poll)
		return pic_poll(s, master);
	if (port & 1)
		return s->imr;
	return s->read_reg_select ? s->isr : s->irr;
}

static struct kvm_pic *to_pic(struct kvm_io_device *dev)
{
	return container_of(dev, struct kvm_pic, dev);
}

/* Wider accesses are split into bytes, as the ISA bus does. */
static int pic_pio(struct kvm_io_device *dev, gpa_t addr, int len, u8 *val,
		   bool write)
{
	struct kvm_pic *pic = to_pic(dev);
	bool rose = false;
	int i;

	spin_lock(&pic->lock);
	for (i = 0; i < len; i++) {
		if (write)
			pic_write(pic, addr + i, val[i]);
		else
			val[i] = pic_read(pic, addr + i);
		/* The next byte may read IR2, so keep it in step. */
		rose |= pic_update(pic);
	}
	spin_unlock(&pic->lock);
	if (rose)
		pic_kick(pic->kvm);
	return 0;
}

static int pic_pio_read(struct kvm_vcpu *vcpu, struct kvm_io_device *dev,
			gpa_t addr, int len, void *val)
{
	return pic_pio(dev, addr, len, val, false);
}

static int pic_pio_write(struct kvm_vcpu *vcpu, struct kvm_io_device *dev,
			 gpa_t addr, int len, const void *val)
{
	return pic_pio(dev, addr, len, (void *)val, true);
}

static const struct kvm_io_device_ops pic_pio_ops = {
	.read = pic_pio_read,
	.write = pic_pio_write,
};

int kvm_pic_create(struct kvm *kvm)
{
	static const u16 ports[] = {
		PIC_MASTER_PORT, PIC_SLAVE_PORT, PIC_ELCR_PORT,
	};
	struct kvm_pic *pic;
	int i, r = 0;

	lockdep_assert_held(&kvm->lock);
	if (kvm->arch.pic)
		return -EEXIST;
	pic = kzalloc(sizeof(*pic), GFP_KERNEL_ACCOUNT);
	if (!pic)
		return -ENOMEM;
	pic->kvm = kvm;
	pic->dev.ops = &pic_pio_ops;
	spin_lock_init(&pic->lock);
	pic->chip[0].s.elcr_mask = PIC_MASTER_ELCR_MASK;
	pic->chip[1].s.elcr_mask = PIC_SLAVE_ELCR_MASK;

	mutex_lock(&kvm->slots_lock);
	for (i = 0; i < ARRAY_SIZE(ports) && !r; i++)
		r = kvm_io_bus_register_dev(kvm, KVM_PIO_BUS, ports[i], 2,
					    &pic->dev);
	if (r)
		kvm_io_bus_unregister_dev(kvm, KVM_PIO_BUS, &pic->dev);
	mutex_unlock(&kvm->slots_lock);
	if (r) {
		kfree(pic);
		return r;
	}
	WRITE_ONCE(kvm->arch.pic, pic);
	return 0;
}

void kvm_pic_destroy(struct kvm *kvm)
{
	struct kvm_pic *pic = kvm->arch.pic;

	if (!pic)
		return;
	mutex_lock(&kvm->slots_lock);
	kvm_io_bus_unregister_dev(kvm, KVM_PIO_BUS, &pic->dev);
	mutex_unlock(&kvm->slots_lock);
	WRITE_ONCE(kvm->arch.pic, NULL);
	kfree(pic);
}

int kvm_pic_set_irq(struct kvm *kvm, int pin, int src, bool level)
{
	struct kvm_pic *pic = READ_ONCE(kvm->arch.pic);
	struct kvm_pic_state *s;
	bool was, rose;
	u8 bit;
	int ret;

	if (!pic || pin < 0 || pin >= KVM_NR_PIC_PINS ||
	    src < 0 || src >= KVM_NR_IRQ_SOURCES)
		return -EINVAL;
	/* Only the slave drives the master's IR2. */
	if (pin == PIC_CASCADE_IRQ)
		return level ? -1 : 1;
	s = &pic->chip[pin >> 3].s;
	bit = BIT(pin & 7);

	spin_lock(&pic->lock);
	was = pic_lines(pic) & BIT(pin);
	if (level)
		pic->lines[src] |= BIT(pin);
	else
		pic->lines[src] &= ~BIT(pin);
	/*
	 * Status as KVM_IRQ_LINE_STATUS reports it in-tree: -1 for a masked
	 * pin whatever the level; 0 when a new request finds the previous
	 * one still in IRR; 1 otherwise (a deassertion, or an edge pin that
	 * was already high and so raises nothing).
	 */
	ret = 1;
	if (!(pic_lines(pic) & BIT(pin))) {
		s->last_irr &= ~bit;
		s->irr &= ~(bit & s->elcr);
	} else {
		/* A level pin requests while high, an edge pin on its edge. */
		if ((s->elcr & bit) || !was) {
			ret = !(s->irr & bit);
			s->irr |= bit;
		}
		s->last_irr |= bit;
	}
	if (s->imr & bit)
		ret = -1;
	rose = pic_update(pic);
	spin_unlock(&pic->lock);
	if (rose)
		pic_kick(kvm);
	return ret;
}

bool kvm_pic_has_interrupt(struct kvm *kvm)
{
	struct kvm_pic *pic = READ_ONCE(kvm->arch.pic);

	return pic && READ_ONCE(pic->output);
}

int kvm_pic_read_irq(struct kvm *kvm)
{
	struct kvm_pic *pic = READ_ONCE(kvm->arch.pic);
	struct kvm_pic_state *m, *sl;
	int irq, vector;

	if (!pic)
		return -1;
	m = &pic->chip[0].s;
	sl = &pic->chip[1].s;
	spin_lock(&pic->lock);
	irq = pic_pending(m, true);
	if (irq < 0) {
		/* The request went away since INT was seen: spurious IRQ7. */
		vector = m->irq_base + PIC_SPURIOUS_IRQ;
	} else {
		pic_ack(m, irq);
		if (irq == PIC_CASCADE_IRQ) {
			/* Master's ISR2 stays set even for a spurious IRQ15. */
			irq = pic_pending(sl, false);
			if (irq < 0)
				irq = PIC_SPURIOUS_IRQ;
			else
				pic_ack(sl, irq);
			vector = sl->irq_base + irq;
		} else {
			vector = m->irq_base + irq;
		}
	}
	pic_update(pic);
	spin_unlock(&pic->lock);
	return vector & 0xff;
}

static struct kvm_pic *pic_for_chip(struct kvm *kvm, int chip)
{
	if (chip != KVM_IRQCHIP_PIC_MASTER && chip != KVM_IRQCHIP_PIC_SLAVE)
		return NULL;
	return READ_ONCE(kvm->arch.pic);
}

void kvm_pic_get_state(struct kvm *kvm, int chip, struct kvm_pic_state *s)
{
	struct kvm_pic *pic = pic_for_chip(kvm, chip);

	if (!pic) {
		memset(s, 0, sizeof(*s));
		return;
	}
	spin_lock(&pic->lock);
	*s = pic->chip[chip].s;
	spin_unlock(&pic->lock);
}

/*
 * The saved last_irr is the lines' state; it becomes userspace's own
 * source for this chip's pins, so it reads back exactly as it was set.
 */
void kvm_pic_set_state(struct kvm *kvm, int chip,
		       const struct kvm_pic_state *s)
{
	struct kvm_pic *pic = pic_for_chip(kvm, chip);
	int shift = chip == KVM_IRQCHIP_PIC_SLAVE ? 8 : 0;
	/* The master's IR2 is the slave's output, not a line. */
	u8 lines = shift ? s->last_irr : s->last_irr & ~BIT(PIC_CASCADE_IRQ);
	bool out;
	int i;

	if (!pic)
		return;
	spin_lock(&pic->lock);
	pic->chip[chip].s = *s;
	pic->chip[chip].single = false;
	for (i = 0; i < KVM_NR_IRQ_SOURCES; i++)
		pic->lines[i] &= ~(0xff << shift);
	pic->lines[KVM_USERSPACE_IRQ_SOURCE_ID] |= lines << shift;
	pic_update(pic);
	out = pic->output;
	spin_unlock(&pic->lock);
	if (out)
		pic_kick(kvm);
}
