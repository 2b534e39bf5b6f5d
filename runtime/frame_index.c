/* frame_index.c: a computed frame's index (with CDRT_WITH_CSV): set_index (a column becomes
 * the index), reset_index (the index's levels become columns) and loc(from, to), pandas'
 * label slice of a sorted index. Each makes a new frame sharing the input's columns; the
 * input is never changed (another output may show it). */
#include "cdrt.h"

#ifdef CDRT_WITH_CSV
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

cdrt_frame *cdrt_frame_set_index(const cdrt_frame *f, int col, int drop) {
  cdrt_frame *g = cdrt_calloc(1, sizeof *g);
  *g = *f;
  g->series = 0, g->freq = NULL, g->nindex = 0, g->levels = NULL, g->cats = NULL;
  g->index = f->cols[col];
  g->cols = cdrt_calloc((size_t)f->ncols + 1, sizeof *g->cols);
  g->ncols = 0;
  for (int k = 0; k < f->ncols; k++)
    if (k != col || !drop) g->cols[g->ncols++] = f->cols[k];
  return g;
}

/* The index's levels as columns named names[0, nlev) before f's columns, and a new range
 * index; drop: the levels are dropped instead. A range index (data NULL) becomes the rows'
 * numbers. A Series stays one only when drop (else its column, unnamed, is named 0). */
cdrt_frame *cdrt_frame_reset_index(const cdrt_frame *f, const char *const *names, int drop) {
  int nl = f->nindex ? f->nindex : 1, nk = drop ? 0 : nl;
  const cdrt_column *lev = f->nindex ? f->levels : &f->index;
  cdrt_frame *g = cdrt_calloc(1, sizeof *g);
  *g = *f;
  g->series = f->series && drop, g->freq = NULL, g->nindex = 0, g->levels = NULL, g->cats = NULL;
  g->index = (cdrt_column){CDRT_COL_INT64, NULL, NULL, NULL};
  g->ncols = nk + f->ncols;
  g->cols = cdrt_calloc((size_t)g->ncols + 1, sizeof *g->cols);
  for (int k = 0; k < nk; k++) {
    g->cols[k] = lev[k];
    g->cols[k].name = names[k];
    if (!lev[k].data) {
      int64_t *v = cdrt_frame_alloc(f->n, sizeof *v);
      for (int64_t i = 0; i < f->n; i++) v[i] = i;
      g->cols[k].type = CDRT_COL_INT64, g->cols[k].data = v;
    }
  }
  memcpy(g->cols + nk, f->cols, (size_t)f->ncols * sizeof *g->cols);
  if (f->series && !drop && !f->cols[0].name) g->cols[nk].name = "0"; /* pandas' column 0 */
  return g;
}

/* -1, 0, 1: row i's label against the bound b (one of the range's, of the index's type) */
static int label_cmp(const cdrt_column *c, int64_t i, const cdrt_label_range *r, int hi) {
  switch (c->type) {
  case CDRT_COL_FLOAT64: {
    double x = ((const double *)c->data)[i], y = r->f[hi];
    return (x > y) - (x < y);
  }
  case CDRT_COL_STR: {
    const char *s = r->s[hi];
    return cdrt_str_cmp(((const cdrt_str *)c->data)[i], (cdrt_str){s, (int64_t)strlen(s)});
  }
  default: {
    int64_t x = c->data ? ((const int64_t *)c->data)[i] : i, y = r->i[hi];
    return (x > y) - (x < y);
  }
  }
}

static bool label_missing(const cdrt_column *c, int64_t i) {
  if (!c->data) return false;
  if (c->type == CDRT_COL_FLOAT64) return isnan(((const double *)c->data)[i]);
  if (c->type == CDRT_COL_STR) return !((const cdrt_str *)c->data)[i].p;
  return cdrt_col_nat(c->type) && ((const int64_t *)c->data)[i] == CDRT_NAT;
}

/* The first row whose label is not before the bound (hi 0), or after it (hi 1) */
static int64_t label_search(const cdrt_column *c, int64_t n, const cdrt_label_range *r, int hi) {
  int64_t lo = 0, up = n;
  while (lo < up) {
    int64_t mid = lo + (up - lo) / 2;
    int d = label_cmp(c, mid, r, hi);
    if (d < 0 || (hi && d == 0))
      lo = mid + 1;
    else
      up = mid;
  }
  return lo;
}

/* -1, 0, 1: row i's label against row i - 1's (both present) */
static int label_step(const cdrt_column *c, int64_t i) {
  switch (c->type) {
  case CDRT_COL_FLOAT64: {
    double x = ((const double *)c->data)[i], y = ((const double *)c->data)[i - 1];
    return (x > y) - (x < y);
  }
  case CDRT_COL_STR:
    return cdrt_str_cmp(((const cdrt_str *)c->data)[i], ((const cdrt_str *)c->data)[i - 1]);
  default: {
    int64_t x = ((const int64_t *)c->data)[i], y = ((const int64_t *)c->data)[i - 1];
    return (x > y) - (x < y);
  }
  }
}

/* The index must be sorted, ascending, without a missing label: pandas slices a
 * non-monotonic index only by labels it holds once, and Dask only a sorted one */
