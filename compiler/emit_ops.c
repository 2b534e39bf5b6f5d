/* emit_ops.c: the C text of values and operations, from the node alone: literals, casts,
 * the elementwise operations (a table, QBE's omap style), scalar kernels' calls, generated
 * sources, and the runtime's vector kernel of an operation. Nothing here knows about loops or
 * terms. */
#include "emit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Text safe inside a C comment: no comment delimiters, no trigraphs. */
const char *c_comment(Arena *a, const char *s) {
  char *r = arena_strdup(a, s ? s : "");
  for (char *q = r; *q; q++)
    if ((q[0] == '*' && q[1] == '/') || (q[0] == '/' && q[1] == '*') ||
        (q[0] == '?' && q[1] == '?'))
      q[1] = ' ';
  return r;
}

/* A C literal for a double, exact ("%.17g" round-trips). */
const char *c_double(Arena *a, double v) {
  if (isnan(v)) return "NAN";
  if (isinf(v)) return v > 0 ? "INFINITY" : "(-INFINITY)";
  char buf[64];
  snprintf(buf, sizeof buf, "%.17g", v);
  if (!strpbrk(buf, ".en")) strcat(buf, ".0");
  return arena_printf(a, v < 0 ? "(%s)" : "%s", buf);
}

static const char *int_literal(Arena *a, DType t, int64_t v) {
  if (t == CDRT_INT64) {
    if (v == INT64_MIN) return "INT64_MIN";
    return arena_printf(a, "INT64_C(%lld)", (long long)v);
  }
  if (t == CDRT_INT32) return arena_printf(a, "(int32_t)%lld", (long long)v);
  return arena_printf(a, "(uint8_t)%d", v != 0);
}

const char *c_type_suffix(DType t) {
  switch (t) {
  case CDRT_BOOL: return "u8";
  case CDRT_INT32: return "i32";
  case CDRT_INT64: return "i64";
  case CDRT_FLOAT32: return "f32";
  case CDRT_COMPLEX64: return "c64";
  case CDRT_COMPLEX128: return "c128";
  default: return "f64";
  }
}

const char *c_cast_expr(Arena *a, DType from, DType to, const char *v) {
  if (from == to) return v;
  if (dtype_is_complex(to)) {
    const char *s = c_type_suffix(to), *rt = dtype_ctype(dtype_real(to));
    if (dtype_is_complex(from))
      return arena_printf(a, "cdrt_make_%s((%s)%s.re, (%s)%s.im)", s, rt, v, rt, v);
    return arena_printf(a, "cdrt_make_%s((%s)%s, 0)", s, rt, v);
  }
  if (dtype_is_complex(from) && to == CDRT_BOOL) /* nonzero: either part */
    return arena_printf(a, "cdrt_nonzero_%s(%s)", c_type_suffix(from), v);
  if (dtype_is_complex(from)) /* NumPy drops the imaginary part */
    return c_cast_expr(a, dtype_real(from), to, arena_printf(a, "%s.re", v));
  if (to == CDRT_BOOL) return arena_printf(a, "(uint8_t)(%s != 0)", v);
  if (dtype_is_float(from) && to == CDRT_INT64) return arena_printf(a, "cdrt_f2i64(%s)", v);
  if (dtype_is_float(from) && to == CDRT_INT32) return arena_printf(a, "cdrt_f2i32(%s)", v);
  if (from == CDRT_INT64 && to == CDRT_INT32)
    return arena_printf(a, "(int32_t)(uint32_t)(uint64_t)%s", v);
  return arena_printf(a, "(%s)%s", dtype_ctype(to), v);
}

/* The classes of operands an elementwise operation has a C form for. */
typedef enum { C_FLOAT, C_INT, C_BOOL, C_COMPLEX, C_CLASSES } OperandClass;
static const char *const class_names[C_CLASSES] = {"float", "integer", "bool", "complex"};

static OperandClass operand_class(DType t) {
  return dtype_is_complex(t) ? C_COMPLEX
         : dtype_is_float(t) ? C_FLOAT
         : t == CDRT_BOOL    ? C_BOOL
                             : C_INT;
}

/* The C form of each elementwise operation by the class of its operands: $0 $1 $2 are the
 * operands, $s the runtime's suffix of their type (f64, i32, u8, c128...), $f the C math
 * library's (f for float, nothing for double). Floats are plain C; integers wrap and divide
 * as NumPy does, through the runtime's helpers. NULL: the frontend never makes the pair (it
 * casts first), or the operation is not inline (a float power is a vector kernel). */
