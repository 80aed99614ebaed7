/*
 * survey_send.c — making an invitation: the checks that may skip it (each
 * skip logged with its reason), the token (random, stored hashed) and the
 * mail with the link. See survey_int.h and docs/surveys.md.
 */
#include "domain/survey_int.h"
#include "auth/session.h"
#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/notify.h"
#include "domain/surveys.h"
#include "tmpl/tval.h"

#include <stdio.h>
#include <string.h>

struct survey_mail_env survey_mail;

#define TICKET_COLS(X) \
	X(TK, customer, "t.customer_id") X(TK, user, "coalesce(u.id, 0)") \
	X(TK, email, "coalesce(u.email, '')") X(TK, name, "coalesce(u.name, '')") \
	X(TK, settled, "t.status IN ('resolved', 'closed')") X(TK, resolution, "t.reopen_count") \
	X(TK, team, "coalesce(t.team_id, 0)") X(TK, agent, "coalesce(t.assignee_id, 0)") \
	X(TK, number, "t.number") X(TK, subject, "t.subject")
enum { DB_COL_ENUM(TICKET_COLS) };
#define CHECK_COLS(X) \
	X(CK, asked, "EXISTS (SELECT 1 FROM survey_invitations WHERE ticket_id = $1::bigint" \
	    " AND resolution = $2::integer)") \
	X(CK, recent, "$4::integer > 0 AND EXISTS (SELECT 1 FROM survey_invitations" \
	    " WHERE customer_id = $3::bigint AND sent_at > now() - make_interval(days => $4::integer))")
enum { DB_COL_ENUM(CHECK_COLS) };
#define ID_COLS(X) X(IN, id, "id")
enum { DB_COL_ENUM(ID_COLS) };
#define DUE_COLS(X) \
	X(DU, customer, "c.id") X(DU, user, "u.id") X(DU, email, "u.email") X(DU, name, "u.name")
enum { DB_COL_ENUM(DUE_COLS) };

enum stmt {
	ST_TICKET,
	ST_CHECK,
	ST_INSERT,
	ST_SKIP,
	ST_DUE,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_TICKET] = DB_STMT("survey_send_ticket",
	    "SELECT " DB_COLS(TICKET_COLS) " FROM tickets t"
	    " LEFT JOIN portal_users u ON u.id = t.requester_id AND u.active"
	    " WHERE t.id = $1::bigint", 1),
	[ST_CHECK] = DB_STMT("survey_send_check", "SELECT " DB_COLS(CHECK_COLS), 4),
	/* One per resolution: a second rule for the same one finds the row taken. */
	[ST_INSERT] = DB_STMT("survey_send_insert",
	    "INSERT INTO survey_invitations (rule_id, trigger, kind, token_hash, customer_id,"
	    " portal_user_id, ticket_id, resolution, team_id, agent_id, expires_at)"
	    " VALUES ($1::bigint, $2, $3, $4, $5::bigint, $6::bigint, $7::bigint, $8::integer,"
	    " $9::bigint, $10::bigint, now() + make_interval(days => $11::integer))"
	    " ON CONFLICT (ticket_id, resolution) DO NOTHING RETURNING " DB_COLS(ID_COLS), 11),
	[ST_SKIP] = DB_STMT("survey_send_skip",
	    "INSERT INTO survey_skips (rule_id, trigger, kind, customer_id, ticket_id, reason)"
	    " VALUES ($1::bigint, $2, $3, $4::bigint, $5::bigint, $6)", 6),
	/* Customers the periodic rule $1 (every $2 days) has not asked, nor
	 * skipped, within its period; their first active login. */
	[ST_DUE] = DB_STMT("survey_send_due",
	    "SELECT " DB_COLS(DUE_COLS) " FROM customers c"
	    " JOIN LATERAL (SELECT u.id, u.email, u.name FROM portal_users u"
	    "  WHERE u.customer_id = c.id AND u.active"
	    "  ORDER BY u.is_account_admin DESC, u.id LIMIT 1) u ON true"
	    " WHERE c.active AND NOT EXISTS (SELECT 1 FROM survey_invitations i"
	    "  WHERE i.rule_id = $1::bigint AND i.customer_id = c.id"
	    "  AND i.sent_at > now() - make_interval(days => $2::integer))"
	    " AND NOT EXISTS (SELECT 1 FROM survey_skips s"
	    "  WHERE s.rule_id = $1::bigint AND s.customer_id = c.id"
	    "  AND s.created_at > now() - make_interval(days => $2::integer))"
	    " ORDER BY c.id LIMIT $3::integer", 3),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

