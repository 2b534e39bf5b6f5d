/* emit_block.c: random leaves generated per task in whole blocks. The generator's fast
 * path makes consecutive elements (one Philox call, one log and one sincos per pair); a
 * strip of a transposed or reversed view would take the slow per-element path, and two
 * views of one random array would generate every element twice. So a random array read
 * through one or two permutation-like views is generated per task as blocks in its own
 * row-major order, and the fused loops read the blocks through the views. When the second
 * view is the first composed with an involution of the tile grid (transpose with square
 * chunks, reversal with chunks dividing the shape), the task also computes the mirror
 * tile from the same blocks: every random element is generated exactly once. */
#include "emit.h"

#include <string.h>

/* Source axis d reads domain axis perm[d] with coefficient +-1, each domain axis at most
 * once: the image of a box is a box of the same extents. */
static bool permutation_like(const Affine *m, int n, int *perm) {
  bool used[MAXDIM] = {false};
  if (m->nin < 1) return false;
  for (int d = 0; d < m->nin; d++) {
    perm[d] = -1;
    for (int k = 0; k < n; k++) {
      int64_t a = m->a[d][k];
      if (a == 0) continue;
      if ((a != 1 && a != -1) || perm[d] >= 0 || used[k]) return false;
      perm[d] = k, used[k] = true;
    }
    if (perm[d] < 0) return false;
  }
  return true;
}

/* sigma = M1^-1 o M2 when M1 is a full signed permutation; true if sigma is an involution
 * mapping tiles onto tiles. */
static bool mirror(GroupEmit *ge, const Affine *m1, const int *p1, const Affine *m2, Affine *s) {
  int n = ge->n;
  if (m1->nin != n || m2->nin != n) return false;
  memset(s, 0, sizeof *s);
  s->nin = s->nout = n;
  for (int d = 0; d < n; d++) {
    int q = p1[d];
    int64_t e = m1->a[d][q];
    s->off[q] = e * (m2->off[d] - m1->off[d]);
    for (int k = 0; k < n; k++) s->a[q][k] = e * m2->a[d][k];
  }
  Affine ss, id;
  affine_compose(&ss, s, s);
  affine_identity(&id, n);
  if (!affine_equal(&ss, &id)) return false;
  for (int q = 0; q < n; q++) {
    int k = -1;
    for (int j = 0; j < n; j++)
      if (s->a[q][j]) k = j;
    if (k < 0 || ge->chunk[q] != ge->chunk[k] || ge->shape[q] != ge->shape[k]) return false;
    if (s->a[q][k] == 1 && s->off[q] != 0) return false;
    if (s->a[q][k] == -1 && ge->shape[q] % ge->chunk[q] != 0) return false;
  }
  return true;
}

