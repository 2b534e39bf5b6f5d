/* program.c: the driver every generated program shares: options, inputs checked and
 * mapped, outputs opened, buffers allocated, the run, then outputs written atomically
 * (outfile.c) and printed. */
#include "cdrt.h"

#include <errno.h>
#include <fcntl.h>
#include <omp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *prog_name = "program";
cdrt_counters cdrt_stats;

/* The message is written at once: under mpirun, whose banner on MPI_Abort could otherwise
 * come between its pieces (stderr is unbuffered). */
static _Noreturn void fatal_v(int code, const char *fmt, va_list ap) {
  if (cdrt_diag_on) cdrt_diag_fail(); /* the bar's last draw, the finish hook */
  char line[4096];
  int head = snprintf(line, sizeof line, "%s: error: ", prog_name);
  if (head > 0 && (size_t)head < sizeof line - 2) {
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(line + head, sizeof line - (size_t)head - 1, fmt, aq);
    va_end(aq);
    if (n >= 0 && (size_t)(head + n) < sizeof line - 1) {
      line[head + n] = '\n';
      fwrite(line, 1, (size_t)(head + n + 1), stderr);
      head = -1;
    }
  }
  if (head != -1) { /* a long message: in pieces */
    fprintf(stderr, "%s: error: ", prog_name);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
  }
#ifdef CDRT_WITH_MPI
  cdrt_mpi_abort(code); /* every rank stops, with a non-zero code */
#endif
  exit(code);
}

_Noreturn void cdrt_fatal(int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fatal_v(code, fmt, ap);
}

_Noreturn void cdrt_fatal_all(int code, const char *fmt, ...) {
#ifdef CDRT_WITH_MPI
  if (cdrt_mpi_rank() != 0) cdrt_mpi_await_abort();
#endif
  va_list ap;
  va_start(ap, fmt);
  fatal_v(code, fmt, ap);
}

int64_t cdrt_num_tasks(int64_t n) {
  int64_t most = 32 * (int64_t)omp_get_num_threads();
  return n < most ? (n > 0 ? n : 1) : most;
}

_Thread_local int cdrt_quiet;

void cdrt_tile_box(int64_t t, int ndim, const int64_t *blo, const int64_t *bhi,
                   const int64_t *chunk, int64_t *lo, int64_t *hi) {
  if (!cdrt_quiet) cdrt_stat_add(&cdrt_stats.tiles, 1);
  cdrt_tile_cell(t, ndim, blo, bhi, chunk, lo, hi);
}

void cdrt_tile_cell(int64_t t, int ndim, const int64_t *blo, const int64_t *bhi,
                    const int64_t *chunk, int64_t *lo, int64_t *hi) {
  for (int d = ndim - 1; d >= 0; d--) {
    int64_t first = blo[d] / chunk[d];
    int64_t n = (bhi[d] + chunk[d] - 1) / chunk[d] - first;
    int64_t c = first + t % n;
    t /= n;
    lo[d] = c * chunk[d] > blo[d] ? c * chunk[d] : blo[d];
    hi[d] = (c + 1) * chunk[d] < bhi[d] ? (c + 1) * chunk[d] : bhi[d];
  }
}

/* A size in bytes (see cdrt_parse_memory_limit), or NULL and *why. */
static int64_t prog_size_bytes(const char *s, const char **why) {
  *why = "is not a size";
  if (s[0] == '-' && ((s[1] >= '0' && s[1] <= '9') || s[1] == '.')) *why = "is negative";
  int digit = (s[0] >= '0' && s[0] <= '9') || (s[0] == '.' && s[1] >= '0' && s[1] <= '9');
  /* strtod would also take blanks, a sign, "inf", "nan" and hexadecimal */
  if (!digit || (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))) return -1;
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  int range = errno == ERANGE;
  double unit = 1;
  switch (*end) {
  case 'k':
  case 'K': unit = 1024.0, end++; break;
  case 'm':
  case 'M': unit = 1024.0 * 1024, end++; break;
  case 'g':
  case 'G': unit = 1024.0 * 1024 * 1024, end++; break;
  case 't':
  case 'T': unit = 1024.0 * 1024 * 1024 * 1024, end++; break;
  default: break;
  }
  if (unit > 1 && (end[0] == 'i' || end[0] == 'I') && (end[1] == 'B' || end[1] == 'b'))
    end += 2;
  else if (*end == 'B' || *end == 'b')
    end++;
  if (*end) return -1;
  double bytes = v * unit;
  *why = bytes == 0 && !range               ? "is zero"
         : bytes < 1                        ? "is less than one byte"
         : !(bytes < 9223372036854775808.0) ? "is too large"
                                            : NULL;
  return *why ? -1 : (int64_t)bytes;
}

int cdrt_parse_memory_limit(const char *s, int64_t *limit, char *err, size_t errlen) {
  if (strcmp(s, "none") == 0) {
    *limit = CDRT_MEMORY_LIMIT_NONE;
    return 0;
  }
  const char *why;
  int64_t v = prog_size_bytes(s, &why);
  if (v > 0) {
    *limit = v;
    return 0;
  }
  snprintf(err, errlen, "'%.64s' %s: give a size such as 4G or 512M, or none for no limit", s, why);
  return -1;
}

int64_t cdrt_machine_memory_limit(void) {
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page <= 0) return CDRT_MEMORY_LIMIT_NONE;
  double bytes = (double)pages * (double)page * 0.75;
  return bytes >= 1 && bytes < 9e18 ? (int64_t)bytes : CDRT_MEMORY_LIMIT_NONE;
}

void cdrt_format_bytes(char *buf, size_t n, double b) {
  static const char *const units[] = {"B", "kB", "MB", "GB", "TB", "PB"};
  int u = 0;
  while (b >= 1000 && u < 5) b /= 1000, u++;
  if (u == 0)
    snprintf(buf, n, "%.0f B", b);
  else
    snprintf(buf, n, "%.2f %s", b, units[u]);
}

