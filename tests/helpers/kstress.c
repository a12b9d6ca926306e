// SPDX-License-Identifier: GPL-2.0
/*
 * Abuse for ptdump_helper, run inside the test VM:
 *   kstress fuzz N   N invalid queries: every one must be refused
 *   kstress race N   N walks (single addresses and ranges) of a process
 *                    that maps, unmaps, splits, collapses, forks and
 *                    exits in a fixed window underneath them
 *   kstress retract N N range walks of two processes whose pte tables
 *                    MADV_COLLAPSE of a shmem and a tmpfs range retracts
 *   kstress pfnmap N map, write, fork and unmap the lab's pfnmap N times
 *   kstress walk     one walk of itself: the module answers
 *   kstress perm     an unprivileged process must not open the files, nor
 *                    use a walk descriptor root opened
 * Each prints one line "kstress MODE key=value..." for the host to check.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

#define DIR "/sys/kernel/debug/ptdump_helper"
#define PFNMAP_DIR "/sys/kernel/debug/ptdump_pfnmap"
#define THP (2ul << 20)

static unsigned long long rnd_state = 88172645463325252ull;

static unsigned long long rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static pid_t exited_pid(bool reap)
{
	pid_t p = fork();

	if (!p)
		_exit(0);
	if (reap)
		waitpid(p, NULL, 0);
	else
		usleep(10000);
	return p;
}

/* One invalid query of kind @k into @q; returns its length. */
static size_t make_query(unsigned int k, char *q, size_t cap, pid_t zombie,
			 pid_t gone)
{
	static const char *const fixed[] = {
		"", " ", "\n", "abc", "1", "1 ", "0 1000", "-1 1000", "1 -1000",
		"99999999999999999999 1000", "1 1ffffffffffffffffff",
		"1 ffff888000000000", "1 ffffffff81000000", "1 800000000000",
		"1 8000000000000000", "1 ffffffffffffffff", "1 0", "1 1000",
		"1 0 100000000000000", "1 2000 1000", "1 1000 1000", "2147483648 1000",
		"1 1000 2000 3000", "1 0x", "1 1000 -", "+1 1000", "1 +1000",
		"2 400000", "2 400000 800000", "1 00000000000000000000000000001000",
	};
	size_t n, i;

	switch (k % 6) {
	case 0:
		return snprintf(q, cap, "%s", fixed[rnd() % (sizeof(fixed) / sizeof(fixed[0]))]);
	case 1:	/* random bytes with at least one that no query may hold */
		n = 1 + rnd() % 90;
		for (i = 0; i < n && i < cap; i++)
			q[i] = (char)rnd();
		q[rnd() % n] = "gz!%#\x01\xff/"[rnd() % 8];
		return n;
	case 2:	/* an exited, reaped process */
		return snprintf(q, cap, "%d %llx", (int)gone, rnd() & 0x7fffffffffffull);
	case 3:	/* a zombie */
		return snprintf(q, cap, "%d %llx", (int)zombie, rnd() & 0x7fffffffffffull);
	case 4:	/* a kernel or non-canonical address in a live process */
		return snprintf(q, cap, "1 %llx", (rnd() | 0x800000000000ull));
	default: /* an unmapped low address, or a range past user space */
		if (rnd() & 1)
			return snprintf(q, cap, "1 %llx", rnd() % 0x10000);
		return snprintf(q, cap, "1 %llx %llx", rnd() % 0x1000,
				0x100000000000000ull + (rnd() & 0x7fff00000000ull));
	}
}

