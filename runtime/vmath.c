/* vmath.c: transcendental functions over strips, with SLEEF's deterministic ("cinz": no
 * FMA, the same bits on every ISA) functions, 1-ULP variants.
 *
 * The kernels are chosen once per process (vm_get): AVX-512F, else AVX (with SSE2 for the
 * functions where SLEEF's AVX kernel is slower), else SSE2; measurements at vm_tables.
 * Full vectors go through the vector function; the tail goes through the same vector
 * function on a padded local vector, so every element gets the same bits whatever n, its
 * position or the alignment. The cinz guarantee makes the ISAs agree with each other and
 * with the scalar purec functions on every number; NaN results, whose sign differs between
 * ISAs, are all stored as the default quiet NaN. tests/unit/test_vmath.c checks all that.
 *
 * The environment variable CDRT_VMATH_ISA=sse2|avx|avx512, read once, forces an ISA (if the
 * CPU has it; "avx" means the AVX kernels only): for tests and benchmarks, the results are
 * the same.
 *
 * This file is compiled without -mavx, so the AVX and AVX-512 kernels carry target
 * attributes, and sleef.h (which declares those variants only under __AVX__ / __AVX512F__)
 * is completed with our own declarations below. */
#include "cdrt.h"

#include <math.h>
#include <sleef.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <x86intrin.h>

#ifndef Sleef___m256d_2_DEFINED
typedef struct {
  __m256d x, y;
} Sleef___m256d_2;
#define Sleef___m256d_2_DEFINED
#endif
#ifndef Sleef___m512d_2_DEFINED
typedef struct {
  __m512d x, y;
} Sleef___m512d_2;
#define Sleef___m512d_2_DEFINED
#endif

/* What sleef.h declares only when __AVX__ / __AVX512F__ is on. The target attribute tells
 * the compiler these take vector registers (clang refuses the call otherwise); it is left
 * out when sleef.h has declared them, as clang rejects a redeclaration that adds it. */
#define VM_AVX __attribute__((target("avx")))
#define VM_AVX512 __attribute__((target("avx512f")))
#ifndef __AVX__
VM_AVX __m256d Sleef_cinz_sind4_u10avx(__m256d);
VM_AVX __m256d Sleef_cinz_cosd4_u10avx(__m256d);
VM_AVX __m256d Sleef_cinz_tand4_u10avx(__m256d);
VM_AVX __m256d Sleef_cinz_expd4_u10avx(__m256d);
VM_AVX __m256d Sleef_cinz_logd4_u10avx(__m256d);
VM_AVX __m256d Sleef_cinz_powd4_u10avx(__m256d, __m256d);
VM_AVX Sleef___m256d_2 Sleef_cinz_sincosd4_u10avx(__m256d);
VM_AVX __m256 Sleef_cinz_sinf8_u10avx(__m256);
VM_AVX __m256 Sleef_cinz_cosf8_u10avx(__m256);
VM_AVX __m256 Sleef_cinz_tanf8_u10avx(__m256);
VM_AVX __m256 Sleef_cinz_expf8_u10avx(__m256);
VM_AVX __m256 Sleef_cinz_logf8_u10avx(__m256);
VM_AVX __m256 Sleef_cinz_powf8_u10avx(__m256, __m256);
#endif
#ifndef __AVX512F__
VM_AVX512 __m512d Sleef_cinz_sind8_u10avx512fnofma(__m512d);
VM_AVX512 __m512d Sleef_cinz_cosd8_u10avx512fnofma(__m512d);
VM_AVX512 __m512d Sleef_cinz_tand8_u10avx512fnofma(__m512d);
VM_AVX512 __m512d Sleef_cinz_expd8_u10avx512fnofma(__m512d);
VM_AVX512 __m512d Sleef_cinz_logd8_u10avx512fnofma(__m512d);
VM_AVX512 __m512d Sleef_cinz_powd8_u10avx512fnofma(__m512d, __m512d);
VM_AVX512 Sleef___m512d_2 Sleef_cinz_sincosd8_u10avx512fnofma(__m512d);
VM_AVX512 __m512 Sleef_cinz_sinf16_u10avx512fnofma(__m512);
VM_AVX512 __m512 Sleef_cinz_cosf16_u10avx512fnofma(__m512);
VM_AVX512 __m512 Sleef_cinz_tanf16_u10avx512fnofma(__m512);
VM_AVX512 __m512 Sleef_cinz_expf16_u10avx512fnofma(__m512);
VM_AVX512 __m512 Sleef_cinz_logf16_u10avx512fnofma(__m512);
VM_AVX512 __m512 Sleef_cinz_powf16_u10avx512fnofma(__m512, __m512);
#endif

