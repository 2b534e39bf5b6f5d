/* verify.c: the checks step() runs after the passes (lower.c), of what they guarantee
 * (cdask.h, "The passes"): pass_verify checks the graph node by node, verify_fusion what
 * fuse, chunk or memplan decided, group by group. Both are linear in the size of the graph
 * and its groups. A failure is a bug in cdaskc: an internal error (exit code 70) naming
 * the node or group and the user's line. */
#include "cdask.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static void fail(const Graph *g, int id, const char *what) {
  const Node *x = &g->nodes[id];
  fprintf(stderr, "%s:%d: internal error: node t%d (%s): %s\n", x->file ? x->file : "?", x->line,
          id, op_names[x->op], what);
  exit(70);
}

/* The corners of the output box map inside the input (affine maps are monotone per axis,
 * so checking the extreme corners suffices). */
static bool view_in_bounds(const Node *x, const Node *in) {
  if (node_size(x) == 0) return true;
  for (int d = 0; d < in->ndim; d++) {
    int64_t lo = x->map->off[d], hi = x->map->off[d];
    for (int k = 0; k < x->ndim; k++) {
      int64_t v = x->map->a[d][k] * (x->shape[k] - 1);
      if (v < 0)
        lo += v;
      else
        hi += v;
    }
    if (lo < 0 || hi >= in->shape[d]) return false;
  }
  return true;
}

/* A scalar kernel's call: one input per parameter, of its dtype; the result's dtype; an
 * impure one numbered among the effects. */
static void verify_call(const Graph *g, int i) {
  const Node *x = &g->nodes[i];
  if (x->call.kernel < 0 || x->call.kernel >= g->nkernels) fail(g, i, "no such kernel");
  const Kernel *k = &g->kernels[x->call.kernel];
  if (x->nin != k->nparams) fail(g, i, "arity is not the kernel's parameter count");
  for (int p = 0; p < k->nparams; p++)
    if (k->params[p].kind != KP_VALUE || x->call.bind[p] != p ||
        g->nodes[x->in[p]].dtype != (DType)k->params[p].dtype)
      fail(g, i, "an argument is not of its parameter's dtype");
  if (x->dtype != (DType)k->ret) fail(g, i, "result is not of the kernel's dtype");
  if ((x->op == OP_CALL) != k->pure) fail(g, i, "call and kernel disagree on purity");
  if (x->op == OP_CALL_IMPURE && (x->call.effect < 0 || x->call.effect >= g->neffects))
    fail(g, i, "effect not numbered");
}

/* A delayed task: a kernel's call (every parameter bound to an input, a count, a result)
 * or a list (kernel -1: its inputs' elements, of its dtype, side by side); nout results
 * side by side (nout > 1: a 1-d array of them). */
static void check_task(const Graph *g, int i) {
  const Node *x = &g->nodes[i];
  if (x->call.kernel < -1 || x->call.kernel >= g->nkernels) fail(g, i, "no such kernel");
  if (x->call.nout < 1 || (x->call.nout > 1 && (x->ndim != 1 || x->shape[0] != x->call.nout)))
    fail(g, i, "results do not fit the task's shape");
  if (x->call.kernel < 0) {
    int64_t len = 0;
    for (int k = 0; k < x->nin; k++) {
      const Node *in = &g->nodes[x->in[k]];
      if (in->dtype != x->dtype || in->ndim > 1) fail(g, i, "list element differs");
      len += node_size(in);
    }
    if (x->ndim != 1 || x->shape[0] != len) fail(g, i, "list length");
    return;
  }
  const Kernel *kn = &g->kernels[x->call.kernel];
  if (!x->call.bind) fail(g, i, "no binding of the kernel's parameters");
  for (int p = 0; p < kn->nparams; p++) {
    int b = x->call.bind[p];
    if (b >= x->nin || (b < 0 && b != CALL_COUNT && b != CALL_OUT) || (b == CALL_COUNT && p == 0))
      fail(g, i, "parameter bound to nothing");
  }
}

