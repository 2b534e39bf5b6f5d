/* join.c: a merge's right side as a hash table probed by the left side's scan (with
 * CDRT_WITH_CSV; cdrt.h, "join.c"). emit_rows.c pushes a merge read only by aggregates of
 * its columns into the scan of its left frame's file: the right's rows are hashed once,
 * then each left row looks its key up as it is read and feeds the aggregates from its
 * matches, and neither the left's rows nor the joined frame are ever made.
 *
 * The table is open-addressed (linear probing, at most 0.7 full) with 16-byte slots: a
 * tag and the group's run [lo, lo + n) in the columns val[]. Groups are numbered in order
 * of first appearance and their rows kept in row order, so a left row meets its matches in
 * the order pandas' merge gives them. When every key is unique a group is a row and the
 * runs index the frame's own columns; otherwise the columns the probes read are gathered in
 * group order once, so a probe reads one slot and then contiguous values. */
#include "cdrt.h"

#ifdef CDRT_WITH_CSV
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Row i of column c as a key value */
static cdrt_jkey jcell(const void *c, int type, int64_t i) {
  cdrt_jkey k;
  switch (type) {
  case CDRT_COL_FLOAT64: k.f = ((const double *)c)[i]; break;
  case CDRT_COL_STR: k.s = ((const cdrt_str *)c)[i]; break;
  case CDRT_COL_BOOL: k.i = ((const uint8_t *)c)[i]; break;
  default: k.i = ((const int64_t *)c)[i];
  }
  return k;
}

/* A key tuple's hash (a missing value hashes as every missing value of its type) */
static uint64_t jkeys_hash(const cdrt_join_spec *sp, const cdrt_jkey *k) {
  uint64_t h = 0x243f6a8885a308d3u;
  for (int i = 0; i < sp->nkeys; i++) {
    uint64_t v;
    switch (sp->types[i]) {
    case CDRT_COL_FLOAT64: v = (uint64_t)cdrt_join_f64key(k[i].f); break;
    case CDRT_COL_STR:
      v = k[i].s.p ? 0xcbf29ce484222325u : 1;
      for (int64_t j = 0; k[i].s.p && j < k[i].s.n; j++)
        v = (v ^ (unsigned char)k[i].s.p[j]) * 0x100000001b3u;
      break;
    default: v = (uint64_t)k[i].i;
    }
    h = (h ^ v) * 0x9e3779b97f4a7c15u;
  }
  return h ^ (h >> 29);
}

/* Key tuple k equals row i of the key columns key[] */
static bool jkeys_equal(const cdrt_join_spec *sp, const void *const *key, int64_t i,
                        const cdrt_jkey *k) {
  for (int c = 0; c < sp->nkeys; c++) {
    cdrt_jkey v = jcell(key[c], sp->types[c], i);
    switch (sp->types[c]) {
    case CDRT_COL_FLOAT64:
      if (cdrt_join_f64key(v.f) != cdrt_join_f64key(k[c].f)) return false;
      break;
    case CDRT_COL_STR:
      if (!v.s.p || !k[c].s.p) {
        if (v.s.p || k[c].s.p) return false;
      } else if (v.s.n != k[c].s.n || memcmp(v.s.p, k[c].s.p, (size_t)v.s.n))
        return false;
      break;
    default:
      if (v.i != k[c].i) return false;
    }
  }
  return true;
}

uint64_t cdrt_join_hash(const cdrt_join *j, const cdrt_jkey *k) {
  return jkeys_hash(j->sp, k);
}

cdrt_jslot cdrt_join_find_hashed(const cdrt_join *j, const cdrt_jkey *k, uint64_t h) {
  for (uint64_t at = h >> j->shift;; at = cdrt_join_next(j, at)) {
    cdrt_jslot s = j->slot[at];
    if (!s.n || (s.tag == h && jkeys_equal(j->sp, j->key, s.lo, k))) return s;
  }
}

