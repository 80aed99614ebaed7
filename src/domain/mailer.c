/* mailer.c — see mailer.h. */
#include "domain/mailer.h"
#include "domain/mailer_int.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/log.h"
#include "core/mem.h"
#include "db/db.h"
#include "domain/notify.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A person's reply goes out as the ticket's team, when the team has an address. */
#define TEAM_OF " FROM tickets t JOIN team_mail m ON m.team_id = t.team_id" \
	" JOIN teams e ON e.id = t.team_id WHERE t.id = n.ticket_id AND NOT n.automatic"

/* A claimed message. */
#define CLAIM_COLS(X) \
	X(CL, id, "n.id") X(CL, kind, "n.kind") X(CL, recipient, "n.recipient") \
	X(CL, subject, "n.subject") X(CL, text, "n.body_text") X(CL, html, "n.body_html") \
	X(CL, attempts, "n.attempts") \
	X(CL, created_us, "(extract(epoch FROM n.created_at) * 1000000)::bigint") \
	X(CL, automatic, "n.automatic") \
	X(CL, first_ref, "(SELECT m.message_id FROM mail_messages m" \
	    " WHERE m.ticket_id = n.ticket_id AND m.message_id <> '' ORDER BY m.id LIMIT 1)") \
	X(CL, last_ref, "(SELECT m.message_id FROM mail_messages m" \
	    " WHERE m.ticket_id = n.ticket_id AND m.message_id <> '' ORDER BY m.id DESC LIMIT 1)") \
	X(CL, token, "ticket_mail_token(n.ticket_id)") \
	X(CL, reply_addr, "(SELECT a.address FROM tickets t JOIN mail_addresses a" \
	    " ON a.queue_id = t.queue_id AND a.active WHERE t.id = n.ticket_id" \
	    " ORDER BY a.id LIMIT 1)") \
	X(CL, team_addr, "(SELECT m.address" TEAM_OF ")") \
	X(CL, team_name, "(SELECT e.name" TEAM_OF ")") \
	X(CL, signature, "(SELECT m.signature" TEAM_OF ")") \
	X(CL, file_name, "f.filename") X(CL, file_type, "f.content_type") \
	X(CL, file_b64, "encode(f.data, 'base64')") \
	X(CL, unsubscribe_url, "n.unsubscribe_url")
enum { DB_COL_ENUM(CLAIM_COLS) };

#define FAILED_COLS(X) X(FL, status, "status")
enum { DB_COL_ENUM(FAILED_COLS) };

enum stmt {
	ST_CLAIM,
	ST_SENT,
	ST_FAILED,
	ST_SYNC,
	ST__MAX
};

