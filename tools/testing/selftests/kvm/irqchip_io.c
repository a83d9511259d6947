// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interrupt sources of the in-kernel irqchip as a guest sees them: the
 * IOAPIC (registers through its MMIO window, edge and level pins raised
 * with KVM_IRQ_LINE, remote IRR and EOI, masking), the 8259A PICs through
 * LINT0 in ExtINT mode (ICW1-4, OCW1-3 from a real-mode and a 64-bit
 * guest, ELCR), MSIs (KVM_SIGNAL_MSI and a GSI routed to an MSI), and
 * the in-kernel PIT (channel 0 through the PIC and the IOAPIC, the
 * speaker port).
 *
 * The 64-bit guests are scripts (kvmt_script.h); vectors they take are
 * reported by the stubs of kvmt_setup_idt().
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "kvmt_test.h"
#include "kvmt_irq.h"

KVMT_GUEST(real_pic);

#define NMI_VECTOR	2

/* Run to the script's next read and check the value read. */
#define RUN_TO_READ_EQ(vcpu, want) do {					\
	uint64_t __v;							\
	RUN_TO_READ(vcpu, __v);						\
	EXPECT_EQ((uint64_t)(want), __v);				\
} while (0)

/* The master PIC at vectors 0x20-0x27, only the IRQs in @unmasked open. */
#define S_PIC_INIT(unmasked)						\
	S_OUTB(PIC_MASTER_CMD, PIC_ICW1_INIT | PIC_ICW1_ICW4),		\
	S_OUTB(PIC_MASTER_DATA, 0x20),					\
	S_OUTB(PIC_MASTER_DATA, 1 << 2),				\
	S_OUTB(PIC_MASTER_DATA, PIC_ICW4_8086),				\
	S_OUTB(PIC_MASTER_DATA, 0xff & ~(unmasked))

#define S_PIC_EOI()	S_OUTB(PIC_MASTER_CMD, PIC_OCW2_EOI)

/* PIT channel 0, mode 2 (rate generator), binary, low then high byte. */
#define S_PIT_RATE(count)						\
	S_OUTB(PIT_CMD, 0x34),						\
	S_OUTB(PIT_CH0, (count) & 0xff),				\
	S_OUTB(PIT_CH0, (count) >> 8)

#define PIT_1MS		1193	/* 1.193182 MHz */

static int signal_msi(int vm_fd, uint32_t addr, uint32_t data)
{
	struct kvm_msi m = { .address_lo = addr, .data = data };

	return ioctl(vm_fd, KVM_SIGNAL_MSI, &m);
}

/*
 * An interrupt raised from another thread @ms after start, while the
 * vCPU is (most likely) halted in the kernel: a GSI pulse (assert, then
 * deassert) or an MSI.  The results are checked after pulse_join().
 */
struct pulse {
	struct kvmt_vm *vm;
	unsigned int ms;
	bool msi;
	uint32_t gsi;		/* or MSI address */
	uint32_t data;		/* MSI data */
	int up, down;		/* KVM_IRQ_LINE_STATUS or KVM_SIGNAL_MSI */
	int err;
	pthread_t thread;
};

static void *pulse_thread(void *arg)
{
	struct pulse *p = arg;
	struct kvm_irq_level l = { .irq = p->gsi, .level = 1 };

	usleep(p->ms * 1000);
	if (p->msi) {
		p->up = signal_msi(p->vm->fd, p->gsi, p->data);
		if (p->up < 0)
			p->err = errno;
		return NULL;
	}
	if (ioctl(p->vm->fd, KVM_IRQ_LINE_STATUS, &l)) {
		p->err = errno;
		return NULL;
	}
	p->up = l.status;
	l.irq = p->gsi;
	l.level = 0;
	if (ioctl(p->vm->fd, KVM_IRQ_LINE_STATUS, &l))
		p->err = errno;
	p->down = l.status;
	return NULL;
}

static void pulse_start(struct __test_metadata *_metadata, struct pulse *p)
{
	ASSERT_EQ(0, pthread_create(&p->thread, NULL, pulse_thread, p));
}

static void pulse_join(struct __test_metadata *_metadata, struct pulse *p)
{
	ASSERT_EQ(0, pthread_join(p->thread, NULL));
	EXPECT_EQ(0, p->err);
}

