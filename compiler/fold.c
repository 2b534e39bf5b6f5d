/* fold.c: constant folding. An elementwise operation whose inputs are all constants is
 * evaluated at compile time with the very functions the generated program would call
 * (the runtime's integer helpers and SLEEF's deterministic functions), so folding never
 * changes a bit of the result. Used by simplify (its contract: cdask.h, "simplify"). */
#include "cdask.h"

#include <math.h>

typedef struct {
  double f;
  int64_t i;
} Value;

static Value value_of(const Node *x) {
  Value v = {.f = x->value.f, .i = x->value.i};
  return v;
}

static double fget(DType t, Value v) {
  return t == CDRT_FLOAT32 ? (double)(float)v.f : v.f;
}

typedef double (*MathFn)(double);

static double call_vmath(Op op, DType t, double a) {
  if (t == CDRT_FLOAT32) {
    float x = (float)a, r = 0;
    switch (op) {
    case OP_SIN: cdrt_vsin_f32(&r, &x, 1); break;
    case OP_COS: cdrt_vcos_f32(&r, &x, 1); break;
    case OP_TAN: cdrt_vtan_f32(&r, &x, 1); break;
    case OP_EXP: cdrt_vexp_f32(&r, &x, 1); break;
    default: cdrt_vlog_f32(&r, &x, 1); break;
    }
    return r;
  }
  double r = 0;
  switch (op) {
  case OP_SIN: cdrt_vsin_f64(&r, &a, 1); break;
  case OP_COS: cdrt_vcos_f64(&r, &a, 1); break;
  case OP_TAN: cdrt_vtan_f64(&r, &a, 1); break;
  case OP_EXP: cdrt_vexp_f64(&r, &a, 1); break;
  default: cdrt_vlog_f64(&r, &a, 1); break;
  }
  return r;
}

static bool fold_float(Op op, DType t, double a, double b, double *r) {
  bool f32 = t == CDRT_FLOAT32;
  float fa = (float)a, fb = (float)b;
  switch (op) {
  case OP_ADD: *r = f32 ? (double)(fa + fb) : a + b; return true;
  case OP_SUB: *r = f32 ? (double)(fa - fb) : a - b; return true;
  case OP_MUL: *r = f32 ? (double)(fa * fb) : a * b; return true;
  case OP_DIV: *r = f32 ? (double)(fa / fb) : a / b; return true;
  case OP_FLOORDIV:
    *r = f32 ? (double)cdrt_floordiv_f32(fa, fb) : cdrt_floordiv_f64(a, b);
    return true;
  case OP_MOD: *r = f32 ? (double)cdrt_mod_f32(fa, fb) : cdrt_mod_f64(a, b); return true;
  case OP_POW:
    if (f32) {
      float rr;
      cdrt_vpow_f32(&rr, &fa, &fb, 1);
      *r = rr;
    } else {
      cdrt_vpow_f64(r, &a, &b, 1);
    }
    return true;
  case OP_MAXIMUM: *r = (a != a || a >= b) ? a : b; return true;
  case OP_MINIMUM: *r = (a != a || a <= b) ? a : b; return true;
  case OP_NEG: *r = -a; return true;
  case OP_SQRT: *r = f32 ? (double)sqrtf(fa) : sqrt(a); return true;
  case OP_ABS: *r = fabs(a); return true;
  case OP_FLOOR: *r = floor(a); return true;
  case OP_CEIL: *r = ceil(a); return true;
  case OP_SIN:
  case OP_COS:
  case OP_TAN:
  case OP_EXP:
  case OP_LOG: *r = call_vmath(op, t, a); return true;
  default: return false;
  }
}

static bool fold_int(Op op, DType t, int64_t a, int64_t b, int64_t *r) {
  bool i32 = t == CDRT_INT32;
  int32_t a3 = (int32_t)a, b3 = (int32_t)b;
#define I(f) (i32 ? (int64_t)cdrt_##f##_i32(a3, b3) : cdrt_##f##_i64(a, b))
  switch (op) {
  case OP_ADD: *r = I(add); return true;
  case OP_SUB: *r = I(sub); return true;
  case OP_MUL: *r = I(mul); return true;
  case OP_FLOORDIV: *r = I(floordiv); return true;
  case OP_MOD: *r = I(mod); return true;
  case OP_POW: *r = I(pow); return true;
  case OP_MAXIMUM: *r = a >= b ? a : b; return true;
  case OP_MINIMUM: *r = a <= b ? a : b; return true;
  case OP_NEG: *r = i32 ? (int64_t)cdrt_neg_i32(a3) : cdrt_neg_i64(a); return true;
  case OP_ABS: *r = i32 ? (int64_t)cdrt_abs_i32(a3) : cdrt_abs_i64(a); return true;
  case OP_AND: *r = a & b; return true;
  case OP_OR: *r = a | b; return true;
  case OP_XOR: *r = a ^ b; return true;
  case OP_NOT: *r = a ^ 1; return true;
  default: return false;
  }
#undef I
}

static bool compare(Op op, double a, double b, int64_t ia, int64_t ib, bool fl, int64_t *r) {
  switch (op) {
  case OP_LT: *r = fl ? a < b : ia < ib; return true;
  case OP_LE: *r = fl ? a <= b : ia <= ib; return true;
  case OP_GT: *r = fl ? a > b : ia > ib; return true;
  case OP_GE: *r = fl ? a >= b : ia >= ib; return true;
  case OP_EQ: *r = fl ? a == b : ia == ib; return true;
  case OP_NE: *r = fl ? a != b : ia != ib; return true;
  default: return false;
  }
}

/* Folds node x if all its inputs are FULL; returns true if x is now a FULL node. */
bool fold_constant(Graph *g, Node *x) {
  if (op_kinds[x->op] != K_ELEM || x->op == OP_CAST || x->op == OP_WHERE) return false;
  if (x->op == OP_CALL || x->op == OP_CALL_IMPURE) return false; /* user code runs in the program */
  if (dtype_is_complex(x->dtype)) return false; /* constants are real; complex stays as is */
  for (int k = 0; k < x->nin; k++)
    if (g->nodes[x->in[k]].op != OP_FULL || dtype_is_complex(g->nodes[x->in[k]].dtype))
      return false;
  const Node *a = &g->nodes[x->in[0]];
  const Node *b = x->nin > 1 ? &g->nodes[x->in[1]] : a;
  DType it = a->dtype;
  Value va = value_of(a), vb = value_of(b);
  double rf = 0;
  int64_t ri = 0;
  bool ok;
  if (dtype_is_float(it)) {
    ok = compare(x->op, fget(it, va), fget(it, vb), 0, 0, true, &ri);
    if (!ok) ok = fold_float(x->op, it, fget(it, va), fget(it, vb), &rf);
  } else {
    ok = compare(x->op, 0, 0, va.i, vb.i, false, &ri);
    if (!ok) ok = fold_int(x->op, it, va.i, vb.i, &ri);
  }
  if (!ok) return false;
  if (dtype_is_float(x->dtype)) {
    if (x->dtype == CDRT_FLOAT32) rf = (double)(float)rf;
    x->value.f = rf, x->value.i = 0;
  } else {
    if (x->dtype == CDRT_INT32) ri = (int32_t)(uint32_t)(uint64_t)ri;
    x->value.i = ri, x->value.f = (double)ri;
  }
  x->op = OP_FULL, x->nin = 0;
  return true;
}
