/* lua_to_array.c: to_array, and Dask's name to_dask_array (frontend.h, "lua_to_array.c"):
 * the values of a Series, a DataFrame or a Scalar as a cdask.array. The array is an INPUT
 * node that reads the result once the CSV scans ran (Node.from_result; the program fills
 * it before the array groups). cdask arrays have the shapes they are compiled with, so the
 * rows must be known while compiling: a frame of every row of a file read whole (sample =
 * "all"), sorted, cut with head or given columns; else the script says how many with
 * lengths = N, as Dask's to_dask_array(lengths=...) does. The program checks the number. */
#include "frontend.h"

#include <string.h>

/* The dtype of the values of columns of types t[0, n): NumPy's of pandas' .values (int64,
 * float64, bool; int64 with float64 is float64); what cannot be one is an error */
static DType values_dtype(lua_State *L, const int *t, const char *const *names, int n) {
  DType d = CDRT_BOOL;
  for (int k = 0; k < n; k++) {
    if (t[k] != CDRT_COL_INT64 && t[k] != CDRT_COL_FLOAT64 && t[k] != CDRT_COL_BOOL)
      fe_error(L, "to_array takes numbers and bools; column '%s' is %s",
               names && names[k] ? names[k] : "?", fe_df_type_label(t[k]));
    DType c = t[k] == CDRT_COL_INT64     ? CDRT_INT64
              : t[k] == CDRT_COL_FLOAT64 ? CDRT_FLOAT64
                                         : CDRT_BOOL;
    if ((c == CDRT_BOOL) != (d == CDRT_BOOL) && k > 0)
      fe_error(L,
               "to_array: column '%s' is %s and another is %s: pandas' values would be "
               "objects (pick the columns, or astype them to one type)",
               names && names[k] ? names[k] : "?", fe_df_type_label(t[k]),
               c == CDRT_BOOL ? "a number" : "bool");
    d = k == 0 ? c : fe_promote(d, c);
  }
  return d;
}

/* The rows: opts.lengths (a number: checked when the program runs; true: known now), or
 * what the compiler knows. *why: for the program's message. */
static int64_t rows_of(lua_State *L, int opts, int result, const char **why) {
  int64_t known = table_result_rows(fe_df_graph(L), result);
  if (opts) lua_getfield(L, opts, "lengths");
  int lengths = opts ? lua_gettop(L) : 0;
  if (lengths && lua_isinteger(L, lengths)) {
    int64_t n = lua_tointeger(L, lengths);
    if (n < 0)
      fe_error(L, "to_array: lengths must be a non-negative integer, got %lld", (long long)n);
    lua_pop(L, 1);
    *why = arena_printf(fe_arena(L), "lengths = %lld", (long long)n);
    return n;
  }
  if (lengths && !lua_isnil(L, lengths) && !lua_isboolean(L, lengths))
    fe_error(L, "to_array: lengths must be the number of rows (an integer) or true, got %s",
             luaL_typename(L, lengths));
  if (lengths) lua_pop(L, 1);
  if (known < 0)
    fe_error(L, "to_array: the rows of this frame are known only when the program runs (a "
                "filter, a groupby, or a file sampled in part), and cdask arrays have the "
                "shapes they are compiled with: pass lengths = N (checked when the program runs), "
                "or read the file with sample = \"all\"");
  *why = "the rows known while compiling";
  return known;
}

int fe_df_to_array(lua_State *L) {
  Graph *g = fe_df_graph(L);
  int opts = fe_options(L, 2);
  LScalar *sc = luaL_testudata(L, 1, SCALAR_MT);
  if (!sc && !luaL_testudata(L, 1, SERIES_MT) && !luaL_testudata(L, 1, FRAME_MT))
    fe_error(L, "to_array: expected a DataFrame, a Series or a Scalar, got %s",
             luaL_typename(L, 1));
  int result = sc ? sc->result : fe_df_rows_of(L, 1);
  if (table_result_after_arrays(&g->tables, result))
    fe_error(L, "to_array: this frame is made of arrays (dd.from_arrays), which are computed "
                "after the CSV files are read; use those arrays");
  TShape sh = table_result_shape(g, result);
  if (sh.multi) fe_error(L, "to_array: a frame with MultiIndex columns is not supported");
  Node n = {.op = OP_INPUT, .name = "to_array", .from_result = result + 1};
  int64_t user_shape[MAXDIM] = {0}, user_chunk[MAXDIM];
  if (sh.scalar) {
    n.dtype = values_dtype(L, &sh.type, NULL, 1);
    n.why = "a scalar";
  } else {
    n.dtype = values_dtype(L, sh.types, sh.names, sh.ncols);
    n.ndim = sh.series ? 1 : 2;
    user_shape[0] = rows_of(L, opts, result, &n.why);
    user_shape[1] = sh.ncols;
    fe_check_size(L, n.ndim, user_shape, n.dtype);
  }
  fe_chunks_option(L, opts, n.ndim, user_shape, user_chunk);
  for (int d = 0; d < n.ndim; d++) n.shape[d] = user_shape[d], n.chunk[d] = user_chunk[d];
  fe_locate(L, &n);
  n.str = arena_printf(fe_arena(L), "to_array at %s:%d", n.file, n.line);
  n.slot = g->ninputs++; /* only now: an error above leaves no input behind */
  return fe_push_id(L, graph_add(g, &n));
}
