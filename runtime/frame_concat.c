/* frame_concat.c (with CDRT_WITH_CSV): pandas' concat of frames (or Series) along the rows,
 * in the order given. The columns are the union of the parts' by name (cdaskc found them and
 * their types: an int64 column that a part lacks, or that is float64 in another, becomes
 * float64); a part without a column has missing values there. The index is the parts'
 * labels one after another (pandas keeps duplicates), or a new range with ignore_index. */
#include "cdrt.h"

#ifdef CDRT_WITH_CSV
#include <math.h>
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
#endif