/* Stores that replace every NaN by the default quiet NaN (+, no payload): SLEEF's cinz
 * functions agree bitwise across ISAs on every number, but not on the sign of a NaN
 * (log(-1) is -NaN with AVX-512 and +NaN with purec; tests/unit/test_vmath.c). */
static inline void vm_st_d_sse2(double *p, __m128d r) {
  __m128d m = _mm_cmpunord_pd(r, r);
  _mm_storeu_pd(p, _mm_or_pd(_mm_andnot_pd(m, r), _mm_and_pd(m, _mm_set1_pd(NAN))));
}
static inline void vm_st_f_sse2(float *p, __m128 r) {
  __m128 m = _mm_cmpunord_ps(r, r);
  _mm_storeu_ps(p, _mm_or_ps(_mm_andnot_ps(m, r), _mm_and_ps(m, _mm_set1_ps(NAN))));
}
VM_AVX static inline void vm_st_d_avx(double *p, __m256d r) {
  _mm256_storeu_pd(p, _mm256_blendv_pd(r, _mm256_set1_pd(NAN), _mm256_cmp_pd(r, r, _CMP_UNORD_Q)));
}
VM_AVX static inline void vm_st_f_avx(float *p, __m256 r) {
  _mm256_storeu_ps(p, _mm256_blendv_ps(r, _mm256_set1_ps(NAN), _mm256_cmp_ps(r, r, _CMP_UNORD_Q)));
}
VM_AVX512 static inline void vm_st_d_avx512(double *p, __m512d r) {
  __mmask8 m = _mm512_cmp_pd_mask(r, r, _CMP_UNORD_Q);
  _mm512_storeu_pd(p, _mm512_mask_mov_pd(r, m, _mm512_set1_pd(NAN)));
}
VM_AVX512 static inline void vm_st_f_avx512(float *p, __m512 r) {
  __mmask16 m = _mm512_cmp_ps_mask(r, r, _CMP_UNORD_Q);
  _mm512_storeu_ps(p, _mm512_mask_mov_ps(r, m, _mm512_set1_ps(NAN)));
}

/* Strip kernels. The tail is padded with 1.0, a harmless argument for every function
 * (no spurious divide-by-zero or invalid flag). */
#define VM_UNARY(NAME, ATTR, T, W, LOAD, STORE, FN)                                                \
  ATTR static void NAME(T *out, const T *in, int64_t n) {                                          \
    int64_t i = 0;                                                                                 \
    for (; i + (W) <= n; i += (W)) STORE(out + i, FN(LOAD(in + i)));                               \
    if (i < n) {                                                                                   \
      T buf[W];                                                                                    \
      for (int k = 0; k < (W); k++) buf[k] = 1;                                                    \
      memcpy(buf, in + i, (size_t)(n - i) * sizeof(T));                                            \
      STORE(buf, FN(LOAD(buf)));                                                                   \
      memcpy(out + i, buf, (size_t)(n - i) * sizeof(T));                                           \
    }                                                                                              \
  }

