/* lua_frame_ops.c: the methods that need a frame's rows rather than one row at a time
 * (frontend.h, "lua_frame_ops.c"). Each makes a TR_POST result over the value's rows (a
 * TR_ROWS of a lazy frame or Series, or a computed result such as a groupby's), which the
 * program computes after the scans: sort_values, nlargest, nsmallest, drop_duplicates,
 * median, describe, and on a computed frame head and its columns. The result is a
 * computed Series (or frame): it can be printed, written, or operated on again. */
#include "frontend.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int fe_df_push_computed(lua_State *L, int r, const char *what) {
  TShape sh = table_result_shape(fe_df_graph(L), r);
  if (sh.scalar) return fe_df_push_scalar(L, r, sh.type, what);
  LSeries *s = fe_df_push_series(L, -1, -1, sh.series && sh.ncols ? sh.names[0] : NULL, -1);
  s->result = r;
  return 1;
}

static int add_post(lua_State *L, int in, int fop, int n, int *cols, unsigned char *asc,
                    int64_t limit, bool series) {
  TResult q = {.kind = TR_POST,
               .src = -1,
               .mask = -1,
               .rop = -1,
               .expr = -1,
               .in = in,
               .fop = fop,
               .ncols = n,
               .cols = cols,
               .asc = asc,
               .limit = limit,
               .series = series};
  return fe_df_result_add(L, q);
}

/* A column by name (k >= 0), else an index level by name (-level - 1), as pandas' by */
static int column_ref(lua_State *L, const TShape *s, const char *name, const char *what) {
  for (int k = 0; k < s->ncols; k++)
    if (s->names[k] && strcmp(s->names[k], name) == 0) return k;
  for (int k = 0; k < s->nlev; k++)
    if (s->lnames[k] && strcmp(s->lnames[k], name) == 0) return -k - 1;
  return fe_error(L, "%s: KeyError: '%s' (the columns: %s)", what, name,
                  fe_df_name_list(L, (const char *const *)s->names, s->ncols));
}

static int ref_type(const TShape *s, int ref) {
  return ref >= 0 ? s->types[ref] : s->ltypes[-ref - 1];
}

/* The columns named by the value at idx (a name or a list of names) into *refs; their
 * number. */
static int column_refs(lua_State *L, int idx, const TShape *s, const char *what, int **refs) {
  Arena *a = fe_arena(L);
  if (lua_type(L, idx) == LUA_TSTRING) {
    *refs = arena_alloc(a, sizeof **refs);
    (*refs)[0] = column_ref(L, s, lua_tostring(L, idx), what);
    return 1;
  }
  if (!lua_istable(L, idx)) fe_error(L, "%s: give a column name or a list of names", what);
  int n = (int)luaL_len(L, idx);
  if (n == 0) fe_error(L, "%s: the list of columns is empty", what);
  *refs = arena_alloc(a, (size_t)n * sizeof **refs);
  for (int i = 1; i <= n; i++) {
    lua_geti(L, idx, i);
    if (lua_type(L, -1) != LUA_TSTRING)
      fe_error(L, "%s: column %d of the list is no name", what, i);
    (*refs)[i - 1] = column_ref(L, s, lua_tostring(L, -1), what);
    lua_pop(L, 1);
  }
  return n;
}

/* Every column: 0 .. ncols - 1 */
static int all_columns(lua_State *L, const TShape *s, int **refs) {
  *refs = arena_alloc(fe_arena(L), (size_t)(s->ncols + 1) * sizeof **refs);
  for (int k = 0; k < s->ncols; k++) (*refs)[k] = k;
  return s->ncols;
}

/* The value at 1 as a result and its shape (a frame or Series, never a scalar) */
static int rows_and_shape(lua_State *L, const char *what, TShape *s) {
  if (!luaL_testudata(L, 1, SERIES_MT) && !luaL_testudata(L, 1, FRAME_MT))
    fe_error(L, "%s: expected a DataFrame or a Series, got %s (call it with ':')", what,
             luaL_typename(L, 1));
  int r = fe_df_rows_of(L, 1);
  *s = table_result_shape(fe_df_graph(L), r);
  return r;
}

/* opts.ascending at idx: a boolean (for every key) or a list of n booleans */
static unsigned char *ascending(lua_State *L, int idx, int n, bool dflt) {
  unsigned char *asc = arena_alloc(fe_arena(L), (size_t)n);
  memset(asc, dflt, (size_t)n);
  if (lua_isnoneornil(L, idx)) return asc;
  if (!lua_istable(L, idx))
    fe_error(L, "sort_values: the options must be a table {ascending = ...}");
  lua_getfield(L, idx, "ascending");
  if (lua_isboolean(L, -1)) {
    memset(asc, lua_toboolean(L, -1), (size_t)n);
  } else if (lua_istable(L, -1)) {
    if (luaL_len(L, -1) != n)
      fe_error(L, "sort_values: Length of ascending (%d) != length of by (%d)",
               (int)luaL_len(L, -1), n);
    for (int i = 1; i <= n; i++) {
      lua_geti(L, -1, i);
      if (!lua_isboolean(L, -1)) fe_error(L, "sort_values: ascending must hold booleans");
      asc[i - 1] = (unsigned char)lua_toboolean(L, -1);
      lua_pop(L, 1);
    }
  } else if (!lua_isnil(L, -1)) {
    fe_error(L, "sort_values: ascending must be a boolean or a list of booleans");
  }
  lua_pop(L, 1);
  lua_getfield(L, idx, "na_position");
  const char *na = lua_isnil(L, -1) ? "last" : lua_tostring(L, -1);
  if (!na || (strcmp(na, "last") != 0 && strcmp(na, "first") != 0))
    fe_error(L, "sort_values: na_position must be \"last\" or \"first\"");
  for (int i = 0; strcmp(na, "first") == 0 && i < n; i++) asc[i] |= 2;
  lua_pop(L, 1);
  for (const char *const *k = (const char *const[]){"kind", "key", NULL}; *k; k++) {
    lua_getfield(L, idx, *k);
    if (!lua_isnil(L, -1))
      fe_error(L, "sort_values: option '%s' is not supported (the sort is stable)", *k);
    lua_pop(L, 1);
  }
  fe_named_options(L, idx, "sort_values", "ascending na_position");
  return asc;
}

/* df:sort_values(by [, {ascending}]) and s:sort_values([{ascending}]) */
static int fo_sort_values(lua_State *L) {
  TShape s;
  int in = rows_and_shape(L, "sort_values", &s), *by, n, opts = 3;
  if (s.series) {
    by = arena_alloc(fe_arena(L), sizeof *by), by[0] = 0, n = 1, opts = 2;
  } else {
    if (lua_isnoneornil(L, 2)) fe_error(L, "sort_values: give the column(s) to sort by");
    n = column_refs(L, 2, &s, "sort_values", &by);
  }
  unsigned char *asc = ascending(L, opts, n, true);
  return fe_df_push_computed(L, add_post(L, in, FOP_SORT, n, by, asc, -1, s.series), "sort_values");
}

/* nlargest / nsmallest: the n rows with the largest (smallest) values in the columns, ties
 * in their order (pandas' keep = "first"), rows with a missing value there last (pandas
 * appends them after the others): a stable sort's head */
static int n_extreme(lua_State *L, bool largest) {
  const char *what = largest ? "nlargest" : "nsmallest";
  TShape s;
  int in = rows_and_shape(L, what, &s), *by, n;
  int64_t count = fe_check_int(L, 2, arena_printf(fe_arena(L), "%s: n", what));
  if (count < 0) fe_error(L, "%s: n must not be negative", what);
  if (s.series) {
    by = arena_alloc(fe_arena(L), sizeof *by), by[0] = 0, n = 1;
  } else {
    if (lua_isnoneornil(L, 3))
      fe_error(L, "%s: give the column(s), as df:%s(n, columns)", what, what);
    n = column_refs(L, 3, &s, what, &by);
  }
  for (int k = 0; k < n; k++) {
    int t = ref_type(&s, by[k]);
    if (t == CDRT_COL_STR || t == CDRT_COL_BOOL)
      fe_error(L, "Column '%s' has dtype %s, cannot use method '%s' with this dtype",
               by[k] >= 0 && s.names[by[k]] ? s.names[by[k]] : "?", fe_df_type_label(t), what);
  }
  unsigned char *asc = arena_alloc(fe_arena(L), (size_t)n);
  memset(asc, !largest, (size_t)n);
  int r = add_post(L, in, FOP_SORT, n, by, asc, -1, s.series);
  return fe_df_push_computed(L, add_post(L, r, FOP_HEAD, 0, NULL, NULL, count, s.series), "head");
}
static int fo_nlargest(lua_State *L) {
  return n_extreme(L, true);
}
static int fo_nsmallest(lua_State *L) {
  return n_extreme(L, false);
}

