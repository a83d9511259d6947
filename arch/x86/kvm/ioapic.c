// SPDX-License-Identifier: GPL-2.0-only
/*
 * The IOAPIC (82093AA): 24 pins, each with a redirection entry that turns
 * the pin's line into a message for the local APICs.  It sits at
 * 0xfec00000 as an index register (IOREGSEL) and a data window (IOWIN).
 *
 * A pin's line is the OR of the levels its sources drive (irq.h).  An
 * edge-triggered pin sends a message when the line rises; a level-
 * triggered one sends while the line is high, then waits with Remote IRR
 * set until a LAPIC EOIs the vector.  Delivery is instantaneous, so the
 * Delivery Status bit is never set by us.
 */
#include <linux/bitfield.h>
#include <linux/slab.h>
#include <asm/apicdef.h>

#include "x86.h"
#include "irq.h"

#define IOAPIC_DEFAULT_BASE	0xfec00000ULL
#define IOAPIC_MMIO_LEN		0x100
#define IOAPIC_IOREGSEL		0x00
#define IOAPIC_IOWIN		0x10

#define IOAPIC_REG_ID		0x00
#define IOAPIC_REG_VERSION	0x01
#define IOAPIC_REG_ARB		0x02
#define IOAPIC_REG_REDTBL	0x10
/* Version 0x11 (no EOI register), highest redirection entry 23. */
#define IOAPIC_VERSION		((u32)(KVM_IOAPIC_NUM_PINS - 1) << 16 | 0x11)
#define IOAPIC_ID_SHIFT		24
#define IOAPIC_ID_MASK		0xf

/* Redirection table entry. */
#define RTE_VECTOR		GENMASK_ULL(7, 0)
#define RTE_DELIVERY_MODE	GENMASK_ULL(10, 8)
#define RTE_DEST_LOGICAL	BIT_ULL(11)
#define RTE_DELIVERY_STATUS	BIT_ULL(12)
#define RTE_REMOTE_IRR		BIT_ULL(14)
#define RTE_LEVEL		BIT_ULL(15)
#define RTE_MASKED		BIT_ULL(16)
#define RTE_DEST		GENMASK_ULL(63, 56)
/* Not writable by the guest. */
#define RTE_RO			(RTE_DELIVERY_STATUS | RTE_REMOTE_IRR)

#define RTE_DM_FIXED		0
#define RTE_DM_LOWEST		1
#define RTE_DM_REMOTE_READ	3
#define RTE_DM_RESERVED		6

struct kvm_ioapic {
	struct kvm_io_device dev;
	struct kvm *kvm;
	spinlock_t lock;	/* everything below */
	u64 base_address;
	u32 ioregsel;
	u32 id;
	u32 lines[KVM_NR_IRQ_SOURCES];	/* per source: a bit per pin */
	u64 redirtbl[KVM_IOAPIC_NUM_PINS];
};

static u32 ioapic_lines(const struct kvm_ioapic *ioapic)
{
	u32 lines = 0;
	int i;

	for (i = 0; i < KVM_NR_IRQ_SOURCES; i++)
		lines |= ioapic->lines[i];
	return lines;
}

/*
 * Only Fixed and Lowest Priority messages can be level-triggered: the
 * datasheet treats SMI, NMI, INIT and ExtINT as edge whatever bit 15
 * says, and no EOI would ever come back to clear Remote IRR for them.
 */
static bool rte_level(u64 e)
{
	u64 dm = FIELD_GET(RTE_DELIVERY_MODE, e);

	return (e & RTE_LEVEL) && (dm == RTE_DM_FIXED || dm == RTE_DM_LOWEST);
}

/*
 * Send pin @pin's message.  Returns the number of LAPICs that took it, or
 * -1 for none.  A level-triggered entry waits for the EOI only if some
 * LAPIC accepted it: otherwise no EOI would ever re-arm the pin.
 */
