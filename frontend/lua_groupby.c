/* lua_groupby.c: df:groupby(keys, {sort, dropna, as_index}) (pandas' defaults: sorted
 * groups, rows with a missing key dropped, the keys as the index), its column selection
 * (g.v1, g["v1"], g[{"v1", "v2"}]) and aggregations (agg{v1 = "sum"}, sum, mean, min,
 * max, count, size, std, var, first, last, median, nunique, corr): a TR_GROUPBY result,
 * computed in the scan of the frame's source (median and nunique of numbers keep each
 * group's values there, corr its co-moments), or, when median or nunique needs a group's
 * strings or bools, a groupby by sorting the collected rows (TR_POST's FOP_GROUPBY), as is
 * every groupby of a computed frame (a result: its columns and index levels are
 * references); g:head(n) is a FOP_GB_HEAD over the frame's rows, g:cumsum() and the other
 * row-wise window operations a grouped FOP_WINDOW over them. Without columns, sum,
 * mean, std, var and median take the numeric columns that are no key (pandas'
 * numeric_only = True); the others take every column that is no key. */
#include "frontend.h"

#include <stdlib.h>
#include <string.h>

#define GROUPBY_MT "cdask.dataframe.GroupBy"

typedef struct {
  LFrame f;  /* the frame grouped; of a computed frame, cols are references into its result
              * (a column k >= 0, an index level -k - 1) */
  int in;    /* the computed frame's result, or -1 */
  TShape sh; /* its shape */
  int nkeys;
  int *keys;
  const char **knames;
  bool sort, dropna, as_index;
  bool observed; /* only the categories seen (else every one: pandas 1's default) */
  int ncols;     /* the columns selected (-1: every column that is no key) */
  int *cols;
  const char **names;
  bool series;      /* one column selected by name (g.v1): the result is a Series */
  bool *by_series;  /* per key: given as a Series of the frame (df.ts.dt.hour), not a name */
  int64_t bins;     /* resample's: every bin of this many ns from the first to the last */
  const char *freq; /* ... and pandas' freqstr of it ("H") */
  bool has_q;       /* g:quantile(q) is being made: its q (agg's "quantile": 0.5) */
  double q;
} LGroupBy;

static void check_categories(lua_State *L, const LGroupBy *g);

static const struct {
  const char *name;
  int what;
} aggs[] = {
    {"sum", CDRT_AGG_SUM},          {"mean", CDRT_AGG_MEAN},     {"min", CDRT_AGG_MIN},
    {"max", CDRT_AGG_MAX},          {"count", CDRT_AGG_COUNT},   {"size", CDRT_AGG_SIZE},
    {"std", CDRT_AGG_STD},          {"var", CDRT_AGG_VAR},       {"first", CDRT_AGG_FIRST},
    {"last", CDRT_AGG_LAST},        {"median", CDRT_AGG_MEDIAN}, {"nunique", CDRT_AGG_NUNIQUE},
    {"quantile", CDRT_AGG_QUANTILE}};

static int agg_by_name(lua_State *L, const char *name) {
  for (size_t i = 0; i < sizeof aggs / sizeof *aggs; i++)
    if (strcmp(aggs[i].name, name) == 0) return aggs[i].what;
  return fe_error(L,
                  "groupby: unknown aggregation '%s' (sum, mean, min, max, count, size, std, var, "
                  "first, last, median, nunique, quantile)",
                  name);
}

static LGroupBy *check_groupby(lua_State *L, int i) {
  return luaL_checkudata(L, i, GROUPBY_MT);
}

static int frame_col(const LFrame *f, const char *name) {
  for (int k = 0; k < f->ncols; k++)
    if (strcmp(f->names[k], name) == 0) return k;
  return -1;
}

static bool is_key(const LGroupBy *g, const char *name) {
  for (int k = 0; k < g->nkeys; k++)
    if (!g->by_series[k] && g->knames[k] && strcmp(g->knames[k], name) == 0) return true;
  return false;
}

/* Column x named name is a key, and not aggregated: a key named so, or a key Series that
 * is that column itself (pandas keeps df.k * 2's column k, and drops df.k's) */
static bool key_column(const LGroupBy *g, const char *name, int x) {
  for (int k = 0; k < g->nkeys; k++)
    if (g->knames[k] && strcmp(g->knames[k], name) == 0 && (!g->by_series[k] || g->keys[k] == x))
      return true;
  return false;
}

/* A column of the frame by name, or an error naming the frame's columns */
static int col_named(lua_State *L, const LFrame *f, const char *name) {
  int k = frame_col(f, name);
  if (k < 0)
    fe_error(L, "KeyError: '%s' (the frame's columns: %s)", name,
             fe_df_name_list(L, (const char *const *)f->names, f->ncols));
  return k;
}

/* The type of column c of g's frame (an expression, or a reference into a computed one) */
static int col_type(lua_State *L, const LGroupBy *g, int c) {
  if (g->in < 0) return fe_df_tables(L)->x[c].type;
  return c >= 0 ? g->sh.types[c] : g->sh.ltypes[-c - 1];
}

/* Column k of those the groupby takes (its selection, or every column of the frame): *x its
 * expression or reference, *name, *type; false where it is left out, as pandas leaves it
 * without a selection: a key, or a string or datetime column where numeric */
static bool taken_column(lua_State *L, const LGroupBy *g, int k, bool numeric, int *x,
                         const char **name, int *type) {
  *x = g->ncols >= 0 ? g->cols[k] : g->f.cols[k];
  *name = g->ncols >= 0 ? g->names[k] : g->f.names[k];
  *type = col_type(L, g, *x);
  return g->ncols >= 0 || !(key_column(g, *name, *x) ||
                            (numeric && (*type == CDRT_COL_STR || *type == CDRT_COL_DATETIME)));
}

/* A computed frame (the result of the Series at idx) as a frame of references */
static LFrame computed_frame(lua_State *L, int r, TShape *sh) {
  *sh = table_result_shape(fe_df_graph(L), r);
  if (sh->scalar) fe_error(L, "groupby: a scalar has no rows to group");
  LFrame f = {.src = -1, .ncols = sh->ncols, .names = sh->names, .mask = -1, .limit = -1};
  f.cols = arena_alloc(fe_arena(L), (size_t)(sh->ncols + 1) * sizeof *f.cols);
  for (int k = 0; k < sh->ncols; k++) f.cols[k] = k;
  return f;
}

