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

static int mpi_rank, mpi_size = 1, mpi_on, mpi_node_size = 1;
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
  MPI_Comm node; /* the ranks that share this machine's memory */
  if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node) ==
      MPI_SUCCESS) {
    MPI_Comm_size(node, &mpi_node_size);
    MPI_Comm_free(&node);
  }
}

int cdrt_mpi_node_size(void) {
  return mpi_node_size;
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
  int64_t *tiles = cdrt_alloc((size_t)(2 * (mine.hi - mine.lo) + 1) * sizeof *tiles, "pairs");
  *count = 0;
  for (int64_t t = 0, j = 0; t < n && j < mine.hi; t++) {
    int64_t m = pair(t);
    if (m < t || j++ < mine.lo) continue;
    tiles[(*count)++] = t;
    if (m != t) tiles[(*count)++] = m; /* its task returns at once, but it is a task */
  }
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

/* A rank that knows rank 0 is about to stop every rank with a message of its own waits
 * for it (a barrier rank 0 never reaches): the message is said once. */
_Noreturn void cdrt_mpi_await_abort(void) {
  if (mpi_on && mpi_size > 1) MPI_Barrier(MPI_COMM_WORLD);
  cdrt_fatal(CDRT_EXIT_MEMORY, "internal error: rank 0 did not stop the ranks");
}

void cdrt_mpi_finalize(void) {
  if (mpi_on) MPI_Finalize();
  mpi_on = 0;
}
#endif

/* ---- diagnostics on every rank (program.c, trace.c): added apart from the exchanges ---- */
#ifdef CDRT_WITH_MPI
#include <string.h>

void cdrt_mpi_barrier(void) {
  if (mpi_size > 1) MPI_Barrier(MPI_COMM_WORLD);
}

/* Every rank's bytes to rank 0, in rank order (MPI_Gatherv; not counted as traffic: it is
 * the diagnostics', after the run). Rank 0 gets a malloc'd block and each rank's size in
 * sizes[P]; the other ranks get NULL. The whole must stay under 2^31 bytes (MPI's ints). */
char *cdrt_mpi_gather(const void *data, int64_t bytes, int64_t *sizes) {
  if (bytes < 0 || bytes > INT32_MAX)
    cdrt_fatal(CDRT_EXIT_MEMORY, "a rank's diagnostics are over 2 GB");
  int n = (int)bytes, *counts = NULL, *at = NULL;
  char *all = NULL;
  if (mpi_rank == 0) {
    counts = calloc((size_t)mpi_size, sizeof *counts);
    at = calloc((size_t)mpi_size, sizeof *at);
    if (!counts || !at) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory (gathering the diagnostics)");
  }
  if (mpi_size == 1)
    counts[0] = n;
  else
    MPI_Gather(&n, 1, MPI_INT, counts, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (mpi_rank == 0) {
    int64_t total = 0;
    for (int r = 0; r < mpi_size; r++) {
      if (total + counts[r] > INT32_MAX)
        cdrt_fatal(CDRT_EXIT_MEMORY, "the ranks' diagnostics are over 2 GB");
      at[r] = (int)total, sizes[r] = counts[r], total += counts[r];
    }
    all = malloc((size_t)(total ? total : 1));
    if (!all) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory (gathering the diagnostics)");
  }
  if (mpi_size == 1)
    memcpy(all, data, (size_t)n);
  else
    MPI_Gatherv(data, n, MPI_BYTE, all, counts, at, MPI_BYTE, 0, MPI_COMM_WORLD);
  free(counts);
  free(at);
  return all;
}
#endif

#ifdef CDRT_WITH_MPI
/* Every group's counters, then the exchanges' outside any group (ngroups + 1), or NULL. */
const cdrt_mpi_traffic *cdrt_mpi_traffic_all(void) {
  return mpi_traffic;
}
#endif