static int do_fuzz(long n)
{
	long accepted = 0, refused = 0, i, errs[256] = { 0 };
	pid_t zombie = exited_pid(false), gone = exited_pid(true);
	char q[128];
	int fd = open(DIR "/walk", O_RDWR);

	if (fd < 0) {
		printf("kstress fuzz error=%d\n", errno);
		return 1;
	}
	for (i = 0; i < n; i++) {
		size_t len = make_query(i, q, sizeof(q), zombie, gone);
		ssize_t r = write(fd, q, len);

		if (r >= 0) {
			accepted++;
			fprintf(stderr, "accepted: '%.*s'\n", (int)len, q);
		} else {
			refused++;
			errs[errno & 255]++;
		}
	}
	printf("kstress fuzz total=%ld accepted=%ld refused=%ld EINVAL=%ld ESRCH=%ld ENOENT=%ld E2BIG=%ld ERANGE=%ld\n",
	       n, accepted, refused, errs[EINVAL], errs[ESRCH], errs[ENOENT],
	       errs[E2BIG], errs[ERANGE]);
	waitpid(zombie, NULL, 0);
	close(fd);
	return 0;
}

/*
 * The race: a target churns a fixed window while walks of it run, so that
 * the walks meet tables being filled, split, collapsed and freed.  The
 * window lies in one pud table, away from everything else, so unmapping
 * all of it frees its pte and pmd tables too.
 */
#define WIN ((char *)0x100000000000ul)	/* 16 TiB: valid with 4 levels */
#define SLOTS 4
#define WIN_SIZE (SLOTS * THP)
#define PAGES (WIN_SIZE / 4096)

/* what the target and the walker share: counters and the child's pid */
struct race_state {
	unsigned long ops[10];
	unsigned long fails;
	unsigned long faults;
	pid_t child;
	int ready;	/* the target has filled its window once */
};

static sigjmp_buf churn_fault;
static volatile sig_atomic_t churn_child;

/* a write to what is read-only or gone: the churn goes on, a child ends */
static void churn_signal(int sig)
{
	(void)sig;
	if (churn_child)
		_exit(0);
	siglongjmp(churn_fault, 1);
}

static char *rnd_page(void)
{
	return WIN + (rnd() % PAGES) * 4096;
}

/* [*a, *a + *len): 1 to 600 pages somewhere in the window */
static void rnd_span(char **a, size_t *len)
{
	size_t first = rnd() % PAGES, n = 1 + rnd() % 600;

	if (first + n > PAGES)
		n = PAGES - first;
	*a = WIN + first * 4096;
	*len = n * 4096;
}

static void touch(char *p, size_t len, size_t step)
{
	size_t i;

	for (i = 0; i < len; i += step)
		p[i] = (char)i;
}

/* One change to the window; a fault on what was unmapped is ignored. */
static void churn_op(struct race_state *st, unsigned int op)
{
	char *slot = WIN + (rnd() % SLOTS) * THP, *p, *a;
	int anon = MAP_FIXED | MAP_ANONYMOUS;
	size_t len;
	pid_t c;

	switch (op) {
	case 0:	/* private THP */
		p = mmap(slot, THP, PROT_READ | PROT_WRITE, anon | MAP_PRIVATE, -1, 0);
		if (p == MAP_FAILED)
			break;
		madvise(p, THP, MADV_HUGEPAGE);
		touch(p, THP, 4096 * 64);
		return;
	case 1:	/* shared anonymous: shmem pages, never copied at fork */
		p = mmap(slot, THP, PROT_READ | PROT_WRITE, anon | MAP_SHARED, -1, 0);
		if (p == MAP_FAILED)
			break;
		touch(p, THP, 4096 * (1 + rnd() % 64));
		return;
	case 2:	/* hugetlb (guest.sh reserves a few); may find none free */
		p = mmap(slot, THP, PROT_READ | PROT_WRITE,
			 anon | MAP_PRIVATE | MAP_HUGETLB, -1, 0);
		if (p == MAP_FAILED)
			break;
		touch(p, THP, 4096 * 64);
		return;
	case 3:	/* 4K pages, then collapsed into a THP */
		p = mmap(slot, THP, PROT_READ | PROT_WRITE, anon | MAP_PRIVATE, -1, 0);
		if (p == MAP_FAILED)
			break;
		madvise(p, THP, MADV_NOHUGEPAGE);
		touch(p, THP, 4096 * (1 + rnd() % 64));
		madvise(p, THP, MADV_HUGEPAGE);
		if (madvise(p, THP, MADV_COLLAPSE))
			break;
		return;
	case 4:	/* partial mprotect: splits the VMA and any huge entry */
		rnd_span(&a, &len);
		if (mprotect(a, len, rnd() & 1 ? PROT_READ : PROT_READ | PROT_WRITE))
			break;
		return;
	case 5:	/* partial munmap */
		rnd_span(&a, &len);
		if (munmap(a, len))
			break;
		return;
	case 6:
		rnd_span(&a, &len);
		if (madvise(a, len, MADV_DONTNEED))
			break;
		return;
	case 7:	/* fork: the child writes (copy on write) and exits */
		c = fork();
		if (!c) {
			int i;

			churn_child = 1;
			for (i = 0; i < 16; i++)
				*(volatile char *)rnd_page() = 2;
			_exit(0);
		}
		if (c < 0)
			break;
		st->child = c;
		waitpid(c, NULL, 0);
		return;
	case 8:	/* all of it: the window's tables are freed */
		munmap(WIN, WIN_SIZE);
		return;
	default: /* a write anywhere: refaults what DONTNEED dropped */
		*(volatile char *)rnd_page() = 3;
		return;
	}
	st->fails++;
}