int fe_df_groupby(lua_State *L) {
  LSeries *cs = luaL_testudata(L, 1, SERIES_MT);
  TShape sh = {0};
  LFrame cf;
  if (cs && cs->expr < 0) cf = computed_frame(L, cs->result, &sh);
  LFrame *f = cs && cs->expr < 0 ? &cf : fe_df_check_frame(L, 1);
  if (f->limit >= 0) fe_error(L, "groupby after head is not supported yet");
  Arena *a = fe_arena(L);
  int opts = fe_named_options(L, 3, "groupby", "sort dropna as_index observed");
  lua_settop(L, 3);
  int n = lua_istable(L, 2) ? (int)luaL_len(L, 2) : 1;
  if (n < 1 || n > CDRT_GB_MAXKEYS)
    fe_error(L, "groupby: give 1 to %d key columns, got %d", CDRT_GB_MAXKEYS, n);
  LGroupBy *g = lua_newuserdatauv(L, sizeof *g, 0);
  memset(g, 0, sizeof *g);
  luaL_setmetatable(L, GROUPBY_MT);
  g->f = *f, g->sh = sh;
  g->in = cs && cs->expr < 0 ? cs->result : -1;
  g->keys = arena_alloc(a, (size_t)n * sizeof *g->keys);
  g->knames = arena_alloc(a, (size_t)n * sizeof *g->knames);
  g->by_series = arena_alloc(a, (size_t)n * sizeof *g->by_series);
  for (int i = 1; i <= n; i++) {
    if (lua_istable(L, 2))
      lua_geti(L, 2, i);
    else
      lua_pushvalue(L, 2);
    LSeries *ks = luaL_testudata(L, -1, SERIES_MT);
    if (ks) { /* a Series of the frame's rows: its values are the key, its name the level's */
      if (g->in >= 0 || ks->expr < 0 || ks->src != f->src || ks->mask != f->mask || ks->limit >= 0)
        fe_error(L, "groupby: a key Series must be made of the grouped frame's columns (of a "
                    "frame read from a file, with its filter)");
      if (!ks->name)
        fe_error(L, "groupby: the key Series has no name (pandas' None): assign it as a column "
                    "and group by its name");
      g->by_series[g->nkeys] = true;
      g->keys[g->nkeys] = ks->expr, g->knames[g->nkeys++] = arena_strdup(a, ks->name);
      lua_pop(L, 1);
      continue;
    }
    if (lua_type(L, -1) != LUA_TSTRING)
      fe_error(L, "groupby: the keys must be column names or Series of the frame");
    const char *name = arena_strdup(a, lua_tostring(L, -1));
    int lev = -1; /* a computed frame's index level by its name, as pandas' by */
    for (int j = 0; g->in >= 0 && frame_col(f, name) < 0 && j < sh.nlev; j++)
      if (sh.lnames[j] && strcmp(sh.lnames[j], name) == 0) lev = j;
    int k = lev >= 0 ? -1 : col_named(L, f, name);
    lua_pop(L, 1);
    if (is_key(g, name)) fe_error(L, "groupby: key '%s' given twice", name);
    g->by_series[g->nkeys] = false;
    g->keys[g->nkeys] = lev >= 0 ? -lev - 1 : f->cols[k], g->knames[g->nkeys++] = name;
  }
  g->sort = g->dropna = g->as_index = true;
  g->ncols = -1;
  static const char *const flags[] = {"sort", "dropna", "as_index", "observed"};
  bool *dst[] = {&g->sort, &g->dropna, &g->as_index, &g->observed};
  for (int i = 0; opts && i < 4; i++) {
    lua_getfield(L, opts, flags[i]);
    if (!lua_isnil(L, -1)) {
      if (!lua_isboolean(L, -1)) fe_error(L, "groupby: %s must be a boolean", flags[i]);
      *dst[i] = lua_toboolean(L, -1);
    }
    lua_pop(L, 1);
  }
  check_categories(L, g);
  return 1;
}

/* The lazy frame a set_index made (the rows of a frame sorted by a column, which became the
 * index): its frame into *f and the index's column into *t and *name; false if r is not one */
static bool set_index_frame(lua_State *L, int r, LFrame *f, int *t, const char **name) {
  const Tables *tb = fe_df_tables(L);
  const TResult *si = &tb->r[r];
  if (si->kind != TR_POST || si->fop != FOP_SET_INDEX || !si->drop) return false;
  const TResult *so = &tb->r[si->in], *rows = &tb->r[so->in];
  if (so->kind != TR_POST || so->fop != FOP_SORT || rows->kind != TR_ROWS || rows->limit >= 0 ||
      rows->join)
    return false;
  int c = si->cols[0];
  Arena *a = fe_arena(L);
  *f = (LFrame){.src = rows->src, .mask = rows->mask, .limit = -1};
  f->cols = arena_alloc(a, (size_t)rows->ncols * sizeof *f->cols);
  f->names = arena_alloc(a, (size_t)rows->ncols * sizeof *f->names);
  for (int k = 0; k < rows->ncols; k++)
    if (k != c) f->cols[f->ncols] = rows->cols[k], f->names[f->ncols++] = rows->names[k];
  *t = rows->cols[c], *name = rows->names[c];
  return true;
}

/* The earliest timestamp of the datetime expression t over f's rows: a constant for a
 * date_range index, else the Scalar of its min (so the rows are binned in a second scan of
 * the file, table_phases.c) */
static int earliest(lua_State *L, const LFrame *f, int t) {
  const Tables *tb = fe_df_tables(L);
  const TSource *src = &tb->src[f->src];
  if (tb->x[t].kind == TX_INDEX && f->mask < 0) {
    int64_t last = src->nrows ? src->index_start + (src->nrows - 1) * src->index_step : 0;
    return fe_df_add_expr(L, (TExpr){.kind = TX_CONST,
                                     .type = CDRT_COL_INT64,
                                     .i = src->index_step < 0 ? last : src->index_start,
                                     .a = -1,
                                     .b = -1});
  }
  int r = fe_df_result_add(L, (TResult){.kind = TR_AGG,
                                        .src = f->src,
                                        .mask = f->mask,
                                        .rop = CDRT_AGG_MIN,
                                        .expr = t,
                                        .limit = -1});
  return fe_df_add_expr(
      L,
      (TExpr){
          .kind = TX_SCALAR, .type = CDRT_COL_DATETIME, .src = f->src, .i = r, .a = -1, .b = -1});
}

/* df:resample(freq [, {on = col}]): a groupby by the datetime column on (or the index
 * set_index made of one, or a from_arrays frame's DatetimeIndex) floored to freq, whose
 * result has a row for every bin from the first to the last, as pandas' resample: the bins
 * no row fell in have 0 for sum, count, size and nunique, NaN for the others */
