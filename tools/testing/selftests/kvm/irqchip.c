// SPDX-License-Identifier: GPL-2.0-only
/*
 * The in-kernel irqchip from userspace, without running a guest:
 * KVM_CREATE_IRQCHIP and the errnos of the irqchip ioctls with and
 * without it, the state of the PICs, the IOAPIC and a new vCPU's local
 * APIC after creation, MP states, KVM_SET/GET_IRQCHIP and
 * KVM_SET/GET_LAPIC round trips, and the PIT ioctls (KVM_CREATE_PIT2,
 * KVM_GET/SET_PIT2).  Raising interrupts and GSI routing: irqchip_gsi.c.
 *
 * Expected values are those of the in-tree KVM of Debian's 6.1 kernel;
 * where api.rst says otherwise or nothing, the comment says so.
 */
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "kvmt_test.h"
#include "kvmt_irq.h"

static int irq_line(int vm_fd, uint32_t gsi, uint32_t level)
{
	struct kvm_irq_level l = { .irq = gsi, .level = level };

	return ioctl(vm_fd, KVM_IRQ_LINE, &l);
}

static int irq_line_status(int vm_fd, uint32_t gsi, uint32_t level)
{
	struct kvm_irq_level l = { .irq = gsi, .level = level };

	return ioctl(vm_fd, KVM_IRQ_LINE_STATUS, &l);
}

static int get_irqchip(int vm_fd, uint32_t chip, struct kvm_irqchip *c)
{
	memset(c, 0, sizeof(*c));
	c->chip_id = chip;
	return ioctl(vm_fd, KVM_GET_IRQCHIP, c);
}

static int signal_msi(int vm_fd, uint32_t addr, uint32_t data,
		      uint32_t flags)
{
	struct kvm_msi m = {
		.address_lo = addr, .data = data, .flags = flags,
	};

	return ioctl(vm_fd, KVM_SIGNAL_MSI, &m);
}

static int create_pit2(int vm_fd, uint32_t flags)
{
	struct kvm_pit_config pc = { .flags = flags };

	return ioctl(vm_fd, KVM_CREATE_PIT2, &pc);
}

static uint32_t get_mp(struct __test_metadata *_metadata,
		       struct kvmt_vcpu *vcpu)
{
	struct kvm_mp_state mp = { .mp_state = 0xdead };

	EXPECT_EQ(0, ioctl(vcpu->fd, KVM_GET_MP_STATE, &mp));
	return mp.mp_state;
}

static int set_mp(struct kvmt_vcpu *vcpu, uint32_t state)
{
	struct kvm_mp_state mp = { .mp_state = state };

	return ioctl(vcpu->fd, KVM_SET_MP_STATE, &mp);
}

/* A VM without an irqchip, with one vCPU. */
FIXTURE(noirqchip) {
	struct kvmt_vm *vm;
	struct kvmt_vcpu *vcpu;
};

FIXTURE_SETUP(noirqchip)
{
	KVMT_REQUIRE_KVM();
	self->vm = kvmt_vm_new();
	self->vcpu = kvmt_vcpu_new(self->vm, 0);
}

FIXTURE_TEARDOWN(noirqchip)
{
	kvmt_vm_free(self->vm);
}

/*
 * Without KVM_CREATE_IRQCHIP the irqchip ioctls have nothing to act on.
 * In-tree answers ENXIO for the VM-wide ones, but EINVAL for
 * KVM_SIGNAL_MSI and for the vCPU's KVM_GET/SET_LAPIC.
 */
