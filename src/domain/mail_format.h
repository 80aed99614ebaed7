/*
 * mail_format.h — an outbox message as the RFC 5322 text a mail server or
 * a mail program reads: Date, From, To, Subject (RFC 2047 encoded when not
 * plain ASCII), Message-ID, MIME-Version, Auto-Submitted: auto-generated
 * (automatic mail only), for a ticket's mail In-Reply-To and References to
 * its thread and a Reply-To carrying its token, List-Unsubscribe and
 * List-Unsubscribe-Post (RFC 8058) on mail a customer may turn off, and a
 * quoted-printable
 * UTF-8 text/plain body, inside
 * multipart/alternative with a text/html part when the message has HTML,
 * and that inside multipart/mixed with a base64 part when it carries a
 * file (a mailed report's export). Pure text work: delivering it is mailer.h.
 */
#ifndef CSDESK_MAIL_FORMAT_H
#define CSDESK_MAIL_FORMAT_H

struct buf;

/* One message as the outbox holds it. */
struct mailer_msg {
	long long id;
	const char *kind;
	const char *recipient;
	const char *subject;
	const char *text;
	const char *html;	/* NULL: text only */
	long long created_us;	/* microseconds since 1970, UTC: the Date header */
	int automatic;		/* Auto-Submitted: auto-generated (not a person's reply) */
	/* A ticket's mail (all NULL otherwise): */
	const char *first_ref;	/* the Message-ID that opened its thread, or NULL */
	const char *last_ref;	/* the latest one received: In-Reply-To, or NULL */
	const char *token;	/* the reply address's token (local+token@domain) */
	const char *reply_addr;	/* its queue's inbound address, NULL: the sender's */
	/* An agent's reply when the ticket's team has an address (else NULL): */
	const char *team_addr;	/* sent as "team_name" <team_addr> */
	const char *team_name;
	const char *signature;	/* after the text, "" for none */
	/* A file it carries (all NULL otherwise; notify.h checked the name and type): */
	const char *file_name;
	const char *file_type;
	const char *file_b64;	/* base64, any line breaks (PostgreSQL's encode()) */
	/* Mail a customer may turn off: where one click does (RFC 8058), or NULL. */
	const char *unsubscribe_url;
};

/* Who a message is from. */
struct mail_sender {
	const char *name;	/* display name, may be "" */
	const char *addr;
	const char *domain;	/* in addr: the Message-ID's right side */
};

/*
 * Appends msg as an RFC 5322 message (CRLF line ends, 7-bit clean) from
 * from to out. Check buf_failed(out) afterwards. Cannot fail otherwise.
 */
void mail_format(const struct mail_sender *from, const struct mailer_msg *msg, struct buf *out);

#endif
