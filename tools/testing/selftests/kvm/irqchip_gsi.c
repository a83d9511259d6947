// SPDX-License-Identifier: GPL-2.0-only
/*
 * Raising interrupts from userspace into the in-kernel irqchip, without
 * running a guest: what KVM_IRQ_LINE_STATUS and KVM_SIGNAL_MSI report
 * (and the IRR and TMR bits they leave in the local APICs), what
 * KVM_SET_GSI_ROUTING accepts, and how a new routing table replaces the
 * default one.  The guest's view of the same is in irqchip_io.c.
 *
 * Expected values are those of the in-tree KVM of Debian's 6.1 kernel;
 * where api.rst says otherwise or nothing, the comment says so.
 */
#include <stdlib.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "kvmt_test.h"
#include "kvmt_irq.h"

/* KVM_MAX_IRQ_ROUTES of the in-tree KVM (x86): GSIs 0-4095. */
#define MAX_ROUTES	4096

static int irq_line(int vm_fd, uint32_t gsi, uint32_t level)
{
	struct kvm_irq_level l = { .irq = gsi, .level = level };

	return ioctl(vm_fd, KVM_IRQ_LINE, &l);
}

static int signal_msi(int vm_fd, uint32_t addr, uint32_t data,
		      uint32_t flags)
{
	struct kvm_msi m = {
		.address_lo = addr, .data = data, .flags = flags,
	};

	return ioctl(vm_fd, KVM_SIGNAL_MSI, &m);
}

/* A VM with KVM_CREATE_IRQCHIP done and no vCPU yet. */
FIXTURE(gsi) {
	struct kvmt_vm *vm;
};

FIXTURE_SETUP(gsi)
{
	KVMT_REQUIRE_KVM();
	self->vm = kvmt_vm_new();
	ASSERT_EQ(0, ioctl(self->vm->fd, KVM_CREATE_IRQCHIP, 0));
}

FIXTURE_TEARDOWN(gsi)
{
	kvmt_vm_free(self->vm);
}

/* Software-enable vCPU @vcpu's APIC (SVR bit 8) through KVM_SET_LAPIC. */
static void lapic_enable(struct kvmt_vcpu *vcpu)
{
	struct kvm_lapic_state s;

	kvmt_get_lapic(vcpu, &s);
	kvmt_lapic_set_reg(&s, APIC_SPIV, APIC_SPIV_ENABLE | 0xff);
	kvmt_set_lapic(vcpu, &s);
}

/*
 * KVM_IRQ_LINE_STATUS on an IOAPIC-only GSI (16-23) of vCPUs that never
 * run.  In-tree reports, for an assertion (level 1):
 *   -1  the pin is masked (the first time), or a level pin whose remote
 *       IRR is still set;
 *    0  coalesced: an edge pin asserted while already high, or no APIC
 *       accepted the interrupt (none with that ID, or software disabled);
 *    n  delivered to n local APICs;
 * and 1 for every deassertion of a routed GSI.  GSIs that nothing is
 * routed to (24 and up by default) report -1 and are not an error.
 */
