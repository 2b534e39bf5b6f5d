/* o = ones((ROWS, COLS)); (cos(o)**2).mean(axis=1)
 * Written as for normal_cos2_mean1.c with the element 1.0 in place of the generator; the C
 * compiler folds cos(1.0)**2 to a constant, so, as in cdask, only the sums run. */
#include "baseline.h"
#ifndef ROWS
#define ROWS 200000
#define COLS 4000
#endif

int main(void) {
  double *out = xcalloc(ROWS, sizeof(double));
#pragma omp parallel
  {
    double x[STRIP];
#pragma omp for schedule(static)
    for (int64_t i = 0; i < ROWS; i++) {
      double s = 0;
      for (int64_t j0 = 0; j0 < COLS; j0 += STRIP) {
        const int64_t n = MIN(STRIP, COLS - j0);
        for (int64_t j = 0; j < n; j++) {
          const double c = cos(1.0);
          x[j] = c * c;
        }
        s += cdrt_pairwise_sum_f64(x, n);
      }
      out[i] = s / COLS;
    }
  }
  save(1, (int64_t[]){ROWS}, out);
  return 0;
}
