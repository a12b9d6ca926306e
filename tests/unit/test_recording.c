// SPDX-License-Identifier: GPL-2.0
/*
 * A recording's lines through record.c's field tables: every line of the
 * recordings written before (the fuzz seeds, the screens' recordings),
 * read and written again, is the same bytes (the writer's "version" set
 * aside); and a step with every field set survives write, read, write.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

#include "json.h"
#include "jsonread.h"
#include "jsondoc.h"
#include "lab.h"
#include "prose.h"
#include "record.h"
#include "source.h"

/* the strings a reader keeps, freed at the end of each test */
static char *pt_kept[4096];
static size_t pt_nr_kept;

static const char *keep(struct pt_rd *rd, const char *s)
{
	(void)rd;
	if (pt_nr_kept == sizeof(pt_kept) / sizeof(pt_kept[0]))
		return NULL;
	pt_kept[pt_nr_kept] = strdup(s);
	return pt_kept[pt_nr_kept++];
}

/* the explanations' strings, one pool for the tests (record.c's is the replay's) */
static struct pt_intern pt_test_pool;

static const char *intern(struct pt_rd *rd, const char *s, size_t n)
{
	(void)rd;
	return pt_intern_in(&pt_test_pool, s, n);
}

static void unkeep(void)
{
	while (pt_nr_kept)
		free(pt_kept[--pt_nr_kept]);
	pt_intern_free(&pt_test_pool);
}

struct rec {
	struct pt_replay rp;
	struct pt_source src;
	struct pt_lab lab;
	struct pt_lab_step step;
	struct pt_rd rd;
};

static struct rec *rec_new(void)
{
	struct rec *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	r->rp.src = &r->src;
	r->rp.lab = &r->lab;
	r->lab.src = &r->src;
	r->rd.keep = keep;
	r->rd.intern = intern;
	return r;
}

/* the line @r's lab (and @s: a step, else the header) writes */
struct rec_line {
	struct rec *r;
	const struct pt_lab_step *s;	/* NULL: the header */
};

static void rec_line(struct pt_json *j, void *arg)
{
	struct rec_line *l = arg;

	if (l->s)
		pt_rec_step(j, &l->r->lab, l->s);
	else
		pt_rec_header(j, &l->r->lab);
}

/* the line the writer makes of @s, or of the header */
static char *rewrite(struct rec *r, const struct pt_lab_step *s)
{
	struct rec_line l = { .r = r, .s = s };

	return pt_test_json(rec_line, &l, false);
}

/* @line without its "version" member: the writer's own, not the format */
static const char *unversioned(const char *line, char *buf, size_t len)
{
	const char *v = strstr(line, "\"version\":\""), *end;

	assert_non_null(v);
	end = strchr(v + 11, '"');
	assert_non_null(end);
	snprintf(buf, len, "%.*s%s", (int)(v - line), line, end + 1);
	return buf;
}

/*
 * The explanation's "gap" came after the first recordings (it is read as
 * false where missing, and written always): a rewrite of a line without
 * it is compared without it.
 */
static void ungapped(const char *was, char *now)
{
	char *g = strstr(now, "\"gap\":false,");

	if (!strstr(was, "\"gap\":") && g)
		memmove(g, g + 12, strlen(g + 12) + 1);
}

/*
 * A command's "num" is read for wait only (its MS: pt_cmd_retype()); for
 * the others it carried the parser's leftovers (0 in a map step, -1
 * elsewhere) and is written -1 since the typed commands: set aside.
 */
static void unnumbered(char *line)
{
	char *p = strstr(line, "\"num\":"), *end;

	if (!p || strstr(line, "\"cmd\":{\"name\":\"wait\""))
		return;
	p += 6;
	end = p + (*p == '-');
	while (*end >= '0' && *end <= '9')
		end++;
	*p = 'N';
	memmove(p + 1, end, strlen(end) + 1);
}

static void same_line(const char *want, const char *got, const char *path, size_t n)
{
	static char a[1 << 17], b[1 << 17];

	assert_true(strlen(want) < sizeof(a) && strlen(got) < sizeof(b));
	unversioned(want, a, sizeof(a));
	unversioned(got, b, sizeof(b));
	ungapped(a, b);
	unnumbered(a);
	unnumbered(b);
	if (strcmp(a, b)) {
		size_t i = 0;

		while (a[i] == b[i])
			i++;
		print_message("# %s line %zu differs at byte %zu:\n#  was %.80s\n#  now %.80s\n",
			      path, n, i, a + (i > 20 ? i - 20 : 0), b + (i > 20 ? i - 20 : 0));
	}
	assert_string_equal(a, b);
}

static const char *const pt_corpus[] = {
	/* by the writer before the field tables (4b39193): strip, gap, pin */
	"tests/fuzz/seeds/recording/cow-strip",
	"tests/fuzz/seeds/recording/lab3",
	"tests/fuzz/replay.rec",
	"tests/screens/arm64-6.1/grid.rec",
	"tests/screens/arm64-6.12/grid.rec",
};

