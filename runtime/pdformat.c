/* pdformat.c: dataframe results printed as pandas prints them and written as its to_csv
 * writes them (with CDRT_WITH_CSV). The rules are pandas' io/formats/format.py: numbers
 * right-aligned with a leading space, floats with 6 decimals and the zeros every value of
 * a column ends in trimmed (scientific when a value would print as 0 or too wide), more
 * than 60 rows shown as the first 5 and last 5, a frame wider than 80 characters cut in
 * the middle, widths in code points, cells past 50 cut with "...". The width is pandas'
 * for a script whose output is not a terminal (80), never the terminal's: the same run
 * prints the same text anywhere. */
#include "cdrt.h"

#ifdef CDRT_WITH_CSV
#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PD_MAX_ROWS = 60, PD_MIN_ROWS = 10, PD_WIDTH = 80, PD_MAX_COLWIDTH = 50, PD_DIGITS = 6 };

/* The decimal digits of r > 0 into d; their count */
static int pd_udigits(uint64_t r, char *d) {
  char t[24];
  int n = 0;
  do t[n++] = (char)('0' + r % 10), r /= 10;
  while (r);
  for (int i = 0; i < n; i++) d[i] = t[n - 1 - i];
  return n;
}

/* The shortest digits of a (1e-4 <= a < 1e15) when they are at most 15, without printf:
 * the fewest decimals k for which the integer r nearest a * 10^k reads back as a. r / 10^k
 * is one division of exact operands (r < 2^53, k <= 19), so correctly rounded: what strtod
 * makes of the digits (Clinger's fast path). With at most 15 digits at most one r reads
 * back (the candidates are 10^-15 a apart or more, the doubles that read back as a span
 * under 2^-52 a), and a * 10^k is within 0.2 of it, so rounding finds it. False: more than
 * 15 digits. */
static bool pyrepr_short(double a, char *digits, int *nd, int *exp10) {
  static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,
                               1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19};
  if (!(a >= 1e-4 && a < 1e15)) return false;
  for (int k = 0; k < (int)(sizeof p10 / sizeof *p10); k++) {
    double y = a * p10[k];
    if (y >= 1e15) return false;
    double r = nearbyint(y);
    if (r < 1 || r / p10[k] != a) continue;
    *nd = pd_udigits((uint64_t)r, digits);
    *exp10 = *nd - 1 - k;
    return true;
  }
  return false;
}

/* Python's repr of a float: the shortest digits that read back as x, positional for
 * exponents in [-4, 16), scientific otherwise ("1e+16", "1.5e-05"). */
void cdrt_pyrepr(double x, char *out) {
  if (isnan(x)) {
    strcpy(out, "nan");
    return;
  }
  if (isinf(x)) {
    strcpy(out, x < 0 ? "-inf" : "inf");
    return;
  }
  /* A normal double's shortest digits, if at most 15, are its 15 digits rounded with the
   * trailing zeros dropped (15-digit decimals are 10^-15 apart relatively, a double's
   * half-gap is 2^-53); else the nearest 16 digits if they read back, else 17: at most
   * three tries. A subnormal has fewer digits of its own: every precision from 1. */
  char digits[24];
  int nd = 0, exp10;
  bool neg = signbit(x);
  if (!pyrepr_short(fabs(x), digits, &nd, &exp10)) {
    char e[40];
    int prec = fabs(x) < DBL_MIN ? 1 : 15;
    for (;; prec++) {
      snprintf(e, sizeof e, "%.*e", prec - 1, x);
      if (prec >= 17 || strtod(e, NULL) == x) break;
    }
    const char *p = e + (*e == '-');
    for (nd = 0; *p && *p != 'e'; p++)
      if (*p != '.') digits[nd++] = *p;
    exp10 = atoi(p + 1);
  }
  while (nd > 1 && digits[nd - 1] == '0') nd--;
  char *o = out;
  if (neg) *o++ = '-';
  if (exp10 >= -4 && exp10 < 16) {
    if (exp10 < 0) {
      o += sprintf(o, "0.");
      for (int i = -1; i > exp10; i--) *o++ = '0';
      memcpy(o, digits, (size_t)nd), o += nd;
    } else {
      for (int i = 0; i <= exp10; i++) *o++ = i < nd ? digits[i] : '0';
      *o++ = '.';
      if (nd > exp10 + 1)
        memcpy(o, digits + exp10 + 1, (size_t)(nd - exp10 - 1)), o += nd - exp10 - 1;
      else
        *o++ = '0';
    }
    *o = 0;
  } else {
    *o++ = digits[0];
    if (nd > 1) *o++ = '.', memcpy(o, digits + 1, (size_t)nd - 1), o += nd - 1;
    sprintf(o, "e%c%02d", exp10 < 0 ? '-' : '+', exp10 < 0 ? -exp10 : exp10);
  }
}