FIXTURE(io) {
	struct kvmt_vm *vm;
	struct kvmt_vcpu *vcpu;
};

FIXTURE_SETUP(io)
{
	KVMT_REQUIRE_KVM();
	self->vm = kvmt_irqchip_vm_new();
	self->vcpu = kvmt_script_vcpu_new(self->vm, 0);
}

FIXTURE_TEARDOWN(io)
{
	kvmt_vm_free(self->vm);
}

static uint64_t rte(struct kvmt_vm *vm, unsigned int pin)
{
	struct kvm_irqchip c;

	kvmt_get_irqchip(vm, KVM_IRQCHIP_IOAPIC, &c);
	return c.chip.ioapic.redirtbl[pin].bits;
}

/*
 * The IOAPIC's registers through IOREGSEL/IOWIN: ID, version 0x11 with
 * 24 entries (maximum redirection entry 0x17), arbitration ID, and the
 * redirection entries, which the guest writes half by half; userspace
 * sees the same state through KVM_GET_IRQCHIP.
 */
TEST_F(io, ioapic_registers)
{
	static const struct kvmt_step s[] = {
		S_IOAPIC_R(IOAPIC_REG_ID),
		S_IOAPIC_R(IOAPIC_REG_VER),
		S_IOAPIC_R(IOAPIC_REG_RTE_LO(18)),
		S_IOAPIC_R(IOAPIC_REG_RTE_HI(18)),
		S_IOAPIC_W(IOAPIC_REG_ID, 5U << 24),
		S_IOAPIC_R(IOAPIC_REG_ID),
		S_IOAPIC_W(IOAPIC_REG_RTE_HI(18), 3U << 24),
		S_IOAPIC_W(IOAPIC_REG_RTE_LO(18),
			   RTE_LEVEL | RTE_MASKED | 0x50),
		S_IOAPIC_R(IOAPIC_REG_RTE_LO(18)),
		S_IOAPIC_R(IOAPIC_REG_RTE_HI(18)),
		S_R32(IOAPIC_REGSEL),
		S_END(),
	};
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct kvm_irqchip c;

	KVMT_SCRIPT(vcpu, s);
	RUN_TO_READ_EQ(vcpu, 0);
	RUN_TO_READ_EQ(vcpu, 0x00170011);
	RUN_TO_READ_EQ(vcpu, RTE_MASKED);
	RUN_TO_READ_EQ(vcpu, 0);
	RUN_TO_READ_EQ(vcpu, 5U << 24);
	RUN_TO_READ_EQ(vcpu, RTE_LEVEL | RTE_MASKED | 0x50);
	RUN_TO_READ_EQ(vcpu, 3U << 24);
	RUN_TO_READ_EQ(vcpu, IOAPIC_REG_RTE_HI(18));
	RUN_TO_END(vcpu);

	kvmt_get_irqchip(self->vm, KVM_IRQCHIP_IOAPIC, &c);
	EXPECT_EQ(5U, c.chip.ioapic.id);
	EXPECT_EQ((uint32_t)IOAPIC_REG_RTE_HI(18), c.chip.ioapic.ioregsel);
	EXPECT_EQ(RTE_DEST(3) | RTE_LEVEL | RTE_MASKED | RTE_VECTOR(0x50),
		  c.chip.ioapic.redirtbl[18].bits);
}

/*
 * An edge pin the guest programmed (fixed, physical destination 0):
 * a KVM_IRQ_LINE pulse from userspace wakes the halted vCPU with the
 * vector.  Delivered: status 1 for the assertion, 1 for the deassertion.
 */
