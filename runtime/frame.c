/* frame.c: what a dataframe pipeline computes (with CDRT_WITH_CSV): per-block aggregates,
 * value counts and collected rows, merged in block order (the same bits and the same order
 * of ties for any thread count, block size or rank count), and the results they make:
 * scalars and frames (a Series is a frame of one column). */
#include "cdrt.h"

#ifdef CDRT_WITH_CSV
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* ---- aggregates ---- */
void cdrt_agg_sq(cdrt_agg *a, double x) { /* x and x*x, both exactly */
  double p = x * x;
  cdrt_xsum_add(&a->x1, x);
  cdrt_xsum_add(&a->x2, p);
  cdrt_xsum_add(&a->x2, cdrt_prod_err(x, x, p));
}

/* Signed zeros ordered (-0 < +0): a total order, so min and max do not depend on which
 * block saw a value first. */
static bool f64_less(double a, double b) {
  return a < b || (a == b && signbit(a) && !signbit(b));
}

void cdrt_agg_f64_minmax(cdrt_agg *a, double x) {
  if (!a->n || f64_less(x, a->fmin)) a->fmin = x;
  if (!a->n || f64_less(a->fmax, x)) a->fmax = x;
  a->n++;
}

void cdrt_agg_i64_minmax(cdrt_agg *a, int64_t x) {
  if (!a->n || x < a->imin) a->imin = x;
  if (!a->n || x > a->imax) a->imax = x;
  a->n++;
}

void cdrt_agg_str_minmax(cdrt_agg *a, cdrt_str x) {
  if (!a->n || cdrt_str_cmp(x, a->smin) < 0) a->smin = x;
  if (!a->n || cdrt_str_cmp(x, a->smax) > 0) a->smax = x;
  a->n++;
}

void cdrt_agg_merge(cdrt_agg *a, const cdrt_agg *b, int type) {
  if (b->n) {
    if (type == CDRT_COL_FLOAT64) {
      if (!a->n || f64_less(b->fmin, a->fmin)) a->fmin = b->fmin;
      if (!a->n || f64_less(a->fmax, b->fmax)) a->fmax = b->fmax;
    } else if (type == CDRT_COL_STR) {
      if (!a->n || cdrt_str_cmp(b->smin, a->smin) < 0) a->smin = b->smin;
      if (!a->n || cdrt_str_cmp(b->smax, a->smax) > 0) a->smax = b->smax;
    } else {
      if (!a->n || b->imin < a->imin) a->imin = b->imin;
      if (!a->n || b->imax > a->imax) a->imax = b->imax;
    }
  }
  a->n += b->n;
  uint64_t lo = a->isum + b->isum; /* (ihi, isum) += (b's), 128 bits */
  a->ihi += b->ihi + (lo < a->isum);
  a->isum = lo;
  cdrt_xsum_merge(&a->x1, &b->x1);
  cdrt_xsum_merge(&a->x2, &b->x2);
}

/* Double-double arithmetic: the variance's n S2 - S1^2 with 106 bits. */
typedef cdrt_dd dd;
static dd dd_norm(double s, double e) {
  double hi = s + e;
  return (dd){hi, e - (hi - s)};
}
dd cdrt_dd_add(dd x, dd y) {
  double s = x.hi + y.hi, b = s - x.hi, e = (x.hi - (s - b)) + (y.hi - b);
  return dd_norm(s, e + x.lo + y.lo);
}
static dd dd_mul(dd x, dd y) {
  double p = x.hi * y.hi;
  return dd_norm(p, fma(x.hi, y.hi, -p) + x.hi * y.lo + x.lo * y.hi);
}

/* n Sxy - Sx Sy (never negative when x is y: the exact value is not) */
static double comoment(int64_t n, dd sx, dd sy, dd sxy, bool square) {
  dd m = cdrt_dd_add(dd_mul((dd){(double)n, 0}, sxy), dd_mul((dd){-sx.hi, -sx.lo}, sy));
  double v = m.hi + m.lo;
  return square && v < 0 ? 0 : v;
}

