/*
 * tickets.h — the life of a ticket, the same for every channel (portal,
 * console, JSON API, CLI and, next, mail intake): opening one, the
 * conversation, status changes by the workflow in ticket_rules.h, and the
 * reads that show them.
 *
 * The use cases — ticket_open (ticket_open.c), ticket_reply
 * (ticket_reply.c), ticket_change_status (ticket_status.c) — each check
 * their input once, against the limits below (characters, as the table
 * CHECKs count them), open their own transaction (nested inside the
 * caller's when there is one), change the rows, record the history in
 * ticket_events and append typed domain events (events.h) in the same
 * transaction:
 *
 *   ticket.created         {number, channel, customer_id, requester_id, …}
 *   ticket.assigned        {number, assignee_id, auto}   routing gave it an agent
 *   ticket.replied         {number, comment_id}          a public comment
 *   ticket.noted           {number, comment_id, mentioned}  an internal
 *                          note; mentioned: the staff ids it @mentions
 *   ticket.status_changed  {number, from, to, …}         resolution_code,
 *                          root_cause, rating; auto_close_days and tell
 *                          when the batch closed it (ticket_autoclose.h)
 *
 * Payloads also carry "ip" (where a person acted from, for the audit
 * trail) and "external_ref" (a channel's own id) when the input gave them.
 * What follows from a change — mail, audit rows — is done by the event
 * consumers (ticket_consumers.h), never by the use case or its caller.
 *
 * Results (core/result.h): CS_OK; CS_NOT_FOUND (no such ticket, or not one
 * this actor may see: the same answer); CS_REFUSED with *why, a sentence
 * for the person (a limit, the workflow, a stale version); CS_DB_LOST or
 * CS_FAILED (logged, rolled back: the caller's outer transaction then
 * fails to commit). A refusal or "not found" comes before any write and
 * leaves the caller's transaction usable for the page that explains.
 * Strings come back in the arena given.
 *
 * Reads for customers rely on row-level security (the portal's
 * transaction names the customer) and also filter by customer and
 * requester, so "not yours" and "not there" are the same. The portal's
 * role cannot read staff, queues, teams or resolution codes: for customers
 * those names come back "" and staff authors as "Support team".
 */
#ifndef CSDESK_TICKETS_H
#define CSDESK_TICKETS_H

#include <stddef.h>

#include "core/result.h"
#include "domain/ticket_rules.h"

struct arena;
struct idem_key;
struct db;
struct db_option;

/* Limits, in characters, as the tables' CHECKs (004_tickets.sql) say. */
#define TICKET_SUBJECT_MAX 200
#define TICKET_DESCRIPTION_MAX 20000
#define TICKET_SERIAL_MAX 100
#define TICKET_BODY_MAX 50000		/* a reply or a note */
#define TICKET_MINUTES_MAX 10000	/* time worked on one comment */
#define TICKET_ROOT_CAUSE_MAX 2000
#define TICKET_RATING_COMMENT_MAX 2000
#define TICKET_EXTERNAL_REF_MAX 998	/* an e-mail header line's length */
/* Attachments: bytes per file, files per ticket or reply, name length. */
#define TICKET_FILE_MAX (10u << 20)
#define TICKET_FILES_MAX 10
#define TICKET_FILENAME_MAX 255

/* Who is acting: a staff member, a portal user, the system or an API key. */
struct ticket_actor_ref {
	enum ticket_actor kind;		/* TA_STAFF, TA_CUSTOMER, TA_SYSTEM */
	long long id;			/* staff.id or portal_users.id; 0 for the system */
	long long customer_id;		/* customers: their account (scopes every read) */
	int account_admin;		/* customers: sees the whole account's tickets */
	int api;			/* staff acting through an API key */
};

/* An uploaded file (or a mail's attachment), pointing into the caller's data. */
struct ticket_file {
	const char *filename;
	const char *content_type;
	const unsigned char *data;
	size_t len;
};

/*
 * What opening a ticket needs, from any channel. A mail intake fills it
 * from a message: customer and requester from the sender, channel "email",
 * subject and description from the message, files from its attachments,
 * external_ref its Message-ID.
 */
struct ticket_new {
	long long customer_id;
	long long requester_id;		/* portal user, or 0 (no mail to tell) */
	const char *channel;		/* ticket_channels */
	const char *type;		/* an active ticket_types code, NULL: question */
	long long category_id;		/* 0: none */
	long long product_id;		/* 0: none */
	long long site_id;		/* one of the customer's active sites, 0: none */
	const char *serial;		/* may be NULL */
	const char *subject;
	const char *description;	/* markdown */
	const char *urgency;		/* ticket_urgencies, NULL: normal */
	const char *priority;		/* NULL: from urgency (low/medium/high) */
	const char *language;		/* NULL: the customer's */
	long long queue_id;		/* 0: routing decides; else the queue the
					 * channel chose (a mail's address), kept */
	const struct ticket_file *files;
	size_t nfiles;
	const char *external_ref;	/* the channel's id of what started it, or NULL */
	const char *kb_search;		/* the portal search that came first (kb), or NULL */
	const char *ip;			/* where the person acted from, or NULL */
	/* The client's name for this creation (an Idempotency-Key, a form's
	 * one-time token), or NULL: a second request with it opens nothing
	 * and answers with the first's ticket (idempotency.h). */
	const struct idem_key *once;
};

