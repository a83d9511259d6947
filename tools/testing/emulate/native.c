// SPDX-License-Identifier: GPL-2.0-only
/*
 * Native oracle: run an instruction on the host CPU and through the
 * emulator from the same starting state, and compare registers, RFLAGS
 * (minus the flags the ISA leaves undefined) and memory.
 *
 * The instruction is copied between native.S's prologue and epilogue in
 * an executable page.  Its memory operands point into a buffer mapped
 * below 2 GiB (so 32-bit addressing and RIP-relative forms reach it);
 * the emulator sees the same linear addresses through a fake-machine
 * region backed by a private copy of that buffer.  The emulator's RIP is
 * the instruction's real address, so RIP-relative forms agree too.
 * Only 64-bit mode can be checked this way.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "emutest.h"

#define EM_ARITH	0x8d5ULL	/* CF PF AF ZF SF OF */
#define EM_AF		0x10ULL
#define EM_DF		0x400ULL
#define DATA_SIZE	2048
#define DATA_MID	1024

struct nstate {
	u64 gprs[16];
	u64 rflags;
};

extern const u8 native_pre_start[], native_pre_end[];
extern const u8 native_post_start[], native_post_end[];

static u8 *code;		/* executable page */
static u8 *ndata;		/* native operand buffer, below 2 GiB */
static u8 edata[DATA_SIZE];	/* the emulator's copy */
static u8 idata[DATA_SIZE];	/* initial contents */
static unsigned int pre_len;
static sigjmp_buf fault_jmp;
static volatile int fault_sig;
static unsigned int nr_reported;

/* ------------------------------------------------------------------ */
/* Random numbers: xorshift64*, seeded from EMUTEST_SEED or a constant */

static u64 rng_state;

static u64 rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static unsigned int rnd_below(unsigned int n)
{
	return (unsigned int)(rnd() % n);
}

/* Operand values biased towards carry, overflow and parity edges. */
static u64 rnd_val(void)
{
	unsigned int sh = rnd_below(64);

	switch (rnd_below(10)) {
	case 0:
		return 0;
	case 1:
		return ~0ULL;
	case 2:
		return 1ULL << sh;
	case 3:
		return (1ULL << sh) - 1;
	case 4:
		return ~((1ULL << sh) - 1);
	case 5:
		return rnd() & 0xff;
	case 6:
		return (rnd() & 0xf) | ((u64)rnd_below(2) << 7) |
		       ((u64)rnd_below(2) << 15) | ((u64)rnd_below(2) << 31) |
		       ((u64)rnd_below(2) << 63);
	default:
		return rnd();
	}
}

/* ------------------------------------------------------------------ */
/* Running one instruction natively and emulated                       */

static void on_fault(int sig)
{
	fault_sig = sig;
	siglongjmp(fault_jmp, 1);
}

static bool native_setup(void)
{
	static bool done, ok;
	struct sigaction sa;

	if (done)
		return ok;
	done = true;

	rng_state = 0x9e3779b97f4a7c15ULL;
	if (getenv("EMUTEST_SEED"))
		rng_state = strtoull(getenv("EMUTEST_SEED"), NULL, 0) | 1;
	diag("native oracle seed %#llx", (unsigned long long)rng_state);

	code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	ndata = mmap(NULL, DATA_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (code == MAP_FAILED || ndata == MAP_FAILED) {
		diag("mmap failed: no native oracle");
		return false;
	}
	pre_len = (unsigned int)(native_pre_end - native_pre_start);
	memcpy(code, native_pre_start, pre_len);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fault;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	ok = true;
	return ok;
}

/* One test instruction with its starting state. */
struct ncase {
	u8 bytes[24];		/* generated; longer than 15 is rejected */
	unsigned int len;
	struct nstate st;
	u64 undef;		/* RFLAGS bits the ISA leaves undefined */
};

static bool run_native(const struct ncase *c, struct nstate *out)
{
	void (*fn)(struct nstate *);
	unsigned int post_len = (unsigned int)(native_post_end -
					       native_post_start);

	memcpy(code + pre_len, c->bytes, c->len);
	memcpy(code + pre_len + c->len, native_post_start, post_len);
	__builtin___clear_cache((char *)code, (char *)code + 4096);
	*out = c->st;
	fn = (void (*)(struct nstate *))(void *)code;
	fault_sig = 0;
	if (sigsetjmp(fault_jmp, 1)) {
		asm volatile("cld");
		return false;
	}
	fn(out);
	return true;
}

static void dump(const char *what, const struct ncase *c)
{
	char hex[64];
	unsigned int i, n = 0;

	for (i = 0; i < c->len; i++)
		n += (unsigned int)snprintf(hex + n, sizeof(hex) - n, "%02x ",
					    c->bytes[i]);
	diag("%s: [%s] rflags %#llx", what, hex,
	     (unsigned long long)c->st.rflags);
}

static const char *const gpr_names[16] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};

