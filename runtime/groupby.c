/* groupby.c: a block's groups (with CDRT_WITH_CSV): a hash table of key tuples, groups
 * numbered in order of first appearance, and per aggregation an array of states, one per
 * group. Blocks merge in block order (the groups keep the order in which the file first
 * shows them; float sums, variances and co-moments are exact sums, cdrt_gx), then
 * the result is made: the groups sorted by their keys (pandas' sort = True) or in order of
 * first appearance, the aggregates finished as pandas finishes them. */
#include "cdrt.h"

#ifdef CDRT_WITH_CSV
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* group g's aggregation a's state (g in order of first appearance) */
#define GB_STATE(t, a, g) cdrt_gb_state(t, cdrt_gb_rec(t, g), a)

static size_t gstate_size(int kind) {
  switch (kind) {
  case CDRT_G_COUNT: return sizeof(int64_t);
  case CDRT_G_SUMI: return sizeof(cdrt_gsumi);
  case CDRT_G_ADDI: return sizeof(uint64_t);
  case CDRT_G_SUMF: return sizeof(cdrt_gsumf);
  case CDRT_G_ADDF: return sizeof(cdrt_gx);
  case CDRT_G_VAR: return sizeof(cdrt_gvar);
  case CDRT_G_PICKI:
  case CDRT_G_PICKF: return sizeof(cdrt_gpick);
  case CDRT_G_PICKS: return sizeof(cdrt_gpicks);
  case CDRT_G_VALI:
  case CDRT_G_VALF: return sizeof(cdrt_gvals);
  case CDRT_G_CORR: return sizeof(cdrt_gcorr);
  case CDRT_G_CORRI: return sizeof(cdrt_gcorri);
  case CDRT_G_VARI: return sizeof(cdrt_gvari);
  case CDRT_G_SUMT: return sizeof(cdrt_gsumt);
  default: return 8;
  }
}

/* A string key in a record (gb_skey): 24 bytes, not cdrt_gkey's 32 */
static size_t gkey_size(int type) {
  return type == CDRT_COL_STR ? 24 : 8;
}

/* Whether a result's tables keep a dense index: one or two keys, integers (not floats nor
 * strings); emit_rows.c's gb_dense asks the same */
int cdrt_gb_spec_dense(const cdrt_gb_spec *sp) {
  if (sp->nkeys < 1 || sp->nkeys > 2) return 0;
  for (int i = 0; i < sp->nkeys; i++)
    if (sp->ktypes[i] == CDRT_COL_STR || sp->ktypes[i] == CDRT_COL_FLOAT64) return 0;
  return 1;
}

/* Whether a record keeps its keys' hash: when hashing them again would read strings */
static bool gb_keeps_hash(const cdrt_gb_spec *sp) {
  for (int i = 0; i < sp->nkeys; i++)
    if (sp->ktypes[i] == CDRT_COL_STR) return true;
  return false;
}

/* A group's record: its hash (gb_keeps_hash), its keys, then each aggregation's state (8-byte
 * aligned). A record of at most 64 bytes is padded to a power of two, so that (in an array of them
 * that starts on a cache line) it never straddles two lines. */
void cdrt_gb_init(cdrt_gb *t, const cdrt_gb_spec *spec) {
  memset(t, 0, sizeof *t);
  t->spec = spec;
  t->koff = cdrt_calloc((size_t)spec->nkeys + 1, sizeof *t->koff);
  t->aoff = cdrt_calloc((size_t)spec->naggs + 1, sizeof *t->aoff);
  t->vlog = cdrt_calloc((size_t)spec->naggs + 1, sizeof *t->vlog);
  size_t at = gb_keeps_hash(spec) ? sizeof(uint64_t) : 0;
  for (int i = 0; i < spec->nkeys; i++) {
    t->koff[i] = (int64_t)at;
    at += gkey_size(spec->ktypes[i]);
  }
  for (int a = 0; a < spec->naggs; a++) {
    t->aoff[a] = (int64_t)at;
    at += (gstate_size(spec->kinds[a]) + 7) / 8 * 8;
  }
  size_t pad = 16;
  while (pad < at && pad < 64) pad *= 2;
  t->stride = (int64_t)(at <= 64 ? pad : at);
  if (cdrt_gb_spec_dense(spec)) {
    int64_t h = spec->hint ? __atomic_load_n(&spec->hint[1], __ATOMIC_RELAXED) : 0;
    t->ndense = h > CDRT_GB_DENSE ? h : CDRT_GB_DENSE;
    t->dense = cdrt_calloc((size_t)t->ndense, sizeof *t->dense);
  }
}

static bool gb_kind_vals(int kind) {
  return kind == CDRT_G_VALI || kind == CDRT_G_VALF;
}

/* The value arena's blocks: the first word of each links to the one before, the second is
 * its bytes (charged to the memory limit) */
enum { GV_FIRST = 16 << 10, GV_MOST = 8 << 20 };

static void gvals_arena_free(cdrt_gb *t) {
  for (void *k = t->vblocks, *next; k; k = next) {
    int64_t bytes;
    memcpy(&next, k, sizeof next);
    memcpy(&bytes, (char *)k + 8, 8);
    free(k);
    cdrt_state_refund(bytes);
  }
  t->vblocks = NULL, t->vat = t->vend = NULL, t->vnext = 0;
}

/* A log's values, then its ids, in one block of cdrt_table_take's (a block's log is about
 * the size of the one before: reused memory, not fresh pages, and no doubling steps) */
static int64_t gvlog_hint;

static void gvlog_free(cdrt_gvlog *l) {
  cdrt_table_give(l->v, (size_t)l->bytes);
  memset(l, 0, sizeof *l);
}

void cdrt_gvlog_grow(cdrt_gvlog *l, const char *what) {
  int64_t hint = __atomic_load_n(&gvlog_hint, __ATOMIC_RELAXED);
  int64_t cap = l->cap ? 2 * l->cap : hint > 4096 ? hint : 4096;
  size_t got;
  int64_t *v = cdrt_table_take_raw((size_t)cap * 12, &got, what ? what : "a groupby's values");
  int32_t *id = (int32_t *)(void *)(v + cap);
  if (l->n) memcpy(v, l->v, (size_t)l->n * 8), memcpy(id, l->id, (size_t)l->n * 4);
  if (l->v) cdrt_table_give(l->v, (size_t)l->bytes);
  l->v = v, l->id = id, l->cap = cap, l->bytes = (int64_t)got;
}

/* A new arena block of `bytes` (from 2 MB on, of huge pages: it is written once, all of it) */
static void gvals_block(cdrt_gb *t, int64_t bytes) {
  cdrt_state_charge(bytes, t->what);
  char *k = cdrt_alloc_huge((size_t)bytes, "a groupby's value lists");
  memcpy(k, &t->vblocks, sizeof t->vblocks);
  memcpy(k + 8, &bytes, 8);
  t->vblocks = k, t->vat = k + 16, t->vend = k + bytes;
}

