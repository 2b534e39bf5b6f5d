/* lua_frame_window.c: pandas' window operations of a frame's or Series' rows (frontend.h,
 * "lua_frame_window.c"): cumsum, cumprod, cummax, cummin, diff, shift, pct_change, ffill,
 * bfill, rolling(w) and expanding() with their sum, mean, var, std, min, max, count, median
 * and quantile, and ewm(...) with its mean, sum, var and std. Each is a
 * FOP_WINDOW result over the rows (runtime/frame_window.c), column by column, on the rows' own
 * index; pandas' dtypes. */
#include "frontend.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#define ROLLING_MT "cdask.dataframe.Rolling"

typedef struct {
  int rows;             /* the rolled frame's or Series' rows: a result */
  int64_t window, minp; /* expanding: window INT64_MAX */
  bool center;
  int64_t span;   /* a time window's ns (window unused); 0: a window of rows */
  int on, closed; /* a time window's: as cdrt_window's */
  const char *freq, *on_name, *closed_name; /* a time window's, as given (repr) */
} LRolling;
typedef struct {
  int rows;
  cdrt_window w; /* com, adjust, ignore_na, minp */
} LEwm;
#define EWM_MT "cdask.dataframe.ExponentialMovingWindow"

static const char *window_name(int kind) {
  static const char *const names[] = {
      "cumsum",       "cumprod",    "cummax",   "cummin",    "diff", "shift", "sum",
      "mean",         "var",        "std",      "min",       "max",  "count", "mean",
      "value_counts", "median",     "quantile", "sum",       "var",  "std",   "ffill",
      "bfill",        "pct_change", "cumcount", "transform", "rank", "cov",   "corr"};
  return names[kind];
}

/* The FOP_WINDOW result q (of q.in's columns q.cols[0, q.ncols) where grouped, else of
 * every column), after checking each column's type */
int fe_df_window_add(lua_State *L, TResult q) {
  TShape in = table_result_shape(fe_df_graph(L), q.in);
  int kind = q.win.kind;
  bool filled = q.win.filled;
  const char *what = window_name(kind);
  if (in.scalar) fe_error(L, "%s: a scalar has no rows", what);
  if (in.multi) fe_error(L, "%s of a frame with MultiIndex columns is not supported yet", what);
  bool checked = kind == CDRT_WIN_TRANSFORM; /* by the caller */
  for (int i = 0; i < (q.nkeys ? q.ncols : in.ncols) && kind != CDRT_WIN_CUMCOUNT; i++) {
    int k = q.nkeys ? q.cols[i] : i, t = in.types[k];
    if (q.win.span && k == q.win.on - 1) continue; /* a time window's timestamps */
    const char *col = in.names[k] ? in.names[k] : "?";
    if (in.cats && in.cats[k])
      fe_error(L, "%s of the category column '%s' is not supported yet", what, col);
    if (checked) continue;
    bool ok = t == CDRT_COL_INT64 || t == CDRT_COL_FLOAT64 || t == CDRT_COL_BOOL;
    if (kind == CDRT_WIN_SHIFT) ok = t != CDRT_COL_BOOL;
    if (kind == CDRT_WIN_CUMMAX || kind == CDRT_WIN_CUMMIN || kind == CDRT_WIN_DIFF)
      ok = ok || cdrt_col_nat(t);
    if (kind == CDRT_WIN_CUMSUM) ok = ok || t == CDRT_COL_TIMEDELTA; /* NaT skipped, kept */
    if (kind == CDRT_WIN_DIFF || kind == CDRT_WIN_PCT_CHANGE) ok = ok && t != CDRT_COL_BOOL;
    if (kind == CDRT_WIN_FFILL || kind == CDRT_WIN_BFILL || kind == CDRT_WIN_RANK) ok = true;
    if (filled && t != CDRT_COL_INT64 && t != CDRT_COL_FLOAT64)
      fe_error(L, "shift: fill_value is supported for columns of numbers only ('%s' is %s)", col,
               fe_df_type_label(t));
    if (!ok)
      fe_error(L, "%s of column '%s' (%s) is not supported%s", what, col, fe_df_type_label(t),
               t == CDRT_COL_BOOL  ? " (pandas' result would be object: astype(\"int64\") first)"
               : t == CDRT_COL_STR ? " (of numbers only)"
                                   : " yet (of datetimes and timedeltas: shift, diff, cummax, "
                                     "cummin, ffill, bfill and rank; cumsum of timedeltas)");
  }
  q.kind = TR_POST, q.src = q.mask = q.rop = q.expr = -1, q.fop = FOP_WINDOW, q.limit = -1;
  q.num = q.win.fill, q.seeded = filled;
  return fe_df_result_add(L, q);
}

