/* frontend.h: the map of the Lua frontend. Every file's exports are listed under a banner
 * naming that file, lowest layer first; a file calls only files listed above it (the DAG
 * is drawn in frontend/README.md). */
#ifndef CDASK_FRONTEND_H
#define CDASK_FRONTEND_H

#include "cdask.h"

#include <lauxlib.h>
#include <lua.h>
#include <signal.h>
#include <time.h>

/* ---------------------------------------------------------------------------------- */
/* slice.c: NumPy index strings ("::-1, 2, ...") to affine maps. Returns NULL or an error
 * message. Pure: no Lua. */
const char *fe_parse_index(Arena *ar, const char *text, int ndim, const int64_t *shape, Affine *m,
                           int *out_ndim, int64_t *out_shape);

/* ---------------------------------------------------------------------------------- */
/* lua_core.c: what every binding needs: the frontend's context, errors and warnings at the
 * user's line, adding functions to the bindings' tables, arrays as Lua values, and adding
 * nodes to the graph. */

/* An array as Lua sees it: a full userdata holding a node id. */
typedef struct {
  int id;
} LArray;

#define ARRAY_MT "cdask.array"

/* Makes fe the context of L and reads the script's lines (for the comments in the C). */
void fe_set_context(lua_State *L, Frontend *fe);
Frontend *fe_ctx(lua_State *L);
Arena *fe_arena(lua_State *L); /* the graph's arena */
/* The innermost stack level (from 0, the running function) that runs a file chunk. */
bool fe_user_level(lua_State *L, lua_Debug *ar);
/* Prints "file:line: warning: message" (the user's line) to stderr. */
void fe_warning(lua_State *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Raises a Lua error "file:line: message" at the user's line (the innermost frame that
 * runs the user's script), never at a line of cdask's own modules. */
int fe_error(lua_State *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Fills file, line and src of n with the user's current line. */
void fe_locate(lua_State *L, Node *n);

/* Adds the functions fns to the table at (absolute) index table. */
void fe_add_functions(lua_State *L, int table, const luaL_Reg *fns);

Node *fe_node(lua_State *L, int id);
LArray *fe_check_array(lua_State *L, int idx); /* "expected an array, got T" otherwise */
int fe_push_id(lua_State *L, int id);          /* pushes the array of node id; returns 1 */
/* The size limit of every array: the product of its nonzero dimensions times its item size
 * is at most 2^62 bytes, so element and byte offsets (and sums of a few) fit in int64. */
#define FE_MAX_BYTES (INT64_C(1) << 62)
bool fe_shape_fits(int ndim, const int64_t *shape, DType t);
/* Raises "array is too big: ..." at the user's line if the shape is over the limit. */
void fe_check_size(lua_State *L, int ndim, const int64_t *shape, DType t);
/* Adds the node at the user's line, after checking its shape against the size limit. */
int fe_add_node(lua_State *L, Node *proto);
int fe_push_node(lua_State *L, Node *proto); /* adds the node at the user's line, pushes it */

/* ---------------------------------------------------------------------------------- */
/* lua_args.c: reading the arguments of the bindings, with NumPy's and Dask's messages. */
int64_t fe_check_int(lua_State *L, int idx, const char *what);   /* "WHAT must be an integer" */
double fe_check_number(lua_State *L, int idx, const char *what); /* "WHAT must be a number" */
/* The string at idx that what names ("to_npy: the path"): no NUL byte (C would cut it
 * there) and, with utf8, valid UTF-8 (paths and labels go into the JSON manifest). */
const char *fe_check_string(lua_State *L, int idx, const char *what, bool utf8);
/* shape: a table of non-negative integers, or one integer; negative: the message for a
 * negative dimension. Returns the number of dimensions. */
int fe_check_shape(lua_State *L, int idx, int64_t *shape, const char *negative);
/* The dtype named by the value at idx (its name, or a value of another type): an error
 * that lists the dtypes if there is none. */
DType fe_check_dtype(lua_State *L, int idx);
/* The options table at idx (nil or none: 0) as an absolute index. */
int fe_options(lua_State *L, int idx);
/* The options table at idx as fe_options gives it, after checking that each of its keys is
 * one of names (space-separated): any other is pandas' TypeError for an unexpected keyword
 * argument, so that a misspelt option is never silently ignored (what: the function) */
int fe_named_options(lua_State *L, int idx, const char *what, const char *names);
/* opts[key], a boolean (else an error naming what), or dflt if it or opts is absent */
bool fe_bool_option(lua_State *L, int opts, const char *key, const char *what, bool dflt);
/* opts.dtype (opts: an index from fe_options), or dflt if it or opts is absent. */
DType fe_dtype_option(lua_State *L, int opts, DType dflt);
/* chunks at idx (nil, "auto", a number, or a table of numbers or explicit chunk tuples) */
void fe_parse_chunks(lua_State *L, int idx, int ndim, const int64_t *shape, int64_t *chunk);
void fe_chunks_option(lua_State *L, int opts, int ndim, const int64_t *shape, int64_t *chunk);

/* The one axis normaliser. An axis is an integer in [-ndim, ndim), negative ones counting
 * from the end; out of range is NumPy's "axis A is out of bounds for array of dimension N".
 * A value that is not an integer is "WHAT must be EXPECTED, got TYPE", each binding naming
 * its argument its own way. */
typedef struct {
  const char *what;     /* "axis", "every axis", "axes" */
  const char *expected; /* "an integer", "an integer or a table of integers", "integers" */
} FeAxisWords;
int fe_axis(lua_State *L, int idx, int ndim, const FeAxisWords *words); /* in [0, ndim) */
/* The first n entries of the table at idx, each an axis, into axes (if not NULL), in
 * order. dup: the error for an axis given twice, or NULL to let the caller check later.
 * Returns them as a bit set. */
unsigned fe_axis_table(lua_State *L, int idx, int n, int ndim, const FeAxisWords *words,
                       const char *dup, int *axes);
/* The axis argument at idx (an integer or a table of integers) as a bit set over ndim
 * axes; dup: NumPy's message for an axis given twice. */
unsigned fe_axes(lua_State *L, int idx, int ndim, const char *dup);

/* ---------------------------------------------------------------------------------- */
/* lua_nodes.c: the node builders every feature shares, with NumPy's rules. */
/* NumPy's promotion among bool < int32 < int64 < float32 < float64 < complex64 < complex128
 * (an integer with float32 needs float64, with complex64 complex128). */
DType fe_promote(DType a, DType b);
int fe_cast(lua_State *L, int id, DType t); /* astype: id itself if already of dtype t */
/* The view of id through the affine map m, of the given shape (chunks follow the map). */
int fe_view(lua_State *L, int id, const Affine *m, int ndim, const int64_t *shape);
int fe_broadcast_to(lua_State *L, int id, int ndim, const int64_t *shape);

/* ---------------------------------------------------------------------------------- */
/* lua_complex.c: the parts of complex numbers: real, imag, conj, angle. */
bool fe_is_complex_part(Op op); /* op is one of them (they take arrays only) */
int fe_unary_complex(lua_State *L, Op op, int id);

/* ---------------------------------------------------------------------------------- */
/* The Lua tables a feature file adds its functions to (absolute stack indices), made by
 * lua_module.c. */
typedef struct {
  int module;    /* cdask.array (da) */
  int random;    /* da.random */
  int methods;   /* the methods of arrays (x:sum()) */
  int metatable; /* the metatable of arrays (ARRAY_MT: operators) */
} FeTables;

/* ---------------------------------------------------------------------------------- */
/* lua_elementwise.c: elementwise operations with NumPy's broadcasting and promotion. */
/* NumPy's broadcasting of shapes a and b into out (false if they do not broadcast; out
 * is neither a nor b). */
bool fe_broadcast_shapes(int na, const int64_t *a, int nb, const int64_t *b, int *nout,
                         int64_t *out);
int fe_binary(lua_State *L, Op op, int ia, int ib); /* operands: arrays or numbers */
int fe_unary(lua_State *L, Op op, int ia);
int fe_where(lua_State *L, int ic, int ia, int ib);
/* bool array: x != x where nan (true at NaN), else x == x; constant for integers and bools */
int fe_isnan(lua_State *L, int id, bool nan);
int fe_to_bool(lua_State *L, int id);             /* x != 0, NumPy's truth value */
int fe_zeros_like(lua_State *L, int id, DType t); /* shape and chunks of id */
void fe_open_elementwise(lua_State *L, const FeTables *t);

/* ---------------------------------------------------------------------------------- */
/* lua_views.c: transpose, squeeze, expand_dims, broadcast_to, NumPy index strings. */
int fe_transpose(lua_State *L, int id);               /* x.T: the axes reversed */
int fe_index(lua_State *L, int id, const char *text); /* x["::-1, 2"] */
void fe_open_views(lua_State *L, const FeTables *t);

/* ---------------------------------------------------------------------------------- */
/* lua_creation.c: ones, zeros, full, arange, linspace, random.*, from_npy. */
void fe_open_creation(lua_State *L, const FeTables *t);

/* lua_outputs.c: to_npy, print. */
void fe_open_outputs(lua_State *L, const FeTables *t);

/* lua_reduce.c: sum, mean, ..., var, std, nan* as methods and functions. */
void fe_open_reductions(lua_State *L, const FeTables *t);

/* lua_shape.c: rechunk, reshape, ravel, concatenate, stack, cumsum, cumprod. */
/* concatenation of n arrays of one rank along axis ax, after NumPy's checks */
int fe_concat(lua_State *L, const int *ids, int n, int ax);
void fe_open_shape(lua_State *L, const FeTables *t);

/* lua_fft.c: the da.fft module (numpy.fft's functions and norms). */
void fe_open_fft(lua_State *L, const FeTables *t);

/* lua_array.c: the array object: attributes, methods and indexing (__index), Dask's repr
 * (__tostring), astype, compute. */
void fe_open_array_object(lua_State *L, const FeTables *t);

/* lua_kernels.c: cd.cfile (a C file read with libclang) and kernel objects. */
#define KERNEL_MT "cdask.kernel"
int fe_push_kernel(lua_State *L, int k);
int fe_test_kernel(lua_State *L, int idx); /* the kernel at idx, or -1 if it is none */
const Kernel *fe_kernel(lua_State *L, int k);
void fe_open_kernels(lua_State *L, int cdask); /* into the cdask module's table */

/* lua_call.c: calling a kernel object from Lua: a scalar kernel is an elementwise function
 * (OP_CALL, NumPy's broadcasting and casting to its parameter types). */
void fe_open_kernel_calls(lua_State *L); /* sets KERNEL_MT's __call */
/* Raises the error of NumPy's casting rules if the value at idx (an array, a number or a
 * boolean) cannot be passed safely to parameter param of k (argno: its place in the call,
 * for the message); anything else is left to the caller. */
void fe_check_kernel_arg(lua_State *L, const Kernel *k, int idx, int param, int argno);
/* NumPy's broadcasting of the shapes of the arrays at stack indices first..last (other
 * values are numbers: 0-d) into shape; returns the rank. "shapes ... do not broadcast". */
int fe_broadcast_args(lua_State *L, int first, int last, int64_t *shape);

/* lua_trace.c: Lua functions traced into the graph: da.vectorize(f) (f a Lua function or a
 * kernel); comparisons of arrays (<, <=, ==: Lua makes their results booleans) raise an
 * error at the user's line instead of tracing one branch silently. */
void fe_open_trace(lua_State *L, const FeTables *t);

/* lua_delayed.c: cd.delayed (kernel calls as tasks, Lua functions traced), cd.print and
 * da.from_delayed, into the cdask module (table index cdask) and da (index da). */
void fe_open_delayed(lua_State *L, int cdask, int da);

/* lua_blocks.c: da.map_blocks, da.map_overlap (C block kernels, traced Lua functions). */
void fe_open_blocks(lua_State *L, const FeTables *t);

/* lua_diagnostics.c: visualize and callbacks, into the table at (absolute) index table
 * (da, and the cdask module). */
void fe_open_diagnostics(lua_State *L, int table);

/* ---------------------------------------------------------------------------------- */
/* lua_module.c: the cdask.array and cdask modules, in package.preload. */
/* ---------------------------------------------------------------------------------- */
/* lua_frame.c: the dataframe objects (cdask.dataframe): a DataFrame is columns (table.c's
 * expressions) of one source under a row mask; a Series one of them, or a computed result
 * (value_counts, a groupby's); a Scalar a reduction's result. */
#define FRAME_MT "cdask.dataframe.DataFrame"
#define SERIES_MT "cdask.dataframe.Series"
#define SCALAR_MT "cdask.dataframe.Scalar"
#define STRACC_MT "cdask.dataframe.StringMethods"

typedef struct {
  int src, ncols;
  int *cols; /* expressions */
  const char **names;
  int mask;         /* -1: every row */
  int64_t limit;    /* head(n): -1 all */
  const char *path; /* JSON records: the nested object's path (CDRT_JSON_SEP), NULL the top */
  int items;        /* a list's objects (flatten's records): their TX_EACH + 1; 0: lines' */
} LFrame;
typedef struct {
  int src, expr; /* expr -1: a computed Series (result) */
  const char *name;
  int mask;
  int64_t limit;
  int result; /* value_counts: its result; else -1 */
  /* pandas' Index: 1 x.index (x's labels), 2 one computed from it (df.index.hour); printed
   * or written as :to_series() */
  signed char index;
} LSeries;
typedef struct {
  int result, type;
  const char *what;
} LScalar;
Graph *fe_df_graph(lua_State *L);
Tables *fe_df_tables(lua_State *L);
void fe_df_locate(lua_State *L, const char **file, int *line); /* the user's line */
LFrame *fe_df_push_frame(lua_State *L);                        /* every field -1 or 0: fill it */
LSeries *fe_df_push_series(lua_State *L, int src, int expr, const char *name, int mask);
int fe_df_push_index(lua_State *L, int idx); /* x.index of the frame or Series at idx */
int fe_df_index_to_series(lua_State *L);     /* ix:to_series(), ix at 1 */
int fe_df_push_scalar(lua_State *L, int result, int type, const char *what);
LFrame *fe_df_check_frame(lua_State *L, int i);
/* Field key of f, a frame of JSON records (db.read_json_lines), that is a nested object: a
 * frame of its fields pushed (1); an array or an object nested too deep: an error; else 0 */
int fe_df_json_object(lua_State *L, const LFrame *f, const char *key);
/* g's columns: the fields of g's objects (g->items: of a list's objects, g->path theirs) */
void fe_df_json_item_columns(lua_State *L, LFrame *g);
/* A path's part below the objects of the list the TX_EACH each flattens ("": the objects) */
const char *fe_df_json_item_path(const Tables *t, int each, const char *path);
LSeries *fe_df_check_series(lua_State *L, int i);
LSeries *fe_df_check_values(lua_State *L, int i, const char *what); /* not a computed one */
int fe_df_add_expr(lua_State *L, TExpr x);
/* An error at the user's line when expression x reads a JSON list field as it is (only
 * its length, repr, items and isna are supported: table_json_list) */
void fe_df_check_list(lua_State *L, int x, const char *what); /* what: NULL, none */
const char *fe_df_type_label(int t);               /* pandas' dtype name: "object" for str */
const char *fe_df_expr_label(lua_State *L, int x); /* the same of expression x: "category" too */
/* A copy of the str expression x of source src as pandas' category (its categories: the
 * value_counts of it over every row, a new result) */
int fe_df_categorize(lua_State *L, int src, int x, const char *name);
/* A bag's function is being traced (bag.lua, db._tracing): delta added to the depth of
 * such calls; then tostring of a Series, Scalar or frame is an error, not Dask's repr */
int fe_df_tracing(lua_State *L, int delta);
void fe_df_check_tostring(lua_State *L); /* that error at the user's line, while tracing */
int fe_df_partition_tracing(lua_State *L, int delta); /* map_partitions' depth */
/* what (an operation over rows) refused while tracing a function (row_local: allowed in
 * map_partitions' function) */
void fe_df_refuse_traced(lua_State *L, const char *what, bool row_local);
/* lua_frame_apply.c: s:map(f), s:apply(f), df:apply(f, {axis = 1}), x:map_partitions(f) */
int fe_df_apply_op(lua_State *L, const char *key, bool frame);
/* lua_frame_query.c: df:query(expr [, {local_dict}]) */
int fe_df_query(lua_State *L);
int fe_df_eval(lua_State *L); /* df:eval(expr [, {local_dict}]) */
/* Whether expression x may hold a missing value: a column the sample saw one in (a
 * column read without a sample: no), what is made of such a column, any other result of
 * arithmetic. pandas' dtype of s.str.len() and s.dt.year depends on it. */
bool fe_df_may_be_missing(lua_State *L, int x);
/* The expression of the Lua number (int64 or float64), boolean or string at i, a constant */
int fe_df_constant(lua_State *L, int i);
/* assign's columns at idx, {c = v} (one: a Lua table has no order) or {{"c", v}, ...}:
 * their number (*ordered: given as pairs); then pair i pushed as its name (returned, in
 * the arena) and value, with *npop values to pop after */
int fe_df_assign_count(lua_State *L, int idx, bool *ordered);
const char *fe_df_assign_pair(lua_State *L, int idx, int i, bool ordered, int *npop);
/* df:assign of the lazy frame f with computed values: its rows collected, then names[k]
 * assigned each exprs[k] (an expression of the frame) or results[k] (a Series of its
 * rows, >= 0) in turn; pushes the computed frame */
int fe_df_assign_rows(lua_State *L, const LFrame *f, int n, const char **names, const int *exprs,
                      const int *results);
/* The metatable name with __index and __tostring, left on the stack */
void fe_df_metatable(lua_State *L, const char *name, lua_CFunction index, lua_CFunction tostring);
/* "a, b, c" (a NULL name as "?"), for messages that list a frame's columns */
const char *fe_df_name_list(lua_State *L, const char *const *names, int n);
int fe_df_result_add(lua_State *L, TResult r);          /* at the user's line */
int fe_df_rows_of(lua_State *L, int idx);               /* a frame's or Series' rows: a result */
int fe_df_rows_for(lua_State *L, int idx, bool merged); /* ..., made for a merge if merged */

/* lua_frame_ops.c: what needs a frame's rows (TR_POST results): sort_values, nlargest,
 * nsmallest, drop_duplicates, median, describe, and head or columns of a computed frame.
 * Pushes the method named key for a frame or Series (1), or nothing (0). */
int fe_df_frame_op(lua_State *L, const char *key);
/* The computed result r pushed as a Series (or frame), or as a Scalar labelled what */
int fe_df_push_computed(lua_State *L, int r, const char *what);
/* lua_str_regex.c: str.contains (anchor 0), match (CDRT_RX_START) and fullmatch
 * (CDRT_RX_FULL) of a regular expression, the pattern at arg (options at arg + 1): the Series
 * pushed, or -1 when the pattern is a plain substring (contains' own search); and str.replace
 * of one (count <= 0: all; opts: its options' index, 0 none), or -1 for a pattern of one
 * character, which pandas 1.5 replaces literally */
int fe_df_str_search(lua_State *L, const LSeries *s, int arg, int anchor, const char *what);
int fe_df_str_sub(lua_State *L, const LSeries *s, int arg, int64_t count, int opts);
int fe_df_str_count(lua_State *L, const LSeries *s, int arg);   /* str.count(pat) */
int fe_df_str_extract(lua_State *L, const LSeries *s, int arg); /* str.extract(pat, {expand}) */
/* lua_str_pad.c: str accessor methods zfill, get, find, rfind, pad, ljust, rjust, center:
 * pushes the method key of the accessor at 1 (a closure over it), or returns 0 */
int fe_df_str_more(lua_State *L, const char *key);
/* (lua_frame.c) A str accessor method's Series (its upvalue), and at *arg the index of its first
 * argument (a colon call passes the accessor first) */
LSeries *fe_df_str_series(lua_State *L, int *arg);
/* s.str:split(sep): the lists, for .str:get(i) and .str:len() (lua_str_split.c) */
int fe_df_str_split(lua_State *L);
/* lua_frame_window.c: cumsum, cumprod, cummax, cummin, diff, shift and rolling of a frame's
 * or Series' rows: the method named key pushed (1), or 0; fe_open_window makes Rolling's
 * metatable */
int fe_df_window_op(lua_State *L, const char *key);
/* The row-wise window operation name's spec (cumsum, cumprod, cummax, cummin, diff, shift,
 * ffill, bfill, pct_change) from its arguments at 2 and after; false: no such operation */
bool fe_df_window_spec(lua_State *L, const char *name, cdrt_window *w);
/* s:fillna(nil, {method, limit}) of the frame or Series at 1: its ffill or bfill, pushed */
int fe_df_fillna_method(lua_State *L);
/* Adds the FOP_WINDOW result q (grouped where q.nkeys) after checking its columns' types */
int fe_df_window_add(lua_State *L, TResult q);
int fe_df_normalized(lua_State *L, int r); /* value_counts{normalize = true} of counts r */
/* lua_frame_shape.c: #df (fe_df_len, the __len of frames and Series: Dask's len, a Scalar),
 * and the attributes shape and dtypes of the frame or Series at idx (series: a Series,
 * which has no dtypes): pushed (1), or 0 for another key */
int fe_df_len(lua_State *L);
int fe_df_shape_attribute(lua_State *L, int idx, const char *key, bool series);
void fe_open_frame_shape(lua_State *L);
void fe_open_window(lua_State *L);
/* lua_series_ops.c: a Series' between, isin, clip, abs, round, where, mask and dropna, and
 * a frame's dropna, fillna, rename, drop and astype: the method named key pushed (1), or
 * 0 */
int fe_df_series_op(lua_State *L, const char *key);
int fe_df_map_table(lua_State *L); /* s:map{[key] = value} */
int fe_df_frame_method(lua_State *L, const char *key);
/* t[key] of the computed result at 1 (a frame): head, a column or a list of columns;
 * pushes it (1) or nothing (0) when key names none */
int fe_df_computed_index(lua_State *L, int result);
/* r.v1 - r.v2 and the like (operands 1 and 2): columns of one computed frame, or numbers */
int fe_df_computed_binary(lua_State *L, Op op);
int fe_df_computed_not(lua_State *L); /* ~ of a computed Series of bools */
/* + - * / ^ and unary - of Scalars (and numbers) into the Scalar metatable at mt: results
 * computed after the scans, with NumPy's scalar arithmetic */
void fe_df_scalar_arithmetic(lua_State *L, int mt);
/* the methods of computed frames and Series only (assign; sum, mean, min, max, count, std,
 * var of a computed Series): pushes it (1) or nothing (0) */
int fe_df_computed_method(lua_State *L, const char *key);
/* The reduction rop (sum, mean, min, max, count, std, var) of the first rows of the Series
 * at 1 (s:head(n):sum()): a Scalar */
int fe_df_reduce_head(lua_State *L, int rop, const char *what);
/* Python's accumulate of the Series at 1 by rop (CDRT_AGG_SUM, MAX, MIN), seeded with the
 * number at 2 unless it is nil: a computed Series */
int fe_df_accumulate(lua_State *L, int rop);
/* An output file's name (what: "to_csv"): one the program may write, and not yet written;
 * else an error at the script's line */
void fe_df_check_out_path(lua_State *L, const char *path, const char *what);

/* lua_merge.c: dd.merge(left, right, {on, left_on, right_on, how, suffixes}) and
 * left:merge(right, ...): pandas' merge of two frames (a FOP_MERGE result), pushed */
int fe_df_merge(lua_State *L);
/* lua_concat.c: dd.concat({a, b, ...}, {ignore_index}): pandas' concat along the rows */
int fe_df_concat(lua_State *L);

/* lua_datetime.c: datetime64 and timedelta64 Series. s.dt (pushes the accessor; an error
 * for another type); fe_df_nat_operands: -1 when neither operand of op is a datetime or
 * timedelta, else the result's type (pandas' arithmetic; a comparison's string constant
 * parsed as the other side's type) or an error; an error when type is datetime64 or
 * timedelta64 (what: the operation refused); (lua_frame.c) the dd.Timedelta at i as a constant
 * expression, or -1. */
#define TIMEDELTA_MT "cdask.dataframe.Timedelta"
int fe_df_dt_accessor(lua_State *L, const LSeries *s);
bool fe_df_dt_field(const char *key); /* a field of .dt (year, month, ... dayofyear) */
int fe_df_nat_operands(lua_State *L, Op op, int *a, int *b);
void fe_df_datetime_refuse(lua_State *L, int type, const char *what);
/* Whether reduction rop (CDRT_AGG_*) of a Series of type is built for datetimes or timedeltas
 * beyond count, min and max: sum and mean of timedeltas, mean of datetimes */
bool fe_df_nat_reduces(int type, int rop);
int fe_df_timedelta_constant(lua_State *L, int i);
int fe_df_timedelta(lua_State *L); /* dd.Timedelta */
void fe_open_datetime(lua_State *L);

/* lua_from_arrays.c: dd.from_arrays and dd.date_range (into the dd table at module);
 * the mask (an expression) selecting the rows of from_arrays source src whose index
 * labels lie between the values at lo and hi, inclusive (nil: open; hi none: the period
 * the date string at lo names) */
void fe_open_from_arrays(lua_State *L, int module);
int fe_df_label_mask(lua_State *L, int src, int lo, int hi);
/* The period the date string s names, [*lo, *hi] in ns, and its resolution (pandas'
 * parsing with resolution: "2021" a year, "2021-10" a month, "2021-10-09 5:00" a minute) */
int fe_df_parse_period(lua_State *L, const char *s, int64_t *lo, int64_t *hi);
/* A fixed frequency ("1h", "15min", "1.5H", "D") as ns, and pandas' freqstr of it ("H",
 * "15T", "90T"); errors begin with what */
int64_t fe_df_parse_freq(lua_State *L, const char *freq, const char **freqstr, const char *what);

/* lua_to_array.c: x:to_array{lengths, chunks} (and to_dask_array) of the Series, frame
 * or Scalar x at 1: its values as a cdask.array (an INPUT node of the result), pushed */
int fe_df_to_array(lua_State *L);

/* lua_groupby.c: df:groupby(keys, {sort, dropna, as_index}) and its aggregations */
int fe_df_groupby(lua_State *L);
int fe_df_resample(
    lua_State *L); /* df:resample(freq, {on}): a GroupBy whose result has every bin */
void fe_open_groupby(lua_State *L);

/* lua_dataframe.c: the cdask.dataframe module (dd): read_csv, DataFrame and Series objects
 * (table.c's expressions and results), dd.print and dd.to_csv. Pushes the module. */
int fe_open_dataframe(lua_State *L);
/* The files glob pattern matches, sorted as Dask sorts them; none: an error (what: the
 * function, "read_csv") */
const char **fe_glob_files(lua_State *L, const char *pattern, const char *what, int *n);
void fe_preload_modules(lua_State *L);

/* lua_bag.c: the cdask.bag module (db): frontend/bag.lua's Bag object on Series, and its C
 * helpers (from_sequence's values, db.print as Python's list); in package.preload */
void fe_preload_bag(lua_State *L);

/* lua_bag_files.c: db._read_text and db._read_json (the bag module's sources of files) */
int fe_bag_read_text(lua_State *L);
int fe_bag_read_json(lua_State *L);
/* Dask's read_bytes blocks of read_text source src (read with a blocksize), into its
 * dask_start and dask_first (to_textfiles writes a file per block) */
void fe_bag_dask_blocks(lua_State *L, TSource *src);

/* ---------------------------------------------------------------------------------- */
/* lua_limits.c: the script's budget of CPU time and memory */
typedef struct {
  const char *script; /* for messages without a line */
  double seconds;     /* CPU seconds the script may run (0: no limit) */
  int64_t bytes;      /* bytes its Lua state may hold (0: no limit) */
  size_t used;        /* bytes it holds */
  double start;       /* the thread's CPU clock when the script started */
  bool over;          /* it ran out of time: it ends, pcall cannot catch that */
  bool refused;       /* the allocator refused the latest growth */
  /* the user's "file:line" at the latest count event */
  const char *where_source;
  int where_line;
  char where[320];
  volatile sig_atomic_t noting; /* where is being written (for the signal handler) */
  char over_text[96];           /* "the script ran for more than 60 s (--lua-time-limit)" */
  char msg[440];                /* "file:line: error: " and over_text */
  /* the CPU timer behind the count hook */
  bool watching;
  timer_t timer;
  struct sigaction old_action;
} FeLimits;
lua_State *fe_limited_state(FeLimits *lim); /* a Lua state whose allocator keeps to lim */
/* Sets the hook and the CPU timer and makes pcall and co. re-raise the time limit's error. */
void fe_limits_start(lua_State *L, FeLimits *lim);
void fe_limits_stop(FeLimits *lim); /* the timer, before lim goes */
/* The error message if the script ended because of a limit (status: lua_pcall's). */
bool fe_limits_message(const FeLimits *lim, int status, char *err, size_t n);

/* lua_sandbox.c: the standard library as a pipeline script sees it (sandboxed unless
 * unsafe), with package.path in the script's directory and reproducible randomness. */
void fe_open_stdlib(lua_State *L, const char *script, bool unsafe);

/* lua_run.c: fe_run (cdask.h), the top: the Lua state, the script, its error message. */

#endif
