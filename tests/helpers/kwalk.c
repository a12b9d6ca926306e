// SPDX-License-Identifier: GPL-2.0
/*
 * Large ranges through ptdump_helper's walk file, run inside the test VM
 * as root.  Prints one line "kwalk MODE key=value..." for check.py.
 *   kwalk range MIB [scat|4k [spans]]
 *                     a child populates MIB MiB of 4 KiB pages; the whole
 *                     range is walked, following "more ADDR" from answer to
 *                     answer, and every pte's raw PFN is compared with the
 *                     child's /proc/PID/pagemap, read in bulk; with scat,
 *                     half its pages are ones another mapping freed one in
 *                     two, so that few PFNs follow each other (the short
 *                     lines of protocol 5); with spans, asked for spans
 *                     (protocol 6): each span's first pte against pagemap,
 *                     and every other page present with its flags
 *   kwalk ptcheck MIB PTINSPECT
 *                     PTINSPECT dump --backend kmod --pfn-runs over such a
 *                     scattered child, every page's PFN against pagemap;
 *                     then its runs (spans) and PFN runs (none), whose
 *                     sums must be the same and pagemap's
 *   kwalk target MIB  populates MIB MiB of 4 KiB pages, prints its pid and
 *                     range, and waits to be killed: a process for ptinspect
 *   kwalk bench MIB [PTINSPECT [thp|scat]]
 *                     the same walk timed against a bulk pagemap read of
 *                     the same range, and the child's worst mmap/munmap
 *                     latency with and without walks running beside it;
 *                     with thp, the child's range is 2 MiB aligned and
 *                     MADV_HUGEPAGE (as many THPs as the VM can give);
 *                     with scat, scattered as above.
 *                     PTINSPECT, a process, is timed against the read in
 *                     this process and against the read as a process of
 *                     its own (kwalk pagemap), which pays the same fork,
 *                     exec and start-up, as make bench's baseline does
 *   kwalk pagemap PID START END
 *                     that read: PID's pagemap over [START, END) in bulk
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WALK "/sys/kernel/debug/ptdump_helper/walk"
#define PAGE 4096ul
#define ANSWER (2ul << 20)
#define HUGE_2M (2ul << 20)

enum target_kind { TARGET_4K, TARGET_THP, TARGET_SCAT };

struct target {
	pid_t pid;
	uint64_t start, len;
	volatile uint64_t *shared;	/* [0] start, [1] worst ns, [2] ops, [3] go */
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The child: maps and populates @len of 4 KiB pages, says where, then,
 * while shared[3] is set, maps and unmaps a small region and keeps the
 * worst latency of one mmap+munmap pair.
 */
/*
 * Every other page of [@p, @p + @len) taken from pages a scratch mapping
 * freed one in two: their PFNs are ones the allocator hands back, seldom
 * one after the other
 */
static void target_scatter(char *p, uint64_t len)
{
	char *x = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	uint64_t i;

	if (x == MAP_FAILED)
		_exit(1);
	madvise(x, len, MADV_NOHUGEPAGE);
	for (i = 0; i < len; i += PAGE)
		x[i] = 1;
	for (i = 0; i < len; i += 2 * PAGE)
		madvise(x + i, PAGE, MADV_DONTNEED);
	for (i = 0; i < len; i += 2 * PAGE)
		p[i] = 1;
	munmap(x, len);
}

