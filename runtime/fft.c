/* fft.c: multi-dimensional FFTs over FFTW3, blocked and bitwise reproducible.
 *
 * One axis at a time, the lines along that axis are processed in batches of B lines, each
 * transformed by one FFTW plan_many (howmany = B lines one after the other). B depends
 * only on the kind, n and precision (about 256 KB a batch, but at least 8 lines, or as
 * many as fit in 8 MB), and every batch, the partial last one too, is transformed
 * by the same plan: the last batch is padded with zero lines, because FFTW's plans for
 * different howmany (1 and 2, say) choose different codelets and give different bits for
 * the same line. So every line sees the same plan, alignment and layout whatever the
 * thread count, the axis or the batch it falls in.
 *
 * A full batch of c2c rows (the last axis) is already laid out as the plan wants: when it
 * has the SIMD alignment the plan was made for, FFTW transforms it in place in the array.
 * Other batches are gathered into an aligned per-task scratch buffer (a small transpose
 * for every axis but the last: B columns at a time), transformed and scattered back.
 * Batches are OpenMP tasks; plans are made and destroyed serially (FFTW's planner is not
 * thread safe) and executed with the new-array functions.
 *
 * Everything here exists only with CDRT_WITH_FFT: most programs have no FFT and must not
 * need FFTW. */
#include "cdrt.h"

#ifdef CDRT_WITH_FFT
#include <fftw3.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

/* The target size of one batch; the fewest lines a batch has unless they take more than
 * FFT_MAX_BATCH_BYTES (a gathered batch reads FFT_MIN_LINES consecutive elements of a row
 * at a time); the alignment of the scratch buffers (at least what fftw_malloc gives, for
 * every SIMD extension FFTW knows); how many rows ahead a gather or scatter prefetches. */
#define FFT_BATCH_BYTES (256 * 1024)
#define FFT_MIN_LINES 8
#define FFT_MAX_BATCH_BYTES (8 * 1024 * 1024)
#define FFT_ALIGN 64
#define FFT_AHEAD 32

static int fft_measure; /* 0: FFTW_ESTIMATE, 1: FFTW_MEASURE */

void cdrt_fft_set_measure(int on) {
  fft_measure = on != 0;
}

int cdrt_fft_measure(void) {
  return fft_measure;
}

/* Wisdom text holds one parenthesised block per precision ("(fftw-3.3.10 fftw_wisdom ..."
 * or "... fftwf_wisdom ..."); each goes to the library of its precision. */
int cdrt_fft_import_wisdom(const char *wisdom) {
  int rc = 0;
  const char *p = wisdom;
  while (rc == 0 && *p) {
    if (*p != '(') {
      if (!strchr(" \t\r\n", *p)) rc = -1;
      p++;
      continue;
    }
    const char *end = p;
    int depth = 0;
    do {
      depth += *end == '(' ? 1 : *end == ')' ? -1 : 0;
      end++;
    } while (depth > 0 && *end);
    if (depth != 0) return -1;
    size_t len = (size_t)(end - p);
    char *block = cdrt_alloc(len + 1, "FFTW wisdom");
    memcpy(block, p, len);
    block[len] = 0;
    const char *name = block + strcspn(block, " \t\r\n");
    name += strspn(name, " \t\r\n");
    int ok = 0;
#pragma omp critical(cdrt_fft_planner)
    {
      if (!cdrt_fft_wisdom_block_ok(block))
        ok = 0; /* FFTW would abort on it */
      else if (strncmp(name, "fftw_wisdom", 11) == 0)
        ok = fftw_import_wisdom_from_string(block);
      else if (strncmp(name, "fftwf_wisdom", 12) == 0)
        ok = fftwf_import_wisdom_from_string(block);
    }
    free(block);
    if (!ok) rc = -1;
    p = end;
  }
  return rc;
}

/* One axis of one call: the array seen as [outer, len, inner], lines l = o * inner + i. */
typedef struct {
  int f32;            /* 1 for float, 0 for double */
  cdrt_fft_kind kind; /* C2C (in place), R2C or C2R */
  int sign;
  int n;                /* the transform length */
  int64_t inner, lines; /* elements between successive line elements; outer * inner */
  int64_t first, last;  /* the lines this rank transforms (all of them but with MPI) */
  int64_t nin, nout;    /* elements per line in src and dst (n or n/2+1) */
  size_t ein, eout;     /* bytes per element of src and dst */
  int64_t batch;        /* B: lines per plan execution */
  size_t out_off;       /* where the output lines start in a scratch buffer */
  size_t scratch_bytes;
  int align; /* FFTW's alignment_of of the scratch the plan was made on */
  const char *src;
  int64_t src_pitch; /* r2c in place (inner == 1): elements from line to line in src, or 0 */
  char *dst;
  double scale; /* applied to the output, unless 1 */
  union {
    fftw_plan d;
    fftwf_plan f;
  } plan;
} fft_axis;

