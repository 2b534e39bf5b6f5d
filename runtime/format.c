/* Printing arrays as NumPy 1.24's str() does with the default print options (precision 8,
 * floatmode 'maxprec', threshold 1000, edgeitems 3, linewidth 75): a port of the
 * behaviour of numpy/core/arrayprint.py (FloatingFormat, IntegerFormat, BoolFormat,
 * _formatArray) on top of a Dragon4 digit generator (Steele & White; Burger & Dybvig),
 * with the same digit-exponent estimate, cutoffs and rounding as NumPy's dragon4.c, so
 * that the digits match NumPy's for float64 and float32. */
#include "cdrt.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FMT_PRINT_PRECISION 8
#define FMT_PRINT_THRESHOLD 1000
#define FMT_PRINT_EDGEITEMS 3
#define FMT_PRINT_LINEWIDTH 75

/* ---- unsigned big integers, just enough for Dragon4 on binary64 (values below 2^2100) */

#define FMT_BN_BLOCKS 72

typedef struct {
  int n; /* blocks in use; b[n-1] != 0 unless n == 0 */
  uint32_t b[FMT_BN_BLOCKS];
} fmt_bn;

static void fmt_bn_trim(fmt_bn *a) {
  while (a->n > 0 && a->b[a->n - 1] == 0) a->n--;
}

static void fmt_bn_set(fmt_bn *a, uint64_t v) {
  a->b[0] = (uint32_t)v;
  a->b[1] = (uint32_t)(v >> 32);
  a->n = 2;
  fmt_bn_trim(a);
}

static void fmt_bn_mul_small(fmt_bn *a, uint32_t m) {
  uint64_t carry = 0;
  for (int i = 0; i < a->n; i++) {
    uint64_t p = (uint64_t)a->b[i] * m + carry;
    a->b[i] = (uint32_t)p;
    carry = p >> 32;
  }
  if (carry && a->n < FMT_BN_BLOCKS) a->b[a->n++] = (uint32_t)carry;
}

static void fmt_bn_mul_pow10(fmt_bn *a, int e) {
  for (; e >= 9; e -= 9) fmt_bn_mul_small(a, 1000000000u);
  static const uint32_t p10[9] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};
  if (e > 0) fmt_bn_mul_small(a, p10[e]);
}

static void fmt_bn_shl(fmt_bn *a, int s) {
  int words = s / 32, bits = s % 32;
  if (a->n == 0 || s == 0) return;
  int n = a->n + words + 1;
  if (n > FMT_BN_BLOCKS) n = FMT_BN_BLOCKS; /* cannot happen for the values we scale */
  for (int i = n - 1; i >= 0; i--) {
    int src = i - words;
    uint32_t hi = (src >= 0 && src < a->n) ? a->b[src] : 0;
    uint32_t lo = (src - 1 >= 0 && src - 1 < a->n) ? a->b[src - 1] : 0;
    a->b[i] = bits ? (hi << bits) | (lo >> (32 - bits)) : hi;
  }
  a->n = n;
  fmt_bn_trim(a);
}

static int fmt_bn_cmp(const fmt_bn *a, const fmt_bn *b) {
  if (a->n != b->n) return a->n < b->n ? -1 : 1;
  for (int i = a->n - 1; i >= 0; i--)
    if (a->b[i] != b->b[i]) return a->b[i] < b->b[i] ? -1 : 1;
  return 0;
}

static void fmt_bn_add(fmt_bn *r, const fmt_bn *a, const fmt_bn *b) {
  int n = a->n > b->n ? a->n : b->n;
  uint64_t carry = 0;
  for (int i = 0; i < n; i++) {
    uint64_t s = carry + (i < a->n ? a->b[i] : 0) + (i < b->n ? b->b[i] : 0);
    r->b[i] = (uint32_t)s;
    carry = s >> 32;
  }
  r->n = n;
  if (carry && n < FMT_BN_BLOCKS) r->b[r->n++] = (uint32_t)carry;
}