TEST_F(gsi, irq_line_status)
{
	struct kvmt_vcpu *v0 = kvmt_vcpu_new(self->vm, 0);
	struct kvmt_vcpu *v1 = kvmt_vcpu_new(self->vm, 1);
	struct kvm_lapic_state s;
	int fd = self->vm->fd;
	struct kvm_irqchip c;

	/* Masked at reset. */
	EXPECT_EQ(-1, kvmt_irq_line_status(self->vm, 16, 1));
	EXPECT_EQ(0, kvmt_irq_line_status(self->vm, 16, 1));
	EXPECT_EQ(1, kvmt_irq_line_status(self->vm, 16, 0));

	/* Unmasked, but the APIC is software-disabled. */
	kvmt_ioapic_route(self->vm, 17, RTE_VECTOR(0x40) | RTE_DEST(0));
	EXPECT_EQ(0, kvmt_irq_line_status(self->vm, 17, 1));
	EXPECT_EQ(1, kvmt_irq_line_status(self->vm, 17, 0));

	lapic_enable(v0);
	lapic_enable(v1);
	/* Edge: delivered on the rising edge only. */
	kvmt_ioapic_route(self->vm, 18, RTE_VECTOR(0x41) | RTE_DEST(0));
	EXPECT_EQ(1, kvmt_irq_line_status(self->vm, 18, 1));
	EXPECT_EQ(0, kvmt_irq_line_status(self->vm, 18, 1));
	EXPECT_EQ(1, kvmt_irq_line_status(self->vm, 18, 0));
	/* In-tree does not count a vector already in IRR as coalesced. */
	EXPECT_EQ(1, kvmt_irq_line_status(self->vm, 18, 1));
	EXPECT_EQ(1, kvmt_irq_line_status(self->vm, 18, 0));
	kvmt_get_lapic(v0, &s);
	EXPECT_TRUE(kvmt_lapic_bit(&s, APIC_IRR, 0x41));
	EXPECT_FALSE(kvmt_lapic_bit(&s, APIC_TMR, 0x41));

	/* Level: remote IRR is set until the EOI, refusing more. */
	kvmt_ioapic_route(self->vm, 19, RTE_VECTOR(0x42) | RTE_LEVEL |
			  RTE_DEST(1));
	EXPECT_EQ(1, kvmt_irq_line_status(self->vm, 19, 1));
	kvmt_get_irqchip(self->vm, KVM_IRQCHIP_IOAPIC, &c);
	EXPECT_EQ(RTE_VECTOR(0x42) | RTE_LEVEL | RTE_DEST(1) | RTE_REMOTE_IRR,
		  c.chip.ioapic.redirtbl[19].bits);
	EXPECT_EQ(1U << 19, c.chip.ioapic.irr);
	EXPECT_EQ(-1, kvmt_irq_line_status(self->vm, 19, 1));
	EXPECT_EQ(1, kvmt_irq_line_status(self->vm, 19, 0));
	kvmt_get_irqchip(self->vm, KVM_IRQCHIP_IOAPIC, &c);
	EXPECT_EQ(0U, c.chip.ioapic.irr);
	EXPECT_NE(0ULL, c.chip.ioapic.redirtbl[19].bits & RTE_REMOTE_IRR);
	EXPECT_EQ(-1, kvmt_irq_line_status(self->vm, 19, 1));
	EXPECT_EQ(1, kvmt_irq_line_status(self->vm, 19, 0));
	kvmt_get_lapic(v1, &s);
	EXPECT_TRUE(kvmt_lapic_bit(&s, APIC_IRR, 0x42));
	EXPECT_TRUE(kvmt_lapic_bit(&s, APIC_TMR, 0x42));

	/* No APIC with ID 7: nobody takes it. */
	kvmt_ioapic_route(self->vm, 20, RTE_VECTOR(0x43) | RTE_DEST(7));
	EXPECT_EQ(0, kvmt_irq_line_status(self->vm, 20, 1));
	EXPECT_EQ(1, kvmt_irq_line_status(self->vm, 20, 0));

	/* Broadcast (physical 0xff): both vCPUs. */
	kvmt_ioapic_route(self->vm, 21, RTE_VECTOR(0x44) | RTE_DEST(0xff));
	EXPECT_EQ(2, kvmt_irq_line_status(self->vm, 21, 1));
	EXPECT_EQ(1, kvmt_irq_line_status(self->vm, 21, 0));
	kvmt_get_lapic(v0, &s);
	EXPECT_TRUE(kvmt_lapic_bit(&s, APIC_IRR, 0x44));
	kvmt_get_lapic(v1, &s);
	EXPECT_TRUE(kvmt_lapic_bit(&s, APIC_IRR, 0x44));

	/* Nothing routed: -1, no error, whatever the GSI. */
	EXPECT_EQ(-1, kvmt_irq_line_status(self->vm, 24, 1));
	EXPECT_EQ(-1, kvmt_irq_line_status(self->vm, 24, 0));
	EXPECT_EQ(-1, kvmt_irq_line_status(self->vm, MAX_ROUTES, 1));
	EXPECT_EQ(-1, kvmt_irq_line_status(self->vm, ~0U, 1));
	EXPECT_ERRNO(0, irq_line(fd, 1000, 1));
	EXPECT_ERRNO(0, irq_line(fd, ~0U, 0));
}

/*
 * GSIs 0-15 go to the PIC and the IOAPIC; in-tree adds up what each chip
 * reports (-1 counting as 0, -1 if both do).  The PIC starts with
 * nothing masked, so it takes the edge (1, the IOAPIC pin being masked)
 * and both count a deassertion (2); with the PIC line masked too an
 * assertion is -1 and a deassertion 1.
 */
