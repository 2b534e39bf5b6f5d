/* lua_call.c: calling a kernel object from Lua (contract: frontend.h, lua_call.c). A scalar
 * kernel (every parameter a value of a dtype's C type, a result of one) is an elementwise
 * function, a NumPy ufunc with one loop: its arguments (arrays or numbers) broadcast
 * together and each is cast to its parameter's dtype by NumPy's rules: an array only
 * where np.can_cast(from, to, 'safe') holds; a Lua number is a weak scalar (NEP 50): an
 * integer goes to any numeric parameter it fits, a float only to a float or complex one,
 * a boolean anywhere. The call is one node, OP_CALL (pure: merged, fused, recomputed like
 * sin) or OP_CALL_IMPURE (an effect, numbered in script order). Block and task kernels
 * (pointers, or no result) are called through da.map_blocks and cd.delayed instead. */
#include "frontend.h"

#include <string.h>

/* "kernel 'add' (kernels.c:3)" */
static const char *kernel_title(lua_State *L, const Kernel *k) {
  return arena_printf(fe_arena(L), "kernel '%s' (%s:%d)", k->name, k->file, k->line);
}

/* "double, double" */
static const char *param_types(lua_State *L, const Kernel *k) {
  const char *s = "";
  for (int i = 0; i < k->nparams; i++)
    s = arena_printf(fe_arena(L), "%s%s%s", s, i ? ", " : "", k->params[i].ctype);
  return s;
}

/* Refuses a kernel that is not an elementwise function, saying what to do instead. */
static void check_scalar_kernel(lua_State *L, const Kernel *k) {
  const char *title = kernel_title(L, k);
  if (k->unsupported) fe_error(L, "%s cannot be called: %s", title, k->unsupported);
  bool pointers = false;
  for (int i = 0; i < k->nparams; i++) pointers = pointers || k->params[i].kind != KP_VALUE;
  if (pointers || k->ret < 0)
    fe_error(L,
             "%s is a block or task kernel (%s): call it with da.map_blocks(k.%s, ...) or "
             "cd.delayed(k.%s)(...); only kernels of values returning a value are elementwise",
             title, kernel_signature(fe_arena(L), k), k->name, k->name);
  for (int i = 0; i < k->nparams; i++)
    if (k->params[i].dtype < 0)
      fe_error(L, "%s cannot be called elementwise: parameter %d is %s, which no dtype has", title,
               i + 1, k->params[i].ctype);
  if (k->nparams == 0)
    fe_error(L, "%s takes no arguments: an elementwise kernel needs at least one", title);
  if (k->nparams > MAXIN)
    fe_error(L, "%s takes %d arguments: elementwise kernels take at most %d", title, k->nparams,
             MAXIN);
}

/* The words for parameter i in messages: "parameter 2 ('y', double)". */
static const char *param_words(lua_State *L, const Kernel *k, int i) {
  const KParam *p = &k->params[i];
  if (*p->name)
    return arena_printf(fe_arena(L), "parameter %d ('%s', %s)", i + 1, p->name, p->ctype);
  return arena_printf(fe_arena(L), "parameter %d (%s)", i + 1, p->ctype);
}

/* One argument as the user wrote it. */
typedef struct {
  bool number;
  int id;        /* an array's node */
  DType from;    /* an array's dtype, or the number's default one */
  lua_Integer i; /* a Lua integer or boolean */
  double f;      /* a Lua float */
} Arg;

/* Argument idx (the call's argno-th, from 1), checked against parameter i's dtype t by
 * NumPy's casting rules. */
static Arg read_arg_at(lua_State *L, const Kernel *k, int idx, int i, int argno) {
  DType t = (DType)k->params[i].dtype;
  Arg a;
  memset(&a, 0, sizeof a);
  const char *tname = cdrt_dtype_name(t);
  if (lua_isuserdata(L, idx)) {
    a.id = fe_check_array(L, idx)->id;
    a.from = fe_node(L, a.id)->dtype;
    if (fe_promote(a.from, t) != t) /* np.can_cast(from, t, "safe") */
      fe_error(L,
               "%s: argument %d is an array of %s, and casting it to %s for %s is unsafe; "
               "convert it with x:astype(\"%s\") if that is what you mean",
               kernel_title(L, k), argno, cdrt_dtype_name(a.from), tname, param_words(L, k, i),
               tname);
    return a;
  }
  a.number = true;
  if (lua_isboolean(L, idx)) {
    a.from = CDRT_BOOL, a.i = lua_toboolean(L, idx), a.f = (double)a.i;
    return a;
  }
  if (lua_type(L, idx) != LUA_TNUMBER)
    fe_error(L, "%s: argument %d must be an array or a number, got %s", kernel_title(L, k), argno,
             luaL_typename(L, idx));
  if (lua_isinteger(L, idx)) {
    a.from = CDRT_INT64, a.i = lua_tointeger(L, idx), a.f = (double)a.i;
    if (t == CDRT_BOOL)
      fe_error(L, "%s: argument %d is the integer %lld, which %s (bool) cannot take",
               kernel_title(L, k), argno, (long long)a.i, param_words(L, k, i));
    if (t == CDRT_INT32 && (a.i < INT32_MIN || a.i > INT32_MAX))
      fe_error(L, "%s: argument %d, %lld, is out of bounds for %s (int32)", kernel_title(L, k),
               argno, (long long)a.i, param_words(L, k, i));
    return a;
  }
  a.from = CDRT_FLOAT64, a.f = lua_tonumber(L, idx);
  if (!dtype_is_float(t) && !dtype_is_complex(t))
    fe_error(L,
             "%s: argument %d is the float %s, and casting it to %s for %s is unsafe; pass "
             "an integer (math.floor) if that is what you mean",
             kernel_title(L, k), argno, lua_tostring(L, idx), tname, param_words(L, k, i));
  return a;
}