/* Who is asked, and about what. */
struct invite {
	long long customer, user, ticket, team, agent;
	int resolution;
	const char *email, *name, *number, *subject;
};

static enum cs_result
skip(struct db *db, const struct survey_rule_ref *rule, long long customer, long long ticket,
    const char *reason)
{
	char rb[24], cb[24], tb[24];
	const char *p[] = { rb, rule->trigger, rule->kind, cb, ticket > 0 ? tb : NULL, reason };

	snprintf(rb, sizeof(rb), "%lld", rule->id);
	snprintf(cb, sizeof(cb), "%lld", customer);
	snprintf(tb, sizeof(tb), "%lld", ticket);
	return db_do(db, &stmts[ST_SKIP], p);
}

/* The invitation's mail, with the link carrying token. */
static enum cs_result
mail(struct db *db, struct arena *a, const struct survey_rule_ref *rule,
    const struct invite *v, const char *token)
{
	const struct survey_kind_def *k = survey_kind_find(rule->kind);
	struct tval *ctx = tval_map(a), *site = tval_map(a), *who = tval_map(a);
	struct tval *ticket = tval_map(a);
	int bad = ctx == NULL || site == NULL || who == NULL || ticket == NULL || k == NULL;

	if (!bad) {
		bad |= tval_set_str(a, site, "name", survey_mail.site_name);
		bad |= tval_set(a, ctx, "site", site);
		bad |= tval_set_str(a, who, "name", v->name);
		bad |= tval_set(a, ctx, "recipient", who);
		bad |= tval_set_str(a, ctx, "question", k->question);
		bad |= tval_set_int(a, ctx, "days", SURVEY_LINK_DAYS);
		bad |= tval_set(a, ctx, "link", tval_str(a, arena_printf(a,
		    "%s/survey/answer?token=%s", survey_mail.base_url, token)));
		if (v->number != NULL) {
			bad |= tval_set_str(a, ticket, "number", v->number);
			bad |= tval_set_str(a, ticket, "subject", v->subject);
			bad |= tval_set(a, ctx, "ticket", ticket);
		}
	}
	if (bad)
		return log_failed("surveys: out of memory for a mail");
	if (notify_enqueue(db, survey_mail.set, a, "survey_invitation", v->email,
	    "survey_invitation", ctx) == CS_OK)
		return CS_OK;
	if (!db_tx_healthy(db))
		return db_result(db);
	/* Refused before the database (a template that does not render): one
	 * bad message must not hold back every survey after it. */
	log_warn("surveys: invitation %s: its mail could not be made; not sent", rule->kind);
	return CS_OK;
}

/* The invitation row and its mail; *sent 0 when the resolution was taken meanwhile. */
static enum cs_result
insert(struct db *db, struct arena *a, const struct survey_rule_ref *rule,
    const struct invite *v, int *sent)
{
	unsigned char hash[32];
	char rb[24], cb[24], ub[24], tb[24], res[16], team[24], agent[24], days[8];
	const char *p[] = { rb, rule->trigger, rule->kind, NULL, cb, ub,
		v->ticket > 0 ? tb : NULL, v->ticket > 0 ? res : NULL,
		v->team > 0 ? team : NULL, v->agent > 0 ? agent : NULL, days };
	int lengths[11] = { 0, 0, 0, 32 }, formats[11] = { 0, 0, 0, 1 };
	char *token = session_token_new(a, hash);
	PGresult *r;
	int got;

	*sent = 0;
	if (token == NULL)
		return log_failed("surveys: out of memory for a token");
	p[3] = (const char *)hash;
	snprintf(rb, sizeof(rb), "%lld", rule->id);
	snprintf(cb, sizeof(cb), "%lld", v->customer);
	snprintf(ub, sizeof(ub), "%lld", v->user);
	snprintf(tb, sizeof(tb), "%lld", v->ticket);
	snprintf(res, sizeof(res), "%d", v->resolution);
	snprintf(team, sizeof(team), "%lld", v->team);
	snprintf(agent, sizeof(agent), "%lld", v->agent);
	snprintf(days, sizeof(days), "%d", SURVEY_LINK_DAYS);
	if ((r = db_exec_bin(db, &stmts[ST_INSERT], p, lengths, formats)) == NULL)
		return db_result(db);
	got = PQntuples(r) == 1;
	PQclear(r);
	if (!got)
		return skip(db, rule, v->customer, v->ticket, "already_asked");
	*sent = 1;
	return mail(db, a, rule, v, token);
}

