/* cost.h - what the calling thread has spent, for `import --stages`.
 *
 * CPU time always; instructions where the kernel lets a process count its
 * own (perf_event_open), which virtual machines often do not.  A counter
 * counts the thread that opened it. */
#ifndef KABAR_COST_H
#define KABAR_COST_H

#include <stdbool.h>
#include <stdint.h>

struct kb_cost {
	double cpu;     /* seconds of CPU */
	uint64_t instr; /* instructions retired (0 when not counted) */
};

struct kb_counter {
	int fd; /* the instruction counter, or -1 */
};

/* Opens the calling thread's counter (its instructions from now on). */
void kb_counter_open(struct kb_counter *c);
/* What the thread that opened c has spent so far. */
void kb_counter_read(const struct kb_counter *c, struct kb_cost *out);
void kb_counter_close(struct kb_counter *c);
/* Whether instructions are counted here. */
bool kb_counter_counts(const struct kb_counter *c);

/* a += b - since */
void kb_cost_add_since(struct kb_cost *a, const struct kb_cost *b, const struct kb_cost *since);

#endif
