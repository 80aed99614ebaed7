/*
 * admin_ops.c — see admin_ops.h; also POST /agent/admin/mail/{id}/requeue.
 */
#include "console/admin_ops.h"
#include "web/fields.h"
#include "console/handlers.h"
#include "core/arena.h"
#include "domain/audit.h"
#include "domain/notify_admin.h"
#include "domain/ops_settings.h"
#include "domain/system.h"
#include "tmpl/tval.h"

#include <stdio.h>
#include <string.h>

#define MAIL_URL "/agent/admin/mail"

enum field {
	F_AUTO_CLOSE_DAYS,
	F_ZONE,
	F_FILES,
	F_MB,
	F__MAX
};

static const struct field_rule rules[] = {
	[F_AUTO_CLOSE_DAYS] = { "auto_close_days", "Close resolved tickets after (days)",
		FIELD_INT, 1, OPS_AUTO_CLOSE_DAYS_MIN, OPS_AUTO_CLOSE_DAYS_MAX, NULL },
	[F_ZONE] = { "metrics_time_zone", "Time zone of the daily metrics", FIELD_TEXT, 1, 1,
		OPS_ZONE_MAX, NULL },
	[F_FILES] = { "customer_files_per_day", "Files a customer may send a day", FIELD_INT, 0,
		0, CUSTOMER_FILES_PER_DAY_MAX, NULL },
	[F_MB] = { "customer_file_mb_per_day", "Megabytes of files a customer may send a day",
		FIELD_INT, 0, 0, CUSTOMER_FILE_MB_PER_DAY_MAX, NULL },
};
_Static_assert(sizeof(rules) / sizeof(rules[0]) == F__MAX, "one rule per field");

int
admin_ops_settings_show(struct app *app, struct req *r, struct field_form *f)
{
	struct ops_settings s;

	if (ops_settings_load(&app->db, r->arena, &s) != CS_OK)
		return web_db_error(app);
	fields_value(f, "auto_close_days", arena_printf(r->arena, "%d", s.auto_close_days));
	fields_value(f, "metrics_time_zone", s.time_zone);
	fields_value(f, "customer_files_per_day", arena_printf(r->arena, "%d", s.files_per_day));
	fields_value(f, "customer_file_mb_per_day", arena_printf(r->arena, "%d",
	    s.file_mb_per_day));
	return f->failed ? 500 : 0;
}

int
admin_ops_settings_check(struct app *app, struct req *r, struct field_form *f,
    struct ops_settings *out)
{
	const char *v[F__MAX];
	long long n[F__MAX];
	enum cs_result known;

	/* A form without these fields (an older page) leaves them as they are. */
	if (ops_settings_load(&app->db, r->arena, out) != CS_OK)
		return web_db_error(app);
	if (req_field(r, rules[F_AUTO_CLOSE_DAYS].name) == NULL &&
	    req_field(r, rules[F_ZONE].name) == NULL)
		return 0;
	fields_check(f, r, rules, F__MAX, v, n);
	out->auto_close_days = (int)n[F_AUTO_CLOSE_DAYS];
	out->time_zone = v[F_ZONE];
	if (v[F_FILES][0] != '\0')
		out->files_per_day = (int)n[F_FILES];
	if (v[F_MB][0] != '\0')
		out->file_mb_per_day = (int)n[F_MB];
	if (v[F_ZONE][0] != '\0') {
		known = system_zone_known(&app->db, v[F_ZONE]);
		if (known != CS_OK && known != CS_NOT_FOUND)
			return web_db_error(app);
		if (known == CS_NOT_FOUND)
			fields_error(f, "metrics_time_zone", "Give a time zone name such as UTC or "
			    "Europe/Paris.");
	}
	return 0;
}

int
admin_ops_mail_dead(struct app *app, struct req *r, struct tval *ctx)
{
	struct arena *a = r->arena;
	struct notify_row *rows;
	struct tval *list = tval_list(a);
	size_t n, i;
	int rc = 0;

	if (list == NULL)
		return 500;
	if (notify_list_dead(&app->db, a, NOTIFY_LIST_MAX, &rows, &n) != CS_OK)
		return web_db_error(app);
	for (i = 0; i < n; i++) {
		struct tval *row = tval_map(a);

		rc |= tval_set_str(a, row, "id", rows[i].id);
		rc |= tval_set_str(a, row, "kind", rows[i].kind);
		rc |= tval_set_str(a, row, "recipient", rows[i].recipient);
		rc |= tval_set_str(a, row, "subject", rows[i].subject);
		rc |= tval_set_str(a, row, "attempts", rows[i].attempts);
		rc |= tval_set(a, row, "last_error", tval_str(a, rows[i].last_error));
		rc |= tval_set_str(a, row, "created_at", rows[i].created_at);
		rc |= tval_push(a, list, row);
	}
	rc |= tval_set(a, ctx, "dead_messages", list);
	rc |= tval_set_int(a, ctx, "dead_count", (long long)n);
	return rc ? 500 : 0;
}

int
console_admin_mail_requeue(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");
	struct audit_entry by;
	enum cs_result rc;

	if (id == 0)
		return 404;
	web_audit_actor(r, &by);
	rc = notify_requeue(&app->db, &by, id);
	if (rc != CS_OK && rc != CS_NOT_FOUND)
		return web_db_error(app);
	if (rc == CS_NOT_FOUND) {
		app_flash(app, r, w, 1, "That message is not given up (sent, queued, or gone): "
		    "nothing to re-queue.");
	} else {
		web_flash(app, r, w, "Message %lld queued again; csdesk batch sends it within "
		    "a minute.", id);
	}
	resp_redirect(w, MAIL_URL);
	return 0;
}
