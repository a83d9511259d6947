// SPDX-License-Identifier: GPL-2.0-only
/*
 * Userspace unit test of arch/x86/kvm/emulate.c.
 *
 * The emulator is compiled unchanged against a small shim of kernel
 * headers and driven through a fake machine that logs every memory
 * access and can inject IO_NEEDED and exceptions.  Output is TAP, in the
 * style of kselftest: one test per table case (cases.c), plus grouped
 * tests that re-run every case under truncation, fault injection and so
 * on, plus comparisons against the host CPU (native.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <limits.h>

#include "emutest.h"

/* ------------------------------------------------------------------ */
/* Fake machine                                                        */

static struct fake *to_fake(struct x86_emul *ctx)
{
	return ctx->opaque;
}

/* Bytes nobody wrote read as a pattern derived from the address. */
static u8 pattern(u64 la)
{
	return (u8)((la * 0x9d) ^ (la >> 8) ^ 0x5a);
}

static u8 *region_byte(struct fake *f, u64 la)
{
	unsigned int i;

	for (i = 0; i < f->nregions; i++) {
		struct region *r = &f->regions[i];

		if (la - r->base < r->size)
			return &r->data[la - r->base];
	}
	return NULL;
}

static u8 mem_get(struct fake *f, u64 la)
{
	unsigned int i;
	u8 *p = region_byte(f, la);

	if (p)
		return *p;
	if (f->strict)
		f->bad++;
	for (i = 0; i < f->nmem; i++)
		if (f->mem[i].la == la)
			return f->mem[i].val;
	return pattern(la);
}

static void mem_set(struct fake *f, u64 la, u8 val)
{
	unsigned int i;
	u8 *p = region_byte(f, la);

	if (p) {
		*p = val;
		return;
	}
	if (f->strict)
		f->bad++;
	for (i = 0; i < f->nmem; i++) {
		if (f->mem[i].la == la) {
			f->mem[i].val = val;
			return;
		}
	}
	if (f->nmem < FAKE_MAX_MEM) {
		f->mem[f->nmem].la = la;
		f->mem[f->nmem].val = val;
		f->nmem++;
	} else {
		f->bad++;
	}
}

void fake_poke(struct fake *f, u64 la, u64 val, unsigned int size)
{
	unsigned int i;

	for (i = 0; i < size; i++)
		mem_set(f, la + i, (u8)(val >> (8 * i)));
}

u64 fake_peek(struct fake *f, u64 la, unsigned int size)
{
	unsigned int i;
	u64 v = 0;

	for (i = 0; i < size; i++)
		v |= (u64)mem_get(f, la + i) << (8 * i);
	return v;
}

static void log_access(struct fake *f, char kind, u64 la, unsigned int size,
		       const u8 *bytes)
{
	struct access *a;
	unsigned int i;

	if (f->nlog >= FAKE_MAX_LOG) {
		f->bad++;
		return;
	}
	a = &f->log[f->nlog++];
	a->kind = kind;
	a->la = la;
	a->size = size;
	a->val = 0;
	for (i = 0; i < size && i < 8; i++)
		a->val |= (u64)bytes[i] << (8 * i);
}

static u64 fake_seg_base(struct x86_emul *ctx, enum x86_seg seg)
{
	struct fake *f = to_fake(ctx);

	f->seg_calls[seg]++;
	return f->seg_base[seg];
}

static int fake_read(struct x86_emul *ctx, u64 la, void *val,
		     unsigned int size)
{
	struct fake *f = to_fake(ctx);
	unsigned int i, n = ++f->nreads;
	u8 *p = val;

	if (size < 1 || size > 8)
		f->bad++;
	if (n == f->io_on_read)
		return X86EMUL_IO_NEEDED;
	if (n == f->exc_on_read)
		return X86EMUL_EXCEPTION;
	for (i = 0; i < size; i++)
		p[i] = mem_get(f, la + i);
	log_access(f, 'r', la, size, p);
	return X86EMUL_CONTINUE;
}

static int fake_write(struct x86_emul *ctx, u64 la, const void *val,
		      unsigned int size)
{
	struct fake *f = to_fake(ctx);
	unsigned int i, n = ++f->nwrites;
	const u8 *p = val;

	if (size < 1 || size > 8)
		f->bad++;
	if (n == f->exc_on_write)
		return X86EMUL_EXCEPTION;
	log_access(f, 'w', la, size, p);
	for (i = 0; i < size; i++)
		mem_set(f, la + i, p[i]);
	return X86EMUL_CONTINUE;
}

const struct x86_emul_ops fake_ops = {
	.seg_base = fake_seg_base,
	.read_mem = fake_read,
	.write_mem = fake_write,
};

void fake_init(struct fake *f)
{
	memset(f, 0, sizeof(*f));
	/* Distinct bases, so a wrong segment shows in the address. */
	f->seg_base[X86_SEG_ES] = 0x10000;
	f->seg_base[X86_SEG_CS] = 0x20000;
	f->seg_base[X86_SEG_SS] = 0x30000;
	f->seg_base[X86_SEG_DS] = 0x40000;
	f->seg_base[X86_SEG_FS] = 0x50000;
	f->seg_base[X86_SEG_GS] = 0x60000;
}

/* Reset only the per-run parts (log, counters, injection). */
void fake_rearm(struct fake *f)
{
	memset(f->seg_calls, 0, sizeof(f->seg_calls));
	f->nlog = 0;
	f->nreads = 0;
	f->nwrites = 0;
	f->io_on_read = 0;
	f->exc_on_read = 0;
	f->exc_on_write = 0;
}

