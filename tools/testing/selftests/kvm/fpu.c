// SPDX-License-Identifier: GPL-2.0-only
/*
 * x87/SSE state: KVM_GET/SET_FPU round trips (and MXCSR, which the
 * in-tree KVM leaves out of both), the guest seeing the state the VMM set
 * and the VMM seeing the state the guest loaded, guest state surviving
 * exits and preemption while the host migrates the vCPU thread, sleeps
 * and runs other SSE code, and the VMM's own SSE state surviving
 * KVM_RUN.
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kvmt_test.h"

KVMT_GUEST(long_fpu_dump);
KVMT_GUEST(long_fpu_load);
KVMT_GUEST(long_fpu_loop);

#define CR4_OSFXSR		(1ULL << 9)
#define CR4_OSXMMEXCPT		(1ULL << 10)

#define MXCSR_DEFAULT		0x1f80

/* 512-byte FXSAVE images in guest RAM; the spin count of long_fpu_loop. */
#define IMG_IN_GPA		KVMT_DATA_GPA
#define IMG_OUT_GPA		(KVMT_DATA_GPA + 0x1000)
#define SPIN_GPA		(KVMT_DATA_GPA + 0x2000)

/* The legacy FXSAVE layout (64-bit form). */
struct fxsave {
	uint16_t fcw;
	uint16_t fsw;
	uint8_t ftw;
	uint8_t rsvd1;
	uint16_t fop;
	uint64_t fip;
	uint64_t fdp;
	uint32_t mxcsr;
	uint32_t mxcsr_mask;
	uint8_t st[8][16];
	uint8_t xmm[16][16];
	uint8_t rsvd2[96];
} __attribute__((aligned(16)));

_Static_assert(sizeof(struct fxsave) == 512, "FXSAVE image is 512 bytes");

/* An 80-bit register value: @seed makes it distinct, always normal. */
static void st_value(uint8_t *st, unsigned int seed)
{
	unsigned int i;

	memset(st, 0, 16);
	for (i = 0; i < 8; i++)
		st[i] = 0x11 * (seed + 1) + i;
	st[7] |= 0x80;			/* explicit integer bit */
	st[8] = 0x00 + seed;		/* exponent, low byte */
	st[9] = 0x40;			/* exponent 0x40xx, positive */
}

static void xmm_value(uint8_t *x, unsigned int seed, uint8_t salt)
{
	unsigned int i;

	for (i = 0; i < 16; i++)
		x[i] = (uint8_t)(seed * 16 + i) ^ salt;
}

/*
 * A full state: TOP = 5, ST0 and ST1 (R5, R6) in use, every register
 * holding a distinct value, non-default control words.
 */
static void make_fpu(struct kvm_fpu *f, uint8_t salt)
{
	unsigned int i;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < 8; i++)
		st_value(f->fpr[i], i ^ (salt & 7));
	f->fcw = 0x027f;		/* 53-bit precision */
	f->fsw = 5 << 11;		/* TOP = 5 */
	f->ftwx = (1 << 5) | (1 << 6);	/* R5, R6 valid */
	f->last_opcode = 0x05d9;
	f->last_ip = 0x0000000000401234ULL;
	f->last_dp = 0x0000000000605678ULL;
	for (i = 0; i < 16; i++)
		xmm_value(f->xmm[i], i, salt);
	f->mxcsr = 0x7f80 | 0x20;	/* round to zero, PE flag set */
}

static void fpu_to_fxsave(const struct kvm_fpu *f, struct fxsave *x)
{
	memset(x, 0, sizeof(*x));
	x->fcw = f->fcw;
	x->fsw = f->fsw;
	x->ftw = f->ftwx;
	x->fop = f->last_opcode;
	x->fip = f->last_ip;
	x->fdp = f->last_dp;
	x->mxcsr = f->mxcsr;
	memcpy(x->st, f->fpr, sizeof(x->st));
	memcpy(x->xmm, f->xmm, sizeof(x->xmm));
}

/*
 * The architectural part both sides must agree on: control/status/tag
 * words, the 80 bits of every x87 register, all XMM registers, and MXCSR
 * if @mxcsr.  (The last-instruction pointers are left out: AMD CPUs save
 * them only when an exception is pending.)
 */