static size_t fft_round_up(size_t x) {
  return (x + FFT_ALIGN - 1) / FFT_ALIGN * FFT_ALIGN;
}

/* Fills in the batch and the scratch layout: the input lines, then (out of place) the
 * output lines at an aligned offset. B depends on the kind, n and precision only. */
static void fft_axis_layout(fft_axis *a) {
  size_t r = a->f32 ? sizeof(float) : sizeof(double);
  int64_t cplx = a->kind == CDRT_FFT_C2C ? a->n : a->n / 2 + 1;
  int64_t line = cplx * 2 * (int64_t)r, b = FFT_BATCH_BYTES / line;
  int64_t fit = FFT_MAX_BATCH_BYTES / line; /* lines in FFT_MAX_BATCH_BYTES */
  if (b < FFT_MIN_LINES) b = fit < FFT_MIN_LINES ? fit : FFT_MIN_LINES;
  if (b >= 8) b -= b % 8;
  a->batch = b > 0 ? b : 1;
  a->nin = a->kind == CDRT_FFT_R2C ? a->n : cplx;
  a->nout = a->kind == CDRT_FFT_C2R ? a->n : cplx;
  a->ein = a->kind == CDRT_FFT_R2C ? r : 2 * r;
  a->eout = a->kind == CDRT_FFT_C2R ? r : 2 * r;
  size_t in_bytes = fft_round_up((size_t)(a->batch * a->nin) * a->ein);
  a->out_off = a->kind == CDRT_FFT_C2C ? 0 : in_bytes;
  a->scratch_bytes = a->out_off + fft_round_up((size_t)(a->batch * a->nout) * a->eout);
}

static char *fft_scratch_alloc(const fft_axis *a) {
  void *p = NULL;
  if (posix_memalign(&p, FFT_ALIGN, a->scratch_bytes) != 0)
    cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory allocating %zu bytes for an FFT batch",
               a->scratch_bytes);
  return p;
}

static int fft_alignment_of(int f32, const char *p) {
  return f32 ? fftwf_alignment_of((float *)(void *)p) : fftw_alignment_of((double *)(void *)p);
}

/* Plans the batch on a scratch buffer of the tasks' layout (FFTW_MEASURE overwrites it). */
static void fft_axis_plan(fft_axis *a) {
  char *buf = fft_scratch_alloc(a);
  char *in = buf, *out = buf + a->out_off;
  int n = a->n, b = (int)a->batch, ni = (int)a->nin, no = (int)a->nout;
  unsigned flags = fft_measure ? FFTW_MEASURE : FFTW_ESTIMATE;
  void *made = NULL;
#pragma omp critical(cdrt_fft_planner)
  {
    if (!a->f32 && a->kind == CDRT_FFT_C2C)
      made = a->plan.d = fftw_plan_many_dft(1, &n, b, (fftw_complex *)in, NULL, 1, ni,
                                            (fftw_complex *)out, NULL, 1, no, a->sign, flags);
    else if (!a->f32 && a->kind == CDRT_FFT_R2C)
      made = a->plan.d = fftw_plan_many_dft_r2c(1, &n, b, (double *)in, NULL, 1, ni,
                                                (fftw_complex *)out, NULL, 1, no, flags);
    else if (!a->f32)
      made = a->plan.d = fftw_plan_many_dft_c2r(1, &n, b, (fftw_complex *)in, NULL, 1, ni,
                                                (double *)out, NULL, 1, no, flags);
    else if (a->kind == CDRT_FFT_C2C)
      made = a->plan.f = fftwf_plan_many_dft(1, &n, b, (fftwf_complex *)in, NULL, 1, ni,
                                             (fftwf_complex *)out, NULL, 1, no, a->sign, flags);
    else if (a->kind == CDRT_FFT_R2C)
      made = a->plan.f = fftwf_plan_many_dft_r2c(1, &n, b, (float *)in, NULL, 1, ni,
                                                 (fftwf_complex *)out, NULL, 1, no, flags);
    else
      made = a->plan.f = fftwf_plan_many_dft_c2r(1, &n, b, (fftwf_complex *)in, NULL, 1, ni,
                                                 (float *)out, NULL, 1, no, flags);
  }
  a->align = fft_alignment_of(a->f32, in);
  free(buf);
  if (!made) cdrt_fatal(CDRT_EXIT_MEMORY, "FFTW could not plan an FFT of length %d", n);
}

