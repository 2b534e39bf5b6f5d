/* lua_sandbox.c: what a pipeline script may do with Lua's standard library. A script is a
 * description of a pipeline: by default it runs no process, loads no C code and no binary
 * chunk, writes no file, cannot exit cdaskc and has no debug library; it may read regular
 * files and require Lua modules next to it. --unsafe-lua gives the whole library back.
 * In both modes the script's randomness is seeded the same on every compile, pairs visits
 * keys in a fixed order, and the functions that read the clock warn that the C they lead
 * to differs between compiles. */
#include "frontend.h"

#include <lualib.h>
#include <string.h>
#include <sys/stat.h>

#define UNSAFE_HINT "(cdaskc --unsafe-lua allows it)"

static int l_forbidden(lua_State *L) {
  return fe_error(L, "%s is not available in a pipeline script " UNSAFE_HINT,
                  lua_tostring(L, lua_upvalueindex(1)));
}

/* table[name] (the table at the top) raises "lib.name is not available". */
static void forbid(lua_State *L, const char *lib, const char *name) {
  lua_pushfstring(L, "%s.%s", lib, name);
  lua_pushcclosure(L, l_forbidden, 1);
  lua_setfield(L, -2, name);
}

static int l_forbidden_field(lua_State *L) {
  const char *key = lua_tostring(L, 2);
  return fe_error(L, "%s.%s is not available in a pipeline script " UNSAFE_HINT,
                  lua_tostring(L, lua_upvalueindex(1)), key ? key : "?");
}

/* A library table every field of which is forbidden (the debug library). */
static void push_forbidden_library(lua_State *L, const char *lib) {
  lua_newtable(L);
  lua_newtable(L);
  lua_pushstring(L, lib);
  lua_pushcclosure(L, l_forbidden_field, 1);
  lua_setfield(L, -2, "__index");
  lua_pushliteral(L, "locked");
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
}

/* Is the file a precompiled chunk (as Lua sees it: after a first "#" line)? */
static bool binary_chunk(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return false;
  int c = fgetc(f);
  if (c == '#')
    while ((c = fgetc(f)) != EOF && c != '\n') {
    }
  if (c == '\n') c = fgetc(f);
  fclose(f);
  return c == LUA_SIGNATURE[0];
}

/* The file name at idx for fn (nil allowed when optional): no NUL byte, and if the file
 * exists, a regular file (reading a FIFO or a device could block cdaskc or never end). With
 * chunk, the file must hold Lua text. */
static void check_readable(lua_State *L, int idx, const char *fn, bool optional, bool chunk) {
  if (optional && lua_isnoneornil(L, idx)) return;
  size_t len;
  const char *path = luaL_checklstring(L, idx, &len);
  if (strlen(path) != len) fe_error(L, "%s: the file name contains a NUL byte", fn);
  struct stat st;
  if (stat(path, &st) != 0) return;
  if (!S_ISREG(st.st_mode))
    fe_error(L, "%s: %s is not a regular file (a pipeline script reads regular files only)", fn,
             path);
  if (chunk && binary_chunk(path))
    fe_error(L,
             "%s: %s is a binary chunk: binary chunks are not available in a pipeline "
             "script " UNSAFE_HINT,
             fn, path);
}

/* Does msg start with "file:line: "? */
static bool located(const char *msg) {
  const char *c = strchr(msg, ':');
  if (!c || c[1] < '0' || c[1] > '9') return false;
  for (c++; *c >= '0' && *c <= '9'; c++) {
  }
  return c[0] == ':' && c[1] == ' ';
}

/* Upvalue 1: Lua's function. Its errors (raised in C: no line) get the user's line. */
static int call_original(lua_State *L) {
  int n = lua_gettop(L);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  if (lua_pcall(L, n, LUA_MULTRET, 0) == LUA_OK) return lua_gettop(L);
  const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
  if (msg && !located(msg)) return fe_error(L, "%s", msg);
  return lua_error(L);
}

static int l_io_open(lua_State *L) {
  const char *mode = luaL_optstring(L, 2, "r");
  if (strcmp(mode, "r") != 0 && strcmp(mode, "rb") != 0)
    fe_error(L,
             "io.open with mode \"%s\" is not available in a pipeline script, which only reads "
             "files " UNSAFE_HINT,
             mode);
  check_readable(L, 1, "io.open", false, false);
  return call_original(L);
}

