/*
 * dispatch.h — the batch's dispatcher step, for tests: the mail and audit
 * rows that follow from domain events (ticket_consumers.h) are made when
 * it runs, as `csdesk batch` would, before a test looks at the outbox.
 */
#ifndef CSDESK_TEST_DISPATCH_H
#define CSDESK_TEST_DISPATCH_H

/*
 * Hands every ready event to its consumers, as the database owner of
 * conninfo, with the project's templates and the programs' default site
 * name and address. Aborts the test when it fails. Returns how many events
 * were handled.
 */
long th_dispatch(const char *conninfo);

struct tmpl_set;

/* The project's templates, compiled once per process (exits when they do not). */
struct tmpl_set *th_templates(void);

#endif
