/* Shared by the hand-written C + OpenMP baselines (see bench/README.md, "hand C").
 *
 * Every baseline is one parallel loop over rows (schedule(static): each thread takes one
 * contiguous block of rows), evaluates the whole expression in strips of STRIP elements
 * that stay in L1, and keeps per-thread partial sums that are added in thread order at the
 * end, so a given thread count always gives the same bits. Random arrays come from the
 * cdask runtime (libcdrt.a), so element (i, j) is the same number cdask computes.
 *
 * Sizes and parameters are compile-time constants (-DROWS=... -DCOLS=...; the harness
 * passes them from spec.py); each file has defaults for its own pipeline. The result is
 * written to result.npy in the working directory. */
#ifndef BASELINE_H
#define BASELINE_H

#include "cdrt.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>

#define STRIP 1024
#define MIN(a, b) ((a) < (b) ? (a) : (b))

static inline void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n, size);
  if (!p) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory (%zu bytes)", n * size);
  return p;
}

/* Writes the float64 result to result.npy (ndim 0 for a scalar). */
static inline void save(int ndim, const int64_t *shape, const double *data) {
  char err[256];
  if (cdrt_npy_write("result.npy", CDRT_FLOAT64, ndim, shape, data, err, sizeof err))
    cdrt_fatal(CDRT_EXIT_OUTPUT, "%s", err);
}

/* Adds nt per-thread column sums (blocks of cols doubles) in thread order: out[j] = sum / div. */
static inline void combine_columns(double *out, const double *part, int nt, int64_t cols,
                                   double div) {
  for (int64_t j = 0; j < cols; j++) {
    double s = 0;
    for (int t = 0; t < nt; t++) s += part[(size_t)t * cols + j];
    out[j] = s / div;
  }
}

/* Per-thread scalar partial sums, one cache line (PAD doubles) apart, added in thread order. */
#define PAD 8
static inline double combine_scalars(const double *part, int nt) {
  double s = 0;
  for (int t = 0; t < nt; t++) s += part[(size_t)t * PAD];
  return s;
}

#endif
