/* canned.c — see canned.h. */
#include "domain/canned.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/admin_audit.h"
#include "domain/audit.h"
#include "domain/notify.h"
#include "domain/ticket_fields.h"
#include "domain/ticket_rules.h"
#include "tmpl/tmpl.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* Work allowed for rendering one response: a few pages of text. */
#define RENDER_STEPS 100000UL

#define CANNED_COLS(X) \
	X(CR, id, "c.id") X(CR, title, "c.title") X(CR, body, "c.body") \
	X(CR, team_id, "coalesce(c.team_id, 0)") X(CR, team, "coalesce(t.name, '')") \
	X(CR, created_by, "coalesce(s.name, '')") \
	X(CR, created_at, "to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')") \
	X(CR, set_status, "coalesce(c.set_status, '')") \
	X(CR, set_priority, "coalesce(c.set_priority, '')") X(CR, add_tags, "c.add_tags") \
	X(CR, take, "c.take")
enum { DB_COL_ENUM(CANNED_COLS) };

const char *const canned_statuses[] = { "in_progress", "pending_customer", "pending_parts",
	"resolved", "cancelled", NULL };
#define COLS DB_COLS(CANNED_COLS) " FROM canned_responses c" \
	" LEFT JOIN teams t ON t.id = c.team_id LEFT JOIN staff s ON s.id = c.created_by"
#define ID_COLS(X) X(CI, id, "id")
enum { DB_COL_ENUM(ID_COLS) };
#define TITLE_COLS(X) X(CT, title, "title")
enum { DB_COL_ENUM(TITLE_COLS) };
/* $1: 0 for all, else the staff member who may use them. */
#define USABLE " ($1::bigint = 0 OR c.team_id IS NULL" \
	" OR c.team_id = (SELECT team_id FROM staff WHERE id = $1::bigint))"

enum stmt {
	STMT_LIST,
	STMT_LIST_ALL,
	STMT_GET,
	STMT_INSERT,
	STMT_UPDATE,
	STMT_DELETE,
	STMT__MAX
};

