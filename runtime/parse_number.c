/* parse_number.c: decimal text to numbers, as a CSV column is read (only with
 * CDRT_WITH_CSV). int64 exactly, out of range an error (never a wrap). float64 correctly
 * rounded, half to even, as Python's float(), fast_float, DuckDB, Polars and pandas 3 read
 * it (the syntax is pandas': inf and infinity in any case, no nan, which pandas reads only
 * as a missing value's string; a decimal past the largest double is out of range, where
 * Python's float() gives inf): Clinger's fast path where the digits and the power of ten are both
 * exact doubles, else the Eisel-Lemire algorithm (Lemire, "Number Parsing at a Gigabyte per
 * Second", SPE 51(8), 2021; Mushtak and Lemire, "Fast Number Parsing Without Fallback", SPE 53(7),
 * 2023) with the 128-bit powers of five that tools/pow5.c computes at build time. Only a number of
 * more than 19 significant digits whose two candidate roundings differ goes to glibc's strtod
 * (correct, several times slower). Written here: the one maintained C library with this algorithm
 * (fast_float, Debian's libfast-float-dev) is C++. */
#ifdef CDRT_WITH_CSV
#include "cdrt.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

extern const uint64_t cdrt_pow5_128[651][2]; /* 5^q, q = -342 to 308 (tools/pow5.c) */

enum {
  F64_MANTISSA = 52,
  F64_MIN_EXP = -1023,
  F64_INF_POWER = 0x7ff,
  POW10_MIN = -342, /* below: zero for any 19 digits */
  POW10_MAX = 308,  /* above: infinity */
  EXP_CAP = 100000  /* exponents beyond are clamped: the value is 0 or infinity already */
};

/* A decimal w x 10^q read from text: w has at most 19 significant digits; many when more
 * (w is then the first 19, truncated). */
typedef struct {
  uint64_t w;
  int64_t q;
  int negative, many;
} number_decimal;

static int is_space(char c) {
  return c == ' ' || c == '\t';
}

static int is_digit(char c) {
  return c >= '0' && c <= '9';
}

/* Case-insensitive match of word (lower case) at [s, end): 1 if the text is exactly it. */
static int matches(const char *s, const char *end, const char *word) {
  size_t n = strlen(word);
  if ((size_t)(end - s) != n) return 0;
  for (size_t i = 0; i < n; i++)
    if ((s[i] | 0x20) != word[i]) return 0;
  return 1;
}

/* The digits, point and exponent of [s, end) (spaces trimmed, sign read): 0, or -1 when it
 * is not a decimal number. */
static int number_read(const char *s, const char *end, number_decimal *d) {
  memset(d, 0, sizeof *d);
  if (s < end && (*s == '+' || *s == '-')) d->negative = *s++ == '-';
  const char *start = s;
  int digits = 0, any = 0;
  for (; s < end && is_digit(*s); s++, any = 1) {
    if (digits < 19) {
      if (d->w || *s != '0') d->w = d->w * 10 + (uint64_t)(*s - '0'), digits += d->w != 0;
    } else {
      d->q++;
      d->many |= *s != '0';
    }
  }
  if (s < end && *s == '.') {
    for (s++; s < end && is_digit(*s); s++, any = 1) {
      if (digits < 19) {
        if (d->w || *s != '0') d->w = d->w * 10 + (uint64_t)(*s - '0'), digits += d->w != 0;
        d->q--;
      } else {
        d->many |= *s != '0';
      }
    }
  }
  if (!any || s == start) return -1;
  if (s < end && (*s == 'e' || *s == 'E')) {
    s++;
    int eneg = 0;
    if (s < end && (*s == '+' || *s == '-')) eneg = *s++ == '-';
    if (s == end || !is_digit(*s)) return -1;
    int64_t e = 0;
    for (; s < end && is_digit(*s); s++)
      if (e < EXP_CAP) e = e * 10 + (*s - '0');
    d->q += eneg ? -e : e;
  }
  return s == end ? 0 : -1;
}

/* The high and low words of a x b. */
static void mul128(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo) {
  unsigned __int128 p = (unsigned __int128)a * b;
  *hi = (uint64_t)(p >> 64), *lo = (uint64_t)p;
}