struct ticket_opened {
	long long id;
	const char *number;		/* "TKT-000123" */
	long long assignee_id;		/* 0: routing gave it nobody */
	int retry_after;		/* CS_LIMITED: seconds until it may be sent again */
	int replayed;			/* 1: t->once was used before; id and number are its ticket's */
};

/*
 * Opens a ticket: checks t, stores it and its files, routes it by the
 * rules, assigns it when its queue assigns automatically, starts its SLA
 * clock, records a KB search that came first as not deflected, and
 * appends ticket.created (and ticket.assigned) — in one transaction.
 * Customers may open tickets only for their own account (else
 * CS_NOT_FOUND), and only as fast and with as many files as
 * customer_limits.h allows (else CS_LIMITED, with *why and
 * out->retry_after). With t->once, the key is claimed first in the same
 * transaction, which also records the ticket against it: a request whose
 * key opened a ticket before gets CS_OK with out->replayed and that
 * ticket (a concurrent one waits for the first to end); CS_REFUSED when
 * the key was used for a different request; CS_CONFLICT when it is
 * claimed by a request that opened nothing. Fills *out.
 */
enum cs_result ticket_open(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    const struct ticket_new *t, struct ticket_opened *out, const char **why);

/*
 * Claims k in the caller's open transaction, as ticket_open does first:
 * CS_OK (go on), CS_TAKEN (a ticket was opened with k before: out->id,
 * out->number and out->replayed set), CS_REFUSED with *why, CS_CONFLICT,
 * or the failure. For a use case that opens a ticket with more around it
 * (intake_open), which then opens it without t->once and records it with
 * idem_store_ticket.
 */
enum cs_result ticket_once(struct db *db, struct arena *a, const struct idem_key *k,
    struct ticket_opened *out, const char **why);

/* A comment on a ticket, from any channel. */
struct ticket_reply_in {
	long long ticket_id;
	const char *kind;		/* "public", or (staff only) "internal" */
	const char *body;		/* markdown, 1..TICKET_BODY_MAX characters */
	int minutes_spent;		/* staff: 0..TICKET_MINUTES_MAX; customers: ignored */
	const struct ticket_file *files;
	size_t nfiles;
	int expected_version;		/* 0: do not check; else refused when it moved on */
	const char *external_ref;	/* e.g. the reply mail's Message-ID, or NULL */
	const char *ip;			/* where the person acted from, or NULL */
};

/* What a comment made. */
struct ticket_replied {
	long long comment_id;
	size_t mentioned;		/* an internal note: the colleagues it @mentions */
	int retry_after;		/* CS_LIMITED: seconds until it may be sent again */
};

/*
 * Adds a comment with its files and appends ticket.replied (public) or
 * ticket.noted (internal). A staff member's first public reply sets
 * first_response_at; their internal note records a "mention" history row
 * per active colleague it @mentions (ticket_collab.h), whom the mail
 * consumer then tells. Customers may not write on closed or cancelled
 * tickets (reopen first); their reply to one waiting for them moves it to
 * in_progress (with a ticket.status_changed); they are held to the rates
 * and the file quota of customer_limits.h (CS_LIMITED, with *why and
 * out->retry_after). Fills *out (may be NULL).
 */
enum cs_result ticket_reply(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    const struct ticket_reply_in *in, struct ticket_replied *out, const char **why);

/* A status change, from any channel. */
struct ticket_status_in {
	long long ticket_id;
	enum ticket_status to;
	const char *resolution_code;	/* staff resolving: required */
	const char *root_cause;		/* resolving: optional, TICKET_ROOT_CAUSE_MAX */
	int rating;			/* a customer confirming: 1..5, 0: none */
	const char *rating_comment;	/* with the rating, TICKET_RATING_COMMENT_MAX */
	const char *comment;		/* a public comment in the same change (a
					 * reopen's reason), or NULL */
	const char *ip;			/* where the person acted from, or NULL */
};

/*
 * Moves a ticket to in->to if the workflow allows it for this actor:
 * resolving (staff: with a resolution code and a root cause), confirming
 * (a customer closing a resolved ticket, with a rating), reopening (with
 * its reason as a comment), and the rest. Records resolved_at, closed_at
 * and reopen_count, and appends ticket.status_changed (and ticket.replied
 * for the comment).
 */
enum cs_result ticket_change_status(struct db *db, struct arena *a,
    const struct ticket_actor_ref *by, const struct ticket_status_in *in, const char **why);

