/* Shared by the FFT baselines (fft2_roundtrip.c, wiener.c): 2-D FFTs of ROWS x COLS images
 * with FFTW, FFTW_ESTIMATE plans and omp_get_max_threads() threads. Link with
 * -lfftw3_omp -lfftw3.
 *
 * An image lives in one buffer of ROWS rows of LD doubles, transformed in place:
 * - default: complex (interleaved re, im), as numpy.fft.fft2 promotes a real input;
 * - -DUSE_R2C: FFTW's real-input layout: real rows padded to 2 (COLS/2 + 1) doubles, which
 *   hold the COLS/2 + 1 complex columns of the half spectrum after the forward transform.
 *
 * A 2-D transform is the row transforms (one FFTW plan over all rows, contiguous, FFTW's
 * threads) and the column transforms, done in blocks of BLOCK columns: a thread copies a
 * block into a contiguous buffer, transforms it (one single-threaded plan) and copies it
 * back. FFTW's own 2-D plan (fftw_plan_dft_2d) reads the columns in place, a stride of
 * 64 or 128 KB apart: with FFTW_ESTIMATE that took 0.29 s at 4096x4096 and 1.9 s at
 * 8192x8192 on 2 threads, against 0.13 s and 0.64 s this way.
 *
 * -DTIMES prints the time of each step to stderr. */
#ifndef FFT_H
#define FFT_H

#include "baseline.h"

#include <fcntl.h>
#include <fftw3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifdef USE_R2C
#define SPEC_COLS (COLS / 2 + 1) /* complex columns of the spectrum */
#else
#define SPEC_COLS COLS
#endif
#define LD (2 * SPEC_COLS) /* doubles per row of an image buffer */
#define BLOCK 8            /* columns transformed together (fastest of 4..64 at 4096, 8192) */

#ifdef TIMES
#define LAP(what)                                                                                  \
  fprintf(stderr, "%-10s %.3f s\n", what, omp_get_wtime() - t0), t0 = omp_get_wtime()
#else
#define LAP(what) (void)t0
#endif

typedef struct {
  fftw_plan rows[2];    /* [0] forward, [1] backward: every row, FFTW's threads */
  fftw_plan cols[2][2]; /* [direction][0]: BLOCK columns, [1]: the last, narrower block */
} fft2_plans;

/* One buffer for an image: ROWS * LD doubles, aligned for FFTW, not touched yet. */
static inline double *image_alloc(void) {
  double *p = fftw_malloc((size_t)ROWS * LD * sizeof(double));
  if (!p) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory (%zu bytes)", (size_t)ROWS * LD * 8);
  return p;
}

/* Plans the transforms of any image buffer (FFTW_ESTIMATE does not touch buf). */
static inline void fft2_plan(fft2_plans *p, double *buf) {
  fftw_complex *z = (fftw_complex *)buf;
  const int n[1] = {COLS}, m[1] = {ROWS};
  fftw_init_threads();
  fftw_plan_with_nthreads(omp_get_max_threads());
#ifdef USE_R2C
  p->rows[0] =
      fftw_plan_many_dft_r2c(1, n, ROWS, buf, NULL, 1, LD, z, NULL, 1, SPEC_COLS, FFTW_ESTIMATE);
  p->rows[1] =
      fftw_plan_many_dft_c2r(1, n, ROWS, z, NULL, 1, SPEC_COLS, buf, NULL, 1, LD, FFTW_ESTIMATE);
#else
  for (int d = 0; d < 2; d++)
    p->rows[d] = fftw_plan_many_dft(1, n, ROWS, z, NULL, 1, COLS, z, NULL, 1, COLS,
                                    d ? FFTW_BACKWARD : FFTW_FORWARD, FFTW_ESTIMATE);
#endif
  /* a column block is BLOCK contiguous transforms of length ROWS */
  fftw_plan_with_nthreads(1);
  fftw_complex *t = fftw_malloc(sizeof(fftw_complex) * BLOCK * ROWS);
  const int width[2] = {BLOCK, SPEC_COLS % BLOCK};
  for (int d = 0; d < 2; d++)
    for (int w = 0; w < 2; w++)
      p->cols[d][w] = width[w]
                          ? fftw_plan_many_dft(1, m, width[w], t, NULL, 1, ROWS, t, NULL, 1, ROWS,
                                               d ? FFTW_BACKWARD : FFTW_FORWARD, FFTW_ESTIMATE)
                          : NULL;
  fftw_free(t);
  if (!p->rows[0] || !p->rows[1] || !p->cols[0][0] || !p->cols[1][0])
    cdrt_fatal(CDRT_EXIT_MEMORY, "FFTW could not plan");
}

/* The column transforms of z (SPEC_COLS complex columns) in direction d, block by block. */
static inline void fft2_columns(const fft2_plans *p, fftw_complex *z, int d) {
#pragma omp parallel
  {
    fftw_complex *t = fftw_malloc(sizeof(fftw_complex) * BLOCK * ROWS);
    if (!t) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory");
#pragma omp for schedule(static)
    for (int64_t j0 = 0; j0 < SPEC_COLS; j0 += BLOCK) {
      const int64_t w = MIN(BLOCK, SPEC_COLS - j0);
      for (int64_t i = 0; i < ROWS; i++)
        for (int64_t k = 0; k < w; k++) memcpy(t[k * ROWS + i], z[i * SPEC_COLS + j0 + k], 16);
      fftw_execute_dft(p->cols[d][w != BLOCK], t, t);
      for (int64_t i = 0; i < ROWS; i++)
        for (int64_t k = 0; k < w; k++) memcpy(z[i * SPEC_COLS + j0 + k], t[k * ROWS + i], 16);
    }
    fftw_free(t);
  }
}