cdrt_gchunk *cdrt_gvals_chunk(cdrt_gvals *a, cdrt_gb *t, int64_t room) {
  size_t need = sizeof(cdrt_gchunk) + (size_t)room * 8;
  if (!t->vat || (size_t)(t->vend - t->vat) < need) {
    int64_t bytes = t->vnext ? t->vnext : GV_FIRST;
    while ((size_t)bytes < need + 16) bytes *= 2;
    t->vnext = bytes * 2 > GV_MOST ? (bytes > GV_MOST ? bytes : GV_MOST) : bytes * 2;
    gvals_block(t, bytes);
  }
  cdrt_gchunk *c = (cdrt_gchunk *)(void *)t->vat;
  t->vat += need;
  c->next = NULL, c->n = 0, c->cap = (int32_t)room;
  if (a->tail)
    a->tail->next = c;
  else
    a->head = c;
  a->tail = c;
  return c;
}

void cdrt_gb_seal(cdrt_gb *t) {
  const cdrt_gb_spec *sp = t->spec;
  for (int a = 0; t->vlog && a < sp->naggs; a++) {
    cdrt_gvlog *l = &t->vlog[a];
    if (!l->n) continue;
    /* one arena block for them all, its chunks full from the start: each group's next
     * place (a block's chunks lie together, in group order) */
    int64_t need = 16;
    for (int64_t g = 0; g < t->n; g++) {
      cdrt_gvals *s = (cdrt_gvals *)GB_STATE(t, a, g);
      if (s->n && !s->head) need += (int64_t)sizeof(cdrt_gchunk) + s->n * 8;
    }
    if (!t->vat || t->vend - t->vat < need) gvals_block(t, need);
    int64_t **at = cdrt_malloc((size_t)l->ngroups * sizeof *at);
    for (int64_t g = 0; g < t->n; g++) {
      cdrt_gvals *s = (cdrt_gvals *)GB_STATE(t, a, g);
      if (!s->n || s->head) continue;
      cdrt_gchunk *c = cdrt_gvals_chunk(s, t, s->n);
      c->n = (int32_t)s->n, at[s->id] = c->v;
    }
    for (int64_t i = 0; i < l->n; i++) *at[l->id[i]]++ = l->v[i];
    free(at);
    cdrt_hint_raise(&gvlog_hint, l->n);
    gvlog_free(l);
  }
}

void cdrt_gb_free(cdrt_gb *t) {
  for (int a = 0; t->vlog && a < t->spec->naggs; a++) gvlog_free(&t->vlog[a]);
  free(t->vlog), t->vlog = NULL;
  gvals_arena_free(t);
  free(t->koff), free(t->aoff), free(t->dense);
  t->dense = NULL, t->ndense = 0;
  if (t->total)
    cdrt_map_free(t->rec, t->rec_bytes), cdrt_state_refund((int64_t)t->rec_bytes);
  else
    cdrt_table_give(t->rec, t->rec_bytes);
  cdrt_table_give(t->slot, t->slot_bytes);
  cdrt_bytes_free(&t->bytes);
  cdrt_xpool_free(&t->spill);
  t->koff = t->aoff = NULL, t->rec = NULL, t->slot = NULL;
  t->rec_bytes = t->slot_bytes = t->faulted = 0, t->n = t->nslot = 0;
}

/* A string key of at most GB_INLINE bytes is not copied: its bytes are its cdrt_gkey's i
 * and j, in order on a little-endian machine (cdrt_gkey_word), kept in the record. q10's six keys,
 * three of them strings, are a group per row: a copy of each string would be fresh memory for every
 * block's table and the total's. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define GB_INLINE 16
#else
#define GB_INLINE 0
#endif

/* A string key as a record holds it: its first eight bytes (cdrt_gkey's i), then bytes 8
 * to 16 (j) if it has at most GB_INLINE bytes, else where the table keeps its copy, then its
 * length (-1: missing). A cdrt_gkey's pointer, 8 bytes more, was NULL in every inline key:
 * q10's records, three string keys and 10^7 of them, are 24 bytes smaller. */
typedef struct {
  int64_t i;
  union {
    int64_t j;
    const char *p;
  } u;
  int64_t n;
} gb_skey;

_Static_assert(sizeof(gb_skey) == 24, "gkey_size's string keys");

static bool gb_skey_inline(int64_t n) {
  return n <= GB_INLINE; /* (a missing one too: n -1) */
}

cdrt_gkey cdrt_gb_key(const cdrt_gb *t, const char *r, int i) {
  cdrt_gkey k = {0, 0, {NULL, 0}};
  const char *at = r + t->koff[i];
  if (t->spec->ktypes[i] != CDRT_COL_STR) {
    memcpy(&k.i, at, 8);
    return k;
  }
  gb_skey x;
  memcpy(&x, at, sizeof x);
  k.i = x.i, k.s.n = x.n;
  if (gb_skey_inline(x.n)) {
    k.j = x.u.j;
    k.s.p = x.n >= 0 ? at : NULL;
  } else {
    k.s.p = x.u.p;
    if (x.n > 8) k.j = (int64_t)cdrt_gkey_word(x.u.p + 8, x.n < 16 ? x.n - 8 : 8);
  }
  return k;
}

uint64_t cdrt_gb_rec_hash(const cdrt_gb *t, const char *r) {
  uint64_t h;
  if (t->koff[0] == 0) { /* not kept: numbers only */
    cdrt_gkey k[CDRT_GB_MAXKEYS];
    for (int i = 0; i < t->spec->nkeys; i++) memcpy(&k[i].i, r + t->koff[i], 8);
    return cdrt_gb_hash(t->spec, k);
  }
  memcpy(&h, r, 8);
  return h;
}

/* The groups a table of nslot slots takes before it grows. A block's table is probed for
 * every row: half full, a probe mostly ends at its first slot. The total's is probed once
 * per block's group and can be the biggest memory of a run (q10: 10^7 groups, 2^25 slots,
 * 268 MB touched afresh); three quarters full it has half the slots. */
static int64_t gb_capacity(const cdrt_gb *t, int64_t nslot) {
  return t->total ? nslot / 4 * 3 : nslot / 2;
}

static void map_lock(cdrt_gb *t) {
  while (__atomic_test_and_set(&t->map_lock, __ATOMIC_ACQUIRE)) continue;
}
static void map_unlock(cdrt_gb *t) {
  __atomic_clear(&t->map_lock, __ATOMIC_RELEASE);
}

/* A total's records are pages the kernel zeroes (and this project's VMs back afresh) as the
 * merge first writes them: q10's 1.6 GB were a third of its samples, all on the one thread
 * that merges, while the scanning thread waited for it. That thread now faults in the
 * records the merge will write next, 4 MB a call and at most 128 MB ahead of the groups
 * (never past the mapping, which the memory limit has counted already). Faulting in
 * changes no byte, so it runs beside the merge's writes; the lock keeps it off a mapping
 * that cdrt_map_grow is moving. */
int cdrt_gb_prefault(cdrt_gb *t) {
  enum { STEP = 4 << 20, AHEAD = 128 << 20 };
  if (!t->total || __atomic_test_and_set(&t->map_lock, __ATOMIC_ACQUIRE)) return 0;
  size_t used = (size_t)__atomic_load_n(&t->n, __ATOMIC_RELAXED) * (size_t)t->stride;
  size_t from = (used + STEP - 1) / STEP * STEP; /* (the mapping's start is a page's) */
  if (from < t->faulted) from = t->faulted;
  size_t end = from + STEP < t->rec_bytes ? from + STEP : t->rec_bytes; /* (pages) */
  int did = from < used + AHEAD && from < end && cdrt_map_populate(t->rec + from, end - from);
  if (did) t->faulted = end;
  map_unlock(t);
  return did;
}