/* ---- growable strings and lists of them ---- */
typedef struct {
  char *p;
  size_t n, cap;
} pd_buf;
static void pd_put(pd_buf *b, const char *s, size_t n) {
  if (b->n + n + 1 > b->cap) {
    b->cap = (b->n + n + 1) * 2;
    b->p = cdrt_realloc(b->p, b->cap);
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = 0;
}
static void pd_puts(pd_buf *b, const char *s) {
  pd_put(b, s, strlen(s));
}
/* Room for n more bytes (and the NUL) at the end of b; pd_done then keeps k of them */
static char *pd_room(pd_buf *b, size_t n) {
  if (b->n + n + 1 > b->cap) {
    b->cap = (b->n + n + 1) * 2;
    b->p = cdrt_realloc(b->p, b->cap);
  }
  return b->p + b->n;
}
static void pd_done(pd_buf *b, size_t k) {
  b->n += k;
  b->p[b->n] = 0;
}
static void pd_putc(pd_buf *b, char c) {
  *pd_room(b, 1) = c;
  pd_done(b, 1);
}

typedef struct {
  char **s;
  int64_t n, cap;
} pd_list;
static void pd_add(pd_list *l, char *s) {
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 16;
    l->s = cdrt_realloc(l->s, (size_t)l->cap * sizeof *l->s);
  }
  l->s[l->n++] = s;
}
static char *pd_dup(const char *s) {
  size_t n = strlen(s);
  char *d = cdrt_malloc(n + 1);
  memcpy(d, s, n + 1);
  return d;
}
static void pd_insert(pd_list *l, int64_t at, char *s) {
  pd_add(l, s);
  memmove(l->s + at + 1, l->s + at, (size_t)(l->n - 1 - at) * sizeof *l->s);
  l->s[at] = s;
}
static void pd_list_free(pd_list *l) {
  for (int64_t i = 0; i < l->n; i++) free(l->s[i]);
  free(l->s);
  l->s = NULL, l->n = l->cap = 0;
}

static int64_t pd_len(const char *s) { /* code points */
  int64_t n = 0;
  for (; *s; s++) n += ((unsigned char)*s & 0xc0) != 0x80;
  return n;
}
/* s padded with spaces to w code points: mode 'l' (text left), 'r', or 'c' (Python's
 * str.center) */
static char *pd_justify(const char *s, int64_t w, char mode) {
  int64_t len = pd_len(s), pad = w > len ? w - len : 0, left = 0;
  if (mode == 'r')
    left = pad;
  else if (mode == 'c')
    left = pad / 2 + (pad & w & 1);
  size_t n = strlen(s);
  char *d = cdrt_malloc(n + (size_t)pad + 1);
  memset(d, ' ', (size_t)left);
  memcpy(d + left, s, n);
  memset(d + left + n, ' ', (size_t)(pad - left));
  d[n + (size_t)pad] = 0;
  return d;
}
static int64_t pd_maxlen(const pd_list *l, int64_t from) {
  int64_t m = 0;
  for (int64_t i = from; i < l->n; i++) {
    int64_t k = pd_len(l->s[i]);
    if (k > m) m = k;
  }
  return m;
}

/* ---- one column's cells ---- */
/* pandas' pprint_thing: tabs and line ends escaped */
static char *pd_escape(cdrt_str s, bool lead) {
  pd_buf b = {0};
  if (lead) pd_puts(&b, " ");
  for (int64_t i = 0; i < s.n; i++) {
    char c = s.p[i];
    if (c == '\t')
      pd_puts(&b, "\\t");
    else if (c == '\n')
      pd_puts(&b, "\\n");
    else if (c == '\r')
      pd_puts(&b, "\\r");
    else
      pd_put(&b, &c, 1);
  }
  if (!b.p) pd_puts(&b, "");
  return b.p;
}

static bool pd_number_with_decimal(const char *s) { /* ^\s*[+-]?[0-9]+\.[0-9]*$ */
  while (*s == ' ') s++;
  if (*s == '+' || *s == '-') s++;
  if (!(*s >= '0' && *s <= '9')) return false;
  while (*s >= '0' && *s <= '9') s++;
  if (*s++ != '.') return false;
  while (*s >= '0' && *s <= '9') s++;
  return !*s;
}

static void pd_trim_zeros(pd_list *l) {
  for (;;) {
    bool any = false, all = true;
    for (int64_t i = 0; i < l->n; i++)
      if (pd_number_with_decimal(l->s[i])) any = true, all &= l->s[i][strlen(l->s[i]) - 1] == '0';
    if (!any || !all) break;
    for (int64_t i = 0; i < l->n; i++)
      if (pd_number_with_decimal(l->s[i])) l->s[i][strlen(l->s[i]) - 1] = 0;
  }
  for (int64_t i = 0; i < l->n; i++) {
    size_t n = strlen(l->s[i]);
    if (pd_number_with_decimal(l->s[i]) && l->s[i][n - 1] == '.') {
      l->s[i] = cdrt_realloc(l->s[i], n + 2);
      strcpy(l->s[i] + n, "0");
    }
  }
}

