/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kvmt: a small library for driving /dev/kvm from the selftests.
 *
 * Two kinds of calls:
 *  - kvmt_*_raw() and the few calls documented as "returns -errno" hand
 *    the kernel's answer back, for tests that check error paths;
 *  - everything else is a setup step that must work: on failure it prints
 *    what failed and why and aborts, which the kselftest harness reports as
 *    a failed test.  Tests then stay about the behaviour they check.
 *
 * Not thread safe per object: one thread owns a vCPU at a time.
 */
#ifndef KVMT_H
#define KVMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>

#include "kvmt_layout.h"

#define KVMT_PAGE_SIZE	4096UL

#define KVMT_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

struct kvmt_vm;

struct kvmt_vcpu {
	struct kvmt_vm *vm;
	int id;
	int fd;
	struct kvm_run *run;
	size_t run_size;
	struct kvmt_vcpu *next;
};

struct kvmt_region {
	uint32_t slot;
	uint32_t flags;
	uint64_t gpa;
	uint64_t size;
	void *hva;
};

struct kvmt_vm {
	int sys_fd;		/* /dev/kvm */
	int fd;			/* the VM */
	size_t run_size;	/* KVM_GET_VCPU_MMAP_SIZE */
	struct kvmt_region *regions;
	unsigned int nr_regions;
	unsigned int max_regions;
	struct kvmt_vcpu *vcpus;
};

enum kvmt_mode {
	KVMT_MODE_REAL,
	KVMT_MODE_PROT32,
	KVMT_MODE_LONG,
};

/*
 * A guest program assembled into the test binary (see kvmt_asm.h).  The
 * extra level lets @name itself be a macro.
 */
#define KVMT_GUEST(name)	__KVMT_GUEST(name)
#define __KVMT_GUEST(name) \
	extern const uint8_t name##_start[], name##_end[]
#define KVMT_CODE(name)		__KVMT_CODE(name)
#define __KVMT_CODE(name)	name##_start, name##_end
#define KVMT_START(name)	__KVMT_START(name)
#define __KVMT_START(name)	name##_start

/* Print "kvmt: <message>[: <errno text>]" with a location and abort(). */
void kvmt_fail(const char *file, int line, int err, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 4, 5)));
#define KVMT_DIE(err, ...) kvmt_fail(__FILE__, __LINE__, (err), __VA_ARGS__)
#define KVMT_REQUIRE(cond, ...) do {					\
	if (!(cond))							\
		KVMT_DIE(errno, __VA_ARGS__);				\
} while (0)

/* System level. */
int kvmt_open_sys(void);		/* fd, or -errno */
bool kvmt_have_kvm(void);		/* /dev/kvm opens and speaks API 12 */
int kvmt_check_cap(int fd, long cap);	/* KVM_CHECK_EXTENSION, dies on error */
long kvmt_ioctl_errno(int fd, unsigned long req, void *arg); /* 0/-errno */

/* VMs and memory. */
struct kvmt_vm *kvmt_vm_new(void);
void kvmt_vm_free(struct kvmt_vm *vm);
int kvmt_set_region_raw(int vm_fd, uint32_t slot, uint32_t flags,
			uint64_t gpa, uint64_t size, uint64_t hva);
void *kvmt_alloc_mem(size_t size);	/* anonymous, zeroed, page aligned */
void kvmt_free_mem(void *hva, size_t size);
void *kvmt_vm_add_ram(struct kvmt_vm *vm, uint32_t slot, uint64_t gpa,
		      uint64_t size, uint32_t flags);
void kvmt_vm_del_ram(struct kvmt_vm *vm, uint32_t slot);
void *kvmt_gpa2hva(struct kvmt_vm *vm, uint64_t gpa);
void kvmt_write_guest(struct kvmt_vm *vm, uint64_t gpa, const void *src,
		      size_t len);
void kvmt_load_code(struct kvmt_vm *vm, uint64_t gpa, const void *start,
		    const void *end);

