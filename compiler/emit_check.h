/* emit_check.h: every emitting function leaves the indentation as it found it, and says so
 * at its end:
 *   int depth = emit_depth(b); ... emit_check_depth(b, depth);
 * (an internal error naming the function otherwise). The same interface as the one at the
 * end of emit.h on branch hemita: this file goes when the two meet. */
#ifndef CDASK_EMIT_CHECK_H
#define CDASK_EMIT_CHECK_H

#include "cdask.h"

#include <stdlib.h>

#define emit_depth(b) ((b)->indent)
#define emit_check_depth(b, depth) emit_check_depth_in((b)->indent, (depth), __func__)

static inline void emit_check_depth_in(int indent, int depth, const char *fn) {
  if (indent == depth) return;
  fprintf(stderr, "cdaskc: internal error: %s leaves the emitted C at depth %d, not %d\n", fn,
          indent, depth);
  abort();
}

#endif
