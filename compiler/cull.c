/* cull.c: how each node's box of needed indices is found (the contract: cdask.h, "cull"),
 * so that a group computes only that part of its domain: x:mean(0)["0:100"] generates
 * 100 columns of x, not all of them. Demand flows from the outputs backwards: elementwise
 * nodes pass their box to their inputs, views map it through their affine map (a bounding
 * box), reductions need their kept axes' box and the whole of the reduced axes, scans the
 * start of their axis, concatenations the part of each input in the box, reshapes the
 * rows of their input that hold the box's first and last element. Boxes of several users
 * are joined into their bounding box. A node with a side effect (an impure kernel's call)
 * is a root like an output: all of it is needed. */
#include "cdask.h"

#include <string.h>

static void demand(Node *x, const int64_t *lo, const int64_t *hi) {
  for (int d = 0; d < x->ndim; d++)
    if (lo[d] >= hi[d]) return; /* nothing */
  if (!x->demanded) {
    x->demanded = true;
    memcpy(x->dlo, lo, sizeof x->dlo);
    memcpy(x->dhi, hi, sizeof x->dhi);
    return;
  }
  for (int d = 0; d < x->ndim; d++) {
    if (lo[d] < x->dlo[d]) x->dlo[d] = lo[d];
    if (hi[d] > x->dhi[d]) x->dhi[d] = hi[d];
  }
}

static void demand_all(Node *x) {
  int64_t lo[MAXDIM] = {0};
  demand(x, lo, x->shape);
}

int pass_cull(Graph *g) {
  for (int i = 0; i < g->nnodes; i++) g->nodes[i].demanded = false;
  for (int i = 0; i < g->noutputs; i++) {
    Node *o = &g->nodes[g->outputs[i]];
    o->demanded = true;
    demand_all(&g->nodes[o->in[0]]);
  }
  for (int i = 0; i < g->nnodes; i++) /* effects happen whole, read or not */
    if (node_has_effect(g, &g->nodes[i])) demand_all(&g->nodes[i]);
  int partial = 0;
  for (int i = g->nnodes - 1; i >= 0; i--) {
    Node *x = &g->nodes[i];
    if (!x->demanded || op_kinds[x->op] == K_OUTPUT) continue;
    if (op_kinds[x->op] == K_TASK || x->op == OP_ITEM) { /* one call: all of it, all inputs */
      demand_all(x);
      for (int k = 0; k < x->nin; k++) demand_all(&g->nodes[x->in[k]]);
      continue;
    }
    bool whole = true;
    for (int d = 0; d < x->ndim; d++) whole = whole && x->dlo[d] == 0 && x->dhi[d] == x->shape[d];
    partial += !whole;
    if (op_kinds[x->op] == K_BLOCK) {
      /* whole output blocks (each is one kernel call); the inputs whole */
      for (int d = 0; d < x->ndim; d++) {
        x->dlo[d] -= x->dlo[d] % x->chunk[d];
        int64_t up = (x->dhi[d] + x->chunk[d] - 1) / x->chunk[d] * x->chunk[d];
        x->dhi[d] = up < x->shape[d] ? up : x->shape[d];
      }
      for (int k = 0; k < x->nin; k++) demand_all(&g->nodes[x->in[k]]);
    } else if (op_kinds[x->op] == K_ELEM) {
      for (int k = 0; k < x->nin; k++) demand(&g->nodes[x->in[k]], x->dlo, x->dhi);
    } else if (x->op == OP_VIEW) {
      Node *in = &g->nodes[x->in[0]];
      const Affine *m = x->map;
      int64_t lo[MAXDIM], hi[MAXDIM];
      for (int d = 0; d < in->ndim; d++) {
        lo[d] = hi[d] = m->off[d];
        for (int k = 0; k < x->ndim; k++) {
          int64_t a = m->a[d][k];
          lo[d] += a > 0 ? a * x->dlo[k] : a * (x->dhi[k] - 1);
          hi[d] += a > 0 ? a * (x->dhi[k] - 1) : a * x->dlo[k];
        }
        hi[d] += 1;
      }
      demand(in, lo, hi);
    } else if (x->op == OP_REDUCE) {
      Node *in = &g->nodes[x->in[0]];
      int64_t lo[MAXDIM], hi[MAXDIM];
      for (int d = 0, k = 0; d < in->ndim; d++) {
        if (x->axes >> d & 1) {
          lo[d] = 0, hi[d] = in->shape[d];
        } else {
          lo[d] = x->dlo[k], hi[d] = x->dhi[k];
          k++;
        }
      }
      demand(in, lo, hi);
    } else if (x->op == OP_FFT) { /* every output element needs the whole input */
      demand_all(&g->nodes[x->in[0]]);
    } else if (x->op == OP_SCAN) {
      int64_t lo[MAXDIM];
      memcpy(lo, x->dlo, sizeof lo);
      lo[x->axis] = 0;
      demand(&g->nodes[x->in[0]], lo, x->dhi);
    } else if (x->op == OP_CONCAT) {
      int ax = x->axis;
      int64_t off = 0;
      for (int k = 0; k < x->nin; k++) {
        Node *in = &g->nodes[x->in[k]];
        int64_t lo[MAXDIM], hi[MAXDIM];
        memcpy(lo, x->dlo, sizeof lo);
        memcpy(hi, x->dhi, sizeof hi);
        lo[ax] = (x->dlo[ax] > off ? x->dlo[ax] : off) - off;
        hi[ax] = (x->dhi[ax] < off + in->shape[ax] ? x->dhi[ax] : off + in->shape[ax]) - off;
        demand(in, lo, hi);
        off += in->shape[ax];
      }
    } else if (x->op == OP_RESHAPE) {
      /* the rows (first axis) of the input between the box's first and last element */
      Node *in = &g->nodes[x->in[0]];
      int64_t first = 0, last = 0, s = 1;
      for (int d = x->ndim - 1; d >= 0; d--) {
        first += s * x->dlo[d], last += s * (x->dhi[d] - 1);
        s *= x->shape[d];
      }
      int64_t lo[MAXDIM] = {0}, hi[MAXDIM];
      memcpy(hi, in->shape, sizeof hi);
      if (in->ndim > 0) {
        int64_t row = node_size(in) / (in->shape[0] ? in->shape[0] : 1);
        lo[0] = first / row, hi[0] = last / row + 1;
      }
      demand(in, lo, hi);
    }
  }
  return partial;
}
