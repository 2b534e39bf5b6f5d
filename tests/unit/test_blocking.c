/* The blocking plan (compiler/blocking.c) on hand-built maps and groups: which views are
 * permutation-like, which pairs of views are mirrors of each other on the tile grid, which
 * axes a tile may be cut along without changing a result bit, and the sub-box extents that
 * follow. Every expected value below is worked out by hand in the comment next to it. */
#include "test.h"

#include "emit.h"

#include <string.h>

/* A 2-D map in[d] = off[d] + sum_k a[d][k] * out[k] (nin source axes, 2 domain axes). */
static Affine map2(int nin, int64_t o0, int64_t o1, int64_t a00, int64_t a01, int64_t a10,
                   int64_t a11) {
  Affine m;
  memset(&m, 0, sizeof m);
  m.nin = nin, m.nout = 2;
  m.off[0] = o0, m.off[1] = o1;
  m.a[0][0] = a00, m.a[0][1] = a01, m.a[1][0] = a10, m.a[1][1] = a11;
  return m;
}

/* A group over an n-D domain whose sink is a REDUCE over `axes`, a SCAN along `axis`, or a
 * stored array; the graph holds the sink's input (node 0) and the sink (node 1). */
typedef struct {
  Graph *g;
  Group gr;
  GroupEmit ge;
} Fixture;

static void fixture(Fixture *f, Arena *a, GroupKind kind, int n, const int64_t *shape,
                    const int64_t *chunk, unsigned axes, int axis) {
  memset(f, 0, sizeof *f);
  f->g = graph_new(a);
  Node x;
  memset(&x, 0, sizeof x);
  x.op = OP_RNORMAL, x.dtype = CDRT_FLOAT64, x.ndim = n;
  memcpy(x.shape, shape, (size_t)n * sizeof *shape);
  memcpy(x.chunk, chunk, (size_t)n * sizeof *chunk);
  int in = graph_add(f->g, &x);
  Node s = x;
  s.op = kind == G_REDUCE ? OP_REDUCE : kind == G_SCAN ? OP_SCAN : OP_ADD;
  s.nin = 1, s.in[0] = in;
  s.rop = ROP_SUM, s.axes = axes, s.axis = axis;
  f->gr.sink = graph_add(f->g, &s);
  f->gr.kind = kind;
  f->gr.ndim = n;
  f->ge.g = f->g;
  f->ge.gr = &f->gr;
  f->ge.n = n;
  memcpy(f->ge.shape, shape, (size_t)n * sizeof *shape);
  memcpy(f->ge.chunk, chunk, (size_t)n * sizeof *chunk);
}

static void test_permutation_like(void) {
  int perm[MAXDIM];
  Affine id = map2(2, 0, 0, 1, 0, 0, 1);
  ASSERT(permutation_like(&id, 2, perm) && perm[0] == 0 && perm[1] == 1);
  Affine t = map2(2, 0, 0, 0, 1, 1, 0); /* a.T: source axis 0 reads domain axis 1 */
  ASSERT(permutation_like(&t, 2, perm) && perm[0] == 1 && perm[1] == 0);
  Affine rev = map2(2, 5, 5, -1, 0, 0, -1); /* b[::-1, ::-1] of a 6 x 6 b */
  ASSERT(permutation_like(&rev, 2, perm) && perm[0] == 0 && perm[1] == 1);
  Affine row = map2(1, 0, 0, 0, 1, 0, 0); /* a 1-D array broadcast along domain axis 0 */
  ASSERT(permutation_like(&row, 2, perm) && perm[0] == 1);
  Affine fixed = map2(2, 3, 0, 0, 0, 0, 1); /* a[3][None, :]: axis 0 reads no domain axis */
  ASSERT(!permutation_like(&fixed, 2, perm));
  Affine step = map2(2, 0, 0, 2, 0, 0, 1); /* a[::2]: coefficient 2 */
  ASSERT(!permutation_like(&step, 2, perm));
  Affine twice = map2(2, 0, 0, 1, 0, 1, 0); /* both source axes read domain axis 0 */
  ASSERT(!permutation_like(&twice, 2, perm));
  Affine both = map2(2, 0, 0, 1, 1, 0, 0); /* one source axis reads two domain axes */
  ASSERT(!permutation_like(&both, 2, perm));
  Affine none = map2(0, 0, 0, 0, 0, 0, 0); /* a 0-d array */
  ASSERT(!permutation_like(&none, 2, perm));
}

static bool affine_is(const Affine *s, int64_t o0, int64_t o1, int64_t a00, int64_t a01,
                      int64_t a10, int64_t a11) {
  Affine e = map2(2, o0, o1, a00, a01, a10, a11);
  e.nout = 2;
  return s->nin == 2 && s->nout == 2 && affine_equal(s, &e);
}