TEST_F(gsi, irq_line_status_isa)
{
	struct kvm_irqchip c;

	EXPECT_EQ(1, kvmt_irq_line_status(self->vm, 3, 1));
	kvmt_get_irqchip(self->vm, KVM_IRQCHIP_PIC_MASTER, &c);
	EXPECT_EQ(1 << 3, c.chip.pic.irr);
	EXPECT_EQ(2, kvmt_irq_line_status(self->vm, 3, 0));
	/* Edge-triggered PIC: IRR stays after the line drops. */
	kvmt_get_irqchip(self->vm, KVM_IRQCHIP_PIC_MASTER, &c);
	EXPECT_EQ(1 << 3, c.chip.pic.irr);

	/* Masked in the PIC too: nobody takes it. */
	c.chip.pic.imr = 1 << 4;
	kvmt_set_irqchip(self->vm, &c);
	EXPECT_EQ(-1, kvmt_irq_line_status(self->vm, 4, 1));
	EXPECT_EQ(1, kvmt_irq_line_status(self->vm, 4, 0));
}

/*
 * KVM_SIGNAL_MSI returns the number of APICs that took the interrupt
 * (0: no APIC has the destination ID).  In-tree looks only at the
 * destination ID bits of the address (0xfed00000 is taken as
 * destination 0) and accepts flags 0 and KVM_MSI_VALID_DEVID (whose
 * devid x86 ignores); any other flag is EINVAL.
 */
TEST_F(gsi, signal_msi)
{
	struct kvmt_vcpu *v0 = kvmt_vcpu_new(self->vm, 0);
	struct kvmt_vcpu *v1 = kvmt_vcpu_new(self->vm, 1);
	int fd = self->vm->fd;
	struct kvm_lapic_state s;

	lapic_enable(v0);
	lapic_enable(v1);
	EXPECT_EQ(1, signal_msi(fd, MSI_ADDR(0), 0x50, 0));
	EXPECT_EQ(1, signal_msi(fd, MSI_ADDR(0), 0x50, 0));
	EXPECT_EQ(1, signal_msi(fd, MSI_ADDR(1), 0x51, 0));
	EXPECT_EQ(0, signal_msi(fd, MSI_ADDR(9), 0x52, 0));
	EXPECT_EQ(2, signal_msi(fd, MSI_ADDR(0xff), 0x53, 0));
	EXPECT_EQ(1, signal_msi(fd, 0xfed00000, 0x54, 0));
	EXPECT_EQ(1, signal_msi(fd, MSI_ADDR(0), 0x55, KVM_MSI_VALID_DEVID));
	EXPECT_ERRNO(EINVAL, signal_msi(fd, MSI_ADDR(0), 0x56, 2));
	EXPECT_ERRNO(EINVAL, signal_msi(fd, MSI_ADDR(0), 0x56, 1U << 31));

	kvmt_get_lapic(v0, &s);
	EXPECT_TRUE(kvmt_lapic_bit(&s, APIC_IRR, 0x50));
	EXPECT_FALSE(kvmt_lapic_bit(&s, APIC_IRR, 0x51));
	EXPECT_TRUE(kvmt_lapic_bit(&s, APIC_IRR, 0x53));
	EXPECT_TRUE(kvmt_lapic_bit(&s, APIC_IRR, 0x54));
	EXPECT_TRUE(kvmt_lapic_bit(&s, APIC_IRR, 0x55));
	EXPECT_FALSE(kvmt_lapic_bit(&s, APIC_IRR, 0x56));
	kvmt_get_lapic(v1, &s);
	EXPECT_FALSE(kvmt_lapic_bit(&s, APIC_IRR, 0x50));
	EXPECT_TRUE(kvmt_lapic_bit(&s, APIC_IRR, 0x51));
	EXPECT_TRUE(kvmt_lapic_bit(&s, APIC_IRR, 0x53));
}

static int set_routing(int vm_fd, const struct kvm_irq_routing_entry *e,
		       uint32_t nr, uint32_t flags)
{
	struct kvm_irq_routing *r;
	int ret;

	r = calloc(1, sizeof(*r) + (size_t)nr * sizeof(*e));
	if (!r)
		return -1;
	r->nr = nr;
	r->flags = flags;
	if (e)
		memcpy(r->entries, e, (size_t)nr * sizeof(*e));
	ret = ioctl(vm_fd, KVM_SET_GSI_ROUTING, r);
	free(r);
	return ret;
}