/* The target: churns the window until it exits, now and then. */
static void churn(struct race_state *st)
{
	struct sigaction sa = { .sa_handler = churn_signal, .sa_flags = SA_NODEFER };
	volatile unsigned int op;

	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	rnd_state ^= (unsigned long long)getpid() << 20;
	/*
	 * Fill the window before the walks start: under a loaded host the
	 * walker ran thousands of walks against a new target's empty window
	 * before it mapped anything, and the answered share fell from some
	 * 40% to 10% (the window still empties later, by op 8).
	 */
	for (op = 0; op < SLOTS; op++) {
		char *p = mmap(WIN + op * THP, THP, PROT_READ | PROT_WRITE,
			       MAP_FIXED | MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);

		if (p != MAP_FAILED)
			touch(p, THP, 4096 * 64);
	}
	__atomic_store_n(&st->ready, 1, __ATOMIC_RELEASE);
	for (;;) {
		op = rnd() % 10;
		if (!sigsetjmp(churn_fault, 0))
			churn_op(st, op);
		else
			st->faults++;
		st->ops[op]++;
		if (rnd() % 64 == 0)
			_exit(0);	/* exit mid-walk now and then */
	}
}

/* one query on @fd and its whole answer; 0 or -errno */
static int walk_once(int fd, const char *q, size_t len, bool *leaf)
{
	static char buf[1 << 16];
	size_t got = 0;
	ssize_t r;

	if (write(fd, q, len) != (ssize_t)len)
		return -errno;
	*leaf = false;
	/* the answer may span reads: look for a leaf across their seams */
	while ((r = read(fd, buf + got, sizeof(buf) - 1 - got)) > 0) {
		char *nl;

		got += r;
		buf[got] = '\0';
		if (strstr(buf, " leaf\n"))
			*leaf = true;
		nl = strrchr(buf, '\n');
		if (nl) {
			got = buf + got - (nl + 1);
			memmove(buf, nl + 1, got);
		} else if (got == sizeof(buf) - 1) {
			got = 0;
		}
	}
	return r < 0 ? -errno : 0;
}

