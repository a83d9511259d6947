// SPDX-License-Identifier: GPL-2.0-only
/*
 * eventfds as wires between a VMM and the guest:
 *
 *   KVM_IRQFD      a write to the eventfd raises a GSI of the in-kernel
 *                  irqchip (an IOAPIC pin or an MSI route);
 *   KVM_IOEVENTFD  a guest write to a port or an MMIO address (of one
 *                  width, optionally of one value) signals the eventfd
 *                  instead of exiting to userspace.
 *
 * Expected values are those of the in-tree KVM of Debian's 6.1 kernel;
 * api.rst names neither errnos nor most corner cases, so the comments
 * say what in-tree does.  KVM_IRQFD_FLAG_RESAMPLE is not tested: our
 * modules do not offer KVM_CAP_IRQFD_RESAMPLE.
 *
 * An irqfd may raise its GSI from a work item, after write() returned:
 * deliveries are awaited (in the vCPU's IRR through KVM_GET_LAPIC, or by
 * a halted guest), and "nothing was delivered" is checked after a pause.
 * An ioeventfd is signalled by the vCPU itself, before KVM_RUN returns.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "kvmt_test.h"
#include "kvmt_irq.h"

KVMT_GUEST(long_script);

/*
 * How long a delivery may take on a slow emulated host, and how long to
 * wait before concluding that nothing will be delivered.
 */
#define DELIVER_MS	10000
#define QUIET_MS	300

/* A port and MMIO addresses that nothing else claims. */
#define PORT		0x510
#define MMIO_A		KVMT_MMIO_GPA
#define MMIO_B		(KVMT_MMIO_GPA + 0x100)
#define MMIO_C		(KVMT_MMIO_GPA + 0x200)

#define IOAPIC_GSI	18
#define IOAPIC_VEC	0x50
#define MSI_GSI		30
#define MSI_VEC		0x61

static int new_efd(void)
{
	int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

	KVMT_REQUIRE(fd >= 0, "eventfd");
	return fd;
}

static void efd_signal(int fd)
{
	KVMT_REQUIRE(!eventfd_write(fd, 1), "eventfd_write");
}

/* The eventfd's count, read and so reset, without blocking (0: none). */
static uint64_t efd_take(int fd)
{
	eventfd_t v;

	if (eventfd_read(fd, &v)) {
		KVMT_REQUIRE(errno == EAGAIN, "eventfd_read");
		return 0;
	}
	return v;
}

static int irqfd(struct kvmt_vm *vm, int fd, uint32_t gsi, uint32_t flags)
{
	struct kvm_irqfd a = { .fd = fd, .gsi = gsi, .flags = flags };

	return ioctl(vm->fd, KVM_IRQFD, &a);
}

static int ioeventfd(struct kvmt_vm *vm, uint64_t addr, uint32_t len,
		     int fd, uint32_t flags, uint64_t datamatch)
{
	struct kvm_ioeventfd a = {
		.datamatch = datamatch, .addr = addr, .len = len,
		.fd = fd, .flags = flags,
	};

	return ioctl(vm->fd, KVM_IOEVENTFD, &a);
}

#define PIO		KVM_IOEVENTFD_FLAG_PIO
#define DM		KVM_IOEVENTFD_FLAG_DATAMATCH
#define DEASSIGN	KVM_IOEVENTFD_FLAG_DEASSIGN

/* Software-enable the APIC (SVR bit 8) so that it accepts interrupts. */
static void lapic_enable(struct kvmt_vcpu *vcpu)
{
	struct kvm_lapic_state s;

	kvmt_get_lapic(vcpu, &s);
	kvmt_lapic_set_reg(&s, APIC_SPIV, APIC_SPIV_ENABLE | 0xff);
	kvmt_set_lapic(vcpu, &s);
}

/* Whether @vector is (or gets) pending in the vCPU's IRR within @ms. */
static bool irr_wait(struct kvmt_vcpu *vcpu, unsigned int vector,
		     unsigned int ms)
{
	struct kvm_lapic_state s;

	for (;;) {
		kvmt_get_lapic(vcpu, &s);
		if (kvmt_lapic_bit(&s, APIC_IRR, vector))
			return true;
		if (ms < 10)
			return false;
		usleep(10000);
		ms -= 10;
	}
}

/* Forget a delivered, never taken interrupt, so it can be seen again. */
static void irr_clear(struct kvmt_vcpu *vcpu, unsigned int vector)
{
	unsigned int off = APIC_IRR + vector / 32 * 0x10;
	struct kvm_lapic_state s;

	kvmt_get_lapic(vcpu, &s);
	kvmt_lapic_set_reg(&s, off, kvmt_lapic_reg(&s, off) &
			   ~(1U << (vector % 32)));
	kvmt_set_lapic(vcpu, &s);
}

/* Nothing delivered within QUIET_MS. */
#define EXPECT_NO_IRQ(vcpu, vector) do {				\
	usleep(QUIET_MS * 1000);					\
	EXPECT_FALSE(irr_wait((vcpu), (vector), 0));			\
} while (0)

/* GSI @gsi (alone in a new routing table) is an MSI of @vector to APIC 0. */
static void route_msi(struct kvmt_vm *vm, uint32_t gsi, uint32_t vector)
{
	struct kvm_irq_routing *r;

	r = calloc(1, sizeof(*r) + sizeof(r->entries[0]));
	KVMT_REQUIRE(r, "calloc");
	r->nr = 1;
	r->entries[0].gsi = gsi;
	r->entries[0].type = KVM_IRQ_ROUTING_MSI;
	r->entries[0].u.msi.address_lo = MSI_ADDR(0);
	r->entries[0].u.msi.data = vector;
	KVMT_REQUIRE(!ioctl(vm->fd, KVM_SET_GSI_ROUTING, r),
		     "KVM_SET_GSI_ROUTING");
	free(r);
}

/* A write to @fd from another thread, @ms after start (a halted guest). */
struct late_write {
	int fd;
	unsigned int ms;
	int err;
	pthread_t thread;
};

static void *late_write_thread(void *arg)
{
	struct late_write *w = arg;

	usleep(w->ms * 1000);
	if (eventfd_write(w->fd, 1))
		w->err = errno;
	return NULL;
}

static void late_write_start(struct __test_metadata *_metadata,
			     struct late_write *w, int fd, unsigned int ms)
{
	w->fd = fd;
	w->ms = ms;
	w->err = 0;
	ASSERT_EQ(0, pthread_create(&w->thread, NULL, late_write_thread, w));
}

static void late_write_join(struct __test_metadata *_metadata,
			    struct late_write *w)
{
	ASSERT_EQ(0, pthread_join(w->thread, NULL));
	EXPECT_EQ(0, w->err);
}