static void pd_floats(pd_list *l, const double *v, const int64_t *rows, int64_t n, bool lead,
                      bool sci) {
  for (int64_t i = 0; i < n; i++) {
    double x = v[rows[i]];
    char t[400];
    if (isnan(x))
      snprintf(t, sizeof t, "NaN");
    else if (isinf(x))
      snprintf(t, sizeof t, "%s%s", x < 0 ? "-" : lead ? " " : "", "inf");
    else
      snprintf(t, sizeof t, sci ? (lead ? "% .*e" : "%.*e") : (lead ? "% .*f" : "%.*f"), PD_DIGITS,
               x);
    pd_add(l, pd_dup(t));
  }
  pd_trim_zeros(l);
}

/* The cells of column c at rows[0, n) (pandas' format_array; lead: a leading space) */
static void pd_cells(pd_list *l, const cdrt_column *c, const int64_t *rows, int64_t n, bool lead) {
  char t[64];
  switch (c->type) {
  case CDRT_COL_INT64:
    for (int64_t i = 0; i < n; i++) {
      snprintf(t, sizeof t, lead ? "% lld" : "%lld",
               (long long)((const int64_t *)c->data)[rows[i]]);
      pd_add(l, pd_dup(t));
    }
    return;
  case CDRT_COL_BOOL:
    for (int64_t i = 0; i < n; i++)
      pd_add(l, pd_dup(((const uint8_t *)c->data)[rows[i]] ? (lead ? " True" : "True")
                                                           : (lead ? " False" : "False")));
    return;
  case CDRT_COL_STR:
    for (int64_t i = 0; i < n; i++) {
      cdrt_str s = ((const cdrt_str *)c->data)[rows[i]];
      pd_add(l, s.p ? pd_escape(s, lead) : pd_dup(lead ? " NaN" : "NaN"));
    }
    return;
  case CDRT_COL_DATETIME:
  case CDRT_COL_TIMEDELTA: { /* pandas' Datetime64Formatter, Timedelta64Formatter: no lead */
    int digits = cdrt_nat_digits(c->type, c->data, rows, n);
    for (int64_t i = 0; i < n; i++)
      cdrt_format_nat(c->type, ((const int64_t *)c->data)[rows[i]], digits, t),
          pd_add(l, pd_dup(t));
    return;
  }
  default: break;
  }
  const double *v = c->data;
  pd_floats(l, v, rows, n, lead, false);
  int64_t maxlen = pd_maxlen(l, 0);
  bool large = false, small = false;
  for (int64_t i = 0; i < n; i++) {
    double a = fabs(v[rows[i]]);
    large |= a > 1e6, small |= a < 1e-6 && a > 0;
  }
  if (small || (maxlen > PD_DIGITS + 6 && large)) {
    pd_list_free(l);
    pd_floats(l, v, rows, n, lead, true);
  }
}

/* pandas' _make_fixed_width: cut past 50 code points, then justified to one width. */
static void pd_fixed_width(pd_list *l, int64_t from, char mode, int64_t minimum) {
  int64_t w = pd_maxlen(l, from);
  if (w < minimum) w = minimum;
  if (w > PD_MAX_COLWIDTH) w = PD_MAX_COLWIDTH;
  for (int64_t i = from; i < l->n; i++) {
    char *s = l->s[i];
    if (pd_len(s) > w) { /* the first w - 3 code points, then "..." */
      int64_t cp = 0;
      char *p = s;
      for (; *p; p++)
        if (((unsigned char)*p & 0xc0) != 0x80 && cp++ == w - 3) break;
      strcpy(p, "...");
    }
    l->s[i] = pd_justify(s, w, mode);
    free(s);
  }
}

/* pandas' trim_front: the leading space every cell has, removed */
static void pd_trim_front(pd_list *l) {
  for (;;) {
    if (!l->n) return;
    for (int64_t i = 0; i < l->n; i++)
      if (l->s[i][0] != ' ') return;
    for (int64_t i = 0; i < l->n; i++) memmove(l->s[i], l->s[i] + 1, strlen(l->s[i]));
  }
}

/* One level's labels at rows (Index.format: left-justified, the common leading space
 * gone); a level without data is a RangeIndex. */
