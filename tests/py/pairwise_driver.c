/* Driver for test_pairwise.py: reads from stdin an int32 kind (0 sum f64, 1 sum f32,
 * 2 prod f64, 3 prod f32), then records of an int64 n and n elements (native, little-endian)
 * until EOF; prints the bits of each record's cdrt_pairwise_* result in hex, one a line. */
#include "cdrt.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
  int32_t kind;
  if (fread(&kind, sizeof kind, 1, stdin) != 1 || kind < 0 || kind > 3) return 2;
  size_t esize = kind % 2 ? sizeof(float) : sizeof(double);
  int64_t n;
  while (fread(&n, sizeof n, 1, stdin) == 1) {
    if (n < 0) return 2;
    void *buf = malloc(n ? (size_t)n * esize : 1);
    if (!buf || fread(buf, esize, (size_t)n, stdin) != (size_t)n) return 2;
    if (kind % 2 == 0) {
      double r = kind == 0 ? cdrt_pairwise_sum_f64(buf, n) : cdrt_pairwise_prod_f64(buf, n);
      uint64_t bits;
      memcpy(&bits, &r, sizeof bits);
      printf("%016" PRIx64 "\n", bits);
    } else {
      float r = kind == 1 ? cdrt_pairwise_sum_f32(buf, n) : cdrt_pairwise_prod_f32(buf, n);
      uint32_t bits;
      memcpy(&bits, &r, sizeof bits);
      printf("%08" PRIx32 "\n", bits);
    }
    free(buf);
  }
  return 0;
}
