/* lua_reduce.c: reductions as graph nodes with NumPy's dtypes and checks, and as array
 * methods and module functions: x:sum(axis), x:mean{axis = {0, 2}, keepdims = true},
 * da.std(x, 1, {ddof = 1}), argmin, nansum, ... */
#include "frontend.h"

#include <math.h>
#include <string.h>

/* The dtype of a reduction's result (NumPy's defaults). */
static DType reduce_dtype(ReduceOp rop, DType t) {
  switch (rop) {
  case ROP_SUM:
  case ROP_PROD: return (t == CDRT_BOOL || t == CDRT_INT32) ? CDRT_INT64 : t;
  case ROP_MEAN: return dtype_is_float(t) || dtype_is_complex(t) ? t : CDRT_FLOAT64;
  case ROP_ANY:
  case ROP_ALL: return CDRT_BOOL;
  case ROP_ARGMIN:
  case ROP_ARGMAX: return CDRT_INT64;
  default: return t;
  }
}

static const char *rop_numpy_name(ReduceOp rop) {
  switch (rop) {
  case ROP_MIN: return "minimum";
  case ROP_MAX: return "maximum";
  case ROP_ARGMIN: return "argmin";
  case ROP_ARGMAX: return "argmax";
  default: return rop_names[rop];
  }
}

/* The number of elements reduced into each result. */
static int64_t reduced_count(const Node *x, unsigned axes) {
  int64_t count = 1;
  for (int d = 0; d < x->ndim; d++)
    if (axes >> d & 1) count *= x->shape[d];
  return count;
}

/* The node of reduction rop of array id over axes (a bit set), NumPy's dtype and checks. */
static int reduce_node(lua_State *L, int id, ReduceOp rop, unsigned axes, bool keepdims) {
  if (rop == ROP_ANY || rop == ROP_ALL) id = fe_to_bool(L, id);
  Node x = *fe_node(L, id);
  int ndim = x.ndim;
  if (dtype_is_complex(x.dtype) && rop != ROP_SUM && rop != ROP_PROD && rop != ROP_MEAN)
    fe_error(L, "%s is not supported for complex arrays", rop_names[rop]);
  DType rt = reduce_dtype(rop, x.dtype);
  if (axes == 0) { /* reducing over no axis: each element stands alone */
    if (rop == ROP_ANY || rop == ROP_ALL) return fe_to_bool(L, id);
    if (rop == ROP_ARGMIN || rop == ROP_ARGMAX) /* a 0-d array: its only index, 0 */
      return fe_zeros_like(L, id, CDRT_INT64);
    return fe_cast(L, id, rt);
  }
  if (reduced_count(&x, axes) == 0 &&
      (rop == ROP_MIN || rop == ROP_MAX || rop == ROP_ARGMIN || rop == ROP_ARGMAX))
    fe_error(L, "zero-size array to reduction operation %s which has no identity",
             rop_numpy_name(rop));
  Node n = {.op = OP_REDUCE, .dtype = rt, .nin = 1, .in = {id}, .rop = rop, .axes = axes};
  int k = 0;
  for (int d = 0; d < ndim; d++) {
    if (axes >> d & 1) continue;
    n.shape[k] = x.shape[d], n.chunk[k] = x.chunk[d];
    k++;
  }
  n.ndim = k;
  int r = fe_add_node(L, &n);
  if (!keepdims) return r;
  Affine m;
  memset(&m, 0, sizeof m);
  m.nin = k, m.nout = ndim;
  int64_t shape[MAXDIM];
  for (int d = 0, j = 0; d < ndim; d++) {
    if (axes >> d & 1) {
      shape[d] = 1;
    } else {
      shape[d] = x.shape[d];
      m.a[j++][d] = 1;
    }
  }
  return fe_view(L, r, &m, ndim, shape);
}

typedef struct {
  unsigned axes;
  bool keepdims;
  bool axis_given;
  bool single_axis; /* one integer, not a table */
  int64_t ddof;
} ReduceArgs;

static const char DUPLICATE[] = "duplicate value in 'axis'";

/* axis at idx: nil (all axes), an integer, or a table of integers. */
static void parse_axis(lua_State *L, int idx, int ndim, ReduceArgs *r) {
  if (lua_isnil(L, idx)) {
    r->axes = ndim ? (1u << ndim) - 1 : 0;
    return;
  }
  r->axis_given = true;
  r->single_axis = !lua_istable(L, idx);
  r->axes = fe_axes(L, idx, ndim, DUPLICATE);
}