/* pandas' var: (n S2 - S1^2) / (n (n - ddof)). */
double cdrt_var_from_sums(int64_t n, dd s1, dd s2, int ddof) {
  if (n - ddof <= 0 || !isfinite(s1.hi) || !isfinite(s2.hi)) return NAN;
  return comoment(n, s1, s1, s2, true) / ((double)n * (double)(n - ddof));
}

double cdrt_corr_from_sums(int64_t n, dd sx, dd sy, dd sxx, dd syy, dd sxy) {
  if (n < 2) return NAN;
  double r = comoment(n, sx, sy, sxy, false) / sqrt(comoment(n, sx, sx, sxx, true)) /
             sqrt(comoment(n, sy, sy, syy, true));
  return r > 1 ? 1 : r < -1 ? -1 : r; /* NumPy clips; 0 / 0 stays NaN */
}

static double agg_var(const cdrt_agg *a, int ddof) {
  dd s1, s2;
  cdrt_xsum_round2(&a->x1, &s1.hi, &s1.lo);
  cdrt_xsum_round2(&a->x2, &s2.hi, &s2.lo);
  return cdrt_var_from_sums(a->n, s1, s2, ddof);
}

cdrt_value cdrt_agg_final(const cdrt_agg *a, int rop, int type) {
  cdrt_value v = {.type = CDRT_COL_FLOAT64, .f = NAN};
  switch (rop) {
  case CDRT_AGG_COUNT: return (cdrt_value){.type = CDRT_COL_INT64, .i = a->n};
  case CDRT_AGG_SUM:
    if (type == CDRT_COL_FLOAT64) return (cdrt_value){.type = type, .f = cdrt_xsum_round(&a->x1)};
    if (cdrt_col_nat(type)) /* exact: 0 days for no values, as pandas */
      return (cdrt_value){.type = type, .i = cdrt_nat_sum(a->isum, a->ihi, cdrt_frame_op_what)};
    return (cdrt_value){.type = CDRT_COL_INT64, .i = (int64_t)a->isum};
  case CDRT_AGG_MEAN:
    if (cdrt_col_nat(type))
      return (cdrt_value){.type = type, .i = cdrt_nat_mean(a->isum, a->ihi, a->n)};
    if (a->n) v.f = cdrt_xsum_round(&a->x1) / (double)a->n;
    return v;
  case CDRT_AGG_VAR: v.f = agg_var(a, 1); return v;
  case CDRT_AGG_STD: /* of timedeltas (datetimes): a Timedelta, as pandas' nanstd */
    v.f = sqrt(agg_var(a, 1));
    if (cdrt_col_nat(type))
      return (cdrt_value){.type = CDRT_COL_TIMEDELTA,
                          .i = cdrt_nat_from_f64(v.f, cdrt_frame_op_what)};
    return v;
  case CDRT_AGG_VAR_POP: v.f = agg_var(a, 0); return v;
  case CDRT_AGG_STD_POP: v.f = sqrt(agg_var(a, 0)); return v;
  case CDRT_AGG_ANY: return (cdrt_value){.type = CDRT_COL_BOOL, .i = a->isum > 0};
  case CDRT_AGG_ALL: return (cdrt_value){.type = CDRT_COL_BOOL, .i = a->isum == (uint64_t)a->n};
  case CDRT_AGG_MIN:
  case CDRT_AGG_MAX: {
    bool mx = rop == CDRT_AGG_MAX;
    if (type == CDRT_COL_STR)
      return (cdrt_value){.type = type, .s = a->n ? (mx ? a->smax : a->smin) : (cdrt_str){0, 0}};
    if (!a->n) /* pandas: NaN (NaT) for no values */
      return cdrt_col_nat(type) ? (cdrt_value){.type = type, .i = CDRT_NAT} : v;
    if (type == CDRT_COL_FLOAT64) return (cdrt_value){.type = type, .f = mx ? a->fmax : a->fmin};
    return (cdrt_value){.type = type, .i = mx ? a->imax : a->imin};
  }
  default: return v;
  }
}

