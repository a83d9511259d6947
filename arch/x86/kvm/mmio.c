// SPDX-License-Identifier: GPL-2.0-only
/*
 * MMIO: a guest access to a guest-physical address without RAM behind it
 * is emulated instruction by instruction and forwarded to userspace as
 * KVM_EXIT_MMIO.
 *
 * Reads: the emulator stops with X86EMUL_IO_NEEDED; userspace fills in the
 * data and re-enters; the emulator then runs the same instruction again
 * from the start, and this time the read is answered.  Writes: recorded
 * while the instruction completes, then reported; nothing is left to do
 * when userspace re-enters.
 */
#include <linux/mm.h>

#include "x86.h"

static struct kvm_vcpu *emul_vcpu(struct x86_emul *ctx)
{
	return ctx->opaque;
}

static u64 emul_seg_base(struct x86_emul *ctx, enum x86_seg seg)
{
	/* enum x86_seg and VCPU_SREG_* share the ISA numbering. */
	return kvm_seg_base(emul_vcpu(ctx), seg);
}

/* Guest RAM that may be accessed directly, or NULL for MMIO. */
static bool gpa_is_ram(struct kvm_vcpu *vcpu, u64 gpa, bool write)
{
	struct kvm_memslot *slot = kvm_find_memslot(vcpu->kvm,
						    gpa >> PAGE_SHIFT);

	if (!slot || READ_ONCE(slot->invalid))
		return false;
	return !(write && (slot->flags & KVM_MEM_READONLY));
}

static int emul_access(struct x86_emul *ctx, u64 la, void *val,
		       unsigned int size, bool write)
{
	struct kvm_vcpu *vcpu = emul_vcpu(ctx);
	typeof(vcpu->arch.mmio) *m = &vcpu->arch.mmio;
	u64 gpa;

	if (kvm_gva_to_gpa(vcpu, la, write, &gpa))
		return X86EMUL_EXCEPTION;

	if (gpa_is_ram(vcpu, gpa, write)) {
		int r = write ? kvm_write_guest_linear(vcpu, la, val, size) :
				kvm_read_guest_linear(vcpu, la, val, size);

		return r ? X86EMUL_EXCEPTION : X86EMUL_CONTINUE;
	}

	/* An MMIO access may not cross a page or exceed the data field. */
	if (size > sizeof(m->data) ||
	    offset_in_page(gpa) + size > PAGE_SIZE)
		return X86EMUL_UNHANDLEABLE;

	if (write) {
		if (m->write_pending)
			return X86EMUL_UNHANDLEABLE;
		m->write_pending = true;
		m->gpa = gpa;
		m->len = size;
		memcpy(m->data, val, size);
		return X86EMUL_CONTINUE;
	}

	if (m->read_done && m->gpa == gpa && m->len == size) {
		memcpy(val, m->data, size);
		m->read_done = false;
		return X86EMUL_CONTINUE;
	}
	m->gpa = gpa;
	m->len = size;
	m->read_done = false;
	return X86EMUL_IO_NEEDED;
}

static int emul_read(struct x86_emul *ctx, u64 la, void *val,
		     unsigned int size)
{
	return emul_access(ctx, la, val, size, false);
}

static int emul_write(struct x86_emul *ctx, u64 la, const void *val,
		      unsigned int size)
{
	return emul_access(ctx, la, (void *)val, size, true);
}

static const struct x86_emul_ops kvm_emul_ops = {
	.seg_base = emul_seg_base,
	.read_mem = emul_read,
	.write_mem = emul_write,
};

static void emul_load(struct kvm_vcpu *vcpu)
{
	struct x86_emul *ctx = &vcpu->arch.emul;

	ctx->ops = &kvm_emul_ops;
	ctx->opaque = vcpu;
	ctx->mode = kvm_vcpu_mode(vcpu);
	memcpy(ctx->gprs, vcpu->arch.regs, sizeof(ctx->gprs));
	ctx->rip = vcpu->arch.rip;
	ctx->rflags = vcpu->arch.rflags;
}

static void emul_commit(struct kvm_vcpu *vcpu)
{
	struct x86_emul *ctx = &vcpu->arch.emul;

	memcpy(vcpu->arch.regs, ctx->gprs, sizeof(ctx->gprs));
	vcpu->arch.rip = ctx->rip;
	vcpu->arch.rflags = ctx->rflags;
}

