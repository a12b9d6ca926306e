// SPDX-License-Identifier: GPL-2.0
/*
 * ptinspect lab, ptinspect shell and ptinspect --pid: connect a source, a
 * lab and a view (the TUI with a terminal, steps printed without one).
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "commands.h"
#include "lab.h"
#include "labgen.h"
#include "procfs.h"
#include "prompt.h"
#include "report_lab.h"
#include "screen.h"
#include "ui.h"

/* Built-in scripts: a kind to start with and the events to step through. */
static const struct {
	const char *name, *kind, *script, *help;
} pt_scenarios[] = {
	{ "thread", "pfnmap",
	  "write parent; fork; read child; write child; write parent; "
	  "kind thp; write parent; fork; write child; write parent",
	  "the mailing-list thread on huge pfnmaps in fork(): a shared pfnmap keeps its write bit in parent and child (a huge pmd from 6.12, ptes before), a private THP loses it and moves Dirty into SavedDirty (6.6 and later)" },
	{ "cow", "thp", PT_LAB_DEFAULT_SCRIPT,
	  "copy-on-write of a private THP" },
	{ "saved-dirty", "pfnmap",
	  "write parent; mprotect ro; mprotect rw; kind thp; write parent; mprotect ro; mprotect rw",
	  "mprotect moves Dirty into SavedDirty when it takes Write away and back when it gives Write again (pmd_modify, pud_modify, pte_modify), for a shared huge pfnmap and a private THP; the kind pfnmap-pud shows the same at pud level" },
	{ "write-notify", "pfnmap",
	  "clear-soft-dirty; read parent; write parent",
	  "soft-dirty tracking write-protects a shared pfnmap, so a read maps it read-only and the write that follows takes the huge write-fault path (wp_huge_pmd, or wp_huge_pud with the kind pfnmap-pud) back into the driver's huge_fault" },
	{ "pin", "anon",
	  "write parent; pin parent; fork; write child; write parent; unpin parent; exit child; "
	  "kind thp; write parent; pin parent; fork; write child; unpin parent",
	  "a page pinned for DMA (an io_uring fixed buffer) is copied for the child at fork instead of shared copy-on-write: the parent keeps its write bit, the child gets its own page; a pinned THP's pmd is split first" },
};

static int pt_scenario(const char *name, const char **kind, const char **script,
		       struct pt_err *err)
{
	char names[160] = "";
	size_t i;

	for (i = 0; i < sizeof(pt_scenarios) / sizeof(pt_scenarios[0]); i++) {
		if (!strcmp(pt_scenarios[i].name, name)) {
			*kind = pt_scenarios[i].kind;
			*script = pt_scenarios[i].script;
			return 0;
		}
	}
	for (i = 0; i < sizeof(pt_scenarios) / sizeof(pt_scenarios[0]); i++)
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
			 i ? ", " : "", pt_scenarios[i].name);
	return pt_err_set(err, PT_USAGE, "unknown scenario '%s' (%s)", name, names);
}

void pt_lab_help(FILE *f)
{
	int i;

	for (i = 0; i < PT_C_NR; i++)
		fprintf(f, "  %-17s %-34s %s\n", pt_cmd_name(i), pt_cmd_args(i),
			pt_cmd_help(i));
	fprintf(f, "kinds:");
	for (i = 0; i < PT_LAB_NR_KINDS; i++)
		fprintf(f, " %s", pt_lab_kind_name(i));
	fputc('\n', f);
	for (i = 0; i < (int)(sizeof(pt_scenarios) / sizeof(pt_scenarios[0])); i++)
		fprintf(f, "scenario %s: %s\n", pt_scenarios[i].name, pt_scenarios[i].help);
}

