/* fetch.c - HTTP(S) on libcurl's multi interface (include/kabar/fetch.h).
 *
 * One CURLM per session.  Requests wait in a FIFO queue; at most
 * max_parallel of them are easy handles inside the multi at once, and at
 * most max_per_host of those for one host, so memory stays bounded by the
 * options whatever the number queued, and a request's timeout never runs
 * while it waits for a connection.  CURLMOPT_MAX_HOST_CONNECTIONS and
 * MAX_TOTAL_CONNECTIONS say the same to libcurl as a backstop.
 *
 * Each request collects its body (capped in the write callback: a server
 * need not send Content-Length, and a small gzip body can inflate) and the
 * headers of its final response (the header callback starts afresh at
 * every status line, so a redirect's or a 100's headers are dropped). */
#include "config.h"

#include "kabar/fetch.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "kabar/util.h"

#define DEFAULT_PARALLEL 8
#define DEFAULT_PER_HOST 2
#define DEFAULT_CONNECT_MS 10000L
#define DEFAULT_TOTAL_MS 60000L
#define DEFAULT_MAX_BYTES ((size_t)32 << 20)
#define MAX_REDIRECTS 10L
#define LOW_SPEED_BYTES 100L
#define DEFAULT_LOW_SPEED_S 20L
#define MAX_REASON 80

struct req {
	struct req *next;            /* in the queue */
	struct kb_fetch *f;
	char *url, *etag, *last_modified;
	void *ctx;
	char *host;                  /* lower case, "" when the URL has none */

	CURL *easy;
	struct curl_slist *headers;
	struct kb_buf body;
	bool too_big;
	bool error_body;             /* stopped at the body of a 4xx/5xx */
	/* the final response's status line and headers */
	long status;
	char *reason;
	char *r_etag, *r_last_modified, *r_content_type;
	long r_max_age;              /* Cache-Control: max-age, or -1 */
	char errbuf[CURL_ERROR_SIZE];
};

struct kb_fetch {
	CURLM *multi;
	int max_parallel, max_per_host;
	long connect_ms, total_ms, low_speed_s;
	size_t max_bytes;
	char *user_agent;
	struct req *head, *tail;     /* queued, not started */
	struct req **active;         /* max_parallel slots */
	int nactive;
	bool running;
	kb_fetch_done_fn done;
	void *done_ctx;
};

/* ---- one-time setup ------------------------------------------------- */

/* curl_global_init is not thread-safe before libcurl 7.84 (and after only
 * where curl_version_info says CURL_VERSION_THREADSAFE): pthread_once runs
 * it exactly once, whichever thread makes the first session.  It is never
 * undone: curl_global_cleanup at exit would race other threads' sessions,
 * and what it would free is still reachable, not leaked. */
static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc = CURLE_OK;

static void global_init(void)
{
	global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* ---- small helpers -------------------------------------------------- */

/* One line: control characters become spaces, surrounding space goes. */
static char *one_line(const char *s)
{
	struct kb_buf b = { 0 };
	while (*s == ' ' || (*s > 0 && *s < 0x20))
		s++;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		kb_buf_addc(&b, c < 0x20 || c == 0x7f ? ' ' : (char)c);
	}
	while (b.len && b.p[b.len - 1] == ' ')
		b.p[--b.len] = '\0';
	return kb_buf_steal(&b);
}

/* libcurl's messages start with a capital ("Could not resolve host: x");
 * kabar's are lower case, but "TLS", "SSL" and the like stay. */
static void lower_first(char *s)
{
	if (s[0] && isupper((unsigned char)s[0]) && islower((unsigned char)s[1]))
		s[0] = (char)tolower((unsigned char)s[0]);
}

static char *fmt_seconds(long ms)
{
	if (ms % 1000 == 0)
		return kb_xasprintf("%ld s", ms / 1000);
	return kb_xasprintf("%.1f s", (double)ms / 1000.0);
}

static char *fmt_size(size_t n)
{
	if (n >= ((size_t)1 << 20) && n % ((size_t)1 << 20) == 0)
		return kb_xasprintf("%zu MiB", n >> 20);
	if (n >= 1024 && n % 1024 == 0)
		return kb_xasprintf("%zu KiB", n >> 10);
	return kb_xasprintf("%zu bytes", n);
}

/* A header value we would send must be one line of visible text. */
static bool header_safe(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 && *s != '\t')
			return false;
	return true;
}

