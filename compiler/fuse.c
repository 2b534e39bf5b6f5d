/* fuse.c — requires: a verified, simplified graph.
 * guarantees: every materialised node (a reduction, or an array an output needs) is the
 * sink of exactly one group; each group lists the elementwise and view nodes it computes
 * inline, in topological order, and the groups it reads from. Elementwise work and views
 * are recomputed inside every group that reads them, unless storing an intermediate once
 * is cheaper and fits in the memory budget (pass_fuse, at the end). */
#include "cdask.h"

#include <string.h>

/* Collects the nodes computed inline by a group rooted at `root`, children first. */
static void collect(const Graph *g, const int *group_of, int root, bool *seen, int *list, int *n,
                    int *deps, int *ndeps) {
  if (seen[root]) return;
  seen[root] = true;
  const Node *x = &g->nodes[root];
  if (op_kinds[x->op] == K_SOURCE && x->op != OP_INPUT) { /* generated where it is used */
    list[(*n)++] = root;
    return;
  }
  if (group_of[root] >= 0) { /* read from another group's result */
    for (int i = 0; i < *ndeps; i++)
      if (deps[i] == group_of[root]) return;
    deps[(*ndeps)++] = group_of[root];
    return;
  }
  if (x->op == OP_RESHAPE) { /* reads its input's memory: that group must run first */
    collect(g, group_of, x->in[0], seen, list, n, deps, ndeps);
    list[(*n)++] = root;
    return;
  }
  if (x->op != OP_INPUT)
    for (int i = 0; i < x->nin; i++) collect(g, group_of, x->in[i], seen, list, n, deps, ndeps);
  list[(*n)++] = root;
}

/* Makes node id readable by a concatenation at any index under a condition: stored
 * arrays, reshapes (whose input is stored), generated sources, concatenations of readable
 * arrays and views of all these are; an input file under views is stored whole (so all
 * its slices share one copy); anything else (elementwise work) is stored itself. */
static void make_readable(const Graph *g, const char **why, int id, const char *reason) {
  int base = id;
  while (g->nodes[base].op == OP_VIEW && !why[base]) base = g->nodes[base].in[0];
  const Node *x = &g->nodes[base];
  if (why[base] || x->op == OP_RESHAPE || (op_kinds[x->op] == K_SOURCE && x->op != OP_INPUT))
    return;
  if (x->op == OP_CONCAT) {
    for (int k = 0; k < x->nin; k++) make_readable(g, why, x->in[k], reason);
    return;
  }
  why[x->op == OP_INPUT ? base : id] = reason;
}

static Group *new_group(Fusion *f, Graph *g, int sink, bool reduce) {
  Group *gr = &f->groups[f->ngroups];
  gr->id = f->ngroups++;
  gr->sink = sink;
  gr->reduce = reduce;
  gr->scan = g->nodes[sink].op == OP_SCAN;
  gr->fft = g->nodes[sink].op == OP_FFT;
  const Node *dom = reduce || gr->fft ? &g->nodes[g->nodes[sink].in[0]] : &g->nodes[sink];
  gr->ndim = dom->ndim;
  memcpy(gr->shape, dom->shape, sizeof gr->shape);
  memcpy(gr->chunk, dom->chunk, sizeof gr->chunk);
  /* the part of the domain that outputs need (cull.c) */
  const Node *sn = &g->nodes[sink];
  gr->culled = false;
  for (int d = 0, k = 0; d < dom->ndim; d++) {
    if (gr->fft) { /* the whole input: the transform needs it all */
      gr->lo[d] = 0, gr->hi[d] = sn->demanded ? dom->shape[d] : 0;
    } else if (reduce && (sn->axes >> d & 1)) {
      gr->lo[d] = 0, gr->hi[d] = sn->demanded ? dom->shape[d] : 0;
    } else {
      gr->lo[d] = sn->demanded ? sn->dlo[k] : 0, gr->hi[d] = sn->demanded ? sn->dhi[k] : 0;
      k++;
    }
    if (gr->scan && d == sn->ival[0]) gr->lo[d] = 0; /* a scan starts at the beginning */
    gr->culled = gr->culled || gr->lo[d] != 0 || gr->hi[d] != dom->shape[d];
  }
  gr->ntiles = 1;
  for (int d = 0; d < dom->ndim; d++)
    gr->ntiles *= gr->hi[d] > gr->lo[d]
                      ? (gr->hi[d] + dom->chunk[d] - 1) / dom->chunk[d] - gr->lo[d] / dom->chunk[d]
                      : 0;
  f->group_of[sink] = gr->id;
  return gr;
}

