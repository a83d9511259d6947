// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvmt exit reporting: names of exit reasons and a readable summary of the
 * last exit, so that a failing test says what the guest actually did.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/ioctl.h>

#include "kvmt.h"

#define NAME(x) [KVM_EXIT_##x] = #x

static const char *const exit_names[] = {
	NAME(UNKNOWN),
	NAME(EXCEPTION),
	NAME(IO),
	NAME(HYPERCALL),
	NAME(DEBUG),
	NAME(HLT),
	NAME(MMIO),
	NAME(IRQ_WINDOW_OPEN),
	NAME(SHUTDOWN),
	NAME(FAIL_ENTRY),
	NAME(INTR),
	NAME(SET_TPR),
	NAME(TPR_ACCESS),
	NAME(NMI),
	NAME(INTERNAL_ERROR),
	NAME(SYSTEM_EVENT),
	NAME(IOAPIC_EOI),
	NAME(HYPERV),
	NAME(X86_RDMSR),
	NAME(X86_WRMSR),
	NAME(DIRTY_RING_FULL),
	NAME(X86_BUS_LOCK),
	NAME(XEN),
	NAME(NOTIFY),
};

const char *kvmt_exit_name(uint32_t reason)
{
	if (reason < KVMT_ARRAY_SIZE(exit_names) && exit_names[reason])
		return exit_names[reason];
	return "(unnamed)";
}

/* snprintf that appends and never overruns. */
static size_t add(char *buf, size_t len, size_t pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static size_t add(char *buf, size_t len, size_t pos, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (pos >= len)
		return pos;
	va_start(ap, fmt);
	n = vsnprintf(buf + pos, len - pos, fmt, ap);
	va_end(ap);
	return n < 0 ? pos : pos + n;
}

void kvmt_describe_exit(struct kvmt_vcpu *vcpu, char *buf, size_t len)
{
	struct kvm_run *run = vcpu->run;
	struct kvm_regs regs;
	size_t p = 0;
	uint32_t i;

	p = add(buf, len, p, "%s (%u)", kvmt_exit_name(run->exit_reason),
		run->exit_reason);
	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		p = add(buf, len, p, " %s port %#x size %u count %u",
			run->io.direction == KVM_EXIT_IO_OUT ? "out" : "in",
			run->io.port, run->io.size, run->io.count);
		if (run->io.direction == KVM_EXIT_IO_OUT && run->io.size <= 8)
			p = add(buf, len, p, " data %#" PRIx64,
				kvmt_le_value(kvmt_io_data(vcpu),
					      run->io.size));
		break;
	case KVM_EXIT_MMIO:
		p = add(buf, len, p, " %s gpa %#llx len %u",
			run->mmio.is_write ? "write" : "read",
			(unsigned long long)run->mmio.phys_addr,
			run->mmio.len);
		if (run->mmio.is_write && run->mmio.len <= 8)
			p = add(buf, len, p, " data %#" PRIx64,
				kvmt_le_value(run->mmio.data, run->mmio.len));
		break;
	case KVM_EXIT_FAIL_ENTRY:
		p = add(buf, len, p, " hardware_entry_failure_reason %#llx",
			(unsigned long long)
			run->fail_entry.hardware_entry_failure_reason);
		break;
	case KVM_EXIT_INTERNAL_ERROR:
		p = add(buf, len, p, " suberror %u ndata %u",
			run->internal.suberror, run->internal.ndata);
		for (i = 0; i < run->internal.ndata &&
		     i < KVMT_ARRAY_SIZE(run->internal.data); i++)
			p = add(buf, len, p, " %#llx",
				(unsigned long long)run->internal.data[i]);
		break;
	case KVM_EXIT_SYSTEM_EVENT:
		p = add(buf, len, p, " type %u", run->system_event.type);
		break;
	default:
		break;
	}
	/* The guest position helps more than anything else. */
	if (!ioctl(vcpu->fd, KVM_GET_REGS, &regs))
		p = add(buf, len, p, " rip %#llx", (unsigned long long)regs.rip);
}