TEST_F(noirqchip, errnos)
{
	int fd = self->vm->fd;
	struct kvm_lapic_state ls;
	struct kvm_pit_state2 ps;
	struct kvm_irqchip c;

	memset(&ls, 0, sizeof(ls));
	EXPECT_ERRNO(ENXIO, irq_line(fd, 0, 1));
	EXPECT_ERRNO(ENXIO, irq_line(fd, 18, 1));
	EXPECT_ERRNO(ENXIO, irq_line_status(fd, 0, 1));
	EXPECT_ERRNO(ENXIO, get_irqchip(fd, KVM_IRQCHIP_PIC_MASTER, &c));
	EXPECT_ERRNO(ENXIO, get_irqchip(fd, KVM_IRQCHIP_IOAPIC, &c));
	EXPECT_ERRNO(ENXIO, ioctl(fd, KVM_SET_IRQCHIP, &c));
	EXPECT_ERRNO(EINVAL, signal_msi(fd, MSI_ADDR(0), 0x40, 0));
	EXPECT_ERRNO(EINVAL, ioctl(self->vcpu->fd, KVM_GET_LAPIC, &ls));
	EXPECT_ERRNO(EINVAL, ioctl(self->vcpu->fd, KVM_SET_LAPIC, &ls));
	EXPECT_ERRNO(ENXIO, ioctl(fd, KVM_GET_PIT2, &ps));
}

/* The irqchip must come before the first vCPU: EINVAL, every time. */
TEST_F(noirqchip, create_after_vcpu)
{
	struct kvm_irqchip c;

	EXPECT_ERRNO(EINVAL, ioctl(self->vm->fd, KVM_CREATE_IRQCHIP, 0));
	EXPECT_ERRNO(EINVAL, ioctl(self->vm->fd, KVM_CREATE_IRQCHIP, 0));
	/* Nothing was half created. */
	EXPECT_ERRNO(ENXIO, get_irqchip(self->vm->fd, KVM_IRQCHIP_IOAPIC, &c));
	EXPECT_ERRNO(ENXIO, irq_line(self->vm->fd, 0, 1));
}

/* A VM with KVM_CREATE_IRQCHIP done and no vCPU yet. */
FIXTURE(irqchip) {
	struct kvmt_vm *vm;
};

FIXTURE_SETUP(irqchip)
{
	KVMT_REQUIRE_KVM();
	self->vm = kvmt_vm_new();
	ASSERT_EQ(0, ioctl(self->vm->fd, KVM_CREATE_IRQCHIP, 0));
}

FIXTURE_TEARDOWN(irqchip)
{
	kvmt_vm_free(self->vm);
}

/* Once per VM: EEXIST afterwards, before and after vCPUs exist. */
TEST_F(irqchip, create_twice)
{
	EXPECT_ERRNO(EEXIST, ioctl(self->vm->fd, KVM_CREATE_IRQCHIP, 0));
	kvmt_vcpu_new(self->vm, 0);
	EXPECT_ERRNO(EEXIST, ioctl(self->vm->fd, KVM_CREATE_IRQCHIP, 0));
}

/*
 * chip_id names one of three chips; anything else is EINVAL for both
 * directions.  The pad field is not checked.
 */
TEST_F(irqchip, bad_chip_id)
{
	static const uint32_t bad[] = { KVM_NR_IRQCHIPS, 4, 0x100, ~0U };
	int fd = self->vm->fd;
	struct kvm_irqchip c;
	unsigned int i;

	for (i = 0; i < KVMT_ARRAY_SIZE(bad); i++) {
		TH_LOG("chip_id %#x", bad[i]);
		EXPECT_ERRNO(EINVAL, get_irqchip(fd, bad[i], &c));
		memset(&c, 0, sizeof(c));
		c.chip_id = bad[i];
		EXPECT_ERRNO(EINVAL, ioctl(fd, KVM_SET_IRQCHIP, &c));
	}
	memset(&c, 0, sizeof(c));
	c.chip_id = KVM_IRQCHIP_PIC_MASTER;
	c.pad = 5;
	EXPECT_ERRNO(0, ioctl(fd, KVM_GET_IRQCHIP, &c));
}

