/* frame_concat.c (with CDRT_WITH_CSV): pandas' concat of frames (or Series) along the rows,
 * in the order given. The columns are the union of the parts' by name (cdaskc found them and
 * their types: an int64 column that a part lacks, or that is float64 in another, becomes
 * float64); a part without a column has missing values there. The index is the parts'
 * labels one after another (pandas keeps duplicates), or a new range with ignore_index. */
#include "cdrt.h"

#ifdef CDRT_WITH_CSV
#include <math.h>
#include <stdbool.h>
#include <string.h>

static const cdrt_column *part_column(const cdrt_frame *f, const char *name, int series) {
  if (series) return &f->cols[0];
  for (int k = 0; k < f->ncols; k++)
    if (f->cols[k].name && name && strcmp(f->cols[k].name, name) == 0) return &f->cols[k];
  return NULL;
}

/* Row i of column c (NULL: none) into out[o] as type */
static void put_cell(void *out, int64_t o, int type, const cdrt_column *c, int64_t i) {
  switch (type) {
  case CDRT_COL_FLOAT64:
    ((double *)out)[o] = !c                            ? NAN
                         : c->type == CDRT_COL_FLOAT64 ? ((const double *)c->data)[i]
                                                       : (double)((const int64_t *)c->data)[i];
    break;
  case CDRT_COL_STR:
    ((cdrt_str *)out)[o] = c ? ((const cdrt_str *)c->data)[i] : (cdrt_str){0};
    break;
  case CDRT_COL_BOOL: ((uint8_t *)out)[o] = ((const uint8_t *)c->data)[i]; break;
  default: ((int64_t *)out)[o] = c ? ((const int64_t *)c->data)[i] : CDRT_NAT; /* int64: c */
  }
}

cdrt_frame *cdrt_frame_concat(const cdrt_frame *const *parts, int n, int ncols,
                              const char *const *names, const int *types, int series,
                              int ignore_index) {
  cdrt_frame *g = cdrt_calloc(1, sizeof *g);
  int64_t rows = 0;
  for (int p = 0; p < n; p++) rows += parts[p]->n;
  g->n = rows, g->ncols = ncols, g->series = series;
  g->cols = cdrt_calloc((size_t)ncols + 1, sizeof *g->cols);
  for (int k = 0; k < ncols; k++) {
    void *v = cdrt_frame_alloc(rows, cdrt_col_bytes(types[k]));
    for (int64_t p = 0, o = 0; p < n; p++) {
      const cdrt_column *c = part_column(parts[p], names[k], series);
      for (int64_t i = 0; i < parts[p]->n; i++) put_cell(v, o++, types[k], c, i);
    }
    g->cols[k] = (cdrt_column){types[k], names[k], v, NULL};
  }
  if (ignore_index) return g; /* a RangeIndex */
  const cdrt_column *first = &parts[0]->index;
  const char *iname = first->name;
  for (int p = 1; p < n; p++)
    if (!iname || !parts[p]->index.name || strcmp(iname, parts[p]->index.name) != 0) iname = NULL;
  void *ix = cdrt_frame_alloc(rows, cdrt_col_bytes(first->type));
  for (int64_t p = 0, o = 0; p < n; p++) {
    const cdrt_column *c = &parts[p]->index;
    for (int64_t i = 0; i < parts[p]->n; i++, o++)
      if (!c->data) /* a RangeIndex: its labels */
        ((int64_t *)ix)[o] = i;
      else
        put_cell(ix, o, first->type, c, i);
  }
  g->index = (cdrt_column){first->type, iname, ix, NULL};
  return g;
}

/* Label i of index c (a RangeIndex without data: i) into out[o] */
static void put_label(void *out, int64_t o, const cdrt_column *c, int64_t i) {
  if (c->data)
    put_cell(out, o, c->type, c, i);
  else
    ((int64_t *)out)[o] = i;
}

/* Union rows a before b: their datetimes ascending, NaT last */
static int datetime_less(const void *ctx, int64_t a, int64_t b) {
  const int64_t *t = ctx;
  if (t[a] == CDRT_NAT || t[b] == CDRT_NAT) return t[b] == CDRT_NAT && t[a] != CDRT_NAT;
  return t[a] < t[b];
}

/* pos[0, total) as rows of the union of m datetimes sorted (pandas' union of
 * DatetimeIndexes sorts); labels: every part's, first[i] the first row of i's */
static void sort_datetimes(int64_t *pos, int64_t total, int64_t m, const int64_t *labels,
                           const int64_t *first) {
  int64_t *lab = cdrt_frame_alloc(m, sizeof *lab), *order = cdrt_frame_alloc(m, sizeof *order);
  int64_t *rank = cdrt_frame_alloc(m, sizeof *rank);
  for (int64_t i = 0; i < total; i++)
    if (first[i] == i) lab[pos[i]] = labels[i];
  for (int64_t u = 0; u < m; u++) order[u] = u;
  cdrt_stable_sort(order, m, datetime_less, lab);
  for (int64_t j = 0; j < m; j++) rank[order[j]] = j;
  for (int64_t i = 0; i < total; i++) pos[i] = rank[pos[i]];
  cdrt_frame_free(lab, m, sizeof *lab), cdrt_frame_free(order, m, sizeof *order);
  cdrt_frame_free(rank, m, sizeof *rank);
}