static void prog_shape_text(char *buf, size_t n, int ndim, const int64_t *shape) {
  size_t k = (size_t)snprintf(buf, n, "(");
  for (int d = 0; d < ndim && k < n; d++)
    k += (size_t)snprintf(buf + k, n - k, d ? ", %lld" : "%lld", (long long)shape[d]);
  if (ndim == 1 && k < n) k += (size_t)snprintf(buf + k, n - k, ",");
  if (k < n) snprintf(buf + k, n - k, ")");
}

/* Opens an input, checks it is still what the program was compiled for, and maps it. */
static void prog_open_input(cdrt_input *in) {
  if (in->table) return; /* to_array's values: no file */
  char err[256];
  int fd = cdrt_npy_open(in->path, err, sizeof err);
  if (fd == -2)
    cdrt_fatal(CDRT_EXIT_INPUT, "input %s is not a regular file (it is %s)", in->path, err);
  if (fd < 0) cdrt_fatal(CDRT_EXIT_INPUT, "cannot open input %s: %s", in->path, err);
  cdrt_npy_header h;
  if (cdrt_npy_read_header(fd, &h, err, sizeof err) != 0)
    cdrt_fatal(CDRT_EXIT_INPUT, "input %s: %s", in->path, err);
  /* the program knows the C-order shape of the stored data */
  int64_t stored[CDRT_MAXDIM];
  for (int d = 0; d < h.ndim; d++)
    stored[d] = h.fortran_order ? h.shape[h.ndim - 1 - d] : h.shape[d];
  int same = h.dtype == in->dtype && h.ndim == in->ndim && h.fortran_order == in->fortran;
  for (int d = 0; same && d < h.ndim; d++) same = stored[d] == in->shape[d];
  if (!same) {
    char now[160], then[160];
    int64_t logical[CDRT_MAXDIM];
    for (int d = 0; d < in->ndim; d++)
      logical[d] = in->fortran ? in->shape[in->ndim - 1 - d] : in->shape[d];
    prog_shape_text(now, sizeof now, h.ndim, h.shape);
    prog_shape_text(then, sizeof then, in->ndim, logical);
    cdrt_fatal(CDRT_EXIT_INPUT,
               "input %s changed since compiling: it is now %s %s%s, the program expects %s %s%s",
               in->path, cdrt_dtype_name(h.dtype), now, h.fortran_order ? " (Fortran order)" : "",
               cdrt_dtype_name(in->dtype), then, in->fortran ? " (Fortran order)" : "");
  }
  in->fd = fd;
  in->data_offset = h.data_offset;
}

/* pread all of [off, off + len) or stop the program. */
static void prog_read_fully(const cdrt_input *in, void *buf, size_t len, int64_t off) {
  if (in->table) { /* to_array's values, in memory */
    memcpy(buf, (const char *)in->mem + off, len);
    return;
  }
  char *p = buf;
  while (len > 0) {
    ssize_t r = pread(in->fd, p, len, (off_t)off);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0)
      cdrt_fatal(CDRT_EXIT_INPUT, "cannot read input %s: %s", in->path,
                 r < 0 ? strerror(errno) : "the file was truncated while the program ran");
    p += r, off += r, len -= (size_t)r;
  }
}

void cdrt_input_read(const cdrt_input *in, void *out, int64_t o, int64_t c, int64_t n) {
  if (n <= 0) return;
  size_t s = cdrt_dtype_size(in->dtype);
  char *dst = out;
  if (c == 1 || c == -1 || c == 0) {
    int64_t first = c < 0 ? o - (n - 1) : o;
    int64_t count = c == 0 ? 1 : n;
    prog_read_fully(in, dst, (size_t)count * s, in->data_offset + first * (int64_t)s);
    if (c == 0)
      for (int64_t j = 1; j < n; j++) memcpy(dst + j * s, dst, s);
    if (c < 0) /* reverse in place */
      for (int64_t i = 0, j = n - 1; i < j; i++, j--) {
        char tmp[8];
        memcpy(tmp, dst + i * s, s);
        memcpy(dst + i * s, dst + j * s, s);
        memcpy(dst + j * s, tmp, s);
      }
    return;
  }
  /* other strides: the covering range in windows of at most 1 MB */
  int64_t step = c < 0 ? -c : c;
  int64_t per = (1 << 20) / (step * (int64_t)s) > 0 ? (1 << 20) / (step * (int64_t)s) : 1;
  char *win = cdrt_alloc((size_t)(per * step) * s, "input window");
  for (int64_t j0 = 0; j0 < n; j0 += per) {
    int64_t m = n - j0 < per ? n - j0 : per;
    int64_t a = o + j0 * c, b = o + (j0 + m - 1) * c;
    int64_t lo = a < b ? a : b;
    prog_read_fully(in, win, (size_t)((a < b ? b - a : a - b) + 1) * s,
                    in->data_offset + lo * (int64_t)s);
    for (int64_t j = 0; j < m; j++)
      memcpy(dst + (j0 + j) * s, win + (o + (j0 + j) * c - lo) * (int64_t)s, s);
  }
  free(win);
}

/* DIR/name (name alone without --out). */
static char *prog_out_path(const char *dir, const char *name) {
  if (!dir) return strdup(name);
  size_t n = strlen(dir) + strlen(name) + 2;
  char *p = malloc(n);
  if (p) snprintf(p, n, "%s/%s", dir, name);
  return p;
}

/* Opens every output before any work (outfile.c: their temporary files are created), so a
 * path that cannot be written fails now; the names were checked at compile time. */