/* The sinks every plan needs: reductions, scans, arrays that outputs write, the inputs of
 * reshapes that merge axes and of concatenations (unless they can be read in place). */
static const char **required_sinks(Graph *g, bool **live_out) {
  Arena *a = g->arena;
  /* Which nodes are live (some output needs them): culling at the level of nodes. */
  bool *live = arena_alloc(a, (size_t)g->nnodes);
  for (int i = 0; i < g->noutputs; i++) live[g->outputs[i]] = true;
  for (int i = g->nnodes - 1; i >= 0; i--)
    if (live[i])
      for (int k = 0; k < g->nodes[i].nin; k++) live[g->nodes[i].in[k]] = true;

  /* Sinks: reductions, and arrays that outputs need stored. Groups are numbered in node
   * order, which is topological, so a group is created after every group it reads. */
  const char **why = arena_alloc(a, (size_t)g->nnodes * sizeof *why);
  for (int i = 0; i < g->nnodes; i++) {
    Node *x = &g->nodes[i];
    if (!live[i]) continue;
    if (x->op == OP_REDUCE) {
      why[i] = arena_printf(a, "ends in a reduction (%s)", rop_names[x->rop]);
    } else if (x->op == OP_FFT) {
      why[i] = arena_printf(a, "ends in a transform (%s)", x->name ? x->name : "fft");
    } else if (x->op == OP_SCAN) {
      why[i] =
          arena_printf(a, "ends in a cumulative %s (%s)", x->rop == ROP_SUM ? "sum" : "product",
                       x->name ? x->name : op_names[x->op]);
    } else if (x->op == OP_RESHAPE) {
      int in = x->in[0];
      if (!why[in])
        why[in] = arena_printf(a, "stored: reshaped at %s:%d into %s, which merges axes", x->file,
                               x->line, shape_str(a, x->ndim, x->shape));
    } else if (x->op == OP_CONCAT) {
      const char *reason = arena_printf(a, "stored: concatenated at %s:%d", x->file, x->line);
      for (int k = 0; k < x->nin; k++) make_readable(g, why, x->in[k], reason);
    } else if (op_kinds[x->op] == K_OUTPUT && g->nodes[x->in[0]].op != OP_REDUCE &&
               !why[x->in[0]]) {
      /* an input written back out is copied too */
      why[x->in[0]] = arena_printf(a, "ends in an output (%s %s)", op_names[x->op], x->str);
    }
  }
  *live_out = live;
  return why;
}

static Fusion *build(Graph *g, const char *const *why) {
  Arena *a = g->arena;
  Fusion *f = arena_alloc(a, sizeof *f);
  f->group_of = arena_alloc(a, (size_t)g->nnodes * sizeof *f->group_of);
  f->groups = arena_alloc(a, (size_t)(g->nnodes + 1) * sizeof *f->groups);
  for (int i = 0; i < g->nnodes; i++) f->group_of[i] = -1;
  for (int i = 0; i < g->nnodes; i++)
    if (why[i]) new_group(f, g, i, g->nodes[i].op == OP_REDUCE)->why = why[i];
  /* A node is both a sink and the root of its group's inline work. */
  bool *seen = arena_alloc(a, (size_t)g->nnodes);
  int *list = arena_alloc(a, (size_t)g->nnodes * sizeof *list);
  int *deps = arena_alloc(a, (size_t)(f->ngroups + 1) * sizeof *deps);
  for (int k = 0; k < f->ngroups; k++) {
    Group *gr = &f->groups[k];
    memset(seen, 0, (size_t)g->nnodes);
    int n = 0, ndeps = 0;
    int root = gr->reduce || gr->scan || gr->fft ? g->nodes[gr->sink].in[0] : gr->sink;
    if (!gr->reduce && !gr->scan && !gr->fft) {
      /* the stored node itself is computed here, not read from a group */
      const Node *x = &g->nodes[root];
      seen[root] = true;
      if (x->op != OP_INPUT)
        for (int i = 0; i < x->nin; i++)
          collect(g, f->group_of, x->in[i], seen, list, &n, deps, &ndeps);
      list[n++] = root;
    } else {
      collect(g, f->group_of, root, seen, list, &n, deps, &ndeps);
    }
    gr->members = arena_alloc(a, (size_t)(n ? n : 1) * sizeof *gr->members);
    memcpy(gr->members, list, (size_t)n * sizeof *list);
    gr->nmembers = n;
    gr->deps = arena_alloc(a, (size_t)(ndeps ? ndeps : 1) * sizeof *gr->deps);
    memcpy(gr->deps, deps, (size_t)ndeps * sizeof *deps);
    gr->ndeps = ndeps;
  }
  return f;
}

