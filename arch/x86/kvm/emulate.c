// SPDX-License-Identifier: GPL-2.0-only
/*
 * x86 instruction decoder and emulator for guest memory operands.
 *
 * The vCPU calls into here when an access of the guest traps and must be
 * completed in software, typically an MMIO access: the instruction is
 * decoded from the bytes the caller fetched, its memory operands go
 * through the caller's ops, and the architectural result (registers,
 * RFLAGS, RIP) is computed here.
 *
 * Execution works on a private copy of the registers and RFLAGS that is
 * committed only when the instruction (or one REP iteration) has fully
 * succeeded, and every instruction performs all of its memory reads
 * before its single memory write.  A read that has to be completed by
 * userspace, or a fault raised by the ops, therefore leaves the caller's
 * state untouched and x86_emulate() can simply be called again.
 *
 * Not modelled: segment limit and access-rights checks, canonical
 * address checks, alignment checks, and atomicity of LOCKed accesses
 * (the ops see a plain read followed by a plain write).
 */
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/types.h>
#include <linux/string.h>

#include "emulate.h"

/* RFLAGS bits computed by the emulator. */
#define EM_CF	BIT_ULL(0)
#define EM_PF	BIT_ULL(2)
#define EM_AF	BIT_ULL(4)
#define EM_ZF	BIT_ULL(6)
#define EM_SF	BIT_ULL(7)
#define EM_DF	BIT_ULL(10)
#define EM_OF	BIT_ULL(11)
#define EM_ARITH (EM_CF | EM_PF | EM_AF | EM_ZF | EM_SF | EM_OF)

/* Architectural maximum instruction length. */
#define EM_MAX_LEN	15

/*
 * Decode attributes of an opcode.  Anything without A_VALID is rejected,
 * so a successful decode means the executor knows the instruction.
 */
#define A_VALID		0x0001
#define A_MODRM		0x0002	/* a ModRM byte follows the opcode */
#define A_BYTE		0x0004	/* 8-bit operand size */
#define A_IMM8		0x0008	/* 8-bit immediate */
#define A_IMMZ		0x0010	/* 16/32-bit immediate by operand size */
#define A_MOFFS		0x0020	/* absolute offset as wide as the address */
#define A_STRING	0x0040	/* string instruction on rSI/rDI */
#define A_NO64		0x0080	/* invalid in 64-bit mode */
#define A_ONLY64	0x0100	/* valid only in 64-bit mode */
#define A_GROUP		0x0200	/* ModRM.reg selects the operation */
#define A_LOCK		0x0400	/* LOCK allowed with a memory destination */
#define A_MEM		0x0800	/* ModRM must encode a memory operand */

#define V	A_VALID
#define M	(A_VALID | A_MODRM)

/* Six encodings of one ALU operation: Eb,Gb Ev,Gv Gb,Eb Gv,Ev AL,Ib rAX,Iz */
#define ALU_ROW(op, lk)						\
	[(op) * 8 + 0] = M | A_BYTE | (lk),			\
	[(op) * 8 + 1] = M | (lk),				\
	[(op) * 8 + 2] = M | A_BYTE,				\
	[(op) * 8 + 3] = M,					\
	[(op) * 8 + 4] = V | A_BYTE | A_IMM8,			\
	[(op) * 8 + 5] = V | A_IMMZ

static const u16 onebyte_attr[256] = {
	ALU_ROW(0, A_LOCK),		/* ADD */
	ALU_ROW(1, A_LOCK),		/* OR */
	ALU_ROW(2, A_LOCK),		/* ADC */
	ALU_ROW(3, A_LOCK),		/* SBB */
	ALU_ROW(4, A_LOCK),		/* AND */
	ALU_ROW(5, A_LOCK),		/* SUB */
	ALU_ROW(6, A_LOCK),		/* XOR */
	ALU_ROW(7, 0),			/* CMP */
	[0x63] = M | A_ONLY64,		/* MOVSXD Gv,Ed */
	[0x80] = M | A_BYTE | A_IMM8 | A_GROUP | A_LOCK,
	[0x81] = M | A_IMMZ | A_GROUP | A_LOCK,
	[0x82] = M | A_BYTE | A_IMM8 | A_GROUP | A_LOCK | A_NO64,
	[0x83] = M | A_IMM8 | A_GROUP | A_LOCK,
	[0x84] = M | A_BYTE,		/* TEST Eb,Gb */
	[0x85] = M,			/* TEST Ev,Gv */
	[0x86] = M | A_BYTE | A_LOCK,	/* XCHG Eb,Gb */
	[0x87] = M | A_LOCK,		/* XCHG Ev,Gv */
	[0x88] = M | A_BYTE,		/* MOV Eb,Gb */
	[0x89] = M,			/* MOV Ev,Gv */
	[0x8a] = M | A_BYTE,		/* MOV Gb,Eb */
	[0x8b] = M,			/* MOV Gv,Ev */
	[0x8f] = M | A_GROUP,		/* POP Ev */
	[0xa0] = V | A_MOFFS | A_BYTE,	/* MOV AL,Ob */
	[0xa1] = V | A_MOFFS,		/* MOV rAX,Ov */
	[0xa2] = V | A_MOFFS | A_BYTE,	/* MOV Ob,AL */
	[0xa3] = V | A_MOFFS,		/* MOV Ov,rAX */
	[0xa4] = V | A_STRING | A_BYTE,	/* MOVSB */
	[0xa5] = V | A_STRING,		/* MOVSW/D/Q */
	[0xa6] = V | A_STRING | A_BYTE,	/* CMPSB */
	[0xa7] = V | A_STRING,		/* CMPSW/D/Q */
	[0xa8] = V | A_BYTE | A_IMM8,	/* TEST AL,Ib */
	[0xa9] = V | A_IMMZ,		/* TEST rAX,Iz */
	[0xaa] = V | A_STRING | A_BYTE,	/* STOSB */
	[0xab] = V | A_STRING,		/* STOSW/D/Q */
	[0xac] = V | A_STRING | A_BYTE,	/* LODSB */
	[0xad] = V | A_STRING,		/* LODSW/D/Q */
	[0xae] = V | A_STRING | A_BYTE,	/* SCASB */
	[0xaf] = V | A_STRING,		/* SCASW/D/Q */
	[0xc6] = M | A_BYTE | A_IMM8 | A_GROUP,	/* MOV Eb,Ib */
	[0xc7] = M | A_IMMZ | A_GROUP,		/* MOV Ev,Iz */
	/* Group 3: the TEST forms' immediate is added by the decoder. */
	[0xf6] = M | A_BYTE | A_GROUP | A_LOCK,
	[0xf7] = M | A_GROUP | A_LOCK,
	[0xfe] = M | A_BYTE | A_GROUP | A_LOCK,	/* INC/DEC Eb */
	[0xff] = M | A_GROUP | A_LOCK,		/* INC/DEC/PUSH Ev */
};

