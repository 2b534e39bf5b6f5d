/* hermitian.c: why and how real inverse transforms become complex-to-real ones (the
 * contract: cdask.h, "hermitian"). real(ifftn(Y)) over axes A is rewritten as
 * irfftn(Y[..., :n/2+1], n) along A's last axis when that gives the same numbers (Y
 * provably Hermitian over A, see below), and the forward transforms of real arrays that Y
 * is made of become real-to-complex transforms of those arrays converted to the
 * transform's real dtype (fftn(x) restricted to the half spectrum is rfftn(x)). Half the
 * arithmetic, half the memory, and the full spectrum is never formed; the new nodes are
 * added at the end, then all are renumbered topologically. No walk recurses: each keeps
 * its own stack, so the depth of the graph does not matter.
 *
 * The mirror. On an axis of length n the mirror of index k is (n - k) mod n; over a set
 * of axes M it mirrors every axis of M at once (written -k). An axis of length 1 or 2 is
 * its own mirror (k = -k for every k): only the "live" axes of M, longer than 2, count.
 * Hermitian over M means Y[-k] = conj(Y[k]) for every k, jointly on all axes of M: one
 * wrong element and every element of the inverse transform is wrong.
 *
 * When the rewrite is exact. Let l be the index on the real axis (length n) and
 * Z_l = the inverse transform of Y[..., l] over the other axes. real(ifftn(Y)) at t is
 * sum over l of Re(Z_l e^(2 pi i l t / n)) / n; the c2r (emit_fft.c: the other axes, then
 * the real axis, ignoring the imaginary parts at l = 0 and n/2) computes Re Z_0 +
 * (-1)^t Re Z_(n/2) + 2 sum over 0 < l < n/2 of Re(Z_l e^(...)), all over n. Equal for
 * every Y iff Z_(n-l) = conj(Z_l) for 0 < l < n/2, i.e. Y[-k] = conj(Y[k]) for every k
 * whose real-axis index is not 0 or n/2: on those two planes nothing is needed.
 *
 * What is proved: a symmetry x[-k] = s(k) conj(x[k]) for all k (for a real array,
 * x[-k] = s(k) x[k]), with the sign s(k) = (flip ? -1 : 1) * prod over d in nyquist of
 * nu_d(k_d), where nu_d(k) = -1 at k = n_d/2 on an axis of even length n_d, +1 elsewhere.
 * s = +1 (flip false, nyquist empty) is "even": Hermitian. The rewrite needs s = +1 off
 * the real axis' planes 0 and n/2: flip false, nyquist holding at most the real axis.
 * Distinct (flip, nyquist) are distinct functions of k, so signs are compared exactly.
 *
 * fftfreq. fftfreq(n)[k] = k/n for k < ceil(n/2), (k - n)/n otherwise: f(k) = j(k)/n with
 * the signed index j(k) = k or k - n. For 0 < k < n, j(n - k) = -j(k) unless k = n - k,
 * i.e. k = n/2 with n even, its own mirror, where j = -n/2 (and -j = n/2): so f(-k) = -f(k)
 * everywhere for odd n, and everywhere but the Nyquist index for even n, where
 * f(-k) = f(k). Sign: flip, nyquist = {axis} if n is even. Hence on one axis f * f and
 * |f| are even for every n (nu^2 = 1), but f(axis 0) * f(axis 1) has sign nu_0 nu_1: even
 * for odd x odd lengths only. For 4 x 4, at (2, l), l = 1 or 3: f0(-2) f1(-l) =
 * -f0(2) f1(l), not f0(2) f1(l), on a row that is not a plane of the real axis 1: not
 * rewritten; 4 x 5 fails the same way (nu_0). For 5 x 4 the sign is nu_1: +1 off the
 * Nyquist plane of the real axis, which the c2r reads as real() does: rewritten.
 * rfftfreq(n) = [0, ..., n/2] / n (an arange) has no symmetry under the mirror of its
 * own length n/2 + 1: nothing is proved for it, nor for other aranges.
 *
 * The rules (s, t the signs of the inputs; "even" is s = +1):
 *  - fftn(x) over A' (A' = A up to axes of length <= 2), x real: even (the DFT of a real
 *    array); constants (always real): even; a real array with no live axis in M: even;
 *    fftfreq's signed indices (a concatenation of two aranges): flip, nyquist as above.
 *  - views that broadcast, insert or permute axes, or read a diagonal, with unit
 *    coefficients and no offset on the mirrored axes: the input's sign carried to the
 *    output axes (a nyquist bit per input axis, two that land on one output axis cancel).
 *    A reversal x[::-1] is x[-k-1], not x[-k]; slices, shifts (fftshift, ifftshift, rolls)
 *    and other concatenations move the mirror's centre: nothing is proved.
 *  - x + y, x - y, where(c, x, y) (c even): s if s = t, else nothing;
 *    x * y, x / y: s t (conj and negation commute with products and quotients);
 *    -x, conj(x), real(x), astype to float or complex (round to nearest is odd): s;
 *    imag(x): -s (imag(conj z) = -imag(z)); abs(x), logical_not(x), x == 0, x != 0,
 *    astype bool: even for any s (|conj z| = |z|, s z = 0 iff z = 0); x == y, x != y:
 *    even if s = t.
 *  - real x only: sin, tan (odd): s; cos (even): even; x ^ c with c a constant integer:
 *    even for even c, s for odd c; any other elementwise function of even real arrays
 *    (exp, sqrt, floor, maximum, less..., a pure scalar kernel): even. An impure kernel's
 *    call (M_UNKNOWN): nothing (its values may depend on anything, and order).
 *  - integer and bool results of these operations must be even: integers wrap, and
 *    x[-k] = -x[k] modulo 2^64 fails at the most negative value once converted (fftfreq's
 *    indices themselves are at most n/2 in magnitude).
 * Everything else (complex exp, log, sqrt, pow, angle, comparisons of complex) is not
 * proved, and the transform stays complex (correct, slower). The rules are identities of
 * real numbers; rounding to nearest is symmetric, so they also hold for the floats, up
 * to non-finite values (a pole such as 1 / fftfreq at k = 0, where the result is not
 * finite either way). */