static Arg read_arg(lua_State *L, const Kernel *k, int idx, int i) {
  return read_arg_at(L, k, idx, i, i + 1);
}

void fe_check_kernel_arg(lua_State *L, const Kernel *k, int idx, int param, int argno) {
  (void)read_arg_at(L, k, idx, param, argno);
}

int fe_broadcast_args(lua_State *L, int first, int last, int64_t *shape) {
  int ndim = 0;
  for (int idx = first; idx <= last; idx++) {
    LArray *a = luaL_testudata(L, idx, ARRAY_MT);
    if (!a) continue;
    const Node *x = fe_node(L, a->id);
    int64_t out[MAXDIM];
    int m;
    if (!fe_broadcast_shapes(ndim, shape, x->ndim, x->shape, &m, out)) {
      Arena *ar = fe_arena(L);
      fe_error(L, "shapes %s and %s do not broadcast", shape_str(ar, ndim, shape),
               shape_str(ar, x->ndim, x->shape));
    }
    ndim = m;
    memcpy(shape, out, sizeof(int64_t) * (size_t)m);
  }
  return ndim;
}

/* The argument as an array of dtype t and the call's shape. A number is a constant
 * (chunked whole, so the arrays next to it decide the chunks). */
static int arg_node(lua_State *L, const Arg *a, DType t, int ndim, const int64_t *shape) {
  if (!a->number) return fe_broadcast_to(L, fe_cast(L, a->id, t), ndim, shape);
  Node n = {.op = OP_FULL, .dtype = t, .ndim = ndim};
  for (int d = 0; d < ndim; d++) n.shape[d] = shape[d], n.chunk[d] = shape[d] > 0 ? shape[d] : 1;
  full_value(&n, a->from, a->i, a->f);
  return fe_add_node(L, &n);
}

/* The Series among the arguments at 2..top (the first), or NULL; a frame (a bag's record)
 * is an error */
static LSeries *series_arg(lua_State *L, const Kernel *k) {
  for (int idx = 2; idx <= lua_gettop(L); idx++)
    if (luaL_testudata(L, idx, FRAME_MT))
      fe_error(L,
               "%s: argument %d is a record (a JSON object) or a frame, not a value: pass one "
               "of its fields (x.v, or pluck(\"v\") before the map)",
               kernel_title(L, k), idx - 1);
  for (int idx = 2; idx <= lua_gettop(L); idx++) {
    LSeries *s = luaL_testudata(L, idx, SERIES_MT);
    if (s) return s;
  }
  return NULL;
}

/* k(args...) with a Series among the arguments (a bag's element, a frame's column): a
 * TX_CALL expression of the rows, the kernel called in the scan's loop once per row
 * (emit_rows.c). The arguments are Series of s's rows or numbers, each cast to its
 * parameter's dtype by the same rules as arrays'; a string is refused. */