/* ---- reads (ticket_read.c) ------------------------------------------------ */

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
	const char *category;		/* name ("Orders › Late" for a sub-category) or "" */
	const char *product;		/* name or "" */
	const char *serial;
	long long queue_id, team_id, assignee_id;
	const char *queue, *team, *assignee;	/* names or "" */
	const char *tags;		/* comma-separated */
	const char *created_at, *updated_at, *first_response_at, *resolved_at, *closed_at;
	const char *resolution_code, *root_cause;
	long long resolution_code_id;	/* 0: none */
	int rating;			/* 0: none */
	const char *rating_comment;
	int reopen_count;
	int version;
	int minutes_spent;		/* summed over comments */
	long long category_id, product_id;	/* 0: none */
	const char *type_label;		/* the type's label (the code when none) */
	const char *site;		/* "name: address" of the customer's site, or "" */
	long long site_id;		/* 0: none */
	/* TICKET_PANEL_* bits: the console page's panels that have something
	 * of this ticket to show (the others are not read); a customer's
	 * reader sets them all. */
	unsigned panels;
};
/* The id of the ticket numbered by parameter p, as SQL: the page's
 * statements that go out with the ticket's own read (ticket_sheet_open)
 * name it by its number. */
#define TICKET_PANEL_CLAIMS 1		/* warranty claims */
#define TICKET_PANEL_VISITS 2		/* field service appointments */
#define TICKET_PANEL_MAIL 4		/* mail to review or a suggested merge */
#define TICKET_PANEL_FILES 8		/* attachments */

/* The id of the ticket numbered by parameter p, as SQL: the page's
 * statements that go out with the ticket's own read (ticket_sheet_open)
 * name it by its number. */
#define TICKET_ID_OF(p) "(SELECT tn.id FROM tickets tn WHERE tn.number = " p "::text)"

/* Loads by number, scoped to who asks: CS_OK, CS_NOT_FOUND or the failure. */
enum cs_result ticket_get(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    const char *number, struct ticket *t);
/*
 * ticket_get as part of a pipeline (db.h): _send queues it and returns its
 * slot (-1: out of memory or the pipe is full; number and the parameters
 * must live, in a, until db_pipe_run); after the run, _take fills t (and,
 * for staff, its names from db's kept lists: the same by as _send):
 * CS_OK, CS_NOT_FOUND or the failure.
 */
struct db_pipe;
int ticket_get_send(struct db_pipe *pipe, struct arena *a, const struct ticket_actor_ref *by,
    const char *number);
enum cs_result ticket_get_take(struct db_pipe *pipe, int slot, struct db *db, struct arena *a,
    const struct ticket_actor_ref *by, struct ticket *t);

struct ticket_attachment_ref {
	long long id;
	const char *filename, *content_type;
	long long size;
};

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

/*
 * The conversation, oldest first. Customers never get internal notes, and
 * CS_NOT_FOUND for a ticket not theirs; staff get an empty list for a
 * ticket that does not exist (as with ticket_files and ticket_events).
 */
enum cs_result ticket_comments(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, struct ticket_comment **out, size_t *n);

/* Attachments not tied to a comment (sent with the ticket itself). */
enum cs_result ticket_files(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, struct ticket_attachment_ref **out, size_t *n);

struct ticket_event {
	const char *actor;		/* display name or "system" */
	const char *field, *old_value, *new_value, *created_at;
	long long id;			/* ascending: what came after a page was loaded */
};

/* The history, oldest first (staff only: customers get CS_NOT_FOUND). */
enum cs_result ticket_events(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, struct ticket_event **out, size_t *n);

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

/* One page, newest change first; *next_before 0 on the last page. */
enum cs_result ticket_list_for_customer(struct db *db, struct arena *a,
    const struct ticket_actor_ref *by, const struct ticket_page *p, struct ticket_row **rows,
    size_t *n, long long *next_before);

/* Active categories (by position) and products (by name), for forms. */
enum cs_result ticket_categories(struct db *db, struct arena *a, struct db_option **out,
    size_t *n);
enum cs_result ticket_products(struct db *db, struct arena *a, struct db_option **out,
    size_t *n);

/* ---- files (ticket_files.c) ----------------------------------------------- */

/* One file for download, scoped to who asks (internal notes' files staff only). */
struct ticket_download {
	const char *filename, *content_type;
	const unsigned char *data;	/* in the arena */
	size_t len;
};
enum cs_result ticket_download(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    const char *number, long long attachment_id, struct ticket_download *d);

/* NULL when the file may be stored, else why not ("type not accepted"). */
const char *ticket_file_refused(const struct ticket_file *f);

/* The content type stored for a file of that name, or NULL when refused. */
const char *ticket_file_type(const char *filename);

/* What a download is served as: the stored type when on the allow-list,
 * else application/octet-stream. Cannot fail. */
const char *ticket_download_type(const char *stored);

#endif