int fe_df_resample(lua_State *L) {
  LSeries *cs = luaL_testudata(L, 1, SERIES_MT);
  LFrame f = {0};
  int t = -1;
  const char *name = NULL;
  int opts = fe_options(L, 3);
  const char *on = NULL;
  if (opts) {
    lua_getfield(L, opts, "on");
    if (!lua_isnil(L, -1)) on = fe_check_string(L, -1, "resample: on", true);
    lua_pop(L, 1);
  }
  if (cs && cs->expr < 0) {
    if (on || !set_index_frame(L, cs->result, &f, &t, &name))
      fe_error(L, "resample of a computed frame: only of one set_index made of a frame's "
                  "datetime column (df:set_index(\"ts\"):resample(\"1H\")), or give the column: "
                  "df:resample(\"1H\", {on = \"ts\"})");
  } else {
    f = *fe_df_check_frame(L, 1);
    if (f.limit >= 0) fe_error(L, "resample after head is not supported yet");
    const TSource *src = &fe_df_tables(L)->src[f.src];
    if (on) {
      int k = col_named(L, &f, on);
      t = f.cols[k], name = f.names[k];
    } else if (src->arrays && src->index_step) {
      t = fe_df_add_expr(
          L, (TExpr){.kind = TX_INDEX, .type = CDRT_COL_DATETIME, .src = f.src, .a = -1, .b = -1});
      name = src->index_name;
    } else {
      fe_error(L, "resample: the frame has no DatetimeIndex; give the column: "
                  "df:resample(\"1H\", {on = \"ts\"}), or df:set_index(\"ts\") first");
    }
  }
  if (fe_df_tables(L)->x[t].type != CDRT_COL_DATETIME)
    fe_error(L, "resample: '%s' is of %s, not datetime64", name ? name : "the index",
             fe_df_type_label(fe_df_tables(L)->x[t].type));
  const char *freqstr;
  int64_t step =
      fe_df_parse_freq(L, fe_check_string(L, 2, "resample: freq", true), &freqstr, "resample");
  /* a step that divides a day bins from any midnight, as pandas' origin "start_day"; any
   * other step needs the day of the earliest timestamp */
  bool divides = (86400 * INT64_C(1000000000)) % step == 0;
  int key = fe_df_add_expr(L, (TExpr){.kind = TX_MATH,
                                      .type = CDRT_COL_DATETIME,
                                      .strfn = divides ? TM_DT_FLOOR : TM_DT_BIN,
                                      .a = t,
                                      .b = divides ? -1 : earliest(L, &f, t),
                                      .i = step});
  Arena *a = fe_arena(L);
  LGroupBy *g = lua_newuserdatauv(L, sizeof *g, 0);
  memset(g, 0, sizeof *g);
  luaL_setmetatable(L, GROUPBY_MT);
  g->f = f, g->in = -1, g->nkeys = 1;
  g->keys = arena_alloc(a, sizeof *g->keys), g->knames = arena_alloc(a, sizeof *g->knames);
  g->by_series = arena_alloc(a, sizeof *g->by_series);
  g->keys[0] = key, g->knames[0] = name, g->by_series[0] = false; /* on: not aggregated */
  g->sort = g->dropna = g->as_index = g->observed = true;
  g->ncols = -1, g->bins = step, g->freq = freqstr;
  return 1;
}

/* Keys of pandas' category dtype: unless observed, the result has a row for every category
 * (the product of the keys' levels for several), in the categories' order */
static void check_categories(lua_State *L, const LGroupBy *g) {
  int ncat = 0;
  const char *name = NULL;
  for (int k = 0; k < g->nkeys; k++) {
    int c = g->keys[k];
    bool cat = g->in >= 0 ? c >= 0 && g->sh.cats && g->sh.cats[c] : fe_df_tables(L)->x[c].cats;
    if (cat) ncat++, name = g->knames[k];
  }
  if (!ncat || g->observed) return;
  if (ncat < g->nkeys)
    fe_error(L,
             "groupby: key '%s' is a category and another key is not: every category "
             "(observed = false) with other keys is not supported yet (pass observed = true)",
             name);
  if (!g->sort)
    fe_error(L,
             "groupby: key '%s' is a category: sort = false with every category (observed "
             "= false) is not supported yet (pass observed = true)",
             name);
  if (!g->dropna)
    fe_error(L,
             "groupby: key '%s' is a category: dropna = false with every category "
             "(observed = false) is not supported yet (pass observed = true)",
             name);
}

/* The selection of g as a new GroupBy: the columns named by the value at idx */
static int select_columns(lua_State *L, LGroupBy *g, int idx) {
  Arena *a = fe_arena(L);
  bool one = lua_type(L, idx) == LUA_TSTRING;
  int n = one ? 1 : (int)luaL_len(L, idx);
  LGroupBy *h = lua_newuserdatauv(L, sizeof *h, 0);
  *h = *g;
  luaL_setmetatable(L, GROUPBY_MT);
  h->cols = arena_alloc(a, (size_t)(n + 1) * sizeof *h->cols);
  h->names = arena_alloc(a, (size_t)(n + 1) * sizeof *h->names);
  h->ncols = 0, h->series = one;
  for (int i = 1; i <= n; i++) {
    if (one)
      lua_pushvalue(L, idx);
    else
      lua_geti(L, idx, i);
    const char *name = lua_tostring(L, -1);
    if (!name) fe_error(L, "groupby: select columns by name");
    int k = col_named(L, &g->f, name);
    lua_pop(L, 1);
    h->cols[h->ncols] = g->f.cols[k], h->names[h->ncols++] = g->f.names[k];
  }
  return 1;
}

static const char *agg_name(int what) {
  for (size_t i = 0; i < sizeof aggs / sizeof *aggs; i++)
    if (aggs[i].what == what) return aggs[i].name;
  return "?";
}

static bool numeric_what(int what) {
  return what == CDRT_AGG_SUM || what == CDRT_AGG_MEAN || what == CDRT_AGG_STD ||
         what == CDRT_AGG_VAR || what == CDRT_AGG_MEDIAN || what == CDRT_AGG_CORR ||
         what == CDRT_AGG_QUANTILE;
}

/* The scan's table computes each aggregation of the frame's rows: median and nunique keep
 * each group's values (8 bytes each: numbers, not strings), corr its co-moments */
