// SPDX-License-Identifier: GPL-2.0
/* Page faults of the watched processes through perf; see faults.h. */
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "faults.h"

#define PT_FAULTS_PAGES 64	/* data pages per ring: 2048 samples at least */
#define PT_TP_DIR "events/exceptions/page_fault_user/id"

/* The tracepoint's raw record (its format file): after the 8 bytes of
 * common fields, address, ip and error_code, unsigned longs. */
#define PT_TP_ADDR 8
#define PT_TP_ERROR 24
#define PT_PF_WRITE 0x2		/* arch/x86/include/asm/trap_pf.h X86_PF_WRITE */

/* the tracepoint is x86's: elsewhere only the software event */
#if defined(__x86_64__) || defined(__i386__)
static int pt_tp_read_id(const char *tracefs)
{
	char path[128], buf[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", tracefs, PT_TP_DIR);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return atoi(buf);
}

/*
 * No tracefs mounted: a child mounts one in a mount namespace of its own
 * (which goes with it) and reads the id there; the system's mounts stay
 * as they were.  Needs CAP_SYS_ADMIN; -1 otherwise.
 */
static int pt_tp_id_private(void)
{
	int p[2], id = -1, st;
	pid_t c;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	c = fork();
	if (c == 0) {
		int v = -1;

		close(p[0]);
		if (!unshare(CLONE_NEWNS) &&
		    !mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) &&
		    !mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL))
			v = pt_tp_read_id("/sys/kernel/tracing");
		_exit(write(p[1], &v, sizeof(v)) == sizeof(v) ? 0 : 1);
	}
	close(p[1]);
	if (c > 0) {
		if (read(p[0], &id, sizeof(id)) != sizeof(id))
			id = -1;
		waitpid(c, &st, 0);
	}
	close(p[0]);
	return id;
}

static int pt_tp_id(void)
{
	int id = pt_tp_read_id("/sys/kernel/tracing");

	if (id < 0)
		id = pt_tp_read_id("/sys/kernel/debug/tracing");
	if (id < 0 && geteuid() == 0)
		id = pt_tp_id_private();
	return id;
}
#else
static int pt_tp_id(void)
{
	return -1;
}
#endif

static int pt_faults_perf(const struct pt_faults *f, enum pt_faults_mode mode, pid_t pid)
{
	struct perf_event_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.sample_period = 1;
	/* sample times comparable with the look's (pt_faults_drain) */
	attr.use_clockid = 1;
	attr.clockid = CLOCK_MONOTONIC;
	/* not inherited: perf_mmap() refuses an inherited event of a task
	 * on every CPU (kernel/events/core.c:6660 in 6.12); the thread named */
	attr.exclude_hv = 1;
	if (mode == PT_FAULTS_TP) {
		attr.type = PERF_TYPE_TRACEPOINT;
		attr.config = (uint64_t)f->tp_id;
		attr.sample_type = PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_RAW;
		/* a tracepoint fires in the kernel: excluding it drops them all */
		return (int)syscall(SYS_perf_event_open, &attr, pid, -1, -1,
				    PERF_FLAG_FD_CLOEXEC);
	}
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_PAGE_FAULTS;
	attr.sample_type = PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_ADDR;
	fd = (int)syscall(SYS_perf_event_open, &attr, pid, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0 && (errno == EACCES || errno == EPERM)) {
		/* paranoid 2: user mode only, which a user's fault is */
		attr.exclude_kernel = 1;
		fd = (int)syscall(SYS_perf_event_open, &attr, pid, -1, -1,
				  PERF_FLAG_FD_CLOEXEC);
	}
	return fd;
}

static void pt_ring_close(struct pt_faults_ring *r)
{
	if (r->base)
		munmap(r->base, r->len);
	if (r->fd >= 0)
		close(r->fd);
	r->base = NULL;
	r->fd = -1;
	r->pid = 0;
}

