/* hermitian.c — requires: a simplified graph. guarantees: real(ifftn(Y)) over axes A
 * is rewritten as irfftn(Y[..., :n/2+1], n) along A's last axis when Y is provably
 * Hermitian over A (Y[-k] = conj(Y[k]), indices mod the lengths), and the forward
 * transforms of real arrays that Y is made of become real-to-complex transforms
 * (fftn(x) restricted to the half spectrum is rfftn(x)). Half the arithmetic, half the
 * memory, and the full spectrum is never formed; nodes are renumbered topologically.
 *
 * Hermitian (for a real array: even) is proved structurally:
 *  - fftn(x) over exactly A, x real (a cast of a real array): Hermitian;
 *  - constants: even; any array whose axes in A all have length 1: even if real;
 *  - fftfreq's signed indices [0, 1, ..., -2, -1]: odd (except at n/2, its own mirror);
 *  - views that only broadcast, insert or permute axes carry the parity of their input;
 *  - real elementwise functions of even arrays are even; sums of odd arrays are odd,
 *    products of two odd arrays even; cos and abs of odd arrays even;
 *  - on complex arrays, the operations that commute with conj (+ - * / negative conj abs
 *    real where equal not_equal astype) of Hermitian arrays are Hermitian.
 * Anything else is not proved, and the transform stays complex (correct, slower). */
#include "cdask.h"

#include <string.h>

typedef enum { P_NONE, P_EVEN, P_ODD } Parity; /* P_EVEN on complex arrays: Hermitian */

typedef struct {
  Graph *g;
  int *half;      /* node id -> its half spectrum node, or -1 (for this mask and axis) */
  char *spectrum; /* has_spectrum's memo, per node */
  unsigned mask;  /* the transformed axes */
  int axis;       /* the real axis */
  int64_t n;      /* the length of the transform along it */
} Ctx;

/* parity() results, per node, for the last mask asked (views change the mask) */
typedef struct {
  int n;
  unsigned *mask;
  signed char *p; /* -1: not known */
} Memo;

static bool real_dtype(DType t) {
  return !dtype_is_complex(t);
}

/* the axes of mask along which x has more than one element */
static unsigned live_axes(const Node *x, unsigned mask) {
  unsigned m = 0;
  for (int d = 0; d < x->ndim; d++)
    if ((mask >> d & 1) && x->shape[d] > 1) m |= 1u << d;
  return m;
}

static bool is_arange(const Node *x, int64_t start, int64_t len) {
  return x->op == OP_ARANGE && x->dtype == CDRT_INT64 && x->ndim == 1 && x->shape[0] == len &&
         x->ival[0] == start && x->ival[1] == 1;
}

/* fftfreq's integers: [0, 1, ..., (n-1)/2, -(n/2), ..., -1] (lua_fft.c:freq) */
static bool signed_indices(const Graph *g, const Node *x) {
  if (x->op != OP_CONCAT || x->ndim != 1 || x->nin != 2 || x->ival[0] != 0) return false;
  int64_t n = x->shape[0];
  return is_arange(&g->nodes[x->in[0]], 0, (n - 1) / 2 + 1) &&
         is_arange(&g->nodes[x->in[1]], -(n / 2), n / 2);
}

/* The input axes of a view that the mirror over output axes `mask` reaches, if the view
 * commutes with the mirror (it only broadcasts, inserts or permutes axes there). */
static bool view_mask(const Graph *g, const Node *v, unsigned mask, unsigned *in_mask) {
  const Node *in = &g->nodes[v->in[0]];
  const Affine *m = v->map;
  *in_mask = 0;
  for (int d = 0; d < m->nin; d++) {
    if (in->shape[d] == 1) continue;
    int links = 0, k0 = -1;
    bool touched = false;
    for (int k = 0; k < m->nout; k++)
      if (m->a[d][k]) {
        links++, k0 = k;
        touched = touched || (mask >> k & 1);
      }
    if (!touched) continue;
    if (links != 1 || m->a[d][k0] != 1 || m->off[d] != 0 || in->shape[d] != v->shape[k0])
      return false;
    *in_mask |= 1u << d;
  }
  return true;
}

static bool conj_commutes(Op op) {
  switch (op) {
  case OP_ADD:
  case OP_SUB:
  case OP_MUL:
  case OP_DIV:
  case OP_NEG:
  case OP_CONJ:
  case OP_ABS:
  case OP_REAL:
  case OP_CAST:
  case OP_WHERE:
  case OP_EQ:
  case OP_NE: return true;
  default: return false;
  }
}

