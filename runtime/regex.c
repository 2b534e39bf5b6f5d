/* regex.c (with CDRT_WITH_REGEX: PCRE2): pandas' str.contains, str.match, str.fullmatch and
 * str.replace of a regular expression, as Python's re.search, re.match, re.fullmatch and
 * re.sub (count: n), and str.count's number of matches, over UTF-8 strings. Patterns are compiled
 * with PCRE2's UTF and UCP options, so \d, \w, \s and case folding are Unicode's, as Python's str
 * patterns are. Each thread compiles a pattern once, the first time it meets it (keyed by the
 * pattern's address: one per call site), with its own match data: no lock on the rows' path. The
 * compiler checks every pattern (cdrt_rx_check) before a program is written. */
#include "cdrt.h"

#ifdef CDRT_WITH_REGEX
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static uint32_t rx_options(int flags) { /* PCRE2_LITERAL allows no PCRE2_UCP */
  return PCRE2_UTF | (flags & CDRT_RX_LITERAL ? PCRE2_LITERAL : PCRE2_UCP) |
         (flags & CDRT_RX_CASELESS ? PCRE2_CASELESS : 0);
}

static pcre2_code *rx_compile(const char *pat, int64_t len, int flags, int *err, size_t *at) {
  PCRE2_SIZE off = 0;
  pcre2_code *code =
      pcre2_compile((PCRE2_SPTR)pat, (PCRE2_SIZE)len, rx_options(flags), err, &off, NULL);
  *at = (size_t)off;
  return code;
}

int cdrt_rx_check(const char *pat, int64_t len, int flags, char *msg, size_t cap) {
  int err;
  size_t at;
  pcre2_code *code = rx_compile(pat, len, flags, &err, &at);
  if (code) {
    pcre2_code_free(code);
    return 1;
  }
  char text[256];
  pcre2_get_error_message(err, (PCRE2_UCHAR *)text, sizeof text);
  snprintf(msg, cap, "%s at offset %zu", text, at);
  return 0;
}

int cdrt_rx_groups(const char *pat, int64_t len, int flags, const char *name) {
  int err;
  size_t at;
  pcre2_code *code = rx_compile(pat, len, flags, &err, &at);
  if (!code) return -1;
  uint32_t n = 0;
  pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &n);
  int r = name ? pcre2_substring_number_from_name(code, (PCRE2_SPTR)name) : (int)n;
  pcre2_code_free(code);
  return r < 0 ? -1 : r;
}

int cdrt_rx_group_name(const char *pat, int64_t len, int flags, int group, char *name, size_t cap) {
  int err;
  size_t at;
  pcre2_code *code = rx_compile(pat, len, flags, &err, &at);
  if (!code) return 0;
  uint32_t count = 0, size = 0;
  PCRE2_SPTR table = NULL;
  pcre2_pattern_info(code, PCRE2_INFO_NAMECOUNT, &count);
  pcre2_pattern_info(code, PCRE2_INFO_NAMEENTRYSIZE, &size);
  pcre2_pattern_info(code, PCRE2_INFO_NAMETABLE, &table);
  int found = 0;
  for (uint32_t k = 0; k < count && !found; k++) { /* an entry: the number (2 bytes), the name */
    PCRE2_SPTR e = table + (size_t)k * size;
    if ((e[0] << 8 | e[1]) == group) snprintf(name, cap, "%s", (const char *)e + 2), found = 1;
  }
  pcre2_code_free(code);
  return found;
}

/* This thread's compiled patterns */
typedef struct {
  const char *pat;
  int flags;
  pcre2_code *code;
  pcre2_match_data *md;
  /* the bytes of the string md holds cdrt_rx_extract's match of (a copy: the same address
   * may hold another row's string later), and the match's rc (0: none kept) */
  char *last;
  size_t last_n, last_cap;
  int last_rc;
} rx_entry;
static _Thread_local rx_entry *rx_cache;
static _Thread_local int rx_n, rx_cap;

static rx_entry *rx_get(const char *pat, int64_t len, int flags) {
  for (int k = 0; k < rx_n; k++)
    if (rx_cache[k].pat == pat && rx_cache[k].flags == flags) return &rx_cache[k];
  if (rx_n == rx_cap) {
    rx_cap = rx_cap ? 2 * rx_cap : 4;
    rx_cache = realloc(rx_cache, (size_t)rx_cap * sizeof *rx_cache);
    if (!rx_cache) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory compiling a regular expression");
  }
  int err;
  size_t at;
  pcre2_code *code = rx_compile(pat, len, flags, &err, &at);
  if (!code) cdrt_fatal(CDRT_EXIT_INPUT, "the regular expression '%.*s' is invalid", (int)len, pat);
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); /* where PCRE2 has no JIT, it interprets */
  rx_entry *e = &rx_cache[rx_n++];
  *e =
      (rx_entry){pat, flags, code, pcre2_match_data_create_from_pattern(code, NULL), NULL, 0, 0, 0};
  if (!e->md) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory matching a regular expression");
  return e;
}

/* A match of e in s from byte at (options: PCRE2's): the count of pairs, <= 0 none */
static int rx_match(rx_entry *e, cdrt_str s, size_t at, uint32_t options) {
  e->last_rc = 0;
  int rc = pcre2_match(e->code, (PCRE2_SPTR)s.p, (PCRE2_SIZE)s.n, (PCRE2_SIZE)at,
                       options | PCRE2_NO_UTF_CHECK, e->md, NULL);
  if (rc < 0 && rc != PCRE2_ERROR_NOMATCH)
    cdrt_fatal(CDRT_EXIT_INPUT, "a regular expression could not be matched (PCRE2 error %d)", rc);
  return rc;
}

