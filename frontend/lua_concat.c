/* lua_concat.c: dd.concat({a, b, ...}, {ignore_index, axis}) (frontend.h, "lua_concat.c"),
 * Dask's and pandas' concat of frames or Series along the rows: a FOP_CONCAT result over the
 * parts' rows (runtime/frame_concat.c), its columns the union of theirs (table_concat_shape);
 * with axis = 1 along the columns, aligned on the index. */
#include "frontend.h"

#include <string.h>

int fe_df_concat(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  int n = (int)luaL_len(L, 1);
  if (n < 1) fe_error(L, "concat: ValueError: No objects to concatenate");
  int opts = fe_options(L, 2);
  bool ignore = false;
  int axis = 0;
  if (opts) {
    lua_getfield(L, opts, "ignore_index");
    if (!lua_isnil(L, -1) && !lua_isboolean(L, -1))
      fe_error(L, "concat: ignore_index must be a boolean");
    ignore = lua_toboolean(L, -1);
    lua_getfield(L, opts, "axis");
    if (lua_type(L, -1) == LUA_TSTRING) /* pandas' names of the axes */
      axis = strcmp(lua_tostring(L, -1), "index") == 0     ? 0
             : strcmp(lua_tostring(L, -1), "columns") == 0 ? 1
                                                           : -1;
    else if (!lua_isnil(L, -1))
      axis = lua_isinteger(L, -1) && (lua_tointeger(L, -1) == 0 || lua_tointeger(L, -1) == 1)
                 ? (int)lua_tointeger(L, -1)
                 : -1;
    if (axis < 0)
      fe_error(L, "concat: axis must be 0 or \"index\" (along the rows), or 1 or \"columns\"");
    lua_pop(L, 2);
  }
  int *parts = arena_alloc(fe_arena(L), (size_t)n * sizeof *parts);
  for (int i = 0; i < n; i++) {
    lua_geti(L, 1, i + 1);
    if (!luaL_testudata(L, -1, FRAME_MT) && !luaL_testudata(L, -1, SERIES_MT))
      fe_error(L, "concat: item %d is %s, not a DataFrame or a Series", i + 1,
               luaL_typename(L, -1));
    parts[i] = fe_df_rows_of(L, lua_gettop(L));
    TShape s = table_result_shape(fe_df_graph(L), parts[i]);
    if (s.scalar) fe_error(L, "concat: item %d is a Scalar", i + 1);
    if (s.multi || s.nlev != 1)
      fe_error(L, "concat: item %d has a MultiIndex (of its %s): not supported yet", i + 1,
               s.multi ? "columns" : "rows");
    if (s.cats)
      for (int k = 0; k < s.ncols; k++)
        if (s.cats[k])
          fe_error(L,
                   "concat: the category column '%s' is not supported yet (astype(\"str\") "
                   "first)",
                   s.names[k] ? s.names[k] : "?");
    TShape s0 = table_result_shape(fe_df_graph(L), parts[0]);
    if (axis == 1 && s.ltypes[0] != s0.ltypes[0])
      fe_error(L,
               "concat: the index of item %d is of %s, item 1's of %s: along the columns the "
               "indexes align, and must be of one type",
               i + 1, fe_df_type_label(s.ltypes[0]), fe_df_type_label(s0.ltypes[0]));
    if (!ignore && s.ltypes[0] != s0.ltypes[0])
      fe_error(L,
               "concat: the index of item %d is of %s, item 1's of %s (pandas would make it "
               "object): pass ignore_index = true",
               i + 1, fe_df_type_label(s.ltypes[0]), fe_df_type_label(s0.ltypes[0]));
    lua_pop(L, 1);
  }
  TResult q = {.kind = TR_POST,
               .src = -1,
               .mask = -1,
               .rop = -1,
               .expr = -1,
               .in = parts[0],
               .fop = FOP_CONCAT,
               .ncols = n,
               .cols = parts,
               .limit = -1,
               .keep = axis,
               .drop = ignore};
  TShape s = table_concat_shape(fe_df_graph(L), &q);
  q.series = s.series;
  for (int k = 0; k < s.ncols; k++)
    if (s.types[k] < 0)
      fe_error(L,
               "concat: column '%s' would be object in pandas (bools with missing values, or "
               "values of different types): not supported",
               s.names[k] ? s.names[k] : "?");
  return fe_df_push_computed(L, fe_df_result_add(L, q), "concat");
}