/* ---- value counts: keys in order of first appearance, merged in block order ---- */
static uint64_t vc_load8(const char *p) {
  uint64_t w;
  memcpy(&w, p, 8);
  return w;
}
static uint64_t vc_load4(const char *p) {
  uint32_t w;
  memcpy(&w, p, 4);
  return w;
}

/* A string's key: its first 16 bytes as they lie in memory (little-endian), zero-padded;
 * past 16 bytes, its first 8 only (the rest is compared in the table's copy). Fixed-size
 * loads only (overlapping ones for short strings), so no call to memcpy. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "cdrt_vc_entry's inline strings are read as little-endian words"
#endif
typedef struct {
  uint64_t a, b;
} vc_key;
static vc_key vc_pack(const char *p, int64_t n) {
  vc_key k = {0, 0};
  if (n >= 8) {
    k.a = vc_load8(p);
    if (n > 8 && n <= CDRT_VC_INLINE) k.b = vc_load8(p + n - 8) >> (8 * (16 - n));
  } else if (n >= 4) {
    k.a = vc_load4(p) | vc_load4(p + n - 4) >> (8 * (8 - n)) << 32;
  } else if (n > 0) {
    const unsigned char *u = (const unsigned char *)p;
    k.a = u[0] | (uint64_t)u[n >> 1] << (8 * (n >> 1)) | (uint64_t)u[n - 1] << (8 * (n - 1));
  }
  return k;
}

static uint64_t vc_hash_u64(uint64_t x) {
  x = (x ^ (x >> 33)) * 0xff51afd7ed558ccdu;
  x = (x ^ (x >> 33)) * 0xc4ceb9fe1a85ec53u;
  return x ^ (x >> 33);
}
/* A string's hash: of its key up to 16 bytes, else of all its bytes 8 at a time */
static uint64_t vc_hash_str(const char *p, int64_t n, vc_key k) {
  uint64_t h = k.a * 0x9e3779b97f4a7c15u ^ (k.b + (uint64_t)n);
  if (n > CDRT_VC_INLINE) {
    for (int64_t i = 8; i + 8 < n; i += 8)
      h = (h ^ (h >> 32) ^ vc_load8(p + i)) * 0xff51afd7ed558ccdu;
    h ^= vc_load8(p + n - 8); /* the last 8 bytes */
  }
  h = (h ^ (h >> 32)) * 0xc4ceb9fe1a85ec53u;
  return h ^ (h >> 29);
}

void cdrt_vc_init(cdrt_vc *t, int type) {
  memset(t, 0, sizeof *t);
  t->type = type;
}

/* A slot's bytes, two slots per entry at most, and its place in the order */
#define VC_ENTRY ((int64_t)(2 * sizeof(cdrt_vc_entry) + sizeof(int64_t)))

/* An entry's tag: 31 bits of its hash and a set top bit (0 marks an empty slot) */
static uint32_t vc_tag(uint64_t h) {
  return (uint32_t)(h >> 33) | 0x80000000u;
}

cdrt_str cdrt_vc_entry_str(const cdrt_vc_entry *e) {
  return (cdrt_str){e->n <= CDRT_VC_INLINE ? (const char *)&e->key : e->p, e->n};
}

static uint64_t vc_entry_hash(const cdrt_vc *t, const cdrt_vc_entry *e) {
  if (t->type != CDRT_COL_STR) return vc_hash_u64((uint64_t)e->key);
  cdrt_str s = cdrt_vc_entry_str(e); /* (a long one's key2 is its copy: not in its key) */
  return vc_hash_str(s.p, s.n,
                     (vc_key){(uint64_t)e->key, s.n <= CDRT_VC_INLINE ? (uint64_t)e->key2 : 0});
}

/* Slots doubled until `more` new entries fit (at most half full); the entries move, and
 * the order follows them */
