// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvmt core: /dev/kvm, VMs, memory slots, vCPUs, register access.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kvmt.h"

void kvmt_fail(const char *file, int line, int err, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "# kvmt: %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (err)
		fprintf(stderr, ": %s (errno %d)", strerror(err), err);
	fputc('\n', stderr);
	fflush(stderr);
	abort();
}

int kvmt_open_sys(void)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

bool kvmt_have_kvm(void)
{
	int fd = kvmt_open_sys();
	bool ok;

	if (fd < 0)
		return false;
	ok = ioctl(fd, KVM_GET_API_VERSION, 0) == KVM_API_VERSION;
	close(fd);
	return ok;
}

int kvmt_check_cap(int fd, long cap)
{
	int r = ioctl(fd, KVM_CHECK_EXTENSION, cap);

	KVMT_REQUIRE(r >= 0, "KVM_CHECK_EXTENSION(%ld)", cap);
	return r;
}

long kvmt_ioctl_errno(int fd, unsigned long req, void *arg)
{
	long r = ioctl(fd, req, arg);

	return r < 0 ? -errno : r;
}

struct kvmt_vm *kvmt_vm_new(void)
{
	struct kvmt_vm *vm = calloc(1, sizeof(*vm));
	int sz;

	KVMT_REQUIRE(vm, "calloc");
	vm->sys_fd = kvmt_open_sys();
	if (vm->sys_fd < 0)
		KVMT_DIE(-vm->sys_fd, "open /dev/kvm");
	vm->fd = ioctl(vm->sys_fd, KVM_CREATE_VM, 0);
	KVMT_REQUIRE(vm->fd >= 0, "KVM_CREATE_VM");
	sz = ioctl(vm->sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	KVMT_REQUIRE(sz > 0, "KVM_GET_VCPU_MMAP_SIZE");
	vm->run_size = sz;
	return vm;
}

void kvmt_vcpu_free(struct kvmt_vcpu *vcpu)
{
	struct kvmt_vcpu **pp;

	for (pp = &vcpu->vm->vcpus; *pp; pp = &(*pp)->next) {
		if (*pp == vcpu) {
			*pp = vcpu->next;
			break;
		}
	}
	munmap(vcpu->run, vcpu->run_size);
	close(vcpu->fd);
	free(vcpu);
}

void kvmt_vm_free(struct kvmt_vm *vm)
{
	unsigned int i;

	if (!vm)
		return;
	while (vm->vcpus)
		kvmt_vcpu_free(vm->vcpus);
	/* The VM goes first so that no slot refers to memory being unmapped. */
	close(vm->fd);
	close(vm->sys_fd);
	for (i = 0; i < vm->nr_regions; i++)
		kvmt_free_mem(vm->regions[i].hva, vm->regions[i].size);
	free(vm->regions);
	free(vm);
}

int kvmt_set_region_raw(int vm_fd, uint32_t slot, uint32_t flags,
			uint64_t gpa, uint64_t size, uint64_t hva)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = hva,
	};

	return ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &r) ? -errno : 0;
}

void *kvmt_alloc_mem(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	KVMT_REQUIRE(p != MAP_FAILED, "mmap %zu bytes", size);
	return p;
}

void kvmt_free_mem(void *hva, size_t size)
{
	if (hva && munmap(hva, size))
		KVMT_DIE(errno, "munmap");
}

void *kvmt_vm_add_ram(struct kvmt_vm *vm, uint32_t slot, uint64_t gpa,
		      uint64_t size, uint32_t flags)
{
	struct kvmt_region *reg;
	void *hva;
	int r;

	if (vm->nr_regions == vm->max_regions) {
		unsigned int n = vm->max_regions ? 2 * vm->max_regions : 8;

		reg = realloc(vm->regions, n * sizeof(*reg));
		KVMT_REQUIRE(reg, "realloc");
		vm->regions = reg;
		vm->max_regions = n;
	}
	hva = kvmt_alloc_mem(size);
	r = kvmt_set_region_raw(vm->fd, slot, flags, gpa, size,
				(uintptr_t)hva);
	if (r)
		KVMT_DIE(-r, "KVM_SET_USER_MEMORY_REGION slot %u gpa %#llx size %#llx",
			 slot, (unsigned long long)gpa,
			 (unsigned long long)size);
	reg = &vm->regions[vm->nr_regions++];
	reg->slot = slot;
	reg->flags = flags;
	reg->gpa = gpa;
	reg->size = size;
	reg->hva = hva;
	return hva;
}

void kvmt_vm_del_ram(struct kvmt_vm *vm, uint32_t slot)
{
	unsigned int i;
	int r;

	for (i = 0; i < vm->nr_regions; i++) {
		if (vm->regions[i].slot != slot)
			continue;
		r = kvmt_set_region_raw(vm->fd, slot, 0, 0, 0, 0);
		if (r)
			KVMT_DIE(-r, "deleting slot %u", slot);
		kvmt_free_mem(vm->regions[i].hva, vm->regions[i].size);
		vm->regions[i] = vm->regions[--vm->nr_regions];
		return;
	}
	KVMT_DIE(0, "slot %u is not known", slot);
}