/* a forward fftn over exactly mask of a real array (cast to complex) */
static bool forward_of_real(const Graph *g, const Node *x, unsigned mask) {
  if (x->op != OP_FFT || x->variant != FFT_C2C || x->ival[0] != -1 ||
      live_axes(x, x->axes) != live_axes(x, mask))
    return false;
  const Node *in = &g->nodes[x->in[0]];
  return in->op == OP_CAST && real_dtype(g->nodes[in->in[0]].dtype);
}

static Parity parity(const Graph *g, Memo *memo, int id, unsigned mask);

static Parity elementwise_parity(const Graph *g, Memo *memo, const Node *x, unsigned mask) {
  Parity p[3];
  bool complex_in = dtype_is_complex(x->dtype), even = true;
  for (int k = 0; k < x->nin; k++) {
    p[k] = parity(g, memo, x->in[k], mask);
    if (p[k] == P_NONE) return P_NONE;
    even = even && p[k] == P_EVEN;
    complex_in = complex_in || dtype_is_complex(g->nodes[x->in[k]].dtype);
  }
  if (complex_in) return even && conj_commutes(x->op) ? P_EVEN : P_NONE;
  if (even) return P_EVEN; /* a function of even arrays, elementwise */
  switch (x->op) {         /* some input is odd */
  case OP_NEG:
  case OP_SIN:
  case OP_TAN: return P_ODD;
  case OP_CAST: return dtype_is_float(x->dtype) ? P_ODD : P_NONE;
  case OP_COS:
  case OP_ABS: return P_EVEN;
  case OP_ADD:
  case OP_SUB: return p[0] == P_ODD && p[1] == P_ODD ? P_ODD : P_NONE;
  case OP_MUL:
  case OP_DIV: return p[0] == p[1] ? P_EVEN : P_ODD;
  default: return P_NONE;
  }
}

static Parity parity_of(const Graph *g, Memo *memo, const Node *x, unsigned mask) {
  if (x->op == OP_FULL || (mask == 0 && real_dtype(x->dtype))) return P_EVEN;
  switch (op_kinds[x->op]) {
  case K_ELEM: return elementwise_parity(g, memo, x, mask);
  case K_VIEW: {
    unsigned in_mask;
    return view_mask(g, x, mask, &in_mask) ? parity(g, memo, x->in[0], in_mask) : P_NONE;
  }
  case K_LAYOUT: return signed_indices(g, x) ? P_ODD : P_NONE;
  case K_FFT: return forward_of_real(g, x, mask) ? P_EVEN : P_NONE;
  default: return P_NONE;
  }
}

static Parity parity(const Graph *g, Memo *memo, int id, unsigned mask) {
  mask = live_axes(&g->nodes[id], mask);
  if (id < memo->n && memo->p[id] >= 0 && memo->mask[id] == mask) return (Parity)memo->p[id];
  Parity p = parity_of(g, memo, &g->nodes[id], mask);
  if (id < memo->n) memo->p[id] = (signed char)p, memo->mask[id] = mask;
  return p;
}

/* x along the real axis cut to its first n/2+1 entries (a view, left to simplify) */
static int slice_half(Ctx *c, int id) {
  Graph *g = c->g;
  Node x = g->nodes[id];
  Node v = {.op = OP_VIEW, .dtype = x.dtype, .ndim = x.ndim, .nin = 1, .in = {id}};
  v.file = x.file, v.line = x.line, v.src = x.src;
  memcpy(v.shape, x.shape, sizeof v.shape);
  memcpy(v.chunk, x.chunk, sizeof v.chunk);
  v.shape[c->axis] = c->n / 2 + 1;
  if (v.chunk[c->axis] > v.shape[c->axis]) v.chunk[c->axis] = v.shape[c->axis];
  v.map = arena_alloc(g->arena, sizeof *v.map);
  affine_identity(v.map, x.ndim);
  return graph_add(g, &v);
}

/* Whether an elementwise tree under id holds a forward transform of a real array (memo:
 * 0 not known, 1 yes, 2 no; shared subexpressions are walked once). */
static bool has_spectrum(Ctx *c, int id) {
  const Node *x = &c->g->nodes[id];
  if (c->spectrum[id]) return c->spectrum[id] == 1;
  bool yes = forward_of_real(c->g, x, c->mask);
  for (int k = 0; k < x->nin && !yes && op_kinds[x->op] == K_ELEM; k++)
    yes = has_spectrum(c, x->in[k]);
  c->spectrum[id] = yes ? 1 : 2;
  return yes;
}

/* The half spectrum of a Hermitian node: forward transforms of real arrays become rfftn,
 * elementwise work over them is rebuilt on the halves, everything else is sliced. */
