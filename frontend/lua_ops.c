/* lua_ops.c: elementwise operations, views and reductions as graph nodes, with NumPy's
 * broadcasting and type promotion (NumPy 1.24, value-based casting for Lua numbers). */
#include "frontend.h"

#include <math.h>
#include <string.h>

/* NumPy's promotion among bool < int32 < int64 < float32 < float64, where an integer with
 * float32 needs float64 to hold it exactly. */
DType promote(DType a, DType b) {
  if (a == b) return a;
  if (dtype_is_complex(a) || dtype_is_complex(b)) { /* complex64 holds float32, int16 */
    DType c = a > b ? a : b, o = a > b ? b : a;
    return c == CDRT_COMPLEX64 && (o == CDRT_FLOAT64 || dtype_is_int(o)) ? CDRT_COMPLEX128 : c;
  }
  if ((a == CDRT_FLOAT32 && dtype_is_int(b)) || (b == CDRT_FLOAT32 && dtype_is_int(a)))
    return CDRT_FLOAT64;
  return a > b ? a : b;
}

/* An operand as the user wrote it: an array, or a Lua number or boolean. */
typedef struct {
  bool scalar;
  int id;       /* arrays */
  bool is_int;  /* scalars: a Lua integer */
  bool is_bool; /* scalars: a Lua boolean */
  lua_Integer i;
  double f;
} Operand;

static Operand operand(lua_State *L, int idx, const char *what) {
  Operand o;
  memset(&o, 0, sizeof o);
  if (lua_isuserdata(L, idx)) {
    o.id = fe_check_array(L, idx)->id;
    return o;
  }
  o.scalar = true;
  if (lua_isboolean(L, idx)) {
    o.is_bool = true, o.i = lua_toboolean(L, idx), o.f = (double)o.i;
  } else if (lua_isinteger(L, idx)) {
    o.is_int = true, o.i = lua_tointeger(L, idx), o.f = (double)o.i;
  } else if (lua_type(L, idx) == LUA_TNUMBER) {
    o.f = lua_tonumber(L, idx);
  } else {
    fe_error(L, "%s: expected an array or a number, got %s", what, luaL_typename(L, idx));
  }
  return o;
}

/* The dtype of an array of type t combined with a Lua number: NumPy 1.24's value-based
 * casting, result_type(t, min_scalar_type(v)) when v's kind is not above t's. Integers take
 * int8..uint16 if in [-32768, 65535] (which float32 and complex64 hold), else int32 or
 * wider; floats take float32 unless finite with |v| >= 3.4e38 (NumPy's bound, a little
 * below FLT_MAX). Booleans never widen an array. */
static DType scalar_dtype(const Operand *o, DType t) {
  if (o->is_bool) return t;
  bool single; /* the value's minimal type is held by float32 and complex64 */
  if (o->is_int) {
    if (t == CDRT_BOOL) return CDRT_INT64;
    if (t == CDRT_INT32) return (o->i >= INT32_MIN && o->i <= INT32_MAX) ? CDRT_INT32 : CDRT_INT64;
    single = o->i >= -32768 && o->i <= 65535;
  } else {
    if (!dtype_is_float(t) && !dtype_is_complex(t)) return CDRT_FLOAT64;
    single = !(isfinite(o->f) && fabs(o->f) >= 3.4e38);
  }
  if (t == CDRT_FLOAT32 && !single) return CDRT_FLOAT64;
  if (t == CDRT_COMPLEX64 && !single) return CDRT_COMPLEX128;
  return t;
}

static DType default_dtype(const Operand *o) {
  return o->is_bool ? CDRT_BOOL : o->is_int ? CDRT_INT64 : CDRT_FLOAT64;
}

/* A constant array of the given shape (chunks: the whole array, so that any real array
 * next to it decides the chunking). */
static int full_node(lua_State *L, const Operand *o, DType t, int ndim, const int64_t *shape) {
  Node n = {.op = OP_FULL, .dtype = t, .ndim = ndim};
  for (int d = 0; d < ndim; d++) n.shape[d] = shape[d], n.chunk[d] = shape[d] > 0 ? shape[d] : 1;
  full_value(&n, default_dtype(o), o->i, o->f);
  return fe_add_node(L, &n);
}