/* a -= b, for a >= b. */
static void fmt_bn_sub(fmt_bn *a, const fmt_bn *b) {
  int64_t borrow = 0;
  for (int i = 0; i < a->n; i++) {
    int64_t d = (int64_t)a->b[i] - (i < b->n ? b->b[i] : 0) - borrow;
    borrow = d < 0;
    a->b[i] = (uint32_t)(d + (borrow ? ((int64_t)1 << 32) : 0));
  }
  fmt_bn_trim(a);
}

/* Returns floor(r / s), which the callers guarantee is below 10, and leaves r mod s in r. */
static int fmt_bn_divmod_digit(fmt_bn *r, const fmt_bn *s) {
  int q = 0;
  while (q < 9 && fmt_bn_cmp(r, s) >= 0) {
    fmt_bn_sub(r, s);
    q++;
  }
  return q;
}

/* ---- Dragon4 */

typedef struct {
  uint64_t mant; /* value = mant * 2^e2 */
  int e2;
  int mbit;    /* index of the highest set bit of mant */
  int unequal; /* the gap below is half the gap above (a power of two) */
  int neg;
} fmt_fparts;

static fmt_fparts fmt_parts_f64(double x) {
  uint64_t u;
  memcpy(&u, &x, sizeof u);
  fmt_fparts f = {0, 0, 0, 0, (int)(u >> 63)};
  int be = (int)((u >> 52) & 0x7ff);
  uint64_t m = u & ((UINT64_C(1) << 52) - 1);
  if (be) {
    f.mant = m | (UINT64_C(1) << 52);
    f.e2 = be - 1075;
    f.mbit = 52;
    f.unequal = be != 1 && m == 0;
  } else {
    f.mant = m;
    f.e2 = 1 - 1075;
    for (uint64_t t = m; t > 1; t >>= 1) f.mbit++;
  }
  return f;
}

static fmt_fparts fmt_parts_f32(float x) {
  uint32_t u;
  memcpy(&u, &x, sizeof u);
  fmt_fparts f = {0, 0, 0, 0, (int)(u >> 31)};
  int be = (int)((u >> 23) & 0xff);
  uint32_t m = u & ((UINT32_C(1) << 23) - 1);
  if (be) {
    f.mant = m | (UINT32_C(1) << 23);
    f.e2 = be - 150;
    f.mbit = 23;
    f.unequal = be != 1 && m == 0;
  } else {
    f.mant = m;
    f.e2 = 1 - 150;
    for (uint32_t t = m; t > 1; t >>= 1) f.mbit++;
  }
  return f;
}

enum { FMT_CUT_TOTAL, FMT_CUT_FRACTION };
#define FMT_DIGITS_MAX 400

/* The shortest digits that identify the value among its neighbours of the same type
 * ("unique" mode), but at most cutoff_max and at least cutoff_min digits (total or after
 * the decimal point; -1 for none), the last one rounded. Writes the digits (no NUL) and
 * the decimal exponent of the first one; returns the number of digits. */