#define VM_BINARY(NAME, ATTR, T, W, LOAD, STORE, FN)                                               \
  ATTR static void NAME(T *out, const T *x, const T *y, int64_t n) {                               \
    int64_t i = 0;                                                                                 \
    for (; i + (W) <= n; i += (W)) STORE(out + i, FN(LOAD(x + i), LOAD(y + i)));                   \
    if (i < n) {                                                                                   \
      T bx[W], by[W];                                                                              \
      for (int k = 0; k < (W); k++) bx[k] = by[k] = 1;                                             \
      memcpy(bx, x + i, (size_t)(n - i) * sizeof(T));                                              \
      memcpy(by, y + i, (size_t)(n - i) * sizeof(T));                                              \
      STORE(bx, FN(LOAD(bx), LOAD(by)));                                                           \
      memcpy(out + i, bx, (size_t)(n - i) * sizeof(T));                                            \
    }                                                                                              \
  }

/* s and c are written after in is read, so either may equal in. */
#define VM_SINCOS(NAME, ATTR, VT2, W, LOAD, STORE, FN)                                             \
  ATTR static void NAME(double *s, double *c, const double *in, int64_t n) {                       \
    int64_t i = 0;                                                                                 \
    for (; i + (W) <= n; i += (W)) {                                                               \
      VT2 r = FN(LOAD(in + i));                                                                    \
      STORE(s + i, r.x);                                                                           \
      STORE(c + i, r.y);                                                                           \
    }                                                                                              \
    if (i < n) {                                                                                   \
      double bs[W], bc[W];                                                                         \
      for (int k = 0; k < (W); k++) bs[k] = 1;                                                     \
      memcpy(bs, in + i, (size_t)(n - i) * sizeof(double));                                        \
      VT2 r = FN(LOAD(bs));                                                                        \
      STORE(bs, r.x);                                                                              \
      STORE(bc, r.y);                                                                              \
      memcpy(s + i, bs, (size_t)(n - i) * sizeof(double));                                         \
      memcpy(c + i, bc, (size_t)(n - i) * sizeof(double));                                         \
    }                                                                                              \
  }