static int l_io_lines(lua_State *L) {
  check_readable(L, 1, "io.lines", true, false);
  return call_original(L);
}

static int l_io_input(lua_State *L) {
  if (lua_type(L, 1) == LUA_TSTRING) check_readable(L, 1, "io.input", false, false);
  return call_original(L);
}

/* load(chunk [, chunkname [, mode [, env]]]): text chunks only. */
static int l_load(lua_State *L) {
  size_t len;
  const char *s = lua_type(L, 1) == LUA_TSTRING ? lua_tolstring(L, 1, &len) : NULL;
  const char *mode = luaL_optstring(L, 3, "bt");
  if ((s && len > 0 && s[0] == LUA_SIGNATURE[0]) || !strchr(mode, 't'))
    fe_error(L, "load: binary chunks are not available in a pipeline script " UNSAFE_HINT);
  if (lua_gettop(L) < 3) lua_settop(L, 3); /* an absent env stays absent */
  lua_pushliteral(L, "t");
  lua_replace(L, 3);
  return call_original(L);
}

/* loadfile([filename [, mode [, env]]]): text chunks only. */
static int l_loadfile(lua_State *L) {
  check_readable(L, 1, "loadfile", true, true);
  const char *mode = luaL_optstring(L, 2, "bt");
  if (!strchr(mode, 't'))
    fe_error(L, "loadfile: binary chunks are not available in a pipeline script " UNSAFE_HINT);
  if (lua_gettop(L) < 2) lua_settop(L, 2);
  lua_pushliteral(L, "t");
  lua_replace(L, 2);
  return call_original(L);
}

static int dofile_done(lua_State *L, int status, lua_KContext ctx) {
  (void)status, (void)ctx;
  return lua_gettop(L) - 1;
}

/* dofile([filename]): as Lua's, with text chunks only. */
static int l_dofile(lua_State *L) {
  check_readable(L, 1, "dofile", true, true);
  const char *fname = luaL_optstring(L, 1, NULL);
  lua_settop(L, 1);
  if (luaL_loadfilex(L, fname, "t") != LUA_OK) return lua_error(L);
  lua_callk(L, 0, LUA_MULTRET, 0, dofile_done);
  return dofile_done(L, 0, 0);
}

/* package.searchers' Lua searcher, reading text chunks only. Upvalue 1: package. */
static int search_lua_text(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  lua_getfield(L, lua_upvalueindex(1), "searchpath");
  lua_pushvalue(L, 1);
  if (lua_getfield(L, lua_upvalueindex(1), "path") != LUA_TSTRING)
    return luaL_error(L, "'package.path' must be a string");
  lua_call(L, 2, 2);
  if (lua_isnil(L, -2)) return 1; /* searchpath's "no file ..." list */
  const char *file = lua_tostring(L, -2);
  lua_pushvalue(L, -2);
  check_readable(L, lua_gettop(L), "require", false, true);
  if (luaL_loadfilex(L, file, "t") != LUA_OK)
    return fe_error(L, "error loading module '%s' from file '%s':\n\t%s", name, file,
                    lua_tostring(L, -1));
  lua_pushstring(L, file);
  return 2;
}

/* require: Lua raises "module 'x' not found" from C, with no line: the user's is added. */
static int l_require(lua_State *L) {
  return call_original(L);
}

