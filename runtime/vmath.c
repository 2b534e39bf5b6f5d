/* vmath.c: transcendental functions over strips, with SLEEF's deterministic ("cinz": no
 * FMA, the same bits on every ISA) functions, 1-ULP variants, and the choice of ISA for
 * every vector kernel of the runtime (these and random.c's).
 *
 * Each kernel runs on the ISA (SSE2, AVX, AVX-512F) measured fastest for it on this CPU
 * when it is first needed (see "The choice of ISA" below); a program chooses at its start
 * for the kernels it calls (cdrt_vmath_setup, with cdrt_program.vkernels from cdaskc).
 * Full vectors go through the vector function; the tail goes through the same vector
 * function on a padded local vector, so every element gets the same bits whatever n, its
 * position or the alignment. The cinz guarantee makes the ISAs agree with each other and
 * with the scalar purec functions on every number; NaN results, whose sign differs between
 * ISAs, are all stored as the default quiet NaN. tests/unit/test_vmath.c checks all that.
 *
 * The environment variable CDRT_VMATH_ISA=sse2|avx|avx512 forces an ISA (each kernel takes
 * the widest it has at or below it; "avx" means AVX2 for the random kernels): for tests
 * and benchmarks, the results are the same. "auto" or empty: measure.
 *
 * This file is compiled without -mavx, so the AVX and AVX-512 kernels carry target
 * attributes, and sleef.h (which declares those variants only under __AVX__ / __AVX512F__)
 * is completed with our own declarations below. */
#include "cdrt.h"
#include "cdrt_sleef.h"

#include <cpuid.h>
#include <math.h>
#include <pthread.h>
#include <sleef.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <x86intrin.h>

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
/* The kernels of each ISA, indexed by CDRT_ISA_*. */
static const vm_table vm_tables[CDRT_NISAS] = {VM_TABLE(sse2), VM_TABLE(avx), VM_TABLE(avx512)};

/* Clang (14 at least) passes 256- and 512-bit vector arguments by the ABI of the
 * translation unit's flags, not of the target attribute: without -mavx it puts them on the
 * stack, where SLEEF does not look (sincos came out wrong). Such builds keep to the
 * ISAs the whole file is compiled for (the random kernels too: random.c's RND_MAX_ISA);
 * GCC follows the target attribute. */
#if !defined(__clang__) || defined(__AVX512F__)
#define VM_MAX_ISA 2
#elif defined(__AVX__)
#define VM_MAX_ISA 1
#else
#define VM_MAX_ISA 0
#endif

/* ---- The choice of ISA, per kernel. ----
 *
 * Kernels per ISA, ns per element on the development machine (Xeon, Sapphire Rapids
 * class, 1 thread, gcc -O3 portable flags, 2^20 elements in strips of 512, arguments in
 * [-10, 10] (log: [-2, 2]), median of 12 runs):
 *
 *            sin  cos  tan  exp  log  pow sincos | sinf cosf tanf expf logf powf
 *   sse2     7.8  8.4 12.2  5.8  9.3 26.9  8.7   |  3.1  3.7  6.4  1.4  3.7 12.7
 *   avx      5.9  6.1  7.0  3.6 11.2 21.0  6.0   |  2.7  2.9  4.8  1.6  7.3 13.8
 *   avx512   4.5  2.9  4.2  1.3  5.7  8.2  2.7   |  1.2  1.3  2.1  0.5  1.3  4.0
 *
 * The widest ISA is not always the fastest: SLEEF's AVX (not AVX2) kernels do their integer
 * work in 128-bit halves and lose to SSE2 on log, expf, logf and powf, and on AMD Zen 4 the
 * AVX-512 log (a masked broadcast load in it) is about 40 times slower than on Intel, which
 * made random normals 3 times slower than with AVX. So the runtime measures: the first time
 * a kernel is needed (for a program, at its start: cdrt_vmath_setup), it runs the kernel on
 * every ISA this CPU and build have over the same small fixed buffer and keeps the fastest.
 * Each ISA is timed in a run of calls, as a program calls a kernel strip after strip: on
 * Intel, AVX-512 code runs about 3 times slower for a while after a few microseconds of
 * other code, so interleaving the ISAs call by call made AVX-512 look slow. Per ISA,
 * VM_CAL_WARM calls warm up (code, data, the wide units), then the best of VM_CAL_REPS
 * timed calls counts (a preemption or an interrupt spoils one call, not the best). A
 * narrower ISA must win by 5% to replace a wider one, so near ties give the same choice
 * run after run. All ISAs give the same bits, so the choice only changes the speed.
 *
 * The choice is per kernel, not per program: a kernel's call is one relaxed load of its
 * ISA and an indirect call either way, and kernels differ (the Zen 4 slowdown is in log;
 * on AVX-only CPUs SSE2 wins log, expf, logf and powf, AVX the others). */
