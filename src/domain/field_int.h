/* field_int.h — what the field service modules share (not for callers outside them). */
#ifndef CSDESK_FIELD_INT_H
#define CSDESK_FIELD_INT_H

#include "core/result.h"
#include "domain/field.h"

#include <jansson.h>

struct db;

/* Appends an "appointment" event (o: its payload, consumed) in the caller's transaction. */
enum cs_result field_event(struct db *db, const struct field_actor *by, long long id,
    const char *type, json_t *o);

#endif
