/* sla_mail.c — see sla_mail.h. */
#include "domain/sla_mail.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/notify.h"
#include "domain/sla_words.h"
#include "tmpl/tval.h"

#include <string.h>

/* One row per escalation, in the order they were made. */
#define MAIL_COLS(X) \
	X(ML, trigger, "x.trigger") X(ML, target, "replace(coalesce(x.target, ''), '_', ' ')") \
	X(ML, number, "t.number") X(ML, subject, "t.subject") X(ML, priority, "t.priority") \
	X(ML, reason, "coalesce(x.reason, r.name, '')") X(ML, assignee, "coalesce(ta.name, '')") \
	X(ML, by, "coalesce(s.name, '')") X(ML, has_left, SLA_LEFT_SQL " IS NOT NULL") \
	X(ML, left, "coalesce(" SLA_LEFT_SQL ", 0)")
enum { DB_COL_ENUM(MAIL_COLS) };

#define WHO_COLS(X) X(WH, name, "w.name") X(WH, email, "w.email")
enum { DB_COL_ENUM(WHO_COLS) };

enum stmt {
	ST_MAIL,
	ST_RECIPIENTS,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_MAIL] = DB_STMT("sla_mail",
	    "SELECT " DB_COLS(MAIL_COLS)
	    " FROM ticket_escalations x JOIN tickets t ON t.id = x.ticket_id"
	    " LEFT JOIN escalation_rules r ON r.id = x.rule_id"
	    " LEFT JOIN staff ta ON ta.id = x.to_assignee_id"
	    " LEFT JOIN staff s ON s.id = x.by_staff_id WHERE x.id = ANY ($1::bigint[])"
	    " ORDER BY x.id", 1),
	/* A person named by several of the escalations is one recipient. */
	[ST_RECIPIENTS] = DB_STMT("sla_recipients",
	    "SELECT DISTINCT ON (w.email) " DB_COLS(WHO_COLS)
	    " FROM unnest($1::bigint[]) e (id) CROSS JOIN LATERAL sla_recipients(e.id) w"
	    " ORDER BY w.email", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

/* The mail template of an escalation's trigger. */
static const char *
mail_name(const char *trigger)
{
	if (strcmp(trigger, "at_risk") == 0)
		return "sla_at_risk";
	if (strcmp(trigger, "breached") == 0)
		return "sla_breached";
	return "sla_escalated";
}

/*
 * The rules (or the agent's reasons) of rows r, as escalation.rules (a list
 * of {name}) and escalation.reason (one line, "; " between). CS_OK or
 * CS_FAILED.
 */
static enum cs_result
rules_ctx(struct arena *a, struct tval *esc, const PGresult *r)
{
	struct tval *list = tval_list(a), *one;
	struct buf line;
	int i, failed = 0;

	if (list == NULL)
		return CS_FAILED;
	buf_init(&line, a);
	for (i = 0; i < PQntuples(r); i++) {
		const char *reason = db_str(a, r, i, ML_reason, &failed);

		if (failed || (one = tval_map(a)) == NULL || tval_set_str(a, one, "name", reason) ||
		    tval_push(a, list, one))
			return CS_FAILED;
		if (i > 0)
			buf_addstr(&line, "; ");
		buf_addstr(&line, reason);
	}
	if (buf_failed(&line) || tval_set(a, esc, "rules", list) ||
	    tval_set_str(a, esc, "reason", line.buf))
		return CS_FAILED;
	return CS_OK;
}

/*
 * The mail's context from the rows r of one event: ctx's escalation,
 * ticket and link. The assignee is the last one the escalations named.
 * CS_OK or CS_FAILED.
 */
static enum cs_result
mail_ctx(struct arena *a, struct tval *ctx, const char *link_base, const PGresult *r)
{
	struct tval *esc = tval_map(a), *tk = tval_map(a);
	const char *number, *assignee = "";
	int i, failed = 0;

	if (esc == NULL || tk == NULL)
		return CS_FAILED;
	for (i = 0; i < PQntuples(r); i++)
		if (*PQgetvalue(r, i, ML_assignee) != '\0')
			assignee = db_str(a, r, i, ML_assignee, &failed);
	number = db_str(a, r, 0, ML_number, &failed);
	failed |= tval_set_str(a, esc, "trigger", db_str(a, r, 0, ML_trigger, &failed));
	failed |= tval_set_str(a, esc, "target", db_str(a, r, 0, ML_target, &failed));
	failed |= rules_ctx(a, esc, r) != CS_OK;
	failed |= tval_set_bool(a, esc, "several", PQntuples(r) > 1);
	failed |= tval_set_str(a, esc, "assignee", assignee);
	failed |= tval_set_str(a, esc, "by", db_str(a, r, 0, ML_by, &failed));
	failed |= tval_set_str(a, esc, "left", db_bool(r, 0, ML_has_left) ?
	    sla_left_words(a, db_ll(r, 0, ML_left)) : "");
	failed |= tval_set_str(a, tk, "number", number);
	failed |= tval_set_str(a, tk, "subject", db_str(a, r, 0, ML_subject, &failed));
	failed |= tval_set_str(a, tk, "priority", db_str(a, r, 0, ML_priority, &failed));
	failed |= tval_set(a, ctx, "escalation", esc);
	failed |= tval_set(a, ctx, "ticket", tk);
	if (failed || tval_set_str(a, ctx, "link", arena_printf(a, "%s/agent/tickets/%s",
	    link_base, number)))
		return CS_FAILED;
	return CS_OK;
}

/* eids[0..n) as a PostgreSQL array literal in a, or NULL. */
static const char *
id_array(struct arena *a, const long long *eids, size_t n)
{
	struct buf b;
	size_t i;

	buf_init(&b, a);
	buf_addch(&b, '{');
	for (i = 0; i < n; i++)
		buf_printf(&b, i ? ",%lld" : "%lld", eids[i]);
	buf_addch(&b, '}');
	return buf_failed(&b) ? NULL : b.buf;
}

enum cs_result
sla_mail_escalations(struct db *db, const struct tmpl_set *set, struct arena *a,
    struct tval *ctx, const char *link_base, const long long *eids, size_t n, long *mails)
{
	const char *p[] = { id_array(a, eids, n) };
	PGresult *r = NULL, *who = NULL;
	const char *name;
	enum cs_result rc = CS_FAILED;
	int i, failed = 0;

	if (n == 0)
		return CS_OK;
	if (p[0] == NULL)
		return CS_FAILED;
	if ((r = db_exec(db, &stmts[ST_MAIL], p)) == NULL)
		return db_result(db);
	if (PQntuples(r) == 0) {
		PQclear(r);
		return CS_OK;
	}
	if ((who = db_exec(db, &stmts[ST_RECIPIENTS], p)) == NULL) {
		rc = db_result(db);
		goto out;
	}
	name = mail_name(db_str(a, r, 0, ML_trigger, &failed));
	if (failed || mail_ctx(a, ctx, link_base, r) != CS_OK)
		goto out;
	for (i = 0; i < PQntuples(who); i++) {
		struct tval *user = tval_map(a);
		const char *email = db_str(a, who, i, WH_email, &failed);

		if (user == NULL || failed ||
		    tval_set_str(a, user, "name", db_str(a, who, i, WH_name, &failed)) ||
		    tval_set(a, ctx, "user", user))
			goto out;
		if (notify_enqueue(db, set, a, name, email, name, ctx) != CS_OK) {
			if (db_lost(db) || PQtransactionStatus(db->conn) == PQTRANS_INERROR) {
				rc = db_result(db);
				goto out;
			}
			log_warn("sla: escalation %lld: a recipient's mail was refused", eids[0]);
			continue;
		}
		(*mails)++;
	}
	rc = CS_OK;
out:
	PQclear(who);
	PQclear(r);
	return rc;
}