int fe_cast(lua_State *L, int id, DType t) {
  Node *x = fe_node(L, id);
  if (x->dtype == t) return id;
  Node n = *x;
  n.op = OP_CAST, n.dtype = t, n.nin = 1, n.in[0] = id, n.name = NULL;
  n.map = NULL, n.str = NULL;
  return fe_add_node(L, &n);
}

int fe_view(lua_State *L, int id, const Affine *m, int ndim, const int64_t *shape) {
  Frontend *fe = fe_ctx(L);
  Node *x = fe_node(L, id);
  Node n = {.op = OP_VIEW, .dtype = x->dtype, .ndim = ndim, .nin = 1, .in = {id}};
  n.map = arena_alloc(fe->graph->arena, sizeof *n.map);
  *n.map = *m;
  for (int k = 0; k < ndim; k++) {
    n.shape[k] = shape[k];
    int64_t c = shape[k];
    for (int d = 0; d < m->nin; d++) {
      int64_t a = m->a[d][k] < 0 ? -m->a[d][k] : m->a[d][k];
      if (a) {
        c = x->chunk[d] / a;
        break;
      }
    }
    if (c > shape[k]) c = shape[k];
    n.chunk[k] = c < 1 ? 1 : c;
  }
  return fe_add_node(L, &n);
}

static bool broadcast_shapes(int na, const int64_t *a, int nb, const int64_t *b, int *nout,
                             int64_t *out) {
  int n = na > nb ? na : nb;
  *nout = n;
  for (int k = 0; k < n; k++) {
    int da = k - (n - na), db = k - (n - nb);
    int64_t x = da >= 0 ? a[da] : 1, y = db >= 0 ? b[db] : 1;
    if (x != y && x != 1 && y != 1) return false;
    out[k] = x == 1 ? y : x;
  }
  *nout = n;
  return true;
}

/* NumPy's messages: da.broadcast_to reaches them; implicit broadcasts are checked before. */
int fe_broadcast_to(lua_State *L, int id, int ndim, const int64_t *shape) {
  Node *x = fe_node(L, id);
  if (x->ndim == ndim && memcmp(x->shape, shape, (size_t)ndim * sizeof *shape) == 0) return id;
  Affine m;
  memset(&m, 0, sizeof m);
  m.nin = x->ndim, m.nout = ndim;
  int lead = ndim - x->ndim;
  if (ndim == 0) fe_error(L, "cannot broadcast a non-scalar to a scalar array");
  if (lead < 0) fe_error(L, "input operand has more dimensions than allowed by the axis remapping");
  for (int d = 0; d < x->ndim; d++) {
    if (x->shape[d] == shape[d + lead]) {
      m.a[d][d + lead] = 1;
    } else if (x->shape[d] != 1) {
      Arena *ar = fe_ctx(L)->graph->arena;
      fe_error(L,
               "operands could not be broadcast together with remapped shapes "
               "[original->remapped]: %s  and requested shape %s",
               shape_str(ar, x->ndim, x->shape), shape_str(ar, ndim, shape));
    }
  }
  return fe_view(L, id, &m, ndim, shape);
}

/* An operand converted to dtype t and broadcast to the result shape. */
static int prepare(lua_State *L, const Operand *o, DType t, int ndim, const int64_t *shape) {
  if (o->scalar) return full_node(L, o, t, ndim, shape);
  return fe_broadcast_to(L, fe_cast(L, o->id, t), ndim, shape);
}

static void operand_shape(lua_State *L, const Operand *o, int *ndim, const int64_t **shape) {
  static const int64_t none[1] = {0};
  if (o->scalar) {
    *ndim = 0, *shape = none;
  } else {
    Node *x = fe_node(L, o->id);
    *ndim = x->ndim, *shape = x->shape;
  }
}

static bool is_compare(Op op) {
  return op == OP_LT || op == OP_LE || op == OP_GT || op == OP_GE || op == OP_EQ || op == OP_NE;
}

static int make_elem(lua_State *L, Op op, DType t, int nin, const int *ins, int ndim,
                     const int64_t *shape) {
  Node n = {.op = op, .dtype = t, .ndim = ndim, .nin = nin};
  for (int d = 0; d < ndim; d++) n.shape[d] = shape[d], n.chunk[d] = shape[d] > 0 ? shape[d] : 1;
  for (int i = 0; i < nin; i++) {
    n.in[i] = ins[i];
    Node *x = fe_node(L, ins[i]);
    for (int d = 0; d < ndim; d++)
      if (x->chunk[d] < n.chunk[d]) n.chunk[d] = x->chunk[d];
  }
  return fe_add_node(L, &n);
}

