/* memplan.c: how the buffers are planned (the contract: cdask.h, "memplan"). Groups run
 * one after another in id order (each one's tiles and transforms are parallel inside;
 * a run of consecutive task groups runs as OpenMP tasks, and the buffers its groups free
 * live until the run's taskwait), so
 * every buffer has a known life: it is allocated when its group starts writing it and
 * freed after the tiles of the last group that reads it (outputs live to the end; an
 * effect nobody reads, an impure kernel's result, after its own tiles). A
 * group that writes an array elementwise over an input that dies with it (same size,
 * every read at the same index, found by walks under views and elementwise operations)
 * writes in place into that input's memory; when it would only copy that input, its
 * tiles are skipped. A block kernel's result read by one group tile for tile is never
 * stored: that group's tiles make the blocks (plan_streams). peak_bytes follows the live
 * bytes group by group: it is the number the memory limit is checked against. */
#include "cdask.h"

#include <string.h>

static double bytes_of(const Node *x) {
  return (double)node_size(x) * (double)cdrt_dtype_size(x->dtype);
}

/* The array a group's tiles write: its FFT input (r2c, c2r: a scratch of the input's
 * type), or its sink; NULL for reductions and scans (scans read what they wrote). */
static const Node *written(const Graph *g, const Group *gr) {
  const Node *s = &g->nodes[gr->sink];
  if (gr->kind == G_REDUCE || gr->kind == G_SCAN) return NULL;
  if (gr->kind == G_FFT && s->fft.kind != CDRT_FFT_C2C) return &g->nodes[s->in[0]];
  return s;
}

/* One question "does group gr read target only at the domain's own index?". The marks
 * are stamped with the question's number, so the arrays (sized once per pass) serve every
 * question without clearing: the nodes already answered are walked once (shared
 * subexpressions such as x * x, nested). Walks use explicit stacks: graphs may be deeper
 * than the C stack. */
typedef struct {
  const Graph *g;
  const Fusion *f;
  const Group *gr;
  int target;
  int stamp;
  int *searched;     /* == stamp: reaches() found no read of target under this node */
  int *ok_stamp;     /* == stamp: reads_at_identity() held under this node through ok[id] */
  const Affine **ok; /* that map */
  int *ids;          /* stack of reaches() */
  struct Pending {
    int id;
    const Affine *m;
  } * pending; /* stack of reads_at_identity() */
  int cap;     /* of both stacks */
} Walk;

static void grow(Walk *w, int need) {
  if (need <= w->cap) return;
  int cap = w->cap ? 2 * w->cap : 64;
  while (cap < need) cap *= 2;
  int *ids = arena_alloc(w->g->arena, (size_t)cap * sizeof *ids);
  struct Pending *p = arena_alloc(w->g->arena, (size_t)cap * sizeof *p);
  if (w->cap) {
    memcpy(ids, w->ids, (size_t)w->cap * sizeof *ids);
    memcpy(p, w->pending, (size_t)w->cap * sizeof *p);
  }
  w->ids = ids, w->pending = p, w->cap = cap;
}

/* Whether node id, computed in the group, reads target (a stored array). */
static bool reaches(Walk *w, int root) {
  int top = 0;
  grow(w, 1);
  w->ids[top++] = root;
  while (top) {
    int id = w->ids[--top];
    if (id == w->target) return true;
    const Node *x = &w->g->nodes[id];
    if (w->searched[id] == w->stamp || (w->f->group_of[id] >= 0 && id != w->gr->sink) ||
        op_kinds[x->op] == K_SOURCE)
      continue;
    w->searched[id] = w->stamp; /* a read found below ends the whole walk */
    grow(w, top + x->nin);
    for (int k = x->nin - 1; k >= 0; k--) w->ids[top++] = x->in[k];
  }
  return false;
}

/* Whether every read of target under node id (reached through map m from the domain) is
 * at the domain's own index. Reads under anything but views and elementwise operations
 * (a reshape, a concatenation) count as elsewhere. */
static bool reads_at_identity(Walk *w, int root, const Affine *m0) {
  Affine ident;
  affine_identity(&ident, w->gr->ndim);
  int top = 0;
  grow(w, 1);
  w->pending[top++] = (struct Pending){root, m0};
  while (top) {
    struct Pending p = w->pending[--top];
    const Node *x = &w->g->nodes[p.id];
    if (w->ok_stamp[p.id] == w->stamp && affine_equal(w->ok[p.id], p.m)) continue;
    if (p.id == w->target) {
      if (!affine_equal(p.m, &ident)) return false;
    } else if (op_kinds[x->op] == K_VIEW) {
      Affine *c = arena_alloc(w->g->arena, sizeof *c);
      affine_compose(c, x->map, p.m);
      grow(w, top + 1);
      w->pending[top++] = (struct Pending){x->in[0], c};
    } else if (op_kinds[x->op] != K_ELEM) {
      if (reaches(w, p.id)) return false;
    } else {
      grow(w, top + x->nin);
      for (int k = x->nin - 1; k >= 0; k--) w->pending[top++] = (struct Pending){x->in[k], p.m};
    }
    /* a failure below ends the whole walk: the node holds if the walk goes on */
    w->ok_stamp[p.id] = w->stamp, w->ok[p.id] = p.m;
  }
  return true;
}