/*
 * Run @c both ways and compare.  Reports (a bounded number of) failures
 * with diagnostics.
 */
static bool compare_one(const struct ncase *c)
{
	struct nstate nat;
	struct x86_emul ctx;
	struct fake f;
	unsigned int i, iters = 0;
	bool ok = true;
	int rc;

	memcpy(ndata, idata, DATA_SIZE);
	memcpy(edata, idata, DATA_SIZE);

	if (!run_native(c, &nat)) {
		if (nr_reported++ < 10)
			dump("generated instruction faulted natively", c);
		return false;
	}

	fake_init(&f);
	f.regions[0].base = (u64)(unsigned long)ndata;
	f.regions[0].size = DATA_SIZE;
	f.regions[0].data = edata;
	f.nregions = 1;
	f.strict = true;
	ctx_init(&ctx, &f, X86EMUL_MODE_PROT64);
	memcpy(ctx.gprs, c->st.gprs, sizeof(ctx.gprs));
	ctx.rflags = c->st.rflags;
	ctx.rip = (u64)(unsigned long)(code + pre_len);
	/* The caller fetches 15 bytes: the epilogue follows. */
	memcpy(ctx.bytes, code + pre_len, 15);
	ctx.nr_bytes = 15;

	do {
		fake_rearm(&f);
		rc = x86_emulate(&ctx);
	} while (rc == X86EMUL_RETRY && ++iters < 100);

	if (rc != X86EMUL_CONTINUE || f.bad) {
		if (nr_reported++ < 10) {
			dump("emulator failed", c);
			diag("  rc %d, %u bad accesses", rc, f.bad);
		}
		return false;
	}
	if (ctx.insn.len != c->len ||
	    ctx.rip != (u64)(unsigned long)(code + pre_len + c->len)) {
		ok = false;
		if (nr_reported < 10)
			diag("  len %u, expected %u", ctx.insn.len, c->len);
	}
	for (i = 0; i < 16; i++) {
		if (i == X86_RSP)
			continue;
		if (ctx.gprs[i] != nat.gprs[i]) {
			ok = false;
			if (nr_reported < 10)
				diag("  %s: emulated %#llx, native %#llx (was %#llx)",
				     gpr_names[i],
				     (unsigned long long)ctx.gprs[i],
				     (unsigned long long)nat.gprs[i],
				     (unsigned long long)c->st.gprs[i]);
		}
	}
	if ((ctx.rflags ^ nat.rflags) & (EM_ARITH | EM_DF) & ~c->undef) {
		ok = false;
		if (nr_reported < 10)
			diag("  rflags: emulated %#llx, native %#llx",
			     (unsigned long long)ctx.rflags,
			     (unsigned long long)nat.rflags);
	}
	if (memcmp(edata, ndata, DATA_SIZE)) {
		ok = false;
		for (i = 0; i < DATA_SIZE && nr_reported < 10; i++) {
			if (edata[i] != ndata[i]) {
				diag("  memory +%#x: emulated %#x, native %#x",
				     i, edata[i], ndata[i]);
				break;
			}
		}
	}
	if (!ok && nr_reported++ < 10)
		dump("mismatch", c);
	return ok;
}

static void fill_data(void)
{
	unsigned int i;

	for (i = 0; i < DATA_SIZE; i += 8) {
		u64 v = rnd_val();

		memcpy(&idata[i], &v, 8);
	}
}

static u64 data_addr(int off)
{
	return (u64)(unsigned long)ndata + (u64)(s64)off;
}

/* ------------------------------------------------------------------ */
/* ALU flag tests                                                      */