static struct kvm_irq_routing_entry chip_route(uint32_t gsi, uint32_t chip,
					       uint32_t pin)
{
	struct kvm_irq_routing_entry e = {
		.gsi = gsi, .type = KVM_IRQ_ROUTING_IRQCHIP,
	};

	e.u.irqchip.irqchip = chip;
	e.u.irqchip.pin = pin;
	return e;
}

static struct kvm_irq_routing_entry msi_route(uint32_t gsi, uint32_t addr,
					      uint32_t data)
{
	struct kvm_irq_routing_entry e = {
		.gsi = gsi, .type = KVM_IRQ_ROUTING_MSI,
	};

	e.u.msi.address_lo = addr;
	e.u.msi.data = data;
	return e;
}

/*
 * What KVM_SET_GSI_ROUTING accepts: header flags must be 0, at most 4096
 * entries, GSIs below 4096, irqchip entries with no flags naming an
 * existing chip and pin, MSI entries with no flag but
 * KVM_MSI_VALID_DEVID, at most one entry per chip for a GSI and an MSI
 * GSI nothing else.  In-tree checks neither the entries' pad fields nor
 * MSI address_hi, and takes KVM_IRQ_ROUTING_HV_SINT (Hyper-V SynIC)
 * entries; S390 and Xen types and unknown ones are EINVAL.
 */
