// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvmt CPU state helpers: CPUID tables, MSR access through KVM_GET/SET_MSRS
 * and a 64-bit IDT whose stubs report every exception and interrupt to the
 * test (guest/vectors.S).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kvmt.h"

KVMT_GUEST(kvmt_vectors);

struct kvm_cpuid2 *kvmt_cpuid_alloc(unsigned int nent)
{
	struct kvm_cpuid2 *c;

	c = calloc(1, sizeof(*c) + nent * sizeof(c->entries[0]));
	KVMT_REQUIRE(c, "calloc");
	c->nent = nent;
	return c;
}

struct kvm_cpuid2 *kvmt_supported_cpuid(int sys_fd)
{
	unsigned int nent;

	/*
	 * E2BIG says "more": grow until it fits.  KVM_SET_CPUID2 takes at
	 * most 256 entries, so that is where a sane answer ends.
	 */
	for (nent = 64; nent <= 4096; nent *= 2) {
		struct kvm_cpuid2 *c = kvmt_cpuid_alloc(nent);

		if (!ioctl(sys_fd, KVM_GET_SUPPORTED_CPUID, c))
			return c;
		free(c);
		KVMT_REQUIRE(errno == E2BIG, "KVM_GET_SUPPORTED_CPUID");
	}
	KVMT_DIE(0, "KVM_GET_SUPPORTED_CPUID wants more than 4096 entries");
}

struct kvm_cpuid_entry2 *kvmt_cpuid_find(struct kvm_cpuid2 *cpuid,
					 uint32_t function, uint32_t index)
{
	unsigned int i;

	for (i = 0; i < cpuid->nent; i++) {
		struct kvm_cpuid_entry2 *e = &cpuid->entries[i];

		if (e->function != function)
			continue;
		if ((e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) &&
		    e->index != index)
			continue;
		return e;
	}
	return NULL;
}

void kvmt_set_cpuid(struct kvmt_vcpu *vcpu, const struct kvm_cpuid2 *cpuid)
{
	KVMT_REQUIRE(!ioctl(vcpu->fd, KVM_SET_CPUID2, cpuid),
		     "KVM_SET_CPUID2 (%u entries)", cpuid->nent);
}

void kvmt_set_supported_cpuid(struct kvmt_vcpu *vcpu)
{
	struct kvm_cpuid2 *c = kvmt_supported_cpuid(vcpu->vm->sys_fd);

	kvmt_set_cpuid(vcpu, c);
	free(c);
}

bool kvmt_cpu_is_amd(int sys_fd)
{
	struct kvm_cpuid2 *c = kvmt_supported_cpuid(sys_fd);
	struct kvm_cpuid_entry2 *e = kvmt_cpuid_find(c, 0, 0);
	/* EBX of leaf 0: "Auth"(enticAMD) or "Hygo"(nGenuine). */
	bool amd = e && (e->ebx == 0x68747541 || e->ebx == 0x6f677948);

	free(c);
	return amd;
}

struct kvmt_vcpu *kvmt_guest_new_cpuid(enum kvmt_mode mode,
				       const void *start, const void *end)
{
	struct kvmt_vm *vm = kvmt_vm_new();
	struct kvmt_vcpu *vcpu;

	kvmt_vm_add_ram(vm, KVMT_RAM_SLOT, 0, KVMT_RAM_SIZE, 0);
	vcpu = kvmt_vcpu_new(vm, 0);
	/* As a VMM does it: CPUID first, it decides which CR4 bits exist. */
	kvmt_set_supported_cpuid(vcpu);
	kvmt_load_code(vm, KVMT_CODE_GPA, start, end);
	kvmt_setup_mode(vcpu, mode, KVMT_CODE_GPA);
	return vcpu;
}

struct kvm_msr_list *kvmt_msr_list(int sys_fd, unsigned long req)
{
	struct kvm_msr_list probe = { .nmsrs = 0 }, *list;
	unsigned int n;

