/*
 * ticket_sheet.h — what the agent's ticket page reads with the ticket
 * itself, in one round trip: the conversation (comments with their
 * files, the ticket's own files, the history), the collaboration and
 * customer panel with the customer's other tickets, the SLA panel and the
 * stored knowledge-base suggestions; the optional panels (files,
 * warranty, visits, mail to review) in a second trip when the ticket has
 * one. (The forms' choices, products included, and the canned responses
 * are kept by each worker: ticket_choices.h.)
 * Their statements go to the server together as one pipeline
 * (db_pipe_*, db.h); each module queues its own and reads its own
 * results (collab_panel_send_number/take, sla_view_send_number/take,
 * ticket_thread_send_number/take).
 */
#ifndef CSDESK_TICKET_SHEET_H
#define CSDESK_TICKET_SHEET_H

#include <stddef.h>

#include "core/result.h"
#include "domain/collab_panel.h"
#include "domain/canned.h"
#include "domain/field.h"
#include "domain/kb_search.h"
#include "domain/mail_review.h"
#include "domain/sla.h"
#include "domain/ticket_list.h"
#include "domain/warranty_claims.h"

struct arena;
struct db;
struct db_pipe;
struct ticket;
struct ticket_attachment_ref;
struct ticket_comment;
struct ticket_event;

struct ticket_sheet {
	struct ticket_comment *comments;	/* oldest first, internal notes too */
	size_t ncomments;
	struct ticket_attachment_ref *files;	/* the ticket's own, not a comment's */
	size_t nfiles;
	struct ticket_event *events;		/* the full history, oldest first */
	size_t nevents;
	struct collab_panel collab;
	int has_sla;				/* sla is filled (the ticket has a row) */
	struct sla_view sla;
	const char *promise;			/* the customer's: sla_promise's words */
	/* The knowledge-base articles stored for the ticket (kb_suggest.h);
	 * kb_stored 0: none were, the panel searches. */
	struct kb_results kb;
	int kb_stored;
	/* The customer's other latest tickets (at most TICKET_SHEET_RECENT),
	 * and the canned responses the agent may use. */
	struct tl_row *recent;
	size_t nrecent;
	struct canned *canned;
	size_t ncanned;
	/* After-sales: the warranty of the ticket's serial, and its visits. */
	struct warranty_ticket_panel warranty;
	struct field_appointment *visits;
	size_t nvisits;
	/* Mail waiting for a decision: a non-party's note, a suggested merge. */
	struct mail_review_item *mail;
	size_t nmail;
};

#define TICKET_SHEET_RECENT 5

/*
 * The agent's ticket page from the ticket's number: the ticket itself
 * (into t, as ticket_get reads it for staff) and s as staff_id sees
 * them (noting this view in the presence, as collab_panel does), all in
 * a's arena, in one round trip: the ticket goes out with the panels
 * every page shows, those named by its number. Only when t->panels or
 * its serial say an optional panel (files, warranty, visits, mail) has
 * something does a second trip read them. CS_NOT_FOUND (t and s empty:
 * nothing read is kept) when there is no such ticket; CS_OK or the
 * failure.
 */
enum cs_result ticket_sheet_open(struct db *db, struct arena *a, const char *number,
    long long staff_id, struct ticket *t, struct ticket_sheet *s);

/*
 * The customer's ticket page in the portal: the conversation without
 * internal notes, the files they may see and the SLA's promise in
 * words, in one round trip. t comes from ticket_get for the same
 * customer, in the same transaction (so they may see it); s's events,
 * collab and sla stay empty. CS_OK or the failure.
 */
enum cs_result ticket_sheet_read_customer(struct db *db, struct arena *a,
    const struct ticket *t, struct ticket_sheet *s);

/*
 * ticket_read.c's part: queues the comments and all files (none when
 * t->panels says it has none: slot TICKET_SLOT_NONE; for staff also the
 * history; else its slot is TICKET_SLOT_NONE) on pipe (0, or -1 when out of memory or full) and
 * reads them back into s after db_pipe_run (CS_OK or CS_FAILED).
 */
#define TICKET_THREAD_SLOTS 3
#define TICKET_SLOT_NONE (-2)
int ticket_thread_send(struct db_pipe *pipe, struct arena *a, int staff, const struct ticket *t,
    int slot[TICKET_THREAD_SLOTS]);
enum cs_result ticket_thread_take(struct db_pipe *pipe, struct arena *a,
    const int slot[TICKET_THREAD_SLOTS], struct ticket_sheet *s);

/*
 * The staff's thread of the ticket numbered number (kept by the caller
 * until db_pipe_run): comments and history; the files' slot is
 * TICKET_SLOT_NONE, for ticket_thread_files_send to queue on a later
 * pipe once the ticket's panels say it has files (its slot, or -1).
 * ticket_thread_take_files reads the thread from pipe and the files from
 * files_pipe's files_slot (TICKET_SLOT_NONE: none).
 */
int ticket_thread_send_number(struct db_pipe *pipe, struct arena *a, const char *number,
    int slot[TICKET_THREAD_SLOTS]);
int ticket_thread_files_send(struct db_pipe *pipe, struct arena *a, const struct ticket *t);
enum cs_result ticket_thread_take_files(struct db_pipe *pipe, struct arena *a,
    const int slot[TICKET_THREAD_SLOTS], struct db_pipe *files_pipe, int files_slot,
    struct ticket_sheet *s);

#endif
