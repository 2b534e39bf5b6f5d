/* lua_args.c: reading the arguments of the bindings: integers, numbers, strings, shapes,
 * dtypes, options tables, chunks and axes, with NumPy's and Dask's messages. */
#include "frontend.h"

#include <string.h>

/* ---- scalars and strings ---- */

int64_t fe_check_int(lua_State *L, int idx, const char *what) {
  int isnum = 0;
  lua_Integer v = lua_tointegerx(L, idx, &isnum);
  if (!isnum) fe_error(L, "%s must be an integer, got %s", what, luaL_typename(L, idx));
  return (int64_t)v;
}

double fe_check_number(lua_State *L, int idx, const char *what) {
  int isnum = 0;
  double v = lua_tonumberx(L, idx, &isnum);
  if (!isnum) fe_error(L, "%s must be a number, got %s", what, luaL_typename(L, idx));
  return v;
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

/* ---- shapes, dtypes, options ---- */

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

DType fe_check_dtype(lua_State *L, int idx) {
  const char *name = lua_tostring(L, idx) ? fe_check_string(L, idx, "the dtype name", false) : NULL;
  int v = name ? cdrt_dtype_from_name(name) : -1;
  if (v < 0)
    fe_error(L, "unknown dtype '%s' (bool, int32, int64, float32, float64, complex64, complex128)",
             name ? name : luaL_typename(L, idx));
  return (DType)v;
}

int fe_options(lua_State *L, int idx) {
  if (lua_isnoneornil(L, idx)) return 0;
  if (!lua_istable(L, idx)) fe_error(L, "options must be a table, got %s", luaL_typename(L, idx));
  return lua_absindex(L, idx);
}

int fe_named_options(lua_State *L, int idx, const char *what, const char *names) {
  int opts = fe_options(L, idx);
  for (lua_pushnil(L); opts && lua_next(L, opts); lua_pop(L, 1)) {
    if (lua_type(L, -2) != LUA_TSTRING)
      fe_error(L, "%s: the options are a table of names (%s), got a %s key", what, names,
               luaL_typename(L, -2));
    size_t n;
    const char *k = lua_tolstring(L, -2, &n), *at = names;
    bool known = false;
    while (n && !known && (at = strstr(at, k)) != NULL) {
      known = (at == names || at[-1] == ' ') && (at[n] == ' ' || at[n] == 0);
      at += n ? n : 1;
    }
    if (!known)
      fe_error(L, "%s: TypeError: got an unexpected keyword argument '%s' (its options: %s)", what,
               k, names);
  }
  return opts;
}

bool fe_bool_option(lua_State *L, int opts, const char *key, const char *what, bool dflt) {
  if (!opts) return dflt;
  lua_getfield(L, opts, key);
  bool v = dflt;
  if (!lua_isnil(L, -1)) {
    if (!lua_isboolean(L, -1)) fe_error(L, "%s: %s must be a boolean", what, key);
    v = lua_toboolean(L, -1);
  }
  lua_pop(L, 1);
  return v;
}

DType fe_dtype_option(lua_State *L, int opts, DType dflt) {
  if (!opts) return dflt;
  DType r = lua_getfield(L, opts, "dtype") != LUA_TNIL ? fe_check_dtype(L, -1) : dflt;
  lua_pop(L, 1);
  return r;
}

/* ---- chunks ---- */

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

/* opts.chunks (opts: an index from fe_options, or 0 for automatic chunks) */
void fe_chunks_option(lua_State *L, int opts, int ndim, const int64_t *shape, int64_t *chunk) {
  if (opts)
    lua_getfield(L, opts, "chunks");
  else
    lua_pushnil(L);
  fe_parse_chunks(L, -1, ndim, shape, chunk);
  lua_pop(L, 1);
}

/* ---- axes ---- */

int fe_axis(lua_State *L, int idx, int ndim, const FeAxisWords *words) {
  int isnum = 0;
  lua_Integer ax = lua_tointegerx(L, idx, &isnum);
  if (!isnum)
    fe_error(L, "%s must be %s, got %s", words->what, words->expected, luaL_typename(L, idx));
  if (ax < -ndim || ax >= ndim)
    fe_error(L, "axis %lld is out of bounds for array of dimension %d", (long long)ax, ndim);
  return (int)(ax < 0 ? ax + ndim : ax);
}

unsigned fe_axis_table(lua_State *L, int idx, int n, int ndim, const FeAxisWords *words,
                       const char *dup, int *axes) {
  idx = lua_absindex(L, idx);
  unsigned seen = 0;
  for (int i = 0; i < n; i++) {
    lua_geti(L, idx, i + 1);
    int ax = fe_axis(L, -1, ndim, words);
    lua_pop(L, 1);
    if (dup && (seen >> ax & 1)) fe_error(L, "%s", dup);
    seen |= 1u << ax;
    if (axes) axes[i] = ax;
  }
  return seen;
}

unsigned fe_axes(lua_State *L, int idx, int ndim, const char *dup) {
  static const FeAxisWords words = {"axis", "an integer or a table of integers"};
  if (!lua_istable(L, idx)) return 1u << fe_axis(L, idx, ndim, &words);
  return fe_axis_table(L, idx, (int)luaL_len(L, idx), ndim, &words, dup, NULL);
}