/*
 * In-tree offers KVM_CAP_IRQFD, KVM_CAP_IOEVENTFD and both zero-length
 * capabilities on /dev/kvm and on every VM, irqchip or not.
 * KVM_CAP_IRQFD_RESAMPLE is left alone (see above).  Known gap (README):
 * ours does not offer KVM_CAP_IOEVENTFD_ANY_LENGTH yet, though it
 * implements it (mmio_len0).
 */
TEST(caps)
{
	static const long caps[] = {
		KVM_CAP_IRQFD, KVM_CAP_IOEVENTFD,
		KVM_CAP_IOEVENTFD_NO_LENGTH, KVM_CAP_IOEVENTFD_ANY_LENGTH,
	};
	struct kvmt_vm *vm;
	unsigned int i;

	KVMT_REQUIRE_KVM();
	vm = kvmt_vm_new();
	for (i = 0; i < KVMT_ARRAY_SIZE(caps); i++) {
		TH_LOG("capability %ld", caps[i]);
		EXPECT_EQ(1, kvmt_check_cap(vm->sys_fd, caps[i]));
		EXPECT_EQ(1, kvmt_check_cap(vm->fd, caps[i]));
	}
	kvmt_vm_free(vm);
}

/* ---- KVM_IRQFD -------------------------------------------------------- */

/*
 * KVM_CAP_IRQFD is there on every VM, but an irqfd needs the in-kernel
 * irqchip: without one in-tree refuses it with EINVAL, before it looks
 * at the fd.  Deassigning looks only for a match, and finds none: 0.
 */
TEST(irqfd_needs_irqchip)
{
	struct kvmt_vm *vm;
	int efd;

	KVMT_REQUIRE_KVM();
	vm = kvmt_vm_new();
	efd = new_efd();
	EXPECT_EQ(1, kvmt_check_cap(vm->fd, KVM_CAP_IRQFD));
	EXPECT_ERRNO(EINVAL, irqfd(vm, efd, IOAPIC_GSI, 0));
	EXPECT_ERRNO(EINVAL, irqfd(vm, -1, IOAPIC_GSI, 0));
	EXPECT_ERRNO(0, irqfd(vm, efd, IOAPIC_GSI,
			      KVM_IRQFD_FLAG_DEASSIGN));
	ASSERT_EQ(0, ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0));
	EXPECT_ERRNO(0, irqfd(vm, efd, IOAPIC_GSI, 0));
	EXPECT_ERRNO(0, irqfd(vm, efd, IOAPIC_GSI,
			      KVM_IRQFD_FLAG_DEASSIGN));
	kvmt_vm_free(vm);
	close(efd);
}

/*
 * A VM with the in-kernel irqchip, vCPU 0 a script runner with its APIC
 * software-enabled, an eventfd, and GSI 18 an edge pin to APIC 0.
 */
FIXTURE(irqfd) {
	struct kvmt_vm *vm;
	struct kvmt_vcpu *vcpu;
	int efd;
};

FIXTURE_SETUP(irqfd)
{
	KVMT_REQUIRE_KVM();
	self->vm = kvmt_irqchip_vm_new();
	self->vcpu = kvmt_script_vcpu_new(self->vm, 0);
	lapic_enable(self->vcpu);
	self->efd = new_efd();
	kvmt_ioapic_route(self->vm, IOAPIC_GSI,
			  RTE_VECTOR(IOAPIC_VEC) | RTE_DEST(0));
}

FIXTURE_TEARDOWN(irqfd)
{
	kvmt_vm_free(self->vm);
	if (self->efd >= 0)
		close(self->efd);
}

/*
 * Errnos, as in-tree: EINVAL for flags other than DEASSIGN and RESAMPLE
 * (also with DEASSIGN), EBADF for a closed fd, EINVAL for a file that
 * is not an eventfd; EBUSY for an eventfd that already raises a GSI of
 * this VM, whichever GSI is asked for.  Deassigning matches eventfd and
 * GSI and returns 0 even when nothing matched.  An eventfd may raise a
 * GSI nothing is routed to; signalling it does nothing.
 */
TEST_F(irqfd, errors)
{
	const uint32_t D = KVM_IRQFD_FLAG_DEASSIGN;
	struct kvmt_vm *vm = self->vm;
	int efd = self->efd, efd2, efd3, p[2];

	ASSERT_EQ(0, pipe(p));
	EXPECT_ERRNO(EINVAL, irqfd(vm, efd, IOAPIC_GSI, 1U << 2));
	EXPECT_ERRNO(EINVAL, irqfd(vm, efd, IOAPIC_GSI, 1U << 31));
	EXPECT_ERRNO(EINVAL, irqfd(vm, efd, IOAPIC_GSI, D | 1U << 2));
	EXPECT_ERRNO(EBADF, irqfd(vm, -1, IOAPIC_GSI, 0));
	EXPECT_ERRNO(EINVAL, irqfd(vm, p[0], IOAPIC_GSI, 0));
	EXPECT_ERRNO(EBADF, irqfd(vm, -1, IOAPIC_GSI, D));
	EXPECT_ERRNO(EINVAL, irqfd(vm, p[0], IOAPIC_GSI, D));

	EXPECT_ERRNO(0, irqfd(vm, efd, IOAPIC_GSI, D));
	EXPECT_ERRNO(0, irqfd(vm, efd, IOAPIC_GSI, 0));
	EXPECT_ERRNO(EBUSY, irqfd(vm, efd, IOAPIC_GSI, 0));
	EXPECT_ERRNO(EBUSY, irqfd(vm, efd, IOAPIC_GSI + 1, 0));
	/* The wrong GSI matches nothing: 0, and the irqfd stays. */
	EXPECT_ERRNO(0, irqfd(vm, efd, IOAPIC_GSI + 1, D));
	EXPECT_ERRNO(EBUSY, irqfd(vm, efd, IOAPIC_GSI, 0));
	EXPECT_ERRNO(0, irqfd(vm, efd, IOAPIC_GSI, D));
	EXPECT_ERRNO(0, irqfd(vm, efd, IOAPIC_GSI, D));
	EXPECT_ERRNO(0, irqfd(vm, efd, IOAPIC_GSI + 1, 0));

	/* Several eventfds may raise one GSI. */
	efd2 = new_efd();
	EXPECT_ERRNO(0, irqfd(vm, efd2, IOAPIC_GSI + 1, 0));

	/* GSIs without a route, inside and beyond the routing table. */
	efd3 = new_efd();
	EXPECT_ERRNO(0, irqfd(vm, efd3, 4000, 0));
	efd_signal(efd3);
	EXPECT_ERRNO(0, irqfd(vm, efd3, 4000, D));
	EXPECT_ERRNO(0, irqfd(vm, efd3, 100000, 0));
	efd_signal(efd3);
	usleep(QUIET_MS * 1000);
	EXPECT_EQ(0ULL, efd_take(efd3));

	close(efd2);
	close(efd3);
	close(p[0]);
	close(p[1]);
}

