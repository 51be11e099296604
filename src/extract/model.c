/* model.c - the tagger's model: the model file (ner.bin) read and written,
 * an empty model for the trainer, and where the model directory is.
 *
 * The model file (ner.bin, little-endian), mapped as it is:
 *   "KBNER\0\0\0", u32 version (5), u32 bits, u32 row width (8), f32 scale,
 *   u32 domains, u32 log2 of the gazetteer slots, u64 gazetteer entries,
 *   u32 log2 of the cluster slots (0: none), u32 0, u64 cluster entries,
 *   zeros up to byte 64;
 *   per domain: (1 << bits) rows of 8 int8 weights;
 *   the gazetteer set: (1 << log2 slots) u64 slots (struct kb_gaz);
 *   the word clusters: (1 << log2 cluster slots) u64 slots, if any;
 *   u64 XXH3 of everything before it.
 *
 * A domain is one weight table: the weights shared by all training sets
 * plus those of one set (domain 0, news, is what kabar uses). */
/* access even when config.h does not ask for it */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xxhash.h>

#include "ner-internal.h"

#ifndef KB_PKGDATADIR
#define KB_PKGDATADIR "/usr/local/share/kabar"
#endif
#ifndef KB_SRC_ASSETS
#define KB_SRC_ASSETS "assets"
#endif

#define MODEL_MAGIC "KBNER\0\0"
#define MODEL_VERSION 5u

static void set_err(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_err(char **err, const char *fmt, ...)
{
	if (!err)
		return;
	va_list ap;
	va_start(ap, fmt);
	char buf[512];
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	size_t l = strlen(buf) + 1;
	*err = malloc(l);
	if (*err)
		memcpy(*err, buf, l);
}

static char *join(const char *dir, const char *file)
{
	size_t a = strlen(dir), b = strlen(file);
	char *p = malloc(a + b + 2);
	if (p) {
		memcpy(p, dir, a);
		p[a] = '/';
		memcpy(p + a + 1, file, b + 1);
	}
	return p;
}

void kb_ner_free(struct kb_ner *ner)
{
	if (!ner)
		return;
	free(ner->own);
	kb_gaz_free(&ner->gaz);
	kb_gaz_free(&ner->cues);
	kb_gaz_free(&ner->clus);
	free(ner->places);
	if (ner->map)
		munmap(ner->map, ner->mapsize);
	free(ner);
}

struct kb_ner *kb_ner_new(unsigned bits, const char *dir, char **err)
{
	if (err)
		*err = NULL;
	if (bits < 10 || bits > 24) {
		set_err(err, "bad bucket bits %u", bits);
		return NULL;
	}
	struct kb_ner *ner = calloc(1, sizeof *ner);
	if (!ner)
		return NULL;
	ner->bits = bits;
	ner->own = calloc((size_t)KB_NER_ROW << bits, 1);
	ner->scale = 1;
	if (!ner->own || kb_gaz_init(&ner->gaz, 1 << 18) != 0) {
		set_err(err, "out of memory");
		kb_ner_free(ner);
		return NULL;
	}
	kb_ner_set_weights(ner, ner->own);
	static const struct {
		const char *file;
		uint8_t bits;
	} lists[] = {
		{ "person.txt", KB_GAZ_PER },
		{ "place.txt", KB_GAZ_LOC },
		{ "organization.txt", KB_GAZ_ORG },
	};
	for (size_t k = 0; k < sizeof lists / sizeof *lists; k++) {
		char *p = join(dir, lists[k].file);
		long c = p ? kb_gaz_add_file(&ner->gaz, p, lists[k].bits) : -1;
		if (c < 0) {
			set_err(err, "%s: %s", p ? p : lists[k].file, strerror(errno));
			free(p);
			kb_ner_free(ner);
			return NULL;
		}
		free(p);
	}
	char *p = join(dir, KB_NER_PLACES_FILE);
	if (!p || kb_gaz_add_places(&ner->gaz, p) < 0 || kb_places_load(ner, p) != 0) {
		set_err(err, "%s: %s", p ? p : KB_NER_PLACES_FILE, strerror(errno));
		free(p);
		kb_ner_free(ner);
		return NULL;
	}
	free(p);
	if (kb_gaz_cues(&ner->cues) != 0) {
		set_err(err, "out of memory");
		kb_ner_free(ner);
		return NULL;
	}
	return ner;
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int k = 0; k < 4; k++)
		p[k] = (unsigned char)(v >> (8 * k));
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

#define HEADER_SIZE 64

static unsigned log2sz(size_t n)
{
	unsigned b = 0;
	while (((size_t)1 << b) < n)
		b++;
	return b;
}

static size_t model_size(unsigned bits, unsigned ndom, unsigned gazbits, unsigned clusbits)
{
	return HEADER_SIZE + (size_t)ndom * ((size_t)KB_NER_ROW << bits) + ((size_t)8 << gazbits) +
	       (clusbits ? (size_t)8 << clusbits : 0) + 8;
}

int kb_ner_save(const struct kb_ner *ner, int8_t *const *tables, unsigned ntables,
		const char *path, char **err)
{
	size_t tsize = (size_t)KB_NER_ROW << ner->bits, gsize = ner->gaz.mask + 1;
	unsigned gazbits = log2sz(gsize);
	size_t csize = ner->clus.slots ? ner->clus.mask + 1 : 0;
	unsigned clusbits = csize ? log2sz(csize) : 0;
	size_t size = model_size(ner->bits, ntables, gazbits, clusbits);
	unsigned char *buf = calloc(size, 1), *p = buf;
	if (!buf) {
		set_err(err, "out of memory");
		return -1;
	}
	memcpy(p, MODEL_MAGIC, 8);
	put32(p + 8, MODEL_VERSION);
	put32(p + 12, ner->bits);
	put32(p + 16, KB_NER_ROW);
	uint32_t sc;
	memcpy(&sc, &ner->scale, 4);
	put32(p + 20, sc);
	put32(p + 24, ntables);
	put32(p + 28, gazbits);
	kb_put_le64(p + 32, ner->gaz.count);
	put32(p + 40, clusbits);
	kb_put_le64(p + 48, csize ? ner->clus.count : 0);
	p += HEADER_SIZE;
	for (unsigned d = 0; d < ntables; d++, p += tsize)
		memcpy(p, tables[d], tsize);
	memcpy(p, ner->gaz.slots, gsize * 8); /* already little-endian */
	p += gsize * 8;
	if (csize)
		memcpy(p, ner->clus.slots, csize * 8);
	p += csize * 8;
	kb_put_le64(p, XXH3_64bits(buf, size - 8));
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, size, f) != size || fclose(f) != 0) {
		set_err(err, "%s: %s", path, strerror(errno));
		free(buf);
		return -1;
	}
	free(buf);
	return 0;
}

