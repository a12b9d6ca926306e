// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kmod.h"
#include "pin.h"
#include "subject.h"

#define PT_HPAGE (2ul << 20)
#define PT_REGION (2ul << 20)

static const struct {
	const char *name, *desc;
} pt_lab_kinds[] = {
#define PT_LAB_KIND_ROW(id, name, desc) { name, desc },
	PT_LAB_KINDS(PT_LAB_KIND_ROW)
#undef PT_LAB_KIND_ROW
};

const char *pt_lab_kind_name(enum pt_lab_kind k)
{
	return (unsigned int)k < PT_LAB_NR_KINDS ? pt_lab_kinds[k].name : "?";
}

const char *pt_lab_kind_desc(enum pt_lab_kind k)
{
	return (unsigned int)k < PT_LAB_NR_KINDS ? pt_lab_kinds[k].desc : "?";
}

int pt_lab_kind_parse(const char *s, enum pt_lab_kind *k)
{
	int i;

	for (i = 0; i < PT_LAB_NR_KINDS; i++) {
		if (!strcmp(s, pt_lab_kinds[i].name)) {
			*k = i;
			return 0;
		}
	}
	return -EINVAL;
}

int pt_read_line(int fd, char *buf, size_t len)
{
	size_t n = 0;
	ssize_t r;
	char c;

	/* byte by byte: the pipes carry one short line per message */
	for (;;) {
		r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return n ? (int)n : -1;
		if (c == '\n')
			break;
		if (n + 1 < len)
			buf[n++] = c;
	}
	buf[n] = '\0';
	return (int)n;
}

static __attribute__((format(printf, 2, 3))) void
pt_reply(int fd, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(fd, buf, n) != n)
		_exit(1);
}

/* A file of @size on tmpfs (or the working directory), unlinked. */
static int pt_tmpfile(size_t size)
{
	char path[] = "/dev/shm/ptinspect-lab-XXXXXX";
	char alt[] = "./ptinspect-lab-XXXXXX";
	int fd = mkstemp(path);

	if (fd < 0) {
		fd = mkstemp(alt);
		if (fd < 0)
			return -1;
		unlink(alt);
	} else {
		unlink(path);
	}
	if (ftruncate(fd, size) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void *pt_map_aligned(size_t size, int prot, int flags, int fd)
{
	char *raw, *p;

	/* over-map, then trim to a 2 MiB aligned window */
	raw = mmap(NULL, size + PT_HPAGE, prot, flags, fd, 0);
	if (raw == MAP_FAILED)
		return raw;
	p = (char *)(((uintptr_t)raw + PT_HPAGE - 1) & ~(PT_HPAGE - 1));
	if (p > raw)
		munmap(raw, p - raw);
	munmap(p + size, raw + size + PT_HPAGE - (p + size));
	return p;
}

/* A VM_PFNMAP mapping from the lab's module (kmod/ptdump_pfnmap.c). */
static void *pt_map_pfnmap(enum pt_lab_kind k, size_t *size, const char **why)
{
	char path[256];
	void *p;
	int fd;

	*size = k == PT_LAB_PFNMAP_PUD ? 1ul << 30 : PT_HPAGE;
	snprintf(path, sizeof(path), "%s/%s", PT_PFNMAP_DIR,
		 k == PT_LAB_PFNMAP_PUD ? "pfnmap_pud" : "pfnmap");
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENODEV)
			*why = "pfnmap-pud needs 1 GiB reserved at boot: memmap=1G$0x40000000 and insmod ptdump_pfnmap.ko pud_phys=0x40000000";
		else if (errno == EBUSY)
			*why = "pfnmap-pud's 1 GiB is mapped by another process (one opener at a time)";
		else if (errno == ENOENT)
			*why = "the pfnmap kinds need the lab's ptdump_pfnmap module: sudo make -C kmod load";
		return MAP_FAILED;
	}
	p = mmap(NULL, *size, PROT_READ | PROT_WRITE,
		 k == PT_LAB_PFNMAP_PRIVATE ? MAP_PRIVATE : MAP_SHARED, fd, 0);
	close(fd);
	return p;
}