/*
 * A GSI routed to an IOAPIC edge pin for vector V to APIC 0: a write to
 * the eventfd puts V in the vCPU's IRR, and the irqfd consumes the
 * eventfd's count.  The guest then takes V; a write while it halts
 * wakes it with V.
 */
TEST_F(irqfd, ioapic)
{
	static const struct kvmt_step s[] = {
		S_APIC_ENABLE(),
		S_MARK(1),
		S_STI_HLT(), S_CLI(), S_EOI(),
		S_MARK(2),
		S_STI_HLT(), S_CLI(), S_EOI(),
		S_MARK(3),
		S_END(),
	};
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct late_write w;
	uint64_t rip;

	ASSERT_EQ(0, irqfd(self->vm, self->efd, IOAPIC_GSI, 0));
	EXPECT_FALSE(irr_wait(vcpu, IOAPIC_VEC, 0));
	efd_signal(self->efd);
	ASSERT_TRUE(irr_wait(vcpu, IOAPIC_VEC, DELIVER_MS));
	EXPECT_EQ(0ULL, efd_take(self->efd));

	KVMT_SCRIPT(vcpu, s);
	RUN_TO_MARK(vcpu, 1);
	RUN_TO_VECTOR(vcpu, IOAPIC_VEC);
	kvmt_vector_info(vcpu, NULL, &rip);
	EXPECT_EQ(KVMT_SCRIPT_AFTER_HLT, rip);
	RUN_TO_MARK(vcpu, 2);
	late_write_start(_metadata, &w, self->efd, 100);
	RUN_TO_VECTOR(vcpu, IOAPIC_VEC);
	late_write_join(_metadata, &w);
	kvmt_vector_info(vcpu, NULL, &rip);
	EXPECT_EQ(KVMT_SCRIPT_AFTER_HLT, rip);
	RUN_TO_MARK(vcpu, 3);
	RUN_TO_END(vcpu);
}

/*
 * A GSI that KVM_SET_GSI_ROUTING made an MSI (fixed, APIC 0): delivered
 * the same way.  A routing table set later applies to the irqfd at once.
 */
TEST_F(irqfd, msi)
{
	static const struct kvmt_step s[] = {
		S_APIC_ENABLE(),
		S_MARK(1),
		S_STI_HLT(), S_CLI(), S_EOI(),
		S_MARK(2),
		S_STI_HLT(), S_CLI(), S_EOI(),
		S_MARK(3),
		S_END(),
	};
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct late_write w;

	route_msi(self->vm, MSI_GSI, MSI_VEC);
	ASSERT_EQ(0, irqfd(self->vm, self->efd, MSI_GSI, 0));
	efd_signal(self->efd);
	ASSERT_TRUE(irr_wait(vcpu, MSI_VEC, DELIVER_MS));
	EXPECT_EQ(0ULL, efd_take(self->efd));

	KVMT_SCRIPT(vcpu, s);
	RUN_TO_MARK(vcpu, 1);
	RUN_TO_VECTOR(vcpu, MSI_VEC);
	RUN_TO_MARK(vcpu, 2);
	route_msi(self->vm, MSI_GSI, MSI_VEC + 1);
	late_write_start(_metadata, &w, self->efd, 100);
	RUN_TO_VECTOR(vcpu, MSI_VEC + 1);
	late_write_join(_metadata, &w);
	RUN_TO_MARK(vcpu, 3);
	RUN_TO_END(vcpu);
	EXPECT_FALSE(irr_wait(vcpu, MSI_VEC, 0));
}

/*
 * A write made before the assignment is delivered at the assignment.
 * In-tree leaves that count in the eventfd (only later writes are
 * consumed by the irqfd).
 */
TEST_F(irqfd, pending_at_assign)
{
	struct kvmt_vcpu *vcpu = self->vcpu;

	efd_signal(self->efd);
	EXPECT_NO_IRQ(vcpu, IOAPIC_VEC);
	ASSERT_EQ(0, irqfd(self->vm, self->efd, IOAPIC_GSI, 0));
	ASSERT_TRUE(irr_wait(vcpu, IOAPIC_VEC, DELIVER_MS));
	irr_clear(vcpu, IOAPIC_VEC);
	EXPECT_EQ(1ULL, efd_take(self->efd));

	efd_signal(self->efd);
	EXPECT_EQ(0ULL, efd_take(self->efd));
	ASSERT_TRUE(irr_wait(vcpu, IOAPIC_VEC, DELIVER_MS));
}

/*
 * After KVM_IRQFD_FLAG_DEASSIGN a write raises nothing and stays in the
 * eventfd; assigned again, the eventfd delivers that write.
 */
TEST_F(irqfd, deassign)
{
	const uint32_t D = KVM_IRQFD_FLAG_DEASSIGN;
	struct kvmt_vcpu *vcpu = self->vcpu;

	ASSERT_EQ(0, irqfd(self->vm, self->efd, IOAPIC_GSI, 0));
	efd_signal(self->efd);
	ASSERT_TRUE(irr_wait(vcpu, IOAPIC_VEC, DELIVER_MS));
	irr_clear(vcpu, IOAPIC_VEC);

	ASSERT_EQ(0, irqfd(self->vm, self->efd, IOAPIC_GSI, D));
	efd_signal(self->efd);
	EXPECT_NO_IRQ(vcpu, IOAPIC_VEC);
	EXPECT_EQ(1ULL, efd_take(self->efd));

	efd_signal(self->efd);
	ASSERT_EQ(0, irqfd(self->vm, self->efd, IOAPIC_GSI, 0));
	ASSERT_TRUE(irr_wait(vcpu, IOAPIC_VEC, DELIVER_MS));
}

/*
 * Closing an assigned eventfd ends its irqfd: the fd is gone (EBADF for
 * a deassignment through it), a new eventfd, likely with the same
 * number, raises nothing until it is assigned itself.
 */