static __attribute__((noinline)) void vc_grow(cdrt_vc *t, int64_t more) {
  int64_t nslot = t->nslot ? t->nslot * 2 : 128;
  if (!t->nslot && t->hint) { /* as large as the other blocks' tables grew (rehashes saved) */
    int64_t h = __atomic_load_n(t->hint, __ATOMIC_RELAXED);
    nslot = h > nslot ? h : nslot;
  }
  while (2 * (t->n + more) > nslot) nslot *= 2;
  if (t->hint) cdrt_hint_raise(t->hint, nslot);
  cdrt_state_charge((nslot - t->nslot) / 2 * VC_ENTRY, t->what);
  cdrt_vc_entry *old = t->e;
  t->e = cdrt_calloc((size_t)nslot, sizeof *t->e);
  t->order = cdrt_realloc(t->order, (size_t)nslot / 2 * sizeof *t->order);
  t->nslot = nslot;
  for (int64_t i = 0; i < t->n; i++) {
    const cdrt_vc_entry *e = &old[t->order[i]];
    int64_t s = (int64_t)(vc_entry_hash(t, e) & (uint64_t)(nslot - 1));
    while (t->e[s].tag) s = (s + 1) & (nslot - 1);
    t->e[s] = *e;
    t->order[i] = s;
  }
  free(old);
}

/* A long string key's bytes, in the table's own memory */
static __attribute__((noinline)) const char *vc_copy(cdrt_vc *t, cdrt_str s) {
  t->bytes.what = t->what;
  return memcpy(cdrt_bytes_alloc(&t->bytes, (size_t)s.n), s.p, (size_t)s.n);
}

/* The entry of a number's bits k, added with count 0 if it is new */
static cdrt_vc_entry *vc_find_num(cdrt_vc *t, int64_t k) {
  if (2 * (t->n + 1) > t->nslot) vc_grow(t, 1);
  uint64_t h = vc_hash_u64((uint64_t)k);
  uint32_t tag = vc_tag(h);
  int64_t at = (int64_t)(h & (uint64_t)(t->nslot - 1));
  for (;; at = (at + 1) & (t->nslot - 1)) {
    cdrt_vc_entry *e = &t->e[at];
    if (!e->tag) break;
    if (e->tag == tag && e->key == k) return e;
  }
  t->order[t->n++] = at;
  t->e[at] = (cdrt_vc_entry){.key = k, .tag = tag};
  return &t->e[at];
}

/* Whether slot e holds string s (key k, tag): one test of four words for a short one */
static inline bool vc_same_str(const cdrt_vc_entry *e, cdrt_str s, vc_key k, uint32_t tag) {
  if (s.n <= CDRT_VC_INLINE)
    return (((uint64_t)e->key ^ k.a) | ((uint64_t)e->key2 ^ k.b) |
            ((uint64_t)(uint32_t)e->n ^ (uint64_t)s.n) | (e->tag ^ tag)) == 0;
  return e->tag == tag && e->key == (int64_t)k.a && e->n == s.n &&
         memcmp(e->p + 8, s.p + 8, (size_t)s.n - 8) == 0;
}

/* The entry of string s (its key k, its hash h), added with count 0 if it is new (the
 * caller made room for it). The entries are the slots and hold strings up to 16 bytes, so
 * a probe that finds its key reads one cache line; a longer string's rest is compared in
 * the table's copy of it, made when it is new so that its block can go. */
static inline cdrt_vc_entry *vc_find_str(cdrt_vc *t, cdrt_str s, vc_key k, uint64_t h) {
  uint32_t tag = vc_tag(h);
  uint64_t mask = (uint64_t)t->nslot - 1, at = h & mask;
  cdrt_vc_entry *slots = t->e;
  for (; slots[at].tag; at = (at + 1) & mask)
    if (vc_same_str(&slots[at], s, k, tag)) return &slots[at];
  cdrt_vc_entry *e = &slots[at];
  *e = (cdrt_vc_entry){.key = (int64_t)k.a, .key2 = (int64_t)k.b, .n = (int32_t)s.n, .tag = tag};
  if (s.n > CDRT_VC_INLINE) e->p = vc_copy(t, s);
  t->order[t->n++] = (int64_t)at;
  return e;
}

