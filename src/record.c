// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h"
#include "jsonfield.h"
#include "jsonread.h"
#include "lab.h"
#include "prose.h"
#include "record.h"

/* ---- the writer ---- */

struct pt_record {
	int fd;
	char path[PATH_MAX];
	char tmp[PATH_MAX];
	size_t steps;
	bool header;
	int err;		/* the first write error (errno) */
	bool int_ours, term_ours;	/* our handler is installed for the signal */
	struct sigaction old_int, old_term;
};

/*
 * What the signal handler needs, set before it is installed: the end line
 * is rebuilt after every step, so the handler only writes and renames
 * (both async-signal-safe).
 */
static struct pt_record *pt_rec_live;
static char pt_rec_end[96];
static volatile sig_atomic_t pt_rec_end_len;

static void pt_record_end_line(struct pt_record *r, const char *how)
{
	int n = snprintf(pt_rec_end, sizeof(pt_rec_end),
			 "{\"end\":{\"steps\":%zu,\"how\":\"%s\"}}\n", r->steps, how);

	pt_rec_end_len = n > 0 && (size_t)n < sizeof(pt_rec_end) ? n : 0;
}

static void pt_record_on_signal(int sig)
{
	struct pt_record *r = pt_rec_live;
	ssize_t n;

	if (r && r->fd >= 0) {
		n = write(r->fd, pt_rec_end, pt_rec_end_len);
		if (n == pt_rec_end_len)
			rename(r->tmp, r->path);
		else
			unlink(r->tmp);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * Ours only where the signal would kill (its default action): a view
 * with its own handler ends the session itself, an ignored signal stays
 * ignored.
 */
static void pt_record_handlers(struct pt_record *r)
{
	struct sigaction sa, cur;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = pt_record_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGINT);
	sigaddset(&sa.sa_mask, SIGTERM);
	pt_rec_live = r;
	sigaction(SIGINT, NULL, &cur);
	if (cur.sa_handler == SIG_DFL && !sigaction(SIGINT, &sa, &r->old_int))
		r->int_ours = true;
	sigaction(SIGTERM, NULL, &cur);
	if (cur.sa_handler == SIG_DFL && !sigaction(SIGTERM, &sa, &r->old_term))
		r->term_ours = true;
}

/*
 * Temporary files are ".NAME.PID.tmp" beside NAME: one that SIGKILL left
 * is recognised by the next run for NAME, whose writer's pid is gone.
 */
#define PT_REC_TMP_FMT "%.*s.%s.%ld.tmp"

static void pt_record_remove_stale(const char *path, int dirlen)
{
	const char *base = path + dirlen;
	size_t blen = strlen(base);
	char dir[PATH_MAX], stale[PATH_MAX];
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "%.*s", dirlen ? dirlen : 1, dirlen ? path : ".");
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		const char *n = de->d_name;
		char *end;
		long pid;

		if (n[0] != '.' || strncmp(n + 1, base, blen) || n[1 + blen] != '.')
			continue;
		errno = 0;
		pid = strtol(n + 2 + blen, &end, 10);
		if (errno || pid <= 0 || pid > INT_MAX || end == n + 2 + blen || strcmp(end, ".tmp"))
			continue;
		/* alive, or not ours to ask about (EPERM): left alone */
		if (pid != getpid() && (!kill((pid_t)pid, 0) || errno != ESRCH))
			continue;
		snprintf(stale, sizeof(stale), "%.*s%s", dirlen, path, n);
		unlink(stale);
	}
	closedir(d);
}

int pt_record_open(struct pt_record **rp, const char *path, struct pt_err *err)
{
	struct pt_record *r = calloc(1, sizeof(*r));
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path) + 1 : 0;

	if (!r)
		return pt_err_set(err, PT_NO_MEM, "out of memory");
	if (!*path || (slash && !slash[1]) || strlen(path) + 32 >= sizeof(r->tmp)) {
		free(r);
		return pt_err_set(err, PT_USAGE, "--record needs a file name, not '%s'", path);
	}
	snprintf(r->path, sizeof(r->path), "%s", path);
	pt_record_remove_stale(path, dirlen);
	/* the same directory: rename() stays within one file system */
	snprintf(r->tmp, sizeof(r->tmp), PT_REC_TMP_FMT, dirlen, path, path + dirlen,
		 (long)getpid());
	/*
	 * 0600 whatever the umask: a recording holds PFNs and kpageflags,
	 * which the kernel shows only to CAP_SYS_ADMIN (see the man page)
	 */
	r->fd = open(r->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (r->fd < 0) {
		int e = errno;

		free(r);
		return pt_err_set(err, PT_USAGE, "cannot write %s: %s", path, strerror(e));
	}
	if (fchmod(r->fd, 0600))
		r->err = errno;
	pt_record_end_line(r, "signal");
	pt_record_handlers(r);
	*rp = r;
	return 0;
}

