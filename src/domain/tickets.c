/* tickets.c — see tickets.h. */
#include "domain/tickets.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/notify.h"
#include "domain/ticket_notify.h"
#include "tmpl/tval.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/*
 * Scope of a read or a lock, as four parameters: is staff, the customer,
 * whether the customer sees the whole account, the requester. Staff see
 * every ticket; customers their account's (account admins) or their own.
 * Row-level security says the same for the portal's role: this is the
 * second lock on the door, and the one that holds for requester_id.
 */
#define SCOPE(a, b, c, d) \
	" (" a " OR (t.customer_id = " b " AND (" c " OR t.requester_id = " d ")))"

/* Times as pages show them (UTC). */
#define TS(x) "coalesce(to_char(" x " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), '')"

/* The columns of struct ticket, in fill_ticket's order; 5 differ by reader. */
#define TICKET_COLS(queue, team, assignee, rcode) \
	"t.id, t.number, t.customer_id, c.name, c.tier, coalesce(t.requester_id, 0)," \
	" coalesce(u.name, ''), coalesce(u.email, ''), t.channel, t.type, t.subject," \
	" t.description, t.urgency, t.priority, t.status, coalesce(cat.name, '')," \
	" coalesce(p.name, ''), coalesce(t.serial, ''), coalesce(t.queue_id, 0)," \
	" coalesce(t.team_id, 0), coalesce(t.assignee_id, 0), " queue ", " team ", " \
	assignee ", array_to_string(t.tags, ','), " TS("t.created_at") ", " \
	TS("t.updated_at") ", " TS("t.first_response_at") ", " TS("t.resolved_at") ", " \
	TS("t.closed_at") ", " rcode ", coalesce(t.root_cause, ''), coalesce(t.rating, 0)," \
	" coalesce(t.rating_comment, ''), t.reopen_count, t.version," \
	" (SELECT coalesce(sum(m.minutes_spent), 0) FROM ticket_comments m" \
	" WHERE m.ticket_id = t.id), coalesce(t.category_id, 0), coalesce(t.product_id, 0)" \
	" FROM tickets t JOIN customers c ON c.id = t.customer_id" \
	" LEFT JOIN portal_users u ON u.id = t.requester_id" \
	" LEFT JOIN categories cat ON cat.id = t.category_id" \
	" LEFT JOIN products p ON p.id = t.product_id"

static struct db_stmt st_check_refs = DB_STMT("ticket_check_refs",
    "SELECT ($1::bigint IS NULL OR EXISTS (SELECT 1 FROM categories WHERE id = $1 AND active)),"
    " ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM products WHERE id = $2 AND active))", 2);
static struct db_stmt st_insert = DB_STMT("ticket_insert",
    "INSERT INTO tickets (customer_id, requester_id, channel, type, category_id, product_id,"
    " serial, subject, description, urgency, priority, language)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,"
    " coalesce($12, (SELECT language FROM customers WHERE id = $1), 'en'))"
    " RETURNING id, number", 12);
static struct db_stmt st_attach = DB_STMT("ticket_attach",
    "INSERT INTO ticket_attachments (ticket_id, comment_id, filename, content_type, size,"
    " sha256, data) VALUES ($1, $2, $3, $4, $5, $6, $7)", 7);
static struct db_stmt st_route = DB_STMT("ticket_route", "SELECT ticket_route($1)", 1);
static struct db_stmt st_assign = DB_STMT("ticket_auto_assign",
    "SELECT ticket_auto_assign($1)", 1);
/* SLA (009): the clock starts once routing has settled the priority. */
static struct db_stmt st_sla_start = DB_STMT("ticket_sla_start",
    "SELECT sla_ticket_start($1)", 1);
static struct db_stmt st_event = DB_STMT("ticket_event",
    "INSERT INTO ticket_events (ticket_id, actor_kind, actor_id, field, old_value, new_value)"
    " VALUES ($1, $2, $3, $4, $5, $6)", 6);
static struct db_stmt st_get_staff = DB_STMT("ticket_get_staff",
    "SELECT " TICKET_COLS("coalesce(q.name, '')", "coalesce(tm.name, '')",
    "coalesce(s.name, '')", "coalesce(rc.code, '')")
    " LEFT JOIN queues q ON q.id = t.queue_id LEFT JOIN teams tm ON tm.id = t.team_id"
    " LEFT JOIN staff s ON s.id = t.assignee_id"
    " LEFT JOIN resolution_codes rc ON rc.id = t.resolution_code_id"
    " WHERE t.number = $1", 1);
/* The portal's role may not read staff, queues or teams: names stay empty. */
static struct db_stmt st_get_customer = DB_STMT("ticket_get_customer",
    "SELECT " TICKET_COLS("''", "''", "''", "''")
    " WHERE t.number = $1 AND" SCOPE("false", "$2", "$3", "$4"), 4);
static struct db_stmt st_lock = DB_STMT("ticket_lock",
    "SELECT t.status, t.version, t.first_response_at IS NULL, t.number"
    " FROM tickets t WHERE t.id = $1 AND" SCOPE("$2", "$3", "$4", "$5") " FOR UPDATE", 5);
static struct db_stmt st_visible = DB_STMT("ticket_visible",
    "SELECT 1 FROM tickets t WHERE t.id = $1 AND" SCOPE("$2", "$3", "$4", "$5"), 5);
