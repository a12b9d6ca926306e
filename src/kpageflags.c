// SPDX-License-Identifier: GPL-2.0
#include <linux/kernel-page-flags.h>
#include <stddef.h>

#include "kpageflags.h"

/* Documentation/admin-guide/mm/pagemap.rst, "kpageflags" */
static const char *const pt_kpf_names[] = {
	[KPF_LOCKED] = "locked",
	[KPF_ERROR] = "error",
	[KPF_REFERENCED] = "referenced",
	[KPF_UPTODATE] = "uptodate",
	[KPF_DIRTY] = "dirty",
	[KPF_LRU] = "lru",
	[KPF_ACTIVE] = "active",
	[KPF_SLAB] = "slab",
	[KPF_WRITEBACK] = "writeback",
	[KPF_RECLAIM] = "reclaim",
	[KPF_BUDDY] = "buddy",
	[KPF_MMAP] = "mmap",
	[KPF_ANON] = "anon",
	[KPF_SWAPCACHE] = "swapcache",
	[KPF_SWAPBACKED] = "swapbacked",
	[KPF_COMPOUND_HEAD] = "compound_head",
	[KPF_COMPOUND_TAIL] = "compound_tail",
	[KPF_HUGE] = "huge",
	[KPF_UNEVICTABLE] = "unevictable",
	[KPF_HWPOISON] = "hwpoison",
	[KPF_NOPAGE] = "nopage",
	[KPF_KSM] = "ksm",
	[KPF_THP] = "thp",
	[KPF_OFFLINE] = "offline",
	[KPF_ZERO_PAGE] = "zero_page",
	[KPF_IDLE] = "idle",
	[KPF_PGTABLE] = "pgtable",
};

const char *pt_kpf_name(unsigned int bit)
{
	if (bit >= sizeof(pt_kpf_names) / sizeof(pt_kpf_names[0]))
		return NULL;
	return pt_kpf_names[bit];
}
