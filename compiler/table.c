/* table.c: the dataframe tables of the graph (cdask.h, "table.c"): sources, expressions,
 * results and outputs, in lists grown in the graph's arena. */
#include "cdask.h"

#include <math.h>
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

/* Whether two expressions compute the same values: the same fields (a constant's float by
 * its bits, a string by its bytes) */
static bool same_expr(const TExpr *a, const TExpr *b) {
  if (a->kind != b->kind || a->type != b->type || a->src != b->src || a->col != b->col ||
      a->op != b->op || a->a != b->a || a->b != b->b || a->strfn != b->strfn || a->i != b->i ||
      a->cats != b->cats || a->slen != b->slen || a->step != b->step ||
      memcmp(&a->f, &b->f, sizeof a->f) != 0 || !a->s != !b->s)
    return false;
  size_t n = (size_t)a->slen; /* a regex replace's template follows its pattern */
  if (a->kind == TX_STR && a->strfn == TS_RX_REPLACE) n += (size_t)a->col;
  return !a->s || memcmp(a->s, b->s, n) == 0;
}

/* An expression is added once (value numbering): the same computation written twice (a
 * traced function called in two places, a filter repeated) is one expression, so results
 * over it are one result and bags of it one bag (db.zip of two bags of l:map(f) written
 * twice). Operands come before their users either way. */
int table_add_expr(Graph *g, const TExpr *x) {
  for (int k = g->tables.nx - 1; k >= 0; k--)
    if (same_expr(&g->tables.x[k], x)) return k;
  return table_append(g, (void **)&g->tables.x, &g->tables.nx, sizeof *x, x);
}
int table_add_result(Graph *g, const TResult *r) {
  return table_append(g, (void **)&g->tables.r, &g->tables.nr, sizeof *r, r);
}
int table_add_join(Graph *g, const TJoin *j) {
  return table_append(g, (void **)&g->tables.joins, &g->tables.njoins, sizeof *j, j);
}
void table_add_output(Graph *g, const TOutput *o) {
  table_append(g, (void **)&g->tables.out, &g->tables.nout, sizeof *o, o);
}

int table_optional_bool(const Tables *t, int x) {
  const TExpr *e = &t->x[x];
  if (e->kind != TX_COLUMN || e->type != CDRT_COL_BOOL) return -1;
  const TSource *src = &t->src[e->src];
  return src->json && src->missing && src->missing[e->col] ? e->col : -1;
}

int table_json_list(const Tables *t, int x) {
  const TExpr *e = &t->x[x];
  if (e->kind != TX_COLUMN) return -1;
  const TSource *src = &t->src[e->src];
  return src->json && e->col < src->njson_items ? src->json_items[e->col] : -1;
}

int table_agg_type(int rop, int type) {
  if (cdrt_col_nat(type) && (rop == CDRT_AGG_SUM || rop == CDRT_AGG_MEAN))
    return type; /* a Timedelta (a Timestamp's mean), as pandas */
  if (cdrt_col_nat(type) && rop == CDRT_AGG_STD) return CDRT_COL_TIMEDELTA; /* of both */
  switch (rop) {
  case CDRT_AGG_SUM: return type == CDRT_COL_FLOAT64 ? CDRT_COL_FLOAT64 : CDRT_COL_INT64;
  case CDRT_AGG_COUNT:
  case CDRT_AGG_SIZE:
  case CDRT_AGG_NUNIQUE: return CDRT_COL_INT64;
  case CDRT_AGG_MIN:
  case CDRT_AGG_MAX: return type;
  case CDRT_AGG_ANY:
  case CDRT_AGG_ALL: return CDRT_COL_BOOL;
  default: return CDRT_COL_FLOAT64;
  }
}

/* pandas' result type of a window operation (CDRT_WIN_*) of a column of type type, -1 where
 * pandas' would be object (a shift or diff of bools): refused; an integer fill keeps int64 */
int table_window_type(int kind, int type, bool int_fill) {
  switch (kind) {
  case CDRT_WIN_CUMSUM:
  case CDRT_WIN_CUMPROD: return type == CDRT_COL_BOOL ? CDRT_COL_INT64 : type;
  case CDRT_WIN_CUMMAX:
  case CDRT_WIN_CUMMIN:
  case CDRT_WIN_FFILL:
  case CDRT_WIN_BFILL: return type;
  case CDRT_WIN_SHIFT:
    if (type == CDRT_COL_BOOL) return -1;
    return type == CDRT_COL_INT64 && !int_fill ? CDRT_COL_FLOAT64 : type;
  case CDRT_WIN_DIFF: /* of datetimes or timedeltas: timedeltas */
    return type == CDRT_COL_BOOL ? -1 : cdrt_col_nat(type) ? CDRT_COL_TIMEDELTA : CDRT_COL_FLOAT64;
  case CDRT_WIN_CUMCOUNT: return CDRT_COL_INT64;
  default: return CDRT_COL_FLOAT64;
  }
}