static void fft_axis_unplan(fft_axis *a) {
#pragma omp critical(cdrt_fft_planner)
  {
    if (a->f32)
      fftwf_destroy_plan(a->plan.f);
    else
      fftw_destroy_plan(a->plan.d);
  }
}

static void fft_axis_execute(const fft_axis *a, char *in, char *out) {
  if (!a->f32 && a->kind == CDRT_FFT_C2C)
    fftw_execute_dft(a->plan.d, (fftw_complex *)in, (fftw_complex *)out);
  else if (!a->f32 && a->kind == CDRT_FFT_R2C)
    fftw_execute_dft_r2c(a->plan.d, (double *)in, (fftw_complex *)out);
  else if (!a->f32)
    fftw_execute_dft_c2r(a->plan.d, (fftw_complex *)in, (double *)out);
  else if (a->kind == CDRT_FFT_C2C)
    fftwf_execute_dft(a->plan.f, (fftwf_complex *)in, (fftwf_complex *)out);
  else if (a->kind == CDRT_FFT_R2C)
    fftwf_execute_dft_r2c(a->plan.f, (float *)in, (fftwf_complex *)out);
  else
    fftwf_execute_dft_c2r(a->plan.f, (fftwf_complex *)in, (float *)out);
}

/* A transpose between `run` lines of the scratch (line p at scratch + p * len elements)
 * and len rows of the array (row k at array + k * step bytes, `run` consecutive elements):
 * to the scratch if gather, else back. One function per element size ES (4, 8 or 16
 * bytes, moved as bits), so that every move is a fixed-size copy; the rows FFT_AHEAD
 * ahead are prefetched, which the hardware does not do for rows kilobytes apart. */
#define FFT_TRANSPOSE(ES)                                                                          \
  static void fft_transpose_##ES(int gather, char *scratch, char *array, int64_t len,              \
                                 int64_t step, int64_t run) {                                      \
    const int64_t span = run * ES - 1;                                                             \
    for (int64_t k = 0; k < len; k++) {                                                            \
      char *row = array + k * step, *s = scratch + k * ES;                                         \
      char *ahead = k + FFT_AHEAD < len ? row + FFT_AHEAD * step : row;                            \
      if (gather) {                                                                                \
        __builtin_prefetch(ahead, 0);                                                              \
        __builtin_prefetch(ahead + span, 0);                                                       \
        for (int64_t p = 0; p < run; p++) memcpy(s + p * len * ES, row + p * ES, ES);              \
      } else {                                                                                     \
        __builtin_prefetch(ahead, 1);                                                              \
        __builtin_prefetch(ahead + span, 1);                                                       \
        for (int64_t p = 0; p < run; p++) memcpy(row + p * ES, s + p * len * ES, ES);              \
      }                                                                                            \
    }                                                                                              \
  }
FFT_TRANSPOSE(4)
FFT_TRANSPOSE(8)
FFT_TRANSPOSE(16)
#undef FFT_TRANSPOSE

/* Moves lines [l0, l0 + count) between the array (line length len, shape [outer, len,
 * inner]) and the scratch (line after line): to the scratch if gather, else back. */
static void fft_move_lines(int gather, char *scratch, char *array, int64_t len, int64_t inner,
                           size_t es, int64_t l0, int64_t count) {
  if (inner == 1) {
    char *a = array + l0 * len * (int64_t)es;
    size_t bytes = (size_t)(count * len) * es;
    memcpy(gather ? scratch : a, gather ? a : scratch, bytes);
    return;
  }
  /* runs of lines with the same outer index: `run` consecutive elements of each row */
  for (int64_t p = 0; p < count;) {
    int64_t l = l0 + p, o = l / inner, i = l % inner;
    int64_t run = count - p < inner - i ? count - p : inner - i;
    char *base = array + (o * len * inner + i) * (int64_t)es, *s = scratch + p * len * (int64_t)es;
    int64_t step = inner * (int64_t)es;
    if (es == 16)
      fft_transpose_16(gather, s, base, len, step, run);
    else if (es == 8)
      fft_transpose_8(gather, s, base, len, step, run);
    else
      fft_transpose_4(gather, s, base, len, step, run);
    p += run;
  }
}