/* Row i's direct tag (one key of int64, datetime, bool or float64) */
static int64_t jdirect_tag(const cdrt_join *j, int64_t i) {
  cdrt_jkey k = jcell(j->key[0], j->sp->types[0], i);
  return j->sp->types[0] == CDRT_COL_FLOAT64 ? cdrt_join_f64key(k.f) : k.i;
}

/* Row i's keys */
static void jrow_keys(const cdrt_join *j, int64_t i, cdrt_jkey *k) {
  for (int c = 0; c < j->sp->nkeys; c++) k[c] = jcell(j->key[c], j->sp->types[c], i);
}

/* Row i's tag */
static uint64_t jrow_tag(const cdrt_join *j, int64_t i) {
  if (j->direct) return (uint64_t)jdirect_tag(j, i);
  cdrt_jkey k[CDRT_GB_MAXKEYS];
  jrow_keys(j, i, k);
  return jkeys_hash(j->sp, k);
}

/* A tag's first slot */
static uint64_t jtag_home(const cdrt_join *j, uint64_t tag) {
  return (j->direct ? cdrt_join_hash_i64((int64_t)tag) : tag) >> j->shift;
}

/* The slot of row i's group (tag: its tag), or the empty slot where it would go */
static uint64_t jslot_of(const cdrt_join *j, int64_t i, uint64_t tag) {
  uint64_t at = jtag_home(j, tag);
  for (;; at = cdrt_join_next(j, at)) {
    const cdrt_jslot *s = &j->slot[at];
    if (!s->n) return at;
    if (s->tag != tag) continue;
    if (j->direct) return at;
    cdrt_jkey k[CDRT_GB_MAXKEYS];
    jrow_keys(j, i, k);
    if (jkeys_equal(j->sp, j->key, s->lo, k)) return at;
  }
}

/* Row i (its tag) into the table: a new group (its slot's lo: the row, n: 1) or one more
 * row of its group's. True if it made a group. */
static bool jinsert(cdrt_join *j, int64_t i, uint64_t tag) {
  cdrt_jslot *s = &j->slot[jslot_of(j, i, tag)];
  if (s->n++) return false;
  s->tag = tag, s->lo = (uint32_t)i;
  return true;
}

/* Partitions: a slot's index is its hash's top bits, and a probe that runs past the end
 * of its partition (a run of 2^JOIN_PART_BITS slots, 2 MB) wraps to its start
 * (cdrt_join_next), so each partition's rows can be inserted apart from the others'. The
 * rows are scattered by partition (each partition's in row order; JOIN_CHUNKS fixed runs
 * of rows counted and scattered by the threads), then each partition's inserted by one
 * thread: its slots stay in cache while it works, and the threads share the build. A
 * partition never holds more rows than slots (cdrt_join_build), so it never fills. */
enum { JOIN_PART_BITS = 17, JOIN_CHUNKS = 64 };

typedef struct {
  int64_t np;
  int64_t *start; /* partition p's rows: rows[start[p], start[p + 1]), with their tags */
  uint32_t *rows;
  uint64_t *tags;
} jparts;

static jparts jscatter(const cdrt_join *j, int64_t n, int bits) {
  jparts P = {(int64_t)1 << (bits - JOIN_PART_BITS), NULL, NULL, NULL};
  int down = JOIN_PART_BITS;
  int64_t *at = cdrt_calloc((size_t)(JOIN_CHUNKS * P.np), sizeof *at);
#pragma omp parallel for schedule(static)
  for (int c = 0; c < JOIN_CHUNKS; c++)
    for (int64_t i = n * c / JOIN_CHUNKS; i < n * (c + 1) / JOIN_CHUNKS; i++)
      at[c * P.np + (int64_t)(jtag_home(j, jrow_tag(j, i)) >> down)]++;
  P.start = cdrt_malloc((size_t)(P.np + 1) * sizeof *P.start);
  int64_t off = 0;
  for (int64_t p = 0; p < P.np; p++) { /* partition-major, each partition's chunks in order */
    P.start[p] = off;
    for (int c = 0; c < JOIN_CHUNKS; c++) {
      int64_t k = at[c * P.np + p];
      at[c * P.np + p] = off, off += k;
    }
  }
  P.start[P.np] = off;
  P.rows = cdrt_malloc((size_t)n * sizeof *P.rows);
  P.tags = cdrt_malloc((size_t)n * sizeof *P.tags);
#pragma omp parallel for schedule(static)
  for (int c = 0; c < JOIN_CHUNKS; c++)
    for (int64_t i = n * c / JOIN_CHUNKS; i < n * (c + 1) / JOIN_CHUNKS; i++) {
      uint64_t tag = jrow_tag(j, i);
      int64_t k = at[c * P.np + (int64_t)(jtag_home(j, tag) >> down)]++;
      P.rows[k] = (uint32_t)i, P.tags[k] = tag;
    }
  free(at);
  return P;
}