/* pandas' result type of a groupby aggregation */
int table_gb_type(int what, int type) {
  if (cdrt_col_nat(type) && (what == CDRT_AGG_SUM || what == CDRT_AGG_MEAN ||
                             what == CDRT_AGG_MEDIAN || what == CDRT_AGG_QUANTILE))
    return type; /* timedeltas (datetimes' mean, median and quantile), as pandas */
  switch (what) {
  case CDRT_AGG_COUNT:
  case CDRT_AGG_NUNIQUE:
  case CDRT_AGG_SIZE: return CDRT_COL_INT64;
  case CDRT_AGG_SUM: return type == CDRT_COL_FLOAT64 ? CDRT_COL_FLOAT64 : CDRT_COL_INT64;
  case CDRT_AGG_MEDIAN:
  case CDRT_AGG_QUANTILE:
  case CDRT_AGG_CORR:
  case CDRT_AGG_MEAN:
  case CDRT_AGG_STD:
  case CDRT_AGG_VAR: return CDRT_COL_FLOAT64;
  default: return type;
  }
}

static void shape_alloc(Arena *a, int *n, const char ***names, int **types, int count) {
  *n = count;
  *names = arena_alloc(a, (size_t)(count + 1) * sizeof **names);
  *types = arena_alloc(a, (size_t)(count + 1) * sizeof **types);
}

/* An index of one unnamed level of type t */
static void shape_plain_index(Arena *a, TShape *s, int t) {
  shape_alloc(a, &s->nlev, &s->lnames, &s->ltypes, 1);
  s->lnames[0] = NULL, s->ltypes[0] = t;
}

/* A groupby's frame, as cdrt_gb_frame (and cdrt_frame_groupby) make it: ktypes[k] is key
 * k's type, vtypes[k] aggregation k's column's */
/* pandas' dtype of a groupby aggregation that a category no row has leaves missing (NaN,
 * or None for a bool): int64 becomes float64, bool object */
static int unobserved_type(int what, int type) {
  bool zero = what == CDRT_AGG_SUM || what == CDRT_AGG_COUNT || what == CDRT_AGG_SIZE ||
              what == CDRT_AGG_NUNIQUE; /* 0 for an empty group */
  return zero                     ? type
         : type == CDRT_COL_INT64 ? CDRT_COL_FLOAT64
         : type == CDRT_COL_BOOL  ? CDRT_COL_STR
                                  : type;
}

/* keys_cats: per key, 1 + the result of its categories, or 0 (NULL: none). A groupby by a
 * category that is not observed has a row for every category (pandas 1's default), so an
 * aggregation of a category no row has is missing, and its type is fixed while compiling
 * as if one were (pandas decides from the data). */
static void shape_groupby(Arena *a, const TResult *q, const int *ktypes, const int *vtypes,
                          const int *keys_cats, TShape *s) {
  bool all = false;
  for (int k = 0; keys_cats && k < q->nkeys; k++) all |= keys_cats[k] && !q->observed;
  int nk = q->as_index ? 0 : q->nkeys;
  shape_alloc(a, &s->ncols, &s->names, &s->types, nk + q->ncols);
  for (int k = 0; k < nk; k++) s->names[k] = q->knames[k], s->types[k] = ktypes[k];
  for (int k = 0; k < q->ncols; k++) {
    int type = table_gb_type(q->what[k], vtypes[k]);
    s->names[nk + k] = q->names[k],
                  s->types[nk + k] = all ? unobserved_type(q->what[k], type) : type;
  }
  if (!q->as_index) {
    shape_plain_index(a, s, CDRT_COL_INT64);
    return;
  }
  shape_alloc(a, &s->nlev, &s->lnames, &s->ltypes, q->nkeys);
  for (int k = 0; k < q->nkeys; k++) s->lnames[k] = q->knames[k], s->ltypes[k] = ktypes[k];
}

