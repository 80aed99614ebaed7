/*
 * field_booking.h — the customer's own booking in the portal
 * (docs/field.md): the two-hour windows offered from technicians' working
 * hours, time off and existing bookings; booking one for a ticket;
 * rescheduling and cancelling their own visit, with a reason.
 *
 * Windows and bookings go through SECURITY DEFINER functions
 * (sql/functions/230_field_dispatch.sql) that act for request_customer()
 * only. The exclusion constraint on appointments stays the last word: of
 * two customers taking the same window at the same moment, exactly one
 * books it and the other gets CS_TAKEN with FIELD_WINDOW_TAKEN.
 */
#ifndef CSDESK_FIELD_BOOKING_H
#define CSDESK_FIELD_BOOKING_H

#include <stddef.h>

#include "core/result.h"
#include "domain/field.h"

struct arena;
struct db;

#define FIELD_WINDOW_TAKEN "That window was just taken; choose another one."
/* Days ahead a customer is offered windows. */
#define FIELD_OFFER_DAYS 7

struct field_window {
	const char *start;	/* "2026-12-07T08:00Z": what the form sends back */
	const char *label;	/* "Mon 7 Dec 08:00–10:00" in the customer's time zone */
};

/* Windows free for a visit at postcode (may be "") in the next days, first first (≤ 28). */
enum cs_result field_windows(struct db *db, struct arena *a, long long customer_id,
    const char *postcode, struct field_window **rows, size_t *n);

/* The customer's open tickets a visit can be booked for, newest first (≤ 50). */
struct db_option;
enum cs_result field_bookable_tickets(struct db *db, struct arena *a, long long customer_id,
    long long portal_user_id, int account_admin, struct db_option **rows, size_t *n);

struct field_portal_booking {
	long long ticket_id;
	const char *start;	/* a window's start; the window is two hours */
	const char *postcode, *address, *summary;
};

/*
 * Books the window for the customer's ticket (by->portal_user_id acts).
 * CS_NOT_FOUND when the ticket is not theirs; CS_TAKEN when nobody is
 * free then any more; CS_REFUSED with *why for a missing address or a
 * start that is not a time.
 */
enum cs_result field_portal_book(struct db *db, struct arena *a, const struct field_actor *by,
    const struct field_portal_booking *in, long long *id, const char **why);

/* The customer's visit id (CS_NOT_FOUND when not theirs), with its postcode. */
enum cs_result field_portal_visit(struct db *db, struct arena *a, long long customer_id,
    long long id, struct field_visit *out);

/*
 * Moves the customer's booked visit id to the window starting at start,
 * with a reason; SEQUENCE rises. CS_NOT_FOUND (not theirs or no longer
 * booked), CS_TAKEN (nobody free then), CS_REFUSED (no reason).
 */
enum cs_result field_portal_move(struct db *db, struct arena *a, const struct field_actor *by,
    long long id, const char *start, const char *reason, const char **why);

#endif