TEST_F(io, ioapic_edge)
{
	static const struct kvmt_step s[] = {
		S_APIC_ENABLE(),
		S_IOAPIC_W(IOAPIC_REG_RTE_HI(18), 0),
		S_IOAPIC_W(IOAPIC_REG_RTE_LO(18), 0x50),
		S_MARK(1),
		S_STI_HLT(),
		S_CLI(),
		S_EOI(),
		S_MARK(2),
		S_END(),
	};
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct pulse p = { .vm = self->vm, .ms = 100, .gsi = 18 };
	struct kvm_lapic_state ls;
	uint64_t rip;

	KVMT_SCRIPT(vcpu, s);
	RUN_TO_MARK(vcpu, 1);
	EXPECT_EQ(RTE_VECTOR(0x50), rte(self->vm, 18));
	pulse_start(_metadata, &p);
	RUN_TO_VECTOR(vcpu, 0x50);
	pulse_join(_metadata, &p);
	EXPECT_EQ(1, p.up);
	EXPECT_EQ(1, p.down);
	kvmt_vector_info(vcpu, NULL, &rip);
	EXPECT_EQ(KVMT_SCRIPT_AFTER_HLT, rip);
	kvmt_get_lapic(vcpu, &ls);
	EXPECT_TRUE(kvmt_lapic_bit(&ls, APIC_ISR, 0x50));
	EXPECT_FALSE(kvmt_lapic_bit(&ls, APIC_TMR, 0x50));
	/* Edge pins have no remote IRR. */
	EXPECT_EQ(RTE_VECTOR(0x50), rte(self->vm, 18));
	RUN_TO_MARK(vcpu, 2);
	RUN_TO_END(vcpu);
}

/*
 * A level pin (programmed by userspace with KVM_SET_IRQCHIP): remote IRR
 * is set from delivery to the EOI, and the LAPIC's TMR marks the vector
 * so that its EOI reaches the IOAPIC.  While remote IRR is set a new
 * assertion is refused (-1).  A line still high at the EOI is delivered
 * again; once it is low the EOI clears remote IRR for good.
 */
TEST_F(io, ioapic_level)
{
	static const struct kvmt_step s[] = {
		S_APIC_ENABLE(),
		S_MARK(1),
		S_STI_HLT(), S_CLI(),
		S_MARK(2),
		S_EOI(),
		S_MARK(3),
		S_STI_HLT(), S_CLI(),
		S_MARK(4),
		S_EOI(),
		S_MARK(5),
		S_END(),
	};
	const uint64_t entry = RTE_VECTOR(0x51) | RTE_LEVEL | RTE_DEST(0);
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct kvm_lapic_state ls;
	struct kvm_irqchip c;

	kvmt_ioapic_route(self->vm, 19, entry);
	KVMT_SCRIPT(vcpu, s);
	RUN_TO_MARK(vcpu, 1);
	EXPECT_EQ(1, kvmt_irq_line_status(self->vm, 19, 1));
	RUN_TO_VECTOR(vcpu, 0x51);
	kvmt_get_irqchip(self->vm, KVM_IRQCHIP_IOAPIC, &c);
	EXPECT_EQ(entry | RTE_REMOTE_IRR, c.chip.ioapic.redirtbl[19].bits);
	EXPECT_EQ(1U << 19, c.chip.ioapic.irr);
	kvmt_get_lapic(vcpu, &ls);
	EXPECT_TRUE(kvmt_lapic_bit(&ls, APIC_ISR, 0x51));
	EXPECT_TRUE(kvmt_lapic_bit(&ls, APIC_TMR, 0x51));
	RUN_TO_MARK(vcpu, 2);
	EXPECT_EQ(-1, kvmt_irq_line_status(self->vm, 19, 1));

	/* EOI with the line still high: delivered again at once. */
	RUN_TO_MARK(vcpu, 3);
	EXPECT_EQ(entry | RTE_REMOTE_IRR, rte(self->vm, 19));
	kvmt_get_lapic(vcpu, &ls);
	EXPECT_FALSE(kvmt_lapic_bit(&ls, APIC_ISR, 0x51));
	EXPECT_TRUE(kvmt_lapic_bit(&ls, APIC_IRR, 0x51));
	EXPECT_EQ(1, kvmt_irq_line_status(self->vm, 19, 0));
	/* Lowering the line leaves remote IRR to the EOI. */
	EXPECT_EQ(entry | RTE_REMOTE_IRR, rte(self->vm, 19));
	RUN_TO_VECTOR(vcpu, 0x51);
	RUN_TO_MARK(vcpu, 4);
	RUN_TO_MARK(vcpu, 5);
	kvmt_get_irqchip(self->vm, KVM_IRQCHIP_IOAPIC, &c);
	EXPECT_EQ(entry, c.chip.ioapic.redirtbl[19].bits);
	EXPECT_EQ(0U, c.chip.ioapic.irr);
	kvmt_get_lapic(vcpu, &ls);
	EXPECT_FALSE(kvmt_lapic_bit(&ls, APIC_ISR, 0x51));
	EXPECT_FALSE(kvmt_lapic_bit(&ls, APIC_IRR, 0x51));
	RUN_TO_END(vcpu);
}

