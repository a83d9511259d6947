/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers for guest programs written in assembly.  Each program is a byte
 * range [name_start, name_end) in .rodata that the test copies to
 * KVMT_CODE_GPA.  Programs must be position independent apart from that
 * load address: use labels relative to the start symbol (GUEST_OFF) in real
 * mode, GUEST_ADDR for absolute 32-bit addresses, RIP-relative addressing in
 * 64-bit mode, and branch only to local labels.
 */
#ifndef KVMT_ASM_H
#define KVMT_ASM_H

#include "kvmt_layout.h"

#define GUEST_BEGIN(name)			\
	.section .rodata.guest, "a";		\
	.balign 16;				\
	.globl name##_start;			\
	.type name##_start, @object;		\
name##_start:

#define GUEST_END(name)				\
	.globl name##_end;			\
name##_end:

/* Export a data label inside a program so that a test can find it. */
#define GUEST_SYM(sym)				\
	.globl sym;				\
sym:

/* Offset of a label from the start of program @name (its real-mode IP). */
#define GUEST_OFF(name, label)	((label) - name##_start)
/* Guest physical (= flat linear) address of a label. */
#define GUEST_ADDR(name, label)	(KVMT_CODE_GPA + GUEST_OFF(name, label))

/* Every object must say that it does not need an executable stack. */
#define GUEST_NOTE_STACK	.section .note.GNU-stack, "", @progbits

#endif /* KVMT_ASM_H */