static void fft_scale_reals(int f32, char *p, int64_t n, double scale) {
  if (f32) {
    float s = (float)scale, *v = (float *)(void *)p;
    for (int64_t j = 0; j < n; j++) v[j] *= s;
  } else {
    double *v = (double *)(void *)p;
    for (int64_t j = 0; j < n; j++) v[j] *= scale;
  }
}

/* c2r reads only the Hermitian half: like numpy.fft.irfft, drop the imaginary parts of
 * the zero and (n even) Nyquist frequencies, which FFTW does not promise to ignore. */
static void fft_drop_hermitian_imag(const fft_axis *a, char *in, int64_t count) {
  int64_t last = a->n % 2 == 0 ? a->n / 2 : 0;
  for (int64_t p = 0; p < count; p++) {
    char *line = in + p * a->nin * (int64_t)a->ein;
    size_t r = a->ein / 2;
    memset(line + r, 0, r);
    memset(line + last * (int64_t)a->ein + r, 0, r);
  }
}

/* A full batch of c2c rows (inner == 1) is already laid out as the plan wants: if its
 * alignment is the plan's, FFTW transforms it in place in the array. 1 if done. (r2c and
 * c2r could run on the array too, but measured slower than through the scratch.) */
static int fft_batch_direct(const fft_axis *a, int64_t l0, int64_t count) {
  if (a->kind != CDRT_FFT_C2C || a->inner != 1 || count != a->batch) return 0;
  char *lines = a->dst + l0 * a->nout * (int64_t)a->eout;
  if (fft_alignment_of(a->f32, lines) != a->align) return 0;
  fft_axis_execute(a, lines, lines);
  if (a->scale != 1) fft_scale_reals(a->f32, lines, count * a->nout * 2, a->scale);
  return 1;
}

/* One batch through the scratch buf: gathered, padded, transformed, scattered. */
static void fft_batch_through(const fft_axis *a, char *buf, int64_t l0, int64_t count) {
  char *in = buf, *out = buf + a->out_off;
  if (a->src_pitch) /* padded rows, each gathered before the batch writes any back */
    for (int64_t p = 0; p < count; p++)
      memcpy(in + p * a->nin * (int64_t)a->ein, a->src + (l0 + p) * a->src_pitch * (int64_t)a->ein,
             (size_t)a->nin * a->ein);
  else
    fft_move_lines(1, in, (char *)a->src, a->nin, a->inner, a->ein, l0, count);
  if (count < a->batch) /* the same plan as full batches: pad with zero lines */
    memset(in + count * a->nin * (int64_t)a->ein, 0,
           (size_t)((a->batch - count) * a->nin) * a->ein);
  if (a->kind == CDRT_FFT_C2R) fft_drop_hermitian_imag(a, in, count);
  fft_axis_execute(a, in, out);
  if (a->scale != 1)
    fft_scale_reals(a->f32, out, count * a->nout * (int64_t)(a->eout / (a->f32 ? 4 : 8)), a->scale);
  fft_move_lines(0, out, a->dst, a->nout, a->inner, a->eout, l0, count);
}

/* One task: batches [b0, b1) of one axis, through one scratch buffer if needed. */
static void fft_axis_task(const fft_axis *a, int64_t b0, int64_t b1) {
  char *buf = NULL;
  for (int64_t b = b0; b < b1; b++) {
    int64_t l0 = a->first + b * a->batch;
    int64_t count = a->last - l0 < a->batch ? a->last - l0 : a->batch;
    if (fft_batch_direct(a, l0, count)) continue;
    if (!buf) buf = fft_scratch_alloc(a);
    fft_batch_through(a, buf, l0, count);
  }
  free(buf);
}

/* Transforms one axis: plans, runs the batches as tasks, unplans. */
static void fft_axis_run(fft_axis *a) {
  fft_axis_layout(a);
  fft_axis_plan(a);
  int64_t nb = (a->last - a->first + a->batch - 1) / a->batch;
  int64_t nt = cdrt_num_tasks(nb);
  /* an unsigned counter: clang warns about its own taskloop code with a signed one */
#pragma omp taskloop num_tasks(nt)
  for (uint64_t t = 0; t < (uint64_t)nt; t++)
    fft_axis_task(a, (int64_t)t * nb / nt, ((int64_t)t + 1) * nb / nt);
  fft_axis_unplan(a);
}