#define VM_CAL_N 256         /* elements per call */
#define VM_CAL_WARM 2        /* untimed calls before an ISA's timed ones */
#define VM_CAL_WARM_NS 4000  /* and, for AVX and AVX-512, at least this long */
#define VM_CAL_COLD_NS 20000 /* the first time: the wide units may need longer */
#define VM_CAL_REPS 3        /* timed calls per ISA (the best counts) */

/* How a kernel's ISA was chosen. */
enum { VM_UNSET, VM_MEASURED, VM_ONLY, VM_FORCED };
typedef struct {
  int how;
  double ns[CDRT_NISAS]; /* VM_MEASURED: the best time per element of each ISA (0: none) */
  double seconds;        /* VM_MEASURED: the calibration's own time */
} vm_record;

/* The mutable state: each kernel's ISA plus 1 (0: not chosen yet), published once with a
 * release store after its record is written; choosing happens under vm_lock. */
static _Atomic(int) vm_isa_plus1[CDRT_VK_COUNT];
static vm_record vm_records[CDRT_VK_COUNT];
static pthread_mutex_t vm_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *const vm_kernel_names[CDRT_VK_COUNT] = {
    "sin_f64", "cos_f64",    "tan_f64", "exp_f64",        "log_f64",
    "pow_f64", "sincos_f64", "sin_f32", "cos_f32",        "tan_f32",
    "exp_f32", "log_f32",    "pow_f32", "random_uniform", "random_normal"};
static const char *const vm_isa_names[CDRT_NISAS] = {"sse2", "avx", "avx512"};

const char *cdrt_vkernel_name(cdrt_vkernel k) {
  return (unsigned)k < CDRT_VK_COUNT ? vm_kernel_names[k] : "?";
}
const char *cdrt_isa_name(int isa) {
  return isa >= 0 && isa < CDRT_NISAS ? vm_isa_names[isa] : "?";
}

/* Whether the CPU has the ISA at all (for CDRT_VMATH_ISA). */
static int vm_cpu_has(int isa) {
  __builtin_cpu_init();
  return isa == CDRT_ISA_SSE2  ? 1
         : isa == CDRT_ISA_AVX ? __builtin_cpu_supports("avx")
                               : __builtin_cpu_supports("avx512f");
}

/* Whether kernel k can run on the ISA here: the CPU has it (AVX2 for the random kernels'
 * "avx") and the build can call SLEEF with it (the uniform kernel calls no SLEEF). */
static int vm_supported(cdrt_vkernel k, int isa) {
  int random = k == CDRT_VK_RANDOM_UNIFORM || k == CDRT_VK_RANDOM_NORMAL;
  if (isa > VM_MAX_ISA && k != CDRT_VK_RANDOM_UNIFORM) return 0;
  if (isa == CDRT_ISA_AVX && random) return __builtin_cpu_init(), __builtin_cpu_supports("avx2");
  return vm_cpu_has(isa);
}

/* CDRT_VMATH_ISA: -1 unset, empty or "auto"; a CDRT_ISA_*; -2 anything else. */
static int vm_forced(const char *env) {
  if (!env || !*env || !strcmp(env, "auto")) return -1;
  for (int isa = 0; isa < CDRT_NISAS; isa++)
    if (!strcmp(env, vm_isa_names[isa])) return isa;
  return -2;
}

static int64_t vm_now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* The calibration's arguments (fixed, in the ranges programs use) and results; used under
 * vm_lock only. */
static struct {
  int ready, warm; /* warm: AVX or AVX-512 has been timed once */
  double x[VM_CAL_N], p[VM_CAL_N], o[VM_CAL_N], o2[VM_CAL_N]; /* x in [-10, 10], p in (0, 4) */
  float xf[VM_CAL_N], pf[VM_CAL_N], of[VM_CAL_N];
} vm_cal;