/* The rows' groups; their number */
static int64_t jgroups(cdrt_join *j, int64_t n, const jparts *P) {
  int64_t ng = 0;
  if (!P->rows) {
    for (int64_t i = 0; i < n; i++) ng += jinsert(j, i, jrow_tag(j, i));
    return ng;
  }
#pragma omp parallel for schedule(dynamic, 1) reduction(+ : ng)
  for (int64_t p = 0; p < P->np; p++)
    for (int64_t k = P->start[p]; k < P->start[p + 1]; k++)
      ng += jinsert(j, P->rows[k], P->tags[k]);
  return ng;
}

/* Keys that repeat: the columns the probes read (and the keys) gathered in group order,
 * each group's rows in row order; the slots' lo become their groups' first positions */
static void jgather(cdrt_join *j, const cdrt_frame *r, const jparts *P) {
  const cdrt_join_spec *sp = j->sp;
  int64_t n = r->n;
  /* each row's slot (in P's order), found while the slots' lo are their first rows */
  uint32_t *grp = cdrt_malloc((size_t)(n ? n : 1) * sizeof *grp);
  if (!P->rows) {
    for (int64_t i = 0; i < n; i++) grp[i] = (uint32_t)jslot_of(j, i, jrow_tag(j, i));
  } else {
#pragma omp parallel for schedule(dynamic, 1)
    for (int64_t p = 0; p < P->np; p++)
      for (int64_t k = P->start[p]; k < P->start[p + 1]; k++)
        grp[k] = (uint32_t)jslot_of(j, P->rows[k], P->tags[k]);
  }
  uint32_t off = 0;
  for (uint64_t at = 0; at <= j->mask; at++)
    if (j->slot[at].n) j->slot[at].lo = off, off += j->slot[at].n;
  /* each row's position: its group's next (lo counts up, then back) */
  uint32_t *pos = cdrt_malloc((size_t)(n ? n : 1) * sizeof *pos);
  if (!P->rows) {
    for (int64_t i = 0; i < n; i++) pos[i] = j->slot[grp[i]].lo++;
  } else {
#pragma omp parallel for schedule(dynamic, 1)
    for (int64_t p = 0; p < P->np; p++)
      for (int64_t k = P->start[p]; k < P->start[p + 1]; k++)
        pos[P->rows[k]] = j->slot[grp[k]].lo++;
  }
  free(grp);
#pragma omp parallel for schedule(static)
  for (uint64_t at = 0; at <= j->mask; at++) j->slot[at].lo -= j->slot[at].n;
  size_t bytes = 0;
  for (int c = 0; c < sp->nvals; c++)
    bytes += cdrt_col_bytes(r->cols[sp->vals[c]].type) * (size_t)n;
  for (int c = 0; c < sp->nkeys; c++) bytes += cdrt_col_bytes(sp->types[c]) * (size_t)n;
  cdrt_state_charge((int64_t)bytes, sp->what);
  j->bytes += (int64_t)bytes;
  char *at = j->owned = cdrt_alloc(bytes ? bytes : 1, sp->what);
  for (int c = 0; c < sp->nvals + sp->nkeys; c++) {
    const cdrt_column *col = &r->cols[c < sp->nvals ? sp->vals[c] : sp->rkeys[c - sp->nvals]];
    size_t w = cdrt_col_bytes(col->type);
    const char *in = col->data;
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < n; i++) memcpy(at + (size_t)pos[i] * w, in + (size_t)i * w, w);
    if (c < sp->nvals)
      j->val[sp->vals[c]] = at;
    else
      j->key[c - sp->nvals] = at;
    at += w * (size_t)n;
  }
  free(pos);
}

