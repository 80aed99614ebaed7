/*
 * parts_view.h — a job report (parts_job.h) as template values, the same
 * in the console and the portal (templates/partials/job_report.mustache).
 */
#ifndef CSDESK_WEB_PARTS_VIEW_H
#define CSDESK_WEB_PARTS_VIEW_H

struct arena;
struct parts_job_report;
struct tval;

/*
 * {number, customer, technician, address, postcode, summary, day, checkin,
 *  checkout, notes, coverage, lines: [{what, number, qty, unit, amount,
 *  charged, covered_by, covered}], total, charged, covered_warranty,
 *  covered_contract, has_covered, signature_sha256, signature_url}; NULL
 * when out of memory.
 */
struct tval *parts_view_report(struct arena *a, const struct parts_job_report *r);

/*
 * Answers GET …/{id}/report: the report of completed appointment {id} as
 * template name shows it; customer_id > 0 keeps it to that customer's
 * (anyone else, and a job not completed, gets 404). 0 or the status.
 */
struct app;
struct req;
struct resp;
int parts_view_report_page(struct app *app, struct req *r, struct resp *w,
    long long customer_id, const char *name);

#endif