void blocking_plan(GroupEmit *ge) {
  Blocking *b = &ge->blk;
  memset(b, 0, sizeof *b);
  b->k[0] = b->k[1] = -1;
  /* a concatenation reads its inputs outside their own boxes: no blocks there */
  for (int k = 0; k < ge->nterms; k++)
    if (ge->g->nodes[ge->terms[k].node].op == OP_CONCAT) return;
  for (int k = 0; k < ge->nterms && !b->on; k++) {
    const Term *t = &ge->terms[k];
    const Node *x = &ge->g->nodes[t->node];
    if (!t->leaf || (x->op != OP_RNORMAL && x->op != OP_RUNIFORM)) continue;
    int terms[3] = {k, -1, -1}, nt = 0;
    for (int j = k; j < ge->nterms && nt < 3; j++)
      if (ge->terms[j].node == t->node) terms[nt++] = j;
    int perm[2][MAXDIM];
    if (nt > 2 || !permutation_like(&ge->terms[terms[0]].map, ge->n, perm[0])) continue;
    if (nt == 2 && !permutation_like(&ge->terms[terms[1]].map, ge->n, perm[1])) continue;
    /* one view whose strips are already consecutive gains nothing */
    int64_t cl = t->c[ge->n - 1];
    if (nt == 1 && (cl == 1 || cl == -1)) continue;
    b->on = true;
    b->node = t->node;
    b->k[0] = terms[0];
    b->k[1] = nt == 2 ? terms[1] : -1;
    int m = x->ndim;
    int64_t ext[MAXDIM];
    for (int d = 0; d < m; d++) {
      ext[d] = ge->chunk[perm[0][d]];
      if (nt == 2 && ge->chunk[perm[1][d]] > ext[d]) ext[d] = ge->chunk[perm[1][d]];
    }
    b->belems = 1;
    for (int d = m - 1; d >= 0; d--) b->bs[d] = b->belems, b->belems *= ext[d];
    if (nt == 2 && (ge->gr->culled || !mirror(ge, &ge->terms[terms[0]].map, perm[0],
                                              &ge->terms[terms[1]].map, &b->sigma)))
      b->sigma.nin = 0; /* two blocks, no mirror tile */
    for (int i = 0; i < nt; i++) {
      Term *bt = &ge->terms[terms[i]];
      bt->blocked = i + 1;
      bt->bc0 = 0;
      memset(bt->bc, 0, sizeof bt->bc);
      for (int d = 0; d < m; d++) {
        bt->bc0 += b->bs[d] * bt->map.off[d];
        for (int q = 0; q < ge->n; q++) bt->bc[q] += b->bs[d] * bt->map.a[d][q];
      }
    }
  }
}

void emit_block_alloc(GroupEmit *ge, bool alloc) {
  int id = ge->gr->id;
  int64_t per = ge->blk.belems * (ge->blk.k[1] >= 0 ? 2 : 1);
  if (alloc)
    sb_line(ge->b,
            "cd_blk%d = cdrt_alloc((size_t)omp_get_num_threads() * %lld * sizeof(double), "
            "\"random blocks\");",
            id, (long long)per);
  else
    sb_line(ge->b, "free(cd_blk%d);", id);
}

const char *tile_params(GroupEmit *ge) {
  if (!ge->blk.on) return "";
  if (ge->blk.k[1] < 0) return ", const double *x1, int64_t base1";
  return ", const double *x1, int64_t base1, const double *x2, int64_t base2";
}

/* lo/hi of the block that term k reads for the tile box lo/hi */
static void emit_block_box(GroupEmit *ge, int k, const char *name) {
  StrBuf *b = ge->b;
  const Term *t = &ge->terms[k];
  int m = ge->g->nodes[t->node].ndim;
  sb_line(b, "int64_t %slo[%d], %shi[%d];", name, m, name, m);
  for (int d = 0; d < m; d++) {
    int q = -1;
    for (int j = 0; j < ge->n; j++)
      if (t->map.a[d][j]) q = j;
    long long off = (long long)t->map.off[d];
    if (t->map.a[d][q] == 1)
      sb_line(b, "%slo[%d] = %lld + lo[%d], %shi[%d] = %lld + hi[%d];", name, d, off, q, name, d,
              off, q);
    else
      sb_line(b, "%slo[%d] = %lld - hi[%d] + 1, %shi[%d] = %lld - lo[%d] + 1;", name, d, off, q,
              name, d, off, q);
  }
  StrBuf base;
  sb_init(&base);
  sb_puts(&base, "0");
  for (int d = 0; d < m; d++)
    sb_printf(&base, " + %lld * %slo[%d]", (long long)ge->blk.bs[d], name, d);
  sb_line(b, "const int64_t base%s = %s;", name + 1, base.data);
  sb_free(&base);
}

