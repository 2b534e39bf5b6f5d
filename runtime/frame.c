/* frame.c: what a dataframe pipeline computes (with CDRT_WITH_CSV): per-block aggregates,
 * value counts and collected rows, merged in block order (the same bits and the same order
 * of ties for any thread count, block size or rank count), and the results they make:
 * scalars and frames (a Series is a frame of one column). */
#include "cdrt.h"

#ifdef CDRT_WITH_CSV
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* ---- aggregates ---- */
void cdrt_agg_sq(cdrt_agg *a, double x) { /* x and x*x, both exactly */
  double p = x * x;
  cdrt_xsum_add(&a->x1, x);
  cdrt_xsum_add(&a->x2, p);
  cdrt_xsum_add(&a->x2, cdrt_prod_err(x, x, p));
}

/* Signed zeros ordered (-0 < +0): a total order, so min and max do not depend on which
 * block saw a value first. */
static bool f64_less(double a, double b) {
  return a < b || (a == b && signbit(a) && !signbit(b));
}

void cdrt_agg_f64_minmax(cdrt_agg *a, double x) {
  if (!a->n || f64_less(x, a->fmin)) a->fmin = x;
  if (!a->n || f64_less(a->fmax, x)) a->fmax = x;
  a->n++;
}

void cdrt_agg_i64_minmax(cdrt_agg *a, int64_t x) {
  if (!a->n || x < a->imin) a->imin = x;
  if (!a->n || x > a->imax) a->imax = x;
  a->n++;
}

void cdrt_agg_str_minmax(cdrt_agg *a, cdrt_str x) {
  if (!a->n || cdrt_str_cmp(x, a->smin) < 0) a->smin = x;
  if (!a->n || cdrt_str_cmp(x, a->smax) > 0) a->smax = x;
  a->n++;
}

void cdrt_agg_merge(cdrt_agg *a, const cdrt_agg *b, int type) {
  if (b->n) {
    if (type == CDRT_COL_FLOAT64) {
      if (!a->n || f64_less(b->fmin, a->fmin)) a->fmin = b->fmin;
      if (!a->n || f64_less(a->fmax, b->fmax)) a->fmax = b->fmax;
    } else if (type == CDRT_COL_STR) {
      if (!a->n || cdrt_str_cmp(b->smin, a->smin) < 0) a->smin = b->smin;
      if (!a->n || cdrt_str_cmp(b->smax, a->smax) > 0) a->smax = b->smax;
    } else {
      if (!a->n || b->imin < a->imin) a->imin = b->imin;
      if (!a->n || b->imax > a->imax) a->imax = b->imax;
    }
  }
  a->n += b->n;
  a->isum += b->isum;
  cdrt_xsum_merge(&a->x1, &b->x1);
  cdrt_xsum_merge(&a->x2, &b->x2);
}

/* Double-double arithmetic: the variance's n S2 - S1^2 with 106 bits. */
typedef cdrt_dd dd;
static dd dd_norm(double s, double e) {
  double hi = s + e;
  return (dd){hi, e - (hi - s)};
}
dd cdrt_dd_add(dd x, dd y) {
  double s = x.hi + y.hi, b = s - x.hi, e = (x.hi - (s - b)) + (y.hi - b);
  return dd_norm(s, e + x.lo + y.lo);
}
static dd dd_mul(dd x, dd y) {
  double p = x.hi * y.hi;
  return dd_norm(p, fma(x.hi, y.hi, -p) + x.hi * y.lo + x.lo * y.hi);
}

/* n Sxy - Sx Sy (never negative when x is y: the exact value is not) */
static double comoment(int64_t n, dd sx, dd sy, dd sxy, bool square) {
  dd m = cdrt_dd_add(dd_mul((dd){(double)n, 0}, sxy), dd_mul((dd){-sx.hi, -sx.lo}, sy));
  double v = m.hi + m.lo;
  return square && v < 0 ? 0 : v;
}

/* pandas' var: (n S2 - S1^2) / (n (n - ddof)). */
double cdrt_var_from_sums(int64_t n, dd s1, dd s2, int ddof) {
  if (n - ddof <= 0 || !isfinite(s1.hi) || !isfinite(s2.hi)) return NAN;
  return comoment(n, s1, s1, s2, true) / ((double)n * (double)(n - ddof));
}

