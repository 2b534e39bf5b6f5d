/* Unit tests of the inline helpers of runtime/cdrt.h that generated programs call for
 * maximum/minimum, the min/max reductions and argmin/argmax. Two kinds of checks:
 * - values checked against NumPy 1.24.2 (/usr/bin/python3, np.maximum, np.minimum,
 *   np.argmin, np.argmax on this machine's x86-64), written next to each case;
 * - exact properties: the helpers give, bit for bit, what the expressions generated
 *   programs computed before the helpers existed (those expressions are spelled out here),
 *   and argmin/argmax do not depend on the order the elements are folded in.
 * Where the historical expressions and NumPy differ (the sign of a zero that ties), the
 * helpers keep the historical bits: outputs must not change. */
#include "cdrt.h"
#include "test.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

static uint64_t bits64(double x) {
  uint64_t u;
  memcpy(&u, &x, sizeof u);
  return u;
}

static uint32_t bits32(float x) {
  uint32_t u;
  memcpy(&u, &x, sizeof u);
  return u;
}

static double nan_with_payload64(uint64_t payload) {
  uint64_t u = UINT64_C(0x7ff8000000000000) | payload;
  double x;
  memcpy(&x, &u, sizeof x);
  return x;
}

static float nan_with_payload32(uint32_t payload) {
  uint32_t u = UINT32_C(0x7fc00000) | payload;
  float x;
  memcpy(&x, &u, sizeof x);
  return x;
}

/* Values from NumPy 1.24.2. */
static void test_maximum_minimum_numpy(void) {
  /* np.maximum(1.0, 2.0) == 2.0, np.minimum(1.0, 2.0) == 1.0 */
  ASSERT(cdrt_maximum_f64(1.0, 2.0) == 2.0 && cdrt_maximum_f64(2.0, 1.0) == 2.0);
  ASSERT(cdrt_minimum_f64(1.0, 2.0) == 1.0 && cdrt_minimum_f64(2.0, 1.0) == 1.0);
  ASSERT(cdrt_maximum_f32(1.5f, -2.0f) == 1.5f && cdrt_minimum_f32(1.5f, -2.0f) == -2.0f);
  /* np.maximum(-inf, inf) == inf, np.minimum(-inf, inf) == -inf */
  ASSERT(cdrt_maximum_f64(-INFINITY, INFINITY) == INFINITY);
  ASSERT(cdrt_minimum_f64(-INFINITY, INFINITY) == -INFINITY);
  /* np.maximum(nan, 1.0), np.maximum(1.0, nan), np.minimum(nan, 1.0), np.minimum(1.0, nan),
   * np.maximum(-inf, nan), np.minimum(inf, nan): all nan (NaN propagates) */
  ASSERT(isnan(cdrt_maximum_f64(NAN, 1.0)) && isnan(cdrt_maximum_f64(1.0, NAN)));
  ASSERT(isnan(cdrt_minimum_f64(NAN, 1.0)) && isnan(cdrt_minimum_f64(1.0, NAN)));
  ASSERT(isnan(cdrt_maximum_f64(-INFINITY, NAN)) && isnan(cdrt_minimum_f64(INFINITY, NAN)));
  ASSERT(isnan(cdrt_maximum_f32(NAN, 1.0f)) && isnan(cdrt_maximum_f32(1.0f, NAN)));
  ASSERT(isnan(cdrt_minimum_f32(NAN, 1.0f)) && isnan(cdrt_minimum_f32(1.0f, NAN)));
  /* np.maximum(int32 -2147483648, int32 2147483647) == 2147483647, minimum the other */
  ASSERT(cdrt_maximum_i32(INT32_MIN, INT32_MAX) == INT32_MAX);
  ASSERT(cdrt_minimum_i32(INT32_MIN, INT32_MAX) == INT32_MIN);
  ASSERT(cdrt_maximum_i32(INT32_MAX, INT32_MIN) == INT32_MAX);
  /* np.maximum(int64 min, int64 max) == 9223372036854775807 */
  ASSERT(cdrt_maximum_i64(INT64_MIN, INT64_MAX) == INT64_MAX);
  ASSERT(cdrt_minimum_i64(INT64_MAX, INT64_MIN) == INT64_MIN);
  ASSERT(cdrt_maximum_i64(-1, 0) == 0 && cdrt_minimum_i64(-1, 0) == -1);
  /* np.maximum(True, False) is True, np.minimum(True, False) is False */
  ASSERT(cdrt_maximum_u8(1, 0) == 1 && cdrt_maximum_u8(0, 1) == 1);
  ASSERT(cdrt_minimum_u8(1, 0) == 0 && cdrt_minimum_u8(0, 1) == 0);
}

