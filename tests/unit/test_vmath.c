/* vmath.c: accuracy against libm, and the same bits for an element whatever the strip
 * length, its position, the alignment, aliasing and the ISA (every result must equal
 * SLEEF's scalar purec function for the same input).
 *
 * Run without arguments, the program first checks the ISA the runtime measures fastest for
 * each kernel, then runs itself again once per ISA the CPU has, with CDRT_VMATH_ISA forcing
 * it (a clang build without -mavx keeps to SSE2 whatever is asked: see VM_MAX_ISA in
 * vmath.c); each time every kernel must be on an ISA it can run on (the forced one when
 * it can). Also: the values of CDRT_VMATH_ISA a program refuses, the JSON strings and the
 * CPU model of --manifest. */
#include "cdrt.h"
#include "test.h"

#include <float.h>
#include <math.h>
#include <sleef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static uint64_t rng_next(void) { /* splitmix64 */
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}
static double rng_unit(void) {
  return (double)(rng_next() >> 11) * 0x1p-53;
}

/* Distance in units in the last place; two NaNs are equal, a NaN and a number are not. */
static uint64_t ulp_d(double a, double b) {
  if (isnan(a) || isnan(b)) return isnan(a) && isnan(b) ? 0 : UINT64_MAX;
  int64_t ia, ib;
  memcpy(&ia, &a, 8);
  memcpy(&ib, &b, 8);
  if (ia < 0) ia = INT64_MIN - ia;
  if (ib < 0) ib = INT64_MIN - ib;
  return ia > ib ? (uint64_t)ia - (uint64_t)ib : (uint64_t)ib - (uint64_t)ia;
}
static uint64_t ulp_f(float a, float b) {
  if (isnan(a) || isnan(b)) return isnan(a) && isnan(b) ? 0 : UINT64_MAX;
  int32_t ia, ib;
  memcpy(&ia, &a, 4);
  memcpy(&ib, &b, 4);
  if (ia < 0) ia = INT32_MIN - ia;
  if (ib < 0) ib = INT32_MIN - ib;
  return ia > ib ? (uint64_t)((int64_t)ia - ib) : (uint64_t)((int64_t)ib - ia);
}
static int same_d(double a, double b) {
  return memcmp(&a, &b, 8) == 0;
}
static int same_f(float a, float b) {
  return memcmp(&a, &b, 4) == 0;
}

/* The functions under test, their SLEEF scalars and libm references. */
typedef struct {
  const char *name;
  void (*vec)(double *, const double *, int64_t);
  double (*purec)(double);
  double (*ref)(double);
} fn_d;
typedef struct {
  const char *name;
  void (*vec)(float *, const float *, int64_t);
  float (*purec)(float);
  double (*ref)(double); /* evaluated in double, rounded to float */
} fn_f;

/* sleef.h declares its functions with a const-qualified return type: wrap them. Every NaN
 * result is expected as the default quiet NaN (+, no payload), whatever SLEEF returns. */
static double canon_d(double x) {
  return isnan(x) ? NAN : x;
}
static float canon_f(float x) {
  return isnan(x) ? NAN : x;
}
#define WRAP(T, F, C)                                                                              \
  static T F##_w(T x) {                                                                            \
    return C(Sleef_cinz_##F##1_u10purec(x));                                                       \
  }
WRAP(double, sind, canon_d)
WRAP(double, cosd, canon_d)
WRAP(double, tand, canon_d)
WRAP(double, expd, canon_d)
WRAP(double, logd, canon_d)
WRAP(float, sinf, canon_f)
WRAP(float, cosf, canon_f)
WRAP(float, tanf, canon_f)
WRAP(float, expf, canon_f)
WRAP(float, logf, canon_f)

static const fn_d un_d[] = {
    {"sin_f64", cdrt_vsin_f64, sind_w, sin}, {"cos_f64", cdrt_vcos_f64, cosd_w, cos},
    {"tan_f64", cdrt_vtan_f64, tand_w, tan}, {"exp_f64", cdrt_vexp_f64, expd_w, exp},
    {"log_f64", cdrt_vlog_f64, logd_w, log},
};
static const fn_f un_f[] = {
    {"sin_f32", cdrt_vsin_f32, sinf_w, sin}, {"cos_f32", cdrt_vcos_f32, cosf_w, cos},
    {"tan_f32", cdrt_vtan_f32, tanf_w, tan}, {"exp_f32", cdrt_vexp_f32, expf_w, exp},
    {"log_f32", cdrt_vlog_f32, logf_w, log},
};
#define NUN (int)(sizeof un_d / sizeof un_d[0])

