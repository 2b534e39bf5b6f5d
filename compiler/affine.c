/* affine.c: affine index maps, in[d] = off[d] + sum_k a[d][k] * out[k]. */
#include "cdask.h"

#include <string.h>

void affine_identity(Affine *m, int n) {
  memset(m, 0, sizeof *m);
  m->nin = m->nout = n;
  for (int d = 0; d < n; d++) m->a[d][d] = 1;
}

/* out = outer o inner: first inner maps the domain to an intermediate index, then outer
 * maps that to the final input. (inner.nin == outer.nout) */
void affine_compose(Affine *out, const Affine *outer, const Affine *inner) {
  Affine r;
  memset(&r, 0, sizeof r);
  r.nin = outer->nin, r.nout = inner->nout;
  for (int d = 0; d < outer->nin; d++) {
    int64_t off = outer->off[d];
    for (int m = 0; m < outer->nout; m++) off += outer->a[d][m] * inner->off[m];
    r.off[d] = off;
    for (int k = 0; k < inner->nout; k++) {
      int64_t s = 0;
      for (int m = 0; m < outer->nout; m++) s += outer->a[d][m] * inner->a[m][k];
      r.a[d][k] = s;
    }
  }
  *out = r;
}

void affine_linear(const Affine *m, const int64_t *in_shape, int64_t *c0, int64_t *c) {
  int64_t stride[MAXDIM];
  int64_t s = 1;
  for (int d = m->nin - 1; d >= 0; d--) stride[d] = s, s *= in_shape[d];
  *c0 = 0;
  for (int k = 0; k < MAXDIM; k++) c[k] = 0;
  for (int d = 0; d < m->nin; d++) {
    *c0 += stride[d] * m->off[d];
    for (int k = 0; k < m->nout; k++) c[k] += stride[d] * m->a[d][k];
  }
}

bool affine_equal(const Affine *x, const Affine *y) {
  if (x->nin != y->nin || x->nout != y->nout) return false;
  for (int d = 0; d < x->nin; d++) {
    if (x->off[d] != y->off[d]) return false;
    for (int k = 0; k < x->nout; k++)
      if (x->a[d][k] != y->a[d][k]) return false;
  }
  return true;
}