static void pd_index_cells(pd_list *l, const cdrt_column *c, const int64_t *rows, int64_t n) {
  if (!c->data) {
    char t[32];
    for (int64_t i = 0; i < n; i++)
      snprintf(t, sizeof t, "%lld", (long long)rows[i]), pd_add(l, pd_dup(t));
    return;
  }
  if (c->type == CDRT_COL_STR) {
    for (int64_t i = 0; i < n; i++) {
      cdrt_str s = ((const cdrt_str *)c->data)[rows[i]];
      pd_add(l, s.p ? pd_escape(s, false) : pd_dup("NaN"));
    }
    return;
  }
  int64_t at = l->n;
  pd_cells(l, c, rows, n, true);
  for (int64_t i = at; c->type == CDRT_COL_FLOAT64 && i < l->n; i++)
    if (strcmp(l->s[i], "NaN") == 0) { /* pandas' na_rep when it left-justifies floats */
      free(l->s[i]);
      l->s[i] = pd_dup(" NaN");
    }
  pd_fixed_width(l, 0, 'l', 0);
  pd_trim_front(l);
}

static char *pd_adjoin(pd_list *cols, int ncols, int space);

/* The index as one text column: the names row first when some level has a name (*named),
 * then a line per row shown. Levels after the first are blanked where they repeat the row
 * above (pandas' sparsify), then joined: frame (DataFrame) each level padded and one space
 * between, else (Series) two spaces. */
static void pd_index_lines(const cdrt_frame *f, const int64_t *rows, int64_t n, bool frame,
                           pd_list *out, bool *named) {
  int nl = f->nindex ? f->nindex : 1;
  const cdrt_column *lev = f->nindex ? f->levels : &f->index;
  *named = false;
  for (int i = 0; i < nl; i++) *named |= lev[i].name != NULL;
  int h = *named;
  pd_list *cells = cdrt_calloc((size_t)nl, sizeof *cells);
  for (int i = 0; i < nl; i++) {
    if (h)
      pd_add(&cells[i], pd_escape((cdrt_str){lev[i].name ? lev[i].name : "",
                                             lev[i].name ? (int64_t)strlen(lev[i].name) : 0},
                                  false));
    pd_list lab = {0};
    pd_index_cells(&lab, &lev[i], rows, n);
    for (int64_t r = 0; r < lab.n; r++) pd_add(&cells[i], lab.s[r]);
    free(lab.s);
  }
  if (nl > 1) /* sparsify: a label equal to the one above, as every label left of it, goes */
    for (int64_t r = n - 1; r >= 1; r--) /* bottom up: the row above is not blanked yet */
      for (int i = 0; i < nl - 1; i++) {
        if (strcmp(cells[i].s[h + r], cells[i].s[h + r - 1]) != 0) break;
        cells[i].s[h + r][0] = 0;
      }
  if (nl == 1 && !frame) { /* a Series' one level: the labels as they are */
    *out = cells[0];
    free(cells);
    return;
  }
  if (frame)
    for (int i = 0; i < nl; i++) pd_fixed_width(&cells[i], 0, 'l', 0);
  char *text = pd_adjoin(cells, nl, frame ? 1 : 2);
  memset(out, 0, sizeof *out);
  for (char *p = text, *e;; p = e + 1) {
    e = strchr(p, '\n');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    char *line = cdrt_malloc(len + 1);
    memcpy(line, p, len), line[len] = 0;
    pd_add(out, line);
    if (!e) break;
  }
  free(text);
  for (int i = 0; i < nl; i++) pd_list_free(&cells[i]);
  free(cells);
}

static const char *pd_dtype(int t) {
  return t == CDRT_COL_STR ? "object" : cdrt_coltype_name(t);
}

/* The rows shown: all, or the first and last 5 of more than 60; returns how many. */
static int64_t pd_shown(int64_t n, int64_t *rows, int64_t *cut) {
  if (n <= PD_MAX_ROWS) {
    for (int64_t i = 0; i < n; i++) rows[i] = i;
    *cut = -1;
    return n;
  }
  int64_t h = PD_MIN_ROWS / 2;
  for (int64_t i = 0; i < h; i++) rows[i] = i, rows[h + i] = n - h + i;
  *cut = h;
  return 2 * h;
}

static char *pd_adjoin(pd_list *cols, int ncols, int space) {
  pd_buf b = {0};
  int64_t nrows = 0;
  for (int k = 0; k < ncols; k++) nrows = cols[k].n > nrows ? cols[k].n : nrows;
  int64_t *w = cdrt_malloc((size_t)ncols * sizeof *w);
  for (int k = 0; k < ncols; k++) w[k] = pd_maxlen(&cols[k], 0) + (k < ncols - 1 ? space : 0);
  for (int64_t r = 0; r < nrows; r++) {
    if (r) pd_puts(&b, "\n");
    for (int k = 0; k < ncols; k++) {
      char *cell = pd_justify(r < cols[k].n ? cols[k].s[r] : "", w[k], 'l');
      pd_puts(&b, cell);
      free(cell);
    }
  }
  free(w);
  if (!b.p) pd_puts(&b, "");
  return b.p;
}

