/* emit_block.c: the text of a blocked group (blocking.c decides the plan, ge->blk). gK_gen
 * makes one block of the random array or input file in the array's own row-major order;
 * gK_task walks a tile (and its mirror tile) in sub-boxes, makes the blocks each sub-box
 * reads and runs gK_tile on it. */
#include "emit.h"

#include <stdlib.h>
#include <string.h>

void emit_block_alloc(GroupEmit *ge, bool alloc) {
  int id = ge->gr->id;
  int64_t per = ge->blk.belems * (ge->blk.k[1] >= 0 ? 2 : 1);
  if (alloc)
    sb_line(ge->b,
            "cd_blk%d = cdrt_alloc((size_t)omp_get_num_threads() * %lld * sizeof(%s), "
            "\"blocks\");",
            id, (long long)per, ge->blk.ct);
  else
    sb_line(ge->b, "free(cd_blk%d);", id);
}

/* A blocked group's tile function runs one sub-box (slo, shi) of its tile; `first` and
 * `fin` say whether it is the tile's first and last; whole-array sums pass their rows. */
const char *tile_params(GroupEmit *ge) {
  if (!ge->blk.on) return "";
  Arena *a = ge->g->arena;
  const Blocking *bl = &ge->blk;
  return arena_printf(a, ", const int64_t *slo, const int64_t *shi, int first, int fin%s%s%s",
                      bl->rows_t ? arena_printf(a, ", %s *rows", bl->rows_t) : "",
                      arena_printf(a, ", const %s *x1, int64_t base1", bl->ct),
                      bl->k[1] >= 0 ? arena_printf(a, ", const %s *x2, int64_t base2", bl->ct)
                                    : "");
}

/* "x[0] op y[0] sep x[1] op y[1] ..." over n axes */
static const char *each_axis(Arena *a, int n, const char *x, const char *op, const char *y,
                             const char *sep) {
  const char *s = "";
  for (int q = 0; q < n; q++)
    s = arena_printf(a, "%s%s%s[%d] %s %s[%d]", s, q ? sep : "", x, q, op, y, q);
  return s;
}

/* whether the box corner x comes before y in row-major order */
static const char *row_major_before(Arena *a, int n, const char *x, const char *y) {
  const char *s = "";
  for (int q = 0; q < n; q++)
    s = arena_printf(a, "%s%s(%s%s%s[%d] < %s[%d])", s, q ? " || " : "",
                     each_axis(a, q, x, "==", y, " && "), q ? " && " : "", x, q, y, q);
  return s;
}

/* One end of the image of an index range [lo, hi) (C text) under i -> off + c * i, c = +-1:
 * off + lo (ascending), or off + 1 - hi (reversed: `from` is hi then, `other` lo). */
static const char *box_image(Arena *a, int64_t off, int64_t c, const char *from,
                             const char *other) {
  const char *v = c == 1 ? from : other;
  return linear_expr(a, c == 1 ? off : off + 1, 1, &c, &v);
}

/* lo/hi of the block that term k reads for the sub-box slo/shi, and its offset (base) */
static void emit_block_box(GroupEmit *ge, int k, const char *name) {
  StrBuf *b = ge->b;
  Arena *a = ge->g->arena;
  const Term *t = &ge->terms[k];
  int m = ge->g->nodes[t->node].ndim;
  sb_line(b, "int64_t %slo[%d], %shi[%d];", name, m, name, m);
  const char *lo[MAXDIM];
  for (int d = 0; d < m; d++) {
    int q = -1;
    for (int j = 0; j < ge->n; j++)
      if (t->map->a[d][j]) q = j;
    const char *slo = arena_printf(a, "slo[%d]", q), *shi = arena_printf(a, "shi[%d]", q);
    sb_line(b, "%slo[%d] = %s, %shi[%d] = %s;", name, d,
            box_image(a, t->map->off[d], t->map->a[d][q], slo, shi), name, d,
            box_image(a, t->map->off[d], t->map->a[d][q], shi, slo));
    lo[d] = arena_printf(a, "%slo[%d]", name, d);
  }
  sb_line(b, "const int64_t base%s = %s;", name + 1, linear_expr(a, 0, m, ge->blk.bs, lo));
}

