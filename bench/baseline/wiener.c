/* Wiener deconvolution of ROWS x COLS float64 images (see fft.h):
 *   H = fft2(ifftshift(psf)), D = fft2(dirty), X = conj(H) D / (|H|^2 + LAMBDA),
 *   result = real(ifft2(X))
 *
 * psf.npy is read into an image buffer H, ifftshift applied while reading, and dirty.npy
 * into a second one, D; both are transformed in place; one parallel pass computes X in place
 * of D, with ifft2's 1 / (ROWS * COLS) folded in; H is freed, D transformed back in place,
 * packed and written. Peak memory: two complex images, four times the input. */
#ifndef ROWS
#define ROWS 4096
#define COLS 4096
#endif
#ifndef LAMBDA
#define LAMBDA 0.1
#endif
#include "fft.h"

/* d = conj(h) d / (|h|^2 + LAMBDA) * scale over the spectrum, in parallel. */
static void filter(const fftw_complex *h, fftw_complex *d, double scale) {
#pragma omp parallel for schedule(static)
  for (int64_t k = 0; k < (int64_t)ROWS * SPEC_COLS; k++) {
    const double hr = h[k][0], hi = h[k][1], dr = d[k][0], di = d[k][1];
    const double s = scale / (hr * hr + hi * hi + LAMBDA);
    d[k][0] = (hr * dr + hi * di) * s;
    d[k][1] = (hr * di - hi * dr) * s;
  }
}

int main(void) {
  double t0 = omp_get_wtime();
  double *h = image_alloc(), *d = image_alloc();
  fft2_plans p;
  fft2_plan(&p, d); /* the plans serve both buffers: fftw_malloc aligns them alike */
  LAP("plan");
  load("psf.npy", h, 1);
  LAP("load psf");
  fft2_forward(&p, h);
  LAP("fft2 psf");
  load("dirty.npy", d, 0);
  LAP("load dirty");
  fft2_forward(&p, d);
  LAP("fft2 dirty");
  filter((fftw_complex *)h, (fftw_complex *)d, 1.0 / ((double)ROWS * COLS));
  fftw_free(h);
  LAP("filter");
  fft2_backward(&p, d);
  LAP("ifft2");
  pack(d, 1.0);
  LAP("pack");
  save(2, (int64_t[]){ROWS, COLS}, d);
  LAP("save");
  fft2_destroy(&p);
  fftw_free(d);
  return 0;
}
