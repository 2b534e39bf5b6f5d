/* mpi_exchange.c: the point-to-point exchanges of a program built by cdaskc --mpi (only
 * with CDRT_WITH_MPI): boxes of a C-order array sent as MPI subarray messages, from the
 * tiles the ranks wrote or from slabs, to slabs (an FFT's passes, runtime/fft.c) or to what
 * each rank's readers need (the planned exchange, compiler/emit_exchange.c). Both sides of
 * every pair post their messages in the same order (increasing tile, then box), so they
 * match without tags; every exchange counts its bytes (cdrt_mpi_count). */
#ifdef CDRT_WITH_MPI
#include "cdrt.h"

#include <mpi.h>
#include <stdint.h>
#include <stdlib.h>

/* MPI counts and datatype sizes are ints: a box is sent in pieces of at most 1 GiB. */
enum { EXCHANGE_CHUNK = 1 << 30 };

/* The requests of one direction of an exchange, grown as the boxes are cut. */
typedef struct {
  MPI_Request *req;
  int n, cap;
  int64_t bytes;
} mpi_requests;

/* One exchange of boxes of a C-order array: its description and the posted requests. */
typedef struct {
  char *data;
  int ndim;
  const int64_t *shape;
  size_t es;
  MPI_Datatype elem; /* es bytes */
  mpi_requests sends, recvs;
  double t0;
} exchange;

static MPI_Request *mpi_request_slot(mpi_requests *q) {
  if (q->n == q->cap) {
    q->cap = q->cap ? 2 * q->cap : 64;
    q->req = realloc(q->req, (size_t)q->cap * sizeof *q->req);
    if (!q->req) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory (MPI requests)");
  }
  return &q->req[q->n++];
}

/* Posts the send (or receive) of the box [lo, lo + len) of a C-order array as subarray
 * messages of at most EXCHANGE_CHUNK bytes: the box is cut along its outermost axes until a
 * piece fits (MPI counts and datatype sizes are ints). */
static void mpi_post_box(exchange *x, int send, int peer, int64_t *lo, int64_t *len, int from) {
  mpi_requests *q = send ? &x->sends : &x->recvs;
  int ndim = x->ndim, q0 = from;
  while (q0 < ndim && len[q0] == 1) q0++;
  int64_t inner = (int64_t)x->es;
  for (int d = q0 + 1; d < ndim; d++) inner *= len[d];
  if (q0 < ndim && inner > EXCHANGE_CHUNK) { /* one index of axis q0 at a time, cut further */
    int64_t l0 = lo[q0], n0 = len[q0];
    for (int64_t i = 0; i < n0; i++) {
      lo[q0] = l0 + i, len[q0] = 1;
      mpi_post_box(x, send, peer, lo, len, q0 + 1);
    }
    lo[q0] = l0, len[q0] = n0;
    return;
  }
  int64_t rows = q0 < ndim ? len[q0] : 1, step = EXCHANGE_CHUNK / inner;
  for (int64_t r = 0; r < rows; r += step) {
    int sizes[CDRT_MAXDIM], subs[CDRT_MAXDIM], starts[CDRT_MAXDIM];
    for (int d = 0; d < ndim; d++)
      sizes[d] = (int)x->shape[d], subs[d] = (int)len[d], starts[d] = (int)lo[d];
    if (q0 < ndim) {
      starts[q0] = (int)(lo[q0] + r);
      subs[q0] = (int)(rows - r < step ? rows - r : step);
    }
    MPI_Datatype box;
    MPI_Type_create_subarray(ndim, sizes, subs, starts, MPI_ORDER_C, x->elem, &box);
    MPI_Type_commit(&box);
    MPI_Request *slot = mpi_request_slot(q);
    int rc = send ? MPI_Isend(x->data, 1, box, peer, 0, MPI_COMM_WORLD, slot)
                  : MPI_Irecv(x->data, 1, box, peer, 0, MPI_COMM_WORLD, slot);
    if (rc != MPI_SUCCESS) cdrt_fatal(CDRT_EXIT_MEMORY, "MPI_%s failed", send ? "Isend" : "Irecv");
    MPI_Type_free(&box); /* freed once the operation completes */
    q->bytes += inner * (q0 < ndim ? subs[q0] : 1);
  }
}

static void exchange_begin(exchange *x, void *data, int ndim, const int64_t *shape, size_t es) {
  for (int d = 0; d < ndim; d++) /* MPI_Type_create_subarray takes ints */
    if (shape[d] > 0x7fffffff)
      cdrt_fatal(CDRT_EXIT_MEMORY, "an array with %lld elements along an axis cannot be sent",
                 (long long)shape[d]);
  *x = (exchange){.data = data, .ndim = ndim, .shape = shape, .es = es, .t0 = MPI_Wtime()};
  MPI_Type_contiguous((int)es, MPI_BYTE, &x->elem);
  MPI_Type_commit(&x->elem);
}