/* Room for gb_capacity's records, the groups' kept. A block's come from the pool (the next
 * block's table reuses them; cdrt_table_take's big blocks get huge pages: a row's random
 * access to megabytes would otherwise miss the TLB as well as the cache); the total's grow
 * without being copied (cdrt_map_grow). Records are zeroed as groups are added, not here. */
static void gb_alloc_records(cdrt_gb *t, int64_t nslot, const char *what) {
  size_t need = (size_t)gb_capacity(t, nslot) * (size_t)t->stride, got;
  if (t->total) {
    size_t had = t->rec_bytes;
    map_lock(t); /* (cdrt_gb_prefault may be faulting in the old mapping) */
    t->rec = cdrt_map_grow(t->rec, &t->rec_bytes, need, what);
    map_unlock(t);
    cdrt_state_charge((int64_t)t->rec_bytes - (int64_t)had, what);
    return;
  }
  char *r = cdrt_table_take_raw(need, &got, what);
  if (t->n) memcpy(r, t->rec, (size_t)t->n * (size_t)t->stride);
  cdrt_table_give(t->rec, t->rec_bytes);
  t->rec = r, t->rec_bytes = got;
}

static uint64_t gb_slot(int64_t g, uint64_t h) {
  return (uint64_t)g << 32 | cdrt_gb_tag(h);
}

/* A new table's slots: as many as the result's biggest table had, so that the blocks after
 * the first few need not grow theirs step by step (rehashing every group at each step).
 * Another thread's table may be growing: the hint is read and raised atomically. */
static int64_t gb_first_size(const cdrt_gb *t) {
  int64_t h = t->spec->hint ? __atomic_load_n(t->spec->hint, __ATOMIC_RELAXED) : 0;
  return h > 64 ? h : 64;
}

static void gb_note_size(const cdrt_gb *t) {
  if (t->spec->hint) cdrt_hint_raise(t->spec->hint, t->nslot);
}

/* Twice the slots (the first time, the hint's) and room for gb_capacity's records: the
 * groups keep their numbers; the index is made again from the old slots (their tags) */
static void gb_grow(cdrt_gb *t) {
  const char *what = t->what ? t->what : "a groupby's hash table";
  int64_t nslot = t->nslot ? t->nslot * 2 : gb_first_size(t), old = t->nslot;
  if (nslot > INT64_C(1) << 31) /* (the tag's lowest bit would be part of a home slot) */
    cdrt_fatal(CDRT_EXIT_MEMORY, "%s: more than 2^30 groups in one table", what);
  gb_alloc_records(t, nslot, what);
  uint64_t *from = t->slot;
  size_t from_bytes = t->slot_bytes;
  t->slot = cdrt_table_take((size_t)nslot * sizeof *t->slot, &t->slot_bytes, what);
  t->nslot = nslot;
  t->shift = 64 - __builtin_ctzll((uint64_t)nslot);
  /* a block's size: the total's would make every block's table the result's size */
  if (!t->total) gb_note_size(t);
  uint64_t m = (uint64_t)nslot - 1;
  for (int64_t i = 0; i < old; i++) { /* the old slots in order: homes nearly in order */
    uint64_t v = from[i];
    if (!v) continue;
    uint64_t s = (v << 32) >> t->shift; /* the tag's bits are the hash's high bits */
    while (t->slot[s]) s = (s + 1) & m;
    t->slot[s] = v;
  }
  cdrt_table_give(from, from_bytes);
}

static bool gb_equal(const cdrt_gb *t, const char *r, const cdrt_gkey *k) {
  const cdrt_gb_spec *sp = t->spec;
  for (int i = 0; i < sp->nkeys; i++) {
    const char *at = r + t->koff[i];
    int64_t v;
    memcpy(&v, at, 8);
    if (v != k[i].i) return false; /* numbers; a string's first eight bytes */
    if (sp->ktypes[i] != CDRT_COL_STR) continue;
    gb_skey x;
    memcpy(&x, at, sizeof x);
    int64_t n = k[i].s.n;
    if (x.n != n) return false; /* (n -1: missing) */
    if (gb_skey_inline(n) ? x.u.j != k[i].j
                          : n > 8 && memcmp(x.u.p + 8, k[i].s.p + 8, (size_t)(n - 8)) != 0)
      return false;
  }
  return true;
}

int64_t cdrt_f64_key(double x) {
  int64_t k;
  if (x == 0) x = 0;
  memcpy(&k, &x, 8);
  return k;
}

/* The dense key of the record r's keys */
static int64_t gb_rec_dense_key(const cdrt_gb *t, const char *r) {
  cdrt_gkey k[2] = {cdrt_gb_key(t, r, 0), {0, 0, {NULL, 0}}};
  if (t->spec->nkeys == 2) k[1] = cdrt_gb_key(t, r, 1);
  return cdrt_gb_dense_key(t->spec, k);
}

/* The dense index after group t->n - 1 (key k) was added: k's entry, the index doubled to
 * cover k first if it stays small against the groups (a key domain such as 1..10^5 is
 * covered once a few thousand of its keys are seen; sparse keys stay hashed). The groups
 * added before, whose keys the new part covers, are entered from their records. */
static void gb_dense_cover(cdrt_gb *t, int64_t k) {
  if ((uint64_t)k >= (uint64_t)t->ndense) {
    if (k < 0 || k >= CDRT_GB_DENSE_MAX) return;
    int64_t want = t->ndense;
    while (want <= k) want *= 2;
    if (want > CDRT_GB_DENSE_SPARSE * t->n) return;
    t->dense = cdrt_realloc(t->dense, (size_t)want * sizeof *t->dense);
    memset(t->dense + t->ndense, 0, (size_t)(want - t->ndense) * sizeof *t->dense);
    int64_t from = t->ndense;
    t->ndense = want;
    if (!t->total && t->spec->hint) cdrt_hint_raise(&t->spec->hint[1], want);
    for (int64_t g = 0; g < t->n - 1; g++) {
      int64_t key = gb_rec_dense_key(t, cdrt_gb_rec(t, g));
      if (key >= from && key < want) t->dense[key] = (uint32_t)(g + 1);
    }
  }
  t->dense[k] = (uint32_t)t->n;
}

/* A new group, the next record, named by the empty slot s: its hash, its keys (strings
 * copied into the table's bytes); its states are zero */
static char *gb_insert(cdrt_gb *t, int64_t s, const cdrt_gkey *k, uint64_t h) {
  if (t->n == (int64_t)UINT32_MAX) /* a slot has 32 bits for the group's number */
    cdrt_fatal(CDRT_EXIT_MEMORY, "%s: more than %lld groups in one table",
               t->what ? t->what : "a groupby", (long long)UINT32_MAX);
  char *r = cdrt_gb_rec(t, t->n);
  memset(r, 0, (size_t)t->stride);
  if (t->koff[0]) memcpy(r, &h, 8);
  for (int i = 0; i < t->spec->nkeys; i++) {
    if (t->spec->ktypes[i] != CDRT_COL_STR) {
      memcpy(r + t->koff[i], &k[i].i, 8);
      continue;
    }
    gb_skey c = {.i = k[i].i, .u.j = k[i].j, .n = k[i].s.n};
    if (!gb_skey_inline(c.n)) { /* kept by the table; its bytes are not in i and j */
      t->bytes.what = t->what;
      char *copy = cdrt_bytes_alloc(&t->bytes, (size_t)c.n);
      memcpy(copy, k[i].s.p, (size_t)c.n);
      c.u.p = copy;
    }
    memcpy(r + t->koff[i], &c, sizeof c);
  }
  t->slot[s] = gb_slot(t->n++, h);
  if (t->dense) gb_dense_cover(t, cdrt_gb_dense_key(t->spec, k));
  return r;
}

