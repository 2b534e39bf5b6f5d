/* mpi_output.c: --mpi on several ranks, a .npy output written by every rank at once (only
 * with CDRT_WITH_MPI).
 *
 * Before the run rank 0 makes each output's temporary file (outfile.c) and writes a random
 * token into it; every rank reads it back by the same name. When all of them do (a
 * directory every node sees, as a cluster's shared file system), the output is split: each
 * rank needs only its rows of axis 0 (cdrt_mpi_part of them: cdrt_need_output, called by the
 * array's gK_needs), and after the run writes them with pwrite into rank 0's temporary file,
 * where rank 0 wrote the header. Once every rank has written and synced its part, rank 0
 * renames the file over the output's name; if any rank failed, rank 0 removes it. When a
 * rank cannot see the token (a node's own disk, a working directory that differs), or the
 * output is a FIFO or a device, or a scalar, rank 0 receives the whole array and writes it
 * alone, as without MPI. Either way the file appears whole or not at all.
 *
 * The token proves that every rank opens the same file: a file left by another run on
 * another node under the same name holds another token. The messages here (token, path,
 * agreements) are not counted as traffic: they are the files', around the run. */
#ifdef CDRT_WITH_MPI
#include "cdrt.h"

#include <errno.h>
#include <fcntl.h>
#include <mpi.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { TOKEN_BYTES = 32 };

typedef struct {
  int split;  /* every rank writes its rows */
  char *path; /* the output's name, for messages */
} mpi_output;
static mpi_output *mpi_outputs;
static int mpi_noutputs;

int cdrt_mpi_output_split(int output) {
  return mpi_outputs && output >= 0 && output < mpi_noutputs && mpi_outputs[output].split;
}

void cdrt_need_output(cdrt_needs *nd, int rank, int output, const int64_t *shape) {
  if (!cdrt_mpi_output_split(output)) {
    if (rank == 0) cdrt_need_all(nd);
    return;
  }
  int64_t lo[CDRT_MAXDIM] = {0}, hi[CDRT_MAXDIM];
  for (int d = 0; d < nd->ndim; d++) hi[d] = shape[d];
  cdrt_range r = cdrt_mpi_part(shape[0], rank);
  lo[0] = r.lo, hi[0] = r.hi;
  if (r.hi > r.lo) cdrt_need_box(nd, lo, hi);
}

/* A token nobody else wrote: random bytes, or (no getrandom) the clock and the pid. */
static void output_token(unsigned char *token) {
  if (getrandom(token, TOKEN_BYTES, GRND_NONBLOCK) == TOKEN_BYTES) return;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  int64_t v[4] = {(int64_t)ts.tv_sec, (int64_t)ts.tv_nsec, (int64_t)getpid(), (int64_t)clock()};
  memcpy(token, v, TOKEN_BYTES);
}

