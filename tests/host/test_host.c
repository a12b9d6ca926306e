// SPDX-License-Identifier: GPL-2.0
/*
 * The /proc source on real processes of this machine: a subject process
 * (the lab's own, as `ptinspect subject`) maps, writes and forks; the
 * source reads it.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../unit/tap.h"

#include "source.h"

struct subject {
	pid_t pid;
	pid_t child;
	FILE *in, *out;
};

static const char *subject_path(void)
{
	const char *p = getenv("PT_SUBJECT");

	return p ? p : "build/plain/ptinspect";
}

static void subject_start(struct subject *s)
{
	int down[2], up[2];
	char line[128];

	assert_int_equal(pipe(down), 0);
	assert_int_equal(pipe(up), 0);
	s->pid = fork();
	assert_true(s->pid >= 0);
	if (!s->pid) {
		dup2(down[0], 0);
		dup2(up[1], 1);
		close(down[1]);
		close(up[0]);
		execl(subject_path(), "ptinspect", "subject", (char *)NULL);
		_exit(127);
	}
	close(down[0]);
	close(up[1]);
	s->in = fdopen(down[1], "w");
	s->out = fdopen(up[0], "r");
	s->child = 0;
	assert_non_null(fgets(line, sizeof(line), s->out));
	assert_true(!strncmp(line, "ready ", 6));
}

static unsigned long long subject_cmd(struct subject *s, const char *fmt, ...)
{
	char line[128], word[16];
	unsigned long long v = 0;
	va_list ap;

	va_start(ap, fmt);
	vfprintf(s->in, fmt, ap);
	va_end(ap);
	fputc('\n', s->in);
	fflush(s->in);
	assert_non_null(fgets(line, sizeof(line), s->out));
	if (!strncmp(line, "err", 3))
		fail_msg("subject: %s", line);
	if (sscanf(line, "%15s %lli", word, &v) == 2 && !strncmp(fmt, "fork", 4))
		s->child = (pid_t)v;
	return v;
}

static void subject_stop(struct subject *s)
{
	fclose(s->in);
	fclose(s->out);
	kill(s->pid, SIGKILL);
	waitpid(s->pid, NULL, 0);
}

static void walk(struct pt_source *src, pid_t pid, uint64_t addr,
		 struct pt_walk *w)
{
	struct pt_err err = { 0 };
	int ret = src->ops->walk(src, pid, addr, w, &err);

	if (ret < 0)
		fail_msg("walk %d 0x%llx: %s", (int)pid, (unsigned long long)addr,
			 err.msg);
}

static int setup(void **state)
{
	struct pt_source *src = calloc(1, sizeof(*src));
	struct pt_err err;

	if (!src || pt_source_open(src, PT_BACKEND_PAGEMAP, &err) < 0)
		return -1;
	*state = src;
	return 0;
}

static int teardown(void **state)
{
	pt_source_close(*state);
	free(*state);
	return 0;
}

static bool thp_enabled(void)
{
	char buf[128] = "";
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
	}
	return !strstr(buf, "[never]") && buf[0];
}

static void fork_private_anon_shares_pfn_until_child_writes(void **state)
{
	struct pt_source *src = *state;
	struct pt_walk *p = malloc(sizeof(*p)), *c = malloc(sizeof(*c));
	struct subject s;
	uint64_t a, pfn;

	if (geteuid())
		skip();	/* PFNs read as 0 without CAP_SYS_ADMIN */
	subject_start(&s);
	a = subject_cmd(&s, "map anon 4096");
	subject_cmd(&s, "write %llx", (unsigned long long)a);
	subject_cmd(&s, "fork");
	walk(src, s.pid, a, p);
	walk(src, s.child, a, c);
	assert_int_equal(p->vma.kind, PT_VMA_ANON_PRIVATE);
	assert_true(p->pm.present && c->pm.present);
	assert_true(p->pm.pfn != 0);
	assert_int_equal(p->pm.pfn, c->pm.pfn);
	/* copy_present_pte(): the page is now mapped by both */
	assert_false(p->pm.exclusive);
	assert_false(c->pm.exclusive);
	assert_int_equal(p->level[PT_PTE].state, PT_STATE_LEAF);
	assert_true(p->level[PT_PTE].derived);
	pfn = p->pm.pfn;
	subject_cmd(&s, "c write %llx", (unsigned long long)a);
	walk(src, s.pid, a, p);
	walk(src, s.child, a, c);
	/* wp_page_copy(): the writer gets its own page */
	assert_int_not_equal(c->pm.pfn, pfn);
	assert_true(c->pm.exclusive);
	assert_int_equal(p->pm.pfn, pfn);
	subject_stop(&s);
	free(p);
	free(c);
}

