/*
 * ticket_open.c — opening a ticket, from any channel: ticket_open (see
 * tickets.h). The creation path is benchmarked: after the checks it makes
 * one round trip for the ticket (routed, assigned, on the clock, with its
 * history and its events, written once) and one for the commit.
 */
#include "domain/ticket_int.h"
#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/customer_limits.h"
#include "domain/idempotency.h"
#include "domain/kb_search.h"
#include "domain/text_check.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define REFS_COLS(X) X(RF, category_ok, \
	"($1::bigint IS NULL OR EXISTS (SELECT 1 FROM categories WHERE id = $1 AND active))") \
	X(RF, product_ok, \
	"($2::bigint IS NULL OR EXISTS (SELECT 1 FROM products WHERE id = $2 AND active))") \
	X(RF, type_ok, \
	"($3::text IS NULL OR EXISTS (SELECT 1 FROM ticket_types WHERE code = $3 AND active))") \
	X(RF, site_ok, "($4::bigint IS NULL OR EXISTS (SELECT 1 FROM customer_sites" \
	" WHERE id = $4 AND customer_id = $5::bigint AND active))")
enum { DB_COL_ENUM(REFS_COLS) };

#define NEW_COLS(X) X(NW, id, "ticket_id") X(NW, number, "ticket_number") \
	X(NW, assignee, "coalesce(assignee, 0)")
enum { DB_COL_ENUM(NEW_COLS) };

enum stmt {
	ST_REFS,
	ST_OPEN,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_REFS] = DB_STMT("ticket_check_refs", "SELECT " DB_COLS(REFS_COLS), 5),
	/*
	 * The row as routing, automatic assignment and the SLA clock leave it,
	 * written once, with its history (sql/functions/240_intake_speed.sql):
	 * an UPDATE after the INSERT would write every index of tickets again.
	 */
	/*
	 * Its events in the same statement (a data-modifying WITH): they need
	 * the number and the assignee the row got, and a statement of their
	 * own was a round trip each. $17 is ticket.created's payload but the
	 * number; ticket.assigned follows it when the ticket was assigned.
	 * As events_append writes them (events.h): no RETURNING, the portal's
	 * role may insert events but not read them.
	 */
	[ST_OPEN] = DB_STMT("ticket_open_row",
	    "WITH o AS MATERIALIZED (SELECT * FROM ticket_open_row($1, $2, $3, $4, $5, $6, $7,"
	    " $8, $9, $10, $11, $12, $13, $14, $15, $16)),"
	    " e AS (INSERT INTO domain_events (aggregate, aggregate_id, type, actor_kind, actor_id,"
	    " payload) SELECT 'ticket', o.ticket_id, v.type, $14, $15, v.payload FROM o,"
	    " LATERAL (VALUES (1, 'ticket.created', $17::jsonb || jsonb_build_object('number',"
	    " o.ticket_number)), (2, 'ticket.assigned', jsonb_build_object('number',"
	    " o.ticket_number, 'assignee_id', o.assignee, 'auto', true))) v(n, type, payload)"
	    " WHERE v.n = 1 OR o.assignee IS NOT NULL ORDER BY v.n)"
	    " SELECT " DB_COLS(NEW_COLS) " FROM o", 17),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static const char *
priority_for(const char *urgency)
{
	if (strcmp(urgency, "low") == 0)
		return "low";
	if (strcmp(urgency, "high") == 0)
		return "high";
	return "medium";
}

