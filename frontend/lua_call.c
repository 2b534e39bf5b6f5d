/* lua_call.c: calling a kernel object (contract: frontend.h, lua_call.c). */
#include "frontend.h"

static int l_kernel_call(lua_State *L) {
  const Kernel *k = fe_kernel(L, fe_test_kernel(L, 1));
  return fe_error(L, "kernel '%s' (%s:%d) cannot be called yet", k->name, k->file, k->line);
}

void fe_open_kernel_calls(lua_State *L) {
  luaL_getmetatable(L, KERNEL_MT);
  lua_pushcfunction(L, l_kernel_call);
  lua_setfield(L, -2, "__call");
  lua_pop(L, 1);
}