static bool in_scan(lua_State *L, const LGroupBy *g, int n, const int *cols, const int *what) {
  for (int k = 0; k < n; k++) {
    int type = cols[k] >= 0 ? col_type(L, g, cols[k]) : CDRT_COL_INT64;
    bool number = type == CDRT_COL_INT64 || type == CDRT_COL_FLOAT64;
    if (what[k] == CDRT_AGG_MEDIAN && !number) return false;
    if (what[k] == CDRT_AGG_QUANTILE) return false; /* (by sorting: pandas' group_quantile) */
    if (what[k] == CDRT_AGG_NUNIQUE && !number && type != CDRT_COL_DATETIME) return false;
  }
  return true;
}

/* The result: aggregations what[k] of columns cols[k] (-1: rows), named names[k]; other: the
 * column corr pairs them with (-1: none) */
static int push_result(lua_State *L, LGroupBy *g, int n, int *cols, const char **names, int *what,
                       bool series, const char **subs, int other) {
  for (int k = 0; k < n; k++) {
    int type = what[k] == CDRT_AGG_SIZE ? CDRT_COL_INT64 : col_type(L, g, cols[k]);
    if (type == CDRT_COL_STR && numeric_what(what[k]))
      fe_error(L, "groupby: %s of the strings of column '%s' is not supported", agg_name(what[k]),
               names[k] ? names[k] : "?");
    if (cdrt_col_nat(type) && (what[k] == CDRT_AGG_STD || what[k] == CDRT_AGG_VAR))
      fe_error(L,
               "groupby %s of column '%s' (%s): pandas 1.5 raises TypeError: Cannot cast %s "
               "to dtype float64 (take the column's .dt:total_seconds() first)",
               agg_name(what[k]), names[k] ? names[k] : "?", fe_df_type_label(type),
               type == CDRT_COL_DATETIME ? "DatetimeArray" : "TimedeltaArray");
    /* timedeltas' sum, mean, median and quantile; datetimes' mean, median and quantile */
    if (cdrt_col_nat(type) && numeric_what(what[k]) && !fe_df_nat_reduces(type, what[k]) &&
        what[k] != CDRT_AGG_MEDIAN && what[k] != CDRT_AGG_QUANTILE)
      fe_df_datetime_refuse(L, type, arena_printf(fe_arena(L), "groupby %s", agg_name(what[k])));
  }
  TResult r = {.kind = TR_GROUPBY,
               .src = g->f.src,
               .mask = g->f.mask,
               .rop = -1,
               .expr = -1,
               .ncols = n,
               .cols = cols,
               .names = names,
               .limit = -1,
               .series = series && g->as_index,
               .nkeys = g->nkeys,
               .keys = g->keys,
               .knames = g->knames,
               .what = what,
               .sort = g->sort,
               .as_index = g->as_index,
               .dropna = g->dropna,
               .observed = g->observed,
               .subs = subs};
  for (int k = 0; k < n; k++)
    if (what[k] == CDRT_AGG_QUANTILE) { /* each quantile's q (pandas' agg: 0.5) */
      if (g->bins) fe_error(L, "resample: quantile is not supported yet");
      if (!r.qs) r.qs = arena_alloc(fe_arena(L), (size_t)n * sizeof *r.qs);
      ((double *)r.qs)[k] = g->has_q ? g->q : 0.5;
    }
  bool timed = false; /* resample's first and last: of a bin's rows in time order */
  for (int k = 0; k < n; k++)
    timed |= g->bins && (what[k] == CDRT_AGG_FIRST || what[k] == CDRT_AGG_LAST);
  if (g->bins && other >= 0) fe_error(L, "resample: corr is not supported");
  bool values = g->in >= 0 || timed || !in_scan(L, g, n, cols, what); /* by sorting */
  int extra = other >= 0; /* corr's other column goes last */
  if (!values) r.expr = other;
  int res;
  if (g->in >= 0) { /* the keys' columns, then the aggregated ones, of the computed frame */
    Arena *a = fe_arena(L);
    int *refs = arena_alloc(a, (size_t)(g->nkeys + n + extra) * sizeof *refs);
    for (int k = 0; k < g->nkeys; k++) refs[k] = g->keys[k];
    for (int k = 0; k < n; k++) /* size counts rows: any column serves */
      refs[g->nkeys + k] = what[k] == CDRT_AGG_SIZE ? g->keys[0] : cols[k];
    if (extra) refs[g->nkeys + n] = other;
    TResult sel = {.kind = TR_POST, .src = -1, .mask = -1, .rop = -1, .expr = -1, .in = g->in};
    sel.fop = FOP_SELECT, sel.ncols = g->nkeys + n + extra, sel.cols = refs, sel.limit = -1;
    r.kind = TR_POST, r.fop = FOP_GROUPBY, r.in = fe_df_result_add(L, sel);
    r.src = -1, r.mask = -1;
  } else if (values) {
    Arena *a = fe_arena(L);
    TResult rows = {.kind = TR_ROWS, .src = g->f.src, .mask = g->f.mask, .rop = -1, .expr = -1};
    rows.ncols = g->nkeys + n + extra + timed, rows.limit = -1;
    rows.cols = arena_alloc(a, (size_t)rows.ncols * sizeof *rows.cols);
    rows.names = arena_alloc(a, (size_t)rows.ncols * sizeof *rows.names);
    for (int k = 0; k < g->nkeys; k++) rows.cols[k] = g->keys[k], rows.names[k] = g->knames[k];
    for (int k = 0; k < n; k++) /* size counts rows: any column serves */
      rows.cols[g->nkeys + k] = cols[k] >= 0 ? cols[k] : g->keys[0],
                           rows.names[g->nkeys + k] = names[k];
    if (extra) rows.cols[g->nkeys + n] = other, rows.names[g->nkeys + n] = NULL;
    int in = rows.ncols - 1; /* timed: the timestamps, last; the rows stably sorted by them,
                              * as pandas' resample sorts an unsorted index (mergesort) */
    if (timed) rows.cols[in] = fe_df_tables(L)->x[g->keys[0]].a, rows.names[in] = NULL;
    r.kind = TR_POST, r.fop = FOP_GROUPBY, r.in = fe_df_result_add(L, rows);
    r.src = -1, r.mask = -1;
    if (timed) {
      int *by = arena_alloc(a, sizeof *by);
      unsigned char *asc = arena_alloc(a, 1);
      by[0] = in, asc[0] = 1;
      TResult so = {.kind = TR_POST, .src = -1, .mask = -1, .rop = -1, .expr = -1, .in = r.in};
      so.fop = FOP_SORT, so.ncols = 1, so.cols = by, so.asc = asc, so.limit = -1;
      r.in = fe_df_result_add(L, so);
    }
  }
  res = fe_df_result_add(L, r);
  if (g->bins) { /* resample: the bins no row fell in, added */
    for (int k = 0; k < n; k++)
      if (what[k] != CDRT_AGG_SIZE && !table_bins_zero(what[k]) &&
          col_type(L, g, cols[k]) == CDRT_COL_BOOL)
        fe_error(L, "resample: %s of bools is not supported (an empty bin would make it object)",
                 agg_name(what[k]));
    TResult b = {.kind = TR_POST, .src = -1, .mask = -1, .rop = -1, .expr = -1, .in = res};
    b.fop = FOP_BINS, b.ncols = n, b.what = what, b.limit = -1, b.series = r.series;
    b.step = g->bins, b.freq = g->freq;
    res = fe_df_result_add(L, b);
  }
  LSeries *s = fe_df_push_series(L, g->f.src, -1, n == 1 ? names[0] : NULL, -1);
  s->result = res;
  return 1;
}