const char *table_result_name(const Tables *t, int r) {
  const TResult *q = &t->r[r];
  switch (q->kind) {
  case TR_AGG: return "reduction";
  case TR_VCOUNT: return "value_counts";
  case TR_ROWS: return "rows";
  case TR_STACK: return "reductions";
  case TR_GROUPBY: return "groupby";
  case TR_POST: break;
  }
  switch (q->fop) {
  case FOP_SORT: return "sort_values";
  case FOP_HEAD: return q->keep ? "tail" : "head";
  case FOP_DEDUP: return "drop_duplicates";
  case FOP_SELECT: return "column selection";
  case FOP_MEDIAN: return q->seeded ? "quantile" : "median";
  case FOP_AGG:
    return q->rop == CDRT_AGG_IDXMAX   ? "idxmax"
           : q->rop == CDRT_AGG_IDXMIN ? "idxmin"
           : q->rop == CDRT_AGG_SIZE   ? "len"
           : q->rop == CDRT_AGG_CORR   ? "corr"
                                       : "reduction";
  case FOP_DESCRIBE: return "describe";
  case FOP_GROUPBY: return "groupby";
  case FOP_ARITH: return "arithmetic";
  case FOP_ASSIGN: return "assign";
  case FOP_FILTER: return "loc";
  case FOP_GB_HEAD: return "groupby head";
  case FOP_MERGE: return "merge";
  case FOP_CUM: return "accumulate";
  case FOP_SET_INDEX: return "set_index";
  case FOP_RESET_INDEX: return "reset_index";
  case FOP_LOC: return "loc";
  case FOP_SCALAR: return "arithmetic";
  case FOP_BINS: return "resample";
  case FOP_WINDOW: return "window operation";
  case FOP_CONCAT: return "concat";
  case FOP_CORR: return "corr";
  case FOP_QUANTILES: return "quantile";
  case FOP_CAT_COUNTS: return "value_counts";
  default: return "reduction";
  }
}

/* The type of a column of types a and b once concatenated (a: -2 none yet, -1 refused) */
static int concat_type(int a, int b) {
  if (a == -2 || a == b) return b;
  if (a == -1) return -1;
  bool num = (a == CDRT_COL_INT64 || a == CDRT_COL_FLOAT64) &&
             (b == CDRT_COL_INT64 || b == CDRT_COL_FLOAT64);
  return num ? CDRT_COL_FLOAT64 : -1;
}
/* ... and a part without it: missing values (an int64 becomes float64, a bool object) */
static int concat_missing(int t) {
  return t == CDRT_COL_INT64 ? CDRT_COL_FLOAT64 : t == CDRT_COL_BOOL ? -1 : t;
}

static int shape_column(const TShape *s, const char *name) {
  for (int k = 0; k < s->ncols; k++)
    if (s->names[k] && name && strcmp(s->names[k], name) == 0) return k;
  return -1;
}

/* The frame whose rows a computed result has: through columns, arithmetic, assign and
 * window operations (each keeps its input's rows and index) */
int table_row_root(const Tables *t, int r) {
  while (t->r[r].kind == TR_POST && (t->r[r].fop == FOP_SELECT || t->r[r].fop == FOP_ARITH ||
                                     t->r[r].fop == FOP_ASSIGN || t->r[r].fop == FOP_WINDOW))
    r = t->r[r].in;
  return r;
}

/* Results a and b have the same rows: one root, or two collections of the rows of one
 * source under one mask (the scan collects both in the file's order) */
bool table_same_rows(const Tables *t, int a, int b) {
  const TResult *p = &t->r[table_row_root(t, a)], *q = &t->r[table_row_root(t, b)];
  if (p == q) return true;
  return p->kind == TR_ROWS && q->kind == TR_ROWS && p->src == q->src && p->mask == q->mask &&
         p->limit < 0 && q->limit < 0 && !p->topn && !q->topn && !p->join && !q->join;
}

/* Results a and b are groupbys of the same keys of the same rows (TR_GROUPBY): the same
 * groups in the same order, so the same index */
static bool same_groups(const Tables *t, int a, int b) {
  const TResult *p = &t->r[a], *q = &t->r[b];
  if (p->kind != TR_GROUPBY || q->kind != TR_GROUPBY || p->src != q->src || p->mask != q->mask ||
      p->nkeys != q->nkeys || p->sort != q->sort || p->as_index != q->as_index ||
      p->dropna != q->dropna || p->observed != q->observed || p->join || q->join)
    return false;
  for (int k = 0; k < p->nkeys; k++)
    if (p->keys[k] != q->keys[k]) return false;
  return true;
}

/* Every label of result a's index is one of result b's: the same rows or groups, or rows of
 * a source that b has all of (df:loc(mask) within df) */