static void recordings_written_before_are_written_again_byte_for_byte(void **state)
{
	size_t i, steps = 0;

	(void)state;
	for (i = 0; i < sizeof(pt_corpus) / sizeof(pt_corpus[0]); i++) {
		FILE *f = fopen(pt_corpus[i], "r");
		struct rec *r = rec_new();
		char *line = NULL, *out;
		size_t cap = 0, n = 0;
		ssize_t len;

		assert_non_null(f);
		while ((len = getline(&line, &cap, f)) > 0) {
			struct pt_jr_err e;
			struct pt_jv v;

			n++;
			assert_int_equal(pt_jv_parse_object(line, line + len - 1, &v, &e), 0);
			if (pt_jv_has(&v, "end")) {
				pt_jv_free(&v);
				continue;
			}
			if (n == 1)
				pt_rd_header(&r->rd, &v, &r->rp);
			else
				pt_rd_step(&r->rd, &v, &r->lab, &r->step);
			assert_string_equal(r->rd.why, "");
			out = rewrite(r, n == 1 ? NULL : &r->step);
			same_line(line, out, pt_corpus[i], n);
			free(out);
			if (n > 1)
				pt_explain_free(&r->step.explain);
			pt_jv_free(&v);
			steps += n > 1;
		}
		assert_true(n > 2);
		free(line);
		fclose(f);
		free(r);
		unkeep();
	}
	print_message("# %zu steps rewritten\n", steps);
}

/* a step with a value in every field the tables name */
static void fill(struct rec *r)
{
	struct pt_lab_step *s = &r->step;
	struct pt_explain *e = &s->explain;
	int p, i;

	r->lab.owned = true;
	r->lab.kind = PT_LAB_THP;
	r->lab.addr = 0x7f0000200000;
	r->lab.pid[0] = 100;
	r->lab.pid[1] = 101;
	r->lab.base = 0x7f0000000000;
	r->lab.size = 4 << 20;
	r->lab.has_pmu = true;
	r->lab.pmu.nr = 2;
	snprintf(r->lab.pmu.ev[0].name, sizeof(r->lab.pmu.ev[0].name), "minor-faults");
	snprintf(r->lab.pmu.ev[1].name, sizeof(r->lab.pmu.ev[1].name), "major-faults");
	s->n = 3;
	snprintf(s->event, sizeof(s->event), "mprotect rw child");
	snprintf(s->err, sizeof(s->err), "an error");
	s->cmd.id = PT_C_MPROTECT;
	s->cmd.who = PT_WHO_CHILD;
	s->cmd.prot = PT_PROT_RW;
	snprintf(s->cmd.arg, sizeof(s->cmd.arg), "rw");
	s->cmd.off = 0x1000;
	snprintf(s->cmd.text, sizeof(s->cmd.text), "mprotect rw child");
	s->addr = 0x7f0000201000;
	s->pinned[1] = true;
	for (p = 0; p < 2; p++) {
		struct pt_lab_proc *pr = &s->proc[p];
		struct pt_walk *w = &pr->walk;

		pr->exists = true;
		pr->walked = p == 0;
		snprintf(pr->err, sizeof(pr->err), "err %d", p);
		pr->has_count[0] = true;
		pr->count[0] = 7;
		w->pid = 100;
		w->addr = s->addr;
		w->source = "kmod";
		snprintf(w->release, sizeof(w->release), "6.18.0");
		w->vma.start = 0x7f0000000000;
		w->vma.end = 0x7f0000400000;
		snprintf(w->vma.perms, sizeof(w->vma.perms), "rw-p");
		w->vma.pgoff = 0x2000;
		w->vma.dev_major = 8;
		w->vma.dev_minor = 1;
		w->vma.inode = 1234;
		w->vma.path = "/tmp/a file";
		w->vma.has_flags = true;
		snprintf(w->vma.flags[0], sizeof(w->vma.flags[0]), "rd");
		snprintf(w->vma.flags[1], sizeof(w->vma.flags[1]), "hg");
		w->vma.nr_flags = 2;
		w->vma.kernel_page_size = 4096;
		w->vma.kind = PT_VMA_ANON_PRIVATE;
		for (i = 0; i < PT_NR_LEVELS; i++) {
			w->level[i].state = PT_STATE_TABLE;
			w->level[i].has_raw = i != 2;
			w->level[i].raw = 0x8000000000000067ull + (uint64_t)i;
			w->level[i].derived = i == 3;
			w->level[i].va = 0x7f0000000000;
			w->level[i].user_copy = i == 0;
		}
		w->pm.valid = true;
		w->pm.word = 0x8100000000123456ull;
		w->pm.present = w->pm.exclusive = w->pm.guard = true;
		w->pm.pfn = 0x123456;
		w->pm.swp_type = 3;
		w->pm.swp_offset = 0x99;
		w->pm.has_kpageflags = true;
		w->pm.kpageflags = 0x40040d828ull;
		/* KSM's state goes with the page: a replay must not read its own */
		w->pm.ksm = PT_KSM_HAS_RUN;
		w->pm.kpagecount = 2;
		w->pm.scan_huge = 1;
		w->strip.nr = 2;
		w->strip.first = 0x7f0000200000;
		w->strip.word[0] = 1;
		w->strip.word[1] = 0x8100000000000001ull;
	}
	s->nr_changes = 1;
	s->changes[0].who = PT_WHO_PARENT;
	s->changes[0].level = PT_PMD;
	s->changes[0].what = "write";
	s->changes[0].before = 1;
	{
		/* the rows the explanation owns (prose.h); the strings are its pool's */
		struct pt_checked row = {
			.who = PT_WHO_CHILD, .what = "write", .expected = -5, .observed = 1,
			.held = true, .func = "wp_page_copy", .source = "mm/memory.c:3339",
		};
		struct pt_checked un = row;

		un.source = "";
		pt_explain_clear(e);
		e->text = "why \"quoted\"";
		e->funcs = "do_wp_page";
		e->state = "a state";
		e->modelled = e->gap = true;
		e->checked = 2;
		e->skipped = 1;
		assert_int_equal(pt_explain_set_rows(e, &row, 1, &un, 1), 0);
	}
}

