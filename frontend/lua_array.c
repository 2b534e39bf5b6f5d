/* lua_array.c: the cdask.array module: creation functions, views, outputs, and the array
 * object (metatable, attributes, NumPy index strings, repr). */
#include "frontend.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

static const char METHODS_KEY = 'm';

Node *fe_node(lua_State *L, int id) {
  return &fe_ctx(L)->graph->nodes[id];
}

LArray *fe_check_array(lua_State *L, int idx) {
  LArray *a = luaL_testudata(L, idx, ARRAY_MT);
  if (!a) fe_error(L, "expected an array, got %s", luaL_typename(L, idx));
  return a;
}

int fe_push_id(lua_State *L, int id) {
  LArray *a = lua_newuserdatauv(L, sizeof *a, 0);
  a->id = id;
  luaL_setmetatable(L, ARRAY_MT);
  return 1;
}

bool fe_shape_fits(int ndim, const int64_t *shape, DType t) {
  int64_t bytes = (int64_t)cdrt_dtype_size(t);
  for (int d = 0; d < ndim; d++) {
    if (shape[d] < 0) return false;
    if (shape[d] > 1 && bytes > FE_MAX_BYTES / shape[d]) return false;
    if (shape[d] > 1) bytes *= shape[d];
  }
  return true;
}

void fe_check_size(lua_State *L, int ndim, const int64_t *shape, DType t) {
  if (fe_shape_fits(ndim, shape, t)) return;
  for (int d = 0; d < ndim; d++)
    if (shape[d] < 0) fe_error(L, "negative dimensions are not allowed");
  fe_error(L, "array is too big: shape %s of %s is more than 2^62 bytes (cdask's limit)",
           shape_str(fe_ctx(L)->graph->arena, ndim, shape), cdrt_dtype_name(t));
}

/* Every node passes here: no builtin can make an array larger than the size limit. */
int fe_add_node(lua_State *L, Node *proto) {
  fe_check_size(L, proto->ndim, proto->shape, proto->dtype);
  fe_locate(L, proto);
  return graph_add(fe_ctx(L)->graph, proto);
}

int fe_push_node(lua_State *L, Node *proto) {
  return fe_push_id(L, fe_add_node(L, proto));
}

/* ---- argument parsing ---- */

int64_t fe_check_int(lua_State *L, int idx, const char *what) {
  int isnum = 0;
  lua_Integer v = lua_tointegerx(L, idx, &isnum);
  if (!isnum) fe_error(L, "%s must be an integer, got %s", what, luaL_typename(L, idx));
  return (int64_t)v;
}

const char *fe_check_string(lua_State *L, int idx, const char *what, bool utf8) {
  size_t len;
  const char *s = lua_tolstring(L, idx, &len); /* a number becomes its text, as in Lua */
  if (!s) fe_error(L, "%s must be a string, got %s", what, luaL_typename(L, idx));
  if (strlen(s) != len) fe_error(L, "%s contains a NUL byte", what);
  for (size_t i = 0, k; utf8 && i < len; i += k)
    if ((k = utf8_sequence(s + i, len - i)) == 0)
      fe_error(L, "%s is not valid UTF-8 (byte %zu)", what, i + 1);
  return s;
}

/* shape: a table of non-negative integers, or one integer; negative: the message for a
 * negative dimension. */
int fe_check_shape(lua_State *L, int idx, int64_t *shape, const char *negative) {
  if (lua_isinteger(L, idx)) {
    shape[0] = fe_check_int(L, idx, "shape");
    if (shape[0] < 0) fe_error(L, "%s", negative);
    return 1;
  }
  if (!lua_istable(L, idx))
    fe_error(L, "shape must be a table of integers, got %s", luaL_typename(L, idx));
  int n = (int)luaL_len(L, idx);
  if (n > MAXDIM) fe_error(L, "arrays have at most %d dimensions, shape has %d", MAXDIM, n);
  for (int d = 0; d < n; d++) {
    lua_geti(L, idx, d + 1);
    shape[d] = fe_check_int(L, -1, "every dimension of a shape");
    lua_pop(L, 1);
    if (shape[d] < 0) fe_error(L, "%s", negative);
  }
  return n;
}

