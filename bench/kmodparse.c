// SPDX-License-Identifier: GPL-2.0
/*
 * kmodparse: ptinspect's user-space half of a module range walk, on a
 * host without the module, for a profiler (valgrind --tool=callgrind).
 *
 *   kmodparse [MIB [compare]]     (default 256)
 *
 * This process maps MIB of 4 KiB pages and writes each one; the answers
 * the module would give for them are generated in its exact format
 * (kmod/ptdump_helper.c ptdh_entry(), man/ptdump_helper.4, protocol 6:
 * parts of at most 1 MiB and PTDH_ENTRIES_MAX entries ending with "more
 * ADDR", each repeating the vma line and the tables above its first
 * entry; ptes with their pagemap words, in runs where raw values and
 * words step by a page, a pte that follows the line before as a short
 * line, and asked for spans, ptes whose bits are the same but the PFN's
 * one line), with the words this process's pagemap gives.  Then
 * ptinspect's own code answers "dump --backend kmod --range"
 * over the region through pt_range_dump(): the module source's parsing,
 * its pagemap reads, the runs and their text, which goes to stdout.
 * Only the transport differs: answers come from memory, not the walk
 * file.  On stderr: entries, parts, and the seconds the dump took.
 *
 * With "compare", each dump (runs, runs split by PFN, JSON, --each) is
 * made from protocol 2 answers (no pagemap words: ptinspect reads this
 * process's pagemap), protocol 3 ones (words and runs, a line a run),
 * protocol 5 ones (short lines) and protocol 6 ones (spans where the
 * source asks for them), and the texts must be the same byte for byte;
 * exit status 1 when they are not.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kmod.h"	/* and kmod/ptdh_proto.h: the protocol's limits */
#include "options.h"	/* struct pt_err */
#include "rangedump.h"

#define PAGE 4096ul

/*
 * the protocol of the answers made: 6 (spans when asked), 5 (a pte that
 * follows the line before a short line), 3, or 2 (one pte a line, no
 * word)
 */
static int proto = 6;
/* lines, short lines and spans of the answers asked for */
static uint64_t nr_lines, nr_shorts, nr_spans;

struct part {
	uint64_t start;
	char *text;
	size_t len;
	uint64_t lines, shorts, spans;	/* counted when it is asked for */
};

/* the answers to queries without spans, and [1] with (protocol 6) */
struct replay {
	struct part *parts[2];
	size_t nr[2];
	const struct part *asked;
};

/* x86's 6.12 layout file after its first line, 4-level paging, no PTI */
static const char layout_rest[] =
	"arch x86_64\nrelease 6.12.117+deb12-cloud-amd64\n"
	"levels 4\nshift pgd 39\nshift pud 30\nshift pmd 21\nshift pte 12\n"
	"pfn_mask pte fffffffffff000\npti 0\n"
	"bit present 1\nbit write 2\nbit user 4\nbit pwt 8\nbit pcd 10\n"
	"bit accessed 20\nbit dirty 40\nbit huge 80\nbit pat 80\nbit global 100\n"
	"bit prot_none 100\nbit special 200\nbit uffd_wp 400\n"
	"bit soft_dirty 800\nbit pat_large 1000\nbit devmap 200000000000000\n"
	"bit saved_dirty 400000000000000\nbit pkey 7800000000000000\n"
	"bit nx 8000000000000000\nbit swp_soft_dirty 2\nbit swp_uffd_wp 4\n"
	"bit swp_exclusive 8\n"
	"swp max_swapfiles 27\nswp migration_read 28\nswp hwpoison 27\nswp marker 31\n"
	"vmflag rd 1\nvmflag wr 2\nvmflag ex 4\nvmflag sh 8\nvmflag mr 10\nvmflag mw 20\n"
	"vmflag me 40\nvmflag ms 80\nvmflag ac 100000\nvmflag nr 200000\nvmflag hg 20000000\n"
	"vmflag nh 40000000\nend\n";

static char *put_line(char *p, const char *level, uint64_t va, uint64_t raw,
		      const char *state)
{
	return p + sprintf(p, "%s %" PRIx64 " %016" PRIx64 " %s\n", level, va,
			   raw, state);
}

/* "ptdump_helper PROTO" and layout_rest */
static char layout[sizeof(layout_rest) + 32];
static size_t layout_len;