/* The domain axis that sigma's axis q reads (sigma maps axes one to one). */
static int sigma_source(const Blocking *bl, int n, int q) {
  int k = 0;
  for (int j = 0; j < n; j++)
    if (bl->sigma.a[q][j]) k = j;
  return k;
}

/* olo/ohi = the image under sigma of the box ilo/ihi (C arrays of the emitted code). */
static void emit_sigma_box(StrBuf *b, Arena *a, const Blocking *bl, int n, const char *ilo,
                           const char *ihi, const char *olo, const char *ohi) {
  sb_line(b, "int64_t %s[%d], %s[%d];", olo, n, ohi, n);
  for (int q = 0; q < n; q++) {
    int k = sigma_source(bl, n, q);
    const char *lo = arena_printf(a, "%s[%d]", ilo, k), *hi = arena_printf(a, "%s[%d]", ihi, k);
    sb_line(b, "%s[%d] = %s, %s[%d] = %s;", olo, q,
            box_image(a, bl->sigma.off[q], bl->sigma.a[q][k], lo, hi), ohi, q,
            box_image(a, bl->sigma.off[q], bl->sigma.a[q][k], hi, lo));
  }
}

/* gK_gen: one block, row by row in the array's own order: random numbers on the
 * generator's fast path, or a file's rows read with one pread each. */
static void emit_block_gen(GroupEmit *ge) {
  StrBuf *b = ge->b;
  int depth = emit_depth(b);
  Arena *a = ge->g->arena;
  const Blocking *bl = &ge->blk;
  const Node *x = &ge->g->nodes[bl->node];
  int id = ge->gr->id, m = x->ndim;
  /* element s of the array: at sum_d bs[d] * (s_d - blo[d]) in the block (a row starts at
   * blo[m - 1], so the last axis adds nothing), at sum_d sstride[d] * s_d in the array */
  int64_t sstride[MAXDIM], s = 1, boff[MAXDIM];
  const char *rel[MAXDIM], *src[MAXDIM];
  for (int d = m - 1; d >= 0; d--) {
    sstride[d] = s, s *= x->shape[d];
    boff[d] = d == m - 1 ? 0 : bl->bs[d];
    rel[d] = arena_printf(a, "(s%d - blo[%d])", d, d);
    src[d] = d == m - 1 ? arena_printf(a, "blo[%d]", d) : arena_printf(a, "s%d", d);
  }
  const char *off = linear_expr(a, 0, m, boff, rel), *g = linear_expr(a, 0, m, sstride, src);

  emit_open(b, "static void g%d_gen(%s *buf, const int64_t *blo, const int64_t *bhi)", id, bl->ct);
  for (int d = 0; d < m - 1; d++)
    emit_open(b, "for (int64_t s%d = blo[%d]; s%d < bhi[%d]; s%d++)", d, d, d, d, d);
  if (x->op == OP_INPUT) {
    sb_line(b, "cdrt_input_read(&cd_inputs[%d], buf + (%s), %s, 1, bhi[%d] - blo[%d]);", x->slot,
            off, g, m - 1, m - 1);
  } else {
    *ge->vkernels |= x->op == OP_RNORMAL ? CDRT_VK(RANDOM_NORMAL) : CDRT_VK(RANDOM_UNIFORM);
    sb_line(b, "cdrt_random_%s_f64(buf + (%s), UINT64_C(%llu), %s, 1, bhi[%d] - blo[%d], %s, %s);",
            x->op == OP_RNORMAL ? "normal" : "uniform", off, (unsigned long long)x->random.seed, g,
            m - 1, m - 1, c_double(a, x->random.a), c_double(a, x->random.b));
  }
  emit_close_n(b, m - 1);
  emit_close(b, NULL);
  emit_check_depth(b, depth);
}

