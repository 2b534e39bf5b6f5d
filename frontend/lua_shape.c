/* lua_shape.c: operations that change an array's shape or layout: x:rechunk(chunks),
 * x:reshape(shape), da.concatenate({a, b}, axis), da.stack({a, b}, axis), and the
 * cumulative x:cumsum(axis), x:cumprod(axis). Reshapes that only split axes are views;
 * the rest read their (stored) input's memory. */
#include "frontend.h"

#include <string.h>

/* ---- rechunk ---- */

static int l_rechunk(lua_State *L) {
  LArray *a = fe_check_array(L, 1);
  Node x = *fe_node(L, a->id);
  int64_t chunk[MAXDIM];
  if (lua_isnoneornil(L, 2)) fe_error(L, "rechunk() missing 1 required argument: 'chunks'");
  fe_parse_chunks(L, 2, x.ndim, x.shape, chunk);
  Affine m;
  affine_identity(&m, x.ndim);
  int id = fe_view(L, a->id, &m, x.ndim, x.shape);
  Node *n = fe_node(L, id);
  memcpy(n->chunk, chunk, sizeof chunk);
  n->name = "rechunk";
  return fe_push_id(L, id);
}

/* ---- reshape ---- */

/* The new shape from the arguments at idx.. (a table, or integers), with one -1 inferred. */
static int new_shape(lua_State *L, int idx, const Node *x, int64_t *shape) {
  int n;
  if (lua_istable(L, idx)) {
    n = (int)luaL_len(L, idx);
    if (n > MAXDIM) fe_error(L, "arrays have at most %d dimensions, shape has %d", MAXDIM, n);
    for (int d = 0; d < n; d++) {
      lua_geti(L, idx, d + 1);
      shape[d] = fe_check_int(L, -1, "every dimension of a shape");
      lua_pop(L, 1);
    }
  } else {
    n = lua_gettop(L) - idx + 1;
    if (n < 1) fe_error(L, "reshape() missing 1 required argument: 'shape'");
    if (n > MAXDIM) fe_error(L, "arrays have at most %d dimensions, shape has %d", MAXDIM, n);
    for (int d = 0; d < n; d++) shape[d] = fe_check_int(L, idx + d, "every dimension of a shape");
  }
  int unknown = -1;
  int64_t known = 1;
  for (int d = 0; d < n; d++) {
    if (shape[d] == -1) {
      if (unknown >= 0) fe_error(L, "can only specify one unknown dimension");
      unknown = d;
    } else if (shape[d] < 0) {
      fe_error(L, "negative dimensions not allowed");
    } else if (__builtin_mul_overflow(known, shape[d], &known)) {
      known = INT64_MAX; /* more than any size: the reshape fails below */
    }
  }
  int64_t size = node_size(x);
  if (unknown >= 0 && known > 0 && size % known == 0) shape[unknown] = size / known;
  int64_t total = 1;
  for (int d = 0; d < n; d++)
    if (__builtin_mul_overflow(total, shape[d] < 0 ? 0 : shape[d], &total)) total = INT64_MAX;
  if ((unknown >= 0 && (known == 0 || size % known)) || (unknown < 0 && total != size)) {
    Arena *a = fe_arena(L);
    StrBuf s;
    sb_init(&s);
    sb_puts(&s, "(");
    for (int d = 0; d < n; d++) sb_printf(&s, d ? ", %lld" : "%lld", (long long)shape[d]);
    sb_puts(&s, n == 1 ? ",)" : ")");
    const char *ss = arena_strdup(a, s.data);
    sb_free(&s);
    fe_error(L, "cannot reshape array of size %lld into shape %s", (long long)size, ss);
  }
  return n;
}

/* The affine map of a reshape that only splits axes (and adds or drops axes of length 1):
 * every run of output axes whose lengths multiply to one input axis indexes it row-major.
 * Returns false when input axes would merge, which needs the input's memory. */
static bool split_map(const Node *x, int n, const int64_t *shape, Affine *m) {
  memset(m, 0, sizeof *m);
  m->nin = x->ndim, m->nout = n;
  int i = 0, o = 0;
  for (;;) {
    while (i < x->ndim && x->shape[i] == 1) i++;
    while (o < n && shape[o] == 1) o++;
    if (i == x->ndim || o == n) break;
    int o0 = o;
    int64_t po = shape[o];
    while (po < x->shape[i] && o + 1 < n) po *= shape[++o];
    if (po != x->shape[i]) return false;
    int64_t stride = 1;
    for (int k = o; k >= o0; k--) {
      m->a[i][k] = shape[k] == 1 ? 0 : stride;
      stride *= shape[k];
    }
    i++, o++;
  }
  while (i < x->ndim && x->shape[i] == 1) i++;
  while (o < n && shape[o] == 1) o++;
  return i == x->ndim && o == n;
}