/* KVM_INTERRUPT is for userspace interrupt controllers only. */
TEST_F(irqchip, interrupt_refused)
{
	struct kvmt_vcpu *vcpu = kvmt_vcpu_new(self->vm, 0);
	struct kvm_interrupt irq = { .irq = 0x30 };

	EXPECT_ERRNO(ENXIO, ioctl(vcpu->fd, KVM_INTERRUPT, &irq));
}

static void expect_pic(struct __test_metadata *_metadata,
		       const struct kvm_pic_state *p, uint8_t elcr_mask)
{
	EXPECT_EQ(0, p->last_irr);
	EXPECT_EQ(0, p->irr);
	EXPECT_EQ(0, p->imr);
	EXPECT_EQ(0, p->isr);
	EXPECT_EQ(0, p->priority_add);
	EXPECT_EQ(0, p->irq_base);
	EXPECT_EQ(0, p->read_reg_select);
	EXPECT_EQ(0, p->poll);
	EXPECT_EQ(0, p->special_mask);
	EXPECT_EQ(0, p->init_state);
	EXPECT_EQ(0, p->auto_eoi);
	EXPECT_EQ(0, p->rotate_on_auto_eoi);
	EXPECT_EQ(0, p->special_fully_nested_mode);
	EXPECT_EQ(0, p->init4);
	EXPECT_EQ(0, p->elcr);
	EXPECT_EQ(elcr_mask, p->elcr_mask);
}

/*
 * Both 8259As start all-zero (nothing masked: in-tree resets IMR to 0,
 * not to the 0xff a BIOS would leave), except the ELCR masks: IRQ 0-2
 * of the master and IRQ 8 and 13 of the slave are edge-only.
 */
TEST_F(irqchip, default_pic)
{
	struct kvm_irqchip c;

	ASSERT_EQ(0, get_irqchip(self->vm->fd, KVM_IRQCHIP_PIC_MASTER, &c));
	expect_pic(_metadata, &c.chip.pic, 0xf8);
	ASSERT_EQ(0, get_irqchip(self->vm->fd, KVM_IRQCHIP_PIC_SLAVE, &c));
	expect_pic(_metadata, &c.chip.pic, 0xde);
}

/* IOAPIC at 0xfec00000 with ID 0 and all 24 pins masked, nothing else. */
TEST_F(irqchip, default_ioapic)
{
	struct kvm_ioapic_state *io;
	struct kvm_irqchip c;
	unsigned int i;

	ASSERT_EQ(0, get_irqchip(self->vm->fd, KVM_IRQCHIP_IOAPIC, &c));
	io = &c.chip.ioapic;
	EXPECT_EQ(IOAPIC_BASE, io->base_address);
	EXPECT_EQ(0U, io->ioregsel);
	EXPECT_EQ(0U, io->id);
	EXPECT_EQ(0U, io->irr);
	for (i = 0; i < KVM_IOAPIC_NUM_PINS; i++) {
		TH_LOG("pin %u", i);
		EXPECT_EQ(RTE_MASKED, io->redirtbl[i].bits);
	}
}

/*
 * The register page of a new vCPU: xAPIC ID = vCPU id in bits 31:24,
 * version 0x50014 (version 0x14, 6 LVT entries: max LVT 5), flat
 * destination format, software disabled (SVR 0xff), every LVT masked --
 * except LINT0 of the BSP, which in-tree sets to ExtINT, unmasked, so
 * that the PIC reaches the BSP as on a PC at reset.  Every other
 * register is 0.
 */
static void expect_lapic_reset(struct __test_metadata *_metadata,
			       struct kvmt_vcpu *vcpu, bool bsp)
{
	struct kvm_lapic_state s;
	unsigned int off;

