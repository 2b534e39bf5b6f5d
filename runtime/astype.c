/* astype.c (with CDRT_WITH_CSV): pandas 1.5's astype to and from strings, which applies
 * Python's str(), int() and float() to each value, and to_datetime of strings (read as
 * read_csv's parse_dates reads them). To strings: an int's digits, a float's repr ("nan"
 * for NaN), "True" and "False", str(Timedelta), and "nan" for a missing string (pandas'
 * NaN is a float). From strings: the text stripped of Python's whitespace, with single
 * underscores allowed between digits; float() also reads "nan" and "inf" in any case. A
 * string that does not read, or a missing one as int64, stops the run (exit 3) with the
 * row and Python's own message. */
#include "cdrt.h"

#ifdef CDRT_WITH_CSV
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static cdrt_str arena_text(const char *t, size_t n, cdrt_bytes *arena) {
  char *out = cdrt_bytes_alloc(arena, n + 1);
  memcpy(out, t, n + 1);
  return (cdrt_str){out, (int64_t)n};
}

cdrt_str cdrt_str_of_i64(int64_t x, cdrt_bytes *arena) {
  char t[24];
  int n = snprintf(t, sizeof t, "%lld", (long long)x);
  return arena_text(t, (size_t)n, arena);
}

cdrt_str cdrt_str_of_f64(double x, cdrt_bytes *arena) {
  char t[40];
  cdrt_pyrepr(x, t);
  return arena_text(t, strlen(t), arena);
}

cdrt_str cdrt_str_of_timedelta(int64_t x, cdrt_bytes *arena) {
  char t[48];
  cdrt_format_timedelta(x, 0, t); /* str(Timedelta): the clock always, NaT "NaT" */
  return arena_text(t, strlen(t), arena);
}

/* s stripped, its underscores dropped into buf (n bytes), or -1 when one is not between two
 * digits (Python's rule for int() and float()) or the text does not fit */
static int64_t py_number_text(cdrt_str s, char *buf, size_t n) {
  cdrt_str t = cdrt_str_strip(s, 1, 1);
  size_t k = 0;
  for (int64_t i = 0; i < t.n; i++) {
    char ch = t.p[i];
    if (ch == '_') {
      if (i == 0 || i + 1 == t.n || !isdigit((unsigned char)t.p[i - 1]) ||
          !isdigit((unsigned char)t.p[i + 1]))
        return -1;
      continue;
    }
    if (k + 1 >= n) return -1;
    buf[k++] = ch;
  }
  buf[k] = 0;
  return (int64_t)k;
}

/* Python's repr of s, cut to 60 bytes, for a message */
static void py_quoted(cdrt_str s, char *out, size_t n) {
  int len = s.n > 60 ? 60 : (int)s.n;
  snprintf(out, n, "'%.*s%s'", len, s.p, s.n > 60 ? "..." : "");
}

int64_t cdrt_str_to_i64(cdrt_str s, cdrt_scan *c, const char *what) {
  char buf[64], q[80];
  int64_t x;
  if (!s.p) {
    cdrt_scan_fail(c, "%s: cannot convert float NaN to integer (a missing string)", what);
    return 0;
  }
  int64_t n = py_number_text(s, buf, sizeof buf);
  int r = n > 0 ? cdrt_parse_i64(buf, (size_t)n, &x) : -1;
  if (r == 0) return x;
  py_quoted(s, q, sizeof q);
  if (r == -2)
    cdrt_scan_fail(c, "%s: %s is out of int64's range (-2^63 .. 2^63 - 1)", what, q);
  else
    cdrt_scan_fail(c, "%s: invalid literal for int() with base 10: %s", what, q);
  return 0;
}

double cdrt_str_to_f64(cdrt_str s, cdrt_scan *c, const char *what) {
  char buf[400], q[80];
  double x;
  if (!s.p) return NAN;
  int64_t n = py_number_text(s, buf, sizeof buf);
  const char *d = buf + (n > 0 && (buf[0] == '+' || buf[0] == '-'));
  if (n > 0 && strcasecmp(d, "nan") == 0) return buf[0] == '-' ? -NAN : NAN;
  int r = n > 0 ? cdrt_parse_f64(buf, (size_t)n, &x) : -1;
  if (r == 0) return x;
  if (r == -2) return buf[0] == '-' ? -INFINITY : INFINITY; /* Python's float("1e999") */
  py_quoted(s, q, sizeof q);
  cdrt_scan_fail(c, "%s: could not convert string to float: %s", what, q);
  return 0;
}
int64_t cdrt_str_to_datetime(cdrt_str s, cdrt_scan *c, const char *what) {
  char q[80];
  int64_t x;
  if (!s.p) return CDRT_NAT;
  if (cdrt_parse_datetime(s.p, (size_t)s.n, &x) == 0) return x;
  py_quoted(s, q, sizeof q);
  cdrt_scan_fail(c, "%s: cannot read %s as datetime64[ns] (the forms read_csv's parse_dates reads)",
                 what, q);
  return 0;
}
#endif