static const double edges_d[] = {0.0,
                                 -0.0,
                                 5e-324,
                                 1e-310,
                                 DBL_MIN,
                                 1e-300,
                                 1e-20,
                                 1e-8,
                                 0.1,
                                 0.5,
                                 1.0,
                                 2.0,
                                 3.141592653589793,
                                 1.5707963267948966,
                                 10.0,
                                 100.0,
                                 700.0,
                                 709.78,
                                 709.79,
                                 710.0,
                                 745.2,
                                 746.0,
                                 1e5,
                                 1e10,
                                 1e15,
                                 1e22,
                                 1e100,
                                 1e300,
                                 DBL_MAX,
                                 INFINITY,
                                 NAN};
#define NEDGE (int)(sizeof edges_d / sizeof edges_d[0])

/* Arguments: the edges with both signs, then values spread over many binades. */
#define NSWEEP 60000
static double args_d[NSWEEP], args_x[NSWEEP], args_y[NSWEEP];
static float args_f[NSWEEP], args_xf[NSWEEP], args_yf[NSWEEP];

static void make_args(void) {
  int k = 0;
  for (int i = 0; i < NEDGE; i++) {
    args_d[k++] = edges_d[i];
    args_d[k++] = -edges_d[i];
  }
  for (; k < NSWEEP; k++) {
    double mag;
    int kind = k % 4;
    if (kind == 0)
      mag = ldexp(1.0 + rng_unit(), (int)(rng_next() % 2100) - 1075); /* anywhere */
    else if (kind == 1)
      mag = 800 * rng_unit(); /* exp range */
    else if (kind == 2)
      mag = 1e6 * rng_unit(); /* float trig's full-accuracy range */
    else
      mag = ldexp(1.0 + rng_unit(), (int)(rng_next() % 60) - 30);
    args_d[k] = (rng_next() & 1) ? -mag : mag;
  }
  for (int i = 0; i < NSWEEP; i++) args_f[i] = (float)args_d[i];
  /* pow: x positive, negative and special, y with integers, halves and specials. */
  static const double ys[] = {0.0,  -0.0,      1.0,  -1.0, 2.0,   3.0,      -3.0,      0.5,
                              -0.5, 1.0 / 3.0, 10.0, 1e10, -1e10, INFINITY, -INFINITY, NAN};
  for (int i = 0; i < NSWEEP; i++) {
    if (i < NEDGE * 2 * 16) { /* every edge x with every special y */
      args_x[i] = args_d[i / 16];
      args_y[i] = ys[i % 16];
    } else if (i % 3 == 0) {
      args_x[i] = fabs(args_d[i]) * (i % 2 ? -1 : 1);
      args_y[i] = (double)((int)(rng_next() % 41) - 20);
    } else {
      args_x[i] = 1000 * rng_unit();
      args_y[i] = 100 * rng_unit() - 50;
    }
    args_xf[i] = (float)args_x[i];
    args_yf[i] = (float)args_y[i];
  }
}

