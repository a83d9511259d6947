/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Real-mode guests for the irqchip tests (irqchip_lapic.c,
 * irqchip_io.c).  The 64-bit ones are scripts (guest/script.S).
 */
#include "kvmt_asm.h"
#include "kvmt_script.h"

	.code16

/*
 * An AP's first code after INIT and SIPI, at the SIPI page: OUT of CS
 * (2 bytes) to port 0x71, then HLT.
 */
GUEST_BEGIN(real_ap)
	mov	%cs, %ax
	out	%ax, $0x71
1:	hlt
	jmp	1b
GUEST_END(real_ap)

/*
 * A BIOS-style PIC setup: the real-mode IVT entry of vector 0x0b (IRQ 3
 * with the master at base 0x08) points at the handler below; ICW1-4 set
 * up the master (edge, cascade, 8086 mode), OCW1 masks all but IRQ 3.
 * Then OUT of 1 to KVMT_SCRIPT_PORT_MARK (1 byte) and STI; HLT forever.
 * The handler reports 0x0b (1 byte) to KVMT_PORT_VECTOR, sends a
 * non-specific EOI (OCW2), reports 0 to KVMT_SCRIPT_PORT_END and IRETs.
 */
GUEST_BEGIN(real_pic)
	xor	%ax, %ax
	mov	%ax, %es
	movw	$GUEST_OFF(real_pic, .Lpic_handler), %es:(0x0b * 4)
	mov	%cs, %ax
	mov	%ax, %es:(0x0b * 4 + 2)
	mov	$0x11, %al		/* ICW1: init, ICW4 follows */
	out	%al, $0x20
	mov	$0x08, %al		/* ICW2: vectors 0x08-0x0f */
	out	%al, $0x21
	mov	$0x04, %al		/* ICW3: a slave on IRQ 2 */
	out	%al, $0x21
	mov	$0x01, %al		/* ICW4: 8086 mode */
	out	%al, $0x21
	mov	$0xf7, %al		/* OCW1: only IRQ 3 */
	out	%al, $0x21
	mov	$1, %al
	out	%al, $KVMT_SCRIPT_PORT_MARK
	sti
1:	hlt
	jmp	1b

.Lpic_handler:
	push	%ax
	mov	$0x0b, %al
	out	%al, $KVMT_PORT_VECTOR
	mov	$0x20, %al		/* OCW2: non-specific EOI */
	out	%al, $0x20
	xor	%al, %al
	out	%al, $KVMT_SCRIPT_PORT_END
	pop	%ax
	iret
GUEST_END(real_pic)

	GUEST_NOTE_STACK