/* pwrite of all n bytes at off: 0, or the errno. */
static int output_pwrite(int fd, const void *data, int64_t n, int64_t off) {
  const char *p = data;
  while (n > 0) {
    ssize_t w = pwrite(fd, p, n > (1 << 30) ? (size_t)1 << 30 : (size_t)n, (off_t)off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return w < 0 ? errno : EIO;
    p += w, n -= w, off += w;
  }
  return 0;
}

/* Does path hold token at its start (a regular file)? */
static int output_token_seen(const char *path, const unsigned char *token) {
  int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return 0;
  struct stat st;
  unsigned char got[TOKEN_BYTES];
  int seen = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
             pread(fd, got, TOKEN_BYTES, 0) == TOKEN_BYTES && !memcmp(got, token, TOKEN_BYTES);
  close(fd);
  return seen;
}

/* Rank 0's token into f's temporary file: 1 if written. */
static int output_put_token(const cdrt_outfile *f, unsigned char *token) {
  int fd = open(f->tmp, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return 0;
  output_token(token);
  int ok = output_pwrite(fd, token, TOKEN_BYTES, 0) == 0;
  return close(fd) == 0 && ok;
}

void cdrt_mpi_output_probe(int noutputs, int output, const cdrt_outfile *f, int ndim) {
  if (cdrt_mpi_size() == 1) return;
  if (!mpi_outputs) {
    mpi_outputs = calloc((size_t)noutputs, sizeof *mpi_outputs);
    if (!mpi_outputs) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory");
    mpi_noutputs = noutputs;
  }
  struct {
    int can, ntmp, npath;
    unsigned char token[TOKEN_BYTES];
  } m;
  memset(&m, 0, sizeof m);
  int rank = cdrt_mpi_rank();
  if (rank == 0 && ndim > 0 && f->tmp && !f->in_place && output_put_token(f, m.token)) {
    m.can = 1;
    m.ntmp = (int)strlen(f->tmp), m.npath = (int)strlen(f->path);
  }
  MPI_Bcast(&m, (int)sizeof m, MPI_BYTE, 0, MPI_COMM_WORLD);
  if (!m.can) return; /* every rank got the same m: no more messages */
  char *names = malloc((size_t)m.ntmp + (size_t)m.npath + 2);
  if (!names) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory");
  if (rank == 0) memcpy(names, f->tmp, (size_t)m.ntmp + 1), strcpy(names + m.ntmp + 1, f->path);
  MPI_Bcast(names, m.ntmp + m.npath + 2, MPI_BYTE, 0, MPI_COMM_WORLD);
  int seen = rank == 0 || output_token_seen(names, m.token);
  mpi_output *o = &mpi_outputs[output];
  o->split = cdrt_mpi_max(!seen) == 0;
  if (o->split) o->path = strdup(names + m.ntmp + 1);
  if (o->split && !o->path) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory");
  free(names);
}

/* Rank 0: f made again, the header written and the file's final size set. 0, or -1 and
 * err. */
static int output_begin(cdrt_outfile *f, const unsigned char *head, size_t headlen, int64_t nbytes,
                        char *err, size_t errlen) {
  if (cdrt_outfile_open(f, f->path, err, errlen) != 0) return -1;
  f->fd = open(f->tmp, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
  int e = f->fd < 0 ? errno : output_pwrite(f->fd, head, (int64_t)headlen, 0);
  if (!e && ftruncate(f->fd, (off_t)((int64_t)headlen + nbytes)) != 0) e = errno;
  if (!e) return 0;
  cdrt_outfile_abort(f);
  return cdrt_fail_msg(err, errlen, "cannot write %s: %s", f->path, strerror(e));
}

int cdrt_mpi_output_write(int output, cdrt_outfile *f, cdrt_dtype t, int ndim, const int64_t *shape,
                          const void *data, char *err, size_t errlen) {
  const mpi_output *o = &mpi_outputs[output];
  int rank = cdrt_mpi_rank();
  unsigned char head[1024];
  size_t headlen = cdrt_npy_format_header(head, sizeof head, t, ndim, shape);
  int64_t nbytes = 0;
  int bad = headlen == 0 || cdrt_npy_shape_bytes(t, ndim, shape, &nbytes) != 0;
  if (bad) cdrt_fail_msg(err, errlen, "cannot write %s: header too long", o->path);
  if (rank == 0 && !bad) bad = output_begin(f, head, headlen, nbytes, err, errlen) != 0;
  int ntmp = rank == 0 && !bad ? (int)strlen(f->tmp) : -1; /* its name now: sent, as */
  MPI_Bcast(&ntmp, 1, MPI_INT, 0, MPI_COMM_WORLD);         /* rank 0 resolved it again */
  if (ntmp < 0) return bad ? -1 : -2; /* the same on every rank: rank 0 failed */
  char *tmp = rank == 0 ? f->tmp : malloc((size_t)ntmp + 1);
  if (!tmp) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory");
  MPI_Bcast(tmp, ntmp + 1, MPI_BYTE, 0, MPI_COMM_WORLD);

  int fd = rank == 0 ? f->fd : open(tmp, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
  if (rank != 0) free(tmp);
  int e = fd < 0 ? errno : 0;
  cdrt_range r = cdrt_mpi_part(shape[0], rank);
  int64_t row = shape[0] > 0 ? nbytes / shape[0] : 0;
  if (!e && r.hi > r.lo)
    e = output_pwrite(fd, (const char *)data + r.lo * row, (r.hi - r.lo) * row,
                      (int64_t)headlen + r.lo * row);
  if (rank != 0 && fd >= 0) { /* rank 0 syncs and closes its own in the commit */
    if (!e && fsync(fd) != 0) e = errno;
    if (close(fd) != 0 && !e) e = errno;
  }
  if (e)
    cdrt_fail_msg(err, errlen, "cannot write %s: %s (rank %d, rows %lld to %lld)", o->path,
                  strerror(e), rank, (long long)r.lo, (long long)r.hi - 1);
  int failed = cdrt_mpi_max(e != 0);
  if (rank != 0) return e ? -1 : failed ? -2 : 0;
  if (failed) {
    cdrt_outfile_abort(f);
    return e ? -1 : -2;
  }
  return cdrt_outfile_commit(f, 1, err, errlen);
}
#endif
