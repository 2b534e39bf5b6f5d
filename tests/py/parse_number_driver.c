/* parse_number_driver: runtime/parse_number.c for test_parse_number.py. Each line of stdin
 * is "f TEXT" or "i TEXT" (TEXT up to the line's end, spaces kept); each answer a line:
 * the float64's bits in hex, the int64 in decimal, or "error -1" / "error -2". With
 * "bench FILE": parses FILE's lines as float64 and prints the seconds it took. */
#include "cdrt.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int bench(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return perror(path), 1;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *text = malloc((size_t)n + 1);
  if (!text || fread(text, 1, (size_t)n, f) != (size_t)n) return fprintf(stderr, "read\n"), 1;
  fclose(f);
  struct timespec t0, t1;
  double sum = 0;
  long bad = 0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (char *p = text, *end = text + n; p < end;) {
    char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl) nl = end;
    double v;
    if (cdrt_parse_f64(p, (size_t)(nl - p), &v) == 0)
      sum += v;
    else
      bad++;
    p = nl + 1;
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  printf("%.6f %ld %g\n",
         (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec), bad, sum);
  free(text);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 3 && !strcmp(argv[1], "bench")) return bench(argv[2]);
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  while ((len = getline(&line, &cap, stdin)) > 0) {
    if (line[len - 1] == '\n') line[--len] = 0;
    if (len < 2) continue;
    if (line[0] == 'f') {
      double v;
      int rc = cdrt_parse_f64(line + 2, (size_t)len - 2, &v);
      uint64_t bits;
      memcpy(&bits, &v, sizeof bits);
      if (rc)
        printf("error %d\n", rc);
      else
        printf("%016" PRIx64 "\n", bits);
    } else {
      int64_t v;
      int rc = cdrt_parse_i64(line + 2, (size_t)len - 2, &v);
      if (rc)
        printf("error %d\n", rc);
      else
        printf("%" PRId64 "\n", v);
    }
  }
  free(line);
  return 0;
}
