/* lua_trace.c: Lua functions traced into the graph, and the tracing mistakes made errors.
 *
 * da.vectorize(f), f a Lua function, is a function that calls f once, at compile time,
 * with its own arguments (arrays as they are, numbers as they are): what f builds with
 * arrays is ordinary IR, fused like anything else. Its results are broadcast, as
 * numpy.vectorize's, to the shape of the arguments broadcast together; a number it returns
 * becomes a constant array of that shape. da.vectorize(k.f) of a kernel is the kernel
 * (calling a scalar kernel is already elementwise, lua_call.c).
 *
 * Tracing sees what f does with arrays, not what Lua decides: a comparison of arrays
 * (<, <=, >, >=, ==, ~=) calls __lt, __le or __eq, whose result Lua turns into a boolean,
 * so `if x < y then` would trace one branch only, silently. Those metamethods raise an
 * error at the user's line, naming da.less & co. and da.where. What cannot be caught,
 * because Lua asks no metamethod: truthiness (`if x then`, `x and y`, `x or y`, `not x`:
 * every array is true), `x == 0` with a number (false), `x == x` on the same array (true),
 * and `for i = 1, x` (Lua's own error); math.* functions reject arrays with Lua's error. */
#include "frontend.h"

static int comparison_error(lua_State *L, const char *ops, const char *fn, const char *method,
                            const char *other_fn, const char *other_method) {
  return fe_error(L,
                  "comparison of arrays with %s cannot be traced (Lua makes it a boolean); use "
                  "da.%s(x, y) or x:%s(y) (da.%s, x:%s), and da.where for a choice",
                  ops, fn, method, other_fn, other_method);
}

/* Lua calls __lt for a < b and for a > b (as b < a), __le for <= and >=, __eq for == and
 * ~= (between two arrays only): which one was written is not known here. */
static int l_lt(lua_State *L) {
  return comparison_error(L, "'<' or '>'", "less", "lt", "greater", "gt");
}
static int l_le(lua_State *L) {
  return comparison_error(L, "'<=' or '>='", "less_equal", "le", "greater_equal", "ge");
}
static int l_eq(lua_State *L) {
  return comparison_error(L, "'==' or '~='", "equal", "eq", "not_equal", "ne");
}

/* A result of the traced function as an array of the arguments' broadcast shape. */
static int result_node(lua_State *L, int idx, int i, int ndim, const int64_t *shape) {
  if (luaL_testudata(L, idx, ARRAY_MT))
    return fe_broadcast_to(L, fe_check_array(L, idx)->id, ndim, shape);
  int t = lua_type(L, idx);
  if (t != LUA_TNUMBER && t != LUA_TBOOLEAN)
    fe_error(L, "da.vectorize: result %d of the function is %s; it must return arrays or numbers",
             i, luaL_typename(L, idx));
  DType from = t == LUA_TBOOLEAN ? CDRT_BOOL : lua_isinteger(L, idx) ? CDRT_INT64 : CDRT_FLOAT64;
  Node n = {.op = OP_FULL, .dtype = from, .ndim = ndim};
  for (int d = 0; d < ndim; d++) n.shape[d] = shape[d], n.chunk[d] = shape[d] > 0 ? shape[d] : 1;
  lua_Integer iv = t == LUA_TBOOLEAN       ? lua_toboolean(L, idx)
                   : lua_isinteger(L, idx) ? lua_tointeger(L, idx)
                                           : 0;
  full_value(&n, from, iv, t == LUA_TNUMBER ? lua_tonumber(L, idx) : (double)iv);
  return fe_add_node(L, &n);
}

/* The vectorized function (f in upvalue 1) called with the arguments on the stack. */
static int l_vectorized(lua_State *L) {
  int nargs = lua_gettop(L);
  for (int i = 1; i <= nargs; i++) {
    int t = lua_type(L, i);
    if (!luaL_testudata(L, i, ARRAY_MT) && t != LUA_TNUMBER && t != LUA_TBOOLEAN)
      fe_error(L, "da.vectorize: argument %d must be an array or a number, got %s", i,
               luaL_typename(L, i));
  }
  int64_t shape[MAXDIM];
  int ndim = fe_broadcast_args(L, 1, nargs, shape);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, nargs, LUA_MULTRET); /* the trace: f's own errors name f's lines */
  int nres = lua_gettop(L);
  if (nres == 0)
    fe_error(L, "da.vectorize: the function returned nothing (arrays or numbers expected)");
  for (int i = 1; i <= nres; i++) {
    fe_push_id(L, result_node(L, i, i, ndim, shape));
    lua_replace(L, i);
  }
  return nres;
}

/* da.vectorize(f): a traced Lua function, or a kernel as it is. */
static int l_vectorize(lua_State *L) {
  if (fe_test_kernel(L, 1) >= 0) {
    lua_settop(L, 1);
    return 1;
  }
  if (lua_type(L, 1) != LUA_TFUNCTION)
    fe_error(L, "da.vectorize: expected a Lua function or a kernel (k.f), got %s",
             luaL_typename(L, 1));
  lua_settop(L, 1);
  lua_pushcclosure(L, l_vectorized, 1);
  return 1;
}

void fe_open_trace(lua_State *L, const FeTables *t) {
  static const luaL_Reg metamethods[] = {
      {"__lt", l_lt}, {"__le", l_le}, {"__eq", l_eq}, {NULL, NULL}};
  fe_add_functions(L, t->metatable, metamethods);
  static const luaL_Reg functions[] = {{"vectorize", l_vectorize}, {NULL, NULL}};
  fe_add_functions(L, t->module, functions);
}
