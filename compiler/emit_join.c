/* emit_join.c: a merge pushed into its left side's scan (compiler/join_push.c), as the
 * scan's C (emit.h, "emit_join.c"): the right's table (cd_joinJ, built from the right's
 * rows before the scan by runtime/join.c) and its spec, the rows' keys batched as the scan
 * reads them (cd_jbatchJ), and the batch's probe (cd_scanS_probeJ), which feeds the join's
 * aggregates (TR_AGG with join, emit_agg_update) and groupbys (TR_GROUPBY with join, into
 * the source's groupby batch) from each row's matches. */
#include "emit.h"

/* Some output needs a result of source s over join j's matches */
bool df_join_live(const Tables *t, int s, int j) {
  for (int r = 0; r < t->nr; r++)
    if (t->r[r].src == s && df_result_scans(&t->r[r]) && t->r[r].join == j + 1) return true;
  return false;
}

/* Join j's spec and table (cd_joinJ_spec, cd_joinJ): the right's key columns and the
 * columns the probes read (its TX_JOINED expressions that the scan uses) */
static void emit_join_spec(StrBuf *b, Graph *g, int j, const bool *used) {
  const Tables *t = &g->tables;
  const TJoin *jn = &t->joins[j];
  const TResult *m = &t->r[jn->merge], *R = &t->r[jn->right];
  int *types = arena_alloc(g->arena, (size_t)jn->nkeys * sizeof *types);
  int *vals = arena_alloc(g->arena, (size_t)(t->nx + 1) * sizeof *vals), nv = 0;
  for (int k = 0; k < jn->nkeys; k++) types[k] = t->x[R->cols[jn->rkeys[k]]].type;
  for (int x = 0; x < t->nx; x++) {
    const TExpr *e = &t->x[x];
    bool seen = false;
    for (int v = 0; v < nv; v++) seen |= vals[v] == e->col;
    if (used[x] && e->kind == TX_JOINED && e->i == j && !seen) vals[nv++] = e->col;
  }
  const char *where =
      arena_printf(g->arena, "%s:%d", c_comment(g->arena, m->file ? m->file : "?"), m->line);
  sb_line(b,
          "/* %s: merge, how = \"%s\", pushed into this scan: the right's rows (result %d) "
          "hashed before it, each row probing them */",
          where, m->how == CDRT_HOW_LEFT ? "left" : "inner", jn->right);
  c_ints(b, arena_printf(g->arena, "static const int cd_join%d_rkeys", j), jn->rkeys, jn->nkeys);
  c_ints(b, arena_printf(g->arena, "static const unsigned char cd_join%d_types", j), types,
         jn->nkeys);
  c_ints(b, arena_printf(g->arena, "static const int cd_join%d_vals", j), vals, nv);
  sb_line(b,
          "static const cdrt_join_spec cd_join%d_spec = {%d, cd_join%d_rkeys, cd_join%d_types, "
          "%d, cd_join%d_vals, %d, ",
          j, jn->nkeys, j, j, nv, j, m->validate);
  b->len--;
  c_string(b, where);
  sb_puts(b, ", ");
  c_string(b, arena_printf(g->arena, "the merge at %s", where));
  sb_printf(b, "};\nstatic cdrt_join cd_join%d;\n", j);
}

/* The C of TX_JOINED expression x at the match m (left merges: m.n 0, no match) */
static const char *joined_value(Arena *a, const Tables *t, int x, bool left) {
  const TExpr *e = &t->x[x];
  int j = (int)e->i, rt = t->x[t->r[t->joins[j].right].cols[e->col]].type;
  const char *v = arena_printf(a, "((const %s *)cd_join%d.val[%d])[m%d.lo + k%d]", df_col_ctype[rt],
                               j, e->col, j, j);
  if (rt == CDRT_COL_BOOL && e->type == CDRT_COL_STR) /* a left merge's bool: "True", "False" */
    v = arena_printf(a, "(%s ? (cdrt_str){\"True\", 4} : (cdrt_str){\"False\", 5})", v);
  else if (rt != e->type)
    v = arena_printf(a, "(%s)%s", df_col_ctype[e->type], v);
  if (!left) return v;
  const char *none = e->type == CDRT_COL_FLOAT64 ? "NAN"
                     : e->type == CDRT_COL_STR   ? "(cdrt_str){NULL, 0}"
                     : cdrt_col_nat(e->type)     ? "CDRT_NAT"
                                                 : "0";
  return arena_printf(a, "m%d.n ? %s : %s", j, v, none);
}

