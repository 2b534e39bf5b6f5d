/* lua_complex.c: the parts of complex numbers, NumPy's way: da.real(x), da.imag(x),
 * da.conj(x), da.angle(x), and the attributes x.real, x.imag. On real arrays real and conj
 * are the array itself, imag is zeros and angle is 0 or pi. */
#include "frontend.h"

#include <string.h>

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

#define PART(fn, op)                                                                               \
  static int fn(lua_State *L) {                                                                    \
    return fe_push_id(L, fe_unary_complex(L, op, fe_check_array(L, 1)->id));                       \
  }
PART(l_real, OP_REAL)
PART(l_imag, OP_IMAG)
PART(l_conj, OP_CONJ)
PART(l_angle, OP_ANGLE)

static const luaL_Reg functions[] = {{"real", l_real},      {"imag", l_imag},   {"conj", l_conj},
                                     {"conjugate", l_conj}, {"angle", l_angle}, {NULL, NULL}};

void fe_lua_open_complex(lua_State *L, int module_idx) {
  lua_pushvalue(L, module_idx);
  luaL_setfuncs(L, functions, 0);
  lua_pop(L, 1);
}