TEST_F(gsi, gsi_routing_validation)
{
	struct kvm_irq_routing_entry e[2], *big;
	int fd = self->vm->fd;
	unsigned int i;

	EXPECT_ERRNO(0, set_routing(fd, NULL, 0, 0));
	e[0] = chip_route(5, KVM_IRQCHIP_IOAPIC, 5);
	EXPECT_ERRNO(0, set_routing(fd, e, 1, 0));
	EXPECT_ERRNO(EINVAL, set_routing(fd, e, 1, 1));
	EXPECT_ERRNO(EINVAL, set_routing(fd, e, 1, 1U << 31));

	/* Types. */
	for (i = 0; i < 8; i++) {
		if (i == KVM_IRQ_ROUTING_IRQCHIP || i == KVM_IRQ_ROUTING_MSI ||
		    i == KVM_IRQ_ROUTING_HV_SINT)
			continue;
		TH_LOG("type %u", i);
		e[0].type = i;
		EXPECT_ERRNO(EINVAL, set_routing(fd, e, 1, 0));
	}
	e[0].type = 0x100;
	EXPECT_ERRNO(EINVAL, set_routing(fd, e, 1, 0));
	e[0].type = KVM_IRQ_ROUTING_HV_SINT;
	EXPECT_ERRNO(0, set_routing(fd, e, 1, 0));

	/* irqchip entries. */
	e[0] = chip_route(5, KVM_IRQCHIP_IOAPIC, 5);
	e[0].flags = 1;
	EXPECT_ERRNO(EINVAL, set_routing(fd, e, 1, 0));
	e[0].flags = 0;
	e[0].pad = 1;
	e[0].u.pad[5] = 9;
	EXPECT_ERRNO(0, set_routing(fd, e, 1, 0));
	e[0] = chip_route(5, KVM_NR_IRQCHIPS, 0);
	EXPECT_ERRNO(EINVAL, set_routing(fd, e, 1, 0));
	e[0] = chip_route(5, KVM_IRQCHIP_IOAPIC, KVM_IOAPIC_NUM_PINS);
	EXPECT_ERRNO(EINVAL, set_routing(fd, e, 1, 0));
	e[0] = chip_route(5, KVM_IRQCHIP_IOAPIC, KVM_IOAPIC_NUM_PINS - 1);
	EXPECT_ERRNO(0, set_routing(fd, e, 1, 0));
	e[0] = chip_route(5, KVM_IRQCHIP_PIC_MASTER, 8);
	EXPECT_ERRNO(EINVAL, set_routing(fd, e, 1, 0));
	e[0] = chip_route(5, KVM_IRQCHIP_PIC_SLAVE, 8);
	EXPECT_ERRNO(EINVAL, set_routing(fd, e, 1, 0));
	e[0] = chip_route(5, KVM_IRQCHIP_PIC_SLAVE, 7);
	EXPECT_ERRNO(0, set_routing(fd, e, 1, 0));

	/* GSI numbers. */
	e[0] = chip_route(MAX_ROUTES - 1, KVM_IRQCHIP_IOAPIC, 5);
	EXPECT_ERRNO(0, set_routing(fd, e, 1, 0));
	e[0].gsi = MAX_ROUTES;
	EXPECT_ERRNO(EINVAL, set_routing(fd, e, 1, 0));
	e[0].gsi = ~0U;
	EXPECT_ERRNO(EINVAL, set_routing(fd, e, 1, 0));

	/* One entry per chip and GSI; an MSI GSI has nothing else. */
	e[0] = chip_route(6, KVM_IRQCHIP_IOAPIC, 5);
	e[1] = e[0];
	EXPECT_ERRNO(EINVAL, set_routing(fd, e, 2, 0));
	e[1].u.irqchip.pin = 6;
	EXPECT_ERRNO(EINVAL, set_routing(fd, e, 2, 0));
	e[1] = chip_route(6, KVM_IRQCHIP_PIC_MASTER, 6);
	EXPECT_ERRNO(0, set_routing(fd, e, 2, 0));
	e[0] = chip_route(6, KVM_IRQCHIP_PIC_SLAVE, 6);
	EXPECT_ERRNO(0, set_routing(fd, e, 2, 0));
	e[0] = msi_route(6, MSI_ADDR(0), 0x60);
	EXPECT_ERRNO(EINVAL, set_routing(fd, e, 2, 0));
	e[1] = msi_route(6, MSI_ADDR(1), 0x61);
	EXPECT_ERRNO(EINVAL, set_routing(fd, e, 2, 0));
	e[1].gsi = 7;
	EXPECT_ERRNO(0, set_routing(fd, e, 2, 0));

	/* MSI entries. */
	e[0] = msi_route(6, MSI_ADDR(0), 0x60);
	e[0].flags = KVM_MSI_VALID_DEVID;
	EXPECT_ERRNO(0, set_routing(fd, e, 1, 0));
	e[0].flags = 2;
	EXPECT_ERRNO(EINVAL, set_routing(fd, e, 1, 0));
	e[0].flags = 0;
	e[0].pad = 2;
	e[0].u.msi.pad = 3;
	e[0].u.msi.address_hi = 0x101;
	EXPECT_ERRNO(0, set_routing(fd, e, 1, 0));

	/* The table size. */
	big = calloc(MAX_ROUTES + 1, sizeof(*big));
	ASSERT_NE(NULL, big);
	for (i = 0; i <= MAX_ROUTES; i++)
		big[i] = msi_route(i % MAX_ROUTES, MSI_ADDR(0), 0x70);
	EXPECT_ERRNO(0, set_routing(fd, big, MAX_ROUTES, 0));
	EXPECT_ERRNO(EINVAL, set_routing(fd, big, MAX_ROUTES + 1, 0));
	free(big);
	/* Refused before anything is read: no huge buffer needed. */
	{
		struct kvm_irq_routing r = { .nr = 100000 };

		EXPECT_ERRNO(EINVAL, ioctl(fd, KVM_SET_GSI_ROUTING, &r));
		r.nr = ~0U;
		EXPECT_ERRNO(EINVAL, ioctl(fd, KVM_SET_GSI_ROUTING, &r));
	}
}

/*
 * A new table replaces the default one entirely: a GSI routed to an MSI
 * delivers it on assertion (status 1) and reports -1 on deassertion (an
 * MSI has no level); a GSI left out is routed nowhere (-1).
 */
