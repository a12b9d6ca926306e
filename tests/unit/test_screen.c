// SPDX-License-Identifier: GPL-2.0
/*
 * The screen's layout of raw entries, which on a host only the module
 * gives (tests/host/screens.sh covers /proc's derived entries on this
 * kernel).  The entries are those of SCREEN.md, read from a 6.12 kernel
 * by the module after `write parent; fork` on a private THP; the step's
 * changes are the ones the lab computed for them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

#include "prose.h"
#include "screen.h"
#include "termsize.h"

static struct pt_source src;
static struct pt_lab lab;
static struct pt_cursor at = { .cur = 2 };	/* the view shows the fork */
static struct pt_lab_step steps[3];

static void entry(struct pt_lab_proc *p, enum pt_level l, uint64_t raw)
{
	struct pt_decoded d;

	pt_decode(&src.layout, l, raw, &d);
	p->walk.level[l].has_raw = true;
	p->walk.level[l].raw = raw;
	p->walk.level[l].state = d.state;
}

static void change(struct pt_lab_step *s, enum pt_who who, const char *what,
		   uint64_t before, uint64_t after)
{
	struct pt_lab_change *c = &s->changes[s->nr_changes++];

	c->who = who;
	c->level = PT_PMD;
	c->what = what;
	c->before = before;
	c->after = after;
}

static void setup_lab(void)
{
	struct pt_lab_step *s = &steps[2];
	int i;

	src.name = "kmod";
	snprintf(src.release, sizeof(src.release), "6.12.117+deb13-amd64");
	pt_layout_init(&src.layout, &pt_arch_x86_64, PT_KV(6, 12));
	lab.src = &src;
	lab.kind = PT_LAB_THP;
	lab.owned = true;
	lab.pid[0] = 137;
	lab.pid[1] = 139;
	lab.addr = 0x7f084c400000;
	lab.steps = steps;
	lab.nr_steps = 3;
	for (i = 0; i < 3; i++) {
		steps[i].n = i + 1;
		snprintf(steps[i].event, sizeof(steps[i].event), "%s",
			 i == 0 ? "map thp" : i == 1 ? "write parent" : "fork");
		steps[i].proc[0].exists = true;
		pt_explain_clear(&steps[i].explain);
	}
	for (i = 0; i < 2; i++) {
		struct pt_lab_proc *p = &s->proc[i];

		p->exists = p->walked = true;
		p->walk.pid = lab.pid[i];
		p->walk.vma.path = "";
		entry(p, PT_PGD, i ? 0x00000000053cc067 : 0x0000000005436067);
		entry(p, PT_PUD, i ? 0x00000000053a1067 : 0x00000000053a0067);
		entry(p, PT_PMD, i ? 0x8400000007800885 : 0x84000000078008a5);
	}
	change(s, PT_WHO_PARENT, "write", 1, 0);
	change(s, PT_WHO_PARENT, "dirty", 1, 0);
	change(s, PT_WHO_PARENT, "saved_dirty", 0, 1);
	change(s, PT_WHO_CHILD, "state", PT_STATE_ABSENT, PT_STATE_LEAF);
	s->explain.text = "fork copies the pmd";
	s->explain.funcs = "copy_huge_pmd";
	s->explain.modelled = true;
	s->explain.checked = 2;
}

/* The screen as text, as the `screen` command writes it. */
static char *render(int rows, int cols, bool mono, bool stable)
{
	struct pt_screen sc = { .lab = &lab, .at = &at, .dot = "·", .mono = mono, .stable = stable };
	struct pt_err err;
	size_t len;
	char *text;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(pt_screen_draw(&sc, rows, cols, &err), 0);
	pt_screen_print(f, &sc);
	fclose(f);
	pt_screen_free(&sc);
	return text;
}

/* The line holding @what, copied into @line; its marker line into @marks. */
static void line_of(const char *text, const char *what, char *line, char *marks, size_t len)
{
	const char *p = strstr(text, what), *start, *end;

	if (!p)
		fail_msg("no '%s' on the screen:\n%s", what, text);
	for (start = p; start > text && start[-1] != '\n'; start--)
		;
	end = strchr(p, '\n');
	snprintf(line, len, "%.*s", (int)(end - start), start);
	start = end + 1;
	end = strchr(start, '\n');
	snprintf(marks, len, "%.*s", end ? (int)(end - start) : 0, start);
	if (strspn(marks, " ^") != strlen(marks) || !strchr(marks, '^'))
		marks[0] = '\0';
}

/* The column (in characters) of byte offset @off of @line. */
static int col(const char *line, const char *at)
{
	int c = 0;

	for (; line < at; line++)
		c += ((unsigned char)*line & 0xc0) != 0x80;
	return c;
}