static const char *default_reason(long code)
{
	static const struct {
		long code;
		const char *text;
	} reasons[] = {
		{ 400, "Bad Request" },          { 401, "Unauthorized" },
		{ 402, "Payment Required" },     { 403, "Forbidden" },
		{ 404, "Not Found" },            { 405, "Method Not Allowed" },
		{ 406, "Not Acceptable" },       { 407, "Proxy Authentication Required" },
		{ 408, "Request Timeout" },      { 410, "Gone" },
		{ 429, "Too Many Requests" },    { 451, "Unavailable For Legal Reasons" },
		{ 500, "Internal Server Error" }, { 501, "Not Implemented" },
		{ 502, "Bad Gateway" },          { 503, "Service Unavailable" },
		{ 504, "Gateway Timeout" },
	};
	for (size_t i = 0; i < KB_ARRAY_LEN(reasons); i++)
		if (reasons[i].code == code)
			return reasons[i].text;
	return NULL;
}

/* The host of a URL in lower case, for the per-host limit; "" when the URL
 * does not parse (libcurl will say why when it runs). */
static char *url_host(const char *url)
{
	char *host = NULL, *out;
	CURLU *u = curl_url();
	if (u && curl_url_set(u, CURLUPART_URL, url, CURLU_DEFAULT_SCHEME) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && host) {
		out = kb_xstrdup(host);
		for (char *p = out; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	} else {
		out = kb_xstrdup("");
	}
	curl_free(host);
	curl_url_cleanup(u);
	return out;
}

/* ---- callbacks ------------------------------------------------------ */

static size_t on_body(char *data, size_t size, size_t nmemb, void *userp)
{
	struct req *r = userp;
	size_t n = size * nmemb;
	if (r->status >= 400) {
		/* an error page is never handed on: no need to download it */
		r->error_body = true;
		return 0;
	}
	if (n > r->f->max_bytes || r->body.len > r->f->max_bytes - n) {
		r->too_big = true;
		return 0; /* CURLE_WRITE_ERROR */
	}
	kb_buf_add(&r->body, data, n);
	return n;
}

static void set_header(char **slot, const char *v, size_t n)
{
	free(*slot);
	*slot = kb_xstrndup(v, n);
}

/* The max-age of a Cache-Control value (directives are comma-separated,
 * names case-insensitive; no-cache and no-store say nothing about how
 * often to ask, so they are ignored). */
static void cache_control(struct req *r, const char *v, size_t n)
{
	static const char name[] = "max-age";
	const size_t nl = sizeof name - 1;
	for (size_t i = 0; i + nl < n; i++) {
		if ((i && v[i - 1] != ',' && v[i - 1] != ' ' && v[i - 1] != '\t') ||
		    !kb_ascii_eq(v + i, nl, name))
			continue;
		size_t j = i + nl;
		while (j < n && v[j] == ' ')
			j++;
		if (j >= n || v[j++] != '=')
			continue;
		while (j < n && (v[j] == ' ' || v[j] == '"'))
			j++;
		long secs = 0;
		bool digits = false;
		while (j < n && v[j] >= '0' && v[j] <= '9') {
			if (secs < 100000000L)
				secs = secs * 10 + (v[j] - '0');
			j++;
			digits = true;
		}
		if (digits)
			r->r_max_age = secs;
		return;
	}
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *userp)
{
	struct req *r = userp;
	size_t n = size * nmemb;
	const char *end = data + n;
	while (end > data && (end[-1] == '\r' || end[-1] == '\n'))
		end--;
	size_t len = (size_t)(end - data);

	if (len >= 5 && kb_ascii_eq(data, 5, "HTTP/")) {
		/* a new response (after a redirect, a 100, a proxy's CONNECT):
		 * only the last one's headers count */
		free(r->r_etag);
		free(r->r_last_modified);
		free(r->r_content_type);
		free(r->reason);
		r->r_etag = r->r_last_modified = r->r_content_type = r->reason = NULL;
		r->r_max_age = -1;
		r->status = 0;
		const char *p = memchr(data, ' ', len);
		if (p) {
			while (p < end && *p == ' ')
				p++;
			long code = 0;
			int digits = 0;
			while (p < end && digits < 3 && *p >= '0' && *p <= '9') {
				code = code * 10 + (*p++ - '0');
				digits++;
			}
			r->status = code;
			while (p < end && *p == ' ')
				p++;
			if (p < end) {
				size_t rn = (size_t)(end - p);
				char *reason = kb_xstrndup(p, rn > MAX_REASON ? MAX_REASON : rn);
				/* any bytes at all may come: keep the error line ASCII */
				for (char *q = reason; *q; q++)
					if ((unsigned char)*q >= 0x80)
						*q = '?';
				r->reason = one_line(reason);
				free(reason);
			}
		}
		return n;
	}

	const char *colon = memchr(data, ':', len);
	if (!colon)
		return n;
	size_t nlen = (size_t)(colon - data);
	const char *v = colon + 1;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	const char *ve = end;
	while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
		ve--;
	if (ve == v)
		return n;
	if (kb_ascii_eq(data, nlen, "etag"))
		set_header(&r->r_etag, v, (size_t)(ve - v));
	else if (kb_ascii_eq(data, nlen, "last-modified"))
		set_header(&r->r_last_modified, v, (size_t)(ve - v));
	else if (kb_ascii_eq(data, nlen, "content-type"))
		set_header(&r->r_content_type, v, (size_t)(ve - v));
	else if (kb_ascii_eq(data, nlen, "cache-control"))
		cache_control(r, v, (size_t)(ve - v));
	return n;
}

/* ---- requests ------------------------------------------------------- */

static void req_free(struct req *r)
{
	if (!r)
		return;
	if (r->easy) {
		if (r->f && r->f->multi)
			curl_multi_remove_handle(r->f->multi, r->easy);
		curl_easy_cleanup(r->easy);
	}
	curl_slist_free_all(r->headers);
	kb_buf_free(&r->body);
	free(r->url);
	free(r->etag);
	free(r->last_modified);
	free(r->host);
	free(r->reason);
	free(r->r_etag);
	free(r->r_last_modified);
	free(r->r_content_type);
	free(r);
}

/* The one-line error of a transfer libcurl ended with rc. */
static char *transfer_error(struct kb_fetch *f, struct req *r, CURLcode rc)
{
	char *what, *line;
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT: {
		curl_off_t us = 0, conn = 0;
		curl_easy_getinfo(r->easy, CURLINFO_TOTAL_TIME_T, &us);
		curl_easy_getinfo(r->easy, CURLINFO_CONNECT_TIME_T, &conn);
		bool early = us / 1000 + 100 < f->total_ms;
		if (early && conn > 0) /* connected: the low-speed limit fired */
			return kb_xasprintf("too slow (under %ld bytes/s for %ld s)", LOW_SPEED_BYTES,
					    f->low_speed_s);
		/* the connect timeout fired when the total one had not */
		bool connecting = early && f->connect_ms < f->total_ms;
		what = fmt_seconds(connecting ? f->connect_ms : f->total_ms);
		line = kb_xasprintf(connecting ? "could not connect within %s" : "timed out after %s",
		                    what);
		free(what);
		return line;
	}
	case CURLE_FILESIZE_EXCEEDED:
		what = fmt_size(f->max_bytes);
		line = kb_xasprintf("larger than %s", what);
		free(what);
		return line;
	case CURLE_WRITE_ERROR:
		if (r->too_big) {
			what = fmt_size(f->max_bytes);
			line = kb_xasprintf("larger than %s", what);
			free(what);
			return line;
		}
		break;
	case CURLE_TOO_MANY_REDIRECTS:
		return kb_xasprintf("too many redirects (more than %ld)", MAX_REDIRECTS);
	case CURLE_UNSUPPORTED_PROTOCOL: {
		long redirects = 0;
		char *eff = NULL;
		curl_easy_getinfo(r->easy, CURLINFO_REDIRECT_COUNT, &redirects);
		curl_easy_getinfo(r->easy, CURLINFO_EFFECTIVE_URL, &eff);
		const char *u = eff ? eff : r->url;
		/* a scheme is letters, digits, "+", "-" and "." before ":" */
		size_t n = strspn(u, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		                     "0123456789+-.");
		what = n > 0 && n < 20 && u[n] == ':' ? kb_xstrndup(u, n) : kb_xstrdup("?");
		line = kb_xasprintf("%sunsupported scheme \"%s\" (only http and https)",
		                    redirects ? "redirected to an " : "", what);
		free(what);
		return line;
	}
	case CURLE_URL_MALFORMAT:
		return kb_xstrdup("malformed URL");
	case CURLE_COULDNT_CONNECT: {
		long os_errno = 0;
		char *eff = NULL, *host = NULL, *port = NULL;
		curl_easy_getinfo(r->easy, CURLINFO_OS_ERRNO, &os_errno);
		curl_easy_getinfo(r->easy, CURLINFO_EFFECTIVE_URL, &eff);
		CURLU *u = curl_url();
		if (os_errno && eff && u && curl_url_set(u, CURLUPART_URL, eff, 0) == CURLUE_OK &&
		    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
		    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
			what = kb_xstrdup(strerror((int)os_errno));
			lower_first(what);
			line = kb_xasprintf("could not connect to %s port %s: %s", host, port, what);
			free(what);
		} else {
			line = NULL;
		}
		curl_free(host);
		curl_free(port);
		curl_url_cleanup(u);
		if (line) {
			what = one_line(line);
			free(line);
			return what;
		}
		break;
	}
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_USE_SSL_FAILED:
		line = one_line(r->errbuf[0] ? r->errbuf : curl_easy_strerror(rc));
		what = kb_xasprintf("TLS: %s", line);
		free(line);
		return what;
	default:
		break;
	}
	line = one_line(r->errbuf[0] ? r->errbuf : curl_easy_strerror(rc));
	lower_first(line);
	return line;
}

