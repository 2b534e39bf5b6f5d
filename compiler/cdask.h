/* cdask.h: the map of the compiler. Every file's exports are listed under a banner
 * naming that file. The passes, in order, are lower.c's table ("The passes" below).
 *
 * One graph for every node family (designed in docs/internals.md, "Node families"): a
 * Node is an op of OPS with dtype, shape, chunks, inputs, the user's file:line and named
 * attributes per family; a Group is a sink, a domain and its tiles, of one kind. A tile
 * is the unit of work; partial results combine in tile order (same bits, any threads).
 * - arrays: K_SOURCE K_ELEM K_VIEW K_LAYOUT K_REDUCE K_SCAN K_FFT K_OUTPUT; groups
 *   G_STORE G_REDUCE G_SCAN G_FFT.
 * - user code (kernels.c reads the C with libclang): a scalar C kernel is K_ELEM (OP_CALL
 *   fused like sin; an impure one OP_CALL_IMPURE, F_EFFECT: a sink); map_blocks and
 *   map_overlap are K_BLOCK (G_BLOCK: one tile per output block); delayed is K_TASK
 *   (G_TASK: one tile; consecutive task groups run as OpenMP tasks with depend). Traced
 *   Lua functions become ordinary nodes.
 * - tables and bags (next): columns are 1-d nodes sharing a run-time row extent
 *   (shape[d] holds its bound, extent[d] names it); filters are K_ROWS, groupby K_HASH,
 *   sorts K_SORT; G_TABLE_SCAN (tiles: row blocks of a CSV's bytes) and G_BAG_PARTITION
 *   (tiles: Dask's partitions) stream rows into their sinks.
 * - A pass meets an op it does not know as opaque: a sink, inputs stored and demanded
 *   whole, never merged, folded, proved or written in place. */
#ifndef CDASK_H
#define CDASK_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cdrt.h"

#define MAXDIM CDRT_MAXDIM
#define MAXIN 16 /* inputs of one node (concatenate takes up to this many) */
typedef cdrt_dtype DType;

/* ---------------------------------------------------------------------------------- */
/* arena.c: every allocation of one compilation comes from one arena, freed once. */
typedef struct Arena Arena;
Arena *arena_new(void);
void arena_free(Arena *a);
void *arena_alloc(Arena *a, size_t n); /* zeroed; aborts on OOM */
/* p (old bytes, from arena_alloc or arena_grow, or NULL) grown to n bytes: contents kept,
 * the rest zeroed; p is not to be used again */
