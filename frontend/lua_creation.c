/* lua_creation.c: the arrays a pipeline starts from: da.ones, zeros, full, arange,
 * linspace, random.normal, random.uniform (computed in float64, then cast) and from_npy
 * (a .npy file read when the program runs; a Fortran-ordered one is a transposed view). */
#include "frontend.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

/* A source node of op: the shape at shape_idx, opts.dtype (dflt) and opts.chunks. */
static void source_node(lua_State *L, Node *n, Op op, int shape_idx, int opts, DType dflt) {
  n->op = op;
  n->ndim = fe_check_shape(L, shape_idx, n->shape, "negative dimensions are not allowed");
  n->dtype = fe_dtype_option(L, opts, dflt);
  fe_check_size(L, n->ndim, n->shape, n->dtype);
  fe_chunks_option(L, opts, n->ndim, n->shape, n->chunk);
}

static int full_with(lua_State *L, int shape_idx, int value_idx, int opts_idx, double dv,
                     const char *name) {
  int opts = fe_options(L, opts_idx);
  Node n = {.name = name};
  /* the value's own dtype (NumPy's for a Python bool, int, float), then astype's conversion */
  DType from = CDRT_FLOAT64;
  int64_t i = 0;
  double f = dv;
  if (value_idx && lua_isboolean(L, value_idx)) {
    from = CDRT_BOOL, i = lua_toboolean(L, value_idx);
  } else if (value_idx && lua_isinteger(L, value_idx)) {
    from = CDRT_INT64, i = lua_tointeger(L, value_idx);
  } else if (value_idx) {
    f = fe_check_number(L, value_idx, "fill value");
  }
  source_node(L, &n, OP_FULL, shape_idx, opts, from);
  full_value(&n, from, i, f);
  return fe_push_node(L, &n);
}

static int l_ones(lua_State *L) {
  return full_with(L, 1, 0, 2, 1.0, "ones");
}
static int l_zeros(lua_State *L) {
  return full_with(L, 1, 0, 2, 0.0, "zeros");
}
static int l_full(lua_State *L) {
  luaL_checkany(L, 2);
  return full_with(L, 1, 2, 3, 0.0, "full");
}

/* arange(stop) | arange(start, stop[, step]), each optionally followed by options. */
static int l_arange(lua_State *L) {
  int top = lua_gettop(L), opts = 0;
  if (top > 0 && lua_istable(L, top)) opts = top--;
  if (top < 1 || top > 3) fe_error(L, "arange takes (stop), (start, stop) or (start, stop, step)");
  bool ints = true;
  for (int i = 1; i <= top; i++) {
    fe_check_number(L, i, "arange bound");
    ints = ints && lua_isinteger(L, i);
  }
  double start = top >= 2 ? lua_tonumber(L, 1) : 0, stop = lua_tonumber(L, top >= 2 ? 2 : 1);
  double step = top == 3 ? lua_tonumber(L, 3) : 1;
  if (step == 0) fe_error(L, "arange: step cannot be zero");
  Node n = {.op = OP_ARANGE, .ndim = 1, .name = "arange"};
  n.dtype = fe_dtype_option(L, opts, ints ? CDRT_INT64 : CDRT_FLOAT64);
  if (ints) {
    int64_t s0 = top >= 2 ? lua_tointeger(L, 1) : 0, s1 = lua_tointeger(L, top >= 2 ? 2 : 1);
    int64_t st = top == 3 ? lua_tointeger(L, 3) : 1;
    /* in unsigned arithmetic: the distance may not fit in int64 */
    uint64_t dist = st > 0 ? (s1 > s0 ? (uint64_t)s1 - (uint64_t)s0 : 0)
                           : (s0 > s1 ? (uint64_t)s0 - (uint64_t)s1 : 0);
    uint64_t ust = st > 0 ? (uint64_t)st : 0 - (uint64_t)st;
    uint64_t ulen = dist ? (dist - 1) / ust + 1 : 0;
    if (ulen > (uint64_t)FE_MAX_BYTES)
      fe_error(L, "array is too big: shape (%llu,) of %s is more than 2^62 bytes (cdask's limit)",
               (unsigned long long)ulen, cdrt_dtype_name(n.dtype));
    n.shape[0] = (int64_t)ulen;
    n.range.istart = dtype_is_float(n.dtype) ? 0 : s0;
    n.range.istep = dtype_is_float(n.dtype) ? 0 : st;
  } else {
    double flen = ceil((stop - start) / step);
    if (flen != flen) fe_error(L, "arange: cannot compute the length of the result (NaN)");
    if (flen >= (double)FE_MAX_BYTES)
      fe_error(L, "array is too big: shape (%.0f,) of %s is more than 2^62 bytes (cdask's limit)",
               flen, cdrt_dtype_name(n.dtype));
    n.shape[0] = flen > 0 ? (int64_t)flen : 0;
  }
  n.range.start = start, n.range.step = step;
  fe_check_size(L, 1, n.shape, n.dtype);
  fe_chunks_option(L, opts, 1, n.shape, n.chunk);
  return fe_push_node(L, &n);
}

