/* emit_check.h: every emitting function leaves the indentation depth as it found it;
 * the ones that open braces check it at their end:
 *   int depth = emit_depth(b); ... emit_check_depth(b, depth, __func__); */
#ifndef CDASK_EMIT_CHECK_H
#define CDASK_EMIT_CHECK_H

#include "cdask.h"

#include <stdlib.h>

static inline int emit_depth(const StrBuf *b) {
  return b->indent;
}

/* An unbalanced emit_open/emit_close is a bug of the emitter: stop with its name. */
static inline void emit_check_depth(const StrBuf *b, int depth, const char *fn) {
  if (b->indent == depth) return;
  fprintf(stderr, "cdaskc: internal error: %s left the indentation at %d, not %d\n", fn, b->indent,
          depth);
  abort();
}

#endif