static bool same_shape(const Node *x, const Group *gr) {
  return x->ndim == gr->ndim && memcmp(x->shape, gr->shape, sizeof(int64_t) * (size_t)x->ndim) == 0;
}

/* The input buffer (a group id) that group gr can write in place over, or -1: one that
 * dies here, of the written array's shape and element size, read only elementwise. */
static int find_donor(Walk *walk, const Group *gr, const int *last_use, const bool *kept) {
  const Graph *g = walk->g;
  const Fusion *f = walk->f;
  const Node *w = written(g, gr);
  if (group_is_task(g, gr)) return -1; /* a kernel's call writes its own buffer */
  if (!w || gr->culled || gr->ndim == 0 || !same_shape(w, gr)) return -1;
  if (gr->kind == G_BLOCK) return -1; /* a kernel reads its inputs' blocks with halos */
  int root = gr->kind == G_FFT ? g->nodes[gr->sink].in[0] : gr->sink;
  Affine ident;
  affine_identity(&ident, gr->ndim);
  for (int i = 0; i < gr->ndeps; i++) {
    int j = gr->deps[i], target = f->groups[j].sink;
    const Node *s = &g->nodes[target];
    if (kept[j] || last_use[j] != gr->id || !same_shape(s, gr) ||
        cdrt_dtype_size(s->dtype) != cdrt_dtype_size(w->dtype))
      continue;
    walk->gr = gr, walk->target = target, walk->stamp++;
    if (root == gr->sink) { /* a stored array computed here: its inputs are the reads */
      const Node *r = &g->nodes[root];
      bool ok = op_kinds[r->op] == K_ELEM;
      for (int k = 0; k < r->nin && ok; k++) ok = reads_at_identity(walk, r->in[k], &ident);
      if (ok) return j;
    } else if (reads_at_identity(walk, root, &ident)) {
      return j;
    }
  }
  return -1;
}

/* Whether group c can make block group s's blocks itself, tile for tile: s is a pure
 * kernel's whole output, read by c alone (no output, no other group), c reduces or stores
 * over exactly s's blocks (same domain and chunks, nothing culled, no random or file leaves,
 * which c would read in blocks of its own), and every read of s in c is at the domain's own
 * index (under elementwise operations only). */
static bool can_stream(Walk *w, const Group *s, const Group *c, const int *nreaders,
                       const bool *kept) {
  const Graph *g = w->g;
  const Node *sink = &g->nodes[s->sink];
  if (s->kind != G_BLOCK || kept[s->id] || nreaders[s->id] != 1 || node_has_effect(g, sink))
    return false;
  if ((c->kind != G_REDUCE && c->kind != G_STORE) || c->culled || s->culled || c->ndim < 1 ||
      !same_shape(sink, c) || memcmp(c->user_chunk, sink->chunk, sizeof(int64_t) * (size_t)c->ndim))
    return false;
  for (int i = 0; i < c->nmembers; i++)
    if (op_flags[g->nodes[c->members[i]].op] & F_STRIP) return false;
  Affine ident;
  affine_identity(&ident, c->ndim);
  w->gr = c, w->target = s->sink, w->stamp++;
  int root = c->kind == G_REDUCE ? g->nodes[c->sink].in[0] : c->sink;
  if (root == s->sink) return true; /* a reduction of the blocks themselves */
  const Node *r = &g->nodes[root];
  if (op_kinds[r->op] != K_ELEM) return false;
  for (int k = 0; k < r->nin; k++)
    if (!reads_at_identity(w, r->in[k], &ident)) return false;
  return true;
}

/* Marks the streamed block groups (Group.stream_into, .streamed). */
static void plan_streams(Walk *w, Fusion *f, const int *last_use, const bool *kept,
                         const int *nreaders) {
  for (int k = 0; k < f->ngroups; k++) {
    Group *s = &f->groups[k];
    if (s->kind != G_BLOCK || last_use[k] < 0) continue;
    Group *c = &f->groups[last_use[k]];
    if (c->streamed >= 0 || !can_stream(w, s, c, nreaders, kept)) continue;
    s->stream_into = c->id, c->streamed = k;
    /* the reader's tiles are the kernel's blocks (chunk.c may have split or grouped them:
     * the kernel's own tasks are its blocks anyway) */
    memcpy(c->chunk, w->g->nodes[s->sink].chunk, sizeof c->chunk);
    c->ntiles = tiles_over(c->ndim, c->lo, c->hi, c->chunk);
    c->tile_why = "the blocks of the kernel it streams";
  }
}