/* g:sum() and the others: every selected column (or the default ones) */
static int aggregate_all(lua_State *L, int what) {
  LGroupBy *g = check_groupby(L, 1);
  if (!lua_isnoneornil(L, 2)) { /* g:sum("v1") or g:sum({"v1", "v2"}) */
    select_columns(L, g, 2);
    lua_replace(L, 1);
    lua_settop(L, 1);
    g = check_groupby(L, 1);
  }
  Arena *a = fe_arena(L);
  if (what == CDRT_AGG_SIZE) { /* the rows of each group: a Series (or a column "size") */
    int *cols = arena_alloc(a, sizeof *cols), *w = arena_alloc(a, sizeof *w);
    const char **names = arena_alloc(a, sizeof *names);
    /* pandas: g.v:size() is named v (a frame's size, or as_index = false's column: size) */
    cols[0] = -1, w[0] = what;
    names[0] = !g->as_index ? "size" : g->series && g->ncols == 1 ? g->names[0] : NULL;
    return push_result(L, g, 1, cols, names, w, true, NULL, -1);
  }
  int n = g->ncols >= 0 ? g->ncols : g->f.ncols;
  int *cols = arena_alloc(a, (size_t)(n + 1) * sizeof *cols);
  int *w = arena_alloc(a, (size_t)(n + 1) * sizeof *w);
  const char **names = arena_alloc(a, (size_t)(n + 1) * sizeof *names);
  int m = 0;
  for (int k = 0; k < n; k++) {
    int x, type;
    const char *name;
    if (!taken_column(L, g, k, numeric_what(what), &x, &name, &type)) continue;
    cols[m] = x, names[m] = name, w[m++] = what;
  }
  return push_result(L, g, m, cols, names, w, g->series, NULL, -1);
}

#define GB_AGG(NAME, WHAT)                                                                         \
  static int gb_##NAME(lua_State *L) {                                                             \
    return aggregate_all(L, WHAT);                                                                 \
  }
GB_AGG(sum, CDRT_AGG_SUM)
GB_AGG(mean, CDRT_AGG_MEAN)
GB_AGG(min, CDRT_AGG_MIN)
GB_AGG(max, CDRT_AGG_MAX)
GB_AGG(count, CDRT_AGG_COUNT)
GB_AGG(size, CDRT_AGG_SIZE)
GB_AGG(std, CDRT_AGG_STD)
GB_AGG(var, CDRT_AGG_VAR)
GB_AGG(first, CDRT_AGG_FIRST)
GB_AGG(last, CDRT_AGG_LAST)
GB_AGG(median, CDRT_AGG_MEDIAN)
GB_AGG(nunique, CDRT_AGG_NUNIQUE)

/* g:quantile(q) (default 0.5): pandas' groupby quantile, "linear", of each group's present
 * values; one q (a list of them is not supported yet) */
static int gb_quantile(lua_State *L) {
  LGroupBy *g = check_groupby(L, 1);
  if (lua_istable(L, 2))
    fe_error(L, "groupby quantile of a list of q's is not supported yet (one q a call)");
  double q = lua_isnoneornil(L, 2) ? 0.5 : fe_check_number(L, 2, "groupby quantile: q");
  if (!(q >= 0 && q <= 1))
    fe_error(L, "groupby quantile: ValueError: Each 'q' must be between 0 and 1. Got '%g' instead",
             q);
  lua_settop(L, 1);
  g->has_q = true, g->q = q;
  aggregate_all(L, CDRT_AGG_QUANTILE);
  g->has_q = false;
  return 1;
}

/* Column k's aggregations, the value on top of the stack: a name, or a list of names (which
 * makes the result's columns a MultiIndex, as pandas' agg({"v": ["median", "std"]})) */
static void add_aggs(lua_State *L, LGroupBy *g, int k, int *cols, const char **names, int *w,
                     int *n, bool *multi) {
  if (lua_type(L, -1) == LUA_TSTRING) {
    cols[*n] = g->f.cols[k], names[*n] = g->f.names[k],
    w[(*n)++] = agg_by_name(L, lua_tostring(L, -1));
    return;
  }
  int len = lua_istable(L, -1) ? (int)luaL_len(L, -1) : 0;
  if (len < 1 || *n + len > 64)
    fe_error(L, "agg: column '%s': give an aggregation by name or a list of 1 to 64 names",
             g->f.names[k]);
  *multi = true;
  for (int i = 1; i <= len; i++) {
    lua_geti(L, -1, i);
    if (lua_type(L, -1) != LUA_TSTRING)
      fe_error(L, "agg: column '%s': the aggregations are names", g->f.names[k]);
    cols[*n] = g->f.cols[k], names[*n] = g->f.names[k],
    w[(*n)++] = agg_by_name(L, lua_tostring(L, -1));
    lua_pop(L, 1);
  }
}

/* Whether the name is an aggregation's */
static bool is_agg(const char *name) {
  for (size_t i = 0; i < sizeof aggs / sizeof *aggs; i++)
    if (strcmp(aggs[i].name, name) == 0) return true;
  return false;
}

/* Whether the value on top of the stack is pandas' named aggregation {"column", "how"}: two
 * strings, a column of the frame (not an aggregation's name) and an aggregation */
static bool named_pair(lua_State *L, const LGroupBy *g) {
  if (!lua_istable(L, -1) || luaL_len(L, -1) != 2) return false;
  lua_geti(L, -1, 1);
  lua_geti(L, -2, 2);
  const char *col = lua_tostring(L, -2), *how = lua_tostring(L, -1);
  bool named = lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) == LUA_TSTRING && !is_agg(col) &&
               frame_col(&g->f, col) >= 0 && is_agg(how);
  lua_pop(L, 2);
  return named;
}

