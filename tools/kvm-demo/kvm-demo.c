// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvm-demo: the smallest useful VMM.  It creates a VM with 64 KiB of RAM
 * and one vCPU in real mode whose guest code writes a greeting one byte at
 * a time to I/O port 0x3f8; the VMM prints the bytes and, when the guest
 * halts, "DEMO-OK".
 *
 *   kvm-demo             run the greeting guest
 *   kvm-demo --bench N   time N rounds of KVM_SET_REGS + KVM_RUN to an I/O
 *                        exit + KVM_RUN to a HLT exit and print
 *                        "BENCH io_roundtrip_ns min=<n> median=<n> rounds=<N>"
 *
 * Exit status: 0 on success, 1 when KVM or the guest misbehaves, 2 on
 * usage errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/kvm.h>

#define RAM_SIZE	0x10000
#define CODE_GPA	0x1000		/* real-mode CS = 0x100 */
#define STACK_TOP	0xfff0
#define SERIAL_PORT	0x3f8

/*
 * The guest, assembled as 16-bit code into .rodata and copied to
 * CODE_GPA.  CS = DS = CODE_GPA >> 4, so label offsets from demo_guest
 * are the guest's IP and data addresses.
 *
 * demo_guest:	print the NUL-terminated message with OUTs, then HLT.
 * demo_bench:	one OUT, then HLT (the benchmark's round).
 */
asm(
	"	.pushsection .rodata.demo_guest, \"a\"\n"
	"	.code16\n"
	"	.globl demo_guest\n"
	"demo_guest:\n"
	"	cld\n"
	"	mov	$(.Ldemo_msg - demo_guest), %si\n"
	"	mov	$0x3f8, %dx\n"
	".Ldemo_next:\n"
	"	lodsb\n"
	"	test	%al, %al\n"
	"	jz	.Ldemo_done\n"
	"	out	%al, %dx\n"
	"	jmp	.Ldemo_next\n"
	".Ldemo_done:\n"
	"	hlt\n"
	"	jmp	.Ldemo_done\n"
	"	.globl demo_bench\n"
	"demo_bench:\n"
	"	mov	$0x3f8, %dx\n"
	"	mov	$0x2e, %al\n"
	"	out	%al, %dx\n"
	".Ldemo_bench_hlt:\n"
	"	hlt\n"
	"	jmp	.Ldemo_bench_hlt\n"
	".Ldemo_msg:\n"
	"	.asciz	\"Hello from the guest (via port 0x3f8)\\n\"\n"
	"	.globl demo_guest_end\n"
	"demo_guest_end:\n"
	"	.code64\n"
	"	.popsection\n"
);

extern const uint8_t demo_guest[], demo_bench[], demo_guest_end[];

struct vm {
	int sys, fd, vcpu;
	struct kvm_run *run;
	uint8_t *ram;
};

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	fflush(stdout);
	fputs("kvm-demo: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (err)
		fprintf(stderr, ": %s", strerror(err));
	fputc('\n', stderr);
	exit(1);
}

static void check(int ok, const char *what)
{
	if (!ok)
		die("%s", what);
}

static void vm_create(struct vm *vm)
{
	struct kvm_userspace_memory_region region;
	int run_size;

	vm->sys = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	check(vm->sys >= 0, "open /dev/kvm");
	errno = 0;
	check(ioctl(vm->sys, KVM_GET_API_VERSION, 0) == KVM_API_VERSION,
	      "KVM API version is not 12");
	vm->fd = ioctl(vm->sys, KVM_CREATE_VM, 0);
	check(vm->fd >= 0, "KVM_CREATE_VM");

	vm->ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check(vm->ram != MAP_FAILED, "mmap guest RAM");
	memcpy(vm->ram + CODE_GPA, demo_guest, demo_guest_end - demo_guest);
	region = (struct kvm_userspace_memory_region){
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = RAM_SIZE,
		.userspace_addr = (uintptr_t)vm->ram,
	};
	check(!ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &region),
	      "KVM_SET_USER_MEMORY_REGION");

	vm->vcpu = ioctl(vm->fd, KVM_CREATE_VCPU, 0);
	check(vm->vcpu >= 0, "KVM_CREATE_VCPU");
	run_size = ioctl(vm->sys, KVM_GET_VCPU_MMAP_SIZE, 0);
	check(run_size > 0, "KVM_GET_VCPU_MMAP_SIZE");
	vm->run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       vm->vcpu, 0);
	check(vm->run != MAP_FAILED, "mmap kvm_run");
}

