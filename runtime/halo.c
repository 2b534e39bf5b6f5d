/* halo.c: the blocks of map_blocks and map_overlap (cdrt.h, "halo.c"). A tile is one output
 * block. Each input's block, with its halo, is gathered into a contiguous buffer of exactly
 * its size: the rows are walked by index maps per axis (the boundary: reflect, periodic,
 * nearest, a constant), and the part of a row inside the array is one memcpy, so only the
 * halo's few elements are copied one at a time. The kernel writes its output block into a
 * buffer of exactly its size (or straight into the array when the block is contiguous
 * there and nothing is trimmed), copied out one row at a time. Buffers are per thread and
 * reused while the blocks keep their size: a 1000 x 1000 block is not faulted in again
 * for every tile. Under AddressSanitizer every block is its own exact allocation, so a
 * kernel that reads or writes past its block is caught. */
#include "cdrt.h"

#include "cdask_kernel.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define HALO_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HALO_ASAN 1
#endif
#endif
#ifndef HALO_ASAN
#define HALO_ASAN 0
#endif

int64_t cdrt_halo_index(int64_t k, int64_t n, cdrt_boundary b) {
  if (k >= 0 && k < n) return k;
  switch (b) {
  case CDRT_BOUNDARY_REFLECT: { /* NumPy's 'symmetric': period 2n, mirrored halves */
    int64_t m = k % (2 * n);
    if (m < 0) m += 2 * n;
    return m < n ? m : 2 * n - 1 - m;
  }
  case CDRT_BOUNDARY_PERIODIC: {
    int64_t m = k % n;
    return m < 0 ? m + n : m;
  }
  case CDRT_BOUNDARY_CONSTANT: return -1;
  default: return k < 0 ? 0 : n - 1; /* NEAREST (NONE never reaches outside) */
  }
}

void cdrt_halo_gather(void *dst, const void *src, int elem, int ndim, const int64_t *shape,
                      const int64_t *lo, const int64_t *hi, cdrt_boundary b, const void *cval) {
  char *out = dst;
  const char *in = src;
  size_t e = (size_t)elem;
  if (ndim == 0) {
    memcpy(out, in, e);
    return;
  }
  for (int d = 0; d < ndim; d++)
    if (hi[d] <= lo[d]) return;
  int last = ndim - 1;
  int64_t stride[CDRT_MAXDIM], s = 1;
  for (int d = last; d >= 0; d--) stride[d] = s, s *= shape[d];
  /* the outer axes' index maps, one array */
  int64_t total = 0;
  for (int d = 0; d < last; d++) total += hi[d] - lo[d];
  int64_t *map = malloc((size_t)(total ? total : 1) * sizeof *map);
  if (!map) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory gathering a block");
  int64_t *axis_map[CDRT_MAXDIM];
  for (int d = 0, at = 0; d < last; d++) {
    axis_map[d] = map + at;
    for (int64_t k = lo[d]; k < hi[d]; k++) map[at++] = cdrt_halo_index(k, shape[d], b);
  }
  /* the last axis: elements [run0, run1) of a row lie inside the array */
  int64_t n = shape[last], len = hi[last] - lo[last];
  int64_t run0 = lo[last] < 0 ? -lo[last] : 0;
  int64_t run1 = (hi[last] < n ? hi[last] : n) - lo[last];
  if (run0 > len) run0 = len;
  if (run1 < run0) run1 = run0;
  int64_t pos[CDRT_MAXDIM] = {0};
  for (;;) {
    int64_t base = 0;
    int outside = 0;
    for (int d = 0; d < last; d++) {
      int64_t i = axis_map[d][pos[d]];
      if (i < 0) outside = 1;
      base += i * stride[d];
    }
    if (outside) {
      for (int64_t k = 0; k < len; k++) memcpy(out + (size_t)k * e, cval, e);
    } else {
      const char *row = in + (size_t)base * e;
      for (int64_t k = 0; k < run0; k++) {
        int64_t i = cdrt_halo_index(lo[last] + k, n, b);
        memcpy(out + (size_t)k * e, i < 0 ? cval : row + (size_t)i * e, e);
      }
      if (run1 > run0)
        memcpy(out + (size_t)run0 * e, row + (size_t)(lo[last] + run0) * e,
               (size_t)(run1 - run0) * e);
      for (int64_t k = run1; k < len; k++) {
        int64_t i = cdrt_halo_index(lo[last] + k, n, b);
        memcpy(out + (size_t)k * e, i < 0 ? cval : row + (size_t)i * e, e);
      }
    }
    out += (size_t)len * e;
    int d = last - 1;
    for (; d >= 0; d--) {
      if (++pos[d] < hi[d] - lo[d]) break;
      pos[d] = 0;
    }
    if (d < 0) break;
  }
  free(map);
}

