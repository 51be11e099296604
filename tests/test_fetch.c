/* test_fetch.c - HTTP fetching against tests/http-server.py on 127.0.0.1. */
#include "testutil.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>

#include "kabar/fetch.h"

#define MAX_GOT 64

/* One server for the whole group. */
static struct {
	char *dir;
	pid_t pid;
	int port;
	char *big;        /* www/big.txt: compressible */
	size_t big_len;
} srv;

static const char feed_xml[] =
	"<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>Harian</title>"
	"<item><title>Satu</title></item></channel></rss>\n";
static const char a_txt[] = "apa kabar\n";

static char *path_in(const char *name)
{
	char *p = malloc(strlen(srv.dir) + strlen(name) + 2);
	sprintf(p, "%s/%s", srv.dir, name);
	return p;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int group_setup(void **state)
{
	(void)state;
	/* 127.0.0.1 directly, whatever proxy the environment names */
	unsetenv("http_proxy");
	unsetenv("https_proxy");
	unsetenv("all_proxy");
	unsetenv("ALL_PROXY");
	unsetenv("HTTPS_PROXY");
	setenv("no_proxy", "127.0.0.1", 1);

	srv.dir = test_dir("fetch");
	char *www = path_in("www");
	mkdir(www, 0755);
	test_write(www, "feed.xml", feed_xml, strlen(feed_xml));
	test_write(www, "a.txt", a_txt, strlen(a_txt));
	srv.big_len = 200000;
	srv.big = malloc(srv.big_len + 1);
	for (size_t i = 0; i < srv.big_len; i++)
		srv.big[i] = "kabar berita hari ini\n"[i % 22];
	srv.big[srv.big_len] = '\0';
	test_write(www, "big.txt", srv.big, srv.big_len);

	const char *src = getenv("KABAR_SRCDIR");
	char script[1024];
	snprintf(script, sizeof script, "%s/tests/http-server.py", src ? src : KB_SRC_ASSETS "/..");
	char *port_file = path_in("port"), *log = path_in("requests.log");

	srv.pid = fork();
	if (srv.pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0)
			dup2(null, 1);
		execlp("python3", "python3", script, "--root", www, "--port-file", port_file,
		       "--log", log, "--max-seconds", "300", (char *)NULL);
		_exit(127);
	}
	free(www);
	free(log);
	srv.port = 0;
	for (int i = 0; srv.pid > 0 && i < 200 && !srv.port; i++) {
		int status;
		if (waitpid(srv.pid, &status, WNOHANG) == srv.pid) {
			srv.pid = 0;
			break;
		}
		FILE *fp = fopen(port_file, "r");
		if (fp) {
			if (fscanf(fp, "%d", &srv.port) != 1)
				srv.port = 0;
			fclose(fp);
		}
		if (!srv.port)
			usleep(50000);
	}
	free(port_file);
	if (!srv.port)
		printf("# no test server (is python3 installed?): skipping\n");
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (srv.pid > 0) {
		kill(srv.pid, SIGTERM);
		waitpid(srv.pid, NULL, 0);
	}
	free(srv.big);
	test_rmdir(srv.dir);
	return 0;
}

#define NEED_SERVER()                  \
	do {                           \
		if (!srv.port)         \
			skip();        \
	} while (0)

/* ---- collecting responses ------------------------------------------- */

struct got {
	int calls;
	char *url, *final_url, *error, *etag, *last_modified, *content_type, *body;
	size_t len;
	long status;
	bool not_modified;
	uint64_t bytes;
	long max_age, retry_after;
};

struct run {
	struct got got[MAX_GOT];
	int n;            /* requests added */
	int ndone;
	struct kb_fetch *f;
	int chain;        /* added_from_done: generations still to add */
	char *chain_url;
};

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void on_done(const struct kb_response *r, void *ctx)
{
	struct run *run = ctx;
	int i = (int)(intptr_t)r->ctx;
	assert_true(i >= 0 && i < run->n);
	struct got *g = &run->got[i];
	g->calls++;
	run->ndone++;
	if (g->calls > 1)
		return;
	g->url = dup_or_null(r->url);
	g->final_url = dup_or_null(r->final_url);
	g->error = dup_or_null(r->error);
	g->etag = dup_or_null(r->etag);
	g->last_modified = dup_or_null(r->last_modified);
	g->content_type = dup_or_null(r->content_type);
	assert_non_null(r->body);
	assert_int_equal(r->body[r->len], '\0');
	g->body = malloc(r->len + 1);
	memcpy(g->body, r->body, r->len + 1);
	g->len = r->len;
	g->status = r->status;
	g->not_modified = r->not_modified;
	g->bytes = r->bytes;
	g->max_age = r->max_age;
	g->retry_after = r->retry_after;
	if (run->chain > 0 && run->n < MAX_GOT) {
		run->chain--;
		struct kb_request next = { .url = run->chain_url, .ctx = (void *)(intptr_t)run->n++ };
		kb_fetch_add(run->f, &next);
	}
}

