// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intern.h"
#include "prose.h"

/* an interned string that is never NULL: out of memory says so */
const char *pt_prose_kept(const char *s)
{
	const char *k = pt_intern(s);

	return k ? k : "(out of memory)";
}

void pt_explain_clear(struct pt_explain *e)
{
	memset(e, 0, sizeof(*e));
	e->text = e->funcs = e->state = "";
}

void pt_explain_free(struct pt_explain *e)
{
	free(e->rows);
	pt_explain_clear(e);
}

int pt_explain_set_rows(struct pt_explain *e, const struct pt_checked *rows, size_t nr_rows,
			const struct pt_checked *unexpected, size_t nr_unexpected)
{
	struct pt_checked *c = NULL;

	if (nr_rows + nr_unexpected) {
		c = malloc((nr_rows + nr_unexpected) * sizeof(*c));
		if (!c)
			nr_rows = nr_unexpected = 0;
	}
	free(e->rows);
	e->rows = c;
	e->nr_rows = nr_rows;
	e->unexpected = c ? c + nr_rows : NULL;
	e->nr_unexpected = nr_unexpected;
	if (nr_rows)
		memcpy(e->rows, rows, nr_rows * sizeof(*c));
	if (nr_unexpected)
		memcpy(e->unexpected, unexpected, nr_unexpected * sizeof(*c));
	return c || !(nr_rows + nr_unexpected) ? 0 : -1;
}

void pt_prose_add(char *buf, size_t len, const char *s, const char *sep)
{
	size_t n = strlen(buf);

	if (!s || !*s || strstr(buf, s))
		return;
	snprintf(buf + n, len - n, "%s%s", n ? sep : "", s);
}

void pt_prose_add_why(struct pt_explain_build *b, const char *why)
{
	/* a why is a rows line's text: 400 bytes cut five of them */
	char one[PT_ROWS_LINE_MAX + 2];

	snprintf(one, sizeof(one), "%s.", why);
	pt_prose_add(b->text, sizeof(b->text), one, " ");
}

void pt_prose_atoms(uint64_t a, char *buf, size_t len)
{
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < PT_A_NR && n + 2 < len; i++)
		if ((a & (1ull << i)) && i != PT_A_ACTOR && i != PT_A_FAILED)
			n += snprintf(buf + n, len - n, "%s%s", n ? ", " : "", pt_atom_words(i));
}

void pt_prose_gap(const struct pt_row *r, size_t lo, size_t hi, char *buf, size_t len)
{
	char ka[16], kb[16], kc[16], f[64];
	bool since = r->since > pt_modelled[lo] && r->since <= pt_modelled[hi];

	pt_kv_text(pt_modelled[lo], ka, sizeof(ka));
	pt_kv_text(pt_modelled[hi], kb, sizeof(kb));
	pt_kv_text(since ? r->since : r->until, kc, sizeof(kc));
	pt_row_func(r, since ? hi : lo, f, sizeof(f));
	snprintf(buf, len, "the behaviour changed between %s and %s (%s, %s %s%s%s)", ka, kb, f,
		 since ? "since" : "until", kc, r->commit[0] ? ", commit " : "", r->commit);
}

void pt_prose_config_gap(const struct pt_row *r, size_t lo, const char *release, char *buf,
			 size_t len)
{
	char f[64];

	pt_row_func(r, lo, f, sizeof(f));
	snprintf(buf, len, "%s holds only where CONFIG_%s=y, and this kernel's config is not known "
		 "(no /proc/config.gz, no /boot/config-%s)", f, r->config, release);
}

void pt_prose_not_modelled(int ev, int p, uint64_t a, uint64_t touch, char *buf, size_t len)
{
	size_t n = strlen(buf);
	char words[300];

	pt_prose_atoms(a & ~A_TOUCH, words, sizeof(words));
	snprintf(buf + n, len - n, "%s%s %s on %s (%s)", n ? "; " : "", pt_revent_name(ev),
		 p ? "child" : "parent", words[0] ? words : "nothing known",
		 touch & A_TOUCH ? pt_atom_words(__builtin_ctzll(touch & A_TOUCH)) :
			       "where the event fell is not known");
}

void pt_explain_keep(struct pt_explain_build *b)
{
	struct pt_explain *e = b->e;

	e->text = pt_prose_kept(b->text);
	e->funcs = pt_prose_kept(b->funcs);
	e->state = pt_prose_kept(b->state);
	pt_explain_set_rows(e, b->rows, b->nr_rows, b->unexpected, b->nr_unexpected);
}

void pt_explain_rows_for(unsigned int kver, char *buf, size_t len)
{
	char a[16], b[16], k[16];
	size_t lo, hi;

	pt_kspan(kver, &lo, &hi);
	pt_kv_text(pt_modelled[lo], a, sizeof(a));
	pt_kv_text(pt_modelled[hi], b, sizeof(b));
	pt_kv_text(kver, k, sizeof(k));
	if (!kver)
		snprintf(buf, len, "rows from %s; this kernel's version is unknown", a);
	else if (lo != hi)
		snprintf(buf, len, "the rows for %s and %s that hold for both (%s is between them)",
			 a, b, k);
	else if (kver > pt_modelled[lo])
		snprintf(buf, len, "rows from %s; this kernel is newer", a);
	else if (kver < pt_modelled[lo])
		snprintf(buf, len, "rows from %s; this kernel is older", a);
	else
		snprintf(buf, len, "the rows for %s", a);
}

const char *pt_explain_value(const char *what, long v, char *buf, size_t len)
{
	if (v == PT_SEEN_NO_ENTRY)
		return "no entry";
	if (v == PT_VAL_SAME)
		return "as before";
	if (v == PT_VAL_CHANGED)
		return "a change";
	if (!strcmp(what, "level") && v >= 0 && v < PT_NR_LEVELS)
		return pt_level_name(v);
	if (!strcmp(what, "pfn"))
		snprintf(buf, len, "0x%lx", v);
	else
		snprintf(buf, len, "%ld", v);
	return buf;
}
