/* strops.c (with CDRT_WITH_CSV): pandas' str.replace (a literal pattern, as regex=False),
 * str.slice and + of strings, as Python's str.replace, slicing by code points and +. A missing
 * string stays missing. */
#include "cdrt.h"

#ifdef CDRT_WITH_CSV
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* The byte offset of code point k of s (k <= its code points: s.n at the end) */
static int64_t byte_of(cdrt_str s, int64_t k) {
  int64_t i = 0;
  for (; i < s.n; i++)
    if (((unsigned char)s.p[i] & 0xc0) != 0x80 && k-- == 0) return i;
  return s.n;
}

cdrt_str cdrt_str_replace(cdrt_str s, cdrt_str pat, cdrt_str repl, int64_t count,
                          cdrt_bytes *arena) {
  if (!s.p) return s;
  int64_t hits = 0; /* the replacements made: count of them at most (count < 0: all) */
  if (pat.n == 0) { /* Python: repl before every code point and at the end */
    int64_t cps = (int64_t)cdrt_str_len(s), k = count < 0 || count > cps + 1 ? cps + 1 : count;
    char *out = cdrt_bytes_alloc(arena, (size_t)(s.n + k * repl.n + 1)), *o = out;
    for (int64_t i = 0; i <= s.n; i++) {
      bool start = i == s.n || ((unsigned char)s.p[i] & 0xc0) != 0x80;
      if (start && hits < k) memcpy(o, repl.p, (size_t)repl.n), o += repl.n, hits++;
      if (i < s.n) *o++ = s.p[i];
    }
    return (cdrt_str){out, o - out};
  }
  const char *p = s.p, *end = s.p + s.n;
  for (const char *q = p; (count < 0 || hits < count) && end - q >= pat.n;) {
    const char *m = memmem(q, (size_t)(end - q), pat.p, (size_t)pat.n);
    if (!m) break;
    hits++, q = m + pat.n;
  }
  if (!hits) return s;
  char *out = cdrt_bytes_alloc(arena, (size_t)(s.n + hits * (repl.n - pat.n) + 1)), *o = out;
  for (int64_t h = 0; h < hits; h++) {
    const char *m = memmem(p, (size_t)(end - p), pat.p, (size_t)pat.n);
    memcpy(o, p, (size_t)(m - p)), o += m - p;
    memcpy(o, repl.p, (size_t)repl.n), o += repl.n;
    p = m + pat.n;
  }
  memcpy(o, p, (size_t)(end - p)), o += end - p;
  return (cdrt_str){out, o - out};
}

/* The bytes of the code point at p (of s's end end) */
static int64_t cp_bytes(const char *p, const char *end) {
  int64_t k = 1;
  while (p + k < end && ((unsigned char)p[k] & 0xc0) == 0x80) k++;
  return k;
}

/* The code point at p is one of chars' */
static bool in_chars(const char *p, int64_t k, cdrt_str chars) {
  for (int64_t i = 0; i < chars.n; i += cp_bytes(chars.p + i, chars.p + chars.n))
    if (cp_bytes(chars.p + i, chars.p + chars.n) == k && memcmp(chars.p + i, p, (size_t)k) == 0)
      return true;
  return false;
}

cdrt_str cdrt_str_strip_chars(cdrt_str s, cdrt_str chars, int left, int right) {
  if (!s.p) return s;
  const char *p = s.p, *end = s.p + s.n;
  while (left && p < end && in_chars(p, cp_bytes(p, end), chars)) p += cp_bytes(p, end);
  while (right && end > p) {
    const char *q = end - 1;
    while (q > p && ((unsigned char)*q & 0xc0) == 0x80) q--;
    if (!in_chars(q, end - q, chars)) break;
    end = q;
  }
  return (cdrt_str){p, end - p};
}

cdrt_str cdrt_str_zfill(cdrt_str s, int64_t width, cdrt_bytes *arena) {
  if (!s.p) return s;
  int64_t n = (int64_t)cdrt_str_len(s);
  if (n >= width) return s;
  int64_t pad = width - n, sign = s.n && (s.p[0] == '+' || s.p[0] == '-');
  char *out = cdrt_bytes_alloc(arena, (size_t)(s.n + pad) + 1);
  if (sign) out[0] = s.p[0];
  memset(out + sign, '0', (size_t)pad);
  memcpy(out + sign + pad, s.p + sign, (size_t)(s.n - sign));
  return (cdrt_str){out, s.n + pad};
}

cdrt_str cdrt_str_get(cdrt_str s, int64_t i) {
  if (!s.p) return s;
  int64_t n = (int64_t)cdrt_str_len(s);
  if (i < 0) i += n;
  if (i < 0 || i >= n) return (cdrt_str){NULL, 0};
  int64_t a = byte_of(s, i);
  return (cdrt_str){s.p + a, cp_bytes(s.p + a, s.p + s.n)};
}

/* The code points before byte b of s */
static int64_t points_before(cdrt_str s, int64_t b) {
  return (int64_t)cdrt_str_len((cdrt_str){s.p, b});
}

