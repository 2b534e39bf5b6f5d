/* chunk.c: how a group's task tiles are chosen (the contract: cdask.h, "chunk"). The tile
 * starts as the user's chunk (the whole axis where the chunk is larger, or where a scan
 * runs); one over TILE_MAX elements is split, halving the largest kept axis (reduced axes
 * after: partial trees stay shallow) while the innermost stays at least STRIP_MIN long;
 * one under TILE_MIN whose domain would have more than MANY_TILES tiles is grown, the
 * innermost axis first (strips stay long). So tiny chunks are grouped and huge ones split:
 * a chunk hint cannot make the program slow (too many tasks, or too few to keep the
 * threads busy). Nothing depends on the thread count, and reductions combine their partials
 * in the tree of the tile grid: results stay bitwise identical for any number of threads.
 * A scan's tiles span its axis: each runs the axis in order, so the sums are NumPy's
 * sequential ones. */
#include "cdask.h"

#include <string.h>

enum { TILE_MIN = 1 << 16, TILE_MAX = 1 << 20, STRIP_MIN = 512, MANY_TILES = 1024 };

static int64_t count(int n, const int64_t *shape, const int64_t *t) {
  int64_t c = 1;
  for (int d = 0; d < n; d++) c *= shape[d] ? (shape[d] + t[d] - 1) / t[d] : 0;
  return c;
}

static int64_t elems(int n, const int64_t *t) {
  int64_t e = 1;
  for (int d = 0; d < n; d++) e *= t[d];
  return e;
}

const char *chunk_tile(int n, const int64_t *shape, const int64_t *chunk, unsigned reduced,
                       unsigned whole, int64_t *tile) {
  for (int d = 0; d < n; d++)
    tile[d] = chunk[d] < shape[d] && !(whole >> d & 1) ? chunk[d] : (shape[d] ? shape[d] : 1);
  if (n == 0) return "a single element";
  const char *why = "the chunks";
  bool split = false;
  /* split: halve the largest kept axis (then reduced), keeping the innermost >= STRIP_MIN */
  while (elems(n, tile) > TILE_MAX) {
    int best = -1;
    for (int pass = 0; pass < 2 && best < 0; pass++)
      for (int d = 0; d < n; d++) {
        bool red = reduced >> d & 1;
        if (red != (pass == 1) || tile[d] < 2 || (whole >> d & 1)) continue;
        if (d == n - 1 && tile[d] / 2 < STRIP_MIN && n > 1) continue;
        if (best < 0 || tile[d] > tile[best]) best = d;
      }
    if (best < 0) break;
    tile[best] = (tile[best] + 1) / 2;
    why = "chunks split: too few tasks, too much memory per task";
    split = true;
  }
  /* grow, when there are so many tiles that their overhead shows: double the innermost
   * axis that can still grow, then outer ones */
  while (elems(n, tile) < TILE_MIN && count(n, shape, tile) > MANY_TILES) {
    int grow = -1;
    for (int d = n - 1; d >= 0 && grow < 0; d--)
      if (tile[d] < shape[d]) grow = d;
    if (grow < 0) break;
    tile[grow] = 2 * tile[grow] < shape[grow] ? 2 * tile[grow] : shape[grow];
    why = "chunks grouped: tasks too small to hide their overhead";
  }
  if (whole && !split) /* grouped or not, a scan's tiles are the chunks along its axis */
    why = "the chunks, each tile spanning the scanned axis";
  return why;
}

void pass_chunk(Graph *g, Fusion *f) {
  for (int k = 0; k < f->ngroups; k++) {
    Group *gr = &f->groups[k];
    if (gr->kind == G_BLOCK) { /* the kernel sees the user's blocks: never re-tiled */
      memcpy(gr->user_chunk, gr->chunk, sizeof gr->chunk);
      gr->tile_why = "the output's blocks, one kernel call each";
      gr->ntiles = tiles_over(gr->ndim, gr->lo, gr->hi, gr->chunk);
      continue;
    }
    unsigned reduced = gr->kind == G_REDUCE ? g->nodes[gr->sink].axes : 0;
    /* a scan runs along its axis in order inside one task */
    unsigned whole = gr->kind == G_SCAN ? 1u << g->nodes[gr->sink].axis : 0;
    if (group_is_task(g, gr)) whole = ~0u; /* a delayed task is one call: one tile */
    int64_t tile[MAXDIM];
    gr->tile_why = chunk_tile(gr->ndim, gr->shape, gr->chunk, reduced, whole, tile);
    if (group_is_task(g, gr)) gr->tile_why = "one task";
    memcpy(gr->user_chunk, gr->chunk, sizeof gr->chunk);
    memcpy(gr->chunk, tile, sizeof tile);
    gr->ntiles = tiles_over(gr->ndim, gr->lo, gr->hi, tile);
  }
}

int64_t tiles_over(int ndim, const int64_t *lo, const int64_t *hi, const int64_t *tile) {
  int64_t n = 1; /* from the tile holding lo to the one holding hi - 1 */
  for (int d = 0; d < ndim; d++)
    n *= hi[d] > lo[d] ? (hi[d] + tile[d] - 1) / tile[d] - lo[d] / tile[d] : 0;
  return n;
}
