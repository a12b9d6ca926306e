// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "lab.h"
#include "pagemap_abi.h"
#include "prose.h"
#include "procfs.h"

static int pt_lab_ask(struct pt_lab *lab, const char *line, char *reply,
		      size_t len, struct pt_err *err)
{
	size_t n = strlen(line);

	if (write(lab->to_p, line, n) != (ssize_t)n || write(lab->to_p, "\n", 1) != 1 ||
	    pt_read_line(lab->from_p, reply, len) < 0)
		return pt_err_set(err, PT_EXITED, "the lab's subject process %d is gone",
				  (int)lab->pid[0]);
	return 0;
}

static void pt_lab_kill(struct pt_lab *lab)
{
	if (lab->owned && pt_lab_live(lab)) {
		close(lab->to_p);
		close(lab->from_p);
		/* a question after a failed respawn finds no pipe, not another file */
		lab->to_p = lab->from_p = -1;
		kill(lab->pid[0], SIGKILL);
		waitpid(lab->pid[0], NULL, 0);
	}
	lab->pid[0] = lab->pid[1] = 0;
	if (lab->has_pmu) {
		pt_pmu_detach(&lab->pmu, PT_PMU_PARENT);
		pt_pmu_detach(&lab->pmu, PT_PMU_CHILD);
	}
}

/* Room for one more step at lab->steps[lab->nr_steps], as it was. */
static struct pt_lab_step *pt_lab_room(struct pt_lab *lab)
{
	struct pt_lab_step *s;

	if (lab->nr_steps == lab->cap) {
		size_t cap = lab->cap ? lab->cap * 2 : 16;

		s = realloc(lab->steps, cap * sizeof(*s));
		if (!s)
			return NULL;
		lab->steps = s;
		lab->cap = cap;
	}
	return &lab->steps[lab->nr_steps];
}

struct pt_lab_step *pt_lab_slot(struct pt_lab *lab)
{
	struct pt_lab_step *s = pt_lab_room(lab);

	if (!s)
		return NULL;
	memset(s, 0, sizeof(*s));
	pt_explain_clear(&s->explain);
	s->n = (int)lab->nr_steps + 1;
	return s;
}

static struct pt_lab_step *pt_lab_new_step(struct pt_lab *lab, const char *event)
{
	struct pt_lab_step *s = pt_lab_slot(lab);

	if (s)
		snprintf(s->event, sizeof(s->event), "%s", event);
	return s;
}

int pt_lab_append(struct pt_lab *lab, const struct pt_lab_step *s, struct pt_err *err)
{
	/* the slot itself has its room already: no realloc moves it */
	struct pt_lab_step *d = pt_lab_room(lab);
	size_t i;

	if (!d)
		return pt_err_set(err, PT_NO_MEM, "out of memory");
	if (d != s)
		*d = *s;
	d->n = (int)lab->nr_steps + 1;
	lab->nr_steps++;
	for (i = 0; i < lab->nr_obs; i++)
		lab->obs[i].step(lab->obs[i].ctx, lab, lab->nr_steps - 1);
	return 0;
}

int pt_lab_observe(struct pt_lab *lab, pt_lab_observer_fn *step, void *ctx,
		   struct pt_err *err)
{
	if (lab->nr_obs == PT_LAB_MAX_OBSERVERS)
		return pt_err_set(err, PT_INTERNAL, "more than %d observers of the lab",
				  PT_LAB_MAX_OBSERVERS);
	lab->obs[lab->nr_obs++] = (struct pt_lab_observer){ step, ctx };
	return 0;
}

bool pt_lab_live(const struct pt_lab *lab)
{
	return lab->src && lab->src->ops && lab->pid[0] > 0;
}

