/* kb_author.c — see kb_author.h. */
#include "domain/kb_author.h"
#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"
#include "domain/kb_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Tags from "a, b,c": trimmed, lower-case, in order, without repeats or blanks. */
#define TAGS(p) \
	"ARRAY(SELECT x.t FROM (SELECT lower(btrim(u.t)) AS t, min(u.n) AS n" \
	" FROM unnest(string_to_array(" p ", ',')) WITH ORDINALITY AS u (t, n)" \
	" WHERE btrim(u.t) <> '' GROUP BY 1) AS x ORDER BY x.n)"
/* Product ids from "1,2": only those that exist. */
#define PRODUCTS(p) \
	"ARRAY(SELECT p.id FROM products p WHERE p.id = ANY(string_to_array(nullif(" p ", ''), ','" \
	")::bigint[]) ORDER BY p.id)"

static struct db_stmt st_create = DB_STMT("kb_article_create",
    "INSERT INTO kb_articles (slug, category_id, type, visibility, title, summary, body, tags,"
    " product_ids, author_id, updated_by, source_ticket_id)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, " TAGS("$8") ", " PRODUCTS("$9") ", $10, $10, $11)"
    " RETURNING id", 11);
static struct db_stmt st_update = DB_STMT("kb_article_update",
    "UPDATE kb_articles a SET title = $3, summary = $4, body = $5, tags = " TAGS("$6") ","
    " product_ids = " PRODUCTS("$7") ", updated_by = $8,"
    " type = CASE WHEN a.original_id IS NULL THEN $9 ELSE a.type END,"
    " visibility = CASE WHEN a.original_id IS NULL THEN $10 ELSE a.visibility END,"
    " category_id = CASE WHEN a.original_id IS NULL THEN $11::bigint ELSE a.category_id END,"
    " slug = CASE WHEN a.original_id IS NULL AND $12 <> '' THEN $12 ELSE a.slug END,"
    " source_version = CASE WHEN a.original_id IS NULL THEN NULL ELSE"
    "  (SELECT o.content_version FROM kb_articles o WHERE o.id = a.original_id) END"
    " WHERE a.id = $1 AND a.revision = $2 RETURNING a.id", 12);
static struct db_stmt st_exists = DB_STMT("kb_article_exists",
    "SELECT status FROM kb_articles WHERE id = $1", 1);
static struct db_stmt st_status = DB_STMT("kb_article_status",
    "UPDATE kb_articles SET status = $3, updated_by = $2,"
    " reviewer_id = CASE WHEN $3 = 'published' THEN $2 ELSE reviewer_id END"
    " WHERE id = $1 AND status = $4 RETURNING id", 4);
static struct db_stmt st_get = DB_STMT("kb_article_get_staff",
    "SELECT " KB_ARTICLE_COLS("coalesce((SELECT s.name FROM staff s WHERE s.id = a.author_id),"
    " '')", "coalesce((SELECT s.name FROM staff s WHERE s.id = a.reviewer_id), '')") ","
    " coalesce(a.source_version < (SELECT o.content_version FROM kb_articles o"
    " WHERE o.id = a.original_id), false)"
    " FROM kb_articles a WHERE a.id = $1", 1);

#define LIST_COLS \
	"a.id, coalesce(a.original_id, 0), a.view_count, a.helpful_yes, a.helpful_no," \
	" a.times_used_in_tickets, a.slug, a.title, a.type, a.status, a.visibility, a.language," \
	" c.name, coalesce(s.name, ''), " KB_TS("a.updated_at") "," \
	" coalesce(a.source_version < o.content_version, false)" \
	" FROM kb_articles a JOIN kb_categories c ON c.id = a.category_id" \
	" LEFT JOIN staff s ON s.id = a.author_id LEFT JOIN kb_articles o ON o.id = a.original_id"
