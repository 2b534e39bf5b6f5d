/* fuse.c: how nodes are grouped (the contract: cdask.h, "fuse"). required_sinks() finds
 * the sinks every plan needs; build() makes one group per sink, numbered in node order
 * (topological, so a group comes after every group it reads), and collects what each
 * computes inline by a depth-first walk from its root that stops at other groups' sinks
 * (they become its deps). Elementwise work and views are thus recomputed inside every
 * group that reads them, until pass_fuse stores, one at a time, the intermediate whose
 * storing saves the most (a write and one read per group, against recomputing it in
 * each) while it fits the memory budget, and builds the groups again. */
#include "cdask.h"

#include <string.h>

/* The state of one group's collection: nodes seen (stamped with the group's id + 1, so
 * the arrays serve every group without clearing) and groups read. */
typedef struct {
  const Graph *g;
  const int *group_of;
  int stamp;
  int *seen;     /* node id -> stamp of the last group that saw it */
  int *dep_seen; /* group id -> stamp of the last group that read it */
  int *list, n;
  int *deps, ndeps;
  int *stack; /* (node, next input) pairs of the walk */
} Collect;

/* Visits node id; returns whether its inputs are to be walked before it is listed. */
static bool visit(Collect *c, int id) {
  if (c->seen[id] == c->stamp) return false;
  c->seen[id] = c->stamp;
  const Node *x = &c->g->nodes[id];
  if (op_generated(x->op)) { /* generated where it is used */
    c->list[c->n++] = id;
    return false;
  }
  int grp = c->group_of[id];
  if (grp >= 0) { /* read from another group's result */
    if (c->dep_seen[grp] != c->stamp) c->dep_seen[grp] = c->stamp, c->deps[c->ndeps++] = grp;
    return false;
  }
  if (x->op == OP_INPUT) {
    c->list[c->n++] = id;
    return false;
  }
  return true; /* a reshape reads its input's memory: that group must run first */
}

/* Collects the nodes computed inline by a group rooted at `root`, children first (a
 * depth-first walk with an explicit stack: graphs may be deeper than the C stack). */
static void collect(Collect *c, int root) {
  if (!visit(c, root)) return;
  int top = 0;
  c->stack[top++] = root, c->stack[top++] = 0;
  while (top) {
    int id = c->stack[top - 2], k = c->stack[top - 1];
    const Node *x = &c->g->nodes[id];
    if (k == x->nin) {
      c->list[c->n++] = id;
      top -= 2;
      continue;
    }
    c->stack[top - 1] = k + 1;
    if (visit(c, x->in[k])) c->stack[top++] = x->in[k], c->stack[top++] = 0;
  }
}

enum { CONCAT_NESTING = 8 /* concatenations read inside one another before one is stored */ };

/* Makes node id readable by a concatenation at any index under a condition: stored
 * arrays, reshapes (whose input is stored), generated sources, concatenations of readable
 * arrays and views of all these are; an input file under views is stored whole (so all
 * its slices share one copy); anything else (elementwise work) is stored itself, and so
 * is a concatenation nested deeper than CONCAT_NESTING (the nested conditions stay short:
 * the emitter's expression for them is bounded). */
static void make_readable(const Graph *g, const char **why, int id, const char *reason, int depth) {
  int base = id;
  while (g->nodes[base].op == OP_VIEW && !why[base]) base = g->nodes[base].in[0];
  const Node *x = &g->nodes[base];
  if (why[base] || x->op == OP_RESHAPE || op_generated(x->op)) return;
  if (x->op == OP_CONCAT && depth < CONCAT_NESTING) {
    for (int k = 0; k < x->nin; k++) make_readable(g, why, x->in[k], reason, depth + 1);
    return;
  }
  why[x->op == OP_INPUT || x->op == OP_CONCAT ? base : id] = reason;
}