	kvmt_get_lapic(vcpu, &s);
	for (off = 0; off < sizeof(s.regs); off += 4) {
		uint32_t want = 0;

		switch (off) {
		case APIC_ID:
			want = (uint32_t)vcpu->id << 24;
			break;
		case APIC_LVR:
			want = 0x50014;
			break;
		case APIC_DFR:
			want = 0xffffffff;
			break;
		case APIC_SPIV:
			want = 0xff;
			break;
		case APIC_LVTT:
		case APIC_LVTTHMR:
		case APIC_LVTPC:
		case APIC_LVT1:
		case APIC_LVTERR:
			want = APIC_LVT_MASKED;
			break;
		case APIC_LVT0:
			want = bsp ? APIC_DM_EXTINT : APIC_LVT_MASKED;
			break;
		}
		if (kvmt_lapic_reg(&s, off) != want)
			TH_LOG("vCPU %d register %#x: %#x, wanted %#x",
			       vcpu->id, off, kvmt_lapic_reg(&s, off), want);
		EXPECT_EQ(want, kvmt_lapic_reg(&s, off));
	}
}

TEST_F(irqchip, default_lapic)
{
	struct kvmt_vcpu *ap = kvmt_vcpu_new(self->vm, 3);
	struct kvmt_vcpu *bsp = kvmt_vcpu_new(self->vm, 0);
	struct kvmt_vcpu *ap1 = kvmt_vcpu_new(self->vm, 1);
	struct kvm_sregs s;

	expect_lapic_reset(_metadata, bsp, true);
	expect_lapic_reset(_metadata, ap, false);
	expect_lapic_reset(_metadata, ap1, false);
	/* Enabled at 0xfee00000; the BSP flag only on vCPU 0. */
	kvmt_get_sregs(bsp, &s);
	EXPECT_EQ(APIC_DEFAULT_BASE | APICBASE_ENABLE | APICBASE_BSP,
		  s.apic_base);
	EXPECT_EQ(0ULL, s.cr8);
	kvmt_get_sregs(ap, &s);
	EXPECT_EQ(APIC_DEFAULT_BASE | APICBASE_ENABLE, s.apic_base);
	EXPECT_EQ(s.apic_base, kvmt_get_msr(ap, MSR_IA32_APICBASE));
}

/*
 * With an in-kernel APIC the kernel owns the MP state: the BSP starts
 * runnable, APs wait for INIT/SIPI.
 */
TEST_F(irqchip, mp_state_default)
{
	struct kvmt_vcpu *ap = kvmt_vcpu_new(self->vm, 2);
	struct kvmt_vcpu *bsp = kvmt_vcpu_new(self->vm, 0);

	EXPECT_EQ((uint32_t)KVM_MP_STATE_RUNNABLE, get_mp(_metadata, bsp));
	EXPECT_EQ((uint32_t)KVM_MP_STATE_UNINITIALIZED, get_mp(_metadata, ap));
}

/*
 * KVM_SET_MP_STATE takes the x86 states and reads them back, except
 * SIPI_RECEIVED: in-tree accepts it and turns it into RUNNABLE by the
 * next KVM_GET_MP_STATE (the SIPI is processed then).  The states of
 * other architectures are EINVAL and change nothing.
 */
TEST_F(irqchip, mp_state_set)
{
	static const uint32_t kept[] = {
		KVM_MP_STATE_UNINITIALIZED, KVM_MP_STATE_INIT_RECEIVED,
		KVM_MP_STATE_HALTED, KVM_MP_STATE_AP_RESET_HOLD,
		KVM_MP_STATE_RUNNABLE,
	};
	static const uint32_t refused[] = {
		KVM_MP_STATE_STOPPED, KVM_MP_STATE_CHECK_STOP,
		KVM_MP_STATE_OPERATING, KVM_MP_STATE_LOAD,
		KVM_MP_STATE_SUSPENDED, 100, ~0U,
	};
	struct kvmt_vcpu *bsp = kvmt_vcpu_new(self->vm, 0);
	struct kvmt_vcpu *ap = kvmt_vcpu_new(self->vm, 1);
	unsigned int i;

	for (i = 0; i < KVMT_ARRAY_SIZE(kept); i++) {
		TH_LOG("mp_state %u", kept[i]);
		EXPECT_EQ(0, set_mp(ap, kept[i]));
		EXPECT_EQ(kept[i], get_mp(_metadata, ap));
		EXPECT_EQ(0, set_mp(bsp, kept[i]));
		EXPECT_EQ(kept[i], get_mp(_metadata, bsp));
	}
	EXPECT_EQ(0, set_mp(ap, KVM_MP_STATE_SIPI_RECEIVED));
	EXPECT_EQ((uint32_t)KVM_MP_STATE_RUNNABLE, get_mp(_metadata, ap));

	ASSERT_EQ(0, set_mp(ap, KVM_MP_STATE_HALTED));
	for (i = 0; i < KVMT_ARRAY_SIZE(refused); i++) {
		TH_LOG("mp_state %u", refused[i]);
		EXPECT_ERRNO(EINVAL, set_mp(ap, refused[i]));
		EXPECT_EQ((uint32_t)KVM_MP_STATE_HALTED, get_mp(_metadata, ap));
	}
}