/* The FOP_WINDOW result w over the rows r */
static int add_window(lua_State *L, int r, cdrt_window w) {
  TShape in = table_result_shape(fe_df_graph(L), r);
  return fe_df_window_add(L, (TResult){.in = r, .series = in.series, .win = w});
}

static int push_window(lua_State *L, int r) {
  return fe_df_push_computed(L, r, window_name(fe_df_graph(L)->tables.r[r].win.kind));
}

/* The row-wise operations' specs, from their arguments at 2 and after */
static cdrt_window spec_cumsum(lua_State *L) {
  (void)L;
  return (cdrt_window){.kind = CDRT_WIN_CUMSUM};
}
static cdrt_window spec_cumprod(lua_State *L) {
  (void)L;
  return (cdrt_window){.kind = CDRT_WIN_CUMPROD};
}
static cdrt_window spec_cummax(lua_State *L) {
  (void)L;
  return (cdrt_window){.kind = CDRT_WIN_CUMMAX};
}
static cdrt_window spec_cummin(lua_State *L) {
  (void)L;
  return (cdrt_window){.kind = CDRT_WIN_CUMMIN};
}

/* The periods at idx (default 1), an integer */
static int64_t periods(lua_State *L, int idx, const char *what) {
  if (lua_isnoneornil(L, idx)) return 1;
  if (!lua_isinteger(L, idx)) fe_error(L, "%s: periods must be an integer", what);
  return lua_tointeger(L, idx);
}

/* s:diff(periods): row i minus row i - periods, float64 (pandas' int64 difference) */
static cdrt_window spec_diff(lua_State *L) {
  return (cdrt_window){.kind = CDRT_WIN_DIFF, .n = periods(L, 2, "diff")};
}

/* s:shift(periods, {fill_value}): row i - periods' value, missing where there is none */
static cdrt_window spec_shift(lua_State *L) {
  cdrt_window w = {.kind = CDRT_WIN_SHIFT, .n = periods(L, 2, "shift")};
  int opts = fe_options(L, 3);
  if (opts) {
    lua_getfield(L, opts, "fill_value");
    if (!lua_isnil(L, -1)) w.fill = fe_check_number(L, -1, "shift: fill_value"), w.filled = 1;
    lua_pop(L, 1);
  }
  return w;
}

/* opts.limit (opts 0: none): an integer > 0, or 0 for none */
static int64_t fill_limit(lua_State *L, int opts, const char *what) {
  int64_t limit = 0;
  if (!opts) return 0;
  lua_getfield(L, opts, "limit");
  if (!lua_isnil(L, -1)) {
    if (!lua_isinteger(L, -1)) fe_error(L, "%s: ValueError: Limit must be an integer", what);
    if ((limit = lua_tointeger(L, -1)) <= 0)
      fe_error(L, "%s: ValueError: Limit must be greater than 0", what);
  }
  lua_pop(L, 1);
  return limit;
}

/* s:ffill{limit} and s:bfill{limit}: a missing value takes the last (next) present one */
static cdrt_window spec_ffill(lua_State *L) {
  return (cdrt_window){.kind = CDRT_WIN_FFILL, .limit = fill_limit(L, fe_options(L, 2), "ffill")};
}
static cdrt_window spec_bfill(lua_State *L) {
  return (cdrt_window){.kind = CDRT_WIN_BFILL, .limit = fill_limit(L, fe_options(L, 2), "bfill")};
}

