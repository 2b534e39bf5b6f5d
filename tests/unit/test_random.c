/* random.c: Random123's known answers for Philox-4x32-10, every element equal to a plain
 * scalar evaluation of the documented mapping (so the same bits for every (g0, stride, n)
 * that covers it; stride -1 the exact reverse of stride 1), ranges, moments, and seeds. */
#include "cdrt.h"
#include "test.h"

#include <math.h>
#include <sleef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int same(double a, double b) {
  return memcmp(&a, &b, sizeof a) == 0;
}

static void check_kat(void) {
  /* Random123 tests/kat_vectors: counter, key, expected output. */
  static const uint32_t kat[3][10] = {
      {0, 0, 0, 0, 0, 0, 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
      {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x408f276d,
       0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
      {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, 0xd16cfe09,
       0x94fdcceb, 0x5001e420, 0x24126ea1},
  };
  for (int k = 0; k < 3; k++) {
    uint32_t out[4];
    cdrt_philox4x32_10(kat[k], kat[k] + 4, out);
    for (int i = 0; i < 4; i++) ASSERT(out[i] == kat[k][6 + i]);
  }
}

/* The mapping of random.c's header comment, one element at a time, with SLEEF's scalar
 * functions. */
static void ref_uniforms(uint64_t seed, uint64_t g, double *ua, double *ub) {
  uint64_t p = g >> 1;
  uint32_t ctr[4] = {(uint32_t)p, (uint32_t)(p >> 32), 0, 0};
  uint32_t key[2] = {(uint32_t)seed, (uint32_t)(seed >> 32)};
  uint32_t w[4];
  cdrt_philox4x32_10(ctr, key, w);
  *ua = (double)((((uint64_t)w[1] << 32) | w[0]) >> 11) * 0x1p-53;
  *ub = (double)((((uint64_t)w[3] << 32) | w[2]) >> 11) * 0x1p-53;
}
static double ref_uniform(uint64_t seed, uint64_t g, double low, double high) {
  double ua, ub;
  ref_uniforms(seed, g, &ua, &ub);
  return low + (high - low) * (g & 1 ? ub : ua);
}
static double ref_normal(uint64_t seed, uint64_t g, double loc, double scale) {
  double ua, ub;
  ref_uniforms(seed, g, &ua, &ub);
  double r = sqrt(-2 * Sleef_cinz_logd1_u35purec(1 - ua));
  Sleef_double_2 sc = Sleef_cinz_sincosd1_u35purec(2 * M_PI * ub);
  return loc + scale * r * (g & 1 ? sc.x : sc.y);
}

#define MAXN 5000
#define SENT -777.25

/* Every element of every decomposition equals the scalar reference, and nothing past the
 * n elements is written. */
static void check_decompositions(void) {
  static double out[MAXN + 1];
  const int64_t g0s[] = {
      0, 1, 2, 3, 4097, 1000001, ((int64_t)1 << 33) + 1, (int64_t)1 << 40, INT64_MAX - 6000};
  const int64_t strides[] = {1, 2, 3, 7, -1, -2, 0, 1000, -1000};
  const int64_t ns[] = {0, 1, 2, 3, 7, 8, 255, 256, 257, 511, 512, 513, 1025, 5000};
  const uint64_t seed = 0x0123456789abcdefu;
  int bad_u = 0, bad_n = 0, bad_w = 0;
  for (size_t a = 0; a < sizeof g0s / sizeof g0s[0]; a++) {
    for (size_t b = 0; b < sizeof strides / sizeof strides[0]; b++) {
      for (size_t c = 0; c < sizeof ns / sizeof ns[0]; c++) {
        int64_t g0 = g0s[a], st = strides[b], n = ns[c];
        /* Keep every index in [0, INT64_MAX]: negative runs start high enough. */
        int64_t span = (st < 0 ? -st : st) * n;
        if (g0 > INT64_MAX - span) g0 = INT64_MAX - span;
        if (st < 0) g0 += span - 1;
        for (int which = 0; which < 2; which++) {
          for (int64_t j = 0; j <= n; j++) out[j] = SENT;
          if (which == 0)
            cdrt_random_uniform_f64(out, seed, g0, st, n, -3.0, 5.0);
          else
            cdrt_random_normal_f64(out, seed, g0, st, n, 1.5, 2.5);
          for (int64_t j = 0; j < n; j++) {
            uint64_t g = (uint64_t)(g0 + j * st);
            if (which == 0 && !same(out[j], ref_uniform(seed, g, -3.0, 5.0))) bad_u++;
            if (which == 1 && !same(out[j], ref_normal(seed, g, 1.5, 2.5))) bad_n++;
          }
          if (out[n] != SENT) bad_w++;
        }
      }
    }
  }
  if (bad_u || bad_n || bad_w)
    fprintf(stderr, "decompositions: %d uniform, %d normal differ; %d overruns\n", bad_u, bad_n,
            bad_w);
  ASSERT(bad_u == 0);
  ASSERT(bad_n == 0);
  ASSERT(bad_w == 0);
}

/* One array of 20000 elements, rebuilt from random chunkings and strided views. */
static void check_chunkings(void) {
  enum { N = 20000 };
  static double whole[N], part[N];
  uint64_t seed = 42, st = 12345;
  cdrt_random_normal_f64(whole, seed, 0, 1, N, 0.0, 1.0);
  int bad = 0;
  for (int rep = 0; rep < 20; rep++) {
    int64_t g = 0;
    while (g < N) {
      st = st * 6364136223846793005u + 1442695040888963407u;
      int64_t len = (int64_t)((st >> 33) % 700);
      if (len > N - g) len = N - g;
      cdrt_random_normal_f64(part + g, seed, g, 1, len, 0.0, 1.0);
      g += len;
    }
    for (int i = 0; i < N; i++) bad += !same(part[i], whole[i]);
  }
  /* A 2-D view: columns of a 100 x 200 row-major array, and reversed rows. */
  for (int col = 0; col < 200; col += 37) {
    cdrt_random_normal_f64(part, seed, col, 200, 100, 0.0, 1.0);
    for (int i = 0; i < 100; i++) bad += !same(part[i], whole[col + 200 * i]);
  }
  cdrt_random_normal_f64(part, seed, N - 1, -1, N, 0.0, 1.0);
  for (int i = 0; i < N; i++) bad += !same(part[i], whole[N - 1 - i]);
  cdrt_random_normal_f64(part, seed, 777, 0, 5, 0.0, 1.0);
  for (int i = 0; i < 5; i++) bad += !same(part[i], whole[777]);
  if (bad) fprintf(stderr, "chunkings: %d elements differ\n", bad);
  ASSERT(bad == 0);
}

/* Stride -1 gives bitwise the reversed stride-1 run (the fast path writes consecutive pairs
 * backwards), for both parities of either end, short and long runs; and runs whose indices
 * pass 2^63 or wrap past 2^64 (uint64 arithmetic) match the scalar reference. */
static void check_reverse_and_wrap(void) {
  static double fwd[MAXN + 1], rev[MAXN + 1];
  const int64_t g0s[] = {0, 1, 2, 3, 1000001, INT64_MAX - 6000, INT64_MAX - 6001};
  const int64_t ns[] = {1,  2,  3,   4,   5,   15,  16,   17,   31,
                        32, 33, 127, 128, 129, 130, 1000, 4999, 5000};
  const uint64_t seed = 0xfedcba9876543210u;
  int bad = 0, bad_w = 0;
  for (size_t a = 0; a < sizeof g0s / sizeof g0s[0]; a++) {
    for (size_t c = 0; c < sizeof ns / sizeof ns[0]; c++) {
      int64_t g0 = g0s[a], n = ns[c];
      for (int which = 0; which < 2; which++) {
        rev[n] = SENT;
        if (which == 0) {
          cdrt_random_normal_f64(fwd, seed, g0, 1, n, -0.5, 3.0);
          cdrt_random_normal_f64(rev, seed, g0 + n - 1, -1, n, -0.5, 3.0);
        } else {
          cdrt_random_uniform_f64(fwd, seed, g0, 1, n, -0.5, 3.0);
          cdrt_random_uniform_f64(rev, seed, g0 + n - 1, -1, n, -0.5, 3.0);
        }
        for (int64_t j = 0; j < n; j++) bad += !same(rev[j], fwd[n - 1 - j]);
        bad_w += rev[n] != SENT;
      }
    }
  }
  /* {g0, stride, n}: across 2^63 (consecutive as uint64), and wrapping past 2^64 or 0. */
  const int64_t runs[][3] = {{INT64_MAX - 20, 1, 40},
                             {INT64_MAX - 19, 1, 41},
                             {-21, 1, 40},
                             {-20, 1, 41},
                             {5, -1, 40},
                             {6, -1, 41},
                             {-1, -1, 40},
                             {-2, -1, 41},
                             {INT64_MIN + 20, -1, 40},
                             {INT64_MAX - 20, 3, 40},
                             {-7, -3, 40},
                             {INT64_MIN, 1, 33}};
  for (size_t k = 0; k < sizeof runs / sizeof runs[0]; k++) {
    int64_t g0 = runs[k][0], st = runs[k][1], n = runs[k][2];
    cdrt_random_normal_f64(fwd, seed, g0, st, n, 1.0, 0.5);
    cdrt_random_uniform_f64(rev, seed, g0, st, n, 1.0, 0.5);
    for (int64_t j = 0; j < n; j++) {
      uint64_t g = (uint64_t)g0 + (uint64_t)j * (uint64_t)st;
      bad += !same(fwd[j], ref_normal(seed, g, 1.0, 0.5));
      bad += !same(rev[j], ref_uniform(seed, g, 1.0, 0.5));
    }
  }
  if (bad || bad_w) fprintf(stderr, "reverse and wrap: %d differ; %d overruns\n", bad, bad_w);
  ASSERT(bad == 0);
  ASSERT(bad_w == 0);
}

static void check_statistics(void) {
  enum { N = 1000000 };
  static double v[N];
  /* Uniform: in [low, high), mean and variance within 5 sigma. */
  const double lows[] = {0.0, -3.0, 1e6}, highs[] = {1.0, 5.0, 1e6 + 1};
  for (int k = 0; k < 3; k++) {
    double low = lows[k], high = highs[k], w = high - low;
    cdrt_random_uniform_f64(v, 7 + (uint64_t)k, 0, 1, N, low, high);
    int out_of_range = 0;
    double sum = 0, sum2 = 0;
    for (int i = 0; i < N; i++) {
      out_of_range += !(v[i] >= low && v[i] < high);
      sum += v[i] - low;
      sum2 += (v[i] - low) * (v[i] - low);
    }
    double mean = sum / N, var = sum2 / N - mean * mean;
    ASSERT(out_of_range == 0);
    ASSERT(fabs(mean - w / 2) < 5 * w / sqrt(12.0 * N));
    /* Var of the sample variance of U(0, w): (w^4/80 - w^4/144) / N. */
    ASSERT(fabs(var - w * w / 12) < 5 * w * w * sqrt((1.0 / 80 - 1.0 / 144) / N));
  }
  /* Normal: mean, variance, the share within one sigma, all within 5 sigma. */
  const double loc = 3.0, scale = 2.0;
  cdrt_random_normal_f64(v, 2024, 0, 1, N, loc, scale);
  double sum = 0, sum2 = 0;
  int inside = 0, finite = 0;
  for (int i = 0; i < N; i++) {
    double z = (v[i] - loc) / scale;
    finite += isfinite(v[i]);
    sum += z;
    sum2 += z * z;
    inside += fabs(z) < 1;
  }
  double mean = sum / N, var = sum2 / N - mean * mean, share = (double)inside / N;
  const double p1 = 0.6826894921370859;
  ASSERT(finite == N);
  ASSERT(fabs(mean) < 5 / sqrt((double)N));
  ASSERT(fabs(var - 1) < 5 * sqrt(2.0 / N));
  ASSERT(fabs(share - p1) < 5 * sqrt(p1 * (1 - p1) / N));
  printf("normal: mean %.5f var %.5f share within 1 sigma %.5f (10^6 samples)\n", mean, var, share);
}

static void check_seeds_and_edges(void) {
  enum { N = 1000 };
  static double a[4][N];
  const uint64_t seeds[4] = {0, 1, (uint64_t)1 << 32, ((uint64_t)1 << 32) + 1};
  for (int k = 0; k < 4; k++) cdrt_random_normal_f64(a[k], seeds[k], 0, 1, N, 0.0, 1.0);
  for (int k = 0; k < 4; k++)
    for (int l = k + 1; l < 4; l++) {
      int equal = 0;
      for (int i = 0; i < N; i++) equal += same(a[k][i], a[l][i]);
      ASSERT(equal == 0);
    }
  /* uniform and normal of one seed differ too; low == high gives low */
  double u[N];
  cdrt_random_uniform_f64(u, 0, 0, 1, N, 0.0, 1.0);
  int equal = 0;
  for (int i = 0; i < N; i++) equal += same(u[i], a[0][i]);
  ASSERT(equal == 0);
  cdrt_random_uniform_f64(u, 0, 0, 1, N, 2.5, 2.5);
  for (int i = 0; i < N; i++) equal += u[i] != 2.5;
  ASSERT(equal == 0);
  /* n = 0 and negative n write nothing. */
  u[0] = SENT;
  cdrt_random_normal_f64(u, 0, 5, 1, 0, 0.0, 1.0);
  cdrt_random_uniform_f64(u, 0, 5, 3, -4, 0.0, 1.0);
  ASSERT(u[0] == SENT);
}

static void run_all(void) {
  check_kat();
  check_decompositions();
  check_chunkings();
  check_reverse_and_wrap();
  check_statistics();
  check_seeds_and_edges();
}

/* Run without arguments, the program checks the kernels the runtime picks, then runs
 * itself again once per ISA the CPU has, with CDRT_VMATH_ISA forcing the Philox, log and
 * sincos kernels: the bits must not change. */
int main(int argc, char **argv) {
  run_all();
  if (argc > 1) TEST_END();
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
