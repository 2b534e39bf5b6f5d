/* join_push.c: a merge pushed into its left side's scan (cdask.h, "push_joins").
 *
 * `x:merge(small, {on = "id1"}).v1:sum()` as written collects x's rows, joins them with
 * small's after the scans (runtime/frame_ops.c) and sums a column of the joined frame: at
 * 10^7 rows most of the time goes to making frames that are read once. When every use of
 * a merge is an aggregate of one of its columns (sum, mean, min, max, count, std, var,
 * which do not depend on the order of the rows: float sums are exact), the join can run
 * inside the scan of the left's file instead, as compiled query engines do: the right's
 * rows are hashed before that scan (runtime/join.c), each left row under the left frame's
 * filter looks its keys up as it is read, and each match (or, in a left merge, the row
 * alone when it has none) feeds the aggregates, which become ordinary results of that
 * scan. The answers are the same as the frame's, bit for bit.
 *
 * Pushed: inner and left merges (the rows of the joined frame are the left's rows with
 * their matches) of a lazy frame's rows (TR_ROWS, all of them) with the rows of another
 * CSV source (scanned first: the scans are ordered so, and a merge that would make two
 * scans wait for each other stays a frame), validate none, "m:m" or "m:1" (the right's
 * keys, checked when it is hashed), read only by FOP_SELECT of one column read only by
 * FOP_AGG. Anything else is left to the frame merge. */
#include "cdask.h"

static bool rop_pushable(int rop) {
  switch (rop) {
  case CDRT_AGG_SUM:
  case CDRT_AGG_MEAN:
  case CDRT_AGG_MIN:
  case CDRT_AGG_MAX:
  case CDRT_AGG_COUNT:
  case CDRT_AGG_STD:
  case CDRT_AGG_VAR: return true;
  default: return false;
  }
}

static bool is_select(const TResult *q, int in) {
  return q->kind == TR_POST && q->fop == FOP_SELECT && q->in == in && q->ncols == 1 &&
         q->cols[0] >= 0;
}

static bool is_agg(const TResult *q, int in) {
  return q->kind == TR_POST && q->fop == FOP_AGG && q->in == in && rop_pushable(q->rop);
}

/* Result u reads result r */
static bool reads(const TResult *q, int r) {
  bool any = false;
  if (q->kind == TR_STACK)
    for (int k = 0; k < q->ncols; k++) any |= q->cols[k] == r;
  if (q->kind == TR_POST)
    any |= q->in == r || (q->fop == FOP_MERGE && q->right == r) ||
           ((q->fop == FOP_ARITH || q->fop == FOP_ASSIGN) && q->cols[0] == r);
  return any;
}

/* Some live result reads result r, and every reader passes ok (no output, no to_array) */
static bool read_only_by(const Graph *g, int r, bool (*ok)(const TResult *, int)) {
  const Tables *t = &g->tables;
  for (int o = 0; o < t->nout; o++)
    if (t->out[o].result == r) return false;
  for (int i = 0; i < g->nnodes; i++)
    if (g->nodes[i].op == OP_INPUT && g->nodes[i].from_result == r + 1) return false;
  int n = 0;
  for (int u = 0; u < t->nr; u++) {
    if (!t->r[u].live || !reads(&t->r[u], r)) continue;
    if (!ok(&t->r[u], r)) return false;
    n++;
  }
  return n > 0;
}

/* Source s's scan needs source u's first, through the joins made so far */
static bool scan_needs(const Tables *t, int s, int u, int depth) {
  if (s == u) return true;
  for (int j = 0; j < t->njoins && depth <= t->njoins; j++)
    if (t->joins[j].src == s && scan_needs(t, t->r[t->joins[j].right].src, u, depth + 1))
      return true;
  return false;
}

/* The expression of the merge's column c in the left's scan: the left row's own (its key
 * or its column) as *e, or the right's at the match (*re: its expression in the right's
 * scan); false if aggregate rop cannot read it there (a type the merge changes, other than
 * int64 -> float64; a category, whose minimum is not the strings'; str and datetime beyond
 * count, min and max) */
static bool column_at(const Tables *t, const TResult *q, const TMergeCols *mc, int c, int rop,
                      int *e, int *re) {
  const TResult *L = &t->r[q->in], *R = &t->r[q->right];
  int side = mc->side[c], type = mc->types[c], x;
  *e = *re = -1;
  if (side == CDRT_MERGE_RIGHT) {
    x = *re = R->cols[mc->col[c]];
    int rt = t->x[x].type;
    if (type != rt && !(type == CDRT_COL_FLOAT64 && rt == CDRT_COL_INT64)) return false;
  } else {
    x = *e = L->cols[side == CDRT_MERGE_KEY ? q->keys[mc->col[c]] : mc->col[c]];
    if (t->x[x].type != type) return false;
  }
  if (t->x[x].cats && rop != CDRT_AGG_COUNT) return false;
  if (type == CDRT_COL_STR || type == CDRT_COL_DATETIME)
    return rop == CDRT_AGG_COUNT || rop == CDRT_AGG_MIN || rop == CDRT_AGG_MAX;
  return true;
}

