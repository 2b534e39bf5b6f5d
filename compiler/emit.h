/* emit.h: shared by the emitter's files. */
#ifndef CDASK_EMIT_H
#define CDASK_EMIT_H

#include "cdask.h"

/* A value inside a fused loop: node `node` read through `map` (domain -> node index). */
typedef struct {
  int node;
  const Affine *map;       /* shared: terms seen through the same map point to one copy */
  int64_t c0, c[MAXDIM];   /* row-major linear offset = c0 + sum_k c[k] * i_k */
  int in[MAXIN];           /* input terms */
  bool leaf;               /* read from memory or generated from the index */
  bool mem;                /* a leaf read from a stored array (p<k>[...]) */
  bool streamed;           /* mem, from the block a streamed kernel made for this tile */
  int blocked;             /* 1 or 2: a leaf read from the task's block buffer x1 or x2 */
  int64_t bc0, bc[MAXDIM]; /* blocked: offset coefficients into the block buffer */
} Term;

/* Random leaves generated, or input files read, per task in blocks (whole rows: the fast
 * path of the generator, one pread per row) instead of per strip, sub-box by sub-box. With
 * two views of one array related by an involution of the tile grid (a.T next to a,
 * b[::-1, ::-1] next to b), the task computes the tile and its mirror from the same two
 * blocks: every element is made once. */
typedef struct {
  bool on;
  int node;            /* the random node or input file */
  const char *ct;      /* its element's C type */
  int k[2];            /* its terms (k[1] = -1: a single view, no mirror tile) */
  Affine sigma;        /* domain -> domain: the mirror (identity when single) */
  int64_t bs[MAXDIM];  /* row-major strides of a block buffer (over the source axes) */
  int64_t belems;      /* elements of a block buffer */
  int64_t sub[MAXDIM]; /* a task walks its tile in sub-boxes of these extents (blocks fit L2) */
  const char *rows_t;  /* whole-array pairwise sums: the type of the rows the task keeps */
  int64_t nrows;       /* and how many a tile has at most */
  bool self_pair;      /* a self-mirror tile pairs its sub-boxes S and sigma(S) */
} Blocking;

typedef struct ReadLog ReadLog; /* emit_exchange.c */

typedef struct {
  Graph *g;
  Fusion *f;
  Group *gr;
  StrBuf *b;
  int computed_root; /* a stored group's own node: computed here, not read */
  int *buffer_of;    /* node id -> index in cd_buffers, or -1 */
  Term *terms;
  int nterms, termcap;
  int *term_slot;      /* hash table of the terms by (node, map): term index + 1, 0 empty */
  size_t term_mask;    /* its size - 1 (a power of two) */
  bool strips_on_heap; /* the strip buffers are one heap block per tile (emit_term_decls) */
  int n;               /* emitted rank of the domain (at least 1) */
  int64_t shape[MAXDIM], chunk[MAXDIM];
  int64_t lo[MAXDIM], hi[MAXDIM]; /* the part of the domain computed */
  Blocking blk;
  uint32_t *vkernels; /* the runtime's vector kernels the C calls: CDRT_VK() bits */
  bool no_blocks;     /* Options.no_blocks */
  bool mpi;           /* Options.mpi: this rank's tiles, then the completion (runtime/mpi.c) */
  ReadLog *reads;     /* --mpi: every group's reads, for the planned exchanges */
  /* --mpi, an FFT group whose tiles are owned by the slabs of its transform's first pass
   * (emit_group.c): that pass's axis, and the shape of the array the tiles write */
  bool fft_slabs;
  int fft_axis;
  int64_t fft_written[MAXDIM];
} GroupEmit;

/* emit_exchange.c: --mpi, the planned exchange of stored arrays (gK_needs) */
ReadLog *read_log_new(Arena *a, int ngroups);
void read_log_group(ReadLog *log, const GroupEmit *ge); /* after the group is emitted */
/* whether group ge's array is completed by cdrt_mpi_gather_needs with gK_needs (noted) */
bool exchange_planned(ReadLog *log, const GroupEmit *ge);
/* A planned store group that reads no other group's array and no random numbers (input
 * files, arange, constants): each rank computes the tiles its readers read rather than
 * receiving them (reading a file costs less than a message, and no rank waits). */
bool exchange_recomputed(const GroupEmit *ge);
void emit_exchange_needs(StrBuf *b, Graph *g, const Fusion *f, const ReadLog *log); /* last */

/* emit_index.c: what the emitted C reads like: "1000 * i0 + j0" */
/* c0 + sum_d c[d] * var[d]: zero terms and unit factors dropped, the constant first, "0"
 * when nothing is left, " - 3 * i0" for negative coefficients (the value is the same);
 * var[d] is not read when c[d] is 0 */