/* A join's probes wait in a batch of JOIN_BATCH rows, as a groupby's updates do: a row's
 * keys are kept and its slot prefetched as it is read; once the batch is full the slots
 * are read and the matches' values prefetched, then the rows update the aggregates in
 * row order. A right side of 10^7 rows is a table of 256 MB: a probe's two cache misses
 * (the slot, then the values) overlap those of the batch's other rows. */
enum { JOIN_BATCH = 16 };

static bool join_direct(const Tables *t, const TJoin *jn) {
  return jn->nkeys == 1 && t->x[jn->lkeys[0]].type != CDRT_COL_STR;
}

/* Result q reads expression x: an aggregate's value, a groupby's key, value or corr's
 * other column */
static bool result_reads(const TResult *q, int x) {
  bool any = q->expr == x;
  for (int k = 0; q->kind == TR_GROUPBY && k < q->nkeys; k++) any |= q->keys[k] == x;
  for (int k = 0; q->kind == TR_GROUPBY && k < q->ncols; k++) any |= q->cols[k] == x;
  return any;
}

/* Expression x is the left row's value of an aggregate or groupby of join j (kept in the
 * batch) */
static bool join_reads_left(const Tables *t, int j, int x) {
  if (t->x[x].kind == TX_JOINED) return false;
  for (int r = 0; r < t->nr; r++)
    if (t->r[r].join == j + 1 && df_result_scans(&t->r[r]) && result_reads(&t->r[r], x))
      return true;
  return false;
}

/* Join j's batched row (cd_jJ_row): the keys (direct: the tag), the hash, the left's values
 * its aggregates read; the batch (cd_jbatchJ) */
static void emit_join_row_type(StrBuf *b, const Tables *t, int j) {
  const TJoin *jn = &t->joins[j];
  if (join_direct(t, jn))
    sb_puts(b, "typedef struct {\n  int64_t k;\n");
  else
    sb_printf(b, "typedef struct {\n  uint64_t h;\n  cdrt_jkey k[%d];\n", jn->nkeys);
  for (int x = 0; x < t->nx; x++)
    if (join_reads_left(t, j, x)) sb_printf(b, "  %s v%d;\n", df_col_ctype[t->x[x].type], x);
  sb_printf(b, "} cd_j%d_row;\ntypedef struct {\n  int n;\n  cd_j%d_row r[%d];\n} cd_jbatch%d;\n",
            j, j, JOIN_BATCH, j);
}

/* Join j's probe of a batch (cd_scanS_probeJ): the slots, the matches' values prefetched,
 * then per row and match (a left merge's unmatched row once, the right's values missing)
 * the join's aggregates, and its groupbys' rows into gq, source s's groupby batch (gb) */
