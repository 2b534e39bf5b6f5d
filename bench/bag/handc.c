/* handc.c: the bag benchmark's hand-written C + OpenMP baseline, what a careful programmer
 * would write for each task without a framework: the file mapped, cut into one chunk per
 * thread at line ends, a hash table per thread merged in chunk order (so ties keep the
 * order of first appearance, as Dask's and cdask's do), no per-element allocation.
 *   handc words PATH K   the K most frequent whitespace-separated words: "word count" lines
 *   handc json PATH      per event type: its count and the sum of its sizes (JSON lines as
 *                        gen_bag writes them: the "type" and "size" keys found by a scan)
 *   handc fold N         the sum of 0 .. N-1 */
#include <fcntl.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
  const char *p;
  int64_t n, count, sum, first; /* first: where the word first appeared (its offset) */
} entry;
typedef struct {
  entry *e;
  int64_t cap, n;
} table;

static uint64_t hash(const char *p, int64_t n) {
  uint64_t h = 0xcbf29ce484222325u;
  for (int64_t i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 0x100000001b3u;
  return h ^ h >> 29;
}

static entry *find(table *t, const char *p, int64_t n, int64_t at) {
  if (2 * (t->n + 1) > t->cap) {
    table g = {calloc((size_t)(t->cap ? 2 * t->cap : 1024), sizeof(entry)),
               t->cap ? 2 * t->cap : 1024, 0};
    for (int64_t i = 0; i < t->cap; i++)
      if (t->e[i].p) *find(&g, t->e[i].p, t->e[i].n, t->e[i].first) = t->e[i];
    free(t->e);
    *t = g;
  }
  for (uint64_t s = hash(p, n) & (uint64_t)(t->cap - 1);; s = (s + 1) & (uint64_t)(t->cap - 1)) {
    entry *e = &t->e[s];
    if (!e->p) {
      *e = (entry){p, n, 0, 0, at};
      t->n++;
      return e;
    }
    if (e->n == n && memcmp(e->p, p, (size_t)n) == 0) return e;
  }
}

static const char *map_file(const char *path, int64_t *size) {
  int fd = open(path, O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    perror(path);
    exit(1);
  }
  *size = st.st_size;
  const char *m = *size ? mmap(NULL, (size_t)*size, PROT_READ, MAP_PRIVATE, fd, 0) : "";
  if (m == MAP_FAILED) {
    perror(path);
    exit(1);
  }
  close(fd);
  return m;
}

/* chunk k of nt: from after the first line end at or past k size / nt */
static int64_t chunk_start(const char *m, int64_t size, int k, int nt) {
  if (k == 0) return 0;
  if (k == nt) return size;
  int64_t at = size * k / nt;
  const char *nl = memchr(m + at, '\n', (size_t)(size - at));
  return nl ? nl - m + 1 : size;
}

static int by_count(const void *a, const void *b) {
  const entry *x = a, *y = b;
  if (x->count != y->count) return x->count > y->count ? -1 : 1;
  return x->first < y->first ? -1 : x->first > y->first;
}

/* the threads' tables merged in chunk order, sorted by count (ties: first appearance) */
static entry *merge(table *t, int nt, int64_t *n) {
  table all = {0};
  for (int k = 0; k < nt; k++) {
    entry *order = malloc((size_t)(t[k].n ? t[k].n : 1) * sizeof *order);
    int64_t m = 0;
    for (int64_t i = 0; i < t[k].cap; i++)
      if (t[k].e[i].p) order[m++] = t[k].e[i];
    for (int64_t i = 0; i < m; i++) {
      entry *e = find(&all, order[i].p, order[i].n, order[i].first);
      e->count += order[i].count, e->sum += order[i].sum;
    }
    free(order);
  }
  entry *out = malloc((size_t)(all.n ? all.n : 1) * sizeof *out);
  *n = 0;
  for (int64_t i = 0; i < all.cap; i++)
    if (all.e[i].p) out[(*n)++] = all.e[i];
  qsort(out, (size_t)*n, sizeof *out, by_count);
  return out;
}

static int words(const char *path, int k) {
  int64_t size, n;
  const char *m = map_file(path, &size);
  int nt = omp_get_max_threads();
  table *t = calloc((size_t)nt, sizeof *t);
#pragma omp parallel
  {
    int me = omp_get_thread_num();
    int64_t lo = chunk_start(m, size, me, nt), hi = chunk_start(m, size, me + 1, nt);
    for (int64_t i = lo; i < hi;) {
      while (i < hi && (m[i] == ' ' || m[i] == '\n' || m[i] == '\t' || m[i] == '\r')) i++;
      int64_t w = i;
      while (i < hi && m[i] != ' ' && m[i] != '\n' && m[i] != '\t' && m[i] != '\r') i++;
      if (i > w) find(&t[me], m + w, i - w, w)->count++;
    }
  }
  entry *e = merge(t, nt, &n);
  for (int64_t i = 0; i < n && i < k; i++)
    printf("%.*s %lld\n", (int)e[i].n, e[i].p, (long long)e[i].count);
  return 0;
}

static int json(const char *path) {
  int64_t size, n;
  const char *m = map_file(path, &size);
  int nt = omp_get_max_threads();
  table *t = calloc((size_t)nt, sizeof *t);
#pragma omp parallel
  {
    int me = omp_get_thread_num();
    int64_t lo = chunk_start(m, size, me, nt), hi = chunk_start(m, size, me + 1, nt);
    for (int64_t i = lo; i < hi;) {
      const char *line = m + i, *end = memchr(line, '\n', (size_t)(hi - i));
      if (!end) end = m + hi;
      const char *ty = memmem(line, (size_t)(end - line), "\"type\":\"", 8);
      const char *sz = memmem(line, (size_t)(end - line), "\"size\":", 7);
      if (ty && sz) {
        ty += 8;
        const char *q = memchr(ty, '"', (size_t)(end - ty));
        int64_t v = strtoll(sz + 7, NULL, 10);
        entry *e = find(&t[me], ty, q - ty, ty - m);
        e->count++, e->sum += v;
      }
      i = end - m + 1;
    }
  }
  entry *e = merge(t, nt, &n);
  for (int64_t i = 0; i < n; i++)
    printf("%.*s %lld %lld\n", (int)e[i].n, e[i].p, (long long)e[i].count, (long long)e[i].sum);
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 3 && strcmp(argv[1], "words") == 0)
    return words(argv[2], argc > 3 ? atoi(argv[3]) : 10);
  if (argc == 3 && strcmp(argv[1], "json") == 0) return json(argv[2]);
  if (argc == 3 && strcmp(argv[1], "fold") == 0) {
    long long n = atoll(argv[2]), s = 0;
#pragma omp parallel for reduction(+ : s)
    for (long long i = 0; i < n; i++) s += i;
    printf("%lld\n", s);
    return 0;
  }
  fprintf(stderr, "usage: handc words PATH K | handc json PATH | handc fold N\n");
  return 2;
}
