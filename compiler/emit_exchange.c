/* emit_exchange.c: --mpi, the planned exchange of a stored array. The tiles of a plain store
 * group are shared by the ranks (runtime/mpi.c); afterwards each rank needs only the parts
 * of the array that its own tiles of the groups reading it will read. The compiler knows
 * every read: a reader's terms read the array through an affine map of the reader's
 * index, so the part a reader tile needs is the image of its box (its bounding box). The
 * emitted gK_needs(rank, needs) lists those boxes for a rank (the ranks share each reader's
 * tiles in the fixed distribution); runtime/mpi.c cdrt_mpi_gather_needs sends each rank
 * exactly the parts of the tiles it needs, one message per tile.
 *
 * A block kernel's tile reads each input's block with its halo (and, by the boundary, the
 * far side of a periodic or reflected axis): runtime/halo.c cdrt_bk_need names those
 * boxes, as the kernel's gather computes them.
 *
 * Delayed tasks and effects run on rank 0 only: they need the array whole there. A read the
 * compiler cannot bound otherwise (a group that evaluates another group inside its tiles,
 * a reshape, blocked or paired tasks)
 * makes the array needed whole on every rank. An output's .npy file is written by every
 * rank, its rows of axis 0 each, when they all see its directory (runtime/mpi_output.c,
 * cdrt_need_output), else whole by rank 0; a printed output is needed whole on rank 0.
 * So the exchange is never less than what the readers read. */
#include "emit.h"

#include <string.h>

typedef struct {
  int reader; /* the group whose tiles read */
  int input;  /* a block kernel's input (its block and halo, cdrt_bk_need), or -1: */
  Affine map; /* reader index -> array index */
} ReadRec;

struct ReadLog {
  Arena *a; /* outlives the groups' scratch arenas */
  int ngroups;
  ReadRec **recs; /* per array (its group): the reads logged */
  int *nrecs, *caps;
  bool *bounded;  /* per group: every read of its tiles is logged */
  bool *planned;  /* per group: its completion calls gK_needs */
  int *slab_axis; /* per group: an FFT group's tiles in its first pass's slabs (that pass's
                   * axis: emit_group.c fft_slab_owned), else -1 */
  int64_t (*slab_shape)[MAXDIM]; /* and the shape of the array they write */
};

ReadLog *read_log_new(Arena *a, int ngroups) {
  ReadLog *log = arena_alloc(a, sizeof *log);
  size_t n = (size_t)(ngroups > 0 ? ngroups : 1);
  log->a = a;
  log->ngroups = ngroups;
  log->recs = arena_alloc(a, n * sizeof *log->recs);
  log->nrecs = arena_alloc(a, n * sizeof *log->nrecs);
  log->caps = arena_alloc(a, n * sizeof *log->caps);
  log->bounded = arena_alloc(a, n * sizeof *log->bounded);
  log->planned = arena_alloc(a, n * sizeof *log->planned);
  log->slab_axis = arena_alloc(a, n * sizeof *log->slab_axis);
  log->slab_shape = arena_alloc(a, n * sizeof *log->slab_shape);
  for (size_t i = 0; i < n; i++) log->slab_axis[i] = -1;
  return log;
}

static void log_add(ReadLog *log, int array, int reader, int input, const Affine *m) {
  if (log->nrecs[array] == log->caps[array]) {
    int cap = log->caps[array] ? 2 * log->caps[array] : 4;
    log->recs[array] =
        arena_grow(log->a, log->recs[array], (size_t)log->caps[array] * sizeof(ReadRec),
                   (size_t)cap * sizeof(ReadRec));
    log->caps[array] = cap;
  }
  log->recs[array][log->nrecs[array]++] = (ReadRec){reader, input, m ? *m : (Affine){0}};
}

/* Whether a group's tiles read only through terms, each tile the cells of its own box, or
 * (a block kernel) its inputs' blocks with their halos, on the rank cdrt_mpi_tiles gives
 * it. (A block kernel's value parameter read from a 0-d array is not logged: that array is
 * needed whole, one element.) */
