/* xsum.c: the exact sum of doubles (with CDRT_WITH_CSV), rounded once at the end. A
 * dataframe's float sums are split over blocks whose bounds depend on the block size and
 * the ranks; an exact accumulator makes the sum a function of the values alone, so every
 * split gives the same bits (and the correctly rounded sum, closer than pandas' pairwise
 * one). No Debian library offers one (Radford Neal's xsum, the best known, is not
 * packaged), hence this.
 *
 * The accumulator is a fixed-point number: limb k weighs 2^(32 k - 1074), so every double
 * (a 53-bit integer times 2^(e - 1074), 0 <= e <= 2045) lands on at most three limbs. Limbs
 * are int64 holding 32-bit digits plus carries: 2^30 additions fit before the carries
 * must be propagated (cdrt_xsum_add counts them). */
#include "cdrt.h"

#ifdef CDRT_WITH_CSV
#include <math.h>
#include <stdbool.h>
#include <string.h>

enum { XSUM_CARRY_EVERY = 1 << 30 };

void cdrt_xsum_init(cdrt_xsum *s) {
  memset(s, 0, sizeof *s);
}

/* Every limb but the last into [0, 2^32); the last keeps the sign. */
static void xsum_carry(cdrt_xsum *s) {
  for (int k = 0; k < CDRT_XSUM_LIMBS - 1; k++) {
    int64_t c = s->limb[k] >> 32; /* floor division by 2^32 (arithmetic shift) */
    s->limb[k] -= (int64_t)((uint64_t)c << 32);
    s->limb[k + 1] += c;
  }
  s->adds = 0;
}

void cdrt_xsum_add_slow(cdrt_xsum *s, double x) {
  if (isnan(x)) {
    s->nan = 1;
    return;
  }
  if (isinf(x)) {
    if (x > 0)
      s->pinf = 1;
    else
      s->ninf = 1;
    return;
  }
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  int e = (int)((bits >> 52) & 0x7ff);
  uint64_t m = bits & ((UINT64_C(1) << 52) - 1);
  if (e)
    m |= UINT64_C(1) << 52;
  else
    e = 1; /* subnormal: the same scale as the smallest normal */
  if (!m) return;
  int p = e - 1; /* the position of m's bit 0 above 2^-1074 */
  int k = p >> 5, sh = p & 31;
  int64_t d0 = (int64_t)((m << sh) & 0xffffffffu);
  int64_t d1 = (int64_t)(sh ? (m >> (32 - sh)) & 0xffffffffu : (m >> 32) & 0xffffffffu);
  int64_t d2 = (int64_t)(sh ? m >> (64 - sh) : 0);
  if (bits >> 63) d0 = -d0, d1 = -d1, d2 = -d2;
  s->limb[k] += d0, s->limb[k + 1] += d1, s->limb[k + 2] += d2;
  if (++s->adds >= XSUM_CARRY_EVERY) xsum_carry(s);
}

void cdrt_xsum_merge(cdrt_xsum *s, const cdrt_xsum *t) {
  cdrt_xsum u = *t;
  xsum_carry(&u);
  xsum_carry(s);
  for (int k = 0; k < CDRT_XSUM_LIMBS; k++) s->limb[k] += u.limb[k];
  s->adds = 1;
  s->nan |= t->nan, s->pinf |= t->pinf, s->ninf |= t->ninf;
}

/* Bit i of the magnitude in limbs (every limb in [0, 2^32)). */
static int xsum_bit(const int64_t *limb, int i) {
  return i < 0 ? 0 : (int)((limb[i >> 5] >> (i & 31)) & 1);
}

double cdrt_xsum_round(const cdrt_xsum *s) {
  if (s->nan || (s->pinf && s->ninf)) return NAN;
  if (s->pinf) return INFINITY;
  if (s->ninf) return -INFINITY;
  cdrt_xsum u = *s;
  xsum_carry(&u);
  bool neg = u.limb[CDRT_XSUM_LIMBS - 1] < 0;
  if (neg) { /* the magnitude: negate every limb, then carry again */
    for (int k = 0; k < CDRT_XSUM_LIMBS; k++) u.limb[k] = -u.limb[k];
    xsum_carry(&u);
  }
  int top = CDRT_XSUM_LIMBS - 1;
  while (top >= 0 && !u.limb[top]) top--;
  if (top < 0) return 0.0;
  int lead = 32 * top + 63 - __builtin_clzll((uint64_t)u.limb[top]); /* the leading bit */
  int shift = lead > 52 ? lead - 52 : 0;
  uint64_t m = 0;
  for (int i = 52; i >= 0; i--) m = m << 1 | (uint64_t)xsum_bit(u.limb, shift + i);
  if (shift) { /* round to nearest, ties to even */
    int half = xsum_bit(u.limb, shift - 1), sticky = 0;
    for (int i = shift - 2; i >= 0 && !sticky; i--) sticky = xsum_bit(u.limb, i);
    if (half && (sticky || (m & 1))) m++;
  }
  double r = ldexp((double)m, shift - 1074);
  return neg ? -r : r;
}

/* The sum as an unevaluated pair hi + lo (hi the rounded sum, lo the rounded rest): 106
 * bits, for the variance's cancellation. */
void cdrt_xsum_round2(const cdrt_xsum *s, double *hi, double *lo) {
  *hi = cdrt_xsum_round(s);
  *lo = 0;
  if (!isfinite(*hi)) return;
  cdrt_xsum r = *s;
  cdrt_xsum_add(&r, -*hi);
  *lo = cdrt_xsum_round(&r);
}
#endif
