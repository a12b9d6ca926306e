// SPDX-License-Identifier: GPL-2.0
#include <linux/kernel-page-flags.h>
#include <stddef.h>
#include <stdio.h>

#include "kpageflags.h"

/*
 * The kernel-hacking bits: include/linux/kernel-page-flags.h, set by
 * stable_page_flags() in fs/proc/page.c.  Not in the UAPI header.
 */
#define PT_KPF_RESERVED 32
#define PT_KPF_MLOCKED 33
#define PT_KPF_OWNER_2 34
#define PT_KPF_PRIVATE 35
#define PT_KPF_PRIVATE_2 36
#define PT_KPF_OWNER_PRIVATE 37
#define PT_KPF_ARCH 38
#define PT_KPF_UNCACHED 39
#define PT_KPF_SOFTDIRTY 40
#define PT_KPF_ARCH_2 41
#define PT_KPF_ARCH_3 42

/*
 * Named as tools/mm/page-types.c's page_flag_names[] names them (its long
 * names, without the one-letter prefix); arch_3 (6.10+) is newer than
 * page-types' table and takes the kernel's macro name.
 */
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
	[KPF_ANON] = "anonymous",
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
	[KPF_IDLE] = "idle_page",
	[KPF_PGTABLE] = "pgtable",
	[PT_KPF_RESERVED] = "reserved",
	[PT_KPF_MLOCKED] = "mlocked",
	[PT_KPF_OWNER_2] = "owner_2",
	[PT_KPF_PRIVATE] = "private",
	[PT_KPF_PRIVATE_2] = "private_2",
	[PT_KPF_OWNER_PRIVATE] = "owner_private",
	[PT_KPF_ARCH] = "arch",
	[PT_KPF_UNCACHED] = "uncached",
	[PT_KPF_SOFTDIRTY] = "softdirty",
	[PT_KPF_ARCH_2] = "arch_2",
	[PT_KPF_ARCH_3] = "arch_3",
};

const char *pt_kpf_name(unsigned int bit)
{
	if (bit >= sizeof(pt_kpf_names) / sizeof(pt_kpf_names[0]))
		return NULL;
	return pt_kpf_names[bit];
}

void pt_kpf_json(struct pt_json *j, const char *key, uint64_t flags)
{
	const char *name;
	char other[8];
	unsigned int b;

	pt_json_arr_begin(j, key);
	for (b = 0; b < 64; b++) {
		if (!(flags & (1ull << b)))
			continue;
		name = pt_kpf_name(b);
		if (!name) {
			snprintf(other, sizeof(other), "kpf%u", b);
			name = other;
		}
		pt_json_str(j, NULL, name);
	}
	pt_json_arr_end(j);
}