void cdrt_vc_entry_set_str(cdrt_vc_entry *e, cdrt_str s) {
  vc_key k = vc_pack(s.p, s.n);
  e->key = (int64_t)k.a, e->n = (int32_t)s.n;
  if (s.n <= CDRT_VC_INLINE)
    e->key2 = (int64_t)k.b;
  else
    e->p = s.p;
}

/* The batch's strings counted, in order */
void cdrt_vc_flush(cdrt_vc *t) {
  int nb = t->nbatch;
  if (2 * (t->n + nb) > t->nslot) vc_grow(t, nb);
  for (int i = 0; i < nb; i++) {
    const cdrt_vc_item *q = &t->batch[i];
    vc_find_str(t, q->s, (vc_key){q->a, q->b}, q->h)->count++;
  }
  t->nbatch = 0;
}

void cdrt_vc_add_i64(cdrt_vc *t, int64_t k) {
  vc_find_num(t, k)->count++;
}
void cdrt_vc_add_f64(cdrt_vc *t, double x) {
  if (isnan(x)) return;
  if (x == 0) x = 0; /* -0.0 and 0.0 are one key */
  int64_t k;
  memcpy(&k, &x, 8);
  vc_find_num(t, k)->count++;
}
/* A string counted CDRT_VC_BATCH strings later (cdrt_vc_flush): hashed and its slot fetched
 * now, as a table of many strings misses the cache on nearly every probe, while the other
 * probes wait for their lines too */
static inline void vc_add_packed(cdrt_vc *t, cdrt_str s, vc_key k) {
  if (s.n > INT32_MAX)
    cdrt_fatal_all(CDRT_EXIT_INPUT,
                   "%s: a string of %lld bytes is longer than cdask counts (2 GiB)",
                   t->what ? t->what : "value counts", (long long)s.n);
  uint64_t h = vc_hash_str(s.p, s.n, k);
  int64_t nslot = t->nslot;
  int i = t->nbatch;
  if (nslot) __builtin_prefetch(&t->e[h & (uint64_t)(nslot - 1)]);
  t->batch[i] = (cdrt_vc_item){s, h, k.a, k.b};
  t->nbatch = i + 1;
  if (i + 1 == CDRT_VC_BATCH) cdrt_vc_flush(t);
}

void cdrt_vc_add_str(cdrt_vc *t, cdrt_str s) {
  if (s.p) vc_add_packed(t, s, vc_pack(s.p, s.n));
}

/* A string's key when the 16 bytes from its start can be read (before end): two loads and
 * two masks (its first n bytes of each word), no branch on its length */
void cdrt_vc_add_str_in(cdrt_vc *t, cdrt_str s, const char *end) {
  static const uint64_t lo[17] = {0,          0xff,         0xffff,         0xffffff,
                                  0xffffffff, 0xffffffffff, 0xffffffffffff, 0xffffffffffffff,
                                  UINT64_MAX, UINT64_MAX,   UINT64_MAX,     UINT64_MAX,
                                  UINT64_MAX, UINT64_MAX,   UINT64_MAX,     UINT64_MAX,
                                  UINT64_MAX};
  if (!s.p) return;
  if (s.n > CDRT_VC_INLINE || end - s.p < 16) {
    vc_add_packed(t, s, vc_pack(s.p, s.n));
    return;
  }
  int64_t n = s.n, n2 = n > 8 ? n - 8 : 0;
  vc_add_packed(t, s, (vc_key){vc_load8(s.p) & lo[n], vc_load8(s.p + 8) & lo[n2]});
}