/* Every field of an 8259A's state comes back as set, ELCR mask included. */
TEST_F(irqchip, pic_round_trip)
{
	struct kvm_irqchip in, out;
	uint32_t chip;

	for (chip = KVM_IRQCHIP_PIC_MASTER; chip <= KVM_IRQCHIP_PIC_SLAVE;
	     chip++) {
		struct kvm_pic_state *p = &in.chip.pic;

		TH_LOG("chip %u", chip);
		memset(&in, 0, sizeof(in));
		in.chip_id = chip;
		p->last_irr = 0x11;
		p->irr = 0x22;
		p->imr = 0x33 + chip;
		p->isr = 0x44;
		p->priority_add = 5;
		p->irq_base = 0x68 + 8 * chip;
		p->read_reg_select = 1;
		p->poll = 1;
		p->special_mask = 1;
		p->init_state = 2;
		p->auto_eoi = 1;
		p->rotate_on_auto_eoi = 1;
		p->special_fully_nested_mode = 1;
		p->init4 = 1;
		p->elcr = 0xff;
		p->elcr_mask = 0x0f;
		ASSERT_EQ(0, ioctl(self->vm->fd, KVM_SET_IRQCHIP, &in));
		ASSERT_EQ(0, get_irqchip(self->vm->fd, chip, &out));
		EXPECT_EQ(0, memcmp(&in.chip.pic, &out.chip.pic,
				    sizeof(in.chip.pic)));
	}
	/* The other chip kept its own state. */
	ASSERT_EQ(0, get_irqchip(self->vm->fd, KVM_IRQCHIP_PIC_MASTER, &out));
	EXPECT_EQ(0x33, out.chip.pic.imr);
	EXPECT_EQ(0x68, out.chip.pic.irq_base);
}

/*
 * The IOAPIC's state comes back as set: base address, index register,
 * ID, the pad field even, and all 64 bits of every redirection entry
 * (remote IRR and delivery status included).  IRR bits of masked pins
 * stay; in-tree delivers those of unmasked edge pins at once (none here).
 */