static void run_free(struct run *run)
{
	for (int i = 0; i < MAX_GOT; i++) {
		struct got *g = &run->got[i];
		free(g->url);
		free(g->final_url);
		free(g->error);
		free(g->etag);
		free(g->last_modified);
		free(g->content_type);
		free(g->body);
	}
	kb_fetch_free(run->f);
	free(run->chain_url);
	free(run);
}

static char *url(const char *path)
{
	char *u = malloc(strlen(path) + 64);
	sprintf(u, "http://127.0.0.1:%d%s", srv.port, path);
	return u;
}

static struct run *run_new(const struct kb_fetch_opts *opts)
{
	struct run *run = calloc(1, sizeof *run);
	char *err = NULL;
	run->f = kb_fetch_new(opts, &err);
	if (!run->f)
		fail_msg("kb_fetch_new: %s", err);
	return run;
}

/* Queues path: "/..." on the test server, anything else as it is. */
static int add(struct run *run, const char *path, const char *etag, const char *lm)
{
	assert_true(run->n < MAX_GOT);
	char *u = path[0] != '/' ? strdup(path) : url(path);
	struct kb_request req = { .url = u, .etag = etag, .last_modified = lm,
	                          .ctx = (void *)(intptr_t)run->n };
	kb_fetch_add(run->f, &req);
	free(u); /* kb_fetch_add copies */
	return run->n++;
}

static void run_all(struct run *run)
{
	assert_int_equal(kb_fetch_run(run->f, on_done, run), 0);
	assert_int_equal(run->ndone, run->n);
	for (int i = 0; i < run->n; i++)
		assert_int_equal(run->got[i].calls, 1);
}

static void assert_one_line(const char *s)
{
	assert_non_null(s);
	assert_true(s[0] != '\0');
	assert_null(strchr(s, '\n'));
	assert_null(strchr(s, '\r'));
}

static void assert_ends_with(const char *s, const char *tail)
{
	assert_non_null(s);
	size_t n = strlen(s), t = strlen(tail);
	if (n < t || strcmp(s + n - t, tail) != 0)
		fail_msg("expected \"%s\" to end with \"%s\"", s, tail);
}