static void check_accuracy(void) {
  static double out[NSWEEP], s[NSWEEP], c[NSWEEP];
  static float outf[NSWEEP];
  make_args();
  for (int f = 0; f < NUN; f++) {
    un_d[f].vec(out, args_d, NSWEEP);
    int bad = 0;
    for (int i = 0; i < NSWEEP; i++) {
      double r = un_d[f].ref(args_d[i]);
      if (ulp_d(out[i], r) > 2) {
        if (bad++ < 3)
          fprintf(stderr, "%s(%a) = %a, libm %a\n", un_d[f].name, args_d[i], out[i], r);
      }
    }
    ASSERT(bad == 0);
    un_f[f].vec(outf, args_f, NSWEEP);
    bad = 0;
    for (int i = 0; i < NSWEEP; i++) {
      float r = (float)un_f[f].ref(args_f[i]);
      if (ulp_f(outf[i], r) > 2) {
        if (bad++ < 3)
          fprintf(stderr, "%s(%a) = %a, libm %a\n", un_f[f].name, args_f[i], outf[i], r);
      }
    }
    ASSERT(bad == 0);
  }
  /* Edge values that must come out exactly. */
  double e[6] = {-1.0, -INFINITY, 0.0, 1000.0, -1000.0, INFINITY};
  cdrt_vlog_f64(out, e, 6);
  ASSERT(isnan(out[0]) && isnan(out[1]) && out[2] == -INFINITY && out[5] == INFINITY);
  cdrt_vexp_f64(out, e, 6);
  ASSERT(out[0] == exp(-1.0) && out[1] == 0.0 && out[2] == 1.0 && out[3] == INFINITY &&
         out[4] == 0.0 && out[5] == INFINITY);
  float ef[6] = {-1.0f, -INFINITY, 0.0f, 1000.0f, -1000.0f, INFINITY};
  cdrt_vlog_f32(outf, ef, 6);
  ASSERT(isnan(outf[0]) && isnan(outf[1]) && outf[2] == -INFINITY && outf[5] == INFINITY);
  cdrt_vexp_f32(outf, ef, 6);
  ASSERT(outf[2] == 1.0f && outf[3] == INFINITY && outf[4] == 0.0f && outf[5] == INFINITY);
  cdrt_vsin_f64(out, e, 6);
  ASSERT(isnan(out[1]) && isnan(out[5]) && same_d(out[2], 0.0));
  double mz = -0.0;
  cdrt_vsin_f64(out, &mz, 1);
  ASSERT(same_d(out[0], -0.0));
  cdrt_vtan_f64(out, &mz, 1);
  ASSERT(same_d(out[0], -0.0));

  cdrt_vpow_f64(out, args_x, args_y, NSWEEP);
  cdrt_vpow_f32(outf, args_xf, args_yf, NSWEEP);
  int bad = 0, badf = 0;
  for (int i = 0; i < NSWEEP; i++) {
    double r = pow(args_x[i], args_y[i]);
    if (ulp_d(out[i], r) > 2 && bad++ < 3)
      fprintf(stderr, "pow_f64(%a, %a) = %a, libm %a\n", args_x[i], args_y[i], out[i], r);
    float rf = (float)pow(args_xf[i], args_yf[i]);
    if (ulp_f(outf[i], rf) > 2 && badf++ < 3)
      fprintf(stderr, "pow_f32(%a, %a) = %a, libm %a\n", args_xf[i], args_yf[i], outf[i], rf);
  }
  ASSERT(bad == 0);
  ASSERT(badf == 0);

  cdrt_vsincos_f64(s, c, args_d, NSWEEP);
  bad = 0;
  for (int i = 0; i < NSWEEP; i++)
    if ((ulp_d(s[i], sin(args_d[i])) > 2 || ulp_d(c[i], cos(args_d[i])) > 2) && bad++ < 3)
      fprintf(stderr, "sincos_f64(%a) = %a %a\n", args_d[i], s[i], c[i]);
  ASSERT(bad == 0);
}

/* Every element equals SLEEF's scalar function of its input, for every strip length,
 * offset of input and output, and in place; nothing outside the strip is written. */
