/* send_file.c — see send_file.h. */
#include "web/send_file.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/form.h"
#include "core/http.h"

#include <string.h>

const char *
web_header_filename(struct arena *a, const char *name)
{
	size_t i, n;
	char *s;

	if (name == NULL || *name == '\0')
		return "attachment";
	n = strlen(name);
	if ((s = arena_strndup(a, name, n)) == NULL)
		return "attachment";
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == ';' || c == '/')
			s[i] = '_';
	}
	return s;
}

int
web_send_file(struct req *r, struct resp *w, const struct web_file *f)
{
	if (f->disposition != NULL) {
		const char *ascii = web_header_filename(r->arena, f->filename);
		struct buf cd;

		buf_init(&cd, r->arena);
		buf_printf(&cd, "%s; filename=\"%s\"", f->disposition, ascii);
		if (f->filename != NULL && *f->filename != '\0' && strcmp(ascii, f->filename) != 0) {
			buf_printf(&cd, "; filename*=UTF-8''");
			url_encode(&cd, f->filename);
		}
		if (buf_failed(&cd))
			return 500;
		resp_header(w, "Content-Disposition", cd.buf);
	}
	buf_reset(&w->body);
	buf_add(&w->body, f->data, f->len);
	if (buf_failed(&w->body))
		return 500;
	w->status = 200;
	w->content_type = f->type != NULL && *f->type != '\0' ? f->type :
	    "application/octet-stream";
	resp_header(w, "X-Content-Type-Options", "nosniff");
	if (f->cache != NULL)
		resp_header(w, "Cache-Control", f->cache);
	return 0;
}
