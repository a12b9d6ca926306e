// SPDX-License-Identifier: GPL-2.0
/*
 * A process with large populated regions for range tests, driven by one
 * command per stdin line; each reply is one line, "ok VALUE" or "err WHY".
 *   map4k SIZE       anonymous, every 4 KiB page written, no THP
 *   mapalt SIZE      anonymous, every other 4 KiB page written, no THP
 *   mapthp SIZE      2 MiB aligned, MADV_HUGEPAGE, every page written
 *   mapmix SIZE      THP, then every other 2 MiB block split to 4 KiB
 *                    entries (MADV_DONTNEED of one page, written again;
 *                    MADV_NOHUGEPAGE first, so khugepaged leaves them)
 *   reserve SIZE     NORESERVE, one page written every GiB
 *   fork             a child that takes the commands below; its pid
 *   cwrite ADDR SIZE the child writes every other page of [ADDR, +SIZE)
 *   cunmap ADDR SIZE the child unmaps [ADDR, +SIZE)
 *   unmap ADDR SIZE
 *   exit
 */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define HP (2ul << 20)

static int child_in = -1, child_out = -1;
static pid_t child_pid;

static void touch(char *p, size_t size, size_t step)
{
	size_t i;

	for (i = 0; i < size; i += step)
		p[i] = 1;
}

static char *map_aligned(size_t size, int advice)
{
	char *p = mmap(NULL, size + HP, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	char *a;

	if (p == MAP_FAILED)
		return NULL;
	a = (char *)(((uintptr_t)p + HP - 1) & ~(HP - 1));
	if (a > p)
		munmap(p, a - p);
	munmap(a + size, p + size + HP - (a + size));
	if (advice >= 0)
		madvise(a, size, advice);
	return a;
}

/* The child's loop: cwrite and exit, from the parent's pipe. */
static void child_loop(int in, int out)
{
	unsigned long long a, s;
	char line[128];
	FILE *f = fdopen(in, "r");
	size_t i;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "cwrite %llx %llx", &a, &s) == 2) {
			for (i = 0; i < s; i += 8192)
				((char *)(uintptr_t)a)[i] = 2;
			dprintf(out, "ok\n");
		} else if (sscanf(line, "cunmap %llx %llx", &a, &s) == 2) {
			dprintf(out, munmap((void *)(uintptr_t)a, s) ? "err\n" : "ok\n");
		} else {
			break;
		}
	}
	_exit(0);
}

static void cmd_fork(void)
{
	int to[2], from[2];
	char buf[16];

	if (pipe(to) || pipe(from)) {
		printf("err pipe\n");
		return;
	}
	child_pid = fork();
	if (child_pid == 0) {
		close(to[1]);
		close(from[0]);
		child_loop(to[0], from[1]);
	}
	close(to[0]);
	close(from[1]);
	child_in = to[1];
	child_out = from[0];
	(void)buf;
	printf("ok %d\n", (int)child_pid);
}

int main(void)
{
	unsigned long long a, s;
	char line[128], reply[16];
	char *p;
	size_t i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("ok %d\n", (int)getpid());
	while (fgets(line, sizeof(line), stdin)) {
		if (sscanf(line, "map4k %llx", &s) == 1) {
			p = map_aligned(s, MADV_NOHUGEPAGE);
			if (p)
				touch(p, s, 4096);
		} else if (sscanf(line, "mapalt %llx", &s) == 1) {
			p = map_aligned(s, MADV_NOHUGEPAGE);
			if (p)
				touch(p, s, 8192);
		} else if (sscanf(line, "mapthp %llx", &s) == 1) {
			p = map_aligned(s, MADV_HUGEPAGE);
			if (p)
				touch(p, s, 4096);
		} else if (sscanf(line, "mapmix %llx", &s) == 1) {
			p = map_aligned(s, MADV_HUGEPAGE);
			if (p) {
				touch(p, s, 4096);
				/*
				 * khugepaged would collapse the split blocks
				 * again (max_ptes_none 511 by default): the
				 * THPs already mapped stay, no new ones come
				 */
				madvise(p, s, MADV_NOHUGEPAGE);
				for (i = HP; i < s; i += 2 * HP) {
					madvise(p + i, 4096, MADV_DONTNEED);
					p[i] = 1;
				}
			}
		} else if (sscanf(line, "reserve %llx", &s) == 1) {
			p = map_aligned(s, MADV_NOHUGEPAGE);
			if (p)
				touch(p, s, 1ul << 30);
		} else if (!strcmp(line, "fork\n")) {
			cmd_fork();
			continue;
		} else if (sscanf(line, "cwrite %llx %llx", &a, &s) == 2 ||
			   sscanf(line, "cunmap %llx %llx", &a, &s) == 2) {
			ssize_t n;

			if (dprintf(child_in, "%s", line) < 0 ||
			    (n = read(child_out, reply, sizeof(reply) - 1)) <= 0) {
				printf("err child\n");
			} else {
				reply[n] = '\0';
				printf("%s", reply);
			}
			continue;
		} else if (sscanf(line, "unmap %llx %llx", &a, &s) == 2) {
			printf(munmap((void *)(uintptr_t)a, s) ? "err munmap\n" : "ok\n");
			continue;
		} else if (!strcmp(line, "exit\n")) {
			break;
		} else {
			printf("err unknown command\n");
			continue;
		}
		if (p)
			printf("ok 0x%" PRIxPTR "\n", (uintptr_t)p);
		else
			printf("err mmap\n");
	}
	if (child_pid > 0) {
		kill(child_pid, SIGKILL);
		waitpid(child_pid, NULL, 0);
	}
	return 0;
}