double cdrt_corr_from_sums(int64_t n, dd sx, dd sy, dd sxx, dd syy, dd sxy) {
  if (n < 2) return NAN;
  double r = comoment(n, sx, sy, sxy, false) / sqrt(comoment(n, sx, sx, sxx, true)) /
             sqrt(comoment(n, sy, sy, syy, true));
  return r > 1 ? 1 : r < -1 ? -1 : r; /* NumPy clips; 0 / 0 stays NaN */
}

static double agg_var(const cdrt_agg *a, int ddof) {
  dd s1, s2;
  cdrt_xsum_round2(&a->x1, &s1.hi, &s1.lo);
  cdrt_xsum_round2(&a->x2, &s2.hi, &s2.lo);
  return cdrt_var_from_sums(a->n, s1, s2, ddof);
}

cdrt_value cdrt_agg_final(const cdrt_agg *a, int rop, int type) {
  cdrt_value v = {.type = CDRT_COL_FLOAT64, .f = NAN};
  switch (rop) {
  case CDRT_AGG_COUNT: return (cdrt_value){.type = CDRT_COL_INT64, .i = a->n};
  case CDRT_AGG_SUM:
    if (type == CDRT_COL_FLOAT64) return (cdrt_value){.type = type, .f = cdrt_xsum_round(&a->x1)};
    return (cdrt_value){.type = CDRT_COL_INT64, .i = (int64_t)a->isum};
  case CDRT_AGG_MEAN:
    if (a->n) v.f = cdrt_xsum_round(&a->x1) / (double)a->n;
    return v;
  case CDRT_AGG_VAR: v.f = agg_var(a, 1); return v;
  case CDRT_AGG_STD: v.f = sqrt(agg_var(a, 1)); return v;
  case CDRT_AGG_MIN:
  case CDRT_AGG_MAX: {
    bool mx = rop == CDRT_AGG_MAX;
    if (type == CDRT_COL_STR)
      return (cdrt_value){.type = type, .s = a->n ? (mx ? a->smax : a->smin) : (cdrt_str){0, 0}};
    if (!a->n) /* pandas: NaN (NaT) for no values */
      return type == CDRT_COL_DATETIME ? (cdrt_value){.type = type, .i = CDRT_NAT} : v;
    if (type == CDRT_COL_FLOAT64) return (cdrt_value){.type = type, .f = mx ? a->fmax : a->fmin};
    return (cdrt_value){.type = type, .i = mx ? a->imax : a->imin};
  }
  default: return v;
  }
}

/* ---- value counts: keys in order of first appearance, merged in block order ---- */
static uint64_t vc_hash_bytes(const char *p, int64_t n) {
  uint64_t h = 0x9e3779b97f4a7c15u ^ (uint64_t)n;
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, p + i, 8);
    h = (h ^ w) * 0xff51afd7ed558ccdu;
    h ^= h >> 32;
  }
  uint64_t w = 0;
  memcpy(&w, p + i, (size_t)(n - i));
  h = (h ^ w) * 0xc4ceb9fe1a85ec53u;
  return h ^ (h >> 29);
}
static uint64_t vc_hash_u64(uint64_t x) {
  x = (x ^ (x >> 33)) * 0xff51afd7ed558ccdu;
  x = (x ^ (x >> 33)) * 0xc4ceb9fe1a85ec53u;
  return x ^ (x >> 33);
}

void cdrt_vc_init(cdrt_vc *t, int type) {
  memset(t, 0, sizeof *t);
  t->type = type;
}

/* An entry's bytes: its key, string key and count, and two slots */
#define VC_ENTRY ((int64_t)(2 * sizeof(int64_t) + sizeof(cdrt_str) + 2 * sizeof(int64_t)))

static void vc_grow(cdrt_vc *t) {
  int64_t cap = t->cap ? t->cap * 2 : 64;
  cdrt_state_charge((cap - t->cap) * VC_ENTRY, t->what);
  t->key = cdrt_realloc(t->key, (size_t)cap * sizeof *t->key);
  t->skey = cdrt_realloc(t->skey, (size_t)cap * sizeof *t->skey);
  t->count = cdrt_realloc(t->count, (size_t)cap * sizeof *t->count);
  free(t->slot);
  t->nslot = cap * 2;
  t->slot = cdrt_calloc((size_t)t->nslot, sizeof *t->slot);
  t->cap = cap;
  for (int64_t e = 0; e < t->n; e++) { /* rehash */
    uint64_t h = t->type == CDRT_COL_STR ? vc_hash_bytes(t->skey[e].p, t->skey[e].n)
                                         : vc_hash_u64((uint64_t)t->key[e]);
    int64_t s = (int64_t)(h & (uint64_t)(t->nslot - 1));
    while (t->slot[s]) s = (s + 1) & (t->nslot - 1);
    t->slot[s] = e + 1;
  }
}

