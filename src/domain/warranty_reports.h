/*
 * warranty_reports.h — the warranty's figures: claims by product and
 * month (with the claim rate per unit registered, their cost and the
 * covered share of it), and the service contracts due for renewal; each
 * also as CSV.
 */
#ifndef CSDESK_WARRANTY_REPORTS_H
#define CSDESK_WARRANTY_REPORTS_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct buf;
struct db;
struct warranty_contract;

/* Longest range a report covers, in days. */
#define WARRANTY_REPORT_DAYS_MAX 1100

struct warranty_claim_figures {
	const char *product, *sku, *month;	/* month "2026-03" */
	long long claims, units;		/* units registered by the month's end */
	const char *rate;			/* claims per 100 units: "1.25", "" when no units */
	const char *cost, *covered;		/* sums: "1234.50" */
};

/*
 * Claims opened from *from to *to (YYYY-MM-DD, inclusive; NULL or "": the
 * last twelve months, and *from and *to are set to the days used), by
 * product and month, oldest month first; product_id 0: every product.
 * CS_REFUSED with
 * *why for dates that are not dates, in the wrong order or further apart
 * than WARRANTY_REPORT_DAYS_MAX. CS_OK or the failure.
 */
enum cs_result warranty_report_claims(struct db *db, struct arena *a, const char **from,
    const char **to, long long product_id, struct warranty_claim_figures **rows, size_t *n,
    const char **why);

/* The rows as CSV (a header line first). Check buf_failed(out). */
void warranty_report_claims_csv(const struct warranty_claim_figures *rows, size_t n,
    struct buf *out);

/* Contracts (warranty_contracts_due) as CSV. */
void warranty_report_renewals_csv(const struct warranty_contract *rows, size_t n,
    struct buf *out);

#endif
