/*
 * field.h — field service: technicians' appointments at the customer's
 * site, dispatch suggestions, and the technician's day (check-in,
 * check-out, signature, completion). See docs/field.md.
 *
 * No double booking is enforced by PostgreSQL (an exclusion constraint
 * over the technician and the window widened by their travel buffer,
 * sql/migrations/041_field_service.sql): of two bookings of one slot
 * committed at the same moment, exactly one succeeds and the other gets
 * CS_TAKEN with a sentence.
 *
 * Functions return an enum cs_result; CS_REFUSED (and CS_TAKEN) come with
 * a sentence in *why. Strings come back in the arena given.
 */
#ifndef CSDESK_FIELD_H
#define CSDESK_FIELD_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct db;

#define FIELD_TEXT_MAX 500
#define FIELD_TOKEN_MAX 64
#define FIELD_SIGNATURE_MAX 524288

/* Who acts: staff (an agent, a supervisor, the technician), a customer or the batch. */
struct field_actor {
	long long staff_id;	/* 0 for a customer or the system */
	long long portal_user_id;	/* the customer's portal user; 0 for staff or the system */
};

/* A booking: the job of a ticket, in a window, for a technician (0: unassigned). */
struct field_booking {
	long long ticket_id;
	long long technician_id;
	const char *starts_at;	/* ISO 8601; without an offset, in the customer's time zone */
	const char *ends_at;
	const char *skill;	/* what the job needs; "" none */
	const char *postcode;
	const char *address;
	const char *summary;
};

enum cs_result field_book(struct db *db, struct arena *a, const struct field_actor *by,
    const struct field_booking *in, long long *id, const char **why);

/*
 * Moves an appointment to another window and/or technician (0: keep) with a
 * reason; SEQUENCE rises. CS_TAKEN when the technician is busy then.
 */
enum cs_result field_reschedule(struct db *db, struct arena *a, const struct field_actor *by,
    long long id, const char *starts_at, const char *ends_at, long long technician_id,
    const char *reason, const char **why);

/* Gives a booked job to technician_id (the dispatcher's pick); CS_TAKEN when busy then. */
enum cs_result field_assign(struct db *db, struct arena *a, const struct field_actor *by,
    long long id, long long technician_id, const char **why);

/* Cancels with a reason (required); the slot is free again; SEQUENCE rises. */
enum cs_result field_cancel(struct db *db, struct arena *a, const struct field_actor *by,
    long long id, const char *reason, const char **why);

/* Time off for a technician; CS_REFUSED when it overlaps time off they have. */
enum cs_result field_time_off_add(struct db *db, struct arena *a, long long staff_id,
    const char *from, const char *to, const char *reason, long long *id, const char **why);

/* A technician suggested for an appointment, and why. */
struct field_candidate {
	long long staff_id;
	const char *name;
	int skill_level;	/* 0: lacks the skill the job needs */
	int skill_ok;		/* has it, or the job needs none */
	int cert_expired;	/* has it, but every certification of it has expired */
	int in_territory;
	int free;		/* no other job within the travel buffer */
	int off;		/* on time off then */
	int in_hours;		/* within their working hours */
	int load;		/* jobs that day */
	const char *why;	/* "Skill boiler level 4; covers 75011; free; 2 jobs that day." */
};

/*
 * Technicians ranked for appointment id: the available ones first (free,
 * not off, in working hours), then those with the skill (a skill whose
 * certifications have all expired does not count), in the territory,
 * by skill level, then the least loaded. The first FIELD_RANK_FEW when
 * limit is no more (the board shows three), else the first FIELD_RANK_MAX.
 */
#define FIELD_RANK_MAX 50
#define FIELD_RANK_FEW 3
enum cs_result field_dispatch_rank(struct db *db, struct arena *a, long long id, int limit,
    struct field_candidate **rows, size_t *n);

/* Where a check-in or check-out happened: a position, or why there is none. */
struct field_checkpoint {
	const char *token;	/* the form's idempotency token (required) */
	int has_position;
	double lat, lon, accuracy_m;
	const char *note;	/* required without a position */
};