/* ptinspect help [--man]: the command language, the kinds and the keys. */
int pt_cmd_help_tables(const struct pt_options *o, struct pt_err *err)
{
	int i;

	(void)err;
	if (!o->man) {
		printf("lab commands (--script, --batch, the shell, ':' in the TUI):\n");
		pt_lab_help(stdout);
		printf("keys of the TUI:\n");
		pt_ui_keys_print(stdout, false);
		return 0;
	}
	printf(".Ss Commands\n.Bl -tag -width Ds\n");
	for (i = 0; i < PT_C_NR; i++) {
		printf(".It Cm %s", pt_cmd_name(i));
		if (pt_cmd_args(i)[0])
			printf(" Ar %s", pt_cmd_args(i));
		printf("\n%s.\n", pt_cmd_help(i));
	}
	printf(".El\n.Ss Kinds\n.Bl -tag -width hugetlb-shared -compact\n");
	for (i = 0; i < PT_LAB_NR_KINDS; i++)
		printf(".It Cm %s\n%s.\n", pt_lab_kind_name(i), pt_lab_kind_desc(i));
	printf(".El\n.Ss Scenarios\n.Bl -tag -width thread\n");
	for (i = 0; i < (int)(sizeof(pt_scenarios) / sizeof(pt_scenarios[0])); i++)
		printf(".It Cm %s\n%s:\n.Dl %s\n", pt_scenarios[i].name,
		       pt_scenarios[i].help, pt_scenarios[i].script);
	printf(".El\n.Ss Keys\n");
	pt_ui_keys_print(stdout, true);
	return 0;
}

static void pt_lab_print(FILE *f, const struct pt_lab *lab, bool json)
{
	const struct pt_lab_step *s = pt_lab_shown(lab);

	if (!s)
		return;
	if (json)
		pt_report_lab_step_json(f, lab, s);
	else
		pt_report_lab_step(f, lab, s);
}

int pt_lab_exec(struct pt_lab *lab, const char *line, FILE *out, bool json,
		struct pt_err *err)
{
	struct pt_cmd cmd;
	int ret;

	ret = pt_cmd_parse(line, &cmd, err);
	if (ret < 0)
		return ret;
	switch (cmd.id) {
	case PT_C_DUMP:
		pt_lab_print(out, lab, false);
		return 0;
	case PT_C_JSON:
		pt_lab_print(out, lab, true);
		return 0;
	case PT_C_STEP:
		if (cmd.num > 0 && (size_t)cmd.num <= lab->nr_steps)
			lab->cur = cmd.num - 1;
		else if (cmd.num < 0 && lab->cur + 1 < lab->nr_steps)
			lab->cur++;
		else if (cmd.num > 0)
			return pt_err_set(err, PT_USAGE, "there is no step %ld", cmd.num);
		pt_lab_print(out, lab, json);
		return 0;
	case PT_C_BACK:
		if (lab->cur > 0)
			lab->cur--;
		pt_lab_print(out, lab, json);
		return 0;
	case PT_C_SCREEN:
		return pt_screen_write(out, lab, &cmd, err);
	case PT_C_HELP:
		pt_lab_help(out);
		return 0;
	case PT_C_QUIT:
		return 1;
	default:
		ret = pt_lab_event(lab, &cmd, err);
		if (ret < 0)
			return ret;
		pt_lab_print(out, lab, json);
		return 0;
	}
}

struct pt_lab_script {
	struct pt_lab *lab;
	bool json;
	struct pt_err *err;
	FILE *screen;		/* --screen FILE: where `screen` writes */
	int screens;		/* how many it wrote */
};

static int pt_lab_script_line(const char *line, void *arg)
{
	struct pt_lab_script *sc = arg;
	struct pt_cmd cmd;

	if (sc->screen && !pt_cmd_parse(line, &cmd, sc->err) && cmd.id == PT_C_SCREEN) {
		sc->screens++;
		return pt_lab_exec(sc->lab, line, sc->screen, sc->json, sc->err);
	}
	return pt_lab_exec(sc->lab, line, stdout, sc->json, sc->err);
}

static char *pt_slurp(const char *path, struct pt_err *err)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	size_t len = 0, cap = 4096, n;
	char *buf = malloc(cap);

	if (!f || !buf) {
		pt_err_set(err, PT_USAGE, "cannot read %s: %s", path, strerror(errno));
		free(buf);
		return NULL;
	}
	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len + 1 == cap) {
			char *more = cap < (1u << 20) ? realloc(buf, cap * 2) : NULL;

			if (!more)
				break;
			buf = more;
			cap *= 2;
		}
	}
	buf[len] = '\0';
	if (f != stdin)
		fclose(f);
	return buf;
}

