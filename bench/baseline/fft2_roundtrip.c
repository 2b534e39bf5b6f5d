/* x = load("input.npy"); real(ifft2(fft2(x))), FFTW with FFTW_ESTIMATE plans and its OpenMP
 * threads (omp_get_max_threads()). Link with -lfftw3_omp -lfftw3.
 *
 * Default: what numpy.fft.fft2 does, a complex-to-complex transform of the input promoted
 * to complex (ROWS x COLS complex, 16 bytes per pixel), in place, then the backward
 * transform in place; the real parts, scaled by 1 / (ROWS * COLS), are packed in place into
 * the first half of the buffer and written. -DUSE_R2C: the real-input transforms (r2c, c2r)
 * on ROWS x (COLS/2 + 1) complex, about half the memory and work.
 * -DTIMES prints the time of each step to stderr. */
#include "baseline.h"

#include <fcntl.h>
#include <fftw3.h>
#include <string.h>
#include <unistd.h>
#ifndef ROWS
#define ROWS 4096
#define COLS 4096
#endif

#ifdef TIMES
#include <stdio.h>
#define LAP(what) fprintf(stderr, "%-8s %.3f s\n", what, omp_get_wtime() - t0), t0 = omp_get_wtime()
#else
#define LAP(what) (void)t0
#endif

#ifdef USE_R2C
#define LD (2 * (COLS / 2 + 1)) /* doubles per row of the in-place r2c array */
#else
#define LD (2 * COLS) /* doubles per row: complex, interleaved */
#endif

/* Reads the ROWS x COLS float64 C-order .npy file at path into dst, row i at dst + i * LD;
 * complex rows (the default) get imaginary parts 0. Rows are read in parallel. */
static void load(const char *path, double *dst) {
  char err[256];
  cdrt_npy_header h;
  int fd = open(path, O_RDONLY);
  if (fd < 0) cdrt_fatal(CDRT_EXIT_INPUT, "cannot open %s", path);
  if (cdrt_npy_read_header(fd, &h, err, sizeof err))
    cdrt_fatal(CDRT_EXIT_INPUT, "%s: %s", path, err);
  if (h.dtype != CDRT_FLOAT64 || h.ndim != 2 || h.shape[0] != ROWS || h.shape[1] != COLS ||
      h.fortran_order)
    cdrt_fatal(CDRT_EXIT_INPUT, "%s: expected float64 (%d, %d) in C order", path, ROWS, COLS);
  int failed = 0;
#pragma omp parallel reduction(| : failed)
  {
    double *row = xcalloc(COLS, sizeof(double));
#pragma omp for schedule(static)
    for (int64_t i = 0; i < ROWS; i++) {
      size_t want = COLS * sizeof(double);
      if (pread(fd, row, want, h.data_offset + i * (int64_t)want) != (ssize_t)want) failed = 1;
      double *d = dst + i * LD;
#ifdef USE_R2C
      memcpy(d, row, want);
#else
      for (int64_t j = 0; j < COLS; j++) d[2 * j] = row[j], d[2 * j + 1] = 0;
#endif
    }
    free(row);
  }
  close(fd);
  if (failed) cdrt_fatal(CDRT_EXIT_INPUT, "cannot read %s", path);
}

/* Packs the real parts, times scale, into out[0 .. ROWS * COLS) in place (out aliases buf). */
static void pack(double *buf, double scale) {
  const int64_t n = (int64_t)ROWS * COLS;
#ifdef USE_R2C
  /* row i moves from buf + i * LD down to buf + i * COLS: in order, so nothing is
   * overwritten before it is read */
  for (int64_t i = 0; i < ROWS; i++) memmove(buf + i * COLS, buf + i * LD, COLS * sizeof(double));
#pragma omp parallel for schedule(static)
  for (int64_t k = 0; k < n; k++) buf[k] *= scale;
#else
  /* out[k] = buf[2k]: in rounds k in [m, 2m), which write [m, 2m) and read [2m, 4m), a
   * range no earlier round wrote */
  buf[0] *= scale;
#pragma omp parallel
  for (int64_t m = 1; m < n; m *= 2) {
#pragma omp for schedule(static)
    for (int64_t k = m; k < MIN(2 * m, n); k++) buf[k] = buf[2 * k] * scale;
  }
#endif
}

int main(void) {
  double t0 = omp_get_wtime();
  fftw_init_threads();
  fftw_plan_with_nthreads(omp_get_max_threads());
  double *buf = fftw_malloc((size_t)ROWS * LD * sizeof(double));
  if (!buf) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory");
  fftw_complex *z = (fftw_complex *)buf;
#ifdef USE_R2C
  fftw_plan fwd = fftw_plan_dft_r2c_2d(ROWS, COLS, buf, z, FFTW_ESTIMATE);
  fftw_plan bwd = fftw_plan_dft_c2r_2d(ROWS, COLS, z, buf, FFTW_ESTIMATE);
#else
  fftw_plan fwd = fftw_plan_dft_2d(ROWS, COLS, z, z, FFTW_FORWARD, FFTW_ESTIMATE);
  fftw_plan bwd = fftw_plan_dft_2d(ROWS, COLS, z, z, FFTW_BACKWARD, FFTW_ESTIMATE);
#endif
  if (!fwd || !bwd) cdrt_fatal(CDRT_EXIT_MEMORY, "FFTW could not plan");
  LAP("plan");
  load("input.npy", buf);
  LAP("load");
  fftw_execute(fwd);
  LAP("fft2");
  fftw_execute(bwd);
  LAP("ifft2");
  pack(buf, 1.0 / ((double)ROWS * COLS));
  LAP("pack");
  save(2, (int64_t[]){ROWS, COLS}, buf);
  LAP("save");
  fftw_destroy_plan(fwd);
  fftw_destroy_plan(bwd);
  fftw_free(buf);
  fftw_cleanup_threads();
  return 0;
}