/* b's keys after t's, in b's order */
void cdrt_vc_merge(cdrt_vc *t, const cdrt_vc *b) {
  cdrt_vc_flush(t);
  for (int64_t i = 0; i < b->n; i++) {
    const cdrt_vc_entry *x = &b->e[b->order[i]];
    if (t->type != CDRT_COL_STR) {
      vc_find_num(t, x->key)->count += x->count;
      continue;
    }
    cdrt_str s = cdrt_vc_entry_str(x);
    vc_key k = vc_pack(s.p, s.n);
    if (2 * (t->n + 1) > t->nslot) vc_grow(t, 1);
    vc_find_str(t, s, k, vc_hash_str(s.p, s.n, k))->count += x->count;
  }
}

void cdrt_vc_free(cdrt_vc *t) {
  free(t->e), free(t->order);
  cdrt_bytes_free(&t->bytes);
  cdrt_state_refund(t->nslot / 2 * VC_ENTRY);
  t->e = NULL, t->order = NULL, t->nslot = t->n = 0, t->nbatch = 0;
}

/* ---- collected rows ---- */
void cdrt_rows_init(cdrt_rows *r, int ncols, const unsigned char *types) {
  memset(r, 0, sizeof *r);
  r->ncols = ncols, r->types = types;
  r->col = cdrt_calloc((size_t)ncols, sizeof *r->col);
}

/* A collected row's bytes: its index and its columns */
static int64_t rows_row_bytes(const cdrt_rows *r) {
  int64_t z = (int64_t)sizeof *r->index;
  for (int k = 0; k < r->ncols; k++) z += (int64_t)cdrt_col_bytes(r->types[k]);
  return z;
}

/* An array of old bytes grown to bytes: from 8 MB on into cdrt_alloc's huge pages (a
 * copy, but their first touch is several times faster on some machines than realloc's
 * 4 KB pages) */
static void *rows_grow(void *p, size_t old, size_t bytes, const char *what) {
  if (bytes < ((size_t)8 << 20)) return cdrt_realloc(p, bytes); /* alloc.c: ALLOC_HUGE_MIN */
  void *q = cdrt_alloc(bytes, what);
  if (old) memcpy(q, p, old);
  free(p);
  return q;
}

int64_t cdrt_rows_push(cdrt_rows *r, int64_t row) {
  if (r->n == r->cap) {
    int64_t cap = r->cap ? r->cap * 2 : 256;
    cdrt_state_charge((cap - r->cap) * rows_row_bytes(r), r->what);
    r->index = rows_grow(r->index, (size_t)r->n * sizeof *r->index, (size_t)cap * sizeof *r->index,
                         r->what);
    for (int k = 0; k < r->ncols; k++) {
      size_t z = cdrt_col_bytes(r->types[k]);
      r->col[k] = rows_grow(r->col[k], (size_t)r->n * z, (size_t)cap * z, r->what);
    }
    r->cap = cap;
  }
  r->index[r->n] = row;
  return r->n++;
}

void cdrt_rows_free(cdrt_rows *r) {
  for (int k = 0; k < r->ncols; k++) free(r->col[k]);
  free(r->col), free(r->index);
  cdrt_state_refund(r->cap * rows_row_bytes(r));
  r->col = NULL, r->index = NULL, r->n = r->cap = 0;
}

void cdrt_rows_keep_last(cdrt_rows *r, int64_t n) {
  if (r->n <= n) return;
  int64_t from = r->n - n, bytes = rows_row_bytes(r);
  int64_t *index = cdrt_malloc((size_t)(n ? n : 1) * sizeof *index);
  memcpy(index, r->index + from, (size_t)n * sizeof *index);
  free(r->index), r->index = index;
  for (int k = 0; k < r->ncols; k++) { /* fresh small arrays: the block's memory goes back */
    size_t z = cdrt_col_bytes(r->types[k]);
    void *c = cdrt_malloc((n ? (size_t)n : 1) * z);
    memcpy(c, (char *)r->col[k] + (size_t)from * z, (size_t)n * z);
    free(r->col[k]), r->col[k] = c;
  }
  cdrt_state_refund((r->cap - n) * bytes);
  r->n = r->cap = n;
}

