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

static const struct {
	const char *name, *args, *help;
	unsigned int flags;
} pt_cmds[] = {
#define PT_CMD_ROW(id, name, args, help, flags) { name, args, help, flags },
	PT_CMD_TABLE(PT_CMD_ROW)
#undef PT_CMD_ROW
};

const char *pt_cmd_name(enum pt_cmd_id id)
{
	return (unsigned int)id < PT_C_NR ? pt_cmds[id].name : "?";
}

const char *pt_cmd_args(enum pt_cmd_id id)
{
	return (unsigned int)id < PT_C_NR ? pt_cmds[id].args : "";
}

const char *pt_cmd_help(enum pt_cmd_id id)
{
	return (unsigned int)id < PT_C_NR ? pt_cmds[id].help : "";
}

unsigned int pt_cmd_flags(enum pt_cmd_id id)
{
	return (unsigned int)id < PT_C_NR ? pt_cmds[id].flags : 0;
}

static int pt_who_parse(const char *s, enum pt_who *who)
{
	if (!strcmp(s, "parent") || !strcmp(s, "p"))
		*who = PT_WHO_PARENT;
	else if (!strcmp(s, "child") || !strcmp(s, "c"))
		*who = PT_WHO_CHILD;
	else
		return -EINVAL;
	return 0;
}

static int pt_num(const char *s, long long *v)
{
	char *end;

	if (!*s)
		return -EINVAL;
	errno = 0;
	*v = strtoll(s, &end, 0);
	return errno || *end ? -EINVAL : 0;
}

static const char *const pt_advices[] = {
	"dontneed", "collapse", "pageout", "hugepage", "nohugepage",
	"mergeable", NULL,
};

