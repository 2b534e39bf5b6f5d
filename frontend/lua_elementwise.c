/* lua_elementwise.c: elementwise operations as graph nodes, with NumPy's broadcasting and
 * type promotion (NumPy 1.24, value-based casting for Lua numbers), and their Lua names:
 * every elementwise operation of the OPS table under NumPy's name (op_names), a short list
 * of aliases, comparisons as array methods, Lua's operators as metamethods; and isnan,
 * isfinite, clip, which are made of them. */
#include "frontend.h"

#include <math.h>
#include <string.h>

/* An operand as the user wrote it: an array, or a Lua number or boolean. */
typedef struct {
  bool scalar;
  int id;       /* arrays */
  bool is_int;  /* scalars: a Lua integer */
  bool is_bool; /* scalars: a Lua boolean */
  lua_Integer i;
  double f;
} Operand;

/* The operand at idx; what: the operation, for the message if it is neither. */
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

/* The dtype two operands compute in: NumPy's promotion of arrays, value-based for a Lua
 * number next to an array. */
static DType result_dtype(lua_State *L, const Operand *a, const Operand *b) {
  if (a->scalar && b->scalar) return fe_promote(default_dtype(a), default_dtype(b));
  if (a->scalar) return scalar_dtype(a, fe_node(L, b->id)->dtype);
  if (b->scalar) return scalar_dtype(b, fe_node(L, a->id)->dtype);
  return fe_promote(fe_node(L, a->id)->dtype, fe_node(L, b->id)->dtype);
}

/* A constant array of the given shape (chunks: the whole array, so that any real array
 * next to it decides the chunking). */
static int full_node(lua_State *L, const Operand *o, DType t, int ndim, const int64_t *shape) {
  Node n = {.op = OP_FULL, .dtype = t, .ndim = ndim};
  for (int d = 0; d < ndim; d++) n.shape[d] = shape[d], n.chunk[d] = shape[d] > 0 ? shape[d] : 1;
  full_value(&n, default_dtype(o), o->i, o->f);
  return fe_add_node(L, &n);
}