static void vm_call(cdrt_vkernel k, int isa) {
  const vm_table *t = &vm_tables[isa];
  const int n = VM_CAL_N;
  switch (k) {
  case CDRT_VK_SIN_F64: t->sin_d(vm_cal.o, vm_cal.x, n); break;
  case CDRT_VK_COS_F64: t->cos_d(vm_cal.o, vm_cal.x, n); break;
  case CDRT_VK_TAN_F64: t->tan_d(vm_cal.o, vm_cal.x, n); break;
  case CDRT_VK_EXP_F64: t->exp_d(vm_cal.o, vm_cal.x, n); break;
  case CDRT_VK_LOG_F64: t->log_d(vm_cal.o, vm_cal.p, n); break;
  case CDRT_VK_POW_F64: t->pow_d(vm_cal.o, vm_cal.p, vm_cal.x, n); break;
  case CDRT_VK_SINCOS_F64: t->sincos_d(vm_cal.o, vm_cal.o2, vm_cal.x, n); break;
  case CDRT_VK_SIN_F32: t->sin_f(vm_cal.of, vm_cal.xf, n); break;
  case CDRT_VK_COS_F32: t->cos_f(vm_cal.of, vm_cal.xf, n); break;
  case CDRT_VK_TAN_F32: t->tan_f(vm_cal.of, vm_cal.xf, n); break;
  case CDRT_VK_EXP_F32: t->exp_f(vm_cal.of, vm_cal.xf, n); break;
  case CDRT_VK_LOG_F32: t->log_f(vm_cal.of, vm_cal.pf, n); break;
  case CDRT_VK_POW_F32: t->pow_f(vm_cal.of, vm_cal.pf, vm_cal.xf, n); break;
#ifdef CDRT_WITH_RANDOM
  default: cdrt_random_kernel(k, isa, vm_cal.o, n); break;
#else
  default: break; /* no random kernel in this program's list */
#endif
  }
}

/* The best time of VM_CAL_REPS calls of kernel k on the ISA, after a warm-up; top is the
 * best time of the other ISAs so far. */
static int64_t vm_time(cdrt_vkernel k, int isa, int64_t top) {
  int64_t w0 = vm_now_ns(), best = INT64_MAX;
  int64_t warm_ns = isa == CDRT_ISA_SSE2 ? 0 : vm_cal.warm ? VM_CAL_WARM_NS : VM_CAL_COLD_NS;
  for (int w = 0; w < VM_CAL_WARM || vm_now_ns() - w0 < warm_ns; w++) vm_call(k, isa);
  /* two calls 4 times slower than the best so far are enough: it cannot win (this bounds
   * the time spent on a pathological kernel) */
  for (int rep = 0; rep < VM_CAL_REPS && (rep < 2 || best / 4 < top); rep++) {
    int64_t a = vm_now_ns();
    vm_call(k, isa);
    int64_t d = vm_now_ns() - a;
    if (d < best) best = d;
  }
  if (isa > CDRT_ISA_SSE2) vm_cal.warm = 1;
  return best;
}

/* Measures kernel k on every ISA it can run on here; returns the fastest. */
static int vm_calibrate(cdrt_vkernel k, vm_record *r) {
  int cand[CDRT_NISAS], nc = 0; /* widest first: it wins ties */
  for (int isa = CDRT_NISAS - 1; isa >= 0; isa--)
    if (vm_supported(k, isa)) cand[nc++] = isa;
  if (nc == 1) {
    r->how = VM_ONLY;
    return cand[0];
  }
  int64_t t0 = vm_now_ns(), best[CDRT_NISAS], top = INT64_MAX; /* top: the best of any ISA */
  if (!vm_cal.ready) {
    for (int i = 0; i < VM_CAL_N; i++) {
      double a = (i + 0.5) / VM_CAL_N;
      vm_cal.x[i] = 20 * a - 10, vm_cal.p[i] = 4 * a;
      vm_cal.xf[i] = (float)vm_cal.x[i], vm_cal.pf[i] = (float)vm_cal.p[i];
    }
    vm_cal.ready = 1;
  }
  for (int c = nc - 1; c >= 0; c--) { /* narrowest first */
    best[c] = vm_time(k, cand[c], top);
    if (best[c] < top) top = best[c];
  }
  int pick = 0;
  for (int c = 0; c < nc; c++)
    if (best[c] * 20 < best[pick] * 19) pick = c; /* 5% faster */
  if (pick != 0) { /* noise only slows, and wide units can wake up late: a second look */
    int64_t again = vm_time(k, cand[0], top);
    best[0] = again < best[0] ? again : best[0];
    if (best[pick] * 20 >= best[0] * 19) pick = 0;
  }
  for (int c = 0; c < nc; c++) r->ns[cand[c]] = (double)best[c] / VM_CAL_N;
  r->how = VM_MEASURED;
  r->seconds = (double)(vm_now_ns() - t0) * 1e-9;
  return cand[pick];
}

