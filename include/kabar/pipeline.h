/* pipeline.h - items in order through worker threads and back.
 *
 * An import reads documents on its own thread, hands each to the
 * pipeline, and N workers (pthreads) extract them while it reads on; each
 * document then comes back to the importing thread, in the order it was
 * handed in, to be stored by the one connection that writes.  At most
 * `depth` items are in flight, so memory is bounded whatever the input.
 * With one job there are no threads: each item is worked and done at
 * once, in the caller, exactly as without a pipeline. */
#ifndef KABAR_PIPELINE_H
#define KABAR_PIPELINE_H

struct kb_pipe;

struct kb_pipe_opts {
	int jobs;  /* workers; <= 1: none (work runs in the caller) */
	int depth; /* items in flight at most; <= 0: 4 per worker */
};

/* Runs on a worker (0 .. jobs-1), several at once: it may touch only the
 * item and what is the worker's own. */
typedef void (*kb_pipe_work_fn)(void *item, int worker, void *ctx);
/* Runs on the caller's thread, once per item, in the order pushed; it must
 * not push. */
typedef void (*kb_pipe_done_fn)(void *item, void *ctx);

/* NULL when a thread cannot be started (errno says why). */
struct kb_pipe *kb_pipe_new(const struct kb_pipe_opts *o, kb_pipe_work_fn work,
			    kb_pipe_done_fn done, void *ctx);
/* Hands item in.  Before it returns, done may run for earlier items; it
 * waits while depth items are in flight. */
void kb_pipe_push(struct kb_pipe *p, void *item);
/* Returns when every item pushed is done. */
void kb_pipe_flush(struct kb_pipe *p);
/* Flushes, stops the workers and frees p (NULL: nothing). */
void kb_pipe_free(struct kb_pipe *p);
/* The workers p runs (1 when none). */
int kb_pipe_jobs(const struct kb_pipe *p);

/* The number of CPUs online, at least 1: the default --jobs. */
int kb_jobs_default(void);

#endif