/*
 * A masked level pin holds its asserted line in the IOAPIC's IRR
 * (status -1, nothing delivered); when the guest unmasks it, the
 * interrupt is delivered.
 */
TEST_F(io, ioapic_masked)
{
	static const struct kvmt_step s[] = {
		S_APIC_ENABLE(),
		S_MARK(1),
		S_STI(), S_SPIN(10000), S_CLI(),
		S_MARK(2),
		S_IOAPIC_W(IOAPIC_REG_RTE_LO(20), RTE_LEVEL | 0x52),
		S_STI(), S_SPIN(10000), S_CLI(),
		S_MARK(3),
		S_EOI(),
		S_END(),
	};
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct kvm_irqchip c;

	kvmt_ioapic_route(self->vm, 20, RTE_VECTOR(0x52) | RTE_LEVEL |
			  RTE_MASKED);
	KVMT_SCRIPT(vcpu, s);
	RUN_TO_MARK(vcpu, 1);
	EXPECT_EQ(-1, kvmt_irq_line_status(self->vm, 20, 1));
	RUN_TO_MARK(vcpu, 2);
	kvmt_get_irqchip(self->vm, KVM_IRQCHIP_IOAPIC, &c);
	EXPECT_EQ(1U << 20, c.chip.ioapic.irr);
	EXPECT_EQ(0ULL, c.chip.ioapic.redirtbl[20].bits & RTE_REMOTE_IRR);
	RUN_TO_VECTOR(vcpu, 0x52);
	EXPECT_NE(0ULL, rte(self->vm, 20) & RTE_REMOTE_IRR);
	kvmt_irq_line(self->vm, 20, 0);
	RUN_TO_MARK(vcpu, 3);
	RUN_TO_END(vcpu);
	EXPECT_EQ(RTE_VECTOR(0x52) | RTE_LEVEL, rte(self->vm, 20));
}

/*
 * A BIOS-style real-mode guest sets up the master PIC at vectors
 * 0x08-0x0f with only IRQ 3 open (ICW1-4, OCW1); GSI 3 from userspace
 * reaches it through LINT0 in ExtINT mode, the BSP's reset setting, with
 * the APIC still software-disabled.  The handler's OCW2 EOI clears ISR.
 */
TEST(pic_real_mode)
{
	struct kvmt_vcpu *vcpu;
	struct kvm_irqchip c;
	struct kvmt_vm *vm;

	KVMT_REQUIRE_KVM();
	vm = kvmt_irqchip_vm_new();
	vcpu = kvmt_vcpu_new(vm, 0);
	kvmt_load_code(vm, KVMT_CODE_GPA, KVMT_CODE(real_pic));
	kvmt_setup_mode(vcpu, KVMT_MODE_REAL, KVMT_CODE_GPA);

	RUN_TO_OUT(vcpu, KVMT_SCRIPT_PORT_MARK, 1, 1);
	kvmt_get_irqchip(vm, KVM_IRQCHIP_PIC_MASTER, &c);
	EXPECT_EQ(0x08, c.chip.pic.irq_base);
	EXPECT_EQ(0xf7, c.chip.pic.imr);
	EXPECT_EQ(0, c.chip.pic.irr);
	EXPECT_EQ(0, c.chip.pic.isr);
	EXPECT_EQ(1, c.chip.pic.init4);
	EXPECT_EQ(0, c.chip.pic.init_state);
	EXPECT_EQ(0, c.chip.pic.auto_eoi);

	kvmt_irq_line(vm, 3, 1);
	kvmt_irq_line(vm, 3, 0);
	RUN_TO_OUT(vcpu, KVMT_PORT_VECTOR, 1, 0x0b);
	kvmt_get_irqchip(vm, KVM_IRQCHIP_PIC_MASTER, &c);
	EXPECT_EQ(1 << 3, c.chip.pic.isr);
	EXPECT_EQ(0, c.chip.pic.irr);
	RUN_TO_OUT(vcpu, KVMT_SCRIPT_PORT_END, 1, 0);
	kvmt_get_irqchip(vm, KVM_IRQCHIP_PIC_MASTER, &c);
	EXPECT_EQ(0, c.chip.pic.isr);
	kvmt_vm_free(vm);
}