static void pt_record_write(struct pt_record *r, const char *buf, size_t len)
{
	ssize_t n;

	while (len && !r->err) {
		n = write(r->fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r->err = n < 0 ? errno : EIO;
			break;
		}
		buf += n;
		len -= (size_t)n;
	}
}

/*
 * ---- a recording's lines: one table of fields, written and read ----
 *
 * A header line (the source and its decoder layout) and one line per
 * step.  A row of these tables (or of jsonfield.c's walk and layout) is
 * written by pt_rec_header()/pt_rec_step() and read back by
 * pt_rd_header()/pt_rd_step(); rows marked PT_JF_IN_1 are the lab's
 * members (a step shows the lab as it stood).
 */

static const char *pt_level_name_i(int i)
{
	return pt_level_name((enum pt_level)i);
}

static const char *pt_cmd_name_i(int i)
{
	return pt_cmd_name((enum pt_cmd_id)i);
}

static const char *pt_lab_kind_name_i(int i)
{
	return pt_lab_kind_name((enum pt_lab_kind)i);
}

/* The counters' names: the lab's PMU. */
static void pt_rec_counters_write(struct pt_json *j, const struct pt_jf *f, const void *base,
				  const struct pt_jf_ctx *c)
{
	const struct pt_lab *lab = c->in[PT_JF_IN_1];
	int i;

	(void)base;
	pt_json_arr_begin(j, f->key);
	for (i = 0; lab->has_pmu && i < lab->pmu.nr; i++)
		pt_json_str(j, NULL, lab->pmu.ev[i].name);
	pt_json_arr_end(j);
}

static void pt_rec_counters_read(struct pt_rd *rd, const struct pt_jv *o, const struct pt_jf *f,
				 void *base, const struct pt_jf_ctx *c)
{
	struct pt_lab *lab = c->in[PT_JF_IN_1];
	const struct pt_jv *a = pt_rd_arr(rd, o, f->key, PT_PMU_MAX);
	size_t i;

	(void)base;
	for (i = 0; a && i < a->nr && !rd->why[0]; i++) {
		if (a->kids[i].t != PT_J_STR) {
			snprintf(rd->why, sizeof(rd->why), "a counter's name is not a string");
			break;
		}
		snprintf(lab->pmu.ev[i].name, sizeof(lab->pmu.ev[i].name), "%s", a->kids[i].str);
		lab->pmu.nr++;
	}
	lab->has_pmu = lab->pmu.nr > 0;
}

static void pt_rec_arch_write(struct pt_json *j, const struct pt_jf *f, const void *base,
			      const struct pt_jf_ctx *c)
{
	const struct pt_source *src = base;

	(void)c;
	pt_json_str(j, f->key, src->layout.arch->name);
}

static const struct pt_jf pt_rec_header_rows[] = {
	PT_JF_STR(struct pt_source, "kernel", release),
	/* the layout's: read there */
	{ .key = "arch", .kind = PT_JF_HOOK, .flags = PT_JF_WONLY,
	  .write = pt_rec_arch_write },
	PT_JF_SOURCE(struct pt_source, "source", name),
	PT_JF_STR(struct pt_source, "note", note),
	/* lab --kernel: the replay explains with the same rows */
	{ .key = "rows_kver", .kind = PT_JF_U64, PT_JF_M_(struct pt_source, rows_kver),
	  .max = UINT_MAX, .flags = PT_JF_OPT },
	{ .key = "counters", .kind = PT_JF_HOOK, .write = pt_rec_counters_write,
	  .read = pt_rec_counters_read },
	PT_JF_OBJ(struct pt_source, "layout", layout, pt_jf_layout),
	PT_JF_END_ROW
};