/* vCPUs. */
struct kvmt_vcpu *kvmt_vcpu_new(struct kvmt_vm *vm, int id);
void kvmt_vcpu_free(struct kvmt_vcpu *vcpu);
int kvmt_vcpu_run_raw(struct kvmt_vcpu *vcpu);	/* 0 or -errno */
void kvmt_get_regs(struct kvmt_vcpu *vcpu, struct kvm_regs *regs);
void kvmt_set_regs(struct kvmt_vcpu *vcpu, const struct kvm_regs *regs);
void kvmt_get_sregs(struct kvmt_vcpu *vcpu, struct kvm_sregs *sregs);
void kvmt_set_sregs(struct kvmt_vcpu *vcpu, const struct kvm_sregs *sregs);
uint64_t kvmt_get_rip(struct kvmt_vcpu *vcpu);
void kvmt_set_rip(struct kvmt_vcpu *vcpu, uint64_t rip);

/* x86 modes (lib/kvmt_x86.c). */
void kvmt_setup_mode(struct kvmt_vcpu *vcpu, enum kvmt_mode mode,
		     uint64_t entry);
const char *kvmt_mode_name(enum kvmt_mode mode);

/*
 * One VM with RAM in slot 0, vCPU 0, the program copied to KVMT_CODE_GPA
 * and the vCPU set up in @mode to start there.  Free with kvmt_vm_free().
 */
struct kvmt_vcpu *kvmt_guest_new(enum kvmt_mode mode, const void *start,
				 const void *end);

/*
 * CPUID, MSRs and exceptions (lib/kvmt_cpu.c).
 *
 * kvmt_cpuid_alloc() returns a zeroed table of @nent entries;
 * kvmt_supported_cpuid() the whole KVM_GET_SUPPORTED_CPUID answer of
 * @sys_fd.  Free both with free().
 */
struct kvm_cpuid2 *kvmt_cpuid_alloc(unsigned int nent);
struct kvm_cpuid2 *kvmt_supported_cpuid(int sys_fd);
/* The entry for @function/@index (index ignored unless significant). */
struct kvm_cpuid_entry2 *kvmt_cpuid_find(struct kvm_cpuid2 *cpuid,
					 uint32_t function, uint32_t index);
void kvmt_set_cpuid(struct kvmt_vcpu *vcpu, const struct kvm_cpuid2 *cpuid);
/* The VMM's usual first step: the supported CPUID as the vCPU's. */
void kvmt_set_supported_cpuid(struct kvmt_vcpu *vcpu);
/* Whether the supported CPUID names an AMD (or Hygon) CPU. */
bool kvmt_cpu_is_amd(int sys_fd);
/* kvmt_guest_new(), with the supported CPUID set before the mode. */
struct kvmt_vcpu *kvmt_guest_new_cpuid(enum kvmt_mode mode,
				       const void *start, const void *end);

/* KVM_GET_MSR_INDEX_LIST or KVM_GET_MSR_FEATURE_INDEX_LIST; free(). */
struct kvm_msr_list *kvmt_msr_list(int sys_fd, unsigned long req);
/*
 * One MSR through KVM_GET_MSRS/KVM_SET_MSRS on @fd (vCPU, or /dev/kvm
 * for feature MSRs): the ioctl's answer, i.e. 1 on success, 0 if KVM
 * refused the MSR, -errno if the ioctl failed.
 */
int kvmt_get_msr_raw(int fd, uint32_t index, uint64_t *value);
int kvmt_set_msr_raw(int fd, uint32_t index, uint64_t value);
/* Setup variants: die unless the MSR was processed. */
uint64_t kvmt_get_msr(struct kvmt_vcpu *vcpu, uint32_t index);
void kvmt_set_msr(struct kvmt_vcpu *vcpu, uint32_t index, uint64_t value);