static struct db_stmt st_comments_staff = DB_STMT("ticket_comments_staff",
    "SELECT m.id, m.kind, coalesce(s.name, u.name, 'System'), m.author_staff_id IS NOT NULL,"
    " m.body, " TS("m.created_at") ", m.minutes_spent"
    " FROM ticket_comments m LEFT JOIN staff s ON s.id = m.author_staff_id"
    " LEFT JOIN portal_users u ON u.id = m.author_user_id"
    " WHERE m.ticket_id = $1 ORDER BY m.id", 1);
static struct db_stmt st_comments_customer = DB_STMT("ticket_comments_customer",
    "SELECT m.id, m.kind, CASE WHEN m.author_staff_id IS NOT NULL THEN 'Support team'"
    " ELSE coalesce(u.name, 'System') END, m.author_staff_id IS NOT NULL,"
    " m.body, " TS("m.created_at") ", m.minutes_spent"
    " FROM ticket_comments m LEFT JOIN portal_users u ON u.id = m.author_user_id"
    " WHERE m.ticket_id = $1 AND m.kind <> 'internal' ORDER BY m.id", 1);
static struct db_stmt st_files = DB_STMT("ticket_files",
    "SELECT a.id, coalesce(a.comment_id, 0), a.filename, a.content_type, a.size"
    " FROM ticket_attachments a LEFT JOIN ticket_comments m ON m.id = a.comment_id"
    " WHERE a.ticket_id = $1 AND ($2 OR m.kind IS NULL OR m.kind <> 'internal')"
    " ORDER BY a.id", 2);
static struct db_stmt st_events = DB_STMT("ticket_events",
    "SELECT CASE e.actor_kind WHEN 'system' THEN 'system'"
    " WHEN 'api' THEN coalesce(s.name, '?') || ' (API)'"
    " WHEN 'staff' THEN coalesce(s.name, 'staff') ELSE coalesce(u.name, 'customer') END,"
    " e.field, coalesce(e.old_value, ''), coalesce(e.new_value, ''), " TS("e.created_at") ","
    " e.id FROM ticket_events e"
    " LEFT JOIN staff s ON e.actor_kind IN ('staff', 'api') AND s.id = e.actor_id"
    " LEFT JOIN portal_users u ON e.actor_kind = 'customer' AND u.id = e.actor_id"
    " WHERE e.ticket_id = $1 ORDER BY e.id", 1);
static struct db_stmt st_comment_insert = DB_STMT("ticket_comment_insert",
    "INSERT INTO ticket_comments (ticket_id, kind, author_staff_id, author_user_id, body,"
    " minutes_spent) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id", 6);
static struct db_stmt st_touch_staff = DB_STMT("ticket_touch_staff",
    "UPDATE tickets SET version = version + 1, updated_at = now(),"
    " first_response_at = CASE WHEN $2 THEN coalesce(first_response_at, now())"
    " ELSE first_response_at END WHERE id = $1", 2);
static struct db_stmt st_touch_customer = DB_STMT("ticket_touch_customer",
    "UPDATE tickets SET version = version + 1, updated_at = now(),"
    " status = coalesce($2, status) WHERE id = $1", 2);
static struct db_stmt st_code = DB_STMT("ticket_resolution_code",
    "SELECT id FROM resolution_codes WHERE code = $1 AND active", 1);
#define STATUS_SET \
	"UPDATE tickets SET status = $2, version = version + 1, updated_at = now()," \
	" resolved_at = CASE WHEN $2 = 'resolved' THEN now() WHEN $2 = 'reopened' THEN NULL" \
	" ELSE resolved_at END," \
	" closed_at = CASE WHEN $2 = 'closed' THEN now() WHEN $2 = 'reopened' THEN NULL" \
	" ELSE closed_at END," \
	" reopen_count = reopen_count + CASE WHEN $2 = 'reopened' THEN 1 ELSE 0 END," \
	" rating = coalesce($3::smallint, rating), rating_comment = coalesce($4, rating_comment)"
static struct db_stmt st_status_staff = DB_STMT("ticket_status_staff",
    STATUS_SET ", resolution_code_id = coalesce($5::bigint, resolution_code_id),"
    " root_cause = coalesce($6, root_cause) WHERE id = $1", 6);
/* The portal's role may not write resolution codes or root causes. */
static struct db_stmt st_status_customer = DB_STMT("ticket_status_customer",
    STATUS_SET " WHERE id = $1", 4);
static struct db_stmt st_download = DB_STMT("ticket_download",
    "SELECT a.filename, a.content_type, a.data FROM ticket_attachments a"
    " JOIN tickets t ON t.id = a.ticket_id"
    " LEFT JOIN ticket_comments m ON m.id = a.comment_id"
    " WHERE t.number = $1 AND a.id = $2 AND" SCOPE("$3", "$4", "$5", "$6")
    " AND ($3 OR m.kind IS NULL OR m.kind <> 'internal')", 6);
static struct db_stmt st_list = DB_STMT("ticket_list_customer",
    "SELECT t.id, t.number, t.subject, t.priority, t.status, " TS("t.updated_at")
    " FROM tickets t WHERE t.customer_id = $1 AND ($2 OR t.requester_id = $3)"
    " AND ($4::text IS NULL OR t.status = $4 OR ($4 = 'open' AND ticket_is_open(t.status)))"
    " AND ($5::bigint = 0 OR (t.updated_at, t.id) <"
    " (SELECT o.updated_at, o.id FROM tickets o WHERE o.id = $5))"
    " ORDER BY t.updated_at DESC, t.id DESC LIMIT $6", 6);