/* A process's counts, one per counter of the lab's (null: not read). */
static void pt_rec_counts_write(struct pt_json *j, const struct pt_jf *f, const void *base,
				const struct pt_jf_ctx *c)
{
	const struct pt_lab *lab = c->in[PT_JF_IN_1];
	const struct pt_lab_proc *p = base;
	int i;

	pt_json_arr_begin(j, f->key);
	for (i = 0; lab->has_pmu && i < lab->pmu.nr; i++) {
		if (p->has_count[i])
			pt_json_hex(j, NULL, p->count[i]);
		else
			pt_json_null(j, NULL);
	}
	pt_json_arr_end(j);
}

static void pt_rec_counts_read(struct pt_rd *rd, const struct pt_jv *o, const struct pt_jf *f,
			       void *base, const struct pt_jf_ctx *c)
{
	const struct pt_lab *lab = c->in[PT_JF_IN_1];
	const struct pt_jv *a = pt_rd_arr(rd, o, f->key, PT_PMU_MAX);
	struct pt_lab_proc *p = base;
	size_t i;

	if (a && (int)a->nr != lab->pmu.nr && !rd->why[0])
		snprintf(rd->why, sizeof(rd->why), "%zu counts for %d counters", a->nr,
			 lab->pmu.nr);
	for (i = 0; a && i < a->nr && !rd->why[0]; i++) {
		p->has_count[i] = a->kids[i].t != PT_J_NULL;
		if (!p->has_count[i])
			continue;
		if (a->kids[i].t != PT_J_STR && a->kids[i].t != PT_J_NUM)
			snprintf(rd->why, sizeof(rd->why), "a count is not a number");
		else
			p->count[i] = pt_rd_num(&a->kids[i], rd, f->key);
	}
}

static const struct pt_jf pt_rec_proc_rows[] = {
	PT_JF_BOOL(struct pt_lab_proc, "exists", exists),
	PT_JF_STR(struct pt_lab_proc, "error", err),
	{ .key = "counts", .kind = PT_JF_HOOK, .write = pt_rec_counts_write,
	  .read = pt_rec_counts_read },
	PT_JF_OBJ_NULL(struct pt_lab_proc, "walk", walk, pt_jf_walk, walked),
	/* a recording made before VmPTE was read has none */
	{ .key = "vmpte_kb", .kind = PT_JF_U64, PT_JF_M_(struct pt_lab_proc, vmpte_kb),
	  .flags = PT_JF_OPT },
	PT_JF_END_ROW
};

static void pt_rec_pinned_write(struct pt_json *j, const struct pt_jf *f, const void *base,
				const struct pt_jf_ctx *c)
{
	const struct pt_lab_step *s = base;

	(void)c;
	pt_json_arr_begin(j, f->key);
	pt_json_bool(j, NULL, s->pinned[0]);
	pt_json_bool(j, NULL, s->pinned[1]);
	pt_json_arr_end(j);
}

static void pt_rec_pinned_read(struct pt_rd *rd, const struct pt_jv *o, const struct pt_jf *f,
			       void *base, const struct pt_jf_ctx *c)
{
	const struct pt_jv *a = pt_rd_arr(rd, o, f->key, 2);
	struct pt_lab_step *s = base;
	size_t i;

	(void)c;
	for (i = 0; a && i < a->nr; i++)
		s->pinned[i] = a->kids[i].t == PT_J_BOOL && a->kids[i].b;
}

/* A command's typed fields as the one number a recording keeps (lang.h). */
static void pt_rec_num_write(struct pt_json *j, const struct pt_jf *f, const void *base,
			     const struct pt_jf_ctx *c)
{
	(void)c;
	pt_json_i64(j, f->key, pt_cmd_num(base));
}

static void pt_rec_num_read(struct pt_rd *rd, const struct pt_jv *o, const struct pt_jf *f,
			    void *base, const struct pt_jf_ctx *c)
{
	long num = (long)pt_rd_i64(rd, o, f->key, LONG_MIN, LONG_MAX);
	struct pt_err err;

	(void)c;
	if (!rd->why[0] && pt_cmd_retype(base, num, &err) < 0)
		snprintf(rd->why, sizeof(rd->why), "%.150s", err.msg);
}