TEST_F(irqchip, ioapic_round_trip)
{
	struct kvm_ioapic_state *io;
	struct kvm_irqchip in, out;
	unsigned int i;

	memset(&in, 0, sizeof(in));
	in.chip_id = KVM_IRQCHIP_IOAPIC;
	io = &in.chip.ioapic;
	io->base_address = IOAPIC_BASE + 0x1000;
	io->ioregsel = 0x12;
	io->id = 5;
	io->irr = 0x00c00001;
	for (i = 0; i < KVM_IOAPIC_NUM_PINS; i++)
		io->redirtbl[i].bits = RTE_MASKED | RTE_VECTOR(0x30 + i) |
				       RTE_DEST(i) |
				       (i & 1 ? RTE_LEVEL : 0) |
				       (i & 2 ? RTE_REMOTE_IRR : 0) |
				       (i & 4 ? RTE_ACTIVE_LOW : 0) |
				       (i & 8 ? RTE_DEST_LOGICAL : 0) |
				       ((uint64_t)(i % 8) << 8);
	io->redirtbl[3].bits &= ~RTE_MASKED;
	io->redirtbl[3].bits |= RTE_DELIVERY_STATUS;
	ASSERT_EQ(0, ioctl(self->vm->fd, KVM_SET_IRQCHIP, &in));
	ASSERT_EQ(0, get_irqchip(self->vm->fd, KVM_IRQCHIP_IOAPIC, &out));
	EXPECT_EQ(io->base_address, out.chip.ioapic.base_address);
	EXPECT_EQ(io->ioregsel, out.chip.ioapic.ioregsel);
	EXPECT_EQ(io->id, out.chip.ioapic.id);
	EXPECT_EQ(io->irr, out.chip.ioapic.irr);
	for (i = 0; i < KVM_IOAPIC_NUM_PINS; i++) {
		TH_LOG("pin %u", i);
		EXPECT_EQ(io->redirtbl[i].bits,
			  out.chip.ioapic.redirtbl[i].bits);
	}
}

/*
 * KVM_SET_LAPIC then KVM_GET_LAPIC: the registers a VMM migrates come
 * back as set.  Two are computed instead: the version register stays
 * 0x50014 and PPR follows from TPR and the highest in-service vector;
 * the current count (TMCCT) follows from the timer.
 */
TEST_F(irqchip, lapic_round_trip)
{
	struct kvmt_vcpu *vcpu = kvmt_vcpu_new(self->vm, 0);
	struct kvm_lapic_state in, out;
	unsigned int off;

	kvmt_get_lapic(vcpu, &in);
	kvmt_lapic_set_reg(&in, APIC_TASKPRI, 0x40);
	kvmt_lapic_set_reg(&in, APIC_SPIV, APIC_SPIV_ENABLE | 0xef);
	kvmt_lapic_set_reg(&in, APIC_LDR, 0x01000000);
	kvmt_lapic_set_reg(&in, APIC_DFR, 0x0fffffff);
	kvmt_lapic_set_reg(&in, APIC_LVTT, APIC_LVT_TIMER_PERIODIC | 0x40);
	kvmt_lapic_set_reg(&in, APIC_LVTPC, APIC_DM_NMI);
	kvmt_lapic_set_reg(&in, APIC_LVT0, APIC_LVT_MASKED | APIC_DM_EXTINT);
	kvmt_lapic_set_reg(&in, APIC_LVT1, APIC_DM_NMI);
	kvmt_lapic_set_reg(&in, APIC_LVTERR, 0xfe);
	kvmt_lapic_set_reg(&in, APIC_TDCR, 0x3);
	kvmt_lapic_set_reg(&in, APIC_ICR, APIC_ICR_ASSERT | 0x30);
	kvmt_lapic_set_reg(&in, APIC_ICR2, 0x02000000);
	kvmt_lapic_set_reg(&in, APIC_IRR + 0x10, 0x4);	/* vector 0x22 */
	kvmt_lapic_set_reg(&in, APIC_ISR + 0x20, 0x8);	/* vector 0x43 */
	kvmt_lapic_set_reg(&in, APIC_TMR + 0x20, 0x8);
	kvmt_lapic_set_reg(&in, APIC_ESR, 0x40);
	kvmt_set_lapic(vcpu, &in);
	kvmt_get_lapic(vcpu, &out);
	for (off = 0; off < sizeof(in.regs); off += 4) {
		uint32_t want = kvmt_lapic_reg(&in, off);

		if (off == APIC_PROCPRI)
			want = 0x40;
		if (kvmt_lapic_reg(&out, off) != want)
			TH_LOG("register %#x: %#x, wanted %#x", off,
			       kvmt_lapic_reg(&out, off), want);
		EXPECT_EQ(want, kvmt_lapic_reg(&out, off));
	}

	/* The version register is read-only. */
	kvmt_lapic_set_reg(&in, APIC_LVR, 0x12345678);
	kvmt_lapic_set_reg(&in, APIC_TASKPRI, 0x20);
	kvmt_set_lapic(vcpu, &in);
	kvmt_get_lapic(vcpu, &out);
	EXPECT_EQ(0x50014U, kvmt_lapic_reg(&out, APIC_LVR));
	/* PPR: the in-service class 0x40 is above TPR now. */
	EXPECT_EQ(0x40U, kvmt_lapic_reg(&out, APIC_PROCPRI));
	EXPECT_EQ(0x20U, kvmt_lapic_reg(&out, APIC_TASKPRI));
}