/* Tells the caller how r ended (rc from libcurl, or setup failed with
 * setup_error) and frees it. */
static void finish(struct kb_fetch *f, struct req *r, CURLcode rc, const char *setup_error)
{
	struct kb_response resp = { .url = r->url, .ctx = r->ctx, .final_url = r->url };
	char *error = NULL;
	curl_off_t wire = 0, hdr = 0;
	long hsize = 0;

	if (r->easy) {
		char *eff = NULL;
		long code = 0;
		if (curl_easy_getinfo(r->easy, CURLINFO_EFFECTIVE_URL, &eff) == CURLE_OK && eff)
			resp.final_url = eff;
		if (curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK)
			resp.status = code;
		if (curl_easy_getinfo(r->easy, CURLINFO_SIZE_DOWNLOAD_T, &wire) != CURLE_OK)
			wire = 0;
		if (curl_easy_getinfo(r->easy, CURLINFO_HEADER_SIZE, &hsize) == CURLE_OK)
			hdr = hsize;
		resp.bytes = (uint64_t)(wire > 0 ? wire : 0) + (uint64_t)(hdr > 0 ? hdr : 0);
	}
	if (resp.status == 0)
		resp.status = r->status;

	/* an error page we stopped at, or libcurl refused by its length:
	 * the status says it all */
	if (resp.status >= 400 && ((rc == CURLE_WRITE_ERROR && r->error_body) ||
	                           rc == CURLE_FILESIZE_EXCEEDED))
		rc = CURLE_OK;
	if (setup_error) {
		error = kb_xstrdup(setup_error);
	} else if (rc != CURLE_OK) {
		error = transfer_error(f, r, rc);
	} else if (resp.status == 304) {
		resp.not_modified = true;
	} else if (resp.status >= 200 && resp.status < 300) {
		/* fine */
	} else if (resp.status == 0) {
		error = kb_xstrdup("no HTTP response");
	} else {
		const char *reason = r->reason && r->reason[0] ? r->reason
		                                               : default_reason(resp.status);
		error = reason ? kb_xasprintf("HTTP %ld %s", resp.status, reason)
		               : kb_xasprintf("HTTP %ld", resp.status);
	}
	resp.error = error;

	resp.max_age = error ? -1 : r->r_max_age;
	resp.retry_after = -1;
	if (r->easy && (resp.status == 429 || resp.status == 503)) {
		curl_off_t after = 0;
		if (curl_easy_getinfo(r->easy, CURLINFO_RETRY_AFTER, &after) == CURLE_OK && after > 0)
			resp.retry_after = after > 100000000 ? 100000000L : (long)after;
	}
	if (!error) {
		resp.etag = r->r_etag;
		resp.last_modified = r->r_last_modified;
		resp.content_type = r->r_content_type;
		if (resp.not_modified) {
			/* a 304 need not repeat the validators: the request's
			 * still hold */
			if (!resp.etag)
				resp.etag = r->etag;
			if (!resp.last_modified)
				resp.last_modified = r->last_modified;
		}
	}
	if (!error && !resp.not_modified && r->body.p) {
		resp.body = r->body.p;
		resp.len = r->body.len;
	} else {
		resp.body = "";
		resp.len = 0;
	}

	if (f->done)
		f->done(&resp, f->done_ctx);
	free(error);
	req_free(r);
}

