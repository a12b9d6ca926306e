/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The /proc ABIs the /proc source reads: the pagemap word
 * (Documentation/admin-guide/mm/pagemap.rst), PAGEMAP_SCAN (6.7) and
 * PROCMAP_QUERY (6.11), both in include/uapi/linux/fs.h.  Debian 12's UAPI
 * headers predate the two ioctls, so their ABI is spelled out here.
 */
#ifndef PT_PAGEMAP_ABI_H
#define PT_PAGEMAP_ABI_H

#include <linux/fs.h>
#include <stdint.h>
#include <sys/ioctl.h>

#define PM_PFN_MASK ((1ull << 55) - 1)
#define PM_SWP_TYPE_MASK 0x1full
#define PM_SWP_OFFSET_SHIFT 5
#define PM_SOFT_DIRTY (1ull << 55)
#define PM_MMAP_EXCLUSIVE (1ull << 56)
#define PM_UFFD_WP (1ull << 57)
#define PM_GUARD_REGION (1ull << 58)
#define PM_FILE (1ull << 61)
#define PM_SWAP (1ull << 62)
#define PM_PRESENT (1ull << 63)
/* the flag bits of a pagemap word, without PFN or swap entry */
#define PM_FLAGS_MASK (~PM_PFN_MASK)

#ifndef PAGEMAP_SCAN
struct page_region {
	uint64_t start;
	uint64_t end;
	uint64_t categories;
};

struct pm_scan_arg {
	uint64_t size;
	uint64_t flags;
	uint64_t start;
	uint64_t end;
	uint64_t walk_end;
	uint64_t vec;
	uint64_t vec_len;
	uint64_t max_pages;
	uint64_t category_inverted;
	uint64_t category_mask;
	uint64_t category_anyof_mask;
	uint64_t return_mask;
};

#define PAGEMAP_SCAN _IOWR('f', 16, struct pm_scan_arg)
#define PAGE_IS_PRESENT (1 << 3)
#define PAGE_IS_SWAPPED (1 << 4)
#define PAGE_IS_HUGE (1 << 6)
#endif

#ifndef PROCMAP_QUERY
struct procmap_query {
	uint64_t size;
	uint64_t query_flags;
	uint64_t query_addr;
	uint64_t vma_start;
	uint64_t vma_end;
	uint64_t vma_flags;
	uint64_t vma_page_size;
	uint64_t vma_offset;
	uint64_t inode;
	uint32_t dev_major;
	uint32_t dev_minor;
	uint32_t vma_name_size;
	uint32_t build_id_size;
	uint64_t vma_name_addr;
	uint64_t build_id_addr;
};

#define PROCMAP_QUERY _IOWR('f', 17, struct procmap_query)
#define PROCMAP_QUERY_VMA_READABLE 0x01
#define PROCMAP_QUERY_VMA_WRITABLE 0x02
#define PROCMAP_QUERY_VMA_EXECUTABLE 0x04
#define PROCMAP_QUERY_VMA_SHARED 0x08
#endif

#endif
