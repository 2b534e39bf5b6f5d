/* lua_module.c: the cdask.array module (da) and the cdask module, in package.preload. It
 * makes the tables (da, da.random, the methods and the metatable of arrays) and lets each
 * feature file add its functions; da and da.random raise an error for an unknown name.
 * The files it opens and what they call are drawn in frontend/README.md. */
#include "frontend.h"

static int l_unknown_function(lua_State *L) {
  const char *key = lua_tostring(L, 2);
  lua_getfield(L, 1, "__name");
  const char *mod = lua_tostring(L, -1);
  return fe_error(L, "%s has no function '%s'", mod ? mod : "module", key ? key : "?");
}

/* The table at the top, named name, raises "NAME has no function 'KEY'" for a missing key. */
static void make_strict(lua_State *L, const char *name) {
  lua_pushstring(L, name);
  lua_setfield(L, -2, "__name");
  lua_newtable(L);
  lua_pushcfunction(L, l_unknown_function);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
}

static int open_array(lua_State *L) {
  FeTables t;
  lua_newtable(L);
  t.module = lua_gettop(L);
  lua_newtable(L);
  t.random = lua_gettop(L);
  lua_newtable(L);
  t.methods = lua_gettop(L);
  luaL_newmetatable(L, ARRAY_MT);
  t.metatable = lua_gettop(L);

  fe_open_array_object(L, &t);
  fe_open_creation(L, &t);
  fe_open_outputs(L, &t);
  fe_open_views(L, &t);
  fe_open_elementwise(L, &t);
  fe_open_reductions(L, &t);
  fe_open_shape(L, &t);
  fe_open_fft(L, &t);
  fe_open_trace(L, &t);
  fe_open_blocks(L, &t);
  fe_open_diagnostics(L, t.module);

  lua_settop(L, t.random);
  make_strict(L, "cdask.array.random");
  lua_setfield(L, t.module, "random");
  make_strict(L, "cdask.array");
  return 1;
}

static int open_cdask(lua_State *L) {
  lua_newtable(L);
  int cdask = lua_gettop(L);
  luaL_requiref(L, "cdask.array", open_array, 0);
  fe_open_delayed(L, cdask, lua_gettop(L)); /* cd.delayed; da.from_delayed */
  lua_setfield(L, cdask, "array");
  fe_open_kernels(L, cdask);
  fe_open_diagnostics(L, cdask); /* cd.visualize, cd.callbacks */
  fe_open_kernel_calls(L);
  return 1;
}

void fe_preload_modules(lua_State *L) {
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  lua_pushcfunction(L, open_array);
  lua_setfield(L, -2, "cdask.array");
  lua_pushcfunction(L, open_cdask);
  lua_setfield(L, -2, "cdask");
  lua_pushcfunction(L, fe_open_dataframe);
  lua_setfield(L, -2, "cdask.dataframe");
  lua_pop(L, 1);
  fe_preload_bag(L);
}
