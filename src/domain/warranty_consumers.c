/* warranty_consumers.c — mail and audit from warranty events, and the batch step; see warranty_consumers.h. */
#include "domain/warranty_consumers.h"
#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/events.h"
#include "domain/notify.h"
#include "domain/warranty.h"
#include "domain/warranty_claims.h"
#include "domain/warranty_contracts.h"
#include "tmpl/tval.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* Who hears about a claim: its ticket's requester, else the account's admins. */
#define TO_COLS(X) X(TO, email, "u.email") X(TO, name, "u.name")
enum { DB_COL_ENUM(TO_COLS) };
#define ABOUT_COLS(X) X(AB, customer_id, "w.customer_id") \
	X(AB, number, "'WC-' || lpad(w.id::text, 6, '0')") X(AB, product, "p.name") \
	X(AB, serial, "g.serial") X(AB, registration_id, "g.id")
enum { DB_COL_ENUM(ABOUT_COLS) };
#define CONTRACT_COLS(X) X(CT, customer_id, "k.customer_id") X(CT, name, "k.name") \
	X(CT, ends_on, "k.ends_on::text")
enum { DB_COL_ENUM(CONTRACT_COLS) };

enum stmt {
	ST_CLAIM_TO,
	ST_ADMINS,
	ST_ABOUT,
	ST_CONTRACT,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_CLAIM_TO] = DB_STMT("warranty_mail_claim_to",
	    "SELECT " DB_COLS(TO_COLS) " FROM warranty_claims w JOIN tickets t ON t.id = w.ticket_id"
	    " JOIN portal_users u ON u.id = t.requester_id WHERE w.id = $1::bigint AND u.active", 1),
	[ST_ADMINS] = DB_STMT("warranty_mail_admins",
	    "SELECT " DB_COLS(TO_COLS) " FROM portal_users u WHERE u.customer_id = $1::bigint"
	    " AND u.active AND u.is_account_admin ORDER BY u.id LIMIT 20", 1),
	[ST_ABOUT] = DB_STMT("warranty_mail_about",
	    "SELECT " DB_COLS(ABOUT_COLS) " FROM warranty_claims w"
	    " JOIN warranty_registrations g ON g.id = w.registration_id"
	    " JOIN products p ON p.id = g.product_id WHERE w.id = $1::bigint", 1),
	[ST_CONTRACT] = DB_STMT("warranty_mail_contract",
	    "SELECT " DB_COLS(CONTRACT_COLS) " FROM service_contracts k WHERE k.id = $1::bigint", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static struct {
	const struct tmpl_set *set;
	const char *site_name, *base_url;
} env;

void
warranty_notify_setup(const struct tmpl_set *set, const char *site_name, const char *base_url)
{
	env.set = set;
	env.site_name = site_name;
	env.base_url = base_url;
}

/* Queues template name to every row of r, with ctx. */
static enum cs_result
send_all(struct db *db, struct arena *a, PGresult *r, const char *name, struct tval *ctx)
{
	enum cs_result rc = CS_OK;
	int i;

	for (i = 0; i < PQntuples(r) && rc == CS_OK; i++) {
		const char *email = PQgetvalue(r, i, TO_email);
		struct tval *who = tval_map(a);

		if (!notify_address_ok(email))
			continue;
		if (who == NULL || tval_set(a, who, "name", tval_strdup(a, PQgetvalue(r, i,
		    TO_name))) < 0 || tval_set(a, ctx, "recipient", who) < 0)
			return CS_FAILED;
		rc = notify_enqueue(db, env.set, a, name, email, name, ctx);
	}
	return rc;
}

/* The people to tell about claim id (requester, else admins of customer). */
static PGresult *
claim_recipients(struct db *db, struct arena *a, long long id, long long customer)
{
	const char *p[] = { db_param_ll(a, id) };
	PGresult *r = db_exec(db, &stmts[ST_CLAIM_TO], p);

	if (r == NULL || PQntuples(r) > 0)
		return r;
	PQclear(r);
	p[0] = db_param_ll(a, customer);
	return db_exec(db, &stmts[ST_ADMINS], p);
}

/* The states a customer hears about. */
static int
told(const char *to)
{
	static const char *const list[] = { "submitted", "approved", "rejected", "fulfilled" };
	size_t i;

	for (i = 0; i < sizeof(list) / sizeof(list[0]); i++)
		if (strcmp(to, list[i]) == 0)
			return 1;
	return 0;
}

static enum cs_result
claim_mail(struct db *db, struct arena *a, const struct event *e, json_t *o)
{
	const char *to = json_string_value(json_object_get(o, "to"));
	const char *reason = json_string_value(json_object_get(o, "reason"));
	const char *fulfilment = json_string_value(json_object_get(o, "fulfilment"));
	const char *p[] = { db_param_ll(a, e->aggregate_id) };
	struct tval *ctx = tval_map(a), *claim = tval_map(a), *site = tval_map(a);
	PGresult *about, *r;
	enum cs_result rc;
	int bad;

	if (to == NULL || !told(to))
		return CS_OK;
	if ((about = db_exec(db, &stmts[ST_ABOUT], p)) == NULL)
		return db_result(db);
	if (PQntuples(about) != 1) {
		PQclear(about);
		return CS_OK;
	}
	bad = ctx == NULL || claim == NULL || site == NULL;
	bad |= tval_set(a, claim, "number", tval_strdup(a, PQgetvalue(about, 0, AB_number)));
	bad |= tval_set(a, claim, "product", tval_strdup(a, PQgetvalue(about, 0, AB_product)));
	bad |= tval_set(a, claim, "serial", tval_strdup(a, PQgetvalue(about, 0, AB_serial)));
	bad |= tval_set_str(a, claim, "state", warranty_claim_state_words(
	    warranty_claim_state_of(to)));
	bad |= tval_set_bool(a, claim, "is_submitted", strcmp(to, "submitted") == 0);
	bad |= tval_set_bool(a, claim, "is_approved", strcmp(to, "approved") == 0);
	bad |= tval_set_bool(a, claim, "is_rejected", strcmp(to, "rejected") == 0);
	bad |= tval_set_bool(a, claim, "is_fulfilled", strcmp(to, "fulfilled") == 0);
	bad |= tval_set_str(a, claim, "reason", reason != NULL ? reason : "");
	bad |= tval_set_str(a, claim, "fulfilment", fulfilment != NULL ? fulfilment : "");
	bad |= tval_set_str(a, site, "name", env.site_name);
	bad |= tval_set(a, ctx, "claim", claim) | tval_set(a, ctx, "site", site);
	bad |= tval_set(a, ctx, "link", tval_str(a, arena_printf(a, "%s/products/%s",
	    env.base_url, PQgetvalue(about, 0, AB_registration_id))));
	r = bad ? NULL : claim_recipients(db, a, e->aggregate_id,
	    db_ll(about, 0, AB_customer_id));
	PQclear(about);
	if (r == NULL)
		return bad ? CS_FAILED : db_result(db);
	rc = send_all(db, a, r, "warranty_claim", ctx);
	PQclear(r);
	return rc;
}

static enum cs_result
renewal_mail(struct db *db, struct arena *a, const struct event *e)
{
	const char *p[] = { db_param_ll(a, e->aggregate_id) };
	struct tval *ctx = tval_map(a), *k = tval_map(a), *site = tval_map(a);
	PGresult *c, *r;
	enum cs_result rc;
	int bad;

	if ((c = db_exec(db, &stmts[ST_CONTRACT], p)) == NULL)
		return db_result(db);
	if (PQntuples(c) != 1) {
		PQclear(c);
		return CS_OK;
	}
	bad = ctx == NULL || k == NULL || site == NULL;
	bad |= tval_set(a, k, "name", tval_strdup(a, PQgetvalue(c, 0, CT_name)));
	bad |= tval_set_str(a, k, "ends_on", warranty_date_words(a, PQgetvalue(c, 0, CT_ends_on)));
	bad |= tval_set_str(a, site, "name", env.site_name);
	bad |= tval_set(a, ctx, "contract", k) | tval_set(a, ctx, "site", site);
	bad |= tval_set(a, ctx, "link", tval_str(a, arena_printf(a, "%s/products", env.base_url)));
	p[0] = db_param_ll(a, db_ll(c, 0, CT_customer_id));
	PQclear(c);
	if (bad)
		return CS_FAILED;
	if ((r = db_exec(db, &stmts[ST_ADMINS], p)) == NULL)
		return db_result(db);
	rc = send_all(db, a, r, "warranty_renewal", ctx);
	PQclear(r);
	return rc;
}

static enum cs_result
mail_handle(struct db *db, struct arena *a, const struct event *e, void *ctx)
{
	json_t *o;
	enum cs_result rc = CS_OK;

	(void)ctx;
	if (strcmp(e->type, "service_contract.renewal_due") == 0)
		rc = renewal_mail(db, a, e);
	else if (strcmp(e->type, "warranty_claim.moved") == 0) {
		if ((o = events_payload(e)) == NULL)
			return CS_FAILED;
		rc = claim_mail(db, a, e, o);
		json_decref(o);
	}
	return rc != CS_OK ? events_skip_or_fail(db, WARRANTY_CONSUMER_MAIL, e) : CS_OK;
}

static enum cs_result
audit_handle(struct db *db, struct arena *a, const struct event *e, void *ctx)
{
	struct audit_entry entry;
	json_t *o, *detail;
	enum cs_result rc;

	(void)ctx;
	if (strcmp(e->type, "warranty_claim.overridden") != 0)
		return CS_OK;
	if ((o = events_payload(e)) == NULL)
		return CS_FAILED;
	detail = json_pack("{s:O, s:O}", "reason", json_object_get(o, "reason"), "serial",
	    json_object_get(o, "serial"));
	memset(&entry, 0, sizeof(entry));
	entry.actor_kind = audit_actor_from_name(e->actor.kind);
	if (entry.actor_kind == AUDIT_ACTOR_ANY)
		entry.actor_kind = AUDIT_ACTOR_SYSTEM;
	entry.actor_id = e->actor.id;
	entry.action = "warranty.override";
	entry.object_type = "warranty_claim";
	entry.object_id = arena_printf(a, "WC-%06lld", e->aggregate_id);
	entry.detail = detail;
	rc = detail != NULL && entry.object_id != NULL ? audit_record(db, &entry) : CS_FAILED;
	json_decref(detail);
	json_decref(o);
	return rc != CS_OK ? events_skip_or_fail(db, WARRANTY_CONSUMER_AUDIT, e) : CS_OK;
}

static const struct event_consumer consumers[] = {
	{ WARRANTY_CONSUMER_MAIL, mail_handle, NULL },
	{ WARRANTY_CONSUMER_AUDIT, audit_handle, NULL },
};

enum cs_result
warranty_consumers_run(struct db *db, int max_batches, long *done)
{
	/* Mail waits until the templates are set up (consumers[0] is mail). */
	return events_drain_all(db, consumers, sizeof(consumers) / sizeof(consumers[0]),
	    env.set == NULL ? &consumers[0] : NULL, max_batches, done);
}

/* How many coverage rows one statement of the coverage step recomputes. */
#define COVERAGE_RUN 5000

enum cs_result
warranty_step(struct db *db, struct warranty_step_counts *c)
{
	enum cs_result first, rc;

	first = warranty_coverage_tick(db, NULL, COVERAGE_RUN, &c->coverage);
	rc = warranty_claims_sweep(db, &c->approved, &c->reviewed);
	if (first == CS_OK)
		first = rc;
	rc = warranty_contracts_remind(db, &c->reminders);
	return first == CS_OK ? rc : first;
}