#include "cdask.h"

#include <math.h>
#include <string.h>

/* x[-k] = s(k) conj(x[k]) with s as above; known false: nothing proved */
typedef struct {
  bool known;
  bool flip;        /* s = -1 away from the Nyquist indices */
  unsigned nyquist; /* even-length axes whose Nyquist index flips s again */
} Sym;

static const Sym UNKNOWN = {.known = false}, EVEN = {.known = true};

static bool sym_eq(Sym a, Sym b) {
  return a.known && b.known && a.flip == b.flip && a.nyquist == b.nyquist;
}

static Sym sym_mul(Sym a, Sym b) {
  return (Sym){.known = true, .flip = a.flip != b.flip, .nyquist = a.nyquist ^ b.nyquist};
}

static Sym sym_neg(Sym a) {
  a.flip = !a.flip;
  return a;
}

/* the axes of mask along which the mirror moves x's indices (longer than 2) */
static unsigned live_axes(const Node *x, unsigned mask) {
  unsigned m = 0;
  for (int d = 0; d < x->ndim; d++)
    if ((mask >> d & 1) && x->shape[d] > 2) m |= 1u << d;
  return m;
}

static bool is_arange(const Node *x, int64_t start, int64_t len) {
  return x->op == OP_ARANGE && x->dtype == CDRT_INT64 && x->ndim == 1 && x->shape[0] == len &&
         x->range.istart == start && x->range.istep == 1;
}

/* fftfreq's integers: [0, 1, ..., (n-1)/2, -(n/2), ..., -1] (lua_fft.c:freq) */
static bool signed_indices(const Graph *g, const Node *x) {
  if (x->op != OP_CONCAT || x->ndim != 1 || x->nin != 2 || x->axis != 0) return false;
  int64_t n = x->shape[0];
  return is_arange(&g->nodes[x->in[0]], 0, (n - 1) / 2 + 1) &&
         is_arange(&g->nodes[x->in[1]], -(n / 2), n / 2);
}

