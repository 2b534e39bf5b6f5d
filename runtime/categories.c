/* categories.c: pandas' category dtype (with CDRT_WITH_CSV). A category column holds strings
 * as a str column does; what differs is its categories, every distinct value of the column
 * over all rows of its file, sorted (read_csv's categories are strings, in Python's order:
 * UTF-8 byte order). A value_counts of it counts every category, zeros too, and a groupby by
 * it has a row for every category (pandas 1's observed = False). */
#include "cdrt.h"

#ifdef CDRT_WITH_CSV
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static int str_order(const void *a, const void *b) {
  return cdrt_str_cmp(*(const cdrt_str *)a, *(const cdrt_str *)b);
}

cdrt_categories *cdrt_categories_make(const cdrt_frame *vc) {
  cdrt_categories *c = cdrt_calloc(1, sizeof *c);
  const cdrt_str *v = vc->index.data;
  c->v = cdrt_malloc((size_t)(vc->n + 1) * sizeof *c->v);
  for (int64_t i = 0; i < vc->n; i++)
    if (v[i].p) c->v[c->n++] = v[i]; /* value_counts leaves missing values out already */
  qsort(c->v, (size_t)c->n, sizeof *c->v, str_order); /* distinct: no ties to order */
  return c;
}

/* The category s is in c (s is one), by bisection */
static int64_t category_of(const cdrt_categories *c, cdrt_str s) {
  int64_t lo = 0, hi = c->n;
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    if (cdrt_str_cmp(c->v[mid], s) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* The category s's number in c, or -1 (an unsorted c, the merge indicator's: by a walk) */
static int64_t category_index(const cdrt_categories *c, cdrt_str s) {
  int64_t k = 0;
  if (c->unsorted) {
    while (k < c->n && cdrt_str_cmp(c->v[k], s) != 0) k++;
  } else {
    k = category_of(c, s);
  }
  return k < c->n && cdrt_str_cmp(c->v[k], s) == 0 ? k : -1;
}

cdrt_frame *cdrt_vc_categories(cdrt_frame *vc, const cdrt_categories *c) {
  int64_t *count = cdrt_calloc((size_t)(c->n + 1), sizeof *count);
  const cdrt_str *v = vc->index.data;
  const int64_t *n = vc->cols[0].data;
  for (int64_t i = 0; i < vc->n; i++)
    if (v[i].p) count[category_of(c, v[i])] = n[i];
  int64_t *order = cdrt_malloc((size_t)(c->n + 1) * sizeof *order);
  for (int64_t i = 0; i < c->n; i++) order[i] = i;
  /* counts descending, ties in the categories' order: a counting-free stable insertion
   * would be quadratic, so a stable merge sort by count */
  int64_t *tmp = cdrt_malloc((size_t)(c->n + 1) * sizeof *tmp);
  for (int64_t w = 1; w < c->n; w *= 2)
    for (int64_t lo = 0; lo < c->n; lo += 2 * w) {
      int64_t mid = lo + w < c->n ? lo + w : c->n, hi = lo + 2 * w < c->n ? lo + 2 * w : c->n;
      int64_t i = lo, j = mid, k = lo;
      while (i < mid || j < hi)
        tmp[k++] =
            j >= hi || (i < mid && count[order[i]] >= count[order[j]]) ? order[i++] : order[j++];
      memcpy(order + lo, tmp + lo, (size_t)(hi - lo) * sizeof *order);
    }
  free(tmp);
  cdrt_frame *f = cdrt_calloc(1, sizeof *f);
  *f = *vc;
  f->n = c->n;
  f->cols = cdrt_calloc(1, sizeof *f->cols);
  f->cols[0] = vc->cols[0];
  int64_t *counts = cdrt_malloc((size_t)(c->n + 1) * sizeof *counts);
  cdrt_str *keys = cdrt_malloc((size_t)(c->n + 1) * sizeof *keys);
  for (int64_t i = 0; i < c->n; i++) counts[i] = count[order[i]], keys[i] = c->v[order[i]];
  f->cols[0].data = counts;
  f->index.data = keys;
  free(order), free(count);
  return f;
}

/* The key columns of a groupby result: its index levels (as_index) or first columns */
static const cdrt_column *key_column(const cdrt_frame *f, int k, int as_index) {
  if (!as_index) return &f->cols[k];
  return f->nindex ? &f->levels[k] : &f->index;
}

/* Row i of column c (of type from) as row o of data (of type to): a bool becomes a str
 * ("True", "False"), an int64 a float64 */
static void copy_cell(void *data, int to, int64_t o, const cdrt_column *c, int64_t i) {
  if (c->type == CDRT_COL_BOOL && to == CDRT_COL_STR) {
    bool v = ((const uint8_t *)c->data)[i];
    ((cdrt_str *)data)[o] = (cdrt_str){v ? "True" : "False", v ? 4 : 5};
  } else if (c->type == CDRT_COL_INT64 && to == CDRT_COL_FLOAT64) {
    ((double *)data)[o] = (double)((const int64_t *)c->data)[i];
  } else {
    size_t s = cdrt_col_bytes(to);
    memcpy((char *)data + (size_t)o * s, (const char *)c->data + (size_t)i * s, s);
  }
}

/* An empty group's value: 0 for sum, counts and nunique; else missing */
static void fill_cell(void *data, int to, int64_t o, int what) {
  bool zero = what == CDRT_AGG_SUM || what == CDRT_AGG_COUNT || what == CDRT_AGG_SIZE ||
              what == CDRT_AGG_NUNIQUE;
  switch (to) {
  case CDRT_COL_FLOAT64: ((double *)data)[o] = zero ? 0.0 : NAN; break;
  case CDRT_COL_INT64: ((int64_t *)data)[o] = 0; break; /* only sums and counts stay int64 */
  case CDRT_COL_DATETIME:
  case CDRT_COL_TIMEDELTA: ((int64_t *)data)[o] = CDRT_NAT; break;
  case CDRT_COL_STR: ((cdrt_str *)data)[o] = (cdrt_str){NULL, 0}; break;
  default: ((uint8_t *)data)[o] = 0;
  }
}

cdrt_frame *cdrt_frame_observe(const cdrt_frame *f, int nkeys, const cdrt_categories *const *cats,
                               int as_index, const unsigned char *what,
                               const unsigned char *rtypes) {
  int64_t n = 1;
  for (int k = 0; k < nkeys; k++) {
    if (cats[k]->n && n > INT64_MAX / 2 / cats[k]->n)
      cdrt_fatal_all(CDRT_EXIT_MEMORY, "a groupby by categories has too many combinations of them");
    n *= cats[k]->n;
  }
  cdrt_frame *g = cdrt_calloc(1, sizeof *g);
  *g = *f;
  g->n = n;
  g->cols = cdrt_calloc((size_t)f->ncols + 1, sizeof *g->cols);
  memcpy(g->cols, f->cols, (size_t)f->ncols * sizeof *g->cols);
  if (as_index && f->nindex) {
    g->levels = cdrt_calloc((size_t)f->nindex, sizeof *g->levels);
    memcpy(g->levels, f->levels, (size_t)f->nindex * sizeof *g->levels);
  }
  cdrt_column *keys[CDRT_GB_MAXKEYS];
  for (int k = 0; k < nkeys; k++) {
    keys[k] = (cdrt_column *)key_column(g, k, as_index);
    keys[k]->data = cdrt_malloc((size_t)(n + 1) * sizeof(cdrt_str));
  }
  int first = as_index ? 0 : nkeys; /* the aggregated columns */
  for (int j = first; j < f->ncols; j++) {
    g->cols[j].type = rtypes[j - first];
    g->cols[j].data = cdrt_malloc((size_t)(n + 1) * cdrt_col_bytes(g->cols[j].type));
  }
  /* each combination's row of f (-1: none); the combinations in the categories' order */
  int64_t *row = cdrt_malloc((size_t)(n + 1) * sizeof *row);
  for (int64_t o = 0; o < n; o++) row[o] = -1;
  for (int64_t i = 0; i < f->n; i++) {
    int64_t o = 0;
    for (int k = 0; k < nkeys; k++) {
      cdrt_str s = ((const cdrt_str *)key_column(f, k, as_index)->data)[i];
      int64_t c = s.p ? category_index(cats[k], s) : -1;
      if (c < 0) cdrt_fatal_all(1, "a groupby by categories met a group of no category");
      o = o * cats[k]->n + c;
    }
    row[o] = i;
  }
  int64_t at[CDRT_GB_MAXKEYS] = {0}; /* the combination */
  for (int64_t o = 0; o < n; o++) {
    int64_t i = row[o];
    for (int k = 0; k < nkeys; k++) ((cdrt_str *)keys[k]->data)[o] = cats[k]->v[at[k]];
    for (int j = first; j < f->ncols; j++)
      if (i >= 0)
        copy_cell(g->cols[j].data, g->cols[j].type, o, &f->cols[j], i);
      else
        fill_cell(g->cols[j].data, g->cols[j].type, o, what[j - first]);
    for (int k = nkeys - 1; k >= 0 && ++at[k] == cats[k]->n; k--) at[k] = 0; /* the next one */
  }
  free(row);
  return g;
}

/* (-count, category) pairs in order: counts descending, ties in the categories' order */
static int count_order(const void *a, const void *b) {
  const int64_t *x = a, *y = b;
  return x[0] != y[0] ? (x[0] > y[0]) - (x[0] < y[0]) : (x[1] > y[1]) - (x[1] < y[1]);
}

cdrt_frame *cdrt_frame_cat_counts(const cdrt_frame *s, const cdrt_categories *c) {
  int64_t *count = cdrt_calloc((size_t)(c->n + 1), sizeof *count);
  const cdrt_str *v = s->cols[0].data;
  for (int64_t i = 0; i < s->n; i++) {
    int64_t k = v[i].p ? category_index(c, v[i]) : -1;
    if (k >= 0) count[k]++;
  }
  int64_t *counts = cdrt_malloc((size_t)(c->n + 1) * sizeof *counts);
  cdrt_str *keys = cdrt_malloc((size_t)(c->n + 1) * sizeof *keys);
  int64_t n = c->n, *order = cdrt_malloc((size_t)(n + 1) * 2 * sizeof *order);
  for (int64_t k = 0; k < n; k++) order[2 * k] = -count[k], order[2 * k + 1] = k;
  qsort(order, (size_t)n, 2 * sizeof *order, count_order); /* (count, category) pairs */
  for (int64_t k = 0; k < n; k++) counts[k] = -order[2 * k], keys[k] = c->v[order[2 * k + 1]];
  free(order), free(count);
  cdrt_frame *f = cdrt_calloc(1, sizeof *f);
  f->n = n, f->ncols = 1, f->series = 1;
  f->cols = cdrt_calloc(1, sizeof *f->cols);
  f->cols[0] = (cdrt_column){CDRT_COL_INT64, "count", counts, NULL};
  f->index = (cdrt_column){CDRT_COL_STR, s->cols[0].name, keys, NULL};
  return f;
}

void cdrt_frame_categories(cdrt_frame *f, int col, const cdrt_categories *c) {
  if (!f || col >= f->ncols) return;
  if (!f->cats) f->cats = cdrt_calloc((size_t)f->ncols, sizeof *f->cats);
  f->cats[col] = c;
}
#endif
