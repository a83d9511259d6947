// SPDX-License-Identifier: GPL-2.0-only
/*
 * Exits to userspace from a guest in 64-bit long mode on
 * identity-mapped 4-level page tables:
 * OUT/IN of each width, string I/O, MMIO, HLT.  See guest_io.inc.
 */
#define GUEST_MODE	KVMT_MODE_LONG
#define GUEST_LONG	1
#define G(x)		long_##x
#define ADDR_BASE	((uint64_t)KVMT_CODE_GPA)
#define MMIO_BASE	((uint64_t)KVMT_MMIO_GPA)
#define MODE_CR0	0x80000031	/* as set up by kvmt_setup_mode() */
#define MODE_CR4	0x20
#define MODE_EFER	0x500

#include "guest_io.inc"
