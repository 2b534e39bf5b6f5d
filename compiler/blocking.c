/* blocking.c: decides how a group reads a random leaf or an input file in blocks (the
 * Blocking struct of GroupEmit, and the blocked terms' offsets); emit_block.c prints it.
 * The generator's fast path makes consecutive elements (one Philox call, one log and one
 * sincos per pair) and a file is read fastest in whole rows; a strip of a transposed view
 * would take the generator's slow per-element path (or read a window of the file per
 * element), and two views of one array would generate every element twice. So an array
 * read through one or two permutation-like views is made per task as blocks in its own
 * row-major order, and the fused loops read the blocks through the views. When the second
 * view is the first composed with an involution of the tile grid (transpose with square
 * chunks, reversal with chunks dividing the shape), the task also computes the mirror tile
 * from the same blocks: every element is made once. A task walks its tile in sub-boxes
 * whose blocks fit L2, in an order that keeps every result bit (cut_ok). */
#include "emit.h"

#include <string.h>

/* Source axis d reads domain axis perm[d] with coefficient +-1, each domain axis at most
 * once: the image of a box is a box of the same extents. */
bool permutation_like(const Affine *m, int n, int *perm) {
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
bool tile_mirror(const GroupEmit *ge, const Affine *m1, const int *p1, const Affine *m2,
                 Affine *s) {
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

/* Whether a tile may be walked along domain axis q in consecutive sub-boxes, visited in
 * direction dir (+1: ascending), with every result bit unchanged. Elementwise values have
 * no order. A partial with the last axis kept accumulates its reduced positions in
 * row-major order, so only the first reduced axis may be cut, ascending. With the last
 * axis reduced, strips make rows that are summed pairwise: a whole-array sum keeps its
 * rows by position (any order of the other axes); any other per-output reduction runs
 * whole. A scan runs its axis in order. */
bool cut_ok(const GroupEmit *ge, int q, int dir) {
  const Node *s = &ge->g->nodes[ge->gr->sink];
  int last = ge->n - 1;
  if (ge->gr->kind == G_SCAN) return q != s->axis;
  if (ge->gr->kind != G_REDUCE || !(s->axes >> q & 1)) return true;
  if (!(s->axes >> last & 1)) return q == __builtin_ctz(s->axes) && dir > 0;
  return q != last && ge->blk.rows_t;
}

/* Sub-box extents: the tile's, halved along the largest cuttable axis (outer axes first
 * on ties, keeping generated rows long) until a block holds at most BLOCK_ELEMS. With a
 * mirror tile, an axis is cut only if the mirror's walk is allowed too. */
enum {
  BLOCK_ELEMS = 131072
}; /* 1 MB of doubles: the fastest measured (32768 and 262144 were slower) */

void plan_subboxes(GroupEmit *ge, bool paired) {
  Blocking *b = &ge->blk;
  bool cut[MAXDIM];
  int64_t elems = 1;
  for (int q = 0; q < ge->n; q++) {
    b->sub[q] = ge->chunk[q];
    elems *= b->sub[q];
    cut[q] = cut_ok(ge, q, 1);
  }
  for (int q = 0; paired && q < ge->n; q++)
    for (int k = 0; k < ge->n; k++)
      if (b->sigma.a[q][k]) cut[k] = cut[k] && cut_ok(ge, q, (int)b->sigma.a[q][k]);
  while (elems > BLOCK_ELEMS) {
    int best = -1;
    for (int q = 0; q < ge->n; q++)
      if (cut[q] && b->sub[q] > 1 && (best < 0 || b->sub[q] > b->sub[best])) best = q;
    if (best < 0) break;
    elems = elems / b->sub[best] * ((b->sub[best] + 1) / 2);
    b->sub[best] = (b->sub[best] + 1) / 2;
  }
}

/* sigma of a grid index of the self-mirror tile (a pure permutation of axes) */
static void grid_sigma(const GroupEmit *ge, const int64_t *x, int64_t *y) {
  for (int q = 0; q < ge->n; q++)
    for (int k = 0; k < ge->n; k++)
      if (ge->blk.sigma.a[q][k]) y[q] = x[k];
}

static void grid_index(int n, const int64_t *dims, int64_t i, int64_t *x) {
  for (int q = n - 1; q >= 0; q--) x[q] = i % dims[q], i /= dims[q];
}

enum { SELF_PAIR_CELLS = 256 };

/* A tile that is its own mirror (the diagonal of a.T + a) would generate both blocks of
 * each sub-box, every element twice. When sigma is a pure permutation of axes it maps the
 * sub-box grid onto itself, and the task can pair sub-box S with sigma(S) as it pairs
 * tiles: visiting the grid in row-major order, skipping S when sigma(S) came earlier. The
 * order changes, so this is done only when no result bit can: checked here over the whole
 * grid (an edge tile's grid is a corner of it, visited in the same relative order). With
 * the last axis kept, each partial must still see the first reduced axis ascending. */
static void plan_self_pairs(GroupEmit *ge) {
  Blocking *b = &ge->blk;
  int n = ge->n;
  for (int q = 0; q < n; q++)
    for (int k = 0; k < n; k++)
      if (b->sigma.a[q][k] && (b->sigma.a[q][k] != 1 || b->sigma.off[q] != 0)) return;
  int64_t sub[MAXDIM], dims[MAXDIM], cells = 1;
  for (int q = 0; q < n; q++) sub[q] = b->sub[q];
  for (int q = 0; q < n; q++) /* equal extents on the axes sigma exchanges */
    for (int k = 0; k < n; k++)
      if (b->sigma.a[q][k] && b->sub[k] < sub[q]) {
        if (!cut_ok(ge, q, 1) || !cut_ok(ge, k, 1)) return;
        sub[q] = b->sub[k];
      }
  memcpy(b->sub, sub, sizeof sub);
  for (int q = 0; q < n; q++) {
    dims[q] = (ge->chunk[q] + b->sub[q] - 1) / b->sub[q];
    cells *= dims[q];
  }
  if (cells > SELF_PAIR_CELLS) return; /* keep the equal extents, no pairing */
  const Node *sink = &ge->g->nodes[ge->gr->sink];
  unsigned axes = ge->gr->kind == G_REDUCE ? sink->axes : 0;
  if (ge->gr->kind != G_REDUCE || axes >> (n - 1) & 1) { /* no order to keep */
    b->self_pair = true;
    return;
  }
  int r0 = __builtin_ctz(axes);
  int64_t when[SELF_PAIR_CELLS], t = 0, x[MAXDIM], y[MAXDIM];
  for (int64_t i = 0; i < cells; i++) when[i] = -1;
  for (int64_t i = 0; i < cells; i++) {
    if (when[i] >= 0) continue;
    grid_index(n, dims, i, x);
    grid_sigma(ge, x, y);
    int64_t j = 0;
    for (int q = 0; q < n; q++) j = j * dims[q] + y[q];
    when[i] = t++;
    if (when[j] < 0) when[j] = t++;
  }
  for (int64_t i = 0; i < cells; i++)
    for (int64_t j = 0; j < cells; j++) {
      grid_index(n, dims, i, x);
      grid_index(n, dims, j, y);
      bool same_kept = true;
      for (int q = 0; q < n; q++)
        if (!(axes >> q & 1) && x[q] != y[q]) same_kept = false;
      if (same_kept && x[r0] < y[r0] && when[i] > when[j]) return;
    }
  b->self_pair = true;
}

/* For each term, the next term of the same node (or -1): one pass from the end with a
 * table from node to the latest term seen (open addressing), not a search per term. */
static int *next_of_same_node(GroupEmit *ge) {
  Arena *a = ge->g->arena;
  int n = ge->nterms;
  size_t mask = 63;
  while (mask + 1 < 2 * (size_t)n) mask = 2 * mask + 1;
  int *key = arena_alloc(a, (mask + 1) * sizeof *key); /* node + 1, 0 empty */
  int *last = arena_alloc(a, (mask + 1) * sizeof *last);
  int *next = arena_alloc(a, (size_t)(n ? n : 1) * sizeof *next);
  for (int k = n - 1; k >= 0; k--) {
    int node = ge->terms[k].node;
    size_t i = ((size_t)node * 2654435761u) & mask;
    while (key[i] && key[i] != node + 1) i = (i + 1) & mask;
    next[k] = key[i] ? last[i] : -1;
    key[i] = node + 1, last[i] = k;
  }
  return next;
}

/* The block buffer's strides (its extents cover the sub-box seen through either view) and
 * the offsets of the blocked terms into it. */
static void plan_block_layout(GroupEmit *ge, int m, int nt, const int *terms, int perm[2][MAXDIM]) {
  Blocking *b = &ge->blk;
  int64_t ext[MAXDIM];
  for (int d = 0; d < m; d++) {
    ext[d] = b->sub[perm[0][d]];
    if (nt == 2 && b->sub[perm[1][d]] > ext[d]) ext[d] = b->sub[perm[1][d]];
  }
  b->belems = 1;
  for (int d = m - 1; d >= 0; d--) b->bs[d] = b->belems, b->belems *= ext[d];
  for (int i = 0; i < nt; i++) {
    Term *bt = &ge->terms[terms[i]];
    bt->blocked = i + 1;
    bt->bc0 = 0;
    memset(bt->bc, 0, sizeof bt->bc);
    for (int d = 0; d < m; d++) {
      bt->bc0 += b->bs[d] * bt->map->off[d];
      for (int q = 0; q < ge->n; q++) bt->bc[q] += b->bs[d] * bt->map->a[d][q];
    }
  }
}

void blocking_plan(GroupEmit *ge) {
  Blocking *b = &ge->blk;
  memset(b, 0, sizeof *b);
  b->k[0] = b->k[1] = -1;
  if (ge->no_blocks) return; /* for tests: the same program without blocks, the same bits */
  /* a concatenation reads its inputs outside their own boxes: no blocks there */
  for (int k = 0; k < ge->nterms; k++)
    if (ge->g->nodes[ge->terms[k].node].op == OP_CONCAT) return;
  int *next = NULL;
  for (int k = 0; k < ge->nterms && !b->on; k++) {
    const Term *t = &ge->terms[k];
    const Node *x = &ge->g->nodes[t->node];
    if (!t->leaf || t->mem || !(op_flags[x->op] & F_STRIP)) continue;
    if (!next) next = next_of_same_node(ge);
    int terms[3] = {k, -1, -1}, nt = 0;
    for (int j = k; j >= 0 && nt < 3; j = next[j]) terms[nt++] = j;
    int perm[2][MAXDIM];
    if (nt > 2 || !permutation_like(ge->terms[terms[0]].map, ge->n, perm[0])) continue;
    if (nt == 2 && !permutation_like(ge->terms[terms[1]].map, ge->n, perm[1])) continue;
    /* one view whose strips are already consecutive gains nothing */
    int64_t cl = t->c[ge->n - 1];
    if (nt == 1 && (cl == 1 || cl == -1)) continue;
    b->on = true;
    b->node = t->node;
    b->ct = dtype_ctype(x->dtype);
    b->k[0] = terms[0];
    b->k[1] = nt == 2 ? terms[1] : -1;
    const Node *sink = &ge->g->nodes[ge->gr->sink];
    if (ge->gr->kind == G_REDUCE && reduce_is_pairwise(sink) && sink->axes == (1u << ge->n) - 1) {
      b->rows_t = dtype_ctype(sink->dtype);
      b->nrows = (ge->chunk[ge->n - 1] + CDRT_STRIP - 1) / CDRT_STRIP;
      for (int q = 0; q < ge->n - 1; q++) b->nrows *= ge->chunk[q];
    }
    bool paired =
        nt == 2 && !ge->gr->culled &&
        tile_mirror(ge, ge->terms[terms[0]].map, perm[0], ge->terms[terms[1]].map, &b->sigma);
    if (!paired) b->sigma.nin = 0; /* two blocks, no mirror tile */
    plan_subboxes(ge, paired);
    if (paired) plan_self_pairs(ge);
    plan_block_layout(ge, x->ndim, nt, terms, perm);
  }
}