/* Every aggregate of every selected column of merge m can be computed in the scan */
static bool columns_pushable(Graph *g, const TResult *q, int m, const TMergeCols *mc) {
  const Tables *t = &g->tables;
  for (int u = 0; u < t->nr; u++) {
    if (!t->r[u].live || !is_select(&t->r[u], m)) continue;
    if (!read_only_by(g, u, is_agg)) return false;
    for (int a = 0; a < t->nr; a++) {
      int e, re;
      if (t->r[a].live && is_agg(&t->r[a], u) &&
          !column_at(t, q, mc, t->r[u].cols[0], t->r[a].rop, &e, &re))
        return false;
    }
  }
  return true;
}

/* Merge m as join j: its aggregates become TR_AGG results of the left's scan */
static void rewrite_aggregates(Graph *g, int m, const TMergeCols *mc, int j) {
  Tables *t = &g->tables;
  for (int u = 0; u < t->nr; u++) {
    if (!t->r[u].live || !is_select(&t->r[u], m)) continue;
    int c = t->r[u].cols[0], e = -1, re = -1;
    for (int a = 0; a < t->nr; a++) {
      TResult *q = &t->r[a];
      if (!q->live || !is_agg(q, u)) continue;
      if (e < 0 && re < 0) {
        column_at(t, &t->r[m], mc, c, q->rop, &e, &re);
        if (re >= 0) /* the right's value at the match */
          e = table_add_expr(g, &(TExpr){.kind = TX_JOINED,
                                         .type = mc->types[c],
                                         .src = t->joins[j].src,
                                         .i = j,
                                         .col = mc->col[c],
                                         .a = -1,
                                         .b = -1});
      }
      q->kind = TR_AGG, q->src = t->joins[j].src, q->mask = -1, q->expr = e, q->join = j + 1;
    }
  }
}

/* An earlier join of the same rows on the same keys, or -1: `x:merge(y, ...)` written once
 * per aggregate hashes y once */
static int same_join(const Tables *t, const TJoin *j) {
  for (int k = 0; k < t->njoins; k++) {
    const TJoin *o = &t->joins[k];
    const TResult *a = &t->r[o->merge], *b = &t->r[j->merge];
    bool same = o->src == j->src && o->mask == j->mask && o->right == j->right &&
                o->nkeys == j->nkeys && a->how == b->how && a->validate == b->validate;
    for (int c = 0; same && c < j->nkeys; c++)
      same = o->lkeys[c] == j->lkeys[c] && o->rkeys[c] == j->rkeys[c];
    if (same) return k;
  }
  return -1;
}

bool push_joins(Graph *g) {
  Tables *t = &g->tables;
  bool any = false;
  for (int m = 0; m < t->nr; m++) {
    const TResult *q = &t->r[m];
    if (!q->live || q->kind != TR_POST || q->fop != FOP_MERGE) continue;
    if (q->how != CDRT_HOW_INNER && q->how != CDRT_HOW_LEFT) continue;
    if (q->validate == CDRT_VALIDATE_1_1 || q->validate == CDRT_VALIDATE_1_M) continue;
    if (q->nkeys > CDRT_GB_MAXKEYS) continue;
    const TResult *L = &t->r[q->in], *R = &t->r[q->right];
    if (L->kind != TR_ROWS || R->kind != TR_ROWS || L->limit >= 0 || R->limit >= 0 || L->topn ||
        R->topn)
      continue;
    int s = L->src, rs = R->src;
    if (s == rs || t->src[rs].arrays || scan_needs(t, rs, s, 0)) continue;
    if (!read_only_by(g, m, is_select)) continue;
    TMergeCols mc = table_merge_columns(g, q);
    if (!columns_pushable(g, q, m, &mc)) continue;
    TJoin j = {s, L->mask, m, q->right, q->nkeys, NULL, NULL};
    j.lkeys = arena_alloc(g->arena, (size_t)q->nkeys * sizeof *j.lkeys);
    j.rkeys = arena_alloc(g->arena, (size_t)q->nkeys * sizeof *j.rkeys);
    for (int k = 0; k < q->nkeys; k++) j.lkeys[k] = L->cols[q->keys[k]], j.rkeys[k] = q->rkeys[k];
    int old = same_join(t, &j);
    rewrite_aggregates(g, m, &mc, old >= 0 ? old : table_add_join(g, &j));
    any = true;
  }
  return any;
}
