/* gen_join.c: the db-benchmark's join tables J1_N_NA_0_0 (x) and its right-hand sides
 * small, medium and big (join-datagen.R's shape). Three key sets are split as the R
 * script's split_xlr(n) splits them: a permutation of 1..1.1 n whose first 0.9 n keys both
 * sides have, the next 0.1 n only x, the last 0.1 n only the right side; n is N/1e6 (id1),
 * N/1e3 (id2) and N (id3), at least 10 each (the R script's sizes at N = 1e7 and above;
 * smaller N keep ten keys so that q1 still means something).
 *   x:      id1, id2 drawn with replacement from x's keys, id3 a permutation of x's N keys;
 *           id4..id6 the strings "id%d" of id1..id3; v1 uniform in [0, 100] to 0.1
 *   small:  n1 rows: id1 a permutation of the right's id1 keys; id4; v2
 *   medium: n2 rows: id1 drawn, id2 a permutation of the right's id2 keys; id4, id5; v2
 *   big:    N rows: id1, id2 drawn, id3 a permutation of the right's id3 keys; id4..id6; v2
 * Written as CSV like data.table's fwrite. R's generator cannot be run here, so the values
 * come from a seeded xorshift: the same shape and sizes, not the same checksums.
 *
 *   gen_join N OUTDIR    (writes OUTDIR/J1_<N>_NA_0_0.csv and the three right sides,
 *                         named J1_<N>_<n>_0_0.csv with n = n1, n2, N as 1e1, 1e4 ...) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_random.h"

typedef struct {
  long long *key; /* a permutation of 1..n + n/10 */
  long long n;    /* x's part: key[0, n) (0.9 n both sides, then 0.1 n x only) */
} keys;

/* split_xlr(n): both sides' keys key[0, 0.9 n), x's own [0.9 n, n), the right's own
 * [n, 1.1 n) */
static keys split(long long n) {
  long long m = n + n / 10;
  keys k = {malloc((size_t)m * sizeof(long long)), n};
  if (!k.key) {
    fprintf(stderr, "gen_join: out of memory\n");
    exit(1);
  }
  for (long long i = 0; i < m; i++) k.key[i] = i + 1;
  for (long long i = m - 1; i > 0; i--) { /* Fisher-Yates */
    long long j = (long long)below((uint64_t)i + 1), t = k.key[i];
    k.key[i] = k.key[j], k.key[j] = t;
  }
  return k;
}

/* a key of x (right 0: key[0, n)) or of the right side (right 1: key[0, 0.9 n) and
 * key[n, 1.1 n)), drawn with replacement */
static long long draw(const keys *k, int right) {
  long long shared = k->n * 9 / 10, i = (long long)below((uint64_t)k->n);
  return right && i >= shared ? k->key[k->n + (i - shared)] : k->key[i];
}

/* the side's keys in a random order (without replacement): perm[0, n) */
static long long *permuted(const keys *k, int right) {
  long long shared = k->n * 9 / 10, n = k->n;
  long long *p = malloc((size_t)n * sizeof *p);
  if (!p) {
    fprintf(stderr, "gen_join: out of memory\n");
    exit(1);
  }
  for (long long i = 0; i < n; i++)
    p[i] = right && i >= shared ? k->key[n + (i - shared)] : k->key[i];
  for (long long i = n - 1; i > 0; i--) {
    long long j = (long long)below((uint64_t)i + 1), t = p[i];
    p[i] = p[j], p[j] = t;
  }
  return p;
}

static void value(FILE *f) {
  unsigned long long v = below(1001); /* 0.0 .. 100.0 */
  fprintf(f, "%llu.%llu", v / 10, v % 10);
}

static FILE *open_out(const char *dir, const char *n, const char *what, char *path) {
  sprintf(path, "%s/J1_%s_%s_0_0.csv.tmp", dir, n, what);
  FILE *f = fopen(path, "w");
  if (!f) {
    perror(path);
    exit(1);
  }
  static char buf[4][1 << 20];
  static int b;
  setvbuf(f, buf[b++ % 4], _IOFBF, sizeof buf[0]);
  return f;
}

/* closes f and renames path (".tmp") to its final name */
static void close_out(FILE *f, char *path) {
  if (fclose(f) != 0) {
    perror(path);
    exit(1);
  }
  char final[4096];
  size_t len = strlen(path) - 4;
  memcpy(final, path, len), final[len] = 0;
  if (rename(path, final) != 0) {
    perror(final);
    exit(1);
  }
}

/* 1e7 for 10000000, as the db-benchmark names its files (10^k only; else the number) */
static void label(long long n, char *out) {
  int e = 0;
  long long m = n;
  while (m >= 10 && m % 10 == 0) m /= 10, e++;
  if (m == 1)
    sprintf(out, "1e%d", e);
  else
    sprintf(out, "%lld", n);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: gen_join N OUTDIR\n");
    return 2;
  }
  long long n = atoll(argv[1]);
  if (n < 100) {
    fprintf(stderr, "gen_join: N must be at least 100\n");
    return 2;
  }
  gen_state = 108;
  long long n1 = n / 1000000 > 10 ? n / 1000000 : 10, n2 = n / 1000 > 10 ? n / 1000 : 10;
  char nl[32], l1[32], l2[32], path[4200];
  label(n, nl), label(n1, l1), label(n2, l2);
  keys k1 = split(n1), k2 = split(n2), k3 = split(n);

  FILE *f = open_out(argv[2], nl, "NA", path);
  long long *p3 = permuted(&k3, 0);
  fputs("id1,id2,id3,id4,id5,id6,v1\n", f);
  for (long long i = 0; i < n; i++) {
    long long a = draw(&k1, 0), b = draw(&k2, 0), c = p3[i];
    fprintf(f, "%lld,%lld,%lld,id%lld,id%lld,id%lld,", a, b, c, a, b, c);
    value(f), fputc('\n', f);
  }
  close_out(f, path);
  free(p3);

  f = open_out(argv[2], nl, l1, path);
  long long *p1 = permuted(&k1, 1);
  fputs("id1,id4,v2\n", f);
  for (long long i = 0; i < n1; i++)
    fprintf(f, "%lld,id%lld,", p1[i], p1[i]), value(f), fputc('\n', f);
  close_out(f, path);
  free(p1);

  f = open_out(argv[2], nl, l2, path);
  long long *p2 = permuted(&k2, 1);
  fputs("id1,id2,id4,id5,v2\n", f);
  for (long long i = 0; i < n2; i++) {
    long long a = draw(&k1, 1);
    fprintf(f, "%lld,%lld,id%lld,id%lld,", a, p2[i], a, p2[i]), value(f), fputc('\n', f);
  }
  close_out(f, path);
  free(p2);

  f = open_out(argv[2], nl, nl, path);
  p3 = permuted(&k3, 1);
  fputs("id1,id2,id3,id4,id5,id6,v2\n", f);
  for (long long i = 0; i < n; i++) {
    long long a = draw(&k1, 1), b = draw(&k2, 1), c = p3[i];
    fprintf(f, "%lld,%lld,%lld,id%lld,id%lld,id%lld,", a, b, c, a, b, c);
    value(f), fputc('\n', f);
  }
  close_out(f, path);
  free(p3), free(k1.key), free(k2.key), free(k3.key);
  return 0;
}
