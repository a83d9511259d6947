/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace stand-in for <linux/string.h>. */
#ifndef EMUL_SHIM_LINUX_STRING_H
#define EMUL_SHIM_LINUX_STRING_H

#include <string.h>

#endif
