/* lua_core.c: what every binding needs: the frontend's context (the Frontend and the
 * script's lines, in the Lua registry), errors and warnings at the user's line, adding
 * functions to the bindings' tables, arrays as Lua values, and adding nodes to the graph
 * under the size limit. */
#include "frontend.h"

#include <string.h>

static const char CTX_KEY = 'k';

/* The lines of the user's script, for the comments in the emitted C. */
typedef struct {
  char **lines;
  int nlines;
} Source;
static const char SRC_KEY = 's';

/* ---- the context ---- */

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

void fe_set_context(lua_State *L, Frontend *fe) {
  lua_pushlightuserdata(L, fe);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &CTX_KEY);
  Source *src = read_source(fe->graph->arena, fe->script);
  lua_pushlightuserdata(L, src);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &SRC_KEY);
}

Frontend *fe_ctx(lua_State *L) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &CTX_KEY);
  Frontend *fe = lua_touserdata(L, -1);
  lua_pop(L, 1);
  return fe;
}

Arena *fe_arena(lua_State *L) {
  return fe_ctx(L)->graph->arena;
}

/* ---- errors and locations at the user's line ---- */

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

/* A message for the user and where it is about. */
typedef struct {
  char where[4200], text[900];
} UserMessage;

static void user_message(lua_State *L, UserMessage *m, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
static void user_message(lua_State *L, UserMessage *m, const char *fmt, va_list ap) {
  vsnprintf(m->text, sizeof m->text, fmt, ap);
  user_where(L, m->where, sizeof m->where);
}

int fe_error(lua_State *L, const char *fmt, ...) {
  UserMessage m;
  va_list ap;
  va_start(ap, fmt);
  user_message(L, &m, fmt, ap);
  va_end(ap);
  lua_pushfstring(L, "%s: %s", m.where, m.text);
  return lua_error(L);
}

void fe_warning(lua_State *L, const char *fmt, ...) {
  UserMessage m;
  va_list ap;
  va_start(ap, fmt);
  user_message(L, &m, fmt, ap);
  va_end(ap);
  fprintf(stderr, "%s: warning: %s\n", m.where, m.text);
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

/* ---- the bindings' tables ---- */

void fe_add_functions(lua_State *L, int table, const luaL_Reg *fns) {
  lua_pushvalue(L, table);
  luaL_setfuncs(L, fns, 0);
  lua_pop(L, 1);
}

/* ---- arrays as Lua values, and their nodes ---- */

Node *fe_node(lua_State *L, int id) {
  return &fe_ctx(L)->graph->nodes[id];
}

LArray *fe_check_array(lua_State *L, int idx) {
  LArray *a = luaL_testudata(L, idx, ARRAY_MT);
  if (!a) fe_error(L, "expected an array, got %s", luaL_typename(L, idx));
  return a;
}

int fe_push_id(lua_State *L, int id) {
  LArray *a = lua_newuserdatauv(L, sizeof *a, 0);
  a->id = id;
  luaL_setmetatable(L, ARRAY_MT);
  return 1;
}

bool fe_shape_fits(int ndim, const int64_t *shape, DType t) {
  int64_t bytes = (int64_t)cdrt_dtype_size(t);
  for (int d = 0; d < ndim; d++) {
    if (shape[d] < 0) return false;
    if (shape[d] > 1 && bytes > FE_MAX_BYTES / shape[d]) return false;
    if (shape[d] > 1) bytes *= shape[d];
  }
  return true;
}

void fe_check_size(lua_State *L, int ndim, const int64_t *shape, DType t) {
  if (fe_shape_fits(ndim, shape, t)) return;
  for (int d = 0; d < ndim; d++)
    if (shape[d] < 0) fe_error(L, "negative dimensions are not allowed");
  fe_error(L, "array is too big: shape %s of %s is more than 2^62 bytes (cdask's limit)",
           shape_str(fe_arena(L), ndim, shape), cdrt_dtype_name(t));
}

/* Every node passes here: no builtin can make an array larger than the size limit. */
int fe_add_node(lua_State *L, Node *proto) {
  fe_check_size(L, proto->ndim, proto->shape, proto->dtype);
  fe_locate(L, proto);
  return graph_add(fe_ctx(L)->graph, proto);
}

int fe_push_node(lua_State *L, Node *proto) {
  return fe_push_id(L, fe_add_node(L, proto));
}