static struct db_stmt stmts[] = {
	/* One agent's (every ticket page shows them): without USABLE's "$1 = 0
	 * OR", whose folding away made the planner plan it afresh each time. */
	[STMT_LIST] = DB_STMT("canned_list",
	    "SELECT " COLS " WHERE c.team_id IS NULL"
	    " OR c.team_id = (SELECT team_id FROM staff WHERE id = $1::bigint)"
	    " ORDER BY lower(c.title), c.id", 1),
	[STMT_LIST_ALL] = DB_STMT("canned_list_all",
	    "SELECT " COLS " ORDER BY lower(c.title), c.id", 0),
	[STMT_GET] = DB_STMT("canned_get",
	    "SELECT " COLS " WHERE" USABLE " AND c.id = $2::bigint", 2),
	[STMT_INSERT] = DB_STMT("canned_insert",
	    "INSERT INTO canned_responses (title, body, team_id, created_by, set_status,"
	    " set_priority, add_tags, take) VALUES ($1, $2, $3::bigint, $4::bigint,"
	    " nullif($5, ''), nullif($6, ''), $7, $8::boolean) RETURNING " DB_COLS(ID_COLS), 8),
	[STMT_UPDATE] = DB_STMT("canned_update",
	    "UPDATE canned_responses SET title = $2, body = $3, team_id = $4::bigint,"
	    " set_status = nullif($5, ''), set_priority = nullif($6, ''), add_tags = $7,"
	    " take = $8::boolean WHERE id = $1::bigint RETURNING " DB_COLS(ID_COLS), 8),
	[STMT_DELETE] = DB_STMT("canned_delete",
	    "DELETE FROM canned_responses WHERE id = $1::bigint RETURNING " DB_COLS(TITLE_COLS), 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == STMT__MAX, "one statement per enum stmt");

static enum cs_result
fill(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct canned *c = elem;
	int failed = 0;

	c->id = db_ll(r, i, CR_id);
	c->title = db_str(a, r, i, CR_title, &failed);
	c->body = db_str(a, r, i, CR_body, &failed);
	c->team_id = db_ll(r, i, CR_team_id);
	c->team = db_str(a, r, i, CR_team, &failed);
	c->created_by = db_str(a, r, i, CR_created_by, &failed);
	c->created_at = db_str(a, r, i, CR_created_at, &failed);
	c->set_status = db_str(a, r, i, CR_set_status, &failed);
	c->set_priority = db_str(a, r, i, CR_set_priority, &failed);
	c->add_tags = db_str(a, r, i, CR_add_tags, &failed);
	c->take = db_bool(r, i, CR_take);
	return failed ? CS_FAILED : CS_OK;
}

int
canned_list_send(struct db_pipe *pipe, struct arena *a, long long for_staff)
{
	const char **p = arena_alloc(a, sizeof(*p));

	if (p == NULL || (p[0] = db_param_ll(a, for_staff)) == NULL)
		return -1;
	return db_pipe_add(pipe, &stmts[for_staff == 0 ? STMT_LIST_ALL : STMT_LIST],
	    for_staff == 0 ? NULL : p);
}

enum cs_result
canned_list_take(struct db_pipe *pipe, int slot, struct arena *a, struct canned **out,
    size_t *n)
{
	void *rows;
	enum cs_result rc = db_pipe_rows(pipe, slot, a, sizeof(**out), fill, &rows, n);

	*out = rows;
	return rc;
}

enum cs_result
canned_list(struct db *db, struct arena *a, long long for_staff, struct canned **out,
    size_t *n)
{
	char sb[24];
	const char *p[] = { sb };
	void *rows;
	enum cs_result rc;

	snprintf(sb, sizeof(sb), "%lld", for_staff);
	rc = db_rows(db, a, &stmts[for_staff == 0 ? STMT_LIST_ALL : STMT_LIST],
	    for_staff == 0 ? NULL : p, sizeof(**out), fill, &rows, n);
	*out = rows;
	return rc;
}

enum cs_result
canned_get(struct db *db, struct arena *a, long long id, long long for_staff, struct canned *c)
{
	char sb[24], ib[24];
	const char *p[] = { sb, ib };

	memset(c, 0, sizeof(*c));
	snprintf(sb, sizeof(sb), "%lld", for_staff);
	snprintf(ib, sizeof(ib), "%lld", id);
	return db_one(db, a, &stmts[STMT_GET], p, fill, c);
}

/* A set holding body alone as "canned", compiled; NULL with err set. */
static struct tmpl_set *
compile(const char *body, char *err, size_t errlen)
{
	struct tmpl_set *set = tmpl_set_new();

	if (set == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	tmpl_set_max_steps(set, RENDER_STEPS);
	/* Not strict: {{>name}} names nothing here and renders as nothing, so a
	 * response can never pull in one of the program's own templates. */
	if (tmpl_set_add(set, "canned", body, strlen(body)) < 0 ||
	    tmpl_set_compile(set, 0, err, errlen) < 0) {
		tmpl_set_free(set);
		return NULL;
	}
	return set;
}

/* NULL when body is a template that compiles, else why not (naming the line, in a). */
static const char *
body_error(struct arena *a, const char *body)
{
	char err[256];
	struct tmpl_set *set = compile(body, err, sizeof(err));

	if (set != NULL) {
		tmpl_set_free(set);
		return NULL;
	}
	return arena_printf(a, "The text has a placeholder that is not written right (%s).", err);
}

const char *
canned_render(struct arena *a, const char *body, const struct tval *ctx)
{
	char err[256];
	struct tmpl_set *set = compile(body, err, sizeof(err));
	struct buf b;
	int rc;

	if (set == NULL)
		return NULL;
	buf_init(&b, a);
	rc = tmpl_render(set, "canned", ctx, &b);
	tmpl_set_free(set);
	if (rc < 0 || buf_failed(&b))
		return NULL;
	if (b.len > 0)
		b.len = notify_unescape(b.buf, b.len);
	return b.buf;
}

static json_t *
detail(const char *title, long long team_id)
{
	return json_pack("{s:s, s:I}", "title", title, "team_id", (json_int_t)team_id);
}

/* in with the macro's parts NULL made "" (callers may leave them out). */
static struct canned_input
with_macro(const struct canned_input *in)
{
	struct canned_input c = *in;

	c.set_status = c.set_status != NULL ? c.set_status : "";
	c.set_priority = c.set_priority != NULL ? c.set_priority : "";
	c.add_tags = c.add_tags != NULL ? c.add_tags : "";
	return c;
}

/* The macro's parts: CS_OK, or CS_REFUSED with *why and *field. */
static enum cs_result
check_macro(struct arena *a, const struct canned_input *in, const char **why,
    const char **field)
{
	int oom = 0;

	*field = "set_status";
	if (*in->set_status != '\0' && !ticket_word_valid(canned_statuses, in->set_status))
		*why = "Choose a status from the list.";
	if (*why != NULL)
		return CS_REFUSED;
	*field = "set_priority";
	if (*in->set_priority != '\0' && !ticket_word_valid(ticket_priorities, in->set_priority))
		*why = "Choose a priority from the list.";
	if (*why != NULL)
		return CS_REFUSED;
	*field = "add_tags";
	if (utf8_chars(in->add_tags) > CANNED_TAGS_MAX ||
	    (*in->add_tags != '\0' && ticket_tags_parse(a, in->add_tags, &oom) == NULL))
		*why = oom ? NULL : "Tags are up to 20 words of letters, digits, - and _, "
		    "separated by commas.";
	if (oom)
		return CS_FAILED;
	return *why != NULL ? CS_REFUSED : CS_OK;
}

/* Checks in against the limits: CS_OK, or CS_REFUSED with *why and *field. */
static enum cs_result
check_input(struct arena *a, const struct canned_input *in, const char **why, const char **field)
{
	size_t title = utf8_chars(in->title), body = utf8_chars(in->body);

	*why = NULL;
	*field = "title";
	if (title == 0)
		*why = "Title is required.";
	else if (title > CANNED_TITLE_MAX)
		*why = "Title must be at most 100 characters long.";
	if (*why != NULL)
		return CS_REFUSED;
	*field = "body";
	if (body == 0)
		*why = "Text is required.";
	else if (body > CANNED_BODY_MAX)
		*why = "Text must be at most 10,000 characters long.";
	else
		*why = body_error(a, in->body);
	if (*why != NULL)
		return CS_REFUSED;
	return check_macro(a, in, why, field);
}

/*
 * The end of a change: committed when rc is CS_OK, else rolled back; a
 * team deleted meanwhile (the foreign key says no) is a refusal.
 */
static enum cs_result
finish(struct db *db, enum cs_result rc, const char **why, const char **field)
{
	if (rc == CS_FAILED && db_is(db, "23503")) {
		*field = "team_id";
		*why = "That team no longer exists.";
		rc = CS_REFUSED;
	}
	return db_end(db, rc);
}

/* Runs st (returning the row's id) and audits action. */
static enum cs_result
write_one(struct db *db, const struct audit_entry *by, struct db_stmt *st,
    const char *const *p, const char *action, const struct canned_input *in, long long *id)
{
	enum cs_result rc = db_id(db, st, p, CI_id, id);

	if (rc != CS_OK)
		return rc;
	if (admin_audit(db, by, action, "canned_response", *id, detail(in->title, in->team_id)) != CS_OK)
		return db_result(db);
	return CS_OK;
}

enum cs_result
canned_create(struct db *db, struct arena *a, const struct audit_entry *by, long long staff_id,
    const struct canned_input *given, long long *id, const char **why, const char **field)
{
	struct canned_input full = with_macro(given), *in = &full;
	char tb[24], sb[24];
	const char *p[] = { in->title, in->body, in->team_id > 0 ? tb : NULL, sb, in->set_status,
		in->set_priority, in->add_tags, in->take ? "t" : "f" };
	enum cs_result rc;

	*id = 0;
	if ((rc = check_input(a, in, why, field)) != CS_OK)
		return rc;
	snprintf(tb, sizeof(tb), "%lld", in->team_id);
	snprintf(sb, sizeof(sb), "%lld", staff_id);
	if (db_begin(db) < 0)
		return db_result(db);
	rc = write_one(db, by, &stmts[STMT_INSERT], p, "canned.create", in, id);
	if (rc == CS_NOT_FOUND)
		rc = CS_FAILED;
	if ((rc = finish(db, rc, why, field)) != CS_OK)
		*id = 0;
	return rc;
}

enum cs_result
canned_update(struct db *db, struct arena *a, const struct audit_entry *by, long long id,
    const struct canned_input *given, const char **why, const char **field)
{
	struct canned_input full = with_macro(given), *in = &full;
	char ib[24], tb[24];
	const char *p[] = { ib, in->title, in->body, in->team_id > 0 ? tb : NULL, in->set_status,
		in->set_priority, in->add_tags, in->take ? "t" : "f" };
	long long got;
	enum cs_result rc;

	if ((rc = check_input(a, in, why, field)) != CS_OK)
		return rc;
	snprintf(ib, sizeof(ib), "%lld", id);
	snprintf(tb, sizeof(tb), "%lld", in->team_id);
	if (db_begin(db) < 0)
		return db_result(db);
	rc = write_one(db, by, &stmts[STMT_UPDATE], p, "canned.update", in, &got);
	return finish(db, rc, why, field);
}

enum cs_result
canned_delete(struct db *db, struct arena *a, const struct audit_entry *by, long long id,
    const char **title)
{
	char ib[24];
	const char *p[] = { ib };
	PGresult *r;
	enum cs_result rc = CS_OK;
	int failed = 0;

	*title = NULL;
	snprintf(ib, sizeof(ib), "%lld", id);
	if (db_begin(db) < 0)
		return db_result(db);
	if ((r = db_exec(db, &stmts[STMT_DELETE], p)) == NULL) {
		rc = db_result(db);
	} else {
		if (PQntuples(r) != 1)
			rc = CS_NOT_FOUND;
		else
			*title = db_str(a, r, 0, CT_title, &failed);
		PQclear(r);
	}
	if (rc == CS_OK && failed)
		rc = CS_FAILED;
	if (rc == CS_OK && admin_audit(db, by, "canned.delete", "canned_response", id,
	    detail(*title, 0)) != CS_OK)
		rc = db_result(db);
	return db_end(db, rc);
}