static bool labels_within(const Tables *t, int a, int b) {
  int ra = table_row_root(t, a), rb = table_row_root(t, b);
  if (table_same_rows(t, a, b) || same_groups(t, ra, rb)) return true;
  const TResult *p = &t->r[ra], *q = &t->r[rb];
  return p->kind == TR_ROWS && q->kind == TR_ROWS && p->src == q->src && q->mask < 0 &&
         q->limit < 0 && !q->topn && !q->join && !p->join;
}

TShape table_concat_shape(Graph *g, const TResult *q) {
  Arena *a = g->arena;
  TShape *parts = arena_alloc(a, (size_t)q->ncols * sizeof *parts), s = {.series = true};
  int cap = 1;
  for (int p = 0; p < q->ncols; p++) {
    parts[p] = table_result_shape(g, q->cols[p]);
    s.series &= parts[p].series, cap += parts[p].ncols;
  }
  shape_alloc(a, &s.ncols, &s.names, &s.types, cap);
  s.ncols = 0;
  if (q->keep) {     /* axis = 1: the parts' columns side by side, aligned on the index */
    int unnamed = 0; /* pandas names a Series without a name by their count */
    for (int p = 0; p < q->ncols; p++) {
      bool full = true; /* else the part may lack a label: missing values (concat_missing) */
      for (int o = 0; o < q->ncols; o++)
        full &= o == p || labels_within(&g->tables, q->cols[o], q->cols[p]);
      for (int k = 0; k < parts[p].ncols; k++) {
        const char *name = parts[p].names[k];
        if (q->drop || (parts[p].series && !name))
          name = arena_printf(a, "%d", q->drop ? s.ncols : unnamed++);
        s.names[s.ncols] = name;
        s.types[s.ncols++] = full ? parts[p].types[k] : concat_missing(parts[p].types[k]);
      }
    }
    s.series = false;
  } else if (s.series) { /* one column, named if every part has that name */
    s.ncols = 1, s.names[0] = parts[0].names[0], s.types[0] = -2;
    for (int p = 0; p < q->ncols; p++) {
      const char *name = parts[p].names[0];
      if (!s.names[0] || !name || strcmp(s.names[0], name) != 0) s.names[0] = NULL;
      s.types[0] = concat_type(s.types[0], parts[p].types[0]);
    }
  } else {
    for (int p = 0; p < q->ncols; p++)
      for (int k = 0; k < parts[p].ncols; k++) {
        int j = shape_column(&s, parts[p].names[k]);
        if (j < 0) j = s.ncols, s.names[s.ncols] = parts[p].names[k], s.types[s.ncols++] = -2;
        s.types[j] = concat_type(s.types[j], parts[p].types[k]);
      }
    for (int j = 0; j < s.ncols; j++) /* a part without column j: missing values there */
      for (int p = 0; p < q->ncols && s.types[j] >= 0; p++)
        if (shape_column(&parts[p], s.names[j]) < 0) s.types[j] = concat_missing(s.types[j]);
  }
  bool index = (q->keep || !q->drop) && parts[0].nlev == 1;
  shape_plain_index(a, &s, index ? parts[0].ltypes[0] : CDRT_COL_INT64);
  for (int p = 0; index && p < q->ncols; p++) { /* the index's name, if every part has it */
    const char *ln = parts[p].nlev ? parts[p].lnames[0] : NULL;
    s.lnames[0] = p == 0 ? ln : s.lnames[0] && ln && strcmp(s.lnames[0], ln) == 0 ? ln : NULL;
  }
  return s;
}