/* Runs fn(arg) where it may make tasks: in place inside a parallel region (generated
 * programs call from a task), else in a parallel region of its own. */
static void fft_with_tasks(void (*fn)(void *), void *arg) {
  if (omp_get_level() > 0) {
    fn(arg);
    return;
  }
#pragma omp parallel
#pragma omp single
  fn(arg);
}

typedef struct {
  int f32;
  char *data;
  int ndim;
  const int64_t *shape;
  unsigned axes;
  int sign;
  double scale;
} fft_c2c_call;

static int64_t fft_product(const int64_t *shape, int from, int to) {
  int64_t n = 1;
  for (int d = from; d < to; d++) n *= shape[d];
  return n;
}

/* With MPI each pass along an axis d is shared by the ranks in slabs: rank r transforms
 * the lines in its part (cdrt_mpi_part) of the slab axis, the first axis other than d
 * longer than 1, so its lines are one run [first, last) of the pass's line order. Every
 * line goes through the same plan wherever it is (see the top), so the bits do not depend
 * on the rank count. Between passes the array is transposed from one slab axis to the
 * next (cdrt_mpi_reslab); after the last pass it stays in slabs until cdrt_fft_settle
 * gathers it on every rank, so that a real transform and the complex passes after it (or
 * before a c2r) exchange once, not gather twice. */
#ifdef CDRT_WITH_MPI
static struct {
  const char *data; /* NULL: every rank holds all of every array */
  int ndim;
  int64_t shape[CDRT_MAXDIM];
  size_t es;
  int axis;       /* in slabs along this axis; -1: in tiles */
  int64_t ntiles; /* the tiles: their chunk grid over [lo, hi) */
  int64_t lo[CDRT_MAXDIM], hi[CDRT_MAXDIM], chunk[CDRT_MAXDIM];
} fft_held;

static int fft_slab_axis(int ndim, const int64_t *shape, int d) {
  if (cdrt_mpi_size() == 1) return -1;
  for (int e = 0; e < ndim; e++)
    if (e != d && shape[e] > 1) return e;
  return -1; /* one line: every rank transforms it */
}

/* The held array into slabs along `to` (-1: whole on every rank). */
static void fft_held_to(int to) {
  void *data = (void *)fft_held.data;
  int there = fft_held.axis >= 0 && fft_held.axis == to; /* in those slabs already */
  if (fft_held.axis >= 0 && !there)
    cdrt_mpi_reslab(data, fft_held.ndim, fft_held.shape, fft_held.es, fft_held.axis, to);
  else if (!there)
    cdrt_mpi_gather_tiles(data, fft_held.ndim, fft_held.shape, fft_held.es, fft_held.lo,
                          fft_held.hi, fft_held.chunk, fft_held.ntiles, to);
  fft_held.data = NULL;
}

void cdrt_fft_settle(void) {
  if (fft_held.data) fft_held_to(-1);
}

void cdrt_fft_settle_needs(void (*needs)(int rank, cdrt_needs *nd)) {
  if (!fft_held.data) return;
  if (fft_held.axis < 0) { /* still as the tiles wrote it (no pass ran): whole everywhere */
    fft_held_to(-1);
    return;
  }
  cdrt_mpi_slab_needs((void *)fft_held.data, fft_held.ndim, fft_held.shape, fft_held.es,
                      fft_held.axis, needs);
  fft_held.data = NULL;
}

void cdrt_fft_tiled(void *data, int ndim, const int64_t *shape, size_t es, const int64_t *blo,
                    const int64_t *bhi, const int64_t *chunk, int64_t ntiles) {
  cdrt_fft_settle();
  if (cdrt_mpi_size() == 1) return;
  size_t n = (size_t)ndim * sizeof *shape;
  fft_held.data = data, fft_held.ndim = ndim, fft_held.es = es, fft_held.axis = -1;
  fft_held.ntiles = ntiles;
  memcpy(fft_held.shape, shape, n);
  memcpy(fft_held.lo, blo, n);
  memcpy(fft_held.hi, bhi, n);
  memcpy(fft_held.chunk, chunk, n);
}

/* The slab of the tiles being computed (cdrt_fft_slab_tiles), or axis -1. */
static struct {
  int axis;
  int64_t lo, hi;
} fft_clip = {-1, 0, 0};

