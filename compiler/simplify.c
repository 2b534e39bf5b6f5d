/* simplify.c: how the graph is simplified (the contract: cdask.h, "simplify"). One walk
 * in node order: each node's inputs are first replaced by what they became, then the
 * node is rewritten until no rule applies (a view of a view is one view, a view or cast of
 * a constant a constant, an elementwise operation of constants is folded by fold.c,
 * x ** c for NumPy's fast exponents becomes what NumPy computes), then it is looked up in
 * a hash-consing table of the distinct nodes so far: an identical earlier node replaces
 * it (pure kernel calls too: the same kernel on the same inputs; a node with a side
 * effect, such as an impure kernel's call, is never merged). Node ids do not change: a
 * rewritten node keeps its id. */
#include "cdask.h"

#include <string.h>

/* The constants of a source node, compared and hashed bit for bit (a NaN equals itself,
 * -0 is not 0); the fields a family does not use are zero. No padding: memcmp is safe. */
typedef struct {
  double f[6];
  int64_t i[5];
  uint64_t seed;
} SourceKey;

static SourceKey source_key(const Node *x) {
  return (SourceKey){
      {x->value.f, x->range.start, x->range.step, x->range.stop, x->random.a, x->random.b},
      {x->value.i, x->range.istart, x->range.istep, x->range.div, x->range.endpoint},
      x->random.seed};
}

static bool same_attrs(const Node *x, const Node *y) {
  if (x->op != y->op || x->dtype != y->dtype || x->ndim != y->ndim || x->nin != y->nin)
    return false;
  if (memcmp(x->shape, y->shape, sizeof(int64_t) * (size_t)x->ndim)) return false;
  if (memcmp(x->chunk, y->chunk, sizeof(int64_t) * (size_t)x->ndim)) return false;
  for (int k = 0; k < x->nin; k++)
    if (x->in[k] != y->in[k]) return false;
  switch (x->op) {
  case OP_FULL:
  case OP_ARANGE:
  case OP_LINSPACE:
  case OP_RNORMAL:
  case OP_RUNIFORM: {
    SourceKey kx = source_key(x), ky = source_key(y);
    return memcmp(&kx, &ky, sizeof kx) == 0;
  }
  case OP_INPUT: return x->slot == y->slot;
  case OP_VIEW: return affine_equal(x->map, y->map);
  case OP_REDUCE: return x->rop == y->rop && x->axes == y->axes;
  case OP_CONCAT: return x->axis == y->axis;
  case OP_SCAN: return x->rop == y->rop && x->axis == y->axis;
  case OP_FFT:
    return x->fft.kind == y->fft.kind && x->axes == y->axes &&
           x->fft.real_axis == y->fft.real_axis && x->fft.sign == y->fft.sign &&
           x->fft.scale == y->fft.scale;
  case OP_CALL: return x->call.kernel == y->call.kernel; /* bind: the identity */
  case OP_TASK: /* delayed(pure = true) calls of one kernel on the same inputs are one task */
    return x->call.pure && y->call.pure && x->call.kernel == y->call.kernel &&
           x->call.nout == y->call.nout;
  case OP_ITEM: return x->call.item == y->call.item;
  case OP_TO_NPY:
  case OP_PRINT:
  case OP_TO_TABLE:
  case OP_CALL_IMPURE: return false;
  case OP_MAP_BLOCKS: return false; /* a kernel's blocks: never merged */
  default: return true;
  }
}

/* the constant value of a FULL node converted to dtype t */
static void convert_full(Node *x, DType t) {
  if (dtype_is_float(t)) {
    if (!dtype_is_float(x->dtype)) x->value.f = (double)x->value.i;
    if (t == CDRT_FLOAT32) x->value.f = (double)(float)x->value.f;
  } else if (t == CDRT_BOOL) {
    bool v = dtype_is_float(x->dtype) ? x->value.f != 0 : x->value.i != 0;
    x->value.i = v, x->value.f = v;
  } else {
    if (dtype_is_float(x->dtype))
      x->value.i = t == CDRT_INT32 ? cdrt_f2i32(x->value.f) : cdrt_f2i64(x->value.f);
    else if (t == CDRT_INT32)
      x->value.i = (int32_t)(uint32_t)(uint64_t)x->value.i;
    x->value.f = (double)x->value.i;
  }
  x->dtype = t;
}

static bool is_full(const Graph *g, int id, double *v) {
  const Node *x = &g->nodes[id];
  if (x->op != OP_FULL) return false;
  *v = dtype_is_float(x->dtype) ? x->value.f : (double)x->value.i;
  return true;
}

