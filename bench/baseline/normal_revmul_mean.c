/* b = normal(size=(ROWS, COLS)); (b * b[::-1, ::-1]).mean()
 * b[i, j] * b[R - i, C - j] (R = ROWS - 1, C = COLS - 1) is symmetric under
 * (i, j) -> (R - i, C - j), so the sum is twice the sum over rows i < R - i (plus the middle
 * row once if ROWS is odd). Row i is generated forwards and row R - i backwards (stride -1),
 * so each element of b is generated once. */
#include "baseline.h"
#ifndef ROWS
#define ROWS 200000
#define COLS 4000
#endif
#ifndef SEED
#define SEED 1
#endif

int main(void) {
  const int nt = omp_get_max_threads();
  double *part = xcalloc((size_t)nt * PAD, sizeof(double));
#pragma omp parallel
  {
    double x[STRIP], y[STRIP], total = 0;
#pragma omp for schedule(static)
    for (int64_t i = 0; i < (ROWS + 1) / 2; i++) {
      const int64_t r = ROWS - 1 - i;
      double s = 0;
      for (int64_t j0 = 0; j0 < COLS; j0 += STRIP) {
        const int64_t n = MIN(STRIP, COLS - j0);
        cdrt_random_normal_f64(x, SEED, i * COLS + j0, 1, n, 0.0, 1.0);
        cdrt_random_normal_f64(y, SEED, r * COLS + (COLS - 1 - j0), -1, n, 0.0, 1.0);
        for (int64_t j = 0; j < n; j++) x[j] = x[j] * y[j];
        s += cdrt_pairwise_sum_f64(x, n);
      }
      total += (r == i ? 1 : 2) * s;
    }
    part[(size_t)omp_get_thread_num() * PAD] = total;
  }
  const double mean = combine_scalars(part, nt) / ((double)ROWS * COLS);
  save(0, NULL, &mean);
  return 0;
}
