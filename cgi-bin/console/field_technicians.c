/*
 * field_technicians.c — technicians' field profiles for supervisors and
 * admins: GET /agent/field/technicians (the list), GET|POST
 * /agent/field/technicians/{id} (territory, home base, van, travel
 * buffer, skills with levels, working hours and time zone), and the
 * certification and time-off forms under it. Overlapping time off is
 * refused by PostgreSQL; the page says so at the field.
 */
#include "console/handlers.h"
#include "core/arena.h"
#include "domain/audit.h"
#include "domain/field_admin.h"
#include "domain/field_settings.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/result.h"

#include <string.h>

static const char *const day_values[] = { "1", "2", "3", "4", "5", "6", "7" };
static const char *const day_labels[] = { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
	"Saturday", "Sunday" };

/*
 * The list, and for admins the field service settings under it; f is the
 * settings form just refused with the box as ticked (NULL: the stored
 * values), with its status.
 */
static int
technicians_page(struct app *app, struct req *r, struct resp *w, struct field_form *f,
    int signature_ticked, int status)
{
	struct tval *ctx = app_page(app, r, "Technicians"), *list = tval_list(r->arena);
	struct field_tech_row *t;
	size_t n, i;
	enum cs_result rc;

	if (ctx == NULL || list == NULL)
		return 500;
	if ((rc = field_techs(&app->db, r->arena, &t, &n)) != CS_OK)
		return web_result_status(rc);
	for (i = 0; i < n; i++) {
		struct tval *m = tval_map(r->arena);

		if (m == NULL || tval_set_int(r->arena, m, "id", t[i].staff_id) < 0 ||
		    tval_set_str(r->arena, m, "name", t[i].name) < 0 ||
		    tval_set_str(r->arena, m, "territory", t[i].territory) < 0 ||
		    tval_set_str(r->arena, m, "van", t[i].van_label) < 0 ||
		    tval_set_str(r->arena, m, "hours", t[i].hours) < 0 ||
		    tval_set_bool(r->arena, m, "profiled", t[i].profiled) < 0 ||
		    tval_set_bool(r->arena, m, "active", t[i].active) < 0 ||
		    tval_set_int(r->arena, m, "expired", t[i].expired) < 0 ||
		    tval_push(r->arena, list, m) < 0)
			return 500;
	}
	if (tval_set(r->arena, ctx, "technicians", list) < 0)
		return 500;
	if (r->who.access & ACCESS_ADMIN) {
		struct field_settings fs;
		struct tval *fv = tval_map(r->arena);

		if ((rc = field_settings_load(&app->db, r->arena, &fs)) != CS_OK)
			return web_result_status(rc);
		if (fv == NULL || tval_set_bool(r->arena, ctx, "is_admin", 1) < 0)
			return 500;
		if (f != NULL) {
			if (fields_ctx(f, ctx) < 0 || tval_set_bool(r->arena, ctx, "signature_required",
			    signature_ticked) < 0)
				return 500;
		} else if (tval_set_str(r->arena, fv, "labour_rate", fs.labour_rate) < 0 ||
		    tval_set_str(r->arena, fv, "travel_rate", fs.travel_rate) < 0 ||
		    tval_set(r->arena, ctx, "f", fv) < 0 ||
		    tval_set_bool(r->arena, ctx, "signature_required", fs.signature_required) < 0) {
			return 500;
		}
	}
	w->status = status;
	return app_render(app, r, w, "console/field/technicians", ctx);
}

int
console_field_technicians(struct app *app, struct req *r, struct resp *w)
{
	return technicians_page(app, r, w, NULL, 0, 200);
}

static const struct field_rule settings_rules[] = {
	{ "labour_rate", "Labour, an hour", FIELD_TEXT, 1, 1, 12, NULL },
	{ "travel_rate", "Travel, an hour", FIELD_TEXT, 1, 1, 12, NULL },
	{ "signature_required", "Signature required", FIELD_TEXT, 0, 0, 0, NULL },
};
enum { FS_LABOUR, FS_TRAVEL, FS_SIGNATURE, FS__MAX };
_Static_assert(sizeof(settings_rules) / sizeof(settings_rules[0]) == FS__MAX,
    "one rule per field");