static struct db_stmt st_requester = DB_STMT("ticket_requester",
    "SELECT u.name, u.email, t.number, t.subject FROM tickets t"
    " JOIN portal_users u ON u.id = t.requester_id WHERE t.id = $1 AND u.active", 1);

/* Text of a number, for parameters. */
struct num {
	char s[24];
};

static const char *
num(struct num *n, long long v)
{
	snprintf(n->s, sizeof(n->s), "%lld", v);
	return n->s;
}

/* The number, or NULL (SQL NULL) for 0. */
static const char *
num_or_null(struct num *n, long long v)
{
	return v == 0 ? NULL : num(n, v);
}

static int
is_staff(const struct ticket_actor_ref *by)
{
	return by->kind != TA_CUSTOMER;
}

static const char *
actor_kind(const struct ticket_actor_ref *by)
{
	if (by->kind == TA_CUSTOMER)
		return "customer";
	if (by->kind == TA_SYSTEM)
		return "system";
	return by->api ? "api" : "staff";
}

/* Fills p[0..3] with the scope of by (see SCOPE). */
static void
scope_params(const struct ticket_actor_ref *by, struct num n[2], const char **p)
{
	p[0] = is_staff(by) ? "t" : "f";
	p[1] = num(&n[0], by->customer_id);
	p[2] = by->account_admin ? "t" : "f";
	p[3] = num(&n[1], by->id);
}

static int
event(struct db *db, const struct ticket_actor_ref *by, long long ticket_id, const char *field,
    const char *old_value, const char *new_value)
{
	struct num t, a;
	const char *p[] = { num(&t, ticket_id), actor_kind(by),
		by->kind == TA_SYSTEM ? NULL : num_or_null(&a, by->id), field, old_value,
		new_value };

	return db_run(db, &st_event, p);
}

/* Runs st (one row, one number column): the number, 0 for NULL or none, -1 on error. */
static long long
scalar(struct db *db, struct db_stmt *st, const char *const *p)
{
	PGresult *r = db_exec(db, st, p);
	long long v = 0;

	if (r == NULL)
		return -1;
	if (PQntuples(r) == 1 && !PQgetisnull(r, 0, 0))
		v = db_ll(r, 0, 0);
	PQclear(r);
	return v;
}

