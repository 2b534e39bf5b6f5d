/* gen_groupby.c: the db-benchmark's groupby table G1_N_K_0_0 (groupby-datagen.R's shape:
 * id1, id2 from K strings "id%03d", id3 from N/K strings "id%010d", id4, id5 integers in
 * 1..K, id6 in 1..N/K, v1 in 1..5, v2 in 1..15, v3 uniform in [0, 100) with 6 decimals),
 * written as CSV like data.table's fwrite. R's generator cannot be run here, so the values
 * come from a seeded xorshift: the same shape and sizes, not the same checksums.
 *
 *   gen_groupby N K OUT.csv     (N rows, K groups for id1, id2, id4, id5) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "gen_random.h"

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: gen_groupby N K OUT.csv\n");
    return 2;
  }
  long long n = atoll(argv[1]), k = atoll(argv[2]);
  if (n <= 0 || k <= 0) {
    fprintf(stderr, "gen_groupby: N and K must be positive\n");
    return 2;
  }
  long long nk = n / k > 0 ? n / k : 1;
  gen_state = 108; /* groupby-datagen.R's set.seed(108) */
  FILE *f = gen_open(argv[3]);
  if (!f) return 1;
  fputs("id1,id2,id3,id4,id5,id6,v1,v2,v3\n", f);
  for (long long i = 0; i < n; i++) {
    unsigned long long v3 = below(100000000); /* micro-units: 6 decimals */
    fprintf(f, "id%03llu,id%03llu,id%010llu,%llu,%llu,%llu,%llu,%llu,%llu.%06llu\n",
            (unsigned long long)below((uint64_t)k) + 1, (unsigned long long)below((uint64_t)k) + 1,
            (unsigned long long)below((uint64_t)nk) + 1, (unsigned long long)below((uint64_t)k) + 1,
            (unsigned long long)below((uint64_t)k) + 1, (unsigned long long)below((uint64_t)nk) + 1,
            (unsigned long long)below(5) + 1, (unsigned long long)below(15) + 1, v3 / 1000000,
            v3 % 1000000);
  }
  if (fclose(f) != 0) {
    perror(argv[3]);
    return 1;
  }
  return 0;
}
