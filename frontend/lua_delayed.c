/* lua_delayed.c: dask.delayed. cd.delayed(f, {pure, nout, name}) wraps a kernel object or a
 * Lua function; calling the wrapper builds the graph at once:
 * - a kernel's call is one OP_TASK node (run as an OpenMP task). Its arguments bind, in
 *   order, to the kernel's value and pointer-to-const parameters: a number becomes a 0-d
 *   constant, a delayed value or array is passed whole (a pointer parameter receives every
 *   element, a value parameter one 0-d value), a Lua list of numbers and delayed values
 *   becomes one 1-d array (a tree of list tasks, MAXIN elements each); a pointer-to-const
 *   parameter followed by an integer one receives the element count there. Its results
 *   are the return value, then the pointer (T *) parameters, one element each, side by
 *   side in the task's buffer; with nout they are unpacked into OP_ITEM nodes.
 * - a Lua function is traced: called once now with its arguments (numbers as 0-d arrays);
 *   its result is the IR it built, no task.
 * Dask's rules: pure = false (the default) makes every call its own task, pure = true
 * makes equal calls one (simplify.c merges them); a kernel that libclang found impure is
 * an effect, run in script order, and cannot be declared pure. A delayed value is a 0-d
 * array: arithmetic, methods, da.print and da.to_npy take it. da.from_delayed(d, shape,
 * dtype) gives a task whose pointer parameter writes an array of that shape. */
#include "frontend.h"

#include <string.h>

#define DELAYED_MT "cdask.delayed"

/* A delayed function: the wrapped kernel (or -1 and the Lua function as user value 1). */
typedef struct {
  int kernel;
  bool pure;
  int nout; /* 0: not given */
  const char *name;
} Delayed;

/* ---- a kernel's signature, as delayed sees it ---- */

/* A parameter directly followed by an integer value parameter that receives its count. */
static bool counted(const Kernel *k, int p) {
  return (k->params[p].kind == KP_IN || k->params[p].kind == KP_OUT) && p + 1 < k->nparams &&
         k->params[p + 1].kind == KP_VALUE && k->params[p + 1].integer;
}

/* Whether parameter p takes one of the call's arguments. */
static bool takes_argument(const Kernel *k, int p) {
  KParamKind kind = k->params[p].kind;
  if (kind != KP_VALUE && kind != KP_IN) return false;
  return !(kind == KP_VALUE && p > 0 && counted(k, p - 1));
}

/* "kernel 'add' (kernels.c:3) takes 2 arguments (double, double)" */
static const char *takes(Arena *a, const Kernel *k) {
  int n = 0;
  const char *list = "";
  for (int p = 0; p < k->nparams; p++)
    if (takes_argument(k, p))
      list = arena_printf(a, "%s%s%s", list, n++ ? ", " : "", k->params[p].ctype);
  return arena_printf(a, "kernel '%s' (%s:%d) takes %d argument%s (%s)", k->name, k->file, k->line,
                      n, n == 1 ? "" : "s", list);
}

static int count_results(const Kernel *k) {
  int n = k->ret >= 0;
  for (int p = 0; p < k->nparams; p++) n += k->params[p].kind == KP_OUT;
  return n;
}

/* "double, double *q": the results, for messages */
static const char *results(Arena *a, const Kernel *k) {
  const char *s = k->ret >= 0 ? k->ret_ctype : "";
  for (int p = 0; p < k->nparams; p++)
    if (k->params[p].kind == KP_OUT)
      s = arena_printf(a, "%s%s%s%s%s", s, *s ? ", " : "", k->params[p].ctype,
                       k->params[p].ctype[strlen(k->params[p].ctype) - 1] == '*' ? "" : " ",
                       k->params[p].name);
  return s;
}

/* ---- arguments ---- */

/* A 0-d constant of dtype t holding the Lua number (or boolean) at idx. */
static int number_node(lua_State *L, int idx, DType t) {
  Node n = {.op = OP_FULL, .dtype = t, .name = "full"};
  if (lua_isboolean(L, idx))
    full_value(&n, CDRT_BOOL, lua_toboolean(L, idx), 0);
  else if (lua_isinteger(L, idx))
    full_value(&n, CDRT_INT64, lua_tointeger(L, idx), 0);
  else
    full_value(&n, CDRT_FLOAT64, 0, lua_tonumber(L, idx));
  return fe_add_node(L, &n);
}

