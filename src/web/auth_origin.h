/*
 * auth_origin.h — the request as the sign-in and account use cases
 * (domain/auth_cases.h) need it: the client's address, the program, who
 * is signed in, and the site's context and address for the mail they
 * queue.
 */
#ifndef CSDESK_WEB_AUTH_ORIGIN_H
#define CSDESK_WEB_AUTH_ORIGIN_H

#include "domain/auth_cases.h"

struct app;
struct req;

/* Fills o from the request. 0, or -1 when out of memory (answer 500). */
int auth_origin_of(struct app *app, struct req *r, struct auth_origin *o);

#endif
