/* table_phases.c: a second pass over a file (cdask.h, "table_phases.c"). A row expression
 * may read a Scalar (TX_SCALAR: df.x - df.x:mean(), a filter df.x > df.x:mean()), which is
 * known only once the scan that reduces it has ended, or once what is made of the scans'
 * results has been (df.x:median(): of the collected rows). A scan that reads one is a phase
 * later than the latest Scalar it reads (phase 1 reads Scalars of plain scans, phase 2
 * Scalars of phase 1, ...), and what is made of results is of the latest phase of what it
 * reads (emit_rows.c makes those a later scan reads before it); the results of one source
 * and one phase > 0 move to a copy of
 * the source (TSource.phase, copy_of) whose expressions are copies of theirs, and
 * emit_rows.c scans the phases in order: the file is read again, the Scalar a constant of
 * that scan. Sources are never merged back, so a script without Scalars in expressions
 * compiles exactly as before. */
#include "cdask.h"

#include <string.h>

/* Collects into out (at most max: room for every result; deduplicated) the results that
 * expression x reads */
static void expr_scalars(const Tables *t, int x, int *out, int *n, int max) {
  if (x < 0) return;
  const TExpr *e = &t->x[x];
  if (e->kind == TX_SCALAR) {
    for (int k = 0; k < *n; k++)
      if (out[k] == (int)e->i) return;
    if (*n < max) out[(*n)++] = (int)e->i;
    return;
  }
  expr_scalars(t, e->a, out, n, max);
  expr_scalars(t, e->b, out, n, max);
  if (e->kind == TX_WHERE) expr_scalars(t, (int)e->i, out, n, max);
}

static bool scans(const TResult *q) {
  return q->kind == TR_AGG || q->kind == TR_VCOUNT || q->kind == TR_ROWS || q->kind == TR_GROUPBY;
}

/* The expressions of result q (its filter, value, columns, keys) through fn */
static void each_expr(TResult *q, void (*fn)(int *x, void *ctx), void *ctx) {
  fn(&q->mask, ctx);
  if (q->kind == TR_AGG || q->kind == TR_VCOUNT || q->kind == TR_GROUPBY) fn(&q->expr, ctx);
  if (q->kind == TR_ROWS || q->kind == TR_GROUPBY)
    for (int k = 0; k < q->ncols; k++) fn(&q->cols[k], ctx);
  if (q->kind == TR_GROUPBY)
    for (int k = 0; k < q->nkeys; k++) fn(&q->keys[k], ctx);
}

typedef struct {
  Graph *g;
  int *scalars, n, max;
} Collect;
static void collect(int *x, void *ctx) {
  Collect *c = ctx;
  expr_scalars(&c->g->tables, *x, c->scalars, &c->n, c->max);
}

/* Expression x with every read of source from made a read of source to (a new copy where
 * it reads from; memo[x] + 1 the copy once made) */
typedef struct {
  Graph *g;
  int from, to;
  int *memo;
} Copy;
static int copy_expr(Copy *c, int x) {
  if (x < 0) return x;
  if (c->memo[x]) return c->memo[x] - 1;
  TExpr e = c->g->tables.x[x];
  e.a = copy_expr(c, e.a);
  e.b = copy_expr(c, e.b);
  if (e.kind == TX_WHERE) e.i = copy_expr(c, (int)e.i);
  if (e.src == c->from) e.src = c->to;
  int y = table_add_expr(c->g, &e);
  c->memo[x] = y + 1;
  return y;
}
static void copy_into(int *x, void *ctx) {
  *x = copy_expr(ctx, *x);
}

void table_split_phases(Graph *g) {
  Tables *t = &g->tables;
  int nr = t->nr;
  int *phase = arena_alloc(g->arena, (size_t)(nr + 1) * sizeof *phase);
  int *copies = NULL, ncopies = 0; /* (source, phase) -> copy: 3 ints each */
  for (int r = 0; r < nr; r++) {
    TResult *q = &t->r[r];
    phase[r] = 0;
    if (!scans(q)) {
      for (int u = 0; u < r; u++) /* (results come after what they read) */
        if (table_reads(q, u) && phase[u] > phase[r]) phase[r] = phase[u];
      q->phase = phase[r];
      continue;
    }
    Collect c = {g, arena_alloc(g->arena, (size_t)(nr + 1) * sizeof(int)), 0, nr + 1};
    each_expr(q, collect, &c);
    q->phase = 0;
    if (!c.n) continue;
    q->scalars = c.scalars, q->nscalars = c.n;
    for (int k = 0; k < c.n; k++)
      if (phase[c.scalars[k]] + 1 > phase[r]) phase[r] = phase[c.scalars[k]] + 1;
    q->phase = phase[r];
    if (q->join) continue; /* (none yet: push_joins runs later, and skips later phases) */
    int src = q->src, to = -1;
    for (int k = 0; k < ncopies; k++)
      if (copies[3 * k] == src && copies[3 * k + 1] == phase[r]) to = copies[3 * k + 2];
    if (to < 0) {
      TSource s = t->src[src];
      s.phase = phase[r], s.copy_of = src;
      to = table_add_source(g, &s);
      int *grown = arena_alloc(g->arena, (size_t)(ncopies + 1) * 3 * sizeof *grown);
      if (ncopies) memcpy(grown, copies, (size_t)ncopies * 3 * sizeof *grown);
      copies = grown;
      copies[3 * ncopies] = src, copies[3 * ncopies + 1] = phase[r], copies[3 * ncopies + 2] = to;
      ncopies++;
    }
    Copy cp = {g, src, to, arena_alloc(g->arena, (size_t)(t->nx + 1) * sizeof(int))};
    memset(cp.memo, 0, (size_t)(t->nx + 1) * sizeof(int));
    q = &t->r[r];
    each_expr(q, copy_into, &cp);
    t->r[r].src = to;
  }
}
