/*
 * ticket_read.c — what pages show of tickets: one ticket, its
 * conversation, files and history, a customer's list, and the categories
 * and products forms offer. See tickets.h.
 */
#include "domain/ticket_int.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/ticket_choices.h"
#include "domain/ticket_sheet.h"

#include <string.h>

#define STR(x) #x
#define XSTR(x) STR(x)

/*
 * The columns of struct ticket; the names and the panels differ by reader
 * (see the statements): the staff's names come from the worker's kept
 * lists (ticket_choices_name_ticket), not from joins.
 */
#define TICKET_COLS_(X, category_, queue_, team_, assignee_, rcode_, rcode_id_, type_label_, \
	panels_) \
	X(TK, id, "t.id") X(TK, number, "t.number") X(TK, customer_id, "t.customer_id") \
	X(TK, customer_name, "c.name") X(TK, customer_tier, "c.tier") \
	X(TK, requester_id, "coalesce(t.requester_id, 0)") \
	X(TK, requester_name, "coalesce(u.name, '')") \
	X(TK, requester_email, "coalesce(u.email, '')") X(TK, channel, "t.channel") \
	X(TK, type, "t.type") X(TK, subject, "t.subject") X(TK, description, "t.description") \
	X(TK, urgency, "t.urgency") X(TK, priority, "t.priority") X(TK, status, "t.status") \
	X(TK, category, category_) \
	X(TK, product, "coalesce(p.name, '')") \
	X(TK, serial, "coalesce(t.serial, '')") X(TK, queue_id, "coalesce(t.queue_id, 0)") \
	X(TK, team_id, "coalesce(t.team_id, 0)") X(TK, assignee_id, "coalesce(t.assignee_id, 0)") \
	X(TK, queue, queue_) X(TK, team, team_) X(TK, assignee, assignee_) \
	X(TK, tags, "array_to_string(t.tags, ',')") \
	X(TK, created_at, TICKET_TS("t.created_at")) X(TK, updated_at, TICKET_TS("t.updated_at")) \
	X(TK, first_response_at, TICKET_TS("t.first_response_at")) \
	X(TK, resolved_at, TICKET_TS("t.resolved_at")) X(TK, closed_at, TICKET_TS("t.closed_at")) \
	X(TK, resolution_code, rcode_) X(TK, resolution_code_id, rcode_id_) \
	X(TK, root_cause, "coalesce(t.root_cause, '')") \
	X(TK, rating, "coalesce(t.rating, 0)") \
	X(TK, rating_comment, "coalesce(t.rating_comment, '')") \
	X(TK, reopen_count, "t.reopen_count") X(TK, version, "t.version") \
	X(TK, minutes_spent, "(SELECT coalesce(sum(m.minutes_spent), 0) FROM ticket_comments m" \
	    " WHERE m.ticket_id = t.id)") \
	X(TK, category_id, "coalesce(t.category_id, 0)") \
	X(TK, product_id, "coalesce(t.product_id, 0)") \
	X(TK, type_label, type_label_) \
	X(TK, site, "coalesce(si.name || ': ' || si.address, '')") \
	X(TK, site_id, "coalesce(t.site_id, 0)") X(TK, panels, panels_)
/*
 * Which of the page's optional panels have something to show: an index
 * probe each here saves a statement of the page's pipeline (its start-up
 * costs more than the probe) for the tickets, most of them, with none.
 * The mail's condition is wider than the panel's, never narrower.
 */
#define TICKET_PANELS \
	"(CASE WHEN EXISTS (SELECT 1 FROM warranty_claims w WHERE w.ticket_id = t.id)" \
	" THEN " XSTR(TICKET_PANEL_CLAIMS) " ELSE 0 END" \
	" | CASE WHEN EXISTS (SELECT 1 FROM appointments ap WHERE ap.ticket_id = t.id)" \
	" THEN " XSTR(TICKET_PANEL_VISITS) " ELSE 0 END" \
	" | CASE WHEN EXISTS (SELECT 1 FROM mail_messages mm WHERE mm.ticket_id = t.id" \
	" AND ((mm.review AND mm.review_outcome IS NULL) OR (mm.suggested_ticket_id IS NOT NULL" \
	" AND mm.merge_dismissed_at IS NULL))) THEN " XSTR(TICKET_PANEL_MAIL) " ELSE 0 END" \
	" | CASE WHEN EXISTS (SELECT 1 FROM ticket_attachments fa WHERE fa.ticket_id = t.id)" \
	" THEN " XSTR(TICKET_PANEL_FILES) " ELSE 0 END)"