/* 0, or -errno from perf_event_open or mmap. */
static int pt_ring_open(struct pt_faults *f, enum pt_faults_mode mode, struct pt_faults_ring *r,
			pid_t pid)
{
	long page = sysconf(_SC_PAGESIZE);
	int e;

	r->fd = pt_faults_perf(f, mode, pid);
	if (r->fd < 0)
		return -errno;
	r->len = (size_t)page * (PT_FAULTS_PAGES + 1);
	r->base = mmap(NULL, r->len, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
	if (r->base == MAP_FAILED) {
		e = errno;
		r->base = NULL;
		pt_ring_close(r);
		return -e;
	}
	r->pid = pid;
	return 0;
}

static const char *pt_paranoid(void)
{
	static char buf[16];
	ssize_t n;
	int fd = open("/proc/sys/kernel/perf_event_paranoid", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return "?";
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return buf;
}

void pt_faults_open(struct pt_faults *f, pid_t parent)
{
	int ret = -ENOENT;

	memset(f, 0, sizeof(*f));
	f->ring[0].fd = f->ring[1].fd = -1;
	f->tp_id = pt_tp_id();
	if (f->tp_id >= 0) {
		ret = pt_ring_open(f, PT_FAULTS_TP, &f->ring[0], parent);
		if (!ret)
			f->mode = PT_FAULTS_TP;
	}
	if (ret) {
		ret = pt_ring_open(f, PT_FAULTS_SW, &f->ring[0], parent);
		if (!ret)
			f->mode = PT_FAULTS_SW;
	}
	if (!ret)
		return;
	f->mode = PT_FAULTS_OFF;
	if (ret == -EACCES || ret == -EPERM)
		snprintf(f->note, sizeof(f->note),
			 "page faults not recorded: perf refused (%s, perf_event_paranoid %s): steps say \"refresh\"",
			 strerror(-ret), pt_paranoid());
	else
		snprintf(f->note, sizeof(f->note),
			 "page faults not recorded: perf_event_open: %s: steps say \"refresh\"",
			 strerror(-ret));
}

void pt_faults_attach(struct pt_faults *f, int who, pid_t pid)
{
	struct pt_faults_ring *r = &f->ring[who];

	if (f->mode == PT_FAULTS_OFF || r->pid == pid)
		return;
	pt_ring_close(r);
	/* a child we may not watch: its steps stay unlabelled, and it is
	 * not asked again at every look */
	if (pid && pt_ring_open(f, f->mode, r, pid))
		r->pid = pid;
}

/* Copies @n bytes at ring offset @off, across the wrap. */
static void pt_ring_copy(const char *data, uint64_t size, uint64_t off, void *to, size_t n)
{
	size_t at = (size_t)(off % size), first = n;

	if (at + n > size)
		first = (size_t)size - at;
	memcpy(to, data + at, first);
	memcpy((char *)to + first, data, n - first);
}

static void pt_faults_note_one(struct pt_faults_sum *sum, int who, uint64_t addr, uint64_t time,
			       int write, uint64_t lo, uint64_t hi)
{
	if (addr < lo || addr >= hi)
		return;
	sum->here[who]++;
	if (sum->has_first && sum->first_time <= time)
		return;
	sum->has_first = true;
	sum->first_who = who;
	sum->first_addr = addr;
	sum->first_time = time;
	sum->first_write = write;
}

static void pt_ring_drain(struct pt_faults *f, int who, uint64_t lo, uint64_t hi,
			  uint64_t until, struct pt_faults_sum *sum)
{
	struct pt_faults_ring *r = &f->ring[who];
	struct perf_event_mmap_page *m = r->base;
	uint64_t head, tail, size;
	const char *data;
	union {
		struct perf_event_header h;
		unsigned char b[512];
	} rec;

	if (!m)
		return;
	data = (const char *)m + m->data_offset;
	size = m->data_size;
	head = __atomic_load_n(&m->data_head, __ATOMIC_ACQUIRE);
	for (tail = m->data_tail; tail < head; tail += rec.h.size) {
		const unsigned char *p = rec.b + sizeof(rec.h);
		uint32_t pid, raw;
		uint64_t time, addr, error = 0;
		int write = -1;

		pt_ring_copy(data, size, tail, &rec.h, sizeof(rec.h));
		if (rec.h.size < sizeof(rec.h))
			break;	/* cannot happen; never loop on it */
		if (rec.h.size > sizeof(rec))
			continue;
		pt_ring_copy(data, size, tail, rec.b, rec.h.size);
		if (rec.h.type == PERF_RECORD_LOST && rec.h.size >= sizeof(rec.h) + 16) {
			memcpy(&addr, p + 8, 8);
			sum->lost += addr;
			continue;
		}
		if (rec.h.type != PERF_RECORD_SAMPLE || rec.h.size < sizeof(rec.h) + 24)
			continue;
		memcpy(&pid, p, 4);
		memcpy(&time, p + 8, 8);
		/* one thread's samples come in order: the rest is the next look's */
		if (time > until)
			break;
		if (f->mode == PT_FAULTS_TP) {
			memcpy(&raw, p + 16, 4);
			if (raw < PT_TP_ERROR + 8 || rec.h.size < sizeof(rec.h) + 20 + PT_TP_ERROR + 8)
				continue;
			memcpy(&addr, p + 20 + PT_TP_ADDR, 8);
			memcpy(&error, p + 20 + PT_TP_ERROR, 8);
			write = !!(error & PT_PF_WRITE);
		} else {
			memcpy(&addr, p + 16, 8);
		}
		if ((pid_t)pid == r->pid)
			pt_faults_note_one(sum, who, addr, time, write, lo, hi);
	}
	__atomic_store_n(&m->data_tail, tail, __ATOMIC_RELEASE);
}

void pt_faults_drain(struct pt_faults *f, uint64_t lo, uint64_t hi, uint64_t until,
		     struct pt_faults_sum *sum)
{
	pt_ring_drain(f, 0, lo, hi, until, sum);
	pt_ring_drain(f, 1, lo, hi, until, sum);
}

uint64_t pt_faults_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

bool pt_faults_label(const struct pt_faults_sum *sum, const pid_t pid[2], char *buf, size_t len)
{
	unsigned int n = sum->here[0] + sum->here[1];
	const char *kind = sum->first_write < 0 ? "" : sum->first_write ? "write " : "read ";
	size_t l;

	if (!sum->has_first && sum->lost) {
		/* the fault that explains it may be among them */
		snprintf(buf, len, "refresh (%llu fault samples lost)",
			 (unsigned long long)sum->lost);
		return true;
	}
	if (!sum->has_first)
		return false;
	snprintf(buf, len, "%sfault at %#llx in %s %d", kind, (unsigned long long)sum->first_addr,
		 sum->first_who ? "child" : "parent", (int)pid[sum->first_who]);
	l = strlen(buf);
	if (n > 1)
		snprintf(buf + l, len - l, " (+%u more)", n - 1);
	return true;
}

void pt_faults_close(struct pt_faults *f)
{
	pt_ring_close(&f->ring[0]);
	pt_ring_close(&f->ring[1]);
}
