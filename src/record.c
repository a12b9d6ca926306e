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

#include "escape.h"
#include "intern.h"
#include "json.h"
#include "lab.h"
#include "prose.h"
#include "record.h"
#include "version.h"

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

static void pt_rec_layout(struct pt_json *j, const struct pt_layout *ly)
{
	size_t i;

	pt_json_obj_begin(j, "layout");
	pt_json_str(j, "arch", ly->arch->name);
	pt_json_u64(j, "kver", ly->kver);
	pt_json_bool(j, "la57", ly->la57);
	pt_json_bool(j, "pti", ly->pti);
	pt_json_obj_begin(j, "swp");
	pt_json_u64(j, "max_swapfiles", ly->swp.max_swapfiles);
	pt_json_i64(j, "hwpoison", ly->swp.hwpoison);
	pt_json_i64(j, "migration_read", ly->swp.migration_read);
	pt_json_i64(j, "device_first", ly->swp.device_first);
	pt_json_i64(j, "marker", ly->swp.marker);
	pt_json_i64(j, "swapin_error", ly->swp.swapin_error);
	pt_json_obj_end(j);
	pt_json_arr_begin(j, "rows");
	for (i = 0; i < ly->nr_rows; i++) {
		const struct pt_bit *b = &ly->rows[i];

		pt_json_obj_begin(j, NULL);
		pt_json_str(j, "name", b->name);
		pt_json_str(j, "abbr", b->abbr ? b->abbr : "");
		pt_json_str(j, "desc", b->desc ? b->desc : "");
		pt_json_hex(j, "mask", b->mask);
		pt_json_u64(j, "levels", b->levels);
		pt_json_u64(j, "shapes", b->shapes);
		pt_json_u64(j, "since", b->since);
		pt_json_u64(j, "until", b->until);
		pt_json_u64(j, "flags", b->flags);
		pt_json_obj_end(j);
	}
	pt_json_arr_end(j);
	pt_json_arr_begin(j, "values");
	for (i = 0; i < ly->nr_values; i++) {
		const struct pt_value *v = &ly->values[i];

		pt_json_obj_begin(j, NULL);
		pt_json_str(j, "field", v->field);
		pt_json_u64(j, "value", v->value);
		pt_json_str(j, "name", v->name);
		pt_json_str(j, "abbr", v->abbr);
		pt_json_str(j, "desc", v->desc);
		pt_json_obj_end(j);
	}
	pt_json_arr_end(j);
	pt_json_str(j, "kmod_diff", ly->kmod_diff);
	pt_json_arr_begin(j, "vmflags");
	for (i = 0; i < ly->nr_vmflags; i++) {
		pt_json_obj_begin(j, NULL);
		pt_json_str(j, "name", ly->vmflags[i].name);
		pt_json_hex(j, "mask", ly->vmflags[i].mask);
		pt_json_obj_end(j);
	}
	pt_json_arr_end(j);
	pt_json_obj_end(j);
}

static void pt_rec_header(struct pt_json *j, const struct pt_lab *lab)
{
	int i;

	pt_json_obj_begin(j, NULL);
	pt_json_u64(j, "recording", PT_RECORDING_VERSION);
	pt_json_str(j, "mode", lab->owned ? "lab" : "pid");
	pt_json_str(j, "kernel", lab->src->release);
	pt_json_str(j, "arch", lab->src->layout.arch->name);
	pt_json_str(j, "source", lab->src->name);
	pt_json_str(j, "note", lab->src->note);
	/* lab --kernel: the replay explains with the same rows */
	if (lab->src->rows_kver)
		pt_json_u64(j, "rows_kver", lab->src->rows_kver);
	pt_json_arr_begin(j, "counters");
	for (i = 0; lab->has_pmu && i < lab->pmu.nr; i++)
		pt_json_str(j, NULL, lab->pmu.ev[i].name);
	pt_json_arr_end(j);
	pt_rec_layout(j, &lab->src->layout);
	pt_json_obj_end(j);
	pt_json_end(j);
}

