/*
 * fixtures.h — fresh people and tickets for one test, so that a test owns
 * the rows it changes and a failure cannot leak into the next test.
 *
 * They are made the way the product makes them: staff with `csdesk user
 * add`, customers (each with a portal login, its account admin) with
 * `csdesk customer add`, tickets with the domain's ticket_open, as the
 * customer opening one in the portal. Every call makes rows nobody else
 * has: e-mail addresses carry a counter and the process id. A failure
 * fails the calling test (Check assertions); nothing is returned then.
 */
#ifndef CSDESK_TEST_FIXTURES_H
#define CSDESK_TEST_FIXTURES_H

#include <stddef.h>

/* Every fixture person's password, as typed and as a form field. */
#define FX_PASSWORD "fixture kestrel ledger 58"
#define FX_PASSWORD_FORM "password=fixture+kestrel+ledger+58"

struct fx_person {
	long long id;		/* staff.id, or portal_users.id for a customer */
	long long customer_id;	/* customers.id; 0 for staff */
	char email[128];	/* unique, lower case, no character to escape */
	char name[96];
};

struct fx_ticket {
	long long id;
	char number[32];
};

/*
 * A new staff member called name with roles ("agent", "agent,admin", …)
 * on the database at conninfo; fills out.
 */
void fx_staff(const char *conninfo, const char *name, const char *roles,
    struct fx_person *out);

/*
 * A new customer with one portal login for the person called name: a
 * company account called company, or (company NULL) a person's account
 * called name; tier "standard", "premium" or "vip". Fills out.
 */
void fx_customer(const char *conninfo, const char *name, const char *company,
    const char *tier, struct fx_person *out);

/* A new ticket opened by customer (from fx_customer) in the portal; fills out. */
void fx_ticket(const char *conninfo, const struct fx_person *customer, const char *subject,
    struct fx_ticket *out);

/*
 * A phone ticket ("Line is down") the system opens on db for the customer
 * account named customer, at priority: its id. For suites whose fixture
 * SQL made the account and the SLA policies the ticket is to meet.
 */
struct db;
struct arena;
long long fx_phone_ticket(struct db *db, struct arena *a, const char *customer,
    const char *priority);

#endif
