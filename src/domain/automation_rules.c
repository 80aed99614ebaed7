/* automation_rules.c — see automation_rules.h. */
#include "domain/automation_rules.h"
#include "core/arena.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/admin_audit.h"
#include "domain/audit.h"
#include "domain/notify.h"
#include "domain/ticket_fields.h"
#include "domain/ticket_rules.h"

#include <jansson.h>
#include <string.h>

const char *const automation_events[] = { "created", "customer_replied", "status_changed",
	"priority_changed", "updated", "sla_at_risk", "sla_breached", "time", NULL };
const char *const automation_bases[] = { "created", "updated", "status", NULL };
const char *const automation_set_statuses[] = { "resolved", "closed", NULL };
const char *const automation_mail_to[] = { "customer", "assignee", "team", "address", NULL };
const char *const automation_hours[] = { "open", "closed", NULL };
static const char *const statuses[] = { "new", "assigned", "in_progress", "pending_customer",
	"pending_parts", "resolved", "closed", "reopened", "cancelled", NULL };

#define RULE_COLS(X) \
	X(AR, id, "r.id") X(AR, name, "r.name") X(AR, position, "r.position") \
	X(AR, active, "r.active") X(AR, on_event, "r.on_event") \
	X(AR, time_basis, "coalesce(r.time_basis, '')") \
	X(AR, time_hours, "coalesce(r.time_hours, 0)") \
	X(AR, time_business, "r.time_business") \
	X(AR, if_status, "coalesce(r.if_status, '')") \
	X(AR, if_priority, "coalesce(r.if_priority, '')") \
	X(AR, if_tier, "coalesce(r.if_tier, '')") X(AR, if_channel, "coalesce(r.if_channel, '')") \
	X(AR, if_queue_id, "coalesce(r.if_queue_id, 0)") X(AR, if_tag, "coalesce(r.if_tag, '')") \
	X(AR, if_no_tag, "coalesce(r.if_no_tag, '')") X(AR, if_text, "coalesce(r.if_text, '')") \
	X(AR, if_hours, "coalesce(r.if_hours, '')") \
	X(AR, set_status, "coalesce(r.set_status, '')") \
	X(AR, set_priority, "coalesce(r.set_priority, '')") \
	X(AR, set_queue_id, "coalesce(r.set_queue_id, 0)") \
	X(AR, add_tags, "array_to_string(r.add_tags, ', ')") \
	X(AR, assign_to, "coalesce(r.assign_to, 0)") X(AR, note, "coalesce(r.note, '')") \
	X(AR, mail_to, "coalesce(r.mail_to, '')") \
	X(AR, mail_address, "coalesce(r.mail_address, '')") \
	X(AR, mail_subject, "coalesce(r.mail_subject, '')") \
	X(AR, mail_body, "coalesce(r.mail_body, '')") \
	X(AR, fired, "(SELECT count(*) FROM automation_firings f WHERE f.rule_id = r.id)") \
	X(AR, call_webhook_id, "coalesce(r.call_webhook_id, 0)")
enum { DB_COL_ENUM(RULE_COLS) };

#define REFS_COLS(X) \
	X(RF, if_queue, "($1::bigint IS NULL OR EXISTS (SELECT 1 FROM queues WHERE id = $1))") \
	X(RF, set_queue, "($2::bigint IS NULL OR EXISTS (SELECT 1 FROM queues WHERE id = $2" \
	    " AND active))") \
	X(RF, agent, "($3::bigint IS NULL OR EXISTS (SELECT 1 FROM staff WHERE id = $3" \
	    " AND active AND 'agent' = ANY (roles)))") \
	X(RF, webhook, "($4::bigint IS NULL OR EXISTS (SELECT 1 FROM webhooks WHERE id = $4))")
enum { DB_COL_ENUM(REFS_COLS) };

#define HIT_COLS(X) X(HT, id, "h.ticket_id") X(HT, number, "h.number") \
	X(HT, subject, "h.subject") X(HT, status, "h.status")
enum { DB_COL_ENUM(HIT_COLS) };

