/* x = normal(LOC, SCALE, size=(ROWS, COLS)); x.mean(axis=0)[:NOUT]
 * Also the chunk sweep (NOUT = COLS) and the culled example (NOUT = 100: only the first
 * NOUT columns of x are generated). */
#include "baseline.h"
#ifndef ROWS
#define ROWS 20000
#define COLS 20000
#endif
#ifndef LOC
#define LOC 10.0
#endif
#ifndef SCALE
#define SCALE 0.1
#endif
#ifndef SEED
#define SEED 1
#endif
#ifndef NOUT
#define NOUT COLS
#endif

int main(void) {
  const int nt = omp_get_max_threads();
  double *part = xcalloc((size_t)nt * NOUT, sizeof(double));
#pragma omp parallel
  {
    double *acc = part + (size_t)omp_get_thread_num() * NOUT;
    double x[STRIP];
#pragma omp for schedule(static)
    for (int64_t i = 0; i < ROWS; i++)
      for (int64_t j0 = 0; j0 < NOUT; j0 += STRIP) {
        const int64_t n = MIN(STRIP, NOUT - j0);
        cdrt_random_normal_f64(x, SEED, i * COLS + j0, 1, n, LOC, SCALE);
        for (int64_t j = 0; j < n; j++) acc[j0 + j] += x[j];
      }
  }
  static double out[NOUT];
  combine_columns(out, part, nt, NOUT, ROWS);
  save(1, (int64_t[]){NOUT}, out);
  return 0;
}