static void target_run(volatile uint64_t *shared, uint64_t len,
		       enum target_kind kind)
{
	bool thp = kind == TARGET_THP;
	uint64_t extra = thp ? HUGE_2M : 0, i;
	char *p = mmap(NULL, len + extra, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		_exit(1);
	if (thp)
		p = (char *)(((uintptr_t)p + HUGE_2M - 1) & ~(uintptr_t)(HUGE_2M - 1));
	madvise(p, len, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	if (kind == TARGET_SCAT)
		target_scatter(p, len);
	for (i = 0; i < len; i += PAGE)
		p[i] = 1;
	shared[0] = (uintptr_t)p;
	for (;;) {
		if (shared[3]) {
			double t = now();
			void *q = mmap(NULL, 65536, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			uint64_t ns;

			if (q != MAP_FAILED) {
				*(volatile char *)q = 1;
				munmap(q, 65536);
			}
			ns = (uint64_t)((now() - t) * 1e9);
			if (ns > shared[1])
				shared[1] = ns;
			shared[2]++;
		} else {
			usleep(1000);
		}
	}
}

static int target_start(struct target *t, uint64_t mib, enum target_kind kind)
{
	t->shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (t->shared == MAP_FAILED)
		return -1;
	t->len = mib << 20;
	t->pid = fork();
	if (t->pid < 0)
		return -1;
	if (!t->pid)
		target_run(t->shared, t->len, kind);
	while (!t->shared[0]) {
		if (waitpid(t->pid, NULL, WNOHANG) == t->pid)
			return -1;
		usleep(10000);
	}
	t->start = t->shared[0];
	return 0;
}

static void target_stop(struct target *t)
{
	kill(t->pid, SIGKILL);
	waitpid(t->pid, NULL, 0);
}

struct walk_count {
	uint64_t ptes, parts, bytes, lines, mismatched;
	uint64_t shorts;	/* short lines "+D" and "-D" (protocol 5) */
	uint64_t spans;		/* lines ending " s" (protocol 6) */
	uint64_t max_part;	/* bytes of the largest answer */
	double kernel_s;	/* in write() and read(): the module's share */
};

/*
 * Walks [start, end) of @pid through the module, answer after answer; with
 * @pm, each pte leaf's PFN is checked against pagemap words @pm (one per
 * page from @start).
 */
static int walk_range(pid_t pid, uint64_t start, uint64_t end, bool spans,
		      const uint64_t *pm, uint64_t pte_mask, struct walk_count *c)
{
	char *buf = malloc(ANSWER + 1), q[96];
	int fd = open(WALK, O_RDWR), ret = -1;

	memset(c, 0, sizeof(*c));
	if (fd < 0 || !buf)
		goto out;
	while (start < end) {
		char *line, *save;
		uint64_t more = 0;
		ssize_t len = 0, n;
		int ql = snprintf(q, sizeof(q), "%d %" PRIx64 " %" PRIx64 "%s", (int)pid, start,
				  end, spans ? " s" : "");

		double t0 = now();

		if (write(fd, q, ql) != ql)
			goto out;
		while ((n = read(fd, buf + len, ANSWER - len)) > 0)
			len += n;
		c->kernel_s += now() - t0;
		if (n < 0)
			goto out;
		buf[len] = '\0';
		c->parts++;
		c->bytes += len;
		if ((uint64_t)len > c->max_part)
			c->max_part = len;
		/* the pte after the last one of a pte line with a word, or 0 */
		uint64_t next_va = 0, last_raw = 0, last_word = 0;
		bool last_leaf = false;

		for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			char lvl[8], st[16], sp[4];
			uint64_t va, raw, word = 0, count = 1, k, want, d;
			bool span = false, steps = true;
			int f;

			c->lines++;
			if (sscanf(line, "more %" SCNx64, &more) == 1)
				continue;
			if ((line[0] == '+' || line[0] == '-') && !next_va) {
				/* no pte line a short line may follow: a span's, or none */
				c->mismatched++;
				continue;
			}
			if (line[0] == '+' || line[0] == '-') {
				/* protocol 5: the last pte plus D pages, its word plus D */
				if (sscanf(line + 1, "%" SCNx64 " %" SCNx64, &d, &count) < 1) {
					c->mismatched++;
					continue;
				}
				if (line[0] == '-')
					d = -d;
				va = next_va;
				raw = last_raw + d * PAGE;
				word = last_word + d;
				f = 5;
				c->shorts++;
			} else {
				/* protocol 3: the pagemap word, and a run's count */
				f = sscanf(line, "%7s %" SCNx64 " %" SCNx64 " %15s %" SCNx64 " %" SCNx64
					   " %3s", lvl, &va, &raw, st, &word, &count, sp);
				next_va = 0;
				if (f < 4 || strcmp(lvl, "pte"))
					continue;
				last_leaf = !strcmp(st, "leaf");
				if (f == 7) {
					span = true;
					c->spans++;
					/* only where asked, and no short line after one */
					if (!spans || strcmp(sp, "s") || count < 2)
						c->mismatched++;
				}
			}
			if (f >= 5 && !span) {
				next_va = va + count * PAGE;
				last_raw = raw + (count - 1) * PAGE;
				last_word = word + count - 1;
			}
			if (!last_leaf)
				continue;
			for (k = 0; k < count; k++, va += PAGE, raw += PAGE, word++) {
				c->ptes++;
				if (!pm)
					continue;
				/* pm[-1] is the page pm[0] describes; bits 0-54 the PFN */
				want = pm[(va - pm[-1]) / PAGE];
				if (span && k) {
					/* a span's page: present, the first's flags */
					if (!(want >> 63) || ((want ^ (word - k)) >> 55))
						c->mismatched++;
					steps = steps && want == word;
					continue;
				}
				if (((raw & pte_mask) >> 12) != (want & ((1ull << 55) - 1)) ||
				    (f >= 5 && word != want))
					c->mismatched++;
			}
			/* " s" says the PFNs do not step */
			if (span && steps && pm)
				c->mismatched++;
		}
		if (!more)
			break;
		if (more <= start) {
			errno = EPROTO;
			goto out;
		}
		start = more;
	}
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	return ret;
}

/* pagemap words of [start, start + len), in bulk; pm[-1] holds @start */
static uint64_t *pagemap_read(pid_t pid, uint64_t start, uint64_t len)
{
	uint64_t n = len / PAGE, done = 0, *pm = malloc((n + 1) * 8);
	char path[64];
	int fd;

	if (!pm)
		return NULL;
	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		free(pm);
		return NULL;
	}
	pm[0] = start;
	while (done < n) {
		uint64_t chunk = n - done > 8192 ? 8192 : n - done;
		ssize_t r = pread(fd, pm + 1 + done, chunk * 8, (start / PAGE + done) * 8);

		if (r <= 0)
			break;
		done += r / 8;
	}
	close(fd);
	if (done < n) {
		free(pm);
		return NULL;
	}
	return pm + 1;
}

static uint64_t layout_pte_mask(void)
{
	char line[160];
	uint64_t m = 0, v;
	FILE *f = fopen("/sys/kernel/debug/ptdump_helper/layout", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "pfn_mask pte %" SCNx64, &v) == 1)
			m = v;
	fclose(f);
	return m;
}

