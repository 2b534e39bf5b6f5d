/* x = load("input.npy"); real(ifft2(fft2(x))), ROWS x COLS float64 (see fft.h).
 *
 * The input is read into one image buffer (complex: numpy.fft.fft2 promotes a real input),
 * transformed forward and back in place; the real parts, times 1 / (ROWS * COLS), are
 * packed in place and written. Peak memory: one complex image, twice the input. */
#ifndef ROWS
#define ROWS 4096
#define COLS 4096
#endif
#include "fft.h"

int main(void) {
  double t0 = omp_get_wtime();
  double *buf = image_alloc();
  fft2_plans p;
  fft2_plan(&p, buf);
  LAP("plan");
  load("input.npy", buf, 0);
  LAP("load");
  fft2_forward(&p, buf);
  LAP("fft2");
  fft2_backward(&p, buf);
  LAP("ifft2");
  pack(buf, 1.0 / ((double)ROWS * COLS));
  LAP("pack");
  save(2, (int64_t[]){ROWS, COLS}, buf);
  LAP("save");
  fft2_destroy(&p);
  fftw_free(buf);
  return 0;
}