/* The entry of key (k, or s for strings), added with count 0 if it is new. */
static int64_t vc_find(cdrt_vc *t, int64_t k, cdrt_str s) {
  if (t->n * 2 >= t->cap) vc_grow(t);
  bool str = t->type == CDRT_COL_STR;
  uint64_t h = str ? vc_hash_bytes(s.p, s.n) : vc_hash_u64((uint64_t)k);
  int64_t at = (int64_t)(h & (uint64_t)(t->nslot - 1));
  for (;; at = (at + 1) & (t->nslot - 1)) {
    int64_t e = t->slot[at] - 1;
    if (e < 0) break;
    if (str ? t->skey[e].n == s.n && memcmp(t->skey[e].p, s.p, (size_t)s.n) == 0 : t->key[e] == k)
      return e;
  }
  int64_t e = t->n++;
  t->slot[at] = e + 1;
  t->key[e] = k, t->skey[e] = s, t->count[e] = 0;
  return e;
}

/* (vc_find may move the arrays: the entry first, then t->count) */
void cdrt_vc_add_i64(cdrt_vc *t, int64_t k) {
  int64_t e = vc_find(t, k, (cdrt_str){0, 0});
  t->count[e]++;
}
void cdrt_vc_add_f64(cdrt_vc *t, double x) {
  if (isnan(x)) return;
  if (x == 0) x = 0; /* -0.0 and 0.0 are one key */
  int64_t k;
  memcpy(&k, &x, 8);
  int64_t e = vc_find(t, k, (cdrt_str){0, 0});
  t->count[e]++;
}
void cdrt_vc_add_str(cdrt_vc *t, cdrt_str s) {
  if (!s.p) return;
  int64_t e = vc_find(t, 0, s);
  t->count[e]++;
}

/* b's keys after t's, in b's order (string keys stay where b's block read them: the
 * blocks' bytes live until the program ends). */
void cdrt_vc_merge(cdrt_vc *t, const cdrt_vc *b) {
  for (int64_t e = 0; e < b->n; e++) {
    int64_t at = vc_find(t, b->key[e], b->skey[e]);
    t->count[at] += b->count[e];
  }
}

void cdrt_vc_free(cdrt_vc *t) {
  free(t->key), free(t->skey), free(t->count), free(t->slot);
  cdrt_state_refund(t->cap * VC_ENTRY);
  t->key = NULL, t->skey = NULL, t->count = NULL, t->slot = NULL, t->cap = t->n = 0;
}

/* ---- collected rows ---- */
void cdrt_rows_init(cdrt_rows *r, int ncols, const unsigned char *types) {
  memset(r, 0, sizeof *r);
  r->ncols = ncols, r->types = types;
  r->col = cdrt_calloc((size_t)ncols, sizeof *r->col);
}

/* A collected row's bytes: its index and its columns */
static int64_t rows_row_bytes(const cdrt_rows *r) {
  int64_t z = (int64_t)sizeof *r->index;
  for (int k = 0; k < r->ncols; k++) z += (int64_t)cdrt_col_bytes(r->types[k]);
  return z;
}

/* An array of old bytes grown to bytes: from 8 MB on into cdrt_alloc's huge pages (a
 * copy, but their first touch is several times faster on some machines than realloc's
 * 4 KB pages) */
static void *rows_grow(void *p, size_t old, size_t bytes, const char *what) {
  if (bytes < ((size_t)8 << 20)) return cdrt_realloc(p, bytes); /* alloc.c: ALLOC_HUGE_MIN */
  void *q = cdrt_alloc(bytes, what);
  if (old) memcpy(q, p, old);
  free(p);
  return q;
}

