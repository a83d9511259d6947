/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * int vmx_vmenter(u64 *regs, bool launched): enter the guest once.
 *
 * Called with interrupts disabled and the vCPU's VMCS current.  VM entry
 * loads RSP, RIP and RFLAGS from the VMCS; the other general purpose
 * registers are swapped here.  A VM exit resumes at vmx_vmexit with the
 * RSP written to HOST_RSP just before the entry, so the regs pointer is
 * found on the stack.
 *
 * vmx_vmexit directly follows VMRESUME, so a failed VMLAUNCH/VMRESUME
 * (which falls through) and a VM exit share the path back.  They differ
 * in the flags: a VM exit clears RFLAGS, a VM-instruction failure sets
 * CF or ZF.  Returns 0 after a VM exit, 1 if the entry instruction failed.
 *
 * VMLAUNCH/VMRESUME fault (#UD) if VMX was switched off under us: the
 * emergency path (crash, in an NMI) may do that at any time.  The fault
 * is taken as a failed entry.
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>

/* Offsets in the regs[] array (enum x86_gpr order). */
#define R_RAX	(0 * 8)
#define R_RCX	(1 * 8)
#define R_RDX	(2 * 8)
#define R_RBX	(3 * 8)
#define R_RBP	(5 * 8)
#define R_RSI	(6 * 8)
#define R_RDI	(7 * 8)
#define R_R8	(8 * 8)
#define R_R9	(9 * 8)
#define R_R10	(10 * 8)
#define R_R11	(11 * 8)
#define R_R12	(12 * 8)
#define R_R13	(13 * 8)
#define R_R14	(14 * 8)
#define R_R15	(15 * 8)

/* VMCS field encoding of HOST_RSP. */
#define VMCS_HOST_RSP	0x6c14

	.text

SYM_FUNC_START(vmx_vmenter)
	push %rbp
	mov  %rsp, %rbp
	push %r15
	push %r14
	push %r13
	push %r12
	push %rbx

	/* The regs pointer, found at 0(%rsp) again after the VM exit. */
	push %rdi

	mov  $VMCS_HOST_RSP, %eax
	vmwrite %rsp, %rax

	/* ZF=1: not launched yet.  Nothing below changes the flags. */
	test %sil, %sil

	/* Guest GPRs in; RSP comes from the VMCS, RAX last. */
	mov  %rdi, %rax
	mov  R_RCX(%rax), %rcx
	mov  R_RDX(%rax), %rdx
	mov  R_RBX(%rax), %rbx
	mov  R_RBP(%rax), %rbp
	mov  R_RSI(%rax), %rsi
	mov  R_RDI(%rax), %rdi
	mov  R_R8(%rax),  %r8
	mov  R_R9(%rax),  %r9
	mov  R_R10(%rax), %r10
	mov  R_R11(%rax), %r11
	mov  R_R12(%rax), %r12
	mov  R_R13(%rax), %r13
	mov  R_R14(%rax), %r14
	mov  R_R15(%rax), %r15
	mov  R_RAX(%rax), %rax

	jnz  .Lresume
.Llaunch:
	vmlaunch
	/* VMLAUNCH failed: CF or ZF is set; jmp keeps the flags. */
	jmp  vmx_vmexit
.Lresume:
	vmresume
	jmp  vmx_vmexit
.Lfault:
	/* CF=1: reported as a failed VM instruction. */
	stc
	jmp  vmx_vmexit

	_ASM_EXTABLE(.Llaunch, .Lfault)
	_ASM_EXTABLE(.Lresume, .Lfault)

SYM_INNER_LABEL(vmx_vmexit, SYM_L_GLOBAL)
	/* Guest GPRs out; no instruction here may change the flags. */
	push %rax
	mov  8(%rsp), %rax
	mov  %rcx, R_RCX(%rax)
	mov  %rdx, R_RDX(%rax)
	mov  %rbx, R_RBX(%rax)
	mov  %rbp, R_RBP(%rax)
	mov  %rsi, R_RSI(%rax)
	mov  %rdi, R_RDI(%rax)
	mov  %r8,  R_R8(%rax)
	mov  %r9,  R_R9(%rax)
	mov  %r10, R_R10(%rax)
	mov  %r11, R_R11(%rax)
	mov  %r12, R_R12(%rax)
	mov  %r13, R_R13(%rax)
	mov  %r14, R_R14(%rax)
	mov  %r15, R_R15(%rax)
	popq R_RAX(%rax)

	/* 1 if the VM-instruction failed (CF or ZF), 0 after a VM exit. */
	mov  $0, %eax
	setbe %al
	add  $8, %rsp

	/* Leave no guest values in registers the C code does not restore. */
	xor  %ecx, %ecx
	xor  %edx, %edx
	xor  %esi, %esi
	xor  %edi, %edi
	xor  %r8d, %r8d
	xor  %r9d, %r9d
	xor  %r10d, %r10d
	xor  %r11d, %r11d

	pop  %rbx
	pop  %r12
	pop  %r13
	pop  %r14
	pop  %r15
	pop  %rbp
	RET
SYM_FUNC_END(vmx_vmenter)