/* The NaN that propagates keeps its bits: a's when a is NaN, else b's. */
static void test_nan_bits(void) {
  double p = nan_with_payload64(1), q = nan_with_payload64(2);
  ASSERT(bits64(cdrt_maximum_f64(p, q)) == bits64(p));
  ASSERT(bits64(cdrt_minimum_f64(q, p)) == bits64(q));
  ASSERT(bits64(cdrt_maximum_f64(3.0, q)) == bits64(q));
  ASSERT(bits64(cdrt_minimum_f64(p, -3.0)) == bits64(p));
  float pf = nan_with_payload32(1), qf = nan_with_payload32(2);
  ASSERT(bits32(cdrt_maximum_f32(pf, qf)) == bits32(pf));
  ASSERT(bits32(cdrt_minimum_f32(qf, pf)) == bits32(qf));
  ASSERT(bits32(cdrt_maximum_f32(3.0f, qf)) == bits32(qf));
}

/* Equal operands give the first. So -0.0 and 0.0 give the first: the programs cdaskc
 * generated before the helpers did so. NumPy 1.24.2 returns the second (np.maximum(-0.0,
 * 0.0) is 0.0, np.maximum(0.0, -0.0) is -0.0, the same for minimum, float32 and float64, for
 * scalars and arrays of 1 to 1000 elements): a sign-of-zero difference kept on purpose. */
static void test_signed_zeros(void) {
  ASSERT(signbit(cdrt_maximum_f64(-0.0, 0.0)) && !signbit(cdrt_maximum_f64(0.0, -0.0)));
  ASSERT(signbit(cdrt_minimum_f64(-0.0, 0.0)) && !signbit(cdrt_minimum_f64(0.0, -0.0)));
  ASSERT(signbit(cdrt_maximum_f32(-0.0f, 0.0f)) && !signbit(cdrt_maximum_f32(0.0f, -0.0f)));
  ASSERT(signbit(cdrt_minimum_f32(-0.0f, 0.0f)) && !signbit(cdrt_minimum_f32(0.0f, -0.0f)));
}

/* The expressions the emitter printed before the helpers (emit_expr.c op_expr, and
 * emit_group.c emit_update for the reductions' acc = acc op v), bit for bit, over every pair
 * of a set with NaNs of two payloads, both zeros, both infinities and the extremes. */
static void test_same_as_emitted_expressions(void) {
  const double f[] = {nan_with_payload64(1),
                      nan_with_payload64(2),
                      -NAN,
                      -0.0,
                      0.0,
                      -INFINITY,
                      INFINITY,
                      1.0,
                      -1.0,
                      5e-324,
                      -1.7976931348623157e308};
  const int nf = (int)(sizeof f / sizeof f[0]);
  int same = 1;
  for (int i = 0; i < nf; i++) {
    for (int k = 0; k < nf; k++) {
      double a = f[i], b = f[k];
      double mx = (a != a || a >= b) ? a : b, mn = (a != a || a <= b) ? a : b;
      same &= bits64(cdrt_maximum_f64(a, b)) == bits64(mx);
      same &= bits64(cdrt_minimum_f64(a, b)) == bits64(mn);
      float af = (float)a, bf = (float)b;
      float mxf = (af != af || af >= bf) ? af : bf, mnf = (af != af || af <= bf) ? af : bf;
      same &= bits32(cdrt_maximum_f32(af, bf)) == bits32(mxf);
      same &= bits32(cdrt_minimum_f32(af, bf)) == bits32(mnf);
    }
  }
  ASSERT(same);
  const int64_t v[] = {INT64_MIN, INT64_MIN + 1, INT32_MIN, -1, 0, 1, INT32_MAX, INT64_MAX};
  const int nv = (int)(sizeof v / sizeof v[0]);
  same = 1;
  for (int i = 0; i < nv; i++) {
    for (int k = 0; k < nv; k++) {
      int64_t acc = v[i], x = v[k];
      /* elementwise: a >= b ? a : b; reduction updates: acc = x > acc ? x : acc */
      same &= cdrt_maximum_i64(acc, x) == (acc >= x ? acc : x);
      same &= cdrt_minimum_i64(acc, x) == (acc <= x ? acc : x);
      same &= cdrt_maximum_i64(acc, x) == (x > acc ? x : acc);
      same &= cdrt_minimum_i64(acc, x) == (x < acc ? x : acc);
      int32_t a32 = (int32_t)(uint32_t)(uint64_t)acc, x32 = (int32_t)(uint32_t)(uint64_t)x;
      same &= cdrt_maximum_i32(a32, x32) == (x32 > a32 ? x32 : a32);
      same &= cdrt_minimum_i32(a32, x32) == (x32 < a32 ? x32 : a32);
      same &= cdrt_maximum_i32(a32, x32) == (a32 >= x32 ? a32 : x32);
    }
  }
  for (uint8_t a = 0; a < 2; a++) {
    for (uint8_t b = 0; b < 2; b++) {
      same &= cdrt_maximum_u8(a, b) == (b > a ? b : a);
      same &= cdrt_minimum_u8(a, b) == (b < a ? b : a);
    }
  }
  ASSERT(same);
}