void ctx_init(struct x86_emul *ctx, struct fake *f, enum x86_emul_mode mode)
{
	unsigned int i;

	memset(ctx, 0, sizeof(*ctx));
	ctx->ops = &fake_ops;
	ctx->opaque = f;
	ctx->mode = mode;
	for (i = 0; i < X86_NR_GPRS; i++)
		ctx->gprs[i] = 0x0123456789abcdefULL ^
			       (0x1111111111111111ULL * (i + 1));
	ctx->rip = mode == X86EMUL_MODE_PROT64 ? 0x400000 :
		   mode == X86EMUL_MODE_PROT32 ? 0x401000 : 0x100;
	ctx->rflags = 0x2;
}

/* ------------------------------------------------------------------ */
/* TAP                                                                 */

void diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

/* ------------------------------------------------------------------ */
/* Table cases                                                         */

static const char *const reg_names[X86_NR_GPRS] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};

static const char *const seg_names[6] = { "es", "cs", "ss", "ds", "fs", "gs" };

static const char *const rc_names[] = {
	[X86EMUL_CONTINUE] = "cont",
	[X86EMUL_IO_NEEDED] = "io",
	[X86EMUL_UNHANDLEABLE] = "unh",
	[X86EMUL_EXCEPTION] = "exc",
	[X86EMUL_RETRY] = "retry",
};

static const char *rc_name(int rc)
{
	if (rc >= 0 && rc < (int)ARRAY_SIZE(rc_names))
		return rc_names[rc];
	return "?";
}

static int lookup(const char *const *names, unsigned int n, const char *s,
		  size_t len)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (strlen(names[i]) == len && !strncmp(names[i], s, len))
			return (int)i;
	return -1;
}

static unsigned int parse_hex_bytes(const char *s, u8 *out)
{
	unsigned int n = 0;

	while (*s) {
		char *end;
		unsigned long v;

		if (*s == ' ') {
			s++;
			continue;
		}
		v = strtoul(s, &end, 16);
		if (end != s + 2 || n >= 15) {
			diag("bad byte string at '%s'", s);
			return 0;
		}
		out[n++] = (u8)v;
		s = end;
	}
	return n;
}

#define UNCHECKED LLONG_MIN

/* What a case expects, parsed from its expect string. */
struct expect {
	int rc;
	int len;
	bool has_ea, has_rip, has_fl;
	u64 ea, rip, fl;
	int op, ad, seg;
	/* Decoded fields, UNCHECKED when not named. */
	long long imm, imm_bytes, rex, rep, opc, map, modrm, mem, lock;
	bool set_reg[X86_NR_GPRS];
	u64 reg[X86_NR_GPRS];
	struct access acc[FAKE_MAX_LOG];
	bool acc_has_val[FAKE_MAX_LOG];
	unsigned int nacc;
};

/* Split "name=value" or "kN@addr[=value]"; returns false if malformed. */
static bool next_token(const char **sp, char *tok, size_t toklen)
{
	const char *s = *sp;
	size_t n = 0;

	while (*s == ' ')
		s++;
	if (!*s)
		return false;
	while (*s && *s != ' ' && n + 1 < toklen)
		tok[n++] = *s++;
	tok[n] = 0;
	*sp = s;
	return true;
}

static bool parse_num(const char *s, u64 *v)
{
	char *end;

	*v = strtoull(s, &end, 0);
	return end != s && !*end;
}

/* Access tokens: r4@0x1000, w2@0x10=0xbeef, r1@0x20=7 */
static bool parse_access(const char *tok, struct access *a, bool *has_val)
{
	char *end;
	const char *eq;

	a->kind = tok[0];
	a->size = (unsigned int)strtoul(tok + 1, &end, 10);
	if (*end != '@')
		return false;
	a->la = strtoull(end + 1, &end, 0);
	eq = end;
	*has_val = false;
	a->val = 0;
	if (*eq == '=') {
		*has_val = true;
		return parse_num(eq + 1, &a->val);
	}
	return !*eq;
}

static bool parse_setup(const struct tcase *tc, struct x86_emul *ctx,
			struct fake *f)
{
	const char *s = tc->setup ? tc->setup : "";
	char tok[96];

	while (next_token(&s, tok, sizeof(tok))) {
		char *eq = strchr(tok, '=');
		size_t nl;
		u64 v;
		int i;

		if (tok[0] == 'm' && strchr(tok, '@')) {
			struct access a;
			bool hv;

			if (!parse_access(tok, &a, &hv) || !hv)
				goto bad;
			fake_poke(f, a.la, a.val, a.size);
			continue;
		}
		if (!eq || !parse_num(eq + 1, &v))
			goto bad;
		nl = (size_t)(eq - tok);
		i = lookup(reg_names, X86_NR_GPRS, tok, nl);
		if (i >= 0) {
			ctx->gprs[i] = v;
			continue;
		}
		i = lookup(seg_names, 6, tok, nl);
		if (i >= 0) {
			f->seg_base[i] = v;
			continue;
		}
		if (nl == 3 && !strncmp(tok, "rip", 3))
			ctx->rip = v;
		else if (nl == 2 && !strncmp(tok, "fl", 2))
			ctx->rflags = v;
		else if (nl == 2 && !strncmp(tok, "nr", 2))
			ctx->nr_bytes = (u8)v;
		else
			goto bad;
	}
	return true;
bad:
	diag("%s: bad setup token '%s'", tc->name, tok);
	return false;
}

/* Tokens naming struct x86_insn fields: imm= immb= rex= rep= ... */
static bool decode_field(struct expect *e, const char *tok, size_t nl, u64 v)
{
	static const struct {
		const char *name;
		size_t off;
	} f[] = {
		{ "imm", offsetof(struct expect, imm) },
		{ "immb", offsetof(struct expect, imm_bytes) },
		{ "rex", offsetof(struct expect, rex) },
		{ "rep", offsetof(struct expect, rep) },
		{ "opc", offsetof(struct expect, opc) },
		{ "map", offsetof(struct expect, map) },
		{ "modrm", offsetof(struct expect, modrm) },
		{ "mem", offsetof(struct expect, mem) },
		{ "lock", offsetof(struct expect, lock) },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(f); i++) {
		if (strlen(f[i].name) == nl && !strncmp(f[i].name, tok, nl)) {
			*(long long *)((char *)e + f[i].off) = (long long)v;
			return true;
		}
	}
	return false;
}