static int do_range(uint64_t mib, enum target_kind kind, bool spans)
{
	struct walk_count c;
	struct target t;
	uint64_t *pm, present = 0, i;
	double t0, secs;
	int ret;

	if (target_start(&t, mib, kind)) {
		printf("kwalk range error=target:%s\n", strerror(errno));
		return 1;
	}
	pm = pagemap_read(t.pid, t.start, t.len);
	if (!pm) {
		printf("kwalk range error=pagemap\n");
		target_stop(&t);
		return 1;
	}
	for (i = 0; i < t.len / PAGE; i++)
		present += pm[i] >> 63;
	t0 = now();
	ret = walk_range(t.pid, t.start, t.start + t.len, spans, pm, layout_pte_mask(), &c);
	secs = now() - t0;
	if (ret)
		printf("kwalk range error=walk:%s\n", strerror(errno));
	else
		printf("kwalk range mib=%" PRIu64 " pages=%" PRIu64 " present=%" PRIu64
		       " ptes=%" PRIu64 " mismatched=%" PRIu64 " parts=%" PRIu64
		       " max_part=%" PRIu64 " lines=%" PRIu64 " shorts=%" PRIu64
		       " spans=%" PRIu64 " secs=%.3f\n",
		       mib, t.len / PAGE, present, c.ptes, c.mismatched, c.parts,
		       c.max_part, c.lines, c.shorts, c.spans, secs);
	free(pm - 1);
	target_stop(&t);
	return ret ? 1 : 0;
}