TShape table_result_shape(Graph *g, int r) {
  Arena *a = g->arena;
  const Tables *t = &g->tables;
  const TResult *q = &t->r[r];
  TShape s = {.series = q->series};
  switch (q->kind) {
  case TR_AGG: return (TShape){.scalar = true, .type = table_agg_type(q->rop, t->x[q->expr].type)};
  case TR_VCOUNT:
    if (q->rop == CDRT_AGG_NUNIQUE) return (TShape){.scalar = true, .type = CDRT_COL_INT64};
    shape_alloc(a, &s.ncols, &s.names, &s.types, 1);
    s.names[0] = "count", s.types[0] = CDRT_COL_INT64, s.series = true;
    shape_plain_index(a, &s, t->x[q->expr].type);
    s.lnames[0] = q->name;
    return s;
  case TR_ROWS:
    shape_alloc(a, &s.ncols, &s.names, &s.types, q->ncols);
    for (int k = 0; k < q->ncols; k++) s.names[k] = q->names[k], s.types[k] = t->x[q->cols[k]].type;
    s.cats = arena_alloc(a, (size_t)(q->ncols + 1) * sizeof *s.cats);
    for (int k = 0; k < q->ncols; k++) s.cats[k] = t->x[q->cols[k]].cats;
    shape_plain_index(a, &s, t->src[q->src].index_step ? CDRT_COL_DATETIME : CDRT_COL_INT64);
    s.lnames[0] = t->src[q->src].index_name;
    return s;
  case TR_STACK:
    shape_alloc(a, &s.ncols, &s.names, &s.types, 1);
    s.names[0] = q->name, s.types[0] = q->rop, s.series = true;
    shape_plain_index(a, &s, CDRT_COL_STR);
    return s;
  case TR_GROUPBY: {
    int *kt = arena_alloc(a, (size_t)(q->nkeys + q->ncols + 1) * sizeof *kt), *vt = kt + q->nkeys;
    for (int k = 0; k < q->nkeys; k++) kt[k] = t->x[q->keys[k]].type;
    for (int k = 0; k < q->ncols; k++)
      vt[k] = q->cols[k] >= 0 ? t->x[q->cols[k]].type : CDRT_COL_INT64;
    int *kc = arena_alloc(a, (size_t)(q->nkeys + 1) * sizeof *kc);
    for (int k = 0; k < q->nkeys; k++) kc[k] = t->x[q->keys[k]].cats;
    shape_groupby(a, q, kt, vt, kc, &s);
    s.multi = q->subs != NULL, s.subs = q->subs;
    return s;
  }
  case TR_POST: break;
  }
  TShape in = table_result_shape(g, q->in);
  switch (q->fop) {
  case FOP_MEDIAN: /* of timedeltas (datetimes): one */
    return (TShape){.scalar = true,
                    .type = cdrt_col_nat(in.types[q->cols[0]]) ? in.types[q->cols[0]]
                                                               : CDRT_COL_FLOAT64};
  case FOP_SCALAR: return (TShape){.scalar = true, .type = q->rop};
  case FOP_AGG:
    if (q->rop == CDRT_AGG_IDXMAX || q->rop == CDRT_AGG_IDXMIN) /* a label */
      return (TShape){.scalar = true, .type = in.ltypes[0]};
    return (TShape){.scalar = true, .type = table_agg_type(q->rop, in.types[0])};
  case FOP_GROUPBY: /* in: the keys' columns, then the aggregated ones */
    s.series = q->series;
    shape_groupby(a, q, in.types, in.types + q->nkeys, in.cats, &s);
    s.multi = q->subs != NULL, s.subs = q->subs;
    return s;
  case FOP_SELECT:
    s = in, s.series = q->series;
    shape_alloc(a, &s.ncols, &s.names, &s.types, q->ncols);
    s.cats = arena_alloc(a, (size_t)(q->ncols + 1) * sizeof *s.cats);
    for (int k = 0; k < q->ncols; k++) { /* a column, or an index level (-level - 1) */
      int c = q->cols[k];
      s.names[k] = c >= 0 ? in.names[c] : in.lnames[-c - 1];
      s.types[k] = c >= 0 ? in.types[c] : in.ltypes[-c - 1];
      s.cats[k] = c >= 0 && in.cats ? in.cats[c] : 0;
    }
    return s;
  case FOP_ARITH:
    s = in, s.series = true, s.cats = NULL;
    shape_alloc(a, &s.ncols, &s.names, &s.types, 1);
    s.names[0] = q->name, s.types[0] = q->rop;
    return s;
  case FOP_CUM:
    s = in, s.series = true, s.cats = NULL;
    shape_alloc(a, &s.ncols, &s.names, &s.types, 1);
    s.names[0] = in.names[0], s.types[0] = q->arith;
    if (q->seeded) shape_plain_index(a, &s, CDRT_COL_INT64);
    return s;
  case FOP_ASSIGN: {
    TShape v = table_result_shape(g, q->cols[0]);
    s = in, s.series = false;
    int k = 0;
    while (k < in.ncols && !(in.names[k] && strcmp(in.names[k], q->name) == 0)) k++;
    shape_alloc(a, &s.ncols, &s.names, &s.types, in.ncols + (k == in.ncols));
    s.cats = arena_alloc(a, (size_t)(s.ncols + 1) * sizeof *s.cats);
    for (int j = 0; j < in.ncols; j++)
      s.names[j] = in.names[j], s.types[j] = in.types[j], s.cats[j] = in.cats ? in.cats[j] : 0;
    s.names[k] = q->name, s.types[k] = v.types[0], s.cats[k] = v.cats ? v.cats[0] : 0;
    return s;
  }
  case FOP_MERGE: { /* once emit_rows.c has pruned its sides' rows: the columns it found
                     * before (a reader's column numbers are the whole frame's) */
    TMergeCols m = q->spec ? *q->spec : table_merge_columns(g, q);
    s = (TShape){.ncols = m.ncols, .names = m.names, .types = m.types};
    shape_plain_index(a, &s, m.itype);
    s.lnames[0] = m.iname;
    if (q->indicator) { /* its categories: cd_cats[r], set by the merge */
      s.cats = arena_alloc(a, (size_t)(m.ncols + 1) * sizeof *s.cats);
      s.cats[m.ncols - 1] = r + 1;
    }
    return s;
  }
  case FOP_SET_INDEX: {
    int c = q->cols[0];
    s = in, s.series = false;
    shape_alloc(a, &s.ncols, &s.names, &s.types, in.ncols - q->drop);
    s.cats = arena_alloc(a, (size_t)(in.ncols + 1) * sizeof *s.cats);
    for (int k = 0, j = 0; k < in.ncols; k++)
      if (k != c || !q->drop)
        s.names[j] = in.names[k], s.types[j] = in.types[k], s.cats[j++] = in.cats ? in.cats[k] : 0;
    shape_plain_index(a, &s, in.types[c]);
    s.lnames[0] = in.names[c];
    return s;
  }
  case FOP_RESET_INDEX: {
    int nk = q->drop ? 0 : in.nlev;
    s = in, s.series = in.series && q->drop;
    shape_alloc(a, &s.ncols, &s.names, &s.types, nk + in.ncols);
    s.cats = arena_alloc(a, (size_t)(s.ncols + 1) * sizeof *s.cats);
    for (int k = 0; k < nk; k++) s.names[k] = q->names[k], s.types[k] = in.ltypes[k], s.cats[k] = 0;
    for (int k = 0; k < in.ncols; k++)
      s.names[nk + k] = in.names[k], s.types[nk + k] = in.types[k],
                   s.cats[nk + k] = in.cats ? in.cats[k] : 0;
    if (in.series && !q->drop && !in.names[0]) s.names[nk] = "0"; /* pandas' column 0 */
    shape_plain_index(a, &s, CDRT_COL_INT64);
    return s;
  }
  case FOP_CONCAT: return table_concat_shape(g, q);
  case FOP_CORR:
    s = in, s.series = false, s.cats = NULL;
    shape_alloc(a, &s.ncols, &s.names, &s.types, in.ncols);
    for (int k = 0; k < in.ncols; k++) s.names[k] = in.names[k], s.types[k] = CDRT_COL_FLOAT64;
    shape_plain_index(a, &s, CDRT_COL_STR);
    return s;
  case FOP_CAT_COUNTS: /* pandas 2's names, as value_counts of a column: count, index the Series' */
    s = in, s.cats = NULL, s.series = true;
    shape_alloc(a, &s.ncols, &s.names, &s.types, 1);
    s.names[0] = "count", s.types[0] = CDRT_COL_INT64;
    shape_plain_index(a, &s, CDRT_COL_STR);
    s.lnames[0] = in.names[0];
    return s;
  case FOP_QUANTILES:
    s = in, s.cats = NULL;
    shape_alloc(a, &s.ncols, &s.names, &s.types, in.ncols);
    for (int k = 0; k < in.ncols; k++) /* (timedeltas and datetimes keep their type) */
      s.names[k] = in.names[k],
      s.types[k] = cdrt_col_nat(in.types[k]) ? in.types[k] : CDRT_COL_FLOAT64;
    shape_plain_index(a, &s, CDRT_COL_FLOAT64);
    return s;
  case FOP_WINDOW: { /* grouped (nkeys): in's columns cols[0, ncols) */
    if (q->win.kind == CDRT_WIN_EWM_COV || q->win.kind == CDRT_WIN_EWM_CORR) { /* of 2: 1 */
      bool same = in.names[0] && in.names[1] && strcmp(in.names[0], in.names[1]) == 0;
      s = in, s.cats = NULL, s.series = true;
      shape_alloc(a, &s.ncols, &s.names, &s.types, 1);
      s.names[0] = same ? in.names[0] : NULL, s.types[0] = CDRT_COL_FLOAT64;
      return s;
    }
    int n = q->nkeys ? q->ncols : in.ncols;
    s = in, s.cats = NULL, s.series = q->nkeys ? q->series : in.series;
    shape_alloc(a, &s.ncols, &s.names, &s.types, n);
    for (int k = 0; k < n; k++) {
      int c = q->nkeys ? q->cols[k] : k;
      s.names[k] = q->win.kind == CDRT_WIN_NORMALIZE ? "proportion"
                   : q->names                        ? q->names[k]
                                                     : in.names[c];
      s.types[k] =
          q->win.kind == CDRT_WIN_TRANSFORM ? table_gb_type(q->win.method, in.types[c])
          : q->win.span && c == q->win.on - 1
              ? in.types[c] /* a time window's timestamps, as they are */
              : table_window_type(q->win.kind, in.types[c], q->seeded && q->num == floor(q->num));
    }
    return s;
  }
  case FOP_BINS: /* a bin no row fell in is missing, but for sums and counts */
    s = in;
    shape_alloc(a, &s.ncols, &s.names, &s.types, in.ncols);
    for (int k = 0; k < in.ncols; k++) {
      bool zero = table_bins_zero(q->what[k]);
      s.names[k] = in.names[k];
      s.types[k] = !zero && in.types[k] == CDRT_COL_INT64 ? CDRT_COL_FLOAT64 : in.types[k];
    }
    return s;
  case FOP_DESCRIBE:
    s = in, s.series = false, s.cats = NULL;
    shape_alloc(a, &s.ncols, &s.names, &s.types, in.ncols);
    for (int k = 0; k < in.ncols; k++)
      s.names[k] = in.names[k],
      s.types[k] = q->rop == CDRT_COL_STR ? CDRT_COL_STR : CDRT_COL_FLOAT64;
    shape_plain_index(a, &s, CDRT_COL_STR);
    return s;
  default: return in; /* the same columns, other rows */
  }
}

