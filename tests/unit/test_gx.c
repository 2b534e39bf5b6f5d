/* xsum.c's group sums (cdrt_gx): a window of four limbs that moves, or spills into a whole
 * cdrt_xsum. Whatever the values' spread and however they are split into blocks and
 * merged, the rounded sum (and its 106-bit pair) must be the whole accumulator's, to the
 * bit; sums of integers must be the exact integer sum, correctly rounded. */
#include "cdrt.h"
#include "test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int same(double a, double b) {
  return memcmp(&a, &b, sizeof a) == 0 || (isnan(a) && isnan(b));
}

static uint64_t rng = 0x9e3779b97f4a7c15u;
static uint64_t next(void) { /* xorshift64* */
  rng ^= rng >> 12, rng ^= rng << 25, rng ^= rng >> 27;
  return rng * 0x2545f4914f6cdd1du;
}
static double uniform(void) {
  return (double)(next() >> 11) / 9007199254740992.0;
}

/* A value of spread `kind`: 0 one binade, 1 decimals in [0, 100), 2 2^-40..2^40, 3 the
 * whole range with subnormals, 4 cancelling huge and tiny values, 5 rare infinities */
static double value(int kind) {
  double sign = next() & 1 ? -1 : 1;
  switch (kind) {
  case 0: return sign * (1 + uniform());
  case 1: return round(uniform() * 100e6) / 1e6;
  case 2: return sign * ldexp(1 + uniform(), (int)(next() % 81) - 40);
  case 3: {
    uint64_t bits = next() & ~(UINT64_C(0x7ff) << 52);
    bits |= (next() % 2046) << 52; /* finite, subnormals included */
    double x;
    memcpy(&x, &bits, sizeof x);
    return x;
  }
  case 4: return next() % 4 ? sign * 1e300 * uniform() : sign * 1e-300 * uniform();
  default: return next() % 500 ? sign * uniform() : sign * INFINITY;
  }
}

/* The rounding of a whole accumulator as the test's own bit by bit reading of its limbs:
 * carried, made a magnitude, 53 bits from the leading one, rounded to nearest even */
enum { N = CDRT_XSUM_LIMBS };
static void ref_carry(int64_t *l) {
  for (int k = 0; k < N - 1; k++) {
    int64_t c = l[k] >> 32;
    l[k] -= c * (INT64_C(1) << 32), l[k + 1] += c;
  }
}
static int ref_bit(const int64_t *l, int i) {
  return i < 0 ? 0 : (int)((l[i >> 5] >> (i & 31)) & 1);
}
static double ref_round(const cdrt_xsum *s) {
  if (s->nan || (s->pinf && s->ninf)) return NAN;
  if (s->pinf || s->ninf) return s->pinf ? INFINITY : -INFINITY;
  int64_t l[N];
  memcpy(l, s->limb, sizeof l);
  ref_carry(l);
  int neg = l[N - 1] < 0;
  if (neg) {
    for (int k = 0; k < N; k++) l[k] = -l[k];
    ref_carry(l);
  }
  int top = N - 1;
  while (top >= 0 && !l[top]) top--;
  if (top < 0) return 0.0;
  int lead = 32 * top + 63 - __builtin_clzll((uint64_t)l[top]);
  int shift = lead > 52 ? lead - 52 : 0;
  uint64_t m = 0;
  for (int i = 52; i >= 0; i--) m = m << 1 | (uint64_t)ref_bit(l, shift + i);
  int half = ref_bit(l, shift - 1), sticky = 0;
  for (int i = shift - 2; i >= 0 && !sticky; i--) sticky = ref_bit(l, i);
  if (half && (sticky || (m & 1))) m++;
  double r = ldexp((double)m, shift - 1074);
  return neg ? -r : r;
}

/* v[0, n) split into nb blocks at random, each block's sum in its own pool (a block's
 * table), merged in order into a total of another pool; against one cdrt_xsum */
static void check_split(const double *v, int n, int nb) {
  cdrt_xsum ref;
  cdrt_xsum_init(&ref);
  for (int i = 0; i < n; i++) cdrt_xsum_add(&ref, v[i]);
  cdrt_gx total = {0};
  cdrt_xpool tp = {0};
  int at = 0;
  for (int b = 0; b < nb; b++) {
    int end = b == nb - 1 ? n : at + (int)(next() % (uint64_t)(n - at + 1));
    cdrt_gx g = {0};
    cdrt_xpool p = {0};
    for (; at < end; at++) cdrt_gx_add(&g, v[at], &p);
    cdrt_gx_merge(&total, &tp, &g, &p);
    cdrt_xpool_free(&p);
  }
  ASSERT(same(cdrt_xsum_round(&ref), ref_round(&ref)));
  ASSERT(same(cdrt_gx_round(&total, &tp), cdrt_xsum_round(&ref)));
  double hi, lo, rhi, rlo;
  cdrt_gx_round2(&total, &tp, &hi, &lo);
  cdrt_xsum_round2(&ref, &rhi, &rlo);
  ASSERT(same(hi, rhi) && same(lo, rlo));
  cdrt_xpool_free(&tp);
}

