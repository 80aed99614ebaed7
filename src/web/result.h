/*
 * result.h — what a domain result means to the person at the other end:
 * the one place an enum cs_result becomes an HTTP status.
 */
#ifndef CSDESK_WEB_RESULT_H
#define CSDESK_WEB_RESULT_H

#include "core/result.h"

/*
 * The status for r: 200 ok, 404 not found, 422 refused, 409 conflict and
 * taken, 429 limited,
 * 503 database lost, 500 failed. Cannot fail.
 */
int web_result_status(enum cs_result r);

#endif
