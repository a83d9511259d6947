/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A 64-bit guest that runs a script written by the test (guest/script.S),
 * so that tests of devices the guest programs (local APIC, IOAPIC, PIC,
 * PIT) read as a list of steps in C instead of one assembly program per
 * test.  Preprocessor constants only above the C part, so that the
 * assembler can include it.
 *
 * A script is an array of struct kvmt_step in guest memory; the guest
 * starts with RSI pointing at it.  Every step is op, arg, a, b:
 *
 *   END            OUT of 0 to KVMT_SCRIPT_PORT_END, then CLI; HLT forever
 *   MARK a         OUT of a (4 bytes) to KVMT_SCRIPT_PORT_MARK
 *   W32 a b        32-bit store of b to address a
 *   R32 a          32-bit load from address a into RAX; OUT of EAX to
 *                  KVMT_SCRIPT_PORT_READ (RAX holds the whole value)
 *   WAIT a b arg   load from address a until (value & arg) == b
 *   WRMSR a b      MSR a = b
 *   RDMSR a        RAX = MSR a (64 bits); OUT of EAX to ..._PORT_READ
 *   OUTB a b       OUT of the byte b to port a
 *   INB a          RAX = IN of a byte from port a; OUT as for R32
 *   STI, CLI       set, clear IF
 *   STI_HLT        STI; HLT: the HLT is in the STI shadow, so an
 *                  interrupt pending at the STI wakes it; IF stays set.
 *                  An interrupt that ends the HLT is taken with RIP at
 *                  KVMT_SCRIPT_AFTER_HLT
 *   HLT            HLT with IF as it is
 *   SPIN a         a rounds of PAUSE
 *   OUT a b arg    OUT of b, arg (1, 2 or 4) bytes wide, to port a
 *   WN a b arg     store of b, arg (1, 2, 4 or 8) bytes wide, to address a
 *
 * Interrupts are reported by the stubs of kvmt_setup_idt(), which keep
 * every register but RAX, RCX and RDX, none of which the interpreter
 * carries across steps.
 */
#ifndef KVMT_SCRIPT_H
#define KVMT_SCRIPT_H

/*
 * Scripts of vCPU n are copied to KVMT_SCRIPT_GPA(n); its stack ends
 * n pages below KVMT_STACK_TOP.
 */
#define KVMT_SCRIPT_BASE	0x50000
#define KVMT_SCRIPT_SIZE	0x2000
#define KVMT_SCRIPT_MAX_VCPUS	4
#define KVMT_SCRIPT_GPA(n)	(KVMT_SCRIPT_BASE + (n) * KVMT_SCRIPT_SIZE)

#define KVMT_SCRIPT_PORT_END	0xe1
#define KVMT_SCRIPT_PORT_READ	0xe2
#define KVMT_SCRIPT_PORT_MARK	0xe3

#define KVMT_OP_END		0
#define KVMT_OP_MARK		1
#define KVMT_OP_W32		2
#define KVMT_OP_R32		3
#define KVMT_OP_WAIT		4
#define KVMT_OP_WRMSR		5
#define KVMT_OP_RDMSR		6
#define KVMT_OP_OUTB		7
#define KVMT_OP_INB		8
#define KVMT_OP_STI		9
#define KVMT_OP_CLI		10
#define KVMT_OP_STI_HLT		11
#define KVMT_OP_HLT		12
#define KVMT_OP_SPIN		13
#define KVMT_OP_OUT		14
#define KVMT_OP_WN		15

/* Size of a step and offsets of its fields. */
#define KVMT_STEP_SIZE		24
#define KVMT_STEP_ARG		4
#define KVMT_STEP_A		8
#define KVMT_STEP_B		16

#ifndef __ASSEMBLER__
#include <stdint.h>

struct kvmt_step {
	uint32_t op;
	uint32_t arg;
	uint64_t a;
	uint64_t b;
};

_Static_assert(sizeof(struct kvmt_step) == KVMT_STEP_SIZE, "step size");

extern const uint8_t long_script_start[], long_script_after_hlt[];
#define KVMT_SCRIPT_AFTER_HLT \
	(KVMT_CODE_GPA + (uint64_t)(long_script_after_hlt - long_script_start))

#define S_END()			{ KVMT_OP_END, 0, 0, 0 }
#define S_MARK(n)		{ KVMT_OP_MARK, 0, (n), 0 }
#define S_W32(addr, val)	{ KVMT_OP_W32, 0, (addr), (val) }
#define S_R32(addr)		{ KVMT_OP_R32, 0, (addr), 0 }
#define S_WAIT(addr, mask, val)	{ KVMT_OP_WAIT, (mask), (addr), (val) }
#define S_WRMSR(msr, val)	{ KVMT_OP_WRMSR, 0, (msr), (val) }
#define S_RDMSR(msr)		{ KVMT_OP_RDMSR, 0, (msr), 0 }
#define S_OUTB(port, val)	{ KVMT_OP_OUTB, 0, (port), (val) }
#define S_INB(port)		{ KVMT_OP_INB, 0, (port), 0 }
#define S_STI()			{ KVMT_OP_STI, 0, 0, 0 }
#define S_CLI()			{ KVMT_OP_CLI, 0, 0, 0 }
#define S_STI_HLT()		{ KVMT_OP_STI_HLT, 0, 0, 0 }
#define S_HLT()			{ KVMT_OP_HLT, 0, 0, 0 }
#define S_SPIN(n)		{ KVMT_OP_SPIN, 0, (n), 0 }
#define S_OUT(port, len, val)	{ KVMT_OP_OUT, (len), (port), (val) }
#define S_OUTW(port, val)	S_OUT((port), 2, (val))
#define S_OUTL(port, val)	S_OUT((port), 4, (val))
#define S_WN(addr, len, val)	{ KVMT_OP_WN, (len), (addr), (val) }
#define S_W8(addr, val)		S_WN((addr), 1, (val))
#define S_W16(addr, val)	S_WN((addr), 2, (val))
#define S_W64(addr, val)	S_WN((addr), 8, (val))
#endif

#endif /* KVMT_SCRIPT_H */