static Group *new_group(Fusion *f, Graph *g, int sink) {
  Group *gr = &f->groups[f->ngroups];
  gr->id = f->ngroups++;
  gr->sink = sink;
  gr->kind = group_kind(g->nodes[sink].op);
  gr->donor = gr->stream_into = gr->streamed = -1; /* memplan.c decides */
  bool reduce = gr->kind == G_REDUCE;
  /* a scan's domain is the scan itself (the same shape as its input) */
  const Node *dom = reduce || gr->kind == G_FFT ? &g->nodes[g->nodes[sink].in[0]] : &g->nodes[sink];
  gr->ndim = dom->ndim;
  memcpy(gr->shape, dom->shape, sizeof gr->shape);
  memcpy(gr->chunk, dom->chunk, sizeof gr->chunk);
  /* the part of the domain that outputs need (cull.c) */
  const Node *sn = &g->nodes[sink];
  gr->culled = false;
  for (int d = 0, k = 0; d < dom->ndim; d++) {
    if (gr->kind == G_FFT) { /* the whole input: the transform needs it all */
      gr->lo[d] = 0, gr->hi[d] = sn->demanded ? dom->shape[d] : 0;
    } else if (reduce && (sn->axes >> d & 1)) {
      gr->lo[d] = 0, gr->hi[d] = sn->demanded ? dom->shape[d] : 0;
    } else {
      gr->lo[d] = sn->demanded ? sn->dlo[k] : 0, gr->hi[d] = sn->demanded ? sn->dhi[k] : 0;
      k++;
    }
    if (gr->kind == G_SCAN && d == sn->axis) gr->lo[d] = 0; /* a scan starts at the beginning */
    gr->culled = gr->culled || gr->lo[d] != 0 || gr->hi[d] != dom->shape[d];
  }
  gr->ntiles = tiles_over(dom->ndim, gr->lo, gr->hi, dom->chunk);
  f->group_of[sink] = gr->id;
  return gr;
}

/* The sinks every plan needs: reductions, scans, arrays that outputs write, the inputs of
 * reshapes that merge axes and of concatenations (unless they can be read in place). */
static const char **required_sinks(Graph *g, bool **live_out) {
  Arena *a = g->arena;
  /* Which nodes are live (some output needs them): culling at the level of nodes. */
  bool *live = arena_alloc(a, (size_t)(g->nnodes ? g->nnodes : 1));
  graph_live(g, live);

  /* Sinks: reductions, and arrays that outputs need stored. Groups are numbered in node
   * order, which is topological, so a group is created after every group it reads. */
  const char **why = arena_alloc(a, (size_t)g->nnodes * sizeof *why);
  for (int i = 0; i < g->nnodes; i++) {
    Node *x = &g->nodes[i];
    if (!live[i]) continue;
    if (op_kinds[x->op] != K_TASK) /* a task's result read by anything but a task is stored */
      for (int k = 0; k < x->nin; k++)
        if (g->nodes[x->in[k]].op == OP_ITEM && !why[x->in[k]])
          why[x->in[k]] = arena_printf(a, "result %d of the delayed task t%d",
                                       g->nodes[x->in[k]].call.item, g->nodes[x->in[k]].in[0]);
    if (x->op == OP_CALL_IMPURE) { /* computed once, its tiles in order (emit_group.c) */
      const Kernel *k = &g->kernels[x->call.kernel];
      why[i] = arena_printf(a,
                            "an effect: the impure kernel %s (%s:%d) runs once per element, "
                            "in order",
                            k->name, k->file, k->line);
    } else if (x->op == OP_REDUCE) {
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
      for (int k = 0; k < x->nin; k++) make_readable(g, why, x->in[k], reason, 1);
    } else if (op_kinds[x->op] == K_TASK) { /* a delayed call; its arguments are stored */
      why[i] = arena_printf(a, "a delayed task (%s)", x->name ? x->name : "task");
      for (int k = 0; k < x->nin; k++)
        if (!task_arg_inline(g, x, k) && !why[task_arg_read(g, x, k)])
          why[task_arg_read(g, x, k)] =
              arena_printf(a, "stored: an argument of the task at %s:%d", x->file, x->line);
    } else if (x->op == OP_MAP_BLOCKS) {
      why[i] = arena_printf(a, "ends in a block kernel (%s '%s')", x->name ? x->name : "map_blocks",
                            g->kernels[x->call.kernel].name);
      const Kernel *kn = &g->kernels[x->call.kernel];
      for (int p = 0; p < kn->nparams; p++) { /* constants are literals, arrays stored */
        int k = x->call.bind[p];
        if (k < 0) continue; /* the output, the block descriptions */
        const Node *in = &g->nodes[x->in[k]];
        bool literal = kn->params[p].kind == KP_VALUE && in->op == OP_FULL && in->ndim == 0;
        if (!literal && !why[x->in[k]])
          why[x->in[k]] =
              arena_printf(a, "stored: read by a block kernel at %s:%d", x->file, x->line);
      }
    } else if (op_kinds[x->op] == K_OUTPUT && g->nodes[x->in[0]].op != OP_REDUCE &&
               !why[x->in[0]]) {
      /* an input written back out is copied too */
      why[x->in[0]] = arena_printf(a, "ends in an output (%s %s)", op_names[x->op], x->str);
    }
  }
  *live_out = live;
  return why;
}

