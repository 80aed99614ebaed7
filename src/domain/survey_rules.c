/*
 * survey_rules.c — the survey kinds and triggers, the admins' rules and
 * the throttle setting; see surveys.h.
 */
#include "domain/surveys.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/admin_audit.h"
#include "domain/audit.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct survey_kind_def kinds[SURVEY_KIND__MAX] = {
	[SURVEY_CSAT] = { "csat", "CSAT (1–5)", 1, 5, 2,
		"How satisfied are you with how we handled your request?",
		"Very dissatisfied", "Very satisfied" },
	[SURVEY_NPS] = { "nps", "NPS (0–10)", 0, 10, 6,
		"How likely are you to recommend us to a friend or colleague?",
		"Not at all likely", "Extremely likely" },
	[SURVEY_CES] = { "ces", "CES (1–7)", 1, 7, 3,
		"The company made it easy for me to handle my issue.",
		"Strongly disagree", "Strongly agree" },
};

static const struct survey_trigger triggers[] = {
	{ "ticket.resolved", "Ticket resolved" },
	{ "ticket.auto_closed", "Ticket closed automatically" },
	{ SURVEY_PERIODIC, "Periodically, every N days per customer" },
};

const struct survey_kind_def *
survey_kind_get(enum survey_kind k)
{
	return k < SURVEY_KIND__MAX ? &kinds[k] : NULL;
}

const struct survey_kind_def *
survey_kind_find(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < SURVEY_KIND__MAX; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return &kinds[i];
	return NULL;
}

const struct survey_trigger *
survey_triggers(size_t *n)
{
	*n = sizeof(triggers) / sizeof(triggers[0]);
	return triggers;
}

const struct survey_trigger *
survey_trigger_find(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < sizeof(triggers) / sizeof(triggers[0]); i++)
		if (strcmp(triggers[i].name, name) == 0)
			return &triggers[i];
	return NULL;
}

#define RULE_COLS(X) \
	X(RU, id, "r.id") X(RU, trigger, "r.trigger") X(RU, kind, "r.kind") \
	X(RU, every_days, "coalesce(r.every_days, 0)") X(RU, active, "r.active") \
	X(RU, sent, "(SELECT count(*) FROM survey_invitations i WHERE i.rule_id = r.id)") \
	X(RU, answered, "(SELECT count(*) FROM survey_invitations i WHERE i.rule_id = r.id" \
	    " AND i.answered_at IS NOT NULL)")
enum { DB_COL_ENUM(RULE_COLS) };
#define ID_COLS(X) X(RI, id, "id")
enum { DB_COL_ENUM(ID_COLS) };
#define DAYS_COLS(X) X(MD, days, "value")
enum { DB_COL_ENUM(DAYS_COLS) };