int
console_field_settings(struct app *app, struct req *r, struct resp *w)
{
	struct field_settings fs;
	struct audit_entry by;
	const char *v[FS__MAX], *why, *field;
	long long nums[FS__MAX];
	struct field_form f;
	enum cs_result rc;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, settings_rules, FS__MAX, v, nums);
	if (f.failed)
		return 500;
	fs.signature_required = *v[FS_SIGNATURE] != '\0';
	if (f.nerrors)
		return technicians_page(app, r, w, &f, fs.signature_required, 422);
	fs.labour_rate = v[FS_LABOUR];
	fs.travel_rate = v[FS_TRAVEL];
	web_audit_actor(r, &by);
	rc = field_settings_save(&app->db, &by, &fs, &why, &field);
	if (rc == CS_REFUSED) {
		fields_error(&f, field, why);
		return technicians_page(app, r, w, &f, fs.signature_required, 422);
	}
	if (rc != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "The field service settings were saved.");
	resp_redirect(w, "/agent/field/technicians");
	return 0;
}

enum { PR_TERRITORY, PR_HOME, PR_VAN, PR_BUFFER, PR_SKILLS, PR_START, PR_END, PR_ZONE, PR__MAX };

static const struct field_rule profile_rules[] = {
	[PR_TERRITORY] = { "territory", "Territory", FIELD_LINES, 0, 0, 2000, NULL },
	[PR_HOME] = { "home_base", "Home base", FIELD_TEXT, 0, 0, FIELD_HOME_BASE_MAX, NULL },
	[PR_VAN] = { "van_label", "Van", FIELD_TEXT, 0, 0, FIELD_VAN_MAX, NULL },
	[PR_BUFFER] = { "travel_buffer_min", "Travel buffer", FIELD_INT, 1, 0, 240, NULL },
	[PR_SKILLS] = { "skills", "Skills", FIELD_LINES, 0, 0, 6000, NULL },
	[PR_START] = { "work_start", "Start time", FIELD_TEXT, 1, 4, 8, NULL },
	[PR_END] = { "work_end", "End time", FIELD_TEXT, 1, 4, 8, NULL },
	[PR_ZONE] = { "time_zone", "Time zone", FIELD_TEXT, 1, 1, 64, NULL },
};
_Static_assert(sizeof(profile_rules) / sizeof(profile_rules[0]) == PR__MAX, "one rule per field");

static const struct field_rule cert_rules[] = {
	{ "cert_name", "Certification", FIELD_TEXT, 1, 1, FIELD_CERT_NAME_MAX, NULL },
	{ "cert_skill", "Skill it certifies", FIELD_TEXT, 0, 0, FIELD_SKILL_NAME_MAX, NULL },
	{ "cert_expires", "Expires on", FIELD_TEXT, 0, 0, 10, NULL },
};

static const struct field_rule off_rules[] = {
	{ "off_from", "From", FIELD_TEXT, 1, 1, 40, NULL },
	{ "off_to", "To", FIELD_TEXT, 1, 1, 40, NULL },
	{ "off_reason", "Reason", FIELD_TEXT, 0, 0, FIELD_TEXT_MAX, NULL },
};

/* The profile's values as the form shows them (when not the ones just typed). */
static void
profile_values(struct field_form *f, const struct field_tech *t, struct arena *a)
{
	fields_value(f, "territory", t->territory);
	fields_value(f, "home_base", t->home_base);
	fields_value(f, "van_label", t->van_label);
	fields_value(f, "travel_buffer_min", arena_printf(a, "%d", t->travel_buffer_min));
	fields_value(f, "skills", t->skills);
	fields_value(f, "work_start", t->work_start);
	fields_value(f, "work_end", t->work_end);
	fields_value(f, "time_zone", t->time_zone);
}

