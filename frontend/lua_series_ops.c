/* lua_series_ops.c: more of pandas' elementwise vocabulary on a frame's columns
 * (frontend.h, "lua_series_ops.c"), fused into the scan like the operators: a Series'
 * between, isin, clip, abs, round, where, mask and dropna; a frame's dropna, fillna,
 * rename, drop and astype. Most are made of the Series methods lua_dataframe.c has
 * (between is two comparisons and an &), called through the values' metatables so that
 * their checks and names apply. */
#include "frontend.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* obj's method name and obj, pushed: push the arguments, then lua_call(L, 1 + n, 1) */
static void push_method(lua_State *L, int obj, const char *name) {
  lua_getfield(L, obj, name);
  lua_pushvalue(L, obj);
}

/* obj:name(arg) of the value at arg, pushed */
static void call1(lua_State *L, int obj, const char *name, int arg) {
  push_method(L, obj, name);
  lua_pushvalue(L, arg);
  lua_call(L, 2, 1);
}

/* The two values on the top combined by the Lua operator op (& or |: a Series' own) */
static void combine(lua_State *L, int op) {
  lua_arith(L, op);
}

static int push_expr(lua_State *L, const LSeries *s, int x) {
  fe_df_push_series(L, s->src, x, s->name, s->mask);
  return 1;
}

static int bool_const(lua_State *L, bool v) {
  return fe_df_add_expr(L,
                        (TExpr){.kind = TX_CONST, .type = CDRT_COL_BOOL, .i = v, .a = -1, .b = -1});
}

/* s:between(left, right [, {inclusive = "both" | "neither" | "left" | "right"}]) */
static int s_between(lua_State *L) {
  fe_df_check_values(L, 1, "between");
  const char *inc = "both";
  if (!lua_isnoneornil(L, 4)) {
    if (!lua_istable(L, 4)) fe_error(L, "between: the options must be a table {inclusive = ...}");
    lua_getfield(L, 4, "inclusive");
    if (!lua_isnil(L, -1)) inc = lua_tostring(L, -1);
    lua_pop(L, 1);
  }
  bool lo = inc && (strcmp(inc, "both") == 0 || strcmp(inc, "left") == 0);
  bool hi = inc && (strcmp(inc, "both") == 0 || strcmp(inc, "right") == 0);
  if (!inc || (!lo && !hi && strcmp(inc, "neither") != 0))
    fe_error(L, "between: inclusive must be \"both\", \"neither\", \"left\" or \"right\"");
  call1(L, 1, lo ? "ge" : "gt", 2);
  call1(L, 1, hi ? "le" : "lt", 3);
  combine(L, LUA_OPBAND);
  return 1;
}

/* s:isin({values}): equal to one of them (NaN matches NaN, as pandas' isin) */
static int s_isin(lua_State *L) {
  LSeries *s = fe_df_check_values(L, 1, "isin");
  if (!lua_istable(L, 2)) fe_error(L, "isin: give a list of values, got %s", luaL_typename(L, 2));
  int n = (int)luaL_len(L, 2), any = 0;
  for (int i = 1; i <= n; i++) {
    lua_geti(L, 2, i);
    int v = lua_gettop(L);
    if (lua_type(L, v) != LUA_TNUMBER && lua_type(L, v) != LUA_TSTRING &&
        lua_type(L, v) != LUA_TBOOLEAN)
      fe_error(L, "isin: value %d of the list is %s, not a number, string or boolean", i,
               luaL_typename(L, v));
    if (lua_type(L, v) == LUA_TNUMBER && isnan(lua_tonumber(L, v))) {
      push_method(L, 1, "isna");
      lua_call(L, 1, 1);
    } else {
      call1(L, 1, "eq", v);
    }
    lua_remove(L, v);
    if (any++) combine(L, LUA_OPBOR);
  }
  if (!any) return push_expr(L, s, bool_const(L, false));
  return 1;
}

static int numeric_type(lua_State *L, const LSeries *s, const char *what) {
  int t = fe_df_tables(L)->x[s->expr].type;
  if (t != CDRT_COL_INT64 && t != CDRT_COL_FLOAT64)
    fe_error(L, "%s of a Series of %s is not supported (of numbers)", what, fe_df_type_label(t));
  return t;
}