static cdrt_outfile *prog_open_outputs(const cdrt_program *p, const char *dir) {
  cdrt_outfile *files = calloc((size_t)p->noutputs + 1, sizeof *files);
  if (!files) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory");
  for (int i = 0; i < p->noutputs && cdrt_mpi_rank() == 0; i++) { /* rank 0 writes them */
    const cdrt_output *o = &p->outputs[i];
    if (o->kind != CDRT_OUT_NPY && o->kind != CDRT_OUT_CSV && o->kind != CDRT_OUT_FRAME_NPY &&
        o->kind != CDRT_OUT_TEXT)
      continue;
    const char *fn = o->kind == CDRT_OUT_NPY    ? "da.to_npy"
                     : o->kind == CDRT_OUT_CSV  ? "dd.to_csv"
                     : o->kind == CDRT_OUT_TEXT ? "to_textfiles"
                                                : "dd.to_npy";
    char why[256], err[512];
    if (cdrt_output_name_problem(o->name, why, sizeof why) != 0)
      cdrt_fatal(CDRT_EXIT_OUTPUT, "cannot write %s: it %s (%s at %s)", o->name, why, fn, o->where);
    char *path = prog_out_path(dir, o->name); /* kept until exit: files[i].path points to it */
    if (!path) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory");
#ifdef CDRT_WITH_CSV /* Dask makes to_textfiles' directories (inside the output directory) */
    if (o->kind == CDRT_OUT_TEXT &&
        cdrt_make_parent_dirs(path, strlen(path) - strlen(o->name), err, sizeof err) != 0)
      cdrt_fatal(CDRT_EXIT_OUTPUT, "%s (%s at %s)", err, fn, o->where);
#endif
    if (cdrt_outfile_open(&files[i], path, err, sizeof err) != 0)
      cdrt_fatal(CDRT_EXIT_OUTPUT, "%s (%s at %s)", err, fn, o->where);
  }
  return files;
}

/* --mpi on several ranks: rank 0 holds no temporary file while the ranks compute. A rank
 * that dies (SIGKILL, a crash) makes mpirun SIGKILL the others, rank 0 too, which could not
 * remove them then. So every file is proved writable before the run (opened as without MPI:
 * its temporary file made, then removed here) and made again once every rank finished
 * (prog_take_again). Devices and FIFOs, written in place, stay open: they leave nothing. */
static void prog_let_go(cdrt_outfile *f) {
  if (f->tmp) cdrt_outfile_abort(f); /* f->path stays, for prog_take_again */
}

/* Before writing f on several ranks: its temporary file again (prog_let_go removed it).
 * 0, or -1 and "cannot write PATH: why" in err. */
static int prog_take_again(cdrt_outfile *f, char *err, size_t errlen) {
  if (cdrt_mpi_size() == 1 || !f->path || f->in_place) return 0;
  return cdrt_outfile_open(f, f->path, err, errlen);
}

/* The run; on several ranks it ends once every rank finished (rank 0 then makes its files). */
static void prog_run(const cdrt_program *p) {
  p->run();
  if (cdrt_mpi_size() > 1) (void)cdrt_mpi_max(0);
}

static const char prog_usage[] =
    "usage: %s [options]\n"
    "\n"
    "Runs the pipeline %s (compiled by cdaskc %s).\n"
    "\n"
    "  --threads N   worker threads, 1 to 4096 (default: OMP_NUM_THREADS, else all cores)\n"
    "  --out DIR     directory for the .npy outputs (default: the working directory)\n"
    "  --manifest    print what the program is (JSON) and exit\n"
    "  --stats       print what the run did to stderr: seconds, tiles, random numbers\n"
    "  --memory-limit SIZE|none  the most memory the arrays kept in memory may take (e.g.\n"
    "                4G), or none; default: cdaskc's --memory-limit, else 75%% of this\n"
    "                machine's memory (under MPI, shared by the ranks on the machine)\n"
#ifdef CDRT_WITH_FFT
    "  --fft-plan estimate|measure  how FFTW plans the FFTs: estimate (default, bitwise\n"
    "                reproducible) or measure (timed: may be faster, the bits may vary)\n"
    "  --fft-wisdom-out FILE  after the run, write the wisdom of its FFT plans to FILE (for\n"
    "                cdaskc --fft-wisdom: measured plans, the same on every run)\n"
#endif
    "  --progress    show Dask's progress bar on stderr (a line per 10%% when stderr is\n"
    "                not a terminal)\n"
    "  --progress-min SECONDS  draw the bar only after this long (Dask's minimum; default 0)\n"
    "  --profile FILE.json  write a Chrome trace of the run (every task, thread names,\n"
    "                memory and CPU counters; for Perfetto or chrome://tracing)\n"
    "  --resources FILE  sample memory and CPU while running (Dask's ResourceProfiler):\n"
    "                TSV time_s, rss_mb, cpu_percent\n"
    "  --resources-dt SECONDS  the sampling period of --resources and --profile (default 1.0)\n"
    "  --memory-profile FILE  the life of each of the memory plan's arrays: TSV name, line,\n"
    "                bytes, alloc_s, free_s\n"
    "  --report FILE.html  one self-contained page: the run's summary, task stream, CPU and\n"
    "                memory over time, the memory plan and the fused graph\n"
    "  --job-script slurm|pbs [--nodes N --ntasks-per-node N --cpus-per-task N --time\n"
    "                HH:MM:SS --mem SIZE ...]  print the job script that runs this program\n"
    "                (cdaskc --job's options, docs/clusters.md) and exit\n"
    "  --help        print this help\n"
    "\n"
    "Exit codes: 0 success, 2 bad usage, 3 bad input, 4 output not writable, 5 out of memory.\n";

/* --threads and OMP_NUM_THREADS get the same check (libgomp crashes on 100000 threads). */
enum { PROG_MAX_THREADS = 4096 };

static int prog_parse_threads(const char *s) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || end == s || *end || v < 1 || v > PROG_MAX_THREADS)
    cdrt_fatal(CDRT_EXIT_USAGE, "--threads needs a number of threads from 1 to %d, got '%s'",
               PROG_MAX_THREADS, s);
  return (int)v;
}

static int prog_is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* OMP_NUM_THREADS, read before libgomp starts any thread: a number of threads, or a list
 * "4,2" (one per nesting level; the program uses the first, its only level); blanks around
 * numbers are allowed, as libgomp allows them; empty is unset. Returns 0 when unset. */
