/* audit.c — app_audit: who did what, from the request; see app.h. */
#include "web/app.h"
#include "core/log.h"
#include "domain/audit.h"

#include <jansson.h>

void
app_audit(struct app *app, struct req *r, const char *action, const char *object_type,
    const char *object_id, const char *subject)
{
	struct audit_entry e = { 0 };
	json_t *detail = NULL;

	switch (r->who.kind) {
	case WHO_STAFF:
		e.actor_kind = AUDIT_ACTOR_STAFF;
		break;
	case WHO_CUSTOMER:
		e.actor_kind = AUDIT_ACTOR_CUSTOMER;
		break;
	default:
		/* Before sign-in the actor is the person the attempt names. */
		e.actor_kind = object_type != NULL && object_type[0] == 's' ?
		    AUDIT_ACTOR_STAFF : AUDIT_ACTOR_CUSTOMER;
		break;
	}
	e.actor_id = r->who.id;
	e.action = action;
	e.object_type = object_type;
	e.object_id = object_id;
	e.ip = r->remote_addr;
	if (subject != NULL) {
		detail = json_pack("{s:s, s:s}", "subject", subject, "program", app->def->program);
		e.detail = detail;
	}
	if (audit_record(&app->db, &e) != CS_OK)
		log_error("audit: could not record %s (request %s)", action, r->request_id);
	json_decref(detail);
}