int64_t table_result_rows(Graph *g, int r) {
  const Tables *t = &g->tables;
  const TResult *q = &t->r[r];
  int64_t n = -1;
  switch (q->kind) {
  case TR_STACK: return q->ncols;
  case TR_ROWS: {
    const TSource *s = &t->src[q->src];
    if (q->mask >= 0) return -1;
    if (s->arrays)
      n = s->nrows;
    else if (s->whole && s->bad_lines == 0)
      n = s->sampled; /* checked when the program runs */
    /* head(n) of a file: n rows, unless it has fewer (checked when the program runs) */
    return q->limit >= 0 && (n < 0 || q->limit < n) ? q->limit : n;
  }
  case TR_POST:
    switch (q->fop) {
    case FOP_SORT:
    case FOP_SET_INDEX:
    case FOP_RESET_INDEX:
    case FOP_SELECT:
    case FOP_ARITH:
    case FOP_ASSIGN:
    case FOP_WINDOW: return table_result_rows(g, q->in);
    case FOP_HEAD: n = table_result_rows(g, q->in); break;
    case FOP_QUANTILES: return q->nq;
    case FOP_DESCRIBE: /* count, mean, std, min, 25%, 50%, 75%, max; of strings 4 */
      return q->rop == CDRT_COL_STR ? 4 : 8;
    default: return -1;
    }
    break;
  default: return -1;
  }
  return n >= 0 && q->limit >= 0 && q->limit < n ? q->limit : n;
}

