/* field_consumers.c — the customer's appointment mail (with its .ics) and the technicians' audit; see field_consumers.h. */
#include "domain/field_consumers.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/events.h"
#include "domain/field.h"
#include "domain/notify.h"
#include "domain/ticket_notify.h"
#include "tmpl/tval.h"

#include <jansson.h>
#include <string.h>

#define TO_COLS(X) X(TO, email, "u.email") X(TO, name, "u.name")
enum { DB_COL_ENUM(TO_COLS) };
#define AB_COLS(X) \
	X(AB, customer_id, "ap.customer_id") X(AB, number, "t.number") \
	X(AB, summary, "ap.summary") X(AB, address, "trim(ap.address || ' ' || ap.postcode)") \
	X(AB, window, "to_char(ap.starts_at AT TIME ZONE coalesce(c.time_zone, 'UTC')," \
	    " 'Dy FMDD Mon YYYY HH24:MI') || '–' || to_char(ap.ends_at AT TIME ZONE" \
	    " coalesce(c.time_zone, 'UTC'), 'HH24:MI') || ' (' || coalesce(c.time_zone, 'UTC') || ')'")
enum { DB_COL_ENUM(AB_COLS) };

enum stmt {
	ST_ABOUT,
	ST_REQUESTER,
	ST_ADMINS,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_ABOUT] = DB_STMT("field_mail_about",
	    "SELECT " DB_COLS(AB_COLS) " FROM appointments ap JOIN tickets t ON t.id = ap.ticket_id"
	    " JOIN customers c ON c.id = ap.customer_id WHERE ap.id = $1::bigint", 1),
	[ST_REQUESTER] = DB_STMT("field_mail_requester",
	    "SELECT " DB_COLS(TO_COLS) " FROM appointments ap JOIN tickets t ON t.id = ap.ticket_id"
	    " JOIN portal_users u ON u.id = t.requester_id WHERE ap.id = $1::bigint AND u.active", 1),
	[ST_ADMINS] = DB_STMT("field_mail_admins",
	    "SELECT " DB_COLS(TO_COLS) " FROM portal_users u WHERE u.customer_id = $1::bigint"
	    " AND u.active AND u.is_account_admin ORDER BY u.id LIMIT 20", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

/* The process's templates and links (ticket_notify_setup), for this mail too. */
struct mail_env {
	const struct tmpl_set *set;
	const char *site_name, *base_url;
};

/* Who hears about appointment id: its ticket's requester, else the account's admins. */
static PGresult *
recipients(struct db *db, struct arena *a, long long id, long long customer)
{
	const char *p[] = { db_param_ll(a, id) };
	PGresult *r = db_exec(db, &stmts[ST_REQUESTER], p);

	if (r == NULL || PQntuples(r) > 0)
		return r;
	PQclear(r);
	p[0] = db_param_ll(a, customer);
	return db_exec(db, &stmts[ST_ADMINS], p);
}

/* The visit's part of the mail's context; non-zero when out of memory. */
static int
visit_ctx(struct arena *a, const struct mail_env *env, struct tval *ctx, const PGresult *about,
    const char *kind, const char *reason, long long id)
{
	struct tval *v = tval_map(a), *site = tval_map(a);
	int bad = v == NULL || site == NULL;

	bad |= tval_set(a, v, "number", tval_strdup(a, PQgetvalue(about, 0, AB_number)));
	bad |= tval_set(a, v, "summary", tval_strdup(a, PQgetvalue(about, 0, AB_summary)));
	bad |= tval_set(a, v, "address", tval_strdup(a, PQgetvalue(about, 0, AB_address)));
	bad |= tval_set(a, v, "window", tval_strdup(a, PQgetvalue(about, 0, AB_window)));
	/* A copy: the reason lives in the event's JSON, freed before the mail is made. */
	bad |= tval_set(a, v, "reason", tval_strdup(a, reason != NULL ? reason : ""));
	bad |= tval_set_bool(a, v, "is_booked", strcmp(kind, "booked") == 0);
	bad |= tval_set_bool(a, v, "is_rescheduled", strcmp(kind, "rescheduled") == 0);
	bad |= tval_set_bool(a, v, "is_cancelled", strcmp(kind, "cancelled") == 0);
	bad |= tval_set_str(a, site, "name", env->site_name);
	bad |= tval_set(a, ctx, "visit", v) | tval_set(a, ctx, "site", site);
	bad |= tval_set(a, ctx, "link", tval_str(a, arena_printf(a, "%s/visits/%lld",
	    env->base_url, id)));
	return bad;
}

static enum cs_result
appointment_mail(struct db *db, struct arena *a, const struct mail_env *env,
    const struct event *e, const char *kind)
{
	const char *p[] = { db_param_ll(a, e->aggregate_id) };
	struct tval *ctx = tval_map(a);
	struct notify_file file;
	struct buf ics;
	PGresult *about, *r;
	json_t *o;
	enum cs_result rc;
	int i, bad;

	if ((about = db_exec(db, &stmts[ST_ABOUT], p)) == NULL)
		return db_result(db);
	if (PQntuples(about) != 1) {
		PQclear(about);
		return CS_OK;
	}
	if ((o = events_payload(e)) == NULL) {
		PQclear(about);
		return CS_FAILED;
	}
	bad = ctx == NULL || visit_ctx(a, env, ctx, about, kind,
	    json_string_value(json_object_get(o, "reason")), e->aggregate_id);
	json_decref(o);
	r = bad ? NULL : recipients(db, a, e->aggregate_id, db_ll(about, 0, AB_customer_id));
	PQclear(about);
	if (r == NULL)
		return bad ? CS_FAILED : db_result(db);
	/* The appointment as it is now: its SEQUENCE counts every change so far. */
	buf_init(&ics, a);
	rc = field_ics_appointment(db, a, e->aggregate_id, &ics);
	file.name = arena_printf(a, "visit-%lld.ics", e->aggregate_id);
	file.type = "text/calendar";
	file.data = ics.buf;
	file.len = ics.len;
	for (i = 0; i < PQntuples(r) && rc == CS_OK; i++) {
		const char *email = PQgetvalue(r, i, TO_email);
		struct tval *who = tval_map(a);

		if (!notify_address_ok(email))
			continue;
		if (who == NULL || file.name == NULL || tval_set(a, who, "name", tval_strdup(a,
		    PQgetvalue(r, i, TO_name))) < 0 || tval_set(a, ctx, "recipient", who) < 0) {
			rc = CS_FAILED;
			break;
		}
		rc = notify_enqueue_file(db, env->set, a, "field_appointment", email,
		    "field_appointment", ctx, &file);
	}
	PQclear(r);
	return rc;
}

enum cs_result
field_mail_handle(struct db *db, struct arena *a, const struct event *e, void *ctx)
{
	static const char *const kinds[] = { "booked", "rescheduled", "cancelled" };
	struct mail_env env;
	enum cs_result rc = CS_OK;
	size_t i;

	(void)ctx;
	if (strncmp(e->type, "appointment.", 12) != 0)
		return CS_OK;
	ticket_notify_env(&env.set, &env.site_name, &env.base_url);
	if (env.set == NULL) {
		log_error("%s: no templates set up; its events wait", FIELD_CONSUMER_MAIL);
		return CS_FAILED;
	}
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(e->type + 12, kinds[i]) == 0)
			rc = appointment_mail(db, a, &env, e, kinds[i]);
	return rc != CS_OK ? events_skip_or_fail(db, FIELD_CONSUMER_MAIL, e) : CS_OK;
}

