/* frame_ops.c: operations on a computed frame (with CDRT_WITH_CSV): sort_values (stable,
 * missing values last whatever the direction, as pandas' na_position = "last"), head,
 * drop_duplicates (the first of equal rows; NaN equals NaN, as pandas' duplicated),
 * selecting columns, and the order statistics:
 * median and describe's quantiles as NumPy computes them. Each makes a new frame; the
 * input is never changed (another output may show it). */
#include "cdrt.h"

#ifdef CDRT_WITH_CSV
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* ---- memory: a frame operation charges --memory-limit before it allocates ----
 * The results' columns stay charged (outputs read them until the program ends); scratch
 * arrays are refunded when freed. The program names the running operation first. */
const char *cdrt_frame_op_what;

void *cdrt_frame_alloc(int64_t n, size_t z) {
  if (n > INT64_MAX / 64 / (int64_t)z) /* more than any memory: its bytes would overflow */
    cdrt_fatal(CDRT_EXIT_MEMORY, "%s needs %lld values: more than any memory holds",
               cdrt_frame_op_what ? cdrt_frame_op_what : "a dataframe result", (long long)n);
  size_t bytes = (size_t)(n > 0 ? n : 1) * z;
  cdrt_state_charge((int64_t)bytes, cdrt_frame_op_what);
  return cdrt_malloc(bytes);
}
static void *op_zalloc(int64_t n, size_t z) {
  void *p = cdrt_frame_alloc(n, z);
  memset(p, 0, (size_t)(n > 0 ? n : 1) * z);
  return p;
}
void cdrt_frame_free(void *p, int64_t n, size_t z) {
  free(p);
  cdrt_state_refund((int64_t)((size_t)(n > 0 ? n : 1) * z));
}

/* Column c of f: c >= 0 a column, c < 0 the index's level -c - 1 */
static const cdrt_column *frame_col(const cdrt_frame *f, int c) {
  if (c >= 0) return &f->cols[c];
  return f->nindex ? &f->levels[-c - 1] : &f->index;
}

int cdrt_cell_missing(const cdrt_column *c, int64_t i) {
  if (!c->data) return false;
  if (c->type == CDRT_COL_FLOAT64) return isnan(((const double *)c->data)[i]);
  if (c->type == CDRT_COL_STR) return !((const cdrt_str *)c->data)[i].p;
  if (cdrt_col_nat(c->type)) return ((const int64_t *)c->data)[i] == CDRT_NAT;
  return false;
}

/* -1, 0, 1 for two present values (an index without data is 0..n-1; -0.0 equals 0.0) */
int cdrt_cell_cmp(const cdrt_column *c, int64_t a, int64_t b) {
  if (!c->data) return (a > b) - (a < b);
  switch (c->type) {
  case CDRT_COL_FLOAT64: {
    double x = ((const double *)c->data)[a], y = ((const double *)c->data)[b];
    return (x > y) - (x < y);
  }
  case CDRT_COL_BOOL: {
    int x = ((const uint8_t *)c->data)[a], y = ((const uint8_t *)c->data)[b];
    return (x > y) - (x < y);
  }
  case CDRT_COL_STR:
    return cdrt_str_cmp(((const cdrt_str *)c->data)[a], ((const cdrt_str *)c->data)[b]);
  default: {
    int64_t x = ((const int64_t *)c->data)[a], y = ((const int64_t *)c->data)[b];
    return (x > y) - (x < y);
  }
  }
}

void cdrt_stable_sort(int64_t *order, int64_t n, cdrt_order_less less, const void *ctx) {
  int64_t *tmp = cdrt_frame_alloc(n, sizeof *tmp);
  for (int64_t w = 1; w < n; w *= 2) /* bottom-up merge sort: equal keys keep their order */
    for (int64_t lo = 0; lo < n; lo += 2 * w) {
      int64_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
      int64_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) tmp[k++] = less(ctx, order[j], order[i]) ? order[j++] : order[i++];
      while (i < mid) tmp[k++] = order[i++];
      while (j < hi) tmp[k++] = order[j++];
      memcpy(order + lo, tmp + lo, (size_t)(hi - lo) * sizeof *order);
    }
  cdrt_frame_free(tmp, n, sizeof *tmp);
}

/* The frame of f's rows rows[0, n), in that order, index and columns alike */
static void take_column(cdrt_column *out, const cdrt_column *c, const int64_t *rows, int64_t n) {
  *out = *c;
  if (!c->data) { /* a range index becomes the rows' labels */
    int64_t *v = cdrt_frame_alloc(n, sizeof *v);
    memcpy(v, rows, (size_t)n * sizeof *v);
    out->type = CDRT_COL_INT64, out->data = v;
    return;
  }
  size_t z = cdrt_col_bytes(c->type);
  char *v = cdrt_frame_alloc(n, z);
  for (int64_t i = 0; i < n; i++) memcpy(v + (size_t)i * z, (const char *)c->data + rows[i] * z, z);
  out->data = v;
}

/* f's rows rows[0, n). A DatetimeIndex keeps its frequency when `run` (pandas selects the
 * rows by a mask, which it makes a slice when they are consecutive) and they are; a sort
 * drops it. */
static cdrt_frame *frame_take(const cdrt_frame *f, const int64_t *rows, int64_t n, bool run) {
  cdrt_frame *g = cdrt_calloc(1, sizeof *g);
  *g = *f;
  g->n = n;
  for (int64_t i = 1; run && i < n; i++) run = rows[i] == rows[i - 1] + 1;
  if (!run) g->freq = NULL;
  g->cols = cdrt_calloc((size_t)(f->ncols ? f->ncols : 1), sizeof *g->cols);
  for (int k = 0; k < f->ncols; k++) take_column(&g->cols[k], &f->cols[k], rows, n);
  if (f->nindex) {
    g->levels = cdrt_calloc((size_t)f->nindex, sizeof *g->levels);
    for (int k = 0; k < f->nindex; k++) take_column(&g->levels[k], &f->levels[k], rows, n);
  } else {
    take_column(&g->index, &f->index, rows, n);
  }
  return g;
}

typedef struct {
  int nby;
  const cdrt_column **cols; /* the columns sorted by, resolved once */
  const unsigned char *asc;
} sort_keys;

static int rows_less(const void *ctx, int64_t a, int64_t b) {
  const sort_keys *k = ctx;
  for (int i = 0; i < k->nby; i++) {
    const cdrt_column *c = k->cols[i];
    bool ma = cdrt_cell_missing(c, a), mb = cdrt_cell_missing(c, b);
    if (ma || mb) { /* missing values last (or first), ascending or not */
      if (ma != mb) return k->asc[i] & 2 ? ma : mb;
      continue;
    }
    int r = cdrt_cell_cmp(c, a, b);
    if (r) return k->asc[i] & 1 ? r < 0 : r > 0;
  }
  return false;
}

static int64_t *identity(int64_t n) { /* scratch: cdrt_frame_free(rows, n, 8) */
  int64_t *rows = cdrt_frame_alloc(n, sizeof *rows);
  for (int64_t i = 0; i < n; i++) rows[i] = i;
  return rows;
}

cdrt_frame *cdrt_frame_sort(const cdrt_frame *f, int nby, const int *by, const unsigned char *asc) {
  int64_t *rows = identity(f->n);
  const cdrt_column **cols = cdrt_malloc((size_t)(nby ? nby : 1) * sizeof *cols);
  for (int i = 0; i < nby; i++) cols[i] = frame_col(f, by[i]);
  sort_keys k = {nby, cols, asc};
  cdrt_stable_sort(rows, f->n, rows_less, &k);
  free(cols);
  cdrt_frame *g = frame_take(f, rows, f->n, false);
  cdrt_frame_free(rows, f->n, sizeof *rows);
  return g;
}

cdrt_frame *cdrt_frame_filter(const cdrt_frame *f, const cdrt_frame *mask) {
  const uint8_t *m = mask->cols[0].data;
  int64_t n = 0;
  for (int64_t i = 0; i < f->n; i++) n += m[i] != 0;
  int64_t *rows = cdrt_frame_alloc(n, sizeof *rows);
  for (int64_t i = 0, k = 0; i < f->n; i++)
    if (m[i]) rows[k++] = i;
  cdrt_frame *g = frame_take(f, rows, n, true);
  cdrt_frame_free(rows, n, sizeof *rows);
  return g;
}

cdrt_frame *cdrt_frame_head(const cdrt_frame *f, int64_t n) {
  cdrt_frame *g = cdrt_calloc(1, sizeof *g);
  *g = *f; /* the columns are shared: rows [0, n) of f's */
  if (n < g->n) g->n = n;
  return g;
}

static cdrt_column column_from(const cdrt_column *c, int64_t off) { /* rows [off, ...) */
  cdrt_column d = *c;
  if (d.data) d.data = (char *)d.data + (size_t)off * cdrt_col_bytes(d.type);
  return d;
}

cdrt_frame *cdrt_frame_tail(const cdrt_frame *f, int64_t n) {
  cdrt_frame *g = cdrt_calloc(1, sizeof *g);
  *g = *f; /* the columns are shared: rows [off, f->n) of f's */
  int64_t off = n < f->n ? f->n - n : 0;
  g->n = f->n - off;
  g->cols = cdrt_calloc((size_t)f->ncols + 1, sizeof *g->cols);
  for (int k = 0; k < f->ncols; k++) g->cols[k] = column_from(&f->cols[k], off);
  if (f->nindex) {
    g->levels = cdrt_calloc((size_t)f->nindex, sizeof *g->levels);
    for (int k = 0; k < f->nindex; k++) g->levels[k] = column_from(&f->levels[k], off);
  } else if (f->index.data) {
    g->index = column_from(&f->index, off);
  } else { /* a RangeIndex's labels off, off + 1, ... */
    int64_t *v = cdrt_frame_alloc(g->n, sizeof *v);
    for (int64_t i = 0; i < g->n; i++) v[i] = off + i;
    g->index = (cdrt_column){CDRT_COL_INT64, f->index.name, v, NULL};
  }
  return g;
}

/* A cell's hash: equal values (NaN and NaN, -0.0 and 0.0, two missing strings) alike */
static uint64_t cell_hash(const cdrt_column *c, int64_t i) {
  uint64_t h;
  if (!c->data) return (uint64_t)i * 0x9e3779b97f4a7c15u;
  switch (c->type) {
  case CDRT_COL_FLOAT64: {
    double x = ((const double *)c->data)[i];
    h = isnan(x) ? 0x7ff8000000000000u : (uint64_t)cdrt_f64_key(x);
    break;
  }
  case CDRT_COL_BOOL: h = ((const uint8_t *)c->data)[i]; break;
  case CDRT_COL_STR: {
    cdrt_str s = ((const cdrt_str *)c->data)[i];
    h = s.p ? 0xcbf29ce484222325u : 1;
    for (int64_t j = 0; s.p && j < s.n; j++) h = (h ^ (unsigned char)s.p[j]) * 0x100000001b3u;
    break;
  }
  default: h = (uint64_t)((const int64_t *)c->data)[i];
  }
  h *= 0xff51afd7ed558ccdu;
  return h ^ (h >> 32);
}