/* Allowed attachments: by the name's extension, with the type we store. */
static const struct {
	const char *ext;
	const char *type;
} file_types[] = {
	{ "png", "image/png" }, { "jpg", "image/jpeg" }, { "jpeg", "image/jpeg" },
	{ "gif", "image/gif" }, { "webp", "image/webp" }, { "heic", "image/heic" },
	{ "pdf", "application/pdf" }, { "txt", "text/plain" }, { "log", "text/plain" },
	{ "csv", "text/csv" }, { "zip", "application/zip" },
	{ "doc", "application/msword" },
	{ "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
	{ "xls", "application/vnd.ms-excel" },
	{ "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
	{ "ppt", "application/vnd.ms-powerpoint" },
	{ "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation" },
	{ "odt", "application/vnd.oasis.opendocument.text" },
	{ "ods", "application/vnd.oasis.opendocument.spreadsheet" },
	{ "odp", "application/vnd.oasis.opendocument.presentation" },
};

const char *
ticket_file_type(const char *filename)
{
	const char *dot = filename != NULL ? strrchr(filename, '.') : NULL;
	size_t i;

	if (dot == NULL || dot == filename)
		return NULL;
	for (i = 0; i < sizeof(file_types) / sizeof(file_types[0]); i++)
		if (strcasecmp(dot + 1, file_types[i].ext) == 0)
			return file_types[i].type;
	return NULL;
}

const char *
ticket_download_type(const char *stored)
{
	size_t i;

	for (i = 0; stored != NULL && i < sizeof(file_types) / sizeof(file_types[0]); i++)
		if (strcmp(stored, file_types[i].type) == 0)
			return stored;
	return "application/octet-stream";
}

/* Executables whatever their name says: PE, ELF, Mach-O, scripts. */
static int
looks_executable(const unsigned char *d, size_t n)
{
	static const struct {
		const char *magic;
		size_t len;
	} magics[] = {
		{ "MZ", 2 }, { "\x7f" "ELF", 4 }, { "#!", 2 }, { "\xcf\xfa\xed\xfe", 4 },
		{ "\xce\xfa\xed\xfe", 4 }, { "\xca\xfe\xba\xbe", 4 },
	};
	size_t i;

	for (i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
		if (n >= magics[i].len && memcmp(d, magics[i].magic, magics[i].len) == 0)
			return 1;
	return 0;
}

const char *
ticket_file_refused(const struct ticket_file *f)
{
	size_t n;

	if (f->filename == NULL || f->filename[0] == '\0')
		return "a file has no name";
	n = strlen(f->filename);
	if (n > 255)
		return "a file name is too long";
	if (f->len == 0)
		return "a file is empty";
	if (f->len > TICKET_FILE_MAX)
		return "a file is larger than 10 MB";
	if (ticket_file_type(f->filename) == NULL)
		return "that type of file is not accepted (images, PDF, text, CSV, ZIP and "
		    "office documents are)";
	if (looks_executable(f->data, f->len))
		return "programs are not accepted";
	return NULL;
}

/* Checks files before anything is written. NULL when all may be stored. */
static const char *
files_refused(const struct ticket_file *files, size_t n)
{
	const char *why;
	size_t i;

	if (n > TICKET_FILES_MAX)
		return "at most 10 files at a time";
	for (i = 0; i < n; i++)
		if ((why = ticket_file_refused(&files[i])) != NULL)
			return why;
	return NULL;
}

static int
store_files(struct db *db, const struct ticket_actor_ref *by, long long ticket_id,
    long long comment_id, const struct ticket_file *files, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char sha[crypto_hash_sha256_BYTES];
		struct num t, c, sz;
		const char *p[] = { num(&t, ticket_id), num_or_null(&c, comment_id),
			files[i].filename, ticket_file_type(files[i].filename),
			num(&sz, (long long)files[i].len), (const char *)sha,
			(const char *)files[i].data };
		int len[] = { 0, 0, 0, 0, 0, (int)sizeof(sha), (int)files[i].len };
		int fmt[] = { 0, 0, 0, 0, 0, 1, 1 };
		PGresult *r;

		crypto_hash_sha256(sha, files[i].data, files[i].len);
		r = db_exec_bin(db, &st_attach, p, len, fmt);
		if (r == NULL)
			return -1;
		PQclear(r);
		if (event(db, by, ticket_id, "attachment", NULL, files[i].filename) < 0)
			return -1;
	}
	return 0;
}

static const char *
priority_for(const char *urgency)
{
	if (strcmp(urgency, "low") == 0)
		return "low";
	if (strcmp(urgency, "high") == 0)
		return "high";
	return "medium";
}

static int
refuse(const char **why, const char *text)
{
	if (why != NULL)
		*why = text;
	return TICKET_REFUSED;
}

/* Validation before the database is touched. NULL when t may be created. */
static const char *
new_refused(const struct ticket_new *t)
{
	const char *why;

	if (t->customer_id <= 0)
		return "a ticket needs a customer";
	if (t->subject == NULL || t->subject[strspn(t->subject, " \t\r\n")] == '\0')
		return "Enter a subject.";
	if (strlen(t->subject) > 200)
		return "The subject is longer than 200 characters.";
	if (t->description == NULL || t->description[strspn(t->description, " \t\r\n")] == '\0')
		return "Describe the problem.";
	if (strlen(t->description) > 20000)
		return "The description is longer than 20,000 characters.";
	if (t->serial != NULL && strlen(t->serial) > 100)
		return "The serial number is longer than 100 characters.";
	if (t->channel == NULL || !ticket_word_valid(ticket_channels, t->channel))
		return "Unknown channel.";
	if (t->type != NULL && !ticket_word_valid(ticket_types, t->type))
		return "Unknown ticket type.";
	if (t->urgency != NULL && !ticket_word_valid(ticket_urgencies, t->urgency))
		return "Choose an urgency.";
	if (t->priority != NULL && !ticket_word_valid(ticket_priorities, t->priority))
		return "Unknown priority.";
	if ((why = files_refused(t->files, t->nfiles)) != NULL)
		return why;
	return NULL;
}

int
ticket_create(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    const struct ticket_new *t, const char **number, long long *id, const char **why)
{
	struct num cu, rq, ca, pr;
	const char *urgency = t->urgency != NULL ? t->urgency : "normal";
	const char *refs[] = { num_or_null(&ca, t->category_id), num_or_null(&pr, t->product_id) };
	const char *p[] = { num(&cu, t->customer_id), num_or_null(&rq, t->requester_id),
		t->channel, t->type != NULL ? t->type : "question", refs[0], refs[1],
		t->serial != NULL && t->serial[0] != '\0' ? t->serial : NULL, t->subject,
		t->description, urgency, t->priority != NULL ? t->priority : priority_for(urgency),
		t->language };
	const char *bad;
	PGresult *r;
	struct num tid;
	int failed = 0;

	*id = 0;
	*number = NULL;
	if ((bad = new_refused(t)) != NULL)
		return refuse(why, bad);
	if (by->kind == TA_CUSTOMER && t->customer_id != by->customer_id)
		return TICKET_NOT_FOUND;
	r = db_exec(db, &st_check_refs, refs);
	if (r == NULL)
		return -1;
	if (PQntuples(r) != 1 || !db_bool(r, 0, 0) || !db_bool(r, 0, 1)) {
		int cat = PQntuples(r) == 1 && db_bool(r, 0, 0);

		PQclear(r);
		return refuse(why, cat ? "Choose a product from the list." :
		    "Choose a category from the list.");
	}
	PQclear(r);
	if (db_begin(db) < 0)
		return -1;
	r = db_exec(db, &st_insert, p);
	if (r == NULL)
		goto fail;
	if (PQntuples(r) == 1) {
		*id = db_ll(r, 0, 0);
		*number = db_str(a, r, 0, 1, &failed);
	}
	PQclear(r);
	if (*id == 0 || failed)
		goto fail;
	num(&tid, *id);
	{
		const char *ip[] = { tid.s };

		if (event(db, by, *id, "created", NULL, t->channel) < 0 ||
		    store_files(db, by, *id, 0, t->files, t->nfiles) < 0 ||
		    scalar(db, &st_route, ip) < 0 || scalar(db, &st_assign, ip) < 0 ||
		    scalar(db, &st_sla_start, ip) < 0 ||
		    ticket_notify_assigned(db, a, by, *id) < 0)
			goto fail;
	}
	if (db_commit(db) < 0)
		return -1;
	return 0;
fail:
	db_rollback(db);
	*id = 0;
	*number = NULL;
	return -1;
}

int
ticket_get(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    const char *number, struct ticket *t)
{
	struct num n[2];
	const char *p[5];
	PGresult *r;
	int failed = 0, c = 0;

	memset(t, 0, sizeof(*t));
	p[0] = number;
	if (is_staff(by)) {
		r = db_exec(db, &st_get_staff, p);
	} else {
		const char *sp[4];

		scope_params(by, n, sp);
		p[1] = sp[1];
		p[2] = sp[2];
		p[3] = sp[3];
		r = db_exec(db, &st_get_customer, p);
	}
	if (r == NULL)
		return -1;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return TICKET_NOT_FOUND;
	}
#define S() db_str(a, r, 0, c++, &failed)
#define L() db_ll(r, 0, c++)
	t->id = L();
	t->number = S();
	t->customer_id = L();
	t->customer_name = S();
	t->customer_tier = S();
	t->requester_id = L();
	t->requester_name = S();
	t->requester_email = S();
	t->channel = S();
	t->type = S();
	t->subject = S();
	t->description = S();
	t->urgency = S();
	t->priority = S();
	t->status = ticket_status_parse(PQgetvalue(r, 0, c++));
	t->category = S();
	t->product = S();
	t->serial = S();
	t->queue_id = L();
	t->team_id = L();
	t->assignee_id = L();
	t->queue = S();
	t->team = S();
	t->assignee = S();
	t->tags = S();
	t->created_at = S();
	t->updated_at = S();
	t->first_response_at = S();
	t->resolved_at = S();
	t->closed_at = S();
	t->resolution_code = S();
	t->root_cause = S();
	t->rating = (int)L();
	t->rating_comment = S();
	t->reopen_count = (int)L();
	t->version = (int)L();
	t->minutes_spent = (int)L();
	t->category_id = L();
	t->product_id = L();
#undef S
#undef L
	PQclear(r);
	return failed ? -1 : 0;
}

/*
 * 0 when by may see ticket_id, TICKET_NOT_FOUND, or -1. Staff see every
 * ticket: asking costs a round trip per read (three on a ticket page), and
 * the reads that follow find nothing for a ticket that does not exist.
 */
static int
visible(struct db *db, const struct ticket_actor_ref *by, long long ticket_id)
{
	struct num n[3];
	const char *p[5];
	long long v;

	if (is_staff(by))
		return 0;
	p[0] = num(&n[2], ticket_id);
	scope_params(by, n, p + 1);
	v = scalar(db, &st_visible, p);
	if (v < 0)
		return -1;
	return v == 1 ? 0 : TICKET_NOT_FOUND;
}

/* Every attachment of a ticket by is allowed to see. */
static int
all_files(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, struct ticket_attachment_ref **out, long long **comment, size_t *n)
{
	struct num t;
	const char *p[] = { num(&t, ticket_id), is_staff(by) ? "t" : "f" };
	PGresult *r = db_exec(db, &st_files, p);
	int i, rows, failed = 0;

	*out = NULL;
	*comment = NULL;
	*n = 0;
	if (r == NULL)
		return -1;
	rows = PQntuples(r);
	if (rows > 0) {
		*out = arena_calloc(a, (size_t)rows, sizeof(**out));
		*comment = arena_calloc(a, (size_t)rows, sizeof(**comment));
		if (*out == NULL || *comment == NULL) {
			PQclear(r);
			return -1;
		}
	}
	for (i = 0; i < rows; i++) {
		(*out)[i].id = db_ll(r, i, 0);
		(*comment)[i] = db_ll(r, i, 1);
		(*out)[i].filename = db_str(a, r, i, 2, &failed);
		(*out)[i].content_type = db_str(a, r, i, 3, &failed);
		(*out)[i].size = db_ll(r, i, 4);
	}
	*n = (size_t)rows;
	PQclear(r);
	return failed ? -1 : 0;
}

int
ticket_comments(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, struct ticket_comment **out, size_t *n)
{
	struct ticket_attachment_ref *files;
	long long *owner;
	size_t nfiles, i, j;
	struct num t;
	const char *p[] = { num(&t, ticket_id) };
	PGresult *r;
	int rc, rows, k, failed = 0;

	*out = NULL;
	*n = 0;
	if ((rc = visible(db, by, ticket_id)) != 0)
		return rc;
	if (all_files(db, a, by, ticket_id, &files, &owner, &nfiles) < 0)
		return -1;
	r = db_exec(db, is_staff(by) ? &st_comments_staff : &st_comments_customer, p);
	if (r == NULL)
		return -1;
	rows = PQntuples(r);
	if (rows > 0 && (*out = arena_calloc(a, (size_t)rows, sizeof(**out))) == NULL) {
		PQclear(r);
		return -1;
	}
	for (k = 0; k < rows; k++) {
		struct ticket_comment *c = &(*out)[k];

		c->id = db_ll(r, k, 0);
		c->kind = db_str(a, r, k, 1, &failed);
		c->author = db_str(a, r, k, 2, &failed);
		c->by_staff = db_bool(r, k, 3);
		c->body = db_str(a, r, k, 4, &failed);
		c->created_at = db_str(a, r, k, 5, &failed);
		c->minutes_spent = (int)db_ll(r, k, 6);
		for (i = 0; i < nfiles; i++)
			if (owner[i] == c->id)
				c->nfiles++;
		if (c->nfiles > 0) {
			c->files = arena_calloc(a, c->nfiles, sizeof(*c->files));
			if (c->files == NULL) {
				failed = 1;
				c->nfiles = 0;
				continue;
			}
			for (i = 0, j = 0; i < nfiles; i++)
				if (owner[i] == c->id)
					c->files[j++] = files[i];
		}
	}
	*n = (size_t)rows;
	PQclear(r);
	return failed ? -1 : 0;
}

int
ticket_files(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, struct ticket_attachment_ref **out, size_t *n)
{
	struct ticket_attachment_ref *files;
	long long *owner;
	size_t nfiles, i, k = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = visible(db, by, ticket_id)) != 0)
		return rc;
	if (all_files(db, a, by, ticket_id, &files, &owner, &nfiles) < 0)
		return -1;
	for (i = 0; i < nfiles; i++)
		if (owner[i] == 0)
			files[k++] = files[i];
	*out = k > 0 ? files : NULL;
	*n = k;
	return 0;
}

