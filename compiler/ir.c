/* ir.c: the graph of nodes, and the operation tables expanded from OPS. */
#include "cdask.h"

#include <string.h>

const char *const op_names[OP_COUNT] = {
#define X(name, text, arity, kind, flags, cost, mirror) text,
    OPS(X)
#undef X
};
const int op_arity[OP_COUNT] = {
#define X(name, text, arity, kind, flags, cost, mirror) arity,
    OPS(X)
#undef X
};
const OpKind op_kinds[OP_COUNT] = {
#define X(name, text, arity, kind, flags, cost, mirror) kind,
    OPS(X)
#undef X
};
const unsigned op_flags[OP_COUNT] = {
#define X(name, text, arity, kind, flags, cost, mirror) flags,
    OPS(X)
#undef X
};
const double op_cost[OP_COUNT] = {
#define X(name, text, arity, kind, flags, cost, mirror) cost,
    OPS(X)
#undef X
};
const MirrorRule op_mirror[OP_COUNT] = {
#define X(name, text, arity, kind, flags, cost, mirror) mirror,
    OPS(X)
#undef X
};
const char *const rop_names[ROP_COUNT] = {
#define X(name, text) text,
    ROPS(X)
#undef X
};

Graph *graph_new(Arena *a) {
  Graph *g = arena_alloc(a, sizeof *g);
  g->arena = a;
  return g;
}

int graph_add(Graph *g, const Node *proto) {
  if (g->nnodes == g->cap) {
    int cap = g->cap ? 2 * g->cap : 64;
    g->nodes = arena_grow(g->arena, g->nodes, (size_t)g->cap * sizeof *g->nodes,
                          (size_t)cap * sizeof *g->nodes);
    g->cap = cap;
  }
  g->nodes[g->nnodes] = *proto;
  if (op_kinds[proto->op] == K_OUTPUT) {
    if (g->noutputs == g->outcap) {
      int cap = g->outcap ? 2 * g->outcap : 16;
      int *outs = arena_alloc(g->arena, (size_t)cap * sizeof *outs);
      if (g->noutputs) memcpy(outs, g->outputs, (size_t)g->noutputs * sizeof *outs);
      g->outputs = outs, g->outcap = cap;
    }
    g->outputs[g->noutputs++] = g->nnodes;
  }
  return g->nnodes++;
}

int64_t node_size(const Node *n) {
  int64_t s = 1;
  for (int d = 0; d < n->ndim; d++) s *= n->shape[d];
  return s;
}

bool dtype_is_float(DType t) {
  return t == CDRT_FLOAT32 || t == CDRT_FLOAT64;
}

bool dtype_is_complex(DType t) {
  return t == CDRT_COMPLEX64 || t == CDRT_COMPLEX128;
}

DType dtype_real(DType t) {
  return t == CDRT_COMPLEX64 ? CDRT_FLOAT32 : t == CDRT_COMPLEX128 ? CDRT_FLOAT64 : t;
}

DType dtype_complex(DType t) {
  return t == CDRT_FLOAT32 || t == CDRT_COMPLEX64 ? CDRT_COMPLEX64 : CDRT_COMPLEX128;
}

const char *dtype_enum(DType t) {
  static const char *const names[CDRT_NDTYPES] = {
      "CDRT_BOOL",    "CDRT_INT32",     "CDRT_INT64",     "CDRT_FLOAT32",
      "CDRT_FLOAT64", "CDRT_COMPLEX64", "CDRT_COMPLEX128"};
  return names[t];
}

bool dtype_is_int(DType t) {
  return t == CDRT_INT32 || t == CDRT_INT64;
}

const char *dtype_ctype(DType t) {
  switch (t) {
  case CDRT_BOOL: return "uint8_t";
  case CDRT_INT32: return "int32_t";
  case CDRT_INT64: return "int64_t";
  case CDRT_FLOAT32: return "float";
  case CDRT_COMPLEX64: return "cdrt_c64";
  case CDRT_COMPLEX128: return "cdrt_c128";
  default: return "double";
  }
}

