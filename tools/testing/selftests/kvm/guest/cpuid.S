/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * CPUID over a list, for cpuid.c: RSI (ESI) points to (leaf, subleaf)
 * pairs of 32-bit words, RDI (EDI) to 16-byte records that receive EAX,
 * EBX, ECX and EDX of each, R8 (EBP) holds the number of pairs.  Then
 * OUT to port 0xa0 and HLT.
 */
#include "kvmt_asm.h"

	.code64
GUEST_BEGIN(long_cpuid_list)
1:	test	%r8, %r8
	jz	2f
	mov	(%rsi), %eax
	mov	4(%rsi), %ecx
	cpuid
	mov	%eax, (%rdi)
	mov	%ebx, 4(%rdi)
	mov	%ecx, 8(%rdi)
	mov	%edx, 12(%rdi)
	add	$8, %rsi
	add	$16, %rdi
	dec	%r8
	jmp	1b
2:	out	%al, $0xa0
3:	hlt
	jmp	3b
GUEST_END(long_cpuid_list)

	.code32
GUEST_BEGIN(prot32_cpuid_list)
1:	test	%ebp, %ebp
	jz	2f
	mov	(%esi), %eax
	mov	4(%esi), %ecx
	cpuid
	mov	%eax, (%edi)
	mov	%ebx, 4(%edi)
	mov	%ecx, 8(%edi)
	mov	%edx, 12(%edi)
	add	$8, %esi
	add	$16, %edi
	dec	%ebp
	jmp	1b
2:	out	%al, $0xa0
3:	hlt
	jmp	3b
GUEST_END(prot32_cpuid_list)

	GUEST_NOTE_STACK
