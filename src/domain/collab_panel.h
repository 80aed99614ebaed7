/*
 * collab_panel.h — what the agent's ticket page shows of working together,
 * read in one statement: who else has the ticket open or is writing
 * (presence, noted for this view too), links to related tickets, time
 * worked per agent, and the customer panel (account, contacts, products,
 * the sites the ticket's fields form offers).
 * The changes (links, merge, the "is writing" heartbeat) are in
 * ticket_collab.h.
 */
#ifndef CSDESK_COLLAB_PANEL_H
#define CSDESK_COLLAB_PANEL_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct db;
struct db_pipe;

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

/* One of the customer's sites, for the ticket's fields form. */
struct collab_site {
	long long id;
	const char *name;
	int active;			/* 0: the ticket's own, deactivated since */
};

/* The customer: account, contacts, products of their recent tickets, sites. */
struct collab_customer {
	const char *name, *kind, *tier, *language, *phone, *since;
	int active;
	/* Counted exactly (kept as tickets change), shown up to
	 * COLLAB_TICKETS_SCAN: *_more set when there are more. */
	long long open_tickets, tickets;
	int tickets_more;
	struct collab_contact *contacts;
	size_t ncontacts;
	struct collab_product *products;
	size_t nproducts;
	/* The active sites by name, and the ticket's own site when it is not
	 * active any more; at most COLLAB_SITES_MAX (the ticket's own kept). */
	struct collab_site *sites;
	size_t nsites;
};

#define COLLAB_CONTACTS_MAX 20
#define COLLAB_PRODUCTS_MAX 10
#define COLLAB_TICKETS_SCAN 1000
#define COLLAB_SITES_MAX 200

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
 * The panel of the ticket numbered number, in one statement: notes that
 * staff_id has the ticket open (written only when their row is older
 * than COLLAB_PRESENCE_REFRESH) and reads the others present, the links,
 * time worked per agent and the customer panel for its customer. On its
 * own (collab_panel: CS_OK, or CS_FAILED also when there is no such
 * ticket) or as part of a page's pipeline: collab_panel_send_number
 * queues the statement
 * (number kept by the caller until db_pipe_run) and returns its slot, or
 * -1 (out of memory, pipe full); after db_pipe_run, collab_panel_take
 * reads the panel from that slot: CS_OK, or CS_FAILED (also when there
 * is no such ticket: no row).
 */
int collab_panel_send_number(struct db_pipe *pipe, struct arena *a, const char *number,
    long long staff_id);
enum cs_result collab_panel_take(const struct db_pipe *pipe, int slot, struct arena *a,
    struct collab_panel *p);
enum cs_result collab_panel(struct db *db, struct arena *a, const char *number, long long staff_id,
    struct collab_panel *p);

#endif