static void expect_same_state(struct __test_metadata *_metadata,
			      const struct kvm_fpu *w, const struct kvm_fpu *g,
			      bool mxcsr)
{
	unsigned int i;

	EXPECT_EQ(w->fcw, g->fcw);
	EXPECT_EQ(w->fsw, g->fsw);
	EXPECT_EQ(w->ftwx, g->ftwx);
	if (mxcsr)
		EXPECT_EQ(w->mxcsr, g->mxcsr);
	for (i = 0; i < 8; i++) {
		if (memcmp(w->fpr[i], g->fpr[i], 10))
			TH_LOG("ST%u differs", i);
		EXPECT_EQ(0, memcmp(w->fpr[i], g->fpr[i], 10));
	}
	for (i = 0; i < 16; i++) {
		if (memcmp(w->xmm[i], g->xmm[i], 16))
			TH_LOG("XMM%u differs", i);
		EXPECT_EQ(0, memcmp(w->xmm[i], g->xmm[i], 16));
	}
}

static void fxsave_to_fpu(const struct fxsave *x, struct kvm_fpu *f)
{
	memset(f, 0, sizeof(*f));
	f->fcw = x->fcw;
	f->fsw = x->fsw;
	f->ftwx = x->ftw;
	f->last_opcode = x->fop;
	f->last_ip = x->fip;
	f->last_dp = x->fdp;
	f->mxcsr = x->mxcsr;
	memcpy(f->fpr, x->st, sizeof(x->st));
	memcpy(f->xmm, x->xmm, sizeof(x->xmm));
}

FIXTURE(fpu) {
	struct kvmt_vcpu *vcpu;
};

/* Programs at fixed places after the first one. */
#define P_DUMP		(KVMT_CODE_GPA + 0x000)
#define P_LOAD		(KVMT_CODE_GPA + 0x100)
#define P_LOOP		(KVMT_CODE_GPA + 0x200)

FIXTURE_SETUP(fpu)
{
	struct kvm_sregs s;

	KVMT_REQUIRE_KVM();
	self->vcpu = kvmt_guest_new_cpuid(KVMT_MODE_LONG,
					  KVMT_CODE(long_fpu_dump));
	kvmt_load_code(self->vcpu->vm, P_LOAD, KVMT_CODE(long_fpu_load));
	kvmt_load_code(self->vcpu->vm, P_LOOP, KVMT_CODE(long_fpu_loop));
	kvmt_setup_idt(self->vcpu);
	kvmt_get_sregs(self->vcpu, &s);
	s.cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT;
	kvmt_set_sregs(self->vcpu, &s);
}

FIXTURE_TEARDOWN(fpu)
{
	if (self->vcpu)
		kvmt_vm_free(self->vcpu->vm);
}

static void start(struct kvmt_vcpu *vcpu, uint64_t rip)
{
	struct kvm_regs r = {
		.rip = rip, .rsp = KVMT_STACK_TOP, .rflags = 2,
		.rbx = IMG_IN_GPA, .rdi = IMG_OUT_GPA, .rsi = SPIN_GPA,
	};

	kvmt_set_regs(vcpu, &r);
}

/*
 * Run the guest once with a state of its own (loaded with FXRSTOR),
 * so that the vCPU's x87/SSE state is in use, as in any guest that has
 * booted.  @salt picks the state.
 */
static void prime_guest(struct __test_metadata *_metadata,
			struct kvmt_vcpu *vcpu, struct kvm_fpu *state,
			uint8_t salt)
{
	make_fpu(state, salt);
	fpu_to_fxsave(state, kvmt_gpa2hva(vcpu->vm, IMG_IN_GPA));
	start(vcpu, P_LOAD);
	RUN_TO_IO(vcpu, KVM_EXIT_IO_OUT, 0x99, 1, 1);
}

/* The guest's own view of its state, through FXSAVE. */
static void guest_dump(struct __test_metadata *_metadata,
		       struct kvmt_vcpu *vcpu, struct kvm_fpu *seen)
{
	struct fxsave *img = kvmt_gpa2hva(vcpu->vm, IMG_OUT_GPA);

	memset(img, 0xcc, sizeof(*img));
	start(vcpu, P_DUMP);
	RUN_TO_IO(vcpu, KVM_EXIT_IO_OUT, 0x98, 1, 1);
	fxsave_to_fpu(img, seen);
}

/*
 * x87 and SSE registers, control words and last-instruction pointers
 * come back as they went in.  (MXCSR: see the mxcsr_* tests.)
 */
