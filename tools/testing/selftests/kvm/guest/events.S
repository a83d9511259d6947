/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * 64-bit guests for events.c and vcpu_state.c.  They run with the IDT of
 * kvmt_setup_idt(), so interrupts, NMIs and exceptions are reported by
 * the vector stubs and return to the interrupted code.  Position
 * independent; exported labels let the test know expected RIPs.
 */
#include "kvmt_asm.h"

	.code64

/*
 * Entered with IF clear: OUT to 0xb0, STI, one instruction in the STI
 * shadow, OUT to 0xb1, then HLT.
 */
GUEST_BEGIN(long_sti)
	out	%al, $0xb0
GUEST_SYM(long_sti_sti)
	sti
	nop
GUEST_SYM(long_sti_after)
	out	%al, $0xb1
1:	hlt
	jmp	1b
GUEST_END(long_sti)

/* STI with HLT in its shadow, then OUT 0xb7 and HLT. */
GUEST_BEGIN(long_sti_hlt)
	sti
	hlt
GUEST_SYM(long_sti_hlt_after)
	out	%al, $0xb7
1:	hlt
	jmp	1b
GUEST_END(long_sti_hlt)

/*
 * The guest's own instruction breakpoint: DR0 = long_hw_bp_target, DR7
 * enables it (L0, execute), then the target runs: #DB (a fault, RIP at
 * the target).  After it, OUT 0xb8 and HLT.
 */
GUEST_BEGIN(long_hw_bp)
	lea	long_hw_bp_target(%rip), %rax
	mov	%rax, %dr0
	mov	$0x401, %rax
	mov	%rax, %dr7
	nop
GUEST_SYM(long_hw_bp_target)
	nop
	out	%al, $0xb8
1:	hlt
	jmp	1b
GUEST_END(long_hw_bp)

/* RAX = CR8; OUT 0xb2; CR8 = RBX; OUT 0xb3; RAX = CR8; OUT 0xb4; HLT. */
GUEST_BEGIN(long_cr8)
	mov	%cr8, %rax
	out	%al, $0xb2
	mov	%rbx, %cr8
	out	%al, $0xb3
	mov	%cr8, %rax
	out	%al, $0xb4
1:	hlt
	jmp	1b
GUEST_END(long_cr8)

/* DR0-3, DR6, DR7 = RAX, RBX, RCX, RDX, RSI, RDI; OUT 0xb5; HLT. */
GUEST_BEGIN(long_dr_write)
	mov	%rax, %dr0
	mov	%rbx, %dr1
	mov	%rcx, %dr2
	mov	%rdx, %dr3
	mov	%rsi, %dr6
	mov	%rdi, %dr7
	out	%al, $0xb5
1:	hlt
	jmp	1b
GUEST_END(long_dr_write)

/* RAX, RBX, RCX, RDX, RSI, RDI = DR0-3, DR6, DR7; OUT 0xb6; HLT. */
GUEST_BEGIN(long_dr_read)
	mov	%dr0, %rax
	mov	%dr1, %rbx
	mov	%dr2, %rcx
	mov	%dr3, %rdx
	mov	%dr6, %rsi
	mov	%dr7, %rdi
	out	%al, $0xb6
1:	hlt
	jmp	1b
GUEST_END(long_dr_read)

	GUEST_NOTE_STACK