int fe_binary(lua_State *L, Op op, int ia, int ib) {
  const char *name = op_names[op];
  Operand a = operand(L, ia, name), b = operand(L, ib, name);
  DType t;
  if (a.scalar && b.scalar) {
    t = promote(default_dtype(&a), default_dtype(&b));
  } else if (a.scalar) {
    t = scalar_dtype(&a, fe_node(L, b.id)->dtype);
  } else if (b.scalar) {
    t = scalar_dtype(&b, fe_node(L, a.id)->dtype);
  } else {
    t = promote(fe_node(L, a.id)->dtype, fe_node(L, b.id)->dtype);
  }
  int na, nb, n = 0;
  const int64_t *sa, *sb;
  int64_t shape[MAXDIM];
  operand_shape(L, &a, &na, &sa);
  operand_shape(L, &b, &nb, &sb);
  if (!broadcast_shapes(na, sa, nb, sb, &n, shape)) {
    Arena *ar = fe_ctx(L)->graph->arena;
    fe_error(L, "shapes %s and %s do not broadcast", shape_str(ar, na, sa), shape_str(ar, nb, sb));
  }
  if (t == CDRT_BOOL) {
    if (op == OP_ADD) op = OP_OR; /* NumPy: True + True is True */
    if (op == OP_MUL) op = OP_AND;
    if (op == OP_SUB)
      fe_error(L, "numpy boolean subtract, the `-` operator, is not supported, use the "
                  "bitwise_xor, the `~` operator, or the logical_xor function instead");
    if (op == OP_FLOORDIV || op == OP_MOD || op == OP_POW) t = CDRT_INT64;
  }
  if ((op == OP_AND || op == OP_OR || op == OP_XOR) && t != CDRT_BOOL)
    fe_error(L, "%s needs bool arrays, got %s", name, cdrt_dtype_name(t));
  if (op == OP_DIV && !dtype_is_float(t) && !dtype_is_complex(t)) t = CDRT_FLOAT64;
  if (dtype_is_complex(t) && op == OP_POW && b.scalar && b.is_int && b.i == 2)
    op = OP_MUL, b = a; /* x^2 = x*x, NumPy's fast path */
  if (dtype_is_complex(t) && op != OP_ADD && op != OP_SUB && op != OP_MUL && op != OP_DIV &&
      op != OP_EQ && op != OP_NE)
    fe_error(L, "%s is not supported for complex arrays", name);
  if (op == OP_POW && dtype_is_int(t) && b.scalar && b.is_int && b.i < 0)
    fe_error(L, "Integers to negative integer powers are not allowed.");
  int ins[2] = {prepare(L, &a, t, n, shape), prepare(L, &b, t, n, shape)};
  return make_elem(L, op, is_compare(op) ? CDRT_BOOL : t, 2, ins, n, shape);
}

int fe_unary(lua_State *L, Op op, int ia) {
  const char *name = op_names[op];
  Operand a = operand(L, ia, name);
  DType t = a.scalar ? default_dtype(&a) : fe_node(L, a.id)->dtype;
  int ndim;
  const int64_t *shape;
  operand_shape(L, &a, &ndim, &shape);
  DType rt = t;
  if (dtype_is_complex(t) && op != OP_NEG && op != OP_ABS)
    fe_error(L, "%s is not supported for complex arrays", name);
  switch (op) {
  case OP_NEG:
    if (t == CDRT_BOOL)
      fe_error(L, "The numpy boolean negative, the `-` operator, is not supported, use the `~` "
                  "operator or the logical_not function instead.");
    break;
  case OP_NOT:
    if (t != CDRT_BOOL)
      fe_error(L, "logical_not (~) needs a bool array, got %s", cdrt_dtype_name(t));
    break;
  case OP_ABS: rt = dtype_real(t); break; /* the modulus of a complex */
  default:                                /* sin ... ceil: floating point results */
    if (!dtype_is_float(t)) rt = CDRT_FLOAT64;
  }
  int in = prepare(L, &a, dtype_is_complex(t) ? t : rt, ndim, shape);
  return make_elem(L, op, rt, 1, &in, ndim, shape);
}