TEST_F(irqfd, close_eventfd)
{
	struct kvmt_vcpu *vcpu = self->vcpu;
	int old = self->efd, efd2;

	ASSERT_EQ(0, irqfd(self->vm, self->efd, IOAPIC_GSI, 0));
	efd_signal(self->efd);
	ASSERT_TRUE(irr_wait(vcpu, IOAPIC_VEC, DELIVER_MS));
	irr_clear(vcpu, IOAPIC_VEC);

	/* A write just before the close is still delivered. */
	efd_signal(self->efd);
	close(self->efd);
	self->efd = -1;
	ASSERT_TRUE(irr_wait(vcpu, IOAPIC_VEC, DELIVER_MS));
	usleep(QUIET_MS * 1000);
	irr_clear(vcpu, IOAPIC_VEC);
	EXPECT_ERRNO(EBADF, irqfd(self->vm, old, IOAPIC_GSI,
				  KVM_IRQFD_FLAG_DEASSIGN));

	efd2 = new_efd();
	efd_signal(efd2);
	EXPECT_NO_IRQ(vcpu, IOAPIC_VEC);
	EXPECT_EQ(1ULL, efd_take(efd2));
	ASSERT_EQ(0, irqfd(self->vm, efd2, IOAPIC_GSI, 0));
	efd_signal(efd2);
	ASSERT_TRUE(irr_wait(vcpu, IOAPIC_VEC, DELIVER_MS));
	EXPECT_EQ(0ULL, efd_take(efd2));
	close(efd2);
}

/*
 * A write is never lost to a removal that follows it: in-tree has raised
 * the GSI by the time KVM_IRQFD_FLAG_DEASSIGN returns (VMMs that move
 * an interrupt between irqfd and userspace injection, e.g. to mask an
 * MSI-X vector, rely on it), and raises it eventually when the eventfd
 * is closed.  Repeated, as a lost write would be a race.
 */
TEST_F(irqfd, write_then_remove)
{
	const uint32_t D = KVM_IRQFD_FLAG_DEASSIGN;
	struct kvmt_vcpu *vcpu = self->vcpu;
	int i, efd;

	for (i = 0; i < 30; i++) {
		ASSERT_EQ(0, irqfd(self->vm, self->efd, IOAPIC_GSI, 0));
		efd_signal(self->efd);
		ASSERT_EQ(0, irqfd(self->vm, self->efd, IOAPIC_GSI, D));
		ASSERT_TRUE(irr_wait(vcpu, IOAPIC_VEC, 0));
		irr_clear(vcpu, IOAPIC_VEC);
	}
	for (i = 0; i < 30; i++) {
		efd = new_efd();
		ASSERT_EQ(0, irqfd(self->vm, efd, IOAPIC_GSI, 0));
		efd_signal(efd);
		close(efd);
		ASSERT_TRUE(irr_wait(vcpu, IOAPIC_VEC, DELIVER_MS));
		irr_clear(vcpu, IOAPIC_VEC);
	}
}

/*
 * EBUSY is per VM: one eventfd may be an irqfd of two VMs.  But in-tree
 * makes an irqfd an exclusive waiter on its eventfd that ends the
 * wake-up when it takes a write: only the first assigned gets the
 * writes, the second only once the first is deassigned.
 */
TEST_F(irqfd, two_vms)
{
	struct kvmt_vm *vm2 = kvmt_irqchip_vm_new();
	struct kvmt_vcpu *vcpu2 = kvmt_script_vcpu_new(vm2, 0);

	lapic_enable(vcpu2);
	kvmt_ioapic_route(vm2, IOAPIC_GSI + 1,
			  RTE_VECTOR(IOAPIC_VEC + 1) | RTE_DEST(0));
	ASSERT_EQ(0, irqfd(self->vm, self->efd, IOAPIC_GSI, 0));
	ASSERT_EQ(0, irqfd(vm2, self->efd, IOAPIC_GSI + 1, 0));
	efd_signal(self->efd);
	EXPECT_TRUE(irr_wait(self->vcpu, IOAPIC_VEC, DELIVER_MS));
	EXPECT_NO_IRQ(vcpu2, IOAPIC_VEC + 1);
	EXPECT_EQ(0ULL, efd_take(self->efd));
	irr_clear(self->vcpu, IOAPIC_VEC);

	ASSERT_EQ(0, irqfd(self->vm, self->efd, IOAPIC_GSI,
			   KVM_IRQFD_FLAG_DEASSIGN));
	efd_signal(self->efd);
	EXPECT_TRUE(irr_wait(vcpu2, IOAPIC_VEC + 1, DELIVER_MS));
	EXPECT_NO_IRQ(self->vcpu, IOAPIC_VEC);
	EXPECT_EQ(0ULL, efd_take(self->efd));
	kvmt_vm_free(vm2);
}

/* ---- KVM_IOEVENTFD ---------------------------------------------------- */

/*
 * A VM (with or without the in-kernel irqchip: ioeventfds need none)
 * whose vCPU 0 runs scripts, and two eventfds.
 */
FIXTURE(ioev) {
	struct kvmt_vm *vm;
	struct kvmt_vcpu *vcpu;
	int efd, efd2;
};

FIXTURE_VARIANT(ioev) {
	bool irqchip;
};

FIXTURE_VARIANT_ADD(ioev, irqchip) {
	.irqchip = true,
};

FIXTURE_VARIANT_ADD(ioev, no_irqchip) {
	.irqchip = false,
};

FIXTURE_SETUP(ioev)
{
	KVMT_REQUIRE_KVM();
	if (variant->irqchip) {
		self->vm = kvmt_irqchip_vm_new();
	} else {
		self->vm = kvmt_vm_new();
		kvmt_vm_add_ram(self->vm, KVMT_RAM_SLOT, 0, KVMT_RAM_SIZE, 0);
		kvmt_load_code(self->vm, KVMT_CODE_GPA,
			       KVMT_CODE(long_script));
	}
	self->vcpu = kvmt_script_vcpu_new(self->vm, 0);
	self->efd = new_efd();
	self->efd2 = new_efd();
}

FIXTURE_TEARDOWN(ioev)
{
	kvmt_vm_free(self->vm);
	close(self->efd);
	close(self->efd2);
}

static uint64_t width_mask(unsigned int len)
{
	return len == 8 ? ~0ULL : (1ULL << (len * 8)) - 1;
}

/*
 * Port I/O of each width with a value to match: an OUT of that width
 * and value signals the eventfd (once per OUT) without an exit, so the
 * next exit is the script's next step.  Another value, or the same value
 * with another width, is an ordinary KVM_EXIT_IO; so is an IN.
 */
