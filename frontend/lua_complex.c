/* lua_complex.c: the parts of complex numbers, NumPy's way: real, imag, conj, angle (da.real(x)
 * ... are registered with the other elementwise operations; x.real and x.imag are
 * attributes). On real arrays real and conj are the array itself, imag is zeros and angle
 * is 0 or pi. */
#include "frontend.h"

#include <string.h>

bool fe_is_complex_part(Op op) {
  return op == OP_REAL || op == OP_IMAG || op == OP_CONJ || op == OP_ANGLE;
}

int fe_unary_complex(lua_State *L, Op op, int id) {
  Node x = *fe_node(L, id);
  bool cx = dtype_is_complex(x.dtype);
  if (!cx && (op == OP_REAL || op == OP_CONJ)) return id;
  DType t = op == OP_CONJ ? x.dtype : dtype_real(x.dtype);
  if (op == OP_ANGLE && !cx && !dtype_is_float(t)) t = CDRT_FLOAT64;
  if (!cx && op == OP_IMAG) { /* zeros like x */
    Node z = {.op = OP_FULL, .dtype = t, .ndim = x.ndim, .name = "imag"};
    memcpy(z.shape, x.shape, sizeof z.shape);
    memcpy(z.chunk, x.chunk, sizeof z.chunk);
    return fe_add_node(L, &z);
  }
  if (!cx) id = fe_cast(L, id, t);
  Node n = {.op = op, .dtype = t, .ndim = x.ndim, .nin = 1, .in = {id}};
  memcpy(n.shape, x.shape, sizeof n.shape);
  memcpy(n.chunk, x.chunk, sizeof n.chunk);
  return fe_add_node(L, &n);
}