	/* An empty buffer: E2BIG with the real count written back. */
	if (!ioctl(sys_fd, req, &probe))
		n = 0;
	else {
		KVMT_REQUIRE(errno == E2BIG, "MSR list probe");
		n = probe.nmsrs;
	}
	list = calloc(1, sizeof(*list) + (n + 1) * sizeof(list->indices[0]));
	KVMT_REQUIRE(list, "calloc");
	list->nmsrs = n;
	KVMT_REQUIRE(!ioctl(sys_fd, req, list), "MSR list of %u", n);
	return list;
}

/* struct kvm_msrs with room for one entry. */
struct one_msr {
	struct kvm_msrs hdr;
	struct kvm_msr_entry e;
};

int kvmt_get_msr_raw(int fd, uint32_t index, uint64_t *value)
{
	struct one_msr m = { .hdr.nmsrs = 1, .e.index = index };
	int r = ioctl(fd, KVM_GET_MSRS, &m);

	if (r < 0)
		return -errno;
	if (r == 1)
		*value = m.e.data;
	return r;
}

int kvmt_set_msr_raw(int fd, uint32_t index, uint64_t value)
{
	struct one_msr m = {
		.hdr.nmsrs = 1, .e.index = index, .e.data = value,
	};
	int r = ioctl(fd, KVM_SET_MSRS, &m);

	return r < 0 ? -errno : r;
}

uint64_t kvmt_get_msr(struct kvmt_vcpu *vcpu, uint32_t index)
{
	uint64_t v = 0;
	int r = kvmt_get_msr_raw(vcpu->fd, index, &v);

	if (r != 1)
		KVMT_DIE(r < 0 ? -r : 0, "KVM_GET_MSRS %#x returned %d",
			 index, r);
	return v;
}

void kvmt_set_msr(struct kvmt_vcpu *vcpu, uint32_t index, uint64_t value)
{
	int r = kvmt_set_msr_raw(vcpu->fd, index, value);

	if (r != 1)
		KVMT_DIE(r < 0 ? -r : 0, "KVM_SET_MSRS %#x = %#llx returned %d",
			 index, (unsigned long long)value, r);
}

/* A 64-bit interrupt gate: present, DPL 0, type 0xe. */
static void idt_gate(uint64_t *gate, uint64_t handler, uint16_t sel)
{
	gate[0] = (handler & 0xffff) | ((uint64_t)sel << 16) |
		  (0x8eULL << 40) | ((handler >> 16 & 0xffff) << 48);
	gate[1] = handler >> 32;
}

void kvmt_setup_idt(struct kvmt_vcpu *vcpu)
{
	uint64_t idt[256 * 2];
	struct kvm_sregs sregs;
	unsigned int v;

	kvmt_load_code(vcpu->vm, KVMT_VECTORS_GPA, KVMT_CODE(kvmt_vectors));
	for (v = 0; v < 256; v++)
		idt_gate(&idt[2 * v],
			 KVMT_VECTORS_GPA + v * KVMT_VECTOR_STUB_SIZE,
			 KVMT_SEL_CODE64);
	kvmt_write_guest(vcpu->vm, KVMT_IDT_GPA, idt, sizeof(idt));
	kvmt_get_sregs(vcpu, &sregs);
	sregs.idt.base = KVMT_IDT_GPA;
	sregs.idt.limit = sizeof(idt) - 1;
	kvmt_set_sregs(vcpu, &sregs);
}

void kvmt_vector_info(struct kvmt_vcpu *vcpu, uint64_t *error_code,
		      uint64_t *rip)
{
	struct kvm_regs regs;

	kvmt_get_regs(vcpu, &regs);
	if (error_code)
		*error_code = regs.rcx;
	if (rip)
		*rip = regs.rdx;
}

void kvmt_vector_resume(struct kvmt_vcpu *vcpu, uint64_t rip)
{
	struct kvm_regs regs;

	kvmt_get_regs(vcpu, &regs);
	regs.rdx = rip;
	kvmt_set_regs(vcpu, &regs);
}