/* pandas' footer of a category Series: "Categories (3, object): ['a', 'b', 'c']", the first
 * and last 4 of more than 8, wrapped at 80 columns (Categorical._repr_categories_info, whose
 * width count skips the separators and the first value of a line) */
static void pd_categories(pd_buf *b, const cdrt_categories *c) {
  char head[64];
  snprintf(head, sizeof head, "Categories (%lld, object): ", (long long)c->n);
  int64_t hl = (int64_t)strlen(head), cur = hl;
  pd_puts(b, head);
  pd_puts(b, "[");
  int64_t shown = c->n > 8 ? 9 : c->n;
  for (int64_t i = 0; i < shown; i++) {
    int64_t k = c->n > 8 ? (i < 4 ? i : i == 4 ? -1 : c->n - 9 + i) : i;
    char *v;
    if (k < 0) {
      v = pd_dup("...");
    } else { /* quoted as repr quotes: 'a' */
      char *e = pd_escape(c->v[k], false);
      pd_buf q = {0};
      pd_puts(&q, "'"), pd_puts(&q, e), pd_puts(&q, "'");
      free(e);
      v = q.p;
    }
    int64_t len = pd_len(v);
    if (cur + 2 + len > 80) {
      pd_puts(b, ",\n");
      for (int64_t s = 0; s <= hl; s++) pd_puts(b, " ");
      cur = hl + 1;
    } else if (i) {
      pd_puts(b, ", ");
      cur += len;
    }
    pd_puts(b, v);
    free(v);
  }
  pd_puts(b, "]");
}

static char *pd_series_repr(const cdrt_frame *f) {
  const cdrt_column *c = &f->cols[0];
  const cdrt_categories *cats = f->cats ? f->cats[0] : NULL;
  pd_buf b = {0};
  char tail[400];
  int tl = 0;
  if (f->freq) tl += snprintf(tail + tl, sizeof tail - (size_t)tl, "Freq: %s, ", f->freq);
  if (c->name) tl += snprintf(tail + tl, sizeof tail - (size_t)tl, "Name: %s, ", c->name);
  if (f->n > PD_MAX_ROWS)
    tl += snprintf(tail + tl, sizeof tail - (size_t)tl, "Length: %lld, ", (long long)f->n);
  snprintf(tail + tl, sizeof tail - (size_t)tl, "dtype: %s", cats ? "category" : pd_dtype(c->type));
  if (f->n == 0) {
    pd_puts(&b, "Series([], ");
    pd_puts(&b, tail);
    if (cats) pd_puts(&b, "\n"), pd_categories(&b, cats);
    pd_puts(&b, ")");
    return b.p;
  }
  int64_t rows[PD_MAX_ROWS] = {0}, cut;
  int64_t n = pd_shown(f->n, rows, &cut);
  pd_list idx = {0}, val = {0};
  bool named;
  pd_index_lines(f, rows, n, false, &idx, &named);
  char *names = NULL;
  if (named) { /* the names row goes above, as it is */
    names = idx.s[0];
    memmove(idx.s, idx.s + 1, (size_t)(idx.n - 1) * sizeof *idx.s);
    idx.n--;
  }
  pd_cells(&val, c, rows, n, true);
  pd_fixed_width(&val, 0, 'r', 0);
  if (cut >= 0) {
    int64_t w = pd_len(val.s[cut - 1]);
    char *d = pd_justify(w > 3 ? "..." : "..", w, 'c');
    pd_insert(&val, cut, d);
    pd_insert(&idx, cut, pd_dup(""));
  }
  pd_list cols[2] = {idx, val};
  char *body = pd_adjoin(cols, 2, 3);
  if (names) pd_puts(&b, names), pd_puts(&b, "\n"), free(names);
  pd_puts(&b, body);
  pd_puts(&b, "\n");
  pd_puts(&b, tail);
  if (cats) pd_puts(&b, "\n"), pd_categories(&b, cats);
  free(body);
  pd_list_free(&idx), pd_list_free(&val);
  return b.p;
}

/* The frame's text columns (index first) for the columns keep[0, nk) and the rows shown;
 * dots: where the "..." column goes (-1: none). */
