/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Instruction decoder and emulator interface.
 *
 * The emulator is shared by both vendor backends.  It knows nothing about
 * vCPUs, VMCBs or VMCSs: everything it needs from the machine comes through
 * struct x86_emul_ops, so the same code is unit-tested in userspace with a
 * fake machine (tools/testing/emulate/).
 *
 * Model: the caller fills struct x86_emul with the CPU mode and the
 * instruction bytes and calls x86_emulate().  Memory operands are accessed
 * through ops->read_mem/ops->write_mem with *linear* addresses.  A read
 * that must go to userspace (MMIO) returns X86EMUL_IO_NEEDED; the caller
 * then exits to userspace and, once the data is back, calls x86_emulate()
 * again from scratch on the same bytes: this time read_mem returns the
 * completed data.  Writes never stop the emulator: the caller records them
 * and exits after x86_emulate() returns.  Register and RIP updates are made
 * only when the instruction (or one iteration of a REP string instruction)
 * completes, so a restart is always safe.
 */
#ifndef ARCH_X86_KVM_EMULATE_H
#define ARCH_X86_KVM_EMULATE_H

#include <linux/types.h>

/* Code-segment execution modes that change decoding. */
enum x86_emul_mode {
	X86EMUL_MODE_REAL,	/* CR0.PE=0: 16-bit defaults */
	X86EMUL_MODE_VM86,	/* EFLAGS.VM=1: 16-bit defaults */
	X86EMUL_MODE_PROT16,	/* protected, CS.D=0 */
	X86EMUL_MODE_PROT32,	/* protected, CS.D=1 */
	X86EMUL_MODE_PROT64,	/* long mode, CS.L=1 */
};

/* Return codes of x86_emulate() and of the ops. */
enum {
	X86EMUL_CONTINUE = 0,	/* done (or: access succeeded) */
	X86EMUL_IO_NEEDED,	/* a read must be completed by userspace */
	X86EMUL_UNHANDLEABLE,	/* unknown/unsupported instruction */
	X86EMUL_EXCEPTION,	/* ops raised a fault: the caller injects it */
	X86EMUL_RETRY,		/* REP iteration done, RIP not advanced */
};

/* Segment register numbers, in the encoding order of the ISA. */
enum x86_seg {
	X86_SEG_ES, X86_SEG_CS, X86_SEG_SS, X86_SEG_DS, X86_SEG_FS, X86_SEG_GS,
};

/* General purpose register numbers, in the encoding order of the ISA. */
enum x86_gpr {
	X86_RAX, X86_RCX, X86_RDX, X86_RBX, X86_RSP, X86_RBP, X86_RSI, X86_RDI,
	X86_R8, X86_R9, X86_R10, X86_R11, X86_R12, X86_R13, X86_R14, X86_R15,
	X86_NR_GPRS,
};

struct x86_emul;

struct x86_emul_ops {
	/* Base of a segment; the emulator adds it to effective addresses. */
	u64 (*seg_base)(struct x86_emul *ctx, enum x86_seg seg);
	/*
	 * Data accesses at a linear address.  Return X86EMUL_CONTINUE,
	 * X86EMUL_IO_NEEDED (read only) or X86EMUL_EXCEPTION.
	 */
	int (*read_mem)(struct x86_emul *ctx, u64 la, void *val,
			unsigned int size);
	int (*write_mem)(struct x86_emul *ctx, u64 la, const void *val,
			 unsigned int size);
};

/* Decoded form of one instruction (filled by x86_decode()). */
struct x86_insn {
	u8 len;			/* total length in bytes */
	u8 opcode;		/* last opcode byte */
	u8 opmap;		/* 0: one-byte map, 1: 0F map */
	u8 op_bytes;		/* effective operand size: 1, 2, 4 or 8 */
	u8 ad_bytes;		/* effective address size: 2, 4 or 8 */
	u8 rex;			/* REX prefix byte, 0 if none */
	u8 rep;			/* 0, 0xf2 or 0xf3 */
	s8 seg_override;	/* enum x86_seg, or -1 */
	bool has_modrm;
	u8 modrm;
	bool has_mem;		/* has a memory operand */
	/*
	 * Effective address (no segment base), truncated to the address
	 * size.  For string instructions: rSI (MOVS, CMPS, LODS) or rDI
	 * (STOS, SCAS); for BT* with a register bit offset, the word that
	 * holds the bit; for A0-A3 the moffs.
	 */
	u64 ea;
	u64 imm;		/* immediate, sign-extended to 64 bits */
	u8 imm_bytes;
	bool lock;		/* LOCK prefix (only where the ISA allows it) */
	u8 seg;			/* enum x86_seg of ea: override or default */
};

/* Emulator context: one per vCPU, reused for every emulated instruction. */
struct x86_emul {
	const struct x86_emul_ops *ops;
	void *opaque;			/* owner's pointer (the vCPU) */
	enum x86_emul_mode mode;

	/* Machine state, loaded by the caller, written back on success. */
	u64 gprs[X86_NR_GPRS];
	u64 rip;
	u64 rflags;

	/* Instruction bytes fetched by the caller at CS.base + rip. */
	u8 bytes[15];
	u8 nr_bytes;

	struct x86_insn insn;
};

/* Decode ctx->bytes into ctx->insn; 0 or -EINVAL (unknown/truncated). */
int x86_decode(struct x86_emul *ctx);

/*
 * Decode and execute one instruction (one iteration for REP string
 * forms).  On X86EMUL_CONTINUE gprs/rip/rflags hold the new state.
 */
int x86_emulate(struct x86_emul *ctx);

#endif