static const u16 twobyte_attr[256] = {
	[0xa3] = M,			/* BT Ev,Gv */
	[0xab] = M | A_LOCK,		/* BTS Ev,Gv */
	[0xb0] = M | A_BYTE | A_LOCK,	/* CMPXCHG Eb,Gb */
	[0xb1] = M | A_LOCK,		/* CMPXCHG Ev,Gv */
	[0xb3] = M | A_LOCK,		/* BTR Ev,Gv */
	[0xb6] = M,			/* MOVZX Gv,Eb */
	[0xb7] = M,			/* MOVZX Gv,Ew */
	[0xba] = M | A_IMM8 | A_GROUP | A_LOCK,	/* BT/BTS/BTR/BTC Ev,Ib */
	[0xbb] = M | A_LOCK,		/* BTC Ev,Gv */
	[0xbe] = M,			/* MOVSX Gv,Eb */
	[0xbf] = M,			/* MOVSX Gv,Ew */
	[0xc0] = M | A_BYTE | A_LOCK,	/* XADD Eb,Gb */
	[0xc1] = M | A_LOCK,		/* XADD Ev,Gv */
	[0xc3] = M | A_MEM,		/* MOVNTI My,Gy */
};

#undef V
#undef M

/* ALU operations; the first eight are numbered as in the ISA encoding. */
enum {
	ALU_ADD, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB, ALU_XOR, ALU_CMP,
	ALU_TEST, ALU_INC, ALU_DEC, ALU_NEG, ALU_NOT,
};

static bool is_64bit(const struct x86_emul *ctx)
{
	return ctx->mode == X86EMUL_MODE_PROT64;
}