static void pd_strcols(const cdrt_frame *f, const int *keep, int nk, int dots, const int64_t *rows,
                       int64_t n, int64_t cut, pd_list *out, int *nout) {
  int k = 0;
  pd_list idx = {0};
  bool named;
  pd_index_lines(f, rows, n, true, &idx, &named);
  int levels = f->col_levels == 2 ? 2 : 1;
  for (int l = 0; l < levels; l++) pd_insert(&idx, 0, pd_dup("")); /* the column names' rows */
  int nhead = levels + named;
  out[k++] = idx;
  for (int j = 0; j < nk; j++) {
    if (j == dots) {
      pd_list d = {0};
      for (int64_t i = 0; i < n + nhead; i++) pd_add(&d, pd_dup(" ..."));
      out[k++] = d;
    }
    const cdrt_column *c = &f->cols[keep[j]], *prev = j ? &f->cols[keep[j - 1]] : NULL;
    /* a numeric column's name gets a leading space (is_numeric_dtype: not a string nor a
     * datetime; not for MultiIndex columns' tuples); pandas pairs the names shown with the
     * dtypes of the whole frame by position, so after a cut the j-th column's dtype decides */
    int jt = f->cols[j].type;
    bool lead = jt != CDRT_COL_STR && !cdrt_col_nat(jt) && levels == 1;
    /* MultiIndex columns: a label equal to the one left of it (and those above) goes */
    bool same = prev && strcmp(prev->name, c->name) == 0;
    const char *top = levels == 2 && same ? "" : c->name, *sub = c->sub ? c->sub : "";
    char *head = pd_escape((cdrt_str){top, (int64_t)strlen(top)}, lead && *top);
    char *head2 = levels == 2 && !(same && prev->sub && strcmp(prev->sub, sub) == 0)
                      ? pd_escape((cdrt_str){sub, (int64_t)strlen(sub)}, lead && *sub)
                      : pd_dup("");
    int64_t hw = pd_len(head) > pd_len(head2) ? pd_len(head) : pd_len(head2);
    pd_list col = {0};
    pd_cells(&col, c, rows, n, true);
    pd_fixed_width(&col, 0, 'r', hw);
    int64_t w = pd_maxlen(&col, 0);
    if (hw > w) w = hw;
    if (named) pd_insert(&col, 0, pd_justify("", w, 'r')); /* beside the index's names */
    if (levels == 2) pd_insert(&col, 0, pd_justify(head2, w, 'r'));
    pd_insert(&col, 0, pd_justify(head, w, 'r'));
    free(head), free(head2);
    out[k++] = col;
  }
  if (cut >= 0)
    for (int j = 0; j < k; j++) {
      bool dotcol = dots >= 0 && j == dots + 1;
      int64_t w = dotcol ? 4 : pd_len(out[j].s[cut + nhead - 1]);
      pd_insert(&out[j], cut + nhead,
                pd_justify(w > 3 || dotcol ? "..." : "..", w, j == 0 ? 'l' : 'r'));
    }
  *nout = k;
}

static char *pd_frame_repr(const cdrt_frame *f) {
  pd_buf b = {0};
  if (f->n == 0) {
    pd_puts(&b, "Empty DataFrame\nColumns: [");
    for (int j = 0; j < f->ncols; j++) {
      pd_puts(&b, j ? ", " : "");
      if (f->col_levels == 2) pd_puts(&b, "(");
      pd_puts(&b, f->cols[j].name);
      if (f->col_levels == 2)
        pd_puts(&b, ", "), pd_puts(&b, f->cols[j].sub ? f->cols[j].sub : ""), pd_puts(&b, ")");
    }
    pd_puts(&b, "]\nIndex: []");
    return b.p;
  }
  int64_t rows[PD_MAX_ROWS] = {0}, cut;
  int64_t n = pd_shown(f->n, rows, &cut);
  int nc = f->ncols;
  int *keep = cdrt_malloc((size_t)(nc ? nc : 1) * sizeof *keep);
  for (int j = 0; j < nc; j++) keep[j] = j;
  pd_list *cols = cdrt_calloc((size_t)nc + 2, sizeof *cols);
  int k;
  pd_strcols(f, keep, nc, -1, rows, n, cut, cols, &k);
  char *text = pd_adjoin(cols, k, 1);
  int64_t maxline = 0, line = 0;
  for (char *p = text;; p++) {
    if (!*p || *p == '\n') {
      maxline = line > maxline ? line : maxline, line = 0;
      if (!*p) break;
    } else
      line += ((unsigned char)*p & 0xc0) != 0x80;
  }
  bool hcut = false;
  if (maxline >= PD_WIDTH) { /* pandas' _fit_strcols_to_terminal_width: dif + 1 > 0 */
    int64_t adj = maxline - PD_WIDTH + 1;
    int64_t *lens = cdrt_malloc((size_t)k * sizeof *lens);
    int m = k;
    for (int j = 0; j < k; j++) lens[j] = pd_maxlen(&cols[j], 0);
    while (adj > 0 && m > 1) {
      double half = m / 2.0; /* Python's round: halves to even */
      int mid = (int)nearbyint(half);
      adj -= lens[mid] + 1;
      memmove(lens + mid, lens + mid + 1, (size_t)(m - mid - 1) * sizeof *lens);
      m--;
    }
    free(lens);
    int fitted = m - 1 < 2 ? 2 : m - 1;
    if (nc > fitted) {
      hcut = true;
      int half = fitted / 2;
      for (int j = 0; j < half; j++) keep[j] = j, keep[half + j] = nc - half + j;
      for (int j = 0; j < k; j++) pd_list_free(&cols[j]);
      free(text);
      pd_strcols(f, keep, 2 * half, half, rows, n, cut, cols, &k);
      text = pd_adjoin(cols, k, 1);
    }
  }
  pd_puts(&b, text);
  free(text);
  if (cut >= 0 || hcut) {
    char dims[80];
    snprintf(dims, sizeof dims, "\n\n[%lld rows x %d columns]", (long long)f->n, f->ncols);
    pd_puts(&b, dims);
  }
  for (int j = 0; j < k; j++) pd_list_free(&cols[j]);
  free(cols), free(keep);
  return b.p;
}

