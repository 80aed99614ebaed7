/*
 * field_photo_view.h — a visit's photos (domain/field_photos.h) in pages,
 * the same in the console and the portal: who is looking, the list as
 * template values, and one photo served.
 */
#ifndef CSDESK_WEB_FIELD_PHOTO_VIEW_H
#define CSDESK_WEB_FIELD_PHOTO_VIEW_H

#include "domain/field_photos.h"

struct app;
struct arena;
struct req;
struct resp;
struct tval;

/*
 * The viewer r is: customer_id > 0, that customer (the portal); else the
 * staff member signed in, who sees every visit unless they are only a
 * technician (then the visits assigned to them). Cannot fail.
 */
struct field_photo_viewer field_photo_viewer_of(const struct req *r, long long customer_id);

/*
 * [{id, href, caption, filename, taken, shared}] with href base/<id>; NULL
 * when out of memory.
 */
struct tval *field_photo_view_list(struct arena *a, const struct field_photo *rows, size_t n,
    const char *base);

/* Puts rows into ctx as photos (the list above) and has_photos. 0, or 500. */
int field_photo_view_set(struct arena *a, struct tval *ctx, const struct field_photo *rows,
    size_t n, const char *base);

/*
 * Puts the photos of visit id the viewer may see into ctx as photos (the
 * list above, hrefs under base) and has_photos. 0, or the status to answer.
 */
int field_photo_view_ctx(struct app *app, struct req *r, struct tval *ctx, long long id,
    long long customer_id, const char *base);

/*
 * Answers GET …/{id}/photos/{photo}: the photo as the viewer may see it
 * (else 404), with its stored type, inline with its name, nosniff and not
 * cached by shared caches. 0 or the status.
 */
int field_photo_view_send(struct app *app, struct req *r, struct resp *w, long long customer_id);

#endif
