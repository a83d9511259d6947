/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest physical memory layout shared by the test library, the C tests and
 * the guest code in guest/\*.S.  Only preprocessor constants live here so
 * that the assembler can include it too.
 *
 * Slot 0 is RAM from 0 to KVMT_RAM_SIZE (640 KiB).  Everything above it is
 * unbacked, so the legacy VGA window (0xa0000-0xfffff) and 3 GiB are free
 * for MMIO exits in real mode and in 32/64-bit mode respectively.
 */
#ifndef KVMT_LAYOUT_H
#define KVMT_LAYOUT_H

#define KVMT_RAM_SLOT		0
#define KVMT_RAM_SIZE		0xa0000

#define KVMT_GDT_GPA		0x1000
#define KVMT_IDT_GPA		0x2000
/* 4-level identity map of 0-4 GiB with 2 MiB pages: PML4, PDPT, 4 PDs. */
#define KVMT_PML4_GPA		0x3000
#define KVMT_PDPT_GPA		0x4000
#define KVMT_PD_GPA		0x5000
#define KVMT_PT_END		0x9000
#define KVMT_STACK_TOP		0xf000
/* Guest code is copied here; 64 KiB aligned so real mode can use CS=0x1000. */
#define KVMT_CODE_GPA		0x10000
#define KVMT_CODE_MAX		0x20000
/*
 * Exception and interrupt entry stubs (guest/vectors.S) for the 64-bit IDT
 * that kvmt_setup_idt() installs at KVMT_IDT_GPA.
 */
#define KVMT_VECTORS_GPA	0x30000
#define KVMT_VECTOR_STUB_SIZE	16
/* The stubs report every vector they take with a 4-byte OUT here. */
#define KVMT_PORT_VECTOR	0xe0
/* Scratch RAM the guest programs may use for buffers. */
#define KVMT_DATA_GPA		0x40000
#define KVMT_DATA_SIZE		0x10000

/* MMIO targets: no memslot covers them. */
#define KVMT_MMIO_GPA		0xc0000000
#define KVMT_REAL_MMIO_SEG	0xb000
#define KVMT_REAL_MMIO_GPA	0xb0000

/* GDT selectors of the flat descriptors the library installs. */
#define KVMT_SEL_CODE32		0x08
#define KVMT_SEL_DATA		0x10
#define KVMT_SEL_CODE64		0x18

#endif /* KVMT_LAYOUT_H */