cdrt_frame *cdrt_rows_frame(cdrt_rows *parts, int64_t nb, const int64_t *row0, int64_t limit,
                            const char *const *names) {
  cdrt_frame *f = cdrt_calloc(1, sizeof *f);
  int ncols = nb ? parts[0].ncols : 0;
  int64_t n = 0;
  for (int64_t b = 0; b < nb; b++) n += parts[b].n;
  if (limit >= 0 && n > limit) n = limit;
  if (nb) cdrt_state_charge(n * rows_row_bytes(&parts[0]), parts[0].what); /* the frame */
  f->n = n, f->ncols = ncols;
  f->cols = cdrt_calloc((size_t)(ncols ? ncols : 1), sizeof *f->cols);
  const char *what = nb ? parts[0].what : "a frame";
  int64_t *index = cdrt_alloc((size_t)(n ? n : 1) * sizeof *index, what);
  for (int k = 0; k < ncols; k++) {
    f->cols[k].type = parts[0].types[k];
    f->cols[k].name = names[k];
    f->cols[k].data = cdrt_alloc((size_t)(n ? n : 1) * cdrt_col_bytes(f->cols[k].type), what);
  }
  /* each block's rows at its offset, the blocks copied by the threads (the frame's fresh
   * pages are first touched by both; huge pages: cdrt_alloc) */
  int64_t *at = cdrt_malloc((size_t)(nb + 1) * sizeof *at);
  at[0] = 0;
  for (int64_t b = 0; b < nb; b++)
    at[b + 1] = at[b] + (parts[b].n < n - at[b] ? parts[b].n : n - at[b]);
#pragma omp parallel for schedule(dynamic, 1)
  for (int64_t b = 0; b < nb; b++) {
    cdrt_rows *r = &parts[b];
    int64_t m = at[b + 1] - at[b];
    for (int64_t i = 0; i < m; i++) index[at[b] + i] = row0[b] + r->index[i];
    for (int k = 0; k < ncols; k++) {
      size_t z = cdrt_col_bytes(f->cols[k].type);
      if (m) memcpy((char *)f->cols[k].data + (size_t)at[b] * z, r->col[k], (size_t)m * z);
    }
    for (int k = 0; k < r->ncols; k++) free(r->col[k]);
    free(r->col), free(r->index);
  }
  free(at);
  for (int64_t b = 0; b < nb; b++) cdrt_state_refund(parts[b].cap * rows_row_bytes(&parts[b]));
  f->index = (cdrt_column){CDRT_COL_INT64, NULL, index, NULL};
  return f;
}

void cdrt_frame_sublabels(cdrt_frame *f, const char *const *subs) {
  for (int k = 0; k < f->ncols; k++) f->cols[k].sub = subs[k];
  f->col_levels = 2;
}

void cdrt_frame_date_index(cdrt_frame *f, int64_t start, int64_t step, const char *name,
                           const char *freq) {
  int64_t *ix = f->index.data;
  bool run = true;
  for (int64_t i = 0, prev = 0; i < f->n; i++) {
    run &= i == 0 || ix[i] == prev + 1;
    prev = ix[i], ix[i] = start + ix[i] * step;
  }
  f->index.type = CDRT_COL_DATETIME, f->index.name = name;
  f->freq = run ? freq : NULL;
}

static int count_more(const void *table, int64_t a, int64_t b) {
  const cdrt_vc *t = table;
  return t->e[t->order[a]].count > t->e[t->order[b]].count;
}

/* value_counts as pandas 2 makes it: counts descending, ties in order of first appearance,
 * the values as the index (named after the column), the counts named "count". */