/* the child's worst mmap+munmap pair over @secs seconds */
static uint64_t worst_latency(struct target *t, double secs, bool walking,
			      uint64_t *walks)
{
	struct walk_count c;
	double end;

	t->shared[1] = 0;
	t->shared[2] = 0;
	t->shared[3] = 1;
	end = now() + secs;
	*walks = 0;
	while (now() < end) {
		if (walking) {
			if (walk_range(t->pid, t->start, t->start + t->len, false, NULL, 0, &c))
				break;
			(*walks)++;
		} else {
			usleep(10000);
		}
	}
	t->shared[3] = 0;
	usleep(20000);
	return t->shared[1];
}

/* @ptinspect dump --backend kmod over the target's range, as runs: seconds */
static double time_ptinspect(const char *ptinspect, struct target *t)
{
	char pid[16], range[64];
	double t0 = now();
	int st;
	pid_t c;

	snprintf(pid, sizeof(pid), "%d", (int)t->pid);
	snprintf(range, sizeof(range), "0x%" PRIx64 "-0x%" PRIx64, t->start, t->start + t->len);
	c = fork();
	if (!c) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		execl(ptinspect, ptinspect, "dump", "--backend", "kmod", "--pid", pid,
		      "--range", range, (char *)NULL);
		_exit(127);
	}
	if (c < 0 || waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st))
		return -1;
	return now() - t0;
}

/* kwalk pagemap over the target's range, as a process of its own: seconds */
static double time_pagemap_proc(struct target *t)
{
	char pid[16], s[24], e[24];
	double t0 = now();
	int st;
	pid_t c;

	snprintf(pid, sizeof(pid), "%d", (int)t->pid);
	snprintf(s, sizeof(s), "%#" PRIx64, t->start);
	snprintf(e, sizeof(e), "%#" PRIx64, t->start + t->len);
	c = fork();
	if (!c) {
		execl("/proc/self/exe", "kwalk", "pagemap", pid, s, e, (char *)NULL);
		_exit(127);
	}
	if (c < 0 || waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st))
		return -1;
	return now() - t0;
}

static int do_bench(uint64_t mib, const char *ptinspect, enum target_kind kind)
{
	double t0, walk_s, pm_s, pt_s = 0, pmp_s = 0;
	uint64_t *pm, idle_ns, busy_ns, walks, dummy;
	struct walk_count c, cs;
	struct target t;
	int r;

	if (target_start(&t, mib, kind)) {
		printf("kwalk bench error=target\n");
		return 1;
	}
	/* one of each first, so both read warm tables */
	free(pagemap_read(t.pid, t.start, t.len) - 1);
	t0 = now();
	pm = pagemap_read(t.pid, t.start, t.len);
	pm_s = now() - t0;
	t0 = now();
	r = walk_range(t.pid, t.start, t.start + t.len, false, NULL, 0, &c);
	walk_s = now() - t0;
	/* asked for spans, as ptinspect's runs ask (protocol 6) */
	r = r ? r : walk_range(t.pid, t.start, t.start + t.len, true, NULL, 0, &cs);
	if (!pm || r) {
		printf("kwalk bench error=read\n");
		target_stop(&t);
		return 1;
	}
	free(pm - 1);
	if (ptinspect) {
		pmp_s = time_pagemap_proc(&t);
		pt_s = time_ptinspect(ptinspect, &t);
	}
	idle_ns = worst_latency(&t, 2.0, false, &dummy);
	busy_ns = worst_latency(&t, 2.0, true, &walks);
	printf("kwalk bench mib=%" PRIu64 " thp=%d scat=%d lines=%" PRIu64 " pagemap_s=%.4f walk_s=%.4f walk_kernel_s=%.4f"
	       " walk_over_pagemap=%.3f"
	       " throughput_ratio=%.3f parts=%" PRIu64 " mmap_worst_idle_us=%.0f"
	       " mmap_worst_walking_us=%.0f walks=%" PRIu64 " ptinspect_s=%.4f"
	       " ptinspect_ratio=%.3f pagemap_proc_s=%.4f ptinspect_proc_ratio=%.3f"
	       " spans_lines=%" PRIu64 " spans_kernel_s=%.4f\n",
	       mib, kind == TARGET_THP, kind == TARGET_SCAT, c.lines, pm_s, walk_s, c.kernel_s, walk_s / pm_s, pm_s / walk_s, c.parts,
	       idle_ns / 1e3, busy_ns / 1e3, walks, pt_s, pt_s > 0 ? pm_s / pt_s : 0,
	       pmp_s, pt_s > 0 && pmp_s > 0 ? pmp_s / pt_s : 0, cs.lines, cs.kernel_s);
	target_stop(&t);
	return 0;
}

