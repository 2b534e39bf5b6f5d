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
 *     if odd (evaluated left to right), with log = SLEEF's Sleef_cinz_logd*_u35* and
 *     (sin, cos) = Sleef_cinz_sincosd*_u35* (3.5-ULP, deterministic "cinz": the same bits
 *     on every ISA as the scalar Sleef_cinz_logd1_u35purec / Sleef_cinz_sincosd1_u35purec)
 *     and sqrt correctly rounded. (cdrt_vlog_f64 and cdrt_vsincos_f64 stay 1-ULP for user
 *     math; random numbers do not need that accuracy, and u35 is about twice as fast.)
 *
 * Every path below computes exactly these expressions, so an element gets the same bits
 * for every (g0, stride, n) that covers it (tests/unit/test_random.c checks it against a
 * one-element-at-a-time evaluation). Consecutive elements (stride 1 or -1) take one Philox
 * call, one log and one sincos per pair; other strides take them per element (stride 0:
 * once). Philox is vectorised with each 32-bit word in a 64-bit lane (see RND_KERNEL);
 * normals go through one fused kernel per ISA (rnd_normal_*), which keeps the whole
 * pipeline Philox -> uniforms -> log -> sqrt -> sincos -> loc + scale * r * trig in
 * registers, writing each vector of results straight to out. */
#include "cdrt.h"
#include "cdrt_sleef.h"

#include <math.h>
#include <sleef.h>
#include <stdlib.h>
#include <string.h>
#include <x86intrin.h>

#ifdef CDRT_WITH_RANDOM /* only the programs with random arrays compile this (cdaskc says) */

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
static const rnd_pairs_fn rnd_pairs_table[3] = {rnd_pairs_sse2, rnd_pairs_avx2, rnd_pairs_avx512};

