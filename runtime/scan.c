/* scan.c: a CSV source at run time (with CDRT_WITH_CSV): the file opened, its header
 * checked against the one cdaskc compiled, its body cut into blocks of whole rows (read a
 * chunk at a time), and each block mapped on its own, its rows and fields read by a cursor
 * that converts only the columns a pipeline uses, and unmapped when it is done: the file is
 * never resident whole (unless a result keeps strings that point into it). A value that does not
 * fit the compiled type is an error naming the file, line, column and the way out; each block
 * records its first error and the earliest block's wins, so the message is the same for any thread
 * count. */
#include "cdrt.h"

#ifdef CDRT_WITH_CSV
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <omp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static const char *const scan_type_names[] = {"int64", "float64",        "bool",
                                              "str",   "datetime64[ns]", "timedelta64[ns]"};

const char *cdrt_coltype_name(int t) {
  return t >= 0 && t <= CDRT_COL_TIMEDELTA ? scan_type_names[t] : "?";
}

/* The line number (from 1) of byte `at` of data, counting from a known line at `from`. */
static int64_t scan_line_of(const char *data, int64_t from, int64_t line, int64_t at) {
  for (int64_t i = from; i < at; i++) line += data[i] == '\n';
  return line;
}

static _Noreturn void source_fail(const cdrt_csv_source *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static _Noreturn void source_fail(const cdrt_csv_source *s, const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  cdrt_fatal(CDRT_EXIT_INPUT, "%s (dd.read_csv at %s)", msg, s->where);
}

const char *cdrt_csv_row_end(const char *p, int64_t n, char quote) {
  bool quoted = false;
  for (int64_t i = 0; i < n; i++)
    if (p[i] == quote)
      quoted = !quoted; /* a doubled quote toggles twice */
    else if (p[i] == '\n' && !quoted)
      return p + i;
  return NULL;
}

/* The header row: the first min(n, cap) bytes of file f into buf, and the row's length
 * without its line end (cap + 1 if no newline ends it within them); *next: where the body
 * starts (just past that newline, or the file's end). */
static int64_t read_header(const cdrt_csv_source *s, const cdrt_csv_file *f, char *buf, int64_t cap,
                           int64_t *next) {
  int64_t got = 0, want = f->size < cap ? f->size : cap;
  while (got < want) {
    ssize_t r = pread(f->fd, buf + got, (size_t)(want - got), (off_t)got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) source_fail(s, "cannot read %s: %s", f->path, r ? strerror(errno) : "it shrank");
    got += r;
  }
  const char *nl = cdrt_csv_row_end(buf, got, s->quote);
  if (!nl && got < f->size) return *next = f->size, cap + 1;
  int64_t i = nl ? nl - buf : got;
  *next = nl ? i + 1 : f->size;
  return i > 0 && buf[i - 1] == '\r' ? i - 1 : i;
}

static _Noreturn void split_fail(const cdrt_csv_source *s, const cdrt_csv_file *f,
                                 const char *err) {
  /* "line L: ..." counts from the body's first line */
  long long l = 0;
  const char *rest = err;
  if (sscanf(err, "line %lld:", &l) == 1 && (rest = strchr(err, ':')))
    source_fail(s, "%s:%lld:%s", f->path, l + f->body_line - 1, rest + 1);
  source_fail(s, "%s: %s", f->path, err);
}

/* Whether file f's body is cut by guessing (cdrt_csv_guess_fd): its first piece (at most 1
 * MB) has no quote character, so that most likely none has, and every newline ends a row.
 * Under MPI the ranks scan their own blocks and merge after an exchange: the two passes. */
static bool body_quote_free(const cdrt_csv_source *s, const cdrt_csv_file *f, int64_t piece) {
#ifdef CDRT_WITH_MPI
  (void)s, (void)f, (void)piece;
  return false;
#else
  int64_t n = f->size - f->body, want = n < piece ? n : piece;
  if (want > (INT64_C(1) << 20)) want = INT64_C(1) << 20;
  if (want <= 0) return false;
  char *buf = cdrt_malloc((size_t)want);
  int64_t got = 0;
  while (got < want) {
    ssize_t r = pread(f->fd, buf + got, (size_t)(want - got), (off_t)(f->body + got));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    got += r;
  }
  bool free_of_quotes = got == want && !memchr(buf, s->quote, (size_t)got);
  free(buf);
  return free_of_quotes;
#endif
}

/* File f (its path set): opened, its header checked, its body cut into blocks */
static void file_open(cdrt_csv_source *s, cdrt_csv_file *f) {
  f->fd = open(f->path, O_RDONLY | O_CLOEXEC);
  if (f->fd < 0)
    source_fail(s, "cannot read %s: %s%s%s%s", f->path, strerror(errno),
                s->paths ? " (a file of '" : "", s->paths ? s->path : "",
                s->paths ? "' when cdaskc compiled; the program reads those files)" : "");
  struct stat st;
  if (fstat(f->fd, &st) != 0 || !S_ISREG(st.st_mode))
    source_fail(s, "cannot read %s: not a regular file", f->path);
  f->size = st.st_size;
  if (f->size == 0) source_fail(s, "%s: the file is empty (no columns to parse)", f->path);
  f->body = 0, f->body_line = 1;
  if (s->header_text) { /* the header cdaskc compiled, byte for byte */
    size_t len = strlen(s->header_text);
    int64_t cap = (int64_t)len + 256; /* the row, "\r\n", and 200 bytes for the message */
    char *buf = cdrt_malloc((size_t)cap);
    int64_t next, end = read_header(s, f, buf, cap, &next);
    if ((size_t)end != len || memcmp(buf, s->header_text, len) != 0)
      source_fail(s, "%s:1: the header changed since cdaskc read it: it was '%s', it is now '%.*s'",
                  f->path, s->header_text, (int)(end < 200 ? end : 200), buf);
    free(buf);
    f->body = next;
    f->body_line = 2;
  } else { /* no header: a UTF-8 BOM before the first row is not data (pandas drops it) */
    char bom[3];
    if (f->size >= 3 && pread(f->fd, bom, 3, 0) == 3 && memcmp(bom, "\xEF\xBB\xBF", 3) == 0)
      f->body = 3;
  }
  /* blocks: the script's size, or one per 1/16 of the file between 1 MB and 64 MB (a
   * function of the file alone, never of the threads or ranks; a groupby merges one hash
   * table per block, so fewer blocks cost less merging, more feed more cores) */
  int64_t piece = s->blocksize;
  if (piece <= 0) {
    piece = f->size / 16;
    piece = piece < (INT64_C(1) << 20)    ? INT64_C(1) << 20
            : piece > (INT64_C(64) << 20) ? INT64_C(64) << 20
                                          : piece;
  }
  char err[512];
  f->exact_from = 0;
  if (body_quote_free(s, f, piece)) { /* one pass: the blocks are guessed, the scan checks them */
    if (cdrt_csv_guess_fd(f->fd, f->body, f->size - f->body, piece, &f->blocks, err, sizeof err))
      split_fail(s, f, err);
    f->guessed = 1, f->exact_from = f->blocks.n;
    return;
  }
  if (cdrt_csv_split_fd(f->fd, f->body, f->size - f->body, piece, s->sep, s->quote, &f->blocks, err,
                        sizeof err) != 0)
    split_fail(s, f, err);
}

static uint64_t na_len_bit(int64_t n) { /* scan_is_na's table */
  return UINT64_C(1) << (n < 63 ? n : 63);
}

/* The blocks' arenas hold the strings a scan makes (a field with doubled quotes unquoted,
 * str.lower's results): named for the memory limit's message */
static void source_name_arenas(cdrt_csv_source *s, int64_t nb) {
  const char *path = s->path ? s->path : "the arrays";
  size_t n = strlen(path) + 64;
  char *what = cdrt_malloc(n);
  snprintf(what, n, "the strings copied while reading %s", path);
  for (int64_t b = 0; b < nb; b++) s->arenas[b].what = what;
}

/* The files are the ones cdaskc compiled (a glob is not expanded again: the program reads
 * what was compiled, or stops), each opened and cut in order; the source's blocks are
 * theirs, file after file. */
void cdrt_source_open(cdrt_csv_source *s) {
  s->nfiles = s->paths ? s->npaths : 1;
  s->files = cdrt_calloc((size_t)s->nfiles, sizeof *s->files);
  int64_t nb = 0;
  for (int k = 0; k < s->nfiles; k++) {
    cdrt_csv_file *f = &s->files[k];
    f->path = s->paths ? s->paths[k] : s->path;
    file_open(s, f);
    f->first = nb;
    nb += f->blocks.n;
  }
  s->fd = -1;
  s->blocks.n = nb;
  s->blocks.block = cdrt_calloc((size_t)(nb ? nb : 1), sizeof *s->blocks.block);
  s->block_file = cdrt_calloc((size_t)(nb ? nb : 1), sizeof *s->block_file);
  for (int k = 0; k < s->nfiles; k++)
    for (int64_t b = 0; b < s->files[k].blocks.n; b++) {
      s->blocks.block[s->files[k].first + b] = s->files[k].blocks.block[b];
      s->block_file[s->files[k].first + b] = k;
    }
  s->err = cdrt_calloc((size_t)(nb ? nb : 1), sizeof *s->err);
  s->rows = cdrt_calloc((size_t)(nb ? nb : 1) + 1, sizeof *s->rows);
  s->bad = cdrt_calloc((size_t)(nb ? nb : 1), sizeof *s->bad);
  s->hold = cdrt_calloc((size_t)(nb ? nb : 1), 1);
  s->arenas = cdrt_calloc((size_t)(nb ? nb : 1), sizeof *s->arenas);
  source_name_arenas(s, nb);
  s->na_len = cdrt_calloc((size_t)s->nna + 1, sizeof *s->na_len);
  for (int i = 0; i < s->nna; i++) {
    s->na_len[i] = (int64_t)strlen(s->na[i]);
    if (s->na_len[i] > s->na_max) s->na_max = s->na_len[i];
    if (s->na_len[i]) s->na_first[(unsigned char)s->na[i][0]] |= na_len_bit(s->na_len[i]);
  }
}

void cdrt_arrays_open(cdrt_csv_source *s, int64_t nrows, int64_t chunk) {
  int64_t nb = nrows ? (nrows + chunk - 1) / chunk : 0;
  s->fd = -1, s->blocks.n = nb;
  s->err = cdrt_calloc((size_t)(nb ? nb : 1), sizeof *s->err);
  s->rows = cdrt_calloc((size_t)(nb ? nb : 1) + 1, sizeof *s->rows);
  s->bad = cdrt_calloc((size_t)(nb ? nb : 1), sizeof *s->bad);
  s->arenas = cdrt_calloc((size_t)(nb ? nb : 1), sizeof *s->arenas);
  source_name_arenas(s, nb);
  for (int64_t b = 0; b < nb; b++) s->rows[b] = b < nb - 1 ? chunk : nrows - b * chunk;
}

void cdrt_arrays_begin(cdrt_scan *c, cdrt_csv_source *s, int64_t b) {
  memset(c, 0, sizeof *c);
  c->s = s, c->block = b, c->data = "", c->path = s->path;
  c->err = &s->err[b];
  c->arena = &s->arenas[b];
}

/* After the blocks ran: the earliest block's error stops the program; bad lines skipped
 * are counted (and, with "warn", each was reported by its block in order); rows[b] becomes
 * the index of block b's first row. */
void cdrt_source_finish(cdrt_csv_source *s) {
  /* under --mpi every rank holds every block's records (mpi_tables.c): rank 0 speaks */
  int quiet = cdrt_mpi_rank() != 0;
  for (int64_t b = 0; b < s->blocks.n; b++)
    if (s->err[b].msg[0]) {
#ifdef CDRT_WITH_MPI
      if (quiet) cdrt_mpi_await_abort(); /* rank 0 stops every rank, once it said why */
#endif
      cdrt_fatal(CDRT_EXIT_INPUT, "%s (%s at %s)", s->err[b].msg,
                 s->json     ? "db.read_json_lines"
                 : s->text   ? "db.read_text"
                 : s->arrays ? s->path /* "dd.from_arrays", "db.from_sequence" */
                             : "dd.read_csv",
                 s->where);
    }
  int64_t bad = 0;
  for (int64_t b = 0; b < s->blocks.n; b++) {
    for (int64_t i = 0; i < s->err[b].nwarn && !quiet; i++) /* pandas: "Skipping line L" */
      fprintf(stderr, "%s: warning: line %lld: expected %d fields, saw %d (skipped)\n",
              s->files ? s->files[s->block_file[b]].path : s->path,
              (long long)s->err[b].warn[i].line, s->ncols, s->err[b].warn[i].nf);
    free(s->err[b].warn);
    s->err[b].warn = NULL, s->err[b].nwarn = 0;
    bad += s->bad[b];
  }
  if (bad && s->bad_lines && !quiet)
    fprintf(stderr, "%s: %s %lld bad line%s (on_bad_lines = \"%s\", dd.read_csv at %s)\n", s->path,
            "skipped", (long long)bad, bad == 1 ? "" : "s", s->bad_lines == 1 ? "warn" : "skip",
            s->where);
  for (int k = 0; k < s->nfiles; k++) { /* mappings kept (keep) outlive them */
    if (s->files[k].fd >= 0) close(s->files[k].fd);
    s->files[k].fd = -1;
  }
  int64_t row = 0, all = 0;
  for (int64_t b = 0; b <= s->blocks.n; b++) {
    int64_t n = b < s->blocks.n ? s->rows[b] : 0;
    if (s->files && b < s->blocks.n && s->files[s->block_file[b]].first == b) row = 0;
    s->rows[b] = row;
    row += n, all += n;
  }
  s->nrows = all;
}

/* A guessed block's message "PATH:L..." (L counted from the block's first line) made
 * "PATH:LINE..." with the block's first line at `first` */
static void fix_line(cdrt_scan_error *e, const char *path, int64_t first) {
  size_t n = strlen(path);
  if (strncmp(e->msg, path, n) != 0 || e->msg[n] != ':') return;
  char *rest;
  long long rel = strtoll(e->msg + n + 1, &rest, 10);
  if (rest == e->msg + n + 1) return;
  char fixed[sizeof e->msg];
  snprintf(fixed, sizeof fixed, "%s:%lld%s", path, rel + first - 1, rest);
  memcpy(e->msg, fixed, sizeof fixed);
}

/* Block b of guessed file f ends inside a row: the file's blocks from b on cut again by the
 * two passes, and every block from b on (the later files' too) made as before its run */
static void recut(cdrt_csv_source *s, cdrt_csv_file *f, int64_t b) {
  char err[512];
  int64_t k0 = b - f->first;
  if (cdrt_csv_recut_fd(f->fd, f->body, f->size - f->body, s->sep, s->quote, k0,
                        f->line_at - f->body_line + 1, &f->blocks, err, sizeof err) != 0)
    split_fail(s, f, err);
  f->exact_from = k0;
  for (int64_t k = k0; k < f->blocks.n; k++) s->blocks.block[f->first + k] = f->blocks.block[k];
  for (int64_t k = b; k < s->blocks.n; k++) {
    cdrt_scan_error *e = &s->err[k];
    free(e->warn);
    memset(e, 0, sizeof *e);
    s->hold[k] = 0, s->rows[k] = 0, s->bad[k] = 0;
    cdrt_bytes_free(&s->arenas[k]);
  }
}

int64_t cdrt_source_verify(cdrt_csv_source *s) {
  int64_t nb = s->blocks.n;
  for (int64_t b = s->verified; b < nb && s->files; b++) {
    cdrt_csv_file *f = &s->files[s->block_file[b]];
    cdrt_scan_error *e = &s->err[b];
    if (f->guessed) {
      if (b == f->first) f->line_at = f->body_line;
      if (s->hold[b]) {
        recut(s, f, b);
        return s->verified = b;
      }
      for (int64_t i = 0; i < e->nwarn; i++) e->warn[i].line += f->line_at - 1;
      if (e->msg[0]) fix_line(e, f->path, f->line_at);
      f->line_at += e->lines;
    }
    if (e->msg[0]) { /* the earliest error: the blocks after it do not matter */
      s->verified = nb;
      break;
    }
    s->verified = b + 1;
  }
  return nb;
}

void cdrt_inorder_init(cdrt_inorder *o, int64_t n, void (*merge)(void *, int64_t), void *ctx) {
  memset(o, 0, sizeof *o);
  o->done = cdrt_calloc((size_t)(n ? n : 1), 1);
  o->n = n, o->merge = merge, o->ctx = ctx;
}

/* The thread that takes `busy` merges the blocks ready in order. Having let go, it looks
 * again: a block marked done meanwhile by a thread that found `busy` taken is not left
 * for the loop's end (sequentially consistent: each sees the other's store).
 * When merging is slower than scanning (q10: 625000 new groups per block into a total of
 * 10^7), the scanned blocks' tables would pile up, each in fresh memory (9 of 184 MB); so a
 * thread that finds more than a block per thread waiting for the merge waits for it before
 * it scans another. It never waits on a block held back (its merge waits for the loop's
 * end), and the block the merge needs next is always being scanned by a thread that does
 * not wait. A waiting thread, and one with no block left to scan, first does the merge's
 * `idle` work (a total's pages faulted in ahead of it) while there is some. */
void cdrt_inorder_done(cdrt_inorder *o, int64_t b) {
  __atomic_store_n(&o->done[b], 1, __ATOMIC_SEQ_CST);
  __atomic_add_fetch(&o->pending, 1, __ATOMIC_SEQ_CST);
  __atomic_add_fetch(&o->scanned, 1, __ATOMIC_SEQ_CST);
  for (;;) {
    while (!__atomic_exchange_n(&o->busy, 1, __ATOMIC_SEQ_CST)) {
      int64_t k = o->next;
      while (k < o->n && __atomic_load_n(&o->done[k], __ATOMIC_SEQ_CST) &&
             !(o->hold && o->hold[k])) {
        o->merge(o->ctx, k++);
        __atomic_store_n(&o->next, k, __ATOMIC_SEQ_CST);
        __atomic_sub_fetch(&o->pending, 1, __ATOMIC_SEQ_CST);
      }
      __atomic_store_n(&o->busy, 0, __ATOMIC_SEQ_CST);
      if (k >= o->n || !__atomic_load_n(&o->done[k], __ATOMIC_SEQ_CST) || (o->hold && o->hold[k]))
        break;
    }
    int64_t k = __atomic_load_n(&o->next, __ATOMIC_SEQ_CST);
    if (k >= o->n || (o->hold && o->hold[k])) return;
    int tail = __atomic_load_n(&o->scanned, __ATOMIC_SEQ_CST) == o->n; /* nothing to scan */
    if (!tail && __atomic_load_n(&o->pending, __ATOMIC_SEQ_CST) <= omp_get_num_threads()) return;
    if (o->idle && o->idle(o->ctx)) continue;
    if (tail) return;
    struct timespec tick = {0, 50000}; /* merges take milliseconds */
    nanosleep(&tick, NULL);
  }
}

void cdrt_inorder_rewind(cdrt_inorder *o, int64_t b) {
  for (int64_t k = b; k < o->n; k++)
    o->pending -= o->done[k], o->scanned -= o->done[k], o->done[k] = 0;
}

void cdrt_inorder_finish(cdrt_inorder *o) {
  for (int64_t k = o->next; k < o->n; k++) o->merge(o->ctx, k);
  o->next = o->n, o->pending = 0;
  free(o->done);
  o->done = NULL;
}

static uint64_t scan_mask64(const cdrt_scan *c, int64_t at);
static uint64_t scan_mask64_spec(cdrt_scan *c, int64_t at);
static int scan_utf8_fail(cdrt_scan *c, int64_t at);
static int get_f64_slow(cdrt_scan *c, int col, double *out);
static int get_i64_slow(cdrt_scan *c, int col, int64_t *out);
static void scan_slide(cdrt_scan *c);

/* Maps the window of file f's bytes [begin, end) (a block, or its rest): from the page
 * holding byte begin to 64 bytes past end (what scan_mask64 reads), or the file's end. */
static void scan_map(cdrt_scan *c, const cdrt_csv_source *s, const cdrt_csv_file *f, int64_t begin,
                     int64_t end) {
  int64_t page = sysconf(_SC_PAGESIZE) > 0 ? sysconf(_SC_PAGESIZE) : 4096;
  int64_t stop = end + 64 < f->size ? end + 64 : f->size;
  c->base = begin / page * page;
  c->avail = stop - c->base;
  c->data = "";
  if (end > begin) {
    void *m = mmap(NULL, (size_t)c->avail, PROT_READ, MAP_PRIVATE, f->fd, (off_t)c->base);
    if (m == MAP_FAILED) source_fail(s, "cannot map %s: %s", f->path, strerror(errno));
    c->data = m;
  }
  c->begin = begin - c->base;
  c->at = c->lbase = c->begin, c->end = end - c->base;
  c->page = page, c->done = 0, c->ready = c->at;
  if (end > begin) scan_slide(c);
}

/* Before the row at c->at: the window's pages before it are let go (unless the source keeps
 * its strings), and the next SCAN_STEP bytes are read in ahead (one call, where a fault per
 * page would cost more), so that a block holds about SCAN_STEP bytes of the file at once. */
enum { SCAN_STEP = 4 << 20 };
static void scan_slide(cdrt_scan *c) {
  int64_t upto = c->at / c->page * c->page;
  if (!c->s->keep && upto > c->done) {
    madvise((char *)(uintptr_t)c->data + c->done, (size_t)(upto - c->done), MADV_DONTNEED);
    c->done = upto;
  }
  int64_t from = c->ready / c->page * c->page, to = c->ready + SCAN_STEP;
  if (to > c->avail) to = c->avail;
#ifdef MADV_POPULATE_READ
  int advice = MADV_POPULATE_READ; /* Linux 5.14 */
#else
  int advice = MADV_WILLNEED;
#endif
  if (to > from) madvise((char *)(uintptr_t)c->data + from, (size_t)(to - from), advice);
  c->ready = to > c->end ? c->end : to;
}

/* A read block's buffer, at first: it stays in L2 (text.c's size; others not measured) */
enum { SCAN_BUF = 256 << 10 };

void cdrt_scan_begin(cdrt_scan *c, cdrt_csv_source *s, int64_t b, cdrt_csv_field *fields, int cap,
                     void (*pending)(void *), void *ctx) {
  memset(c, 0, sizeof *c);
  c->s = s, c->block = b, c->f = fields, c->cap = cap;
  const cdrt_csv_file *f = &s->files[s->block_file[b]];
  const cdrt_csv_block *k = &s->blocks.block[b];
  c->path = f->path;
  c->first_line = f->guessed ? 1 : k->line + f->body_line - 1;
  c->next_line = c->lbase_line = c->first_line;
  c->err = &s->err[b];
  c->own = s->arenas[b], c->arena = &c->own; /* stored back by cdrt_scan_end */
  c->general_from = -1, c->bad_byte = INT64_MAX;
  c->spec = f->guessed && b - f->first < f->exact_from; /* checked as it is read */
  c->plain = c->spec || cdrt_csv_plain(&f->blocks, k->begin, k->end);
  /* validated: its bytes are checked as UTF-8 (a block not known to be ASCII, a guessed
   * block after its first non-ASCII byte) */
  c->validated = !c->spec && !cdrt_csv_ascii(&f->blocks, k->begin, k->end);
  if (c->plain && pending && !s->keep && k->end > k->begin) { /* the first fill: scan_next */
    c->pending = pending, c->pending_ctx = ctx;
    c->bufcap = SCAN_BUF, c->buf = cdrt_malloc(SCAN_BUF);
    c->data = c->buf, c->base = f->body + k->begin, c->bend = f->body + k->end;
    c->ready = INT64_MAX; /* nothing to slide */
    return;
  }
  scan_map(c, s, f, f->body + k->begin, f->body + k->end);
  c->row_start = c->mbase = c->at;
  if (c->spec) {
    c->mask = c->at < c->end ? scan_mask64_spec(c, c->at) : 0;
    return;
  }
  c->mask = c->at < c->end ? scan_mask64(c, c->at) : 0;
  int64_t bad = c->validated ? cdrt_utf8_invalid(c->data + c->at, c->end - c->at) : -1;
  if (bad >= 0) c->bad_byte = c->at + bad; /* an error when its row is cut (rows in order) */
}

/* A read block's next whole lines (cdrt_scan_refill), checked as UTF-8 if they must be,
 * their first row's marks found. A guessed block's quote there maps the rest of the block
 * (scan_spec_odd). */
static void scan_buf_fill(cdrt_scan *c) {
  int64_t to = cdrt_scan_refill(c, c->at, c->bend);
  c->at = c->row_start = c->mbase = c->lbase = 0;
  c->line = c->lbase_line = c->next_line; /* the line scan_unbuffer would start at */
  c->end = to, c->avail = c->fill;
  if (c->validated) {
    int64_t bad = cdrt_utf8_invalid(c->buf, to);
    if (bad >= 0) c->bad_byte = bad;
  }
  c->mask = c->spec ? scan_mask64_spec(c, 0) : scan_mask64(c, 0);
}

/* A guessed block read into a buffer met a quote: whatever points into the buffer is
 * finished, and the block's rest from the current row on is mapped (to be cut the general
 * way, and its tail's quotes checked: cdrt_scan_end). */
static void scan_unbuffer(cdrt_scan *c) {
  const cdrt_csv_file *f = &c->s->files[c->s->block_file[c->block]];
  int64_t from = c->base + c->row_start;
  c->pending(c->pending_ctx);
  free(c->buf);
  c->buf = NULL, c->pending = NULL;
  scan_map(c, c->s, f, from, c->bend);
  c->row_start = c->mbase = c->at;
  c->lbase_line = c->line;
  c->validated = 0, c->bad_byte = INT64_MAX; /* scan_spec_odd validates the rest */
}

/* Records the invalid UTF-8 byte at window offset `at` as the block's error (its line
 * counted from the block's first) and stops the block: 0. */
static int scan_utf8_fail(cdrt_scan *c, int64_t at) {
  int64_t line = scan_line_of(c->data, c->lbase, c->lbase_line, at), ls = at;
  while (ls > c->lbase && c->data[ls - 1] != '\n') ls--;
  snprintf(c->err->msg, sizeof c->err->msg,
           "%s:%lld:%lld: invalid UTF-8 (byte 0x%02x at offset %lld of the file)", c->path,
           (long long)line, (long long)(at - ls + 1), (unsigned char)c->data[at],
           (long long)(c->base + at));
  c->at = c->end;
  return 0;
}

/* A guessed block's bytes from `at` (after ASCII ones only) to its end, validated once: the
 * row that holds the first invalid byte stops the block when it is cut. */
static void scan_validate_from(cdrt_scan *c, int64_t at) {
  if (c->validated || at >= c->end) return;
  c->validated = 1;
  int64_t bad = cdrt_utf8_invalid(c->data + at, c->end - at);
  if (bad < 0) return;
  c->bad_byte = at + bad;
}

/* A guessed block's 64 bytes at `at` may hold a quote or (not validated yet) a non-ASCII
 * byte before the block's end. After a quote the rows are cut the general way, from the
 * current row's start on (the bytes before it were read for marks, and had none), and the
 * rest of the block is validated (the general cutter looks at no byte's high bit). */
__attribute__((noinline)) static void scan_spec_odd(cdrt_scan *c, int64_t at) {
  int64_t stop = at + 64 < c->end ? at + 64 : c->end;
  bool quote = false, high = false;
  for (int64_t i = at; i < stop; i++)
    quote |= c->data[i] == c->s->quote, high |= (unsigned char)c->data[i] >= 0x80;
  if (quote && c->buf) scan_unbuffer(c);
  if (quote || (high && !c->validated)) scan_validate_from(c, quote ? c->row_start : at);
  if (quote) c->plain = 0, c->general_from = c->row_start;
}

void cdrt_scan_end(cdrt_scan *c) {
  c->s->rows[c->block] = c->row, c->s->bad[c->block] = c->bad;
  c->err->lines = c->next_line - c->first_line;
  if (c->general_from >= 0) { /* a guessed block that met a quote: does it end a row? */
    int st = cdrt_csv_tail_state(c->data, c->general_from, c->end, c->s->sep, c->s->quote);
    const cdrt_csv_file *f = &c->s->files[c->s->block_file[c->block]];
    bool last = c->base + c->end == f->size; /* the file's end: a quote left open is wrong */
    c->s->hold[c->block] = last ? st == 1 : st != 0;
  }
  if (!c->s->keep) cdrt_bytes_free(&c->own); /* no result holds a string past its block */
  c->s->arenas[c->block] = c->own;
  if (c->buf)
    free(c->buf);
  else if (c->end > c->begin && !c->s->keep)
    munmap((void *)(uintptr_t)c->data, (size_t)c->avail);
  c->buf = NULL;
  c->data = "", c->at = c->end = c->begin = c->avail = 0;
}

static bool scan_blank(const char *data, const cdrt_csv_field *f, int nf) {
  if (nf != 1 || f[0].kind != CDRT_CSV_PLAIN) return false;
  for (int64_t i = f[0].begin; i < f[0].end; i++)
    if (data[i] != ' ' && data[i] != '\t' && data[i] != '\r') return false;
  return true;
}

static void scan_names(const cdrt_csv_source *s, char *out, size_t n) {
  size_t k = 0;
  out[0] = 0;
  for (int i = 0; i < s->ncols && k + 8 < n; i++) {
    int w = snprintf(out + k, n - k, "%s%s", i ? ", " : "", s->names[i]);
    if (w < 0 || (size_t)w >= n - k) {
      snprintf(out + (n > 5 ? n - 5 : 0), 5, "...");
      return;
    }
    k += (size_t)w;
  }
}

/* A row with too many fields: 1 after recording the error, 0 after counting it as skipped
 * (on_bad_lines). */
static int scan_bad_row(cdrt_scan *c) {
  const cdrt_csv_source *s = c->s;
  if (s->bad_lines == 0) {
    char names[300];
    scan_names(s, names, sizeof names);
    snprintf(c->err->msg, sizeof c->err->msg, "%s:%lld: expected %d fields (%s), saw %d", c->path,
             (long long)c->line, s->ncols, names, c->nf);
    return 1;
  }
  c->bad++;
  if (s->bad_lines == 1) {
    cdrt_scan_error *e = c->err;
    if (e->nwarn == e->warn_cap) {
      e->warn_cap = e->warn_cap ? 2 * e->warn_cap : 16;
      e->warn = cdrt_realloc(e->warn, (size_t)e->warn_cap * sizeof *e->warn);
    }
    e->warn[e->nwarn++] = (cdrt_scan_warning){c->line, c->nf};
  }
  return 0;
}

/* The row just cut: 1 a row of the table, 0 an error (the block stops), -1 skipped (a
 * blank line, or a bad one under on_bad_lines). */
static int scan_accept(cdrt_scan *c) {
  const cdrt_csv_source *s = c->s;
  if (scan_blank(c->data, c->f, c->nf)) return -1;
  if (c->nf > s->ncols) return scan_bad_row(c) ? 0 : -1;
  for (int i = c->nf; i < s->ncols; i++) { /* a short row: missing values, as pandas pads */
    int64_t end = c->f[c->nf - 1].end + (c->f[c->nf - 1].kind != CDRT_CSV_PLAIN);
    c->f[i] = (cdrt_csv_field){end, end, CDRT_CSV_MISSING};
  }
  c->row++;
  return 1;
}

/* The separators and newlines among the 64 bytes at the window's byte at (bit i: byte
 * at + i), those past the window's end (the file's) left out. With odd (a guessed block):
 * *odd tells whether they hold a quote or, with high 0x80, a non-ASCII byte (maybe past
 * the block's end: scan_spec_odd looks closer). */
__attribute__((always_inline)) static inline uint64_t scan_marks(const cdrt_scan *c, int64_t at,
                                                                 bool *odd, int high) {
  const cdrt_csv_source *s = c->s;
  const char *p = c->data + at;
  uint64_t m = 0;
#if defined(__SSE2__)
  if (at + 64 <= c->avail) {
    const __m128i vs = _mm_set1_epi8(s->sep), vn = _mm_set1_epi8('\n');
    __m128i any = _mm_setzero_si128(), quotes = _mm_setzero_si128();
    for (int k = 0; k < 4; k++) {
      __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
      __m128i hit = _mm_or_si128(_mm_cmpeq_epi8(x, vs), _mm_cmpeq_epi8(x, vn));
      m |= (uint64_t)(unsigned)_mm_movemask_epi8(hit) << (16 * k);
      if (odd)
        any = _mm_or_si128(any, x),
        quotes = _mm_or_si128(quotes, _mm_cmpeq_epi8(x, _mm_set1_epi8(s->quote)));
    }
    if (odd)
      *odd = _mm_movemask_epi8(
                 _mm_or_si128(quotes, _mm_and_si128(any, _mm_set1_epi8((char)high)))) != 0;
    return m;
  }
#endif
  int64_t n = at + 64 <= c->avail ? 64 : c->avail - at; /* the file's last bytes */
  bool o = false;
  for (int64_t i = 0; i < n; i++) {
    m |= (uint64_t)(p[i] == s->sep || p[i] == '\n') << i;
    o |= p[i] == s->quote || ((unsigned char)p[i] & high);
  }
  if (odd) *odd = o;
  return m;
}

static uint64_t scan_mask64(const cdrt_scan *c, int64_t at) {
  return scan_marks(c, at, NULL, 0);
}

/* The marks of a guessed block, its quotes and first non-ASCII bytes looked for too */
static uint64_t scan_mask64_spec(cdrt_scan *c, int64_t at) {
  bool odd;
  uint64_t m = scan_marks(c, at, &odd, c->validated ? 0 : 0x80);
  if (__builtin_expect(odd, 0)) scan_spec_odd(c, at);
  return m;
}

/* The row cutter asks for the bytes 1 kB ahead of the 64 it reads (a rough 1-thread A/B
 * on the 10^7-row sum: user time 0.74 -> 0.63 s; 4 kB ahead did worse). */
enum { SCAN_AHEAD = 1024 };

static int scan_next_general(cdrt_scan *c);

/* A block without quote characters: fields end at the marks, a row at a newline. The
 * cursor's mask, its base and the block's end are held in locals for the row: the stores of
 * the fields (int64_t) might alias them, and the compiler would reload them after each.
 * spec: a guessed block, whose quotes and UTF-8 are checked as the marks are found. */
__attribute__((always_inline)) static inline int scan_plain_rows(cdrt_scan *c, const bool spec) {
  const char *d = c->data;
  const int64_t end = c->end;
  cdrt_csv_field *const f = c->f;
  const int cap = c->cap;
  while (c->at < end && !c->err->msg[0]) {
    if (c->at >= c->ready) scan_slide(c);
    c->row_start = c->at;
    c->line = c->next_line++;
    int64_t start = c->at, mbase = c->mbase;
    uint64_t mask = c->mask;
    int nf = 0;
    for (;;) {
      int64_t p; /* the next separator or newline (the block's end if none) */
      for (;;) {
        if (mask) {
          p = mbase + __builtin_ctzll(mask);
          mask &= mask - 1;
          p = p < end ? p : end;
          break;
        }
        mbase += 64;
        if (mbase >= end) {
          p = end;
          break;
        }
        mask = spec ? scan_mask64_spec(c, mbase) : scan_mask64(c, mbase);
        if (spec && !c->plain) { /* a quote: this row again, the general way */
          c->at = c->row_start, c->next_line = c->line;
          return scan_next_general(c);
        }
        if (mbase + SCAN_AHEAD < c->avail) __builtin_prefetch(d + mbase + SCAN_AHEAD);
      }
      bool nl = p >= end || d[p] == '\n';
      int64_t fe = nl && p > start && d[p - 1] == '\r' ? p - 1 : p;
      if (nf < cap) f[nf] = (cdrt_csv_field){start, fe, CDRT_CSV_PLAIN};
      nf++;
      start = p + 1;
      if (nl) break;
    }
    c->mbase = mbase, c->mask = mask;
    c->at = start < end ? start : end;
    c->nf = nf;
    if (c->bad_byte < c->at) return scan_utf8_fail(c, c->bad_byte); /* not this row */
    if (nf == c->s->ncols && nf > 1) { /* a whole row (most are): scan_accept's checks pass */
      c->row++;
      return 1;
    }
    int r = scan_accept(c);
    if (r >= 0) return r;
  }
  return 0;
}

static int scan_next_plain(cdrt_scan *c) {
  return scan_plain_rows(c, false);
}

static int scan_next_spec(cdrt_scan *c) {
  return scan_plain_rows(c, true);
}

int cdrt_scan_next(cdrt_scan *c) {
  for (;;) {
    int r = c->plain ? c->spec ? scan_next_spec(c) : scan_next_plain(c) : scan_next_general(c);
    if (r || !c->buf || c->err->msg[0] || c->base + c->end >= c->bend) return r;
    scan_buf_fill(c); /* a read block's lines are done: its next ones */
  }
}

/* Rows with quoted fields (cdrt_csv_row) */
static int scan_next_general(cdrt_scan *c) {
  const cdrt_csv_source *s = c->s;
  while (c->at < c->end && !c->err->msg[0]) {
    int64_t nl = 0;
    if (c->at >= c->ready) scan_slide(c);
    c->row_start = c->at;
    c->line = c->next_line;
    c->at = cdrt_csv_row(c->data, c->at, c->end, s->sep, s->quote, c->f, c->cap, &c->nf, &nl);
    if (c->bad_byte < c->at) return scan_utf8_fail(c, c->bad_byte); /* a guessed block's */
    c->next_line += nl;
    int r = scan_accept(c);
    if (r >= 0) return r;
  }
  return 0;
}

/* The text of field col of the current row (a copy for a field with doubled quotes). */
static cdrt_str scan_text(cdrt_scan *c, int col) {
  const cdrt_csv_field *f = &c->f[col];
  if (f->kind == CDRT_CSV_MISSING) return (cdrt_str){NULL, 0};
  if (f->kind != CDRT_CSV_COPY) return (cdrt_str){c->data + f->begin, f->end - f->begin};
  char *out = cdrt_bytes_alloc(c->arena, (size_t)(f->end - f->begin) + 1);
  size_t n = cdrt_csv_unquote(c->data, f, c->s->quote, out);
  return (cdrt_str){out, (int64_t)n};
}

/* Every string field is tested: the NA strings' lengths are measured once (at open), a
 * field longer than the longest is none of them, nor one whose first byte and length no NA
 * string has ("Nice" and "Lyon" would otherwise be compared with the seven NA strings of
 * four bytes). */
static bool scan_is_na(const cdrt_csv_source *s, cdrt_str t) {
  if (t.n > s->na_max) return false;
  if (t.n && !(s->na_first[(unsigned char)t.p[0]] & na_len_bit(t.n))) return false;
  for (int i = 0; i < s->nna; i++)
    if (s->na_len[i] == t.n && memcmp(s->na[i], t.p, (size_t)t.n) == 0) return true;
  return false;
}

/* Records "path:line:col: column 'NAME': cannot read 'TEXT' as TYPE (...)". */
static int scan_fail(cdrt_scan *c, int col, cdrt_str t, const char *what) {
  const cdrt_csv_source *s = c->s;
  int64_t at =
      c->f[col].begin - (c->f[col].kind == CDRT_CSV_QUOTED || c->f[col].kind == CDRT_CSV_COPY);
  const char *name = s->names[col];
  int type = s->types[col];
  /* why the column has its type, and the way out: float64 for a missing value or a float
   * in an int64 column, else str */
  double d;
  const char *way = type == CDRT_COL_INT64 && (!t.p || cdrt_parse_f64(t.p, (size_t)t.n, &d) == 0)
                        ? "float64"
                        : "str";
  char why[300];
  if (type == CDRT_COL_DATETIME)
    snprintf(why, sizeof why, "parse_dates or dtype declares it datetime64[ns], read as ISO 8601");
  else if (s->declared && s->declared[col])
    snprintf(why, sizeof why, "dtype declares it %s", cdrt_coltype_name(type));
  else
    snprintf(why, sizeof why,
             "type found from %s %lld rows; pass dtype = {%s = \"%s\"} or sample = \"all\"",
             s->sampled_whole ? "all" : "the first", (long long)s->sampled, name, way);
  char value[200];
  if (t.p)
    snprintf(value, sizeof value, "cannot read '%.*s' as %s", (int)(t.n < 80 ? t.n : 80), t.p,
             cdrt_coltype_name(type));
  else
    snprintf(value, sizeof value, "%s in %s %s column", what, type == CDRT_COL_INT64 ? "an" : "a",
             cdrt_coltype_name(type));
  snprintf(c->err->msg, sizeof c->err->msg, "%s:%lld:%lld: column '%s': %s (%s)", c->path,
           (long long)c->line, (long long)(at - c->row_start + 1), name, value, why);
  c->at = c->end;
  return 0;
}

/* A plain field whose text is a plain decimal: no copy, no NA test needed first. */
int cdrt_get_f64(cdrt_scan *c, int col, double *out) {
  const cdrt_csv_field *f = &c->f[col];
  if (f->kind == CDRT_CSV_PLAIN && !c->s->na_numeric &&
      cdrt_parse_f64(c->data + f->begin, (size_t)(f->end - f->begin), out) == 0)
    return 1;
  return get_f64_slow(c, col, out);
}

int cdrt_get_i64(cdrt_scan *c, int col, int64_t *out) {
  const cdrt_csv_field *f = &c->f[col];
  if (f->kind == CDRT_CSV_PLAIN && !c->s->na_numeric &&
      cdrt_parse_i64(c->data + f->begin, (size_t)(f->end - f->begin), out) == 0)
    return 1;
  return get_i64_slow(c, col, out);
}

/* Every other field (kept out of line: cdrt_get_f64 and cdrt_get_i64 stay small) */
__attribute__((noinline)) static int get_f64_slow(cdrt_scan *c, int col, double *out) {
  cdrt_str t = scan_text(c, col);
  if (!t.p) return *out = NAN, 1;
  if (c->s->na_numeric && scan_is_na(c->s, t)) return *out = NAN, 1;
  int r = cdrt_parse_f64(t.p, (size_t)t.n, out);
  if (r == 0) return 1;
  if (scan_is_na(c->s, t)) return *out = NAN, 1;
  return scan_fail(c, col, t, NULL);
}

__attribute__((noinline)) static int get_i64_slow(cdrt_scan *c, int col, int64_t *out) {
  cdrt_str t = scan_text(c, col);
  if (!t.p) return scan_fail(c, col, t, "a missing value (a short row)");
  if (c->s->na_numeric && scan_is_na(c->s, t))
    return scan_fail(c, col, (cdrt_str){NULL, 0}, "a missing value");
  int r = cdrt_parse_i64(t.p, (size_t)t.n, out);
  if (r == 0) return 1;
  if (scan_is_na(c->s, t)) return scan_fail(c, col, (cdrt_str){NULL, 0}, "a missing value");
  return scan_fail(c, col, t, NULL);
}

int cdrt_csv_bool(const char *p, int64_t n) {
  if (n == 4 && strncasecmp(p, "true", 4) == 0) return 1;
  if (n == 5 && strncasecmp(p, "false", 5) == 0) return 0;
  return -1;
}

int cdrt_get_bool(cdrt_scan *c, int col, uint8_t *out) {
  cdrt_str t = scan_text(c, col);
  if (!t.p) return scan_fail(c, col, t, "a missing value (a short row)");
  int b = cdrt_csv_bool(t.p, t.n);
  if (b >= 0) return *out = (uint8_t)b, 1;
  if (scan_is_na(c->s, t)) return scan_fail(c, col, (cdrt_str){NULL, 0}, "a missing value");
  return scan_fail(c, col, t, NULL);
}

int cdrt_get_datetime(cdrt_scan *c, int col, int64_t *out) {
  cdrt_str t = scan_text(c, col);
  if (!t.p || scan_is_na(c->s, t)) return *out = CDRT_NAT, 1;
  if (cdrt_parse_datetime(t.p, (size_t)t.n, out) == 0) return 1;
  return scan_fail(c, col, t, NULL);
}

int cdrt_get_str(cdrt_scan *c, int col, cdrt_str *out) {
  cdrt_str t = scan_text(c, col);
  *out = !t.p || scan_is_na(c->s, t) ? (cdrt_str){NULL, 0} : t;
  return 1;
}

/* ---- byte arenas: strings copied out of the file (kept until the program ends) ---- */
void *cdrt_bytes_alloc(cdrt_bytes *a, size_t n) {
  if (!a->chunk || a->used + n > a->cap) {
    size_t cap = n > 65536 ? n : 65536;
    cdrt_state_charge((int64_t)(sizeof(cdrt_bytes_chunk) + cap), a->what);
    a->bytes += (int64_t)(sizeof(cdrt_bytes_chunk) + cap);
    cdrt_bytes_chunk *k = cdrt_malloc(sizeof *k + cap);
    k->next = a->chunk;
    a->chunk = k, a->used = 0, a->cap = cap;
  }
  void *p = (char *)(a->chunk + 1) + a->used;
  a->used += n;
  return p;
}

/* ---- string methods (pandas' str accessor); a missing value stays missing ---- */
static bool str_find(cdrt_str s, cdrt_str pat) {
  if (pat.n == 0) return true;
  for (int64_t i = 0; i + pat.n <= s.n; i++)
    if (s.p[i] == pat.p[0] && memcmp(s.p + i, pat.p, (size_t)pat.n) == 0) return true;
  return false;
}
uint8_t cdrt_str_contains(cdrt_str s, cdrt_str pat) {
  return s.p && str_find(s, pat);
}
uint8_t cdrt_str_startswith(cdrt_str s, cdrt_str pat) {
  return s.p && s.n >= pat.n && memcmp(s.p, pat.p, (size_t)pat.n) == 0;
}
uint8_t cdrt_str_endswith(cdrt_str s, cdrt_str pat) {
  return s.p && s.n >= pat.n && memcmp(s.p + s.n - pat.n, pat.p, (size_t)pat.n) == 0;
}
double cdrt_str_len(cdrt_str s) { /* code points; a missing value: NaN (pandas: float64) */
  if (!s.p) return NAN;
  int64_t n = 0;
  for (int64_t i = 0; i < s.n; i++) n += ((unsigned char)s.p[i] & 0xc0) != 0x80;
  return (double)n;
}
/* Where the cursor is, for a message: "file.csv:LINE", "dd.from_arrays row N" (from 0, the
 * index), or "db.from_sequence element N" (from 1) */
static const char *scan_at(const cdrt_scan *c, char *buf, size_t n) {
  if (c->s->elements)
    snprintf(buf, n, "%s element %lld", c->path, (long long)c->line + 1);
  else
    snprintf(buf, n, c->s->arrays ? "%s row %lld" : "%s:%lld", c->path, (long long)c->line);
  return buf;
}
/* The run's first error, at the cursor: "file.csv:LINE: " and the message */
void cdrt_scan_fail(cdrt_scan *c, const char *fmt, ...) {
  if (c->err->msg[0]) return;
  char at[300], m[700];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(m, sizeof m, fmt, ap);
  va_end(ap);
  snprintf(c->err->msg, sizeof c->err->msg, "%s: %s", scan_at(c, at, sizeof at), m);
}
void cdrt_scan_unsampled_missing(cdrt_scan *c, const char *value, const char *what) {
  char at[300];
  if (!c->err->msg[0])
    snprintf(c->err->msg, sizeof c->err->msg,
             "%s: a missing %s where the sample had none: %s was compiled as int64 (pass "
             "sample = \"all\")",
             scan_at(c, at, sizeof at), value, what);
}
int64_t cdrt_str_len_i64(cdrt_str s, cdrt_scan *c) { /* a missing value: an error */
  if (s.p) return (int64_t)cdrt_str_len(s);
  cdrt_scan_unsampled_missing(c, "string", "str.len");
  return 0;
}
/* astype(int64) of a float: NaN, infinities and values past int64's range cannot be
 * converted (pandas raises for the first two) */
int64_t cdrt_f64_to_i64(double x, cdrt_scan *c, const char *what) {
  if (x >= -0x1p63 && x < 0x1p63) return (int64_t)x;
  char at[300], v[40];
  cdrt_pyrepr(x, v);
  if (!c->err->msg[0])
    snprintf(c->err->msg, sizeof c->err->msg, "%s: cannot convert %s to int64 (%s): %s",
             scan_at(c, at, sizeof at), v, what ? what : "astype",
             isfinite(x) ? "it is out of int64's range (-2^63 .. 2^63 - 1)"
                         : "NaN and infinities have no integer");
  return 0;
}

void cdrt_bytes_free(cdrt_bytes *a) {
  for (cdrt_bytes_chunk *k = a->chunk, *next; k; k = next) next = k->next, free(k);
  cdrt_state_refund(a->bytes);
  const char *what = a->what;
  memset(a, 0, sizeof *a);
  a->what = what;
}

int cdrt_str_cmp(cdrt_str a, cdrt_str b) {
  int64_t n = a.n < b.n ? a.n : b.n;
  int r = n > 0 ? memcmp(a.p, b.p, (size_t)n) : 0;
  return r ? r : (a.n > b.n) - (a.n < b.n);
}
#endif
