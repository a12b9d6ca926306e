// SPDX-License-Identifier: GPL-2.0
/*
 * A program as a user would watch with ptinspect --pid: 2 MiB of private
 * anonymous memory, written, and children forked on command.  Commands
 * on stdin, one per line; each answers one line on stdout:
 *   write            the parent writes every page      -> ok
 *   fork | tfork     fork (tfork: from a second thread) -> child PID
 *   cwrite           the newest child writes its first page -> ok
 *   cexit            the newest child exits (status 0)  -> ok PID
 *   pwrite1          the parent writes its first page   -> ok
 *   pdrop1           the parent drops its first page (MADV_DONTNEED,
 *                    no fault)                         -> ok
 *   pread1           the parent reads its first page    -> ok
 *   vmas N           N more one-page mappings, none merging with the
 *                    next (/proc's maps and smaps grow long) -> ok N
 *   threads N        N more threads, each asleep until the end
 *                    (a tracer seizes every one)        -> ok N
 *   quit             exit
 * It prints "addr 0x..." first.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define SIZE (2UL << 20)

static char *mem;
static int kid_to[16], kid_from[16], nr;
static pid_t kid_pid[16];

static void kid(int in, int out)
{
	char c;

	while (read(in, &c, 1) == 1) {
		if (c == 'w')
			mem[0]++;
		else
			_exit(0);
		if (write(out, "k", 1) != 1)
			_exit(1);
	}
	_exit(0);
}

static void *do_fork(void *arg)
{
	int a[2], b[2];
	pid_t c;

	(void)arg;
	if (nr == 16 || pipe(a) || pipe(b))
		return NULL;
	c = fork();
	if (c == 0) {
		close(a[1]);
		close(b[0]);
		kid(a[0], b[1]);
	}
	close(a[0]);
	close(b[1]);
	kid_to[nr] = a[1];
	kid_from[nr] = b[0];
	kid_pid[nr++] = c;
	return NULL;
}

/* alternate protections keep neighbours apart: the mappings made */
static int vmas(int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (mmap(NULL, 4096, i % 2 ? PROT_READ : PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED)
			break;
	return i;
}

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* @n more sleeping threads (small stacks); how many were made */
static int threads(int n)
{
	pthread_attr_t a;
	pthread_t th;
	int i;

	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 64 << 10);
	for (i = 0; i < n; i++)
		if (pthread_create(&th, &a, sleeper, NULL))
			break;
	pthread_attr_destroy(&a);
	return i;
}

int main(void)
{
	char line[64], c;
	pthread_t th;
	int st;

	mem = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return 1;
	madvise(mem, SIZE, MADV_NOHUGEPAGE);
	memset(mem, 1, SIZE);
	printf("addr %p\n", (void *)mem);
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin)) {
		if (!strcmp(line, "write\n")) {
			memset(mem, 2, SIZE);
			printf("ok\n");
		} else if (!strcmp(line, "fork\n") || !strcmp(line, "tfork\n")) {
			if (line[0] == 't') {
				pthread_create(&th, NULL, do_fork, NULL);
				pthread_join(th, NULL);
			} else {
				do_fork(NULL);
			}
			printf("%d\n", nr ? (int)kid_pid[nr - 1] : -1);
		} else if (!strcmp(line, "cwrite\n") && nr) {
			if (write(kid_to[nr - 1], "w", 1) != 1 || read(kid_from[nr - 1], &c, 1) != 1)
				return 1;
			printf("ok\n");
		} else if (!strcmp(line, "cexit\n") && nr) {
			nr--;
			if (write(kid_to[nr], "x", 1) != 1)
				return 1;
			close(kid_to[nr]);
			close(kid_from[nr]);
			waitpid(kid_pid[nr], &st, 0);
			printf("ok %d\n", (int)kid_pid[nr]);
		} else if (!strcmp(line, "pwrite1\n")) {
			mem[0]++;
			printf("ok\n");
		} else if (!strcmp(line, "pdrop1\n")) {
			madvise(mem, 4096, MADV_DONTNEED);
			printf("ok\n");
		} else if (!strcmp(line, "pread1\n")) {
			printf("ok %d\n", *(volatile char *)mem);
		} else if (!strncmp(line, "threads ", 8)) {
			printf("ok %d\n", threads(atoi(line + 8)));
		} else if (!strncmp(line, "vmas ", 5)) {
			printf("ok %d\n", vmas(atoi(line + 5)));
		} else if (!strcmp(line, "quit\n")) {
			break;
		} else {
			printf("err %s", line);
		}
		fflush(stdout);
	}
	return 0;
}