static void layout_make(void)
{
	layout_len = snprintf(layout, sizeof(layout), "ptdump_helper %d\n%s", proto,
			      layout_rest);
}

/* the last pte of the pte line before, which a short line may follow */
struct chain {
	bool on;
	uint64_t va, raw, word;
};

/* KMODPARSE_DIRTY=1: every pte dirty (pte_raw()) */
static bool all_dirty;

/*
 * The raw pte of the page at @va whose word is @word: present, user,
 * accessed; dirty but for about one page in eight, so that bits other
 * than the PFN's change along a range as they do in a real one
 */
static uint64_t pte_raw(uint64_t va, uint64_t word)
{
	uint64_t dirty = all_dirty ||
			 ((va / PAGE) * 0x9e3779b1ull >> 13) % 8 ? 0x40 : 0;

	return 0x8000000000000827ull | dirty | (word & ((1ull << 55) - 1)) << 12;
}

/* the bits of x86's pte but its PFN's (pfn_mask pte in the layout) */
#define PTE_KEEP (~0xffffffffff000ull)

/*
 * ptes from @va on, as ptdh_read_ptes_locked() joins them (into a span
 * when @spans) and ptdh_entry() writes them: the number it put
 */
static unsigned int put_run(char **pp, uint64_t va, uint64_t end,
			    const uint64_t *word, struct chain *c, bool spans)
{
	uint64_t raw = pte_raw(va, word[0]), rk;
	uint64_t d = word[0] - c->word;
	unsigned int k = 1;
	bool span = false;

	for (; va + k * PAGE < end && !((word[k] ^ word[0]) & ~((1ull << 55) - 1)); k++) {
		rk = pte_raw(va + k * PAGE, word[k]);
		if (!span && word[k] == word[0] + k && rk == raw + k * PAGE)
			continue;
		if (!spans || ((rk ^ raw) & PTE_KEEP))
			break;
		span = true;
	}
	nr_lines++;
	if (span) {
		*pp += sprintf(*pp, "pte %" PRIx64 " %016" PRIx64 " leaf %016" PRIx64
			       " %x s\n", va, raw, word[0], k);
		nr_spans++;
		c->on = false;
		return k;
	}
	if (proto >= 5 && c->on && va == c->va + PAGE && raw == c->raw + d * PAGE) {
		*pp += sprintf(*pp, "%c%" PRIx64, (int64_t)d < 0 ? '-' : '+',
			       (int64_t)d < 0 ? -d : d);
		nr_shorts++;
	} else {
		*pp += sprintf(*pp, "pte %" PRIx64 " %016" PRIx64 " leaf %016" PRIx64,
			       va, raw, word[0]);
	}
	*pp += k > 1 ? sprintf(*pp, " %x\n", k) : sprintf(*pp, "\n");
	*c = (struct chain){ true, va + (k - 1) * PAGE, raw + (k - 1) * PAGE, word[k - 1] };
	return k;
}

/*
 * The module's answers for [start, end), one per part: what
 * ptdh_walk_task() prints for one VMA of populated 4 KiB pages whose
 * PFNs are @pfn.
 */