void cdrt_block_copy(void *dst, const int64_t *dshape, const int64_t *dlo, const void *src,
                     const int64_t *sshape, const int64_t *soff, const int64_t *ext, int ndim,
                     int elem) {
  size_t e = (size_t)elem;
  if (ndim == 0) {
    memcpy(dst, src, e);
    return;
  }
  for (int d = 0; d < ndim; d++)
    if (ext[d] <= 0) return;
  int last = ndim - 1;
  int64_t ds[CDRT_MAXDIM], ss[CDRT_MAXDIM], a = 1, c = 1;
  for (int d = last; d >= 0; d--) ds[d] = a, a *= dshape[d], ss[d] = c, c *= sshape[d];
  int64_t pos[CDRT_MAXDIM] = {0};
  for (;;) {
    int64_t o = dlo[last], i = soff[last];
    for (int d = 0; d < last; d++) o += (dlo[d] + pos[d]) * ds[d], i += (soff[d] + pos[d]) * ss[d];
    memcpy((char *)dst + (size_t)o * e, (const char *)src + (size_t)i * e, (size_t)ext[last] * e);
    int d = last - 1;
    for (; d >= 0; d--) {
      if (++pos[d] < ext[d]) break;
      pos[d] = 0;
    }
    if (d < 0) break;
  }
}

/* ---- the tiles of a group ---- */

typedef struct {
  void *p;
  size_t n;
} HaloSlot;

struct cdrt_bk_pool {
  int nthreads, nslots;
  HaloSlot *slot; /* thread t's slot k: slot[t * nslots + k] */
};

cdrt_bk_pool *cdrt_bk_pool_new(int nslots) {
  cdrt_bk_pool *p = cdrt_alloc(sizeof *p, "block buffers");
  p->nthreads = omp_get_num_threads();
  p->nslots = nslots;
  size_t n = (size_t)p->nthreads * (size_t)nslots;
  p->slot = cdrt_alloc(n * sizeof *p->slot, "block buffers");
  memset(p->slot, 0, n * sizeof *p->slot);
  return p;
}

void cdrt_bk_pool_free(cdrt_bk_pool *p) {
  for (int i = 0; i < p->nthreads * p->nslots; i++) free(p->slot[i].p);
  free(p->slot);
  free(p);
}

/* This thread's buffer k, of exactly `bytes` bytes (tiles are tied tasks: the thread that
 * starts one ends it, and runs nothing else in between). */
static void *halo_buffer(cdrt_bk_pool *pool, int k, size_t bytes) {
  int t = omp_get_thread_num();
  if (t >= pool->nthreads) t = 0;
  HaloSlot *s = &pool->slot[t * pool->nslots + k];
  if (!s->p || s->n != bytes) {
    free(s->p);
    s->p = cdrt_alloc(bytes ? bytes : 1, "a block");
    s->n = bytes;
  }
  return s->p;
}

/* Whether the box [lo, hi) of an array of shape is one contiguous run of it. */
static int halo_contiguous(int ndim, const int64_t *shape, const int64_t *lo, const int64_t *hi) {
  int d = ndim - 1;
  while (d > 0 && lo[d] == 0 && hi[d] == shape[d]) d--;
  for (int k = 0; k < d; k++)
    if (hi[k] - lo[k] != 1) return 0;
  return 1;
}

