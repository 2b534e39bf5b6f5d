/* x = normal(size=(ROWS, COLS)); x.mean()  (the 64 GB virtual array) */
#include "baseline.h"
#ifndef ROWS
#define ROWS 200000
#define COLS 40000
#endif
#ifndef SEED
#define SEED 0
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
        cdrt_random_normal_f64(x, SEED, i * COLS + j0, 1, n, 0.0, 1.0);
        total += cdrt_pairwise_sum_f64(x, n);
      }
    part[(size_t)omp_get_thread_num() * PAD] = total;
  }
  const double mean = combine_scalars(part, nt) / ((double)ROWS * COLS);
  save(0, NULL, &mean);
  return 0;
}