static int make_parts_as(struct replay *r, pid_t pid, uint64_t start,
			 uint64_t end, const uint64_t *word, bool spans)
{
	uint64_t at = start, va, nents;
	struct chain c = { 0 };
	size_t cap = 0;

	while (at < end) {
		struct part *pt;
		char *p;

		if (r->nr[spans] == cap) {
			cap = cap ? cap * 2 : 16;
			r->parts[spans] = realloc(r->parts[spans], cap * sizeof(*r->parts[spans]));
			if (!r->parts[spans])
				return -1;
		}
		pt = &r->parts[spans][r->nr[spans]++];
		nr_lines = nr_shorts = nr_spans = 0;
		pt->start = at;
		pt->text = malloc(PTDH_OUT_MAX + 4096);
		if (!pt->text)
			return -1;
		p = pt->text;
		nents = 2;
		p += sprintf(p, "ptdump_helper %d\nquery %d %" PRIx64 " %" PRIx64
			     "\nvma %" PRIx64 " %" PRIx64 " %x\n", proto, (int)pid, at,
			     end, start, end, 0x100073);
		p = put_line(p, "pgd", at & ~((1ull << 39) - 1), 0x5436067, "table");
		p = put_line(p, "pud", at & ~((1ull << 30) - 1), 0x53a0067, "table");
		/* pmd-sized pieces while one more might fit (ptdh_stop()) */
		while (at < end) {
			uint64_t piece_end = (at | ((2ull << 20) - 1)) + 1;

			if (piece_end > end)
				piece_end = end;
			if (((size_t)(p - pt->text) + (512 + 8) * PTDH_LINE_MAX > PTDH_OUT_MAX ||
			     nents + 512 + 5 > PTDH_ENTRIES_MAX) && at != pt->start)
				break;
			if (!(at & ((1ull << 30) - 1)) && at != pt->start)
				p = put_line(p, "pud", at, 0x53a0067, "table");
			p = put_line(p, "pmd", at & ~((2ull << 20) - 1),
				     0x53a1067 + ((at >> 21) << 12), "table");
			nents += 1 + (piece_end - at) / PAGE;
			for (va = at; va < piece_end && proto == 2; va += PAGE)
				p = put_line(p, "pte", va,
					     pte_raw(va, word[(va - start) / PAGE]), "leaf");
			/* the pmd line ends the chain */
			c.on = false;
			for (va = at; va < piece_end && proto >= 3;)
				va += PAGE * put_run(&p, va, piece_end,
						     &word[(va - start) / PAGE], &c, spans);
			at = piece_end;
		}
		if (at < end)
			p += sprintf(p, "more %" PRIx64 "\n", at);
		p += sprintf(p, "end\n");
		pt->len = p - pt->text;
		pt->lines = nr_lines;
		pt->shorts = nr_shorts;
		pt->spans = nr_spans;
	}
	nr_lines = nr_shorts = nr_spans = 0;
	return 0;
}

/* both sets of answers from protocol 6 on (spans asked for or not) */
static int make_parts(struct replay *r, pid_t pid, uint64_t start,
		      uint64_t end, const uint64_t *word)
{
	layout_make();
	return make_parts_as(r, pid, start, end, word, false) ||
	       (proto >= 6 && make_parts_as(r, pid, start, end, word, true));
}

static void replay_free(struct replay *r)
{
	size_t i, k;

	for (i = 0; i < 2; i++) {
		for (k = 0; k < r->nr[i]; k++)
			free(r->parts[i][k].text);
		free(r->parts[i]);
	}
}

static int replay_send(void *ctx, const char *q, size_t len)
{
	struct replay *r = ctx;
	unsigned long long s, e;
	bool spans;
	size_t i;
	int pid;
	char c;

	r->asked = NULL;
	if (sscanf(q, "%d %llx %llx", &pid, &s, &e) < 2)
		return -22;
	/* "PID START END s\n" */
	spans = len > 3 && !memcmp(q + len - 3, " s\n", 3);
	if (spans && (proto < 6 || sscanf(q, "%d %llx %llx %c", &pid, &s, &e, &c) != 4))
		return -22;
	for (i = 0; i < r->nr[spans]; i++)
		if (r->parts[spans][i].start == s)
			r->asked = &r->parts[spans][i];
	if (!r->asked)
		return -2;
	nr_lines += r->asked->lines;
	nr_shorts += r->asked->shorts;
	nr_spans += r->asked->spans;
	return 0;
}

static ssize_t replay_recv(void *ctx, char *buf, size_t cap)
{
	struct replay *r = ctx;
	size_t n = r->asked->len < cap ? r->asked->len : cap;

	memcpy(buf, r->asked->text, n);
	return n;
}

