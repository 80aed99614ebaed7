/*
 * tickets.h — the life of a ticket, shared by the portal, the console and
 * the API: creating one (then routing and assigning it), the conversation,
 * status changes by the workflow in ticket_rules.h, and the history.
 *
 * Every function that changes a ticket records what changed in
 * ticket_events (who, field, before, after) in the same transaction, and
 * bumps tickets.version. Callers pass who acts (struct ticket_actor_ref);
 * reads for customers rely on row-level security (the portal's
 * transaction names the customer) and also filter by customer_id, so
 * "not yours" and "not there" are the same: not found.
 *
 * Return values: 0 success; TICKET_NOT_FOUND; TICKET_REFUSED (the workflow
 * or a rule says no — the message is in *why when given); -1 database error.
 * Strings come back in the arena given. A refusal or "not found" changes
 * nothing and leaves the caller's transaction usable (so a page can explain
 * and commit); -1 rolls back (nested db_begin: the outer commit then fails).
 *
 * The portal's role cannot read staff, queues, teams or resolution codes:
 * for customers those names come back "" and staff authors as "Support
 * team". Customers may not reply to closed or cancelled tickets (reopen
 * first); their reply to one waiting for them moves it to in_progress.
 */
#ifndef CSDESK_TICKETS_H
#define CSDESK_TICKETS_H

#include <stddef.h>

#include "domain/ticket_rules.h"

struct arena;
struct db;
struct tmpl_set;

#define TICKET_NOT_FOUND (-2)
#define TICKET_REFUSED (-3)

/* Who is acting: a staff member, a portal user, the system or an API key. */
struct ticket_actor_ref {
	enum ticket_actor kind;		/* TA_STAFF, TA_CUSTOMER, TA_SYSTEM */
	long long id;			/* staff.id or portal_users.id; 0 for the system */
	long long customer_id;		/* customers: their account (scopes every read) */
	int account_admin;		/* customers: sees the whole account's tickets */
	int api;			/* staff acting through an API key */
};

/* An uploaded file, pointing into the request body. */
struct ticket_file {
	const char *filename;
	const char *content_type;
	const unsigned char *data;
	size_t len;
};

struct ticket_new {
	long long customer_id;
	long long requester_id;		/* portal user, or 0 */
	const char *channel;		/* ticket_channels */
	const char *type;		/* ticket_types, NULL: question */
	long long category_id;		/* 0: none */
	long long product_id;		/* 0: none */
	const char *serial;		/* may be NULL */
	const char *subject;
	const char *description;	/* markdown */
	const char *urgency;		/* ticket_urgencies, NULL: normal */
	const char *priority;		/* NULL: from urgency (low/medium/high) */
	const char *language;		/* NULL: the customer's */
	const struct ticket_file *files;
	size_t nfiles;
};

/*
 * Creates a ticket, stores its attachments, routes it by the rules and
 * assigns it when its queue assigns automatically; all in one transaction.
 * Sets *number ("TKT-000123") and *id. Validation failures (empty subject,
 * bad channel, a file too large or of a refused type) are TICKET_REFUSED
 * with *why set.
 */
int ticket_create(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    const struct ticket_new *t, const char **number, long long *id, const char **why);

/* One ticket as a page shows it. */
struct ticket {
	long long id;
	const char *number;
	long long customer_id;
	const char *customer_name, *customer_tier;
	long long requester_id;
	const char *requester_name, *requester_email;
	const char *channel, *type, *subject, *description, *urgency, *priority;
	enum ticket_status status;
	const char *category;		/* name or "" */
	const char *product;		/* name or "" */
	const char *serial;
	long long queue_id, team_id, assignee_id;
	const char *queue, *team, *assignee;	/* names or "" */
	const char *tags;		/* comma-separated */
	const char *created_at, *updated_at, *first_response_at, *resolved_at, *closed_at;
	const char *resolution_code, *root_cause;
	int rating;			/* 0: none */
	const char *rating_comment;
	int reopen_count;
	int version;
	int minutes_spent;		/* summed over comments */
	long long category_id, product_id;	/* 0: none */
};

/* Loads by number, scoped to who asks. 0, TICKET_NOT_FOUND or -1. */
int ticket_get(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    const char *number, struct ticket *t);