/*
 * The PIC's registers from a 64-bit guest: IMR through port 0x21, IRR
 * and ISR through OCW3 (the selection sticks), IRQ 3 taken at vector
 * 0x23 and ended with a non-specific EOI, and a masked IRQ 4 that shows
 * in IRR but is not delivered.  The ELCR keeps only the bits its mask
 * allows (IRQ 0-2 are edge-only).
 */
TEST_F(io, pic_registers)
{
	static const struct kvmt_step s[] = {
		S_PIC_INIT(1 << 3),
		S_INB(PIC_MASTER_DATA),
		S_MARK(1),
		S_OUTB(PIC_MASTER_CMD, PIC_OCW3 | PIC_OCW3_READ_IRR),
		S_INB(PIC_MASTER_CMD),
		S_OUTB(PIC_MASTER_CMD, PIC_OCW3 | PIC_OCW3_READ_ISR),
		S_INB(PIC_MASTER_CMD),
		S_STI_HLT(), S_CLI(),
		S_INB(PIC_MASTER_CMD),
		S_OUTB(PIC_MASTER_CMD, PIC_OCW3 | PIC_OCW3_READ_IRR),
		S_INB(PIC_MASTER_CMD),
		S_PIC_EOI(),
		S_OUTB(PIC_MASTER_CMD, PIC_OCW3 | PIC_OCW3_READ_ISR),
		S_INB(PIC_MASTER_CMD),
		S_MARK(2),
		S_OUTB(PIC_MASTER_CMD, PIC_OCW3 | PIC_OCW3_READ_IRR),
		S_INB(PIC_MASTER_CMD),
		S_STI(), S_SPIN(10000), S_CLI(),
		S_MARK(3),
		S_INB(PIC_ELCR_MASTER),
		S_OUTB(PIC_ELCR_MASTER, 0xff),
		S_INB(PIC_ELCR_MASTER),
		S_END(),
	};
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct kvm_irqchip c;

	KVMT_SCRIPT(vcpu, s);
	RUN_TO_READ_EQ(vcpu, 0xf7);
	RUN_TO_MARK(vcpu, 1);
	kvmt_irq_line(self->vm, 3, 1);
	kvmt_irq_line(self->vm, 3, 0);
	RUN_TO_READ_EQ(vcpu, 1 << 3);	/* IRR */
	RUN_TO_READ_EQ(vcpu, 0);	/* ISR */
	RUN_TO_VECTOR(vcpu, 0x23);
	RUN_TO_READ_EQ(vcpu, 1 << 3);	/* ISR */
	RUN_TO_READ_EQ(vcpu, 0);	/* IRR */
	RUN_TO_READ_EQ(vcpu, 0);	/* ISR after the EOI */
	RUN_TO_MARK(vcpu, 2);
	kvmt_irq_line(self->vm, 4, 1);
	kvmt_irq_line(self->vm, 4, 0);
	RUN_TO_READ_EQ(vcpu, 1 << 4);	/* IRR: seen, masked */
	RUN_TO_MARK(vcpu, 3);
	RUN_TO_READ_EQ(vcpu, 0);
	RUN_TO_READ_EQ(vcpu, 0xf8);
	RUN_TO_END(vcpu);
	kvmt_get_irqchip(self->vm, KVM_IRQCHIP_PIC_MASTER, &c);
	EXPECT_EQ(0xf8, c.chip.pic.elcr);
	EXPECT_EQ(0x20, c.chip.pic.irq_base);
	EXPECT_EQ(1 << 4, c.chip.pic.irr);
}

/*
 * The PIC reaches the CPU only through LINT0 in ExtINT mode: with LVT0
 * masked, IRQ 3 is not delivered and waits in the PIC's IRR.
 *
 * What happens when LVT0 is unmasked afterwards is left open: in-tree
 * does not deliver the waiting request then, not even when another PIC
 * IRQ arrives while the PIC's output is still high (nothing makes it
 * look at the PIC again), where real hardware would see INTR asserted.
 */