static char *read_log(void)
{
	char *p = path_in("requests.log");
	FILE *fp = fopen(p, "r");
	free(p);
	assert_non_null(fp);
	char *buf = calloc(1, 1 << 20);
	size_t n = fread(buf, 1, (1 << 20) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

/* ---- tests ---------------------------------------------------------- */

/* How long the server asks a client to wait: Cache-Control max-age on a
 * 200 and a 304 (the last response of a redirect chain only), Retry-After
 * on a 503; nothing when it says nothing. */
static void server_asks_to_wait(void **state)
{
	NEED_SERVER();
	struct run *run = run_new(NULL);
	add(run, "/max-age/900/feed.xml", NULL, NULL);      /* 0 */
	add(run, "/feed.xml", NULL, NULL);                   /* 1 */
	add(run, "/retry-after/120", NULL, NULL);            /* 2 */
	add(run, "/status/503", NULL, NULL);                 /* 3 */
	add(run, "/redirect/1/max-age/60/feed.xml", NULL, NULL); /* 4 */
	run_all(run);
	assert_int_equal(run->got[0].max_age, 900);
	assert_int_equal(run->got[0].retry_after, -1);
	assert_int_equal(run->got[1].max_age, -1);
	assert_int_equal(run->got[2].status, 503);
	assert_non_null(run->got[2].error);
	assert_int_equal(run->got[2].retry_after, 120);
	assert_int_equal(run->got[3].retry_after, -1);
	assert_int_equal(run->got[4].max_age, 60);
	char *etag = strdup(run->got[0].etag);
	run_free(run);

	run = run_new(NULL);
	add(run, "/max-age/300/feed.xml", etag, NULL);
	run_all(run);
	assert_true(run->got[0].not_modified);
	assert_int_equal(run->got[0].max_age, 300);
	run_free(run);
	free(etag);
}

static void ok_with_body_headers_and_final_url(void **state)
{
	NEED_SERVER();
	struct run *run = run_new(NULL);
	add(run, "/feed.xml", NULL, NULL);
	run_all(run);
	struct got *g = &run->got[0];
	assert_null(g->error);
	assert_int_equal(g->status, 200);
	assert_false(g->not_modified);
	assert_int_equal(g->len, strlen(feed_xml));
	assert_string_equal(g->body, feed_xml);
	assert_string_equal(g->url, g->final_url);
	assert_ends_with(g->final_url, "/feed.xml");
	assert_non_null(g->etag);
	assert_true(g->etag[0] == '"');
	assert_contains(g->last_modified, "GMT");
	assert_string_equal(g->content_type, "application/xml");
	assert_true(g->bytes > g->len); /* headers too */
	run_free(run);
}

static void sends_user_agent_and_accept_encoding(void **state)
{
	NEED_SERVER();
	struct run *run = run_new(NULL);
	add(run, "/headers", NULL, NULL);
	run_all(run);
	assert_null(run->got[0].error);
	assert_contains(run->got[0].body, "User-Agent: kabar/" PACKAGE_VERSION);
	assert_contains(run->got[0].body, "Accept-Encoding: ");
	assert_contains(run->got[0].body, "gzip");
	assert_not_contains(run->got[0].body, "If-None-Match");
	run_free(run);

	struct kb_fetch_opts opts = { .user_agent = "tester/1" };
	run = run_new(&opts);
	add(run, "/headers", NULL, NULL);
	run_all(run);
	assert_contains(run->got[0].body, "User-Agent: tester/1");
	run_free(run);
}

static void conditional_get_gives_304(void **state)
{
	NEED_SERVER();
	struct run *run = run_new(NULL);
	add(run, "/feed.xml", NULL, NULL);
	run_all(run);
	char *etag = strdup(run->got[0].etag), *lm = strdup(run->got[0].last_modified);
	run_free(run);

	run = run_new(NULL);
	add(run, "/feed.xml", etag, NULL);       /* 0: ETag */
	add(run, "/feed.xml", NULL, lm);         /* 1: Last-Modified */
	add(run, "/feed.xml", etag, lm);         /* 2: both */
	add(run, "/feed.xml", "\"stale\"", NULL); /* 3: a changed feed */
	add(run, "/no-lastmod/feed.xml", etag, lm); /* 4: a 304 without Last-Modified */
	run_all(run);
	for (int i = 0; i < 3; i++) {
		struct got *g = &run->got[i];
		assert_null(g->error);
		assert_int_equal(g->status, 304);
		assert_true(g->not_modified);
		assert_int_equal(g->len, 0);
		assert_string_equal(g->body, "");
		assert_string_equal(g->etag, etag);
		assert_string_equal(g->last_modified, lm);
	}
	assert_int_equal(run->got[3].status, 200);
	assert_false(run->got[3].not_modified);
	assert_string_equal(run->got[3].body, feed_xml);
	/* the request's validators still hold */
	assert_true(run->got[4].not_modified);
	assert_string_equal(run->got[4].etag, etag);
	assert_string_equal(run->got[4].last_modified, lm);
	run_free(run);

	char *log = read_log();
	assert_contains(log, "GET /feed.xml inm=yes ims=no 304\n");
	assert_contains(log, "GET /feed.xml inm=no ims=yes 304\n");
	assert_contains(log, "GET /feed.xml inm=yes ims=yes 304\n");
	assert_contains(log, "GET /feed.xml inm=yes ims=no 200\n");
	free(log);
	free(etag);
	free(lm);
}

static void unsafe_validators_are_not_sent(void **state)
{
	NEED_SERVER();
	struct run *run = run_new(NULL);
	add(run, "/headers", "\"a\"\r\nX-Evil: 1", "Mon\nX-Worse: 2");
	run_all(run);
	assert_null(run->got[0].error);
	assert_not_contains(run->got[0].body, "X-Evil");
	assert_not_contains(run->got[0].body, "X-Worse");
	assert_not_contains(run->got[0].body, "If-None-Match");
	run_free(run);
}

static void follows_redirects(void **state)
{
	NEED_SERVER();
	struct run *run = run_new(NULL);
	add(run, "/redirect/3/feed.xml", NULL, NULL);
	add(run, "/redirect-301/a.txt", NULL, NULL);
	add(run, "/redirect/10/a.txt", NULL, NULL);    /* the most allowed */
	add(run, "/redirect/2/no-etag/feed.xml", NULL, NULL);
	run_all(run);
	struct got *g = &run->got[0];
	assert_null(g->error);
	assert_int_equal(g->status, 200);
	assert_string_equal(g->body, feed_xml);
	assert_ends_with(g->final_url, "/feed.xml");
	assert_string_not_equal(g->final_url, g->url);
	assert_string_equal(g->content_type, "application/xml"); /* not the 302's */
	assert_string_not_equal(g->etag, "\"redirect\"");

	g = &run->got[1];
	assert_null(g->error);
	assert_string_equal(g->body, a_txt);
	assert_ends_with(g->final_url, "/a.txt");
	assert_string_equal(g->content_type, "text/plain");

	assert_null(run->got[2].error);
	assert_string_equal(run->got[2].body, a_txt);

	/* the final response had no ETag: the redirects' does not leak */
	assert_null(run->got[3].error);
	assert_null(run->got[3].etag);
	assert_non_null(run->got[3].last_modified);
	run_free(run);
}

static void too_many_redirects(void **state)
{
	NEED_SERVER();
	struct run *run = run_new(NULL);
	add(run, "/loop", NULL, NULL);
	add(run, "/redirect/11/a.txt", NULL, NULL);
	add(run, "/a.txt", NULL, NULL);
	run_all(run);
	for (int i = 0; i < 2; i++) {
		assert_one_line(run->got[i].error);
		assert_contains(run->got[i].error, "too many redirects");
		assert_string_equal(run->got[i].body, "");
		assert_int_equal(run->got[i].len, 0);
	}
	assert_null(run->got[2].error);
	assert_string_equal(run->got[2].body, a_txt);
	run_free(run);
}

static void http_errors_are_one_line(void **state)
{
	NEED_SERVER();
	struct run *run = run_new(NULL);
	add(run, "/status/404", NULL, NULL);
	add(run, "/feed.xml", NULL, NULL);
	add(run, "/status/500", NULL, NULL);
	add(run, "/status/599", NULL, NULL);
	add(run, "/missing.xml", NULL, NULL);
	add(run, "/a.txt", NULL, NULL);
	run_all(run);
	assert_string_equal(run->got[0].error, "HTTP 404 Not Found");
	assert_int_equal(run->got[0].status, 404);
	assert_string_equal(run->got[0].body, "");
	assert_string_equal(run->got[2].error, "HTTP 500 Internal Server Error");
	assert_int_equal(run->got[2].status, 500);
	assert_string_equal(run->got[3].error, "HTTP 599");
	assert_string_equal(run->got[4].error, "HTTP 404 Not Found");
	assert_null(run->got[1].error);
	assert_string_equal(run->got[1].body, feed_xml);
	assert_null(run->got[5].error);
	assert_string_equal(run->got[5].body, a_txt);
	run_free(run);
}

static void stalls_time_out(void **state)
{
	NEED_SERVER();
	struct kb_fetch_opts opts = { .total_timeout_ms = 1000 };
	struct run *run = run_new(&opts);
	add(run, "/stall/5", NULL, NULL);
	add(run, "/stall-before/5", NULL, NULL);
	add(run, "/feed.xml", NULL, NULL);
	double t0 = now();
	run_all(run);
	double took = now() - t0;
	if (took >= 4.0)
		fail_msg("the run took %.1f s", took);
	for (int i = 0; i < 2; i++) {
		assert_one_line(run->got[i].error);
		assert_string_equal(run->got[i].error, "timed out after 1 s");
		assert_string_equal(run->got[i].body, "");
	}
	assert_null(run->got[2].error);
	assert_string_equal(run->got[2].body, feed_xml);
	run_free(run);
}

/* A server that sends a byte a second holds no slot for the whole total
 * timeout: under 100 bytes/s for the low-speed time, it is dropped. */
static void trickles_are_dropped(void **state)
{
	NEED_SERVER();
	struct kb_fetch_opts opts = { .total_timeout_ms = 30000, .low_speed_s = 2 };
	struct run *run = run_new(&opts);
	add(run, "/trickle/20", NULL, NULL);
	add(run, "/feed.xml", NULL, NULL);
	double t0 = now();
	run_all(run);
	double took = now() - t0;
	if (took >= 10.0)
		fail_msg("the run took %.1f s", took);
	assert_string_equal(run->got[0].error, "too slow (under 100 bytes/s for 2 s)");
	assert_null(run->got[1].error);
	run_free(run);
}

static void bodies_over_the_cap_are_refused(void **state)
{
	NEED_SERVER();
	struct kb_fetch_opts opts = { .max_bytes = 1000 };
	struct run *run = run_new(&opts);
	add(run, "/big/5000", NULL, NULL);    /* chunked, no Content-Length */
	add(run, "/big-cl/5000", NULL, NULL); /* Content-Length */
	add(run, "/big/1000", NULL, NULL);    /* exactly the cap */
	add(run, "/big-cl/1000", NULL, NULL);
	add(run, "/gzip/big.txt", NULL, NULL); /* small on the wire, big decoded */
	run_all(run);
	for (int i = 0; i < 2; i++) {
		assert_one_line(run->got[i].error);
		assert_string_equal(run->got[i].error, "larger than 1000 bytes");
		assert_int_equal(run->got[i].len, 0);
	}
	for (int i = 2; i < 4; i++) {
		assert_null(run->got[i].error);
		assert_int_equal(run->got[i].len, 1000);
		assert_int_equal(strspn(run->got[i].body, "x"), 1000);
	}
	assert_string_equal(run->got[4].error, "larger than 1000 bytes");
	run_free(run);

	opts.max_bytes = 64 << 10;
	run = run_new(&opts);
	add(run, "/big/1000000", NULL, NULL);
	run_all(run);
	assert_string_equal(run->got[0].error, "larger than 64 KiB");
	run_free(run);

	/* an error page larger than the cap is still its status */
	opts.max_bytes = 4;
	run = run_new(&opts);
	add(run, "/status/404", NULL, NULL);
	add(run, "/status/503", NULL, NULL);
	run_all(run);
	assert_string_equal(run->got[0].error, "HTTP 404 Not Found");
	assert_string_equal(run->got[1].error, "HTTP 503 Service Unavailable");
	run_free(run);
}

static void gzip_is_decoded(void **state)
{
	NEED_SERVER();
	struct run *run = run_new(NULL);
	add(run, "/gzip/big.txt", NULL, NULL);
	add(run, "/gzip/feed.xml", NULL, NULL);
	run_all(run);
	struct got *g = &run->got[0];
	assert_null(g->error);
	assert_int_equal(g->len, srv.big_len);
	assert_memory_equal(g->body, srv.big, srv.big_len);
	assert_true(g->bytes < g->len / 10); /* counted on the wire */
	assert_string_equal(run->got[1].body, feed_xml);
	run_free(run);
}

static void many_requests_to_one_host(void **state)
{
	NEED_SERVER();
	struct kb_fetch_opts opts = { .max_parallel = 8, .max_per_host = 2 };
	struct run *run = run_new(&opts);
	enum { N = 40 };
	for (int i = 0; i < N; i++) {
		char path[64];
		snprintf(path, sizeof path, "/delay/50/a.txt?n=%d", i);
		add(run, path, NULL, NULL);
	}
	double t0 = now();
	run_all(run);
	double took = now() - t0;
	for (int i = 0; i < N; i++) {
		char tail[32];
		snprintf(tail, sizeof tail, "?n=%d", i);
		assert_null(run->got[i].error);
		assert_string_equal(run->got[i].body, a_txt);
		assert_ends_with(run->got[i].url, tail);
	}
	/* 40 answers of 50 ms, 2 at a time: at least 20 rounds */
	if (took < 0.95)
		fail_msg("40 requests took %.2f s: more than 2 at once?", took);
	run_free(run);
}

static void requests_added_from_done(void **state)
{
	NEED_SERVER();
	struct kb_fetch_opts opts = { .max_parallel = 2 };
	struct run *run = run_new(&opts);
	run->chain = 10;
	run->chain_url = url("/a.txt");
	add(run, "/feed.xml", NULL, NULL);
	add(run, "/feed.xml", NULL, NULL);
	run_all(run);
	assert_int_equal(run->n, 12);
	assert_int_equal(run->chain, 0);
	for (int i = 2; i < run->n; i++) {
		assert_null(run->got[i].error);
		assert_string_equal(run->got[i].body, a_txt);
	}
	/* a session runs again */
	add(run, "/a.txt", NULL, NULL);
	assert_int_equal(kb_fetch_run(run->f, on_done, run), 0);
	assert_int_equal(run->got[12].calls, 1);
	run_free(run);
}

static void other_schemes_are_refused(void **state)
{
	NEED_SERVER();
	struct run *run = run_new(NULL);
	add(run, "file:///etc/passwd", NULL, NULL);
	char ftp[64];
	snprintf(ftp, sizeof ftp, "ftp://127.0.0.1:%d/a.txt", srv.port);
	add(run, ftp, NULL, NULL);
	add(run, "/redirect-file", NULL, NULL);
	add(run, "/a.txt", NULL, NULL);
	run_all(run);
	for (int i = 0; i < 3; i++) {
		assert_one_line(run->got[i].error);
		assert_contains(run->got[i].error, "only http and https");
		assert_string_equal(run->got[i].body, "");
		assert_int_equal(run->got[i].len, 0);
	}
	assert_string_equal(run->got[0].error, "unsupported scheme \"file\" (only http and https)");
	assert_string_equal(run->got[1].error, "unsupported scheme \"ftp\" (only http and https)");
	assert_string_equal(run->got[2].error,
	                    "redirected to an unsupported scheme \"file\" (only http and https)");
	assert_string_equal(run->got[3].body, a_txt);
	run_free(run);
}

/* A port on 127.0.0.1 that nothing listens on (bound, then closed). */
static int closed_port(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(s >= 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = 0 };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof a), 0);
	socklen_t len = sizeof a;
	assert_int_equal(getsockname(s, (struct sockaddr *)&a, &len), 0);
	close(s);
	return ntohs(a.sin_port);
}