/* The group of keys k whose hash is h (cdrt_gb_hash: its low bit is set, 0 marks an empty
 * slot) */
char *cdrt_gb_find_hashed(cdrt_gb *t, const cdrt_gkey *k, uint64_t h) {
  if (t->n + 1 > gb_capacity(t, t->nslot)) gb_grow(t);
  uint64_t m = (uint64_t)t->nslot - 1;
  for (uint64_t s = h >> t->shift;; s = (s + 1) & m) {
    uint64_t v = t->slot[s];
    if (!v) return gb_insert(t, (int64_t)s, k, h);
    if ((uint32_t)v != cdrt_gb_tag(h)) continue;
    char *r = cdrt_gb_rec(t, (int64_t)(v >> 32));
    if ((!t->koff[0] || cdrt_gb_rec_hash(t, r) == h) && gb_equal(t, r, k)) return r;
  }
}

/* y's note of values after x's */
static void note_merge(double *xf, uint8_t *xv, int64_t xn, double yf, uint8_t yv, int64_t yn) {
  if (!yn) return;
  *xv |= yv;
  cdrt_gnote(xf, xv, xn, yf);
}

static cdrt_dd gx_dd(const cdrt_gx *a, const cdrt_xpool *p) {
  cdrt_dd d;
  cdrt_gx_round2(a, p, &d.hi, &d.lo);
  return d;
}

/* The sum of products as hi + lo from the exact sums of their roundings and errors */
static cdrt_dd gx_dd_product(const cdrt_gx *hi, const cdrt_gx *lo, const cdrt_xpool *p) {
  return cdrt_dd_add(gx_dd(hi, p), gx_dd(lo, p));
}

double cdrt_gvar_final(const cdrt_gvar *a, const cdrt_xpool *p, int what) {
  double f = a->n > 1 ? 0.0 : NAN;
  if (a->n > 1 && a->varied)
    f = cdrt_var_from_sums(a->n, gx_dd(&a->m[CDRT_GV_X], p),
                           gx_dd_product(&a->m[CDRT_GV_XXH], &a->m[CDRT_GV_XXL], p), 1);
  return what == CDRT_AGG_STD ? sqrt(f) : f;
}

/* Pearson's r (NaN below two pairs or for a constant column) */
double cdrt_gcorr_final(const cdrt_gcorr *a, const cdrt_xpool *p) {
  if (a->n < 2 || !a->varied[0] || !a->varied[1]) return NAN;
  const cdrt_gx *m = a->m;
  return cdrt_corr_from_sums(a->n, gx_dd(&m[CDRT_GC_X], p), gx_dd(&m[CDRT_GC_Y], p),
                             gx_dd_product(&m[CDRT_GC_XXH], &m[CDRT_GC_XXL], p),
                             gx_dd_product(&m[CDRT_GC_YYH], &m[CDRT_GC_YYL], p),
                             gx_dd_product(&m[CDRT_GC_XYH], &m[CDRT_GC_XYL], p));
}

/* The integer sum b (its 128 bits and its third word, bc) added to a's */
static void s192_merge(uint64_t a[2], int64_t *ac, const uint64_t b[2], int64_t bc) {
  __int128 y;
  memcpy(&y, b, 16);
  cdrt_s128_add(a, ac, y);
  *ac += bc;
}

void cdrt_gcorri_merge(cdrt_gcorri *a, const cdrt_gcorri *b) {
  for (int v = 0; v < 2; v++)
    note_merge(&a->first[v], &a->varied[v], a->n, b->first[v], b->varied[v], b->n);
  a->n += b->n;
  int64_t none = 0; /* the sums of x and y: below 2^127 */
  for (int i = 0; i < CDRT_GC_XXH; i++) s192_merge(a->s[i], &none, b->s[i], 0);
  for (int i = CDRT_GC_XXH; i < CDRT_GC_XXL; i++)
    s192_merge(a->s[i], &a->carry[i - CDRT_GC_XXH], b->s[i], b->carry[i - CDRT_GC_XXH]);
}

/* The integer carry x 2^128 + s (s signed: its high word's top bit is its sign) into the
 * exact sum m: six pieces of 32 bits, each exactly a double. The low word is unsigned, the
 * upper two words signed: each word's high half is signed but the low word's. */
static void gx_add_s192(cdrt_gx *m, const uint64_t s[2], int64_t carry, cdrt_xpool *p) {
  const uint64_t words[3] = {s[0], s[1], (uint64_t)carry};
  for (int w = 0; w < 3; w++) {
    uint64_t u = words[w];
    double high = w ? (double)(int32_t)(uint32_t)(u >> 32) : (double)(uint32_t)(u >> 32);
    cdrt_gx_add(m, ldexp((double)(uint32_t)u, 64 * w), p);
    cdrt_gx_add(m, ldexp(high, 64 * w + 32), p);
  }
}

double cdrt_gcorri_final(const cdrt_gcorri *a) {
  cdrt_gcorr c = {.n = a->n};
  for (int v = 0; v < 2; v++) c.first[v] = a->first[v], c.varied[v] = a->varied[v];
  cdrt_xpool pool = {0};
  for (int i = 0; i < CDRT_GC_XXL; i++)
    gx_add_s192(&c.m[i], a->s[i], i < CDRT_GC_XXH ? 0 : a->carry[i - CDRT_GC_XXH], &pool);
  double r = cdrt_gcorr_final(&c, &pool);
  cdrt_xpool_free(&pool);
  return r;
}

void cdrt_gvari_merge(cdrt_gvari *a, const cdrt_gvari *b) {
  note_merge(&a->first, &a->varied, a->n, b->first, b->varied, b->n);
  a->n += b->n;
  int64_t none = 0; /* the sum of x: below 2^127 */
  s192_merge(a->s[0], &none, b->s[0], 0);
  s192_merge(a->s[1], &a->carry, b->s[1], b->carry);
}

double cdrt_gvari_final(const cdrt_gvari *a, int what) {
  cdrt_gvar v = {.n = a->n, .first = a->first, .varied = a->varied};
  cdrt_xpool pool = {0};
  gx_add_s192(&v.m[CDRT_GV_X], a->s[0], 0, &pool);
  gx_add_s192(&v.m[CDRT_GV_XXH], a->s[1], a->carry, &pool);
  double f = cdrt_gvar_final(&v, &pool, what);
  cdrt_xpool_free(&pool);
  return f;
}

int cdrt_gstate_sums(int kind, void *s, cdrt_gx **sums) {
  switch (kind) {
  case CDRT_G_SUMF: *sums = ((cdrt_gsumf *)s)->m; return 1;
  case CDRT_G_ADDF: *sums = (cdrt_gx *)s; return 1;
  case CDRT_G_VAR: *sums = ((cdrt_gvar *)s)->m; return CDRT_GV_N;
  case CDRT_G_CORR: *sums = ((cdrt_gcorr *)s)->m; return CDRT_GC_N;
  default: *sums = NULL; return 0;
  }
}