void sb_linear(StrBuf *b, int64_t c0, int n, const int64_t *c, const char *const *var);
const char *linear_expr(Arena *a, int64_t c0, int n, const int64_t *c, const char *const *var);
const char *int_list(Arena *a, int n, const int64_t *v); /* "{1, 2, 3}" ("{}" for none) */
/* "i0", "i1", ..., "i{n-1}", the last one replaced by `last` (e.g. "j0") when not NULL */
const char *const *axis_vars(Arena *a, int n, const char *last);

/* emit_expr.c: statements of a fused loop's body */
void emit_term_decls(GroupEmit *ge);
void emit_strip_stages(GroupEmit *ge, int root);
bool needs_strip_buffers(GroupEmit *ge, int root); /* any term staged through a strip buffer */
void emit_term_frees(GroupEmit *ge);               /* at the end of a tile function */
void emit_loop_value(GroupEmit *ge, int k, bool *done);
const char *term_ref(GroupEmit *ge, int k);

/* emit_terms.c: the term DAG of a group */
int term_build(GroupEmit *ge, int id, const Affine *m);
/* computed into a strip buffer by a runtime call (random numbers, input files, vector
 * kernels), not inline */
bool term_buffered(const Graph *g, const Term *t);

/* emit.c: s as a C string literal (escapes: quotes, backslashes, '?' against trigraphs,
 * bytes outside printable ASCII as octal), for tables and #line file names */
void c_string(StrBuf *b, const char *s);
void c_string_or_null(StrBuf *b, const char *s); /* c_string, or NULL */

/* emit_ops.c: the C text of values and operations */
const char *c_double(Arena *a, double v);
const char *c_comment(Arena *a, const char *s);
const char *c_type_suffix(DType t); /* of the runtime's helpers: "f64", "i32", "u8", "c128" */
const char *c_cast_expr(Arena *a, DType from, DType to, const char *v); /* NumPy's astype */
/* op on operands v[0..arity-1] of type it (the second's for where), e.g. "v0 + v1",
 * "cdrt_maximum_f64(v0, v1)" */
const char *c_op_expr(Arena *a, Op op, DType it, const char *const *v);
const char *c_source_expr(Arena *a, const Node *x, const char *idx); /* full, arange, linspace */
/* a scalar kernel's call on operands v[0..n-1]: "cd_call_f(v0, v1)" (emit_kernels.c's wrapper) */
const char *c_call_expr(Arena *a, const Kernel *k, const char *const *v, int n);
cdrt_vkernel op_vkernel(Op op, DType t); /* of a vector kernel (F_VM) or random source */

/* emit_kernels.c: the user's kernel files pasted after the runtime (#line directives name
 * them; c_name is the emitted file's name, for the #line back), and the wrappers
 * cd_call_NAME of the scalar kernels the groups call */
void emit_kernel_files(StrBuf *b, const Graph *g, const char *c_name);
void emit_kernel_wrappers(StrBuf *b, const Graph *g, const Fusion *f);

/* emit_block.c: the blocked group's generator and task functions (the plan: blocking.c) */
void emit_block_task(GroupEmit *ge);      /* gK_gen and gK_task, after gK_tile */
bool blocking_paired(const Blocking *bl); /* a task makes a tile and its mirror tile */
const char *tile_params(GroupEmit *ge);
void emit_block_alloc(GroupEmit *ge, bool alloc); /* in gK_run: the per-thread buffers */

/* emit_fft.c: the runtime calls of an FFT group, after its input is written */
/* gK_transform: the calls after the tiles; needs: its output goes by gK_needs (--mpi) */
void emit_fft_transform(GroupEmit *ge, bool needs);
/* The axis of the transform's first pass (as runtime/fft.c runs them), or -1 (none). */
int fft_first_pass_axis(const GroupEmit *ge);

/* emit_group.c: a group's tile and run functions; what stores and reductions share */
void emit_group(GroupEmit *ge);
int64_t grid_chunks(const GroupEmit *ge, int d); /* chunks of the domain along axis d */
/* sum_d stride[d] * i<d> over the axes in mask, the last axis read as the strip's j0 */
const char *strided_index(const GroupEmit *ge, const int64_t *stride, unsigned mask);
void emit_tile_head(GroupEmit *ge);
/* Loop openers: they leave the loops open for their caller, which closes them with
 * emit_close_n. Axes in mask (never the last) over the sub-box slo/shi or the tile lo/hi,
 * outer first; each returns how many loops it opened. */