static int rewrite(Graph *g, int i) {
  Node *x = &g->nodes[i];
  if (fold_constant(g, x)) return 1;
  if (x->op == OP_VIEW) {
    Node *in = &g->nodes[x->in[0]];
    if (in->op == OP_VIEW) { /* view of a view: one composed map */
      Affine *m = arena_alloc(g->arena, sizeof *m);
      affine_compose(m, in->map, x->map);
      x->map = m, x->in[0] = in->in[0];
      return 1;
    }
    if (in->op == OP_FULL) { /* a view of a constant is a constant */
      Node c = *in;
      memcpy(c.shape, x->shape, sizeof c.shape);
      memcpy(c.chunk, x->chunk, sizeof c.chunk);
      c.ndim = x->ndim, c.file = x->file, c.line = x->line, c.src = x->src;
      *x = c;
      return 1;
    }
  }
  if (x->op == OP_CAST && g->nodes[x->in[0]].op == OP_FULL && !dtype_is_complex(x->dtype) &&
      !dtype_is_complex(g->nodes[x->in[0]].dtype)) {
    DType t = x->dtype;
    Node c = g->nodes[x->in[0]];
    c.file = x->file, c.line = x->line, c.src = x->src, c.name = x->name;
    *x = c;
    convert_full(x, t);
    return 1;
  }
  double e;
  if (x->op == OP_POW && is_full(g, x->in[1], &e)) {
    int base = x->in[0];
    if (e == 2) {
      x->op = OP_MUL, x->in[1] = base;
      return 1;
    }
    if (!dtype_is_float(x->dtype)) return 0;
    if (e == 0.5) {
      x->op = OP_SQRT, x->nin = 1;
      return 1;
    }
    if (e == 1) {
      x->op = OP_CAST, x->nin = 1; /* a copy */
      return 1;
    }
    if (e == 0) {
      Node c = g->nodes[x->in[1]];
      c.file = x->file, c.line = x->line, c.src = x->src;
      c.value.f = 1, c.value.i = 1;
      memcpy(c.shape, x->shape, sizeof c.shape);
      memcpy(c.chunk, x->chunk, sizeof c.chunk);
      c.ndim = x->ndim, c.dtype = x->dtype;
      *x = c;
      return 1;
    }
  }
  return 0;
}

/* FNV-1a over the bytes of v, continuing from h */
static uint64_t mix(uint64_t h, const void *v, size_t n) {
  const unsigned char *p = v;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211u;
  return h;
}

/* A hash of exactly the fields same_attrs compares (equal nodes hash equally). */
static uint64_t node_hash(const Node *x) {
  uint64_t h = 14695981039346656037u;
  int head[4] = {(int)x->op, (int)x->dtype, x->ndim, x->nin};
  h = mix(h, head, sizeof head);
  h = mix(h, x->shape, sizeof(int64_t) * (size_t)x->ndim);
  h = mix(h, x->chunk, sizeof(int64_t) * (size_t)x->ndim);
  h = mix(h, x->in, sizeof(int) * (size_t)x->nin);
  switch (x->op) {
  case OP_FULL:
  case OP_ARANGE:
  case OP_LINSPACE:
  case OP_RNORMAL:
  case OP_RUNIFORM: {
    SourceKey k = source_key(x);
    return mix(h, &k, sizeof k);
  }
  case OP_INPUT: return mix(h, &x->slot, sizeof x->slot);
  case OP_VIEW:
    h = mix(h, &x->map->nin, sizeof x->map->nin);
    h = mix(h, x->map->off, sizeof(int64_t) * (size_t)x->map->nin);
    for (int d = 0; d < x->map->nin; d++)
      h = mix(h, x->map->a[d], sizeof(int64_t) * (size_t)x->map->nout);
    return h;
  case OP_REDUCE: h = mix(h, &x->rop, sizeof x->rop); return mix(h, &x->axes, sizeof x->axes);
  case OP_CONCAT: return mix(h, &x->axis, sizeof x->axis);
  case OP_SCAN: h = mix(h, &x->rop, sizeof x->rop); return mix(h, &x->axis, sizeof x->axis);
  case OP_CALL: return mix(h, &x->call.kernel, sizeof x->call.kernel);
  case OP_FFT: {
    int v[3] = {(int)x->fft.kind, x->fft.real_axis, x->fft.sign};
    h = mix(h, v, sizeof v);
    return mix(h, &x->axes, sizeof x->axes); /* the scale is compared with ==: not hashed */
  }
  default: return h;
  }
}

/* Common subexpressions by hash-consing: the distinct nodes seen so far, in an open
 * addressing table (linear probing) of node ids, equality checked by same_attrs. The
 * distinct nodes are pairwise different, so a lookup finds at most one: the result does
 * not depend on the hash. */
typedef struct {
  int *slot; /* node id + 1, 0 when empty */
  size_t mask;
} NodeTable;

static int table_find_or_add(NodeTable *t, const Graph *g, int id) {
  const Node *x = &g->nodes[id];
  size_t i = (size_t)node_hash(x) & t->mask;
  for (; t->slot[i]; i = (i + 1) & t->mask)
    if (same_attrs(&g->nodes[t->slot[i] - 1], x)) return t->slot[i] - 1;
  t->slot[i] = id + 1;
  return id;
}

int pass_simplify(Graph *g) {
  int changed = 0;
  int *repl = arena_alloc(g->arena, (size_t)g->nnodes * sizeof *repl);
  int n = g->nnodes;
  NodeTable table = {.mask = 1};
  while (table.mask + 1 < 2 * (size_t)n) table.mask = 2 * table.mask + 1;
  table.slot = arena_alloc(g->arena, (table.mask + 1) * sizeof *table.slot);
  for (int i = 0; i < n; i++) {
    Node *x = &g->nodes[i];
    for (int k = 0; k < x->nin; k++) x->in[k] = repl[x->in[k]];
    while (rewrite(g, i)) changed++;
    x = &g->nodes[i];
    for (int k = 0; k < x->nin; k++) x->in[k] = repl[x->in[k]];
    repl[i] = i;
    if (op_kinds[x->op] == K_OUTPUT || node_has_effect(g, x)) continue; /* never merged */
    /* common subexpressions: the first identical node stands for both */
    repl[i] = table_find_or_add(&table, g, i);
    changed += repl[i] != i;
  }
  for (int i = 0; i < g->noutputs; i++) {
    Node *o = &g->nodes[g->outputs[i]];
    o->in[0] = repl[o->in[0]];
  }
  return changed;
}