enum stmt {
	ST_LIST,
	ST_INSERT,
	ST_ACTIVE,
	ST_DELETE,
	ST_MIN_DAYS,
	ST_MIN_DAYS_SET,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_LIST] = DB_STMT("survey_rules_list",
	    "SELECT " DB_COLS(RULE_COLS) " FROM survey_rules r ORDER BY r.trigger, r.kind", 0),
	[ST_INSERT] = DB_STMT("survey_rule_insert",
	    "INSERT INTO survey_rules (trigger, kind, every_days) VALUES ($1, $2, $3::integer)"
	    " RETURNING " DB_COLS(ID_COLS), 3),
	[ST_ACTIVE] = DB_STMT("survey_rule_active",
	    "UPDATE survey_rules SET active = $2::boolean, updated_at = now()"
	    " WHERE id = $1::bigint RETURNING " DB_COLS(ID_COLS), 2),
	[ST_DELETE] = DB_STMT("survey_rule_delete",
	    "DELETE FROM survey_rules WHERE id = $1::bigint RETURNING " DB_COLS(ID_COLS), 1),
	[ST_MIN_DAYS] = DB_STMT("survey_min_days",
	    "SELECT " DB_COLS(DAYS_COLS) " FROM settings WHERE key = 'survey_min_days'", 0),
	[ST_MIN_DAYS_SET] = DB_STMT("survey_min_days_set",
	    /* The row comes with migration 036; the console's role may only update it. */
	    "UPDATE settings SET value = $1, updated_at = now() WHERE key = 'survey_min_days'"
	    " RETURNING key", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static enum cs_result
fill_rule(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct survey_rule *s = elem;
	int failed = 0;

	s->id = db_ll(r, i, RU_id);
	s->trigger = db_str(a, r, i, RU_trigger, &failed);
	s->kind = db_str(a, r, i, RU_kind, &failed);
	s->every_days = (int)db_ll(r, i, RU_every_days);
	s->active = db_bool(r, i, RU_active);
	s->sent = db_ll(r, i, RU_sent);
	s->answered = db_ll(r, i, RU_answered);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
survey_rules_list(struct db *db, struct arena *a, struct survey_rule **out, size_t *n)
{
	void *rows;
	enum cs_result rc = db_rows(db, a, &stmts[ST_LIST], NULL, sizeof(**out), fill_rule, &rows,
	    n);

	*out = rows;
	return rc;
}

static enum cs_result
refuse(const char **why, const char **field, const char *f, const char *sentence)
{
	*why = sentence;
	*field = f;
	return CS_REFUSED;
}

enum cs_result
survey_rule_create(struct db *db, const struct audit_entry *by,
    const struct survey_rule_input *in, long long *id, const char **why, const char **field)
{
	char days[16];
	int periodic = in->trigger != NULL && strcmp(in->trigger, SURVEY_PERIODIC) == 0;
	const char *p[] = { in->trigger, in->kind, periodic ? days : NULL };
	enum cs_result rc;

	*id = 0;
	if (survey_trigger_find(in->trigger) == NULL)
		return refuse(why, field, "trigger", "Choose the event the survey follows.");
	if (survey_kind_find(in->kind) == NULL)
		return refuse(why, field, "kind", "Choose CSAT, NPS or CES.");
	if (periodic && (in->every_days < 1 || in->every_days > SURVEY_EVERY_DAYS_MAX))
		return refuse(why, field, "every_days",
		    "A periodic survey needs a number of days from 1 to 3,650.");
	if (!periodic && in->every_days != 0)
		return refuse(why, field, "every_days",
		    "Only a periodic survey takes a number of days.");
	snprintf(days, sizeof(days), "%d", in->every_days);
	if (db_begin(db) < 0)
		return db_result(db);
	rc = db_id(db, &stmts[ST_INSERT], p, RI_id, id);
	if (rc == CS_OK)
		rc = admin_audit(db, by, "survey_rule.create", "survey_rule", *id,
		    json_pack("{s:s, s:s, s:i}", "trigger", in->trigger, "kind", in->kind,
		    "every_days", in->every_days));
	if ((rc = db_end(db, rc)) != CS_OK)
		*id = 0;
	return rc;
}

/* Runs st on rule id (one row back) and audits action with detail. */
static enum cs_result
change(struct db *db, const struct audit_entry *by, struct db_stmt *st, const char *const *p,
    long long id, const char *action, json_t *detail)
{
	long long got;
	enum cs_result rc;

	if (db_begin(db) < 0) {
		json_decref(detail);
		return db_result(db);
	}
	rc = db_id(db, st, p, RI_id, &got);
	if (rc == CS_OK)
		rc = admin_audit(db, by, action, "survey_rule", id, detail);
	else
		json_decref(detail);
	return db_end(db, rc);
}

enum cs_result
survey_rule_set_active(struct db *db, const struct audit_entry *by, long long id, int active)
{
	char ib[24];
	const char *p[] = { ib, active ? "true" : "false" };

	snprintf(ib, sizeof(ib), "%lld", id);
	return change(db, by, &stmts[ST_ACTIVE], p, id, "survey_rule.update",
	    json_pack("{s:b}", "active", active));
}

enum cs_result
survey_rule_delete(struct db *db, const struct audit_entry *by, long long id)
{
	char ib[24];
	const char *p[] = { ib };

	snprintf(ib, sizeof(ib), "%lld", id);
	return change(db, by, &stmts[ST_DELETE], p, id, "survey_rule.delete", json_object());
}

enum cs_result
survey_min_days(struct db *db, int *days)
{
	PGresult *r = db_exec(db, &stmts[ST_MIN_DAYS], NULL);
	long v = 30;

	if (r == NULL)
		return db_result(db);
	if (PQntuples(r) == 1) {
		char *end;

		v = strtol(PQgetvalue(r, 0, MD_days), &end, 10);
		if (*end != '\0' || v < 0 || v > SURVEY_MIN_DAYS_MAX)
			v = 30;
	}
	PQclear(r);
	*days = (int)v;
	return CS_OK;
}

enum cs_result
survey_min_days_set(struct db *db, const struct audit_entry *by, int days, const char **why)
{
	char v[16];
	const char *p[] = { v };
	enum cs_result rc;

	if (days < 0 || days > SURVEY_MIN_DAYS_MAX) {
		*why = "Give a number of days from 0 (no limit) to 365.";
		return CS_REFUSED;
	}
	snprintf(v, sizeof(v), "%d", days);
	if (db_begin(db) < 0)
		return db_result(db);
	rc = db_update_one(db, &stmts[ST_MIN_DAYS_SET], p);
	if (rc == CS_OK)
		rc = admin_audit(db, by, "survey.min_days", "setting", 0,
		    json_pack("{s:i}", "survey_min_days", days));
	return db_end(db, rc);
}
