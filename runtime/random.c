/* random.c: counter-based random arrays with Philox-4x32-10.
 *
 * The contract (any change alters every random array cdask programs produce):
 *
 *   Philox-4x32-10 exactly as Random123 (Salmon et al., SC11): 10 rounds with multipliers
 *   0xD2511F53 and 0xCD9E8D57, key bumped by 0x9E3779B9 and 0xBB67AE85 between rounds.
 *
 *   key = {(uint32)seed, (uint32)(seed >> 32)}.
 *   Element g (global row-major index, taken as uint64) belongs to pair p = g >> 1, and
 *   one Philox call per pair, counter {(uint32)p, (uint32)(p >> 32), 0, 0}, gives words
 *   w0..w3 and two 53-bit uniforms in [0, 1):
 *     u_a = ((w1:w0) >> 11) * 2^-53,  u_b = ((w3:w2) >> 11) * 2^-53.
 *
 *   uniform(low, high): element g = low + (high - low) * (g even ? u_a : u_b), rounded
 *     as written (so, as with NumPy, rounding can give high when |high| is large next to
 *     high - low: low = 1, high = 2, u = 1 - 2^-53 gives 2).
 *   normal(loc, scale), Box-Muller:
 *     r = sqrt(-2 * log(1 - u_a))   (1 - u_a is exact and in (0, 1])
 *     theta = (2 * pi) * u_b        (2 * pi rounded to double)
 *     element g = loc + scale * r * cos(theta) if g is even, loc + scale * r * sin(theta)
 *     if odd (evaluated left to right), with log and sincos from cdrt_vlog_f64 and
 *     cdrt_vsincos_f64 (SLEEF cinz: the same bits on every ISA) and sqrt correctly rounded.
 *
 * Every path below computes exactly these expressions, so an element gets the same bits
 * for every (g0, stride, n) that covers it (tests/unit/test_random.c checks it against a
 * one-element-at-a-time evaluation). Consecutive elements (stride 1) take one Philox call,
 * one log and one sincos per pair; other strides (0 and negative too) take them per
 * element. Both work over blocks of counters held on the stack, any n in pieces. Philox
 * over a block is vectorised (see rnd_pairs_c below); log and sincos go through vmath.c. */
#include "cdrt.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <x86intrin.h>

/* Pairs (stride 1) or elements (other strides) per block. */
#define RND_BLOCK 256

static const uint32_t rnd_m0 = 0xD2511F53u, rnd_m1 = 0xCD9E8D57u;
static const uint32_t rnd_w0 = 0x9E3779B9u, rnd_w1 = 0xBB67AE85u;
static const double rnd_two_pi = 6.283185307179586; /* 2*pi rounded: 0x1.921fb54442d18p+2 */

void cdrt_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]) {
  uint32_t x0 = ctr[0], x1 = ctr[1], x2 = ctr[2], x3 = ctr[3], k0 = key[0], k1 = key[1];
  for (int r = 0; r < 10; r++) {
    if (r > 0) k0 += rnd_w0, k1 += rnd_w1;
    uint64_t p0 = (uint64_t)rnd_m0 * x0, p1 = (uint64_t)rnd_m1 * x2;
    uint32_t y0 = (uint32_t)(p1 >> 32) ^ x1 ^ k0, y2 = (uint32_t)(p0 >> 32) ^ x3 ^ k1;
    x1 = (uint32_t)p1;
    x3 = (uint32_t)p0;
    x0 = y0;
    x2 = y2;
  }
  out[0] = x0, out[1] = x1, out[2] = x2, out[3] = x3;
}

/* The pair uniforms of a block: for i < m, Philox of counter {lo[i], hi[i], 0, 0} as
 * ua[i] = u_a and ub[i] = u_b. Since (w1:w0) >> 11 = w1 * 2^21 + (w0 >> 11) < 2^53,
 * u_a = w1 * 2^-32 + (w0 >> 11) * 2^-53 exactly (both products and the sum are exact), which
 * needs only 32-bit integer conversions; likewise u_b.
 *
 * rnd_pairs_c is the plain loop (gcc vectorises it at -O3 with SSE2, but spends most of its
 * time shuffling 32-bit lanes); the SIMD kernels below keep each 32-bit word in a 64-bit
 * lane, where pmuludq gives the full product without shuffles, and interleave 4 vectors.
 * Measured for 256 pairs, 1 thread: plain C 8.8 ns/pair, SSE2 6.9, AVX2 3.4, AVX-512 2.1.
 * All are integer-exact, so they give the same bits. */
static inline double rnd_u32_to_f64(uint32_t w) { /* exact, and SSE2 can vectorise it */
  return (double)(int32_t)(w ^ 0x80000000u) + 2147483648.0;
}