static int ioapic_deliver(struct kvm_ioapic *ioapic, int pin)
{
	u64 *e = &ioapic->redirtbl[pin];
	u64 dm = FIELD_GET(RTE_DELIVERY_MODE, *e);
	struct kvm_apic_irq irq = {
		.dest_id = FIELD_GET(RTE_DEST, *e),
		.delivery_mode = dm << 8,	/* the ICR's APIC_DM_* */
		.shorthand = APIC_DEST_NOSHORT,
		.vector = FIELD_GET(RTE_VECTOR, *e),
		.dest_logical = !!(*e & RTE_DEST_LOGICAL),
		.level = true,
		.trig_level = rte_level(*e),
	};
	int n;

	lockdep_assert_held(&ioapic->lock);
	/* Reserved encodings; 6 would otherwise read as a STARTUP IPI. */
	if (dm == RTE_DM_REMOTE_READ || dm == RTE_DM_RESERVED)
		return -1;
	n = kvm_apic_deliver(ioapic->kvm, NULL, &irq);
	/* Nobody took it: no EOI will come, keep Remote IRR clear. */
	if (n > 0 && irq.trig_level)
		*e |= RTE_REMOTE_IRR;
	return n;
}

/* A level-triggered pin whose line is high and that may send now. */
static bool ioapic_level_pending(struct kvm_ioapic *ioapic, int pin)
{
	u64 e = ioapic->redirtbl[pin];

	return rte_level(e) && !(e & (RTE_MASKED | RTE_REMOTE_IRR)) &&
	       (ioapic_lines(ioapic) & BIT(pin));
}

static void ioapic_reset(struct kvm_ioapic *ioapic)
{
	int i;

	ioapic->base_address = IOAPIC_DEFAULT_BASE;
	ioapic->ioregsel = 0;
	ioapic->id = 0;
	memset(ioapic->lines, 0, sizeof(ioapic->lines));
	for (i = 0; i < KVM_IOAPIC_NUM_PINS; i++)
		ioapic->redirtbl[i] = RTE_MASKED;
}

static u32 ioapic_read_window(struct kvm_ioapic *ioapic)
{
	u32 idx = ioapic->ioregsel;
	u32 pin;

	switch (idx) {
	case IOAPIC_REG_ID:
	case IOAPIC_REG_ARB:
		return (ioapic->id & IOAPIC_ID_MASK) << IOAPIC_ID_SHIFT;
	case IOAPIC_REG_VERSION:
		return IOAPIC_VERSION;
	}
	pin = (idx - IOAPIC_REG_REDTBL) / 2;
	if (idx < IOAPIC_REG_REDTBL || pin >= KVM_IOAPIC_NUM_PINS)
		return 0;
	return ioapic->redirtbl[pin] >> (idx & 1 ? 32 : 0);
}

static void ioapic_write_window(struct kvm_ioapic *ioapic, u32 val)
{
	u32 idx = ioapic->ioregsel;
	u32 pin;
	u64 *e;

	if (idx == IOAPIC_REG_ID) {
		ioapic->id = (val >> IOAPIC_ID_SHIFT) & IOAPIC_ID_MASK;
		return;
	}
	pin = (idx - IOAPIC_REG_REDTBL) / 2;
	if (idx < IOAPIC_REG_REDTBL || pin >= KVM_IOAPIC_NUM_PINS)
		return;		/* version, arbitration: read-only */
	e = &ioapic->redirtbl[pin];
	if (idx & 1) {
		*e = (u32)*e | (u64)val << 32;
		return;
	}
	*e = (*e & (GENMASK_ULL(63, 32) | RTE_RO)) | (val & ~(u32)RTE_RO);
	/*
	 * Remote IRR means nothing for an edge pin.  Clearing it here is
	 * also how guests (Linux among them) un-stick a level pin on an
	 * IOAPIC without an EOI register: flip it to edge and back.
	 */
	if (!rte_level(*e))
		*e &= ~RTE_REMOTE_IRR;
	/* Unmasking a level pin whose line is still high sends it now. */
	if (ioapic_level_pending(ioapic, pin))
		ioapic_deliver(ioapic, pin);
}

static struct kvm_ioapic *to_ioapic(struct kvm_io_device *dev)
{
	return container_of(dev, struct kvm_ioapic, dev);
}

/*
 * The registers are 32 bits wide; other access sizes see (and write) the
 * bytes they cover, zero-extended, so nothing a guest does is an error.
 */