static bool tiles_bounded(const GroupEmit *ge) {
  const Group *gr = ge->gr;
  if (group_is_virtual(gr) || ge->blk.on || gr->streamed >= 0 || gr->copy_only ||
      node_has_effect(ge->g, &ge->g->nodes[gr->sink]))
    return false;
  for (int i = 0; i < gr->ndeps; i++)
    if (group_is_virtual(&ge->f->groups[gr->deps[i]])) return false;
  for (int k = 0; k < ge->nterms; k++) {
    const Term *t = &ge->terms[k];
    if (t->mem && !t->streamed &&
        (ge->g->nodes[t->node].op == OP_RESHAPE || ge->buffer_of[t->node] < 0))
      return false;
  }
  return true;
}

void read_log_group(ReadLog *log, const GroupEmit *ge) {
  if (!log) return;
  int k = ge->gr->id;
  log->bounded[k] = tiles_bounded(ge);
  if (!log->bounded[k]) return;
  if (ge->fft_slabs) {
    log->slab_axis[k] = ge->fft_axis;
    memcpy(log->slab_shape[k], ge->fft_written, sizeof log->slab_shape[k]);
  }
  if (ge->gr->kind == G_BLOCK) { /* the arrays the kernel gets as blocks */
    const Node *s = &ge->g->nodes[ge->gr->sink];
    const Kernel *kn = &ge->g->kernels[s->call.kernel];
    for (int i = 0; i < s->nin; i++) {
      bool value = false;
      for (int p = 0; p < kn->nparams; p++)
        value |= s->call.bind[p] == i && kn->params[p].kind == KP_VALUE;
      if (!value && ge->buffer_of[s->in[i]] >= 0) log_add(log, ge->buffer_of[s->in[i]], k, i, NULL);
    }
    return;
  }
  for (int i = 0; i < ge->nterms; i++) {
    const Term *t = &ge->terms[i];
    if (t->mem && !t->streamed) log_add(log, ge->buffer_of[t->node], k, -1, t->map);
  }
}

bool exchange_planned(ReadLog *log, const GroupEmit *ge) {
  const Group *gr = ge->gr;
  int n = gr->kind == G_BLOCK ? gr->ndim : ge->n; /* (a block kernel's group sets no ge->n) */
  bool ok = log && (gr->kind == G_STORE || gr->kind == G_FFT || gr->kind == G_BLOCK) &&
            ge->g->nodes[gr->sink].ndim == n;
  if (ok) log->planned[gr->id] = true;
  return ok;
}

bool exchange_recomputed(const GroupEmit *ge) {
  const Group *gr = ge->gr;
  if (gr->kind != G_STORE || gr->ndeps) return false; /* another group's array is not everywhere */
  for (int i = 0; i < gr->nmembers; i++) { /* random numbers cost more than sending them */
    Op op = ge->g->nodes[gr->members[i]].op;
    if (op == OP_RNORMAL || op == OP_RUNIFORM) return false;
  }
  return true;
}

/* The reads of array `k` by group j, each reader tile of `rank`'s share. */
static void emit_reader(StrBuf *b, const Graph *g, const Fusion *f, const ReadLog *log, int k,
                        int j) {
  const Group *rd = &f->groups[j];
  int n = rd->ndim > 0 ? rd->ndim : 1, m = g->nodes[f->groups[k].sink].ndim;
  emit_open(b, "/* g%d reads it */", j);
  sb_line(b, "const cdrt_range r = cdrt_mpi_part(%lld, rank);", (long long)rd->ntiles);
  int nmaps = 0;
  for (int i = 0; i < log->nrecs[k]; i++) {
    const ReadRec *r = &log->recs[k][i];
    if (r->reader != j || r->input >= 0) continue;
    int64_t a[MAXDIM * MAXDIM], off[MAXDIM];
    for (int d = 0; d < m; d++) {
      off[d] = r->map.off[d];
      for (int q = 0; q < n; q++) a[d * n + q] = q < r->map.nout ? r->map.a[d][q] : 0;
    }
    sb_line(b, "static const int64_t a%d[%d] = %s, off%d[%d] = %s;", nmaps, m * n,
            int_list(g->arena, m * n, a), nmaps, m, int_list(g->arena, m, off));
    nmaps++;
  }
  if (nmaps) sb_line(b, "int64_t lo[%d], hi[%d];", n, n);
  if (log->slab_axis[j] >= 0) { /* its tiles: the parts in this rank's slab, one box */
    sb_line(b, "static const int64_t w[%d] = %s;", n, int_list(g->arena, n, log->slab_shape[j]));
    sb_line(b, "(void)r;");
    emit_open(b, "if (cdrt_fft_slab_box(%d, g%d_lo, g%d_hi, w, %d, rank, lo, hi))", n, j, j,
              log->slab_axis[j]);
  } else {
    emit_open(b, "for (int64_t t = r.lo; t < r.hi; t++)");
    if (nmaps) sb_line(b, "cdrt_tile_cell(t, %d, g%d_lo, g%d_hi, g%d_chunk, lo, hi);", n, j, j, j);
  }
  for (int i = 0; i < nmaps; i++)
    sb_line(b, "cdrt_need_affine(nd, %d, lo, hi, a%d, off%d);", n, i, i);
  for (int i = 0; i < log->nrecs[k]; i++) /* a block kernel's input: block and halo */
    if (log->recs[k][i].reader == j && log->recs[k][i].input >= 0)
      sb_line(b, "cdrt_bk_need(&g%d_block, %d, t, g%d_lo, g%d_hi, nd);", j, log->recs[k][i].input,
              j, j);
  emit_close(b, NULL);
  emit_close(b, NULL);
}