void emit_block_task(GroupEmit *ge) {
  StrBuf *b = ge->b;
  Blocking *bl = &ge->blk;
  const Node *x = &ge->g->nodes[bl->node];
  Arena *a = ge->g->arena;
  int id = ge->gr->id, m = x->ndim, n = ge->n;
  int64_t sstride[MAXDIM], s = 1;
  for (int d = m - 1; d >= 0; d--) sstride[d] = s, s *= x->shape[d];

  /* the generator of one block, row by row in the random array's own order */
  emit_open(b, "static void g%d_gen(double *buf, const int64_t *blo, const int64_t *bhi)", id);
  for (int d = 0; d < m - 1; d++)
    emit_open(b, "for (int64_t s%d = blo[%d]; s%d < bhi[%d]; s%d++)", d, d, d, d, d);
  StrBuf off, g;
  sb_init(&off);
  sb_init(&g);
  sb_puts(&off, "0");
  sb_puts(&g, "0");
  for (int d = 0; d < m; d++) {
    const char *v = d == m - 1 ? arena_printf(a, "blo[%d]", d) : arena_printf(a, "s%d", d);
    sb_printf(&off, " + %lld * (%s - blo[%d])", (long long)bl->bs[d], v, d);
    sb_printf(&g, " + %lld * %s", (long long)sstride[d], v);
  }
  sb_line(b, "cdrt_random_%s_f64(buf + (%s), UINT64_C(%llu), %s, 1, bhi[%d] - blo[%d], %s, %s);",
          x->op == OP_RNORMAL ? "normal" : "uniform", off.data, (unsigned long long)x->seed, g.data,
          m - 1, m - 1, c_double(a, x->num[0]), c_double(a, x->num[1]));
  sb_free(&off);
  sb_free(&g);
  for (int d = 0; d < m - 1; d++) emit_close(b, NULL);
  emit_close(b, NULL);
  sb_puts(b, "\n");

  bool two = bl->k[1] >= 0, paired = two && bl->sigma.nin > 0;
  /* block buffers: one set per thread, allocated once per run of the group (fresh pages
   * per task would cost more in page faults than the generation itself) */
  sb_line(b, "static double *cd_blk%d;", id);
  sb_puts(b, "\n");
  emit_open(b, "static void g%d_task(int64_t tile)", id);
  sb_line(b, "int64_t lo[%d], hi[%d];", n, n);
  sb_line(b, "cdrt_tile_box(tile, %d, g%d_lo, g%d_hi, g%d_chunk, lo, hi);", n, id, id, id);
  if (paired) {
    /* the mirror tile; the pair is computed by the task of the smaller index */
    int64_t ts[MAXDIM], t = 1;
    for (int q = n - 1; q >= 0; q--) {
      ts[q] = t;
      t *= ge->shape[q] ? (ge->shape[q] + ge->chunk[q] - 1) / ge->chunk[q] : 0;
    }
    StrBuf mt;
    sb_init(&mt);
    sb_puts(&mt, "0");
    for (int q = 0; q < n; q++) {
      int k = 0;
      for (int j = 0; j < n; j++)
        if (bl->sigma.a[q][j]) k = j;
      const char *mlo =
          bl->sigma.a[q][k] == 1
              ? arena_printf(a, "(%lld + lo[%d])", (long long)bl->sigma.off[q], k)
              : arena_printf(a, "(%lld - hi[%d] + 1)", (long long)bl->sigma.off[q], k);
      sb_printf(&mt, " + %lld * (%s / %lld)", (long long)ts[q], mlo, (long long)ge->chunk[q]);
    }
    sb_line(b, "const int64_t mirror = %s;", mt.data);
    sb_free(&mt);
    sb_line(b, "if (mirror < tile) return;");
  }
  sb_line(b, "double *x1 = cd_blk%d + (int64_t)omp_get_thread_num() * %lld;", id,
          (long long)(bl->belems * (two ? 2 : 1)));
  emit_block_box(ge, bl->k[0], "b1");
  sb_line(b, "g%d_gen(x1, b1lo, b1hi);", id);
  if (two) {
    sb_line(b, "double *x2 = x1 + %lld;", (long long)bl->belems);
    emit_block_box(ge, bl->k[1], "b2");
    sb_line(b, "g%d_gen(x2, b2lo, b2hi);", id);
    sb_line(b, "g%d_tile(tile, x1, base1, x2, base2);", id);
    if (paired) sb_line(b, "if (mirror != tile) g%d_tile(mirror, x2, base2, x1, base1);", id);
  } else {
    sb_line(b, "g%d_tile(tile, x1, base1);", id);
  }
  emit_close(b, NULL);
}