/* op [rdi], al / op al-family forms with every 8-bit operand pair. */
int test_native_alu8(void)
{
	static const struct {
		u8 b[3];
		unsigned int len;
		bool unary, logic;
	} ops[] = {
		{ { 0x00, 0x07 }, 2, false, false },	/* add [rdi],al */
		{ { 0x08, 0x07 }, 2, false, true },	/* or */
		{ { 0x10, 0x07 }, 2, false, false },	/* adc */
		{ { 0x18, 0x07 }, 2, false, false },	/* sbb */
		{ { 0x20, 0x07 }, 2, false, true },	/* and */
		{ { 0x28, 0x07 }, 2, false, false },	/* sub */
		{ { 0x30, 0x07 }, 2, false, true },	/* xor */
		{ { 0x38, 0x07 }, 2, false, false },	/* cmp */
		{ { 0x84, 0x07 }, 2, false, true },	/* test */
		{ { 0x0f, 0xc0, 0x07 }, 3, false, false },	/* xadd */
		{ { 0x0f, 0xb0, 0x07 }, 3, false, false },	/* cmpxchg */
		{ { 0xfe, 0x07 }, 2, true, false },	/* inc */
		{ { 0xfe, 0x0f }, 2, true, false },	/* dec */
		{ { 0xf6, 0x1f }, 2, true, false },	/* neg */
		{ { 0xf6, 0x17 }, 2, true, false },	/* not */
	};
	unsigned int o, a, b, fl, bad = 0;
	struct ncase c;

	if (!native_setup())
		return T_SKIP;
	memset(&c, 0, sizeof(c));
	for (o = 0; o < ARRAY_SIZE(ops); o++) {
		memcpy(c.bytes, ops[o].b, ops[o].len);
		c.len = ops[o].len;
		c.undef = ops[o].logic ? EM_AF : 0;
		for (a = 0; a < 256; a++) {
			for (b = 0; b < (ops[o].unary ? 2u : 256u); b++) {
				for (fl = 0; fl < 2; fl++) {
					unsigned int i;

					for (i = 0; i < 16; i++)
						c.st.gprs[i] = rnd();
					c.st.gprs[X86_RDI] = data_addr(DATA_MID);
					c.st.gprs[X86_RAX] = (rnd() & ~0xffULL) |
							     b;
					/* Other flags random: kept or not. */
					c.st.rflags = 0x2 | fl |
						(rnd() & (EM_ARITH & ~1ULL));
					idata[DATA_MID] = (u8)a;
					bad += !compare_one(&c);
					if (bad > 20)
						return T_FAIL;
				}
			}
		}
	}
	return bad ? T_FAIL : T_PASS;
}