void pass_verify(Graph *g) {
  for (int i = 0; i < g->nnodes; i++) {
    const Node *x = &g->nodes[i];
    if (x->op >= OP_COUNT) fail(g, i, "unknown operation");
    int min_in = op_kinds[x->op] == K_TASK ? 0 : 1; /* a task may take no argument */
    if (op_kinds[x->op] != K_SOURCE &&
        (op_arity[x->op] >= 0 ? x->nin != op_arity[x->op] : x->nin < min_in || x->nin > MAXIN))
      fail(g, i, "wrong arity");
    if (x->ndim < 0 || x->ndim > MAXDIM) fail(g, i, "bad rank");
    for (int k = 0; k < x->nin; k++)
      if (x->in[k] < 0 || x->in[k] >= i) fail(g, i, "input is not an earlier node");
    for (int d = 0; d < x->ndim; d++)
      if (x->shape[d] < 0 || x->chunk[d] < 1) fail(g, i, "bad shape or chunk");
    switch (op_kinds[x->op]) {
    case K_ELEM:
      for (int k = 0; k < x->nin; k++) {
        const Node *in = &g->nodes[x->in[k]];
        if (in->ndim != x->ndim || memcmp(in->shape, x->shape, sizeof(int64_t) * (size_t)x->ndim))
          fail(g, i, "elementwise input of another shape");
      }
      if (x->op == OP_WHERE && g->nodes[x->in[0]].dtype != CDRT_BOOL)
        fail(g, i, "where condition is not bool");
      if (x->op == OP_CALL || x->op == OP_CALL_IMPURE) verify_call(g, i);
      break;
    case K_VIEW:
      if (!x->map || x->map->nout != x->ndim || x->map->nin != g->nodes[x->in[0]].ndim)
        fail(g, i, "view map does not fit");
      if (!view_in_bounds(x, &g->nodes[x->in[0]])) fail(g, i, "view reads out of bounds");
      break;
    case K_LAYOUT:
      if (x->op == OP_RESHAPE && node_size(x) != node_size(&g->nodes[x->in[0]]))
        fail(g, i, "reshape changes the size");
      if (x->op == OP_CONCAT) {
        int ax = x->axis;
        int64_t len = 0;
        for (int k = 0; k < x->nin; k++) {
          const Node *in = &g->nodes[x->in[k]];
          if (in->ndim != x->ndim || in->dtype != x->dtype)
            fail(g, i, "concatenated input differs");
          for (int d = 0; d < x->ndim; d++)
            if (d != ax && in->shape[d] != x->shape[d]) fail(g, i, "concatenated shapes differ");
          len += in->shape[ax];
        }
        if (ax < 0 || ax >= x->ndim || len != x->shape[ax]) fail(g, i, "concatenation length");
      }
      if (x->op == OP_ITEM) { /* result call.item of a task's results, side by side */
        const Node *t = &g->nodes[x->in[0]];
        if (t->op != OP_TASK || x->call.item < 0 || x->call.item >= t->call.nout || x->ndim != 0 ||
            x->dtype != t->dtype)
          fail(g, i, "item is not a result of its task");
      }
      break;
    case K_TASK: check_task(g, i); break;
    case K_SCAN: {
      const Node *in = &g->nodes[x->in[0]];
      if (in->ndim != x->ndim || memcmp(in->shape, x->shape, sizeof(int64_t) * (size_t)x->ndim) ||
          x->axis < 0 || x->axis >= x->ndim)
        fail(g, i, "bad scan");
      break;
    }
    case K_FFT: {
      const Node *in = &g->nodes[x->in[0]];
      if (in->ndim != x->ndim || x->axes == 0 || x->axes >> x->ndim) fail(g, i, "bad fft axes");
      for (int d = 0; d < x->ndim; d++) {
        bool real_axis = x->fft.kind != CDRT_FFT_C2C && d == x->fft.real_axis;
        int64_t want = !real_axis                    ? in->shape[d]
                       : x->fft.kind == CDRT_FFT_R2C ? in->shape[d] / 2 + 1
                                                     : x->shape[d] / 2 + 1;
        if ((real_axis && x->fft.kind == CDRT_FFT_C2R ? in->shape[d] : x->shape[d]) != want)
          fail(g, i, "fft shape");
      }
      break;
    }
    case K_BLOCK: { /* map_blocks: one kernel, each parameter bound, inputs of its rank */
      if (x->call.kernel < 0 || x->call.kernel >= g->nkernels || !x->call.bind)
        fail(g, i, "a block node without its kernel");
      const Kernel *k = &g->kernels[x->call.kernel];
      int outs = 0;
      for (int p = 0; p < k->nparams; p++) {
        int b = x->call.bind[p];
        outs += b == CALL_OUT;
        if (b != CALL_OUT && b != CALL_BLOCK && (b < 0 || b >= x->nin))
          fail(g, i, "a kernel parameter bound to no input");
      }
      if (outs != 1) fail(g, i, "a block kernel without exactly one output");
      for (int k2 = 0; k2 < x->nin; k2++)
        for (int d = 0; d < g->nodes[x->in[k2]].ndim; d++)
          if (x->block.depth[d] < 0 || x->block.depth[d] > g->nodes[x->in[k2]].shape[d])
            fail(g, i, "a halo deeper than its array");
      break;
    }
    case K_REDUCE:
      if (x->axes == 0 || x->axes >> g->nodes[x->in[0]].ndim) fail(g, i, "bad reduction axes");
      break;
    default: break;
    }
  }
}

