/* Unit tests of compiler/affine.c, the index maps of views: hand-worked maps (the
 * arithmetic in the comments), then properties on random maps and index vectors, checked
 * against an independent evaluation of in[d] = off[d] + sum_k a[d][k] * out[k]. */
#include "cdask.h"
#include "test.h"

#include <string.h>

/* The input index a map gives for the output index o: the definition, evaluated directly. */
static void apply(const Affine *m, const int64_t *o, int64_t *in) {
  for (int d = 0; d < m->nin; d++) {
    in[d] = m->off[d];
    for (int k = 0; k < m->nout; k++) in[d] += m->a[d][k] * o[k];
  }
}

/* Zero everywhere outside the nin x nout block (so that equal maps are equal bytes). */
static bool zero_outside(const Affine *m) {
  for (int d = 0; d < MAXDIM; d++) {
    if (d >= m->nin && m->off[d] != 0) return false;
    for (int k = 0; k < MAXDIM; k++)
      if ((d >= m->nin || k >= m->nout) && m->a[d][k] != 0) return false;
  }
  return true;
}

static Affine map2(int nin, int nout, const int64_t *off, const int64_t (*a)[2]) {
  Affine m;
  memset(&m, 0, sizeof m);
  m.nin = nin, m.nout = nout;
  for (int d = 0; d < nin; d++) {
    m.off[d] = off[d];
    for (int k = 0; k < nout; k++) m.a[d][k] = a[d][k];
  }
  return m;
}

static void test_identity(void) {
  Affine m;
  memset(&m, 0x5a, sizeof m); /* garbage first: identity must overwrite all of it */
  affine_identity(&m, 3);
  ASSERT(m.nin == 3 && m.nout == 3);
  int64_t o[3] = {7, -2, 11}, in[3];
  apply(&m, o, in);
  ASSERT(in[0] == 7 && in[1] == -2 && in[2] == 11);
  ASSERT(m.a[0][0] == 1 && m.a[1][1] == 1 && m.a[2][2] == 1 && m.a[0][1] == 0);
  ASSERT(zero_outside(&m));
  Affine z;
  affine_identity(&z, 0); /* a 0-d array's view of a 0-d array */
  ASSERT(z.nin == 0 && z.nout == 0 && zero_outside(&z));
}

/* a has shape (4, 5). t = a.T, shape (5, 4): t[o0, o1] = a[o1, o0], so
 *   T: in = [0 + 0*o0 + 1*o1, 0 + 1*o0 + 0*o1].
 * s = t["::-2, ::-1"], shape (3, 4): s[o0, o1] = t[4 - 2*o0, 3 - o1], so
 *   S: in = [4 - 2*o0 + 0*o1, 3 + 0*o0 - 1*o1].
 * s as a view of a is T o S: a[(S o)_1, (S o)_0] = a[3 - o1, 4 - 2*o0]:
 *   off = (3, 4), a = [[0, -1], [-2, 0]].
 * Its linear index in a (row-major strides 5, 1): 5*(3 - o1) + 1*(4 - 2*o0)
 *   = 19 - 2*o0 - 5*o1: c0 = 19, c = (-2, -5) (tests/dumps/views.lua shows the same). */
static void test_transpose_of_reversed_slice(void) {
  const int64_t toff[2] = {0, 0}, ta[2][2] = {{0, 1}, {1, 0}};
  const int64_t soff[2] = {4, 3}, sa[2][2] = {{-2, 0}, {0, -1}};
  Affine t = map2(2, 2, toff, ta), s = map2(2, 2, soff, sa), r;
  affine_compose(&r, &t, &s);
  const int64_t roff[2] = {3, 4}, ra[2][2] = {{0, -1}, {-2, 0}};
  Affine want = map2(2, 2, roff, ra);
  ASSERT(affine_equal(&r, &want));
  ASSERT(r.off[0] == 3 && r.off[1] == 4 && r.a[0][1] == -1 && r.a[1][0] == -2);
  ASSERT(r.a[0][0] == 0 && r.a[1][1] == 0 && zero_outside(&r));
  int64_t shape[2] = {4, 5}, c0, c[MAXDIM];
  affine_linear(&r, shape, &c0, c);
  ASSERT(c0 == 19 && c[0] == -2 && c[1] == -5);
  for (int k = 2; k < MAXDIM; k++) ASSERT(c[k] == 0);
  /* s[2, 3] is a[3 - 3, 4 - 4] = a[0, 0], linear index 19 - 4 - 15 = 0 */
  ASSERT(c0 + 2 * c[0] + 3 * c[1] == 0);
}

/* Maps between different ranks. inner (3-D output to 2-D): x[o0, o1, o2] = y[2 + o2,
 * 7 - 3*o0] (an integer index and a strided reversal); outer (2-D output to 1-D): a row
 * broadcast, y[p0, p1] = v[p1]. So x[o0, o1, o2] = v[7 - 3*o0]: nin 1, nout 3,
 * off = (7), a = [[-3, 0, 0]]. Composed the other way nothing type-checks, so only this. */
