/* mpi.c: the ranks of a program built by cdaskc --mpi (only with CDRT_WITH_MPI): the fixed
 * distribution of the tiles (cdrt_mpi_tiles, cdrt_mpi_part, cdrt_mpi_pairs), the
 * collectives (the OR completion cdrt_mpi_complete, broadcasts, the agreement on exit
 * codes), the traffic counters and the stop of every rank on a failure. The exchanges of
 * array boxes are in mpi_exchange.c. Every rank allocates every buffer; every byte any rank
 * reads is the single-node program's. MPI calls are made by one thread at a time (the run's
 * `omp single` thread, which need not be the main thread): MPI_THREAD_SERIALIZED. */
#ifdef CDRT_WITH_MPI
#include "cdrt.h"

#include <mpi.h>
#include <stdint.h>
#include <stdlib.h>

static int mpi_rank, mpi_size = 1, mpi_on;
static cdrt_mpi_traffic *mpi_traffic; /* one per group, and one for exchanges outside any */
static int mpi_ngroups, mpi_current = -1;

void cdrt_mpi_init(int *argc, char ***argv) {
  int provided = 0;
  if (MPI_Init_thread(argc, argv, MPI_THREAD_SERIALIZED, &provided) != MPI_SUCCESS) {
    fprintf(stderr, "error: MPI_Init_thread failed\n");
    exit(CDRT_EXIT_USAGE);
  }
  mpi_on = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &mpi_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &mpi_size);
  if (provided < MPI_THREAD_SERIALIZED)
    cdrt_fatal(CDRT_EXIT_USAGE,
               "this MPI library gives thread level %d, the program needs "
               "MPI_THREAD_SERIALIZED",
               provided);
}

int cdrt_mpi_rank(void) {
  return mpi_rank;
}

int cdrt_mpi_size(void) {
  return mpi_size;
}

cdrt_range cdrt_mpi_tiles(int64_t n) {
  /* n * rank fits: tile counts are far below 2^63 / 2^31 */
  cdrt_range r = {n * mpi_rank / mpi_size, n * (mpi_rank + 1) / mpi_size};
  return r;
}

cdrt_range cdrt_mpi_root_tiles(int64_t n) {
  cdrt_range r = {0, mpi_rank == 0 ? n : 0};
  return r;
}

void cdrt_mpi_traffic_init(int ngroups) {
  free(mpi_traffic);
  mpi_traffic = calloc((size_t)ngroups + 1, sizeof *mpi_traffic);
  if (!mpi_traffic) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory (MPI traffic counters)");
  mpi_ngroups = ngroups;
  mpi_current = -1;
}

void cdrt_mpi_group(int group) {
  mpi_current = group >= 0 && group < mpi_ngroups ? group : -1;
}

const cdrt_mpi_traffic *cdrt_mpi_traffic_of(int group) {
  if (!mpi_traffic || group < 0 || group >= mpi_ngroups) return NULL;
  return &mpi_traffic[group];
}

void cdrt_mpi_count(int64_t sent, int64_t received, double seconds) {
  if (!mpi_traffic) return;
  cdrt_mpi_traffic *t = &mpi_traffic[mpi_current >= 0 ? mpi_current : mpi_ngroups];
  t->sent += sent;
  t->received += received;
  t->seconds += seconds;
}

/* MPI counts are ints: buffers over 2^31 bytes go in chunks of 1 GiB. */
enum { MPI_CHUNK = 1 << 30 };

void cdrt_mpi_complete(void *data, int64_t bytes, int ones) {
  if (mpi_size == 1 || bytes <= 0) return;
  double t0 = MPI_Wtime();
  char *p = data;
  for (int64_t at = 0; at < bytes; at += MPI_CHUNK) {
    int n = (int)(bytes - at < MPI_CHUNK ? bytes - at : MPI_CHUNK);
    if (MPI_Allreduce(MPI_IN_PLACE, p + at, n, MPI_BYTE, ones ? MPI_BAND : MPI_BOR,
                      MPI_COMM_WORLD) != MPI_SUCCESS)
      cdrt_fatal(CDRT_EXIT_MEMORY, "MPI_Allreduce failed");
  }
  int64_t ring = 2 * (bytes / mpi_size) * (mpi_size - 1); /* a ring's volume, each way */
  cdrt_mpi_count(ring, ring, MPI_Wtime() - t0);
}

void cdrt_mpi_bcast(void *data, int64_t bytes) {
  if (mpi_size == 1 || bytes <= 0) return;
  double t0 = MPI_Wtime();
  char *p = data;
  for (int64_t at = 0; at < bytes; at += MPI_CHUNK) {
    int n = (int)(bytes - at < MPI_CHUNK ? bytes - at : MPI_CHUNK);
    if (MPI_Bcast(p + at, n, MPI_BYTE, 0, MPI_COMM_WORLD) != MPI_SUCCESS)
      cdrt_fatal(CDRT_EXIT_MEMORY, "MPI_Bcast failed");
  }
  if (mpi_rank == 0)
    cdrt_mpi_count(bytes * (mpi_size - 1), 0, MPI_Wtime() - t0);
  else
    cdrt_mpi_count(0, bytes, MPI_Wtime() - t0);
}

void cdrt_mpi_share(cdrt_buffer *b) {
  if (!b->data) cdrt_buffer_alloc(b);
  cdrt_mpi_bcast(b->data, (int64_t)cdrt_buffer_bytes(b));
}

cdrt_range cdrt_mpi_part(int64_t n, int rank) {
  cdrt_range r = {n * rank / mpi_size, n * (rank + 1) / mpi_size};
  return r;
}

int64_t *cdrt_mpi_pairs(int64_t n, int64_t (*pair)(int64_t), int64_t *count) {
  int64_t leaders = 0;
  for (int64_t t = 0; t < n; t++) leaders += pair(t) >= t;
  cdrt_range mine = cdrt_mpi_part(leaders, mpi_rank);
  int64_t *tiles = cdrt_alloc((size_t)(mine.hi - mine.lo + 1) * sizeof *tiles, "paired tiles");
  *count = 0;
  for (int64_t t = 0, j = 0; t < n && j < mine.hi; t++)
    if (pair(t) >= t && j++ >= mine.lo) tiles[(*count)++] = t;
  return tiles;
}

int cdrt_mpi_max(int v) {
  int m = v;
  if (mpi_size > 1) MPI_Allreduce(&v, &m, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return m;
}

void cdrt_mpi_abort(int code) {
  if (!mpi_on) return;
  cdrt_cleanup_now(); /* MPI_Abort skips atexit: the outputs' temporary files go now */
  fflush(stdout);
  fflush(stderr);
  MPI_Abort(MPI_COMM_WORLD, code ? code : 1);
}

void cdrt_mpi_finalize(void) {
  if (mpi_on) MPI_Finalize();
  mpi_on = 0;
}
#endif
