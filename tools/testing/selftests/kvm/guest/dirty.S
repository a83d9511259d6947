/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * 64-bit guests for dirty_log.c: walk a list of RCX guest addresses (u64
 * each) at RSI, storing EAX to each (long_write_list) or loading from
 * each (long_read_list); then OUT to port 0xa8 and HLT.
 */
#include "kvmt_asm.h"

	.code64

GUEST_BEGIN(long_write_list)
1:	test	%rcx, %rcx
	jz	2f
	mov	(%rsi), %rbx
	mov	%eax, (%rbx)
	add	$8, %rsi
	dec	%rcx
	jmp	1b
2:	out	%al, $0xa8
3:	hlt
	jmp	3b
GUEST_END(long_write_list)

GUEST_BEGIN(long_read_list)
1:	test	%rcx, %rcx
	jz	2f
	mov	(%rsi), %rbx
	mov	(%rbx), %edx
	add	$8, %rsi
	dec	%rcx
	jmp	1b
2:	out	%al, $0xa8
3:	hlt
	jmp	3b
GUEST_END(long_read_list)

	GUEST_NOTE_STACK
