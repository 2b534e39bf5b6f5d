/* emit_index.c: linear index expressions and integer lists, printed the way a person
 * writes them: "1000 * i0 + j0", not "0 + 1000 * i0 + 1 * j0". */
#include "emit.h"

#include <inttypes.h>

/* One term c * v (v NULL: the constant c): "+ 3 * v", " - v", "v"... Offsets and strides
 * are below 2^62 (the frontend's size limit), so -c is an int64 too. */
static void term(StrBuf *b, bool first, int64_t c, const char *v) {
  int64_t m = c < 0 ? -c : c;
  if (!first)
    sb_puts(b, c < 0 ? " - " : " + ");
  else if (c < 0)
    sb_puts(b, "-");
  if (m != 1 || !v) sb_printf(b, "%" PRId64 "%s", m, v ? " * " : "");
  if (v) sb_puts(b, v);
}

void sb_linear(StrBuf *b, int64_t c0, int n, const int64_t *c, const char *const *var) {
  bool first = true;
  if (c0) term(b, true, c0, NULL), first = false;
  for (int d = 0; d < n; d++)
    if (c[d]) term(b, first, c[d], var[d]), first = false;
  if (first) sb_puts(b, "0");
}

const char *linear_expr(Arena *a, int64_t c0, int n, const int64_t *c, const char *const *var) {
  StrBuf b;
  sb_init(&b);
  sb_linear(&b, c0, n, c, var);
  const char *s = arena_strdup(a, b.data);
  sb_free(&b);
  return s;
}

const char *int_list(Arena *a, int n, const int64_t *v) {
  StrBuf b;
  sb_init(&b);
  sb_puts(&b, "{");
  for (int d = 0; d < n; d++) sb_printf(&b, "%s%" PRId64, d ? ", " : "", v[d]);
  sb_puts(&b, "}");
  const char *s = arena_strdup(a, b.data);
  sb_free(&b);
  return s;
}

const char *const *axis_vars(Arena *a, int n, const char *last) {
  const char **v = arena_alloc(a, (size_t)(n > 0 ? n : 1) * sizeof *v);
  for (int d = 0; d < n; d++) v[d] = arena_printf(a, "i%d", d);
  if (last && n > 0) v[n - 1] = last;
  return v;
}