/* Chooses kernel k's ISA (once: later callers wait for the first). */
static int vm_choose(cdrt_vkernel k) {
  pthread_mutex_lock(&vm_lock);
  int v = atomic_load_explicit(&vm_isa_plus1[k], memory_order_acquire);
  if (!v) {
    vm_record *r = &vm_records[k];
    int isa = vm_forced(getenv("CDRT_VMATH_ISA"));
    if (isa >= 0) { /* the widest the kernel has at or below the forced one */
      while (isa > 0 && !vm_supported(k, isa)) isa--;
      r->how = VM_FORCED;
    } else {
      isa = vm_calibrate(k, r);
    }
    v = isa + 1;
    atomic_store_explicit(&vm_isa_plus1[k], v, memory_order_release);
  }
  pthread_mutex_unlock(&vm_lock);
  return v - 1;
}

/* The hot path: one relaxed load (the ISA alone is published; the tables are constant). */
static inline int vm_isa(cdrt_vkernel k) {
  int v = atomic_load_explicit(&vm_isa_plus1[k], memory_order_relaxed);
  return v ? v - 1 : vm_choose(k);
}

int cdrt_vmath_isa(cdrt_vkernel k) {
  return vm_isa(k);
}

int cdrt_vmath_setup(uint32_t kernels, char *err, size_t errlen) {
  const char *env = getenv("CDRT_VMATH_ISA");
  int forced = vm_forced(env);
  if (forced == -2) {
    snprintf(err, errlen, "CDRT_VMATH_ISA is '%s': it must be sse2, avx, avx512 or auto", env);
    return -1;
  }
  if (forced >= 0 && !vm_cpu_has(forced)) {
    snprintf(err, errlen, "CDRT_VMATH_ISA is '%s', but this CPU has no %s", env,
             forced == CDRT_ISA_AVX ? "AVX" : "AVX-512F");
    return -1;
  }
  for (int k = 0; k < CDRT_VK_COUNT; k++)
    if (kernels >> k & 1) (void)vm_isa((cdrt_vkernel)k);
  return 0;
}

/* How many kernels are chosen so far, and whether CDRT_VMATH_ISA forced them. */
static int vm_chosen(int *forced) {
  int n = 0;
  *forced = 0;
  for (int k = 0; k < CDRT_VK_COUNT; k++)
    if (atomic_load_explicit(&vm_isa_plus1[k], memory_order_acquire))
      n++, *forced |= vm_records[k].how == VM_FORCED;
  return n;
}

void cdrt_vmath_stats(FILE *out) {
  char cpu[128];
  cdrt_cpu_model(cpu, sizeof cpu);
  fprintf(out, "stats: cpu: %s\n", cpu);
  int forced, n = vm_chosen(&forced);
  double cal = 0;
  for (int k = 0; k < CDRT_VK_COUNT; k++) cal += vm_records[k].seconds;
  if (n == 0)
    fprintf(out, "stats: vector kernels: none (no calibration)\n");
  else if (forced)
    fprintf(out, "stats: vector kernels: %d, ISA forced by CDRT_VMATH_ISA\n", n);
  else
    fprintf(out, "stats: vector kernels: %d, calibration %.6f seconds\n", n, cal);
  for (int k = 0; k < CDRT_VK_COUNT; k++) {
    int v = atomic_load_explicit(&vm_isa_plus1[k], memory_order_acquire);
    if (!v) continue;
    const vm_record *r = &vm_records[k];
    fprintf(out, "stats: vector kernel %s: %s", vm_kernel_names[k], vm_isa_names[v - 1]);
    if (r->how == VM_FORCED) fprintf(out, " (forced)");
    if (r->how == VM_ONLY) fprintf(out, " (the only ISA for it here)");
    if (r->how == VM_MEASURED) {
      fprintf(out, " (measured, ns per element:");
      for (int isa = 0; isa < CDRT_NISAS; isa++)
        if (r->ns[isa] > 0) fprintf(out, " %s %.2f", vm_isa_names[isa], r->ns[isa]);
      fprintf(out, ")");
    }
    fputc('\n', out);
  }
}

void cdrt_vmath_manifest(FILE *out) {
  char cpu[128];
  cdrt_cpu_model(cpu, sizeof cpu);
  fputs(", \"cpu\": ", out);
  cdrt_json_write_string(out, cpu);
  int forced, n = vm_chosen(&forced);
  fprintf(out, ", \"vmath_choice\": \"%s\", \"vmath_isa\": {",
          n == 0   ? "none"
          : forced ? "forced"
                   : "calibrated");
  const char *sep = "";
  for (int k = 0; k < CDRT_VK_COUNT; k++) {
    int v = atomic_load_explicit(&vm_isa_plus1[k], memory_order_acquire);
    if (!v) continue;
    fprintf(out, "%s\"%s\": \"%s\"", sep, vm_kernel_names[k], vm_isa_names[v - 1]);
    sep = ", ";
  }
  fputs("}", out);
}

