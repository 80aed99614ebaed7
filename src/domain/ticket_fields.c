/* ticket_fields.c — see ticket_fields.h. */
#include "domain/ticket_fields.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/events.h"
#include "domain/ticket_filter.h"
#include "domain/ticket_rules.h"
#include "domain/ticket_site.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a field change's history row holds. */
#define HISTORY_COLS(X) X(FH, old_value, "old_value") X(FH, new_value, "new_value")
enum { DB_COL_ENUM(HISTORY_COLS) };

/* A field change of one ticket and its history row, in one statement: $1
 * ticket, $2 new value, $3 staff. Returns the row's values when something
 * changed. */
#define FIELD_SQL(col, type, field, oldname, join, newname) \
	"WITH old AS (SELECT t.id, t." col " AS v, " oldname " AS vn FROM tickets t " join \
	" WHERE t.id = $1::bigint FOR UPDATE OF t)," \
	" up AS (UPDATE tickets t SET " col " = $2::" type ", version = t.version + 1," \
	" updated_at = now() FROM old WHERE t.id = old.id" \
	" AND old.v IS DISTINCT FROM $2::" type " RETURNING t.id, old.vn)" \
	" INSERT INTO ticket_events (ticket_id, actor_kind, actor_id, field, old_value, new_value)" \
	" SELECT id, 'staff', $3::bigint, '" field "', vn, " newname " FROM up" \
	" RETURNING " DB_COLS(HISTORY_COLS)
#define NAMED_SQL(col, field, table) FIELD_SQL(col, "bigint", field, "x.name", \
	"LEFT JOIN " table " x ON x.id = t." col, \
	"(SELECT name FROM " table " WHERE id = $2::bigint)")

enum stmt {
	STMT_SET_PRIORITY,
	STMT_SET_TYPE,
	STMT_SET_CATEGORY,
	STMT_SET_QUEUE,
	STMT_SET_PRODUCT,
	STMT_SET_SERIAL,
	STMT_SET_TEAM,
	STMT_SET_TAGS,
	STMT_SET_SITE,
	STMT_SET_ASSIGNEE,
	STMT_TICKET,
	STMT_CATEGORY,
	STMT_QUEUE,
	STMT_PRODUCT,
	STMT_TEAM,
	STMT_TYPE,
	STMT_SITE,
	STMT__MAX
};