static struct db_stmt st_list = DB_STMT("kb_article_list",
    "SELECT " LIST_COLS
    " WHERE ($1 = '' OR a.status = $1) AND ($2::bigint = 0 OR a.category_id = $2)"
    " AND ($3 = '' OR a.search @@ websearch_to_tsquery('english', $3)"
    "  OR strpos(lower(a.title), lower($3)) > 0)"
    " ORDER BY a.updated_at DESC, a.id DESC LIMIT $4 OFFSET $5", 5);
static struct db_stmt st_translations = DB_STMT("kb_translations",
    "SELECT " LIST_COLS " WHERE a.original_id = $1 ORDER BY a.language", 1);
static struct db_stmt st_translate = DB_STMT("kb_translation_create",
    "INSERT INTO kb_articles (slug, category_id, type, status, visibility, language,"
    " original_id, source_version, title, summary, body, tags, product_ids, author_id,"
    " updated_by)"
    " SELECT o.slug, o.category_id, o.type, 'draft', o.visibility, $2, o.id,"
    " o.content_version, o.title, o.summary, o.body, o.tags, o.product_ids, $3, $3"
    " FROM kb_articles o WHERE o.id = $1 AND o.original_id IS NULL AND o.language <> $2"
    " RETURNING id", 3);
static struct db_stmt st_revisions = DB_STMT("kb_revisions",
    "SELECT r.revision, coalesce(s.name, 'system'), " KB_TS("r.created_at") ","
    " array_to_string(r.changed, ', ') FROM kb_revisions r"
    " LEFT JOIN staff s ON s.id = r.staff_id WHERE r.article_id = $1"
    " ORDER BY r.revision DESC", 1);
static struct db_stmt st_revision = DB_STMT("kb_revision_get",
    "SELECT r.revision, coalesce(s.name, 'system'), " KB_TS("r.created_at") ","
    " array_to_string(r.changed, ', '), r.title, r.summary, r.body,"
    " array_to_string(r.tags, ', '), r.type, r.visibility, r.status, r.category_id"
    " FROM kb_revisions r LEFT JOIN staff s ON s.id = r.staff_id"
    " WHERE r.article_id = $1 AND r.revision = $2", 2);
static struct db_stmt st_restore = DB_STMT("kb_revision_restore",
    "UPDATE kb_articles a SET title = r.title, summary = r.summary, body = r.body,"
    " tags = r.tags, product_ids = r.product_ids, type = r.type, visibility = r.visibility,"
    " category_id = r.category_id, updated_by = $3"
    " FROM kb_revisions r WHERE a.id = $1 AND r.article_id = a.id AND r.revision = $2"
    " RETURNING a.id", 3);
static struct db_stmt st_image_add = DB_STMT("kb_image_add",
    "INSERT INTO kb_images (article_id, filename, content_type, size, data, staff_id)"
    " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id", 6);
static struct db_stmt st_images = DB_STMT("kb_images",
    "SELECT id, article_id, filename, content_type, size FROM kb_images"
    " WHERE article_id = $1 ORDER BY id DESC", 1);
static struct db_stmt st_cat_insert = DB_STMT("kb_category_insert",
    "INSERT INTO kb_categories (name, slug, parent_id, position, description)"
    " VALUES ($1, $2, $3, $4, $5) RETURNING id", 5);
static struct db_stmt st_cat_update = DB_STMT("kb_category_update",
    "UPDATE kb_categories SET name = $2, slug = $3, parent_id = $4, position = $5,"
    " description = $6 WHERE id = $1 RETURNING id", 6);
static struct db_stmt st_from_ticket = DB_STMT("kb_from_ticket",
    "SELECT t.id, t.subject, t.description, t.status, array_to_string(t.tags, ','),"
    " coalesce(t.product_id::text, ''),"
    " coalesce((SELECT k.id FROM kb_categories k JOIN categories c"
    "  ON lower(c.name) = lower(k.name) WHERE c.id = t.category_id ORDER BY k.id LIMIT 1),"
    "  (SELECT k.id FROM kb_categories k WHERE k.parent_id IS NULL"
    "  ORDER BY k.position, k.id LIMIT 1), 0),"
    " coalesce((SELECT string_agg(m.body, E'\\n\\n' ORDER BY m.id) FROM ticket_comments m"
    "  WHERE m.ticket_id = t.id AND m.kind = 'public' AND m.author_staff_id IS NOT NULL), ''),"
    " coalesce(t.root_cause, '')"
    " FROM tickets t WHERE t.number = $1", 1);
