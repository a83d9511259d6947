/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * svm_vmrun(vmcb_pa, regs, host_vmcb_pa): enter the guest once.
 *
 * Called with interrupts disabled and GIF clear.  VMRUN itself switches
 * only RAX, RSP, RIP, RFLAGS and the state in the VMCB save area, so the
 * other general purpose registers are swapped here, and the "hidden"
 * state VMRUN leaves alone (FS/GS/TR/LDTR, KERNEL_GS_BASE, the SYSCALL and
 * SYSENTER MSRs) is swapped with VMSAVE/VMLOAD: host state into the
 * per-CPU host VMCB, guest state from/to the guest's VMCB.
 *
 * RFLAGS.IF is set just for VMRUN: it becomes the host IF that VMRUN
 * saves, so a physical interrupt in the guest causes an INTR #VMEXIT;
 * GIF=0 keeps the interrupt from being taken here in the host.
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>

/* Offsets in the regs[] array (enum x86_gpr order). */
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

	.text

SYM_FUNC_START(svm_vmrun)
	push %rbp
	mov  %rsp, %rbp
	push %r15
	push %r14
	push %r13
	push %r12
	push %rbx

	/* Keep the arguments: 16(%rsp) host vmcb, 8(%rsp) regs, 0 vmcb. */
	push %rdx
	push %rsi
	push %rdi

	/* Host hidden state out. */
	mov  %rdx, %rax
	vmsave %rax

	/* Guest GPRs in; RAX, RSP come from the VMCB. */
	mov  %rsi, %rax
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

	/*
	 * STI is kept away from VMRUN: QEMU's TCG carries the STI
	 * interrupt shadow of the host's instruction into the guest when
	 * VMRUN sits in it, and the guest's own STI then opens no shadow
	 * (an "sti; hlt" or an interrupt window then goes wrong).  GIF=0
	 * holds interrupts off either way.
	 */
	mov  (%rsp), %rax
	sti
	vmload %rax
	vmrun %rax
	cli
	vmsave %rax

	/* Guest GPRs out. */
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

	/* Host hidden state back. */
	mov  16(%rsp), %rax
	vmload %rax
	add  $24, %rsp

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
SYM_FUNC_END(svm_vmrun)
