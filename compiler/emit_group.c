/* emit_group.c: one fused group as C: a tile function (one loop nest over a chunk of the
 * domain, strips of the innermost axis) and a run function that spawns the tiles as OpenMP
 * tasks; here for stores (elementwise results, scans, an FFT's input), with the loop
 * openers and run-function parts reductions share (emit_reduce.c). */
#include "emit.h"

#include <stdlib.h>
#include <string.h>

_Noreturn void emit_depth_error(int indent, int depth, const char *fn) {
  fprintf(stderr, "cdaskc: internal error: %s leaves the emitted C at depth %d, not %d\n", fn,
          indent, depth);
  abort();
}

int64_t grid_chunks(const GroupEmit *ge, int d) {
  return ge->shape[d] ? (ge->shape[d] + ge->chunk[d] - 1) / ge->chunk[d] : 0;
}

const char *strided_index(const GroupEmit *ge, const int64_t *stride, unsigned mask) {
  Arena *a = ge->g->arena;
  int64_t c[MAXDIM];
  for (int d = 0; d < ge->n; d++) c[d] = mask >> d & 1 ? stride[d] : 0;
  return linear_expr(a, 0, ge->n, c, axis_vars(a, ge->n, "j0"));
}

/* Loops run over the sub-box slo/shi of the tile lo/hi (the whole tile unless blocked). */
int open_subbox_axes(StrBuf *b, unsigned mask) {
  int opened = 0;
  for (int d = 0; mask >> d; d++)
    if (mask >> d & 1)
      emit_open(b, "for (int64_t i%d = slo[%d]; i%d < shi[%d]; i%d++)", d, d, d, d, d), opened++;
  return opened;
}

int open_tile_axes(StrBuf *b, unsigned mask) {
  int opened = 0;
  for (int d = 0; mask >> d; d++)
    if (mask >> d & 1)
      emit_open(b, "for (int64_t i%d = lo[%d]; i%d < hi[%d]; i%d++)", d, d, d, d, d), opened++;
  return opened;
}

void emit_close_n(StrBuf *b, int count) {
  for (int i = 0; i < count; i++) emit_close(b, NULL);
}

void open_strip(StrBuf *b, int last) {
  emit_open(b, "for (int64_t j0 = slo[%d]; j0 < shi[%d]; j0 += CDRT_STRIP)", last, last);
  sb_line(b, "const int64_t n = shi[%d] - j0 < CDRT_STRIP ? shi[%d] - j0 : CDRT_STRIP;", last,
          last);
}

/* Where strips change no bits (elementwise stores, partials with the last axis kept) and
 * no term needs a strip buffer, a row is one strip: the loop nest is then simple enough
 * for the C compiler to unroll and jam the rows (one load and store of a partial for
 * several rows: ones((20000, 20000)).mean(0) runs twice as fast). The row is a bare block
 * (no loop), opened here by hand. */
void open_row_or_strips(GroupEmit *ge, int root) {
  int last = ge->n - 1;
  if (needs_strip_buffers(ge, root)) {
    open_strip(ge->b, last);
    return;
  }
  sb_line(ge->b, "{");
  ge->b->indent++;
  sb_line(ge->b, "const int64_t j0 = slo[%d], n = shi[%d] - slo[%d];", last, last, last);
}

void emit_tile_head(GroupEmit *ge) {
  StrBuf *b = ge->b;
  int depth = emit_depth(b);
  int k = ge->gr->id;
  sb_line(b, "int64_t lo[%d], hi[%d];", ge->n, ge->n);
  sb_line(b, "cdrt_tile_box(tile, %d, g%d_lo, g%d_hi, g%d_chunk, lo, hi);", ge->n, k, k, k);
  if (ge->fft_slabs) sb_line(b, "cdrt_fft_clip(lo, hi); /* this rank's part: its slab */");
  if (!ge->blk.on) {
    sb_line(b, "const int64_t *slo = lo, *shi = hi;");
    sb_line(b, "const int first = 1, fin = 1;");
  }
  sb_line(b, "(void)first, (void)fin;");
  emit_term_decls(ge);
  emit_check_depth(b, depth);
}

void emit_buffer_alloc(StrBuf *b, int k) {
  sb_line(b, "cdrt_buffer_alloc(&cd_buffers[%d]);", k);
}

