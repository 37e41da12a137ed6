/* SPDX-License-Identifier: Apache-2.0 */
/* leaky plot's html page: gnuplot's canvas panels in one file. */
#include "report/plot.h"
#include "base/buf.h"
#include "base/leaky.h"
#include "base/strmap.h"
#include "report/plot_int.h"
#include "report/report.h"

#include <stdlib.h>
#include <string.h>

/*
 * The scripts and style sheet of gnuplot's canvas terminal (Debian:
 * gnuplot-data), read where gnuplot says they are and put into the page,
 * so that it needs nothing but itself: a person can attach it to a
 * ticket. canvasmath.js is canvastext.js with Latin-1 and Greek; the
 * page draws text with the browser's fonts (page_js) all the same.
 */
static const char *const js_files[] = {
	"canvasmath.js", "gnuplot_common.js", "gnuplot_dashedlines.js",
	"gnuplot_mouse.js",
};
#define CSS_FILE "gnuplot_mouse.css"
#define JS_MAX ((size_t)1 << 20)

/*
 * The directory of gnuplot's canvas scripts, from the page gnuplot wrote
 * with "standalone" (probe.html): its <script src="DIR/gnuplot_common.js">.
 * NULL when it names none (reported). The caller frees it.
 */
static char *js_dir(const char *probe, size_t len)
{
	static const char mark[] = "/gnuplot_common.js\"";
	const char *end, *start;
	char *s = xstrndup(probe, len), *dir = NULL;

	end = strstr(s, mark);
	if (end) {
		for (start = end; start > s && start[-1] != '"'; start--)
			;
		if (start > s && end > start)
			dir = xstrndup(start, (size_t)(end - start));
	}
	if (!dir)
		error("gnuplot's canvas terminal names no gnuplot_common.js; "
		      "cannot make the page");
	free(s);
	return dir;
}

/*
 * Appends the file dir/name to b, at most JS_MAX bytes. Returns -1 when it
 * cannot (reported, with the package that holds it).
 */
static int add_file(struct buf *b, const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *path = xmalloc(n);
	struct buf f;
	int ret = 0;

	snprintf(path, n, "%s/%s", dir, name);
	buf_init(&f);
	if (buf_read_file(&f, path, JS_MAX, NULL) < 0) {
		error("the html page holds gnuplot's canvas scripts: "
		      "apt-get install gnuplot-data");
		ret = -1;
	} else {
		buf_add(b, f.data, f.len);
	}
	buf_release(&f);
	free(path);
	return ret;
}

/*
 * Writes the n bytes of s into a <script> element: "</" becomes "<\/"
 * and "<!--" "<\!--", the same in a JavaScript string, so that no name
 * from a profile ("</script><script>...") can end the element or change
 * how the browser reads it. gnuplot escapes quotes and backslashes.
 */
static void put_script(FILE *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '<' && i + 1 < n && (s[i + 1] == '/' ||
						 s[i + 1] == '!')) {
			fputs(s[i + 1] == '/' ? "<\\/" : "<\\!", out);
			i++;
			continue;
		}
		fputc(s[i], out);
	}
}

/* s as html text: & < > " escaped. */
static void put_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '&')
			fputs("&amp;", out);
		else if (*s == '<')
			fputs("&lt;", out);
		else if (*s == '>')
			fputs("&gt;", out);
		else if (*s == '"')
			fputs("&quot;", out);
		else
			fputc(*s, out);
	}
}

/*
 * The page's own script. Text is the browser's own (fillText, any
 * character of a name), not the stroke font of gnuplot's canvasmath.js,
 * which knows Latin-1 and Greek only and draws them thin; canvasmath.js
 * stays in the page for what gnuplot's code asks of it besides.
 * gnuplot's mousing code drives one plot at a time, the "active" one, through gnuplot_canvas(); moving the mouse over
 * a panel makes it the active one (gnuplot's code). On top of gnuplot's
 * zoom (drag with the right button) and its readout of the values under
 * the mouse, it pans (arrow keys, buttons) and zooms with the wheel,
 * along time. When every panel has drawn, the body says how many did and
 * how many put ink on their canvas (data-leaky-*), which is what a test
 * or a person can check; errors go to data-leaky-errors. Opened as
 * PAGE#leaky-selftest, it moves the mouse over the first chart, zooms,
 * pans and unzooms it, and says in data-leaky-selftest what it saw.
 */