/* A missing value of type into out[o]; false for int64 and bool, which have none */
static bool put_none(void *out, int64_t o, int type) {
  switch (type) {
  case CDRT_COL_FLOAT64: ((double *)out)[o] = NAN; return true;
  case CDRT_COL_STR: ((cdrt_str *)out)[o] = (cdrt_str){0}; return true;
  case CDRT_COL_DATETIME:
  case CDRT_COL_TIMEDELTA: ((int64_t *)out)[o] = CDRT_NAT; return true;
  default: return false;
  }
}

cdrt_frame *cdrt_frame_concat_columns(const cdrt_frame *const *parts, int n, int ncols,
                                      const char *const *names, const int *types) {
  int type = parts[0]->index.type;
  int64_t total = 0, *off = cdrt_frame_alloc(n + 1, sizeof *off);
  for (int p = 0; p < n; p++) off[p] = total, total += parts[p]->n;
  off[n] = total;
  /* every part's labels in turn, grouped: first[i] the first row of i's label */
  size_t z = cdrt_col_bytes(type);
  cdrt_column all = {type, NULL, cdrt_frame_alloc(total, z), NULL};
  for (int p = 0; p < n; p++)
    for (int64_t i = 0; i < parts[p]->n; i++) put_label(all.data, off[p] + i, &parts[p]->index, i);
  cdrt_frame labels = {.n = total, .ncols = 1, .cols = &all};
  int64_t *first = cdrt_frame_key_groups(&labels, 1, (const int[]){0}, 0);
  bool same = true; /* every part's labels are the first's, in its order: no alignment */
  for (int p = 1; p < n && same; p++) {
    same = parts[p]->n == parts[0]->n;
    for (int64_t i = 0; i < parts[p]->n && same; i++) same = first[off[p] + i] == first[i];
  }
  /* the union: labels in order of first appearance (the first part's, then the others'
   * new ones), as pandas' concat(axis = 1, sort = False), datetimes sorted (pandas sorts a
   * union of DatetimeIndexes); pos[i]: row i's row there */
  int64_t *pos = cdrt_frame_alloc(total, sizeof *pos), m = 0;
  for (int64_t i = 0; i < total; i++) pos[i] = first[i] == i ? m++ : pos[first[i]];
  if (!same && type == CDRT_COL_DATETIME) sort_datetimes(pos, total, m, all.data, first);
  if (same) m = parts[0]->n; /* the first part's rows, duplicate labels and all */
  int64_t *mark = cdrt_frame_alloc(total, sizeof *mark);
  for (int64_t i = 0; i < total; i++) mark[i] = -1;
  for (int p = 0; p < n && !same; p++) /* each part reindexed: unique labels only */
    for (int64_t i = off[p]; i < off[p + 1]; i++) {
      if (mark[first[i]] == p) /* (pandas raises for strings, and for numbers keeps the
                                * duplicates in a way cdask does not follow yet) */
        cdrt_fatal(CDRT_EXIT_INPUT,
                   "%s: item %d's index has a label more than once, and the indexes differ: "
                   "aligning such parts is not supported (pandas' InvalidIndexError for "
                   "strings)",
                   cdrt_frame_op_what ? cdrt_frame_op_what : "concat", p + 1);
      mark[first[i]] = p;
    }
  cdrt_frame *g = cdrt_calloc(1, sizeof *g);
  g->n = m, g->ncols = ncols;
  g->cols = cdrt_calloc((size_t)ncols + 1, sizeof *g->cols);
  int64_t *at = cdrt_frame_alloc(m, sizeof *at); /* a part's row of each result row, or -1 */
  for (int p = 0, k = 0; p < n; p++) {
    for (int64_t u = 0; u < m; u++) at[u] = -1;
    for (int64_t i = 0; i < parts[p]->n; i++) at[same ? i : pos[off[p] + i]] = i;
    int nc = parts[p]->series ? 1 : parts[p]->ncols;
    for (int c = 0; c < nc; c++, k++) {
      const cdrt_column *x = &parts[p]->cols[c];
      void *v = cdrt_frame_alloc(m, cdrt_col_bytes(types[k]));
      for (int64_t u = 0; u < m; u++)
        if (at[u] >= 0)
          put_cell(v, u, types[k], x, at[u]);
        else if (!put_none(v, u, types[k]))
          cdrt_fatal(CDRT_EXIT_INPUT,
                     "%s: the label in row %lld (from 0) is not in item %d's index, which pandas "
                     "fills with NaN, making its %s column '%s' float64 or object; astype it "
                     "first (\"float64\")",
                     cdrt_frame_op_what ? cdrt_frame_op_what : "concat", (long long)u, p + 1,
                     types[k] == CDRT_COL_BOOL ? "bool" : "int64", names[k] ? names[k] : "");
      g->cols[k] = (cdrt_column){types[k], names[k], v, NULL};
    }
  }
  /* the index: the union's labels, named if every part's has that name */
  void *ix = cdrt_frame_alloc(m, z);
  for (int64_t i = 0; i < (same ? m : total); i++)
    if (same || first[i] == i)
      memcpy((char *)ix + (size_t)(same ? i : pos[i]) * z, (char *)all.data + (size_t)i * z, z);
  const char *iname = parts[0]->index.name;
  for (int p = 1; p < n; p++)
    if (!iname || !parts[p]->index.name || strcmp(iname, parts[p]->index.name) != 0) iname = NULL;
  g->index = (cdrt_column){type, iname, ix, NULL};
  cdrt_frame_free(at, m, sizeof *at), cdrt_frame_free(mark, total, sizeof *mark);
  cdrt_frame_free(pos, total, sizeof *pos), cdrt_frame_free(first, total, sizeof *first);
  cdrt_frame_free(all.data, total, z), cdrt_frame_free(off, n + 1, sizeof *off);
  return g;
}
#endif