static bool pick_better(int kind, int what, const void *cur, int64_t ncur, const void *x) {
  if (!ncur) return true;
  if (what == CDRT_AGG_FIRST) return false;
  if (what == CDRT_AGG_LAST) return true;
  int c;
  if (kind == CDRT_G_PICKS)
    c = cdrt_str_cmp(*(const cdrt_str *)x, *(const cdrt_str *)cur);
  else if (kind == CDRT_G_PICKF) {
    double a = *(const double *)x, b = *(const double *)cur;
    c = a < b || (a == b && signbit(a) && !signbit(b)) ? -1
        : a == b && signbit(a) == signbit(b)           ? 0
                                                       : 1;
  } else {
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)cur;
    c = (a > b) - (a < b);
  }
  return what == CDRT_AGG_MIN ? c < 0 : c > 0;
}

void cdrt_gpick_i64(cdrt_gpick *a, int what, int64_t x) {
  if (pick_better(CDRT_G_PICKI, what, &a->i, a->n, &x)) a->i = x;
  a->n++;
}
void cdrt_gpick_f64(cdrt_gpick *a, int what, double x) {
  if (pick_better(CDRT_G_PICKF, what, &a->f, a->n, &x)) a->f = x;
  a->n++;
}
void cdrt_gpick_str(cdrt_gpicks *a, int what, cdrt_str x) {
  if (pick_better(CDRT_G_PICKS, what, &a->s, a->n, &x)) a->s = x;
  a->n++;
}

/* y's values after x's: their chains linked (the arena of y's table goes to x's with the
 * merge) */
static void gvals_merge(cdrt_gvals *x, cdrt_gvals *y) {
  if (!y->n) return;
  if (!x->n)
    *x = *y;
  else
    x->tail->next = y->head, x->tail = y->tail, x->n += y->n;
  *y = (cdrt_gvals){0, 0, NULL, NULL};
}

/* b's value arena joins t's (b's lists now lie in t's chains) */
static void gvals_arena_take(cdrt_gb *t, cdrt_gb *b) {
  if (!b->vblocks) return;
  void *last = b->vblocks, *next;
  for (;;) {
    memcpy(&next, last, sizeof next);
    if (!next) break;
    last = next;
  }
  memcpy(last, &t->vblocks, sizeof t->vblocks);
  t->vblocks = b->vblocks;
  b->vblocks = NULL, b->vat = b->vend = NULL;
}

/* b's groups into t, in b's order; each state merged as block b comes after t's */
void cdrt_gb_merge(cdrt_gb *t, cdrt_gb *b) {
  const cdrt_gb_spec *sp = t->spec;
  cdrt_gkey k[CDRT_GB_MAXKEYS];
  cdrt_gb_seal(b); /* (done at each block's end already; a total never logs values) */
  for (int64_t g = 0; g < b->n; g++) {
    /* b's records are read in order; their slots (or dense entries) and records in t lie
     * anywhere: fetched ahead, the slot 16 groups ahead, the record it names 8 ahead */
    if (t->dense) {
      if (g + 16 < b->n) (void)cdrt_gb_dense_ahead(t, gb_rec_dense_key(b, cdrt_gb_rec(b, g + 16)));
      int64_t ahead =
          g + 8 < b->n ? cdrt_gb_dense(t, gb_rec_dense_key(b, cdrt_gb_rec(b, g + 8))) : -1;
      if (ahead >= 0) cdrt_gb_prefetch_group(t, ahead);
    } else {
      if (g + 16 < b->n) cdrt_gb_prefetch(t, cdrt_gb_rec_hash(b, cdrt_gb_rec(b, g + 16)));
      if (g + 8 < b->n) cdrt_gb_prefetch_rec(t, cdrt_gb_rec_hash(b, cdrt_gb_rec(b, g + 8)));
    }
    const char *r = cdrt_gb_rec(b, g);
    for (int i = 0; i < sp->nkeys; i++) k[i] = cdrt_gb_key(b, r, i);
    /* a key the dense index covers is in it, or new to t (then found and added below) */
    int64_t dg = t->dense ? cdrt_gb_dense(t, cdrt_gb_dense_key(sp, k)) : -1;
    char *d = dg >= 0 ? cdrt_gb_rec(t, dg) : cdrt_gb_find_hashed(t, k, cdrt_gb_rec_hash(b, r));
    for (int a = 0; a < sp->naggs; a++) {
      switch (sp->kinds[a]) {
      case CDRT_G_COUNT:
      case CDRT_G_ADDI: /* (a sum of int64 wraps as NumPy's) */
        (*(uint64_t *)cdrt_gb_state(t, d, a)) += (*(const uint64_t *)GB_STATE(b, a, g));
        break;
      case CDRT_G_SUMI: {
        cdrt_gsumi *x = (cdrt_gsumi *)cdrt_gb_state(t, d, a);
        const cdrt_gsumi *y = (const cdrt_gsumi *)GB_STATE(b, a, g);
        x->n += y->n, x->s += y->s;
        break;
      }
      case CDRT_G_ADDF: {
        cdrt_gx *x = (cdrt_gx *)cdrt_gb_state(t, d, a);
        const cdrt_gx *y = (const cdrt_gx *)GB_STATE(b, a, g);
        if (!(x->limb[0] | x->limb[1] | x->limb[2] | x->limb[3] | x->spill | y->spill))
          *x = *y; /* x's sum is 0 (a group new to t: most of q10's): a copy */
        else
          cdrt_gx_merge(x, &t->spill, y, &b->spill);
        break;
      }
      case CDRT_G_SUMF: {
        cdrt_gsumf *x = (cdrt_gsumf *)cdrt_gb_state(t, d, a);
        const cdrt_gsumf *y = (const cdrt_gsumf *)GB_STATE(b, a, g);
        if (!x->n && !y->m[0].spill) { /* a group new to t (q10: most): a copy */
          *x = *y;
          break;
        }
        x->n += y->n;
        cdrt_gx_merge(&x->m[0], &t->spill, &y->m[0], &b->spill);
        break;
      }
      case CDRT_G_VAR: {
        cdrt_gvar *x = (cdrt_gvar *)cdrt_gb_state(t, d, a);
        const cdrt_gvar *y = (const cdrt_gvar *)GB_STATE(b, a, g);
        note_merge(&x->first, &x->varied, x->n, y->first, y->varied, y->n);
        x->n += y->n;
        for (int i = 0; i < CDRT_GV_N; i++) cdrt_gx_merge(&x->m[i], &t->spill, &y->m[i], &b->spill);
        break;
      }
      case CDRT_G_PICKI:
      case CDRT_G_PICKF: {
        cdrt_gpick *x = (cdrt_gpick *)cdrt_gb_state(t, d, a);
        const cdrt_gpick *y = (const cdrt_gpick *)GB_STATE(b, a, g);
        if (y->n &&
            pick_better(sp->kinds[a], sp->what[a],
                        sp->kinds[a] == CDRT_G_PICKI ? (const void *)&x->i : (const void *)&x->f,
                        x->n,
                        sp->kinds[a] == CDRT_G_PICKI ? (const void *)&y->i : (const void *)&y->f))
          x->i = y->i, x->f = y->f;
        x->n += y->n;
        break;
      }
      case CDRT_G_PICKS: {
        cdrt_gpicks *x = (cdrt_gpicks *)cdrt_gb_state(t, d, a);
        const cdrt_gpicks *y = (const cdrt_gpicks *)GB_STATE(b, a, g);
        if (y->n && pick_better(CDRT_G_PICKS, sp->what[a], &x->s, x->n, &y->s)) x->s = y->s;
        x->n += y->n;
        break;
      }
      case CDRT_G_VALI:
      case CDRT_G_VALF:
        gvals_merge((cdrt_gvals *)cdrt_gb_state(t, d, a), (cdrt_gvals *)GB_STATE(b, a, g));
        break;
      case CDRT_G_CORR: {
        cdrt_gcorr *x = (cdrt_gcorr *)cdrt_gb_state(t, d, a);
        const cdrt_gcorr *y = (const cdrt_gcorr *)GB_STATE(b, a, g);
        for (int v = 0; v < 2; v++)
          note_merge(&x->first[v], &x->varied[v], x->n, y->first[v], y->varied[v], y->n);
        x->n += y->n;
        for (int i = 0; i < CDRT_GC_N; i++) cdrt_gx_merge(&x->m[i], &t->spill, &y->m[i], &b->spill);
        break;
      }
      case CDRT_G_VARI:
        cdrt_gvari_merge((cdrt_gvari *)cdrt_gb_state(t, d, a),
                         (const cdrt_gvari *)GB_STATE(b, a, g));
        break;
      case CDRT_G_CORRI:
        cdrt_gcorri_merge((cdrt_gcorri *)cdrt_gb_state(t, d, a),
                          (const cdrt_gcorri *)GB_STATE(b, a, g));
        break;
      case CDRT_G_SUMT: {
        cdrt_gsumt *x = (cdrt_gsumt *)cdrt_gb_state(t, d, a);
        const cdrt_gsumt *y = (const cdrt_gsumt *)GB_STATE(b, a, g);
        __int128 v;
        int64_t none = 0; /* n values of 2^63 are below 2^127 */
        __builtin_memcpy(&v, y->s, 16);
        x->n += y->n, cdrt_s128_add(x->s, &none, v);
        break;
      }
      default: break;
      }
    }
  }
  gvals_arena_take(t, b);
}

