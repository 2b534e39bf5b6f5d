/* The C text of values and operations (compiler/emit_ops.c): exact strings. What the
 * runtime helpers named here compute is checked against NumPy in test_inline.c. */
#include "test.h"

#include "emit.h"

#include <math.h>
#include <string.h>

static Arena *A;

static int op_is(Op op, DType t, const char *want) {
  const char *v[3] = {"x", "y", "z"};
  const char *got = c_op_expr(A, op, t, v);
  if (strcmp(got, want) == 0) return 1;
  fprintf(stderr, "%s on %s: got \"%s\", want \"%s\"\n", op_names[op], cdrt_dtype_name(t), got,
          want);
  return 0;
}

static int cast_is(DType from, DType to, const char *want) {
  const char *got = c_cast_expr(A, from, to, "v");
  if (strcmp(got, want) == 0) return 1;
  fprintf(stderr, "%s -> %s: got \"%s\", want \"%s\"\n", cdrt_dtype_name(from), cdrt_dtype_name(to),
          got, want);
  return 0;
}

int main(void) {
  A = arena_new();
  /* one operation, four classes of operands */
  ASSERT(op_is(OP_ADD, CDRT_FLOAT64, "x + y"));
  ASSERT(op_is(OP_ADD, CDRT_INT32, "cdrt_add_i32(x, y)"));
  ASSERT(op_is(OP_ADD, CDRT_COMPLEX64, "cdrt_add_c64(x, y)"));
  ASSERT(op_is(OP_SUB, CDRT_INT64, "cdrt_sub_i64(x, y)"));
  ASSERT(op_is(OP_MUL, CDRT_COMPLEX128, "cdrt_mul_c128(x, y)"));
  ASSERT(op_is(OP_DIV, CDRT_FLOAT32, "x / y"));
  ASSERT(op_is(OP_DIV, CDRT_COMPLEX128, "cdrt_div_c128(x, y)"));
  ASSERT(op_is(OP_FLOORDIV, CDRT_FLOAT32, "cdrt_floordiv_f32(x, y)"));
  ASSERT(op_is(OP_MOD, CDRT_INT64, "cdrt_mod_i64(x, y)"));
  ASSERT(op_is(OP_POW, CDRT_INT32, "cdrt_pow_i32(x, y)"));
  /* NaN-aware maximum and minimum are the runtime's helpers, bools included */
  ASSERT(op_is(OP_MAXIMUM, CDRT_FLOAT64, "cdrt_maximum_f64(x, y)"));
  ASSERT(op_is(OP_MINIMUM, CDRT_FLOAT32, "cdrt_minimum_f32(x, y)"));
  ASSERT(op_is(OP_MAXIMUM, CDRT_INT32, "cdrt_maximum_i32(x, y)"));
  ASSERT(op_is(OP_MINIMUM, CDRT_BOOL, "cdrt_minimum_u8(x, y)"));
  ASSERT(op_is(OP_LT, CDRT_FLOAT64, "(uint8_t)(x < y)"));
  ASSERT(op_is(OP_GE, CDRT_BOOL, "(uint8_t)(x >= y)"));
  ASSERT(op_is(OP_EQ, CDRT_INT64, "(uint8_t)(x == y)"));
  ASSERT(op_is(OP_EQ, CDRT_COMPLEX64, "cdrt_eq_c64(x, y)"));
  ASSERT(op_is(OP_NE, CDRT_COMPLEX128, "cdrt_ne_c128(x, y)"));
  ASSERT(op_is(OP_AND, CDRT_BOOL, "(uint8_t)(x & y)"));
  ASSERT(op_is(OP_XOR, CDRT_BOOL, "(uint8_t)(x ^ y)"));
  ASSERT(op_is(OP_NOT, CDRT_BOOL, "(uint8_t)(x ^ 1)"));
  ASSERT(op_is(OP_NEG, CDRT_FLOAT64, "-x"));
  ASSERT(op_is(OP_NEG, CDRT_INT32, "cdrt_neg_i32(x)"));
  /* the C math library's names: f for float */
  ASSERT(op_is(OP_SQRT, CDRT_FLOAT32, "sqrtf(x)"));
  ASSERT(op_is(OP_SQRT, CDRT_FLOAT64, "sqrt(x)"));
  ASSERT(op_is(OP_FLOOR, CDRT_FLOAT32, "floorf(x)"));
  ASSERT(op_is(OP_CEIL, CDRT_FLOAT64, "ceil(x)"));
  ASSERT(op_is(OP_ABS, CDRT_FLOAT32, "fabsf(x)"));
  ASSERT(op_is(OP_ABS, CDRT_INT64, "cdrt_abs_i64(x)"));
  ASSERT(op_is(OP_ABS, CDRT_BOOL, "x"));
  ASSERT(op_is(OP_ABS, CDRT_COMPLEX64, "cdrt_abs_c64(x)"));
  ASSERT(op_is(OP_WHERE, CDRT_COMPLEX64, "x ? y : z"));
  ASSERT(op_is(OP_WHERE, CDRT_INT32, "x ? y : z"));
  /* parts of complex and real operands */
  ASSERT(op_is(OP_REAL, CDRT_COMPLEX64, "x.re"));
  ASSERT(op_is(OP_IMAG, CDRT_COMPLEX128, "x.im"));
  ASSERT(op_is(OP_CONJ, CDRT_COMPLEX64, "cdrt_conj_c64(x)"));
  ASSERT(op_is(OP_ANGLE, CDRT_COMPLEX128, "cdrt_angle_c128(x)"));
  ASSERT(op_is(OP_REAL, CDRT_FLOAT64, "x"));
  ASSERT(op_is(OP_IMAG, CDRT_FLOAT32, "0.0f"));
  ASSERT(op_is(OP_ANGLE, CDRT_FLOAT32, "atan2f(0.0f, x)"));
  ASSERT(op_is(OP_ANGLE, CDRT_FLOAT64, "atan2(0.0, x)"));

  /* casts: NumPy's astype */
  ASSERT(cast_is(CDRT_FLOAT64, CDRT_FLOAT64, "v"));
  ASSERT(cast_is(CDRT_COMPLEX128, CDRT_BOOL, "cdrt_nonzero_c128(v)"));
  ASSERT(cast_is(CDRT_COMPLEX64, CDRT_FLOAT64, "(double)v.re"));
  ASSERT(cast_is(CDRT_COMPLEX64, CDRT_INT32, "cdrt_f2i32(v.re)"));
  ASSERT(cast_is(CDRT_COMPLEX128, CDRT_COMPLEX64, "cdrt_make_c64((float)v.re, (float)v.im)"));
  ASSERT(cast_is(CDRT_INT32, CDRT_COMPLEX128, "cdrt_make_c128((double)v, 0)"));
  ASSERT(cast_is(CDRT_FLOAT32, CDRT_BOOL, "(uint8_t)(v != 0)"));
  ASSERT(cast_is(CDRT_FLOAT64, CDRT_INT64, "cdrt_f2i64(v)"));
  ASSERT(cast_is(CDRT_INT64, CDRT_INT32, "(int32_t)(uint32_t)(uint64_t)v"));
  ASSERT(cast_is(CDRT_BOOL, CDRT_FLOAT32, "(float)v"));

  /* literals */
  ASSERT(strcmp(c_double(A, 0.5), "0.5") == 0);
  ASSERT(strcmp(c_double(A, 3), "3.0") == 0);
  ASSERT(strcmp(c_double(A, -2), "(-2.0)") == 0);
  ASSERT(strcmp(c_double(A, 0.1), "0.10000000000000001") == 0);
  ASSERT(strcmp(c_double(A, NAN), "NAN") == 0);
  ASSERT(strcmp(c_double(A, -INFINITY), "(-INFINITY)") == 0);
  ASSERT(strcmp(c_comment(A, "a */ b /* c ?\?= d"), "a *  b /  c ? = d") == 0);
  ASSERT(strcmp(c_type_suffix(CDRT_BOOL), "u8") == 0);
  ASSERT(strcmp(c_type_suffix(CDRT_COMPLEX128), "c128") == 0);

  /* generated sources at index "i" */
  Node full = {.op = OP_FULL, .dtype = CDRT_FLOAT32, .value = {.f = 0.25}};
  ASSERT(strcmp(c_source_expr(A, &full, "i"), "(float)0.25") == 0);
  full.dtype = CDRT_COMPLEX64;
  ASSERT(strcmp(c_source_expr(A, &full, "i"), "cdrt_make_c64(0.25, 0)") == 0);
  full.dtype = CDRT_INT64, full.value.i = -7;
  ASSERT(strcmp(c_source_expr(A, &full, "i"), "INT64_C(-7)") == 0);
  full.dtype = CDRT_BOOL, full.value.f = 2;
  ASSERT(strcmp(c_source_expr(A, &full, "i"), "(uint8_t)1") == 0);
  Node ar = {.op = OP_ARANGE, .dtype = CDRT_INT32, .range = {.istart = 5, .istep = -2}};
  ASSERT(strcmp(c_source_expr(A, &ar, "(o1 + j)"),
                "(int32_t)(INT64_C(5) + (o1 + j) * INT64_C(-2))") == 0);

  /* vector kernels */
  ASSERT(op_vkernel(OP_SIN, CDRT_FLOAT32) == CDRT_VK_SIN_F32);
  ASSERT(op_vkernel(OP_LOG, CDRT_FLOAT64) == CDRT_VK_LOG_F64);
  ASSERT(op_vkernel(OP_POW, CDRT_FLOAT32) == CDRT_VK_POW_F32);
  ASSERT(op_vkernel(OP_RNORMAL, CDRT_FLOAT64) == CDRT_VK_RANDOM_NORMAL);
  ASSERT(op_vkernel(OP_RUNIFORM, CDRT_FLOAT64) == CDRT_VK_RANDOM_UNIFORM);
  /* every op with a vector kernel has one per precision: "sin_f32" and "sin_f64" */
  for (int op = 0; op < OP_COUNT; op++)
    if (op_flags[op] & F_VM) {
      const char *n32 = cdrt_vkernel_name(op_vkernel((Op)op, CDRT_FLOAT32));
      const char *n64 = cdrt_vkernel_name(op_vkernel((Op)op, CDRT_FLOAT64));
      size_t len = strlen(n64);
      ASSERT(len > 4 && strlen(n32) == len && strncmp(n32, n64, len - 4) == 0);
      ASSERT(strcmp(n32 + len - 4, "_f32") == 0 && strcmp(n64 + len - 4, "_f64") == 0);
    }
  arena_free(A);
  TEST_END();
}
