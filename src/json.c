// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>

#include "json.h"
#include "version.h"

void pt_json_init(struct pt_json *j, FILE *f, bool pretty)
{
	j->f = f;
	j->pretty = pretty;
	j->depth = 0;
	j->first[0] = true;
	j->overflow = false;
	j->top_array = false;
}

static void pt_json_escaped(FILE *f, const char *s)
{
	const unsigned char *p;

	fputc('"', f);
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		default:
			/* control characters and DEL; UTF-8 passes through */
			if (*p < 0x20 || *p == 0x7f)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

static void pt_json_key(struct pt_json *j, const char *key)
{
	int i;

	if (!j->first[j->depth])
		fputc(',', j->f);
	j->first[j->depth] = false;
	if (j->pretty && j->depth) {
		fputc('\n', j->f);
		for (i = 0; i < j->depth; i++)
			fputs("  ", j->f);
	}
	if (key) {
		pt_json_escaped(j->f, key);
		fputs(j->pretty ? ": " : ":", j->f);
	}
}

static void pt_json_open(struct pt_json *j, const char *key, char c)
{
	pt_json_key(j, key);
	fputc(c, j->f);
	if (j->depth + 1 >= PT_JSON_MAX_DEPTH) {
		j->overflow = true;
		return;
	}
	j->first[++j->depth] = true;
}

static void pt_json_close(struct pt_json *j, char c)
{
	bool empty = j->first[j->depth];
	int i;

	if (j->depth > 0)
		j->depth--;
	if (j->pretty && !empty) {
		fputc('\n', j->f);
		for (i = 0; i < j->depth; i++)
			fputs("  ", j->f);
	}
	fputc(c, j->f);
}

void pt_json_obj_begin(struct pt_json *j, const char *key)
{
	/* a document: the outermost object, or one of a top-level array's */
	bool doc = j->depth == 0 || (j->depth == 1 && j->top_array);

	pt_json_open(j, key, '{');
	if (doc && !j->overflow)
		pt_json_str(j, "version", PT_VERSION);
}

void pt_json_obj_end(struct pt_json *j)
{
	pt_json_close(j, '}');
}

void pt_json_arr_begin(struct pt_json *j, const char *key)
{
	if (j->depth == 0)
		j->top_array = true;
	pt_json_open(j, key, '[');
}

void pt_json_arr_end(struct pt_json *j)
{
	pt_json_close(j, ']');
}

void pt_json_str(struct pt_json *j, const char *key, const char *val)
{
	pt_json_key(j, key);
	pt_json_escaped(j->f, val);
}

void pt_json_u64(struct pt_json *j, const char *key, uint64_t val)
{
	pt_json_key(j, key);
	fprintf(j->f, "%" PRIu64, val);
}

void pt_json_i64(struct pt_json *j, const char *key, int64_t val)
{
	pt_json_key(j, key);
	fprintf(j->f, "%" PRId64, val);
}

void pt_json_hex(struct pt_json *j, const char *key, uint64_t val)
{
	pt_json_key(j, key);
	fprintf(j->f, "\"0x%" PRIx64 "\"", val);
}

void pt_json_bool(struct pt_json *j, const char *key, bool val)
{
	pt_json_key(j, key);
	fputs(val ? "true" : "false", j->f);
}

void pt_json_null(struct pt_json *j, const char *key)
{
	pt_json_key(j, key);
	fputs("null", j->f);
}

void pt_json_end(struct pt_json *j)
{
	fputc('\n', j->f);
	j->first[0] = true;
	j->top_array = false;
}
