/* returns_mail.c — the customer's mail about a return; see returns_mail.h. */
#include "domain/returns_mail.h"
#include "domain/returns.h"
#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/events.h"
#include "domain/notify.h"
#include "domain/ticket_notify.h"
#include "tmpl/tval.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define MAIL_COLS(X) \
	X(ML, number, "r.number") X(ML, name, "u.name") X(ML, email, "u.email") \
	X(ML, refund, "r.refund_total::text") X(ML, credit, "r.credit_total::text") \
	X(ML, fee, "r.fee_total::text") X(ML, ship_to, "p.ship_to")
enum { DB_COL_ENUM(MAIL_COLS) };

enum stmt {
	ST_RETURN,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_RETURN] = DB_STMT("returns_mail_return",
	    "SELECT " DB_COLS(MAIL_COLS) " FROM returns r"
	    " JOIN portal_users u ON u.id = r.requester_id AND u.active"
	    " CROSS JOIN return_policy p WHERE r.id = $1", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

/* The steps the customer is told of (the rest are the warehouse's). */
static const enum return_state told[] = {
	RS_REQUESTED, RS_APPROVED, RS_AWAITING_SHIPMENT, RS_RECEIVED, RS_REFUNDED, RS_REPLACED,
	RS_CREDITED, RS_REJECTED, RS_CANCELLED,
};

/* The state an event of type "return.<state>" is about, when the customer is told. */
static enum return_state
told_of(const char *type)
{
	enum return_state s;
	size_t i;

	if (strncmp(type, "return.", 7) != 0)
		return RS__MAX;
	s = return_state_parse(type + 7);
	for (i = 0; i < sizeof(told) / sizeof(told[0]); i++)
		if (told[i] == s)
			return s;
	return RS__MAX;
}

/* Builds the message's context: site, user, rma, step flags, note, links. NULL when out of memory. */
static struct tval *
context(struct arena *a, const PGresult *r, enum return_state s, const char *note,
    const char *site_name, const char *base_url)
{
	struct tval *ctx = tval_map(a), *site = tval_map(a), *user = tval_map(a);
	struct tval *rma = tval_map(a), *step = tval_map(a);
	const char *number = PQgetvalue(r, 0, ML_number);
	int rc;

	if (ctx == NULL || site == NULL || user == NULL || rma == NULL || step == NULL)
		return NULL;
	rc = tval_set_str(a, site, "name", site_name) | tval_set(a, ctx, "site", site);
	rc |= tval_set(a, user, "name", tval_strdup(a, PQgetvalue(r, 0, ML_name)));
	rc |= tval_set(a, ctx, "user", user);
	rc |= tval_set(a, rma, "number", tval_strdup(a, number));
	rc |= tval_set(a, rma, "refund", tval_strdup(a, PQgetvalue(r, 0, ML_refund)));
	rc |= tval_set(a, rma, "credit", tval_strdup(a, PQgetvalue(r, 0, ML_credit)));
	rc |= tval_set(a, rma, "fee", tval_strdup(a, PQgetvalue(r, 0, ML_fee)));
	rc |= tval_set(a, rma, "ship_to", tval_strdup(a, PQgetvalue(r, 0, ML_ship_to)));
	rc |= tval_set(a, ctx, "rma", rma);
	rc |= tval_set_str(a, step, "label", return_state_labels[s]);
	rc |= tval_set_bool(a, step, return_state_names[s], 1);
	rc |= tval_set(a, ctx, "step", step);
	if (note != NULL && *note != '\0')
		rc |= tval_set_str(a, ctx, "note", note);
	rc |= tval_set(a, ctx, "link", tval_str(a, arena_printf(a, "%s/returns/%s", base_url,
	    number)));
	rc |= tval_set(a, ctx, "print_link", tval_str(a, arena_printf(a,
	    "%s/returns/%s/authorisation", base_url, number)));
	return rc ? NULL : ctx;
}

/*
 * The step event e tells the customer of, or RS__MAX. A close straight
 * from disposition (settled with nothing given) is told; a close after a
 * refund or a replacement is not.
 */
static enum return_state
step_of(const struct event *e, json_t *o)
{
	const char *from = json_string_value(json_object_get(o, "from"));
	enum return_state s = told_of(e->type);

	if (s == RS__MAX && strcmp(e->type, "return.closed") == 0 && from != NULL &&
	    strcmp(from, "dispositioned") == 0)
		s = RS_CLOSED;
	return s;
}

/* Queues step s's message about return e to its requester. */
static enum cs_result
tell(struct db *db, struct arena *a, const struct event *e, enum return_state s, json_t *o)
{
	const struct tmpl_set *set;
	const char *site_name, *base_url, *kind;
	char id[24];
	const char *p[] = { id };
	struct tval *mctx;
	PGresult *r;
	enum cs_result rc;

	ticket_notify_env(&set, &site_name, &base_url);
	if (set == NULL) {
		log_error("%s: no templates set up; its events wait", RETURNS_CONSUMER_MAIL);
		return CS_FAILED;
	}
	snprintf(id, sizeof(id), "%lld", e->aggregate_id);
	if ((r = db_exec(db, &stmts[ST_RETURN], p)) == NULL)
		return events_skip_or_fail(db, RETURNS_CONSUMER_MAIL, e);
	if (PQntuples(r) != 1 || !notify_address_ok(PQgetvalue(r, 0, ML_email))) {
		PQclear(r);
		return CS_OK;
	}
	mctx = context(a, r, s, json_string_value(json_object_get(o, "note")), site_name,
	    base_url);
	kind = arena_printf(a, "return_%s", return_state_names[s]);
	rc = mctx == NULL || kind == NULL ? CS_FAILED :
	    notify_enqueue(db, set, a, kind, PQgetvalue(r, 0, ML_email), "return_step", mctx);
	PQclear(r);
	return rc != CS_OK ? events_skip_or_fail(db, RETURNS_CONSUMER_MAIL, e) : CS_OK;
}

enum cs_result
returns_mail_handle(struct db *db, struct arena *a, const struct event *e, void *ctx)
{
	enum return_state s;
	json_t *o;
	enum cs_result rc = CS_OK;

	(void)ctx;
	if (strcmp(e->aggregate, "return") != 0)
		return CS_OK;
	if ((o = events_payload(e)) == NULL)
		return CS_FAILED;
	if ((s = step_of(e, o)) != RS__MAX)
		rc = tell(db, a, e, s, o);
	json_decref(o);
	return rc;
}