/* Waits for every message posted, then counts them (cdrt_mpi_count). */
static void exchange_end(exchange *x) {
  if (MPI_Waitall(x->recvs.n, x->recvs.req, MPI_STATUSES_IGNORE) != MPI_SUCCESS ||
      MPI_Waitall(x->sends.n, x->sends.req, MPI_STATUSES_IGNORE) != MPI_SUCCESS)
    cdrt_fatal(CDRT_EXIT_MEMORY, "an MPI exchange failed");
  MPI_Type_free(&x->elem);
  free(x->sends.req);
  free(x->recvs.req);
  cdrt_mpi_count(x->sends.bytes, x->recvs.bytes, MPI_Wtime() - x->t0);
}

/* The part of the array rank r holds, or needs, in a slab distribution along `axis`: the
 * box of its share of that axis (cdrt_mpi_part), all of the others; axis -1: everything. */
static void mpi_slab(int ndim, const int64_t *shape, int axis, int r, int64_t *lo, int64_t *hi) {
  for (int d = 0; d < ndim; d++) lo[d] = 0, hi[d] = shape[d];
  if (axis >= 0) {
    cdrt_range p = cdrt_mpi_part(shape[axis], r);
    lo[axis] = p.lo, hi[axis] = p.hi;
  }
}

/* The box where two boxes meet; 0 if they do not. */
static int mpi_meet(int ndim, const int64_t *alo, const int64_t *ahi, const int64_t *blo,
                    const int64_t *bhi, int64_t *lo, int64_t *len) {
  for (int d = 0; d < ndim; d++) {
    lo[d] = alo[d] > blo[d] ? alo[d] : blo[d];
    int64_t hi = ahi[d] < bhi[d] ? ahi[d] : bhi[d];
    if (hi <= lo[d]) return 0;
    len[d] = hi - lo[d];
  }
  return 1;
}

void cdrt_mpi_reslab(void *data, int ndim, const int64_t *shape, size_t es, int from, int to) {
  const int me = cdrt_mpi_rank(), nranks = cdrt_mpi_size();
  if (nranks == 1 || from < 0 || from == to) return; /* everyone has what they need */
  exchange x;
  exchange_begin(&x, data, ndim, shape, es);
  int64_t hlo[CDRT_MAXDIM], hhi[CDRT_MAXDIM], nlo[CDRT_MAXDIM], nhi[CDRT_MAXDIM];
  int64_t lo[CDRT_MAXDIM], len[CDRT_MAXDIM];
  for (int peer = 0; peer < nranks; peer++) {
    if (peer == me) continue;
    mpi_slab(ndim, shape, to, peer, nlo, nhi); /* what peer needs of what I hold */
    mpi_slab(ndim, shape, from, me, hlo, hhi);
    if (mpi_meet(ndim, hlo, hhi, nlo, nhi, lo, len)) mpi_post_box(&x, 1, peer, lo, len, 0);
    mpi_slab(ndim, shape, to, me, nlo, nhi); /* what I need of what peer holds */
    mpi_slab(ndim, shape, from, peer, hlo, hhi);
    if (mpi_meet(ndim, hlo, hhi, nlo, nhi, lo, len)) mpi_post_box(&x, 0, peer, lo, len, 0);
  }
  exchange_end(&x);
}

void cdrt_mpi_gather_tiles(void *data, int ndim, const int64_t *shape, size_t es,
                           const int64_t *blo, const int64_t *bhi, const int64_t *chunk,
                           int64_t ntiles, int to) {
  const int me = cdrt_mpi_rank(), nranks = cdrt_mpi_size();
  if (nranks == 1) return;
  exchange x;
  exchange_begin(&x, data, ndim, shape, es);
  int64_t tlo[CDRT_MAXDIM], thi[CDRT_MAXDIM], nlo[CDRT_MAXDIM], nhi[CDRT_MAXDIM];
  int64_t lo[CDRT_MAXDIM], len[CDRT_MAXDIM];
  cdrt_range mine = cdrt_mpi_part(ntiles, me);
  for (int peer = 0; peer < nranks; peer++) {
    if (peer == me) continue;
    mpi_slab(ndim, shape, to, peer, nlo, nhi); /* my tiles' parts in peer's slab */
    for (int64_t t = mine.lo; t < mine.hi; t++) {
      cdrt_tile_cell(t, ndim, blo, bhi, chunk, tlo, thi);
      if (mpi_meet(ndim, tlo, thi, nlo, nhi, lo, len)) mpi_post_box(&x, 1, peer, lo, len, 0);
    }
    mpi_slab(ndim, shape, to, me, nlo, nhi); /* peer's tiles' parts in my slab */
    cdrt_range theirs = cdrt_mpi_part(ntiles, peer);
    for (int64_t t = theirs.lo; t < theirs.hi; t++) {
      cdrt_tile_cell(t, ndim, blo, bhi, chunk, tlo, thi);
      if (mpi_meet(ndim, tlo, thi, nlo, nhi, lo, len)) mpi_post_box(&x, 0, peer, lo, len, 0);
    }
  }
  exchange_end(&x);
}

