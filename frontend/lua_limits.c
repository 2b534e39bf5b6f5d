/* lua_limits.c: the budget of the script's Lua state: CPU seconds (a count hook checks the
 * thread's CPU clock) and bytes (the state's allocator counts what it holds). A script over
 * its time ends: pcall, xpcall, coroutine.resume, coroutine.close and load, the functions
 * that catch errors, raise the limit's error again. A script over its memory gets Lua's
 * memory error, which ends it unless it catches it (the memory is free again then). */
#include "frontend.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The count hook runs every this many VM instructions: a few microseconds of Lua. */
#define HOOK_COUNT 1000

static const char LIMITS_KEY = 'l';

static double cpu_seconds(void) {
  struct timespec t;
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t) != 0) return 0;
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static FeLimits *limits_of(lua_State *L) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &LIMITS_KEY);
  FeLimits *lim = lua_touserdata(L, -1);
  lua_pop(L, 1);
  return lim;
}

/* lua_Alloc: refuses to grow past the budget (Lua then raises its memory error). */
static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  FeLimits *lim = ud;
  if (!ptr) osize = 0; /* then osize tells the kind of object, not a size */
  if (nsize == 0) {
    free(ptr);
    lim->used -= osize;
    return NULL;
  }
  bool grows = nsize > osize;
  if (grows && lim->bytes > 0 && nsize - osize > (size_t)lim->bytes - lim->used) {
    lim->refused = true;
    return NULL;
  }
  void *p = realloc(ptr, nsize);
  if (!p) return NULL;
  lim->used = lim->used - osize + nsize;
  if (grows) lim->refused = false; /* e.g. Lua's retry after an emergency collection */
  return p;
}

static int panic(lua_State *L) {
  const char *msg = lua_tostring(L, -1);
  fprintf(stderr, "cdaskc: internal error: unprotected Lua error: %s\n", msg ? msg : "?");
  return 0; /* Lua aborts */
}

lua_State *fe_limited_state(FeLimits *lim) {
  lua_State *L = lua_newstate(limited_alloc, lim);
  if (L) lua_atpanic(L, panic);
  return L;
}

/* The error every catching function raises again once a limit is passed: a light userdata,
 * so raising it needs no memory. */
static int raise_over(lua_State *L) {
  lua_pushlightuserdata(L, (void *)&LIMITS_KEY);
  return lua_error(L);
}

/* Remembers the user's line (for the memory limit's message), checks the clock. */
static void limits_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  FeLimits *lim = limits_of(L);
  if (!lim->over) {
    lua_Debug u;
    if (fe_user_level(L, &u))
      snprintf(lim->where, sizeof lim->where, "%s:%d", u.source + 1, u.currentline);
    if (lim->seconds > 0 && cpu_seconds() - lim->start > lim->seconds) {
      lim->over = true;
      snprintf(lim->msg, sizeof lim->msg,
               "%s: error: the script ran for more than %g s (--lua-time-limit)",
               lim->where[0] ? lim->where : lim->script, lim->seconds);
    }
  }
  if (lim->over) {
    lua_sethook(L, limits_hook, LUA_MASKCOUNT, 1); /* not one more instruction */
    raise_over(L);
  }
}

/* After a function that catches errors returns: over a limit, raise its error again. */
static int after_catch(lua_State *L, int status, lua_KContext base) {
  (void)status;
  if (limits_of(L)->over) return raise_over(L);
  return lua_gettop(L) - (int)base;
}

/* The catching function in upvalue 1, called with this call's arguments. */
static int catcher(lua_State *L) {
  int n = lua_gettop(L);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_callk(L, n, LUA_MULTRET, 0, after_catch);
  return after_catch(L, LUA_OK, 0);
}

/* Replaces table[name] (the table at the top) by a catcher around it. */
static void wrap_catcher(lua_State *L, const char *name) {
  if (lua_getfield(L, -1, name) != LUA_TFUNCTION) {
    lua_pop(L, 1);
    return;
  }
  lua_pushcclosure(L, catcher, 1);
  lua_setfield(L, -2, name);
}

void fe_limits_start(lua_State *L, FeLimits *lim) {
  lua_pushlightuserdata(L, lim);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &LIMITS_KEY);
  lua_pushglobaltable(L);
  wrap_catcher(L, "pcall");
  wrap_catcher(L, "xpcall");
  wrap_catcher(L, "load"); /* errors of a reader function become load's result */
  lua_pop(L, 1);
  if (lua_getglobal(L, "coroutine") == LUA_TTABLE) {
    wrap_catcher(L, "resume");
    wrap_catcher(L, "close");
  }
  lua_pop(L, 1);
  lim->start = cpu_seconds();
  lua_sethook(L, limits_hook, LUA_MASKCOUNT, HOOK_COUNT); /* new threads inherit it */
}

/* "4 GiB", "1.5 GiB", "512 MiB", "1000 bytes" */
static void binary_size(char *buf, size_t n, int64_t b) {
  if (b >= (INT64_C(1) << 30))
    snprintf(buf, n, "%g GiB", (double)b / (double)(INT64_C(1) << 30));
  else if (b >= (1 << 20))
    snprintf(buf, n, "%g MiB", (double)b / (double)(1 << 20));
  else
    snprintf(buf, n, "%lld bytes", (long long)b);
}

bool fe_limits_message(const FeLimits *lim, int status, char *err, size_t n) {
  if (lim->over) {
    snprintf(err, n, "%s", lim->msg);
    return true;
  }
  if (status == LUA_ERRMEM && lim->refused) {
    char size[32];
    binary_size(size, sizeof size, lim->bytes);
    snprintf(err, n, "%s: error: the script needs more than %s of memory (--lua-memory-limit)",
             lim->where[0] ? lim->where : lim->script, size);
    return true;
  }
  return false;
}
