/* Unit tests of runtime/format.c (cdrt_print): exact outputs checked once against NumPy
 * 1.24's str(), and properties that hold whatever NumPy does: shortest round-tripping
 * digits, the 75-column limit, alignment, summarisation. The Python test
 * tests/py/test_npy_format.py compares many more arrays with NumPy directly. */
#include "cdrt.h"
#include "test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The text cdrt_print writes, without the "x = " and the final newline (malloc'd). */
static char *fmt(cdrt_dtype t, int ndim, const int64_t *shape, const void *data) {
  FILE *f = tmpfile();
  if (!f) return calloc(1, 1);
  cdrt_print(f, "x", t, ndim, shape, data);
  long n = ftell(f);
  char *s = calloc(1, (size_t)n + 1);
  rewind(f);
  size_t got = fread(s, 1, (size_t)n, f);
  fclose(f);
  s[got] = '\0';
  int framed = got >= 5 && strncmp(s, "x = ", 4) == 0 && s[got - 1] == '\n';
  ASSERT(framed);
  if (!framed) return s;
  s[got - 1] = '\0';
  memmove(s, s + 4, got - 4);
  return s;
}

static void expect(const char *got, const char *want, int line) {
  test_checks++;
  if (strcmp(got, want) != 0) {
    test_failures++;
    fprintf(stderr, "%s:%d: got\n%s\nwanted\n%s\n", __FILE__, line, got, want);
  }
}

#define EXPECT(t, ndim, shape, data, want)                                                         \
  do {                                                                                             \
    char *s_ = fmt(t, ndim, shape, data);                                                          \
    expect(s_, want, __LINE__);                                                                    \
    free(s_);                                                                                      \
  } while (0)

#define F64(...)                                                                                   \
  (const double[]) {                                                                               \
    __VA_ARGS__                                                                                    \
  }
#define SHAPE(...)                                                                                 \
  (const int64_t[]) {                                                                              \
    __VA_ARGS__                                                                                    \
  }

static void test_scalars(void) {
  EXPECT(CDRT_FLOAT64, 0, NULL, F64(0.1), "0.10000000000000001");
  EXPECT(CDRT_FLOAT64, 0, NULL, F64(-2.5), "-2.5");
  EXPECT(CDRT_FLOAT64, 0, NULL, F64(NAN), "nan");
  EXPECT(CDRT_FLOAT64, 0, NULL, F64(-NAN), "nan");
  EXPECT(CDRT_FLOAT64, 0, NULL, F64(-INFINITY), "-inf");
  EXPECT(CDRT_FLOAT64, 0, NULL, F64(INFINITY), "inf");
  EXPECT(CDRT_FLOAT64, 0, NULL, F64(1e300), "1.0000000000000001e+300");
  float f = 0.1f;
  EXPECT(CDRT_FLOAT32, 0, NULL, &f, "0.10000000149011612");
  int32_t i32 = -7;
  EXPECT(CDRT_INT32, 0, NULL, &i32, "-7");
  int64_t i64 = INT64_MIN;
  EXPECT(CDRT_INT64, 0, NULL, &i64, "-9223372036854775808");
  unsigned char b = 1;
  EXPECT(CDRT_BOOL, 0, NULL, &b, "True");
  b = 0;
  EXPECT(CDRT_BOOL, 0, NULL, &b, "False");
}