static bool cells_equal(const cdrt_column *c, int64_t a, int64_t b) {
  bool ma = cdrt_cell_missing(c, a), mb = cdrt_cell_missing(c, b);
  return ma || mb ? ma == mb : cdrt_cell_cmp(c, a, b) == 0;
}

/* first[i]: the first row whose columns sub[0, nsub) equal row i's (NaN equals NaN, as in
 * pandas' duplicated and groupby); returns first, allocated */
static int64_t *key_firsts(const cdrt_frame *f, int nsub, const int *sub) {
  int64_t nslot = 16;
  while (nslot < 2 * f->n) nslot *= 2;
  int64_t *slot = op_zalloc(nslot, sizeof *slot);         /* a row + 1, or 0 */
  int64_t *first = cdrt_frame_alloc(f->n, sizeof *first); /* of row i's key (scratch) */
  for (int64_t i = 0; i < f->n; i++) {
    uint64_t h = 0x243f6a8885a308d3u;
    for (int k = 0; k < nsub; k++)
      h = (h ^ cell_hash(frame_col(f, sub[k]), i)) * 0x9e3779b97f4a7c15u;
    int64_t at = (int64_t)(h & (uint64_t)(nslot - 1)), j = -1;
    for (; slot[at]; at = (at + 1) & (nslot - 1)) {
      bool same = true;
      for (int k = 0; k < nsub && same; k++)
        same = cells_equal(frame_col(f, sub[k]), i, slot[at] - 1);
      if (same) {
        j = slot[at] - 1;
        break;
      }
    }
    if (j < 0) slot[at] = i + 1, j = i;
    first[i] = j;
  }
  cdrt_frame_free(slot, nslot, sizeof *slot);
  return first;
}

cdrt_frame *cdrt_frame_dedup(const cdrt_frame *f, int nsub, const int *sub, int keep) {
  int64_t *first = key_firsts(f, nsub, sub);
  int64_t *count = op_zalloc(f->n, sizeof *count);      /* per first row */
  int64_t *last = cdrt_frame_alloc(f->n, sizeof *last); /* per first row */
  for (int64_t i = 0; i < f->n; i++) count[first[i]]++, last[first[i]] = i;
  /* the rows kept, in their order: a key's first row, its last, or a key seen once */
  int64_t *rows = cdrt_frame_alloc(f->n, sizeof *rows), n = 0;
  for (int64_t i = 0; i < f->n; i++) {
    int64_t j = first[i];
    if (keep == 0 ? j == i : keep == 1 ? last[j] == i : count[j] == 1) rows[n++] = i;
  }
  cdrt_frame *g = frame_take(f, rows, n, true);
  cdrt_frame_free(rows, f->n, 8), cdrt_frame_free(first, f->n, 8), cdrt_frame_free(count, f->n, 8);
  cdrt_frame_free(last, f->n, 8);
  return g;
}

int64_t *cdrt_frame_key_groups(const cdrt_frame *f, int nkeys, const int *keys, int dropna) {
  int64_t *first = key_firsts(f, nkeys, keys);
  for (int64_t i = 0; i < f->n && dropna; i++)
    for (int k = 0; k < nkeys; k++)
      if (cdrt_cell_missing(frame_col(f, keys[k]), i)) first[i] = -1;
  return first;
}

cdrt_frame *cdrt_frame_gb_head(const cdrt_frame *f, int nkeys, const int *keys, int64_t n,
                               int dropna) {
  int64_t *first = key_firsts(f, nkeys, keys);
  int64_t *count = op_zalloc(f->n, sizeof *count); /* per first row */
  int64_t *rows = cdrt_frame_alloc(f->n, sizeof *rows), m = 0;
  for (int64_t i = 0; i < f->n; i++) {
    bool missing = false;
    for (int k = 0; k < nkeys && dropna; k++)
      missing |= cdrt_cell_missing(frame_col(f, keys[k]), i);
    if (!missing && count[first[i]]++ < n) rows[m++] = i;
  }
  cdrt_frame *g = frame_take(f, rows, m, true);
  cdrt_frame_free(rows, f->n, 8), cdrt_frame_free(first, f->n, 8), cdrt_frame_free(count, f->n, 8);
  return g;
}

/* A value of a numeric column as a double */
static double cell_f64(const cdrt_column *c, int64_t i) {
  return c->type == CDRT_COL_FLOAT64 ? ((const double *)c->data)[i]
         : c->type == CDRT_COL_BOOL  ? ((const uint8_t *)c->data)[i]
                                     : (double)((const int64_t *)c->data)[i];
}

/* p op q: NumPy's float64 arithmetic, and its int64 arithmetic, which wraps (a power's q
 * >= 0: cdaskc checks) */
static double arith_f64(int op, double p, double q) {
  return op == CDRT_ARITH_ADD   ? p + q
         : op == CDRT_ARITH_SUB ? p - q
         : op == CDRT_ARITH_MUL ? p * q
         : op == CDRT_ARITH_POW ? pow(p, q)
                                : p / q;
}
static int64_t arith_i64(int op, int64_t a, int64_t b) {
  return op == CDRT_ARITH_POW   ? cdrt_pow_i64(a, b)
         : op == CDRT_ARITH_ADD ? cdrt_add_i64(a, b)
         : op == CDRT_ARITH_SUB ? cdrt_sub_i64(a, b)
                                : cdrt_mul_i64(a, b);
}

/* p op q of a comparison or & |: NumPy's (a NaN compares unequal to everything) */
static bool compare_f64(int op, double p, double q) {
  return op == CDRT_ARITH_EQ    ? p == q
         : op == CDRT_ARITH_NE  ? p != q
         : op == CDRT_ARITH_LT  ? p < q
         : op == CDRT_ARITH_LE  ? p <= q
         : op == CDRT_ARITH_GT  ? p > q
         : op == CDRT_ARITH_GE  ? p >= q
         : op == CDRT_ARITH_AND ? p != 0 && q != 0
         : op == CDRT_ARITH_OR  ? p != 0 || q != 0
                                : p == 0; /* not */
}
static bool compare_i64(int op, int64_t p, int64_t q) {
  return op == CDRT_ARITH_EQ   ? p == q
         : op == CDRT_ARITH_NE ? p != q
         : op == CDRT_ARITH_LT ? p < q
         : op == CDRT_ARITH_LE ? p <= q
         : op == CDRT_ARITH_GT ? p > q
                               : p >= q;
}

/* a's values op b's (or k) into the bools v: as int64 when both sides are (a number k only
 * when it is an integer), else as float64 */
static void frame_compare(uint8_t *v, const cdrt_column *x, const cdrt_column *y, int op, bool swap,
                          double k, int64_t n) {
  bool ints = x->type != CDRT_COL_FLOAT64 && (y ? y->type != CDRT_COL_FLOAT64 : k == floor(k));
  bool cmp = op != CDRT_ARITH_AND && op != CDRT_ARITH_OR && op != CDRT_ARITH_NOT;
  for (int64_t i = 0; i < n; i++) {
    if (ints && cmp && k > -9.2e18 && k < 9.2e18) {
      int64_t p =
          x->type == CDRT_COL_BOOL ? ((const uint8_t *)x->data)[i] : ((const int64_t *)x->data)[i];
      int64_t q = !y                         ? (int64_t)k
                  : y->type == CDRT_COL_BOOL ? ((const uint8_t *)y->data)[i]
                                             : ((const int64_t *)y->data)[i];
      v[i] = swap ? compare_i64(op, q, p) : compare_i64(op, p, q);
    } else {
      double p = cell_f64(x, i), q = y ? cell_f64(y, i) : k;
      v[i] = swap ? compare_f64(op, q, p) : compare_f64(op, p, q);
    }
  }
}

cdrt_frame *cdrt_frame_arith(const cdrt_frame *a, const cdrt_frame *b, int op, int type, double k,
                             const char *name) {
  cdrt_frame *g = cdrt_calloc(1, sizeof *g);
  *g = *a;
  g->ncols = 1, g->series = 1, g->cats = NULL;
  g->cols = cdrt_calloc(1, sizeof *g->cols);
  const cdrt_column *x = &a->cols[0], *y = b ? &b->cols[0] : NULL;
  bool swap = op & CDRT_ARITH_SWAP;
  op &= ~CDRT_ARITH_SWAP;
  void *v = cdrt_frame_alloc(a->n, 8);
  if (type == CDRT_COL_BOOL) {
    frame_compare(v, x, y, op, swap, k, a->n);
    g->cols[0] = (cdrt_column){type, name, v, NULL};
    return g;
  }
  for (int64_t i = 0; i < a->n; i++) {
    if (type == CDRT_COL_FLOAT64) {
      double p = cell_f64(x, i), q = y ? cell_f64(y, i) : k;
      ((double *)v)[i] = swap ? arith_f64(op, q, p) : arith_f64(op, p, q);
    } else {
      int64_t p = ((const int64_t *)x->data)[i], q = y ? ((const int64_t *)y->data)[i] : (int64_t)k;
      ((int64_t *)v)[i] = swap ? arith_i64(op, q, p) : arith_i64(op, p, q);
    }
  }
  g->cols[0] = (cdrt_column){type, name, v, NULL};
  return g;
}

cdrt_frame *cdrt_frame_str_eq(const cdrt_frame *a, const char *str, int ne, const char *name) {
  cdrt_frame *g = cdrt_calloc(1, sizeof *g);
  *g = *a;
  g->ncols = 1, g->series = 1, g->cats = NULL;
  g->cols = cdrt_calloc(1, sizeof *g->cols);
  const cdrt_str *x = a->cols[0].data;
  uint8_t *v = cdrt_frame_alloc(a->n, 1);
  int64_t len = (int64_t)strlen(str);
  for (int64_t i = 0; i < a->n; i++)
    v[i] = (x[i].p && x[i].n == len && memcmp(x[i].p, str, (size_t)len) == 0) != ne;
  g->cols[0] = (cdrt_column){CDRT_COL_BOOL, name, v, NULL};
  return g;
}

cdrt_value cdrt_value_number(double x, int integer) {
  return integer ? (cdrt_value){.type = CDRT_COL_INT64, .i = (int64_t)x, .f = x}
                 : (cdrt_value){.type = CDRT_COL_FLOAT64, .f = x};
}

