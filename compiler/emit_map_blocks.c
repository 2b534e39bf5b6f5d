/* emit_map_blocks.c: a G_BLOCK group (da.map_blocks, da.map_overlap) as C. The tile
 * function handles one output block: the runtime (halo.c) gathers each input's block with
 * its halo into a buffer of exactly its size and describes the blocks (cdask_block), the
 * kernel is called with the arguments its parameters bind to (arrays as typed pointers,
 * numbers as literals, the output block, the descriptions), then the runtime copies the
 * output block, trimmed, into the array. The tiles are OpenMP tasks like any group's; an
 * impure kernel's blocks run one after another, in block order. A streamed group's blocks
 * are made by its reader's tiles (emit_expr.c emit_term_decls), never copied. */
#include "emit.h"

#include <string.h>

/* The C literal of a 0-d constant passed by value, of its dtype. */
static const char *value_literal(Arena *a, const Node *x) {
  if (dtype_is_float(x->dtype) || dtype_is_complex(x->dtype)) return c_double(a, x->value.f);
  if (x->dtype == CDRT_INT64) return arena_printf(a, "INT64_C(%lld)", (long long)x->value.i);
  return arena_printf(a, "%lld", (long long)x->value.i);
}

/* Input k is a number bound to a value parameter (not gathered). */
static bool by_value(const Graph *g, const Node *s, int k) {
  const Kernel *kn = &g->kernels[s->call.kernel];
  for (int p = 0; p < kn->nparams; p++)
    if (s->call.bind[p] == k && kn->params[p].kind == KP_VALUE) return true;
  return false;
}

static const char *shape_list(Arena *a, int n, const int64_t *v) {
  return n ? int_list(a, n, v) : "{0}";
}

/* gK_in: what the runtime needs of each input; gK_block: of the group. */
static void emit_tables(GroupEmit *ge, int nloop) {
  Graph *g = ge->g;
  Arena *a = g->arena;
  StrBuf *b = ge->b;
  const Node *s = &g->nodes[ge->gr->sink];
  int k = ge->gr->id;
  for (int i = 0; i < s->nin; i++) {
    const Node *x = &g->nodes[s->in[i]];
    if (s->block.boundary != CDRT_BOUNDARY_CONSTANT || by_value(g, s, i)) continue;
    Node c = {.dtype = x->dtype};
    full_value(&c, CDRT_FLOAT64, 0, s->block.cval);
    const char *v = value_literal(a, &c);
    if (dtype_is_complex(x->dtype)) v = arena_printf(a, "{%s, 0}", v);
    sb_line(b, "static const %s g%d_cval%d = %s;", dtype_ctype(x->dtype), k, i, v);
  }
  sb_line(b, "static const cdrt_bk_input g%d_in[%d] = {", k, s->nin);
  b->indent++;
  for (int i = 0; i < s->nin; i++) {
    const Node *x = &g->nodes[s->in[i]];
    bool constant = s->block.boundary == CDRT_BOUNDARY_CONSTANT && !by_value(g, s, i);
    static const char *const modes[] = {"NONE", "REFLECT", "PERIODIC", "NEAREST", "CONSTANT"};
    int from = ge->f->group_of[s->in[i]];
    const char *eval =
        from >= 0 && ge->f->groups[from].halo_inline ? arena_printf(a, "g%d_box", from) : "NULL";
    sb_line(b, "{%d, %d, %d, %s, %s, %s, CDRT_BOUNDARY_%s, %s, %s},", x->ndim, nloop - x->ndim,
            (int)cdrt_dtype_size(x->dtype), shape_list(a, x->ndim, x->shape),
            shape_list(a, x->ndim, x->chunk), shape_list(a, x->ndim, s->block.depth),
            modes[s->block.boundary], constant ? arena_printf(a, "&g%d_cval%d", k, i) : "NULL",
            eval);
  }
  b->indent--;
  sb_line(b, "};");
  int loop_of[MAXDIM];
  for (int d = 0, l = 0; d < s->ndim; d++) {
    if (s->block.new_axes >> d & 1) {
      loop_of[d] = -1;
      continue;
    }
    while (s->block.drop_axes >> l & 1) l++;
    loop_of[d] = l++;
  }
  const char *lo = "";
  for (int d = 0; d < s->ndim; d++) lo = arena_printf(a, "%s%s%d", lo, d ? ", " : "", loop_of[d]);
  sb_line(b, "static const cdrt_bk_group g%d_block = {", k);
  b->indent++;
  sb_line(b, "\"%s\", %d, %d, {%s}, %uu, %d,", g->kernels[s->call.kernel].name, nloop, s->ndim,
          s->ndim ? lo : "0", s->block.drop_axes, (int)cdrt_dtype_size(s->dtype));
  sb_line(b, "%s, %s, %d, %d, g%d_in,", shape_list(a, s->ndim, s->shape),
          shape_list(a, s->ndim, s->chunk), s->block.trim, s->nin, k);
  b->indent--;
  sb_line(b, "};");
  sb_line(b, "static cdrt_bk_pool *g%d_pool;", k);
}