/* df:drop_duplicates([subset | {subset = ..., keep = "first" | "last" | false}]) */
static int fo_drop_duplicates(lua_State *L) {
  TShape s;
  int in = rows_and_shape(L, "drop_duplicates", &s), *cols, n;
  int sub = 2, keep = 0;
  if (lua_istable(L, 2) && luaL_len(L, 2) == 0) { /* the options table */
    fe_named_options(L, 2, "drop_duplicates", "subset keep");
    lua_getfield(L, 2, "keep");
    const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    if (lua_isboolean(L, -1) && !lua_toboolean(L, -1))
      keep = 2;
    else if (k && strcmp(k, "last") == 0)
      keep = 1;
    else if (!lua_isnil(L, -1) && !(k && strcmp(k, "first") == 0))
      fe_error(L, "drop_duplicates: keep must be \"first\", \"last\" or false");
    lua_pop(L, 1);
    lua_getfield(L, 2, "subset");
    sub = lua_gettop(L);
  }
  if (lua_isnoneornil(L, sub))
    n = all_columns(L, &s, &cols);
  else if (s.series)
    return fe_error(L, "drop_duplicates: a Series has no subset");
  else
    n = column_refs(L, sub, &s, "drop_duplicates", &cols);
  int r = add_post(L, in, FOP_DEDUP, n, cols, NULL, -1, s.series);
  fe_df_graph(L)->tables.r[r].keep = keep;
  return fe_df_push_computed(L, r, "drop_duplicates");
}

/* head(n) of a computed frame (a lazy one's head is its scan's) */
static int fo_head(lua_State *L) {
  TShape s;
  int in = rows_and_shape(L, "head", &s);
  int64_t n = lua_isnoneornil(L, 2) ? 5 : fe_check_int(L, 2, "head: n");
  if (n < 0) fe_error(L, "head: n must not be negative");
  return fe_df_push_computed(L, add_post(L, in, FOP_HEAD, 0, NULL, NULL, n, s.series), "head");
}

/* tail(n): the last n rows (all the rows collected first), on their own index */
static int fo_tail(lua_State *L) {
  TShape s;
  int in = rows_and_shape(L, "tail", &s);
  int64_t n = lua_isnoneornil(L, 2) ? 5 : fe_check_int(L, 2, "tail: n");
  if (n < 0) fe_error(L, "tail: n must not be negative");
  int r = add_post(L, in, FOP_HEAD, 0, NULL, NULL, n, s.series);
  fe_df_graph(L)->tables.r[r].keep = 1;
  return fe_df_push_computed(L, r, "tail");
}

/* The numeric columns of the frame at 1 as a new result, or the Series' own: ints and
 * floats, and bools where pandas counts them (median's numeric_only; not describe's) */
static int numeric_rows(lua_State *L, const char *what, TShape *s, bool bools) {
  int in = rows_and_shape(L, what, s), *cols;
  int n = 0;
  cols = arena_alloc(fe_arena(L), (size_t)(s->ncols + 1) * sizeof *cols);
  for (int k = 0; k < s->ncols; k++)
    if (s->types[k] == CDRT_COL_INT64 || s->types[k] == CDRT_COL_FLOAT64 ||
        (bools && s->types[k] == CDRT_COL_BOOL))
      cols[n++] = k;
  if (s->series && !n)
    fe_error(L, "%s of a Series of %s is not supported", what, fe_df_type_label(s->types[0]));
  if (!n && strcmp(what, "describe") == 0) /* strings are described elsewhere (fo_describe) */
    fe_error(L, "describe: the frame has no column of numbers or strings (the describe of bools "
                "or datetimes alone is not supported yet)");
  if (!n)
    fe_error(L, "%s: the frame has no numeric column (the %s of strings is not supported)", what,
             what);
  if (n == s->ncols) return in;
  return add_post(L, in, FOP_SELECT, n, cols, NULL, -1, false);
}

/* A Series indexed by the names of in's columns (num: its shape) whose values are the
 * scalars each(L, in, k, ctx) of each column k, of dtype type, named name (NULL: none) */
typedef int (*column_scalar)(lua_State *L, int in, int k, const void *ctx);
static int stack_columns(lua_State *L, int in, const TShape *num, int type, const char *name,
                         column_scalar each, const void *ctx, const char *what) {
  Arena *a = fe_arena(L);
  TResult st = {.kind = TR_STACK, .src = -1, .mask = -1, .rop = type, .limit = -1, .name = name};
  st.cols = arena_alloc(a, (size_t)(num->ncols + 1) * sizeof *st.cols);
  st.names = arena_alloc(a, (size_t)(num->ncols + 1) * sizeof *st.names);
  for (int k = 0; k < num->ncols; k++) {
    st.cols[st.ncols] = each(L, in, k, ctx);
    st.names[st.ncols++] = num->names[k];
  }
  return fe_df_push_computed(L, fe_df_result_add(L, st), what);
}

/* The median (q NULL) or the quantile *q of column k of in: a scalar result */
static int order_statistic(lua_State *L, int in, int k, const void *q) {
  int *col = arena_alloc(fe_arena(L), sizeof *col);
  col[0] = k;
  TResult t = {.kind = TR_POST, .src = -1, .mask = -1, .rop = -1, .expr = -1, .limit = -1};
  t.in = in, t.fop = FOP_MEDIAN, t.ncols = 1, t.cols = col;
  if (q) t.seeded = true, t.num = *(const double *)q; /* set before it is added: shared */
  return fe_df_result_add(L, t);
}

/* s:median() and s:quantile(q) (Scalars); of a frame, a Series over its numeric columns
 * (quantile's named q, as pandas names it) */
static int median_or_quantile(lua_State *L, const double *q, const char *what) {
  TShape s;
  { /* of timedeltas (datetimes): a Timedelta (Timestamp), as pandas */
    int in = rows_and_shape(L, what, &s);
    if (s.series && cdrt_col_nat(s.types[0]))
      return fe_df_push_computed(L, order_statistic(L, in, 0, q), what);
  }
  int in = numeric_rows(L, what, &s, !q); /* pandas takes no quantile of bools */
  TShape num = table_result_shape(fe_df_graph(L), in);
  if (s.series) return fe_df_push_computed(L, order_statistic(L, in, 0, q), what);
  const char *name = NULL;
  if (q) {
    char buf[40];
    cdrt_pyrepr(*q, buf); /* pandas' float q: quantile(1) is named 1.0 */
    name = arena_strdup(fe_arena(L), buf);
  }
  return stack_columns(L, in, &num, CDRT_COL_FLOAT64, name, order_statistic, q, what);
}
static int fo_median(lua_State *L) {
  return median_or_quantile(L, NULL, "median");
}
static double quantile_q(lua_State *L, int i) {
  double q = fe_check_number(L, i, "quantile: q");
  if (!(q >= 0 && q <= 1))
    fe_error(L, "quantile: ValueError: percentiles should all be in the interval [0, 1]");
  return q;
}
/* s:quantile(q) (a Scalar; of a frame, a Series), s:quantile{q...} (a Series indexed by the
 * q's; of a frame, a frame with a row per q), pandas' linear interpolation */
static int fo_quantile(lua_State *L) {
  if (!lua_istable(L, 2)) {
    double q = lua_isnoneornil(L, 2) ? 0.5 : quantile_q(L, 2);
    return median_or_quantile(L, &q, "quantile");
  }
  int nq = (int)luaL_len(L, 2);
  double *qs = arena_alloc(fe_arena(L), (size_t)(nq + 1) * sizeof *qs);
  for (int k = 0; k < nq; k++) {
    lua_rawgeti(L, 2, k + 1);
    qs[k] = quantile_q(L, lua_gettop(L));
    lua_pop(L, 1);
  }
  TShape s;
  int in = rows_and_shape(L, "quantile", &s); /* a Series of timedeltas (datetimes) as is */
  if (!s.series || !cdrt_col_nat(s.types[0]))
    in = numeric_rows(L, "quantile", &s, false); /* pandas takes no quantile of bools */
  int r = add_post(L, in, FOP_QUANTILES, 0, NULL, NULL, -1, s.series);
  TResult *q = &fe_df_tables(L)->r[r];
  q->nq = nq, q->qs = qs;
  return fe_df_push_computed(L, r, "quantile");
}