static int ioapic_mmio_read(struct kvm_vcpu *vcpu, struct kvm_io_device *dev,
			    gpa_t addr, int len, void *val)
{
	struct kvm_ioapic *ioapic = to_ioapic(dev);
	u8 *out = val;
	u64 off;
	u32 sel, win;
	int i;

	if (len < 1 || len > 8)
		return -EOPNOTSUPP;
	spin_lock(&ioapic->lock);
	/* KVM_SET_IRQCHIP may have moved it away from the registered range. */
	off = addr - ioapic->base_address;
	if (addr < ioapic->base_address || off + len > IOAPIC_MMIO_LEN) {
		spin_unlock(&ioapic->lock);
		return -EOPNOTSUPP;
	}
	sel = ioapic->ioregsel;
	win = ioapic_read_window(ioapic);
	spin_unlock(&ioapic->lock);

	for (i = 0; i < len; i++, off++) {
		if (off < IOAPIC_IOREGSEL + 4)
			out[i] = sel >> (8 * (off - IOAPIC_IOREGSEL));
		else if (off >= IOAPIC_IOWIN && off < IOAPIC_IOWIN + 4)
			out[i] = win >> (8 * (off - IOAPIC_IOWIN));
		else
			out[i] = 0;
	}
	return 0;
}

static int ioapic_mmio_write(struct kvm_vcpu *vcpu, struct kvm_io_device *dev,
			     gpa_t addr, int len, const void *val)
{
	struct kvm_ioapic *ioapic = to_ioapic(dev);
	u64 data = 0, off;

	if (len < 1 || len > 8)
		return -EOPNOTSUPP;
	memcpy(&data, val, len);
	spin_lock(&ioapic->lock);
	off = addr - ioapic->base_address;
	if (addr < ioapic->base_address || off + len > IOAPIC_MMIO_LEN) {
		spin_unlock(&ioapic->lock);
		return -EOPNOTSUPP;
	}
	if (off == IOAPIC_IOREGSEL)
		ioapic->ioregsel = (u8)data;
	else if (off == IOAPIC_IOWIN)
		ioapic_write_window(ioapic, (u32)data);
	spin_unlock(&ioapic->lock);
	return 0;
}

static const struct kvm_io_device_ops ioapic_mmio_ops = {
	.read = ioapic_mmio_read,
	.write = ioapic_mmio_write,
};

int kvm_ioapic_create(struct kvm *kvm)
{
	struct kvm_ioapic *ioapic;
	int r;

	lockdep_assert_held(&kvm->lock);
	if (kvm->arch.ioapic)
		return -EEXIST;
	ioapic = kzalloc(sizeof(*ioapic), GFP_KERNEL_ACCOUNT);
	if (!ioapic)
		return -ENOMEM;
	ioapic->kvm = kvm;
	ioapic->dev.ops = &ioapic_mmio_ops;
	spin_lock_init(&ioapic->lock);
	ioapic_reset(ioapic);

	mutex_lock(&kvm->slots_lock);
	r = kvm_io_bus_register_dev(kvm, KVM_MMIO_BUS, IOAPIC_DEFAULT_BASE,
				    IOAPIC_MMIO_LEN, &ioapic->dev);
	mutex_unlock(&kvm->slots_lock);
	if (r) {
		kfree(ioapic);
		return r;
	}
	WRITE_ONCE(kvm->arch.ioapic, ioapic);
	return 0;
}

void kvm_ioapic_destroy(struct kvm *kvm)
{
	struct kvm_ioapic *ioapic = kvm->arch.ioapic;

	if (!ioapic)
		return;
	mutex_lock(&kvm->slots_lock);
	kvm_io_bus_unregister_dev(kvm, KVM_MMIO_BUS, &ioapic->dev);
	mutex_unlock(&kvm->slots_lock);
	WRITE_ONCE(kvm->arch.ioapic, NULL);
	kfree(ioapic);
}

