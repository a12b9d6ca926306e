// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <string.h>

#include "parseopt.h"

static size_t pt_opts_nr(const struct pt_opt *opts)
{
	size_t n = 0;

	while (opts[n].kind != PT_OPT_END)
		n++;
	return n;
}

/* "--name ARG" as messages show an option */
static const char *pt_opt_show(const struct pt_opt *o, char *buf, size_t len)
{
	if (o->kind == PT_OPT_ARG)
		snprintf(buf, len, "%s", o->arg);
	else if (o->name)
		snprintf(buf, len, "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
	else
		snprintf(buf, len, "-%c%s%s", o->short_name, o->arg ? " " : "", o->arg ? o->arg : "");
	return buf;
}

static int pt_opt_store(const struct pt_opt *o, const char *val, void *dst,
			struct pt_err *err)
{
	if (o->fn)
		return o->fn(val, dst, err);
	if (o->kind == PT_OPT_BOOL)
		*(bool *)((char *)dst + o->field) = true;
	else
		*(const char **)((char *)dst + o->field) = val;
	return 0;
}

/* the rows of @o's group given with it: "--a, --b and --c exclude each other" */
static int pt_opts_group(const struct pt_opt *opts, const struct pt_opt *o,
			 const struct pt_opts_seen *seen, struct pt_err *err)
{
	char msg[200];
	size_t i, n = 0, k = 0, nr = 0;

	for (i = 0; opts[i].kind != PT_OPT_END; i++)
		if (opts[i].group == o->group)
			nr++;
	for (i = 0; opts[i].kind != PT_OPT_END; i++) {
		if (opts[i].group != o->group)
			continue;
		n += snprintf(msg + n, sizeof(msg) - n, "%s--%s", !k ? "" : k + 1 == nr ? " and " : ", ",
			      opts[i].name);
		k++;
	}
	for (i = 0; opts[i].kind != PT_OPT_END; i++)
		if (&opts[i] != o && opts[i].group == o->group && seen->seen[i])
			return pt_err_set(err, PT_USAGE, "%s exclude each other", msg);
	return 0;
}

int pt_opts_parse(const struct pt_opt *opts, const char *what, int argc, char **argv,
		  void *dst, struct pt_opts_seen *seen, struct pt_err *err)
{
	size_t nr = pt_opts_nr(opts), i;
	bool dashdash = false;
	int a, ret;

	memset(seen, 0, sizeof(*seen));
	if (nr > PT_OPTS_MAX)
		return pt_err_set(err, PT_INTERNAL, "%s: too many options", what);
	for (a = 0; a < argc; a++) {
		const char *w = argv[a], *val = NULL, *eq;
		size_t len;

		if (dashdash || w[0] != '-' || !w[1]) {
			/* the next positional row not yet filled */
			for (i = 0; i < nr; i++)
				if (opts[i].kind == PT_OPT_ARG && !seen->seen[i])
					break;
			if (i == nr)
				return pt_err_set(err, PT_USAGE, "unexpected argument '%s'", w);
			seen->seen[i] = true;
			ret = pt_opt_store(&opts[i], w, dst, err);
			if (ret < 0)
				return ret;
			continue;
		}
		if (!strcmp(w, "--")) {
			dashdash = true;
			continue;
		}
		if (!strcmp(w, "--help") || !strcmp(w, "-h")) {
			seen->help = true;
			continue;
		}
		if (!strcmp(w, "--version") || !strcmp(w, "-V")) {
			seen->version = true;
			continue;
		}
		if (w[1] == '-') {
			eq = strchr(w + 2, '=');
			len = eq ? (size_t)(eq - (w + 2)) : strlen(w + 2);
			for (i = 0; i < nr; i++)
				if (opts[i].name && strlen(opts[i].name) == len &&
				    !strncmp(opts[i].name, w + 2, len))
					break;
			if (eq)
				val = eq + 1;
		} else {
			for (i = 0; i < nr; i++)
				if (opts[i].short_name && opts[i].short_name == w[1])
					break;
			/* -oCOLS */
			if (i < nr && w[2])
				val = w + 2;
		}
		if (i == nr || opts[i].kind == PT_OPT_ARG ||
		    (opts[i].kind == PT_OPT_BOOL && val))
			return pt_err_set(err, PT_USAGE, "unknown or incomplete option '%s'", w);
		if (opts[i].kind != PT_OPT_BOOL && !val) {
			if (a + 1 >= argc)
				return pt_err_set(err, PT_USAGE, "unknown or incomplete option '%s'", w);
			val = argv[++a];
		}
		seen->seen[i] = true;
		if (opts[i].group) {
			ret = pt_opts_group(opts, &opts[i], seen, err);
			if (ret < 0)
				return ret;
		}
		ret = pt_opt_store(&opts[i], val, dst, err);
		if (ret < 0)
			return ret;
	}
	return 0;
}

int pt_opts_required(const struct pt_opt *opts, const char *what,
		     const struct pt_opts_seen *seen, struct pt_err *err)
{
	char one[80], msg[200];
	bool any, form2 = false;
	size_t i, j, n;

	/* the second form is the one a row of its own was given for */
	for (i = 0; opts[i].kind != PT_OPT_END; i++)
		form2 |= seen->seen[i] && (opts[i].flags & PT_OPT_FORM2);
	for (i = 0; opts[i].kind != PT_OPT_END; i++) {
		if (!(opts[i].flags & PT_OPT_REQUIRED) || seen->seen[i])
			continue;
		if (((opts[i].flags & PT_OPT_FORM2) && !form2) ||
		    ((opts[i].flags & PT_OPT_FORM1) && form2))
			continue;
		if (!opts[i].group) {
			pt_opt_show(&opts[i], one, sizeof(one));
			if (!what)
				return pt_err_set(err, PT_USAGE, "%s is needed (try --help)", one);
			return pt_err_set(err, PT_USAGE, "%s needs %s", what, one);
		}
		/* a required group: one of its rows */
		any = false;
		n = 0;
		for (j = 0; opts[j].kind != PT_OPT_END; j++) {
			if (opts[j].group != opts[i].group)
				continue;
			any |= seen->seen[j];
			n += snprintf(msg + n, sizeof(msg) - n, "%s%s", n ? " or " : "",
				      pt_opt_show(&opts[j], one, sizeof(one)));
		}
		if (!any)
			return pt_err_set(err, PT_USAGE, "%s needs one of %s", what ? what : "ptinspect",
					  msg);
	}
	return 0;
}

/* ---- usage and synopsis ---- */

/*
 * A value as mdoc: choices "auto|always|never" as Cm auto | always | never,
 * a metavariable "START-END|NAME|all" as Ar start Ns - Ns Ar end | Ar name |
 * Cm all.
 */
static void pt_man_arg(FILE *f, const char *arg)
{
	bool prev_word = false;
	const char *p = arg;
	char tok[64];
	size_t len, i;

	while (*p) {
		len = strcspn(p, "|");
		snprintf(tok, sizeof(tok), "%.*s", (int)len, p);
		fputs(p == arg ? " " : " | ", f);
		if (islower((unsigned char)tok[0])) {
			fprintf(f, "%s%s", prev_word ? "" : "Cm ", tok);
			prev_word = true;
		} else {
			char *dash = strchr(tok, '-');

			for (i = 0; tok[i]; i++)
				tok[i] = (char)tolower((unsigned char)tok[i]);
			if (dash) {
				*dash = '\0';
				fprintf(f, "Ar %s Ns - Ns Ar %s", tok, dash + 1);
			} else {
				fprintf(f, "Ar %s", tok);
			}
			prev_word = false;
		}
		p += len + (p[len] == '|');
	}
}

/* an option as mdoc: Fl o , \-output Ar cols */
static void pt_man_opt(FILE *f, const struct pt_opt *o, bool line)
{
	const char *lead = line ? "." : " ";
	const char *p;

	if (o->kind == PT_OPT_ARG) {
		/* a word of its own (synopsis) or a metavariable */
		if (islower((unsigned char)o->arg[0])) {
			fprintf(f, "%sCm %s", lead, o->arg);
		} else {
			fprintf(f, "%sAr ", lead);
			for (p = o->arg; *p; p++)
				fputc(tolower((unsigned char)*p), f);
		}
		return;
	}
	if (o->short_name && !o->name) {
		fprintf(f, "%sFl %c", lead, o->short_name);
	} else {
		if (o->short_name)
			fprintf(f, "%sFl %c , \\-", lead, o->short_name);
		else
			fprintf(f, "%sFl \\-", lead);
		for (p = o->name; *p; p++)
			fprintf(f, *p == '-' ? "\\-" : "%c", *p);
	}
	if (o->arg)
		pt_man_arg(f, o->arg);
}

static bool pt_opt_in_form(const struct pt_opt *o, int form)
{
	if (o->flags & PT_OPT_HIDDEN)
		return false;
	if (o->flags & PT_OPT_FORM1)
		return form == 1;
	if (o->flags & PT_OPT_FORM2)
		return form == 2;
	return true;
}

/* one token of a usage line: "[--name ARG]", "(--a A | --b B)" */
static size_t pt_usage_token(char *buf, size_t len, const struct pt_opt *opts, size_t i,
			     int form, size_t *next)
{
	const struct pt_opt *o = &opts[i];
	bool req = o->flags & PT_OPT_REQUIRED, bracket = !req || o->group;
	size_t n = 0, j = i;
	char one[96];

	if (bracket)
		n += (size_t)snprintf(buf, len, "%c", req ? '(' : '[');
	do {
		const struct pt_opt *r = &opts[j];

		if (r->kind == PT_OPT_ARG)
			snprintf(one, sizeof(one), "%s", r->arg);
		else if (r->short_name && r->name)
			snprintf(one, sizeof(one), "-%c|--%s%s%s", r->short_name, r->name,
				 r->arg ? " " : "", r->arg ? r->arg : "");
		else
			pt_opt_show(r, one, sizeof(one));
		if (n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s", j == i ? "" : " | ", one);
		j++;
		while (opts[j].kind != PT_OPT_END && !pt_opt_in_form(&opts[j], form))
			j++;
	} while (o->group && opts[j].kind != PT_OPT_END && opts[j].group == o->group);
	*next = j;
	if (bracket && n < len)
		n += (size_t)snprintf(buf + n, len - n, "%c", req ? ')' : ']');
	return n < len ? n : len - 1;
}

static void pt_usage_form(FILE *f, const char *name, const struct pt_opt *opts, int form,
			  bool first, const char *note)
{
	size_t i = 0, next, col, indent = 17 + (name ? strlen(name) + 1 : 0);
	char tok[400];

	col = (size_t)fprintf(f, "%s ptinspect%s%s", first ? "usage:" : "      ",
			      name ? " " : "", name ? name : "");
	while (opts[i].kind != PT_OPT_END && !pt_opt_in_form(&opts[i], form))
		i++;
	while (opts[i].kind != PT_OPT_END) {
		size_t n = pt_usage_token(tok, sizeof(tok), opts, i, form, &next);

		if (col > indent && col + 1 + n > 80) {
			fprintf(f, "\n%*s%s", (int)indent, "", tok);
			col = indent + n;
		} else {
			col += (size_t)fprintf(f, " %s", tok);
		}
		i = next;
		while (opts[i].kind != PT_OPT_END && !pt_opt_in_form(&opts[i], form))
			i++;
	}
	if (note && *note)
		fprintf(f, "%*s%s", col < 32 ? (int)(32 - col) : 2, "", note);
	fputc('\n', f);
}

static void pt_man_form(FILE *f, const struct pt_opt *opts, int form)
{
	size_t i, j;

	for (i = 0; opts[i].kind != PT_OPT_END; i = j) {
		const struct pt_opt *o = &opts[i];
		bool req = o->flags & PT_OPT_REQUIRED;

		j = i + 1;
		if (!pt_opt_in_form(o, form))
			continue;
		/* a required row alone is its own macro line: .Fl \-pid Ar pid */
		fputs(req && o->group ? ".Pq" : req ? "" : ".Op", f);
		for (j = i; opts[j].kind != PT_OPT_END; j++) {
			if (j > i && (!o->group || opts[j].group != o->group))
				break;
			if (!pt_opt_in_form(&opts[j], form))
				continue;
			fputs(j > i ? " |" : "", f);
			pt_man_opt(f, &opts[j], req && !o->group);
		}
		fputc('\n', f);
	}
}

static bool pt_opts_two_forms(const struct pt_opt *opts)
{
	size_t i;

	for (i = 0; opts[i].kind != PT_OPT_END; i++)
		if (opts[i].flags & PT_OPT_FORM2)
			return true;
	return false;
}

void pt_opts_usage(FILE *f, const char *name, const struct pt_opt *opts, const char *note,
		   bool first, bool man)
{
	int form, forms = pt_opts_two_forms(opts) ? 2 : 1;

	for (form = 1; form <= forms; form++) {
		if (man) {
			fprintf(f, ".Nm\n");
			if (name)
				fprintf(f, ".Cm %s\n", name);
			pt_man_form(f, opts, form);
		} else {
			pt_usage_form(f, name, opts, form, first && form == 1,
				      form == 1 ? note : NULL);
		}
	}
}

void pt_opts_describe(FILE *f, const struct pt_opt *opts)
{
	char one[96];
	size_t i;

	for (i = 0; opts[i].kind != PT_OPT_END; i++) {
		const struct pt_opt *o = &opts[i];

		if ((o->flags & PT_OPT_HIDDEN) || !o->help)
			continue;
		if (o->kind == PT_OPT_ARG)
			snprintf(one, sizeof(one), "%s", o->arg);
		else if (o->short_name && o->name)
			snprintf(one, sizeof(one), "-%c, --%s%s%s", o->short_name, o->name,
				 o->arg ? " " : "", o->arg ? o->arg : "");
		else
			pt_opt_show(o, one, sizeof(one));
		fprintf(f, "    %-30s %s\n", one, o->help);
	}
}