/* 16/32/64-bit ALU forms, memory and register destinations. */
int test_native_alu_wide(void)
{
	static const u8 prefixes[3][2] = { { 0x66 }, { 0 }, { 0x48 } };
	unsigned int n, bad = 0;
	struct ncase c;

	if (!native_setup())
		return T_SKIP;
	for (n = 0; n < 300000; n++) {
		unsigned int sz = rnd_below(3), k = 0, i, form = rnd_below(9);
		unsigned int alu = rnd_below(8), reg = rnd_below(8);
		unsigned int imm = 0;

		if (reg == X86_RSP)
			reg = X86_RCX;
		memset(&c, 0, sizeof(c));
		if (prefixes[sz][0])
			c.bytes[k++] = prefixes[sz][0];
		switch (form) {
		case 0:		/* op [rdi], reg */
		case 1:		/* op reg, [rdi] */
			c.bytes[k++] = (u8)(alu * 8 + 1 + form * 2);
			c.bytes[k++] = (u8)(reg << 3 | 7);
			c.undef = (alu == 1 || alu == 4 || alu == 6) ? EM_AF : 0;
			break;
		case 2:		/* op [rdi], imm */
		case 3:		/* op [rdi], imm8 */
			c.bytes[k++] = form == 2 ? 0x81 : 0x83;
			c.bytes[k++] = (u8)(alu << 3 | 7);
			imm = form == 2 ? (sz ? 4 : 2) : 1;
			c.undef = (alu == 1 || alu == 4 || alu == 6) ? EM_AF : 0;
			break;
		case 4:		/* inc/dec/not/neg [rdi] */
			if (rnd_below(2)) {
				c.bytes[k++] = 0xff;	/* inc, dec */
				c.bytes[k++] = (u8)(rnd_below(2) << 3 | 7);
			} else {
				c.bytes[k++] = 0xf7;	/* not, neg */
				c.bytes[k++] = (u8)((2 + rnd_below(2)) << 3 | 7);
			}
			break;
		case 5:		/* test [rdi], reg */
			c.bytes[k++] = 0x85;
			c.bytes[k++] = (u8)(reg << 3 | 7);
			c.undef = EM_AF;
			break;
		case 6:		/* xadd / cmpxchg [rdi], reg */
			c.bytes[k++] = 0x0f;
			c.bytes[k++] = rnd_below(2) ? 0xc1 : 0xb1;
			c.bytes[k++] = (u8)(reg << 3 | 7);
			break;
		case 7:		/* op reg, reg */
			c.bytes[k++] = (u8)(alu * 8 + 1 + rnd_below(2) * 2);
			c.bytes[k++] = (u8)(0xc0 | reg << 3 | rnd_below(4));
			c.undef = (alu == 1 || alu == 4 || alu == 6) ? EM_AF : 0;
			break;
		default:	/* op rAX, imm */
			c.bytes[k++] = (u8)(alu * 8 + 5);
			imm = sz ? 4 : 2;
			c.undef = (alu == 1 || alu == 4 || alu == 6) ? EM_AF : 0;
			break;
		}
		for (i = 0; i < imm; i++)
			c.bytes[k++] = (u8)rnd();
		c.len = k;
		for (i = 0; i < 16; i++)
			c.st.gprs[i] = rnd_val();
		c.st.gprs[X86_RDI] = data_addr(DATA_MID);
		c.st.rflags = 0x2 | (rnd() & EM_ARITH);
		fill_data();
		bad += !compare_one(&c);
		if (bad > 20)
			break;
	}
	return bad ? T_FAIL : T_PASS;
}

/* ------------------------------------------------------------------ */
/* Random instructions from every supported family                     */

enum { K_MODRM, K_ACC, K_MOFFS, K_STRING };

#define T_BYTE		0x01
#define T_MEMONLY	0x02
#define T_NO66		0x04
#define T_BTREG		0x08	/* register bit offset: keep it small */
#define T_ONLYCF	0x10	/* only CF defined */

struct tmpl {
	u8 map, op, kind;
	u8 imm;			/* 0, 1, 'z' (2/4), 't' (group 3 TEST) */
	u8 regs;		/* allowed ModRM.reg values (bitmask) */
	u8 lockregs;		/* ModRM.reg values that accept LOCK */
	u8 flags;
};

#define ALU_T(o, lk)							\
	{ 0, (o) * 8 + 0, K_MODRM, 0, 0xff, lk, T_BYTE },		\
	{ 0, (o) * 8 + 1, K_MODRM, 0, 0xff, lk, 0 },			\
	{ 0, (o) * 8 + 2, K_MODRM, 0, 0xff, 0, T_BYTE },		\
	{ 0, (o) * 8 + 3, K_MODRM, 0, 0xff, 0, 0 },			\
	{ 0, (o) * 8 + 4, K_ACC, 1, 0, 0, T_BYTE },			\
	{ 0, (o) * 8 + 5, K_ACC, 'z', 0, 0, 0 }

