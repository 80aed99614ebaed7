/* field_board.c — the dispatch board's week; see field_board.h. */
#include "domain/field_board.h"
#include "core/arena.h"
#include "db/db.h"

#include <ctype.h>
#include <string.h>

#define W_COLS(X) \
	X(FW, week, "w.d::text") X(FW, prev, "(w.d - 7)::text") X(FW, next, "(w.d + 7)::text") \
	X(FW, d0, "to_char(w.d, 'Dy FMDD Mon')") X(FW, d1, "to_char(w.d + 1, 'Dy FMDD Mon')") \
	X(FW, d2, "to_char(w.d + 2, 'Dy FMDD Mon')") X(FW, d3, "to_char(w.d + 3, 'Dy FMDD Mon')") \
	X(FW, d4, "to_char(w.d + 4, 'Dy FMDD Mon')") X(FW, d5, "to_char(w.d + 5, 'Dy FMDD Mon')") \
	X(FW, d6, "to_char(w.d + 6, 'Dy FMDD Mon')")
enum { DB_COL_ENUM(W_COLS) };

#define T_COLS(X) X(FT, id, "s.id") X(FT, name, "s.name") X(FT, zone, "s.time_zone")
enum { DB_COL_ENUM(T_COLS) };

#define B_COLS(X) \
	X(FB, id, "ap.id") X(FB, tech, "ap.technician_id") \
	X(FB, day, "(ap.starts_at AT TIME ZONE p.time_zone)::date - w.d") \
	X(FB, from, "to_char(ap.starts_at AT TIME ZONE p.time_zone, 'HH24:MI')") \
	X(FB, to, "to_char(ap.ends_at AT TIME ZONE p.time_zone, 'HH24:MI')") \
	X(FB, number, "t.number") X(FB, summary, "ap.summary") X(FB, postcode, "ap.postcode") \
	X(FB, status, "ap.status")
enum { DB_COL_ENUM(B_COLS) };

#define O_COLS(X) \
	X(FO, id, "ap.id") X(FO, number, "t.number") X(FO, summary, "ap.summary") \
	X(FO, postcode, "ap.postcode") X(FO, skill, "ap.skill") \
	X(FO, window, "to_char(ap.starts_at AT TIME ZONE coalesce(c.time_zone, 'UTC')," \
	    " 'Dy FMDD Mon HH24:MI') || '–' || to_char(ap.ends_at AT TIME ZONE" \
	    " coalesce(c.time_zone, 'UTC'), 'HH24:MI') || ' ' || coalesce(c.time_zone, 'UTC')")
enum { DB_COL_ENUM(O_COLS) };

/*
 * The week's Monday, from $1 (a day, or '' for today in UTC): each
 * statement works it out, so the four are sent at once (one round trip).
 * Once (OFFSET 0): inlined, date_trunc() ran for every block, twice.
 */
#define WEEK "(SELECT date_trunc('week', coalesce(nullif($1, '')::date," \
	" (now() AT TIME ZONE 'UTC')::date))::date AS d OFFSET 0) w"

/* A page of active technicians by name, after technician $2 (0: the first); $3 rows. */
#define PAGE \
	"SELECT s.id, s.name, s.time_zone FROM technicians tc JOIN staff s ON s.id = tc.staff_id" \
	" WHERE tc.active AND s.active AND ($2::bigint = 0 OR (s.name, s.id) >" \
	" ((SELECT x.name FROM staff x WHERE x.id = $2::bigint), $2::bigint))" \
	" ORDER BY s.name, s.id LIMIT $3::int"