/*
 * 64-bit guests only: load the entry stubs of guest/vectors.S at
 * KVMT_VECTORS_GPA and point all 256 IDT gates (interrupt gates, ring 0)
 * at them.  A stub that takes vector V executes OUT of V (4 bytes) to
 * KVMT_PORT_VECTOR with RCX = the error code (0 if the vector has none)
 * and RDX = the RIP saved by the CPU; on the next KVM_RUN it returns with
 * IRETQ to the address then in RDX, having restored RAX, RCX and RDX.
 * kvmt_vector_info() reads both at that exit, kvmt_vector_resume() sets
 * where the guest goes on (e.g. past a faulting instruction).
 */
void kvmt_setup_idt(struct kvmt_vcpu *vcpu);
void kvmt_vector_info(struct kvmt_vcpu *vcpu, uint64_t *error_code,
		      uint64_t *rip);
void kvmt_vector_resume(struct kvmt_vcpu *vcpu, uint64_t rip);

/*
 * In-kernel irqchip and scripted guests (lib/kvmt_script.c,
 * include/kvmt_script.h).  kvmt_irqchip_vm_new(): a VM with
 * KVM_CREATE_IRQCHIP, RAM in slot 0 and the script interpreter at
 * KVMT_CODE_GPA.  kvmt_script_vcpu_new(): a vCPU of it with the supported
 * CPUID, in 64-bit mode with the reporting IDT.  kvmt_script_start():
 * copy @n steps to the vCPU's script area and point the vCPU at the
 * interpreter with RSI at the script.
 */
struct kvmt_step;
struct kvmt_vm *kvmt_irqchip_vm_new(void);
struct kvmt_vcpu *kvmt_script_vcpu_new(struct kvmt_vm *vm, int id);
void kvmt_script_start(struct kvmt_vcpu *vcpu, const struct kvmt_step *steps,
		       size_t n);
#define KVMT_SCRIPT(vcpu, steps) \
	kvmt_script_start((vcpu), (steps), KVMT_ARRAY_SIZE(steps))

void kvmt_get_lapic(struct kvmt_vcpu *vcpu, struct kvm_lapic_state *s);
void kvmt_set_lapic(struct kvmt_vcpu *vcpu, const struct kvm_lapic_state *s);
/* A 32-bit register of the page at offset @off (APIC_* of kvmt_irq.h). */
uint32_t kvmt_lapic_reg(const struct kvm_lapic_state *s, unsigned int off);
void kvmt_lapic_set_reg(struct kvm_lapic_state *s, unsigned int off,
			uint32_t v);
uint32_t kvmt_lapic_read(struct kvmt_vcpu *vcpu, unsigned int off);
/* Bit @vector of the 256-bit ISR, TMR or IRR starting at @base. */
bool kvmt_lapic_bit(const struct kvm_lapic_state *s, unsigned int base,
		    unsigned int vector);
void kvmt_get_irqchip(struct kvmt_vm *vm, uint32_t chip,
		      struct kvm_irqchip *c);
void kvmt_set_irqchip(struct kvmt_vm *vm, const struct kvm_irqchip *c);
/* Redirection table entry @pin of the IOAPIC = @entry. */
void kvmt_ioapic_route(struct kvmt_vm *vm, unsigned int pin, uint64_t entry);
void kvmt_irq_line(struct kvmt_vm *vm, uint32_t gsi, uint32_t level);
/* KVM_IRQ_LINE_STATUS: the status it returns. */
int kvmt_irq_line_status(struct kvmt_vm *vm, uint32_t gsi, uint32_t level);

/* Exits (lib/kvmt_exit.c). */
const char *kvmt_exit_name(uint32_t reason);
/* A one-line description of the last exit, with reason-specific details. */
void kvmt_describe_exit(struct kvmt_vcpu *vcpu, char *buf, size_t len);
static inline void *kvmt_io_data(struct kvmt_vcpu *vcpu)
{
	return (uint8_t *)vcpu->run + vcpu->run->io.data_offset;
}
uint64_t kvmt_le_value(const void *p, unsigned int len);
void kvmt_le_store(void *p, unsigned int len, uint64_t val);

/* /proc helpers for leak checks. */
long kvmt_meminfo_kb(const char *field);	/* -1 if missing */
int kvmt_count_fds(void);

#endif /* KVMT_H */