double cdrt_str_find(cdrt_str s, cdrt_str sub, int right) {
  if (!s.p) return NAN;
  if (sub.n > s.n) return -1;
  if (!right) {
    const char *m = sub.n ? memmem(s.p, (size_t)s.n, sub.p, (size_t)sub.n) : s.p;
    return m ? (double)points_before(s, m - s.p) : -1;
  }
  for (int64_t b = s.n - sub.n; b >= 0; b--) /* (sub is valid UTF-8: a match starts a point) */
    if (memcmp(s.p + b, sub.p, (size_t)sub.n) == 0) return (double)points_before(s, b);
  return -1;
}

int64_t cdrt_str_find_i64(cdrt_str s, cdrt_str sub, int right, cdrt_scan *c) {
  if (s.p) return (int64_t)cdrt_str_find(s, sub, right);
  cdrt_scan_unsampled_missing(c, "string", right ? "str.rfind" : "str.find");
  return 0;
}

cdrt_str cdrt_str_pad(cdrt_str s, int64_t width, int side, cdrt_str fill, cdrt_bytes *arena) {
  if (!s.p) return s;
  int64_t n = (int64_t)cdrt_str_len(s);
  if (n >= width) return s;
  int64_t pad = width - n, left = side == 0 ? pad : side == 1 ? 0 : pad / 2 + (pad & width & 1);
  char *out = cdrt_bytes_alloc(arena, (size_t)(s.n + pad * fill.n) + 1), *o = out;
  for (int64_t k = 0; k < left; k++) memcpy(o, fill.p, (size_t)fill.n), o += fill.n;
  memcpy(o, s.p, (size_t)s.n), o += s.n;
  for (int64_t k = left; k < pad; k++) memcpy(o, fill.p, (size_t)fill.n), o += fill.n;
  return (cdrt_str){out, o - out};
}

cdrt_str cdrt_str_concat(cdrt_str a, cdrt_str b, cdrt_bytes *arena) {
  if (!a.p || !b.p) return (cdrt_str){NULL, 0};
  if (!b.n) return a;
  if (!a.n) return b;
  char *out = cdrt_bytes_alloc(arena, (size_t)(a.n + b.n) + 1);
  memcpy(out, a.p, (size_t)a.n), memcpy(out + a.n, b.p, (size_t)b.n);
  return (cdrt_str){out, a.n + b.n};
}

/* Python's s[start:stop] by code points (CDRT_SLICE_NONE: an open end; negative: from the
 * end): a view into s */
cdrt_str cdrt_str_slice(cdrt_str s, int64_t start, int64_t stop) {
  if (!s.p) return s;
  int64_t n = (int64_t)cdrt_str_len(s);
  if (start == CDRT_SLICE_NONE) start = 0;
  if (stop == CDRT_SLICE_NONE) stop = n;
  if (start < 0) start = start + n < 0 ? 0 : start + n;
  if (stop < 0) stop = stop + n < 0 ? 0 : stop + n;
  if (start > n) start = n;
  if (stop > n) stop = n;
  if (stop <= start) return (cdrt_str){s.p, 0};
  int64_t a = byte_of(s, start), b = stop == n ? s.n : byte_of(s, stop);
  return (cdrt_str){s.p + a, b - a};
}

/* An end of a slice by step as CPython's PySlice_AdjustIndices makes it (n code points) */
static int64_t slice_end(int64_t v, int64_t n, int64_t step, bool start) {
  if (v == CDRT_SLICE_NONE && start) return step > 0 ? 0 : n - 1;
  if (v == CDRT_SLICE_NONE) return step > 0 ? n : -1;
  if (v < 0) return v + n < 0 ? (step < 0 ? -1 : 0) : v + n;
  return v >= n ? (step < 0 ? n - 1 : n) : v;
}

cdrt_str cdrt_str_slice_step(cdrt_str s, int64_t start, int64_t stop, int64_t step,
                             cdrt_bytes *arena) {
  if (!s.p) return s;
  int64_t n = (int64_t)cdrt_str_len(s);
  start = slice_end(start, n, step, true), stop = slice_end(stop, n, step, false);
  int64_t count = step > 0 ? (start < stop ? (stop - start - 1) / step + 1 : 0)
                           : (stop < start ? (start - stop - 1) / -step + 1 : 0);
  if (!count) return (cdrt_str){s.p, 0};
  int64_t *at = cdrt_malloc(((size_t)n + 1) * sizeof *at); /* each code point's first byte */
  for (int64_t i = 0, k = 0; i < s.n; i++)
    if (((unsigned char)s.p[i] & 0xC0) != 0x80) at[k++] = i;
  at[n] = s.n;
  int64_t bytes = 0;
  for (int64_t k = 0; k < count; k++) { /* start + k step: an index (no step past the end) */
    int64_t i = start + k * step;
    bytes += at[i + 1] - at[i];
  }
  char *out = cdrt_bytes_alloc(arena, (size_t)bytes + 1), *o = out;
  for (int64_t k = 0; k < count; k++) {
    int64_t i = start + k * step;
    memcpy(o, s.p + at[i], (size_t)(at[i + 1] - at[i])), o += at[i + 1] - at[i];
  }
  free(at);
  return (cdrt_str){out, bytes};
}
#endif