static struct db_stmt st_link = DB_STMT("kb_link_ticket",
    "INSERT INTO kb_article_tickets (article_id, ticket_id, staff_id) VALUES ($1, $2, $3)"
    " ON CONFLICT DO NOTHING RETURNING 1", 3);

static int
slug_ok(const char *s, size_t max)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > max || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '-' && s[i + 1] == '-')
			return 0;
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	}
	return 1;
}

const char *
kb_slugify(struct arena *a, const char *title)
{
	size_t i, n = 0;
	char *out = arena_alloc(a, 81);
	int dash = 0;

	if (out == NULL)
		return NULL;
	for (i = 0; title != NULL && title[i] != '\0' && n < 80; i++) {
		char c = title[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash && n > 0 && n < 79)
				out[n++] = '-';
			dash = 0;
			out[n++] = c;
		} else if (c != '\'') {
			dash = 1;
		}
	}
	out[n] = '\0';
	return n > 0 ? out : arena_strdup(a, "article");
}

static int
refuse(const char **why, const char *text)
{
	*why = text;
	return KB_REFUSED;
}

int
kb_author_check(const struct kb_edit *e, const char **why)
{
	const char *p;
	size_t len;
	int ntags = 0;

	if (e->title == NULL || e->title[0] == '\0')
		return refuse(why, "Give the article a title.");
	if (strlen(e->title) > 200)
		return refuse(why, "The title is longer than 200 characters.");
	if (e->summary != NULL && strlen(e->summary) > 500)
		return refuse(why, "The summary is longer than 500 characters.");
	if (e->body == NULL || strlen(e->body) > 100000)
		return refuse(why, "The text is longer than 100,000 characters.");
	if (!kb_type_valid(e->type))
		return refuse(why, "Choose the type of article.");
	if (e->visibility == NULL || (strcmp(e->visibility, "public") != 0 &&
	    strcmp(e->visibility, "customers") != 0 && strcmp(e->visibility, "internal") != 0))
		return refuse(why, "Choose who may read the article.");
	if (e->category_id <= 0)
		return refuse(why, "Choose a category.");
	if (e->slug != NULL && e->slug[0] != '\0' && !slug_ok(e->slug, 120))
		return refuse(why, "The address may use a-z, 0-9 and single hyphens only.");
	for (p = e->tags ? e->tags : ""; *p != '\0'; p += len + (p[len] == ',')) {
		len = strcspn(p, ",");
		if (len > 40)
			return refuse(why, "A tag is longer than 40 characters.");
		if (++ntags > KB_TAGS_MAX)
			return refuse(why, "Use at most 20 tags.");
	}
	for (p = e->products ? e->products : ""; *p != '\0'; p++)
		if (!((*p >= '0' && *p <= '9') || *p == ',') || (*p == ',' && p[1] == ','))
			return refuse(why, "Choose products from the list.");
	if (e->products != NULL && (e->products[0] == ',' ||
	    (e->products[0] != '\0' && e->products[strlen(e->products) - 1] == ',')))
		return refuse(why, "Choose products from the list.");
	return 0;
}