/* s:clip(lower, upper): each value held within [lower, upper] (nil: no bound); NaN stays */
static int s_clip(lua_State *L) {
  LSeries *s = fe_df_check_values(L, 1, "clip");
  int t = numeric_type(L, s, "clip"), x = s->expr;
  for (int k = 0; k < 2; k++) {
    int at = 2 + k;
    if (lua_isnoneornil(L, at)) continue;
    if (lua_type(L, at) != LUA_TNUMBER || isnan(lua_tonumber(L, at)))
      fe_error(L, "clip: the %s bound must be a number, got %s", k ? "upper" : "lower",
               luaL_typename(L, at));
    int b = fe_df_constant(L, at);
    if (!lua_isinteger(L, at)) t = CDRT_COL_FLOAT64;
    x = fe_df_add_expr(
        L, (TExpr){.kind = TX_OP, .type = t, .op = k ? OP_MINIMUM : OP_MAXIMUM, .a = x, .b = b});
  }
  return push_expr(L, s, x);
}

/* s:abs(): of numbers, or of timedeltas (NaT, the most negative int64, stays NaT) */
static int s_abs(lua_State *L) {
  LSeries *s = fe_df_check_values(L, 1, "abs");
  bool td = fe_df_tables(L)->x[s->expr].type == CDRT_COL_TIMEDELTA;
  int t = td ? CDRT_COL_TIMEDELTA : numeric_type(L, s, "abs");
  return push_expr(
      L, s,
      fe_df_add_expr(L,
                     (TExpr){.kind = TX_MATH, .type = t, .strfn = TM_ABS, .a = s->expr, .b = -1}));
}

/* s:round(decimals): NumPy's round (halves to even); an int64 Series is its own */
static int s_round(lua_State *L) {
  LSeries *s = fe_df_check_values(L, 1, "round");
  int t = numeric_type(L, s, "round");
  int64_t d = lua_isnoneornil(L, 2) ? 0 : fe_check_int(L, 2, "round: decimals");
  if (d < -308 || d > 308) fe_error(L, "round: decimals must lie in [-308, 308]");
  if (t == CDRT_COL_INT64) {
    if (d < 0) fe_error(L, "round of int64 values to negative decimals is not supported yet");
    return push_expr(L, s, s->expr);
  }
  return push_expr(
      L, s,
      fe_df_add_expr(
          L,
          (TExpr){.kind = TX_MATH, .type = t, .strfn = TM_ROUND, .a = s->expr, .b = -1, .i = d}));
}

/* The missing value of type t, or -1 when t has none (int64 becomes float64 first) */
static int missing_const(lua_State *L, int t) {
  switch (t) {
  case CDRT_COL_FLOAT64:
    return fe_df_add_expr(L, (TExpr){.kind = TX_CONST, .type = t, .f = NAN, .a = -1, .b = -1});
  case CDRT_COL_STR:
    return fe_df_add_expr(L, (TExpr){.kind = TX_CONST, .type = t, .a = -1, .b = -1});
  case CDRT_COL_DATETIME:
    return fe_df_add_expr(L, (TExpr){.kind = TX_CONST, .type = t, .i = CDRT_NAT, .a = -1, .b = -1});
  default: return -1;
  }
}

/* s:where(cond [, other]) keeps s where cond holds, else other (NaN by default); s:mask
 * the opposite (pandas' dtypes: an int64 Series with a NaN or float other is float64) */