/* The parameters of a rule's row, $1 … $27, in the order of save()'s p. */
#define RULE_SET \
	"name = $1, position = $2, active = $3, on_event = $4, time_basis = nullif($5, '')," \
	" time_hours = $6, if_status = nullif($7, ''), if_priority = nullif($8, '')," \
	" if_tier = nullif($9, ''), if_channel = nullif($10, ''), if_queue_id = $11," \
	" if_tag = nullif($12, ''), if_no_tag = nullif($13, ''), if_text = nullif($14, '')," \
	" set_status = nullif($15, ''), set_priority = nullif($16, ''), set_queue_id = $17," \
	" add_tags = $18::text[], assign_to = $19, note = nullif($20, ''), mail_to = nullif($21, '')," \
	" mail_address = nullif($22, ''), mail_subject = nullif($23, ''), mail_body = nullif($24, '')," \
	" if_hours = nullif($25, ''), time_business = $26::boolean," \
	" call_webhook_id = $27::bigint, updated_at = now()"
#define NPARAMS 27

enum stmt { ST_LIST, ST_GET, ST_REFS, ST_INSERT, ST_FILL, ST_UPDATE, ST_DRY, ST__MAX };

static struct db_stmt stmts[] = {
	[ST_LIST] = DB_STMT("automation_rule_list",
	    "SELECT " DB_COLS(RULE_COLS) " FROM automation_rules r ORDER BY r.position, r.id", 0),
	[ST_GET] = DB_STMT("automation_rule_get",
	    "SELECT " DB_COLS(RULE_COLS) " FROM automation_rules r WHERE r.id = $1", 1),
	[ST_REFS] = DB_STMT("automation_rule_refs", "SELECT " DB_COLS(REFS_COLS), 4),
	/* A new rule: its name first (a row to fill), then everything in one UPDATE. */
	[ST_INSERT] = DB_STMT("automation_rule_insert",
	    "INSERT INTO automation_rules (name, on_event, active) VALUES ($1, 'created', false)"
	    " RETURNING " DB_COLS(SLA_ID_COLS), 1),
	/* A new time rule looks back its hours and AUTOMATION_LOOKBACK_DAYS. */
	[ST_FILL] = DB_STMT("automation_rule_fill",
	    "UPDATE automation_rules SET " RULE_SET ", checked_until = now()"
	    " - make_interval(hours => coalesce($6::integer, 0), days => $29::integer)"
	    " WHERE id = $28 RETURNING " DB_COLS(SLA_ID_COLS), NPARAMS + 2),
	[ST_UPDATE] = DB_STMT("automation_rule_update",
	    "UPDATE automation_rules SET " RULE_SET " WHERE id = $28"
	    " RETURNING " DB_COLS(SLA_ID_COLS), NPARAMS + 1),
	[ST_DRY] = DB_STMT("automation_rule_dry_run",
	    "SELECT " DB_COLS(HIT_COLS) " FROM automation_dry_run($1::bigint, $2::integer) h", 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static enum cs_result
fill_rule(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct automation_rule *x = elem;
	int f = 0;

	memset(x, 0, sizeof(*x));
	x->id = db_ll(r, i, AR_id);
	x->name = db_str(a, r, i, AR_name, &f);
	x->position = (int)db_ll(r, i, AR_position);
	x->active = db_bool(r, i, AR_active);
	x->on_event = db_str(a, r, i, AR_on_event, &f);
	x->time_basis = db_str(a, r, i, AR_time_basis, &f);
	x->time_hours = (int)db_ll(r, i, AR_time_hours);
	x->time_business = db_bool(r, i, AR_time_business);
	x->if_status = db_str(a, r, i, AR_if_status, &f);
	x->if_priority = db_str(a, r, i, AR_if_priority, &f);
	x->if_tier = db_str(a, r, i, AR_if_tier, &f);
	x->if_channel = db_str(a, r, i, AR_if_channel, &f);
	x->if_queue_id = db_ll(r, i, AR_if_queue_id);
	x->if_tag = db_str(a, r, i, AR_if_tag, &f);
	x->if_no_tag = db_str(a, r, i, AR_if_no_tag, &f);
	x->if_text = db_str(a, r, i, AR_if_text, &f);
	x->if_hours = db_str(a, r, i, AR_if_hours, &f);
	x->set_status = db_str(a, r, i, AR_set_status, &f);
	x->set_priority = db_str(a, r, i, AR_set_priority, &f);
	x->set_queue_id = db_ll(r, i, AR_set_queue_id);
	x->add_tags = db_str(a, r, i, AR_add_tags, &f);
	x->assign_to = db_ll(r, i, AR_assign_to);
	x->note = db_str(a, r, i, AR_note, &f);
	x->mail_to = db_str(a, r, i, AR_mail_to, &f);
	x->mail_address = db_str(a, r, i, AR_mail_address, &f);
	x->mail_subject = db_str(a, r, i, AR_mail_subject, &f);
	x->mail_body = db_str(a, r, i, AR_mail_body, &f);
	x->fired = db_ll(r, i, AR_fired);
	x->call_webhook_id = db_ll(r, i, AR_call_webhook_id);
	return f ? CS_FAILED : CS_OK;
}

enum cs_result
automation_rule_list(struct db *db, struct arena *a, struct automation_rule **out, size_t *n)
{
	void *rows = NULL;
	enum cs_result rc = db_rows(db, a, &stmts[ST_LIST], NULL, sizeof(**out), fill_rule, &rows,
	    n);

	*out = rows;
	return rc;
}

enum cs_result
automation_rule_get(struct db *db, struct arena *a, long long id, struct automation_rule *x)
{
	const char *p[] = { db_param_ll(a, id) };
	enum cs_result rc;
	PGresult *r;

	memset(x, 0, sizeof(*x));
	if (p[0] == NULL)
		return CS_FAILED;
	if ((r = db_exec(db, &stmts[ST_GET], p)) == NULL)
		return db_result(db);
	rc = PQntuples(r) != 1 ? CS_NOT_FOUND : fill_rule(a, r, 0, x);
	PQclear(r);
	return rc;
}

static const char *
str(const char *s)
{
	return s != NULL ? s : "";
}

/* s is "" or one of list. */
static int
none_or_in(const char *s, const char *const *list)
{
	return *str(s) == '\0' || sla_admin_in(s, list);
}

/* One tag as tickets store them: 1..TF_TAG_MAX of a-z 0-9 _ -. */
static int
tag_ok(const char *s)
{
	size_t n = strlen(s);

	return n >= 1 && n <= TF_TAG_MAX && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

/* Tags as typed (ticket_tags_parse lower-cases them), separated by commas or blanks. */
static int
tags_ok(const char *s)
{
	static const char ok[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
	size_t n, count = 0;

	for (s = str(s);; s += n) {
		s += strspn(s, ", \t");
		if (*s == '\0')
			return 1;
		n = strcspn(s, ", \t");
		if (n > TF_TAG_MAX || ++count > TF_TAGS_MAX || strspn(s, ok) < n)
			return 0;
	}
}

#define TAG_RULE "a-z, 0-9, _ and -, at most " SLA_STR(TF_TAG_MAX) " characters"

/* The "if" part. */
static void
check_conditions(const struct automation_rule_input *in, struct sla_why *why)
{
	if (!none_or_in(in->if_status, statuses))
		sla_why_add(why, "if_status", "Choose one of the listed statuses.");
	if (!none_or_in(in->if_priority, ticket_priorities))
		sla_why_add(why, "if_priority", "Choose one of the listed priorities.");
	if (!none_or_in(in->if_tier, sla_admin_tiers))
		sla_why_add(why, "if_tier", "Choose one of the listed tiers.");
	if (!none_or_in(in->if_channel, ticket_channels))
		sla_why_add(why, "if_channel", "Choose one of the listed channels.");
	if (*str(in->if_tag) != '\0' && !tag_ok(in->if_tag))
		sla_why_add(why, "if_tag", "A tag is " TAG_RULE ".");
	if (*str(in->if_no_tag) != '\0' && !tag_ok(in->if_no_tag))
		sla_why_add(why, "if_no_tag", "A tag is " TAG_RULE ".");
	if (!none_or_in(in->if_hours, automation_hours))
		sla_why_add(why, "if_hours", "Choose inside or outside business hours, or either.");
	if (utf8_chars(str(in->if_text)) > AUTOMATION_TEXT_MAX)
		sla_why_add(why, "if_text", "The text to look for is longer than "
		    SLA_STR(AUTOMATION_TEXT_MAX) " characters.");
}

/* The "then" part, and that there is one. */
static void
check_actions(const struct automation_rule_input *in, struct sla_why *why)
{
	const char *to = str(in->mail_to);

	if (!none_or_in(in->set_status, automation_set_statuses))
		sla_why_add(why, "set_status", "Choose one of the listed statuses.");
	if (!none_or_in(in->set_priority, ticket_priorities))
		sla_why_add(why, "set_priority", "Choose one of the listed priorities.");
	if (!tags_ok(in->add_tags))
		sla_why_add(why, "add_tags", "Tags are separated by commas; each is " TAG_RULE
		    "; at most " SLA_STR(TF_TAGS_MAX) ".");
	if (utf8_chars(str(in->note)) > AUTOMATION_NOTE_MAX)
		sla_why_add(why, "note", "The note is longer than " SLA_STR(AUTOMATION_NOTE_MAX)
		    " characters.");
	if (!none_or_in(to, automation_mail_to))
		sla_why_add(why, "mail_to", "Choose who gets the mail from the list.");
	if (*to != '\0' && *str(in->mail_body) == '\0')
		sla_why_add(why, "mail_body", "Write the mail's text.");
	if (*to == '\0' && *str(in->mail_body) != '\0')
		sla_why_add(why, "mail_to", "Choose who gets the mail.");
	if (utf8_chars(str(in->mail_body)) > AUTOMATION_BODY_MAX)
		sla_why_add(why, "mail_body", "The mail's text is longer than "
		    SLA_STR(AUTOMATION_BODY_MAX) " characters.");
	if (utf8_chars(str(in->mail_subject)) > AUTOMATION_SUBJECT_MAX)
		sla_why_add(why, "mail_subject", "The subject is longer than "
		    SLA_STR(AUTOMATION_SUBJECT_MAX) " characters.");
	if (strcmp(to, "address") == 0 && !notify_address_ok(str(in->mail_address)))
		sla_why_add(why, "mail_address", "Enter the address to write to, e.g. "
		    "desk@example.com.");
	if (*str(in->set_status) == '\0' && *str(in->set_priority) == '\0' &&
	    in->set_queue_id <= 0 && strspn(str(in->add_tags), ", \t") == strlen(str(in->add_tags)) &&
	    in->assign_to <= 0 && *str(in->note) == '\0' && *to == '\0' && in->call_webhook_id <= 0)
		sla_why_add(why, "set_status", "Choose at least one thing the rule does.");
}

enum cs_result
automation_rule_check(const struct automation_rule_input *in, struct sla_why *why)
{
	const char *event = str(in->on_event);

	sla_admin_check_name(why, str(in->name));
	if (in->position < 0 || in->position > AUTOMATION_POSITION_MAX)
		sla_why_add(why, "position", "Position must be a whole number from 0 to "
		    SLA_STR(AUTOMATION_POSITION_MAX) ".");
	if (!sla_admin_in(event, automation_events))
		sla_why_add(why, "on_event", "Choose when the rule acts from the list.");
	if (strcmp(event, "time") == 0 && !sla_admin_in(str(in->time_basis), automation_bases))
		sla_why_add(why, "time_basis", "Say what the hours count from.");
	if (strcmp(event, "time") == 0 && (in->time_hours < 1 ||
	    in->time_hours > AUTOMATION_HOURS_MAX))
		sla_why_add(why, "time_hours", "Hours must be a whole number from 1 to "
		    SLA_STR(AUTOMATION_HOURS_MAX) ".");
	check_conditions(in, why);
	check_actions(in, why);
	return why->n > 0 ? CS_REFUSED : CS_OK;
}

/* The queues and agent in exist. CS_OK, CS_REFUSED (why) or the failure. */
static enum cs_result
check_refs(struct db *db, struct arena *a, const struct automation_rule_input *in,
    struct sla_why *why)
{
	const char *p[] = { db_param_id(a, in->if_queue_id), db_param_id(a, in->set_queue_id),
		db_param_id(a, in->assign_to), db_param_id(a, in->call_webhook_id) };
	PGresult *r = db_exec(db, &stmts[ST_REFS], p);

	if (r == NULL)
		return db_result(db);
	if (PQntuples(r) == 1 && !db_bool(r, 0, RF_if_queue))
		sla_why_add(why, "if_queue_id", "Choose one of the listed queues.");
	if (PQntuples(r) == 1 && !db_bool(r, 0, RF_set_queue))
		sla_why_add(why, "set_queue_id", "Choose one of the listed queues.");
	if (PQntuples(r) == 1 && !db_bool(r, 0, RF_webhook))
		sla_why_add(why, "call_webhook_id", "Choose one of the listed webhooks.");
	if (PQntuples(r) == 1 && !db_bool(r, 0, RF_agent))
		sla_why_add(why, "assign_to", "Choose an active agent.");
	PQclear(r);
	return why->n > 0 ? CS_REFUSED : CS_OK;
}

/* Creates (*id 0) or changes rule *id, with its audit record. */
static enum cs_result
save(struct db *db, struct arena *a, const struct audit_entry *by,
    const struct automation_rule_input *in, long long *id, struct sla_why *why)
{
	int time = strcmp(str(in->on_event), "time") == 0, oom = 0;
	const char *tags = ticket_tags_parse(a, str(in->add_tags), &oom);
	const char *p[NPARAMS + 2] = { in->name, db_param_ll(a, in->position),
		in->active ? "t" : "f", in->on_event, time ? in->time_basis : "",
		time ? db_param_ll(a, in->time_hours) : NULL, str(in->if_status),
		str(in->if_priority), str(in->if_tier), str(in->if_channel),
		db_param_id(a, in->if_queue_id), str(in->if_tag), str(in->if_no_tag),
		str(in->if_text), str(in->set_status), str(in->set_priority),
		db_param_id(a, in->set_queue_id), tags, db_param_id(a, in->assign_to),
		str(in->note), str(in->mail_to),
		strcmp(str(in->mail_to), "address") == 0 ? str(in->mail_address) : "",
		str(in->mail_to)[0] != '\0' ? str(in->mail_subject) : "",
		str(in->mail_to)[0] != '\0' ? str(in->mail_body) : "", str(in->if_hours),
		time && in->time_business ? "t" : "f", db_param_id(a, in->call_webhook_id),
		NULL, db_param_ll(a, AUTOMATION_LOOKBACK_DAYS) };
	long long was = *id;
	enum cs_result rc;

	if ((rc = automation_rule_check(in, why)) != CS_OK)
		return rc;
	if (tags == NULL || oom || p[1] == NULL || p[NPARAMS + 1] == NULL)
		return CS_FAILED;
	if (db_begin(db) < 0)
		return db_result(db);
	if ((rc = check_refs(db, a, in, why)) == CS_OK && was == 0 &&
	    (rc = sla_admin_write(db, &stmts[ST_INSERT], p, id)) == CS_NOT_FOUND)
		rc = CS_FAILED;
	if (rc == CS_OK && (p[NPARAMS] = db_param_ll(a, *id)) == NULL)
		rc = CS_FAILED;
	if (rc == CS_OK)
		rc = sla_admin_write(db, &stmts[was == 0 ? ST_FILL : ST_UPDATE], p, id);
	if (rc == CS_TAKEN)
		sla_why_add(why, "name", "Another rule has this name.");
	if (rc != CS_OK) {
		db_rollback(db);
		return rc;
	}
	return admin_audit_commit(db, by, was == 0 ? "automation_rule.create" :
	    "automation_rule.update", "automation_rule", *id, json_pack("{s:s, s:s, s:b, s:b}",
	    "name", in->name, "on_event", in->on_event, "active", in->active,
	    "time_business", time && in->time_business));
}

enum cs_result
automation_rule_create(struct db *db, struct arena *a, const struct audit_entry *by,
    const struct automation_rule_input *in, long long *id, struct sla_why *why)
{
	enum cs_result rc;

	*id = 0;
	if ((rc = save(db, a, by, in, id, why)) != CS_OK)
		*id = 0;
	return rc;
}

enum cs_result
automation_rule_update(struct db *db, struct arena *a, const struct audit_entry *by,
    long long id, const struct automation_rule_input *in, struct sla_why *why)
{
	long long got = id;

	return save(db, a, by, in, &got, why);
}

static enum cs_result
fill_hit(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct automation_hit *h = elem;
	int f = 0;

	h->id = db_ll(r, i, HT_id);
	h->number = db_str(a, r, i, HT_number, &f);
	h->subject = db_str(a, r, i, HT_subject, &f);
	h->status = db_str(a, r, i, HT_status, &f);
	return f ? CS_FAILED : CS_OK;
}

enum cs_result
automation_rule_dry_run(struct db *db, struct arena *a, long long id, struct automation_hit **out,
    size_t *n)
{
	const char *p[] = { db_param_ll(a, id), db_param_ll(a, AUTOMATION_DRY_RUN_MAX) };
	struct automation_rule x;
	void *rows = NULL;
	enum cs_result rc;

	if ((rc = automation_rule_get(db, a, id, &x)) != CS_OK)
		return rc;
	if (p[0] == NULL || p[1] == NULL)
		return CS_FAILED;
	rc = db_rows(db, a, &stmts[ST_DRY], p, sizeof(**out), fill_hit, &rows, n);
	*out = rows;
	return rc;
}
