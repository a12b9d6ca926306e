// SPDX-License-Identifier: GPL-2.0
/*
 * The HTML view: every step of a lab written into one page.  Each step is
 * a <section> holding the grid the TUI would show (screen.c: one span per
 * run of cells with the same role, the role as the class) and the step's
 * text dump (pt_report_lab_step, as `dump` prints it).  A few lines of
 * inline JS show one section at a time and step with the keys; without
 * JS every section shows, in order.  Every string that came from the
 * recording goes through pt_html_esc(): a recording is untrusted input.
 */
#include <stdlib.h>
#include <string.h>

#include "htmlview.h"
#include "report_lab.h"
#include "screen.h"

/* the TUI's size for `screen` and --screen: the same grid everywhere */
#define PT_HTML_COLS 110
#define PT_HTML_ROWS 42

static const char *const pt_html_role[] = {
	[PT_COL_NONE] = NULL,	  [PT_COL_HEADER] = "hd",
	[PT_COL_SET] = "set",	  [PT_COL_CLEAR] = "clr",
	[PT_COL_CHANGED] = "chg", [PT_COL_ERROR] = "err",
	[PT_COL_TITLE] = "title", [PT_COL_OK] = "ok",
};

void pt_html_esc(FILE *f, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			/* control bytes would not survive a mail archive */
			if ((unsigned char)s[i] < 0x20 && s[i] != '\n' &&
			    s[i] != '\t')
				fputc('?', f);
			else
				fputc(s[i], f);
		}
	}
}

static void pt_html_cell(FILE *f, uint32_t ch)
{
	char buf[8];
	size_t n = 0;

	if (ch < 0x20 || ch == 0x7f)
		ch = ' ';
	pt_utf8_put(buf, &n, ch);
	pt_html_esc(f, buf, n);
}

/* One row: spans for runs of a role, trailing blanks cut as in `screen`. */
static void pt_html_row(FILE *f, const struct pt_screen *sc, int r)
{
	const struct pt_cell *row = sc->cell + (size_t)r * sc->cols;
	int end = sc->cols, c;
	enum pt_ui_color open = PT_COL_NONE;

	while (end > 0 && row[end - 1].ch == ' ' &&
	       row[end - 1].role == PT_COL_NONE)
		end--;
	for (c = 0; c < end; c++) {
		enum pt_ui_color role = row[c].role;

		if ((unsigned int)role >=
		    sizeof(pt_html_role) / sizeof(pt_html_role[0]))
			role = PT_COL_NONE;
		if (role != open) {
			if (open != PT_COL_NONE)
				fputs("</span>", f);
			if (pt_html_role[role])
				fprintf(f, "<span class=\"%s\">",
					pt_html_role[role]);
			open = pt_html_role[role] ? role : PT_COL_NONE;
		}
		pt_html_cell(f, row[c].ch);
	}
	if (open != PT_COL_NONE)
		fputs("</span>", f);
	fputc('\n', f);
}

/* The page's own cursor on step @i: a view's, not the lab's. */
static int pt_html_grid(FILE *f, const struct pt_lab *lab, size_t i, struct pt_err *err)
{
	const struct pt_cursor at = { .cur = i };
	struct pt_screen sc = { .lab = lab, .at = &at, .dot = "·", .watch = !lab->owned };
	int rows, r, ret;

	ret = pt_screen_draw(&sc, PT_HTML_ROWS, PT_HTML_COLS, err);
	if (ret < 0)
		goto out;
	/* the blank rows under the timeline only make the page longer */
	for (rows = sc.rows; rows > 0; rows--) {
		const struct pt_cell *row =
			sc.cell + (size_t)(rows - 1) * sc.cols;
		int c;

		for (c = 0; c < sc.cols && row[c].ch == ' ' &&
			    row[c].role == PT_COL_NONE;
		     c++)
			;
		if (c < sc.cols)
			break;
	}
	fputs("<pre class=\"grid\">", f);
	for (r = 0; r < rows; r++)
		pt_html_row(f, &sc, r);
	fputs("</pre>\n", f);
out:
	pt_screen_free(&sc);
	return ret;
}

/* The step's text dump, as `dump` prints it, escaped. */
static int pt_html_dump(FILE *f, const struct pt_lab *lab,
			const struct pt_lab_step *s, struct pt_err *err)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m;

	m = open_memstream(&text, &len);
	if (!m)
		return pt_err_set(err, PT_NO_MEM,
				  "out of memory for the HTML page");
	pt_report_lab_step(m, lab, s);
	if (fclose(m)) {
		free(text);
		return pt_err_set(err, PT_NO_MEM,
				  "out of memory for the HTML page");
	}
	fputs("<pre class=\"dump\">", f);
	pt_html_esc(f, text, len);
	fputs("</pre>\n", f);
	free(text);
	return 0;
}