static const struct tmpl tmpls[] = {
	ALU_T(0, 0xff), ALU_T(1, 0xff), ALU_T(2, 0xff), ALU_T(3, 0xff),
	ALU_T(4, 0xff), ALU_T(5, 0xff), ALU_T(6, 0xff), ALU_T(7, 0),
	{ 0, 0x63, K_MODRM, 0, 0xff, 0, 0 },
	{ 0, 0x80, K_MODRM, 1, 0xff, 0x7f, T_BYTE },
	{ 0, 0x81, K_MODRM, 'z', 0xff, 0x7f, 0 },
	{ 0, 0x83, K_MODRM, 1, 0xff, 0x7f, 0 },
	{ 0, 0x84, K_MODRM, 0, 0xff, 0, T_BYTE },
	{ 0, 0x85, K_MODRM, 0, 0xff, 0, 0 },
	{ 0, 0x86, K_MODRM, 0, 0xff, 0xff, T_BYTE },
	{ 0, 0x87, K_MODRM, 0, 0xff, 0xff, 0 },
	{ 0, 0x88, K_MODRM, 0, 0xff, 0, T_BYTE },
	{ 0, 0x89, K_MODRM, 0, 0xff, 0, 0 },
	{ 0, 0x8a, K_MODRM, 0, 0xff, 0, T_BYTE },
	{ 0, 0x8b, K_MODRM, 0, 0xff, 0, 0 },
	{ 0, 0xa0, K_MOFFS, 0, 0, 0, T_BYTE },
	{ 0, 0xa1, K_MOFFS, 0, 0, 0, 0 },
	{ 0, 0xa2, K_MOFFS, 0, 0, 0, T_BYTE },
	{ 0, 0xa3, K_MOFFS, 0, 0, 0, 0 },
	{ 0, 0xa4, K_STRING, 0, 0, 0, T_BYTE },
	{ 0, 0xa5, K_STRING, 0, 0, 0, 0 },
	{ 0, 0xa6, K_STRING, 0, 0, 0, T_BYTE },
	{ 0, 0xa7, K_STRING, 0, 0, 0, 0 },
	{ 0, 0xa8, K_ACC, 1, 0, 0, T_BYTE },
	{ 0, 0xa9, K_ACC, 'z', 0, 0, 0 },
	{ 0, 0xaa, K_STRING, 0, 0, 0, T_BYTE },
	{ 0, 0xab, K_STRING, 0, 0, 0, 0 },
	{ 0, 0xac, K_STRING, 0, 0, 0, T_BYTE },
	{ 0, 0xad, K_STRING, 0, 0, 0, 0 },
	{ 0, 0xae, K_STRING, 0, 0, 0, T_BYTE },
	{ 0, 0xaf, K_STRING, 0, 0, 0, 0 },
	{ 0, 0xc6, K_MODRM, 1, 0x01, 0, T_BYTE },
	{ 0, 0xc7, K_MODRM, 'z', 0x01, 0, 0 },
	{ 0, 0xf6, K_MODRM, 't', 0x0f, 0x0c, T_BYTE },
	{ 0, 0xf7, K_MODRM, 't', 0x0f, 0x0c, 0 },
	{ 0, 0xfe, K_MODRM, 0, 0x03, 0x03, T_BYTE },
	{ 0, 0xff, K_MODRM, 0, 0x03, 0x03, 0 },
	{ 1, 0xa3, K_MODRM, 0, 0xff, 0, T_BTREG | T_ONLYCF },
	{ 1, 0xab, K_MODRM, 0, 0xff, 0xff, T_BTREG | T_ONLYCF },
	{ 1, 0xb3, K_MODRM, 0, 0xff, 0xff, T_BTREG | T_ONLYCF },
	{ 1, 0xbb, K_MODRM, 0, 0xff, 0xff, T_BTREG | T_ONLYCF },
	{ 1, 0xba, K_MODRM, 1, 0xf0, 0xe0, T_ONLYCF },
	{ 1, 0xb0, K_MODRM, 0, 0xff, 0xff, T_BYTE },
	{ 1, 0xb1, K_MODRM, 0, 0xff, 0xff, 0 },
	{ 1, 0xc0, K_MODRM, 0, 0xff, 0xff, T_BYTE },
	{ 1, 0xc1, K_MODRM, 0, 0xff, 0xff, 0 },
	{ 1, 0xb6, K_MODRM, 0, 0xff, 0, 0 },
	{ 1, 0xb7, K_MODRM, 0, 0xff, 0, 0 },
	{ 1, 0xbe, K_MODRM, 0, 0xff, 0, 0 },
	{ 1, 0xbf, K_MODRM, 0, 0xff, 0, 0 },
	{ 1, 0xc3, K_MODRM, 0, 0xff, 0, T_MEMONLY | T_NO66 },
};

static bool is_logic(const struct tmpl *t, unsigned int reg)
{
	unsigned int alu;

	if (t->map)
		return false;
	if (t->op < 0x40) {
		alu = t->op >> 3;
		return alu == 1 || alu == 4 || alu == 6;
	}
	switch (t->op) {
	case 0x80: case 0x81: case 0x83:
		return reg == 1 || reg == 4 || reg == 6;
	case 0x84: case 0x85: case 0xa8: case 0xa9:
		return true;
	case 0xf6: case 0xf7:
		return reg <= 1;
	}
	return false;
}