static int prog_env_threads(void) {
  const char *s = getenv("OMP_NUM_THREADS"), *p = s;
  if (!s) return 0;
  while (prog_is_blank(*p)) p++;
  if (!*p) return 0;
  int first = 0;
  for (;;) {
    while (prog_is_blank(*p)) p++;
    if (*p < '0' || *p > '9') break;
    char *end;
    errno = 0;
    long v = strtol(p, &end, 10);
    if (errno || v < 1 || v > PROG_MAX_THREADS) break;
    if (!first) first = (int)v;
    for (p = end; prog_is_blank(*p);) p++;
    if (*p == '\0') return first;
    if (*p++ != ',') break;
  }
  cdrt_fatal(CDRT_EXIT_USAGE,
             "OMP_NUM_THREADS='%.64s' is not a number of threads from 1 to %d (or a list of "
             "them, one per nesting level)",
             s, PROG_MAX_THREADS);
}

/* Standard output is an output: a da.print that did not reach it (a full disk, a closed
 * descriptor) is an error like a .npy file that could not be written. */
static int prog_check_stdout(void) {
  errno = 0;
  int lost = fflush(stdout) != 0, e = errno;
  if (!lost && !ferror(stdout)) return 0;
  fprintf(stderr, "%s: error: cannot write to standard output%s%s\n", prog_name,
          lost && e ? ": " : "", lost && e ? strerror(e) : "");
  return CDRT_EXIT_OUTPUT;
}

/* With standard output closed, descriptor 1 would be the next file opened (an input, a
 * .npy output) and da.print would write into it: hold it with /dev/null opened read-only,
 * so that printing fails (and prog_check_stdout says so). Same for 0 and 2. */
static void prog_hold_standard_descriptors(void) {
  for (int fd = 0; fd <= 2; fd++)
    if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) open("/dev/null", O_RDONLY);
}

/* What the command line asks for. */
typedef struct {
  const char *out_dir;    /* --out, or NULL: the working directory */
  int threads;            /* --threads, or 0 */
  int stats, manifest;    /* --stats, --manifest */
  int64_t limit;          /* --memory-limit, else the one compiled in */
  const char *wisdom_out; /* --fft-wisdom-out (programs with FFTs), or NULL */
  /* diagnostics */
  int progress;             /* --progress */
  double progress_min;      /* --progress-min */
  double resources_dt;      /* --resources-dt */
  const char *diag_path[4]; /* --profile, --resources, --memory-profile, --report, or NULL */
  cdrt_job job;             /* --job-script and its options (jobscript.c) */
} prog_options;

/* The files of the diagnostics, in prog_options.diag_path's order, and their writers. */
enum { PROG_PROFILE, PROG_RESOURCES, PROG_MEMORY, PROG_REPORT, PROG_NDIAG };
static const char *const prog_diag_option[PROG_NDIAG] = {"--profile", "--resources",
                                                         "--memory-profile", "--report"};
/* the report is the page (templates/report.html) around the trace */
static void (*const prog_diag_writer[PROG_NDIAG])(FILE *, void *) = {
    cdrt_trace_write, cdrt_resources_write, cdrt_memory_profile_write, cdrt_trace_write};

/* A number of seconds for option `name`: finite, and > 0 (or >= 0 when zero_ok). */
static double prog_parse_seconds(const char *name, const char *v, int zero_ok) {
  char *end = NULL;
  double x = v && *v ? strtod(v, &end) : -1;
  if (!v || !*v || *end || x != x || x > 1e9 || x < 0 || (x == 0 && !zero_ok))
    cdrt_fatal(CDRT_EXIT_USAGE, "%s needs a number of seconds %s, got '%s'", name,
               zero_ok ? "(0 or more)" : "greater than 0", v ? v : "");
  return x;
}

/* An option with a value, "--name VALUE" or "--name=VALUE": 0 if argv[*i] is not it; else
 * 1 and *value, the text after '=' or the next argument (*i moves past it), or NULL when
 * no argument follows. */
static int prog_option_value(const char *name, int argc, char **argv, int *i, const char **value) {
  const char *a = argv[*i];
  size_t n = strlen(name);
  if (strncmp(a, name, n) != 0 || (a[n] != '\0' && a[n] != '=')) return 0;
  *value = a[n] == '=' ? a + n + 1 : *i + 1 < argc ? argv[++*i] : NULL;
  return 1;
}

/* --profile, --resources or --memory-profile FILE: 0 if argv[*i] is none of them. */
static int prog_diag_file(int argc, char **argv, int *i, prog_options *o) {
  for (int k = 0; k < PROG_NDIAG; k++) {
    const char **path = &o->diag_path[k];
    if (!prog_option_value(prog_diag_option[k], argc, argv, i, path)) continue;
    if (!*path || !**path) cdrt_fatal(CDRT_EXIT_USAGE, "%s needs a file", prog_diag_option[k]);
    return 1;
  }
  return 0;
}

/* Reads the options into o, in order, stopping the program at a bad one. 1 if --help was
 * printed (the program then exits). */
