/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The 64-bit script interpreter of include/kvmt_script.h: RSI points at
 * the first step.  Position independent.  State lives in RSI, RDI, RBX
 * and R8, which the vector stubs of kvmt_setup_idt() leave alone, so an
 * interrupt may arrive between or inside any two instructions here.
 */
#include "kvmt_asm.h"
#include "kvmt_script.h"

	.code64

GUEST_BEGIN(long_script)
.Lnext:
	mov	(%rsi), %r8d
	mov	KVMT_STEP_A(%rsi), %rdi
	mov	KVMT_STEP_B(%rsi), %rbx
	add	$KVMT_STEP_SIZE, %rsi
	cmp	$KVMT_OP_END, %r8d
	je	.Lend
	cmp	$KVMT_OP_MARK, %r8d
	je	.Lmark
	cmp	$KVMT_OP_W32, %r8d
	je	.Lw32
	cmp	$KVMT_OP_R32, %r8d
	je	.Lr32
	cmp	$KVMT_OP_WAIT, %r8d
	je	.Lwait
	cmp	$KVMT_OP_WRMSR, %r8d
	je	.Lwrmsr
	cmp	$KVMT_OP_RDMSR, %r8d
	je	.Lrdmsr
	cmp	$KVMT_OP_OUTB, %r8d
	je	.Loutb
	cmp	$KVMT_OP_INB, %r8d
	je	.Linb
	cmp	$KVMT_OP_STI, %r8d
	je	.Lsti
	cmp	$KVMT_OP_CLI, %r8d
	je	.Lcli
	cmp	$KVMT_OP_STI_HLT, %r8d
	je	.Lsti_hlt
	cmp	$KVMT_OP_HLT, %r8d
	je	.Lhlt
	cmp	$KVMT_OP_SPIN, %r8d
	je	.Lspin
	cmp	$KVMT_OP_OUT, %r8d
	je	.Lout
	cmp	$KVMT_OP_WN, %r8d
	je	.Lwn
	/* An unknown op is a broken script: stop loudly. */
	ud2

.Lend:
	xor	%eax, %eax
	out	%al, $KVMT_SCRIPT_PORT_END
	cli
1:	hlt
	jmp	1b

.Lmark:
	mov	%edi, %eax
	out	%eax, $KVMT_SCRIPT_PORT_MARK
	jmp	.Lnext

.Lw32:
	mov	%ebx, (%rdi)
	jmp	.Lnext

.Lr32:
	mov	(%rdi), %eax
	out	%eax, $KVMT_SCRIPT_PORT_READ
	jmp	.Lnext

.Lwait:
	mov	(%rdi), %eax
	and	(KVMT_STEP_ARG - KVMT_STEP_SIZE)(%rsi), %eax
	cmp	%ebx, %eax
	je	.Lnext
	pause
	jmp	.Lwait

.Lwrmsr:
	mov	%edi, %ecx
	mov	%ebx, %eax
	mov	%rbx, %rdx
	shr	$32, %rdx
	wrmsr
	jmp	.Lnext

.Lrdmsr:
	mov	%edi, %ecx
	rdmsr
	shl	$32, %rdx
	mov	%eax, %eax
	or	%rdx, %rax
	out	%eax, $KVMT_SCRIPT_PORT_READ
	jmp	.Lnext

.Loutb:
	mov	%edi, %edx
	mov	%ebx, %eax
	out	%al, (%dx)
	jmp	.Lnext

.Linb:
	mov	%edi, %edx
	xor	%eax, %eax
	in	(%dx), %al
	out	%eax, $KVMT_SCRIPT_PORT_READ
	jmp	.Lnext

.Lsti:
	sti
	jmp	.Lnext

.Lcli:
	cli
	jmp	.Lnext

.Lsti_hlt:
	sti
	hlt
GUEST_SYM(long_script_after_hlt)
	jmp	.Lnext

.Lhlt:
	hlt
	jmp	.Lnext

.Lspin:
	test	%rdi, %rdi
	jz	.Lnext
	pause
	dec	%rdi
	jmp	.Lspin

/* The width is the step's arg; anything else than 1 or 2 is 4. */
.Lout:
	mov	%edi, %edx
	mov	%rbx, %rax
	mov	(KVMT_STEP_ARG - KVMT_STEP_SIZE)(%rsi), %ecx
	cmp	$1, %ecx
	je	1f
	cmp	$2, %ecx
	je	2f
	out	%eax, (%dx)
	jmp	.Lnext
1:	out	%al, (%dx)
	jmp	.Lnext
2:	out	%ax, (%dx)
	jmp	.Lnext

/* The width is the step's arg; anything else than 1, 2 or 4 is 8. */
.Lwn:
	mov	(KVMT_STEP_ARG - KVMT_STEP_SIZE)(%rsi), %ecx
	cmp	$1, %ecx
	je	1f
	cmp	$2, %ecx
	je	2f
	cmp	$4, %ecx
	je	4f
	mov	%rbx, (%rdi)
	jmp	.Lnext
1:	mov	%bl, (%rdi)
	jmp	.Lnext
2:	mov	%bx, (%rdi)
	jmp	.Lnext
4:	mov	%ebx, (%rdi)
	jmp	.Lnext
GUEST_END(long_script)

	GUEST_NOTE_STACK
