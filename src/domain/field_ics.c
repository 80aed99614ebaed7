/*
 * field_ics.c — iCalendar (RFC 5545) for appointments: a technician's feed
 * behind the secret in its URL, and one appointment's calendar for the
 * customer's mail; see field.h. Each appointment is one VEVENT
 * whose UID never changes and whose SEQUENCE is the appointment's (raised
 * on every reschedule, assignment and cancellation), so a calendar updates
 * the event in place; a cancelled one stays in the feed with
 * STATUS:CANCELLED so calendars remove it.
 */
#include "domain/field.h"
#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"

#include <string.h>

#define ICS_COLS(X) \
	X(FC, id, "ap.id") X(FC, sequence, "ap.sequence") X(FC, status, "ap.status") \
	X(FC, start, "to_char(ap.starts_at AT TIME ZONE 'UTC', 'YYYYMMDD\"T\"HH24MISS\"Z\"')") \
	X(FC, end, "to_char(ap.ends_at AT TIME ZONE 'UTC', 'YYYYMMDD\"T\"HH24MISS\"Z\"')") \
	X(FC, stamp, "to_char(ap.updated_at AT TIME ZONE 'UTC', 'YYYYMMDD\"T\"HH24MISS\"Z\"')") \
	X(FC, summary, "t.number || ' ' || c.name || ': ' || ap.summary") \
	X(FC, location, "trim(ap.address || ' ' || ap.postcode)")
enum { DB_COL_ENUM(ICS_COLS) };

enum stmt {
	ST_FEED,
	ST_ONE,
	ST__MAX
};

static struct db_stmt stmts[] = {
	/* The last 30 days and what is ahead, up to 1000 events. */
	[ST_FEED] = DB_STMT("field_ics_feed",
	    "SELECT " DB_COLS(ICS_COLS) " FROM technicians tc JOIN appointments ap"
	    " ON ap.technician_id = tc.staff_id AND ap.starts_at >= now() - interval '30 days'"
	    " JOIN tickets t ON t.id = ap.ticket_id JOIN customers c ON c.id = ap.customer_id"
	    " WHERE tc.calendar_token::text = $1 AND tc.active"
	    " ORDER BY ap.starts_at, ap.id LIMIT 1000", 1),
	[ST_ONE] = DB_STMT("field_ics_one",
	    "SELECT " DB_COLS(ICS_COLS) " FROM appointments ap JOIN tickets t ON t.id = ap.ticket_id"
	    " JOIN customers c ON c.id = ap.customer_id WHERE ap.id = $1::bigint", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

struct ics_row {
	long long id;
	int sequence;
	const char *status, *start, *end, *stamp, *summary, *location;
};

static enum cs_result
fill(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct ics_row *e = elem;
	int failed = 0;

	e->id = db_ll(r, i, FC_id);
	e->sequence = (int)db_ll(r, i, FC_sequence);
	e->status = db_str(a, r, i, FC_status, &failed);
	e->start = db_str(a, r, i, FC_start, &failed);
	e->end = db_str(a, r, i, FC_end, &failed);
	e->stamp = db_str(a, r, i, FC_stamp, &failed);
	e->summary = db_str(a, r, i, FC_summary, &failed);
	e->location = db_str(a, r, i, FC_location, &failed);
	return failed ? CS_FAILED : CS_OK;
}

/*
 * One content line: name, value escaped as TEXT (backslash, semicolon,
 * comma, newline), folded at 75 octets without splitting a UTF-8
 * sequence, ended by CRLF.
 */
static void
line(struct buf *b, const char *name, const char *value, int text)
{
	struct buf l;
	size_t i, width = 0;

	buf_init(&l, b->arena);
	buf_addstr(&l, name);
	for (; *value != '\0'; value++) {
		if (text && (*value == '\\' || *value == ';' || *value == ','))
			buf_addch(&l, '\\');
		if (text && *value == '\n')
			buf_addstr(&l, "\\n");
		else if (*value != '\r')
			buf_addch(&l, *value);
	}
	for (i = 0; i < l.len; i++) {
		unsigned char c = (unsigned char)l.buf[i];

		if (width >= 74 && (c & 0xC0) != 0x80) {
			buf_addstr(b, "\r\n ");
			width = 1;
		}
		buf_addch(b, c);
		width++;
	}
	buf_addstr(b, "\r\n");
	if (l.failed)
		b->failed = 1;
}

static void
vevent(struct arena *a, struct buf *b, const struct ics_row *e)
{
	line(b, "BEGIN:", "VEVENT", 0);
	line(b, "UID:", arena_printf(a, "appointment-%lld@csdesk", e->id), 0);
	line(b, "SEQUENCE:", arena_printf(a, "%d", e->sequence), 0);
	line(b, "DTSTAMP:", e->stamp, 0);
	line(b, "DTSTART:", e->start, 0);
	line(b, "DTEND:", e->end, 0);
	line(b, "SUMMARY:", e->summary, 1);
	if (*e->location != '\0')
		line(b, "LOCATION:", e->location, 1);
	line(b, "STATUS:", strcmp(e->status, "cancelled") == 0 ? "CANCELLED" : "CONFIRMED", 0);
	line(b, "END:", "VEVENT", 0);
}

/* A calendar of the n events of rows, appended to out. */
static enum cs_result
calendar(struct arena *a, const struct ics_row *rows, size_t n, struct buf *out)
{
	size_t i;

	line(out, "BEGIN:", "VCALENDAR", 0);
	line(out, "VERSION:", "2.0", 0);
	line(out, "PRODID:", "-//csdesk//field service//EN", 0);
	line(out, "METHOD:", "PUBLISH", 0);
	for (i = 0; i < n; i++)
		vevent(a, out, &rows[i]);
	line(out, "END:", "VCALENDAR", 0);
	return out->failed ? CS_FAILED : CS_OK;
}

enum cs_result
field_ics_appointment(struct db *db, struct arena *a, long long id, struct buf *out)
{
	const char *p[] = { db_param_ll(a, id) };
	struct ics_row row;
	enum cs_result rc = db_one(db, a, &stmts[ST_ONE], p, fill, &row);

	return rc != CS_OK ? rc : calendar(a, &row, 1, out);
}

enum cs_result
field_ics_feed(struct db *db, struct arena *a, const char *token, struct buf *out)
{
	const char *p[] = { token };
	struct ics_row *rows;
	void *got;
	size_t n;
	enum cs_result rc;

	/* A token is a UUID; anything else matches nobody. */
	if (token == NULL || strlen(token) != 36)
		return CS_NOT_FOUND;
	if ((rc = db_rows(db, a, &stmts[ST_FEED], p, sizeof(*rows), fill, &got, &n)) != CS_OK)
		return rc;
	rows = got;
	return calendar(a, rows, n, out);
}