void cdrt_value_print(FILE *out, const char *label, const cdrt_value *v) {
  fprintf(out, "%s = ", label);
  char t[64];
  switch (v->type) {
  case CDRT_COL_INT64: fprintf(out, "%lld\n", (long long)v->i); return;
  case CDRT_COL_BOOL: fprintf(out, "%s\n", v->i ? "True" : "False"); return;
  case CDRT_COL_STR:
    if (v->s.p)
      fprintf(out, "%.*s\n", (int)v->s.n, v->s.p);
    else
      fputs("nan\n", out);
    return;
  case CDRT_COL_DATETIME: cdrt_timestamp_str(v->i, t), fprintf(out, "%s\n", t); return;
  case CDRT_COL_TIMEDELTA: cdrt_format_timedelta(v->i, 0, t), fprintf(out, "%s\n", t); return;
  default: cdrt_pyrepr(v->f, t), fprintf(out, "%s\n", t);
  }
}

void cdrt_frame_print(FILE *out, const char *label, const cdrt_frame *f) {
  char *text = f->series ? pd_series_repr(f) : pd_frame_repr(f);
  fprintf(out, "%s =\n%s\n", label, text);
  free(text);
}

/* ---- to_csv ---- */
/* s as Python's csv module writes it (QUOTE_MINIMAL): quoted, with its quotes doubled,
 * when it holds a separator, a quote or a line end */
static void csv_text(pd_buf *b, cdrt_str s) {
  bool q = false;
  for (int64_t j = 0; j < s.n; j++)
    q |= s.p[j] == ',' || s.p[j] == '"' || s.p[j] == '\n' || s.p[j] == '\r';
  if (!q) {
    pd_put(b, s.p, (size_t)s.n);
    return;
  }
  pd_putc(b, '"');
  for (int64_t j = 0; j < s.n; j++)
    pd_put(b, s.p[j] == '"' ? "\"\"" : s.p + j, s.p[j] == '"' ? 2 : 1);
  pd_putc(b, '"');
}
static void csv_name(pd_buf *b, const char *name) {
  csv_text(b, (cdrt_str){name, (int64_t)strlen(name)});
}

/* row i of column c (digits: a datetime column's, cdrt_datetime_digits) */
static void csv_cell(pd_buf *b, const cdrt_column *c, int64_t i, int digits) {
  switch (c->type) { /* numbers straight into b: to_csv of 10^7 groups is 10^8 cells */
  case CDRT_COL_DATETIME:
  case CDRT_COL_TIMEDELTA: {
    int64_t x = ((const int64_t *)c->data)[i];
    if (x == CDRT_NAT) return; /* pandas writes NaT as na_rep, "" */
    char t[64];
    cdrt_format_nat(c->type, x, digits, t);
    pd_puts(b, t);
    return;
  }
  case CDRT_COL_INT64: {
    int64_t x = ((const int64_t *)c->data)[i];
    char *o = pd_room(b, 24);
    if (x < 0) *o++ = '-';
    pd_done(b, (size_t)(x < 0) + (size_t)pd_udigits(x < 0 ? 0 - (uint64_t)x : (uint64_t)x, o));
    return;
  }
  case CDRT_COL_BOOL:
    if (((const uint8_t *)c->data)[i])
      pd_put(b, "True", 4);
    else
      pd_put(b, "False", 5);
    return;
  case CDRT_COL_FLOAT64: {
    double x = ((const double *)c->data)[i];
    if (isnan(x)) return;
    char *o = pd_room(b, 40); /* "-2.2250738585072014e-308" and its NUL fit well */
    cdrt_pyrepr(x, o);
    pd_done(b, strlen(o));
    return;
  }
  default: {
    cdrt_str s = ((const cdrt_str *)c->data)[i];
    if (s.p) csv_text(b, s);
    return;
  }
  }
}

/* pandas' to_csv header: a line of the columns' names after the index's names; with
 * MultiIndex columns, a line per level (the index's cells blank), then the index's names
 * when it has some */