static const struct pt_jf pt_rec_cmd_rows[] = {
	PT_JF_ENUM(struct pt_cmd, "name", id, pt_cmd_name_i, PT_C_NR),
	PT_JF_U64(struct pt_cmd, "who", who, PT_WHO_DEFAULT, PT_WHO_CHILD),
	PT_JF_STR(struct pt_cmd, "arg", arg),
	PT_JF_HEX(struct pt_cmd, "off", off),
	/* the number kept for the typed fields: read once the line is */
	{ .key = "num", .kind = PT_JF_HOOK, .flags = PT_JF_WONLY, .write = pt_rec_num_write },
	PT_JF_STR(struct pt_cmd, "text", text),
	{ .key = "num", .kind = PT_JF_HOOK, .flags = PT_JF_RONLY, .read = pt_rec_num_read },
	PT_JF_END_ROW
};

/* the lab as it stood: what the screen's header shows */
static const struct pt_jf pt_rec_lab_rows[] = {
	PT_JF_HEX(struct pt_lab, "addr", addr),
	PT_JF_I64(struct pt_lab, "parent", pid[0], 0, INT_MAX),
	PT_JF_I64(struct pt_lab, "child", pid[1], 0, INT_MAX),
	PT_JF_HEX(struct pt_lab, "base", base),
	PT_JF_HEX(struct pt_lab, "size", size),
	PT_JF_END_ROW
};

static const struct pt_jf pt_rec_change_rows[] = {
	PT_JF_U64(struct pt_lab_change, "who", who, PT_WHO_DEFAULT, PT_WHO_CHILD),
	PT_JF_ENUM(struct pt_lab_change, "level", level, pt_level_name_i, PT_NR_LEVELS),
	PT_JF_ISTR(struct pt_lab_change, "what", what, 23),
	PT_JF_HEX(struct pt_lab_change, "before", before),
	PT_JF_HEX(struct pt_lab_change, "after", after),
	PT_JF_END_ROW
};

/*
 * The explanation (step.h): its own rows, apart from the step's.  Its
 * strings are interned (intern.h), cut to the buffers they were made in
 * (prose.h): what[32], func[64], source[128]; text[1024], funcs[192],
 * state[400].
 */
static const struct pt_jf pt_rec_checked_rows[] = {
	PT_JF_I64(struct pt_checked, "who", who, PT_WHO_DEFAULT, PT_WHO_CHILD),
	PT_JF_ISTR(struct pt_checked, "what", what, 31),
	PT_JF_I64(struct pt_checked, "expected", expected, LONG_MIN, LONG_MAX),
	PT_JF_I64(struct pt_checked, "observed", observed, LONG_MIN, LONG_MAX),
	PT_JF_I64(struct pt_checked, "before", before, LONG_MIN, LONG_MAX),
	PT_JF_BOOL(struct pt_checked, "held", held),
	PT_JF_ISTR_NULL(struct pt_checked, "function", func, 63),
	PT_JF_ISTR_NULL(struct pt_checked, "source", source, 127),
	PT_JF_END_ROW
};

/* rows and unexpected: one allocation the explanation owns (prose.h) */
static void pt_rec_checked_write(struct pt_json *j, const char *key,
				 const struct pt_checked *c, size_t nr)
{
	size_t i;

	pt_json_arr_begin(j, key);
	for (i = 0; i < nr; i++) {
		pt_json_obj_begin(j, NULL);
		pt_jf_write(j, pt_rec_checked_rows, &c[i], NULL);
		pt_json_obj_end(j);
	}
	pt_json_arr_end(j);
}

static void pt_rec_rows_write(struct pt_json *j, const struct pt_jf *f, const void *base,
			      const struct pt_jf_ctx *c)
{
	const struct pt_explain *e = base;

	(void)f;
	(void)c;
	pt_rec_checked_write(j, "rows", e->rows, e->nr_rows);
	pt_rec_checked_write(j, "unexpected", e->unexpected, e->nr_unexpected);
}

static size_t pt_rec_checked_read(struct pt_rd *rd, const struct pt_jv *o, const char *key,
				  struct pt_checked *c, size_t max)
{
	const struct pt_jv *a = pt_rd_arr(rd, o, key, max);
	size_t i;

