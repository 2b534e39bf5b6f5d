/* lua_front.c: runs the user's script in an embedded Lua 5.4 state with the cdask modules
 * preloaded, and turns every error into "file:line: error: message". */
#include "frontend.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

static const char CTX_KEY = 'k';

/* The lines of the user's script, for the comments in the emitted C. */
typedef struct {
  char **lines;
  int nlines;
} Source;
static const char SRC_KEY = 's';

Frontend *fe_ctx(lua_State *L) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &CTX_KEY);
  Frontend *fe = lua_touserdata(L, -1);
  lua_pop(L, 1);
  return fe;
}

/* The innermost stack level that runs a file chunk (the user's script, or a file it loaded);
 * chunks loaded from strings have no "@" name and C functions have no lines. */
bool fe_user_level(lua_State *L, lua_Debug *ar) {
  for (int level = 0; lua_getstack(L, level, ar); level++) {
    if (!lua_getinfo(L, "Sl", ar)) continue;
    if (ar->currentline > 0 && ar->source[0] == '@') return true;
  }
  return false;
}

/* "file:line" of the user's code that is running, or the script's name. */
static void user_where(lua_State *L, char *out, size_t n) {
  lua_Debug ar;
  if (fe_user_level(L, &ar))
    snprintf(out, n, "%s:%d", ar.source + 1, ar.currentline);
  else
    snprintf(out, n, "%s", fe_ctx(L)->script);
}

int fe_error(lua_State *L, const char *fmt, ...) {
  char msg[900], where[4200];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  user_where(L, where, sizeof where);
  lua_pushfstring(L, "%s: %s", where, msg);
  return lua_error(L);
}

void fe_warning(lua_State *L, const char *fmt, ...) {
  char msg[900], where[4200];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  user_where(L, where, sizeof where);
  fprintf(stderr, "%s: warning: %s\n", where, msg);
}

static const char *source_line(lua_State *L, const char *file, int line) {
  Frontend *fe = fe_ctx(L);
  if (strcmp(file, fe->script) != 0) return NULL;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &SRC_KEY);
  Source *s = lua_touserdata(L, -1);
  lua_pop(L, 1);
  if (!s || line < 1 || line > s->nlines) return NULL;
  return s->lines[line - 1];
}

void fe_locate(lua_State *L, Node *n) {
  lua_Debug ar;
  Frontend *fe = fe_ctx(L);
  if (fe_user_level(L, &ar)) {
    n->file = arena_strdup(fe->graph->arena, ar.source + 1);
    n->line = ar.currentline;
    n->src = source_line(L, n->file, n->line);
  } else {
    n->file = fe->script;
    n->line = 0;
  }
}

/* Reads the script's lines (trimmed) into the arena. */
static Source *read_source(Arena *a, const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return NULL;
  Source *s = arena_alloc(a, sizeof *s);
  int cap = 0;
  char buf[4096];
  while (fgets(buf, sizeof buf, f)) {
    bool whole = strchr(buf, '\n') || feof(f);
    size_t n = strlen(buf);
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' ')) buf[--n] = 0;
    char *p = buf;
    while (*p == ' ' || *p == '\t') p++;
    /* comments in C must not close early */
    /* quoted in C comments: no comment delimiters, no trigraphs */
    for (char *q = p; *q; q++) {
      if ((q[0] == '*' && q[1] == '/') || (q[0] == '/' && q[1] == '*')) q[1] = ' ';
      if (q[0] == '?' && q[1] == '?') q[1] = '.';
    }
    if (s->nlines == cap) {
      cap = cap ? 2 * cap : 64;
      char **lines = arena_alloc(a, (size_t)cap * sizeof *lines);
      if (s->nlines) memcpy(lines, s->lines, (size_t)s->nlines * sizeof *lines);
      s->lines = lines;
    }
    s->lines[s->nlines++] = arena_strdup(a, p);
    for (int c; !whole && (c = fgetc(f)) != EOF && c != '\n';) {
    } /* a long line: drop the rest */
  }
  fclose(f);
  return s;
}

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

static int open_cdask(lua_State *L) {
  lua_newtable(L);
  luaL_requiref(L, "cdask.array", fe_open_array, 0);
  lua_setfield(L, -2, "array");
  return 1;
}

/* Opens the libraries and loads the script (in protected mode: memory may run out). */
static int prepare(lua_State *L) {
  Frontend *fe = lua_touserdata(L, 1);
  lua_pushlightuserdata(L, fe);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &CTX_KEY);
  Source *src = read_source(fe->graph->arena, fe->script);
  lua_pushlightuserdata(L, src);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &SRC_KEY);

  fe_open_stdlib(L, fe->script, fe->unsafe_lua);
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  lua_pushcfunction(L, fe_open_array);
  lua_setfield(L, -2, "cdask.array");
  lua_pushcfunction(L, open_cdask);
  lua_setfield(L, -2, "cdask");
  lua_pop(L, 1);
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
