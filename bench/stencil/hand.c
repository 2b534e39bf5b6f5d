/* hand.c: the stencil benchmark written by hand in C + OpenMP, the baseline cdask is
 * measured against (bench/README.md, "The stencil benchmark").
 *
 *   x[i, j] = ((i * 7919 + j * 104729) % 65536) / 65536, N x N float64
 *   y = the 5x5 Gaussian of gaussian5.c over x, Dask's boundary="reflect" (the edge
 *       mirrored, edge element included: index -1 is 0, -2 is 1, N is N - 1)
 *   print y.mean()
 *
 * What a careful programmer writes: x is made once in memory (it stands for the image a
 * pipeline reads); y is never stored: each thread computes a row of y into a buffer and
 * adds it up (NumPy's pairwise summation), the reflection is index arithmetic on the five
 * source rows and, for the two columns at each edge, on the columns. The weights and the
 * order of the 25 terms are gaussian5.c's, so every element of y has the same bits.
 * Per-thread sums are added in thread order. N is a compile-time constant (-DN=...);
 * -DTIMES prints the time of each step to stderr. */
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef N
#define N 10000
#endif
#define PAD 8 /* per-thread sums one cache line apart */

static const double W[5][5] = {
    {1 / 256.0, 4 / 256.0, 6 / 256.0, 4 / 256.0, 1 / 256.0},
    {4 / 256.0, 16 / 256.0, 24 / 256.0, 16 / 256.0, 4 / 256.0},
    {6 / 256.0, 24 / 256.0, 36 / 256.0, 24 / 256.0, 6 / 256.0},
    {4 / 256.0, 16 / 256.0, 24 / 256.0, 16 / 256.0, 4 / 256.0},
    {1 / 256.0, 4 / 256.0, 6 / 256.0, 4 / 256.0, 1 / 256.0},
};

static int64_t reflect(int64_t i) {
  return i < 0 ? -i - 1 : i >= N ? 2 * (int64_t)N - 1 - i : i;
}

/* y[i, j] for a column j within 2 of an edge; r: the five source rows */
static double edge_point(const double *const r[5], int64_t j) {
  double s = 0.0;
  for (int a = 0; a < 5; a++)
    for (int c = 0; c < 5; c++) s += W[a][c] * r[a][reflect(j + c - 2)];
  return s;
}

/* NumPy's pairwise summation (numpy/core/src/umath/loops_utils.h.src) */
static double pairwise_sum(const double *a, int64_t n) {
  if (n < 8) {
    double s = 0.0;
    for (int64_t i = 0; i < n; i++) s += a[i];
    return s;
  }
  if (n <= 128) {
    double r[8];
    for (int k = 0; k < 8; k++) r[k] = a[k];
    int64_t i;
    for (i = 8; i < n - n % 8; i += 8)
      for (int k = 0; k < 8; k++) r[k] += a[i + k];
    double s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++) s += a[i];
    return s;
  }
  int64_t n2 = n / 2;
  n2 -= n2 % 8;
  return pairwise_sum(a, n2) + pairwise_sum(a + n2, n - n2);
}

int main(void) {
  double *x = malloc(sizeof(double) * (size_t)N * N);
  const int nt = omp_get_max_threads();
  double *part = calloc((size_t)nt * PAD, sizeof(double));
  if (!x || !part) {
    fprintf(stderr, "hand: out of memory\n");
    return 1;
  }
  double t0 = omp_get_wtime(), t1 = t0;
#pragma omp parallel
  {
#pragma omp for schedule(static)
    for (int64_t i = 0; i < N; i++)
      for (int64_t j = 0; j < N; j++)
        x[i * N + j] = (double)((i * 7919 + j * 104729) % 65536) / 65536;
#pragma omp single
    t1 = omp_get_wtime();
    double *row = malloc(sizeof(double) * N);
    if (!row) abort();
    double acc = 0.0;
#pragma omp for schedule(static)
    for (int64_t i = 0; i < N; i++) {
      const double *r[5];
      for (int a = 0; a < 5; a++) r[a] = x + reflect(i + a - 2) * N;
      for (int64_t j = 0; j < 2 && j < N; j++) row[j] = edge_point(r, j);
      for (int64_t j = N - 2 > 2 ? N - 2 : 2; j < N; j++) row[j] = edge_point(r, j);
      for (int64_t j = 2; j < N - 2; j++) {
        double s = 0.0;
        for (int a = 0; a < 5; a++)
          for (int c = 0; c < 5; c++) s += W[a][c] * r[a][j + c - 2];
        row[j] = s;
      }
      acc += pairwise_sum(row, N);
    }
    part[omp_get_thread_num() * PAD] = acc;
    free(row);
  }
#ifdef TIMES
  fprintf(stderr, "image %.3f s, stencil and sum %.3f s\n", t1 - t0, omp_get_wtime() - t1);
#else
  (void)t0, (void)t1;
#endif
  double total = 0.0;
  for (int t = 0; t < nt; t++) total += part[t * PAD];
  printf("mean = %.17g\n", total / ((double)N * N)); /* as cdask prints */
  free(x);
  free(part);
  return 0;
}