/* Automatic chunks: halve the largest chunk until a chunk holds at most 2^21 elements
 * (16 MiB of float64): enough tasks for the threads, each big enough to hide overhead. */
static int64_t chunk_elements(int ndim, const int64_t *chunk) {
  int64_t total = 1;
  for (int d = 0; d < ndim; d++) /* saturates: the shape may not be checked yet */
    if (__builtin_mul_overflow(total, chunk[d], &total)) return INT64_MAX;
  return total;
}

static void auto_chunks(int ndim, const int64_t *shape, int64_t *chunk) {
  for (int d = 0; d < ndim; d++) chunk[d] = shape[d] > 0 ? shape[d] : 1;
  while (chunk_elements(ndim, chunk) > (1 << 21)) {
    int big = 0;
    for (int d = 1; d < ndim; d++)
      if (chunk[d] > chunk[big]) big = d;
    chunk[big] = (chunk[big] + 1) / 2;
  }
}

/* Dask's explicit chunk tuple for one axis, e.g. {100, 100, 50}: cdask's chunks are
 * regular (all equal but the last, which may be smaller), so that is what it accepts. */
static int64_t regular_chunk(lua_State *L, int idx, int64_t len, int axis) {
  int n = (int)luaL_len(L, idx);
  int64_t first = 0, sum = 0;
  for (int k = 0; k < n; k++) {
    lua_geti(L, idx, k + 1);
    int64_t c = fe_check_int(L, -1, "every chunk size");
    lua_pop(L, 1);
    if (c <= 0 && !(c == 0 && len == 0))
      fe_error(L, "chunks must be positive, got %lld for axis %d", (long long)c, axis);
    if (k == 0) first = c;
    if (c > first || (c < first && k + 1 < n))
      fe_error(L,
               "chunks for axis %d are irregular: cdask needs equal chunks with a smaller "
               "last one, got a chunk of %lld after one of %lld",
               axis, (long long)c, (long long)first);
    if (__builtin_add_overflow(sum, c, &sum))
      fe_error(L, "chunks for axis %d add up to more than the axis length %lld", axis,
               (long long)len);
  }
  if (sum != len)
    fe_error(L, "chunks for axis %d add up to %lld, but the axis has length %lld", axis,
             (long long)sum, (long long)len);
  return first;
}

/* chunks at idx: nil or "auto", a number for every axis, or a table with one entry per
 * axis (-1: the whole axis). */
void fe_parse_chunks(lua_State *L, int idx, int ndim, const int64_t *shape, int64_t *chunk) {
  int t = lua_type(L, idx);
  idx = lua_absindex(L, idx);
  if (t == LUA_TNIL || (t == LUA_TSTRING &&
                        strcmp(fe_check_string(L, idx, "the chunks string", false), "auto") == 0)) {
    auto_chunks(ndim, shape, chunk);
  } else if (t == LUA_TNUMBER) {
    int64_t c = fe_check_int(L, idx, "chunks");
    if (c <= 0 && c != -1) fe_error(L, "chunks must be positive, got %lld", (long long)c);
    for (int d = 0; d < ndim; d++) chunk[d] = c == -1 ? shape[d] : c;
  } else if (t == LUA_TTABLE) {
    int n = (int)luaL_len(L, idx);
    if (n != ndim) fe_error(L, "chunks has %d entries for an array of %d dimensions", n, ndim);
    for (int d = 0; d < ndim; d++) {
      lua_geti(L, idx, d + 1);
      int64_t c = lua_istable(L, -1) ? regular_chunk(L, -1, shape[d], d)
                                     : fe_check_int(L, -1, "every entry of chunks");
      lua_pop(L, 1);
      if (c == -1) c = shape[d] > 0 ? shape[d] : 1; /* Dask: -1 means the whole axis */
      if (c <= 0) fe_error(L, "chunks must be positive, got %lld for axis %d", (long long)c, d);
      chunk[d] = c;
    }
  } else {
    fe_error(L, "chunks must be a table, a number or \"auto\", got %s", luaL_typename(L, idx));
  }
  for (int d = 0; d < ndim; d++) {
    if (chunk[d] > shape[d]) chunk[d] = shape[d];
    if (chunk[d] < 1) chunk[d] = 1;
  }
}

