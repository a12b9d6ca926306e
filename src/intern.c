// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "intern.h"

/*
 * An open-addressing hash set of strings, grown at half full.  The table
 * is a static, so the strings stay reachable (no leak to report) for the
 * process's life.
 */
static struct {
	char **slot;
	size_t cap, nr, bytes;
} pt_pool;

static uint64_t pt_hash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;	/* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	return h;
}

static int pt_pool_grow(void)
{
	size_t cap = pt_pool.cap ? pt_pool.cap * 2 : 256, i, j;
	char **slot = calloc(cap, sizeof(*slot));

	if (!slot)
		return -1;
	for (i = 0; i < pt_pool.cap; i++) {
		char *s = pt_pool.slot[i];

		if (!s)
			continue;
		for (j = pt_hash(s, strlen(s)) & (cap - 1); slot[j]; j = (j + 1) & (cap - 1))
			;
		slot[j] = s;
	}
	free(pt_pool.slot);
	pt_pool.slot = slot;
	pt_pool.cap = cap;
	return 0;
}

const char *pt_intern_n(const char *s, size_t len)
{
	size_t i;
	char *c;

	if ((pt_pool.nr + 1) * 2 > pt_pool.cap && pt_pool_grow() < 0)
		return NULL;
	for (i = pt_hash(s, len) & (pt_pool.cap - 1); pt_pool.slot[i];
	     i = (i + 1) & (pt_pool.cap - 1)) {
		c = pt_pool.slot[i];
		if (!strncmp(c, s, len) && !c[len])
			return c;
	}
	c = malloc(len + 1);
	if (!c)
		return NULL;
	memcpy(c, s, len);
	c[len] = '\0';
	pt_pool.slot[i] = c;
	pt_pool.nr++;
	pt_pool.bytes += len + 1;
	return c;
}

const char *pt_intern(const char *s)
{
	return pt_intern_n(s, strlen(s));
}

void pt_intern_stats(size_t *nr, size_t *bytes)
{
	*nr = pt_pool.nr;
	*bytes = pt_pool.bytes;
}