enum { HALO_INLINE_MAX = 125 }; /* percent: box elements computed per block element, at most */

/* Whether group x is computed into its readers' halo boxes: an elementwise store (no
 * random or file leaves, which are read in blocks of their own; no streamed block of its
 * own to make), no output, read only by block kernels as a gathered input, whose boxes
 * add up to at most HALO_INLINE_MAX% of x (one reader, halos thin next to the blocks).
 * A box is computed again for each block that reads it; storing x costs its memory and a
 * write and a read of every element. */
static bool can_halo_inline(const Graph *g, const Fusion *f, const Group *x, const bool *kept) {
  const Node *sink = &g->nodes[x->sink];
  if (x->kind != G_STORE || kept[x->id] || x->ndim < 1 || x->streamed >= 0 ||
      node_has_effect(g, sink))
    return false;
  for (int i = 0; i < x->nmembers; i++)
    if (op_flags[g->nodes[x->members[i]].op] & F_STRIP) return false;
  double boxes = 0, elems = (double)node_size(sink);
  for (int k = x->id + 1; k < f->ngroups; k++) {
    const Group *r = &f->groups[k];
    bool reads = false;
    for (int i = 0; i < r->ndeps; i++) reads = reads || r->deps[i] == x->id;
    if (!reads) continue;
    const Node *s = &g->nodes[r->sink];
    if (r->kind != G_BLOCK) return false;
    for (int i = 0; i < s->nin; i++) {
      if (s->in[i] != x->sink) continue;
      double box = 1; /* elements of the boxes over every block of x, per axis */
      for (int a = 0; a < sink->ndim; a++) {
        int64_t n = sink->shape[a], c = sink->chunk[a] ? sink->chunk[a] : 1;
        box *= (double)n + 2.0 * (double)s->block.depth[a] * (double)((n + c - 1) / c);
      }
      boxes += box;
    }
  }
  return boxes > 0 && boxes * 100 <= elems * HALO_INLINE_MAX;
}

/* Marks the groups computed into halo boxes (Group.halo_inline). */
static void plan_halo_inline(const Graph *g, Fusion *f, const bool *kept) {
  for (int k = 0; k < f->ngroups; k++)
    f->groups[k].halo_inline = can_halo_inline(g, f, &f->groups[k], kept);
}

bool group_is_virtual(const Group *gr) {
  return gr->stream_into >= 0 || gr->halo_inline;
}

/* A virtual group's reads are its own deps and, in turn, those of its virtual deps: at
 * most two levels (a streamed kernel reading an array computed into its halos). */
int group_reads(const Fusion *f, const Group *gr, int *out, int *mark, int stamp) {
  int n = 0;
  for (int i = 0; i < gr->ndeps; i++) {
    int j = gr->deps[i];
    if (mark[j] != stamp) mark[j] = stamp, out[n++] = j;
    if (group_is_virtual(&f->groups[j])) n += group_reads(f, &f->groups[j], out + n, mark, stamp);
  }
  return n;
}

/* When a virtual group's reads happen: in its readers' tiles (the latest reader's). */
static int read_time(const Fusion *f, const int *last_use, int k) {
  const Group *gr = &f->groups[k];
  if (gr->stream_into >= 0) return gr->stream_into;
  if (gr->halo_inline) return read_time(f, last_use, last_use[k]);
  return k;
}