static void check_chunks(lua_State *L, int opts, int ndim, const int64_t *shape, int64_t *chunk) {
  if (opts)
    lua_getfield(L, opts, "chunks");
  else
    lua_pushnil(L);
  fe_parse_chunks(L, -1, ndim, shape, chunk);
  lua_pop(L, 1);
}

static DType check_dtype_opt(lua_State *L, int opts, DType dflt) {
  if (!opts) return dflt;
  int t = lua_getfield(L, opts, "dtype");
  DType r = dflt;
  if (t != LUA_TNIL) {
    const char *name = lua_tostring(L, -1) ? fe_check_string(L, -1, "the dtype name", false) : NULL;
    int v = name ? cdrt_dtype_from_name(name) : -1;
    if (v < 0)
      fe_error(L,
               "unknown dtype '%s' (bool, int32, int64, float32, float64, complex64, complex128)",
               name ? name : luaL_typename(L, -1));
    r = (DType)v;
  }
  lua_pop(L, 1);
  return r;
}

/* The options table at idx, or 0. */
static int opts_at(lua_State *L, int idx) {
  if (lua_isnoneornil(L, idx)) return 0;
  if (!lua_istable(L, idx)) fe_error(L, "options must be a table, got %s", luaL_typename(L, idx));
  return lua_absindex(L, idx);
}

static double check_number(lua_State *L, int idx, const char *what) {
  int isnum = 0;
  double v = lua_tonumberx(L, idx, &isnum);
  if (!isnum) fe_error(L, "%s must be a number, got %s", what, luaL_typename(L, idx));
  return v;
}

static void source_node(lua_State *L, Node *n, Op op, int shape_idx, int opts, DType dflt) {
  n->op = op;
  n->ndim = fe_check_shape(L, shape_idx, n->shape, "negative dimensions are not allowed");
  n->dtype = check_dtype_opt(L, opts, dflt);
  fe_check_size(L, n->ndim, n->shape, n->dtype);
  check_chunks(L, opts, n->ndim, n->shape, n->chunk);
}

/* ---- creation ---- */

static int full_with(lua_State *L, int shape_idx, int value_idx, int opts_idx, double dv,
                     const char *name) {
  int opts = opts_at(L, opts_idx);
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
    f = check_number(L, value_idx, "fill value");
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
    check_number(L, i, "arange bound");
    ints = ints && lua_isinteger(L, i);
  }
  double start = top >= 2 ? lua_tonumber(L, 1) : 0, stop = lua_tonumber(L, top >= 2 ? 2 : 1);
  double step = top == 3 ? lua_tonumber(L, 3) : 1;
  if (step == 0) fe_error(L, "arange: step cannot be zero");
  Node n = {.op = OP_ARANGE, .ndim = 1, .name = "arange"};
  n.dtype = check_dtype_opt(L, opts, ints ? CDRT_INT64 : CDRT_FLOAT64);
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
  check_chunks(L, opts, 1, n.shape, n.chunk);
  return fe_push_node(L, &n);
}

static int l_linspace(lua_State *L) {
  double start = check_number(L, 1, "linspace start"), stop = check_number(L, 2, "linspace stop");
  int64_t num = lua_isnoneornil(L, 3) ? 50 : fe_check_int(L, 3, "linspace num");
  if (num < 0) fe_error(L, "Number of samples, %lld, must be non-negative.", (long long)num);
  int opts = opts_at(L, 4);
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
  n.dtype = check_dtype_opt(L, opts, CDRT_FLOAT64);
  fe_check_size(L, 1, n.shape, CDRT_FLOAT64); /* computed in float64 */
  check_chunks(L, opts, 1, n.shape, n.chunk);
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
  int opts = opts_at(L, 4);
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
  double loc = lua_isnoneornil(L, 1) ? 0.0 : check_number(L, 1, "loc");
  double scale = lua_isnoneornil(L, 2) ? 1.0 : check_number(L, 2, "scale");
  if (scale < 0) fe_error(L, "scale < 0");
  return random_node(L, OP_RNORMAL, loc, scale, "random.normal");
}