static bool parse_expect(const struct tcase *tc, struct expect *e,
			 unsigned int nbytes)
{
	const char *s = tc->expect ? tc->expect : "";
	char tok[96];

	memset(e, 0, sizeof(*e));
	e->rc = X86EMUL_CONTINUE;
	e->len = (int)nbytes;
	e->op = e->ad = e->seg = -1;
	e->imm = e->imm_bytes = e->rex = e->rep = e->opc = e->map = UNCHECKED;
	e->modrm = e->mem = e->lock = UNCHECKED;

	while (next_token(&s, tok, sizeof(tok))) {
		char *eq = strchr(tok, '=');
		size_t nl;
		u64 v;
		int i;

		if ((tok[0] == 'r' || tok[0] == 'w') && strchr(tok, '@')) {
			if (e->nacc >= FAKE_MAX_LOG ||
			    !parse_access(tok, &e->acc[e->nacc],
					  &e->acc_has_val[e->nacc]))
				goto bad;
			e->nacc++;
			continue;
		}
		if (!eq)
			goto bad;
		nl = (size_t)(eq - tok);
		if (nl == 2 && !strncmp(tok, "rc", 2)) {
			i = lookup(rc_names, ARRAY_SIZE(rc_names), eq + 1,
				   strlen(eq + 1));
			if (i < 0)
				goto bad;
			e->rc = i;
			continue;
		}
		if (nl == 3 && !strncmp(tok, "seg", 3)) {
			e->seg = lookup(seg_names, 6, eq + 1, strlen(eq + 1));
			if (e->seg < 0)
				goto bad;
			continue;
		}
		if (!parse_num(eq + 1, &v))
			goto bad;
		i = lookup(reg_names, X86_NR_GPRS, tok, nl);
		if (i >= 0) {
			e->set_reg[i] = true;
			e->reg[i] = v;
		} else if (nl == 3 && !strncmp(tok, "len", 3)) {
			e->len = (int)v;
		} else if (nl == 2 && !strncmp(tok, "ea", 2)) {
			e->has_ea = true;
			e->ea = v;
		} else if (nl == 3 && !strncmp(tok, "rip", 3)) {
			e->has_rip = true;
			e->rip = v;
		} else if (nl == 2 && !strncmp(tok, "fl", 2)) {
			e->has_fl = true;
			e->fl = v;
		} else if (nl == 2 && !strncmp(tok, "op", 2)) {
			e->op = (int)v;
		} else if (nl == 2 && !strncmp(tok, "ad", 2)) {
			e->ad = (int)v;
		} else if (!decode_field(e, tok, nl, v)) {
			goto bad;
		}
	}
	return true;
bad:
	diag("%s: bad expect token '%s'", tc->name, tok);
	return false;
}

/* A prepared case: context and fake machine ready to run. */
struct prepared {
	struct x86_emul ctx;
	struct fake f;
	struct expect e;
	unsigned int nbytes;
	/* State before the run. */
	u64 gprs[X86_NR_GPRS];
	u64 rip, rflags;
};

static bool prepare(const struct tcase *tc, struct prepared *p)
{
	fake_init(&p->f);
	ctx_init(&p->ctx, &p->f, tc->mode);
	p->nbytes = parse_hex_bytes(tc->bytes, p->ctx.bytes);
	if (!p->nbytes)
		return false;
	p->ctx.nr_bytes = (u8)p->nbytes;
	if (!parse_setup(tc, &p->ctx, &p->f))
		return false;
	if (!parse_expect(tc, &p->e, p->nbytes))
		return false;
	memcpy(p->gprs, p->ctx.gprs, sizeof(p->gprs));
	p->rip = p->ctx.rip;
	p->rflags = p->ctx.rflags;
	return true;
}

/* Put the machine state back as it was before the run. */
static void restore(struct prepared *p)
{
	memcpy(p->ctx.gprs, p->gprs, sizeof(p->gprs));
	p->ctx.rip = p->rip;
	p->ctx.rflags = p->rflags;
	fake_rearm(&p->f);
}

static bool state_unchanged(const char *name, const struct prepared *p)
{
	unsigned int i;
	bool ok = true;

	for (i = 0; i < X86_NR_GPRS; i++) {
		if (p->ctx.gprs[i] != p->gprs[i]) {
			diag("%s: %s changed: %#llx -> %#llx", name,
			     reg_names[i], (unsigned long long)p->gprs[i],
			     (unsigned long long)p->ctx.gprs[i]);
			ok = false;
		}
	}
	if (p->ctx.rip != p->rip || p->ctx.rflags != p->rflags) {
		diag("%s: rip/rflags changed", name);
		ok = false;
	}
	return ok;
}

static u64 next_rip(const struct prepared *p, u64 len)
{
	u64 rip = p->rip + len;

	switch (p->ctx.mode) {
	case X86EMUL_MODE_PROT64:
		return rip;
	case X86EMUL_MODE_PROT32:
		return (u32)rip;
	default:
		return (u16)rip;
	}
}

static bool check_field(const char *name, const char *field, long long want,
			long long got)
{
	if (want == UNCHECKED || want == got)
		return true;
	diag("%s: %s %#llx, expected %#llx", name, field, got, want);
	return false;
}