int
ticket_events(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, struct ticket_event **out, size_t *n)
{
	struct num t;
	const char *p[] = { num(&t, ticket_id) };
	PGresult *r;
	int rc, rows, k, failed = 0;

	*out = NULL;
	*n = 0;
	if (!is_staff(by))
		return TICKET_NOT_FOUND;
	if ((rc = visible(db, by, ticket_id)) != 0)
		return rc;
	if ((r = db_exec(db, &st_events, p)) == NULL)
		return -1;
	rows = PQntuples(r);
	if (rows > 0 && (*out = arena_calloc(a, (size_t)rows, sizeof(**out))) == NULL) {
		PQclear(r);
		return -1;
	}
	for (k = 0; k < rows; k++) {
		(*out)[k].actor = db_str(a, r, k, 0, &failed);
		(*out)[k].field = db_str(a, r, k, 1, &failed);
		(*out)[k].old_value = db_str(a, r, k, 2, &failed);
		(*out)[k].new_value = db_str(a, r, k, 3, &failed);
		(*out)[k].created_at = db_str(a, r, k, 4, &failed);
		(*out)[k].id = db_ll(r, k, 5);
	}
	*n = (size_t)rows;
	PQclear(r);
	return failed ? -1 : 0;
}

/*
 * Locks the ticket for a change, inside the caller's transaction. Returns
 * 0 with its status, version and whether it still awaits a first
 * response; TICKET_NOT_FOUND; -1.
 */