/* w x 10^q (w != 0, at most 19 digits) rounded to a double's 52-bit mantissa and biased
 * exponent (power2 = 0x7ff: infinity), as fast_float's compute_float. */
static void eisel_lemire(uint64_t w, int64_t q, uint64_t *mantissa, int *power2) {
  if (q < POW10_MIN) {
    *mantissa = 0, *power2 = 0;
    return;
  }
  if (q > POW10_MAX) {
    *mantissa = 0, *power2 = F64_INF_POWER;
    return;
  }
  int lz = __builtin_clzll(w);
  w <<= lz;
  const uint64_t *t = cdrt_pow5_128[q - POW10_MIN];
  uint64_t hi, lo;
  mul128(w, t[0], &hi, &lo);
  const uint64_t mask = UINT64_MAX >> (F64_MANTISSA + 3);
  if ((hi & mask) == mask) { /* the low word of the power may carry into the bits kept */
    uint64_t hi2, lo2;
    mul128(w, t[1], &hi2, &lo2);
    lo += hi2;
    if (hi2 > lo) hi++;
  }
  int upper = (int)(hi >> 63);
  int shift = upper + 64 - F64_MANTISSA - 3;
  uint64_t m = hi >> shift;
  /* floor(log2(10^q)) + 63, as fast_float's power() */
  int p2 = (int)((((152170 + 65536) * q) >> 16) + 63) + upper - lz - F64_MIN_EXP;
  if (p2 <= 0) { /* a subnormal */
    if (-p2 + 1 >= 64) {
      *mantissa = 0, *power2 = 0;
      return;
    }
    m >>= -p2 + 1;
    m += m & 1;
    m >>= 1;
    *power2 = m < (UINT64_C(1) << F64_MANTISSA) ? 0 : 1;
    *mantissa = m & ((UINT64_C(1) << F64_MANTISSA) - 1);
    return;
  }
  /* exactly halfway between two doubles: round to even (only possible for these q) */
  if (lo <= 1 && q >= -4 && q <= 23 && (m & 3) == 1 && (m << shift) == hi) m &= ~UINT64_C(1);
  m += m & 1;
  m >>= 1;
  if (m >= (UINT64_C(2) << F64_MANTISSA)) m = UINT64_C(1) << F64_MANTISSA, p2++;
  m &= ~(UINT64_C(1) << F64_MANTISSA);
  if (p2 >= F64_INF_POWER) m = 0, p2 = F64_INF_POWER;
  *mantissa = m, *power2 = p2;
}

static double from_bits(uint64_t mantissa, int power2, int negative) {
  uint64_t bits = mantissa | (uint64_t)power2 << F64_MANTISSA | (uint64_t)negative << 63;
  double v;
  memcpy(&v, &bits, sizeof v);
  return v;
}

/* glibc's strtod of [s, end) (spaces trimmed, a valid decimal number). */
static double slow_path(const char *s, const char *end) {
  size_t n = (size_t)(end - s);
  char small[128], *buf = n < sizeof small ? small : malloc(n + 1);
  if (!buf) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory (reading a number)");
  memcpy(buf, s, n);
  buf[n] = 0;
  double v = strtod(buf, NULL);
  if (buf != small) free(buf);
  return v;
}

static const double exact_pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* The common CSV number first, in one pass: [-+]digits[.digits], nothing else, at most 19
 * digits, and the digits as an integer w <= 2^53: w / 10^f is one correctly rounded
 * division of two exact doubles (Clinger). 0 and *out, or -1: take the general path. */
/* The digits at s (before end) appended to *w; where they stop. Four at a time where four
 * bytes are all digits (SWAR: the check and the conversion of fast_float's eight-digit
 * steps, on a 32-bit word). */
static inline const char *digit_run(const char *s, const char *end, uint64_t *w) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  while (end - s >= 4) {
    uint32_t v;
    memcpy(&v, s, 4);
    if (((v & 0xf0f0f0f0u) | (((v + 0x06060606u) & 0xf0f0f0f0u) >> 4)) != 0x33333333u) break;
    v -= 0x30303030u;
    v = v * 10 + (v >> 8);                              /* byte 0: d0d1, byte 2: d2d3 */
    v = ((v & 0x00ff00ffu) * (1 + (100u << 16))) >> 16; /* d0d1 x 100 + d2d3 */
    *w = *w * 10000 + v, s += 4;
  }
