// SPDX-License-Identifier: GPL-2.0-only
/*
 * Exits to userspace from a guest in flat 32-bit protected mode
 * without paging:
 * OUT/IN of each width, string I/O, MMIO, HLT.  See guest_io.inc.
 */
#define GUEST_MODE	KVMT_MODE_PROT32
#define GUEST_LONG	0
#define G(x)		prot32_##x
#define ADDR_BASE	((uint64_t)KVMT_CODE_GPA)
#define MMIO_BASE	((uint64_t)KVMT_MMIO_GPA)
#define MODE_CR0	0x00000031	/* as set up by kvmt_setup_mode() */
#define MODE_CR4	0
#define MODE_EFER	0

#include "guest_io.inc"