int open_subbox_axes(StrBuf *b, unsigned mask);
int open_tile_axes(StrBuf *b, unsigned mask);
void open_strip(StrBuf *b, int last);             /* j0 .. j0 + n over the sub-box's last axis */
void open_row_or_strips(GroupEmit *ge, int root); /* the same, one strip per row if it may */
void emit_close_n(StrBuf *b, int count);
void emit_buffer_alloc(StrBuf *b, int k);
void emit_tile_loop(GroupEmit *ge); /* in gK_run: the tiles (or tasks) as OpenMP tasks */
/* --mpi: cdrt_mpi_complete of what the tiles wrote (data, bytes: C expressions); nothing
 * without --mpi */
void emit_mpi_group(GroupEmit *ge); /* first in gK_run: the exchanges that follow are K's */
/* bytes: a C expression of nbytes, the number Group.mpi records for --explain */
void emit_mpi_complete(GroupEmit *ge, const char *data, const char *bytes, double nbytes,
                       bool ones);
void emit_mpi_complete_buffer(GroupEmit *ge); /* the group's own buffer */
void emit_buffer_frees(GroupEmit *ge);        /* in gK_run, after the tiles */

/* blocking.c: the Blocking of a group (ge->blk) and its blocked terms, decided after
 * term_build; no text */
void blocking_plan(GroupEmit *ge);
/* The parts of the plan tests/unit/test_blocking.c checks: */
/* m's source axis d reads domain axis perm[d] with coefficient +-1, each domain axis once */
bool permutation_like(const Affine *m, int n, int *perm);
/* s = m1^-1 o m2 (domain -> domain; p1 from permutation_like(m1)): true if s is an
 * involution mapping the tiles of ge's chunk grid onto tiles */
bool tile_mirror(const GroupEmit *ge, const Affine *m1, const int *p1, const Affine *m2, Affine *s);
/* a tile may be walked along domain axis q in sub-boxes visited in direction dir (+1:
 * ascending) with every result bit unchanged (reads ge->blk.rows_t) */
bool cut_ok(const GroupEmit *ge, int q, int dir);
/* ge->blk.sub: the sub-box extents (paired: ge->blk.sigma is the mirror) */
void plan_subboxes(GroupEmit *ge, bool paired);

/* emit_task.c: the runs of task groups (delayed): tables of calls spawned as OpenMP tasks
 * with dependencies (before cd_run) */
void emit_tasks(StrBuf *b, Graph *g, Fusion *f, bool mpi); /* mpi: run on rank 0, shared */
/* In cd_run: the call of the run of task groups that starts at group k; returns the first
 * group after the run. */
int emit_task_run_call(StrBuf *b, const Graph *g, const Fusion *f, int k);
/* emit_map_blocks.c: a G_BLOCK group's tile and run functions (map_blocks, map_overlap) */
void emit_map_blocks(GroupEmit *ge);

/* emit_reduce.c: a reduction group's tile, combine and run functions */
void emit_reduce(GroupEmit *ge, int root);
enum { COMBINE_BLOCK = 4096 }; /* outputs per combine task */

/* emit_rows.c's helpers that emit_join.c shares: the C type of a column type (CDRT_COL_*),
 * a result computed by its source's scan, "DECL[] = {v...};", an aggregate's update */
extern const char *const df_col_ctype[];
bool df_result_scans(const TResult *q);
void c_ints(StrBuf *b, const char *decl, const int *v, int n);
void emit_agg_update(StrBuf *b, Arena *a, const Tables *t, int r);
/* A groupby's rows wait in a batch of GB_BATCH (emit_rows.c); a row's entry in groupby r's
 * batch ("q." or "gq->") */
enum { GB_BATCH = 16 };
void emit_gb_push(StrBuf *b, Arena *a, const Tables *t, int r, const char *batch);
/* emit_join.c: merges pushed into a scan (TJoin). Some output needs a result of source s
 * over join j's matches; join j's declarations before source s's block function (used:
 * the expressions the scan computes; gb: s has groupbys, whose batch (cd_batchS) the
 * probes take); join j's row in the row loop (into the batch) */
bool df_join_live(const Tables *t, int s, int j);
void emit_join_decls(StrBuf *b, Graph *g, int s, int j, const bool *used, bool gb);
void emit_join_push(StrBuf *b, Arena *a, const Tables *t, int s, int j, bool gb);

/* Every emitting function leaves the indentation as it found it, and says so at its end:
 *   int depth = emit_depth(b); ... emit_check_depth(b, depth);
 * (an internal error naming the function otherwise) */
#define emit_depth(b) ((b)->indent)
#define emit_check_depth(b, depth)                                                                 \
  do {                                                                                             \
    if ((b)->indent != (depth)) emit_depth_error((b)->indent, (depth), __func__);                  \
  } while (0)
_Noreturn void emit_depth_error(int indent, int depth, const char *fn); /* emit_group.c */

#endif