static int l_linspace(lua_State *L) {
  double start = fe_check_number(L, 1, "linspace start"),
         stop = fe_check_number(L, 2, "linspace stop");
  int64_t num = lua_isnoneornil(L, 3) ? 50 : fe_check_int(L, 3, "linspace num");
  if (num < 0) fe_error(L, "Number of samples, %lld, must be non-negative.", (long long)num);
  int opts = fe_options(L, 4);
  bool endpoint = true;
  if (opts) {
    if (lua_getfield(L, opts, "endpoint") != LUA_TNIL) endpoint = lua_toboolean(L, -1);
    lua_pop(L, 1);
  }
  Node n = {.op = OP_LINSPACE, .ndim = 1, .name = "linspace"};
  n.shape[0] = num;
  n.range.start = start, n.range.stop = stop;
  n.range.div = endpoint ? num - 1 : num;
  n.range.endpoint = endpoint;
  n.dtype = fe_dtype_option(L, opts, CDRT_FLOAT64);
  fe_check_size(L, 1, n.shape, CDRT_FLOAT64); /* computed in float64 */
  fe_chunks_option(L, opts, 1, n.shape, n.chunk);
  if (n.dtype == CDRT_FLOAT64) return fe_push_node(L, &n);
  /* computed in float64, then (floored for integers, as NumPy >= 1.20) cast */
  DType t = n.dtype;
  n.dtype = CDRT_FLOAT64;
  int id = fe_add_node(L, &n);
  if (dtype_is_int(t)) {
    fe_push_id(L, id);
    id = fe_unary(L, OP_FLOOR, lua_gettop(L));
    lua_pop(L, 1);
  }
  return fe_push_id(L, fe_cast(L, id, t));
}

static int random_node(lua_State *L, Op op, double a, double b, const char *name) {
  if (lua_isnoneornil(L, 3)) fe_error(L, "%s needs a shape", name);
  int opts = fe_options(L, 4);
  Node n = {.name = name};
  source_node(L, &n, op, 3, opts, CDRT_FLOAT64);
  if (opts) {
    if (lua_getfield(L, opts, "seed") != LUA_TNIL) {
      int64_t s = fe_check_int(L, -1, "seed");
      if (s < 0) fe_error(L, "seed must be non-negative");
      n.random.seed = (uint64_t)s;
    }
    lua_pop(L, 1);
  }
  n.random.a = a, n.random.b = b;
  DType t = n.dtype;
  if (!dtype_is_float(t)) fe_error(L, "%s: dtype must be float64 or float32", name);
  n.dtype = CDRT_FLOAT64;
  int id = fe_add_node(L, &n);
  return fe_push_id(L, fe_cast(L, id, t));
}

static int l_normal(lua_State *L) {
  double loc = lua_isnoneornil(L, 1) ? 0.0 : fe_check_number(L, 1, "loc");
  double scale = lua_isnoneornil(L, 2) ? 1.0 : fe_check_number(L, 2, "scale");
  if (scale < 0) fe_error(L, "scale < 0");
  return random_node(L, OP_RNORMAL, loc, scale, "random.normal");
}

static int l_uniform(lua_State *L) {
  double lo = lua_isnoneornil(L, 1) ? 0.0 : fe_check_number(L, 1, "low");
  double hi = lua_isnoneornil(L, 2) ? 1.0 : fe_check_number(L, 2, "high");
  return random_node(L, OP_RUNIFORM, lo, hi, "random.uniform");
}

static int l_from_npy(lua_State *L) {
  const char *path = fe_check_string(L, 1, "from_npy: the path", true);
  int opts = fe_options(L, 2);
  Frontend *fe = fe_ctx(L);
  char err[256];
  int fd = cdrt_npy_open(path, err, sizeof err); /* never blocks on a FIFO */
  if (fd == -2) fe_error(L, "%s is not a regular file (it is %s)", path, err);
  if (fd < 0) fe_error(L, "cannot open %s: %s", path, err);
  cdrt_npy_header h;
  int rc = cdrt_npy_read_header(fd, &h, err, sizeof err);
  close(fd);
  if (rc != 0) fe_error(L, "cannot read %s: %s", path, err);
  Node n = {.op = OP_INPUT, .dtype = h.dtype, .ndim = h.ndim, .name = "from_npy"};
  n.str = arena_strdup(fe->graph->arena, path);
  n.fortran = h.fortran_order;
  /* A Fortran-ordered file is the C-ordered transpose of its reversed shape. */
  for (int d = 0; d < h.ndim; d++)
    n.shape[d] = h.fortran_order ? h.shape[h.ndim - 1 - d] : h.shape[d];
  fe_check_size(L, h.ndim, h.shape, h.dtype);
  int64_t user_shape[MAXDIM], user_chunk[MAXDIM];
  memcpy(user_shape, h.shape, sizeof user_shape);
  fe_chunks_option(L, opts, h.ndim, user_shape, user_chunk);
  for (int d = 0; d < h.ndim; d++) n.chunk[d] = user_chunk[h.fortran_order ? h.ndim - 1 - d : d];
  fe_locate(L, &n);
  n.slot = fe->graph->ninputs++; /* only now: a caught error above leaves no input behind */
  int id = graph_add(fe->graph, &n);
  if (!h.fortran_order) return fe_push_id(L, id);
  Affine m;
  memset(&m, 0, sizeof m);
  m.nin = m.nout = h.ndim;
  for (int d = 0; d < h.ndim; d++) m.a[d][h.ndim - 1 - d] = 1;
  return fe_push_id(L, fe_view(L, id, &m, h.ndim, user_shape));
}

static const luaL_Reg functions[] = {
    {"ones", l_ones},         {"zeros", l_zeros},       {"full", l_full}, {"arange", l_arange},
    {"linspace", l_linspace}, {"from_npy", l_from_npy}, {NULL, NULL}};

static const luaL_Reg random_functions[] = {
    {"normal", l_normal}, {"uniform", l_uniform}, {NULL, NULL}};

void fe_open_creation(lua_State *L, const FeTables *t) {
  fe_add_functions(L, t->module, functions);
  fe_add_functions(L, t->random, random_functions);
}
