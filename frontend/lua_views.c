/* lua_views.c: operations that only re-index an array (an affine map, never a copy):
 * transpose and x.T, squeeze, expand_dims, broadcast_to, and NumPy index strings,
 * x["::-1, 2"], x[3]. */
#include "frontend.h"

#include <string.h>

/* The view of array id with its axes in the order perm. */
static int transpose_ids(lua_State *L, int id, const int *perm) {
  Node x = *fe_node(L, id);
  Affine m;
  memset(&m, 0, sizeof m);
  m.nin = m.nout = x.ndim;
  int64_t shape[MAXDIM];
  for (int k = 0; k < x.ndim; k++) {
    m.a[perm[k]][k] = 1;
    shape[k] = x.shape[perm[k]];
  }
  return fe_view(L, id, &m, x.ndim, shape);
}

int fe_transpose(lua_State *L, int id) {
  int ndim = fe_node(L, id)->ndim, perm[MAXDIM];
  for (int k = 0; k < ndim; k++) perm[k] = ndim - 1 - k;
  return transpose_ids(L, id, perm);
}

static int l_transpose(lua_State *L) {
  static const FeAxisWords words = {"every axis", "an integer"};
  LArray *a = fe_check_array(L, 1);
  if (lua_isnoneornil(L, 2)) return fe_push_id(L, fe_transpose(L, a->id));
  int ndim = fe_node(L, a->id)->ndim, perm[MAXDIM];
  if (!lua_istable(L, 2)) fe_error(L, "transpose: axes must be a table");
  if ((int)luaL_len(L, 2) != ndim) fe_error(L, "axes don't match array");
  fe_axis_table(L, 2, ndim, ndim, &words, "repeated axis in transpose", perm);
  return fe_push_id(L, transpose_ids(L, a->id, perm));
}

/* The view of array id without its axes in drop (each of size 1) and with new axes of size
 * 1 at the result's axes in insert. */
static int unit_axes_view(lua_State *L, int id, unsigned drop, unsigned insert) {
  Node x = *fe_node(L, id);
  if (!drop && !insert) return id;
  Affine m;
  memset(&m, 0, sizeof m);
  m.nin = x.ndim;
  int64_t shape[MAXDIM];
  int k = 0;
  for (int d = 0; d < x.ndim; d++) {
    if (drop >> d & 1) continue;
    while (insert >> k & 1) shape[k++] = 1;
    m.a[d][k] = 1;
    shape[k++] = x.shape[d];
  }
  while (insert >> k & 1) shape[k++] = 1;
  m.nout = k;
  return fe_view(L, id, &m, k, shape);
}

/* squeeze(x[, axis]): axis nil drops every axis of size 1. */
static int l_squeeze(lua_State *L) {
  LArray *a = fe_check_array(L, 1);
  Node x = *fe_node(L, a->id);
  unsigned ones = 0;
  for (int d = 0; d < x.ndim; d++)
    if (x.shape[d] == 1) ones |= 1u << d;
  unsigned axes = lua_isnoneornil(L, 2) ? ones : fe_axes(L, 2, x.ndim, "duplicate value in 'axis'");
  if (axes & ~ones)
    fe_error(L, "cannot select an axis to squeeze out which has size not equal to one");
  return fe_push_id(L, unit_axes_view(L, a->id, axes, 0));
}

/* expand_dims(x, axis): axis (an integer or a table) counts the axes of the result. */
static int l_expand_dims(lua_State *L) {
  LArray *a = fe_check_array(L, 1);
  if (lua_isnoneornil(L, 2))
    fe_error(L, "expand_dims() missing 1 required positional argument: 'axis'");
  int ndim = fe_node(L, a->id)->ndim + (lua_istable(L, 2) ? (int)luaL_len(L, 2) : 1);
  if (ndim > MAXDIM)
    fe_error(L, "arrays have at most %d dimensions, the result would have %d", MAXDIM, ndim);
  return fe_push_id(L, unit_axes_view(L, a->id, 0, fe_axes(L, 2, ndim, "repeated axis")));
}

static int l_broadcast_to(lua_State *L) {
  LArray *a = fe_check_array(L, 1);
  int64_t shape[MAXDIM];
  int ndim = fe_check_shape(L, 2, shape, "all elements of broadcast shape must be non-negative");
  return fe_push_id(L, fe_broadcast_to(L, a->id, ndim, shape));
}

int fe_index(lua_State *L, int id, const char *text) {
  Node x = *fe_node(L, id);
  Affine m;
  int ndim;
  int64_t shape[MAXDIM];
  const char *err = fe_parse_index(fe_arena(L), text, x.ndim, x.shape, &m, &ndim, shape);
  if (err) fe_error(L, "%s", err);
  return fe_view(L, id, &m, ndim, shape);
}

static const luaL_Reg methods[] = {
    {"transpose", l_transpose}, {"squeeze", l_squeeze}, {NULL, NULL}};

static const luaL_Reg functions[] = {{"transpose", l_transpose},
                                     {"squeeze", l_squeeze},
                                     {"expand_dims", l_expand_dims},
                                     {"broadcast_to", l_broadcast_to},
                                     {NULL, NULL}};

void fe_open_views(lua_State *L, const FeTables *t) {
  fe_add_functions(L, t->methods, methods);
  fe_add_functions(L, t->module, functions);
}