TEST_F(gsi, gsi_routing_replaces)
{
	struct kvmt_vcpu *v1 = kvmt_vcpu_new(self->vm, 1);
	struct kvm_irq_routing_entry e[2];
	struct kvm_lapic_state s;

	kvmt_vcpu_new(self->vm, 0);
	lapic_enable(v1);
	kvmt_ioapic_route(self->vm, 18, RTE_VECTOR(0x40) | RTE_DEST(1));
	e[0] = msi_route(5, MSI_ADDR(1), 0x61);
	e[1] = chip_route(40, KVM_IRQCHIP_IOAPIC, 18);
	ASSERT_EQ(0, set_routing(self->vm->fd, e, 2, 0));
	EXPECT_EQ(1, kvmt_irq_line_status(self->vm, 5, 1));
	EXPECT_EQ(1, kvmt_irq_line_status(self->vm, 5, 1));
	EXPECT_EQ(-1, kvmt_irq_line_status(self->vm, 5, 0));
	EXPECT_EQ(-1, kvmt_irq_line_status(self->vm, 18, 1));
	EXPECT_EQ(-1, kvmt_irq_line_status(self->vm, 18, 0));
	kvmt_get_lapic(v1, &s);
	EXPECT_TRUE(kvmt_lapic_bit(&s, APIC_IRR, 0x61));
	EXPECT_FALSE(kvmt_lapic_bit(&s, APIC_IRR, 0x40));
	/* GSI 40 now drives IOAPIC pin 18. */
	EXPECT_EQ(1, kvmt_irq_line_status(self->vm, 40, 1));
	EXPECT_EQ(1, kvmt_irq_line_status(self->vm, 40, 0));
	kvmt_get_lapic(v1, &s);
	EXPECT_TRUE(kvmt_lapic_bit(&s, APIC_IRR, 0x40));
}

/*
 * Logical destinations, as Linux uses them with up to 8 CPUs in xAPIC
 * mode: flat model (DFR all ones), one LDR bit per APIC; an IOAPIC
 * entry or MSI in logical mode reaches every APIC whose LDR bit is in
 * the destination byte.  MSI address bit 2 selects logical mode.
 */
TEST_F(gsi, logical_destination)
{
	struct kvmt_vcpu *v[2];
	struct kvm_lapic_state s;
	int fd = self->vm->fd;
	unsigned int i;

	for (i = 0; i < 2; i++) {
		v[i] = kvmt_vcpu_new(self->vm, i);
		kvmt_get_lapic(v[i], &s);
		kvmt_lapic_set_reg(&s, APIC_SPIV, APIC_SPIV_ENABLE | 0xff);
		kvmt_lapic_set_reg(&s, APIC_LDR, 1U << (24 + i));
		kvmt_set_lapic(v[i], &s);
	}
	kvmt_ioapic_route(self->vm, 22, RTE_VECTOR(0x70) | RTE_DEST_LOGICAL |
			  RTE_DEST(0x03));
	EXPECT_EQ(2, kvmt_irq_line_status(self->vm, 22, 1));
	EXPECT_EQ(1, kvmt_irq_line_status(self->vm, 22, 0));
	kvmt_ioapic_route(self->vm, 22, RTE_VECTOR(0x71) | RTE_DEST_LOGICAL |
			  RTE_DEST(0x02));
	EXPECT_EQ(1, kvmt_irq_line_status(self->vm, 22, 1));
	EXPECT_EQ(1, kvmt_irq_line_status(self->vm, 22, 0));
	/* No APIC has LDR bit 2. */
	kvmt_ioapic_route(self->vm, 22, RTE_VECTOR(0x72) | RTE_DEST_LOGICAL |
			  RTE_DEST(0x04));
	EXPECT_EQ(0, kvmt_irq_line_status(self->vm, 22, 1));
	EXPECT_EQ(1, kvmt_irq_line_status(self->vm, 22, 0));
	EXPECT_EQ(1, signal_msi(fd, MSI_ADDR(0x01) | 1 << 2, 0x73, 0));
	EXPECT_EQ(2, signal_msi(fd, MSI_ADDR(0x03) | 1 << 2, 0x74, 0));

	kvmt_get_lapic(v[0], &s);
	EXPECT_TRUE(kvmt_lapic_bit(&s, APIC_IRR, 0x70));
	EXPECT_FALSE(kvmt_lapic_bit(&s, APIC_IRR, 0x71));
	EXPECT_FALSE(kvmt_lapic_bit(&s, APIC_IRR, 0x72));
	EXPECT_TRUE(kvmt_lapic_bit(&s, APIC_IRR, 0x73));
	EXPECT_TRUE(kvmt_lapic_bit(&s, APIC_IRR, 0x74));
	kvmt_get_lapic(v[1], &s);
	EXPECT_TRUE(kvmt_lapic_bit(&s, APIC_IRR, 0x70));
	EXPECT_TRUE(kvmt_lapic_bit(&s, APIC_IRR, 0x71));
	EXPECT_FALSE(kvmt_lapic_bit(&s, APIC_IRR, 0x73));
	EXPECT_TRUE(kvmt_lapic_bit(&s, APIC_IRR, 0x74));
}

TEST_HARNESS_MAIN
