/* test_pipeline.c - items come back in order, bounded, from real threads;
 * extraction on shared models gives what one thread gives. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pthread.h>

#include <cmocka.h>

#include "kabar/extract.h"
#include "kabar/pipeline.h"
#include "kabar/util.h"

#define N_ITEMS 2000

struct item {
	int seq;
	int worker;
	pthread_t thread;
	uint64_t sum;
};

struct run {
	int jobs, depth;
	int done_order[N_ITEMS];
	int ndone, npushed;
	int max_in_flight;
	int workers_seen; /* bit per worker index */
	pthread_mutex_t mu;
	int running, max_running;
};

static void pause_us(long us)
{
	struct timespec ts = { 0, us * 1000 };
	nanosleep(&ts, NULL);
}

static void work(void *p, int worker, void *ctx)
{
	struct item *it = p;
	struct run *r = ctx;
	pthread_mutex_lock(&r->mu);
	if (++r->running > r->max_running)
		r->max_running = r->running;
	r->workers_seen |= 1 << worker;
	pthread_mutex_unlock(&r->mu);
	it->worker = worker;
	it->thread = pthread_self();
	/* uneven work, so that workers finish out of order */
	if (it->seq % 7 == 0)
		pause_us(300);
	for (int i = 0; i < 1000 + (it->seq % 13) * 500; i++)
		it->sum += (uint64_t)i * (uint64_t)it->seq;
	pthread_mutex_lock(&r->mu);
	r->running--;
	pthread_mutex_unlock(&r->mu);
}

static void done(void *p, void *ctx)
{
	struct item *it = p;
	struct run *r = ctx;
	uint64_t want = 0;
	for (int i = 0; i < 1000 + (it->seq % 13) * 500; i++)
		want += (uint64_t)i * (uint64_t)it->seq;
	assert_true(it->sum == want); /* worked whole before it came back */
	/* the items pushed (push returned), less those done before this one */
	int in_flight = r->npushed - r->ndone;
	if (in_flight > r->max_in_flight)
		r->max_in_flight = in_flight;
	r->done_order[r->ndone++] = it->seq;
	free(it);
}

static void run_with(int jobs, int depth)
{
	struct run *r = calloc(1, sizeof *r);
	pthread_mutex_init(&r->mu, NULL);
	struct kb_pipe_opts o = { .jobs = jobs, .depth = depth };
	struct kb_pipe *p = kb_pipe_new(&o, work, done, r);
	assert_non_null(p);
	assert_int_equal(kb_pipe_jobs(p), jobs > 1 ? jobs : 1);
	pthread_t self = pthread_self();
	for (int i = 0; i < N_ITEMS; i++) {
		struct item *it = calloc(1, sizeof *it);
		it->seq = i;
		kb_pipe_push(p, it);
		r->npushed++;
		if (jobs <= 1) {
			/* no threads: worked and done before push returns */
			assert_int_equal(r->ndone, i + 1);
		}
		if (i == N_ITEMS / 2) {
			kb_pipe_flush(p);
			assert_int_equal(r->ndone, i + 1);
		}
	}
	kb_pipe_free(p); /* flushes */
	assert_int_equal(r->ndone, N_ITEMS);
	for (int i = 0; i < N_ITEMS; i++)
		assert_int_equal(r->done_order[i], i);
	/* with no threads the item is done inside its push: 0 pushed before */
	int bound = jobs <= 1 ? 0 : depth > 0 ? depth : 4 * jobs;
	assert_true(r->max_in_flight <= bound);
	assert_true(r->max_running <= (jobs > 1 ? jobs : 1));
	if (jobs > 1)
		assert_true(r->workers_seen != 1); /* more than worker 0 took items */
	(void)self;
	(void)pause_us;
	pthread_mutex_destroy(&r->mu);
	free(r);
}

static void one_job_runs_in_the_caller(void **state)
{
	(void)state;
	run_with(1, 0);
	run_with(0, 5);
}

static void items_come_back_in_order(void **state)
{
	(void)state;
	run_with(2, 0);
	run_with(4, 0);
	run_with(3, 1);  /* one slot: strictly one at a time */
	run_with(8, 64);
}

static void jobs_default_is_online_cpus(void **state)
{
	(void)state;
	assert_true(kb_jobs_default() >= 1);
}

/* ---- extraction on shared models ------------------------------------- */

static const char *const texts[] = {
	"Presiden Joko Widodo bertemu Perdana Menteri Anthony Albanese di Jakarta pada "
	"Senin (3/6/2024). Widodo mengatakan kerja sama maritim akan diperluas.",
	"Menteri Luar Negeri Retno Marsudi tiba di Tokyo, Jepang, untuk membahas "
	"keselamatan kapal feri bersama PT Samudra Biru Lines.",
	"Kepala Badan SAR Nasional Marsekal Madya Kusworo mengatakan pencarian korban "
	"di Selat Makassar dihentikan pada 27 September 2023.",
	"Defense Minister Andrei Belousov met Kim Jong Un in Pyongyang on Friday, the "
	"Korean Central News Agency (KCNA) said.",
};

struct ex_item {
	const char *text;
	char *keys; /* every mention's type and key, joined */
};

struct ex_ctx {
	struct kb_extractor *workers[4];
	struct kb_extractor *main;
};

static char *keys_of(struct kb_extractor *ex, const char *text)
{
	struct kb_extraction x = { 0 };
	kb_extract(ex, "Judul", text, NULL, &x);
	struct kb_buf b = { 0 };
	for (size_t i = 0; i < x.n; i++)
		kb_buf_printf(&b, "%s:%s:%s:%u-%u|", x.m[i].type, x.m[i].key ? x.m[i].key : "",
			      x.m[i].surface ? x.m[i].surface : "", x.m[i].start, x.m[i].end);
	kb_buf_printf(&b, "published:%s", x.published);
	kb_extraction_free(&x);
	return kb_buf_steal(&b);
}

static void ex_work(void *p, int worker, void *ctx)
{
	struct ex_item *it = p;
	struct ex_ctx *c = ctx;
	it->keys = keys_of(c->workers[worker], it->text);
}

static void ex_done(void *p, void *ctx)
{
	struct ex_item *it = p;
	struct ex_ctx *c = ctx;
	char *want = keys_of(c->main, it->text);
	assert_string_equal(it->keys, want);
	free(want);
	free(it->keys);
	free(it);
}

static void shared_extractors_agree(void **state)
{
	(void)state;
	char *err = NULL;
	struct ex_ctx c = { 0 };
	c.main = kb_extractor_open(&err);
	if (!c.main) {
		free(err);
		skip();
	}
	for (int i = 0; i < 4; i++)
		c.workers[i] = kb_extractor_share(c.main);
	struct kb_pipe_opts o = { .jobs = 4 };
	struct kb_pipe *p = kb_pipe_new(&o, ex_work, ex_done, &c);
	assert_non_null(p);
	for (int round = 0; round < 50; round++)
		for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
			struct ex_item *it = calloc(1, sizeof *it);
			it->text = texts[i];
			kb_pipe_push(p, it);
		}
	kb_pipe_free(p);
	for (int i = 0; i < 4; i++)
		kb_extractor_free(c.workers[i]);
	kb_extractor_free(c.main);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_job_runs_in_the_caller),
		cmocka_unit_test(items_come_back_in_order),
		cmocka_unit_test(jobs_default_is_online_cpus),
		cmocka_unit_test(shared_extractors_agree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
