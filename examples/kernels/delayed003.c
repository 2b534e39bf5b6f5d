/* delayed003.c: seed 003's inc over a whole array, in C: a delayed task receives the array
 * (and its element count) and writes its result array through the pointer parameter, which
 * da.from_delayed gives a shape. */
#include <stdint.h>

void inc_array(const double *x, int64_t n, double *out, int64_t m) {
  for (int64_t i = 0; i < n && i < m; i++) out[i] = x[i] + 1;
}