/* In place: the forward 2-D transform (numpy.fft.fft2, unnormalized), or the backward one
 * (ROWS * COLS times numpy.fft.ifft2). */
static inline void fft2_forward(const fft2_plans *p, double *buf) {
#ifdef USE_R2C
  fftw_execute_dft_r2c(p->rows[0], buf, (fftw_complex *)buf);
#else
  fftw_execute_dft(p->rows[0], (fftw_complex *)buf, (fftw_complex *)buf);
#endif
  fft2_columns(p, (fftw_complex *)buf, 0);
}

static inline void fft2_backward(const fft2_plans *p, double *buf) {
  fft2_columns(p, (fftw_complex *)buf, 1);
#ifdef USE_R2C
  fftw_execute_dft_c2r(p->rows[1], (fftw_complex *)buf, buf);
#else
  fftw_execute_dft(p->rows[1], (fftw_complex *)buf, (fftw_complex *)buf);
#endif
}

static inline void fft2_destroy(fft2_plans *p) {
  for (int d = 0; d < 2; d++) {
    fftw_destroy_plan(p->rows[d]);
    for (int w = 0; w < 2; w++)
      if (p->cols[d][w]) fftw_destroy_plan(p->cols[d][w]);
  }
  fftw_cleanup_threads();
}

/* Reads the ROWS x COLS float64 C-order .npy file at path into the image buffer dst (complex
 * rows get imaginary parts 0). With shift, element (i, j) goes where ifftshift puts it:
 * ((i - ROWS/2) mod ROWS, (j - COLS/2) mod COLS). Rows are read in parallel (pread). */
static inline void load(const char *path, double *dst, int shift) {
  char err[256];
  cdrt_npy_header h;
  int fd = open(path, O_RDONLY);
  if (fd < 0) cdrt_fatal(CDRT_EXIT_INPUT, "cannot open %s", path);
  if (cdrt_npy_read_header(fd, &h, err, sizeof err))
    cdrt_fatal(CDRT_EXIT_INPUT, "%s: %s", path, err);
  if (h.dtype != CDRT_FLOAT64 || h.ndim != 2 || h.shape[0] != ROWS || h.shape[1] != COLS ||
      h.fortran_order)
    cdrt_fatal(CDRT_EXIT_INPUT, "%s: expected float64 (%d, %d) in C order", path, ROWS, COLS);
  const int64_t r0 = shift ? ROWS / 2 : 0, c0 = shift ? COLS / 2 : 0;
  int failed = 0;
#pragma omp parallel reduction(| : failed)
  {
    double *row = xcalloc(COLS, sizeof(double));
#pragma omp for schedule(static)
    for (int64_t i = 0; i < ROWS; i++) {
      const size_t want = COLS * sizeof(double);
      if (pread(fd, row, want, h.data_offset + i * (int64_t)want) != (ssize_t)want) failed = 1;
      double *d = dst + (i >= r0 ? i - r0 : i + ROWS - r0) * LD;
      /* source columns [c0, COLS) go to [0, COLS - c0), columns [0, c0) after them */
#ifdef USE_R2C
      memcpy(d, row + c0, (COLS - c0) * sizeof(double));
      memcpy(d + COLS - c0, row, c0 * sizeof(double));
#else
      for (int64_t j = c0; j < COLS; j++) d[2 * (j - c0)] = row[j], d[2 * (j - c0) + 1] = 0;
      for (int64_t j = 0; j < c0; j++)
        d[2 * (j + COLS - c0)] = row[j], d[2 * (j + COLS - c0) + 1] = 0;
#endif
    }
    free(row);
  }
  close(fd);
  if (failed) cdrt_fatal(CDRT_EXIT_INPUT, "cannot read %s", path);
}

/* Packs the image's real values, times scale, into buf[0 .. ROWS * COLS) in place: a C-order
 * ROWS x COLS float64 array. */
static inline void pack(double *buf, double scale) {
  const int64_t n = (int64_t)ROWS * COLS;
#ifdef USE_R2C
  /* row i moves from buf + i * LD down to buf + i * COLS: in order, nothing is overwritten
   * before it is read */
  for (int64_t i = 1; i < ROWS; i++) memmove(buf + i * COLS, buf + i * LD, COLS * sizeof(double));
  if (scale != 1) {
#pragma omp parallel for schedule(static)
    for (int64_t k = 0; k < n; k++) buf[k] *= scale;
  }
#else
  /* buf[k] = buf[2k] * scale, in rounds k in [m, 2m): a round writes [m, 2m) and reads
   * [2m, 4m), which no earlier round wrote */
  buf[0] *= scale;
#pragma omp parallel
  for (int64_t m = 1; m < n; m *= 2) {
#pragma omp for schedule(static)
    for (int64_t k = m; k < MIN(2 * m, n); k++) buf[k] = buf[2 * k] * scale;
  }
#endif
}

#endif