/*
 * A technician's profile, certification or time off changed, or a photo
 * was added to a visit or shared: an audit row with its details.
 */
enum cs_result
field_audit_handle(struct db *db, struct arena *a, const struct event *e, void *ctx)
{
	struct audit_entry entry;
	json_t *o;
	enum cs_result rc;
	int photo = strncmp(e->type, "appointment.photo_", 18) == 0;

	(void)ctx;
	if (strncmp(e->type, "technician.", 11) != 0 && !photo)
		return CS_OK;
	if ((o = events_payload(e)) == NULL)
		return CS_FAILED;
	memset(&entry, 0, sizeof(entry));
	entry.actor_kind = audit_actor_from_name(e->actor.kind);
	if (entry.actor_kind == AUDIT_ACTOR_ANY)
		entry.actor_kind = AUDIT_ACTOR_SYSTEM;
	entry.actor_id = e->actor.id;
	entry.action = e->type;
	entry.object_type = photo ? "appointment" : "technician";
	entry.object_id = arena_printf(a, "%lld", e->aggregate_id);
	entry.detail = o;
	rc = entry.object_id != NULL ? audit_record(db, &entry) : CS_FAILED;
	json_decref(o);
	return rc != CS_OK ? events_skip_or_fail(db, FIELD_CONSUMER_AUDIT, e) : CS_OK;
}