/* The named aggregation {"column", "how"} on top of the stack as the output column name */
static void add_named(lua_State *L, LGroupBy *g, const char *name, int *cols, const char **names,
                      int *w, int *n) {
  lua_geti(L, -1, 1);
  lua_geti(L, -2, 2);
  int k = col_named(L, &g->f, lua_tostring(L, -2));
  cols[*n] = g->f.cols[k], names[*n] = arena_strdup(fe_arena(L), name);
  w[(*n)++] = agg_by_name(L, lua_tostring(L, -1));
  lua_pop(L, 2);
}

static int name_cmp(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* g:agg{"sum", "mean"}: of one column selected (g.v1), a column per aggregation named after
 * it; of the frame, each column (not a key; numbers only for sums, means, ...) and each
 * aggregation, MultiIndex columns (column, aggregation), as pandas' agg(["sum", "mean"]) */
static int agg_list(lua_State *L, LGroupBy *g, int len) {
  Arena *a = fe_arena(L);
  int *what = arena_alloc(a, (size_t)len * sizeof *what);
  bool numeric = false;
  for (int i = 0; i < len; i++) {
    lua_geti(L, 2, i + 1);
    what[i] = agg_by_name(L, lua_tostring(L, -1));
    numeric |= numeric_what(what[i]);
    lua_pop(L, 1);
  }
  int nc = g->ncols >= 0 ? g->ncols : g->f.ncols, n = 0;
  int *cols = arena_alloc(a, (size_t)(nc * len + 1) * sizeof *cols);
  int *w = arena_alloc(a, (size_t)(nc * len + 1) * sizeof *w);
  const char **names = arena_alloc(a, (size_t)(nc * len + 1) * sizeof *names);
  const char **subs = arena_alloc(a, (size_t)(nc * len + 1) * sizeof *subs);
  for (int k = 0; k < nc; k++) {
    int x, type;
    const char *name;
    if (!taken_column(L, g, k, numeric, &x, &name, &type)) continue;
    for (int i = 0; i < len; i++)
      cols[n] = x, names[n] = g->series ? agg_name(what[i]) : name, subs[n] = agg_name(what[i]),
      w[n++] = what[i];
  }
  if (!n) fe_error(L, "agg: no column to aggregate");
  return push_result(L, g, n, cols, names, w, false, g->series ? NULL : subs, -1);
}

/* g:agg("sum") (g:sum()); g:agg{"sum", "mean"} (agg_list); g:agg{v1 = "sum", v3 = "mean"}
 * (in the frame's column order: a Lua table has no order) or g:agg{{"v1", "sum"}, {"v3",
 * "mean"}} (in the order given), a list of names for a column ({v3 = {"median", "std"}})
 * making MultiIndex columns; pandas' named aggregation, g:agg{total = {"v1", "sum"}} (new
 * names after the frame's columns, in byte order) or g:agg{{"total", "v1", "sum"}, ...} (in
 * the order given) */
static int gb_agg(lua_State *L) {
  LGroupBy *g = check_groupby(L, 1);
  if (lua_type(L, 2) == LUA_TSTRING) {
    int what = agg_by_name(L, lua_tostring(L, 2));
    lua_settop(L, 1);
    return aggregate_all(L, what);
  }
  luaL_checktype(L, 2, LUA_TTABLE);
  Arena *a = fe_arena(L);
  int len = (int)luaL_len(L, 2);
  bool strings = len > 0;
  for (int i = 1; i <= len && strings; i++)
    strings = lua_geti(L, 2, i) == LUA_TSTRING, lua_pop(L, 1);
  if (strings) return agg_list(L, g, len);
  int cap = 64 * (g->f.ncols + len + 1), n = 0;
  int *cols = arena_alloc(a, (size_t)cap * sizeof *cols),
      *w = arena_alloc(a, (size_t)cap * sizeof *w);
  const char **names = arena_alloc(a, (size_t)cap * sizeof *names);
  bool multi = false, named = false;
  if (len > 0) {
    for (int i = 1; i <= len; i++) {
      lua_geti(L, 2, i);
      int m = lua_istable(L, -1) ? (int)luaL_len(L, -1) : 0;
      if (m != 2 && m != 3)
        fe_error(L, "agg: give {column = \"how\"}, {{\"column\", \"how\"}, ...} or pandas' "
                    "named aggregation {{\"name\", \"column\", \"how\"}, ...}");
      if (m == 3) { /* {"name", "column", "how"} */
        lua_geti(L, -1, 1);
        const char *name = lua_tostring(L, -1);
        if (lua_type(L, -1) != LUA_TSTRING)
          fe_error(L, "agg: a named aggregation's name is a string");
        lua_newtable(L);
        lua_geti(L, -3, 2), lua_rawseti(L, -2, 1);
        lua_geti(L, -3, 3), lua_rawseti(L, -2, 2);
        if (!named_pair(L, g)) {
          lua_geti(L, -1, 1);
          col_named(L, &g->f, lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "?");
          fe_error(L, "agg: '%s': give {\"name\", \"column\", \"how\"}", name);
        }
        add_named(L, g, name, cols, names, w, &n);
        named = true;
        lua_pop(L, 3);
        continue;
      }
      lua_geti(L, -1, 1);
      lua_geti(L, -2, 2);
      const char *col = lua_tostring(L, -2);
      if (!col || lua_isnil(L, -1)) fe_error(L, "agg: each pair is {\"column\", \"how\"}");
      add_aggs(L, g, col_named(L, &g->f, col), cols, names, w, &n, &multi);
      lua_pop(L, 3);
    }
  } else {
    for (int k = 0; k < g->f.ncols; k++) {
      lua_getfield(L, 2, g->f.names[k]);
      if (named_pair(L, g))
        add_named(L, g, g->f.names[k], cols, names, w, &n), named = true;
      else if (!lua_isnil(L, -1))
        add_aggs(L, g, k, cols, names, w, &n, &multi);
      lua_pop(L, 1);
    }
    int nnew = 0; /* the new names of named aggregations, then in byte order */
    const char **fresh = arena_alloc(a, (size_t)cap * sizeof *fresh);
    lua_pushnil(L);
    while (lua_next(L, 2)) {
      bool col = lua_type(L, -2) == LUA_TSTRING && frame_col(&g->f, lua_tostring(L, -2)) >= 0;
      if (!col && lua_type(L, -2) == LUA_TSTRING && named_pair(L, g))
        fresh[nnew++] = lua_tostring(L, -2);
      else if (!col)
        col_named(L, &g->f, lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?");
      lua_pop(L, 1);
    }
    qsort(fresh, (size_t)nnew, sizeof *fresh, name_cmp);
    for (int i = 0; i < nnew; i++) {
      lua_getfield(L, 2, fresh[i]);
      add_named(L, g, fresh[i], cols, names, w, &n), named = true;
      lua_pop(L, 1);
    }
  }
  if (!n) fe_error(L, "agg: no aggregation given");
  if (multi && named)
    fe_error(L, "agg: a named aggregation and a list of aggregations in one agg (pandas takes "
                "one or the other)");
  const char **subs = NULL;
  if (multi) {
    subs = arena_alloc(a, (size_t)n * sizeof *subs);
    for (int k = 0; k < n; k++) subs[k] = agg_name(w[k]);
  }
  return push_result(L, g, n, cols, names, w, false, subs, -1);
}

/* g.v1:corr(df.v2): per group, Pearson's r of the selected column and another column of
 * the frame (pandas' SeriesGroupBy.corr; rows where either is missing left out) */
static int gb_corr(lua_State *L) {
  LGroupBy *g = check_groupby(L, 1);
  if (!g->series) fe_error(L, "corr: select one column first: g.v1:corr(df.v2)");
  LSeries *o = fe_df_check_series(L, 2);
  int other = -1;
  const Tables *t = fe_df_tables(L);
  if (g->in < 0 && o->expr >= 0 && o->src == g->f.src && (o->mask == g->f.mask || o->mask < 0))
    other = o->expr;
  if (g->in >= 0 && o->expr < 0) { /* a column of the computed frame grouped */
    const TResult *q = &t->r[o->result];
    if (q->kind == TR_POST && q->fop == FOP_SELECT && q->in == g->in && q->ncols == 1)
      other = q->cols[0];
  }
  if (other < 0)
    fe_error(L, "corr: the other Series must be a column of the frame grouped (pandas aligns "
                "it by the index; cdask pairs the same rows)");
  int ot = g->in < 0    ? t->x[other].type
           : other >= 0 ? g->sh.types[other]
                        : g->sh.ltypes[-other - 1];
  if (ot != CDRT_COL_INT64 && ot != CDRT_COL_FLOAT64)
    fe_error(L, "corr: the other Series must hold numbers, got %s", fe_df_type_label(ot));
  Arena *a = fe_arena(L);
  int *cols = arena_alloc(a, sizeof *cols), *w = arena_alloc(a, sizeof *w);
  const char **names = arena_alloc(a, sizeof *names);
  cols[0] = g->cols[0], names[0] = g->names[0], w[0] = CDRT_AGG_CORR;
  return push_result(L, g, 1, cols, names, w, true, NULL, other);
}

/* g:head(n): each group's first n rows, in the frame's order, with all its columns (or
 * the ones selected) and its index */
static int gb_head(lua_State *L) {
  LGroupBy *g = check_groupby(L, 1);
  int64_t n = lua_isnoneornil(L, 2) ? 5 : fe_check_int(L, 2, "head: n");
  if (n < 0) fe_error(L, "head: n must not be negative");
  Arena *a = fe_arena(L);
  int in = g->in, *refs = g->keys;
  if (g->bins) fe_error(L, "head of a resample is not supported");
  for (int k = 0; k < g->nkeys; k++)
    if (g->by_series[k])
      fe_error(L, "head of a groupby by a Series is not supported yet (assign it as a column)");
  if (in < 0) { /* the frame's rows, collected; the keys are some of its columns */
    TResult rows = {.kind = TR_ROWS, .src = g->f.src, .mask = g->f.mask, .rop = -1, .expr = -1};
    rows.ncols = g->f.ncols, rows.cols = g->f.cols, rows.names = g->f.names, rows.limit = -1;
    in = fe_df_result_add(L, rows);
    refs = arena_alloc(a, (size_t)g->nkeys * sizeof *refs);
    for (int k = 0; k < g->nkeys; k++) refs[k] = frame_col(&g->f, g->knames[k]);
  }
  TResult q = {.kind = TR_POST, .src = -1, .mask = -1, .rop = -1, .expr = -1, .in = in};
  q.fop = FOP_GB_HEAD, q.ncols = g->nkeys, q.cols = refs, q.limit = n, q.dropna = g->dropna;
  int r = fe_df_result_add(L, q);
  if (g->ncols >= 0) { /* g.v1:head(2), g[{"v1", "v2"}]:head(2) */
    int *sel = arena_alloc(a, (size_t)g->ncols * sizeof *sel);
    for (int k = 0; k < g->ncols; k++)
      sel[k] = g->in >= 0 ? g->cols[k] : frame_col(&g->f, g->names[k]);
    TResult s = {.kind = TR_POST, .src = -1, .mask = -1, .rop = -1, .expr = -1, .in = r};
    s.fop = FOP_SELECT, s.ncols = g->ncols, s.cols = sel, s.limit = -1, s.series = g->series;
    r = fe_df_result_add(L, s);
  }
  LSeries *s = fe_df_push_series(L, -1, -1, g->series ? g->names[0] : NULL, -1);
  s->result = r;
  return 1;
}

/* g:cumsum() and the other row-wise window operations (closure upvalue 1: the name), and
 * g:cumcount(): each group's rows by the operation, in the frame's order and with its index
 * (a row with a missing key: missing, as pandas). Without a selection, the columns that are
 * no key, numeric ones only for the numeric operations (pandas 1.5's numeric_only). */
static int gb_window(lua_State *L) {
  LGroupBy *g = check_groupby(L, 1);
  const char *op = lua_tostring(L, lua_upvalueindex(1));
  cdrt_window w = {.kind = CDRT_WIN_CUMCOUNT};
  if (strcmp(op, "cumcount") == 0) {
    if (!lua_isnoneornil(L, 2)) fe_error(L, "cumcount: ascending is not supported yet");
  } else if (strcmp(op, "transform") == 0) {
    if (lua_type(L, 2) != LUA_TSTRING)
      fe_error(L, "transform: give an aggregation's name, as g.v:transform(\"sum\") (a "
                  "function is not supported yet)");
    w = (cdrt_window){.kind = CDRT_WIN_TRANSFORM, .method = agg_by_name(L, lua_tostring(L, 2))};
    if (w.method == CDRT_AGG_QUANTILE) fe_error(L, "transform(\"quantile\") is not supported yet");
  } else {
    fe_df_window_spec(L, op, &w);
  }
  bool size = w.kind == CDRT_WIN_TRANSFORM && w.method == CDRT_AGG_SIZE;
  bool rows_only = w.kind == CDRT_WIN_CUMCOUNT || (size && !g->series); /* one unnamed Series */
  bool numeric =
      w.kind == CDRT_WIN_TRANSFORM
          ? numeric_what(w.method) || w.method == CDRT_AGG_MIN || w.method == CDRT_AGG_MAX
          : w.kind != CDRT_WIN_SHIFT && w.kind != CDRT_WIN_FFILL && w.kind != CDRT_WIN_BFILL &&
                w.kind != CDRT_WIN_RANK;
  if (g->bins) fe_error(L, "%s of a resample is not supported", op);
  Arena *a = fe_arena(L);
  int nc = rows_only ? 0 : g->ncols >= 0 ? g->ncols : g->f.ncols, n = 0;
  int *cols = arena_alloc(a, (size_t)(nc + 1) * sizeof *cols);
  const char **names = arena_alloc(a, (size_t)(nc + 1) * sizeof *names);
  for (int k = 0; k < nc; k++) {
    int x, type;
    const char *name;
    bool extreme = w.kind == CDRT_WIN_CUMMAX || w.kind == CDRT_WIN_CUMMIN; /* of dates too */
    if (!taken_column(L, g, k, numeric && !extreme, &x, &name, &type) ||
        (g->ncols < 0 && extreme && type == CDRT_COL_STR))
      continue;
    if (g->in >= 0 && x < 0) fe_error(L, "%s of an index level is not supported", op);
    if (w.kind == CDRT_WIN_TRANSFORM && numeric_what(w.method) &&
        (type == CDRT_COL_STR || type == CDRT_COL_DATETIME))
      fe_error(L, "transform: %s of the %s column '%s' is not supported", agg_name(w.method),
               type == CDRT_COL_STR ? "string" : "datetime", name);
    cols[n] = x, names[n++] = name;
  }
  if (rows_only && g->in >= 0 && !g->sh.ncols)
    fe_error(L, "%s of a frame without columns is not supported", op);
  if (rows_only) /* counts rows: any column serves (of a computed frame, its first) */
    cols[n] = g->in >= 0 ? 0 : g->keys[0], names[n++] = NULL;
  if (!n) fe_error(L, "%s: no column that is no key", op);
  TResult q = {.in = g->in, .nkeys = g->nkeys, .dropna = g->dropna, .win = w, .names = names};
  q.series = g->series || rows_only;
  q.keys = arena_alloc(a, (size_t)g->nkeys * sizeof *q.keys);
  q.cols = arena_alloc(a, (size_t)n * sizeof *q.cols), q.ncols = n;
  if (g->in >= 0) { /* references into the computed frame */
    memcpy(q.keys, g->keys, (size_t)g->nkeys * sizeof *q.keys);
    memcpy(q.cols, cols, (size_t)n * sizeof *q.cols);
  } else { /* the frame's rows: the keys' columns, then the operated ones */
    TResult rows = {.kind = TR_ROWS, .src = g->f.src, .mask = g->f.mask, .rop = -1, .expr = -1};
    rows.ncols = g->nkeys + n, rows.limit = -1;
    rows.cols = arena_alloc(a, (size_t)rows.ncols * sizeof *rows.cols);
    rows.names = arena_alloc(a, (size_t)rows.ncols * sizeof *rows.names);
    for (int k = 0; k < g->nkeys; k++)
      rows.cols[k] = g->keys[k], rows.names[k] = g->knames[k], q.keys[k] = k;
    for (int k = 0; k < n; k++)
      rows.cols[g->nkeys + k] = cols[k], rows.names[g->nkeys + k] = names[k],
                           q.cols[k] = g->nkeys + k;
    q.in = fe_df_result_add(L, rows);
  }
  int r = fe_df_window_add(L, q);
  return fe_df_push_computed(L, r, op);
}

static const luaL_Reg methods[] = {
    {"sum", gb_sum},           {"mean", gb_mean},   {"min", gb_min},
    {"max", gb_max},           {"count", gb_count}, {"size", gb_size},
    {"std", gb_std},           {"var", gb_var},     {"first", gb_first},
    {"last", gb_last},         {"agg", gb_agg},     {"median", gb_median},
    {"nunique", gb_nunique},   {"head", gb_head},   {"corr", gb_corr},
    {"quantile", gb_quantile}, {NULL, NULL}};

static int gb_index(lua_State *L) {
  LGroupBy *g = check_groupby(L, 1);
  if (lua_type(L, 2) == LUA_TTABLE) return select_columns(L, g, 2);
  const char *key = luaL_checkstring(L, 2);
  for (const luaL_Reg *r = methods; r->name; r++)
    if (strcmp(r->name, key) == 0) return lua_pushcfunction(L, r->func), 1;
  static const char *const row_ops[] = {"cumsum",   "cumprod",    "cummax",    "cummin",
                                        "cumcount", "diff",       "shift",     "ffill",
                                        "bfill",    "pct_change", "transform", "rank"};
  for (size_t i = 0; i < sizeof row_ops / sizeof *row_ops; i++)
    if (strcmp(row_ops[i], key) == 0)
      return lua_pushstring(L, key), lua_pushcclosure(L, gb_window, 1), 1;
  if (g->series || frame_col(&g->f, key) < 0) /* a method cdask lacks, or a misspelt column */
    fe_error(L,
             "groupby: '%s' is %s (its methods: sum, mean, min, max, count, size, std, var, "
             "first, last, agg, median, nunique, quantile, head, corr, cumsum, cumprod, cummax, "
             "cummin, cumcount, diff, shift, ffill, bfill, pct_change, transform, rank)%s%s",
             key, g->series ? "no method of a SeriesGroupBy" : "no method nor column",
             g->series ? "" : "; the frame's columns: ",
             g->series ? "" : fe_df_name_list(L, (const char *const *)g->f.names, g->f.ncols));
  return select_columns(L, g, 2);
}

static int gb_tostring(lua_State *L) {
  LGroupBy *g = check_groupby(L, 1);
  lua_pushfstring(L, "<dask_expr.expr.GroupBy: by=%s>", g->knames[0]);
  return 1;
}

void fe_open_groupby(lua_State *L) {
  fe_df_metatable(L, GROUPBY_MT, gb_index, gb_tostring);
  lua_pop(L, 1);
}
