/* mail_admin.c — see mail_admin.h. */
#include "domain/mail_admin.h"
#include "core/arena.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/admin_audit.h"
#include "domain/canned.h"
#include "domain/notify.h"
#include "domain/tickets.h"
#include "tmpl/tval.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SETTINGS_COLS(X) \
	X(MS, file_max, "(SELECT value FROM settings WHERE key = 'mail_attachment_max_bytes')") \
	X(MS, types, "(SELECT value FROM settings WHERE key = 'mail_attachment_types')") \
	X(MS, per_hour, "(SELECT value FROM settings WHERE key = 'mail_autoreply_per_hour')") \
	X(MS, text, "(SELECT value FROM settings WHERE key = 'mail_autoreply_text')")
enum { DB_COL_ENUM(SETTINGS_COLS) };

#define ADDRESS_COLS(X) X(MA, id, "a.id") X(MA, address, "a.address") \
	X(MA, queue, "q.name") X(MA, queue_id, "a.queue_id")
enum { DB_COL_ENUM(ADDRESS_COLS) };

#define TEAM_COLS(X) X(TM, team_id, "t.id") X(TM, team, "t.name") \
	X(TM, address, "coalesce(m.address, '')") X(TM, signature, "coalesce(m.signature, '')")
enum { DB_COL_ENUM(TEAM_COLS) };

enum stmt {
	ST_SETTINGS,
	ST_SETTING_SAVE,
	ST_ADDRESSES,
	ST_ADDRESS_ADD,
	ST_ADDRESS_DELETE,
	ST_TEAMS,
	ST_TEAM_SET,
	ST_TEAM_CLEAR,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_SETTINGS] = DB_STMT("mail_settings", "SELECT " DB_COLS(SETTINGS_COLS), 0),
	/* The rows come with the migration (032); the console may update, not insert. */
	[ST_SETTING_SAVE] = DB_STMT("mail_setting_save",
	    "UPDATE settings SET value = $2, updated_at = now() WHERE key = $1", 2),
	[ST_ADDRESSES] = DB_STMT("mail_addresses",
	    "SELECT " DB_COLS(ADDRESS_COLS) " FROM mail_addresses a"
	    " JOIN queues q ON q.id = a.queue_id ORDER BY a.address", 0),
	[ST_ADDRESS_ADD] = DB_STMT("mail_address_add",
	    "INSERT INTO mail_addresses (address, queue_id)"
	    " SELECT lower($1), q.id FROM queues q WHERE q.id = $2 RETURNING id", 2),
	[ST_ADDRESS_DELETE] = DB_STMT("mail_address_delete",
	    "DELETE FROM mail_addresses WHERE id = $1", 1),
	[ST_TEAMS] = DB_STMT("team_mail_list",
	    "SELECT " DB_COLS(TEAM_COLS) " FROM teams t LEFT JOIN team_mail m"
	    " ON m.team_id = t.id ORDER BY t.name", 0),
	[ST_TEAM_SET] = DB_STMT("team_mail_set",
	    "INSERT INTO team_mail (team_id, address, signature)"
	    " SELECT t.id, lower($2), $3 FROM teams t WHERE t.id = $1"
	    " ON CONFLICT (team_id) DO UPDATE SET address = EXCLUDED.address,"
	    " signature = EXCLUDED.signature", 3),
	[ST_TEAM_CLEAR] = DB_STMT("team_mail_clear",
	    "DELETE FROM team_mail WHERE team_id = $1", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static enum cs_result
refuse(const char **why, const char **field, const char *f, const char *sentence)
{
	*why = sentence;
	*field = f;
	return CS_REFUSED;
}

enum cs_result
mail_settings_get(struct db *db, struct arena *a, struct mail_settings *s)
{
	PGresult *r = db_exec(db, &stmts[ST_SETTINGS], NULL);
	int failed = 0;

	memset(s, 0, sizeof(*s));
	s->types = s->autoreply_text = "";
	if (r == NULL)
		return db_result(db);
	if (PQntuples(r) == 1) {
		s->file_max = strtoll(PQgetvalue(r, 0, MS_file_max), NULL, 10);
		s->per_hour = strtoll(PQgetvalue(r, 0, MS_per_hour), NULL, 10);
		s->types = db_str(a, r, 0, MS_types, &failed);
		s->autoreply_text = db_str(a, r, 0, MS_text, &failed);
	}
	PQclear(r);
	return failed ? CS_FAILED : CS_OK;
}

/* "type/subtype" words, a trailing star allowed: [a-z0-9.+-]+/[a-z0-9.+-]*[*]? */
static int
types_ok(const char *types)
{
	const char *p = types;
	int words = 0;

	while (*p != '\0') {
		size_t n, slash, i;

		while (*p == ' ' || *p == ',' || *p == '\n' || *p == '\r')
			p++;
		if (*p == '\0')
			break;
		n = strcspn(p, ", \r\n");
		slash = strcspn(p, "/");
		if (slash == 0 || slash >= n - 1)
			return 0;
		for (i = 0; i < n; i++) {
			char c = p[i];

			if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
			    c == '+' || c == '-' || c == '/' || (c == '*' && i == n - 1)))
				return 0;
		}
		words++;
		p += n;
	}
	return words > 0;
}