/* PIT ioctls on a VM with an irqchip. */
FIXTURE(pit) {
	struct kvmt_vm *vm;
};

FIXTURE_SETUP(pit)
{
	KVMT_REQUIRE_KVM();
	self->vm = kvmt_vm_new();
	ASSERT_EQ(0, ioctl(self->vm->fd, KVM_CREATE_IRQCHIP, 0));
}

FIXTURE_TEARDOWN(pit)
{
	kvmt_vm_free(self->vm);
}

/*
 * One PIT per VM: a second KVM_CREATE_PIT2 (or the old KVM_CREATE_PIT)
 * is EEXIST.  KVM_GET_PIT2 before it: ENXIO.
 */
TEST_F(pit, create_once)
{
	struct kvm_pit_state2 ps;
	int fd = self->vm->fd;

	EXPECT_ERRNO(ENXIO, ioctl(fd, KVM_GET_PIT2, &ps));
	EXPECT_ERRNO(ENXIO, ioctl(fd, KVM_SET_PIT2, &ps));
	EXPECT_ERRNO(0, create_pit2(fd, 0));
	EXPECT_ERRNO(EEXIST, create_pit2(fd, 0));
	EXPECT_ERRNO(EEXIST, create_pit2(fd, KVM_PIT_SPEAKER_DUMMY));
	EXPECT_ERRNO(EEXIST, ioctl(fd, KVM_CREATE_PIT, 0));
	EXPECT_ERRNO(0, ioctl(fd, KVM_GET_PIT2, &ps));
}

TEST_F(pit, create_speaker_dummy)
{
	EXPECT_ERRNO(0, create_pit2(self->vm->fd, KVM_PIT_SPEAKER_DUMMY));
}

/*
 * In-tree 6.1 checks neither the flags nor the pad of struct
 * kvm_pit_config: unknown flags are accepted (api.rst lists one flag).
 */
TEST_F(pit, create_unknown_flags)
{
	struct kvm_pit_config pc = { .flags = 1U << 31 };

	pc.pad[3] = 1;
	EXPECT_ERRNO(0, ioctl(self->vm->fd, KVM_CREATE_PIT2, &pc));
}

/*
 * In-tree 6.1 creates a PIT without an irqchip too (api.rst says the
 * call is valid only after KVM_CREATE_IRQCHIP), and KVM_CREATE_IRQCHIP
 * still works afterwards.
 */
TEST(pit_without_irqchip)
{
	struct kvm_pit_state2 ps;
	struct kvmt_vm *vm;

	KVMT_REQUIRE_KVM();
	vm = kvmt_vm_new();
	EXPECT_ERRNO(0, create_pit2(vm->fd, 0));
	EXPECT_ERRNO(0, ioctl(vm->fd, KVM_GET_PIT2, &ps));
	EXPECT_ERRNO(0, ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0));
	kvmt_vm_free(vm);
}

/*
 * The state of a new PIT: every channel's count is 0x10000 (a count of
 * 0), the mode field 0xff (not programmed yet: in-tree leaves it so),
 * nothing latched; the gates of channels 0 and 1 are high, that of
 * channel 2 (the speaker's) low.  No flags.
 */
