/* o = ones((ROWS, COLS)); o.mean(axis=0) */
#include "baseline.h"
#ifndef ROWS
#define ROWS 20000
#define COLS 20000
#endif

int main(void) {
  const int nt = omp_get_max_threads();
  double *part = xcalloc((size_t)nt * COLS, sizeof(double));
#pragma omp parallel
  {
    double *acc = part + (size_t)omp_get_thread_num() * COLS;
#pragma omp for schedule(static)
    for (int64_t i = 0; i < ROWS; i++)
      for (int64_t j = 0; j < COLS; j++) acc[j] += 1.0;
  }
  static double out[COLS];
  combine_columns(out, part, nt, COLS, ROWS);
  save(1, (int64_t[]){COLS}, out);
  return 0;
}