int
kb_article_create(struct db *db, struct arena *a, long long staff_id, const struct kb_edit *e,
    long long source_ticket_id, long long *id, const char **why)
{
	char cat[24], staff[24], ticket[24];
	const char *base, *slug;
	const char *p[] = { NULL, cat, e->type, e->visibility, e->title,
		e->summary ? e->summary : "", e->body, e->tags ? e->tags : "",
		e->products ? e->products : "", staff, source_ticket_id ? ticket : NULL };
	PGresult *res;
	int rc, attempt, auto_slug = e->slug == NULL || e->slug[0] == '\0';

	if ((rc = kb_author_check(e, why)) != 0)
		return rc;
	snprintf(cat, sizeof(cat), "%lld", e->category_id);
	snprintf(staff, sizeof(staff), "%lld", staff_id);
	snprintf(ticket, sizeof(ticket), "%lld", source_ticket_id);
	base = auto_slug ? kb_slugify(a, e->title) : e->slug;
	if (base == NULL)
		return -1;
	/* A slug made from the title gets -2, -3… when taken. */
	for (attempt = 1; attempt <= 50; attempt++) {
		slug = attempt == 1 ? base : arena_printf(a, "%.*s-%d", 110, base, attempt);
		if (slug == NULL)
			return -1;
		p[0] = slug;
		if ((res = db_exec(db, &st_create, p)) != NULL) {
			*id = db_ll(res, 0, 0);
			PQclear(res);
			return 0;
		}
		if (db_is(db, "23503"))
			return refuse(why, "Choose a category.");
		if (!db_is(db, "23505"))
			return -1;
		if (!auto_slug)
			return refuse(why, "Another article already has this address.");
	}
	return refuse(why, "Another article already has this address.");
}

int
kb_article_update(struct db *db, struct arena *a, long long staff_id, long long id,
    int revision, const struct kb_edit *e, const char **why)
{
	char ids[24], rev[16], staff[24], cat[24];
	/* An empty address keeps the present one: links to it keep working. */
	const char *slug = e->slug ? e->slug : "";
	const char *p[] = { ids, rev, e->title, e->summary ? e->summary : "", e->body,
		e->tags ? e->tags : "", e->products ? e->products : "", staff, e->type,
		e->visibility, cat, slug };
	const char *ep[] = { ids };
	PGresult *res;
	int rc, n;

	(void)a;
	if ((rc = kb_author_check(e, why)) != 0)
		return rc;
	snprintf(ids, sizeof(ids), "%lld", id);
	snprintf(rev, sizeof(rev), "%d", revision);
	snprintf(staff, sizeof(staff), "%lld", staff_id);
	snprintf(cat, sizeof(cat), "%lld", e->category_id);
	if ((res = db_exec(db, &st_update, p)) == NULL) {
		if (db_is(db, "23505"))
			return refuse(why, "Another article already has this address.");
		if (db_is(db, "23503"))
			return refuse(why, "Choose a category.");
		return -1;
	}
	n = PQntuples(res);
	PQclear(res);
	if (n == 1)
		return 0;
	if ((res = db_exec(db, &st_exists, ep)) == NULL)
		return -1;
	n = PQntuples(res);
	PQclear(res);
	return n == 1 ? KB_CONFLICT : refuse(why, "There is no such article.");
}

/* The workflow: from → to pairs an author may make. */
static const char *const moves[][2] = {
	{ "draft", "review" }, { "review", "draft" }, { "review", "published" },
	{ "draft", "published" }, { "published", "archived" }, { "archived", "draft" },
	{ "published", "draft" },
};

size_t
kb_status_next(const char *from, int can_publish, const char **out)
{
	size_t i, n = 0;

	for (i = 0; from != NULL && i < sizeof(moves) / sizeof(moves[0]) && n < 4; i++)
		if (strcmp(moves[i][0], from) == 0 &&
		    (can_publish || strcmp(moves[i][1], "published") != 0))
			out[n++] = moves[i][1];
	return n;
}