static const char page_js[] =
"var canvas, ctx;\n"
"gnuplot.grid_lines = true;\n"
"gnuplot.zoomed = false;\n"
"gnuplot.active_plot_name = '';\n"
"function gnuplot_canvas() {\n"
"  if (gnuplot.active_plot) gnuplot.active_plot();\n"
"}\n"
"var leaky = { errors: [] };\n"
"leaky.measure = CanvasRenderingContext2D.prototype.measureText;\n"
"leaky.font = function (ctx, size) {\n"
"  ctx.font = (1.15 * size).toFixed(1) + 'px sans-serif';\n"
"};\n"
"CanvasTextFunctions.enable = function (ctx) {\n"
"  ctx.drawText = function (f, size, x, y, text) {\n"
"    leaky.font(ctx, size);\n"
"    ctx.save();\n"
"    ctx.fillStyle = ctx.strokeStyle;\n"
"    ctx.fillText(text, x, y);\n"
"    ctx.restore();\n"
"  };\n"
"  ctx.measureText = function (f, size, text) {\n"
"    if (text === undefined) return leaky.measure.call(ctx, f);\n"
"    leaky.font(ctx, size);\n"
"    return leaky.measure.call(ctx, text).width;\n"
"  };\n"
"  ctx.drawTextRight = function (f, size, x, y, text) {\n"
"    ctx.drawText(f, size, x - ctx.measureText(f, size, text), y, text);\n"
"  };\n"
"  ctx.drawTextCenter = function (f, size, x, y, text) {\n"
"    ctx.drawText(f, size, x - ctx.measureText(f, size, text) / 2, y,\n"
"                 text);\n"
"  };\n"
"  ctx.fontAscent = function (f, size) { return 0.9 * size; };\n"
"  ctx.fontDescent = function (f, size) { return 0.25 * size; };\n"
"};\n"
"window.addEventListener('error', function (e) {\n"
"  leaky.errors.push(String(e.message));\n"
"  document.body.setAttribute('data-leaky-errors', leaky.errors.join('; '));\n"
"});\n"
"leaky.activate = function (name) {\n"
"  if (gnuplot.active_plot_name != name) window[name]();\n"
"};\n"
"leaky.window = function () {\n"
"  if (!gnuplot.zoomed) {\n"
"    gnuplot.zoom_axis_xmin = gnuplot.plot_axis_xmin;\n"
"    gnuplot.zoom_axis_xmax = gnuplot.plot_axis_xmax;\n"
"    gnuplot.zoom_axis_ymin = gnuplot.plot_axis_ymin;\n"
"    gnuplot.zoom_axis_ymax = gnuplot.plot_axis_ymax;\n"
"  }\n"
"};\n"
"leaky.redraw = function () {\n"
"  gnuplot.zoom_axis_width = gnuplot.zoom_axis_xmax - gnuplot.zoom_axis_xmin;\n"
"  gnuplot.zoom_axis_height =\n"
"    gnuplot.zoom_axis_ymax - gnuplot.zoom_axis_ymin;\n"
"  gnuplot.rezoom();\n"
"};\n"
"leaky.pan = function (name, part) {\n"
"  leaky.activate(name);\n"
"  leaky.window();\n"
"  var w = gnuplot.zoom_axis_xmax - gnuplot.zoom_axis_xmin;\n"
"  gnuplot.zoom_axis_xmin += part * w;\n"
"  gnuplot.zoom_axis_xmax += part * w;\n"
"  leaky.redraw();\n"
"};\n"
"leaky.unzoom = function (name) {\n"
"  leaky.activate(name);\n"
"  gnuplot.unzoom();\n"
"};\n"
"leaky.wheel = function (e) {\n"
"  var name = e.currentTarget.id, f = e.deltaY > 0 ? 1.25 : 0.8;\n"
"  leaky.activate(name);\n"
"  leaky.window();\n"
"  var x0 = gnuplot.zoom_axis_xmin, x1 = gnuplot.zoom_axis_xmax;\n"
"  var r = e.currentTarget.getBoundingClientRect();\n"
"  var at = (e.clientX - r.left - gnuplot.plot_xmin) /\n"
"           (gnuplot.plot_xmax - gnuplot.plot_xmin);\n"
"  if (!(at >= 0 && at <= 1)) at = 0.5;\n"
"  var mid = x0 + at * (x1 - x0);\n"
"  gnuplot.zoom_axis_xmin = mid - (mid - x0) * f;\n"
"  gnuplot.zoom_axis_xmax = mid + (x1 - mid) * f;\n"
"  leaky.redraw();\n"
"  e.preventDefault();\n"
"};\n"
"leaky.key = function (e) {\n"
"  var name = e.currentTarget.id;\n"
"  if (e.key == 'ArrowLeft') leaky.pan(name, -0.25);\n"
"  else if (e.key == 'ArrowRight') leaky.pan(name, 0.25);\n"
"  else return;\n"
"  e.preventDefault();\n"
"};\n"
"leaky.inked = function (c) {\n"
"  var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;\n"
"  var n = 0;\n"
"  for (var i = 0; i < d.length; i += 4)\n"
"    if (d[i + 3] > 0 && (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200))\n"
"      n++;\n"
"  return n;\n"
"};\n"
"leaky.draw = function () {\n"
"  var drawn = 0, inked = 0;\n"
"  for (var i = 0; i < leaky.panels.length; i++) {\n"
"    var name = leaky.panels[i], c = document.getElementById(name);\n"
"    window[name]();\n"
"    drawn++;\n"
"    if (leaky.inked(c) > 1000) inked++;\n"
"    c.addEventListener('wheel', leaky.wheel, { passive: false });\n"
"    c.addEventListener('keydown', leaky.key);\n"
"  }\n"
"  document.body.setAttribute('data-leaky-panels', leaky.panels.length);\n"
"  document.body.setAttribute('data-leaky-drawn', drawn);\n"
"  document.body.setAttribute('data-leaky-inked', inked);\n"
"  if (location.hash == '#leaky-selftest') leaky.selftest();\n"
"};\n"
"leaky.selftest = function () {\n"
"  var name = leaky.panels[0], c = document.getElementById(name), out = [];\n"
"  leaky.activate(name);\n"
"  var r = c.getBoundingClientRect();\n"
"  var at = { clientX: r.left + (gnuplot.plot_xmin + gnuplot.plot_xmax) / 2,\n"
"             clientY: r.top + (gnuplot.plot_ytop + gnuplot.plot_ybot) / 2,\n"
"             bubbles: true, deltaY: -100 };\n"
"  c.dispatchEvent(new MouseEvent('mousemove', at));\n"
"  out.push('time ' + document.getElementById(name + '_x').textContent);\n"
"  out.push('value ' + document.getElementById(name + '_y').textContent);\n"
"  var w = gnuplot.plot_axis_xmax - gnuplot.plot_axis_xmin;\n"
"  c.dispatchEvent(new WheelEvent('wheel', at));\n"
"  var zw = gnuplot.zoom_axis_xmax - gnuplot.zoom_axis_xmin;\n"
"  if (gnuplot.zoomed && zw < w) out.push('zoomed');\n"
"  var z0 = gnuplot.zoom_axis_xmin;\n"
"  leaky.pan(name, 0.25);\n"
"  if (gnuplot.zoom_axis_xmin > z0) out.push('panned');\n"
"  if (leaky.inked(c) > 1000) out.push('inked');\n"
"  leaky.unzoom(name);\n"
"  if (!gnuplot.zoomed) out.push('unzoomed');\n"
"  document.body.setAttribute('data-leaky-selftest', out.join('; '));\n"
"};\n"
"window.addEventListener('load', leaky.draw);\n";