/*
 * The sums of @ptinspect dump --backend kmod over @range of @pid ("pte N
 * ...; present ...; ... exclusive N pages"), runs or PFN runs,
 * into @out without its last field (the number of runs); 0 or -1
 */
static int ptcheck_sums(const char *ptinspect, const char *pid, const char *range,
			bool pfn_runs, char *out, size_t cap)
{
	char cmd[512], line[512], *semi, *sums;
	FILE *f;
	int ret = -1;

	snprintf(cmd, sizeof(cmd), "%s dump --backend kmod --pid %s --range %s%s", ptinspect,
		 pid, range, pfn_runs ? " --pfn-runs" : "");
	f = popen(cmd, "r");
	while (f && fgets(line, sizeof(line), f)) {
		/* a range of one mapping: "  summary: pte N ..." */
		sums = !strncmp(line, "  summary: ", 11) ? line + 11 : line + 2;
		if (!ret || strncmp(sums, "pte ", 4) || !strstr(sums, "; present "))
			continue;
		semi = strrchr(sums, ';');
		if (semi)
			*semi = '\0';
		snprintf(out, cap, "%s", sums);
		ret = 0;
	}
	if (!f || pclose(f))
		ret = -1;
	return ret;
}

/*
 * @ptinspect dump --backend kmod --pfn-runs over a scattered child: each
 * run of following PFNs a line "START ENTRIES PFN", every page of them
 * checked against the child's pagemap.  Then the sums of its runs, which
 * it reads as the module's spans (protocol 6), and of its PFN runs, which
 * it reads pte by pte: the same, and pagemap's present and exclusive
 * pages.
 */