static int
lock(struct db *db, const struct ticket_actor_ref *by, long long ticket_id,
    enum ticket_status *status, int *version, int *no_response)
{
	struct num n[3];
	const char *p[5];
	PGresult *r;

	p[0] = num(&n[2], ticket_id);
	scope_params(by, n, p + 1);
	if ((r = db_exec(db, &st_lock, p)) == NULL)
		return -1;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return TICKET_NOT_FOUND;
	}
	*status = ticket_status_parse(PQgetvalue(r, 0, 0));
	*version = (int)db_ll(r, 0, 1);
	*no_response = db_bool(r, 0, 2);
	PQclear(r);
	return 0;
}

int
ticket_comment_add(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, const char *kind, const char *body, int minutes_spent,
    const struct ticket_file *files, size_t nfiles, int expected_version, const char **why)
{
	enum ticket_status status;
	int version, no_response, rc;
	long long comment_id;
	const char *bad;
	struct num t, s, u, m;
	PGresult *r;

	if (kind == NULL || (strcmp(kind, "public") != 0 && strcmp(kind, "internal") != 0))
		return refuse(why, "Choose public reply or internal note.");
	if (strcmp(kind, "internal") == 0 && !is_staff(by))
		return TICKET_NOT_FOUND;
	if (body == NULL || body[strspn(body, " \t\r\n")] == '\0')
		return refuse(why, "Write a message.");
	if (strlen(body) > 50000)
		return refuse(why, "The message is longer than 50,000 characters.");
	if (!is_staff(by))
		minutes_spent = 0;
	if (minutes_spent < 0 || minutes_spent > 10000)
		return refuse(why, "Time worked must be between 0 and 10000 minutes.");
	if ((bad = files_refused(files, nfiles)) != NULL)
		return refuse(why, bad);
	if (db_begin(db) < 0)
		return -1;
	rc = lock(db, by, ticket_id, &status, &version, &no_response);
	if (rc != 0)
		goto out;
	if (expected_version != 0 && version != expected_version) {
		rc = refuse(why, "The ticket changed since you opened it: read the change, "
		    "then send again.");
		goto out;
	}
	if (!is_staff(by) && (status == TS_CLOSED || status == TS_CANCELLED)) {
		rc = refuse(why, "This request is closed: reopen it to write again.");
		goto out;
	}
	{
		const char *p[] = { num(&t, ticket_id), kind,
			by->kind == TA_STAFF ? num_or_null(&s, by->id) : NULL,
			by->kind == TA_CUSTOMER ? num_or_null(&u, by->id) : NULL, body,
			num(&m, minutes_spent) };

		rc = -1;
		if ((r = db_exec(db, &st_comment_insert, p)) == NULL)
			goto out;
		comment_id = PQntuples(r) == 1 ? db_ll(r, 0, 0) : 0;
		PQclear(r);
		if (comment_id == 0)
			goto out;
	}
	if (event(db, by, ticket_id, "comment", NULL, kind) < 0 ||
	    store_files(db, by, ticket_id, comment_id, files, nfiles) < 0)
		goto out;
	if (is_staff(by)) {
		int first = by->kind == TA_STAFF && strcmp(kind, "public") == 0 && no_response;
		const char *p[] = { t.s, first ? "t" : "f" };

		if (db_run(db, &st_touch_staff, p) < 0)
			goto out;
		if (first && event(db, by, ticket_id, "first_response", NULL, "now") < 0)
			goto out;
	} else {
		/* The customer answered: the ball is back with the agent. */
		int back = status == TS_PENDING_CUSTOMER;
		const char *p[] = { t.s, back ? ticket_status_name(TS_IN_PROGRESS) : NULL };

		if (db_run(db, &st_touch_customer, p) < 0)
			goto out;
		if (back && event(db, by, ticket_id, "status", ticket_status_name(status),
		    ticket_status_name(TS_IN_PROGRESS)) < 0)
			goto out;
	}
	if (ticket_notify_comment(db, a, by, ticket_id, kind, body) < 0)
		goto out;
	rc = 0;
out:
	/* Refusals and "not found" come before any write: nothing to undo, and
	 * the caller's transaction stays usable for the page that explains. */
	if (rc == 0 || rc == TICKET_REFUSED || rc == TICKET_NOT_FOUND)
		return db_commit(db) < 0 ? -1 : rc;
	db_rollback(db);
	return rc;
}

