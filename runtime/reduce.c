/* reduce.c: pairwise sums and products, as NumPy 1.24 sums.
 *
 * NumPy's add.reduce over a contiguous 1-D array (numpy/core/src/umath/loops_utils.h.src,
 * pairwise_sum) is, bit for bit (tests/py/test_pairwise.py checks it against NumPy):
 *   - the array is taken in pieces of 8192 elements (the ufunc buffer size, NPY_BUFSIZE),
 *     and the result is 0 + pw(piece 0) + pw(piece 1) + ..., left to right;
 *   - pw(a, n): n < 8: 0 + a[0] + ... + a[n-1] left to right;
 *     n <= 128: eight accumulators r[j] = a[j] + a[j+8] + a[j+16] + ... over the largest
 *     multiple of 8, then ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7)), then the
 *     remaining n % 8 elements added one by one;
 *     otherwise pw(a, m) + pw(a + m, n - m) with m = n / 2 rounded down to a multiple of 8.
 * float32 is summed in float, like NumPy. The products are the same algorithm with * and 1
 * (NumPy's multiply.reduce is a plain left-to-right loop instead, so the products do not
 * match np.prod bit for bit in general). */
#include "cdrt.h"

#define RED_PIECE 8192
#define RED_BLOCK 128

#define RED_PAIRWISE(NAME, PW, T, OP, ONE)                                                         \
  static T PW(const T *a, int64_t n) {                                                             \
    if (n < 8) {                                                                                   \
      T res = ONE;                                                                                 \
      for (int64_t i = 0; i < n; i++) res = res OP a[i];                                           \
      return res;                                                                                  \
    }                                                                                              \
    if (n <= RED_BLOCK) {                                                                          \
      T r[8];                                                                                      \
      for (int j = 0; j < 8; j++) r[j] = a[j];                                                     \
      int64_t i = 8;                                                                               \
      for (; i < n - n % 8; i += 8)                                                                \
        for (int j = 0; j < 8; j++) r[j] = r[j] OP a[i + j];                                       \
      T r01 = r[0] OP r[1], r23 = r[2] OP r[3], r45 = r[4] OP r[5], r67 = r[6] OP r[7];            \
      T r03 = r01 OP r23, r47 = r45 OP r67;                                                        \
      T res = r03 OP r47;                                                                          \
      for (; i < n; i++) res = res OP a[i];                                                        \
      return res;                                                                                  \
    }                                                                                              \
    int64_t m = n / 2;                                                                             \
    m -= m % 8;                                                                                    \
    return PW(a, m) OP PW(a + m, n - m);                                                           \
  }                                                                                                \
  T NAME(const T *v, int64_t n) {                                                                  \
    T res = ONE;                                                                                   \
    for (int64_t off = 0; off < n; off += RED_PIECE)                                               \
      res = res OP PW(v + off, n - off < RED_PIECE ? n - off : RED_PIECE);                         \
    return res;                                                                                    \
  }

RED_PAIRWISE(cdrt_pairwise_sum_f64, red_sum_f64, double, +, 0.0)
RED_PAIRWISE(cdrt_pairwise_sum_f32, red_sum_f32, float, +, 0.0f)
RED_PAIRWISE(cdrt_pairwise_prod_f64, red_prod_f64, double, *, 1.0)
RED_PAIRWISE(cdrt_pairwise_prod_f32, red_prod_f32, float, *, 1.0f)

/* The runtime is amalgamated into one translation unit: keep our macros to ourselves. */
#undef RED_PAIRWISE
#undef RED_PIECE
#undef RED_BLOCK