static void emit_join_flush(StrBuf *b, Arena *a, const Tables *t, int s, int j, const bool *used,
                            bool gb) {
  const TJoin *jn = &t->joins[j];
  bool left = t->r[jn->merge].how == CDRT_HOW_LEFT;
  if (gb)
    emit_open(b, "static void cd_scan%d_probe%d(cd_spart%d *p, cd_batch%d *gq, cd_jbatch%d *q)", s,
              j, s, s, j);
  else
    emit_open(b, "static void cd_scan%d_probe%d(cd_spart%d *p, cd_jbatch%d *q)", s, j, s, j);
  sb_line(b, "cdrt_jslot m[%d];", JOIN_BATCH);
  if (gb) sb_line(b, "(void)gq; /* the source's groupbys may all be of other rows */");
  emit_open(b, "for (int i = 0; i < q->n; i++)");
  if (join_direct(t, jn))
    sb_line(b, "m[i] = cdrt_join_find_i64(&cd_join%d, q->r[i].k);", j);
  else
    sb_line(b, "m[i] = cdrt_join_find_hashed(&cd_join%d, q->r[i].k, q->r[i].h);", j);
  bool *seen = arena_alloc(a, (size_t)t->r[jn->right].ncols + 1);
  for (int x = 0; x < t->nx; x++) {
    const TExpr *e = &t->x[x];
    if (!used[x] || e->kind != TX_JOINED || e->i != j || seen[e->col]) continue;
    seen[e->col] = true;
    sb_line(b, "if (m[i].n) __builtin_prefetch(&((const %s *)cd_join%d.val[%d])[m[i].lo]);",
            df_col_ctype[t->x[t->r[jn->right].cols[e->col]].type], j, e->col);
  }
  emit_close(b, NULL);
  emit_open(b, "for (int i = 0; i < q->n; i++)");
  sb_line(b, "const cdrt_jslot m%d = m[i];", j);
  for (int x = 0; x < t->nx; x++)
    if (join_reads_left(t, j, x))
      sb_line(b, "const %s x%d = q->r[i].v%d;", df_col_ctype[t->x[x].type], x, x);
  if (left)
    emit_open(b, "for (uint32_t k%d = 0, e%d = m%d.n ? m%d.n : 1; k%d < e%d; k%d++)", j, j, j, j, j,
              j, j);
  else
    emit_open(b, "for (uint32_t k%d = 0; k%d < m%d.n; k%d++)", j, j, j, j);
  for (int x = 0; x < t->nx; x++)
    if (used[x] && t->x[x].kind == TX_JOINED && t->x[x].i == j)
      sb_line(b, "%s x%d = %s;", df_col_ctype[t->x[x].type], x, joined_value(a, t, x, left));
  for (int r = 0; r < t->nr; r++) {
    if (t->r[r].src != s || !df_result_scans(&t->r[r]) || t->r[r].join != j + 1) continue;
    if (t->r[r].kind == TR_AGG) {
      emit_agg_update(b, a, t, r);
    } else { /* TR_GROUPBY: a match's row waits in the groupby's batch, flushed when full */
      emit_gb_push(b, a, t, r, "gq->");
      sb_line(b, "if (gq->n%d == %d) cd_scan%d_flush%d(p, gq);", r, GB_BATCH, s, r);
    }
  }
  emit_close(b, NULL);
  emit_close(b, NULL);
  sb_line(b, "q->n = 0;");
  emit_close(b, NULL);
  sb_puts(b, "\n");
}

/* Join j's row in the row loop: under the left frame's filter, its keys and values into
 * the batch, its slot prefetched; a full batch probed */
void emit_join_push(StrBuf *b, Arena *a, const Tables *t, int s, int j, bool gb) {
  const TJoin *jn = &t->joins[j];
  int depth = emit_depth(b);
  if (jn->mask >= 0) emit_open(b, "if (x%d)", jn->mask);
  sb_line(b, "cd_j%d_row *jw%d = &jb%d.r[jb%d.n++];", j, j, j, j);
  if (join_direct(t, jn)) {
    int k0 = jn->lkeys[0], t0 = t->x[k0].type;
    const char *key = t0 == CDRT_COL_FLOAT64 ? arena_printf(a, "cdrt_join_f64key(x%d)", k0)
                      : t0 == CDRT_COL_BOOL  ? arena_printf(a, "(int64_t)x%d", k0)
                                             : arena_printf(a, "x%d", k0);
    sb_line(b, "jw%d->k = %s;", j, key);
    sb_line(b, "cdrt_join_prefetch_i64(&cd_join%d, jw%d->k);", j, j);
  } else {
    for (int k = 0; k < jn->nkeys; k++) {
      int x = jn->lkeys[k], type = t->x[x].type;
      sb_line(b, "jw%d->k[%d].%s = x%d;", j, k,
              type == CDRT_COL_FLOAT64 ? "f"
              : type == CDRT_COL_STR   ? "s"
                                       : "i",
              x);
    }
    sb_line(b, "jw%d->h = cdrt_join_hash(&cd_join%d, jw%d->k);", j, j, j);
    sb_line(b, "cdrt_join_prefetch(&cd_join%d, jw%d->h);", j, j);
  }
  for (int x = 0; x < t->nx; x++)
    if (join_reads_left(t, j, x)) sb_line(b, "jw%d->v%d = x%d;", j, x, x);
  sb_line(b, "if (jb%d.n == %d) cd_scan%d_probe%d(p, %s&jb%d);", j, JOIN_BATCH, s, j,
          gb ? "&q, " : "", j);
  while (emit_depth(b) > depth) emit_close(b, NULL);
}

/* Join j's spec, table, batched row and probe, before the block function of source s */
void emit_join_decls(StrBuf *b, Graph *g, int s, int j, const bool *used, bool gb) {
  emit_join_spec(b, g, j, used);
  emit_join_row_type(b, &g->tables, j);
  emit_join_flush(b, g->arena, &g->tables, s, j, used, gb);
}