/* Estimated cost, in nanoseconds per element, of computing node id inline in a group
 * (with everything below it that the group computes too). Rough, but the order of
 * magnitude is what matters: random numbers and transcendental functions dominate. */
static double inline_cost(const Graph *g, const char *const *why, int id, double *memo) {
  if (memo[id] >= 0) return memo[id];
  const Node *x = &g->nodes[id];
  double c;
  switch (x->op) {
  case OP_RNORMAL: c = 3; break;
  case OP_RUNIFORM: c = 1.5; break;
  case OP_INPUT: c = 1; break;
  case OP_SIN:
  case OP_COS:
  case OP_TAN:
  case OP_EXP:
  case OP_LOG: c = 5; break;
  case OP_POW: c = dtype_is_float(x->dtype) ? 10 : 1; break;
  case OP_VIEW: c = 0; break;
  default: c = op_kinds[x->op] == K_SOURCE ? 0.1 : 0.3;
  }
  if (op_kinds[x->op] != K_SOURCE)
    for (int k = 0; k < x->nin; k++) c += why[x->in[k]] ? 0.5 : inline_cost(g, why, x->in[k], memo);
  return memo[id] = c;
}

enum { STORE_NS = 3 /* write an element to fresh memory */, READ_NS = 1 /* read it back */ };

/* Stores an intermediate that several groups would each recompute when recomputing costs
 * more than storing (a write, then one read per group) and it fits in the memory budget
 * next to what is stored already. Greedy, the largest saving first. */
Fusion *pass_fuse(Graph *g, int64_t memory_limit) {
  Arena *a = g->arena;
  bool *live;
  const char **why = required_sinks(g, &live);
  Fusion *f = build(g, why);
  int *uses = arena_alloc(a, (size_t)g->nnodes * sizeof *uses);
  double *memo = arena_alloc(a, (size_t)g->nnodes * sizeof *memo);
  for (int round = 0; round < 16; round++) {
    double kept = 0;
    for (int k = 0; k < f->ngroups; k++) {
      const Node *x = &g->nodes[f->groups[k].sink];
      kept += (double)node_size(x) * (double)cdrt_dtype_size(x->dtype);
    }
    memset(uses, 0, (size_t)g->nnodes * sizeof *uses);
    for (int k = 0; k < f->ngroups; k++)
      for (int i = 0; i < f->groups[k].nmembers; i++) uses[f->groups[k].members[i]]++;
    for (int i = 0; i < g->nnodes; i++) memo[i] = -1;
    int best = -1;
    double best_gain = 0;
    for (int i = 0; i < g->nnodes; i++) {
      const Node *x = &g->nodes[i];
      if (!live[i] || why[i] || uses[i] < 2 || op_kinds[x->op] != K_ELEM) continue;
      double n = (double)node_size(x), bytes = n * (double)cdrt_dtype_size(x->dtype);
      double gain =
          (uses[i] - 1) * inline_cost(g, why, i, memo) * n - (STORE_NS + READ_NS * uses[i]) * n;
      if (gain > best_gain && (memory_limit <= 0 || kept + bytes <= (double)memory_limit))
        best = i, best_gain = gain;
    }
    if (best < 0) break;
    why[best] = arena_printf(a, "stored: read by %d groups, storing saves ~%.0f ms of recomputing",
                             uses[best], best_gain * 1e-6);
    f = build(g, why);
  }
  return f;
}