void cdrt_join_build(cdrt_join *j, const cdrt_frame *r, const cdrt_join_spec *sp) {
  int64_t n = r->n;
  if (n > (int64_t)INT32_MAX) /* a slot's index fits 32 bits */
    cdrt_fatal_all(CDRT_EXIT_MEMORY, "%s: merge: the right side has %lld rows, more than 2^31 - 1",
                   sp->where, (long long)n);
  memset(j, 0, sizeof *j);
  j->sp = sp;
  j->direct = sp->nkeys == 1 && sp->types[0] != CDRT_COL_STR;
  int bits = 4;
  while ((double)n > 0.7 * (double)((uint64_t)1 << bits)) bits++;
  j->shift = 64 - bits, j->mask = ((uint64_t)1 << bits) - 1;
  j->pmask = bits > JOIN_PART_BITS ? ((uint64_t)1 << JOIN_PART_BITS) - 1 : j->mask;
  j->hi = j->mask & ~j->pmask;
  size_t sbytes = ((size_t)1 << bits) * sizeof *j->slot;
  size_t tmp = (size_t)(n ? n : 1) * 5 * sizeof(uint32_t); /* rows, tags; slots, positions */
  cdrt_state_charge((int64_t)(sbytes + tmp), sp->what);
  j->bytes = (int64_t)sbytes;
  j->slot = cdrt_alloc(sbytes, sp->what);
  /* zeroed by the threads: the first touch of fresh pages is slow on some machines */
  enum { CHUNK = 1 << 21 };
#pragma omp parallel for schedule(static)
  for (size_t at = 0; at < sbytes; at += CHUNK)
    memset((char *)j->slot + at, 0, sbytes - at < CHUNK ? sbytes - at : CHUNK);
  j->key = cdrt_calloc((size_t)sp->nkeys + 1, sizeof *j->key);
  j->val = cdrt_calloc((size_t)r->ncols + 1, sizeof *j->val);
  for (int c = 0; c < sp->nkeys; c++) j->key[c] = r->cols[sp->rkeys[c]].data;
  for (int c = 0; c < sp->nvals; c++) j->val[sp->vals[c]] = r->cols[sp->vals[c]].data;
  jparts P = {1, NULL, NULL, NULL};
  if (bits > JOIN_PART_BITS) P = jscatter(j, n, bits);
  /* a partition of more rows than slots (keys that repeat, or hashes that crowd) could
   * fill up: then one partition of all the slots, filled by one thread (at most 0.7 full,
   * so a probe always meets an empty slot) */
  for (int64_t p = 0; P.rows && p < P.np; p++)
    if (P.start[p + 1] - P.start[p] >= (int64_t)j->pmask) {
      free(P.rows), free(P.tags), free(P.start);
      P = (jparts){1, NULL, NULL, NULL};
      j->pmask = j->mask, j->hi = 0;
    }
  j->ngroups = jgroups(j, n, &P);
  if (j->ngroups < n && sp->validate == CDRT_VALIDATE_M_1)
    cdrt_merge_not_unique(sp->where, sp->validate, 1, 0);
  /* unique keys: a slot's lo is its row, the runs index the frame's columns as they are */
  if (j->ngroups < n) jgather(j, r, &P);
  free(P.rows), free(P.tags), free(P.start);
  cdrt_state_refund((int64_t)tmp);
}

void cdrt_join_free(cdrt_join *j) {
  free(j->slot), free(j->owned), free(j->key), free(j->val);
  cdrt_state_refund(j->bytes);
  memset(j, 0, sizeof *j);
}
#endif