#define SET(opt, val)                                                      \
	do {                                                               \
		if (rc == CURLE_OK)                                        \
			rc = curl_easy_setopt(r->easy, opt, val);          \
	} while (0)

/* Makes r's easy handle and adds it to the multi; false when that failed
 * (r was finished with the error). */
static bool start(struct kb_fetch *f, struct req *r)
{
	CURLcode rc = CURLE_OK;
	r->easy = curl_easy_init();
	if (!r->easy) {
		finish(f, r, CURLE_OK, "libcurl: cannot make a handle");
		return false;
	}
	if (r->etag && header_safe(r->etag)) {
		char *h = kb_xasprintf("If-None-Match: %s", r->etag);
		r->headers = curl_slist_append(r->headers, h);
		free(h);
	}
	if (r->last_modified && header_safe(r->last_modified)) {
		char *h = kb_xasprintf("If-Modified-Since: %s", r->last_modified);
		struct curl_slist *l = curl_slist_append(r->headers, h);
		free(h);
		if (l)
			r->headers = l;
	}

	SET(CURLOPT_URL, r->url);
	SET(CURLOPT_PRIVATE, (void *)r);
	SET(CURLOPT_ERRORBUFFER, r->errbuf);
	SET(CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500 /* 7.85.0 */
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
	SET(CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
	SET(CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	SET(CURLOPT_FOLLOWLOCATION, 1L);
	SET(CURLOPT_MAXREDIRS, MAX_REDIRECTS);
	SET(CURLOPT_ACCEPT_ENCODING, "");
	SET(CURLOPT_CONNECTTIMEOUT_MS, f->connect_ms);
	SET(CURLOPT_TIMEOUT_MS, f->total_ms);
	/* a server that trickles (under 100 bytes/s for 20 s) gives up its
	 * slot long before the total timeout */
	SET(CURLOPT_LOW_SPEED_LIMIT, LOW_SPEED_BYTES);
	SET(CURLOPT_LOW_SPEED_TIME, f->low_speed_s);
	SET(CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)f->max_bytes);
	SET(CURLOPT_USERAGENT, f->user_agent);
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, (void *)r);
	SET(CURLOPT_HEADERFUNCTION, on_header);
	SET(CURLOPT_HEADERDATA, (void *)r);
	if (r->headers)
		SET(CURLOPT_HTTPHEADER, r->headers);
	if (rc != CURLE_OK) {
		char *msg = kb_xasprintf("libcurl: %s", curl_easy_strerror(rc));
		finish(f, r, CURLE_OK, msg);
		free(msg);
		return false;
	}
	CURLMcode mc = curl_multi_add_handle(f->multi, r->easy);
	if (mc != CURLM_OK) {
		char *msg = kb_xasprintf("libcurl: %s", curl_multi_strerror(mc));
		curl_easy_cleanup(r->easy);
		r->easy = NULL;
		finish(f, r, CURLE_OK, msg);
		free(msg);
		return false;
	}
	f->active[f->nactive++] = r;
	return true;
}

#undef SET

static int host_active(const struct kb_fetch *f, const char *host)
{
	int n = 0;
	for (int i = 0; i < f->nactive; i++)
		if (strcmp(f->active[i]->host, host) == 0)
			n++;
	return n;
}

/* Starts queued requests while there is room: the first in the queue
 * whose host is below its limit, so one busy host cannot hold every slot. */
static void fill(struct kb_fetch *f)
{
	while (f->nactive < f->max_parallel && f->head) {
		struct req *prev = NULL, *r = f->head;
		while (r && host_active(f, r->host) >= f->max_per_host) {
			prev = r;
			r = r->next;
		}
		if (!r)
			return;
		if (prev)
			prev->next = r->next;
		else
			f->head = r->next;
		if (f->tail == r)
			f->tail = prev;
		r->next = NULL;
		start(f, r);
	}
}

static void deactivate(struct kb_fetch *f, struct req *r)
{
	for (int i = 0; i < f->nactive; i++)
		if (f->active[i] == r) {
			f->active[i] = f->active[--f->nactive];
			return;
		}
}

/* ---- the session ---------------------------------------------------- */

struct kb_fetch *kb_fetch_new(const struct kb_fetch_opts *opts, char **err)
{
	static const struct kb_fetch_opts none = { 0 };
	if (!opts)
		opts = &none;
	pthread_once(&global_once, global_init);
	if (global_rc != CURLE_OK) {
		if (err)
			*err = kb_xasprintf("libcurl: %s", curl_easy_strerror(global_rc));
		return NULL;
	}
	struct kb_fetch *f = kb_xcalloc(1, sizeof *f);
	f->max_parallel = opts->max_parallel > 0 ? opts->max_parallel : DEFAULT_PARALLEL;
	f->max_per_host = opts->max_per_host > 0 ? opts->max_per_host : DEFAULT_PER_HOST;
	if (f->max_per_host > f->max_parallel)
		f->max_per_host = f->max_parallel;
	f->connect_ms = opts->connect_timeout_ms > 0 ? opts->connect_timeout_ms : DEFAULT_CONNECT_MS;
	f->total_ms = opts->total_timeout_ms > 0 ? opts->total_timeout_ms : DEFAULT_TOTAL_MS;
	f->low_speed_s = opts->low_speed_s > 0 ? opts->low_speed_s : DEFAULT_LOW_SPEED_S;
	f->max_bytes = opts->max_bytes > 0 ? opts->max_bytes : DEFAULT_MAX_BYTES;
	f->user_agent = opts->user_agent ? kb_xstrdup(opts->user_agent)
	                                 : kb_xstrdup("kabar/" PACKAGE_VERSION " (+man kabar)");
	f->active = kb_xcalloc((size_t)f->max_parallel, sizeof *f->active);

	f->multi = curl_multi_init();
	CURLMcode mc = f->multi ? CURLM_OK : CURLM_OUT_OF_MEMORY;
	if (mc == CURLM_OK)
		mc = curl_multi_setopt(f->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
		                       (long)f->max_parallel);
	if (mc == CURLM_OK)
		mc = curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
		                       (long)f->max_per_host);
	if (mc != CURLM_OK) {
		if (err)
			*err = kb_xasprintf("libcurl: %s", curl_multi_strerror(mc));
		kb_fetch_free(f);
		return NULL;
	}
	return f;
}

