/* gaussian.c: a 5x5 Gaussian smoothing filter (sigma = 1 pixel) as a block kernel for
 * da.map_overlap with depth 2 (examples/ska_filter.lua). The input block comes with a halo
 * of 2 pixels on every side; the output block has the same padded shape, and map_overlap
 * trims its 2-pixel border off, so only the interior is computed (the border is copied).
 * The weights are g(a) g(c) / S for a, c in -2..2, g(d) = exp(-d^2 / 2), S their sum; every
 * output pixel adds its 25 products row by row, in the same order as the NumPy check in
 * tests/py/test_examples.py. */
#include <math.h>
#include <stdint.h>

void gaussian5(const double *restrict in, double *restrict out, const cdask_block *b) {
  const int64_t n0 = b[1].shape[0], n1 = b[1].shape[1];
  double g[5], w[5][5], s = 0;
  for (int a = 0; a < 5; a++) g[a] = exp(-0.5 * (double)((a - 2) * (a - 2)));
  for (int a = 0; a < 5; a++)
    for (int c = 0; c < 5; c++) s += g[a] * g[c];
  for (int a = 0; a < 5; a++)
    for (int c = 0; c < 5; c++) w[a][c] = g[a] * g[c] / s;
  for (int64_t i = 0; i < n0; i++) {
    const double *row = in + i * n1;
    double *o = out + i * n1;
    if (i < 2 || i >= n0 - 2) { /* trimmed off: any value */
      for (int64_t j = 0; j < n1; j++) o[j] = row[j];
      continue;
    }
    for (int64_t j = 0; j < 2 && j < n1; j++) o[j] = row[j];
    for (int64_t j = n1 - 2 > 2 ? n1 - 2 : 2; j < n1; j++) o[j] = row[j];
    const double *r0 = row - 2 * n1, *r1 = row - n1, *r2 = row, *r3 = row + n1, *r4 = row + 2 * n1;
    for (int64_t j = 2; j < n1 - 2; j++) {
      double acc = w[0][0] * r0[j - 2];
      acc += w[0][1] * r0[j - 1];
      acc += w[0][2] * r0[j];
      acc += w[0][3] * r0[j + 1];
      acc += w[0][4] * r0[j + 2];
      acc += w[1][0] * r1[j - 2];
      acc += w[1][1] * r1[j - 1];
      acc += w[1][2] * r1[j];
      acc += w[1][3] * r1[j + 1];
      acc += w[1][4] * r1[j + 2];
      acc += w[2][0] * r2[j - 2];
      acc += w[2][1] * r2[j - 1];
      acc += w[2][2] * r2[j];
      acc += w[2][3] * r2[j + 1];
      acc += w[2][4] * r2[j + 2];
      acc += w[3][0] * r3[j - 2];
      acc += w[3][1] * r3[j - 1];
      acc += w[3][2] * r3[j];
      acc += w[3][3] * r3[j + 1];
      acc += w[3][4] * r3[j + 2];
      acc += w[4][0] * r4[j - 2];
      acc += w[4][1] * r4[j - 1];
      acc += w[4][2] * r4[j];
      acc += w[4][3] * r4[j + 1];
      acc += w[4][4] * r4[j + 2];
      o[j] = acc;
    }
  }
}
