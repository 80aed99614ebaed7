/* ticket_sheet.c — see ticket_sheet.h. */
#include "domain/ticket_sheet.h"
#include "db/db.h"
#include "domain/kb_suggest.h"
#include "domain/ticket_choices.h"
#include "domain/tickets.h"

#include <string.h>

enum cs_result
ticket_sheet_read(struct db *db, struct arena *a, const struct ticket *t, long long staff_id,
    struct ticket_sheet *s)
{
	struct db_pipe pipe;
	int thread[TICKET_THREAD_SLOTS], sla[SLA_VIEW_SLOTS], collab, kb, recent;
	int warranty = -1, visits = -1, mail = -1;
	enum cs_result rc;

	memset(s, 0, sizeof(*s));
	/* The canned responses are kept by the worker (ticket_choices.h):
	 * no statement unless one changed since the last page. */
	if ((rc = ticket_choices_canned(db, a, staff_id, &s->canned, &s->ncanned)) != CS_OK)
		return rc;
	db_pipe_init(&pipe);
	/* The optional panels are read only when the ticket row says they
	 * have something to show (ticket_read.c): a statement fewer each. */
	if (ticket_thread_send(&pipe, a, 1, t, thread) < 0 ||
	    (collab = collab_panel_send(&pipe, a, t->id, staff_id, t->customer_id)) < 0 ||
	    sla_view_send(&pipe, a, t->id, staff_id, sla) < 0 ||
	    (kb = kb_ticket_suggestions_send(&pipe, a, t->id)) < 0 ||
	    (recent = ticket_list_customer_recent_send(&pipe, a, t->customer_id, t->id,
	    TICKET_SHEET_RECENT)) < 0 ||
	    ((t->serial[0] != '\0' || (t->panels & TICKET_PANEL_CLAIMS)) &&
	    (warranty = warranty_ticket_panel_send(&pipe, a, t->id, t->customer_id,
	    t->serial)) < 0) ||
	    ((t->panels & TICKET_PANEL_VISITS) &&
	    (visits = field_of_ticket_send(&pipe, a, t->id)) < 0) ||
	    ((t->panels & TICKET_PANEL_MAIL) && (mail = mail_review_send(&pipe, a, t->id)) < 0))
		return CS_FAILED;
	if ((rc = db_pipe_run(db, &pipe)) != CS_OK)
		return rc;
	rc = ticket_thread_take(&pipe, a, thread, s);
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
		rc = ticket_list_customer_recent_take(&pipe, recent, a, &s->recent, &s->nrecent);
	if (rc == CS_OK)
		rc = warranty_ticket_panel_take(&pipe, warranty, a, t->serial, &s->warranty);
	if (rc == CS_OK && visits >= 0)
		rc = field_of_ticket_take(&pipe, visits, a, &s->visits, &s->nvisits);
	if (rc == CS_OK && mail >= 0)
		rc = mail_review_take(&pipe, mail, a, &s->mail, &s->nmail);
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