/* package.path: the script's directory first (the only one in the sandbox). */
static void set_package(lua_State *L, const char *script, bool unsafe) {
  lua_getglobal(L, "package");
  int pkg = lua_gettop(L);
  const char *slash = strrchr(script, '/');
  if (!slash)
    lua_pushliteral(L, ".");
  else
    lua_pushlstring(L, script, (size_t)(slash - script)); /* "" for "/p.lua": the root */
  const char *dir = lua_tostring(L, -1);
  lua_pushfstring(L, "%s/?.lua;%s/?/init.lua", dir, dir);
  lua_remove(L, -2);
  if (unsafe) {
    lua_getfield(L, pkg, "path");
    lua_pushfstring(L, "%s;%s", lua_tostring(L, -2), lua_tostring(L, -1));
    lua_replace(L, -3);
    lua_pop(L, 1);
  }
  lua_setfield(L, pkg, "path");
  if (!unsafe) {
    lua_pushliteral(L, "");
    lua_setfield(L, pkg, "cpath");
    forbid(L, "package", "loadlib");
    lua_createtable(L, 2, 0); /* searchers: preloaded modules (cdask's), then Lua files */
    lua_getfield(L, pkg, "searchers");
    lua_rawgeti(L, -1, 1);
    lua_rawseti(L, -3, 1);
    lua_pop(L, 1);
    lua_pushvalue(L, pkg);
    lua_pushcclosure(L, search_lua_text, 1);
    lua_rawseti(L, -2, 2);
    lua_setfield(L, pkg, "searchers");
  }
  lua_pop(L, 1);
}

/* table[name] = closure(table[name]) */
static void wrap(lua_State *L, const char *name, lua_CFunction f) {
  lua_getfield(L, -1, name);
  lua_pushcclosure(L, f, 1);
  lua_setfield(L, -2, name);
}

static void sandbox(lua_State *L) {
  lua_pushglobaltable(L);
  wrap(L, "load", l_load);
  wrap(L, "loadfile", l_loadfile);
  lua_pushcfunction(L, l_dofile);
  lua_setfield(L, -2, "dofile");
  push_forbidden_library(L, "debug");
  lua_setfield(L, -2, "debug");
  lua_pop(L, 1);

  lua_getglobal(L, "package");
  lua_getfield(L, -1, "loaded");
  push_forbidden_library(L, "debug");
  lua_setfield(L, -2, "debug");
  lua_pop(L, 2);

  lua_getglobal(L, "os");
  static const char *const os_forbidden[] = {"execute", "exit",      "remove", "rename",
                                             "tmpname", "setlocale", NULL};
  for (int i = 0; os_forbidden[i]; i++) forbid(L, "os", os_forbidden[i]);
  lua_pop(L, 1);

  lua_getglobal(L, "io");
  static const char *const io_forbidden[] = {"popen", "tmpfile", "output", NULL};
  for (int i = 0; io_forbidden[i]; i++) forbid(L, "io", io_forbidden[i]);
  wrap(L, "open", l_io_open);
  wrap(L, "lines", l_io_lines);
  wrap(L, "input", l_io_input);
  lua_pop(L, 1);
}

/* ---- reproducibility ---- */

/* Upvalues: Lua's function, the warning, whether it was given, the argument that makes the
 * call reproducible (0: none does). */
static int l_clock_reader(lua_State *L) {
  int arg = (int)lua_tointeger(L, lua_upvalueindex(4));
  bool fixed = arg > 0 && !lua_isnoneornil(L, arg);
  if (!fixed && !lua_toboolean(L, lua_upvalueindex(3))) {
    fe_warning(L, "%s can make the emitted C differ between compiles",
               lua_tostring(L, lua_upvalueindex(2)));
    lua_pushboolean(L, 1);
    lua_replace(L, lua_upvalueindex(3));
  }
  return call_original(L);
}

static void warn_unless(lua_State *L, const char *name, const char *what, int arg) {
  lua_getfield(L, -1, name);
  lua_pushstring(L, what);
  lua_pushboolean(L, 0);
  lua_pushinteger(L, arg);
  lua_pushcclosure(L, l_clock_reader, 4);
  lua_setfield(L, -2, name);
}

/* A stable order of keys: numbers, then strings (bytewise), then booleans; keys of other
 * types (tables, functions: their addresses change between compiles) after them in the
 * order next gives. */
static int key_rank(lua_State *L, int idx) {
  switch (lua_type(L, idx)) {
  case LUA_TNUMBER: return 0;
  case LUA_TSTRING: return 1;
  case LUA_TBOOLEAN: return 2;
  default: return 3;
  }
}