int64_t cdrt_scalar_i64(const cdrt_value *v, const char *what) {
  if (v->type != CDRT_COL_INT64 && v->type != CDRT_COL_BOOL)
    cdrt_fatal(CDRT_EXIT_INPUT,
               "%s has no value (no row: pandas' NaN), and the int64 Series combined with it "
               "cannot hold one (astype(\"float64\") first)",
               what);
  return v->i;
}

double cdrt_scalar_f64(const cdrt_value *v) {
  return v->type == CDRT_COL_FLOAT64                             ? v->f
         : v->type == CDRT_COL_INT64 || v->type == CDRT_COL_BOOL ? (double)v->i
                                                                 : NAN;
}

int64_t cdrt_scalar_dt(const cdrt_value *v) {
  return cdrt_col_nat(v->type) ? v->i : CDRT_NAT;
}

static double number_f64(cdrt_value v) {
  return v.type == CDRT_COL_FLOAT64 ? v.f
         : v.type == CDRT_COL_BOOL  ? (double)(v.i != 0)
                                    : (double)v.i;
}

/* pandas' Timedelta and Timestamp arithmetic (cdaskc checks the types): NaT, or a NaN
 * number, gives NaT (NaN for a ratio); a float product or quotient is truncated toward zero
 * as Timedelta(float) is; overflow and division by zero stop the program, as pandas raises */
static cdrt_value nat_value_arith(cdrt_value a, cdrt_value b, int op, int type) {
  const char *what = cdrt_frame_op_what ? cdrt_frame_op_what : "a Timedelta's arithmetic";
  bool an = cdrt_col_nat(a.type), bn = cdrt_col_nat(b.type);
  cdrt_value r = {.type = type, .i = CDRT_NAT, .f = NAN};
  if ((an ? a.i == CDRT_NAT : isnan(number_f64(a))) ||
      (bn ? b.i == CDRT_NAT : isnan(number_f64(b))))
    return r;
  bool over = false;
  if (op == CDRT_ARITH_DIV && (bn ? b.i == 0 : number_f64(b) == 0))
    cdrt_fatal_all(CDRT_EXIT_INPUT, "%s: ZeroDivisionError: division by zero", what);
  switch (op) {
  case CDRT_ARITH_ADD: over = __builtin_add_overflow(a.i, b.i, &r.i); break;
  case CDRT_ARITH_SUB: over = __builtin_sub_overflow(a.i, b.i, &r.i); break;
  case CDRT_ARITH_MUL: {
    cdrt_value t = an ? a : b, k = an ? b : a;
    if (k.type == CDRT_COL_FLOAT64)
      r.i = cdrt_nat_from_f64((double)t.i * k.f, what);
    else
      over = __builtin_mul_overflow(t.i, k.i, &r.i);
    break;
  }
  default: /* a ratio of Timedeltas, or a Timedelta over a number */
    if (bn) return (cdrt_value){.type = CDRT_COL_FLOAT64, .f = (double)a.i / (double)b.i};
    r.i = cdrt_nat_from_f64((double)a.i / number_f64(b), what);
  }
  if (over || r.i == CDRT_NAT)
    cdrt_fatal_all(CDRT_EXIT_INPUT,
                   "%s: OverflowError: the result is past the nanoseconds an int64 holds (about "
                   "292 years either way)",
                   what);
  return r;
}

cdrt_value cdrt_value_arith(cdrt_value a, cdrt_value b, int op, int type) {
  if (op & CDRT_ARITH_SWAP) {
    cdrt_value t = a;
    a = b, b = t, op &= ~CDRT_ARITH_SWAP;
  }
  if (cdrt_col_nat(a.type) || cdrt_col_nat(b.type)) return nat_value_arith(a, b, op, type);
  if (type == CDRT_COL_FLOAT64)
    return (cdrt_value){.type = type, .f = arith_f64(op, number_f64(a), number_f64(b))};
  return (cdrt_value){.type = type, .i = arith_i64(op, a.i, b.i)};
}

cdrt_frame *cdrt_frame_cum(const cdrt_frame *a, int rop, int type, int seeded, double seed) {
  cdrt_frame *g = cdrt_calloc(1, sizeof *g);
  *g = *a;
  g->ncols = 1, g->series = 1;
  g->cols = cdrt_calloc(1, sizeof *g->cols);
  const cdrt_column *x = &a->cols[0];
  int64_t n = a->n + (seeded != 0);
  if (seeded) g->n = n, g->index = (cdrt_column){CDRT_COL_INT64, NULL, NULL, NULL};
  void *v = cdrt_frame_alloc(n, 8);
  double f = seed;
  uint64_t i64 = (uint64_t)(int64_t)seed; /* an integer seed (cdaskc checks) */
  for (int64_t i = 0, o = 0; o < n; o++) {
    if (seeded && o == 0) { /* the seed itself */
    } else if (type == CDRT_COL_FLOAT64) {
      double y = cell_f64(x, i++);
      f = !seeded && o == 0     ? y
          : rop == CDRT_AGG_SUM ? f + y
          : rop == CDRT_AGG_MAX ? (y > f ? y : f)
                                : (y < f ? y : f);
    } else {
      uint64_t y = x->type == CDRT_COL_BOOL ? ((const uint8_t *)x->data)[i]
                                            : (uint64_t)((const int64_t *)x->data)[i];
      i++;
      i64 = !seeded && o == 0     ? y
            : rop == CDRT_AGG_SUM ? i64 + y
            : rop == CDRT_AGG_MAX ? ((int64_t)y > (int64_t)i64 ? y : i64)
                                  : ((int64_t)y < (int64_t)i64 ? y : i64);
    }
    if (type == CDRT_COL_FLOAT64)
      ((double *)v)[o] = f;
    else
      ((int64_t *)v)[o] = (int64_t)i64;
  }
  g->cols[0] = (cdrt_column){type, a->cols[0].name, v, NULL};
  return g;
}

cdrt_frame *cdrt_frame_assign(const cdrt_frame *f, const cdrt_frame *s, const char *name) {
  cdrt_frame *g = cdrt_calloc(1, sizeof *g);
  *g = *f;
  g->series = 0;
  g->cols = cdrt_calloc((size_t)f->ncols + 1, sizeof *g->cols);
  memcpy(g->cols, f->cols, (size_t)f->ncols * sizeof *g->cols);
  int k = 0;
  while (k < f->ncols && !(f->cols[k].name && strcmp(f->cols[k].name, name) == 0)) k++;
  if (k == g->ncols) g->ncols++;
  g->cols[k] = s->cols[0];
  g->cols[k].name = name;
  return g;
}

cdrt_frame *cdrt_frame_select(const cdrt_frame *f, int ncols, const int *cols, int series) {
  cdrt_frame *g = cdrt_calloc(1, sizeof *g);
  *g = *f;
  g->ncols = ncols, g->series = series;
  g->cols = cdrt_calloc((size_t)(ncols ? ncols : 1), sizeof *g->cols);
  for (int k = 0; k < ncols; k++) g->cols[k] = *frame_col(f, cols[k]);
  return g;
}

/* ---- order statistics ---- */
static int double_cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The present values of a numeric column as doubles, in row order; their number in *n */
static double *present_values(const cdrt_column *c, int64_t rows, int64_t *n) {
  double *v = cdrt_frame_alloc(rows, sizeof *v); /* scratch: cdrt_frame_free(v, rows, 8) */
  int64_t m = 0;
  for (int64_t i = 0; i < rows; i++) {
    if (cdrt_cell_missing(c, i)) continue;
    v[m++] = c->type == CDRT_COL_FLOAT64 ? ((const double *)c->data)[i]
             : c->type == CDRT_COL_BOOL  ? ((const uint8_t *)c->data)[i]
                                         : (double)((const int64_t *)c->data)[i];
  }
  *n = m;
  return v;
}

/* ... sorted (describe's min, max and sums in that order) */
static double *sorted_values(const cdrt_column *c, int64_t rows, int64_t *n) {
  double *v = present_values(c, rows, n);
  qsort(v, (size_t)*n, sizeof *v, double_cmp);
  return v;
}

/* The smallest of v[from, n) */
static double smallest_from(const double *v, int64_t from, int64_t n) {
  double m = v[from];
  for (int64_t i = from + 1; i < n; i++) m = v[i] < m ? v[i] : m;
  return m;
}

/* NumPy's median of v[0, n) (reordered: NumPy partitions too): the middle value, or the
 * mean of the middle two ((a + b) / 2), selected in linear time */
static double median_of(double *v, int64_t n) {
  if (!n) return NAN;
  double hi = cdrt_select_f64(v, n, n / 2);
  if (n % 2) return hi;
  double lo = v[0]; /* the largest of v[0, n / 2) */
  for (int64_t i = 1; i < n / 2; i++) lo = v[i] > lo ? v[i] : lo;
  return (lo + hi) / 2;
}

/* NumPy's percentile, method "linear", as pandas calls it (np.percentile(v, q * 100)): the
 * virtual index (n - 1) q', q' = q * 100 / 100 rounded as NumPy rounds it, the last value
 * past n - 1; then the lerp, from the upper neighbour when the fraction is at least one half.
 * *i is the lower neighbour's place and *t the fraction */
static void percentile_at(int64_t n, double q, int64_t *i, double *t) {
  double at = (double)(n - 1) * (q * 100.0 / 100.0), lo = floor(at);
  *t = at - lo;
  *i = at >= (double)(n - 1) ? n - 1 : (int64_t)lo;
}
static double lerp(double a, double b, double d, double t) {
  return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}

/* ... of v[0, n) (reordered): the i-th value selected, the next the smallest above it */
static double quantile_of(double *v, int64_t n, double q) {
  if (!n) return NAN;
  int64_t i;
  double t;
  percentile_at(n, q, &i, &t);
  double a = cdrt_select_f64(v, n, i), b = i + 1 < n ? smallest_from(v, i + 1, n) : a;
  return lerp(a, b, b - a, t);
}

static int i64_cmp(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* ... of timedeltas (datetimes) v[0, n), sorted: NumPy's lerp of the int64 values (their
 * difference in int64), cast back as pandas casts the float result (NaT for none) */
static int64_t nat_quantile_sorted(const int64_t *v, int64_t n, double q) {
  if (!n) return CDRT_NAT;
  int64_t i;
  double t;
  percentile_at(n, q, &i, &t);
  int64_t a = v[i], b = i + 1 < n ? v[i + 1] : a;
  double d = (double)(int64_t)((uint64_t)b - (uint64_t)a); /* wraps, as NumPy's */
  return cdrt_nat_from_f64(lerp((double)a, (double)b, d, t), cdrt_frame_op_what);
}