/* The label of column k's first largest (*rop CDRT_AGG_IDXMAX) or smallest value */
static int index_of_extreme(lua_State *L, int in, int k, const void *rop) {
  int *col = arena_alloc(fe_arena(L), sizeof *col);
  col[0] = k;
  int r = add_post(L, add_post(L, in, FOP_SELECT, 1, col, NULL, -1, true), FOP_AGG, 0, NULL, NULL,
                   -1, false);
  fe_df_graph(L)->tables.r[r].rop = *(const int *)rop;
  return r;
}

/* s:idxmax() and s:idxmin(): the label of the first largest (smallest) present value, a
 * Scalar; of a frame, a Series of them over its numeric columns */
static int idx_extreme(lua_State *L, int rop, const char *what) {
  TShape s;
  int in = numeric_rows(L, what, &s, true);
  TShape num = table_result_shape(fe_df_graph(L), in);
  if (num.nlev != 1) fe_error(L, "%s of a frame with a MultiIndex is not supported yet", what);
  int it = num.ltypes[0];
  if (!s.series && it != CDRT_COL_INT64 && it != CDRT_COL_DATETIME)
    fe_error(L, "%s of a frame whose index is of %s is not supported yet (of a Series it is)", what,
             fe_df_type_label(it));
  if (s.series) return fe_df_push_computed(L, index_of_extreme(L, in, 0, &rop), what);
  return stack_columns(L, in, &num, it, NULL, index_of_extreme, &rop, what);
}
static int fo_idxmax(lua_State *L) {
  return idx_extreme(L, CDRT_AGG_IDXMAX, "idxmax");
}
static int fo_idxmin(lua_State *L) {
  return idx_extreme(L, CDRT_AGG_IDXMIN, "idxmin");
}

/* s:corr(o): Pearson's r of two Series of one frame over the rows where both are present,
 * a Scalar; df:corr(): pandas' matrix of every pair of its numeric (and bool) columns */
static int fo_corr(lua_State *L) {
  if (lua_isnoneornil(L, 2)) {
    TShape s;
    int in = numeric_rows(L, "corr", &s, true);
    if (s.series) fe_error(L, "corr: give the other Series: s:corr(df.y)");
    int r = add_post(L, in, FOP_CORR, 0, NULL, NULL, -1, false);
    return fe_df_push_computed(L, r, "corr");
  }
  LSeries *x = fe_df_check_series(L, 1), *y = luaL_testudata(L, 2, SERIES_MT);
  if (!y || x->expr < 0 || y->expr < 0 || x->src != y->src || x->mask != y->mask ||
      x->limit != y->limit)
    fe_error(L, "corr: the other must be a Series of the same frame (pandas aligns them by the "
                "index; cdask pairs the rows of one frame)");
  const Tables *t = fe_df_tables(L);
  for (int k = 0; k < 2; k++) {
    int type = t->x[k ? y->expr : x->expr].type;
    if (type != CDRT_COL_INT64 && type != CDRT_COL_FLOAT64 && type != CDRT_COL_BOOL)
      fe_error(L, "corr of a Series of %s is not supported (of numbers)", fe_df_type_label(type));
  }
  Arena *a = fe_arena(L);
  LFrame *f = fe_df_push_frame(L); /* the two as one frame's columns, collected together */
  f->src = x->src, f->mask = x->mask, f->limit = x->limit, f->ncols = 2;
  f->cols = arena_alloc(a, 2 * sizeof *f->cols);
  f->names = arena_alloc(a, 2 * sizeof *f->names);
  f->cols[0] = x->expr, f->cols[1] = y->expr;
  f->names[0] = x->name ? x->name : "x", f->names[1] = y->name ? y->name : "y";
  int rows = fe_df_rows_of(L, lua_gettop(L));
  int r = add_post(L, rows, FOP_AGG, 0, NULL, NULL, -1, false);
  fe_df_graph(L)->tables.r[r].rop = CDRT_AGG_CORR;
  return fe_df_push_computed(L, r, "corr");
}

/* s:unique(): the values in order of first appearance (NaN once), as Dask's Series with a
 * new RangeIndex */
static int fo_unique(lua_State *L) {
  TShape s;
  int in = rows_and_shape(L, "unique", &s);
  if (!s.series)
    fe_error(L, "unique: a DataFrame has no unique (pandas' drop_duplicates, or a column's "
                "unique)");
  int *col = arena_alloc(fe_arena(L), sizeof *col);
  col[0] = 0;
  int r = add_post(L, in, FOP_DEDUP, 1, col, NULL, -1, true);
  r = add_post(L, r, FOP_RESET_INDEX, 0, NULL, NULL, -1, true);
  fe_df_graph(L)->tables.r[r].drop = true;
  return fe_df_push_computed(L, r, "unique");
}

/* df:describe() and s:describe(): count, mean, std, min, 25%, 50%, 75%, max of the numeric
 * columns; of strings only (a frame without numbers): count, unique, top, freq */
static int fo_describe(lua_State *L) {
  TShape s;
  int in = rows_and_shape(L, "describe", &s), nnum = 0, nstr = 0;
  int *strs = arena_alloc(fe_arena(L), (size_t)(s.ncols + 1) * sizeof *strs);
  for (int k = 0; k < s.ncols; k++) {
    nnum += s.types[k] == CDRT_COL_INT64 || s.types[k] == CDRT_COL_FLOAT64;
    if (s.types[k] == CDRT_COL_STR) strs[nstr++] = k;
  }
  if (nnum || !nstr) { /* the numeric columns, as pandas' default */
    in = numeric_rows(L, "describe", &s, false);
    return fe_df_push_computed(L, add_post(L, in, FOP_DESCRIBE, 0, NULL, NULL, -1, s.series),
                               "describe");
  }
  /* strings (and categories) only: count, unique, top, freq */
  if (nstr < s.ncols) in = add_post(L, in, FOP_SELECT, nstr, strs, NULL, -1, false);
  int r = add_post(L, in, FOP_DESCRIBE, 0, NULL, NULL, -1, s.series);
  fe_df_tables(L)->r[r].rop = CDRT_COL_STR;
  return fe_df_push_computed(L, r, "describe");
}

/* ---- the index: set_index, reset_index, sort_index and loc(from, to) ---- */
/* The boolean options at opts among known (NULL-ended), each default dflt[k], into v[k];
 * any other option is refused rather than ignored */
static void bool_options(lua_State *L, int opts, const char *what, const char *const *known,
                         bool *v) {
  if (lua_isnoneornil(L, opts)) return;
  if (!lua_istable(L, opts))
    fe_error(L, "%s: the options must be a table, got %s", what, luaL_typename(L, opts));
  lua_pushnil(L);
  while (lua_next(L, opts)) {
    const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
    int i = 0;
    while (k && known[i] && strcmp(known[i], k) != 0) i++;
    if (!k || !known[i])
      fe_error(L, "%s: option %s is not supported", what,
               k ? arena_printf(fe_arena(L), "'%s'", k) : "without a name");
    if (!lua_isboolean(L, -1))
      fe_error(L, "%s: %s must be true or false, not %s", what, k, luaL_typename(L, -1));
    v[i] = lua_toboolean(L, -1);
    lua_pop(L, 1);
  }
}

/* df:set_index(col [, {drop, sorted}]): col becomes the index, sorted as Dask's set_index
 * sorts (stable here: equal labels keep the frame's order; missing labels last) */