static int pt_lab_check_line(const char *line, void *arg)
{
	struct pt_cmd cmd;

	return pt_cmd_parse(line, &cmd, arg);
}

static int pt_lab_setup(const struct pt_options *o, const char *kind_name,
			struct pt_source *src, struct pt_lab *lab,
			struct pt_err *err)
{
	enum pt_lab_kind kind = PT_LAB_THP;
	int ret;

	if (kind_name && pt_lab_kind_parse(kind_name, &kind))
		return pt_err_set(err, PT_USAGE, "unknown kind '%s'", kind_name);
	ret = pt_explain_init(err);
	if (ret < 0)
		return ret;
	if (o->expect) {
		ret = pt_explain_add(o->expect, err);
		if (ret < 0)
			return ret;
	}
	ret = pt_source_open(src, o->backend, err);
	if (ret < 0)
		return ret;
	ret = pt_lab_start(lab, src, kind, o->events, err);
	if (ret < 0)
		pt_source_close(src);
	return ret;
}

static void pt_lab_notes(const struct pt_source *src, const struct pt_lab *lab)
{
	if (src->note[0])
		fprintf(stderr, "ptinspect: note: %s\n", src->note);
	if (lab->has_pmu && lab->pmu.note[0])
		fprintf(stderr, "ptinspect: note: %s\n", lab->pmu.note);
}

/* --kind for --random: a comma-separated list; all kinds without one */
static int pt_kinds_mask(const char *list, unsigned int *mask, struct pt_err *err)
{
	char buf[256], *tok, *save = NULL;
	enum pt_lab_kind k;

	*mask = 0;
	if (!list) {
		*mask = (1u << PT_LAB_NR_KINDS) - 1;
		return 0;
	}
	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (pt_lab_kind_parse(tok, &k))
			return pt_err_set(err, PT_USAGE, "unknown kind '%s'", tok);
		*mask |= 1u << k;
	}
	if (!*mask)
		return pt_err_set(err, PT_USAGE, "no kind in '%s'", list);
	return 0;
}

struct pt_random_counts {
	long scripts, unavailable, steps, checked, not_modelled, unexpected;
};

static void pt_random_count(const struct pt_lab *lab, struct pt_random_counts *n)
{
	size_t i;

	for (i = 0; i < lab->nr_steps; i++) {
		const struct pt_explain *e = &lab->steps[i].explain;

		n->steps++;
		n->checked += e->checked > 0;
		n->not_modelled += !e->modelled;
		n->unexpected += e->nr_unexpected > 0;
	}
}

/*
 * ptinspect lab --random N [--seed S]: N generated scripts, script j
 * from seed S + j, so "--random 1 --seed S+j" (with the same --kind)
 * replays one.  A kind this machine cannot map is reported and skipped.
 */