static int64_t halo_offset(int ndim, const int64_t *shape, const int64_t *lo) {
  int64_t o = 0;
  for (int d = 0; d < ndim; d++) o = o * shape[d] + lo[d];
  return o;
}

/* Calls f(pos) for every position of the box [lo, hi) of ndim axes, in C order. */
static void halo_each(int ndim, const int64_t *lo, const int64_t *hi,
                      void (*f)(const int64_t *pos, void *arg), void *arg) {
  int64_t pos[CDRT_MAXDIM];
  for (int d = 0; d < ndim; d++) {
    if (hi[d] <= lo[d]) return;
    pos[d] = lo[d];
  }
  for (;;) {
    f(pos, arg);
    int d = ndim - 1;
    while (d >= 0 && ++pos[d] == hi[d]) pos[d] = lo[d], d--;
    if (d < 0) return;
  }
}

/* One outside part of a box: each position's element, from the boundary's image. */
typedef struct {
  const cdrt_bk_input *in;
  char *dst;
  const int64_t *blo, *bstride; /* the box's corner and strides */
  const char *src;              /* the image, evaluated: NULL for CONSTANT */
  const int64_t *slo, *sstride; /* its corner and strides */
} halo_part;

static void halo_part_element(const int64_t *pos, void *arg) {
  const halo_part *p = arg;
  const cdrt_bk_input *in = p->in;
  int64_t o = 0, so = 0;
  for (int d = 0; d < in->ndim; d++) {
    o += (pos[d] - p->blo[d]) * p->bstride[d];
    if (p->src)
      so += (cdrt_halo_index(pos[d], in->shape[d], in->boundary) - p->slo[d]) * p->sstride[d];
  }
  memcpy(p->dst + o * in->elem, p->src ? p->src + so * in->elem : in->cval, (size_t)in->elem);
}

/* The box [lo, hi) of an input computed by its eval into dst (C order, exactly the box).
 * Per axis the box has up to three parts: before 0, inside, after n. The all-inside part
 * is evaluated in place; every other part is the boundary's image of a box inside the
 * array, evaluated into a scratch buffer and copied one element at a time (only halos
 * reach outside: a few elements). */
static void halo_eval(void *dst, const cdrt_bk_input *in, const int64_t *lo, const int64_t *hi) {
  int nd = in->ndim;
  int64_t stride[CDRT_MAXDIM], s = 1;
  for (int d = nd - 1; d >= 0; d--) stride[d] = s, s *= hi[d] - lo[d];
  int64_t parts = 1;
  for (int d = 0; d < nd; d++) parts *= 3;
  for (int64_t c = 0; c < parts; c++) {
    int64_t plo[CDRT_MAXDIM], phi[CDRT_MAXDIM], slo[CDRT_MAXDIM], shi[CDRT_MAXDIM];
    int inside = 1, empty = 0;
    for (int d = nd - 1, r = (int)c; d >= 0; d--, r /= 3) {
      int64_t n = in->shape[d];
      int part = r % 3;
      plo[d] = part == 0 ? lo[d] : part == 1 ? (lo[d] > 0 ? lo[d] : 0) : n;
      phi[d] = part == 0 ? (hi[d] < 0 ? hi[d] : 0) : part == 1 ? (hi[d] < n ? hi[d] : n) : hi[d];
      if (part == 2 && plo[d] < lo[d]) plo[d] = lo[d];
      empty = empty || phi[d] <= plo[d];
      inside = inside && part == 1;
      slo[d] = plo[d], shi[d] = phi[d];
      if (part != 1 && !empty && in->boundary != CDRT_BOUNDARY_CONSTANT) {
        slo[d] = n, shi[d] = 0; /* the image's extent along d */
        for (int64_t k = plo[d]; k < phi[d]; k++) {
          int64_t m = cdrt_halo_index(k, n, in->boundary);
          slo[d] = m < slo[d] ? m : slo[d], shi[d] = m + 1 > shi[d] ? m + 1 : shi[d];
        }
      }
    }
    if (empty) continue;
    if (inside) {
      int64_t o = 0;
      for (int d = 0; d < nd; d++) o += (plo[d] - lo[d]) * stride[d];
      in->eval((char *)dst + o * in->elem, stride, plo, phi);
      continue;
    }
    halo_part p = {in, dst, lo, stride, NULL, slo, NULL};
    int64_t sstride[CDRT_MAXDIM], sn = 1;
    void *scratch = NULL;
    if (in->boundary != CDRT_BOUNDARY_CONSTANT) {
      for (int d = nd - 1; d >= 0; d--) sstride[d] = sn, sn *= shi[d] - slo[d];
      scratch = malloc((size_t)sn * (size_t)in->elem);
      if (!scratch) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory computing a halo");
      in->eval(scratch, sstride, slo, shi);
      p.src = scratch, p.sstride = sstride;
    }
    halo_each(nd, plo, phi, halo_part_element, &p);
    free(scratch);
  }
}

