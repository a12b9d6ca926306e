// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "model.h"

static const char *const pt_vma_kind_names[PT_VMA_NR_KINDS] = {
	[PT_VMA_ANON_PRIVATE] = "anon-private",
	[PT_VMA_ANON_SHARED] = "anon-shared",
	[PT_VMA_FILE_PRIVATE] = "file-private",
	[PT_VMA_FILE_SHARED] = "file-shared",
	[PT_VMA_HUGETLB] = "hugetlb",
	[PT_VMA_PFNMAP] = "pfnmap",
	[PT_VMA_SPECIAL] = "special",
};

const char *pt_vma_kind_name(enum pt_vma_kind k)
{
	return (unsigned int)k < PT_VMA_NR_KINDS ? pt_vma_kind_names[k] : "?";
}

bool pt_vma_has_flag(const struct pt_vma *v, const char *flag)
{
	unsigned int i;

	for (i = 0; i < v->nr_flags; i++)
		if (!strcmp(v->flags[i], flag))
			return true;
	return false;
}

enum pt_vma_kind pt_vma_classify(const struct pt_vma *v)
{
	bool shared = v->perms[3] == 's';

	/* VmFlags first: they are the kernel's own vm_flags */
	if (pt_vma_has_flag(v, "ht"))
		return PT_VMA_HUGETLB;
	if (pt_vma_has_flag(v, "pf"))
		return PT_VMA_PFNMAP;
	if (pt_vma_has_flag(v, "io") || pt_vma_has_flag(v, "mm"))
		return PT_VMA_SPECIAL;
	if (!strcmp(v->path, "[vdso]") || !strcmp(v->path, "[vvar]") ||
	    !strcmp(v->path, "[vsyscall]") || !strcmp(v->path, "[vvar_vclock]"))
		return PT_VMA_SPECIAL;
	/* MAP_SHARED|MAP_ANONYMOUS is a shmem file the kernel names so */
	if (!strcmp(v->path, "/dev/zero (deleted)") && v->inode)
		return shared ? PT_VMA_ANON_SHARED : PT_VMA_FILE_PRIVATE;
	if (!v->path[0] || v->path[0] == '[')
		return shared ? PT_VMA_ANON_SHARED : PT_VMA_ANON_PRIVATE;
	return shared ? PT_VMA_FILE_SHARED : PT_VMA_FILE_PRIVATE;
}

int pt_walk_leaf(const struct pt_walk *w)
{
	int l, last = -1;

	for (l = 0; l < PT_NR_LEVELS; l++) {
		if (w->level[l].state == PT_STATE_ABSENT)
			continue;
		last = l;
		if (w->level[l].state != PT_STATE_TABLE)
			break;
	}
	return last;
}

uint64_t pt_walk_page_pfn(const struct pt_walk *w, int l, uint64_t leaf_pfn)
{
	return leaf_pfn + ((w->addr - w->level[l].va) >> 12);
}