static int pt_lab_random(const struct pt_options *o, struct pt_err *err)
{
	struct pt_source *src = calloc(1, sizeof(*src));
	struct pt_lab *lab = calloc(1, sizeof(*lab));
	struct pt_lab_script sc = { .lab = lab, .json = o->json, .err = err };
	struct pt_random_counts n = { 0 };
	unsigned long long seed = o->has_seed ? o->seed :
				  (unsigned long long)time(NULL) ^ ((unsigned long long)getpid() << 20);
	enum pt_lab_kind kind;
	unsigned int kinds;
	char script[1024];
	long j;
	int ret;

	if (!src || !lab) {
		ret = pt_err_set(err, PT_NO_MEM, "out of memory");
		goto out_free;
	}
	ret = pt_kinds_mask(o->kind, &kinds, err);
	if (ret < 0)
		goto out_free;
	ret = pt_explain_init(err);
	if (ret == 0 && o->expect)
		ret = pt_explain_add(o->expect, err);
	if (ret == 0)
		ret = pt_source_open(src, o->backend, err);
	if (ret < 0)
		goto out_free;
	fprintf(stderr, "ptinspect: %ld random scripts from seed %llu\n", o->random, seed);
	for (j = 0; j < o->random; j++) {
		unsigned long long s = seed + (unsigned long long)j;
		struct pt_err e2;

		pt_labgen_script(s, kinds, &kind, script, sizeof(script));
		if (o->json)
			printf("{\"script\":%ld,\"seed\":%llu,\"kind\":\"%s\",\"events\":\"%s\"",
			       j + 1, s, pt_lab_kind_name(kind), script);
		else
			printf("=== script %ld: ptinspect lab --random 1 --seed %llu --kind %s  # %s\n",
			       j + 1, s, pt_lab_kind_name(kind), script);
		n.scripts++;
		if (pt_lab_start(lab, src, kind, o->events, &e2) < 0) {
			n.unavailable++;
			if (o->json) {
				char *q;

				/* the message as a JSON string: no quotes or backslashes */
				for (q = e2.msg; *q; q++)
					if (*q == '"' || *q == '\\' || (unsigned char)*q < 0x20)
						*q = '\'';
				printf(",\"unavailable\":\"%s\"}\n", e2.msg);
			}
			else
				printf("unavailable: %s\n", e2.msg);
			pt_lab_stop(lab);
			continue;
		}
		if (o->json)
			printf("}\n");
		pt_lab_print(stdout, lab, o->json);
		ret = pt_cmd_foreach(script, pt_lab_script_line, &sc);
		pt_random_count(lab, &n);
		pt_lab_stop(lab);
		if (ret < 0)
			goto out_close;
	}
	ret = 0;
	fflush(stdout);
	fprintf(stderr, "ptinspect: random: %ld scripts (%ld unavailable), %ld steps: ", n.scripts,
		n.unavailable, n.steps);
	fprintf(stderr, "%ld checked, %ld not modelled, %ld unexpected; seed %llu\n", n.checked,
		n.not_modelled, n.unexpected, seed);
out_close:
	pt_source_close(src);
out_free:
	free(lab);
	free(src);
	return ret;
}

int pt_cmd_lab(const struct pt_options *o, struct pt_err *err)
{
	struct pt_source *src = calloc(1, sizeof(*src));
	struct pt_lab *lab = calloc(1, sizeof(*lab));
	struct pt_lab_script sc = { .lab = lab, .json = o->json, .err = err };
	const char *kind = o->kind, *run = NULL;
	char *script = NULL;
	int ret;

	if (o->random) {
		free(src);
		free(lab);
		return pt_lab_random(o, err);
	}
	if (!src || !lab) {
		ret = pt_err_set(err, PT_NO_MEM, "out of memory");
		goto out_free;
	}
	if (o->batch) {
		script = pt_slurp(o->batch, err);
		if (!script) {
			ret = -PT_USAGE;
			goto out_free;
		}
	}
	if (o->scenario) {
		ret = pt_scenario(o->scenario, &kind, &run, err);
		if (ret < 0)
			goto out_free;
	}
	if (!run)
		run = script ? script : o->script ? o->script : PT_LAB_DEFAULT_SCRIPT;
	/* a script is checked whole before anything runs */
	ret = pt_cmd_foreach(run, pt_lab_check_line, err);
	if (ret < 0)
		goto out_free;
	if (o->screen) {
		sc.screen = fopen(o->screen, "w");
		if (!sc.screen) {
			ret = pt_err_set(err, PT_USAGE, "cannot write %s: %s", o->screen,
					 strerror(errno));
			goto out_free;
		}
	}
	ret = pt_lab_setup(o, kind, src, lab, err);
	if (ret < 0)
		goto out_free;
	if (isatty(0) && isatty(1) && !o->json && !o->screen) {
		ret = pt_ui_lab(lab, run, err);
	} else {
		pt_lab_print(stdout, lab, o->json);
		ret = pt_cmd_foreach(run, pt_lab_script_line, &sc);
		if (ret > 0)
			ret = 0;	/* quit */
		/* --screen without a `screen` in the script: the last screen */
		if (ret == 0 && sc.screen && !sc.screens)
			ret = pt_lab_exec(lab, "screen", sc.screen, false, err);
	}
	fflush(stdout);
	pt_lab_notes(src, lab);
	pt_lab_stop(lab);
	pt_source_close(src);
out_free:
	if (sc.screen && fclose(sc.screen) && ret == 0)
		ret = pt_err_set(err, PT_USAGE, "cannot write %s: %s", o->screen, strerror(errno));
	free(script);
	free(lab);
	free(src);
	return ret;
}

