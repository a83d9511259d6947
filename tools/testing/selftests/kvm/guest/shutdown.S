/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guests that triple-fault.  Each loads an IDT with limit 0, reports that
 * it got there with OUT to port 0x80, and then raises an exception that
 * cannot be delivered: the exception, the #DF for it and the final fault
 * leave the CPU in shutdown.
 */
#include "kvmt_asm.h"

	.code16
GUEST_BEGIN(real_triple)
	lidt	GUEST_OFF(real_triple, .Lidtr16)
	out	%al, $0x80
	int3
1:	hlt
	jmp	1b
	.balign	8
.Lidtr16:
	.word	0
	.long	0
GUEST_END(real_triple)

	.code32
GUEST_BEGIN(prot32_triple)
	lidt	GUEST_ADDR(prot32_triple, .Lidtr32)
	out	%al, $0x80
	ud2
1:	hlt
	jmp	1b
	.balign	8
.Lidtr32:
	.word	0
	.long	0
GUEST_END(prot32_triple)

	.code64
GUEST_BEGIN(long_triple)
	lidt	.Lidtr64(%rip)
	out	%al, $0x80
	ud2
1:	hlt
	jmp	1b
	.balign	8
.Lidtr64:
	.word	0
	.quad	0
GUEST_END(long_triple)

/* A page fault: 8 GiB is outside the identity map. */
GUEST_BEGIN(long_triple_pf)
	lidt	.Lidtr64pf(%rip)
	out	%al, $0x80
	movabs	$0x200000000, %rbx
	mov	(%rbx), %eax
1:	hlt
	jmp	1b
	.balign	8
.Lidtr64pf:
	.word	0
	.quad	0
GUEST_END(long_triple_pf)

	GUEST_NOTE_STACK