static void parse_options(lua_State *L, int idx, int ndim, ReduceArgs *r) {
  static const char *const known[] = {"axis", "keepdims", "ddof", NULL};
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    const char *k =
        lua_type(L, -2) == LUA_TSTRING ? fe_check_string(L, -2, "the option name", false) : NULL;
    bool ok = false;
    for (int i = 0; k && known[i]; i++) ok = ok || strcmp(k, known[i]) == 0;
    if (!ok) fe_error(L, "unknown option '%s' (axis, keepdims, ddof)", k ? k : "?");
    lua_pop(L, 1);
  }
  if (lua_getfield(L, idx, "axis") != LUA_TNIL) parse_axis(L, lua_gettop(L), ndim, r);
  lua_pop(L, 1);
  if (lua_getfield(L, idx, "keepdims") != LUA_TNIL) r->keepdims = lua_toboolean(L, -1);
  lua_pop(L, 1);
  if (lua_getfield(L, idx, "ddof") != LUA_TNIL) {
    int isnum = 0;
    r->ddof = lua_tointegerx(L, -1, &isnum);
    if (!isnum) fe_error(L, "ddof must be an integer");
  }
  lua_pop(L, 1);
}

/* A table of axes rather than options: it has entries 1.., or it is empty and more
 * arguments follow, as in x:sum({}, {keepdims = false}) (NumPy's axis=()). x:sum({}) alone
 * is the empty options table: every axis. */
static bool axis_list(lua_State *L, int idx) {
  lua_rawgeti(L, idx, 1);
  bool list = !lua_isnil(L, -1);
  lua_pop(L, 1);
  if (list || lua_isnoneornil(L, idx + 1)) return list;
  lua_pushnil(L);
  if (!lua_next(L, idx)) return true; /* empty */
  lua_pop(L, 2);
  return false;
}

/* (x, axis?, opts?) or (x, {axis = ..., keepdims = ...}) */
static ReduceArgs parse_reduce_args(lua_State *L, int ndim) {
  ReduceArgs r = {.axes = ndim ? (1u << ndim) - 1 : 0};
  if (lua_istable(L, 2)) {
    bool list = axis_list(L, 2);
    if (list)
      parse_axis(L, 2, ndim, &r);
    else
      parse_options(L, 2, ndim, &r);
  } else if (!lua_isnoneornil(L, 2)) {
    parse_axis(L, 2, ndim, &r);
  }
  if (lua_istable(L, 3))
    parse_options(L, 3, ndim, &r);
  else if (!lua_isnoneornil(L, 3))
    r.keepdims = lua_toboolean(L, 3);
  return r;
}

static int reduce(lua_State *L, ReduceOp rop) {
  LArray *a = fe_check_array(L, 1);
  Node x = *fe_node(L, a->id);
  ReduceArgs r = parse_reduce_args(L, x.ndim);
  if ((rop == ROP_ARGMIN || rop == ROP_ARGMAX) && r.axis_given && !r.single_axis)
    fe_error(L, "%s: axis must be an integer or nil", rop_names[rop]);
  return fe_push_id(L, reduce_node(L, a->id, rop, r.axes, r.keepdims));
}

/* op(a, b) for two node ids. */
static int binary_ids(lua_State *L, Op op, int a, int b) {
  fe_push_id(L, a);
  fe_push_id(L, b);
  int r = fe_binary(L, op, -2, -1);
  lua_pop(L, 2);
  return r;
}

/* var = sum(|x - mean(x)|^2) / (N - ddof), NumPy's two-pass algorithm; std = sqrt(var). */
static int variance(lua_State *L, bool take_sqrt) {
  LArray *a = fe_check_array(L, 1);
  Node x = *fe_node(L, a->id);
  ReduceArgs r = parse_reduce_args(L, x.ndim);
  if (dtype_is_complex(x.dtype))
    fe_error(L, "%s is not supported for complex arrays", take_sqrt ? "std" : "var");
  int xf = fe_cast(L, a->id, dtype_is_float(x.dtype) ? x.dtype : CDRT_FLOAT64);
  int64_t count = reduced_count(&x, r.axes);
  int mean = reduce_node(L, xf, ROP_MEAN, r.axes, true);
  int dev = binary_ids(L, OP_SUB, xf, fe_broadcast_to(L, mean, x.ndim, x.shape));
  int sum = reduce_node(L, binary_ids(L, OP_MUL, dev, dev), ROP_SUM, r.axes, r.keepdims);
  fe_push_id(L, sum);
  lua_Integer denom;
  if (__builtin_sub_overflow((lua_Integer)count, (lua_Integer)r.ddof, &denom))
    fe_error(L, "ddof %lld is out of range", (long long)r.ddof);
  if (denom < 0) denom = 0; /* NumPy warns and divides by zero too */
  lua_pushnumber(L, (lua_Number)denom);
  int var = fe_binary(L, OP_DIV, -2, -1);
  lua_pop(L, 2);
  if (take_sqrt) {
    fe_push_id(L, var);
    var = fe_unary(L, OP_SQRT, lua_gettop(L));
    lua_pop(L, 1);
  }
  Node *n = fe_node(L, var);
  n->name = take_sqrt ? "std" : "var";
  return fe_push_id(L, var);
}