/* The input axes of a view that the mirror over output axes `mask` reaches, if the view
 * commutes with the mirror (it only broadcasts, inserts, permutes axes or reads a
 * diagonal there); out_axis[d] is the output axis that input axis d follows. */
static bool view_mask(const Graph *g, const Node *v, unsigned mask, unsigned *in_mask,
                      int *out_axis) {
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
    out_axis[d] = k0;
  }
  return true;
}

/* a forward fftn of a real array (cast to complex), over mask up to axes of length <= 2 */
static bool forward_of_real(const Graph *g, const Node *x, unsigned mask) {
  if (x->op != OP_FFT || x->fft.kind != CDRT_FFT_C2C || x->fft.sign != -1 ||
      live_axes(x, x->axes) != live_axes(x, mask))
    return false;
  const Node *in = &g->nodes[x->in[0]];
  return in->op == OP_CAST && !dtype_is_complex(g->nodes[in->in[0]].dtype);
}

/* a constant 0: x == 0 holds at -k exactly where it holds at k, whatever x's sign */
static bool is_zero(const Graph *g, int id) {
  const Node *x = &g->nodes[id];
  return x->op == OP_FULL &&
         (dtype_is_float(x->dtype) || dtype_is_complex(x->dtype) ? x->value.f == 0
                                                                 : x->value.i == 0);
}

/* x ^ c for real x of sign s, c a constant integer */
static Sym power_sym(const Graph *g, const Node *x, Sym s) {
  const Node *e = &g->nodes[x->in[1]];
  if (!dtype_is_float(x->dtype) || e->op != OP_FULL || !dtype_is_float(e->dtype)) return UNKNOWN;
  double c = e->value.f;
  if (!(fabs(c) < 0x1p53) || c != floor(c)) return UNKNOWN;
  return fmod(c, 2) == 0 ? EVEN : s;
}

/* The sign of an elementwise node from its inputs' (all known) */
static Sym elementwise_sym(const Graph *g, const Node *x, const Sym *s) {
  bool complex = dtype_is_complex(x->dtype), even = true;
  for (int k = 0; k < x->nin; k++) {
    complex = complex || dtype_is_complex(g->nodes[x->in[k]].dtype);
    even = even && sym_eq(s[k], EVEN);
  }
  Sym r;
  switch (op_mirror[x->op]) { /* the OPS table's mirror column */
  case M_SAME_IF_EQUAL: r = sym_eq(s[0], s[1]) ? s[0] : UNKNOWN; break;
  case M_PRODUCT: r = sym_mul(s[0], s[1]); break;
  case M_FIRST: r = s[0]; break;
  case M_NEGATED: r = sym_neg(s[0]); break;
  case M_EVEN: r = EVEN; break;
  case M_ZERO_TEST:
    r = sym_eq(s[0], s[1]) || is_zero(g, x->in[0]) || is_zero(g, x->in[1]) ? EVEN : UNKNOWN;
    break;
  case M_WHERE: r = sym_eq(s[0], EVEN) && sym_eq(s[1], s[2]) ? s[1] : UNKNOWN; break;
  case M_CAST: r = x->dtype == CDRT_BOOL ? EVEN : s[0]; break;
  case M_ODD_REAL: r = complex ? UNKNOWN : s[0]; break;
  case M_EVEN_REAL: r = complex ? UNKNOWN : EVEN; break;
  case M_POWER: r = complex ? UNKNOWN : even ? EVEN : power_sym(g, x, s[0]); break;
  case M_UNKNOWN: r = UNKNOWN; break; /* an impure kernel: its values may depend on anything */
  case M_EVEN_IF_ALL:
  default: r = even && !complex ? EVEN : UNKNOWN;
  }
  if (!dtype_is_float(x->dtype) && !dtype_is_complex(x->dtype) && !sym_eq(r, EVEN)) return UNKNOWN;
  return r;
}