static void *pt_map_kind(enum pt_lab_kind k, size_t *size, const char **why)
{
	int prot = PROT_READ | PROT_WRITE, fd = -1;
	void *p = MAP_FAILED;

	*size = PT_REGION;
	*why = NULL;
	switch (k) {
	case PT_LAB_ANON:
		*size = 4096 * 16;
		p = mmap(NULL, *size, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p != MAP_FAILED)
			madvise(p, *size, MADV_NOHUGEPAGE);
		break;
	case PT_LAB_THP:
		p = pt_map_aligned(*size, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1);
		if (p != MAP_FAILED && madvise(p, *size, MADV_HUGEPAGE))
			*why = "MADV_HUGEPAGE failed: is transparent_hugepage/enabled 'never'?";
		break;
	case PT_LAB_SHARED:
		p = mmap(NULL, *size, prot, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		break;
	case PT_LAB_FILE_PRIVATE:
	case PT_LAB_FILE_SHARED:
		fd = pt_tmpfile(*size);
		if (fd < 0)
			return MAP_FAILED;
		p = mmap(NULL, *size, prot,
			 k == PT_LAB_FILE_SHARED ? MAP_SHARED : MAP_PRIVATE, fd, 0);
		break;
	case PT_LAB_MEMFD:
		fd = memfd_create("ptinspect-lab", 0);
		if (fd < 0 || ftruncate(fd, *size) < 0)
			break;
		p = mmap(NULL, *size, prot, MAP_SHARED, fd, 0);
		break;
	case PT_LAB_HUGETLB:
	case PT_LAB_HUGETLB_SHARED:
		p = pt_map_aligned(*size, prot,
				   (k == PT_LAB_HUGETLB ? MAP_PRIVATE : MAP_SHARED) |
				   MAP_ANONYMOUS | MAP_HUGETLB, -1);
		if (p == MAP_FAILED && errno == ENOMEM)
			*why = "no huge pages reserved: echo 4 > /proc/sys/vm/nr_hugepages";
		break;
	case PT_LAB_PFNMAP:
	case PT_LAB_PFNMAP_PUD:
	case PT_LAB_PFNMAP_PRIVATE:
		return pt_map_pfnmap(k, size, why);
	default:
		errno = EINVAL;
	}
	if (fd >= 0)
		close(fd);
	return p;
}

static sigjmp_buf pt_fault_jmp;

static void pt_on_fault(int sig)
{
	siglongjmp(pt_fault_jmp, sig);
}

/* A read or write that may fault (PROT_READ, a hole): the signal is the answer. */
static int pt_touch(uintptr_t a, bool write)
{
	struct sigaction sa = { .sa_handler = pt_on_fault }, old_segv, old_bus;
	volatile int sig;

	sigaction(SIGSEGV, &sa, &old_segv);
	sigaction(SIGBUS, &sa, &old_bus);
	sig = sigsetjmp(pt_fault_jmp, 1);
	if (!sig) {
		/* a store alone: a load first would fault the huge zero page in */
		if (write)
			*(volatile char *)a = 1;
		else
			(void)*(volatile char *)a;
	}
	sigaction(SIGSEGV, &old_segv, NULL);
	sigaction(SIGBUS, &old_bus, NULL);
	return sig;
}

static const char *const pt_advice_names[] = {
#define PT_LAB_ADVICE_NAME(id, name) [PT_ADV_##id] = name,
	PT_LAB_ADVICES(PT_LAB_ADVICE_NAME)
#undef PT_LAB_ADVICE_NAME
};

const char *pt_lab_advice_name(enum pt_lab_advice a)
{
	return (unsigned int)a < PT_LAB_NR_ADVICES ? pt_advice_names[a] : "?";
}

/* the advice a protocol line names: a row of PT_LAB_ADVICES, or a guard */
static int pt_advice(const char *name)
{
	static const int madv[PT_LAB_NR_ADVICES] = {
		[PT_ADV_DONTNEED] = MADV_DONTNEED,
		[PT_ADV_COLLAPSE] = 25,	/* MADV_COLLAPSE, newer than Debian 12's headers */
#ifdef MADV_PAGEOUT
		[PT_ADV_PAGEOUT] = MADV_PAGEOUT,
#else
		[PT_ADV_PAGEOUT] = 21,
#endif
		[PT_ADV_HUGEPAGE] = MADV_HUGEPAGE,
		[PT_ADV_NOHUGEPAGE] = MADV_NOHUGEPAGE,
		[PT_ADV_MERGEABLE] = MADV_MERGEABLE,
	};
	int i;

	for (i = 0; i < PT_LAB_NR_ADVICES; i++)
		if (!strcmp(name, pt_advice_names[i]))
			return madv[i];
	/* MADV_GUARD_INSTALL and _REMOVE (6.13), newer than the headers */
	if (!strcmp(name, "guard-install"))
		return 102;
	if (!strcmp(name, "guard-remove"))
		return 103;
	return -1;
}

struct pt_subject {
	void *base;
	size_t size;
	enum pt_lab_kind kind;
	pid_t child;
	int to_child, from_child;
	struct pt_pin pin;
};

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif

static void pt_subject_serve(int in, int out, bool child) __attribute__((noreturn));

/*
 * Maps the pages of the program's own files (its text, libc's) before a
 * step can run, so that no step's VmPTE counts the tables of the subject's
 * own code: fork copies no table of a file mapping without anonymous
 * pages, and a child's first command faulted its code in and allocated
 * tables as a DONTNEED freed the watched one (VmPTE as it was, so "the
 * table stayed": a quarter of the runs).  The region is left alone.
 * Errors are ignored: a mapping that cannot be read stays as it is.
 */
static void pt_subject_settle(const struct pt_subject *s)
{
	uintptr_t lo, hi, base = (uintptr_t)s->base;
	char line[512];
	FILE *f;
	int n;

	f = fopen("/proc/self/maps", "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %*s %*s %*s %*s %n",
			   &lo, &hi, &n) != 2 || line[n] != '/')
			continue;
		if (s->base && lo < base + s->size && hi > base)
			continue;
		madvise((void *)lo, hi - lo, MADV_POPULATE_READ);
	}
	fclose(f);
}