static struct db_stmt stmts[] = {
	/* $1 how many, $2 lease seconds. */
	[ST_CLAIM] = DB_STMT("mailer_claim",
	    "WITH due AS (SELECT id FROM notifications"
	    " WHERE status = 'queued' AND next_attempt_at <= now()"
	    " ORDER BY next_attempt_at FOR UPDATE SKIP LOCKED LIMIT $1)"
	    " UPDATE notifications n SET attempts = n.attempts + 1,"
	    " next_attempt_at = now() + make_interval(secs => $2)"
	    " FROM due LEFT JOIN notification_files f ON f.notification_id = due.id"
	    " WHERE n.id = due.id"
	    " RETURNING " DB_COLS(CLAIM_COLS), 2),
	/*
	 * "IS TRUE": as "status = 'queued'" it matched the partial index
	 * notifications_due, which the planner preferred to the primary key
	 * and walked whole for the id (180 pages a mark with 1,000 queued).
	 */
	[ST_SENT] = DB_STMT("mailer_sent",
	    "UPDATE notifications SET status = 'sent', sent_at = now()"
	    " WHERE id = $1 AND (status = 'queued') IS TRUE", 1),
	/*
	 * A run's marks commit without waiting for the disk ($1 'off', then
	 * back as it was): a mark lost to a crash of the server sends that
	 * message again, as a run killed between sending and marking does.
	 */
	[ST_SYNC] = DB_STMT("mailer_sync",
	    "SELECT current_setting('synchronous_commit'),"
	    " set_config('synchronous_commit', $1, false)", 1),
	/*
	 * $1 id, $2 error, $3 give up now, $4 attempts allowed. attempts was
	 * counted when claiming: after the first failure the wait is 2^0
	 * minutes, then 2^1 … at most 6 hours.
	 */
	[ST_FAILED] = DB_STMT("mailer_failed",
	    "UPDATE notifications SET last_error = left($2, 200),"
	    " status = CASE WHEN $3::boolean OR attempts >= $4::integer"
	    " THEN 'dead' ELSE 'queued' END,"
	    " next_attempt_at = now() + least(interval '1 minute'"
	    " * power(2, least(greatest(attempts - 1, 0), 20)), interval '6 hours')"
	    " WHERE id = $1 AND status = 'queued' RETURNING " DB_COLS(FAILED_COLS), 4),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

/*
 * Splits "Name <addr>" or "addr" into m->from_name and m->from_addr.
 * CS_OK, or CS_FAILED when the address is not usable or the name holds a
 * control character.
 */
static enum cs_result
parse_from(struct mailer *m, const char *from)
{
	const char *lt = strchr(from, '<'), *gt, *p;
	size_t nlen;

	if (lt == NULL) {
		m->from_name = mailer_copy("", 0);
		m->from_addr = mailer_copy(from, strlen(from));
	} else {
		gt = strchr(lt, '>');
		if (gt == NULL || gt[1] != '\0')
			return CS_FAILED;
		while (*from == ' ')
			from++;
		for (nlen = (size_t)(lt - from); nlen > 0 && from[nlen - 1] == ' '; nlen--)
			;
		/* "Acme, Inc." <addr>: the quotes are syntax, not part of the name. */
		if (nlen >= 2 && from[0] == '"' && from[nlen - 1] == '"') {
			from++;
			nlen -= 2;
		}
		for (p = from; p < from + nlen; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '"' || *p == '\\')
				return CS_FAILED;
		m->from_name = mailer_copy(from, nlen);
		m->from_addr = mailer_copy(lt + 1, (size_t)(gt - lt - 1));
	}
	if (m->from_name == NULL || m->from_addr == NULL || !notify_address_ok(m->from_addr))
		return CS_FAILED;
	m->domain = strchr(m->from_addr, '@') + 1;
	return CS_OK;
}

struct mailer *
mailer_new(const struct mailer_config *cfg)
{
	struct mailer *m = mem_calloc(1, sizeof(*m));

	if (m == NULL) {
		log_error("mailer: out of memory");
		return NULL;
	}
	if (parse_from(m, cfg->from != NULL ? cfg->from : "csdesk@localhost") != CS_OK) {
		log_error("mailer: CSDESK_MAIL_FROM is not a usable sender"
		    " (want addr@example.com or Name <addr@example.com>)");
		goto fail;
	}
	if (cfg->smtp_url != NULL && *cfg->smtp_url != '\0') {
		if (mailer_smtp_open(m, cfg) != CS_OK)
			goto fail;
	} else if (cfg->dir == NULL || *cfg->dir == '\0' ||
	    (m->dir = mailer_copy(cfg->dir, strlen(cfg->dir))) == NULL) {
		log_error("mailer: no mail directory");
		goto fail;
	}
	return m;
fail:
	mailer_free(m);
	return NULL;
}

void
mailer_free(struct mailer *m)
{
	if (m == NULL)
		return;
	if (m->curl != NULL) {
		curl_easy_cleanup(m->curl);
		curl_global_cleanup();
	}
	if (m->url_password != NULL)
		sodium_memzero(m->url_password, strlen(m->url_password));
	mem_free(m->url_user);
	mem_free(m->url_password);
	mem_free(m->from_name);
	mem_free(m->from_addr);
	mem_free(m->dir);
	mem_free(m);
}

/* ---- the message ------------------------------------------------------ */

void
mailer_compose(const struct mailer *m, const struct mailer_msg *msg, struct buf *out)
{
	const struct mail_sender from = { m->from_name, m->from_addr, m->domain };

	mail_format(&from, msg, out);
}

/* ---- delivery --------------------------------------------------------- */

/* Fills msg from row i of a claim result; CS_FAILED when a number is not one. */
static enum cs_result
read_row(const PGresult *res, int i, struct mailer_msg *msg, long long *attempts)
{
	msg->kind = PQgetvalue(res, i, CL_kind);
	msg->recipient = PQgetvalue(res, i, CL_recipient);
	msg->subject = PQgetvalue(res, i, CL_subject);
	msg->text = PQgetvalue(res, i, CL_text);
	msg->html = PQgetisnull(res, i, CL_html) ? NULL : PQgetvalue(res, i, CL_html);
	msg->automatic = strcmp(PQgetvalue(res, i, CL_automatic), "t") == 0;
	msg->first_ref = PQgetisnull(res, i, CL_first_ref) ? NULL : PQgetvalue(res, i, CL_first_ref);
	msg->last_ref = PQgetisnull(res, i, CL_last_ref) ? NULL : PQgetvalue(res, i, CL_last_ref);
	msg->token = PQgetisnull(res, i, CL_token) ? NULL : PQgetvalue(res, i, CL_token);
	msg->reply_addr = PQgetisnull(res, i, CL_reply_addr) ? NULL :
	    PQgetvalue(res, i, CL_reply_addr);
	msg->team_addr = PQgetisnull(res, i, CL_team_addr) ? NULL :
	    PQgetvalue(res, i, CL_team_addr);
	msg->team_name = PQgetvalue(res, i, CL_team_name);
	msg->signature = PQgetvalue(res, i, CL_signature);
	if (!PQgetisnull(res, i, CL_file_name)) {
		msg->file_name = PQgetvalue(res, i, CL_file_name);
		msg->file_type = PQgetvalue(res, i, CL_file_type);
		msg->file_b64 = PQgetvalue(res, i, CL_file_b64);
	}
	msg->unsubscribe_url = PQgetisnull(res, i, CL_unsubscribe_url) ? NULL :
	    PQgetvalue(res, i, CL_unsubscribe_url);
	if (config_parse_long(PQgetvalue(res, i, CL_id), 1, 1LL << 62, &msg->id) < 0 ||
	    config_parse_long(PQgetvalue(res, i, CL_attempts), 0, 1LL << 30, attempts) < 0 ||
	    config_parse_long(PQgetvalue(res, i, CL_created_us), -(1LL << 62), 1LL << 62,
	    &msg->created_us) < 0)
		return CS_FAILED;
	return CS_OK;
}

/* Records a sent message. CS_OK or the failure. */
static enum cs_result
record_sent(struct db *db, long long id, struct mailer_counts *counts)
{
	char ids[24];
	const char *p[1] = { ids };

	enum cs_result rc;

	snprintf(ids, sizeof(ids), "%lld", id);
	if ((rc = db_do(db, &stmts[ST_SENT], p)) == CS_OK)
		counts->sent++;
	return rc;
}

/* Records a failed attempt (permanent: give up now). CS_OK or the failure. */
static enum cs_result
record_failed(struct db *db, const struct mailer_msg *msg, const char *err, int permanent,
    struct mailer_counts *counts)
{
	char ids[24], max[16];
	const char *p[4] = { ids, err, permanent ? "true" : "false", max };
	PGresult *res;

