/* cost.c - a thread's CPU time and instructions (see kabar/cost.h). */
#include "config.h"

#include "kabar/cost.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef __linux__
#include <linux/perf_event.h>
#include <sys/syscall.h>
#endif

void kb_counter_open(struct kb_counter *c)
{
	c->fd = -1;
#if defined(__linux__) && defined(SYS_perf_event_open)
	struct perf_event_attr pe;
	memset(&pe, 0, sizeof pe);
	pe.size = sizeof pe;
	pe.type = PERF_TYPE_HARDWARE;
	pe.config = PERF_COUNT_HW_INSTRUCTIONS;
	pe.exclude_kernel = 1;
	pe.exclude_hv = 1;
	/* this thread (pid 0), on any CPU */
	long fd = syscall(SYS_perf_event_open, &pe, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	c->fd = fd >= 0 ? (int)fd : -1;
#endif
}

void kb_counter_read(const struct kb_counter *c, struct kb_cost *out)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	out->cpu = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	out->instr = 0;
	uint64_t n;
	if (c->fd >= 0 && read(c->fd, &n, sizeof n) == (ssize_t)sizeof n)
		out->instr = n;
}

void kb_counter_close(struct kb_counter *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

bool kb_counter_counts(const struct kb_counter *c)
{
	return c->fd >= 0;
}

void kb_cost_add_since(struct kb_cost *a, const struct kb_cost *b, const struct kb_cost *since)
{
	a->cpu += b->cpu - since->cpu;
	a->instr += b->instr - since->instr;
}