/* The present values of the column of timedeltas (datetimes) c, sorted: *n of them */
static int64_t *nat_sorted(const cdrt_column *c, int64_t rows, int64_t *n) {
  int64_t *v = cdrt_frame_alloc(rows, sizeof *v), m = 0;
  for (int64_t i = 0; i < rows; i++)
    if (((const int64_t *)c->data)[i] != CDRT_NAT) v[m++] = ((const int64_t *)c->data)[i];
  qsort(v, (size_t)m, sizeof *v, i64_cmp);
  *n = m;
  return v;
}

/* The median of a column of timedeltas (datetimes): the middle value, or the midpoint of
 * the middle two truncated toward zero, as pandas' median casts its float back (NaT for
 * none) */
static cdrt_value nat_median(const cdrt_column *c, int64_t rows) {
  int64_t n, *v = nat_sorted(c, rows, &n), m = CDRT_NAT;
  if (n) m = n % 2 ? v[n / 2] : cdrt_nat_mid(v[n / 2 - 1], v[n / 2]);
  cdrt_frame_free(v, rows, sizeof *v);
  return (cdrt_value){.type = c->type, .i = m};
}

cdrt_value cdrt_frame_median(const cdrt_frame *f, int col) {
  int64_t n;
  if (cdrt_col_nat(f->cols[col].type)) return nat_median(&f->cols[col], f->n);
  double *v = present_values(&f->cols[col], f->n, &n);
  cdrt_value r = {.type = CDRT_COL_FLOAT64, .f = median_of(v, n)};
  cdrt_frame_free(v, f->n, sizeof *v);
  return r;
}

cdrt_value cdrt_frame_quantile(const cdrt_frame *f, int col, double q) {
  int64_t n;
  if (cdrt_col_nat(f->cols[col].type)) {
    int64_t *v = nat_sorted(&f->cols[col], f->n, &n);
    cdrt_value r = {.type = f->cols[col].type, .i = nat_quantile_sorted(v, n, q)};
    cdrt_frame_free(v, f->n, sizeof *v);
    return r;
  }
  double *v = present_values(&f->cols[col], f->n, &n);
  cdrt_value r = {.type = CDRT_COL_FLOAT64, .f = quantile_of(v, n, q)};
  cdrt_frame_free(v, f->n, sizeof *v);
  return r;
}

/* idxmax and idxmin: the label of the first row holding the largest (smallest) present
 * value; a Series without one is an error, as pandas 3's */
static cdrt_value index_of_extreme(const cdrt_frame *f, bool max) {
  const cdrt_column *c = &f->cols[0];
  int64_t at = -1;
  for (int64_t i = 0; i < f->n; i++)
    if (!cdrt_cell_missing(c, i) &&
        (at < 0 || (max ? cdrt_cell_cmp(c, i, at) > 0 : cdrt_cell_cmp(c, i, at) < 0)))
      at = i;
  if (at < 0)
    cdrt_fatal(CDRT_EXIT_INPUT, "%s: ValueError: %s of a Series without a present value",
               cdrt_frame_op_what ? cdrt_frame_op_what : "idxmax", max ? "idxmax" : "idxmin");
  const cdrt_column *ix = f->nindex ? &f->levels[0] : &f->index;
  cdrt_value v = {.type = ix->type};
  if (!ix->data)
    v.i = at;
  else if (ix->type == CDRT_COL_FLOAT64)
    v.f = ((const double *)ix->data)[at];
  else if (ix->type == CDRT_COL_STR)
    v.s = ((const cdrt_str *)ix->data)[at];
  else if (ix->type == CDRT_COL_BOOL)
    v.i = ((const uint8_t *)ix->data)[at];
  else
    v.i = ((const int64_t *)ix->data)[at];
  if (v.type != CDRT_COL_FLOAT64) v.f = (double)v.i;
  return v;
}

/* The values of rows [lo, hi) of column c into a for the reduction rop */
static void agg_rows(cdrt_agg *a, const cdrt_column *c, int64_t lo, int64_t hi, int rop) {
  bool minmax = rop == CDRT_AGG_MIN || rop == CDRT_AGG_MAX;
  for (int64_t i = lo; i < hi; i++) {
    if (cdrt_cell_missing(c, i)) continue;
    if (c->type == CDRT_COL_STR) {
      if (minmax)
        cdrt_agg_str_minmax(a, ((const cdrt_str *)c->data)[i]);
      else
        a->n++;
      continue;
    }
    if (minmax) {
      if (c->type == CDRT_COL_FLOAT64)
        cdrt_agg_f64_minmax(a, ((const double *)c->data)[i]);
      else
        cdrt_agg_i64_minmax(a, c->type == CDRT_COL_BOOL ? ((const uint8_t *)c->data)[i]
                                                        : ((const int64_t *)c->data)[i]);
      continue;
    }
    if (cdrt_col_nat(c->type) && (rop == CDRT_AGG_SUM || rop == CDRT_AGG_MEAN)) {
      cdrt_agg_nat_add(a, ((const int64_t *)c->data)[i]); /* exactly */
      continue;
    }
    double x = cell_f64(c, i);
    a->n++;
    if (rop == CDRT_AGG_STD || rop == CDRT_AGG_VAR)
      cdrt_agg_sq(a, x);
    else if (c->type == CDRT_COL_FLOAT64 || rop == CDRT_AGG_MEAN)
      cdrt_xsum_add(&a->x1, x);
    else
      a->isum += (uint64_t)(c->type == CDRT_COL_BOOL ? ((const uint8_t *)c->data)[i]
                                                     : ((const int64_t *)c->data)[i]);
  }
}

static void group_agg(cdrt_column *out, int64_t r, int what, const cdrt_column *c,
                      const int64_t *rows, int64_t n);
static double group_corr(const cdrt_column *x, const cdrt_column *y, const int64_t *rows,
                         int64_t n);

cdrt_value cdrt_frame_agg(const cdrt_frame *f, int rop) {
  enum { PIECES = 64 }; /* fixed, not the thread count: merged in order */
  if (rop == CDRT_AGG_IDXMAX || rop == CDRT_AGG_IDXMIN)
    return index_of_extreme(f, rop == CDRT_AGG_IDXMAX);
  if (rop == CDRT_AGG_SIZE)
    return (cdrt_value){.type = CDRT_COL_INT64, .i = f->n, .f = (double)f->n};
  if (rop == CDRT_AGG_CORR) { /* s:corr(o): Pearson's r of the two columns */
    int64_t *rows = identity(f->n);
    double r = group_corr(&f->cols[0], &f->cols[1], rows, f->n);
    cdrt_frame_free(rows, f->n, sizeof *rows);
    return (cdrt_value){.type = CDRT_COL_FLOAT64, .f = r};
  }
  const cdrt_column *c = &f->cols[0];
  if (rop == CDRT_AGG_NUNIQUE) { /* the column's rows as one group: sorted, runs counted */
    int64_t *rows = cdrt_frame_alloc(f->n ? f->n : 1, sizeof *rows), count = 0;
    for (int64_t i = 0; i < f->n; i++) rows[i] = i;
    cdrt_column out = {CDRT_COL_INT64, NULL, &count, NULL};
    group_agg(&out, 0, rop, c, rows, f->n);
    cdrt_frame_free(rows, f->n ? f->n : 1, sizeof *rows);
    return (cdrt_value){.type = CDRT_COL_INT64, .i = count};
  }
  int type = c->type == CDRT_COL_BOOL && rop == CDRT_AGG_SUM ? CDRT_COL_INT64 : c->type;
  cdrt_agg *part = cdrt_calloc(PIECES, sizeof *part);
#pragma omp parallel for schedule(dynamic, 1)
  for (int p = 0; p < PIECES; p++)
    agg_rows(&part[p], c, f->n * p / PIECES, f->n * (p + 1) / PIECES, rop);
  for (int p = 1; p < PIECES; p++) cdrt_agg_merge(&part[0], &part[p], type);
  cdrt_value v = cdrt_agg_final(&part[0], rop, type);
  free(part);
  return v;
}

static int describe_less(const void *ctx, int64_t i, int64_t j) {
  const cdrt_str *v = ctx;
  return cdrt_str_cmp(v[i], v[j]) < 0;
}

/* pandas' describe of a str column's n values into out[4] (count, unique, top, freq, as
 * the strings pandas prints; top and freq missing without values). The top of tied counts
 * is the first to appear, as value_counts orders ties. */
static void describe_strings(const cdrt_str *v, int64_t n, cdrt_str *out) {
  int64_t *at = cdrt_malloc((size_t)(n + 1) * sizeof *at), m = 0;
  for (int64_t i = 0; i < n; i++)
    if (v[i].p) at[m++] = i;
  cdrt_stable_sort(at, m, describe_less, v); /* equal strings: in order of appearance */
  int64_t unique = 0, best = 0, top = -1;
  for (int64_t i = 0; i < m;) {
    int64_t j = i;
    while (j < m && cdrt_str_cmp(v[at[j]], v[at[i]]) == 0) j++;
    unique++; /* at[i]: the run's first appearance */
    if (j - i > best || (j - i == best && at[i] < top)) best = j - i, top = at[i];
    i = j;
  }
  free(at);
  char buf[32];
  int64_t nums[4] = {m, unique, 0, best};
  for (int s = 0; s < 4; s++) {
    if (s == 2 || (s == 3 && top < 0)) {
      out[s] = s == 2 && top >= 0 ? v[top] : (cdrt_str){NULL, 0};
      continue;
    }
    int len = snprintf(buf, sizeof buf, "%lld", (long long)nums[s]);
    char *p = cdrt_malloc((size_t)len + 1);
    memcpy(p, buf, (size_t)len + 1);
    out[s] = (cdrt_str){p, len};
  }
}

/* describe of a frame of str columns: count, unique, top, freq */
static cdrt_frame *describe_str_frame(const cdrt_frame *f) {
  static const char *const labels[] = {"count", "unique", "top", "freq"};
  cdrt_frame *g = cdrt_calloc(1, sizeof *g);
  g->n = 4, g->ncols = f->ncols;
  g->cols = cdrt_calloc((size_t)(f->ncols ? f->ncols : 1), sizeof *g->cols);
  cdrt_str *index = cdrt_calloc(4, sizeof *index);
  for (int s = 0; s < 4; s++) index[s] = (cdrt_str){labels[s], (int64_t)strlen(labels[s])};
  g->index = (cdrt_column){CDRT_COL_STR, NULL, index, NULL};
  for (int k = 0; k < f->ncols; k++) {
    cdrt_str *out = cdrt_calloc(4, sizeof *out);
    describe_strings(f->cols[k].data, f->n, out);
    g->cols[k] = (cdrt_column){CDRT_COL_STR, f->cols[k].name, out, NULL};
  }
  return g;
}