static void pt_rec_walk(struct pt_json *j, const struct pt_walk *w)
{
	const struct pt_vma *v = &w->vma;
	const struct pt_pagemap *pm = &w->pm;
	unsigned int i;

	pt_json_obj_begin(j, "walk");
	pt_json_i64(j, "pid", w->pid);
	pt_json_hex(j, "addr", w->addr);
	pt_json_str(j, "source", w->source ? w->source : "");
	pt_json_str(j, "release", w->release);
	pt_json_obj_begin(j, "vma");
	pt_json_hex(j, "start", v->start);
	pt_json_hex(j, "end", v->end);
	pt_json_str(j, "perms", v->perms);
	pt_json_hex(j, "pgoff", v->pgoff);
	pt_json_u64(j, "dev_major", v->dev_major);
	pt_json_u64(j, "dev_minor", v->dev_minor);
	pt_json_u64(j, "inode", v->inode);
	pt_json_str(j, "path", v->path);
	pt_json_bool(j, "has_flags", v->has_flags);
	pt_json_arr_begin(j, "flags");
	for (i = 0; i < v->nr_flags && i < PT_MAX_VMFLAGS; i++)
		pt_json_str(j, NULL, v->flags[i]);
	pt_json_arr_end(j);
	pt_json_u64(j, "kernel_page_size", v->kernel_page_size);
	pt_json_str(j, "kind", pt_vma_kind_name(v->kind));
	pt_json_obj_end(j);
	pt_json_arr_begin(j, "levels");
	for (i = 0; i < PT_NR_LEVELS; i++) {
		const struct pt_entry *e = &w->level[i];

		pt_json_obj_begin(j, NULL);
		pt_json_str(j, "state", pt_state_name(e->state));
		if (e->has_raw)
			pt_json_hex(j, "raw", e->raw);
		else
			pt_json_null(j, "raw");
		pt_json_bool(j, "derived", e->derived);
		pt_json_hex(j, "va", e->va);
		pt_json_bool(j, "user_copy", e->user_copy);
		pt_json_obj_end(j);
	}
	pt_json_arr_end(j);
	pt_json_obj_begin(j, "pagemap");
	pt_json_bool(j, "valid", pm->valid);
	pt_json_hex(j, "word", pm->word);
	pt_json_bool(j, "present", pm->present);
	pt_json_bool(j, "swapped", pm->swapped);
	pt_json_bool(j, "file_shared", pm->file_shared);
	pt_json_bool(j, "exclusive", pm->exclusive);
	pt_json_bool(j, "soft_dirty", pm->soft_dirty);
	pt_json_bool(j, "uffd_wp", pm->uffd_wp);
	pt_json_bool(j, "guard", pm->guard);
	pt_json_hex(j, "pfn", pm->pfn);
	pt_json_bool(j, "pfn_hidden", pm->pfn_hidden);
	pt_json_u64(j, "swp_type", pm->swp_type);
	pt_json_hex(j, "swp_offset", pm->swp_offset);
	if (pm->has_kpageflags)
		pt_json_hex(j, "kpageflags", pm->kpageflags);
	else
		pt_json_null(j, "kpageflags");
	if (pm->has_kpagecount)
		pt_json_hex(j, "kpagecount", pm->kpagecount);
	else
		pt_json_null(j, "kpagecount");
	pt_json_i64(j, "scan_huge", pm->scan_huge);
	pt_json_obj_end(j);
	if (w->strip.nr) {
		pt_json_obj_begin(j, "strip");
		pt_json_hex(j, "first", w->strip.first);
		pt_json_arr_begin(j, "words");
		for (i = 0; i < w->strip.nr && i < PT_STRIP_PAGES; i++)
			pt_json_hex(j, NULL, w->strip.word[i]);
		pt_json_arr_end(j);
		pt_json_obj_end(j);
	}
	pt_json_obj_end(j);
}

static void pt_rec_proc(struct pt_json *j, const struct pt_lab *lab,
			const struct pt_lab_proc *p, const char *key)
{
	int i;

	pt_json_obj_begin(j, key);
	pt_json_bool(j, "exists", p->exists);
	pt_json_str(j, "error", p->err);
	pt_json_arr_begin(j, "counts");
	for (i = 0; lab->has_pmu && i < lab->pmu.nr; i++) {
		if (p->has_count[i])
			pt_json_hex(j, NULL, p->count[i]);
		else
			pt_json_null(j, NULL);
	}
	pt_json_arr_end(j);
	if (p->walked)
		pt_rec_walk(j, &p->walk);
	else
		pt_json_null(j, "walk");
	pt_json_obj_end(j);
}

static void pt_rec_checked(struct pt_json *j, const struct pt_checked *c)
{
	pt_json_obj_begin(j, NULL);
	pt_json_i64(j, "who", c->who);
	pt_json_str(j, "what", c->what);
	pt_json_i64(j, "expected", c->expected);
	pt_json_i64(j, "observed", c->observed);
	pt_json_i64(j, "before", c->before);
	pt_json_bool(j, "held", c->held);
	if (c->func[0])
		pt_json_str(j, "function", c->func);
	else
		pt_json_null(j, "function");
	if (c->source[0])
		pt_json_str(j, "source", c->source);
	else
		pt_json_null(j, "source");
	pt_json_obj_end(j);
}