static int
lists(struct arena *a, struct tval *ctx, const struct field_tech *t)
{
	struct tval *certs = tval_list(a), *off = tval_list(a);
	size_t i;

	if (certs == NULL || off == NULL)
		return -1;
	for (i = 0; i < t->ncerts; i++) {
		struct tval *m = tval_map(a);

		if (m == NULL || tval_set_int(a, m, "id", t->certs[i].id) < 0 ||
		    tval_set_str(a, m, "name", t->certs[i].name) < 0 ||
		    tval_set_str(a, m, "skill", t->certs[i].skill) < 0 ||
		    tval_set_str(a, m, "expires_on", t->certs[i].expires_on) < 0 ||
		    tval_set_bool(a, m, "expired", t->certs[i].expired) < 0 ||
		    tval_push(a, certs, m) < 0)
			return -1;
	}
	for (i = 0; i < t->noff; i++) {
		struct tval *m = tval_map(a);

		if (m == NULL || tval_set_int(a, m, "id", t->off[i].id) < 0 ||
		    tval_set_str(a, m, "from", t->off[i].from) < 0 ||
		    tval_set_str(a, m, "to", t->off[i].to) < 0 ||
		    tval_set_str(a, m, "reason", t->off[i].reason) < 0 ||
		    tval_push(a, off, m) < 0)
			return -1;
	}
	return tval_set(a, ctx, "certs", certs) < 0 || tval_set(a, ctx, "time_off", off) < 0 ?
	    -1 : 0;
}

/*
 * The profile page: f holds what was typed when a form came back (NULL:
 * the stored profile), days the working days ticked, error the sentence.
 */
static int
profile_page(struct app *app, struct req *r, struct resp *w, long long id, int status,
    struct field_form *f, unsigned days, int active, const char *error)
{
	struct field_tech t;
	struct field_form stored;
	struct tval *ctx;
	unsigned char ticked[7];
	enum cs_result rc;
	size_t i;

	if ((rc = field_tech_get(&app->db, r->arena, id, &t)) != CS_OK)
		return web_result_status(rc);
	if (f == NULL) {
		if (fields_init(&stored, r->arena) < 0)
			return 500;
		f = &stored;
		profile_values(f, &t, r->arena);
		days = t.work_days;
		active = t.active;
	} else if (days == 0 && f->nerrors == 0 && error == NULL) {
		days = t.work_days;
	}
	for (i = 0; i < 7; i++)
		ticked[i] = (days >> i) & 1u;
	if ((ctx = app_page(app, r, t.name)) == NULL ||
	    tval_set_int(r->arena, ctx, "id", t.staff_id) < 0 ||
	    tval_set_int(r->arena, ctx, "tech_id", t.staff_id) < 0 ||
	    tval_set_str(r->arena, ctx, "name", t.name) < 0 ||
	    tval_set_bool(r->arena, ctx, "profiled", t.profiled) < 0 ||
	    tval_set_bool(r->arena, ctx, "active_checked", active) < 0 ||
	    tval_set(r->arena, ctx, "day_options", fields_options(r->arena, day_values, day_labels,
	    7, ticked)) < 0 || lists(r->arena, ctx, &t) < 0 ||
	    (error != NULL && tval_set_str(r->arena, ctx, "error", error) < 0) ||
	    fields_ctx(f, ctx) < 0)
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/field/technician", ctx);
}

int
console_field_technician(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");

	return id == 0 ? 404 : profile_page(app, r, w, id, 200, NULL, 0, 0, NULL);
}

static unsigned
days_posted(const struct req *r)
{
	const char *v[16];
	size_t n = fields_all(r, "work_days", v, 16), i, d;
	unsigned mask = 0;

	for (i = 0; i < n; i++)
		for (d = 0; d < 7; d++)
			if (strcmp(v[i], day_values[d]) == 0)
				mask |= 1u << d;
	return mask;
}

/* Back to the profile with a flash. */
static int
done(struct app *app, struct req *r, struct resp *w, long long id, const char *what)
{
	web_flash(app, r, w, "%s.", what);
	resp_redirect(w, arena_printf(r->arena, "/agent/field/technicians/%lld", id));
	return 0;
}

