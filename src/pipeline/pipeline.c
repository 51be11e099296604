/* pipeline.c - a ring of slots between the caller and its workers.
 *
 * Slots are taken in push order: `head` is the oldest item not yet done by
 * the caller, `next` the oldest no worker has taken, `tail` where the next
 * push goes (head <= next <= tail, tail - head <= depth).  Workers take
 * slots in order and may finish out of order; the caller completes them in
 * order, each as soon as it and every older one are worked.  One mutex
 * guards the indices and states; work and done run without it. */
#include "config.h"

#include "kabar/pipeline.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "kabar/util.h"

enum { SLOT_QUEUED, SLOT_RUNNING, SLOT_WORKED };

struct slot {
	void *item;
	int state;
};

struct kb_pipe {
	kb_pipe_work_fn work;
	kb_pipe_done_fn done;
	void *ctx;
	int jobs;
	size_t depth;
	struct slot *ring;
	uint64_t head, next, tail;
	bool quit;
	pthread_mutex_t mu;
	pthread_cond_t queued; /* a slot to work, or quit */
	pthread_cond_t worked; /* the head slot may be worked */
	pthread_t *threads;
	int started;
};

struct worker_arg {
	struct kb_pipe *p;
	int index;
};

static void *worker(void *arg)
{
	struct worker_arg *wa = arg;
	struct kb_pipe *p = wa->p;
	int index = wa->index;
	free(wa);
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->next == p->tail && !p->quit)
			pthread_cond_wait(&p->queued, &p->mu);
		if (p->next == p->tail) /* quit, nothing left */
			break;
		struct slot *s = &p->ring[p->next++ % p->depth];
		s->state = SLOT_RUNNING;
		pthread_mutex_unlock(&p->mu);
		p->work(s->item, index, p->ctx);
		pthread_mutex_lock(&p->mu);
		s->state = SLOT_WORKED;
		pthread_cond_broadcast(&p->worked);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

int kb_jobs_default(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n >= 1 ? (n > 256 ? 256 : (int)n) : 1;
}

struct kb_pipe *kb_pipe_new(const struct kb_pipe_opts *o, kb_pipe_work_fn work,
			    kb_pipe_done_fn done, void *ctx)
{
	struct kb_pipe *p = kb_xcalloc(1, sizeof *p);
	p->work = work;
	p->done = done;
	p->ctx = ctx;
	p->jobs = o && o->jobs > 1 ? o->jobs : 1;
	if (p->jobs == 1)
		return p;
	p->depth = o->depth > 0 ? (size_t)o->depth : 4 * (size_t)p->jobs;
	p->ring = kb_xcalloc(p->depth, sizeof *p->ring);
	p->threads = kb_xcalloc((size_t)p->jobs, sizeof *p->threads);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->queued, NULL);
	pthread_cond_init(&p->worked, NULL);
	for (int i = 0; i < p->jobs; i++) {
		struct worker_arg *wa = kb_xcalloc(1, sizeof *wa);
		wa->p = p;
		wa->index = i;
		int rc = pthread_create(&p->threads[i], NULL, worker, wa);
		if (rc != 0) {
			free(wa);
			kb_pipe_free(p);
			errno = rc;
			return NULL;
		}
		p->started++;
	}
	return p;
}

/* Completes the head slots that are worked, in order; with wait, first
 * waits for the head one.  Called and returns with the mutex held. */
static void complete(struct kb_pipe *p, bool wait)
{
	while (p->head < p->tail) {
		struct slot *s = &p->ring[p->head % p->depth];
		if (s->state != SLOT_WORKED) {
			if (!wait)
				return;
			pthread_cond_wait(&p->worked, &p->mu);
			continue;
		}
		void *item = s->item;
		p->head++;
		wait = false; /* one slot freed: the caller may go on */
		pthread_mutex_unlock(&p->mu);
		p->done(item, p->ctx);
		pthread_mutex_lock(&p->mu);
	}
}

void kb_pipe_push(struct kb_pipe *p, void *item)
{
	if (p->jobs == 1) {
		p->work(item, 0, p->ctx);
		p->done(item, p->ctx);
		return;
	}
	pthread_mutex_lock(&p->mu);
	complete(p, false);
	while (p->tail - p->head == p->depth)
		complete(p, true);
	struct slot *s = &p->ring[p->tail++ % p->depth];
	s->item = item;
	s->state = SLOT_QUEUED;
	pthread_cond_signal(&p->queued);
	pthread_mutex_unlock(&p->mu);
}

void kb_pipe_flush(struct kb_pipe *p)
{
	if (p->jobs == 1)
		return;
	pthread_mutex_lock(&p->mu);
	while (p->head < p->tail)
		complete(p, true);
	pthread_mutex_unlock(&p->mu);
}

int kb_pipe_jobs(const struct kb_pipe *p)
{
	return p->jobs;
}

void kb_pipe_free(struct kb_pipe *p)
{
	if (!p)
		return;
	if (p->jobs > 1) {
		kb_pipe_flush(p);
		pthread_mutex_lock(&p->mu);
		p->quit = true;
		pthread_cond_broadcast(&p->queued);
		pthread_mutex_unlock(&p->mu);
		for (int i = 0; i < p->started; i++)
			pthread_join(p->threads[i], NULL);
		pthread_cond_destroy(&p->worked);
		pthread_cond_destroy(&p->queued);
		pthread_mutex_destroy(&p->mu);
	}
	free(p->threads);
	free(p->ring);
	free(p);
}
