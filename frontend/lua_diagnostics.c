/* lua_diagnostics.c: da.visualize and da.callbacks (also cd.visualize, cd.callbacks, as
 * dask.visualize and dask.callbacks are Dask's top level).
 * - da.visualize(x, "graph.svg", {rankdir = "LR", optimize_graph = false}): x an array, a
 *   delayed value or a list of them; the picture of what x needs, drawn when the compile
 *   ends (compiler/picture.c): before fusion one box per operation, after fusion
 *   (optimize_graph = true) one cluster per group. The path is relative to the script's
 *   directory, as cd.cfile's; its extension (.svg, .png, .pdf, .dot), the rankdir, Graphviz
 *   being on PATH and the path being writable are checked here, at the script's line.
 * - da.callbacks("hooks.c"): the C file of the run's hooks (compiler/callbacks.c), one per
 *   program. */
#include "frontend.h"

#include <string.h>

/* A relative path names a file next to the script that names it (as cd.cfile). */
static const char *beside_script(lua_State *L, const char *path, const Node *at) {
  const char *slash = strrchr(at->file, '/');
  if (path[0] != '/' && slash)
    return arena_printf(fe_arena(L), "%.*s/%s", (int)(slash - at->file), at->file, path);
  return arena_strdup(fe_arena(L), path); /* Lua's string may be collected */
}

/* x: an array (a delayed value is one) or a list of them, into p's roots. */
static void read_roots(lua_State *L, Picture *p) {
  Arena *a = fe_arena(L);
  if (!lua_istable(L, 1)) {
    p->roots = arena_alloc(a, sizeof *p->roots);
    p->roots[0] = fe_check_array(L, 1)->id;
    p->nroots = 1;
    return;
  }
  lua_Integer n = luaL_len(L, 1);
  if (n < 1) fe_error(L, "da.visualize: the list of arrays is empty");
  if (n > 1 << 20) fe_error(L, "da.visualize: too many arrays (%lld)", (long long)n);
  p->roots = arena_alloc(a, sizeof *p->roots * (size_t)n);
  for (lua_Integer i = 1; i <= n; i++) {
    lua_geti(L, 1, i);
    LArray *x = luaL_testudata(L, -1, ARRAY_MT);
    if (!x)
      fe_error(L, "da.visualize: element %lld of the list is a %s, not an array or a delayed value",
               (long long)i, luaL_typename(L, -1));
    p->roots[p->nroots++] = x->id;
    lua_pop(L, 1);
  }
}

static int l_visualize(lua_State *L) {
  Picture p = {.rankdir = "TB"};
  read_roots(L, &p);
  const char *path = fe_check_string(L, 2, "da.visualize: the file name", true);
  int opts = fe_options(L, 3);
  if (opts) {
    if (lua_getfield(L, opts, "rankdir") != LUA_TNIL) {
      const char *r = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
      if (!picture_rankdir_ok(r))
        fe_error(L, "da.visualize: rankdir must be \"TB\", \"LR\", \"BT\" or \"RL\", got %s%s%s",
                 *r ? "'" : "", *r ? r : luaL_typename(L, -1), *r ? "'" : "");
      p.rankdir = arena_strdup(fe_arena(L), r);
    }
    if (lua_getfield(L, opts, "optimize_graph") != LUA_TNIL) {
      if (!lua_isboolean(L, -1)) fe_error(L, "da.visualize: optimize_graph must be true or false");
      p.optimize = lua_toboolean(L, -1);
    }
    lua_pop(L, 2);
  }
  /* a sandboxed script writes no file of its own choosing: pictures go below its
   * directory, as to_npy's outputs go below --out (cdaskc --visualize takes any path) */
  char why[256];
  if (cdrt_output_name_problem(path, why, sizeof why) != 0)
    fe_error(L, "da.visualize: '%s' %s", path, why);
  Node at = {0};
  fe_locate(L, &at);
  p.path = beside_script(L, path, &at);
  p.format = picture_format(p.path);
  if (!p.format)
    fe_error(L, "da.visualize: '%s' must end in .svg, .png, .pdf or .dot (Graphviz's text)", path);
  char err[1024];
  if (picture_check(fe_arena(L), p.path, p.format, err, sizeof err) != 0)
    fe_error(L, "da.visualize: %s", err);
  Graph *g = fe_ctx(L)->graph;
  for (int i = 0; i < g->npictures; i++)
    if (strcmp(g->pictures[i].path, p.path) == 0)
      fe_error(L, "da.visualize: %s is drawn already (at %s:%d)", p.path, g->pictures[i].script,
               g->pictures[i].line);
  p.script = at.file, p.line = at.line;
  if (g->npictures % 8 == 0)
    g->pictures = arena_grow(fe_arena(L), g->pictures, sizeof *g->pictures * (size_t)g->npictures,
                             sizeof *g->pictures * (size_t)(g->npictures + 8));
  g->pictures[g->npictures++] = p;
  return 0;
}

static int l_callbacks(lua_State *L) {
  const char *path = fe_check_string(L, 1, "da.callbacks: the path", true);
  if (!lua_isnoneornil(L, 2)) fe_error(L, "da.callbacks takes one argument, the C file's path");
  Node at = {0};
  fe_locate(L, &at);
  path = beside_script(L, path, &at);
  Graph *g = fe_ctx(L)->graph;
  if (g->callbacks.set) {
    const CFile *cf = &g->cfiles[g->callbacks.cfile];
    fe_error(L, "da.callbacks: a program has one callbacks file: %s is loaded already at %s:%d",
             cf->path, cf->script, cf->line);
  }
  for (int i = 0; i < g->ncfiles; i++)
    if (strcmp(g->cfiles[i].path, path) == 0)
      fe_error(L, "da.callbacks: %s is loaded already as a kernel file (at %s:%d)", path,
               g->cfiles[i].script, g->cfiles[i].line);
  char err[1024];
  fflush(stdout);
  if (callbacks_read(g, path, at.file, at.line, stderr, err, sizeof err) != 0)
    fe_error(L, "da.callbacks: %s", err);
  return 0;
}

void fe_open_diagnostics(lua_State *L, int table) {
  static const luaL_Reg fns[] = {
      {"visualize", l_visualize}, {"callbacks", l_callbacks}, {NULL, NULL}};
  fe_add_functions(L, table, fns);
}