static void thp_region_is_a_pmd_leaf_over_2m(void **state)
{
	struct pt_source *src = *state;
	struct pt_walk *w = malloc(sizeof(*w));
	struct subject s;
	uint64_t a;

	if (!thp_enabled())
		skip();	/* transparent_hugepage/enabled is "never" */
	subject_start(&s);
	a = subject_cmd(&s, "map thp 2097152");
	subject_cmd(&s, "write %llx", (unsigned long long)a);
	walk(src, s.pid, a + 0x1000, w);
	assert_true(pt_vma_has_flag(&w->vma, "hg"));
	assert_true(w->pm.present);
	assert_int_equal(w->pm.scan_huge, 1);
	assert_int_equal(pt_walk_leaf(w), PT_PMD);
	assert_int_equal(w->level[PT_PMD].va, a);
	if (!geteuid()) {
		assert_true(w->pm.has_kpageflags);
		assert_true(w->pm.kpageflags & (1ull << 22));	/* KPF_THP */
	}
	subject_stop(&s);
	free(w);
}

static void shared_anon_keeps_one_pfn_across_child_write(void **state)
{
	struct pt_source *src = *state;
	struct pt_walk *p = malloc(sizeof(*p)), *c = malloc(sizeof(*c));
	struct subject s;
	uint64_t a;

	if (geteuid())
		skip();
	subject_start(&s);
	a = subject_cmd(&s, "map shared 4096");
	subject_cmd(&s, "write %llx", (unsigned long long)a);
	subject_cmd(&s, "fork");
	subject_cmd(&s, "c write %llx", (unsigned long long)a);
	walk(src, s.pid, a, p);
	walk(src, s.child, a, c);
	assert_int_equal(p->vma.kind, PT_VMA_ANON_SHARED);
	assert_true(c->pm.present);
	assert_true(c->pm.file_shared);
	assert_int_equal(p->pm.pfn, c->pm.pfn);
	subject_stop(&s);
	free(p);
	free(c);
}

static void exited_process_is_reported_as_exited(void **state)
{
	struct pt_source *src = *state;
	struct pt_walk *w = malloc(sizeof(*w));
	struct pt_err err;
	struct subject s;
	uint64_t a;
	pid_t child;

	subject_start(&s);
	a = subject_cmd(&s, "map anon 4096");
	subject_cmd(&s, "fork");
	child = s.child;
	/* the child exits; the subject reaps it */
	subject_cmd(&s, "c exit");
	assert_int_equal(src->ops->walk(src, child, a, w, &err), -PT_NO_PID);
	/* kill the subject itself but do not reap it yet: a zombie */
	kill(s.pid, SIGKILL);
	usleep(100000);
	assert_int_equal(src->ops->walk(src, s.pid, a, w, &err), -PT_EXITED);
	subject_stop(&s);
	free(w);
}

static int count_entry(const struct pt_walk *w, void *arg)
{
	(void)w;
	(*(int *)arg)++;
	return 0;
}

static void range_gives_one_object_per_populated_entry(void **state)
{
	struct pt_source *src = *state;
	struct pt_err err;
	struct subject s;
	int n = 0;
	uint64_t a;

	subject_start(&s);
	a = subject_cmd(&s, "map anon 65536");
	subject_cmd(&s, "write %llx", (unsigned long long)a);
	subject_cmd(&s, "write %llx", (unsigned long long)a + 0x3000);
	subject_cmd(&s, "read %llx", (unsigned long long)a + 0x5000);
	assert_int_equal(src->ops->walk_range(src, s.pid, a, a + 65536,
					      count_entry, &n, &err), 0);
	/* two written pages and the zero page mapped by the read */
	assert_int_equal(n, 3);
	subject_stop(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fork_private_anon_shares_pfn_until_child_writes),
		cmocka_unit_test(thp_region_is_a_pmd_leaf_over_2m),
		cmocka_unit_test(shared_anon_keeps_one_pfn_across_child_write),
		cmocka_unit_test(exited_process_is_reported_as_exited),
		cmocka_unit_test(range_gives_one_object_per_populated_entry),
	};

	signal(SIGPIPE, SIG_IGN);
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("host", tests, setup, teardown);
}