void *kvmt_gpa2hva(struct kvmt_vm *vm, uint64_t gpa)
{
	unsigned int i;

	for (i = 0; i < vm->nr_regions; i++) {
		struct kvmt_region *reg = &vm->regions[i];

		if (gpa >= reg->gpa && gpa - reg->gpa < reg->size)
			return (uint8_t *)reg->hva + (gpa - reg->gpa);
	}
	KVMT_DIE(0, "gpa %#llx is not in any region",
		 (unsigned long long)gpa);
}

void kvmt_write_guest(struct kvmt_vm *vm, uint64_t gpa, const void *src,
		      size_t len)
{
	/* Check the last byte too: the range must sit inside one region. */
	uint8_t *dst = kvmt_gpa2hva(vm, gpa);

	if (len && (uint8_t *)kvmt_gpa2hva(vm, gpa + len - 1) != dst + len - 1)
		KVMT_DIE(0, "gpa range %#llx+%zu crosses regions",
			 (unsigned long long)gpa, len);
	memcpy(dst, src, len);
}

void kvmt_load_code(struct kvmt_vm *vm, uint64_t gpa, const void *start,
		    const void *end)
{
	size_t len = (const uint8_t *)end - (const uint8_t *)start;

	if (len > KVMT_CODE_MAX)
		KVMT_DIE(0, "guest program of %zu bytes is too large", len);
	kvmt_write_guest(vm, gpa, start, len);
}

struct kvmt_vcpu *kvmt_vcpu_new(struct kvmt_vm *vm, int id)
{
	struct kvmt_vcpu *vcpu = calloc(1, sizeof(*vcpu));

	KVMT_REQUIRE(vcpu, "calloc");
	vcpu->vm = vm;
	vcpu->id = id;
	vcpu->fd = ioctl(vm->fd, KVM_CREATE_VCPU, (unsigned long)id);
	KVMT_REQUIRE(vcpu->fd >= 0, "KVM_CREATE_VCPU %d", id);
	vcpu->run_size = vm->run_size;
	vcpu->run = mmap(NULL, vcpu->run_size, PROT_READ | PROT_WRITE,
			 MAP_SHARED, vcpu->fd, 0);
	KVMT_REQUIRE(vcpu->run != MAP_FAILED, "mmap vcpu %d", id);
	vcpu->next = vm->vcpus;
	vm->vcpus = vcpu;
	return vcpu;
}

int kvmt_vcpu_run_raw(struct kvmt_vcpu *vcpu)
{
	return ioctl(vcpu->fd, KVM_RUN, 0) ? -errno : 0;
}

void kvmt_get_regs(struct kvmt_vcpu *vcpu, struct kvm_regs *regs)
{
	KVMT_REQUIRE(!ioctl(vcpu->fd, KVM_GET_REGS, regs), "KVM_GET_REGS");
}

void kvmt_set_regs(struct kvmt_vcpu *vcpu, const struct kvm_regs *regs)
{
	KVMT_REQUIRE(!ioctl(vcpu->fd, KVM_SET_REGS, regs), "KVM_SET_REGS");
}

void kvmt_get_sregs(struct kvmt_vcpu *vcpu, struct kvm_sregs *sregs)
{
	KVMT_REQUIRE(!ioctl(vcpu->fd, KVM_GET_SREGS, sregs), "KVM_GET_SREGS");
}

void kvmt_set_sregs(struct kvmt_vcpu *vcpu, const struct kvm_sregs *sregs)
{
	KVMT_REQUIRE(!ioctl(vcpu->fd, KVM_SET_SREGS, sregs), "KVM_SET_SREGS");
}

uint64_t kvmt_get_rip(struct kvmt_vcpu *vcpu)
{
	struct kvm_regs regs;

	kvmt_get_regs(vcpu, &regs);
	return regs.rip;
}

void kvmt_set_rip(struct kvmt_vcpu *vcpu, uint64_t rip)
{
	struct kvm_regs regs;

	kvmt_get_regs(vcpu, &regs);
	regs.rip = rip;
	kvmt_set_regs(vcpu, &regs);
}

struct kvmt_vcpu *kvmt_guest_new(enum kvmt_mode mode, const void *start,
				 const void *end)
{
	struct kvmt_vm *vm = kvmt_vm_new();
	struct kvmt_vcpu *vcpu;

	kvmt_vm_add_ram(vm, KVMT_RAM_SLOT, 0, KVMT_RAM_SIZE, 0);
	vcpu = kvmt_vcpu_new(vm, 0);
	kvmt_load_code(vm, KVMT_CODE_GPA, start, end);
	kvmt_setup_mode(vcpu, mode, KVMT_CODE_GPA);
	return vcpu;
}

uint64_t kvmt_le_value(const void *p, unsigned int len)
{
	const uint8_t *b = p;
	uint64_t v = 0;

	while (len--)
		v = (v << 8) | b[len];
	return v;
}

void kvmt_le_store(void *p, unsigned int len, uint64_t val)
{
	uint8_t *b = p;
	unsigned int i;

	for (i = 0; i < len; i++, val >>= 8)
		b[i] = val & 0xff;
}

long kvmt_meminfo_kb(const char *field)
{
	FILE *f = fopen("/proc/meminfo", "r");
	size_t flen = strlen(field);
	char line[256];
	long v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, field, flen) && line[flen] == ':') {
			v = strtol(line + flen + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

int kvmt_count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	KVMT_REQUIRE(d, "opendir /proc/self/fd");
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;	/* the directory stream's own descriptor */
}
