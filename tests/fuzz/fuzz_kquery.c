// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the module's query parser, kmod/ptdh_proto.h, the
 * same code ptdump_helper builds, here under ASan and UBSan.  Each input
 * is a query as written to the walk file.  Beyond not crashing: what it
 * accepts is a pid and user range, and accepted again when printed back
 * as src/kmod.c writes queries; a fourth field other than "s", or a
 * fifth, is -EINVAL whatever the others hold; and a query src/kmod.c
 * would write, with fields from the input's first bytes, is accepted
 * exactly when its values are valid.  A broken promise aborts, which
 * libFuzzer reports.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../kmod/ptdh_proto.h"

/* x86_64's TASK_SIZE_MAX with 5-level paging */
#define LIMIT ((1ull << 56) - 4096)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void must(bool ok, const char *what, const uint8_t *data, size_t size)
{
	if (ok)
		return;
	fprintf(stderr, "fuzz_kquery: %s: '%.*s'\n", what, (int)size, (const char *)data);
	abort();
}

/*
 * The fields of [@s, @s + @size) as ptdh_parse_query() splits them: how
 * many, and whether a fourth is "s" alone.
 */
static int query_fields(const char *s, size_t size, bool *fourth_s)
{
	const char *e = s + size, *t;
	int n = 0;

	*fourth_s = false;
	while (s < e && ptdh_q_space(*s))
		s++;
	while (e > s && ptdh_q_space(e[-1]))
		e--;
	while (s < e) {
		t = s;
		while (s < e && !ptdh_q_blank(*s))
			s++;
		if (++n == 4)
			*fourth_s = s - t == 1 && *t == 's';
		while (s < e && ptdh_q_blank(*s))
			s++;
	}
	return n;
}

/* The query as src/kmod.c's pt_kmod_query() prints it. */
static int client_query(char *q, size_t cap, int pid, uint64_t start,
			uint64_t end, bool single, bool spans)
{
	if (single)
		return snprintf(q, cap, "%d %" PRIx64 "\n", pid, start);
	return snprintf(q, cap, "%d %" PRIx64 " %" PRIx64 "%s\n", pid, start,
			end, spans ? " s" : "");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ptdh_request r, again;
	char q[PTDH_QUERY_MAX + 1], *s;
	uint64_t v[3] = { 0 };
	bool fourth_s;
	int ret, n;

	/* exactly @size bytes: ASan sees any read past them */
	s = malloc(size ? size : 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	ret = ptdh_parse_query(s, size, LIMIT, &r);
	must(ret == 0 || ret == -EINVAL || ret == -ERANGE, "unknown error", data, size);
	/* whatever the numbers: a query of protocol 5 and before is read as it was */
	n = query_fields(s, size, &fourth_s);
	must(n < 4 || (n == 4 && fourth_s) || ret == -EINVAL,
	     "a fourth field other than \"s\", or a fifth, not -EINVAL", data, size);
	if (!ret) {
		must(size <= PTDH_QUERY_MAX && !memchr(s, 0, size), "accepted a NUL or a long query",
		     data, size);
		must(r.pid > 0 && r.start < r.end && r.end <= LIMIT &&
		     (!r.single || r.end == r.start + 1) && !(r.single && r.spans),
		     "accepted an invalid request", data, size);
		n = client_query(q, sizeof(q), r.pid, r.start, r.end, r.single, r.spans);
		ret = ptdh_parse_query(q, n, LIMIT, &again);
		must(!ret && again.pid == r.pid && again.start == r.start && again.end == r.end &&
		     again.single == r.single && again.spans == r.spans,
		     "printed back, read otherwise", data, size);
	}
	free(s);
	/* a query the client writes, from the input's bytes */
	memcpy(v, data, size < sizeof(v) ? size : sizeof(v));
	{
		int pid = (int)(v[0] & 0x7fffffff) - (int)(v[0] >> 62);
		bool single = v[0] & (1ull << 40), spans = !single && v[0] & (1ull << 41), valid;
		uint64_t start = v[1] >> (v[0] >> 32 & 7) * 8, end = v[2] >> (v[0] >> 35 & 7) * 8;

		if (single)
			end = start + 1;
		valid = pid > 0 && start < end && end <= LIMIT;
		n = client_query(q, sizeof(q), pid, start, end, single, spans);
		ret = ptdh_parse_query(q, n, LIMIT, &r);
		must(!ret == valid, "client's query judged wrong", (const uint8_t *)q, n);
		must(ret || (r.pid == pid && r.start == start && r.end == end && r.spans == spans),
		     "client's query misread", (const uint8_t *)q, n);
	}
	return 0;
}
