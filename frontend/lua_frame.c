/* lua_frame.c: the dataframe objects as Lua sees them (frontend.h, "lua_frame.c"): full
 * userdata with a metatable each, made and checked here for lua_groupby.c and
 * lua_dataframe.c. */
#include "frontend.h"

#include <string.h>

Graph *fe_df_graph(lua_State *L) {
  return fe_ctx(L)->graph;
}
Tables *fe_df_tables(lua_State *L) {
  return &fe_ctx(L)->graph->tables;
}

void fe_df_locate(lua_State *L, const char **file, int *line) {
  Node n = {0};
  fe_locate(L, &n);
  *file = n.file, *line = n.line;
}

LFrame *fe_df_push_frame(lua_State *L) {
  LFrame *f = lua_newuserdatauv(L, sizeof *f, 0);
  memset(f, 0, sizeof *f);
  f->mask = -1, f->limit = -1;
  luaL_setmetatable(L, FRAME_MT);
  return f;
}
LSeries *fe_df_push_series(lua_State *L, int src, int expr, const char *name, int mask) {
  LSeries *s = lua_newuserdatauv(L, sizeof *s, 0);
  *s = (LSeries){src, expr, name, mask, -1, -1};
  luaL_setmetatable(L, SERIES_MT);
  return s;
}
int fe_df_push_scalar(lua_State *L, int result, int type, const char *what) {
  LScalar *s = lua_newuserdatauv(L, sizeof *s, 0);
  *s = (LScalar){result, type, what};
  luaL_setmetatable(L, SCALAR_MT);
  return 1;
}

LFrame *fe_df_check_frame(lua_State *L, int i) {
  return luaL_checkudata(L, i, FRAME_MT);
}
LSeries *fe_df_check_series(lua_State *L, int i) {
  LSeries *s = luaL_testudata(L, i, SERIES_MT);
  if (!s) fe_error(L, "expected a Series, got %s", luaL_typename(L, i));
  return s;
}
/* a Series of values (not a computed one such as value_counts) */
LSeries *fe_df_check_values(lua_State *L, int i, const char *what) {
  LSeries *s = fe_df_check_series(L, i);
  if (s->expr < 0)
    fe_error(
        L, "%s: the Series is a computed result (value_counts); it can only be printed or written",
        what);
  return s;
}

int fe_df_add_expr(lua_State *L, TExpr x) {
  return table_add_expr(fe_df_graph(L), &x);
}

const char *fe_df_type_label(int t) {
  return t == CDRT_COL_STR ? "object" : cdrt_coltype_name(t);
}

int fe_df_result_add(lua_State *L, TResult r) {
  fe_df_locate(L, &r.file, &r.line);
  return table_add_result(fe_df_graph(L), &r);
}