static void check_spreads(void) {
  static double v[4096];
  for (int kind = 0; kind <= 5; kind++)
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + (int)(next() % 4096);
      for (int i = 0; i < n; i++) v[i] = value(kind);
      if (trial % 3 == 0) /* mixed: another spread here and there */
        for (int i = 0; i < n; i += 7) v[i] = value((int)(next() % 5));
      check_split(v, n, 1);
      check_split(v, n, 1 + (int)(next() % 16));
    }
}

/* Integers up to 2^40 and their exact sum: correctly rounded, whatever the split */
static void check_integers(void) {
  for (int trial = 0; trial < 300; trial++) {
    cdrt_gx a = {0}, b = {0};
    cdrt_xpool p = {0};
    int64_t exact = 0;
    int n = 1 + (int)(next() % 3000);
    for (int i = 0; i < n; i++) {
      int64_t x = (int64_t)(next() % (UINT64_C(1) << 41)) - (INT64_C(1) << 40);
      if (trial % 2) x <<= next() % 12; /* some beyond 2^53: rounded by the sum only */
      exact += x;
      cdrt_gx_add(i % 2 ? &a : &b, (double)x, &p);
    }
    cdrt_gx_merge(&a, &p, &b, &p);
    ASSERT(same(cdrt_gx_round(&a, &p), (double)exact));
    cdrt_xpool_free(&p);
  }
}

static void check_known(void) {
  cdrt_xpool p = {0};
  cdrt_gx a = {0};
  double v[] = {1e16, 1, -1e16};
  for (int i = 0; i < 3; i++) cdrt_gx_add(&a, v[i], &p);
  ASSERT(same(cdrt_gx_round(&a, &p), 1.0));
  ASSERT(a.spill == 1); /* 1 lies 2^53 below 1e16: five limbs apart */
  cdrt_xpool_free(&p);
  cdrt_gx t = {0}; /* math.fsum([0.1] * 10) == 1.0 */
  for (int i = 0; i < 10; i++) cdrt_gx_add(&t, 0.1, &p);
  ASSERT(same(cdrt_gx_round(&t, &p), 1.0));
  cdrt_gx z = {0}; /* x - x: +0.0 */
  cdrt_gx_add(&z, -0.5, &p), cdrt_gx_add(&z, 0.5, &p);
  ASSERT(same(cdrt_gx_round(&z, &p), 0.0));
  cdrt_gx e = {0}; /* nothing added */
  ASSERT(same(cdrt_gx_round(&e, &p), 0.0));
  cdrt_gx inf = {0}; /* +inf and -inf: NaN */
  cdrt_gx_add(&inf, INFINITY, &p), cdrt_gx_add(&inf, 1, &p);
  ASSERT(cdrt_gx_round(&inf, &p) == INFINITY);
  cdrt_gx_add(&inf, -INFINITY, &p);
  ASSERT(isnan(cdrt_gx_round(&inf, &p)));
  cdrt_gx big = {0}; /* DBL_MAX twice: +inf, as the exact sum rounds */
  cdrt_gx_add(&big, 1.7976931348623157e308, &p), cdrt_gx_add(&big, 1.7976931348623157e308, &p);
  ASSERT(cdrt_gx_round(&big, &p) == INFINITY);
  ASSERT(p.n == 2 && inf.spill == 1 && big.spill == 2); /* values of limb 63 spill */
  cdrt_xpool_free(&p);
}

/* Many additions (carries every 2^16) of one value: n x exactly, in the window */
static void check_carries(void) {
  cdrt_xpool p = {0};
  cdrt_gx a = {0};
  double x = 0.7390851332151607;
  int64_t n = 3 << 18;
  for (int64_t i = 0; i < n; i++) cdrt_gx_add(&a, x, &p);
  cdrt_xsum r;
  cdrt_xsum_init(&r);
  for (int64_t i = 0; i < n; i++) cdrt_xsum_add(&r, x);
  ASSERT(same(cdrt_gx_round(&a, &p), cdrt_xsum_round(&r)));
  ASSERT(p.n == 0 && a.spill == 0);
  /* a top limb at the most it may hold is moved up at the next carry, or spilled */
  cdrt_gx t = {.limb = {0, 5, 0, INT64_C(1) << 61}, .base = 40};
  double before = cdrt_gx_round(&t, &p);
  cdrt_gx_carry(&t, &p);
  ASSERT(t.base == 41 && t.spill == 0 && same(cdrt_gx_round(&t, &p), before));
  cdrt_gx s = {.limb = {3, 5, 0, INT64_C(1) << 61}, .base = 40};
  before = cdrt_gx_round(&s, &p);
  cdrt_gx_carry(&s, &p);
  ASSERT(s.spill == 1 && same(cdrt_gx_round(&s, &p), before));
  cdrt_xpool_free(&p);
}

/* cdrt_prod_err (Dekker's product where the target has no fma) is fma's exact error */
static void check_products(void) {
  int bad = 0;
  for (int i = 0; i < 200000; i++) {
    double x = value((int)(next() % 3)) * ldexp(1, (int)(next() % 400) - 200);
    double y = i % 3 ? value((int)(next() % 3)) : x;
    if (i % 1000 == 0) x = ldexp(1.5, 1000); /* beyond the split's range: fma itself */
    double q = x * y;
    bad += !same(cdrt_prod_err(x, y, q), fma(x, y, -q));
  }
  ASSERT(bad == 0);
}

int main(void) {
  check_products();
  check_known();
  check_carries();
  check_integers();
  check_spreads();
  TEST_END();
}