static void check_sorted(const cdrt_column *c, int64_t n, const char *where) {
  if (!c->data) return; /* a range */
  for (int64_t i = 0; i < n; i++) {
    if (label_missing(c, i))
      cdrt_fatal_all(CDRT_EXIT_INPUT,
                     "%s: loc: the index has a missing label (row %lld); a label slice needs a "
                     "sorted index without missing labels",
                     where, (long long)i);
    if (i > 0 && label_step(c, i) < 0)
      cdrt_fatal_all(CDRT_EXIT_INPUT,
                     "%s: loc: the index is not sorted (row %lld's label comes before row "
                     "%lld's); sort it first with sort_index() (set_index sorts)",
                     where, (long long)i, (long long)(i - 1));
  }
}

cdrt_frame *cdrt_frame_loc(const cdrt_frame *f, const cdrt_label_range *r) {
  const cdrt_column *c = f->nindex ? &f->levels[0] : &f->index;
  check_sorted(c, f->n, r->where);
  int64_t lo = r->has[0] ? label_search(c, f->n, r, 0) : 0;
  int64_t hi = r->has[1] ? label_search(c, f->n, r, 1) : f->n;
  if (hi < lo) hi = lo;
  cdrt_frame *g = cdrt_calloc(1, sizeof *g);
  *g = *f; /* rows [lo, hi) of each column: a run, so a DatetimeIndex keeps its freq */
  g->n = hi - lo;
  g->cols = cdrt_calloc((size_t)f->ncols + 1, sizeof *g->cols);
  int nl = f->nindex ? f->nindex : 1;
  cdrt_column *lev = cdrt_calloc((size_t)nl, sizeof *lev);
  for (int k = 0; k < f->ncols + nl; k++) {
    const cdrt_column *from = k < f->ncols ? &f->cols[k]
                              : f->nindex  ? &f->levels[k - f->ncols]
                                           : &f->index;
    cdrt_column *to = k < f->ncols ? &g->cols[k] : &lev[k - f->ncols];
    *to = *from;
    if (from->data) {
      to->data = (char *)from->data + (size_t)lo * cdrt_col_bytes(from->type);
    } else if (g->n) { /* a range index's labels lo.. */
      int64_t *v = cdrt_frame_alloc(g->n, sizeof *v);
      for (int64_t i = 0; i < g->n; i++) v[i] = lo + i;
      to->data = v;
    }
  }
  if (f->nindex)
    g->levels = lev, g->index = lev[0];
  else
    g->index = lev[0], free(lev);
  return g;
}

/* resample's bins: f is a groupby's result by a datetime floored to step ns, its keys sorted
 * and present; the new frame has a row for every step from the first key to the last, a
 * bin no row fell in 0 (kinds[k] & 16: sums and counts) or missing, each column of type
 * kinds[k] & 15 (an int64 column that may miss a value becomes float64) */
cdrt_frame *cdrt_frame_bins(const cdrt_frame *f, int64_t step, const int *kinds, const char *freq) {
  const cdrt_column *c = f->nindex ? &f->levels[0] : &f->index;
  const int64_t *key = c->data;
  int64_t n = f->n ? (key[f->n - 1] - key[0]) / step + 1 : 0;
  cdrt_frame *g = cdrt_calloc(1, sizeof *g);
  *g = *f;
  g->n = n, g->nindex = 0, g->levels = NULL, g->freq = freq;
  int64_t *ix = cdrt_frame_alloc(n, sizeof *ix);
  for (int64_t i = 0; i < n; i++) ix[i] = key[0] + i * step;
  g->index = (cdrt_column){CDRT_COL_DATETIME, c->name, ix, NULL};
  g->cols = cdrt_calloc((size_t)f->ncols + 1, sizeof *g->cols);
  for (int k = 0; k < f->ncols; k++) {
    int type = kinds[k] & 15;
    bool zero = kinds[k] & 16;
    size_t z = cdrt_col_bytes(type);
    char *v = cdrt_frame_alloc(n, z);
    for (int64_t i = 0; i < n; i++) /* the bins no row fell in */
      switch (type) {
      case CDRT_COL_FLOAT64: ((double *)v)[i] = zero ? 0.0 : NAN; break;
      case CDRT_COL_STR: ((cdrt_str *)v)[i] = (cdrt_str){NULL, 0}; break;
      case CDRT_COL_DATETIME:
      case CDRT_COL_TIMEDELTA: ((int64_t *)v)[i] = CDRT_NAT; break;
      case CDRT_COL_BOOL: ((uint8_t *)v)[i] = 0; break;
      default: ((int64_t *)v)[i] = 0;
      }
    const cdrt_column *from = &f->cols[k];
    for (int64_t j = 0; j < f->n; j++) {
      int64_t i = (key[j] - key[0]) / step;
      if (type == CDRT_COL_FLOAT64 && from->type == CDRT_COL_INT64)
        ((double *)v)[i] = (double)((const int64_t *)from->data)[j];
      else
        memcpy(v + (size_t)i * z, (const char *)from->data + (size_t)j * z, z);
    }
    g->cols[k] = (cdrt_column){type, from->name, v, from->sub};
  }
  return g;
}
#endif