static int where_mask(lua_State *L, bool mask, const char *what) {
  LSeries *s = fe_df_check_values(L, 1, what);
  LSeries *c = luaL_testudata(L, 2, SERIES_MT);
  if (!c || c->expr < 0 || fe_df_tables(L)->x[c->expr].type != CDRT_COL_BOOL)
    fe_error(L, "%s: the condition must be a Series of bools of the same frame (a comparison)",
             what);
  if (c->src != s->src || c->mask != s->mask)
    fe_error(L, "%s: the condition comes from another frame (or filter)", what);
  if (fe_df_tables(L)->x[s->expr].cats)
    fe_error(L, "%s of a category is not supported yet (astype(\"str\") first)", what);
  int t = fe_df_tables(L)->x[s->expr].type, v = s->expr, o;
  if (t == CDRT_COL_BOOL) fe_error(L, "%s of a Series of bools is not supported yet", what);
  if (lua_isnoneornil(L, 3)) {
    if (t == CDRT_COL_INT64) t = CDRT_COL_FLOAT64;
    o = missing_const(L, t);
  } else {
    LSeries *os = luaL_testudata(L, 3, SERIES_MT);
    if (os && (os->expr < 0 || os->src != s->src || os->mask != s->mask))
      fe_error(L, "%s: other must be a value or a Series of the same frame", what);
    o = os ? os->expr : fe_df_constant(L, 3);
    int to = fe_df_tables(L)->x[o].type;
    bool nums = (t == CDRT_COL_INT64 || t == CDRT_COL_FLOAT64) &&
                (to == CDRT_COL_INT64 || to == CDRT_COL_FLOAT64);
    if (!nums && to != t)
      fe_error(L, "%s: other of %s for a Series of %s would make an object column (not supported)",
               what, fe_df_type_label(to), fe_df_type_label(t));
    if (to == CDRT_COL_FLOAT64) t = CDRT_COL_FLOAT64;
  }
  int cond = c->expr;
  if (mask)
    cond = fe_df_add_expr(
        L, (TExpr){.kind = TX_OP, .type = CDRT_COL_BOOL, .op = OP_NOT, .a = cond, .b = -1});
  return push_expr(
      L, s, fe_df_add_expr(L, (TExpr){.kind = TX_WHERE, .type = t, .a = cond, .b = v, .i = o}));
}
static int s_where(lua_State *L) {
  return where_mask(L, false, "where");
}
static int s_mask(lua_State *L) {
  return where_mask(L, true, "mask");
}

/* The rows of the value at 1 where the bool Series at top holds, pushed (a frame or Series
 * with that mask and'ed in) */
static int rows_where(lua_State *L, int self) {
  LSeries *m = fe_df_check_values(L, -1, "dropna");
  int keep = m->expr;
  LFrame *f = luaL_testudata(L, self, FRAME_MT);
  if (f) {
    LFrame *g = fe_df_push_frame(L);
    *g = *f;
    g->mask = f->mask < 0 ? keep
                          : fe_df_add_expr(L, (TExpr){.kind = TX_OP,
                                                      .type = CDRT_COL_BOOL,
                                                      .op = OP_AND,
                                                      .a = f->mask,
                                                      .b = keep});
    return 1;
  }
  LSeries *s = fe_df_check_values(L, self, "dropna");
  int mask = s->mask < 0 ? keep
                         : fe_df_add_expr(L, (TExpr){.kind = TX_OP,
                                                     .type = CDRT_COL_BOOL,
                                                     .op = OP_AND,
                                                     .a = s->mask,
                                                     .b = keep});
  fe_df_push_series(L, s->src, s->expr, s->name, mask);
  return 1;
}

static int s_dropna(lua_State *L) {
  fe_df_refuse_traced(L, "dropna", true);
  LSeries *s = fe_df_check_values(L, 1, "dropna");
  if (s->limit >= 0) fe_error(L, "dropna after head is not supported yet");
  push_method(L, 1, "notna");
  lua_call(L, 1, 1);
  return rows_where(L, 1);
}

/* A key of s:map's table, for sorting: the chain of choices is made in the keys' order, so
 * that the emitted C does not depend on Lua's order of a table's keys */
typedef struct {
  int type; /* LUA_TNUMBER, LUA_TSTRING, LUA_TBOOLEAN */
  double num;
  const char *str;
  size_t len;
  int ref; /* the key and value in the registry's scratch table: ref, ref + 1 */
} MapKey;

static int cmp_map_key(const void *pa, const void *pb) {
  const MapKey *a = pa, *b = pb;
  if (a->type != b->type) return a->type < b->type ? -1 : 1;
  if (a->type == LUA_TSTRING) {
    int c = memcmp(a->str, b->str, a->len < b->len ? a->len : b->len);
    return c ? c : (a->len > b->len) - (a->len < b->len);
  }
  return (a->num > b->num) - (a->num < b->num);
}

/* s:map{[key] = value, ...} (pandas' map of a dict): the value of s's key, NaN (or a missing
 * string) where s is no key. The result's type is fixed when compiling: numbers are float64
 * (pandas' int64 when every row has a key depends on the data, as where's) */