/* A value parameter's argument: a constant's literal, or a stored 0-d array's element. */
static const char *value_arg(GroupEmit *ge, const KParam *kp, int id) {
  Arena *a = ge->g->arena;
  const Node *x = &ge->g->nodes[id];
  if (x->op == OP_FULL && x->ndim == 0 && ge->buffer_of[id] < 0)
    return arena_printf(a, "(%s)%s", kp->ctype, value_literal(a, x));
  return arena_printf(a, "(%s) * (const %s *)cd_buffers[%d].data", kp->ctype, dtype_ctype(x->dtype),
                      ge->buffer_of[id]);
}

/* The kernel's call: each parameter's argument, cast to its C type as written. */
static const char *kernel_call(GroupEmit *ge) {
  Graph *g = ge->g;
  Arena *a = g->arena;
  const Node *s = &g->nodes[ge->gr->sink];
  const Kernel *kn = &g->kernels[s->call.kernel];
  const char *args = "";
  for (int p = 0; p < kn->nparams; p++) {
    const KParam *kp = &kn->params[p];
    int bnd = s->call.bind[p];
    const char *v = bnd == CALL_OUT        ? arena_printf(a, "(%s)cd_bt->out", kp->ctype)
                    : bnd == CALL_BLOCK    ? "cd_bt->info"
                    : kp->kind == KP_VALUE ? value_arg(ge, kp, s->in[bnd])
                                           : arena_printf(a, "(%s)cd_bt->in[%d]", kp->ctype, bnd);
    args = arena_printf(a, "%s%s%s", args, p ? ", " : "", v);
  }
  return arena_printf(a, "%s(%s)", kn->name, args);
}

/* gK_kernel: output block t's inputs gathered and the kernel called; the block is left in
 * cd_bt for the caller: gK_tile copies it into the array, a streamed group's reader reads
 * it where it is (cdrt_bk_view). */
static void emit_kernel_function(GroupEmit *ge) {
  Graph *g = ge->g;
  Arena *a = g->arena;
  StrBuf *b = ge->b;
  const Node *s = &g->nodes[ge->gr->sink];
  const Kernel *kn = &g->kernels[s->call.kernel];
  int k = ge->gr->id;
  int depth = emit_depth(b);
  emit_open(b, "static void g%d_kernel(int64_t cd_t, cdrt_bk_tile *cd_bt)", k);
  const char *src = "";
  for (int i = 0; i < s->nin; i++)
    src = arena_printf(a, "%s%s%s", src, i ? ", " : "",
                       by_value(g, s, i) || ge->buffer_of[s->in[i]] < 0 ||
                               ge->f->groups[ge->f->group_of[s->in[i]]].halo_inline
                           ? "NULL"
                           : arena_printf(a, "cd_buffers[%d].data", ge->buffer_of[s->in[i]]));
  sb_line(b, "const void *cd_src[%d] = {%s};", s->nin, src);
  const char *dst = ge->gr->stream_into >= 0
                        ? "NULL"
                        : arena_printf(a, "cd_buffers[%d].data", ge->buffer_of[ge->gr->sink]);
  sb_line(b, "cdrt_bk_begin(&g%d_block, g%d_pool, cd_t, g%d_lo, g%d_hi, cd_src, %s, cd_bt);", k, k,
          k, k, dst);
  sb_line(b, "/* %s:%d  %s */", c_comment(a, s->file), s->line, s->src ? c_comment(a, s->src) : "");
  bool status =
      kn->ret >= 0 && !dtype_is_float((DType)kn->ret) && !dtype_is_complex((DType)kn->ret);
  if (status) {
    sb_line(b, "const long long cd_rc = (long long)%s;", kernel_call(ge));
    sb_line(b, "if (cd_rc) cdrt_bk_failed(&g%d_block, cd_bt, cd_rc);", k);
  } else {
    sb_line(b, "%s%s;", kn->ret >= 0 ? "(void)" : "", kernel_call(ge));
  }
  emit_close(b, NULL);
  emit_check_depth(b, depth);
}

static void emit_tile(GroupEmit *ge) {
  StrBuf *b = ge->b;
  int k = ge->gr->id;
  int depth = emit_depth(b);
  emit_open(b, "static void g%d_tile(int64_t cd_t)", k);
  sb_line(b, "cdrt_bk_tile cd_bt;");
  sb_line(b, "g%d_kernel(cd_t, &cd_bt);", k);
  sb_line(b, "cdrt_bk_end(&g%d_block, &cd_bt);", k);
  emit_close(b, NULL);
  emit_check_depth(b, depth);
}

