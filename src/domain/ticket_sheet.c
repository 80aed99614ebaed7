/* ticket_sheet.c — see ticket_sheet.h. */
#include "domain/ticket_sheet.h"
#include "db/db.h"
#include "domain/kb_suggest.h"
#include "domain/ticket_choices.h"
#include "domain/tickets.h"

#include <string.h>

/* The optional panels' slots: files TICKET_SLOT_NONE, the others -1 when not sent. */
struct optional {
	int files, warranty, visits, mail;
};

/*
 * Queues on pipe the optional panels t has something for, by its panels
 * bits (and its serial, for the warranty): a statement fewer each for
 * the tickets, most of them, with none. 0, or -1 (out of memory, full).
 */
static int
optional_send(struct db_pipe *pipe, struct arena *a, const struct ticket *t, struct optional *o)
{
	o->files = TICKET_SLOT_NONE;
	o->warranty = o->visits = o->mail = -1;
	return ((t->panels & TICKET_PANEL_FILES) &&
	    (o->files = ticket_thread_files_send(pipe, a, t)) < 0) ||
	    ((t->serial[0] != '\0' || (t->panels & TICKET_PANEL_CLAIMS)) &&
	    (o->warranty = warranty_ticket_panel_send(pipe, a, t->id, t->customer_id,
	    t->serial)) < 0) ||
	    ((t->panels & TICKET_PANEL_VISITS) &&
	    (o->visits = field_of_ticket_send(pipe, a, t->id)) < 0) ||
	    ((t->panels & TICKET_PANEL_MAIL) && (o->mail = mail_review_send(pipe, a, t->id)) < 0) ?
	    -1 : 0;
}

enum cs_result
ticket_sheet_open(struct db *db, struct arena *a, const char *number, long long staff_id,
    struct ticket *t, struct ticket_sheet *s)
{
	const struct ticket_actor_ref staff = { TA_STAFF, staff_id, 0, 0, 0 };
	struct db_pipe pipe, more;
	struct optional o = { TICKET_SLOT_NONE, -1, -1, -1 };
	int ticket, thread[TICKET_THREAD_SLOTS], sla[SLA_VIEW_SLOTS], collab, kb, recent;
	int second = 0;
	enum cs_result rc;

	memset(s, 0, sizeof(*s));
	memset(t, 0, sizeof(*t));
	if ((rc = ticket_choices_canned(db, a, staff_id, &s->canned, &s->ncanned)) != CS_OK)
		return rc;
	db_pipe_init(&pipe);
	db_pipe_init(&more);
	/* The ticket and what every page shows of it, by its number: one
	 * round trip. Nothing read is shown before the ticket is found. */
	if ((ticket = ticket_get_send(&pipe, a, &staff, number)) < 0 ||
	    ticket_thread_send_number(&pipe, a, number, thread) < 0 ||
	    (collab = collab_panel_send_number(&pipe, a, number, staff_id)) < 0 ||
	    sla_view_send_number(&pipe, a, number, staff_id, sla) < 0 ||
	    (kb = kb_ticket_suggestions_send_number(&pipe, a, number)) < 0 ||
	    (recent = ticket_list_customer_recent_send_number(&pipe, a, number,
	    TICKET_SHEET_RECENT)) < 0) {
		rc = CS_FAILED;
		goto out;
	}
	if ((rc = db_pipe_run(db, &pipe)) != CS_OK ||
	    (rc = ticket_get_take(&pipe, ticket, db, a, &staff, t)) != CS_OK)
		goto out;
	/* The optional panels, when the ticket says it has one: a second
	 * trip, for the few tickets that do. */
	if (optional_send(&more, a, t, &o) < 0) {
		rc = CS_FAILED;
		goto out;
	}
	second = o.files != TICKET_SLOT_NONE || o.warranty >= 0 || o.visits >= 0 || o.mail >= 0;
	if (second && (rc = db_pipe_run(db, &more)) != CS_OK)
		goto out;
	rc = ticket_thread_take_files(&pipe, a, thread, &more, o.files, s);
	if (rc == CS_OK)
		rc = collab_panel_take(&pipe, collab, a, &s->collab);
	if (rc == CS_OK) {
		/* A ticket deleted since it was read has no SLA row: no panel. */
		rc = sla_view_take(&pipe, a, sla, &s->sla);
		s->has_sla = rc == CS_OK;
		if (rc == CS_NOT_FOUND)
			rc = CS_OK;
	}
	if (rc == CS_OK)
		rc = kb_ticket_suggestions_take(&pipe, kb, a, &s->kb, &s->kb_stored);
	if (rc == CS_OK)
		rc = ticket_list_customer_recent_take(&pipe, recent, db, a, &s->recent,
		    &s->nrecent);
	if (rc == CS_OK)
		rc = warranty_ticket_panel_take(&more, o.warranty, a, t->serial, &s->warranty);
	if (rc == CS_OK && o.visits >= 0)
		rc = field_of_ticket_take(&more, o.visits, a, &s->visits, &s->nvisits);
	if (rc == CS_OK && o.mail >= 0)
		rc = mail_review_take(&more, o.mail, a, &s->mail, &s->nmail);
out:
	if (rc == CS_NOT_FOUND) {
		memset(s, 0, sizeof(*s));
		memset(t, 0, sizeof(*t));
	}
	db_pipe_release(&more);
	db_pipe_release(&pipe);
	return rc;
}

enum cs_result
ticket_sheet_read_customer(struct db *db, struct arena *a, const struct ticket *t,
    struct ticket_sheet *s)
{
	struct db_pipe pipe;
	int thread[TICKET_THREAD_SLOTS], promise;
	enum cs_result rc;

	memset(s, 0, sizeof(*s));
	s->promise = "";
	db_pipe_init(&pipe);
	if (ticket_thread_send(&pipe, a, 0, t, thread) < 0 ||
	    (promise = sla_promise_send(&pipe, a, t->id)) < 0)
		return CS_FAILED;
	if ((rc = db_pipe_run(db, &pipe)) != CS_OK)
		return rc;
	rc = ticket_thread_take(&pipe, a, thread, s);
	if (rc == CS_OK)
		rc = sla_promise_take(&pipe, promise, a, &s->promise);
	db_pipe_release(&pipe);
	return rc;
}
