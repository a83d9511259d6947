/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ARCH_X86_KVM_MMU_TDP_H
#define ARCH_X86_KVM_MMU_TDP_H

#include <linux/types.h>

struct kvm;

/* Enough tables for one fault with 5-level nested paging. */
#define TDP_CACHE_SIZE	4

struct tdp_cache {
	int nr;
	void *pages[TDP_CACHE_SIZE];
};

int tdp_cache_topup(struct tdp_cache *c);
void tdp_cache_free(struct tdp_cache *c);
int tdp_map(struct kvm *kvm, u64 gfn, u64 pfn, bool writable,
	    struct tdp_cache *cache);

#endif