/*
 * Build one random instruction from @t with a consistent starting
 * state.  Returns false if the combination must be skipped (it would
 * touch rSP, say).
 */
static bool gen(const struct tmpl *t, struct ncase *c)
{
	unsigned int k = 0, i, reg = 0, imm = 0, opsz;
	bool p66 = false, p67 = false, lock = false, mem = true;
	bool ripref = false;
	u8 rex = 0;
	int base = -1, index = -1, disp_at = -1;
	s64 target = 0;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < 16; i++)
		c->st.gprs[i] = rnd_val();
	c->st.rflags = 0x2 | (rnd() & EM_ARITH);

	if (t->kind == K_MODRM) {
		do
			reg = rnd_below(8);
		while (!(t->regs & (1u << reg)));
		mem = (t->flags & T_MEMONLY) || rnd_below(4);
	}

	/* Legacy prefixes, in random order. */
	if (!(t->flags & T_NO66) && rnd_below(3) == 0)
		p66 = true;
	if (mem && t->kind != K_ACC && rnd_below(6) == 0)
		p67 = true;
	if (t->kind == K_MODRM && mem && (t->lockregs & (1u << reg)) &&
	    rnd_below(3) == 0)
		lock = true;
	for (i = 0; i < 4; i++) {
		unsigned int which = rnd_below(5);

		if (which == 0 && p66)
			c->bytes[k++] = 0x66;
		else if (which == 1 && p67)
			c->bytes[k++] = 0x67;
		else if (which == 2 && lock)
			c->bytes[k++] = 0xf0;
		else if (which == 3 && rnd_below(4) == 0)
			c->bytes[k++] = (u8[]){ 0x26, 0x2e, 0x36, 0x3e }[rnd_below(4)];
		else if (which == 4 && t->kind == K_STRING && rnd_below(2))
			c->bytes[k++] = rnd_below(2) ? 0xf3 : 0xf2;
	}
	/* Make sure the chosen prefixes are all present. */
	if (p66 && !memchr(c->bytes, 0x66, k))
		c->bytes[k++] = 0x66;
	if (p67 && !memchr(c->bytes, 0x67, k))
		c->bytes[k++] = 0x67;
	if (lock && !memchr(c->bytes, 0xf0, k))
		c->bytes[k++] = 0xf0;
	if (rnd_below(3))
		rex = (u8)(0x40 | rnd_below(16));
	if (rex)
		c->bytes[k++] = rex;
	if (t->map)
		c->bytes[k++] = 0x0f;
	c->bytes[k++] = t->op;

	opsz = (t->flags & T_BYTE) ? 1 : (rex & 8) ? 8 : p66 ? 2 : 4;

	if (t->kind == K_MODRM) {
		unsigned int g = reg | ((rex & 4u) << 1);
		unsigned int form = rnd_below(5);

		/* A G register operand must not be rSP (AH is fine). */
		if (t->regs == 0xff && g == X86_RSP && (opsz != 1 || rex))
			return false;
		if (!mem) {
			unsigned int rm = rnd_below(8);
			unsigned int e = rm | ((rex & 1u) << 3);

			if (e == X86_RSP && (opsz != 1 || rex))
				return false;
			c->bytes[k++] = (u8)(0xc0 | reg << 3 | rm);
		} else if (form == 4 && !p67) {
			/* RIP-relative, patched once the length is known. */
			c->bytes[k++] = (u8)(reg << 3 | 5);
			disp_at = (int)k;
			k += 4;
			ripref = true;
			target = DATA_MID + (s64)rnd_below(64) - 32;
		} else {
			base = X86_RDI | ((rex & 1) << 3);
			if (form == 3) {
				unsigned int sc = rnd_below(4);

				index = X86_RBX | ((rex & 2) << 2);
				c->bytes[k++] = (u8)(0x44 | reg << 3);
				c->bytes[k++] = (u8)(sc << 6 | 3 << 3 | 7);
				c->bytes[k++] = (u8)(rnd_below(128) - 64);
				c->st.gprs[index] = rnd_below(8) |
					(p67 ? rnd() << 32 : 0);
			} else if (form == 2) {
				u32 d = (u32)(rnd_below(128) - 64);

				c->bytes[k++] = (u8)(0x80 | reg << 3 | 7);
				memcpy(&c->bytes[k], &d, 4);
				k += 4;
			} else if (form == 1) {
				c->bytes[k++] = (u8)(0x40 | reg << 3 | 7);
				c->bytes[k++] = (u8)(rnd_below(128) - 64);
			} else {
				c->bytes[k++] = (u8)(reg << 3 | 7);
			}
			c->st.gprs[base] = data_addr(DATA_MID +
						     (int)rnd_below(64) - 32);
			if (p67)
				c->st.gprs[base] |= rnd() << 32;
		}
		/* A BT bit offset in the address register: far away. */
		if ((t->flags & T_BTREG) && ((int)g == base || (int)g == index))
			return false;
		if ((t->flags & T_BTREG) && mem)
			c->st.gprs[g] = (u64)((s64)rnd_below(2048) - 1024);
		if (t->imm == 1)
			imm = 1;
		else if (t->imm == 'z' || (t->imm == 't' && reg <= 1))
			imm = opsz == 1 ? 1 : opsz == 2 ? 2 : 4;
		if (t->flags & T_ONLYCF)
			c->undef = EM_ARITH & ~1ULL;
		else if (is_logic(t, reg))
			c->undef = 0x10;
	} else if (t->kind == K_ACC) {
		imm = t->imm == 1 ? 1 : opsz == 2 ? 2 : 4;
		if (is_logic(t, 0))
			c->undef = 0x10;
	} else if (t->kind == K_MOFFS) {
		u64 a = data_addr(DATA_MID + (int)rnd_below(64) - 32);
		unsigned int n = p67 ? 4 : 8;

		memcpy(&c->bytes[k], &a, n);
		k += n;
	} else {
		u64 count = rnd_below(7);
		/*
		 * Garbage above a 32-bit address size must be ignored, and
		 * every iteration writes ECX/ESI/EDI zero-extended.  With a
		 * zero count, whether the CPU still clears the upper halves
		 * differs between instructions (seen on Intel); the
		 * emulator leaves them alone, as nothing is executed.
		 */
		u64 hi = p67 && count ? rnd() << 32 : 0;

		c->st.gprs[X86_RSI] = data_addr(512 + (int)rnd_below(64)) | hi;
		c->st.gprs[X86_RDI] = data_addr(1536 + (int)rnd_below(64)) | hi;
		c->st.gprs[X86_RCX] = count | hi;
		if (rnd_below(2))
			c->st.rflags |= EM_DF;
	}
	for (i = 0; i < imm; i++)
		c->bytes[k++] = (u8)rnd();
	if (k > 15)
		return false;
	c->len = k;
	if (ripref) {
		s64 end = (s64)(unsigned long)(code + pre_len + k);
		s32 d = (s32)((s64)data_addr((int)target) - end);

		memcpy(&c->bytes[disp_at], &d, 4);
	}
	return true;
}