/* pandas' describe of the numeric columns: count, mean, std, min, 25%, 50%, 75%, max */
cdrt_frame *cdrt_frame_describe(const cdrt_frame *f) {
  if (f->ncols && f->cols[0].type == CDRT_COL_STR) return describe_str_frame(f);
  static const char *const labels[] = {"count", "mean", "std", "min", "25%", "50%", "75%", "max"};
  enum { NSTAT = 8 };
  cdrt_frame *g = cdrt_calloc(1, sizeof *g);
  g->n = NSTAT, g->ncols = f->ncols;
  g->cols = cdrt_calloc((size_t)(f->ncols ? f->ncols : 1), sizeof *g->cols);
  cdrt_str *index = cdrt_calloc(NSTAT, sizeof *index);
  for (int s = 0; s < NSTAT; s++) index[s] = (cdrt_str){labels[s], (int64_t)strlen(labels[s])};
  g->index = (cdrt_column){CDRT_COL_STR, NULL, index, NULL};
  for (int k = 0; k < f->ncols; k++) {
    int64_t n;
    double *v = sorted_values(&f->cols[k], f->n, &n), *out = cdrt_malloc(NSTAT * sizeof *out);
    cdrt_agg a = {0};
    for (int64_t i = 0; i < n; i++) a.n++, cdrt_agg_sq(&a, v[i]);
    out[0] = (double)n;
    out[1] = cdrt_agg_final(&a, CDRT_AGG_MEAN, CDRT_COL_FLOAT64).f;
    out[2] = cdrt_agg_final(&a, CDRT_AGG_STD, CDRT_COL_FLOAT64).f;
    out[3] = n ? v[0] : NAN, out[7] = n ? v[n - 1] : NAN; /* (before quantile_of moves v) */
    out[4] = quantile_of(v, n, 0.25);
    out[5] = quantile_of(v, n, 0.5);
    out[6] = quantile_of(v, n, 0.75);
    cdrt_frame_free(v, f->n, sizeof *v);
    g->cols[k] = (cdrt_column){CDRT_COL_FLOAT64, f->cols[k].name, out, NULL};
  }
  return g;
}
/* ---- groupby by sorting: for the aggregations that need a group's values ---- */

typedef struct {
  const cdrt_column *c;
} one_column;

static int column_less(const void *ctx, int64_t a, int64_t b) {
  const cdrt_column *c = ((const one_column *)ctx)->c;
  bool ma = cdrt_cell_missing(c, a), mb = cdrt_cell_missing(c, b);
  if (ma || mb) return mb && !ma;
  return cdrt_cell_cmp(c, a, b) < 0;
}

/* rows[0, n) sorted stably by c's values, the present ones first (*present of them) */
static int64_t *sorted_rows(const cdrt_column *c, const int64_t *rows, int64_t n,
                            int64_t *present) {
  int64_t *v = cdrt_malloc((size_t)(n ? n : 1) * sizeof *v);
  memcpy(v, rows, (size_t)n * sizeof *v);
  one_column oc = {c};
  cdrt_stable_sort(v, n, column_less, &oc);
  *present = 0;
  while (*present < n && !cdrt_cell_missing(c, v[*present])) ++*present;
  return v;
}

/* The quantile q of column c over rows[0, n) into cell r of out, as pandas' group_quantile
 * ("linear"): the values in float64, the (q (m - 1))-th of the m present ones stably sorted
 * (equal values in the file's order), plus the fraction of the step to the next; NaN for
 * none. Timedeltas and datetimes are cast back as pandas casts its float (NaT for none). */
static void group_quantile(cdrt_column *out, int64_t r, double q, const cdrt_column *c,
                           const int64_t *rows, int64_t n) {
  int64_t m, *v = sorted_rows(c, rows, n, &m);
  double f = NAN;
  if (m) {
    double at = q * (double)(m - 1), frac = fmod(at, 1.0);
    int64_t i = (int64_t)at;
    f = cell_f64(c, v[i]);
    if (frac != 0) f = f + (cell_f64(c, v[i + 1]) - f) * frac;
  }
  free(v);
  if (cdrt_col_nat(out->type))
    ((int64_t *)out->data)[r] = cdrt_nat_from_f64(f, cdrt_frame_op_what);
  else
    ((double *)out->data)[r] = f;
}

/* Aggregation what of column c over the rows rows[0, n) (in the file's order) into cell r
 * of out, as pandas' groupby computes it */
static void group_agg(cdrt_column *out, int64_t r, int what, const cdrt_column *c,
                      const int64_t *rows, int64_t n) {
  int64_t present = 0, i64 = 0;
  double f = NAN;
  cdrt_str s = {NULL, 0};
  if (what == CDRT_AGG_MEDIAN || what == CDRT_AGG_NUNIQUE) {
    int64_t *v = sorted_rows(c, rows, n, &present);
    if (what == CDRT_AGG_NUNIQUE)
      for (int64_t k = 0; k < present; k++) i64 += k == 0 || cdrt_cell_cmp(c, v[k - 1], v[k]) != 0;
    else if (present && cdrt_col_nat(c->type)) {
      const int64_t *x = c->data;
      i64 =
          present % 2 ? x[v[present / 2]] : cdrt_nat_mid(x[v[present / 2 - 1]], x[v[present / 2]]);
    } else if (present)
      f = present % 2 ? cell_f64(c, v[present / 2])
                      : (cell_f64(c, v[present / 2 - 1]) + cell_f64(c, v[present / 2])) / 2;
    else if (cdrt_col_nat(c->type))
      i64 = CDRT_NAT;
    free(v);
  } else if (what == CDRT_AGG_SIZE) {
    i64 = n;
  } else {
    cdrt_gsumf sf = {0};
    cdrt_gvar var = {0};
    cdrt_xpool pool = {0}; /* (the exact sums as the groupby in a scan keeps them) */
    cdrt_gpick pick = {0};
    cdrt_gpicks picks = {0};
    uint64_t si = 0;
    cdrt_agg nat = {0}; /* timedeltas' (datetimes') exact sum */
    for (int64_t k = 0; k < n; k++) {
      int64_t i = rows[k];
      if (cdrt_cell_missing(c, i)) continue;
      present++;
      if (c->type == CDRT_COL_STR) {
        cdrt_gpick_str(&picks, what, ((const cdrt_str *)c->data)[i]);
      } else if (c->type == CDRT_COL_FLOAT64) {
        double x = ((const double *)c->data)[i];
        cdrt_gsumf_add(&sf, x, &pool), cdrt_gvar_add(&var, x, &pool);
        cdrt_gpick_f64(&pick, what, x);
      } else {
        int64_t x = c->type == CDRT_COL_BOOL ? ((const uint8_t *)c->data)[i]
                                             : ((const int64_t *)c->data)[i];
        si += (uint64_t)x, cdrt_gvar_add(&var, (double)x, &pool), cdrt_gpick_i64(&pick, what, x);
        if (cdrt_col_nat(c->type)) cdrt_agg_nat_add(&nat, x);
      }
    }
    switch (what) {
    case CDRT_AGG_COUNT: i64 = present; break;
    case CDRT_AGG_SUM:
      i64 =
          cdrt_col_nat(c->type) ? cdrt_nat_sum(nat.isum, nat.ihi, cdrt_frame_op_what) : (int64_t)si;
      f = cdrt_gx_round(&sf.m[0], &pool);
      break;
    case CDRT_AGG_MEAN:
      i64 = cdrt_nat_mean(nat.isum, nat.ihi, nat.n);
      f = present ? (c->type == CDRT_COL_FLOAT64 ? cdrt_gx_round(&sf.m[0], &pool)
                                                 : (double)(int64_t)si) /
                        (double)present
                  : NAN;
      break;
    case CDRT_AGG_VAR:
    case CDRT_AGG_STD: f = cdrt_gvar_final(&var, &pool, what); break;
    default: /* min, max, first, last */
      i64 = pick.i, f = pick.n ? pick.f : NAN, s = picks.n ? picks.s : (cdrt_str){NULL, 0};
      if (c->type == CDRT_COL_INT64 && !pick.n) f = NAN;
      if (cdrt_col_nat(c->type) && !pick.n) i64 = CDRT_NAT;
    }
    cdrt_xpool_free(&pool);
  }
  switch (out->type) {
  case CDRT_COL_FLOAT64:
    ((double *)out->data)[r] = c->type == CDRT_COL_FLOAT64 || what == CDRT_AGG_MEDIAN ||
                                       what == CDRT_AGG_MEAN || what == CDRT_AGG_STD ||
                                       what == CDRT_AGG_VAR
                                   ? f
                                   : (double)i64;
    break;
  case CDRT_COL_STR: ((cdrt_str *)out->data)[r] = s; break;
  case CDRT_COL_BOOL: ((uint8_t *)out->data)[r] = (uint8_t)i64; break;
  default: ((int64_t *)out->data)[r] = i64;
  }
}

void cdrt_frame_group_agg(cdrt_column *out, int64_t r, int what, const cdrt_column *c,
                          const int64_t *rows, int64_t n) {
  group_agg(out, r, what, c, rows, n);
}

typedef struct {
  const int64_t *start; /* a group's first row in the sorted order */
  const int64_t *order;
} first_rows;

static int first_less(const void *ctx, int64_t a, int64_t b) {
  const first_rows *k = ctx;
  return k->order[k->start[a]] < k->order[k->start[b]];
}

/* Pearson's r of x and y over the rows where neither is missing, as NumPy's corrcoef (NaN
 * below two rows), from exact sums as the groupby in a scan makes it: the same bits */
static double group_corr(const cdrt_column *x, const cdrt_column *y, const int64_t *rows,
                         int64_t n) {
  cdrt_gcorr a = {0};
  cdrt_xpool pool = {0};
  for (int64_t i = 0; i < n; i++) {
    double u = cell_f64(x, rows[i]), v = cell_f64(y, rows[i]);
    if (!isnan(u) && !isnan(v)) cdrt_gcorr_add(&a, u, v, &pool);
  }
  double r = cdrt_gcorr_final(&a, &pool);
  cdrt_xpool_free(&pool);
  return r;
}