static void pt_lab_change(struct pt_lab_step *s, enum pt_who who,
			  enum pt_level l, const char *what, uint64_t before,
			  uint64_t after)
{
	struct pt_lab_change *c;
	char cut[24];

	if (s->nr_changes >= PT_LAB_MAX_CHANGES)
		return;
	c = &s->changes[s->nr_changes++];
	c->who = who;
	c->level = l;
	/* the layout's names and bitN?: a bounded set, kept in the program's pool */
	snprintf(cut, sizeof(cut), "%s", what);
	c->what = pt_prose_kept(cut);
	c->before = before;
	c->after = after;
}

/*
 * The difference of one process between two snapshots, in fields: one
 * "pfn" for the frame, one "split"/"collapse" when a leaf becomes a table
 * or back, the decoder's named bits, and "bitN?" only for a set bit that
 * lies in no known field.
 */
static void pt_lab_diff_proc(const struct pt_layout *ly, struct pt_lab_step *s,
			     enum pt_who who, const struct pt_walk *a,
			     const struct pt_walk *b)
{
	const struct pt_arch *arch = ly->arch;
	struct pt_decoded da, db;
	uint64_t changed, known;
	size_t i;
	int l, bit;

	for (l = 0; l < PT_NR_LEVELS; l++) {
		const struct pt_entry *ea = &a->level[l], *eb = &b->level[l];

		if (ea->state == PT_STATE_ABSENT && eb->state == PT_STATE_ABSENT)
			continue;
		if (!ea->has_raw || !eb->has_raw) {
			if (ea->state != eb->state)
				pt_lab_change(s, who, l, "state", ea->state, eb->state);
			continue;
		}
		pt_decode(ly, l, ea->raw, &da);
		pt_decode(ly, l, eb->raw, &db);
		if (da.state == PT_STATE_LEAF && db.state == PT_STATE_TABLE) {
			pt_lab_change(s, who, l, "split", da.size, 0);
			continue;
		}
		if (da.state == PT_STATE_TABLE && db.state == PT_STATE_LEAF) {
			pt_lab_change(s, who, l, "collapse", 0, db.size);
			continue;
		}
		if (da.state != db.state)
			pt_lab_change(s, who, l, "state", da.state, db.state);
		if ((da.has_pfn || db.has_pfn) &&
		    (da.has_pfn ? da.pfn : 0) != (db.has_pfn ? db.pfn : 0))
			pt_lab_change(s, who, l, "pfn", da.has_pfn ? da.pfn : 0,
				      db.has_pfn ? db.pfn : 0);
		changed = ea->raw ^ eb->raw;
		known = arch->pfn_mask(ly, l, da.state) | arch->pfn_mask(ly, l, db.state);
		if (pt_state_shape(da.state) == PT_SHAPE_NONPRESENT ||
		    pt_state_shape(db.state) == PT_SHAPE_NONPRESENT)
			known |= arch->swp_mask(ly);
		changed &= ~known;
		for (i = 0; i < ly->nr_rows && changed; i++) {
			const struct pt_bit *r = &ly->rows[i];

			if (!(pt_row_applies(r, l, db.state) || pt_row_applies(r, l, da.state)) ||
			    !(changed & r->mask))
				continue;
			pt_lab_change(s, who, l, r->name, pt_row_value(r, ea->raw),
				      pt_row_value(r, eb->raw));
			changed &= ~r->mask;
		}
		for (bit = 0; bit < 64 && changed; bit++) {
			char name[8];

			if (!(changed & eb->raw & (1ull << bit)))
				continue;
			snprintf(name, sizeof(name), "bit%d?", bit);
			pt_lab_change(s, who, l, name, 0, 1);
		}
	}
	/* what /proc says, for the pagemap source above all */
	l = pt_walk_leaf(b);
	if (l < 0)
		l = PT_PTE;
	if (a->pm.valid && b->pm.valid) {
		if (a->pm.pfn != b->pm.pfn && !a->level[l].has_raw)
			pt_lab_change(s, who, l, "pfn", a->pm.pfn, b->pm.pfn);
		if (a->pm.present != b->pm.present)
			pt_lab_change(s, who, l, "pm_present", a->pm.present, b->pm.present);
		if (a->pm.exclusive != b->pm.exclusive)
			pt_lab_change(s, who, l, "pm_exclusive", a->pm.exclusive, b->pm.exclusive);
		if (a->pm.soft_dirty != b->pm.soft_dirty)
			pt_lab_change(s, who, l, "pm_soft_dirty", a->pm.soft_dirty, b->pm.soft_dirty);
	}
}