/* Compare the outcome of one run with the case's expectation. */
static bool check(const char *name, struct prepared *p, int rc)
{
	const struct expect *e = &p->e;
	const struct x86_insn *in = &p->ctx.insn;
	bool ok = true, done = rc == X86EMUL_CONTINUE || rc == X86EMUL_RETRY;
	unsigned int i;
	u64 want;

	if (rc != e->rc) {
		diag("%s: rc %s, expected %s", name, rc_name(rc),
		     rc_name(e->rc));
		return false;
	}
	if (p->f.bad) {
		diag("%s: fake machine saw %u bad accesses", name, p->f.bad);
		ok = false;
	}
	if (done && in->len != e->len) {
		diag("%s: len %u, expected %d", name, in->len, e->len);
		ok = false;
	}
	if (e->has_ea && in->ea != e->ea) {
		diag("%s: ea %#llx, expected %#llx", name,
		     (unsigned long long)in->ea, (unsigned long long)e->ea);
		ok = false;
	}
	if (e->op >= 0 && in->op_bytes != e->op) {
		diag("%s: op_bytes %u, expected %d", name, in->op_bytes, e->op);
		ok = false;
	}
	if (e->ad >= 0 && in->ad_bytes != e->ad) {
		diag("%s: ad_bytes %u, expected %d", name, in->ad_bytes, e->ad);
		ok = false;
	}
	if (e->seg >= 0 && in->seg != e->seg) {
		diag("%s: seg %s, expected %s", name, seg_names[in->seg % 6],
		     seg_names[e->seg]);
		ok = false;
	}
	ok &= check_field(name, "imm", e->imm, (long long)in->imm);
	ok &= check_field(name, "imm_bytes", e->imm_bytes, in->imm_bytes);
	ok &= check_field(name, "rex", e->rex, in->rex);
	ok &= check_field(name, "rep", e->rep, in->rep);
	ok &= check_field(name, "opcode", e->opc, in->opcode);
	ok &= check_field(name, "opmap", e->map, in->opmap);
	ok &= check_field(name, "modrm", e->modrm,
			  in->has_modrm ? in->modrm : -2);
	ok &= check_field(name, "has_mem", e->mem, in->has_mem);
	ok &= check_field(name, "lock", e->lock, in->lock);
	for (i = 0; i < X86_NR_GPRS; i++) {
		want = e->set_reg[i] ? e->reg[i] : p->gprs[i];
		if (p->ctx.gprs[i] != want) {
			diag("%s: %s = %#llx, expected %#llx", name,
			     reg_names[i],
			     (unsigned long long)p->ctx.gprs[i],
			     (unsigned long long)want);
			ok = false;
		}
	}
	want = e->has_rip ? e->rip :
	       rc == X86EMUL_CONTINUE ? next_rip(p, (u64)e->len) : p->rip;
	if (p->ctx.rip != want) {
		diag("%s: rip %#llx, expected %#llx", name,
		     (unsigned long long)p->ctx.rip, (unsigned long long)want);
		ok = false;
	}
	want = e->has_fl ? e->fl : p->rflags;
	if (p->ctx.rflags != want) {
		diag("%s: rflags %#llx, expected %#llx", name,
		     (unsigned long long)p->ctx.rflags,
		     (unsigned long long)want);
		ok = false;
	}
	if (p->f.nlog != e->nacc) {
		diag("%s: %u accesses, expected %u", name, p->f.nlog, e->nacc);
		ok = false;
	}
	for (i = 0; i + 1 < p->f.nlog; i++) {
		if (p->f.log[i].kind == 'w' && p->f.log[i + 1].kind == 'r') {
			diag("%s: read after write", name);
			ok = false;
		}
	}
	for (i = 0; i < p->f.nlog; i++) {
		const struct access *a = &p->f.log[i];
		const struct access *x = i < e->nacc ? &e->acc[i] : NULL;

		if (!x || a->kind != x->kind || a->la != x->la ||
		    a->size != x->size ||
		    (e->acc_has_val[i] && a->val != x->val)) {
			diag("%s: access %u: %c%u@%#llx=%#llx", name, i,
			     a->kind, a->size, (unsigned long long)a->la,
			     (unsigned long long)a->val);
			if (x)
				diag("%s:   expected %c%u@%#llx=%#llx", name,
				     x->kind, x->size,
				     (unsigned long long)x->la,
				     (unsigned long long)x->val);
			ok = false;
		}
	}
	return ok;
}

bool run_case(const struct tcase *tc)
{
	struct prepared p;
	int rc;

	if (!prepare(tc, &p))
		return false;
	rc = x86_emulate(&p.ctx);
	return check(tc->name, &p, rc);
}

/* ------------------------------------------------------------------ */
/* Tests derived from every table case                                 */

static bool completes(const struct expect *e)
{
	return e->rc == X86EMUL_CONTINUE || e->rc == X86EMUL_RETRY;
}

/* Every prefix of a valid encoding is rejected without side effects. */
static bool test_truncation(void)
{
	unsigned int i, n;
	bool ok = true;

	for (i = 0; i < nr_cases; i++) {
		struct prepared p;

		if (!prepare(&cases[i], &p))
			return false;
		if (!completes(&p.e) || p.ctx.nr_bytes != p.nbytes)
			continue;
		for (n = 0; n < (unsigned int)p.e.len; n++) {
			int rc;

			restore(&p);
			p.ctx.nr_bytes = (u8)n;
			rc = x86_emulate(&p.ctx);
			if (rc != X86EMUL_UNHANDLEABLE || p.f.nlog) {
				diag("%s: truncated to %u: rc %s, %u accesses",
				     cases[i].name, n, rc_name(rc), p.f.nlog);
				ok = false;
			}
			ok &= state_unchanged(cases[i].name, &p);
		}
	}
	return ok;
}