/* A list task of the nodes ids[0..n-1] (0-d or 1-d, of dtype t): their elements in order. */
static int list_node(lua_State *L, const int *ids, int n, DType t) {
  Node x = {.op = OP_TASK, .dtype = t, .ndim = 1, .nin = n, .name = "list"};
  x.call.kernel = -1, x.call.nout = 1, x.call.pure = true, x.call.effect = -1;
  for (int k = 0; k < n; k++) {
    x.in[k] = ids[k];
    x.shape[0] += node_size(fe_node(L, ids[k]));
  }
  x.chunk[0] = x.shape[0] ? x.shape[0] : 1;
  return fe_add_node(L, &x);
}

/* The argument at idx for a value parameter of dtype t: a 0-d node. */
static int value_argument(lua_State *L, int idx, const Kernel *k, int p, int argno) {
  DType t = (DType)k->params[p].dtype;
  if (lua_type(L, idx) == LUA_TNUMBER || lua_isboolean(L, idx) || luaL_testudata(L, idx, ARRAY_MT))
    fe_check_kernel_arg(L, k, idx, p, argno); /* NumPy's safe casting, as k.f(x) */
  if (lua_type(L, idx) == LUA_TNUMBER || lua_isboolean(L, idx)) return number_node(L, idx, t);
  LArray *a = luaL_testudata(L, idx, ARRAY_MT);
  if (!a)
    fe_error(L, "%s: argument %d must be a number or a delayed value, got %s",
             takes(fe_arena(L), k), argno, luaL_typename(L, idx));
  const Node *x = fe_node(L, a->id);
  if (x->ndim != 0)
    fe_error(L,
             "%s: argument %d (%s) takes one value, got an array of shape %s (a pointer "
             "parameter, const %s *, receives a whole array)",
             takes(fe_arena(L), k), argno, k->params[p].ctype,
             shape_str(fe_arena(L), x->ndim, x->shape), dtype_ctype(t));
  return fe_cast(L, a->id, t);
}

/* The argument at idx for a pointer-to-const parameter of dtype t: a whole array, or a
 * Lua list of numbers and 0-d values gathered into one. */
static int array_argument(lua_State *L, int idx, const Kernel *k, int p, int argno) {
  DType t = (DType)k->params[p].dtype;
  if (lua_type(L, idx) == LUA_TNUMBER || luaL_testudata(L, idx, ARRAY_MT))
    fe_check_kernel_arg(L, k, idx, p, argno);
  if (lua_type(L, idx) == LUA_TNUMBER) return number_node(L, idx, t);
  LArray *a = luaL_testudata(L, idx, ARRAY_MT);
  if (a) return fe_cast(L, a->id, t);
  if (!lua_istable(L, idx))
    fe_error(L, "%s: argument %d must be an array, a delayed value or a list of them, got %s",
             takes(fe_arena(L), k), argno, luaL_typename(L, idx));
  int64_t len = (int64_t)lua_rawlen(L, idx); /* a list: no metamethods */
  int ids[MAXIN], n = 0;
  /* leaves of MAXIN elements, then lists of MAXIN lists, until one is left */
  int *level = arena_alloc(fe_arena(L), (size_t)(len ? len : 1) * sizeof *level);
  for (int64_t i = 1; i <= len; i++) {
    lua_rawgeti(L, idx, i);
    int id;
    if (lua_type(L, -1) == LUA_TNUMBER || lua_isboolean(L, -1) || luaL_testudata(L, -1, ARRAY_MT))
      fe_check_kernel_arg(L, k, lua_gettop(L), p, argno);
    if (lua_type(L, -1) == LUA_TNUMBER || lua_isboolean(L, -1)) {
      id = number_node(L, -1, t);
    } else {
      LArray *e = luaL_testudata(L, -1, ARRAY_MT);
      if (!e || fe_node(L, e->id)->ndim != 0)
        fe_error(L,
                 "%s: element %lld of the list in argument %d must be a number or a "
                 "delayed value, got %s",
                 takes(fe_arena(L), k), (long long)i, argno, e ? "an array" : luaL_typename(L, -1));
      id = fe_cast(L, e->id, t);
    }
    lua_pop(L, 1);
    level[i - 1] = id;
  }
  int64_t m = len;
  do {
    int64_t out = 0;
    for (int64_t i = 0; i < m; i += MAXIN) {
      n = (int)(m - i < MAXIN ? m - i : MAXIN);
      memcpy(ids, level + i, (size_t)n * sizeof *ids);
      level[out++] = list_node(L, ids, n, t);
    }
    m = out;
  } while (m > 1);
  return len ? level[0] : list_node(L, ids, 0, t);
}