TEST_F(pit, default_state)
{
	struct kvm_pit_state2 ps;
	unsigned int i;

	ASSERT_EQ(0, create_pit2(self->vm->fd, 0));
	memset(&ps, 0xcc, sizeof(ps));
	ASSERT_EQ(0, ioctl(self->vm->fd, KVM_GET_PIT2, &ps));
	for (i = 0; i < 3; i++) {
		struct kvm_pit_channel_state *c = &ps.channels[i];

		TH_LOG("channel %u", i);
		EXPECT_EQ(0x10000U, c->count);
		EXPECT_EQ(0, c->latched_count);
		EXPECT_EQ(0, c->count_latched);
		EXPECT_EQ(0, c->status_latched);
		EXPECT_EQ(0, c->status);
		EXPECT_EQ(0, c->read_state);
		EXPECT_EQ(0, c->write_state);
		EXPECT_EQ(0, c->write_latch);
		EXPECT_EQ(0, c->rw_mode);
		EXPECT_EQ(0xff, c->mode);
		EXPECT_EQ(0, c->bcd);
		EXPECT_EQ(i < 2 ? 1 : 0, c->gate);
	}
	EXPECT_EQ(0U, ps.flags);
}

/*
 * KVM_SET_PIT2 then KVM_GET_PIT2: each channel's fields come back as
 * set (a count of 0 reads as 0x10000), flags too, all 32 bits (in-tree
 * does not check them); count_load_time is the kernel's own.
 */
TEST_F(pit, round_trip)
{
	struct kvm_pit_state2 in, out;
	int fd = self->vm->fd;
	unsigned int i;

	ASSERT_EQ(0, create_pit2(fd, 0));
	memset(&in, 0, sizeof(in));
	for (i = 0; i < 3; i++) {
		struct kvm_pit_channel_state *c = &in.channels[i];

		c->count = 0x1234 + i;
		c->latched_count = 0x55 + i;
		c->count_latched = 1;
		c->status_latched = 1;
		c->status = 0x34;
		c->read_state = 3;
		c->write_state = 3;
		c->write_latch = 0x12;
		c->rw_mode = 3;
		c->mode = 2 + i;
		c->bcd = i == 1;
		c->gate = i != 2;
	}
	in.flags = KVM_PIT_FLAGS_SPEAKER_DATA_ON;
	ASSERT_EQ(0, ioctl(fd, KVM_SET_PIT2, &in));
	memset(&out, 0xcc, sizeof(out));
	ASSERT_EQ(0, ioctl(fd, KVM_GET_PIT2, &out));
	for (i = 0; i < 3; i++) {
		struct kvm_pit_channel_state *a = &in.channels[i];
		struct kvm_pit_channel_state *b = &out.channels[i];

		TH_LOG("channel %u", i);
		EXPECT_EQ(a->count, b->count);
		EXPECT_EQ(a->latched_count, b->latched_count);
		EXPECT_EQ(a->count_latched, b->count_latched);
		EXPECT_EQ(a->status_latched, b->status_latched);
		EXPECT_EQ(a->status, b->status);
		EXPECT_EQ(a->read_state, b->read_state);
		EXPECT_EQ(a->write_state, b->write_state);
		EXPECT_EQ(a->write_latch, b->write_latch);
		EXPECT_EQ(a->rw_mode, b->rw_mode);
		EXPECT_EQ(a->mode, b->mode);
		EXPECT_EQ(a->bcd, b->bcd);
		EXPECT_EQ(a->gate, b->gate);
	}
	EXPECT_EQ(in.flags, out.flags);

	/* A count of 0 stands for 0x10000. */
	in.channels[0].count = 0;
	in.flags = ~0U;
	ASSERT_EQ(0, ioctl(fd, KVM_SET_PIT2, &in));
	ASSERT_EQ(0, ioctl(fd, KVM_GET_PIT2, &out));
	EXPECT_EQ(0x10000U, out.channels[0].count);
	EXPECT_EQ(~0U, out.flags);
}

TEST_HARNESS_MAIN
