/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Position-independent pieces of the native oracle (native.c): a
 * prologue that loads a struct nstate into the CPU and an epilogue that
 * stores the CPU back into it.  native.c copies
 *
 *	prologue | instruction under test | epilogue
 *
 * into an executable page and calls it with %rdi = struct nstate *.
 * struct nstate: u64 gprs[16] (ISA order) at 0, u64 rflags at 128.
 * %rsp is never loaded: the instruction runs on the real stack.
 */
	.text
	.globl	native_pre_start, native_pre_end
	.globl	native_post_start, native_post_end

native_pre_start:
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	push	%rdi			/* the state pointer, for the epilogue */
	pushq	128(%rdi)
	popfq
	mov	0(%rdi), %rax
	mov	8(%rdi), %rcx
	mov	16(%rdi), %rdx
	mov	24(%rdi), %rbx
	mov	40(%rdi), %rbp
	mov	48(%rdi), %rsi
	mov	64(%rdi), %r8
	mov	72(%rdi), %r9
	mov	80(%rdi), %r10
	mov	88(%rdi), %r11
	mov	96(%rdi), %r12
	mov	104(%rdi), %r13
	mov	112(%rdi), %r14
	mov	120(%rdi), %r15
	mov	56(%rdi), %rdi
native_pre_end:

native_post_start:
	pushfq
	push	%rdi
	mov	16(%rsp), %rdi
	mov	%rax, 0(%rdi)
	mov	%rcx, 8(%rdi)
	mov	%rdx, 16(%rdi)
	mov	%rbx, 24(%rdi)
	mov	%rbp, 40(%rdi)
	mov	%rsi, 48(%rdi)
	mov	%r8, 64(%rdi)
	mov	%r9, 72(%rdi)
	mov	%r10, 80(%rdi)
	mov	%r11, 88(%rdi)
	mov	%r12, 96(%rdi)
	mov	%r13, 104(%rdi)
	mov	%r14, 112(%rdi)
	mov	%r15, 120(%rdi)
	pop	%rax
	mov	%rax, 56(%rdi)
	pop	%rax
	mov	%rax, 128(%rdi)
	cld
	pop	%rdi
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	ret
native_post_end:

	.section .note.GNU-stack, "", @progbits