/* A row of the result's columns, in bytes */
static int64_t gb_row_bytes(const cdrt_gb *t) {
  int64_t row = 0;
  for (int i = 0; i < t->spec->nkeys; i++) row += (int64_t)cdrt_col_bytes(t->spec->ktypes[i]);
  for (int a = 0; a < t->spec->naggs; a++) row += (int64_t)cdrt_col_bytes(t->spec->rtypes[a]);
  return row;
}

/* -1, 0, 1: the key tuples of groups g and h in pandas' sort order */
static int gb_cmp(const cdrt_gb *t, int64_t g, int64_t h) {
  const cdrt_gb_spec *sp = t->spec;
  for (int i = 0; i < sp->nkeys; i++) {
    cdrt_gkey xk = cdrt_gb_key(t, cdrt_gb_rec(t, g), i), yk = cdrt_gb_key(t, cdrt_gb_rec(t, h), i);
    const cdrt_gkey *x = &xk, *y = &yk;
    int c;
    switch (sp->ktypes[i]) {
    case CDRT_COL_STR: /* a missing key (n -1) last, as pandas sorts NaN */
      c = (x->s.n < 0 || y->s.n < 0) ? (x->s.n < 0) - (y->s.n < 0) : cdrt_str_cmp(x->s, y->s);
      break;
    case CDRT_COL_FLOAT64: {
      double a, b;
      memcpy(&a, &x->i, 8), memcpy(&b, &y->i, 8);
      c = isnan(a) || isnan(b) ? isnan(a) - isnan(b) : (a > b) - (a < b);
      break;
    }
    case CDRT_COL_DATETIME:
    case CDRT_COL_TIMEDELTA: /* NaT last */
      c = x->i == CDRT_NAT || y->i == CDRT_NAT ? (x->i == CDRT_NAT) - (y->i == CDRT_NAT)
                                               : (x->i > y->i) - (x->i < y->i);
      break;
    default: c = (x->i > y->i) - (x->i < y->i);
    }
    if (c) return c;
  }
  return 0;
}

static int gb_less(const void *t, int64_t g, int64_t h) {
  return gb_cmp(t, g, h) < 0;
}

/* Rows [r0, r1) of key column i (out), in the order of the groups (order, or NULL for the
 * groups' own order) */
/* Rows [r0, r1) of the result's key column i into out, row r at out's r - at */
static void gb_key_fill(const cdrt_gb *t, int i, const int64_t *order, char *out, int64_t r0,
                        int64_t r1, int64_t at) {
  int type = t->spec->ktypes[i];
  for (int64_t r = r0; r < r1; r++) {
    cdrt_gkey key = cdrt_gb_key(t, cdrt_gb_rec(t, order ? order[r] : r), i);
    const cdrt_gkey *k = &key;
    if (type == CDRT_COL_STR)
      ((cdrt_str *)out)[r - at] = k->s.n < 0 ? (cdrt_str){NULL, 0} : k->s;
    else if (type == CDRT_COL_BOOL)
      ((uint8_t *)out)[r - at] = (uint8_t)k->i;
    else
      memcpy(out + 8 * (r - at), &k->i, 8);
  }
}

/* A group's values in file order, gathered from its chain into *buf (grown as needed) */
static int64_t *gvals_gather(const cdrt_gvals *a, int64_t **buf, int64_t *cap) {
  if (a->n > *cap) {
    *cap = a->n;
    free(*buf);
    *buf = cdrt_malloc((size_t)*cap * 8);
  }
  int64_t at = 0;
  for (const cdrt_gchunk *c = a->head; c; c = c->next) {
    memcpy(*buf + at, c->v, (size_t)c->n * 8);
    at += c->n;
  }
  return *buf;
}

/* The k-th smallest of v[0, n), by pandas' kth_smallest_c (Wirth's selection, the pivot
 * v[k]), which reorders v: its median of the same values in the same (file) order is the
 * same to the bit, the sign of a zero included */
#define GB_SELECT(NAME, T)                                                                         \
  static T NAME(T *v, int64_t n, int64_t k) {                                                      \
    int64_t lo = 0, hi = n - 1;                                                                    \
    while (lo < hi) {                                                                              \
      T p = v[k];                                                                                  \
      int64_t i = lo, j = hi;                                                                      \
      do {                                                                                         \
        while (v[i] < p) i++;                                                                      \
        while (p < v[j]) j--;                                                                      \
        if (i <= j) {                                                                              \
          T x = v[i];                                                                              \
          v[i++] = v[j], v[j--] = x;                                                               \
        }                                                                                          \
      } while (i <= j);                                                                            \
      if (j < k) lo = i;                                                                           \
      if (k < i) hi = j;                                                                           \
    }                                                                                              \
    return v[k];                                                                                   \
  }
GB_SELECT(select_f64, double)
#undef GB_SELECT