static u64 size_mask(unsigned int size)
{
	return size >= 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

static u64 sign_extend(u64 val, unsigned int size)
{
	unsigned int shift = 64 - size * 8;

	return (u64)((s64)(val << shift) >> shift);
}

/*
 * Read @size little-endian bytes of the instruction at *@pos.  Only the
 * first nr_bytes (at most 15) bytes exist: anything beyond is a
 * truncated or over-long instruction.
 */
static bool fetch(const struct x86_emul *ctx, unsigned int *pos,
		  unsigned int size, u64 *val)
{
	unsigned int avail = ctx->nr_bytes < EM_MAX_LEN ?
			     ctx->nr_bytes : EM_MAX_LEN;
	unsigned int i;
	u64 v = 0;

	if (*pos + size > avail)
		return false;
	for (i = 0; i < size; i++)
		v |= (u64)ctx->bytes[*pos + i] << (i * 8);
	*pos += size;
	*val = v;
	return true;
}

/* Is ModRM.reg value @reg a supported member of in->opcode's group? */
static bool group_ok(const struct x86_insn *in, unsigned int reg)
{
	if (in->opmap == 1)		/* 0F BA: BT, BTS, BTR, BTC */
		return reg >= 4;

	switch (in->opcode) {
	case 0x80: case 0x81: case 0x82: case 0x83:
		return true;
	case 0x8f: case 0xc6: case 0xc7:
		return reg == 0;
	case 0xf6: case 0xf7:		/* TEST (/0 and its alias /1), NOT, NEG */
		return reg <= 3;
	case 0xfe:
		return reg <= 1;
	case 0xff:			/* INC, DEC, PUSH */
		return reg <= 1 || reg == 6;
	}
	return false;
}

/* May a LOCK prefix go with this (memory-destination) instruction? */
static bool lock_ok(const struct x86_insn *in, u16 attr)
{
	unsigned int reg = (in->modrm >> 3) & 7;

	if (!(attr & A_LOCK) || !in->has_mem)
		return false;
	if (in->opmap == 1)
		return in->opcode != 0xba || reg != 4;	/* not BT */

	switch (in->opcode) {
	case 0x80: case 0x81: case 0x82: case 0x83:
		return reg != 7;		/* not CMP */
	case 0xf6: case 0xf7:
		return reg == 2 || reg == 3;	/* NOT, NEG */
	case 0xff:
		return reg <= 1;		/* INC, DEC */
	}
	return true;
}

/*
 * Decode the memory form of ModRM (and SIB and displacement).  Sets
 * in->ea without the RIP-relative part, which needs the final length;
 * *rip_rel says whether it must still be added.  *base is the base
 * register, or -1.
 */
static int decode_modrm_mem(struct x86_emul *ctx, unsigned int *pos,
			    bool *rip_rel, int *base)
{
	/* 16-bit forms, indexed by ModRM.rm: base and index registers. */
	static const s8 base16[8] = {
		X86_RBX, X86_RBX, X86_RBP, X86_RBP, -1, -1, X86_RBP, X86_RBX,
	};
	static const s8 index16[8] = {
		X86_RSI, X86_RDI, X86_RSI, X86_RDI, X86_RSI, X86_RDI, -1, -1,
	};
	struct x86_insn *in = &ctx->insn;
	unsigned int mod = in->modrm >> 6, rm = in->modrm & 7;
	unsigned int disp_size = mod == 1 ? 1 : mod == 2 ? 4 : 0;
	bool ss = false;
	u64 ea = 0, v;

	*base = -1;
	if (in->ad_bytes == 2) {
		if (mod == 2)
			disp_size = 2;
		if (mod == 0 && rm == 6) {
			disp_size = 2;		/* disp16 alone */
		} else {
			*base = base16[rm];
			if (*base >= 0)
				ea += ctx->gprs[*base];
			if (index16[rm] >= 0)
				ea += ctx->gprs[index16[rm]];
			ss = *base == X86_RBP;
		}
	} else if (rm == 4) {
		unsigned int sib, index;

		if (!fetch(ctx, pos, 1, &v))
			return -EINVAL;
		sib = v;
		index = ((sib >> 3) & 7) | ((in->rex & 2) << 2);
		if (index != X86_RSP)	/* 100b without REX.X: no index */
			ea += ctx->gprs[index] << (sib >> 6);
		if ((sib & 7) == 5 && mod == 0)
			disp_size = 4;	/* disp32, no base */
		else
			*base = (sib & 7) | ((in->rex & 1) << 3);
	} else if (rm == 5 && mod == 0) {
		disp_size = 4;
		*rip_rel = is_64bit(ctx);
	} else {
		*base = rm | ((in->rex & 1) << 3);
	}

	if (in->ad_bytes != 2 && *base >= 0) {
		ea += ctx->gprs[*base];
		ss = *base == X86_RSP || *base == X86_RBP;
	}

	if (disp_size) {
		if (!fetch(ctx, pos, disp_size, &v))
			return -EINVAL;
		ea += sign_extend(v, disp_size);
	}

	in->ea = ea;
	in->seg = ss ? X86_SEG_SS : X86_SEG_DS;
	return 0;
}

int x86_decode(struct x86_emul *ctx)
{
	struct x86_insn *in = &ctx->insn;
	bool p66 = false, p67 = false, rip_rel = false;
	unsigned int pos = 0, reg = 0, imm_size = 0;
	int base = -1;
	u16 attr;
	u64 v;
	u8 b;

	memset(in, 0, sizeof(*in));
	in->seg_override = -1;
	in->seg = X86_SEG_DS;

	/* Legacy prefixes in any order, then REX (64-bit mode only). */
	for (;;) {
		if (!fetch(ctx, &pos, 1, &v))
			return -EINVAL;
		b = v;
		switch (b) {
		case 0x26: case 0x2e: case 0x36: case 0x3e:
			in->seg_override = (b >> 3) & 3;	/* ES CS SS DS */
			break;
		case 0x64: case 0x65:
			in->seg_override = X86_SEG_FS + (b - 0x64);
			break;
		case 0x66:
			p66 = true;
			break;
		case 0x67:
			p67 = true;
			break;
		case 0xf0:
			in->lock = true;
			break;
		case 0xf2: case 0xf3:
			in->rep = b;
			break;
		default:
			if (is_64bit(ctx) && (b & 0xf0) == 0x40) {
				in->rex = b;
				continue;
			}
			goto opcode;
		}
		/* A REX prefix only counts right before the opcode. */
		in->rex = 0;
	}

opcode:
	if (b == 0x0f) {
		if (!fetch(ctx, &pos, 1, &v))
			return -EINVAL;
		b = v;
		in->opmap = 1;
		attr = twobyte_attr[b];
	} else {
		attr = onebyte_attr[b];
	}
	in->opcode = b;

	if (!(attr & A_VALID))
		return -EINVAL;
	if ((attr & A_NO64) && is_64bit(ctx))
		return -EINVAL;
	if ((attr & A_ONLY64) && !is_64bit(ctx))
		return -EINVAL;

	if (is_64bit(ctx)) {
		in->ad_bytes = p67 ? 4 : 8;
		in->op_bytes = (in->rex & 8) ? 8 : p66 ? 2 : 4;
	} else {
		unsigned int def = ctx->mode == X86EMUL_MODE_PROT32 ? 4 : 2;

		/* Both prefixes toggle between the 16- and 32-bit sizes. */
		in->ad_bytes = p67 ? 6 - def : def;
		in->op_bytes = p66 ? 6 - def : def;
	}
	if (attr & A_BYTE)
		in->op_bytes = 1;

	if (attr & A_MODRM) {
		if (!fetch(ctx, &pos, 1, &v))
			return -EINVAL;
		in->has_modrm = true;
		in->modrm = v;
		reg = (in->modrm >> 3) & 7;
		if ((attr & A_GROUP) && !group_ok(in, reg))
			return -EINVAL;
		if ((in->modrm >> 6) != 3) {
			in->has_mem = true;
			if (decode_modrm_mem(ctx, &pos, &rip_rel, &base))
				return -EINVAL;
		} else if (attr & A_MEM) {
			return -EINVAL;
		}
	}

	/* PUSH/POP Ev: 64-bit by default in long mode, no 32-bit form. */
	if (is_64bit(ctx) && in->opmap == 0 &&
	    (b == 0x8f || (b == 0xff && reg == 6)))
		in->op_bytes = p66 && !(in->rex & 8) ? 2 : 8;

	/* MOVNTI has only 32- and 64-bit forms. */
	if (in->opmap == 1 && b == 0xc3 && (p66 || in->rep))
		return -EINVAL;

	if (attr & A_IMM8)
		imm_size = 1;
	else if ((attr & A_IMMZ) ||
		 (in->opmap == 0 && (b == 0xf6 || b == 0xf7) && reg <= 1))
		imm_size = in->op_bytes == 1 ? 1 : in->op_bytes == 2 ? 2 : 4;
	if (imm_size) {
		if (!fetch(ctx, &pos, imm_size, &v))
			return -EINVAL;
		in->imm = sign_extend(v, imm_size);
		in->imm_bytes = imm_size;
	}

	if (attr & A_MOFFS) {
		if (!fetch(ctx, &pos, in->ad_bytes, &v))
			return -EINVAL;
		in->has_mem = true;
		in->ea = v;
		in->seg = X86_SEG_DS;
	}

	if (attr & A_STRING) {
		in->has_mem = true;
		if ((b & 0xfe) == 0xaa || (b & 0xfe) == 0xae) {
			/* STOS, SCAS: only the ES:rDI operand. */
			in->ea = ctx->gprs[X86_RDI];
			in->seg = X86_SEG_ES;
		} else {
			in->ea = ctx->gprs[X86_RSI];
			in->seg = X86_SEG_DS;
		}
	}

	in->len = pos;

	if (rip_rel)
		in->ea += ctx->rip + pos;

	/*
	 * BT/BTS/BTR/BTC with a register bit offset reach outside the
	 * addressed operand: the offset is signed and selects the
	 * operand-sized word that holds the bit.
	 */
	if (in->has_mem && in->opmap == 1 &&
	    (b == 0xa3 || b == 0xab || b == 0xb3 || b == 0xbb)) {
		unsigned int r = reg | ((in->rex & 4) << 1);
		s64 off = (s64)sign_extend(ctx->gprs[r], in->op_bytes);

		in->ea += (u64)((off >> 3) & ~(s64)(in->op_bytes - 1));
	}

	/* POP computes a rSP-based address after incrementing rSP. */
	if (in->has_mem && in->opmap == 0 && b == 0x8f && base == X86_RSP)
		in->ea += in->op_bytes;

	in->ea &= size_mask(in->ad_bytes);
	if (in->seg_override >= 0 &&
	    !((attr & A_STRING) && in->seg == X86_SEG_ES))
		in->seg = in->seg_override;

	if (in->lock && !lock_ok(in, attr))
		return -EINVAL;
	return 0;
}

/* Machine state while an instruction executes, committed on success. */
struct em_state {
	u64 gprs[X86_NR_GPRS];
	u64 rflags;
};

/* One operand of the executing instruction. */
struct em_op {
	u64 ea;			/* memory: effective address */
	u8 size;
	u8 reg;			/* register number when !mem */
	u8 seg;			/* memory: segment */
	bool mem;
	bool hibyte_ok;		/* reg 4-7 at size 1 may name AH..BH */
};

static u64 linear(struct x86_emul *ctx, unsigned int seg, u64 ea)
{
	/* In 64-bit mode only FS and GS have a base. */
	if (is_64bit(ctx)) {
		if (seg == X86_SEG_FS || seg == X86_SEG_GS)
			return ea + ctx->ops->seg_base(ctx, seg);
		return ea;
	}
	return (u32)(ea + ctx->ops->seg_base(ctx, seg));
}

static int mem_read(struct x86_emul *ctx, unsigned int seg, u64 ea,
		    unsigned int size, u64 *val)
{
	u8 buf[8];
	unsigned int i;
	u64 v = 0;
	int rc;

	rc = ctx->ops->read_mem(ctx, linear(ctx, seg, ea), buf, size);
	if (rc != X86EMUL_CONTINUE)
		return rc;
	for (i = 0; i < size; i++)
		v |= (u64)buf[i] << (i * 8);
	*val = v;
	return X86EMUL_CONTINUE;
}

static int mem_write(struct x86_emul *ctx, unsigned int seg, u64 ea,
		     unsigned int size, u64 val)
{
	u8 buf[8];
	unsigned int i;

	for (i = 0; i < size; i++)
		buf[i] = val >> (i * 8);
	return ctx->ops->write_mem(ctx, linear(ctx, seg, ea), buf, size);
}

/*
 * Without REX, byte registers 4-7 of ModRM are AH, CH, DH and BH; with
 * any REX they are SPL, BPL, SIL and DIL.
 */
static bool is_hibyte(unsigned int nr, unsigned int size, bool hibyte_ok)
{
	return size == 1 && hibyte_ok && nr >= 4 && nr < 8;
}

static u64 reg_read(const struct em_state *st, unsigned int nr,
		    unsigned int size, bool hibyte_ok)
{
	if (is_hibyte(nr, size, hibyte_ok))
		return (st->gprs[nr - 4] >> 8) & 0xff;
	return st->gprs[nr] & size_mask(size);
}

/* 8/16-bit writes merge, 32-bit writes zero-extend to 64 bits. */
static void reg_write(struct em_state *st, unsigned int nr,
		      unsigned int size, bool hibyte_ok, u64 val)
{
	u64 *r;

	if (is_hibyte(nr, size, hibyte_ok)) {
		r = &st->gprs[nr - 4];
		*r = (*r & ~0xff00ULL) | ((val & 0xff) << 8);
		return;
	}
	r = &st->gprs[nr];
	switch (size) {
	case 1:
		*r = (*r & ~0xffULL) | (val & 0xff);
		break;
	case 2:
		*r = (*r & ~0xffffULL) | (val & 0xffff);
		break;
	case 4:
		*r = (u32)val;
		break;
	default:
		*r = val;
		break;
	}
}

/* The ModRM r/m operand. */
static void op_rm(struct x86_emul *ctx, struct em_op *op, unsigned int size)
{
	const struct x86_insn *in = &ctx->insn;

	op->size = size;
	op->mem = in->has_mem;
	op->ea = in->ea;
	op->seg = in->seg;
	op->reg = (in->modrm & 7) | ((in->rex & 1) << 3);
	op->hibyte_ok = !in->rex;
}

/* The ModRM reg operand. */
static void op_reg(struct x86_emul *ctx, struct em_op *op, unsigned int size)
{
	const struct x86_insn *in = &ctx->insn;

	op->size = size;
	op->mem = false;
	op->reg = ((in->modrm >> 3) & 7) | ((in->rex & 4) << 1);
	op->hibyte_ok = !in->rex;
}

/* A fixed register (rAX, ...): never AH..BH. */
static void op_gpr(struct em_op *op, unsigned int nr, unsigned int size)
{
	op->size = size;
	op->mem = false;
	op->reg = nr;
	op->hibyte_ok = false;
}

static int op_load(struct x86_emul *ctx, const struct em_state *st,
		   const struct em_op *op, u64 *val)
{
	if (op->mem)
		return mem_read(ctx, op->seg, op->ea, op->size, val);
	*val = reg_read(st, op->reg, op->size, op->hibyte_ok);
	return X86EMUL_CONTINUE;
}

static int op_store(struct x86_emul *ctx, struct em_state *st,
		    const struct em_op *op, u64 val)
{
	if (op->mem)
		return mem_write(ctx, op->seg, op->ea, op->size, val);
	reg_write(st, op->reg, op->size, op->hibyte_ok, val);
	return X86EMUL_CONTINUE;
}

/* ZF, SF and PF (even parity of the low byte) of a result. */
static u64 flags_szp(u64 res, u64 sign, u64 mask)
{
	u64 f = 0;
	u8 p = res;

	if (!(res & mask))
		f |= EM_ZF;
	if (res & sign)
		f |= EM_SF;
	p ^= p >> 4;
	p ^= p >> 2;
	p ^= p >> 1;
	if (!(p & 1))
		f |= EM_PF;
	return f;
}

/*
 * Compute an ALU operation on @size-byte operands and update the
 * arithmetic flags in *@rflags as the ISA defines them.  Flags the ISA
 * leaves undefined: AF after logical operations is cleared.
 */
static u64 alu(unsigned int op, u64 a, u64 b, unsigned int size,
	       u64 *rflags)
{
	u64 mask = size_mask(size), sign = 1ULL << (size * 8 - 1);
	u64 carry = *rflags & EM_CF ? 1 : 0;
	u64 update = EM_ARITH, f = 0, res;

	a &= mask;
	b &= mask;
	switch (op) {
	case ALU_ADD:
	case ALU_ADC:
	case ALU_INC:
		if (op == ALU_INC) {
			b = 1;
			update &= ~EM_CF;
		}
		if (op != ALU_ADC)
			carry = 0;
		res = (a + b + carry) & mask;
		/* Carry out of the top bit, from the full-adder identity. */
		if (((a & b) | ((a | b) & ~res)) & sign)
			f |= EM_CF;
		if ((a ^ res) & (b ^ res) & sign)
			f |= EM_OF;
		f |= (a ^ b ^ res) & EM_AF;
		break;
	case ALU_SUB:
	case ALU_SBB:
	case ALU_CMP:
	case ALU_DEC:
	case ALU_NEG:
		if (op == ALU_DEC) {
			b = 1;
			update &= ~EM_CF;
		} else if (op == ALU_NEG) {
			b = a;
			a = 0;
		}
		if (op != ALU_SBB)
			carry = 0;
		res = (a - b - carry) & mask;
		/* Borrow out of the top bit. */
		if (((~a & b) | ((~a | b) & res)) & sign)
			f |= EM_CF;
		if ((a ^ b) & (a ^ res) & sign)
			f |= EM_OF;
		f |= (a ^ b ^ res) & EM_AF;
		break;
	case ALU_OR:
		res = a | b;
		break;
	case ALU_XOR:
		res = a ^ b;
		break;
	case ALU_AND:
	case ALU_TEST:
		res = a & b;
		break;
	default:		/* ALU_NOT: no flags */
		return ~a & mask;
	}
	f |= flags_szp(res, sign, mask);
	*rflags = (*rflags & ~update) | (f & update);
	return res;
}

/* dst = dst <op> src, or only flags for CMP and TEST. */
static int em_alu(struct x86_emul *ctx, struct em_state *st, unsigned int op,
		  const struct em_op *dst, const struct em_op *src, u64 imm)
{
	u64 a, b = imm, res;
	int rc;

	rc = op_load(ctx, st, dst, &a);
	if (rc == X86EMUL_CONTINUE && src)
		rc = op_load(ctx, st, src, &b);
	if (rc != X86EMUL_CONTINUE)
		return rc;
	res = alu(op, a, b, dst->size, &st->rflags);
	if (op == ALU_CMP || op == ALU_TEST)
		return X86EMUL_CONTINUE;
	return op_store(ctx, st, dst, res);
}

/* dst = src, after zero- or sign-extension from src's size. */
static int em_mov(struct x86_emul *ctx, struct em_state *st,
		  const struct em_op *dst, const struct em_op *src, bool sx)
{
	u64 val;
	int rc;

	rc = op_load(ctx, st, src, &val);
	if (rc != X86EMUL_CONTINUE)
		return rc;
	if (sx)
		val = sign_extend(val, src->size);
	return op_store(ctx, st, dst, val);
}

static int em_xchg(struct x86_emul *ctx, struct em_state *st)
{
	unsigned int size = ctx->insn.op_bytes;
	struct em_op e, g;
	u64 ev, gv;
	int rc;

	op_rm(ctx, &e, size);
	op_reg(ctx, &g, size);
	rc = op_load(ctx, st, &e, &ev);
	if (rc != X86EMUL_CONTINUE)
		return rc;
	gv = reg_read(st, g.reg, size, g.hibyte_ok);
	rc = op_store(ctx, st, &e, gv);
	if (rc != X86EMUL_CONTINUE)
		return rc;
	reg_write(st, g.reg, size, g.hibyte_ok, ev);
	return X86EMUL_CONTINUE;
}

static int em_cmpxchg(struct x86_emul *ctx, struct em_state *st)
{
	unsigned int size = ctx->insn.op_bytes;
	struct em_op e, g;
	u64 ev, acc;
	int rc;

	op_rm(ctx, &e, size);
	op_reg(ctx, &g, size);
	rc = op_load(ctx, st, &e, &ev);
	if (rc != X86EMUL_CONTINUE)
		return rc;
	acc = reg_read(st, X86_RAX, size, false);
	alu(ALU_CMP, acc, ev, size, &st->rflags);
	if (st->rflags & EM_ZF)
		return op_store(ctx, st, &e,
				reg_read(st, g.reg, size, g.hibyte_ok));
	/*
	 * On a mismatch the processor still writes the old value back to
	 * a memory destination (a locked read always pairs with a write);
	 * a register destination is left alone.
	 */
	if (e.mem) {
		rc = op_store(ctx, st, &e, ev);
		if (rc != X86EMUL_CONTINUE)
			return rc;
	}
	reg_write(st, X86_RAX, size, false, ev);
	return X86EMUL_CONTINUE;
}

static int em_xadd(struct x86_emul *ctx, struct em_state *st)
{
	unsigned int size = ctx->insn.op_bytes;
	struct em_op e, g;
	u64 ev, gv, sum;
	int rc;

	op_rm(ctx, &e, size);
	op_reg(ctx, &g, size);
	rc = op_load(ctx, st, &e, &ev);
	if (rc != X86EMUL_CONTINUE)
		return rc;
	gv = reg_read(st, g.reg, size, g.hibyte_ok);
	sum = alu(ALU_ADD, ev, gv, size, &st->rflags);
	/* Source gets the old destination first, so xadd r,r sums. */
	reg_write(st, g.reg, size, g.hibyte_ok, ev);
	return op_store(ctx, st, &e, sum);
}

/* BT, BTS, BTR, BTC (0F A3/AB/B3/BB and 0F BA /4-/7). */
static int em_bt(struct x86_emul *ctx, struct em_state *st, unsigned int kind)
{
	const struct x86_insn *in = &ctx->insn;
	unsigned int size = in->op_bytes;
	struct em_op e, g;
	u64 off, val, bit;
	int rc;

	op_rm(ctx, &e, size);
	if (in->opmap == 1 && in->opcode == 0xba) {
		off = in->imm;
	} else {
		op_reg(ctx, &g, size);
		off = reg_read(st, g.reg, size, false);
	}
	/* Memory forms already selected the word holding the bit. */
	bit = 1ULL << (off & (size * 8 - 1));

	rc = op_load(ctx, st, &e, &val);
	if (rc != X86EMUL_CONTINUE)
		return rc;
	/* Only CF is defined; the other arithmetic flags are left alone. */
	st->rflags = (st->rflags & ~EM_CF) | ((val & bit) ? EM_CF : 0);
	switch (kind) {
	case 1:				/* BTS */
		val |= bit;
		break;
	case 2:				/* BTR */
		val &= ~bit;
		break;
	case 3:				/* BTC */
		val ^= bit;
		break;
	default:			/* BT */
		return X86EMUL_CONTINUE;
	}
	return op_store(ctx, st, &e, val);
}

/* Width of rSP for stack accesses, from the mode (SS.B is not known). */
static unsigned int stack_bytes(const struct x86_emul *ctx)
{
	switch (ctx->mode) {
	case X86EMUL_MODE_PROT64:
		return 8;
	case X86EMUL_MODE_PROT32:
		return 4;
	default:
		return 2;
	}
}

static int em_push(struct x86_emul *ctx, struct em_state *st)
{
	unsigned int size = ctx->insn.op_bytes, ss = stack_bytes(ctx);
	struct em_op e;
	u64 val, sp;
	int rc;

	op_rm(ctx, &e, size);
	rc = op_load(ctx, st, &e, &val);
	if (rc != X86EMUL_CONTINUE)
		return rc;
	sp = (st->gprs[X86_RSP] - size) & size_mask(ss);
	rc = mem_write(ctx, X86_SEG_SS, sp, size, val);
	if (rc != X86EMUL_CONTINUE)
		return rc;
	reg_write(st, X86_RSP, ss, false, sp);
	return X86EMUL_CONTINUE;
}

static int em_pop(struct x86_emul *ctx, struct em_state *st)
{
	unsigned int size = ctx->insn.op_bytes, ss = stack_bytes(ctx);
	struct em_op e;
	u64 val, sp;
	int rc;

	sp = st->gprs[X86_RSP] & size_mask(ss);
	rc = mem_read(ctx, X86_SEG_SS, sp, size, &val);
	if (rc != X86EMUL_CONTINUE)
		return rc;
	/* rSP is updated first: "pop rsp" and "pop [rsp]" depend on it. */
	reg_write(st, X86_RSP, ss, false, sp + size);
	op_rm(ctx, &e, size);
	return op_store(ctx, st, &e, val);
}

/* Add @delta to an address register at the address size. */
static void bump(struct em_state *st, unsigned int nr, unsigned int ad,
		 s64 delta)
{
	reg_write(st, nr, ad, false, st->gprs[nr] + (u64)delta);
}

/*
 * MOVS, CMPS, STOS, LODS, SCAS: one iteration.  Returns X86EMUL_RETRY
 * when a REP form has more iterations to run.
 */
static int em_string(struct x86_emul *ctx, struct em_state *st)
{
	const struct x86_insn *in = &ctx->insn;
	unsigned int size = in->op_bytes, ad = in->ad_bytes;
	u64 amask = size_mask(ad), count = 0, src = 0, dst = 0;
	s64 delta = st->rflags & EM_DF ? -(s64)size : (s64)size;
	u64 si = st->gprs[X86_RSI] & amask, di = st->gprs[X86_RDI] & amask;
	int seg = in->seg_override >= 0 ? in->seg_override : X86_SEG_DS;
	int rc = X86EMUL_CONTINUE;

	if (in->rep) {
		count = st->gprs[X86_RCX] & amask;
		if (!count)
			return X86EMUL_CONTINUE;
	}

	switch (in->opcode) {
	case 0xa4: case 0xa5:			/* MOVS */
		rc = mem_read(ctx, seg, si, size, &src);
		if (rc == X86EMUL_CONTINUE)
			rc = mem_write(ctx, X86_SEG_ES, di, size, src);
		break;
	case 0xa6: case 0xa7:			/* CMPS: [rSI] - ES:[rDI] */
		rc = mem_read(ctx, seg, si, size, &src);
		if (rc == X86EMUL_CONTINUE)
			rc = mem_read(ctx, X86_SEG_ES, di, size, &dst);
		if (rc == X86EMUL_CONTINUE)
			alu(ALU_CMP, src, dst, size, &st->rflags);
		break;
	case 0xaa: case 0xab:			/* STOS */
		rc = mem_write(ctx, X86_SEG_ES, di, size,
			       st->gprs[X86_RAX]);
		break;
	case 0xac: case 0xad:			/* LODS */
		rc = mem_read(ctx, seg, si, size, &src);
		if (rc == X86EMUL_CONTINUE)
			reg_write(st, X86_RAX, size, false, src);
		break;
	default:				/* SCAS: rAX - ES:[rDI] */
		rc = mem_read(ctx, X86_SEG_ES, di, size, &dst);
		if (rc == X86EMUL_CONTINUE)
			alu(ALU_CMP, st->gprs[X86_RAX], dst, size,
			    &st->rflags);
		break;
	}
	if (rc != X86EMUL_CONTINUE)
		return rc;

	/* STOS and SCAS use only rDI, LODS only rSI. */
	if ((in->opcode & 0xfe) != 0xaa && (in->opcode & 0xfe) != 0xae)
		bump(st, X86_RSI, ad, delta);
	if ((in->opcode & 0xfe) != 0xac)
		bump(st, X86_RDI, ad, delta);

	if (!in->rep)
		return X86EMUL_CONTINUE;
	reg_write(st, X86_RCX, ad, false, count - 1);
	if (count == 1)
		return X86EMUL_CONTINUE;
	/* CMPS/SCAS: REPE stops on a mismatch, REPNE on a match. */
	if ((in->opcode & 0xfe) == 0xa6 || (in->opcode & 0xfe) == 0xae) {
		bool zf = st->rflags & EM_ZF, repe = in->rep == 0xf3;

		if (zf != repe)
			return X86EMUL_CONTINUE;
	}
	return X86EMUL_RETRY;
}

static int exec_twobyte(struct x86_emul *ctx, struct em_state *st)
{
	const struct x86_insn *in = &ctx->insn;
	unsigned int size = in->op_bytes;
	struct em_op dst, src;

	switch (in->opcode) {
	case 0xa3:
		return em_bt(ctx, st, 0);
	case 0xab:
		return em_bt(ctx, st, 1);
	case 0xb3:
		return em_bt(ctx, st, 2);
	case 0xbb:
		return em_bt(ctx, st, 3);
	case 0xba:
		return em_bt(ctx, st, ((in->modrm >> 3) & 7) - 4);
	case 0xb0: case 0xb1:
		return em_cmpxchg(ctx, st);
	case 0xc0: case 0xc1:
		return em_xadd(ctx, st);
	case 0xb6: case 0xb7: case 0xbe: case 0xbf:
		op_reg(ctx, &dst, size);
		op_rm(ctx, &src, (in->opcode & 1) ? 2 : 1);
		return em_mov(ctx, st, &dst, &src, in->opcode & 8);
	case 0xc3:				/* MOVNTI */
		op_rm(ctx, &dst, size);
		op_reg(ctx, &src, size);
		return em_mov(ctx, st, &dst, &src, false);
	}
	return X86EMUL_UNHANDLEABLE;
}

static int execute(struct x86_emul *ctx, struct em_state *st)
{
	const struct x86_insn *in = &ctx->insn;
	unsigned int size = in->op_bytes, reg = (in->modrm >> 3) & 7;
	unsigned int b = in->opcode;
	struct em_op dst, src;

	if (in->opmap == 1)
		return exec_twobyte(ctx, st);

	if (b < 0x40) {			/* ADD ... CMP, six forms each */
		switch (b & 7) {
		case 0: case 1:
			op_rm(ctx, &dst, size);
			op_reg(ctx, &src, size);
			break;
		case 2: case 3:
			op_reg(ctx, &dst, size);
			op_rm(ctx, &src, size);
			break;
		default:
			op_gpr(&dst, X86_RAX, size);
			return em_alu(ctx, st, b >> 3, &dst, NULL, in->imm);
		}
		return em_alu(ctx, st, b >> 3, &dst, &src, 0);
	}

	switch (b) {
	case 0x63:			/* MOVSXD */
		op_reg(ctx, &dst, size);
		op_rm(ctx, &src, size == 8 ? 4 : size);
		return em_mov(ctx, st, &dst, &src, true);
	case 0x80: case 0x81: case 0x82: case 0x83:
		op_rm(ctx, &dst, size);
		return em_alu(ctx, st, reg, &dst, NULL, in->imm);
	case 0x84: case 0x85:
		op_rm(ctx, &dst, size);
		op_reg(ctx, &src, size);
		return em_alu(ctx, st, ALU_TEST, &dst, &src, 0);
	case 0x86: case 0x87:
		return em_xchg(ctx, st);
	case 0x88: case 0x89:
		op_rm(ctx, &dst, size);
		op_reg(ctx, &src, size);
		return em_mov(ctx, st, &dst, &src, false);
	case 0x8a: case 0x8b:
		op_reg(ctx, &dst, size);
		op_rm(ctx, &src, size);
		return em_mov(ctx, st, &dst, &src, false);
	case 0x8f:
		return em_pop(ctx, st);
	case 0xa0: case 0xa1:
		op_gpr(&dst, X86_RAX, size);
		op_rm(ctx, &src, size);		/* in->ea is the offset */
		return em_mov(ctx, st, &dst, &src, false);
	case 0xa2: case 0xa3:
		op_rm(ctx, &dst, size);
		op_gpr(&src, X86_RAX, size);
		return em_mov(ctx, st, &dst, &src, false);
	case 0xa8: case 0xa9:
		op_gpr(&dst, X86_RAX, size);
		return em_alu(ctx, st, ALU_TEST, &dst, NULL, in->imm);
	case 0xc6: case 0xc7:
		op_rm(ctx, &dst, size);
		return op_store(ctx, st, &dst, in->imm);
	case 0xf6: case 0xf7:
		op_rm(ctx, &dst, size);
		if (reg <= 1)
			return em_alu(ctx, st, ALU_TEST, &dst, NULL, in->imm);
		return em_alu(ctx, st, reg == 2 ? ALU_NOT : ALU_NEG,
			      &dst, NULL, 0);
	case 0xfe: case 0xff:
		if (reg == 6)
			return em_push(ctx, st);
		op_rm(ctx, &dst, size);
		return em_alu(ctx, st, reg ? ALU_DEC : ALU_INC, &dst, NULL, 0);
	}
	if (b >= 0xa4 && b <= 0xaf)
		return em_string(ctx, st);
	return X86EMUL_UNHANDLEABLE;
}

int x86_emulate(struct x86_emul *ctx)
{
	struct em_state st;
	u64 rip;
	int rc;

	if (x86_decode(ctx))
		return X86EMUL_UNHANDLEABLE;

	memcpy(st.gprs, ctx->gprs, sizeof(st.gprs));
	st.rflags = ctx->rflags;

	rc = execute(ctx, &st);
	if (rc != X86EMUL_CONTINUE && rc != X86EMUL_RETRY)
		return rc;

	memcpy(ctx->gprs, st.gprs, sizeof(ctx->gprs));
	ctx->rflags = st.rflags;
	if (rc == X86EMUL_CONTINUE) {
		/* IP wraps at the code segment's width. */
		rip = ctx->rip + ctx->insn.len;
		if (ctx->mode == X86EMUL_MODE_PROT32)
			rip = (u32)rip;
		else if (!is_64bit(ctx))
			rip = (u16)rip;
		ctx->rip = rip;
	}
	return rc;
}
