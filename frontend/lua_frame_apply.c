/* lua_frame_apply.c: the user's Lua functions over a frame's values, traced while compiling
 * as a bag's are (bag.lua): s:map(f) and s:apply(f) (f of each value), df:apply(f, {axis =
 * 1}) (f of each row: r.a and r["b"] are its values), s:map{[key] = value} (pandas' map
 * of a dict: lua_series_ops.c) and df:map_partitions(f, ...) or
 * s:map_partitions(f, ...) (f of a partition: pandas' operations on it).
 *
 * Each calls f once, with the Series or frame itself: what f does with it is expressions of
 * its rows, fused into the scan like the operators. An operation over rows inside f is an
 * error at f's line (fe_df_refuse_traced): of one value (map, apply) every reduction, head,
 * row selection and the index have no meaning (Python's int has no mean()); of a partition
 * (map_partitions) a reduction, head or the index would depend on how cdask cuts the file
 * into blocks (Dask's read_csv numbers each partition's rows from 0), while a row selection
 * is each partition's own and is kept. */
#include "frontend.h"

#include <string.h>

enum { EACH_VALUE, EACH_PARTITION };

/* f (at fidx) called with the n values from first on, traced: its one result pushed */
static void call_traced(lua_State *L, int fidx, int first, int n, int mode) {
  lua_pushvalue(L, fidx);
  for (int i = 0; i < n; i++) lua_pushvalue(L, first + i);
  int (*depth)(lua_State *, int) = mode == EACH_VALUE ? fe_df_tracing : fe_df_partition_tracing;
  depth(L, 1);
  int rc = lua_pcall(L, n, 1, 0);
  depth(L, -1);
  if (rc != LUA_OK) lua_error(L); /* (the message says where already) */
}

static void check_callable(lua_State *L, int idx, const char *what) {
  if (lua_type(L, idx) == LUA_TFUNCTION) return;
  if (luaL_getmetafield(L, idx, "__call") != LUA_TNIL) { /* a kernel (cd.kernels) */
    lua_pop(L, 1);
    return;
  }
  fe_error(L, "%s: expected a function, got %s", what, luaL_typename(L, idx));
}

/* The options at idx of a Series' map and apply: meta (Dask's hint of the result's type;
 * cdask knows it) is accepted, and map's na_action = "ignore" (each_value); any other key is
 * refused */
static void check_options(lua_State *L, int idx, const char *what) {
  bool map = strcmp(what, "map") == 0;
  int opts = fe_named_options(L, idx, what, map ? "meta na_action" : "meta");
  if (!map || !opts) return;
  lua_getfield(L, opts, "na_action");
  if (!lua_isnil(L, -1) &&
      (lua_type(L, -1) != LUA_TSTRING || strcmp(lua_tostring(L, -1), "ignore") != 0))
    fe_error(L, "map: na_action must be \"ignore\" or nil");
  lua_pop(L, 1);
}

/* The result of f traced on one value or row at the top, of rows src under mask: a Series
 * of them named name (replacing the top), or a clear error */
static void value_result(lua_State *L, int src, int mask, const char *name, const char *what) {
  int top = lua_gettop(L);
  int t = lua_type(L, top);
  if (t == LUA_TBOOLEAN)
    fe_error(L,
             "%s: the function returned a Lua boolean; Lua compares a traced value with a "
             "number without asking cdask (x %% 2 == 0 is always false): write (x %% 2):eq(0), "
             "x:lt(3), x:ne(y), ...",
             what);
  if (t == LUA_TNUMBER || t == LUA_TSTRING) { /* a function that ignores its value */
    int x = fe_df_constant(L, top);
    lua_pop(L, 1);
    fe_df_push_series(L, src, x, name, mask);
    return;
  }
  LSeries *s = luaL_testudata(L, top, SERIES_MT);
  if (!s)
    fe_error(L, "%s: the function returned %s; it must compute one value from its argument", what,
             luaL_testudata(L, top, SCALAR_MT)  ? "a Scalar"
             : luaL_testudata(L, top, FRAME_MT) ? "a DataFrame"
                                                : luaL_typename(L, top));
  if (s->expr < 0 || s->index || s->limit >= 0 || s->src != src || s->mask != mask)
    fe_error(L,
             "%s: the function's result is not one value for each of its argument's (it "
             "must compute from its argument only)",
             what);
  int x = s->expr;
  lua_pop(L, 1);
  fe_df_push_series(L, src, x, name, mask);
}

/* s:map(f [, {meta}]) and s:apply(f [, {meta}]): f of each value, the result named as s
 * (pandas keeps the name) */
