/*
 * ticket_choices.h — what the ticket forms and list filters offer: active
 * queues, teams, active agents and supervisors, active categories, active
 * products, and active resolution codes and ticket types with their labels;
 * and the canned responses the ticket page offers (ticket_choices_canned).
 *
 * Every ticket page and list shows them and they change a few times a
 * day, so each process keeps them and reads them again when 008's
 * triggers say they changed (see ticket_choices.c).
 */
#ifndef CSDESK_TICKET_CHOICES_H
#define CSDESK_TICKET_CHOICES_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct canned;
struct db;
struct db_option;

struct ticket_choices {
	struct db_option *queues, *teams, *agents, *categories;	/* by name */
	size_t nqueues, nteams, nagents, ncategories;
	struct db_option *products;		/* by name */
	size_t nproducts;
	const char **codes, **code_labels;	/* resolution codes, by label */
	size_t ncodes;
	const char **types, **type_labels;	/* active ticket types, by position */
	size_t ntypes;
	/* Every queue and every person, inactive ones too, by id. */
	struct db_option *queue_names, *staff_names;
	size_t nqueue_names, nstaff_names;
};

/* The names of a ticket's queue, team and assignee (ticket_choices_names). */
struct ticket_names {
	long long queue_id, team_id, staff_id;	/* 0: none */
	const char *queue, *team, *staff;	/* out: names, "" for none */
};

/*
 * Fills c with a copy in the arena (the kept lists may be replaced by the
 * next call while this request still renders these). Returns CS_OK or the
 * failure.
 */
enum cs_result ticket_choices_get(struct db *db, struct arena *a, struct ticket_choices *c);

/*
 * Fills in the names of the n ids in names from the kept lists (read
 * again when they changed), copied into the arena, so a list shows names
 * without joining the tables for them. CS_OK or the failure.
 */
enum cs_result ticket_choices_names(struct db *db, struct arena *a, struct ticket_names *names,
    size_t n);

/*
 * Fills in t's names from its ids and type code, from the kept lists:
 * queue, team and assignee, category ("Parent › Child"), resolution code
 * and the type's label (the code when it has none); "" for an id of 0.
 * The console's reader of a ticket selects the ids only, so its page
 * joins none of those tables. Copies in a. CS_OK or the failure.
 */
struct ticket;
enum cs_result ticket_choices_name_ticket(struct db *db, struct arena *a, struct ticket *t);

/*
 * The canned responses staff member staff_id may use (for everyone, or
 * for their team; canned_list's rule and order), from the kept list: no
 * statement while nothing changed (a canned response's or a staff
 * member's team change NOTIFYs as the lists' do). *out and its strings
 * are copies in a. CS_OK or the failure.
 */
enum cs_result ticket_choices_canned(struct db *db, struct arena *a, long long staff_id,
    struct canned **out, size_t *n);

#endif