/* The start of gK_run: the group's buffer, new or (in place) the dying input's memory,
 * which the tiles still read through that input's entry until emit_buffer_frees. */
static void emit_buffer_take(GroupEmit *ge) {
  int k = ge->gr->id;
  if (ge->gr->donor >= 0)
    sb_line(ge->b,
            "cdrt_buffer_take(&cd_buffers[%d], &cd_buffers[%d]); /* in place: it dies here */", k,
            ge->gr->donor);
  else
    emit_buffer_alloc(ge->b, k);
}

/* The loop spawning the tiles' tasks: all of them, or this rank's (runtime/mpi.c); an
 * effect's in order on this thread (on rank 0). */
static void emit_task_loop(GroupEmit *ge, bool effect) {
  StrBuf *b = ge->b;
  int k = ge->gr->id;
  const char *lo = "0", *hi = arena_printf(ge->g->arena, "%lld", (long long)ge->gr->ntiles);
  if (ge->mpi) {
    sb_line(b, "const cdrt_range g%d_mine = cdrt_mpi_%stiles(%s);", k, effect ? "root_" : "", hi);
    lo = arena_printf(ge->g->arena, "g%d_mine.lo", k);
    hi = arena_printf(ge->g->arena, "g%d_mine.hi", k);
  }
  if (effect)
    sb_line(b, "/* an effect: the tiles in order, on this thread (the same output each run) */");
  else if (ge->mpi)
    sb_line(b, "#pragma omp taskloop num_tasks(cdrt_num_tasks(%s - %s))", hi, lo);
  else
    sb_line(b, "#pragma omp taskloop num_tasks(cdrt_num_tasks(%s))", hi);
  sb_line(b, "for (int64_t t = %s; t < %s; t++) cdrt_task(%d, t, g%d_%s);", lo, hi, k, k,
          ge->blk.on ? "task" : "tile");
}

/* --mpi, tasks that make a tile and its mirror (emit_block.c): the ranks share the pairs,
 * the tasks that do the work, rather than the task indices (half of which do nothing). */
static void emit_pair_loop(GroupEmit *ge) {
  StrBuf *b = ge->b;
  int k = ge->gr->id;
  sb_line(b, "int64_t g%d_count;", k);
  sb_line(b, "int64_t *g%d_pairs = cdrt_mpi_pairs(%lld, g%d_pair, &g%d_count);", k,
          (long long)ge->gr->ntiles, k, k);
  sb_line(b, "#pragma omp taskloop num_tasks(cdrt_num_tasks(g%d_count))", k);
  /* an unsigned counter: clang warns about its own taskloop code with a signed bound */
  sb_line(
      b,
      "for (uint64_t i = 0; i < (uint64_t)g%d_count; i++) cdrt_task(%d, g%d_pairs[i], g%d_task);",
      k, k, k, k);
  sb_line(b, "free(g%d_pairs);", k);
}

/* The tiles as tasks; none when, in place, they would copy an array onto itself. */
void emit_tile_loop(GroupEmit *ge) {
  StrBuf *b = ge->b;
  int k = ge->gr->id;
  if (ge->gr->copy_only) {
    sb_line(b, "(void)g%d_%s; /* in place over its own input: nothing to copy */", k,
            ge->blk.on ? "task" : "tile");
    return;
  }
  if (ge->blk.on) emit_block_alloc(ge, true);
  int s = ge->gr->streamed; /* the streamed kernel's per-thread buffers */
  if (s >= 0)
    sb_line(b, "g%d_pool = cdrt_bk_pool_new(%d);", s, ge->g->nodes[ge->f->groups[s].sink].nin + 1);
  bool effect = node_has_effect(ge->g, &ge->g->nodes[ge->gr->sink]);
  if (ge->mpi && !effect && blocking_paired(&ge->blk))
    emit_pair_loop(ge);
  else
    emit_task_loop(ge, effect);
  if (ge->blk.on) emit_block_alloc(ge, false);
  if (s >= 0) sb_line(b, "cdrt_bk_pool_free(g%d_pool);", s);
}

void emit_mpi_group(GroupEmit *ge) {
  if (ge->mpi) sb_line(ge->b, "cdrt_mpi_group(%d);", ge->gr->id);
}