/* Validation before the database is touched. NULL when t may be opened. */
static const char *
new_refused(const struct ticket_new *t)
{
	const char *why;

	if (t->customer_id <= 0)
		return "a ticket needs a customer";
	if (ticket_blank(t->subject))
		return "Enter a subject.";
	if (!ticket_text_fits(t->subject, TICKET_SUBJECT_MAX))
		return "The subject is longer than 200 characters.";
	if (!text_line_ok(t->subject))
		return "The subject cannot hold " TEXT_LINE_BANNED ".";
	if (ticket_blank(t->description))
		return "Describe the problem.";
	if (!ticket_text_fits(t->description, TICKET_DESCRIPTION_MAX))
		return "The description is longer than 20,000 characters.";
	if (!ticket_text_fits(t->serial, TICKET_SERIAL_MAX))
		return "The serial number is longer than 100 characters.";
	if (!ticket_text_fits(t->external_ref, TICKET_EXTERNAL_REF_MAX))
		return "The reference is too long.";
	if (t->channel == NULL || !ticket_word_valid(ticket_channels, t->channel))
		return "Unknown channel.";
	/* Which types exist is the admins' list (046): refs_check asks it. */
	if (t->type != NULL && (*t->type == '\0' || strlen(t->type) > TICKET_TYPE_MAX))
		return "Unknown ticket type.";
	if (t->urgency != NULL && !ticket_word_valid(ticket_urgencies, t->urgency))
		return "Choose an urgency.";
	if (t->priority != NULL && !ticket_word_valid(ticket_priorities, t->priority))
		return "Unknown priority.";
	if ((why = ticket_files_refused(t->files, t->nfiles)) != NULL)
		return why;
	return NULL;
}

/*
 * The category, product, type and site named exist and are active (refs:
 * the four, NULL for not named, then the customer). CS_OK, CS_REFUSED or
 * the failure.
 */
static enum cs_result
refs_check(struct db *db, const char *const *refs, const char **why)
{
	PGresult *r;
	int cat, prod, type, site;

	if (refs[0] == NULL && refs[1] == NULL && refs[2] == NULL && refs[3] == NULL)
		return CS_OK;
	if ((r = db_exec(db, &stmts[ST_REFS], refs)) == NULL)
		return db_result(db);
	cat = PQntuples(r) == 1 && db_bool(r, 0, RF_category_ok);
	prod = PQntuples(r) == 1 && db_bool(r, 0, RF_product_ok);
	type = PQntuples(r) == 1 && db_bool(r, 0, RF_type_ok);
	site = PQntuples(r) == 1 && db_bool(r, 0, RF_site_ok);
	PQclear(r);
	if (!cat)
		return ticket_refuse(why, "Choose a category from the list.");
	if (!prod)
		return ticket_refuse(why, "Choose a product from the list.");
	if (!type)
		return ticket_refuse(why, "Unknown ticket type.");
	if (!site)
		return ticket_refuse(why, "Choose one of the customer's sites.");
	return CS_OK;
}

/*
 * ticket.created's payload but the number (the row's, added by ST_OPEN):
 * the channel, the customer, the requester, the reference and the address
 * it came from, as JSON text the caller frees; NULL when out of memory.
 */
static char *
created_payload(const struct ticket_new *t)
{
	json_t *o = json_pack("{s:s, s:I, s:o}", "channel", t->channel,
	    "customer_id", (json_int_t)t->customer_id,
	    "requester_id", t->requester_id > 0 ? json_integer(t->requester_id) : json_null());
	char *text = NULL;

	if (o == NULL)
		return NULL;
	if (t->external_ref != NULL && *t->external_ref != '\0' &&
	    json_object_set_new(o, "external_ref", json_string(t->external_ref)) < 0)
		goto out;
	if (t->ip != NULL && *t->ip != '\0' && json_object_set_new(o, "ip", json_string(t->ip)) < 0)
		goto out;
	text = json_dumps(o, JSON_COMPACT);
out:
	json_decref(o);
	return text;
}

/*
 * The ticket, routed, assigned and on the clock, with its history and its
 * events (ticket.created, ticket.assigned when it was); sets out.
 */