static int64_t halo_blocks(int64_t n, int64_t c) {
  return n ? (n + c - 1) / c : 1;
}

/* Input in's block along its axis a for the output block at loop_block (block index per
 * loop axis): the block [*start, *stop) and, with the halo, [*lo, *hi) (outside the array
 * where the boundary maps it back; clipped for NONE); *k its chunk index. */
static void bk_axis(const cdrt_bk_group *g, const cdrt_bk_input *in, int a,
                    const int64_t *loop_block, int64_t *k, int64_t *start, int64_t *stop,
                    int64_t *lo, int64_t *hi) {
  int L = a + in->lead;
  int64_t n = in->shape[a], c = in->chunk[a], nb = halo_blocks(n, c);
  int whole = (g->dropped >> L & 1) || nb == 1;
  *k = whole ? 0 : loop_block[L];
  *start = whole ? 0 : *k * c, *stop = whole ? n : (*k + 1) * c < n ? (*k + 1) * c : n;
  *lo = *start - in->depth[a], *hi = *stop + in->depth[a];
  if (in->boundary == CDRT_BOUNDARY_NONE) {
    *lo = *lo < 0 ? 0 : *lo;
    *hi = *hi > n ? n : *hi;
  }
}

/* The block index along each loop axis of the output block [lo, ...). */
static void bk_loop_block(const cdrt_bk_group *g, const int64_t *lo, int64_t *loop_block) {
  for (int d = 0; d < CDRT_MAXDIM; d++) loop_block[d] = 0;
  for (int d = 0; d < g->ndim; d++)
    if (g->loop_of[d] >= 0) loop_block[g->loop_of[d]] = lo[d] / g->chunk[d];
}