cdrt_frame *cdrt_frame_quantiles(const cdrt_frame *f, int nq, const double *qs) {
  cdrt_frame *g = cdrt_calloc(1, sizeof *g);
  g->n = nq, g->ncols = f->ncols, g->series = f->series;
  g->cols = cdrt_calloc((size_t)f->ncols + 1, sizeof *g->cols);
  for (int j = 0; j < f->ncols; j++) {
    int64_t n;
    if (cdrt_col_nat(f->cols[j].type)) { /* Timedeltas (Timestamps) */
      int64_t *v = nat_sorted(&f->cols[j], f->n, &n), *out = cdrt_frame_alloc(nq, sizeof *out);
      for (int k = 0; k < nq; k++) out[k] = nat_quantile_sorted(v, n, qs[k]);
      cdrt_frame_free(v, f->n, sizeof *v);
      g->cols[j] = (cdrt_column){f->cols[j].type, f->cols[j].name, out, NULL};
      continue;
    }
    double *v = present_values(&f->cols[j], f->n, &n), *out = cdrt_frame_alloc(nq, sizeof *out);
    for (int k = 0; k < nq; k++) out[k] = quantile_of(v, n, qs[k]);
    cdrt_frame_free(v, f->n, sizeof *v);
    g->cols[j] = (cdrt_column){CDRT_COL_FLOAT64, f->cols[j].name, out, NULL};
  }
  double *labels = cdrt_frame_alloc(nq, sizeof *labels);
  if (nq) memcpy(labels, qs, (size_t)nq * sizeof *labels);
  g->index = (cdrt_column){CDRT_COL_FLOAT64, NULL, labels, NULL};
  return g;
}

cdrt_frame *cdrt_frame_corr(const cdrt_frame *f) {
  int m = f->ncols;
  cdrt_frame *g = cdrt_calloc(1, sizeof *g);
  g->n = m, g->ncols = m;
  g->cols = cdrt_calloc((size_t)m + 1, sizeof *g->cols);
  cdrt_str *labels = cdrt_calloc((size_t)m + 1, sizeof *labels);
  int64_t *rows = identity(f->n);
  for (int j = 0; j < m; j++) {
    const char *name = f->cols[j].name ? f->cols[j].name : "";
    labels[j] = (cdrt_str){name, (int64_t)strlen(name)};
    g->cols[j] = (cdrt_column){CDRT_COL_FLOAT64, f->cols[j].name, cdrt_frame_alloc(m, 8), NULL};
  }
  for (int i = 0; i < m; i++) /* symmetric: each pair once */
    for (int j = i; j < m; j++) {
      double r = group_corr(&f->cols[i], &f->cols[j], rows, f->n);
      ((double *)g->cols[j].data)[i] = ((double *)g->cols[i].data)[j] = r;
    }
  cdrt_frame_free(rows, f->n, sizeof *rows);
  g->index = (cdrt_column){CDRT_COL_STR, NULL, labels, NULL};
  return g;
}

cdrt_frame *cdrt_frame_groupby(const cdrt_frame *f, const cdrt_group_spec *sp) {
  int nk = sp->nkeys;
  const cdrt_column **keys = cdrt_malloc((size_t)nk * sizeof *keys);
  unsigned char *asc = cdrt_malloc((size_t)nk);
  for (int k = 0; k < nk; k++) keys[k] = &f->cols[k], asc[k] = 1;
  int64_t *order = cdrt_frame_alloc(f->n, sizeof *order), n = 0; /* scratch */
  for (int64_t i = 0; i < f->n; i++) {
    bool keep = true;
    for (int k = 0; k < nk && keep && sp->dropna; k++) keep = !cdrt_cell_missing(&f->cols[k], i);
    if (keep) order[n++] = i;
  }
  sort_keys sk = {nk, keys, asc};
  cdrt_stable_sort(order, n, rows_less, &sk); /* groups in key order, rows in file order */
  int64_t *start = cdrt_frame_alloc(n + 1, sizeof *start), ng = 0; /* scratch */
  for (int64_t i = 0; i < n; i++) {
    bool same = i > 0;
    for (int k = 0; k < nk && same; k++) same = cells_equal(&f->cols[k], order[i - 1], order[i]);
    if (!same) start[ng++] = i;
  }
  start[ng] = n;
  int64_t *groups = identity(ng), *first = cdrt_frame_alloc(ng, sizeof *first); /* scratch */
  if (!sp->sort) { /* pandas' sort = false: the order in which the groups first appear */
    first_rows fr = {start, order};
    cdrt_stable_sort(groups, ng, first_less, &fr);
  }
  for (int64_t g = 0; g < ng; g++) first[g] = order[start[groups[g]]];
  cdrt_frame *out = cdrt_calloc(1, sizeof *out);
  out->n = ng, out->series = sp->series;
  int nkc = sp->as_index ? 0 : nk;
  out->ncols = nkc + sp->naggs;
  out->cols = cdrt_calloc((size_t)out->ncols + 1, sizeof *out->cols);
  cdrt_column *kc = sp->as_index ? cdrt_calloc((size_t)nk, sizeof *kc) : out->cols;
  for (int k = 0; k < nk; k++) take_column(&kc[k], &f->cols[k], first, ng);
  if (sp->as_index)
    out->nindex = nk, out->levels = kc, out->index = kc[0];
  else
    out->index = (cdrt_column){CDRT_COL_INT64, NULL, NULL, NULL};
  for (int a = 0; a < sp->naggs; a++) {
    cdrt_column *c = &out->cols[nkc + a];
    *c = (cdrt_column){sp->rtypes[a], sp->anames[a], NULL, NULL};
    c->data = op_zalloc(ng, cdrt_col_bytes(c->type));
    for (int64_t g = 0; g < ng; g++) {
      int64_t lo = start[groups[g]], hi = start[groups[g] + 1];
      if (sp->what[a] == CDRT_AGG_CORR) /* with the frame's last column */
        ((double *)c->data)[g] =
            group_corr(&f->cols[nk + a], &f->cols[nk + sp->naggs], order + lo, hi - lo);
      else if (sp->what[a] == CDRT_AGG_QUANTILE)
        group_quantile(c, g, sp->qs[a], &f->cols[nk + a], order + lo, hi - lo);
      else
        group_agg(c, g, sp->what[a], &f->cols[nk + a], order + lo, hi - lo);
    }
  }
  free(keys), free(asc);
  cdrt_frame_free(order, f->n, 8), cdrt_frame_free(start, n + 1, 8), cdrt_frame_free(groups, ng, 8),
      cdrt_frame_free(first, ng, 8);
  return out;
}
/* ---- merge: a hash join (pandas' merge on columns) ---- */

/* x's row a and y's row b hold equal values (two missing values are equal) */
static bool cells_equal_across(const cdrt_column *x, int64_t a, const cdrt_column *y, int64_t b) {
  bool ma = cdrt_cell_missing(x, a), mb = cdrt_cell_missing(y, b);
  if (ma || mb) return ma == mb;
  switch (x->type) {
  case CDRT_COL_FLOAT64: return ((const double *)x->data)[a] == ((const double *)y->data)[b];
  case CDRT_COL_BOOL: return ((const uint8_t *)x->data)[a] == ((const uint8_t *)y->data)[b];
  case CDRT_COL_STR: {
    cdrt_str s = ((const cdrt_str *)x->data)[a], t = ((const cdrt_str *)y->data)[b];
    return s.n == t.n && memcmp(s.p, t.p, (size_t)s.n) == 0;
  }
  default: return ((const int64_t *)x->data)[a] == ((const int64_t *)y->data)[b];
  }
}

/* -1, 0, 1 for x's row a against y's row b, present values */
static int cell_cmp_across(const cdrt_column *x, int64_t a, const cdrt_column *y, int64_t b) {
  switch (x->type) {
  case CDRT_COL_FLOAT64: {
    double p = ((const double *)x->data)[a], q = ((const double *)y->data)[b];
    return (p > q) - (p < q);
  }
  case CDRT_COL_BOOL: {
    int p = ((const uint8_t *)x->data)[a], q = ((const uint8_t *)y->data)[b];
    return (p > q) - (p < q);
  }
  case CDRT_COL_STR:
    return cdrt_str_cmp(((const cdrt_str *)x->data)[a], ((const cdrt_str *)y->data)[b]);
  default: {
    int64_t p = ((const int64_t *)x->data)[a], q = ((const int64_t *)y->data)[b];
    return (p > q) - (p < q);
  }
  }
}

/* The two sides of a join: the build side b (hashed) and the probe side p */
typedef struct {
  int nk;
  const cdrt_column **bk, **pk; /* their key columns */
  int64_t *slot, mask;          /* a group + 1, or 0 */
  uint64_t *gh;                 /* per group: the hash of its key */
  int64_t *rep;                 /* per group: a row with its key (b's, or p's as -row - 1) */
  int64_t ng, cap;
} join_table;

static uint64_t keys_hash(const cdrt_column *const *keys, int nk, int64_t i) {
  uint64_t h = 0x243f6a8885a308d3u;
  for (int k = 0; k < nk; k++) h = (h ^ cell_hash(keys[k], i)) * 0x9e3779b97f4a7c15u;
  return h ^ (h >> 31);
}

/* Row i of side keys (b's or p's) has group g's key */
static bool group_has(const join_table *t, int64_t g, const cdrt_column *const *keys, int64_t i) {
  int64_t j = t->rep[g];
  const cdrt_column *const *gk = j >= 0 ? t->bk : t->pk;
  if (j < 0) j = -j - 1;
  for (int k = 0; k < t->nk; k++)
    if (!cells_equal_across(keys[k], i, gk[k], j)) return false;
  return true;
}

/* The group of row i (hash h) of a side's keys, or -1; with insert, a new group if none
 * (rep: the row as group_has reads it) */
static int64_t join_find(join_table *t, const cdrt_column *const *keys, int64_t i, uint64_t h,
                         bool insert, int64_t rep) {
  int64_t at = (int64_t)(h & (uint64_t)t->mask);
  for (; t->slot[at]; at = (at + 1) & t->mask) {
    int64_t g = t->slot[at] - 1;
    if (t->gh[g] == h && group_has(t, g, keys, i)) return g;
  }
  if (!insert) return -1;
  if (t->ng == t->cap) {
    cdrt_state_charge(t->cap * 16, cdrt_frame_op_what); /* gh and rep doubled */
    t->cap *= 2;
    t->gh = cdrt_realloc(t->gh, (size_t)t->cap * sizeof *t->gh);
    t->rep = cdrt_realloc(t->rep, (size_t)t->cap * sizeof *t->rep);
  }
  int64_t g = t->ng++;
  t->gh[g] = h, t->rep[g] = rep, t->slot[at] = g + 1;
  return g;
}

/* A table for up to n groups of the build keys bk (probed with pk) */
static join_table join_table_init(int nk, const cdrt_column **bk, const cdrt_column **pk,
                                  int64_t n) {
  join_table t = {nk, bk, pk, NULL, 15, NULL, NULL, 0, 64};
  while (t.mask + 1 < 2 * n) t.mask = 2 * t.mask + 1;
  t.slot = op_zalloc(t.mask + 1, sizeof *t.slot);
  t.gh = cdrt_frame_alloc(t.cap, sizeof *t.gh);
  t.rep = cdrt_frame_alloc(t.cap, sizeof *t.rep);
  return t;
}

