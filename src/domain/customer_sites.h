/*
 * customer_sites.h — a customer account's sites (addresses, 046): an
 * account with several offices or stores says which one a request is
 * about (the portal's form asks when there are several; the ticket page
 * shows it; routing rules may match words of it). Admins list, add,
 * change and deactivate them from the account's page; sites are never
 * deleted, since tickets point at them.
 *
 * Every change runs in one transaction with its audit record
 * ("customer_site.create" / ".update"). Functions return an enum
 * cs_result; CS_REFUSED comes with the form field at fault in *field and
 * a sentence in *why. Strings come back in the arena given.
 */
#ifndef CSDESK_CUSTOMER_SITES_H
#define CSDESK_CUSTOMER_SITES_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct audit_entry;
struct db;

/* Limits, in characters, as customer_sites' CHECKs have them. */
#define CUSTOMER_SITE_NAME_MAX 100
#define CUSTOMER_SITE_ADDRESS_MAX 500

struct customer_site {
	long long id;
	const char *name, *address;
	int active;
};

/* Every site of customer_id, active ones first, by name. CS_OK or the failure. */
enum cs_result customer_sites_list(struct db *db, struct arena *a, long long customer_id,
    struct customer_site **rows, size_t *n);

/*
 * Adds an active site s (id and active ignored) to customer_id and sets
 * *id. CS_OK, CS_REFUSED (a limit, or the name is taken in this account),
 * CS_NOT_FOUND (no such customer) or the failure.
 */
enum cs_result customer_sites_add(struct db *db, const struct audit_entry *by,
    long long customer_id, const struct customer_site *s, long long *id, const char **field,
    const char **why);

/* Changes site s->id of customer_id. CS_OK, CS_REFUSED, CS_NOT_FOUND or the failure. */
enum cs_result customer_sites_update(struct db *db, const struct audit_entry *by,
    long long customer_id, const struct customer_site *s, const char **field,
    const char **why);

#endif