static void pt_rec_step(struct pt_json *j, const struct pt_lab *lab,
			const struct pt_lab_step *s)
{
	const struct pt_explain *e = &s->explain;
	size_t i;

	pt_json_obj_begin(j, NULL);
	pt_json_u64(j, "step", s->n);
	pt_json_str(j, "event", s->event);
	pt_json_str(j, "error", s->err);
	pt_json_str(j, "kind", pt_lab_kind_name(lab->kind));
	pt_json_obj_begin(j, "cmd");
	pt_json_str(j, "name", pt_cmd_name(s->cmd.id));
	pt_json_u64(j, "who", s->cmd.who);
	pt_json_str(j, "arg", s->cmd.arg);
	pt_json_hex(j, "off", s->cmd.off);
	pt_json_i64(j, "num", pt_cmd_num(&s->cmd));
	pt_json_str(j, "text", s->cmd.text);
	pt_json_obj_end(j);
	pt_json_hex(j, "addr", s->addr);
	pt_json_arr_begin(j, "pinned");
	pt_json_bool(j, NULL, s->pinned[0]);
	pt_json_bool(j, NULL, s->pinned[1]);
	pt_json_arr_end(j);
	/* the lab as it stood: what the screen's header shows */
	pt_json_obj_begin(j, "lab");
	pt_json_hex(j, "addr", lab->addr);
	pt_json_i64(j, "parent", lab->pid[0]);
	pt_json_i64(j, "child", lab->pid[1]);
	pt_json_hex(j, "base", lab->base);
	pt_json_hex(j, "size", lab->size);
	pt_json_obj_end(j);
	pt_rec_proc(j, lab, &s->proc[0], "parent");
	pt_rec_proc(j, lab, &s->proc[1], "child");
	pt_json_arr_begin(j, "changes");
	for (i = 0; i < s->nr_changes && i < PT_LAB_MAX_CHANGES; i++) {
		const struct pt_lab_change *c = &s->changes[i];

		pt_json_obj_begin(j, NULL);
		pt_json_u64(j, "who", c->who);
		pt_json_str(j, "level", pt_level_name(c->level));
		pt_json_str(j, "what", c->what);
		pt_json_hex(j, "before", c->before);
		pt_json_hex(j, "after", c->after);
		pt_json_obj_end(j);
	}
	pt_json_arr_end(j);
	pt_json_obj_begin(j, "explain");
	pt_json_str(j, "text", e->text);
	pt_json_str(j, "functions", e->funcs);
	pt_json_str(j, "state", e->state);
	pt_json_bool(j, "modelled", e->modelled);
	pt_json_bool(j, "gap", e->gap);
	pt_json_i64(j, "checked", e->checked);
	pt_json_i64(j, "skipped", e->skipped);
	pt_json_arr_begin(j, "rows");
	for (i = 0; i < e->nr_rows && i < PT_EXPLAIN_ROWS; i++)
		pt_rec_checked(j, &e->rows[i]);
	pt_json_arr_end(j);
	pt_json_arr_begin(j, "unexpected");
	for (i = 0; i < e->nr_unexpected && i < PT_EXPLAIN_MAX; i++)
		pt_rec_checked(j, &e->unexpected[i]);
	pt_json_arr_end(j);
	pt_json_obj_end(j);
	pt_json_obj_end(j);
	pt_json_end(j);
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

/* ---- the reader: a small JSON parser, then the recording's fields ---- */

enum pt_jt { PT_J_NULL, PT_J_BOOL, PT_J_NUM, PT_J_STR, PT_J_ARR, PT_J_OBJ };

struct pt_jv {
	enum pt_jt t;
	bool b;
	bool neg;
	uint64_t num;		/* the magnitude; integers only */
	char *str;		/* strings, and an object member's key */
	char *key;
	struct pt_jv *kids;	/* arrays and objects */
	size_t nr;
};

struct pt_jp {
	const char *p, *end;
	int depth;
	const char *why;
};

#define PT_J_MAX_DEPTH 12
#define PT_STR_(x) #x
#define PT_STR(x) PT_STR_(x)

static void pt_jv_free(struct pt_jv *v)
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
	if (v->nr >= PT_REPLAY_MAX_MEMBERS)
		return pt_jp_fail(jp, "more than " PT_STR(PT_REPLAY_MAX_MEMBERS) " members");
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
	if (++jp->depth > PT_J_MAX_DEPTH)
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

static bool pt_jv_has(const struct pt_jv *o, const char *key)
{
	size_t i;

	for (i = 0; o->t == PT_J_OBJ && i < o->nr; i++)
		if (!strcmp(o->kids[i].key, key))
			return true;
	return false;
}

/* Reading the fields: the first missing or mistyped one is the error. */
struct pt_rd {
	struct pt_replay *rp;
	char why[160];
};

static const struct pt_jv *pt_rd_get(struct pt_rd *rd, const struct pt_jv *o,
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

static uint64_t pt_rd_num(const struct pt_jv *v, struct pt_rd *rd, const char *key)
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

static uint64_t pt_rd_u64(struct pt_rd *rd, const struct pt_jv *o, const char *key)
{
	const struct pt_jv *v = pt_rd_get(rd, o, key, PT_J_NUM, false);

	if (v && v->t == PT_J_NUM && v->neg) {
		snprintf(rd->why, sizeof(rd->why), "negative \"%s\"", key);
		return 0;
	}
	return pt_rd_num(v, rd, key);
}

static int64_t pt_rd_i64(struct pt_rd *rd, const struct pt_jv *o, const char *key,
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

static bool pt_rd_has(const struct pt_jv *o, const char *key)
{
	size_t i;

	for (i = 0; o && o->t == PT_J_OBJ && i < o->nr; i++)
		if (!strcmp(o->kids[i].key, key))
			return true;
	return false;
}

static bool pt_rd_bool(struct pt_rd *rd, const struct pt_jv *o, const char *key)
{
	const struct pt_jv *v = pt_rd_get(rd, o, key, PT_J_BOOL, false);

	return v && v->b;
}

static void pt_rd_str(struct pt_rd *rd, const struct pt_jv *o, const char *key,
		      char *buf, size_t len)
{
	const struct pt_jv *v = pt_rd_get(rd, o, key, PT_J_STR, false);

	snprintf(buf, len, "%s", v ? v->str : "");
}

static const char *pt_rd_keep(struct pt_rd *rd, const char *s)
{
	struct pt_replay *rp = rd->rp;

	if (rp->nr_strs == rp->cap_strs) {
		size_t cap = rp->cap_strs ? rp->cap_strs * 2 : 64;
		char **more = realloc(rp->strs, cap * sizeof(*more));

		if (!more)
			goto out_nomem;
		rp->strs = more;
		rp->cap_strs = cap;
	}
	rp->strs[rp->nr_strs] = strdup(s);
	if (!rp->strs[rp->nr_strs])
		goto out_nomem;
	return rp->strs[rp->nr_strs++];
out_nomem:
	if (!rd->why[0])
		snprintf(rd->why, sizeof(rd->why), "out of memory");
	return "";
}

/* A string kept for the replay's life; NULL for null. */
static const char *pt_rd_kept(struct pt_rd *rd, const struct pt_jv *o, const char *key)
{
	const struct pt_jv *v = pt_rd_get(rd, o, key, PT_J_STR, true);

	return v ? pt_rd_keep(rd, v->str) : NULL;
}

/*
 * A string of a step's explanation, cut as a buffer of @len would cut it,
 * interned (intern.h): a recording repeats them step after step.  "" for
 * null or absent.
 */
static const char *pt_rd_interned(struct pt_rd *rd, const struct pt_jv *o, const char *key,
				  size_t len, bool nullable)
{
	const struct pt_jv *v = pt_rd_get(rd, o, key, PT_J_STR, nullable);
	const char *k;

	if (!v)
		return "";
	k = pt_intern_in(&rd->rp->pool, v->str, strnlen(v->str, len - 1));
	if (k)
		return k;
	if (!rd->why[0])
		snprintf(rd->why, sizeof(rd->why), "out of memory");
	return "";
}

static const struct pt_jv *pt_rd_arr(struct pt_rd *rd, const struct pt_jv *o,
				     const char *key, size_t max)
{
	const struct pt_jv *v = pt_rd_get(rd, o, key, PT_J_ARR, false);

	if (v && v->nr > max) {
		snprintf(rd->why, sizeof(rd->why), "too many \"%s\"", key);
		return NULL;
	}
	return v;
}

static int pt_rd_name(struct pt_rd *rd, const struct pt_jv *o, const char *key,
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

static const char *pt_state_name_i(int i)
{
	return pt_state_name((enum pt_state)i);
}

static const char *pt_level_name_i(int i)
{
	return pt_level_name((enum pt_level)i);
}

static const char *pt_vma_kind_name_i(int i)
{
	return pt_vma_kind_name((enum pt_vma_kind)i);
}

static const char *pt_cmd_name_i(int i)
{
	return pt_cmd_name((enum pt_cmd_id)i);
}

static const char *pt_lab_kind_name_i(int i)
{
	return pt_lab_kind_name((enum pt_lab_kind)i);
}

/*
 * The fields' value names in force when recorded (the module's MT_*
 * included); a recording from before them keeps this ptinspect's table.
 */
static void pt_rd_values(struct pt_rd *rd, const struct pt_jv *o, struct pt_layout *ly)
{
	const struct pt_jv *vals = NULL;
	size_t i;

	for (i = 0; o && o->t == PT_J_OBJ && i < o->nr; i++)
		if (!strcmp(o->kids[i].key, "values"))
			vals = pt_rd_arr(rd, o, "values", PT_MAX_VALUES);
	if (!vals || rd->why[0])
		return;
	ly->nr_values = 0;
	for (i = 0; i < vals->nr && !rd->why[0]; i++) {
		const struct pt_jv *r = &vals->kids[i];
		struct pt_value *v = &ly->values[ly->nr_values++];
		const char *field = pt_rd_kept(rd, r, "field");
		const struct pt_bit *b = field ? pt_layout_row(ly, field) : NULL;

		memset(v, 0, sizeof(*v));
		v->field = b ? b->name : NULL;
		v->value = pt_rd_u64(rd, r, "value");
		v->name = pt_rd_kept(rd, r, "name");
		v->abbr = pt_rd_kept(rd, r, "abbr");
		v->desc = pt_rd_kept(rd, r, "desc");
		if (!rd->why[0] && (!v->field || !v->name || !v->abbr || !v->desc))
			snprintf(rd->why, sizeof(rd->why), "layout value %zu is incomplete", i);
	}
}

static void pt_rd_layout(struct pt_rd *rd, const struct pt_jv *o, struct pt_layout *ly)
{
	const struct pt_arch *arch;
	const struct pt_jv *swp, *rows, *vmf;
	char name[32];
	size_t i;

	pt_rd_str(rd, o, "arch", name, sizeof(name));
	if (rd->why[0])
		return;
	arch = pt_arch_find(name);
	if (!arch) {
		snprintf(rd->why, sizeof(rd->why),
			 "recorded on %.40s, which this ptinspect cannot decode", name);
		return;
	}
	pt_layout_init(ly, arch, (unsigned int)pt_rd_i64(rd, o, "kver", 0, UINT_MAX));
	pt_layout_set_la57(ly, pt_rd_bool(rd, o, "la57"));
	ly->pti = pt_rd_bool(rd, o, "pti");
	swp = pt_rd_get(rd, o, "swp", PT_J_OBJ, false);
	ly->swp.max_swapfiles = (unsigned int)pt_rd_i64(rd, swp, "max_swapfiles", 0, 1 << 20);
	ly->swp.hwpoison = (int)pt_rd_i64(rd, swp, "hwpoison", -1, 31);
	ly->swp.migration_read = (int)pt_rd_i64(rd, swp, "migration_read", -1, 31);
	ly->swp.device_first = (int)pt_rd_i64(rd, swp, "device_first", -1, 31);
	ly->swp.marker = (int)pt_rd_i64(rd, swp, "marker", -1, 31);
	ly->swp.swapin_error = (int)pt_rd_i64(rd, swp, "swapin_error", -1, 31);
	/* the rows in force when recorded, the module's included */
	rows = pt_rd_arr(rd, o, "rows", PT_MAX_ROWS);
	ly->nr_rows = 0;
	for (i = 0; rows && i < rows->nr && !rd->why[0]; i++) {
		const struct pt_jv *r = &rows->kids[i];
		struct pt_bit *b = &ly->rows[ly->nr_rows++];

		memset(b, 0, sizeof(*b));
		b->name = pt_rd_kept(rd, r, "name");
		b->abbr = pt_rd_kept(rd, r, "abbr");
		b->desc = pt_rd_kept(rd, r, "desc");
		b->mask = pt_rd_u64(rd, r, "mask");
		b->levels = (unsigned int)pt_rd_i64(rd, r, "levels", 0, PT_L_ALL);
		b->shapes = (unsigned int)pt_rd_i64(rd, r, "shapes", 0, PT_SHAPE_ANY);
		b->since = (unsigned int)pt_rd_i64(rd, r, "since", 0, UINT_MAX);
		b->until = (unsigned int)pt_rd_i64(rd, r, "until", 0, UINT_MAX);
		b->flags = (unsigned int)pt_rd_i64(rd, r, "flags", 0, UINT_MAX);
		if (!rd->why[0] && (!b->name || !b->abbr || !b->desc || !b->mask))
			snprintf(rd->why, sizeof(rd->why), "layout row %zu is incomplete", i);
	}
	ly->nr_kmod_names = 0;
	pt_rd_values(rd, o, ly);
	pt_rd_str(rd, o, "kmod_diff", ly->kmod_diff, sizeof(ly->kmod_diff));
	vmf = pt_rd_arr(rd, o, "vmflags", sizeof(ly->vmflags) / sizeof(ly->vmflags[0]));
	ly->nr_vmflags = 0;
	for (i = 0; vmf && i < vmf->nr && !rd->why[0]; i++) {
		struct pt_vmflag *f = &ly->vmflags[ly->nr_vmflags++];

		pt_rd_str(rd, &vmf->kids[i], "name", f->name, sizeof(f->name));
		f->mask = pt_rd_u64(rd, &vmf->kids[i], "mask");
	}
}

static void pt_rd_walk(struct pt_rd *rd, const struct pt_jv *o, struct pt_walk *w)
{
	const struct pt_jv *vma = pt_rd_get(rd, o, "vma", PT_J_OBJ, false);
	const struct pt_jv *pm = pt_rd_get(rd, o, "pagemap", PT_J_OBJ, false);
	const struct pt_jv *lv, *fl, *raw;
	char src[16];
	size_t i;

	memset(w, 0, sizeof(*w));
	w->pid = (pid_t)pt_rd_i64(rd, o, "pid", 0, INT_MAX);
	w->addr = pt_rd_u64(rd, o, "addr");
	pt_rd_str(rd, o, "source", src, sizeof(src));
	w->source = !strcmp(src, "kmod") ? "kmod" : "pagemap";
	pt_rd_str(rd, o, "release", w->release, sizeof(w->release));
	w->vma.start = pt_rd_u64(rd, vma, "start");
	w->vma.end = pt_rd_u64(rd, vma, "end");
	pt_rd_str(rd, vma, "perms", w->vma.perms, sizeof(w->vma.perms));
	w->vma.pgoff = pt_rd_u64(rd, vma, "pgoff");
	w->vma.dev_major = (unsigned int)pt_rd_i64(rd, vma, "dev_major", 0, UINT_MAX);
	w->vma.dev_minor = (unsigned int)pt_rd_i64(rd, vma, "dev_minor", 0, UINT_MAX);
	w->vma.inode = pt_rd_u64(rd, vma, "inode");
	/* as the PATH_MAX buffer it once was read into cut it */
	w->vma.path = pt_rd_interned(rd, vma, "path", PATH_MAX, false);
	w->vma.has_flags = pt_rd_bool(rd, vma, "has_flags");
	fl = pt_rd_arr(rd, vma, "flags", PT_MAX_VMFLAGS);
	for (i = 0; fl && i < fl->nr && !rd->why[0]; i++) {
		if (fl->kids[i].t != PT_J_STR) {
			snprintf(rd->why, sizeof(rd->why), "a VmFlag is not a string");
			break;
		}
		snprintf(w->vma.flags[i], sizeof(w->vma.flags[i]), "%s", fl->kids[i].str);
		w->vma.nr_flags++;
	}
	w->vma.kernel_page_size = pt_rd_u64(rd, vma, "kernel_page_size");
	w->vma.kind = pt_rd_name(rd, vma, "kind", pt_vma_kind_name_i, PT_VMA_NR_KINDS);
	lv = pt_rd_arr(rd, o, "levels", PT_NR_LEVELS);
	if (lv && lv->nr != PT_NR_LEVELS && !rd->why[0])
		snprintf(rd->why, sizeof(rd->why), "a walk needs %d levels", PT_NR_LEVELS);
	for (i = 0; lv && i < lv->nr && !rd->why[0]; i++) {
		const struct pt_jv *e = &lv->kids[i];
		struct pt_entry *en = &w->level[i];

		en->state = pt_rd_name(rd, e, "state", pt_state_name_i, PT_STATE_NR);
		raw = pt_rd_get(rd, e, "raw", PT_J_STR, true);
		en->has_raw = raw != NULL;
		en->raw = pt_rd_num(raw, rd, "raw");
		en->derived = pt_rd_bool(rd, e, "derived");
		en->va = pt_rd_u64(rd, e, "va");
		en->user_copy = pt_rd_bool(rd, e, "user_copy");
	}
	w->pm.valid = pt_rd_bool(rd, pm, "valid");
	w->pm.word = pt_rd_u64(rd, pm, "word");
	w->pm.present = pt_rd_bool(rd, pm, "present");
	w->pm.swapped = pt_rd_bool(rd, pm, "swapped");
	w->pm.file_shared = pt_rd_bool(rd, pm, "file_shared");
	w->pm.exclusive = pt_rd_bool(rd, pm, "exclusive");
	w->pm.soft_dirty = pt_rd_bool(rd, pm, "soft_dirty");
	w->pm.uffd_wp = pt_rd_bool(rd, pm, "uffd_wp");
	w->pm.guard = pt_rd_bool(rd, pm, "guard");
	w->pm.pfn = pt_rd_u64(rd, pm, "pfn");
	w->pm.pfn_hidden = pt_rd_bool(rd, pm, "pfn_hidden");
	w->pm.swp_type = (unsigned int)pt_rd_i64(rd, pm, "swp_type", 0, 31);
	w->pm.swp_offset = pt_rd_u64(rd, pm, "swp_offset");
	raw = pt_rd_get(rd, pm, "kpageflags", PT_J_STR, true);
	w->pm.has_kpageflags = raw != NULL;
	w->pm.kpageflags = pt_rd_num(raw, rd, "kpageflags");
	raw = pt_rd_get(rd, pm, "kpagecount", PT_J_STR, true);
	w->pm.has_kpagecount = raw != NULL;
	w->pm.kpagecount = pt_rd_num(raw, rd, "kpagecount");
	w->pm.scan_huge = (int)pt_rd_i64(rd, pm, "scan_huge", -1, 1);
	/* the /proc source's pages around the address; older recordings lack it */
	for (i = 0; o->t == PT_J_OBJ && i < o->nr; i++)
		if (!strcmp(o->kids[i].key, "strip"))
			break;
	if (o->t == PT_J_OBJ && i < o->nr && !rd->why[0]) {
		const struct pt_jv *st = pt_rd_get(rd, o, "strip", PT_J_OBJ, false);
		const struct pt_jv *ws;

		w->strip.first = pt_rd_u64(rd, st, "first");
		ws = pt_rd_arr(rd, st, "words", PT_STRIP_PAGES);
		for (i = 0; ws && i < ws->nr && !rd->why[0]; i++) {
			if (ws->kids[i].t != PT_J_STR && ws->kids[i].t != PT_J_NUM) {
				snprintf(rd->why, sizeof(rd->why), "a strip word is not a number");
				break;
			}
			w->strip.word[i] = pt_rd_num(&ws->kids[i], rd, "words");
		}
		w->strip.nr = rd->why[0] || !ws ? 0 : (unsigned int)ws->nr;
	}
}

static void pt_rd_proc(struct pt_rd *rd, const struct pt_jv *o, int nr_counts,
		       struct pt_lab_proc *p)
{
	const struct pt_jv *c, *w;
	size_t i;

	p->exists = pt_rd_bool(rd, o, "exists");
	pt_rd_str(rd, o, "error", p->err, sizeof(p->err));
	c = pt_rd_arr(rd, o, "counts", PT_PMU_MAX);
	if (c && (int)c->nr != nr_counts && !rd->why[0])
		snprintf(rd->why, sizeof(rd->why), "%zu counts for %d counters", c->nr, nr_counts);
	for (i = 0; c && i < c->nr && !rd->why[0]; i++) {
		p->has_count[i] = c->kids[i].t != PT_J_NULL;
		if (p->has_count[i]) {
			if (c->kids[i].t != PT_J_STR && c->kids[i].t != PT_J_NUM)
				snprintf(rd->why, sizeof(rd->why), "a count is not a number");
			else
				p->count[i] = pt_rd_num(&c->kids[i], rd, "counts");
		}
	}
	w = pt_rd_get(rd, o, "walk", PT_J_OBJ, true);
	p->walked = w != NULL;
	if (w)
		pt_rd_walk(rd, w, &p->walk);
}

/* the buffers a checked row had when it was written: what[32], func[64], source[128] */
static void pt_rd_checked(struct pt_rd *rd, const struct pt_jv *o, struct pt_checked *c)
{
	c->who = (int)pt_rd_i64(rd, o, "who", PT_WHO_DEFAULT, PT_WHO_CHILD);
	c->what = pt_rd_interned(rd, o, "what", 32, false);
	c->expected = (long)pt_rd_i64(rd, o, "expected", LONG_MIN, LONG_MAX);
	c->observed = (long)pt_rd_i64(rd, o, "observed", LONG_MIN, LONG_MAX);
	c->before = (long)pt_rd_i64(rd, o, "before", LONG_MIN, LONG_MAX);
	c->held = pt_rd_bool(rd, o, "held");
	c->func = pt_rd_interned(rd, o, "function", 64, true);
	c->source = pt_rd_interned(rd, o, "source", 128, true);
}

static void pt_rd_step(struct pt_rd *rd, const struct pt_jv *o, struct pt_lab *lab,
		       struct pt_lab_step *s)
{
	const struct pt_jv *cmd = pt_rd_get(rd, o, "cmd", PT_J_OBJ, false);
	const struct pt_jv *lb = pt_rd_get(rd, o, "lab", PT_J_OBJ, false);
	const struct pt_jv *pin, *ch, *e, *rows, *unexp;
	struct pt_checked row[PT_EXPLAIN_ROWS], un[PT_EXPLAIN_MAX];
	size_t i, nr_rows = 0, nr_un = 0;
	struct pt_err err;
	long num;

	memset(s, 0, sizeof(*s));
	s->n = (int)pt_rd_i64(rd, o, "step", 1, INT_MAX);
	pt_rd_str(rd, o, "event", s->event, sizeof(s->event));
	pt_rd_str(rd, o, "error", s->err, sizeof(s->err));
	lab->kind = pt_rd_name(rd, o, "kind", pt_lab_kind_name_i, PT_LAB_NR_KINDS);
	s->cmd.id = pt_rd_name(rd, cmd, "name", pt_cmd_name_i, PT_C_NR);
	s->cmd.who = (enum pt_who)pt_rd_i64(rd, cmd, "who", PT_WHO_DEFAULT, PT_WHO_CHILD);
	pt_rd_str(rd, cmd, "arg", s->cmd.arg, sizeof(s->cmd.arg));
	s->cmd.off = pt_rd_u64(rd, cmd, "off");
	num = (long)pt_rd_i64(rd, cmd, "num", LONG_MIN, LONG_MAX);
	pt_rd_str(rd, cmd, "text", s->cmd.text, sizeof(s->cmd.text));
	if (!rd->why[0] && pt_cmd_retype(&s->cmd, num, &err) < 0)
		snprintf(rd->why, sizeof(rd->why), "%.150s", err.msg);
	s->addr = pt_rd_u64(rd, o, "addr");
	pin = pt_rd_arr(rd, o, "pinned", 2);
	for (i = 0; pin && i < pin->nr; i++)
		s->pinned[i] = pin->kids[i].t == PT_J_BOOL && pin->kids[i].b;
	lab->addr = pt_rd_u64(rd, lb, "addr");
	lab->pid[0] = (pid_t)pt_rd_i64(rd, lb, "parent", 0, INT_MAX);
	lab->pid[1] = (pid_t)pt_rd_i64(rd, lb, "child", 0, INT_MAX);
	lab->base = pt_rd_u64(rd, lb, "base");
	lab->size = pt_rd_u64(rd, lb, "size");
	pt_rd_proc(rd, pt_rd_get(rd, o, "parent", PT_J_OBJ, false), lab->pmu.nr, &s->proc[0]);
	pt_rd_proc(rd, pt_rd_get(rd, o, "child", PT_J_OBJ, false), lab->pmu.nr, &s->proc[1]);
	ch = pt_rd_arr(rd, o, "changes", PT_LAB_MAX_CHANGES);
	for (i = 0; ch && i < ch->nr && !rd->why[0]; i++) {
		struct pt_lab_change *c = &s->changes[s->nr_changes++];

		c->who = (enum pt_who)pt_rd_i64(rd, &ch->kids[i], "who", PT_WHO_DEFAULT,
						PT_WHO_CHILD);
		c->level = pt_rd_name(rd, &ch->kids[i], "level", pt_level_name_i, PT_NR_LEVELS);
		pt_rd_str(rd, &ch->kids[i], "what", c->what, sizeof(c->what));
		c->before = pt_rd_u64(rd, &ch->kids[i], "before");
		c->after = pt_rd_u64(rd, &ch->kids[i], "after");
	}
	e = pt_rd_get(rd, o, "explain", PT_J_OBJ, false);
	/* the sizes of the buffers the prose was made in (explain.c) */
	pt_explain_clear(&s->explain);
	s->explain.text = pt_rd_interned(rd, e, "text", 1024, false);
	s->explain.funcs = pt_rd_interned(rd, e, "functions", 192, false);
	s->explain.state = pt_rd_interned(rd, e, "state", 400, false);
	s->explain.modelled = pt_rd_bool(rd, e, "modelled");
	/* recordings made before the rows were bound to versions lack it */
	s->explain.gap = pt_rd_has(e, "gap") && pt_rd_bool(rd, e, "gap");
	s->explain.checked = (int)pt_rd_i64(rd, e, "checked", 0, INT_MAX);
	s->explain.skipped = (int)pt_rd_i64(rd, e, "skipped", 0, INT_MAX);
	rows = pt_rd_arr(rd, e, "rows", PT_EXPLAIN_ROWS);
	for (i = 0; rows && i < rows->nr && !rd->why[0]; i++)
		pt_rd_checked(rd, &rows->kids[i], &row[nr_rows++]);
	unexp = pt_rd_arr(rd, e, "unexpected", PT_EXPLAIN_MAX);
	for (i = 0; unexp && i < unexp->nr && !rd->why[0]; i++)
		pt_rd_checked(rd, &unexp->kids[i], &un[nr_un++]);
	if (!rd->why[0] && pt_explain_set_rows(&s->explain, row, nr_rows, un, nr_un) < 0)
		snprintf(rd->why, sizeof(rd->why), "out of memory");
}

static void pt_rd_header(struct pt_rd *rd, const struct pt_jv *o, struct pt_replay *rp)
{
	struct pt_source *src = rp->src;
	struct pt_lab *lab = rp->lab;
	const struct pt_jv *v, *ly, *c;
	char name[16];
	size_t i;

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
	lab->owned = !strcmp(rp->mode, "lab");
	pt_rd_str(rd, o, "kernel", src->release, sizeof(src->release));
	pt_rd_str(rd, o, "source", name, sizeof(name));
	src->name = !strcmp(name, "kmod") ? "kmod" : "pagemap";
	pt_rd_str(rd, o, "note", src->note, sizeof(src->note));
	if (pt_rd_has(o, "rows_kver"))
		src->rows_kver = (unsigned int)pt_rd_i64(rd, o, "rows_kver", 0, UINT_MAX);
	c = pt_rd_arr(rd, o, "counters", PT_PMU_MAX);
	for (i = 0; c && i < c->nr && !rd->why[0]; i++) {
		if (c->kids[i].t != PT_J_STR) {
			snprintf(rd->why, sizeof(rd->why), "a counter's name is not a string");
			break;
		}
		snprintf(lab->pmu.ev[i].name, sizeof(lab->pmu.ev[i].name), "%s", c->kids[i].str);
		lab->pmu.nr++;
	}
	lab->has_pmu = lab->pmu.nr > 0;
	ly = pt_rd_get(rd, o, "layout", PT_J_OBJ, false);
	if (ly)
		pt_rd_layout(rd, ly, &src->layout);
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
	r->rd.rp = rp;
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
	struct pt_err e;
	struct pt_jp jp;
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
	jp = (struct pt_jp){ .p = p, .end = nl };
	if (pt_jp_value(&jp, &v) == 0 && v.t != PT_J_OBJ)
		pt_jp_fail(&jp, "not an object");
	pt_jp_ws(&jp);
	if (!jp.why && jp.p != jp.end)
		pt_jp_fail(&jp, "text after the object");
	if (jp.why) {
		snprintf(rd->why, sizeof(rd->why), "line %zu is not JSON (%s at column %zu)",
			 line, jp.why, (size_t)(jp.p - p) + 1);
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