int
ticket_set_status(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, enum ticket_status to, const char *resolution_code,
    const char *root_cause, int rating, const char *rating_comment, const char **why)
{
	enum ticket_status from;
	int version, no_response, rc;
	long long code_id = 0;
	struct num t, rt, cd;
	char old_version[16];

	if (to >= TS__MAX)
		return refuse(why, "Unknown status.");
	if (rating < 0 || rating > 5)
		return refuse(why, "A rating is from 1 to 5.");
	if (rating_comment != NULL && strlen(rating_comment) > 2000)
		return refuse(why, "The comment is longer than 2,000 characters.");
	if (root_cause != NULL && strlen(root_cause) > 2000)
		return refuse(why, "The root cause is longer than 2,000 characters.");
	if (rating_comment != NULL && rating_comment[0] == '\0')
		rating_comment = NULL;
	if (root_cause != NULL && root_cause[0] == '\0')
		root_cause = NULL;
	if (db_begin(db) < 0)
		return -1;
	rc = lock(db, by, ticket_id, &from, &version, &no_response);
	if (rc != 0)
		goto out;
	snprintf(old_version, sizeof(old_version), "%d", version);
	if (!ticket_transition_allowed(by->kind, from, to)) {
		rc = refuse(why, "That status change is not allowed.");
		goto out;
	}
	if (by->kind == TA_STAFF && to == TS_RESOLVED) {
		const char *p[] = { resolution_code != NULL ? resolution_code : "" };

		if (resolution_code == NULL || resolution_code[0] == '\0') {
			rc = refuse(why, "Choose a resolution code.");
			goto out;
		}
		code_id = scalar(db, &st_code, p);
		if (code_id < 0) {
			rc = -1;
			goto out;
		}
		if (code_id == 0) {
			rc = refuse(why, "Unknown resolution code.");
			goto out;
		}
	}
	if (by->kind != TA_CUSTOMER || to != TS_CLOSED) {
		rating = 0;
		rating_comment = NULL;
	}
	rc = -1;
	{
		const char *p[] = { num(&t, ticket_id), ticket_status_name(to),
			rating > 0 ? num(&rt, rating) : NULL, rating_comment,
			num_or_null(&cd, code_id), to == TS_RESOLVED ? root_cause : NULL };

		if (db_run(db, by->kind == TA_CUSTOMER ? &st_status_customer : &st_status_staff,
		    p) < 0)
			goto out;
		if (event(db, by, ticket_id, "status", ticket_status_name(from),
		    ticket_status_name(to)) < 0)
			goto out;
		if (code_id > 0 && event(db, by, ticket_id, "resolution_code", NULL,
		    resolution_code) < 0)
			goto out;
		if (p[5] != NULL && event(db, by, ticket_id, "root_cause", NULL, p[5]) < 0)
			goto out;
		if (rating > 0 && event(db, by, ticket_id, "rating", NULL, p[2]) < 0)
			goto out;
	}
	if (ticket_notify_status(db, a, by, ticket_id, to) < 0)
		goto out;
	rc = 0;
out:
	/* Refusals and "not found" come before any write: nothing to undo, and
	 * the caller's transaction stays usable for the page that explains. */
	if (rc == 0 || rc == TICKET_REFUSED || rc == TICKET_NOT_FOUND)
		return db_commit(db) < 0 ? -1 : rc;
	db_rollback(db);
	return rc;
}