/* A constant array with the shape and chunks of array id. */
static int full_like(lua_State *L, int id, const Operand *o, DType t) {
  Node x = *fe_node(L, id);
  int r = full_node(L, o, t, x.ndim, x.shape);
  memcpy(fe_node(L, r)->chunk, x.chunk, sizeof x.chunk);
  return r;
}

int fe_isnan(lua_State *L, int id, bool nan) {
  Node x = *fe_node(L, id);
  if (!dtype_is_float(x.dtype) && !dtype_is_complex(x.dtype)) {
    Operand v = {.scalar = true, .is_bool = true, .i = !nan, .f = !nan};
    return full_like(L, id, &v, CDRT_BOOL);
  }
  int ins[2] = {id, id};
  return make_elem(L, nan ? OP_NE : OP_EQ, CDRT_BOOL, 2, ins, x.ndim, x.shape);
}

/* |x| < inf: false for inf and NaN; true for integers and bools. */
static int isfinite_node(lua_State *L, int id) {
  Node x = *fe_node(L, id);
  if (dtype_is_complex(x.dtype)) { /* both parts finite */
    int ins[2] = {isfinite_node(L, fe_unary_complex(L, OP_REAL, id)),
                  isfinite_node(L, fe_unary_complex(L, OP_IMAG, id))};
    return make_elem(L, OP_AND, CDRT_BOOL, 2, ins, x.ndim, x.shape);
  }
  if (!dtype_is_float(x.dtype)) return fe_isnan(L, id, false);
  Operand inf = {.scalar = true, .f = INFINITY};
  int ins[2] = {make_elem(L, OP_ABS, x.dtype, 1, &id, x.ndim, x.shape),
                full_node(L, &inf, x.dtype, x.ndim, x.shape)};
  return make_elem(L, OP_LT, CDRT_BOOL, 2, ins, x.ndim, x.shape);
}

/* x != 0, as NumPy turns numbers into truth values. */
static int to_bool(lua_State *L, int id) {
  Node x = *fe_node(L, id);
  if (x.dtype == CDRT_BOOL) return id;
  Operand zero = {.scalar = true, .is_int = true};
  int ins[2] = {id, full_node(L, &zero, x.dtype, x.ndim, x.shape)};
  return make_elem(L, OP_NE, CDRT_BOOL, 2, ins, x.ndim, x.shape);
}

int fe_where(lua_State *L, int ic, int ia, int ib) {
  Operand c = operand(L, ic, "where"), a = operand(L, ia, "where"), b = operand(L, ib, "where");
  DType t;
  if (a.scalar && b.scalar)
    t = promote(default_dtype(&a), default_dtype(&b));
  else if (a.scalar)
    t = scalar_dtype(&a, fe_node(L, b.id)->dtype);
  else if (b.scalar)
    t = scalar_dtype(&b, fe_node(L, a.id)->dtype);
  else
    t = promote(fe_node(L, a.id)->dtype, fe_node(L, b.id)->dtype);
  int nc, na, nb, n1, n;
  const int64_t *sc, *sa, *sb;
  int64_t s1[MAXDIM], shape[MAXDIM];
  operand_shape(L, &c, &nc, &sc);
  operand_shape(L, &a, &na, &sa);
  operand_shape(L, &b, &nb, &sb);
  Arena *ar = fe_ctx(L)->graph->arena;
  if (!broadcast_shapes(na, sa, nb, sb, &n1, s1))
    fe_error(L, "shapes %s and %s do not broadcast", shape_str(ar, na, sa), shape_str(ar, nb, sb));
  if (!broadcast_shapes(nc, sc, n1, s1, &n, shape))
    fe_error(L, "shapes %s and %s do not broadcast", shape_str(ar, nc, sc), shape_str(ar, n1, s1));
  int cond;
  if (c.scalar) {
    Operand cb = c;
    cb.is_bool = true, cb.i = c.f != 0, cb.is_int = false;
    cond = full_node(L, &cb, CDRT_BOOL, n, shape);
  } else {
    cond = fe_broadcast_to(L, to_bool(L, c.id), n, shape);
  }
  int ins[3] = {cond, prepare(L, &a, t, n, shape), prepare(L, &b, t, n, shape)};
  return make_elem(L, OP_WHERE, t, 3, ins, n, shape);
}

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