static void every_field_of_a_step_is_written_and_read(void **state)
{
	struct rec *r = rec_new(), *back = rec_new();
	struct pt_jr_err e;
	struct pt_jv v;
	char *one, *two;

	(void)state;
	fill(r);
	one = rewrite(r, &r->step);
	assert_int_equal(pt_jv_parse_object(one, one + strlen(one) - 1, &v, &e), 0);
	back->lab.has_pmu = true;
	back->lab.pmu.nr = 2;
	pt_rd_step(&back->rd, &v, &back->lab, &back->step);
	assert_string_equal(back->rd.why, "");
	two = rewrite(back, &back->step);
	assert_string_equal(one, two);
	/* what the line holds landed where the tables say */
	assert_int_equal(back->lab.kind, PT_LAB_THP);
	/* the command's typed fields come back from its argument */
	assert_non_null(strstr(one, "\"arg\":\"rw\",\"off\":\"0x1000\",\"num\":-1,"));
	assert_int_equal(back->step.cmd.prot, PT_PROT_RW);
	assert_true(back->step.cmd.off == 0x1000);
	assert_int_equal(back->lab.pid[1], 101);
	assert_true(back->step.pinned[1] && !back->step.pinned[0]);
	assert_true(back->step.proc[0].walked && !back->step.proc[1].walked);
	assert_string_equal(back->step.proc[0].walk.source, "kmod");
	assert_int_equal(back->step.proc[0].walk.vma.nr_flags, 2);
	assert_string_equal(back->step.proc[0].walk.vma.flags[1], "hg");
	assert_true(!back->step.proc[0].walk.level[2].has_raw);
	assert_true(back->step.proc[0].walk.level[1].raw == 0x8000000000000068ull);
	assert_true(back->step.proc[0].walk.pm.has_kpageflags);
	assert_int_equal(back->step.proc[0].walk.pm.ksm, PT_KSM_HAS_RUN);
	assert_true(!back->step.proc[0].walk.pm.has_kpagecount);
	assert_int_equal(back->step.proc[0].walk.pm.scan_huge, 1);
	assert_int_equal(back->step.proc[0].walk.strip.nr, 2);
	assert_true(back->step.proc[0].walk.strip.word[1] == 0x8100000000000001ull);
	assert_true(back->step.proc[1].has_count[0] && !back->step.proc[1].has_count[1]);
	assert_int_equal(back->step.explain.rows[0].expected, -5);
	assert_true(back->step.explain.gap);
	assert_string_equal(back->step.explain.unexpected[0].source, "");
	assert_string_equal(back->step.explain.text, "why \"quoted\"");
	pt_jv_free(&v);
	free(one);
	free(two);
	pt_explain_free(&r->step.explain);
	pt_explain_free(&back->step.explain);
	free(r);
	free(back);
	unkeep();
}

static void a_step_line_missing_a_field_names_it(void **state)
{
	struct rec *r = rec_new(), *back = rec_new();
	struct pt_jr_err e;
	struct pt_jv v;
	char *line, *k;

	(void)state;
	fill(r);
	line = rewrite(r, &r->step);
	/* "kernel_page_size" renamed: the reader names what it misses */
	k = strstr(line, "\"kernel_page_size\"");
	assert_non_null(k);
	k[1] = 'K';
	assert_int_equal(pt_jv_parse_object(line, line + strlen(line) - 1, &v, &e), 0);
	back->lab.pmu.nr = 2;
	pt_rd_step(&back->rd, &v, &back->lab, &back->step);
	assert_string_equal(back->rd.why, "missing or mistyped \"kernel_page_size\"");
	pt_jv_free(&v);
	free(line);
	pt_explain_free(&r->step.explain);
	pt_explain_free(&back->step.explain);
	free(r);
	free(back);
	unkeep();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(recordings_written_before_are_written_again_byte_for_byte),
		cmocka_unit_test(every_field_of_a_step_is_written_and_read),
		cmocka_unit_test(a_step_line_missing_a_field_names_it),
	};

	PT_RUN_TESTS("recording", tests);
}