static int reshape_ids(lua_State *L, int id, int n, const int64_t *shape) {
  Node x = *fe_node(L, id);
  if (x.ndim == n && memcmp(x.shape, shape, sizeof(int64_t) * (size_t)n) == 0) return id;
  if (x.op == OP_RESHAPE) return reshape_ids(L, x.in[0], n, shape); /* one step, not two */
  Affine m;
  int64_t chunk[MAXDIM];
  fe_check_size(L, n, shape, x.dtype); /* an empty array may take any shape */
  lua_pushnil(L);
  fe_parse_chunks(L, -1, n, shape, chunk);
  lua_pop(L, 1);
  if (node_size(&x) == 0) { /* nothing to read: an empty constant */
    Node c = {.op = OP_FULL, .dtype = x.dtype, .ndim = n, .name = "reshape"};
    memcpy(c.shape, shape, sizeof(int64_t) * (size_t)n);
    memcpy(c.chunk, chunk, sizeof chunk);
    return fe_add_node(L, &c);
  }
  if (split_map(&x, n, shape, &m)) {
    int v = fe_view(L, id, &m, n, shape);
    fe_node(L, v)->name = "reshape";
    return v;
  }
  Node r = {.op = OP_RESHAPE, .dtype = x.dtype, .ndim = n, .nin = 1, .in = {id}};
  memcpy(r.shape, shape, sizeof(int64_t) * (size_t)n);
  memcpy(r.chunk, chunk, sizeof chunk);
  return fe_add_node(L, &r);
}

static int l_reshape(lua_State *L) {
  LArray *a = fe_check_array(L, 1);
  Node x = *fe_node(L, a->id);
  int64_t shape[MAXDIM];
  int n = new_shape(L, 2, &x, shape);
  return fe_push_id(L, reshape_ids(L, a->id, n, shape));
}

static int l_ravel(lua_State *L) {
  LArray *a = fe_check_array(L, 1);
  int64_t size = node_size(fe_node(L, a->id));
  return fe_push_id(L, reshape_ids(L, a->id, 1, &size));
}

/* ---- concatenate and stack ---- */

/* The arrays of the table at idx; at least one, each an array. */
static int array_list(lua_State *L, int idx, int *ids, int max, const char *fn) {
  if (!lua_istable(L, idx))
    fe_error(L, "%s takes a table of arrays, got %s", fn, luaL_typename(L, idx));
  int n = (int)luaL_len(L, idx);
  if (n == 0) fe_error(L, "need at least one array to %s", fn);
  if (n > max) fe_error(L, "%s of more than %d arrays is not supported", fn, max);
  for (int k = 0; k < n; k++) {
    lua_geti(L, idx, k + 1);
    if (!luaL_testudata(L, -1, ARRAY_MT))
      fe_error(L, "%s: entry %d is %s, not an array", fn, k + 1, luaL_typename(L, -1));
    ids[k] = ((LArray *)lua_touserdata(L, -1))->id;
    lua_pop(L, 1);
  }
  return n;
}

/* axis at idx: an integer (nil: 0) */
static int axis_arg(lua_State *L, int idx, int ndim) {
  static const FeAxisWords words = {"axis", "an integer"};
  return lua_isnoneornil(L, idx) ? 0 : fe_axis(L, idx, ndim, &words);
}

/* Concatenation of n arrays of one rank along ax, after NumPy's checks. */
int fe_concat(lua_State *L, const int *ids, int n, int ax) {
  Node first = *fe_node(L, ids[0]);
  DType t = first.dtype;
  int64_t len = 0;
  for (int k = 0; k < n; k++) {
    const Node *x = fe_node(L, ids[k]);
    if (x->ndim != first.ndim)
      fe_error(L,
               "all the input arrays must have same number of dimensions, but the array at "
               "index 0 has %d dimension(s) and the array at index %d has %d dimension(s)",
               first.ndim, k, x->ndim);
    for (int d = 0; d < first.ndim; d++)
      if (d != ax && x->shape[d] != first.shape[d])
        fe_error(L,
                 "all the input array dimensions except for the concatenation axis must match "
                 "exactly, but along dimension %d, the array at index 0 has size %lld and the "
                 "array at index %d has size %lld",
                 d, (long long)first.shape[d], k, (long long)x->shape[d]);
    t = fe_promote(t, x->dtype);
    if (__builtin_add_overflow(len, x->shape[ax], &len)) len = INT64_MAX; /* over the limit */
  }
  if (n == 1) return ids[0];
  Node c = {.op = OP_CONCAT, .dtype = t, .ndim = first.ndim, .nin = n, .name = "concatenate"};
  memcpy(c.shape, first.shape, sizeof c.shape);
  memcpy(c.chunk, first.chunk, sizeof c.chunk);
  c.shape[ax] = len;
  if (c.chunk[ax] > len) c.chunk[ax] = len > 0 ? len : 1;
  c.axis = ax;
  for (int k = 0; k < n; k++) c.in[k] = fe_cast(L, ids[k], t);
  return fe_add_node(L, &c);
}

