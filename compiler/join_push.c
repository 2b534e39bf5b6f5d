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
 * FOP_AGG, or of columns read only by FOP_GROUPBY: the groupby becomes a TR_GROUPBY of the
 * left's scan over the matches, its keys and values the rows' or their matches' (the
 * joined rows come in the frame's order, the left's rows in order and each one's matches
 * in the right's, so first, last and the order of the groups are the frame's too).
 * Anything else is left to the frame merge. */
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

/* A FOP_SELECT of columns of result in (none of the index) */
static bool is_select(const TResult *q, int in) {
  bool cols = q->kind == TR_POST && q->fop == FOP_SELECT && q->in == in && q->ncols >= 1;
  for (int k = 0; cols && k < q->ncols; k++) cols = q->cols[k] >= 0;
  return cols;
}

static bool is_agg(const TResult *q, int in) {
  return q->kind == TR_POST && q->fop == FOP_AGG && q->in == in && rop_pushable(q->rop);
}

static bool is_groupby(const TResult *q, int in) {
  return q->kind == TR_POST && q->fop == FOP_GROUPBY && q->in == in;
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
    if (!t->r[u].live || !table_reads(&t->r[u], r)) continue;
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
 * scan); false if the merge changes its type other than as a left merge does to the
 * right's columns (int64 -> float64, bool -> str) */
static bool column_expr(const Tables *t, const TResult *q, const TMergeCols *mc, int c, int *e,
                        int *re) {
  const TResult *L = &t->r[q->in], *R = &t->r[q->right];
  int side = mc->side[c], type = mc->types[c];
  *e = *re = -1;
  if (side == CDRT_MERGE_RIGHT) {
    int rt = t->x[ *re = R->cols[mc->col[c]]].type;
    return type == rt || (type == CDRT_COL_FLOAT64 && rt == CDRT_COL_INT64) ||
           (type == CDRT_COL_STR && rt == CDRT_COL_BOOL);
  }
  *e = L->cols[side == CDRT_MERGE_KEY ? q->keys[mc->col[c]] : mc->col[c]];
  return t->x[*e].type == type;
}

/* column_expr, and aggregate rop can read the column in the scan (not a category's minimum,
 * which is not the strings'; str and datetime: count, min and max) */
static bool agg_column_ok(const Tables *t, const TResult *q, const TMergeCols *mc, int c, int rop) {
  int e, re;
  if (!column_expr(t, q, mc, c, &e, &re)) return false;
  int type = mc->types[c];
  if (t->x[e >= 0 ? e : re].cats && rop != CDRT_AGG_COUNT) return false;
  if (type == CDRT_COL_STR || cdrt_col_nat(type))
    return rop == CDRT_AGG_COUNT || rop == CDRT_AGG_MIN || rop == CDRT_AGG_MAX;
  return true;
}

/* column_expr, and the scan's groupby table can aggregate the column by what (a key: what
 * -1) as the frame's groupby does: no category (its groups are the categories); a median or
 * a distinct count keeps the values of numbers only (and of datetimes, for nunique) */
static bool gb_column_ok(const Tables *t, const TResult *q, const TMergeCols *mc, int c, int what) {
  int e, re, type = mc->types[c];
  if (!column_expr(t, q, mc, c, &e, &re) || t->x[e >= 0 ? e : re].cats) return false;
  bool number = type == CDRT_COL_INT64 || type == CDRT_COL_FLOAT64;
  if (what == CDRT_AGG_QUANTILE) return false; /* (by sorting only) */
  if (what == CDRT_AGG_MEDIAN || what == CDRT_AGG_CORR) return number;
  if (what == CDRT_AGG_NUNIQUE) return number || cdrt_col_nat(type);
  return true;
}

/* Groupby r (FOP_GROUPBY of the columns u selects of merge q) can run in the scan: its
 * select holds the keys, the aggregated columns, then corr's other column */
static bool groupby_pushable(const Tables *t, const TResult *q, const TMergeCols *mc, int u,
                             int r) {
  const TResult *s = &t->r[u], *gb = &t->r[r];
  bool other = s->ncols == gb->nkeys + gb->ncols + 1;
  if (!other && s->ncols != gb->nkeys + gb->ncols) return false;
  for (int k = 0; k < gb->nkeys; k++)
    if (!gb_column_ok(t, q, mc, s->cols[k], -1)) return false;
  for (int k = 0; k < gb->ncols; k++)
    if (gb->what[k] != CDRT_AGG_SIZE &&
        !gb_column_ok(t, q, mc, s->cols[gb->nkeys + k], gb->what[k]))
      return false;
  return !other || gb_column_ok(t, q, mc, s->cols[s->ncols - 1], CDRT_AGG_CORR);
}

/* Every aggregate of every selected column of merge m, and every groupby of its selected
 * columns, can be computed in the scan */