static void test_ranks(void) {
  Affine inner, outer, r;
  memset(&inner, 0, sizeof inner);
  memset(&outer, 0, sizeof outer);
  inner.nin = 2, inner.nout = 3;
  inner.off[0] = 2, inner.a[0][2] = 1;
  inner.off[1] = 7, inner.a[1][0] = -3;
  outer.nin = 1, outer.nout = 2;
  outer.a[0][1] = 1;
  affine_compose(&r, &outer, &inner);
  ASSERT(r.nin == 1 && r.nout == 3);
  ASSERT(r.off[0] == 7 && r.a[0][0] == -3 && r.a[0][1] == 0 && r.a[0][2] == 0);
  ASSERT(zero_outside(&r));
  /* affine_linear of inner into y of shape (6, 10), strides (10, 1):
   * c0 = 10*2 + 1*7 = 27, c = (1*(-3), 0, 10*1) = (-3, 0, 10) */
  int64_t shape[2] = {6, 10}, c0, c[MAXDIM];
  affine_linear(&inner, shape, &c0, c);
  ASSERT(c0 == 27 && c[0] == -3 && c[1] == 0 && c[2] == 10);
  /* 3-D input of shape (2, 3, 4), strides (12, 4, 1); in = [1, o0, 2 - o1]:
   * c0 = 12*1 + 4*0 + 1*2 = 14, c = (4, -1) */
  Affine m;
  memset(&m, 0, sizeof m);
  m.nin = 3, m.nout = 2;
  m.off[0] = 1, m.off[2] = 2, m.a[1][0] = 1, m.a[2][1] = -1;
  int64_t shape3[3] = {2, 3, 4};
  affine_linear(&m, shape3, &c0, c);
  ASSERT(c0 == 14 && c[0] == 4 && c[1] == -1 && c[2] == 0);
}

static void test_equal(void) {
  const int64_t off[2] = {1, 2}, a[2][2] = {{1, 0}, {0, -1}};
  Affine x = map2(2, 2, off, a), y = x;
  ASSERT(affine_equal(&x, &x) && affine_equal(&x, &y));
  y.off[1] = 3;
  ASSERT(!affine_equal(&x, &y));
  y = x, y.a[1][0] = 1;
  ASSERT(!affine_equal(&x, &y));
  y = x, y.nout = 1; /* the same coefficients read as another rank */
  ASSERT(!affine_equal(&x, &y));
  y = x, y.nin = 1;
  ASSERT(!affine_equal(&x, &y));
}

/* splitmix64: a fixed sequence, so a failure reproduces */
static uint64_t rng_state = 0x243f6a8885a308d3u;
static uint64_t next(void) {
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}
static int64_t uniform(int64_t lo, int64_t hi) {
  return lo + (int64_t)(next() % (uint64_t)(hi - lo + 1));
}

static Affine random_map(int nin, int nout) {
  Affine m;
  memset(&m, 0, sizeof m);
  m.nin = nin, m.nout = nout;
  for (int d = 0; d < nin; d++) {
    m.off[d] = uniform(-50, 50);
    for (int k = 0; k < nout; k++) m.a[d][k] = next() % 3 ? uniform(-3, 3) : 0;
  }
  return m;
}

/* Composing maps is applying them one after the other, on random maps of random ranks
 * and random index vectors; identity is neutral, composition associative, and the
 * linear form of a map gives the row-major index of the element it reads. */
static void test_random(void) {
  int bad_apply = 0, bad_linear = 0, bad_law = 0, bad_zero = 0;
  for (int t = 0; t < 3000; t++) {
    int n0 = (int)uniform(0, MAXDIM), n1 = (int)uniform(0, MAXDIM);
    int n2 = (int)uniform(0, MAXDIM), n3 = (int)uniform(0, MAXDIM);
    Affine outer = random_map(n0, n1), inner = random_map(n1, n2), first = random_map(n2, n3);
    Affine r, id, left, right, ab, bc;
    affine_compose(&r, &outer, &inner);
    bad_zero += !zero_outside(&r) || r.nin != n0 || r.nout != n2;
    for (int v = 0; v < 4; v++) {
      int64_t o[MAXDIM], mid[MAXDIM], want[MAXDIM], got[MAXDIM];
      for (int k = 0; k < n2; k++) o[k] = uniform(-1000, 1000);
      apply(&inner, o, mid);
      apply(&outer, mid, want);
      apply(&r, o, got);
      bad_apply += n0 && memcmp(got, want, sizeof(int64_t) * (size_t)n0) != 0;
    }
    affine_identity(&id, n0);
    affine_compose(&left, &id, &outer);
    affine_identity(&id, n1);
    affine_compose(&right, &outer, &id);
    affine_compose(&ab, &r, &first); /* (outer o inner) o first */
    affine_compose(&bc, &inner, &first);
    affine_compose(&bc, &outer, &bc); /* outer o (inner o first), output aliasing input */
    bad_law +=
        !affine_equal(&left, &outer) || !affine_equal(&right, &outer) || !affine_equal(&ab, &bc);
    /* linear index (a linear identity: it holds for indices outside the shape too) */
    int64_t shape[MAXDIM], o[MAXDIM], in[MAXDIM], c0, c[MAXDIM];
    for (int d = 0; d < n0; d++) shape[d] = uniform(1, 9);
    for (int k = 0; k < n2; k++) o[k] = uniform(-20, 20);
    affine_linear(&r, shape, &c0, c);
    apply(&r, o, in);
    int64_t want = 0, got = c0;
    for (int d = 0; d < n0; d++) want = want * shape[d] + in[d]; /* Horner: row-major */
    for (int k = 0; k < n2; k++) got += c[k] * o[k];
    for (int k = n2; k < MAXDIM; k++) bad_linear += c[k] != 0;
    bad_linear += got != want;
  }
  ASSERT(bad_zero == 0);
  ASSERT(bad_apply == 0);
  ASSERT(bad_law == 0);
  ASSERT(bad_linear == 0);
}

int main(void) {
  test_identity();
  test_transpose_of_reversed_slice();
  test_ranks();
  test_equal();
  test_random();
  TEST_END();
}