static void rnd_pairs(double *restrict ua, double *restrict ub, const uint32_t *restrict lo,
                      const uint32_t *restrict hi, int m, uint64_t seed) {
  /* the ISA is vmath.c's choice (0 SSE2, 1 AVX2, 2 AVX-512F), measured or forced */
  rnd_pairs_table[cdrt_vmath_isa(CDRT_VK_RANDOM_UNIFORM)](ua, ub, lo, hi, m, seed);
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
  cdrt_stat_add(&cdrt_stats.random_elements, n);
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

/* ---- Normals: one fused kernel per ISA. ----
 *
 * A vector holds L 64-bit lanes: L pairs (consecutive elements) or L elements (other
 * strides). Up to RND_U vectors go through Philox together (its multiply chain is long),
 * then each through 1 - u_a, log, sqrt, sincos and loc + scale * r * trig, and is stored
 * straight to out (stride -1: the same pairs, permuted backwards); the intermediates never
 * leave registers or the stack. A chunk that sticks out at either end is computed whole
 * into a local buffer and the wanted part copied: every lane computes the same function
 * of its own counter, so the bits do not depend on the lane or the chunking.
 *
 * Measured (1 thread, gcc -O3 portable flags, AVX-512 Xeon, 2^16 elements per call, ns
 * per element; before: the unfused u10 pipeline over blocks of 256):
 *
 *              stride 1   stride -1   stride 1000
 *   before       4.35       8.55        8.55
 *   AVX-512      2.04       2.05        4.02
 *   AVX2         4.2        4.2         8.3
 *   SSE2         7.4        7.4        14.7
 *
 * Philox and the SLEEF calls take about half each; a strided element costs a pair, as it
 * needs its own Philox call, log and sincos.
 *
 * Philox with the words in 64-bit lanes: pmuludq reads only the low 32 bits of each lane,
 * so x0 and x2, which only feed it, may carry garbage in the high half, and x1 and x3 are
 * kept as whole products (their garbage only reaches x0 and x2); the uniforms mask it
 * off. In round 0, x2 = x3 = 0, so the second product is 0.
 *
 * The SLEEF vector functions are called with 256- and 512-bit arguments from functions
 * with target attributes; clang passes those by the translation unit's ABI (see vmath.c),
 * so a clang build without -mavx keeps to SSE2 for normals (RND_MAX_ISA). */
#define RND_AVX __attribute__((target("avx")))
#define RND_AVX2 __attribute__((target("avx2")))
#define RND_AVX512 __attribute__((target("avx512f")))
#define RND_INLINE static inline __attribute__((always_inline))

/* What sleef.h declares only when __AVX__ / __AVX512F__ is on (as in vmath.c). */
#ifndef __AVX__
RND_AVX __m256d Sleef_cinz_logd4_u35avx(__m256d);
RND_AVX Sleef___m256d_2 Sleef_cinz_sincosd4_u35avx(__m256d);
#endif
#ifndef __AVX512F__
RND_AVX512 __m512d Sleef_cinz_logd8_u35avx512fnofma(__m512d);
RND_AVX512 Sleef___m512d_2 Sleef_cinz_sincosd8_u35avx512fnofma(__m512d);
#endif

#if !defined(__clang__) || defined(__AVX512F__)
#define RND_MAX_ISA 2
#elif defined(__AVX__)
#define RND_MAX_ISA 1
#else
#define RND_MAX_ISA 0
#endif

/* Vectors that go through Philox together: 8 beats 4 by 10% with AVX-512 (2.03 against
 * 2.25 ns per element, stride 1) and does not hurt SSE2 or AVX2. */
#define RND_U 8
static const uint64_t rnd_iota[8] = {0, 1, 2, 3, 4, 5, 6, 7};

/* The ISA-specific pieces: xor3(a, b, c) = a ^ b ^ c; andor(a, m, b) = (a & m) | b;
 * log and sincos (SLEEF u35, sin in .x, cos in .y); select(g, s, c) = g odd ? s : c per lane;
 * store2(dst, e, o) stores the 2L elements e0 o0 e1 o1 ... (e: even elements, o: odd) at
 * dst, and store2r the same in reverse order. */
RND_INLINE __m128i rnd_sse2_xor3(__m128i a, __m128i b, __m128i c) {
  return _mm_xor_si128(_mm_xor_si128(a, b), c);
}
RND_INLINE __m128i rnd_sse2_andor(__m128i a, __m128i m, __m128i b) {
  return _mm_or_si128(_mm_and_si128(a, m), b);
}
RND_INLINE __m128d rnd_sse2_log(__m128d x) {
  return Sleef_cinz_logd2_u35sse2(x);
}
RND_INLINE Sleef___m128d_2 rnd_sse2_sincos(__m128d x) {
  return Sleef_cinz_sincosd2_u35sse2(x);
}
RND_INLINE __m128d rnd_sse2_select(__m128i g, __m128d s, __m128d c) {
  __m128d m =
      _mm_castsi128_pd(_mm_sub_epi64(_mm_setzero_si128(), _mm_and_si128(g, _mm_set1_epi64x(1))));
  return _mm_or_pd(_mm_and_pd(m, s), _mm_andnot_pd(m, c));
}
RND_INLINE void rnd_sse2_store2(double *dst, __m128d e, __m128d o) {
  _mm_storeu_pd(dst, _mm_unpacklo_pd(e, o));
  _mm_storeu_pd(dst + 2, _mm_unpackhi_pd(e, o));
}
RND_INLINE void rnd_sse2_store2r(double *dst, __m128d e, __m128d o) {
  _mm_storeu_pd(dst, _mm_shuffle_pd(o, e, 3));
  _mm_storeu_pd(dst + 2, _mm_shuffle_pd(o, e, 0));
}

RND_AVX2 RND_INLINE __m256i rnd_avx2_xor3(__m256i a, __m256i b, __m256i c) {
  return _mm256_xor_si256(_mm256_xor_si256(a, b), c);
}
RND_AVX2 RND_INLINE __m256i rnd_avx2_andor(__m256i a, __m256i m, __m256i b) {
  return _mm256_or_si256(_mm256_and_si256(a, m), b);
}
RND_AVX2 RND_INLINE __m256d rnd_avx2_log(__m256d x) {
  return Sleef_cinz_logd4_u35avx(x);
}
RND_AVX2 RND_INLINE Sleef___m256d_2 rnd_avx2_sincos(__m256d x) {
  return Sleef_cinz_sincosd4_u35avx(x);
}
RND_AVX2 RND_INLINE __m256d rnd_avx2_select(__m256i g, __m256d s, __m256d c) {
  return _mm256_blendv_pd(c, s, _mm256_castsi256_pd(_mm256_slli_epi64(g, 63)));
}
RND_AVX2 RND_INLINE void rnd_avx2_store2(double *dst, __m256d e, __m256d o) {
  __m256d a = _mm256_unpacklo_pd(e, o), b = _mm256_unpackhi_pd(e, o); /* e0 o0 e2 o2, e1 o1 e3 o3 */
  _mm256_storeu_pd(dst, _mm256_permute2f128_pd(a, b, 0x20));
  _mm256_storeu_pd(dst + 4, _mm256_permute2f128_pd(a, b, 0x31));
}
RND_AVX2 RND_INLINE void rnd_avx2_store2r(double *dst, __m256d e, __m256d o) {
  __m256d a = _mm256_unpacklo_pd(o, e), b = _mm256_unpackhi_pd(o, e); /* o0 e0 o2 e2, o1 e1 o3 e3 */
  _mm256_storeu_pd(dst, _mm256_permute2f128_pd(b, a, 0x31));
  _mm256_storeu_pd(dst + 4, _mm256_permute2f128_pd(b, a, 0x20));
}

RND_AVX512 RND_INLINE __m512i rnd_avx512_xor3(__m512i a, __m512i b, __m512i c) {
  return _mm512_ternarylogic_epi64(a, b, c, 0x96);
}
RND_AVX512 RND_INLINE __m512i rnd_avx512_andor(__m512i a, __m512i m, __m512i b) {
  return _mm512_ternarylogic_epi64(a, m, b, 0xEA);
}
RND_AVX512 RND_INLINE __m512d rnd_avx512_log(__m512d x) {
  return Sleef_cinz_logd8_u35avx512fnofma(x);
}
RND_AVX512 RND_INLINE Sleef___m512d_2 rnd_avx512_sincos(__m512d x) {
  return Sleef_cinz_sincosd8_u35avx512fnofma(x);
}
RND_AVX512 RND_INLINE __m512d rnd_avx512_select(__m512i g, __m512d s, __m512d c) {
  return _mm512_mask_blend_pd(_mm512_test_epi64_mask(g, _mm512_set1_epi64(1)), c, s);
}
RND_AVX512 RND_INLINE void rnd_avx512_store2(double *dst, __m512d e, __m512d o) {
  _mm512_storeu_pd(dst, _mm512_permutex2var_pd(e, _mm512_set_epi64(11, 3, 10, 2, 9, 1, 8, 0), o));
  _mm512_storeu_pd(dst + 8,
                   _mm512_permutex2var_pd(e, _mm512_set_epi64(15, 7, 14, 6, 13, 5, 12, 4), o));
}
RND_AVX512 RND_INLINE void rnd_avx512_store2r(double *dst, __m512d e, __m512d o) {
  _mm512_storeu_pd(dst, _mm512_permutex2var_pd(e, _mm512_set_epi64(4, 12, 5, 13, 6, 14, 7, 15), o));
  _mm512_storeu_pd(dst + 8,
                   _mm512_permutex2var_pd(e, _mm512_set_epi64(0, 8, 1, 9, 2, 10, 3, 11), o));
}

/* The kernels of one ISA S: V (VD) integer (double) vector with L 64-bit lanes, intrinsic
 * prefix P, integer suffix SI, SET1 broadcast of a long long. */
#define RND_NORMAL_ISA(S, ATTR, V, VD, VD2, L, P, SI, SET1)                                        \
  typedef struct {                                                                                 \
    V k0[10], k1[10];                                                                              \
    VD loc, scale;                                                                                 \
  } rnd_##S##_ctx;                                                                                 \
                                                                                                   \
  ATTR RND_INLINE void rnd_##S##_init(rnd_##S##_ctx *c, uint64_t seed, double loc, double scale) { \
    uint32_t a = (uint32_t)seed, b = (uint32_t)(seed >> 32);                                       \
    for (int r = 0; r < 10; r++, a += rnd_w0, b += rnd_w1) c->k0[r] = SET1(a), c->k1[r] = SET1(b); \
    c->loc = P##_set1_pd(loc), c->scale = P##_set1_pd(scale);                                      \
  }                                                                                                \
                                                                                                   \
  /* The uniforms of the U counters p (pair index per lane); U is a constant once inlined. */      \
  ATTR RND_INLINE void rnd_##S##_philox(VD *ua, VD *ub, const V *p, int U,                         \
                                        const rnd_##S##_ctx *c) {                                  \
    const V m0 = SET1(rnd_m0), m1 = SET1(rnd_m1);                                                  \
    V x0[RND_U], x1[RND_U], x2[RND_U], x3[RND_U];                                                  \
    for (int u = 0; u < U; u++) {                                                                  \
      V q = P##_mul_epu32(p[u], m0);                                                               \
      x0[u] = P##_xor_##SI(P##_srli_epi64(p[u], 32), c->k0[0]);                                    \
      x1[u] = P##_setzero_##SI();                                                                  \
      x2[u] = P##_xor_##SI(P##_srli_epi64(q, 32), c->k1[0]);                                       \
      x3[u] = q;                                                                                   \
    }                                                                                              \
    for (int r = 1; r < 10; r++) {                                                                 \
      for (int u = 0; u < U; u++) {                                                                \
        V p0 = P##_mul_epu32(x0[u], m0), p1 = P##_mul_epu32(x2[u], m1);                            \
        x0[u] = rnd_##S##_xor3(P##_srli_epi64(p1, 32), x1[u], c->k0[r]);                           \
        x2[u] = rnd_##S##_xor3(P##_srli_epi64(p0, 32), x3[u], c->k1[r]);                           \
        x1[u] = p1, x3[u] = p0;                                                                    \
      }                                                                                            \
    }                                                                                              \
    /* u = w1 * 2^-32 + (w0 >> 11) * 2^-53 (both terms and the sum exact), each term as            \
     * bits(e | w) - e, with e = 2^20 (ULP 2^-32) and 0.5 (ULP 2^-53). */                          \
    const VD e20 = P##_set1_pd(0x1p20), eh = P##_set1_pd(0.5);                                     \
    const V e20i = P##_castpd_##SI(e20), ehi = P##_castpd_##SI(eh);                                \
    const V low32 = SET1(0xffffffffu), low21 = SET1(0x1fffffu);                                    \
    for (int u = 0; u < U; u++) {                                                                  \
      VD ah = P##_sub_pd(P##_cast##SI##_pd(rnd_##S##_andor(x1[u], low32, e20i)), e20);             \
      VD al = P##_sub_pd(                                                                          \
          P##_cast##SI##_pd(rnd_##S##_andor(P##_srli_epi64(x0[u], 11), low21, ehi)), eh);          \
      VD bh = P##_sub_pd(P##_cast##SI##_pd(rnd_##S##_andor(x3[u], low32, e20i)), e20);             \
      VD bl = P##_sub_pd(                                                                          \
          P##_cast##SI##_pd(rnd_##S##_andor(P##_srli_epi64(x2[u], 11), low21, ehi)), eh);          \
      ua[u] = P##_add_pd(ah, al);                                                                  \
      ub[u] = P##_add_pd(bh, bl);                                                                  \
    }                                                                                              \
  }                                                                                                \
                                                                                                   \
  /* r * scale (t), sin and cos of theta (s, co) for the uniforms ua, ub. */                       \
  ATTR RND_INLINE void rnd_##S##_polar(VD ua, VD ub, const rnd_##S##_ctx *c, VD *t, VD *s,         \
                                       VD *co) {                                                   \
    VD l = rnd_##S##_log(P##_sub_pd(P##_set1_pd(1.0), ua));                                        \
    *t = P##_mul_pd(c->scale, P##_sqrt_pd(P##_mul_pd(P##_set1_pd(-2.0), l)));                      \
    VD2 sc = rnd_##S##_sincos(P##_mul_pd(P##_set1_pd(rnd_two_pi), ub));                            \
    *s = sc.x, *co = sc.y;                                                                         \
  }                                                                                                \
                                                                                                   \
  /* The 2*L*U elements of pairs pair .. pair+L*U-1 at dst, in reverse order if rev. */            \
  ATTR RND_INLINE void rnd_##S##_pairs(double *dst, uint64_t pair, int U, int rev,                 \
                                       const rnd_##S##_ctx *c) {                                   \
    const V iota = P##_loadu_##SI((const void *)rnd_iota);                                         \
    V p[RND_U];                                                                                    \
    VD ua[RND_U], ub[RND_U];                                                                       \
    for (int u = 0; u < U; u++)                                                                    \
      p[u] = P##_add_epi64(SET1((long long)(pair + (uint64_t)(u * L))), iota);                     \
    rnd_##S##_philox(ua, ub, p, U, c);                                                             \
    for (int u = 0; u < U; u++) {                                                                  \
      VD t, s, co;                                                                                 \
      rnd_##S##_polar(ua[u], ub[u], c, &t, &s, &co);                                               \
      VD e = P##_add_pd(c->loc, P##_mul_pd(t, co)), o = P##_add_pd(c->loc, P##_mul_pd(t, s));      \
      if (rev)                                                                                     \
        rnd_##S##_store2r(dst + 2 * L * (U - 1 - u), e, o);                                        \
      else                                                                                         \
        rnd_##S##_store2(dst + 2 * L * u, e, o);                                                   \
    }                                                                                              \
  }                                                                                                \
                                                                                                   \
  /* Elements gl .. gl+n-1 (consecutive as uint64), element gl+k at out[k], or at out[n-1-k]       \
   * if rev. The pairs go in chunks of RND_U vectors, the tail in chunks of 4, 2, 1 (each a        \
   * constant, so the kernel stays in registers: short rows, as in a task's blocks, run at         \
   * the speed of long ones); a chunk that sticks out at either end (the first pair's even         \
   * element, or pairs past the end) goes through tmp. */                                          \
  ATTR static void rnd_##S##_normal_run(double *out, uint64_t seed, uint64_t gl, int64_t n,        \
                                        int rev, double loc, double scale) {                       \
    rnd_##S##_ctx c;                                                                               \
    double tmp[2 * L * RND_U];                                                                     \
    rnd_##S##_init(&c, seed, loc, scale);                                                          \
    const uint64_t first = gl >> 1, npairs = ((gl + (uint64_t)(n - 1)) >> 1) - first + 1;          \
    for (uint64_t q = 0; q < npairs;) {                                                            \
      uint64_t left = (npairs - q + L - 1) / L;                                                    \
      int nv = left >= RND_U ? RND_U : left >= 4 ? 4 : left >= 2 ? 2 : 1;                          \
      /* forward indices k .. k+cnt-1 */                                                           \
      int64_t k = 2 * (int64_t)q - (int64_t)(gl & 1), cnt = 2 * L * nv;                            \
      int direct = k >= 0 && n - k >= cnt;                                                         \
      double *dst = !direct ? tmp : rev ? out + n - k - cnt : out + k;                             \
      int r = direct && rev;                                                                       \
      if (nv == RND_U)                                                                             \
        rnd_##S##_pairs(dst, first + q, RND_U, r, &c);                                             \
      else if (nv == 4)                                                                            \
        rnd_##S##_pairs(dst, first + q, 4, r, &c);                                                 \
      else if (nv == 2)                                                                            \
        rnd_##S##_pairs(dst, first + q, 2, r, &c);                                                 \
      else                                                                                         \
        rnd_##S##_pairs(dst, first + q, 1, r, &c);                                                 \
      if (!direct) {                                                                               \
        int64_t i0 = k < 0 ? -k : 0, i1 = n - k < cnt ? n - k : cnt;                               \
        if (!rev)                                                                                  \
          memcpy(out + k + i0, tmp + i0, (size_t)(i1 - i0) * sizeof(double));                      \
        else                                                                                       \
          for (int64_t i = i0; i < i1; i++) out[n - 1 - k - i] = tmp[i];                           \
      }                                                                                            \
      q += (uint64_t)(L * nv);                                                                     \
    }                                                                                              \
  }                                                                                                \
                                                                                                   \
  /* The L*U elements g, g + step, ... (step: L strides) at dst. */                                \
  ATTR RND_INLINE void rnd_##S##_elems(double *dst, V g, V step, int U, const rnd_##S##_ctx *c) {  \
    V gv[RND_U], p[RND_U];                                                                         \
    VD ua[RND_U], ub[RND_U];                                                                       \
    for (int u = 0; u < U; u++, g = P##_add_epi64(g, step))                                        \
      gv[u] = g, p[u] = P##_srli_epi64(g, 1);                                                      \
    rnd_##S##_philox(ua, ub, p, U, c);                                                             \
    for (int u = 0; u < U; u++) {                                                                  \
      VD t, s, co;                                                                                 \
      rnd_##S##_polar(ua[u], ub[u], c, &t, &s, &co);                                               \
      P##_storeu_pd(dst + L * u,                                                                   \
                    P##_add_pd(c->loc, P##_mul_pd(t, rnd_##S##_select(gv[u], s, co))));            \
    }                                                                                              \
  }                                                                                                \
                                                                                                   \
  /* Elements g0 + j*stride (uint64 arithmetic), j < n, at out[j]; in chunks of up to RND_U        \
   * vectors, the last through tmp if it sticks out. */                                            \
  ATTR static void rnd_##S##_normal_strided(double *out, uint64_t seed, uint64_t g0,               \
                                            uint64_t stride, int64_t n, double loc,                \
                                            double scale) {                                        \
    rnd_##S##_ctx c;                                                                               \
    uint64_t lanes[L];                                                                             \
    double tmp[L * RND_U];                                                                         \
    rnd_##S##_init(&c, seed, loc, scale);                                                          \
    for (int i = 0; i < L; i++) lanes[i] = g0 + (uint64_t)i * stride;                              \
    V g = P##_loadu_##SI((const void *)lanes), step = SET1((long long)(stride * L));               \
    for (int64_t j = 0; j < n;) {                                                                  \
      int64_t left = (n - j + L - 1) / L;                                                          \
      int nv = left < RND_U ? (int)left : RND_U;                                                   \
      int direct = n - j >= L * nv;                                                                \
      if (direct && nv == RND_U)                                                                   \
        rnd_##S##_elems(out + j, g, step, RND_U, &c);                                              \
      else                                                                                         \
        rnd_##S##_elems(direct ? out + j : tmp, g, step, nv, &c);                                  \
      if (!direct) memcpy(out + j, tmp, (size_t)(n - j) * sizeof(double));                         \
      j += L * nv;                                                                                 \
      g = P##_add_epi64(g, SET1((long long)(stride * L * (uint64_t)nv)));                          \
    }                                                                                              \
  }