static int prog_parse_options(int argc, char **argv, const cdrt_program *p, prog_options *o) {
  char err[512];
  int job;
  cdrt_job_init(&o->job);
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v;
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      if (cdrt_mpi_rank() == 0) printf(prog_usage, prog_name, p->script, CDRT_VERSION);
      return 1;
    } else if (strcmp(a, "--manifest") == 0) {
      o->manifest = 1;
#ifdef CDRT_WITH_FFT
    } else if (prog_option_value("--fft-plan", argc, argv, &i, &v)) {
      if (!v || (strcmp(v, "estimate") != 0 && strcmp(v, "measure") != 0))
        cdrt_fatal(CDRT_EXIT_USAGE, "--fft-plan needs estimate or measure, got '%s'", v ? v : "");
      cdrt_fft_set_measure(strcmp(v, "measure") == 0);
    } else if (prog_option_value("--fft-wisdom-out", argc, argv, &i, &o->wisdom_out)) {
      if (!o->wisdom_out || !*o->wisdom_out)
        cdrt_fatal(CDRT_EXIT_USAGE, "--fft-wisdom-out needs a file");
#endif
    } else if (prog_option_value("--memory-limit", argc, argv, &i, &v)) {
      char err[160];
      if (!v) cdrt_fatal(CDRT_EXIT_USAGE, "--memory-limit needs a size like 4G or 512M, or none");
      if (cdrt_parse_memory_limit(v, &o->limit, err, sizeof err) != 0)
        cdrt_fatal(CDRT_EXIT_USAGE, "--memory-limit: %s", err);
    } else if (strcmp(a, "--progress") == 0) {
      o->progress = 1;
    } else if (prog_option_value("--progress-min", argc, argv, &i, &v)) {
      o->progress_min = prog_parse_seconds("--progress-min", v, 1);
    } else if (prog_option_value("--resources-dt", argc, argv, &i, &v)) {
      o->resources_dt = prog_parse_seconds("--resources-dt", v, 0);
    } else if (prog_diag_file(argc, argv, &i, o)) {
    } else if (strcmp(a, "--stats") == 0) {
      o->stats = 1;
    } else if (prog_option_value("--threads", argc, argv, &i, &v)) {
      if (!v) cdrt_fatal(CDRT_EXIT_USAGE, "--threads needs a value");
      o->threads = prog_parse_threads(v);
    } else if (prog_option_value("--out", argc, argv, &i, &o->out_dir)) {
      if (!o->out_dir) cdrt_fatal(CDRT_EXIT_USAGE, "--out needs a directory");
      if (!*o->out_dir) cdrt_fatal(CDRT_EXIT_USAGE, "--out needs a directory, got ''");
    } else if (prog_option_value("--job-script", argc, argv, &i, &v)) {
      if (cdrt_job_set_kind(&o->job, "--job-script", v, err, sizeof err) != 0)
        cdrt_fatal(CDRT_EXIT_USAGE, "%s", err);
    } else if ((job = cdrt_job_option(&o->job, argc, argv, &i, err, sizeof err)) != 0) {
      if (job < 0) cdrt_fatal(CDRT_EXIT_USAGE, "%s", err);
    } else {
      cdrt_fatal(CDRT_EXIT_USAGE, "unknown option '%s' (try --help)", a);
    }
  }
  if (o->job.given && !o->job.kind)
    cdrt_fatal(CDRT_EXIT_USAGE, "%s needs --job-script slurm|pbs", o->job.given);
  return 0;
}

/* --manifest: the manifest from cdaskc, plus the compiler that really built this program
 * (and, with FFTs, how they are planned), the CPU and the ISA of each vector kernel. */
static void prog_print_manifest(const cdrt_program *p) {
  size_t n = strlen(p->manifest);
  printf("%.*s, \"built_with\": \"%s\", \"openmp\": %d", (int)(n - 1), p->manifest, __VERSION__,
         _OPENMP);
#ifdef CDRT_WITH_FFT
  printf(", \"fft_plan\": \"%s\"", cdrt_fft_measure() ? "measure"
                                   : p->fft_wisdom    ? "wisdom"
                                                      : "estimate");
#endif
  cdrt_vmath_manifest(stdout);
  printf("}\n");
}

/* The arrays kept in memory must fit the limit: a clear message, never the OOM killer. */
static void prog_check_memory(const cdrt_program *p, int64_t limit) {
  double total = (double)p->peak_bytes, largest = -1;
  int big = 0;
  for (int i = 0; i < p->nbuffers; i++) {
    double n = cdrt_buffer_bytes(&p->buffers[i]);
    if (n > largest) largest = n, big = i;
  }
  int machine = limit == CDRT_MEMORY_LIMIT_DEFAULT;
  int shared = cdrt_mpi_node_size(); /* ranks on this machine: each gets its share */
  if (machine) limit = cdrt_machine_memory_limit();
  if (machine && limit > 0) limit /= shared;
  cdrt_state_set_budget(limit, p->peak_bytes); /* the dataframes' growing state: the rest */
  if (limit > 0 && total > (double)limit) {
    char t[32], l[32], m[32], whose[96] = "";
    cdrt_format_bytes(t, sizeof t, total);
    cdrt_format_bytes(l, sizeof l, (double)limit);
    cdrt_format_bytes(m, sizeof m, largest);
    if (machine && shared > 1)
      snprintf(whose, sizeof whose, " (75%% of this machine's memory, shared by its %d ranks)",
               shared);
    else if (machine)
      snprintf(whose, sizeof whose, " (75%% of this machine's memory)");
    cdrt_fatal(CDRT_EXIT_MEMORY,
               "the arrays kept in memory need %s, over the memory limit of %s%s (largest: %s, "
               "%s, made at %s); raise it with --memory-limit",
               t, l, whose, p->buffers[big].name, m, p->buffers[big].where);
  }
}

/* Opens the diagnostics' files before any work, so that a path that cannot be written
 * fails now. */
static void prog_diag_open(const prog_options *o, cdrt_outfile *files) {
  for (int k = 0; k < PROG_NDIAG && cdrt_mpi_rank() == 0; k++) { /* rank 0 writes them */
    char err[512];
    if (o->diag_path[k] && cdrt_outfile_open(&files[k], o->diag_path[k], err, sizeof err) != 0)
      cdrt_fatal(CDRT_EXIT_OUTPUT, "%s (%s)", err, prog_diag_option[k]);
  }
}

static int prog_diag_wanted(const cdrt_program *p, const prog_options *o) {
  int any = o->progress || p->callbacks != NULL;
  for (int k = 0; k < PROG_NDIAG; k++) any = any || o->diag_path[k] != NULL;
  return any;
}