struct ticket_comment {
	long long id;
	const char *kind;		/* public, internal, system */
	const char *author;		/* display name */
	int by_staff;
	const char *body;		/* markdown as written */
	const char *created_at;
	int minutes_spent;
	struct ticket_attachment_ref *files;
	size_t nfiles;
};

struct ticket_attachment_ref {
	long long id;
	const char *filename, *content_type;
	long long size;
};

/*
 * The conversation, oldest first. Customers never get internal notes, and
 * TICKET_NOT_FOUND for a ticket not theirs; staff get an empty list for a
 * ticket that does not exist (as with ticket_files and ticket_events).
 */
int ticket_comments(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, struct ticket_comment **out, size_t *n);

/* Attachments not tied to a comment (sent with the ticket itself). */
int ticket_files(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, struct ticket_attachment_ref **out, size_t *n);

struct ticket_event {
	const char *actor;		/* display name or "system" */
	const char *field, *old_value, *new_value, *created_at;
	long long id;			/* ascending: what came after a page was loaded */
};

/* The history, oldest first (staff only: customers get TICKET_NOT_FOUND). */
int ticket_events(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, struct ticket_event **out, size_t *n);

/*
 * Adds a comment (kind "public" or, staff only, "internal") with files.
 * A staff member's first public reply sets first_response_at. A customer's
 * reply to a ticket waiting for them moves it back to in_progress.
 * expected_version (0: do not check) guards against replying to a ticket
 * that changed since the page was loaded: TICKET_REFUSED with *why.
 */
int ticket_comment_add(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, const char *kind, const char *body, int minutes_spent,
    const struct ticket_file *files, size_t nfiles, int expected_version, const char **why);

/*
 * Moves a ticket to status `to` if the workflow allows it for this actor.
 * Resolving records resolved_at and needs a resolution code from staff
 * (resolution_code, root_cause may be NULL for others); closing records
 * closed_at; reopening counts reopen_count and clears resolved_at. A
 * customer confirming may give a 1-5 rating (0: none) and a comment.
 */
int ticket_set_status(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, enum ticket_status to, const char *resolution_code,
    const char *root_cause, int rating, const char *rating_comment, const char **why);

/* One file for download, scoped to who asks (internal notes' files staff only). */
struct ticket_download {
	const char *filename, *content_type;
	const unsigned char *data;	/* in the arena */
	size_t len;
};
int ticket_download(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    const char *number, long long attachment_id, struct ticket_download *d);

/* A customer's list: their own tickets, or the account's for account admins. */
struct ticket_row {
	long long id;
	const char *number, *subject, *priority, *status_name, *status_label, *updated_at;
	const char *assignee;		/* display name or "" */
};

struct ticket_page {
	const char *status;		/* filter: a status name, "open", or NULL for all */
	long long before_id;		/* keyset: rows older than this (0: first page) */
	int limit;			/* ≤ 100 */
};

int ticket_list_for_customer(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    const struct ticket_page *p, struct ticket_row **rows, size_t *n, long long *next_before);

/* Limits on attachments (per file, per ticket or reply) and allowed types. */
#define TICKET_FILE_MAX (10u << 20)
#define TICKET_FILES_MAX 10
/* NULL when the file may be stored, else why not ("type not accepted"). */
const char *ticket_file_refused(const struct ticket_file *f);

/* The content type stored for a file of that name, or NULL when refused. */
const char *ticket_file_type(const char *filename);

/* What a download is served as: the stored type when on the allow-list,
 * else application/octet-stream. Cannot fail. */
const char *ticket_download_type(const char *stored);

/*
 * Queues the "we received your request" mail (templates/email/ticket_created)
 * to the ticket's requester, inside the caller's transaction. ctx is the
 * page context (it carries site.name); user, ticket and link (the ticket's
 * URL) are added to it. Returns 0 (also when there is no requester to
 * tell) or -1.
 */
/* Active categories (by position) and products (by name), for forms. 0 or -1. */
struct ticket_option {
	long long id;
	const char *name;
};
int ticket_categories(struct db *db, struct arena *a, struct ticket_option **out, size_t *n);
int ticket_products(struct db *db, struct arena *a, struct ticket_option **out, size_t *n);

struct tval;
int ticket_notify_created(struct db *db, const struct tmpl_set *set, struct arena *a,
    long long ticket_id, struct tval *ctx, const char *link);

#endif