enum stmt {
	ST_WEEK,
	ST_TECHS,
	ST_BLOCKS,
	ST_OPEN,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_WEEK] = DB_STMT("field_board_week", "SELECT " DB_COLS(W_COLS) " FROM " WEEK, 1),
	[ST_TECHS] = DB_STMT("field_board_techs",
	    "SELECT " DB_COLS(T_COLS) " FROM (" PAGE ") s WHERE $1::text IS NOT NULL"
	    " ORDER BY s.name, s.id", 3),
	/*
	 * A day either side of the week in UTC covers every time zone's week.
	 * Each technician's week is read by its own range of
	 * appointments_board (LATERAL; 059: it carries what a block shows): as
	 * a join, the generic plan read every technician's appointments of
	 * those nine days (7,205 at 500,000 appointments) to keep the 20 of
	 * the page.
	 */
	[ST_BLOCKS] = DB_STMT("field_board_blocks",
	    "SELECT " DB_COLS(B_COLS) " FROM " WEEK " CROSS JOIN (" PAGE ") p"
	    " CROSS JOIN LATERAL (SELECT a.id,"
	    " a.technician_id, a.ticket_id, a.starts_at, a.ends_at, a.summary, a.postcode, a.status"
	    " FROM appointments a WHERE a.technician_id = p.id"
	    " AND a.starts_at >= (w.d - 1)::timestamp AT TIME ZONE 'UTC'"
	    " AND a.starts_at < (w.d + 8)::timestamp AT TIME ZONE 'UTC'"
	    " AND a.status <> 'cancelled'"
	    " AND (a.starts_at AT TIME ZONE p.time_zone)::date BETWEEN w.d AND w.d + 6"
	    " OFFSET 0) ap JOIN tickets t ON t.id = ap.ticket_id"
	    " ORDER BY ap.technician_id, ap.starts_at, ap.id LIMIT 2000", 3),
	[ST_OPEN] = DB_STMT("field_board_open",
	    "SELECT " DB_COLS(O_COLS) " FROM " WEEK " CROSS JOIN appointments ap"
	    " JOIN tickets t ON t.id = ap.ticket_id JOIN customers c ON c.id = ap.customer_id"
	    " WHERE ap.technician_id IS NULL AND ap.status = 'booked'"
	    " AND ap.starts_at >= (w.d - 1)::timestamp AT TIME ZONE 'UTC'"
	    " AND ap.starts_at < (w.d + 8)::timestamp AT TIME ZONE 'UTC'"
	    " ORDER BY ap.starts_at, ap.id LIMIT $2::int", 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static enum cs_result
fill_week(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct field_board *o = elem;
	int failed = 0, d;

	o->week = db_str(a, r, i, FW_week, &failed);
	o->prev = db_str(a, r, i, FW_prev, &failed);
	o->next = db_str(a, r, i, FW_next, &failed);
	for (d = 0; d < 7; d++)
		o->days[d] = db_str(a, r, i, FW_d0 + d, &failed);
	return failed ? CS_FAILED : CS_OK;
}

static enum cs_result
fill_tech(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct field_board_tech *o = elem;
	int failed = 0;

	o->staff_id = db_ll(r, i, FT_id);
	o->name = db_str(a, r, i, FT_name, &failed);
	o->zone = db_str(a, r, i, FT_zone, &failed);
	return failed ? CS_FAILED : CS_OK;
}

static enum cs_result
fill_block(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct field_block *o = elem;
	int failed = 0;

	o->id = db_ll(r, i, FB_id);
	o->technician_id = db_ll(r, i, FB_tech);
	o->day = (int)db_ll(r, i, FB_day);
	o->from = db_str(a, r, i, FB_from, &failed);
	o->to = db_str(a, r, i, FB_to, &failed);
	o->ticket_number = db_str(a, r, i, FB_number, &failed);
	o->summary = db_str(a, r, i, FB_summary, &failed);
	o->postcode = db_str(a, r, i, FB_postcode, &failed);
	o->status = db_str(a, r, i, FB_status, &failed);
	return failed ? CS_FAILED : CS_OK;
}

static enum cs_result
fill_open(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct field_open_job *o = elem;
	int failed = 0;

	o->id = db_ll(r, i, FO_id);
	o->ticket_number = db_str(a, r, i, FO_number, &failed);
	o->summary = db_str(a, r, i, FO_summary, &failed);
	o->postcode = db_str(a, r, i, FO_postcode, &failed);
	o->skill = db_str(a, r, i, FO_skill, &failed);
	o->window = db_str(a, r, i, FO_window, &failed);
	return failed ? CS_FAILED : CS_OK;
}

/* "YYYY-MM-DD" in shape (PostgreSQL then says whether it is a day). */
static int
date_shaped(const char *s)
{
	int i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

enum cs_result
field_board_read(struct db *db, struct arena *a, const char *day, long long after_id,
    struct field_board *out, const char **why)
{
	const char *wp[] = { day != NULL ? day : "" };
	const char *tp[] = { wp[0], db_param_ll(a, after_id), db_param_ll(a, FIELD_BOARD_ROWS + 1) };
	const char *bp[] = { wp[0], tp[1], db_param_ll(a, FIELD_BOARD_ROWS) };
	const char *op[] = { wp[0], db_param_ll(a, FIELD_BOARD_OPEN) };
	struct field_board *week = NULL;
	struct db_pipe pipe;
	void *rows;
	size_t n = 0;
	enum cs_result rc;

	memset(out, 0, sizeof(*out));
	*why = NULL;
	if (*wp[0] != '\0' && !date_shaped(wp[0])) {
		*why = "Give the week as a date (YYYY-MM-DD).";
		return CS_REFUSED;
	}
	db_pipe_init(&pipe);
	db_pipe_add(&pipe, &stmts[ST_WEEK], wp);
	db_pipe_add(&pipe, &stmts[ST_TECHS], tp);
	db_pipe_add(&pipe, &stmts[ST_BLOCKS], bp);
	db_pipe_add(&pipe, &stmts[ST_OPEN], op);
	if ((rc = db_pipe_run(db, &pipe)) != CS_OK) {
		if (db_is(db, "22008") || db_is(db, "22007")) {
			*why = "That is not a day of the calendar.";
			rc = CS_REFUSED;
		}
		return rc;
	}
	rc = db_pipe_rows(&pipe, 0, a, sizeof(*week), fill_week, &rows, &n);
	week = rows;
	if (rc == CS_OK && n != 1)
		rc = CS_FAILED;
	if (rc == CS_OK) {
		*out = *week;
		rc = db_pipe_rows(&pipe, 1, a, sizeof(*out->techs), fill_tech, &rows, &out->ntechs);
		out->techs = rows;
		/* A row past the page says there is a next one. */
		if ((out->more = out->ntechs > FIELD_BOARD_ROWS))
			out->ntechs = FIELD_BOARD_ROWS;
	}
	if (rc == CS_OK) {
		rc = db_pipe_rows(&pipe, 2, a, sizeof(*out->blocks), fill_block, &rows,
		    &out->nblocks);
		out->blocks = rows;
	}
	if (rc == CS_OK) {
		rc = db_pipe_rows(&pipe, 3, a, sizeof(*out->open), fill_open, &rows, &out->nopen);
		out->open = rows;
	}
	db_pipe_release(&pipe);
	return rc;
}
