/* sla_policies.c — see sla_policies.h. */
#include "domain/sla_policies.h"
#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"
#include "domain/admin_audit.h"
#include "domain/audit.h"
#include "domain/sla_calendars.h"
#include "domain/sla_words.h"

#include <jansson.h>
#include <string.h>

const char *const sla_policy_units[] = { "minutes", "hours", "days", NULL };

/* Each target's form field and what a message calls it. */
static const struct {
	const char *field, *label;
} targets[SLA_TARGET__MAX] = {
	[SLA_FIRST_RESPONSE] = { "first_response", "First-response target" },
	[SLA_NEXT_RESPONSE] = { "next_response", "Next-response target" },
	[SLA_RESOLUTION] = { "resolution", "Resolution target" },
};

#define POLICY_COLS(X) \
	X(PL, id, "p.id") X(PL, name, "p.name") X(PL, active, "p.active") \
	X(PL, tier, "coalesce(p.tier, '')") X(PL, priority, "p.priority") \
	X(PL, category_id, "coalesce(p.category_id, 0)") X(PL, calendar_id, "p.calendar_id") \
	X(PL, first_response, "p.first_response_minutes") \
	X(PL, next_response, "p.next_response_minutes") \
	X(PL, resolution, "p.resolution_minutes") \
	X(PL, pauses, "array_to_string(p.pause_statuses, ',')") \
	X(PL, category, "coalesce(cat.name, '')") X(PL, calendar, "c.name") \
	X(PL, day_minutes, "c.day_minutes")
enum { DB_COL_ENUM(POLICY_COLS) };
#define POLICY_FROM " FROM sla_policies p JOIN business_calendars c ON c.id = p.calendar_id" \
	" LEFT JOIN categories cat ON cat.id = p.category_id"