/* s:fillna(nil, {method = "ffill" | "pad" | "bfill" | "backfill", limit}): pandas 1.5's
 * fillna(method=...), the ffill or bfill of the frame or Series at 1 */
int fe_df_fillna_method(lua_State *L) {
  int opts = fe_options(L, 3);
  const char *m = NULL;
  if (opts) {
    lua_getfield(L, opts, "method");
    m = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    lua_pop(L, 1);
  }
  if (!m) fe_error(L, "fillna: ValueError: Must specify a fill 'value' or 'method'.");
  cdrt_window w = {.kind = CDRT_WIN_FFILL, .limit = fill_limit(L, opts, "fillna")};
  if (strcmp(m, "bfill") == 0 || strcmp(m, "backfill") == 0)
    w.kind = CDRT_WIN_BFILL;
  else if (strcmp(m, "ffill") != 0 && strcmp(m, "pad") != 0)
    fe_error(L,
             "fillna: ValueError: Invalid fill method. Expecting pad (ffill) or backfill "
             "(bfill). Got %s",
             m);
  return push_window(L, add_window(L, fe_df_rows_of(L, 1), w));
}

/* s:pct_change(periods, {fill_method = "pad" | "ffill" | "bfill" | "backfill" | false,
 * limit}): pandas 1.5's, the values filled first ("pad" by default) */
static cdrt_window spec_pct_change(lua_State *L) {
  cdrt_window w = {
      .kind = CDRT_WIN_PCT_CHANGE, .n = periods(L, 2, "pct_change"), .method = CDRT_WIN_FFILL};
  int opts = fe_options(L, 3);
  if (opts) {
    lua_getfield(L, opts, "fill_method");
    if (lua_isboolean(L, -1) && !lua_toboolean(L, -1)) {
      w.method = 0;
    } else if (!lua_isnil(L, -1)) {
      const char *m = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
      if (strcmp(m, "pad") == 0 || strcmp(m, "ffill") == 0)
        w.method = CDRT_WIN_FFILL;
      else if (strcmp(m, "bfill") == 0 || strcmp(m, "backfill") == 0)
        w.method = CDRT_WIN_BFILL;
      else
        fe_error(L, "pct_change: fill_method must be \"pad\", \"ffill\", \"bfill\", "
                    "\"backfill\" or false (no filling)");
    }
    lua_pop(L, 1);
    w.limit = fill_limit(L, opts, "pct_change");
  }
  return w;
}

/* s:rank{method = "average" | "min" | "max" | "first" | "dense", ascending, pct,
 * na_option = "keep" | "top" | "bottom"}: pandas' ranks, float64 */
static cdrt_window spec_rank(lua_State *L) {
  cdrt_window w = {.kind = CDRT_WIN_RANK};
  int opts = fe_named_options(L, 2, "rank", "method ascending pct na_option");
  if (!opts) return w;
  static const char *const methods[] = {"average", "min", "max", "first", "dense"};
  lua_getfield(L, opts, "method");
  if (!lua_isnil(L, -1)) {
    const char *m = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
    w.method = -1;
    for (int k = 0; k < 5; k++)
      if (strcmp(m, methods[k]) == 0) w.method = k;
    if (w.method < 0)
      fe_error(L, "rank: method must be \"average\", \"min\", \"max\", \"first\" or \"dense\"");
  }
  lua_pop(L, 1);
  w.descending = !fe_bool_option(L, opts, "ascending", "rank", true);
  w.pct = fe_bool_option(L, opts, "pct", "rank", false);
  static const char *const na_options[] = {"keep", "top", "bottom"};
  lua_getfield(L, opts, "na_option");
  if (!lua_isnil(L, -1)) {
    const char *na = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
    w.na = -1;
    for (int k = 0; k < 3; k++)
      if (strcmp(na, na_options[k]) == 0) w.na = k;
    if (w.na < 0) /* pandas' ValueError */
      fe_error(L, "rank: na_option must be one of 'keep', 'top', or 'bottom'");
  }
  lua_pop(L, 1);
  return w;
}

