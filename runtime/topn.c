/* topn.c: groupby(keys).head(n) of rows sorted by some of their columns, kept in the scan
 * (with CDRT_WITH_CSV). A block's collected rows (cdrt_rows) keep only the rows that are
 * among the first n of their group in the sort's order (its columns, directions and
 * missing placement, then the row's position: the stable sort's tie order); each group
 * holds its kept rows best first. The blocks merge in block order into the total, whose
 * rows, in file order, are what the sort and the groupby's head then see: a few rows per
 * group instead of the file's. Rows pushed and then dropped from a group are compacted
 * away once they outnumber the kept ones. */
#include "cdrt.h"

#ifdef CDRT_WITH_CSV
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static size_t tn_cell_bytes(int type) {
  return type == CDRT_COL_STR ? sizeof(cdrt_str) : type == CDRT_COL_BOOL ? 1 : 8;
}

static bool tn_cell_missing(const cdrt_rows *r, int k, int64_t i) {
  switch (r->types[k]) {
  case CDRT_COL_FLOAT64: return isnan(((const double *)r->col[k])[i]);
  case CDRT_COL_STR: return !((const cdrt_str *)r->col[k])[i].p;
  case CDRT_COL_DATETIME: return ((const int64_t *)r->col[k])[i] == CDRT_NAT;
  default: return false;
  }
}

/* -1, 0, 1: two present cells of column k, row i of a and row j of b (-0.0 equals 0.0) */
static int tn_cell_cmp(const cdrt_rows *a, int64_t i, const cdrt_rows *b, int64_t j, int k) {
  switch (a->types[k]) {
  case CDRT_COL_FLOAT64: {
    double x = ((const double *)a->col[k])[i], y = ((const double *)b->col[k])[j];
    return (x > y) - (x < y);
  }
  case CDRT_COL_BOOL: {
    int x = ((const uint8_t *)a->col[k])[i], y = ((const uint8_t *)b->col[k])[j];
    return (x > y) - (x < y);
  }
  case CDRT_COL_STR:
    return cdrt_str_cmp(((const cdrt_str *)a->col[k])[i], ((const cdrt_str *)b->col[k])[j]);
  default: {
    int64_t x = ((const int64_t *)a->col[k])[i], y = ((const int64_t *)b->col[k])[j];
    return (x > y) - (x < y);
  }
  }
}

/* Equal keys as pandas groups them: NaN with NaN, a missing string with another */
static bool tn_cell_same(const cdrt_rows *a, int64_t i, const cdrt_rows *b, int64_t j, int k) {
  bool ma = tn_cell_missing(a, k, i), mb = tn_cell_missing(b, k, j);
  return ma || mb ? ma == mb : tn_cell_cmp(a, i, b, j, k) == 0;
}

static uint64_t tn_cell_hash(const cdrt_rows *r, int k, int64_t i) {
  uint64_t h;
  switch (r->types[k]) {
  case CDRT_COL_FLOAT64: {
    double x = ((const double *)r->col[k])[i];
    h = isnan(x) ? 0x7ff8000000000000u : (uint64_t)cdrt_f64_key(x);
    break;
  }
  case CDRT_COL_BOOL: h = ((const uint8_t *)r->col[k])[i]; break;
  case CDRT_COL_STR: {
    cdrt_str s = ((const cdrt_str *)r->col[k])[i];
    h = s.p ? 0xcbf29ce484222325u : 1;
    for (int64_t j = 0; s.p && j < s.n; j++) h = (h ^ (unsigned char)s.p[j]) * 0x100000001b3u;
    break;
  }
  default: h = (uint64_t)((const int64_t *)r->col[k])[i];
  }
  h *= 0xff51afd7ed558ccdu;
  return h ^ (h >> 32);
}

static uint64_t tn_row_hash(const cdrt_topn_spec *sp, const cdrt_rows *r, int64_t i) {
  uint64_t h = 0x243f6a8885a308d3u;
  for (int k = 0; k < sp->nkeys; k++)
    h = (h ^ tn_cell_hash(r, sp->keys[k], i)) * 0x9e3779b97f4a7c15u;
  return h ^ (h >> 29);
}

/* Row i of a comes before row j of b in the sort's order (equal: false) */
static bool tn_row_before(const cdrt_topn_spec *sp, const cdrt_rows *a, int64_t i,
                          const cdrt_rows *b, int64_t j) {
  for (int s = 0; s < sp->nby; s++) {
    int k = sp->by[s];
    bool ma = tn_cell_missing(a, k, i), mb = tn_cell_missing(b, k, j);
    if (ma || mb) { /* missing values last (or first), ascending or not */
      if (ma != mb) return sp->asc[s] & 2 ? ma : mb;
      continue;
    }
    int c = tn_cell_cmp(a, i, b, j, k);
    if (c) return sp->asc[s] & 1 ? c < 0 : c > 0;
  }
  return false;
}

