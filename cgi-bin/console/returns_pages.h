/*
 * returns_pages.h — what the console's returns pages (returns_queue.c,
 * returns_detail.c, returns_warehouse.c) share: who acts, and the page of
 * one return with whatever form the person may use on it.
 */
#ifndef CSDESK_CONSOLE_RETURNS_PAGES_H
#define CSDESK_CONSOLE_RETURNS_PAGES_H

#include "console/handlers.h"
#include "domain/returns.h"

struct field_form;

/*
 * The signed-in member of staff as returns know them: roles from the
 * access the session grants (an admin without the second factor the
 * settings require is not an admin here either).
 */
void console_return_actor(const struct req *r, struct return_actor *by);

/*
 * Renders return {number}'s page tmpl ("console/returns/show" or
 * ".../warehouse") with status, an error line (or NULL) and a form as
 * typed (or NULL). 0, or the status to answer.
 */
int console_return_page(struct app *app, struct req *r, struct resp *w, const char *tmpl,
    int status, const char *error, struct field_form *typed);

/*
 * One value per unit of return {number} (the field name<unit id>: a choice
 * among choices, or a text when choices is NULL), read with rules made for
 * its units; each value goes into every field of (*units)[i]. *units in
 * the arena, *n of them. 0, or the status to answer (404, 500); the
 * fields' messages are in f.
 */
int console_return_unit_form(struct app *app, struct req *r, const char *name,
    const char *const *choices, struct field_form *f, struct return_unit_input **units,
    size_t *n);

#endif