/* All kernels of one ISA: suffix S, double width WD, float width WF. */
#define VM_ISA(S, ATTR, VD2, SINCOS, WD, LD, STD, WF, LF, STF, DSUF, FSUF)                         \
  VM_UNARY(vm_sin_d_##S, ATTR, double, WD, LD, STD, Sleef_cinz_sind##DSUF)                         \
  VM_UNARY(vm_cos_d_##S, ATTR, double, WD, LD, STD, Sleef_cinz_cosd##DSUF)                         \
  VM_UNARY(vm_tan_d_##S, ATTR, double, WD, LD, STD, Sleef_cinz_tand##DSUF)                         \
  VM_UNARY(vm_exp_d_##S, ATTR, double, WD, LD, STD, Sleef_cinz_expd##DSUF)                         \
  VM_UNARY(vm_log_d_##S, ATTR, double, WD, LD, STD, Sleef_cinz_logd##DSUF)                         \
  VM_BINARY(vm_pow_d_##S, ATTR, double, WD, LD, STD, Sleef_cinz_powd##DSUF)                        \
  VM_SINCOS(vm_sincos_d_##S, ATTR, VD2, WD, LD, STD, SINCOS)                                       \
  VM_UNARY(vm_sin_f_##S, ATTR, float, WF, LF, STF, Sleef_cinz_sinf##FSUF)                          \
  VM_UNARY(vm_cos_f_##S, ATTR, float, WF, LF, STF, Sleef_cinz_cosf##FSUF)                          \
  VM_UNARY(vm_tan_f_##S, ATTR, float, WF, LF, STF, Sleef_cinz_tanf##FSUF)                          \
  VM_UNARY(vm_exp_f_##S, ATTR, float, WF, LF, STF, Sleef_cinz_expf##FSUF)                          \
  VM_UNARY(vm_log_f_##S, ATTR, float, WF, LF, STF, Sleef_cinz_logf##FSUF)                          \
  VM_BINARY(vm_pow_f_##S, ATTR, float, WF, LF, STF, Sleef_cinz_powf##FSUF)

#define VM_NOATTR
VM_ISA(sse2, VM_NOATTR, Sleef___m128d_2, Sleef_cinz_sincosd2_u10sse2, 2, _mm_loadu_pd, vm_st_d_sse2,
       4, _mm_loadu_ps, vm_st_f_sse2, 2_u10sse2, 4_u10sse2)
VM_ISA(avx, VM_AVX, Sleef___m256d_2, Sleef_cinz_sincosd4_u10avx, 4, _mm256_loadu_pd, vm_st_d_avx, 8,
       _mm256_loadu_ps, vm_st_f_avx, 4_u10avx, 8_u10avx)
VM_ISA(avx512, VM_AVX512, Sleef___m512d_2, Sleef_cinz_sincosd8_u10avx512fnofma, 8, _mm512_loadu_pd,
       vm_st_d_avx512, 16, _mm512_loadu_ps, vm_st_f_avx512, 8_u10avx512fnofma, 16_u10avx512fnofma)

typedef struct {
  void (*sin_d)(double *, const double *, int64_t);
  void (*cos_d)(double *, const double *, int64_t);
  void (*tan_d)(double *, const double *, int64_t);
  void (*exp_d)(double *, const double *, int64_t);
  void (*log_d)(double *, const double *, int64_t);
  void (*pow_d)(double *, const double *, const double *, int64_t);
  void (*sincos_d)(double *, double *, const double *, int64_t);
  void (*sin_f)(float *, const float *, int64_t);
  void (*cos_f)(float *, const float *, int64_t);
  void (*tan_f)(float *, const float *, int64_t);
  void (*exp_f)(float *, const float *, int64_t);
  void (*log_f)(float *, const float *, int64_t);
  void (*pow_f)(float *, const float *, const float *, int64_t);
} vm_table;

#define VM_TABLE(S)                                                                                \
  {                                                                                                \
    vm_sin_d_##S, vm_cos_d_##S, vm_tan_d_##S, vm_exp_d_##S, vm_log_d_##S, vm_pow_d_##S,            \
        vm_sincos_d_##S, vm_sin_f_##S, vm_cos_f_##S, vm_tan_f_##S, vm_exp_f_##S, vm_log_f_##S,     \
        vm_pow_f_##S                                                                               \
  }
/* Kernels per ISA, ns per element on the development machine (Xeon, Sapphire Rapids
 * class, 1 thread, gcc -O3 portable flags, 2^20 elements in strips of 512, arguments in
 * [-10, 10] (log: [-2, 2]), median of 12 runs):
 *
 *            sin  cos  tan  exp  log  pow sincos | sinf cosf tanf expf logf powf
 *   sse2     7.8  8.4 12.2  5.8  9.3 26.9  8.7   |  3.1  3.7  6.4  1.4  3.7 12.7
 *   avx      5.9  6.1  7.0  3.6 11.2 21.0  6.0   |  2.7  2.9  4.8  1.6  7.3 13.8
 *   avx512   4.5  2.9  4.2  1.3  5.7  8.2  2.7   |  1.2  1.3  2.1  0.5  1.3  4.0
 *
 * AVX-512 wins everywhere, so it is the default when the CPU has it. SLEEF's AVX (not
 * AVX2) kernels do their integer work in 128-bit halves and lose to SSE2 on log, expf,
 * logf and powf, so a CPU with AVX but no AVX-512 gets the faster of the two per function
 * (vm_tables[3]); all give the same bits. */
static const vm_table vm_tables[4] = {
    VM_TABLE(sse2),
    VM_TABLE(avx),
    VM_TABLE(avx512),
    {vm_sin_d_avx, vm_cos_d_avx, vm_tan_d_avx, vm_exp_d_avx, vm_log_d_sse2, vm_pow_d_avx,
     vm_sincos_d_avx, vm_sin_f_avx, vm_cos_f_avx, vm_tan_f_avx, vm_exp_f_sse2, vm_log_f_sse2,
     vm_pow_f_sse2},
};

/* The only mutable state: the chosen table, published once. Threads racing to initialise
 * it all compute the same pointer, so a plain atomic store is enough. */
static _Atomic(const vm_table *) vm_current;

/* Clang (14 at least) passes 256- and 512-bit vector arguments by the ABI of the
 * translation unit's flags, not of the target attribute: without -mavx it puts them on the
 * stack, where SLEEF does not look (sincos came out wrong). Such builds keep to the
 * ISAs the whole file is compiled for; GCC follows the target attribute. */
#if !defined(__clang__) || defined(__AVX512F__)
#define VM_MAX_ISA 2
#elif defined(__AVX__)
#define VM_MAX_ISA 1
#else
#define VM_MAX_ISA 0
#endif

static const vm_table *vm_choose(void) {
  __builtin_cpu_init();
  int best = __builtin_cpu_supports("avx512f") ? 2 : __builtin_cpu_supports("avx") ? 1 : 0;
  if (best > VM_MAX_ISA) best = VM_MAX_ISA;
  const char *env = getenv("CDRT_VMATH_ISA"); /* "avx": AVX kernels only */
  if (env) {
    int want = !strcmp(env, "sse2") ? 0 : !strcmp(env, "avx") ? 1 : !strcmp(env, "avx512") ? 2 : -1;
    if (want >= 0 && want <= best) return &vm_tables[want];
  }
  return &vm_tables[best == 1 ? 3 : best];
}

static const vm_table *vm_get(void) {
  const vm_table *t = atomic_load_explicit(&vm_current, memory_order_acquire);
  if (!t) {
    t = vm_choose();
    atomic_store_explicit(&vm_current, t, memory_order_release);
  }
  return t;
}

void cdrt_vsin_f64(double *out, const double *in, int64_t n) {
  vm_get()->sin_d(out, in, n);
}
void cdrt_vcos_f64(double *out, const double *in, int64_t n) {
  vm_get()->cos_d(out, in, n);
}
void cdrt_vtan_f64(double *out, const double *in, int64_t n) {
  vm_get()->tan_d(out, in, n);
}
void cdrt_vexp_f64(double *out, const double *in, int64_t n) {
  vm_get()->exp_d(out, in, n);
}
void cdrt_vlog_f64(double *out, const double *in, int64_t n) {
  vm_get()->log_d(out, in, n);
}
void cdrt_vpow_f64(double *out, const double *x, const double *y, int64_t n) {
  vm_get()->pow_d(out, x, y, n);
}
void cdrt_vsincos_f64(double *s, double *c, const double *in, int64_t n) {
  vm_get()->sincos_d(s, c, in, n);
}
void cdrt_vsin_f32(float *out, const float *in, int64_t n) {
  vm_get()->sin_f(out, in, n);
}
void cdrt_vcos_f32(float *out, const float *in, int64_t n) {
  vm_get()->cos_f(out, in, n);
}
void cdrt_vtan_f32(float *out, const float *in, int64_t n) {
  vm_get()->tan_f(out, in, n);
}
void cdrt_vexp_f32(float *out, const float *in, int64_t n) {
  vm_get()->exp_f(out, in, n);
}
void cdrt_vlog_f32(float *out, const float *in, int64_t n) {
  vm_get()->log_f(out, in, n);
}
void cdrt_vpow_f32(float *out, const float *x, const float *y, int64_t n) {
  vm_get()->pow_f(out, x, y, n);
}

/* The runtime is amalgamated into one translation unit: keep our macros to ourselves. */
#undef VM_UNARY
#undef VM_BINARY
#undef VM_SINCOS
#undef VM_ISA
#undef VM_NOATTR
#undef VM_TABLE
#undef VM_AVX
#undef VM_AVX512
#undef VM_MAX_ISA
