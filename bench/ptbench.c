// SPDX-License-Identifier: GPL-2.0
/*
 * ptbench: ptinspect dump --range against a raw bulk read of
 * /proc/PID/pagemap, in one run, on this process's own memory.
 *
 *   ptbench PTINSPECT [REPEAT]     the whole benchmark, a table on stdout
 *   ptbench raw PID START END      the baseline: 64 KiB preads, count present
 *   ptbench rawprint PID START END the same, one line per present entry
 *   ptbench cmpfloor PID CHILD     the floor of parent against child: both
 *                                  pagemaps over every mapping of PID, 64
 *                                  KiB preads each, present on both sides
 *                                  counted as shared (same PFN) or copied
 *
 * Every command runs as its own process (fork, exec, wait4), so the
 * baseline pays the same start-up and /proc opening as ptinspect.  Times
 * are the median of REPEAT runs (default 5); peak RSS is wait4's
 * ru_maxrss; output bytes are what the command wrote to its pipe.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define HP (2ul << 20)
#define GIB (1ul << 30)

struct result {
	double secs;
	double cpu;	/* user + system seconds (wait4's rusage) */
	long rss_kib;
	uint64_t bytes;
	int status;
};

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int raw_read(pid_t pid, uint64_t start, uint64_t end, int print)
{
	static uint64_t buf[8192];
	char path[64];
	uint64_t a, n = 0;
	ssize_t got;
	size_t i;
	FILE *out = stdout;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 1;
	for (a = start; a < end; a += sizeof(buf) / 8 * 4096) {
		size_t want = (end - a) / 4096 * 8;

		if (want > sizeof(buf))
			want = sizeof(buf);
		got = pread(fd, buf, want, (off_t)(a / 4096 * 8));
		if (got <= 0)
			break;
		for (i = 0; i < (size_t)got / 8; i++) {
			if (!(buf[i] >> 63))
				continue;
			n++;
			if (print)
				fprintf(out, "0x%" PRIx64 " 0x%016" PRIx64 "\n",
					a + i * 4096, buf[i]);
		}
	}
	if (!print)
		printf("%" PRIu64 " present\n", n);
	close(fd);
	return 0;
}

/*
 * The least a parent/child comparison must do: both pagemaps over the
 * same mappings (the parent's, below the task size), word against word.
 */
static int cmp_floor(pid_t pid, pid_t child)
{
	static uint64_t pb[8192], cb[8192];
	unsigned long long s, e;
	uint64_t a, shared = 0, copied = 0;
	char path[64], line[512];
	int pfd, cfd;
	ssize_t got;
	size_t i;
	FILE *m;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	m = fopen(path, "r");
	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	pfd = open(path, O_RDONLY);
	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)child);
	cfd = open(path, O_RDONLY);
	if (!m || pfd < 0 || cfd < 0)
		return 1;
	while (fgets(line, sizeof(line), m)) {
		if (sscanf(line, "%llx-%llx", &s, &e) != 2 || e > (1ull << 47))
			continue;
		for (a = s; a < e; a += sizeof(pb) / 8 * 4096) {
			size_t want = (e - a) / 4096 * 8;

			if (want > sizeof(pb))
				want = sizeof(pb);
			got = pread(pfd, pb, want, (off_t)(a / 4096 * 8));
			if (got <= 0 || pread(cfd, cb, got, (off_t)(a / 4096 * 8)) != got)
				break;
			for (i = 0; i < (size_t)got / 8; i++) {
				if (!(pb[i] >> 63) || !(cb[i] >> 63))
					continue;
				if ((pb[i] ^ cb[i]) & ((1ull << 55) - 1))
					copied++;
				else
					shared++;
			}
		}
	}
	printf("shared %" PRIu64 " copied %" PRIu64 "\n", shared, copied);
	fclose(m);
	close(pfd);
	close(cfd);
	return 0;
}