#define TICKET_STAFF_COLS(X) TICKET_COLS_(X, "''", "''", "''", "''", "''", \
	"coalesce(t.resolution_code_id, 0)", "''", TICKET_PANELS)
/* The portal's role may not read staff, queues or teams: names stay empty
 * (nor the panels' tables: every panel bit set). Its workers keep no
 * lists: the category and the type's label are joined. */
#define TICKET_CUSTOMER_COLS(X) TICKET_COLS_(X, \
	"coalesce(pcat.name || ' › ', '') || coalesce(cat.name, '')", "''", "''", "''", "''", "0", \
	"coalesce(ty.label, t.type)", "15")
enum { DB_COL_ENUM(TICKET_STAFF_COLS) };
#define TICKET_FROM \
	" FROM tickets t JOIN customers c ON c.id = t.customer_id" \
	" LEFT JOIN portal_users u ON u.id = t.requester_id" \
	" LEFT JOIN products p ON p.id = t.product_id" \
	" LEFT JOIN customer_sites si ON si.id = t.site_id"

#define FILE_COLS(X) \
	X(FL, id, "a.id") X(FL, comment_id, "coalesce(a.comment_id, 0)") \
	X(FL, filename, "a.filename") X(FL, content_type, "a.content_type") X(FL, size, "a.size")
enum { DB_COL_ENUM(FILE_COLS) };

#define COMMENT_COLS_(X, author_) \
	X(CM, id, "m.id") X(CM, kind, "m.kind") X(CM, author, author_) \
	X(CM, by_staff, "m.author_staff_id IS NOT NULL") X(CM, body, "m.body") \
	X(CM, created_at, TICKET_TS("m.created_at")) X(CM, minutes_spent, "m.minutes_spent")
#define COMMENT_STAFF_COLS(X) COMMENT_COLS_(X, "coalesce(s.name, u.name, 'System')")
#define COMMENT_CUSTOMER_COLS(X) COMMENT_COLS_(X, "CASE WHEN m.author_staff_id IS NOT NULL" \
	" THEN 'Support team' ELSE coalesce(u.name, 'System') END")
enum { DB_COL_ENUM(COMMENT_STAFF_COLS) };

#define EVENT_COLS(X) \
	X(EV, actor, "CASE e.actor_kind WHEN 'system' THEN 'system'" \
	    " WHEN 'api' THEN coalesce(s.name, '?') || ' (API)'" \
	    " WHEN 'staff' THEN coalesce(s.name, 'staff') ELSE coalesce(u.name, 'customer') END") \
	X(EV, field, "e.field") X(EV, old_value, "coalesce(e.old_value, '')") \
	X(EV, new_value, "coalesce(e.new_value, '')") X(EV, created_at, TICKET_TS("e.created_at")) \
	X(EV, id, "e.id")
enum { DB_COL_ENUM(EVENT_COLS) };

#define ROW_COLS(X) \
	X(RW, id, "t.id") X(RW, number, "t.number") X(RW, subject, "t.subject") \
	X(RW, priority, "t.priority") X(RW, status, "t.status") \
	X(RW, updated_at, TICKET_TS("t.updated_at"))
enum { DB_COL_ENUM(ROW_COLS) };

enum stmt {
	ST_GET_STAFF,
	ST_GET_CUSTOMER,
	ST_VISIBLE,
	ST_COMMENTS_STAFF,
	ST_COMMENTS_STAFF_NUMBER,
	ST_COMMENTS_CUSTOMER,
	ST_FILES,
	ST_EVENTS,
	ST_EVENTS_NUMBER,
	ST_LIST,
	ST_CATEGORIES,
	ST_PRODUCTS,
	ST__MAX
};