static int fo_set_index(lua_State *L) {
  TShape s;
  int in = rows_and_shape(L, "set_index", &s);
  if (s.series) fe_error(L, "set_index: a Series has no columns to make the index of");
  if (lua_istable(L, 2))
    fe_error(L, "set_index: one column; Dask does not support a MultiIndex (set_index of a list)");
  if (lua_type(L, 2) != LUA_TSTRING) fe_error(L, "set_index: give the column's name");
  int c = column_ref(L, &s, lua_tostring(L, 2), "set_index");
  if (c < 0) fe_error(L, "set_index: '%s' is already the index", lua_tostring(L, 2));
  if (s.cats && s.cats[c])
    fe_error(L,
             "set_index: '%s' is a category column; a CategoricalIndex is not supported yet "
             "(astype(\"str\") first)",
             s.names[c]);
  if (s.types[c] == CDRT_COL_BOOL) fe_error(L, "set_index: an index of bools is not supported");
  bool v[2] = {true, false}; /* drop, sorted (the sort finds sorted rows as they are) */
  bool_options(L, 3, "set_index", (const char *const[]){"drop", "sorted", NULL}, v);
  int *by = arena_alloc(fe_arena(L), sizeof *by);
  unsigned char *asc = arena_alloc(fe_arena(L), 1);
  by[0] = c, asc[0] = 1;
  int sorted = add_post(L, in, FOP_SORT, 1, by, asc, -1, false);
  int r = add_post(L, sorted, FOP_SET_INDEX, 1, by, NULL, -1, false);
  fe_df_graph(L)->tables.r[r].drop = v[0];
  return fe_df_push_computed(L, r, "set_index");
}

/* x:reset_index([{drop}]): the index's levels become the first columns (pandas' names:
 * the level's, else "index" or "level_0", "level_k" for a MultiIndex's), the index a range */
static int fo_reset_index(lua_State *L) {
  TShape s;
  int in = rows_and_shape(L, "reset_index", &s);
  bool drop = false;
  bool_options(L, 2, "reset_index", (const char *const[]){"drop", NULL}, &drop);
  Arena *a = fe_arena(L);
  const char **names = arena_alloc(a, (size_t)(s.nlev + 1) * sizeof *names);
  for (int k = 0; k < s.nlev && !drop; k++) {
    bool has_index = false;
    for (int j = 0; j < s.ncols; j++) has_index |= s.names[j] && strcmp(s.names[j], "index") == 0;
    names[k] = s.lnames[k]                 ? s.lnames[k]
               : s.nlev == 1 && !has_index ? "index"
                                           : arena_printf(a, "level_%d", k);
    for (int j = 0; j < s.ncols; j++)
      if (s.names[j] && strcmp(s.names[j], names[k]) == 0)
        fe_error(L, "reset_index: ValueError: cannot insert %s, already exists", names[k]);
  }
  int r = add_post(L, in, FOP_RESET_INDEX, drop ? 0 : s.nlev, NULL, NULL, -1, s.series && drop);
  TResult *q = &fe_df_graph(L)->tables.r[r];
  q->names = names, q->drop = drop;
  return fe_df_push_computed(L, r, "reset_index");
}

/* x:sort_index([{ascending, na_position}]): a stable sort by the index's levels */
static int fo_sort_index(lua_State *L) {
  TShape s;
  int in = rows_and_shape(L, "sort_index", &s);
  int *by = arena_alloc(fe_arena(L), (size_t)(s.nlev + 1) * sizeof *by);
  for (int k = 0; k < s.nlev; k++) by[k] = -k - 1;
  unsigned char *asc = ascending(L, 2, s.nlev, true);
  return fe_df_push_computed(L, add_post(L, in, FOP_SORT, s.nlev, by, asc, -1, s.series),
                             "sort_index");
}

/* One bound of r:loc(from, to) at idx into q->lab (k: 0 from, 1 to), of the index's type */
static void label_bound(lua_State *L, int idx, int k, int type, TResult *q) {
  if (lua_isnil(L, idx)) return; /* open */
  q->lab.has[k] = true;
  const char *what = k ? "loc: the end label" : "loc: the start label";
  switch (type) {
  case CDRT_COL_DATETIME: {
    if (lua_type(L, idx) != LUA_TSTRING)
      fe_error(L,
               "%s: the index is a DatetimeIndex; its labels are dates written as strings, "
               "got %s",
               what, luaL_typename(L, idx));
    int64_t b[2];
    fe_df_parse_period(L, lua_tostring(L, idx), &b[0], &b[1]);
    q->lab.i[k] = b[k]; /* a period's start, or its end */
    return;
  }
  case CDRT_COL_INT64:
    if (!lua_isinteger(L, idx))
      fe_error(L, "%s: the index holds int64 labels; give an integer, got %s", what,
               lua_type(L, idx) == LUA_TNUMBER ? "a float" : luaL_typename(L, idx));
    q->lab.i[k] = lua_tointeger(L, idx);
    return;
  case CDRT_COL_FLOAT64:
    if (lua_type(L, idx) != LUA_TNUMBER || isnan(lua_tonumber(L, idx)))
      fe_error(L, "%s: the index holds float64 labels; give a number (not NaN), got %s", what,
               luaL_typename(L, idx));
    q->lab.f[k] = lua_tonumber(L, idx);
    return;
  case CDRT_COL_STR:
    q->lab.s[k] = arena_strdup(fe_arena(L), fe_check_string(L, idx, what, true));
    return;
  default: fe_error(L, "loc: an index of %s is not sliced by labels", fe_df_type_label(type));
  }
}

/* r:loc(from, to) of a computed frame or Series: the rows whose index labels lie in [from,
 * to], as pandas' r.loc[from:to] of a sorted index (nil: that end open) */
static int computed_filter(lua_State *L, int in, int idx, bool series);
static int fo_loc(lua_State *L) {
  TShape s;
  int in = rows_and_shape(L, "loc", &s);
  if (lua_gettop(L) == 2 && luaL_testudata(L, 2, SERIES_MT)) /* r:loc(mask) */
    return computed_filter(L, in, 2, s.series);
  if (lua_gettop(L) < 3)
    fe_error(L, "loc of a computed frame selects rows by a mask, r:loc(r.v:gt(0)), or by a "
                "slice of its index, r:loc(from, to) (nil for an open end)");
  if (s.nlev != 1) fe_error(L, "loc: slicing a MultiIndex by labels is not supported yet");
  int r = add_post(L, in, FOP_LOC, 0, NULL, NULL, -1, s.series);
  TResult *q = &fe_df_graph(L)->tables.r[r];
  label_bound(L, 2, 0, s.ltypes[0], q);
  label_bound(L, 3, 1, s.ltypes[0], q);
  return fe_df_push_computed(L, r, "loc");
}

static const luaL_Reg frame_ops[] = {{"sort_values", fo_sort_values},
                                     {"nlargest", fo_nlargest},
                                     {"nsmallest", fo_nsmallest},
                                     {"drop_duplicates", fo_drop_duplicates},
                                     {"median", fo_median},
                                     {"quantile", fo_quantile},
                                     {"idxmax", fo_idxmax},
                                     {"idxmin", fo_idxmin},
                                     {"unique", fo_unique},
                                     {"corr", fo_corr},
                                     {"tail", fo_tail},
                                     {"describe", fo_describe},
                                     {"set_index", fo_set_index},
                                     {"reset_index", fo_reset_index},
                                     {"sort_index", fo_sort_index},
                                     {"merge", fe_df_merge},
                                     {"to_array", fe_df_to_array},
                                     {"to_dask_array", fe_df_to_array},
                                     {NULL, NULL}};

/* ---- arithmetic on the columns of computed frames (r.v1 - r.v2), and their assign ---- */
/* A column of a frame (the lazy Series at i) combined with the computed Series at other:
 * where that one has the rows of the column's frame (df.v / g.v:transform("sum")), the
 * column's rows are collected as a result that replaces it at i */
static void lazy_operand(lua_State *L, int i, int other) {
  LSeries *s = luaL_testudata(L, i, SERIES_MT), *o = luaL_testudata(L, other, SERIES_MT);
  if (!s || s->expr < 0 || !o || o->expr >= 0 || s->limit >= 0) return;
  Tables *t = fe_df_tables(L);
  const TResult *root = &t->r[table_row_root(t, o->result)];
  if (root->kind != TR_ROWS || root->src != s->src || root->mask != s->mask || root->limit >= 0 ||
      root->topn || root->join)
    return; /* what table_same_rows asks of both */
  Arena *a = fe_arena(L);
  TResult rows = {.kind = TR_ROWS, .src = s->src, .mask = s->mask, .rop = -1, .expr = -1};
  rows.ncols = 1, rows.limit = -1, rows.series = true, rows.name = s->name;
  rows.cols = arena_alloc(a, sizeof *rows.cols), rows.cols[0] = s->expr;
  rows.names = arena_alloc(a, sizeof *rows.names), rows.names[0] = s->name;
  fe_df_push_computed(L, fe_df_result_add(L, rows), "column");
  lua_replace(L, i);
}