TEST_F(fpu, set_get_round_trip)
{
	struct kvm_fpu in, out;

	make_fpu(&in, 0x5a);
	ASSERT_EQ(0, ioctl(self->vcpu->fd, KVM_SET_FPU, &in));
	memset(&out, 0xcc, sizeof(out));
	ASSERT_EQ(0, ioctl(self->vcpu->fd, KVM_GET_FPU, &out));
	expect_same_state(_metadata, &in, &out, false);
	EXPECT_EQ(in.last_opcode, out.last_opcode);
	EXPECT_EQ(in.last_ip, out.last_ip);
	EXPECT_EQ(in.last_dp, out.last_dp);
	/* The reserved bytes of the x87 slots come back too. */
	EXPECT_EQ(0, memcmp(in.fpr, out.fpr, sizeof(in.fpr)));

	/* A second state replaces the first. */
	make_fpu(&in, 0xa5);
	in.fcw = 0x037f;
	in.fsw = 0;
	in.ftwx = 0xff;
	ASSERT_EQ(0, ioctl(self->vcpu->fd, KVM_SET_FPU, &in));
	ASSERT_EQ(0, ioctl(self->vcpu->fd, KVM_GET_FPU, &out));
	expect_same_state(_metadata, &in, &out, false);
}

/*
 * The in-tree KVM does not carry MXCSR in KVM_GET_FPU: the field reads
 * as 0 whatever the guest's MXCSR (VMMs get MXCSR with KVM_GET_XSAVE).
 */
TEST_F(fpu, mxcsr_get)
{
	struct kvm_fpu in, out;

	make_fpu(&in, 0x22);
	ASSERT_EQ(0, ioctl(self->vcpu->fd, KVM_SET_FPU, &in));
	memset(&out, 0xcc, sizeof(out));
	ASSERT_EQ(0, ioctl(self->vcpu->fd, KVM_GET_FPU, &out));
	EXPECT_EQ(0U, out.mxcsr);
	EXPECT_EQ(0U, out.pad2);

	/* A guest that set its own MXCSR (0x7fa0). */
	prime_guest(_metadata, self->vcpu, &in, 0x23);
	memset(&out, 0xcc, sizeof(out));
	ASSERT_EQ(0, ioctl(self->vcpu->fd, KVM_GET_FPU, &out));
	EXPECT_EQ(0U, out.mxcsr);
}

/*
 * ...nor in KVM_SET_FPU: the guest keeps its MXCSR, and since the field
 * is not used, no value of it is refused (not even reserved bits).
 */
TEST_F(fpu, mxcsr_set)
{
	struct kvm_fpu in, seen;

	prime_guest(_metadata, self->vcpu, &in, 0x11);
	ASSERT_EQ(0x7fa0U, in.mxcsr);
	in.mxcsr = 0x5f80;
	EXPECT_ERRNO(0, ioctl(self->vcpu->fd, KVM_SET_FPU, &in));
	guest_dump(_metadata, self->vcpu, &seen);
	EXPECT_EQ(0x7fa0U, seen.mxcsr);

	in.mxcsr = MXCSR_DEFAULT | (1U << 16);
	EXPECT_ERRNO(0, ioctl(self->vcpu->fd, KVM_SET_FPU, &in));
	in.mxcsr = 0xffffffff;
	EXPECT_ERRNO(0, ioctl(self->vcpu->fd, KVM_SET_FPU, &in));
	guest_dump(_metadata, self->vcpu, &seen);
	EXPECT_EQ(0x7fa0U, seen.mxcsr);
	/* The rest of the state did arrive. */
	expect_same_state(_metadata, &in, &seen, false);
}

/*
 * The guest's FXSAVE shows what KVM_SET_FPU put in.  The guest has run
 * before, as any guest whose state a VMM restores: on a vCPU that never
 * ran, the in-tree KVM (with XSAVE) keeps the x87/SSE state marked as
 * initial and the guest starts from the reset state instead.
 */
TEST_F(fpu, guest_sees_set_state)
{
	struct kvm_fpu in, seen;

	prime_guest(_metadata, self->vcpu, &in, 0x01);
	make_fpu(&in, 0x33);
	ASSERT_EQ(0, ioctl(self->vcpu->fd, KVM_SET_FPU, &in));
	guest_dump(_metadata, self->vcpu, &seen);
	expect_same_state(_metadata, &in, &seen, false);

	/* And again, a different state on top. */
	make_fpu(&in, 0x44);
	in.fsw = 7 << 11;
	in.ftwx = 0x80;
	ASSERT_EQ(0, ioctl(self->vcpu->fd, KVM_SET_FPU, &in));
	guest_dump(_metadata, self->vcpu, &seen);
	expect_same_state(_metadata, &in, &seen, false);
}