TEST_F(io, pic_lint0_masked)
{
	static const struct kvmt_step s[] = {
		S_APIC_ENABLE(),
		S_APIC_W(APIC_LVT0, APIC_LVT_MASKED | APIC_DM_EXTINT),
		S_PIC_INIT(1 << 3),
		S_MARK(1),
		S_STI(), S_SPIN(10000), S_CLI(),
		S_MARK(2),
		S_END(),
	};
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct kvm_irqchip c;

	KVMT_SCRIPT(vcpu, s);
	RUN_TO_MARK(vcpu, 1);
	kvmt_irq_line(self->vm, 3, 1);
	kvmt_irq_line(self->vm, 3, 0);
	RUN_TO_MARK(vcpu, 2);
	RUN_TO_END(vcpu);
	kvmt_get_irqchip(self->vm, KVM_IRQCHIP_PIC_MASTER, &c);
	EXPECT_EQ(1 << 3, c.chip.pic.irr);
	EXPECT_EQ(0, c.chip.pic.isr);
}

/*
 * MSIs reach the guest: KVM_SIGNAL_MSI with address 0xfee00000 | dest
 * << 12 and data = vector wakes the halted vCPU with that vector; a GSI
 * routed to an MSI does the same on KVM_IRQ_LINE; an MSI with delivery
 * mode NMI (data bits 10:8 = 4) is an NMI.
 */
TEST_F(io, msi)
{
	static const struct kvmt_step s[] = {
		S_APIC_ENABLE(),
		S_MARK(1),
		S_STI_HLT(), S_CLI(), S_EOI(),
		S_MARK(2),
		S_STI_HLT(), S_CLI(), S_EOI(),
		S_MARK(3),
		S_SPIN(1000),
		S_MARK(4),
		S_END(),
	};
	struct kvm_irq_routing_entry *e;
	struct kvm_irq_routing *r;
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct pulse p = {
		.vm = self->vm, .ms = 100, .msi = true,
		.gsi = MSI_ADDR(0), .data = 0x60,
	};

	KVMT_SCRIPT(vcpu, s);
	RUN_TO_MARK(vcpu, 1);
	pulse_start(_metadata, &p);
	RUN_TO_VECTOR(vcpu, 0x60);
	pulse_join(_metadata, &p);
	EXPECT_EQ(1, p.up);
	RUN_TO_MARK(vcpu, 2);

	r = calloc(1, sizeof(*r) + sizeof(*e));
	ASSERT_NE(NULL, r);
	r->nr = 1;
	e = &r->entries[0];
	e->gsi = 30;
	e->type = KVM_IRQ_ROUTING_MSI;
	e->u.msi.address_lo = MSI_ADDR(0);
	e->u.msi.data = 0x61;
	ASSERT_EQ(0, ioctl(self->vm->fd, KVM_SET_GSI_ROUTING, r));
	free(r);
	memset(&p, 0, sizeof(p));
	p.vm = self->vm;
	p.ms = 100;
	p.gsi = 30;
	pulse_start(_metadata, &p);
	RUN_TO_VECTOR(vcpu, 0x61);
	pulse_join(_metadata, &p);
	EXPECT_EQ(1, p.up);
	EXPECT_EQ(-1, p.down);
	RUN_TO_MARK(vcpu, 3);

	EXPECT_EQ(1, signal_msi(self->vm->fd, MSI_ADDR(0), APIC_DM_NMI));
	RUN_TO_VECTOR(vcpu, NMI_VECTOR);
	RUN_TO_MARK(vcpu, 4);
	RUN_TO_END(vcpu);
}

/*
 * PIT channel 0 in mode 2 (rate generator, 1 ms) raises IRQ 0 again and
 * again; the guest takes it through the PIC at vector 0x20.  Its count,
 * latched through port 0x43, runs within the programmed period, and
 * KVM_GET_PIT2 shows the guest's programming.
 */