/* where(cond, x, v) for node ids cond and x and a number v (which takes x's float type). */
static int where_number(lua_State *L, int cond, int x, double v) {
  fe_push_id(L, cond);
  fe_push_id(L, x);
  lua_pushnumber(L, v);
  int r = fe_where(L, -3, -2, -1);
  lua_pop(L, 3);
  return r;
}

/* nansum, nanmean, nanmax, nanmin as NumPy computes them: NaN counts as 0 in nansum; nanmean
 * is nansum / (count of non-NaN), NaN for an all-NaN slice; nanmax and nanmin reduce with NaN
 * replaced by -inf / +inf, and give NaN for an all-NaN slice. Integers and bools have no NaN:
 * the plain reductions. */
static int nan_reduce(lua_State *L, ReduceOp rop, const char *name) {
  LArray *a = fe_check_array(L, 1);
  Node x = *fe_node(L, a->id);
  ReduceArgs r = parse_reduce_args(L, x.ndim);
  bool extremum = rop == ROP_MAX || rop == ROP_MIN;
  if (extremum && reduced_count(&x, r.axes) == 0) /* NumPy reduces with fmax / fmin */
    fe_error(L, "zero-size array to reduction operation %s which has no identity",
             rop == ROP_MAX ? "fmax" : "fmin");
  if (!dtype_is_float(x.dtype))
    return fe_push_id(L, reduce_node(L, a->id, rop, r.axes, r.keepdims));
  int valid = fe_isnan(L, a->id, false);
  double fill = rop == ROP_MAX ? -INFINITY : rop == ROP_MIN ? INFINITY : 0.0;
  int filled = where_number(L, valid, a->id, fill);
  if (rop == ROP_SUM) return fe_push_id(L, reduce_node(L, filled, ROP_SUM, r.axes, r.keepdims));
  int res;
  if (rop == ROP_MEAN) {
    int sum = reduce_node(L, filled, ROP_SUM, r.axes, r.keepdims);
    int count = reduce_node(L, valid, ROP_SUM, r.axes, r.keepdims);
    res = fe_cast(L, binary_ids(L, OP_DIV, sum, count), x.dtype);
  } else {
    int any = reduce_node(L, valid, ROP_ANY, r.axes, r.keepdims);
    res = where_number(L, any, reduce_node(L, filled, rop, r.axes, r.keepdims), NAN);
  }
  fe_node(L, res)->name = name;
  return fe_push_id(L, res);
}

#define REDUCER(fn, rop)                                                                           \
  static int fn(lua_State *L) {                                                                    \
    return reduce(L, rop);                                                                         \
  }
REDUCER(l_sum, ROP_SUM)
REDUCER(l_prod, ROP_PROD)
REDUCER(l_min, ROP_MIN)
REDUCER(l_max, ROP_MAX)
REDUCER(l_any, ROP_ANY)
REDUCER(l_all, ROP_ALL)
REDUCER(l_argmin, ROP_ARGMIN)
REDUCER(l_argmax, ROP_ARGMAX)
REDUCER(l_mean, ROP_MEAN)

#define NAN_REDUCER(fn, rop, name)                                                                 \
  static int fn(lua_State *L) {                                                                    \
    return nan_reduce(L, rop, name);                                                               \
  }
NAN_REDUCER(l_nansum, ROP_SUM, "nansum")
NAN_REDUCER(l_nanmean, ROP_MEAN, "nanmean")
NAN_REDUCER(l_nanmax, ROP_MAX, "nanmax")
NAN_REDUCER(l_nanmin, ROP_MIN, "nanmin")

static int l_var(lua_State *L) {
  return variance(L, false);
}
static int l_std(lua_State *L) {
  return variance(L, true);
}

static const luaL_Reg reducers[] = {
    {"sum", l_sum},         {"prod", l_prod},     {"min", l_min},       {"max", l_max},
    {"any", l_any},         {"all", l_all},       {"argmin", l_argmin}, {"argmax", l_argmax},
    {"mean", l_mean},       {"var", l_var},       {"std", l_std},       {"nansum", l_nansum},
    {"nanmean", l_nanmean}, {"nanmax", l_nanmax}, {"nanmin", l_nanmin}, {NULL, NULL}};

void fe_open_reductions(lua_State *L, const FeTables *t) {
  fe_add_functions(L, t->methods, reducers);
  fe_add_functions(L, t->module, reducers);
  lua_pushcfunction(L, l_max);
  lua_setfield(L, t->module, "amax");
  lua_pushcfunction(L, l_min);
  lua_setfield(L, t->module, "amin");
}