void kb_fetch_add(struct kb_fetch *f, const struct kb_request *req)
{
	struct req *r = kb_xcalloc(1, sizeof *r);
	r->r_max_age = -1;
	r->f = f;
	r->url = kb_xstrdup(req->url ? req->url : "");
	r->etag = req->etag && req->etag[0] ? kb_xstrdup(req->etag) : NULL;
	r->last_modified =
		req->last_modified && req->last_modified[0] ? kb_xstrdup(req->last_modified) : NULL;
	r->ctx = req->ctx;
	r->host = url_host(r->url);
	if (f->tail)
		f->tail->next = r;
	else
		f->head = r;
	f->tail = r;
}

int kb_fetch_run(struct kb_fetch *f, kb_fetch_done_fn done, void *ctx)
{
	if (f->running)
		return -1; /* not from inside done */
	f->running = true;
	f->done = done;
	f->done_ctx = ctx;
	int ret = 0;

	fill(f);
	while (f->nactive > 0) {
		int still = 0;
		CURLMcode mc = curl_multi_perform(f->multi, &still);
		if (mc != CURLM_OK) {
			ret = -1;
			break;
		}
		CURLMsg *msg;
		int left;
		while ((msg = curl_multi_info_read(f->multi, &left))) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			CURL *easy = msg->easy_handle;
			CURLcode rc = msg->data.result;
			char *priv = NULL;
			curl_easy_getinfo(easy, CURLINFO_PRIVATE, &priv);
			struct req *r = (struct req *)(void *)priv;
			deactivate(f, r);
			finish(f, r, rc, NULL);
		}
		fill(f);
		if (f->nactive == 0)
			break;
		mc = curl_multi_poll(f->multi, NULL, 0, 1000, NULL);
		if (mc != CURLM_OK) {
			ret = -1;
			break;
		}
	}
	f->done = NULL;
	f->done_ctx = NULL;
	f->running = false;
	return ret;
}

void kb_fetch_free(struct kb_fetch *f)
{
	if (!f)
		return;
	for (int i = 0; i < f->nactive; i++)
		req_free(f->active[i]);
	for (struct req *r = f->head, *next; r; r = next) {
		next = r->next;
		req_free(r);
	}
	if (f->multi)
		curl_multi_cleanup(f->multi);
	free(f->active);
	free(f->user_agent);
	free(f);
}

const char *kb_fetch_user_agent(const struct kb_fetch *f)
{
	return f->user_agent;
}
