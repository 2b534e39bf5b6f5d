/* timedelta.c (with CDRT_WITH_CSV): pandas' timedelta64[ns] values, nanoseconds in an int64,
 * NaT as INT64_MIN (CDRT_NAT), as NumPy stores them. A value's parts are pandas'
 * components: whole days rounded down, then a non-negative time of day, so that -1 ns is
 * "-1 days +23:59:59.999999999". Writing is pandas' get_format_timedelta64: "N days" alone
 * when every value is a whole number of days, else each value's days, time and as many
 * fraction digits (0, 6 or 9) as it needs. Reading is pandas' Timedelta(str): numbers with
 * units ("1h30min", "1.5 days") and clock times ("1 days 02:00:00"). */
#include "cdrt.h"
#ifdef CDRT_WITH_CSV

#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const int64_t TD_NS_SEC = 1000000000, TD_NS_DAY = INT64_C(86400) * 1000000000;

/* x's days (rounded down) and the rest, in [0, TD_NS_DAY) */
static int64_t td_split_days(int64_t x, int64_t *rest) {
  int64_t days = x / TD_NS_DAY, r = x % TD_NS_DAY;
  if (r < 0) r += TD_NS_DAY, days--;
  *rest = r;
  return days;
}

int cdrt_timedelta_digits(const int64_t *v, const int64_t *rows, int64_t n) {
  for (int64_t i = 0; i < n; i++) {
    int64_t x = v[rows ? rows[i] : i], r;
    if (x != CDRT_NAT && (td_split_days(x, &r), r != 0)) return 0;
  }
  return -1;
}

void cdrt_format_timedelta(int64_t x, int digits, char *out) {
  if (x == CDRT_NAT) {
    strcpy(out, "NaT");
    return;
  }
  int64_t r, days = td_split_days(x, &r);
  if (digits < 0) {
    snprintf(out, 48, "%lld days", (long long)days);
    return;
  }
  int64_t sec = r / TD_NS_SEC, frac = r % TD_NS_SEC;
  int k = snprintf(out, 48, "%lld days%s%02d:%02d:%02d", (long long)days, x < 0 ? " +" : " ",
                   (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60));
  if (frac) /* microseconds, or nanoseconds when there are any */
    snprintf(out + k, 48 - (size_t)k, ".%0*lld", frac % 1000 ? 9 : 6,
             (long long)(frac % 1000 ? frac : frac / 1000));
}

double cdrt_td_field(int64_t x, int field) {
  if (x == CDRT_NAT) return NAN;
  if (field == CDRT_TD_TOTAL_SECONDS) return (double)x / 1e9;
  int64_t r, days = td_split_days(x, &r);
  switch (field) {
  case CDRT_TD_DAYS: return (double)days;
  case CDRT_TD_SECONDS: return (double)(r / TD_NS_SEC);
  case CDRT_TD_MICROSECONDS: return (double)(r % TD_NS_SEC / 1000);
  default: return (double)(r % 1000); /* CDRT_TD_NANOSECONDS */
  }
}

/* ---- sums, means and medians: exact, in 128 bits ---- */
static void td_i128_text(__int128 v, char *out) { /* out: 48 bytes */
  char d[48];
  int k = 0;
  unsigned __int128 u = v < 0 ? -(unsigned __int128)v : (unsigned __int128)v;
  do d[k++] = (char)('0' + (int)(u % 10)), u /= 10;
  while (u);
  int j = 0;
  if (v < 0) out[j++] = '-';
  while (k) out[j++] = d[--k];
  out[j] = 0;
}

static __int128 td_i128(uint64_t lo, int64_t hi) {
  return (__int128)(((unsigned __int128)(uint64_t)hi << 64) | lo);
}

int64_t cdrt_nat_sum(uint64_t lo, int64_t hi, const char *what) {
  __int128 v = td_i128(lo, hi);
  if (v <= INT64_MIN || v > INT64_MAX) {
    char t[48];
    td_i128_text(v, t);
    cdrt_fatal_all(CDRT_EXIT_INPUT,
                   "%s: ValueError: overflow in timedelta operation: the sum is %s ns, past "
                   "the nanoseconds an int64 holds (about 292 years either way)",
                   what ? what : "a timedelta sum", t);
  }
  return (int64_t)v;
}

int64_t cdrt_nat_mean(uint64_t lo, int64_t hi, int64_t n) {
  return n ? (int64_t)(td_i128(lo, hi) / n) : CDRT_NAT; /* truncated, as pandas' int64 cast */
}

int64_t cdrt_nat_from_f64(double x, const char *what) {
  if (isnan(x)) return CDRT_NAT;
  if (!(fabs(x) < 0x1p63))
    cdrt_fatal_all(CDRT_EXIT_INPUT,
                   "%s: OverflowError: %.17g ns is past the nanoseconds an int64 holds (about "
                   "292 years either way)",
                   what ? what : "a timedelta", x);
  return (int64_t)x;
}

int64_t cdrt_nat_mid(int64_t a, int64_t b) {
  return (int64_t)(((__int128)a + b) / 2);
}

