/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Real-mode guest programs for guest_real.c.  Loaded at KVMT_CODE_GPA with
 * CS = DS = ES = KVMT_CODE_GPA >> 4 and IP 0, so label offsets are both
 * code and data offsets.  Each program ends in a HLT loop.
 */
#include "kvmt_asm.h"

	.code16

/* OUT of each width: imm8 and DX port forms. */
GUEST_BEGIN(real_out)
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
GUEST_END(real_out)

/*
 * IN of each width.  EAX starts with a marker so the echo shows that an
 * 8/16-bit IN leaves the rest of EAX alone.
 */
GUEST_BEGIN(real_in)
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
GUEST_END(real_in)

/* String I/O: REP OUTSB, REP INSW, then a single OUTSL. */
GUEST_BEGIN(real_string)
	cld
	mov	$GUEST_OFF(real_string, .Lmsg), %si
	mov	$16, %cx
	mov	$0x40, %dx
	rep outsb
	mov	$GUEST_OFF(real_string, real_string_buf), %di
	mov	$8, %cx
	mov	$0x42, %dx
	rep insw
	mov	$GUEST_OFF(real_string, .Lmsg), %si
	mov	$0x44, %dx
	outsl
1:	hlt
	jmp	1b
.Lmsg:
	.ascii	"0123456789abcdef"
GUEST_SYM(real_string_buf)
	.fill	16, 1, 0xcc
GUEST_END(real_string)

/*
 * MMIO in the unbacked VGA window: writes of 1/2/4 bytes, then reads of
 * 1/2/4 bytes whose values the guest echoes through OUT.
 */
GUEST_BEGIN(real_mmio)
	mov	$KVMT_REAL_MMIO_SEG, %ax
	mov	%ax, %es
	movb	$0x11, %es:0x10
	movw	$0x2233, %es:0x20
	movl	$0x44556677, %es:0x40
	movb	%es:0x81, %al
	out	%al, $0x30
	movw	%es:0x82, %ax
	out	%ax, $0x32
	movl	%es:0x84, %eax
	out	%eax, $0x34
1:	hlt
	jmp	1b
GUEST_END(real_mmio)

/* HLT, then HLT again to show that KVM_RUN resumes after the first. */
GUEST_BEGIN(real_hlt)
	hlt
	hlt
	mov	$0x77, %al
	out	%al, $0x50
1:	hlt
	jmp	1b
GUEST_END(real_hlt)

/* Report CR0, CR4 and EFER as the guest sees them. */
GUEST_BEGIN(real_mode)
	mov	%cr0, %eax
	out	%eax, $0x60
	mov	%cr4, %eax
	out	%eax, $0x61
	mov	$0xc0000080, %ecx
	rdmsr
	out	%eax, $0x62
1:	hlt
	jmp	1b
GUEST_END(real_mode)

	GUEST_NOTE_STACK