void cdrt_topn_init(cdrt_topn *t, const cdrt_topn_spec *spec) {
  memset(t, 0, sizeof *t);
  t->spec = spec;
}

static int64_t *topn_kept(const cdrt_topn *t, int64_t g) {
  return t->kept + g * t->spec->n;
}

/* Room for one more group (the slots of the hash table at most half full) */
static void topn_reserve(cdrt_topn *t) {
  int64_t n = t->spec->n;
  if (t->ngroups == t->capgroups) {
    int64_t cap = t->capgroups ? t->capgroups * 2 : 64;
    cdrt_state_charge((cap - t->capgroups) * (n + 2) * 8, t->what);
    t->kept = cdrt_realloc(t->kept, (size_t)(cap * n) * 8);
    t->cnt = cdrt_realloc(t->cnt, (size_t)cap * 8);
    t->hash = cdrt_realloc(t->hash, (size_t)cap * 8);
    t->capgroups = cap;
  }
  if (2 * (t->ngroups + 1) <= t->nslot) return;
  int64_t nslot = t->nslot ? t->nslot * 2 : 128;
  cdrt_state_charge((nslot - t->nslot) * 8, t->what);
  free(t->slot);
  t->slot = cdrt_calloc((size_t)nslot, 8);
  t->nslot = nslot;
  for (int64_t g = 0; g < t->ngroups; g++) {
    int64_t at = (int64_t)(t->hash[g] & (uint64_t)(nslot - 1));
    while (t->slot[at]) at = (at + 1) & (nslot - 1);
    t->slot[at] = g + 1;
  }
}

/* The group of row i of r (its keys), added if new (with no rows kept yet) */
static int64_t topn_group(cdrt_topn *t, const cdrt_rows *rows, const cdrt_rows *r, int64_t i) {
  const cdrt_topn_spec *sp = t->spec;
  topn_reserve(t);
  uint64_t h = tn_row_hash(sp, r, i);
  int64_t m = t->nslot - 1, at = (int64_t)(h & (uint64_t)m);
  for (; t->slot[at]; at = (at + 1) & m) {
    int64_t g = t->slot[at] - 1;
    if (t->hash[g] != h) continue;
    bool same = true;
    for (int k = 0; k < sp->nkeys && same; k++)
      same = tn_cell_same(r, i, rows, topn_kept(t, g)[0], sp->keys[k]);
    if (same) return g;
  }
  int64_t g = t->ngroups++;
  t->slot[at] = g + 1, t->hash[g] = h, t->cnt[g] = 0;
  return g;
}

/* Row `at` of rows (just pushed) into group g's kept rows, after those it does not come
 * before; returns the row dropped to make room, or -1 (or `at` itself when it is not kept) */
static int64_t topn_insert(cdrt_topn *t, const cdrt_rows *rows, int64_t g, int64_t at) {
  int64_t *kept = topn_kept(t, g), c = t->cnt[g], n = t->spec->n, out = -1;
  if (c == n) {
    if (!tn_row_before(t->spec, rows, at, rows, kept[c - 1])) return at;
    out = kept[--c];
  }
  int64_t j = c;
  while (j > 0 && tn_row_before(t->spec, rows, at, rows, kept[j - 1])) kept[j] = kept[j - 1], j--;
  kept[j] = at;
  t->cnt[g] = c + 1;
  return out;
}

/* The rows no group keeps are dropped, the kept ones keep their order */
static void topn_compact(cdrt_topn *t, cdrt_rows *rows) {
  int64_t *to = cdrt_malloc((size_t)(rows->n ? rows->n : 1) * 8), n = 0;
  for (int64_t i = 0; i < rows->n; i++) to[i] = -1;
  for (int64_t g = 0; g < t->ngroups; g++)
    for (int64_t j = 0; j < t->cnt[g]; j++) to[topn_kept(t, g)[j]] = 0;
  for (int64_t i = 0; i < rows->n; i++) {
    if (to[i] < 0) continue;
    to[i] = n;
    rows->index[n] = rows->index[i];
    for (int k = 0; k < rows->ncols; k++) {
      size_t z = tn_cell_bytes(rows->types[k]);
      memmove((char *)rows->col[k] + (size_t)n * z, (char *)rows->col[k] + (size_t)i * z, z);
    }
    n++;
  }
  rows->n = n;
  for (int64_t g = 0; g < t->ngroups; g++)
    for (int64_t j = 0; j < t->cnt[g]; j++) topn_kept(t, g)[j] = to[topn_kept(t, g)[j]];
  free(to);
  t->live = n;
}