/* verify_fusion's state: marks stamped with the group's id + 1 (no clearing between
 * groups), and the message of the first failure. */
typedef struct {
  const Graph *g;
  const Fusion *f;
  int *pos;      /* node -> its index among the current group's members */
  int *member;   /* node -> stamp of the last group listing it */
  int *dep;      /* group -> stamp of the last group reading it */
  bool *inline_; /* node -> computed inline by some group */
  bool *live;    /* node -> some output needs it */
  char *why;
  size_t n;
  int *reads, *mark; /* group_reads' list and marks (memplan) */
} Check;

static int bad(Check *c, const Group *gr, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int bad(Check *c, const Group *gr, const char *fmt, ...) {
  size_t k = 0;
  if (gr) {
    const Node *s = gr->sink >= 0 && gr->sink < c->g->nnodes ? &c->g->nodes[gr->sink] : NULL;
    k = (size_t)snprintf(c->why, c->n, "group %d (sink t%d, %s:%d): ", gr->id, gr->sink,
                         s && s->file ? s->file : "?", s ? s->line : 0);
    if (k >= c->n) k = c->n - 1;
  }
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(c->why + k, c->n - k, fmt, ap);
  va_end(ap);
  return 1;
}

/* The group's sink, kind, domain and tiles. */
static int check_domain(Check *c, const Group *gr, PassId pass) {
  const Graph *g = c->g;
  if (gr->sink < 0 || gr->sink >= g->nnodes) return bad(c, gr, "no such sink");
  if (c->f->group_of[gr->sink] != gr->id) return bad(c, gr, "its sink is not materialised by it");
  const Node *s = &g->nodes[gr->sink];
  if (gr->kind != group_kind(s->op)) return bad(c, gr, "its kind is not its sink's");
  const Node *dom = gr->kind == G_REDUCE || gr->kind == G_FFT ? &g->nodes[s->in[0]] : s;
  if (gr->ndim != dom->ndim || memcmp(gr->shape, dom->shape, sizeof(int64_t) * (size_t)gr->ndim))
    return bad(c, gr, "its domain is not its sink's");
  bool culled = false;
  for (int d = 0; d < gr->ndim; d++) {
    if (gr->chunk[d] < 1) return bad(c, gr, "tile of %lld on axis %d", (long long)gr->chunk[d], d);
    if (gr->lo[d] < 0 || gr->lo[d] > gr->hi[d] || gr->hi[d] > gr->shape[d])
      return bad(c, gr, "computed box [%lld, %lld) on axis %d of length %lld", (long long)gr->lo[d],
                 (long long)gr->hi[d], d, (long long)gr->shape[d]);
    culled = culled || gr->lo[d] != 0 || gr->hi[d] != gr->shape[d];
  }
  if (culled != gr->culled) return bad(c, gr, "culled is %d for its box", gr->culled);
  int64_t want = tiles_over(gr->ndim, gr->lo, gr->hi, gr->chunk);
  if (gr->ntiles != want)
    return bad(c, gr, "%lld tiles, but its tiles over its box are %lld", (long long)gr->ntiles,
               (long long)want);
  if (pass == PASS_CHUNK && gr->kind == G_BLOCK)
    for (int d = 0; d < gr->ndim; d++)
      if (gr->chunk[d] != s->chunk[d] || gr->lo[d] % s->chunk[d])
        return bad(c, gr, "its tiles are not its output's blocks");
  if (pass == PASS_CHUNK && gr->kind == G_SCAN) {
    int64_t len = gr->shape[s->axis];
    if (gr->chunk[s->axis] != (len ? len : 1)) return bad(c, gr, "its tiles cut the scanned axis");
  }
  return 0;
}

/* Members in topological order ending with the root, reading only earlier members and
 * the groups it depends on, which run before it. */
static int check_members(Check *c, const Group *gr) {
  const Graph *g = c->g;
  const Fusion *f = c->f;
  int stamp = gr->id + 1;
  for (int i = 0; i < gr->ndeps; i++) {
    int j = gr->deps[i];
    if (j < 0 || j >= gr->id)
      return bad(c, gr, "depends on group %d, which does not run before it", j);
    if (c->dep[j] == stamp) return bad(c, gr, "depends on group %d twice", j);
    c->dep[j] = stamp;
  }
  for (int i = 0; i < gr->nmembers; i++) {
    int m = gr->members[i];
    if (m < 0 || m >= g->nnodes) return bad(c, gr, "no such member t%d", m);
    if (c->member[m] == stamp) return bad(c, gr, "lists t%d twice", m);
    c->member[m] = stamp, c->pos[m] = i, c->inline_[m] = true;
    bool stored = group_computes_sink(gr->kind) && m == gr->sink;
    if (f->group_of[m] >= 0 && !stored && !op_generated(g->nodes[m].op))
      return bad(c, gr, "computes t%d, which group %d materialises", m, f->group_of[m]);
  }
  for (int i = 0; i < gr->nmembers; i++) {
    const Node *x = &g->nodes[gr->members[i]];
    for (int k = 0; k < x->nin; k++) {
      int in = x->in[k];
      if (c->member[in] == stamp) {
        if (c->pos[in] > i) return bad(c, gr, "lists t%d before its input t%d", gr->members[i], in);
      } else if (f->group_of[in] < 0 || c->dep[f->group_of[in]] != stamp) {
        return bad(c, gr,
                   "t%d reads t%d, neither computed here nor read from a group it depends on",
                   gr->members[i], in);
      }
    }
  }
  const Node *s = &g->nodes[gr->sink];
  bool stores = group_computes_sink(gr->kind);
  int root = stores ? gr->sink : s->in[0];
  if (gr->nmembers ? gr->members[gr->nmembers - 1] != root
                   : stores || f->group_of[root] < 0 || c->dep[f->group_of[root]] != stamp)
    return bad(c, gr, "does not end with t%d", root);
  return 0;
}

/* memplan's plan: a buffer freed (or written over) after a group's tiles is read by no
 * later group and by no output. */
static int check_plan(Check *c) {
  const Graph *g = c->g;
  const Fusion *f = c->f;
  int *gone = c->pos; /* group -> the group after which its buffer is gone, or -1 */
  for (int k = 0; k < f->ngroups; k++) gone[k] = -1;
  for (int k = 0; k < f->ngroups; k++) {
    const Group *gr = &f->groups[k];
    int stamp = -(k + 1); /* the deps of k, under a stamp no other check uses */
    for (int i = 0; i < gr->ndeps; i++) {
      if (gr->deps[i] < 0 || gr->deps[i] >= k)
        return bad(c, gr, "depends on group %d, which does not run before it", gr->deps[i]);
      c->dep[gr->deps[i]] = stamp;
    }
    if (gr->streamed >= 0) {
      const Group *s = &f->groups[gr->streamed];
      if (s->stream_into != k || c->dep[s->id] != stamp || s->kind != G_BLOCK)
        return bad(c, gr, "streams group %d, which is not a block group streamed into it", s->id);
    }
    /* its tiles run its virtual deps' work: they read those groups' inputs too */
    int nreads = group_reads(f, gr, c->reads, c->mark, k + 1); /* marks start at 0 */
    for (int i = 0; i < nreads; i++) c->dep[c->reads[i]] = stamp;
    if (gr->donor != -1 && (gr->donor < 0 || gr->donor >= k || c->dep[gr->donor] != stamp))
      return bad(c, gr, "writes over group %d, which it does not read", gr->donor);
    for (int i = 0; i <= gr->nfrees; i++) { /* its frees, then its donor */
      int j = i < gr->nfrees ? gr->frees[i] : gr->donor;
      if (i == gr->nfrees && j == -1) continue;
      bool own_effect = j == k && i < gr->nfrees && node_has_effect(g, &g->nodes[gr->sink]);
      if (!own_effect && (j < 0 || j >= k || c->dep[j] != stamp))
        return bad(c, gr, "frees group %d, which it does not read", j);
      if (gone[j] >= 0)
        return bad(c, gr, "frees group %d, gone after group %d already", j, gone[j]);
      gone[j] = k;
    }
  }
  for (int k = 0; k < f->ngroups; k++) {
    const Group *gr = &f->groups[k];
    if (group_is_virtual(gr)) { /* read in its readers' tiles (checked with theirs) */
      if (gone[k] >= 0 || gr->donor >= 0 || gr->nfrees)
        return bad(c, gr, "has no buffer, but one is freed or written over");
      continue;
    }
    int nreads = group_reads(f, gr, c->reads, c->mark, f->ngroups + k + 1);
    for (int i = 0; i < nreads; i++) {
      int j = c->reads[i];
      if (gone[j] >= 0 && gone[j] < k)
        return bad(c, gr, "reads group %d, gone after group %d", j, gone[j]);
    }
  }
  for (int i = 0; i < g->noutputs; i++) {
    int j = f->group_of[g->nodes[g->outputs[i]].in[0]];
    if (j >= 0 && gone[j] >= 0)
      return bad(c, &f->groups[j], "an output writes it, but it is gone after group %d", gone[j]);
  }
  if (!(f->peak_bytes >= 0)) return bad(c, NULL, "peak_bytes is %g", f->peak_bytes);
  return 0;
}

/* Every node an output needs is materialised by a group or computed inline in one; what
 * an output writes is materialised. */
static int check_needed(Check *c) {
  const Graph *g = c->g;
  const Fusion *f = c->f;
  bool *live = c->live;
  for (int i = 0; i < g->noutputs; i++) {
    int in = g->nodes[g->outputs[i]].in[0];
    live[g->outputs[i]] = true;
    if (f->group_of[in] < 0)
      return bad(c, NULL, "t%d, written by output t%d, is materialised by no group", in,
                 g->outputs[i]);
  }
  for (int i = g->nnodes - 1; i >= 0; i--) {
    const Node *x = &g->nodes[i];
    if (node_has_effect(g, x) && f->group_of[i] < 0) /* roots, each computed once */
      return bad(c, NULL, "t%d (%s:%d) has a side effect but is the sink of no group", i,
                 x->file ? x->file : "?", x->line);
    if (!live[i]) continue;
    for (int k = 0; k < x->nin; k++) live[x->in[k]] = true;
    if (op_kinds[x->op] != K_OUTPUT && f->group_of[i] < 0 && !c->inline_[i])
      return bad(c, NULL, "t%d (%s:%d), which an output needs, is computed by no group", i,
                 x->file ? x->file : "?", x->line);
  }
  return 0;
}

int verify_fusion(const Graph *g, const Fusion *f, PassId pass, char *why, size_t n) {
  /* fuse's checks mark nodes; chunk's and memplan's only groups */
  size_t nn = (pass == PASS_FUSE ? (size_t)g->nnodes : 0) + (size_t)f->ngroups + 1;
  Check c = {g,
             f,
             calloc(nn, sizeof(int)),
             calloc(nn, sizeof(int)),
             calloc(nn, sizeof(int)),
             calloc(nn, 1),
             calloc(nn, 1),
             why,
             n,
             calloc(nn, sizeof(int)),
             calloc(nn, sizeof(int))};
  if (!c.pos || !c.member || !c.dep || !c.inline_ || !c.live || !c.reads || !c.mark) {
    fprintf(stderr, "cdaskc: out of memory\n");
    exit(1);
  }
  int rc = 0;
  for (int k = 0; k < f->ngroups && !rc; k++)
    if (f->groups[k].id != k)
      rc = bad(&c, &f->groups[k], "numbered %d at index %d", f->groups[k].id, k);
  if (pass == PASS_FUSE) {
    for (int i = 0; i < g->nnodes && !rc; i++) {
      int k = f->group_of[i];
      if (k >= f->ngroups || (k >= 0 && f->groups[k].sink != i) || k < -1)
        rc =
            bad(&c, NULL, "t%d is said to be materialised by group %d, whose sink it is not", i, k);
    }
    for (int k = 0; k < f->ngroups && !rc; k++) {
      rc = check_domain(&c, &f->groups[k], pass);
      if (!rc) rc = check_members(&c, &f->groups[k]);
    }
    if (!rc) rc = check_needed(&c);
  } else if (pass == PASS_CHUNK) {
    for (int k = 0; k < f->ngroups && !rc; k++) rc = check_domain(&c, &f->groups[k], pass);
  } else if (pass == PASS_MEMPLAN) {
    rc = check_plan(&c);
  }
  free(c.pos), free(c.member), free(c.dep), free(c.inline_), free(c.live);
  free(c.reads), free(c.mark);
  return rc;
}