cdrt_frame *cdrt_vc_frame(cdrt_vc *t, int by_count, const char *name) {
  cdrt_vc_flush(t);
  int64_t n = t->n;
  /* the counts and values (kept) and the order (scratch), charged before they are made */
  cdrt_state_charge((n ? n : 1) * (16 + (int64_t)cdrt_col_bytes(t->type)), t->what);
  int64_t *order = cdrt_malloc((size_t)(n ? n : 1) * sizeof *order);
  for (int64_t i = 0; i < n; i++) order[i] = i;
  if (by_count) cdrt_stable_sort(order, n, count_more, t); /* ties keep first appearance */
  cdrt_frame *f = cdrt_calloc(1, sizeof *f);
  f->n = n, f->ncols = 1, f->series = 1;
  f->cols = cdrt_calloc(1, sizeof *f->cols);
  int64_t *counts = cdrt_malloc((size_t)n * 8);
  void *keys = cdrt_malloc((size_t)n * cdrt_col_bytes(t->type));
  for (int64_t i = 0; i < n; i++) {
    const cdrt_vc_entry *e = &t->e[t->order[order[i]]];
    counts[i] = e->count;
    if (t->type == CDRT_COL_STR)
      ((cdrt_str *)keys)[i] = cdrt_vc_entry_str(e); /* (inline ones: in t's slots) */
    else if (t->type == CDRT_COL_BOOL)
      ((uint8_t *)keys)[i] = (uint8_t)e->key;
    else
      memcpy((char *)keys + 8 * i, &e->key, 8);
  }
  free(order);
  cdrt_state_refund((n ? n : 1) * 8);
  f->cols[0] = (cdrt_column){CDRT_COL_INT64, "count", counts, NULL};
  f->index = (cdrt_column){t->type, name, keys, NULL};
  return f;
}
#undef VC_ENTRY

/* ---- to_array ---- */
static double value_f64(int type, const void *data, int64_t i) {
  switch (type) {
  case CDRT_COL_INT64: return (double)((const int64_t *)data)[i];
  case CDRT_COL_BOOL: return ((const uint8_t *)data)[i];
  default: return ((const double *)data)[i];
  }
}

/* Element i of column c (type) as dtype (int64, float64 or bool: the compiler chose a
 * dtype every column converts to exactly as pandas' .values does) into out */
static void value_put(void *out, cdrt_dtype t, int type, const void *data, int64_t i) {
  if (t == CDRT_FLOAT64)
    *(double *)out = value_f64(type, data, i);
  else if (t == CDRT_INT64)
    *(int64_t *)out =
        type == CDRT_COL_BOOL ? ((const uint8_t *)data)[i] : ((const int64_t *)data)[i];
  else
    *(uint8_t *)out = ((const uint8_t *)data)[i];
}

const void *cdrt_result_array(const cdrt_result *r, cdrt_dtype t, int ndim, const int64_t *shape,
                              const char *where, const char *why) {
  size_t size = cdrt_dtype_size(t);
  if (!r->frame) { /* a scalar: a 0-d array */
    char *out = cdrt_malloc(size);
    int type = r->v.type;
    const void *data = type == CDRT_COL_FLOAT64 ? (const void *)&r->v.f : (const void *)&r->v.i;
    uint8_t b = (uint8_t)r->v.i;
    value_put(out, t, type, type == CDRT_COL_BOOL ? (const void *)&b : data, 0);
    return out;
  }
  const cdrt_frame *f = r->frame;
  if (f->n != shape[0])
    cdrt_fatal_all(CDRT_EXIT_INPUT,
                   "%s: the %s has %lld rows; the program was compiled for %lld (%s), and cdask "
                   "arrays have the shapes they are compiled with",
                   where, f->series ? "Series" : "frame", (long long)f->n, (long long)shape[0],
                   why);
  int64_t ncols = ndim == 2 ? shape[1] : 1;
  char *out = cdrt_malloc((size_t)(shape[0] * ncols) * size + 1);
  for (int64_t i = 0; i < f->n; i++) /* C order: a row's columns side by side */
    for (int64_t c = 0; c < ncols; c++)
      value_put(out + (size_t)(i * ncols + c) * size, t, f->cols[c].type, f->cols[c].data, i);
  return out;
}
#endif