/* The computed Series at i (its result, *type its dtype), or -1 for a number */
static int arith_operand(lua_State *L, int i, int *type) {
  LSeries *s = luaL_testudata(L, i, SERIES_MT);
  if (!s) {
    if (lua_type(L, i) != LUA_TNUMBER)
      fe_error(L, "a computed Series combines with another of its frame or a number, not %s",
               luaL_typename(L, i));
    *type = lua_isinteger(L, i) ? CDRT_COL_INT64 : CDRT_COL_FLOAT64;
    return -1;
  }
  if (s->expr >= 0)
    fe_error(L, "a computed Series and a column of a frame have different rows: combining them "
                "needs an index join, not supported yet");
  TShape sh = table_result_shape(fe_df_graph(L), s->result);
  if (!sh.series) fe_error(L, "arithmetic on a computed frame: take a column of it first");
  *type = sh.types[0];
  if (*type != CDRT_COL_INT64 && *type != CDRT_COL_FLOAT64 && *type != CDRT_COL_BOOL)
    fe_error(L, "arithmetic on a computed Series of %s is not supported", fe_df_type_label(*type));
  return s->result;
}

static bool logic_op(Op op) {
  return op == OP_AND || op == OP_OR || op == OP_NOT;
}
static bool compare_op(Op op) {
  return op == OP_EQ || op == OP_NE || op == OP_LT || op == OP_LE || op == OP_GT || op == OP_GE;
}

/* The TR_POST result fop of `in` (a computed Series) and other (a computed Series of its
 * rows, or -1: the number num), by the CDRT_ARITH_* code arith, of type rop */
static TResult post_arith(lua_State *L, int fop, int arith, int rop, int in, int other,
                          double num) {
  int *cols = arena_alloc(fe_arena(L), sizeof *cols);
  cols[0] = other;
  return (TResult){.kind = TR_POST,
                   .src = -1,
                   .mask = -1,
                   .rop = rop,
                   .expr = -1,
                   .in = in,
                   .fop = fop,
                   .ncols = 1,
                   .cols = cols,
                   .limit = -1,
                   .arith = arith,
                   .num = num};
}

/* ra op rb of computed Series (or a number: -1) of types ta and tb: a comparison or & |,
 * a Series of bools (& | of two bool Series; a comparison of numbers, or of bools) */
static TResult compare_result(lua_State *L, Op op, int ra, int ta, int rb, int tb) {
  static const int codes[] = {
      [OP_EQ] = CDRT_ARITH_EQ,   [OP_NE] = CDRT_ARITH_NE, [OP_LT] = CDRT_ARITH_LT,
      [OP_LE] = CDRT_ARITH_LE,   [OP_GT] = CDRT_ARITH_GT, [OP_GE] = CDRT_ARITH_GE,
      [OP_AND] = CDRT_ARITH_AND, [OP_OR] = CDRT_ARITH_OR};
  if (logic_op(op) && (ra < 0 || rb < 0 || ta != CDRT_COL_BOOL || tb != CDRT_COL_BOOL))
    fe_error(L, "%s of computed Series needs two Series of bools", op == OP_AND ? "&" : "|");
  if (!logic_op(op) && (ta == CDRT_COL_BOOL) != (tb == CDRT_COL_BOOL) && !(ra < 0 || rb < 0))
    fe_error(L, "comparing a computed Series of bools with one of numbers is not supported");
  int num = ra >= 0 ? 2 : 1, other = ra >= 0 ? rb : -1;
  if (ra < 0 || rb < 0) {
    if (lua_type(L, num) != LUA_TNUMBER)
      fe_error(L, "a computed Series compares with another of its frame or a number, not %s",
               luaL_typename(L, num));
    if (ta == CDRT_COL_BOOL || tb == CDRT_COL_BOOL)
      fe_error(L, "comparing a computed Series of bools with a number is not supported");
  }
  return post_arith(L, FOP_ARITH, codes[op] | (ra < 0 ? CDRT_ARITH_SWAP : 0), CDRT_COL_BOOL,
                    ra >= 0 ? ra : rb, other, other < 0 ? lua_tonumber(L, num) : 0);
}

/* The TR_POST result fop of ra op rb (results of types ta and tb; -1: the Lua number at 1
 * or 2): NumPy's dtype, the other operand in cols[0] (-1: the number num), swapped when
 * the number comes first. An int64 power needs a non-negative integer number exponent. */
static TResult arith_result(lua_State *L, Op op, int ra, int ta, int rb, int tb, int fop) {
  static const int codes[] = {[OP_ADD] = CDRT_ARITH_ADD,
                              [OP_SUB] = CDRT_ARITH_SUB,
                              [OP_MUL] = CDRT_ARITH_MUL,
                              [OP_DIV] = CDRT_ARITH_DIV,
                              [OP_POW] = CDRT_ARITH_POW};
  if (op == OP_POW && ta != CDRT_COL_FLOAT64 && tb != CDRT_COL_FLOAT64 &&
      !(ra >= 0 && rb < 0 && lua_isinteger(L, 2) && lua_tointeger(L, 2) >= 0))
    fe_error(L, "^ of integers: the exponent must be a non-negative integer number, as NumPy "
                "requires (make one side float64 to use others)");
  int type = op == OP_DIV || ta == CDRT_COL_FLOAT64 || tb == CDRT_COL_FLOAT64 ? CDRT_COL_FLOAT64
                                                                              : CDRT_COL_INT64;
  int num = ra >= 0 ? 2 : 1, other = ra >= 0 ? rb : -1;
  TResult q = post_arith(L, fop, codes[op] | (ra < 0 ? CDRT_ARITH_SWAP : 0), type,
                         ra >= 0 ? ra : rb, other, other < 0 ? lua_tonumber(L, num) : 0);
  q.seeded = other < 0 && lua_isinteger(L, num);
  return q;
}

/* A computed Series op a Scalar (either side): as with a number, the Scalar's value taken
 * when the program has made it (vc:ge(vc:mean()), r.v - r.v:mean()) */
static int computed_by_scalar(lua_State *L, Op op, int at) {
  LScalar *sc = luaL_checkudata(L, at, SCALAR_MT);
  int result = sc->result, type = sc->type, series = 3 - at;
  if (op != OP_ADD && op != OP_SUB && op != OP_MUL && op != OP_DIV && op != OP_POW &&
      !compare_op(op))
    fe_error(L, "a computed Series and a Scalar combine with + - * / ^ and comparisons (not %s)",
             op == OP_AND  ? "&"
             : op == OP_OR ? "|"
                           : op_names[op]);
  if (type != CDRT_COL_INT64 && type != CDRT_COL_FLOAT64)
    fe_error(L, "a computed Series combines with a Scalar of numbers, not of %s",
             fe_df_type_label(type));
  lua_pushnumber(L, 0.5); /* a stand-in of the Scalar's type: a float, or an integer */
  if (type == CDRT_COL_INT64) lua_pop(L, 1), lua_pushinteger(L, 1);
  lua_replace(L, at);
  int ts, rs = arith_operand(L, series, &ts);
  bool bools = compare_op(op) || op == OP_AND || op == OP_OR;
  if (!bools && ts == CDRT_COL_BOOL)
    fe_error(L, "arithmetic on a computed Series of bools is not supported");
  if (op == OP_POW && type == CDRT_COL_INT64 && ts == CDRT_COL_INT64)
    fe_error(L, "^ of integers with a Scalar exponent is not supported (make one side float64)");
  int ra = at == 2 ? rs : -1, rb = at == 2 ? -1 : rs, ta = at == 2 ? ts : type,
      tb = at == 2 ? type : ts;
  TResult q = bools ? compare_result(L, op, ra, ta, rb, tb)
                    : arith_result(L, op, ra, ta, rb, tb, FOP_ARITH);
  q.cols[0] = result, q.by_scalar = true, q.num = 0;
  q.name = table_result_shape(fe_df_graph(L), rs).names[0]; /* pandas: the Series' name */
  q.series = true, q.seeded = false;
  return fe_df_push_computed(L, fe_df_result_add(L, q), "arithmetic");
}

/* A computed Series of strings (or a category, as a merge's indicator) eq or ne a string
 * (either side): a Series of bools, a missing value equal to none */
