/* lua_nodes.c: the node builders every feature shares, with NumPy's rules: type promotion,
 * casts (astype), views through affine maps, and broadcasting to a shape. */
#include "frontend.h"

#include <string.h>

/* NumPy's promotion among bool < int32 < int64 < float32 < float64, where an integer with
 * float32 needs float64 to hold it exactly. */
DType fe_promote(DType a, DType b) {
  if (a == b) return a;
  if (dtype_is_complex(a) || dtype_is_complex(b)) { /* complex64 holds float32, int16 */
    DType c = a > b ? a : b, o = a > b ? b : a;
    return c == CDRT_COMPLEX64 && (o == CDRT_FLOAT64 || dtype_is_int(o)) ? CDRT_COMPLEX128 : c;
  }
  if ((a == CDRT_FLOAT32 && dtype_is_int(b)) || (b == CDRT_FLOAT32 && dtype_is_int(a)))
    return CDRT_FLOAT64;
  return a > b ? a : b;
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
  Node *x = fe_node(L, id);
  Node n = {.op = OP_VIEW, .dtype = x->dtype, .ndim = ndim, .nin = 1, .in = {id}};
  n.map = arena_alloc(fe_arena(L), sizeof *n.map);
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
      Arena *ar = fe_arena(L);
      fe_error(L,
               "operands could not be broadcast together with remapped shapes "
               "[original->remapped]: %s  and requested shape %s",
               shape_str(ar, x->ndim, x->shape), shape_str(ar, ndim, shape));
    }
  }
  return fe_view(L, id, &m, ndim, shape);
}