static void pt_subject_fork(struct pt_subject *s, int out)
{
	char buf[64];
	int down[2], up[2];
	pid_t pid;

	if (s->child) {
		pt_reply(out, "err there is a child already");
		return;
	}
	if (pipe2(down, O_CLOEXEC) || pipe2(up, O_CLOEXEC)) {
		pt_reply(out, "err pipe: %s", strerror(errno));
		return;
	}
	pid = fork();
	if (pid < 0) {
		pt_reply(out, "err fork: %s", strerror(errno));
		return;
	}
	if (!pid) {
		close(down[1]);
		close(up[0]);
		s->child = 0;
		pt_pin_forget(&s->pin);
		pt_subject_serve(down[0], up[1], true);
	}
	close(down[0]);
	close(up[1]);
	s->child = pid;
	s->to_child = down[1];
	s->from_child = up[0];
	/* the fork step ends once the child has settled: its VmPTE is read next */
	if (pt_read_line(s->from_child, buf, sizeof(buf)) < 0) {
		waitpid(pid, NULL, 0);
		close(s->to_child);
		close(s->from_child);
		s->child = 0;
		pt_reply(out, "err fork: the child died before its first command");
		return;
	}
	pt_reply(out, "ok %d", (int)pid);
}

static void pt_subject_to_child(struct pt_subject *s, const char *line, int out)
{
	char buf[256];
	size_t n = strlen(line);

	if (!s->child) {
		pt_reply(out, "err no child");
		return;
	}
	if (write(s->to_child, line, n) != (ssize_t)n || write(s->to_child, "\n", 1) != 1) {
		pt_reply(out, "err the child is gone");
		return;
	}
	if (!strcmp(line, "exit")) {
		waitpid(s->child, NULL, 0);
		close(s->to_child);
		close(s->from_child);
		s->child = 0;
		pt_reply(out, "ok");
		return;
	}
	if (pt_read_line(s->from_child, buf, sizeof(buf)) < 0) {
		pt_reply(out, "err the child is gone");
		return;
	}
	pt_reply(out, "%s", buf);
}

