/* fuse.c — requires: a verified, simplified graph.
 * guarantees: every materialised node (a reduction, or an array an output needs) is the
 * sink of exactly one group; each group lists the elementwise and view nodes it computes
 * inline, in topological order, and the groups it reads from. Nothing else is stored:
 * elementwise work and views are recomputed inside every group that reads them. */
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
  if (x->op != OP_INPUT)
    for (int i = 0; i < x->nin; i++) collect(g, group_of, x->in[i], seen, list, n, deps, ndeps);
  list[(*n)++] = root;
}

static Group *new_group(Fusion *f, Graph *g, int sink, bool reduce) {
  Group *gr = &f->groups[f->ngroups];
  gr->id = f->ngroups++;
  gr->sink = sink;
  gr->reduce = reduce;
  const Node *dom = reduce ? &g->nodes[g->nodes[sink].in[0]] : &g->nodes[sink];
  gr->ndim = dom->ndim;
  memcpy(gr->shape, dom->shape, sizeof gr->shape);
  memcpy(gr->chunk, dom->chunk, sizeof gr->chunk);
  /* the part of the domain that outputs need (cull.c) */
  const Node *sn = &g->nodes[sink];
  gr->culled = false;
  for (int d = 0, k = 0; d < dom->ndim; d++) {
    if (reduce && (sn->axes >> d & 1)) {
      gr->lo[d] = 0, gr->hi[d] = sn->demanded ? dom->shape[d] : 0;
    } else {
      gr->lo[d] = sn->demanded ? sn->dlo[k] : 0, gr->hi[d] = sn->demanded ? sn->dhi[k] : 0;
      k++;
    }
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

Fusion *pass_fuse(Graph *g) {
  Arena *a = g->arena;
  Fusion *f = arena_alloc(a, sizeof *f);
  f->group_of = arena_alloc(a, (size_t)g->nnodes * sizeof *f->group_of);
  f->groups = arena_alloc(a, (size_t)(g->nnodes + 1) * sizeof *f->groups);
  for (int i = 0; i < g->nnodes; i++) f->group_of[i] = -1;

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
    } else if (op_kinds[x->op] == K_OUTPUT && g->nodes[x->in[0]].op != OP_REDUCE &&
               !why[x->in[0]]) {
      /* an input written back out is copied too */
      why[x->in[0]] = arena_printf(a, "ends in an output (%s %s)", op_names[x->op], x->str);
    }
  }
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
    int root = gr->reduce ? g->nodes[gr->sink].in[0] : gr->sink;
    if (!gr->reduce) {
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