static const char page_css[] =
"body { font-family: sans-serif; margin: 1em; background: white; }\n"
"h1 { font-size: 1.2em; }\n"
"h2 { font-size: 1.05em; margin: 1.2em 0 0.3em; }\n"
"p.help { color: #444; font-size: 0.9em; max-width: 60em; }\n"
"div.panel { margin: 0.4em 0; }\n"
"div.readout { font-size: 0.85em; color: #333; margin: 0.2em 0 0 4em; }\n"
"div.readout span { color: #070; display: inline-block;\n"
"  min-width: 14em; }\n"
"div.readout button { font-size: 0.85em; }\n"
"span.verdict { font-weight: normal; margin-left: 1em; }\n"
"span.v1 { color: #2a7d2a; }\n"
"span.v2 { color: #c86400; }\n"
"span.v3 { color: #c00000; }\n";

/* A target's heading, with leaky report's verdict when it judged it. */
static void put_target(FILE *out, const struct plot_data *pd,
		       const char *name)
{
	long id = strmap_find(pd->tnames, name, strlen(name));
	const struct ptarget *t = id < 0 ? NULL : &pd->t[id];

	fputs("<h2>", out);
	put_text(out, name);
	if (t && t->judged)
		fprintf(out, " <span class=\"verdict v%d\">leaky report: "
			"%s</span>", (int)t->v, verdict_name(t->v));
	fputs("</h2>\n", out);
}