static int fmt_dragon4(const fmt_fparts *f, int mode, int cutoff_max, int cutoff_min, char *out,
                       int *pexp) {
  if (f->mant == 0) {
    out[0] = '0';
    *pexp = 0;
    return 1;
  }
  /* value = r/s; mlo and mhi are half the gaps to the neighbours below and above. */
  fmt_bn r, s, mlo, mhi, t;
  fmt_bn_set(&r, f->mant);
  fmt_bn_set(&s, 4);
  fmt_bn_set(&mhi, 2);
  fmt_bn_set(&mlo, f->unequal ? 1 : 2);
  if (f->e2 >= 0) {
    fmt_bn_shl(&r, f->e2 + 2);
    fmt_bn_shl(&mhi, f->e2);
    fmt_bn_shl(&mlo, f->e2);
  } else {
    fmt_bn_shl(&r, 2);
    fmt_bn_shl(&s, -f->e2);
  }
  int is_even = (f->mant & 1) == 0;

  /* Estimate of k = floor(log10(value)) + 1, correct or one too low, as in NumPy. */
  int k = (int)ceil((double)(f->mbit + f->e2) * 0.30102999566398119521373889472449 - 0.69);
  if (cutoff_max >= 0 && mode == FMT_CUT_FRACTION && k <= -cutoff_max) k = -cutoff_max + 1;
  if (k > 0)
    fmt_bn_mul_pow10(&s, k);
  else if (k < 0) {
    fmt_bn_mul_pow10(&r, -k);
    fmt_bn_mul_pow10(&mlo, -k);
    fmt_bn_mul_pow10(&mhi, -k);
  }
  if (fmt_bn_cmp(&r, &s) >= 0)
    k++;
  else {
    fmt_bn_mul_small(&r, 10);
    fmt_bn_mul_small(&mlo, 10);
    fmt_bn_mul_small(&mhi, 10);
  }

  int cut_max = k - FMT_DIGITS_MAX, cut_min = k;
  if (cutoff_max >= 0) {
    int want = mode == FMT_CUT_TOTAL ? k - cutoff_max : -cutoff_max;
    if (want > cut_max) cut_max = want;
  }
  if (cutoff_min >= 0) {
    int want = mode == FMT_CUT_TOTAL ? k - cutoff_min : -cutoff_min;
    if (want < cut_min) cut_min = want;
  }
  *pexp = k - 1;

  int n = 0, digit, low, high;
  for (;;) {
    k--;
    digit = fmt_bn_divmod_digit(&r, &s);
    fmt_bn_add(&t, &r, &mhi);
    int c = fmt_bn_cmp(&r, &mlo);
    low = is_even ? c <= 0 : c < 0;
    c = fmt_bn_cmp(&t, &s);
    high = is_even ? c >= 0 : c > 0;
    if (((low || high) && k <= cut_min) || k == cut_max) break;
    out[n++] = (char)('0' + digit);
    fmt_bn_mul_small(&r, 10);
    /* Once a margin exceeds the scale its comparison can no longer change: stop growing
     * it, which bounds the integers' size. */
    if (fmt_bn_cmp(&mlo, &s) <= 0) fmt_bn_mul_small(&mlo, 10);
    if (fmt_bn_cmp(&mhi, &s) <= 0) fmt_bn_mul_small(&mhi, 10);
  }

  /* Round the last digit: towards the side within the margin, else to nearest, ties to
   * the even digit. */
  int round_down = low;
  if (low == high) {
    fmt_bn_add(&t, &r, &r);
    int c = fmt_bn_cmp(&t, &s);
    round_down = c < 0 || (c == 0 && (digit & 1) == 0);
  }
  if (round_down)
    out[n++] = (char)('0' + digit);
  else if (digit < 9)
    out[n++] = (char)('0' + digit + 1);
  else {
    /* Carry: drop trailing nines; a string of nines becomes 1 at the next exponent. */
    while (n > 0 && out[n - 1] == '9') n--;
    if (n == 0) {
      out[n++] = '1';
      *pexp += 1;
    } else
      out[n - 1]++;
  }
  return n;
}

/* ---- NumPy's format_float_positional / format_float_scientific, for unique digits */

enum { FMT_TRIM_KEEP, FMT_TRIM_ZEROS }; /* NumPy's trim='k' and trim='.' */

static int fmt_pad_spaces(char *buf, int pos, int count) {
  for (; count > 0; count--) buf[pos++] = ' ';
  return pos;
}

/* Writes ddd.ddd with at most precision fraction digits (trim='.'), padded with spaces to
 * pad_left characters before the point and pad_right after it (-1 for no padding). */
static int fmt_format_positional(char *buf, const fmt_fparts *f, int precision, int min_digits,
                                 int pad_left, int pad_right) {
  char dig[FMT_DIGITS_MAX + 2];
  int pe, pos = 0, whole, frac = 0;
  if (f->neg) buf[pos++] = '-';
  int n = fmt_dragon4(f, FMT_CUT_FRACTION, precision, min_digits, dig, &pe);
  if (pe >= 0) {
    whole = pe + 1;
    if (n <= whole) {
      memcpy(buf + pos, dig, (size_t)n);
      pos += n;
      for (int i = n; i < whole; i++) buf[pos++] = '0';
    } else {
      memcpy(buf + pos, dig, (size_t)whole);
      pos += whole;
      buf[pos++] = '.';
      memcpy(buf + pos, dig + whole, (size_t)(n - whole));
      pos += n - whole;
      frac = n - whole;
    }
  } else {
    whole = 1;
    buf[pos++] = '0';
    buf[pos++] = '.';
    for (int i = 0; i < -(pe + 1); i++) buf[pos++] = '0';
    memcpy(buf + pos, dig, (size_t)n);
    pos += n;
    frac = n - (pe + 1);
  }
  if (frac == 0) buf[pos++] = '.';
  if (precision >= 0 && frac > 0) {
    while (buf[pos - 1] == '0') {
      pos--;
      frac--;
    }
  }
  if (pad_right >= frac) pos = fmt_pad_spaces(buf, pos, pad_right - frac);
  int shift = pad_left - (whole + f->neg);
  if (shift > 0) {
    memmove(buf + shift, buf, (size_t)pos);
    fmt_pad_spaces(buf, 0, shift);
    pos += shift;
  }
  buf[pos] = '\0';
  return pos;
}