static int l_uniform(lua_State *L) {
  double lo = lua_isnoneornil(L, 1) ? 0.0 : check_number(L, 1, "low");
  double hi = lua_isnoneornil(L, 2) ? 1.0 : check_number(L, 2, "high");
  return random_node(L, OP_RUNIFORM, lo, hi, "random.uniform");
}

static int l_from_npy(lua_State *L) {
  const char *path = fe_check_string(L, 1, "from_npy: the path", true);
  int opts = opts_at(L, 2);
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
  check_chunks(L, opts, h.ndim, user_shape, user_chunk);
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

/* ---- outputs ---- */

/* An output node takes the type and shape of what it writes. */
static void add_output(lua_State *L, Node *n) {
  Node *x = fe_node(L, n->in[0]);
  n->dtype = x->dtype, n->ndim = x->ndim;
  memcpy(n->shape, x->shape, sizeof n->shape);
  memcpy(n->chunk, x->chunk, sizeof n->chunk);
  fe_locate(L, n);
  graph_add(fe_ctx(L)->graph, n);
}

static int l_to_npy(lua_State *L) {
  LArray *a = fe_check_array(L, 1);
  const char *path = fe_check_string(L, 2, "to_npy: the path", true);
  size_t len = strlen(path);
  if (len == 0) fe_error(L, "to_npy: empty path");
  Frontend *fe = fe_ctx(L);
  Node n = {.op = OP_TO_NPY, .nin = 1, .in = {a->id}, .name = "to_npy"};
  /* numpy.save appends .npy when the name lacks it */
  n.str = len >= 4 && strcmp(path + len - 4, ".npy") == 0
              ? arena_strdup(fe->graph->arena, path)
              : arena_printf(fe->graph->arena, "%s.npy", path);
  char why[256];
  if (cdrt_output_name_problem(n.str, why, sizeof why) != 0)
    fe_error(L, "to_npy: '%s' %s", n.str, why);
  for (int i = 0; i < fe->graph->noutputs; i++) {
    Node *o = &fe->graph->nodes[fe->graph->outputs[i]];
    if (o->op == OP_TO_NPY && strcmp(o->str, n.str) == 0)
      fe_error(L, "%s is already written by line %d", n.str, o->line);
  }
  add_output(L, &n);
  return 0;
}

static int l_print(lua_State *L) {
  LArray *a = fe_check_array(L, 1);
  const char *label =
      lua_isnoneornil(L, 2) ? "result" : fe_check_string(L, 2, "da.print: the label", true);
  Frontend *fe = fe_ctx(L);
  if (dtype_is_complex(fe_node(L, a->id)->dtype))
    fe_error(L, "da.print does not print complex arrays yet: write them with da.to_npy, or "
                "print da.real(x) and da.imag(x)");
  Node n = {.op = OP_PRINT, .nin = 1, .in = {a->id}, .name = "print"};
  n.str = arena_strdup(fe->graph->arena, label);
  add_output(L, &n);
  return 0;
}

/* ---- views ---- */

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

static int l_transpose(lua_State *L) {
  LArray *a = fe_check_array(L, 1);
  Node x = *fe_node(L, a->id);
  int perm[MAXDIM];
  if (lua_isnoneornil(L, 2)) {
    for (int k = 0; k < x.ndim; k++) perm[k] = x.ndim - 1 - k;
  } else {
    if (!lua_istable(L, 2)) fe_error(L, "transpose: axes must be a table");
    int n = (int)luaL_len(L, 2);
    if (n != x.ndim) fe_error(L, "axes don't match array");
    unsigned seen = 0;
    for (int k = 0; k < n; k++) {
      lua_geti(L, 2, k + 1);
      int64_t ax = fe_check_int(L, -1, "every axis");
      lua_pop(L, 1);
      if (ax < -x.ndim || ax >= x.ndim)
        fe_error(L, "axis %lld is out of bounds for array of dimension %d", (long long)ax, x.ndim);
      if (ax < 0) ax += x.ndim;
      if (seen >> ax & 1) fe_error(L, "repeated axis in transpose");
      seen |= 1u << ax;
      perm[k] = (int)ax;
    }
  }
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

static int index_string(lua_State *L, int id, const char *key) {
  Node x = *fe_node(L, id);
  Affine m;
  int ndim;
  int64_t shape[MAXDIM];
  const char *err = fe_parse_index(fe_ctx(L)->graph->arena, key, x.ndim, x.shape, &m, &ndim, shape);
  if (err) fe_error(L, "%s", err);
  return fe_push_id(L, fe_view(L, id, &m, ndim, shape));
}

/* ---- the array object ---- */

static void push_shape(lua_State *L, int ndim, const int64_t *v) {
  lua_createtable(L, ndim, 0);
  for (int d = 0; d < ndim; d++) {
    lua_pushinteger(L, v[d]);
    lua_rawseti(L, -2, d + 1);
  }
}

static bool is_identifier(const char *s) {
  if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))) return false;
  for (; *s; s++)
    if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
          (*s >= '0' && *s <= '9')))
      return false;
  return true;
}