static const char pt_html_head[] =
	"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	"<meta name=\"generator\" content=\"ptinspect\">\n"
	"<style>\n"
	"body{background:#fff;color:#111;font-family:sans-serif;margin:1em}\n"
	"pre{font-family:\"DejaVu Sans Mono\",monospace;font-size:13px;line-height:1.2;margin:.5em 0}\n"
	"pre.grid{background:#101418;color:#d8dee4;padding:.5em;display:inline-block}\n"
	"pre.dump{background:#f4f4f4;padding:.5em;white-space:pre-wrap}\n"
	".hd{color:#8fb8ff;font-weight:bold}.title{color:#ffd75f;font-weight:bold}\n"
	".set{color:#7ee787}.clr{color:#6e7681}.err{color:#ff7b72;font-weight:bold}\n"
	".ok{color:#7ee787;font-weight:bold}\n"
	".chg{background:#ffd75f;color:#000;font-weight:bold}\n"
	"nav{position:sticky;top:0;background:#fff;padding:.3em 0}\n"
	"nav button{font-size:1em}\n"
	"ol#timeline{font-family:monospace;columns:2}\n"
	"ol#timeline li{cursor:pointer}\n"
	"ol#timeline li.cur{font-weight:bold;background:#cfe3ff}\n"
	"</style>\n"
	/* no JS (a mail archive): every step shows, in order */
	"<noscript><style>section.step{display:block!important}</style></noscript>\n";

static const char pt_html_script[] =
	"<script>\n"
	"(function(){\n"
	"var s=document.querySelectorAll('section.step'),n=s.length,c=0;\n"
	"var no=document.getElementById('stepno'),tl=document.querySelectorAll('#timeline li');\n"
	"function show(i){if(!n)return;i=Math.max(0,Math.min(n-1,i));\n"
	" s[c].hidden=true;if(tl[c])tl[c].className='';c=i;s[c].hidden=false;\n"
	" if(tl[c])tl[c].className='cur';no.textContent=String(c+1);}\n"
	"document.addEventListener('keydown',function(e){\n"
	" if(e.altKey||e.ctrlKey||e.metaKey)return;\n"
	" switch(e.key){case 'ArrowRight':case 'f':case 'n':show(c+1);break;\n"
	" case 'ArrowLeft':case 'b':case 'p':show(c-1);break;\n"
	" case 'Home':show(0);break;case 'End':show(n-1);break;default:return;}\n"
	" e.preventDefault();});\n"
	"document.getElementById('back').onclick=function(){show(c-1);};\n"
	"document.getElementById('next').onclick=function(){show(c+1);};\n"
	"for(var i=0;i<tl.length;i++)tl[i].onclick=(function(j){return function(){show(j);};})(i);\n"
	"show(0);\n"
	"})();\n"
	"</script>\n";

int pt_html_write(FILE *f, const struct pt_lab *lab, const char *title,
		  struct pt_err *err)
{
	size_t i;
	int ret = 0;

	fputs(pt_html_head, f);
	fputs("<title>ptinspect replay ", f);
	pt_html_esc(f, title, strlen(title));
	fputs("</title>\n</head>\n<body>\n<h1>ptinspect replay ", f);
	pt_html_esc(f, title, strlen(title));
	fputs("</h1>\n", f);
	fprintf(f,
		"<nav><button id=\"back\">&larr; back</button> step <span id=\"stepno\">1</span>"
		" of <span id=\"nsteps\">%zu</span> <button id=\"next\">next &rarr;</button>"
		" &nbsp; keys: &larr;/&rarr; or b/f step, Home/End first/last</nav>\n",
		lab->nr_steps);
	for (i = 0; i < lab->nr_steps; i++) {
		fprintf(f,
			"<section class=\"step\" id=\"step%zu\" data-step=\"%zu\"%s>\n",
			i + 1, i + 1, i ? " hidden" : "");
		ret = pt_html_grid(f, lab, i, err);
		if (ret < 0)
			return ret;
		ret = pt_html_dump(f, lab, &lab->steps[i], err);
		if (ret < 0)
			return ret;
		fputs("</section>\n", f);
	}
	/* the timeline: every step's event, a click shows it */
	fputs("<h2>timeline</h2>\n<ol id=\"timeline\">\n", f);
	for (i = 0; i < lab->nr_steps; i++) {
		fputs("<li>", f);
		pt_html_esc(f, lab->steps[i].event,
			    strnlen(lab->steps[i].event,
				    sizeof(lab->steps[i].event)));
		fputs("</li>\n", f);
	}
	fputs("</ol>\n", f);
	fputs(pt_html_script, f);
	fputs("</body>\n</html>\n", f);
	return 0;
}

void pt_html_begin(FILE *f)
{
	fputs(pt_html_head, f);
}

int pt_html_step(FILE *f, const struct pt_lab *lab, size_t i, struct pt_err *err)
{
	int ret = pt_html_grid(f, lab, i, err);

	if (ret == 0)
		ret = pt_html_dump(f, lab, &lab->steps[i], err);
	return ret;
}
