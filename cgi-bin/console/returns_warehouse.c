/*
 * returns_warehouse.c — the warehouse's pages, made for a phone: find a
 * return by the RMA number on the box or a serial (GET
 * /agent/returns/warehouse?q=), then on GET /agent/returns/{number}/warehouse
 * receive units (POST …/receive), inspect them (POST …/inspect) and decide
 * what becomes of each (POST …/disposition). Conditions and photos go with
 * receiving and inspection.
 */
#include "console/returns_pages.h"
#include "core/arena.h"
#include "domain/tickets.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/result.h"
#include "web/returns_form.h"

#include <stdio.h>
#include <string.h>

#define PAGE "console/returns/warehouse"

int
console_returns_warehouse(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx = app_page(app, r, "Warehouse");
	const char *q = req_query(r, "q"), *number = NULL, *why = NULL;
	enum cs_result rc;

	if (ctx == NULL)
		return 500;
	if (q != NULL && (q = fields_trim(r->arena, q)) != NULL && *q != '\0') {
		rc = returns_find(&app->db, r->arena, q, &number, &why);
		if (rc == CS_OK) {
			resp_redirect(w, arena_printf(r->arena, "/agent/returns/%s/warehouse",
			    number));
			return 0;
		}
		if (rc == CS_NOT_FOUND)
			why = "No return has that RMA number or serial number.";
		else if (rc != CS_REFUSED)
			return web_result_status(rc);
		tval_set_str(r->arena, ctx, "q", q);
		tval_set_str(r->arena, ctx, "error", why);
		w->status = rc == CS_NOT_FOUND ? 404 : 422;
	}
	return app_render(app, r, w, "console/returns/warehouse_find", ctx);
}

int
console_return_warehouse(struct app *app, struct req *r, struct resp *w)
{
	return console_return_page(app, r, w, PAGE, 200, NULL, NULL);
}

/* After a step: the flash and back to the warehouse page. */
static int
done(struct app *app, struct req *r, struct resp *w, const char *number, const char *what)
{
	web_flash(app, r, w, "%s: %s.", number, what);
	resp_redirect(w, arena_printf(r->arena, "/agent/returns/%s/warehouse", number));
	return 0;
}

static const struct field_rule condition_rule[] = {
	{ "condition", "Condition", FIELD_LINES, 0, 0, 0, NULL },
};

int
console_return_receive(struct app *app, struct req *r, struct resp *w)
{
	struct return_actor by;
	struct field_rule rules[RETURN_LINES_MAX];
	struct ticket_file photos[RETURN_PHOTOS_MAX];
	struct field_form f;
	const char *v[RETURN_LINES_MAX], *cond[1], *why = NULL, *number = req_param(r, "number");
	long long nums[RETURN_LINES_MAX];
	int got[RETURN_LINES_MAX];
	size_t i, nphotos;
	enum cs_result rc;

	console_return_actor(r, &by);
	if (fields_init(&f, r->arena) < 0)
		return 500;
	/* One count per line position the form may carry. */
	for (i = 0; i < RETURN_LINES_MAX; i++) {
		memset(&rules[i], 0, sizeof(rules[i]));
		rules[i].name = arena_printf(r->arena, "received%zu", i + 1);
		rules[i].label = arena_printf(r->arena, "Units of item %zu", i + 1);
		rules[i].kind = FIELD_INT;
		rules[i].max = RETURN_QTY_MAX;
		if (rules[i].name == NULL || rules[i].label == NULL)
			return 500;
	}
	fields_check(&f, r, rules, RETURN_LINES_MAX, v, nums);
	fields_check(&f, r, condition_rule, 1, cond, NULL);
	if (returns_form_photos(r, photos, &nphotos) < 0)
		fields_error(&f, "photo", "Attach at most 5 photos.");
	if (f.failed)
		return 500;
	if (f.nerrors > 0)
		return console_return_page(app, r, w, PAGE, 422, fields_first_error(&f), &f);
	for (i = 0; i < RETURN_LINES_MAX; i++)
		got[i] = (int)nums[i];
	rc = returns_receive(&app->db, r->arena, &by, number, got, RETURN_LINES_MAX, cond[0],
	    photos, nphotos, &why);
	if (rc == CS_REFUSED)
		return console_return_page(app, r, w, PAGE, 422, why, &f);
	if (rc != CS_OK)
		return web_result_status(rc);
	return done(app, r, w, number, "received");
}

int
console_return_inspect(struct app *app, struct req *r, struct resp *w)
{
	struct return_actor by;
	struct return_unit_input *units;
	struct ticket_file photos[RETURN_PHOTOS_MAX];
	struct field_form f;
	const char *why = NULL, *number = req_param(r, "number");
	size_t n, nphotos;
	enum cs_result rc;
	int status;

	console_return_actor(r, &by);
	if ((status = console_return_unit_form(app, r, "condition", NULL, &f, &units, &n)) != 0)
		return status;
	if (returns_form_photos(r, photos, &nphotos) < 0)
		return console_return_page(app, r, w, PAGE, 422, "Attach at most 5 photos.", &f);
	if (f.nerrors > 0)
		return console_return_page(app, r, w, PAGE, 422, fields_first_error(&f), &f);
	rc = returns_inspect(&app->db, r->arena, &by, number, units, n, photos, nphotos, &why);
	if (rc == CS_REFUSED)
		return console_return_page(app, r, w, PAGE, 422, why, &f);
	if (rc != CS_OK)
		return web_result_status(rc);
	return done(app, r, w, number, "inspected");
}

int
console_return_disposition(struct app *app, struct req *r, struct resp *w)
{
	struct return_actor by;
	struct return_unit_input *units;
	struct field_form f;
	const char *why = NULL, *number = req_param(r, "number");
	size_t n;
	enum cs_result rc;
	int status;

	console_return_actor(r, &by);
	if ((status = console_return_unit_form(app, r, "disposition",
	    return_disposition_names, &f, &units, &n)) != 0)
		return status;
	if (f.nerrors > 0)
		return console_return_page(app, r, w, PAGE, 422,
		    "Choose what becomes of every unit.", &f);
	rc = returns_disposition(&app->db, r->arena, &by, number, units, n, &why);
	if (rc == CS_REFUSED)
		return console_return_page(app, r, w, PAGE, 422, why, &f);
	if (rc != CS_OK)
		return web_result_status(rc);
	return done(app, r, w, number, "dispositioned");
}