static int l_index(lua_State *L) {
  LArray *a = fe_check_array(L, 1);
  if (lua_isinteger(L, 2)) {
    lua_pushfstring(L, "%I", lua_tointeger(L, 2));
    return index_string(L, a->id, lua_tostring(L, -1));
  }
  if (lua_type(L, 2) != LUA_TSTRING)
    fe_error(L, "arrays are indexed with strings like \"0:10, ::-1\", got %s", luaL_typename(L, 2));
  const char *key = fe_check_string(L, 2, "the index", false);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &METHODS_KEY);
  if (lua_getfield(L, -1, key) != LUA_TNIL) return 1;
  lua_pop(L, 2);
  Node x = *fe_node(L, a->id);
  if (strcmp(key, "T") == 0) {
    int perm[MAXDIM];
    for (int k = 0; k < x.ndim; k++) perm[k] = x.ndim - 1 - k;
    return fe_push_id(L, transpose_ids(L, a->id, perm));
  }
  if (strcmp(key, "shape") == 0) return push_shape(L, x.ndim, x.shape), 1;
  if (strcmp(key, "chunksize") == 0) return push_shape(L, x.ndim, x.chunk), 1;
  if (strcmp(key, "ndim") == 0) return lua_pushinteger(L, x.ndim), 1;
  if (strcmp(key, "size") == 0) return lua_pushinteger(L, node_size(&x)), 1;
  if (strcmp(key, "nbytes") == 0)
    return lua_pushinteger(L, node_size(&x) * (int64_t)cdrt_dtype_size(x.dtype)), 1;
  if (strcmp(key, "dtype") == 0) return lua_pushstring(L, cdrt_dtype_name(x.dtype)), 1;
  if (strcmp(key, "real") == 0 || strcmp(key, "imag") == 0)
    return fe_push_id(L, fe_unary_complex(L, key[0] == 'r' ? OP_REAL : OP_IMAG, a->id));
  if (is_identifier(key) && strcmp(key, "None") != 0 && strcmp(key, "newaxis") != 0)
    fe_error(L, "array has no attribute or method '%s'", key);
  return index_string(L, a->id, key);
}

static void human_bytes(char *buf, size_t n, double b) {
  const char *units[] = {"B", "kB", "MB", "GB", "TB", "PB"};
  int u = 0;
  while (b >= 1000 && u < 5) b /= 1000, u++;
  if (u == 0)
    snprintf(buf, n, "%.0f B", b);
  else
    snprintf(buf, n, "%.2f %s", b, units[u]);
}

