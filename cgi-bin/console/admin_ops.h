/*
 * admin_ops.h — the admin pages' part in the batch job's ticket work: the
 * auto-close and metrics settings on the settings page (ops_settings.h),
 * and the given-up messages of the mail outbox, which an admin re-queues.
 */
#ifndef CSDESK_CONSOLE_ADMIN_OPS_H
#define CSDESK_CONSOLE_ADMIN_OPS_H

#include "web/app.h"

struct field_form;
struct audit_entry;
struct ops_settings;
struct tval;

/* Pre-fills f with the stored settings. 0, or an error status. */
int admin_ops_settings_show(struct app *app, struct req *r, struct field_form *f);

/*
 * Checks the posted auto_close_days and metrics_time_zone into out,
 * recording messages in f; when the form has neither, out holds the
 * stored values. 0, or an error status (the database failed).
 */
int admin_ops_settings_check(struct app *app, struct req *r, struct field_form *f,
    struct ops_settings *out);

/* Adds the given-up messages (dead, with their last error) to ctx. 0 or an error status. */
int admin_ops_mail_dead(struct app *app, struct req *r, struct tval *ctx);

#endif