int fe_df_map_table(lua_State *L) {
  LSeries *s = fe_df_check_values(L, 1, "map");
  luaL_checktype(L, 2, LUA_TTABLE);
  const TExpr *x = &fe_df_tables(L)->x[s->expr];
  int st = x->type;
  if (x->cats ||
      (st != CDRT_COL_INT64 && st != CDRT_COL_FLOAT64 && st != CDRT_COL_STR && st != CDRT_COL_BOOL))
    fe_error(L,
             "map of a table: a Series of %s is not supported yet (of numbers, bools or "
             "strings; astype(\"str\") first)",
             fe_df_expr_label(L, s->expr));
  int n = 0, vt = -1;
  for (lua_pushnil(L); lua_next(L, 2); lua_pop(L, 1)) n++;
  MapKey *k = arena_alloc(fe_arena(L), (size_t)(n ? n : 1) * sizeof *k);
  lua_newtable(L); /* the scratch table, at top */
  int scratch = lua_gettop(L), i = 0;
  for (lua_pushnil(L); lua_next(L, 2); lua_pop(L, 1)) {
    int kt = lua_type(L, -2), want = st == CDRT_COL_STR    ? LUA_TSTRING
                                     : st == CDRT_COL_BOOL ? LUA_TBOOLEAN
                                                           : LUA_TNUMBER;
    if (kt != want)
      fe_error(L, "map: the key %s is a %s; the Series holds %s (no value of it would match)",
               luaL_tolstring(L, -2, NULL), lua_typename(L, kt), fe_df_type_label(st));
    int t = lua_type(L, -1);
    int v = t == LUA_TSTRING ? CDRT_COL_STR : t == LUA_TNUMBER ? CDRT_COL_FLOAT64 : -1;
    if (v < 0)
      fe_error(L,
               "map: the value of a key is a %s; a table's values must be numbers or strings "
               "(bools are not supported yet: pandas' result is object where a row has no key)",
               lua_typename(L, t));
    if (vt >= 0 && v != vt)
      fe_error(L, "map: the table's values mix numbers and strings (pandas' object column; not "
                  "supported)");
    vt = v;
    MapKey *m = &k[i++];
    m->type = kt;
    m->num = kt == LUA_TNUMBER ? lua_tonumber(L, -2) : lua_toboolean(L, -2);
    m->str = kt == LUA_TSTRING ? lua_tolstring(L, -2, &m->len) : NULL;
    m->ref = 2 * i - 1;
    lua_pushvalue(L, -2), lua_rawseti(L, scratch, m->ref);
    lua_pushvalue(L, -1), lua_rawseti(L, scratch, m->ref + 1);
  }
  qsort(k, (size_t)n, sizeof *k, cmp_map_key);
  if (vt < 0) vt = CDRT_COL_FLOAT64; /* (an empty table: NaN everywhere, as pandas') */
  int acc = missing_const(L, vt);
  for (i = n - 1; i >= 0; i--) { /* the first key's choice outermost */
    push_method(L, 1, "eq");
    lua_rawgeti(L, scratch, k[i].ref);
    lua_call(L, 2, 1);
    int cond = ((LSeries *)lua_touserdata(L, -1))->expr;
    lua_pop(L, 1);
    lua_rawgeti(L, scratch, k[i].ref + 1);
    int val = fe_df_constant(L, lua_gettop(L));
    if (vt == CDRT_COL_FLOAT64 && fe_df_tables(L)->x[val].type != CDRT_COL_FLOAT64)
      val = fe_df_add_expr(L, (TExpr){.kind = TX_CONST,
                                      .type = CDRT_COL_FLOAT64,
                                      .f = (double)lua_tointeger(L, -1),
                                      .a = -1,
                                      .b = -1});
    lua_pop(L, 1);
    acc = fe_df_add_expr(L, (TExpr){.kind = TX_WHERE, .type = vt, .a = cond, .b = val, .i = acc});
  }
  lua_pop(L, 1);
  return push_expr(L, s, acc);
}

static const luaL_Reg series_ops[] = {
    {"between", s_between}, {"isin", s_isin},     {"clip", s_clip},
    {"abs", s_abs},         {"round", s_round},   {"where", s_where},
    {"mask", s_mask},       {"dropna", s_dropna}, {NULL, NULL}};

int fe_df_series_op(lua_State *L, const char *key) {
  for (const luaL_Reg *r = series_ops; r->name; r++)
    if (strcmp(r->name, key) == 0) return lua_pushcfunction(L, r->func), 1;
  return 0;
}

/* ---- frames ---- */
static LFrame *lazy_frame(lua_State *L, const char *what) {
  LFrame *f = fe_df_check_frame(L, 1);
  if (f->limit >= 0) fe_error(L, "%s after head is not supported yet", what);
  return f;
}