static const struct {
  const char *name;
  cdrt_window (*spec)(lua_State *L);
} row_ops[] = {{"rank", spec_rank},       {"cumsum", spec_cumsum},
               {"cumprod", spec_cumprod}, {"cummax", spec_cummax},
               {"cummin", spec_cummin},   {"diff", spec_diff},
               {"shift", spec_shift},     {"ffill", spec_ffill},
               {"bfill", spec_bfill},     {"pct_change", spec_pct_change}};

bool fe_df_window_spec(lua_State *L, const char *name, cdrt_window *w) {
  for (size_t i = 0; i < sizeof row_ops / sizeof *row_ops; i++)
    if (strcmp(row_ops[i].name, name) == 0) return *w = row_ops[i].spec(L), true;
  return false;
}

/* s:cumsum() and the other row-wise operations of the frame or Series at 1; the name is the
 * closure's upvalue */
static int w_row_op(lua_State *L) {
  cdrt_window w;
  fe_df_window_spec(L, lua_tostring(L, lua_upvalueindex(1)), &w);
  return push_window(L, add_window(L, fe_df_rows_of(L, 1), w));
}

/* opts.min_periods (opts 0: none), or dflt: an integer >= 0 */
static int64_t min_periods(lua_State *L, int opts, const char *what, int64_t dflt) {
  if (!opts) return dflt;
  lua_getfield(L, opts, "min_periods");
  int64_t m = dflt;
  if (!lua_isnil(L, -1)) {
    if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 0)
      fe_error(L, "%s: min_periods must be an integer >= 0", what);
    m = lua_tointeger(L, -1);
  }
  lua_pop(L, 1);
  return m;
}

/* The Rolling object w of the rows of the frame or Series at 1, pushed */
static int push_rolling(lua_State *L, LRolling w) {
  w.rows = fe_df_rows_of(L, 1);
  LRolling *u = lua_newuserdatauv(L, sizeof *u, 0);
  *u = w;
  luaL_setmetatable(L, ROLLING_MT);
  return 1;
}

/* pandas' closed for a time window: "right" (its default), "both", "left" or "neither" */
static int closed_ends(lua_State *L, int opts, const char **given) {
  static const char *const names[] = {"neither", "left", "right", "both"};
  int ends = 2;
  lua_getfield(L, opts, "closed");
  if (!lua_isnil(L, -1)) {
    const char *c = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
    ends = -1;
    for (int k = 0; k < 4; k++)
      if (strcmp(c, names[k]) == 0) ends = k, *given = names[k];
    if (ends < 0)
      fe_error(L, "rolling: ValueError: closed must be 'right', 'left', 'both' or 'neither'");
  }
  lua_pop(L, 1);
  return ends;
}

/* s:rolling("2H", {on, min_periods, closed, center}): pandas' time window over the DatetimeIndex or
 * the datetime column on (pandas' rolling then puts the other columns in order of their
 * names, and on back where it stood among them: a selection made first) */