	log_warn("mailer: notification %lld (%s) not delivered: %s", msg->id,
	    mailer_file_kind(msg->kind), err);
	snprintf(ids, sizeof(ids), "%lld", msg->id);
	snprintf(max, sizeof(max), "%d", MAILER_MAX_ATTEMPTS);
	res = db_exec(db, &stmts[ST_FAILED], p);
	if (res == NULL)
		return db_result(db);
	if (PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, FL_status), "dead") == 0)
		counts->dead++;
	else
		counts->failed++;
	PQclear(res);
	return CS_OK;
}

/*
 * Sets the session's synchronous_commit to value (ST_SYNC says why); the
 * value it had into was[0..size) when was is not NULL.
 */
static enum cs_result
sync_commit(struct db *db, const char *value, char *was, size_t size)
{
	const char *p[1] = { value };
	PGresult *res = db_exec(db, &stmts[ST_SYNC], p);

	if (res == NULL)
		return db_result(db);
	if (was != NULL)
		snprintf(was, size, "%s", PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : "on");
	PQclear(res);
	return CS_OK;
}

enum cs_result
mailer_deliver(struct mailer *m, struct db *db, int limit, struct mailer_counts *counts,
    int *claimed)
{
	char lim[16], lease[16], err[256], down_err[256] = "", was[16];
	const char *p[2] = { lim, lease };
	PGresult *res;
	struct buf data;
	enum cs_result rc = CS_OK, back;
	int i, n, down = 0;

	*claimed = 0;
	if (limit < 1)
		return CS_OK;
	if (limit > MAILER_BATCH_MAX)
		limit = MAILER_BATCH_MAX;
	snprintf(lim, sizeof(lim), "%d", limit);
	snprintf(lease, sizeof(lease), "%d", MAILER_LEASE_SECONDS);
	if ((rc = sync_commit(db, "off", was, sizeof(was))) != CS_OK)
		return rc;
	res = db_exec(db, &stmts[ST_CLAIM], p);
	if (res == NULL) {
		rc = db_result(db);
		(void)sync_commit(db, was, NULL, 0);
		return rc;
	}
	n = PQntuples(res);
	buf_init(&data, NULL);
	for (i = 0; i < n && rc == CS_OK; i++) {
		struct mailer_msg msg;
		long long attempts;
		int permanent = 0, failed = 1;

		memset(&msg, 0, sizeof(msg));
		if (read_row(res, i, &msg, &attempts) != CS_OK) {
			rc = log_failed("mailer: unexpected row from %s", stmts[ST_CLAIM].name);
			break;
		}
		buf_reset(&data);
		if (down) {
			/* The server was unreachable a moment ago: do not wait on it again. */
			snprintf(err, sizeof(err), "%s", down_err);
		} else if (attempts > MAILER_MAX_ATTEMPTS) {
			/* Claimed again and again, and never recorded: it kills the sender. */
			snprintf(err, sizeof(err), "given up: earlier deliveries were interrupted");
			permanent = 1;
		} else if (!notify_address_ok(msg.recipient)) {
			snprintf(err, sizeof(err), "the recipient is not a usable address");
			permanent = 1;
		} else {
			mailer_compose(m, &msg, &data);
			if (buf_failed(&data))
				snprintf(err, sizeof(err), "out of memory");
			else if (m->curl != NULL)
				failed = mailer_smtp_send(m, &msg, &data, err, sizeof(err), &down) != CS_OK;
			else
				failed = mailer_eml_write(m, &msg, &data, err, sizeof(err)) != CS_OK;
			if (down)
				snprintf(down_err, sizeof(down_err), "%s", err);
		}
		if (failed)
			rc = record_failed(db, &msg, err, permanent, counts);
		else
			rc = record_sent(db, msg.id, counts);
	}
	buf_release(&data);
	PQclear(res);
	/* Back as it was, also after a failure (the connection serves on). */
	if ((back = sync_commit(db, was, NULL, 0)) != CS_OK && rc == CS_OK)
		rc = back;
	if (rc != CS_OK)
		return rc;
	*claimed = n;
	return CS_OK;
}