static struct db_stmt stmts[] = {
	/* Seven joins fewer than the customer's (queue, team, assignee,
	 * resolution code, category and its parent, type): each cost the
	 * statement its start-up, ~75 µs of backend CPU in all. */
	[ST_GET_STAFF] = DB_STMT("ticket_get_staff",
	    "SELECT " DB_COLS(TICKET_STAFF_COLS) TICKET_FROM " WHERE t.number = $1", 1),
	[ST_GET_CUSTOMER] = DB_STMT("ticket_get_customer",
	    "SELECT " DB_COLS(TICKET_CUSTOMER_COLS) TICKET_FROM
	    " LEFT JOIN categories cat ON cat.id = t.category_id"
	    " LEFT JOIN categories pcat ON pcat.id = cat.parent_id"
	    " LEFT JOIN ticket_types ty ON ty.code = t.type"
	    " WHERE t.number = $1 AND" TICKET_SCOPE("false", "$2", "$3", "$4"), 4),
	[ST_VISIBLE] = DB_STMT("ticket_visible",
	    "SELECT 1 FROM tickets t WHERE t.id = $1 AND" TICKET_SCOPE("$2", "$3", "$4", "$5"), 5),
#define COMMENTS_STAFF_SQL(ticket) \
	    "SELECT " DB_COLS(COMMENT_STAFF_COLS) \
	    " FROM ticket_comments m LEFT JOIN staff s ON s.id = m.author_staff_id" \
	    " LEFT JOIN portal_users u ON u.id = m.author_user_id" \
	    " WHERE m.ticket_id = " ticket " ORDER BY m.id"
	[ST_COMMENTS_STAFF] = DB_STMT("ticket_comments_staff", COMMENTS_STAFF_SQL("$1"), 1),
	/* The same for the ticket numbered $1 (ticket_thread_send_number). */
	[ST_COMMENTS_STAFF_NUMBER] = DB_STMT("ticket_comments_staff_number",
	    COMMENTS_STAFF_SQL(TICKET_ID_OF("$1")), 1),
	[ST_COMMENTS_CUSTOMER] = DB_STMT("ticket_comments_customer",
	    "SELECT " DB_COLS(COMMENT_CUSTOMER_COLS)
	    " FROM ticket_comments m LEFT JOIN portal_users u ON u.id = m.author_user_id"
	    " WHERE m.ticket_id = $1 AND m.kind <> 'internal' ORDER BY m.id", 1),
	[ST_FILES] = DB_STMT("ticket_files",
	    "SELECT " DB_COLS(FILE_COLS) " FROM ticket_attachments a"
	    " LEFT JOIN ticket_comments m ON m.id = a.comment_id"
	    " WHERE a.ticket_id = $1 AND ($2 OR m.kind IS NULL OR m.kind <> 'internal')"
	    " ORDER BY a.id", 2),
#define EVENTS_SQL(ticket) \
	    "SELECT " DB_COLS(EVENT_COLS) " FROM ticket_events e" \
	    " LEFT JOIN staff s ON e.actor_kind IN ('staff', 'api') AND s.id = e.actor_id" \
	    " LEFT JOIN portal_users u ON e.actor_kind = 'customer' AND u.id = e.actor_id" \
	    " WHERE e.ticket_id = " ticket " ORDER BY e.id"
	[ST_EVENTS] = DB_STMT("ticket_events", EVENTS_SQL("$1"), 1),
	[ST_EVENTS_NUMBER] = DB_STMT("ticket_events_number", EVENTS_SQL(TICKET_ID_OF("$1")), 1),
	[ST_LIST] = DB_STMT("ticket_list_customer",
	    "SELECT " DB_COLS(ROW_COLS) " FROM tickets t"
	    " WHERE t.customer_id = $1 AND ($2 OR t.requester_id = $3)"
	    " AND ($4::text IS NULL OR t.status = $4 OR ($4 = 'open' AND ticket_is_open(t.status)))"
	    " AND ($5::bigint = 0 OR (t.updated_at, t.id) <"
	    " (SELECT o.updated_at, o.id FROM tickets o WHERE o.id = $5))"
	    " ORDER BY t.updated_at DESC, t.id DESC LIMIT $6", 6),
	/* db_options: the id and the name, first. */
	[ST_CATEGORIES] = DB_STMT("ticket_categories",
	    "SELECT id, name FROM categories WHERE active ORDER BY position, name", 0),
	[ST_PRODUCTS] = DB_STMT("ticket_products",
	    "SELECT id, name FROM products WHERE active ORDER BY name", 0),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static enum cs_result
fill_ticket(struct arena *a, const PGresult *r, int row, void *elem)
{
	struct ticket *t = elem;
	int failed = 0;

#define S(col) db_str(a, r, row, TK_##col, &failed)
#define L(col) db_ll(r, row, TK_##col)
	t->id = L(id);
	t->number = S(number);
	t->customer_id = L(customer_id);
	t->customer_name = S(customer_name);
	t->customer_tier = S(customer_tier);
	t->requester_id = L(requester_id);
	t->requester_name = S(requester_name);
	t->requester_email = S(requester_email);
	t->channel = S(channel);
	t->type = S(type);
	t->subject = S(subject);
	t->description = S(description);
	t->urgency = S(urgency);
	t->priority = S(priority);
	t->status = ticket_status_parse(PQgetvalue(r, row, TK_status));
	t->category = S(category);
	t->product = S(product);
	t->serial = S(serial);
	t->queue_id = L(queue_id);
	t->team_id = L(team_id);
	t->assignee_id = L(assignee_id);
	t->queue = S(queue);
	t->team = S(team);
	t->assignee = S(assignee);
	t->tags = S(tags);
	t->created_at = S(created_at);
	t->updated_at = S(updated_at);
	t->first_response_at = S(first_response_at);
	t->resolved_at = S(resolved_at);
	t->closed_at = S(closed_at);
	t->resolution_code = S(resolution_code);
	t->resolution_code_id = L(resolution_code_id);
	t->root_cause = S(root_cause);
	t->rating = (int)L(rating);
	t->rating_comment = S(rating_comment);
	t->reopen_count = (int)L(reopen_count);
	t->version = (int)L(version);
	t->minutes_spent = (int)L(minutes_spent);
	t->category_id = L(category_id);
	t->product_id = L(product_id);
	t->type_label = S(type_label);
	t->site = S(site);
	t->site_id = L(site_id);
	t->panels = (unsigned)L(panels);
#undef S
#undef L
	return failed ? CS_FAILED : CS_OK;
}

/* ticket_get's parameters, in a: the number, and the customer's scope. */
static const char **
get_params(struct arena *a, const struct ticket_actor_ref *by, const char *number)
{
	const char **p = arena_alloc(a, 4 * sizeof(*p));
	struct tnum *n = arena_alloc(a, 2 * sizeof(*n));

	if (p == NULL || n == NULL)
		return NULL;
	p[0] = number;
	if (!ticket_is_staff(by)) {
		const char *sp[4];

		ticket_scope_params(by, n, sp);
		p[1] = sp[1];
		p[2] = sp[2];
		p[3] = sp[3];
	}
	return p;
}

/* The one ticket of rows (count of them) into t, named for staff from
 * the kept lists; CS_NOT_FOUND for none. */
static enum cs_result
one_ticket(struct db *db, struct arena *a, const struct ticket_actor_ref *by, void *rows,
    size_t count, struct ticket *t)
{
	if (count != 1)
		return CS_NOT_FOUND;
	*t = ((struct ticket *)rows)[0];
	return ticket_is_staff(by) ? ticket_choices_name_ticket(db, a, t) : CS_OK;
}

enum cs_result
ticket_get(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    const char *number, struct ticket *t)
{
	const char **p = get_params(a, by, number);
	size_t count;
	void *rows;
	enum cs_result rc;

	memset(t, 0, sizeof(*t));
	if (p == NULL)
		return CS_FAILED;
	rc = db_rows(db, a, &stmts[ticket_is_staff(by) ? ST_GET_STAFF : ST_GET_CUSTOMER], p,
	    sizeof(*t), fill_ticket, &rows, &count);
	return rc != CS_OK ? rc : one_ticket(db, a, by, rows, count, t);
}

int
ticket_get_send(struct db_pipe *pipe, struct arena *a, const struct ticket_actor_ref *by,
    const char *number)
{
	const char **p = get_params(a, by, number);

	return p == NULL ? -1 :
	    db_pipe_add(pipe, &stmts[ticket_is_staff(by) ? ST_GET_STAFF : ST_GET_CUSTOMER], p);
}

enum cs_result
ticket_get_take(struct db_pipe *pipe, int slot, struct db *db, struct arena *a,
    const struct ticket_actor_ref *by, struct ticket *t)
{
	size_t count;
	void *rows;
	enum cs_result rc;

	memset(t, 0, sizeof(*t));
	rc = db_pipe_rows(pipe, slot, a, sizeof(*t), fill_ticket, &rows, &count);
	return rc != CS_OK ? rc : one_ticket(db, a, by, rows, count, t);
}

/*
 * CS_OK when by may see ticket_id, CS_NOT_FOUND, or the failure. Staff see
 * every ticket: asking costs a round trip per read (three on a ticket
 * page), and the reads that follow find nothing for a ticket that does
 * not exist.
 */
static enum cs_result
visible(struct db *db, const struct ticket_actor_ref *by, long long ticket_id)
{
	struct tnum n[3];
	const char *p[5];
	PGresult *r;
	int found;

	if (ticket_is_staff(by))
		return CS_OK;
	p[0] = tnum(&n[2], ticket_id);
	ticket_scope_params(by, n, p + 1);
	if ((r = db_exec(db, &stmts[ST_VISIBLE], p)) == NULL)
		return db_result(db);
	found = PQntuples(r) == 1;
	PQclear(r);
	return found ? CS_OK : CS_NOT_FOUND;
}

/* An attachment with the comment it belongs to (0: the ticket's own). */
struct owned_file {
	struct ticket_attachment_ref f;
	long long comment_id;
};

static enum cs_result
fill_file(struct arena *a, const PGresult *r, int row, void *elem)
{
	struct owned_file *o = elem;
	int failed = 0;

	o->f.id = db_ll(r, row, FL_id);
	o->comment_id = db_ll(r, row, FL_comment_id);
	o->f.filename = db_str(a, r, row, FL_filename, &failed);
	o->f.content_type = db_str(a, r, row, FL_content_type, &failed);
	o->f.size = db_ll(r, row, FL_size);
	return failed ? CS_FAILED : CS_OK;
}

/* Every attachment of a ticket by is allowed to see. */
static enum cs_result
all_files(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, struct owned_file **out, size_t *n)
{
	struct tnum t;
	const char *p[] = { tnum(&t, ticket_id), ticket_is_staff(by) ? "t" : "f" };
	void *rows;
	enum cs_result rc;

	rc = db_rows(db, a, &stmts[ST_FILES], p, sizeof(**out), fill_file, &rows, n);
	*out = rows;
	return rc;
}

/* The files of comment_id among files[0..n), into an arena array. CS_OK or CS_FAILED. */
static enum cs_result
files_of(struct arena *a, const struct owned_file *files, size_t n, long long comment_id,
    struct ticket_attachment_ref **out, size_t *count)
{
	size_t i, k = 0;

