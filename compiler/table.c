/* table.c: the dataframe tables of the graph (cdask.h, "table.c"): sources, expressions,
 * results and outputs, in lists grown in the graph's arena. */
#include "cdask.h"

#include <string.h>

/* Appends the item (size bytes) to the list *items of *n, grown by doubling. */
static int table_append(Graph *g, void **items, int *n, size_t size, const void *item) {
  int k = *n;
  if ((k & (k - 1)) == 0) { /* 0, 1, 2, 4, ...: full */
    size_t old = (size_t)k * size, cap = (size_t)(k ? 2 * k : 1) * size;
    *items = arena_grow(g->arena, *items, old, cap);
  }
  memcpy((char *)*items + (size_t)k * size, item, size);
  return (*n)++;
}

int table_add_source(Graph *g, const TSource *s) {
  return table_append(g, (void **)&g->tables.src, &g->tables.nsrc, sizeof *s, s);
}
int table_add_expr(Graph *g, const TExpr *x) {
  return table_append(g, (void **)&g->tables.x, &g->tables.nx, sizeof *x, x);
}
int table_add_result(Graph *g, const TResult *r) {
  return table_append(g, (void **)&g->tables.r, &g->tables.nr, sizeof *r, r);
}
void table_add_output(Graph *g, const TOutput *o) {
  table_append(g, (void **)&g->tables.out, &g->tables.nout, sizeof *o, o);
}

int table_agg_type(int rop, int type) {
  switch (rop) {
  case CDRT_AGG_SUM: return type == CDRT_COL_FLOAT64 ? CDRT_COL_FLOAT64 : CDRT_COL_INT64;
  case CDRT_AGG_COUNT:
  case CDRT_AGG_NUNIQUE: return CDRT_COL_INT64;
  case CDRT_AGG_MIN:
  case CDRT_AGG_MAX: return type;
  default: return CDRT_COL_FLOAT64;
  }
}

/* pandas' result type of a groupby aggregation */
int table_gb_type(int what, int type) {
  switch (what) {
  case CDRT_AGG_COUNT:
  case CDRT_AGG_SIZE: return CDRT_COL_INT64;
  case CDRT_AGG_SUM: return type == CDRT_COL_FLOAT64 ? CDRT_COL_FLOAT64 : CDRT_COL_INT64;
  case CDRT_AGG_MEAN:
  case CDRT_AGG_STD:
  case CDRT_AGG_VAR: return CDRT_COL_FLOAT64;
  default: return type;
  }
}
