/*
 * gen_field.c — technicians and appointments for benchmarks; see
 * gen_field.h. The technician's day and the dispatch board are measured
 * over them (scripts/bench_field.sh).
 *
 * Appointment g goes to technician 1 + g % T, as its k-th job (k = g / T):
 * day k / 4 counted from about a year ago, slot k % 4 (08:00, 10:30, 13:00,
 * 15:30 UTC, an hour and a half each, 30 minutes of travel either side),
 * so a technician's jobs never overlap and the exclusion constraint holds.
 */
#include "cli/gen_field.h"
#include "db/db.h"

#include <stdio.h>
#include <time.h>

#define GEN_F_BATCH 50000LL

#define RANGE_COLS(X) X(FR, made, "count(*)")
enum { DB_COL_ENUM(RANGE_COLS) };
#define COUNT_COLS(X) X(FN, tickets, "(SELECT count(*) FROM gen_f_tickets)") \
	X(FN, techs, "(SELECT count(*) FROM gen_f_techs)")
enum { DB_COL_ENUM(COUNT_COLS) };

enum stmt {
	ST_STAFF,
	ST_TECHS,
	ST_SKILLS,
	ST_TEMP_TICKETS,
	ST_TEMP_TECHS,
	ST_COUNTS,
	ST_APPOINTMENTS,
	ST_ANALYZE,
	ST__MAX
};

