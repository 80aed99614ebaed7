/*
 * product_catalogue.h — the products admins keep: SKU, name, category,
 * model, the manufacturer's warranty terms coverage is computed from
 * (parts and labour months, travel covered or not, the date they count
 * from: delivery, invoice or installation), serviceable or not, and a
 * picture. Rows are never deleted (tickets and registrations point at
 * them): deactivating hides one from the forms.
 *
 * A change to the terms recomputes the stored coverage of every
 * registration of the product (a trigger of sql/functions/140_warranty.sql).
 * Every change is audited (admin_audit) in its transaction. Functions
 * return an enum cs_result; CS_REFUSED with a sentence in *why and the
 * field in *field. Strings come back in the arena.
 */
#ifndef CSDESK_PRODUCT_CATALOGUE_H
#define CSDESK_PRODUCT_CATALOGUE_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct audit_entry;
struct db;
struct db_option;

/* Limits, as the tables' CHECKs have them. */
#define PRODUCT_SKU_MAX 64
#define PRODUCT_NAME_MAX 200
#define PRODUCT_MODEL_MAX 100
#define PRODUCT_MONTHS_MAX 240
#define PRODUCT_IMAGE_MAX (2 * 1024 * 1024)

/* The start bases, as warranty_basis holds them; NULL-terminated. */
extern const char *const product_bases[];

struct product {
	long long id;
	const char *sku, *name, *model, *basis;
	long long category_id;		/* 0: none */
	const char *category;		/* its name or "" */
	int parts_months, labour_months;
	int travel, serviceable, active, has_image;
	long long registrations;	/* how many units are registered */
};

/* Every product, active first, by SKU (at most 1000). CS_OK or the failure. */
enum cs_result product_catalogue_list(struct db *db, struct arena *a, struct product **rows,
    size_t *n);

/* Product id. CS_OK, CS_NOT_FOUND or the failure. */
enum cs_result product_catalogue_get(struct db *db, struct arena *a, long long id,
    struct product *out);

/* What a product is made of; image NULL (size 0): keep the one it has. */
struct product_input {
	const char *sku, *name, *model, *basis;
	long long category_id;
	int parts_months, labour_months;
	int travel, serviceable, active;
	const void *image;
	size_t image_size;
};

/*
 * Adds (id 0; *id set) or changes product id. CS_REFUSED with *why and
 * *field ("sku", "name", "model", "category_id", "parts_months",
 * "labour_months", "basis", "image") for a value out of its limits, a
 * category not there, a picture that is not PNG, JPEG, GIF or WebP or is
 * larger than 2 MB. CS_TAKEN: the SKU is in use. CS_NOT_FOUND: no product
 * id. Or the failure.
 */
enum cs_result product_catalogue_save(struct db *db, struct arena *a,
    const struct audit_entry *by, long long id, const struct product_input *in,
    long long *out_id, const char **why, const char **field);

/* Product id's picture. CS_OK, CS_NOT_FOUND (none) or the failure. */
enum cs_result product_catalogue_image(struct db *db, struct arena *a, long long id,
    const char **type, const void **data, size_t *size);

/* The active product categories for a select, by name. */
enum cs_result product_catalogue_categories(struct db *db, struct arena *a,
    struct db_option **opts, size_t *n);

#endif