/* --mpi, after the tiles: every rank's part of what they wrote, zeroed before (or all
 * ones: ones), made whole on every rank (runtime/mpi.c). */
void emit_mpi_complete(GroupEmit *ge, const char *data, const char *bytes, double nbytes,
                       bool ones) {
  if (!ge->mpi) return;
  sb_line(ge->b, "cdrt_mpi_complete(%s, %s, %d); /* the other ranks' tiles */", data, bytes, ones);
  MpiPlan *m = &ge->gr->mpi; /* for --explain and the manifest */
  if (m->nallreduce < 2) m->allreduce[m->nallreduce++] = nbytes;
}

void emit_mpi_complete_buffer(GroupEmit *ge) {
  int k = ge->gr->id;
  const Node *x = &ge->g->nodes[ge->gr->sink]; /* cd_buffers[k] is its sink's array */
  emit_mpi_complete(ge, arena_printf(ge->g->arena, "cd_buffers[%d].data", k),
                    arena_printf(ge->g->arena, "(int64_t)cdrt_buffer_bytes(&cd_buffers[%d])", k),
                    (double)node_size(x) * (double)cdrt_dtype_size(x->dtype), false);
}

/* After the tiles: the inputs read for the last time are freed; a donor's memory now
 * belongs to this group. */
void emit_buffer_frees(GroupEmit *ge) {
  /* (a transform's scratch input that is the donor's memory dies after the transform) */
  if (ge->gr->donor >= 0 && !ge->gr->fft_scratch)
    sb_line(ge->b, "cdrt_buffer_forget(&cd_buffers[%d]);", ge->gr->donor);
  for (int i = 0; i < ge->gr->nfrees; i++)
    sb_line(ge->b, "cdrt_buffer_free(&cd_buffers[%d]);", ge->gr->frees[i]);
}

/* Where a store writes. An FFT's input is written to its own buffer (c2c, transformed in
 * place; r2c along the last axis: real rows padded to n/2+1 complex, FFTW's in-place
 * layout) or to a scratch array of the input's type (r2c along another axis, c2r). */
typedef struct {
  const char *ct;         /* the element type written */
  bool scratch;           /* into cd_fftinK, not the group's buffer */
  int64_t stride[MAXDIM]; /* row-major strides of the array written */
  int64_t size;           /* its elements */
  int ax;                 /* a scan's axis, else -1 */
} Store;

static void plan_store(const GroupEmit *ge, Store *st) {
  const Node *sink = &ge->g->nodes[ge->gr->sink];
  int last = ge->n - 1;
  bool padded = ge->gr->r2c_in_place;
  st->scratch = ge->gr->fft_scratch;
  st->ct = dtype_ctype(st->scratch || padded ? ge->g->nodes[sink->in[0]].dtype : sink->dtype);
  int64_t s = 1;
  for (int d = last; d >= 0; d--)
    st->stride[d] = s, s *= padded && d == last ? 2 * (ge->shape[d] / 2 + 1) : ge->shape[d];
  st->size = s;
  st->ax = ge->gr->kind == G_SCAN ? sink->axis : -1;
}

/* prev (op) v for a cumulative sum or product, wrapping like NumPy for integers */
static const char *scan_update(Arena *a, ReduceOp rop, DType t, const char *prev, const char *v) {
  bool sum = rop == ROP_SUM;
  if (dtype_is_float(t)) return arena_printf(a, "%s %s %s", prev, sum ? "+" : "*", v);
  return arena_printf(a, "cdrt_%s_%s(%s, %s)", sum ? "add" : "mul", t == CDRT_INT32 ? "i32" : "i64",
                      prev, v);
}

/* dst[j]: the root's value, or for a scan NumPy's accumulate: out[0] = x[0],
 * out[i] = out[i - 1] op x[i], in order (along the last axis through acc). */
