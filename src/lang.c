// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang.h"
#include "termsize.h"
#include "subject.h"
#include "vmalist.h"

#define PT_MAX_ARGS 4

static const struct pt_cmd_row {
	const char *name, *help, *line;
	unsigned int flags;
	enum pt_args_form form;
	struct pt_arg args[PT_MAX_ARGS];
	int nr_args;
} pt_cmds[] = {
#define PT_CMD_ROW(id, name, flags, form, help, line, ...)                             \
	{ name, help, line, flags, PT_ARGS_##form, { __VA_ARGS__ },                       \
	  (int)(sizeof((struct pt_arg[]){ { 0 }, __VA_ARGS__ }) / sizeof(struct pt_arg)) - 1 },
	PT_CMD_TABLE(PT_CMD_ROW)
#undef PT_CMD_ROW
};

const char *pt_cmd_name(enum pt_cmd_id id)
{
	return (unsigned int)id < PT_C_NR ? pt_cmds[id].name : "?";
}

const char *pt_cmd_help(enum pt_cmd_id id)
{
	return (unsigned int)id < PT_C_NR ? pt_cmds[id].help : "";
}

const char *pt_cmd_line(enum pt_cmd_id id)
{
	return (unsigned int)id < PT_C_NR ? pt_cmds[id].line : NULL;
}

unsigned int pt_cmd_flags(enum pt_cmd_id id)
{
	return (unsigned int)id < PT_C_NR ? pt_cmds[id].flags : 0;
}

/* ---- the values of an argument kind: help and completion read them ---- */

static const char *const pt_who_words[] = { "parent", "child", NULL };
static const char *const pt_prot_words[] = { "ro", "rw", NULL };
static const char *const pt_sort_word[] = { "sort", NULL };

/* The values of @a, NULL-terminated into @buf (room for @nr), or NULL. */
static const char *const *pt_arg_values(const struct pt_arg *a, const char **buf, int nr)
{
	int i, n = 0;

	switch (a->kind) {
	case PT_ARG_WHO:
		return pt_who_words;
	case PT_ARG_CHILD:
		return pt_who_words + 1;
	case PT_ARG_PROT:
		return pt_prot_words;
	case PT_ARG_SORT:
		return pt_sort_word;
	case PT_ARG_WORD:
		buf[n++] = a->name;
		break;
	case PT_ARG_ADVICE:
		for (i = 0; i < PT_LAB_NR_ADVICES && n < nr - 1; i++)
			buf[n++] = pt_lab_advice_name(i);
		break;
	case PT_ARG_KIND:
		for (i = 0; i < PT_LAB_NR_KINDS && n < nr - 1; i++)
			buf[n++] = pt_lab_kind_name(i);
		break;
	default:
		return NULL;
	}
	buf[n] = NULL;
	return buf;
}

/* How help shows @a: its values joined by '|', or its metavariable. */
static void pt_arg_show(const struct pt_arg *a, char *buf, size_t len)
{
	const char *vals[PT_LAB_NR_KINDS + PT_LAB_NR_ADVICES + 2];
	const char *const *v = pt_arg_values(a, vals, (int)(sizeof(vals) / sizeof(vals[0])));
	size_t n = 0;

	buf[0] = '\0';
	/* the kinds have a list of their own in help */
	if (a->kind == PT_ARG_SORT || a->kind == PT_ARG_KIND) {
		snprintf(buf, len, "%s", a->kind == PT_ARG_SORT ? "sort KEY" : "KIND");
		return;
	}
	if (!v) {
		snprintf(buf, len, "%s", a->kind == PT_ARG_OFFSET ? "OFFSET" :
			 a->kind == PT_ARG_ADDR ? "ADDR|+OFFSET" :
			 a->kind == PT_ARG_SIZE ? "COLSxROWS" : a->name);
		return;
	}
	for (; *v && n < len; v++)
		n += snprintf(buf + n, len - n, "%s%s", n ? "|" : "", *v);
}