TEST_F(ioev, pio_datamatch)
{
	static const unsigned int lens[] = { 1, 2, 4 };
	static const uint64_t vals[] = { 0x5a, 0xbeef, 0xdeadbeef };
	struct kvmt_vcpu *vcpu = self->vcpu;
	unsigned int i;
	uint64_t rv;

	for (i = 0; i < KVMT_ARRAY_SIZE(lens); i++) {
		const unsigned int len = lens[i], olen = len == 2 ? 1 : 2;
		const uint64_t v = vals[i], other = v ^ 0x11;
		const struct kvmt_step s[] = {
			S_OUT(PORT, len, v),
			S_OUT(PORT, len, v),
			S_MARK(1),
			S_OUT(PORT, len, other),
			S_MARK(2),
			S_OUT(PORT, olen, v & width_mask(olen)),
			S_MARK(3),
			S_INB(PORT),
			S_END(),
		};

		TH_LOG("len %u", len);
		ASSERT_EQ(0, ioeventfd(self->vm, PORT, len, self->efd,
				       PIO | DM, v));
		KVMT_SCRIPT(vcpu, s);
		RUN_TO_MARK(vcpu, 1);
		EXPECT_EQ(2ULL, efd_take(self->efd));
		RUN_TO_OUT(vcpu, PORT, len, other);
		RUN_TO_MARK(vcpu, 2);
		RUN_TO_OUT(vcpu, PORT, olen, v & width_mask(olen));
		RUN_TO_MARK(vcpu, 3);
		RUN_TO_IN(vcpu, PORT, 1, 0x77);
		RUN_TO_READ(vcpu, rv);
		EXPECT_EQ(0x77ULL, rv);
		RUN_TO_END(vcpu);
		EXPECT_EQ(0ULL, efd_take(self->efd));
		ASSERT_EQ(0, ioeventfd(self->vm, PORT, len, self->efd,
				       PIO | DM | DEASSIGN, v));
	}
}

/*
 * In-tree compares the written value, zero-extended, with all 64 bits
 * of datamatch: a datamatch wider than the access never matches.
 */
TEST_F(ioev, pio_datamatch_wide)
{
	static const struct kvmt_step s[] = {
		S_OUT(PORT, 1, 0x5a),
		S_MARK(1),
		S_END(),
	};
	struct kvmt_vcpu *vcpu = self->vcpu;

	ASSERT_EQ(0, ioeventfd(self->vm, PORT, 1, self->efd, PIO | DM,
			       0x15a));
	KVMT_SCRIPT(vcpu, s);
	RUN_TO_OUT(vcpu, PORT, 1, 0x5a);
	RUN_TO_MARK(vcpu, 1);
	RUN_TO_END(vcpu);
	EXPECT_EQ(0ULL, efd_take(self->efd));
}

/* Without datamatch every value of the right width signals. */
TEST_F(ioev, pio_any_value)
{
	static const struct kvmt_step s[] = {
		S_OUTW(PORT, 0x1234),
		S_OUTW(PORT, 0xffff),
		S_OUTW(PORT, 0),
		S_MARK(1),
		S_OUTB(PORT, 0x12),
		S_OUTL(PORT, 0x12345678),
		S_OUTW(PORT + 1, 0x1234),
		S_MARK(2),
		S_END(),
	};
	struct kvmt_vcpu *vcpu = self->vcpu;

	ASSERT_EQ(0, ioeventfd(self->vm, PORT, 2, self->efd, PIO, 0));
	KVMT_SCRIPT(vcpu, s);
	RUN_TO_MARK(vcpu, 1);
	EXPECT_EQ(3ULL, efd_take(self->efd));
	RUN_TO_OUT(vcpu, PORT, 1, 0x12);
	RUN_TO_OUT(vcpu, PORT, 4, 0x12345678);
	RUN_TO_OUT(vcpu, PORT + 1, 2, 0x1234);
	RUN_TO_MARK(vcpu, 2);
	RUN_TO_END(vcpu);
	EXPECT_EQ(0ULL, efd_take(self->efd));
}

/* Length 0 on a port: an OUT of any width to exactly that port. */
TEST_F(ioev, pio_len0)
{
	static const struct kvmt_step s[] = {
		S_OUTB(PORT, 1),
		S_OUTW(PORT, 2),
		S_OUTL(PORT, 3),
		S_MARK(1),
		S_OUTB(PORT + 1, 4),
		S_MARK(2),
		S_END(),
	};
	struct kvmt_vcpu *vcpu = self->vcpu;

	ASSERT_EQ(0, ioeventfd(self->vm, PORT, 0, self->efd, PIO, 0));
	KVMT_SCRIPT(vcpu, s);
	RUN_TO_MARK(vcpu, 1);
	EXPECT_EQ(3ULL, efd_take(self->efd));
	RUN_TO_OUT(vcpu, PORT + 1, 1, 4);
	RUN_TO_MARK(vcpu, 2);
	RUN_TO_END(vcpu);
	EXPECT_EQ(0ULL, efd_take(self->efd));
}

/*
 * MMIO with no memslot behind it, 4 and 8 bytes with a value to match:
 * a matching store signals without an exit; another value, another
 * width or another address is a KVM_EXIT_MMIO write, and a load a
 * KVM_EXIT_MMIO read.
 */
TEST_F(ioev, mmio_datamatch)
{
	const uint64_t v4 = 0xdeadbeef, v8 = 0x0123456789abcdefULL;
	static const struct kvmt_step s[] = {
		S_W32(MMIO_A, 0xdeadbeef),
		S_MARK(1),
		S_W32(MMIO_A, 0xdeadbeee),
		S_W16(MMIO_A, 0xbeef),
		S_W64(MMIO_A, 0xdeadbeef),
		S_R32(MMIO_A),
		S_MARK(2),
		S_W64(MMIO_B, 0x0123456789abcdefULL),
		S_W64(MMIO_B, 0x0123456789abcdefULL),
		S_MARK(3),
		S_W64(MMIO_B, 0x8123456789abcdefULL),
		S_W32(MMIO_B, 0x89abcdef),
		S_W64(MMIO_B + 8, 0x0123456789abcdefULL),
		S_MARK(4),
		S_END(),
	};
	struct kvmt_vcpu *vcpu = self->vcpu;
	uint64_t v;

	ASSERT_EQ(0, ioeventfd(self->vm, MMIO_A, 4, self->efd, DM, v4));
	ASSERT_EQ(0, ioeventfd(self->vm, MMIO_B, 8, self->efd2, DM, v8));
	KVMT_SCRIPT(vcpu, s);
	RUN_TO_MARK(vcpu, 1);
	EXPECT_EQ(1ULL, efd_take(self->efd));
	RUN_TO_MMIO_WRITE(vcpu, MMIO_A, 4, 0xdeadbeee);
	RUN_TO_MMIO_WRITE(vcpu, MMIO_A, 2, 0xbeef);
	RUN_TO_MMIO_WRITE(vcpu, MMIO_A, 8, 0xdeadbeef);
	RUN_TO_MMIO_READ(vcpu, MMIO_A, 4, 0xdeadbeef);
	RUN_TO_READ(vcpu, v);
	EXPECT_EQ(0xdeadbeefULL, v);
	RUN_TO_MARK(vcpu, 2);
	EXPECT_EQ(0ULL, efd_take(self->efd));
	RUN_TO_MARK(vcpu, 3);
	EXPECT_EQ(2ULL, efd_take(self->efd2));
	RUN_TO_MMIO_WRITE(vcpu, MMIO_B, 8, 0x8123456789abcdefULL);
	RUN_TO_MMIO_WRITE(vcpu, MMIO_B, 4, 0x89abcdef);
	RUN_TO_MMIO_WRITE(vcpu, MMIO_B + 8, 8, 0x0123456789abcdefULL);
	RUN_TO_MARK(vcpu, 4);
	RUN_TO_END(vcpu);
	EXPECT_EQ(0ULL, efd_take(self->efd));
	EXPECT_EQ(0ULL, efd_take(self->efd2));
}