/* Bytes after the instruction, up to 15, do not change the outcome. */
static bool test_trailing_bytes(void)
{
	static const u8 fills[] = { 0x00, 0xff, 0x66, 0x0f, 0x48 };
	unsigned int i, n, k;
	bool ok = true;

	for (i = 0; i < nr_cases; i++) {
		for (k = 0; k < ARRAY_SIZE(fills); k++) {
			for (n = 0; n <= 15; n++) {
				struct prepared p;
				unsigned int j;
				int rc;

				if (!prepare(&cases[i], &p))
					return false;
				if (p.ctx.nr_bytes != p.nbytes || n < p.nbytes)
					continue;
				for (j = p.nbytes; j < 15; j++)
					p.ctx.bytes[j] = fills[k];
				p.ctx.nr_bytes = (u8)n;
				if (!completes(&p.e) && n > p.nbytes)
					continue;	/* may decode now */
				rc = x86_emulate(&p.ctx);
				if (!check(cases[i].name, &p, rc)) {
					diag("%s: with nr_bytes %u, fill %#x",
					     cases[i].name, n, fills[k]);
					ok = false;
				}
			}
		}
	}
	return ok;
}

static unsigned int count_kind_log(const struct fake *f, char kind)
{
	unsigned int i, n = 0;

	for (i = 0; i < f->nlog; i++)
		n += f->log[i].kind == kind;
	return n;
}

static unsigned int count_kind(const struct expect *e, char kind)
{
	unsigned int i, n = 0;

	for (i = 0; i < e->nacc; i++)
		n += e->acc[i].kind == kind;
	return n;
}

/*
 * IO_NEEDED on any read: no state change, no write issued; then the
 * restarted instruction completes normally.
 */
static bool test_io_restart(void)
{
	unsigned int i, j, reads;
	bool ok = true;
	int rc;

	for (i = 0; i < nr_cases; i++) {
		struct prepared p;

		if (!prepare(&cases[i], &p))
			return false;
		if (!completes(&p.e))
			continue;
		reads = count_kind(&p.e, 'r');
		for (j = 1; j <= reads; j++) {
			restore(&p);
			p.f.io_on_read = j;
			rc = x86_emulate(&p.ctx);
			if (rc != X86EMUL_IO_NEEDED ||
			    count_kind_log(&p.f, 'w')) {
				diag("%s: io on read %u: rc %s", cases[i].name,
				     j, rc_name(rc));
				ok = false;
			}
			ok &= state_unchanged(cases[i].name, &p);
			restore(&p);
			rc = x86_emulate(&p.ctx);
			ok &= check(cases[i].name, &p, rc);
		}
	}
	return ok;
}

/* An exception on any read or write leaves the state untouched. */
static bool test_exceptions(void)
{
	unsigned int i, j, reads, writes;
	bool ok = true;
	int rc;

	for (i = 0; i < nr_cases; i++) {
		struct prepared p;

		if (!prepare(&cases[i], &p))
			return false;
		if (!completes(&p.e))
			continue;
		reads = count_kind(&p.e, 'r');
		writes = count_kind(&p.e, 'w');
		for (j = 1; j <= reads + writes; j++) {
			restore(&p);
			if (j <= reads)
				p.f.exc_on_read = j;
			else
				p.f.exc_on_write = j - reads;
			rc = x86_emulate(&p.ctx);
			if (rc != X86EMUL_EXCEPTION ||
			    (j <= reads && count_kind_log(&p.f, 'w'))) {
				diag("%s: exception on access %u: rc %s",
				     cases[i].name, j, rc_name(rc));
				ok = false;
			}
			ok &= state_unchanged(cases[i].name, &p);
		}
	}
	return ok;
}

/* ------------------------------------------------------------------ */
/* REP string instructions, iteration by iteration                     */

static const char *const mode_names[] = {
	"real", "vm86", "prot16", "prot32", "prot64",
};

static u64 merge_reg(u64 old, u64 val, unsigned int size)
{
	switch (size) {
	case 2:
		return (old & ~0xffffULL) | (val & 0xffff);
	case 4:
		return (u32)val;
	default:
		return val;
	}
}