static void rnd_pairs_c(double *restrict ua, double *restrict ub, const uint32_t *restrict lo,
                        const uint32_t *restrict hi, int m, uint64_t seed) {
  uint32_t k0[10], k1[10];
  k0[0] = (uint32_t)seed, k1[0] = (uint32_t)(seed >> 32);
  for (int r = 1; r < 10; r++) k0[r] = k0[r - 1] + rnd_w0, k1[r] = k1[r - 1] + rnd_w1;
  for (int i = 0; i < m; i++) {
    uint32_t x0 = lo[i], x1 = hi[i], x2 = 0, x3 = 0;
    for (int r = 0; r < 10; r++) {
      uint64_t p0 = (uint64_t)rnd_m0 * x0, p1 = (uint64_t)rnd_m1 * x2;
      uint32_t y0 = (uint32_t)(p1 >> 32) ^ x1 ^ k0[r], y2 = (uint32_t)(p0 >> 32) ^ x3 ^ k1[r];
      x1 = (uint32_t)p1, x3 = (uint32_t)p0, x0 = y0, x2 = y2;
    }
    ua[i] = rnd_u32_to_f64(x1) * 0x1p-32 + (double)(int32_t)(x0 >> 11) * 0x1p-53;
    ub[i] = rnd_u32_to_f64(x3) * 0x1p-32 + (double)(int32_t)(x2 >> 11) * 0x1p-53;
  }
}

/* One SIMD kernel: V (VD) integer (double) vector type with L 64-bit lanes, P intrinsic
 * prefix, S integer suffix, SET1 broadcast of an int64, LOAD(p) the L counters at p widened
 * to 64-bit lanes. A 32-bit word w becomes a double as bits(2^52 | w) - 2^52. */
#define RND_KERNEL(NAME, ATTR, V, VD, L, P, S, SET1, LOAD)                                         \
  ATTR static void NAME(double *restrict ua, double *restrict ub, const uint32_t *restrict lo,     \
                        const uint32_t *restrict hi, int m, uint64_t seed) {                       \
    V k0[10], k1[10];                                                                              \
    uint32_t a = (uint32_t)seed, b = (uint32_t)(seed >> 32);                                       \
    for (int r = 0; r < 10; r++, a += rnd_w0, b += rnd_w1) k0[r] = SET1(a), k1[r] = SET1(b);       \
    const V m0 = SET1(rnd_m0), m1 = SET1(rnd_m1);                                                  \
    const V low = SET1(0xffffffffu);                                                               \
    const VD two52 = P##_set1_pd(0x1p52), s32 = P##_set1_pd(0x1p-32), s53 = P##_set1_pd(0x1p-53);  \
    const V two52i = P##_castpd_##S(two52);                                                        \
    int i = 0;                                                                                     \
    for (; i + 4 * (L) <= m; i += 4 * (L)) {                                                       \
      V x0[4], x1[4], x2[4], x3[4];                                                                \
      for (int u = 0; u < 4; u++) {                                                                \
        x0[u] = LOAD(lo + i + u * (L)), x1[u] = LOAD(hi + i + u * (L));                            \
        x2[u] = x3[u] = P##_setzero_##S();                                                         \
      }                                                                                            \
      for (int r = 0; r < 10; r++) {                                                               \
        for (int u = 0; u < 4; u++) {                                                              \
          V p0 = P##_mul_epu32(x0[u], m0), p1 = P##_mul_epu32(x2[u], m1);                          \
          V y0 = P##_xor_##S(P##_xor_##S(P##_srli_epi64(p1, 32), x1[u]), k0[r]);                   \
          V y2 = P##_xor_##S(P##_xor_##S(P##_srli_epi64(p0, 32), x3[u]), k1[r]);                   \
          x1[u] = P##_and_##S(p1, low), x3[u] = P##_and_##S(p0, low), x0[u] = y0, x2[u] = y2;      \
        }                                                                                          \
      }                                                                                            \
      for (int u = 0; u < 4; u++) {                                                                \
        VD ah = P##_sub_pd(P##_cast##S##_pd(P##_or_##S(x1[u], two52i)), two52);                    \
        VD al =                                                                                    \
            P##_sub_pd(P##_cast##S##_pd(P##_or_##S(P##_srli_epi64(x0[u], 11), two52i)), two52);    \
        VD bh = P##_sub_pd(P##_cast##S##_pd(P##_or_##S(x3[u], two52i)), two52);                    \
        VD bl =                                                                                    \
            P##_sub_pd(P##_cast##S##_pd(P##_or_##S(P##_srli_epi64(x2[u], 11), two52i)), two52);    \
        P##_storeu_pd(ua + i + u * (L), P##_add_pd(P##_mul_pd(ah, s32), P##_mul_pd(al, s53)));     \
        P##_storeu_pd(ub + i + u * (L), P##_add_pd(P##_mul_pd(bh, s32), P##_mul_pd(bl, s53)));     \
      }                                                                                            \
    }                                                                                              \
    if (i < m) rnd_pairs_c(ua + i, ub + i, lo + i, hi + i, m - i, seed);                           \
  }