static void join_table_free(join_table *t) {
  cdrt_frame_free(t->slot, t->mask + 1, 8), cdrt_frame_free(t->gh, t->cap, 8),
      cdrt_frame_free(t->rep, t->cap, 8);
}

/* The columns keys[0, nk) of frame f */
static const cdrt_column **key_columns(const cdrt_frame *f, const int *keys, int nk) {
  const cdrt_column **c = cdrt_malloc((size_t)(nk ? nk : 1) * sizeof *c);
  for (int k = 0; k < nk; k++) c[k] = frame_col(f, keys[k]);
  return c;
}

/* Per row of one side: its keys' hashes (in parallel: each row's own) */
static uint64_t *side_hashes(const cdrt_column *const *keys, int nk, int64_t n) {
  uint64_t *h = cdrt_frame_alloc(n, sizeof *h); /* scratch: cdrt_frame_free(h, n, 8) */
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < n; i++) h[i] = keys_hash(keys, nk, i);
  return h;
}

/* The rows of each group in order: rows[start[g], start[g + 1]) (a counting sort) */
static int64_t *group_rows(const int64_t *group, int64_t n, int64_t ng, int64_t **start) {
  int64_t *s = op_zalloc(ng + 2, sizeof *s), *rows; /* scratch, as rows */
  for (int64_t i = 0; i < n; i++)
    if (group[i] >= 0) s[group[i] + 2]++;
  for (int64_t g = 0; g < ng; g++) s[g + 2] += s[g + 1];
  rows = cdrt_frame_alloc(n, sizeof *rows);
  for (int64_t i = 0; i < n; i++)
    if (group[i] >= 0) rows[s[group[i] + 1]++] = i;
  *start = s; /* s[g] is now group g's first row, s[g + 1] its end */
  return rows;
}

typedef struct {
  const join_table *t;
} group_order;

/* Groups in key order, missing keys last at each key (pandas' outer merge) */
static int group_less(const void *ctx, int64_t a, int64_t b) {
  const join_table *t = ((const group_order *)ctx)->t;
  int64_t i = t->rep[a], j = t->rep[b];
  const cdrt_column *const *ka = i >= 0 ? t->bk : t->pk, *const *kb = j >= 0 ? t->bk : t->pk;
  if (i < 0) i = -i - 1;
  if (j < 0) j = -j - 1;
  for (int k = 0; k < t->nk; k++) {
    bool ma = cdrt_cell_missing(ka[k], i), mb = cdrt_cell_missing(kb[k], j);
    if (ma || mb) {
      if (ma != mb) return mb;
      continue;
    }
    int c = cell_cmp_across(ka[k], i, kb[k], j);
    if (c) return c < 0;
  }
  return false;
}

/* Column out (n rows) from a's rows ra (-1: missing), or where that is missing from b's
 * rows rb (b NULL: none), converted to out's type */
static void gather(cdrt_column *out, int64_t n, const cdrt_column *a, const int64_t *ra,
                   const cdrt_column *b, const int64_t *rb) {
  static const cdrt_str bools[2] = {{"False", 5}, {"True", 4}};
  cdrt_state_charge((int64_t)((size_t)(n ? n : 1) * cdrt_col_bytes(out->type)), cdrt_frame_op_what);
  out->data = cdrt_alloc((size_t)(n ? n : 1) * cdrt_col_bytes(out->type), "a merge's column");
#pragma omp parallel for schedule(static)
  for (int64_t o = 0; o < n; o++) {
    const cdrt_column *c = a;
    int64_t i = ra[o];
    if (i < 0 && b) c = b, i = rb[o];
    switch (out->type) {
    case CDRT_COL_FLOAT64:
      ((double *)out->data)[o] = i < 0 ? NAN
                                 : c->type == CDRT_COL_FLOAT64
                                     ? ((const double *)c->data)[i]
                                     : (double)((const int64_t *)c->data)[i];
      break;
    case CDRT_COL_STR:
      ((cdrt_str *)out->data)[o] = i < 0 ? (cdrt_str){NULL, 0}
                                   : c->type == CDRT_COL_STR
                                       ? ((const cdrt_str *)c->data)[i]
                                       : bools[((const uint8_t *)c->data)[i] != 0];
      break;
    case CDRT_COL_BOOL:
      ((uint8_t *)out->data)[o] = i < 0 ? 0 : ((const uint8_t *)c->data)[i];
      break;
    case CDRT_COL_DATETIME:
    case CDRT_COL_TIMEDELTA:
      ((int64_t *)out->data)[o] = i < 0 ? CDRT_NAT : ((const int64_t *)c->data)[i];
      break;
    default: ((int64_t *)out->data)[o] = i < 0 ? 0 : ((const int64_t *)c->data)[i];
    }
  }
}

/* No two rows of keys (n rows) have the same key tuple (a missing key equals a missing
 * key, as pandas' MultiIndex.is_unique counts them) */
static bool keys_unique(const cdrt_column **keys, int nk, int64_t n) {
  join_table t = join_table_init(nk, keys, keys, n);
  uint64_t *h = side_hashes(keys, nk, n);
  int64_t i = 0;
  for (int64_t had = 0; i < n; i++, had++) /* a row that adds no group repeats a key */
    if (join_find(&t, keys, i, h[i], true, i) < had) break;
  cdrt_frame_free(h, n, 8), join_table_free(&t);
  return i == n;
}

/* pandas' MergeError of validate v (CDRT_VALIDATE_*) when the left's keys (lu false) or
 * the right's (ru false) repeat: exit 3 */
void cdrt_merge_not_unique(const char *where, int v, int lu, int ru) {
  static const char *const kind[] = {"", "one-to-one", "one-to-many", "many-to-one"};
  cdrt_fatal_all(CDRT_EXIT_INPUT,
                 "%s: merge: Merge keys are not unique in %s dataset; not a %s merge (pandas' "
                 "MergeError: validate = \"%s\")",
                 where ? where : "?",
                 !lu && !ru ? "either left or right"
                 : !lu      ? "left"
                            : "right",
                 kind[v],
                 v == CDRT_VALIDATE_1_1   ? "1:1"
                 : v == CDRT_VALIDATE_1_M ? "1:m"
                                          : "m:1");
}

/* pandas' merge(validate = ...): its MergeError, before any row is joined */
static void merge_validate(const cdrt_frame *l, const cdrt_frame *r, const cdrt_merge_spec *sp) {
  int v = sp->validate, nk = sp->nkeys;
  if (v == CDRT_VALIDATE_NONE) return;
  const cdrt_column **lk = key_columns(l, sp->lkeys, nk), **rk = key_columns(r, sp->rkeys, nk);
  bool lu = v == CDRT_VALIDATE_M_1 || keys_unique(lk, nk, l->n);
  bool ru = v == CDRT_VALIDATE_1_M || keys_unique(rk, nk, r->n);
  free(lk), free(rk);
  if (!lu || !ru) cdrt_merge_not_unique(sp->where, v, lu, ru);
}

/* A merge's pairs of rows (two arrays of n), charged before they are allocated and
 * refunded when the merged frame is made */
static void pairs_charge(int64_t n) {
  cdrt_state_charge((int64_t)((size_t)(n ? n : 1) * 16), cdrt_frame_op_what);
}

/* The pairs of rows of a cross merge: each of l's n rows with each of r's m, l-major */
static int64_t cross_pairs(int64_t n, int64_t m, int64_t **li, int64_t **ri) {
  if (n && m > INT64_MAX / n)
    cdrt_fatal_all(CDRT_EXIT_MEMORY, "a cross merge of %lld by %lld rows is too big", (long long)n,
                   (long long)m);
  int64_t nm = n * m;
  pairs_charge(nm);
  *li = cdrt_alloc((size_t)(nm ? nm : 1) * sizeof **li, "a merge's rows");
  *ri = cdrt_alloc((size_t)(nm ? nm : 1) * sizeof **ri, "a merge's rows");
#pragma omp parallel for schedule(static)
  for (int64_t o = 0; o < nm; o++) (*li)[o] = o / m, (*ri)[o] = o % m;
  return nm;
}

/* The pairs of rows (l's, r's; -1: none) of a merge on keys, in the order
 * cdrt_frame_merge gives; their number */