int fe_reduce(lua_State *L, int id, ReduceOp rop, unsigned axes, bool keepdims) {
  if (rop == ROP_ANY || rop == ROP_ALL) id = to_bool(L, id);
  Node *x = fe_node(L, id);
  int ndim = x->ndim;
  if (dtype_is_complex(x->dtype) && rop != ROP_SUM && rop != ROP_PROD && rop != ROP_MEAN)
    fe_error(L, "%s is not supported for complex arrays", rop_names[rop]);
  DType rt = reduce_dtype(rop, x->dtype);
  if (axes == 0) { /* reducing over no axis: each element stands alone */
    if (rop == ROP_ANY || rop == ROP_ALL) return to_bool(L, id);
    if (rop == ROP_ARGMIN || rop == ROP_ARGMAX) { /* a 0-d array: its only index, 0 */
      Operand zero = {.scalar = true, .is_int = true};
      return full_like(L, id, &zero, CDRT_INT64);
    }
    return fe_cast(L, id, rt);
  }
  int64_t count = 1;
  for (int d = 0; d < ndim; d++)
    if (axes >> d & 1) count *= x->shape[d];
  if (count == 0 && (rop == ROP_MIN || rop == ROP_MAX || rop == ROP_ARGMIN || rop == ROP_ARGMAX))
    fe_error(L, "zero-size array to reduction operation %s which has no identity",
             rop_numpy_name(rop));
  Node n = {.op = OP_REDUCE, .dtype = rt, .nin = 1, .in = {id}, .rop = rop, .axes = axes};
  int k = 0;
  for (int d = 0; d < ndim; d++) {
    if (axes >> d & 1) continue;
    n.shape[k] = x->shape[d], n.chunk[k] = x->chunk[d];
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
      shape[d] = x->shape[d];
      m.a[j++][d] = 1;
    }
  }
  return fe_view(L, r, &m, ndim, shape);
}

/* ---- Lua functions ---- */

static int lx_binary(lua_State *L, Op op) {
  return fe_push_id(L, fe_binary(L, op, 1, 2));
}
static int lx_unary(lua_State *L, Op op) {
  luaL_checkany(L, 1);
  return fe_push_id(L, fe_unary(L, op, 1));
}

#define BINARY(fn, op)                                                                             \
  static int fn(lua_State *L) {                                                                    \
    return lx_binary(L, op);                                                                       \
  }
#define UNARY(fn, op)                                                                              \
  static int fn(lua_State *L) {                                                                    \
    return lx_unary(L, op);                                                                        \
  }
BINARY(lx_add, OP_ADD)
BINARY(lx_sub, OP_SUB)
BINARY(lx_mul, OP_MUL)
BINARY(lx_div, OP_DIV)
BINARY(lx_floordiv, OP_FLOORDIV)
BINARY(lx_mod, OP_MOD)
BINARY(lx_pow, OP_POW)
BINARY(lx_maximum, OP_MAXIMUM)
BINARY(lx_minimum, OP_MINIMUM)
BINARY(lx_lt, OP_LT)
BINARY(lx_le, OP_LE)
BINARY(lx_gt, OP_GT)
BINARY(lx_ge, OP_GE)
BINARY(lx_eq, OP_EQ)
BINARY(lx_ne, OP_NE)
BINARY(lx_and, OP_AND)
BINARY(lx_or, OP_OR)
BINARY(lx_xor, OP_XOR)
UNARY(lx_neg, OP_NEG)
UNARY(lx_not, OP_NOT)
UNARY(lx_sin, OP_SIN)
UNARY(lx_cos, OP_COS)
UNARY(lx_tan, OP_TAN)
UNARY(lx_exp, OP_EXP)
UNARY(lx_log, OP_LOG)
UNARY(lx_sqrt, OP_SQRT)
UNARY(lx_abs, OP_ABS)
UNARY(lx_floor, OP_FLOOR)
UNARY(lx_ceil, OP_CEIL)

static int lx_isnan(lua_State *L) {
  return fe_push_id(L, fe_isnan(L, fe_check_array(L, 1)->id, true));
}
static int lx_isfinite(lua_State *L) {
  return fe_push_id(L, isfinite_node(L, fe_check_array(L, 1)->id));
}