void cdrt_need_all(cdrt_needs *nd) {
  nd->all = 1;
}

void cdrt_need_box(cdrt_needs *nd, const int64_t *lo, const int64_t *hi) {
  if (nd->all) return;
  if (nd->n == nd->cap) {
    nd->cap = nd->cap ? 2 * nd->cap : 64;
    nd->lohi = realloc(nd->lohi, (size_t)nd->cap * 2 * CDRT_MAXDIM * sizeof *nd->lohi);
    if (!nd->lohi) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory (MPI exchange plan)");
  }
  int64_t *blo = nd->lohi + nd->n * 2 * CDRT_MAXDIM, *bhi = blo + CDRT_MAXDIM;
  for (int d = 0; d < nd->ndim; d++) blo[d] = lo[d], bhi[d] = hi[d];
  nd->n++;
}

void cdrt_need_affine(cdrt_needs *nd, int nout, const int64_t *lo, const int64_t *hi,
                      const int64_t *a, const int64_t *off) {
  if (nd->all) return;
  for (int k = 0; k < nout; k++)
    if (hi[k] <= lo[k]) return; /* an empty tile reads nothing */
  int64_t blo[CDRT_MAXDIM], bhi[CDRT_MAXDIM];
  for (int d = 0; d < nd->ndim; d++) { /* interval arithmetic: the box's bounding box */
    int64_t l = off[d], h = off[d];
    for (int k = 0; k < nout; k++) {
      int64_t c = a[d * nout + k], x = c * lo[k], y = c * (hi[k] - 1);
      l += x < y ? x : y;
      h += x < y ? y : x;
    }
    blo[d] = l, bhi[d] = h + 1;
  }
  cdrt_need_box(nd, blo, bhi);
}

/* The tiles of the chunk grid over [blo, bhi) (cdrt_tile_cell's order) that meet the box
 * [lo, hi): fn(t, the part of tile t in the box) for each, in increasing t. */
typedef struct {
  int ndim;
  const int64_t *blo, *bhi, *chunk;
  int64_t first[CDRT_MAXDIM], count[CDRT_MAXDIM];
} mpi_grid;

static void mpi_grid_init(mpi_grid *g, int ndim, const int64_t *blo, const int64_t *bhi,
                          const int64_t *chunk) {
  g->ndim = ndim, g->blo = blo, g->bhi = bhi, g->chunk = chunk;
  for (int d = 0; d < ndim; d++) {
    g->first[d] = blo[d] / chunk[d];
    g->count[d] = (bhi[d] + chunk[d] - 1) / chunk[d] - g->first[d];
  }
}

/* Grows the bounding box of tile t's needed part (bb: lo then hi, per tile) by
 * [lo, hi) ∩ tile t, for every tile t in [tlo, thi) that meets [lo, hi). */
static void mpi_grid_mark(const mpi_grid *g, const int64_t *lo, const int64_t *hi, int64_t tlo,
                          int64_t thi, int64_t *bb) {
  int n = g->ndim;
  int64_t c0[CDRT_MAXDIM], c1[CDRT_MAXDIM], c[CDRT_MAXDIM];
  for (int d = 0; d < n; d++) {
    int64_t l = lo[d] > g->blo[d] ? lo[d] : g->blo[d];
    int64_t h = hi[d] < g->bhi[d] ? hi[d] : g->bhi[d];
    if (h <= l) return;
    c0[d] = l / g->chunk[d] - g->first[d], c1[d] = (h - 1) / g->chunk[d] - g->first[d];
    c[d] = c0[d];
  }
  for (;;) {
    int64_t t = 0;
    for (int d = 0; d < n; d++) t = t * g->count[d] + c[d];
    if (t >= tlo && t < thi) {
      int64_t *tb = bb + (t - tlo) * 2 * n;
      for (int d = 0; d < n; d++) {
        int64_t cl = (g->first[d] + c[d]) * g->chunk[d], ch = cl + g->chunk[d];
        cl = cl > lo[d] ? cl : lo[d], cl = cl > g->blo[d] ? cl : g->blo[d];
        ch = ch < hi[d] ? ch : hi[d], ch = ch < g->bhi[d] ? ch : g->bhi[d];
        if (tb[d] > cl) tb[d] = cl;
        if (tb[n + d] < ch) tb[n + d] = ch;
      }
    }
    int d = n - 1;
    while (d >= 0 && c[d] == c1[d]) c[d] = c0[d], d--;
    if (d < 0) return;
    c[d]++;
  }
}