/* khugepaged's count of the pages it collapsed, system-wide; -1: none */
static int64_t pt_lab_collapsed(void)
{
	long long n = -1;
	FILE *f;

	f = fopen("/sys/kernel/mm/transparent_hugepage/khugepaged/pages_collapsed", "re");
	if (!f)
		return -1;
	if (fscanf(f, "%lld", &n) != 1)
		n = -1;
	fclose(f);
	return n;
}

/*
 * The size of @pid's page tables (VmPTE, kB; 0: not read): the /proc
 * source sees no pmd, but a pte table freed shows here.
 */
static uint64_t pt_lab_vmpte(pid_t pid)
{
	uint64_t kb;

	return pt_proc_status_u64(pid, "VmPTE:", &kb) ? 0 : kb;
}

static void pt_lab_snapshot(struct pt_lab *lab, struct pt_lab_step *s)
{
	struct pt_err err;
	int64_t collapsed;
	int w;

	for (w = 0; w < 2; w++) {
		struct pt_lab_proc *p = &s->proc[w];
		uint64_t now[PT_PMU_MAX];
		bool ok[PT_PMU_MAX];
		int i;

		p->exists = lab->pid[w] > 0;
		if (!p->exists)
			continue;
		/* it existed a step ago: gone now is an exit, not a typo */
		if (lab->src->ops->walk(lab->src, lab->pid[w], lab->addr, &p->walk, &err) < 0) {
			if (err.status == PT_NO_PID)
				snprintf(p->err, sizeof(p->err), "process %d exited",
					 (int)lab->pid[w]);
			else
				snprintf(p->err, sizeof(p->err), "%.150s", err.msg);
		} else {
			p->walked = true;
			p->vmpte_kb = pt_lab_vmpte(lab->pid[w]);
		}
		if (!lab->has_pmu)
			continue;
		pt_pmu_read(&lab->pmu, w, now, ok);
		for (i = 0; i < lab->pmu.nr; i++) {
			p->has_count[i] = ok[i];
			p->count[i] = now[i] - lab->last_count[w][i];
			lab->last_count[w][i] = now[i];
		}
	}
	/* read after the walks: a collapse during them counts for this step */
	collapsed = pt_lab_collapsed();
	s->khugepaged = lab->nr_steps && collapsed >= 0 && lab->collapsed >= 0 &&
			collapsed != lab->collapsed;
	lab->collapsed = collapsed;
	if (lab->nr_steps) {
		const struct pt_lab_step *prev = &lab->steps[lab->nr_steps - 1];

		for (w = 0; w < 2; w++)
			if (prev->proc[w].walked && s->proc[w].walked)
				pt_lab_diff_proc(&lab->src->layout, s, w + 1,
						 &prev->proc[w].walk, &s->proc[w].walk);
	}
}

static int pt_lab_commit(struct pt_lab *lab, struct pt_lab_step *s, struct pt_err *err)
{
	s->addr = lab->addr;
	s->pinned[0] = lab->pinned[0];
	s->pinned[1] = lab->pinned[1];
	pt_lab_snapshot(lab, s);
	return pt_lab_append(lab, s, err);
}

static void pt_lab_counters_reset(struct pt_lab *lab, int w)
{
	uint64_t now[PT_PMU_MAX];
	bool ok[PT_PMU_MAX];
	int i;

	if (!lab->has_pmu)
		return;
	pt_pmu_read(&lab->pmu, w, now, ok);
	for (i = 0; i < lab->pmu.nr; i++)
		lab->last_count[w][i] = now[i];
}

