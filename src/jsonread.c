// SPDX-License-Identifier: GPL-2.0
/* JSON lines read back: the parser and the typed getters (jsonread.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "jsonread.h"

struct pt_jp {
	const char *p, *end;
	int depth;
	const char *why;
};

#define PT_STR_(x) #x
#define PT_STR(x) PT_STR_(x)

void pt_jv_free(struct pt_jv *v)
{
	size_t i;

	for (i = 0; i < v->nr; i++)
		pt_jv_free(&v->kids[i]);
	free(v->kids);
	free(v->str);
	free(v->key);
	memset(v, 0, sizeof(*v));
}

static void pt_jp_ws(struct pt_jp *jp)
{
	while (jp->p < jp->end && (*jp->p == ' ' || *jp->p == '\t' || *jp->p == '\r'))
		jp->p++;
}

static int pt_jp_fail(struct pt_jp *jp, const char *why)
{
	if (!jp->why)
		jp->why = why;
	return -1;
}

static int pt_jp_hex4(struct pt_jp *jp, unsigned int *u)
{
	int i;

	*u = 0;
	for (i = 0; i < 4; i++, jp->p++) {
		char c = jp->p < jp->end ? *jp->p : 0;

		*u <<= 4;
		if (c >= '0' && c <= '9')
			*u |= (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*u |= (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*u |= (unsigned int)(c - 'A' + 10);
		else
			return pt_jp_fail(jp, "bad \\u escape");
	}
	return 0;
}

static int pt_jp_string(struct pt_jp *jp, char **out)
{
	size_t cap = 32, n = 0;
	char *s = malloc(cap);
	unsigned int u;

	if (!s)
		return pt_jp_fail(jp, "out of memory");
	jp->p++;	/* the quote */
	for (;;) {
		unsigned char c;

		if (jp->p >= jp->end)
			goto out_bad;
		c = (unsigned char)*jp->p++;
		if (c == '"')
			break;
		if (c < 0x20)
			goto out_bad;
		if (n + 4 >= cap) {
			char *more = realloc(s, cap * 2);

			if (!more)
				goto out_bad;
			s = more;
			cap *= 2;
		}
		if (c != '\\') {
			s[n++] = (char)c;
			continue;
		}
		if (jp->p >= jp->end)
			goto out_bad;
		c = (unsigned char)*jp->p++;
		switch (c) {
		case '"': case '\\': case '/':
			s[n++] = (char)c;
			break;
		case 'n': s[n++] = '\n'; break;
		case 't': s[n++] = '\t'; break;
		case 'r': s[n++] = '\r'; break;
		case 'b': s[n++] = '\b'; break;
		case 'f': s[n++] = '\f'; break;
		case 'u':
			if (pt_jp_hex4(jp, &u))
				goto out_bad;
			/* the writer escapes control characters only */
			if (u >= 0x80 || u == 0)
				goto out_bad;
			s[n++] = (char)u;
			break;
		default:
			goto out_bad;
		}
	}
	s[n] = '\0';
	/*
	 * what a replay prints must not drive the terminal: the writer's
	 * strings were escaped when they were read (pt_escape())
	 */
	if (pt_escape_needed(s, PT_ESC_KEEP_TAB | PT_ESC_KEEP_BACKSLASH)) {
		free(s);
		return pt_jp_fail(jp, "a control character or a byte that is not UTF-8 in a string");
	}
	*out = s;
	return 0;
out_bad:
	free(s);
	return pt_jp_fail(jp, "bad string");
}

static int pt_jp_value(struct pt_jp *jp, struct pt_jv *v);

static int pt_jp_add(struct pt_jp *jp, struct pt_jv *v, size_t *cap)
{
	if (v->nr >= PT_JR_MAX_MEMBERS)
		return pt_jp_fail(jp, "more than " PT_STR(PT_JR_MAX_MEMBERS) " members");
	if (v->nr == *cap) {
		size_t c = *cap ? *cap * 2 : 8;
		struct pt_jv *k = realloc(v->kids, c * sizeof(*k));

		if (!k)
			return pt_jp_fail(jp, "out of memory");
		v->kids = k;
		*cap = c;
	}
	memset(&v->kids[v->nr], 0, sizeof(v->kids[0]));
	return 0;
}