enum cs_result
mail_settings_save(struct db *db, struct arena *a, const struct audit_entry *by,
    const struct mail_settings *s, const char **why, const char **field)
{
	const char *p[2];
	char num[24];
	enum cs_result rc = CS_OK;

	if (s->file_max < 1 || s->file_max > (long long)TICKET_FILE_MAX)
		return refuse(why, field, "file_max", "Choose a size from 1 byte to 10 MB:"
		    " a ticket takes no larger file.");
	if (utf8_chars(s->types) > MAIL_TYPES_MAX || !types_ok(s->types))
		return refuse(why, field, "types", "List types such as image/png or image/*,"
		    " separated by commas, in lower case.");
	if (s->per_hour < 0 || s->per_hour > MAIL_AUTOREPLY_PER_HOUR_MAX)
		return refuse(why, field, "per_hour", "Choose 0 to 100 replies an hour.");
	if (utf8_chars(s->autoreply_text) > MAIL_AUTOREPLY_TEXT_MAX)
		return refuse(why, field, "autoreply_text", "The text is longer than 2,000"
		    " characters.");
	/* It must render: a template that does not would silence every confirmation. */
	if (s->autoreply_text[0] != '\0' && canned_render(a, s->autoreply_text, tval_map(a)) ==
	    NULL)
		return refuse(why, field, "autoreply_text", "The text is not a valid template"
		    " (check the {{ }}).");
	if (db_begin(db) < 0)
		return db_result(db);
	snprintf(num, sizeof(num), "%lld", s->file_max);
	p[0] = "mail_attachment_max_bytes", p[1] = num;
	rc = db_do(db, &stmts[ST_SETTING_SAVE], p);
	p[0] = "mail_attachment_types", p[1] = s->types;
	if (rc == CS_OK)
		rc = db_do(db, &stmts[ST_SETTING_SAVE], p);
	snprintf(num, sizeof(num), "%lld", s->per_hour);
	p[0] = "mail_autoreply_per_hour", p[1] = num;
	if (rc == CS_OK)
		rc = db_do(db, &stmts[ST_SETTING_SAVE], p);
	p[0] = "mail_autoreply_text", p[1] = s->autoreply_text;
	if (rc == CS_OK)
		rc = db_do(db, &stmts[ST_SETTING_SAVE], p);
	if (rc != CS_OK)
		return db_end(db, rc);
	return admin_audit_commit(db, by, "mail.settings", "settings", 0, json_pack(
	    "{s:I, s:s, s:I}", "file_max", (json_int_t)s->file_max, "types", s->types,
	    "per_hour", (json_int_t)s->per_hour));
}

