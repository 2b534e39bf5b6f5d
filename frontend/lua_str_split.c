/* lua_str_split.c: s.str:split(sep), a Series of Python's lists, which cdask keeps as the
 * string and its separator: only .str:get(i) (a piece, missing where there is none) and
 * .str:len() (the number of pieces) take it on, as pandas' s.str.split(sep).str[i] and
 * .str.len(). sep nil is Python's split(): runs of whitespace. */
#include "frontend.h"

#include <string.h>

#define SPLIT_MT "cdask.dataframe.SplitLists"
#define SPLITACC_MT "cdask.dataframe.SplitListsStr"

/* The lists at idx: their Series pushed (checked), their separator's expression (-1) */
static LSeries *split_lists(lua_State *L, int idx, int *sep) {
  lua_getfield(L, idx, "sep");
  *sep = (int)lua_tointeger(L, -1);
  lua_pop(L, 1);
  lua_geti(L, idx, 1);
  return fe_df_check_values(L, -1, "str.split");
}

static int push_piece(lua_State *L, const LSeries *s, TExpr e) {
  e.kind = TX_STR, e.a = s->expr;
  fe_df_push_series(L, s->src, fe_df_add_expr(L, e), s->name, s->mask);
  return 1;
}

/* lists.str:get(i) */
static int split_get(lua_State *L) {
  int sep;
  luaL_checkudata(L, 1, SPLITACC_MT);
  int64_t i = fe_check_int(L, 2, "str.get: i");
  lua_getiuservalue(L, 1, 1);
  LSeries *s = split_lists(L, lua_gettop(L), &sep);
  return push_piece(L, s, (TExpr){.type = CDRT_COL_STR, .strfn = TS_SPLIT_GET, .b = sep, .i = i});
}

/* lists.str:len(): int64, or float64 (NaN) where a string may be missing, as str.len */
static int split_len(lua_State *L) {
  int sep;
  luaL_checkudata(L, 1, SPLITACC_MT);
  lua_getiuservalue(L, 1, 1);
  LSeries *s = split_lists(L, lua_gettop(L), &sep);
  int type = fe_df_may_be_missing(L, s->expr) ? CDRT_COL_FLOAT64 : CDRT_COL_INT64;
  return push_piece(L, s, (TExpr){.type = type, .strfn = TS_SPLIT_LEN, .b = sep});
}

static int splitacc_index(lua_State *L) {
  const char *key = luaL_checkstring(L, 2);
  if (strcmp(key, "get") == 0) return lua_pushcfunction(L, split_get), 1;
  if (strcmp(key, "len") == 0) return lua_pushcfunction(L, split_len), 1;
  return fe_error(L,
                  "str.split's lists: str.%s is not supported yet (str:get(i) and str:len() "
                  "are)",
                  key);
}

static int split_index(lua_State *L) {
  const char *key = luaL_checkstring(L, 2);
  if (strcmp(key, "str") != 0)
    return fe_error(L,
                    "a Series of lists (str.split) has no '%s' here: take a piece with "
                    ".str:get(i) or count them with .str:len()",
                    key);
  lua_newuserdatauv(L, 1, 1); /* the accessor, the lists as its user value */
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, -2, 1);
  if (luaL_newmetatable(L, SPLITACC_MT)) {
    lua_pushcfunction(L, splitacc_index);
    lua_setfield(L, -2, "__index");
  }
  lua_setmetatable(L, -2);
  return 1;
}

int fe_df_str_split(lua_State *L) {
  int arg;
  LSeries *s = fe_df_str_series(L, &arg);
  if (!lua_isnoneornil(L, arg + 1))
    fe_error(L, "str.split: n, expand and regex are not supported yet (a separator alone)");
  int sep = -1;
  if (!lua_isnoneornil(L, arg)) {
    size_t n;
    if (lua_type(L, arg) != LUA_TSTRING) fe_error(L, "str.split: sep must be a string or nil");
    lua_tolstring(L, arg, &n);
    if (n == 0) fe_error(L, "str.split: ValueError: empty separator");
    sep = fe_df_constant(L, arg);
  }
  lua_createtable(L, 1, 1);
  fe_df_push_series(L, s->src, s->expr, s->name, s->mask); /* the strings */
  lua_seti(L, -2, 1);
  lua_pushinteger(L, sep);
  lua_setfield(L, -2, "sep");
  if (luaL_newmetatable(L, SPLIT_MT)) {
    lua_pushcfunction(L, split_index);
    lua_setfield(L, -2, "__index");
  }
  lua_setmetatable(L, -2);
  return 1;
}
