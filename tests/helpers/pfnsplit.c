// SPDX-License-Identifier: GPL-2.0
/*
 * The lab's pfnmap device (kmod/ptdump_pfnmap.c) where a VMA is cut in
 * two, run inside the test VM as root; each mode prints one line
 * "pfnsplit MODE key=value..." for tests/vm/check.py:
 *   small  2 MiB shared, mprotect() of the first page before any touch:
 *          a byte written through page 1 must not read back through page 0,
 *          and the walk must show consecutive PFNs
 *   pud    1 GiB shared, each 2 MiB block marked, a page in the middle made
 *          read-only (the VMA split in three), soft-dirty cleared so the
 *          next write is write-notified (wp_huge_pmd() -> huge_fault on
 *          6.12), then each block read and written back: each must hold
 *          its own mark, and the raw PFN of a block in the tail VMA must
 *          be where the block lies in the region
 *   pud2m  the same with block 256 made read-only whole: both cuts 2 MiB
 *          aligned
 *   owner  pfnmap_pud has one opener at a time, and a new opener reads
 *          zeroes where the last one wrote
 *   cache  the cache-mode bits (PWT, PCD, PAT) of a shared and a private
 *          mapping of pfnmap_pud's memory
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define HELPER "/sys/kernel/debug/ptdump_helper"
#define PFNMAP "/sys/kernel/debug/ptdump_pfnmap"
#define MB2 (2ul << 20)
#define GB1 (1ul << 30)
#define PAGE 4096ul

/* x86's cache-mode bits: PWT, PCD, and PAT at pte (7) or huge (12) level */
#define PWT (1ull << 3)
#define PCD (1ull << 4)

struct leaf {
	char level[8];
	uint64_t va, raw, pfn;
};

static uint64_t pfn_mask(const char *level)
{
	char line[160], l[8];
	uint64_t m = 0, v;
	FILE *f = fopen(HELPER "/layout", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "pfn_mask %7s %" SCNx64, l, &v) == 2 && !strcmp(l, level))
			m = v;
	fclose(f);
	return m;
}

/* The leaf over @addr in this process, through the inspection module. */
static int walk(void *addr, struct leaf *lf)
{
	char q[64], buf[4096], *line, *save;
	int fd = open(HELPER "/walk", O_RDWR), n, ret = -1;
	ssize_t len;

	if (fd < 0)
		return -1;
	n = snprintf(q, sizeof(q), "%d %lx", (int)getpid(), (unsigned long)addr);
	if (write(fd, q, n) != n)
		goto out;
	len = read(fd, buf, sizeof(buf) - 1);
	if (len <= 0)
		goto out;
	buf[len] = '\0';
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char lvl[8], st[16];
		uint64_t va, raw;

		if (sscanf(line, "%7s %" SCNx64 " %" SCNx64 " %15s", lvl, &va, &raw, st) == 4 &&
		    !strcmp(st, "leaf")) {
			strcpy(lf->level, lvl);
			lf->va = va;
			lf->raw = raw;
			lf->pfn = (raw & pfn_mask(lvl)) >> 12;
			ret = 0;
		}
	}
out:
	close(fd);
	return ret;
}

static char *map(const char *file, size_t len, int prot, int flags, int *err)
{
	int fd = open(file, O_RDWR);
	char *p;

	if (fd < 0) {
		*err = errno;
		return MAP_FAILED;
	}
	p = mmap(NULL, len, prot, flags, fd, 0);
	*err = p == MAP_FAILED ? errno : 0;
	close(fd);
	return p;
}

static int do_small(void)
{
	struct leaf l0 = { 0 }, l1 = { 0 };
	char page0;
	int err;
	char *p = map(PFNMAP "/pfnmap", MB2, PROT_READ | PROT_WRITE, MAP_SHARED, &err);

	if (p == MAP_FAILED) {
		printf("pfnsplit small error=%s\n", strerror(err));
		return 1;
	}
	if (mprotect(p, PAGE, PROT_READ)) {
		printf("pfnsplit small error=mprotect:%s\n", strerror(errno));
		return 1;
	}
	p[PAGE] = 0x5a;
	p[PAGE + 1] = 0x5b;
	page0 = *(volatile char *)p;	/* faults page 0 in, read-only */
	if (walk(p, &l0) || walk(p + PAGE, &l1)) {
		printf("pfnsplit small error=walk\n");
		return 1;
	}
	printf("pfnsplit small page0=%#x page1=%#x pfn0=%#" PRIx64 " pfn1=%#" PRIx64
	       " level0=%s level1=%s\n", (unsigned char)page0, (unsigned char)p[PAGE],
	       l0.pfn, l1.pfn, l0.level, l1.level);
	munmap(p, MB2);
	return 0;
}

static int clear_soft_dirty(void)
{
	int fd = open("/proc/self/clear_refs", O_WRONLY), ret;

	if (fd < 0)
		return -1;
	ret = write(fd, "4", 1) == 1 ? 0 : -1;
	close(fd);
	return ret;
}

/*
 * @mode "pud": a page inside block 256, off its start, made read-only;
 * "pud2m": block 256 whole, so that both cuts are 2 MiB aligned (and
 * vma_adjust_trans_huge() looks for no huge pmd to split).
 */