static u64 mask_of(unsigned int size)
{
	return size == 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

static u64 lin(const struct x86_emul *ctx, const struct fake *f, int seg,
	       u64 ea)
{
	if (ctx->mode == X86EMUL_MODE_PROT64)
		return seg >= X86_SEG_FS ? ea + f->seg_base[seg] : ea;
	return (u32)(ea + f->seg_base[seg]);
}

/*
 * Run one REP MOVS/STOS/LODS configuration to completion, checking the
 * state after every iteration against values computed here.
 */
static bool rep_one(enum x86_emul_mode mode, u8 opc, bool p66, bool p67,
		    bool rexw, int seg_ovr, bool df, u64 count)
{
	static const u8 seg_prefix[6] = { 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65 };
	bool m64 = mode == X86EMUL_MODE_PROT64;
	unsigned int defsz = mode == X86EMUL_MODE_PROT32 || m64 ? 4 : 2;
	unsigned int op, ad, n = 0, k;
	struct x86_emul ctx;
	struct fake f;
	u64 rsi0, rdi0, rcx0, rax0, rip0, amask;
	s64 delta;
	char name[96];
	bool ok = true;

	fake_init(&f);
	ctx_init(&ctx, &f, mode);
	ctx.bytes[n++] = 0xf3;
	if (seg_ovr >= 0)
		ctx.bytes[n++] = seg_prefix[seg_ovr];
	if (p67)
		ctx.bytes[n++] = 0x67;
	if (p66)
		ctx.bytes[n++] = 0x66;
	if (rexw)
		ctx.bytes[n++] = 0x48;
	ctx.bytes[n++] = opc;
	ctx.nr_bytes = (u8)n;

	if (!(opc & 1))
		op = 1;
	else if (rexw)
		op = 8;
	else if (m64)
		op = p66 ? 2 : 4;
	else
		op = p66 ? 6 - defsz : defsz;
	ad = m64 ? (p67 ? 4 : 8) : (p67 ? 6 - defsz : defsz);
	amask = mask_of(ad);
	delta = df ? -(s64)op : (s64)op;

	/* Garbage above the address size; rSI wraps at its width. */
	rcx0 = (0xdeadbeefcafe0000ULL & ~amask) | count;
	rsi0 = (0x1234567800000000ULL & ~amask) | ((amask - 1) & amask);
	rdi0 = (0x8765432100000000ULL & ~amask) | 0x10;
	rax0 = 0x1122334455667788ULL;
	ctx.gprs[X86_RCX] = rcx0;
	ctx.gprs[X86_RSI] = rsi0;
	ctx.gprs[X86_RDI] = rdi0;
	ctx.gprs[X86_RAX] = rax0;
	ctx.rflags = 0x2 | (df ? 0x400 : 0);
	rip0 = ctx.rip;

	snprintf(name, sizeof(name), "%s rep %02x%s%s%s seg%d df%d n%llu",
		 mode_names[mode], opc, p66 ? " o16/32" : "",
		 p67 ? " a16/32" : "", rexw ? " rex.w" : "", seg_ovr, df,
		 (unsigned long long)count);

	for (k = 0; k <= count + 1; k++) {
		u64 want_rsi = rsi0, want_rdi = rdi0, want_rax = rax0;
		u64 si = (rsi0 + (u64)delta * k) & amask;
		u64 di = (rdi0 + (u64)delta * k) & amask;
		int src_seg = seg_ovr >= 0 ? seg_ovr : X86_SEG_DS;
		bool last = count == 0 || k + 1 == count;
		int rc, want_rc = last ? X86EMUL_CONTINUE : X86EMUL_RETRY;
		unsigned int i, want_nlog;

		fake_rearm(&f);
		rc = x86_emulate(&ctx);
		if (rc != want_rc) {
			diag("%s: iteration %u rc %s", name, k, rc_name(rc));
			return false;
		}
		if (count) {
			u64 step = (u64)delta * (k + 1);

			if (opc != 0xaa && opc != 0xab)
				want_rsi = merge_reg(rsi0, rsi0 + step, ad);
			if (opc != 0xac && opc != 0xad)
				want_rdi = merge_reg(rdi0, rdi0 + step, ad);
		}
		if (count && (opc == 0xac || opc == 0xad)) {
			u64 v = fake_peek(&f, lin(&ctx, &f, src_seg, si), op);

			want_rax = op == 1 ? (rax0 & ~0xffULL) | v :
					     merge_reg(rax0, v, op);
		}
		if (ctx.gprs[X86_RSI] != want_rsi ||
		    ctx.gprs[X86_RDI] != want_rdi ||
		    ctx.gprs[X86_RAX] != want_rax ||
		    ctx.gprs[X86_RCX] != (count ? merge_reg(rcx0,
				rcx0 - k - 1, ad) : rcx0)) {
			diag("%s: iteration %u: rsi %#llx/%#llx rdi %#llx/%#llx rcx %#llx rax %#llx/%#llx",
			     name, k,
			     (unsigned long long)ctx.gprs[X86_RSI],
			     (unsigned long long)want_rsi,
			     (unsigned long long)ctx.gprs[X86_RDI],
			     (unsigned long long)want_rdi,
			     (unsigned long long)ctx.gprs[X86_RCX],
			     (unsigned long long)ctx.gprs[X86_RAX],
			     (unsigned long long)want_rax);
			ok = false;
		}
		if (ctx.rip != (last ? (m64 ? rip0 + n : mode ==
					X86EMUL_MODE_PROT32 ? (u32)(rip0 + n) :
					(u16)(rip0 + n)) : rip0)) {
			diag("%s: iteration %u: rip %#llx", name, k,
			     (unsigned long long)ctx.rip);
			ok = false;
		}

		want_nlog = !count ? 0 : (opc == 0xa4 || opc == 0xa5) ? 2 : 1;
		if (f.nlog != want_nlog) {
			diag("%s: iteration %u: %u accesses", name, k, f.nlog);
			return false;
		}
		for (i = 0; i < f.nlog; i++) {
			const struct access *a = &f.log[i];
			bool is_dst = a->kind == 'w';
			u64 la = is_dst ? lin(&ctx, &f, X86_SEG_ES, di) :
					  lin(&ctx, &f, src_seg, si);

			if (a->la != la || a->size != op) {
				diag("%s: iteration %u: %c%u@%#llx, expected la %#llx",
				     name, k, a->kind, a->size,
				     (unsigned long long)a->la,
				     (unsigned long long)la);
				ok = false;
			}
			if ((opc == 0xaa || opc == 0xab) &&
			    a->val != (rax0 & mask_of(op))) {
				diag("%s: stored %#llx", name,
				     (unsigned long long)a->val);
				ok = false;
			}
		}
		if ((opc == 0xa4 || opc == 0xa5) && f.nlog == 2 &&
		    f.log[0].val != f.log[1].val) {
			diag("%s: copied value differs", name);
			ok = false;
		}
		if (last || !ok)
			break;
		rax0 = ctx.gprs[X86_RAX];
	}
	return ok;
}

static int test_rep_strings(void)
{
	static const u8 opcs[] = { 0xa4, 0xa5, 0xaa, 0xab, 0xac, 0xad };
	unsigned int m, o, v, d, c;
	bool ok = true;

	for (m = X86EMUL_MODE_REAL; m <= X86EMUL_MODE_PROT64; m++) {
		for (o = 0; o < ARRAY_SIZE(opcs); o++) {
			for (v = 0; v < 16; v++) {
				bool p66 = v & 1, p67 = v & 2, rexw = v & 4;
				int seg = (v & 8) ? X86_SEG_FS : -1;

				if (rexw && m != X86EMUL_MODE_PROT64)
					continue;
				for (d = 0; d < 2; d++)
					for (c = 0; c < 4; c++)
						ok &= rep_one(m, opcs[o], p66,
							      p67, rexw, seg,
							      d, c);
			}
		}
	}
	return ok ? T_PASS : T_FAIL;
}

/* REPE CMPS stops at the first difference, REPNE SCAS at a match. */
static int test_rep_compare(void)
{
	struct x86_emul ctx;
	struct fake f;
	bool ok = true;
	unsigned int iters;
	int rc;

	/* repe cmpsb, 64-bit: "abcX" vs "abcY", rcx 10: 4 iterations. */
	fake_init(&f);
	ctx_init(&ctx, &f, X86EMUL_MODE_PROT64);
	memcpy(ctx.bytes, "\xf3\xa6", 2);
	ctx.nr_bytes = 2;
	fake_poke(&f, 0x1000, 0x58636261, 4);
	fake_poke(&f, 0x2000, 0x59636261, 4);
	ctx.gprs[X86_RSI] = 0x1000;
	ctx.gprs[X86_RDI] = 0x2000;
	ctx.gprs[X86_RCX] = 10;
	ctx.rflags = 0x2 | 0x1;
	for (iters = 1; (rc = x86_emulate(&ctx)) == X86EMUL_RETRY; iters++) {
		if (ctx.rip != 0x400000 || iters > 10)
			break;
	}
	if (rc != X86EMUL_CONTINUE || iters != 4 || ctx.gprs[X86_RCX] != 6 ||
	    ctx.gprs[X86_RSI] != 0x1004 || ctx.gprs[X86_RDI] != 0x2004 ||
	    ctx.rip != 0x400002 || (ctx.rflags & 0x40)) {
		diag("repe cmpsb: rc %s iters %u rcx %llu rflags %#llx",
		     rc_name(rc), iters, (unsigned long long)ctx.gprs[X86_RCX],
		     (unsigned long long)ctx.rflags);
		ok = false;
	}
	/* 'X' - 'Y' = -1: CF, SF, AF, PF (0xff has even parity) set. */
	if ((ctx.rflags & 0x8d5) != (0x1 | 0x80 | 0x10 | 0x4)) {
		diag("repe cmpsb: flags %#llx", (unsigned long long)ctx.rflags);
		ok = false;
	}

	/* repne scasw, 16-bit: find 0x4242 in ES:DI, third word. */
	fake_init(&f);
	ctx_init(&ctx, &f, X86EMUL_MODE_REAL);
	memcpy(ctx.bytes, "\xf2\xaf", 2);
	ctx.nr_bytes = 2;
	fake_poke(&f, 0x10000 + 0x100, 0x424241414040ULL, 6);
	ctx.gprs[X86_RDI] = 0xffff0100;	/* upper bits preserved */
	ctx.gprs[X86_RCX] = 0x12340008;
	ctx.gprs[X86_RAX] = 0x4242;
	for (iters = 1; (rc = x86_emulate(&ctx)) == X86EMUL_RETRY; iters++)
		if (iters > 10)
			break;
	if (rc != X86EMUL_CONTINUE || iters != 3 ||
	    ctx.gprs[X86_RCX] != 0x12340005 ||
	    ctx.gprs[X86_RDI] != 0xffff0106 || !(ctx.rflags & 0x40) ||
	    ctx.rip != 0x102) {
		diag("repne scasw: rc %s iters %u rcx %#llx rdi %#llx",
		     rc_name(rc), iters, (unsigned long long)ctx.gprs[X86_RCX],
		     (unsigned long long)ctx.gprs[X86_RDI]);
		ok = false;
	}

	/* repe scasb with the count running out while still equal. */
	fake_init(&f);
	ctx_init(&ctx, &f, X86EMUL_MODE_PROT32);
	memcpy(ctx.bytes, "\xf3\xae", 2);
	ctx.nr_bytes = 2;
	fake_poke(&f, 0x10000 + 0x500, 0x07070707, 4);
	ctx.gprs[X86_RDI] = 0x500;
	ctx.gprs[X86_RCX] = 3;
	ctx.gprs[X86_RAX] = 7;
	for (iters = 1; (rc = x86_emulate(&ctx)) == X86EMUL_RETRY; iters++)
		if (iters > 10)
			break;
	if (rc != X86EMUL_CONTINUE || iters != 3 || ctx.gprs[X86_RCX] != 0 ||
	    ctx.gprs[X86_RDI] != 0x503 || !(ctx.rflags & 0x40)) {
		diag("repe scasb: rc %s iters %u", rc_name(rc), iters);
		ok = false;
	}
	return ok ? T_PASS : T_FAIL;
}

/* 15 bytes is the limit: one more prefix makes any encoding invalid. */
static int test_max_length(void)
{
	static const struct {
		enum x86_emul_mode mode;
		unsigned int prefixes;
		const char *tail;
		unsigned int tail_len;
		int rc;
	} t[] = {
		/* mov eax, [edi] with 13 prefixes: 15 bytes. */
		{ X86EMUL_MODE_PROT32, 13, "\x8b\x07", 2, X86EMUL_CONTINUE },
		{ X86EMUL_MODE_PROT32, 14, "\x8b\x07", 2, X86EMUL_UNHANDLEABLE },
		/* mov dword [rsp+disp32], imm32 with REX: 12 + 3 prefixes. */
		{ X86EMUL_MODE_PROT64, 3, "\x48\xc7\x84\x24\x00\x01\x00\x00\x01\x00\x00\x00", 12, X86EMUL_CONTINUE },
		{ X86EMUL_MODE_PROT64, 4, "\x48\xc7\x84\x24\x00\x01\x00\x00\x01\x00\x00\x00", 12, X86EMUL_UNHANDLEABLE },
		/* 15 prefixes, no opcode at all. */
		{ X86EMUL_MODE_REAL, 15, "", 0, X86EMUL_UNHANDLEABLE },
	};
	unsigned int i, j, nr;
	bool ok = true;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		for (nr = 15; nr <= 255; nr += 240) {
			struct x86_emul ctx;
			struct fake f;
			unsigned int n = 0;
			int rc;

			fake_init(&f);
			ctx_init(&ctx, &f, t[i].mode);
			for (j = 0; j < t[i].prefixes && n < 15; j++)
				ctx.bytes[n++] = j & 1 ? 0x3e : 0x2e;
			for (j = 0; j < t[i].tail_len && n < 15; j++)
				ctx.bytes[n++] = (u8)t[i].tail[j];
			/* nr_bytes beyond 15 must be clamped, not trusted. */
			ctx.nr_bytes = (u8)nr;
			rc = x86_emulate(&ctx);
			if (rc != t[i].rc) {
				diag("case %u nr %u: rc %s", i, nr, rc_name(rc));
				ok = false;
			}
			if (rc == X86EMUL_CONTINUE && ctx.insn.len != 15) {
				diag("case %u: len %u", i, ctx.insn.len);
				ok = false;
			}
		}
	}
	return ok ? T_PASS : T_FAIL;
}