static int do_race(long n)
{
	struct race_state *st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE,
				     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long i, ok = 0, leaves = 0, ranges = 0, children = 0, respawns = 0;
	long esrch = 0, enoent = 0, other = 0, ops = 0;
	char q[96];
	pid_t t = 0;
	int fd = open(DIR "/walk", O_RDWR), len, e, k;

	if (fd < 0 || st == MAP_FAILED) {
		printf("kstress race error=%d\n", errno);
		return 1;
	}
	alarm(1500);	/* a hang fails the test instead of the run */
	/* at least @n walks, and across at least 20 exits of the target */
	for (i = 0; i < n || respawns < 20; i++) {
		pid_t who;
		bool leaf = false;
		char *a;
		size_t sz;

		/* the target is killed mid-walk too, 25 times over @n walks */
		if (t && i % (n / 25 + 1) == n / 25) {
			kill(t, SIGKILL);
			waitpid(t, NULL, 0);
			t = 0;
		}
		while (!t || waitpid(t, NULL, WNOHANG) == t) {
			__atomic_store_n(&st->ready, 0, __ATOMIC_RELEASE);
			t = fork();
			if (!t)
				churn(st);
			respawns++;
			/* until it has mapped its window; one that died first is
			 * reaped here and replaced */
			while (t > 0 && !__atomic_load_n(&st->ready, __ATOMIC_ACQUIRE)) {
				if (waitpid(t, NULL, WNOHANG) == t) {
					t = 0;
					break;
				}
				usleep(1000);
			}
		}
		/* a fifth of the walks go to the target's latest child */
		who = i % 5 == 4 && st->child ? st->child : t;
		children += who != t;
		switch (i % 8) {
		case 3:	/* the whole window and a little around it */
			len = snprintf(q, sizeof(q), "%d %lx %lx", (int)who,
				       (unsigned long)WIN - THP,
				       (unsigned long)WIN + WIN_SIZE + THP);
			ranges++;
			break;
		case 5:
		case 7:
			rnd_span(&a, &sz);
			len = snprintf(q, sizeof(q), "%d %lx %lx", (int)who,
				       (unsigned long)a, (unsigned long)a + sz);
			ranges++;
			break;
		default:
			len = snprintf(q, sizeof(q), "%d %lx", (int)who,
				       (unsigned long)(rnd_page() + rnd() % 4096));
		}
		e = walk_once(fd, q, len, &leaf);
		if (!e) {
			ok++;
			leaves += leaf;
		} else if (e == -ESRCH) {
			esrch++;	/* the target or child has exited */
		} else if (e == -ENOENT) {
			enoent++;	/* nothing mapped there just now */
		} else {
			if (other++ < 5)
				fprintf(stderr, "refused: '%s': %s\n", q, strerror(-e));
		}
	}
	kill(t, SIGKILL);
	waitpid(t, NULL, 0);
	for (k = 0; k < 10; k++)
		ops += st->ops[k];
	printf("kstress race total=%ld answered=%ld leaves=%ld ranges=%ld children=%ld ESRCH=%ld ENOENT=%ld other=%ld targets=%ld ops=%ld opfails=%lu faults=%lu",
	       i, ok, leaves, ranges, children, esrch, enoent, other, respawns,
	       ops, st->fails, st->faults);
	for (k = 0; k < 10; k++)
		printf(" op%d=%lu", k, st->ops[k]);
	printf("\n");
	return 0;
}

/*
 * The retraction race: khugepaged's collapse of a file range retracts the
 * pte tables of every other process mapping it (retract_page_tables(),
 * under the file's i_mmap lock and the pmd lock, not their mmap locks), so
 * at 6.12 a table goes, through pte_free_defer(), under a walk holding the
 * mapper's mmap read lock.  A shmem (memfd) range and a tmpfs file range
 * are each mapped by two processes: the collapser fills the range with
 * small pages, maps them and collapses them (MADV_COLLAPSE), then punches
 * them out again; the mapper faults the range in with small pages over
 * and over, so that it holds a pte table each collapse retracts.  Range
 * walks of both processes run meanwhile.
 */
#define RFILES 2
#define RBASE ((char *)0x200000000000ul)	/* 32 TiB, 2 MiB aligned */

struct retract_state {
	unsigned long collapsed, collapse_failed, cycles, touches;
	volatile int stop, mapped;
};