static int l_concatenate(lua_State *L) {
  int ids[MAXIN];
  int n = array_list(L, 1, ids, MAXIN, "concatenate");
  int ndim = fe_node(L, ids[0])->ndim;
  if (ndim == 0) fe_error(L, "zero-dimensional arrays cannot be concatenated");
  return fe_push_id(L, fe_concat(L, ids, n, axis_arg(L, 2, ndim)));
}

static int l_stack(lua_State *L) {
  int ids[MAXIN];
  int n = array_list(L, 1, ids, MAXIN, "stack");
  Node first = *fe_node(L, ids[0]);
  if (first.ndim + 1 > MAXDIM)
    fe_error(L, "arrays have at most %d dimensions, the result would have %d", MAXDIM,
             first.ndim + 1);
  for (int k = 1; k < n; k++) {
    const Node *x = fe_node(L, ids[k]);
    if (x->ndim != first.ndim ||
        memcmp(x->shape, first.shape, sizeof(int64_t) * (size_t)first.ndim))
      fe_error(L, "all input arrays must have the same shape");
  }
  int ax = axis_arg(L, 2, first.ndim + 1);
  int64_t shape[MAXDIM];
  Affine m;
  memset(&m, 0, sizeof m);
  m.nin = first.ndim, m.nout = first.ndim + 1;
  for (int d = 0, k = 0; k <= first.ndim; k++) {
    if (k == ax) {
      shape[k] = 1;
      continue;
    }
    m.a[d][k] = 1;
    shape[k] = first.shape[d++];
  }
  int views[MAXIN];
  for (int k = 0; k < n; k++) views[k] = fe_view(L, ids[k], &m, first.ndim + 1, shape);
  int id = fe_concat(L, views, n, ax);
  fe_node(L, id)->name = "stack";
  return fe_push_id(L, id);
}

/* ---- cumsum, cumprod ---- */

static int scan(lua_State *L, ReduceOp rop, const char *name) {
  LArray *a = fe_check_array(L, 1);
  int id = a->id;
  Node x = *fe_node(L, id);
  int ax = 0;
  if (dtype_is_complex(x.dtype)) fe_error(L, "%s is not supported for complex arrays", name);
  if (lua_isnoneornil(L, 2)) { /* NumPy: the flattened array */
    int64_t size = node_size(&x);
    id = reshape_ids(L, id, 1, &size);
  } else {
    if (x.ndim == 0) /* no axis to cumulate, whatever the argument is */
      fe_error(L, "axis %lld is out of bounds for array of dimension 0",
               (long long)lua_tointeger(L, 2));
    ax = axis_arg(L, 2, x.ndim);
  }
  /* NumPy accumulates bools and small integers in the default integer type */
  DType t = dtype_is_float(x.dtype) ? x.dtype : CDRT_INT64;
  id = fe_cast(L, id, t);
  Node in = *fe_node(L, id);
  Node s = {.op = OP_SCAN, .dtype = t, .ndim = in.ndim, .nin = 1, .in = {id}, .rop = rop};
  s.name = name;
  s.axis = ax;
  memcpy(s.shape, in.shape, sizeof s.shape);
  memcpy(s.chunk, in.chunk, sizeof s.chunk);
  return fe_push_id(L, fe_add_node(L, &s));
}

static int l_cumsum(lua_State *L) {
  return scan(L, ROP_SUM, "cumsum");
}
static int l_cumprod(lua_State *L) {
  return scan(L, ROP_PROD, "cumprod");
}

static const luaL_Reg methods[] = {
    {"rechunk", l_rechunk}, {"reshape", l_reshape}, {"ravel", l_ravel}, {"flatten", l_ravel},
    {"cumsum", l_cumsum},   {"cumprod", l_cumprod}, {NULL, NULL}};

static const luaL_Reg functions[] = {{"rechunk", l_rechunk}, {"reshape", l_reshape},
                                     {"ravel", l_ravel},     {"cumsum", l_cumsum},
                                     {"cumprod", l_cumprod}, {"concatenate", l_concatenate},
                                     {"stack", l_stack},     {NULL, NULL}};

void fe_open_shape(lua_State *L, const FeTables *t) {
  fe_add_functions(L, t->methods, methods);
  fe_add_functions(L, t->module, functions);
}