/* ---- pandas' Timedelta(str) ---- */
static const struct {
  const char *name;
  int64_t ns;
} td_units[] = {{"w", 7 * INT64_C(86400000000000)},
                {"d", INT64_C(86400000000000)},
                {"day", INT64_C(86400000000000)},
                {"days", INT64_C(86400000000000)},
                {"h", INT64_C(3600000000000)},
                {"hr", INT64_C(3600000000000)},
                {"hour", INT64_C(3600000000000)},
                {"hours", INT64_C(3600000000000)},
                {"m", INT64_C(60000000000)},
                {"t", INT64_C(60000000000)},
                {"min", INT64_C(60000000000)},
                {"minute", INT64_C(60000000000)},
                {"minutes", INT64_C(60000000000)},
                {"s", INT64_C(1000000000)},
                {"sec", INT64_C(1000000000)},
                {"second", INT64_C(1000000000)},
                {"seconds", INT64_C(1000000000)},
                {"ms", 1000000},
                {"l", 1000000},
                {"milli", 1000000},
                {"millis", 1000000},
                {"millisecond", 1000000},
                {"milliseconds", 1000000},
                {"us", 1000},
                {"u", 1000},
                {"micro", 1000},
                {"micros", 1000},
                {"microsecond", 1000},
                {"microseconds", 1000},
                {"ns", 1},
                {"n", 1},
                {"nano", 1},
                {"nanos", 1},
                {"nanosecond", 1},
                {"nanoseconds", 1}};

int64_t cdrt_timedelta_unit(const char *u, size_t n) {
  char low[16];
  if (n == 0 || n >= sizeof low) return 0;
  for (size_t i = 0; i < n; i++) low[i] = (char)tolower((unsigned char)u[i]);
  low[n] = 0;
  for (size_t i = 0; i < sizeof td_units / sizeof td_units[0]; i++)
    if (strcmp(low, td_units[i].name) == 0) return td_units[i].ns;
  return 0;
}

/* The digits at s[*i]: their value (-1 past 2^62 or none), their count in *nd */
static int64_t td_digits(const char *s, size_t n, size_t *i, int *nd) {
  int64_t v = 0;
  *nd = 0;
  for (; *i < n && s[*i] >= '0' && s[*i] <= '9'; (*i)++, (*nd)++) {
    if (v > (INT64_C(1) << 62) / 10) return -1;
    v = v * 10 + (s[*i] - '0');
  }
  return *nd ? v : -1;
}

/* The fraction .ddd at s[*i] (none: 0) of unit ns: its nanoseconds, truncated */
static int64_t td_fraction(const char *s, size_t n, size_t *i, int64_t unit) {
  if (*i >= n || s[*i] != '.') return 0;
  (*i)++;
  int64_t num = 0, den = 1;
  for (; *i < n && s[*i] >= '0' && s[*i] <= '9'; (*i)++)
    if (den < INT64_C(1000000000000000)) num = num * 10 + (s[*i] - '0'), den *= 10;
  return (int64_t)((__int128)num * unit / den);
}

static bool td_add(int64_t *acc, int64_t whole, int64_t unit, int64_t frac) {
  __int128 v = (__int128)whole * unit + frac + *acc;
  if (v > INT64_MAX || v <= INT64_MIN) return false;
  *acc = (int64_t)v;
  return true;
}

/* :mm:ss[.f] at s[*i] after the hours h (pandas: minutes and seconds past 59 count on) */
static bool td_clock(const char *s, size_t n, size_t *i, int64_t h, int64_t *acc) {
  int64_t part[2] = {0, 0};
  for (int k = 0; k < 2; k++) {
    if (*i >= n || s[*i] != ':') return false;
    (*i)++;
    int nd;
    if ((part[k] = td_digits(s, n, i, &nd)) < 0 || nd > 2) return false;
  }
  int64_t f = td_fraction(s, n, i, TD_NS_SEC);
  return h < INT64_C(1) << 40 && td_add(acc, (h * 60 + part[0]) * 60 + part[1], TD_NS_SEC, f);
}

/* A leading sign applies to the numbers with units, and to a clock time that comes first:
 * "-1d2h" is -26 hours, "-1 days 02:00:00" and "-1 days +02:00:00" are -22 hours. */
int cdrt_parse_timedelta(const char *s, size_t n, int64_t *out) {
  size_t i = 0;
  while (n && isspace((unsigned char)s[n - 1])) n--;
  while (i < n && isspace((unsigned char)s[i])) i++;
  int sign = 1;
  if (i < n && (s[i] == '-' || s[i] == '+')) sign = s[i++] == '-' ? -1 : 1;
  int64_t acc = 0;
  bool first = true;
  while (i < n) {
    while (i < n && (isspace((unsigned char)s[i]) || s[i] == ',')) i++;
    int part = 0; /* a clock's own sign */
    if (!first && i < n && (s[i] == '-' || s[i] == '+')) part = s[i++] == '-' ? -1 : 1;
    int nd;
    int64_t whole = td_digits(s, n, &i, &nd), v = 0;
    if (whole < 0) return -1;
    if (i < n && s[i] == ':') {
      if (!td_clock(s, n, &i, whole, &v)) return -1;
      v *= part ? part : first ? sign : 1;
    } else {
      if (part) return -1; /* pandas: only leading negative signs are allowed */
      size_t f = i;
      if (i < n && s[i] == '.')
        for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
        }
      while (i < n && s[i] == ' ') i++;
      size_t u = i;
      while (i < n && isalpha((unsigned char)s[i])) i++;
      int64_t unit = cdrt_timedelta_unit(s + u, i - u);
      if (!unit || !td_add(&v, whole, unit, td_fraction(s, n, &f, unit))) return -1;
      v *= sign;
    }
    if (!td_add(&acc, v, 1, 0)) return -1;
    first = false;
  }
  if (first) return -1;
  *out = acc;
  return 0;
}
#endif