void pass_memplan(Graph *g, Fusion *f, bool no_donors) {
  Arena *a = g->arena;
  int n = f->ngroups;
  int *last_use = arena_alloc(a, (size_t)(n ? n : 1) * sizeof *last_use);
  bool *kept = arena_alloc(a, (size_t)(n ? n : 1));
  for (int k = 0; k < n; k++) last_use[k] = -1;
  for (int k = 0; k < n; k++)
    for (int i = 0; i < f->groups[k].ndeps; i++)
      if (f->groups[k].deps[i] < n && last_use[f->groups[k].deps[i]] < k)
        last_use[f->groups[k].deps[i]] = k;
  for (int i = 0; i < g->noutputs; i++) {
    int k = f->group_of[g->nodes[g->outputs[i]].in[0]];
    if (k >= 0) kept[k] = true;
  }
  for (int k = 0; k < n; k++) {
    if (last_use[k] >= 0 || kept[k]) continue;
    if (node_has_effect(g, &g->nodes[f->groups[k].sink]))
      last_use[k] = k; /* an effect nobody reads: its buffer dies with its own tiles */
    else
      kept[k] = true; /* read by nobody: kept, to be safe */
  }

  size_t nn = (size_t)(g->nnodes ? g->nnodes : 1);
  Walk walk = {.g = g,
               .f = f,
               .searched = arena_alloc(a, nn * sizeof(int)),
               .ok_stamp = arena_alloc(a, nn * sizeof(int)),
               .ok = arena_alloc(a, nn * sizeof(Affine *))};
  int *nreaders = arena_alloc(a, (size_t)(n ? n : 1) * sizeof *nreaders);
  memset(nreaders, 0, (size_t)(n ? n : 1) * sizeof *nreaders);
  for (int k = 0; k < n; k++) {
    f->groups[k].stream_into = f->groups[k].streamed = -1;
    for (int i = 0; i < f->groups[k].ndeps; i++) nreaders[f->groups[k].deps[i]]++;
  }
  plan_streams(&walk, f, last_use, kept, nreaders);
  plan_halo_inline(g, f, kept);
  /* a virtual group's inputs are read in its readers' tiles: they live until then */
  int *reads = arena_alloc(a, (size_t)(n ? n : 1) * sizeof *reads);
  int *mark = arena_alloc(a, (size_t)(n ? n : 1) * sizeof *mark);
  for (int k = 0; k < n; k++) mark[k] = -1;
  for (int k = n - 1; k >= 0; k--) {
    if (!group_is_virtual(&f->groups[k]) || last_use[k] < 0) continue;
    int t = read_time(f, last_use, k);
    for (int i = 0; i < f->groups[k].ndeps; i++)
      if (last_use[f->groups[k].deps[i]] < t) last_use[f->groups[k].deps[i]] = t;
  }
  double live = 0, peak = 0;
  double run_frees = 0; /* a run of tasks frees what it read after its taskwait */
  for (int k = 0; k < n; k++) {
    Group *gr = &f->groups[k];
    bool task = group_is_task(g, gr);
    bool run_ends = !task || k + 1 == n || !group_is_task(g, &f->groups[k + 1]);
    const Node *sink = &g->nodes[gr->sink], *w = written(g, gr);
    /* a reader of a streamed group never writes over an input: the kernel reads halos */
    /* under --mpi, every rank zeroes what it writes before the bitwise-or completion
     * (runtime/mpi.c): a donor's data in the other ranks' parts would be or-ed in */
    gr->donor = gr->streamed >= 0 || no_donors ? -1 : find_donor(&walk, gr, last_use, kept);
    gr->copy_only = false;
    if (gr->donor >= 0) {
      int root = gr->kind == G_FFT ? sink->in[0] : gr->sink;
      gr->copy_only =
          root == f->groups[gr->donor].sink && g->nodes[root].dtype == (w ? w->dtype : sink->dtype);
    }
    int nreads = group_is_virtual(gr) ? 0 : group_reads(f, gr, reads, mark, k);
    gr->frees = arena_alloc(a, (size_t)(nreads + 1) * sizeof *gr->frees);
    gr->nfrees = 0;
    for (int i = 0; i < nreads; i++) {
      int j = reads[i];
      if (!kept[j] && last_use[j] == k && j != gr->donor && !group_is_virtual(&f->groups[j]))
        gr->frees[gr->nfrees++] = j;
    }
    if (!kept[k] && last_use[k] == k) gr->frees[gr->nfrees++] = k; /* an unread effect */
    /* r2c along the last axis needs no scratch: FFTW's in-place layout (rows padded to
     * n/2+1 complex) is written straight into the sink */
    gr->r2c_in_place = gr->kind == G_FFT && sink->fft.kind == CDRT_FFT_R2C && gr->donor < 0 &&
                       sink->fft.real_axis == sink->ndim - 1;
    gr->fft_scratch = gr->kind == G_FFT && sink->fft.kind != CDRT_FFT_C2C && !gr->r2c_in_place;
    bool scratch = gr->fft_scratch;
    /* while the tiles run: the inputs, and what the tiles write (new unless in place) */
    if (gr->donor < 0 && !group_is_virtual(gr)) live += bytes_of(w && scratch ? w : sink);
    if (live > peak) peak = live;
    for (int i = 0; i < gr->nfrees; i++) {
      double freed = bytes_of(&g->nodes[f->groups[gr->frees[i]].sink]);
      if (task)
        run_frees += freed;
      else
        live -= freed;
    }
    if (task && run_ends) live -= run_frees, run_frees = 0;
    if (scratch) { /* then the transform writes the sink and the scratch goes */
      live += bytes_of(sink);
      if (live > peak) peak = live;
      live -= bytes_of(w);
    }
  }
  f->peak_bytes = peak;
}