/* Writes d.ddde+XX with at most precision and at least min_digits fraction digits, the
 * exponent with at least exp_digits digits (2 if -1), padded on the left to pad_left
 * characters before the point. */
static int fmt_format_scientific(char *buf, const fmt_fparts *f, int precision, int min_digits,
                                 int trim, int pad_left, int exp_digits) {
  char dig[FMT_DIGITS_MAX + 2];
  int pe, pos = 0;
  pos = fmt_pad_spaces(buf, pos, pad_left - (1 + f->neg));
  if (f->neg) buf[pos++] = '-';
  int n = fmt_dragon4(f, FMT_CUT_TOTAL, precision >= 0 ? precision + 1 : -1,
                      min_digits >= 0 ? min_digits + 1 : -1, dig, &pe);
  buf[pos++] = dig[0];
  buf[pos++] = '.';
  memcpy(buf + pos, dig + 1, (size_t)(n - 1));
  pos += n - 1;
  int frac = n - 1;
  if (trim == FMT_TRIM_KEEP) {
    for (; frac < precision; frac++) buf[pos++] = '0';
  } else if (precision >= 0) {
    while (frac > 0 && buf[pos - 1] == '0') {
      pos--;
      frac--;
    }
  }
  buf[pos++] = 'e';
  buf[pos++] = pe < 0 ? '-' : '+';
  char e[16];
  int elen = snprintf(e, sizeof e, "%d", pe < 0 ? -pe : pe);
  for (int i = elen; i < (exp_digits < 0 ? 2 : exp_digits); i++) buf[pos++] = '0';
  memcpy(buf + pos, e, (size_t)elen);
  pos += elen;
  buf[pos] = '\0';
  return pos;
}

/* ---- element formatters: one set of parameters for the whole (shown part of the) array */

typedef struct {
  cdrt_dtype t;
  const unsigned char *data;
  int ndim;
  const int64_t *shape;
  int64_t stride[CDRT_MAXDIM]; /* in elements */
  int summarise;
  /* ints */
  int int_width;
  /* floats, as FloatingFormat.fillFormat computes them */
  int exp_format, pad_left, pad_right, precision, exp_size;
} fmt_printer;

static double fmt_elem_f(const fmt_printer *p, int64_t i) {
  if (p->t == CDRT_FLOAT32) {
    float v;
    memcpy(&v, p->data + i * 4, 4);
    return v;
  }
  double v;
  memcpy(&v, p->data + i * 8, 8);
  return v;
}

static int64_t fmt_elem_i(const fmt_printer *p, int64_t i) {
  if (p->t == CDRT_INT32) {
    int32_t v;
    memcpy(&v, p->data + i * 4, 4);
    return v;
  }
  int64_t v;
  memcpy(&v, p->data + i * 8, 8);
  return v;
}

static fmt_fparts fmt_elem_parts(const fmt_printer *p, int64_t i) {
  if (p->t == CDRT_FLOAT32) {
    float v;
    memcpy(&v, p->data + i * 4, 4);
    return fmt_parts_f32(v);
  }
  return fmt_parts_f64(fmt_elem_f(p, i));
}

/* Calls fn on the offset of every element that is shown: all, or when summarising the
 * first and last FMT_PRINT_EDGEITEMS along each long axis. */