/* In 64-bit mode only FS and GS bases are asked for. */
static int test_seg_base_calls(void)
{
	static const u8 prefix[] = { 0, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65 };
	unsigned int i, s;
	bool ok = true;

	for (i = 0; i < ARRAY_SIZE(prefix); i++) {
		struct x86_emul ctx;
		struct fake f;
		unsigned int n = 0;
		int rc;

		fake_init(&f);
		ctx_init(&ctx, &f, X86EMUL_MODE_PROT64);
		if (prefix[i])
			ctx.bytes[n++] = prefix[i];
		ctx.bytes[n++] = 0x8b;		/* mov eax, [rbp+8] */
		ctx.bytes[n++] = 0x45;
		ctx.bytes[n++] = 0x08;
		ctx.nr_bytes = (u8)n;
		ctx.gprs[X86_RBP] = 0x1000;
		rc = x86_emulate(&ctx);
		for (s = 0; s < 6; s++) {
			bool want = prefix[i] >= 0x64 &&
				    s == X86_SEG_FS + prefix[i] - 0x64u;

			if (!!f.seg_calls[s] != want) {
				diag("prefix %#x: seg_base(%u) called %u times",
				     prefix[i], s, f.seg_calls[s]);
				ok = false;
			}
		}
		if (rc != X86EMUL_CONTINUE || f.nlog != 1 ||
		    f.log[0].la != 0x1008 + (prefix[i] >= 0x64 ?
				f.seg_base[X86_SEG_FS + prefix[i] - 0x64] : 0)) {
			diag("prefix %#x: rc %s la %#llx", prefix[i],
			     rc_name(rc), (unsigned long long)f.log[0].la);
			ok = false;
		}
	}
	return ok ? T_PASS : T_FAIL;
}

