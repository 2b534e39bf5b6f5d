/* ranks.c: the diagnostics of a run on several ranks (cdaskc --mpi): each rank's part of
 * the record (its tasks, threads, tile count, peak RSS and traffic per group) packed into
 * bytes, gathered to rank 0 (mpi.c's cdrt_mpi_gather) and unpacked there into
 * cdrt_record.ranks, which the trace and the report show (trace.c). Every rank runs the
 * same binary: the structs travel as they are in memory. */
#ifdef CDRT_WITH_MPI
#include "cdrt.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

/* What leads a rank's bytes; then its traffic (ntraffic), then its events (nevents). */
typedef struct {
  int32_t rank, nthreads;
  double duration, peak_rss;
  int64_t tiles, nevents, ntraffic;
} ranks_head;

static char *ranks_all; /* rank 0: the gathered bytes the records point into */

static double ranks_peak_rss(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return (double)u.ru_maxrss * 1024; /* Linux: kilobytes */
}

void cdrt_ranks_gather(cdrt_record *r, int64_t tiles) {
  const cdrt_program *p = r->p;
  const cdrt_mpi_traffic *traffic = cdrt_mpi_traffic_all();
  ranks_head h = {cdrt_mpi_rank(),
                  r->nthreads,
                  r->duration,
                  ranks_peak_rss(),
                  tiles,
                  r->nevents,
                  traffic ? p->ngroups + 1 : 0};
  size_t tb = (size_t)h.ntraffic * sizeof *traffic, eb = (size_t)h.nevents * sizeof *r->events;
  char *mine = malloc(sizeof h + tb + eb);
  if (!mine) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory (gathering the diagnostics)");
  memcpy(mine, &h, sizeof h);
  if (tb) memcpy(mine + sizeof h, traffic, tb);
  if (eb) memcpy(mine + sizeof h + tb, r->events, eb);
  int nranks = cdrt_mpi_size();
  int64_t *sizes = calloc((size_t)nranks, sizeof *sizes);
  if (!sizes) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory (gathering the diagnostics)");
  char *all = cdrt_mpi_gather(mine, (int64_t)(sizeof h + tb + eb), sizes);
  free(mine);
  if (!all) { /* not rank 0 */
    free(sizes);
    return;
  }
  cdrt_rank_record *rr = calloc((size_t)nranks, sizeof *rr);
  if (!rr) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory (gathering the diagnostics)");
  /* every part's size is a multiple of 8 bytes: the structs inside stay aligned */
  int64_t at = 0;
  for (int k = 0; k < nranks; k++) {
    ranks_head g;
    memcpy(&g, all + at, sizeof g);
    const char *body = all + at + sizeof g;
    rr[k] = (cdrt_rank_record){
        .rank = g.rank,
        .nthreads = g.nthreads,
        .duration = g.duration,
        .peak_rss_bytes = g.peak_rss,
        .tiles = g.tiles,
        .nevents = g.nevents,
        .events =
            (const cdrt_task_event *)(const void *)(body +
                                                    g.ntraffic * (int64_t)sizeof(cdrt_mpi_traffic)),
        .traffic = g.ntraffic ? (const cdrt_mpi_traffic *)(const void *)body : NULL};
    at += sizes[k];
  }
  free(sizes);
  ranks_all = all;
  r->nranks = nranks;
  r->ranks = rr;
}

void cdrt_ranks_free(cdrt_record *r) {
  free((void *)r->ranks);
  free(ranks_all);
  ranks_all = NULL;
  r->ranks = NULL, r->nranks = 0;
}
#endif