/* The k-th smallest of v[0, n) (no NaN), v left with v[0, k) <= v[k] <= v[k + 1, n): a
 * quickselect whose partitions do not branch on the values (Lomuto's, swapping every
 * element: a comparison only moves an index), which Wirth's loops do on every element, a
 * misprediction half the time. Three-way, so that equal values end it. */
#define GB_QSELECT(NAME, T)                                                                        \
  static T NAME(T *v, int64_t n, int64_t k) {                                                      \
    int64_t lo = 0, hi = n;                                                                        \
    while (hi - lo > 1) {                                                                          \
      T a = v[lo], b = v[lo + (hi - lo) / 2], c = v[hi - 1];                                       \
      T p = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);                     \
      int64_t s = lo, e;                                                                           \
      for (int64_t i = lo; i < hi; i++) {                                                          \
        T x = v[i];                                                                                \
        v[i] = v[s], v[s] = x, s += x < p;                                                         \
      }                                                                                            \
      if (k < s) {                                                                                 \
        hi = s;                                                                                    \
        continue;                                                                                  \
      }                                                                                            \
      e = s;                                                                                       \
      for (int64_t i = s; i < hi; i++) {                                                           \
        T x = v[i];                                                                                \
        v[i] = v[e], v[e] = x, e += !(p < x);                                                      \
      }                                                                                            \
      if (k < e) return v[k];                                                                      \
      lo = e;                                                                                      \
    }                                                                                              \
    return v[k];                                                                                   \
  }
GB_QSELECT(qselect_f64, double)
GB_QSELECT(qselect_i64, int64_t)
#undef GB_QSELECT

double cdrt_select_f64(double *v, int64_t n, int64_t k) {
  return qselect_f64(v, n, k);
}

/* A group's median as pandas' median_linear computes it: the middle value, or the k-th plus
 * the (k - 1)-th smallest, over two. The values are the same whichever way they are
 * selected, and so are their bits but for a zero's sign, which pandas' Wirth selections on
 * the values in file order decide: a zero median is computed their way (again, from the
 * group's values). After the k-th, the (k - 1)-th is the largest of v[0, k). */
static double gvals_median(const cdrt_gvals *x, int kind, int64_t **buf, int64_t *cap) {
  int64_t n = x->n, k = n / 2, *vals = gvals_gather(x, buf, cap);
  if (!n) return NAN;
  if (kind == CDRT_G_VALF) {
    double *v = (double *)(void *)vals, hi = qselect_f64(v, n, k), lo;
    if (hi == 0) {
      v = (double *)(void *)gvals_gather(x, buf, cap), hi = select_f64(v, n, k);
      return n % 2 ? hi : (hi + select_f64(v, n, k - 1)) / 2;
    }
    if (n % 2) return hi;
    lo = v[0];
    for (int64_t i = 1; i < k; i++) lo = v[i] > lo ? v[i] : lo;
    return (hi + lo) / 2;
  }
  int64_t hi = qselect_i64(vals, n, k), lo = vals[0]; /* ints: pandas' float64 values */
  if (n % 2) return (double)hi;
  for (int64_t i = 1; i < k; i++) lo = vals[i] > lo ? vals[i] : lo;
  return ((double)hi + (double)lo) / 2;
}

static int cmp_f64(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}
static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* A group's distinct values (-0.0 equals 0.0, as the groupby by sorting counts them) */
static int64_t gvals_nunique(int64_t *v, int64_t n, int kind) {
  int (*cmp)(const void *, const void *) = kind == CDRT_G_VALF ? cmp_f64 : cmp_i64;
  qsort(v, (size_t)n, 8, cmp);
  int64_t u = 0;
  for (int64_t i = 0; i < n; i++) u += i == 0 || cmp(&v[i - 1], &v[i]) != 0;
  return u;
}

/* Rows [r0, r1) of aggregate a's result column c, in the order of the groups; buf and cap:
 * the calling thread's scratch for a group's values */
/* Rows [r0, r1) of aggregation a's column into c, row r at c's r - at */
static void gb_agg_fill(const cdrt_gb *t, int a, const int64_t *order, cdrt_column c, int64_t r0,
                        int64_t r1, int64_t at, int64_t **pbuf, int64_t *pcap) {
  const cdrt_gb_spec *sp = t->spec;
  int what = sp->what[a], kind = sp->kinds[a], type = sp->rtypes[a];
  int64_t *buf = *pbuf, cap = *pcap;
  for (int64_t r = r0; r < r1; r++) {
    int64_t g = order ? order[r] : r;
    double f = NAN;
    int64_t i = 0;
    switch (kind) {
    case CDRT_G_COUNT:
    case CDRT_G_ADDI: i = (*(const int64_t *)GB_STATE(t, a, g)); break;
    case CDRT_G_SUMI: {
      const cdrt_gsumi *x = (const cdrt_gsumi *)GB_STATE(t, a, g);
      i = (int64_t)x->s;
      if (what == CDRT_AGG_MEAN) f = x->n ? (double)i / (double)x->n : NAN;
      break;
    }
    case CDRT_G_ADDF: f = cdrt_gx_round((const cdrt_gx *)GB_STATE(t, a, g), &t->spill); break;
    case CDRT_G_SUMF: {
      const cdrt_gsumf *x = (const cdrt_gsumf *)GB_STATE(t, a, g);
      double s = cdrt_gx_round(&x->m[0], &t->spill);
      f = what == CDRT_AGG_MEAN ? (x->n ? s / (double)x->n : NAN) : s;
      break;
    }
    case CDRT_G_VAR:
      f = cdrt_gvar_final((const cdrt_gvar *)GB_STATE(t, a, g), &t->spill, what);
      break;
    case CDRT_G_VARI: f = cdrt_gvari_final((const cdrt_gvari *)GB_STATE(t, a, g), what); break;
    case CDRT_G_SUMT: {
      const cdrt_gsumt *x = (const cdrt_gsumt *)GB_STATE(t, a, g);
      i = what == CDRT_AGG_MEAN ? cdrt_nat_mean(x->s[0], (int64_t)x->s[1], x->n)
                                : cdrt_nat_sum(x->s[0], (int64_t)x->s[1], cdrt_frame_op_what);
      break;
    }
    case CDRT_G_PICKI: {
      const cdrt_gpick *x = (const cdrt_gpick *)GB_STATE(t, a, g);
      i = x->n || !cdrt_col_nat(type) ? x->i : CDRT_NAT; /* no value: NaT */
      if (!x->n) f = NAN;
      break;
    }
    case CDRT_G_PICKF:
      f = (*(const cdrt_gpick *)GB_STATE(t, a, g)).n ? (*(const cdrt_gpick *)GB_STATE(t, a, g)).f
                                                     : NAN;
      break;
    case CDRT_G_PICKS: {
      const cdrt_gpicks *x = (const cdrt_gpicks *)GB_STATE(t, a, g);
      ((cdrt_str *)c.data)[r - at] = x->n ? x->s : (cdrt_str){NULL, 0};
      continue;
    }
    case CDRT_G_VALI:
    case CDRT_G_VALF: { /* the values are done with once the result is made */
      const cdrt_gvals *x = (const cdrt_gvals *)GB_STATE(t, a, g);
      if (what == CDRT_AGG_NUNIQUE)
        i = gvals_nunique(gvals_gather(x, &buf, &cap), x->n, kind);
      else
        f = gvals_median(x, kind, &buf, &cap);
      break;
    }
    case CDRT_G_CORR: f = cdrt_gcorr_final((const cdrt_gcorr *)GB_STATE(t, a, g), &t->spill); break;
    case CDRT_G_CORRI: f = cdrt_gcorri_final((const cdrt_gcorri *)GB_STATE(t, a, g)); break;
    default: break;
    }
    if (type == CDRT_COL_FLOAT64)
      ((double *)c.data)[r - at] = f;
    else if (type == CDRT_COL_BOOL)
      ((uint8_t *)c.data)[r - at] = (uint8_t)i;
    else
      ((int64_t *)c.data)[r - at] = i;
  }
  *pbuf = buf, *pcap = cap;
}

