/*
 * warranty_coverage.c — reading coverage (stored, or computed for another
 * time), its words, and the batch's recompute at midnight; see warranty.h.
 */
#include "domain/warranty.h"
#include "domain/warranty_int.h"
#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"

#include <stdio.h>
#include <string.h>

#define FOR_COLS(X) \
	X(CF, id, "g.id") \
	WARRANTY_COVER_COLS(X, CF)
enum { DB_COL_ENUM(FOR_COLS) };
#define FOR_WHERE " WHERE g.serial_key = upper(regexp_replace($1, '\\s', '', 'g'))" \
	" AND g.customer_id = $2::bigint AND ($3::bigint = 0 OR g.product_id = $3::bigint)"

#define DUE_COLS(X) X(DU, n, "warranty_coverage_due(coalesce($1::timestamptz, now()), $2::int)")
enum { DB_COL_ENUM(DUE_COLS) };

enum stmt {
	ST_STORED,
	ST_AT,
	ST_DUE,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_STORED] = DB_STMT("warranty_cover_stored",
	    "SELECT " DB_COLS(FOR_COLS) " FROM warranty_registrations g"
	    " LEFT JOIN warranty_coverage v ON v.registration_id = g.id" FOR_WHERE, 3),
	[ST_AT] = DB_STMT("warranty_cover_at",
	    "SELECT " DB_COLS(FOR_COLS) " FROM warranty_registrations g"
	    " LEFT JOIN LATERAL warranty_coverage_compute(g.id, $4::timestamptz) v ON true"
	    FOR_WHERE, 4),
	[ST_DUE] = DB_STMT("warranty_cover_due", "SELECT " DB_COLS(DUE_COLS), 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static const char *const part_names[WARRANTY_PART__MAX] = { "parts", "labour", "travel" };
static const char *const months[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
	"Aug", "Sep", "Oct", "Nov", "Dec" };

const char *
warranty_date_words(struct arena *a, const char *iso)
{
	int y, m, d;
	char tail;

	if (iso == NULL || sscanf(iso, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 ||
	    m > 12)
		return iso;
	return arena_printf(a, "%d %s %d", d, months[m - 1], y);
}

/* One component's words: "labour covered until 3 Mar 2027 (contract)". */
static void
part_words(struct buf *b, struct arena *a, const char *name, const struct warranty_component *p,
    int first_covered)
{
	const char *until = warranty_date_words(a, p->until);
	const char *by = strcmp(p->by, "contract") == 0 ? " under contract" : "";

	if (p->covered)
		buf_printf(b, "%s%s until %s%s", name, first_covered ? " covered" : "", until, by);
	else if (*p->until != '\0')
		buf_printf(b, "%s ended on %s", name, until);
	else
		buf_printf(b, "%s not covered", name);
}

const char *
warranty_words(struct arena *a, struct warranty_coverage *c)
{
	struct buf b;
	int pass, said = 0, first = 1;
	size_t i;

	buf_init(&b, a);
	/* What is covered first ("labour covered until …, parts until …"), then the rest. */
	for (pass = 1; pass >= 0; pass--)
		for (i = 0; i < WARRANTY_PART__MAX; i++) {
			size_t k = i == 0 ? WARRANTY_LABOUR : i == 1 ? WARRANTY_PARTS : i;

			if (c->part[k].covered != pass)
				continue;
			if (said++)
				buf_addstr(&b, ", ");
			part_words(&b, a, part_names[k], &c->part[k], pass && first);
			if (pass)
				first = 0;
		}
	if (buf_failed(&b))
		return NULL;
	if (b.len > 0)
		b.buf[0] = (char)(b.buf[0] - 'a' + 'A');
	c->words = b.buf;
	return c->words;
}

void
warranty_cover_fill(struct arena *a, const PGresult *r, int i, int first,
    struct warranty_coverage *c, int *failed)
{
	size_t k;

	for (k = 0; k < WARRANTY_PART__MAX; k++) {
		int col = first + (int)k * 3;

		c->part[k].covered = db_bool(r, i, col);
		c->part[k].until = db_str(a, r, i, col + 1, failed);
		c->part[k].by = db_str(a, r, i, col + 2, failed);
	}
	if (!*failed && warranty_words(a, c) == NULL)
		*failed = 1;
}

const char *
warranty_not_covered_why(struct arena *a, const char *serial, const struct warranty_coverage *c)
{
	const char *last = "";
	size_t k;

	for (k = 0; k < WARRANTY_PART__MAX; k++)
		if (strcmp(c->part[k].until, last) > 0)
			last = c->part[k].until;
	if (*last == '\0')
		return arena_printf(a, "Serial %s has no warranty or contract cover.", serial);
	return arena_printf(a, "The cover of serial %s ended on %s.", serial,
	    warranty_date_words(a, last));
}

static enum cs_result
fill_for(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct warranty_coverage *c = elem;
	int failed = 0;

	c->registration_id = db_ll(r, i, CF_id);
	warranty_cover_fill(a, r, i, CF_parts_on, c, &failed);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
warranty_coverage_for(struct db *db, struct arena *a, long long customer_id,
    long long product_id, const char *serial, const char *at, struct warranty_coverage *out,
    const char **why)
{
	const char *p[] = { serial != NULL ? serial : "", db_param_ll(a, customer_id),
		db_param_ll(a, product_id), at };
	enum cs_result rc;

	*why = NULL;
	memset(out, 0, sizeof(*out));
	if (p[1] == NULL || p[2] == NULL)
		return CS_FAILED;
	rc = db_one(db, a, &stmts[at != NULL ? ST_AT : ST_STORED], p, fill_for, out);
	if (rc == CS_NOT_FOUND)
		*why = arena_printf(a, "Serial %s is not registered.", p[0]);
	else if (rc == CS_FAILED && (db_is(db, "22007") || db_is(db, "22008"))) {
		*why = "That is not a date and time.";
		rc = CS_REFUSED;
	}
	return rc;
}

enum cs_result
warranty_coverage_tick(struct db *db, const char *at, int limit, long *done)
{
	char lim[16];
	const char *p[] = { at, lim };

	snprintf(lim, sizeof(lim), "%d", limit);
	for (;;) {
		PGresult *r = db_exec(db, &stmts[ST_DUE], p);
		long long n;

		if (r == NULL)
			return db_result(db);
		n = PQntuples(r) == 1 ? db_ll(r, 0, DU_n) : 0;
		PQclear(r);
		*done += (long)n;
		if (n < limit)
			return CS_OK;
	}
}