/* writer(arg) into f (opened before the run), whole or not at all. */
static void prog_diag_write(cdrt_outfile *f, const char *option, void (*writer)(FILE *, void *),
                            void *arg) {
  char *text = NULL, err[512];
  size_t len = 0;
  FILE *m = open_memstream(&text, &len);
  if (!m) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory (%s)", option);
  writer(m, arg);
  if (fclose(m) != 0) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory (%s)", option);
  int written = prog_take_again(f, err, sizeof err);
  if (written == 0)
    written = strcmp(option, "--report") == 0
                  ? cdrt_report_fill(f, cdrt_report_template, text, len, err, sizeof err)
                  : cdrt_outfile_write(f, text, len, err, sizeof err);
  if (written != 0 || cdrt_outfile_commit(f, 0, err, sizeof err) != 0)
    cdrt_fatal(CDRT_EXIT_OUTPUT, "%s (%s)", err, option);
  free(text);
}

/* The run with its diagnostics: the recording, the progress bar and the sampler around
 * it, then the files. */
static void prog_diag_run(const cdrt_program *p, const prog_options *o, cdrt_outfile *files) {
  int traced = o->diag_path[PROG_PROFILE] || o->diag_path[PROG_REPORT];
  int sampled = (traced || o->diag_path[PROG_RESOURCES]) && cdrt_mpi_rank() == 0;
#ifdef CDRT_WITH_MPI
  if (traced) cdrt_mpi_barrier(); /* every rank's clock starts now: the traces line up */
#endif
  cdrt_diag_start(p, omp_get_max_threads(), traced || o->diag_path[PROG_MEMORY]);
  if (sampled) cdrt_resources_start(o->resources_dt);
  if (o->progress) cdrt_progress_start(p->ntasks, o->progress_min);
  prog_run(p);
  cdrt_diag_groups_done(); /* the run's end: every rank's tasks are done */
  if (o->progress) cdrt_progress_end(0);
  cdrt_record r;
  int nsamples = 0;
  const cdrt_sample *samples = sampled ? cdrt_resources_end(&nsamples) : NULL;
  int64_t progress = cdrt_diag_done_all();
  cdrt_diag_finish(&r, 0);
  r.samples = samples, r.nsamples = nsamples, r.progress_tasks = progress;
#ifdef CDRT_WITH_MPI
  if (traced) cdrt_ranks_gather(&r, cdrt_stats.tiles); /* rank 0 gets every rank's part */
#endif
  for (int k = 0; k < PROG_NDIAG && cdrt_mpi_rank() == 0; k++)
    if (o->diag_path[k]) prog_diag_write(&files[k], prog_diag_option[k], prog_diag_writer[k], &r);
#ifdef CDRT_WITH_MPI
  if (r.ranks) cdrt_ranks_free(&r);
#endif
  cdrt_diag_free(&r);
}

#ifdef CDRT_WITH_CSV
/* dd.to_npy: a numeric Series as a 1-d array, a scalar as a 0-d one */
static int prog_write_frame_npy(cdrt_outfile *f, const cdrt_result *r, char *err, size_t n) {
  const cdrt_column *c = r->frame ? &r->frame->cols[0] : NULL;
  int type = c ? c->type : r->v.type;
  cdrt_dtype t = type == CDRT_COL_FLOAT64 ? CDRT_FLOAT64
                 : type == CDRT_COL_BOOL  ? CDRT_BOOL
                                          : CDRT_INT64; /* int64, datetime64 (ns) */
  if (c) {
    int64_t len = r->frame->n;
    return cdrt_npy_write_to(f, t, 1, &len, c->data, err, n);
  }
  uint8_t b = (uint8_t)r->v.i;
  const void *v = t == CDRT_FLOAT64 ? (const void *)&r->v.f
                  : t == CDRT_BOOL  ? (const void *)&b
                                    : &r->v.i;
  return cdrt_npy_write_to(f, t, 0, NULL, v, err, n);
}
#endif

/* Prints and writes the outputs in the script's order, on every rank: CDRT_EXIT_OUTPUT if
 * a file could not be written (the others still are), else 0. Rank 0 prints and writes
 * the outputs; every rank writes its rows of a split one (mpi_output.c). */
static int prog_write_outputs(const cdrt_program *p, cdrt_outfile *files) {
  int rc = 0, root = cdrt_mpi_rank() == 0;
  for (int i = 0; i < p->noutputs; i++) {
    const cdrt_output *o = &p->outputs[i];
#ifdef CDRT_WITH_CSV
    if (o->kind == CDRT_OUT_PYLIST || o->kind == CDRT_OUT_PYPAIRS || o->kind == CDRT_OUT_PYGROUPS ||
        o->kind == CDRT_OUT_PYDICTS || o->kind == CDRT_OUT_PYRECGROUPS) {
      if (root) cdrt_pylist_print(stdout, o->name, &p->results[o->buffer], o->kind, o->shape);
      continue;
    }
    if (o->kind == CDRT_OUT_FRAME || o->kind == CDRT_OUT_CSV) {
      const cdrt_result *r = &p->results[o->buffer];
      char err[512];
      if (o->kind == CDRT_OUT_FRAME) {
        if (!root) continue;
        if (r->frame)
          cdrt_frame_print(stdout, o->name, r->frame);
        else
          cdrt_value_print(stdout, o->name, &r->v);
      } else if (root && (prog_take_again(&files[i], err, sizeof err) != 0 ||
                          cdrt_frame_write_csv(&files[i], r->frame, err, sizeof err) != 0)) {
        fprintf(stderr, "%s: error: %s (dd.to_csv at %s)\n", prog_name, err, o->where);
        rc = CDRT_EXIT_OUTPUT;
      }
      continue;
    }
    if (o->kind == CDRT_OUT_TEXT) {
      char err[512];
      if (root && (prog_take_again(&files[i], err, sizeof err) != 0 ||
                   cdrt_textfile_write(&files[i], p->results[o->buffer].frame, o->part,
                                       o->last_endline, err, sizeof err) != 0)) {
        fprintf(stderr, "%s: error: %s (to_textfiles at %s)\n", prog_name, err, o->where);
        rc = CDRT_EXIT_OUTPUT;
      }
      continue;
    }
    if (o->kind == CDRT_OUT_FRAME_NPY) {
      char err[512];
      if (root && (prog_take_again(&files[i], err, sizeof err) != 0 ||
                   prog_write_frame_npy(&files[i], &p->results[o->buffer], err, sizeof err) != 0)) {
        fprintf(stderr, "%s: error: %s (dd.to_npy at %s)\n", prog_name, err, o->where);
        rc = CDRT_EXIT_OUTPUT;
      }
      continue;
    }
#endif
    if (o->kind == CDRT_OUT_TABLE) continue; /* a from_arrays column: read by its scan */
    const cdrt_buffer *b = &p->buffers[o->buffer];
    if (o->kind == CDRT_OUT_PRINT) {
      if (root) cdrt_print(stdout, o->name, b->dtype, b->ndim, b->shape, b->data);
      continue;
    }
    char err[512];
    int w = 0, split = 0;
#ifdef CDRT_WITH_MPI
    split = cdrt_mpi_output_split(i);
    if (split)
      w = cdrt_mpi_output_write(i, &files[i], b->dtype, b->ndim, b->shape, b->data, err,
                                sizeof err);
#endif
    if (!split && root &&
        (prog_take_again(&files[i], err, sizeof err) != 0 ||
         cdrt_npy_write_to(&files[i], b->dtype, b->ndim, b->shape, b->data, err, sizeof err) != 0))
      w = -1;
    if (w == -1) fprintf(stderr, "%s: error: %s (da.to_npy at %s)\n", prog_name, err, o->where);
    if (w) rc = CDRT_EXIT_OUTPUT; /* -2: another rank's file part failed, and said so */
  }
  return rc;
}

