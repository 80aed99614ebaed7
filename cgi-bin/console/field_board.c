/*
 * field_board.c — the dispatch board for supervisors: GET
 * /agent/field/board?week=YYYY-MM-DD&after={technician} shows active
 * technicians by the days of a week with their appointments as blocks
 * (links to each job), and the week's jobs without a technician; the one
 * being dispatched (?job=, else the first) has an "assign" form listing
 * the technicians dispatch ranks first and why, the others a link that
 * makes them the one. POST /agent/field/board/assign gives the job to the one chosen and
 * comes back to the same week; a slot taken meanwhile comes back at 409
 * with the sentence. Links and forms only: it works without JavaScript.
 */
#include "console/handlers.h"
#include "core/arena.h"
#include "domain/field.h"
#include "domain/field_board.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/result.h"

#include <string.h>

/* Candidates offered in each unassigned job's form. */
#define BOARD_CANDIDATES FIELD_RANK_FEW

static struct tval *
block_map(struct arena *a, const struct field_block *b)
{
	struct tval *m = tval_map(a);

	if (m == NULL || tval_set_int(a, m, "id", b->id) < 0 ||
	    tval_set_str(a, m, "from", b->from) < 0 || tval_set_str(a, m, "to", b->to) < 0 ||
	    tval_set_str(a, m, "number", b->ticket_number) < 0 ||
	    tval_set_str(a, m, "summary", b->summary) < 0 ||
	    tval_set_str(a, m, "postcode", b->postcode) < 0 ||
	    tval_set_str(a, m, "status", b->status) < 0 ||
	    tval_set_bool(a, m, "done", strcmp(b->status, "completed") == 0) < 0)
		return NULL;
	return m;
}

/* One row of the board: the technician and seven cells of blocks. */
static struct tval *
tech_row(struct arena *a, const struct field_board *bd, const struct field_board_tech *t)
{
	struct tval *m = tval_map(a), *cells = tval_list(a);
	size_t i;
	int d;

	if (m == NULL || cells == NULL || tval_set_int(a, m, "id", t->staff_id) < 0 ||
	    tval_set_str(a, m, "name", t->name) < 0 || tval_set_str(a, m, "zone", t->zone) < 0)
		return NULL;
	for (d = 0; d < 7; d++) {
		struct tval *cell = tval_map(a), *blocks = tval_list(a);

		if (cell == NULL || blocks == NULL)
			return NULL;
		for (i = 0; i < bd->nblocks; i++) {
			struct tval *b;

			if (bd->blocks[i].technician_id != t->staff_id || bd->blocks[i].day != d)
				continue;
			if ((b = block_map(a, &bd->blocks[i])) == NULL || tval_push(a, blocks, b) < 0)
				return NULL;
		}
		if (tval_set(a, cell, "blocks", blocks) < 0 ||
		    tval_set_str(a, cell, "day", bd->days[d]) < 0 || tval_push(a, cells, cell) < 0)
			return NULL;
	}
	return tval_set(a, m, "cells", cells) < 0 ? NULL : m;
}

/*
 * An unassigned job; the one being dispatched (ranked) comes with the
 * first technicians dispatch ranks as available. Ranking weighs every
 * technician, so a page ranks one job, not all of them.
 */
static struct tval *
open_job(struct app *app, struct req *r, const struct field_open_job *o, int ranked,
    enum cs_result *rc)
{
	struct arena *a = r->arena;
	struct tval *m = tval_map(a), *cands = tval_list(a);
	struct field_candidate *c;
	size_t n, i, shown = 0;

	*rc = CS_OK;
	if (m == NULL || cands == NULL || tval_set_int(a, m, "id", o->id) < 0 ||
	    tval_set_str(a, m, "number", o->ticket_number) < 0 ||
	    tval_set_str(a, m, "summary", o->summary) < 0 ||
	    tval_set_str(a, m, "postcode", o->postcode) < 0 ||
	    tval_set_str(a, m, "skill", o->skill) < 0 ||
	    tval_set_str(a, m, "window", o->window) < 0 ||
	    tval_set_bool(a, m, "ranked", ranked) < 0)
		return NULL;
	if (!ranked)
		return m;
	if ((*rc = field_dispatch_rank(&app->db, a, o->id, BOARD_CANDIDATES, &c, &n)) != CS_OK)
		return NULL;
	for (i = 0; i < n && shown < BOARD_CANDIDATES; i++) {
		struct tval *k;

		if (!(c[i].free && !c[i].off && c[i].in_hours))
			continue;
		if ((k = tval_map(a)) == NULL ||
		    tval_set_int(a, k, "staff_id", c[i].staff_id) < 0 ||
		    tval_set_str(a, k, "name", c[i].name) < 0 ||
		    tval_set_str(a, k, "why", c[i].why) < 0 ||
		    tval_set_bool(a, k, "first", shown == 0) < 0 || tval_push(a, cands, k) < 0)
			return NULL;
		shown++;
	}
	return tval_set(a, m, "candidates", cands) < 0 ||
	    tval_set_bool(a, m, "has_candidates", shown > 0) < 0 ? NULL : m;
}