static void test_small(void) {
  EXPECT(CDRT_FLOAT64, 1, SHAPE(0), F64(0), "[]");
  EXPECT(CDRT_INT32, 3, SHAPE(2, 0, 3), F64(0), "[]");
  EXPECT(CDRT_INT64, 1, SHAPE(3), ((const int64_t[]){1, 22, 333}), "[  1  22 333]");
  EXPECT(CDRT_INT32, 1, SHAPE(2), ((const int32_t[]){-5, 3}), "[-5  3]");
  EXPECT(CDRT_BOOL, 1, SHAPE(2), "\1\0", "[ True False]");
  EXPECT(CDRT_BOOL, 1, SHAPE(2), "\1\1", "[ True  True]");
  EXPECT(CDRT_BOOL, 2, SHAPE(2, 2), "\1\0\0\1", "[[ True False]\n [False  True]]");
  EXPECT(CDRT_FLOAT64, 1, SHAPE(3), F64(1.5, 2.25, 100.125), "[  1.5     2.25  100.125]");
  EXPECT(CDRT_FLOAT64, 1, SHAPE(3), F64(0.1, 0.2, 0.30000000000000004), "[0.1 0.2 0.3]");
  EXPECT(CDRT_FLOAT64, 1, SHAPE(2), F64(1.0 / 3, 2.0 / 3), "[0.33333333 0.66666667]");
  EXPECT(CDRT_FLOAT64, 1, SHAPE(2), F64(-0.0, 1.5), "[-0.   1.5]");
  EXPECT(CDRT_FLOAT64, 1, SHAPE(3), F64(NAN, -INFINITY, 1.0), "[ nan -inf   1.]");
  EXPECT(CDRT_FLOAT64, 1, SHAPE(2), F64(INFINITY, -INFINITY), "[ inf -inf]");
  EXPECT(CDRT_FLOAT64, 1, SHAPE(1), F64(NAN), "[nan]");
  EXPECT(CDRT_FLOAT64, 1, SHAPE(4), F64(1e100, 1e-100, 0, NAN),
         "[1.e+100 1.e-100 0.e+000     nan]");
  EXPECT(CDRT_FLOAT64, 1, SHAPE(3), F64(0.0, 1e-5, 1.5), "[0.0e+00 1.0e-05 1.5e+00]");
  float f[2] = {0.1f, 1.2345678e5f};
  EXPECT(CDRT_FLOAT32, 1, SHAPE(1), f, "[0.1]"); /* float32's shortest digits */
  EXPECT(CDRT_FLOAT32, 1, SHAPE(2), f, "[1.0000000e-01 1.2345678e+05]");
}

/* Scientific notation when max >= 1e8, min < 1e-4 or max/min > 1e3 (non-zero finite). */
static void test_notation(void) {
  EXPECT(CDRT_FLOAT64, 1, SHAPE(2), F64(1, 1000), "[   1. 1000.]");
  EXPECT(CDRT_FLOAT64, 1, SHAPE(2), F64(1, 1001), "[1.000e+00 1.001e+03]");
  EXPECT(CDRT_FLOAT64, 1, SHAPE(1), F64(99999999.), "[99999999.]");
  EXPECT(CDRT_FLOAT64, 1, SHAPE(1), F64(1e8), "[1.e+08]");
  EXPECT(CDRT_FLOAT64, 1, SHAPE(1), F64(1e-4), "[0.0001]");
  EXPECT(CDRT_FLOAT64, 1, SHAPE(1), F64(9.9999e-5), "[9.9999e-05]");
  EXPECT(CDRT_FLOAT64, 1, SHAPE(3), F64(0, NAN, 5), "[ 0. nan  5.]");
}

static void test_nested(void) {
  int64_t v[24];
  for (int i = 0; i < 24; i++) v[i] = i;
  EXPECT(CDRT_INT64, 3, SHAPE(2, 3, 4), v,
         "[[[ 0  1  2  3]\n  [ 4  5  6  7]\n  [ 8  9 10 11]]\n\n"
         " [[12 13 14 15]\n  [16 17 18 19]\n  [20 21 22 23]]]");
  EXPECT(CDRT_BOOL, 4, SHAPE(2, 2, 2, 2), "\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1",
         "[[[[ True  True]\n   [ True  True]]\n\n  [[ True  True]\n   [ True  True]]]\n\n\n"
         " [[[ True  True]\n   [ True  True]]\n\n  [[ True  True]\n   [ True  True]]]]");
}