/* Runs argv with stdout into a pipe it drains; one timed run. */
static int run_once(char *const argv[], struct result *r)
{
	static char buf[1 << 16];
	struct rusage ru;
	int p[2], st;
	double t0;
	ssize_t n;
	pid_t pid;

	if (pipe(p))
		return -1;
	t0 = now();
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	r->bytes = 0;
	while ((n = read(p[0], buf, sizeof(buf))) > 0)
		r->bytes += n;
	close(p[0]);
	if (wait4(pid, &st, 0, &ru) < 0)
		return -1;
	r->secs = now() - t0;
	r->cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
		 ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	r->rss_kib = ru.ru_maxrss;
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void run_median(char *const argv[], int repeat, struct result *r)
{
	double t[32];
	struct result one;
	int i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < repeat; i++) {
		if (run_once(argv, &one) < 0) {
			r->status = -1;
			return;
		}
		t[i] = one.secs;
		if (one.rss_kib > r->rss_kib)
			r->rss_kib = one.rss_kib;
		r->bytes = one.bytes;
		if (one.status)
			r->status = one.status;
	}
	qsort(t, repeat, sizeof(t[0]), cmp_double);
	r->secs = t[repeat / 2];
}

static char *map_region(size_t size, int advice, size_t step)
{
	char *p = mmap(NULL, size + HP, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	size_t i;

	if (p == MAP_FAILED)
		return NULL;
	p = (char *)(((uintptr_t)p + HP - 1) & ~(HP - 1));
	madvise(p, size, advice);
	for (i = 0; i < size; i += step)
		p[i] = 1;
	return p;
}

/*
 * The memory lives in a separate target process: forking the harness
 * with 1 GiB mapped would copy its page tables into every command (and
 * count its RSS in the command's ru_maxrss).
 */
struct target {
	pid_t pid;
	int in, out;
};

static void target_loop(int in, int out)
{
	unsigned long long size, step;
	int advice;
	char *p = NULL;
	size_t cur = 0;

	while (read(in, &size, sizeof(size)) == sizeof(size) &&
	       read(in, &step, sizeof(step)) == sizeof(step) &&
	       read(in, &advice, sizeof(advice)) == sizeof(advice)) {
		if (p)
			munmap(p, cur);
		cur = size;
		p = size ? map_region(size, advice, step) : NULL;
		if (write(out, &p, sizeof(p)) != sizeof(p))
			break;
	}
	_exit(0);
}

static int target_start(struct target *t)
{
	int a[2], b[2];

	if (pipe(a) || pipe(b))
		return -1;
	t->pid = fork();
	if (t->pid < 0)
		return -1;
	if (!t->pid) {
		close(a[1]);
		close(b[0]);
		target_loop(a[0], b[1]);
	}
	close(a[0]);
	close(b[1]);
	t->in = a[1];
	t->out = b[0];
	return 0;
}

static char *target_map(struct target *t, unsigned long long size,
			unsigned long long step, int advice)
{
	char *p = NULL;

	if (write(t->in, &size, sizeof(size)) != sizeof(size) ||
	    write(t->in, &step, sizeof(step)) != sizeof(step) ||
	    write(t->in, &advice, sizeof(advice)) != sizeof(advice) ||
	    read(t->out, &p, sizeof(p)) != sizeof(p))
		return NULL;
	return p;
}

static const char *self;
static const char *pti;
static int repeat = 5;
static pid_t target_pid;
static int failed;
static long peak_rss;		/* KiB, the largest of any ptinspect run */
static double last_secs, last_ratio, last_cpu_ratio;	/* the last row's medians */

/*
 * The baseline and the command in turns, REPEAT pairs: on a shared machine
 * a pair sees the same load, so the ratio is the median of the pairs'.
 */
static void row(const char *what, const char *mode, char *const argv[],
		char *const base_argv[], struct result *base_out)
{
	double t[32], b[32], q[32], qc[32];
	struct result r = { 0 }, one, base;
	int i;

	for (i = 0; i < repeat; i++) {
		if (run_once(base_argv, &base) < 0 || run_once(argv, &one) < 0) {
			failed = 1;
			return;
		}
		b[i] = base.secs;
		t[i] = one.secs;
		q[i] = base.secs / one.secs;
		/* the CPU each spent: what a loaded machine's waiting leaves out */
		qc[i] = one.cpu > 0 ? base.cpu / one.cpu : 0;
		if (one.rss_kib > r.rss_kib)
			r.rss_kib = one.rss_kib;
		if (argv[0] == pti && one.rss_kib > peak_rss)
			peak_rss = one.rss_kib;
		r.bytes = one.bytes;
		if (one.status)
			r.status = one.status;
	}
	qsort(t, repeat, sizeof(t[0]), cmp_double);
	qsort(b, repeat, sizeof(b[0]), cmp_double);
	qsort(q, repeat, sizeof(q[0]), cmp_double);
	qsort(qc, repeat, sizeof(qc[0]), cmp_double);
	r.secs = t[repeat / 2];
	last_secs = r.secs;
	last_ratio = q[repeat / 2];
	last_cpu_ratio = qc[repeat / 2];
	if (r.status)
		failed = 1;
	if (base_out) {
		*base_out = base;
		base_out->secs = b[repeat / 2];
	}
	printf("%-10s %-22s %9.4f %9.4f %7.3f %7.3f %9ld %12" PRIu64 "%s\n", what,
	       mode, r.secs, b[repeat / 2], q[repeat / 2], qc[repeat / 2], r.rss_kib,
	       r.bytes, r.status ? "  (failed)" : "");
	fflush(stdout);
}

static void bench_region(const char *what, char *p, size_t size, int each)
{
	char pid[16], rg[64], s[24], e[24];

	snprintf(pid, sizeof(pid), "%d", (int)target_pid);
	snprintf(s, sizeof(s), "0x%" PRIxPTR, (uintptr_t)p);
	snprintf(e, sizeof(e), "0x%" PRIxPTR, (uintptr_t)p + size);
	snprintf(rg, sizeof(rg), "%s-%s", s, e);
	{
		char *raw[] = { (char *)self, "raw", pid, s, e, NULL };
		char *rawp[] = { (char *)self, "rawprint", pid, s, e, NULL };
		char *a[] = { (char *)pti, "dump", "--pid", pid, "--range", rg, NULL };
		char *j[] = { (char *)pti, "dump", "--pid", pid, "--range", rg,
			      "--json", NULL };
		char *k[] = { (char *)pti, "dump", "--pid", pid, "--range", rg,
			      "--kpageflags", NULL };
		char *x[] = { (char *)pti, "dump", "--pid", pid, "--range", rg,
			      "--each", NULL };

		row(what, "raw pagemap, printing", rawp, raw, NULL);
		row(what, "ptinspect runs", a, raw, NULL);
		printf("  goal %s runs: >= 0.8x the raw pagemap read: %.2fx (cpu %.2fx), %s\n",
		       what, last_ratio, last_cpu_ratio, last_ratio >= 0.8 ? "met" : "NOT met");
		row(what, "ptinspect runs --json", j, raw, NULL);
		row(what, "ptinspect --kpageflags", k, raw, NULL);
		if (each) {
			int saved = repeat;

			repeat = 1;	/* seconds each: once is enough */
			row(what, "ptinspect --each", x, raw, NULL);
			repeat = saved;
		}
	}
}

/*
 * A Redis of about 1 GiB (Debian's redis-server, its own temp dir, a unix
 * socket) during a BGSAVE slowed to last, with 100,000 of its keys
 * overwritten while the child saves: the parent/child pair of the rows.
 */
struct redis {
	pid_t pid, child;
	char dir[64], sock[96];
	int fd;
};

static int redis_cmd(struct redis *r, const char *cmd, long replies)
{
	static char buf[1 << 16];
	long lines = 0;
	ssize_t n, i;

	if (cmd && write(r->fd, cmd, strlen(cmd)) != (ssize_t)strlen(cmd))
		return -1;
	while (lines < replies) {
		n = read(r->fd, buf, sizeof(buf));
		if (n <= 0)
			return -1;
		for (i = 0; i < n; i++)
			lines += buf[i] == '\n';
	}
	return 0;
}

static int redis_start(struct redis *r)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char path[128], *value, *cmd;
	long i, k, batch = 5000;
	FILE *f;

	snprintf(r->dir, sizeof(r->dir), "/tmp/ptbench-redis-XXXXXX");
	if (!mkdtemp(r->dir))
		return -1;
	snprintf(r->sock, sizeof(r->sock), "%s/sock", r->dir);
	r->pid = fork();
	if (!r->pid) {
		setsid();
		execlp("redis-server", "redis-server", "--port", "0", "--unixsocket", r->sock,
		       "--dir", r->dir, "--save", "", "--appendonly", "no",
		       "--enable-debug-command", "yes", "--logfile", "/dev/null", NULL);
		_exit(127);
	}
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", r->sock);
	for (i = 0; i < 1000; i++) {
		r->fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (!connect(r->fd, (struct sockaddr *)&sa, sizeof(sa)))
			break;
		close(r->fd);
		r->fd = -1;
		usleep(10000);
	}
	if (r->fd < 0)
		return -1;
	/* 800,000 keys of 1 KiB: about 1 GiB of Redis */
	if (redis_cmd(r, "DEBUG POPULATE 800000 key 1024\r\n", 1) ||
	    redis_cmd(r, "CONFIG SET rdb-key-save-delay 200\r\n", 1) ||
	    redis_cmd(r, "BGSAVE\r\n", 1))
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)r->pid, (int)r->pid);
	for (i = 0; i < 1000 && !r->child; i++) {
		f = fopen(path, "r");
		if (f) {
			if (fscanf(f, "%d", &r->child) != 1)
				r->child = 0;
			fclose(f);
		}
		if (!r->child)
			usleep(10000);
	}
	if (!r->child)
		return -1;
	value = malloc(1025);
	cmd = malloc(batch * 1100);
	if (!value || !cmd)
		return -1;
	memset(value, 'y', 1024);
	value[1024] = '\0';
	for (k = 0; k < 100000; k += batch) {
		size_t n = 0;

		for (i = k; i < k + batch; i++)
			n += sprintf(cmd + n, "SET key:%ld %s\r\n", i, value);
		if (redis_cmd(r, cmd, batch))
			return -1;
	}
	free(value);
	free(cmd);
	return 0;
}