static int do_pud(const char *mode, size_t mid, size_t len)
{
	unsigned long i, blocks = GB1 / MB2, wrong = 0, first_wrong = 0;
	struct leaf base = { 0 }, tail = { 0 };
	char *p;
	int err;

	p = map(PFNMAP "/pfnmap_pud", GB1, PROT_READ | PROT_WRITE, MAP_SHARED, &err);
	if (p == MAP_FAILED) {
		printf("pfnsplit %s error=%s\n", mode, strerror(err));
		return 1;
	}
	for (i = 0; i < blocks; i++)
		p[i * MB2 + 8] = (char)(i + 1);
	if (walk(p, &base)) {
		printf("pfnsplit %s error=walk\n", mode);
		return 1;
	}
	/* three VMAs: [0, mid), [mid, mid + len) read-only, the tail */
	if (mprotect(p + mid, len, PROT_READ) || clear_soft_dirty()) {
		printf("pfnsplit %s error=%s\n", mode, strerror(errno));
		return 1;
	}
	for (i = 0; i < blocks; i++) {
		volatile char *b = p + i * MB2 + 8;
		char c = *b;	/* a read maps it read-only (write-notify) */

		if (i * MB2 + 8 < mid || i * MB2 + 8 >= mid + len)
			*b = c;	/* and the write must find the same PFN */
		if (c != (char)(i + 1) && !wrong++)
			first_wrong = i;
	}
	/* a block of the tail, 2 MiB aligned: a pmd on 6.12, ptes on 6.1 */
	if (walk(p + 300 * MB2, &tail)) {
		printf("pfnsplit %s error=walk tail\n", mode);
		return 1;
	}
	printf("pfnsplit %s blocks=%lu wrong=%lu first_wrong=%lu base_pfn=%#" PRIx64
	       " tail_pfn=%#" PRIx64 " tail_offset=%#" PRIx64 " tail_level=%s base_level=%s\n",
	       mode, blocks, wrong, first_wrong, base.pfn, tail.pfn,
	       (tail.pfn - base.pfn) << 12, tail.level, base.level);
	munmap(p, GB1);
	return 0;
}

static int do_owner(void)
{
	int fd1 = open(PFNMAP "/pfnmap_pud", O_RDWR), fd2, e2, err;
	unsigned long i, nonzero = 0;
	char *p;

	if (fd1 < 0) {
		printf("pfnsplit owner error=%s\n", strerror(errno));
		return 1;
	}
	fd2 = open(PFNMAP "/pfnmap_pud", O_RDWR);
	e2 = errno;
	if (fd2 >= 0)
		close(fd2);
	p = mmap(NULL, GB1, PROT_READ | PROT_WRITE, MAP_SHARED, fd1, 0);
	close(fd1);
	if (p == MAP_FAILED) {
		printf("pfnsplit owner error=mmap:%s\n", strerror(errno));
		return 1;
	}
	for (i = 0; i < GB1; i += MB2)
		p[i + 100] = 0x77;
	munmap(p, GB1);
	/* the last mapping gone, the file released: a new opener */
	p = map(PFNMAP "/pfnmap_pud", GB1, PROT_READ, MAP_SHARED, &err);
	if (p == MAP_FAILED) {
		printf("pfnsplit owner error=reopen:%s\n", strerror(err));
		return 1;
	}
	for (i = 0; i < GB1; i += MB2)
		nonzero += p[i + 100] != 0;
	munmap(p, GB1);
	printf("pfnsplit owner second_open=%s nonzero_after_reopen=%lu\n",
	       fd2 >= 0 ? "opened" : e2 == EBUSY ? "EBUSY" : strerror(e2), nonzero);
	return 0;
}

static int do_cache(void)
{
	struct leaf s = { 0 }, pv = { 0 };
	volatile char c;
	int err;
	char *p;

	p = map(PFNMAP "/pfnmap_pud", GB1, PROT_READ | PROT_WRITE, MAP_SHARED, &err);
	if (p == MAP_FAILED) {
		printf("pfnsplit cache error=%s\n", strerror(err));
		return 1;
	}
	c = p[5 * MB2];
	(void)c;
	if (walk(p + 5 * MB2, &s)) {
		printf("pfnsplit cache error=walk shared\n");
		return 1;
	}
	munmap(p, GB1);
	p = map(PFNMAP "/pfnmap_pud", GB1, PROT_READ | PROT_WRITE, MAP_PRIVATE, &err);
	if (p == MAP_FAILED) {
		printf("pfnsplit cache error=private:%s\n", strerror(err));
		return 1;
	}
	if (walk(p + 5 * MB2, &pv)) {
		printf("pfnsplit cache error=walk private\n");
		return 1;
	}
	munmap(p, GB1);
	/* PAT's bit is 7 in a pte and 12 in a huge entry */
	printf("pfnsplit cache shared_level=%s shared_pwt=%d shared_pcd=%d shared_pat=%d"
	       " private_level=%s private_pwt=%d private_pcd=%d private_pat=%d\n",
	       s.level, !!(s.raw & PWT), !!(s.raw & PCD),
	       !!(s.raw & (strcmp(s.level, "pte") ? 1ull << 12 : 1ull << 7)),
	       pv.level, !!(pv.raw & PWT), !!(pv.raw & PCD),
	       !!(pv.raw & (strcmp(pv.level, "pte") ? 1ull << 12 : 1ull << 7)));
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && !strcmp(argv[1], "small"))
		return do_small();
	if (argc == 2 && !strcmp(argv[1], "pud"))
		return do_pud("pud", GB1 / 2 + PAGE, PAGE);
	if (argc == 2 && !strcmp(argv[1], "pud2m"))
		return do_pud("pud2m", GB1 / 2, MB2);
	if (argc == 2 && !strcmp(argv[1], "owner"))
		return do_owner();
	if (argc == 2 && !strcmp(argv[1], "cache"))
		return do_cache();
	fprintf(stderr, "usage: pfnsplit small|pud|pud2m|owner|cache\n");
	return 2;
}