/* argmin and argmax of n values by folding the helper from first to last, or from last to
 * first (the combine of chunk partials folds in another order). */
#define ARG_FOLD(NAME, S, T)                                                                       \
  static int64_t NAME##_##S(const T *x, int n, int reverse) {                                      \
    T acc = 0;                                                                                     \
    int64_t acci = -1;                                                                             \
    for (int k = 0; k < n; k++) {                                                                  \
      int i = reverse ? n - 1 - k : k;                                                             \
      if (cdrt_##NAME##_takes_##S(acc, acci, x[i], i)) acc = x[i], acci = i;                       \
    }                                                                                              \
    return acci;                                                                                   \
  }
#define ARG_FOLDS(S, T) ARG_FOLD(argmin, S, T) ARG_FOLD(argmax, S, T)
ARG_FOLDS(f64, double)
ARG_FOLDS(f32, float)
ARG_FOLDS(i64, int64_t)
ARG_FOLDS(i32, int32_t)
ARG_FOLDS(u8, uint8_t)

/* Both fold orders give NumPy's answer. */
#define EXPECT_ARG(S, x, n, want_min, want_max)                                                    \
  do {                                                                                             \
    ASSERT(argmin_##S(x, n, 0) == (want_min) && argmin_##S(x, n, 1) == (want_min));                \
    ASSERT(argmax_##S(x, n, 0) == (want_max) && argmax_##S(x, n, 1) == (want_max));                \
  } while (0)

/* Each case: np.argmin(a), np.argmax(a) of NumPy 1.24.2, the same for float32 and float64. */
static void test_arg_float_numpy(void) {
  const double c1[] = {1.0, NAN, 2.0, NAN};   /* 1 1: the first NaN wins */
  const double c2[] = {3.0, 5.0, 5.0, 1.0};   /* 3 1: ties to the smaller index */
  const double c3[] = {-0.0, 0.0};            /* 0 0: -0.0 == 0.0, a tie */
  const double c4[] = {0.0, -0.0};            /* 0 0 */
  const double c5[] = {NAN, NAN};             /* 0 0 */
  const double c6[] = {1.0, NAN, NAN};        /* 1 1 */
  const double c7[] = {-INFINITY, -INFINITY}; /* 0 0 */
  const double c8[] = {INFINITY, INFINITY};   /* 0 0 */
  const double c9[] = {2.0, -INFINITY, INFINITY, INFINITY, -INFINITY}; /* 1 2 */
  const double c10[] = {7.0};                                          /* 0 0 */
  const double *cases[] = {c1, c2, c3, c4, c5, c6, c7, c8, c9, c10};
  const int lens[] = {4, 4, 2, 2, 2, 3, 2, 2, 5, 1};
  const int64_t want_min[] = {1, 3, 0, 0, 0, 1, 0, 0, 1, 0};
  const int64_t want_max[] = {1, 1, 0, 0, 0, 1, 0, 0, 2, 0};
  for (int c = 0; c < 10; c++) {
    float x32[8];
    for (int i = 0; i < lens[c]; i++) x32[i] = (float)cases[c][i];
    EXPECT_ARG(f64, cases[c], lens[c], want_min[c], want_max[c]);
    EXPECT_ARG(f32, x32, lens[c], want_min[c], want_max[c]);
  }
}

static void test_arg_int_numpy(void) {
  const int64_t a[] = {3, 1, 5, 1, 5}; /* np.argmin 1, np.argmax 2 */
  EXPECT_ARG(i64, a, 5, 1, 2);
  const int64_t b[] = {INT64_MIN, INT64_MIN}; /* 0 0 */
  EXPECT_ARG(i64, b, 2, 0, 0);
  const int64_t c[] = {INT64_MAX, INT64_MIN, INT64_MAX}; /* 1 0 */
  EXPECT_ARG(i64, c, 3, 1, 0);
  const int32_t d[] = {INT32_MIN, INT32_MAX, INT32_MIN, INT32_MAX}; /* int32: 0 1 */
  EXPECT_ARG(i32, d, 4, 0, 1);
  const uint8_t e[] = {0, 1, 1, 0}; /* [False, True, True, False]: 0 1 */
  EXPECT_ARG(u8, e, 4, 0, 1);
  const uint8_t f[] = {1, 1}; /* 0 0 */
  EXPECT_ARG(u8, f, 2, 0, 0);
}

/* The conditions emit_arg_update printed before the helpers, over every pair of states of
 * a small set (values with NaNs and ties, indices -1 for empty, 0, 1). */
static void test_arg_same_as_emitted(void) {
  const double f[] = {NAN, -0.0, 0.0, 1.0, -INFINITY, INFINITY};
  const int64_t idx[] = {-1, 0, 1};
  int same = 1;
  for (int a = 0; a < 6; a++)
    for (int v = 0; v < 6; v++)
      for (int ai = 0; ai < 3; ai++)
        for (int vi = 1; vi < 3; vi++) {
          double acc = f[a], x = f[v];
          int64_t acci = idx[ai], i = idx[vi];
          int mn = acci < 0 || (x != x ? (acc == acc || i < acci)
                                       : (acc == acc && (x < acc || (x == acc && i < acci))));
          int mx = acci < 0 || (x != x ? (acc == acc || i < acci)
                                       : (acc == acc && (x > acc || (x == acc && i < acci))));
          same &= cdrt_argmin_takes_f64(acc, acci, x, i) == mn;
          same &= cdrt_argmax_takes_f64(acc, acci, x, i) == mx;
          same &= cdrt_argmin_takes_f32((float)acc, acci, (float)x, i) == mn;
          same &= cdrt_argmax_takes_f32((float)acc, acci, (float)x, i) == mx;
          if (acc == acc && x == x && !isinf(acc) && !isinf(x)) {
            int64_t ia = (int64_t)acc, ix = (int64_t)x;
            same &= cdrt_argmin_takes_i64(ia, acci, ix, i) ==
                    (acci < 0 || ix < ia || (ix == ia && i < acci));
            same &= cdrt_argmax_takes_i32((int32_t)ia, acci, (int32_t)ix, i) ==
                    (acci < 0 || ix > ia || (ix == ia && i < acci));
          }
        }
  ASSERT(same);
}

/* Folding order does not matter: random arrays with many ties and NaNs give the same index
 * folded forwards and backwards, and it is the first index of the extreme (or of the first
 * NaN), computed here directly. */
static void test_arg_order_free(void) {
  uint64_t s = 12345;
  for (int trial = 0; trial < 200; trial++) {
    double x[40];
    int n = 1 + trial % 40;
    for (int i = 0; i < n; i++) {
      s = s * 6364136223846793005u + 1442695040888963407u;
      int r = (int)(s >> 59); /* 0..31 */
      x[i] = r == 0 ? NAN : r < 4 ? -0.0 : (double)(r % 5);
    }
    int64_t first_nan = -1, lo = 0, hi = 0;
    for (int i = n - 1; i >= 0; i--)
      if (x[i] != x[i]) first_nan = i;
    for (int i = 0; i < n && first_nan < 0; i++) { /* no NaN: the first strict extreme */
      if (x[i] < x[lo]) lo = i;
      if (x[i] > x[hi]) hi = i;
    }
    int64_t want_min = first_nan >= 0 ? first_nan : lo, want_max = first_nan >= 0 ? first_nan : hi;
    EXPECT_ARG(f64, x, n, want_min, want_max);
  }
}

int main(void) {
  test_maximum_minimum_numpy();
  test_nan_bits();
  test_signed_zeros();
  test_same_as_emitted_expressions();
  test_arg_float_numpy();
  test_arg_int_numpy();
  test_arg_same_as_emitted();
  test_arg_order_free();
  TEST_END();
}