/* Like Dask's repr: what the array is, without computing it. */
static int l_tostring(lua_State *L) {
  LArray *a = fe_check_array(L, 1);
  Node x = *fe_node(L, a->id);
  Arena *ar = fe_ctx(L)->graph->arena;
  int64_t nchunks = 1, csize = 1;
  for (int d = 0; d < x.ndim; d++) {
    nchunks *= x.shape[d] ? (x.shape[d] + x.chunk[d] - 1) / x.chunk[d] : 0;
    csize *= x.chunk[d];
  }
  char bytes[32], cbytes[32];
  size_t item = cdrt_dtype_size(x.dtype);
  human_bytes(bytes, sizeof bytes, (double)node_size(&x) * (double)item);
  human_bytes(cbytes, sizeof cbytes, (double)csize * (double)item);
  const char *what = x.name ? x.name : op_names[x.op];
  if (x.op == OP_REDUCE) what = rop_names[x.rop];
  lua_pushfstring(L,
                  "cdask.array<%s, shape=%s, dtype=%s, chunksize=%s, chunks=%I, nbytes=%s, "
                  "chunk nbytes=%s>",
                  what, shape_str(ar, x.ndim, x.shape), cdrt_dtype_name(x.dtype),
                  shape_str(ar, x.ndim, x.chunk), (lua_Integer)nchunks, bytes, cbytes);
  return 1;
}

static int l_astype(lua_State *L) {
  LArray *a = fe_check_array(L, 1);
  luaL_checkstring(L, 2);
  const char *name = fe_check_string(L, 2, "the dtype name", false);
  int t = cdrt_dtype_from_name(name);
  if (t < 0)
    fe_error(L, "unknown dtype '%s' (bool, int32, int64, float32, float64, complex64, complex128)",
             name);
  return fe_push_id(L, fe_cast(L, a->id, (DType)t));
}

static int l_compute(lua_State *L) {
  return fe_error(L, "cdask compiles the whole script: output results with da.print(x, "
                     "\"label\") or da.to_npy(x, \"file.npy\") instead of compute()");
}

static int l_unknown_function(lua_State *L) {
  const char *key = lua_tostring(L, 2);
  lua_getfield(L, 1, "__name");
  const char *mod = lua_tostring(L, -1);
  return fe_error(L, "%s has no function '%s'", mod ? mod : "module", key ? key : "?");
}

static const luaL_Reg array_methods[] = {{"transpose", l_transpose},
                                         {"astype", l_astype},
                                         {"compute", l_compute},
                                         {"squeeze", l_squeeze},
                                         {NULL, NULL}};

static const luaL_Reg array_funcs[] = {{"ones", l_ones},
                                       {"zeros", l_zeros},
                                       {"full", l_full},
                                       {"arange", l_arange},
                                       {"linspace", l_linspace},
                                       {"from_npy", l_from_npy},
                                       {"to_npy", l_to_npy},
                                       {"print", l_print},
                                       {"transpose", l_transpose},
                                       {"squeeze", l_squeeze},
                                       {"expand_dims", l_expand_dims},
                                       {"broadcast_to", l_broadcast_to},
                                       {NULL, NULL}};

static void set_strict(lua_State *L, const char *name) {
  lua_pushstring(L, name);
  lua_setfield(L, -2, "__name");
  lua_newtable(L);
  lua_pushcfunction(L, l_unknown_function);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
}

int fe_open_array(lua_State *L) {
  lua_newtable(L); /* module */
  luaL_setfuncs(L, array_funcs, 0);
  lua_newtable(L); /* random */
  lua_pushcfunction(L, l_normal);
  lua_setfield(L, -2, "normal");
  lua_pushcfunction(L, l_uniform);
  lua_setfield(L, -2, "uniform");
  set_strict(L, "cdask.array.random");
  lua_setfield(L, -2, "random");
  int module = lua_gettop(L);

  lua_newtable(L); /* methods */
  luaL_setfuncs(L, array_methods, 0);
  int methods = lua_gettop(L);
  luaL_newmetatable(L, ARRAY_MT);
  lua_pushcfunction(L, l_index);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, l_tostring);
  lua_setfield(L, -2, "__tostring");
  fe_lua_open_ops(L);
  lua_pop(L, 1); /* metatable */
  fe_lua_open_reductions(L, methods, module);
  fe_lua_open_shape(L, methods, module);
  fe_lua_open_complex(L, module);
  fe_lua_open_fft(L, module);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &METHODS_KEY); /* pops methods */
  set_strict(L, "cdask.array");
  return 1;
}