RND_NORMAL_ISA(sse2, RND_NOATTR, __m128i, __m128d, Sleef___m128d_2, 2, _mm, si128, _mm_set1_epi64x)
RND_NORMAL_ISA(avx2, RND_AVX2, __m256i, __m256d, Sleef___m256d_2, 4, _mm256, si256,
               _mm256_set1_epi64x)
RND_NORMAL_ISA(avx512, RND_AVX512, __m512i, __m512d, Sleef___m512d_2, 8, _mm512, si512,
               _mm512_set1_epi64)

typedef struct {
  void (*run)(double *, uint64_t, uint64_t, int64_t, int, double, double);
  void (*strided)(double *, uint64_t, uint64_t, uint64_t, int64_t, double, double);
} rnd_normal_kernels;

static const rnd_normal_kernels rnd_normal_table[3] = {
    {rnd_sse2_normal_run, rnd_sse2_normal_strided},
    {rnd_avx2_normal_run, rnd_avx2_normal_strided},
    {rnd_avx512_normal_run, rnd_avx512_normal_strided},
};

void cdrt_random_normal_f64(double *out, uint64_t seed, int64_t g0, int64_t stride, int64_t n,
                            double loc, double scale) {
  if (n <= 0) return;
  cdrt_stat_add(&cdrt_stats.random_elements, n);
  int isa = cdrt_vmath_isa(CDRT_VK_RANDOM_NORMAL);
  const rnd_normal_kernels *k = &rnd_normal_table[isa < RND_MAX_ISA ? isa : RND_MAX_ISA];
  uint64_t g = (uint64_t)g0, last = (uint64_t)(n - 1);
  if (stride == 1 && g <= UINT64_MAX - last) {
    k->run(out, seed, g, n, 0, loc, scale);
  } else if (stride == -1 && g >= last) {
    k->run(out, seed, g - last, n, 1, loc, scale);
  } else if (stride == 0) {
    k->strided(out, seed, g, 0, 1, loc, scale);
    for (int64_t j = 1; j < n; j++) out[j] = out[0];
  } else {
    k->strided(out, seed, g, (uint64_t)stride, n, loc, scale);
  }
}

void cdrt_random_kernel(cdrt_vkernel k, int isa, double *out, int n) {
  if (k == CDRT_VK_RANDOM_NORMAL) {
    rnd_normal_table[isa < RND_MAX_ISA ? isa : RND_MAX_ISA].run(out, 1, 0, n, 0, 0.0, 1.0);
    return;
  }
  uint32_t lo[RND_BLOCK], hi[RND_BLOCK];
  int m = n / 2 < RND_BLOCK ? n / 2 : RND_BLOCK;
  rnd_pair_counters(lo, hi, 0, m);
  rnd_pairs_table[isa](out, out + m, lo, hi, m, 1);
}

/* The runtime is amalgamated into one translation unit: keep our macros to ourselves. */
#undef RND_BLOCK
#undef RND_KERNEL
#undef RND_LOAD_SSE2
#undef RND_LOAD_AVX2
#undef RND_LOAD_AVX512
#undef RND_NOATTR
#undef RND_AVX
#undef RND_AVX2
#undef RND_AVX512
#undef RND_INLINE
#undef RND_MAX_ISA
#undef RND_NORMAL_ISA
#undef RND_U
#endif
