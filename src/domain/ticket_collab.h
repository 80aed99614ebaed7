/*
 * ticket_collab.h — agents working together on one ticket: who else has it
 * open or is writing (presence), links between related tickets, merging a
 * duplicate into another ticket, @mentions in internal notes, time worked
 * per agent, and the customer panel (account, contacts, products).
 *
 * Presence is kept cheap enough for every page view: one statement that
 * reads who else is there and writes this agent's row only when it is
 * older than TC_PRESENCE_REFRESH seconds; rows older than
 * TC_PRESENCE_TTL seconds mean nothing.
 *
 * Return values: 0 success; TICKET_NOT_FOUND; TICKET_REFUSED (with *why);
 * -1 database error (logged). Strings come back in the arena given.
 * Changes record ticket_events and bump tickets.version, like tickets.h.
 */
#ifndef CSDESK_TICKET_COLLAB_H
#define CSDESK_TICKET_COLLAB_H

#include <stddef.h>

struct arena;
struct db;
struct tmpl_set;
struct tval;

#define TC_PRESENCE_REFRESH 30
#define TC_PRESENCE_TTL 120

/*
 * The "is writing" heartbeat for the ticket called number (typing 1), or
 * its end (typing 0, when the reply was sent). 0, TICKET_NOT_FOUND or -1.
 */
int collab_presence_typing(struct db *db, const char *number, long long staff_id, int typing);

/*
 * Links ticket_id to the ticket called other_number as related, with an
 * event on both. Refused: no such ticket, itself, already linked.
 * Returns 0, TICKET_REFUSED or -1.
 */
int collab_link_add(struct db *db, long long staff_id, long long ticket_id,
    const char *other_number, const char **why);

/*
 * Removes the related link between ticket_id and other_id (either
 * direction), with an event on both. A duplicate_of link made by a merge
 * stays. Returns 0, TICKET_NOT_FOUND (no such link) or -1.
 */
int collab_link_remove(struct db *db, long long staff_id, long long ticket_id,
    long long other_id);

/*
 * Merges ticket source_id into the ticket called target_number, in one
 * transaction (ticket_merge in 006_ticket_collaboration.sql): comments and
 * attachments move, the source is cancelled (closed when resolved) with a
 * duplicate_of link, both histories and a public comment on the target
 * say so, and the target's requester is sent templates/email/ticket_merged
 * (ctx is the page context, for site.name; portal_link is the target's
 * portal URL without the number, "https://…/tickets/"). Refused: no such
 * target, itself, another customer's ticket, a closed or cancelled target
 * or source. Sets *target to the target's number. 0, TICKET_REFUSED or -1.
 */
int collab_merge(struct db *db, const struct tmpl_set *set, struct arena *a, long long staff_id,
    long long source_id, const char *target_number, struct tval *ctx,
    const char *portal_link, const char **target, const char **why);

/*
 * Tells every active colleague @mentioned in body (mentions.h; the author
 * excepted) by mail (templates/email/ticket_mention), inside the caller's
 * transaction, with a "mention" event each. ctx is the page context;
 * number, subject and author describe the note, link is the ticket's
 * console URL. Names nobody has are left alone. *notified counts the
 * colleagues told. 0 or -1.
 */
int collab_mentions_notify(struct db *db, const struct tmpl_set *set, struct arena *a,
    long long ticket_id, long long author_id, const char *author, const char *number,
    const char *subject, const char *body, struct tval *ctx, const char *link,
    size_t *notified);

/* Another agent on the same ticket. */
struct collab_presence {
	const char *name;
	const char *since;		/* "14:05" UTC: since when they have it open */
	int typing;			/* writing a reply (a heartbeat in the last TTL) */
	const char *typing_since;	/* "14:07" or "" */
};

/* A link between two tickets, seen from one of them. */
struct collab_link {
	long long id;			/* the other ticket */
	const char *number, *subject, *status;
	const char *kind;		/* "related", "duplicate_of" */
	int outgoing;			/* this ticket → other (else other → this) */
};

/* Minutes worked on a ticket by one agent. */
struct collab_time {
	const char *name;
	long long minutes;
};

struct collab_contact {
	const char *name, *email;
	int account_admin, active;
};

struct collab_product {
	const char *name, *sku;
	const char *serials;		/* the serials given, ", "-separated, or "" */
	long long tickets;
	const char *last;		/* "2026-01-31": the latest ticket about it */
};

/* The customer: account, contacts, products of their recent tickets. */
struct collab_customer {
	const char *name, *kind, *tier, *language, *phone, *since;
	int active;
	/* Counted over the latest COLLAB_TICKETS_SCAN tickets only, so that a
	 * customer with a huge history costs no more than that: *_more set
	 * when there were more. */
	long long open_tickets, tickets;
	int tickets_more;
	struct collab_contact *contacts;
	size_t ncontacts;
	struct collab_product *products;
	size_t nproducts;
};

#define COLLAB_CONTACTS_MAX 20
#define COLLAB_PRODUCTS_MAX 10
#define COLLAB_TICKETS_SCAN 1000

/* What the ticket page shows of working together, read in one go. */
struct collab_panel {
	struct collab_presence *presence;	/* the others, longest there first */
	size_t npresence;
	struct collab_link *links;		/* by number */
	size_t nlinks;
	struct collab_time *time;		/* per agent, most first */
	size_t ntime;
	struct collab_customer customer;
};

/*
 * One statement for the page: notes that staff_id has ticket_id open
 * (written only when their row is older than TC_PRESENCE_REFRESH) and
 * reads the others present, the links, time worked per agent and the
 * customer panel for customer_id. Returns 0 or -1.
 */
int collab_panel(struct db *db, struct arena *a, long long ticket_id, long long staff_id,
    long long customer_id, struct collab_panel *p);

#endif