static char *retract_map(int fd, int i)
{
	char *p = mmap(RBASE + i * 2 * THP, THP, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_FIXED, fd, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void retract_mapper(int *fds, struct retract_state *st)
{
	char *p[RFILES];
	unsigned long sum = 0;
	size_t off;
	int i;

	for (i = 0; i < RFILES; i++)
		p[i] = retract_map(fds[i], i);
	__sync_fetch_and_add(&st->mapped, 1);
	while (!st->stop) {
		for (i = 0; i < RFILES; i++) {
			if (!p[i])
				continue;
			/* reads: a punched-out page faults as a hole, no page */
			for (off = 0; off < THP; off += 4096 * (1 + rnd() % 8))
				sum += ((volatile char *)p[i])[off];
		}
		st->touches++;
	}
	_exit(sum == 1);
}

static void retract_collapser(int *fds, struct retract_state *st)
{
	static char page[4096];
	char *p[RFILES];
	size_t off;
	int i;

	for (i = 0; i < RFILES; i++)
		p[i] = retract_map(fds[i], i);
	__sync_fetch_and_add(&st->mapped, 1);
	while (!st->stop) {
		for (i = 0; i < RFILES; i++) {
			if (!p[i])
				continue;
			/* small pages: write() knows no VMA to want a THP for */
			fallocate(fds[i], FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, THP);
			for (off = 0; off < THP; off += 4096) {
				page[0] = (char)off;
				if (pwrite(fds[i], page, sizeof(page), off) != sizeof(page))
					break;
			}
			touch(p[i], THP, 4096);
			if (madvise(p[i], THP, MADV_COLLAPSE))
				st->collapse_failed++;
			else
				st->collapsed++;
		}
		st->cycles++;
	}
	_exit(0);
}

static int do_retract(long n)
{
	struct retract_state *st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE,
					MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long i, ok = 0, huge = 0, esrch = 0, enoent = 0, other = 0;
	int fd = open(DIR "/walk", O_RDWR), fds[RFILES], len, e;
	pid_t who[2];
	char q[96];

	fds[0] = memfd_create("kstress-retract", 0);
	fds[1] = open("/tmp/kstress-retract", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || st == MAP_FAILED || fds[0] < 0 || fds[1] < 0 ||
	    ftruncate(fds[0], THP) || ftruncate(fds[1], THP)) {
		printf("kstress retract error=%d\n", errno);
		return 1;
	}
	alarm(1500);
	who[0] = fork();
	if (!who[0])
		retract_mapper(fds, st);
	who[1] = fork();
	if (!who[1])
		retract_collapser(fds, st);
	/*
	 * a walk before a child has mapped its ranges finds no VMA (ENOENT):
	 * the walks start once both have (alarm() above bounds the wait)
	 */
	while (st->mapped < 2)
		usleep(1000);
	/* at least @n walks, and on past a hundred collapses */
	for (i = 0; i < n || (st->collapsed < 100 && i < 50 * n); i++) {
		bool leaf = false;
		int k = i % (2 * RFILES);
		char *a = RBASE + (k / 2) * 2 * THP;

		len = snprintf(q, sizeof(q), "%d %lx %lx", (int)who[k % 2],
			       (unsigned long)a, (unsigned long)a + THP);
		e = walk_once(fd, q, len, &leaf);
		if (!e) {
			ok++;
			huge += leaf;
		} else if (e == -ESRCH) {
			esrch++;
		} else if (e == -ENOENT) {
			enoent++;
		} else if (other++ < 5) {
			fprintf(stderr, "refused: '%s': %s\n", q, strerror(-e));
		}
	}
	st->stop = 1;
	waitpid(who[0], NULL, 0);
	waitpid(who[1], NULL, 0);
	unlink("/tmp/kstress-retract");
	printf("kstress retract total=%ld answered=%ld pmd_leaf=%ld ESRCH=%ld ENOENT=%ld other=%ld collapsed=%lu collapse_failed=%lu cycles=%lu touches=%lu\n",
	       i, ok, huge, esrch, enoent, other, st->collapsed,
	       st->collapse_failed, st->cycles, st->touches);
	return 0;
}

/* One walk of this process's own stack: the module answers again. */
static int do_walk(void)
{
	char q[64];
	int fd = open(DIR "/walk", O_RDWR), e, len;
	bool leaf = false;

	if (fd < 0) {
		printf("kstress walk error=%s\n", strerror(errno));
		return 1;
	}
	len = snprintf(q, sizeof(q), "%d %lx", (int)getpid(), (unsigned long)q);
	e = walk_once(fd, q, len, &leaf);
	printf("kstress walk answered=%d leaf=%d\n", !e, leaf);
	close(fd);
	return e ? 1 : 0;
}

/* map, write, fork (the child writes too), unmap the module's pfnmap */
static int do_pfnmap(long n)
{
	long i, mapped = 0, failed = 0;
	int fd;

	alarm(600);
	for (i = 0; i < n; i++) {
		int shared = i % 3 != 2;
		char *p;
		pid_t c;

		fd = open(PFNMAP_DIR "/pfnmap", O_RDWR);
		if (fd < 0) {
			failed++;
			continue;
		}
		p = mmap(NULL, THP, PROT_READ | PROT_WRITE,
			 shared ? MAP_SHARED : MAP_PRIVATE, fd, 0);
		close(fd);
		if (p == MAP_FAILED) {
			failed++;
			continue;
		}
		p[rnd() % THP] = 1;
		if (i % 10 == 0) {
			c = fork();
			if (!c) {
				p[rnd() % THP] = 2;
				_exit(0);
			}
			waitpid(c, NULL, 0);
		}
		munmap(p, THP);
		mapped++;
	}
	printf("kstress pfnmap total=%ld mapped=%ld failed=%ld\n", n, mapped, failed);
	return 0;
}

/*
 * The walk file as root opens it, then the same descriptor in a child
 * that dropped root (as one passed over SCM_RIGHTS would be): its write
 * and read must be refused; root's write after it is answered.
 */
static void perm_passed(void)
{
	char q[64], buf[256];
	int fd = open(DIR "/walk", O_RDWR), len, st;
	bool leaf = false;
	pid_t c;

	if (fd < 0) {
		printf(" root_open=%s", strerror(errno));
		return;
	}
	len = snprintf(q, sizeof(q), "%d %lx", (int)getpid(), (unsigned long)q);
	printf(" root_write=%s", walk_once(fd, q, len, &leaf) ? "refused" : "answered");
	/* an answer is waiting: the child must not read it either */
	if (write(fd, q, len) != len)
		printf(" root_rewrite=%s", strerror(errno));
	fflush(stdout);
	c = fork();
	if (!c) {
		if (setgid(65534) || setuid(65534))
			_exit(2);
		if (write(fd, q, len) < 0)
			printf(" passed_write=%s", strerror(errno));
		else
			printf(" passed_write=answered");
		if (read(fd, buf, sizeof(buf)) < 0)
			printf(" passed_read=%s", strerror(errno));
		else
			printf(" passed_read=read");
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, &st, 0);
	printf(" root_after=%s", walk_once(fd, q, len, &leaf) ? "refused" : "answered");
	close(fd);
}

static int do_perm(void)
{
	int l, w;

	printf("kstress perm");
	perm_passed();
	fflush(stdout);
	if (setgid(65534) || setuid(65534)) {
		printf(" error=%d\n", errno);
		return 1;
	}
	l = open(DIR "/layout", O_RDONLY);
	printf(" layout=%s", l < 0 ? strerror(errno) : "opened");
	w = open(DIR "/walk", O_RDWR);
	printf(" walk=%s\n", w < 0 ? strerror(errno) : "opened");
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc > 2 ? atol(argv[2]) : 10000;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "fuzz"))
		return do_fuzz(n);
	if (argc > 1 && !strcmp(argv[1], "race"))
		return do_race(n);
	if (argc > 1 && !strcmp(argv[1], "pfnmap"))
		return do_pfnmap(n);
	if (argc > 1 && !strcmp(argv[1], "retract"))
		return do_retract(n);
	if (argc > 1 && !strcmp(argv[1], "walk"))
		return do_walk();
	if (argc > 1 && !strcmp(argv[1], "perm"))
		return do_perm();
	fprintf(stderr, "usage: kstress fuzz|race|retract|pfnmap|walk|perm [N]\n");
	return 2;
}
