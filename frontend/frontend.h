/* frontend.h: the pieces of the Lua frontend, shared by its files. */
#ifndef CDASK_FRONTEND_H
#define CDASK_FRONTEND_H

#include "cdask.h"

#include <lauxlib.h>
#include <lua.h>
#include <signal.h>
#include <time.h>

/* An array as Lua sees it: a full userdata holding a node id. */
typedef struct {
  int id;
} LArray;

#define ARRAY_MT "cdask.array"

/* lua_front.c */
Frontend *fe_ctx(lua_State *L);
/* The innermost stack level (from 0, the running function) that runs a file chunk. */
bool fe_user_level(lua_State *L, lua_Debug *ar);
/* Prints "file:line: warning: message" (the user's line) to stderr. */
void fe_warning(lua_State *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Raises a Lua error "file:line: message" at the user's line (the innermost frame that
 * runs the user's script), never at a line of cdask's own modules. */
int fe_error(lua_State *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Fills file, line and src of n with the user's current line. */
void fe_locate(lua_State *L, Node *n);

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

/* lua_array.c */
int fe_open_array(lua_State *L); /* the cdask.array module */
Node *fe_node(lua_State *L, int id);
LArray *fe_check_array(lua_State *L, int idx);
/* The size limit of every array: the product of its nonzero dimensions times its item size
 * is at most 2^62 bytes, so element and byte offsets (and sums of a few) fit in int64. */
#define FE_MAX_BYTES (INT64_C(1) << 62)
bool fe_shape_fits(int ndim, const int64_t *shape, DType t);
/* Raises "array is too big: ..." at the user's line if the shape is over the limit. */
void fe_check_size(lua_State *L, int ndim, const int64_t *shape, DType t);
/* Adds the node at the user's line, after checking its shape against the size limit. */
int fe_add_node(lua_State *L, Node *proto);
int fe_push_node(lua_State *L, Node *proto); /* adds the node at the user's line, pushes it */
int fe_push_id(lua_State *L, int id);
/* chunks at idx (nil, "auto", a number, or a table of numbers or explicit chunk tuples) */
void fe_parse_chunks(lua_State *L, int idx, int ndim, const int64_t *shape, int64_t *chunk);
int64_t fe_check_int(lua_State *L, int idx, const char *what);
int fe_check_shape(lua_State *L, int idx, int64_t *shape, const char *negative);
/* The string at idx that what names ("to_npy: the path"): no NUL byte (C would cut it
 * there) and, with utf8, valid UTF-8 (paths and labels go into the JSON manifest). */
const char *fe_check_string(lua_State *L, int idx, const char *what, bool utf8);

/* lua_ops.c: building nodes with NumPy's rules (broadcasting, promotion) */
int fe_binary(lua_State *L, Op op, int ia, int ib); /* operands: arrays or numbers */
int fe_unary(lua_State *L, Op op, int ia);
int fe_where(lua_State *L, int ic, int ia, int ib);
int fe_cast(lua_State *L, int id, DType t);
int fe_view(lua_State *L, int id, const Affine *m, int ndim, const int64_t *shape);
int fe_broadcast_to(lua_State *L, int id, int ndim, const int64_t *shape);
int fe_reduce(lua_State *L, int id, ReduceOp rop, unsigned axes, bool keepdims);
/* bool array: x != x where nan (true at NaN), else x == x; constant for integers and bools */
int fe_isnan(lua_State *L, int id, bool nan);
void fe_lua_open_ops(lua_State *L); /* registers the elementwise functions in module table at -1 */
DType promote(DType a, DType b);

/* slice.c: NumPy index strings ("::-1, 2, ...") to affine maps. Returns NULL or an error
 * message. */
const char *fe_parse_index(Arena *ar, const char *text, int ndim, const int64_t *shape, Affine *m,
                           int *out_ndim, int64_t *out_shape);

/* lua_reduce.c: sum, mean, ..., var, std as methods and functions */
void fe_lua_open_reductions(lua_State *L, int methods_idx, int module_idx);
/* The axis argument at idx (an integer or a table of integers, negative ones counting from
 * the end) as a bit set over ndim axes; dup: NumPy's message for an axis given twice. */
unsigned fe_axes(lua_State *L, int idx, int ndim, const char *dup);

/* lua_shape.c: rechunk, reshape, ravel, concatenate, stack, cumsum, cumprod */
void fe_lua_open_shape(lua_State *L, int methods_idx, int module_idx);
/* concatenation of n arrays of one rank along axis ax, after NumPy's checks */
int fe_concat(lua_State *L, const int *ids, int n, int ax);

/* lua_complex.c: real, imag, conj, angle (functions; x.real and x.imag) */
int fe_unary_complex(lua_State *L, Op op, int id);
void fe_lua_open_complex(lua_State *L, int module_idx);

/* lua_fft.c: the da.fft module (numpy.fft's functions and norms) */
void fe_lua_open_fft(lua_State *L, int module_idx);

#endif
