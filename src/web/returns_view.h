/*
 * returns_view.h — one return as both programs' pages show it: the RMA's
 * words (state, money), its lines, units, photos and steps, put into a
 * template context as "rma". photo_base is where the photos are served
 * ("/returns/RMA-000001/photos" or the console's).
 */
#ifndef CSDESK_WEB_RETURNS_VIEW_H
#define CSDESK_WEB_RETURNS_VIEW_H

#include "domain/returns.h"

struct arena;
struct field_form;
struct tval;

/*
 * Sets ctx.rma from s: number, state, state_label, flags per state
 * (state_<name>), lines, units, photos, steps and the totals. Also
 * "printable" when the authorisation can be printed (from awaiting
 * shipment on, neither rejected nor cancelled). Lines and units carry
 * what the warehouse's and the settlement's forms show: as typed in f
 * (received<position>, condition<unit>, disposition<unit>,
 * outcome<unit>; f NULL: nothing typed), else as stored. 0, or -1 when
 * out of memory.
 */
int returns_view_ctx(struct arena *a, const struct return_sheet *s, const char *photo_base,
    const struct field_form *f, struct tval *ctx);

/* A list page's rows ("returns"): number, state label, products, value, dates. NULL: out of memory. */
struct tval *returns_view_rows(struct arena *a, const struct return_row *rows, size_t n);

/* A <select> of the states with "all" first, current selected. NULL: out of memory. */
struct tval *returns_view_states(struct arena *a, const char *current);

struct resp;
struct return_photo_file;

/* Answers with photo f, shown inline, never sniffed. 0, or 500 when out of memory. */
int returns_view_photo(struct resp *w, const struct return_photo_file *f);

#endif