static void emit_store_element(GroupEmit *ge, const Store *st, int root) {
  StrBuf *b = ge->b;
  Arena *a = ge->g->arena;
  int last = ge->n - 1, ax = st->ax;
  if (ax < 0) {
    sb_line(b, "dst[j] = %s;", term_ref(ge, root));
    return;
  }
  const Node *sink = &ge->g->nodes[ge->gr->sink];
  const char *v = arena_printf(a, "(%s)%s", st->ct, term_ref(ge, root));
  const char *prev =
      ax == last ? "acc" : arena_printf(a, "dst[j - %lld]", (long long)st->stride[ax]);
  const char *first = ax == last ? "j0 + j == 0" : arena_printf(a, "i%d == 0", ax);
  const char *upd = scan_update(a, sink->rop, sink->dtype, prev, "v");
  sb_line(b, "const %s v = %s;", st->ct, v);
  if (ax == last) {
    sb_line(b, "acc = %s ? v : %s;", first, upd);
    sb_line(b, "dst[j] = acc;");
  } else {
    sb_line(b, "dst[j] = %s ? v : %s;", first, upd);
  }
}

static void emit_store_tile(GroupEmit *ge, const Store *st, int root) {
  StrBuf *b = ge->b;
  int depth = emit_depth(b);
  int k = ge->gr->id, last = ge->n - 1;
  emit_open(b, "static void g%d_tile(int64_t tile%s)", k, tile_params(ge));
  emit_tile_head(ge);
  if (st->scratch)
    sb_line(b, "%s *out = cd_fftin%d;", st->ct, k);
  else
    sb_line(b, "%s *out = (%s *)cd_buffers[%d].data;", st->ct, st->ct, ge->buffer_of[ge->gr->sink]);
  int outer = open_subbox_axes(b, (1u << last) - 1);
  if (st->ax == last) sb_line(b, "%s acc = 0;", st->ct);
  open_row_or_strips(ge, root);
  emit_strip_stages(ge, root);
  sb_line(b, "%s *dst = out + %s;", st->ct, strided_index(ge, st->stride, ~0u));
  emit_open(b, "for (int64_t j = 0; j < n; j++)");
  emit_loop_value(ge, root, arena_alloc(ge->g->arena, (size_t)ge->nterms));
  emit_store_element(ge, st, root);
  emit_close(b, NULL);
  emit_close_n(b, outer + 1); /* the row (or strips) and the outer axes */
  emit_term_frees(ge);
  emit_close(b, NULL);
  emit_check_depth(b, depth);
}

/* --mpi: a group whose tiles are plain cells of its chunk grid, each written by one rank
 * (no blocks, streams, scans or effects), is made whole by sending each tile's cells where
 * they are needed (runtime/mpi.c cdrt_mpi_gather_tiles) rather than by or-ing every
 * rank's copy; an FFT group's transform gathers them straight into the slabs of its first
 * pass (runtime/fft.c). */
static bool tiles_gathered(const GroupEmit *ge, const Store *st) {
  const Group *gr = ge->gr;
  return ge->mpi && (gr->kind == G_FFT || gr->kind == G_STORE) && !ge->blk.on && gr->streamed < 0 &&
         !gr->copy_only && st->ax < 0 && !node_has_effect(ge->g, &ge->g->nodes[gr->sink]);
}

/* The shape of the array the tiles write (rows padded for r2c in place). */
static void written_shape(const GroupEmit *ge, int64_t *shape) {
  for (int d = 0; d < ge->n; d++)
    shape[d] = ge->gr->r2c_in_place && d == ge->n - 1 ? 2 * (ge->shape[d] / 2 + 1) : ge->shape[d];
}

static void emit_written(GroupEmit *ge) {
  int64_t shape[MAXDIM];
  written_shape(ge, shape);
  sb_line(ge->b, "static const int64_t g%d_written[%d] = %s;", ge->gr->id, ge->n,
          int_list(ge->g->arena, ge->n, shape));
}

/* --mpi, an FFT group whose tiles its ranks compute where its first pass's slabs lie (each
 * rank the part of each tile inside its slab): nothing to gather before the transform, and
 * an input that an earlier transform left in the same slabs is read where it lies. */
static void fft_slab_owned(GroupEmit *ge, const Store *st) {
  int d = ge->mpi && ge->gr->kind == G_FFT && tiles_gathered(ge, st) ? fft_first_pass_axis(ge) : -1;
  ge->fft_slabs = d >= 0, ge->fft_axis = d;
  if (ge->fft_slabs) written_shape(ge, ge->fft_written);
}

/* The tiles of a list a runtime call made (`list`, which sets gK_count; why: a comment),
 * each run as a task or quietly (cdrt_task_shared). */