static struct db_stmt stmts[] = {
	/* $1 how many, $2 the run, $3 the password's hash. */
	[ST_STAFF] = DB_STMT("gen_f_staff",
	    "INSERT INTO staff (email, name, password_hash, roles, work_days, work_start, work_end,"
	    " time_zone) SELECT 'tech' || $2 || '-' || g || '@gen.csdesk.test',"
	    " 'Technician ' || lpad(g::text, 5, '0') || ' (' || $2 || ')', $3, ARRAY['technician'],"
	    " '{1,2,3,4,5,6,7}', '07:00', '19:00', 'UTC' FROM generate_series(1, $1::bigint) g", 3),
	[ST_TECHS] = DB_STMT("gen_f_techs",
	    "INSERT INTO technicians (staff_id, territory, home_base, travel_buffer_min, van_label)"
	    " SELECT s.id, ARRAY[lpad((1 + s.id % 95)::text, 2, '0')], 'Depot ' || (1 + s.id % 12),"
	    " 30, 'Van ' || s.id FROM staff s"
	    " WHERE s.email LIKE 'tech' || $1 || '-%@gen.csdesk.test'", 1),
	[ST_SKILLS] = DB_STMT("gen_f_skills",
	    "INSERT INTO technician_skills (staff_id, skill, level) SELECT tc.staff_id, k.skill,"
	    " 1 + (tc.staff_id + k.n) % 5 FROM technicians tc JOIN staff s ON s.id = tc.staff_id"
	    " CROSS JOIN LATERAL (SELECT n, (ARRAY['appliance repair', 'boiler', 'heat pump',"
	    " 'networking', 'printer'])[1 + (tc.staff_id + n) % 5] AS skill"
	    " FROM generate_series(0, 1) n) k"
	    " WHERE s.email LIKE 'tech' || $1 || '-%@gen.csdesk.test' ON CONFLICT DO NOTHING", 1),
	/* What appointments are spread over, numbered to be drawn by number. */
	[ST_TEMP_TICKETS] = DB_STMT("gen_f_temp_tickets",
	    "CREATE TEMP TABLE gen_f_tickets (rn, id, customer_id) AS SELECT row_number() OVER"
	    " (ORDER BY id), id, customer_id FROM (SELECT id, customer_id FROM tickets"
	    " ORDER BY id DESC LIMIT 200000) t", 0),
	[ST_TEMP_TECHS] = DB_STMT("gen_f_temp_techs",
	    "CREATE TEMP TABLE gen_f_techs (rn, id) AS SELECT row_number() OVER (ORDER BY s.id), s.id"
	    " FROM staff s WHERE s.email LIKE 'tech' || $1 || '-%@gen.csdesk.test'", 1),
	[ST_COUNTS] = DB_STMT("gen_f_counts", "SELECT " DB_COLS(COUNT_COLS), 0),
	/* $1..$2 the batch's numbers, $3 technicians, $4 tickets. */
	[ST_APPOINTMENTS] = DB_STMT("gen_f_appointments",
	    "WITH n AS (INSERT INTO appointments (ticket_id, customer_id, technician_id, skill,"
	    " postcode, address, summary, starts_at, ends_at, busy, status, sequence, checkin_at,"
	    " checkout_at, completed_at, labour_min, travel_min, created_at)"
	    " SELECT t.id, t.customer_id, CASE WHEN g % 200 = 7 THEN NULL ELSE tc.id END,"
	    " (ARRAY['appliance repair', 'boiler', 'heat pump', 'networking', 'printer'])[1 + g % 5],"
	    " lpad((1 + tc.id % 95)::text, 2, '0') || lpad((g % 1000)::text, 3, '0'),"
	    " (1 + g % 180) || ' rue de la Paix', (ARRAY['Boiler service', 'No hot water',"
	    " 'Printer jams', 'Router install', 'Fridge too warm'])[1 + g % 5], w.s, w.e,"
	    " tstzrange(w.s - interval '30 minutes', w.e + interval '30 minutes'),"
	    " CASE WHEN g % 25 = 0 THEN 'cancelled' WHEN w.e < now() AND g % 200 <> 7"
	    " THEN 'completed' ELSE 'booked' END, (g % 3)::int,"
	    " CASE WHEN w.e < now() AND g % 25 <> 0 AND g % 200 <> 7 THEN w.s END,"
	    " CASE WHEN w.e < now() AND g % 25 <> 0 AND g % 200 <> 7 THEN w.e END,"
	    " CASE WHEN w.e < now() AND g % 25 <> 0 AND g % 200 <> 7 THEN w.e END,"
	    " CASE WHEN w.e < now() AND g % 25 <> 0 AND g % 200 <> 7 THEN 60 + (g % 4) * 15 END,"
	    " CASE WHEN w.e < now() AND g % 25 <> 0 AND g % 200 <> 7 THEN 20 + g % 30 END,"
	    " w.s - interval '7 days'"
	    " FROM generate_series($1::bigint, $2::bigint) g"
	    " JOIN gen_f_techs tc ON tc.rn = 1 + g % $3::bigint"
	    " JOIN gen_f_tickets t ON t.rn = 1 + (g * 7919) % $4::bigint"
	    " CROSS JOIN LATERAL (SELECT (current_date - 365 + ((g / $3::bigint) / 4)::int"
	    " + time '08:00' + make_interval(mins => ((g / $3::bigint) % 4)::int * 150))"
	    " AT TIME ZONE 'UTC' AS s) w0"
	    " CROSS JOIN LATERAL (SELECT w0.s, w0.s + interval '90 minutes' AS e) w"
	    " RETURNING 1) SELECT " DB_COLS(RANGE_COLS) " FROM n", 4),
	[ST_ANALYZE] = DB_STMT("gen_f_analyze",
	    "VACUUM (ANALYZE) appointments, technicians, technician_skills, staff", 0),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs st in a transaction of its own. 0 or -1. */
static int
run_tx(struct db *db, enum stmt st, const char *const *p)
{
	if (db_begin(db) < 0 || db_run(db, &stmts[st], p) < 0 || db_commit(db) < 0) {
		db_rollback(db);
		fprintf(stderr, "csdesk gen: %s failed (see above)\n", stmts[st].name);
		return -1;
	}
	return 0;
}

int
gen_field(struct db *db, long long technicians, long long appointments,
    const char *password_hash)
{
	char run[24], nt[24], lo[24], hi[24], ntech[24], ntick[24];
	const char *sp[3] = { nt, run, password_hash }, *rp[1] = { run };
	const char *ap[4] = { lo, hi, ntech, ntick };
	long long off, made = 0;
	double t0 = seconds(), t1;
	PGresult *r;

	snprintf(run, sizeof(run), "%lld", (long long)time(NULL));
	snprintf(nt, sizeof(nt), "%lld", technicians);
	if (run_tx(db, ST_STAFF, sp) < 0 || run_tx(db, ST_TECHS, rp) < 0 ||
	    run_tx(db, ST_SKILLS, rp) < 0)
		return -1;
	t1 = seconds();
	if (db_run(db, &stmts[ST_TEMP_TICKETS], NULL) < 0 ||
	    db_run(db, &stmts[ST_TEMP_TECHS], rp) < 0 ||
	    (r = db_exec(db, &stmts[ST_COUNTS], NULL)) == NULL)
		return -1;
	snprintf(ntick, sizeof(ntick), "%s", PQgetvalue(r, 0, FN_tickets));
	snprintf(ntech, sizeof(ntech), "%s", PQgetvalue(r, 0, FN_techs));
	PQclear(r);
	if (appointments > 0 && (ntick[0] == '0' || ntech[0] == '0')) {
		fprintf(stderr, "csdesk gen: appointments need tickets and technicians:"
		    " add --tickets (or load the demo) and --technicians\n");
		return -1;
	}
	for (off = 0; off < appointments; off += GEN_F_BATCH) {
		long long end = off + GEN_F_BATCH < appointments ? off + GEN_F_BATCH : appointments;

		snprintf(lo, sizeof(lo), "%lld", off + 1);
		snprintf(hi, sizeof(hi), "%lld", end);
		if (db_begin(db) < 0)
			return -1;
		if ((r = db_exec(db, &stmts[ST_APPOINTMENTS], ap)) == NULL || PQntuples(r) != 1) {
			PQclear(r);
			db_rollback(db);
			fprintf(stderr, "csdesk gen: loading appointments failed (see above)\n");
			return -1;
		}
		made += db_ll(r, 0, FR_made);
		PQclear(r);
		if (db_commit(db) < 0)
			return -1;
		fprintf(stderr, "\rcsdesk gen: %lld / %lld appointments", end, appointments);
	}
	if (appointments > 0)
		fputc('\n', stderr);
	if (db_run(db, &stmts[ST_ANALYZE], NULL) < 0)
		return -1;
	printf("gen: %lld technicians in %.1f s, %lld appointments in %.1f s\n", technicians,
	    t1 - t0, made, seconds() - t1);
	return 0;
}
