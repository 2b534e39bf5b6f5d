/* lua_run.c: fe_run, the top of the frontend: runs the user's script in an embedded Lua 5.4
 * state (with its limits, the sandboxed standard library and the cdask modules preloaded)
 * and turns every error into "file:line: error: message". */
#include "frontend.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

/* The end of a leading "<file>:<digits>: " in msg, or NULL. */
static const char *after_location(const char *msg) {
  for (const char *q = msg; (q = strchr(q, ':')) != NULL; q++) {
    const char *r = q + 1;
    if (*r < '0' || *r > '9') continue;
    while (*r >= '0' && *r <= '9') r++;
    if (r[0] == ':' && r[1] == ' ') return r + 2;
    return NULL;
  }
  return NULL;
}

/* "file:line: msg" -> "file:line: error: msg". An error that crossed a coroutine boundary
 * carries two locations; the inner one is where the user's call was. */
static void format_error(Frontend *fe, const char *msg) {
  const char *rest = after_location(msg), *loc = msg;
  while (rest && after_location(rest)) loc = rest, rest = after_location(rest);
  if (rest) {
    snprintf(fe->err, sizeof fe->err, "%.*serror: %s", (int)(rest - loc), loc, rest);
  } else {
    const char *prefix = fe->script;
    size_t n = strlen(prefix);
    if (strncmp(msg, prefix, n) == 0 && msg[n] == ':' && msg[n + 1] == ' ') msg += n + 2;
    snprintf(fe->err, sizeof fe->err, "%s: error: %s", prefix, msg);
  }
}

/* Opens the libraries and loads the script (in protected mode: memory may run out). */
static int prepare(lua_State *L) {
  Frontend *fe = lua_touserdata(L, 1);
  fe_set_context(L, fe);
  fe_open_stdlib(L, fe->script, fe->unsafe_lua);
  fe_preload_modules(L);
  int status = luaL_loadfilex(L, fe->script, "t");
  if (status == LUA_ERRFILE) return luaL_error(L, "cannot read the script");
  if (status != LUA_OK) return lua_error(L);
  return 1;
}

int fe_run(Frontend *fe) {
  FeLimits lim = {
      .script = fe->script, .seconds = fe->lua_time_limit, .bytes = fe->lua_memory_limit};
  lua_State *L = fe_limited_state(&lim);
  if (!L) {
    snprintf(fe->err, sizeof fe->err, "%s: error: cannot create a Lua state", fe->script);
    return -1;
  }
  lua_pushcfunction(L, prepare);
  lua_pushlightuserdata(L, fe);
  int status = lua_pcall(L, 1, 1, 0);
  if (status == LUA_OK) {
    fe_limits_start(L, &lim);
    status = lua_pcall(L, 0, 0, 0);
    fe_limits_stop(&lim);
  }
  int rc = 0;
  if (status != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    if (fe_limits_message(&lim, status, fe->err, sizeof fe->err)) {
    } else if (status == LUA_ERRMEM) {
      snprintf(fe->err, sizeof fe->err, "%s: error: out of memory", fe->script);
    } else {
      format_error(fe, msg ? msg : "error object is not a string");
    }
    rc = -1;
  }
  lua_close(L);
  setlocale(LC_ALL, "C"); /* os.setlocale (--unsafe-lua) would change how cdaskc prints numbers */
  return rc;
}