bool table_bins_zero(int what) {
  return what == CDRT_AGG_SUM || what == CDRT_AGG_COUNT || what == CDRT_AGG_SIZE ||
         what == CDRT_AGG_NUNIQUE;
}

bool table_result_after_arrays(const Tables *t, int r) {
  const TResult *q = &t->r[r];
  switch (q->kind) {
  case TR_STACK:
    for (int k = 0; k < q->ncols; k++)
      if (table_result_after_arrays(t, q->cols[k])) return true;
    return false;
  case TR_POST:
    for (int k = 1; q->fop == FOP_CONCAT && k < q->ncols; k++) /* (0: in) */
      if (table_result_after_arrays(t, q->cols[k])) return true;
    return table_result_after_arrays(t, q->in) ||
           (q->fop == FOP_MERGE && table_result_after_arrays(t, q->right)) ||
           ((q->fop == FOP_ARITH || q->fop == FOP_ASSIGN || q->fop == FOP_SCALAR ||
             q->fop == FOP_FILTER) &&
            q->cols[0] >= 0 && table_result_after_arrays(t, q->cols[0]));
  default: return t->src[q->src].arrays != NULL;
  }
}

static bool same_name(const char *a, const char *b) {
  return a && b && strcmp(a, b) == 0;
}

/* pandas' dtype of a column that a merge may leave missing: an int64 is float64 (NaN), a
 * bool object (True, False, NaN: cdask's str) */
