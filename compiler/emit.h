/* emit.h: shared by the emitter's files. */
#ifndef CDASK_EMIT_H
#define CDASK_EMIT_H

#include "cdask.h"

/* A value inside a fused loop: node `node` read through `map` (domain -> node index). */
typedef struct {
  int node;
  Affine map;
  int64_t c0, c[MAXDIM]; /* row-major linear offset = c0 + sum_k c[k] * i_k */
  int in[3];             /* input terms */
  bool leaf;             /* read from memory or generated from the index */
} Term;

typedef struct {
  Graph *g;
  Fusion *f;
  Group *gr;
  StrBuf *b;
  int computed_root; /* a stored group's own node: computed here, not read */
  int *buffer_of;    /* node id -> index in cd_buffers, or -1 */
  Term *terms;
  int nterms, termcap;
  int n; /* emitted rank of the domain (at least 1) */
  int64_t shape[MAXDIM], chunk[MAXDIM];
} GroupEmit;

/* emit_expr.c */
int term_build(GroupEmit *ge, int id, const Affine *m);
bool term_buffered(const Graph *g, const Term *t);
void emit_term_decls(GroupEmit *ge);
void emit_strip_stages(GroupEmit *ge, int root);
void emit_loop_value(GroupEmit *ge, int k, bool *done);
const char *term_ref(GroupEmit *ge, int k);
const char *c_double(Arena *a, double v);

/* emit_group.c */
void emit_group(GroupEmit *ge);

#endif