static int time_rolling(lua_State *L, int opts) {
  const char *freqstr;
  LRolling w = {.span = fe_df_parse_freq(L, lua_tostring(L, 2), &freqstr, "rolling")};
  w.minp = min_periods(L, opts, "rolling", 1);
  w.center = opts && fe_bool_option(L, opts, "center", "rolling", false);
  w.closed = opts ? closed_ends(L, opts, &w.closed_name) : 2;
  w.freq = arena_strdup(fe_arena(L), lua_tostring(L, 2));
  const char *on = NULL;
  if (opts) {
    lua_getfield(L, opts, "on");
    if (!lua_isnil(L, -1)) on = fe_check_string(L, -1, "rolling: on", true);
    lua_pop(L, 1);
  }
  w.on_name = on;
  int rows = fe_df_rows_of(L, 1);
  TShape sh = table_result_shape(fe_df_graph(L), rows);
  if (!on) {
    if (sh.nlev != 1 || sh.ltypes[0] != CDRT_COL_DATETIME)
      fe_error(L, "rolling: ValueError: window must be an integer 0 or greater (a time window "
                  "needs a DatetimeIndex: df:set_index(\"ts\") first, or give {on = \"ts\"})");
    w.rows = rows;
  } else {
    if (sh.series) fe_error(L, "rolling: on is for a DataFrame's column, not a Series");
    int at = -1, *cols = arena_alloc(fe_arena(L), (size_t)(sh.ncols + 1) * sizeof *cols), n = 0;
    for (int k = 0; k < sh.ncols; k++)
      if (sh.names[k] && strcmp(sh.names[k], on) == 0) at = k;
    if (at < 0)
      fe_error(L,
               "rolling: ValueError: invalid on specified as %s, must be a column (of "
               "DataFrame), an Index or None",
               on);
    if (sh.types[at] != CDRT_COL_DATETIME)
      fe_error(L,
               "rolling: ValueError: window must be an integer 0 or greater (on = '%s' is %s, "
               "not datetime64)",
               on, fe_df_type_label(sh.types[at]));
    for (int k = 0; k < sh.ncols; k++) /* the others by name (Index.difference sorts) */
      if (k != at) {
        int i = n++;
        while (i > 0 && strcmp(sh.names[cols[i - 1]], sh.names[k]) > 0) cols[i] = cols[i - 1], i--;
        cols[i] = k;
      }
    int pos = at; /* on: after the others that stood before it (all numbers, or refused) */
    memmove(cols + pos + 1, cols + pos, (size_t)(n - pos) * sizeof *cols);
    cols[pos] = at, n++;
    TResult sel = {.kind = TR_POST, .src = -1, .mask = -1, .rop = -1, .expr = -1, .in = rows};
    sel.fop = FOP_SELECT, sel.ncols = n, sel.cols = cols, sel.limit = -1;
    w.rows = fe_df_result_add(L, sel), w.on = pos + 1;
  }
  LRolling *u = lua_newuserdatauv(L, sizeof *u, 0);
  *u = w;
  luaL_setmetatable(L, ROLLING_MT);
  return 1;
}

/* s:rolling(window, {min_periods, center, closed}): the Rolling object, pandas' fixed
 * window (a time window: time_rolling) */
static int w_rolling(lua_State *L) {
  if (lua_type(L, 2) == LUA_TSTRING) return time_rolling(L, fe_options(L, 3));
  if (!lua_isinteger(L, 2) || lua_tointeger(L, 2) < 1)
    fe_error(L, "rolling: window must be an integer 1 or greater, or a time window such as "
                "\"2H\"");
  LRolling w = {.window = lua_tointeger(L, 2), .closed = 2};
  int opts = fe_named_options(L, 3, "rolling", "min_periods center closed on");
  if (opts) w.closed = closed_ends(L, opts, &w.closed_name);
  if (opts) {
    lua_getfield(L, opts, "on");
    bool on = !lua_isnil(L, -1);
    lua_pop(L, 1);
    if (on) fe_error(L, "rolling: on is for a time window (rolling(\"2H\", {on = \"ts\"}))");
  }
  w.minp = min_periods(L, opts, "rolling", w.window);
  if (w.minp > w.window)
    fe_error(L, "rolling: min_periods %lld must be <= window %lld", (long long)w.minp,
             (long long)w.window);
  w.center = fe_bool_option(L, opts, "center", "rolling", false);
  return push_rolling(L, w);
}

/* s:expanding({min_periods}): every row up to this one, a Rolling of an endless window
 * (min_periods 1 by default) */
static int w_expanding(lua_State *L) {
  LRolling w = {.window = INT64_MAX, .closed = 2};
  w.minp = min_periods(L, fe_named_options(L, 2, "expanding", "min_periods"), "expanding", 1);
  return push_rolling(L, w);
}

/* s:ewm{com | span | halflife | alpha, adjust, ignore_na, min_periods}: pandas' exponentially
 * weighted window, one of its decay parameters (as pandas, exactly one) */
