/* o = ones((ROWS, COLS)); o.mean()
 * A hand-written program has no chunks: this is the floor the 10^6-chunk cdask program is
 * compared with (its per-chunk overhead is the difference). Each row is summed pairwise. */
#include "baseline.h"
#ifndef ROWS
#define ROWS 1000
#define COLS 1000
#endif

int main(void) {
  const int nt = omp_get_max_threads();
  double *part = xcalloc((size_t)nt * PAD, sizeof(double));
#pragma omp parallel
  {
    double x[STRIP], total = 0;
#pragma omp for schedule(static)
    for (int64_t i = 0; i < ROWS; i++)
      for (int64_t j0 = 0; j0 < COLS; j0 += STRIP) {
        const int64_t n = MIN(STRIP, COLS - j0);
        for (int64_t j = 0; j < n; j++) x[j] = 1.0;
        total += cdrt_pairwise_sum_f64(x, n);
      }
    part[(size_t)omp_get_thread_num() * PAD] = total;
  }
  const double mean = combine_scalars(part, nt) / ((double)ROWS * COLS);
  save(0, NULL, &mean);
  return 0;
}