static void csv_header(pd_buf *b, const cdrt_frame *f, const cdrt_column *lev, int nl) {
  bool named = false;
  for (int i = 0; i < nl; i++) named |= lev[i].name != NULL;
  for (int level = 0; level < (f->col_levels == 2 ? 2 : 1); level++) {
    for (int i = 0; i < nl; i++) {
      if (i) pd_puts(b, ",");
      if (f->col_levels != 2 && lev[i].name) csv_name(b, lev[i].name);
    }
    for (int j = 0; j < f->ncols; j++) {
      const char *s = level ? f->cols[j].sub : f->cols[j].name ? f->cols[j].name : "0";
      pd_puts(b, ","), csv_name(b, s ? s : "");
    }
    pd_puts(b, "\n");
  }
  if (f->col_levels == 2 && named) {
    for (int i = 0; i < nl; i++)
      pd_puts(b, i ? "," : ""), csv_name(b, lev[i].name ? lev[i].name : "");
    for (int j = 0; j < f->ncols; j++) pd_puts(b, ",");
    pd_puts(b, "\n");
  }
}

/* Room for `rows` rows of frame f's columns, then of its index's levels (cdrt_frame's fill) */
static cdrt_column *csv_chunk_columns(const cdrt_frame *f, int64_t rows) {
  cdrt_column *c = cdrt_calloc((size_t)(f->ncols + f->nindex), sizeof *c);
  for (int j = 0; j < f->ncols + f->nindex; j++) {
    c[j] = j < f->ncols ? f->cols[j] : f->levels[j - f->ncols];
    c[j].data = cdrt_malloc((size_t)rows * cdrt_col_bytes(c[j].type));
  }
  return c;
}

int cdrt_frame_write_csv(cdrt_outfile *file, const cdrt_frame *f, char *err, size_t errlen) {
  pd_buf b = {0};
  int nl = f->nindex ? f->nindex : 1; /* the index's levels, each a column */
  const cdrt_column *lev = f->nindex ? f->levels : &f->index;
  csv_header(&b, f, lev, nl);
  int rc = 0;
  int *digits = cdrt_calloc((size_t)(f->ncols + nl) + 1, sizeof *digits),
      *ldigits = digits + f->ncols;
  for (int j = 0; j < f->ncols; j++)
    if (cdrt_col_nat(f->cols[j].type))
      digits[j] = cdrt_nat_digits(f->cols[j].type, f->cols[j].data, NULL, f->n);
  for (int i = 0; i < nl; i++)
    ldigits[i] = lev[i].data && cdrt_col_nat(lev[i].type)
                     ? cdrt_nat_digits(lev[i].type, lev[i].data, NULL, f->n)
                     : -1;
  rc = cdrt_outfile_write(file, b.p, b.n, err, errlen);
  free(b.p);
  /* rows in chunks, formatted by the threads, written in order (a result of 10^7 groups
   * is half a gigabyte of text; printing a float is the slow part) */
  enum { CSV_ROWS = 1 << 13 };
  int64_t nchunk = (f->n + CSV_ROWS - 1) / CSV_ROWS;
#pragma omp parallel if (nchunk > 1)
  {
    pd_buf cb = {0};
    /* a frame made as it is written: this thread's chunk of its columns and levels */
    const cdrt_column *cols = f->cols, *lv = lev;
    cdrt_column *made = f->fill ? csv_chunk_columns(f, CSV_ROWS) : NULL;
    if (made) cols = made, lv = f->nindex ? made + f->ncols : lev;
#pragma omp for ordered schedule(static, 1)
    for (int64_t k = 0; k < nchunk; k++) {
      cb.n = 0;
      int64_t r0 = k * CSV_ROWS, r1 = r0 + CSV_ROWS < f->n ? r0 + CSV_ROWS : f->n;
      int64_t at = made ? r0 : 0; /* row i is at i - at */
      if (made) f->fill(f, r0, r1, made, made + f->ncols);
      for (int64_t i = r0; i < r1; i++) {
        for (int l = 0; l < nl; l++) {
          if (l) pd_putc(&cb, ',');
          if (lv[l].data)
            csv_cell(&cb, &lv[l], i - at, ldigits[l]);
          else /* the range index: i */
            pd_done(&cb, (size_t)pd_udigits((uint64_t)i, pd_room(&cb, 24)));
        }
        for (int j = 0; j < f->ncols; j++)
          pd_putc(&cb, ','), csv_cell(&cb, &cols[j], i - at, digits[j]);
        pd_putc(&cb, '\n');
      }
#pragma omp ordered
      if (rc == 0 && cb.n) rc = cdrt_outfile_write(file, cb.p, cb.n, err, errlen);
    }
    free(cb.p);
    for (int j = 0; made && j < f->ncols + f->nindex; j++) free(made[j].data);
    free(made);
  }
  free(digits);
  if (rc == 0)
    rc = cdrt_outfile_commit(file, 1, err, errlen);
  else
    cdrt_outfile_abort(file);
  return rc;
}
#endif
