// SPDX-License-Identifier: GPL-2.0-only
/*
 * Port I/O exits to userspace (KVM_EXIT_IO) and their completion.
 *
 * Data travels through the PIO page mapped after struct kvm_run.  RIP is
 * advanced when userspace re-enters, so an IN's data lands before the
 * guest runs on.  String forms move up to a page per exit; a REP
 * instruction that is not finished is simply executed again by the guest,
 * which exits again for the next batch.
 */
#include <linux/mm.h>
#include <asm/processor-flags.h>

#include "x86.h"

static u64 ad_mask(u8 ad_bytes)
{
	return ad_bytes == 8 ? ~0ULL : (1ULL << (ad_bytes * 8)) - 1;
}

/* Write @val to a register at the given width, as the CPU would. */
static void write_reg_sized(u64 *reg, u64 val, u8 bytes)
{
	u64 mask = ad_mask(bytes);

	if (bytes == 4)
		*reg = (u32)val;	/* 32-bit writes zero-extend */
	else
		*reg = (*reg & ~mask) | (val & mask);
}

/*
 * Prefixes of a string I/O instruction that the exit information may not
 * carry: the segment of the source (DS unless overridden) and the
 * address size (the mode's, toggled by 0x67).  QEMU's emulated SVM, for
 * one, reports no address size at all.
 */
static int string_io_prefixes(struct kvm_vcpu *vcpu, u8 *ad_bytes)
{
	static const int prefix_seg[] = {
		[0x26 >> 3] = VCPU_SREG_ES, [0x2e >> 3] = VCPU_SREG_CS,
		[0x36 >> 3] = VCPU_SREG_SS, [0x3e >> 3] = VCPU_SREG_DS,
	};
	struct x86_exit *e = &vcpu->arch.exit;
	enum x86_emul_mode mode = kvm_vcpu_mode(vcpu);
	bool toggle = false;
	u8 bytes[15];
	int n, i, seg = VCPU_SREG_DS;
	u64 la;

	if (mode == X86EMUL_MODE_PROT64)
		*ad_bytes = 8;
	else if (mode == X86EMUL_MODE_PROT32)
		*ad_bytes = 4;
	else
		*ad_bytes = 2;

	n = e->io.next_rip - vcpu->arch.rip;
	if (n <= 1 || n > 15)
		return seg;
	la = kvm_seg_base(vcpu, VCPU_SREG_CS) + vcpu->arch.rip;
	if (kvm_read_guest_linear(vcpu, la, bytes, n))
		return seg;
	for (i = 0; i < n - 1; i++) {
		u8 b = bytes[i];

		if (b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e)
			seg = prefix_seg[b >> 3];
		else if (b == 0x64)
			seg = VCPU_SREG_FS;
		else if (b == 0x65)
			seg = VCPU_SREG_GS;
		else if (b == 0x67)
			toggle = true;
	}
	if (toggle)
		*ad_bytes = mode == X86EMUL_MODE_PROT64 ? 4 :
			    (*ad_bytes == 4 ? 2 : 4);
	return seg;
}

static int string_io(struct kvm_vcpu *vcpu)
{
	struct x86_exit *e = &vcpu->arch.exit;
	u64 *g = vcpu->arch.regs;
	void *pio = page_address(vcpu->pio_page);
	u64 mask, count, la, room;
	int seg;
	u8 ad;
	u32 n;

	seg = string_io_prefixes(vcpu, &ad);
	if (!e->io.ad_bytes)
		e->io.ad_bytes = ad;
	vcpu->arch.pio.ad_bytes = e->io.ad_bytes;
	mask = ad_mask(e->io.ad_bytes);
	count = e->io.rep ? (g[X86_RCX] & mask) : 1;
	if (!count) {
		kvm_retire_insn(vcpu, e->io.next_rip);
		return 1;
	}
	if (e->io.in)
		la = kvm_seg_base(vcpu, VCPU_SREG_ES) + (g[X86_RDI] & mask);
	else
		la = kvm_seg_base(vcpu, seg) + (g[X86_RSI] & mask);

	/*
	 * Batch forward copies within one guest page; DF=1 (backwards) and
	 * elements straddling a page go one at a time.
	 */
	n = 1;
	if (!(vcpu->arch.rflags & X86_EFLAGS_DF)) {
		room = (PAGE_SIZE - offset_in_page(la)) / e->io.size;
		n = clamp_t(u64, min(count, room), 1, PAGE_SIZE / e->io.size);
	}

	if (!e->io.in && kvm_read_guest_linear(vcpu, la, pio, n * e->io.size))
		return kvm_internal_error(vcpu, KVM_INTERNAL_ERROR_EMULATION);

	vcpu->arch.pio.count = n;
	vcpu->arch.pio.la = la;
	vcpu->arch.completion = X86_COMPLETE_PIO_STRING;
	return 0;
}