static struct db_stmt stmts[] = {
	[STMT_SET_PRIORITY] = DB_STMT("ticket_console_set_priority",
	    FIELD_SQL("priority", "text", "priority", "t.priority", "", "$2::text"), 3),
	[STMT_SET_TYPE] = DB_STMT("ticket_console_set_type",
	    FIELD_SQL("type", "text", "type", "t.type", "", "$2::text"), 3),
	[STMT_SET_CATEGORY] = DB_STMT("ticket_console_set_category",
	    NAMED_SQL("category_id", "category", "categories"), 3),
	[STMT_SET_QUEUE] = DB_STMT("ticket_console_set_queue",
	    NAMED_SQL("queue_id", "queue", "queues"), 3),
	[STMT_SET_PRODUCT] = DB_STMT("ticket_console_set_product",
	    NAMED_SQL("product_id", "product", "products"), 3),
	[STMT_SET_SERIAL] = DB_STMT("ticket_console_set_serial",
	    FIELD_SQL("serial", "text", "serial", "t.serial", "", "$2::text"), 3),
	[STMT_SET_TEAM] = DB_STMT("ticket_console_set_team",
	    NAMED_SQL("team_id", "team", "teams"), 3),
	[STMT_SET_TAGS] = DB_STMT("ticket_console_set_tags",
	    FIELD_SQL("tags", "text[]", "tags", "array_to_string(t.tags, ', ')", "",
	    "array_to_string($2::text[], ', ')"), 3),
	[STMT_SET_SITE] = DB_STMT("ticket_console_set_site",
	    NAMED_SQL("site_id", "site", "customer_sites"), 3),
	[STMT_SET_ASSIGNEE] = DB_STMT("ticket_console_set_assignee",
	    NAMED_SQL("assignee_id", "assignee", "staff"), 3),
	[STMT_TICKET] = DB_STMT("ticket_console_ticket",
	    "SELECT 1 FROM tickets WHERE id = $1::bigint FOR UPDATE", 1),
	[STMT_CATEGORY] = DB_STMT("ticket_console_category",
	    "SELECT 1 FROM categories WHERE id = $1::bigint AND active", 1),
	[STMT_QUEUE] = DB_STMT("ticket_console_queue",
	    "SELECT 1 FROM queues WHERE id = $1::bigint AND active", 1),
	[STMT_PRODUCT] = DB_STMT("ticket_console_product",
	    "SELECT 1 FROM products WHERE id = $1::bigint AND active", 1),
	[STMT_TEAM] = DB_STMT("ticket_console_team",
	    "SELECT 1 FROM teams WHERE id = $1::bigint", 1),
	/* An active type, or the one the ticket has (deactivated since: a
	 * form that sends it back unchanged is not refused). */
	[STMT_TYPE] = DB_STMT("ticket_console_type",
	    "SELECT 1 FROM ticket_types y WHERE y.code = $1 AND (y.active"
	    " OR EXISTS (SELECT 1 FROM tickets t WHERE t.id = $2::bigint AND t.type = $1))", 2),
	/* One of the ticket's own customer's sites: an active one, or the one
	 * it has (deactivated since, sent back unchanged). */
	[STMT_SITE] = DB_STMT("ticket_console_site",
	    "SELECT 1 FROM customer_sites s JOIN tickets t ON t.customer_id = s.customer_id"
	    " WHERE s.id = $1::bigint AND t.id = $2::bigint AND (s.active OR t.site_id = s.id)", 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == STMT__MAX, "one statement per enum stmt");

/* Per field: its statement, its name (history, events), what it takes. */
static const struct {
	enum stmt set;
	const char *name;
	const char *const *words;	/* one of these words */
	enum stmt known;		/* an id this statement finds; STMT__MAX: not an id */
	const char *refused;		/* what a value refused means, for the person */
} fields[TF__MAX + 1] = {
	[TF_PRIORITY] = { STMT_SET_PRIORITY, "priority", ticket_priorities, STMT__MAX,
	    "Choose a priority from the list." },
	/* A code of the admins' list (046): write_fields asks STMT_TYPE. */
	[TF_TYPE] = { STMT_SET_TYPE, "type", NULL, STMT__MAX,
	    "Choose a type from the list." },
	[TF_CATEGORY] = { STMT_SET_CATEGORY, "category", NULL, STMT_CATEGORY,
	    "Choose a category from the list." },
	[TF_QUEUE] = { STMT_SET_QUEUE, "queue", NULL, STMT_QUEUE,
	    "Choose a queue from the list." },
	[TF_PRODUCT] = { STMT_SET_PRODUCT, "product", NULL, STMT_PRODUCT,
	    "Choose a product from the list." },
	[TF_SERIAL] = { STMT_SET_SERIAL, "serial", NULL, STMT__MAX,
	    "A serial number is at most 100 characters on one line." },
	[TF_TEAM] = { STMT_SET_TEAM, "team", NULL, STMT_TEAM, "Choose a team from the list." },
	[TF_TAGS] = { STMT_SET_TAGS, "tags", NULL, STMT__MAX,
	    "Tags are up to 20 words of letters, digits, - and _ (at most 40 characters each), "
	    "separated by commas." },
	[TF_SITE] = { STMT_SET_SITE, "site", NULL, STMT_SITE,
	    "Choose one of the customer's sites." },
	[TF_ASSIGNEE] = { STMT_SET_ASSIGNEE, "assignee", NULL, STMT__MAX, "" },
};

static int
tag_cmp(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

const char *
ticket_tags_parse(struct arena *a, const char *typed, int *oom)
{
	const char *tags[TF_TAGS_MAX + 1], *arr;
	size_t n = 0, i, len;
	char *t;

	*oom = 0;
	while (*typed != '\0') {
		typed += strspn(typed, ", \t");
		if ((len = strcspn(typed, ", \t")) == 0)
			break;
		if (len > TF_TAG_MAX || n == TF_TAGS_MAX)
			return NULL;
		if ((t = arena_alloc(a, len + 1)) == NULL) {
			*oom = 1;
			return NULL;
		}
		for (i = 0; i < len; i++) {
			t[i] = (char)tolower((unsigned char)typed[i]);
			if (!islower((unsigned char)t[i]) && !isdigit((unsigned char)t[i]) &&
			    t[i] != '_' && t[i] != '-')
				return NULL;
		}
		t[len] = '\0';
		typed += len;
		for (i = 0; i < n && strcmp(tags[i], t) != 0; i++)
			;
		if (i == n)
			tags[n++] = t;
	}
	qsort(tags, n, sizeof(tags[0]), tag_cmp);
	/* Quoted, or a tag called "null" would be an SQL NULL in the array. */
	if ((arr = tl_words_param(a, tags, n)) == NULL)
		*oom = 1;
	return arr;
}

/*
 * Whether statement st finds a row for its parameter v (and, when it has
 * a second one, ticket id): CS_OK, CS_NOT_FOUND or the failure.
 */
static enum cs_result
exists_text(struct db *db, enum stmt st, const char *v, long long ticket_id)
{
	char idbuf[24];
	const char *p[] = { v, idbuf };
	PGresult *res;
	int found;

	snprintf(idbuf, sizeof(idbuf), "%lld", ticket_id);
	if ((res = db_exec(db, &stmts[st], p)) == NULL)
		return db_result(db);
	found = PQntuples(res) == 1;
	PQclear(res);
	return found ? CS_OK : CS_NOT_FOUND;
}

/* Whether statement st finds a row for id: CS_OK, CS_NOT_FOUND or the failure. */
static enum cs_result
exists(struct db *db, enum stmt st, long long id)
{
	char idbuf[24];

	snprintf(idbuf, sizeof(idbuf), "%lld", id);
	return exists_text(db, st, idbuf, 0);
}

enum cs_result
ticket_field_known(struct db *db, enum ticket_field field, long long id)
{
	if (field >= TF__MAX || fields[field].known == STMT__MAX)
		return CS_NOT_FOUND;
	return exists(db, fields[field].known, id);
}

enum cs_result
ticket_field_write(struct db *db, struct arena *a, enum ticket_field field, long long staff_id,
    long long ticket_id, const char *param, int *changed, struct tf_change *c)
{
	char id[24], by[24];
	const char *p[] = { id, param, by };
	PGresult *res;
	int failed = 0;

	*changed = 0;
	snprintf(id, sizeof(id), "%lld", ticket_id);
	snprintf(by, sizeof(by), "%lld", staff_id);
	if ((res = db_exec(db, &stmts[fields[field].set], p)) == NULL)
		return db_result(db);
	*changed = PQntuples(res) > 0;
	if (*changed && c != NULL) {
		c->field = field;
		c->from = PQgetisnull(res, 0, FH_old_value) ? NULL :
		    db_str(a, res, 0, FH_old_value, &failed);
		c->to = PQgetisnull(res, 0, FH_new_value) ? NULL :
		    db_str(a, res, 0, FH_new_value, &failed);
	}
	PQclear(res);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
ticket_fields_event(struct db *db, long long staff_id, long long ticket_id,
    const struct tf_change *c, size_t n)
{
	struct event_actor by = { "staff", staff_id };
	json_t *all = json_object(), *changes = json_object();
	enum cs_result rc = CS_FAILED;
	char *payload = NULL;
	size_t i;

	if (n == 0) {
		json_decref(all);
		json_decref(changes);
		return CS_OK;
	}
	for (i = 0; changes != NULL && i < n; i++)
		if (json_object_set_new(changes, fields[c[i].field].name, json_pack("{s:s?, s:s?}",
		    "from", c[i].from, "to", c[i].to)) < 0)
			goto out;
	if (all == NULL || changes == NULL || json_object_set(all, "fields", changes) < 0 ||
	    (payload = json_dumps(all, JSON_COMPACT)) == NULL)
		goto out;
	rc = events_append(db, "ticket", ticket_id, "ticket.fields_changed", &by, payload);
out:
	free(payload);
	json_decref(all);
	json_decref(changes);
	return rc;
}

/*
 * Checks value for field and makes the statement's parameter of it (NULL
 * for "none"); *id is the id it names (0: none). CS_OK, CS_REFUSED, or
 * CS_FAILED when out of memory.
 */
static enum cs_result
field_value(struct arena *a, enum ticket_field field, const char *value, const char **param,
    long long *id)
{
	size_t i;
	int oom;

	*id = 0;
	*param = value;
	if (fields[field].words != NULL)
		return ticket_word_valid(fields[field].words, value) ? CS_OK : CS_REFUSED;
	if (fields[field].known != STMT__MAX) {
		if (*value == '\0') {
			*param = NULL;
			return CS_OK;
		}
		*id = config_parse_id(value);
		return *id > 0 ? CS_OK : CS_REFUSED;
	}
	if (field == TF_SERIAL) {
		for (i = 0; value[i] != '\0'; i++)
			if ((unsigned char)value[i] < 0x20 || value[i] == 0x7f)
				return CS_REFUSED;
		if (utf8_chars(value) > TF_SERIAL_MAX)
			return CS_REFUSED;
		if (*value == '\0')
			*param = NULL;
		return CS_OK;
	}
	if (field == TF_TYPE)
		return *value != '\0' && strlen(value) <= TICKET_TYPE_MAX ? CS_OK : CS_REFUSED;
	if (field == TF_TAGS) {
		*param = ticket_tags_parse(a, value, &oom);
		return *param != NULL ? CS_OK : oom ? CS_FAILED : CS_REFUSED;
	}
	return CS_OK;
}

/* The checked parameters of values; on a refusal *bad and *why. */
static enum cs_result
check_values(struct arena *a, const char *const values[TF__MAX], const char **param,
    long long *id, enum ticket_field *bad, const char **why)
{
	enum cs_result rc;
	int f;

	for (f = 0; f < TF__MAX; f++) {
		if (values[f] == NULL)
			continue;
		if ((rc = field_value(a, (enum ticket_field)f, values[f], &param[f], &id[f])) != CS_OK) {
			*bad = (enum ticket_field)f;
			*why = fields[f].refused;
			return rc;
		}
	}
	return CS_OK;
}

/* Inside the transaction: the ticket locked, the ids known, the fields written. */
static enum cs_result
write_fields(struct db *db, struct arena *a, long long staff_id, long long ticket_id,
    const char *const values[TF__MAX], const char **param, const long long *id,
    enum ticket_field *bad, const char **why, int *changed)
{
	/* Room for the queue and team a change of site may move (ticket_site.h). */
	struct tf_change c[TF__MAX + 2];
	char idtext[24];
	enum cs_result rc;
	int f, one, moved = 0;

	if ((rc = exists(db, STMT_TICKET, ticket_id)) != CS_OK)
		return rc;
	if (values[TF_TYPE] != NULL &&
	    (rc = exists_text(db, STMT_TYPE, param[TF_TYPE], ticket_id)) != CS_OK) {
		*bad = TF_TYPE;
		*why = fields[TF_TYPE].refused;
		return rc == CS_NOT_FOUND ? CS_REFUSED : rc;
	}
	for (f = 0; f < TF__MAX; f++) {
		if (values[f] == NULL || id[f] == 0)
			continue;
		/* The ticket's id goes along: a site is looked for among its customer's. */
		snprintf(idtext, sizeof(idtext), "%lld", id[f]);
		if ((rc = exists_text(db, fields[f].known, idtext, ticket_id)) != CS_OK) {
			*bad = (enum ticket_field)f;
			*why = fields[f].refused;
			return rc == CS_NOT_FOUND ? CS_REFUSED : rc;
		}
	}
	for (f = 0; f < TF__MAX; f++) {
		if (values[f] == NULL)
			continue;
		rc = ticket_field_write(db, a, (enum ticket_field)f, staff_id, ticket_id, param[f],
		    &one, &c[*changed]);
		if (rc != CS_OK)
			return rc;
		*changed += one;
	}
	/* A new site may move an untouched ticket: its queue and team join the event. */
	for (f = 0; f < *changed; f++)
		if (c[f].field == TF_SITE && (rc = ticket_site_follow(db, a, ticket_id, c[f].from,
		    &c[*changed], &moved)) != CS_OK)
			return rc;
	return ticket_fields_event(db, staff_id, ticket_id, c, (size_t)(*changed + moved));
}

enum cs_result
ticket_fields_set(struct db *db, long long staff_id, long long ticket_id,
    const char *const values[TF__MAX], enum ticket_field *bad, int *changed, const char **why)
{
	const char *param[TF__MAX];
	long long id[TF__MAX];
	struct arena *a;
	enum cs_result rc;

	*bad = TF__MAX;
	*changed = 0;
	*why = NULL;
	if ((a = arena_new(1024)) == NULL)
		return CS_FAILED;
	if ((rc = check_values(a, values, param, id, bad, why)) != CS_OK)
		goto out;
	if (db_begin(db) < 0) {
		rc = db_result(db);
		goto out;
	}
	rc = write_fields(db, a, staff_id, ticket_id, values, param, id, bad, why, changed);
	if ((rc = db_end(db, rc)) != CS_OK)
		*changed = 0;
out:
	arena_free(a);
	return rc;
}

enum cs_result
ticket_field_set(struct db *db, long long staff_id, long long ticket_id, enum ticket_field field,
    const char *value, const char **why)
{
	const char *values[TF__MAX] = { 0 };
	enum ticket_field bad;
	int changed;

	*why = NULL;
	if (field >= TF__MAX || value == NULL) {
		*why = "That field cannot be changed here.";
		return CS_REFUSED;
	}
	values[field] = value;
	return ticket_fields_set(db, staff_id, ticket_id, values, &bad, &changed, why);
}