bool task_arg_inline(const Graph *g, const Node *task, int k) {
  const Node *in = &g->nodes[task->in[k]];
  if (in->op != OP_FULL || in->ndim != 0) return false;
  if (task->call.kernel < 0) return true; /* a list's element */
  const Kernel *kn = &g->kernels[task->call.kernel];
  for (int p = 0; p < kn->nparams; p++)
    if (task->call.bind[p] == k) return kn->params[p].kind == KP_VALUE;
  return false;
}

int task_arg_read(const Graph *g, const Node *task, int k) {
  const Node *in = &g->nodes[task->in[k]];
  bool value = task->call.kernel < 0; /* a list's element, or a value parameter's */
  if (!value) {
    const Kernel *kn = &g->kernels[task->call.kernel];
    for (int p = 0; p < kn->nparams; p++)
      if (task->call.bind[p] == k) value = kn->params[p].kind == KP_VALUE;
  }
  if (value && in->op == OP_ITEM) return in->in[0]; /* read in its task's results */
  if (value && in->op == OP_CAST && in->ndim == 0 && !dtype_is_complex(in->dtype) &&
      !dtype_is_complex(g->nodes[in->in[0]].dtype))
    return in->in[0];
  return task->in[k];
}

bool group_is_task(const Graph *g, const Group *gr) {
  return gr->kind == G_TASK || g->nodes[gr->sink].op == OP_ITEM;
}

/* Scratch arrays for build(), sized once per pass and reused by every round. */
typedef struct {
  int *seen, *dep_seen, *list, *deps, *stack;
} BuildScratch;

static Fusion *build(Graph *g, const char *const *why, BuildScratch *sc) {
  Arena *a = g->arena;
  Fusion *f = arena_alloc(a, sizeof *f);
  int nsinks = 0;
  for (int i = 0; i < g->nnodes; i++) nsinks += why[i] != NULL;
  f->group_of = arena_alloc(a, (size_t)(g->nnodes ? g->nnodes : 1) * sizeof *f->group_of);
  f->groups = arena_alloc(a, (size_t)(nsinks + 1) * sizeof *f->groups);
  for (int i = 0; i < g->nnodes; i++) f->group_of[i] = -1;
  for (int i = 0; i < g->nnodes; i++)
    if (why[i]) new_group(f, g, i)->why = why[i];
  /* A node is both a sink and the root of its group's inline work. */
  memset(sc->seen, 0, (size_t)g->nnodes * sizeof *sc->seen);
  memset(sc->dep_seen, 0, (size_t)(f->ngroups + 1) * sizeof *sc->dep_seen);
  Collect c = {g, f->group_of, 0, sc->seen, sc->dep_seen, sc->list, 0, sc->deps, 0, sc->stack};
  for (int k = 0; k < f->ngroups; k++) {
    Group *gr = &f->groups[k];
    c.stamp = k + 1, c.n = 0, c.ndeps = 0;
    bool stores = group_computes_sink(gr->kind); /* the sink is made here */
    int root = stores ? gr->sink : g->nodes[gr->sink].in[0];
    if (stores) {
      /* the stored node itself is computed here, not read from a group */
      const Node *x = &g->nodes[root];
      c.seen[root] = c.stamp;
      for (int i = 0; x->op != OP_INPUT && i < x->nin; i++) {
        int grp = f->group_of[x->in[i]];
        if (gr->kind == G_BLOCK && grp >= 0) { /* stored, even a generated source: read */
          if (c.dep_seen[grp] != c.stamp) c.dep_seen[grp] = c.stamp, c.deps[c.ndeps++] = grp;
          continue;
        }
        collect(&c, x->in[i]);
      }
      c.list[c.n++] = root;
    } else {
      collect(&c, root);
    }
    int n = c.n, ndeps = c.ndeps;
    gr->members = arena_alloc(a, (size_t)(n ? n : 1) * sizeof *gr->members);
    memcpy(gr->members, c.list, (size_t)n * sizeof *c.list);
    gr->nmembers = n;
    gr->deps = arena_alloc(a, (size_t)(ndeps ? ndeps : 1) * sizeof *gr->deps);
    memcpy(gr->deps, c.deps, (size_t)ndeps * sizeof *c.deps);
    gr->ndeps = ndeps;
  }
  return f;
}