static int column_of(lua_State *L, const LFrame *f, const char *name, const char *what) {
  for (int k = 0; k < f->ncols; k++)
    if (strcmp(f->names[k], name) == 0) return k;
  return fe_error(L, "%s: KeyError: \"['%s'] not found in axis\" (the columns: %s)", what, name,
                  fe_df_name_list(L, (const char *const *)f->names, f->ncols));
}

/* The column k of f as a Series, pushed */
static void push_col(lua_State *L, const LFrame *f, int k) {
  LSeries *s = fe_df_push_series(L, f->src, f->cols[k], f->names[k], f->mask);
  s->limit = f->limit;
}

/* A copy of f with its own columns, pushed */
static LFrame *push_copy(lua_State *L, const LFrame *f) {
  Arena *a = fe_arena(L);
  LFrame *g = fe_df_push_frame(L);
  *g = *f;
  g->cols = arena_alloc(a, (size_t)(f->ncols + 1) * sizeof *g->cols);
  g->names = arena_alloc(a, (size_t)(f->ncols + 1) * sizeof *g->names);
  memcpy(g->cols, f->cols, (size_t)f->ncols * sizeof *g->cols);
  memcpy(g->names, f->names, (size_t)f->ncols * sizeof *g->names);
  return g;
}

/* The columns a list (or one name) at idx names, as a bool per column of f */
static bool *named_columns(lua_State *L, const LFrame *f, int idx, const char *what) {
  bool *in = arena_alloc(fe_arena(L), (size_t)(f->ncols + 1) * sizeof *in);
  memset(in, 0, (size_t)(f->ncols + 1) * sizeof *in);
  if (lua_type(L, idx) == LUA_TSTRING) {
    in[column_of(L, f, lua_tostring(L, idx), what)] = true;
    return in;
  }
  if (!lua_istable(L, idx)) fe_error(L, "%s: give a column name or a list of names", what);
  for (int i = 1; i <= (int)luaL_len(L, idx); i++) {
    lua_geti(L, idx, i);
    if (lua_type(L, -1) != LUA_TSTRING) fe_error(L, "%s: item %d of the list is no name", what, i);
    in[column_of(L, f, lua_tostring(L, -1), what)] = true;
    lua_pop(L, 1);
  }
  return in;
}

/* df:dropna([{how = "any" | "all", subset = cols}]): the rows without a missing value in
 * the columns (how = "all": with one present at least) */
static int f_dropna(lua_State *L) {
  fe_df_refuse_traced(L, "dropna", true);
  LFrame *f = lazy_frame(L, "dropna");
  bool all = false, *use = NULL;
  if (!lua_isnoneornil(L, 2)) {
    if (!lua_istable(L, 2)) fe_error(L, "dropna: the options must be a table {how, subset}");
    lua_getfield(L, 2, "how");
    const char *how = lua_isnil(L, -1) ? "any" : lua_tostring(L, -1);
    if (!how || (strcmp(how, "any") != 0 && strcmp(how, "all") != 0))
      fe_error(L, "dropna: how must be \"any\" or \"all\"");
    all = strcmp(how, "all") == 0;
    lua_getfield(L, 2, "subset");
    if (!lua_isnil(L, -1)) use = named_columns(L, f, lua_gettop(L), "dropna");
    lua_pop(L, 2);
    lua_pushnil(L);
    while (lua_next(L, 2)) {
      const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
      if (strcmp(k, "how") != 0 && strcmp(k, "subset") != 0)
        fe_error(L, "dropna: option '%s' is not supported (how, subset)", k);
      lua_pop(L, 1);
    }
  }
  int any = 0;
  for (int k = 0; k < f->ncols; k++) {
    if (use && !use[k]) continue;
    push_col(L, f, k);
    push_method(L, lua_gettop(L), "notna");
    lua_call(L, 1, 1);
    lua_remove(L, -2);
    if (any++) combine(L, all ? LUA_OPBOR : LUA_OPBAND);
  }
  if (!any) { /* no column to look at: every row (pandas' dropna of an empty subset) */
    push_copy(L, f);
    return 1;
  }
  return rows_where(L, 1);
}

/* df:method(value) or df:method{col = value, ...}: the Series method of each column (with
 * the value for it), in a copy of the frame; with `missing` only the columns that can miss
 * a value (fillna leaves the others as they are) */