uint8_t cdrt_rx_search(cdrt_str s, const char *pat, int64_t len, int flags) {
  if (!s.p) return 0;
  uint32_t anchor = flags & CDRT_RX_FULL    ? PCRE2_ANCHORED | PCRE2_ENDANCHORED
                    : flags & CDRT_RX_START ? PCRE2_ANCHORED
                                            : 0;
  static const char empty = 0;
  if (!s.n) s.p = &empty; /* PCRE2 wants a pointer even for no bytes */
  return rx_match(rx_get(pat, len, flags), s, 0, anchor) > 0;
}

cdrt_str cdrt_rx_extract(cdrt_str s, const char *pat, int64_t len, int flags, int group) {
  if (!s.p) return s;
  static const char empty = 0;
  if (!s.n) s.p = &empty;
  rx_entry *e = rx_get(pat, len, flags);
  size_t n = (size_t)s.n;
  if (!e->last_rc || e->last_n != n || (n && memcmp(e->last, s.p, n) != 0)) { /* a first group */
    int rc = rx_match(e, s, 0, 0);
    if (n > e->last_cap) {
      e->last_cap = 2 * n + 16;
      e->last = realloc(e->last, e->last_cap);
      if (!e->last) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory matching a regular expression");
    }
    if (n) memcpy(e->last, s.p, n);
    e->last_n = n;
    e->last_rc = rc ? rc : -1; /* (rc 0 would be "nothing kept") */
  }
  PCRE2_SIZE *ov = pcre2_get_ovector_pointer(e->md);
  if (e->last_rc <= group || ov[2 * group] == PCRE2_UNSET) return (cdrt_str){NULL, 0};
  return (cdrt_str){s.p + ov[2 * group], (int64_t)(ov[2 * group + 1] - ov[2 * group])};
}

/* The bytes of a replacement: a growing buffer of this thread's, copied out at the end */
static _Thread_local char *rx_buf;
static _Thread_local size_t rx_buf_cap;
static void rx_put(size_t *n, const char *p, size_t k) {
  if (!k) return;
  if (*n + k > rx_buf_cap) {
    rx_buf_cap = (*n + k) * 2 + 64;
    rx_buf = realloc(rx_buf, rx_buf_cap);
    if (!rx_buf) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory replacing a regular expression");
  }
  memcpy(rx_buf + *n, p, k), *n += k;
}

/* The length of the UTF-8 code point that starts with byte c */
static size_t cp_len(unsigned char c) {
  return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

/* Python's re.sub loop over s: the matches of e, count at most (< 0: all), an empty one
 * only where it is not at the same place as the last, each replaced by the pieces repl
 * (NULL: only counted; the output in this thread's buffer, its length in *n) */
static int64_t rx_each(rx_entry *e, cdrt_str s, int64_t count, const cdrt_rx_piece *repl,
                       int npieces, size_t *n) {
  PCRE2_SIZE *ov = pcre2_get_ovector_pointer(e->md);
  size_t at = 0, copied = 0; /* the next search's start; s copied up to */
  int64_t hits = 0;
  uint32_t retry = 0; /* after an empty match: not empty again at the same place */
  while ((count < 0 || hits < count) && at <= (size_t)s.n) {
    int rc = rx_match(e, s, at, retry);
    if (rc <= 0) {
      if (!retry) break;
      retry = 0; /* no non-empty match here: move past one code point (Python's re.sub) */
      at += at < (size_t)s.n ? cp_len((unsigned char)s.p[at]) : 1;
      continue;
    }
    size_t from = ov[0], to = ov[1];
    if (repl) rx_put(n, s.p + copied, from - copied);
    for (int k = 0; repl && k < npieces; k++) {
      const cdrt_rx_piece *p = &repl[k];
      if (p->group < 0)
        rx_put(n, p->lit, (size_t)p->n);
      else if (p->group < rc && ov[2 * p->group] != PCRE2_UNSET) /* unmatched groups: "" */
        rx_put(n, s.p + ov[2 * p->group], ov[2 * p->group + 1] - ov[2 * p->group]);
    }
    copied = to, hits++, at = to;
    retry = from == to ? PCRE2_NOTEMPTY_ATSTART | PCRE2_ANCHORED : 0;
  }
  if (repl && hits) rx_put(n, s.p + copied, (size_t)s.n - copied);
  return hits;
}

cdrt_str cdrt_rx_replace(cdrt_str s, const char *pat, int64_t len, int flags,
                         const cdrt_rx_piece *repl, int npieces, int64_t count, cdrt_bytes *arena) {
  if (!s.p) return s;
  static const char empty = 0;
  if (!s.n) s.p = &empty;
  size_t n = 0;
  static const cdrt_rx_piece none = {"", 0, -1}; /* a template of nothing still copies */
  if (!rx_each(rx_get(pat, len, flags), s, count, npieces ? repl : &none, npieces, &n)) return s;
  char *out = cdrt_bytes_alloc(arena, n + 1);
  if (n) memcpy(out, rx_buf, n);
  return (cdrt_str){out, (int64_t)n};
}

double cdrt_rx_count(cdrt_str s, const char *pat, int64_t len, int flags) {
  if (!s.p) return NAN;
  static const char empty = 0;
  if (!s.n) s.p = &empty;
  return (double)rx_each(rx_get(pat, len, flags), s, -1, NULL, 0, NULL);
}

int64_t cdrt_rx_count_i64(cdrt_str s, const char *pat, int64_t len, int flags, cdrt_scan *c) {
  if (s.p) return (int64_t)cdrt_rx_count(s, pat, len, flags);
  cdrt_scan_unsampled_missing(c, "string", "str.count");
  return 0;
}
#endif
