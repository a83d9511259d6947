// SPDX-License-Identifier: GPL-2.0-only
/*
 * Triple faults end in KVM_EXIT_SHUTDOWN: with an IDT of limit 0, an
 * exception cannot be delivered, neither can the #DF that follows, and the
 * CPU shuts down.  One variant per CPU mode plus a page fault in long mode.
 */
#include "kselftest_harness.h"
#include "kvmt_test.h"

KVMT_GUEST(real_triple);
KVMT_GUEST(prot32_triple);
KVMT_GUEST(long_triple);
KVMT_GUEST(long_triple_pf);

FIXTURE(shutdown) {
	struct kvmt_vcpu *vcpu;
};

FIXTURE_VARIANT(shutdown) {
	enum kvmt_mode mode;
	const uint8_t *start, *end;
};

FIXTURE_VARIANT_ADD(shutdown, real_int3) {
	.mode = KVMT_MODE_REAL,
	.start = real_triple_start, .end = real_triple_end,
};

FIXTURE_VARIANT_ADD(shutdown, prot32_ud2) {
	.mode = KVMT_MODE_PROT32,
	.start = prot32_triple_start, .end = prot32_triple_end,
};

FIXTURE_VARIANT_ADD(shutdown, long_ud2) {
	.mode = KVMT_MODE_LONG,
	.start = long_triple_start, .end = long_triple_end,
};

FIXTURE_VARIANT_ADD(shutdown, long_page_fault) {
	.mode = KVMT_MODE_LONG,
	.start = long_triple_pf_start, .end = long_triple_pf_end,
};

FIXTURE_SETUP(shutdown)
{
	KVMT_REQUIRE_KVM();
	self->vcpu = kvmt_guest_new(variant->mode, variant->start,
				    variant->end);
}

FIXTURE_TEARDOWN(shutdown)
{
	if (self->vcpu)
		kvmt_vm_free(self->vcpu->vm);
}

TEST_F(shutdown, triple_fault)
{
	/* The guest got to the faulting instruction... */
	RUN_TO_IO(self->vcpu, KVM_EXIT_IO_OUT, 0x80, 1, 1);
	/* ...and never past it. */
	RUN_TO_EXIT(self->vcpu, KVM_EXIT_SHUTDOWN);
}

TEST_HARNESS_MAIN
