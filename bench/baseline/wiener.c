/* Wiener deconvolution, FFTW with FFTW_ESTIMATE plans and its OpenMP threads:
 *   H = fft2(ifftshift(psf)), D = fft2(dirty), X = conj(H) D / (|H|^2 + LAMBDA),
 *   result = real(ifft2(X))
 * psf.npy and dirty.npy are ROWS x COLS float64. Link with -lfftw3_omp -lfftw3.
 *
 * Default: complex-to-complex transforms as numpy.fft.fft2 does them, in place in two
 * ROWS x COLS complex buffers (H, D); ifftshift is applied while reading psf.npy; one
 * parallel pass computes X in place of D, with the 1 / (ROWS * COLS) of ifft2 folded in;
 * the backward transform runs in place and the real parts are packed in place into the first
 * half of D. -DUSE_R2C: the real-input transforms (r2c, c2r) on ROWS x (COLS/2 + 1) complex
 * buffers, about half the memory and work. -DTIMES prints the time of each step to stderr. */
#include "baseline.h"

#include <fcntl.h>
#include <fftw3.h>
#include <string.h>
#include <unistd.h>
#ifndef ROWS
#define ROWS 4096
#define COLS 4096
#endif
#ifndef LAMBDA
#define LAMBDA 0.1
#endif

#ifdef TIMES
#include <stdio.h>
#define LAP(what) fprintf(stderr, "%-8s %.3f s\n", what, omp_get_wtime() - t0), t0 = omp_get_wtime()
#else
#define LAP(what) (void)t0
#endif

#ifdef USE_R2C
#define LD (2 * (COLS / 2 + 1)) /* doubles per row of an in-place r2c array */
#define SPECTRUM ((int64_t)ROWS * (COLS / 2 + 1))
#else
#define LD (2 * COLS) /* doubles per row: complex, interleaved */
#define SPECTRUM ((int64_t)ROWS * COLS)
#endif

/* Reads the ROWS x COLS float64 C-order .npy file at path into dst, row i at dst + i * LD;
 * complex rows (the default) get imaginary parts 0. With shift, element (i, j) goes where
 * ifftshift puts it: ((i - ROWS/2) mod ROWS, (j - COLS/2) mod COLS). Rows are read in
 * parallel. */
static void load(const char *path, double *dst, int shift) {
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
      size_t want = COLS * sizeof(double);
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

/* d = conj(h) d / (|h|^2 + LAMBDA) * scale, element by element, in parallel. */
static void filter(const fftw_complex *h, fftw_complex *d, double scale) {
#pragma omp parallel for schedule(static)
  for (int64_t k = 0; k < SPECTRUM; k++) {
    const double hr = h[k][0], hi = h[k][1], dr = d[k][0], di = d[k][1];
    const double s = scale / (hr * hr + hi * hi + LAMBDA);
    d[k][0] = (hr * dr + hi * di) * s;
    d[k][1] = (hr * di - hi * dr) * s;
  }
}

/* Packs the real parts into buf[0 .. ROWS * COLS) in place. */
static void pack(double *buf) {
#ifdef USE_R2C
  /* row i moves from buf + i * LD down to buf + i * COLS: in order, so nothing is
   * overwritten before it is read */
  for (int64_t i = 1; i < ROWS; i++) memmove(buf + i * COLS, buf + i * LD, COLS * sizeof(double));
#else
  /* out[k] = buf[2k]: in rounds k in [m, 2m), which write [m, 2m) and read [2m, 4m), a
   * range no earlier round wrote */
  const int64_t n = (int64_t)ROWS * COLS;
#pragma omp parallel
  for (int64_t m = 1; m < n; m *= 2) {
#pragma omp for schedule(static)
    for (int64_t k = m; k < MIN(2 * m, n); k++) buf[k] = buf[2 * k];
  }
#endif
}

int main(void) {
  double t0 = omp_get_wtime();
  fftw_init_threads();
  fftw_plan_with_nthreads(omp_get_max_threads());
  double *hbuf = fftw_malloc((size_t)ROWS * LD * sizeof(double));
  double *dbuf = fftw_malloc((size_t)ROWS * LD * sizeof(double));
  if (!hbuf || !dbuf) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory");
  fftw_complex *H = (fftw_complex *)hbuf, *D = (fftw_complex *)dbuf;
  /* one plan per direction, run on both buffers (fftw_malloc aligns them alike) */
#ifdef USE_R2C
  fftw_plan fwd = fftw_plan_dft_r2c_2d(ROWS, COLS, dbuf, D, FFTW_ESTIMATE);
  fftw_plan bwd = fftw_plan_dft_c2r_2d(ROWS, COLS, D, dbuf, FFTW_ESTIMATE);
#define FORWARD(buf, z) fftw_execute_dft_r2c(fwd, buf, z)
#else
  fftw_plan fwd = fftw_plan_dft_2d(ROWS, COLS, D, D, FFTW_FORWARD, FFTW_ESTIMATE);
  fftw_plan bwd = fftw_plan_dft_2d(ROWS, COLS, D, D, FFTW_BACKWARD, FFTW_ESTIMATE);
#define FORWARD(buf, z) fftw_execute_dft(fwd, z, z)
#endif
  if (!fwd || !bwd) cdrt_fatal(CDRT_EXIT_MEMORY, "FFTW could not plan");
  LAP("plan");
  load("psf.npy", hbuf, 1);
  LAP("load psf");
  FORWARD(hbuf, H);
  LAP("fft2 H");
  load("dirty.npy", dbuf, 0);
  LAP("load dirty");
  FORWARD(dbuf, D);
  LAP("fft2 D");
  filter(H, D, 1.0 / ((double)ROWS * COLS));
  fftw_free(hbuf);
  LAP("filter");
  fftw_execute(bwd);
  LAP("ifft2");
  pack(dbuf);
  LAP("pack");
  save(2, (int64_t[]){ROWS, COLS}, dbuf);
  LAP("save");
  fftw_destroy_plan(fwd);
  fftw_destroy_plan(bwd);
  fftw_free(dbuf);
  fftw_cleanup_threads();
  return 0;
}
