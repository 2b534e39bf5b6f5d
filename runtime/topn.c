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

static bool tn_cell_missing(const cdrt_rows *r, int k, int64_t i) {
  switch (r->types[k]) {
  case CDRT_COL_FLOAT64: return isnan(((const double *)r->col[k])[i]);
  case CDRT_COL_STR: return !((const cdrt_str *)r->col[k])[i].p;
  case CDRT_COL_DATETIME:
  case CDRT_COL_TIMEDELTA: return ((const int64_t *)r->col[k])[i] == CDRT_NAT;
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

/* A group's record, in words: its keys' hash (never 0), how many rows it keeps, its key's
 * bits (fastkey), its kept rows (slots of the rows) best first, then (fastsort) their sort
 * values' bits, so that a row is compared with a group's rows and placed among them on the
 * record alone. At most 64 bytes, a record is padded to a power of two words (the records
 * are 64-byte aligned): one cache line per lookup. Records lie in order of first
 * appearance, zeroed as groups are added; only the slots (8 bytes each) are zeroed when a
 * table is made: a block's table of 10^5 groups (q8) is 6 MB of records and 2 MB of slots
 * (it was 16 MB of half-empty records, all zeroed). */
enum { TN_HASH, TN_CNT, TN_KEY, TN_KEPT };
#define TN_VALS(t, g) ((g) + TN_KEPT + (t)->spec->n)

void cdrt_topn_init(cdrt_topn *t, const cdrt_topn_spec *spec) {
  memset(t, 0, sizeof *t);
  t->spec = spec;
}

/* What the record holds inline, from the rows' column types (the same for every block) */
static void tn_setup(cdrt_topn *t, const cdrt_rows *r) {
  const cdrt_topn_spec *sp = t->spec;
  if (t->stride) return;
  int kt = sp->nkeys == 1 ? r->types[sp->keys[0]] : -1;
  int st = sp->nby == 1 ? r->types[sp->by[0]] : -1;
  t->fastkey = kt == CDRT_COL_INT64 || cdrt_col_nat(kt) || kt == CDRT_COL_BOOL;
  t->fastsort = st == CDRT_COL_INT64 || cdrt_col_nat(st) || st == CDRT_COL_FLOAT64;
  int64_t n = sp->n > 0 ? sp->n : 0, words = TN_KEPT + n + (t->fastsort ? n : 0), pad = 2;
  while (pad < words && pad < 8) pad *= 2;
  t->stride = words <= 8 ? pad : words;
}

/* Group g's record */
static int64_t *tn_rec(const cdrt_topn *t, int64_t g) {
  return t->rec + g * t->stride;
}

/* A slot: the low 32 bits of its group's hash, and the group's number + 1 (0: empty) */
static uint64_t tn_slot(int64_t g, uint64_t h) {
  return (uint64_t)(g + 1) << 32 | (uint32_t)h;
}

/* The bits of a fixed-width cell (an int64, datetime or float64; a bool widened) */
static int64_t tn_cell_bits(const cdrt_rows *r, int k, int64_t i) {
  if (r->types[k] == CDRT_COL_BOOL) return ((const uint8_t *)r->col[k])[i];
  int64_t v;
  memcpy(&v, (const char *)r->col[k] + (size_t)i * 8, 8);
  return v;
}

static uint64_t tn_hash_of(const cdrt_topn *t, const cdrt_rows *r, int64_t i) {
  uint64_t h;
  if (t->fastkey) {
    h = (uint64_t)tn_cell_bits(r, t->spec->keys[0], i) * 0x9e3779b97f4a7c15u;
    h ^= h >> 31, h *= 0xbf58476d1ce4e5b9u, h ^= h >> 29;
  } else {
    h = tn_row_hash(t->spec, r, i);
  }
  return h ? h : 1;
}

/* The largest table a block's grew to: where the next block's starts (no result depends
 * on a table's size, only the time spent growing it) */
static int64_t tn_hint;

/* Group g (its record in place) entered in t's slots, which have room */
static void tn_enter(cdrt_topn *t, int64_t g) {
  uint64_t h = (uint64_t)tn_rec(t, g)[TN_HASH], m = (uint64_t)t->nslot - 1;
  uint64_t at = h >> t->shift;
  while (t->slot[at]) at = (at + 1) & m;
  t->slot[at] = tn_slot(g, h);
}

/* Room for `more` groups (the slots at most half full) */
static void topn_reserve(cdrt_topn *t, int64_t more) {
  if (2 * (t->ngroups + more) <= t->nslot) return;
  int64_t nslot = t->nslot ? t->nslot * 2 : 128, hint = __atomic_load_n(&tn_hint, __ATOMIC_RELAXED);
  if (!t->nslot && hint > nslot) nslot = hint;
  while (2 * (t->ngroups + more) > nslot) nslot *= 2;
  const char *what = t->what ? t->what : "a top-n table";
  size_t got;
  void *block = cdrt_table_take_raw((size_t)(nslot / 2 * t->stride * 8) + 64, &got, what);
  int64_t *rec = (int64_t *)(((uintptr_t)block + 63) & ~(uintptr_t)63);
  if (t->ngroups) memcpy(rec, t->rec, (size_t)(t->ngroups * t->stride * 8));
  cdrt_table_give(t->rec_block, t->rec_bytes);
  t->rec_block = block, t->rec_bytes = got, t->rec = rec;
  cdrt_table_give(t->slot, t->slot_bytes);
  t->slot = cdrt_table_take((size_t)nslot * 8, &t->slot_bytes, what);
  t->nslot = nslot;
  t->shift = 64 - __builtin_ctzll((unsigned long long)nslot);
  for (int64_t g = 0; g < t->ngroups; g++) tn_enter(t, g);
  cdrt_hint_raise(&tn_hint, nslot);
}

/* A new group (room was reserved): its record zeroed but its hash and key */
static int64_t *tn_add(cdrt_topn *t, uint64_t h, int64_t key) {
  int64_t *g = tn_rec(t, t->ngroups);
  memset(g, 0, (size_t)t->stride * 8);
  g[TN_HASH] = (int64_t)h, g[TN_KEY] = key;
  t->ngroups++;
  return g;
}

/* The record of row i of r (hash h) in t, whose rows are `rows`; added if new (keeping no
 * row yet). Room for it was reserved. */
static int64_t *topn_group(cdrt_topn *t, const cdrt_rows *rows, const cdrt_rows *r, int64_t i,
                           uint64_t h) {
  const cdrt_topn_spec *sp = t->spec;
  uint64_t m = (uint64_t)t->nslot - 1, at = h >> t->shift;
  int64_t key = t->fastkey ? tn_cell_bits(r, sp->keys[0], i) : 0;
  for (;; at = (at + 1) & m) {
    uint64_t v = t->slot[at];
    if (!v) {
      t->slot[at] = tn_slot(t->ngroups, h);
      return tn_add(t, h, key);
    }
    if ((uint32_t)v != (uint32_t)h) continue;
    int64_t *g = tn_rec(t, (int64_t)(v >> 32) - 1);
    if ((uint64_t)g[TN_HASH] != h) continue;
    if (t->fastkey) {
      if (g[TN_KEY] == key) return g;
      continue;
    }
    bool same = true;
    for (int k = 0; k < sp->nkeys && same; k++)
      same = tn_cell_same(r, i, rows, g[TN_KEPT], sp->keys[k]);
    if (same) return g;
  }
}

/* Row i of r comes before group g's kept row j (a row of rows): on the record when both
 * sort values are present (a tie: the kept row, an earlier one, comes first) */
static bool tn_before(const cdrt_topn *t, const int64_t *g, const cdrt_rows *rows,
                      const cdrt_rows *r, int64_t i, int64_t j) {
  const cdrt_topn_spec *sp = t->spec;
  if (t->fastsort) {
    int k = sp->by[0];
    bool asc = sp->asc[0] & 1;
    int64_t wb = TN_VALS(t, g)[j];
    if (r->types[k] == CDRT_COL_FLOAT64) {
      double x = ((const double *)r->col[k])[i], w;
      memcpy(&w, &wb, 8);
      if (!isnan(x) && !isnan(w)) return asc ? x < w : x > w;
    } else {
      int64_t x = ((const int64_t *)r->col[k])[i];
      if (!cdrt_col_nat(r->types[k]) || (x != CDRT_NAT && wb != CDRT_NAT))
        return asc ? x < wb : x > wb;
    }
  }
  return tn_row_before(sp, r, i, rows, g[TN_KEPT + j]);
}

/* Row i of r would not be among group g's rows: g keeps n, and it does not come before the
 * worst of them */
static bool tn_not_kept(const cdrt_topn *t, const int64_t *g, const cdrt_rows *rows,
                        const cdrt_rows *r, int64_t i) {
  return g[TN_CNT] == t->spec->n && !tn_before(t, g, rows, r, i, g[TN_CNT] - 1);
}

/* Row `at` of rows into group g's kept rows, after those it does not come before (g keeps
 * fewer than n, or `at` comes before its worst); returns the row dropped to make room, or -1 */
static int64_t topn_insert(const cdrt_topn *t, const cdrt_rows *rows, int64_t *g, int64_t at) {
  int64_t *kept = g + TN_KEPT, *vals = TN_VALS(t, g), c = g[TN_CNT], n = t->spec->n, out = -1;
  if (c == n) out = kept[--c];
  int64_t j = c;
  while (j > 0 && tn_before(t, g, rows, rows, at, j - 1)) {
    kept[j] = kept[j - 1];
    if (t->fastsort) vals[j] = vals[j - 1];
    j--;
  }
  kept[j] = at;
  if (t->fastsort) vals[j] = tn_cell_bits(rows, t->spec->by[0], at);
  g[TN_CNT] = c + 1;
  return out;
}

static void tn_move_row(cdrt_rows *rows, int64_t from, int64_t to) {
  rows->index[to] = rows->index[from];
  for (int k = 0; k < rows->ncols; k++) {
    size_t z = cdrt_col_bytes(rows->types[k]);
    memmove((char *)rows->col[k] + (size_t)to * z, (char *)rows->col[k] + (size_t)from * z, z);
  }
}

/* The rows no group keeps are dropped, the kept ones keep their order */
static void topn_compact(cdrt_topn *t, cdrt_rows *rows) {
  int64_t *to = cdrt_malloc((size_t)(rows->n ? rows->n : 1) * 8), n = 0;
  for (int64_t i = 0; i < rows->n; i++) to[i] = -1;
  for (int64_t q = 0; q < t->ngroups; q++) {
    const int64_t *g = tn_rec(t, q);
    for (int64_t j = 0; j < g[TN_CNT]; j++) to[g[TN_KEPT + j]] = 0;
  }
  for (int64_t i = 0; i < rows->n; i++) {
    if (to[i] < 0) continue;
    to[i] = n;
    tn_move_row(rows, i, n++);
  }
  rows->n = n;
  for (int64_t q = 0; q < t->ngroups; q++) {
    int64_t *g = tn_rec(t, q);
    for (int64_t j = 0; j < g[TN_CNT]; j++) g[TN_KEPT + j] = to[g[TN_KEPT + j]];
  }
  free(to);
  t->live = n;
}

/* After drops: compacted once the dropped rows outnumber the kept ones (and a few more) */
static void topn_dropped(cdrt_topn *t, cdrt_rows *rows) {
  if (rows->n > 2 * t->live + 4096) topn_compact(t, rows);
}

/* Group records fetched ahead: the record that the home slot of hash h names, when the
 * tags agree (the slot was fetched ahead before). Always inlined: GCC 12 deletes the calls
 * of a function whose only effects are prefetches. */
__attribute__((always_inline)) static inline void tn_prefetch_rec(const cdrt_topn *t, uint64_t h) {
  uint64_t v = t->slot[h >> t->shift];
  if (v && (uint32_t)v == (uint32_t)h) __builtin_prefetch(tn_rec(t, (int64_t)(v >> 32) - 1), 1);
}

/* The cut (cdrt_topn_cut): kept when the key and the sort value are in the records, for a
 * total that merges a block of at least this many groups (fewer fit in the caches). Keys
 * in [0, TN_CUT_DENSE_MAX) are indexed directly when the first block's keys fill at least a
 * sixteenth of the range up to its largest. */
enum { TN_CUT_GROUPS = 8192, TN_CUT_MAX_LINES = 1 << 18, TN_CUT_DENSE_MAX = 1 << 22 };

static cdrt_topn_cut *tn_cut_of(const cdrt_topn *t) {
  return t->fastkey && t->fastsort ? t->spec->cut : NULL;
}

/* The dense cut's size for block b's keys: a power of two past its largest key, or 0 */
static int64_t tn_cut_dense_size(const cdrt_topn *b) {
  int64_t lo = INT64_MAX, hi = -1;
  for (int64_t q = 0; q < b->ngroups; q++) {
    int64_t k = tn_rec(b, q)[TN_KEY];
    lo = k < lo ? k : lo, hi = k > hi ? k : hi;
  }
  if (lo < 0 || hi >= TN_CUT_DENSE_MAX || hi >= 16 * b->ngroups) return 0;
  int64_t n = 1024;
  while (n <= hi) n *= 2;
  return n;
}

/* Made at the merge of the total's first block b of many groups: the dense codes for its
 * key range (when it is dense), and lines for twice its other groups (4 entries a line:
 * few lines fill) */
static void tn_cut_make(cdrt_topn *t, const cdrt_topn *b) {
  cdrt_topn_cut *c = tn_cut_of(t);
  if (!c || c->e || b->ngroups < TN_CUT_GROUPS) return;
  const char *what = t->what ? t->what : "a top-n";
  int64_t nd = tn_cut_dense_size(b), lines = 1024, others = nd ? 0 : b->ngroups;
  while (lines < others / 2 && lines < TN_CUT_MAX_LINES) lines *= 2;
  c->block = cdrt_table_take((size_t)lines * 64 + 64, &c->bytes, what);
  c->shift = 64 - __builtin_ctzll((unsigned long long)lines);
  if (nd) {
    c->ndense = nd;
    __atomic_store_n(&c->dense, cdrt_table_take((size_t)nd * 4, &c->dense_bytes, what),
                     __ATOMIC_RELEASE);
  }
  __atomic_store_n(&c->e, (uint64_t *)(((uintptr_t)c->block + 63) & ~(uintptr_t)63),
                   __ATOMIC_RELEASE);
}

static void tn_cut_free(cdrt_topn_cut *c) {
  if (!c || !c->e) return;
  cdrt_table_give(c->block, c->bytes);
  cdrt_table_give(c->dense, c->dense_bytes);
  memset(c, 0, sizeof *c);
}

/* The dense cut's code of sort value bits w (present): 32 bits, larger for values earlier
 * in the sort's order, and monotone, so that a row whose code is below its group's cut's
 * comes after the n rows the total keeps (strictly after, or tied with -0.0 against 0.0,
 * where the earlier rows win). Coarse: the top 32 bits of a double's order, an integer
 * saturated to 32 bits; a row the code cannot tell from the cut is decided exactly. Never
 * 0, the code of no cut. */
static uint32_t tn_code(const cdrt_topn *t, int type, int64_t w) {
  bool asc = t->spec->asc[0] & 1;
  if (type == CDRT_COL_FLOAT64) {
    uint64_t u = (uint64_t)w;
    u = u >> 63 ? ~u : u | UINT64_C(1) << 63; /* the doubles' order (no NaN here) */
    return (uint32_t)((asc ? ~u : u) >> 32);
  }
  int64_t m = INT32_MAX, x = w < -m ? -m : w > m ? m : w;
  return (uint32_t)((asc ? -x : x) + m + 1);
}

/* Sort value bits w (as the records hold it) are not missing */
static bool tn_val_present(const cdrt_topn *t, const cdrt_rows *r, int64_t w) {
  int type = r->types[t->spec->by[0]];
  if (type == CDRT_COL_FLOAT64) {
    double v;
    memcpy(&v, &w, 8);
    return !isnan(v);
  }
  return !cdrt_col_nat(type) || w != CDRT_NAT;
}

/* Row i of r comes strictly after a row whose sort value is w (present) */
static bool tn_after_val(const cdrt_topn *t, const cdrt_rows *r, int64_t i, int64_t w) {
  int k = t->spec->by[0];
  bool asc = t->spec->asc[0] & 1;
  if (r->types[k] == CDRT_COL_FLOAT64) {
    double x = ((const double *)r->col[k])[i], v;
    memcpy(&v, &w, 8);
    return !isnan(x) && (asc ? x > v : x < v);
  }
  int64_t x = ((const int64_t *)r->col[k])[i];
  if (cdrt_col_nat(r->types[k]) && x == CDRT_NAT) return false;
  return asc ? x > w : x < w;
}

/* The total's group g keeps n rows: its cut raised to the worst's value (the total's n-th
 * best only gets better). Hash 1 stands for two keys (tn_hash_of), so no cut names it; any
 * other hash names one key, since the mix of a fixed-width key is a bijection. Only the
 * merging thread writes: the hash is published after its cut. */
static void tn_cut_raise(const cdrt_topn *t, const cdrt_rows *rows, const int64_t *g) {
  cdrt_topn_cut *c = tn_cut_of(t);
  int64_t n = t->spec->n;
  uint64_t h = (uint64_t)g[TN_HASH];
  if (!c || !c->e || g[TN_CNT] != n) return;
  int64_t w = TN_VALS(t, g)[n - 1];
  if (!tn_val_present(t, rows, w)) return;
  if ((uint64_t)g[TN_KEY] < (uint64_t)c->ndense) {
    __atomic_store_n(&c->dense[g[TN_KEY]], tn_code(t, rows->types[t->spec->by[0]], w),
                     __ATOMIC_RELAXED);
    return;
  }
  if (h == 1) return;
  uint64_t *line = c->e + (h >> c->shift) * 8;
  for (int j = 0; j < 8; j += 2) {
    uint64_t eh = line[j];
    if (eh && eh != h) continue;
    __atomic_store_n(&line[j + 1], (uint64_t)w, __ATOMIC_RELAXED);
    if (!eh) __atomic_store_n(&line[j], h, __ATOMIC_RELEASE);
    return;
  }
}

/* Row i of r (hash h) comes after n rows of its group in the file: strictly after its cut */
static bool tn_cut_drops(const cdrt_topn *t, const uint64_t *e, int shift, const cdrt_rows *r,
                         int64_t i, uint64_t h) {
  if (h == 1 || (uint64_t)tn_cell_bits(r, t->spec->keys[0], i) < (uint64_t)t->spec->cut->ndense)
    return false; /* (the dense cut's: tried as the row was pushed) */
  const uint64_t *line = e + (h >> shift) * 8;
  for (int j = 0; j < 8; j += 2) {
    uint64_t eh = __atomic_load_n(&line[j], __ATOMIC_ACQUIRE);
    if (eh == h)
      return tn_after_val(t, r, i, (int64_t)__atomic_load_n(&line[j + 1], __ATOMIC_RELAXED));
    if (!eh) return false;
  }
  return false;
}

/* The waiting rows, in the order they were pushed: each looked up (its slot was prefetched
 * when it was pushed, its record now) and kept or not; then those not kept are taken out of
 * the rows' end, where they are: the rows kept among them move down, and their groups'
 * records with them. */
static void topn_decide(cdrt_topn *t, cdrt_rows *rows) {
  int np = t->npend;
  if (!np) return;
  int64_t *grp[CDRT_TOPN_BATCH], lo = t->pend_at[0];
  bool drop[CDRT_TOPN_BATCH] = {false};
  const cdrt_topn_cut *cut = tn_cut_of(t);
  const uint64_t *ce = cut ? __atomic_load_n(&cut->e, __ATOMIC_ACQUIRE) : NULL;
  if (ce)
    for (int k = 0; k < np; k++)
      drop[k] = tn_cut_drops(t, ce, cut->shift, rows, t->pend_at[k], t->pend_h[k]);
  if (t->ngroups > 256)
    for (int k = 0; k < np; k++)
      if (!drop[k]) tn_prefetch_rec(t, t->pend_h[k]);
  for (int k = 0; k < np; k++) {
    grp[k] = NULL;
    if (drop[k]) continue;
    int64_t at = t->pend_at[k], *g = topn_group(t, rows, rows, at, t->pend_h[k]);
    grp[k] = g;
    if (tn_not_kept(t, g, rows, rows, at)) continue;
    if (topn_insert(t, rows, g, at) < 0) t->live++;
  }
  t->npend = 0;
  int64_t n = lo;
  for (int k = 0; k < np; k++) { /* the rows from lo on are exactly the waiting ones */
    if (!grp[k]) continue;       /* cut */
    int64_t at = t->pend_at[k], *kept = grp[k] + TN_KEPT, c = grp[k][TN_CNT], j = 0;
    while (j < c && kept[j] != at) j++;
    if (j == c) continue; /* not kept, or pushed out by a later one */
    if (n != at) tn_move_row(rows, at, n), kept[j] = n;
    n++;
  }
  rows->n = n;
  topn_dropped(t, rows);
}

void cdrt_topn_row(cdrt_topn *t, cdrt_rows *rows) {
  const cdrt_topn_spec *sp = t->spec;
  int64_t at = rows->n - 1;
  bool drop = sp->n <= 0;
  for (int k = 0; k < sp->nkeys && sp->dropna && !drop; k++)
    drop = tn_cell_missing(rows, sp->keys[k], at);
  if (drop) {
    rows->n--; /* the last row pushed: taken back */
    return;
  }
  tn_setup(t, rows);
  const cdrt_topn_cut *cut = tn_cut_of(t);
  const uint32_t *dense = cut ? __atomic_load_n(&cut->dense, __ATOMIC_ACQUIRE) : NULL;
  bool covered = false;
  if (dense) { /* one read, most often in L2, and most rows of q8 end here */
    int64_t key = tn_cell_bits(rows, sp->keys[0], at), w;
    if ((covered = (uint64_t)key < (uint64_t)cut->ndense)) {
      int type = rows->types[sp->by[0]];
      uint32_t c = __atomic_load_n(&dense[key], __ATOMIC_RELAXED);
      memcpy(&w, (const char *)rows->col[sp->by[0]] + (size_t)at * 8, 8);
      if (c && tn_val_present(t, rows, w) && tn_code(t, type, w) < c) {
        rows->n--;
        return;
      }
    }
  }
  if (!t->npend) topn_reserve(t, CDRT_TOPN_BATCH); /* no growth while rows wait */
  uint64_t h = tn_hash_of(t, rows, at);
  __builtin_prefetch(&t->slot[h >> t->shift], 0);
  const uint64_t *ce = cut && !covered ? __atomic_load_n(&cut->e, __ATOMIC_ACQUIRE) : NULL;
  if (ce) __builtin_prefetch(ce + (h >> cut->shift) * 8, 0);
  t->pend_at[t->npend] = at, t->pend_h[t->npend] = h;
  if (++t->npend == CDRT_TOPN_BATCH) topn_decide(t, rows);
}

/* Row i of r copied to the end of rows (its index: base + r's) */
static int64_t tn_rows_copy(cdrt_rows *rows, const cdrt_rows *r, int64_t i, int64_t base) {
  int64_t at = cdrt_rows_push(rows, base + r->index[i]);
  for (int k = 0; k < rows->ncols; k++) {
    size_t z = cdrt_col_bytes(rows->types[k]);
    memcpy((char *)rows->col[k] + (size_t)at * z, (const char *)r->col[k] + (size_t)i * z, z);
  }
  return at;
}

static void tn_rows_free(cdrt_rows *r) {
  int64_t z = 8;
  for (int k = 0; k < r->ncols; k++) z += (int64_t)cdrt_col_bytes(r->types[k]), free(r->col[k]);
  free(r->col), free(r->index);
  cdrt_state_refund(r->cap * z);
  memset(r, 0, sizeof *r);
}

void cdrt_topn_settle(cdrt_topn *t, cdrt_rows *rows) {
  topn_decide(t, rows);
}

/* A group's record as packed (--mpi), the next of t's groups: t's rows are the packed
 * block's, unpacked in the same order (the record's kept rows index them) */
void cdrt_topn_put(cdrt_topn *t, const cdrt_rows *rows, const int64_t *rec) {
  tn_setup(t, rows);
  topn_reserve(t, 1);
  memcpy(tn_rec(t, t->ngroups), rec, (size_t)t->stride * 8);
  tn_enter(t, t->ngroups++);
}

static void topn_free(cdrt_topn *t) {
  cdrt_table_give(t->rec_block, t->rec_bytes);
  cdrt_table_give(t->slot, t->slot_bytes);
  t->rec = NULL, t->rec_block = NULL, t->slot = NULL;
  t->rec_bytes = t->slot_bytes = 0;
  t->ngroups = t->nslot = 0;
}

void cdrt_topn_free(cdrt_topn *t) {
  topn_free(t);
}

/* b's groups in order of first appearance in b: the merged rows' order is undone by
 * cdrt_topn_finish, which sorts them by their rows in the file, and which rows a group
 * keeps does not depend on the order its candidates come in (their order is total: ties
 * go to the earlier row). t's slot of a group 16 ahead and its record 8 ahead are fetched
 * ahead (t has room for 16 more groups, so that its records do not move meanwhile). */
void cdrt_topn_merge(cdrt_topn *t, cdrt_rows *rows, cdrt_topn *b, cdrt_rows *brows) {
  topn_decide(b, brows);
  if (b->stride) tn_setup(t, brows), tn_cut_make(t, b);
  for (int64_t q = 0; q < b->ngroups; q++) {
    const int64_t *bg = tn_rec(b, q);
    if (!(q & 15)) topn_reserve(t, 32);
    if (t->nslot && q + 16 < b->ngroups)
      __builtin_prefetch(&t->slot[(uint64_t)tn_rec(b, q + 16)[TN_HASH] >> t->shift], 0);
    if (t->nslot && q + 8 < b->ngroups) tn_prefetch_rec(t, (uint64_t)tn_rec(b, q + 8)[TN_HASH]);
    if (!bg[TN_CNT]) continue;
    const int64_t *kept = bg + TN_KEPT;
    int64_t *g = topn_group(t, rows, brows, kept[0], (uint64_t)bg[TN_HASH]);
    for (int64_t j = 0; j < bg[TN_CNT]; j++) { /* best first: the first not kept ends it */
      if (tn_not_kept(t, g, rows, brows, kept[j])) break;
      if (topn_insert(t, rows, g, tn_rows_copy(rows, brows, kept[j], t->base)) < 0) t->live++;
    }
    tn_cut_raise(t, rows, g);
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
  topn_decide(t, rows);
  tn_cut_free(t->spec->cut); /* the scan is over */
  topn_compact(t, rows);
  topn_free(t);
  int64_t n = rows->n, *order = cdrt_malloc((size_t)(n ? n : 1) * 8);
  for (int64_t i = 0; i < n; i++) order[i] = i;
  cdrt_stable_sort(order, n, tn_index_less, rows->index); /* merged group by group: file order */
  int64_t *index = cdrt_malloc((size_t)(rows->cap ? rows->cap : 1) * 8);
  for (int64_t i = 0; i < n; i++) index[i] = rows->index[order[i]];
  free(rows->index), rows->index = index;
  for (int k = 0; k < rows->ncols; k++) {
    size_t z = cdrt_col_bytes(rows->types[k]);
    char *col = cdrt_malloc((size_t)(rows->cap ? rows->cap : 1) * z);
    for (int64_t i = 0; i < n; i++)
      memcpy(col + (size_t)i * z, (const char *)rows->col[k] + (size_t)order[i] * z, z);
    free(rows->col[k]), rows->col[k] = col;
  }
  free(order);
}
#endif
