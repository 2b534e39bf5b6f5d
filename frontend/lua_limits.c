/* lua_limits.c: the budget of the script's Lua state: CPU seconds (a count hook checks the
 * thread's CPU clock) and bytes (the state's allocator counts what it holds). A script over
 * its time ends: pcall, xpcall, coroutine.resume, coroutine.close and load, the functions
 * that catch errors, raise the limit's error again. A script over its memory gets Lua's
 * memory error, which ends it unless it catches it (the memory is free again then). A
 * script stuck inside one C function (a pattern match that backtracks for hours) sees no
 * count event: a CPU timer a little after the limit ends cdaskc from a signal handler. */
#include "frontend.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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

/* Remembers where the user's code is, for the messages of the limits. */
static void note_where(lua_State *L, FeLimits *lim) {
  lua_Debug u;
  if (!fe_user_level(L, &u)) return;
  if (u.source == lim->where_source && u.currentline == lim->where_line) return;
  lim->where_source = u.source, lim->where_line = u.currentline;
  lim->noting = 1;
  snprintf(lim->where, sizeof lim->where, "%s:%d", u.source + 1, u.currentline);
  lim->noting = 0;
}

/* Count events: where the script is, and the clock. */
static void limits_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  FeLimits *lim = limits_of(L);
  if (!lim->over) {
    note_where(L, lim);
    if (lim->seconds > 0 && cpu_seconds() - lim->start > lim->seconds) {
      lim->over = true;
      snprintf(lim->msg, sizeof lim->msg, "%s: error: %s", lim->where[0] ? lim->where : lim->script,
               lim->over_text);
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
  /* the arguments Lua's function would check: checked here, its errors name the user's line */
  const char *name = lua_tostring(L, lua_upvalueindex(2));
  if (strcmp(name, "pcall") == 0)
    luaL_checkany(L, 1);
  else if (strcmp(name, "xpcall") == 0)
    luaL_checktype(L, 2, LUA_TFUNCTION);
  else if (strcmp(name, "load") == 0 && lua_type(L, 1) != LUA_TSTRING)
    luaL_checktype(L, 1, LUA_TFUNCTION);
  else if (strcmp(name, "resume") == 0 || strcmp(name, "close") == 0)
    luaL_argexpected(L, lua_type(L, 1) == LUA_TTHREAD, 1, "coroutine");
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
  lua_pushstring(L, name);
  lua_pushcclosure(L, catcher, 2);
  lua_setfield(L, -2, name);
}

static void put(const char *s) {
  for (size_t n = strlen(s); n > 0;) {
    ssize_t k = write(STDERR_FILENO, s, n);
    if (k <= 0) return;
    s += k, n -= (size_t)k;
  }
}

/* SIGPROF from the CPU timer: the script is stuck in a C function past its time. Nothing is
 * written yet (the frontend runs first), so ending here leaves nothing behind. */
static void watchdog(int sig, siginfo_t *si, void *uc) {
  (void)sig, (void)uc;
  const FeLimits *lim = si->si_value.sival_ptr;
  put(lim->where[0] && !lim->noting ? lim->where : lim->script);
  put(": error: ");
  put(lim->over_text);
  put("\n");
  _exit(1);
}

static void start_watchdog(FeLimits *lim) {
  struct sigaction sa = {.sa_sigaction = watchdog, .sa_flags = SA_SIGINFO};
  sigemptyset(&sa.sa_mask);
  struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGPROF};
  ev.sigev_value.sival_ptr = lim;
  if (sigaction(SIGPROF, &sa, &lim->old_action) != 0) return;
  if (timer_create(CLOCK_THREAD_CPUTIME_ID, &ev, &lim->timer) != 0) {
    sigaction(SIGPROF, &lim->old_action, NULL);
    return;
  }
  double after = lim->seconds * 1.1 + 1; /* the count hook normally ends the script first */
  struct itimerspec when = {.it_value = {.tv_sec = (time_t)after,
                                         .tv_nsec = (long)((after - (double)(time_t)after) * 1e9)}};
  if (timer_settime(lim->timer, 0, &when, NULL) != 0) {
    timer_delete(lim->timer);
    sigaction(SIGPROF, &lim->old_action, NULL);
    return;
  }
  lim->watching = true;
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
  snprintf(lim->over_text, sizeof lim->over_text,
           "the script ran for more than %g s (--lua-time-limit)", lim->seconds);
  lim->start = cpu_seconds();
  if (lim->seconds > 0) start_watchdog(lim);
  /* new threads (coroutines) inherit the hook; it costs (Lua 5.4 checks every instruction
   * while a hook is set): none without a time limit */
  if (lim->seconds > 0) lua_sethook(L, limits_hook, LUA_MASKCOUNT, HOOK_COUNT);
}

void fe_limits_stop(FeLimits *lim) {
  if (!lim->watching) return;
  timer_delete(lim->timer);
  sigaction(SIGPROF, &lim->old_action, NULL);
  lim->watching = false;
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