void *arena_grow(Arena *a, void *p, size_t old, size_t n);
char *arena_strdup(Arena *a, const char *s);
char *arena_printf(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---------------------------------------------------------------------------------- */
/* strbuf.c: growable text buffers (emitted C, dumps). */
typedef struct {
  char *data;
  size_t len, cap;
  int indent; /* current indentation level, in steps of two spaces */
} StrBuf;
void sb_init(StrBuf *b);
void sb_free(StrBuf *b);
void sb_puts(StrBuf *b, const char *s);
void sb_printf(StrBuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(StrBuf *b, const char *fmt, va_list ap);
/* One line of code at the current indentation; emit_open/emit_close own the braces. */
void sb_line(StrBuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void emit_open(StrBuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void emit_close(StrBuf *b, const char *suffix);

/* ---------------------------------------------------------------------------------- */
/* ir.c: the graph. Operations are listed once here, with every property a pass asks of
 * an operation as a column (Lua's lopcodes, QBE's ops.h): passes look properties up,
 * they do not switch on lists of operations. */
/* K_LAYOUT: reads materialised arrays by their memory layout (not an affine map);
 * K_SCAN: cumulative along one axis (sequential, like NumPy's accumulate). */
/* K_FFT: a transform over whole axes (runtime/fft.c) into a stored array. */
/* K_BLOCK: a user's block kernel (map_blocks, map_overlap) over stored inputs, one call per
 * output block; K_TASK: a delayed call, one call, a 0-d (or declared-shape) result. */
typedef enum {
  K_SOURCE,
  K_ELEM,
  K_VIEW,
  K_LAYOUT,
  K_REDUCE,
  K_SCAN,
  K_FFT,
  K_OUTPUT,
  K_BLOCK,
  K_TASK
} OpKind;
typedef cdrt_fft_kind FftKind; /* CDRT_FFT_C2C, CDRT_FFT_R2C, CDRT_FFT_C2R */

/* flags: VM: a float operand is computed by a vector kernel of the runtime (vmath.c) over
 * a strip buffer, not inline (integer power stays inline). STRIP: a source the runtime
 * writes into a strip buffer (random numbers, input files), not an inline expression. */
/* EFFECT: the node has a side effect (an impure kernel's call): never merged, culled,
 * duplicated or reordered among effects; it is a sink of its own, run in script order. */
enum { F_NONE = 0, F_VM = 1, F_STRIP = 2, F_EFFECT = 4 };
/* cost: fuse.c's estimate of computing one element inline, in nanoseconds (a float power;
 * an integer one costs 1). Rough: random numbers and vector kernels dominate. */
/* mirror: how an elementwise operation maps the symmetries hermitian.c proves of its
 * operands, x[-k] = s(k) conj(x[k]) (hermitian.c's header explains each rule). */
typedef enum {
  M_EVEN_IF_ALL,   /* even if every operand is even and none is complex; else unknown */
  M_SAME_IF_EQUAL, /* x + y, x - y: s if both have s */
  M_PRODUCT,       /* x * y, x / y: s t */
  M_FIRST,         /* -x, conj(x), real(x): s */
  M_NEGATED,       /* imag(x): -s */
  M_EVEN,          /* abs(x), logical_not(x): even for any s */
  M_ZERO_TEST,     /* x == y, x != y: even if s = t or either side is the constant 0 */
  M_WHERE,         /* where(c, x, y): s if c is even and x, y have s */
  M_CAST,          /* astype: s (round to nearest is odd); to bool: even */
  M_ODD_REAL,      /* sin, tan of a real x: s */
  M_EVEN_REAL,     /* cos of a real x: even */
  M_POWER,         /* x ** c: even for even c, s for odd integer c (real x) */
  M_UNKNOWN,       /* nothing is known (an impure kernel) */
} MirrorRule;

/*  name       text          arity kind      flags cost mirror */
#define OPS(X)                                                                                     \
  X(FULL, "full", 0, K_SOURCE, F_NONE, 0.1, M_EVEN_IF_ALL)                                         \
  X(ARANGE, "arange", 0, K_SOURCE, F_NONE, 0.1, M_EVEN_IF_ALL)                                     \
  X(LINSPACE, "linspace", 0, K_SOURCE, F_NONE, 0.1, M_EVEN_IF_ALL)                                 \
  X(RNORMAL, "random.normal", 0, K_SOURCE, F_STRIP, 3, M_EVEN_IF_ALL)                              \
  X(RUNIFORM, "random.uniform", 0, K_SOURCE, F_STRIP, 1.5, M_EVEN_IF_ALL)                          \
  X(INPUT, "from_npy", 0, K_SOURCE, F_STRIP, 1, M_EVEN_IF_ALL)                                     \
  X(ADD, "add", 2, K_ELEM, F_NONE, 0.3, M_SAME_IF_EQUAL)                                           \
  X(SUB, "subtract", 2, K_ELEM, F_NONE, 0.3, M_SAME_IF_EQUAL)                                      \
  X(MUL, "multiply", 2, K_ELEM, F_NONE, 0.3, M_PRODUCT)                                            \
  X(DIV, "divide", 2, K_ELEM, F_NONE, 0.3, M_PRODUCT)                                              \
  X(FLOORDIV, "floor_divide", 2, K_ELEM, F_NONE, 0.3, M_EVEN_IF_ALL)                               \
  X(MOD, "remainder", 2, K_ELEM, F_NONE, 0.3, M_EVEN_IF_ALL)                                       \
  X(POW, "power", 2, K_ELEM, F_VM, 10, M_POWER)                                                    \
  X(MAXIMUM, "maximum", 2, K_ELEM, F_NONE, 0.3, M_EVEN_IF_ALL)                                     \
  X(MINIMUM, "minimum", 2, K_ELEM, F_NONE, 0.3, M_EVEN_IF_ALL)                                     \
  X(LT, "less", 2, K_ELEM, F_NONE, 0.3, M_EVEN_IF_ALL)                                             \
  X(LE, "less_equal", 2, K_ELEM, F_NONE, 0.3, M_EVEN_IF_ALL)                                       \
  X(GT, "greater", 2, K_ELEM, F_NONE, 0.3, M_EVEN_IF_ALL)                                          \
  X(GE, "greater_equal", 2, K_ELEM, F_NONE, 0.3, M_EVEN_IF_ALL)                                    \
  X(EQ, "equal", 2, K_ELEM, F_NONE, 0.3, M_ZERO_TEST)                                              \
  X(NE, "not_equal", 2, K_ELEM, F_NONE, 0.3, M_ZERO_TEST)                                          \
  X(AND, "logical_and", 2, K_ELEM, F_NONE, 0.3, M_EVEN_IF_ALL)                                     \
  X(OR, "logical_or", 2, K_ELEM, F_NONE, 0.3, M_EVEN_IF_ALL)                                       \
  X(XOR, "logical_xor", 2, K_ELEM, F_NONE, 0.3, M_EVEN_IF_ALL)                                     \
  X(NOT, "logical_not", 1, K_ELEM, F_NONE, 0.3, M_EVEN)                                            \
  X(NEG, "negative", 1, K_ELEM, F_NONE, 0.3, M_FIRST)                                              \
  X(SIN, "sin", 1, K_ELEM, F_VM, 5, M_ODD_REAL)                                                    \
  X(COS, "cos", 1, K_ELEM, F_VM, 5, M_EVEN_REAL)                                                   \
  X(TAN, "tan", 1, K_ELEM, F_VM, 5, M_ODD_REAL)                                                    \
  X(EXP, "exp", 1, K_ELEM, F_VM, 5, M_EVEN_IF_ALL)                                                 \
  X(LOG, "log", 1, K_ELEM, F_VM, 5, M_EVEN_IF_ALL)                                                 \
  X(SQRT, "sqrt", 1, K_ELEM, F_NONE, 0.3, M_EVEN_IF_ALL)                                           \
  X(ABS, "abs", 1, K_ELEM, F_NONE, 0.3, M_EVEN)                                                    \
  X(FLOOR, "floor", 1, K_ELEM, F_NONE, 0.3, M_EVEN_IF_ALL)                                         \
  X(CEIL, "ceil", 1, K_ELEM, F_NONE, 0.3, M_EVEN_IF_ALL)                                           \
  X(CAST, "astype", 1, K_ELEM, F_NONE, 0.3, M_CAST)                                                \
  X(WHERE, "where", 3, K_ELEM, F_NONE, 0.3, M_WHERE)                                               \
  X(REAL, "real", 1, K_ELEM, F_NONE, 0.3, M_FIRST)                                                 \
  X(IMAG, "imag", 1, K_ELEM, F_NONE, 0.3, M_NEGATED)                                               \
  X(CONJ, "conj", 1, K_ELEM, F_NONE, 0.3, M_FIRST)                                                 \
  X(ANGLE, "angle", 1, K_ELEM, F_NONE, 0.3, M_EVEN_IF_ALL)                                         \
  X(CALL, "call", -1, K_ELEM, F_NONE, 5, M_EVEN_IF_ALL)          /* call: a pure scalar kernel */  \
  X(CALL_IMPURE, "call", -1, K_ELEM, F_EFFECT, 5, M_UNKNOWN)     /* call: an impure one */         \
  X(VIEW, "view", 1, K_VIEW, F_NONE, 0, M_EVEN_IF_ALL)           /* map */                         \
  X(RESHAPE, "reshape", 1, K_LAYOUT, F_NONE, 0.3, M_EVEN_IF_ALL) /* its input row-major */         \
  X(CONCAT, "concatenate", -1, K_LAYOUT, F_NONE, 0.3, M_EVEN_IF_ALL) /* axis; any arity */         \
  X(REDUCE, "reduce", 1, K_REDUCE, F_NONE, 0.3, M_EVEN_IF_ALL)       /* rop, axes */               \
  X(SCAN, "cumulate", 1, K_SCAN, F_NONE, 0.3, M_EVEN_IF_ALL)         /* rop SUM or PROD, axis */   \
  X(FFT, "fft", 1, K_FFT, F_NONE, 0.3, M_EVEN_IF_ALL)                /* axes, fft */               \
  X(TO_NPY, "to_npy", 1, K_OUTPUT, F_NONE, 0.3, M_EVEN_IF_ALL)       /* str path */                \
  X(PRINT, "print", 1, K_OUTPUT, F_NONE, 0.3, M_EVEN_IF_ALL)         /* str label */               \
  X(MAP_BLOCKS, "map_blocks", -1, K_BLOCK, F_NONE, 5, M_UNKNOWN)     /* call, block */             \
  X(TASK, "task", -1, K_TASK, F_NONE, 5, M_UNKNOWN)                  /* call */                    \
  X(ITEM, "item", 1, K_LAYOUT, F_NONE, 0.3, M_UNKNOWN)               /* call.item of a task */     \
  X(TO_TABLE, "to_table", 1, K_OUTPUT, F_NONE, 0.3, M_EVEN_IF_ALL)   /* str: a from_arrays column */

typedef enum {
#define X(name, text, arity, kind, flags, cost, mirror) OP_##name,
  OPS(X)
#undef X
      OP_COUNT
} Op;

extern const char *const op_names[OP_COUNT];
extern const int op_arity[OP_COUNT];
extern const OpKind op_kinds[OP_COUNT];
extern const unsigned op_flags[OP_COUNT];
extern const double op_cost[OP_COUNT];
extern const MirrorRule op_mirror[OP_COUNT];

/* Reductions. MEAN is a sum divided by the count when it is finalised. */
// clang-format off
#define ROPS(X) \
  X(SUM, "sum") \
  X(PROD, "prod") \
  X(MIN, "min") \
  X(MAX, "max") \
  X(ANY, "any") \
  X(ALL, "all") \
  X(ARGMIN, "argmin") \
  X(ARGMAX, "argmax") \
  X(MEAN, "mean")
// clang-format on
typedef enum {
#define X(name, text) ROP_##name,
  ROPS(X)
#undef X
      ROP_COUNT
} ReduceOp;
extern const char *const rop_names[ROP_COUNT];

/* An affine index map from an output index to an input index:
 * in[d] = off[d] + sum_k a[d][k] * out[k]. Views (slices, transposes, broadcasts,
 * integer indexing) are such maps; fusion composes them, so views never copy. */
typedef struct {
  int nin, nout;
  int64_t off[MAXDIM];
  int64_t a[MAXDIM][MAXDIM];
} Affine;

typedef struct Node {
  Op op;
  DType dtype;
  int ndim;
  int64_t shape[MAXDIM];
  int64_t chunk[MAXDIM]; /* regular chunk size per axis (the last chunk may be partial) */
  int nin;
  int in[MAXIN];
  /* where the user made it */
  const char *file;
  int line;
  const char *src; /* the source line, trimmed, for comments */
  /* attributes, by family: a node sets only the fields of its operation's family */
  struct {     /* FULL: the constant, kept in both forms (full_value sets them) */
    double f;  /* float and complex dtypes (the real part; the imaginary part is 0) */
    int64_t i; /* integer and bool dtypes: exact */
  } value;
  struct {                 /* ARANGE: start + k * step; LINSPACE: start .. stop */
    double start, step;    /* ARANGE, every dtype */
    int64_t istart, istep; /* ARANGE of an integer dtype: exact */
    double stop;           /* LINSPACE */
    int64_t div;           /* LINSPACE: the divisor of (stop - start): num - 1 or num */
    bool endpoint;         /* LINSPACE: stop is the last element */
  } range;
  struct { /* RNORMAL: loc a, scale b; RUNIFORM: [low a, high b) */
    double a, b;
    uint64_t seed;
  } random;
  struct {         /* FFT (the transformed axes are in axes) */
    FftKind kind;  /* C2C, R2C or C2R */
    int sign;      /* -1 forward, +1 backward */
    double scale;  /* every element is multiplied by it (the norm) */
    int real_axis; /* the last transformed axis; of R2C and C2R: the half spectrum's */
  } fft;
  struct {      /* CALL, CALL_IMPURE, MAP_BLOCKS, TASK: a user's kernel; ITEM: a result */
    int kernel; /* index in Graph.kernels (-1: none) */
    /* per kernel parameter, where its argument comes from: k >= 0, input in[k]; CALL_COUNT,
     * the element count of the previous parameter's input; CALL_OUT, the node's own
     * result; CALL_BLOCK, the block description (cdask_block) */
    const int *bind;
    int nout;   /* TASK: results, side by side in its buffer (1: the result itself) */
    int item;   /* ITEM: which of its input task's results */
    bool pure;  /* TASK: delayed(pure=True): equal calls are one */
    int effect; /* CALL_IMPURE, impure TASK and MAP_BLOCKS: order among effects (script order) */
  } call;
  struct {                 /* MAP_BLOCKS (the inputs' blocks are aligned by block index) */
    int64_t depth[MAXDIM]; /* map_overlap: the halo along each axis of the inputs */
    int boundary;          /* cdrt_boundary: what lies beyond the array's edge */
    double cval;           /* CDRT_BOUNDARY_CONSTANT: the value */
    bool trim;             /* the kernel's result has the halo, cut off after the call */
    unsigned drop_axes;    /* input axes the result drops (bit d) */
    unsigned new_axes;     /* result axes that no input has (bit d) */
  } block;
  int axis;         /* CONCAT: the joined axis; SCAN: the cumulated axis */
  const char *str;  /* INPUT path, TO_NPY path, PRINT label */
  int slot;         /* INPUT: index in the program's inputs; outputs: order */
  int fortran;      /* INPUT: stored column-major */
  int from_result;  /* INPUT of to_array: 1 + the dataframe result it holds (0: a file) */
  const char *why;  /* INPUT of to_array: why its shape is what it is ("lengths = 100") */
  Affine *map;      /* VIEW */
  ReduceOp rop;     /* REDUCE, SCAN */
  unsigned axes;    /* REDUCE: bit d set if input axis d is reduced; FFT: transformed axes */
  const char *name; /* the user-facing name of the operation that made it (e.g. "var") */
  /* cull: the index box some output needs, [dlo, dhi) per axis; empty if !demanded */
  bool demanded;
  int64_t dlo[MAXDIM], dhi[MAXDIM];
} Node;

enum { CALL_COUNT = -1, CALL_OUT = -2, CALL_BLOCK = -3 };

/* kernels.c: a C file of the user's (cd.cfile), read with libclang. */
typedef enum {
  KP_VALUE, /* a number: T */
  KP_IN,    /* an input array: const T * */
  KP_OUT,   /* an output array: T * */
  KP_BLOCK, /* the block description: const cdask_block * */
} KParamKind;
typedef struct {
  const char *name;  /* "" when unnamed */
  const char *ctype; /* as written: "const double *restrict" */
  KParamKind kind;
  int dtype;    /* the value's or the pointee's DType, or -1 (an integer type no dtype has) */
  bool integer; /* a value of an integer type (a count may be passed in it) */
} KParam;
typedef struct {
  const char *name;
  const char *file; /* the C file and the line of the definition */
  int line;
  int cfile; /* index in Graph.cfiles */
  int nparams;
  KParam *params;
  int ret;                 /* the result's DType, or -1: void */
  const char *ret_ctype;   /* as written */
  const char *unsupported; /* NULL, or why the signature cannot be called from a pipeline */
  bool pure;               /* no side effect: may be merged, culled, duplicated, reordered */
  const char *why;         /* why it is pure or why not, for --explain and errors */
} Kernel;
typedef struct {
  const char *path; /* as the script named it */
  const char *text; /* its bytes, parsed by libclang and copied into the emitted C */
  size_t len;
  const char *cflags; /* for libclang and the C compiler */
  const char *libs;   /* for the linker */
  const char *script; /* the script line that loaded it */
  int line;
  /* its macros: #undef'd after its text in the program, so they reach neither the next
   * file nor the program's own code */
  const char **macros;
  int nmacros;
  /* what it defines at file scope (functions, static ones too, and variables), with their
   * lines: two files defining one name would clash in the one C file of the program */
  const char **names;
  int *name_lines;
  int nnames;
} CFile;

/* da.callbacks (callbacks.c): the C file defining the hooks of cdask_kernel.h, one per
 * program; hook[h] names the function the program calls (NULL: none) */
enum { HOOK_START, HOOK_PRETASK, HOOK_POSTTASK, HOOK_FINISH, HOOK_COUNT };
extern const char *const hook_names[HOOK_COUNT];
typedef struct {
  int cfile; /* index in Graph.cfiles, when set */
  bool set;  /* da.callbacks was called */
  const char *hook[HOOK_COUNT];
  int hook_line[HOOK_COUNT]; /* their definitions' lines */
} Callbacks;

/* da.visualize (picture.c): a picture of the graph some roots need, drawn at the end */
typedef struct {
  const char *path;   /* relative to the working directory */
  const char *format; /* "svg", "png", "pdf" or "dot" (its extension) */
  const char *rankdir;
  bool optimize; /* after fusion: the groups; before: the operations */
  int *roots;    /* node ids (renumbered with the graph) */
  int nroots;
  const char *script; /* where it was asked for (NULL: --visualize) */
  int line;
  const char *text; /* before fusion: the Graphviz text, drawn after the frontend */
  size_t len;
} Picture;

/* table.c: dataframes. A table is the rows of a CSV source; its columns are expressions
 * over one row (TExpr, the types CDRT_COL_*), and what a pipeline wants of the rows are
 * results (TResult): aggregates, value counts, collected rows. Every result of one source
 * is computed by one scan of its file (emit_rows.c): only the columns some result reads
 * are converted, filters are predicates inside the scan, partial results merge in block
 * order. Outputs (TOutput) print or write results in program order among the arrays'. */
typedef struct {
  const char *path; /* as the script named it */
  const char *file; /* the read_csv's script and line */
  int line;
  char sep, quote;
  const char *header_text; /* the header row as read (NULL: header = false) */
  int ncols;
  const char **names;
  unsigned char *types;    /* CDRT_COL_* */
  unsigned char *declared; /* the type came from dtype */
  const char **na;         /* the NA strings */
  int nna;
  bool na_numeric;        /* some NA string reads as a number */
  int64_t sampled;        /* rows the types were found from */
  bool whole;             /* all of the file's */
  int64_t blocksize;      /* 0: chosen at run time */
  int bad_lines;          /* 0 error, 1 warn, 2 skip */
  unsigned char *missing; /* per column: the sample saw a missing value (NULL: no sample) */
  /* dd.from_arrays: the columns are 1-d arrays, each the input of an OP_TO_TABLE node
   * (arrays[c], which keeps its buffer to the end); the scan runs after the arrays, over
   * nrows rows in blocks of chunk rows. NULL: a CSV file. */
  int *arrays;
  int64_t nrows, chunk;
  /* db.from_sequence: the columns' values, written into the program (arrays[c] is -1):
   * per row an int64_t, double or uint8_t, or a TLitStr of a str column (NULL: arrays);
   * lit_parts false: its blocks are not Dask's partitions (a product's, of several sizes) */
  void **lit;
  bool lit_parts;
  bool text; /* db.read_text: one str column, the lines of path or paths (runtime/text.c) */
  bool json; /* and each line a JSON object: the columns are its fields (runtime/jsonl.c) */
  /* and the paths (CDRT_JSON_SEP) of its nested objects, whose fields are columns
   * "path\x1fkey"; the fields that are no column nor object (arrays, objects nested too
   * deep or mixed with other values), each with why (for the error that plucks one) */
  const char **json_objects, **json_refused, **json_refused_why;
  int njson_objects, njson_refused;
  /* and the columns that hold arrays (Python's lists: each value the array's JSON text, a
   * str) with their items' type (CDRT_COL_*), -1 for the others: the first njson_items */
  signed char *json_items;
  int njson_items;
  /* and the fields of lists' objects (flatten's records), under their list's path,
   * CDRT_JSON_SEP, CDRT_JSON_ITEMS: their paths, types and whether some sampled object
   * lacks them or holds null (their nested objects are among json_objects, the fields that
   * are not supported among json_refused) */
  const char **json_inames;
  unsigned char *json_itypes, *json_imissing;
  int njson_ifields;
  /* read_text's options: CDRT_GZ_*, CDRT_ERRORS_*, CDRT_NL_* (CDRT_NL_EXACT: delim, a
   * string), delim_tail (runtime/cdrt.h); gzip: some file is gzip (the program links zlib) */
  int compression, errors, newline;
  const char *delim;
  bool delim_tail, gzip;
  /* to_textfiles of a read_text with a blocksize: Dask's partitions are read_bytes' blocks,
   * file k's blocks [dask_first[k], dask_first[k + 1]), block j starting at byte
   * dask_start[j] of its file (after the delimiter at or past its offset; found while
   * compiling). A row's partition is the last block that starts at or before it. */
  int64_t *dask_start, *dask_first;
  /* the index: a RangeIndex (index_step 0), or dd.date_range's DatetimeIndex, row i's
   * label index_start + i * index_step nanoseconds */
  int64_t index_start, index_step;
  const char *index_name, *index_freq; /* pandas' name and freqstr ("H", "15T") */
  /* read_csv of a glob: the files it matched while compiling, sorted (NULL: path is one
   * file); the program reads these, in this order */
  const char **paths;
  int npaths;
  /* table_phases.c: 0, or the scan after every scan of a lower phase that reads the file of
   * source copy_of again, for the results that read a Scalar of an earlier scan */
  int phase, copy_of;
} TSource;
typedef struct {
  const char *p;
  int64_t n;
} TLitStr;
typedef enum {
  TX_COLUMN, /* src, col */
  TX_CONST,  /* i (int64, bool, datetime), f (float64), s and slen (str; s NULL: missing) */
  TX_OP,     /* op of a and b (b -1 for a unary op) */
  TX_ISNA,   /* a */
  TX_FILLNA, /* a, or b where a is missing */
  TX_CAST,   /* a as type */
  TX_STR,    /* strfn of a (with the constant b) */
  TX_DT,     /* the datetime a's field strfn (CDRT_DT_*): int64, or float64 (NaT: NaN) */
  TX_INDEX,  /* the row's index label in src (a from_arrays source's: the row, or a date) */
  TX_EACH,   /* each piece of the str a split at s, slen (s NULL: runs of whitespace), or
              * with i > 0 each of the i TX_ITEMs from a (a tuple's flatten), or with i -1
              * each item of the JSON list field a (table_json_list), with i -2 each object
              * of a list of objects as its JSON text (flatten's records): what depends on
              * it runs once per piece, inside the row (db's str.split + flatten) */
  TX_PART,   /* the row's partition in src as Dask numbers them: a from_sequence's block, a
              * text source's file (int64) */
  TX_JOINED, /* column col of join i's right frame at the row's match (TJoin; missing where a
              * left merge's row has none): the value of a merge pushed into src's scan */
  TX_CALL,   /* pure scalar kernel i (Graph.kernels) of the TX_ARG list a (-1: none) */
  TX_ARG,    /* a kernel's argument a, cast to the parameter's type; b: the next TX_ARG */
  TX_ITEM,   /* a tuple's item a, flattened by a TX_EACH; b: the next TX_ITEM */
  TX_MATH,   /* the function strfn (TM_*) of the number a (round: i decimals; a datetime's
              * floor, ceil, round: to a multiple of i ns) */
  TX_WHERE,  /* b where the bool a holds, else expression i (pandas' where), of type type */
  TX_SCALAR, /* the value of result i, a reduction of another scan (TR_AGG, nunique's
              * TR_VCOUNT) or a scalar made of results (FOP_MEDIAN, FOP_AGG): the rows that
              * read it are read again by
              * a later scan (table_phases.c), df.x - df.x:mean(), df.x > df.x:median() */
} TExprKind;
/* DT_FLOOR..ROUND: to i ns; DT_BIN: resample's bin of i ns from the midnight before b */
enum { TM_ABS, TM_ROUND, TM_DT_BIN, TM_DT_FLOOR, TM_DT_CEIL, TM_DT_ROUND };
enum {
  TS_CONTAINS,
  TS_STARTSWITH,
  TS_ENDSWITH,
  TS_LOWER,
  TS_UPPER,
  TS_LEN,
  TS_STRIP, /* Python's whitespace, or the code points of the constant b (b >= 0) */
  TS_LSTRIP,
  TS_RSTRIP,
  TS_REPLACE,    /* b (a constant) replaced by the bytes s, slen, i times at most (< 0: all) */
  TS_SLICE,      /* the code points [i, slen) by step (CDRT_SLICE_NONE: an open end) */
  TS_CONCAT,     /* a's bytes, then b's (pandas' + of strings; missing if either is) */
  TS_ZFILL,      /* Python's zfill(i) */
  TS_GET,        /* pandas' str.get(i): code point i, missing when there is none */
  TS_FIND,       /* Python's find of the constant b (step 1: rfind), in code points */
  TS_PAD,        /* Python's rjust, ljust, center (step 0, 1, 2) to i code points with b */
  TS_RX_SEARCH,  /* the regular expression s, slen found (step: CDRT_RX_* flags) */
  TS_RX_COUNT,   /* ... how many times (re.findall's matches) */
  TS_RX_REPLACE, /* ... replaced by the template at s + slen, col bytes (Python's re.sub), i
                  * times at most (<= 0: all) */
  TS_RX_EXTRACT, /* ... its first match's group i (missing: no match, or the group took no
                  * part; str.extract) */
  TS_LIST_LEN,   /* Python's len of a JSON list field's value (table_json_list) */
  TS_LIST_REPR,  /* ... Python's repr of it ("None" where it is missing) */
  TS_LIST_SUM,   /* ... Python's sum of its int64 or float64 items (NaN: skipped) */
  TS_JSON_FIELD, /* the field at path s (CDRT_JSON_SEP) of a, an object of a list (a TX_EACH
                  * with i -2): its value as type, i 1 where the sample saw it missing */
  TS_JSON_REPR,  /* ... the field (s "": the object) as Python's repr ("None": missing) */
  TS_SPLIT_GET,  /* pandas' str.split(b).str.get(i) (b -1: runs of whitespace) */
  TS_SPLIT_LEN   /* ... str.split(b).str.len() */
};
typedef struct {
  TExprKind kind;
  int type; /* CDRT_COL_* */
  int src, col;
  Op op;
  int a, b;
  int strfn;
  int64_t i;
  double f;
  const char *s;
  int64_t slen;
  int64_t step; /* TS_SLICE's (0: 1) */
  /* pandas' category dtype (dtype = {c = "category"}, astype("category")): the values are
   * strings, the categories their distinct values over every row of the source, sorted:
   * 1 + the result holding them (a value_counts of this expression, mask -1); 0: none */
  int cats;
} TExpr;
typedef enum {
  TR_AGG,     /* rop (CDRT_AGG_*) of expr over the rows where mask holds */
  TR_VCOUNT,  /* value_counts of expr */
  TR_ROWS,    /* the columns cols[0, ncols) of the rows where mask holds, the first limit */
  TR_STACK,   /* the scalars parts[0, ncols) as a Series indexed by names (df:mean()) */
  TR_GROUPBY, /* per group of keys[0, nkeys): what[k] of cols[k] (-1: rows), named names[k];
               * median and nunique keep a group's values, corr pairs cols[k] with expr */
  TR_POST,    /* fop of the frame of result in (made after the scans): see TFrameOp */
} TResultKind;
/* TR_POST's operations; cols are references into in's frame (cdrt_frame_sort: a column
 * k >= 0, or the index's level -k - 1) */
typedef enum {
  FOP_SORT,        /* sort_values by cols[0, ncols), asc[k] each (1 ascending, | 2 missing first) */
  FOP_HEAD,        /* the first limit rows */
  FOP_DEDUP,       /* drop_duplicates over cols, keeping keep's */
  FOP_SELECT,      /* the columns cols (series: one, as a Series) */
  FOP_MEDIAN,      /* a scalar: the median of column cols[0] */
  FOP_DESCRIBE,    /* describe of every column (all numeric; rop CDRT_COL_STR: all strings) */
  FOP_GROUPBY,     /* a groupby by sorting in's rows: nkeys key columns, then ncols aggregated
                    * by what[k] (median, nunique: they need a group's values), as TR_GROUPBY */
  FOP_ARITH,       /* a Series: in's values arith the values of result cols[0] (-1: the number
                    * num), of type rop; both Series are rows of one frame */
  FOP_ASSIGN,      /* in's frame with the Series result cols[0] as its column name */
  FOP_GB_HEAD,     /* groupby(cols[0, ncols)).head(limit): each group's first rows (dropna) */
  FOP_MERGE,       /* pandas' merge of in (left) and right on keys (in's) = rkeys (right's), nkeys
                    * of them, how (CDRT_HOW_*), suffixes: table_merge_columns */
  FOP_AGG,         /* a scalar: the reduction rop (CDRT_AGG_*) of the Series in */
  FOP_CUM,         /* a Series: Python's accumulate of in by rop (CDRT_AGG_SUM, MAX, MIN), of
                    * type arith, from num first if seeded (cdrt_frame_cum) */
  FOP_SET_INDEX,   /* column cols[0] as the index (kept as a column too unless drop); a sort
                    * by it comes first, as Dask's set_index sorts */
  FOP_RESET_INDEX, /* the index's levels as the first columns, named names[k] (drop: none),
                    * and a new range index */
  FOP_LOC,         /* the rows whose labels lie in lab's range: a sorted one-level index */
  FOP_BINS,        /* resample's: in (a groupby by a floored datetime, sorted) with a row for
                    * every step ns between its first and last keys, what[k] (ncols) filling
                    * those no row fell in: 0 (sum, count, size, nunique) or missing */
  FOP_SCALAR,      /* a scalar: in's value arith (CDRT_ARITH_*) the value of result cols[0]
                    * (-1: the number num), of type rop (NumPy's scalar arithmetic) */
  FOP_WINDOW,      /* each column of in by the window operation win.kind (CDRT_WIN_*); where
                    * nkeys, within the groups of in's columns keys, of its columns cols */
  FOP_CORR,        /* pandas' DataFrame.corr() of in's columns: a square frame */
  FOP_QUANTILES,   /* quantile([q...]) of in's (numeric) columns: a row per q, indexed by them */
  FOP_CONCAT,      /* pandas' concat of the results cols[0, ncols) (in: the first) along the
                    * rows, or with keep along the columns (axis = 1, aligned on the index);
                    * drop: ignore_index (table_concat_shape gives its columns) */
  FOP_FILTER,      /* in's rows where the bool Series result cols[0] (of in's rows) holds */
  FOP_CAT_COUNTS,  /* value_counts of the computed category Series in (a merge's indicator):
                    * every category of result cols[0]'s (cd_cats), zeros too */
} TFrameOp;
typedef struct {
  TResultKind kind;
  int src;
  int mask; /* an expression of type bool, or -1: every row */
  int rop;
  int expr; /* TR_AGG, TR_VCOUNT; TR_GROUPBY: corr's other column (-1: none) */
  int ncols;
  int *cols; /* TR_ROWS: expressions; TR_STACK: results */
  const char **names;
  int64_t limit;    /* -1: all */
  const char *name; /* the Series' name, or value_counts' index name */
  bool series;      /* TR_ROWS, TR_GROUPBY: one column, printed as a Series */
  int nkeys;        /* TR_GROUPBY */
  int *keys;
  const char **knames;
  int *what; /* CDRT_AGG_* per column */
  bool sort, as_index, dropna;
  bool observed; /* TR_GROUPBY, FOP_GROUPBY: only the categories seen (else all, as pandas 1) */
  bool unsorted; /* TR_VCOUNT: in order of first appearance (value_counts{sort = false}) */
  int in, fop;   /* TR_POST */
  unsigned char *asc; /* FOP_SORT */
  int keep;   /* FOP_DEDUP: 0 the first of equal rows, 1 the last, 2 none; FOP_HEAD: 1 the tail */
  int arith;  /* FOP_ARITH: CDRT_ARITH_* */
  double num; /* FOP_ARITH: the number (an int64 result: an integer); FOP_CUM: the seed */
  int nq;     /* FOP_QUANTILES: the q's, in [0, 1]; FOP_GROUPBY: NULL, or each column's q (what */
  const double *qs;  /* CDRT_AGG_QUANTILE) */
  bool seeded;       /* FOP_CUM: num is the first value */
  const char **subs; /* TR_GROUPBY, FOP_GROUPBY: MultiIndex columns (names[k], subs[k]), as
                      * agg{v = {"median", "std"}} makes them (NULL: one level) */
  bool live;         /* some output needs it (emit_rows.c culls the others) */
  const char *file;
  int line;
  int right, how;          /* FOP_MERGE: the right frame's result, CDRT_HOW_* */
  int validate;            /* FOP_MERGE: CDRT_VALIDATE_* */
  int *rkeys;              /* FOP_MERGE: the right's key columns (keys: the left's) */
  const char *suffix[2];   /* FOP_MERGE: added to the names both sides have */
  bool merged;             /* TR_ROWS: made for a merge (lua_merge.c shares it) */
  struct TMergeCols *spec; /* FOP_MERGE: its columns, made by emit_rows.c's projection */
  const char *indicator;   /* FOP_MERGE: the name of pandas' indicator column (NULL: none) */
  bool rindex, lindex;     /* FOP_MERGE: right_index (rkeys: -1 - level), and left_index too
                            * (keys {-1}: both indexes) */
  const char *str;         /* FOP_ARITH: eq or ne of a computed Series of strings with it */
  /* TR_ROWS read only by a sort read only by a groupby's head (emit_rows.c's top-n rule):
   * the scan keeps the first topn rows of each group of the columns keys[0, nkeys) in the
   * order of the columns by[0, nby), asc[k] as FOP_SORT's (dropna: as the head's); 0: all */
  int64_t topn;
  int nby, *by;
  /* TR_ROWS read only by tail(n) (emit_rows.c's tail rule): 1 + n, each block keeps only
   * its last n rows; 0: all */
  int64_t tail;
  /* TR_AGG, TR_GROUPBY: 1 + the join (Tables.joins) whose matches are its rows, each row of
   * src under the join's mask once per match (in the joined frame's order); 0: src's rows
   * under mask */
  int join;
  /* TR_AGG of MIN or MAX: 1 + a constant expression that is the result when no row is
   * (db's fold from an initial value; its rows are clamped to it); 0: none */
  int seed;
  bool drop;        /* FOP_SET_INDEX, FOP_RESET_INDEX */
  bool by_scalar;   /* FOP_ARITH: cols[0] is a Scalar's result (r.v - r.v:mean()), not a Series */
  int64_t step;     /* FOP_BINS: the bins' width in ns; FOP_SCALAR with td_num: the operand */
  bool td_num;      /* FOP_SCALAR: the other operand is a dd.Timedelta of step ns, not num */
  const char *freq; /* FOP_BINS: pandas' freqstr of it ("H", "15T") */
  struct {          /* FOP_LOC: the labels from and to (has[k] false: open), of the index's type */
    bool has[2];
    int64_t i[2]; /* int64, datetime64 (ns) */
    double f[2];
    const char *s[2];
  } lab;
  int nscalars, *scalars; /* the scalar results its expressions read (TX_SCALAR) */
  /* table_phases.c: the phase after whose scans it can be made (a scan's: its source's;
   * another's: the latest of what it reads) */
  int phase;
  cdrt_window win; /* FOP_WINDOW: the operation (shift's fill value: num where seeded) */
} TResult;
/* A merge pushed into the scan of its left side's source (join_push.c): the right's rows
 * are hashed before that scan, which probes them with each row's keys and feeds the
 * aggregates and groupbys of the merge's columns from the matches. */
typedef struct {
  int src;   /* the left's source, which probes */
  int mask;  /* its rows that probe (the left frame's filter), or -1 */
  int merge; /* the FOP_MERGE result it replaces (how, validate, file, line) */
  int right; /* the right's rows: a TR_ROWS of another CSV source, made before src's scan */
  int nkeys;
  int *lkeys; /* expressions over src */
  int *rkeys; /* columns of right's frame */
} TJoin;
typedef struct {
  bool csv; /* dd.to_csv, else dd.print */
  bool npy; /* dd.to_npy (a Series or a scalar of numbers) */
  /* db.print: Python's repr of a list of a frame's rows (tuples of several columns), 2: with
   * the index as their first item (frequencies' (item, count) pairs), 3: (key, [values]) of
   * the rows of each key, in the keys' first appearance (groupby's), 4: of JSON records
   * (each row its repr), 5: as 3 of records (the values are their reprs) */
  int pylist;
  bool text; /* to_textfiles' file of partition part of the rows (partition, str) */
  int64_t part;
  bool last_endline; /* to_textfiles: a "\n" after the partition's last string */
  int result;
  const char *str;   /* the label or the path */
  const char *shape; /* db.print: each row as Python's tuple, list or dict (cdrt_output.shape) */
  int before;        /* the arrays' outputs made before it */
  const char *file;
  int line;
} TOutput;
typedef struct {
  TSource *src;
  int nsrc;
  TExpr *x;
  int nx;
  TResult *r;
  int nr;
  TOutput *out;
  int nout;
  TJoin *joins;
  int njoins;
} Tables;

typedef struct {
  Arena *arena;
  Node *nodes;
  int nnodes, cap;
  int *outputs; /* node ids of TO_NPY/PRINT, in program order */
  int noutputs, outcap;
  int ninputs;
  CFile *cfiles; /* cd.cfile, in load order */
  int ncfiles;
  Kernel *kernels; /* their functions, file by file in definition order */
  int nkernels;
  int neffects; /* nodes with a side effect (call.effect numbers them in script order) */
  Callbacks callbacks;
  Picture *pictures; /* da.visualize, in script order */
  int npictures;
  Tables tables; /* dataframes (table.c) */
} Graph;

Graph *graph_new(Arena *a);
int graph_add(Graph *g, const Node *proto); /* copies, returns the new id */
int64_t node_size(const Node *n);           /* number of elements */
bool dtype_is_float(DType t);
bool dtype_is_int(DType t); /* int32, int64 (not bool) */
bool dtype_is_complex(DType t);
DType dtype_real(DType t);        /* complex64 -> float32, complex128 -> float64, else t */
DType dtype_complex(DType t);     /* float32, complex64 -> complex64, else complex128 */
const char *dtype_enum(DType t);  /* "CDRT_FLOAT64" ... */
const char *dtype_ctype(DType t); /* "double", "int64_t", "uint8_t" ... */
const char *shape_str(Arena *a, int ndim, const int64_t *shape); /* "(3,4)", "()" */
/* Sets a FULL node's constant to the value i (integer and bool dtypes) or f (float and
 * complex ones) of dtype `from`, converted to the node's dtype exactly as astype converts. */
void full_value(Node *n, DType from, int64_t i, double f);
bool graph_has_fft(const Graph *g);    /* the program needs FFTW */
bool graph_reads_gzip(const Graph *g); /* and zlib */
bool graph_has_random(const Graph *g); /* da.random arrays: runtime/random.c */
bool graph_maps_case(const Graph *g);  /* str.lower or str.upper: libunistring */
bool graph_uses_regex(const Graph *g); /* a regular expression: PCRE2 */
/* Python's re.sub template repl[0, n) for the pattern pat[0, plen) (flags: CDRT_RX_*) as
 * the runtime's pieces in *out (regex_repl.c); their count, or -1 with Python's message in
 * msg */
int rx_template(Arena *a, const char *pat, int64_t plen, int flags, const char *repl, int64_t n,
                cdrt_rx_piece **out, char *msg, size_t cap);
/* a source computed from the index where it is used (not read from memory: not INPUT) */
bool op_generated(Op op);
bool reduce_is_pairwise(const Node *sink); /* float sum or mean: NumPy's pairwise order */
/* x has a side effect (F_EFFECT, or a task or block node of an impure kernel): a root of
 * liveness like an output, a sink of its own, never merged, culled or duplicated, run in
 * script order (call.effect) among effects */
bool node_has_effect(const Graph *g, const Node *x);
/* live[i] (g->nnodes entries): some output or effect needs node i */
void graph_live(const Graph *g, bool *live);
/* table.c: the tables' lists grow in the graph's arena; each returns the new index */
int table_add_source(Graph *g, const TSource *s);
int table_add_expr(Graph *g, const TExpr *x);
int table_add_result(Graph *g, const TResult *r);
void table_add_output(Graph *g, const TOutput *o);
int table_add_join(Graph *g, const TJoin *j);
/* The column of a JSON-lines source that expression x reads when it is a bool field some
 * sampled records lack or hold as null (read with a presence flag: the scan's cK_na; its
 * value stands only under fillna or isna), else -1 */
int table_optional_bool(const Tables *t, int x);
/* The items' type (CDRT_COL_*) of the JSON-lines list field that expression x reads as it
 * is (a column that holds arrays: docs/bags.md), else -1 */
int table_json_list(const Tables *t, int x);
/* join_push.c: merges read only by aggregates or groupbys of their columns, pushed into
 * the scan of their left side (TJoin): each such aggregate becomes a TR_AGG of that scan
 * over the matches, each groupby a TR_GROUPBY. Run on live results (emit_rows.c), before the
 * merges' projection; true if any was pushed (liveness must then be found again). */
bool push_joins(Graph *g);
/* The type of a result (TR_AGG: pandas' result type, e.g. mean: float64) */
int table_agg_type(int rop, int type);
int table_gb_type(int what, int type); /* a groupby aggregation's (CDRT_AGG_*) result type */
int table_window_type(int kind, int type, bool int_fill); /* a CDRT_WIN_* result's, -1: none */
/* What a result is, as the compiler knows it: a scalar of one type, or a frame of columns
 * and index levels with their names (NULL: none) and types */
typedef struct {
  bool scalar, series;
  bool multi;        /* MultiIndex columns: */
  const char **subs; /* their second level (names[k], subs[k]) */
  int type;          /* a scalar's */
  int ncols;
  const char **names;
  int *types;
  int nlev;
  const char **lnames;
  int *ltypes;
  int *cats; /* per column: 1 + the result of its categories, 0: not a category (NULL: none) */
} TShape;
TShape table_result_shape(Graph *g, int r);
/* A FOP_CONCAT's shape: the union of its parts' columns by name, in order of first
 * appearance; a column some part lacks, or whose types differ, as pandas types it (int64
 * and float64: float64); a type pandas would make object is -1 (lua_concat.c refuses it) */
TShape table_concat_shape(Graph *g, const TResult *q);
bool table_bins_zero(int what); /* resample's empty bins: 0 for aggregation what, else missing */
/* What made result r, in words ("sort_values", "groupby"): the memory limit's messages and
 * the repr of a computed frame */
const char *table_result_name(const Tables *t, int r);
/* The rows of frame result r when they are known while compiling (a frame of every row of
 * a from_arrays source or of a file read whole with sample = "all", or its head(n): n,
 * unless fewer; sorted, given columns), else -1 */
int64_t table_result_rows(Graph *g, int r);
/* Result r is made of a from_arrays frame: it exists only after the array groups */
bool table_result_after_arrays(const Tables *t, int r);
/* A merge's (FOP_MERGE) columns as cdrt_frame_merge makes them (cdrt_merge_spec): the
 * left's, then the right's but for a key of one name on both sides (the left's column
 * holds it: CDRT_MERGE_KEY); another name both sides have gets the suffixes. A column of
 * a side that may have no row there (the right's in a left merge, the left's in a right
 * one, both in an outer one) may be missing, so int64 becomes float64 and bool str ("True",
 * "False"), whether or not every row matches: the type is fixed when compiling. */
typedef struct TMergeCols {
  int ncols;
  unsigned char *side; /* CDRT_MERGE_* */
  int *col;
  int *types;
  const char **names;
  int *need;          /* emit_rows.c: some output reads the column (else it is not made) */
  int *lkeys, *rkeys; /* emit_rows.c: the keys' columns in the sides' frames as collected */
  int index;          /* CDRT_MERGE_INDEX_*: the result's index */
  int itype;          /* its type (CDRT_MERGE_INDEX_LEFT, _KEY) */
  const char *iname;  /* its name */
} TMergeCols;
TMergeCols table_merge_columns(Graph *g, const TResult *q);
/* How many times result q reads result r's frame or value: a stack's columns, a post-scan
 * step's input, a merge's right side, an arithmetic's or assign's other operand, a Scalar
 * its expressions read (once table_split_phases found them; a pushed
 * merge's right rows, read through Tables.joins, are not counted) */
int table_reads(const TResult *q, int r);
/* The result whose rows (and index) result r has: through columns, arithmetic, assign and
 * window operations */
int table_row_root(const Tables *t, int r);
/* Results a and b have the same rows: one root, or two collections of the rows of one
 * source under one mask */
bool table_same_rows(const Tables *t, int a, int b);
/* table_phases.c: results whose expressions read a Scalar (TX_SCALAR) move to copies of
 * their sources scanned in later phases (a second pass over the file); run once, before
 * the culling (emit_rows.c) */
void table_split_phases(Graph *g);

/* kernels.c: reads path (with cflags; libs are kept for the link) with libclang; appends
 * it to g->cfiles and its non-static functions to g->kernels, each with its purity. The
 * diagnostics (file:line:col: severity: text) go to diag. Returns the file's index, or -1
 * with why in err ("2 errors", "cannot read it: ..."). Implicit declarations, int
 * conversions and incompatible pointers are errors. */
int kernels_read(Graph *g, const char *path, const char *cflags, const char *libs,
                 const char *script, int line, FILE *diag, char *err, size_t n);
int kernel_find(const Graph *g, int cfile, const char *name); /* index, or -1 */
/* callbacks.c: reads path (da.callbacks at script:line) with kernels_read; it must define
 * at least one hook with cdask_kernel.h's signature, and may define helpers; none of its
 * functions is a kernel. 0, or -1 with why in err ("the hook pretask at FILE:LINE is ...: it must
 * be ..."). */
int callbacks_read(Graph *g, const char *path, const char *script, int line, FILE *diag, char *err,
                   size_t n);
/* "double add(double, double)": a kernel's signature, for messages */
const char *kernel_signature(Arena *a, const Kernel *k);

/* affine.c */
void affine_identity(Affine *m, int n);
void affine_compose(Affine *out, const Affine *outer, const Affine *inner);
/* linear offset coefficients: off = c[MAXDIM] (constant term in c0) into a row-major array */
void affine_linear(const Affine *m, const int64_t *in_shape, int64_t *c0, int64_t *c);
bool affine_equal(const Affine *x, const Affine *y);

/* ---------------------------------------------------------------------------------- */
/* frontend/: runs the user's script in an embedded Lua 5.4 and builds the graph. */
typedef struct {
  Graph *graph;
  const char *script;       /* path as given */
  bool unsafe_lua;          /* --unsafe-lua: the whole standard library, no sandbox */
  double lua_time_limit;    /* CPU seconds the script may run (0: no limit) */
  int64_t lua_memory_limit; /* bytes its Lua state may hold (0: no limit) */
  char err[1024];           /* "file:line: error: message" on failure */
} Frontend;
int fe_run(Frontend *fe);

/* ---------------------------------------------------------------------------------- */
/* The passes. lower.c's table lists them in the order they run; after each one, step()
 * verifies what the pass guarantees and prints --dump-after. Each pass's contract (what it
 * requires, what it guarantees) is written here and nowhere else; each file's header
 * explains how it keeps it.
 *
 *   frontend   requires: a script. guarantees: a graph in topological order (every input
 *              is an earlier node), each node with its shape, dtype, chunks and the
 *              user's file:line; g->outputs in program order. (frontend/, above)
 *   simplify   requires: a verified graph. guarantees: chains of views are one view; views
 *              and casts of constants, and elementwise operations of constants, are
 *              constants (fold.c, with the program's own functions: the same bits);
 *              x ** c for NumPy's fast exponents (2, 0.5, 1, 0 on floats; 2 on integers)
 *              is what NumPy computes (x ** 2 -> x * x); identical nodes are merged
 *              (common subexpressions). Node ids do not change: a rewritten node keeps its
 *              id, dead nodes stay for fusion to ignore. Returns the nodes changed.
 *              Pure kernel calls are merged like the rest, never folded; a node with an
 *              effect (node_has_effect) is never merged.
 *   hermitian  requires: a simplified graph. guarantees: real(ifftn(Y)) over axes A, with Y
 *              provably Hermitian over A, is a complex-to-real transform of Y's half
 *              spectrum along A's last axis, and the forward transforms of real arrays
 *              that Y is made of are real-to-complex ones (the same numbers; hermitian.c
 *              derives each rule). It adds views and renumbers the nodes topologically:
 *              when it rewrote something, simplify runs again. Returns the transforms
 *              rewritten.
 *   cull       requires: a simplified graph. guarantees: every node has in [dlo, dhi) the
 *              box of its indices that some output needs (demanded false: none), a
 *              bounding box, exact through elementwise operations, transposes, reversals
 *              and unit-step slices; a block kernel's box is whole output blocks, its
 *              inputs whole; side effects are roots. Returns the nodes needed only in part.
 *   fuse       requires: a verified, culled graph. guarantees: every node some output
 *              needs is materialised by exactly one group (its sink: a reduction, a scan,
 *              a transform, an array an output writes, the input of a reshape that merges
 *              axes or of a concatenation unless it can be read in place, an intermediate
 *              stored because that is cheaper and fits the memory budget) or computed
 *              inline in the groups that read it (elementwise work, views, generated
 *              sources); a group's members are in topological order and end with its
 *              root (the sink, or the sink's input for G_REDUCE, G_SCAN and G_FFT); its
 *              deps are the groups it reads, all with smaller ids (groups run in id
 *              order); lo/hi is the box cull found (whole along reduced and transformed
 *              axes, from 0 along a scanned one), ntiles counts the user's chunks over it.
 *              The graph is not changed. Every effect is live and the sink of its own
 *              group (never duplicated).
 *   chunk      requires: fused groups. guarantees: every group's chunk is its task tile
 *              (user_chunk keeps the user's), a deterministic function of the shapes and
 *              chunks, never of the thread count (results are bitwise the same for any
 *              number of threads): at most 2^20 elements and, when there would be more
 *              than 1024 tiles, at least 2^16, as far as the axes allow; a scan's tiles
 *              span its axis; a block kernel's tiles are its output's blocks (never
 *              re-tiled); tile_why says why; ntiles counts the tiles over [lo, hi).
 *   memplan    requires: chunked groups. guarantees: groups run one after another in id
 *              order; every group knows the buffers that die after its tiles (frees),
 *              whether it writes in place over an input that dies with it (donor,
 *              copy_only), and where its transform writes (r2c_in_place, fft_scratch);
 *              f->peak_bytes is the most memory the buffers hold at once.
 *
 * After each pass, verify.c checks what it guarantees: the graph after the passes that
 * rewrite it (pass_verify), the groups after fuse, chunk and memplan (verify_fusion).
 * Then emit.c prints the program. */
typedef struct Options Options;

/* verify.c: pass_verify checks every node's arity, rank, inputs (earlier nodes), shapes
 * and dtypes (elementwise inputs of the result's shape, views inside their input,
 * transforms and reductions over existing axes); a failure is a bug in cdaskc, an
 * internal error (exit code 70) naming the node and the user's line. */
void pass_verify(Graph *g);

/* simplify.c */
int pass_simplify(Graph *g);
/* fold.c: folds an elementwise node of constants into a constant (used by simplify) */
bool fold_constant(Graph *g, Node *x);

/* hermitian.c */
int pass_hermitian(Graph *g);

/* cull.c */
int pass_cull(Graph *g);

/* fuse.c */
/* --mpi: how a group's tiles are made whole on the ranks, as the emitter planned it
 * (emit_group.c, emit_reduce.c, emit_map_blocks.c, emit_task.c fill it; mpi_plan.c prints
 * it): allreduces (an OR of every rank's copy) of allreduce[i] bytes, each 2 floor(B/P)
 * (P-1) bytes each way per rank; a broadcast of bcast bytes from rank 0 (a delayed task's
 * result); or the tiles of gathered bytes sent to the ranks that need them (counted at run
 * time). */
typedef enum {
  MPI_GATHER_NONE,
  MPI_GATHER_NEEDS,     /* to each rank the parts its readers' tiles read (gK_needs) */
  MPI_GATHER_ALL,       /* every tile to every rank */
  MPI_GATHER_FFT,       /* into the transform's slabs, transposed between its passes */
  MPI_GATHER_RECOMPUTE, /* none: each rank computes the tiles its readers read */
} MpiGather;
typedef struct {
  int nallreduce;
  double allreduce[2];
  double bcast;
  MpiGather gather;
  double gathered; /* the bytes the tiles write, for a gather */
} MpiPlan;

/* What a group's tiles make of its domain. The domain is computed inline by the members;
 * the kind says what happens to it. */
typedef enum {
  G_STORE,  /* the sink is computed here and stored */
  G_REDUCE, /* the sink is a REDUCE: the domain is its input, tiles make partials */
  G_SCAN,   /* the sink is a SCAN: its input is computed here, tiles span the scanned axis */
  G_FFT,    /* the sink is an FFT: its input is computed here, then transformed */
  G_BLOCK,  /* the sink is a MAP_BLOCKS: one tile per output block, one kernel call each */
  G_TASK,   /* the sink is a TASK: one tile, one call; runs of them are OpenMP tasks */
} GroupKind;
GroupKind group_kind(Op sink); /* ir.c: a group's kind from its sink's operation */
/* ir.c: the group computes its sink itself (G_STORE, G_BLOCK, G_TASK); the others compute
 * the sink's input, then reduce, scan or transform it */
bool group_computes_sink(GroupKind k);

typedef struct {
  int id;
  int sink; /* the node whose result the group makes (see kind) */
  GroupKind kind;
  int ndim; /* domain rank (the sink's input shape for reductions) */
  int64_t shape[MAXDIM];
  int64_t chunk[MAXDIM];
  int64_t lo[MAXDIM], hi[MAXDIM]; /* the part of the domain computed (culling) */
  int64_t user_chunk[MAXDIM];     /* the chunks of the domain before pass_chunk chose tiles */
  const char *tile_why;
  bool culled; /* lo/hi is less than the whole domain */
  int64_t ntiles;
  int *members; /* nodes computed inside the group, in topological order */
  int nmembers;
  int *deps; /* groups whose results this group reads */
  int ndeps;
  const char *why; /* why the group ends where it does */
  /* memplan.c */
  int donor;         /* the group whose buffer this one's tiles write in place over, or -1 */
  bool copy_only;    /* with a donor: the tiles would only copy it onto itself (skipped) */
  bool r2c_in_place; /* r2c along the last axis: tiles write padded rows into the sink */
  bool fft_scratch;  /* other r2c and c2r: tiles write a scratch array cd_fftinK */
  int *frees;        /* groups whose buffers die after this group's tiles */
  int nfrees;
  /* A block kernel's group whose one reader reads its blocks at their own index, tile for
   * tile (a reduction or a store over the same blocks), is streamed: it has no buffer and
   * no run of its own; each tile of the reader calls the kernel and reads the block it
   * made (memplan.c plan_streams). */
  int stream_into; /* this G_BLOCK group's reader, or -1 */
  int streamed;    /* the G_BLOCK group whose blocks this group's tiles make, or -1 */
  /* An elementwise array read only by a block kernel, whose halo boxes are not much larger
   * than its blocks, is computed into the boxes when the kernel's inputs are gathered: no
   * buffer and no run of its own either (plan_halo_inline). */
  bool halo_inline;
  MpiPlan mpi; /* --mpi: filled by the emitter */
} Group;

typedef struct {
  Group *groups;
  int ngroups;
  int *group_of;     /* node id -> the group that materialises it, or -1 */
  double peak_bytes; /* memplan.c: the most the buffers hold at once */
} Fusion;
/* An intermediate that several groups read is stored instead of recomputed when that is
 * cheaper and fits in memory_limit bytes next to the stored arrays (0: no limit). */
Fusion *pass_fuse(Graph *g, int64_t memory_limit);
/* A task's argument k is a 0-d constant passed by value, written into the C call (not
 * stored); a task reads every other argument from its stored buffer. */
bool task_arg_inline(const Graph *g, const Node *task, int k);
/* The node whose buffer a task reads for its argument k: the argument; when it is passed
 * by value, for a 0-d cast the cast's input (the call converts it as astype does), for a
 * result of a task with several (OP_ITEM) that task (read at the item). */
int task_arg_read(const Graph *g, const Node *task, int k);
/* The group runs as an OpenMP task (G_TASK, or a delayed result's OP_ITEM): consecutive
 * ones form a run of tasks with dependencies, ended by a taskwait. */
bool group_is_task(const Graph *g, const Group *gr);

/* chunk.c */
void pass_chunk(Graph *g, Fusion *f);
/* The tile of one domain (ndim axes of shape, the user's chunk), into tile: the axes in
 * the reduced mask are split after the kept ones, the axes in the whole mask (a scan's)
 * are never cut. Returns why, for --explain. A pure function of its arguments. */
const char *chunk_tile(int ndim, const int64_t *shape, const int64_t *chunk, unsigned reduced,
                       unsigned whole, int64_t *tile);
/* The tiles of size tile (cut at multiples of it) that meet the box [lo, hi). */
int64_t tiles_over(int ndim, const int64_t *lo, const int64_t *hi, const int64_t *tile);

/* memplan.c */
void pass_memplan(Graph *g, Fusion *f, bool no_donors); /* no_donors: --mpi */
/* memplan.c: a group without a buffer (streamed or computed into halo boxes): its reads
 * happen in the tiles of the groups that read it. */
bool group_is_virtual(const Group *gr);
/* The groups whose buffers gr's tiles read: its deps, and a virtual dep's reads in turn,
 * each once, into out (room for every group); mark (one int per group) must hold no
 * value equal to stamp. Returns how many. */
int group_reads(const Fusion *f, const Group *gr, int *out, int *mark, int stamp);

/* lower.c: the pass table, and lower(), which runs passes in the table's order. */
typedef enum {
  PASS_FRONTEND,
  PASS_SIMPLIFY,
  PASS_HERMITIAN,
  PASS_CULL,
  PASS_FUSE,
  PASS_CHUNK,
  PASS_MEMPLAN,
  PASS_COUNT
} PassId;

typedef struct {
  const Options *o; /* the script, the Lua limits, --memory-limit, --dump-after */
  Graph *g;         /* made by the frontend */
  Fusion *f;        /* made by fuse */
  char err[1024];   /* the frontend's "file:line: error: message" when lower() fails */
} Lowering;

typedef struct {
  const char *name;    /* for --dump-after */
  const char *summary; /* one line, for --help (the contract is above) */
  /* runs the pass over l: the number of changes it made, or -1 after an error in l->err */
  int (*run)(Lowering *l);
  bool rewrites;       /* it changes the graph's nodes: pass_verify checks them after it */
  bool says_unchanged; /* its dump is marked "(unchanged)" when it changed nothing */
  /* what the pass decided, printed after the graph by --dump-after (NULL: nothing more) */
  void (*dump)(FILE *out, Graph *g, Fusion *f);
} Pass;
extern const Pass passes[PASS_COUNT];
int pass_find(const char *name); /* its PassId, or -1 */
/* "frontend, simplify, ...": the names, for messages */
const char *pass_names(Arena *a);
/* Runs the passes from, ..., to - 1 over l, each followed by step(): what the pass
 * changed is verified (the graph by pass_verify, the groups by verify_fusion; debug builds
 * verify everything after every pass; a failure is an internal error), then --dump-after
 * prints. 0, or 1 when the frontend failed (l->err). */
int lower(Lowering *l, PassId from, PassId to);

/* verify.c: whether f keeps what pass (PASS_FUSE, PASS_CHUNK or PASS_MEMPLAN) guarantees
 * of the groups: 0, or 1 with why (n bytes) naming the group. */
int verify_fusion(const Graph *g, const Fusion *f, PassId pass, char *why, size_t n);

/* emit.c — requires: planned groups (memplan). guarantees: one self-contained C11 file. */
char *emit_program(Graph *g, Fusion *f, const Options *o, size_t *len);

/* emit_rows.c: the dataframe scans (one per source with results): their C, the results'
 * table cd_results, and the calls that run them before the arrays' groups. */
/* buffer_of: the buffer of each node a group stores (from_arrays' columns are read there) */
void emit_dataframes(StrBuf *b, Graph *g, const int *buffer_of, bool mpi); /* --mpi */
/* in cd_run: the CSV scans before the arrays run, from_arrays' scans and the operations on
 * results after */
void emit_dataframe_runs(StrBuf *b, const Graph *g);
void emit_dataframe_runs_end(StrBuf *b, const Graph *g);

/* dump.c */
void dump_text(FILE *out, Graph *g, Fusion *f);
void dump_tiles(FILE *out, Graph *g, Fusion *f);  /* chunk's decisions, per group */
void dump_memory(FILE *out, Graph *g, Fusion *f); /* memplan's, and the peak */
/* The dump path names (.dot or .json by its extension) of g, with f's groups if f: the
 * text (malloc'd, *len bytes), or NULL when out of memory. compile() writes it at the end. */
char *dump_file(const char *path, Graph *g, Fusion *f, size_t *len);
bool dump_name_ok(const char *path); /* ends in .dot or .json */
/* The Graphviz text of a picture (da.visualize, --visualize): malloc'd, *len bytes; NULL
 * with why in err (nothing to draw after fusion, out of memory). */
char *dump_picture(Graph *g, Fusion *f, const Picture *p, size_t *len, char *err, size_t n);
void explain(FILE *out, Graph *g, Fusion *f, bool mpi); /* mpi: each group's bytes moved */

/* cost.c: a group's predicted work (cost.c's header defines each number), for --explain
 * and the manifest's "cost" */
typedef struct {
  double elements, bytes_read, bytes_written, flops;
  bool kernels; /* it calls the user's C, whose work is not counted */
} GroupCost;
GroupCost *group_costs(const Graph *g, const Fusion *f); /* one per group, in the arena */

/* mpi_plan.c: what each group's exchanges move under --mpi, as the emitter planned them
 * (Group.mpi), for --explain and the manifest. */
double mpi_allreduce_bytes(const MpiPlan *m, int64_t ranks); /* each way, per rank */
void mpi_explain_group(FILE *out, const MpiPlan *m);         /* "  mpi: ..." or nothing */
void mpi_manifest_group(StrBuf *b, const MpiPlan *m);        /* ", \"mpi\": {...}" */

/* picture.c: da.visualize and --visualize (dump_picture's text, through Graphviz's dot) */
const char *picture_format(const char *path); /* "svg", "png", "pdf", "dot" or NULL */
bool picture_rankdir_ok(const char *rankdir); /* TB, LR, BT or RL */
/* Before any work: dot is on PATH (unless format is "dot") and path can be written; 0, or
 * -1 with why in err. */
int picture_check(Arena *a, const char *path, const char *format, char *err, size_t n);
/* The text of the pictures before fusion (of the script's and extra, --visualize, or
 * NULL): the graph as the frontend made it, before simplify rewrites it. */
void pictures_before(Graph *g, Picture *extra);
/* Draws the script's pictures and extra, all or none: 0, or 1 after a message naming the
 * script's line or the option. */
int pictures_draw(Graph *g, Fusion *f, const Picture *extra);

/* manifest.c */
const char *manifest_json(Graph *g, Fusion *f, const Options *o);
const char *sha256_file_hex(Arena *a, const char *path);
/* The length of the UTF-8 sequence at s (n bytes left), or 0 if it is not valid UTF-8. */
size_t utf8_sequence(const char *s, size_t n);
/* s as a JSON string (NULL: ""); bytes that are not UTF-8 become U+FFFD, so the text is
 * always valid JSON. */
void json_string(StrBuf *b, const char *s);

/* main.c */
struct Options {
  const char *script;
  const char *out;        /* -o */
  const char *emit_c;     /* --emit-c */
  const char *dump_graph; /* --dump-graph */
  const char *dump_fused; /* --dump-fused */
  const char *dump_after; /* --dump-after=PASS */
  bool explain;
  const char *visualize; /* --visualize FILE, relative to the working directory */
  const char *rankdir;   /* --rankdir (NULL: TB) */
  bool optimize_graph;   /* --optimize-graph */
  bool native;
  const char *cc;
  bool cc_gcc;        /* cc is GCC (cc_is_gcc): it gets -fwhole-program */
  const char *cflags; /* extra flags from --cflags */
  const char *script_sha256;
  const char *c_name;          /* the emitted file's name, for its header */
  int64_t memory_limit;        /* --memory-limit: bytes, CDRT_MEMORY_LIMIT_NONE or _DEFAULT */
  const char *fft_wisdom_file; /* --fft-wisdom */
  const char *fft_wisdom;      /* its text, embedded in programs with FFTs */
  bool unsafe_lua;             /* --unsafe-lua */
  double lua_time_limit;       /* --lua-time-limit (0: none) */
  int64_t lua_memory_limit;    /* --lua-memory-limit (0: none) */
  bool no_blocks; /* $CDASKC_NO_BLOCKS set and not 0: no blocked tasks (tests: same bits) */
  bool mpi;       /* --mpi: built with mpicc, tiles distributed over the ranks (runtime/mpi.c) */
  cdrt_job job;   /* --job and its options (runtime/jobscript.c) */
  const char *job_path; /* with --job: PROGRAM.sbatch or PROGRAM.pbs, next to the program */
  const char *job_text; /* its text */
  Arena *arena;
};

/* cc.c: the C compiler, run without a shell (an argument vector, fork/exec). */
/* The flags cdaskc passes to the C compiler (g's kernel files' cflags last), for the
 * manifest and the file header; the libraries (the kernel files' first). */
const char *cc_flags(const Options *o, const Graph *g);
const char *cc_libs(const Graph *g);
/* Splits s into words as a POSIX shell would, without any expansion: blanks separate
 * words, '...' keeps everything, "..." keeps everything but \" \\ \$ \` (the escaped
 * character), a backslash outside quotes keeps the next character. Appends them to
 * (*argv, *argc), grown in the arena; -1 on an unterminated quote. */
int cc_split_words(Arena *a, const char *s, const char ***argv, int *argc);
/* Builds cfile into out: 0, or -1 after a message on stderr. */
int run_cc(const Options *o, const Graph *g, const char *cfile, const char *out);
/* 1 if the command's first word names an executable (a path, or found in $PATH). */
int cc_found(const Options *o, const char *cc);
bool cc_is_gcc(const Options *o);

/* outputs.c: cdaskc's files (the dumps, the C, the program). outputs_open opens them all
 * before the script runs (a path that cannot be written fails before any work);
 * outputs_commit writes and commits them once the whole compile succeeded, the program
 * last (the C compiler writes its temporary name); on an error or a signal nothing is left
 * (runtime/outfile.c). */
typedef struct {
  cdrt_outfile graph, fused, c, program;
  cdrt_outfile job; /* --job's script, committed with the program (or the C, --emit-c) */
  char *graph_text, *fused_text; /* dump_file's texts, rendered when their pass ran */
  size_t graph_len, fused_len;
  char *scratch_c, *scratch_prog; /* in $TMPDIR, when the C or program is written in place */
  void *scratch_c_entry, *scratch_prog_entry; /* in the cleanup list */
} Outputs;
/* exits with a message if one cannot be written */
void outputs_open(Outputs *w, const Options *o);
/* the dumps and the C committed, then the program built and committed: 0, or 1 after a
 * message */
int outputs_commit(Outputs *w, const Options *o, const Graph *g, const char *c, size_t len);
void outputs_abort(Outputs *w); /* what was not committed is removed */

/* csv_sniff.c: a CSV file's schema at compile time (pandas' header and type ladder). */
typedef enum { CSV_INT64, CSV_FLOAT64, CSV_BOOL, CSV_STR, CSV_NTYPES } CsvType;
typedef struct {
  char sep, quote;
  bool default_na;       /* pandas' 19 NA strings (keep_default_na) */
  const char *const *na; /* and these (na_values) */
  int nna;
  int64_t sample_rows;      /* rows read after the header */
  bool no_header;           /* header = None: the first row is data */
  const char *const *names; /* names: the columns' names (the header row, if any, is replaced) */
  int nnames;
  bool skip_long;  /* on_bad_lines "warn" or "skip": a row with too many fields is left out */
  bool no_rows_ok; /* a header without rows is no error (one file of a glob) */
} CsvSniffOptions;
typedef struct {
  int ncols;
  char **names;
  CsvType *types;
  bool *missing; /* per column: a missing value was seen */
  bool *nat;     /* per column: "NaT" was seen (missing in a datetime column) */
  int64_t rows;  /* rows sampled */
  bool whole;    /* they were all the file's */
} CsvSchema;
const char *csv_type_name(CsvType t); /* "int64", "float64", "bool", "str" */
bool csv_is_na(const char *s, size_t n, const CsvSniffOptions *o);
const char *const *csv_default_na(int *n); /* pandas' 19, "" first */
/* data[0, n) is the whole file: 0 and *out (allocated in a), or -1 and err ("line L: ...":
 * invalid UTF-8, a quote never closed, a row with too many fields, a repeated name; an empty
 * file, no rows). A row with too few fields is padded with missing values, as pandas does. */
int csv_sniff(Arena *a, const char *data, int64_t n, const CsvSniffOptions *o, CsvSchema *out,
              char *err, size_t errlen);

/* message.c: cdaskc's own messages (options, files, the C compiler) */
void cdaskc_say(const char *fmt, ...) __attribute__((format(printf, 1, 2))); /* "cdaskc: ..." */
_Noreturn void cdaskc_vquit(int code, const char *fmt, va_list ap); /* the same, then exit */

#endif