static int computed_str_eq(lua_State *L, Op op, int at) {
  LSeries *s = luaL_testudata(L, 3 - at, SERIES_MT);
  if (!s || s->expr >= 0 || (op != OP_EQ && op != OP_NE)) return -1;
  TShape sh = table_result_shape(fe_df_graph(L), s->result);
  if (!sh.series || sh.types[0] != CDRT_COL_STR)
    fe_error(L, "a computed Series of %s compares with a number, not a string",
             fe_df_type_label(sh.types[0]));
  TResult q = post_arith(L, FOP_ARITH, op == OP_EQ ? CDRT_ARITH_EQ : CDRT_ARITH_NE, CDRT_COL_BOOL,
                         s->result, -1, 0);
  q.str = arena_strdup(fe_arena(L), lua_tostring(L, at));
  q.name = sh.names[0], q.series = true;
  return fe_df_push_computed(L, fe_df_result_add(L, q), "arithmetic");
}

int fe_df_computed_binary(lua_State *L, Op op) {
  if (luaL_testudata(L, 1, SCALAR_MT) || luaL_testudata(L, 2, SCALAR_MT))
    return computed_by_scalar(L, op, luaL_testudata(L, 2, SCALAR_MT) ? 2 : 1);
  for (int at = 1; at <= 2; at++)
    if (lua_type(L, at) == LUA_TSTRING && computed_str_eq(L, op, at) >= 0) return 1;
  bool bools = compare_op(op) || op == OP_AND || op == OP_OR;
  if (op != OP_ADD && op != OP_SUB && op != OP_MUL && op != OP_DIV && op != OP_POW && !bools)
    fe_error(L, "computed Series support + - * / ^, comparisons, & and | (not %s) yet",
             op_names[op]);
  lazy_operand(L, 1, 2), lazy_operand(L, 2, 1);
  int ta, tb, ra = arith_operand(L, 1, &ta), rb = arith_operand(L, 2, &tb);
  Tables *t = fe_df_tables(L);
  if (ra >= 0 && rb >= 0 && !table_same_rows(t, ra, rb))
    fe_error(L, "the two computed Series come from different frames: combining them needs an "
                "index join, not supported yet");
  if (!bools && (ta == CDRT_COL_BOOL || tb == CDRT_COL_BOOL))
    fe_error(L, "arithmetic on a computed Series of bools is not supported");
  TResult q = bools ? compare_result(L, op, ra, ta, rb, tb)
                    : arith_result(L, op, ra, ta, rb, tb, FOP_ARITH);
  const char *na = ra >= 0 ? table_result_shape(fe_df_graph(L), ra).names[0] : NULL;
  const char *nb = rb >= 0 ? table_result_shape(fe_df_graph(L), rb).names[0] : NULL;
  /* pandas' name: the operands' when they agree (a number has none to disagree) */
  q.name = ra < 0 ? nb : rb < 0 ? na : na && nb && strcmp(na, nb) == 0 ? na : NULL;
  q.series = true, q.seeded = false;
  return fe_df_push_computed(L, fe_df_result_add(L, q), "arithmetic");
}

/* ~s of the computed Series of bools at 1 */
int fe_df_computed_not(lua_State *L) {
  int ta, ra = arith_operand(L, 1, &ta);
  if (ra < 0 || ta != CDRT_COL_BOOL) fe_error(L, "~ needs a Series of bools");
  TResult q = post_arith(L, FOP_ARITH, CDRT_ARITH_NOT, CDRT_COL_BOOL, ra, -1, 0);
  q.series = true, q.name = table_result_shape(fe_df_graph(L), ra).names[0];
  return fe_df_push_computed(L, fe_df_result_add(L, q), "~");
}

/* The rows of the computed frame or Series `in` where the computed Series of bools at idx
 * holds (pandas' r[mask], r.loc[mask]): the mask must have in's rows */
static int computed_filter(lua_State *L, int in, int idx, bool series) {
  LSeries *m = luaL_testudata(L, idx, SERIES_MT);
  if (!m || m->expr >= 0)
    fe_error(L,
             "loc: the mask of a computed frame must be a Series of bools made of its own "
             "columns (r.v:gt(0)); %s",
             m ? "a column of a lazy frame has other rows" : "got another value");
  TShape ms = table_result_shape(fe_df_graph(L), m->result);
  if (!ms.series || ms.types[0] != CDRT_COL_BOOL)
    fe_error(L, "loc: the mask must be a Series of bools, got %s",
             ms.series ? fe_df_type_label(ms.types[0]) : "a frame");
  if (!table_same_rows(fe_df_tables(L), in, m->result))
    fe_error(L, "loc: the mask comes from another frame than the one it selects from: "
                "aligning them needs an index join, not supported yet");
  int *cols = arena_alloc(fe_arena(L), sizeof *cols);
  cols[0] = m->result;
  return fe_df_push_computed(L, add_post(L, in, FOP_FILTER, 1, cols, NULL, -1, series), "loc");
}

/* ---- Scalars: df.v:sum() / df.v:count(), computed after the scans ---- */
/* The Scalar (its result) or Lua number at i, *type its dtype */
static int scalar_operand(lua_State *L, int i, int *type) {
  LScalar *sc = luaL_testudata(L, i, SCALAR_MT);
  if (sc) {
    if (sc->type != CDRT_COL_INT64 && sc->type != CDRT_COL_FLOAT64 && !cdrt_col_nat(sc->type))
      fe_error(L,
               "arithmetic on a Scalar of %s is not supported (of numbers, timedeltas and "
               "datetimes)",
               fe_df_type_label(sc->type));
    *type = sc->type;
    return sc->result;
  }
  if (luaL_testudata(L, i, TIMEDELTA_MT)) { /* dd.Timedelta("1h"): its ns, read by the caller */
    *type = CDRT_COL_TIMEDELTA;
    return -1;
  }
  if (luaL_testudata(L, i, FRAME_MT)) fe_error(L, "a Scalar combines with a Series, not a frame");
  if (lua_type(L, i) != LUA_TNUMBER)
    fe_error(L, "a Scalar combines with another or a number, not %s", luaL_typename(L, i));
  if (lua_isinteger(L, i) && llabs(lua_tointeger(L, i)) > (INT64_C(1) << 53))
    fe_error(L, "an integer past 2^53 in a Scalar's arithmetic is not supported");
  *type = lua_isinteger(L, i) ? CDRT_COL_INT64 : CDRT_COL_FLOAT64;
  return -1;
}

/* pandas' Timedelta (Timestamp) arithmetic of Scalars: the type of a op b, a number's type
 * INT64 or FLOAT64, or -1 where pandas raises TypeError */
static int nat_scalar_type(Op op, int ta, int tb) {
  const int DT = CDRT_COL_DATETIME, TD = CDRT_COL_TIMEDELTA;
  bool na = !cdrt_col_nat(ta), nb = !cdrt_col_nat(tb);
  switch (op) {
  case OP_ADD:
    return (ta == DT && tb == TD) || (ta == TD && tb == DT) ? DT : ta == TD && tb == TD ? TD : -1;
  case OP_SUB:
    return ta == DT && tb == DT ? TD : ta == DT && tb == TD ? DT : ta == TD && tb == TD ? TD : -1;
  case OP_MUL: return (ta == TD && nb) || (na && tb == TD) ? TD : -1;
  case OP_DIV: return ta == TD && tb == TD ? CDRT_COL_FLOAT64 : ta == TD && nb ? TD : -1;
  default: return -1;
  }
}

/* a op b with a Timedelta or Timestamp Scalar (or a dd.Timedelta) among them: a Scalar made
 * after the reductions it reads (d:mean() * 2, d:max() - d:min(), t:min() + dd.Timedelta("1h")) */
