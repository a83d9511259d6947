/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Small 64-bit building blocks driven through registers that the test sets
 * with KVM_SET_REGS before each run.  Position independent: they may be
 * loaded anywhere in the identity-mapped low 4 GiB.
 */
#include "kvmt_asm.h"

	.code64

/* EAX = 32-bit load from [RBX]; OUT EAX to port 0x70; HLT. */
GUEST_BEGIN(long_peek)
	mov	(%rbx), %eax
	out	%eax, $0x70
1:	hlt
	jmp	1b
GUEST_END(long_peek)

/* 32-bit store of EAX to [RBX]; OUT EAX to port 0x71; HLT. */
GUEST_BEGIN(long_poke)
	mov	%eax, (%rbx)
	out	%eax, $0x71
1:	hlt
	jmp	1b
GUEST_END(long_poke)

/* Spin forever without exits: only a signal or a kick ends KVM_RUN. */
GUEST_BEGIN(long_spin)
1:	pause
	jmp	1b
GUEST_END(long_spin)

/*
 * RCX rounds of: OUT EBX (the vCPU's id) to port 0x70 and an atomic
 * increment of the shared counter at [RSI]; then HLT.
 */
GUEST_BEGIN(long_count)
1:	mov	%ebx, %eax
	out	%eax, $0x70
	lock incl (%rsi)
	dec	%rcx
	jnz	1b
2:	hlt
	jmp	2b
GUEST_END(long_count)

/*
 * Forever: EAX = [RBX]; OUT EAX to port 0x72.  The test may move or delete
 * the memory under RBX between runs.
 */
GUEST_BEGIN(long_peek_loop)
1:	mov	(%rbx), %eax
	out	%eax, $0x72
	jmp	1b
GUEST_END(long_peek_loop)

	GUEST_NOTE_STACK