bool blocking_paired(const Blocking *bl) {
  return bl->on && bl->k[1] >= 0 && bl->sigma.nin > 0;
}

/* `mirror`: the tile paired with tile [lo, hi) (tlo, thi: its box). */
static void emit_mirror_index(GroupEmit *ge) {
  StrBuf *b = ge->b;
  Arena *a = ge->g->arena;
  int n = ge->n;
  emit_sigma_box(b, a, &ge->blk, n, "lo", "hi", "tlo", "thi");
  int64_t ts[MAXDIM], t = 1; /* row-major strides of the tile grid */
  const char *grid[MAXDIM];  /* the mirror's position in the grid */
  for (int q = n - 1; q >= 0; q--) {
    ts[q] = t, t *= grid_chunks(ge, q);
    grid[q] = arena_printf(a, "(tlo[%d] / %lld)", q, (long long)ge->chunk[q]);
  }
  sb_line(b, "const int64_t mirror = %s;", linear_expr(a, 0, n, ts, grid));
  sb_line(b, "(void)thi;");
}

/* In gK_task of a paired group: the mirror tile, whose pair is computed by the task of the
 * smaller index. */
static void emit_mirror_tile(GroupEmit *ge) {
  emit_mirror_index(ge);
  sb_line(ge->b, "if (mirror < tile) return;");
}

/* --mpi: gK_pair(tile), the tile's mirror, for sharing the pairs (not the tasks, half of
 * which do nothing) among the ranks (runtime/mpi.c cdrt_mpi_pairs). */
static void emit_pair_function(GroupEmit *ge) {
  StrBuf *b = ge->b;
  int depth = emit_depth(b);
  int id = ge->gr->id, n = ge->n;
  emit_open(b, "static int64_t g%d_pair(int64_t tile)", id);
  sb_line(b, "int64_t lo[%d], hi[%d];", n, n);
  sb_line(b, "cdrt_tile_cell(tile, %d, g%d_lo, g%d_hi, g%d_chunk, lo, hi);", n, id, id, id);
  emit_mirror_index(ge);
  sb_line(b, "return mirror;");
  emit_close(b, NULL);
  emit_check_depth(b, depth);
  sb_puts(b, "\n");
}

/* In gK_task: this thread's block buffers x1 (and x2), and a whole-array sum's rows (the
 * mirror tile's after the tile's). */
static void emit_task_buffers(GroupEmit *ge, bool paired) {
  StrBuf *b = ge->b;
  const Blocking *bl = &ge->blk;
  bool two = bl->k[1] >= 0;
  sb_line(b, "%s *x1 = cd_blk%d + (int64_t)omp_get_thread_num() * %lld;", bl->ct, ge->gr->id,
          (long long)(bl->belems * (two ? 2 : 1)));
  if (two) sb_line(b, "%s *x2 = x1 + %lld;", bl->ct, (long long)bl->belems);
  if (bl->rows_t)
    sb_line(b, "%s *rows = cdrt_alloc(%lld * sizeof(%s), \"reduction rows\");", bl->rows_t,
            (long long)(bl->nrows * (paired ? 2 : 1)), bl->rows_t);
}

/* The sub-box's tile calls: the tile's, then the mirror's through the swapped blocks; a
 * self-mirror tile pairs its sub-box S with sigma(S) instead. */
