// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "intern.h"

/* the program's pool: a static, so its strings stay reachable until exit */
static struct pt_intern pt_pool;

static uint64_t pt_hash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;	/* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	return h;
}

static int pt_intern_grow(struct pt_intern *p)
{
	size_t cap = p->cap ? p->cap * 2 : 256, i, j;
	char **slot = calloc(cap, sizeof(*slot));

	if (!slot)
		return -1;
	for (i = 0; i < p->cap; i++) {
		char *s = p->slot[i];

		if (!s)
			continue;
		for (j = pt_hash(s, strlen(s)) & (cap - 1); slot[j]; j = (j + 1) & (cap - 1))
			;
		slot[j] = s;
	}
	free(p->slot);
	p->slot = slot;
	p->cap = cap;
	return 0;
}

const char *pt_intern_in(struct pt_intern *p, const char *s, size_t len)
{
	size_t i;
	char *c;

	if ((p->nr + 1) * 2 > p->cap && pt_intern_grow(p) < 0)
		return NULL;
	for (i = pt_hash(s, len) & (p->cap - 1); p->slot[i]; i = (i + 1) & (p->cap - 1)) {
		c = p->slot[i];
		if (!strncmp(c, s, len) && !c[len])
			return c;
	}
	c = malloc(len + 1);
	if (!c)
		return NULL;
	memcpy(c, s, len);
	c[len] = '\0';
	p->slot[i] = c;
	p->nr++;
	p->bytes += len + 1;
	return c;
}

void pt_intern_free(struct pt_intern *p)
{
	size_t i;

	for (i = 0; i < p->cap; i++)
		free(p->slot[i]);
	free(p->slot);
	memset(p, 0, sizeof(*p));
}

const char *pt_intern(const char *s)
{
	return pt_intern_in(&pt_pool, s, strlen(s));
}

void pt_intern_stats(size_t *nr, size_t *bytes)
{
	*nr = pt_pool.nr;
	*bytes = pt_pool.bytes;
}