int64_t *cdrt_fft_slab_tiles(int ndim, const int64_t *shape, int d, const int64_t *blo,
                             const int64_t *bhi, const int64_t *chunk, int64_t ntiles,
                             int64_t *count) {
  int s = fft_slab_axis(ndim, shape, d), me = cdrt_mpi_rank();
  int64_t *out = cdrt_alloc((size_t)(ntiles > 0 ? ntiles : 1) * sizeof *out, "FFT slab tiles");
  cdrt_range p = s >= 0 ? cdrt_mpi_part(shape[s], me) : (cdrt_range){0, 0};
  fft_clip.axis = s, fft_clip.lo = p.lo, fft_clip.hi = p.hi;
  *count = 0;
  for (int64_t t = 0; t < ntiles; t++) {
    int64_t lo[CDRT_MAXDIM], hi[CDRT_MAXDIM];
    cdrt_tile_cell(t, ndim, blo, bhi, chunk, lo, hi);
    if (s < 0) { /* one line: every rank computes it all, rank 0 reports it */
      out[(*count)++] = me == 0 ? t : ~t;
      continue;
    }
    int64_t a = lo[s] > p.lo ? lo[s] : p.lo, b = hi[s] < p.hi ? hi[s] : p.hi;
    if (a >= b) continue;
    out[(*count)++] = lo[s] >= p.lo ? t : ~t; /* its first line's rank reports it */
  }
  return out;
}

void cdrt_fft_clip(int64_t *lo, int64_t *hi) {
  int s = fft_clip.axis;
  if (s < 0) return;
  lo[s] = lo[s] > fft_clip.lo ? lo[s] : fft_clip.lo;
  hi[s] = hi[s] < fft_clip.hi ? hi[s] : fft_clip.hi;
}

void cdrt_fft_in_slabs(void *data, int ndim, const int64_t *shape, size_t es, int d) {
  cdrt_fft_settle();
  int s = fft_slab_axis(ndim, shape, d); /* the slabs cdrt_fft_slab_tiles cut the tiles to */
  fft_clip.axis = -1;
  if (s < 0) return; /* every rank computed all of it */
  fft_held.data = data, fft_held.ndim = ndim, fft_held.es = es, fft_held.axis = s;
  memcpy(fft_held.shape, shape, (size_t)ndim * sizeof *shape);
}

int cdrt_fft_slab_box(int ndim, const int64_t *blo, const int64_t *bhi, const int64_t *shape, int d,
                      int rank, int64_t *lo, int64_t *hi) {
  int s = fft_slab_axis(ndim, shape, d);
  for (int e = 0; e < ndim; e++) lo[e] = blo[e], hi[e] = bhi[e];
  if (s >= 0) {
    cdrt_range p = cdrt_mpi_part(shape[s], rank);
    lo[s] = lo[s] > p.lo ? lo[s] : p.lo;
    hi[s] = hi[s] < p.hi ? hi[s] : p.hi;
  }
  for (int e = 0; e < ndim; e++)
    if (hi[e] <= lo[e]) return 0;
  return 1;
}

/* Before a pass along axis d over src (its shape): this rank's lines, and src laid out in
 * their slabs. */
static void fft_pass_begin(fft_axis *a, int ndim, const int64_t *shape, int d) {
  int s = fft_slab_axis(ndim, shape, d);
  if (fft_held.data && fft_held.data == a->src) fft_held_to(s); /* held as it was written */
  cdrt_fft_settle(); /* another array in slabs: whole again before anything else */
  a->first = 0, a->last = a->lines;
  if (s >= 0) {
    cdrt_range p = cdrt_mpi_part(shape[s], cdrt_mpi_rank());
    int64_t m = fft_product(shape, s + 1, ndim) / (d > s ? shape[d] : 1);
    a->first = p.lo * m, a->last = p.hi * m;
  }
}

/* After the pass: dst (its shape, es bytes per element) is in slabs. */
static void fft_pass_end(const fft_axis *a, int ndim, const int64_t *shape, size_t es, int d) {
  int s = fft_slab_axis(ndim, shape, d);
  if (s < 0) return;
  fft_held.data = a->dst, fft_held.ndim = ndim, fft_held.es = es, fft_held.axis = s;
  memcpy(fft_held.shape, shape, (size_t)ndim * sizeof *shape);
}
#else
void cdrt_fft_settle(void) {}