static int half_of(Ctx *c, int id) {
  Graph *g = c->g;
  if (c->half[id] >= 0) return c->half[id];
  Node x = g->nodes[id];
  int h;
  if (x.shape[c->axis] == 1) {
    h = id; /* broadcast along the real axis */
  } else if (forward_of_real(g, &x, c->mask)) {
    int in = g->nodes[x.in[0]].in[0];
    Node r = x;
    r.variant = FFT_R2C, r.axis = c->axis, r.in[0] = in;
    r.name = arena_printf(g->arena, "%s as rfftn", x.name ? x.name : "fftn");
    r.shape[c->axis] = c->n / 2 + 1;
    if (r.chunk[c->axis] > r.shape[c->axis]) r.chunk[c->axis] = r.shape[c->axis];
    h = graph_add(g, &r);
  } else if (op_kinds[x.op] == K_ELEM && has_spectrum(c, id)) {
    Node e = x;
    for (int k = 0; k < x.nin; k++) e.in[k] = half_of(c, x.in[k]);
    e.shape[c->axis] = c->n / 2 + 1;
    if (e.chunk[c->axis] > e.shape[c->axis]) e.chunk[c->axis] = e.shape[c->axis];
    h = graph_add(g, &e);
  } else {
    h = slice_half(c, id);
  }
  return c->half[id] = h;
}

/* Renumbers the nodes in a topological order (inputs first), keeping the relative order
 * of the original ones. */
static void reorder(Graph *g) {
  int n = g->nnodes, top = 0;
  int *order = arena_alloc(g->arena, (size_t)n * sizeof *order);
  int *id = arena_alloc(g->arena, (size_t)n * sizeof *id);
  int *stack = arena_alloc(g->arena, (size_t)n * sizeof *stack);
  char *state = arena_alloc(g->arena, (size_t)n); /* 0 new, 1 open, 2 placed */
  int placed = 0;
  for (int r = 0; r < n; r++) {
    if (state[r]) continue;
    stack[top++] = r, state[r] = 1;
    while (top) {
      int v = stack[top - 1], next = -1;
      for (int k = 0; k < g->nodes[v].nin && next < 0; k++)
        if (!state[g->nodes[v].in[k]]) next = g->nodes[v].in[k];
      if (next >= 0) {
        stack[top++] = next, state[next] = 1;
      } else {
        top--, state[v] = 2, id[v] = placed, order[placed++] = v;
      }
    }
  }
  Node *nodes = arena_alloc(g->arena, (size_t)g->cap * sizeof *nodes);
  for (int i = 0; i < n; i++) {
    nodes[i] = g->nodes[order[i]];
    for (int k = 0; k < nodes[i].nin; k++) nodes[i].in[k] = id[nodes[i].in[k]];
  }
  g->nodes = nodes;
  for (int i = 0; i < g->noutputs; i++) g->outputs[i] = id[g->outputs[i]];
}

int pass_hermitian(Graph *g) {
  int n0 = g->nnodes, rewritten = 0;
  Memo memo = {n0, arena_alloc(g->arena, (size_t)n0 * sizeof(unsigned)),
               arena_alloc(g->arena, (size_t)n0)};
  memset(memo.p, -1, (size_t)n0);
  for (int i = 0; i < n0; i++) {
    Node *x = &g->nodes[i];
    if (x->op != OP_REAL) continue;
    int fi = x->in[0];
    const Node *f = &g->nodes[fi];
    if (f->op != OP_FFT || f->variant != FFT_C2C || f->ival[0] != 1) continue;
    if (parity(g, &memo, f->in[0], f->axes) != P_EVEN) continue;
    /* half_of only visits nodes older than i; its memo is per transform */
    Ctx c = {.g = g, .mask = f->axes, .axis = f->axis, .n = f->shape[f->axis]};
    c.half = arena_alloc(g->arena, (size_t)n0 * sizeof *c.half);
    for (int k = 0; k < n0; k++) c.half[k] = -1;
    c.spectrum = arena_alloc(g->arena, (size_t)n0);
    int h = half_of(&c, f->in[0]);
    f = &g->nodes[fi], x = &g->nodes[i]; /* graph_add may have moved the nodes */
    Node r = *f;
    r.variant = FFT_C2R, r.dtype = x->dtype, r.in[0] = h;
    r.name = arena_printf(g->arena, "real(%s) as irfftn", f->name ? f->name : "ifftn");
    r.file = x->file, r.line = x->line, r.src = x->src;
    memcpy(r.chunk, x->chunk, sizeof r.chunk);
    *x = r; /* node i, read by later nodes, is now the c2r transform */
    memo.p[i] = -1;
    rewritten++;
  }
  if (rewritten) reorder(g);
  return rewritten;
}