/* --mpi, a pure kernel's output blocks (each written by the rank that runs its tile) go
 * where the readers' tiles read them, like a plain store's (emit_exchange.c), rather than
 * being or-ed whole on every rank. */
static void emit_gather_blocks(GroupEmit *ge) {
  Arena *a = ge->g->arena;
  const Node *s = &ge->g->nodes[ge->gr->sink];
  int k = ge->gr->id, n = s->ndim;
  sb_line(ge->b, "static const int64_t g%d_written[%d] = %s;", k, n, int_list(a, n, s->shape));
  sb_line(ge->b, "static const int64_t g%d_chunk[%d] = %s;", k, n, int_list(a, n, s->chunk));
  sb_line(ge->b,
          "cdrt_mpi_gather_needs(cd_buffers[%d].data, %d, g%d_written, sizeof(%s), g%d_lo, g%d_hi, "
          "g%d_chunk, %lld, g%d_needs); /* what each rank's readers read */",
          k, n, k, dtype_ctype(s->dtype), k, k, k, (long long)ge->gr->ntiles, k);
  ge->gr->mpi.gather = MPI_GATHER_NEEDS; /* for --explain */
  ge->gr->mpi.gathered = (double)node_size(s) * (double)cdrt_dtype_size(s->dtype);
}

static void emit_run(GroupEmit *ge) {
  Graph *g = ge->g;
  StrBuf *b = ge->b;
  const Node *s = &g->nodes[ge->gr->sink];
  int k = ge->gr->id;
  int depth = emit_depth(b);
  bool planned = ge->mpi && !node_has_effect(g, s) && s->ndim > 0 && ge->gr->donor < 0 &&
                 exchange_planned(ge->reads, ge);
  if (planned) sb_line(b, "static void g%d_needs(int rank, cdrt_needs *nd); /* below */", k);
  emit_open(b, "static void g%d_run(void)", k);
  emit_mpi_group(ge);
  if (planned) /* every byte a rank reads is its own or received */
    sb_line(b, "cdrt_buffer_alloc_raw(&cd_buffers[%d]); /* not zeroed: no OR */", k);
  else
    emit_buffer_alloc(b, k);
  sb_line(b, "g%d_pool = cdrt_bk_pool_new(%d);", k, s->nin + 1);
  if (node_has_effect(g, s)) {
    sb_line(b, "/* an impure kernel: its blocks run in order */");
    if (ge->mpi) sb_line(b, "if (cdrt_mpi_rank() == 0) /* once, on rank 0 */");
    sb_line(b, "for (int64_t t = 0; t < %lld; t++) cdrt_task(%d, t, g%d_tile);",
            (long long)ge->gr->ntiles, k, k);
  } else {
    emit_tile_loop(ge);
  }
  if (planned)
    emit_gather_blocks(ge);
  else
    emit_mpi_complete_buffer(ge);
  sb_line(b, "cdrt_bk_pool_free(g%d_pool);", k);
  emit_buffer_frees(ge);
  emit_close(b, NULL);
  emit_check_depth(b, depth);
}

void emit_map_blocks(GroupEmit *ge) {
  Group *gr = ge->gr;
  Graph *g = ge->g;
  StrBuf *b = ge->b;
  const Node *s = &g->nodes[gr->sink];
  int depth = emit_depth(b);
  int nloop = 0;
  for (int i = 0; i < s->nin; i++)
    if (!by_value(g, s, i) && g->nodes[s->in[i]].ndim > nloop) nloop = g->nodes[s->in[i]].ndim;
  int n = gr->ndim > 0 ? gr->ndim : 1;
  int64_t lo[MAXDIM] = {0}, hi[MAXDIM] = {1};
  for (int d = 0; d < gr->ndim; d++) lo[d] = gr->lo[d], hi[d] = gr->hi[d];
  sb_line(b, "static const int64_t g%d_lo[%d] = %s;", gr->id, n, int_list(g->arena, n, lo));
  sb_line(b, "static const int64_t g%d_hi[%d] = %s;", gr->id, n, int_list(g->arena, n, hi));
  emit_tables(ge, nloop);
  emit_kernel_function(ge);
  if (gr->stream_into >= 0) { /* group stream_into's tiles call gK_kernel and read the block */
    sb_line(b, "/* streamed: group %d's tiles make these blocks (no array, no run) */",
            gr->stream_into);
    emit_check_depth(b, depth);
    return;
  }
  emit_tile(ge);
  sb_puts(b, "\n");
  emit_run(ge);
  emit_check_depth(b, depth);
}