void cdrt_bk_begin(const cdrt_bk_group *g, cdrt_bk_pool *pool, int64_t t, const int64_t *glo,
                   const int64_t *ghi, const void *const *src, void *dst, cdrt_bk_tile *bt) {
  int nd = g->ndim;
  cdask_block *info = malloc((size_t)(1 + g->nin) * sizeof *info);
  if (!info) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory describing a block");
  memset(info, 0, (size_t)(1 + g->nin) * sizeof *info);
  bt->info = info, bt->dst = dst;
  cdrt_tile_box(t, nd, glo, ghi, g->chunk, bt->lo, bt->hi);
  int64_t loop_block[CDRT_MAXDIM];
  bk_loop_block(g, bt->lo, loop_block);
  /* halo0[L][0..1]: input 0's halo along loop axis L (trimmed off the output) */
  int64_t halo0[CDRT_MAXDIM][2];
  memset(halo0, 0, sizeof halo0);
  for (int i = 0; i < g->nin; i++) {
    const cdrt_bk_input *in = &g->in[i];
    cdask_block *b = &info[1 + i];
    b->ndim = in->ndim;
    int64_t lo[CDRT_MAXDIM], hi[CDRT_MAXDIM];
    int inside = 1;
    size_t bytes = (size_t)in->elem;
    for (int a = 0; a < in->ndim; a++) {
      int L = a + in->lead;
      int64_t n = in->shape[a], k, start, stop;
      bk_axis(g, in, a, loop_block, &k, &start, &stop, &lo[a], &hi[a]);
      b->array_shape[a] = n;
      b->num_chunks[a] = (g->dropped >> L & 1) ? 1 : halo_blocks(n, in->chunk[a]);
      b->chunk_location[a] = k;
      if (i == 0) halo0[L][0] = start - lo[a], halo0[L][1] = hi[a] - stop;
      inside = inside && lo[a] >= 0 && hi[a] <= n;
      b->start[a] = lo[a], b->stop[a] = hi[a], b->shape[a] = hi[a] - lo[a];
      bytes *= (size_t)(hi[a] - lo[a]);
    }
    if (in->eval) { /* computed into the box, never stored */
      void *buf = halo_buffer(pool, i, bytes);
      halo_eval(buf, in, lo, hi);
      bt->in[i] = buf;
    } else if (!src[i]) { /* a number passed by value */
      bt->in[i] = NULL;
    } else if (!HALO_ASAN && inside && halo_contiguous(in->ndim, in->shape, lo, hi)) {
      bt->in[i] = (const char *)src[i] + (size_t)halo_offset(in->ndim, in->shape, lo) * in->elem;
    } else {
      void *buf = halo_buffer(pool, i, bytes);
      cdrt_halo_gather(buf, src[i], in->elem, in->ndim, in->shape, lo, hi, in->boundary, in->cval);
      bt->in[i] = buf;
    }
  }
  /* the output block, with input 0's halo when the kernel's output is trimmed */
  cdask_block *o = &info[0];
  o->ndim = nd;
  size_t bytes = (size_t)g->elem;
  int untrimmed = 1;
  for (int d = 0; d < nd; d++) {
    int L = g->loop_of[d];
    int64_t tl = g->trim && L >= 0 ? halo0[L][0] : 0, th = g->trim && L >= 0 ? halo0[L][1] : 0;
    bt->toff[d] = tl;
    bt->oshape[d] = bt->hi[d] - bt->lo[d] + tl + th;
    untrimmed = untrimmed && tl == 0 && th == 0;
    o->shape[d] = bt->oshape[d], o->array_shape[d] = g->shape[d];
    o->start[d] = bt->lo[d], o->stop[d] = bt->hi[d];
    o->chunk_location[d] = bt->lo[d] / g->chunk[d];
    o->num_chunks[d] = halo_blocks(g->shape[d], g->chunk[d]);
    bytes *= (size_t)bt->oshape[d];
  }
  bt->direct = !HALO_ASAN && dst && untrimmed && halo_contiguous(nd, g->shape, bt->lo, bt->hi);
  if (bt->direct)
    bt->out = (char *)dst + (size_t)halo_offset(nd, g->shape, bt->lo) * g->elem;
  else
    bt->out = halo_buffer(pool, g->nin, bytes);
}

void cdrt_bk_end(const cdrt_bk_group *g, cdrt_bk_tile *bt) {
  if (!bt->direct) {
    int64_t ext[CDRT_MAXDIM];
    for (int d = 0; d < g->ndim; d++) ext[d] = bt->hi[d] - bt->lo[d];
    cdrt_block_copy(bt->dst, g->shape, bt->lo, bt->out, bt->oshape, bt->toff, ext, g->ndim,
                    g->elem);
  }
  cdrt_bk_release(bt);
}

void cdrt_bk_view(const cdrt_bk_group *g, const cdrt_bk_tile *bt, int64_t *stride, int64_t *off) {
  int64_t s = 1, o = 0;
  for (int d = g->ndim - 1; d >= 0; d--) {
    stride[d] = s;
    o += s * (bt->toff[d] - bt->lo[d]);
    s *= bt->oshape[d];
  }
  *off = o;
}

