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
 * must be propagated (cdrt_xsum_add counts them).
 *
 * A groupby keeps one sum per group and aggregation, and a cdrt_xsum is 576 bytes: a group
 * keeps four of its limbs instead (cdrt_gx, 40 bytes), which hold the values of one
 * column in a group unless they lie 2^32 or more apart; the rare group that outgrows them
 * spills into a whole cdrt_xsum. */
#include "cdrt.h"

#ifdef CDRT_WITH_CSV
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum { XSUM_CARRY_EVERY = 1 << 30 };

void cdrt_xsum_init(cdrt_xsum *s) {
  memset(s, 0, sizeof *s);
}

/* Every limb of n but the last into [0, 2^32); the last keeps the sign. */
static void limbs_carry(int64_t *limb, int n) {
  for (int k = 0; k < n - 1; k++) {
    int64_t c = limb[k] >> 32; /* floor division by 2^32 (arithmetic shift) */
    limb[k] -= (int64_t)((uint64_t)c << 32);
    limb[k + 1] += c;
  }
}

static void xsum_carry(cdrt_xsum *s) {
  limbs_carry(s->limb, CDRT_XSUM_LIMBS);
  s->adds = 0;
}

/* A finite nonzero x's place: its limb k and its three digits (signed) */
static int place(double x, int64_t d[3]) {
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  int e = (int)((bits >> 52) & 0x7ff);
  uint64_t m = bits & ((UINT64_C(1) << 52) - 1);
  if (e)
    m |= UINT64_C(1) << 52;
  else
    e = 1;       /* subnormal: the same scale as the smallest normal */
  int p = e - 1; /* the position of m's bit 0 above 2^-1074 */
  int sh = p & 31;
  d[0] = (int64_t)((m << sh) & 0xffffffffu);
  d[1] = (int64_t)(sh ? (m >> (32 - sh)) & 0xffffffffu : (m >> 32) & 0xffffffffu);
  d[2] = (int64_t)(sh ? m >> (64 - sh) : 0);
  if (bits >> 63) d[0] = -d[0], d[1] = -d[1], d[2] = -d[2];
  return p >> 5;
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
  if (x == 0) return;
  int64_t d[3];
  int k = place(x, d);
  s->limb[k] += d[0], s->limb[k + 1] += d[1], s->limb[k + 2] += d[2];
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

/* Bits [from, from + n) of the magnitude in limbs (every limb in [0, 2^32); n <= 53, bits
 * below 0 are 0) */
static uint64_t limbs_bits(const int64_t *limb, int from, int n) {
  uint64_t r = 0;
  for (int k = from >> 5; k <= (from + n - 1) >> 5; k++) {
    int sh = 32 * k - from; /* where limb k's bit 0 lands */
    if (k < 0) continue;
    r |= sh >= 0 ? (uint64_t)limb[k] << sh : (uint64_t)limb[k] >> -sh;
  }
  return r & ((UINT64_C(1) << n) - 1);
}

/* Whether a bit below bit `below` is set */
static bool limbs_any_below(const int64_t *limb, int below) {
  if (below <= 0) return false;
  for (int k = 0; k < below >> 5; k++)
    if (limb[k]) return true;
  return (limb[below >> 5] & ((INT64_C(1) << (below & 31)) - 1)) != 0;
}

/* The number in limb[0, n) (limb 0 weighing 2^(32 base - 1074); the last one's top bits
 * unused) rounded to nearest, ties to even; the limbs are carried and made the magnitude.
 * *exact: no bit was rounded away. */
static double limbs_round(int64_t *limb, int n, int base, bool *exact) {
  limbs_carry(limb, n);
  bool neg = limb[n - 1] < 0;
  if (neg) { /* the magnitude: negate every limb, then carry again */
    for (int k = 0; k < n; k++) limb[k] = -limb[k];
    limbs_carry(limb, n);
  }
  *exact = true;
  int top = n - 1;
  while (top >= 0 && !limb[top]) top--;
  if (top < 0) return 0.0;
  int lead = 32 * top + 63 - __builtin_clzll((uint64_t)limb[top]); /* the leading bit */
  int at = 32 * base;                                              /* limb 0's bit 0 */
  int shift = lead + at > 52 ? lead + at - 52 : 0; /* the result's last bit, above 2^-1074 */
  uint64_t m = limbs_bits(limb, shift - at, 53);
  int half = shift - at - 1 >= 0 && limbs_bits(limb, shift - at - 1, 1);
  int sticky = limbs_any_below(limb, shift - at - 1);
  *exact = !half && !sticky;
  if (half && (sticky || (m & 1))) m++; /* round to nearest, ties to even */
  double r = ldexp((double)m, shift - 1074);
  return neg ? -r : r;
}

double cdrt_xsum_round(const cdrt_xsum *s) {
  if (s->nan || (s->pinf && s->ninf)) return NAN;
  if (s->pinf) return INFINITY;
  if (s->ninf) return -INFINITY;
  cdrt_xsum u = *s;
  bool exact;
  return limbs_round(u.limb, CDRT_XSUM_LIMBS, 0, &exact);
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

/* ---- a group's sum: a window of four limbs, or a spill ---- */

/* The highest window takes values of limbs 61 and 62 (below 2^942): a value of limb 63, an
 * infinity or a NaN (exponent 0x7ff, limb 63 too) then never looks like the window's, and
 * the hot path (cdrt_gx_add) need not test for them. */
enum { GX_LAST_BASE = 61 };
/* the most a window's top limb holds after a carry: 2^16 additions (2^37 at most) later it
 * still fits an int64, and so does a merge's sum of two */
static const int64_t GX_TOP_MOST = INT64_C(1) << 60;

static cdrt_xsum *gx_spilled(const cdrt_gx *a, const cdrt_xpool *p) {
  return &p->x[a->spill - 1];
}

cdrt_xsum *cdrt_xpool_new(cdrt_xpool *p, cdrt_gx *x) {
  if (p->n == p->cap) {
    int64_t cap = p->cap ? 2 * p->cap : 16;
    cdrt_state_charge((cap - p->cap) * (int64_t)sizeof *p->x, p->what);
    p->x = cdrt_realloc(p->x, (size_t)cap * sizeof *p->x);
    p->cap = cap;
  }
  if (p->n >= INT32_MAX) cdrt_fatal(CDRT_EXIT_MEMORY, "too many groups with spread-out float sums");
  cdrt_xsum *s = &p->x[p->n++];
  cdrt_xsum_init(s);
  x->spill = (int32_t)p->n;
  return s;
}

void cdrt_xpool_free(cdrt_xpool *p) {
  cdrt_state_refund(p->cap * (int64_t)sizeof *p->x);
  free(p->x);
  p->x = NULL, p->n = p->cap = 0;
}

/* a's window into a new whole sum */
static cdrt_xsum *gx_spill(cdrt_gx *a, cdrt_xpool *p) {
  cdrt_gx w = *a;
  cdrt_xsum *s = cdrt_xpool_new(p, a);
  for (int i = 0; i < 4; i++) s->limb[w.base + i] = w.limb[i];
  xsum_carry(s);
  memset(a->limb, 0, sizeof a->limb);
  a->base = CDRT_GX_SPILLED, a->adds = 0;
  return s;
}

static bool gx_empty(const cdrt_gx *a) {
  return !(a->limb[0] | a->limb[1] | a->limb[2] | a->limb[3]);
}

/* A carried window's digits as the limbs [*lo, *hi] from its base, the top one signed:
 * top limbs that only extend the sign are folded into the one below. False if zero. */
static bool gx_extent(const cdrt_gx *a, int *lo, int *hi, int64_t *top) {
  int h = 3;
  int64_t t = a->limb[3];
  while (h > 0 && (t == 0 || t == -1)) t = a->limb[h - 1] + (int64_t)((uint64_t)t << 32), h--;
  int l = 0;
  while (l < h && !a->limb[l]) l++;
  if (l == h && !t) return false;
  *lo = l, *hi = h, *top = t;
  return true;
}

/* Moves carried window a so that it also covers limbs [from, to] (absolute), keeping its
 * digits; false if they do not fit in four limbs. */
static bool gx_cover(cdrt_gx *a, int from, int to) {
  int lo, hi;
  int64_t top;
  if (!gx_extent(a, &lo, &hi, &top)) {
    int nb = from < 0 ? 0 : from > GX_LAST_BASE ? GX_LAST_BASE : from;
    if (to > nb + 3) return false;
    a->base = (int16_t)nb;
    return true;
  }
  int first = a->base + lo < from ? a->base + lo : from,
      last = a->base + hi > to ? a->base + hi : to;
  if (last - first > 3) return false;
  int nb = last - 3 < 0 ? 0 : last - 3; /* the lowest window that keeps the top */
  if (nb > first || nb > GX_LAST_BASE) return false;
  if (nb == a->base) return true;
  int64_t g[4] = {0, 0, 0, 0};
  for (int i = lo; i <= hi; i++) g[a->base + i - nb] = i == hi ? top : a->limb[i];
  memcpy(a->limb, g, sizeof g);
  a->base = (int16_t)nb;
  return true;
}

void cdrt_gx_carry(cdrt_gx *a, cdrt_xpool *p) {
  if (a->spill) return;
  limbs_carry(a->limb, 4);
  a->adds = 0;
  if (a->limb[3] > GX_TOP_MOST || a->limb[3] < -GX_TOP_MOST) { /* a sum outgrowing the top */
    if (!gx_cover(a, a->base + 1, a->base + 4)) gx_spill(a, p);
  }
}

void cdrt_gx_add_slow(cdrt_gx *a, double x, cdrt_xpool *p) {
  if (a->spill) {
    cdrt_xsum_add(gx_spilled(a, p), x);
    return;
  }
  if (x == 0) return;
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  if (!isfinite(x) || !((bits >> 52) & 0x7ff)) { /* inf, NaN and subnormals: spilled */
    cdrt_xsum_add(gx_spill(a, p), x);
    return;
  }
  int64_t d[3];
  int k = place(x, d);
  if (gx_empty(a) && k <= GX_LAST_BASE + 1) { /* a group's first value (in a block): the */
    a->base = (int16_t)(k < GX_LAST_BASE ? k : GX_LAST_BASE); /* window starts at it */
  } else {
    cdrt_gx_carry(a, p);
    if (a->spill || !gx_cover(a, k, k + 2)) {
      cdrt_xsum *s = a->spill ? gx_spilled(a, p) : gx_spill(a, p);
      cdrt_xsum_add(s, x);
      return;
    }
  }
  int j = k - a->base;
  a->limb[j] += d[0], a->limb[j + 1] += d[1], a->limb[j + 2] += d[2];
  a->adds++;
}

void cdrt_gx_merge(cdrt_gx *x, cdrt_xpool *px, const cdrt_gx *y, const cdrt_xpool *py) {
  if (y->spill) {
    cdrt_xsum *s = x->spill ? gx_spilled(x, px) : gx_spill(x, px);
    cdrt_xsum_merge(s, gx_spilled(y, py)); /* (after gx_spill: it may move px's pool) */
    return;
  }
  if (!x->spill && (x->base == y->base || gx_empty(x))) { /* the common case: one window */
    for (int i = 0; i < 4; i++) x->limb[i] += y->limb[i];
    x->base = y->base;
    cdrt_gx_carry(x, px);
    return;
  }
  cdrt_gx v = *y;
  limbs_carry(v.limb, 4);
  int lo, hi;
  int64_t top;
  if (!gx_extent(&v, &lo, &hi, &top)) return;
  cdrt_gx_carry(x, px);
  if (!x->spill && gx_cover(x, v.base + lo, v.base + hi)) {
    for (int i = lo; i <= hi; i++) x->limb[v.base + i - x->base] += i == hi ? top : v.limb[i];
    cdrt_gx_carry(x, px);
    return;
  }
  cdrt_xsum *s = x->spill ? gx_spilled(x, px) : gx_spill(x, px);
  for (int i = 0; i < 4; i++) s->limb[v.base + i] += v.limb[i];
  xsum_carry(s);
}

/* a's window widened to eight limbs (room for the top's carries) */
static void gx_limbs(const cdrt_gx *a, int64_t w[8]) {
  memcpy(w, a->limb, sizeof a->limb);
  memset(w + 4, 0, 4 * sizeof *w);
}

double cdrt_gx_round(const cdrt_gx *a, const cdrt_xpool *p) {
  if (a->spill) return cdrt_xsum_round(gx_spilled(a, p));
  int64_t w[8];
  bool exact;
  gx_limbs(a, w);
  return limbs_round(w, 8, a->base, &exact);
}

void cdrt_gx_round2(const cdrt_gx *a, const cdrt_xpool *p, double *hi, double *lo) {
  if (a->spill) {
    cdrt_xsum_round2(gx_spilled(a, p), hi, lo);
    return;
  }
  int64_t w[8];
  bool exact;
  gx_limbs(a, w);
  *hi = limbs_round(w, 8, a->base, &exact);
  *lo = 0;
  if (exact || !isfinite(*hi)) return;
  /* not exact: hi's last bit lies above the window's first, so hi fits the eight limbs */
  int64_t d[3];
  int j = place(-*hi, d) - a->base;
  gx_limbs(a, w);
  w[j] += d[0], w[j + 1] += d[1], w[j + 2] += d[2];
  *lo = limbs_round(w, 8, a->base, &exact);
}
#endif
