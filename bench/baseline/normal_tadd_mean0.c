/* a = normal(size=(N, N)); (a.T + a).mean(axis=0)
 * (a.T + a).mean(axis=0)[j] = (sum_i a[j, i] + sum_i a[i, j]) / N: row sums plus column
 * sums, so each row of a is generated once and read once, with no transposed access. */
#include "baseline.h"
#ifndef ROWS
#define ROWS 10000
#define COLS 10000
#endif
#ifndef SEED
#define SEED 1
#endif
#define N ROWS
_Static_assert(ROWS == COLS, "a.T + a needs a square array");

int main(void) {
  const int nt = omp_get_max_threads();
  double *colpart = xcalloc((size_t)nt * N, sizeof(double));
  static double rowsum[N], out[N];
#pragma omp parallel
  {
    double *acc = colpart + (size_t)omp_get_thread_num() * N;
    double x[STRIP];
#pragma omp for schedule(static)
    for (int64_t i = 0; i < N; i++) {
      double s = 0;
      for (int64_t j0 = 0; j0 < N; j0 += STRIP) {
        const int64_t n = MIN(STRIP, N - j0);
        cdrt_random_normal_f64(x, SEED, i * N + j0, 1, n, 0.0, 1.0);
        for (int64_t j = 0; j < n; j++) acc[j0 + j] += x[j];
        s += cdrt_pairwise_sum_f64(x, n);
      }
      rowsum[i] = s;
    }
  }
  combine_columns(out, colpart, nt, N, 1.0);
  for (int64_t j = 0; j < N; j++) out[j] = (rowsum[j] + out[j]) / N;
  save(1, (int64_t[]){N}, out);
  return 0;
}