int64_t cdrt_rows_push(cdrt_rows *r, int64_t row) {
  if (r->n == r->cap) {
    int64_t cap = r->cap ? r->cap * 2 : 256;
    cdrt_state_charge((cap - r->cap) * rows_row_bytes(r), r->what);
    r->index = rows_grow(r->index, (size_t)r->n * sizeof *r->index, (size_t)cap * sizeof *r->index,
                         r->what);
    for (int k = 0; k < r->ncols; k++) {
      size_t z = cdrt_col_bytes(r->types[k]);
      r->col[k] = rows_grow(r->col[k], (size_t)r->n * z, (size_t)cap * z, r->what);
    }
    r->cap = cap;
  }
  r->index[r->n] = row;
  return r->n++;
}

void cdrt_rows_free(cdrt_rows *r) {
  for (int k = 0; k < r->ncols; k++) free(r->col[k]);
  free(r->col), free(r->index);
  cdrt_state_refund(r->cap * rows_row_bytes(r));
  r->col = NULL, r->index = NULL, r->n = r->cap = 0;
}

cdrt_frame *cdrt_rows_frame(cdrt_rows *parts, int64_t nb, const int64_t *row0, int64_t limit,
                            const char *const *names) {
  cdrt_frame *f = cdrt_calloc(1, sizeof *f);
  int ncols = nb ? parts[0].ncols : 0;
  int64_t n = 0;
  for (int64_t b = 0; b < nb; b++) n += parts[b].n;
  if (limit >= 0 && n > limit) n = limit;
  if (nb) cdrt_state_charge(n * rows_row_bytes(&parts[0]), parts[0].what); /* the frame */
  f->n = n, f->ncols = ncols;
  f->cols = cdrt_calloc((size_t)(ncols ? ncols : 1), sizeof *f->cols);
  const char *what = nb ? parts[0].what : "a frame";
  int64_t *index = cdrt_alloc((size_t)(n ? n : 1) * sizeof *index, what);
  for (int k = 0; k < ncols; k++) {
    f->cols[k].type = parts[0].types[k];
    f->cols[k].name = names[k];
    f->cols[k].data = cdrt_alloc((size_t)(n ? n : 1) * cdrt_col_bytes(f->cols[k].type), what);
  }
  /* each block's rows at its offset, the blocks copied by the threads (the frame's fresh
   * pages are first touched by both; huge pages: cdrt_alloc) */
  int64_t *at = cdrt_malloc((size_t)(nb + 1) * sizeof *at);
  at[0] = 0;
  for (int64_t b = 0; b < nb; b++)
    at[b + 1] = at[b] + (parts[b].n < n - at[b] ? parts[b].n : n - at[b]);
#pragma omp parallel for schedule(dynamic, 1)
  for (int64_t b = 0; b < nb; b++) {
    cdrt_rows *r = &parts[b];
    int64_t m = at[b + 1] - at[b];
    for (int64_t i = 0; i < m; i++) index[at[b] + i] = row0[b] + r->index[i];
    for (int k = 0; k < ncols; k++) {
      size_t z = cdrt_col_bytes(f->cols[k].type);
      if (m) memcpy((char *)f->cols[k].data + (size_t)at[b] * z, r->col[k], (size_t)m * z);
    }
    for (int k = 0; k < r->ncols; k++) free(r->col[k]);
    free(r->col), free(r->index);
  }
  free(at);
  for (int64_t b = 0; b < nb; b++) cdrt_state_refund(parts[b].cap * rows_row_bytes(&parts[b]));
  f->index = (cdrt_column){CDRT_COL_INT64, NULL, index, NULL};
  return f;
}

void cdrt_frame_sublabels(cdrt_frame *f, const char *const *subs) {
  for (int k = 0; k < f->ncols; k++) f->cols[k].sub = subs[k];
  f->col_levels = 2;
}

void cdrt_frame_date_index(cdrt_frame *f, int64_t start, int64_t step, const char *name,
                           const char *freq) {
  int64_t *ix = f->index.data;
  bool run = true;
  for (int64_t i = 0, prev = 0; i < f->n; i++) {
    run &= i == 0 || ix[i] == prev + 1;
    prev = ix[i], ix[i] = start + ix[i] * step;
  }
  f->index.type = CDRT_COL_DATETIME, f->index.name = name;
  f->freq = run ? freq : NULL;
}

static int count_more(const void *count, int64_t a, int64_t b) {
  return ((const int64_t *)count)[a] > ((const int64_t *)count)[b];
}

