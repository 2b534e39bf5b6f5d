/* mpi_plan.c: what each group's exchanges move under --mpi (phase 1, runtime/mpi.c), for
 * --explain and the manifest's "mpi" of each group, from the same plan the emitter follows:
 * - a group of tiles ends with one allreduce (cdrt_mpi_complete) of what its tiles wrote:
 *   its buffer (map_blocks, stores, scans; an in-place r2c's padded rows are its buffer),
 *   an FFT's scratch input (cd_fftinK: the domain in the input's type), or a reduction's
 *   partials (one per chunk of the reduced axes and output element, in the accumulator's
 *   type; argmin/argmax add their int64 index partials in a second allreduce);
 * - a delayed task runs on rank 0, which broadcasts its result (cdrt_mpi_share);
 * - a group computed into its readers' tiles or halos moves nothing.
 * An allreduce of B bytes counts 2 floor(B/P) (P-1) bytes each way on every rank (a ring's
 * volume, runtime/mpi.c's count); a broadcast B (P-1) sent by rank 0, B received by each
 * other rank. An FFT group's transposes are counted at run time only. */
#include "cdask.h"

static double node_bytes(const Node *x) {
  return (double)node_size(x) * (double)cdrt_dtype_size(x->dtype);
}

/* A reduction's partials: chunks along the reduced axes times the outputs. */
static double reduce_parts(const Group *gr, const Node *sink) {
  double nr = 1, nout = 1;
  for (int d = 0; d < gr->ndim; d++) {
    if (sink->axes >> d & 1)
      nr *= gr->shape[d] ? (double)((gr->shape[d] + gr->chunk[d] - 1) / gr->chunk[d]) : 0;
    else
      nout *= (double)gr->shape[d];
  }
  return nr * nout != 0 ? nr * nout : 1;
}

MpiPlan mpi_group_plan(const Graph *g, const Fusion *f, int k) {
  const Group *gr = &f->groups[k];
  const Node *sink = &g->nodes[gr->sink];
  MpiPlan m = {0};
  if (group_is_virtual(gr)) return m;
  if (group_is_task(g, gr)) {
    m.bcast = node_bytes(sink);
    return m;
  }
  m.fft = gr->kind == G_FFT;
  if (gr->kind == G_REDUCE) {
    const Node *in = &g->nodes[sink->in[0]];
    bool arg = sink->rop == ROP_ARGMIN || sink->rop == ROP_ARGMAX;
    DType acc = arg || sink->rop == ROP_MIN || sink->rop == ROP_MAX ? in->dtype : sink->dtype;
    double parts = reduce_parts(gr, sink);
    m.allreduce[m.nallreduce++] = parts * (double)cdrt_dtype_size(acc);
    if (arg) m.allreduce[m.nallreduce++] = parts * 8;
  } else if (gr->fft_scratch) {
    double n = 1;
    for (int d = 0; d < gr->ndim; d++) n *= (double)gr->shape[d];
    m.allreduce[m.nallreduce++] = n * (double)cdrt_dtype_size(g->nodes[sink->in[0]].dtype);
  } else {
    m.allreduce[m.nallreduce++] = node_bytes(sink);
  }
  return m;
}

/* 2 floor(B/P) (P-1) summed over the allreduces: what each rank sends (and receives). */
double mpi_allreduce_bytes(const MpiPlan *m, int64_t ranks) {
  double sum = 0;
  for (int i = 0; i < m->nallreduce; i++)
    sum += 2 * (double)((int64_t)m->allreduce[i] / ranks) * (double)(ranks - 1);
  return sum;
}

void mpi_explain_group(FILE *out, const MpiPlan *m) {
  if (!m->nallreduce && !m->bcast && !m->fft) return;
  fputs("  mpi:", out);
  if (m->nallreduce) {
    fputs(" per rank", out);
    for (int i = 0; i < m->nallreduce; i++)
      fprintf(out, "%s 2(P-1)/P x %.0f", i ? " +" : "", m->allreduce[i]);
    fputs(" bytes each way (allreduce)", out);
  }
  if (m->bcast)
    fprintf(out, " rank 0 sends (P-1) x %.0f bytes, each other rank receives %.0f (broadcast)",
            m->bcast, m->bcast);
  if (m->fft) fputs("; + the transform's transposes (counted at run time)", out);
  fputs("\n", out);
}