#define RND_LOAD_SSE2(p)                                                                           \
  _mm_unpacklo_epi32(_mm_loadl_epi64((const __m128i *)(p)), _mm_setzero_si128())
#define RND_LOAD_AVX2(p) _mm256_cvtepu32_epi64(_mm_loadu_si128((const __m128i *)(p)))
#define RND_LOAD_AVX512(p) _mm512_cvtepu32_epi64(_mm256_loadu_si256((const __m256i *)(p)))
#define RND_NOATTR
RND_KERNEL(rnd_pairs_sse2, RND_NOATTR, __m128i, __m128d, 2, _mm, si128, _mm_set1_epi64x,
           RND_LOAD_SSE2)
RND_KERNEL(rnd_pairs_avx2, __attribute__((target("avx2"))), __m256i, __m256d, 4, _mm256, si256,
           _mm256_set1_epi64x, RND_LOAD_AVX2)
RND_KERNEL(rnd_pairs_avx512, __attribute__((target("avx512f"))), __m512i, __m512d, 8, _mm512, si512,
           _mm512_set1_epi64, RND_LOAD_AVX512)

typedef void (*rnd_pairs_fn)(double *restrict, double *restrict, const uint32_t *restrict,
                             const uint32_t *restrict, int, uint64_t);

/* The only mutable state: the kernel for this CPU, chosen once (racing threads all store
 * the same pointer). CDRT_VMATH_ISA=sse2|avx|avx512 (see vmath.c) forces one for tests;
 * "avx" means the AVX2 kernel here. */
static _Atomic(rnd_pairs_fn) rnd_pairs_kernel;

static rnd_pairs_fn rnd_choose(void) {
  __builtin_cpu_init();
  int best = __builtin_cpu_supports("avx512f") ? 2 : __builtin_cpu_supports("avx2") ? 1 : 0;
  const char *env = getenv("CDRT_VMATH_ISA");
  if (env) {
    int want = !strcmp(env, "sse2") ? 0 : !strcmp(env, "avx") ? 1 : !strcmp(env, "avx512") ? 2 : -1;
    if (want >= 0 && want <= best) best = want;
  }
  return best == 2 ? rnd_pairs_avx512 : best == 1 ? rnd_pairs_avx2 : rnd_pairs_sse2;
}

static void rnd_pairs(double *restrict ua, double *restrict ub, const uint32_t *restrict lo,
                      const uint32_t *restrict hi, int m, uint64_t seed) {
  rnd_pairs_fn f = atomic_load_explicit(&rnd_pairs_kernel, memory_order_acquire);
  if (!f) {
    f = rnd_choose();
    atomic_store_explicit(&rnd_pairs_kernel, f, memory_order_release);
  }
  f(ua, ub, lo, hi, m, seed);
}

/* The Box-Muller radius and angle, in place: ua becomes r, ub becomes theta. */
static void rnd_polar(double *restrict ua, double *restrict ub, int m) {
  for (int i = 0; i < m; i++) ua[i] = 1.0 - ua[i];
  cdrt_vlog_f64(ua, ua, m);
  for (int i = 0; i < m; i++) {
    ua[i] = sqrt(-2.0 * ua[i]);
    ub[i] = rnd_two_pi * ub[i];
  }
}

static inline double rnd_normal_value(double loc, double scale, double r, double trig) {
  return loc + scale * r * trig;
}

/* The counters of the pairs p0 .. p0+m-1. */
static void rnd_pair_counters(uint32_t *lo, uint32_t *hi, uint64_t p0, int m) {
  for (int i = 0; i < m; i++) {
    uint64_t p = p0 + (uint64_t)i;
    lo[i] = (uint32_t)p;
    hi[i] = (uint32_t)(p >> 32);
  }
}

/* The counters of elements g0 + j*stride (uint64 arithmetic: wraps, never overflows), and
 * whether each is odd. */
static void rnd_elem_counters(uint32_t *lo, uint32_t *hi, unsigned char *odd, uint64_t g,
                              uint64_t stride, int m) {
  for (int j = 0; j < m; j++, g += stride) {
    uint64_t p = g >> 1;
    lo[j] = (uint32_t)p;
    hi[j] = (uint32_t)(p >> 32);
    odd[j] = (unsigned char)(g & 1);
  }
}

/* The fast path applies when the run g0 .. g0+n-1 is consecutive as uint64 too. */
static int rnd_contiguous(int64_t g0, int64_t stride, int64_t n) {
  return stride == 1 && g0 >= 0 && n <= INT64_MAX - g0;
}