static void fmt_visit_shown(fmt_printer *p, int axis, int64_t off,
                            void (*fn)(fmt_printer *, int64_t, void *), void *arg) {
  if (axis == p->ndim) {
    fn(p, off, arg);
    return;
  }
  int64_t n = p->shape[axis];
  int cut = p->summarise && n > 2 * FMT_PRINT_EDGEITEMS;
  for (int64_t i = 0; i < n; i++) {
    if (cut && i == FMT_PRINT_EDGEITEMS) i = n - FMT_PRINT_EDGEITEMS;
    fmt_visit_shown(p, axis + 1, off + i * p->stride[axis], fn, arg);
  }
}

typedef struct {
  int64_t imin, imax;
  int any_int;
  double fmin, fmax; /* of the non-zero finite absolute values */
  float fmin32, fmax32;
  int any_nonzero, any_finite, any_nonfinite, any_neginf;
  int pass2; /* second pass: measure the digit strings */
  int int_len, frac_len, exp_len;
} fmt_stats;

static void fmt_int_stats(fmt_printer *p, int64_t off, void *arg) {
  fmt_stats *st = arg;
  int64_t v = fmt_elem_i(p, off);
  if (!st->any_int || v < st->imin) st->imin = v;
  if (!st->any_int || v > st->imax) st->imax = v;
  st->any_int = 1;
}

static void fmt_float_stats(fmt_printer *p, int64_t off, void *arg) {
  fmt_stats *st = arg;
  double v = fmt_elem_f(p, off);
  if (!isfinite(v)) {
    st->any_nonfinite = 1;
    if (isinf(v) && v < 0) st->any_neginf = 1;
    return;
  }
  st->any_finite = 1;
  if (v == 0) return;
  double a = fabs(v);
  if (!st->any_nonzero || a < st->fmin) st->fmin = a;
  if (!st->any_nonzero || a > st->fmax) st->fmax = a;
  st->any_nonzero = 1;
}

/* The first pass of fillFormat: the widest integer, fraction and exponent parts of the
 * shortest strings at the maximum precision. */
static void fmt_float_measure(fmt_printer *p, int64_t off, void *arg) {
  fmt_stats *st = arg;
  if (!isfinite(fmt_elem_f(p, off))) return;
  fmt_fparts f = fmt_elem_parts(p, off);
  char s[FMT_DIGITS_MAX + 32];
  int len;
  if (p->exp_format)
    len = fmt_format_scientific(s, &f, FMT_PRINT_PRECISION, -1, FMT_TRIM_ZEROS, -1, -1);
  else
    len = fmt_format_positional(s, &f, FMT_PRINT_PRECISION, -1, -1, -1);
  const char *dot = strchr(s, '.'), *e = strchr(s, 'e');
  int int_len = (int)(dot - s);
  int frac_len = (int)((e ? e : s + len) - dot - 1);
  if (int_len > st->int_len) st->int_len = int_len;
  if (frac_len > st->frac_len) st->frac_len = frac_len;
  if (e && (int)(s + len - e - 1) > st->exp_len) st->exp_len = (int)(s + len - e - 1);
}

static void fmt_setup_printer(fmt_printer *p) {
  fmt_stats st;
  memset(&st, 0, sizeof st);
  if (p->t == CDRT_INT32 || p->t == CDRT_INT64) {
    fmt_visit_shown(p, 0, 0, fmt_int_stats, &st);
    char a[32], b[32];
    int la = snprintf(a, sizeof a, "%" PRId64, st.imin);
    int lb = snprintf(b, sizeof b, "%" PRId64, st.imax);
    p->int_width = la > lb ? la : lb;
    return;
  }
  if (p->t != CDRT_FLOAT32 && p->t != CDRT_FLOAT64) return;
  fmt_visit_shown(p, 0, 0, fmt_float_stats, &st);
  if (st.any_nonzero) {
    /* NumPy compares in double but divides in the array's type. */
    double ratio = st.fmax / st.fmin;
    if (p->t == CDRT_FLOAT32) {
      float r32 = (float)st.fmax / (float)st.fmin;
      ratio = r32;
    }
    p->exp_format = st.fmax >= 1e8 || st.fmin < 0.0001 || ratio > 1000.0;
  }
  if (!st.any_finite) {
    p->pad_left = p->pad_right = 0;
  } else {
    fmt_visit_shown(p, 0, 0, fmt_float_measure, &st);
    p->pad_left = st.int_len;
    if (p->exp_format) {
      p->precision = st.frac_len;
      p->exp_size = st.exp_len - 1;
      p->pad_right = p->exp_size + 2 + p->precision;
    } else {
      p->precision = FMT_PRINT_PRECISION;
      p->pad_right = st.frac_len;
    }
  }
  if (st.any_nonfinite) {
    int offset = p->pad_right + 1;
    if (3 - offset > p->pad_left) p->pad_left = 3 - offset;
    if (3 + st.any_neginf - offset > p->pad_left) p->pad_left = 3 + st.any_neginf - offset;
  }
}