int
kb_article_set_status(struct db *db, long long staff_id, long long id, const char *status,
    int can_publish, const char **why)
{
	char ids[24], staff[24];
	const char *ep[] = { ids };
	const char *p[] = { ids, staff, status, NULL };
	PGresult *res;
	char from[16];
	size_t i;
	int n;

	snprintf(ids, sizeof(ids), "%lld", id);
	snprintf(staff, sizeof(staff), "%lld", staff_id);
	if ((res = db_exec(db, &st_exists, ep)) == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return refuse(why, "There is no such article.");
	}
	snprintf(from, sizeof(from), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	for (i = 0; i < sizeof(moves) / sizeof(moves[0]); i++)
		if (strcmp(moves[i][0], from) == 0 && status != NULL &&
		    strcmp(moves[i][1], status) == 0)
			break;
	if (i == sizeof(moves) / sizeof(moves[0]))
		return refuse(why, "The article cannot move to that status from where it is.");
	if (strcmp(status, "published") == 0 && !can_publish)
		return refuse(why, "Only supervisors and admins publish: send it for review.");
	p[3] = from;
	if ((res = db_exec(db, &st_status, p)) == NULL)
		return -1;
	n = PQntuples(res);
	PQclear(res);
	return n == 1 ? 0 : refuse(why, "Someone changed the status meanwhile: look again.");
}

int
kb_article_get(struct db *db, struct arena *a, long long id, struct kb_article *out)
{
	char ids[24];
	const char *p[] = { ids };
	PGresult *res;
	int rc;

	snprintf(ids, sizeof(ids), "%lld", id);
	if ((res = db_exec(db, &st_get, p)) == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return 0;
	}
	rc = kb_fill_article(a, res, out) < 0 ? -1 : 1;
	if (rc == 1)
		out->outdated = db_bool(res, 0, 30);
	PQclear(res);
	return rc;
}

static int
fill_list(struct arena *a, PGresult *res, struct kb_list_row **out, size_t *n)
{
	int i, rows = PQntuples(res), failed = 0;
	struct kb_list_row *r;

	*out = NULL;
	*n = 0;
	if (rows == 0)
		return 0;
	if ((r = arena_calloc(a, (size_t)rows, sizeof(*r))) == NULL)
		return -1;
	for (i = 0; i < rows; i++) {
		r[i].id = db_ll(res, i, 0);
		r[i].original_id = db_ll(res, i, 1);
		r[i].views = db_ll(res, i, 2);
		r[i].helpful_yes = db_ll(res, i, 3);
		r[i].helpful_no = db_ll(res, i, 4);
		r[i].used_in_tickets = db_ll(res, i, 5);
		r[i].slug = db_str(a, res, i, 6, &failed);
		r[i].title = db_str(a, res, i, 7, &failed);
		r[i].type = db_str(a, res, i, 8, &failed);
		r[i].status = db_str(a, res, i, 9, &failed);
		r[i].visibility = db_str(a, res, i, 10, &failed);
		r[i].language = db_str(a, res, i, 11, &failed);
		r[i].category = db_str(a, res, i, 12, &failed);
		r[i].author = db_str(a, res, i, 13, &failed);
		r[i].updated = db_str(a, res, i, 14, &failed);
		r[i].outdated = db_bool(res, i, 15);
	}
	if (failed)
		return -1;
	*out = r;
	*n = (size_t)rows;
	return 0;
}

int
kb_article_list(struct db *db, struct arena *a, const struct kb_list_filter *f,
    struct kb_list_row **out, size_t *n)
{
	char cat[24], lim[16], off[16];
	const char *p[] = { f->status ? f->status : "", cat, f->q ? f->q : "", lim, off };
	PGresult *res;
	int rc;

	snprintf(cat, sizeof(cat), "%lld", f->category_id);
	snprintf(lim, sizeof(lim), "%d", f->limit);
	snprintf(off, sizeof(off), "%d", f->offset);
	if ((res = db_exec(db, &st_list, p)) == NULL)
		return -1;
	rc = fill_list(a, res, out, n);
	PQclear(res);
	return rc;
}

int
kb_translations(struct db *db, struct arena *a, long long original_id,
    struct kb_list_row **out, size_t *n)
{
	char ids[24];
	const char *p[] = { ids };
	PGresult *res;
	int rc;

	snprintf(ids, sizeof(ids), "%lld", original_id);
	if ((res = db_exec(db, &st_translations, p)) == NULL)
		return -1;
	rc = fill_list(a, res, out, n);
	PQclear(res);
	return rc;
}

int
kb_translation_create(struct db *db, long long staff_id, long long original_id,
    const char *language, long long *id, const char **why)
{
	char ids[24], staff[24];
	const char *p[] = { ids, language, staff };
	PGresult *res;
	size_t n = language ? strlen(language) : 0;

	if (!((n == 2 || n == 5) && language[0] >= 'a' && language[0] <= 'z' &&
	    language[1] >= 'a' && language[1] <= 'z' && (n == 2 || (language[2] == '-' &&
	    language[3] >= 'a' && language[3] <= 'z' && language[4] >= 'a' && language[4] <= 'z'))))
		return refuse(why, "Give the language as a code such as de or fr-ca.");
	snprintf(ids, sizeof(ids), "%lld", original_id);
	snprintf(staff, sizeof(staff), "%lld", staff_id);
	if ((res = db_exec(db, &st_translate, p)) == NULL)
		return db_is(db, "23505") ? refuse(why, "There is a translation into that language"
		    " already.") : -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return refuse(why, "Only an original, into another language, can be translated.");
	}
	*id = db_ll(res, 0, 0);
	PQclear(res);
	return 0;
}

