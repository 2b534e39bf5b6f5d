/* cost.c: each fused group's predicted work, for --explain and the manifest's "cost" (and,
 * through the manifest, the HTML report). A model, not a measurement:
 * - elements: the elements the group's tiles compute: its domain's computed box (a
 *   reduction's, a scan's and a transform's input); a block kernel's or a task's output.
 * - bytes_read: what the tiles load from memory. Every read of a stored array (another
 *   group's result) or of an input file (da.from_npy) in the group's fused expression loads
 *   one element per element computed, itemsize bytes (a concatenation reads one of its
 *   inputs per element; an array read twice, as in a.T + a, is counted twice: loads, not
 *   distinct bytes). Generated sources (full, arange, linspace, random) read nothing. A
 *   block kernel or a task reads its stored arguments whole (constants passed by value:
 *   nothing).
 * - bytes_written: the sink's computed box times its itemsize (a reduction's result, not
 *   its partials).
 * - flops: per element computed, 1 for every elementwise operation of the group and 20 for
 *   a transcendental one (sin, cos, tan, exp, log, power, angle: roughly what SLEEF's vector
 *   functions cost in additions' time), whatever the dtype (a complex multiply is 1 too);
 *   views, layouts and sources 0; plus 1 per element
 *   for a reduction or a scan (and 1 per result for a mean's division); a transform of N
 *   points 5 N log2 N (Cooley-Tukey's count), half that for a real one (r2c, c2r). Calls of
 *   the user's C kernels are counted as 0 and flagged (kernels = true): their work is
 *   unknown. */
#include "cdask.h"

#include <math.h>

enum { TRANSCENDENTAL_FLOPS = 20 };

static double box_elements(int ndim, const int64_t *lo, const int64_t *hi) {
  double n = 1;
  for (int d = 0; d < ndim; d++) n *= (double)(hi[d] > lo[d] ? hi[d] - lo[d] : 0);
  return n;
}

/* The elements of x some output needs (its whole shape when cull left no box). */
static double needed_elements(const Node *x) {
  return x->demanded ? box_elements(x->ndim, x->dlo, x->dhi) : (double)node_size(x);
}

static double itemsize(const Node *x) {
  return (double)cdrt_dtype_size(x->dtype);
}

/* Floating-point operations of one evaluation of an elementwise node. */
static double elem_flops(const Node *x) {
  switch (x->op) {
  case OP_SIN:
  case OP_COS:
  case OP_TAN:
  case OP_EXP:
  case OP_LOG:
  case OP_POW:
  case OP_ANGLE: return TRANSCENDENTAL_FLOPS;
  case OP_CALL:
  case OP_CALL_IMPURE: return 0; /* unknown: the user's C */
  default: return op_kinds[x->op] == K_ELEM ? 1 : 0;
  }
}

/* A transform's operations: 5 N log2 N per complex transform of N points, half for a
 * real one; N is the product of the transformed axes of the real-space side. */
static double fft_flops(const Graph *g, const Node *sink) {
  const Node *in = &g->nodes[sink->in[0]];
  const Node *space = sink->fft.kind == CDRT_FFT_C2R ? sink : in; /* the real-space side */
  double points = 1;
  for (int d = 0; d < space->ndim; d++)
    if (sink->axes >> d & 1) points *= (double)space->shape[d];
  if (points < 2) return 0;
  double transforms = (double)node_size(space) / points;
  double per = 5 * points * log2(points);
  if (sink->fft.kind != CDRT_FFT_C2C) per /= 2;
  return transforms * per;
}

/* A block kernel's or a task's stored arguments, read whole. */
static double call_reads(const Graph *g, const Node *x) {
  double bytes = 0;
  for (int k = 0; k < x->nin; k++) {
    if (x->op == OP_TASK && task_arg_inline(g, x, k)) continue;
    const Node *in = &g->nodes[x->op == OP_TASK ? task_arg_read(g, x, k) : x->in[k]];
    if (x->op == OP_MAP_BLOCKS && in->op == OP_FULL && in->ndim == 0) continue; /* a literal */
    bytes += (double)node_size(in) * itemsize(in);
  }
  return bytes;
}

/* member[i] == k + 1: node i is computed by group k */
static GroupCost group_cost(const Graph *g, const Fusion *f, int k, const int *member) {
  const Group *gr = &f->groups[k];
  const Node *sink = &g->nodes[gr->sink];
  GroupCost c = {0};
  bool call = op_kinds[sink->op] == K_BLOCK || op_kinds[sink->op] == K_TASK;
  c.elements = call ? needed_elements(sink) : box_elements(gr->ndim, gr->lo, gr->hi);
  c.bytes_written = needed_elements(sink) * itemsize(sink);
  for (int i = 0; i < gr->nmembers; i++) {
    const Node *x = &g->nodes[gr->members[i]];
    if (op_kinds[x->op] == K_BLOCK || op_kinds[x->op] == K_TASK) {
      c.bytes_read += call_reads(g, x);
      c.kernels = true;
      continue;
    }
    c.kernels = c.kernels || x->op == OP_CALL || x->op == OP_CALL_IMPURE;
    c.flops += elem_flops(x) * c.elements;
    if (x->op == OP_INPUT) c.bytes_read += c.elements * itemsize(x);
    bool concat_read = false; /* one of its stored inputs per element */
    for (int j = 0; j < x->nin; j++) {
      const Node *in = &g->nodes[x->in[j]];
      if (member[x->in[j]] == k + 1) continue;
      if (x->op == OP_CONCAT) {
        if (!concat_read) c.bytes_read += c.elements * itemsize(x);
        concat_read = true;
      } else {
        c.bytes_read += c.elements * itemsize(in);
      }
    }
  }
  if (!group_computes_sink(gr->kind) && member[sink->in[0]] != k + 1) /* a stored array's */
    c.bytes_read += c.elements * itemsize(&g->nodes[sink->in[0]]);
  if (gr->kind == G_REDUCE || gr->kind == G_SCAN) {
    c.flops += c.elements;
    if (sink->op == OP_REDUCE && sink->rop == ROP_MEAN) c.flops += needed_elements(sink);
  } else if (gr->kind == G_FFT) {
    c.flops += fft_flops(g, sink);
  }
  return c;
}

GroupCost *group_costs(const Graph *g, const Fusion *f) {
  GroupCost *c = arena_alloc(g->arena, sizeof *c * (size_t)(f->ngroups ? f->ngroups : 1));
  int *member = arena_alloc(g->arena, sizeof *member * ((size_t)g->nnodes + 1));
  for (int k = 0; k < f->ngroups; k++) {
    for (int i = 0; i < f->groups[k].nmembers; i++) member[f->groups[k].members[i]] = k + 1;
    c[k] = group_cost(g, f, k, member);
  }
  return c;
}
