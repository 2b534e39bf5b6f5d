/* lua_array.c: the array object: __index (methods, then the attributes T, shape,
 * chunksize, ndim, size, nbytes, dtype, real, imag, then NumPy index strings), __tostring
 * (Dask's repr, without computing anything), and the methods astype and compute. */
#include "frontend.h"

#include <string.h>

static const char METHODS_KEY = 'm';

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

/* x.key and x[key]: a method, an attribute, or an index (an integer or an index string). */
static int l_index(lua_State *L) {
  LArray *a = fe_check_array(L, 1);
  if (lua_isinteger(L, 2)) {
    lua_pushfstring(L, "%I", lua_tointeger(L, 2));
    return fe_push_id(L, fe_index(L, a->id, lua_tostring(L, -1)));
  }
  if (lua_type(L, 2) != LUA_TSTRING)
    fe_error(L, "arrays are indexed with strings like \"0:10, ::-1\", got %s", luaL_typename(L, 2));
  const char *key = fe_check_string(L, 2, "the index", false);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &METHODS_KEY);
  if (lua_getfield(L, -1, key) != LUA_TNIL) return 1;
  lua_pop(L, 2);
  Node x = *fe_node(L, a->id);
  if (strcmp(key, "T") == 0) return fe_push_id(L, fe_transpose(L, a->id));
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
  return fe_push_id(L, fe_index(L, a->id, key));
}

/* Like Dask's repr: what the array is, without computing it. */
static int l_tostring(lua_State *L) {
  LArray *a = fe_check_array(L, 1);
  Node x = *fe_node(L, a->id);
  Arena *ar = fe_arena(L);
  int64_t nchunks = 1, csize = 1;
  for (int d = 0; d < x.ndim; d++) {
    nchunks *= x.shape[d] ? (x.shape[d] + x.chunk[d] - 1) / x.chunk[d] : 0;
    csize *= x.chunk[d];
  }
  char bytes[32], cbytes[32];
  size_t item = cdrt_dtype_size(x.dtype);
  cdrt_format_bytes(bytes, sizeof bytes, (double)node_size(&x) * (double)item);
  cdrt_format_bytes(cbytes, sizeof cbytes, (double)csize * (double)item);
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
  return fe_push_id(L, fe_cast(L, a->id, fe_check_dtype(L, 2)));
}

static int l_compute(lua_State *L) {
  return fe_error(L, "cdask compiles the whole script: output results with da.print(x, "
                     "\"label\") or da.to_npy(x, \"file.npy\") instead of compute()");
}

static const luaL_Reg methods[] = {{"astype", l_astype}, {"compute", l_compute}, {NULL, NULL}};

void fe_open_array_object(lua_State *L, const FeTables *t) {
  lua_pushcfunction(L, l_index);
  lua_setfield(L, t->metatable, "__index");
  lua_pushcfunction(L, l_tostring);
  lua_setfield(L, t->metatable, "__tostring");
  fe_add_functions(L, t->methods, methods);
  lua_pushvalue(L, t->methods);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &METHODS_KEY); /* for l_index */
}
