/* mpi_plan.c: what each group's exchanges move under --mpi, printed for --explain and the
 * manifest's "mpi" of each group from Group.mpi, which the emitter fills as it plans them
 * (so the prediction is the emitted program's, not a second model of it):
 * - an OR completion (cdrt_mpi_complete: blocked, paired and block-kernel groups, scans,
 *   a reduction's partials and argmin/argmax's index partials, an FFT's scratch input that
 *   is not gathered) of B bytes moves 2 floor(B/P) (P-1) bytes each way on every rank (a
 *   ring's volume, runtime/mpi.c's count);
 * - a delayed task's result of B bytes is broadcast: B (P-1) sent by rank 0, B received by
 *   every other rank;
 * - a plain store's tiles are sent where they are needed (the planned exchange, gK_needs),
 *   or to every rank, and an FFT's input is gathered into its slabs and transposed between
 *   passes: those depend on the readers' boxes and are counted at run time; --explain gives
 *   the bytes the tiles write;
 * - a store that reads no other group's array and no random numbers (input files,
 *   generators) moves nothing: each rank computes what it reads. */
#include "cdask.h"

double mpi_allreduce_bytes(const MpiPlan *m, int64_t ranks) {
  double sum = 0;
  for (int i = 0; i < m->nallreduce && ranks > 1; i++)
    sum += 2 * (double)((int64_t)m->allreduce[i] / ranks) * (double)(ranks - 1);
  return sum;
}

void mpi_explain_group(FILE *out, const MpiPlan *m) {
  if (!m->nallreduce && !m->bcast && m->gather == MPI_GATHER_NONE) return;
  fputs("  mpi:", out);
  const char *sep = "";
  if (m->nallreduce) {
    fputs(" per rank", out);
    for (int i = 0; i < m->nallreduce; i++)
      fprintf(out, "%s 2(P-1)/P x %.0f", i ? " +" : "", m->allreduce[i]);
    fputs(" bytes each way (allreduce)", out);
    sep = ";";
  }
  if (m->bcast)
    fprintf(out, "%s rank 0 sends (P-1) x %.0f bytes, each other rank receives %.0f (broadcast)",
            sep, m->bcast, m->bcast);
  if (m->gather == MPI_GATHER_NEEDS)
    fprintf(out,
            "%s the tiles' %.0f bytes go where the readers' tiles read them (planned exchange, "
            "counted at run time; a rank reading all of it receives about (P-1)/P x %.0f)",
            sep, m->gathered, m->gathered);
  else if (m->gather == MPI_GATHER_ALL)
    fprintf(out, "%s every rank receives the other ranks' tiles: about (P-1)/P x %.0f bytes", sep,
            m->gathered);
  else if (m->gather == MPI_GATHER_RECOMPUTE)
    fprintf(out,
            "%s nothing sent: each rank computes the tiles its readers read (of %.0f bytes) "
            "itself",
            sep, m->gathered);
  else if (m->gather == MPI_GATHER_FFT)
    fprintf(out,
            "%s the transform's input (%.0f bytes) is gathered into slabs by rank, + the "
            "transform's transposes (counted at run time)",
            sep, m->gathered);
  fputs("\n", out);
}

void mpi_manifest_group(StrBuf *b, const MpiPlan *m) {
  static const char *const gather[] = {"none", "needs", "all", "fft", "recompute"};
  sb_puts(b, ", \"mpi\": {\"allreduce_bytes\": [");
  for (int i = 0; i < m->nallreduce; i++) sb_printf(b, i ? ", %.0f" : "%.0f", m->allreduce[i]);
  sb_printf(b, "], \"bcast_bytes\": %.0f, \"gather\": \"%s\", \"gathered_bytes\": %.0f}", m->bcast,
            gather[m->gather], m->gathered);
}