void cdrt_random_uniform_f64(double *out, uint64_t seed, int64_t g0, int64_t stride, int64_t n,
                             double low, double high) {
  uint32_t lo[RND_BLOCK], hi[RND_BLOCK];
  double ua[RND_BLOCK], ub[RND_BLOCK];
  const double span = high - low;
  if (n <= 0) return;
  if (rnd_contiguous(g0, stride, n)) {
    /* Pairs first .. last cover elements g0 .. g0+n-1; element g goes to out[g - g0]. */
    uint64_t first = (uint64_t)g0 >> 1, last = (uint64_t)(g0 + n - 1) >> 1;
    for (uint64_t p0 = first; p0 <= last; p0 += RND_BLOCK) {
      int m = last - p0 + 1 < RND_BLOCK ? (int)(last - p0 + 1) : RND_BLOCK;
      rnd_pair_counters(lo, hi, p0, m);
      rnd_pairs(ua, ub, lo, hi, m, seed);
      int64_t j = (int64_t)(2 * p0) - g0; /* index in out of the pair's even element */
      int i = 0;
      if (j < 0) { /* g0 is odd: the first pair gives only its odd element */
        out[0] = low + span * ub[0];
        i = 1, j += 2;
      }
      for (; i < m && j + 1 < n; i++, j += 2) {
        out[j] = low + span * ua[i];
        out[j + 1] = low + span * ub[i];
      }
      if (i < m) out[j] = low + span * ua[i]; /* the last pair gives only its even element */
    }
    return;
  }
  unsigned char odd[RND_BLOCK];
  for (int64_t j0 = 0; j0 < n; j0 += RND_BLOCK) {
    int m = n - j0 < RND_BLOCK ? (int)(n - j0) : RND_BLOCK;
    rnd_elem_counters(lo, hi, odd, (uint64_t)g0 + (uint64_t)j0 * (uint64_t)stride, (uint64_t)stride,
                      m);
    rnd_pairs(ua, ub, lo, hi, m, seed);
    for (int j = 0; j < m; j++) out[j0 + j] = low + span * (odd[j] ? ub[j] : ua[j]);
  }
}

void cdrt_random_normal_f64(double *out, uint64_t seed, int64_t g0, int64_t stride, int64_t n,
                            double loc, double scale) {
  uint32_t lo[RND_BLOCK], hi[RND_BLOCK];
  double r[RND_BLOCK], th[RND_BLOCK], s[RND_BLOCK], c[RND_BLOCK];
  if (n <= 0) return;
  if (rnd_contiguous(g0, stride, n)) {
    uint64_t first = (uint64_t)g0 >> 1, last = (uint64_t)(g0 + n - 1) >> 1;
    for (uint64_t p0 = first; p0 <= last; p0 += RND_BLOCK) {
      int m = last - p0 + 1 < RND_BLOCK ? (int)(last - p0 + 1) : RND_BLOCK;
      rnd_pair_counters(lo, hi, p0, m);
      rnd_pairs(r, th, lo, hi, m, seed);
      rnd_polar(r, th, m);
      cdrt_vsincos_f64(s, c, th, m);
      int64_t j = (int64_t)(2 * p0) - g0;
      int i = 0;
      if (j < 0) {
        out[0] = rnd_normal_value(loc, scale, r[0], s[0]);
        i = 1, j += 2;
      }
      for (; i < m && j + 1 < n; i++, j += 2) {
        out[j] = rnd_normal_value(loc, scale, r[i], c[i]);
        out[j + 1] = rnd_normal_value(loc, scale, r[i], s[i]);
      }
      if (i < m) out[j] = rnd_normal_value(loc, scale, r[i], c[i]);
    }
    return;
  }
  unsigned char odd[RND_BLOCK];
  for (int64_t j0 = 0; j0 < n; j0 += RND_BLOCK) {
    int m = n - j0 < RND_BLOCK ? (int)(n - j0) : RND_BLOCK;
    rnd_elem_counters(lo, hi, odd, (uint64_t)g0 + (uint64_t)j0 * (uint64_t)stride, (uint64_t)stride,
                      m);
    rnd_pairs(r, th, lo, hi, m, seed);
    rnd_polar(r, th, m);
    cdrt_vsincos_f64(s, c, th, m);
    for (int j = 0; j < m; j++)
      out[j0 + j] = rnd_normal_value(loc, scale, r[j], odd[j] ? s[j] : c[j]);
  }
}

/* The runtime is amalgamated into one translation unit: keep our macros to ourselves. */
#undef RND_BLOCK
#undef RND_KERNEL
#undef RND_LOAD_SSE2
#undef RND_LOAD_AVX2
#undef RND_LOAD_AVX512
#undef RND_NOATTR