	*out = NULL;
	*count = 0;
	for (i = 0; i < n; i++)
		k += files[i].comment_id == comment_id;
	if (k == 0)
		return CS_OK;
	if ((*out = arena_calloc(a, k, sizeof(**out))) == NULL)
		return CS_FAILED;
	for (i = 0; i < n; i++)
		if (files[i].comment_id == comment_id)
			(*out)[(*count)++] = files[i].f;
	return CS_OK;
}

static enum cs_result
fill_comment(struct arena *a, const PGresult *r, int row, void *elem)
{
	struct ticket_comment *c = elem;
	int failed = 0;

	c->id = db_ll(r, row, CM_id);
	c->kind = db_str(a, r, row, CM_kind, &failed);
	c->author = db_str(a, r, row, CM_author, &failed);
	c->by_staff = db_bool(r, row, CM_by_staff);
	c->body = db_str(a, r, row, CM_body, &failed);
	c->created_at = db_str(a, r, row, CM_created_at, &failed);
	c->minutes_spent = (int)db_ll(r, row, CM_minutes_spent);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
ticket_comments(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, struct ticket_comment **out, size_t *n)
{
	struct owned_file *files;
	size_t nfiles, i;
	struct tnum t;
	const char *p[] = { tnum(&t, ticket_id) };
	void *rows;
	enum cs_result rc;

	*out = NULL;
	*n = 0;
	if ((rc = visible(db, by, ticket_id)) != CS_OK ||
	    (rc = all_files(db, a, by, ticket_id, &files, &nfiles)) != CS_OK)
		return rc;
	rc = db_rows(db, a, &stmts[ticket_is_staff(by) ? ST_COMMENTS_STAFF : ST_COMMENTS_CUSTOMER],
	    p, sizeof(**out), fill_comment, &rows, n);
	if (rc != CS_OK)
		return rc;
	*out = rows;
	for (i = 0; i < *n; i++)
		if (files_of(a, files, nfiles, (*out)[i].id, &(*out)[i].files,
		    &(*out)[i].nfiles) != CS_OK)
			return CS_FAILED;
	return CS_OK;
}

enum cs_result
ticket_files(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, struct ticket_attachment_ref **out, size_t *n)
{
	struct owned_file *files;
	size_t nfiles;
	enum cs_result rc;

	*out = NULL;
	*n = 0;
	if ((rc = visible(db, by, ticket_id)) != CS_OK ||
	    (rc = all_files(db, a, by, ticket_id, &files, &nfiles)) != CS_OK)
		return rc;
	return files_of(a, files, nfiles, 0, out, n);
}

static enum cs_result
fill_event(struct arena *a, const PGresult *r, int row, void *elem)
{
	struct ticket_event *e = elem;
	int failed = 0;

	e->actor = db_str(a, r, row, EV_actor, &failed);
	e->field = db_str(a, r, row, EV_field, &failed);
	e->old_value = db_str(a, r, row, EV_old_value, &failed);
	e->new_value = db_str(a, r, row, EV_new_value, &failed);
	e->created_at = db_str(a, r, row, EV_created_at, &failed);
	e->id = db_ll(r, row, EV_id);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
ticket_events(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, struct ticket_event **out, size_t *n)
{
	struct tnum t;
	const char *p[] = { tnum(&t, ticket_id) };
	void *rows;
	enum cs_result rc;

	*out = NULL;
	*n = 0;
	if (!ticket_is_staff(by))
		return CS_NOT_FOUND;
	rc = db_rows(db, a, &stmts[ST_EVENTS], p, sizeof(**out), fill_event, &rows, n);
	*out = rows;
	return rc;
}

int
ticket_thread_send(struct db_pipe *pipe, struct arena *a, int staff, const struct ticket *t,
    int slot[TICKET_THREAD_SLOTS])
{
	const char **p = arena_calloc(a, 2, sizeof(*p));
	int k;

	if (p == NULL || (p[0] = db_param_ll(a, t->id)) == NULL)
		return -1;
	p[1] = staff ? "t" : "f";	/* only staff see internal notes' files */
	slot[0] = db_pipe_add(pipe, &stmts[staff ? ST_COMMENTS_STAFF : ST_COMMENTS_CUSTOMER], p);
	/* No file on the ticket: no statement for them. */
	slot[1] = (t->panels & TICKET_PANEL_FILES) ? db_pipe_add(pipe, &stmts[ST_FILES], p) :
	    TICKET_SLOT_NONE;
	slot[2] = staff ? db_pipe_add(pipe, &stmts[ST_EVENTS], p) : TICKET_SLOT_NONE;
	for (k = 0; k < TICKET_THREAD_SLOTS; k++)
		if (slot[k] == -1)
			return -1;
	return 0;
}

int
ticket_thread_send_number(struct db_pipe *pipe, struct arena *a, const char *number,
    int slot[TICKET_THREAD_SLOTS])
{
	const char **p = arena_alloc(a, sizeof(*p));

	if (p == NULL)
		return -1;
	p[0] = number;
	slot[0] = db_pipe_add(pipe, &stmts[ST_COMMENTS_STAFF_NUMBER], p);
	slot[1] = TICKET_SLOT_NONE;
	slot[2] = db_pipe_add(pipe, &stmts[ST_EVENTS_NUMBER], p);
	return slot[0] < 0 || slot[2] < 0 ? -1 : 0;
}

int
ticket_thread_files_send(struct db_pipe *pipe, struct arena *a, const struct ticket *t)
{
	const char **p = arena_calloc(a, 2, sizeof(*p));

	if (p == NULL || (p[0] = db_param_ll(a, t->id)) == NULL)
		return -1;
	p[1] = "t";
	return db_pipe_add(pipe, &stmts[ST_FILES], p);
}

enum cs_result
ticket_thread_take(struct db_pipe *pipe, struct arena *a, const int slot[TICKET_THREAD_SLOTS],
    struct ticket_sheet *s)
{
	return ticket_thread_take_files(pipe, a, slot, pipe, slot[1], s);
}

enum cs_result
ticket_thread_take_files(struct db_pipe *pipe, struct arena *a,
    const int slot[TICKET_THREAD_SLOTS], struct db_pipe *files_pipe, int files_slot,
    struct ticket_sheet *s)
{
	struct owned_file *files;
	size_t nfiles, i;
	void *rows;

	rows = NULL;
	nfiles = 0;
	if (files_slot != TICKET_SLOT_NONE && db_pipe_rows(files_pipe, files_slot, a,
	    sizeof(*files), fill_file, &rows, &nfiles) != CS_OK)
		return CS_FAILED;
	files = rows;
	if (db_pipe_rows(pipe, slot[0], a, sizeof(*s->comments), fill_comment, &rows,
	    &s->ncomments) != CS_OK)
		return CS_FAILED;
	s->comments = rows;
	for (i = 0; i < s->ncomments; i++)
		if (files_of(a, files, nfiles, s->comments[i].id, &s->comments[i].files,
		    &s->comments[i].nfiles) != CS_OK)
			return CS_FAILED;
	if (files_of(a, files, nfiles, 0, &s->files, &s->nfiles) != CS_OK)
		return CS_FAILED;
	if (slot[2] == TICKET_SLOT_NONE)
		return CS_OK;	/* a customer's: no history */
	if (db_pipe_rows(pipe, slot[2], a, sizeof(*s->events), fill_event, &rows,
	    &s->nevents) != CS_OK)
		return CS_FAILED;
	s->events = rows;
	return CS_OK;
}

static enum cs_result
fill_row(struct arena *a, const PGresult *r, int row, void *elem)
{
	struct ticket_row *w = elem;
	enum ticket_status s = ticket_status_parse(PQgetvalue(r, row, RW_status));
	int failed = 0;

	w->id = db_ll(r, row, RW_id);
	w->number = db_str(a, r, row, RW_number, &failed);
	w->subject = db_str(a, r, row, RW_subject, &failed);
	w->priority = db_str(a, r, row, RW_priority, &failed);
	w->status_name = ticket_status_name(s);
	w->status_label = ticket_status_label(s, 1);
	w->updated_at = db_str(a, r, row, RW_updated_at, &failed);
	w->assignee = "";
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
ticket_list_for_customer(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    const struct ticket_page *pg, struct ticket_row **rows, size_t *n, long long *next_before)
{
	struct tnum c, u, b, l;
	int limit = pg->limit <= 0 || pg->limit > 100 ? 25 : pg->limit, more;
	const char *status = pg->status != NULL && pg->status[0] != '\0' ? pg->status : NULL;
	const char *p[] = { tnum(&c, by->customer_id), by->account_admin ? "t" : "f",
		tnum(&u, by->id), status, tnum(&b, pg->before_id > 0 ? pg->before_id : 0),
		tnum(&l, limit + 1) };
	void *out;
	enum cs_result rc;

	*rows = NULL;
	*n = 0;
	*next_before = 0;
	if (by->kind != TA_CUSTOMER)
		return CS_NOT_FOUND;
	rc = db_page(db, a, &stmts[ST_LIST], p, limit, sizeof(**rows), fill_row, &out, n, &more);
	*rows = out;
	if (rc == CS_OK && more && *n > 0)
		*next_before = (*rows)[*n - 1].id;
	return rc;
}

enum cs_result
ticket_categories(struct db *db, struct arena *a, struct db_option **out, size_t *n)
{
	return db_options(db, a, &stmts[ST_CATEGORIES], NULL, out, n);
}

enum cs_result
ticket_products(struct db *db, struct arena *a, struct db_option **out, size_t *n)
{
	return db_options(db, a, &stmts[ST_PRODUCTS], NULL, out, n);
}