int test_native_fuzz(void)
{
	unsigned int n, done = 0, bad = 0;
	struct ncase c;

	if (!native_setup())
		return T_SKIP;
	nr_reported = 0;
	for (n = 0; n < 400000; n++) {
		const struct tmpl *t = &tmpls[rnd_below(ARRAY_SIZE(tmpls))];

		if (t->kind == K_STRING)
			continue;
		if (!gen(t, &c))
			continue;
		fill_data();
		done++;
		bad += !compare_one(&c);
		if (bad > 20)
			break;
	}
	diag("%u random instructions compared, %u mismatches", done, bad);
	return bad ? T_FAIL : T_PASS;
}

int test_native_strings(void)
{
	unsigned int n, done = 0, bad = 0;
	struct ncase c;

	if (!native_setup())
		return T_SKIP;
	nr_reported = 0;
	for (n = 0; n < 100000; n++) {
		const struct tmpl *t = &tmpls[rnd_below(ARRAY_SIZE(tmpls))];

		if (t->kind != K_STRING || !gen(t, &c))
			continue;
		fill_data();
		/* Make CMPS/SCAS runs find equal data some of the time. */
		if (rnd_below(2))
			memcpy(&idata[1536], &idata[512], 128);
		done++;
		bad += !compare_one(&c);
		if (bad > 20)
			break;
	}
	diag("%u string instructions compared, %u mismatches", done, bad);
	return bad ? T_FAIL : T_PASS;
}