/* What a rank needs of tiles [tlo, thi): bb gets each tile's bounding box (empty: lo > hi). */
static void mpi_needs_of(const mpi_grid *g, int rank, void (*needs)(int, cdrt_needs *), int64_t tlo,
                         int64_t thi, int64_t *bb) {
  int n = g->ndim;
  for (int64_t t = 0; t < thi - tlo; t++)
    for (int d = 0; d < n; d++) bb[t * 2 * n + d] = INT64_MAX, bb[t * 2 * n + n + d] = INT64_MIN;
  cdrt_needs nd = {.ndim = n};
  needs(rank, &nd);
  if (nd.all) {
    int64_t lo[CDRT_MAXDIM], hi[CDRT_MAXDIM];
    for (int d = 0; d < n; d++) lo[d] = g->blo[d], hi[d] = g->bhi[d];
    mpi_grid_mark(g, lo, hi, tlo, thi, bb);
  }
  for (int64_t i = 0; i < nd.n && !nd.all; i++) {
    const int64_t *lo = nd.lohi + i * 2 * CDRT_MAXDIM;
    mpi_grid_mark(g, lo, lo + CDRT_MAXDIM, tlo, thi, bb);
  }
  free(nd.lohi);
}

/* The rank that ran tile t of ntiles (cdrt_mpi_part). */
static int mpi_owner(int64_t ntiles, int64_t t) {
  const int nranks = cdrt_mpi_size();
  int r = (int)(t * nranks / ntiles);
  while (r > 0 && cdrt_mpi_part(ntiles, r).lo > t) r--;
  while (r < nranks - 1 && cdrt_mpi_part(ntiles, r).hi <= t) r++;
  return r;
}

/* Posts the box bb[0..n) to bb[n..2n) (if not empty) to or from peer. */
static void mpi_post_needed(exchange *x, int send, int peer, const int64_t *bb) {
  int n = x->ndim;
  int64_t lo[CDRT_MAXDIM], len[CDRT_MAXDIM];
  for (int d = 0; d < n; d++) {
    if (bb[n + d] <= bb[d]) return;
    lo[d] = bb[d], len[d] = bb[n + d] - bb[d];
  }
  mpi_post_box(x, send, peer, lo, len, 0);
}

void cdrt_mpi_gather_needs(void *data, int ndim, const int64_t *shape, size_t es,
                           const int64_t *blo, const int64_t *bhi, const int64_t *chunk,
                           int64_t ntiles, void (*needs)(int rank, cdrt_needs *nd)) {
  const int me = cdrt_mpi_rank(), nranks = cdrt_mpi_size();
  if (nranks == 1 || ntiles <= 0) return;
  exchange x;
  exchange_begin(&x, data, ndim, shape, es);
  mpi_grid g;
  mpi_grid_init(&g, ndim, blo, bhi, chunk);
  cdrt_range mine = cdrt_mpi_part(ntiles, me);
  size_t per = 2 * (size_t)ndim * sizeof(int64_t);
  int64_t *bb = cdrt_alloc((size_t)ntiles * per, "MPI exchange plan");
  /* what I need of the others' tiles: one message per tile, from its owner */
  mpi_needs_of(&g, me, needs, 0, ntiles, bb);
  for (int64_t t = 0; t < ntiles; t++)
    if (t < mine.lo || t >= mine.hi)
      mpi_post_needed(&x, 0, mpi_owner(ntiles, t), bb + t * 2 * ndim);
  /* what each other rank needs of my tiles */
  for (int peer = 0; peer < nranks; peer++) {
    if (peer == me || mine.hi == mine.lo) continue;
    mpi_needs_of(&g, peer, needs, mine.lo, mine.hi, bb);
    for (int64_t t = mine.lo; t < mine.hi; t++)
      mpi_post_needed(&x, 1, peer, bb + (t - mine.lo) * 2 * ndim);
  }
  free(bb);
  exchange_end(&x);
}