#define POOL 64
#define PAD 8
static void check_positions(void) {
  double in[POOL], y[POOL], ref[NUN + 2][POOL], refs[POOL], refc[POOL];
  float inf_[POOL], yf[POOL], reff[NUN + 1][POOL];
  for (int i = 0; i < POOL; i++) {
    in[i] = i < NEDGE ? (i & 1 ? -edges_d[i] : edges_d[i]) : 20 * rng_unit() - 10;
    y[i] = 6 * rng_unit() - 3;
    inf_[i] = (float)in[i];
    yf[i] = (float)y[i];
    for (int f = 0; f < NUN; f++) {
      ref[f][i] = un_d[f].purec(in[i]);
      reff[f][i] = un_f[f].purec(inf_[i]);
    }
    ref[NUN][i] = canon_d(Sleef_cinz_powd1_u10purec(in[i], y[i]));
    reff[NUN][i] = canon_f(Sleef_cinz_powf1_u10purec(inf_[i], yf[i]));
    Sleef_double_2 sc = Sleef_cinz_sincosd1_u10purec(in[i]);
    refs[i] = canon_d(sc.x);
    refc[i] = canon_d(sc.y);
  }
  const double sent = -1234.5;
  int bad = 0;
  for (int n = 0; n <= 40; n++) {
    for (int oi = 0; oi < 8; oi++) {
      for (int oo = 0; oo < 8; oo++) {
        int base = (oi * 5 + n) % (POOL - 40); /* vary which inputs land where */
        double bin[PAD + 48], by[PAD + 48], bout[PAD + 48 + PAD], bout2[PAD + 48 + PAD];
        float fin[PAD + 48], fy[PAD + 48], fout[PAD + 48 + PAD];
        memcpy(bin + oi, in + base, (size_t)n * 8);
        memcpy(by + oi, y + base, (size_t)n * 8);
        memcpy(fin + oi, inf_ + base, (size_t)n * 4);
        memcpy(fy + oi, yf + base, (size_t)n * 4);
        for (int f = 0; f <= NUN + 1; f++) {
          for (int i = 0; i < PAD + 48 + PAD; i++) bout[i] = bout2[i] = sent, fout[i] = sent;
          double *o = bout + PAD + oo;
          float *of = fout + PAD + oo;
          if (f < NUN) {
            un_d[f].vec(o, bin + oi, n);
            un_f[f].vec(of, fin + oi, n);
          } else if (f == NUN) {
            cdrt_vpow_f64(o, bin + oi, by + oi, n);
            cdrt_vpow_f32(of, fin + oi, fy + oi, n);
          } else {
            cdrt_vsincos_f64(o, bout2 + PAD + oo, bin + oi, n);
          }
          for (int i = 0; i < n; i++) {
            double r = f <= NUN ? ref[f][base + i] : refs[base + i];
            if (!same_d(o[i], r)) bad++;
            if (f <= NUN && !same_f(of[i], reff[f][base + i])) bad++;
            if (f > NUN && !same_d(bout2[PAD + oo + i], refc[base + i])) bad++;
          }
          for (int i = 0; i < PAD + 48 + PAD; i++) {
            int inside = i >= PAD + oo && i < PAD + oo + n;
            if (!inside && (bout[i] != sent || bout2[i] != sent)) bad++;
            if (!inside && fout[i] != (float)sent) bad++;
          }
        }
        /* In place. */
        for (int f = 0; f < NUN; f++) {
          double *o = bout + PAD + oo;
          float *of = fout + PAD + oo;
          memcpy(o, in + base, (size_t)n * 8);
          memcpy(of, inf_ + base, (size_t)n * 4);
          un_d[f].vec(o, o, n);
          un_f[f].vec(of, of, n);
          for (int i = 0; i < n; i++) {
            if (!same_d(o[i], ref[f][base + i])) bad++;
            if (!same_f(of[i], reff[f][base + i])) bad++;
          }
        }
        double *o = bout + PAD + oo;
        memcpy(o, in + base, (size_t)n * 8);
        cdrt_vsincos_f64(o, bout2, o, n);
        for (int i = 0; i < n; i++)
          if (!same_d(o[i], refs[base + i]) || !same_d(bout2[i], refc[base + i])) bad++;
      }
    }
  }
  if (bad) fprintf(stderr, "%d elements differ from SLEEF's purec scalar\n", bad);
  ASSERT(bad == 0);
}

/* Large sweep: the vector path (full vectors) agrees with purec on every argument. */
static void check_sweep_vs_purec(void) {
  static double out[NSWEEP];
  static float outf[NSWEEP];
  int bad = 0;
  for (int f = 0; f < NUN; f++) {
    un_d[f].vec(out, args_d, NSWEEP);
    un_f[f].vec(outf, args_f, NSWEEP);
    for (int i = 0; i < NSWEEP; i++) {
      double r = un_d[f].purec(args_d[i]);
      float rf = un_f[f].purec(args_f[i]);
      if (!same_d(out[i], r) && bad++ < 5)
        fprintf(stderr, "%s(%a) = %a, purec %a\n", un_d[f].name, args_d[i], out[i], r);
      if (!same_f(outf[i], rf) && bad++ < 5)
        fprintf(stderr, "%s(%a) = %a, purec %a\n", un_f[f].name, args_f[i], outf[i], rf);
    }
  }
  cdrt_vpow_f64(out, args_x, args_y, NSWEEP);
  cdrt_vpow_f32(outf, args_xf, args_yf, NSWEEP);
  for (int i = 0; i < NSWEEP; i++) {
    if (!same_d(out[i], canon_d(Sleef_cinz_powd1_u10purec(args_x[i], args_y[i])))) bad++;
    if (!same_f(outf[i], canon_f(Sleef_cinz_powf1_u10purec(args_xf[i], args_yf[i])))) bad++;
  }
  if (bad) fprintf(stderr, "sweep: %d elements differ from SLEEF's purec scalar\n", bad);
  ASSERT(bad == 0);
}

/* The first calls of the process race from several threads to set up the dispatch. */
static void check_threads(void) {
  int bad = 0;
#pragma omp parallel num_threads(4) reduction(+ : bad)
  {
    double x[37], o[37];
    for (int i = 0; i < 37; i++) x[i] = 0.37 * i - 5;
    cdrt_vcos_f64(o, x, 37);
    for (int i = 0; i < 37; i++) bad += !same_d(o[i], cosd_w(x[i]));
  }
  ASSERT(bad == 0);
}

