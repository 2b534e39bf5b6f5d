/* b = normal(size=(ROWS, COLS)); (cos(b)**2).mean(axis=1)
 * Rows are independent: no partial sums to combine. cos is the runtime's SLEEF cos, as in
 * cdask. */
#include "baseline.h"
#ifndef ROWS
#define ROWS 200000
#define COLS 4000
#endif
#ifndef SEED
#define SEED 1
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
        cdrt_random_normal_f64(x, SEED, i * COLS + j0, 1, n, 0.0, 1.0);
        cdrt_vcos_f64(x, x, n);
        for (int64_t j = 0; j < n; j++) x[j] = x[j] * x[j];
        s += cdrt_pairwise_sum_f64(x, n);
      }
      out[i] = s / COLS;
    }
  }
  save(1, (int64_t[]){ROWS}, out);
  return 0;
}