static void stable_masks_frames_and_keeps_flags(void **state)
{
	char *t = render(42, 110, true, true);
	char line[512], marks[512];

	(void)state;
	line_of(t, "ptinspect lab", line, marks, sizeof(line));
	assert_non_null(strstr(line, "· 6.12 x86_64 · source kmod (raw) · addr ADDR"));
	assert_non_null(strstr(t, "─ parent PID ─"));
	assert_non_null(strstr(t, "─ child PID ─"));
	/* the digits of the pfn are dots: a table's bits 12-51, a 2M leaf's 21-51 */
	line_of(t, "pgd 0x", line, marks, sizeof(line));
	assert_non_null(strstr(line, "pgd 0x000..........067  table"));
	line_of(t, "pmd 0x", line, marks, sizeof(line));
	assert_non_null(strstr(line, "pmd 0x840........008a5  leaf   2M pfn 0x...  "));
	assert_non_null(strstr(line, "pmd 0x840........00885  leaf"));
	assert_non_null(strstr(line, "pfn 0x..."));
	/* the child's new pmd (a state change) is highlighted */
	assert_int_equal(col(line, strstr(line, "pmd 0x840........00885")),
			 (int)strspn(marks, " "));
	assert_null(strstr(t, "7800"));
	free(t);
}

static void changed_bits_are_marked_twice_in_mono(void **state)
{
	char *t = render(42, 110, true, true);
	char line[512], marks[512], titles[512];
	const char *w, *v;
	int wc;

	(void)state;
	line_of(t, "│ P  W  U  WT", titles, marks, sizeof(titles));
	w = strstr(titles, " W ");
	assert_non_null(w);
	wc = col(titles, w + 1);
	/* the row under the titles: the values */
	v = strstr(t, titles);
	v = strchr(v, '\n') + 1;
	snprintf(line, sizeof(line), "%.*s", (int)(strchr(v, '\n') - v), v);
	line_of(t, line, line, marks, sizeof(line));
	/* parent: W, D and SD changed: "0*", and '^' under each */
	assert_non_null(strstr(line, "0*"));
	assert_int_equal(marks[wc], '^');
	assert_int_equal(marks[wc + 1], '^');
	assert_int_equal(marks[wc - 1], ' ');
	/* the child's bits did not change: no '*' past the parent's box */
	assert_non_null(strstr(line, "││"));
	assert_null(strchr(strstr(line, "││"), '*'));
	assert_int_equal(strlen(marks), (size_t)col(line, strrchr(line, '*')) + 1);
	free(t);
}

static void without_stable_values_are_shown(void **state)
{
	char *t = render(42, 110, false, false);
	char line[512], marks[512];

	(void)state;
	assert_non_null(strstr(t, "─ parent 137 ─"));
	assert_non_null(strstr(t, "─ child 139 ─"));
	assert_non_null(strstr(t, "6.12.117+deb13-amd64 x86_64"));
	assert_non_null(strstr(t, "addr 0x7f084c400000"));
	line_of(t, "pmd 0x", line, marks, sizeof(line));
	assert_non_null(strstr(line, "pmd 0x84000000078008a5  leaf   2M pfn 0x7800 "));
	assert_non_null(strstr(line, "pfn 0x7800"));
	/* colour: no '*', the highlight alone marks */
	assert_null(strchr(t, '*'));
	assert_non_null(strstr(t, "\n│ 1  0  1  0  0  1  0  1  0  0  0  1  0    0  1       ││"));
	free(t);
}

static void narrow_stacks_the_child_under_the_parent(void **state)
{
	char *t = render(50, 80, true, false);

	(void)state;
	assert_non_null(strstr(t, "\n┌─ parent 137 ─"));
	assert_non_null(strstr(t, "\n┌─ child 139 ─"));
	assert_true(strstr(t, "┌─ parent") < strstr(t, "┌─ child"));
	free(t);
}

static void sizes_parse_in_range(void **state)
{
	int c = 0, r = 0;

	(void)state;
	assert_int_equal(pt_screen_size_parse("100x40", &c, &r), 0);
	assert_int_equal(c, 100);
	assert_int_equal(r, 40);
	assert_int_equal(pt_screen_size_parse("39x40", &c, &r), -ERANGE);
	assert_int_equal(pt_screen_size_parse("100x11", &c, &r), -ERANGE);
	assert_int_equal(pt_screen_size_parse("100x", &c, &r), -EINVAL);
	assert_int_equal(pt_screen_size_parse("x40", &c, &r), -EINVAL);
	assert_int_equal(pt_screen_size_parse("100x40x", &c, &r), -EINVAL);
	assert_int_equal(pt_screen_size_parse("100 x40", &c, &r), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stable_masks_frames_and_keeps_flags),
		cmocka_unit_test(changed_bits_are_marked_twice_in_mono),
		cmocka_unit_test(without_stable_values_are_shown),
		cmocka_unit_test(narrow_stacks_the_child_under_the_parent),
		cmocka_unit_test(sizes_parse_in_range),
	};

	setup_lab();
	PT_RUN_TESTS("screen", tests);
}