const char *pt_cmd_args(enum pt_cmd_id id)
{
	static char out[PT_C_NR][96];
	const struct pt_cmd_row *r;
	char one[80];
	size_t n = 0;
	int i;

	if ((unsigned int)id >= PT_C_NR)
		return "";
	r = &pt_cmds[id];
	if (out[id][0] || !r->nr_args)
		return out[id];
	if (r->form == PT_ARGS_ONE) {
		/* one of them: "[N|close|sort KEY]", "PID|next" */
		for (i = 0; i < r->nr_args; i++) {
			pt_arg_show(&r->args[i], one, sizeof(one));
			n += snprintf(out[id] + n, sizeof(out[id]) - n, "%s%s",
				      i ? "|" : r->args[0].optional ? "[" : "", one);
		}
		if (r->args[0].optional)
			snprintf(out[id] + n, sizeof(out[id]) - n, "]");
		return out[id];
	}
	for (i = 0; i < r->nr_args && n < sizeof(out[id]); i++) {
		pt_arg_show(&r->args[i], one, sizeof(one));
		n += snprintf(out[id] + n, sizeof(out[id]) - n, "%s%s%s%s", i ? " " : "",
			      r->args[i].optional ? "[" : "", one,
			      r->args[i].optional ? "]" : "");
	}
	return out[id];
}

/* ---- parsing: each word once, into the field its argument names ---- */

static int pt_num(const char *s, long long *v)
{
	char *end;

	if (!*s || *s == '-')
		return -EINVAL;
	errno = 0;
	*v = strtoll(s, &end, 0);
	return errno || *end ? -EINVAL : 0;
}

static int pt_word_index(const char *w, const char *const *words)
{
	int i;

	for (i = 0; words[i]; i++)
		if (!strcmp(w, words[i]))
			return i;
	return -1;
}

/*
 * Whether @a takes @w (and, for "sort KEY", @next): 0 and the value stored
 * into @c; -EINVAL when it does not; -ENOENT with @err set when it is the
 * argument but its value is not one the program knows (a kind).
 * *@used: the words taken.
 */
static int pt_arg_value(const struct pt_arg *a, const char *w, const char *next,
			struct pt_cmd *c, int *used, struct pt_err *err)
{
	long long v;
	int i, cols, rows;

	*used = 1;
	switch (a->kind) {
	case PT_ARG_WHO:
	case PT_ARG_CHILD:
		if (!strcmp(w, "parent") || !strcmp(w, "p"))
			c->who = PT_WHO_PARENT;
		else if (!strcmp(w, "child") || !strcmp(w, "c"))
			c->who = PT_WHO_CHILD;
		else
			return -EINVAL;
		return a->kind == PT_ARG_CHILD && c->who != PT_WHO_CHILD ? -EINVAL : 0;
	case PT_ARG_OFFSET:
		if (pt_num(w[0] == '+' ? w + 1 : w, &v))
			return -EINVAL;
		c->off = (uint64_t)v;
		return 0;
	case PT_ARG_ADVICE:
		for (i = 0; i < PT_LAB_NR_ADVICES; i++)
			if (!strcmp(w, pt_lab_advice_name(i))) {
				c->advice = i;
				return 0;
			}
		return -EINVAL;
	case PT_ARG_PROT:
		i = pt_word_index(w, pt_prot_words);
		if (i < 0)
			return -EINVAL;
		c->prot = i;
		return 0;
	case PT_ARG_KIND:
		if (pt_lab_kind_parse(w, &c->kind)) {
			pt_err_set(err, PT_USAGE, "unknown kind '%s'", w);
			return -ENOENT;
		}
		return 0;
	case PT_ARG_ADDR:
		/* +OFFSET is from the region; an expression needs the maps */
		if (w[0] == '+') {
			if (pt_num(w + 1, &v))
				return -EINVAL;
			c->rel = true;
			c->base_off = (uint64_t)v;
		} else if (strlen(w) >= sizeof(c->addr)) {
			return -EINVAL;
		}
		snprintf(c->addr, sizeof(c->addr), "%s", w);
		return 0;
	case PT_ARG_COUNT:
		if (pt_num(w, &v) || v < a->min || v > a->max)
			return -EINVAL;
		*(long *)((char *)c + a->field) = (long)v;
		return 0;
	case PT_ARG_WORD:
		if (strcmp(w, a->name))
			return -EINVAL;
		*(bool *)((char *)c + a->field) = true;
		return 0;
	case PT_ARG_SORT:
		if (strcmp(w, "sort") || !next || pt_vmalist_sort_parse(next) < 0)
			return -EINVAL;
		c->sort = pt_vmalist_sort_parse(next);
		*used = 2;
		return 0;
	case PT_ARG_SIZE:
		if (pt_screen_size_parse(w, &cols, &rows))
			return -EINVAL;
		c->cols = cols;
		c->rows = rows;
		return 0;
	}
	return -EINVAL;
}