static void connection_refused_is_one_line(void **state)
{
	struct run *run = run_new(NULL);
	char u[64];
	snprintf(u, sizeof u, "http://127.0.0.1:%d/feed.xml", closed_port());
	add(run, u, NULL, NULL);
	add(run, "http://", NULL, NULL);
	add(run, "", NULL, NULL);
	run_all(run);
	assert_one_line(run->got[0].error);
	assert_contains(run->got[0].error, "could not connect to 127.0.0.1 port ");
	assert_contains(run->got[0].error, ": connection refused");
	assert_int_equal(run->got[0].status, 0);
	assert_string_equal(run->got[0].body, "");
	assert_string_equal(run->got[1].error, "malformed URL");
	assert_string_equal(run->got[2].error, "malformed URL");
	run_free(run);
}

static void free_without_running(void **state)
{
	struct kb_fetch *f = kb_fetch_new(NULL, NULL);
	assert_non_null(f);
	assert_int_equal(kb_fetch_run(f, on_done, NULL), 0); /* nothing queued */
	struct kb_request req = { .url = "http://127.0.0.1:1/x", .etag = "\"e\"" };
	kb_fetch_add(f, &req);
	kb_fetch_add(f, &req);
	kb_fetch_free(f);
	kb_fetch_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ok_with_body_headers_and_final_url),
		cmocka_unit_test(sends_user_agent_and_accept_encoding),
		cmocka_unit_test(conditional_get_gives_304),
		cmocka_unit_test(unsafe_validators_are_not_sent),
		cmocka_unit_test(follows_redirects),
		cmocka_unit_test(too_many_redirects),
		cmocka_unit_test(http_errors_are_one_line),
		cmocka_unit_test(stalls_time_out),
		cmocka_unit_test(trickles_are_dropped),
		cmocka_unit_test(bodies_over_the_cap_are_refused),
		cmocka_unit_test(gzip_is_decoded),
		cmocka_unit_test(many_requests_to_one_host),
		cmocka_unit_test(requests_added_from_done),
		cmocka_unit_test(other_schemes_are_refused),
		cmocka_unit_test(connection_refused_is_one_line),
		cmocka_unit_test(free_without_running),
		cmocka_unit_test(server_asks_to_wait),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