/*
 * x86_decode() alone succeeds exactly for what x86_emulate() handles,
 * and touches neither the machine state nor memory.
 */
static int test_decode_only(void)
{
	unsigned int i;
	bool ok = true;

	for (i = 0; i < nr_cases; i++) {
		struct prepared p;
		int rc;

		if (!prepare(&cases[i], &p))
			return T_FAIL;
		rc = x86_decode(&p.ctx);
		if ((rc == 0) != (p.e.rc != X86EMUL_UNHANDLEABLE) ||
		    (rc && rc != -EINVAL)) {
			diag("%s: x86_decode returned %d", cases[i].name, rc);
			ok = false;
		}
		if (p.f.nlog || p.f.nreads || p.f.nwrites) {
			diag("%s: x86_decode accessed memory", cases[i].name);
			ok = false;
		}
		if (!rc && p.ctx.insn.len != p.e.len) {
			diag("%s: decoded len %u", cases[i].name,
			     p.ctx.insn.len);
			ok = false;
		}
		ok &= state_unchanged(cases[i].name, &p);
	}
	return ok ? T_PASS : T_FAIL;
}

static int wrap(bool ok)
{
	return ok ? T_PASS : T_FAIL;
}

static int test_truncation_t(void)
{
	return wrap(test_truncation());
}

static int test_trailing_bytes_t(void)
{
	return wrap(test_trailing_bytes());
}

static int test_io_restart_t(void)
{
	return wrap(test_io_restart());
}

static int test_exceptions_t(void)
{
	return wrap(test_exceptions());
}

const struct group_test group_tests[] = {
	{ "every case: x86_decode agrees and has no side effects",
	  test_decode_only },
	{ "every case: truncated encodings are rejected", test_truncation_t },
	{ "every case: bytes past the instruction are ignored",
	  test_trailing_bytes_t },
	{ "every case: IO_NEEDED on any read changes nothing, restart completes",
	  test_io_restart_t },
	{ "every case: EXCEPTION on any access changes nothing",
	  test_exceptions_t },
	{ "15-byte limit and nr_bytes clamping", test_max_length },
	{ "64-bit mode: only FS/GS bases are used", test_seg_base_calls },
	{ "REP MOVS/STOS/LODS iterations, all modes and sizes",
	  test_rep_strings },
	{ "REPE/REPNE CMPS/SCAS termination", test_rep_compare },
	{ "native: 8-bit ALU flags, exhaustive operands", test_native_alu8 },
	{ "native: 16/32/64-bit ALU flags, random operands",
	  test_native_alu_wide },
	{ "native: random instructions vs host CPU", test_native_fuzz },
	{ "native: string instructions vs host CPU", test_native_strings },
};

const unsigned int nr_group_tests = ARRAY_SIZE(group_tests);

int main(void)
{
	unsigned int i, n = 0, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n");
	printf("1..%u\n", nr_cases + nr_group_tests);
	for (i = 0; i < nr_cases; i++) {
		bool ok = run_case(&cases[i]);

		failed += !ok;
		printf("%s %u %s\n", ok ? "ok" : "not ok", ++n, cases[i].name);
	}
	for (i = 0; i < nr_group_tests; i++) {
		int r = group_tests[i].fn();

		failed += r == T_FAIL;
		printf("%s %u %s%s\n", r == T_FAIL ? "not ok" : "ok", ++n,
		       group_tests[i].name, r == T_SKIP ? " # SKIP" : "");
	}
	printf("# %u tests, %u failed\n", n, failed);
	return failed ? 1 : 0;
}