static void emit_listed_tiles(GroupEmit *ge, const char *why, const char *list) {
  StrBuf *b = ge->b;
  int k = ge->gr->id;
  sb_line(b, "int64_t g%d_count; /* %s */", k, why);
  sb_line(b, "int64_t *g%d_here = %s;", k, list);
  sb_line(b, "#pragma omp taskloop num_tasks(cdrt_num_tasks(g%d_count))", k);
  sb_line(b,
          "for (uint64_t i = 0; i < (uint64_t)g%d_count; i++) "
          "cdrt_task_shared(%d, g%d_here[i], g%d_tile);",
          k, k, k, k);
  sb_line(b, "free(g%d_here);", k);
}

static void emit_slab_tiles(GroupEmit *ge) {
  int k = ge->gr->id;
  emit_written(ge);
  emit_listed_tiles(ge, "the tiles meeting this rank's slab of the first pass",
                    arena_printf(ge->g->arena,
                                 "cdrt_fft_slab_tiles(%d, g%d_written, %d, g%d_lo, g%d_hi, "
                                 "g%d_chunk, %lld, &g%d_count)",
                                 ge->n, k, ge->fft_axis, k, k, k, (long long)ge->gr->ntiles, k));
}

static void emit_gather_tiles(GroupEmit *ge, const Store *st, const char *data, bool planned) {
  int k = ge->gr->id, n = ge->n;
  if (!ge->fft_slabs) emit_written(ge);
  const Node *x = &ge->g->nodes[ge->gr->sink]; /* for --explain: what the tiles write */
  ge->gr->mpi.gather = ge->gr->kind == G_FFT ? MPI_GATHER_FFT
                       : planned             ? MPI_GATHER_NEEDS
                                             : MPI_GATHER_ALL;
  ge->gr->mpi.gathered =
      (double)st->size * (double)cdrt_dtype_size(st->scratch || ge->gr->r2c_in_place
                                                     ? ge->g->nodes[x->in[0]].dtype
                                                     : x->dtype);
  if (ge->fft_slabs)
    sb_line(ge->b,
            "cdrt_fft_in_slabs(%s, %d, g%d_written, sizeof(%s), %d); /* computed in its slabs */",
            data, n, k, st->ct, ge->fft_axis);
  else if (ge->gr->kind == G_FFT)
    sb_line(ge->b,
            "cdrt_fft_tiled(%s, %d, g%d_written, sizeof(%s), g%d_lo, g%d_hi, g%d_chunk, %lld); "
            "/* gathered by the transform */",
            data, n, k, st->ct, k, k, k, (long long)ge->gr->ntiles);
  else if (planned)
    sb_line(ge->b,
            "cdrt_mpi_gather_needs(%s, %d, g%d_written, sizeof(%s), g%d_lo, g%d_hi, g%d_chunk, "
            "%lld, g%d_needs); /* what each rank's readers read */",
            data, n, k, st->ct, k, k, k, (long long)ge->gr->ntiles, k);
  else
    sb_line(ge->b,
            "cdrt_mpi_gather_tiles(%s, %d, g%d_written, sizeof(%s), g%d_lo, g%d_hi, g%d_chunk, "
            "%lld, -1); /* the other ranks' tiles */",
            data, n, k, st->ct, k, k, k, (long long)ge->gr->ntiles);
}

/* --mpi, a planned store that reads only files and generators (exchange_recomputed): each rank
 * computes the tiles its readers read, nothing is sent. */
static void emit_recomputed_tiles(GroupEmit *ge, const Store *st) {
  int k = ge->gr->id;
  const Node *x = &ge->g->nodes[ge->gr->sink];
  ge->gr->mpi.gather = MPI_GATHER_RECOMPUTE; /* for --explain */
  ge->gr->mpi.gathered = (double)st->size * (double)cdrt_dtype_size(x->dtype);
  emit_listed_tiles(ge, "the tiles this rank's readers read, computed here",
                    arena_printf(ge->g->arena,
                                 "cdrt_mpi_needed_tiles(%d, g%d_lo, g%d_hi, g%d_chunk, %lld, "
                                 "g%d_needs, &g%d_count)",
                                 ge->n, k, k, k, (long long)ge->gr->ntiles, k, k));
}