TEST_F(io, pit_through_pic)
{
	static const struct kvmt_step s[] = {
		S_PIC_INIT(1 << 0),
		S_PIT_RATE(PIT_1MS),
		S_OUTB(PIT_CMD, 0x00),		/* latch channel 0 */
		S_INB(PIT_CH0),
		S_INB(PIT_CH0),
		S_MARK(1),
		S_STI_HLT(), S_CLI(), S_PIC_EOI(),
		S_MARK(2),
		S_STI_HLT(), S_CLI(), S_PIC_EOI(),
		S_MARK(3),
		S_END(),
	};
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct kvm_pit_config pc = { .flags = 0 };
	struct kvm_pit_state2 ps;
	uint64_t lo, hi;

	ASSERT_EQ(0, ioctl(self->vm->fd, KVM_CREATE_PIT2, &pc));
	KVMT_SCRIPT(vcpu, s);
	RUN_TO_READ(vcpu, lo);
	RUN_TO_READ(vcpu, hi);
	EXPECT_GE((uint64_t)PIT_1MS, lo | hi << 8);
	RUN_TO_MARK(vcpu, 1);
	ASSERT_EQ(0, ioctl(self->vm->fd, KVM_GET_PIT2, &ps));
	EXPECT_EQ((uint32_t)PIT_1MS, ps.channels[0].count);
	EXPECT_EQ(2, ps.channels[0].mode);
	EXPECT_EQ(3, ps.channels[0].rw_mode);
	EXPECT_EQ(0, ps.channels[0].bcd);
	RUN_TO_VECTOR(vcpu, 0x20);
	RUN_TO_MARK(vcpu, 2);
	RUN_TO_VECTOR(vcpu, 0x20);
	RUN_TO_MARK(vcpu, 3);
	RUN_TO_END(vcpu);
}

/*
 * With the PIC out of the way (LINT0 masked) the PIT's IRQ 0 reaches the
 * IOAPIC.  In-tree's default routing sends GSI 0 to IOAPIC pin 0.
 */
TEST_F(io, pit_through_ioapic)
{
	static const struct kvmt_step s[] = {
		S_APIC_ENABLE(),
		S_APIC_W(APIC_LVT0, APIC_LVT_MASKED | APIC_DM_EXTINT),
		S_IOAPIC_W(IOAPIC_REG_RTE_LO(0), 0x30),
		S_IOAPIC_W(IOAPIC_REG_RTE_LO(2), 0x32),
		S_PIT_RATE(PIT_1MS),
		S_STI_HLT(), S_CLI(), S_EOI(),
		S_MARK(1),
		S_END(),
	};
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct kvm_pit_config pc = { .flags = 0 };

	ASSERT_EQ(0, ioctl(self->vm->fd, KVM_CREATE_PIT2, &pc));
	KVMT_SCRIPT(vcpu, s);
	RUN_TO_VECTOR(vcpu, 0x30);
	RUN_TO_MARK(vcpu, 1);
	RUN_TO_END(vcpu);
}

/*
 * Port 0x61 (speaker, channel 2's gate): without KVM_PIT_SPEAKER_DUMMY
 * it is userspace's; with it the kernel answers.  Bit 0 is channel 2's
 * gate and bit 1 the speaker data, both writable and both seen by
 * KVM_GET_PIT2.
 */
TEST_F(io, pit_speaker_port_user)
{
	static const struct kvmt_step s[] = {
		S_INB(PIT_SPEAKER),
		S_END(),
	};
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct kvm_pit_config pc = { .flags = 0 };

	ASSERT_EQ(0, ioctl(self->vm->fd, KVM_CREATE_PIT2, &pc));
	KVMT_SCRIPT(vcpu, s);
	RUN_TO_IN(vcpu, PIT_SPEAKER, 1, 0x5a);
	RUN_TO_READ_EQ(vcpu, 0x5a);
	RUN_TO_END(vcpu);
}

TEST_F(io, pit_speaker_port_dummy)
{
	static const struct kvmt_step s[] = {
		S_INB(PIT_SPEAKER),
		S_OUTB(PIT_SPEAKER, 0x03),
		S_INB(PIT_SPEAKER),
		S_END(),
	};
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct kvm_pit_config pc = { .flags = KVM_PIT_SPEAKER_DUMMY };
	struct kvm_pit_state2 ps;
	uint64_t v;

	ASSERT_EQ(0, ioctl(self->vm->fd, KVM_CREATE_PIT2, &pc));
	KVMT_SCRIPT(vcpu, s);
	RUN_TO_READ(vcpu, v);
	EXPECT_EQ(0ULL, v & 3);
	RUN_TO_READ(vcpu, v);
	EXPECT_EQ(3ULL, v & 3);
	RUN_TO_END(vcpu);
	ASSERT_EQ(0, ioctl(self->vm->fd, KVM_GET_PIT2, &ps));
	EXPECT_EQ(1, ps.channels[2].gate);
	EXPECT_EQ((uint32_t)KVM_PIT_FLAGS_SPEAKER_DATA_ON, ps.flags);
}

TEST_HARNESS_MAIN