#endif
  for (; s < end && (unsigned)(*s - '0') < 10; s++) *w = *w * 10 + (uint64_t)(*s - '0');
  return s;
}

static inline int plain_decimal(const char *s, const char *end, double *out) {
  int neg = 0;
  if (s < end && (*s == '-' || *s == '+')) neg = *s++ == '-';
  const char *start = s;
  uint64_t w = 0; /* wraps past 19 digits, and is then not used */
  s = digit_run(s, end, &w);
  int64_t digits = s - start, frac = 0;
  if (s < end && *s == '.') {
    const char *f = ++s;
    s = digit_run(s, end, &w);
    frac = s - f, digits += frac;
  }
  if (s != end || digits == 0 || digits > 19 || w > UINT64_C(1) << 53) return -1;
  double v = (double)w; /* exact, and so is 10^frac (frac <= 19): one rounding */
  if (frac) v /= exact_pow10[frac];
  *out = neg ? -v : v;
  return 0;
}

/* Any other text (kept out of line: the fast path's caller saves no registers for it) */
__attribute__((noinline)) static int parse_f64_general(const char *s, size_t n, double *out) {
  const char *end = s + n;
  while (s < end && is_space(*s)) s++;
  while (end > s && is_space(end[-1])) end--;
  number_decimal d;
  if (number_read(s, end, &d) != 0) {
    const char *t = s + (s < end && (*s == '+' || *s == '-'));
    int neg = s < end && *s == '-';
    if (!matches(t, end, "inf") && !matches(t, end, "infinity")) return -1;
    *out = neg ? -__builtin_inf() : __builtin_inf();
    return 0;
  }
  if (d.w == 0) {
    *out = d.negative ? -0.0 : 0.0;
    return 0;
  }
  if (!d.many && d.w <= UINT64_C(1) << 53 && d.q >= -22 && d.q <= 22) { /* Clinger */
    double v = (double)d.w; /* exact, and so is the power: one rounding */
    v = d.q < 0 ? v / exact_pow10[-d.q] : v * exact_pow10[d.q];
    *out = d.negative ? -v : v;
    return 0;
  }
  uint64_t m;
  int p2;
  eisel_lemire(d.w, d.q, &m, &p2);
  if (d.many) { /* the digits dropped lie between w and w + 1: both must round alike */
    uint64_t m1;
    int p21;
    eisel_lemire(d.w + 1, d.q, &m1, &p21);
    if (m1 != m || p21 != p2) {
      *out = slow_path(s, end);
      return __builtin_isinf(*out) ? -2 : 0;
    }
  }
  if (p2 == F64_INF_POWER) return -2; /* past the largest double: pandas' object column */
  *out = from_bits(m, p2, d.negative);
  return 0;
}

int cdrt_parse_f64(const char *s, size_t n, double *out) {
  if (n <= 21 && plain_decimal(s, s + n, out) == 0) return 0;
  return parse_f64_general(s, n, out);
}

int cdrt_parse_i64(const char *s, size_t n, int64_t *out) {
  if (n - 1 < 18) { /* [-+] and up to 18 digits, nothing else: no overflow to test for */
    const char *p = s, *e = s + n;
    int neg = *p == '-' || *p == '+' ? *p++ == '-' : 0;
    uint64_t v = 0;
    for (; p < e && (unsigned)(*p - '0') < 10; p++) v = v * 10 + (uint64_t)(*p - '0');
    if (p == e && p > s + (s[0] == '-' || s[0] == '+')) {
      *out = neg ? (int64_t)(0 - v) : (int64_t)v;
      return 0;
    }
  }
  const char *end = s + n;
  while (s < end && is_space(*s)) s++;
  while (end > s && is_space(end[-1])) end--;
  int neg = 0;
  if (s < end && (*s == '+' || *s == '-')) neg = *s++ == '-';
  if (s == end) return -1;
  uint64_t v = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
  int over = 0;
  for (; s < end; s++) {
    if (!is_digit(*s)) return -1;
    unsigned digit = (unsigned)(*s - '0');
    if (v > (limit - digit) / 10) over = 1;
    if (!over) v = v * 10 + digit;
  }
  if (over) return -2;
  *out = neg ? (int64_t)(0 - v) : (int64_t)v;
  return 0;
}
#endif