int
kb_revisions(struct db *db, struct arena *a, long long article_id, struct kb_revision **out,
    size_t *n)
{
	char ids[24];
	const char *p[] = { ids };
	PGresult *res;
	struct kb_revision *r;
	int i, rows, failed = 0;

	*out = NULL;
	*n = 0;
	snprintf(ids, sizeof(ids), "%lld", article_id);
	if ((res = db_exec(db, &st_revisions, p)) == NULL)
		return -1;
	rows = PQntuples(res);
	if (rows > 0 && (r = arena_calloc(a, (size_t)rows, sizeof(*r))) != NULL) {
		for (i = 0; i < rows; i++) {
			r[i].revision = (int)db_ll(res, i, 0);
			r[i].who = db_str(a, res, i, 1, &failed);
			r[i].when = db_str(a, res, i, 2, &failed);
			r[i].changed = db_str(a, res, i, 3, &failed);
		}
		*out = r;
		*n = (size_t)rows;
	} else if (rows > 0) {
		failed = 1;
	}
	PQclear(res);
	return failed ? -1 : 0;
}

int
kb_revision_get(struct db *db, struct arena *a, long long article_id, int revision,
    struct kb_revision *out)
{
	char ids[24], rev[16];
	const char *p[] = { ids, rev };
	PGresult *res;
	int failed = 0;

	snprintf(ids, sizeof(ids), "%lld", article_id);
	snprintf(rev, sizeof(rev), "%d", revision);
	if ((res = db_exec(db, &st_revision, p)) == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return 0;
	}
	out->revision = (int)db_ll(res, 0, 0);
	out->who = db_str(a, res, 0, 1, &failed);
	out->when = db_str(a, res, 0, 2, &failed);
	out->changed = db_str(a, res, 0, 3, &failed);
	out->title = db_str(a, res, 0, 4, &failed);
	out->summary = db_str(a, res, 0, 5, &failed);
	out->body = db_str(a, res, 0, 6, &failed);
	out->tags = db_str(a, res, 0, 7, &failed);
	out->type = db_str(a, res, 0, 8, &failed);
	out->visibility = db_str(a, res, 0, 9, &failed);
	out->status = db_str(a, res, 0, 10, &failed);
	out->category_id = db_ll(res, 0, 11);
	PQclear(res);
	return failed ? -1 : 1;
}

int
kb_revision_restore(struct db *db, long long staff_id, long long article_id, int revision,
    const char **why)
{
	char ids[24], rev[16], staff[24];
	const char *p[] = { ids, rev, staff };
	PGresult *res;
	int n;

	snprintf(ids, sizeof(ids), "%lld", article_id);
	snprintf(rev, sizeof(rev), "%d", revision);
	snprintf(staff, sizeof(staff), "%lld", staff_id);
	if ((res = db_exec(db, &st_restore, p)) == NULL)
		return -1;
	n = PQntuples(res);
	PQclear(res);
	return n == 1 ? 0 : refuse(why, "There is no such revision.");
}