static enum cs_result
fill_address(struct arena *a, const PGresult *r, int row, void *elem)
{
	struct mail_address *m = elem;
	int failed = 0;

	m->id = db_ll(r, row, MA_id);
	m->address = db_str(a, r, row, MA_address, &failed);
	m->queue = db_str(a, r, row, MA_queue, &failed);
	m->queue_id = db_ll(r, row, MA_queue_id);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
mail_address_list(struct db *db, struct arena *a, struct mail_address **out, size_t *n)
{
	return db_rows(db, a, &stmts[ST_ADDRESSES], NULL, sizeof(**out), fill_address,
	    (void **)out, n);
}

enum cs_result
mail_address_add(struct db *db, const struct audit_entry *by, const char *address,
    long long queue_id, const char **why, const char **field)
{
	char q[24];
	const char *p[2] = { address, q };
	PGresult *r;
	long long id = 0;

	if (!notify_address_ok(address))
		return refuse(why, field, "address", "Enter an e-mail address such as"
		    " support@example.com.");
	snprintf(q, sizeof(q), "%lld", queue_id);
	if (db_begin(db) < 0)
		return db_result(db);
	if ((r = db_exec(db, &stmts[ST_ADDRESS_ADD], p)) == NULL)
		return db_end(db, db_result(db));
	if (PQntuples(r) == 1)
		id = db_ll(r, 0, 0);
	PQclear(r);
	if (id == 0) {
		db_end(db, CS_OK);
		return refuse(why, field, "queue_id", "Choose a queue from the list.");
	}
	return admin_audit_commit(db, by, "mail.address_add", "mail_address", id,
	    json_pack("{s:s, s:I}", "address", address, "queue_id", (json_int_t)queue_id));
}

enum cs_result
mail_address_delete(struct db *db, const struct audit_entry *by, long long id)
{
	char n[24];
	const char *p[1] = { n };
	enum cs_result rc;

	snprintf(n, sizeof(n), "%lld", id);
	if (db_begin(db) < 0)
		return db_result(db);
	if ((rc = db_update_one(db, &stmts[ST_ADDRESS_DELETE], p)) != CS_OK)
		return db_end(db, rc);
	return admin_audit_commit(db, by, "mail.address_delete", "mail_address", id,
	    json_object());
}

static enum cs_result
fill_team(struct arena *a, const PGresult *r, int row, void *elem)
{
	struct team_mail *m = elem;
	int failed = 0;

	m->team_id = db_ll(r, row, TM_team_id);
	m->team = db_str(a, r, row, TM_team, &failed);
	m->address = db_str(a, r, row, TM_address, &failed);
	m->signature = db_str(a, r, row, TM_signature, &failed);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
team_mail_list(struct db *db, struct arena *a, struct team_mail **out, size_t *n)
{
	return db_rows(db, a, &stmts[ST_TEAMS], NULL, sizeof(**out), fill_team, (void **)out, n);
}

enum cs_result
team_mail_set(struct db *db, const struct audit_entry *by, long long team_id,
    const char *address, const char *signature, const char **why, const char **field)
{
	char t[24];
	const char *p[3] = { t, address, signature };
	enum cs_result rc;

	if (address[0] != '\0' && !notify_address_ok(address))
		return refuse(why, field, "address", "Enter an e-mail address such as"
		    " returns@example.com, or nothing to remove it.");
	if (utf8_chars(signature) > MAIL_SIGNATURE_MAX)
		return refuse(why, field, "signature", "The signature is longer than 2,000"
		    " characters.");
	snprintf(t, sizeof(t), "%lld", team_id);
	if (db_begin(db) < 0)
		return db_result(db);
	rc = address[0] != '\0' ? db_update_one(db, &stmts[ST_TEAM_SET], p) :
	    db_do(db, &stmts[ST_TEAM_CLEAR], p);
	if (rc == CS_NOT_FOUND) {
		db_end(db, CS_OK);
		return refuse(why, field, "team_id", "Choose a team from the list.");
	}
	if (rc != CS_OK)
		return db_end(db, rc);
	return admin_audit_commit(db, by, "mail.team_set", "team", team_id,
	    json_pack("{s:s}", "address", address));
}