static int nat_scalar_binary(lua_State *L, Op op, int ra, int ta, int rb, int tb) {
  int type = nat_scalar_type(op, ta, tb);
  if (type < 0)
    fe_error(L,
             "TypeError: unsupported operand types for %s: %s and %s (pandas' Timedelta and "
             "Timestamp arithmetic: Timestamp - Timestamp, Timestamp +/- Timedelta, Timedelta "
             "+/- Timedelta, Timedelta * or / a number, Timedelta / Timedelta)",
             op_names[op], fe_df_type_label(ta), fe_df_type_label(tb));
  int num = ra >= 0 ? 2 : 1; /* the constant's place, where one side is */
  if (ra < 0 && rb < 0) fe_error(L, "a Scalar's arithmetic needs a Scalar");
  if (op == OP_DIV && rb < 0 && lua_type(L, 2) == LUA_TNUMBER && lua_tonumber(L, 2) == 0)
    fe_error(L, "ZeroDivisionError: division of a Timedelta by zero");
  static const int codes[] = {[OP_ADD] = CDRT_ARITH_ADD,
                              [OP_SUB] = CDRT_ARITH_SUB,
                              [OP_MUL] = CDRT_ARITH_MUL,
                              [OP_DIV] = CDRT_ARITH_DIV};
  int other = ra >= 0 ? rb : -1;
  int64_t *ns = other < 0 ? luaL_testudata(L, num, TIMEDELTA_MT) : NULL;
  TResult q = post_arith(L, FOP_SCALAR, codes[op] | (ra < 0 ? CDRT_ARITH_SWAP : 0), type,
                         ra >= 0 ? ra : rb, other, other < 0 && !ns ? lua_tonumber(L, num) : 0);
  q.seeded = !ns && other < 0 && lua_isinteger(L, num);
  if (ns) q.td_num = true, q.step = *ns;
  return fe_df_push_scalar(L, fe_df_result_add(L, q), type, "arithmetic");
}

static int scalar_binary(lua_State *L, Op op) {
  static const char *const events[] = {[OP_ADD] = "__add",
                                       [OP_SUB] = "__sub",
                                       [OP_MUL] = "__mul",
                                       [OP_DIV] = "__div",
                                       [OP_POW] = "__pow"};
  int series = luaL_testudata(L, 1, SERIES_MT) ? 1 : luaL_testudata(L, 2, SERIES_MT) ? 2 : 0;
  if (series) { /* Scalar op Series: the Series' own arithmetic, elementwise */
    luaL_getmetafield(L, series, events[op]);
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 2);
    lua_call(L, 2, 1);
    return 1;
  }
  int ta, tb, ra = scalar_operand(L, 1, &ta), rb = scalar_operand(L, 2, &tb);
  if (cdrt_col_nat(ta) || cdrt_col_nat(tb)) return nat_scalar_binary(L, op, ra, ta, rb, tb);
  TResult q = arith_result(L, op, ra, ta, rb, tb, FOP_SCALAR);
  return fe_df_push_scalar(L, fe_df_result_add(L, q), q.rop, "arithmetic");
}

#define SCALAR_BINARY(NAME, OP)                                                                    \
  static int sc_##NAME(lua_State *L) {                                                             \
    return scalar_binary(L, OP);                                                                   \
  }
SCALAR_BINARY(add, OP_ADD)
SCALAR_BINARY(sub, OP_SUB)
SCALAR_BINARY(mul, OP_MUL)
SCALAR_BINARY(div, OP_DIV)
SCALAR_BINARY(pow, OP_POW)
static int sc_unm(lua_State *L) { /* -x as NumPy's: -0.0 of 0.0, as x * -1 */
  lua_settop(L, 1);
  lua_pushinteger(L, -1);
  return scalar_binary(L, OP_MUL);
}

void fe_df_scalar_arithmetic(lua_State *L, int mt) {
  static const luaL_Reg mm[] = {{"__add", sc_add}, {"__sub", sc_sub}, {"__mul", sc_mul},
                                {"__div", sc_div}, {"__pow", sc_pow}, {"__unm", sc_unm},
                                {NULL, NULL}};
  for (const luaL_Reg *r = mm; r->name; r++)
    lua_pushcfunction(L, r->func), lua_setfield(L, mt, r->name);
}

int fe_df_assign_rows(lua_State *L, const LFrame *f, int n, const char **names, const int *exprs,
                      const int *results) {
  Arena *a = fe_arena(L);
  TResult rows = {.kind = TR_ROWS, .src = f->src, .mask = f->mask, .rop = -1, .expr = -1};
  rows.ncols = f->ncols, rows.cols = f->cols, rows.names = f->names, rows.limit = -1;
  int r = fe_df_result_add(L, rows);
  for (int i = 0; i < n; i++) {
    int v = results[i];
    if (v < 0) { /* a column of the frame, or a constant: collected beside it */
      TResult c = {.kind = TR_ROWS, .src = f->src, .mask = f->mask, .rop = -1, .expr = -1};
      c.ncols = 1, c.limit = -1, c.series = true, c.name = names[i];
      c.cols = arena_alloc(a, sizeof *c.cols), c.cols[0] = exprs[i];
      c.names = arena_alloc(a, sizeof *c.names), c.names[0] = names[i];
      v = fe_df_result_add(L, c);
    }
    TShape vs = table_result_shape(fe_df_graph(L), v);
    if (!vs.series || !table_same_rows(fe_df_tables(L), v, r))
      fe_error(L,
               "assign: the value of '%s' has other rows than the frame (a Series of its "
               "rows: a window operation, a groupby's transform, their arithmetic)",
               names[i]);
    int *col = arena_alloc(a, sizeof *col);
    col[0] = v;
    r = add_post(L, r, FOP_ASSIGN, 1, col, NULL, -1, false);
    fe_df_graph(L)->tables.r[r].name = names[i];
  }
  return fe_df_push_computed(L, r, "assign");
}

/* r:assign{c = s} or r:assign{{"c", s}, ...} of a computed frame r: s a Series of r's rows */
static int fo_assign(lua_State *L) {
  LSeries *f = fe_df_check_series(L, 1);
  TShape sh = table_result_shape(fe_df_graph(L), f->result);
  if (sh.series || sh.scalar) fe_error(L, "assign: a Series has no columns to assign");
  bool ordered;
  int n = fe_df_assign_count(L, 2, &ordered), r = f->result, npop;
  Tables *t = fe_df_tables(L);
  for (int i = 0; i < n; i++) {
    const char *name = fe_df_assign_pair(L, 2, i, ordered, &npop);
    LSeries *s = luaL_testudata(L, -1, SERIES_MT);
    TShape vs = s && s->expr < 0 ? table_result_shape(fe_df_graph(L), s->result) : (TShape){0};
    if (!s || s->expr >= 0 || !vs.series || table_row_root(t, s->result) != table_row_root(t, r))
      fe_error(L,
               "assign: the value of '%s' must be a Series made of this frame's columns "
               "(r.v1 - r.v2)",
               name);
    int *col = arena_alloc(fe_arena(L), sizeof *col);
    col[0] = s->result;
    r = add_post(L, r, FOP_ASSIGN, 1, col, NULL, -1, false);
    fe_df_graph(L)->tables.r[r].name = name;
    t = fe_df_tables(L);
    lua_pop(L, npop);
  }
  return fe_df_push_computed(L, r, "assign");
}

/* s:sum() and the other reductions of a computed Series (m.v1:sum() of a merge): a Scalar */
static int computed_reduce(lua_State *L, int rop, const char *what) {
  LSeries *s = fe_df_check_series(L, 1);
  TShape sh = table_result_shape(fe_df_graph(L), s->result);
  if (!sh.series) fe_error(L, "%s of a computed frame: take a column of it first", what);
  int t = sh.types[0];
  bool order = rop == CDRT_AGG_MIN || rop == CDRT_AGG_MAX;
  if (t == CDRT_COL_STR && !order && rop != CDRT_AGG_COUNT && rop != CDRT_AGG_NUNIQUE)
    fe_error(L, "%s is not supported for a Series of strings (dtype object)", what);
  if (!order && rop != CDRT_AGG_COUNT && rop != CDRT_AGG_NUNIQUE && !fe_df_nat_reduces(t, rop))
    fe_df_datetime_refuse(L, t, what);
  int r = add_post(L, s->result, FOP_AGG, 0, NULL, NULL, -1, false);
  fe_df_graph(L)->tables.r[r].rop = rop;
  return fe_df_push_computed(L, r, what);
}
/* s:head(n):sum() and the others: the reduction of the Series' first rows, collected */
int fe_df_reduce_head(lua_State *L, int rop, const char *what) {
  LSeries *s = fe_df_check_series(L, 1);
  int r = fe_df_rows_of(L, 1);
  LSeries *rows = fe_df_push_series(L, -1, -1, s->name, -1);
  rows->result = r;
  lua_replace(L, 1);
  return computed_reduce(L, rop, what);
}