static const char *const op_forms[OP_COUNT][C_CLASSES] = {
    /*              float, integer, bool, complex */
    [OP_ADD] = {"$0 + $1", "cdrt_add_$s($0, $1)", NULL, "cdrt_add_$s($0, $1)"},
    [OP_SUB] = {"$0 - $1", "cdrt_sub_$s($0, $1)", NULL, "cdrt_sub_$s($0, $1)"},
    [OP_MUL] = {"$0 * $1", "cdrt_mul_$s($0, $1)", NULL, "cdrt_mul_$s($0, $1)"},
    [OP_DIV] = {"$0 / $1", NULL, NULL, "cdrt_div_$s($0, $1)"},
    [OP_FLOORDIV] = {"cdrt_floordiv_$s($0, $1)", "cdrt_floordiv_$s($0, $1)", NULL, NULL},
    [OP_MOD] = {"cdrt_mod_$s($0, $1)", "cdrt_mod_$s($0, $1)", NULL, NULL},
    [OP_POW] = {NULL, "cdrt_pow_$s($0, $1)", NULL, NULL},
    /* NaN-aware for floats (runtime/cdrt.h says how) */
    [OP_MAXIMUM] = {"cdrt_maximum_$s($0, $1)", "cdrt_maximum_$s($0, $1)", "cdrt_maximum_$s($0, $1)",
                    NULL},
    [OP_MINIMUM] = {"cdrt_minimum_$s($0, $1)", "cdrt_minimum_$s($0, $1)", "cdrt_minimum_$s($0, $1)",
                    NULL},
    [OP_LT] = {"(uint8_t)($0 < $1)", "(uint8_t)($0 < $1)", "(uint8_t)($0 < $1)", NULL},
    [OP_LE] = {"(uint8_t)($0 <= $1)", "(uint8_t)($0 <= $1)", "(uint8_t)($0 <= $1)", NULL},
    [OP_GT] = {"(uint8_t)($0 > $1)", "(uint8_t)($0 > $1)", "(uint8_t)($0 > $1)", NULL},
    [OP_GE] = {"(uint8_t)($0 >= $1)", "(uint8_t)($0 >= $1)", "(uint8_t)($0 >= $1)", NULL},
    [OP_EQ] = {"(uint8_t)($0 == $1)", "(uint8_t)($0 == $1)", "(uint8_t)($0 == $1)",
               "cdrt_eq_$s($0, $1)"},
    [OP_NE] = {"(uint8_t)($0 != $1)", "(uint8_t)($0 != $1)", "(uint8_t)($0 != $1)",
               "cdrt_ne_$s($0, $1)"},
    [OP_AND] = {NULL, NULL, "(uint8_t)($0 & $1)", NULL},
    [OP_OR] = {NULL, NULL, "(uint8_t)($0 | $1)", NULL},
    [OP_XOR] = {NULL, NULL, "(uint8_t)($0 ^ $1)", NULL},
    [OP_NOT] = {NULL, NULL, "(uint8_t)($0 ^ 1)", NULL},
    [OP_NEG] = {"-$0", "cdrt_neg_$s($0)", NULL, "cdrt_neg_$s($0)"},
    [OP_SQRT] = {"sqrt$f($0)", NULL, NULL, NULL},
    [OP_ABS] = {"fabs$f($0)", "cdrt_abs_$s($0)", "$0", "cdrt_abs_$s($0)"},
    [OP_FLOOR] = {"floor$f($0)", NULL, NULL, NULL},
    [OP_CEIL] = {"ceil$f($0)", NULL, NULL, NULL},
    [OP_WHERE] = {"$0 ? $1 : $2", "$0 ? $1 : $2", "$0 ? $1 : $2", "$0 ? $1 : $2"},
    /* of real arrays, NumPy's real is the array, imag zeros, conj the array, angle
     * atan2(0, x) */
    [OP_REAL] = {"$0", NULL, NULL, "$0.re"},
    [OP_IMAG] = {"0.0$f", NULL, NULL, "$0.im"},
    [OP_CONJ] = {"$0", NULL, NULL, "cdrt_conj_$s($0)"},
    [OP_ANGLE] = {"atan2$f(0.0$f, $0)", NULL, NULL, "cdrt_angle_$s($0)"},
};

/* form with its $ names replaced: operands v, type t */
static const char *expand_form(Arena *a, const char *form, DType t, const char *const *v) {
  StrBuf b;
  sb_init(&b);
  for (const char *p = form; *p;) {
    const char *q = strchr(p, '$');
    if (!q) {
      sb_puts(&b, p);
      break;
    }
    sb_printf(&b, "%.*s", (int)(q - p), p);
    char name = q[1];
    if (name >= '0' && name <= '2')
      sb_puts(&b, v[name - '0']);
    else if (name == 's')
      sb_puts(&b, c_type_suffix(t));
    else if (name == 'f')
      sb_puts(&b, t == CDRT_FLOAT32 ? "f" : "");
    p = q + 2;
  }
  const char *s = arena_strdup(a, b.data);
  sb_free(&b);
  return s;
}

const char *c_op_expr(Arena *a, Op op, DType it, const char *const *v) {
  OperandClass c = operand_class(it);
  const char *form = op_forms[op][c];
  if (!form) { /* the frontend and the table disagree */
    fprintf(stderr, "cdaskc: internal error: no C form for %s on %s operands\n", op_names[op],
            class_names[c]);
    abort();
  }
  return expand_form(a, form, it, v);
}