static int w_ewm(lua_State *L) {
  int opts = fe_options(L, 2);
  if (!opts) fe_error(L, "ewm: give one of com, span, halflife or alpha: s:ewm{span = 10}");
  static const char *const decay[] = {"com", "span", "halflife", "alpha"};
  LEwm e = {.w = {.kind = CDRT_WIN_EWM_MEAN, .minp = 1, .adjust = 1}};
  int given = 0;
  for (int k = 0; k < 4; k++) {
    lua_getfield(L, opts, decay[k]);
    if (!lua_isnil(L, -1)) {
      double v = fe_check_number(L, -1, "ewm: the decay");
      given++;
      if (k == 0 && !(v >= 0)) fe_error(L, "ewm: ValueError: comass must satisfy: comass >= 0");
      if (k == 1 && !(v >= 1)) fe_error(L, "ewm: ValueError: span must satisfy: span >= 1");
      if (k == 2 && !(v > 0)) fe_error(L, "ewm: ValueError: halflife must satisfy: halflife > 0");
      if (k == 3 && !(v > 0 && v <= 1))
        fe_error(L, "ewm: ValueError: alpha must satisfy: 0 < alpha <= 1");
      e.w.com = k == 0   ? v
                : k == 1 ? (v - 1) / 2
                : k == 2 ? 1 / (1 - exp(log(0.5) / v)) - 1
                         : 1 / v - 1;
    }
    lua_pop(L, 1);
  }
  if (given != 1)
    fe_error(L, "ewm: ValueError: comass, span, halflife, and alpha are mutually exclusive (give "
                "exactly one)");
  e.w.adjust = fe_bool_option(L, opts, "adjust", "ewm", true);
  e.w.ignore_na = fe_bool_option(L, opts, "ignore_na", "ewm", false);
  e.w.minp = min_periods(L, opts, "ewm", 1);
  if (e.w.minp < 1) e.w.minp = 1; /* pandas: at least 1 */
  e.rows = fe_df_rows_of(L, 1);
  LEwm *u = lua_newuserdatauv(L, sizeof *u, 0);
  *u = e;
  luaL_setmetatable(L, EWM_MT);
  return 1;
}
static int ewm_op(lua_State *L, int kind) {
  LEwm *e = luaL_checkudata(L, 1, EWM_MT);
  cdrt_window w = e->w;
  w.kind = kind;
  if (kind == CDRT_WIN_EWM_SUM && !w.adjust)
    fe_error(L, "ewm: NotImplementedError: sum is not implemented with adjust=False");
  int opts = kind == CDRT_WIN_EWM_VAR || kind == CDRT_WIN_EWM_STD ? fe_options(L, 2) : 0;
  w.bias = fe_bool_option(L, opts, "bias", "ewm", false);
  return push_window(L, add_window(L, e->rows, w));
}
/* e:cov(other, {bias}) and e:corr(other): pandas' ewmcov of the Series rolled and another
 * column of the same frame's rows (pandas aligns them on the index: these are the same) */
static int ewm_pair(lua_State *L, int kind) {
  LEwm *e = luaL_checkudata(L, 1, EWM_MT);
  const char *what = window_name(kind);
  LSeries *o = luaL_testudata(L, 2, SERIES_MT);
  if (!o)
    fe_error(L, "ewm: %s needs the other Series (pairwise of a frame is not supported)", what);
  const Tables *t = fe_df_tables(L);
  const TResult *x = &t->r[e->rows];
  if (x->kind != TR_ROWS || !x->series || x->limit >= 0 || o->expr < 0 || o->limit >= 0 ||
      o->src != x->src || o->mask != x->mask)
    fe_error(L,
             "ewm: %s of a column with another column of the same frame's rows only (pandas "
             "aligns them by the index)",
             what);
  Arena *a = fe_arena(L);
  TResult rows = {.kind = TR_ROWS, .src = x->src, .mask = x->mask, .rop = -1, .expr = -1};
  rows.ncols = 2, rows.limit = -1;
  rows.cols = arena_alloc(a, 2 * sizeof *rows.cols);
  rows.names = arena_alloc(a, 2 * sizeof *rows.names);
  rows.cols[0] = x->cols[0], rows.names[0] = x->names[0];
  rows.cols[1] = o->expr, rows.names[1] = o->name;
  cdrt_window w = e->w;
  w.kind = kind;
  int opts = kind == CDRT_WIN_EWM_COV ? fe_options(L, 3) : 0;
  w.bias = fe_bool_option(L, opts, "bias", "ewm", false);
  int r = fe_df_result_add(L, rows);
  return push_window(L, fe_df_window_add(L, (TResult){.in = r, .series = true, .win = w}));
}
static int ewm_cov(lua_State *L) {
  return ewm_pair(L, CDRT_WIN_EWM_COV);
}
static int ewm_corr(lua_State *L) {
  return ewm_pair(L, CDRT_WIN_EWM_CORR);
}
#define EWM_OP(NAME, KIND)                                                                         \
  static int ewm_##NAME(lua_State *L) {                                                            \
    return ewm_op(L, KIND);                                                                        \
  }