int fe_df_accumulate(lua_State *L, int rop) {
  TShape s;
  int in = rows_and_shape(L, "accumulate", &s);
  int t = s.types[0];
  if (t != CDRT_COL_INT64 && t != CDRT_COL_FLOAT64 && t != CDRT_COL_BOOL)
    fe_error(L, "accumulate of %s elements is not supported yet (of numbers)",
             t == CDRT_COL_STR ? "string" : "datetime");
  bool seeded = !lua_isnoneornil(L, 2);
  if (t == CDRT_COL_BOOL && (!seeded || rop != CDRT_AGG_SUM))
    fe_error(L, "accumulate of bools: give initial = 0 with a sum (Python's totals of bools keep "
                "the first bool as it is); max and min of bools are not supported yet");
  if (seeded && !lua_isnumber(L, 2)) fe_error(L, "accumulate: initial must be a number");
  int type =
      t == CDRT_COL_FLOAT64 || (seeded && !lua_isinteger(L, 2)) ? CDRT_COL_FLOAT64 : CDRT_COL_INT64;
  int r = add_post(L, in, FOP_CUM, 0, NULL, NULL, -1, true);
  TResult *q = &fe_df_graph(L)->tables.r[r];
  q->rop = rop, q->arith = type, q->seeded = seeded, q->num = seeded ? lua_tonumber(L, 2) : 0;
  return fe_df_push_computed(L, r, "accumulate");
}

#define COMPUTED_REDUCTION(NAME, ROP)                                                              \
  static int cr_##NAME(lua_State *L) {                                                             \
    return computed_reduce(L, ROP, #NAME);                                                         \
  }
COMPUTED_REDUCTION(sum, CDRT_AGG_SUM)
COMPUTED_REDUCTION(mean, CDRT_AGG_MEAN)
COMPUTED_REDUCTION(min, CDRT_AGG_MIN)
COMPUTED_REDUCTION(max, CDRT_AGG_MAX)
COMPUTED_REDUCTION(count, CDRT_AGG_COUNT)
COMPUTED_REDUCTION(std, CDRT_AGG_STD)
COMPUTED_REDUCTION(var, CDRT_AGG_VAR)
COMPUTED_REDUCTION(nunique, CDRT_AGG_NUNIQUE)

int fe_df_computed_method(lua_State *L, const char *key) {
  static const luaL_Reg methods[] = {
      {"assign", fo_assign},   {"sum", cr_sum},     {"mean", cr_mean}, {"min", cr_min},
      {"max", cr_max},         {"count", cr_count}, {"std", cr_std},   {"var", cr_var},
      {"nunique", cr_nunique}, {"loc", fo_loc},     {NULL, NULL}};
  for (const luaL_Reg *m = methods; m->name; m++)
    if (strcmp(m->name, key) == 0) return lua_pushcfunction(L, m->func), 1;
  return 0;
}

int fe_df_frame_op(lua_State *L, const char *key) {
  for (const luaL_Reg *r = frame_ops; r->name; r++)
    if (strcmp(r->name, key) == 0) return lua_pushcfunction(L, r->func), 1;
  return 0;
}

/* A computed frame's column (a Series) or columns (a frame), or its head */
/* x.index: the index of the frame or Series at idx, as a Series of its labels marked as an
 * index (pandas' x.index; :to_series() is the plain Series, labelled by the same index). A
 * from_arrays frame's labels are an expression of its scan (the row's date or number), so
 * they filter and aggregate in it; any other's are taken from its rows once they are made
 * (a file's rows: their numbers in the file; no column of them is collected). */
int fe_df_push_index(lua_State *L, int idx) {
  /* (refused in map_partitions' function too: Dask's read_csv numbers each partition's rows
   * from 0, cdask the file's) */
  fe_df_refuse_traced(L, "the index (the rows' labels)", false);
  LFrame *f = luaL_testudata(L, idx, FRAME_MT);
  LSeries *s = f ? NULL : fe_df_check_series(L, idx);
  int in;
  if (f || s->expr >= 0) {
    int src = f ? f->src : s->src, mask = f ? f->mask : s->mask;
    int64_t limit = f ? f->limit : s->limit;
    const TSource *so = &fe_df_tables(L)->src[src];
    if (so->arrays) {
      int type = so->index_step ? CDRT_COL_DATETIME : CDRT_COL_INT64;
      int x =
          fe_df_add_expr(L, (TExpr){.kind = TX_INDEX, .type = type, .src = src, .a = -1, .b = -1});
      LSeries *r = fe_df_push_series(L, src, x, so->index_name, mask);
      r->limit = limit, r->index = 1;
      return 1;
    }
    in = fe_df_result_add(L, (TResult){.kind = TR_ROWS,
                                       .rop = -1,
                                       .expr = -1,
                                       .src = src,
                                       .mask = mask,
                                       .limit = limit,
                                       .cols = arena_alloc(fe_arena(L), sizeof(int)),
                                       .names = arena_alloc(fe_arena(L), sizeof(char *))});
  } else {
    in = s->result;
  }
  TShape sh = table_result_shape(fe_df_graph(L), in);
  if (sh.scalar) fe_error(L, "a Scalar has no index");
  if (sh.nlev > 1)
    fe_error(L,
             "the index is a MultiIndex of %d levels; take its levels as columns with "
             "reset_index()",
             sh.nlev);
  int *col = arena_alloc(fe_arena(L), sizeof *col);
  col[0] = -1;
  fe_df_push_computed(L, add_post(L, in, FOP_SELECT, 1, col, NULL, -1, true), "index");
  ((LSeries *)lua_touserdata(L, -1))->index = 1;
  return 1;
}

/* ix:to_series(): the Series of an index's labels, labelled by them (pandas'
 * Index.to_series()). x.index is already labelled by itself; one computed from it is
 * labelled by its own values (df.index.hour:to_series()'s labels are the hours). */
int fe_df_index_to_series(lua_State *L) {
  LSeries *s = fe_df_check_series(L, 1);
  if (s->index == 1) {
    LSeries *c = lua_newuserdatauv(L, sizeof *c, 0);
    *c = *s, c->index = 0;
    luaL_setmetatable(L, SERIES_MT);
    return 1;
  }
  int *col = arena_alloc(fe_arena(L), sizeof *col);
  col[0] = 0;
  int r = add_post(L, fe_df_rows_of(L, 1), FOP_SET_INDEX, 1, col, NULL, -1, false);
  return fe_df_push_computed(L, add_post(L, r, FOP_SELECT, 1, col, NULL, -1, true), "to_series");
}

int fe_df_computed_index(lua_State *L, int result) {
  if (lua_type(L, 2) == LUA_TSTRING && strcmp(lua_tostring(L, 2), "head") == 0)
    return lua_pushcfunction(L, fo_head), 1;
  if (lua_type(L, 2) == LUA_TSTRING && strcmp(lua_tostring(L, 2), "index") == 0)
    return fe_df_push_index(L, 1);
  TShape s = table_result_shape(fe_df_graph(L), result);
  if (luaL_testudata(L, 2, SERIES_MT)) return computed_filter(L, result, 2, s.series); /* r[m] */
  if (s.multi && !(lua_type(L, 2) == LUA_TSTRING && strcmp(lua_tostring(L, 2), "compute") == 0))
    fe_error(L, "a frame with MultiIndex columns (agg{v = {\"median\", \"std\"}}) can be printed, "
                "written or cut with head; its other operations are not supported yet");
  if (s.series || s.scalar) return 0;
  int *cols;
  if (lua_type(L, 2) == LUA_TSTRING) {
    const char *name = lua_tostring(L, 2);
    int k = 0;
    while (k < s.ncols && !(s.names[k] && strcmp(s.names[k], name) == 0)) k++;
    if (k == s.ncols) return 0;
    cols = arena_alloc(fe_arena(L), sizeof *cols), cols[0] = k;
    return fe_df_push_computed(L, add_post(L, result, FOP_SELECT, 1, cols, NULL, -1, true),
                               "a column");
  }
  if (!lua_istable(L, 2)) return 0;
  int n = column_refs(L, 2, &s, "selecting columns", &cols);
  for (int k = 0; k < n; k++)
    if (cols[k] < 0) fe_error(L, "selecting columns: '%s' is the index", s.lnames[-cols[k] - 1]);
  return fe_df_push_computed(L, add_post(L, result, FOP_SELECT, n, cols, NULL, -1, false),
                             "a column");
}