/* clip(x, lo, hi) = minimum(maximum(x, lo), hi) as NumPy computes it; a nil bound is skipped
 * (the promotion is then that of the other bound alone, as in NumPy). */
static int lx_clip(lua_State *L) {
  lua_settop(L, 3);
  fe_check_array(L, 1);
  if (lua_isnil(L, 2) && lua_isnil(L, 3)) fe_error(L, "One of max or min must be given");
  lua_pushvalue(L, 1); /* 4: the result so far */
  Op ops[2] = {OP_MAXIMUM, OP_MINIMUM};
  for (int i = 0; i < 2; i++) {
    if (lua_isnil(L, 2 + i)) continue;
    operand(L, 2 + i, "clip");
    fe_push_id(L, fe_binary(L, ops[i], 4, 2 + i));
    lua_replace(L, 4);
  }
  return 1;
}

static int lx_where(lua_State *L) {
  luaL_checkany(L, 3);
  return fe_push_id(L, fe_where(L, 1, 2, 3));
}

/* Lua's `-x` passes x twice; `~x` likewise. */
static int lx_unm(lua_State *L) {
  lua_settop(L, 1);
  return lx_unary(L, OP_NEG);
}
static int lx_bnot(lua_State *L) {
  lua_settop(L, 1);
  return lx_unary(L, OP_NOT);
}

static const luaL_Reg module_funcs[] = {{"add", lx_add},
                                        {"subtract", lx_sub},
                                        {"multiply", lx_mul},
                                        {"divide", lx_div},
                                        {"true_divide", lx_div},
                                        {"floor_divide", lx_floordiv},
                                        {"mod", lx_mod},
                                        {"remainder", lx_mod},
                                        {"power", lx_pow},
                                        {"maximum", lx_maximum},
                                        {"minimum", lx_minimum},
                                        {"less", lx_lt},
                                        {"less_equal", lx_le},
                                        {"greater", lx_gt},
                                        {"greater_equal", lx_ge},
                                        {"equal", lx_eq},
                                        {"not_equal", lx_ne},
                                        {"logical_and", lx_and},
                                        {"logical_or", lx_or},
                                        {"logical_xor", lx_xor},
                                        {"logical_not", lx_not},
                                        {"negative", lx_neg},
                                        {"sin", lx_sin},
                                        {"cos", lx_cos},
                                        {"tan", lx_tan},
                                        {"exp", lx_exp},
                                        {"log", lx_log},
                                        {"sqrt", lx_sqrt},
                                        {"abs", lx_abs},
                                        {"absolute", lx_abs},
                                        {"floor", lx_floor},
                                        {"ceil", lx_ceil},
                                        {"where", lx_where},
                                        {"clip", lx_clip},
                                        {"isnan", lx_isnan},
                                        {"isfinite", lx_isfinite},
                                        {NULL, NULL}};

/* Methods of arrays: comparisons (Lua's < and == cannot return arrays), clip. */
static const luaL_Reg method_funcs[] = {{"lt", lx_lt},     {"le", lx_le}, {"gt", lx_gt},
                                        {"ge", lx_ge},     {"eq", lx_eq}, {"ne", lx_ne},
                                        {"clip", lx_clip}, {NULL, NULL}};

static const luaL_Reg meta_funcs[] = {
    {"__add", lx_add}, {"__sub", lx_sub},       {"__mul", lx_mul},
    {"__div", lx_div}, {"__idiv", lx_floordiv}, {"__mod", lx_mod},
    {"__pow", lx_pow}, {"__unm", lx_unm},       {"__band", lx_and},
    {"__bor", lx_or},  {"__bxor", lx_xor},      {"__bnot", lx_bnot},
    {NULL, NULL}};

/* Stack: module table at -3, methods table at -2, metatable at -1. */
void fe_lua_open_ops(lua_State *L) {
  luaL_setfuncs(L, meta_funcs, 0);
  lua_pushvalue(L, -2);
  luaL_setfuncs(L, method_funcs, 0);
  lua_pop(L, 1);
  lua_pushvalue(L, -3);
  luaL_setfuncs(L, module_funcs, 0);
  lua_pop(L, 1);
}