const char *shape_str(Arena *a, int ndim, const int64_t *shape) {
  char buf[512];
  size_t n = 0;
  buf[n++] = '(';
  for (int d = 0; d < ndim; d++)
    n += (size_t)snprintf(buf + n, sizeof buf - n, d ? ",%lld" : "%lld", (long long)shape[d]);
  if (ndim == 1) buf[n++] = ',';
  buf[n++] = ')';
  buf[n] = 0;
  return arena_strdup(a, buf);
}

GroupKind group_kind(Op sink) {
  switch (op_kinds[sink]) {
  case K_REDUCE: return G_REDUCE;
  case K_SCAN: return G_SCAN;
  case K_FFT: return G_FFT;
  case K_BLOCK: return G_BLOCK;
  case K_TASK: return G_TASK;
  default: return G_STORE;
  }
}

void graph_live(const Graph *g, bool *live) {
  memset(live, 0, (size_t)g->nnodes);
  for (int i = 0; i < g->noutputs; i++) live[g->outputs[i]] = true;
  for (int i = g->nnodes - 1; i >= 0; i--) {
    if (node_has_effect(g, &g->nodes[i])) live[i] = true; /* effects are roots too */
    if (live[i])
      for (int k = 0; k < g->nodes[i].nin; k++) live[g->nodes[i].in[k]] = true;
  }
}

bool group_computes_sink(GroupKind k) {
  return k == G_STORE || k == G_BLOCK || k == G_TASK;
}

bool node_has_effect(const Graph *g, const Node *x) {
  if (op_flags[x->op] & F_EFFECT) return true;
  OpKind k = op_kinds[x->op];
  return (k == K_BLOCK || k == K_TASK) && x->call.kernel >= 0 && !g->kernels[x->call.kernel].pure;
}

bool op_generated(Op op) {
  return op_kinds[op] == K_SOURCE && op != OP_INPUT;
}

bool graph_has_fft(const Graph *g) {
  for (int i = 0; g && i < g->nnodes; i++)
    if (g->nodes[i].op == OP_FFT) return true;
  return false;
}

bool graph_has_random(const Graph *g) {
  for (int i = 0; g && i < g->nnodes; i++)
    if (g->nodes[i].op == OP_RNORMAL || g->nodes[i].op == OP_RUNIFORM) return true;
  return false;
}

bool graph_maps_case(const Graph *g) {
  for (int i = 0; g && i < g->tables.nx; i++) {
    const TExpr *e = &g->tables.x[i];
    if (e->kind == TX_STR && (e->strfn == TS_LOWER || e->strfn == TS_UPPER)) return true;
  }
  return false;
}

bool graph_uses_regex(const Graph *g) {
  for (int i = 0; g && i < g->tables.nx; i++) {
    const TExpr *e = &g->tables.x[i];
    if (e->kind == TX_STR && e->strfn >= TS_RX_SEARCH) return true; /* TS_RX_* come last */
  }
  return false;
}

bool graph_reads_gzip(const Graph *g) {
  for (int s = 0; g && s < g->tables.nsrc; s++)
    if (g->tables.src[s].gzip) return true;
  return false;
}

/* NumPy sums pairwise; its products are plain left-to-right loops. (The accumulator of a
 * sum or mean has the output's type.) */
bool reduce_is_pairwise(const Node *sink) {
  return dtype_is_float(sink->dtype) && (sink->rop == ROP_SUM || sink->rop == ROP_MEAN);
}

void full_value(Node *n, DType from, int64_t i, double f) {
  bool fl = dtype_is_float(from) || dtype_is_complex(from);
  DType t = n->dtype;
  int64_t iv = 0;
  double fv = 0;
  switch (t) {
  case CDRT_BOOL: iv = fl ? f != 0 : i != 0; break; /* NaN is True */
  case CDRT_INT32: iv = fl ? cdrt_f2i32(f) : (int32_t)(uint32_t)(uint64_t)i; break;
  case CDRT_INT64: iv = fl ? cdrt_f2i64(f) : i; break;
  case CDRT_FLOAT32:
  case CDRT_COMPLEX64: fv = fl ? (double)(float)f : (double)(float)i; break; /* one rounding */
  default: fv = fl ? f : (double)i; break;
  }
  if (dtype_is_float(t) || dtype_is_complex(t))
    n->value.f = fv, n->value.i = 0;
  else
    n->value.i = iv, n->value.f = (double)iv;
}