/* gK_needs for array k: its readers' boxes, or all of it. */
static void emit_needs(StrBuf *b, const Graph *g, const Fusion *f, const ReadLog *log, int k) {
  int depth = emit_depth(b);
  emit_open(b, "static void g%d_needs(int rank, cdrt_needs *nd)", k);
  bool all = false, printed = false, root = false;
  int *written = arena_alloc(g->arena, (size_t)(g->noutputs + 1) * sizeof *written), nw = 0;
  for (int i = 0; i < g->noutputs; i++) { /* a .npy file is written by rows (mpi_output.c) */
    const Node *o = &g->nodes[g->outputs[i]];
    if (o->in[0] != f->groups[k].sink) continue;
    if (o->op == OP_TO_TABLE)
      all = true; /* every rank scans the whole frame */
    else if (o->op == OP_TO_NPY && g->nodes[o->in[0]].ndim > 0)
      written[nw++] = i;
    else
      printed = true; /* printed, or a scalar's file: rank 0's */
  }
  int *readers = arena_alloc(g->arena, (size_t)f->ngroups * sizeof *readers), nr = 0;
  for (int j = k + 1; j < f->ngroups && !all; j++) {
    const Group *rd = &f->groups[j];
    bool reads = false, logged = false;
    for (int i = 0; i < rd->ndeps; i++) reads |= rd->deps[i] == k;
    if (reads && !group_is_virtual(rd) &&
        (rd->kind == G_TASK || node_has_effect(g, &g->nodes[rd->sink]))) {
      root = true; /* delayed tasks and effects run on rank 0 only (emit_task.c, ...) */
      continue;
    }
    for (int i = 0; i < log->nrecs[k]; i++) logged |= log->recs[k][i].reader == j;
    if (reads && !(log->bounded[j] && logged)) all = true;
    if (reads && !all) readers[nr++] = j;
  }
  if (all) {
    sb_line(b, "(void)rank;");
    sb_line(b, "cdrt_need_all(nd); /* a read the compiler does not bound */");
  } else {
    if (printed || root)
      sb_line(b, "if (rank == 0) cdrt_need_all(nd); /* %s */",
              printed ? "an output rank 0 writes or prints" : "read by rank 0's tasks or effects");
    const Node *sink = &g->nodes[f->groups[k].sink];
    for (int i = 0; i < nw; i++)
      sb_line(b,
              "cdrt_need_output(nd, rank, %d, (const int64_t[])%s); /* its rows of output %d, "
              "or all of it on rank 0 */",
              written[i], int_list(g->arena, sink->ndim, sink->shape), written[i]);
    if (!nw && !printed && !root && !nr) sb_line(b, "(void)rank, (void)nd; /* nobody reads it */");
    for (int i = 0; i < nr; i++) emit_reader(b, g, f, log, k, readers[i]);
  }
  emit_close(b, NULL);
  emit_check_depth(b, depth);
  sb_puts(b, "\n");
}

void emit_exchange_needs(StrBuf *b, Graph *g, const Fusion *f, const ReadLog *log) {
  if (!log) return;
  for (int k = 0; k < f->ngroups; k++)
    if (log->planned[k]) emit_needs(b, g, f, log, k);
}
