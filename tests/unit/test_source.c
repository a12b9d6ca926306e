// SPDX-License-Identifier: GPL-2.0
/*
 * The source owns its descriptors: what a walk opens (/proc/kpageflags,
 * /proc/kpagecount) is closed by pt_source_close(), observed in
 * /proc/self/fd on a walk of this very process.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"

#include "source.h"

/* How many of our descriptors are open on /proc/@name. */
static int fds_on(const char *name)
{
	char path[300], target[256], want[64];
	struct dirent *d;
	DIR *dir = opendir("/proc/self/fd");
	int n = 0;
	ssize_t len;

	assert_non_null(dir);
	snprintf(want, sizeof(want), "/proc/%s", name);
	while ((d = readdir(dir))) {
		snprintf(path, sizeof(path), "/proc/self/fd/%s", d->d_name);
		len = readlink(path, target, sizeof(target) - 1);
		if (len < 0)
			continue;
		target[len] = '\0';
		n += !strcmp(target, want);
	}
	closedir(dir);
	return n;
}

static void close_closes_the_kpage_descriptors(void **state)
{
	static volatile char page[4096] __attribute__((aligned(4096)));
	struct pt_source src;
	struct pt_err err = { 0 };
	struct pt_walk *w = calloc(1, sizeof(*w));
	int i;

	(void)state;
	assert_non_null(w);
	page[0] = 1;		/* present, with a PFN as root */
	if (access("/proc/kpageflags", R_OK)) {
		free(w);
		skip();		/* not root: nothing is opened */
	}
	assert_int_equal(fds_on("kpageflags"), 0);
	assert_int_equal(pt_source_open(&src, PT_BACKEND_PAGEMAP, &err), 0);
	/* many walks, one descriptor each (opened once, not per page) */
	for (i = 0; i < 3; i++)
		assert_int_equal(src.ops->walk(&src, getpid(), (uint64_t)(uintptr_t)page, w, &err), 0);
	assert_true(w->pm.present);
	assert_true(w->pm.has_kpageflags);
	assert_int_equal(fds_on("kpageflags"), 1);
	assert_int_equal(fds_on("kpagecount"), 1);
	pt_source_close(&src);
	assert_int_equal(fds_on("kpageflags"), 0);
	assert_int_equal(fds_on("kpagecount"), 0);
	/* closing twice is harmless */
	pt_source_close(&src);
	free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(close_closes_the_kpage_descriptors),
	};

	PT_RUN_TESTS("source", tests);
}