int64_t *cdrt_mpi_needed_tiles(int ndim, const int64_t *blo, const int64_t *bhi,
                               const int64_t *chunk, int64_t ntiles,
                               void (*needs)(int rank, cdrt_needs *nd), int64_t *count) {
  const int me = cdrt_mpi_rank(), nranks = cdrt_mpi_size();
  size_t n = (size_t)(ntiles > 0 ? ntiles : 1);
  int64_t *out = cdrt_alloc(n * sizeof *out, "MPI recomputed tiles");
  /* per tile: 1 I need it, 2 a lower rank needs it, 4 some rank needs it */
  unsigned char *by = calloc(n, 1);
  int64_t *bb = cdrt_alloc(n * 2 * (size_t)ndim * sizeof *bb, "MPI exchange plan");
  if (!by) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory (MPI exchange plan)");
  mpi_grid g;
  mpi_grid_init(&g, ndim, blo, bhi, chunk);
  for (int r = 0; r < nranks; r++) {
    mpi_needs_of(&g, r, needs, 0, ntiles, bb);
    for (int64_t t = 0; t < ntiles; t++)
      if (bb[t * 2 * ndim] <= bb[t * 2 * ndim + ndim]) /* a non-empty box */
        by[t] |= (unsigned char)(4 | (r == me) | (r < me) << 1);
  }
  *count = 0;
  for (int64_t t = 0; t < ntiles; t++) {
    if (by[t] & 1) /* reported by the lowest rank that computes it */
      out[(*count)++] = by[t] & 2 ? ~t : t;
    else if (!(by[t] & 4) && mpi_owner(ntiles, t) == me) /* nobody reads it: its owner's */
      out[(*count)++] = t;
  }
  free(bb);
  free(by);
  return out;
}

/* Grows the box bb (lo then hi) by [lo, hi) ∩ [alo, ahi). */
static void mpi_grow(int n, const int64_t *lo, const int64_t *hi, const int64_t *alo,
                     const int64_t *ahi, int64_t *bb) {
  int64_t l[CDRT_MAXDIM], len[CDRT_MAXDIM];
  if (!mpi_meet(n, lo, hi, alo, ahi, l, len)) return;
  for (int d = 0; d < n; d++) {
    if (bb[d] > l[d]) bb[d] = l[d];
    if (bb[n + d] < l[d] + len[d]) bb[n + d] = l[d] + len[d];
  }
}

/* The bounding box (bb: lo then hi) of what rank `rank` needs of the box [alo, ahi). */
static void mpi_need_in(int n, const int64_t *shape, int rank, void (*needs)(int, cdrt_needs *),
                        const int64_t *alo, const int64_t *ahi, int64_t *bb) {
  for (int d = 0; d < n; d++) bb[d] = INT64_MAX, bb[n + d] = INT64_MIN;
  cdrt_needs nd = {.ndim = n};
  needs(rank, &nd);
  if (nd.all) {
    int64_t lo[CDRT_MAXDIM];
    for (int d = 0; d < n; d++) lo[d] = 0;
    mpi_grow(n, lo, shape, alo, ahi, bb);
  }
  for (int64_t i = 0; i < nd.n && !nd.all; i++) {
    const int64_t *lo = nd.lohi + i * 2 * CDRT_MAXDIM;
    mpi_grow(n, lo, lo + CDRT_MAXDIM, alo, ahi, bb);
  }
  free(nd.lohi);
}

void cdrt_mpi_slab_needs(void *data, int ndim, const int64_t *shape, size_t es, int axis,
                         void (*needs)(int rank, cdrt_needs *nd)) {
  const int me = cdrt_mpi_rank(), nranks = cdrt_mpi_size();
  if (nranks == 1) return;
  exchange x;
  exchange_begin(&x, data, ndim, shape, es);
  int64_t lo[CDRT_MAXDIM], hi[CDRT_MAXDIM], bb[2 * CDRT_MAXDIM];
  for (int peer = 0; peer < nranks; peer++) { /* what I need of each peer's slab */
    if (peer == me) continue;
    mpi_slab(ndim, shape, axis, peer, lo, hi);
    mpi_need_in(ndim, shape, me, needs, lo, hi, bb);
    mpi_post_needed(&x, 0, peer, bb);
  }
  mpi_slab(ndim, shape, axis, me, lo, hi);
  for (int peer = 0; peer < nranks; peer++) { /* what each peer needs of mine */
    if (peer == me) continue;
    mpi_need_in(ndim, shape, peer, needs, lo, hi, bb);
    mpi_post_needed(&x, 1, peer, bb);
  }
  exchange_end(&x);
}
#endif
