/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * 64-bit exception and interrupt entry stubs, loaded at KVMT_VECTORS_GPA
 * by kvmt_setup_idt(), which points IDT gate V at stub V (stub V starts
 * KVMT_VECTOR_STUB_SIZE * V bytes into the program).
 *
 * Each stub makes the frame uniform (a zero error code for vectors whose
 * frame has none), pushes its vector and joins the common part, which
 * reports to the test and returns:
 *
 *	OUT of the vector (4 bytes) to KVMT_PORT_VECTOR, with RCX = error
 *	code and RDX = the RIP the CPU saved; the test may change RDX while
 *	the guest sits in that exit; then IRETQ to the RIP in RDX.
 *
 * RAX, RCX and RDX are restored, so interrupted code carries on unharmed.
 */
#include "kvmt_asm.h"

	.code64
	.altmacro

/*
 * The CPU pushes an error code for #DF, #TS, #NP, #SS, #GP, #PF, #AC,
 * #CP, #VC and #SX; the other stubs push a zero in its place.
 */
.macro stub vec
	.balign	KVMT_VECTOR_STUB_SIZE
	.if (\vec == 8) || ((\vec >= 10) && (\vec <= 14)) || \
	    (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
	.else
	pushq	$0
	.endif
	pushq	$\vec
	jmp	.Lcommon
.endm

GUEST_BEGIN(kvmt_vectors)
	.set	vec, 0
	.rept	256
	stub	%vec
	.set	vec, vec + 1
	.endr

	.balign	KVMT_VECTOR_STUB_SIZE
.Lcommon:
	/* vector, error code, RIP, CS, RFLAGS, RSP, SS */
	push	%rax
	push	%rcx
	push	%rdx
	mov	24(%rsp), %eax
	mov	32(%rsp), %rcx
	mov	40(%rsp), %rdx
	out	%eax, $KVMT_PORT_VECTOR
	mov	%rdx, 40(%rsp)
	pop	%rdx
	pop	%rcx
	pop	%rax
	add	$16, %rsp
	iretq
GUEST_END(kvmt_vectors)

	GUEST_NOTE_STACK