int
console_field_technician_save(struct app *app, struct req *r, struct resp *w)
{
	struct field_actor by = { r->who.id, 0 };
	struct field_tech_input in;
	struct field_form f;
	const char *v[PR__MAX], *why = NULL, *active = req_param(r, "active");
	long long num[PR__MAX];
	long long id = web_path_id(r, "id");
	enum cs_result rc;

	if (id == 0)
		return 404;
	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, profile_rules, PR__MAX, v, num);
	if (f.failed)
		return 500;
	memset(&in, 0, sizeof(in));
	in.work_days = days_posted(r);
	in.active = active != NULL && strcmp(active, "1") == 0;
	if (f.nerrors > 0)
		return profile_page(app, r, w, id, 422, &f, in.work_days, in.active,
		    fields_first_error(&f));
	in.territory = v[PR_TERRITORY];
	in.home_base = v[PR_HOME];
	in.van_label = v[PR_VAN];
	in.travel_buffer_min = (int)num[PR_BUFFER];
	in.skills = v[PR_SKILLS];
	in.work_start = v[PR_START];
	in.work_end = v[PR_END];
	in.time_zone = v[PR_ZONE];
	rc = field_tech_save(&app->db, r->arena, &by, id, &in, &why);
	if (rc == CS_REFUSED)
		return profile_page(app, r, w, id, 422, &f, in.work_days, in.active, why);
	if (rc != CS_OK)
		return web_result_status(rc);
	return done(app, r, w, id, "Profile saved");
}

/* Adds what the form's values v describe to technician id (a certification, a time off). */
typedef enum cs_result (*item_add)(struct app *app, struct req *r, long long id,
    const char *const *v, const char **why);

static enum cs_result
cert_add(struct app *app, struct req *r, long long id, const char *const *v, const char **why)
{
	struct field_actor by = { r->who.id, 0 };

	return field_cert_add(&app->db, r->arena, &by, id, v[0], v[1], v[2], why);
}

static enum cs_result
off_add(struct app *app, struct req *r, long long id, const char *const *v, const char **why)
{
	struct field_actor by = { r->who.id, 0 };

	return field_off_add(&app->db, r->arena, &by, id, v[0], v[1], v[2], why);
}

/*
 * The add forms under the profile: three fields checked against rules, a
 * refusal shown at field with what was typed, else back with a flash.
 */
static int
add_form(struct app *app, struct req *r, struct resp *w, const struct field_rule *rules,
    item_add add, const char *field, const char *what)
{
	struct field_form f;
	const char *v[3], *why = NULL;
	long long id = web_path_id(r, "id");
	enum cs_result rc;

	if (id == 0)
		return 404;
	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, rules, 3, v, NULL);
	if (f.failed)
		return 500;
	if (f.nerrors > 0)
		return profile_page(app, r, w, id, 422, &f, 0, 1, fields_first_error(&f));
	rc = add(app, r, id, v, &why);
	if (rc == CS_REFUSED) {
		fields_error(&f, field, why);
		return profile_page(app, r, w, id, 422, &f, 0, 1, why);
	}
	if (rc != CS_OK)
		return web_result_status(rc);
	return done(app, r, w, id, what);
}

int
console_field_cert_add(struct app *app, struct req *r, struct resp *w)
{
	return add_form(app, r, w, cert_rules, cert_add, "cert_expires", "Certification added");
}

int
console_field_off_add(struct app *app, struct req *r, struct resp *w)
{
	return add_form(app, r, w, off_rules, off_add, "off_from", "Time off added");
}

/* The delete buttons: a certification or a time off of technician {id}. */
typedef enum cs_result (*item_remove)(struct db *db, struct arena *a,
    const struct field_actor *by, long long staff_id, long long item);

static int
remove_item(struct app *app, struct req *r, struct resp *w, item_remove remove, const char *what)
{
	struct field_actor by = { r->who.id, 0 };
	long long id = web_path_id(r, "id"), item = web_path_id(r, "item");
	enum cs_result rc;

	if (id == 0 || item == 0)
		return 404;
	if ((rc = remove(&app->db, r->arena, &by, id, item)) != CS_OK)
		return web_result_status(rc);
	return done(app, r, w, id, what);
}

int
console_field_cert_remove(struct app *app, struct req *r, struct resp *w)
{
	return remove_item(app, r, w, field_cert_remove, "Certification removed");
}

int
console_field_off_remove(struct app *app, struct req *r, struct resp *w)
{
	return remove_item(app, r, w, field_off_remove, "Time off removed");
}