static int may_miss(int t) {
  return t == CDRT_COL_INT64 ? CDRT_COL_FLOAT64 : t == CDRT_COL_BOOL ? CDRT_COL_STR : t;
}

int table_reads(const TResult *q, int r) {
  int n = 0;
  for (int k = 0; q->kind == TR_STACK && k < q->ncols; k++) n += q->cols[k] == r;
  for (int k = 0; k < q->nscalars; k++) n += q->scalars[k] == r;
  if (q->kind != TR_POST) return n;
  n += q->in == r;
  n += q->fop == FOP_MERGE && q->right == r;
  n += (q->fop == FOP_ARITH || q->fop == FOP_ASSIGN || q->fop == FOP_SCALAR ||
        q->fop == FOP_FILTER) &&
       q->cols[0] == r;
  for (int k = 1; q->fop == FOP_CONCAT && k < q->ncols; k++) n += q->cols[k] == r; /* (0: in) */
  return n;
}

TMergeCols table_merge_columns(Graph *g, const TResult *q) {
  Arena *a = g->arena;
  TShape L = table_result_shape(g, q->in), R = table_result_shape(g, q->right);
  TMergeCols m = {0};
  int cap = L.ncols + R.ncols + 1;
  m.side = arena_alloc(a, (size_t)cap);
  m.col = arena_alloc(a, (size_t)cap * sizeof *m.col);
  m.types = arena_alloc(a, (size_t)cap * sizeof *m.types);
  m.names = arena_alloc(a, (size_t)cap * sizeof *m.names);
  bool lmiss = q->how == CDRT_HOW_RIGHT || q->how == CDRT_HOW_OUTER;
  bool rmiss = q->how == CDRT_HOW_LEFT || q->how == CDRT_HOW_OUTER;
  for (int i = 0; i < L.ncols; i++) { /* a key of one name on both sides is one column */
    int k = 0; /* (left_on with right_index: the left's key holds the index's value) */
    while (k < q->nkeys &&
           !(q->keys[k] == i && (q->rkeys[k] < 0 || same_name(L.names[i], R.names[q->rkeys[k]]))))
      k++;
    bool key = k < q->nkeys;
    m.side[m.ncols] = key ? CDRT_MERGE_KEY : CDRT_MERGE_LEFT, m.col[m.ncols] = key ? k : i;
    m.types[m.ncols] = key || !lmiss ? L.types[i] : may_miss(L.types[i]);
    m.names[m.ncols++] = L.names[i];
  }
  int nl = m.ncols;
  for (int j = 0; j < R.ncols; j++) {
    int k = 0;
    while (k < q->nkeys &&
           !(q->rkeys[k] == j && q->keys[k] >= 0 && same_name(L.names[q->keys[k]], R.names[j])))
      k++;
    if (k < q->nkeys) continue; /* the left's column holds it */
    m.side[m.ncols] = CDRT_MERGE_RIGHT, m.col[m.ncols] = j;
    m.types[m.ncols] = rmiss ? may_miss(R.types[j]) : R.types[j];
    m.names[m.ncols++] = R.names[j];
  }
  bool *both = arena_alloc(a, (size_t)cap * sizeof *both);
  for (int i = 0; i < nl; i++)
    for (int j = nl; j < m.ncols; j++)
      if (same_name(m.names[i], m.names[j])) both[i] = both[j] = true;
  for (int k = 0; k < m.ncols; k++)
    if (both[k]) m.names[k] = arena_printf(a, "%s%s", m.names[k], q->suffix[k >= nl]);
  if (q->indicator) /* pandas' _merge: a category, last */
    m.side[m.ncols] = CDRT_MERGE_IND, m.col[m.ncols] = 0, m.types[m.ncols] = CDRT_COL_STR,
    m.names[m.ncols++] = q->indicator;
  m.itype = CDRT_COL_INT64;
  if (q->lindex) { /* both indexes: the keys' values, named as both sides name it */
    m.index = CDRT_MERGE_INDEX_KEY, m.itype = L.ltypes[0];
    m.iname = same_name(L.lnames[0], R.lnames[0]) ? L.lnames[0]
              : q->how == CDRT_HOW_LEFT           ? L.lnames[0]
              : q->how == CDRT_HOW_RIGHT          ? R.lnames[0]
                                                  : NULL;
  } else if (q->rindex) { /* left_on with right_index: the left's labels (named when kept) */
    m.index = CDRT_MERGE_INDEX_LEFT, m.itype = lmiss ? may_miss(L.ltypes[0]) : L.ltypes[0];
    m.iname = lmiss ? NULL : L.lnames[0];
  }
  return m;
}