int
ticket_download(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    const char *number, long long attachment_id, struct ticket_download *d)
{
	struct num n[3];
	const char *p[6];
	PGresult *r;
	unsigned char *raw;
	size_t len = 0;
	int failed = 0;

	memset(d, 0, sizeof(*d));
	p[0] = number;
	p[1] = num(&n[2], attachment_id);
	scope_params(by, n, p + 2);
	if ((r = db_exec(db, &st_download, p)) == NULL)
		return -1;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return TICKET_NOT_FOUND;
	}
	d->filename = db_str(a, r, 0, 0, &failed);
	d->content_type = db_str(a, r, 0, 1, &failed);
	raw = PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, 2), &len);
	PQclear(r);
	if (raw == NULL || failed)
		goto fail;
	if (len > 0) {
		unsigned char *copy = arena_alloc(a, len);

		if (copy == NULL)
			goto fail;
		memcpy(copy, raw, len);
		d->data = copy;
	}
	d->len = len;
	PQfreemem(raw);
	return 0;
fail:
	PQfreemem(raw);
	return -1;
}

int
ticket_list_for_customer(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    const struct ticket_page *pg, struct ticket_row **rows, size_t *n, long long *next_before)
{
	struct num c, u, b, l;
	int limit = pg->limit <= 0 || pg->limit > 100 ? 25 : pg->limit;
	const char *status = pg->status != NULL && pg->status[0] != '\0' ? pg->status : NULL;
	const char *p[] = { num(&c, by->customer_id), by->account_admin ? "t" : "f",
		num(&u, by->id), status, num(&b, pg->before_id > 0 ? pg->before_id : 0),
		num(&l, limit + 1) };
	PGresult *r;
	int k, got, failed = 0;

	*rows = NULL;
	*n = 0;
	*next_before = 0;
	if (by->kind != TA_CUSTOMER)
		return TICKET_NOT_FOUND;
	if ((r = db_exec(db, &st_list, p)) == NULL)
		return -1;
	got = PQntuples(r);
	if (got > limit) {
		got = limit;
		*next_before = db_ll(r, limit - 1, 0);
	}
	if (got > 0 && (*rows = arena_calloc(a, (size_t)got, sizeof(**rows))) == NULL) {
		PQclear(r);
		return -1;
	}
	for (k = 0; k < got; k++) {
		struct ticket_row *w = &(*rows)[k];
		enum ticket_status s = ticket_status_parse(PQgetvalue(r, k, 4));

		w->id = db_ll(r, k, 0);
		w->number = db_str(a, r, k, 1, &failed);
		w->subject = db_str(a, r, k, 2, &failed);
		w->priority = db_str(a, r, k, 3, &failed);
		w->status_name = ticket_status_name(s);
		w->status_label = ticket_status_label(s, 1);
		w->updated_at = db_str(a, r, k, 5, &failed);
		w->assignee = "";
	}
	*n = (size_t)got;
	PQclear(r);
	return failed ? -1 : 0;
}

int
ticket_notify_created(struct db *db, const struct tmpl_set *set, struct arena *a,
    long long ticket_id, struct tval *ctx, const char *link)
{
	struct num t;
	const char *p[] = { num(&t, ticket_id) };
	struct tval *user, *ticket;
	PGresult *r;
	int rc = -1, failed = 0;

	if ((r = db_exec(db, &st_requester, p)) == NULL)
		return -1;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return 0;	/* nobody to tell */
	}
	user = tval_map(a);
	ticket = tval_map(a);
	if (user != NULL && ticket != NULL) {
		const char *email = db_str(a, r, 0, 1, &failed);
		int bad = tval_set_str(a, user, "name", db_str(a, r, 0, 0, &failed)) |
		    tval_set_str(a, ticket, "number", db_str(a, r, 0, 2, &failed)) |
		    tval_set_str(a, ticket, "subject", db_str(a, r, 0, 3, &failed)) |
		    tval_set(a, ctx, "user", user) | tval_set(a, ctx, "ticket", ticket) |
		    tval_set_str(a, ctx, "link", link);

		if (!bad && !failed)
			rc = notify_enqueue(db, set, a, "ticket_created", email, "ticket_created",
			    ctx);
	}
	PQclear(r);
	return rc;
}

static struct db_stmt st_categories = DB_STMT("ticket_categories",
    "SELECT id, name FROM categories WHERE active ORDER BY position, name", 0);
static struct db_stmt st_products = DB_STMT("ticket_products",
    "SELECT id, name FROM products WHERE active ORDER BY name", 0);

static int
options(struct db *db, struct arena *a, struct db_stmt *st, struct ticket_option **out,
    size_t *n)
{
	PGresult *r = db_exec(db, st, NULL);
	int k, rows, failed = 0;

	*out = NULL;
	*n = 0;
	if (r == NULL)
		return -1;
	rows = PQntuples(r);
	if (rows > 0 && (*out = arena_calloc(a, (size_t)rows, sizeof(**out))) == NULL) {
		PQclear(r);
		return -1;
	}
	for (k = 0; k < rows; k++) {
		(*out)[k].id = db_ll(r, k, 0);
		(*out)[k].name = db_str(a, r, k, 1, &failed);
	}
	*n = (size_t)rows;
	PQclear(r);
	return failed ? -1 : 0;
}

int
ticket_categories(struct db *db, struct arena *a, struct ticket_option **out, size_t *n)
{
	return options(db, a, &st_categories, out, n);
}

int
ticket_products(struct db *db, struct arena *a, struct ticket_option **out, size_t *n)
{
	return options(db, a, &st_products, out, n);
}