static void redis_stop(struct redis *r)
{
	char path[128];

	if (r->pid > 0) {
		kill(-r->pid, SIGKILL);
		waitpid(r->pid, NULL, 0);
	}
	if (r->fd >= 0)
		close(r->fd);
	snprintf(path, sizeof(path), "%s/sock", r->dir);
	unlink(path);
	rmdir(r->dir);
}

/* the goals for a whole parent/child pair: < 1 s, >= 0.5x the floor */
static void goal(const char *what)
{
	bool met = last_secs < 1.0 && last_ratio >= 0.5;

	printf("  goal %s: < 1 s and >= 0.5x the floor: %.3f s, %.2fx (cpu %.2fx), %s\n",
	       what, last_secs, last_ratio, last_cpu_ratio, met ? "met" : "NOT met");
}

static void bench_redis(void)
{
	struct redis r = { .fd = -1 };
	char p[16], c[16];

	if (redis_start(&r) < 0) {
		printf("%-10s %-22s  (skipped: Debian's redis-server did not start)\n",
		       "redis-1G", "parent against child");
		redis_stop(&r);
		return;
	}
	snprintf(p, sizeof(p), "%d", (int)r.pid);
	snprintf(c, sizeof(c), "%d", (int)r.child);
	{
		char *floor[] = { (char *)self, "cmpfloor", p, c, NULL };
		char *maps[] = { (char *)pti, "maps", "--pid", p, "--child", c, NULL };
		char *all[] = { (char *)pti, "dump", "--pid", p, "--child", c,
				"--range", "all", NULL };
		char *allj[] = { (char *)pti, "dump", "--pid", p, "--child", c,
				 "--range", "all", "--json", NULL };

		/* both stopped: the same pages for every run */
		kill(r.child, SIGSTOP);
		kill(r.pid, SIGSTOP);
		row("redis-1G", "maps --child", maps, floor, NULL);
		goal("redis-1G maps --child");
		row("redis-1G", "--child --range all", all, floor, NULL);
		goal("redis-1G --child --range all");
		row("redis-1G", "--child --range all -j", allj, floor, NULL);
		goal("redis-1G --child --range all --json");
		kill(r.pid, SIGCONT);
		kill(r.child, SIGCONT);
	}
	redis_stop(&r);
}