/* After a drop: compacted once the dropped rows outnumber the kept ones (and a few more) */
static void topn_dropped(cdrt_topn *t, cdrt_rows *rows) {
  if (rows->n > 2 * t->live + 4096) topn_compact(t, rows);
}

void cdrt_topn_row(cdrt_topn *t, cdrt_rows *rows) {
  const cdrt_topn_spec *sp = t->spec;
  int64_t at = rows->n - 1;
  bool drop = sp->n <= 0;
  for (int k = 0; k < sp->nkeys && sp->dropna && !drop; k++)
    drop = tn_cell_missing(rows, sp->keys[k], at);
  if (drop) {
    rows->n--;
    return;
  }
  int64_t out = topn_insert(t, rows, topn_group(t, rows, rows, at), at);
  if (out == at) {
    rows->n--; /* the last row pushed: taken back */
    return;
  }
  if (out < 0) {
    t->live++;
    return;
  }
  topn_dropped(t, rows);
}

/* Row i of r copied to the end of rows (its index: base + r's) */
static int64_t tn_rows_copy(cdrt_rows *rows, const cdrt_rows *r, int64_t i, int64_t base) {
  int64_t at = cdrt_rows_push(rows, base + r->index[i]);
  for (int k = 0; k < rows->ncols; k++) {
    size_t z = tn_cell_bytes(rows->types[k]);
    memcpy((char *)rows->col[k] + (size_t)at * z, (const char *)r->col[k] + (size_t)i * z, z);
  }
  return at;
}

static void tn_rows_free(cdrt_rows *r) {
  int64_t z = 8;
  for (int k = 0; k < r->ncols; k++) z += (int64_t)tn_cell_bytes(r->types[k]), free(r->col[k]);
  free(r->col), free(r->index);
  cdrt_state_refund(r->cap * z);
  memset(r, 0, sizeof *r);
}

static void topn_free(cdrt_topn *t) {
  cdrt_state_refund(t->capgroups * (t->spec->n + 2) * 8 + t->nslot * 8);
  free(t->kept), free(t->cnt), free(t->hash), free(t->slot);
  t->kept = t->cnt = t->slot = NULL, t->hash = NULL;
  t->ngroups = t->capgroups = t->nslot = 0;
}

void cdrt_topn_merge(cdrt_topn *t, cdrt_rows *rows, cdrt_topn *b, cdrt_rows *brows) {
  for (int64_t g = 0; g < b->ngroups; g++) {
    const int64_t *kept = topn_kept(b, g);
    int64_t d = b->cnt[g] ? topn_group(t, rows, brows, kept[0]) : -1;
    for (int64_t j = 0; j < b->cnt[g]; j++) { /* best first: the first not kept ends it */
      int64_t c = t->cnt[d], *tk = topn_kept(t, d);
      if (c == t->spec->n && !tn_row_before(t->spec, brows, kept[j], rows, tk[c - 1])) break;
      int64_t out = topn_insert(t, rows, d, tn_rows_copy(rows, brows, kept[j], t->base));
      if (out < 0) t->live++;
    }
  }
  topn_dropped(t, rows);
  t->base += b->rows;
  topn_free(b), tn_rows_free(brows);
}

static int tn_index_less(const void *ctx, int64_t a, int64_t b) {
  const int64_t *index = ctx;
  return index[a] < index[b];
}

void cdrt_topn_finish(cdrt_topn *t, cdrt_rows *rows) {
  topn_compact(t, rows);
  topn_free(t);
  int64_t n = rows->n, *order = cdrt_malloc((size_t)(n ? n : 1) * 8);
  for (int64_t i = 0; i < n; i++) order[i] = i;
  cdrt_stable_sort(order, n, tn_index_less, rows->index); /* merged group by group: file order */
  int64_t *index = cdrt_malloc((size_t)(rows->cap ? rows->cap : 1) * 8);
  for (int64_t i = 0; i < n; i++) index[i] = rows->index[order[i]];
  free(rows->index), rows->index = index;
  for (int k = 0; k < rows->ncols; k++) {
    size_t z = tn_cell_bytes(rows->types[k]);
    char *col = cdrt_malloc((size_t)(rows->cap ? rows->cap : 1) * z);
    for (int64_t i = 0; i < n; i++)
      memcpy(col + (size_t)i * z, (const char *)rows->col[k] + (size_t)order[i] * z, z);
    free(rows->col[k]), rows->col[k] = col;
  }
  free(order);
}
#endif