/* Formats element off into s (of size >= FMT_DIGITS_MAX + 64); returns its length. */
static int fmt_format_elem(const fmt_printer *p, int64_t off, char *s) {
  switch (p->t) {
  case CDRT_BOOL: return sprintf(s, "%s", p->data[off] ? " True" : "False");
  case CDRT_INT32:
  case CDRT_INT64: return sprintf(s, "%*" PRId64, p->int_width, fmt_elem_i(p, off));
  default: break;
  }
  double v = fmt_elem_f(p, off);
  if (!isfinite(v)) {
    const char *w = isnan(v) ? "nan" : v < 0 ? "-inf" : "inf";
    int pad = p->pad_left + p->pad_right + 1 - (int)strlen(w);
    return sprintf(s, "%*s%s", pad > 0 ? pad : 0, "", w);
  }
  fmt_fparts f = fmt_elem_parts(p, off);
  if (p->exp_format)
    return fmt_format_scientific(s, &f, p->precision, p->precision, FMT_TRIM_KEEP, p->pad_left,
                                 p->exp_size);
  return fmt_format_positional(s, &f, FMT_PRINT_PRECISION, 0, p->pad_left, p->pad_right);
}

/* ---- growable strings */

typedef struct {
  char *p;
  size_t n, cap;
} fmt_sbuf;

static void fmt_sb_put(fmt_sbuf *b, const char *s, size_t n) {
  if (b->n + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->n + n + 1) cap *= 2;
    char *q = realloc(b->p, cap);
    if (!q) {
      fprintf(stderr, "error: out of memory\n");
      exit(CDRT_EXIT_MEMORY);
    }
    b->p = q;
    b->cap = cap;
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = '\0';
}

static void fmt_sb_str(fmt_sbuf *b, const char *s) {
  fmt_sb_put(b, s, strlen(s));
}

static void fmt_sb_spaces(fmt_sbuf *b, int n) {
  for (; n > 0; n--) fmt_sb_put(b, " ", 1);
}

/* _extendLine: start a new line (indented by indent) if word does not fit in width,
 * unless the line holds nothing but the indent. */
static void fmt_extend_line(fmt_sbuf *s, fmt_sbuf *line, const char *word, size_t wlen,
                            size_t width, int indent) {
  if (line->n + wlen > width && line->n > (size_t)indent) {
    size_t n = line->n;
    while (n > 0 && line->p[n - 1] == ' ') n--;
    fmt_sb_put(s, line->p, n);
    fmt_sb_put(s, "\n", 1);
    line->n = 0;
    fmt_sb_spaces(line, indent);
  }
  fmt_sb_put(line, word, wlen);
}

/* _formatArray's recurser: the text of the sub-array at offset off from axis on, with
 * hanging indent 'indent' and 'width' columns. */