static int pt_arg_take(const struct pt_arg *a, const char *w, const char *next,
		       struct pt_cmd *c, int *used, struct pt_err *err)
{
	int ret = pt_arg_value(a, w, next, c, used, err);

	/* the argument as typed, as recordings keep it */
	if (ret || (a->kind != PT_ARG_ADVICE && a->kind != PT_ARG_PROT && a->kind != PT_ARG_KIND &&
		    a->kind != PT_ARG_ADDR && a->kind != PT_ARG_SIZE && a->kind != PT_ARG_SORT))
		return ret;
	if (w != c->arg)
		snprintf(c->arg, sizeof(c->arg), "%s", a->kind == PT_ARG_SORT ? next : w);
	return 0;
}

/*
 * Matches @nw words against @r's arguments, filling @c; @done[i] says
 * which arguments took a word, *@pos where the next one would go.  With
 * @partial, arguments still missing are no error (completion).  0,
 * -EINVAL (not the row's form), or -ENOENT with @err set.
 */
static int pt_args_match(const struct pt_cmd_row *r, char (*w)[64], int nw,
			 struct pt_cmd *c, bool *done, int *pos, bool partial,
			 struct pt_err *err)
{
	int i = 0, a, used, ret;

	*pos = 0;
	for (a = 0; a < r->nr_args; a++)
		done[a] = false;
	while (i < nw) {
		ret = -EINVAL;
		for (a = r->form == PT_ARGS_SEQ ? *pos : 0; a < r->nr_args; a++) {
			if (done[a])
				continue;
			ret = pt_arg_take(&r->args[a], w[i], i + 1 < nw ? w[i + 1] : NULL, c,
					  &used, err);
			if (ret != -EINVAL)
				break;
			/* in order, a required argument is not skipped */
			if (r->form == PT_ARGS_SEQ && !r->args[a].optional)
				break;
		}
		if (ret < 0)
			return ret;
		done[a] = true;
		*pos = a + 1;
		i += used;
		if (r->form == PT_ARGS_ONE && i < nw)
			return -EINVAL;
	}
	if (partial)
		return 0;
	for (a = 0; a < r->nr_args; a++)
		/* ONE: any one of its alternatives will do */
		if (!done[a] && !r->args[a].optional && (r->form != PT_ARGS_ONE || !*pos))
			return -EINVAL;
	return 0;
}

static void pt_cmd_clear(struct pt_cmd *c)
{
	memset(c, 0, sizeof(*c));
	c->sort = -1;
}

/* the words of @line after the command name: at most @max, -1 beyond */
static int pt_split(const char *line, char (*w)[64], int max)
{
	int n = 0;
	size_t len;

	for (;;) {
		while (isspace((unsigned char)*line))
			line++;
		if (!*line)
			return n;
		if (n == max)
			return -1;
		len = strcspn(line, " \t\r\n");
		snprintf(w[n++], 64, "%.*s", (int)(len < 63 ? len : 63), line);
		line += len;
	}
}

int pt_cmd_parse(const char *line, struct pt_cmd *c, struct pt_err *err)
{
	char w[PT_MAX_ARGS + 2][64];
	bool done[PT_MAX_ARGS];
	int n, i, pos, ret;

	pt_cmd_clear(c);
	while (isspace((unsigned char)*line))
		line++;
	snprintf(c->text, sizeof(c->text), "%s", line);
	for (i = strlen(c->text); i > 0 && isspace((unsigned char)c->text[i - 1]); i--)
		c->text[i - 1] = '\0';
	n = pt_split(line, w, PT_MAX_ARGS + 2);
	if (n == 0)
		return pt_err_set(err, PT_USAGE, "empty command");
	for (i = 0; i < PT_C_NR; i++)
		if (!strcmp(w[0], pt_cmds[i].name))
			break;
	if (i == PT_C_NR)
		return pt_err_set(err, PT_USAGE, "unknown command '%s' (try help)", w[0]);
	c->id = i;
	ret = n < 0 ? -EINVAL : pt_args_match(&pt_cmds[i], w + 1, n - 1, c, done, &pos, false, err);
	if (ret == -ENOENT)
		return -PT_USAGE;
	if (ret < 0)
		return pt_err_set(err, PT_USAGE, "usage: %s %s", pt_cmds[i].name,
				  pt_cmd_args(i));
	return 0;
}

long pt_cmd_num(const struct pt_cmd *c)
{
	return c->id == PT_C_WAIT ? c->ms : -1;
}