/* Port I/O claimed by an in-kernel device (PIC, PIT) completes here. */
static bool pio_in_kernel(struct kvm_vcpu *vcpu)
{
	struct x86_exit *e = &vcpu->arch.exit;
	u64 val = 0;

	if (e->io.in) {
		if (kvm_io_bus_read(vcpu, KVM_PIO_BUS, e->io.port, e->io.size,
				    &val))
			return false;
		write_reg_sized(&vcpu->arch.regs[X86_RAX], val, e->io.size);
	} else if (kvm_io_bus_write(vcpu, KVM_PIO_BUS, e->io.port,
				    e->io.size, &vcpu->arch.regs[X86_RAX])) {
		return false;
	}
	kvm_retire_insn(vcpu, e->io.next_rip);
	return true;
}

int kvm_handle_io(struct kvm_vcpu *vcpu)
{
	struct x86_exit *e = &vcpu->arch.exit;
	struct kvm_run *run = vcpu->run;
	int r;

	vcpu->arch.pio.port = e->io.port;
	vcpu->arch.pio.size = e->io.size;
	vcpu->arch.pio.in = e->io.in;
	vcpu->arch.pio.next_rip = e->io.next_rip;
	vcpu->arch.pio.ad_bytes = e->io.ad_bytes;
	vcpu->arch.pio.rep = e->io.rep;
	vcpu->arch.completion_rip = vcpu->arch.rip;

	if (e->io.string) {
		r = string_io(vcpu);
		if (r)
			return r;
	} else {
		if (pio_in_kernel(vcpu))
			return 1;
		vcpu->arch.pio.count = 1;
		if (!e->io.in)
			memcpy(page_address(vcpu->pio_page),
			       &vcpu->arch.regs[X86_RAX], e->io.size);
		vcpu->arch.completion = e->io.in ? X86_COMPLETE_PIO_IN :
						   X86_COMPLETE_PIO_OUT;
	}

	run->exit_reason = KVM_EXIT_IO;
	run->io.direction = e->io.in ? KVM_EXIT_IO_IN : KVM_EXIT_IO_OUT;
	run->io.size = e->io.size;
	run->io.port = e->io.port;
	run->io.count = vcpu->arch.pio.count;
	run->io.data_offset = KVM_PIO_PAGE_OFFSET * PAGE_SIZE;
	return 0;
}

static int complete_string(struct kvm_vcpu *vcpu)
{
	u64 *g = vcpu->arch.regs;
	u8 ad = vcpu->arch.pio.ad_bytes;
	u32 count = vcpu->arch.pio.count;
	int idx = vcpu->arch.pio.in ? X86_RDI : X86_RSI;
	u64 bytes, step;

	/*
	 * Userspace may have lowered RCX during the exit: the batch then
	 * ends where the count does, and the rest of its data is dropped.
	 */
	if (vcpu->arch.pio.rep)
		count = min_t(u64, count, g[X86_RCX] & ad_mask(ad));
	bytes = (u64)count * vcpu->arch.pio.size;

	if (vcpu->arch.pio.in && bytes &&
	    kvm_write_guest_linear(vcpu, vcpu->arch.pio.la,
				   page_address(vcpu->pio_page), bytes))
		return kvm_internal_error(vcpu, KVM_INTERNAL_ERROR_EMULATION);

	step = (vcpu->arch.rflags & X86_EFLAGS_DF) ? -bytes : bytes;
	write_reg_sized(&g[idx], g[idx] + step, ad);
	if (vcpu->arch.pio.rep) {
		write_reg_sized(&g[X86_RCX], g[X86_RCX] - count, ad);
		if (g[X86_RCX] & ad_mask(ad))
			return 1;	/* the guest re-executes the REP */
	}
	kvm_retire_insn(vcpu, vcpu->arch.pio.next_rip);
	return 1;
}

int kvm_complete_pio(struct kvm_vcpu *vcpu)
{
	enum x86_completion c = vcpu->arch.completion;
	u64 val = 0;

	vcpu->arch.completion = X86_COMPLETE_NONE;
	if (vcpu->arch.rip != vcpu->arch.completion_rip)
		return 1;	/* userspace moved RIP: drop it */

	switch (c) {
	case X86_COMPLETE_PIO_IN:
		memcpy(&val, page_address(vcpu->pio_page), vcpu->arch.pio.size);
		write_reg_sized(&vcpu->arch.regs[X86_RAX], val,
				vcpu->arch.pio.size);
		kvm_retire_insn(vcpu, vcpu->arch.pio.next_rip);
		return 1;
	case X86_COMPLETE_PIO_OUT:
		kvm_retire_insn(vcpu, vcpu->arch.pio.next_rip);
		return 1;
	case X86_COMPLETE_PIO_STRING:
		return complete_string(vcpu);
	default:
		return 1;
	}
}
