/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest for irq_stress.c: a loop that alternates a section run with
 * interrupts disabled (R8 = 1; an OUT and an MMIO write inside, the way
 * an interrupt handler writes the APIC's EOI register) with a stretch
 * run with interrupts enabled, and every eighth round idles in STI; HLT.
 * R9 counts rounds.  The IDT of kvmt_setup_idt() reports interrupts.
 */
#include "kvmt_asm.h"

	.code64

GUEST_BEGIN(long_irq_stress)
	mov	$KVMT_MMIO_GPA, %rbx
1:	cli
	mov	$1, %r8
	out	%al, $0xc0
	movl	$0, (%rbx)
	mov	$0, %r8
	sti
	nop
	mov	$32, %r11
2:	dec	%r11
	jnz	2b
	out	%al, $0xc1
	inc	%r9
	test	$7, %r9
	jnz	1b
	sti
	hlt
	jmp	1b
GUEST_END(long_irq_stress)

	GUEST_NOTE_STACK