static void test_tile_mirror(Arena *a) {
  Fixture f;
  int64_t shape[2] = {6, 6}, chunk[2] = {3, 3};
  fixture(&f, a, G_STORE, 2, shape, chunk, 0, 0);
  int p1[MAXDIM], pt[MAXDIM];
  Affine s, id = map2(2, 0, 0, 1, 0, 0, 1), t = map2(2, 0, 0, 0, 1, 1, 0);
  Affine rev = map2(2, 5, 5, -1, 0, 0, -1);
  ASSERT(permutation_like(&id, 2, p1) && permutation_like(&t, 2, pt));
  /* a and a.T: sigma swaps the axes, (x0, x1) -> (x1, x0) */
  ASSERT(tile_mirror(&f.ge, &id, p1, &t, &s) && affine_is(&s, 0, 0, 0, 1, 1, 0));
  ASSERT(tile_mirror(&f.ge, &t, pt, &id, &s) && affine_is(&s, 0, 0, 0, 1, 1, 0));
  /* b and b[::-1, ::-1]: sigma reverses both axes, x -> 5 - x (3 divides 6: tiles onto tiles) */
  ASSERT(tile_mirror(&f.ge, &id, p1, &rev, &s) && affine_is(&s, 5, 5, -1, 0, 0, -1));
  /* a.T and a[::-1, ::-1]: sigma = T^-1 o R, (x0, x1) -> (5 - x1, 5 - x0), an involution */
  ASSERT(tile_mirror(&f.ge, &t, pt, &rev, &s) && affine_is(&s, 5, 5, 0, -1, -1, 0));
  /* a and a shifted by one row: x -> x + (1, 0) is no involution */
  Affine shift = map2(2, 1, 0, 1, 0, 0, 1);
  ASSERT(!tile_mirror(&f.ge, &id, p1, &shift, &s));
  /* a and a itself: the identity is an involution, tiles map onto themselves */
  ASSERT(tile_mirror(&f.ge, &id, p1, &id, &s) && affine_is(&s, 0, 0, 1, 0, 0, 1));

  /* chunks of 4 on 6: reversal maps the tile [0, 4) onto [2, 6), no tile */
  int64_t chunk4[2] = {4, 4};
  fixture(&f, a, G_STORE, 2, shape, chunk4, 0, 0);
  ASSERT(!tile_mirror(&f.ge, &id, p1, &rev, &s));
  ASSERT(tile_mirror(&f.ge, &id, p1, &t, &s)); /* the transpose of square chunks still is */
  /* chunks (3, 2): the transpose maps a 3 x 2 tile onto a 2 x 3 box */
  int64_t chunk32[2] = {3, 2};
  fixture(&f, a, G_STORE, 2, shape, chunk32, 0, 0);
  ASSERT(!tile_mirror(&f.ge, &id, p1, &t, &s));
  ASSERT(tile_mirror(&f.ge, &id, p1, &rev, &s)); /* 3 and 2 both divide 6 */
}

static void test_cut_ok(Arena *a) {
  Fixture f;
  int64_t shape[3] = {8, 8, 8}, chunk[3] = {4, 4, 4};
  /* a store: elementwise values have no order, any axis, either way */
  fixture(&f, a, G_STORE, 3, shape, chunk, 0, 0);
  for (int q = 0; q < 3; q++) ASSERT(cut_ok(&f.ge, q, 1) && cut_ok(&f.ge, q, -1));
  /* a scan along axis 1 runs that axis whole */
  fixture(&f, a, G_SCAN, 3, shape, chunk, 0, 1);
  ASSERT(cut_ok(&f.ge, 0, 1) && !cut_ok(&f.ge, 1, 1) && cut_ok(&f.ge, 2, -1));
  /* sum over axis 1, the last kept: partials see axis 1 in order, so it is cut ascending
   * only; kept axes freely */
  fixture(&f, a, G_REDUCE, 3, shape, chunk, 0x2, 0);
  ASSERT(cut_ok(&f.ge, 0, -1) && cut_ok(&f.ge, 1, 1) && !cut_ok(&f.ge, 1, -1));
  ASSERT(cut_ok(&f.ge, 2, 1));
  /* sum over axes 0 and 1, the last kept: only the first reduced axis (0) may be cut */
  fixture(&f, a, G_REDUCE, 3, shape, chunk, 0x3, 0);
  ASSERT(cut_ok(&f.ge, 0, 1) && !cut_ok(&f.ge, 0, -1) && !cut_ok(&f.ge, 1, 1));
  ASSERT(cut_ok(&f.ge, 2, 1));
  /* sum over axes 1 and 2, the last reduced: a per-output reduction runs whole... */
  fixture(&f, a, G_REDUCE, 3, shape, chunk, 0x6, 0);
  ASSERT(cut_ok(&f.ge, 0, 1) && !cut_ok(&f.ge, 1, 1) && !cut_ok(&f.ge, 2, 1));
  /* ...but a whole-array sum keeps its rows by position: any axis but the last, any way */
  fixture(&f, a, G_REDUCE, 3, shape, chunk, 0x7, 0);
  ASSERT(!cut_ok(&f.ge, 0, 1) && !cut_ok(&f.ge, 2, 1)); /* no rows: in order */
  f.ge.blk.rows_t = "double";
  ASSERT(cut_ok(&f.ge, 0, 1) && cut_ok(&f.ge, 0, -1) && cut_ok(&f.ge, 1, -1));
  ASSERT(!cut_ok(&f.ge, 2, 1));
}