/* One question: the sign of node id under the mirror over its live axes mask. */
typedef struct {
  int id;
  unsigned mask;
} Query;

typedef struct Fact {
  unsigned mask;
  Sym sym;
  struct Fact *next;
} Fact;

/* The answers, per node of the graph as it was before any rewrite (n nodes), and the
 * stack of questions waiting for their inputs' answers. */
typedef struct {
  Graph *g;
  int n;
  Fact **facts;
  Query *stack;
  int top, cap;
} Prover;

static const Fact *find_fact(const Prover *p, Query q) {
  for (const Fact *f = p->facts[q.id]; f; f = f->next)
    if (f->mask == q.mask) return f;
  return NULL;
}

static void push_query(Prover *p, Query q) {
  if (p->top == p->cap) {
    int cap = p->cap ? 2 * p->cap : 256;
    Query *s = arena_alloc(p->g->arena, (size_t)cap * sizeof *s);
    if (p->top) memcpy(s, p->stack, (size_t)p->top * sizeof *s);
    p->stack = s, p->cap = cap;
  }
  p->stack[p->top++] = q;
}

static Query query(const Graph *g, int id, unsigned mask) {
  return (Query){id, live_axes(&g->nodes[id], mask)};
}

/* The sign of q from its inputs' answers: true with *out set, or false with *need set to
 * an input question not answered yet. An input without a symmetry ends the search. */
static bool answer(const Prover *p, Query q, Sym *out, Query *need) {
  const Graph *g = p->g;
  const Node *x = &g->nodes[q.id];
  *out = UNKNOWN;
  if (x->op == OP_FULL || (q.mask == 0 && !dtype_is_complex(x->dtype))) {
    *out = EVEN;
    return true;
  }
  switch (op_kinds[x->op]) {
  case K_ELEM: {
    Sym s[MAXIN];
    for (int k = 0; k < x->nin; k++) {
      Query c = query(g, x->in[k], q.mask);
      const Fact *f = c.id < p->n ? find_fact(p, c) : NULL;
      if (!f && c.id < p->n) return *need = c, false;
      if (!f || !f->sym.known) return true;
      s[k] = f->sym;
    }
    *out = elementwise_sym(g, x, s);
    return true;
  }
  case K_VIEW: {
    unsigned in_mask;
    int out_axis[MAXDIM];
    if (!view_mask(g, x, q.mask, &in_mask, out_axis) || x->in[0] >= p->n) return true;
    Query c = query(g, x->in[0], in_mask);
    const Fact *f = find_fact(p, c);
    if (!f) return *need = c, false;
    if (!f->sym.known) return true;
    *out = (Sym){.known = true, .flip = f->sym.flip};
    for (int d = 0; d < MAXDIM; d++)
      if (f->sym.nyquist >> d & 1) out->nyquist ^= 1u << out_axis[d];
    return true;
  }
  case K_LAYOUT:
    if (signed_indices(g, x))
      *out = (Sym){.known = true, .flip = true, .nyquist = x->shape[0] % 2 ? 0 : q.mask};
    return true;
  case K_FFT:
    if (forward_of_real(g, x, q.mask)) *out = EVEN;
    return true;
  default: return true;
  }
}

/* The sign of node id under the mirror over mask: a depth-first search with its own
 * stack; every (node, mask) is answered once and kept. */
static Sym prove(Prover *p, int id, unsigned mask) {
  if (id >= p->n) return UNKNOWN; /* made by a rewrite (never asked: kept for safety) */
  Query root = query(p->g, id, mask);
  p->top = 0;
  push_query(p, root);
  while (p->top > 0) {
    Query q = p->stack[p->top - 1], need;
    Sym s;
    if (find_fact(p, q)) {
      p->top--;
    } else if (answer(p, q, &s, &need)) {
      Fact *f = arena_alloc(p->g->arena, sizeof *f);
      *f = (Fact){q.mask, s, p->facts[q.id]};
      p->facts[q.id] = f;
      p->top--;
    } else {
      push_query(p, need); /* a DAG: need is not on the stack already */
    }
  }
  return find_fact(p, root)->sym;
}

