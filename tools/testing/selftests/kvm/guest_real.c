// SPDX-License-Identifier: GPL-2.0-only
/*
 * Exits to userspace from a guest in real mode (CS base from a segment):
 * OUT/IN of each width, string I/O, MMIO, HLT.  See guest_io.inc.
 */
#define GUEST_MODE	KVMT_MODE_REAL
#define GUEST_LONG	0
#define G(x)		real_##x
#define ADDR_BASE	((uint64_t)0)
#define MMIO_BASE	((uint64_t)KVMT_REAL_MMIO_GPA)
#define MODE_CR0	0x60000010	/* as set up by kvmt_setup_mode() */
#define MODE_CR4	0
#define MODE_EFER	0

#include "guest_io.inc"
