// SPDX-License-Identifier: GPL-2.0
/*
 * Abuse for ptdump_helper, run inside the test VM:
 *   kstress fuzz N   N invalid queries: every one must be refused
 *   kstress race N   N walks of a process that maps, unmaps, splits,
 *                    collapses, forks and exits underneath them
 *   kstress perm     an unprivileged process must not open the files
 * Each prints one line "kstress MODE key=value..." for the host to check.
 */
#include <errno.h>
#include <fcntl.h>
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
#define REGION (4ul << 20)

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

/* The target: churns its page tables until killed. */
static void churn(volatile unsigned long *shared)
{
	unsigned long it;

	for (it = 0;; it++) {
		char *raw = mmap(NULL, REGION + THP, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		char *p;
		pid_t c;

		if (raw == MAP_FAILED)
			continue;
		p = (char *)(((uintptr_t)raw + THP - 1) & ~(THP - 1));
		shared[0] = (uintptr_t)p;
		shared[1]++;
		madvise(p, REGION, MADV_HUGEPAGE);
		memset(p, 1, REGION);
		madvise(p + 4096, 4096, MADV_DONTNEED);	/* splits a pmd */
		mprotect(p + THP, 4096, PROT_READ);	/* splits another */
		madvise(p, REGION, MADV_COLLAPSE);
		if (it % 8 == 0) {
			c = fork();
			if (!c) {
				p[0] = 2;
				_exit(0);
			}
			waitpid(c, NULL, 0);
		}
		madvise(p, REGION, MADV_DONTNEED);
		munmap(raw, REGION + THP);
		if (it % 4 == 3)
			_exit(0);	/* exit mid-walk now and then */
	}
}

static int do_race(long n)
{
	volatile unsigned long *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
					      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long i, ok = 0, failed = 0, respawns = 0;
	char q[96], buf[65536];
	pid_t t = 0;
	int fd = open(DIR "/walk", O_RDWR), len;

	if (fd < 0 || shared == MAP_FAILED) {
		printf("kstress race error=%d\n", errno);
		return 1;
	}
	alarm(600);	/* a hang fails the test instead of the run */
	/* at least @n walks, and across at least 20 exits of the target */
	for (i = 0; i < n || respawns < 20; i++) {
		if (!t || waitpid(t, NULL, WNOHANG) == t) {
			t = fork();
			if (!t)
				churn(shared);
			respawns++;
		}
		unsigned long base = shared[0] ? shared[0] : 0x400000;
		unsigned long a = base + (rnd() % REGION);

		if (i % 4 == 3)
			len = snprintf(q, sizeof(q), "%d %lx %lx", (int)t, base,
				       base + REGION);
		else
			len = snprintf(q, sizeof(q), "%d %lx", (int)t, a);
		if (write(fd, q, len) == len && read(fd, buf, sizeof(buf)) >= 0)
			ok++;
		else
			failed++;
	}
	kill(t, SIGKILL);
	waitpid(t, NULL, 0);
	printf("kstress race total=%ld answered=%ld refused=%ld targets=%ld churns=%lu\n",
	       i, ok, failed, respawns, shared[1]);
	return 0;
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

static int do_perm(void)
{
	int l, w;

	if (setgid(65534) || setuid(65534)) {
		printf("kstress perm error=%d\n", errno);
		return 1;
	}
	l = open(DIR "/layout", O_RDONLY);
	printf("kstress perm layout=%s", l < 0 ? strerror(errno) : "opened");
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
	if (argc > 1 && !strcmp(argv[1], "perm"))
		return do_perm();
	fprintf(stderr, "usage: kstress fuzz|race|perm [N]\n");
	return 2;
}
