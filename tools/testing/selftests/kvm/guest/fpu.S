/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * 64-bit x87/SSE guests for fpu.c.  The test sets CR4.OSFXSR; RBX and RDI
 * point to 16-byte aligned 512-byte FXSAVE images in guest RAM.
 */
#include "kvmt_asm.h"

	.code64

/* FXSAVE to [RDI]; OUT 0x98; HLT. */
GUEST_BEGIN(long_fpu_dump)
	fxsave64 (%rdi)
	out	%al, $0x98
1:	hlt
	jmp	1b
GUEST_END(long_fpu_dump)

/* FXRSTOR from [RBX]; OUT 0x99; HLT. */
GUEST_BEGIN(long_fpu_load)
	fxrstor64 (%rbx)
	out	%al, $0x99
1:	hlt
	jmp	1b
GUEST_END(long_fpu_load)

/*
 * FXRSTOR from [RBX], then forever: OUT 0x9a (the test disturbs the host
 * while the guest is out), spin for [RSI] rounds (long enough for the
 * host to preempt the vCPU inside KVM_RUN), FXSAVE to [RDI], OUT 0x9b
 * (the test checks the image).
 */
GUEST_BEGIN(long_fpu_loop)
	fxrstor64 (%rbx)
1:	out	%al, $0x9a
	mov	(%rsi), %rcx
	test	%rcx, %rcx
	jz	3f
2:	dec	%rcx
	jnz	2b
3:	fxsave64 (%rdi)
	out	%al, $0x9b
	jmp	1b
GUEST_END(long_fpu_loop)

	GUEST_NOTE_STACK