/*
 * Check-in and check-out by the technician assigned. The same form posted
 * again (same token) is CS_OK and records nothing more.
 */
enum cs_result field_check_in(struct db *db, struct arena *a, const struct field_actor *by,
    long long id, const struct field_checkpoint *at, const char **why);
enum cs_result field_check_out(struct db *db, struct arena *a, const struct field_actor *by,
    long long id, const struct field_checkpoint *at, const char **why);

/* The customer's signature: a PNG, stored with its SHA-256 (hex in *sha256). */
enum cs_result field_sign(struct db *db, struct arena *a, const struct field_actor *by,
    long long id, const void *png, size_t size, const char **sha256, const char **why);

/*
 * Completes the job with notes and times: refused without check-out, and
 * without a signature when the setting field_signature_required is on.
 */
enum cs_result field_complete(struct db *db, struct arena *a, const struct field_actor *by,
    long long id, const char *notes, int labour_min, int travel_min, const char **why);

/* An appointment as staff read it. */
struct field_appointment {
	long long id, ticket_id, customer_id, technician_id;
	const char *ticket_number;
	const char *technician;	/* "" unassigned */
	const char *summary, *address, *postcode, *skill;
	const char *window;	/* "2026-12-07 10:00–11:00 Europe/Paris", the customer's time */
	const char *status;	/* booked, checked_in, checked_out, completed, cancelled */
	const char *reason;	/* the last reschedule's or the cancellation's */
	int sequence;
};

/* One appointment: CS_OK or CS_NOT_FOUND. */
enum cs_result field_appointment(struct db *db, struct arena *a, long long id,
    struct field_appointment *out);

/* A ticket's appointments, newest first (up to 20). */
enum cs_result field_of_ticket(struct db *db, struct arena *a, long long ticket_id,
    struct field_appointment **rows, size_t *n);

/* The same in a page's pipeline (ticket_sheet.h): _send returns the slot
 * (-1: out of memory, pipe full); _take reads it after db_pipe_run. */
struct db_pipe;
int field_of_ticket_send(struct db_pipe *pipe, struct arena *a, long long ticket_id);
enum cs_result field_of_ticket_take(struct db_pipe *pipe, int slot, struct arena *a,
    struct field_appointment **rows, size_t *n);

/* A visit as its customer sees it (the portal). */
struct field_visit {
	long long id;
	const char *ticket_number, *summary, *address, *postcode;
	const char *window;	/* in the customer's time zone */
	const char *status;
	int assigned;		/* a technician is on it */
};

/* The customer's visits, latest first (up to 50). */
enum cs_result field_visits_of(struct db *db, struct arena *a, long long customer_id,
    struct field_visit **rows, size_t *n);

/* One job of a technician's day. */
struct field_job {
	long long id;
	long long ticket_id;
	const char *ticket_number;
	const char *customer;
	const char *address;
	const char *postcode;
	const char *summary;
	const char *starts_at;	/* "09:00" in the technician's time zone */
	const char *ends_at;
	const char *status;
	const char *coverage;	/* "Labour covered until …, parts not." or "" */
	int signed_;
	int sequence;
};

/* The technician's jobs on day ("2026-12-07", their time zone), in order. */
enum cs_result field_day(struct db *db, struct arena *a, long long staff_id, const char *day,
    struct field_job **rows, size_t *n);

/*
 * The iCalendar feed of the technician whose calendar_token is token,
 * appended to out: one VEVENT per appointment (stable UID, SEQUENCE, a
 * cancelled one with STATUS:CANCELLED). CS_NOT_FOUND when token is not
 * a UUID; a UUID nobody has gets an empty calendar. CS_OK or the failure.
 */
struct buf;
enum cs_result field_ics_feed(struct db *db, struct arena *a, const char *token,
    struct buf *out);

/*
 * One appointment as a calendar (the attachment of the customer's mail),
 * appended to out: the same VEVENT as in the feed. CS_OK, CS_NOT_FOUND or
 * the failure.
 */
enum cs_result field_ics_appointment(struct db *db, struct arena *a, long long id,
    struct buf *out);

#endif