static int
board_page(struct app *app, struct req *r, struct resp *w, const char *week, long long after,
    long long job, int status, const char *error)
{
	struct arena *a = r->arena;
	struct field_board bd;
	struct tval *ctx = app_page(app, r, "Dispatch board"), *rows = tval_list(a),
	    *open = tval_list(a), *days = tval_list(a);
	const char *why = NULL;
	enum cs_result rc;
	size_t i;
	int d;

	if (ctx == NULL || rows == NULL || open == NULL || days == NULL)
		return 500;
	rc = field_board_read(&app->db, a, week, after, &bd, &why);
	if (rc == CS_REFUSED) {
		/* A week that is not a date: this week, with the sentence. */
		error = why;
		status = 422;
		rc = field_board_read(&app->db, a, NULL, 0, &bd, &why);
	}
	if (rc != CS_OK)
		return web_result_status(rc);
	for (i = 0; i < bd.ntechs; i++) {
		struct tval *row = tech_row(a, &bd, &bd.techs[i]);

		if (row == NULL || tval_push(a, rows, row) < 0)
			return 500;
	}
	/* The job asked for (?job=), else the first. */
	for (i = 0; i < bd.nopen && bd.open[i].id != job; i++)
		;
	if (i == bd.nopen)
		job = bd.nopen > 0 ? bd.open[0].id : 0;
	for (i = 0; i < bd.nopen; i++) {
		struct tval *o = open_job(app, r, &bd.open[i], bd.open[i].id == job, &rc);

		if (rc != CS_OK)
			return web_result_status(rc);
		if (o == NULL || tval_push(a, open, o) < 0)
			return 500;
	}
	for (d = 0; d < 7; d++)
		if (tval_push(a, days, tval_str(a, bd.days[d])) < 0)
			return 500;
	if (tval_set_str(a, ctx, "week", bd.week) < 0 || tval_set_str(a, ctx, "prev", bd.prev) < 0 ||
	    tval_set_str(a, ctx, "next", bd.next) < 0 || tval_set(a, ctx, "days", days) < 0 ||
	    tval_set(a, ctx, "rows", rows) < 0 || tval_set(a, ctx, "open", open) < 0 ||
	    (bd.more && bd.ntechs > 0 && tval_set_int(a, ctx, "after",
	    bd.techs[bd.ntechs - 1].staff_id) < 0) ||
	    tval_set_bool(a, ctx, "paged", after > 0) < 0 ||
	    (error != NULL && tval_set_str(a, ctx, "error", error) < 0))
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/field/board", ctx);
}

int
console_field_board(struct app *app, struct req *r, struct resp *w)
{
	long long after = 0, job = 0;

	if (web_query_key(r, "after", &after) < 0 || web_query_key(r, "job", &job) < 0)
		return 404;
	return board_page(app, r, w, req_query(r, "week"), after, job, 200, NULL);
}

static const struct field_rule assign_rules[] = {
	{ "appointment_id", "Job", FIELD_INT, 1, 1, 1LL << 53, NULL },
	{ "technician_id", "Technician", FIELD_INT, 1, 1, 1LL << 53, NULL },
	{ "week", "Week", FIELD_TEXT, 0, 0, 10, NULL },
};

int
console_field_board_assign(struct app *app, struct req *r, struct resp *w)
{
	struct field_actor by = { r->who.id, 0 };
	struct field_form f;
	const char *v[3], *why = NULL;
	long long num[3];
	enum cs_result rc;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, assign_rules, 3, v, num);
	if (f.failed)
		return 500;
	if (f.nerrors > 0)
		return board_page(app, r, w, v[2], 0, num[0], 422,
		    "Choose a technician for the job, then Assign.");
	rc = field_assign(&app->db, r->arena, &by, num[0], num[1], &why);
	if (rc == CS_REFUSED || rc == CS_TAKEN)
		return board_page(app, r, w, v[2], 0, num[0], rc == CS_TAKEN ? 409 : 422, why);
	if (rc != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "Technician assigned.");
	resp_redirect(w, arena_printf(r->arena, "/agent/field/board?week=%s", v[2]));
	return 0;
}