void cdrt_fft_tiled(void *data, int ndim, const int64_t *shape, size_t es, const int64_t *blo,
                    const int64_t *bhi, const int64_t *chunk, int64_t ntiles) {
  (void)data, (void)ndim, (void)shape, (void)es, (void)blo, (void)bhi, (void)chunk, (void)ntiles;
}

static void fft_pass_begin(fft_axis *a, int ndim, const int64_t *shape, int d) {
  (void)ndim, (void)shape, (void)d;
  a->first = 0, a->last = a->lines;
}

static void fft_pass_end(const fft_axis *a, int ndim, const int64_t *shape, size_t es, int d) {
  (void)a, (void)ndim, (void)shape, (void)es, (void)d;
}
#endif

static void fft_scale_task(int f32, char *data, int64_t reals, int64_t t, int64_t nt,
                           double scale) {
  int64_t lo = t * reals / nt, hi = (t + 1) * reals / nt;
  fft_scale_reals(f32, data + lo * (f32 ? 4 : 8), hi - lo, scale);
}

/* Axes from the last to the first; lengths 1 are identities and skipped; the scale goes
 * with the last axis transformed, or is a pass of its own if there is none. */
static void fft_c2c_body(void *arg) {
  const fft_c2c_call *c = arg;
  int first = -1;
  for (int d = 0; d < c->ndim; d++)
    if ((c->axes >> d & 1) && c->shape[d] > 1) {
      first = d;
      break;
    }
  for (int d = c->ndim - 1; d >= first && first >= 0; d--) {
    if (!(c->axes >> d & 1) || c->shape[d] == 1) continue;
    fft_axis a = {.f32 = c->f32,
                  .kind = CDRT_FFT_C2C,
                  .sign = c->sign,
                  .n = (int)c->shape[d],
                  .inner = fft_product(c->shape, d + 1, c->ndim),
                  .src = c->data,
                  .dst = c->data,
                  .scale = d == first ? c->scale : 1};
    a.lines = fft_product(c->shape, 0, c->ndim) / c->shape[d];
    size_t es = c->f32 ? 2 * sizeof(float) : 2 * sizeof(double);
    fft_pass_begin(&a, c->ndim, c->shape, d);
    fft_axis_run(&a);
    fft_pass_end(&a, c->ndim, c->shape, es, d);
  }
  if (first < 0 && c->scale != 1) {
    int64_t reals = 2 * fft_product(c->shape, 0, c->ndim);
    int64_t nt = cdrt_num_tasks((reals + 65535) / 65536);
    int f32 = c->f32;
    char *data = c->data;
    double scale = c->scale;
#pragma omp taskloop num_tasks(nt)
    for (uint64_t t = 0; t < (uint64_t)nt; t++)
      fft_scale_task(f32, data, reals, (int64_t)t, nt, scale);
  }
}

static void fft_check_lengths(int ndim, const int64_t *shape, unsigned axes) {
  if (ndim < 0 || ndim > CDRT_MAXDIM) cdrt_fatal(CDRT_EXIT_USAGE, "FFT of %d dimensions", ndim);
  for (int d = 0; d < ndim; d++)
    if ((axes >> d & 1) && shape[d] > 0x7fffffff)
      cdrt_fatal(CDRT_EXIT_MEMORY, "FFT of length %lld: too long for FFTW", (long long)shape[d]);
}

static void fft_c2c(int f32, void *data, int ndim, const int64_t *shape, unsigned axes, int sign,
                    double scale) {
  fft_check_lengths(ndim, shape, axes);
  if (fft_product(shape, 0, ndim) == 0) return;
  fft_c2c_call c = {f32, data, ndim, shape, axes, sign < 0 ? FFTW_FORWARD : FFTW_BACKWARD, scale};
  fft_with_tasks(fft_c2c_body, &c);
}

void cdrt_fft_c2c_f64(double *data, int ndim, const int64_t *shape, unsigned axes, int sign,
                      double scale) {
  fft_c2c(0, data, ndim, shape, axes, sign, scale);
}

void cdrt_fft_c2c_f32(float *data, int ndim, const int64_t *shape, unsigned axes, int sign,
                      double scale) {
  fft_c2c(1, data, ndim, shape, axes, sign, scale);
}

static void fft_axis_body(void *arg) {
  fft_axis_run(arg);
}

