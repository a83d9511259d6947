/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Interrupt controller facts for the irqchip tests: local APIC registers
 * (Intel SDM vol. 3, 11.4.1 and 11.12.1), the 82093AA IOAPIC's window
 * and redirection entries, 8259A and 8254 ports, MSI addresses.
 */
#ifndef KVMT_IRQ_H
#define KVMT_IRQ_H

#include "kvmt_script.h"

/* xAPIC page offsets; in x2APIC mode MSR 0x800 + offset / 16. */
#define APIC_DEFAULT_BASE	0xfee00000ULL
#define APIC_ID			0x20
#define APIC_LVR		0x30
#define APIC_TASKPRI		0x80
#define APIC_ARBPRI		0x90
#define APIC_PROCPRI		0xa0
#define APIC_EOI		0xb0
#define APIC_LDR		0xd0
#define APIC_DFR		0xe0
#define APIC_SPIV		0xf0
#define APIC_ISR		0x100
#define APIC_TMR		0x180
#define APIC_IRR		0x200
#define APIC_ESR		0x280
#define APIC_ICR		0x300
#define APIC_ICR2		0x310
#define APIC_LVTT		0x320
#define APIC_LVTTHMR		0x330
#define APIC_LVTPC		0x340
#define APIC_LVT0		0x350
#define APIC_LVT1		0x360
#define APIC_LVTERR		0x370
#define APIC_TMICT		0x380
#define APIC_TMCCT		0x390
#define APIC_TDCR		0x3e0
#define APIC_SELF_IPI		0x3f0	/* x2APIC only */

#define APIC_SPIV_ENABLE	(1U << 8)
#define APIC_LVT_MASKED		(1U << 16)
#define APIC_LVT_LEVEL		(1U << 15)
#define APIC_LVT_TIMER_PERIODIC	(1U << 17)
#define APIC_LVT_TIMER_TSCDEADLINE	(2U << 17)
#define APIC_DM_FIXED		(0U << 8)
#define APIC_DM_NMI		(4U << 8)
#define APIC_DM_INIT		(5U << 8)
#define APIC_DM_STARTUP		(6U << 8)
#define APIC_DM_EXTINT		(7U << 8)
#define APIC_ICR_PENDING	(1U << 12)
#define APIC_ICR_ASSERT		(1U << 14)
#define APIC_ICR_LEVEL		(1U << 15)
#define APIC_DEST_SELF		(1U << 18)
#define APIC_DEST_ALLBUT	(3U << 18)
#define APIC_TDCR_DIV1		0xb

/* IA32_APIC_BASE (MSR 0x1b) */
#define MSR_IA32_APICBASE	0x1b
#define APICBASE_BSP		(1ULL << 8)
#define APICBASE_EXTD		(1ULL << 10)
#define APICBASE_ENABLE		(1ULL << 11)
#define X2APIC_MSR(off)		(0x800 + (off) / 16)

/* IOAPIC: index register and data window; registers behind them. */
#define IOAPIC_BASE		0xfec00000ULL
#define IOAPIC_REGSEL		(IOAPIC_BASE + 0x00)
#define IOAPIC_WIN		(IOAPIC_BASE + 0x10)
#define IOAPIC_REG_ID		0x00
#define IOAPIC_REG_VER		0x01
#define IOAPIC_REG_ARB		0x02
#define IOAPIC_REG_RTE_LO(pin)	(0x10 + 2 * (pin))
#define IOAPIC_REG_RTE_HI(pin)	(0x11 + 2 * (pin))

#define RTE_VECTOR(v)		((uint64_t)(v))
#define RTE_DM_FIXED		(0ULL << 8)
#define RTE_DEST_LOGICAL	(1ULL << 11)
#define RTE_DELIVERY_STATUS	(1ULL << 12)
#define RTE_ACTIVE_LOW		(1ULL << 13)
#define RTE_REMOTE_IRR		(1ULL << 14)
#define RTE_LEVEL		(1ULL << 15)
#define RTE_MASKED		(1ULL << 16)
#define RTE_DEST(d)		((uint64_t)(d) << 56)

/* 8259A pair and 8254. */
#define PIC_MASTER_CMD		0x20
#define PIC_MASTER_DATA		0x21
#define PIC_SLAVE_CMD		0xa0
#define PIC_SLAVE_DATA		0xa1
#define PIC_ELCR_MASTER		0x4d0
#define PIC_ELCR_SLAVE		0x4d1
#define PIC_ICW1_INIT		0x10
#define PIC_ICW1_ICW4		0x01
#define PIC_ICW4_8086		0x01
#define PIC_OCW2_EOI		0x20
#define PIC_OCW3		0x08
#define PIC_OCW3_READ_IRR	0x02
#define PIC_OCW3_READ_ISR	0x03
#define PIT_CH0			0x40
#define PIT_CMD			0x43
#define PIT_SPEAKER		0x61

/* MSI: address 0xfeeDD000 for destination APIC ID DD; data = vector. */
#define MSI_ADDR(dest)		(0xfee00000U | ((uint32_t)(dest) << 12))

/* Script steps (kvmt_script.h) for them; a few expand to two steps. */
#define APIC_MMIO(off)		(APIC_DEFAULT_BASE + (off))
#define S_APIC_W(off, val)	S_W32(APIC_MMIO(off), (val))
#define S_APIC_R(off)		S_R32(APIC_MMIO(off))
#define S_APIC_ENABLE()		S_APIC_W(APIC_SPIV, \
					 APIC_SPIV_ENABLE | 0xff)
#define S_EOI()			S_APIC_W(APIC_EOI, 0)
/* ICR2 first: the write to ICR sends the IPI. */
#define S_IPI(dest, icr)	S_APIC_W(APIC_ICR2, (uint32_t)(dest) << 24), \
				S_APIC_W(APIC_ICR, (icr))
#define S_IOAPIC_W(reg, val)	S_W32(IOAPIC_REGSEL, (reg)), \
				S_W32(IOAPIC_WIN, (val))
#define S_IOAPIC_R(reg)		S_W32(IOAPIC_REGSEL, (reg)), \
				S_R32(IOAPIC_WIN)

#endif /* KVMT_IRQ_H */