static void emit_store_run(GroupEmit *ge, const Store *st) {
  StrBuf *b = ge->b;
  int depth = emit_depth(b);
  int k = ge->gr->id, donor = ge->gr->donor;
  bool gathered = tiles_gathered(ge, st);
  bool planned = gathered && ge->gr->kind == G_STORE && exchange_planned(ge->reads, ge);
  if (planned) sb_line(b, "static void g%d_needs(int rank, cdrt_needs *nd); /* below */", k);
  emit_open(b, "static void g%d_run(void)", k);
  emit_mpi_group(ge);
  if (st->scratch && donor >= 0)
    sb_line(b, "cd_fftin%d = (%s *)cd_buffers[%d].data; /* in place: it dies here */", k, st->ct,
            donor);
  else if (st->scratch)
    sb_line(b, "cd_fftin%d = cdrt_alloc(%lld * sizeof(%s), \"transform input\");", k,
            (long long)(st->size ? st->size : 1), st->ct);
  else if (gathered && donor < 0) /* every byte a rank reads is its own or received */
    sb_line(b, "cdrt_buffer_alloc_raw(&cd_buffers[%d]); /* not zeroed: no OR */", k);
  else
    emit_buffer_take(ge);
  if (st->scratch && ge->mpi && !gathered)
    sb_line(b, "memset(cd_fftin%d, 0, %lld * sizeof(%s));", k, (long long)st->size, st->ct);
  bool recomputed = planned && exchange_recomputed(ge);
  if (recomputed)
    emit_recomputed_tiles(ge, st);
  else if (ge->fft_slabs)
    emit_slab_tiles(ge);
  else
    emit_tile_loop(ge);
  if (recomputed)
    sb_line(b, "/* nothing to send: each rank computed what it reads */");
  else if (gathered)
    emit_gather_tiles(ge, st,
                      st->scratch ? arena_printf(ge->g->arena, "cd_fftin%d", k)
                                  : arena_printf(ge->g->arena, "cd_buffers[%d].data", k),
                      planned);
  else if (st->scratch)
    emit_mpi_complete(
        ge, arena_printf(ge->g->arena, "cd_fftin%d", k),
        arena_printf(ge->g->arena, "%lld * (int64_t)sizeof(%s)", (long long)st->size, st->ct),
        (double)st->size *
            (double)cdrt_dtype_size(ge->g->nodes[ge->g->nodes[ge->gr->sink].in[0]].dtype),
        false);
  else
    emit_mpi_complete_buffer(ge);
  emit_buffer_frees(ge);
  if (st->scratch && gathered) /* the transform writes all of it, on every rank */
    sb_line(b, "cdrt_buffer_alloc_raw(&cd_buffers[%d]);", k);
  else if (st->scratch)
    emit_buffer_alloc(b, k);
  if (ge->gr->kind == G_FFT)
    sb_line(b, "cdrt_task_of(CDRT_TASK_TRANSFORM, %d, 0, g%d_transform, 0);", k, k);
  if (st->scratch) sb_line(b, "free(cd_fftin%d);", k);
  if (st->scratch && donor >= 0)
    sb_line(b, "cdrt_buffer_forget(&cd_buffers[%d]); /* it was the transform's input */", donor);
  emit_close(b, NULL);
  emit_check_depth(b, depth);
}

/* gK_box: the group's array over any box [slo, shi) inside it, written to cd_out with row
 * strides cd_os (the last 1): a block kernel's gather calls it for the halo box of each
 * block (Group.halo_inline; runtime/halo.c maps the box's parts outside the array). */