/* ---- calls ---- */

static Delayed *check_delayed(lua_State *L, int idx) {
  return luaL_checkudata(L, idx, DELAYED_MT);
}

/* Result item of task id (nout > 1), a 0-d node. */
static int item_node(lua_State *L, int task, int item) {
  const Node *t = fe_node(L, task);
  Node x = {.op = OP_ITEM, .dtype = t->dtype, .nin = 1, .in = {task}, .name = "item"};
  x.call.kernel = t->call.kernel, x.call.item = item, x.call.nout = 1, x.call.effect = -1;
  return fe_add_node(L, &x);
}

/* A name that can be part of a C identifier (buffer names, comments). */
static const char *c_name(Arena *a, const char *s) {
  char *r = arena_strdup(a, s);
  for (char *p = r; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
      *p = '_';
  return r;
}

/* The one dtype of a kernel's results (side by side in its task's buffer; bool, one unused
 * byte, for a call without results), after the checks of what delayed can pass and store. */
static DType result_dtype(lua_State *L, const Kernel *k) {
  Arena *a = fe_arena(L);
  DType t = CDRT_BOOL;
  bool typed = false;
  if (k->ret >= 0 && dtype_is_complex((DType)k->ret))
    fe_error(L, "kernel '%s' (%s:%d): cd.delayed cannot store a complex result (%s) yet", k->name,
             k->file, k->line, k->ret_ctype);
  if (k->ret >= 0) t = (DType)k->ret, typed = true;
  for (int p = 0; p < k->nparams; p++) {
    const KParam *q = &k->params[p];
    bool no_dtype = q->dtype < 0 || dtype_is_complex((DType)q->dtype);
    if (q->kind == KP_BLOCK)
      fe_error(L,
               "kernel '%s' (%s:%d) takes a block description (%s): call it with "
               "da.map_blocks, not cd.delayed",
               k->name, k->file, k->line, q->ctype);
    if (no_dtype && takes_argument(k, p))
      fe_error(L, "kernel '%s' (%s:%d): parameter %d (%s) has no dtype cd.delayed can pass",
               k->name, k->file, k->line, p + 1, q->ctype);
    if (q->kind != KP_OUT) continue;
    if (no_dtype)
      fe_error(L,
               "kernel '%s' (%s:%d): result parameter %d (%s) has no dtype cd.delayed can "
               "store",
               k->name, k->file, k->line, p + 1, q->ctype);
    if (typed && (DType)q->dtype != t)
      fe_error(L, "kernel '%s' (%s:%d): its results (%s) must have one type for cd.delayed",
               k->name, k->file, k->line, results(a, k));
    t = (DType)q->dtype, typed = true;
  }
  return t;
}

/* Dask's nout: given, it must be the number of results; not given, there must be one. */
static void check_nout(lua_State *L, const Delayed *d, const Kernel *k, int nres) {
  Arena *a = fe_arena(L);
  if (d->nout && d->nout != nres)
    fe_error(L, "kernel '%s' (%s:%d) has %d result%s (%s), but nout = %d", k->name, k->file,
             k->line, nres, nres == 1 ? "" : "s", results(a, k), d->nout);
  if (!d->nout && nres > 1)
    fe_error(L,
             "kernel '%s' (%s:%d) has %d results (%s): give nout = %d to unpack them (Delayed "
             "objects of unspecified length are not iterable)",
             k->name, k->file, k->line, nres, results(a, k), nres);
}

/* A kernel's call: one task node; its results pushed (none, the task, or its items). */
static int call_kernel(lua_State *L, const Delayed *d) {
  Frontend *fe = fe_ctx(L);
  Arena *a = fe_arena(L);
  const Kernel *k = fe_kernel(L, d->kernel);
  int nargs = lua_gettop(L) - 1, want = 0;
  for (int p = 0; p < k->nparams; p++) want += takes_argument(k, p);
  if (nargs != want) fe_error(L, "%s, got %d", takes(a, k), nargs);
  DType t = result_dtype(L, k);
  int nres = count_results(k);
  check_nout(L, d, k, nres);
  if (want > MAXIN) fe_error(L, "%s: cd.delayed passes at most %d arguments", takes(a, k), MAXIN);

  Node x = {.op = OP_TASK, .dtype = t, .name = d->name};
  int *bind = arena_alloc(a, (size_t)(k->nparams ? k->nparams : 1) * sizeof *bind);
  for (int p = 0, argno = 0; p < k->nparams; p++) {
    const KParam *q = &k->params[p];
    if (q->kind == KP_OUT) {
      bind[p] = CALL_OUT;
    } else if (!takes_argument(k, p)) {
      bind[p] = CALL_COUNT;
    } else {
      argno++;
      int idx = argno + 1;
      int id = q->kind == KP_VALUE ? value_argument(L, idx, k, p, argno)
                                   : array_argument(L, idx, k, p, argno);
      bind[p] = x.nin;
      x.in[x.nin++] = id;
    }
  }
  if (nres > 1) x.ndim = 1, x.shape[0] = nres, x.chunk[0] = nres;
  x.call.kernel = d->kernel, x.call.bind = bind, x.call.nout = nres ? nres : 1;
  x.call.pure = d->pure;
  x.call.effect = k->pure ? -1 : fe->graph->neffects++;
  int id = fe_add_node(L, &x);
  if (nres == 0) return 0; /* Dask's None */
  if (nres == 1) return fe_push_id(L, id);
  for (int i = 0; i < nres; i++) fe_push_id(L, item_node(L, id, i));
  return nres;
}

/* A traced Lua function: its arguments (numbers as 0-d arrays), its results as arrays. */
static int call_traced(lua_State *L, const Delayed *d) {
  int nargs = lua_gettop(L) - 1;
  lua_getiuservalue(L, 1, 1);
  for (int i = 2; i <= nargs + 1; i++) {
    if (lua_type(L, i) == LUA_TNUMBER)
      fe_push_id(L, number_node(L, i, lua_isinteger(L, i) ? CDRT_INT64 : CDRT_FLOAT64));
    else
      lua_pushvalue(L, i);
  }
  int base = lua_gettop(L) - nargs - 1;
  lua_call(L, nargs, LUA_MULTRET);
  int nres = lua_gettop(L) - base;
  if (d->nout && nres != d->nout)
    fe_error(L, "the delayed function returned %d value%s, but nout = %d", nres,
             nres == 1 ? "" : "s", d->nout);
  if (!d->nout && nres > 1)
    fe_error(L,
             "the delayed function returned %d values: give nout = %d to unpack them (Delayed "
             "objects of unspecified length are not iterable)",
             nres, nres);
  for (int i = base + 1; i <= base + nres; i++) {
    if (lua_type(L, i) == LUA_TNUMBER) {
      fe_push_id(L, number_node(L, i, lua_isinteger(L, i) ? CDRT_INT64 : CDRT_FLOAT64));
      lua_replace(L, i);
    } else if (!luaL_testudata(L, i, ARRAY_MT) && !lua_isnil(L, i)) {
      fe_error(L, "the delayed function returned %s: a delayed value must be an array or a number",
               luaL_typename(L, i));
    }
  }
  return nres;
}

static int l_delayed_call(lua_State *L) {
  Delayed *d = check_delayed(L, 1);
  return d->kernel >= 0 ? call_kernel(L, d) : call_traced(L, d);
}

static int l_delayed_tostring(lua_State *L) {
  Delayed *d = check_delayed(L, 1);
  lua_pushfstring(L, "Delayed('%s')", d->name);
  return 1;
}

/* cd.delayed(f, {pure = false, nout = nil, name = nil}) */
static int l_delayed(lua_State *L) {
  int kernel = fe_test_kernel(L, 1);
  if (kernel < 0 && !lua_isfunction(L, 1))
    fe_error(L, "cd.delayed takes a kernel (from cd.cfile) or a Lua function, got %s",
             luaL_typename(L, 1));
  int opts = fe_options(L, 2);
  Delayed d = {.kernel = kernel};
  if (opts) {
    lua_getfield(L, opts, "pure");
    if (!lua_isnil(L, -1) && !lua_isboolean(L, -1))
      fe_error(L, "cd.delayed: pure must be a boolean");
    d.pure = lua_toboolean(L, -1);
    lua_getfield(L, opts, "nout");
    if (!lua_isnil(L, -1)) {
      int64_t n = fe_check_int(L, -1, "cd.delayed: nout");
      if (n < 1 || n > 1000000)
        fe_error(L, "cd.delayed: nout must be at least 1, got %lld", (long long)n);
      d.nout = (int)n;
    }
    lua_getfield(L, opts, "name");
    if (!lua_isnil(L, -1))
      d.name = c_name(fe_arena(L), fe_check_string(L, -1, "cd.delayed: name", true));
    lua_pop(L, 3);
  }
  if (kernel >= 0) {
    const Kernel *k = fe_kernel(L, kernel);
    if (k->unsupported)
      fe_error(L, "kernel '%s' (%s:%d) cannot be called: %s", k->name, k->file, k->line,
               k->unsupported);
    if (d.pure && !k->pure)
      fe_error(L,
               "cd.delayed: kernel '%s' (%s:%d) is not pure (%s), so pure = true would merge "
               "or drop its effects",
               k->name, k->file, k->line, k->why);
    if (!d.name) d.name = k->name;
  }
  if (!d.name) d.name = "delayed";
  Delayed *u = lua_newuserdatauv(L, sizeof *u, 1);
  *u = d;
  if (kernel < 0) {
    lua_pushvalue(L, 1);
    lua_setiuservalue(L, -2, 1);
  }
  luaL_setmetatable(L, DELAYED_MT);
  return 1;
}

/* da.from_delayed(d, shape, dtype): the task d (a fresh call whose one result is a
 * pointer parameter) writes an array of that shape. */
static int l_from_delayed(lua_State *L) {
  LArray *a = fe_check_array(L, 1);
  Frontend *fe = fe_ctx(L);
  Node *x = fe_node(L, a->id);
  if (x->op != OP_TASK || x->call.kernel < 0)
    fe_error(L, "from_delayed: expected the value of a delayed kernel call");
  const Kernel *k = fe_kernel(L, x->call.kernel);
  int out = -1;
  for (int p = 0; p < k->nparams; p++)
    if (k->params[p].kind == KP_OUT) out = p;
  if (k->ret >= 0 || out < 0 || count_results(k) != 1)
    fe_error(L,
             "from_delayed: kernel '%s' (%s:%d) must write its array through one pointer "
             "parameter (T *) and return void",
             k->name, k->file, k->line);
  int64_t shape[MAXDIM];
  int ndim = fe_check_shape(L, 2, shape, "from_delayed: negative dimensions are not allowed");
  DType t = lua_isnoneornil(L, 3) ? x->dtype : fe_check_dtype(L, 3);
  if (t != (DType)k->params[out].dtype)
    fe_error(L, "from_delayed: dtype %s, but kernel '%s' (%s:%d) writes %s", cdrt_dtype_name(t),
             k->name, k->file, k->line, k->params[out].ctype);
  for (int i = a->id + 1; i < fe->graph->nnodes; i++)
    for (int j = 0; j < fe->graph->nodes[i].nin; j++)
      if (fe->graph->nodes[i].in[j] == a->id)
        fe_error(L,
                 "from_delayed: the delayed value is used already (line %d); call "
                 "from_delayed on a fresh call",
                 fe->graph->nodes[i].line);
  fe_check_size(L, ndim, shape, t);
  x = fe_node(L, a->id);
  x->ndim = ndim;
  for (int d = 0; d < ndim; d++) x->shape[d] = shape[d], x->chunk[d] = shape[d] ? shape[d] : 1;
  return fe_push_id(L, a->id);
}

void fe_open_delayed(lua_State *L, int cdask, int da) {
  luaL_newmetatable(L, DELAYED_MT);
  lua_pushcfunction(L, l_delayed_call);
  lua_setfield(L, -2, "__call");
  lua_pushcfunction(L, l_delayed_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);
  static const luaL_Reg fns[] = {
      {"delayed", l_delayed}, {"from_delayed", l_from_delayed}, {NULL, NULL}};
  fe_add_functions(L, cdask, fns);
  lua_pushcfunction(L, l_from_delayed);
  lua_setfield(L, da, "from_delayed");
  lua_getfield(L, da, "print"); /* cd.print is da.print */
  lua_setfield(L, cdask, "print");
}
