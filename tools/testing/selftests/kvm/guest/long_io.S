/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * 64-bit guest programs for guest_long.c: identity-mapped low 4 GiB,
 * loaded at KVMT_CODE_GPA, RIP-relative data.  Each program ends in a HLT
 * loop.
 */
#include "kvmt_asm.h"

	.code64

GUEST_BEGIN(long_out)
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
GUEST_END(long_out)

/*
 * As in the other modes, plus: a 32-bit IN zero-extends into RAX, which
 * the test reads back with KVM_GET_REGS at the final HLT.
 */
GUEST_BEGIN(long_in)
	movabs	$0xaabbccdd11223344, %rax
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
GUEST_END(long_in)

GUEST_BEGIN(long_string)
	cld
	lea	.Lmsg(%rip), %rsi
	mov	$16, %ecx
	mov	$0x40, %dx
	rep outsb
	lea	long_string_buf(%rip), %rdi
	mov	$8, %ecx
	mov	$0x42, %dx
	rep insw
	lea	.Lmsg(%rip), %rsi
	mov	$0x44, %dx
	outsl
1:	hlt
	jmp	1b
.Lmsg:
	.ascii	"0123456789abcdef"
GUEST_SYM(long_string_buf)
	.fill	16, 1, 0xcc
GUEST_END(long_string)

/* MMIO of 1/2/4/8 bytes; 8-byte read is echoed by an 8-byte MMIO write. */
GUEST_BEGIN(long_mmio)
	mov	$KVMT_MMIO_GPA, %ebx
	movb	$0x11, 0x10(%rbx)
	movw	$0x2233, 0x20(%rbx)
	movl	$0x44556677, 0x40(%rbx)
	movabs	$0x8899aabbccddeeff, %rax
	mov	%rax, 0x48(%rbx)
	movb	0x81(%rbx), %al
	out	%al, $0x30
	movw	0x82(%rbx), %ax
	out	%ax, $0x32
	movl	0x84(%rbx), %eax
	out	%eax, $0x34
	mov	0x88(%rbx), %rax
	mov	%rax, 0x90(%rbx)
1:	hlt
	jmp	1b
GUEST_END(long_mmio)

GUEST_BEGIN(long_hlt)
	hlt
	hlt
	mov	$0x77, %al
	out	%al, $0x50
1:	hlt
	jmp	1b
GUEST_END(long_hlt)

/* Report CR0, CR4 and EFER as the guest sees them. */
GUEST_BEGIN(long_mode)
	mov	%cr0, %rax
	out	%eax, $0x60
	mov	%cr4, %rax
	out	%eax, $0x61
	mov	$0xc0000080, %ecx
	rdmsr
	out	%eax, $0x62
1:	hlt
	jmp	1b
GUEST_END(long_mode)

	GUEST_NOTE_STACK
