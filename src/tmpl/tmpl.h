/*
 * tmpl.h — the mustache engine.
 *
 * A template set holds named templates (a page, a partial, a layout: all the
 * same to mustache). Sources are added, then compiled once at start-up into
 * trees; rendering walks a tree against a tval context and never fails on
 * the data (a missing name renders as nothing, as the spec says).
 *
 * Supported: the core spec (variables, sections, inverted sections,
 * comments, partials, set delimiters, standalone lines, partial
 * indentation), ~inheritance (parents and blocks) and ~dynamic-names
 * ({{>*name}}, and {{<*name}} whose close tag repeats the asterisk).
 * {{%name}}, not in the spec, renders a string whose {names} are filled
 * from the context, escaped (tmpl_render.c: emit_format); the interface
 * strings use it. Lambdas are not supported. {{x}} escapes & < > " '.
 * Numbers print as JavaScript would (85, 1.21); sections treat 0 and ""
 * as false, as mustache.js does.
 *
 * Limits guard against hostile or broken templates: nesting depth while
 * compiling, and partial/parent recursion depth and a budget of work while
 * rendering (so that a template including itself twice, or sections nested
 * over a long list, ends in an error instead of running for ever).
 *
 * Inheritance: {{<parent}}{{$block}}...{{/block}}{{/parent}} renders the
 * parent with its {{$block}} defaults replaced; with several levels, the
 * outermost caller's block wins. Block overrides also reach blocks in the
 * partials the parent includes, so a layout can keep its <head> in a
 * partial and a page can still fill the title.
 */
#ifndef CSDESK_TMPL_H
#define CSDESK_TMPL_H

#include <stddef.h>

struct buf;
struct tval;
struct tmpl_set;

/* Sections, parents and blocks nested deeper than this: a compile error. */
#define TMPL_MAX_NESTING 100

/* Partials, parents and blocks expanded inside one another deeper than this: a render error. */
#define TMPL_MAX_RECURSION 64

/*
 * The render budget of a new set, in units of work: one per template node
 * visited and one per 16 bytes written. A big page (a list of a few
 * thousand rows, a few megabytes) takes well under a million.
 */
#define TMPL_DEFAULT_MAX_STEPS 10000000UL

/* An empty set, or NULL when out of memory. */
struct tmpl_set *tmpl_set_new(void);

/* Frees the set, its sources and compiled trees; NULL is fine. */
void tmpl_set_free(struct tmpl_set *set);

/*
 * Adds (copies) template source src[0..len) under name, replacing one of
 * the same name. Adding throws away what was compiled: compile the set
 * again before rendering. Returns 0, or -1 when out of memory.
 */
int tmpl_set_add(struct tmpl_set *set, const char *name, const char *src, size_t len);

/*
 * Adds every *.mustache file under dir, recursively; the name is the path
 * relative to dir without the extension ("portal/home", "layout").
 * Returns the number of templates added, or -1 with a message in
 * err[0..errlen) (the file and the reason).
 */
int tmpl_set_add_dir(struct tmpl_set *set, const char *dir, char *err, size_t errlen);

/*
 * As tmpl_set_add_dir, without the directory skip (NULL: none) right
 * under dir: a program leaves out the other program's pages, whose
 * compiled trees would otherwise sit in each of its workers.
 */
int tmpl_set_add_dir_except(struct tmpl_set *set, const char *dir, const char *skip, char *err,
    size_t errlen);

/*
 * Compiles every template added so far. With strict set, a reference to a
 * partial or parent by a static name that is not in the set is an error
 * (what the programs want at start-up); without it such a reference renders
 * as nothing (what the spec wants). Returns 0, or -1 with a message naming
 * the template, line and problem in err.
 */
int tmpl_set_compile(struct tmpl_set *set, int strict, char *err, size_t errlen);

/*
 * Sets the render budget (see TMPL_DEFAULT_MAX_STEPS): tmpl_render fails
 * once one call has done this much work. Tests and fuzzing set it low; 0
 * makes every render of a non-empty template fail.
 */
void tmpl_set_max_steps(struct tmpl_set *set, unsigned long steps);

/* Non-zero when the set holds a template of that name. */
int tmpl_exists(const struct tmpl_set *set, const char *name);

/*
 * Renders the compiled template name against ctx (NULL: an empty context),
 * appending to out. Allocates nothing but out's growth. Returns 0, or -1
 * when the name is unknown, the set is not compiled, recursion went too
 * deep, the render budget ran out, or out ran out of memory. On -1, out is
 * cut back to what it held before the call, unless out itself failed
 * (buf_failed), in which case it keeps what fitted.
 */
int tmpl_render(const struct tmpl_set *set, const char *name, const struct tval *ctx,
    struct buf *out);

#endif
