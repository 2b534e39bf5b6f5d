/* The chunk choice (compiler/chunk.c: chunk_tile, tiles_over) against tiles worked out
 * by hand. The rule (TILE_MIN = 2^16 = 65536, TILE_MAX = 2^20 = 1048576 elements,
 * STRIP_MIN = 512, MANY_TILES = 1024): the tile starts as the chunk (the whole axis where
 * the chunk is larger or the axis is a scan's, 1 for a size-0 axis); over TILE_MAX, halve
 * (rounding up) the largest kept axis, then reduced ones, never the innermost below 512
 * (in 2-D and up); under TILE_MIN with more than 1024 tiles, double the innermost axis
 * that is still short of the shape (capped at it), then outer ones. */
#include "test.h"

#include "cdask.h"

#include <string.h>

static const char *const CHUNKS = "the chunks";
static const char *const SPLIT = "chunks split: too few tasks, too much memory per task";
static const char *const GROUPED = "chunks grouped: tasks too small to hide their overhead";
static const char *const SCAN = "the chunks, each tile spanning the scanned axis";

/* chunk_tile over (n, shape, chunk, reduced, whole) gives want, for why */
static int tile_is(int n, const int64_t *shape, const int64_t *chunk, unsigned reduced,
                   unsigned whole, const int64_t *want, const char *why) {
  int64_t tile[MAXDIM];
  memset(tile, 0, sizeof tile);
  const char *got = chunk_tile(n, shape, chunk, reduced, whole, tile);
  int ok = strcmp(got, why) == 0 && memcmp(tile, want, sizeof(int64_t) * (size_t)n) == 0;
  if (!ok) {
    fprintf(stderr, "got (");
    for (int d = 0; d < n; d++) fprintf(stderr, d ? ",%lld" : "%lld", (long long)tile[d]);
    fprintf(stderr, "): %s\n", got);
  }
  return ok;
}

#define S(...) ((const int64_t[]){__VA_ARGS__})

int main(void) {
  /* 0-d: one element, one tile */
  ASSERT(tile_is(0, S(0), S(0), 0, 0, S(0), "a single element"));

  /* (1000,1000) in (100,100): 10^4 elements a tile, 100 tiles: nothing to change */
  ASSERT(tile_is(2, S(1000, 1000), S(100, 100), 0, 0, S(100, 100), CHUNKS));

  /* a chunk larger than the shape: the whole axis, 50 */
  ASSERT(tile_is(1, S(50), S(1000), 0, 0, S(50), CHUNKS));

  /* a size-0 axis: tile 1 there (never 0: tiles divide), no tiles to count, no growing */
  ASSERT(tile_is(2, S(0, 10), S(5, 5), 0, 0, S(1, 5), CHUNKS));
  ASSERT(tile_is(1, S(0), S(4), 0, 0, S(1), CHUNKS));

  /* one (4096,4096) chunk, 2^24 elements: halve the largest axis (the first on a tie):
   * (2048,4096) 2^23, (2048,2048) 2^22, (1024,2048) 2^21, (1024,1024) 2^20 = TILE_MAX */
  ASSERT(tile_is(2, S(4096, 4096), S(4096, 4096), 0, 0, S(1024, 1024), SPLIT));

  /* axis 1 reduced: kept axis 0 is halved first, and suffices: 4096 -> 2048 -> 1024 ->
   * 512 -> 256, 256 * 4096 = 2^20 */
  ASSERT(tile_is(2, S(4096, 4096), S(4096, 4096), 1u << 1, 0, S(256, 4096), SPLIT));

  /* (4096,1024), axis 0 reduced: kept axis 1 (the innermost) goes to 512, 2^21; not
   * below 512 (STRIP_MIN), so reduced axis 0 is halved: 2048 * 512 = 2^20 */
  ASSERT(tile_is(2, S(4096, 1024), S(4096, 1024), 1u << 0, 0, S(2048, 512), SPLIT));

  /* 1-D, 2^22 elements: the only axis, halved twice to 2^20 (the 512 floor is for 2-D and
   * up: a 1-D strip is the tile) */
  ASSERT(tile_is(1, S(4194304), S(4194304), 0, 0, S(1048576), SPLIT));

  /* 10^6 in chunks of 100: 10^4 tiles of 100; double the axis while over 1024 tiles:
   * 200 (5000 tiles), 400 (2500), 800 (1250), 1600 (625) */
  ASSERT(tile_is(1, S(1000000), S(100), 0, 0, S(1600), GROUPED));

  /* (1000,1000) in (10,10): 10^4 tiles; the innermost grows: 20 (100 * 50 = 5000 tiles),
   * 40 (2500), 80 (100 * 13 = 1300), 160 (100 * 7 = 700) */
  ASSERT(tile_is(2, S(1000, 1000), S(10, 10), 0, 0, S(10, 160), GROUPED));

  /* (10000,100) in (1,1): the innermost grows 2, 4, ..., 64, then 100 (capped at the
   * shape: 10^4 tiles), then axis 0: 2 (5000), 4 (2500), 8 (1250), 16 (625) */
  ASSERT(tile_is(2, S(10000, 100), S(1, 1), 0, 0, S(16, 100), GROUPED));

  /* reduced axes alone change nothing when the chunks are fine */
  ASSERT(tile_is(2, S(1000, 50), S(100, 10), 1u << 1, 0, S(100, 10), CHUNKS));

  /* a scan along axis 0 keeps it whole: (1000,100), 10^5 elements, 10 tiles */
  ASSERT(tile_is(2, S(1000, 1000), S(100, 100), 0, 1u << 0, S(1000, 100), SCAN));

  /* a scan along axis 1 of one (4096,4096) chunk: only axis 0 may be halved: 2048,
   * 1024, 512, 256 (256 * 4096 = 2^20); split says so */
  ASSERT(tile_is(2, S(4096, 4096), S(4096, 4096), 0, 1u << 1, S(256, 4096), SPLIT));

  /* a scan along axis 1 of (100000,10) in (1,10): 10^5 tiles of 10; axis 1 is whole
   * already, axis 0 doubles to 128 (782 tiles); still the scan's chunks, grouped */
  ASSERT(tile_is(2, S(100000, 10), S(1, 10), 0, 1u << 1, S(128, 10), SCAN));

  /* a scan whose chunk is larger than its axis, and a size-0 scanned axis */
  ASSERT(tile_is(1, S(7), S(100), 0, 1u << 0, S(7), SCAN));
  ASSERT(tile_is(2, S(3, 0), S(1, 1), 0, 1u << 1, S(1, 1), SCAN));

  /* tiles_over: the tiles (cut at multiples of the tile) that meet [lo, hi) */
  ASSERT(tiles_over(2, S(0, 0), S(1000, 1000), S(100, 100)) == 100);
  /* rows 150..249 meet tiles 1 and 2 (ceil(250 / 100) - floor(150 / 100) = 2) */
  ASSERT(tiles_over(2, S(150, 0), S(250, 1000), S(100, 100)) == 20);
  /* a partial last tile: 1000 in tiles of 300 is 4 */
  ASSERT(tiles_over(1, S(0), S(1000), S(300)) == 4);
  /* an empty box (culled away, or a size-0 axis): no tiles; 0-d: one */
  ASSERT(tiles_over(2, S(0, 5), S(10, 5), S(4, 4)) == 0);
  ASSERT(tiles_over(0, S(0), S(0), S(0)) == 1);
  TEST_END();
}