/* Each kernel runs on an ISA it can run on here: the one CDRT_VMATH_ISA forces (the widest
 * the kernel has at or below it), else the one measured fastest. */
static void check_choice(const char *forced) {
  __builtin_cpu_init();
  int has[CDRT_NISAS] = {1, __builtin_cpu_supports("avx"), __builtin_cpu_supports("avx512f")};
  int has_avx2 = __builtin_cpu_supports("avx2");
#if defined(__clang__) && !defined(__AVX__)
  int sleef_max = CDRT_ISA_SSE2; /* see VM_MAX_ISA in vmath.c */
#else
  int sleef_max = CDRT_ISA_AVX512;
#endif
  int want = -1;
  for (int isa = 0; forced && isa < CDRT_NISAS; isa++)
    if (!strcmp(forced, cdrt_isa_name(isa))) want = isa;
  for (int k = 0; k < CDRT_VK_COUNT; k++) {
    int random = k == CDRT_VK_RANDOM_UNIFORM || k == CDRT_VK_RANDOM_NORMAL;
    int ok[CDRT_NISAS];
    for (int isa = 0; isa < CDRT_NISAS; isa++)
      ok[isa] = has[isa] && (isa <= sleef_max || k == CDRT_VK_RANDOM_UNIFORM) &&
                (isa != CDRT_ISA_AVX || !random || has_avx2);
    int got = cdrt_vmath_isa((cdrt_vkernel)k);
    ASSERT(got >= 0 && got < CDRT_NISAS && ok[got]);
    if (want >= 0) {
      int expect = want;
      while (!ok[expect]) expect--;
      if (got != expect)
        fprintf(stderr, "%s: %s, forced %s\n", cdrt_vkernel_name((cdrt_vkernel)k),
                cdrt_isa_name(got), forced);
      ASSERT(got == expect);
    }
  }
}

static void run_all(void) {
  check_threads();
  check_accuracy();
  check_sweep_vs_purec();
  check_positions();
}

/* CDRT_VMATH_ISA values a program refuses (exit 2 with this message). */
static void check_setup_errors(void) {
  char err[160] = "";
  setenv("CDRT_VMATH_ISA", "avx2", 1);
  ASSERT(cdrt_vmath_setup(CDRT_VK(LOG_F64), err, sizeof err) == -1);
  ASSERT(!strcmp(err, "CDRT_VMATH_ISA is 'avx2': it must be sse2, avx, avx512 or auto"));
  setenv("CDRT_VMATH_ISA", "auto", 1);
  ASSERT(cdrt_vmath_setup(CDRT_VK(LOG_F64), err, sizeof err) == 0);
  setenv("CDRT_VMATH_ISA", "", 1);
  ASSERT(cdrt_vmath_setup(0, err, sizeof err) == 0);
  unsetenv("CDRT_VMATH_ISA");
}

/* JSON strings (RFC 8259): quote and backslash escaped, control characters and (so the
 * text is always valid UTF-8) every byte above 0x7e as \u00XX. */
static void check_json_and_cpu(void) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  cdrt_json_write_string(f, "Intel(R) \"x\\y\"\n\x01\x7f\xc3\xa9 z");
  fclose(f);
  ASSERT(!strcmp(text, "\"Intel(R) \\\"x\\\\y\\\"\\u000a\\u0001\\u007f\\u00c3\\u00a9 z\""));
  free(text);
  char cpu[128];
  cdrt_cpu_model(cpu, sizeof cpu);
  size_t n = strlen(cpu);
  ASSERT(n > 0 && cpu[0] != ' ' && cpu[n - 1] != ' ');
}

int main(int argc, char **argv) {
  if (argc > 1) { /* child: one forced ISA */
    run_all();
    check_choice(argv[1]);
    TEST_END();
  }
  run_all(); /* the ISA the runtime measures fastest */
  check_choice(NULL);
  check_setup_errors();
  check_json_and_cpu();
  __builtin_cpu_init();
  const char *isas[] = {"sse2", "avx", "avx512"};
  int have[] = {1, __builtin_cpu_supports("avx"), __builtin_cpu_supports("avx512f")};
  for (int k = 0; k < 3; k++) {
    if (!have[k]) {
      printf("ISA %s: not on this CPU, skipped\n", isas[k]);
      continue;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
      setenv("CDRT_VMATH_ISA", isas[k], 1);
      execl("/proc/self/exe", argv[0], isas[k], (char *)NULL);
      _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    printf("ISA %s: %s\n", isas[k], WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "ok" : "FAILED");
    ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  }
  TEST_END();
}