static int each_value(lua_State *L, const char *what) {
  LSeries *s = fe_df_check_values(L, 1, what);
  if (lua_istable(L, 2) && !lua_getmetatable(L, 2)) { /* (a kernel's table has one) */
    if (strcmp(what, "map"))
      fe_error(L, "apply of a table: give a function (s:map takes a table of values)");
    check_options(L, 3, what);
    return fe_df_map_table(L);
  }
  check_callable(L, 2, what);
  check_options(L, 3, what);
  if (s->limit >= 0) fe_error(L, "%s after head is not supported yet", what);
  int src = s->src, mask = s->mask, x = s->expr;
  const char *name = s->name;
  bool ignore = false; /* na_action = "ignore": missing where s is */
  if (lua_istable(L, 3)) {
    ignore = lua_getfield(L, 3, "na_action") != LUA_TNIL;
    lua_pop(L, 1);
  }
  call_traced(L, 2, 1, 1, EACH_VALUE);
  value_result(L, src, mask, name, what);
  if (ignore && fe_df_may_be_missing(L, x)) { /* the result:where(s:notna()) */
    const LSeries *r = lua_touserdata(L, -1);
    if (fe_df_tables(L)->x[r->expr].type == CDRT_COL_BOOL)
      fe_error(L, "map with na_action = \"ignore\" of a function that returns bools is not "
                  "supported yet (pandas' result is object where a value is missing)");
    lua_getfield(L, -1, "where");
    lua_pushvalue(L, -2);
    lua_getfield(L, 1, "notna");
    lua_pushvalue(L, 1);
    lua_call(L, 1, 1);
    lua_call(L, 2, 1);
  }
  return 1;
}

static int s_map(lua_State *L) {
  return each_value(L, "map");
}

static int s_apply(lua_State *L) {
  return each_value(L, "apply");
}

/* Whether f's columns are int64 and float64 both and nothing else: pandas gives apply's
 * function each row as a Series of their common type, float64 (with a bool, string or other
 * column the row is object, and each value keeps its own type) */
static bool numbers_mixed(lua_State *L, const LFrame *f) {
  bool ints = false, floats = false;
  for (int k = 0; k < f->ncols; k++) {
    const TExpr *e = &fe_df_tables(L)->x[f->cols[k]];
    if (e->cats || (e->type != CDRT_COL_INT64 && e->type != CDRT_COL_FLOAT64)) return false;
    ints |= e->type == CDRT_COL_INT64, floats |= e->type == CDRT_COL_FLOAT64;
  }
  return ints && floats;
}

/* df:apply(f, {axis = 1}): f of each row (r.a, r["b"]: its values), an unnamed Series */
static int f_apply(lua_State *L) {
  LFrame *f = fe_df_check_frame(L, 1);
  check_callable(L, 2, "apply");
  fe_named_options(L, 3, "apply", "meta axis");
  lua_Integer axis = 0;
  if (lua_istable(L, 3)) {
    lua_getfield(L, 3, "axis");
    if (lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "columns") == 0)
      axis = 1;
    else if (!lua_isnil(L, -1))
      axis = fe_check_int(L, -1, "apply: axis");
    lua_pop(L, 1);
  }
  if (axis != 1)
    fe_error(L, "apply: only axis = 1 (f of each row) is supported, as in Dask (its apply is "
                "row-wise only)");
  if (f->limit >= 0) fe_error(L, "apply after head is not supported yet");
  int src = f->src, mask = f->mask;
  if (numbers_mixed(L, f)) { /* pandas' row of ints and floats is float64 */
    lua_getfield(L, 1, "astype");
    lua_pushvalue(L, 1), lua_pushstring(L, "float64");
    lua_call(L, 2, 1);
    lua_replace(L, 1);
  }
  call_traced(L, 2, 1, 1, EACH_VALUE);
  value_result(L, src, mask, NULL, "apply");
  return 1;
}

/* x:map_partitions(f, ...): f of a partition (x itself, traced) and the other arguments; a
 * frame or Series of x's rows (f may select rows, as a filter of each partition does) */
static int map_partitions(lua_State *L) {
  LFrame *f = luaL_testudata(L, 1, FRAME_MT);
  LSeries *s = f ? NULL : fe_df_check_values(L, 1, "map_partitions");
  int src = f ? f->src : s->src;
  check_callable(L, 2, "map_partitions");
  if ((f ? f->limit : s->limit) >= 0) fe_error(L, "map_partitions after head is not supported yet");
  int top = lua_gettop(L);
  lua_pushvalue(L, 1), lua_pushvalue(L, 2);
  lua_replace(L, 1), lua_replace(L, 2); /* f, x, the arguments */
  call_traced(L, 1, 2, top - 1, EACH_PARTITION);
  LFrame *g = luaL_testudata(L, -1, FRAME_MT);
  LSeries *r = g ? NULL : luaL_testudata(L, -1, SERIES_MT);
  if (!g && !r)
    fe_error(L,
             "map_partitions: the function returned %s; it must return its partition's "
             "rows, computed (one value per partition would depend on how cdask cuts the "
             "input into blocks: reduce the frame itself instead)",
             luaL_testudata(L, -1, SCALAR_MT) ? "a Scalar" : luaL_typename(L, -1));
  if ((g ? g->src : r->src) != src || (g ? g->limit : r->limit) >= 0 || (r && r->expr < 0))
    fe_error(L, "map_partitions: the function's result is not rows of its partition (it must "
                "compute from its argument only)");
  return 1;
}

static const luaL_Reg series_apply[] = {
    {"map", s_map}, {"apply", s_apply}, {"map_partitions", map_partitions}, {NULL, NULL}};
static const luaL_Reg frame_apply[] = {
    {"apply", f_apply}, {"map_partitions", map_partitions}, {NULL, NULL}};

int fe_df_apply_op(lua_State *L, const char *key, bool frame) {
  for (const luaL_Reg *r = frame ? frame_apply : series_apply; r->name; r++)
    if (strcmp(r->name, key) == 0) return lua_pushcfunction(L, r->func), 1;
  return 0;
}