	for (i = 0; a && i < a->nr && !rd->why[0]; i++) {
		memset(&c[i], 0, sizeof(c[i]));
		if (a->kids[i].t != PT_J_OBJ) {
			snprintf(rd->why, sizeof(rd->why), "a row of \"%s\" is not an object", key);
			break;
		}
		pt_jf_read(rd, &a->kids[i], pt_rec_checked_rows, &c[i], NULL);
	}
	return a ? a->nr : 0;
}

static void pt_rec_rows_read(struct pt_rd *rd, const struct pt_jv *o, const struct pt_jf *f,
			     void *base, const struct pt_jf_ctx *c)
{
	struct pt_checked row[PT_EXPLAIN_ROWS], un[PT_EXPLAIN_MAX];
	struct pt_explain *e = base;
	size_t nr_rows, nr_un;

	(void)f;
	(void)c;
	nr_rows = pt_rec_checked_read(rd, o, "rows", row, PT_EXPLAIN_ROWS);
	nr_un = pt_rec_checked_read(rd, o, "unexpected", un, PT_EXPLAIN_MAX);
	if (!rd->why[0] && pt_explain_set_rows(e, row, nr_rows, un, nr_un) < 0)
		snprintf(rd->why, sizeof(rd->why), "out of memory");
}

static const struct pt_jf pt_rec_explain_rows[] = {
	PT_JF_ISTR(struct pt_explain, "text", text, PT_EXPLAIN_TEXT - 1),
	PT_JF_ISTR(struct pt_explain, "functions", funcs, PT_EXPLAIN_FUNCS - 1),
	PT_JF_ISTR(struct pt_explain, "state", state, PT_EXPLAIN_STATE - 1),
	PT_JF_BOOL(struct pt_explain, "modelled", modelled),
	/* recordings made before the rows were bound to versions lack it */
	{ .key = "gap", .kind = PT_JF_BOOL, PT_JF_M_(struct pt_explain, gap),
	  .flags = PT_JF_OLD },
	PT_JF_I64(struct pt_explain, "checked", checked, 0, INT_MAX),
	PT_JF_I64(struct pt_explain, "skipped", skipped, 0, INT_MAX),
	{ .key = "rows", .kind = PT_JF_HOOK, .write = pt_rec_rows_write,
	  .read = pt_rec_rows_read },
	PT_JF_END_ROW
};

static const struct pt_jf pt_rec_step_rows[] = {
	PT_JF_U64(struct pt_lab_step, "step", n, 1, INT_MAX),
	PT_JF_STR(struct pt_lab_step, "event", event),
	PT_JF_STR(struct pt_lab_step, "error", err),
	{ .key = "kind", .kind = PT_JF_ENUM, .in = PT_JF_IN_1, PT_JF_M_(struct pt_lab, kind),
	  .name = pt_lab_kind_name_i, .nr_names = PT_LAB_NR_KINDS },
	PT_JF_OBJ(struct pt_lab_step, "cmd", cmd, pt_rec_cmd_rows),
	PT_JF_HEX(struct pt_lab_step, "addr", addr),
	{ .key = "pinned", .kind = PT_JF_HOOK, .write = pt_rec_pinned_write,
	  .read = pt_rec_pinned_read },
	{ .key = "lab", .kind = PT_JF_OBJ, .in = PT_JF_IN_1, .sub = pt_rec_lab_rows },
	PT_JF_OBJ(struct pt_lab_step, "parent", proc[0], pt_rec_proc_rows),
	PT_JF_OBJ(struct pt_lab_step, "child", proc[1], pt_rec_proc_rows),
	PT_JF_ARR(struct pt_lab_step, "changes", changes, pt_rec_change_rows, nr_changes),
	PT_JF_OBJ(struct pt_lab_step, "explain", explain, pt_rec_explain_rows),
	PT_JF_END_ROW
};

void pt_rec_header(struct pt_json *j, const struct pt_lab *lab)
{
	struct pt_jf_ctx c = { .in = { [PT_JF_IN_1] = (void *)lab } };

	pt_json_obj_begin(j, NULL);
	pt_json_u64(j, "recording", PT_RECORDING_VERSION);
	pt_json_str(j, "mode", lab->owned ? "lab" : "pid");
	pt_jf_write(j, pt_rec_header_rows, lab->src, &c);
	pt_json_obj_end(j);
	pt_json_end(j);
}