/* The result's frame, its columns not yet made (data NULL), and the groups' order (NULL:
 * first appearance; else sorted, charged as scratch) */
static cdrt_frame *gb_frame_shape(cdrt_gb *t, int sort, int as_index, int series, int64_t **order) {
  const cdrt_gb_spec *sp = t->spec;
  int64_t n = t->n;
  *order = NULL;
  if (sort) {
    cdrt_state_charge((n ? n : 1) * 8, t->what);
    *order = cdrt_malloc((size_t)(n ? n : 1) * sizeof **order);
    for (int64_t g = 0; g < n; g++) (*order)[g] = g;
    cdrt_stable_sort(*order, t->n, gb_less, t);
  }
  cdrt_frame *f = cdrt_calloc(1, sizeof *f);
  f->n = n, f->series = series;
  int nk = as_index ? 0 : sp->nkeys;
  f->ncols = nk + sp->naggs;
  f->cols = cdrt_calloc((size_t)f->ncols + 1, sizeof *f->cols);
  cdrt_column *keys = f->cols;
  if (as_index) {
    f->nindex = sp->nkeys;
    keys = f->levels = cdrt_calloc((size_t)sp->nkeys, sizeof *f->levels);
  }
  for (int i = 0; i < sp->nkeys; i++)
    keys[i] = (cdrt_column){sp->ktypes[i], sp->knames[i], NULL, NULL};
  if (as_index) f->index = f->levels[0];
  for (int a = 0; a < sp->naggs; a++)
    f->cols[nk + a] = (cdrt_column){sp->rtypes[a], sp->anames[a], NULL, NULL};
  return f;
}

/* Rows [r0, r1) of every column of groupby t's result into keys and cols (row r at r - at) */
static void gb_rows_fill(const cdrt_gb *t, const int64_t *order, cdrt_column *keys,
                         cdrt_column *cols, int64_t r0, int64_t r1, int64_t at, int64_t **buf,
                         int64_t *cap) {
  const cdrt_gb_spec *sp = t->spec;
  for (int i = 0; i < sp->nkeys; i++) gb_key_fill(t, i, order, keys[i].data, r0, r1, at);
  for (int a = 0; a < sp->naggs; a++) gb_agg_fill(t, a, order, cols[a], r0, r1, at, buf, cap);
}

cdrt_frame *cdrt_gb_frame(cdrt_gb *t, int sort, int as_index, int series) {
  const cdrt_gb_spec *sp = t->spec;
  int64_t n = t->n, *order;
  /* the result's columns (kept) and the order (scratch), charged before they are made */
  cdrt_state_charge((n ? n : 1) * gb_row_bytes(t), t->what);
  cdrt_frame *f = gb_frame_shape(t, sort, as_index, series, &order);
  int nk = as_index ? 0 : sp->nkeys;
  cdrt_column *keys = as_index ? f->levels : f->cols;
  bool vals = false;
  for (int i = 0; i < sp->nkeys; i++)
    keys[i].data =
        cdrt_alloc((size_t)(n ? n : 1) * cdrt_col_bytes(sp->ktypes[i]), "a groupby's result");
  if (as_index) f->index = f->levels[0];
  for (int a = 0; a < sp->naggs; a++) { /* each row written */
    f->cols[nk + a].data =
        cdrt_alloc((size_t)(n ? n : 1) * cdrt_col_bytes(sp->rtypes[a]), "a groupby's result");
    vals |= gb_kind_vals(sp->kinds[a]);
  }
  /* Every column of a chunk of groups at once: a chunk's records are read from memory once
   * and stay in cache for the other columns (10^7 groups of 6 keys and 2 aggregations:
   * 8 passes over a gigabyte of records before). Medians and distinct counts select or
   * sort each group's values, so their chunks are small for the threads to share; each
   * group's result is its own, whichever thread makes it. */
  int64_t chunk = vals ? 16 : 2048, nchunk = (n + chunk - 1) / chunk;
#pragma omp parallel if ((vals && n > 64) || n > (1 << 16))
  {
    int64_t *buf = NULL, cap = 0; /* a group's values, gathered */
#pragma omp for schedule(dynamic, 1)
    for (int64_t k = 0; k < nchunk; k++) {
      int64_t r0 = k * chunk, r1 = r0 + chunk < n ? r0 + chunk : n;
      gb_rows_fill(t, order, keys, f->cols + nk, r0, r1, 0, &buf, &cap);
    }
    free(buf);
  }
  free(order);
  if (sort) cdrt_state_refund((n ? n : 1) * 8);
  for (int a = 0; a < sp->naggs; a++) /* the values are done with once the result is made */
    for (int64_t g = 0; gb_kind_vals(sp->kinds[a]) && g < t->n; g++)
      *(cdrt_gvals *)GB_STATE(t, a, g) = (cdrt_gvals){0, 0, NULL, NULL};
  gvals_arena_free(t);
  return f;
}

/* cdrt_frame's fill of a result made as it is written: its table and its groups' order */
typedef struct {
  const cdrt_gb *t;
  int64_t *order;
} gb_lazy;

static void gb_lazy_fill(const cdrt_frame *f, int64_t r0, int64_t r1, cdrt_column *cols,
                         cdrt_column *levels) {
  const gb_lazy *z = f->fill_ctx;
  int64_t *buf = NULL, cap = 0; /* (no aggregation of a group's values is made this way) */
  cdrt_column *keys = f->nindex ? levels : cols;
  gb_rows_fill(z->t, z->order, keys, cols + (f->nindex ? 0 : z->t->spec->nkeys), r0, r1, r0, &buf,
               &cap);
  free(buf);
}

cdrt_frame *cdrt_gb_frame_written(cdrt_gb *t, int sort, int as_index, int series) {
  const cdrt_gb_spec *sp = t->spec;
  bool later = true; /* medians and datetimes are made first: their format needs them all */
  for (int i = 0; i < sp->nkeys; i++) later &= !cdrt_col_nat(sp->ktypes[i]);
  for (int a = 0; a < sp->naggs; a++)
    later &= !gb_kind_vals(sp->kinds[a]) && !cdrt_col_nat(sp->rtypes[a]);
  if (!later) return cdrt_gb_frame(t, sort, as_index, series);
  int64_t *order;
  cdrt_frame *f = gb_frame_shape(t, sort, as_index, series, &order);
  gb_lazy *z = cdrt_malloc(sizeof *z);
  *z = (gb_lazy){t, order};
  f->fill = gb_lazy_fill, f->fill_ctx = z; /* (the order's charge stays: it is kept) */
  return f;
}
#undef GB_STATE
#undef GB_INLINE
#endif
