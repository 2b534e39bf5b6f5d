/* The emitter's index expressions (compiler/emit_index.c): exact text. */
#include "test.h"

#include "emit.h"

#include <string.h>

int main(void) {
  Arena *a = arena_new();
  const char *const *v = axis_vars(a, 3, "j0");
  ASSERT(strcmp(v[0], "i0") == 0 && strcmp(v[1], "i1") == 0 && strcmp(v[2], "j0") == 0);
  int64_t c[3] = {1000, 0, 1};
  ASSERT(strcmp(linear_expr(a, 0, 3, c, v), "1000 * i0 + j0") == 0);
  ASSERT(strcmp(linear_expr(a, 5, 3, c, v), "5 + 1000 * i0 + j0") == 0);
  int64_t neg[3] = {-1, 4, -7};
  ASSERT(strcmp(linear_expr(a, 0, 3, neg, v), "-i0 + 4 * i1 - 7 * j0") == 0);
  ASSERT(strcmp(linear_expr(a, -2, 3, neg, v), "-2 - i0 + 4 * i1 - 7 * j0") == 0);
  int64_t zero[3] = {0, 0, 0};
  ASSERT(strcmp(linear_expr(a, 0, 3, zero, v), "0") == 0);
  ASSERT(strcmp(linear_expr(a, 0, 0, zero, v), "0") == 0);
  int64_t one[1] = {-1};
  ASSERT(strcmp(linear_expr(a, 1, 1, one, v), "1 - i0") == 0);
  /* a leaf's offset in a block buffer (emit_expr.c): the base subtracted last; a zero
   * coefficient's name is never read */
  const char *ob[4] = {"i0", "i1", "j0", "base1"};
  int64_t cb[4] = {2000, 0, 1, -1};
  ASSERT(strcmp(linear_expr(a, 0, 4, cb, ob), "2000 * i0 + j0 - base1") == 0);
  const char *on[2] = {"o3", NULL};
  int64_t cn[2] = {1, 0};
  ASSERT(strcmp(linear_expr(a, 0, 2, cn, on), "o3") == 0);
  /* a position along a concatenated axis: i0 ... then j0 + j with the last coefficient */
  const char *oc[3] = {"i0", "j0", "j"};
  int64_t cc[3] = {0, 3, 3};
  ASSERT(strcmp(linear_expr(a, -6, 3, cc, oc), "-6 + 3 * j0 + 3 * j") == 0);
  int64_t l[3] = {3, -1, 0};
  ASSERT(strcmp(int_list(a, 3, l), "{3, -1, 0}") == 0);
  ASSERT(strcmp(int_list(a, 0, l), "{}") == 0);
  arena_free(a);
  TEST_END();
}