static const struct pt_kmod_ask replay_ask = {
	.send = replay_send,
	.recv = replay_recv,
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double tv_s(const struct timeval *tv)
{
	return tv->tv_sec + tv->tv_usec / 1e6;
}

/* the kmod source's batches, PT_RANGE_SPANS never asked: a pte an entry */
static const struct pt_source_ops *kmod_ops;

static int walk_batch_unjoined(struct pt_source *s, pid_t pid, uint64_t start,
			       uint64_t end, unsigned int what, pt_batch_fn fn,
			       void *arg, struct pt_err *err)
{
	return kmod_ops->walk_batch(s, pid, start, end, what & ~PT_RANGE_SPANS,
				    fn, arg, err);
}

/*
 * The dumps of @mem from answers of protocols @pa and @pb, each to a
 * file: 0 if equal.  A negative @pb is -@pb's answers with the source
 * asked for no spans: each pte its own entry, the reference the joined
 * spans must give the same dump as.
 */
static int compare(struct pt_range_req *o, char *mem, uint64_t len,
		   const uint64_t *word, int pa, int pb)
{
	const int protos[2] = { pa, pb < 0 ? -pb : pb };
	struct pt_source_ops unjoined;
	FILE *f[2] = { tmpfile(), tmpfile() };
	char *l0 = NULL, *l1 = NULL;
	size_t n0 = 0, n1 = 0;
	ssize_t r0, r1;
	int out = dup(1), ret = 0;
	struct pt_err err = { 0 };
	struct pt_source src;
	long bytes = 0;
	size_t i;

	if (!f[0] || !f[1] || out < 0)
		return -1;
	for (i = 0; i < 2 && !ret; i++) {
		struct replay r = { 0 };

		proto = protos[i];
		if (make_parts(&r, o->pid, (uintptr_t)mem, (uintptr_t)mem + len, word) ||
		    pt_kmod_open_ask(&src, layout, layout_len, &replay_ask, &r, &err))
			return -1;
		if (i && pb < 0) {
			kmod_ops = src.ops;
			unjoined = *src.ops;
			unjoined.walk_batch = walk_batch_unjoined;
			src.ops = &unjoined;
		}
		fflush(stdout);
		dup2(fileno(f[i]), 1);
		ret = pt_range_dump(o, &src, (uintptr_t)mem, (uintptr_t)mem + len, &err);
		fflush(stdout);
		dup2(out, 1);
		pt_source_close(&src);
		replay_free(&r);
	}
	if (ret)
		return -1;
	rewind(f[0]);
	rewind(f[1]);
	/*
	 * Line by line; --each's kpageflags lines are read live by each
	 * dump, and page-idle tracking may set KPF_IDLE in between.
	 */
	do {
		do
			r0 = getline(&l0, &n0, f[0]);
		while (r0 > 0 && !strncmp(l0, "kpageflags: ", 12));
		do
			r1 = getline(&l1, &n1, f[1]);
		while (r1 > 0 && !strncmp(l1, "kpageflags: ", 12));
		bytes += r0 > 0 ? r0 : 0;
	} while (r0 == r1 && r0 > 0 && !memcmp(l0, l1, r0));
	ret = r0 != r1 || (r0 > 0 && memcmp(l0, l1, r0));
	fprintf(stderr, "kmodparse: protocol %d and %d%s dumps%s %s (%ld bytes;"
		" protocol %d's pte lines %" PRIu64 ", short %" PRIu64 ", spans %" PRIu64 ")\n",
		pa, protos[1], pb < 0 ? " unjoined" : "",
		o->each ? " (but kpageflags lines)" : "",
		ret ? "differ" : "identical", bytes, protos[1], nr_lines, nr_shorts, nr_spans);
	free(l0);
	free(l1);
	fclose(f[0]);
	fclose(f[1]);
	close(out);
	return ret;
}

int main(int argc, char **argv)
{
	uint64_t mib = argc > 1 ? strtoull(argv[1], NULL, 0) : 256;
	uint64_t len = mib << 20, i, *pfn;
	size_t bytes;
	struct pt_range_req o = { .pid = getpid() };
	struct replay r = { 0 };
	pid_t sharer = 0;
	struct pt_source src;
	struct pt_err err = { 0 };
	struct rusage ru0, ru1;
	double t0;
	char *mem;
	FILE *pm;
	int ret = 0;
	/* read once: the loop over pages below ran getenv() 2 times a page */
	const char *dirty = getenv("KMODPARSE_DIRTY");
	bool contig = getenv("KMODPARSE_CONTIG"), scat = getenv("KMODPARSE_SCAT");

	/*
	 * KMODPARSE_DIRTY=1: every pte dirty, as in a target the VM's bench
	 * has just written, so that only PFNs split the range's spans
	 */
	all_dirty = dirty && !strcmp(dirty, "1");
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pfn = calloc(len / PAGE, sizeof(*pfn));
	pm = fopen("/proc/self/pagemap", "r");
	if (mem == MAP_FAILED || !pfn || !pm) {
		perror("kmodparse");
		return 1;
	}
	madvise(mem, len, MADV_NOHUGEPAGE);
	for (i = 0; i < len; i += PAGE)
		mem[i] = 1;
	/*
	 * compare: a child shares the pages, and writes about one in four
	 * (its copy on write gives them back to this process alone): pagemap
	 * flags that change along the range, exclusive or not
	 */
	if (argc > 2 && !strcmp(argv[2], "compare")) {
		int pfd[2];
		char c;

		if (pipe(pfd) || (sharer = fork()) < 0) {
			perror("kmodparse");
			return 1;
		}
		if (!sharer) {
			for (i = 0; i < len; i += PAGE)
				if (!((i / PAGE) * 0x2545f491ull >> 11 & 3))
					mem[i] = 2;
			if (write(pfd[1], "", 1) != 1)
				_exit(1);
			pause();
			_exit(0);
		}
		if (read(pfd[0], &c, 1) != 1) {
			perror("kmodparse");
			return 1;
		}
	}
	/*
	 * pagemap words, PFNs as root; else (or with KMODPARSE_CONTIG=1, as
	 * a freshly booted VM's allocator gives them: whole pte tables of
	 * consecutive PFNs) present and exclusive at 0x1000 + the page's
	 * index
	 */
	for (i = 0; i < len / PAGE; i++) {
		if (contig || fseek(pm, ((uintptr_t)mem / PAGE + i) * 8, SEEK_SET) ||
		    fread(&pfn[i], 8, 1, pm) != 1)
			pfn[i] = 0;
		if (!(pfn[i] & ((1ull << 55) - 1)))
			pfn[i] = (1ull << 63 | 1ull << 56) + 0x1000 + i;
		/*
		 * KMODPARSE_SCAT=1: PFNs that never follow each other, for a
		 * profiler (compare's protocol 2 reads the real pagemap)
		 */
		if (scat)
			pfn[i] = (1ull << 63 | 1ull << 56) + 0x1000 +
				 ((i * 0x9e3779b1ull) & 0xfffff);
	}
	fclose(pm);
	if (argc > 2 && !strcmp(argv[2], "compare")) {
		/* runs, runs split by PFN, as JSON, one entry each, runs as JSON */
		for (i = 0; i < 5 && !ret; i++) {
			o.pfn_runs = i == 1 || i == 2;
			o.json = i == 2 || i == 4;
			o.each = i == 3;
			ret = compare(&o, mem, len, pfn, 2, 3);
			ret = ret ? ret : compare(&o, mem, len, pfn, 3, 5);
			ret = ret ? ret : compare(&o, mem, len, pfn, 5, -5);
			ret = ret ? ret : compare(&o, mem, len, pfn, 5, 6);
		}
		kill(sharer, SIGKILL);
		waitpid(sharer, NULL, 0);
		return ret ? 1 : 0;
	}
	if (make_parts(&r, o.pid, (uintptr_t)mem, (uintptr_t)mem + len, pfn)) {
		perror("kmodparse");
		return 1;
	}
	ret = pt_kmod_open_ask(&src, layout, layout_len, &replay_ask,
			       &r, &err);
	if (ret) {
		fprintf(stderr, "kmodparse: %s\n", err.msg);
		return 1;
	}
	getrusage(RUSAGE_SELF, &ru0);
	t0 = now();
	ret = pt_range_dump(&o, &src, (uintptr_t)mem, (uintptr_t)mem + len, &err);
	t0 = now() - t0;
	getrusage(RUSAGE_SELF, &ru1);
	for (i = 0, bytes = 0; i < r.nr[0]; i++)
		bytes += r.parts[0][i].len;
	fprintf(stderr, "kmodparse: %" PRIu64 " MiB, %" PRIu64 " entries, %zu parts (%zu bytes), dump %.4f s (user %.4f s, system %.4f s, %ld page faults), status %d%s%s\n",
		mib, len / PAGE, r.nr[0], bytes, t0, tv_s(&ru1.ru_utime) - tv_s(&ru0.ru_utime),
		tv_s(&ru1.ru_stime) - tv_s(&ru0.ru_stime),
		ru1.ru_minflt - ru0.ru_minflt, ret, ret ? ": " : "",
		ret ? err.msg : "");
	pt_source_close(&src);
	replay_free(&r);
	free(pfn);
	munmap(mem, len);
	return ret ? 1 : 0;
}
