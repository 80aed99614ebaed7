/*
 * mail_feed.h — what the mail suites share: a database with the desk's
 * addresses (support@ → a General queue whose team signs its mail,
 * returns@ → a Returns queue), the messages of tests/mail/ with a sender,
 * a ticket tag and a reference filled in, `csdesk mail-in` run on them,
 * and reading where they landed. Senders carry a counter and the pid, so
 * tests do not see each other's rows.
 */
#ifndef CSDESK_TEST_MAIL_FEED_H
#define CSDESK_TEST_MAIL_FEED_H

#include <stddef.h>

#include "db/db.h"

extern char *mf_conninfo;	/* the suite's database (owner) */
extern struct db mf_db;		/* a connection to it */
extern char mf_dir[256];	/* the suite's scratch directory */

/* Makes the database (th_db_create(name)), the addresses and the directory. */
void mf_setup(const char *name);
void mf_teardown(void);

/* A sender address no other test uses. */
void mf_sender(char *out, size_t size, const char *who);

/*
 * tests/mail/<name> with FROM, TAG and REF (NULL: placeholders that match
 * nothing) and a fresh Message-ID, written to the scratch directory;
 * returns its path (static: the next call replaces it).
 */
const char *mf_message(const char *name, const char *from, const char *tag, const char *ref);

/* `csdesk mail-in ARGS < file` on db_conninfo: its exit status, its first line in out. */
int mf_mail_in_as(const char *db_conninfo, const char *file, const char *args, char *out,
    size_t size);
/* The same on the suite's database, without arguments. */
int mf_mail_in(const char *file, char *out, size_t size);

/* "status|why|ticket number|review|auto_reply" of the newest message from addr (malloc'd). */
char *mf_landed(const char *from);

/* A number the test SQL fmt gives. */
long long mf_count(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The ticket number a sender's newest message opened or joined (malloc'd). */
char *mf_ticket_of(const char *from);

/* The Message-ID csdesk gave its newest mail to addr, without <> (malloc'd). */
char *mf_sent_message_id(const char *to);

#endif