EWM_OP(mean, CDRT_WIN_EWM_MEAN)
EWM_OP(sum, CDRT_WIN_EWM_SUM)
EWM_OP(var, CDRT_WIN_EWM_VAR)
EWM_OP(std, CDRT_WIN_EWM_STD)

static int ewm_index(lua_State *L) {
  static const luaL_Reg methods[] = {{"mean", ewm_mean}, {"sum", ewm_sum}, {"var", ewm_var},
                                     {"std", ewm_std},   {"cov", ewm_cov}, {"corr", ewm_corr},
                                     {NULL, NULL}};
  const char *key = luaL_checkstring(L, 2);
  for (const luaL_Reg *m = methods; m->name; m++)
    if (strcmp(m->name, key) == 0) return lua_pushcfunction(L, m->func), 1;
  return fe_error(L, "ExponentialMovingWindow has no method '%s' (mean, sum, var, std, cov, corr)",
                  key);
}
static int ewm_tostring(lua_State *L) {
  LEwm *e = luaL_checkudata(L, 1, EWM_MT);
  lua_pushfstring(
      L, "ExponentialMovingWindow [com=%f,min_periods=%d,adjust=%s,ignore_na=%s,axis=0]", e->w.com,
      (int)e->w.minp, e->w.adjust ? "True" : "False", e->w.ignore_na ? "True" : "False");
  return 1;
}

/* The window spec of the Rolling w for the operation kind */
static cdrt_window rolling_spec(const LRolling *w, int kind) {
  return (cdrt_window){.kind = kind,
                       .n = w->window,
                       .minp = w->minp,
                       .center = w->center,
                       .span = w->span,
                       .on = w->on,
                       .closed = w->closed};
}

static int rolled(lua_State *L, int kind) {
  LRolling *w = luaL_checkudata(L, 1, ROLLING_MT);
  cdrt_window win = rolling_spec(w, kind);
  return push_window(L, add_window(L, w->rows, win));
}
#define ROLLED(NAME, KIND)                                                                         \
  static int r_##NAME(lua_State *L) {                                                              \
    return rolled(L, KIND);                                                                        \
  }
ROLLED(sum, CDRT_WIN_ROLL_SUM)
ROLLED(mean, CDRT_WIN_ROLL_MEAN)
ROLLED(var, CDRT_WIN_ROLL_VAR)
ROLLED(std, CDRT_WIN_ROLL_STD)
ROLLED(min, CDRT_WIN_ROLL_MIN)
ROLLED(max, CDRT_WIN_ROLL_MAX)
ROLLED(count, CDRT_WIN_ROLL_COUNT) /* min_periods defaults to the window, as pandas 2 */
ROLLED(median, CDRT_WIN_ROLL_MEDIAN)