bool fe_broadcast_shapes(int na, const int64_t *a, int nb, const int64_t *b, int *nout,
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

/* An operand converted to dtype t and broadcast to the result shape. */
static int operand_node(lua_State *L, const Operand *o, DType t, int ndim, const int64_t *shape) {
  if (o->scalar) return full_node(L, o, t, ndim, shape);
  return fe_broadcast_to(L, fe_cast(L, o->id, t), ndim, shape);
}

/* The shape of an operand (a number's is ()); it points into the graph: read it before
 * adding nodes. */
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

/* An elementwise node of nin inputs (already of the shape), chunked like the finest one. */
static int elem_node(lua_State *L, Op op, DType t, int nin, const int *ins, int ndim,
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
  DType t = result_dtype(L, &a, &b);
  int na, nb, n = 0;
  const int64_t *sa, *sb;
  int64_t shape[MAXDIM];
  operand_shape(L, &a, &na, &sa);
  operand_shape(L, &b, &nb, &sb);
  if (!fe_broadcast_shapes(na, sa, nb, sb, &n, shape)) {
    Arena *ar = fe_arena(L);
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
  int ins[2] = {operand_node(L, &a, t, n, shape), operand_node(L, &b, t, n, shape)};
  return elem_node(L, op, is_compare(op) ? CDRT_BOOL : t, 2, ins, n, shape);
}

int fe_unary(lua_State *L, Op op, int ia) {
  const char *name = op_names[op];
  Operand a = operand(L, ia, name);
  DType t = a.scalar ? default_dtype(&a) : fe_node(L, a.id)->dtype;
  int ndim;
  const int64_t *at;
  int64_t shape[MAXDIM]; /* a copy: the graph may move when the cast below adds a node */
  operand_shape(L, &a, &ndim, &at);
  memcpy(shape, at, (size_t)ndim * sizeof *shape);
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
  int in = operand_node(L, &a, dtype_is_complex(t) ? t : rt, ndim, shape);
  return elem_node(L, op, rt, 1, &in, ndim, shape);
}

/* A constant array with the shape and chunks of array id. */
static int full_like(lua_State *L, int id, const Operand *o, DType t) {
  Node x = *fe_node(L, id);
  int r = full_node(L, o, t, x.ndim, x.shape);
  memcpy(fe_node(L, r)->chunk, x.chunk, sizeof x.chunk);
  return r;
}

int fe_zeros_like(lua_State *L, int id, DType t) {
  Operand zero = {.scalar = true, .is_int = true};
  return full_like(L, id, &zero, t);
}

int fe_isnan(lua_State *L, int id, bool nan) {
  Node x = *fe_node(L, id);
  if (!dtype_is_float(x.dtype) && !dtype_is_complex(x.dtype)) {
    Operand v = {.scalar = true, .is_bool = true, .i = !nan, .f = !nan};
    return full_like(L, id, &v, CDRT_BOOL);
  }
  int ins[2] = {id, id};
  return elem_node(L, nan ? OP_NE : OP_EQ, CDRT_BOOL, 2, ins, x.ndim, x.shape);
}

/* |x| < inf: false for inf and NaN; true for integers and bools. */
static int isfinite_node(lua_State *L, int id) {
  Node x = *fe_node(L, id);
  if (dtype_is_complex(x.dtype)) { /* both parts finite */
    int ins[2] = {isfinite_node(L, fe_unary_complex(L, OP_REAL, id)),
                  isfinite_node(L, fe_unary_complex(L, OP_IMAG, id))};
    return elem_node(L, OP_AND, CDRT_BOOL, 2, ins, x.ndim, x.shape);
  }
  if (!dtype_is_float(x.dtype)) return fe_isnan(L, id, false);
  Operand inf = {.scalar = true, .f = INFINITY};
  int ins[2] = {elem_node(L, OP_ABS, x.dtype, 1, &id, x.ndim, x.shape),
                full_node(L, &inf, x.dtype, x.ndim, x.shape)};
  return elem_node(L, OP_LT, CDRT_BOOL, 2, ins, x.ndim, x.shape);
}

/* x != 0, as NumPy turns numbers into truth values. */
int fe_to_bool(lua_State *L, int id) {
  Node x = *fe_node(L, id);
  if (x.dtype == CDRT_BOOL) return id;
  Operand zero = {.scalar = true, .is_int = true};
  int ins[2] = {id, full_node(L, &zero, x.dtype, x.ndim, x.shape)};
  return elem_node(L, OP_NE, CDRT_BOOL, 2, ins, x.ndim, x.shape);
}

int fe_where(lua_State *L, int ic, int ia, int ib) {
  Operand c = operand(L, ic, "where"), a = operand(L, ia, "where"), b = operand(L, ib, "where");
  DType t = result_dtype(L, &a, &b);
  int nc, na, nb, n1, n;
  const int64_t *sc, *sa, *sb;
  int64_t s1[MAXDIM], shape[MAXDIM];
  operand_shape(L, &c, &nc, &sc);
  operand_shape(L, &a, &na, &sa);
  operand_shape(L, &b, &nb, &sb);
  Arena *ar = fe_arena(L);
  if (!fe_broadcast_shapes(na, sa, nb, sb, &n1, s1))
    fe_error(L, "shapes %s and %s do not broadcast", shape_str(ar, na, sa), shape_str(ar, nb, sb));
  if (!fe_broadcast_shapes(nc, sc, n1, s1, &n, shape))
    fe_error(L, "shapes %s and %s do not broadcast", shape_str(ar, nc, sc), shape_str(ar, n1, s1));
  int cond;
  if (c.scalar) {
    Operand cb = c;
    cb.is_bool = true, cb.i = c.f != 0, cb.is_int = false;
    cond = full_node(L, &cb, CDRT_BOOL, n, shape);
  } else {
    cond = fe_broadcast_to(L, fe_to_bool(L, c.id), n, shape);
  }
  int ins[3] = {cond, operand_node(L, &a, t, n, shape), operand_node(L, &b, t, n, shape)};
  return elem_node(L, OP_WHERE, t, 3, ins, n, shape);
}

/* ---- Lua functions ---- */

/* ---- Lua functions ---- */

/* da.NAME for the elementwise operation in the upvalue, with the arguments of its arity:
 * one operand, two, or where's three. The parts of complex numbers take arrays only. */
static int l_elementwise(lua_State *L) {
  Op op = (Op)lua_tointeger(L, lua_upvalueindex(1));
  if (fe_is_complex_part(op))
    return fe_push_id(L, fe_unary_complex(L, op, fe_check_array(L, 1)->id));
  switch (op_arity[op]) {
  case 1: luaL_checkany(L, 1); return fe_push_id(L, fe_unary(L, op, 1));
  case 2: return fe_push_id(L, fe_binary(L, op, 1, 2));
  default: /* where, the only ternary one */
    luaL_checkany(L, 3);
    return fe_push_id(L, fe_where(L, 1, 2, 3));
  }
}

/* Lua's -x and ~x (the operation in the upvalue): Lua passes x twice. */
static int l_unary_operator(lua_State *L) {
  lua_settop(L, 1);
  return l_elementwise(L);
}

static int l_isnan(lua_State *L) {
  return fe_push_id(L, fe_isnan(L, fe_check_array(L, 1)->id, true));
}
static int l_isfinite(lua_State *L) {
  return fe_push_id(L, isfinite_node(L, fe_check_array(L, 1)->id));
}

/* clip(x, lo, hi) = minimum(maximum(x, lo), hi) as NumPy computes it; a nil bound is skipped
 * (the promotion is then that of the other bound alone, as in NumPy). */
static int l_clip(lua_State *L) {
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

/* The Lua names of elementwise operations besides NumPy's: aliases, comparisons as methods
 * (Lua's < and == cannot return arrays) and Lua's operators. Each is the function of
 * NumPy's name, but for the unary operators. */
typedef enum { IN_MODULE, IN_METHODS, IN_METATABLE } NameTable;
static const struct {
  const char *name;
  Op op;
  NameTable table;
} aliases[] = {
    {"true_divide", OP_DIV, IN_MODULE},
    {"mod", OP_MOD, IN_MODULE},
    {"absolute", OP_ABS, IN_MODULE},
    {"conjugate", OP_CONJ, IN_MODULE},
    {"lt", OP_LT, IN_METHODS},
    {"le", OP_LE, IN_METHODS},
    {"gt", OP_GT, IN_METHODS},
    {"ge", OP_GE, IN_METHODS},
    {"eq", OP_EQ, IN_METHODS},
    {"ne", OP_NE, IN_METHODS},
    {"__add", OP_ADD, IN_METATABLE},
    {"__sub", OP_SUB, IN_METATABLE},
    {"__mul", OP_MUL, IN_METATABLE},
    {"__div", OP_DIV, IN_METATABLE},
    {"__idiv", OP_FLOORDIV, IN_METATABLE},
    {"__mod", OP_MOD, IN_METATABLE},
    {"__pow", OP_POW, IN_METATABLE},
    {"__unm", OP_NEG, IN_METATABLE},
    {"__band", OP_AND, IN_METATABLE},
    {"__bor", OP_OR, IN_METATABLE},
    {"__bxor", OP_XOR, IN_METATABLE},
    {"__bnot", OP_NOT, IN_METATABLE},
};

static const luaL_Reg functions[] = {
    {"clip", l_clip}, {"isnan", l_isnan}, {"isfinite", l_isfinite}, {NULL, NULL}};

void fe_open_elementwise(lua_State *L, const FeTables *t) {
  for (int op = 0; op < OP_COUNT; op++) {
    if (op_kinds[op] != K_ELEM || op == OP_CAST) continue; /* astype: lua_array.c */
    lua_pushinteger(L, op);
    lua_pushcclosure(L, l_elementwise, 1);
    lua_setfield(L, t->module, op_names[op]);
  }
  for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
    int table = aliases[i].table == IN_MODULE    ? t->module
                : aliases[i].table == IN_METHODS ? t->methods
                                                 : t->metatable;
    if (table == t->metatable && op_arity[aliases[i].op] == 1) {
      lua_pushinteger(L, aliases[i].op);
      lua_pushcclosure(L, l_unary_operator, 1);
    } else {
      lua_getfield(L, t->module, op_names[aliases[i].op]);
    }
    lua_setfield(L, table, aliases[i].name);
  }
  fe_add_functions(L, t->module, functions);
  lua_getfield(L, t->module, "clip");
  lua_setfield(L, t->methods, "clip");
}