/* Is key i before key j in the table at keys? */
static bool key_before(lua_State *L, int keys, lua_Integer i, lua_Integer j) {
  lua_rawgeti(L, keys, i);
  lua_rawgeti(L, keys, j);
  int ra = key_rank(L, -2), rb = key_rank(L, -1);
  bool before = ra < rb;
  if (ra == rb && ra == 0) {
    before = lua_compare(L, -2, -1, LUA_OPLT);
  } else if (ra == rb && ra == 1) {
    size_t na, nb;
    const char *a = lua_tolstring(L, -2, &na), *b = lua_tolstring(L, -1, &nb);
    int c = memcmp(a, b, na < nb ? na : nb);
    before = c < 0 || (c == 0 && na < nb);
  } else if (ra == rb && ra == 2) {
    before = !lua_toboolean(L, -2) && lua_toboolean(L, -1);
  }
  lua_pop(L, 2);
  return before;
}

/* Stable merge sort of keys[1..n] (bottom-up, through a second table). */
static void sort_keys(lua_State *L, int keys, lua_Integer n) {
  lua_createtable(L, (int)(n < INT32_MAX ? n : 0), 0);
  int tmp = lua_gettop(L);
  int src = keys, dst = tmp;
  for (lua_Integer w = 1; w < n; w *= 2) {
    for (lua_Integer lo = 1; lo <= n; lo += 2 * w) {
      lua_Integer mid = lo + w < n + 1 ? lo + w : n + 1,
                  hi = lo + 2 * w < n + 1 ? lo + 2 * w : n + 1;
      lua_Integer i = lo, j = mid, k = lo;
      while (i < mid || j < hi) {
        lua_Integer from = j >= hi || (i < mid && !key_before(L, src, j, i)) ? i++ : j++;
        lua_rawgeti(L, src, from);
        lua_rawseti(L, dst, k++);
      }
    }
    int t = src;
    src = dst, dst = t;
  }
  if (src != keys)
    lua_replace(L, keys); /* the sorted table becomes keys */
  else
    lua_pop(L, 1);
}

/* The iterator: upvalue 1 the sorted keys, 2 the position; skips keys removed meanwhile. */
static int sorted_next(lua_State *L) {
  lua_Integer pos = lua_tointeger(L, lua_upvalueindex(2));
  for (;;) {
    if (lua_rawgeti(L, lua_upvalueindex(1), ++pos) == LUA_TNIL) return 0;
    lua_pushvalue(L, -1);
    if (lua_rawget(L, 1) != LUA_TNIL) break;
    lua_pop(L, 2);
  }
  lua_pushinteger(L, pos);
  lua_replace(L, lua_upvalueindex(2));
  return 2;
}

/* pairs(t): as Lua's (__pairs first), in the stable order of key_before. Lua's own order
 * follows string hashes, which Lua seeds differently on every run. */
static int l_pairs(lua_State *L) {
  luaL_checkany(L, 1);
  if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) {
    lua_pushvalue(L, 1);
    lua_call(L, 1, 3);
    return 3;
  }
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_newtable(L);
  int keys = lua_gettop(L);
  lua_Integer n = 0;
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    lua_pop(L, 1);
    lua_pushvalue(L, -1);
    lua_rawseti(L, keys, ++n);
  }
  sort_keys(L, keys, n);
  lua_pushinteger(L, 0);
  lua_pushcclosure(L, sorted_next, 2);
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  return 3;
}

static void reproducible(lua_State *L) {
  lua_getglobal(L, "os");
  warn_unless(L, "time", "os.time()", 1);
  warn_unless(L, "date", "os.date without a time", 2);
  warn_unless(L, "clock", "os.clock", 0);
  lua_pop(L, 1);
  lua_getglobal(L, "math");
  lua_getfield(L, -1, "randomseed"); /* Lua 5.4 seeds from the clock: the same seed instead */
  lua_pushinteger(L, 0);
  lua_call(L, 1, 0);
  warn_unless(L, "randomseed", "math.randomseed() without a seed", 1);
  lua_pop(L, 1);
  lua_register(L, "pairs", l_pairs);
}

void fe_open_stdlib(lua_State *L, const char *script, bool unsafe) {
  luaL_openlibs(L);
  set_package(L, script, unsafe);
  lua_pushglobaltable(L);
  wrap(L, "require", l_require);
  lua_pop(L, 1);
  if (!unsafe) sandbox(L);
  reproducible(L);
}