/* Estimated cost, in nanoseconds per element, of computing each node inline in a group
 * (with everything below it that the group computes too), in node order (inputs come
 * first), from the OPS table's cost column. */
static void inline_costs(const Graph *g, const char *const *why, double *cost) {
  for (int id = 0; id < g->nnodes; id++) {
    const Node *x = &g->nodes[id];
    double c = x->op == OP_POW && !dtype_is_float(x->dtype) ? 1 : op_cost[x->op];
    if (op_kinds[x->op] != K_SOURCE)
      for (int k = 0; k < x->nin; k++) c += why[x->in[k]] ? 0.5 : cost[x->in[k]];
    cost[id] = c;
  }
}

enum { STORE_NS = 3 /* write an element to fresh memory */, READ_NS = 1 /* read it back */ };

/* Stores an intermediate that several groups would each recompute when recomputing costs
 * more than storing (a write, then one read per group) and it fits in the memory budget
 * next to what is stored already. Greedy, the largest saving first. */
Fusion *pass_fuse(Graph *g, int64_t memory_limit) {
  Arena *a = g->arena;
  bool *live;
  const char **why = required_sinks(g, &live);
  size_t nn = (size_t)(g->nnodes ? g->nnodes : 1);
  BuildScratch sc = {arena_alloc(a, nn * sizeof(int)), arena_alloc(a, (nn + 1) * sizeof(int)),
                     arena_alloc(a, nn * sizeof(int)), arena_alloc(a, (nn + 1) * sizeof(int)),
                     arena_alloc(a, 2 * nn * sizeof(int))};
  Fusion *f = build(g, why, &sc);
  int *uses = arena_alloc(a, nn * sizeof *uses);
  double *cost = arena_alloc(a, nn * sizeof *cost);
  for (int round = 0; round < 16; round++) {
    double kept = 0;
    for (int k = 0; k < f->ngroups; k++) {
      const Node *x = &g->nodes[f->groups[k].sink];
      kept += (double)node_size(x) * (double)cdrt_dtype_size(x->dtype);
    }
    memset(uses, 0, (size_t)g->nnodes * sizeof *uses);
    for (int k = 0; k < f->ngroups; k++)
      for (int i = 0; i < f->groups[k].nmembers; i++) uses[f->groups[k].members[i]]++;
    inline_costs(g, why, cost);
    int best = -1;
    double best_gain = 0;
    for (int i = 0; i < g->nnodes; i++) {
      const Node *x = &g->nodes[i];
      if (!live[i] || why[i] || uses[i] < 2 || op_kinds[x->op] != K_ELEM) continue;
      double n = (double)node_size(x), bytes = n * (double)cdrt_dtype_size(x->dtype);
      double gain = (uses[i] - 1) * cost[i] * n - (STORE_NS + READ_NS * uses[i]) * n;
      if (gain > best_gain && (memory_limit <= 0 || kept + bytes <= (double)memory_limit))
        best = i, best_gain = gain;
    }
    if (best < 0) break;
    why[best] = arena_printf(a, "stored: read by %d groups, storing saves ~%.0f ms of recomputing",
                             uses[best], best_gain * 1e-6);
    f = build(g, why, &sc);
  }
  return f;
}