static bool columns_pushable(Graph *g, const TResult *q, int m, const TMergeCols *mc) {
  const Tables *t = &g->tables;
  for (int u = 0; u < t->nr; u++) {
    if (!t->r[u].live || !is_select(&t->r[u], m)) continue;
    bool aggs = t->r[u].ncols == 1 && read_only_by(g, u, is_agg);
    if (!aggs && !read_only_by(g, u, is_groupby)) return false;
    for (int a = 0; a < t->nr; a++) {
      if (!t->r[a].live) continue;
      if (aggs && is_agg(&t->r[a], u) && !agg_column_ok(t, q, mc, t->r[u].cols[0], t->r[a].rop))
        return false;
      if (!aggs && is_groupby(&t->r[a], u) && !groupby_pushable(t, q, mc, u, a)) return false;
    }
  }
  return true;
}

/* The expression of merge column c in join j's scan: the left row's, or the right's at the
 * match (TX_JOINED, one per column and type) */
static int joined_column(Graph *g, const TMergeCols *mc, int m, int c, int j) {
  Tables *t = &g->tables;
  int e, re;
  column_expr(t, &t->r[m], mc, c, &e, &re);
  if (re < 0) return e;
  for (int x = 0; x < t->nx; x++)
    if (t->x[x].kind == TX_JOINED && t->x[x].i == j && t->x[x].col == mc->col[c] &&
        t->x[x].type == mc->types[c])
      return x;
  return table_add_expr(g, &(TExpr){.kind = TX_JOINED,
                                    .type = mc->types[c],
                                    .src = t->joins[j].src,
                                    .i = j,
                                    .col = mc->col[c],
                                    .a = -1,
                                    .b = -1});
}

/* Groupby r of the columns select u takes from merge m, as a TR_GROUPBY of join j's matches */
static void rewrite_groupby(Graph *g, int m, const TMergeCols *mc, int u, int r, int j) {
  Tables *t = &g->tables;
  const int *sel = t->r[u].cols;
  int nk = t->r[r].nkeys, n = t->r[r].ncols;
  int *keys = arena_alloc(g->arena, (size_t)(nk + 1) * sizeof *keys);
  int *cols = arena_alloc(g->arena, (size_t)(n + 1) * sizeof *cols);
  for (int k = 0; k < nk; k++) keys[k] = joined_column(g, mc, m, sel[k], j);
  for (int k = 0; k < n; k++) /* size counts rows (-1) */
    cols[k] = t->r[r].what[k] == CDRT_AGG_SIZE ? -1 : joined_column(g, mc, m, sel[nk + k], j);
  int other = t->r[u].ncols > nk + n ? joined_column(g, mc, m, sel[nk + n], j) : -1;
  TResult *q = &t->r[r];
  q->kind = TR_GROUPBY, q->src = t->joins[j].src, q->mask = -1, q->keys = keys, q->cols = cols;
  q->expr = other, q->join = j + 1;
}

/* Merge m as join j: its aggregates and groupbys become TR_AGG and TR_GROUPBY results of
 * the left's scan */
static void rewrite_readers(Graph *g, int m, const TMergeCols *mc, int j) {
  Tables *t = &g->tables;
  for (int u = 0; u < t->nr; u++) {
    if (!t->r[u].live || !is_select(&t->r[u], m)) continue;
    for (int a = 0; a < t->nr; a++) {
      TResult *q = &t->r[a];
      if (q->live && is_groupby(q, u)) rewrite_groupby(g, m, mc, u, a, j);
      if (!q->live || !is_agg(q, u)) continue;
      int e = joined_column(g, mc, m, t->r[u].cols[0], j);
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
    if (q->indicator || q->rindex) continue; /* (the frame merge makes those) */
    if (q->validate == CDRT_VALIDATE_1_1 || q->validate == CDRT_VALIDATE_1_M) continue;
    if (q->nkeys > CDRT_GB_MAXKEYS) continue;
    const TResult *L = &t->r[q->in], *R = &t->r[q->right];
    if (L->kind != TR_ROWS || R->kind != TR_ROWS || L->limit >= 0 || R->limit >= 0 || L->topn ||
        R->topn)
      continue;
    int s = L->src, rs = R->src;
    if (s == rs || t->src[rs].arrays || scan_needs(t, rs, s, 0)) continue;
    if (t->src[s].phase || t->src[rs].phase) continue; /* a side read again (table_phases.c) */
    if (!read_only_by(g, m, is_select)) continue;
    TMergeCols mc = table_merge_columns(g, q);
    if (!columns_pushable(g, q, m, &mc)) continue;
    TJoin j = {s, L->mask, m, q->right, q->nkeys, NULL, NULL};
    j.lkeys = arena_alloc(g->arena, (size_t)q->nkeys * sizeof *j.lkeys);
    j.rkeys = arena_alloc(g->arena, (size_t)q->nkeys * sizeof *j.rkeys);
    for (int k = 0; k < q->nkeys; k++) j.lkeys[k] = L->cols[q->keys[k]], j.rkeys[k] = q->rkeys[k];
    int old = same_join(t, &j);
    rewrite_readers(g, m, &mc, old >= 0 ? old : table_add_join(g, &j));
    any = true;
  }
  return any;
}
