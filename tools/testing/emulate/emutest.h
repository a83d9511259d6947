/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared pieces of the userspace emulator test: the fake machine behind
 * struct x86_emul_ops, the TAP diagnostics helper and the test tables.
 */
#ifndef EMUTEST_H
#define EMUTEST_H

#include <linux/types.h>
#include "emulate.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* One memory access seen by the fake machine. */
struct access {
	char kind;		/* 'r' or 'w' */
	u64 la;
	unsigned int size;
	u64 val;		/* value read or written, little-endian */
};

/* A window of linear addresses backed by real host memory. */
struct region {
	u64 base;
	u64 size;
	u8 *data;
};

#define FAKE_MAX_LOG	16
#define FAKE_MAX_MEM	256
#define FAKE_MAX_REGIONS 4

struct fake {
	u64 seg_base[6];
	unsigned int seg_calls[6];

	struct access log[FAKE_MAX_LOG];
	unsigned int nlog;
	unsigned int nreads, nwrites;

	/* Sparse byte store; unset bytes read as a fixed pattern. */
	struct {
		u64 la;
		u8 val;
	} mem[FAKE_MAX_MEM];
	unsigned int nmem;

	struct region regions[FAKE_MAX_REGIONS];
	unsigned int nregions;
	bool strict;		/* accesses outside regions are errors */
	unsigned int bad;	/* accesses outside regions seen */

	/* Fault injection, counted from 1; 0 disables. */
	unsigned int io_on_read;	/* this read returns IO_NEEDED */
	unsigned int exc_on_read;	/* this read returns EXCEPTION */
	unsigned int exc_on_write;	/* this write returns EXCEPTION */
};

extern const struct x86_emul_ops fake_ops;

void fake_init(struct fake *f);
void fake_rearm(struct fake *f);
void fake_poke(struct fake *f, u64 la, u64 val, unsigned int size);
u64 fake_peek(struct fake *f, u64 la, unsigned int size);
void ctx_init(struct x86_emul *ctx, struct fake *f, enum x86_emul_mode mode);

/* Print one "# ..." diagnostic line. */
void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Table-driven cases (cases.c). */
struct tcase {
	const char *name;
	enum x86_emul_mode mode;
	const char *bytes;	/* hex bytes, spaces allowed */
	const char *setup;	/* see cases.c */
	const char *expect;
};

extern const struct tcase cases[];
extern const unsigned int nr_cases;

/* Grouped tests return one of these. */
enum { T_PASS, T_FAIL, T_SKIP };

struct group_test {
	const char *name;
	int (*fn)(void);
};

extern const struct group_test group_tests[];
extern const unsigned int nr_group_tests;

bool run_case(const struct tcase *tc);

/* Native oracle (native.c). */
int test_native_alu8(void);
int test_native_alu_wide(void);
int test_native_fuzz(void);
int test_native_strings(void);

#endif