static int each_column(lua_State *L, const char *method, bool missing) {
  LFrame *f = lazy_frame(L, method), *g = push_copy(L, f);
  int gi = lua_gettop(L);
  bool per_column = lua_istable(L, 2);
  if (per_column) { /* every name must be a column, as pandas' errors */
    lua_pushnil(L);
    while (lua_next(L, 2)) {
      if (lua_type(L, -2) != LUA_TSTRING) fe_error(L, "%s: the table's keys must be names", method);
      column_of(L, f, lua_tostring(L, -2), method);
      lua_pop(L, 1);
    }
  } else if (lua_isnoneornil(L, 2)) {
    fe_error(L, "%s: give a value or {column = value, ...}", method);
  }
  for (int k = 0; k < f->ncols; k++) {
    if (per_column)
      lua_getfield(L, 2, f->names[k]);
    else
      lua_pushvalue(L, 2);
    if (lua_isnil(L, -1) || (missing && !fe_df_may_be_missing(L, f->cols[k]))) {
      lua_pop(L, 1);
      continue;
    }
    int v = lua_gettop(L);
    push_col(L, f, k);
    call1(L, lua_gettop(L), method, v);
    g->cols[k] = fe_df_check_values(L, -1, method)->expr;
    lua_pop(L, 3);
  }
  lua_settop(L, gi);
  return 1;
}

/* df:fillna(value) or df:fillna{col = value, ...}: each column's missing values filled;
 * df:fillna(nil, {method = "ffill"}) a window operation */
static int f_fillna(lua_State *L) {
  if (lua_isnoneornil(L, 2)) return fe_df_fillna_method(L);
  return each_column(L, "fillna", true);
}

/* df:rename{columns = {old = "new", ...}} (names that are no column are ignored, as
 * pandas' errors = "ignore") */
static int f_rename(lua_State *L) {
  LFrame *f = fe_df_check_frame(L, 1), *g = push_copy(L, f);
  if (!lua_istable(L, 2)) fe_error(L, "rename: give {columns = {old = \"new\", ...}}");
  lua_getfield(L, 2, "columns");
  if (!lua_istable(L, -1)) fe_error(L, "rename: give {columns = {old = \"new\", ...}}");
  for (int k = 0; k < f->ncols; k++) {
    lua_getfield(L, -1, f->names[k]);
    if (!lua_isnil(L, -1))
      g->names[k] = arena_strdup(fe_arena(L), fe_check_string(L, -1, "rename: a new name", true));
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return 1;
}

/* df:drop{columns = cols} or df:drop(cols, {axis = 1}): the frame without them */
static int f_drop(lua_State *L) {
  LFrame *f = fe_df_check_frame(L, 1);
  int idx = 2;
  if (lua_istable(L, 2) && luaL_len(L, 2) == 0) {
    lua_getfield(L, 2, "columns");
    idx = lua_gettop(L);
  } else {
    bool axis1 = false;
    if (lua_istable(L, 3)) {
      lua_getfield(L, 3, "axis");
      axis1 = (lua_isinteger(L, -1) && lua_tointeger(L, -1) == 1) ||
              (lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "columns") == 0);
      lua_pop(L, 1);
    }
    if (!axis1)
      fe_error(L, "drop: cdask drops columns: df:drop{columns = {...}} or df:drop(cols, "
                  "{axis = 1}) (rows have no labels to drop by)");
  }
  bool *gone = named_columns(L, f, idx, "drop");
  LFrame *g = push_copy(L, f);
  g->ncols = 0;
  for (int k = 0; k < f->ncols; k++)
    if (!gone[k]) g->cols[g->ncols] = f->cols[k], g->names[g->ncols++] = f->names[k];
  return 1;
}

/* df:astype(dtype) or df:astype{col = dtype, ...}: Series.astype of those columns */
static int f_astype(lua_State *L) {
  return each_column(L, "astype", false);
}

static const luaL_Reg frame_methods[] = {{"dropna", f_dropna}, {"fillna", f_fillna},
                                         {"rename", f_rename}, {"drop", f_drop},
                                         {"astype", f_astype}, {NULL, NULL}};

int fe_df_frame_method(lua_State *L, const char *key) {
  for (const luaL_Reg *r = frame_methods; r->name; r++)
    if (strcmp(r->name, key) == 0) return lua_pushcfunction(L, r->func), 1;
  return 0;
}
