/* warranty_events.c — the warranty modules' events, as events.h records them; see warranty_int.h. */
#include "domain/warranty_int.h"
#include "domain/events.h"

#include <jansson.h>
#include <stdlib.h>

enum cs_result
warranty_event(struct db *db, const struct warranty_actor *by, const char *aggregate,
    long long id, const char *type, json_t *o)
{
	struct event_actor e = { "system", 0 };
	char *text = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	enum cs_result rc;

	json_decref(o);
	if (by->kind == WA_CUSTOMER)
		e.kind = "customer";
	else if (by->kind == WA_STAFF)
		e.kind = "staff";
	if (by->kind != WA_SYSTEM)
		e.id = by->id;
	if (text == NULL)
		return CS_FAILED;
	rc = events_append(db, aggregate, id, type, &e, text);
	free(text);
	return rc;
}