struct kb_ner *kb_ner_load(const char *dir, char **err)
{
	return kb_ner_load_domain(dir, 0, err);
}

/* The model file is mapped, not read: the weights and the gazetteer set
 * are used where they lie (pages shared between processes, loading costs
 * the checksum). */
struct kb_ner *kb_ner_load_domain(const char *dir, unsigned domain, char **err)
{
	if (err)
		*err = NULL;
	if (!dir) {
		set_err(err, "no model directory");
		return NULL;
	}
	char *path = join(dir, KB_NER_MODEL_FILE);
	if (!path)
		return NULL;
	struct kb_ner *ner = NULL;
	unsigned char *buf = MAP_FAILED;
	size_t size = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		set_err(err, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	size = (size_t)st.st_size;
	if (size > 0)
		buf = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (size < HEADER_SIZE + 8 || buf == MAP_FAILED ||
	    memcmp(buf, MODEL_MAGIC, 8) != 0) {
		set_err(err, "%s: not a kabar NER model", path);
		goto out;
	}
	uint32_t ver = get32(buf + 8), bits = get32(buf + 12), row = get32(buf + 16);
	uint32_t ndom = get32(buf + 24), gazbits = get32(buf + 28);
	uint64_t ngaz = kb_le64(buf + 32);
	uint32_t clusbits = get32(buf + 40);
	uint64_t nclus = kb_le64(buf + 48);
	if (ver != MODEL_VERSION || row != KB_NER_ROW || bits < 10 || bits > 24 || ndom < 1 ||
	    ndom > 16 || gazbits < 10 || gazbits > 30 || (clusbits && (clusbits < 10 || clusbits > 30))) {
		set_err(err, "%s: unsupported model version %u", path, (unsigned)ver);
		goto out;
	}
	if (domain >= ndom) {
		set_err(err, "%s: no domain %u", path, domain);
		goto out;
	}
	if (size != model_size(bits, ndom, gazbits, clusbits) ||
	    ngaz * 4 > ((uint64_t)3 << gazbits) || (clusbits && nclus * 4 > ((uint64_t)3 << clusbits))) {
		set_err(err, "%s: truncated or corrupt model", path);
		goto out;
	}
	if (XXH3_64bits(buf, size - 8) != kb_le64(buf + size - 8)) {
		set_err(err, "%s: corrupt model (checksum)", path);
		goto out;
	}
	ner = calloc(1, sizeof *ner);
	if (!ner || kb_gaz_cues(&ner->cues) != 0) {
		set_err(err, "out of memory");
		kb_ner_free(ner);
		ner = NULL;
		goto out;
	}
	ner->map = buf;
	ner->mapsize = size;
	buf = MAP_FAILED;
	ner->bits = bits;
	uint32_t sc = get32((const unsigned char *)ner->map + 20);
	memcpy(&ner->scale, &sc, 4);
	ner->ndomains = ndom;
	size_t tsize = (size_t)KB_NER_ROW << bits;
	const unsigned char *base = (const unsigned char *)ner->map + HEADER_SIZE;
	kb_ner_set_weights(ner, (const int8_t *)(base + (size_t)domain * tsize));
	ner->gaz.slots = (uint64_t *)(void *)(base + (size_t)ndom * tsize);
	ner->gaz.mask = ((size_t)1 << gazbits) - 1;
	ner->gaz.count = (size_t)ngaz;
	ner->gaz.mapped = true;
	if (clusbits) {
		ner->clus.slots = (uint64_t *)(void *)(base + (size_t)ndom * tsize + ((size_t)8 << gazbits));
		ner->clus.mask = ((size_t)1 << clusbits) - 1;
		ner->clus.count = (size_t)nclus;
		ner->clus.mapped = true;
	}
	free(path);
	path = join(dir, KB_NER_PLACES_FILE);
	if (!path || kb_places_load(ner, path) != 0) {
		set_err(err, "%s: %s", path ? path : KB_NER_PLACES_FILE, strerror(errno));
		kb_ner_free(ner);
		ner = NULL;
	}
out:
	if (buf != MAP_FAILED)
		munmap(buf, size);
	free(path);
	return ner;
}

const char *kb_ner_default_dir(void)
{
	const char *env = getenv("KABAR_MODEL_DIR");
	if (env && *env)
		return env;
	if (access(KB_PKGDATADIR "/model/" KB_NER_MODEL_FILE, R_OK) == 0)
		return KB_PKGDATADIR "/model";
	return KB_SRC_ASSETS "/model";
}