/*
 * Moves [@a, @a + @len) to a fresh address and back, with MREMAP_FIXED
 * both ways: move_page_tables() runs twice and the region ends where it
 * was, so the lab watches the same address.  The fresh address is as
 * aligned as @a up to 1 GiB, so that a huge leaf or a whole page table
 * may move as one (move_huge_pmd(), move_normal_pmd()/_pud()) where the
 * kernel would move it so.  -errno of the mremap() that failed.
 */
/*
 * @skew: a 4 KiB kind goes a page off its alignment.  Moved as aligned as
 * it is, every 2 MiB block wholly inside the region would go as one pte
 * table (move_normal_pmd(): its ptes keep their bits) and the rest pte by
 * pte (move_ptes(): each marked soft-dirty), so the watched page's fate
 * would hang on where mmap() put the region.  A page off, every pte goes
 * through move_ptes().  Huge kinds keep their alignment, or their leaves
 * could not move whole (hugetlb refuses it).
 */
static size_t pt_mremap_skew(enum pt_lab_kind k)
{
	switch (k) {
	case PT_LAB_ANON:
	case PT_LAB_SHARED:
	case PT_LAB_FILE_PRIVATE:
	case PT_LAB_FILE_SHARED:
	case PT_LAB_MEMFD:
		return (size_t)sysconf(_SC_PAGESIZE);
	default:
		return 0;
	}
}

static int pt_subject_mremap(uintptr_t a, size_t len, size_t skew, const char **which)
{
	const uintptr_t g = 1ul << 30;
	size_t total = 2 * g + len + skew;
	char *raw, *to;
	int ret = 0;

	/* a reservation: the address space alone, no memory */
	raw = mmap(NULL, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (raw == MAP_FAILED) {
		*which = "reserve";
		return -errno;
	}
	to = (char *)((((uintptr_t)raw + g - 1) & ~(g - 1)) + (a & (g - 1)) + skew);
	*which = "away";
	if (mremap((void *)a, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, to) == MAP_FAILED) {
		ret = -errno;
		munmap(raw, total);
		return ret;
	}
	*which = "back";
	if (mremap(to, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)a) == MAP_FAILED) {
		/* the region stays where it went: keep it, drop the rest */
		ret = -errno;
		munmap(raw, to - raw);
		munmap(to + len, raw + total - (to + len));
		return ret;
	}
	munmap(raw, total);
	return 0;
}

/*
 * The lines, one each way:
 *
 *   map KIND             -> "ok BASE SIZE" | "err MESSAGE"
 *   write ADDR           -> "ok"   (one byte, volatile)
 *   read ADDR            -> "ok"
 *   madvise ADVICE ADDR LEN -> "ok" | "err MESSAGE"
 *   mprotect ro|rw       -> "ok"   (the whole region)
 *   pin ADDR, unpin      -> "ok" | "err MESSAGE"  (a long-term pin, pin.h)
 *   mremap ADDR LEN      -> "ok" | "err MESSAGE"  (moved away and back)
 *   fork                 -> "ok PID"  (P only)
 *   c LINE               -> C's answer to LINE  (P only)
 *   exit                 -> C exits; P answers "ok" once it is reaped
 */
