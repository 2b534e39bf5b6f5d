/* datetime.c (with CDRT_WITH_CSV): pandas' datetime64[ns] values: nanoseconds since 1970-01-01
 * 00:00:00 UTC in an int64, NaT as INT64_MIN (CDRT_NAT), as NumPy stores them. Reading takes ISO
 * 8601 as pandas' fast path does (YYYY-MM-DD, then optionally 'T' or ' ' and HH:MM, :SS and up to
 * nine digits of fraction); writing is pandas' Datetime64Formatter: dates alone when every
 * value is midnight, else seconds with as many fraction digits (0, 3, 6 or 9) as the
 * finest value needs. The calendar is the proleptic Gregorian one, days counted with the
 * civil-from-days arithmetic of a 400-year cycle (146097 days). */
#include "cdrt.h"
#ifdef CDRT_WITH_CSV

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const int64_t NS_PER_SEC = 1000000000, NS_PER_DAY = INT64_C(86400) * 1000000000;

/* Days since 1970-01-01 of the civil date y-m-d (m 1..12) */
static int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;                                   /* [0, 399] */
  int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
  return era * 146097 + doe - 719468;
}

/* The civil date of z days since 1970-01-01 */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

static bool leap(int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* n digits at s (all of them digits): their value, else -1 */
static int64_t digits(const char *s, int n) {
  int64_t v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

/* One or two digits at s[*i] (before n): their value, else -1 */
static int64_t short_number(const char *s, size_t n, size_t *i) {
  size_t k = *i;
  while (k < n && k < *i + 2 && s[k] >= '0' && s[k] <= '9') k++;
  if (k == *i || (k < n && s[k] >= '0' && s[k] <= '9')) return -1;
  int64_t v = digits(s + *i, (int)(k - *i));
  *i = k;
  return v;
}

int cdrt_parse_datetime(const char *s, size_t n, int64_t *out) {
  while (n && (*s == ' ' || *s == '\t')) s++, n--;
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
  if (n == 3 && (memcmp(s, "NaT", 3) == 0 || memcmp(s, "nat", 3) == 0 || memcmp(s, "NAT", 3) == 0))
    return *out = CDRT_NAT, 0;
  /* YYYY-M[M]-D[D] (pandas reads one-digit months, days and hours too) */
  if (n < 8 || s[4] != '-') return -1;
  size_t i = 5;
  int64_t y = digits(s, 4), mo = short_number(s, n, &i), d = -1;
  if (i < n && s[i] == '-') i++, d = short_number(s, n, &i);
  if (y < 0 || mo < 1 || mo > 12 || d < 1) return -1;
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (d > mdays[mo - 1] + (mo == 2 && leap(y))) return -1;
  int64_t h = 0, mi = 0, sec = 0, frac = 0;
  if (i < n) {
    if (s[i] != 'T' && s[i] != ' ') return -1;
    i++;
    h = short_number(s, n, &i);
    if (i + 3 > n || s[i] != ':') return -1;
    mi = digits(s + i + 1, 2);
    if (h < 0 || h > 23 || mi < 0 || mi > 59) return -1;
    i += 3;
    if (i < n) {
      if (s[i] != ':' || n < i + 3 || (sec = digits(s + i + 1, 2)) < 0 || sec > 59) return -1;
      i += 3;
      if (i < n) {
        if (s[i] != '.' || i + 1 == n || n - i - 1 > 9) return -1;
        int nd = (int)(n - i - 1);
        if ((frac = digits(s + i + 1, nd)) < 0) return -1;
        for (int k = nd; k < 9; k++) frac *= 10;
        i = n;
      }
    }
  }
  /* datetime64[ns] spans 1677-09-21 to 2262-04-11 */
  int64_t days = days_from_civil(y, (int)mo, (int)d);
  if (days < -106751 || days > 106750) return -1;
  *out = days * NS_PER_DAY + ((h * 60 + mi) * 60 + sec) * NS_PER_SEC + frac;
  return 0;
}

int cdrt_datetime_digits(const int64_t *v, const int64_t *rows, int64_t n) {
  int digits = -1; /* -1: dates alone */
  for (int64_t i = 0; i < n; i++) {
    int64_t x = v[rows ? rows[i] : i];
    if (x == CDRT_NAT) continue;
    int64_t r = ((x % NS_PER_DAY) + NS_PER_DAY) % NS_PER_DAY;
    if (r == 0) continue;
    int64_t f = r % NS_PER_SEC;
    int need = f == 0 ? 0 : f % 1000000 == 0 ? 3 : f % 1000 == 0 ? 6 : 9;
    if (need > digits) digits = need;
  }
  return digits;
}

void cdrt_format_datetime(int64_t x, int digits, char *out) {
  if (x == CDRT_NAT) {
    strcpy(out, "NaT");
    return;
  }
  int64_t days = x / NS_PER_DAY, r = x % NS_PER_DAY;
  if (r < 0) r += NS_PER_DAY, days--;
  int64_t y;
  int m, d;
  civil_from_days(days, &y, &m, &d);
  int k = snprintf(out, 32, "%04lld-%02d-%02d", (long long)y, m, d);
  if (digits < 0) return;
  int64_t sec = r / NS_PER_SEC, frac = r % NS_PER_SEC;
  k += snprintf(out + k, 32 - (size_t)k, " %02d:%02d:%02d", (int)(sec / 3600), (int)(sec / 60 % 60),
                (int)(sec % 60));
  if (digits > 0) { /* the fraction's first digits (3, 6 or 9) */
    out[k++] = '.';
    for (int i = 0, p = 100000000; i < digits && i < 9; i++, p /= 10)
      out[k++] = (char)('0' + frac / p % 10);
    out[k] = 0;
  }
}

void cdrt_timestamp_str(int64_t x, char *out) { /* str(pd.Timestamp): microseconds or ns */
  int64_t f = ((x % NS_PER_SEC) + NS_PER_SEC) % NS_PER_SEC;
  cdrt_format_datetime(x, f == 0 ? 0 : f % 1000 == 0 ? 6 : 9, out);
}

double cdrt_dt_field(int64_t x, int field) {
  if (field >= CDRT_TD_DAYS) return cdrt_td_field(x, field);
  if (x == CDRT_NAT) return NAN;
  int64_t days = x / NS_PER_DAY, r = x % NS_PER_DAY;
  if (r < 0) r += NS_PER_DAY, days--;
  int64_t y;
  int m, d;
  civil_from_days(days, &y, &m, &d);
  switch (field) {
  case CDRT_DT_YEAR: return (double)y;
  case CDRT_DT_MONTH: return m;
  case CDRT_DT_DAY: return d;
  case CDRT_DT_HOUR: return (double)(r / (3600 * NS_PER_SEC));
  case CDRT_DT_MINUTE: return (double)(r / (60 * NS_PER_SEC) % 60);
  case CDRT_DT_SECOND: return (double)(r / NS_PER_SEC % 60);
  case CDRT_DT_DAYOFWEEK: return (double)(((days % 7) + 7 + 3) % 7); /* 1970-01-01: Thursday */
  default: return (double)(days - days_from_civil(y, 1, 1) + 1);     /* CDRT_DT_DAYOFYEAR */
  }
}

int cdrt_nat_digits(int t, const int64_t *v, const int64_t *rows, int64_t n) {
  return t == CDRT_COL_TIMEDELTA ? cdrt_timedelta_digits(v, rows, n)
                                 : cdrt_datetime_digits(v, rows, n);
}

void cdrt_format_nat(int t, int64_t x, int digits, char *out) {
  if (t == CDRT_COL_TIMEDELTA)
    cdrt_format_timedelta(x, digits, out);
  else
    cdrt_format_datetime(x, digits, out);
}

int64_t cdrt_dt_field_i64(int64_t x, int field, cdrt_scan *c) {
  if (x != CDRT_NAT) return (int64_t)cdrt_dt_field(x, field);
  cdrt_scan_unsampled_missing(c, "datetime (NaT)", "its dt field");
  return 0;
}
#endif