/* s = +1 off the planes 0 and n/2 of the real axis: the c2r of the half spectrum is
 * real(ifftn) (see the header) */
static bool halves_suffice(Sym s, int axis) {
  return s.known && !s.flip && (s.nyquist & ~(1u << axis)) == 0;
}

/* One rewrite: the half spectra of the nodes under Y, valid where *_at equals stamp. The
 * walks visit only nodes older than the rewritten real(), so arrays of the graph's
 * original size do. */
typedef struct {
  Graph *g;
  int stamp;
  int *half, *half_at; /* node id -> its half spectrum node */
  char *spectrum;      /* node id -> 1: its elementwise tree holds a halvable forward, 2: not */
  int *spectrum_at;
  int *stack, *spectrum_stack; /* n entries each: a node is on a walk's stack at most once */
  unsigned mask;               /* the transformed axes */
  int axis;                    /* the real axis */
  int64_t len;                 /* the length of the transform along it */
} Ctx;

/* a forward transform that becomes a real-to-complex one along the real axis */
static bool halvable_forward(const Ctx *c, const Node *x) {
  return forward_of_real(c->g, x, c->mask) && (x->axes >> c->axis & 1);
}

/* Whether an elementwise tree under root holds such a forward transform (each node's
 * answer kept; the walk keeps its own stack). */
static bool has_spectrum(Ctx *c, int root) {
  int top = 0;
  c->spectrum_stack[top++] = root;
  while (top > 0) {
    int id = c->spectrum_stack[top - 1];
    const Node *x = &c->g->nodes[id];
    if (c->spectrum_at[id] == c->stamp) {
      top--;
      continue;
    }
    char v = halvable_forward(c, x) ? 1 : op_kinds[x->op] != K_ELEM ? 2 : 0;
    int missing = -1;
    for (int k = 0; k < x->nin && !v && missing < 0; k++) {
      int in = x->in[k];
      if (c->spectrum_at[in] != c->stamp)
        missing = in;
      else if (c->spectrum[in] == 1)
        v = 1;
    }
    if (!v && missing >= 0) {
      c->spectrum_stack[top++] = missing;
      continue;
    }
    if (!v) v = 2;
    c->spectrum[id] = v, c->spectrum_at[id] = c->stamp, top--;
  }
  return c->spectrum[root] == 1;
}

static int add_like(Graph *g, Node *proto, int64_t half_len, int axis) {
  proto->shape[axis] = half_len;
  if (proto->chunk[axis] > half_len) proto->chunk[axis] = half_len;
  return graph_add(g, proto);
}

/* x along the real axis cut to its first len/2+1 entries (a view, left to simplify) */
static int slice_half(Ctx *c, const Node *x, int id) {
  Graph *g = c->g;
  Node v = {.op = OP_VIEW, .dtype = x->dtype, .ndim = x->ndim, .nin = 1, .in = {id}};
  v.file = x->file, v.line = x->line, v.src = x->src;
  memcpy(v.shape, x->shape, sizeof v.shape);
  memcpy(v.chunk, x->chunk, sizeof v.chunk);
  v.map = arena_alloc(g->arena, sizeof *v.map);
  affine_identity(v.map, x->ndim);
  return add_like(g, &v, c->len / 2 + 1, c->axis);
}

/* rfftn of the real array that forward x transforms, read in the transform's real dtype
 * (fftn converted an integer or bool array to complex; the real transform reads floats) */
static int real_forward(Ctx *c, const Node *x) {
  Graph *g = c->g;
  Node cast = g->nodes[x->in[0]];
  int in = cast.in[0];
  DType real = dtype_real(x->dtype);
  if (g->nodes[in].dtype != real) {
    cast.dtype = real;
    in = graph_add(g, &cast);
  }
  Node r = *x;
  r.fft.kind = CDRT_FFT_R2C, r.fft.real_axis = c->axis, r.in[0] = in;
  r.name = arena_printf(g->arena, "%s as rfftn", x->name ? x->name : "fftn");
  return add_like(g, &r, c->len / 2 + 1, c->axis);
}