static void emit_store_box(GroupEmit *ge, const Store *st, int root) {
  StrBuf *b = ge->b;
  Arena *a = ge->g->arena;
  int depth = emit_depth(b);
  int k = ge->gr->id, last = ge->n - 1;
  emit_open(b,
            "static void g%d_box(void *cd_out, const int64_t *cd_os, const int64_t *slo, "
            "const int64_t *shi)",
            k);
  sb_line(b, "const int64_t *lo = slo, *hi = shi;");
  sb_line(b, "const int first = 1, fin = 1;");
  sb_line(b, "(void)lo, (void)hi, (void)first, (void)fin;");
  emit_term_decls(ge);
  sb_line(b, "%s *out = (%s *)cd_out;", st->ct, st->ct);
  int outer = open_subbox_axes(b, (1u << last) - 1);
  open_row_or_strips(ge, root);
  emit_strip_stages(ge, root);
  const char *at = arena_printf(a, "j0 - slo[%d]", last);
  for (int d = last - 1; d >= 0; d--)
    at = arena_printf(a, "cd_os[%d] * (i%d - slo[%d]) + %s", d, d, d, at);
  sb_line(b, "%s *dst = out + %s;", st->ct, at);
  emit_open(b, "for (int64_t j = 0; j < n; j++)");
  emit_loop_value(ge, root, arena_alloc(a, (size_t)ge->nterms));
  emit_store_element(ge, st, root);
  emit_close(b, NULL);
  emit_close_n(b, outer + 1);
  emit_term_frees(ge);
  emit_close(b, NULL);
  emit_check_depth(b, depth);
}

static void emit_store(GroupEmit *ge, int root) {
  int depth = emit_depth(ge->b);
  Store st;
  plan_store(ge, &st);
  if (ge->gr->halo_inline) { /* no array, no run: the block kernels' gathers call gK_box */
    emit_store_box(ge, &st, root);
    emit_check_depth(ge->b, depth);
    return;
  }
  if (st.scratch) sb_line(ge->b, "static %s *cd_fftin%d;", st.ct, ge->gr->id);
  fft_slab_owned(ge, &st); /* before the tile function: it cuts its box to the slab */
  emit_store_tile(ge, &st, root);
  sb_puts(ge->b, "\n");
  if (ge->gr->kind == G_FFT) {
    bool needs = exchange_planned(ge->reads, ge); /* the transform's output */
    if (needs)
      sb_line(ge->b, "static void g%d_needs(int rank, cdrt_needs *nd); /* below */", ge->gr->id);
    emit_fft_transform(ge, needs);
  }
  if (ge->blk.on) emit_block_task(ge);
  emit_store_run(ge, &st);
  emit_check_depth(ge->b, depth);
}

static void emit_group_code(GroupEmit *ge) {
  Group *gr = ge->gr;
  Graph *g = ge->g;
  StrBuf *b = ge->b;
  if (gr->kind == G_BLOCK) { /* a block kernel's calls: no fused loop */
    emit_map_blocks(ge);
    return;
  }
  ge->n = gr->ndim > 0 ? gr->ndim : 1;
  for (int d = 0; d < ge->n; d++) {
    ge->shape[d] = gr->ndim ? gr->shape[d] : 1;
    ge->chunk[d] = gr->ndim ? gr->chunk[d] : 1;
    ge->lo[d] = gr->ndim ? gr->lo[d] : 0;
    ge->hi[d] = gr->ndim ? gr->hi[d] : 1;
  }
  bool from_input = gr->kind != G_STORE; /* the domain is the sink's input */
  int root = from_input ? g->nodes[gr->sink].in[0] : gr->sink;
  ge->computed_root = from_input ? -1 : gr->sink;
  Affine m;
  memset(&m, 0, sizeof m);
  m.nin = g->nodes[root].ndim, m.nout = ge->n;
  for (int d = 0; d < m.nin; d++) m.a[d][d] = 1;
  int rt = term_build(ge, root, &m);
  blocking_plan(ge);

  int depth = emit_depth(b);
  if (gr->halo_inline) { /* computed over the boxes its readers ask for, not in tiles */
    emit_store(ge, rt);
    emit_check_depth(b, depth);
    return;
  }
  sb_line(b, "static const int64_t g%d_lo[%d] = %s;", gr->id, ge->n,
          int_list(g->arena, ge->n, ge->lo));
  sb_line(b, "static const int64_t g%d_hi[%d] = %s;", gr->id, ge->n,
          int_list(g->arena, ge->n, ge->hi));
  sb_line(b, "static const int64_t g%d_chunk[%d] = %s;", gr->id, ge->n,
          int_list(g->arena, ge->n, ge->chunk));
  if (gr->kind == G_REDUCE)
    emit_reduce(ge, rt);
  else
    emit_store(ge, rt);
  emit_check_depth(b, depth);
}

void emit_group(GroupEmit *ge) {
  emit_group_code(ge);
  read_log_group(ge->reads, ge);
}
