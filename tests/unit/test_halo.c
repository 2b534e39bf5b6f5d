/* test_halo.c: runtime/halo.c against a direct computation: the gather of boxes reaching
 * past every edge (each boundary mode, ranks 1 to 3, 4- and 8-byte elements, halos wider
 * than the array for periodic, reflect and nearest), the index maps against NumPy's
 * np.pad modes ('symmetric', 'wrap', 'edge'), and the block copy. */
#include "cdrt.h"
#include "test.h"

#include <stdlib.h>
#include <string.h>

/* The source index of k along an axis of length n, written from NumPy's definitions. */
static int64_t direct_index(int64_t k, int64_t n, cdrt_boundary b) {
  if (b == CDRT_BOUNDARY_CONSTANT && (k < 0 || k >= n)) return -1;
  if (b == CDRT_BOUNDARY_NEAREST || b == CDRT_BOUNDARY_NONE) return k < 0 ? 0 : k >= n ? n - 1 : k;
  while (k < 0 || k >= n) {
    if (b == CDRT_BOUNDARY_PERIODIC) {
      k = k < 0 ? k + n : k - n;
    } else { /* symmetric: -1 -> 0, n -> n - 1 */
      k = k < 0 ? -k - 1 : 2 * n - 1 - k;
    }
  }
  return k;
}

static void check_gather(int ndim, const int64_t *shape, const int64_t *lo, const int64_t *hi,
                         cdrt_boundary b, int elem) {
  int64_t size = 1, box = 1;
  for (int d = 0; d < ndim; d++) size *= shape[d], box *= hi[d] - lo[d];
  unsigned char *src = malloc((size_t)(size * elem)), *out = malloc((size_t)(box * elem) + 1);
  for (int64_t i = 0; i < size * elem; i++) src[i] = (unsigned char)(i * 7 + 3);
  unsigned char cval[8] = {0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF, 0x11, 0x22};
  out[box * elem] = 0x5A; /* a guard byte: nothing is written past the box */
  cdrt_halo_gather(out, src, elem, ndim, shape, lo, hi, b, cval);
  int ok = out[box * elem] == 0x5A;
  for (int64_t j = 0; j < box && ok; j++) {
    int64_t r = j, off = 0, s = 1;
    int outside = 0;
    for (int d = ndim - 1; d >= 0; d--) {
      int64_t ext = hi[d] - lo[d], k = lo[d] + r % ext;
      r /= ext;
      int64_t i = direct_index(k, shape[d], b);
      if (i < 0) outside = 1;
      off += i * s, s *= shape[d];
    }
    const unsigned char *want = outside ? cval : src + off * elem;
    ok = memcmp(out + j * elem, want, (size_t)elem) == 0;
  }
  ASSERT(ok);
  free(src), free(out);
}

int main(void) {
  static const cdrt_boundary modes[] = {CDRT_BOUNDARY_REFLECT, CDRT_BOUNDARY_PERIODIC,
                                        CDRT_BOUNDARY_NEAREST, CDRT_BOUNDARY_CONSTANT};
  /* the maps of NumPy's np.pad(np.arange(4), 5, mode) */
  static const int64_t symmetric[] = {3, 3, 2, 1, 0, 0, 1, 2, 3, 3, 2, 1, 0, 0};
  static const int64_t wrap[] = {3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0};
  for (int k = -5; k < 9; k++) {
    ASSERT(cdrt_halo_index(k, 4, CDRT_BOUNDARY_REFLECT) == symmetric[k + 5]);
    ASSERT(cdrt_halo_index(k, 4, CDRT_BOUNDARY_PERIODIC) == wrap[k + 5]);
    ASSERT(cdrt_halo_index(k, 4, CDRT_BOUNDARY_NEAREST) == (k < 0 ? 0 : k > 3 ? 3 : k));
    ASSERT(cdrt_halo_index(k, 4, CDRT_BOUNDARY_CONSTANT) == (k < 0 || k > 3 ? -1 : k));
  }
  for (int m = 0; m < 4; m++) {
    for (int elem = 4; elem <= 8; elem += 4) {
      int64_t s1[] = {10}, l1[] = {-3}, h1[] = {13};
      check_gather(1, s1, l1, h1, modes[m], elem);
      int64_t l1b[] = {-25}, h1b[] = {-2}; /* wider than the array, all outside */
      check_gather(1, s1, l1b, h1b, modes[m], elem);
      int64_t s2[] = {7, 9}, l2[] = {-2, 4}, h2[] = {3, 12};
      check_gather(2, s2, l2, h2, modes[m], elem);
      int64_t l2b[] = {2, -11}, h2b[] = {9, 20};
      check_gather(2, s2, l2b, h2b, modes[m], elem);
      int64_t s3[] = {4, 5, 6}, l3[] = {-1, 1, -2}, h3[] = {5, 4, 8};
      check_gather(3, s3, l3, h3, modes[m], elem);
    }
  }
  /* inside the array every mode is a plain copy */
  int64_t s2[] = {6, 8}, l2[] = {1, 2}, h2[] = {5, 7};
  check_gather(2, s2, l2, h2, CDRT_BOUNDARY_NONE, 8);

  /* the copy: a 3x4 box at (1, 1) of a 5x6 buffer into (2, 0) of a 6x5 array */
  double buf[30], arr[30];
  for (int i = 0; i < 30; i++) buf[i] = i, arr[i] = -1;
  int64_t ss[] = {5, 6}, so[] = {1, 1}, ds[] = {6, 5}, dl[] = {2, 0}, ext[] = {3, 4};
  cdrt_block_copy(arr, ds, dl, buf, ss, so, ext, 2, 8);
  int ok = 1;
  for (int i = 0; i < 6; i++)
    for (int j = 0; j < 5; j++) {
      int in = i >= 2 && i < 5 && j < 4;
      double want = in ? buf[(i - 2 + 1) * 6 + (j + 1)] : -1;
      ok = ok && arr[i * 5 + j] == want;
    }
  ASSERT(ok);
  TEST_END();
}
