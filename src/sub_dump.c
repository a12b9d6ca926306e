// SPDX-License-Identifier: GPL-2.0
/* ptinspect dump: one address (optionally beside a child) or a range. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "addr.h"
#include "options.h"
#include "procfs.h"
#include "rangedump.h"
#include "report.h"

struct pt_dump_ctx {
	const struct pt_options *o;
	struct pt_source *src;
	struct pt_json json;
};

static int pt_dump_range(struct pt_dump_ctx *ctx, const struct pt_maps *m,
			 struct pt_err *err)
{
	const struct pt_options *o = ctx->o;
	const struct pt_range_req req = {
		.pid = o->pid, .child = o->child, .json = o->json, .each = o->each,
		.all = o->all, .kpageflags = o->kpageflags, .pfn_runs = o->pfn_runs,
		.output = o->output, .noheadings = o->noheadings, .raw_table = o->raw_table,
		.color = o->color,
	};
	uint64_t start, end;
	int ret;

	if (o->all) {
		if (!m->nr)
			return pt_err_set(err, PT_NOT_MAPPED,
					  "process %d has no user mappings",
					  (int)o->pid);
		start = m->rows[0].start;
		end = m->rows[m->nr - 1].end;
	} else {
		ret = pt_range_parse(o->range, m, &start, &end, err);
		if (ret < 0)
			return ret;
	}
	if (o->child)
		return pt_range_compare(&req, ctx->src, start, end, err);
	return pt_range_dump(&req, ctx->src, start, end, err);
}

static int pt_dump_addr(struct pt_dump_ctx *ctx, const struct pt_maps *m,
			struct pt_err *err)
{
	const struct pt_options *o = ctx->o;
	struct pt_walk *w;
	uint64_t addr;
	int ret;

	ret = pt_addr_parse(o->addr, m, &addr, err);
	if (ret < 0)
		return ret;
	w = calloc(2, sizeof(*w));
	if (!w)
		return pt_err_set(err, PT_NO_MEM, "out of memory");
	ret = ctx->src->ops->walk(ctx->src, o->pid, addr, &w[0], err);
	if (ret < 0)
		goto out_free;
	if (o->child) {
		ret = ctx->src->ops->walk(ctx->src, o->child, addr, &w[1], err);
		if (ret < 0)
			goto out_free;
	}
	if (o->json) {
		pt_json_init(&ctx->json, stdout, true);
		if (o->child) {
			pt_json_obj_begin(&ctx->json, NULL);
			pt_report_json(&ctx->json, "parent", &ctx->src->layout, &w[0]);
			pt_report_json(&ctx->json, "child", &ctx->src->layout, &w[1]);
			pt_json_obj_end(&ctx->json);
		} else {
			pt_report_json(&ctx->json, NULL, &ctx->src->layout, &w[0]);
		}
		pt_json_end(&ctx->json);
	} else {
		pt_report_header(stdout, &ctx->src->layout, &w[0]);
		if (o->child)
			pt_report_text_pair(stdout, &ctx->src->layout, &w[0], &w[1]);
		else
			pt_report_text(stdout, &ctx->src->layout, &w[0]);
	}
out_free:
	free(w);
	return ret;
}

int pt_cmd_dump(const struct pt_options *o, struct pt_err *err)
{
	struct pt_dump_ctx ctx = { .o = o };
	struct pt_source *src;
	struct pt_maps m;
	int ret;

	ret = pt_source_new(&src, o->backend, o->pid, o->child, err);
	if (ret < 0)
		return ret;
	ctx.src = src;
	ret = pt_maps_read(o->pid, &m, err);
	if (ret < 0)
		goto out_free;
	if (o->range)
		ret = pt_dump_range(&ctx, &m, err);
	else
		ret = pt_dump_addr(&ctx, &m, err);
	pt_maps_free(&m);
	fflush(stdout);
	if (src->note[0])
		fprintf(stderr, "ptinspect: note: %s\n", src->note);
out_free:
	pt_source_free(src);
	return ret;
}
