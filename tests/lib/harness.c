/* harness.c — see harness.h. */
#include "harness.h"
#include "db/db.h"
#include "db/migrate.h"

#include <check.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "test harness: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(2);
}

const char *
th_datadir(void)
{
	const char *d = getenv("CSDESK_DATADIR");

	return d ? d : ".";
}

const char *
th_build_dir(void)
{
	const char *d = getenv("CSDESK_BUILD");

	return d ? d : "build";
}

int
th_sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	rc = system(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

char *
th_output(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	char *out = NULL, chunk[4096];
	size_t len = 0, n;

	ck_assert_msg(p != NULL, "%s", cmd);
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0) {
		char *grown = realloc(out, len + n + 1);

		ck_assert_ptr_nonnull(grown);
		out = grown;
		memcpy(out + len, chunk, n);
		len += n;
	}
	ck_assert_msg(pclose(p) == 0, "%s", cmd);
	if (out == NULL)
		out = calloc(1, 1);
	else
		out[len] = '\0';
	ck_assert_ptr_nonnull(out);
	return out;
}

static void
quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* Runs one utility statement (no parameters: the names are ours). */
static void
admin(const char *sql)
{
	const char *base = getenv("CSDESK_TEST_PG");
	PGconn *c;
	PGresult *r;

	if (base == NULL)
		die("CSDESK_TEST_PG is not set: run the suites with `make test`");
	c = PQconnectdb(base);
	if (PQstatus(c) != CONNECTION_OK)
		die("cannot reach the test PostgreSQL: %s", PQerrorMessage(c));
	PQsetNoticeProcessor(c, quiet, NULL);
	r = PQexecParams(c, sql, 0, NULL, NULL, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		fprintf(stderr, "test harness: %s: %s", sql, PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
}

char *
th_db_create(const char *name)
{
	const char *base = getenv("CSDESK_TEST_PG");
	char sql[256], *conninfo, dir[1024], functions[1024], roles[1024];
	struct db db;
	int applied;

	if (base == NULL)
		die("CSDESK_TEST_PG is not set: run the suites with `make test`");
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS t_%s_%d", name, (int)getpid());
	admin(sql);
	snprintf(sql, sizeof(sql), "CREATE DATABASE t_%s_%d", name, (int)getpid());
	admin(sql);
	if (asprintf(&conninfo, "%s dbname=t_%s_%d", base, name, (int)getpid()) < 0)
		die("out of memory");
	if (db_open(&db, conninfo, "test-harness") < 0)
		die("cannot connect to %s", conninfo);
	snprintf(dir, sizeof(dir), "%s/sql/migrations", th_datadir());
	snprintf(functions, sizeof(functions), "%s/sql/functions", th_datadir());
	snprintf(roles, sizeof(roles), "%s/sql/roles.sql", th_datadir());
	if (migrate_run(&db, dir, functions, roles, &applied, NULL) < 0)
		die("migrations failed on a fresh database");
	db_close(&db);
	return conninfo;
}

char *
th_db_create_fixture(const char *name, const char *fixture)
{
	char *conninfo = th_db_create(name);
	struct db d;

	ck_assert_int_eq(db_open(&d, conninfo, "t-fixture"), 0);
	ck_assert_int_eq(db_script(&d, fixture, "fixture"), 0);
	db_close(&d);
	return conninfo;
}

char *
th_db_as(const char *conninfo, const char *role)
{
	char *s;

	if (asprintf(&s, "%s user=%s", conninfo, role) < 0)
		die("out of memory");
	return s;
}

void
th_db_drop(const char *conninfo)
{
	const char *db = strstr(conninfo, "dbname=t_");
	char sql[256];

	if (db == NULL)
		return;
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", db + 7);
	admin(sql);
}

static int
free_port(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) < 0)
		die("no free port: %s", strerror(errno));
	port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

/* fork + exec with the child tied to us: it gets SIGTERM when we die. */
static pid_t
spawn(char *const argv[], char *const envp[], const char *logfile)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		int fd = open(logfile, O_WRONLY | O_CREAT | O_APPEND, 0644);

		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
			close(fd);
		}
		execve(argv[0], argv, envp);
		fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	return pid;
}