static int emulation_failed(struct kvm_vcpu *vcpu)
{
	struct x86_emul *ctx = &vcpu->arch.emul;
	struct kvm_run *run = vcpu->run;
	u64 bytes[2] = { 0, 0 };

	memcpy(bytes, ctx->bytes, min_t(size_t, ctx->nr_bytes, 15));
	run->exit_reason = KVM_EXIT_INTERNAL_ERROR;
	run->internal.suberror = KVM_INTERNAL_ERROR_EMULATION;
	run->internal.ndata = 5;
	run->internal.data[0] = vcpu->arch.mmio.gpa;
	run->internal.data[1] = vcpu->arch.rip;
	run->internal.data[2] = ctx->nr_bytes;
	run->internal.data[3] = bytes[0];
	run->internal.data[4] = bytes[1];
	vcpu->arch.completion = X86_COMPLETE_NONE;
	return 0;
}

/* Run the emulator over the fetched bytes; returns like an exit handler. */
static int run_emulator(struct kvm_vcpu *vcpu)
{
	typeof(vcpu->arch.mmio) *m = &vcpu->arch.mmio;
	struct kvm_run *run = vcpu->run;
	int r;

	emul_load(vcpu);
	m->write_pending = false;
	r = x86_emulate(&vcpu->arch.emul);

	switch (r) {
	case X86EMUL_CONTINUE:
	case X86EMUL_RETRY:
		emul_commit(vcpu);
		vcpu->arch.completion = X86_COMPLETE_NONE;
		if (!m->write_pending)
			return 1;
		run->exit_reason = KVM_EXIT_MMIO;
		run->mmio.phys_addr = m->gpa;
		run->mmio.len = m->len;
		run->mmio.is_write = 1;
		memset(run->mmio.data, 0, sizeof(run->mmio.data));
		memcpy(run->mmio.data, m->data, m->len);
		return 0;
	case X86EMUL_IO_NEEDED:
		run->exit_reason = KVM_EXIT_MMIO;
		run->mmio.phys_addr = m->gpa;
		run->mmio.len = m->len;
		run->mmio.is_write = 0;
		memset(run->mmio.data, 0, sizeof(run->mmio.data));
		vcpu->arch.completion = X86_COMPLETE_MMIO_READ;
		vcpu->arch.completion_rip = vcpu->arch.rip;
		return 0;
	default:
		return emulation_failed(vcpu);
	}
}

/* Fetch the faulting instruction; the tail may lie on an unmapped page. */
static int fetch_insn(struct kvm_vcpu *vcpu)
{
	struct x86_emul *ctx = &vcpu->arch.emul;
	u64 rip = vcpu->arch.rip;
	u64 la;
	unsigned int first;

	if (kvm_vcpu_mode(vcpu) != X86EMUL_MODE_PROT64)
		rip = (u32)rip;
	la = kvm_seg_base(vcpu, VCPU_SREG_CS) + rip;
	first = min_t(unsigned int, sizeof(ctx->bytes),
		      PAGE_SIZE - offset_in_page(la));
	ctx->nr_bytes = 0;
	if (kvm_read_guest_linear(vcpu, la, ctx->bytes, first))
		return -EFAULT;
	ctx->nr_bytes = first;
	if (first < sizeof(ctx->bytes) &&
	    !kvm_read_guest_linear(vcpu, la + first, ctx->bytes + first,
				   sizeof(ctx->bytes) - first))
		ctx->nr_bytes = sizeof(ctx->bytes);
	return 0;
}

int kvm_emulate_mmio(struct kvm_vcpu *vcpu)
{
	vcpu->arch.mmio.read_done = false;
	vcpu->arch.mmio.gpa = vcpu->arch.exit.npf.gpa;
	if (fetch_insn(vcpu))
		return emulation_failed(vcpu);
	return run_emulator(vcpu);
}

int kvm_complete_mmio(struct kvm_vcpu *vcpu)
{
	typeof(vcpu->arch.mmio) *m = &vcpu->arch.mmio;

	vcpu->arch.completion = X86_COMPLETE_NONE;
	if (vcpu->arch.rip != vcpu->arch.completion_rip)
		return 1;	/* userspace moved RIP: drop it */
	memcpy(m->data, vcpu->run->mmio.data, m->len);
	m->read_done = true;
	return run_emulator(vcpu);
}