void pt_rec_step(struct pt_json *j, const struct pt_lab *lab,
		 const struct pt_lab_step *s)
{
	struct pt_jf_ctx c = { .in = { [PT_JF_IN_1] = (void *)lab } };

	pt_json_obj_begin(j, NULL);
	pt_jf_write(j, pt_rec_step_rows, s, &c);
	pt_json_obj_end(j);
	pt_json_end(j);
}

void pt_rd_step(struct pt_rd *rd, const struct pt_jv *o, struct pt_lab *lab,
		struct pt_lab_step *s)
{
	struct pt_jf_ctx c = { .in = { [PT_JF_IN_1] = lab } };

	memset(s, 0, sizeof(*s));
	pt_explain_clear(&s->explain);
	pt_jf_read(rd, o, pt_rec_step_rows, s, &c);
}

void pt_rd_header(struct pt_rd *rd, const struct pt_jv *o, struct pt_replay *rp)
{
	struct pt_jf_ctx c = { .in = { [PT_JF_IN_1] = rp->lab } };
	const struct pt_jv *v;

	v = pt_rd_get(rd, o, "recording", PT_J_NUM, false);
	if (!v)
		return;
	if (v->t != PT_J_NUM || v->neg || !v->num) {
		snprintf(rd->why, sizeof(rd->why), "not a recording");
		return;
	}
	if (v->num > PT_RECORDING_VERSION) {
		snprintf(rd->why, sizeof(rd->why),
			 "recording format %" PRIu64 " is newer than this ptinspect reads (%d)",
			 v->num, PT_RECORDING_VERSION);
		return;
	}
	pt_rd_str(rd, o, "version", rp->recorded_version, sizeof(rp->recorded_version));
	pt_rd_str(rd, o, "mode", rp->mode, sizeof(rp->mode));
	if (!rd->why[0] && strcmp(rp->mode, "lab") && strcmp(rp->mode, "pid"))
		snprintf(rd->why, sizeof(rd->why), "unknown mode '%.8s'", rp->mode);
	rp->lab->owned = !strcmp(rp->mode, "lab");
	pt_jf_read(rd, o, pt_rec_header_rows, rp->src, &c);
}

static void pt_record_block(sigset_t *old)
{
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, old);
}