#ifdef CDRT_WITH_MPI
/* --stats under --mpi: this rank's traffic, a line per group that moved bytes, a total. */
static void prog_print_traffic(FILE *m, const cdrt_program *p) {
  const cdrt_mpi_traffic *t = cdrt_mpi_traffic_all();
  cdrt_mpi_traffic sum = {0, 0, 0};
  for (int k = 0; t && k <= p->ngroups; k++) {
    const cdrt_mpi_traffic *x = &t[k];
    sum.sent += x->sent, sum.received += x->received, sum.seconds += x->seconds;
    if (!x->sent && !x->received) continue;
    if (k < p->ngroups)
      fprintf(m, "stats: mpi %s (%s)", p->groups[k].name, p->groups[k].where);
    else
      fputs("stats: mpi outside the groups", m);
    fprintf(m, ": sent %lld bytes, received %lld bytes, %.6f s\n", (long long)x->sent,
            (long long)x->received, x->seconds);
  }
  fprintf(m, "stats: mpi total: sent %lld bytes, received %lld bytes, %.6f s\n",
          (long long)sum.sent, (long long)sum.received, sum.seconds);
}
#endif

/* --stats to stderr; with several ranks every line starts "rank R: " and rank 0 writes
 * every rank's lines, in rank order (ranks share the terminal). */
static void prog_print_stats(const cdrt_program *p, double seconds) {
  char *text = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&text, &len);
  if (!m) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory (--stats)");
  fprintf(m, "stats: %.6f seconds, %d threads, %lld tiles, %lld random numbers\n", seconds,
          omp_get_max_threads(), (long long)cdrt_stats.tiles,
          (long long)cdrt_stats.random_elements);
  cdrt_vmath_stats(m);
#ifdef CDRT_WITH_MPI
  if (cdrt_stats.blocks_all) /* the CSV and from_arrays scans' blocks (mpi_tables.c) */
    fprintf(m, "stats: dataframe blocks: scanned %lld of %lld\n", (long long)cdrt_stats.blocks,
            (long long)cdrt_stats.blocks_all);
  prog_print_traffic(m, p);
#else
  (void)p;
#endif
  if (fclose(m) != 0) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory (--stats)");
  if (cdrt_mpi_size() == 1) {
    fputs(text, stderr);
  } else {
    char prefix[32];
    int plen = snprintf(prefix, sizeof prefix, "rank %d: ", cdrt_mpi_rank());
    size_t lines = 0;
    for (size_t i = 0; i < len; i++) lines += text[i] == '\n';
    char *out = cdrt_alloc(len + lines * (size_t)plen + 1, "--stats"), *q = out;
    for (size_t i = 0; i < len; i++) {
      if (i == 0 || text[i - 1] == '\n') memcpy(q, prefix, (size_t)plen), q += plen;
      *q++ = text[i];
    }
#ifdef CDRT_WITH_MPI
    /* rank 0 prints every rank's block, in rank order: mpirun forwards a long write of
     * several ranks at once in pieces, which cut each other's lines */
    int64_t *sizes = calloc((size_t)cdrt_mpi_size(), sizeof *sizes);
    if (!sizes) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory (--stats)");
    char *all = cdrt_mpi_gather(out, (int64_t)(q - out), sizes);
    int64_t total = 0;
    for (int r = 0; all && r < cdrt_mpi_size(); r++) total += sizes[r];
    if (all) fwrite(all, 1, (size_t)total, stderr);
    free(all);
    free(sizes);
#else
    fwrite(out, 1, (size_t)(q - out), stderr);
#endif
    free(out);
  }
  free(text);
}

