/* lua_kernels.c: cd.cfile and kernel objects. cd.cfile(path, {cflags, libs}) reads a C
 * file of the user's (a relative path: next to the script) with libclang
 * (compiler/kernels.c): its diagnostics go to stderr as
 * "path:line:col: error: ...", then the script line that loaded it fails. It returns a
 * table of the file's non-static functions, each a kernel object (a userdata holding the
 * kernel's index) with attributes name, signature, pure, why, file, line. Calling a kernel
 * object is lua_call.c's (it sets the metatable's __call). */
#include "frontend.h"

#include <string.h>

int fe_push_kernel(lua_State *L, int k) {
  int *p = lua_newuserdatauv(L, sizeof *p, 0);
  *p = k;
  luaL_setmetatable(L, KERNEL_MT);
  return 1;
}

int fe_test_kernel(lua_State *L, int idx) {
  int *p = luaL_testudata(L, idx, KERNEL_MT);
  return p ? *p : -1;
}

const Kernel *fe_kernel(lua_State *L, int k) {
  return &fe_ctx(L)->graph->kernels[k];
}

static int l_kernel_index(lua_State *L) {
  const Kernel *k = fe_kernel(L, fe_test_kernel(L, 1));
  const char *key = luaL_checkstring(L, 2);
  if (strcmp(key, "name") == 0) return lua_pushstring(L, k->name), 1;
  if (strcmp(key, "signature") == 0) return lua_pushstring(L, kernel_signature(fe_arena(L), k)), 1;
  if (strcmp(key, "pure") == 0) return lua_pushboolean(L, k->pure), 1;
  if (strcmp(key, "why") == 0) return lua_pushstring(L, k->why), 1;
  if (strcmp(key, "file") == 0) return lua_pushstring(L, k->file), 1;
  if (strcmp(key, "line") == 0) return lua_pushinteger(L, k->line), 1;
  return fe_error(L, "a kernel has no attribute '%s' (name, signature, pure, why, file, line)",
                  key);
}

static int l_kernel_tostring(lua_State *L) {
  const Kernel *k = fe_kernel(L, fe_test_kernel(L, 1));
  lua_pushfstring(L, "kernel %s (%s:%d, %s)", kernel_signature(fe_arena(L), k), k->file, k->line,
                  k->pure ? "pure" : "impure");
  return 1;
}

/* kernels["name"] of a name the file does not define */
static int l_no_kernel(lua_State *L) {
  const char *key = lua_tostring(L, 2);
  lua_getmetatable(L, 1);
  lua_getfield(L, -1, "__path");
  const char *path = lua_tostring(L, -1);
  return fe_error(L, "%s defines no non-static function '%s'", path ? path : "the C file",
                  key ? key : "?");
}

static const char *string_option(lua_State *L, int opts, const char *name) {
  if (!opts) return "";
  lua_getfield(L, opts, name);
  const char *s = "";
  if (!lua_isnil(L, -1)) {
    if (lua_type(L, -1) != LUA_TSTRING) fe_error(L, "cd.cfile: %s must be a string", name);
    s = arena_strdup(fe_arena(L), lua_tostring(L, -1));
  }
  lua_pop(L, 1);
  return s;
}

static int l_cfile(lua_State *L) {
  const char *path = fe_check_string(L, 1, "cd.cfile: the path", true);
  int opts = fe_options(L, 2);
  const char *cflags = string_option(L, opts, "cflags");
  const char *libs = string_option(L, opts, "libs");
  Node at = {0};
  fe_locate(L, &at);
  /* a relative path is read next to the script that names it, as require and #include
   * "..." do, wherever cdaskc runs */
  const char *slash = strrchr(at.file, '/');
  if (path[0] != '/' && slash)
    path = arena_printf(fe_arena(L), "%.*s/%s", (int)(slash - at.file), at.file, path);
  Frontend *fe = fe_ctx(L);
  Graph *g = fe->graph;
  for (int i = 0; i < g->ncfiles; i++)
    if (strcmp(g->cfiles[i].path, path) == 0)
      return fe_error(L, "cd.cfile: %s is loaded already (at %s:%d)", path, g->cfiles[i].script,
                      g->cfiles[i].line);
  char err[256];
  fflush(stdout);
  int first = g->nkernels;
  int cf = kernels_read(g, path, cflags, libs, at.file, at.line, stderr, err, sizeof err);
  if (cf < 0) return fe_error(L, "cd.cfile: %s: %s", path, err);
  lua_newtable(L);
  for (int k = first; k < g->nkernels; k++) {
    fe_push_kernel(L, k);
    lua_setfield(L, -2, g->kernels[k].name);
  }
  lua_newtable(L); /* an unknown name is an error, not nil */
  lua_pushstring(L, path);
  lua_setfield(L, -2, "__path");
  lua_pushcfunction(L, l_no_kernel);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  return 1;
}

void fe_open_kernels(lua_State *L, int cdask) {
  luaL_newmetatable(L, KERNEL_MT);
  lua_pushcfunction(L, l_kernel_index);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, l_kernel_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);
  static const luaL_Reg fns[] = {{"cfile", l_cfile}, {NULL, NULL}};
  fe_add_functions(L, cdask, fns);
}
