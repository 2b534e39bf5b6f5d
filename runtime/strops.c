/* strops.c (with CDRT_WITH_CSV): pandas' str.replace (a literal pattern, as regex=False),
 * str.slice and + of strings, as Python's str.replace, slicing by code points and +. A missing
 * string stays missing. */
#include "cdrt.h"

#ifdef CDRT_WITH_CSV
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