/* A scalar kernel's call: its wrapper in the runtime's types (emit_kernels.c) on the
 * operands v[0..n-1], one per parameter. */
const char *c_call_expr(Arena *a, const Kernel *k, const char *const *v, int n) {
  const char *s = arena_printf(a, "cd_call_%s(", k->name);
  for (int i = 0; i < n; i++) s = arena_printf(a, "%s%s%s", s, i ? ", " : "", v[i]);
  return arena_printf(a, "%s)", s);
}

/* A constant; complex ones are real: (v, 0). */
static const char *full_expr(Arena *a, const Node *x) {
  if (dtype_is_complex(x->dtype))
    return arena_printf(a, "cdrt_make_%s(%s, 0)", c_type_suffix(x->dtype), c_double(a, x->value.f));
  if (x->dtype == CDRT_FLOAT32) return arena_printf(a, "(float)%s", c_double(a, x->value.f));
  if (x->dtype == CDRT_FLOAT64) return c_double(a, x->value.f);
  return int_literal(a, x->dtype, x->dtype == CDRT_BOOL ? x->value.f != 0 : x->value.i);
}

/* numpy.arange: integers exactly; floats fill [start, start + step, start + i * delta] with
 * delta the difference of the first two, in the array's type. */
static const char *arange_expr(Arena *a, const Node *x, const char *idx) {
  if (!dtype_is_float(x->dtype))
    return arena_printf(a, "(%s)(%s + %s * %s)", dtype_ctype(x->dtype),
                        int_literal(a, CDRT_INT64, x->range.istart), idx,
                        int_literal(a, CDRT_INT64, x->range.istep));
  double s1 = x->range.start + x->range.step;
  if (x->dtype == CDRT_FLOAT32) {
    float f0 = (float)x->range.start, f1 = (float)s1, fd = f1 - f0;
    return arena_printf(a, "(%s == 1 ? (float)%s : (float)%s + (float)%s * (float)%s)", idx,
                        c_double(a, f1), c_double(a, f0), idx, c_double(a, fd));
  }
  return arena_printf(a, "(%s == 1 ? %s : %s + (double)%s * %s)", idx, c_double(a, s1),
                      c_double(a, x->range.start), idx, c_double(a, s1 - x->range.start));
}

/* numpy.linspace: i * step + start, or (i / div) * delta + start if step is 0; the last
 * element is stop exactly when endpoint is set. */
static const char *linspace_expr(Arena *a, const Node *x, const char *idx) {
  double start = x->range.start, stop = x->range.stop, delta = stop - start;
  int64_t div = x->range.div, last = x->shape[0] - 1;
  const char *body;
  if (div > 0) {
    double step = delta / (double)div;
    body = step == 0 ? arena_printf(a, "((double)%s / %s) * %s + %s", idx, c_double(a, (double)div),
                                    c_double(a, delta), c_double(a, start))
                     : arena_printf(a, "(double)%s * %s + %s", idx, c_double(a, step),
                                    c_double(a, start));
  } else {
    body = arena_printf(a, "(double)%s * %s + %s", idx, c_double(a, delta), c_double(a, start));
  }
  if (x->range.endpoint && last > 0)
    return arena_printf(a, "(%s == %lld ? %s : %s)", idx, (long long)last, c_double(a, stop), body);
  return arena_printf(a, "(%s)", body);
}

const char *c_source_expr(Arena *a, const Node *x, const char *idx) {
  switch (x->op) {
  case OP_FULL: return full_expr(a, x);
  case OP_ARANGE: return arange_expr(a, x, idx);
  case OP_LINSPACE: return linspace_expr(a, x, idx);
  default: return "0";
  }
}

/* The runtime's vector kernels of the operations computed over strip buffers, for float32
 * and float64 elements (random numbers are float64 only). */
static const struct {
  cdrt_vkernel f32, f64;
} vkernels[OP_COUNT] = {
    [OP_SIN] = {CDRT_VK_SIN_F32, CDRT_VK_SIN_F64},
    [OP_COS] = {CDRT_VK_COS_F32, CDRT_VK_COS_F64},
    [OP_TAN] = {CDRT_VK_TAN_F32, CDRT_VK_TAN_F64},
    [OP_EXP] = {CDRT_VK_EXP_F32, CDRT_VK_EXP_F64},
    [OP_LOG] = {CDRT_VK_LOG_F32, CDRT_VK_LOG_F64},
    [OP_POW] = {CDRT_VK_POW_F32, CDRT_VK_POW_F64},
    [OP_RNORMAL] = {CDRT_VK_RANDOM_NORMAL, CDRT_VK_RANDOM_NORMAL},
    [OP_RUNIFORM] = {CDRT_VK_RANDOM_UNIFORM, CDRT_VK_RANDOM_UNIFORM},
};

cdrt_vkernel op_vkernel(Op op, DType t) {
  return t == CDRT_FLOAT32 ? vkernels[op].f32 : vkernels[op].f64;
}
