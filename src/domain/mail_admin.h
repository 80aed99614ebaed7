/*
 * mail_admin.h — what admins set for e-mail: the addresses mail arrives at
 * and the queue each routes to, each team's address and signature for
 * agents' replies, the attachments accepted from mail, and the automatic
 * reply (how often per sender, and its text: a template with
 * {{ticket.number}}, {{ticket.subject}} and {{customer.name}}).
 *
 * Every change is checked here (limits below), audited (admin_audit) in
 * its transaction, and returns CS_OK, CS_NOT_FOUND, CS_TAKEN (an address
 * in use), CS_REFUSED with *why and *field (the form field at fault), or
 * the failure. Strings come back in the arena given.
 */
#ifndef CSDESK_MAIL_ADMIN_H
#define CSDESK_MAIL_ADMIN_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct audit_entry;
struct db;

#define MAIL_TYPES_MAX 1000		/* characters of the accepted types */
#define MAIL_SIGNATURE_MAX 2000		/* the table's CHECK */
#define MAIL_AUTOREPLY_TEXT_MAX 2000
#define MAIL_AUTOREPLY_PER_HOUR_MAX 100

struct mail_settings {
	long long file_max;		/* bytes, 1 .. TICKET_FILE_MAX */
	const char *types;		/* "image/png, application/pdf, …" */
	long long per_hour;		/* automatic replies to one sender an hour, 0 .. _MAX */
	const char *autoreply_text;	/* a template; "" for none */
};

enum cs_result mail_settings_get(struct db *db, struct arena *a, struct mail_settings *s);
enum cs_result mail_settings_save(struct db *db, struct arena *a, const struct audit_entry *by,
    const struct mail_settings *s, const char **why, const char **field);

struct mail_address {
	long long id;
	const char *address, *queue;
	long long queue_id;
};

/* The inbound addresses, by address. */
enum cs_result mail_address_list(struct db *db, struct arena *a, struct mail_address **out,
    size_t *n);
/* A new one (lower-cased) for queue_id. */
enum cs_result mail_address_add(struct db *db, const struct audit_entry *by, const char *address,
    long long queue_id, const char **why, const char **field);
enum cs_result mail_address_delete(struct db *db, const struct audit_entry *by, long long id);

struct team_mail {
	long long team_id;
	const char *team, *address, *signature;	/* "" when the team has none */
};

/* Every team, with its address and signature when it has them. */
enum cs_result team_mail_list(struct db *db, struct arena *a, struct team_mail **out, size_t *n);
/* Sets a team's address and signature; an empty address removes them. */
enum cs_result team_mail_set(struct db *db, const struct audit_entry *by, long long team_id,
    const char *address, const char *signature, const char **why, const char **field);

#endif
