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
#include "irq.h"

static struct kvm_vcpu *emul_vcpu(struct x86_emul *ctx)
{
	return ctx->opaque;
}

static u64 emul_seg_base(struct x86_emul *ctx, enum x86_seg seg)
{
	/* enum x86_seg and VCPU_SREG_* share the ISA numbering. */
	return kvm_seg_base(emul_vcpu(ctx), seg);
}

/*
 * While a memory slot update is in flight the layout is neither the old
 * nor the new one; the instruction is then not emulated at all but
 * re-executed by the guest once the update is done.
 */
static bool slots_in_flux(struct kvm_vcpu *vcpu)
{
	unsigned long gen = READ_ONCE(vcpu->kvm->slots_gen);

	return (gen & 1) || gen != vcpu->arch.mmio.slots_gen;
}

enum gpa_kind { GPA_RAM, GPA_MMIO, GPA_IN_FLUX };

static enum gpa_kind classify_gpa(struct kvm_vcpu *vcpu, u64 gpa, bool write)
{
	struct kvm_memslot *slot = kvm_find_memslot(vcpu->kvm,
						    gpa >> PAGE_SHIFT);

	if (slot && READ_ONCE(slot->invalid))
		return GPA_IN_FLUX;
	if (!slot)
		return slots_in_flux(vcpu) ? GPA_IN_FLUX : GPA_MMIO;
	/* Writes to a read-only slot are MMIO writes for userspace. */
	return (write && (slot->flags & KVM_MEM_READONLY)) ? GPA_MMIO :
							     GPA_RAM;
}

static int emul_access(struct x86_emul *ctx, u64 la, void *val,
		       unsigned int size, bool write)
{
	struct kvm_vcpu *vcpu = emul_vcpu(ctx);
	typeof(vcpu->arch.mmio) *m = &vcpu->arch.mmio;
	enum gpa_kind kind;
	u64 gpa;

	if (kvm_gva_to_gpa(vcpu, la, write, &gpa)) {
		m->retry = slots_in_flux(vcpu);
		return X86EMUL_EXCEPTION;
	}
	/* The xAPIC page shadows whatever lies beneath, as on hardware. */
	if (kvm_vcpu_has_lapic(vcpu) &&
	    kvm_lapic_mmio(vcpu, gpa, val, size, write))
		return X86EMUL_CONTINUE;

	/*
	 * The answer userspace gave for this read stands, even if the
	 * memory layout changed since the exit.
	 */
	if (!write && m->read_done && m->gpa == gpa && m->len == size) {
		memcpy(val, m->data, size);
		m->read_done = false;
		return X86EMUL_CONTINUE;
	}

	kind = classify_gpa(vcpu, gpa, write);
	if (kind == GPA_IN_FLUX) {
		m->retry = true;
		return X86EMUL_EXCEPTION;
	}
	if (kind == GPA_RAM) {
		int r = write ? kvm_write_guest_linear(vcpu, la, val, size) :
				kvm_read_guest_linear(vcpu, la, val, size);

		if (r)
			m->retry = slots_in_flux(vcpu);
		return r ? X86EMUL_EXCEPTION : X86EMUL_CONTINUE;
	}

	/* An MMIO access may not cross a page or exceed the data field. */
	if (size > sizeof(m->data) ||
	    offset_in_page(gpa) + size > PAGE_SIZE)
		return X86EMUL_UNHANDLEABLE;

	/* In-kernel devices (IOAPIC, ioeventfds) before userspace. */
	if (write ? !kvm_io_bus_write(vcpu, KVM_MMIO_BUS, gpa, size, val) :
		    !kvm_io_bus_read(vcpu, KVM_MMIO_BUS, gpa, size, val))
		return X86EMUL_CONTINUE;

	if (write) {
		if (m->write_pending)
			return X86EMUL_UNHANDLEABLE;
		m->write_pending = true;
		m->gpa = gpa;
		m->len = size;
		memcpy(m->data, val, size);
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
	kvm_retire_insn(vcpu, ctx->rip);
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
	m->retry = false;
	r = x86_emulate(&vcpu->arch.emul);
	if (m->retry) {
		/* Let the guest run the instruction again, unemulated. */
		vcpu->arch.completion = X86_COMPLETE_NONE;
		return 1;
	}

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
	vcpu->arch.mmio.slots_gen = READ_ONCE(vcpu->kvm->slots_gen);
	smp_rmb();
	if (vcpu->arch.mmio.slots_gen & 1)
		return 1;	/* an update is in flight: retry */
	if (fetch_insn(vcpu))
		return slots_in_flux(vcpu) ? 1 : emulation_failed(vcpu);
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
	m->slots_gen = READ_ONCE(vcpu->kvm->slots_gen);
	smp_rmb();
	return run_emulator(vcpu);
}
