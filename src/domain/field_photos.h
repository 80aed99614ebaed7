/*
 * field_photos.h — photos a technician takes on a visit: added from the
 * phone page several at a time with a caption, each marked shareable or
 * not, shown to staff who may see the visit and, once shared, to the
 * customer in the portal. See docs/field.md ("Job photos").
 *
 * Stored as ticket attachments are (bytea with its SHA-256, the cleaned
 * name), in job_photos (053). The type is what the first bytes say
 * (image_photo_type_of, core/image.h), never what the browser declared.
 * A refused upload adds nothing and names the file that was refused.
 *
 * Functions return an enum cs_result; CS_REFUSED comes with a sentence in
 * *why. Strings and bytes come back in the arena given.
 */
#ifndef CSDESK_FIELD_PHOTOS_H
#define CSDESK_FIELD_PHOTOS_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct db;
struct db_pipe;
struct field_actor;
struct ticket_file;

/* Bytes in one photo: under the request parser's 10 MB per file, so a
 * larger photo reaches the use case and is refused by name. */
#define FIELD_PHOTO_MAX (8u << 20)
/* Photos one visit keeps (job_photos, counted under the visit's lock). */
#define FIELD_PHOTOS_PER_VISIT 12
/* Characters in a caption (the table's CHECK). */
#define FIELD_PHOTO_CAPTION_MAX 200
/* Characters in a stored name; a longer one is stored as "photo". */
#define FIELD_PHOTO_NAME_MAX 255

/*
 * NULL when file may be a visit's photo (not empty, not over
 * FIELD_PHOTO_MAX, a JPEG, PNG or WebP by its bytes); else why not, a
 * sentence naming the file, in a.
 */
const char *field_photo_refused(struct arena *a, const struct ticket_file *file);

/*
 * Adds n photos to appointment id, by the technician assigned (anybody
 * else, or a cancelled visit: CS_NOT_FOUND), each with caption (may be
 * "") and shared. All or nothing: CS_REFUSED with a sentence naming the
 * first file refused (field_photo_refused, or the one that would pass
 * FIELD_PHOTOS_PER_VISIT), or for no file or a long caption. A photo the
 * visit has already (the same bytes) is not stored twice, so a form sent
 * again adds nothing; *added counts the new ones. Appends
 * appointment.photo_added for each.
 */
enum cs_result field_photos_add(struct db *db, struct arena *a, const struct field_actor *by,
    long long id, const struct ticket_file *files, size_t n, const char *caption, int shared,
    size_t *added, const char **why);

/*
 * Changes photo_id's caption and whether the customer sees it, by the
 * technician assigned to its visit id (else CS_NOT_FOUND). CS_REFUSED for
 * a long caption. Appends appointment.photo_changed.
 */
enum cs_result field_photo_update(struct db *db, struct arena *a, const struct field_actor *by,
    long long id, long long photo_id, const char *caption, int shared, const char **why);

/*
 * Who looks: staff (staff_id; all_jobs when they may see every visit,
 * else only those assigned to them — a technician), or a customer
 * (customer_id > 0: shared photos of their own visits only).
 */
struct field_photo_viewer {
	long long staff_id;
	int all_jobs;
	long long customer_id;
};

struct field_photo {
	long long id;
	const char *filename;
	const char *content_type;
	const char *caption;
	const char *taken;	/* "2026-12-07 10:42" UTC */
	long long size;
	int shared;
};

/* The photos of visit id that v may see, oldest first (up to FIELD_PHOTOS_PER_VISIT). */
enum cs_result field_photos_of(struct db *db, struct arena *a, const struct field_photo_viewer *v,
    long long id, struct field_photo **rows, size_t *n);

/*
 * The same read in a page's pipeline (db.h): field_photos_send() queues it
 * and returns its index (-1: failed); after db_pipe_run(),
 * field_photos_rows() gives result i as field_photos_of() does.
 */
int field_photos_send(struct db_pipe *pipe, struct arena *a, const struct field_photo_viewer *v,
    long long id);
enum cs_result field_photos_rows(struct db_pipe *pipe, int i, struct arena *a,
    struct field_photo **rows, size_t *n);

/* One photo with its bytes. */
struct field_photo_file {
	const char *filename;
	const char *content_type;
	const void *data;
	size_t len;
};

/* Photo photo_id of visit id as v may see it: CS_OK, CS_NOT_FOUND or the failure. */
enum cs_result field_photo_file(struct db *db, struct arena *a, const struct field_photo_viewer *v,
    long long id, long long photo_id, struct field_photo_file *out);

#endif