static void test_wrap_and_summary(void) {
  double d[2000];
  for (int i = 0; i < 30; i++) d[i] = i * 1.1;
  EXPECT(CDRT_FLOAT64, 1, SHAPE(30), d,
         "[ 0.   1.1  2.2  3.3  4.4  5.5  6.6  7.7  8.8  9.9 11.  12.1 13.2 14.3\n"
         " 15.4 16.5 17.6 18.7 19.8 20.9 22.  23.1 24.2 25.3 26.4 27.5 28.6 29.7\n"
         " 30.8 31.9]");
  for (int i = 0; i < 2000; i++) d[i] = i;
  EXPECT(CDRT_FLOAT64, 1, SHAPE(2000), d,
         "[0.000e+00 1.000e+00 2.000e+00 ... 1.997e+03 1.998e+03 1.999e+03]");
  int64_t v[1001];
  for (int i = 0; i < 1001; i++) v[i] = i;
  EXPECT(CDRT_INT64, 1, SHAPE(1001), v, "[   0    1    2 ...  998  999 1000]");
  /* Exactly 1000 elements are not summarised. */
  char *s = fmt(CDRT_INT64, 1, SHAPE(1000), v);
  ASSERT(strstr(s, "...") == NULL && strstr(s, " 500 ") != NULL);
  /* No line is longer than 75 columns, continuation lines are indented by one. */
  int ok = 1;
  for (char *line = s; *line;) {
    char *nl = strchr(line, '\n');
    size_t len = nl ? (size_t)(nl - line) : strlen(line);
    if (len > 75 || (line != s && line[0] != ' ')) ok = 0;
    line = nl ? nl + 1 : line + len;
  }
  ASSERT(ok);
  free(s);
  /* A 2-D summarised array: rows "..." between the first and last three. */
  for (int i = 0; i < 1600; i++) d[i] = (i % 7) * 0.5;
  s = fmt(CDRT_FLOAT64, 2, SHAPE(40, 40), d);
  ASSERT(strstr(s, "\n ...\n") != NULL);
  int rows = 0;
  for (char *p = s; (p = strchr(p, '[')); p++) rows++;
  ASSERT(rows == 1 + 6);
  free(s);
}

/* Whatever the value, a lone float prints with at most 8 fraction digits: digits that
 * round-trip, or else the value rounded to 8 digits. */
static void test_roundtrip(void) {
  uint64_t x = 88172645463325252u;
  int ok = 1;
  for (int i = 0; i < 3000; i++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    double v = ldexp((double)(x >> 11), -53) * pow(10, (int)(x % 7) - 3); /* 1e-3 .. 1e3 */
    if (v < 1e-3) continue;
    char *s = fmt(CDRT_FLOAT64, 1, SHAPE(1), &v);
    double back = strtod(s + 1, NULL);
    const char *dot = strchr(s, '.');
    int frac = dot ? (int)strcspn(dot + 1, "]") : -1;
    char r8[64];
    int n8 = snprintf(r8, sizeof r8, "[%.8f", v);
    while (r8[n8 - 1] == '0') r8[--n8] = '\0';
    if (frac < 0 || frac > 8) ok = 0;
    /* Not the shortest round trip: then the value rounded to 8 digits, zeros trimmed. */
    else if (back != v && strncmp(s, r8, (size_t)n8) != 0)
      ok = 0;
    if (!ok) {
      fprintf(stderr, "  %.17g printed as %s\n", v, s);
      free(s);
      break;
    }
    free(s);

    float f = (float)v;
    s = fmt(CDRT_FLOAT32, 1, SHAPE(1), &f);
    dot = strchr(s, '.');
    frac = dot ? (int)strcspn(dot + 1, "]") : -1;
    n8 = snprintf(r8, sizeof r8, "[%.8f", (double)f);
    while (r8[n8 - 1] == '0') r8[--n8] = '\0';
    if (frac < 0 || frac > 8)
      ok = 0;
    else if (strtof(s + 1, NULL) != f && strncmp(s, r8, (size_t)n8) != 0)
      ok = 0;
    if (!ok) fprintf(stderr, "  float32 %.9g printed as %s\n", f, s);
    free(s);
    if (!ok) break;
  }
  ASSERT(ok);
}

/* All elements of a column have the same width: rows of a 2-D array line up. */
static void test_alignment(void) {
  double d[4 * 5];
  uint32_t x = 1;
  for (int i = 0; i < 20; i++) {
    x = x * 1664525u + 1013904223u;
    d[i] = ((double)(x >> 8) / (1 << 24) - 0.5) * 200;
  }
  char *s = fmt(CDRT_FLOAT64, 2, SHAPE(4, 5), d);
  size_t first = strcspn(s, "\n");
  int ok = 1, lines = 0;
  for (char *p = s; p; p = strchr(p, '\n')) {
    if (*p == '\n') p++;
    if (strcspn(p, "\n") != first + (lines == 3)) ok = 0; /* the last has the extra ']' */
    lines++;
  }
  ASSERT(ok && lines == 4);
  free(s);
}

int main(void) {
  test_scalars();
  test_small();
  test_notation();
  test_nested();
  test_wrap_and_summary();
  test_roundtrip();
  test_alignment();
  TEST_END();
}