int pt_cmd_parse(const char *line, struct pt_cmd *c, struct pt_err *err)
{
	char w[4][64];
	long long v;
	int n, i;

	memset(c, 0, sizeof(*c));
	c->num = -1;
	while (isspace((unsigned char)*line))
		line++;
	snprintf(c->text, sizeof(c->text), "%s", line);
	for (i = strlen(c->text); i > 0 && isspace((unsigned char)c->text[i - 1]); i--)
		c->text[i - 1] = '\0';
	n = sscanf(line, "%63s %63s %63s %63s", w[0], w[1], w[2], w[3]);
	if (n < 1)
		return pt_err_set(err, PT_USAGE, "empty command");
	for (i = 0; i < PT_C_NR; i++)
		if (!strcmp(w[0], pt_cmds[i].name))
			break;
	if (i == PT_C_NR)
		return pt_err_set(err, PT_USAGE, "unknown command '%s' (try help)", w[0]);
	c->id = i;
	switch (c->id) {
	case PT_C_WRITE:
	case PT_C_READ:
		if (n < 2 || n > 3 || pt_who_parse(w[1], &c->who))
			goto usage;
		if (n == 3) {
			if (pt_num(w[2][0] == '+' ? w[2] + 1 : w[2], &v) || v < 0)
				goto usage;
			c->off = (uint64_t)v;
		}
		return 0;
	case PT_C_EXIT:
		if (n != 2 || pt_who_parse(w[1], &c->who) || c->who != PT_WHO_CHILD)
			goto usage;
		return 0;
	case PT_C_MADVISE:
	case PT_C_MPROTECT:
		if (n < 2 || n > 3 || (n == 3 && pt_who_parse(w[2], &c->who)))
			goto usage;
		if (c->id == PT_C_MPROTECT && strcmp(w[1], "ro") && strcmp(w[1], "rw"))
			goto usage;
		if (c->id == PT_C_MADVISE) {
			for (i = 0; pt_advices[i] && strcmp(pt_advices[i], w[1]); i++)
				;
			if (!pt_advices[i])
				goto usage;
		}
		snprintf(c->arg, sizeof(c->arg), "%s", w[1]);
		return 0;
	case PT_C_CLEAR_SOFT_DIRTY:
	case PT_C_PIN:
	case PT_C_UNPIN:
	case PT_C_GUARD:
	case PT_C_UNGUARD:
		if (n > 2 || (n == 2 && pt_who_parse(w[1], &c->who)))
			goto usage;
		return 0;
	case PT_C_WAIT:
		if (n != 2 || pt_num(w[1], &v) || v < 0 || v > 600000)
			goto usage;
		c->num = (long)v;
		return 0;
	case PT_C_ADDR:
	case PT_C_KIND:
		if (n != 2)
			goto usage;
		if (c->id == PT_C_KIND) {
			enum pt_lab_kind k;

			if (pt_lab_kind_parse(w[1], &k))
				return pt_err_set(err, PT_USAGE, "unknown kind '%s'", w[1]);
		}
		snprintf(c->arg, sizeof(c->arg), "%s", w[1]);
		return 0;
	case PT_C_CHILD:
		if (n != 2)
			goto usage;
		if (!strcmp(w[1], "next"))
			c->num = 0;
		else if (pt_num(w[1], &v) || v < 1 || v > INT_MAX)
			goto usage;
		else
			c->num = (long)v;
		return 0;
	case PT_C_MAPS:
		if (n == 3 && !strcmp(w[1], "sort") && pt_vmalist_sort_parse(w[2]) >= 0) {
			snprintf(c->arg, sizeof(c->arg), "%s", w[2]);
			return 0;
		}
		if (n > 2)
			goto usage;
		if (n == 2 && !strcmp(w[1], "close"))
			c->num = 0;
		else if (n == 2 && (pt_num(w[1], &v) || v < 1 || v > 1000000))
			goto usage;
		else if (n == 2)
			c->num = (long)v;
		return 0;
	case PT_C_STEP:
		if (n == 2 && !strcmp(w[1], "last")) {
			c->num = PT_STEP_LAST;
			return 0;
		}
		if (n > 2 || (n == 2 && (pt_num(w[1], &v) || v < 1 || v > 1000000)))
			goto usage;
		if (n == 2)
			c->num = (long)v;
		return 0;
	case PT_C_SCREEN: {
		int cols, rows;

		c->num = 0;
		for (i = 1; i < n; i++) {
			if (!strcmp(w[i], "stable") && !c->num)
				c->num = 1;
			else if (!c->arg[0] && !pt_screen_size_parse(w[i], &cols, &rows))
				snprintf(c->arg, sizeof(c->arg), "%s", w[i]);
			else
				goto usage;
		}
		return 0;
	}
	default:
		if (n != 1)
			goto usage;
		return 0;
	}
usage:
	return pt_err_set(err, PT_USAGE, "usage: %s %s", pt_cmds[c->id].name,
			  pt_cmds[c->id].args);
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
	static const char *names[PT_C_NR + 1];
	static const char *const who[] = { "parent", "child", NULL };
	static const char *const prot[] = { "ro", "rw", NULL };
	static const char *const last[] = { "last", NULL };
	static const char *const maps[] = { "close", "sort", NULL };
	static const char *sorts[PT_VL_SORT_NR + 1];
	static const char *kinds[PT_LAB_NR_KINDS + 1];
	char first[32] = "";
	int i, words = 0;
	const char *p;

	for (p = line; *p;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		words++;
		p += strcspn(p, " ");
	}
	/* a word being typed is not a finished one */
	if (*line && line[strlen(line) - 1] != ' ')
		words--;
	sscanf(line, "%31s", first);
	if (words <= 0) {
		for (i = 0; i < PT_C_NR; i++)
			names[i] = pt_cmds[i].name;
		names[PT_C_NR] = NULL;
		return names;
	}
	if (words == 1) {
		if (!strcmp(first, "write") || !strcmp(first, "read") ||
		    !strcmp(first, "clear-soft-dirty") || !strcmp(first, "pin") ||
		    !strcmp(first, "unpin"))
			return who;
		if (!strcmp(first, "exit"))
			return who + 1;
		if (!strcmp(first, "madvise"))
			return pt_advices;
		if (!strcmp(first, "mprotect"))
			return prot;
		if (!strcmp(first, "step"))
			return last;
		if (!strcmp(first, "maps"))
			return maps;
		if (!strcmp(first, "kind")) {
			for (i = 0; i < PT_LAB_NR_KINDS; i++)
				kinds[i] = pt_lab_kind_name(i);
			kinds[PT_LAB_NR_KINDS] = NULL;
			return kinds;
		}
	}
	if (words == 2 && (!strcmp(first, "madvise") || !strcmp(first, "mprotect")))
		return who;
	if (words == 2 && !strcmp(first, "maps") && strstr(line, " sort")) {
		for (i = 0; i < PT_VL_SORT_NR; i++)
			sorts[i] = pt_vmalist_sort_name(i);
		sorts[PT_VL_SORT_NR] = NULL;
		return sorts;
	}
	return who + 2;	/* nothing */
}