static void emit_tile_calls(GroupEmit *ge, bool paired) {
  StrBuf *b = ge->b;
  Arena *a = ge->g->arena;
  const Blocking *bl = &ge->blk;
  int id = ge->gr->id;
  const char *rows1 = bl->rows_t ? ", rows" : "";
  const char *rows2 = bl->rows_t ? arena_printf(a, ", rows + %lld", (long long)bl->nrows) : "";
  if (bl->k[1] < 0) {
    sb_line(b, "g%d_tile(tile, slo, shi, first, fin%s, x1, base1);", id, rows1);
    return;
  }
  sb_line(b, "g%d_tile(tile, slo, shi, first, fin%s, x1, base1, x2, base2);", id, rows1);
  if (!paired) return;
  sb_line(b, "if (mirror != tile)");
  sb_line(b, "  g%d_tile(mirror, mlo, mhi, first, fin%s, x2, base2, x1, base1);", id, rows2);
  if (bl->self_pair) {
    sb_line(b, "else if (%s)", each_axis(a, ge->n, "mlo", "!=", "slo", " || "));
    sb_line(b, "  g%d_tile(tile, mlo, mhi, 0, 0%s, x2, base2, x1, base1);", id, rows1);
  }
}

/* The body of gK_task's sub-box loop, in order: (1) the mirror's sub-box (a self-mirror
 * tile skips S when sigma(S) came first), (2) first/fin, (3) the blocks the sub-box reads,
 * (4) the tile calls, which read them. */
static void emit_subbox(GroupEmit *ge, bool paired) {
  StrBuf *b = ge->b;
  int depth = emit_depth(b);
  Arena *a = ge->g->arena;
  const Blocking *bl = &ge->blk;
  int id = ge->gr->id, n = ge->n;
  if (paired) {
    emit_sigma_box(b, a, bl, n, "slo", "shi", "mlo", "mhi");
    if (bl->self_pair) {
      sb_line(b, "/* a self-mirror tile: sub-box sigma(S) was done with S */");
      sb_line(b, "if (mirror == tile && (%s))", row_major_before(a, n, "mlo", "slo"));
      sb_line(b, "  continue;");
    }
  }
  sb_line(b, "const int first = nsub++ == 0, fin = %s;",
          each_axis(a, n, "shi", "==", "hi", " && "));
  emit_block_box(ge, bl->k[0], "b1");
  sb_line(b, "g%d_gen(x1, b1lo, b1hi);", id);
  if (bl->k[1] >= 0) {
    emit_block_box(ge, bl->k[1], "b2");
    sb_line(b, "g%d_gen(x2, b2lo, b2hi);", id);
  }
  emit_tile_calls(ge, paired);
  emit_check_depth(b, depth);
}

void emit_block_task(GroupEmit *ge) {
  StrBuf *b = ge->b;
  int depth = emit_depth(b);
  const Blocking *bl = &ge->blk;
  int id = ge->gr->id, n = ge->n;
  bool paired = blocking_paired(bl);
  emit_block_gen(ge);
  sb_puts(b, "\n");
  if (paired && ge->mpi) emit_pair_function(ge);
  /* block buffers: one set per thread, allocated once per run of the group (fresh pages
   * per task would cost more in page faults than the generation itself) */
  sb_line(b, "static %s *cd_blk%d;", bl->ct, id);
  sb_puts(b, "\n");
  emit_open(b, "static void g%d_task(int64_t tile)", id);
  sb_line(b, "int64_t lo[%d], hi[%d];", n, n);
  sb_line(b, "cdrt_tile_box(tile, %d, g%d_lo, g%d_hi, g%d_chunk, lo, hi);", n, id, id, id);
  if (paired) emit_mirror_tile(ge);
  emit_task_buffers(ge, paired);
  /* the sub-boxes in row-major order; the mirror's are their images under sigma */
  sb_line(b, "int64_t slo[%d], shi[%d], nsub = 0;", n, n);
  for (int q = 0; q < n; q++) {
    long long e = (long long)bl->sub[q];
    emit_open(b, "for (slo[%d] = lo[%d]; slo[%d] < hi[%d]; slo[%d] += %lld)", q, q, q, q, q, e);
    sb_line(b, "shi[%d] = slo[%d] + %lld < hi[%d] ? slo[%d] + %lld : hi[%d];", q, q, e, q, q, e, q);
  }
  emit_subbox(ge, paired);
  emit_close_n(b, n);
  if (bl->rows_t) sb_line(b, "free(rows);");
  emit_close(b, NULL);
  emit_check_depth(b, depth);
}