int main(int argc, char **argv)
{
	char pid[16], rg[64];
	size_t size = GIB;
	struct target tg;
	char *p;

	self = argv[0];
	if (argc == 5 && (!strcmp(argv[1], "raw") || !strcmp(argv[1], "rawprint")))
		return raw_read(atoi(argv[2]), strtoull(argv[3], NULL, 0),
				strtoull(argv[4], NULL, 0),
				!strcmp(argv[1], "rawprint"));
	if (argc == 4 && !strcmp(argv[1], "cmpfloor"))
		return cmp_floor(atoi(argv[2]), atoi(argv[3]));
	if (argc < 2) {
		fprintf(stderr, "usage: ptbench PTINSPECT [REPEAT]\n");
		return 2;
	}
	pti = argv[1];
	if (argc > 2)
		repeat = atoi(argv[2]);
	if (repeat < 1 || repeat > 31)
		repeat = 5;
	printf("ptbench: %d runs of each command, each after a run of the "
	       "baseline (a raw pagemap read counting present entries, 64 KiB "
	       "preads);\nmedians; ratio = baseline time / command time "
	       "(throughput against the baseline);\ncpu = the same ratio of user + system "
	       "seconds; peak RSS in KiB\n", repeat);
	printf("%-10s %-22s %9s %9s %7s %7s %9s %12s\n", "region", "command",
	       "seconds", "baseline", "ratio", "cpu", "peak_rss", "out_bytes");
	if (target_start(&tg) < 0)
		return 1;
	target_pid = tg.pid;
	p = target_map(&tg, size, 4096, MADV_NOHUGEPAGE);
	if (!p)
		return 1;
	bench_region("1G-4K", p, size, 1);
	p = target_map(&tg, size, 4096, MADV_HUGEPAGE);
	if (!p)
		return 1;
	bench_region("1G-THP", p, size, 1);
	/* 64 GiB reserved, one page written per GiB */
	size = 64 * GIB;
	p = target_map(&tg, size, GIB, MADV_NOHUGEPAGE);
	if (!p)
		return 1;
	snprintf(pid, sizeof(pid), "%d", (int)target_pid);
	snprintf(rg, sizeof(rg), "0x%" PRIxPTR "-0x%" PRIxPTR, (uintptr_t)p,
		 (uintptr_t)p + size);
	{
		char *a[] = { (char *)pti, "dump", "--pid", pid, "--range", rg, NULL };
		struct result r;

		run_median(a, repeat, &r);
		if (r.rss_kib > peak_rss)
			peak_rss = r.rss_kib;
		printf("%-10s %-22s %9.4f %9s %7s %7s %9ld %12" PRIu64 "%s\n",
		       "64G-sparse", "ptinspect runs", r.secs, "-", "-", "-", r.rss_kib,
		       r.bytes, r.secs < 1.0 ? "  (goal: < 1 s, met)" :
		       "  (goal: < 1 s, NOT met)");
		if (r.status)
			failed = 1;
	}
	close(tg.in);
	waitpid(tg.pid, NULL, 0);
	bench_redis();
	printf("peak RSS of any ptinspect run: %ld KiB (goal: <= 16384 KiB, %s)\n", peak_rss,
	       peak_rss <= 16384 ? "met" : "NOT met");
	return failed;
}