int pt_cmd_shell(const struct pt_options *o, struct pt_err *err)
{
	struct pt_source *src = calloc(1, sizeof(*src));
	struct pt_lab *lab = calloc(1, sizeof(*lab));
	int ret;

	if (!src || !lab) {
		ret = pt_err_set(err, PT_NO_MEM, "out of memory");
		goto out_free;
	}
	ret = pt_lab_setup(o, o->kind, src, lab, err);
	if (ret < 0)
		goto out_free;
	pt_lab_print(stdout, lab, o->json);
	ret = pt_prompt_shell(lab, o->json, err);
	pt_lab_notes(src, lab);
	pt_lab_stop(lab);
	pt_source_close(src);
out_free:
	free(lab);
	free(src);
	return ret;
}

static volatile sig_atomic_t pt_watch_stop;

static void pt_watch_sig(int sig)
{
	(void)sig;
	pt_watch_stop = 1;
}

/* The first child of @pid, from /proc/PID/task/PID/children; 0: none. */
pid_t pt_first_child(pid_t pid)
{
	char path[64];
	int c = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%d", &c) != 1)
		c = 0;
	fclose(f);
	return c;
}

int pt_cmd_watch(const struct pt_options *o, struct pt_err *err)
{
	struct pt_source *src = calloc(1, sizeof(*src));
	struct pt_lab *lab = calloc(1, sizeof(*lab));
	struct timespec ts;
	struct pt_maps m;
	uint64_t addr;
	pid_t child;
	long looks = 0;
	int ret;

	if (!src || !lab) {
		ret = pt_err_set(err, PT_NO_MEM, "out of memory");
		goto out_free;
	}
	ret = pt_proc_check(o->pid, err);
	if (ret < 0)
		goto out_free;
	ret = pt_maps_read(o->pid, &m, err);
	if (ret < 0)
		goto out_free;
	/* the first writable private mapping when no address is given */
	ret = o->addr ? pt_addr_parse(o->addr, &m, &addr, err) :
			pt_addr_parse("heap", &m, &addr, err);
	if (ret < 0 && !o->addr && m.nr) {
		addr = m.rows[0].start;
		ret = 0;
	}
	pt_maps_free(&m);
	if (ret < 0)
		goto out_free;
	child = o->child ? o->child : pt_first_child(o->pid);
	ret = pt_source_open(src, o->backend, err);
	if (ret < 0)
		goto out_free;
	ret = pt_lab_attach(lab, src, o->pid, child, addr, o->events, err);
	if (ret < 0)
		goto out_close;
	if (isatty(0) && isatty(1) && !o->json) {
		ret = pt_ui_watch(lab, o->interval, err);
	} else {
		signal(SIGINT, pt_watch_sig);
		signal(SIGTERM, pt_watch_sig);
		pt_lab_print(stdout, lab, o->json);
		ts.tv_sec = (time_t)o->interval;
		ts.tv_nsec = (long)((o->interval - (double)ts.tv_sec) * 1e9);
		ret = 0;
		while (!pt_watch_stop && (!o->count || ++looks < o->count)) {
			nanosleep(&ts, NULL);
			ret = pt_lab_watch(lab, "refresh", false, err);
			if (ret < 0)
				break;
			if (ret > 0)
				pt_lab_print(stdout, lab, o->json);
			fflush(stdout);
			ret = 0;
			/* a process that exited is shown once as exited */
			if (!lab->steps[lab->nr_steps - 1].proc[0].walked)
				break;
		}
	}
	pt_lab_notes(src, lab);
	pt_lab_stop(lab);
out_close:
	pt_source_close(src);
out_free:
	free(lab);
	free(src);
	return ret;
}

/*
 * ptinspect subject: the lab's subject process on stdin and stdout, so
 * that tests and scripts drive the very code the lab forks.
 */
int pt_cmd_subject(const struct pt_options *o, struct pt_err *err)
{
	(void)o;
	(void)err;
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	pt_subject_run(0, 1);
}