static int pt_jp_container(struct pt_jp *jp, struct pt_jv *v, bool obj)
{
	char close = obj ? '}' : ']';
	size_t cap = 0;

	v->t = obj ? PT_J_OBJ : PT_J_ARR;
	if (++jp->depth > PT_JR_MAX_DEPTH)
		return pt_jp_fail(jp, "nested too deep");
	jp->p++;
	pt_jp_ws(jp);
	if (jp->p < jp->end && *jp->p == close) {
		jp->p++;
		jp->depth--;
		return 0;
	}
	for (;;) {
		struct pt_jv *k;
		char *key = NULL;

		pt_jp_ws(jp);
		if (obj) {
			if (jp->p >= jp->end || *jp->p != '"' || pt_jp_string(jp, &key))
				return pt_jp_fail(jp, "expected a key");
			pt_jp_ws(jp);
			if (jp->p >= jp->end || *jp->p != ':') {
				free(key);
				return pt_jp_fail(jp, "expected ':'");
			}
			jp->p++;
		}
		if (pt_jp_add(jp, v, &cap)) {
			free(key);
			return -1;
		}
		k = &v->kids[v->nr++];
		k->key = key;
		if (pt_jp_value(jp, k))
			return -1;
		pt_jp_ws(jp);
		if (jp->p < jp->end && *jp->p == ',') {
			jp->p++;
			continue;
		}
		if (jp->p < jp->end && *jp->p == close) {
			jp->p++;
			jp->depth--;
			return 0;
		}
		return pt_jp_fail(jp, obj ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static int pt_jp_value(struct pt_jp *jp, struct pt_jv *v)
{
	pt_jp_ws(jp);
	if (jp->p >= jp->end)
		return pt_jp_fail(jp, "unexpected end of line");
	switch (*jp->p) {
	case '{':
		return pt_jp_container(jp, v, true);
	case '[':
		return pt_jp_container(jp, v, false);
	case '"':
		v->t = PT_J_STR;
		return pt_jp_string(jp, &v->str);
	case 't':
	case 'f':
	case 'n': {
		static const char *const words[] = { "true", "false", "null" };
		size_t i, l;

		for (i = 0; i < 3; i++) {
			l = strlen(words[i]);
			if ((size_t)(jp->end - jp->p) >= l && !memcmp(jp->p, words[i], l)) {
				jp->p += l;
				v->t = i == 2 ? PT_J_NULL : PT_J_BOOL;
				v->b = i == 0;
				return 0;
			}
		}
		return pt_jp_fail(jp, "unknown word");
	}
	default: {
		uint64_t n = 0;
		bool digits = false;

		v->t = PT_J_NUM;
		if (*jp->p == '-') {
			v->neg = true;
			jp->p++;
		}
		while (jp->p < jp->end && *jp->p >= '0' && *jp->p <= '9') {
			unsigned int d = (unsigned int)(*jp->p++ - '0');

			if (n > (UINT64_MAX - d) / 10)
				return pt_jp_fail(jp, "number too large");
			n = n * 10 + d;
			digits = true;
		}
		if (!digits)
			return pt_jp_fail(jp, "unexpected character");
		v->num = n;
		return 0;
	}
	}
}

int pt_jv_parse_object(const char *p, const char *end, struct pt_jv *v,
		       struct pt_jr_err *e)
{
	struct pt_jp jp = { .p = p, .end = end };

	memset(v, 0, sizeof(*v));
	if (end - p > PT_JR_MAX_LINE)
		pt_jp_fail(&jp, "longer than " PT_STR(PT_JR_MAX_LINE) " bytes");
	else if (pt_jp_value(&jp, v) == 0 && v->t != PT_J_OBJ)
		pt_jp_fail(&jp, "not an object");
	pt_jp_ws(&jp);
	if (!jp.why && jp.p != jp.end)
		pt_jp_fail(&jp, "text after the object");
	e->why = jp.why;
	e->col = (size_t)(jp.p - p) + 1;
	return jp.why ? -1 : 0;
}

bool pt_jv_has(const struct pt_jv *o, const char *key)
{
	size_t i;

	for (i = 0; o && o->t == PT_J_OBJ && i < o->nr; i++)
		if (!strcmp(o->kids[i].key, key))
			return true;
	return false;
}

const struct pt_jv *pt_rd_get(struct pt_rd *rd, const struct pt_jv *o,
			      const char *key, enum pt_jt t, bool null_ok)
{
	size_t i;

	if (rd->why[0])
		return NULL;
	if (o && o->t == PT_J_OBJ)
		for (i = 0; i < o->nr; i++)
			if (!strcmp(o->kids[i].key, key)) {
				if (o->kids[i].t == t)
					return &o->kids[i];
				if (null_ok && o->kids[i].t == PT_J_NULL)
					return NULL;
				/* numbers above 2^53 are written as "0x..." */
				if (t == PT_J_NUM && o->kids[i].t == PT_J_STR)
					return &o->kids[i];
				break;
			}
	snprintf(rd->why, sizeof(rd->why), "missing or mistyped \"%s\"", key);
	return NULL;
}

uint64_t pt_rd_num(const struct pt_jv *v, struct pt_rd *rd, const char *key)
{
	char *end;
	uint64_t n;

	if (!v)
		return 0;
	if (v->t == PT_J_NUM)
		return v->neg ? -v->num : v->num;
	errno = 0;
	n = strtoull(v->str, &end, 16);
	if (strncmp(v->str, "0x", 2) || *end || errno || v->str[2] == '\0' ||
	    strchr(v->str, '-') || strchr(v->str, ' ') || strchr(v->str, '+')) {
		if (!rd->why[0])
			snprintf(rd->why, sizeof(rd->why), "bad number in \"%s\"", key);
		return 0;
	}
	return n;
}

uint64_t pt_rd_u64(struct pt_rd *rd, const struct pt_jv *o, const char *key)
{
	const struct pt_jv *v = pt_rd_get(rd, o, key, PT_J_NUM, false);

	if (v && v->t == PT_J_NUM && v->neg) {
		snprintf(rd->why, sizeof(rd->why), "negative \"%s\"", key);
		return 0;
	}
	return pt_rd_num(v, rd, key);
}

int64_t pt_rd_i64(struct pt_rd *rd, const struct pt_jv *o, const char *key,
		  int64_t min, int64_t max)
{
	const struct pt_jv *v = pt_rd_get(rd, o, key, PT_J_NUM, false);
	int64_t n;

	if (!v)
		return 0;
	if (v->t != PT_J_NUM || v->num > (uint64_t)INT64_MAX)
		goto out_bad;
	n = v->neg ? -(int64_t)v->num : (int64_t)v->num;
	if (n < min || n > max)
		goto out_bad;
	return n;
out_bad:
	if (!rd->why[0])
		snprintf(rd->why, sizeof(rd->why), "\"%s\" out of range", key);
	return 0;
}

bool pt_rd_bool(struct pt_rd *rd, const struct pt_jv *o, const char *key)
{
	const struct pt_jv *v = pt_rd_get(rd, o, key, PT_J_BOOL, false);

	return v && v->b;
}

void pt_rd_str(struct pt_rd *rd, const struct pt_jv *o, const char *key,
	       char *buf, size_t len)
{
	const struct pt_jv *v = pt_rd_get(rd, o, key, PT_J_STR, false);

	snprintf(buf, len, "%s", v ? v->str : "");
}

/* A string kept for the replay's life; NULL for null. */
const char *pt_rd_kept(struct pt_rd *rd, const struct pt_jv *o, const char *key)
{
	const struct pt_jv *v = pt_rd_get(rd, o, key, PT_J_STR, true);
	const char *s;

	if (!v)
		return NULL;
	s = rd->keep ? rd->keep(rd, v->str) : NULL;
	if (!s && !rd->why[0])
		snprintf(rd->why, sizeof(rd->why), "out of memory");
	return s ? s : "";
}

const struct pt_jv *pt_rd_arr(struct pt_rd *rd, const struct pt_jv *o,
			      const char *key, size_t max)
{
	const struct pt_jv *v = pt_rd_get(rd, o, key, PT_J_ARR, false);

	if (v && v->nr > max) {
		snprintf(rd->why, sizeof(rd->why), "too many \"%s\"", key);
		return NULL;
	}
	return v;
}

int pt_rd_name(struct pt_rd *rd, const struct pt_jv *o, const char *key,
	       const char *(*name)(int), int nr)
{
	char buf[64];
	int i;

	pt_rd_str(rd, o, key, buf, sizeof(buf));
	if (rd->why[0])
		return 0;
	for (i = 0; i < nr; i++)
		if (!strcmp(name(i), buf))
			return i;
	snprintf(rd->why, sizeof(rd->why), "unknown \"%s\" '%.40s'", key, buf);
	return 0;
}