/* Without datamatch, 4 and 8 bytes: any value of that width. */
TEST_F(ioev, mmio_any_value)
{
	static const struct kvmt_step s[] = {
		S_W32(MMIO_A, 0),
		S_W32(MMIO_A, 0xffffffff),
		S_W64(MMIO_B, 0),
		S_W64(MMIO_B, 0xfedcba9876543210ULL),
		S_W64(MMIO_B, 1),
		S_MARK(1),
		S_W64(MMIO_A, 5),
		S_W32(MMIO_B, 6),
		S_MARK(2),
		S_END(),
	};
	struct kvmt_vcpu *vcpu = self->vcpu;

	ASSERT_EQ(0, ioeventfd(self->vm, MMIO_A, 4, self->efd, 0, 0));
	ASSERT_EQ(0, ioeventfd(self->vm, MMIO_B, 8, self->efd2, 0, 0));
	KVMT_SCRIPT(vcpu, s);
	RUN_TO_MARK(vcpu, 1);
	EXPECT_EQ(2ULL, efd_take(self->efd));
	EXPECT_EQ(3ULL, efd_take(self->efd2));
	RUN_TO_MMIO_WRITE(vcpu, MMIO_A, 8, 5);
	RUN_TO_MMIO_WRITE(vcpu, MMIO_B, 4, 6);
	RUN_TO_MARK(vcpu, 2);
	RUN_TO_END(vcpu);
}

/*
 * Length 0 (KVM_CAP_IOEVENTFD_ANY_LENGTH): a store of any width to
 * exactly that address signals; loads, and stores that merely overlap
 * it, exit.
 */
TEST_F(ioev, mmio_len0)
{
	static const struct kvmt_step s[] = {
		S_W8(MMIO_A, 1),
		S_W16(MMIO_A, 2),
		S_W32(MMIO_A, 3),
		S_W64(MMIO_A, 4),
		S_MARK(1),
		S_R32(MMIO_A),
		S_W32(MMIO_A + 4, 5),
		S_W8(MMIO_A + 1, 6),
		S_MARK(2),
		S_END(),
	};
	struct kvmt_vcpu *vcpu = self->vcpu;
	uint64_t v;

	ASSERT_EQ(0, ioeventfd(self->vm, MMIO_A, 0, self->efd, 0, 0));
	KVMT_SCRIPT(vcpu, s);
	RUN_TO_MARK(vcpu, 1);
	EXPECT_EQ(4ULL, efd_take(self->efd));
	RUN_TO_MMIO_READ(vcpu, MMIO_A, 4, 0x12345678);
	RUN_TO_READ(vcpu, v);
	EXPECT_EQ(0x12345678ULL, v);
	RUN_TO_MMIO_WRITE(vcpu, MMIO_A + 4, 4, 5);
	RUN_TO_MMIO_WRITE(vcpu, MMIO_A + 1, 1, 6);
	RUN_TO_MARK(vcpu, 2);
	RUN_TO_END(vcpu);
	EXPECT_EQ(0ULL, efd_take(self->efd));
}

/*
 * In-tree refuses (EEXIST) an ioeventfd that could fire for the same
 * access as one already there, whatever its eventfd: same bus and
 * address, and a length 0 on either side, or the same length with the
 * same value or no value on either side.  Other values, other lengths
 * and the other bus are fine; two values on one address each signal
 * their own eventfd.
 */
TEST_F(ioev, duplicates)
{
	static const struct kvmt_step s[] = {
		S_W32(MMIO_A, 1),
		S_W32(MMIO_A, 2),
		S_W32(MMIO_A, 2),
		S_MARK(1),
		S_END(),
	};
	struct kvmt_vm *vm = self->vm;
	int e1 = self->efd, e2 = self->efd2;

	ASSERT_ERRNO(0, ioeventfd(vm, MMIO_A, 4, e1, DM, 1));
	EXPECT_ERRNO(EEXIST, ioeventfd(vm, MMIO_A, 4, e1, DM, 1));
	EXPECT_ERRNO(EEXIST, ioeventfd(vm, MMIO_A, 4, e2, DM, 1));
	EXPECT_ERRNO(0, ioeventfd(vm, MMIO_A, 4, e2, DM, 2));
	EXPECT_ERRNO(EEXIST, ioeventfd(vm, MMIO_A, 4, e2, 0, 0));
	EXPECT_ERRNO(0, ioeventfd(vm, MMIO_A, 8, e2, DM, 1));
	EXPECT_ERRNO(EEXIST, ioeventfd(vm, MMIO_A, 0, e2, 0, 0));
	EXPECT_ERRNO(0, ioeventfd(vm, MMIO_A, 4, e1, PIO | DM, 1));
	EXPECT_ERRNO(EEXIST, ioeventfd(vm, MMIO_A, 4, e2, PIO | DM, 1));

	/* No value first, then a value. */
	EXPECT_ERRNO(0, ioeventfd(vm, MMIO_B, 4, e1, 0, 0));
	EXPECT_ERRNO(EEXIST, ioeventfd(vm, MMIO_B, 4, e2, DM, 5));
	EXPECT_ERRNO(EEXIST, ioeventfd(vm, MMIO_B, 4, e2, 0, 0));
	EXPECT_ERRNO(0, ioeventfd(vm, MMIO_B, 2, e2, 0, 0));

	/* Length 0 first. */
	EXPECT_ERRNO(0, ioeventfd(vm, MMIO_C, 0, e1, 0, 0));
	EXPECT_ERRNO(EEXIST, ioeventfd(vm, MMIO_C, 0, e2, 0, 0));
	EXPECT_ERRNO(EEXIST, ioeventfd(vm, MMIO_C, 4, e2, 0, 0));
	EXPECT_ERRNO(EEXIST, ioeventfd(vm, MMIO_C, 8, e2, DM, 3));
	EXPECT_ERRNO(0, ioeventfd(vm, MMIO_C + 8, 8, e2, DM, 3));

	KVMT_SCRIPT(self->vcpu, s);
	RUN_TO_MARK(self->vcpu, 1);
	RUN_TO_END(self->vcpu);
	EXPECT_EQ(1ULL, efd_take(e1));
	EXPECT_EQ(2ULL, efd_take(e2));
}