/* The image type from the first bytes, whatever the browser claimed. */
static const char *
sniff_image(const unsigned char *d, size_t n)
{
	if (n >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	if (n >= 3 && memcmp(d, "\xff\xd8\xff", 3) == 0)
		return "image/jpeg";
	if (n >= 6 && (memcmp(d, "GIF87a", 6) == 0 || memcmp(d, "GIF89a", 6) == 0))
		return "image/gif";
	if (n >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0)
		return "image/webp";
	return NULL;
}

int
kb_image_add(struct db *db, long long staff_id, long long article_id, const char *filename,
    const char *content_type, const void *data, size_t len, long long *id, const char **why)
{
	char ids[24], size[24], staff[24];
	const char *type = sniff_image(data, len);
	const char *p[] = { ids, filename, type, size, data, staff };
	const int lengths[] = { 0, 0, 0, 0, (int)len, 0 };
	const int formats[] = { 0, 0, 0, 0, 1, 0 };
	PGresult *res;

	(void)content_type;
	if (len == 0 || type == NULL)
		return refuse(why, "Add a PNG, JPEG, GIF or WebP image.");
	if (len > KB_IMAGE_MAX)
		return refuse(why, "An image may be 5 MB at most.");
	if (filename == NULL || filename[0] == '\0' || strlen(filename) > 255)
		filename = "image";
	p[1] = filename;
	snprintf(ids, sizeof(ids), "%lld", article_id);
	snprintf(size, sizeof(size), "%zu", len);
	snprintf(staff, sizeof(staff), "%lld", staff_id);
	if ((res = db_exec_bin(db, &st_image_add, p, lengths, formats)) == NULL)
		return db_is(db, "23503") ? refuse(why, "There is no such article.") : -1;
	*id = db_ll(res, 0, 0);
	PQclear(res);
	return 0;
}

int
kb_images(struct db *db, struct arena *a, long long article_id, struct kb_image **out,
    size_t *n)
{
	char ids[24];
	const char *p[] = { ids };
	PGresult *res;
	struct kb_image *im;
	int i, rows, failed = 0;

	*out = NULL;
	*n = 0;
	snprintf(ids, sizeof(ids), "%lld", article_id);
	if ((res = db_exec(db, &st_images, p)) == NULL)
		return -1;
	rows = PQntuples(res);
	if (rows > 0 && (im = arena_calloc(a, (size_t)rows, sizeof(*im))) != NULL) {
		for (i = 0; i < rows; i++) {
			im[i].id = db_ll(res, i, 0);
			im[i].article_id = db_ll(res, i, 1);
			im[i].filename = db_str(a, res, i, 2, &failed);
			im[i].content_type = db_str(a, res, i, 3, &failed);
			im[i].size = (size_t)db_ll(res, i, 4);
		}
		*out = im;
		*n = (size_t)rows;
	} else if (rows > 0) {
		failed = 1;
	}
	PQclear(res);
	return failed ? -1 : 0;
}

int
kb_category_save(struct db *db, long long id, const char *name, const char *slug,
    long long parent_id, int position, const char *description, long long *out_id,
    const char **why)
{
	static const char *const reserved[] = { "search", "suggest", "a", "images" };
	char ids[24], parent[24], pos[16];
	const char *ip[] = { name, slug, parent_id ? parent : NULL, pos,
		description ? description : "" };
	const char *up[] = { ids, name, slug, parent_id ? parent : NULL, pos,
		description ? description : "" };
	PGresult *res;
	size_t i;

	if (name == NULL || name[0] == '\0' || strlen(name) > 100)
		return refuse(why, "Give the category a name of up to 100 characters.");
	if (slug == NULL || !slug_ok(slug, 80))
		return refuse(why, "The address may use a-z, 0-9 and single hyphens only.");
	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (strcmp(slug, reserved[i]) == 0)
			return refuse(why, "That address is taken by the help centre itself.");
	if (description != NULL && strlen(description) > 500)
		return refuse(why, "The description is longer than 500 characters.");
	if (id != 0 && parent_id == id)
		return refuse(why, "A category cannot be its own parent.");
	snprintf(ids, sizeof(ids), "%lld", id);
	snprintf(parent, sizeof(parent), "%lld", parent_id);
	snprintf(pos, sizeof(pos), "%d", position);
	res = id == 0 ? db_exec(db, &st_cat_insert, ip) : db_exec(db, &st_cat_update, up);
	if (res == NULL) {
		if (db_is(db, "23505"))
			return refuse(why, "Another category already has this address.");
		if (db_is(db, "23514"))
			return refuse(why, "A category cannot move under itself or its subcategories.");
		if (db_is(db, "23503"))
			return refuse(why, "Choose a parent from the list.");
		return -1;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		return refuse(why, "There is no such category.");
	}
	if (out_id != NULL)
		*out_id = db_ll(res, 0, 0);
	PQclear(res);
	return 0;
}

int
kb_draft_from_ticket(struct db *db, struct arena *a, long long staff_id, const char *number,
    long long *id, const char **why)
{
	const char *p[] = { number };
	struct kb_edit e = { 0 };
	struct buf body;
	PGresult *res;
	const char *status, *desc, *replies, *cause;
	long long ticket_id;
	int failed = 0, rc;

	if ((res = db_exec(db, &st_from_ticket, p)) == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return refuse(why, "There is no such ticket.");
	}
	ticket_id = db_ll(res, 0, 0);
	e.title = db_str(a, res, 0, 1, &failed);
	desc = db_str(a, res, 0, 2, &failed);
	status = db_str(a, res, 0, 3, &failed);
	e.tags = db_str(a, res, 0, 4, &failed);
	e.products = db_str(a, res, 0, 5, &failed);
	e.category_id = db_ll(res, 0, 6);
	replies = db_str(a, res, 0, 7, &failed);
	cause = db_str(a, res, 0, 8, &failed);
	PQclear(res);
	if (failed)
		return -1;
	if (strcmp(status, "resolved") != 0 && strcmp(status, "closed") != 0)
		return refuse(why, "Only a resolved or closed ticket can become an article.");
	if (e.category_id == 0)
		return refuse(why, "Make a knowledge-base category first.");
	buf_init(&body, a);
	buf_printf(&body, "## Problem\n\n%s\n\n", desc);
	if (cause[0] != '\0')
		buf_printf(&body, "## Cause\n\n%s\n\n", cause);
	buf_printf(&body, "## Solution\n\n%s\n", replies[0] ? replies :
	    "Describe the steps that solved it.");
	if (buf_failed(&body))
		return -1;
	/* The ticket's words are the customer's: nobody outside sees the
	 * draft until an editor has made it general and chosen its audience. */
	e.body = body.len > 100000 ? arena_strndup(a, body.buf, 100000) : body.buf;
	e.summary = "";
	e.type = "troubleshooting";
	e.visibility = "internal";
	if (strlen(e.title) > 200)
		e.title = arena_strndup(a, e.title, 200);
	rc = kb_article_create(db, a, staff_id, &e, ticket_id, id, why);
	return rc;
}

int
kb_link_ticket(struct db *db, long long staff_id, long long article_id, long long ticket_id)
{
	char aid[24], tid[24], staff[24];
	const char *p[] = { aid, tid, staff };
	PGresult *res;
	int n;

	snprintf(aid, sizeof(aid), "%lld", article_id);
	snprintf(tid, sizeof(tid), "%lld", ticket_id);
	snprintf(staff, sizeof(staff), "%lld", staff_id);
	if ((res = db_exec(db, &st_link, p)) == NULL)
		return -1;
	n = PQntuples(res);
	PQclear(res);
	return n;
}
