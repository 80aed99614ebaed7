/* tmpl_dir.c — loading a directory tree of *.mustache files; see tmpl.h. */
#include "tmpl/tmpl.h"
#include "core/buf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define EXT ".mustache"
#define EXT_LEN (sizeof(EXT) - 1)

/* Directories below the root; deeper is a symlink loop, not a template tree. */
#define MAX_DEPTH 32

/* A template bigger than this is a mistake (or not a template). */
#define MAX_FILE (16 * 1024 * 1024)

struct walk {
	struct tmpl_set *set;
	struct buf path;	/* the current path; the root is path[0..rootlen) */
	size_t rootlen;
	const char *skip;	/* a directory right under the root not loaded, or NULL */
	int count;
	char *err;
	size_t errlen;
};

static int
walk_error(struct walk *w, const char *what)
{
	if (w->err != NULL && w->errlen > 0)
		snprintf(w->err, w->errlen, "%s: %s", w->path.buf, what);
	return -1;
}

static int
read_file(struct walk *w, struct buf *content)
{
	struct stat st;
	int fd, n, rc = -1;

	fd = open(w->path.buf, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return walk_error(w, strerror(errno));
	if (fstat(fd, &st) < 0) {
		walk_error(w, strerror(errno));
		goto out;
	}
	if (st.st_size > MAX_FILE) {
		walk_error(w, "file too large");
		goto out;
	}
	if ((n = buf_add_fd(content, fd, MAX_FILE)) != 0) {
		walk_error(w, n < 0 ? strerror(errno) : "file too large");
		goto out;
	}
	if (buf_failed(content)) {
		walk_error(w, "out of memory");
		goto out;
	}
	rc = 0;
out:
	close(fd);
	return rc;
}

static int
add_file(struct walk *w)
{
	struct buf content;
	const char *name;
	char *dot;
	int rc = -1;

	buf_init(&content, NULL);
	if (read_file(w, &content) < 0)
		goto out;
	/* The name is the path below the root, without the extension. */
	name = w->path.buf + w->rootlen + 1;
	dot = w->path.buf + w->path.len - EXT_LEN;
	*dot = '\0';
	rc = tmpl_set_add(w->set, name, content.buf, content.len);
	*dot = '.';
	if (rc < 0)
		walk_error(w, "out of memory");
	else
		w->count++;
out:
	buf_release(&content);
	return rc;
}

static int
has_ext(const char *name)
{
	size_t len = strlen(name);

	return len > EXT_LEN && strcmp(name + len - EXT_LEN, EXT) == 0;
}

/* Whether the directory name, depth levels below the root, is the one left out. */
static int
skipped(const struct walk *w, int depth, const char *name)
{
	return depth == 0 && w->skip != NULL && strcmp(name, w->skip) == 0;
}

static int
walk_dir(struct walk *w, int depth)
{
	struct dirent *de;
	struct stat st;
	size_t len = w->path.len;
	DIR *d;
	int rc = 0;

	if (depth > MAX_DEPTH)
		return walk_error(w, "directories nested too deeply");
	d = opendir(w->path.buf);
	if (d == NULL)
		return walk_error(w, strerror(errno));
	while (rc == 0) {
		errno = 0;
		de = readdir(d);
		if (de == NULL) {
			if (errno != 0)
				rc = walk_error(w, strerror(errno));
			break;
		}
		/* Hidden entries are editors' and version control's, not ours. */
		if (de->d_name[0] == '.')
			continue;
		w->path.len = len;
		buf_addch(&w->path, '/');
		buf_addstr(&w->path, de->d_name);
		if (buf_failed(&w->path)) {
			rc = walk_error(w, "out of memory");
			break;
		}
		if (stat(w->path.buf, &st) < 0)
			rc = walk_error(w, strerror(errno));
		else if (S_ISDIR(st.st_mode))
			rc = skipped(w, depth, de->d_name) ? 0 : walk_dir(w, depth + 1);
		else if (S_ISREG(st.st_mode) && has_ext(de->d_name))
			rc = add_file(w);
		if (rc == 0) {
			w->path.len = len;
			w->path.buf[len] = '\0';
		}
	}
	closedir(d);
	return rc;
}

int
tmpl_set_add_dir(struct tmpl_set *set, const char *dir, char *err, size_t errlen)
{
	return tmpl_set_add_dir_except(set, dir, NULL, err, errlen);
}

int
tmpl_set_add_dir_except(struct tmpl_set *set, const char *dir, const char *skip, char *err,
    size_t errlen)
{
	struct walk w;
	int rc;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (set == NULL || dir == NULL)
		return -1;
	memset(&w, 0, sizeof(w));
	w.set = set;
	w.skip = skip;
	w.err = err;
	w.errlen = errlen;
	buf_init(&w.path, NULL);
	buf_addstr(&w.path, dir);
	/* "templates/" and "templates" name the same tree. */
	while (w.path.len > 1 && w.path.buf[w.path.len - 1] == '/')
		w.path.buf[--w.path.len] = '\0';
	if (buf_failed(&w.path)) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s: out of memory", dir);
		buf_release(&w.path);
		return -1;
	}
	w.rootlen = w.path.len;
	rc = walk_dir(&w, 0);
	buf_release(&w.path);
	return rc < 0 ? -1 : w.count;
}
