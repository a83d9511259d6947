/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * 32-bit protected-mode guest programs for guest_prot32.c: flat 4 GiB
 * segments, no paging, loaded at KVMT_CODE_GPA.  Each program ends in a HLT
 * loop.
 */
#include "kvmt_asm.h"

	.code32

GUEST_BEGIN(prot32_out)
	mov	$0x12, %al
	out	%al, $0x10
	mov	$0x3456, %ax
	mov	$0x1234, %dx
	out	%ax, %dx
	mov	$0x789abcde, %eax
	out	%eax, $0x14
	mov	$0xffff, %dx
	mov	$0x5a, %al
	out	%al, %dx
1:	hlt
	jmp	1b
GUEST_END(prot32_out)

GUEST_BEGIN(prot32_in)
	mov	$0x11223344, %eax
	in	$0x20, %al
	out	%eax, $0x21
	mov	$0x2002, %dx
	in	%dx, %ax
	out	%eax, $0x23
	mov	$0x2004, %dx
	in	%dx, %eax
	out	%eax, $0x25
1:	hlt
	jmp	1b
GUEST_END(prot32_in)

GUEST_BEGIN(prot32_string)
	cld
	mov	$GUEST_ADDR(prot32_string, .Lmsg), %esi
	mov	$16, %ecx
	mov	$0x40, %dx
	rep outsb
	mov	$GUEST_ADDR(prot32_string, prot32_string_buf), %edi
	mov	$8, %ecx
	mov	$0x42, %dx
	rep insw
	mov	$GUEST_ADDR(prot32_string, .Lmsg), %esi
	mov	$0x44, %dx
	outsl
1:	hlt
	jmp	1b
.Lmsg:
	.ascii	"0123456789abcdef"
GUEST_SYM(prot32_string_buf)
	.fill	16, 1, 0xcc
GUEST_END(prot32_string)

GUEST_BEGIN(prot32_mmio)
	movb	$0x11, KVMT_MMIO_GPA + 0x10
	movw	$0x2233, KVMT_MMIO_GPA + 0x20
	movl	$0x44556677, KVMT_MMIO_GPA + 0x40
	movb	KVMT_MMIO_GPA + 0x81, %al
	out	%al, $0x30
	movw	KVMT_MMIO_GPA + 0x82, %ax
	out	%ax, $0x32
	movl	KVMT_MMIO_GPA + 0x84, %eax
	out	%eax, $0x34
1:	hlt
	jmp	1b
GUEST_END(prot32_mmio)

GUEST_BEGIN(prot32_hlt)
	hlt
	hlt
	mov	$0x77, %al
	out	%al, $0x50
1:	hlt
	jmp	1b
GUEST_END(prot32_hlt)

/* Report CR0, CR4 and EFER as the guest sees them. */
GUEST_BEGIN(prot32_mode)
	mov	%cr0, %eax
	out	%eax, $0x60
	mov	%cr4, %eax
	out	%eax, $0x61
	mov	$0xc0000080, %ecx
	rdmsr
	out	%eax, $0x62
1:	hlt
	jmp	1b
GUEST_END(prot32_mode)

	GUEST_NOTE_STACK