static void fmt_format_rec(const fmt_printer *p, int axis, int64_t off, int indent, int width,
                           fmt_sbuf *out) {
  if (axis == p->ndim) {
    char s[FMT_DIGITS_MAX + 64];
    int n = fmt_format_elem(p, off, s);
    fmt_sb_put(out, s, (size_t)n);
    return;
  }
  int64_t len = p->shape[axis];
  int summary = p->summarise && len > 2 * FMT_PRINT_EDGEITEMS;
  int64_t lead = summary ? FMT_PRINT_EDGEITEMS : 0, trail = summary ? FMT_PRINT_EDGEITEMS : len;
  fmt_sbuf s = {0}, word = {0};
  fmt_sb_put(&s, "", 0);
  if (axis == p->ndim - 1) {
    size_t elem_width = (size_t)(width - 1);
    fmt_sbuf line = {0};
    fmt_sb_spaces(&line, indent);
    fmt_sb_put(&line, "", 0);
    for (int64_t i = 0; i < len; i++) {
      if (i == lead && summary) {
        fmt_extend_line(&s, &line, "...", 3, elem_width, indent);
        fmt_sb_put(&line, " ", 1);
        i = len - trail;
      }
      word.n = 0;
      fmt_format_rec(p, axis + 1, off + i * p->stride[axis], indent + 1, width - 1, &word);
      fmt_extend_line(&s, &line, word.p, word.n, elem_width, indent);
      if (i < len - 1) fmt_sb_put(&line, " ", 1);
    }
    fmt_sb_put(&s, line.p, line.n);
    free(line.p);
  } else {
    int blank = p->ndim - axis - 1; /* newlines between sub-arrays */
    for (int64_t i = 0; i < len; i++) {
      if (i == lead && summary) {
        fmt_sb_spaces(&s, indent);
        fmt_sb_str(&s, "...");
        for (int k = 0; k < blank; k++) fmt_sb_put(&s, "\n", 1);
        i = len - trail;
      }
      word.n = 0;
      fmt_format_rec(p, axis + 1, off + i * p->stride[axis], indent + 1, width - 1, &word);
      fmt_sb_spaces(&s, indent);
      fmt_sb_put(&s, word.p, word.n);
      if (i < len - 1)
        for (int k = 0; k < blank; k++) fmt_sb_put(&s, "\n", 1);
    }
  }
  /* Replace the first hanging indent by the bracket. */
  fmt_sb_put(out, "[", 1);
  fmt_sb_put(out, s.p + indent, s.n - (size_t)indent);
  fmt_sb_put(out, "]", 1);
  free(s.p);
  free(word.p);
}

static void fmt_print_scalar(FILE *out, cdrt_dtype t, const void *data) {
  switch (t) {
  case CDRT_BOOL: fputs(*(const unsigned char *)data ? "True" : "False", out); return;
  case CDRT_INT32: {
    int32_t v;
    memcpy(&v, data, 4);
    fprintf(out, "%" PRId32, v);
    return;
  }
  case CDRT_INT64: {
    int64_t v;
    memcpy(&v, data, 8);
    fprintf(out, "%" PRId64, v);
    return;
  }
  default: break;
  }
  double v;
  if (t == CDRT_FLOAT32) {
    float f;
    memcpy(&f, data, 4);
    v = f;
  } else
    memcpy(&v, data, 8);
  /* glibc would print a NaN with its sign bit set as "-nan". */
  if (isnan(v))
    fputs("nan", out);
  else if (isinf(v))
    fputs(v < 0 ? "-inf" : "inf", out);
  else
    fprintf(out, "%.17g", v);
}

void cdrt_print(FILE *out, const char *label, cdrt_dtype t, int ndim, const int64_t *shape,
                const void *data) {
  fprintf(out, "%s = ", label ? label : "");
  if (ndim == 0) {
    fmt_print_scalar(out, t, data);
    fputc('\n', out);
    return;
  }
  int64_t size = 1;
  for (int i = 0; i < ndim; i++) size *= shape[i];
  if (size == 0) {
    fputs("[]\n", out);
    return;
  }
  fmt_printer p;
  memset(&p, 0, sizeof p);
  p.t = t;
  p.data = data;
  p.ndim = ndim;
  p.shape = shape;
  p.summarise = size > FMT_PRINT_THRESHOLD;
  for (int i = ndim - 1; i >= 0; i--)
    p.stride[i] = i == ndim - 1 ? 1 : p.stride[i + 1] * shape[i + 1];
  fmt_setup_printer(&p);
  fmt_sbuf s = {0};
  fmt_format_rec(&p, 0, 0, 1, FMT_PRINT_LINEWIDTH, &s);
  fwrite(s.p, 1, s.n, out);
  fputc('\n', out);
  free(s.p);
}