enum cs_result
survey_send_ticket(struct db *db, struct arena *a, const struct survey_rule_ref *rule,
    long long ticket_id, int *sent)
{
	char tb[24], res[16], cb[24], days[16];
	const char *p[] = { tb };
	const char *q[] = { tb, res, cb, days };
	struct invite v;
	int min_days, settled, failed = 0;
	PGresult *r;
	enum cs_result rc;

	*sent = 0;
	memset(&v, 0, sizeof(v));
	snprintf(tb, sizeof(tb), "%lld", ticket_id);
	if ((r = db_exec(db, &stmts[ST_TICKET], p)) == NULL)
		return db_result(db);
	if (PQntuples(r) != 1) {
		PQclear(r);
		return CS_OK;
	}
	v.ticket = ticket_id;
	v.customer = db_ll(r, 0, TK_customer);
	v.user = db_ll(r, 0, TK_user);
	v.email = db_str(a, r, 0, TK_email, &failed);
	v.name = db_str(a, r, 0, TK_name, &failed);
	settled = db_bool(r, 0, TK_settled);
	v.resolution = (int)db_ll(r, 0, TK_resolution);
	v.team = db_ll(r, 0, TK_team);
	v.agent = db_ll(r, 0, TK_agent);
	v.number = db_str(a, r, 0, TK_number, &failed);
	v.subject = db_str(a, r, 0, TK_subject, &failed);
	PQclear(r);
	if (failed)
		return log_failed("surveys: out of memory");
	if (!settled)
		return skip(db, rule, v.customer, ticket_id, "reopened");
	if (v.user == 0 || !notify_address_ok(v.email))
		return skip(db, rule, v.customer, ticket_id, "no_address");
	if ((rc = survey_min_days(db, &min_days)) != CS_OK)
		return rc;
	snprintf(res, sizeof(res), "%d", v.resolution);
	snprintf(cb, sizeof(cb), "%lld", v.customer);
	snprintf(days, sizeof(days), "%d", min_days);
	if ((r = db_exec(db, &stmts[ST_CHECK], q)) == NULL)
		return db_result(db);
	rc = db_bool(r, 0, CK_asked) ? skip(db, rule, v.customer, ticket_id, "already_asked") :
	    db_bool(r, 0, CK_recent) ? skip(db, rule, v.customer, ticket_id, "throttled") :
	    insert(db, a, rule, &v, sent);
	PQclear(r);
	return rc;
}

enum cs_result
survey_send_periodic(struct db *db, struct arena *a, const struct survey_rule_ref *rule,
    int limit, long *sent, long *skipped)
{
	char rb[24], eb[16], lb[16], cb[24], days[16], zero[] = "0", none[] = "-1";
	const char *p[] = { rb, eb, lb };
	const char *q[] = { none, zero, cb, days };
	int min_days, i, failed = 0;
	PGresult *due;
	enum cs_result rc;

	if ((rc = survey_min_days(db, &min_days)) != CS_OK)
		return rc;
	snprintf(rb, sizeof(rb), "%lld", rule->id);
	snprintf(eb, sizeof(eb), "%d", rule->every_days);
	snprintf(lb, sizeof(lb), "%d", limit);
	snprintf(days, sizeof(days), "%d", min_days);
	if ((due = db_exec(db, &stmts[ST_DUE], p)) == NULL)
		return db_result(db);
	for (i = 0; i < PQntuples(due) && rc == CS_OK; i++) {
		struct invite v;
		PGresult *r;
		int one = 0;

		memset(&v, 0, sizeof(v));
		v.customer = db_ll(due, i, DU_customer);
		v.user = db_ll(due, i, DU_user);
		v.email = db_str(a, due, i, DU_email, &failed);
		v.name = db_str(a, due, i, DU_name, &failed);
		if (failed) {
			rc = log_failed("surveys: out of memory");
			break;
		}
		snprintf(cb, sizeof(cb), "%lld", v.customer);
		if (!notify_address_ok(v.email)) {
			rc = skip(db, rule, v.customer, 0, "no_address");
			++*skipped;
			continue;
		}
		if ((r = db_exec(db, &stmts[ST_CHECK], q)) == NULL) {
			rc = db_result(db);
			break;
		}
		if (db_bool(r, 0, CK_recent)) {
			rc = skip(db, rule, v.customer, 0, "throttled");
			++*skipped;
		} else if ((rc = insert(db, a, rule, &v, &one)) == CS_OK) {
			*sent += one;
		}
		PQclear(r);
	}
	PQclear(due);
	return rc;
}