void cdrt_bk_release(cdrt_bk_tile *bt) {
  free(bt->info);
  bt->info = NULL;
}

_Noreturn void cdrt_bk_failed(const cdrt_bk_group *g, const cdrt_bk_tile *bt, long long rc) {
  char id[256];
  size_t n = 0;
  id[n++] = '(';
  for (int d = 0; d < g->ndim && n < sizeof id - 32; d++)
    n += (size_t)snprintf(id + n, sizeof id - n, d ? ", %lld" : "%lld",
                          (long long)(bt->lo[d] / g->chunk[d]));
  if (g->ndim == 1) id[n++] = ',';
  id[n++] = ')';
  id[n] = 0;
  cdrt_fatal(CDRT_EXIT_KERNEL, "kernel '%s' failed on block %s: returned %lld", g->kernel, id, rc);
}

#undef HALO_ASAN

#ifdef CDRT_WITH_MPI
/* The parts of an axis of length n that the indices [lo, hi) read through boundary b:
 * the part inside, and the images of the halo below and above (one interval each, their
 * bounding interval; CONSTANT's halo reads nothing). Returns how many (iv: lo, hi pairs). */
static int bk_axis_parts(int64_t lo, int64_t hi, int64_t n, cdrt_boundary b, int64_t iv[3][2]) {
  int m = 0;
  int64_t in_lo = lo > 0 ? lo : 0, in_hi = hi < n ? hi : n;
  if (in_lo < in_hi) iv[m][0] = in_lo, iv[m][1] = in_hi, m++;
  int64_t ranges[2][2] = {{lo, hi < 0 ? hi : 0}, {lo > n ? lo : n, hi}};
  for (int r = 0; r < 2; r++) {
    int64_t l = INT64_MAX, h = INT64_MIN;
    for (int64_t k = ranges[r][0]; k < ranges[r][1]; k++) {
      int64_t j = cdrt_halo_index(k, n, b);
      if (j < 0) continue;
      l = j < l ? j : l, h = j > h ? j : h;
    }
    if (l <= h) iv[m][0] = l, iv[m][1] = h + 1, m++;
  }
  return m;
}

void cdrt_bk_need(const cdrt_bk_group *g, int i, int64_t t, const int64_t *glo, const int64_t *ghi,
                  cdrt_needs *nd) {
  const cdrt_bk_input *in = &g->in[i];
  int64_t tlo[CDRT_MAXDIM], thi[CDRT_MAXDIM], loop_block[CDRT_MAXDIM];
  cdrt_tile_cell(t, g->ndim, glo, ghi, g->chunk, tlo, thi);
  for (int d = 0; d < g->ndim; d++)
    if (thi[d] <= tlo[d]) return; /* an empty tile reads nothing */
  if (in->ndim == 0) {
    cdrt_need_all(nd);
    return;
  }
  bk_loop_block(g, tlo, loop_block);
  int64_t iv[CDRT_MAXDIM][3][2];
  int count[CDRT_MAXDIM], at[CDRT_MAXDIM];
  for (int a = 0; a < in->ndim; a++) {
    int64_t k, start, stop, lo, hi;
    bk_axis(g, in, a, loop_block, &k, &start, &stop, &lo, &hi);
    count[a] = bk_axis_parts(lo, hi, in->shape[a], in->boundary, iv[a]);
    if (!count[a]) return;
    at[a] = 0;
  }
  for (;;) { /* every combination of the axes' parts: a box */
    int64_t blo[CDRT_MAXDIM], bhi[CDRT_MAXDIM];
    for (int a = 0; a < in->ndim; a++) blo[a] = iv[a][at[a]][0], bhi[a] = iv[a][at[a]][1];
    cdrt_need_box(nd, blo, bhi);
    int a = in->ndim - 1;
    while (a >= 0 && at[a] == count[a] - 1) at[a--] = 0;
    if (a < 0) return;
    at[a]++;
  }
}
#endif