/*
 * Deassignment needs an exact match: bus, address, length, eventfd,
 * and datamatch flag and value; anything else is ENOENT (EBADF for a
 * closed fd), and the ioeventfd keeps working.  After the match the
 * guest's store exits again, and a second deassignment is ENOENT.
 */
TEST_F(ioev, deassign)
{
	static const struct kvmt_step s[] = {
		S_W32(MMIO_A, 7),
		S_MARK(1),
		S_W32(MMIO_A, 7),
		S_W32(MMIO_C, 7),
		S_MARK(2),
		S_END(),
	};
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct kvmt_vm *vm = self->vm;
	int e1 = self->efd, e2 = self->efd2;

	ASSERT_EQ(0, ioeventfd(vm, MMIO_A, 4, e1, DM, 7));
	ASSERT_EQ(0, ioeventfd(vm, MMIO_C, 0, e1, 0, 0));
	EXPECT_ERRNO(ENOENT, ioeventfd(vm, MMIO_A, 4, e2, DM | DEASSIGN, 7));
	EXPECT_ERRNO(ENOENT, ioeventfd(vm, MMIO_A, 4, e1, DM | DEASSIGN, 8));
	EXPECT_ERRNO(ENOENT, ioeventfd(vm, MMIO_A, 4, e1, DEASSIGN, 7));
	EXPECT_ERRNO(ENOENT, ioeventfd(vm, MMIO_A, 8, e1, DM | DEASSIGN, 7));
	EXPECT_ERRNO(ENOENT, ioeventfd(vm, MMIO_A, 0, e1, DEASSIGN, 0));
	EXPECT_ERRNO(ENOENT, ioeventfd(vm, MMIO_A + 4, 4, e1,
				       DM | DEASSIGN, 7));
	EXPECT_ERRNO(ENOENT, ioeventfd(vm, MMIO_A, 4, e1,
				       PIO | DM | DEASSIGN, 7));
	EXPECT_ERRNO(ENOENT, ioeventfd(vm, MMIO_C, 4, e1, DEASSIGN, 0));
	EXPECT_ERRNO(EBADF, ioeventfd(vm, MMIO_A, 4, -1, DM | DEASSIGN, 7));
	EXPECT_ERRNO(ENOENT, ioeventfd(vm, MMIO_B, 4, e1, DEASSIGN, 0));

	KVMT_SCRIPT(vcpu, s);
	RUN_TO_MARK(vcpu, 1);
	EXPECT_EQ(1ULL, efd_take(e1));
	EXPECT_ERRNO(0, ioeventfd(vm, MMIO_A, 4, e1, DM | DEASSIGN, 7));
	EXPECT_ERRNO(ENOENT, ioeventfd(vm, MMIO_A, 4, e1, DM | DEASSIGN, 7));
	EXPECT_ERRNO(0, ioeventfd(vm, MMIO_C, 0, e1, DEASSIGN, 0));
	EXPECT_ERRNO(ENOENT, ioeventfd(vm, MMIO_C, 0, e1, DEASSIGN, 0));
	RUN_TO_MMIO_WRITE(vcpu, MMIO_A, 4, 7);
	RUN_TO_MMIO_WRITE(vcpu, MMIO_C, 4, 7);
	RUN_TO_MARK(vcpu, 2);
	RUN_TO_END(vcpu);
	EXPECT_EQ(0ULL, efd_take(e1));

	/* Assignable again. */
	EXPECT_ERRNO(0, ioeventfd(vm, MMIO_A, 4, e2, DM, 7));
	EXPECT_ERRNO(0, ioeventfd(vm, MMIO_A, 4, e2, DM | DEASSIGN, 7));
}

/*
 * Refused with EINVAL: lengths other than 0, 1, 2, 4 and 8; unknown
 * flags; length 0 with datamatch; a range that wraps around; an fd that
 * is not an eventfd.  EBADF for a closed fd.
 */
TEST_F(ioev, invalid)
{
	static const uint32_t bad_lens[] = { 3, 5, 7, 16, 0x80000000 };
	struct kvmt_vm *vm = self->vm;
	int e1 = self->efd, p[2];
	unsigned int i;

	for (i = 0; i < KVMT_ARRAY_SIZE(bad_lens); i++) {
		TH_LOG("len %u", bad_lens[i]);
		EXPECT_ERRNO(EINVAL, ioeventfd(vm, MMIO_A, bad_lens[i], e1,
					       0, 0));
		EXPECT_ERRNO(EINVAL, ioeventfd(vm, PORT, bad_lens[i], e1,
					       PIO | DM, 0));
	}
	EXPECT_ERRNO(EINVAL, ioeventfd(vm, MMIO_A, 4, e1, 1U << 5, 0));
	EXPECT_ERRNO(EINVAL, ioeventfd(vm, MMIO_A, 4, e1, 1U << 31, 0));
	EXPECT_ERRNO(EINVAL, ioeventfd(vm, MMIO_A, 0, e1, DM, 0));
	EXPECT_ERRNO(EINVAL, ioeventfd(vm, PORT, 0, e1, PIO | DM, 0));
	EXPECT_ERRNO(EINVAL, ioeventfd(vm, ~0ULL - 1, 4, e1, 0, 0));
	EXPECT_ERRNO(EBADF, ioeventfd(vm, MMIO_A, 4, -1, 0, 0));
	ASSERT_EQ(0, pipe(p));
	EXPECT_ERRNO(EINVAL, ioeventfd(vm, MMIO_A, 4, p[0], 0, 0));
	close(p[0]);
	close(p[1]);
	/* None of them was registered. */
	EXPECT_ERRNO(0, ioeventfd(vm, MMIO_A, 4, e1, 0, 0));
}

/*
 * Flags that are not unknown to in-tree, though meaningless on x86:
 * KVM_IOEVENTFD_VALID_FLAG_MASK has bits 0-4.  FAST_MMIO (bit 4) is
 * ignored: an ordinary MMIO ioeventfd.  VIRTIO_CCW_NOTIFY (bit 3) is
 * accepted for a bus no x86 guest reaches.  Deassignment checks no
 * flags or lengths, it only looks for a match: an unknown flag there is
 * ignored, a bad length finds nothing.
 */