int kvm_ioapic_set_irq(struct kvm *kvm, int pin, int src, bool level)
{
	struct kvm_ioapic *ioapic = READ_ONCE(kvm->arch.ioapic);
	u32 was;
	u64 e;
	int ret;

	if (!ioapic || pin < 0 || pin >= KVM_IOAPIC_NUM_PINS ||
	    src < 0 || src >= KVM_NR_IRQ_SOURCES)
		return -EINVAL;

	spin_lock(&ioapic->lock);
	was = ioapic_lines(ioapic) & BIT(pin);
	if (!level) {
		ioapic->lines[src] &= ~BIT(pin);
		ret = 1;
		goto out;
	}
	ioapic->lines[src] |= BIT(pin);
	e = ioapic->redirtbl[pin];
	/*
	 * As KVM_IRQ_LINE_STATUS reports it in-tree: an edge pin without a
	 * new edge coalesces (0); a masked pin, or a level pin whose last
	 * interrupt is still in service, refuses it (-1; the line stays high
	 * for a later unmask or EOI); else the number of LAPICs that took it.
	 */
	if (!rte_level(e) && was)
		ret = 0;
	else if ((e & RTE_MASKED) || (rte_level(e) && (e & RTE_REMOTE_IRR)))
		ret = -1;
	else
		ret = ioapic_deliver(ioapic, pin);
out:
	spin_unlock(&ioapic->lock);
	return ret;
}

void kvm_ioapic_eoi(struct kvm *kvm, u8 vector)
{
	struct kvm_ioapic *ioapic = READ_ONCE(kvm->arch.ioapic);
	int pin;

	if (!ioapic)
		return;
	spin_lock(&ioapic->lock);
	for (pin = 0; pin < KVM_IOAPIC_NUM_PINS; pin++) {
		u64 *e = &ioapic->redirtbl[pin];

		if (FIELD_GET(RTE_VECTOR, *e) != vector || !rte_level(*e) ||
		    !(*e & RTE_REMOTE_IRR))
			continue;
		*e &= ~RTE_REMOTE_IRR;
		/* The device still wants service: interrupt again. */
		if (ioapic_level_pending(ioapic, pin))
			ioapic_deliver(ioapic, pin);
	}
	spin_unlock(&ioapic->lock);
}

void kvm_ioapic_get_state(struct kvm *kvm, struct kvm_ioapic_state *s)
{
	struct kvm_ioapic *ioapic = READ_ONCE(kvm->arch.ioapic);
	int i;

	memset(s, 0, sizeof(*s));
	if (!ioapic)
		return;
	spin_lock(&ioapic->lock);
	s->base_address = ioapic->base_address;
	s->ioregsel = ioapic->ioregsel;
	s->id = ioapic->id;
	s->irr = ioapic_lines(ioapic);
	for (i = 0; i < KVM_IOAPIC_NUM_PINS; i++)
		s->redirtbl[i].bits = ioapic->redirtbl[i];
	spin_unlock(&ioapic->lock);
}

/*
 * The saved IRR is the lines' state as a whole; it becomes userspace's
 * own source, so the lines read back exactly as they were set.  Level
 * pins that are due are sent; an edge pin whose line is high has had its
 * edge already (it would have been delivered or masked at the time).
 */
void kvm_ioapic_set_state(struct kvm *kvm, const struct kvm_ioapic_state *s)
{
	struct kvm_ioapic *ioapic = READ_ONCE(kvm->arch.ioapic);
	int i;

	if (!ioapic)
		return;
	spin_lock(&ioapic->lock);
	ioapic->base_address = s->base_address;
	ioapic->ioregsel = s->ioregsel;
	ioapic->id = s->id;
	memset(ioapic->lines, 0, sizeof(ioapic->lines));
	ioapic->lines[KVM_USERSPACE_IRQ_SOURCE_ID] =
		s->irr & GENMASK(KVM_IOAPIC_NUM_PINS - 1, 0);
	for (i = 0; i < KVM_IOAPIC_NUM_PINS; i++)
		ioapic->redirtbl[i] = s->redirtbl[i].bits;
	for (i = 0; i < KVM_IOAPIC_NUM_PINS; i++)
		if (ioapic_level_pending(ioapic, i))
			ioapic_deliver(ioapic, i);
	spin_unlock(&ioapic->lock);
}