/* Trims spaces at both ends of s, in place. */
static void vm_trim(char *s) {
  size_t n = strlen(s), i = 0;
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n')) s[--n] = 0;
  while (s[i] == ' ' || s[i] == '\t') i++;
  memmove(s, s + i, n - i + 1);
}

/* The kernel's name for the CPU (/proc/cpuinfo's "model name", what lscpu and the
 * benchmarks' records show; a hypervisor may present another name there than CPUID's brand
 * string, as this project's AMD VM does), else CPUID's brand string. */
void cdrt_cpu_model(char *buf, size_t n) {
  char brand[256] = "";
  FILE *f = fopen("/proc/cpuinfo", "r");
  char line[256];
  while (f && fgets(line, sizeof line, f))
    if (!strncmp(line, "model name", 10) && strchr(line, ':')) {
      snprintf(brand, sizeof brand, "%s", strchr(line, ':') + 1);
      vm_trim(brand);
      break;
    }
  if (f) fclose(f);
  unsigned regs[12], top = __get_cpuid_max(0x80000000u, NULL);
  if (!brand[0] && top >= 0x80000004u) {
    for (unsigned i = 0; i < 3; i++)
      __get_cpuid(0x80000002u + i, &regs[4 * i], &regs[4 * i + 1], &regs[4 * i + 2],
                  &regs[4 * i + 3]);
    memcpy(brand, regs, 48);
    brand[48] = 0;
    vm_trim(brand);
  }
  snprintf(buf, n, "%s", brand[0] ? brand : "unknown");
}

void cdrt_json_write_string(FILE *out, const char *s) {
  fputc('"', out);
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      fprintf(out, "\\%c", c);
    else if (c < 0x20 || c >= 0x7f) /* never invalid UTF-8 in the JSON */
      fprintf(out, "\\u%04x", c);
    else
      fputc(c, out);
  }
  fputc('"', out);
}

void cdrt_vsin_f64(double *out, const double *in, int64_t n) {
  vm_tables[vm_isa(CDRT_VK_SIN_F64)].sin_d(out, in, n);
}
void cdrt_vcos_f64(double *out, const double *in, int64_t n) {
  vm_tables[vm_isa(CDRT_VK_COS_F64)].cos_d(out, in, n);
}
void cdrt_vtan_f64(double *out, const double *in, int64_t n) {
  vm_tables[vm_isa(CDRT_VK_TAN_F64)].tan_d(out, in, n);
}
void cdrt_vexp_f64(double *out, const double *in, int64_t n) {
  vm_tables[vm_isa(CDRT_VK_EXP_F64)].exp_d(out, in, n);
}
void cdrt_vlog_f64(double *out, const double *in, int64_t n) {
  vm_tables[vm_isa(CDRT_VK_LOG_F64)].log_d(out, in, n);
}
void cdrt_vpow_f64(double *out, const double *x, const double *y, int64_t n) {
  vm_tables[vm_isa(CDRT_VK_POW_F64)].pow_d(out, x, y, n);
}
void cdrt_vsincos_f64(double *s, double *c, const double *in, int64_t n) {
  vm_tables[vm_isa(CDRT_VK_SINCOS_F64)].sincos_d(s, c, in, n);
}
void cdrt_vsin_f32(float *out, const float *in, int64_t n) {
  vm_tables[vm_isa(CDRT_VK_SIN_F32)].sin_f(out, in, n);
}
void cdrt_vcos_f32(float *out, const float *in, int64_t n) {
  vm_tables[vm_isa(CDRT_VK_COS_F32)].cos_f(out, in, n);
}
void cdrt_vtan_f32(float *out, const float *in, int64_t n) {
  vm_tables[vm_isa(CDRT_VK_TAN_F32)].tan_f(out, in, n);
}
void cdrt_vexp_f32(float *out, const float *in, int64_t n) {
  vm_tables[vm_isa(CDRT_VK_EXP_F32)].exp_f(out, in, n);
}
void cdrt_vlog_f32(float *out, const float *in, int64_t n) {
  vm_tables[vm_isa(CDRT_VK_LOG_F32)].log_f(out, in, n);
}
void cdrt_vpow_f32(float *out, const float *x, const float *y, int64_t n) {
  vm_tables[vm_isa(CDRT_VK_POW_F32)].pow_f(out, x, y, n);
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
#undef VM_CAL_N
#undef VM_CAL_WARM
#undef VM_CAL_WARM_NS
#undef VM_CAL_COLD_NS
#undef VM_CAL_REPS