TEST_F(ioev, other_flags)
{
	static const struct kvmt_step s[] = {
		S_W32(MMIO_A, 1),
		S_W32(MMIO_B, 2),
		S_MARK(1),
		S_END(),
	};
	const uint32_t ccw = KVM_IOEVENTFD_FLAG_VIRTIO_CCW_NOTIFY;
	const uint32_t fast_mmio = 1U << 4;
	struct kvmt_vcpu *vcpu = self->vcpu;
	struct kvmt_vm *vm = self->vm;
	int e1 = self->efd, e2 = self->efd2;

	EXPECT_ERRNO(0, ioeventfd(vm, MMIO_A, 4, e1, fast_mmio, 0));
	EXPECT_ERRNO(EEXIST, ioeventfd(vm, MMIO_A, 4, e2, 0, 0));
	EXPECT_ERRNO(0, ioeventfd(vm, MMIO_B, 4, e2, ccw, 0));
	EXPECT_ERRNO(EEXIST, ioeventfd(vm, MMIO_B, 4, e2, ccw, 0));
	KVMT_SCRIPT(vcpu, s);
	RUN_TO_MMIO_WRITE(vcpu, MMIO_B, 4, 2);
	RUN_TO_MARK(vcpu, 1);
	RUN_TO_END(vcpu);
	EXPECT_EQ(1ULL, efd_take(e1));
	EXPECT_EQ(0ULL, efd_take(e2));

	EXPECT_ERRNO(ENOENT, ioeventfd(vm, MMIO_A, 3, e1, DEASSIGN, 0));
	EXPECT_ERRNO(ENOENT, ioeventfd(vm, MMIO_B, 4, e2, DEASSIGN, 0));
	EXPECT_ERRNO(0, ioeventfd(vm, MMIO_A, 4, e1, DEASSIGN | 1U << 5, 0));
	EXPECT_ERRNO(0, ioeventfd(vm, MMIO_B, 4, e2, DEASSIGN | ccw, 0));
}

/*
 * In-tree does not count ioeventfds against the 1000 devices a bus may
 * hold: 2000 on one bus are fine.  All of them signal, one can be
 * deassigned among them, and the VM goes away with the rest assigned.
 * In-tree sets no limit on ioeventfds (its 1000-device limit leaves
 * them out).
 */
#define MANY_IOEVENTFDS	2000

TEST_F(ioev, many)
{
	const uint64_t last = MMIO_A + 8ULL * (MANY_IOEVENTFDS - 1);
	const struct kvmt_step s[] = {
		S_W32(MMIO_A, 1),
		S_W32(last, 1),
		S_MARK(1),
		S_END(),
	};
	struct kvmt_vcpu *vcpu = self->vcpu;
	unsigned int n;

	/* Odd ones (the last among them) signal efd2. */
	for (n = 0; n < MANY_IOEVENTFDS; n++)
		ASSERT_ERRNO(0, ioeventfd(self->vm, MMIO_A + 8ULL * n, 4,
					  n % 2 ? self->efd2 : self->efd,
					  0, 0));
	KVMT_SCRIPT(vcpu, s);
	RUN_TO_MARK(vcpu, 1);
	RUN_TO_END(vcpu);
	EXPECT_EQ(1ULL, efd_take(self->efd));
	EXPECT_EQ(1ULL, efd_take(self->efd2));

	ASSERT_EQ(0, ioeventfd(self->vm, MMIO_A, 4, self->efd, DEASSIGN, 0));
	KVMT_SCRIPT(vcpu, s);
	RUN_TO_MMIO_WRITE(vcpu, MMIO_A, 4, 1);
	RUN_TO_MARK(vcpu, 1);
	RUN_TO_END(vcpu);
	EXPECT_EQ(0ULL, efd_take(self->efd));
	EXPECT_EQ(1ULL, efd_take(self->efd2));
}

/* ---- VM teardown ------------------------------------------------------ */

struct hammer {
	int fd;
	atomic_bool stop;
	pthread_t thread;
};

static void *hammer_thread(void *arg)
{
	struct hammer *h = arg;

	while (!atomic_load(&h->stop))
		eventfd_write(h->fd, 1);
	return NULL;
}

/*
 * VMs closed with irqfds (one being written meanwhile by another
 * thread, one with a write pending, one on an MSI route) and ioeventfds
 * still assigned, half of them after their eventfds were closed: the
 * eventfds outlive the VM as plain eventfds, and nothing leaks (fds
 * here; the harness checks the kernel log).
 */
TEST(vm_close)
{
	int fds_before, round;

	KVMT_REQUIRE_KVM();
	fds_before = kvmt_count_fds();
	for (round = 0; round < 20; round++) {
		struct kvmt_vm *vm = kvmt_irqchip_vm_new();
		struct kvmt_vcpu *vcpu = kvmt_script_vcpu_new(vm, 0);
		struct hammer h = { .stop = false };
		int e[6], i;

		lapic_enable(vcpu);
		for (i = 0; i < 6; i++)
			e[i] = new_efd();
		kvmt_ioapic_route(vm, IOAPIC_GSI,
				  RTE_VECTOR(IOAPIC_VEC) | RTE_DEST(0));
		ASSERT_EQ(0, irqfd(vm, e[0], IOAPIC_GSI, 0));
		ASSERT_EQ(0, irqfd(vm, e[1], IOAPIC_GSI + 1, 0));
		efd_signal(e[2]);
		ASSERT_EQ(0, irqfd(vm, e[2], 4000, 0));
		ASSERT_EQ(0, ioeventfd(vm, PORT, 2, e[3], PIO, 0));
		ASSERT_EQ(0, ioeventfd(vm, MMIO_A, 0, e[4], 0, 0));
		ASSERT_EQ(0, ioeventfd(vm, MMIO_B, 8, e[4], DM, 9));
		if (round % 2) {
			route_msi(vm, MSI_GSI, MSI_VEC);
			ASSERT_EQ(0, irqfd(vm, e[5], MSI_GSI, 0));
			efd_signal(e[5]);
		}
		h.fd = e[0];
		ASSERT_EQ(0, pthread_create(&h.thread, NULL, hammer_thread,
					    &h));
		usleep(20000);
		if (round % 2) {
			for (i = 1; i < 6; i++)
				close(e[i]);
		}
		kvmt_vm_free(vm);
		usleep(20000);
		atomic_store(&h.stop, true);
		ASSERT_EQ(0, pthread_join(h.thread, NULL));
		if (round % 2) {
			close(e[0]);
			continue;
		}
		/* Plain eventfds now: a write stays there. */
		for (i = 0; i < 6; i++) {
			efd_take(e[i]);
			efd_signal(e[i]);
			EXPECT_EQ(1ULL, efd_take(e[i]));
			close(e[i]);
		}
	}
	EXPECT_EQ(fds_before, kvmt_count_fds());
}

TEST_HARNESS_MAIN