static int pt_lab_spawn(struct pt_lab *lab, struct pt_err *err)
{
	char line[64], reply[256];
	unsigned long long base, size;
	struct pt_lab_step *s;
	int down[2], up[2], ret;
	pid_t pid;

	if (pipe2(down, O_CLOEXEC) || pipe2(up, O_CLOEXEC))
		return pt_err_set(err, PT_INTERNAL, "pipe: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return pt_err_set(err, PT_INTERNAL, "fork: %s", strerror(errno));
	if (!pid) {
		close(down[1]);
		close(up[0]);
		pt_subject_run(down[0], up[1]);
	}
	close(down[0]);
	close(up[1]);
	lab->pid[0] = pid;
	lab->pid[1] = 0;
	lab->to_p = down[1];
	lab->from_p = up[0];
	if (lab->has_pmu) {
		pt_pmu_attach(&lab->pmu, PT_PMU_PARENT, pid);
		pt_lab_counters_reset(lab, PT_PMU_PARENT);
	}
	snprintf(line, sizeof(line), "map %s", pt_lab_kind_name(lab->kind));
	ret = pt_lab_ask(lab, line, reply, sizeof(reply), err);
	if (ret < 0)
		return ret;
	if (sscanf(reply, "ok %llx %llx", &base, &size) != 2) {
		pt_lab_kill(lab);
		return pt_err_set(err, PT_USAGE, "cannot map %s: %s",
				  pt_lab_kind_name(lab->kind),
				  strncmp(reply, "err ", 4) ? reply : reply + 4);
	}
	lab->base = base;
	lab->size = size;
	lab->addr = base;
	snprintf(line, sizeof(line), "map %s", pt_lab_kind_name(lab->kind));
	s = pt_lab_new_step(lab, line);
	if (!s)
		return pt_err_set(err, PT_NO_MEM, "out of memory");
	s->cmd.id = PT_C_KIND;
	s->cmd.kind = lab->kind;
	snprintf(s->cmd.arg, sizeof(s->cmd.arg), "%s", pt_lab_kind_name(lab->kind));
	lab->pinned[0] = lab->pinned[1] = false;
	return pt_lab_commit(lab, s, err);
}

static int pt_lab_pmu(struct pt_lab *lab, const char *events, struct pt_err *err)
{
	int ret;

	if (!events || !*events)
		return 0;
	ret = pt_pmu_init(&lab->pmu, events, err);
	if (ret < 0)
		return ret;
	lab->has_pmu = true;
	return 0;
}

/*
 * A session's state, whatever a session before left in it: the subjects,
 * the counters, the children known.  The steps were freed by
 * pt_lab_stop(); the observers are the maker's and stay.
 */
static void pt_lab_begin(struct pt_lab *lab, struct pt_source *src, bool owned)
{
	lab->src = src;
	lab->owned = owned;
	lab->pid[0] = lab->pid[1] = 0;
	lab->to_p = lab->from_p = -1;
	lab->base = lab->size = lab->addr = 0;
	lab->pinned[0] = lab->pinned[1] = false;
	lab->collapsed = 0;
	lab->has_pmu = false;
	memset(lab->last_count, 0, sizeof(lab->last_count));
	lab->nr_kids = 0;
}

int pt_lab_start(struct pt_lab *lab, struct pt_source *src,
		 enum pt_lab_kind kind, const char *events, struct pt_err *err)
{
	int ret;

	pt_lab_begin(lab, src, true);
	lab->kind = kind;
	ret = pt_lab_pmu(lab, events, err);
	if (ret < 0)
		return ret;
	signal(SIGPIPE, SIG_IGN);
	return pt_lab_spawn(lab, err);
}

static int pt_lab_who(const struct pt_cmd *cmd)
{
	return cmd->who == PT_WHO_CHILD ? 1 : 0;
}

static int pt_lab_clear_refs(struct pt_lab *lab, int w, char *why, size_t len)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/clear_refs", (int)lab->pid[w]);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "4", 1) != 1) {
		snprintf(why, len, "clear_refs of %d: %s", (int)lab->pid[w],
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/*
 * Is @va present in @pid's pagemap?  A read of a page already mapped takes
 * no fault, so it maps no neighbour by fault-around either.  Unreadable
 * (the process is gone) counts as not mapped: the event fails then.
 */
static bool pt_lab_page_mapped(pid_t pid, uint64_t va)
{
	struct pt_err err;
	uint64_t word;

	return !pt_pagemap_word(pid, va, &word, &err) && (word & PM_PRESENT);
}

int pt_lab_line(const struct pt_lab *lab, const struct pt_cmd *cmd, char *buf,
		size_t len)
{
	const char *t = pt_cmd_line(cmd->id);
	uint64_t at = lab->addr + cmd->off;
	char val[32];
	const char *v;
	size_t n = 0, wl;

	buf[0] = '\0';
	if (!t)
		return 0;
	while (*t) {
		wl = strcspn(t, " ");
		v = val;
		if (*t != '%')
			snprintf(val, sizeof(val), "%.*s", (int)wl, t);
		else if (wl == 2 && !strncmp(t, "%w", 2))
			v = cmd->who == PT_WHO_CHILD ? "c" : "";
		else if (wl == 5 && !strncmp(t, "%addr", 5))
			snprintf(val, sizeof(val), "%" PRIx64, at);
		else if (wl == 5 && !strncmp(t, "%page", 5))
			snprintf(val, sizeof(val), "%" PRIx64, at & ~(uint64_t)0xfff);
		else if (wl == 5 && !strncmp(t, "%base", 5))
			snprintf(val, sizeof(val), "%" PRIx64, lab->base);
		else if (wl == 5 && !strncmp(t, "%size", 5))
			snprintf(val, sizeof(val), "%" PRIx64, lab->size);
		else if (wl == 7 && !strncmp(t, "%advice", 7))
			v = pt_lab_advice_name(cmd->advice);
		else if (wl == 5 && !strncmp(t, "%prot", 5))
			v = cmd->prot == PT_PROT_RO ? "ro" : "rw";
		else
			return -EINVAL;
		/* a value left out (the parent's %w) leaves out its word */
		if (*v)
			n += snprintf(buf + n, n < len ? len - n : 0, "%s%s", n ? " " : "", v);
		if (n >= len)
			return -ENOSPC;
		t += wl;
		t += strspn(t, " ");
	}
	return 0;
}

/* What ptinspect does itself for an event that sends the subject no line. */
static void pt_lab_self(struct pt_lab *lab, const struct pt_cmd *cmd,
			struct pt_lab_step *s)
{
	int w = pt_lab_who(cmd);

	switch (cmd->id) {
	case PT_C_CLEAR_SOFT_DIRTY:
		if (cmd->who == PT_WHO_DEFAULT) {
			pt_lab_clear_refs(lab, 0, s->err, sizeof(s->err));
			if (lab->pid[1])
				pt_lab_clear_refs(lab, 1, s->err, sizeof(s->err));
		} else if (lab->pid[w]) {
			pt_lab_clear_refs(lab, w, s->err, sizeof(s->err));
		}
		break;
	case PT_C_WAIT: {
		struct timespec ts = { cmd->ms / 1000, (cmd->ms % 1000) * 1000000 };

		nanosleep(&ts, NULL);
		break;
	}
	default:
		break;
	}
}

/*
 * Sends the subject the event's line (its row's template) and keeps what
 * the answer changes, as the row's flags say; a refusal is the step's
 * error.
 */
static int pt_lab_do(struct pt_lab *lab, const struct pt_cmd *cmd,
		     struct pt_lab_step *s, struct pt_err *err)
{
	unsigned int f = pt_cmd_flags(cmd->id);
	uint64_t at = lab->addr + cmd->off;
	char line[160], reply[256];
	int w = pt_lab_who(cmd), ret;
	unsigned long long pid;

	if (!pt_cmd_line(cmd->id)) {
		pt_lab_self(lab, cmd, s);
		return 0;
	}
	if ((f & PT_CMD_AT_OFFSET) && at >= lab->base + lab->size) {
		snprintf(s->err, sizeof(s->err), "offset 0x%" PRIx64 " is outside the region", cmd->off);
		return 0;
	}
	if (pt_lab_line(lab, cmd, line, sizeof(line)) < 0)
		return pt_err_set(err, PT_INTERNAL, "%s: the subject line '%s' of its row",
				  pt_cmd_name(cmd->id), pt_cmd_line(cmd->id));
	if (w && !lab->pid[1]) {
		snprintf(s->err, sizeof(s->err), "there is no child: fork first");
		return 0;
	}
	if ((f & PT_CMD_AT_OFFSET) && at >> 12 != lab->addr >> 12)
		s->target_mapped = pt_lab_page_mapped(lab->pid[w], at);
	ret = pt_lab_ask(lab, line, reply, sizeof(reply), err);
	if (ret < 0)
		return ret;
	if (!strncmp(reply, "err ", 4)) {
		snprintf(s->err, sizeof(s->err), "%.190s", reply + 4);
		return 0;
	}
	if (f & (PT_CMD_PINS | PT_CMD_UNPINS))
		lab->pinned[w] = f & PT_CMD_PINS;
	if ((f & PT_CMD_NEW_CHILD) && sscanf(reply, "ok %llu", &pid) == 1) {
		lab->pinned[1] = false;
		lab->pid[1] = (pid_t)pid;
		if (lab->has_pmu) {
			pt_pmu_attach(&lab->pmu, PT_PMU_CHILD, lab->pid[1]);
			pt_lab_counters_reset(lab, PT_PMU_CHILD);
		}
	}
	if (f & PT_CMD_END_CHILD) {
		lab->pinned[1] = false;
		lab->pid[1] = 0;
		if (lab->has_pmu)
			pt_pmu_detach(&lab->pmu, PT_PMU_CHILD);
	}
	return 0;
}

int pt_lab_event(struct pt_lab *lab, const struct pt_cmd *cmd,
		 struct pt_err *err)
{
	struct pt_lab_step *s;
	struct pt_maps m;
	uint64_t a;
	int ret;

	/* a recording's source reads nothing: its steps are all there is */
	if (!lab->src->ops)
		return pt_err_set(err, PT_USAGE,
				  "%s: a replay shows recorded steps, it runs no events",
				  pt_cmd_name(cmd->id));
	if (cmd->id == PT_C_KIND) {
		pt_lab_kill(lab);
		lab->kind = cmd->kind;
		return pt_lab_spawn(lab, err);
	}
	s = pt_lab_new_step(lab, cmd->text);
	if (!s)
		return pt_err_set(err, PT_NO_MEM, "out of memory");
	s->cmd = *cmd;
	if (cmd->id == PT_C_ADDR) {
		if (cmd->rel) {
			a = cmd->base_off + lab->base;
		} else if (pt_maps_read(lab->pid[0], &m, err) == 0) {
			ret = pt_addr_parse(cmd->addr, &m, &a, err);
			pt_maps_free(&m);
			if (ret < 0)
				a = lab->addr;
			if (ret < 0)
				snprintf(s->err, sizeof(s->err), "%.190s", err->msg);
		} else {
			a = lab->addr;
		}
		lab->addr = a;
	} else {
		ret = pt_lab_do(lab, cmd, s, err);
		if (ret < 0)
			return ret;
	}
	return pt_lab_commit(lab, s, err);
}

int pt_lab_attach(struct pt_lab *lab, struct pt_source *src, pid_t pid,
		  pid_t child, uint64_t addr, const char *events,
		  struct pt_err *err)
{
	int ret;

	pt_lab_begin(lab, src, false);
	lab->kind = PT_LAB_ANON;
	lab->pid[0] = pid;
	lab->pid[1] = child;
	lab->addr = addr;
	ret = pt_lab_pmu(lab, events, err);
	if (ret < 0)
		return ret;
	if (lab->has_pmu) {
		pt_pmu_attach(&lab->pmu, PT_PMU_PARENT, pid);
		if (child)
			pt_pmu_attach(&lab->pmu, PT_PMU_CHILD, child);
	}
	return pt_lab_watch(lab, "attach", true, err);
}

void pt_lab_set_child(struct pt_lab *lab, pid_t child)
{
	if (lab->pid[1] == child)
		return;
	lab->pid[1] = child;
	lab->pinned[1] = false;
	if (!lab->has_pmu)
		return;
	pt_pmu_detach(&lab->pmu, PT_PMU_CHILD);
	if (child) {
		pt_pmu_attach(&lab->pmu, PT_PMU_CHILD, child);
		pt_lab_counters_reset(lab, PT_PMU_CHILD);
	}
}

int pt_lab_pick_child(struct pt_lab *lab, pid_t pid, struct pt_err *err)
{
	char text[64];
	size_t i;

	if (lab->owned || !pt_lab_live(lab))
		return pt_err_set(err, PT_USAGE, "child picks a child of a process watched with --pid");
	for (i = 0; i < lab->nr_kids; i++)
		if (pid ? lab->kids[i] == pid : lab->kids[i] == lab->pid[1])
			break;
	if (pid && i == lab->nr_kids)
		return pt_err_set(err, PT_NO_PID, "%d is not a living child of %d", (int)pid,
				  (int)lab->pid[0]);
	if (!pid) {
		if (!lab->nr_kids)
			return pt_err_set(err, PT_NO_PID, "%d has no living child", (int)lab->pid[0]);
		pid = lab->kids[i < lab->nr_kids ? (i + 1) % lab->nr_kids : 0];
	}
	pt_lab_set_child(lab, pid);
	snprintf(text, sizeof(text), "show child %d", (int)pid);
	return pt_lab_watch(lab, text, true, err);
}

int pt_lab_look(struct pt_lab *lab, bool force, struct pt_err *err)
{
	struct pt_lab_step *s = pt_lab_new_step(lab, "");
	const struct pt_lab_step *prev;
	int w;

	if (!s)
		return pt_err_set(err, PT_NO_MEM, "out of memory");
	s->cmd.id = PT_C_WAIT;
	s->addr = lab->addr;
	pt_lab_snapshot(lab, s);
	if (!force && lab->nr_steps) {
		prev = &lab->steps[lab->nr_steps - 1];
		for (w = 0; w < 2; w++)
			if (prev->proc[w].walked != s->proc[w].walked)
				force = true;
		if (!force && !s->nr_changes)
			return 0;	/* nothing moved: no step */
	}
	return 1;
}

void pt_lab_keep(struct pt_lab *lab, const char *event)
{
	struct pt_lab_step *s = &lab->steps[lab->nr_steps];

	snprintf(s->event, sizeof(s->event), "%s", event);
	/* the look's slot has its room: appending it cannot fail */
	pt_lab_append(lab, s, NULL);
}

int pt_lab_watch(struct pt_lab *lab, const char *event, bool force,
		 struct pt_err *err)
{
	int ret = pt_lab_look(lab, force, err);

	if (ret > 0)
		pt_lab_keep(lab, event);
	return ret;
}

void pt_lab_stop(struct pt_lab *lab)
{
	size_t i;

	pt_lab_kill(lab);
	if (lab->has_pmu)
		pt_pmu_close(&lab->pmu);
	for (i = 0; i < lab->nr_steps; i++)
		pt_explain_free(&lab->steps[i].explain);
	free(lab->steps);
	lab->steps = NULL;
	lab->nr_steps = lab->cap = 0;
}
