/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace stand-in for <linux/errno.h>.  The C library's <errno.h>
 * itself includes <linux/errno.h>, so this must provide the numbers the
 * way the UAPI header does rather than include <errno.h>.
 */
#ifndef EMUL_SHIM_LINUX_ERRNO_H
#define EMUL_SHIM_LINUX_ERRNO_H

#include <asm/errno.h>

#endif