void pt_record_step(void *rec, struct pt_lab *lab, size_t i)
{
	struct pt_record *r = rec;
	const struct pt_lab_step *s = &lab->steps[i];
	sigset_t old;
	struct pt_json j;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (!r || r->err)
		return;
	f = open_memstream(&buf, &len);
	if (!f) {
		r->err = ENOMEM;
		return;
	}
	pt_json_init(&j, f, false);
	if (!r->header)
		pt_rec_header(&j, lab);
	pt_rec_step(&j, lab, s);
	if (fclose(f)) {
		r->err = ENOMEM;
		free(buf);
		return;
	}
	/* the end line must not follow half a line: no signal meanwhile */
	pt_record_block(&old);
	pt_record_write(r, buf, len);
	if (!r->err) {
		r->header = true;
		r->steps++;
		pt_record_end_line(r, "signal");
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	free(buf);
}

int pt_record_close(struct pt_record *r, struct pt_err *err)
{
	sigset_t old;
	int ret = 0;

	if (!r)
		return 0;
	pt_record_block(&old);
	if (r->int_ours)
		sigaction(SIGINT, &r->old_int, NULL);
	if (r->term_ours)
		sigaction(SIGTERM, &r->old_term, NULL);
	pt_rec_live = NULL;
	if (!r->header && !r->err)
		r->err = ENODATA;	/* no step: the session never started */
	pt_record_end_line(r, "end");
	if (!r->err)
		pt_record_write(r, pt_rec_end, pt_rec_end_len);
	if (close(r->fd) && !r->err)
		r->err = errno;
	if (!r->err && rename(r->tmp, r->path))
		r->err = errno;
	if (r->err) {
		unlink(r->tmp);
		ret = pt_err_set(err, PT_USAGE, "cannot write the recording %s: %s", r->path,
				 r->err == ENODATA ? "no step was taken" : strerror(r->err));
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	free(r);
	return ret;
}

/* ---- the reader: a recording's lines as a lab ---- */

/* The recording's strings (layout names, check functions): the replay's. */
static const char *pt_rd_keep(struct pt_rd *rd, const char *s)
{
	struct pt_replay *rp = rd->owner;

	if (rp->nr_strs == rp->cap_strs) {
		size_t cap = rp->cap_strs ? rp->cap_strs * 2 : 64;
		char **more = realloc(rp->strs, cap * sizeof(*more));

		if (!more)
			return NULL;
		rp->strs = more;
		rp->cap_strs = cap;
	}
	rp->strs[rp->nr_strs] = strdup(s);
	if (!rp->strs[rp->nr_strs])
		return NULL;
	return rp->strs[rp->nr_strs++];
}

/* The explanations' strings: one copy each, however many steps say it. */
static const char *pt_rd_intern(struct pt_rd *rd, const char *s, size_t n)
{
	struct pt_replay *rp = rd->owner;

	return pt_intern_in(&rp->pool, s, n);
}

/* The reader's state across lines: pt_replay_parse() and pt_replay_load(). */
struct pt_replay_rdr {
	struct pt_replay *rp;
	struct pt_rd rd;
	bool ended;
	size_t line;
};

static int pt_replay_begin(struct pt_replay_rdr *r, struct pt_replay *rp, struct pt_err *err)
{
	memset(rp, 0, sizeof(*rp));
	memset(r, 0, sizeof(*r));
	r->rp = rp;
	r->rd.owner = rp;
	r->rd.keep = pt_rd_keep;
	r->rd.intern = pt_rd_intern;
	rp->src = calloc(1, sizeof(*rp->src));
	rp->lab = calloc(1, sizeof(*rp->lab));
	if (!rp->src || !rp->lab) {
		pt_replay_free(rp);
		return pt_err_set(err, PT_NO_MEM, "out of memory");
	}
	/* the recorded source: its name, release and layout, and no ops:
	 * it reads nothing, so the lab has no live subject to run events on */
	rp->src->kpf_fd = rp->src->kpc_fd = -1;
	rp->lab->src = rp->src;
	return 0;
}

/* One line, [@p, @nl) without its newline; a refusal lands in r->rd.why. */
static void pt_replay_line(struct pt_replay_rdr *r, const char *p, const char *nl)
{
	struct pt_replay *rp = r->rp;
	struct pt_rd *rd = &r->rd;
	struct pt_jv v = { 0 };
	struct pt_lab_step *s;
	struct pt_jr_err je;
	struct pt_err e;
	size_t line = ++r->line;

	if (r->ended) {
		snprintf(rd->why, sizeof(rd->why), "line %zu follows the end line", line);
		return;
	}
	if ((size_t)(nl - p) > PT_REPLAY_MAX_LINE) {
		snprintf(rd->why, sizeof(rd->why), "line %zu is longer than %d bytes", line,
			 PT_REPLAY_MAX_LINE);
		return;
	}
	if (pt_jv_parse_object(p, nl, &v, &je)) {
		snprintf(rd->why, sizeof(rd->why), "line %zu is not JSON (%s at column %zu)",
			 line, je.why, je.col);
	} else if (line == 1) {
		pt_rd_header(rd, &v, rp);
	} else if (pt_jv_has(&v, "end")) {
		const struct pt_jv *e = pt_rd_get(rd, &v, "end", PT_J_OBJ, false);

		if ((size_t)pt_rd_i64(rd, e, "steps", 0, INT_MAX) != rp->lab->nr_steps &&
		    !rd->why[0])
			snprintf(rd->why, sizeof(rd->why),
				 "the end line counts %" PRId64 " steps, the file has %zu",
				 pt_rd_i64(rd, e, "steps", 0, INT_MAX), rp->lab->nr_steps);
		r->ended = true;
	} else if (rp->lab->nr_steps >= PT_REPLAY_MAX_STEPS) {
		snprintf(rd->why, sizeof(rd->why), "more than %d steps", PT_REPLAY_MAX_STEPS);
	} else if (!(s = pt_lab_slot(rp->lab))) {
		snprintf(rd->why, sizeof(rd->why), "out of memory");
	} else {
		pt_rd_step(rd, &v, rp->lab, s);
		if (!rd->why[0] && (size_t)s->n != rp->lab->nr_steps + 1)
			snprintf(rd->why, sizeof(rd->why), "step %d where step %zu belongs",
				 s->n, rp->lab->nr_steps + 1);
		/* a step of the file is appended as a live one is */
		if (!rd->why[0] && pt_lab_append(rp->lab, s, &e) < 0)
			snprintf(rd->why, sizeof(rd->why), "%.150s", e.msg);
		/* a step refused keeps nothing */
		if (rd->why[0])
			pt_explain_free(&s->explain);
	}
	if (rd->why[0] && line > 1 && !strstr(rd->why, "line "))
		snprintf(rd->why + strlen(rd->why), sizeof(rd->why) - strlen(rd->why),
			 " (line %zu)", line);
	pt_jv_free(&v);
}

/* @rest: bytes after the last newline (a line with no end) */
static int pt_replay_finish(struct pt_replay_rdr *r, bool rest, struct pt_err *err)
{
	struct pt_replay *rp = r->rp;
	struct pt_rd *rd = &r->rd;
	int ret;

	if (!rd->why[0] && rest)
		snprintf(rd->why, sizeof(rd->why), "truncated: line %zu has no end", r->line + 1);
	else if (!rd->why[0] && !r->line)
		snprintf(rd->why, sizeof(rd->why), "empty file");
	else if (!rd->why[0] && !r->ended)
		snprintf(rd->why, sizeof(rd->why), "truncated: no end line after step %zu",
			 rp->lab->nr_steps);
	else if (!rd->why[0] && !rp->lab->nr_steps)
		snprintf(rd->why, sizeof(rd->why), "no step recorded");
	if (rd->why[0]) {
		ret = pt_err_set(err, PT_BAD_RECORDING, "%s", rd->why);
		pt_replay_free(rp);
		return ret;
	}
	return 0;
}

int pt_replay_parse(const char *text, size_t len, struct pt_replay *rp,
		    struct pt_err *err)
{
	const char *p = text, *end = text + len, *nl = NULL;
	struct pt_replay_rdr r;
	int ret;

	ret = pt_replay_begin(&r, rp, err);
	if (ret < 0)
		return ret;
	while (p < end && !r.rd.why[0]) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break;
		pt_replay_line(&r, p, nl);
		p = nl + 1;
	}
	return pt_replay_finish(&r, !r.rd.why[0] && p < end, err);
}

/*
 * Line by line through one buffer of the longest line allowed: what a
 * replay holds is its steps, never the file (PT_REPLAY_MAX_* bound those).
 */
int pt_replay_load(const char *path, struct pt_replay *rp, struct pt_err *err)
{
	size_t cap = PT_REPLAY_MAX_LINE + 1, n = 0, used;
	struct pt_replay_rdr r;
	char *buf, *p, *nl;
	ssize_t got;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return pt_err_set(err, PT_USAGE, "cannot read %s: %s", path, strerror(errno));
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return pt_err_set(err, PT_NO_MEM, "out of memory");
	}
	ret = pt_replay_begin(&r, rp, err);
	if (ret < 0)
		goto out_close;
	while (!r.rd.why[0]) {
		got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			ret = pt_err_set(err, PT_USAGE, "cannot read %s: %s", path,
					 strerror(errno));
			pt_replay_free(rp);
			goto out_close;
		}
		if (!got)
			break;
		n += (size_t)got;
		for (p = buf; !r.rd.why[0] && (nl = memchr(p, '\n', n - (size_t)(p - buf)));
		     p = nl + 1)
			pt_replay_line(&r, p, nl);
		used = (size_t)(p - buf);
		memmove(buf, p, n - used);
		n -= used;
		if (n == cap && !r.rd.why[0])
			snprintf(r.rd.why, sizeof(r.rd.why), "line %zu is longer than %d bytes",
				 r.line + 1, PT_REPLAY_MAX_LINE);
	}
	ret = pt_replay_finish(&r, n > 0, err);
out_close:
	free(buf);
	close(fd);
	return ret;
}

void pt_replay_free(struct pt_replay *rp)
{
	size_t i;

	for (i = 0; rp->lab && i < rp->lab->nr_steps; i++)
		pt_explain_free(&rp->lab->steps[i].explain);
	if (rp->lab)
		free(rp->lab->steps);
	free(rp->lab);
	free(rp->src);
	for (i = 0; i < rp->nr_strs; i++)
		free(rp->strs[i]);
	free(rp->strs);
	pt_intern_free(&rp->pool);
	memset(rp, 0, sizeof(*rp));
}
