// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvmt x86 CPU modes: real mode, flat 32-bit protected mode and 64-bit long
 * mode with an identity map of the low 4 GiB.  The descriptor tables and
 * page tables are written into guest RAM (slot 0) so that the guest could
 * reload segments or walk its own tables; the hidden segment state is set
 * directly through KVM_SET_SREGS, so no mode-switch code runs in the guest.
 */
#include <string.h>

#include "kvmt.h"

#define CR0_PE		(1ULL << 0)
#define CR0_ET		(1ULL << 4)
#define CR0_NE		(1ULL << 5)
#define CR0_PG		(1ULL << 31)
#define CR4_PAE		(1ULL << 5)
#define EFER_LME	(1ULL << 8)
#define EFER_LMA	(1ULL << 10)

#define PTE_P		(1ULL << 0)
#define PTE_RW		(1ULL << 1)
#define PTE_PS		(1ULL << 7)

#define SEG_TYPE_CODE	0xb	/* execute/read, accessed */
#define SEG_TYPE_DATA	0x3	/* read/write, accessed */

/* Descriptor fields in the layout the CPU reads them from the GDT. */
static uint64_t gdt_entry(uint32_t base, uint32_t limit, uint8_t type,
			  bool l, bool db)
{
	uint64_t d = 0;

	d |= limit & 0xffff;
	d |= (uint64_t)(base & 0xffffff) << 16;
	d |= (uint64_t)type << 40;
	d |= 1ULL << 44;			/* S: code/data */
	d |= 1ULL << 47;			/* P */
	d |= (uint64_t)((limit >> 16) & 0xf) << 48;
	d |= (uint64_t)l << 53;
	d |= (uint64_t)db << 54;
	d |= 1ULL << 55;			/* G: 4 KiB granularity */
	d |= (uint64_t)(base >> 24) << 56;
	return d;
}

static void write_gdt(struct kvmt_vm *vm)
{
	uint64_t gdt[4] = {
		0,
		gdt_entry(0, 0xfffff, SEG_TYPE_CODE, false, true),
		gdt_entry(0, 0xfffff, SEG_TYPE_DATA, false, true),
		gdt_entry(0, 0xfffff, SEG_TYPE_CODE, true, false),
	};

	kvmt_write_guest(vm, KVMT_GDT_GPA, gdt, sizeof(gdt));
}

static void write_page_tables(struct kvmt_vm *vm)
{
	uint64_t *pml4 = kvmt_gpa2hva(vm, KVMT_PML4_GPA);
	uint64_t *pdpt = kvmt_gpa2hva(vm, KVMT_PDPT_GPA);
	uint64_t *pd = kvmt_gpa2hva(vm, KVMT_PD_GPA);
	uint64_t i;

	/* Make sure the whole table area is inside the RAM slot. */
	kvmt_gpa2hva(vm, KVMT_PT_END - 1);
	memset(pml4, 0, KVMT_PAGE_SIZE);
	memset(pdpt, 0, KVMT_PAGE_SIZE);
	pml4[0] = KVMT_PDPT_GPA | PTE_P | PTE_RW;
	for (i = 0; i < 4; i++)
		pdpt[i] = (KVMT_PD_GPA + i * KVMT_PAGE_SIZE) | PTE_P | PTE_RW;
	/* Four contiguous PD pages: 2048 entries of 2 MiB = 4 GiB. */
	for (i = 0; i < 4 * 512; i++)
		pd[i] = (i << 21) | PTE_P | PTE_RW | PTE_PS;
}

static void flat_seg(struct kvm_segment *s, uint16_t sel, uint8_t type,
		     bool l, bool db)
{
	memset(s, 0, sizeof(*s));
	s->base = 0;
	s->limit = 0xffffffff;
	s->selector = sel;
	s->type = type;
	s->present = 1;
	s->dpl = 0;
	s->db = db;
	s->s = 1;
	s->l = l;
	s->g = 1;
}

static void real_seg(struct kvm_segment *s, uint16_t sel, uint8_t type)
{
	memset(s, 0, sizeof(*s));
	s->base = (uint64_t)sel << 4;
	s->limit = 0xffff;
	s->selector = sel;
	s->type = type;
	s->present = 1;
	s->s = 1;
}

void kvmt_setup_mode(struct kvmt_vcpu *vcpu, enum kvmt_mode mode,
		     uint64_t entry)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	uint16_t seg;

	kvmt_get_sregs(vcpu, &sregs);
	memset(&regs, 0, sizeof(regs));
	regs.rflags = 0x2;
	regs.rsp = KVMT_STACK_TOP;

	switch (mode) {
	case KVMT_MODE_REAL:
		/*
		 * CS, DS and ES cover the program (IP 0 is its first byte, so
		 * label offsets are data offsets); SS is the zero segment.
		 */
		if (entry >= 0x100000 || (entry & 0xf))
			KVMT_DIE(0, "real-mode entry %#llx unusable",
				 (unsigned long long)entry);
		seg = entry >> 4;
		real_seg(&sregs.cs, seg, SEG_TYPE_CODE);
		real_seg(&sregs.ds, seg, SEG_TYPE_DATA);
		real_seg(&sregs.es, seg, SEG_TYPE_DATA);
		real_seg(&sregs.fs, seg, SEG_TYPE_DATA);
		real_seg(&sregs.gs, seg, SEG_TYPE_DATA);
		real_seg(&sregs.ss, 0, SEG_TYPE_DATA);
		sregs.cr0 &= ~(CR0_PE | CR0_PG);
		sregs.cr4 = 0;
		sregs.efer = 0;
		regs.rip = 0;
		break;
	case KVMT_MODE_PROT32:
	case KVMT_MODE_LONG:
		write_gdt(vcpu->vm);
		sregs.gdt.base = KVMT_GDT_GPA;
		sregs.gdt.limit = 4 * 8 - 1;
		/* An empty IDT: a stray exception becomes a shutdown exit. */
		sregs.idt.base = KVMT_IDT_GPA;
		sregs.idt.limit = 0;
		if (mode == KVMT_MODE_LONG)
			flat_seg(&sregs.cs, KVMT_SEL_CODE64, SEG_TYPE_CODE,
				 true, false);
		else
			flat_seg(&sregs.cs, KVMT_SEL_CODE32, SEG_TYPE_CODE,
				 false, true);
		flat_seg(&sregs.ds, KVMT_SEL_DATA, SEG_TYPE_DATA, false, true);
		sregs.es = sregs.ds;
		sregs.fs = sregs.ds;
		sregs.gs = sregs.ds;
		sregs.ss = sregs.ds;
		sregs.cr0 = CR0_PE | CR0_ET | CR0_NE;
		sregs.cr4 = 0;
		sregs.efer = 0;
		if (mode == KVMT_MODE_LONG) {
			write_page_tables(vcpu->vm);
			sregs.cr3 = KVMT_PML4_GPA;
			sregs.cr4 |= CR4_PAE;
			sregs.efer |= EFER_LME | EFER_LMA;
			sregs.cr0 |= CR0_PG;
		}
		regs.rip = entry;
		break;
	default:
		KVMT_DIE(0, "unknown mode %d", mode);
	}
	kvmt_set_sregs(vcpu, &sregs);
	kvmt_set_regs(vcpu, &regs);
}

const char *kvmt_mode_name(enum kvmt_mode mode)
{
	switch (mode) {
	case KVMT_MODE_REAL:
		return "real";
	case KVMT_MODE_PROT32:
		return "prot32";
	case KVMT_MODE_LONG:
		return "long";
	}
	return "?";
}
