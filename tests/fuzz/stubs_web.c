/*
 * stubs_web.c — stand-ins for what src/web/fields.c calls outside the
 * JSON path (the request, the database, the pipeline, the outbox), so
 * fuzz_api_body links without them. None may be reached: the API's member
 * tables hold no FIELD_EMAIL, and the harness calls no request helper. If
 * one ever is, it aborts and the fuzzer reports where from.
 */
#include <stdlib.h>

#include "core/http.h"
#include "db/db.h"
#include "domain/notify.h"
#include "web/app.h"

const char *
req_query(const struct req *r, const char *name)
{
	(void)r, (void)name;
	abort();
}

const char *
req_field(const struct req *r, const char *name)
{
	(void)r, (void)name;
	abort();
}

const char *
req_param(const struct req *r, const char *name)
{
	(void)r, (void)name;
	abort();
}

int
db_lost(const struct db *db)
{
	(void)db;
	abort();
}

void
app_flash(struct app *app, struct req *r, struct resp *w, int error, const char *text)
{
	(void)app, (void)r, (void)w, (void)error, (void)text;
	abort();
}

int
notify_address_ok(const char *addr)
{
	(void)addr;
	abort();
}