static enum cs_result
insert(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    const struct ticket_new *t, const char *const *refs, struct ticket_opened *out)
{
	struct tnum cu, rq, qu, ac, si;
	const char *urgency = t->urgency != NULL ? t->urgency : "normal";
	char *created = created_payload(t);
	const char *p[] = { tnum(&cu, t->customer_id), tnum_or_null(&rq, t->requester_id),
		t->channel, t->type != NULL ? t->type : "question", refs[0], refs[1],
		t->serial != NULL && t->serial[0] != '\0' ? t->serial : NULL, t->subject,
		t->description, urgency, t->priority != NULL ? t->priority : priority_for(urgency),
		t->language, tnum_or_null(&qu, t->queue_id),
		by->kind == TA_CUSTOMER ? "customer" : by->kind == TA_SYSTEM ? "system" :
		by->api ? "api" : "staff",
		by->kind == TA_SYSTEM ? NULL : tnum_or_null(&ac, by->id),
		tnum_or_null(&si, t->site_id), created };
	PGresult *r;
	int failed = 0;

	if (created == NULL) {
		log_error("tickets: ticket.created: out of memory for the payload");
		return CS_FAILED;
	}
	r = db_exec(db, &stmts[ST_OPEN], p);
	free(created);
	if (r == NULL)
		return db_result(db);
	if (PQntuples(r) == 1) {
		out->id = db_ll(r, 0, NW_id);
		out->number = db_str(a, r, 0, NW_number, &failed);
		out->assignee_id = db_ll(r, 0, NW_assignee);
	}
	PQclear(r);
	return out->id > 0 && !failed ? CS_OK : CS_FAILED;
}

enum cs_result
ticket_once(struct db *db, struct arena *a, const struct idem_key *k, struct ticket_opened *out,
    const char **why)
{
	struct idem_claim c;
	enum cs_result rc;

	rc = idem_claim(db, a, k->scope, k->owner_id, k->key, k->request, &c, why);
	if (rc != CS_OK || !c.replay)
		return rc;
	/* Claimed by another kind of change, or its ticket is gone: not ours to answer. */
	if (c.ticket_id == 0 || *c.ticket_number == '\0')
		return CS_CONFLICT;
	out->id = c.ticket_id;
	out->number = c.ticket_number;
	out->replayed = 1;
	return CS_TAKEN;
}

enum cs_result
ticket_open(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    const struct ticket_new *t, struct ticket_opened *out, const char **why)
{
	struct tnum ca, pr, si, cu;
	const char *refs[] = { tnum_or_null(&ca, t->category_id), tnum_or_null(&pr, t->product_id),
		t->type, tnum_or_null(&si, t->site_id), tnum(&cu, t->customer_id) };
	const char *bad;
	enum cs_result rc;

	memset(out, 0, sizeof(*out));
	if ((bad = new_refused(t)) != NULL)
		return ticket_refuse(why, bad);
	if (by->kind == TA_CUSTOMER && t->customer_id != by->customer_id)
		return CS_NOT_FOUND;
	if ((rc = refs_check(db, refs, why)) != CS_OK)
		return rc;
	if (db_begin(db) < 0)
		return db_result(db);
	/* A retry answers with the first's ticket, before it could be counted. */
	if (t->once != NULL && (rc = ticket_once(db, a, t->once, out, why)) != CS_OK) {
		if (rc != CS_TAKEN)
			memset(out, 0, sizeof(*out));
		return rc == CS_TAKEN ? db_end(db, CS_OK) : ticket_end(db, rc);
	}
	/* Counted inside the transaction: the account stays locked until it ends. */
	if (by->kind == TA_CUSTOMER && (rc = customer_limits_check(db, a, CUSTOMER_LIMIT_TICKET,
	    by->customer_id, t->files, t->nfiles, why, &out->retry_after)) != CS_OK)
		return t->once != NULL ? db_end(db, rc) : ticket_end(db, rc);
	rc = insert(db, a, by, t, refs, out);
	if (rc == CS_OK)
		rc = ticket_files_store(db, by, out->id, 0, t->files, t->nfiles);
	/* Which search the customer made before writing (not a deflection). */
	if (rc == CS_OK && t->kb_search != NULL)
		rc = kb_search_ticket(db, a, out->id, t->kb_search);
	if (rc == CS_OK && t->once != NULL)
		rc = idem_store_ticket(db, t->once, out->id);
	if ((rc = db_end(db, rc)) != CS_OK)
		memset(out, 0, sizeof(*out));
	return rc;
}