/* r2c and c2r along one axis: shape is the real array's. */
static void fft_real_axis(int f32, cdrt_fft_kind kind, const void *in, void *out, int ndim,
                          const int64_t *shape, int axis, double scale) {
  if (axis < 0 || axis >= ndim) cdrt_fatal(CDRT_EXIT_USAGE, "FFT along axis %d of %d", axis, ndim);
  fft_check_lengths(ndim, shape, 1u << axis);
  int64_t n = shape[axis];
  if (fft_product(shape, 0, ndim) == 0) return;
  fft_axis a = {.f32 = f32,
                .kind = kind,
                .sign = kind == CDRT_FFT_R2C ? FFTW_FORWARD : FFTW_BACKWARD,
                .n = (int)n,
                .inner = fft_product(shape, axis + 1, ndim),
                .lines = fft_product(shape, 0, ndim) / n,
                .src = in,
                .dst = out,
                .scale = scale};
  int64_t cshape[CDRT_MAXDIM]; /* the complex side's shape */
  memcpy(cshape, shape, (size_t)ndim * sizeof *shape);
  cshape[axis] = n / 2 + 1;
  size_t r = f32 ? sizeof(float) : sizeof(double);
  int r2c = kind == CDRT_FFT_R2C;
  fft_pass_begin(&a, ndim, r2c ? shape : cshape, axis);
  fft_with_tasks(fft_axis_body, &a);
  fft_pass_end(&a, ndim, r2c ? cshape : shape, r2c ? 2 * r : r, axis);
}

void cdrt_fft_r2c_f64(const double *in, double *out, int ndim, const int64_t *shape, int axis,
                      double scale) {
  fft_real_axis(0, CDRT_FFT_R2C, in, out, ndim, shape, axis, scale);
}

void cdrt_fft_r2c_f32(const float *in, float *out, int ndim, const int64_t *shape, int axis,
                      double scale) {
  fft_real_axis(1, CDRT_FFT_R2C, in, out, ndim, shape, axis, scale);
}

/* r2c along the last axis in FFTW's in-place layout: real rows padded to 2 (n/2+1) */
static void fft_r2c_inplace(int f32, void *data, int ndim, const int64_t *shape, double scale) {
  if (ndim < 1) cdrt_fatal(CDRT_EXIT_USAGE, "FFT of %d dimensions", ndim);
  fft_check_lengths(ndim, shape, 1u << (ndim - 1));
  int64_t n = shape[ndim - 1];
  if (fft_product(shape, 0, ndim) == 0) return;
  fft_axis a = {.f32 = f32,
                .kind = CDRT_FFT_R2C,
                .sign = FFTW_FORWARD,
                .n = (int)n,
                .inner = 1,
                .lines = fft_product(shape, 0, ndim) / n,
                .src = data,
                .src_pitch = 2 * (n / 2 + 1),
                .dst = data,
                .scale = scale};
  int64_t cshape[CDRT_MAXDIM]; /* the complex side's shape; the rows as their pitch */
  memcpy(cshape, shape, (size_t)ndim * sizeof *shape);
  cshape[ndim - 1] = n / 2 + 1;
  size_t c = f32 ? 2 * sizeof(float) : 2 * sizeof(double);
  fft_pass_begin(&a, ndim, cshape, ndim - 1);
  fft_with_tasks(fft_axis_body, &a);
  fft_pass_end(&a, ndim, cshape, c, ndim - 1);
}

void cdrt_fft_r2c_inplace_f64(double *data, int ndim, const int64_t *shape, double scale) {
  fft_r2c_inplace(0, data, ndim, shape, scale);
}

void cdrt_fft_r2c_inplace_f32(float *data, int ndim, const int64_t *shape, double scale) {
  fft_r2c_inplace(1, data, ndim, shape, scale);
}

void cdrt_fft_c2r_f64(const double *in, double *out, int ndim, const int64_t *shape, int axis,
                      double scale) {
  fft_real_axis(0, CDRT_FFT_C2R, in, out, ndim, shape, axis, scale);
}

void cdrt_fft_c2r_f32(const float *in, float *out, int ndim, const int64_t *shape, int axis,
                      double scale) {
  fft_real_axis(1, CDRT_FFT_C2R, in, out, ndim, shape, axis, scale);
}

/* The runtime is amalgamated into one translation unit: keep our macros to ourselves. */
#undef FFT_BATCH_BYTES
#undef FFT_MIN_LINES
#undef FFT_MAX_BATCH_BYTES
#undef FFT_ALIGN
#undef FFT_AHEAD

#endif