/* r:quantile(q, {interpolation}): pandas' rolling quantile, linear by default */
static int r_quantile(lua_State *L) {
  LRolling *w = luaL_checkudata(L, 1, ROLLING_MT);
  double q = fe_check_number(L, 2, "quantile: q");
  if (!(q >= 0 && q <= 1)) fe_error(L, "quantile: ValueError: quantile value %f not in [0, 1]", q);
  cdrt_window win = rolling_spec(w, CDRT_WIN_ROLL_QUANTILE);
  win.fill = q;
  int opts = fe_options(L, 3);
  if (opts) {
    static const char *const ways[] = {"linear", "lower", "higher", "nearest", "midpoint"};
    lua_getfield(L, opts, "interpolation");
    if (!lua_isnil(L, -1)) {
      const char *m = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
      win.method = -1;
      for (int k = 0; k < 5; k++)
        if (strcmp(m, ways[k]) == 0) win.method = k;
      if (win.method < 0)
        fe_error(L,
                 "quantile: ValueError: Interpolation '%s' is not supported (linear, lower, "
                 "higher, nearest or midpoint)",
                 m);
    }
    lua_pop(L, 1);
  }
  return push_window(L, add_window(L, w->rows, win));
}

static int rolling_index(lua_State *L) {
  static const luaL_Reg methods[] = {
      {"sum", r_sum},           {"mean", r_mean}, {"var", r_var},     {"std", r_std},
      {"min", r_min},           {"max", r_max},   {"count", r_count}, {"median", r_median},
      {"quantile", r_quantile}, {NULL, NULL}};
  const char *key = luaL_checkstring(L, 2);
  for (const luaL_Reg *m = methods; m->name; m++)
    if (strcmp(m->name, key) == 0) return lua_pushcfunction(L, m->func), 1;
  return fe_error(
      L, "Rolling has no method '%s' (sum, mean, var, std, min, max, count, median, quantile)",
      key);
}
static int rolling_tostring(lua_State *L) {
  LRolling *w = luaL_checkudata(L, 1, ROLLING_MT);
  if (w->window == INT64_MAX)
    return lua_pushfstring(L, "Expanding [min_periods=%d,axis=0,method=single]", (int)w->minp), 1;
  if (w->span) { /* pandas' repr of a time window: on and closed where given */
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    lua_pushfstring(L, "Rolling [window=%s,min_periods=%d,center=%s,win_type=freq,axis=0,", w->freq,
                    (int)w->minp, w->center ? "True" : "False");
    luaL_addvalue(&b);
    if (w->on_name) lua_pushfstring(L, "on=%s,", w->on_name), luaL_addvalue(&b);
    if (w->closed_name) lua_pushfstring(L, "closed=%s,", w->closed_name), luaL_addvalue(&b);
    luaL_addstring(&b, "method=single]");
    luaL_pushresult(&b);
    return 1;
  }
  lua_pushfstring(L, "Rolling [window=%d,min_periods=%d,center=%s,axis=0,%s%s%smethod=single]",
                  (int)w->window, (int)w->minp, w->center ? "True" : "False",
                  w->closed_name ? "closed=" : "", w->closed_name ? w->closed_name : "",
                  w->closed_name ? "," : "");
  return 1;
}

int fe_df_normalized(lua_State *L, int r) {
  return push_window(L, add_window(L, r, (cdrt_window){.kind = CDRT_WIN_NORMALIZE}));
}

int fe_df_window_op(lua_State *L, const char *key) {
  static const luaL_Reg ops[] = {
      {"rolling", w_rolling}, {"expanding", w_expanding}, {"ewm", w_ewm}, {NULL, NULL}};
  for (const luaL_Reg *r = ops; r->name; r++)
    if (strcmp(r->name, key) == 0) return lua_pushcfunction(L, r->func), 1;
  for (size_t i = 0; i < sizeof row_ops / sizeof *row_ops; i++)
    if (strcmp(row_ops[i].name, key) == 0)
      return lua_pushstring(L, key), lua_pushcclosure(L, w_row_op, 1), 1;
  return 0;
}

void fe_open_window(lua_State *L) {
  fe_df_metatable(L, ROLLING_MT, rolling_index, rolling_tostring);
  lua_pop(L, 1);
  fe_df_metatable(L, EWM_MT, ewm_index, ewm_tostring);
  lua_pop(L, 1);
}
