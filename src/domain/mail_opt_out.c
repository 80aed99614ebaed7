/* mail_opt_out.c — see mail_opt_out.h. */
#include "domain/mail_opt_out.h"
#include "core/arena.h"
#include "db/db.h"

#include <string.h>

#define FIND_COLS(X) X(OF, address, "address") X(OF, kind, "kind") X(OF, done, "done")
enum { DB_COL_ENUM(FIND_COLS) };

enum stmt { ST_FIND, ST_RECORD, ST__MAX };

/* Through the owner's functions (250_workspace_more.sql): the portal reads no outbox. */
static struct db_stmt stmts[] = {
	[ST_FIND] = DB_STMT("mail_opt_out_find",
	    "SELECT " DB_COLS(FIND_COLS) " FROM mail_opt_out_find($1)", 1),
	[ST_RECORD] = DB_STMT("mail_opt_out_record",
	    "SELECT mail_opt_out_record($1) IS NOT NULL", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

int
mail_opt_out_token_ok(const char *token)
{
	size_t i;

	if (token == NULL || strlen(token) != 32)
		return 0;
	for (i = 0; i < 32; i++)
		if (!((token[i] >= '0' && token[i] <= '9') || (token[i] >= 'a' && token[i] <= 'f')))
			return 0;
	return 1;
}

enum cs_result
mail_opt_out_find(struct db *db, struct arena *a, const char *token, const char **address,
    const char **kind, int *done)
{
	const char *p[] = { token };
	PGresult *r;
	int failed = 0;

	if (!mail_opt_out_token_ok(token))
		return CS_NOT_FOUND;
	if ((r = db_exec(db, &stmts[ST_FIND], p)) == NULL)
		return db_result(db);
	if (PQntuples(r) != 1) {
		PQclear(r);
		return CS_NOT_FOUND;
	}
	*address = db_str(a, r, 0, OF_address, &failed);
	*kind = db_str(a, r, 0, OF_kind, &failed);
	*done = db_bool(r, 0, OF_done);
	PQclear(r);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
mail_opt_out_record(struct db *db, const char *token)
{
	const char *p[] = { token };
	PGresult *r;
	int found;

	if (!mail_opt_out_token_ok(token))
		return CS_NOT_FOUND;
	if ((r = db_exec(db, &stmts[ST_RECORD], p)) == NULL)
		return db_result(db);
	found = PQntuples(r) == 1 && db_bool(r, 0, 0);
	PQclear(r);
	return found ? CS_OK : CS_NOT_FOUND;
}

const char *
mail_opt_out_kind_words(const char *kind)
{
	if (kind != NULL && strcmp(kind, "survey_invitation") == 0)
		return "survey invitations";
	return "this kind of mail";
}