static bool sub_is(const Fixture *f, int64_t s0, int64_t s1) {
  return f->ge.blk.sub[0] == s0 && f->ge.blk.sub[1] == s1;
}

static void test_plan_subboxes(Arena *a) {
  Fixture f;
  int64_t shape[2] = {4000, 4000}, chunk[2] = {1000, 1000};
  /* a store: 1000 x 1000 halved on the larger axis, the outer first on ties, until at most
   * 131072 elements: (500, 1000), (500, 500), (250, 500) = 125000 */
  fixture(&f, a, G_STORE, 2, shape, chunk, 0, 0);
  plan_subboxes(&f.ge, false);
  ASSERT(sub_is(&f, 250, 500));
  /* mean(0), the last kept: axis 0 may be cut ascending, the same extents */
  fixture(&f, a, G_REDUCE, 2, shape, chunk, 0x1, 0);
  plan_subboxes(&f.ge, false);
  ASSERT(sub_is(&f, 250, 500));
  /* mean(1): the last reduced, only axis 0: 500, 250, 125 (125000 elements) */
  fixture(&f, a, G_REDUCE, 2, shape, chunk, 0x2, 0);
  plan_subboxes(&f.ge, false);
  ASSERT(sub_is(&f, 125, 1000));
  /* the same for a whole-array sum, whose rows allow cutting axis 0 but never the last */
  fixture(&f, a, G_REDUCE, 2, shape, chunk, 0x3, 0);
  f.ge.blk.rows_t = "double";
  plan_subboxes(&f.ge, false);
  ASSERT(sub_is(&f, 125, 1000));
  /* a scan along axis 0 of 1000 x 300 chunks: axis 1 only, 150 then 75 (75000) */
  int64_t chunk2[2] = {1000, 300};
  fixture(&f, a, G_SCAN, 2, shape, chunk2, 0, 0);
  plan_subboxes(&f.ge, false);
  ASSERT(sub_is(&f, 1000, 75));
  /* odd extents round up: 999 -> 500 -> 250 (250 x 999 = 249750 > 131072) -> 125 */
  int64_t chunk3[2] = {999, 999};
  fixture(&f, a, G_REDUCE, 2, shape, chunk3, 0x2, 0);
  plan_subboxes(&f.ge, false);
  ASSERT(sub_is(&f, 125, 999));
  /* blocks small enough already: no cut */
  int64_t chunk4[2] = {300, 400};
  fixture(&f, a, G_STORE, 2, shape, chunk4, 0, 0);
  plan_subboxes(&f.ge, false);
  ASSERT(sub_is(&f, 300, 400));

  /* mean(0) of b + b[::-1, ::-1], paired: the mirror walks axis 0 descending, which the
   * partials forbid, so only axis 1 is cut: 500, 250, 125 */
  fixture(&f, a, G_REDUCE, 2, shape, chunk, 0x1, 0);
  f.ge.blk.sigma = map2(2, 3999, 3999, -1, 0, 0, -1);
  plan_subboxes(&f.ge, true);
  ASSERT(sub_is(&f, 1000, 125));
  /* the same unpaired (two blocks, no mirror tile): both axes as for a store */
  fixture(&f, a, G_REDUCE, 2, shape, chunk, 0x1, 0);
  plan_subboxes(&f.ge, false);
  ASSERT(sub_is(&f, 250, 500));
  /* mean(0) of a + a.T, paired: the mirror walks axis 0 where the tile walks axis 1 and
   * the other way round, both ascending: every axis as before */
  fixture(&f, a, G_REDUCE, 2, shape, chunk, 0x1, 0);
  f.ge.blk.sigma = map2(2, 0, 0, 0, 1, 1, 0);
  plan_subboxes(&f.ge, true);
  ASSERT(sub_is(&f, 250, 500));
  /* mean(1) of a + a.T, paired: axis 1 (reduced last) may not be cut, and through the
   * mirror neither may axis 0 (it is the mirror's axis 1): the whole tile */
  fixture(&f, a, G_REDUCE, 2, shape, chunk, 0x2, 0);
  f.ge.blk.sigma = map2(2, 0, 0, 0, 1, 1, 0);
  plan_subboxes(&f.ge, true);
  ASSERT(sub_is(&f, 1000, 1000));
}

int main(void) {
  Arena *a = arena_new();
  test_permutation_like();
  test_tile_mirror(a);
  test_cut_ok(a);
  test_plan_subboxes(a);
  arena_free(a);
  TEST_END();
}
