/* testutil.h - what every cmocka test includes. */
#ifndef KABAR_TESTUTIL_H
#define KABAR_TESTUTIL_H

#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#define assert_contains(hay, needle)                                              \
	do {                                                                      \
		const char *h_ = (hay), *n_ = (needle);                           \
		if (!h_ || !strstr(h_, n_))                                       \
			fail_msg("expected \"%s\" in \"%s\"", n_, h_ ? h_ : "(null)"); \
	} while (0)
#define assert_not_contains(hay, needle)                                          \
	do {                                                                      \
		const char *h_ = (hay), *n_ = (needle);                           \
		if (h_ && strstr(h_, n_))                                         \
			fail_msg("unexpected \"%s\" in \"%s\"", n_, h_);          \
	} while (0)

/* A fresh directory under tests/tmp for one test; malloc'd path. */
static inline char *test_dir(const char *name)
{
	char *path = malloc(strlen(name) + 64);
	mkdir("tests", 0755);
	mkdir("tests/tmp", 0755);
	sprintf(path, "tests/tmp/%s-%ld", name, (long)getpid());
	char cmd[512];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
	if (system(cmd) != 0)
		return NULL;
	mkdir(path, 0755);
	return path;
}

static inline void test_write(const char *dir, const char *name, const char *data, size_t n)
{
	char *path = malloc(strlen(dir) + strlen(name) + 2);
	sprintf(path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	free(path);
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

static inline void test_rmdir(char *dir)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	free(dir);
}

#endif
