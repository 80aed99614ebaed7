/*
 * parts_job.h — the job report of a completed field job: labour, travel
 * and parts with their charges, where what the serial's cover pays is
 * charged at 0 and counted as warranty or contract cost (labour and travel
 * as covered on the day the job completed, parts as covered when they were
 * used); the customer's signature and its SHA-256. See docs/parts.md.
 *
 * Amounts are in cents.
 */
#ifndef CSDESK_PARTS_JOB_H
#define CSDESK_PARTS_JOB_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct db;
struct field_photo;
struct field_photo_viewer;

struct parts_charge {
	const char *what;	/* "Labour", "Travel", a part's name */
	const char *number;	/* a part's number, "" for labour and travel */
	const char *qty;	/* "45 min", "2" */
	long long unit;		/* rate per hour, or unit price */
	long long amount;	/* before cover */
	long long charged;	/* what the customer pays: 0 when covered */
	const char *covered_by;	/* "warranty", "contract" or "" */
};

struct parts_job_report {
	long long id;
	const char *ticket_number, *customer, *technician, *address, *postcode, *summary;
	const char *day, *checkin, *checkout;	/* in the customer's time zone */
	const char *notes;
	const char *coverage;		/* the serial's cover in words, or "" */
	struct parts_charge *lines;	/* labour, travel, then the parts */
	size_t n;
	long long total, charged, covered_warranty, covered_contract, parts, parts_cost;
	const char *signature_sha256;	/* "" unsigned */
	const char *signature_url;	/* the PNG as a data: URL, "" unsigned */
	struct field_photo *photos;	/* parts_job_report_with_photos: what the reader may see */
	size_t nphotos;
};

/*
 * The report of completed appointment id. customer_id > 0: only when it is
 * that customer's (the portal); else CS_NOT_FOUND, as for a job not
 * completed. CS_OK or the failure.
 */
enum cs_result parts_job_report(struct db *db, struct arena *a, long long id,
    long long customer_id, struct parts_job_report *out);

/*
 * The same with the photos of the visit viewer v may see (field_photos.h),
 * read in the report's round trip.
 */
enum cs_result parts_job_report_with_photos(struct db *db, struct arena *a, long long id,
    long long customer_id, const struct field_photo_viewer *v, struct parts_job_report *out);

/* Stores the charges of completed job id in job_charges (once). CS_OK, CS_NOT_FOUND. */
enum cs_result parts_job_store(struct db *db, struct arena *a, long long id);

/* Cents as "12.50". */
const char *parts_money(struct arena *a, long long cents);

#endif
