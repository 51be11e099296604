/* fetch.h - HTTP(S) with libcurl: many requests at once, politely.
 *
 * One session runs requests in parallel (a bounded number, fewer per
 * host), follows redirects, asks for every encoding libcurl can decode,
 * verifies certificates (TLS 1.2 at least), drops a server that trickles
 * (under 100 bytes/s for 20 s),
 * honours $http_proxy/$https_proxy/$no_proxy, sends conditional requests
 * (ETag, Last-Modified), caps sizes and times, and reports each request's
 * outcome once, in one line when it failed.  Only http and https. */
#ifndef KABAR_FETCH_H
#define KABAR_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kb_fetch;

struct kb_fetch_opts {
	int max_parallel;         /* requests at once; <= 0: 8 */
	int max_per_host;         /* <= 0: 2 */
	long connect_timeout_ms;  /* <= 0: 10,000 */
	long total_timeout_ms;    /* <= 0: 60,000 */
	size_t max_bytes;         /* a body larger is refused; 0: 32 MiB */
	long low_speed_s;         /* under 100 bytes/s this long: given up; <= 0: 20 */
	const char *user_agent;   /* NULL: "kabar/VERSION (+man kabar)" */
};

struct kb_request {
	const char *url;
	const char *etag;          /* conditional GET, or NULL */
	const char *last_modified; /* conditional GET, or NULL */
	void *ctx;                 /* the caller's, handed back */
};

struct kb_response {
	const char *url;           /* as requested */
	void *ctx;                 /* the request's */
	long status;               /* the last HTTP status, 0 when none came */
	bool not_modified;         /* 304: body is empty */
	const char *error;         /* NULL on 2xx and 304, else one line
	                              ("HTTP 404 Not Found", "timed out after 60 s",
	                              "larger than 32 MiB", "TLS: ...", "too many
	                              redirects", "could not resolve host ...") */
	const char *final_url;     /* after redirects */
	const char *etag, *last_modified, *content_type; /* or NULL */
	long max_age;              /* Cache-Control max-age in seconds, or -1 */
	long retry_after;          /* a 429's or 503's Retry-After in seconds
	                              (a date is made a delay), or -1 */
	const char *body;          /* decoded, NUL-terminated; len bytes */
	size_t len;
	uint64_t bytes;            /* bytes received on the wire */
};

/* Called once per request, from kb_fetch_run; everything in r lives until
 * it returns.  It may add more requests. */
typedef void (*kb_fetch_done_fn)(const struct kb_response *r, void *ctx);

/* NULL with *err (malloc'd) when libcurl cannot be set up. */
struct kb_fetch *kb_fetch_new(const struct kb_fetch_opts *opts, char **err);
/* Queues a request (its strings are copied). */
void kb_fetch_add(struct kb_fetch *f, const struct kb_request *req);
/* Runs until every queued request, and every one added meanwhile, is
 * done.  Returns 0, or -1 when libcurl itself failed. */
int kb_fetch_run(struct kb_fetch *f, kb_fetch_done_fn done, void *ctx);
void kb_fetch_free(struct kb_fetch *f);
/* The User-Agent the session sends. */
const char *kb_fetch_user_agent(const struct kb_fetch *f);

#endif
