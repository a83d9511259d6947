/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * 64-bit MSR and TSC building blocks for msrs.c and vm_ioctls.c, driven
 * through registers set with KVM_SET_REGS.  Each reports with a 1-byte OUT
 * and stops at a HLT loop; the test reads the results from the registers
 * at the OUT exit.  Position independent.
 */
#include "kvmt_asm.h"

	.code64

/* EDX:EAX = MSR[ECX]; OUT to port 0x90. */
GUEST_BEGIN(long_rdmsr)
	rdmsr
	out	%al, $0x90
1:	hlt
	jmp	1b
GUEST_END(long_rdmsr)

/* MSR[ECX] = EDX:EAX; OUT to port 0x91. */
GUEST_BEGIN(long_wrmsr)
	wrmsr
	out	%al, $0x91
1:	hlt
	jmp	1b
GUEST_END(long_wrmsr)

/* EDX:EAX = TSC; OUT to port 0x94. */
GUEST_BEGIN(long_rdtsc)
	rdtsc
	out	%al, $0x94
1:	hlt
	jmp	1b
GUEST_END(long_rdtsc)

/*
 * Move the TSC by R9 with a WRMSR of TSC + R9 to MSR_IA32_TSC, then
 * RBX = the TSC read back and EDX:EAX = MSR_IA32_TSC_ADJUST; OUT to 0x95.
 */
GUEST_BEGIN(long_tsc_bump)
	rdtsc
	shl	$32, %rdx
	or	%rdx, %rax
	add	%r9, %rax
	mov	%rax, %rdx
	shr	$32, %rdx
	mov	$0x10, %ecx
	wrmsr
	rdtsc
	shl	$32, %rdx
	or	%rdx, %rax
	mov	%rax, %rbx
	mov	$0x3b, %ecx
	rdmsr
	out	%al, $0x95
1:	hlt
	jmp	1b
GUEST_END(long_tsc_bump)

/*
 * RBX = TSC; MSR_IA32_TSC_ADJUST += R9; RSI = TSC; OUT to 0x96.
 */
GUEST_BEGIN(long_tsc_adjust_bump)
	rdtsc
	shl	$32, %rdx
	or	%rdx, %rax
	mov	%rax, %rbx
	mov	$0x3b, %ecx
	rdmsr
	shl	$32, %rdx
	or	%rdx, %rax
	add	%r9, %rax
	mov	%rax, %rdx
	shr	$32, %rdx
	wrmsr
	rdtsc
	shl	$32, %rdx
	or	%rdx, %rax
	mov	%rax, %rsi
	out	%al, $0x96
1:	hlt
	jmp	1b
GUEST_END(long_tsc_adjust_bump)

	GUEST_NOTE_STACK