int pt_cmd_retype(struct pt_cmd *c, long num, struct pt_err *err)
{
	const struct pt_cmd_row *r;
	char arg[sizeof(c->arg)];
	int used, ret;

	if ((unsigned int)c->id >= PT_C_NR)
		return pt_err_set(err, PT_USAGE, "no such command");
	r = &pt_cmds[c->id];
	c->sort = -1;
	if (c->id == PT_C_WAIT) {
		c->ms = num;
		return 0;
	}
	if (!r->nr_args || !c->arg[0])
		return 0;
	switch (r->args[0].kind) {
	case PT_ARG_ADVICE:
	case PT_ARG_PROT:
	case PT_ARG_KIND:
	case PT_ARG_ADDR:
		snprintf(arg, sizeof(arg), "%s", c->arg);
		ret = pt_arg_take(&r->args[0], arg, NULL, c, &used, err);
		if (ret == -ENOENT)
			return -PT_USAGE;
		if (ret < 0)
			return pt_err_set(err, PT_USAGE, "%s: unreadable argument '%s'",
					  r->name, arg);
		return 0;
	default:
		return 0;
	}
}

bool pt_cmd_next(const char **script, char *line, size_t len)
{
	const char *p = *script;
	size_t n;

	while (*p) {
		n = strcspn(p, ";\n");
		snprintf(line, len, "%.*s", (int)(n < len ? n : len - 1), p);
		p += n;
		if (*p)
			p++;
		line[strcspn(line, "#")] = '\0';
		if (strspn(line, " \t\r") != strlen(line)) {
			*script = p;
			return true;
		}
	}
	*script = p;
	return false;
}

int pt_cmd_foreach(const char *script, int (*fn)(const char *line, void *arg),
		   void *arg)
{
	char line[256];
	int ret;

	while (pt_cmd_next(&script, line, sizeof(line))) {
		ret = fn(line, arg);
		if (ret)
			return ret;
	}
	return 0;
}

const char *const *pt_cmd_words(const char *line)
{
	static const char *out[PT_C_NR + PT_LAB_NR_KINDS + PT_VL_SORT_NR + 8];
	const char *vals[PT_LAB_NR_KINDS + PT_LAB_NR_ADVICES + 2];
	const int room = (int)(sizeof(out) / sizeof(out[0])) - 1;
	const char *const *v;
	const struct pt_cmd_row *r;
	char w[PT_MAX_ARGS + 2][64];
	bool done[PT_MAX_ARGS];
	struct pt_cmd c;
	struct pt_err err;
	int n, i, a, pos, nr = 0;

	out[0] = NULL;
	n = pt_split(line, w, PT_MAX_ARGS + 2);
	if (n < 0)
		return out;
	/* a word being typed is not a finished one */
	if (n > 0 && !isspace((unsigned char)line[strlen(line) - 1]))
		n--;
	if (n <= 0) {
		for (i = 0; i < PT_C_NR; i++)
			out[nr++] = pt_cmds[i].name;
		out[nr] = NULL;
		return out;
	}
	for (i = 0; i < PT_C_NR && strcmp(w[0], pt_cmds[i].name); i++)
		;
	if (i == PT_C_NR)
		return out;
	r = &pt_cmds[i];
	pt_cmd_clear(&c);
	/* "maps sort ": the keys of the argument that "sort" began */
	for (a = 0; a < r->nr_args && r->args[a].kind != PT_ARG_SORT; a++)
		;
	if (a < r->nr_args && !strcmp(w[n - 1], "sort") &&
	    pt_args_match(r, w + 1, n - 2, &c, done, &pos, true, &err) == 0 && !done[a] &&
	    (r->form != PT_ARGS_ONE || n == 2)) {
		for (i = 0; i < PT_VL_SORT_NR; i++)
			out[nr++] = pt_vmalist_sort_name(i);
		out[nr] = NULL;
		return out;
	}
	/* the words typed must be the row's for anything to follow */
	if (pt_args_match(r, w + 1, n - 1, &c, done, &pos, true, &err) < 0 ||
	    (r->form == PT_ARGS_ONE && n > 1))
		return out;
	for (a = r->form == PT_ARGS_SEQ ? pos : 0; a < r->nr_args; a++) {
		if (done[a])
			continue;
		v = pt_arg_values(&r->args[a], vals, (int)(sizeof(vals) / sizeof(vals[0])));
		for (; v && *v && nr < room; v++)
			out[nr++] = *v;
		if (r->form == PT_ARGS_SEQ && !r->args[a].optional)
			break;
	}
	out[nr] = NULL;
	return out;
}