static int64_t key_pairs(const cdrt_frame *l, const cdrt_frame *r, const cdrt_merge_spec *sp,
                         int64_t **lo, int64_t **ro) {
  int nk = sp->nkeys, how = sp->how;
  int64_t n = 0, *li, *ri;
  bool right = how == CDRT_HOW_RIGHT, outer = how == CDRT_HOW_OUTER;
  const cdrt_frame *bf = right ? l : r, *pf = right ? r : l; /* build on the other side */
  const cdrt_column **lk = key_columns(l, sp->lkeys, nk), **rk = key_columns(r, sp->rkeys, nk);
  const cdrt_column **bk = right ? lk : rk, **pk = right ? rk : lk;
  int64_t nb = bf->n, np = pf->n;
  join_table t = join_table_init(nk, bk, pk, nb + (outer ? np : 0));
  /* the build side's groups, numbered in order of first appearance */
  uint64_t *bh = side_hashes(bk, nk, nb), *ph = side_hashes(pk, nk, np);
  int64_t *bg = cdrt_frame_alloc(nb, sizeof *bg);
  for (int64_t j = 0; j < nb; j++) bg[j] = join_find(&t, bk, j, bh[j], true, j);
  int64_t nbg = t.ng, *bstart, *brows = group_rows(bg, nb, nbg, &bstart);
  /* each probe row's group: found (in parallel, the table read only), or for outer a new
   * group of probe rows (in order) */
  int64_t *pg = cdrt_frame_alloc(np, sizeof *pg);
  if (outer) {
    for (int64_t i = 0; i < np; i++) pg[i] = join_find(&t, pk, i, ph[i], true, -i - 1);
  } else {
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < np; i++) pg[i] = join_find(&t, pk, i, ph[i], false, 0);
  }
  cdrt_frame_free(bh, nb, 8), cdrt_frame_free(ph, np, 8);
  /* the pairs (probe row, build row), -1 for none */
  if (!outer) {
    bool keep = how != CDRT_HOW_INNER; /* an unmatched probe row once */
    int64_t *off = cdrt_frame_alloc(np + 1, sizeof *off);
    off[0] = 0;
    for (int64_t i = 0; i < np; i++) {
      int64_t m = pg[i] >= 0 ? bstart[pg[i] + 1] - bstart[pg[i]] : 0;
      off[i + 1] = off[i] + (m ? m : keep);
    }
    n = off[np];
    pairs_charge(n);
    int64_t *pi = cdrt_alloc((size_t)(n ? n : 1) * sizeof *pi, "a merge's rows");
    int64_t *bi = cdrt_alloc((size_t)(n ? n : 1) * sizeof *bi, "a merge's rows");
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < np; i++) {
      int64_t o = off[i];
      if (pg[i] < 0) {
        if (keep) pi[o] = i, bi[o] = -1;
        continue;
      }
      for (int64_t k = bstart[pg[i]]; k < bstart[pg[i] + 1]; k++) pi[o] = i, bi[o++] = brows[k];
    }
    cdrt_frame_free(off, np + 1, 8);
    li = right ? bi : pi, ri = right ? pi : bi;
  } else {
    int64_t ng = t.ng, *pstart, *prows = group_rows(pg, np, ng, &pstart);
    for (int64_t g = 0; g < ng; g++) {
      int64_t a = pstart[g + 1] - pstart[g], b = g < nbg ? bstart[g + 1] - bstart[g] : 0;
      n += a && b ? a * b : a + b;
    }
    int64_t *order = identity(ng);
    group_order go = {&t};
    cdrt_stable_sort(order, ng, group_less, &go);
    pairs_charge(n);
    li = cdrt_alloc((size_t)(n ? n : 1) * sizeof *li, "a merge's rows");
    ri = cdrt_alloc((size_t)(n ? n : 1) * sizeof *ri, "a merge's rows");
    int64_t o = 0;
    for (int64_t q = 0; q < ng; q++) {
      int64_t g = order[q], p0 = pstart[g], p1 = pstart[g + 1];
      int64_t b0 = g < nbg ? bstart[g] : 0, b1 = g < nbg ? bstart[g + 1] : 0;
      if (p0 < p1 && b0 < b1) {
        for (int64_t x = p0; x < p1; x++)
          for (int64_t y = b0; y < b1; y++) li[o] = prows[x], ri[o++] = brows[y];
      } else {
        for (int64_t x = p0; x < p1; x++) li[o] = prows[x], ri[o++] = -1;
        for (int64_t y = b0; y < b1; y++) li[o] = -1, ri[o++] = brows[y];
      }
    }
    cdrt_frame_free(order, ng, 8), cdrt_frame_free(pstart, ng + 2, 8),
        cdrt_frame_free(prows, np, 8);
  }
  cdrt_frame_free(bg, nb, 8), cdrt_frame_free(pg, np, 8), cdrt_frame_free(bstart, nbg + 2, 8),
      cdrt_frame_free(brows, nb, 8);
  join_table_free(&t);
  free(lk), free(rk);
  *lo = li, *ro = ri;
  return n;
}

typedef struct {
  const cdrt_frame *l, *r;
  const cdrt_merge_spec *sp;
  const int64_t *li, *ri;
} pair_keys;

/* Pairs a before b by their key tuples (the left row's, or the right's where it has none),
 * missing keys last but NaT first (pandas' merge(sort = True) factorizes datetimes as their
 * int64 values, where NaT is the smallest) */
static int pair_less(const void *ctx, int64_t a, int64_t b) {
  const pair_keys *p = ctx;
  for (int k = 0; k < p->sp->nkeys; k++) {
    const cdrt_column *lc = frame_col(p->l, p->sp->lkeys[k]),
                      *rc = frame_col(p->r, p->sp->rkeys[k]);
    const cdrt_column *x = p->li[a] >= 0 ? lc : rc, *y = p->li[b] >= 0 ? lc : rc;
    int64_t i = p->li[a] >= 0 ? p->li[a] : p->ri[a], j = p->li[b] >= 0 ? p->li[b] : p->ri[b];
    bool dt = cdrt_col_nat(x->type);
    bool mi = !dt && cdrt_cell_missing(x, i), mj = !dt && cdrt_cell_missing(y, j);
    if (mi || mj) {
      if (mi != mj) return mj;
      continue;
    }
    int c = cell_cmp_across(x, i, y, j);
    if (c) return c < 0;
  }
  return 0;
}

/* sort = true: the pairs in key order, each key's pairs in the order they had */
static void pairs_sort(const cdrt_frame *l, const cdrt_frame *r, const cdrt_merge_spec *sp,
                       int64_t n, int64_t *li, int64_t *ri) {
  int64_t *order = identity(n), *t = cdrt_frame_alloc(n, sizeof *t);
  pair_keys p = {l, r, sp, li, ri};
  cdrt_stable_sort(order, n, pair_less, &p);
  for (int64_t o = 0; o < n; o++) t[o] = li[order[o]];
  memcpy(li, t, (size_t)n * sizeof *t);
  for (int64_t o = 0; o < n; o++) t[o] = ri[order[o]];
  memcpy(ri, t, (size_t)n * sizeof *t);
  cdrt_frame_free(t, n, 8), cdrt_frame_free(order, n, 8);
}

static cdrt_str merge_ind_names[] = {{"left_only", 9}, {"right_only", 10}, {"both", 4}};
cdrt_categories cdrt_merge_indicator_cats = {3, merge_ind_names, 1};

/* A side's index as a key: its labels, 0..n-1 made into data when it has none (*own: to
 * free) */
static cdrt_frame merge_index_side(const cdrt_frame *f, const int *keys, int nk, int64_t **own) {
  cdrt_frame c = *f;
  *own = NULL;
  bool used = false;
  for (int k = 0; k < nk; k++) used |= keys[k] < 0;
  if (!used || f->nindex || f->index.data) return c;
  *own = cdrt_alloc((size_t)(f->n ? f->n : 1) * sizeof **own, "a merge's index");
  for (int64_t i = 0; i < f->n; i++) (*own)[i] = i;
  c.index.data = *own;
  return c;
}

/* An index's labels are unique, and (up) increasing with none missing */
static bool index_unique(const cdrt_column *c, int64_t n, bool up) {
  for (int64_t i = 1; up && i <= n; i++)
    if (cdrt_cell_missing(c, i - 1) || (i < n && cdrt_cell_cmp(c, i - 1, i) > 0)) return false;
  return keys_unique(&c, 1, n);
}

/* The name of both indexes' key (pandas 1.5.3's Index.join): the one both have; of
 * different names, the left's in a left merge and the right's in a right one when both
 * indexes are unique, the left's in an inner or outer one when both are the same unique
 * increasing labels, else none */
static const char *key_index_name(const cdrt_frame *l, const cdrt_frame *r, int how) {
  const cdrt_column *a = frame_col(l, -1), *b = frame_col(r, -1);
  if (!a->name || !b->name || strcmp(a->name, b->name) != 0) {
    bool side = how == CDRT_HOW_LEFT || how == CDRT_HOW_RIGHT;
    if (!index_unique(a, l->n, !side) || !index_unique(b, r->n, !side)) return NULL;
    if (side) return how == CDRT_HOW_RIGHT ? b->name : a->name;
    if (l->n != r->n) return NULL;
    for (int64_t i = 0; i < l->n; i++)
      if (!cells_equal_across(a, i, b, i)) return NULL;
  }
  return a->name;
}

/* pandas' indicator: left_only, right_only or both per pair */
static void merge_indicator(cdrt_column *c, int64_t n, const int64_t *li, const int64_t *ri) {
  cdrt_state_charge((int64_t)((size_t)(n ? n : 1) * sizeof(cdrt_str)), cdrt_frame_op_what);
  cdrt_str *v = cdrt_alloc((size_t)(n ? n : 1) * sizeof *v, "a merge's column");
#pragma omp parallel for schedule(static)
  for (int64_t o = 0; o < n; o++) v[o] = merge_ind_names[ri[o] < 0 ? 0 : li[o] < 0 ? 1 : 2];
  c->data = v;
}

cdrt_frame *cdrt_frame_merge(const cdrt_frame *l0, const cdrt_frame *r0,
                             const cdrt_merge_spec *sp) {
  int64_t *lown, *rown;
  cdrt_frame lf = merge_index_side(l0, sp->lkeys, sp->nkeys, &lown),
             rf = merge_index_side(r0, sp->rkeys, sp->nkeys, &rown);
  if (sp->index == CDRT_MERGE_INDEX_LEFT && !lf.index.data && !lf.nindex) {
    int one = -1;
    free(lown);
    lf = merge_index_side(l0, &one, 1, &lown);
  }
  const cdrt_frame *l = &lf, *r = &rf;
  merge_validate(l, r, sp);
  int64_t *li, *ri;
  int64_t n =
      sp->how == CDRT_HOW_CROSS ? cross_pairs(l->n, r->n, &li, &ri) : key_pairs(l, r, sp, &li, &ri);
  if (sp->sort && sp->how != CDRT_HOW_CROSS && sp->how != CDRT_HOW_OUTER) /* (outer: sorted) */
    pairs_sort(l, r, sp, n, li, ri);
  cdrt_frame *g = cdrt_calloc(1, sizeof *g);
  g->n = n, g->ncols = sp->ncols;
  g->cols = cdrt_calloc((size_t)sp->ncols + 1, sizeof *g->cols);
  g->index = (cdrt_column){CDRT_COL_INT64, NULL, NULL, NULL};
  if (sp->index != CDRT_MERGE_INDEX_RANGE) {
    g->index = (cdrt_column){sp->itype, sp->iname, NULL, NULL};
    if (sp->index == CDRT_MERGE_INDEX_KEY) {
      g->index.name = key_index_name(l, r, sp->how);
      gather(&g->index, n, frame_col(l, -1), li, frame_col(r, -1), ri);
    } else if (!l->n && sp->how != CDRT_HOW_LEFT && r->nindex <= 1) {
      /* pandas 1.5 takes an empty left's rows' labels from the right's index instead */
      g->index.name = frame_col(r, -1)->name;
      gather(&g->index, n, frame_col(r, -1), ri, NULL, NULL);
    } else {
      gather(&g->index, n, frame_col(l, -1), li, NULL, NULL);
    }
  }
  for (int k = 0; k < sp->ncols; k++) {
    cdrt_column *c = &g->cols[k];
    *c = (cdrt_column){sp->types[k], sp->names[k], NULL, NULL};
    int s = sp->side[k], j = sp->col[k];
    if (!sp->need[k]) continue;
    if (s == CDRT_MERGE_IND)
      merge_indicator(c, n, li, ri);
    else if (s == CDRT_MERGE_KEY)
      gather(c, n, frame_col(l, sp->lkeys[j]), li, frame_col(r, sp->rkeys[j]), ri);
    else
      gather(c, n, frame_col(s == CDRT_MERGE_LEFT ? l : r, j), s == CDRT_MERGE_LEFT ? li : ri, NULL,
             NULL);
  }
  free(li), free(ri), free(lown), free(rown);
  cdrt_state_refund((int64_t)((size_t)(n ? n : 1) * 16)); /* pairs_charge's */
  return g;
}
#endif
