/* lua_str_pad.c: str accessor methods of positions and padding (frontend.h, "lua_str_pad.c"):
 * s.str:zfill(width), s.str:get(i), s.str:find(sub), s.str:rfind(sub), s.str:pad(width,
 * {side, fillchar}), s.str:ljust(width, fillchar), s.str:rjust(...), s.str:center(...), as
 * pandas runs Python's str methods of the same names, in code points (runtime/strops.c). */
#include "frontend.h"

#include <string.h>

static int push(lua_State *L, const LSeries *s, TExpr e) {
  e.kind = TX_STR, e.a = s->expr;
  fe_df_push_series(L, s->src, fe_df_add_expr(L, e), s->name, s->mask);
  return 1;
}

/* width at idx: an integer (pandas' TypeError otherwise) */
static int64_t width_at(lua_State *L, int idx, const char *what) {
  if (!lua_isinteger(L, idx))
    fe_error(L, "str.%s: TypeError: width must be of integer type, not %s", what,
             lua_type(L, idx) == LUA_TNUMBER ? "float" : luaL_typename(L, idx));
  return lua_tointeger(L, idx);
}

/* The fill character at idx (nil: a space) as a constant: one code point */
static int fill_at(lua_State *L, int idx, const char *what) {
  if (lua_isnoneornil(L, idx)) {
    lua_pushstring(L, " ");
    int x = fe_df_constant(L, lua_gettop(L));
    lua_pop(L, 1);
    return x;
  }
  if (lua_type(L, idx) != LUA_TSTRING)
    fe_error(L, "str.%s: TypeError: fillchar must be a character, not %s", what,
             luaL_typename(L, idx));
  size_t n;
  const char *f =
      fe_check_string(L, idx, arena_printf(fe_arena(L), "str.%s: fillchar", what), true);
  n = strlen(f);
  size_t k = n ? 1 : 0;
  while (k < n && ((unsigned char)f[k] & 0xc0) == 0x80) k++;
  if (n == 0 || k != n)
    fe_error(L, "str.%s: TypeError: fillchar must be a character, not a string of %s", what,
             n ? "several" : "none");
  return fe_df_constant(L, idx);
}

static int str_zfill(lua_State *L) {
  int arg;
  LSeries *s = fe_df_str_series(L, &arg);
  return push(
      L, s,
      (TExpr){.type = CDRT_COL_STR, .strfn = TS_ZFILL, .b = -1, .i = width_at(L, arg, "zfill")});
}

static int str_get(lua_State *L) {
  int arg;
  LSeries *s = fe_df_str_series(L, &arg);
  int64_t i = fe_check_int(L, arg, "str.get: i");
  return push(L, s, (TExpr){.type = CDRT_COL_STR, .strfn = TS_GET, .b = -1, .i = i});
}

static int find(lua_State *L, int right) {
  int arg;
  LSeries *s = fe_df_str_series(L, &arg);
  const char *what = right ? "rfind" : "find";
  if (lua_type(L, arg) != LUA_TSTRING)
    fe_error(L, "str.%s: TypeError: expected a string object, not %s", what, luaL_typename(L, arg));
  if (!lua_isnone(L, arg + 1)) fe_error(L, "str.%s: start and end are not supported yet", what);
  fe_check_string(L, arg, arena_printf(fe_arena(L), "str.%s: sub", what), true);
  /* pandas: int64, or float64 (NaN) where a value is missing, as str.len */
  int type = fe_df_may_be_missing(L, s->expr) ? CDRT_COL_FLOAT64 : CDRT_COL_INT64;
  return push(L, s,
              (TExpr){.type = type, .strfn = TS_FIND, .b = fe_df_constant(L, arg), .step = right});
}
static int str_find(lua_State *L) {
  return find(L, 0);
}
static int str_rfind(lua_State *L) {
  return find(L, 1);
}

/* side 0: rjust (pandas' side = "left"), 1: ljust ("right"), 2: center ("both") */
static int pad(lua_State *L, int side, int width, int fill, const char *what) {
  int arg;
  LSeries *s = fe_df_str_series(L, &arg);
  return push(L, s,
              (TExpr){.type = CDRT_COL_STR,
                      .strfn = TS_PAD,
                      .i = width_at(L, arg + width, what),
                      .b = fill_at(L, arg + fill, what),
                      .step = side});
}

/* s.str:pad(width, {side = "left" | "right" | "both", fillchar = " "}) */
static int str_pad(lua_State *L) {
  int arg;
  (void)fe_df_str_series(L, &arg);
  int opts = fe_options(L, arg + 1), side = 0;
  if (opts) {
    lua_getfield(L, opts, "side");
    static const char *const sides[] = {"left", "right", "both"};
    if (!lua_isnil(L, -1)) {
      const char *v = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
      while (side < 3 && strcmp(v, sides[side]) != 0) side++;
      if (side == 3) fe_error(L, "str.pad: ValueError: Invalid side");
    }
    lua_pop(L, 1);
    lua_getfield(L, opts, "fillchar");
    lua_replace(L, arg + 1); /* the fill in the options' place */
  }
  return pad(L, side, 0, 1, "pad");
}
static int str_rjust(lua_State *L) {
  return pad(L, 0, 0, 1, "rjust");
}
static int str_ljust(lua_State *L) {
  return pad(L, 1, 0, 1, "ljust");
}
static int str_center(lua_State *L) {
  return pad(L, 2, 0, 1, "center");
}

int fe_df_str_more(lua_State *L, const char *key) {
  static const luaL_Reg fns[] = {{"zfill", str_zfill},       {"get", str_get},
                                 {"find", str_find},         {"rfind", str_rfind},
                                 {"pad", str_pad},           {"ljust", str_ljust},
                                 {"rjust", str_rjust},       {"center", str_center},
                                 {"split", fe_df_str_split}, {NULL, NULL}};
  for (const luaL_Reg *r = fns; r->name; r++)
    if (strcmp(r->name, key) == 0) {
      lua_pushvalue(L, 1);
      lua_pushcclosure(L, r->func, 1);
      return 1;
    }
  return 0;
}