static void pt_subject_cmd(struct pt_subject *s, char *line, int out)
{
	unsigned long long a = 0, len = 0;
	char word[16] = "", arg[24] = "";
	const char *why;
	enum pt_lab_kind k;
	int adv;

	sscanf(line, "%15s %23s %llx %llx", word, arg, &a, &len);
	if (!strcmp(word, "map")) {
		if (pt_lab_kind_parse(arg, &k)) {
			pt_reply(out, "err unknown kind %s", arg);
			return;
		}
		s->base = pt_map_kind(k, &s->size, &why);
		s->kind = k;
		if (s->base == MAP_FAILED)
			pt_reply(out, "err %s", why ? why : strerror(errno));
		else
			pt_reply(out, "ok %p %zx", s->base, s->size);
	} else if (!strcmp(word, "write") || !strcmp(word, "read")) {
		int sig;

		a = strtoull(arg, NULL, 16);
		if (!s->base || a < (uintptr_t)s->base ||
		    a >= (uintptr_t)s->base + s->size) {
			pt_reply(out, "err address outside the region");
			return;
		}
		sig = pt_touch((uintptr_t)a, word[0] == 'w');
		if (sig)
			pt_reply(out, "err the %s faulted: %s", word, strsignal(sig));
		else
			pt_reply(out, "ok");
	} else if (!strcmp(word, "madvise")) {
		adv = pt_advice(arg);
		if (adv < 0 || madvise((void *)(uintptr_t)a, len, adv))
			pt_reply(out, "err madvise %s: %s", arg,
				 adv < 0 ? "unknown advice" : strerror(errno));
		else
			pt_reply(out, "ok");
	} else if (!strcmp(word, "mprotect")) {
		if (mprotect(s->base, s->size,
			     !strcmp(arg, "ro") ? PROT_READ : PROT_READ | PROT_WRITE))
			pt_reply(out, "err mprotect: %s", strerror(errno));
		else
			pt_reply(out, "ok");
	} else if (!strcmp(word, "pin") || !strcmp(word, "unpin")) {
		int ret;

		a = strtoull(arg, NULL, 16);
		if (word[0] == 'u')
			ret = pt_unpin(&s->pin);
		else if (!s->base || a < (uintptr_t)s->base ||
			 a >= (uintptr_t)s->base + s->size)
			ret = -EFAULT;
		else
			ret = pt_pin(&s->pin, (uintptr_t)a);
		if (ret == -EBUSY)
			pt_reply(out, "err the page is pinned already");
		else if (ret == -ENOENT)
			pt_reply(out, "err nothing is pinned");
		else if (word[0] == 'p' && (ret == -EPERM || ret == -ENOSYS))
			pt_reply(out, "err pin needs io_uring (%s): see sysctl kernel.io_uring_disabled",
				 strerror(-ret));
		else if (ret)
			pt_reply(out, "err %s: %s", word[0] == 'u' ? "unpin" :
				 "pin (io_uring fixed buffer)", strerror(-ret));
		else
			pt_reply(out, "ok");
	} else if (!strcmp(word, "mremap")) {
		const char *which;
		int ret;

		/* "mremap ADDR LEN": the words after the name are shifted */
		len = a;
		a = strtoull(arg, NULL, 16);
		if (!s->base || a != (uintptr_t)s->base || len != s->size) {
			ret = -EINVAL;
			which = "not the region";
		} else {
			ret = pt_subject_mremap((uintptr_t)a, len, pt_mremap_skew(s->kind), &which);
		}
		if (ret)
			pt_reply(out, "err mremap (%s): %s", which, strerror(-ret));
		else
			pt_reply(out, "ok");
	} else if (!strcmp(word, "fork")) {
		pt_subject_fork(s, out);
	} else if (!strcmp(word, "c")) {
		pt_subject_to_child(s, line + 2, out);
	} else if (!strcmp(word, "exit")) {
		_exit(0);
	} else {
		pt_reply(out, "err unknown command %s", word);
	}
}

static struct pt_subject pt_subject_self = { .pin = PT_PIN_INIT };

/*
 * A child says it has settled as the last thing before its first read:
 * what it faults after (under ASan, some thirty pages of shadow and
 * allocator memory) would fall into the step after the fork.
 */
static void pt_subject_serve(int in, int out, bool child)
{
	struct pt_subject *s = &pt_subject_self;
	char line[256];

	/* a subject never outlives the process that commands it */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	signal(SIGINT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	pt_subject_settle(s);
	if (child)
		pt_reply(out, "ok settled");
	while (pt_read_line(in, line, sizeof(line)) >= 0)
		pt_subject_cmd(s, line, out);
	_exit(0);
}

void pt_subject_run(int in, int out)
{
	pt_subject_serve(in, out, false);
}