static int
wait_socket(const char *path, int port)
{
	int i;

	for (i = 0; i < 200; i++) {
		if (path != NULL) {
			struct stat sb;

			if (stat(path, &sb) == 0 && S_ISSOCK(sb.st_mode))
				return 0;
		} else {
			struct sockaddr_in sa = { .sin_family = AF_INET };
			int fd = socket(AF_INET, SOCK_STREAM, 0);

			sa.sin_port = htons((unsigned short)port);
			sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
			if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
				close(fd);
				return 0;
			}
			close(fd);
		}
		usleep(50000);
	}
	return -1;
}

static pid_t
start_pool(struct th_stack *s, const char *program, const char *sock, const char *conninfo,
    const char *role, int workers, const char *const *extra_env)
{
	char bin[512], nworkers[16], log[512], *dbvar, *datavar;
	char *argv[] = { bin, (char *)"--listen", (char *)sock, (char *)"--workers", nworkers,
		(char *)"--socket-mode", (char *)"0660", NULL };
	char *envp[32];
	char *as_role = th_db_as(conninfo, role);
	struct group *g;
	int n = 0;
	pid_t pid;

	snprintf(bin, sizeof(bin), "%s/%s.fcgi", th_build_dir(), program);
	snprintf(nworkers, sizeof(nworkers), "%d", workers);
	snprintf(log, sizeof(log), "%s/%s.log", s->dir, program);
	if (asprintf(&dbvar, "CSDESK_DB=%s", as_role) < 0 ||
	    asprintf(&datavar, "CSDESK_DATADIR=%s", th_datadir()) < 0)
		die("out of memory");
	envp[n++] = dbvar;
	envp[n++] = datavar;
	envp[n++] = (char *)"PATH=/usr/bin:/bin";
	for (; extra_env && *extra_env && n < 30; extra_env++)
		envp[n++] = (char *)*extra_env;
	envp[n] = NULL;
	pid = spawn(argv, envp, log);
	if (wait_socket(sock, 0) < 0)
		die("%s.fcgi did not start; see %s", program, log);
	/* As root nginx's workers run as nobody:nogroup (scripts/lib.sh):
	 * only that group may connect, as in production. */
	if (geteuid() == 0 && ((g = getgrnam("nogroup")) == NULL || chown(sock, (uid_t)-1,
	    g->gr_gid) < 0))
		die("cannot give %s to the group nogroup", sock);
	free(dbvar);
	free(datavar);
	free(as_role);
	return pid;
}

void
th_stack_start(struct th_stack *s, const char *conninfo, int workers,
    const char *const *extra_env)
{
	char conf[512], log[512];
	char *argv[] = { (char *)"/usr/sbin/nginx", (char *)"-c", conf, (char *)"-e", log, NULL };
	char *envp[] = { NULL };

	memset(s, 0, sizeof(*s));
	snprintf(s->dir, sizeof(s->dir), "/tmp/csdesk-http.XXXXXX");
	if (mkdtemp(s->dir) == NULL)
		die("mkdtemp: %s", strerror(errno));
	chmod(s->dir, 0755);
	s->port = free_port();
	snprintf(s->url, sizeof(s->url), "http://127.0.0.1:%d", s->port);
	snprintf(s->portal_sock, sizeof(s->portal_sock), "%s/portal.sock", s->dir);
	snprintf(s->console_sock, sizeof(s->console_sock), "%s/console.sock", s->dir);
	s->portal = start_pool(s, "portal", s->portal_sock, conninfo, "csdesk_portal", workers,
	    extra_env);
	s->console = start_pool(s, "console", s->console_sock, conninfo, "csdesk_console",
	    workers, extra_env);
	snprintf(conf, sizeof(conf), "%s/nginx.conf", s->dir);
	snprintf(log, sizeof(log), "%s/nginx-error.log", s->dir);
	if (th_sh("bash -c '. \"%s/scripts/lib.sh\" && nginx_conf %s %d %s %s %s'", th_datadir(),
	    conf, s->port, s->dir, s->portal_sock, s->console_sock) != 0)
		die("cannot write the nginx config");
	s->nginx = spawn(argv, envp, log);
	if (wait_socket(NULL, s->port) < 0)
		die("nginx did not start; see %s", log);
}