/* One panel: its canvas, the values under the mouse, pan and unzoom. */
static void put_panel(FILE *out, const struct plot_data *pd,
		      const char *name)
{
	fprintf(out, "<div class=\"panel\">\n<canvas id=\"%s\" width=\"%u\" "
		"height=\"%u\" tabindex=\"0\"></canvas>\n"
		"<div class=\"readout\">time <span id=\"%s_x\">&nbsp;</span> "
		"value <span id=\"%s_y\">&nbsp;</span>\n"
		"<button type=\"button\" onclick=\"leaky.pan('%s', -0.25)\">"
		"&larr; earlier</button>\n"
		"<button type=\"button\" onclick=\"leaky.pan('%s', 0.25)\">"
		"later &rarr;</button>\n"
		"<button type=\"button\" onclick=\"leaky.unzoom('%s')\">"
		"whole span</button></div>\n</div>\n", name, pd->o.width,
		pd->panel_h, name, name, name, name, name);
}

int plot_html_write(const struct plot_data *pd, const char *probe,
		    size_t probe_len, const char *panels, size_t panels_len,
		    FILE *out)
{
	char *dir = js_dir(probe, probe_len);
	struct buf js, css;
	size_t i;
	int ret = -1;

	buf_init(&js);
	buf_init(&css);
	if (!dir)
		goto out;
	for (i = 0; i < sizeof(js_files) / sizeof(js_files[0]); i++) {
		if (add_file(&js, dir, js_files[i]) < 0)
			goto out;
		buf_addstr(&js, "\n");
	}
	if (add_file(&css, dir, CSS_FILE) < 0)
		goto out;
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\">\n<title>leaky plot", out);
	for (i = 0; i < pd->nhtml; i++) {
		if (i && !strcmp(pd->html[i].target, pd->html[i - 1].target))
			continue;
		fputs(i ? ", " : ": ", out);
		put_text(out, pd->html[i].target);
	}
	fputs("</title>\n<style>\n", out);
	fwrite(css.data, 1, css.len, out);
	fputs(page_css, out);
	fputs("</style>\n<script>\n", out);
	put_script(out, (const char *)js.data, js.len);
	fputs("</script>\n<script>\n", out);
	fputs(page_js, out);
	fputs("leaky.panels = [", out);
	for (i = 0; i < pd->nhtml; i++)
		fprintf(out, "%s'%s'", i ? ", " : "", pd->html[i].name);
	fputs("];\n</script>\n</head>\n<body>\n<h1>leaky plot</h1>\n"
	      "<p class=\"help\">The values under the mouse show below "
	      "each chart. Zoom: drag with the right mouse button, or turn "
	      "the wheel over a chart; pan along time: the arrow keys on a "
	      "chart (click it first) or the buttons; 'u' or \"whole "
	      "span\" zooms out. A left click marks a point with its "
	      "values.</p>\n", out);
	for (i = 0; i < pd->nhtml; i++) {
		if (!i || strcmp(pd->html[i].target, pd->html[i - 1].target))
			put_target(out, pd, pd->html[i].target);
		put_panel(out, pd, pd->html[i].name);
	}
	fputs("<script>\n", out);
	put_script(out, panels, panels_len);
	fputs("</script>\n</body>\n</html>\n", out);
	ret = fflush(out) || ferror(out) ? -1 : 0;
out:
	buf_release(&js);
	buf_release(&css);
	free(dir);
	return ret;
}