static int call_rows(lua_State *L, int ki, const Kernel *k, const LSeries *s) {
  const char *title = kernel_title(L, k);
  if (!k->pure)
    fe_error(L,
             "%s is impure (%s): a bag's or a frame's rows are computed in parallel, block by "
             "block, and a row may be computed where a filter then drops it, so it would not run "
             "once per element in order; call it on an array, or declare it "
             "__attribute__((pure)) if its effect may be repeated and reordered",
             title, k->why ? k->why : "it has side effects");
  int col;
  switch (k->ret) {
  case CDRT_BOOL: col = CDRT_COL_BOOL; break;
  case CDRT_INT32:
  case CDRT_INT64: col = CDRT_COL_INT64; break;
  case CDRT_FLOAT32:
  case CDRT_FLOAT64: col = CDRT_COL_FLOAT64; break;
  default:
    return fe_error(L, "%s returns %s, which a bag's or a frame's values cannot hold", title,
                    k->ret_ctype);
  }
  const Tables *t = fe_df_tables(L);
  int nargs = lua_gettop(L) - 1, vals[MAXIN];
  for (int i = 0; i < nargs; i++) {
    int idx = 2 + i;
    DType p = (DType)k->params[i].dtype;
    if (dtype_is_complex(p))
      fe_error(L, "%s: parameter %d is complex, which a bag's or a frame's values cannot be", title,
               i + 1);
    LSeries *o = luaL_testudata(L, idx, SERIES_MT);
    if (!o) {
      if (lua_type(L, idx) == LUA_TSTRING)
        fe_error(L, "%s: argument %d is the string \"%s\"; a kernel takes numbers and bools", title,
                 i + 1, lua_tostring(L, idx));
      fe_check_kernel_arg(L, k, idx, i, i + 1); /* a number or a boolean */
      vals[i] = fe_df_constant(L, idx);
      continue;
    }
    if (o->expr < 0)
      fe_error(L,
               "%s: argument %d is a computed Series (value_counts, a groupby's), which a "
               "kernel cannot take yet",
               title, i + 1);
    if (o->src != s->src || o->mask != s->mask)
      fe_error(L, "the two Series come from different frames (or filters): combining them needs an "
                  "index join, not supported yet");
    int type = t->x[o->expr].type;
    DType from = type == CDRT_COL_INT64     ? CDRT_INT64
                 : type == CDRT_COL_FLOAT64 ? CDRT_FLOAT64
                 : type == CDRT_COL_BOOL    ? CDRT_BOOL
                                            : (DType)-1;
    if ((int)from < 0)
      fe_error(L,
               "%s: argument %d holds %s values, and %s takes a number; a kernel takes "
               "numbers and bools",
               title, i + 1, type == CDRT_COL_STR ? "str" : fe_df_type_label(type),
               param_words(L, k, i));
    if (fe_promote(from, p) != p) /* np.can_cast(from, p, "safe") */
      fe_error(L,
               "%s: argument %d holds %s values, and casting them to %s for %s is unsafe; "
               "convert them with x:astype(\"%s\") if that is what you mean",
               title, i + 1, cdrt_dtype_name(from), cdrt_dtype_name(p), param_words(L, k, i),
               p == CDRT_FLOAT32 || p == CDRT_FLOAT64 ? "float64" : cdrt_dtype_name(p));
    vals[i] = o->expr;
  }
  int list = -1; /* the arguments as a list of TX_ARGs, built from the last */
  for (int i = nargs - 1; i >= 0; i--)
    list = fe_df_add_expr(
        L, (TExpr){.kind = TX_ARG, .type = t->x[vals[i]].type, .a = vals[i], .b = list});
  int x = fe_df_add_expr(L, (TExpr){.kind = TX_CALL, .type = col, .i = ki, .a = list, .b = -1});
  fe_df_push_series(L, s->src, x, NULL, s->mask);
  return 1;
}

/* k(args...): the call node of kernel index ki over the arguments at 2..top. */
static int call_scalar(lua_State *L, int ki) {
  const Kernel *k = fe_kernel(L, ki);
  check_scalar_kernel(L, k);
  int nargs = lua_gettop(L) - 1;
  if (nargs != k->nparams)
    fe_error(L, "%s takes %d argument%s (%s), got %d", kernel_title(L, k), k->nparams,
             k->nparams == 1 ? "" : "s", param_types(L, k), nargs);
  for (int idx = 2; idx <= 1 + nargs; idx++) /* a traced fold's symbol (frontend/bag.lua) */
    if (lua_istable(L, idx) && luaL_getmetafield(L, idx, "__cdask_call") != LUA_TNIL) {
      lua_insert(L, 1); /* the hook, the kernel, the arguments */
      lua_call(L, nargs + 1, 1);
      return 1;
    }
  LSeries *s = series_arg(L, k);
  if (s) return call_rows(L, ki, k, s);
  Arg args[MAXIN];
  for (int i = 0; i < nargs; i++) args[i] = read_arg(L, k, 2 + i, i);
  int64_t shape[MAXDIM];
  int ndim = fe_broadcast_args(L, 2, 1 + nargs, shape);
  Graph *g = fe_ctx(L)->graph;
  Node n = {.op = k->pure ? OP_CALL : OP_CALL_IMPURE, .dtype = (DType)k->ret, .ndim = ndim};
  for (int d = 0; d < ndim; d++) n.shape[d] = shape[d], n.chunk[d] = shape[d] > 0 ? shape[d] : 1;
  int *bind = arena_alloc(g->arena, sizeof *bind * (size_t)nargs);
  for (int i = 0; i < nargs; i++) {
    n.in[i] = arg_node(L, &args[i], (DType)k->params[i].dtype, ndim, shape);
    bind[i] = i;
    const Node *x = fe_node(L, n.in[i]);
    for (int d = 0; d < ndim; d++)
      if (x->chunk[d] < n.chunk[d]) n.chunk[d] = x->chunk[d];
  }
  n.nin = nargs;
  n.name = arena_printf(g->arena, "%s()", k->name);
  n.call.kernel = ki, n.call.bind = bind, n.call.nout = 1, n.call.effect = -1;
  fe_check_size(L, ndim, shape, n.dtype);
  if (!k->pure) n.call.effect = g->neffects++; /* counted once the call cannot fail */
  return fe_push_node(L, &n);
}

static int l_kernel_call(lua_State *L) {
  return call_scalar(L, fe_test_kernel(L, 1));
}

void fe_open_kernel_calls(lua_State *L) {
  luaL_getmetatable(L, KERNEL_MT);
  lua_pushcfunction(L, l_kernel_call);
  lua_setfield(L, -2, "__call");
  lua_pop(L, 1);
}