static void
stop_pid(pid_t pid)
{
	int i, status;

	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	for (i = 0; i < 200; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return;
		usleep(50000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
}

void
th_stack_stop(struct th_stack *s)
{
	stop_pid(s->nginx);
	stop_pid(s->portal);
	stop_pid(s->console);
	if (getenv("CSDESK_KEEP_LOGS") == NULL && s->dir[0] != '\0')
		th_sh("rm -rf '%s'", s->dir);
	memset(s, 0, sizeof(*s));
}

int
th_children(pid_t master, pid_t *out, int max)
{
	char path[64], line[4096];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)master, (int)master);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	if (fgets(line, sizeof(line), f) != NULL) {
		char *p = line, *end;

		while (n < max) {
			long v = strtol(p, &end, 10);

			if (end == p)
				break;
			out[n++] = (pid_t)v;
			p = end;
		}
	}
	fclose(f);
	return n;
}

struct sink {
	char *p;
	size_t len;
};

static size_t
collect(char *data, size_t size, size_t nmemb, void *arg)
{
	struct sink *s = arg;
	size_t n = size * nmemb;
	char *p = realloc(s->p, s->len + n + 1);

	if (p == NULL)
		return 0;
	memcpy(p + s->len, data, n);
	s->len += n;
	p[s->len] = '\0';
	s->p = p;
	return n;
}

int
th_http(const char *method, const char *url, const char *body, size_t body_len,
    const char *const *headers, struct th_resp *out)
{
	struct sink b = { 0 }, h = { 0 };
	struct curl_slist *hl = NULL;
	CURL *c = curl_easy_init();
	CURLcode rc;

	memset(out, 0, sizeof(*out));
	if (c == NULL)
		return -1;
	for (; headers && *headers; headers++)
		hl = curl_slist_append(hl, *headers);
	/* Send what the test says, not what curl would add by itself. */
	hl = curl_slist_append(hl, "Expect:");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	if (body != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &h);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
	curl_slist_free_all(hl);
	curl_easy_cleanup(c);
	out->body = b.p ? b.p : calloc(1, 1);
	out->body_len = b.len;
	out->headers = h.p ? h.p : calloc(1, 1);
	if (rc != CURLE_OK) {
		th_resp_free(out);
		return -1;
	}
	return 0;
}

const char *
th_header(const struct th_resp *r, const char *name)
{
	static char value[1024];
	size_t n = strlen(name);
	const char *p = r->headers;

	while (p && *p) {
		const char *eol = strstr(p, "\r\n");
		size_t len = eol ? (size_t)(eol - p) : strlen(p);

		if (len > n && strncasecmp(p, name, n) == 0 && p[n] == ':') {
			const char *v = p + n + 1;
			size_t vl;

			while (*v == ' ')
				v++;
			vl = (size_t)(p + len - v);
			if (vl >= sizeof(value))
				vl = sizeof(value) - 1;
			memcpy(value, v, vl);
			value[vl] = '\0';
			return value;
		}
		p = eol ? eol + 2 : NULL;
	}
	return NULL;
}

void
th_resp_free(struct th_resp *r)
{
	free(r->body);
	free(r->headers);
	memset(r, 0, sizeof(*r));
}
