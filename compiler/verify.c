/* verify.c — requires: the frontend's graph. guarantees: every node's arity, inputs,
 * shapes and dtypes are consistent (inputs come before users, elementwise inputs have the
 * result's shape, views map inside their input). A failure is a bug in cdaskc: it is
 * reported as an internal error with the node and the user's line, and cdaskc stops. */
#include "cdask.h"

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

void pass_verify(Graph *g) {
  for (int i = 0; i < g->nnodes; i++) {
    const Node *x = &g->nodes[i];
    if (x->op >= OP_COUNT) fail(g, i, "unknown operation");
    if (op_kinds[x->op] != K_SOURCE &&
        (op_arity[x->op] >= 0 ? x->nin != op_arity[x->op] : x->nin < 1 || x->nin > MAXIN))
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
      break;
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
    case K_REDUCE:
      if (x->axes == 0 || x->axes >> g->nodes[x->in[0]].ndim) fail(g, i, "bad reduction axes");
      break;
    default: break;
    }
  }
}