/* Real mode with CS = DS = ES = CODE_GPA >> 4 and a stack in segment 0. */
static void set_real_mode(struct vm *vm)
{
	struct kvm_sregs sregs;
	struct kvm_segment *segs[] = {
		&sregs.cs, &sregs.ds, &sregs.es, &sregs.fs, &sregs.gs,
	};
	unsigned int i;

	check(!ioctl(vm->vcpu, KVM_GET_SREGS, &sregs), "KVM_GET_SREGS");
	for (i = 0; i < sizeof(segs) / sizeof(segs[0]); i++) {
		segs[i]->selector = CODE_GPA >> 4;
		segs[i]->base = CODE_GPA;
	}
	sregs.ss.selector = 0;
	sregs.ss.base = 0;
	check(!ioctl(vm->vcpu, KVM_SET_SREGS, &sregs), "KVM_SET_SREGS");
}

static void set_ip(struct vm *vm, uint16_t ip)
{
	struct kvm_regs regs = {
		.rip = ip,
		.rsp = STACK_TOP,
		.rflags = 0x2,
	};

	check(!ioctl(vm->vcpu, KVM_SET_REGS, &regs), "KVM_SET_REGS");
}

static void run(struct vm *vm)
{
	errno = 0;
	if (ioctl(vm->vcpu, KVM_RUN, 0))
		die("KVM_RUN");
}

static void bad_exit(struct vm *vm, const char *wanted)
{
	struct kvm_run *r = vm->run;

	errno = 0;
	if (r->exit_reason == KVM_EXIT_IO)
		die("wanted %s, got an I/O exit (port %#x, size %u)", wanted,
		    r->io.port, r->io.size);
	if (r->exit_reason == KVM_EXIT_INTERNAL_ERROR)
		die("wanted %s, got an internal error (suberror %u)", wanted,
		    r->internal.suberror);
	die("wanted %s, got exit reason %u", wanted, r->exit_reason);
}

static int is_serial_out(const struct kvm_run *r)
{
	return r->exit_reason == KVM_EXIT_IO &&
	       r->io.direction == KVM_EXIT_IO_OUT &&
	       r->io.port == SERIAL_PORT && r->io.size == 1;
}

static int demo(struct vm *vm)
{
	struct kvm_run *r = vm->run;
	unsigned int i;

	set_ip(vm, 0);
	for (;;) {
		run(vm);
		if (r->exit_reason == KVM_EXIT_HLT)
			break;
		if (!is_serial_out(r))
			bad_exit(vm, "an OUT to port 0x3f8 or HLT");
		for (i = 0; i < r->io.count; i++)
			putchar(((char *)r + r->io.data_offset)[i]);
	}
	printf("DEMO-OK\n");
	return 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int bench(struct vm *vm, unsigned long rounds)
{
	uint16_t entry = demo_bench - demo_guest;
	uint64_t *ns = calloc(rounds, sizeof(*ns));
	uint64_t t0, median;
	unsigned long i;

	errno = 0;
	check(ns != NULL, "out of memory");
	for (i = 0; i < rounds; i++) {
		t0 = now_ns();
		set_ip(vm, entry);
		run(vm);
		if (!is_serial_out(vm->run))
			bad_exit(vm, "an OUT to port 0x3f8");
		run(vm);
		if (vm->run->exit_reason != KVM_EXIT_HLT)
			bad_exit(vm, "HLT");
		ns[i] = now_ns() - t0;
	}
	qsort(ns, rounds, sizeof(*ns), cmp_u64);
	median = rounds % 2 ? ns[rounds / 2] :
		 (ns[rounds / 2 - 1] + ns[rounds / 2]) / 2;
	printf("BENCH io_roundtrip_ns min=%llu median=%llu rounds=%lu\n",
	       (unsigned long long)ns[0], (unsigned long long)median, rounds);
	free(ns);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: kvm-demo [--bench ROUNDS]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long rounds = 0;
	struct vm vm;

	if (argc == 3 && !strcmp(argv[1], "--bench")) {
		char *end;

		errno = 0;
		rounds = strtoul(argv[2], &end, 10);
		if (errno || *end || !rounds || argv[2][0] == '-')
			usage();
	} else if (argc != 1) {
		usage();
	}

	setvbuf(stdout, NULL, _IOLBF, 0);
	vm_create(&vm);
	set_real_mode(&vm);
	return rounds ? bench(&vm, rounds) : demo(&vm);
}