/* The half spectrum of a Hermitian node: forward transforms of real arrays become rfftn,
 * elementwise work over them is rebuilt on the halves, everything else is sliced. A
 * depth-first walk with its own stack; nodes are made in the order of a post-order walk. */
static int half_of(Ctx *c, int root) {
  Graph *g = c->g;
  int top = 0;
  c->stack[top++] = root;
  while (top > 0) {
    int id = c->stack[top - 1];
    if (c->half_at[id] == c->stamp) {
      top--;
      continue;
    }
    Node x = g->nodes[id]; /* a copy: graph_add may move the nodes */
    int h;
    if (x.shape[c->axis] == 1) {
      h = id; /* broadcast along the real axis */
    } else if (halvable_forward(c, &x)) {
      h = real_forward(c, &x);
    } else if (op_kinds[x.op] == K_ELEM && has_spectrum(c, id)) {
      int missing = -1;
      for (int k = 0; k < x.nin && missing < 0; k++)
        if (c->half_at[x.in[k]] != c->stamp) missing = x.in[k];
      if (missing >= 0) {
        c->stack[top++] = missing;
        continue;
      }
      for (int k = 0; k < x.nin; k++) x.in[k] = c->half[x.in[k]];
      h = add_like(g, &x, c->len / 2 + 1, c->axis);
    } else {
      h = slice_half(c, &x, id);
    }
    c->half[id] = h, c->half_at[id] = c->stamp;
    top--;
  }
  return c->half[root];
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
  for (int p = 0; p < g->npictures; p++) /* da.visualize's arrays */
    for (int i = 0; i < g->pictures[p].nroots; i++)
      g->pictures[p].roots[i] = id[g->pictures[p].roots[i]];
}

int pass_hermitian(Graph *g) {
  int n0 = g->nnodes, rewritten = 0;
  Arena *a = g->arena;
  Prover p = {.g = g, .n = n0, .facts = arena_alloc(a, (size_t)n0 * sizeof *p.facts)};
  Ctx c = {.g = g};
  for (int i = 0; i < n0; i++) {
    Node *x = &g->nodes[i];
    if (x->op != OP_REAL) continue;
    int fi = x->in[0];
    const Node *f = &g->nodes[fi];
    if (f->op != OP_FFT || f->fft.kind != CDRT_FFT_C2C || f->fft.sign != 1) continue;
    if (!halves_suffice(prove(&p, f->in[0], f->axes), f->fft.real_axis)) continue;
    if (!c.half) { /* the walks' arrays, made once and reused under a new stamp */
      c.half = arena_alloc(a, (size_t)n0 * sizeof *c.half);
      c.half_at = arena_alloc(a, (size_t)n0 * sizeof *c.half_at);
      c.spectrum = arena_alloc(a, (size_t)n0);
      c.spectrum_at = arena_alloc(a, (size_t)n0 * sizeof *c.spectrum_at);
      c.stack = arena_alloc(a, (size_t)n0 * sizeof *c.stack);
      c.spectrum_stack = arena_alloc(a, (size_t)n0 * sizeof *c.spectrum_stack);
    }
    c.stamp++, c.mask = f->axes, c.axis = f->fft.real_axis, c.len = f->shape[f->fft.real_axis];
    int h = half_of(&c, f->in[0]);       /* visits only nodes older than i */
    f = &g->nodes[fi], x = &g->nodes[i]; /* graph_add may have moved the nodes */
    Node r = *f;
    r.fft.kind = CDRT_FFT_C2R, r.dtype = x->dtype, r.in[0] = h;
    r.name = arena_printf(a, "real(%s) as irfftn", f->name ? f->name : "ifftn");
    r.file = x->file, r.line = x->line, r.src = x->src;
    memcpy(r.chunk, x->chunk, sizeof r.chunk);
    *x = r; /* node i, read by later nodes, is now the c2r transform */
    p.facts[i] = NULL;
    rewritten++;
  }
  if (rewritten) reorder(g);
  return rewritten;
}