/* KVM_GET_FPU shows what the guest loaded with FXRSTOR. */
TEST_F(fpu, guest_state_visible)
{
	struct kvm_fpu want, got;

	prime_guest(_metadata, self->vcpu, &want, 0x77);
	ASSERT_EQ(0, ioctl(self->vcpu->fd, KVM_GET_FPU, &got));
	expect_same_state(_metadata, &want, &got, false);
	/* And it is still there after the guest ran on to its HLT. */
	RUN_TO_EXIT(self->vcpu, KVM_EXIT_HLT);
	ASSERT_EQ(0, ioctl(self->vcpu->fd, KVM_GET_FPU, &got));
	expect_same_state(_metadata, &want, &got, false);
}

/*
 * Other threads using SSE while the vCPU is out: each loads its own
 * pattern into all XMM registers and MXCSR and checks they stay.
 */
struct hammer {
	pthread_t thread;
	int cpu;
	volatile int *stop;
	unsigned long rounds, bad;
};

static void *hammer_main(void *arg)
{
	struct hammer *h = arg;
	uint8_t pat[16][16] __attribute__((aligned(16)));
	uint8_t chk[16][16] __attribute__((aligned(16)));
	uint32_t mx_in = 0x9fc0, mx_out = 0;	/* FZ, DAZ, round up */
	cpu_set_t set;
	unsigned int i;

	CPU_ZERO(&set);
	CPU_SET(h->cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
	for (i = 0; i < 16; i++)
		xmm_value(pat[i], i, 0xe0 + h->cpu);
	while (!*h->stop) {
		__asm__ volatile(
			"ldmxcsr %[mi]\n\t"
			"movdqa 0x00(%[p]), %%xmm0\n\t"
			"movdqa 0x10(%[p]), %%xmm1\n\t"
			"movdqa 0x20(%[p]), %%xmm2\n\t"
			"movdqa 0x30(%[p]), %%xmm3\n\t"
			"movdqa 0x40(%[p]), %%xmm4\n\t"
			"movdqa 0x50(%[p]), %%xmm5\n\t"
			"movdqa 0x60(%[p]), %%xmm6\n\t"
			"movdqa 0x70(%[p]), %%xmm7\n\t"
			"movdqa 0x80(%[p]), %%xmm8\n\t"
			"movdqa 0x90(%[p]), %%xmm9\n\t"
			"movdqa 0xa0(%[p]), %%xmm10\n\t"
			"movdqa 0xb0(%[p]), %%xmm11\n\t"
			"movdqa 0xc0(%[p]), %%xmm12\n\t"
			"movdqa 0xd0(%[p]), %%xmm13\n\t"
			"movdqa 0xe0(%[p]), %%xmm14\n\t"
			"movdqa 0xf0(%[p]), %%xmm15\n\t"
			/* Give the scheduler a chance to switch us out. */
			"mov $24, %%eax\n\t"		/* sched_yield */
			"syscall\n\t"
			"movdqa %%xmm0, 0x00(%[c])\n\t"
			"movdqa %%xmm1, 0x10(%[c])\n\t"
			"movdqa %%xmm2, 0x20(%[c])\n\t"
			"movdqa %%xmm3, 0x30(%[c])\n\t"
			"movdqa %%xmm4, 0x40(%[c])\n\t"
			"movdqa %%xmm5, 0x50(%[c])\n\t"
			"movdqa %%xmm6, 0x60(%[c])\n\t"
			"movdqa %%xmm7, 0x70(%[c])\n\t"
			"movdqa %%xmm8, 0x80(%[c])\n\t"
			"movdqa %%xmm9, 0x90(%[c])\n\t"
			"movdqa %%xmm10, 0xa0(%[c])\n\t"
			"movdqa %%xmm11, 0xb0(%[c])\n\t"
			"movdqa %%xmm12, 0xc0(%[c])\n\t"
			"movdqa %%xmm13, 0xd0(%[c])\n\t"
			"movdqa %%xmm14, 0xe0(%[c])\n\t"
			"movdqa %%xmm15, 0xf0(%[c])\n\t"
			"stmxcsr %[mo]\n\t"
			"ldmxcsr %[md]\n\t"
			: [mo] "=m"(mx_out)
			: [p] "r"(pat), [c] "r"(chk), [mi] "m"(mx_in),
			  [md] "m"((uint32_t){ MXCSR_DEFAULT })
			: "rax", "rcx", "r11", "memory", "xmm0", "xmm1", "xmm2",
			  "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8",
			  "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14",
			  "xmm15");
		if (memcmp(pat, chk, sizeof(pat)) || mx_out != mx_in)
			h->bad++;
		h->rounds++;
	}
	return NULL;
}

#define LOOP_ROUNDS	500
/* Guest spin rounds: some milliseconds in the emulated host. */
#define LOOP_SPIN	500000

/*
 * The guest loads a full x87/SSE state once and dumps it after every
 * exit.  Between exits the vCPU thread moves to the other CPU, sleeps
 * or yields, while a thread per CPU runs SSE code with its own values;
 * in most rounds the guest spins long enough to be preempted inside
 * KVM_RUN.  The guest's registers must stay exactly as it loaded them,
 * and the other threads' registers as they loaded theirs.
 */
TEST_F(fpu, preserved_across_switches)
{
	struct fxsave *in = kvmt_gpa2hva(self->vcpu->vm, IMG_IN_GPA);
	struct fxsave *out = kvmt_gpa2hva(self->vcpu->vm, IMG_OUT_GPA);
	int ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	struct hammer h[2];
	volatile int stop = 0;
	struct kvm_fpu want, seen;
	unsigned int i, nh = ncpu > 1 ? 2 : 1;
	cpu_set_t set;

	make_fpu(&want, 0x3c);
	fpu_to_fxsave(&want, in);
	for (i = 0; i < nh; i++) {
		h[i] = (struct hammer){ .cpu = i, .stop = &stop };
		ASSERT_EQ(0, pthread_create(&h[i].thread, NULL, hammer_main,
					    &h[i]));
	}
	start(self->vcpu, P_LOOP);
	for (i = 0; i < LOOP_ROUNDS; i++) {
		RUN_TO_IO(self->vcpu, KVM_EXIT_IO_OUT, 0x9a, 1, 1);
		/* Disturb: another CPU, a sleep, a yield. */
		CPU_ZERO(&set);
		CPU_SET(i % ncpu, &set);
		sched_setaffinity(0, sizeof(set), &set);
		if (i % 3 == 0)
			usleep(2000);
		else
			sched_yield();
		memset(out, 0xcc, sizeof(*out));
		kvmt_le_store(kvmt_gpa2hva(self->vcpu->vm, SPIN_GPA), 8,
			      i % 4 ? LOOP_SPIN : 0);
		RUN_TO_IO(self->vcpu, KVM_EXIT_IO_OUT, 0x9b, 1, 1);
		fxsave_to_fpu(out, &seen);
		expect_same_state(_metadata, &want, &seen, true);
		if (!_metadata->passed) {
			TH_LOG("round %u", i);
			break;
		}
	}
	stop = 1;
	for (i = 0; i < nh; i++) {
		pthread_join(h[i].thread, NULL);
		TH_LOG("SSE thread on CPU %d: %lu rounds, %lu bad", h[i].cpu,
		       h[i].rounds, h[i].bad);
		EXPECT_EQ(0UL, h[i].bad);
	}
	CPU_ZERO(&set);
	for (i = 0; i < (unsigned int)ncpu; i++)
		CPU_SET(i, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/*
 * KVM_RUN straight from assembly, so that nothing but the kernel can
 * touch the VMM's XMM registers and MXCSR between loading and checking
 * them.  Returns the syscall's result.
 */
static long run_keeping_sse(int fd, const uint8_t (*pat)[16],
			    uint8_t (*chk)[16], uint32_t mx_in,
			    uint32_t *mx_out)
{
	long ret;

	__asm__ volatile(
		"ldmxcsr %[mi]\n\t"
		"movdqa 0x00(%[p]), %%xmm0\n\t"
		"movdqa 0x10(%[p]), %%xmm1\n\t"
		"movdqa 0x20(%[p]), %%xmm2\n\t"
		"movdqa 0x30(%[p]), %%xmm3\n\t"
		"movdqa 0x40(%[p]), %%xmm4\n\t"
		"movdqa 0x50(%[p]), %%xmm5\n\t"
		"movdqa 0x60(%[p]), %%xmm6\n\t"
		"movdqa 0x70(%[p]), %%xmm7\n\t"
		"movdqa 0x80(%[p]), %%xmm8\n\t"
		"movdqa 0x90(%[p]), %%xmm9\n\t"
		"movdqa 0xa0(%[p]), %%xmm10\n\t"
		"movdqa 0xb0(%[p]), %%xmm11\n\t"
		"movdqa 0xc0(%[p]), %%xmm12\n\t"
		"movdqa 0xd0(%[p]), %%xmm13\n\t"
		"movdqa 0xe0(%[p]), %%xmm14\n\t"
		"movdqa 0xf0(%[p]), %%xmm15\n\t"
		"syscall\n\t"
		"movdqa %%xmm0, 0x00(%[c])\n\t"
		"movdqa %%xmm1, 0x10(%[c])\n\t"
		"movdqa %%xmm2, 0x20(%[c])\n\t"
		"movdqa %%xmm3, 0x30(%[c])\n\t"
		"movdqa %%xmm4, 0x40(%[c])\n\t"
		"movdqa %%xmm5, 0x50(%[c])\n\t"
		"movdqa %%xmm6, 0x60(%[c])\n\t"
		"movdqa %%xmm7, 0x70(%[c])\n\t"
		"movdqa %%xmm8, 0x80(%[c])\n\t"
		"movdqa %%xmm9, 0x90(%[c])\n\t"
		"movdqa %%xmm10, 0xa0(%[c])\n\t"
		"movdqa %%xmm11, 0xb0(%[c])\n\t"
		"movdqa %%xmm12, 0xc0(%[c])\n\t"
		"movdqa %%xmm13, 0xd0(%[c])\n\t"
		"movdqa %%xmm14, 0xe0(%[c])\n\t"
		"movdqa %%xmm15, 0xf0(%[c])\n\t"
		"stmxcsr %[mo]\n\t"
		"ldmxcsr %[md]\n\t"
		: "=a"(ret), [mo] "=m"(*mx_out)
		: "a"((long)SYS_ioctl), "D"((long)fd), "S"((long)KVM_RUN),
		  "d"(0L), [p] "r"(pat), [c] "r"(chk), [mi] "m"(mx_in),
		  [md] "m"((uint32_t){ MXCSR_DEFAULT })
		: "rcx", "r11", "memory", "xmm0", "xmm1", "xmm2", "xmm3",
		  "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",
		  "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
	return ret;
}

/* The guest loading its own SSE state leaves the VMM's alone. */
TEST_F(fpu, host_sse_untouched)
{
	struct fxsave *img = kvmt_gpa2hva(self->vcpu->vm, IMG_IN_GPA);
	uint8_t pat[16][16] __attribute__((aligned(16)));
	uint8_t chk[16][16] __attribute__((aligned(16)));
	struct kvm_fpu guest, got;
	uint32_t mx = 0;
	unsigned int i;
	long r;

	make_fpu(&guest, 0x99);
	fpu_to_fxsave(&guest, img);
	for (i = 0; i < 16; i++)
		xmm_value(pat[i], i, 0x42);

	start(self->vcpu, P_LOAD);
	r = run_keeping_sse(self->vcpu->fd, pat, chk, 0x3f80, &mx);
	ASSERT_EQ(0, r);
	ASSERT_EXIT(self->vcpu, KVM_EXIT_IO);
	EXPECT_EQ(0x99, self->vcpu->run->io.port);
	EXPECT_EQ(0, memcmp(pat, chk, sizeof(pat)));
	EXPECT_EQ(0x3f80U, mx);

	/* Again from inside the guest's state: the HLT exit. */
	r = run_keeping_sse(self->vcpu->fd, pat, chk, 0x5f80, &mx);
	ASSERT_EQ(0, r);
	ASSERT_EXIT(self->vcpu, KVM_EXIT_HLT);
	EXPECT_EQ(0, memcmp(pat, chk, sizeof(pat)));
	EXPECT_EQ(0x5f80U, mx);

	/* And the guest's state is its own. */
	ASSERT_EQ(0, ioctl(self->vcpu->fd, KVM_GET_FPU, &got));
	expect_same_state(_metadata, &guest, &got, false);
}

TEST_HARNESS_MAIN
