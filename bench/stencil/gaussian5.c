/* gaussian5.c: a 5x5 Gaussian blur, a block kernel for da.map_overlap (depth 2).
 *
 * The weights are the binomial (1 4 6 4 1) / 16 in each axis: W[a][c] = w[a] * w[c] / 256,
 * exact in binary. Each output element is the sum of its 25 neighbours times their weights,
 * added in row-major order of the window (a, then c), starting from 0: the order
 * bench/stencil/hand.c and the Dask peer (stencil_dask.py) use, so that all three compute
 * the same bits.
 *
 * The kernel receives the block with its halo (b[1].shape: the block plus 2 on each side)
 * and writes a result of the same shape, as Dask's map_overlap expects with trim=True:
 * the 2-element border is cut off afterwards, so it is written as 0. */
#include <stdint.h>

void gauss5(const double *x, double *out, const cdask_block *b) {
  const double W[5][5] = {
      {1 / 256.0, 4 / 256.0, 6 / 256.0, 4 / 256.0, 1 / 256.0},
      {4 / 256.0, 16 / 256.0, 24 / 256.0, 16 / 256.0, 4 / 256.0},
      {6 / 256.0, 24 / 256.0, 36 / 256.0, 24 / 256.0, 6 / 256.0},
      {4 / 256.0, 16 / 256.0, 24 / 256.0, 16 / 256.0, 4 / 256.0},
      {1 / 256.0, 4 / 256.0, 6 / 256.0, 4 / 256.0, 1 / 256.0},
  };
  const int64_t rows = b[1].shape[0], cols = b[1].shape[1];
  for (int64_t i = 0; i < rows; i++) {
    double *o = out + i * cols;
    if (i < 2 || i >= rows - 2) { /* a halo row */
      for (int64_t j = 0; j < cols; j++) o[j] = 0.0;
      continue;
    }
    o[0] = o[1] = o[cols - 2] = o[cols - 1] = 0.0;
    for (int64_t j = 2; j < cols - 2; j++) {
      double s = 0.0;
      for (int a = 0; a < 5; a++)
        for (int c = 0; c < 5; c++) s += W[a][c] * x[(i + a - 2) * cols + (j + c - 2)];
      o[j] = s;
    }
  }
}