enum stmt {
	ST_LIST,
	ST_GET,
	ST_INSERT,
	ST_UPDATE,
	ST_RECOMPUTE,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_LIST] = DB_STMT("sla_policy_list",
	    "SELECT " DB_COLS(POLICY_COLS) POLICY_FROM
	    " ORDER BY p.priority, p.tier NULLS FIRST, p.name", 0),
	[ST_GET] = DB_STMT("sla_policy_get",
	    "SELECT " DB_COLS(POLICY_COLS) POLICY_FROM " WHERE p.id = $1", 1),
	[ST_INSERT] = DB_STMT("sla_policy_insert",
	    "INSERT INTO sla_policies (name, active, tier, priority, category_id, calendar_id,"
	    " first_response_minutes, next_response_minutes, resolution_minutes, pause_statuses)"
	    " VALUES ($1, $2, nullif($3, ''), $4, $5, $6, $7, $8, $9, $10::text[])"
	    " RETURNING " DB_COLS(SLA_ID_COLS), 10),
	[ST_UPDATE] = DB_STMT("sla_policy_update",
	    "UPDATE sla_policies SET name = $2, active = $3, tier = nullif($4, ''), priority = $5,"
	    " category_id = $6, calendar_id = $7, first_response_minutes = $8,"
	    " next_response_minutes = $9, resolution_minutes = $10, pause_statuses = $11::text[]"
	    " WHERE id = $1 RETURNING " DB_COLS(SLA_ID_COLS), 11),
	/* The batch moves the tickets' due times (sla_recompute_due). */
	[ST_RECOMPUTE] = DB_STMT("sla_policy_recompute",
	    "SELECT count(sla_queue_recompute(priority, 'policy ' || name || ' changed'))"
	    " FROM sla_policies WHERE id = $1", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

/* ---- reading ------------------------------------------------------------- */

/* The targets in words, "30 min / 4 h / 2 business days". */
static const char *
targets_text(struct arena *a, const struct sla_policy *p)
{
	return arena_printf(a, "%s / %s / %s",
	    sla_target_words(a, p->minutes[SLA_FIRST_RESPONSE], p->day_minutes),
	    sla_target_words(a, p->minutes[SLA_NEXT_RESPONSE], p->day_minutes),
	    sla_target_words(a, p->minutes[SLA_RESOLUTION], p->day_minutes));
}

/* The statuses of pauses (comma-separated) into p, and in words. 0, or -1 out of memory. */
static int
read_pauses(struct arena *a, char *pauses, struct sla_policy *p)
{
	char *tok, *save = NULL;
	struct buf b;
	size_t i;

	buf_init(&b, a);
	buf_addstr(&b, "");
	for (tok = strtok_r(pauses, ",", &save); tok != NULL && p->npauses < SLA_PAUSES_MAX;
	    tok = strtok_r(NULL, ",", &save)) {
		p->pauses[p->npauses++] = tok;
		buf_addstr(&b, p->npauses > 1 ? ", " : "");
		for (i = 0; tok[i] != '\0'; i++)
			buf_addch(&b, tok[i] == '_' ? ' ' : tok[i]);
	}
	p->pauses_text = b.buf;
	return buf_failed(&b) ? -1 : 0;
}

static enum cs_result
fill_policy(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct sla_policy *p = elem;
	char *pauses;
	int failed = 0;

	memset(p, 0, sizeof(*p));
	p->id = db_ll(r, i, PL_id);
	p->name = db_str(a, r, i, PL_name, &failed);
	p->active = db_bool(r, i, PL_active);
	p->tier = db_str(a, r, i, PL_tier, &failed);
	p->priority = db_str(a, r, i, PL_priority, &failed);
	p->category_id = db_ll(r, i, PL_category_id);
	p->calendar_id = db_ll(r, i, PL_calendar_id);
	p->minutes[SLA_FIRST_RESPONSE] = (int)db_ll(r, i, PL_first_response);
	p->minutes[SLA_NEXT_RESPONSE] = (int)db_ll(r, i, PL_next_response);
	p->minutes[SLA_RESOLUTION] = (int)db_ll(r, i, PL_resolution);
	p->category = db_str(a, r, i, PL_category, &failed);
	p->calendar = db_str(a, r, i, PL_calendar, &failed);
	p->day_minutes = (int)db_ll(r, i, PL_day_minutes);
	pauses = (char *)db_str(a, r, i, PL_pauses, &failed);
	if (failed || read_pauses(a, pauses, p) < 0)
		return CS_FAILED;
	p->targets_text = targets_text(a, p);
	return p->targets_text == NULL ? CS_FAILED : CS_OK;
}

enum cs_result
sla_policy_list(struct db *db, struct arena *a, struct sla_policy **out, size_t *n)
{
	void *rows;
	enum cs_result rc = db_rows(db, a, &stmts[ST_LIST], NULL, sizeof(**out), fill_policy,
	    &rows, n);

	*out = rows;
	return rc;
}

enum cs_result
sla_policy_get(struct db *db, struct arena *a, long long id, struct sla_policy *p)
{
	const char *pp[] = { db_param_ll(a, id) };
	PGresult *r;
	enum cs_result rc;

	memset(p, 0, sizeof(*p));
	if (pp[0] == NULL)
		return CS_FAILED;
	if ((r = db_exec(db, &stmts[ST_GET], pp)) == NULL)
		return db_result(db);
	rc = PQntuples(r) != 1 ? CS_NOT_FOUND : fill_policy(a, r, 0, p) != CS_OK ? CS_FAILED : CS_OK;
	PQclear(r);
	return rc;
}

void
sla_policy_target_typed(int minutes, int day_minutes, long long *value, const char **unit)
{
	*unit = "minutes";
	*value = minutes;
	if (day_minutes > 0 && day_minutes < 1440 && minutes % day_minutes == 0) {
		*unit = "days";
		*value = minutes / day_minutes;
	} else if (minutes % 60 == 0) {
		*unit = "hours";
		*value = minutes / 60;
	}
}

/* ---- checking ------------------------------------------------------------ */

/* The targets in business minutes of a day_minutes day. */
static void
check_targets(struct arena *a, const struct sla_policy_input *in, int day_minutes,
    struct sla_policy *out, struct sla_why *why)
{
	int k;

	for (k = 0; k < SLA_TARGET__MAX; k++) {
		long long v = in->targets[k].value;
		const char *unit = in->targets[k].unit != NULL ? in->targets[k].unit : "";
		long long mult = strcmp(unit, "hours") == 0 ? 60 : strcmp(unit, "days") == 0 ?
		    day_minutes : 1;

		if (!sla_admin_in(unit, sla_policy_units))
			sla_why_add(why, targets[k].field, arena_printf(a, "Choose one of the listed "
			    "values for %s unit.", targets[k].label));
		else if (v < 1 || v > SLA_TARGET_VALUE_MAX)
			sla_why_add(why, targets[k].field, arena_printf(a, "%s must be a whole number "
			    "from 1 to " SLA_STR(SLA_TARGET_VALUE_MAX) ".", targets[k].label));
		else if (v * mult > SLA_TARGET_MINUTES_MAX)
			sla_why_add(why, targets[k].field, "A target may be at most a year.");
		else
			out->minutes[k] = (int)(v * mult);
	}
}

/* The pausing statuses, each once, in the order of the list. */
static void
check_pauses(const struct sla_policy_input *in, struct sla_policy *out, struct sla_why *why)
{
	size_t i, k;

	for (i = 0; i < in->npauses; i++)
		if (!sla_admin_in(in->pauses[i], sla_admin_pausable))
			sla_why_add(why, "pause", "Choose pausing statuses from the list.");
	for (k = 0; sla_admin_pausable[k] != NULL && out->npauses < SLA_PAUSES_MAX; k++)
		for (i = 0; i < in->npauses; i++)
			if (strcmp(in->pauses[i], sla_admin_pausable[k]) == 0) {
				out->pauses[out->npauses++] = sla_admin_pausable[k];
				break;
			}
}

enum cs_result
sla_policy_check(struct db *db, struct arena *a, const struct sla_policy_input *in,
    struct sla_policy *out, struct sla_why *why)
{
	enum cs_result rc;
	int day = 0;

	memset(out, 0, sizeof(*out));
	out->name = in->name != NULL ? in->name : "";
	out->active = in->active;
	out->tier = in->tier != NULL ? in->tier : "";
	out->priority = in->priority != NULL ? in->priority : "";
	out->category_id = in->category_id;
	out->calendar_id = in->calendar_id;
	sla_admin_check_name(why, out->name);
	if (*out->tier != '\0' && !sla_admin_in(out->tier, sla_admin_tiers))
		sla_why_add(why, "tier", "Choose one of the listed values for Customer tier.");
	if (!sla_admin_in(out->priority, sla_admin_priorities))
		sla_why_add(why, "priority", "Choose one of the listed values for Priority.");
	if (in->category_id < 0)
		sla_why_add(why, "category_id", "Choose one of the listed values for Category.");
	rc = in->calendar_id > 0 ? sla_calendar_day_minutes(db, in->calendar_id, &day) :
	    CS_NOT_FOUND;
	if (rc == CS_NOT_FOUND)
		sla_why_add(why, "calendar_id", "Choose a calendar from the list.");
	else if (rc != CS_OK)
		return rc;
	out->day_minutes = day;
	check_targets(a, in, day, out, why);
	check_pauses(in, out, why);
	return why->n > 0 ? CS_REFUSED : CS_OK;
}

/* ---- saving -------------------------------------------------------------- */

/* The statuses as an array literal, "{a,b}" (names from the list: nothing to quote). */
static const char *
array_literal(struct arena *a, const struct sla_policy *p)
{
	struct buf b;
	size_t i;

	buf_init(&b, a);
	buf_addch(&b, '{');
	for (i = 0; i < p->npauses; i++)
		buf_printf(&b, "%s%s", i > 0 ? "," : "", p->pauses[i]);
	buf_addch(&b, '}');
	return buf_failed(&b) ? NULL : b.buf;
}

/* Queues the open tickets of policy id's priority. */
static enum cs_result
recompute(struct db *db, const char *id)
{
	const char *p[] = { id };

	return db_run(db, &stmts[ST_RECOMPUTE], p) < 0 ? db_result(db) : CS_OK;
}

/* Creates (*id 0) or changes policy *id. */
static enum cs_result
save(struct db *db, struct arena *a, const struct audit_entry *by,
    const struct sla_policy_input *in, long long *id, struct sla_why *why)
{
	struct sla_policy p;
	const char *m[SLA_TARGET__MAX], *arr, *ids, *cat, *cal, *active;
	long long was = *id;
	enum cs_result rc;
	int k;

	if ((rc = sla_policy_check(db, a, in, &p, why)) != CS_OK)
		return rc;
	for (k = 0; k < SLA_TARGET__MAX; k++)
		m[k] = db_param_ll(a, p.minutes[k]);
	arr = array_literal(a, &p);
	ids = db_param_ll(a, was);
	cat = db_param_id(a, p.category_id);
	cal = db_param_ll(a, p.calendar_id);
	active = p.active ? "t" : "f";
	if (m[0] == NULL || m[1] == NULL || m[2] == NULL || arr == NULL || ids == NULL ||
	    (p.category_id != 0 && cat == NULL) || cal == NULL)
		return CS_FAILED;
	if (db_begin(db) < 0)
		return db_result(db);
	if (was == 0) {
		const char *pp[] = { p.name, active, p.tier, p.priority, cat, cal, m[0], m[1], m[2],
			arr };

		if ((rc = sla_admin_write(db, &stmts[ST_INSERT], pp, id)) == CS_NOT_FOUND)
			rc = CS_FAILED;
	} else {
		const char *pp[] = { ids, p.name, active, p.tier, p.priority, cat, cal, m[0], m[1],
			m[2], arr };

		/* The tickets of the old priority as well, when it changes. */
		if ((rc = recompute(db, ids)) == CS_OK)
			rc = sla_admin_write(db, &stmts[ST_UPDATE], pp, id);
	}
	if (rc == CS_TAKEN)
		sla_why_add(why, "name", "Another policy has this name, or covers the same tier, "
		    "priority and category.");
	if (rc == CS_OK && (ids = db_param_ll(a, *id)) == NULL)
		rc = CS_FAILED;
	if (rc == CS_OK)
		rc = recompute(db, ids);
	if (rc != CS_OK) {
		db_rollback(db);
		return rc;
	}
	return admin_audit_commit(db, by, was == 0 ? "sla_policy.create" : "sla_policy.update",
	    "sla_policy", *id, json_pack("{s:s, s:s, s:s, s:i, s:i, s:i, s:s}", "name", p.name,
	    "tier", p.tier, "priority", p.priority, "first_response_minutes", p.minutes[0],
	    "next_response_minutes", p.minutes[1], "resolution_minutes", p.minutes[2],
	    "pause_statuses", arr));
}

enum cs_result
sla_policy_create(struct db *db, struct arena *a, const struct audit_entry *by,
    const struct sla_policy_input *in, long long *id, struct sla_why *why)
{
	enum cs_result rc;

	*id = 0;
	if ((rc = save(db, a, by, in, id, why)) != CS_OK)
		*id = 0;
	return rc;
}

enum cs_result
sla_policy_update(struct db *db, struct arena *a, const struct audit_entry *by, long long id,
    const struct sla_policy_input *in, struct sla_why *why)
{
	long long got = id;

	return save(db, a, by, in, &got, why);
}