static int do_ptcheck(uint64_t mib, const char *ptinspect)
{
	uint64_t *pm, pages = 0, mismatched = 0, lines = 0, start, n, pfn, k, i;
	uint64_t present = 0, excl = 0, s_present, s_excl;	/* pte leaves, exclusive pages */
	char pid[16], range[64], line[256], sums[2][512] = { "", "" };
	bool sums_ok;
	struct target t;
	int fds[2], st, ret = 1;
	FILE *f;
	pid_t c;

	if (target_start(&t, mib, TARGET_SCAT)) {
		printf("kwalk ptcheck error=target\n");
		return 1;
	}
	pm = pagemap_read(t.pid, t.start, t.len);
	if (!pm || pipe(fds)) {
		printf("kwalk ptcheck error=pagemap\n");
		goto out;
	}
	snprintf(pid, sizeof(pid), "%d", (int)t.pid);
	snprintf(range, sizeof(range), "0x%" PRIx64 "-0x%" PRIx64, t.start, t.start + t.len);
	c = fork();
	if (!c) {
		dup2(fds[1], 1);
		close(fds[0]);
		execl(ptinspect, ptinspect, "dump", "--backend", "kmod", "--pid", pid,
		      "--range", range, "--pfn-runs", "-o", "start,entries,pfn", "--raw",
		      "--noheadings", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	f = fdopen(fds[0], "r");
	while (f && fgets(line, sizeof(line), f)) {
		lines++;
		if (sscanf(line, "%" SCNx64 " %" SCNu64 " %" SCNx64, &start, &n, &pfn) != 3 ||
		    start < t.start || start >= t.start + t.len || n > (t.start + t.len - start) / PAGE) {
			mismatched++;
			continue;
		}
		for (k = 0; k < n; k++, pages++) {
			i = (start - t.start) / PAGE + k;
			if (!(pm[i] >> 63) || (pm[i] & ((1ull << 55) - 1)) != pfn + k)
				mismatched++;
		}
	}
	if (f)
		fclose(f);
	if (c < 0 || waitpid(c, &st, 0) != c) {
		printf("kwalk ptcheck error=wait\n");
		goto out;
	}
	for (i = 0; i < t.len / PAGE; i++) {
		present += pm[i] >> 63;
		excl += pm[i] >> 56 & 1;
	}
	sums_ok = !ptcheck_sums(ptinspect, pid, range, false, sums[0], sizeof(sums[0])) &&
		  !ptcheck_sums(ptinspect, pid, range, true, sums[1], sizeof(sums[1])) &&
		  !strcmp(sums[0], sums[1]) &&
		  sscanf(sums[0], "pte %" SCNu64, &s_present) == 1 &&
		  sscanf(strstr(sums[0], "exclusive ") ?: "", "exclusive %" SCNu64, &s_excl) == 1 &&
		  s_present == present && s_excl == excl;
	printf("kwalk ptcheck mib=%" PRIu64 " pages=%" PRIu64 " covered=%" PRIu64
	       " mismatched=%" PRIu64 " lines=%" PRIu64 " exit=%d sums_match=%d\n", mib,
	       t.len / PAGE, pages, mismatched, lines,
	       WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st), sums_ok);
	printf("kwalk ptcheck sums runs: %s\nkwalk ptcheck sums pfn-runs: %s\n"
	       "kwalk ptcheck pagemap: present %" PRIu64 " pages, exclusive %" PRIu64 " pages\n",
	       sums[0], sums[1], present, excl);
	ret = 0;
out:
	if (pm)
		free(pm - 1);
	target_stop(&t);
	return ret;
}

static int do_target(uint64_t mib)
{
	uint64_t len = mib << 20, i;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED) {
		printf("kwalk target error=%s\n", strerror(errno));
		return 1;
	}
	madvise(p, len, MADV_NOHUGEPAGE);
	for (i = 0; i < len; i += PAGE)
		p[i] = 1;
	printf("kwalk target pid=%d start=%#lx end=%#lx\n", (int)getpid(),
	       (unsigned long)p, (unsigned long)(p + len));
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	uint64_t mib = argc > 2 ? strtoull(argv[2], NULL, 0) : 256;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "range"))
		return do_range(mib, argc > 3 && !strcmp(argv[3], "scat") ? TARGET_SCAT : TARGET_4K,
				argc > 4 && !strcmp(argv[4], "spans"));
	if (argc == 4 && !strcmp(argv[1], "ptcheck"))
		return do_ptcheck(mib, argv[3]);
	if (argc == 5 && !strcmp(argv[1], "pagemap")) {
		uint64_t start = strtoull(argv[3], NULL, 0);
		uint64_t *pm = pagemap_read(atoi(argv[2]), start,
					    strtoull(argv[4], NULL, 0) - start);

		if (!pm)
			return 1;
		free(pm - 1);
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "bench"))
		return do_bench(mib, argc > 3 ? argv[3] : NULL,
				argc <= 4		     ? TARGET_4K :
				!strcmp(argv[4], "thp")	     ? TARGET_THP :
				!strcmp(argv[4], "scat")     ? TARGET_SCAT : TARGET_4K);
	if (argc > 1 && !strcmp(argv[1], "target"))
		return do_target(mib);
	fprintf(stderr, "usage: kwalk range|target|bench [MIB], kwalk ptcheck MIB PTINSPECT,"
		" kwalk pagemap PID START END\n");
	return 2;
}