static int prog_main(int argc, char **argv, const cdrt_program *p) {
  prog_name = argc > 0 ? argv[0] : "program";
  prog_hold_standard_descriptors();
  prog_options opt = {.limit = p->memory_limit, .resources_dt = 1.0};
  if (prog_parse_options(argc, argv, p, &opt)) return prog_check_stdout();
  if (opt.job.kind) { /* --job-script: the script that runs this program, by its name */
    char err[512];
    const char *slash = strrchr(prog_name, '/');
    char *text =
        cdrt_job_script(&opt.job, slash ? slash + 1 : prog_name, p->script, err, sizeof err);
    if (!text) cdrt_fatal(CDRT_EXIT_USAGE, "%s", err);
    fputs(text, stdout);
    free(text);
    return prog_check_stdout();
  }
  /* the ISA of each vector kernel, measured now rather than during the run */
  char vmerr[160];
  if (cdrt_vmath_setup(p->vkernels, vmerr, sizeof vmerr) != 0)
    cdrt_fatal(CDRT_EXIT_USAGE, "%s", vmerr);
  if (opt.manifest) {
    if (cdrt_mpi_rank() == 0) prog_print_manifest(p);
    return prog_check_stdout();
  }
  /* the files and the bar are rank 0's; every rank records its tasks for the trace and the
   * report (gathered to rank 0), the resources and the memory profile are rank 0's own */
  if (cdrt_mpi_rank() != 0)
    opt.progress = 0, opt.diag_path[PROG_RESOURCES] = opt.diag_path[PROG_MEMORY] = NULL,
    opt.wisdom_out = NULL;
  int threads = opt.threads ? opt.threads : prog_env_threads(); /* --threads wins */
  if (threads > 0) omp_set_num_threads(threads);
#ifdef CDRT_WITH_FFT
  if (p->fft_wisdom && cdrt_fft_import_wisdom(p->fft_wisdom) != 0)
    cdrt_fatal(CDRT_EXIT_USAGE, "FFTW rejects the wisdom compiled into this program");
#endif

  for (int i = 0; i < p->noutputs; i++) { /* the .npy writer's rule, checked before any work */
    const cdrt_output *o = &p->outputs[i];
    if (o->kind != CDRT_OUT_NPY) continue;
    const cdrt_buffer *b = &p->buffers[o->buffer];
    if (cdrt_npy_shape_bytes(b->dtype, b->ndim, b->shape, NULL) != 0)
      cdrt_fatal(CDRT_EXIT_OUTPUT, "cannot write %s: shape overflows (da.to_npy at %s)", o->name,
                 o->where);
  }
  cdrt_catch_signals();
  /* On several ranks every rank checks its inputs and memory, and they agree, before rank 0
   * proves its outputs writable; it makes their temporary files only after the run
   * (prog_let_go): a rank that stops or dies before (MPI_Abort, SIGKILL) leaves none. */
  int checked = cdrt_mpi_size() > 1;
  if (checked) {
    for (int i = 0; i < p->ninputs; i++) prog_open_input(&p->inputs[i]);
    prog_check_memory(p, opt.limit);
    (void)cdrt_mpi_max(0); /* every rank got here */
  }
  cdrt_outfile *files = prog_open_outputs(p, opt.out_dir);
#ifdef CDRT_WITH_FFT
  char werr[512];
  cdrt_outfile *wisdom = &files[p->noutputs];
  if (opt.wisdom_out && cdrt_outfile_open(wisdom, opt.wisdom_out, werr, sizeof werr) != 0)
    cdrt_fatal(CDRT_EXIT_OUTPUT, "%s", werr);
#endif
  /* only rank 0 opens the files (the others record diagnostics, but write nothing) */
  cdrt_outfile diag_files[PROG_NDIAG];
  memset(diag_files, 0, sizeof diag_files);
  prog_diag_open(&opt, diag_files);
#ifdef CDRT_WITH_MPI
  for (int i = 0; i < p->noutputs && checked; i++) /* written by every rank? */
    if (p->outputs[i].kind == CDRT_OUT_NPY)
      cdrt_mpi_output_probe(p->noutputs, i, &files[i], p->buffers[p->outputs[i].buffer].ndim);
#endif
  if (checked && cdrt_mpi_rank() == 0) { /* proved writable; made again after the run */
    for (int i = 0; i < p->noutputs; i++) prog_let_go(&files[i]);
    for (int k = 0; k < PROG_NDIAG; k++)
      if (opt.diag_path[k]) prog_let_go(&diag_files[k]);
#ifdef CDRT_WITH_FFT
    if (opt.wisdom_out) prog_let_go(wisdom);
#endif
  }
  /* and no rank starts before rank 0 proved them (its cdrt_fatal stops all): a rank whose
   * tiles need nothing from the others would otherwise compute first */
  if (checked) (void)cdrt_mpi_max(0);
  if (!checked) {
    for (int i = 0; i < p->ninputs; i++) prog_open_input(&p->inputs[i]);
    prog_check_memory(p, opt.limit);
  }

#ifdef CDRT_WITH_MPI
  cdrt_mpi_traffic_init(p->ngroups);
#endif
  double t0 = omp_get_wtime();
  if (prog_diag_wanted(p, &opt)) {
    prog_diag_run(p, &opt, diag_files);
  } else {
    prog_run(p);
  }
  if (opt.stats) prog_print_stats(p, omp_get_wtime() - t0);

  int rc = 0;
#ifdef CDRT_WITH_FFT
  if (opt.wisdom_out && (prog_take_again(wisdom, werr, sizeof werr) != 0 ||
                         cdrt_fft_export_wisdom(wisdom, werr, sizeof werr) != 0)) {
    fprintf(stderr, "%s: error: %s\n", prog_name, werr);
    rc = CDRT_EXIT_OUTPUT;
  }
#endif
  if (prog_write_outputs(p, files)) rc = CDRT_EXIT_OUTPUT;
  int out = prog_check_stdout();
  if (out) rc = out;
  for (int i = 0; i < p->ninputs; i++)
    if (p->inputs[i].fd >= 0) close(p->inputs[i].fd);
  for (int i = 0; i < p->nbuffers; i++) free(p->buffers[i].data);
  for (int i = 0; i < p->noutputs; i++) free((char *)files[i].path);
  free(files);
  return rc;
}

int cdrt_main(int argc, char **argv, const cdrt_program *p) {
  cdrt_alloc_policy();
#ifdef CDRT_WITH_MPI
  cdrt_mpi_init(&argc, &argv);
  int rc = cdrt_mpi_max(prog_main(argc, argv, p)); /* rank 0's failure to write is everyone's */
  cdrt_mpi_finalize();
  return rc;
#else
  return prog_main(argc, argv, p);
#endif
}
