/*
 * admin_form.h — the shape every console admin form has, once: a new
 * form with its defaults, an edit form filled from the stored object,
 * and the post that checks the fields, has the domain save (or, when a
 * field is already wrong, only check) what was typed, and answers with
 * the form again (422, every message at its field, what was typed kept)
 * or a flash and a redirect to the list.
 *
 * A page describes itself in a const struct admin_form — its list URL,
 * template, titles, flash, field rules — and four callbacks: the
 * defaults, loading a stored object into the form, its own parts of the
 * page (selects, checkboxes) and saving. Its four handlers then each
 * call one admin_form_* function. Everything lives in the request's
 * arena.
 *
 * The form's template gets, besides what fill adds, f and e (fields_ctx),
 * "action" (base/new or base/<id>) and "editing" (an object is edited).
 */
#ifndef CSDESK_WEB_ADMIN_FORM_H
#define CSDESK_WEB_ADMIN_FORM_H

#include <stddef.h>

#include "core/result.h"
#include "web/app.h"
#include "web/fields.h"

struct arena;
struct audit_entry;
struct tval;

/* One form page being answered. */
struct admin_form_state {
	struct field_form f;	/* entered values (f.<field>) and messages (e.<field>) */
	long long id;		/* the object edited; 0 for a new one */
	void *extra;		/* the page's own (say, a checkbox group's ticks), arena */
	const void *stored;	/* a post to an object: what load put in extra for it */
	const char *name;	/* what the flash names once saved (set by save) */
};

struct admin_form {
	const char *base;	/* the list: base/new and base/<id> are the forms' actions */
	const char *template;	/* the form's template */
	const char *title_new, *title_edit;
	/* The flash once saved: before, the name, after ("The calendar ", " was saved."); */
	const char *saved_before, *saved_after;
	/* once a new one is made (NULL: as saved). */
	const char *made_before, *made_after;
	const struct field_rule *rules;
	size_t nrules;
	/* Puts a new object's defaults in st (f, extra). NULL: an empty form. 0 or -1. */
	int (*defaults)(struct app *app, struct req *r, struct admin_form_state *st);
	/* Fills st->f (and extra) from the stored object st->id. */
	enum cs_result (*load)(struct app *app, struct req *r, struct admin_form_state *st);
	/* Adds the page's own keys to ctx. Returns 0, or the status to answer. */
	int (*fill)(struct app *app, struct req *r, struct admin_form_state *st,
	    struct tval *ctx);
	/*
	 * The posted form, checked against rules into v and nums (as
	 * fields_check gives them). When st->f has no message yet: saves it
	 * as by (st->id 0 creates one and sets st->id). When it has: only
	 * checks the rest, so that every message shows at once, and returns
	 * CS_REFUSED. Either way puts the domain's messages at their fields
	 * (fields_error), the name to flash in st->name, and what fill needs
	 * in st->extra. CS_REFUSED and CS_TAKEN show the form again.
	 */
	enum cs_result (*save)(struct app *app, struct req *r, struct admin_form_state *st,
	    const char *const *v, const long long *nums, const struct audit_entry *by);
};

/* GET base/new: the empty form with its defaults. Returns the handler's answer. */
int admin_form_new(struct app *app, struct req *r, struct resp *w, const struct admin_form *form);

/* GET base/{id}: the form of the stored object (404 when there is none). */
int admin_form_edit(struct app *app, struct req *r, struct resp *w, const struct admin_form *form);

/* POST base/new. */
int admin_form_create(struct app *app, struct req *r, struct resp *w,
    const struct admin_form *form);

/* POST base/{id} (404 when there is none). */
int admin_form_update(struct app *app, struct req *r, struct resp *w,
    const struct admin_form *form);

/*
 * The list page beside the forms: title, template, and the n rows at rows
 * (size bytes each) as a list under key, each a map that row fills
 * (0, or -1 when out of memory). Returns the handler's answer.
 */
int admin_list_page(struct app *app, struct req *r, struct resp *w, const char *title,
    const char *template, const char *key, const void *rows, size_t n, size_t size,
    int (*row)(struct arena *a, struct tval *m, const void *row));

/* The value entered for field in f, or NULL. */
const char *admin_form_entered(const struct field_form *f, const char *field);

/* Non-zero when the checkbox field is ticked in f (entered and not ""). */
int admin_form_ticked(const struct field_form *f, const char *field);

#endif