/* value_counts as pandas 2 makes it: counts descending, ties in order of first appearance,
 * the values as the index (named after the column), the counts named "count". */
cdrt_frame *cdrt_vc_frame(cdrt_vc *t, int by_count, const char *name) {
  int64_t n = t->n;
  /* the counts and values (kept) and the order (scratch), charged before they are made */
  cdrt_state_charge((n ? n : 1) * (16 + (int64_t)cdrt_col_bytes(t->type)), t->what);
  int64_t *order = cdrt_malloc((size_t)(n ? n : 1) * sizeof *order);
  for (int64_t i = 0; i < n; i++) order[i] = i;
  if (by_count) cdrt_stable_sort(order, n, count_more, t->count); /* ties keep first appearance */
  cdrt_frame *f = cdrt_calloc(1, sizeof *f);
  f->n = n, f->ncols = 1, f->series = 1;
  f->cols = cdrt_calloc(1, sizeof *f->cols);
  int64_t *counts = cdrt_malloc((size_t)n * 8);
  void *keys = cdrt_malloc((size_t)n * cdrt_col_bytes(t->type));
  for (int64_t i = 0; i < n; i++) {
    int64_t e = order[i];
    counts[i] = t->count[e];
    if (t->type == CDRT_COL_STR)
      ((cdrt_str *)keys)[i] = t->skey[e];
    else if (t->type == CDRT_COL_BOOL)
      ((uint8_t *)keys)[i] = (uint8_t)t->key[e];
    else
      memcpy((char *)keys + 8 * i, &t->key[e], 8);
  }
  free(order);
  cdrt_state_refund((n ? n : 1) * 8);
  f->cols[0] = (cdrt_column){CDRT_COL_INT64, "count", counts, NULL};
  f->index = (cdrt_column){t->type, name, keys, NULL};
  return f;
}
#undef VC_ENTRY

/* ---- to_array ---- */
static double value_f64(int type, const void *data, int64_t i) {
  switch (type) {
  case CDRT_COL_INT64: return (double)((const int64_t *)data)[i];
  case CDRT_COL_BOOL: return ((const uint8_t *)data)[i];
  default: return ((const double *)data)[i];
  }
}

/* Element i of column c (type) as dtype (int64, float64 or bool: the compiler chose a
 * dtype every column converts to exactly as pandas' .values does) into out */
static void value_put(void *out, cdrt_dtype t, int type, const void *data, int64_t i) {
  if (t == CDRT_FLOAT64)
    *(double *)out = value_f64(type, data, i);
  else if (t == CDRT_INT64)
    *(int64_t *)out =
        type == CDRT_COL_BOOL ? ((const uint8_t *)data)[i] : ((const int64_t *)data)[i];
  else
    *(uint8_t *)out = ((const uint8_t *)data)[i];
}

const void *cdrt_result_array(const cdrt_result *r, cdrt_dtype t, int ndim, const int64_t *shape,
                              const char *where, const char *why) {
  size_t size = cdrt_dtype_size(t);
  if (!r->frame) { /* a scalar: a 0-d array */
    char *out = cdrt_malloc(size);
    int type = r->v.type;
    const void *data = type == CDRT_COL_FLOAT64 ? (const void *)&r->v.f : (const void *)&r->v.i;
    uint8_t b = (uint8_t)r->v.i;
    value_put(out, t, type, type == CDRT_COL_BOOL ? (const void *)&b : data, 0);
    return out;
  }
  const cdrt_frame *f = r->frame;
  if (f->n != shape[0])
    cdrt_fatal_all(CDRT_EXIT_INPUT,
                   "%s: the %s has %lld rows; the program was compiled for %lld (%s), and cdask "
                   "arrays have the shapes they are compiled with",
                   where, f->series ? "Series" : "frame", (long long)f->n, (long long)shape[0],
                   why);
  int64_t ncols = ndim == 2 ? shape[1] : 1;
  char *out = cdrt_malloc((size_t)(shape[0] * ncols) * size + 1);
  for (int64_t i = 0; i < f->n; i++) /* C order: a row's columns side by side */
    for (int64_t c = 0; c < ncols; c++)
      value_put(out + (size_t)(i * ncols + c) * size, t, f->cols[c].type, f->cols[c].data, i);
  return out;
}
#endif
