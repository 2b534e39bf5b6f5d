/* lua_frame_shape.c: what Dask tells of a frame's size and types (frontend.h,
 * "lua_frame_shape.c"): #df and #s (Dask's len, a Scalar the scan counts), df.size (rows
 * times columns), df.shape ({rows,
 * columns}: the rows a Scalar, as Dask's delayed first element) and df.dtypes (pandas'
 * Series of dtypes, known while compiling: a table of column name -> dtype name that
 * prints as pandas prints it). */
#include "frontend.h"

#include <string.h>

#define DTYPES_MT "cdask.dataframe.dtypes"

/* The rows of the frame or Series at idx: a Scalar. A lazy one's are counted by its scan
 * (a constant counted under the frame's filter); a computed one's are its frame's n. */
static void push_rows(lua_State *L, int idx) {
  LFrame *f = luaL_testudata(L, idx, FRAME_MT);
  LSeries *s = f ? NULL : fe_df_check_series(L, idx);
  if ((f && f->limit < 0) || (s && s->expr >= 0 && s->limit < 0)) {
    int src = f ? f->src : s->src, mask = f ? f->mask : s->mask;
    int one = fe_df_add_expr(
        L, (TExpr){.kind = TX_CONST, .type = CDRT_COL_INT64, .i = 1, .src = src, .a = -1, .b = -1});
    int r = fe_df_result_add(L, (TResult){.kind = TR_AGG,
                                          .src = src,
                                          .mask = mask,
                                          .rop = CDRT_AGG_COUNT,
                                          .expr = one,
                                          .limit = -1});
    fe_df_push_scalar(L, r, CDRT_COL_INT64, "len");
    return;
  }
  lua_pushvalue(L, idx);
  int rows = fe_df_rows_of(L, -1);
  lua_pop(L, 1);
  int r = fe_df_result_add(L, (TResult){.kind = TR_POST,
                                        .src = -1,
                                        .mask = -1,
                                        .rop = CDRT_AGG_SIZE,
                                        .expr = -1,
                                        .in = rows,
                                        .fop = FOP_AGG,
                                        .limit = -1});
  fe_df_push_scalar(L, r, CDRT_COL_INT64, "len");
}

int fe_df_len(lua_State *L) {
  LSeries *s = luaL_testudata(L, 1, SERIES_MT);
  if (s && s->expr >= 0 && table_json_list(fe_df_tables(L), s->expr) >= 0) {
    /* #x.tags of a JSON list field: Python's len of each (float64, NaN, where it may be
     * missing, as pandas' str.len) */
    int type = fe_df_may_be_missing(L, s->expr) ? CDRT_COL_FLOAT64 : CDRT_COL_INT64;
    int x = fe_df_add_expr(
        L, (TExpr){.kind = TX_STR, .type = type, .strfn = TS_LIST_LEN, .a = s->expr, .b = -1});
    LSeries *r = fe_df_push_series(L, s->src, x, s->name, s->mask);
    r->limit = s->limit;
    return 1;
  }
  push_rows(L, 1);
  return 1;
}

/* The columns' names and dtype labels of the frame or Series at idx; their number */
static int column_labels(lua_State *L, int idx, const char ***names, const char ***labels) {
  LFrame *f = luaL_testudata(L, idx, FRAME_MT);
  Arena *a = fe_arena(L);
  if (f) {
    *names = (const char **)f->names;
    *labels = arena_alloc(a, (size_t)(f->ncols + 1) * sizeof **labels);
    for (int k = 0; k < f->ncols; k++) (*labels)[k] = fe_df_expr_label(L, f->cols[k]);
    return f->ncols;
  }
  LSeries *s = fe_df_check_series(L, idx);
  if (s->expr >= 0) {
    *names = arena_alloc(a, sizeof **names), *labels = arena_alloc(a, sizeof **labels);
    (*names)[0] = s->name, (*labels)[0] = fe_df_expr_label(L, s->expr);
    return 1;
  }
  TShape sh = table_result_shape(fe_df_graph(L), s->result);
  if (sh.scalar) fe_error(L, "a Scalar has no columns");
  *names = sh.names;
  *labels = arena_alloc(a, (size_t)(sh.ncols + 1) * sizeof **labels);
  for (int k = 0; k < sh.ncols; k++)
    (*labels)[k] = sh.cats && sh.cats[k] ? "category" : fe_df_type_label(sh.types[k]);
  return sh.ncols;
}

/* df.shape: {rows, columns} (a Series': {rows}) */
static int push_shape(lua_State *L, int idx, bool series) {
  const char **names, **labels;
  int n = column_labels(L, idx, &names, &labels);
  lua_createtable(L, 2, 0);
  push_rows(L, idx);
  lua_rawseti(L, -2, 1);
  if (!series) lua_pushinteger(L, n), lua_rawseti(L, -2, 2);
  return 1;
}

/* pandas' repr of the dtypes Series: names left-aligned, dtypes right-aligned */
static int dtypes_tostring(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  int n = (int)lua_rawlen(L, 1), wn = 0, wt = 0;
  StrBuf b;
  sb_init(&b);
  for (int pass = 0; pass < 2; pass++) /* the widths, then the lines */
    for (int k = 1; k <= n; k++) {
      lua_rawgeti(L, 1, k);
      lua_pushvalue(L, -1);
      lua_rawget(L, 1);
      const char *name = lua_tostring(L, -2), *type = lua_tostring(L, -1);
      int ln = name ? (int)strlen(name) : 0, lt = type ? (int)strlen(type) : 0;
      if (!pass)
        wn = ln > wn ? ln : wn, wt = lt > wt ? lt : wt;
      else
        sb_printf(&b, "%-*s    %*s\n", wn, name ? name : "", wt, type ? type : "");
      lua_pop(L, 2);
    }
  sb_puts(&b, "dtype: object");
  lua_pushstring(L, b.data);
  sb_free(&b);
  return 1;
}

/* df.dtypes: {name, ..., [name] = dtype} (the names in order, then each name's dtype) */
static int push_dtypes(lua_State *L, int idx) {
  const char **names, **labels;
  int n = column_labels(L, idx, &names, &labels);
  lua_createtable(L, n, n);
  for (int k = 0; k < n; k++) {
    const char *name = names[k] ? names[k] : "None";
    lua_pushstring(L, name), lua_rawseti(L, -2, k + 1);
    lua_pushstring(L, labels[k]), lua_setfield(L, -2, name);
  }
  luaL_setmetatable(L, DTYPES_MT);
  return 1;
}

/* df.size: rows times columns (a Series': its rows), a Scalar as Dask's */
static int push_size(lua_State *L, int idx, bool series) {
  const char **names, **labels;
  int n = column_labels(L, idx, &names, &labels);
  push_rows(L, idx);
  if (!series) lua_pushinteger(L, n), lua_arith(L, LUA_OPMUL);
  return 1;
}

int fe_df_shape_attribute(lua_State *L, int idx, const char *key, bool series) {
  if (strcmp(key, "shape") == 0) return push_shape(L, idx, series);
  if (strcmp(key, "size") == 0) return push_size(L, idx, series);
  if (strcmp(key, "dtypes") == 0 && !series) return push_dtypes(L, idx);
  return 0;
}

void fe_open_frame_shape(lua_State *L) {
  luaL_newmetatable(L, DTYPES_MT);
  lua_pushcfunction(L, dtypes_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);
}
