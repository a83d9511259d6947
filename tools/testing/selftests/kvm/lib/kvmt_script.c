// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvmt scripted guests (include/kvmt_script.h) and in-kernel irqchip
 * helpers: a VM with KVM_CREATE_IRQCHIP whose vCPUs run the script
 * interpreter of guest/script.S in 64-bit mode with the reporting IDT.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kvmt.h"
#include "kvmt_script.h"

KVMT_GUEST(long_script);

struct kvmt_vm *kvmt_irqchip_vm_new(void)
{
	struct kvmt_vm *vm = kvmt_vm_new();

	KVMT_REQUIRE(!ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0),
		     "KVM_CREATE_IRQCHIP");
	kvmt_vm_add_ram(vm, KVMT_RAM_SLOT, 0, KVMT_RAM_SIZE, 0);
	kvmt_load_code(vm, KVMT_CODE_GPA, KVMT_CODE(long_script));
	return vm;
}

struct kvmt_vcpu *kvmt_script_vcpu_new(struct kvmt_vm *vm, int id)
{
	struct kvmt_vcpu *vcpu = kvmt_vcpu_new(vm, id);

	kvmt_set_supported_cpuid(vcpu);
	kvmt_setup_mode(vcpu, KVMT_MODE_LONG, KVMT_CODE_GPA);
	kvmt_setup_idt(vcpu);
	return vcpu;
}

void kvmt_script_start(struct kvmt_vcpu *vcpu, const struct kvmt_step *steps,
		       size_t n)
{
	uint64_t gpa = KVMT_SCRIPT_GPA(vcpu->id);
	struct kvm_regs regs;

	if (vcpu->id >= KVMT_SCRIPT_MAX_VCPUS ||
	    n * sizeof(*steps) > KVMT_SCRIPT_SIZE)
		KVMT_DIE(0, "script of %zu steps for vCPU %d does not fit",
			 n, vcpu->id);
	kvmt_write_guest(vcpu->vm, gpa, steps, n * sizeof(*steps));
	memset(&regs, 0, sizeof(regs));
	regs.rip = KVMT_CODE_GPA;
	regs.rsi = gpa;
	regs.rsp = KVMT_STACK_TOP - vcpu->id * KVMT_PAGE_SIZE;
	regs.rflags = 2;
	kvmt_set_regs(vcpu, &regs);
}

void kvmt_get_lapic(struct kvmt_vcpu *vcpu, struct kvm_lapic_state *s)
{
	KVMT_REQUIRE(!ioctl(vcpu->fd, KVM_GET_LAPIC, s), "KVM_GET_LAPIC");
}

void kvmt_set_lapic(struct kvmt_vcpu *vcpu, const struct kvm_lapic_state *s)
{
	KVMT_REQUIRE(!ioctl(vcpu->fd, KVM_SET_LAPIC, s), "KVM_SET_LAPIC");
}

uint32_t kvmt_lapic_reg(const struct kvm_lapic_state *s, unsigned int off)
{
	uint32_t v;

	memcpy(&v, s->regs + off, sizeof(v));
	return v;
}

void kvmt_lapic_set_reg(struct kvm_lapic_state *s, unsigned int off,
			uint32_t v)
{
	memcpy(s->regs + off, &v, sizeof(v));
}

uint32_t kvmt_lapic_read(struct kvmt_vcpu *vcpu, unsigned int off)
{
	struct kvm_lapic_state s;

	kvmt_get_lapic(vcpu, &s);
	return kvmt_lapic_reg(&s, off);
}

bool kvmt_lapic_bit(const struct kvm_lapic_state *s, unsigned int base,
		    unsigned int vector)
{
	return kvmt_lapic_reg(s, base + (vector / 32) * 0x10) >>
	       (vector % 32) & 1;
}

void kvmt_get_irqchip(struct kvmt_vm *vm, uint32_t chip,
		      struct kvm_irqchip *c)
{
	memset(c, 0, sizeof(*c));
	c->chip_id = chip;
	KVMT_REQUIRE(!ioctl(vm->fd, KVM_GET_IRQCHIP, c),
		     "KVM_GET_IRQCHIP %u", chip);
}

void kvmt_set_irqchip(struct kvmt_vm *vm, const struct kvm_irqchip *c)
{
	KVMT_REQUIRE(!ioctl(vm->fd, KVM_SET_IRQCHIP, c),
		     "KVM_SET_IRQCHIP %u", c->chip_id);
}

void kvmt_ioapic_route(struct kvmt_vm *vm, unsigned int pin, uint64_t entry)
{
	struct kvm_irqchip c;

	kvmt_get_irqchip(vm, KVM_IRQCHIP_IOAPIC, &c);
	c.chip.ioapic.redirtbl[pin].bits = entry;
	kvmt_set_irqchip(vm, &c);
}

int kvmt_irq_line_status(struct kvmt_vm *vm, uint32_t gsi, uint32_t level)
{
	struct kvm_irq_level l = { .irq = gsi, .level = level };

	KVMT_REQUIRE(!ioctl(vm->fd, KVM_IRQ_LINE_STATUS, &l),
		     "KVM_IRQ_LINE_STATUS gsi %u level %u", gsi, level);
	return l.status;
}

void kvmt_irq_line(struct kvmt_vm *vm, uint32_t gsi, uint32_t level)
{
	struct kvm_irq_level l = { .irq = gsi, .level = level };

	KVMT_REQUIRE(!ioctl(vm->fd, KVM_IRQ_LINE, &l),
		     "KVM_IRQ_LINE gsi %u level %u", gsi, level);
}
