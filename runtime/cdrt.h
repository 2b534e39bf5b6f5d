/* cdrt: the cdask runtime. Small C11, amalgamated into every program cdaskc emits
 * (cdrt.h first, then the internal headers such as cdrt_sleef.h, then every runtime .c file,
 * their '#include' lines of these headers removed: tools/embed.c), and also built as a static
 * library for the unit tests and the compiler itself (npy headers).
 *
 * This header is the map of the runtime: every exported function is listed under a
 * banner naming the file that defines it. Everything exported is prefixed cdrt_; as the
 * amalgamation is one translation unit, each file's statics, types and macros carry that
 * file's own prefix (fft_, prog_, npy_, fmt_, rnd_, vm_, ...). */
#ifndef CDRT_H
#define CDRT_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cdask_kernel.h"

#define CDRT_VERSION "0.1.0"
#define CDRT_MAXDIM 8
/* map_overlap: what lies beyond an array's edge (Dask's boundary=) */
typedef enum {
  CDRT_BOUNDARY_NONE,     /* nothing: blocks at the edge get no halo there */
  CDRT_BOUNDARY_REFLECT,  /* the edge mirrored, edge element included (NumPy's 'symmetric') */
  CDRT_BOUNDARY_PERIODIC, /* the opposite edge */
  CDRT_BOUNDARY_NEAREST,  /* the edge element repeated */
  CDRT_BOUNDARY_CONSTANT, /* a number */
} cdrt_boundary;
/* Length of the strips (innermost-axis runs) that fused loops evaluate at a time. */
#define CDRT_STRIP 512

/* Element types, in NumPy's promotion order. */
typedef enum {
  CDRT_BOOL,
  CDRT_INT32,
  CDRT_INT64,
  CDRT_FLOAT32,
  CDRT_FLOAT64,
  CDRT_COMPLEX64,  /* (float re, float im), NumPy's complex64 */
  CDRT_COMPLEX128, /* (double re, double im), NumPy's complex128 */
  CDRT_NDTYPES
} cdrt_dtype;

/* Exit codes of generated programs. */
enum {
  CDRT_EXIT_USAGE = 2,
  CDRT_EXIT_INPUT = 3,
  CDRT_EXIT_OUTPUT = 4,
  CDRT_EXIT_MEMORY = 5,
  CDRT_EXIT_KERNEL = 6, /* a user's kernel returned nonzero (halo.c) */
};

/* dtype.c */
const char *cdrt_dtype_name(cdrt_dtype t);  /* "float64", ... */
const char *cdrt_dtype_descr(cdrt_dtype t); /* npy descr: "<f8", "|b1", ... */
size_t cdrt_dtype_size(cdrt_dtype t);       /* bytes per element */
int cdrt_dtype_from_name(const char *name); /* -1 if unknown */

/* outfile.c: every file cdaskc and the programs write. A regular or missing file (after
 * following symlinks) is written to ".NAME.tmp.PID" beside it, then renamed over it; a
 * character device, or a FIFO some process reads, is written in place; a directory, block
 * device or socket is refused. Temporary names are removed on exit and on SIGINT, SIGTERM
 * and SIGHUP (once cdrt_catch_signals ran); those of dead processes by the next open of the
 * same name. Errors: -1 and "cannot write PATH: why" in err. */
#define CDRT_NAME_MAX 255 /* Linux's NAME_MAX: bytes in one file name */
#define CDRT_TMP_EXTRA 16 /* bytes ".NAME.tmp.PID" adds to NAME (PIDs of up to 10 digits) */
typedef struct {
  const char *path; /* as given, for messages (not copied) */
  char *target;     /* the file renamed over (symlinks followed), or NULL when in place */
  char *tmp;        /* the temporary name, or NULL when in place */
  int fd;           /* open while writing; -1 between open and the first write of a tmp */
  int in_place;     /* a character device or FIFO, written directly */
  int64_t written;  /* bytes written so far, */
  int64_t flushed;  /* of which the first are on their way to the disk */
  void *cleanup;    /* its entry in the cleanup list */
} cdrt_outfile;
/* Opens path for writing (creating the temporary file): call it before any work, so a
 * path that cannot be written fails early. */
int cdrt_outfile_open(cdrt_outfile *f, const char *path, char *err, size_t errlen);
int cdrt_outfile_write(cdrt_outfile *f, const void *data, size_t n, char *err, size_t errlen);
/* Closes (fsync first if sync) and renames the temporary file over the target. On failure
 * nothing is left. Either way f is finished. */
int cdrt_outfile_commit(cdrt_outfile *f, int sync, char *err, size_t errlen);
void cdrt_outfile_abort(cdrt_outfile *f); /* removes the temporary file; f is finished */
/* open, write, commit */
int cdrt_write_file(const char *path, const void *data, size_t n, int sync, char *err,
                    size_t errlen);
/* Why name (a to_npy path, relative to the output directory) cannot name an output: -1 and
 * the reason in why (absolute, a ".." component, a name too long), or 0. */
int cdrt_output_name_problem(const char *name, char *why, size_t n);
/* Formats a message into err (when err is not NULL) and returns -1: the runtime's
 * "return -1 with a message in err" convention in one line. */
int cdrt_fail_msg(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* SIGINT, SIGTERM and SIGHUP remove the temporary files, then kill the process as the
 * signal would have (ignored signals stay ignored). */
void cdrt_catch_signals(void);
/* Another file to remove on exit or a signal (a scratch file): its entry, NULL when out of
 * memory; dropped once the file is gone or kept. */
void *cdrt_cleanup_add(const char *path);
void cdrt_cleanup_drop(void *entry);
/* Removes every registered temporary file now (before an exit that skips atexit:
 * MPI_Abort). */
void cdrt_cleanup_now(void);
/* A process group (0: none) the signal handler stops and waits for before cleaning. */
void cdrt_cleanup_child(long pgid);

/* report.c: the HTML report. cdrt_report_write writes the page (templates/report.html,
 * embedded as cdrt_report_template) to path through cdrt_outfile, its data placeholder
 * replaced by what write_data writes (a JSON value; "</" written as "<\/", "<!--" as
 * "\u003c!--", so that no string in it can end the page's script). 0, or -1 with a message
 * in err and nothing written. cdrt_report_fill does the replacing on any page into f. */
extern const char cdrt_report_template[];
int cdrt_report_write(const char *path, void (*write_data)(FILE *out, void *arg), void *arg,
                      char *err, size_t errlen);
int cdrt_report_fill(cdrt_outfile *f, const char *page, const char *data, size_t n, char *err,
                     size_t errlen);

/* jobscript.c: the SLURM and PBS Pro job scripts (templates/job.sbatch and job.pbs) that
 * run a program, for cdaskc --job and the program's --job-script: the same options, the
 * same checks, the same text (docs/clusters.md). */
extern const char cdrt_job_sbatch_template[], cdrt_job_pbs_template[];
enum { CDRT_JOB_NONE, CDRT_JOB_SLURM, CDRT_JOB_PBS, CDRT_JOB_MAX_LIST = 16 };
typedef struct {
  int kind; /* CDRT_JOB_*: --job (cdaskc) or --job-script (the program) */
  int nodes, ntasks_per_node, cpus_per_task;
  const char *time, *mem; /* HH:MM:SS; a size with a unit, or NULL */
  const char *account, *partition, *project, *job_name, *mail_user, *mail_type; /* or NULL */
  int build; /* --job-build: the script builds the program first */
  int nextra, nmodules;
  const char *extra[CDRT_JOB_MAX_LIST], *modules[CDRT_JOB_MAX_LIST]; /* --job-extra, --module */
  const char *given; /* the first job option given, for "needs --job" */
} cdrt_job;
void cdrt_job_init(cdrt_job *j); /* 1 node, 1 task, 1 CPU, 00:30:00 */
/* --job / --job-script's value, slurm or pbs: 0, or -1 with "OPTION needs ..." in err */
int cdrt_job_set_kind(cdrt_job *j, const char *option, const char *v, char *err, size_t errlen);
/* Reads argv[*i] (and its value) if it is a job option: 1; 0 if it is not one; -1 with a
 * message naming the option in err if its value is bad. */
int cdrt_job_option(cdrt_job *j, int argc, char **argv, int *i, char *err, size_t errlen);
/* The script (malloc'd) that runs ./program, for j->kind; NULL with the reason in err. */
char *cdrt_job_script(const cdrt_job *j, const char *program, const char *script, char *err,
                      size_t errlen);

/* npy.c: the .npy format, version 1.0 to 3.0, little-endian only. */
typedef struct {
  cdrt_dtype dtype;
  int ndim;
  int64_t shape[CDRT_MAXDIM];
  int fortran_order;   /* 1 if the data is stored column-major */
  int64_t data_offset; /* bytes from the start of the file to the first element */
  int64_t nbytes;      /* bytes of element data the header promises */
} cdrt_npy_header;

/* Reads and validates the header of the .npy file open on fd (from offset 0), and checks
 * that the file holds all the data the header promises. Returns 0, or -1 with a message
 * (without the file name) in err. */
int cdrt_npy_read_header(int fd, cdrt_npy_header *h, char *err, size_t errlen);
/* Opens an input .npy file without ever blocking: it must be a regular file (a FIFO, a
 * device or a directory is refused, not waited on). Returns the descriptor; or -1, err
 * saying why it cannot be opened (strerror), or -2, err saying what it is ("a FIFO"). */
int cdrt_npy_open(const char *path, char *err, size_t errlen);
/* The one rule for the shapes the reader and the writer accept (NumPy's): no negative
 * dimension, and the non-zero dimensions times the item size fit in int64, so (2^63-1, 0)
 * float64 is refused as np.empty refuses it. Returns 0 and the data's bytes, or -1. */
int cdrt_npy_shape_bytes(cdrt_dtype t, int ndim, const int64_t *shape, int64_t *nbytes);
/* Writes a C-order .npy file atomically (outfile.c: a temporary name beside it, fsynced,
 * renamed over path; a character device or FIFO in place). Returns 0, or -1 with a message
 * in err and no file left behind. */
int cdrt_npy_write(const char *path, cdrt_dtype t, int ndim, const int64_t *shape, const void *data,
                   char *err, size_t errlen);
/* The header of a C-order .npy file of that array (as numpy.save writes it) into buf: its
 * length (magic included; the data starts there, at a multiple of 64), or 0 if buf is too
 * small. */
size_t cdrt_npy_format_header(unsigned char *buf, size_t cap, cdrt_dtype t, int ndim,
                              const int64_t *shape);
/* The same into f, opened before the run: validates, writes, then commits (or aborts) f. */
int cdrt_npy_write_to(cdrt_outfile *f, cdrt_dtype t, int ndim, const int64_t *shape,
                      const void *data, char *err, size_t errlen);

/* parse_number.c (with CDRT_WITH_CSV): a CSV field's text [s, s + n) as a number, spaces
 * and tabs around it ignored. 0 and *out; -1 when the text is not one; -2 when it is out of
 * the type's range. float64: pandas' syntax (digits with an optional point and exponent;
 * inf or infinity in any case; no nan), correctly rounded; a decimal past the largest
 * double is out of range. int64: an optional sign and digits. */
#ifdef CDRT_WITH_CSV
int cdrt_parse_f64(const char *s, size_t n, double *out);
int cdrt_parse_i64(const char *s, size_t n, int64_t *out);

/* csv.c (with CDRT_WITH_CSV): a CSV file's bytes cut into blocks of whole rows, and rows
 * into fields (pandas' dialect: sep, a quote char doubled inside quotes, "\n" or "\r\n"). */
typedef struct {
  int64_t begin, end; /* bytes [begin, end): whole rows */
  int64_t line;       /* the file's line number (from 1) of its first row */
} cdrt_csv_block;
typedef struct {
  cdrt_csv_block *block;
  int64_t n;
  int64_t piece;         /* the pieces the first pass read: bytes [k piece, (k + 1) piece) */
  unsigned char *ascii;  /* per piece: all its bytes are ASCII (so valid UTF-8) */
  unsigned char *quoted; /* per piece: it has a quote character */
} cdrt_csv_blocks;
/* Bytes [begin, end) lie in pieces that are all ASCII: no need to validate them. */
int cdrt_csv_ascii(const cdrt_csv_blocks *b, int64_t begin, int64_t end);
/* ... in pieces without a quote character: every field is plain, every row one line. */
int cdrt_csv_plain(const cdrt_csv_blocks *b, int64_t begin, int64_t end);
/* The blocks of data[0, n): about one per `piece` bytes, each starting at a row's start
 * (found in parallel, quoted newlines respected). 0; or -1 and err ("line L: a quoted field
 * is never closed ...", or out of memory) with nothing allocated. Free with
 * cdrt_csv_blocks_free. */
int cdrt_csv_split(const char *data, int64_t n, int64_t piece, char sep, char quote,
                   cdrt_csv_blocks *out, char *err, size_t errlen);
/* The same of the n bytes of file fd from offset base, read with pread a chunk at a time
 * (the file is never held whole); a read error is an error ("cannot read the file ..."). */
int cdrt_csv_split_fd(int fd, int64_t base, int64_t n, int64_t piece, char sep, char quote,
                      cdrt_csv_blocks *out, char *err, size_t errlen);
/* The blocks guessed for a file whose first bytes have no quote character: one per piece,
 * from the first '\n' in it (an empty one for a piece without any), found by reading a few
 * bytes at each piece's start instead of the whole file. Right unless a quoted field holds
 * that newline, which the scan finds (cdrt_csv_tail_state) and cdrt_csv_recut_fd mends.
 * Lines are left 0 (unknown). 0, or -1 and err. */
int cdrt_csv_guess_fd(int fd, int64_t base, int64_t n, int64_t piece, cdrt_csv_blocks *out,
                      char *err, size_t errlen);
/* Blocks k0.. of a guessed file cut again from block k0's start (a row's start, on the
 * body's line `line`) by the two passes: their bounds, ascii and quoted (still one block
 * per piece). 0, or -1 and err ("line L: a quoted field is never closed ..."). */
int cdrt_csv_recut_fd(int fd, int64_t base, int64_t n, char sep, char quote, int64_t k0,
                      int64_t line, cdrt_csv_blocks *b, char *err, size_t errlen);
/* Where bytes d[from, to), read from a row's start, leave the reader: 0 at a row's or
 * field's start, 1 in a quoted field, 2 in an unquoted one. */
int cdrt_csv_tail_state(const char *d, int64_t from, int64_t to, char sep, char quote);
void cdrt_csv_blocks_free(cdrt_csv_blocks *b);
enum {
  CDRT_CSV_PLAIN,  /* the field's text is data[begin, end) */
  CDRT_CSV_QUOTED, /* the text between its quotes is data[begin, end) */
  CDRT_CSV_COPY,   /* doubled quotes or text after the closing quote: cdrt_csv_unquote */
  CDRT_CSV_MISSING /* past a short row's end: missing, as pandas pads it (scan.c only) */
};
typedef struct {
  int64_t begin, end;
  int kind;
} cdrt_csv_field;
/* The row starting at data[at] (before end, a block's end): its fields, the first cap of
 * them in fields[], their number in *nfields, the newlines it spans in *newlines (its own
 * included). Returns where the next row starts. */
int64_t cdrt_csv_row(const char *data, int64_t at, int64_t end, char sep, char quote,
                     cdrt_csv_field *fields, int cap, int *nfields, int64_t *newlines);
/* A CDRT_CSV_COPY field's text into out (at most end - begin bytes): its length. */
size_t cdrt_csv_unquote(const char *data, const cdrt_csv_field *f, char quote, char *out);
/* read_text's options in cdrt_csv_source (text.c) */
enum { CDRT_GZ_NONE, CDRT_GZ_INFER /* a path ending in .gz */, CDRT_GZ_ALL };
enum { CDRT_ERRORS_STRICT, CDRT_ERRORS_REPLACE, CDRT_ERRORS_IGNORE, CDRT_ERRORS_BACKSLASH };
enum {
  CDRT_NL_UNIVERSAL, /* Python's newline=None: \n, \r\n, \r end a line, written \n */
  CDRT_NL_ANY,       /* newline="": the same ends, kept as they are */
  CDRT_NL_EXACT      /* only delim ends a line, kept */
};
/* The longest element (line) read_text makes: value counts keep a string's length in 32
 * bits (cdrt_vc_entry.n). A test may build the runtime with a smaller one. */
#ifndef CDRT_TEXT_MAX_LINE
#define CDRT_TEXT_MAX_LINE INT32_MAX
#endif
/* utf8.c: the offset of the first byte of the first invalid UTF-8 sequence in text[0, n)
 * (overlong, surrogate, past U+10FFFF or cut short), or -1 if it is all valid. */
int64_t cdrt_utf8_invalid(const char *text, int64_t n);
/* The same read one way: 0 byte by byte, 1 16 bytes at a time (SSSE3), 2 32 (AVX2); -2
 * when this CPU or build has no such way (the tests compare every way) */
int64_t cdrt_utf8_invalid_isa(const char *text, int64_t n, int isa);
/* text[0, n) decoded as Python's bytes.decode('utf-8', errors) with errors (CDRT_ERRORS_*)
 * "replace" (each maximal invalid subpart becomes U+FFFD), "ignore" (dropped) or
 * "backslashreplace" (each invalid byte becomes \xNN), re-encoded into out (room for 4 n
 * bytes): its length */
int64_t cdrt_utf8_clean(const char *text, int64_t n, int errors, char *out);

/* ---- dataframes (with CDRT_WITH_CSV) ---- */
/* A string value: bytes [p, p + n); p NULL is a missing value (pandas' NaN). */
typedef struct {
  const char *p;
  int64_t n;
} cdrt_str;
int cdrt_str_cmp(cdrt_str a, cdrt_str b); /* byte order (UTF-8: code point order) */
/* a == b, byte for byte: the lengths first, and a memcmp whose length is a literal's is a
 * few loads once inlined (a filter df.c:eq("x") runs it on every row) */
static inline __attribute__((unused)) int cdrt_str_eq(cdrt_str a, cdrt_str b) {
  return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, (size_t)a.n) == 0);
}
/* Column types, in csv_sniff's order (CsvType). */
enum {
  CDRT_COL_INT64,
  CDRT_COL_FLOAT64,
  CDRT_COL_BOOL,
  CDRT_COL_STR,
  CDRT_COL_DATETIME,
  CDRT_COL_TIMEDELTA /* made by arithmetic on datetimes, never read from a file */
};
/* "int64", "float64", "bool", "str", "datetime64[ns]", "timedelta64[ns]" */
const char *cdrt_coltype_name(int t);
/* pandas' read_csv bools: "true" or "false" in any case: 1, 0, else -1 */
int cdrt_csv_bool(const char *p, int64_t n);
/* The newline that ends the CSV row at p (before p + n), outside quotes; NULL if none */
const char *cdrt_csv_row_end(const char *p, int64_t n, char quote);
/* int64 nanoseconds with NaT (CDRT_NAT) for a missing value */
static inline int cdrt_col_nat(int t) {
  return t == CDRT_COL_DATETIME || t == CDRT_COL_TIMEDELTA;
}
/* The bytes of one cell of a column of type t */
static inline size_t cdrt_col_bytes(int t) {
  return t == CDRT_COL_STR ? sizeof(cdrt_str) : t == CDRT_COL_BOOL ? 1 : 8;
}
/* datetime.c: datetime64[ns] values, ns since 1970-01-01 in an int64; NaT is CDRT_NAT */
#define CDRT_NAT INT64_MIN
enum {
  CDRT_DT_YEAR,
  CDRT_DT_MONTH,
  CDRT_DT_DAY,
  CDRT_DT_HOUR,
  CDRT_DT_MINUTE,
  CDRT_DT_SECOND,
  CDRT_DT_DAYOFWEEK, /* Monday 0 */
  CDRT_DT_DAYOFYEAR,
  /* a timedelta's components (runtime/timedelta.c): days rounded down, then the day's
   * seconds, microseconds and nanoseconds; and its total_seconds() */
  CDRT_TD_DAYS = 16,
  CDRT_TD_SECONDS,
  CDRT_TD_MICROSECONDS,
  CDRT_TD_NANOSECONDS,
  CDRT_TD_TOTAL_SECONDS
};
/* ISO 8601 text (a date, then 'T' or ' ' and the time to ns): 0 and *out, or -1 */
int cdrt_parse_datetime(const char *s, size_t n, int64_t *out);
/* pandas' fraction digits for v at rows[0, n) (rows NULL: v[0, n)): -1 dates alone (every
 * value midnight), else 0, 3, 6 or 9 */
int cdrt_datetime_digits(const int64_t *v, const int64_t *rows, int64_t n);
void cdrt_format_datetime(int64_t x, int digits, char *out); /* out: 32 bytes; NaT "NaT" */
void cdrt_timestamp_str(int64_t x, char *out);               /* str(pd.Timestamp(x)) */
double cdrt_dt_field(int64_t x, int field);                  /* s.dt.year ...: NaT NaN */
/* timedelta.c: -1 when every value at rows[0, n) (rows NULL: v[0, n)) is whole days
 * (pandas writes "N days"), else 0 */
int cdrt_timedelta_digits(const int64_t *v, const int64_t *rows, int64_t n);
void cdrt_format_timedelta(int64_t x, int digits, char *out); /* out: 48 bytes; NaT "NaT" */
double cdrt_td_field(int64_t x, int field);                   /* CDRT_TD_*: NaT NaN */
/* pandas' Timedelta(str) ("1h30min", "-1 days +23:59:59"): 0 and *out, or -1 */
int cdrt_parse_timedelta(const char *s, size_t n, int64_t *out);
int64_t cdrt_timedelta_unit(const char *u, size_t n); /* "h", "days", "ms"...: its ns, or 0 */
/* Sums and means of timedeltas (and means of datetimes) from their exact sum in 128 bits
 * (hi, lo: two's complement): the sum, or an error naming what when it is past int64 (or
 * NaT); the mean truncated toward zero, as pandas casts its float mean (NaT when n is 0);
 * the midpoint of a and b, truncated toward zero, as pandas' median of two */
int64_t cdrt_nat_sum(uint64_t lo, int64_t hi, const char *what);
int64_t cdrt_nat_mean(uint64_t lo, int64_t hi, int64_t n);
int64_t cdrt_nat_mid(int64_t a, int64_t b);
/* pandas' float64 nanoseconds cast back to a Timedelta (Timestamp): truncated toward zero,
 * NaN NaT, past int64 an error naming what */
int64_t cdrt_nat_from_f64(double x, const char *what);
/* the int64 nanoseconds x of type t (datetime or timedelta) as pandas writes it: digits from
 * cdrt_nat_digits over the values written together; out: 48 bytes */
int cdrt_nat_digits(int t, const int64_t *v, const int64_t *rows, int64_t n);
void cdrt_format_nat(int t, int64_t x, int digits, char *out);

/* Byte arenas: strings copied out of a file, kept until the program ends (a block's, until
 * the block's end when no result keeps strings of its file). Each chunk is charged to
 * --memory-limit (what: for the message) and refunded by cdrt_bytes_free. */
typedef struct cdrt_bytes_chunk {
  struct cdrt_bytes_chunk *next;
} cdrt_bytes_chunk;
typedef struct {
  cdrt_bytes_chunk *chunk;
  size_t used, cap;
  int64_t bytes; /* its chunks' */
  const char *what;
} cdrt_bytes;
void *cdrt_bytes_alloc(cdrt_bytes *a, size_t n);
void cdrt_bytes_free(cdrt_bytes *a);
/* pandas' str accessor; a missing string is false (len: NaN, lower: missing) */
uint8_t cdrt_str_contains(cdrt_str s, cdrt_str pat);
uint8_t cdrt_str_startswith(cdrt_str s, cdrt_str pat);
uint8_t cdrt_str_endswith(cdrt_str s, cdrt_str pat);
double cdrt_str_len(cdrt_str s);
/* strops.c: Python's s.replace(pat, repl, count) (count < 0: every one; the result in
 * arena unless nothing is replaced) and s[start:stop] by code points (CDRT_SLICE_NONE: an
 * open end; a view into s) */
cdrt_str cdrt_str_replace(cdrt_str s, cdrt_str pat, cdrt_str repl, int64_t count,
                          cdrt_bytes *arena);
/* Python's str.strip(chars), lstrip (right 0), rstrip (left 0): the code points of chars
 * removed from the ends (a view into s) */
cdrt_str cdrt_str_strip_chars(cdrt_str s, cdrt_str chars, int left, int right);
/* Python's str.zfill(width) (in code points; a leading + or - stays first) */
cdrt_str cdrt_str_zfill(cdrt_str s, int64_t width, cdrt_bytes *arena);
/* pandas' str.get(i): code point i (negative: from the end), missing when there is none */
cdrt_str cdrt_str_get(cdrt_str s, int64_t i);
/* Python's str.find (right: rfind) of sub, in code points, -1 when absent (missing: NaN;
 * cdrt_str_find_i64: an error, as str.len) */
double cdrt_str_find(cdrt_str s, cdrt_str sub, int right);
/* Python's rjust (side 0), ljust (side 1) and center (side 2) to width code points with
 * the one code point fill */
cdrt_str cdrt_str_pad(cdrt_str s, int64_t width, int side, cdrt_str fill, cdrt_bytes *arena);
/* a's bytes then b's, in arena (pandas' + of strings): missing if either is */
cdrt_str cdrt_str_concat(cdrt_str a, cdrt_str b, cdrt_bytes *arena);
#define CDRT_SLICE_NONE INT64_MIN
cdrt_str cdrt_str_slice(cdrt_str s, int64_t start, int64_t stop);
/* ... and s[start:stop:step] (step not 0 or 1; Python's slice.indices): in arena */
cdrt_str cdrt_str_slice_step(cdrt_str s, int64_t start, int64_t stop, int64_t step,
                             cdrt_bytes *arena);
/* regex.c (CDRT_WITH_REGEX: PCRE2): Python's re.search (flags CDRT_RX_START: re.match,
 * CDRT_RX_FULL: re.fullmatch) and re.sub (count <= 0: every match) of the UTF-8 pattern
 * pat[0, len) over s; a missing string is false, and stays missing */
enum { CDRT_RX_CASELESS = 1, CDRT_RX_START = 2, CDRT_RX_FULL = 4, CDRT_RX_LITERAL = 8 };
typedef struct {
  const char *lit; /* group < 0: these n bytes */
  int64_t n;
  int group; /* >= 0: the text of this group ("" where it took no part) */
} cdrt_rx_piece;
uint8_t cdrt_rx_search(cdrt_str s, const char *pat, int64_t len, int flags);
cdrt_str cdrt_rx_replace(cdrt_str s, const char *pat, int64_t len, int flags,
                         const cdrt_rx_piece *repl, int npieces, int64_t count, cdrt_bytes *arena);
/* str.count: the matches re.findall finds (missing: NaN; _i64: an error, as str.len) */
double cdrt_rx_count(cdrt_str s, const char *pat, int64_t len, int flags);
/* str.extract: group `group` of the first match in s (its bytes, inside s), missing where
 * nothing matches or the group took no part. A row's groups are extracted in turn: the match
 * of the last string searched is kept for the next group of the same one. */
cdrt_str cdrt_rx_extract(cdrt_str s, const char *pat, int64_t len, int flags, int group);
/* 1 if pat compiles, else 0 and PCRE2's message with its offset in msg */
int cdrt_rx_check(const char *pat, int64_t len, int flags, char *msg, size_t cap);
/* The number of the group named name (NULL: how many groups there are); -1: none */
int cdrt_rx_groups(const char *pat, int64_t len, int flags, const char *name);
/* The name of group `group` into name (cap bytes): 1, or 0 if it has none */
int cdrt_rx_group_name(const char *pat, int64_t len, int flags, int group, char *name, size_t cap);
/* strcase.c: Python's lower() (upper 0) or upper() (CDRT_WITH_UNICASE: libunistring) */
cdrt_str cdrt_str_case(cdrt_str s, int upper, cdrt_bytes *arena);
/* Python's str.isspace() of the UTF-8 character at p (end: the string's end): its bytes if
 * it is whitespace, else 0. ASCII \t \n \v \f \r, \x1c-\x1f and space; U+0085, U+00A0,
 * U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000. */
static inline __attribute__((unused)) int cdrt_space_len(const char *p, const char *end) {
  unsigned char c = (unsigned char)p[0];
  if (c < 0x80) return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
  if (end - p >= 2 && c == 0xc2) return p[1] == '\x85' || p[1] == '\xa0' ? 2 : 0;
  if (end - p < 3 || (c != 0xe1 && c != 0xe2 && c != 0xe3)) return 0;
  unsigned u = (unsigned)c << 16 | (unsigned)(unsigned char)p[1] << 8 | (unsigned char)p[2];
  return u == 0xe19a80 || (u >= 0xe28080 && u <= 0xe2808a) || u == 0xe280a8 || u == 0xe280a9 ||
                 u == 0xe280af || u == 0xe2819f || u == 0xe38080
             ? 3
             : 0;
}
/* The length of the whitespace character that ends [p, end) (UTF-8), or 0 */
static inline __attribute__((unused)) int cdrt_space_len_back(const char *p, const char *end) {
  for (int k = 1; k <= 3 && end - k >= p; k++)
    if (cdrt_space_len(end - k, end) == k) return k;
  return 0;
}
/* Python's s.strip() (no argument: whitespace; a missing string stays missing) */
static inline __attribute__((unused)) cdrt_str cdrt_str_strip(cdrt_str s, int left, int right) {
  if (!s.p) return s;
  const char *p = s.p, *end = s.p + s.n;
  for (int k; left && p < end && (k = cdrt_space_len(p, end)) > 0;) p += k;
  for (int k; right && end > p && (k = cdrt_space_len_back(p, end)) > 0;) end -= k;
  return (cdrt_str){p, end - p};
}
/* split.c: Python's s.split() (sep.p NULL: runs of whitespace, none at either end) or
 * s.split(sep) (every sep, empty pieces kept), one piece at a time: for (cdrt_split it =
 * cdrt_split_init(s, sep); cdrt_split_next(&it, &piece);) */
typedef struct {
  const char *p, *end;
  cdrt_str sep;
  int done;
  const char *base; /* whitespace: the 64-byte window being read, */
  uint64_t ws;      /* its bytes that are whitespace or past the end, */
  uint64_t carry;   /* and the next window's first bytes that end a space begun in it */
} cdrt_split;
cdrt_split cdrt_split_init(cdrt_str s, cdrt_str sep);
void cdrt_split_window(cdrt_split *it);                           /* the window at it->base */
int cdrt_split_sep_next(cdrt_split *it, cdrt_str *piece);         /* s.split(sep) */
cdrt_str cdrt_str_split_get(cdrt_str s, cdrt_str sep, int64_t i); /* s.split(sep)[i] */
double cdrt_str_split_len(cdrt_str s, cdrt_str sep);              /* len(s.split(sep)) */
/* Inline, so that a word costs no call: the next run of clear bits (words span windows) */
static inline __attribute__((unused)) int cdrt_split_next(cdrt_split *it, cdrt_str *piece) {
  if (it->done) return 0;
  if (it->sep.p) return cdrt_split_sep_next(it, piece);
  uint64_t off = (uint64_t)(it->p - it->base), nw, sp;
  while (off >= 64 || !(nw = ~it->ws & (~UINT64_C(0) << off))) { /* the word's first byte */
    if (it->base + 64 >= it->end) return it->done = 1, 0;
    it->base += 64, off = 0;
    cdrt_split_window(it);
  }
  const char *w = it->base + __builtin_ctzll(nw);
  off = (uint64_t)(w - it->base);
  while (!(sp = it->ws & (~UINT64_C(0) << off))) { /* its end (bits past the end are set) */
    if (it->base + 64 >= it->end) {
      it->p = it->end;
      *piece = (cdrt_str){w, it->end - w};
      return 1;
    }
    it->base += 64, off = 0;
    cdrt_split_window(it);
  }
  it->p = it->base + __builtin_ctzll(sp);
  *piece = (cdrt_str){w, it->p - w};
  return 1;
}

/* xsum.c: an exact sum of doubles, rounded once (the same bits for any split). */
#define CDRT_XSUM_LIMBS 70
typedef struct {
  int64_t limb[CDRT_XSUM_LIMBS];
  int64_t adds;
  uint8_t nan, pinf, ninf;
} cdrt_xsum;
void cdrt_xsum_init(cdrt_xsum *s);
void cdrt_xsum_add_slow(cdrt_xsum *s, double x);
static inline void cdrt_xsum_add(cdrt_xsum *s, double x) {
  cdrt_xsum_add_slow(s, x);
}
void cdrt_xsum_merge(cdrt_xsum *s, const cdrt_xsum *t);
double cdrt_xsum_round(const cdrt_xsum *s);
void cdrt_xsum_round2(const cdrt_xsum *s, double *hi, double *lo);
/* A group's exact sum in little room (xsum.c): four consecutive limbs of a cdrt_xsum, from
 * limb `base`, hold every value so far, each value's three limbs [k, k + 2] being
 * [base, base + 2] or [base + 1, base + 3]. The window moves when that keeps every digit;
 * when it cannot (values 2^32 or more apart, infinities, NaN, subnormals), the sum spills
 * into a whole cdrt_xsum in its table's pool. Exact either way, rounded once: the same bits
 * for any split of the values. A zeroed cdrt_gx is the empty sum. */
typedef struct {
  int64_t limb[4];
  int32_t spill; /* 0, or 1 + its cdrt_xsum's place in the pool (and base CDRT_GX_SPILLED) */
  int16_t base;
  uint16_t adds; /* additions since the limbs were carried (at 2^16 they are) */
} cdrt_gx;
typedef struct {
  cdrt_xsum *x;
  int64_t n, cap;
  const char *what; /* for the memory limit's message */
} cdrt_xpool;
#define CDRT_GX_SPILLED 0x3fff /* a spilled sum's base: no value's limb is next to it */
void cdrt_gx_add_slow(cdrt_gx *a, double x, cdrt_xpool *p);
void cdrt_gx_carry(cdrt_gx *a, cdrt_xpool *p);
static inline __attribute__((unused)) void cdrt_gx_add(cdrt_gx *a, double x, cdrt_xpool *p) {
  uint64_t bits;
  __builtin_memcpy(&bits, &x, 8);
  if (!(bits << 1)) return; /* a zero adds nothing */
  unsigned e = (unsigned)(bits >> 52) & 0x7ff;
  unsigned j = ((e - 1) >> 5) - (unsigned)a->base; /* e 0 (subnormal): huge */
  if (__builtin_expect(j > 1, 0)) { /* (also a spilled sum, infinities and NaN: xsum.c) */
    cdrt_gx_add_slow(a, x, p);
    return;
  }
  uint64_t m = (bits & ((UINT64_C(1) << 52) - 1)) | UINT64_C(1) << 52;
  unsigned sh = (e - 1) & 31;
  uint64_t lo = m << sh, hi = sh ? m >> (64 - sh) : 0;
  int64_t d0 = (int64_t)(lo & 0xffffffffu), d1 = (int64_t)(lo >> 32), d2 = (int64_t)hi;
  if (bits >> 63)
    a->limb[j] -= d0, a->limb[j + 1] -= d1, a->limb[j + 2] -= d2;
  else
    a->limb[j] += d0, a->limb[j + 1] += d1, a->limb[j + 2] += d2;
  if (__builtin_expect(!++a->adds, 0)) cdrt_gx_carry(a, p);
}
/* x's sum then y's (y's pool py may be x's own) */
void cdrt_gx_merge(cdrt_gx *x, cdrt_xpool *px, const cdrt_gx *y, const cdrt_xpool *py);
double cdrt_gx_round(const cdrt_gx *a, const cdrt_xpool *p);
void cdrt_gx_round2(const cdrt_gx *a, const cdrt_xpool *p, double *hi, double *lo);
/* a new spill of x's (an MPI rank's unpacked group): its place in p */
cdrt_xsum *cdrt_xpool_new(cdrt_xpool *p, cdrt_gx *x);
void cdrt_xpool_free(cdrt_xpool *p);
/* Double-double numbers (Dekker, Knuth): an unevaluated pair hi + lo, 106 bits (frame.c) */
typedef struct {
  double hi, lo;
} cdrt_dd;
cdrt_dd cdrt_dd_add(cdrt_dd x, cdrt_dd y);
/* pandas' var (ddof) and Pearson's r (NumPy's, clipped to [-1, 1]) from sums rounded to
 * 106 bits: the variance's n S2 - S1^2 and the co-moments in double-double */
double cdrt_var_from_sums(int64_t n, cdrt_dd s1, cdrt_dd s2, int ddof);
double cdrt_corr_from_sums(int64_t n, cdrt_dd sx, cdrt_dd sy, cdrt_dd sxx, cdrt_dd syy,
                           cdrt_dd sxy);

/* scan.c: a CSV source at run time. cdaskc fills the schema; the rest is the run's. */
typedef struct {
  int64_t line; /* a bad line skipped under on_bad_lines = "warn", */
  int nf;       /* and its fields */
} cdrt_scan_warning;
typedef struct {
  char msg[1024];          /* the block's first error ("" if none) */
  cdrt_scan_warning *warn; /* on_bad_lines = "warn": every line skipped, in order */
  int64_t nwarn, warn_cap;
  int64_t lines; /* the lines the block read (a guessed file's count from its first line) */
} cdrt_scan_error;
typedef struct {
  const char *path;  /* as the script named it */
  const char *where; /* "pipeline.lua:3": the read_csv */
  char sep, quote;
  const char *header_text; /* the header row as compiled, without its line end (NULL: none) */
  int ncols;
  const char *const *names;
  const unsigned char *types;    /* CDRT_COL_* per column */
  const unsigned char *declared; /* per column: the type came from dtype (NULL: none did) */
  const char *const *na;         /* the NA strings */
  int nna;
  int na_numeric;    /* some NA string reads as a number: test NA first */
  int64_t sampled;   /* the rows the types were found from */
  int sampled_whole; /* they were the whole file */
  int64_t blocksize;
  int bad_lines; /* on_bad_lines: 0 "error", 1 "warn", 2 "skip" */
  int keep;      /* some result keeps strings read from the file: blocks stay mapped */
  int arrays;    /* the rows of dd.from_arrays' arrays (no file): messages name a row */
  int elements;  /* and they are db.from_sequence's values: messages name an element (from 1) */
  int text;      /* db.read_text's lines (text.c): one str column, the line */
  int json;      /* and each a JSON object (jsonl.c): the columns are its fields */
  /* read_text's options (text.c): compression (CDRT_GZ_*), errors (CDRT_ERRORS_*), how
   * lines end (CDRT_NL_*: delim[0, delim_len) for CDRT_NL_EXACT), and whether a file that
   * ends with a linedelimiter has an empty last element (Dask without blocksize) */
  int compression, errors, newline;
  const char *delim;
  int delim_len, delim_tail;
  /* the run's */
  int fd;
  int64_t size, body, body_line; /* the file's size, where its rows start, and that line */
  cdrt_csv_blocks blocks;
  cdrt_scan_error *err;    /* per block */
  int64_t *rows;           /* per block: its rows; after cdrt_source_finish, its first row */
  int64_t *bad;            /* per block: bad lines skipped */
  cdrt_bytes *arenas;      /* per block */
  int64_t *na_len, na_max; /* the NA strings' lengths, and the longest */
  uint64_t na_first[256];  /* per first byte: bit n (63: 63 or more) when an NA string of n
                            * bytes starts with it */
  int64_t nrows;
  /* dd.read_csv of a glob: the files it matched when cdaskc compiled, in sorted order (NULL:
   * the one file path). Their blocks form one sequence, file after file. */
  const char *const *paths;
  int npaths;
  /* the run's: each file (one without paths), and per block the file it belongs to */
  struct cdrt_csv_file *files;
  int nfiles;
  int *block_file;
  /* per block: a guessed block that ends inside a row (a quoted field holds the newline
   * after it): neither it nor the blocks after it are merged, cdrt_source_verify redoes them */
  unsigned char *hold;
  int64_t verified; /* blocks [0, verified) are checked (cdrt_source_verify) */
} cdrt_csv_source;
/* One file of a source at run time: its blocks' positions count from its body */
typedef struct cdrt_csv_file {
  const char *path;
  int fd;
  int64_t size, body, body_line; /* the file's size, where its rows start, and that line */
  cdrt_csv_blocks blocks;
  int64_t first; /* its first block in the source's sequence */
  /* its first bytes had no quote: its blocks were guessed (cdrt_csv_guess_fd), blocks
   * [exact_from, n) cut again by the two passes; the blocks count lines from their start
   * and cdrt_source_verify makes them the file's (line_at: the next block's first line) */
  int guessed;
  int64_t exact_from, line_at;
} cdrt_csv_file;
/* Opens, checks the header and cuts the blocks (reading the file a chunk at a time); on an
 * error exits (code 3). */
void cdrt_source_open(cdrt_csv_source *s);
/* A from_arrays source of nrows rows, in blocks of chunk (the scan reads the arrays) */
void cdrt_arrays_open(cdrt_csv_source *s, int64_t nrows, int64_t chunk);
/* After every block ran: the earliest error exits (code 3); rows[b] becomes block b's
 * first row index in its file (pandas' concat of the files: the index restarts at 0 in each);
 * the files are closed. */
void cdrt_source_finish(cdrt_csv_source *s);
/* After the blocks [verified, n) ran: their lines made the file's (a guessed file's), in
 * order up to the first error; the first block found to end inside a row (hold) and every
 * later one are cut again and must run again: that block's number, or n if none. */
int64_t cdrt_source_verify(cdrt_csv_source *s);
/* Blocks merged in block order as soon as they are scanned, by one thread at a time while
 * the others go on scanning: partial results are freed early (a groupby's table per block
 * would otherwise stay until the last block ends) and merging overlaps scanning. */
typedef struct {
  unsigned char *done; /* per block: scanned */
  int64_t n, next;     /* the blocks; the first not merged */
  int busy;            /* a thread is merging */
  int64_t pending;     /* blocks scanned and not merged yet: their tables wait in memory */
  void (*merge)(void *ctx, int64_t b);
  void *ctx;
  const unsigned char *hold; /* per block: not to be merged, nor any after it (NULL: none) */
  int64_t scanned;           /* blocks scanned */
  int (*idle)(void *ctx);    /* work for a thread that waits for the merge: 1 if it did some */
} cdrt_inorder;
void cdrt_inorder_init(cdrt_inorder *o, int64_t n, void (*merge)(void *, int64_t), void *ctx);
void cdrt_inorder_done(cdrt_inorder *o, int64_t b);   /* in the loop: block b is scanned */
void cdrt_inorder_finish(cdrt_inorder *o);            /* after it: the blocks left */
void cdrt_inorder_rewind(cdrt_inorder *o, int64_t b); /* blocks [b, n) will run again */
/* A block's cursor. The block is read through a buffer of whole lines, or mapped on its
 * own (with the bytes after it that the 64-byte masks read): positions are offsets in that
 * window, which starts at the file's byte base; cdrt_scan_end unmaps it (unless the source
 * keeps its strings). */
typedef struct {
  cdrt_csv_source *s;
  int64_t block;
  const char *data;          /* the window (mapped, unless it is empty) */
  int64_t base, avail;       /* the window's first byte in the file, and its bytes */
  int64_t begin;             /* the block's first byte in the window */
  int64_t page, done, ready; /* window bytes [done, ready) are mapped in (scan_slide) */
  int64_t at, end, line, next_line, row_start;
  int64_t row, bad; /* rows read and bad lines skipped in this block (stored in the source's
                     * per-block counters by cdrt_scan_end: a store per row into them would
                     * share cache lines between the threads' blocks) */
  cdrt_csv_field *f;
  int cap, nf;
  cdrt_scan_error *err;
  cdrt_bytes *arena; /* strings copied out: the block's (own, for a CSV block: the source's
                      * per-block arenas share cache lines between the threads' blocks) */
  cdrt_bytes own;
  int plain; /* no quote character in the block: the fast path */
  /* a guessed block (cdrt_csv_guess_fd): quotes and non-ASCII bytes are looked for as its
   * rows are cut; after a quote, rows are cut the general way from general_from on */
  int spec, validated;  /* validated: its bytes from the first non-ASCII on */
  int64_t first_line;   /* its first row's line (1 in a guessed file) */
  int64_t general_from; /* -1: none */
  int64_t bad_byte;     /* the first invalid UTF-8 byte (INT64_MAX: none found) */
  uint64_t mask;        /* its separators and newlines not yet read, in the 64 bytes at mbase */
  int64_t mbase;
  const char *path;        /* the block's file, for messages */
  cdrt_str item;           /* a text source's line (cdrt_text_next) */
  int64_t checked;         /* text: the block's bytes before it are valid UTF-8 */
  char *buf;               /* a block read into a buffer (c->data), not mapped: */
  int64_t fill, bufcap;    /* its bytes read and its size, */
  void (*pending)(void *); /* what the scan finishes before it is refilled, */
  void *pending_ctx;
  int64_t bend;                 /* and (CSV) the block's end in the file: c->end is the lines' */
  int64_t lbase, lbase_line;    /* CSV: a window offset where a line starts, and its line */
  struct cdrt_text_state *text; /* a text block read the general way (gzip, errors other
                                 * than "strict", a linedelimiter); NULL: the plain way */
} cdrt_scan;
/* Block b's cursor; a block without quotes is read through a buffer when the scan gives
 * `pending` (as cdrt_text_begin's) and no result keeps the file's strings, else mapped */
void cdrt_scan_begin(cdrt_scan *c, cdrt_csv_source *s, int64_t b, cdrt_csv_field *fields, int cap,
                     void (*pending)(void *), void *ctx);
int cdrt_scan_next(cdrt_scan *c); /* 1: a row; 0: the block's end or an error */
void cdrt_scan_end(cdrt_scan *c);
/* text.c: db.read_text's files (a source with text set), cut into blocks of whole lines
 * (exits with code 3 if one cannot be read); a block's lines, each in c->item as Python
 * reads it in text mode (its line end made "\n"), after the block is checked as UTF-8 */
void cdrt_text_open(cdrt_csv_source *s);
/* Block b's cursor. A plain block (valid UTF-8 checked as it is read, universal newlines)
 * is read into a small buffer that stays in the cache when the scan gives `pending`, the
 * function that finishes whatever still points into the lines read (called before each
 * refill; ctx its argument) and no result keeps the file's strings; else it is mapped. */
void cdrt_text_begin(cdrt_scan *c, cdrt_csv_source *s, int64_t b, void (*pending)(void *),
                     void *ctx);
int cdrt_text_next(cdrt_scan *c); /* 1: a line in c->item; 0: the block's end or an error */
/* As cdrt_text_next, but the rest of the block in c->item when its lines are the file's
 * bytes (valid UTF-8, universal newlines), c->row counting them: for a scan that only
 * splits lines at whitespace, which ends every line */
int cdrt_text_span(cdrt_scan *c);
void cdrt_text_end(cdrt_scan *c);
int64_t cdrt_text_line(const cdrt_scan *c); /* the file's line (from 1) of the current item */
/* readbuf.c: a read block's bytes from `at` on moved to its buffer's start (c->base
 * advanced), then the block's next bytes read after them, up to the file offset `stop` (the
 * block's end) or the buffer's size, after c->pending finished what pointed into the buffer:
 * the end of its whole lines (past the last "\n", or of what was read at the block's end);
 * the buffer doubles for a line longer than it */
int64_t cdrt_scan_refill(cdrt_scan *c, int64_t at, int64_t stop);
const char *cdrt_source_fn(const cdrt_csv_source *s); /* "dd.read_csv", "db.read_text", ... */
/* File path is read as gzip: compression CDRT_GZ_ALL, or CDRT_GZ_INFER and its name ends in
 * .gz (fsspec's infer_compression: os.path.splitext's extension, in any case) */
int cdrt_text_gzip(int compression, const char *path);
/* jsonl.c: JSON lines. The kinds of values cdrt_json_keys reports */
enum {
  CDRT_JSON_STRING,
  CDRT_JSON_INT, /* a number without fraction or exponent */
  CDRT_JSON_NUMBER,
  CDRT_JSON_BOOL,
  CDRT_JSON_NULL,
  CDRT_JSON_OBJECT,
  CDRT_JSON_ARRAY,
  CDRT_JSON_DEEP /* an object CDRT_JSON_MAX_DEPTH keys deep: its fields are not reported */
};
/* A nested object's field is a path: the keys from the record down, joined by
 * CDRT_JSON_SEP, a control byte (0x1f, the unit separator) that a JSON key cannot hold
 * unescaped (keys with escapes are refused while compiling): "actor\x1flogin". A path has
 * at most CDRT_JSON_MAX_DEPTH keys. */
#define CDRT_JSON_SEP '\x1f'
#define CDRT_JSON_MAX_DEPTH 8
/* The name of the field that is the whole record, printed as Python's dict (db.print of
 * records): a key a JSON line cannot hold unescaped (escaped keys never match it) */
#define CDRT_JSON_RECORD "\x01record"
/* A field that holds arrays (Python's lists) of one item type T (CDRT_COL_*) is a str
 * column of each array's JSON text, read with the type CDRT_JSON_LIST | T: every item is
 * checked to be a T (or null, for str and float64 items). cdrt_json_keys reports an array's
 * items under its path, CDRT_JSON_SEP, CDRT_JSON_ITEMS (a key no unescaped JSON key is). */
#define CDRT_JSON_LIST 0x10
#define CDRT_JSON_ITEMS "\x02items"
/* The item type of a list of objects (Python's dicts): printed and counted, not flattened */
#define CDRT_JSON_ITEM_OBJECT 0xf
typedef void (*cdrt_json_visit)(void *ctx, cdrt_str key, int escaped, int kind);
/* Every key of the object [p, p + n) and its value's kind, in order: the top-level ones,
 * and the keys of objects in it as paths (CDRT_JSON_SEP), each object reported before its
 * fields: 1, or 0 with "column C: expected X" in err */
int cdrt_json_keys(const char *p, int64_t n, cdrt_json_visit visit, void *ctx, char *err,
                   size_t errlen);
typedef struct {
  int present; /* 0: missing or null */
  int64_t i;   /* int64, bool */
  double f;
  cdrt_str s;
} cdrt_jval;
/* The fields names[0, n) of the JSON object on the line, converted to types[k] (CDRT_COL_*)
 * into out (a field absent or null: present 0): 1, or 0 with the block's error set (the
 * file, line, column and what was expected, or the field and the value that is not of its
 * type) */
int cdrt_json_pick(cdrt_scan *c, cdrt_str line, int n, const cdrt_str *names,
                   const unsigned char *types, cdrt_jval *out);
/* cdrt_json_pick of names some of which are paths into nested objects (CDRT_JSON_SEP): an
 * object is read only when a path goes through its key; a path ending in CDRT_JSON_RECORD
 * is the object as Python's repr of its dict ("None" where it is null or absent) */
int cdrt_json_pick_nested(cdrt_scan *c, cdrt_str line, int n, const cdrt_str *names,
                          const unsigned char *types, cdrt_jval *out);
/* The items of a list field's value (checked when it was picked; a missing list has
 * none), one after the other: cdrt_json_item_T gives the next one (0: no more). A null str
 * item is a missing string, a null float64 item NaN; escapes are resolved into arena. */
typedef struct {
  const char *p, *end;
} cdrt_jitems;
cdrt_jitems cdrt_json_items(cdrt_str list);
int cdrt_json_item_i64(cdrt_jitems *it, int64_t *v);
int cdrt_json_item_f64(cdrt_jitems *it, double *v);
int cdrt_json_item_bool(cdrt_jitems *it, uint8_t *v);
int cdrt_json_item_str(cdrt_jitems *it, cdrt_bytes *arena, cdrt_str *v);
/* Python's len of a list field's value: NaN where it is missing; _i64: an error there */
double cdrt_json_list_len(cdrt_str list);
int64_t cdrt_json_list_len_i64(cdrt_str list, cdrt_scan *c);
/* Python's sum of a list field's int64 or float64 items (a null item, NaN, skipped): NaN
 * where the list is missing; _i64 (of int64 items, wrapping as NumPy): an error there */
double cdrt_json_list_sum(cdrt_str list);
int64_t cdrt_json_list_sum_i64(cdrt_str list, cdrt_scan *c);
/* A list field's value as Python's repr of the list json.loads makes ("None": missing),
 * into the block's arena */
cdrt_str cdrt_json_list_repr(cdrt_str list, cdrt_scan *c);
/* The items of a list of objects (CDRT_JSON_ITEM_OBJECT: each checked to be an object when
 * its line was read), each as its JSON text into *v (0: no more): flatten's records */
int cdrt_json_item_obj(cdrt_jitems *it, cdrt_str *v);
/* Field path (its keys joined by CDRT_JSON_SEP) of obj, such an item, as type T (missing
 * where it or an object on its path is absent or null: a str's NULL, a float64's NaN; an
 * int64 there, or a value of another type, is the block's error, naming the field as
 * name); _repr: the value as Python's repr ("None": missing) */
int64_t cdrt_json_field_i64(cdrt_str obj, const char *path, cdrt_scan *c, const char *name);
double cdrt_json_field_f64(cdrt_str obj, const char *path, cdrt_scan *c, const char *name);
uint8_t cdrt_json_field_bool(cdrt_str obj, const char *path, cdrt_scan *c, const char *name);
cdrt_str cdrt_json_field_str(cdrt_str obj, const char *path, cdrt_scan *c, const char *name);
cdrt_str cdrt_json_field_repr(cdrt_str obj, const char *path, cdrt_scan *c, const char *name);
/* Field name (a path: its keys joined by '.'; a list's items, CDRT_JSON_ITEMS, as "[]")
 * into buf */
const char *cdrt_json_dotted(const char *name, char *buf, size_t n);
/* Field col, used and of a type without a missing value (int64, or a bool every sampled
 * record had), absent or null: the error (what the sample was and how to read the field) */
int cdrt_json_missing(cdrt_scan *c, int col);
/* A from_arrays block's cursor: the loop sets row (from 1, in the block) and line (the
 * row's number in the frame, for messages) */
void cdrt_arrays_begin(cdrt_scan *c, cdrt_csv_source *s, int64_t b); /* the block's bytes let go */
/* Field col of the current row as the type: 1, or 0 after recording the error. */
int cdrt_get_f64(cdrt_scan *c, int col, double *out); /* an NA string: NaN */
int cdrt_get_i64(cdrt_scan *c, int col, int64_t *out);
int cdrt_get_bool(cdrt_scan *c, int col, uint8_t *out);
int cdrt_get_str(cdrt_scan *c, int col, cdrt_str *out); /* an NA string: p NULL */
int64_t cdrt_f64_to_i64(double x, cdrt_scan *c,
                        const char *what);              /* astype: NaN and inf are errors */
void cdrt_scan_fail(cdrt_scan *c, const char *fmt, ...) /* the first error, at the cursor */
    __attribute__((format(printf, 2, 3)));
/* astype.c: astype to and from strings, as Python's str(), int() and float() of a value */
cdrt_str cdrt_str_of_i64(int64_t x, cdrt_bytes *arena);
cdrt_str cdrt_str_of_f64(double x, cdrt_bytes *arena); /* repr; NaN "nan" */
cdrt_str cdrt_str_of_timedelta(int64_t x, cdrt_bytes *arena);
int64_t cdrt_str_to_i64(cdrt_str s, cdrt_scan *c, const char *what);
double cdrt_str_to_f64(cdrt_str s, cdrt_scan *c, const char *what);       /* missing: NaN */
int64_t cdrt_str_to_datetime(cdrt_str s, cdrt_scan *c, const char *what); /* missing: NaT */
int cdrt_get_datetime(cdrt_scan *c, int col, int64_t *out);               /* an NA string: NaT */
int64_t cdrt_dt_field_i64(int64_t x, int field, cdrt_scan *c);            /* NaT: an error */
int64_t cdrt_str_len_i64(cdrt_str s, cdrt_scan *c);                       /* missing: an error */
int64_t cdrt_str_find_i64(cdrt_str s, cdrt_str sub, int right, cdrt_scan *c); /* the same */
int64_t cdrt_rx_count_i64(cdrt_str s, const char *pat, int64_t len, int flags, cdrt_scan *c);
/* Records (as the block's first error only) a missing value (value: its kind) met by what,
 * which was compiled as int64 because the sample saw no missing value */
void cdrt_scan_unsampled_missing(cdrt_scan *c, const char *value, const char *what);

/* frame.c: per-block aggregates, value counts and collected rows, merged in block order. */
enum {
  CDRT_AGG_SUM,
  CDRT_AGG_MEAN,
  CDRT_AGG_MIN,
  CDRT_AGG_MAX,
  CDRT_AGG_COUNT,
  CDRT_AGG_STD,
  CDRT_AGG_VAR,
  CDRT_AGG_NUNIQUE,
  CDRT_AGG_FIRST,
  CDRT_AGG_LAST,
  CDRT_AGG_SIZE,
  CDRT_AGG_MEDIAN,  /* of a group (frame_ops.c) */
  CDRT_AGG_CORR,    /* of a group: Pearson's r of the column and the frame's last (frame_ops.c) */
  CDRT_AGG_STD_POP, /* std and var over n (ddof = 0: Dask bag's and NumPy's), of a Series */
  CDRT_AGG_VAR_POP,
  CDRT_AGG_ANY, /* whether some (every) element is true as Python tests it, of a Series */
  CDRT_AGG_ALL,
  CDRT_AGG_IDXMAX, /* the index label of a computed Series' first largest (smallest) value */
  CDRT_AGG_IDXMIN,
  CDRT_AGG_QUANTILE /* a groupby's quantile q (cdrt_group_spec's qs), pandas' group_quantile */
};
typedef struct { /* a scalar result: type CDRT_COL_*; a missing number is a NaN float */
  int type;
  int64_t i;
  double f;
  cdrt_str s;
} cdrt_value;
typedef struct {
  int64_t n;        /* values seen (missing ones are not) */
  uint64_t isum;    /* an integer sum, wrapping as NumPy's */
  int64_t ihi;      /* isum's high word: the exact sum of timedeltas (datetimes), 128 bits */
  cdrt_xsum x1, x2; /* exact sums of the values and of their squares */
  int64_t imin, imax;
  double fmin, fmax;
  cdrt_str smin, smax;
} cdrt_agg;
void cdrt_agg_sq(cdrt_agg *a, double x); /* x into x1, x * x (exactly) into x2 */
void cdrt_agg_f64_minmax(cdrt_agg *a, double x);
void cdrt_agg_i64_minmax(cdrt_agg *a, int64_t x);
void cdrt_agg_str_minmax(cdrt_agg *a, cdrt_str x);
static inline __attribute__((unused)) void cdrt_agg_nat_add(cdrt_agg *a, int64_t x) {
  uint64_t lo = a->isum + (uint64_t)x; /* (ihi, isum) += x, sign-extended */
  a->ihi += (x < 0 ? -1 : 0) + (lo < a->isum);
  a->isum = lo, a->n++;
}
void cdrt_agg_merge(cdrt_agg *a, const cdrt_agg *b, int type);   /* a then b */
cdrt_value cdrt_agg_final(const cdrt_agg *a, int rop, int type); /* pandas' result */
typedef struct {                                                 /* 32 bytes: two to a cache line */
  int64_t key;    /* the value's bits (floats: -0.0 as 0.0); a string's first 8 bytes */
  union {         /* a string of at most CDRT_VC_INLINE bytes: the next 8 (zero-padded, */
    int64_t key2; /* so that key and key2 are its bytes); a longer one: the table's copy */
    const char *p;
  };
  int64_t count;
  int32_t n;
  uint32_t tag; /* 0: an empty slot */
} cdrt_vc_entry;
#define CDRT_VC_INLINE 16
#define CDRT_VC_BATCH 16
typedef struct {
  cdrt_str s;
  uint64_t h, a, b; /* its hash and key (cdrt_vc_entry's key and key2) */
} cdrt_vc_item;
typedef struct { /* a hash table of values and their counts, in order of first appearance */
  int type;
  int64_t n, nslot;
  cdrt_vc_entry *e; /* the slots (linear probing, at most half full) */
  int64_t *order;   /* the entries' slots, in order of first appearance */
  cdrt_bytes bytes; /* the bytes of string keys longer than CDRT_VC_INLINE */
  const char *what; /* for the memory limit's message */
  int64_t *hint;    /* NULL, or the slots the tables of this count grew to (its first size) */
  cdrt_vc_item batch[CDRT_VC_BATCH]; /* strings not yet counted */
  int nbatch;
} cdrt_vc;
void cdrt_vc_init(cdrt_vc *t, int type);
cdrt_str cdrt_vc_entry_str(const cdrt_vc_entry *e);       /* a string key's bytes */
void cdrt_vc_entry_set_str(cdrt_vc_entry *e, cdrt_str s); /* (s's bytes kept if long) */
void cdrt_vc_add_i64(cdrt_vc *t, int64_t k);              /* ints and bools */
void cdrt_vc_add_f64(cdrt_vc *t, double x);               /* NaN is not counted */
void cdrt_vc_add_str(cdrt_vc *t, cdrt_str s);             /* nor a missing string */
/* (the same, when the bytes from s.p to end can be read: a split's piece) */
void cdrt_vc_add_str_in(cdrt_vc *t, cdrt_str s, const char *end);
void cdrt_vc_flush(cdrt_vc *t); /* the strings added are counted: before their block ends */
void cdrt_vc_merge(cdrt_vc *t, const cdrt_vc *b); /* (b flushed) */
void cdrt_vc_free(cdrt_vc *t);
typedef struct { /* one block's rows of some columns */
  int ncols;
  const unsigned char *types;
  int64_t n, cap;
  int64_t *index; /* the row in its block */
  void **col;
  const char *what; /* for the memory limit's message */
} cdrt_rows;
void cdrt_rows_init(cdrt_rows *r, int ncols, const unsigned char *types);
int64_t cdrt_rows_push(cdrt_rows *r, int64_t row); /* the slot its values go to */
void cdrt_rows_free(cdrt_rows *r); /* its rows (cdrt_rows_frame frees the blocks' itself) */
void cdrt_rows_keep_last(cdrt_rows *r, int64_t n); /* only its last n rows (tail(n)) */
/* pandas' category dtype: a str column's categories, sorted (byte order) unless unsorted
 * (a merge's indicator: in pandas' order) */
typedef struct {
  int64_t n;
  cdrt_str *v;
  int unsorted;
} cdrt_categories;
typedef struct {
  int type;
  const char *name; /* NULL: none */
  void *data;       /* int64_t, double, uint8_t or cdrt_str per row; an index: NULL, 0..n-1 */
  const char *sub;  /* MultiIndex columns (the frame's col_levels 2): the second label */
} cdrt_column;
typedef struct cdrt_frame {
  int64_t n;
  int ncols;
  cdrt_column *cols;
  cdrt_column index; /* one level (data NULL: 0..n-1) */
  int nindex;        /* several levels (a MultiIndex): levels[0, nindex); 0: index */
  cdrt_column *levels;
  int series; /* printed as a Series (cols[0]) */
  /* a DatetimeIndex's frequency ("H", "15T"), pandas' freqstr: a frame's rows that are a
   * run of consecutive rows of dd.date_range's index keep it (a Series prints it) */
  const char *freq;
  int col_levels; /* 2: MultiIndex columns (name, sub), as agg({"v": ["median", "std"]}) */
  /* per column: the categories of a str column of the category dtype, else NULL (cats NULL:
   * no such column); set last, on the frame an output shows (categories.c) */
  const cdrt_categories **cats;
  /* A frame made as it is written (only dd.to_csv reads it): its columns' and levels' data
   * are NULL, and fill makes rows [r0, r1) into cols and levels (as many as the frame's,
   * row r0 at 0); fill_ctx is its own. A groupby of 10^7 groups written to CSV never holds
   * its 880 MB of columns (cdrt_gb_frame_written). */
  void (*fill)(const struct cdrt_frame *f, int64_t r0, int64_t r1, cdrt_column *cols,
               cdrt_column *levels);
  void *fill_ctx;
} cdrt_frame;
/* The blocks' rows in block order (index: row0[b] + the row in b), at most limit (-1: all);
 * the parts are freed. */
cdrt_frame *cdrt_rows_frame(cdrt_rows *parts, int64_t nb, const int64_t *row0, int64_t limit,
                            const char *const *names);
/* pandas 2's value_counts: by count, ties in order of first appearance (by_count 0: that
 * order alone, value_counts(sort=False) and db's frequencies()) */
cdrt_frame *cdrt_vc_frame(cdrt_vc *t, int by_count, const char *name);
/* topn.c: groupby(keys).head(n) of rows sorted by columns by[0, nby) (asc[k]: 1 ascending,
 * | 2 missing first), kept in the scan: a block's collected rows keep only the first n of
 * each group in that order (then the row's: the stable sort's), and so does their merge in
 * block order. Columns are the rows' (cdrt_rows col). */
/* The total's cut, shared by the blocks' tables of one top-n (one key and one sort column of
 * a fixed width): for each group the total keeps n rows of, the worst of their sort values.
 * A block's row strictly worse than its group's cut is not among the file's first n, so it
 * is dropped before its group is looked up (q8: most rows, once a few blocks are merged).
 * Keys 0..ndense-1 (integers that fill their range, as q8's id6) have their cut in `dense`,
 * indexed by the key, 4 bytes each (a coarse code of the value, topn.c's tn_code), so that
 * a row is dropped on one read of an array that stays in L2 before any hashing. Other keys
 * have theirs in lines of 64 bytes, 4 entries (a group's hash, its cut) each, claimed in
 * order. Made by the first merge of a table of many groups, raised by each merge, read by
 * every thread. */
typedef struct {
  uint64_t *e; /* lines * 8 words, or NULL */
  void *block; /* what e lies in, and its bytes */
  size_t bytes;
  int shift;       /* 64 - log2(lines): a hash's top bits are its line */
  uint32_t *dense; /* ndense codes (0: no cut yet), or NULL; published after ndense */
  int64_t ndense;
  size_t dense_bytes;
} cdrt_topn_cut;
typedef struct {
  int nkeys;
  const int *keys;
  int nby;
  const int *by;
  const unsigned char *asc;
  int64_t n;
  int dropna;         /* a row with a missing key is no group's */
  cdrt_topn_cut *cut; /* the total's (one per top-n of the program) */
} cdrt_topn_spec;
enum { CDRT_TOPN_BATCH = 16 };
typedef struct {
  const cdrt_topn_spec *spec;
  /* the groups: records of `stride` words (topn.c's TN_*) in order of first appearance,
   * so that a row's rejection by a full group reads one place in memory; found through
   * an open-addressed table of 8-byte slots (a hash tag, the group's number + 1) */
  int64_t *rec;
  void *rec_block; /* what rec lies in (cdrt_table_take_raw), and its bytes */
  size_t rec_bytes;
  uint64_t *slot; /* nslot slots (cdrt_table_take), and their bytes */
  size_t slot_bytes;
  int64_t nslot, ngroups, stride; /* room for nslot / 2 records */
  int shift;                      /* 64 - log2(nslot): a hash's top bits are its home slot */
  int fastkey, fastsort; /* one key, one sort column of a fixed width: kept in the record */
  int64_t live;          /* rows kept (the rest of the rows' are dropped ones) */
  int64_t rows, base;    /* a block's rows read; the total's: the rows of the blocks merged */
  const char *what;      /* for the memory limit's message */
  int npend;             /* rows pushed, their slots prefetched, not yet looked up */
  int64_t pend_at[CDRT_TOPN_BATCH];
  uint64_t pend_h[CDRT_TOPN_BATCH];
} cdrt_topn;
void cdrt_topn_init(cdrt_topn *t, const cdrt_topn_spec *spec);
/* The row just pushed: kept or taken back (in batches: rows pushed since the last batch are
 * decided when CDRT_TOPN_BATCH are waiting, or by the merge) */
void cdrt_topn_row(cdrt_topn *t, cdrt_rows *rows);
/* block b (its table and rows, its waiting rows decided first) after t's blocks; b's are
 * freed */
void cdrt_topn_merge(cdrt_topn *t, cdrt_rows *rows, cdrt_topn *b, cdrt_rows *brows);
/* The total's rows: the kept ones only, in file order (their index: the file's row) */
void cdrt_topn_finish(cdrt_topn *t, cdrt_rows *rows);
/* --mpi (mpi_tables.c's cdrt_xfer_topn): the waiting rows decided; a packed record put in
 * t's table; the table freed (its rows are not) */
void cdrt_topn_settle(cdrt_topn *t, cdrt_rows *rows);
void cdrt_topn_put(cdrt_topn *t, const cdrt_rows *rows, const int64_t *rec);
void cdrt_topn_free(cdrt_topn *t);
/* f's columns made MultiIndex columns (name, subs[k]) */
void cdrt_frame_sublabels(cdrt_frame *f, const char *const *subs);
/* The index of f (rows of a from_arrays source: their row numbers) made dd.date_range's:
 * row i's label start + i * step ns, named name; freq is kept when the rows are a run. */
void cdrt_frame_date_index(cdrt_frame *f, int64_t start, int64_t step, const char *name,
                           const char *freq);

/* frame_ops.c: operations on a computed frame, each making a new one. A column reference c
 * is a column (c >= 0) or the index's level -c - 1. They run one after another, after the
 * scans; cdrt_frame_op_what names the running one ("the sort_values at x.lua:5") for the
 * memory limit's message: what they allocate is charged to --memory-limit first. */
extern const char *cdrt_frame_op_what;
void *cdrt_frame_alloc(int64_t n, size_t z);        /* n values of z bytes, charged first */
void cdrt_frame_free(void *p, int64_t n, size_t z); /* a scratch array of it, refunded */
typedef int (*cdrt_order_less)(const void *ctx, int64_t a, int64_t b);
void cdrt_stable_sort(int64_t *order, int64_t n, cdrt_order_less less, const void *ctx);
/* sort_values by columns by[0, nby), asc[k] 1 ascending, | 2 missing values first (else
 * last) */
cdrt_frame *cdrt_frame_sort(const cdrt_frame *f, int nby, const int *by, const unsigned char *asc);
cdrt_frame *cdrt_frame_head(const cdrt_frame *f, int64_t n);
/* f's rows where the bool Series mask (of f's rows) is true, with their labels, as pandas'
 * f[mask] */
cdrt_frame *cdrt_frame_filter(const cdrt_frame *f, const cdrt_frame *mask);
cdrt_frame *cdrt_frame_tail(const cdrt_frame *f, int64_t n); /* the last n rows */
/* a Series of a's values op b's (b NULL: the number k), of type type (int64: NumPy's
 * wrapping arithmetic; float64: NaN propagates; bool: a comparison, or & | ~ of bools),
 * named name, on a's index. op | CDRT_ARITH_SWAP: k (or b) is the left operand. */
enum {
  CDRT_ARITH_ADD,
  CDRT_ARITH_SUB,
  CDRT_ARITH_MUL,
  CDRT_ARITH_DIV,
  CDRT_ARITH_POW, /* int64: a non-negative number as the exponent, NumPy's wrapping product */
  CDRT_ARITH_EQ,  /* comparisons: NumPy's (float64 if either side is; NaN: only != holds) */
  CDRT_ARITH_NE,
  CDRT_ARITH_LT,
  CDRT_ARITH_LE,
  CDRT_ARITH_GT,
  CDRT_ARITH_GE,
  CDRT_ARITH_AND, /* of bools */
  CDRT_ARITH_OR,
  CDRT_ARITH_NOT, /* ~a (b and k unused) */
  CDRT_ARITH_SWAP = 16
};
/* a computed Series of strings eq (ne: ne) the string str: a Series of bools (a missing
 * value is not equal) */
cdrt_frame *cdrt_frame_str_eq(const cdrt_frame *a, const char *str, int ne, const char *name);
cdrt_frame *cdrt_frame_arith(const cdrt_frame *a, const cdrt_frame *b, int op, int type, double k,
                             const char *name);
/* A scalar's arithmetic (a Scalar's: df.v:sum() / df.v:count()), as cdrt_frame_arith's
 * elements: a op b (op | CDRT_ARITH_SWAP: b op a) of type type; a number as a value */
cdrt_value cdrt_value_arith(cdrt_value a, cdrt_value b, int op, int type);
cdrt_value cdrt_value_number(double x, int integer);
/* An int64 Scalar that a later scan reads (df.id - df.id:min()): one without a value (the
 * min of no row, pandas' NaN) stops the program, as the Series' dtype was fixed int64 */
int64_t cdrt_scalar_i64(const cdrt_value *v, const char *what);
int64_t cdrt_scalar_dt(const cdrt_value *v); /* a datetime's ns, NaT where it has none */
double cdrt_scalar_f64(const cdrt_value *v); /* a number's value, NaN where it has none */
/* Python's accumulate (itertools', Dask bag's) of the Series a by rop (CDRT_AGG_SUM: a +
 * running sum, MAX, MIN: as Python's max(total, x)), of type type (int64 wraps); seeded:
 * seed first and then each total from it, n + 1 values */
cdrt_frame *cdrt_frame_cum(const cdrt_frame *a, int rop, int type, int seeded, double seed);
/* pandas' window operations of each column of a (runtime/frame_window.c); the results'
 * types are types[k] (table.c's table_window_type) */
enum {
  CDRT_WIN_CUMSUM, /* missing values skipped and kept missing */
  CDRT_WIN_CUMPROD,
  CDRT_WIN_CUMMAX,
  CDRT_WIN_CUMMIN,
  CDRT_WIN_DIFF,     /* row i minus row i - n */
  CDRT_WIN_SHIFT,    /* row i - n's value (missing, or fill if filled, where none) */
  CDRT_WIN_ROLL_SUM, /* rolling(n, min_periods minp, center); expanding: n INT64_MAX */
  CDRT_WIN_ROLL_MEAN,
  CDRT_WIN_ROLL_VAR,
  CDRT_WIN_ROLL_STD,
  CDRT_WIN_ROLL_MIN,
  CDRT_WIN_ROLL_MAX,
  CDRT_WIN_ROLL_COUNT,
  CDRT_WIN_EWM_MEAN,  /* ewm(com, adjust, ignore_na, min_periods minp).mean() */
  CDRT_WIN_NORMALIZE, /* each value over the column's sum, "proportion" (value_counts') */
  CDRT_WIN_ROLL_MEDIAN,
  CDRT_WIN_ROLL_QUANTILE, /* of fill, interpolated by method (CDRT_INTERP_*) */
  CDRT_WIN_EWM_SUM,
  CDRT_WIN_EWM_VAR, /* bias: the biased variance */
  CDRT_WIN_EWM_STD,
  CDRT_WIN_FFILL,      /* each missing value the last present one's, at most limit in a row */
  CDRT_WIN_BFILL,      /* the next present one's */
  CDRT_WIN_PCT_CHANGE, /* row i over row i - n, less 1, after filling by method (0, FFILL, BFILL) */
  CDRT_WIN_CUMCOUNT,   /* a row's position: 0, 1, ... (a groupby's cumcount) */
  CDRT_WIN_TRANSFORM,  /* every row the aggregation method (CDRT_AGG_*) of all (transform's) */
  CDRT_WIN_RANK,       /* pandas' rank: ties by method (CDRT_RANK_*), descending, pct */
  CDRT_WIN_EWM_COV,    /* ewm(...).cov(other) of the frame's two columns: one (bias) */
  CDRT_WIN_EWM_CORR    /* ewm(...).corr(other) */
};
enum { CDRT_RANK_AVERAGE, CDRT_RANK_MIN, CDRT_RANK_MAX, CDRT_RANK_FIRST, CDRT_RANK_DENSE };
enum { CDRT_NA_KEEP, CDRT_NA_TOP, CDRT_NA_BOTTOM };
enum {
  CDRT_INTERP_LINEAR,
  CDRT_INTERP_LOWER,
  CDRT_INTERP_HIGHER,
  CDRT_INTERP_NEAREST,
  CDRT_INTERP_MIDPOINT
};
typedef struct {
  int kind;
  int64_t n, minp;
  int center;
  double fill; /* shift's, where filled; quantile's q */
  int filled;
  double com; /* ewm's center of mass */
  int adjust, ignore_na;
  int64_t limit;       /* ffill's and bfill's: 0 for none */
  int method;          /* pct_change's fill, quantile's interpolation */
  int bias;            /* ewm var's and std's */
  int descending, pct; /* rank's */
  int na;              /* rank's na_option: CDRT_NA_KEEP, TOP, BOTTOM */
  int64_t span;        /* a time window's ns (rolling("2H")); 0: n rows */
  int on;              /* a time window's timestamps: 1 + their column; 0: the index */
  int closed;          /* a time window's ends: 1 the left one closed | 2 the right one */
} cdrt_window;
cdrt_frame *cdrt_frame_window(const cdrt_frame *a, const cdrt_window *w, const int *types);
/* The same within each group of the columns keys[0, nkeys) of a (an index level: -1 - k),
 * of its columns cols[0, ncols) named names[k], in a's row order and with its index; a row with a
 * missing key (dropna) is missing, and stops the program where the type has none */
cdrt_frame *cdrt_frame_gb_window(const cdrt_frame *a, int nkeys, const int *keys, int ncols,
                                 const int *cols, const char *const *names, int dropna, int series,
                                 const cdrt_window *w, const int *types);
/* Whether cell i of c is missing (float NaN, NaT, a missing string; ints and bools never) */
int cdrt_cell_missing(const cdrt_column *c, int64_t i);
/* -1, 0, 1 for two present cells a and b of c (an index without data is 0..n-1; -0.0
 * equals 0.0) */
int cdrt_cell_cmp(const cdrt_column *c, int64_t a, int64_t b);
/* Per row, the first row of its group of the columns keys (NaN equals NaN); -1 for a row
 * with a missing key where dropna; n values (cdrt_frame_free) */
int64_t *cdrt_frame_key_groups(const cdrt_frame *f, int nkeys, const int *keys, int dropna);
/* Aggregation what (CDRT_AGG_*) of column c over the rows rows[0, n) into cell r of out, as
 * pandas' groupby computes it */
void cdrt_frame_group_agg(cdrt_column *out, int64_t r, int what, const cdrt_column *c,
                          const int64_t *rows, int64_t n);
/* pandas' concat(axis = 1) of the n frames (or Series) parts (frame_concat.c): their
 * columns side by side (names[k], types[k]: cdaskc's), aligned on the index: the first
 * part's labels, then the others' new ones in order (sort = False), unless every index is
 * the first's; a part without a label has missing values there (an int64 or bool column
 * cannot: exit 3, as a part's index with a label twice) */
cdrt_frame *cdrt_frame_concat_columns(const cdrt_frame *const *parts, int n, int ncols,
                                      const char *const *names, const int *types);
/* pandas' concat of the n frames (or Series) parts along the rows (frame_concat.c): the
 * columns names[k] of types[k] (cdaskc's union of theirs; a part without one: missing),
 * the index the parts' labels in turn, or with ignore_index a new range */
cdrt_frame *cdrt_frame_concat(const cdrt_frame *const *parts, int n, int ncols,
                              const char *const *names, const int *types, int series,
                              int ignore_index);
/* f with the Series s's values as its column name (replaced where f has one) */
cdrt_frame *cdrt_frame_assign(const cdrt_frame *f, const cdrt_frame *s, const char *name);
/* drop_duplicates over sub: keep 0 the first of equal rows, 1 the last, 2 none of them */
cdrt_frame *cdrt_frame_dedup(const cdrt_frame *f, int nsub, const int *sub, int keep);
cdrt_frame *cdrt_frame_select(const cdrt_frame *f, int ncols, const int *cols, int series);
/* groupby(keys).head(n): the first n rows of each group, in f's order (dropna: rows with a
 * missing key are left out, as pandas 1.5) */
cdrt_frame *cdrt_frame_gb_head(const cdrt_frame *f, int nkeys, const int *keys, int64_t n,
                               int dropna);
/* frame_index.c: set_index(col) (its column moved to the index; drop 0: kept as a column
 * too), reset_index (the index's levels become the first columns, named names[k], and
 * the index a new range; drop: they are dropped instead), and loc(from, to): the rows of a
 * sorted index whose labels lie in [from, to] (has[k] 0: that end open), as pandas slices
 * a monotonic index. A label of the index's type: i (int64, datetime64 ns), f or s. */
cdrt_frame *cdrt_frame_set_index(const cdrt_frame *f, int col, int drop);
cdrt_frame *cdrt_frame_reset_index(const cdrt_frame *f, const char *const *names, int drop);
typedef struct {
  int has[2];
  int64_t i[2];
  double f[2];
  const char *s[2];
  const char *where; /* "x.lua:12", for an unsorted index's error */
} cdrt_label_range;
cdrt_frame *cdrt_frame_loc(const cdrt_frame *f, const cdrt_label_range *r);
/* resample's bins: f (a groupby's result by a datetime floored to step ns, sorted) with a
 * row for every bin from its first key to its last, a bin no row fell in holding 0
 * (kinds[k] & 16) or a missing value, column k of type kinds[k] & 15; freq: pandas'
 * freqstr, shown by a Series */
cdrt_frame *cdrt_frame_bins(const cdrt_frame *f, int64_t step, const int *kinds, const char *freq);
cdrt_value cdrt_frame_median(const cdrt_frame *f, int col);
/* The k-th smallest of v[0, n) (no NaN), v reordered with v[0, k) <= v[k] <= v[k + 1, n)
 * (groupby.c's quickselect) */
double cdrt_select_f64(double *v, int64_t n, int64_t k);
/* NumPy's linear quantile q of column col's present values (none: NaN) */
cdrt_value cdrt_frame_quantile(const cdrt_frame *f, int col, double q);
/* pandas' quantile of a list: the linear quantile qs[k] of each column of f (numbers) in
 * row k, float64, indexed by the qs (float64); a Series if f is one */
cdrt_frame *cdrt_frame_quantiles(const cdrt_frame *f, int nq, const double *qs);
/* pandas' DataFrame.corr(): Pearson's r of every pair of f's columns over the rows where
 * both are present (group_corr's exact sums), a square frame indexed by the names */
cdrt_frame *cdrt_frame_corr(const cdrt_frame *f); /* NumPy's nanmedian */
/* The reduction rop (CDRT_AGG_*: sum, mean, min, max, count, std, var) of the Series f, as
 * cdrt_agg_final gives it (float sums exact: the same bits for any thread count) */
cdrt_value cdrt_frame_agg(const cdrt_frame *f, int rop);
/* of every column: all numeric (count, mean, std, min, quartiles, max), or all str (count,
 * unique, top, freq) */
cdrt_frame *cdrt_frame_describe(const cdrt_frame *f);
/* pandas' merge of the frames l and r on key columns (l's lkeys[k] equals r's rkeys[k];
 * a missing key equals a missing key, as in pandas' merge), how CDRT_HOW_*: inner and left
 * in l's order, each row with its matches in r's order (left: an unmatched row once);
 * right the same from r's side; outer by key (sorted, missing keys last), a key's rows
 * l-major, then its l rows alone, then its r rows alone; cross (no keys) every pair of
 * rows, l-major. The result's columns are the
 * spec's, its index a new range. The same rows give the same result for any thread count. */
enum { CDRT_HOW_INNER, CDRT_HOW_LEFT, CDRT_HOW_RIGHT, CDRT_HOW_OUTER, CDRT_HOW_CROSS };
/* validate: the sides whose key tuples must be unique (pandas' MergeError otherwise) */
enum { CDRT_VALIDATE_NONE, CDRT_VALIDATE_1_1, CDRT_VALIDATE_1_M, CDRT_VALIDATE_M_1 };
/* CDRT_MERGE_IND: pandas' indicator column (a category: left_only, right_only, both) */
enum { CDRT_MERGE_LEFT, CDRT_MERGE_RIGHT, CDRT_MERGE_KEY, CDRT_MERGE_IND };
/* The result's index: a new range; the left's labels (left_on with right_index; missing
 * where a row has no left row); the key's values (both indexes: the left's, else the
 * right's) */
enum { CDRT_MERGE_INDEX_RANGE, CDRT_MERGE_INDEX_LEFT, CDRT_MERGE_INDEX_KEY };
typedef struct {
  int how, nkeys;
  const int *lkeys, *rkeys;
  int ncols;
  const unsigned char *side;  /* CDRT_MERGE_*: KEY, the shared key col[k]: l's value, else r's */
  const int *col;             /* the column of l or r (KEY: the key's number) */
  const unsigned char *types; /* the result's CDRT_COL_*: an int64 that may be missing is
                               * float64, a bool str ("True", "False") */
  const char *const *names;
  const unsigned char *need; /* per column: made (0: no output reads it, data NULL) */
  int validate;              /* CDRT_VALIDATE_* */
  const char *where;         /* "x.lua:12", for validate's error */
  int sort;                  /* sort = true: inner, left and right rows by key (stable) */
  int index;                 /* CDRT_MERGE_INDEX_*; a key k < 0 is index level -1 - k */
  int itype;                 /* the index's CDRT_COL_* (LEFT, KEY) */
  const char *iname;         /* its name */
} cdrt_merge_spec;
/* The indicator's categories, in pandas' order: left_only, right_only, both */
extern cdrt_categories cdrt_merge_indicator_cats;
cdrt_frame *cdrt_frame_merge(const cdrt_frame *l, const cdrt_frame *r, const cdrt_merge_spec *sp);
/* pandas' MergeError of validate v (CDRT_VALIDATE_*): the left's (lu false) or the right's
 * (ru false) key tuples repeat; exit 3 naming where ("x.lua:7") */
_Noreturn void cdrt_merge_not_unique(const char *where, int v, int lu, int ru);

/* join.c: a merge's right side as a hash table that the left side's scan probes (a merge
 * read only by aggregates of its columns, pushed into that scan by emit_rows.c). Groups
 * of equal key tuples (a missing key equals a missing key, as in pandas' merge) hold their
 * rows in order; a slot names its group's run [lo, lo + n) of the columns val[] (the
 * frame's own when every key is unique, else gathered in group order). One key of int64,
 * datetime, bool or float64 is its own tag (direct); other keys are hashed and compared. */
typedef struct {
  uint64_t tag;   /* direct: the key; else its hash */
  uint32_t lo, n; /* n 0: an empty slot (a probe that finds it has no match) */
} cdrt_jslot;
typedef union {
  int64_t i; /* int64, datetime, bool */
  double f;
  cdrt_str s;
} cdrt_jkey;
typedef struct {
  int nkeys;
  const int *rkeys;           /* the key columns of the right's frame */
  const unsigned char *types; /* their types */
  int nvals;                  /* the columns the probes read: gathered if need be */
  const int *vals;
  int validate;      /* CDRT_VALIDATE_NONE, or _M_1: the right's keys must be unique */
  const char *where; /* "x.lua:7", the merge */
  const char *what;  /* "the merge at x.lua:7", for the memory limit's message */
} cdrt_join_spec;
typedef struct {
  const cdrt_join_spec *sp;
  int direct, shift;
  uint64_t mask, pmask, hi; /* the slots; a partition's (join.c); the partition bits */
  cdrt_jslot *slot;
  const void **key, **val; /* per key; per column of the frame (those in vals) */
  void *owned;             /* the gathered columns, one block */
  int64_t ngroups, bytes;  /* bytes: charged to the memory limit */
} cdrt_join;
void cdrt_join_build(cdrt_join *j, const cdrt_frame *r, const cdrt_join_spec *sp);
void cdrt_join_free(cdrt_join *j);
/* keys that are not direct: their hash, its slot prefetched, the slot of keys k of hash h */
uint64_t cdrt_join_hash(const cdrt_join *j, const cdrt_jkey *k);
cdrt_jslot cdrt_join_find_hashed(const cdrt_join *j, const cdrt_jkey *k, uint64_t h);
__attribute__((always_inline, unused)) static inline void cdrt_join_prefetch(const cdrt_join *j,
                                                                             uint64_t h) {
  __builtin_prefetch(&j->slot[h >> j->shift], 0);
}
/* a float key as a direct tag: -0.0 as 0.0, every NaN one value */
__attribute__((always_inline, unused)) static inline int64_t cdrt_join_f64key(double x) {
  if (x != x) return INT64_C(0x7ff8000000000000);
  union {
    double f;
    int64_t i;
  } u = {x == 0 ? 0.0 : x};
  return u.i;
}
__attribute__((always_inline, unused)) static inline uint64_t cdrt_join_hash_i64(int64_t k) {
  return (uint64_t)k * 0x9e3779b97f4a7c15u;
}
/* The slot after slot at: the next in its partition, wrapping to the partition's first */
__attribute__((always_inline, unused)) static inline uint64_t cdrt_join_next(const cdrt_join *j,
                                                                             uint64_t at) {
  return (at & j->hi) | ((at + 1) & j->pmask);
}
/* The slot of direct key k (n 0: none) */
__attribute__((always_inline, unused)) static inline cdrt_jslot
cdrt_join_find_i64(const cdrt_join *j, int64_t k) {
  for (uint64_t at = cdrt_join_hash_i64(k) >> j->shift;; at = cdrt_join_next(j, at)) {
    cdrt_jslot s = j->slot[at];
    if (!s.n || s.tag == (uint64_t)k) return s;
  }
}
__attribute__((always_inline, unused)) static inline void cdrt_join_prefetch_i64(const cdrt_join *j,
                                                                                 int64_t k) {
  __builtin_prefetch(&j->slot[cdrt_join_hash_i64(k) >> j->shift], 0);
}

/* groupby.c: a block's groups: key tuples in a hash table, numbered in order of first
 * appearance; per aggregation an array of states (kinds CDRT_G_*), one per group. */
enum {
  CDRT_G_COUNT,
  CDRT_G_SUMI,
  CDRT_G_SUMF,
  CDRT_G_VAR,
  CDRT_G_PICKI,
  CDRT_G_PICKF,
  CDRT_G_PICKS,
  CDRT_G_VALI,  /* a group's values (median, nunique): int64 */
  CDRT_G_VALF,  /* the same of float64 */
  CDRT_G_CORR,  /* co-moments of the value and corr's other column */
  CDRT_G_CORRI, /* the same of two int64 or bool columns, in integers */
  CDRT_G_VARI,  /* var, std of an int64 or bool column, in integers */
  CDRT_G_SUMT,  /* sum, mean of timedeltas (mean of datetimes): exact, in 128 bits */
  CDRT_G_ADDI,  /* sum (not mean) of an int64 or bool column: the sum alone, 8 bytes */
  CDRT_G_ADDF   /* sum (not mean) of a float64 column: its exact sum alone (a cdrt_gx) */
};
#define CDRT_GB_MAXKEYS 8
typedef struct { /* a key: an int64, a bool, a float's bits (-0.0 as 0.0), or a string: its
                  * bytes s (n -1: missing), its first sixteen also in i and j, where they
                  * are compared without following s.p (cdrt_gkey_str) */
  int64_t i, j;
  cdrt_str s;
} cdrt_gkey;
/* Bytes [0, n) of p (n <= 8) as a word, byte b in bits 8b..8b+7, read without going past
 * p + n (a key may end the mapped file) */
static inline __attribute__((unused)) uint64_t cdrt_gkey_word(const char *p, int64_t n) {
  uint64_t w = 0;
  if (n >= 4) {
    uint32_t lo, hi;
    __builtin_memcpy(&lo, p, 4);
    __builtin_memcpy(&hi, p + (n >= 8 ? 4 : n - 4), 4);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    lo = __builtin_bswap32(lo), hi = __builtin_bswap32(hi);
#endif
    return lo | ((uint64_t)hi >> (8 * (8 - (n >= 8 ? 8 : n)))) << 32;
  }
  for (int64_t b = 0; b < n; b++) w |= (uint64_t)(unsigned char)p[b] << (8 * b);
  return w;
}
static inline __attribute__((unused)) cdrt_gkey cdrt_gkey_str(cdrt_str s) {
  cdrt_gkey k = {0, 0, s};
  if (!s.p) {
    k.s.n = -1;
    return k;
  }
  k.i = (int64_t)cdrt_gkey_word(s.p, s.n < 8 ? s.n : 8);
  if (s.n > 8) k.j = (int64_t)cdrt_gkey_word(s.p + 8, s.n < 16 ? s.n - 8 : 8);
  return k;
}
typedef struct {
  int64_t n;
  uint64_t s; /* wraps as NumPy's */
} cdrt_gsumi;
typedef struct {
  int64_t n;
  uint64_t s[2]; /* the sum: 128 bits, two's complement, low word first */
} cdrt_gsumt;
/* float sums, variances and co-moments: exact sums (cdrt_gx in the table's pool), so their
 * results do not depend on how the rows were split into blocks or ranks */
typedef struct {
  int64_t n;
  cdrt_gx m[1]; /* the values' sum */
} cdrt_gsumf;
enum { CDRT_GV_X, CDRT_GV_XXH, CDRT_GV_XXL, CDRT_GV_N };
typedef struct {
  int64_t n;
  double first;         /* a value, */
  uint8_t varied;       /* and whether another differs from it (a constant's var is 0) */
  cdrt_gx m[CDRT_GV_N]; /* the values' sum; their squares' (each as x*x, and its rounding error) */
} cdrt_gvar;
typedef struct { /* min, max, first, last of numbers */
  int64_t n;
  int64_t i;
  double f;
} cdrt_gpick;
typedef struct {
  int64_t n;
  cdrt_str s;
} cdrt_gpicks;
/* A group's present values in file order (8 bytes each: int64 or double). While a block is
 * scanned they go to its table's log (cdrt_gvlog: the group's id, the value), a sequential
 * store per row; at the block's end (cdrt_gb_seal) a counting sort gives each group one
 * chunk of them, carved from the table's value arena (cdrt_gb vblocks). A merge of tables
 * links the groups' chains of chunks instead of copying values. */
typedef struct cdrt_gchunk {
  struct cdrt_gchunk *next;
  int32_t n, cap;
  int64_t v[];
} cdrt_gchunk;
typedef struct {
  int64_t n, id; /* values; the group's id in its block's log */
  cdrt_gchunk *head, *tail;
} cdrt_gvals;
typedef struct {
  int64_t n, cap, ngroups; /* entries; groups given an id */
  int32_t *id;
  int64_t *v; /* (the block both lie in, of `bytes`) */
  int64_t bytes;
} cdrt_gvlog;
/* the pairs where neither value is missing: the sums of x, y, x^2, y^2 and x y (each
 * product as its rounding and its rounding error: the sums are exact). The errors' sums
 * last: of small integers they are 0, never touched, and their cache lines never read. */
enum {
  CDRT_GC_X,
  CDRT_GC_Y,
  CDRT_GC_XXH,
  CDRT_GC_YYH,
  CDRT_GC_XYH,
  CDRT_GC_XXL,
  CDRT_GC_YYL,
  CDRT_GC_XYL,
  CDRT_GC_N
};
typedef struct {
  int64_t n;
  double first[2];   /* a pair, */
  uint8_t varied[2]; /* and whether x, y took another value (a constant's r is NaN) */
  cdrt_gx m[CDRT_GC_N];
} cdrt_gcorr;
typedef struct {
  int nkeys;
  const unsigned char *ktypes;
  const char *const *knames;
  int naggs;
  const unsigned char *kinds;  /* CDRT_G_* */
  const unsigned char *what;   /* CDRT_AGG_* */
  const unsigned char *rtypes; /* the result's CDRT_COL_* */
  const char *const *anames;
  int64_t *hint; /* the most slots and dense entries a block's table of the result grew to:
                  * where new tables start (NULL, or two) */
} cdrt_gb_spec;
/* Groups are records in an array, in order of first appearance (group g at rec + g * stride:
 * no empty records, and the merge and the result read them in order); an open-addressed
 * index (linear probing, at most half full) finds them. A slot is 0 (empty) or the group's
 * number in its high 32 bits and a tag of its hash in the low 32 (cdrt_gb_tag: never 0): a
 * probe reads the record only when the tags agree. A record is its key tuple's hash when a
 * key is a string (numbers hash again in a few multiplies: q5's record is one cache line
 * without it), its keys (a string as a cdrt_gkey, its bytes copied into `bytes`; any other
 * key as 8 bytes), then each aggregation's state. A table of many groups (the db-benchmark's q10:
 * one per row) holds its records and a slot of 8 bytes per group, not a record's bytes per slot. */
typedef struct {
  const cdrt_gb_spec *spec;
  int64_t n;      /* groups */
  int64_t nslot;  /* slots: 0, or a power of two; records: room for nslot / 2 */
  int shift;      /* 64 - log2(nslot): a hash's top bits are its home slot */
  uint64_t *slot; /* nslot slots (from cdrt_table_take), and their bytes */
  size_t slot_bytes;
  char *rec;        /* the records (a block's from cdrt_table_take, the total's cdrt_map_grow) */
  size_t rec_bytes; /* what rec was allocated as */
  int64_t stride;   /* a record's bytes */
  int64_t *koff;    /* per key: where it lies in a record */
  int64_t *aoff;    /* per aggregation: where its state lies in a record */
  cdrt_bytes bytes; /* string keys' bytes */
  cdrt_gvlog *vlog; /* per aggregation: a block's values not yet sealed */
  void *vblocks;    /* the value lists' arena: blocks linked by their first word */
  char *vat, *vend; /* the free part of the newest block */
  int64_t vnext;    /* the next block's bytes (they double, up to 8 MB) */
  const char *what; /* "the groupby at x.lua:12", for the memory limit's message */
  int total;        /* the blocks' tables merged: its size is no hint for a block's table */
  size_t faulted;   /* a total's records: bytes faulted in ahead of the merge (cdrt_gb_prefault) */
  unsigned char map_lock; /* a total's: held while its records are moved or faulted in */
  cdrt_xpool spill;       /* the exact sums that outgrew their group's window */
  /* a table of one or two integer keys: per dense key (cdrt_gb_dense_key) in [0, ndense),
   * its group + 1 (0: none), so that a small key (the db-benchmark's id4: 1..100, id6:
   * 1..10^5) finds its group without a hash or a probe (NULL: other keys). It starts at
   * CDRT_GB_DENSE keys and doubles to cover a new key below CDRT_GB_DENSE_MAX while it
   * stays at most CDRT_GB_DENSE_SPARSE entries per group (gb_dense_cover): every group
   * whose dense key is below ndense is in it. */
  uint32_t *dense;
  int64_t ndense;
} cdrt_gb;
enum { CDRT_GB_DENSE = 4096, CDRT_GB_DENSE_MAX = 1 << 22, CDRT_GB_DENSE_SPARSE = 16 };
static inline __attribute__((unused)) char *cdrt_gb_rec(const cdrt_gb *t, int64_t g) {
  return t->rec + (size_t)g * (size_t)t->stride;
}
static inline __attribute__((unused)) void *cdrt_gb_state(const cdrt_gb *t, char *rec, int a) {
  return rec + t->aoff[a];
}
/* A key tuple's place in the dense index: one integer key is its own; two integer keys
 * (the db-benchmark's q6: id4, id5, both 1..100) are k0 * 2^10 + k1 when k1 is in [0, 2^10)
 * and k0 in [0, 2^40), else -1, a place no index covers (the tuple is hashed). Inline: with
 * the result's constant spec the emitted C folds it. */
enum { CDRT_GB_DENSE_BITS = 10 };
static inline __attribute__((unused)) int64_t cdrt_gb_dense_key(const cdrt_gb_spec *sp,
                                                                const cdrt_gkey *k) {
  if (sp->nkeys == 1) return k[0].i;
  if ((uint64_t)k[1].i >= (UINT64_C(1) << CDRT_GB_DENSE_BITS) || (uint64_t)k[0].i >> 40) return -1;
  return k[0].i << CDRT_GB_DENSE_BITS | k[1].i;
}
/* The group of dense key k (cdrt_gb_dense_key) if the index has it, else -1 (then hash and
 * find) */
static inline __attribute__((unused)) int64_t cdrt_gb_dense(const cdrt_gb *t, int64_t k) {
  return (uint64_t)k < (uint64_t)t->ndense ? (int64_t)t->dense[k] - 1 : -1;
}
/* As a row is read: -2 if the dense index covers key k (its entry fetched ahead, read once
 * the batch is full: in a big index it is a cache miss), else -1 (then hash and find) */
__attribute__((always_inline, unused)) static inline int64_t cdrt_gb_dense_ahead(const cdrt_gb *t,
                                                                                 int64_t k) {
  if ((uint64_t)k >= (uint64_t)t->ndense) return -1;
  __builtin_prefetch(&t->dense[k], 0);
  return -2;
}
/* Group g's record fetched ahead (a dense index's hit): in a table of many groups it is a
 * cache miss that the rest of the batch's lookups hide */
__attribute__((always_inline, unused)) static inline void cdrt_gb_prefetch_group(const cdrt_gb *t,
                                                                                 int64_t g) {
  if (t->n <= 256) return;
  const char *r = t->rec + (size_t)g * (size_t)t->stride;
  __builtin_prefetch(r, 1);
  if (t->stride > 64) __builtin_prefetch(r + t->stride - 1, 1);
}
/* A key tuple's hash, its low bit set (0 marks an empty slot). Inline: with the result's
 * constant spec the compiler unrolls it for the key types. */
static inline __attribute__((unused)) uint64_t cdrt_gb_hash(const cdrt_gb_spec *sp,
                                                            const cdrt_gkey *k) {
  uint64_t h = 0x243f6a8885a308d3u;
  for (int i = 0; i < sp->nkeys; i++) {
    uint64_t v = (uint64_t)k[i].i;
    if (sp->ktypes[i] == CDRT_COL_STR) { /* the two prefix words, the length, the rest */
      v = (v ^ (uint64_t)k[i].s.n) * 0x100000001b3u;
      v = (v ^ (uint64_t)k[i].j) * 0x9e3779b97f4a7c15u;
      v ^= v >> 29;
      for (int64_t j = 16; j < k[i].s.n; j += 8) {
        int64_t left = k[i].s.n - j;
        v = (v ^ cdrt_gkey_word(k[i].s.p + j, left < 8 ? left : 8)) * 0x9e3779b97f4a7c15u;
        v ^= v >> 29;
      }
    }
    h = (h ^ v) * 0xff51afd7ed558ccdu;
    h ^= h >> 32;
  }
  h *= 0xc4ceb9fe1a85ec53u;
  return (h ^ (h >> 29)) | 1;
}
/* A batched row's lookup fetched ahead in two steps (emit_rows.c): its home slot as the
 * row is read, then, once the batch is full and the slot is in cache, the record the slot
 * names if the tags agree. Always inlined: GCC 12 split such a function out of a big caller
 * into one of no side effects, whose calls it then deleted with the prefetches. */
__attribute__((always_inline, unused)) static inline void cdrt_gb_prefetch(const cdrt_gb *t,
                                                                           uint64_t h) {
  if (t->nslot) __builtin_prefetch(&t->slot[h >> t->shift], 0);
}
/* A slot's tag: its hash's high 32 bits, the lowest of them set (so a slot is never 0).
 * The high bits, not the low: a table grows by reading its old slots in order, each tag
 * giving the home slot again (h >> shift uses the high 64 - shift <= 31 bits), so it reads
 * no record and writes the new slots nearly in order (reading every record's hash and
 * writing a random slot for it was a cache miss per group: q10's total re-entered 10^7). */
static inline __attribute__((unused)) uint32_t cdrt_gb_tag(uint64_t h) {
  return (uint32_t)(h >> 32) | 1;
}
__attribute__((always_inline, unused)) static inline void cdrt_gb_prefetch_rec(const cdrt_gb *t,
                                                                               uint64_t h) {
  if (!t->nslot) return;
  uint64_t s = t->slot[h >> t->shift];
  if ((uint32_t)s != cdrt_gb_tag(h)) return;
  const char *r = cdrt_gb_rec(t, (int64_t)(s >> 32));
  __builtin_prefetch(r, 1);
  if (t->stride > 64) __builtin_prefetch(r + t->stride - 1, 1);
}
void cdrt_gb_init(cdrt_gb *t, const cdrt_gb_spec *spec);
void cdrt_gb_free(cdrt_gb *t);
/* The record of the group of keys k (hash h), added if new */
char *cdrt_gb_find_hashed(cdrt_gb *t, const cdrt_gkey *k, uint64_t h);
/* The hash of record r's keys (kept in it, or made again from numbers) */
uint64_t cdrt_gb_rec_hash(const cdrt_gb *t, const char *r);
/* Key i of record r: a short string's bytes lie in the record itself (valid while it is
 * neither moved nor freed) */
cdrt_gkey cdrt_gb_key(const cdrt_gb *t, const char *r, int i);
int64_t cdrt_f64_key(double x); /* a float key's bits (-0.0 as 0.0) */
static inline __attribute__((unused)) void cdrt_gsumf_add(cdrt_gsumf *a, double x, cdrt_xpool *p) {
  a->n++;
  cdrt_gx_add(&a->m[0], x, p);
}
/* x y - q exactly for q = x * y (barring underflow): an fma where the target has one, else
 * Dekker's product (a libm call three times a row costs more than these flops) */
static inline __attribute__((unused)) double cdrt_prod_err(double x, double y, double q) {
#if defined(__FMA__) || defined(__ARM_FEATURE_FMA)
  return __builtin_fma(x, y, -q);
#else
  if (__builtin_fabs(x) > 0x1p995 || __builtin_fabs(y) > 0x1p995) /* the split overflows */
    return __builtin_fma(x, y, -q);
  const double s = 134217729.0; /* 2^27 + 1: Veltkamp's split into halves of 26 bits */
  double cx = s * x, xh = cx - (cx - x), xl = x - xh;
  double cy = s * y, yh = cy - (cy - y), yl = y - yh;
  return ((xh * yh - q) + xh * yl + xl * yh) + xl * yl;
#endif
}
/* x y into the exact sums hi and lo, as its rounding and the rounding's error. Factors of
 * at most 26 significant bits each (small integers, short binary fractions) multiply
 * exactly: no error to compute or add. */
static inline __attribute__((unused)) void cdrt_gx_add_product(cdrt_gx *hi, cdrt_gx *lo, double x,
                                                               double y, cdrt_xpool *p) {
  double q = x * y;
  uint64_t bx, by;
  __builtin_memcpy(&bx, &x, 8), __builtin_memcpy(&by, &y, 8);
  cdrt_gx_add(hi, q, p);
  if ((bx | by) & 0x7ffffff) cdrt_gx_add(lo, cdrt_prod_err(x, y, q), p);
}
/* a state's note of a value: its first, and whether another differed */
static inline __attribute__((unused)) void cdrt_gnote(double *first, uint8_t *varied, int64_t n,
                                                      double x) {
  if (!n)
    *first = x;
  else if (x != *first)
    *varied = 1;
}
static inline __attribute__((unused)) void cdrt_gvar_add(cdrt_gvar *a, double x, cdrt_xpool *p) {
  cdrt_gnote(&a->first, &a->varied, a->n++, x);
  cdrt_gx_add(&a->m[CDRT_GV_X], x, p);
  cdrt_gx_add_product(&a->m[CDRT_GV_XXH], &a->m[CDRT_GV_XXL], x, x, p);
}
double cdrt_gvar_final(const cdrt_gvar *a, const cdrt_xpool *p, int what); /* var or std */
double cdrt_gcorr_final(const cdrt_gcorr *a, const cdrt_xpool *p);
/* the gx sums in state s of kind k (CDRT_G_SUMF, _ADDF, _VAR, _CORR; else none) */
int cdrt_gstate_sums(int kind, void *s, cdrt_gx **sums);
void cdrt_gpick_i64(cdrt_gpick *a, int what, int64_t x);
void cdrt_gpick_f64(cdrt_gpick *a, int what, double x);
void cdrt_gpick_str(cdrt_gpicks *a, int what, cdrt_str x);
/* x (an int64 or a double's bits) appended to a group's values; what: the table's, for the
 * memory limit's message */
/* A chunk of `room` values appended to a group's chain in table t's arena */
cdrt_gchunk *cdrt_gvals_chunk(cdrt_gvals *a, cdrt_gb *t, int64_t room);
void cdrt_gvlog_grow(cdrt_gvlog *l, const char *what);
/* x (an int64 or a double's bits) logged for a group's state s of aggregation a in table t */
static inline __attribute__((unused)) void cdrt_gvals_add(cdrt_gvals *s, int64_t x, cdrt_gb *t,
                                                          int a) {
  cdrt_gvlog *l = &t->vlog[a];
  if (!s->n++) s->id = l->ngroups++;
  if (l->n == l->cap) cdrt_gvlog_grow(l, t->what);
  l->id[l->n] = (int32_t)s->id, l->v[l->n++] = x;
}
static inline __attribute__((unused)) void cdrt_gvals_f64(cdrt_gvals *s, double x, cdrt_gb *t,
                                                          int a) {
  int64_t bits;
  __builtin_memcpy(&bits, &x, 8);
  cdrt_gvals_add(s, bits, t, a);
}
/* A block's table done: its logged values sorted into one chunk per group, in file order */
void cdrt_gb_seal(cdrt_gb *t);
static inline __attribute__((unused)) void cdrt_gcorr_add(cdrt_gcorr *a, double x, double y,
                                                          cdrt_xpool *p) {
  cdrt_gnote(&a->first[0], &a->varied[0], a->n, x);
  cdrt_gnote(&a->first[1], &a->varied[1], a->n++, y);
  cdrt_gx_add(&a->m[CDRT_GC_X], x, p);
  cdrt_gx_add(&a->m[CDRT_GC_Y], y, p);
  cdrt_gx_add_product(&a->m[CDRT_GC_XXH], &a->m[CDRT_GC_XXL], x, x, p);
  cdrt_gx_add_product(&a->m[CDRT_GC_YYH], &a->m[CDRT_GC_YYL], y, y, p);
  cdrt_gx_add_product(&a->m[CDRT_GC_XYH], &a->m[CDRT_GC_XYL], x, y, p);
}
/* corr of two int64 (or bool) columns: the same pairs' sums, exactly, in integers (a third
 * of cdrt_gcorr's size, and no rounding errors to add). Each sum is 128 bits, two's
 * complement, low word first (words: the state's records are 8-byte aligned); the sums of
 * products carry into a third word (2^63 products of 2^126 need 2^189), which data of
 * numbers below 2^63 never touch. A value past 2^53 is first rounded to a double, as
 * pandas' corr reads int64 columns: the sums are then those cdrt_gcorr makes, and so is r. */
typedef struct {
  int64_t n;
  double first[2];
  uint8_t varied[2];
  uint64_t s[CDRT_GC_XXL][2]; /* X, Y, XXH, YYH, XYH: the sums */
  int64_t carry[3];           /* the XX, YY and XY sums' third words */
} cdrt_gcorri;
static inline __attribute__((unused)) void cdrt_s128_add(uint64_t s[2], int64_t *carry,
                                                         __int128 v) {
  __int128 a, r;
  __builtin_memcpy(&a, s, 16);
  if (__builtin_add_overflow(a, v, &r)) *carry += v < 0 ? -1 : 1;
  __builtin_memcpy(s, &r, 16);
}
static inline __attribute__((unused)) void cdrt_gsumt_add(cdrt_gsumt *a, int64_t x) {
  int64_t none = 0; /* below 2^127 */
  a->n++, cdrt_s128_add(a->s, &none, x);
}
static inline __attribute__((unused)) __int128 cdrt_corri_value(int64_t x) {
  const int64_t big = INT64_C(1) << 53; /* past it, the double's value */
  return x > big || x < -big ? (__int128)(double)x : x;
}
static inline __attribute__((unused)) void cdrt_gcorri_add(cdrt_gcorri *a, int64_t x, int64_t y) {
  cdrt_gnote(&a->first[0], &a->varied[0], a->n, (double)x);
  cdrt_gnote(&a->first[1], &a->varied[1], a->n++, (double)y);
  __int128 u = cdrt_corri_value(x), v = cdrt_corri_value(y);
  int64_t none = 0; /* below 2^127 */
  cdrt_s128_add(a->s[CDRT_GC_X], &none, u);
  cdrt_s128_add(a->s[CDRT_GC_Y], &none, v);
  cdrt_s128_add(a->s[CDRT_GC_XXH], &a->carry[0], u * u);
  cdrt_s128_add(a->s[CDRT_GC_YYH], &a->carry[1], v * v);
  cdrt_s128_add(a->s[CDRT_GC_XYH], &a->carry[2], u * v);
}
void cdrt_gcorri_merge(cdrt_gcorri *a, const cdrt_gcorri *b);
double cdrt_gcorri_final(const cdrt_gcorri *a); /* cdrt_gcorr_final's r of the same pairs */
/* var and std of an int64 (or bool) column, as cdrt_gcorri: the sums of x and x^2 */
typedef struct {
  int64_t n;
  double first;
  uint8_t varied;
  uint64_t s[2][2]; /* X, XX */
  int64_t carry;    /* the XX sum's third word */
} cdrt_gvari;
static inline __attribute__((unused)) void cdrt_gvari_add(cdrt_gvari *a, int64_t x) {
  cdrt_gnote(&a->first, &a->varied, a->n++, (double)x);
  __int128 u = cdrt_corri_value(x);
  int64_t none = 0; /* below 2^127 */
  cdrt_s128_add(a->s[0], &none, u);
  cdrt_s128_add(a->s[1], &a->carry, u * u);
}
void cdrt_gvari_merge(cdrt_gvari *a, const cdrt_gvari *b);
double cdrt_gvari_final(const cdrt_gvari *a, int what); /* cdrt_gvar_final's, of the values */
/* b's groups after t's (b's value lists move to t: b is only fit to be freed after) */
void cdrt_gb_merge(cdrt_gb *t, cdrt_gb *b);
int cdrt_gb_spec_dense(const cdrt_gb_spec *sp); /* its tables keep a dense index */
/* By a thread waiting for the merge: the total's next records faulted in (1 if some were) */
int cdrt_gb_prefault(cdrt_gb *t);
/* The result: groups sorted by key (sort) or in order of first appearance; the keys as the
 * index (as_index) or as the first columns */
cdrt_frame *cdrt_gb_frame(cdrt_gb *t, int sort, int as_index, int series);
/* The same result, for dd.to_csv alone: its columns made a chunk at a time as the file is
 * written (cdrt_frame's fill), unless a column's format needs all of it first (datetimes)
 * or an aggregation of a group's values (median, nunique) is made better in parallel */
cdrt_frame *cdrt_gb_frame_written(cdrt_gb *t, int sort, int as_index, int series);
/* frame_ops.c: a groupby of collected rows by sorting them, for the aggregations that need
 * a group's values (median, nunique): f's columns are the keys, then one per aggregation
 * (for size, any); the result is as cdrt_gb_frame's */
typedef struct {
  int nkeys, naggs;
  const unsigned char *what;   /* CDRT_AGG_* */
  const unsigned char *rtypes; /* the result's CDRT_COL_* */
  const char *const *anames;
  int sort, as_index, dropna, series;
  const double *qs; /* each aggregation's q, where it is CDRT_AGG_QUANTILE */
} cdrt_group_spec;
cdrt_frame *cdrt_frame_groupby(const cdrt_frame *f, const cdrt_group_spec *spec);

/* pdformat.c: pandas' repr and to_csv */
void cdrt_pyrepr(double x, char *out); /* Python's repr of a float (32 bytes suffice) */
int cdrt_py_printable(uint32_t c);     /* whether Python's repr shows code point c >= 0x80 as is */
/* The code point at p (n bytes left; valid UTF-8), its length in *len */
uint32_t cdrt_utf8_at(const unsigned char *p, int64_t n, int *len);
/* Code point c in Python's repr of a str quoted by quote: its escape into t (12 bytes) and
 * its length, or 0 when it is shown as itself */
int cdrt_py_char_repr(uint32_t c, int quote, char *t);
void cdrt_value_print(FILE *out, const char *label, const cdrt_value *v);
void cdrt_frame_print(FILE *out, const char *label, const cdrt_frame *f);
struct cdrt_result_s;
/* pylist.c: "label = " and Python's repr of the list (or scalar) a bag's result is (kind:
 * CDRT_OUT_PYLIST, PYPAIRS, PYGROUPS or PYDICTS); with a shape (not NULL), each row of the
 * frame as the shape writes it: its bytes as they are but for CDRT_SHAPE_VALUE and a byte
 * k, column k - 1's value, and CDRT_SHAPE_SPLIT, k and n + 1, then n bytes sep: the list of
 * Python's split of column k - 1's str at sep (n 0: s.split()) */
enum { CDRT_SHAPE_VALUE = 1, CDRT_SHAPE_SPLIT = 2 };
void cdrt_pylist_print(FILE *out, const char *label, const struct cdrt_result_s *r, int kind,
                       const char *shape);
void cdrt_py_str_print(FILE *out, cdrt_str s); /* Python's repr of s (None if missing) */
int cdrt_frame_write_csv(cdrt_outfile *file, const cdrt_frame *f, char *err, size_t errlen);
/* textout.c: partition part of f (rows of (partition, str), or of str: partition 0) as
 * to_textfiles writes it, committed (or aborted on an error) */
int cdrt_textfile_write(cdrt_outfile *file, const cdrt_frame *f, int64_t part, int last_endline,
                        char *err, size_t errlen);
/* The directories path names between its first from bytes (the output directory, which
 * must exist) and its file, made where missing */
int cdrt_make_parent_dirs(const char *path, size_t from, char *err, size_t errlen);
/* A dataframe output's result: a scalar or a frame */
typedef struct cdrt_result_s {
  cdrt_value v;
  cdrt_frame *frame; /* NULL: v */
} cdrt_result;
/* categories.c: pandas' category dtype. The categories of a column: the distinct values of
 * value_counts frame vc (of the column over every row), sorted. */
cdrt_categories *cdrt_categories_make(const cdrt_frame *vc);
/* value_counts vc of a category: every category, zero counts too, counts descending, ties
 * in the categories' order */
cdrt_frame *cdrt_vc_categories(cdrt_frame *vc, const cdrt_categories *c);
/* A groupby result f (sorted, its nkeys keys categories cats[k], as the index when
 * as_index) with a row for every combination of categories, in their order: the rows of
 * combinations no row has get 0 (what SUM, COUNT, SIZE, NUNIQUE) or a missing value, the
 * columns the types rtypes (CDRT_COL_*: int64 made float64, bool str) */
cdrt_frame *cdrt_frame_observe(const cdrt_frame *f, int nkeys, const cdrt_categories *const *cats,
                               int as_index, const unsigned char *what,
                               const unsigned char *rtypes);
/* Column col of f is of the category dtype (printed with its categories) */
void cdrt_frame_categories(cdrt_frame *f, int col, const cdrt_categories *c);
/* value_counts of the computed Series s of categories c: every category's count (zeros
 * too), descending, ties in the categories' order; named count, indexed by s's name */
cdrt_frame *cdrt_frame_cat_counts(const cdrt_frame *s, const cdrt_categories *c);
/* to_array: the values of result r (a scalar, or a frame of numbers and bools) as a C-order
 * array of dtype t and the shape compiled in: a frame of another number of rows stops the
 * program (exit 3, at where, with why the shape is what it is) */
const void *cdrt_result_array(const cdrt_result *r, cdrt_dtype t, int ndim, const int64_t *shape,
                              const char *where, const char *why);
#endif

/* format.c: printing like NumPy's str(). */
/* Prints "label = value\n": scalars (ndim 0) with 17 significant digits (floats), integers
 * in full, bools as True/False; arrays as NumPy's str() does (summarised with "..." above
 * 1000 elements). */
void cdrt_print(FILE *out, const char *label, cdrt_dtype t, int ndim, const int64_t *shape,
                const void *data);

/* random.c: counter-based random numbers (Philox-4x32-10, Salmon et al. 2011).
 * Element g (the global row-major index in the generated array) of a random array
 * depends only on (seed, g): the same array for every chunking, stride, thread count and
 * CPU vector ISA. */
void cdrt_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]);
/* out[j] = value of element g0 + j*stride, for 0 <= j < n (stride may be 0 or negative). */
void cdrt_random_uniform_f64(double *out, uint64_t seed, int64_t g0, int64_t stride, int64_t n,
                             double low, double high);
void cdrt_random_normal_f64(double *out, uint64_t seed, int64_t g0, int64_t stride, int64_t n,
                            double loc, double scale);

/* vmath.c: transcendental functions over strips, vectorised with SLEEF's deterministic
 * ("cinz") functions, chosen at run time for the CPU. Every element gets the same bits
 * whatever n, its position, the alignment or the ISA. out may equal in. */
void cdrt_vsin_f64(double *out, const double *in, int64_t n);
void cdrt_vcos_f64(double *out, const double *in, int64_t n);
void cdrt_vtan_f64(double *out, const double *in, int64_t n);
void cdrt_vexp_f64(double *out, const double *in, int64_t n);
void cdrt_vlog_f64(double *out, const double *in, int64_t n);
void cdrt_vpow_f64(double *out, const double *x, const double *y, int64_t n);
void cdrt_vsin_f32(float *out, const float *in, int64_t n);
void cdrt_vcos_f32(float *out, const float *in, int64_t n);
void cdrt_vtan_f32(float *out, const float *in, int64_t n);
void cdrt_vexp_f32(float *out, const float *in, int64_t n);
void cdrt_vlog_f32(float *out, const float *in, int64_t n);
void cdrt_vpow_f32(float *out, const float *x, const float *y, int64_t n);
/* sincos of the same argument, used by the normal generator. */
void cdrt_vsincos_f64(double *s, double *c, const double *in, int64_t n);

/* vmath.c: which ISA runs each vector kernel. Every ISA gives the same bits, so each kernel
 * runs on the one measured fastest on this CPU (a calibration of well under 1 ms, once per
 * kernel), unless CDRT_VMATH_ISA=sse2|avx|avx512 forces one ("auto" or empty: measure). */
typedef enum {
  CDRT_VK_SIN_F64,
  CDRT_VK_COS_F64,
  CDRT_VK_TAN_F64,
  CDRT_VK_EXP_F64,
  CDRT_VK_LOG_F64,
  CDRT_VK_POW_F64,
  CDRT_VK_SINCOS_F64,
  CDRT_VK_SIN_F32,
  CDRT_VK_COS_F32,
  CDRT_VK_TAN_F32,
  CDRT_VK_EXP_F32,
  CDRT_VK_LOG_F32,
  CDRT_VK_POW_F32,
  CDRT_VK_RANDOM_UNIFORM, /* cdrt_random_uniform_f64 (its Philox kernel) */
  CDRT_VK_RANDOM_NORMAL,  /* cdrt_random_normal_f64 */
  CDRT_VK_COUNT
} cdrt_vkernel;
/* The bit of a kernel in cdrt_program.vkernels: CDRT_VK(LOG_F64) | CDRT_VK(RANDOM_NORMAL). */
#define CDRT_VK(NAME) (UINT32_C(1) << CDRT_VK_##NAME)
/* ISAs, narrowest first; CDRT_ISA_AVX means AVX2 for the random kernels. */
enum { CDRT_ISA_SSE2, CDRT_ISA_AVX, CDRT_ISA_AVX512, CDRT_NISAS };
const char *cdrt_vkernel_name(cdrt_vkernel k); /* "log_f64", "random_normal" */
const char *cdrt_isa_name(int isa);            /* "sse2", "avx", "avx512" */
/* The ISA kernel k runs on; chosen at the first call (measured, or forced). */
int cdrt_vmath_isa(cdrt_vkernel k);
/* At program start, before any thread: checks CDRT_VMATH_ISA (-1 with a message in err if it
 * is not a valid value for this CPU) and chooses the ISA of every kernel in `kernels` (bits
 * CDRT_VK), so that the calibration is not part of the run. */
int cdrt_vmath_setup(uint32_t kernels, char *err, size_t errlen);
/* After setup: "stats: ..." lines (the CPU, the ISA of each kernel, the calibration's time),
 * and the members the manifest gains: "cpu", "vmath_choice" and "vmath_isa" (kernel -> ISA). */
void cdrt_vmath_stats(FILE *out);
void cdrt_vmath_manifest(FILE *out);
/* The CPU's model name (cpuid brand string, else /proc/cpuinfo), or "unknown". */
void cdrt_cpu_model(char *buf, size_t n);
/* s as a JSON string: quoted; quote, backslash, control and non-ASCII bytes escaped. */
void cdrt_json_write_string(FILE *out, const char *s);
/* random.c, for the calibration: n (<= 512) values of kernel k (RANDOM_*) on the given ISA. */
void cdrt_random_kernel(cdrt_vkernel k, int isa, double *out, int n);

/* reduce.c: pairwise combination, as NumPy's pairwise summation. */
double cdrt_pairwise_sum_f64(const double *v, int64_t n);
float cdrt_pairwise_sum_f32(const float *v, int64_t n);
double cdrt_pairwise_prod_f64(const double *v, int64_t n);
float cdrt_pairwise_prod_f32(const float *v, int64_t n);

/* Helpers used by generated code; unused ones must not warn in the amalgamation. */
#define CDRT_INLINE static inline __attribute__((unused))

/* program.c: the driver of a generated program. */
typedef struct {
  const char *path; /* as the script named it, relative to the working directory */
  cdrt_dtype dtype;
  int ndim;
  int64_t shape[CDRT_MAXDIM]; /* C-order shape of the stored data */
  int fortran;
  int fd;              /* open at run time: inputs are streamed, never mapped whole */
  int64_t data_offset; /* where the elements start in the file */
  /* to_array: the values of a dataframe result, set once the scans ran (path: what made
   * it, for messages); no file */
  int table;
  const void *mem;
} cdrt_input;

typedef struct {
  const char *name; /* e.g. "t12_mean" */
  cdrt_dtype dtype;
  int ndim;
  int64_t shape[CDRT_MAXDIM];
  void *data;        /* allocated at run time */
  const char *where; /* the line of the script that made it */
} cdrt_buffer;

/* FRAME and CSV: a dataframe result (buffer indexes cdrt_program.results), printed or
 * written as pandas does */
/* CDRT_OUT_TABLE: an array a from_arrays frame reads (kept to the end, written nowhere);
 * CDRT_OUT_FRAME_NPY: a dataframe result written by dd.to_npy; CDRT_OUT_PYLIST: a bag's
 * result printed by db.print as Python's list (pylist.c), CDRT_OUT_PYPAIRS with the index
 * as each tuple's first item, CDRT_OUT_PYGROUPS of (key, [values]) pairs (the rows' first
 * column the key, the groups in the keys' first appearance) */
typedef enum {
  CDRT_OUT_NPY,
  CDRT_OUT_PRINT,
  CDRT_OUT_FRAME,
  CDRT_OUT_CSV,
  CDRT_OUT_TABLE,
  CDRT_OUT_FRAME_NPY,
  CDRT_OUT_PYLIST,
  CDRT_OUT_PYPAIRS,
  CDRT_OUT_PYGROUPS,
  CDRT_OUT_TEXT,       /* a bag's partition part written by to_textfiles (textout.c) */
  CDRT_OUT_PYDICTS,    /* a bag of JSON records printed by db.print as Python's dicts: each
                        * row the record's repr (CDRT_JSON_RECORD) */
  CDRT_OUT_PYRECGROUPS /* CDRT_OUT_PYGROUPS of records: each value the record's repr */
} cdrt_output_kind;
typedef struct {
  cdrt_output_kind kind;
  const char *name; /* file (relative to --out) or label */
  int buffer;
  const char *where; /* "pipeline.lua:12" */
  int64_t part;      /* CDRT_OUT_TEXT: the partition */
  int last_endline;  /* CDRT_OUT_TEXT: a "\n" after the last string */
  const char *shape; /* CDRT_OUT_PYLIST: each row as Python's tuple, list or dict (pylist.c) */
} cdrt_output;

/* The hooks of da.callbacks (cdask_kernel.h documents them); any may be NULL. */
struct cdask_task;
typedef struct cdrt_callbacks {
  void (*start)(int64_t ntasks, int nthreads);
  void (*pretask)(const struct cdask_task *t);
  void (*posttask)(const struct cdask_task *t, double sec);
  void (*finish)(double sec, int errored);
} cdrt_callbacks;

/* A group's tasks, for diagnostics (diag.c): its tiles (the cells of the chunk grid meeting
 * [lo, hi)), then, for a reduction, its combine steps, for an FFT, its transform. */
typedef struct {
  const char *name;  /* "g2:mean" */
  const char *where; /* the line of its sink, "pipeline.lua:18" */
  int64_t tiles, combines, transforms;
  int ndim; /* of the tile grid; 0: tiles without a box (a delayed task) */
  const int64_t *lo, *hi, *chunk;
  int64_t bytes_read, bytes_written; /* per element: its leaf inputs' and its output's */
} cdrt_group;

typedef struct {
  const char *script;
  const char *manifest;
  int ninputs;
  cdrt_input *inputs;
  int nbuffers;
  cdrt_buffer *buffers;
  int noutputs;
  const cdrt_output *outputs;
  void (*run)(void);
  int64_t memory_limit;   /* cdaskc --memory-limit: bytes, NONE or DEFAULT; the program's
                           * --memory-limit overrides it */
  int64_t peak_bytes;     /* the most the buffers hold at once (cdaskc's memory plan) */
  const char *fft_wisdom; /* FFTW wisdom from cdaskc --fft-wisdom, or NULL */
  uint32_t vkernels;      /* the vector kernels the program calls: CDRT_VK() bits */
  const struct cdrt_callbacks *callbacks; /* da.callbacks, or NULL */
  int ngroups;                            /* the group table, for diagnostics (diag.c) */
  const cdrt_group *groups;
  int64_t ntasks;                /* every group's tasks */
  struct cdrt_result_s *results; /* dataframe results (CDRT_OUT_FRAME, CDRT_OUT_CSV) */
} cdrt_program;

/* A buffer's memory, allocated when its group starts writing it and freed after the
 * last group that reads it (the generated gK_run functions call these). */
double cdrt_buffer_bytes(const cdrt_buffer *b);
void cdrt_buffer_alloc(cdrt_buffer *b);
/* The same, never zeroed (under MPI cdrt_buffer_alloc zeroes for the OR completion): for
 * arrays whose every byte a rank reads is written there or received (emit_group.c). */
void cdrt_buffer_alloc_raw(cdrt_buffer *b);
void cdrt_buffer_free(cdrt_buffer *b);
/* In place: b takes the memory of donor, which dies now (its tiles still read it through
 * donor->data until cdrt_buffer_forget, after them). */
void cdrt_buffer_take(cdrt_buffer *b, const cdrt_buffer *donor);
void cdrt_buffer_forget(cdrt_buffer *donor);

/* The memory limit of a program: compiled in by cdaskc --memory-limit, or decided where
 * the program runs (75% of that machine's memory). */
#define CDRT_MEMORY_LIMIT_DEFAULT INT64_C(-1) /* decided at run time */
#define CDRT_MEMORY_LIMIT_NONE INT64_C(0)     /* "--memory-limit none" */
/* --memory-limit SIZE or none, for cdaskc and the program: SIZE is "512M", "4G", "1.5G",
 * "1000000" (K, M, G, T: powers of 1024, optionally followed by B or iB; rounded down to a
 * whole byte), at least one byte and under 2^63. Returns 0 and sets *limit, or -1 with
 * the reason in err (zero, negative, under one byte, too large, not a size). */
int cdrt_parse_memory_limit(const char *s, int64_t *limit, char *err, size_t errlen);
/* 75% of this machine's physical memory, or CDRT_MEMORY_LIMIT_NONE if it is unknown. */
int64_t cdrt_machine_memory_limit(void);
void cdrt_format_bytes(char *buf, size_t n, double bytes); /* "6.40 GB" */

int cdrt_main(int argc, char **argv, const cdrt_program *p);
/* Reads elements o + j*c (0 <= j < n) of an input, in its C order, into out. */
void cdrt_input_read(const cdrt_input *in, void *out, int64_t o, int64_t c, int64_t n);
/* What the run did, for --stats: counted with relaxed atomics (once per strip or tile). */
typedef struct {
  int64_t tiles;              /* tile functions run */
  int64_t random_elements;    /* random numbers generated */
  int64_t blocks, blocks_all; /* --mpi: dataframe blocks this rank scanned, of the sources' */
} cdrt_counters;
extern cdrt_counters cdrt_stats;
CDRT_INLINE void cdrt_stat_add(int64_t *c, int64_t n) {
  __atomic_fetch_add(c, n, __ATOMIC_RELAXED);
}
/* mpi.c and mpi_exchange.c (only with CDRT_WITH_MPI, programs built by cdaskc --mpi): the
 * ranks share every group's tiles, rank r running tiles [r*n/P, (r+1)*n/P) of n (contiguous
 * runs). A plain store group then sends each rank the parts its readers read
 * (cdrt_mpi_gather_needs); an FFT's transform works in slabs (fft.c); the other groups'
 * arrays are zeroed first on every rank and or-ed together (cdrt_mpi_complete, MPI_BOR): as
 * every byte is written by one tile, every rank gets the single-node program's bits.
 * Buffers are allocated on every rank. Without MPI: 1 rank. */
typedef struct {
  int64_t lo, hi; /* tiles [lo, hi) */
} cdrt_range;
/* What this rank's exchanges moved, per group: bytes sent and received (a collective counts
 * its nominal volume: a ring allreduce of n bytes 2n(P-1)/P each way, a broadcast n to each
 * receiving rank, sent by the root) and seconds spent in MPI. The generated gK_run calls
 * cdrt_mpi_group(K) first: the exchanges after it are group K's. */
typedef struct {
  int64_t sent, received;
  double seconds;
} cdrt_mpi_traffic;
#ifdef CDRT_WITH_MPI
void cdrt_mpi_init(int *argc, char ***argv);
int cdrt_mpi_rank(void);
int cdrt_mpi_size(void);
int cdrt_mpi_node_size(void);              /* the ranks on this machine (MPI_COMM_TYPE_SHARED) */
cdrt_range cdrt_mpi_tiles(int64_t n);      /* this rank's share of n tiles */
cdrt_range cdrt_mpi_root_tiles(int64_t n); /* all on rank 0, none elsewhere (effects) */
/* every rank's copy of data made one: or-ed bytes (and-ed when ones is set: the bytes
 * nobody wrote were all ones, as argmin's index partials) */
void cdrt_mpi_complete(void *data, int64_t bytes, int ones);
void cdrt_mpi_bcast(void *data, int64_t bytes); /* rank 0's bytes everywhere */
void cdrt_mpi_share(cdrt_buffer *b); /* rank 0's buffer everywhere (allocated where absent) */
int cdrt_mpi_max(int v);             /* the largest v of all ranks */
cdrt_range cdrt_mpi_part(int64_t n, int rank); /* rank's share [n*r/P, n*(r+1)/P) of n */
/* The planned exchange of a stored array (compiler/emit_exchange.c): the parts of it each
 * rank's reading tiles need, as boxes (or all of it). */
typedef struct {
  int ndim; /* of the array */
  int all;
  int64_t n, cap;
  int64_t *lohi; /* box i: lo at lohi[2 i MAXDIM], hi CDRT_MAXDIM after */
} cdrt_needs;
void cdrt_need_all(cdrt_needs *nd);
void cdrt_need_box(cdrt_needs *nd, const int64_t *lo, const int64_t *hi); /* [lo, hi) */
/* The bounding box of the image of the box [lo, hi) of a reader's domain (nout axes) under
 * index -> a index + off (a: ndim rows of nout). */
void cdrt_need_affine(cdrt_needs *nd, int nout, const int64_t *lo, const int64_t *hi,
                      const int64_t *a, const int64_t *off);
/* After a group's tiles (rank r wrote tiles cdrt_mpi_part(ntiles, r) of the chunk grid over
 * [blo, bhi)): every rank receives, from the ranks that wrote them, the parts of the
 * array that needs(its rank) names, one message per tile, and nothing else. */
void cdrt_mpi_gather_needs(void *data, int ndim, const int64_t *shape, size_t es,
                           const int64_t *blo, const int64_t *bhi, const int64_t *chunk,
                           int64_t ntiles, void (*needs)(int rank, cdrt_needs *nd));
/* Instead, for a group cheaper to compute than to send (it reads input files and generators only):
 * the tiles this rank computes itself, those that meet what needs(this rank) names (and a tile
 * nobody needs, on the rank cdrt_mpi_part gives it); *count of them in increasing order,
 * free() the array. Each is reported once: as t by the lowest rank computing it, as ~t (<
 * 0: cdrt_task_quiet runs it unreported) by the others. */
int64_t *cdrt_mpi_needed_tiles(int ndim, const int64_t *blo, const int64_t *bhi,
                               const int64_t *chunk, int64_t ntiles,
                               void (*needs)(int rank, cdrt_needs *nd), int64_t *count);
/* The same from slabs along `axis` (rank r holds its part of that axis, cdrt_mpi_reslab):
 * one message per pair of ranks, the bounding box of what the receiver needs. */
void cdrt_mpi_slab_needs(void *data, int ndim, const int64_t *shape, size_t es, int axis,
                         void (*needs)(int rank, cdrt_needs *nd));
/* Tasks that make a tile and its mirror tile pair(t) do the work where pair(t) >= t: this
 * rank's share of those tasks, each followed by its mirror's (which returns at once, but
 * is counted and reported like any task); *count of them, free() the array. */
int64_t *cdrt_mpi_pairs(int64_t n, int64_t (*pair)(int64_t), int64_t *count);
/* A C-order array (es bytes per element) laid out in slabs: rank r holds its part
 * (cdrt_mpi_part) of axis `from`, all of the other axes (from -1: everything). Afterwards
 * it holds its part of axis `to` (to -1: everything), received from the ranks that held it
 * by point-to-point messages (an all-to-all transpose, or an allgather for -1). */
void cdrt_mpi_reslab(void *data, int ndim, const int64_t *shape, size_t es, int from, int to);
/* The same from the tiles the ranks wrote (rank r: tiles cdrt_mpi_part(ntiles, r) of the
 * chunk grid over [blo, bhi), see cdrt_tile_box) to slabs along `to` (-1: everything). */
void cdrt_mpi_gather_tiles(void *data, int ndim, const int64_t *shape, size_t es,
                           const int64_t *blo, const int64_t *bhi, const int64_t *chunk,
                           int64_t ntiles, int to);
/* mpi_output.c: a .npy output written by every rank, its rows of axis 0 each, into rank 0's
 * temporary file, when every rank sees that file (a shared directory). Before the run, on
 * every rank, for each .npy output (f: rank 0's, opened; its ndim): decides. */
void cdrt_mpi_output_probe(int noutputs, int output, const cdrt_outfile *f, int ndim);
int cdrt_mpi_output_split(int output); /* every rank writes its rows of it */
/* gK_needs of an output's array: this rank's rows when it is split, else all on rank 0 */
void cdrt_need_output(cdrt_needs *nd, int rank, int output, const int64_t *shape);
/* After the run, on every rank in the same order, for a split output (f: rank 0's): rank 0
 * makes the file and writes the header, each rank its rows, rank 0 commits once all did.
 * 0; -1 with this rank's "cannot write PATH: why" in err; -2 when another rank failed (that
 * rank says why). Nothing is left unless every rank wrote. */
int cdrt_mpi_output_write(int output, cdrt_outfile *f, cdrt_dtype t, int ndim, const int64_t *shape,
                          const void *data, char *err, size_t errlen);
void cdrt_mpi_traffic_init(int ngroups); /* before the run (program.c) */
void cdrt_mpi_group(int group);
const cdrt_mpi_traffic *cdrt_mpi_traffic_of(int group);              /* NULL: no such group */
void cdrt_mpi_count(int64_t sent, int64_t received, double seconds); /* the current group's */
void cdrt_mpi_abort(int code);             /* every rank stops (after cdrt_mpi_init) */
_Noreturn void cdrt_mpi_await_abort(void); /* not rank 0: rank 0 stops every rank */
void cdrt_mpi_finalize(void);
/* diagnostics on every rank: a barrier (the ranks' clocks start together), and every
 * rank's bytes gathered to rank 0 (its block, malloc'd, with each rank's size in sizes[P];
 * NULL elsewhere) */
void cdrt_mpi_barrier(void);
char *cdrt_mpi_gather(const void *data, int64_t bytes, int64_t *sizes);
/* every group's traffic, then the exchanges' outside any group (ngroups + 1), or NULL */
const cdrt_mpi_traffic *cdrt_mpi_traffic_all(void);
#else
CDRT_INLINE int cdrt_mpi_rank(void) {
  return 0;
}
CDRT_INLINE int cdrt_mpi_size(void) {
  return 1;
}
CDRT_INLINE int cdrt_mpi_node_size(void) {
  return 1;
}
CDRT_INLINE int cdrt_mpi_max(int v) {
  return v;
}
CDRT_INLINE const cdrt_mpi_traffic *cdrt_mpi_traffic_of(int group) {
  (void)group;
  return 0;
}
#endif
#if defined(CDRT_WITH_CSV) && defined(CDRT_WITH_MPI)
/* mpi_tables.c: a dataframe scan on several ranks. Each rank scans its blocks
 * (cdrt_mpi_tiles of the source's blocks). As each ends, cdrt_mpi_pack_block packs its
 * records (rows, bad lines, first error, warnings) and partial results (xfer: the scan's
 * cd_scanS_xfer, calling cdrt_xfer_* on each field of cd_spartS), and the scan frees them;
 * cdrt_mpi_share_blocks then sends every rank's blocks to every rank; each block is
 * unpacked into its slot (cdrt_mpi_unpack_block, a groupby's just before its merge) and
 * merged in block order as one process does. Strings unpacked point into the received
 * bytes, kept until the program ends. */
typedef struct {
  int unpack;           /* 0: packing into data; 1: unpacking from [at, end) */
  char *data;           /* packing: the bytes so far */
  int64_t n, cap;       /* their count and room */
  const char *at, *end; /* unpacking: the bytes left */
} cdrt_xfer;
void cdrt_xfer_i64(cdrt_xfer *x, int64_t *v);
void cdrt_xfer_str(cdrt_xfer *x, cdrt_str *s);
void cdrt_xfer_agg(cdrt_xfer *x, cdrt_agg *a);
void cdrt_xfer_vc(cdrt_xfer *x, cdrt_vc *t);
void cdrt_xfer_rows(cdrt_xfer *x, cdrt_rows *r);
void cdrt_xfer_gb(cdrt_xfer *x, cdrt_gb *t);
/* a block's top-n table and the rows it keeps (packing decides its waiting rows first) */
void cdrt_xfer_topn(cdrt_xfer *x, cdrt_topn *t, cdrt_rows *rows);
typedef struct { /* a source's blocks as bytes */
  int64_t nb;
  cdrt_xfer *mine; /* per block: packed on this rank (until shared) */
  const char **at; /* per block: its bytes, once shared */
  int64_t *len;
  char *bytes; /* every rank's, received */
} cdrt_block_bytes;
void cdrt_mpi_blocks_init(cdrt_block_bytes *x, int64_t nb);
void cdrt_mpi_pack_block(cdrt_block_bytes *x, cdrt_csv_source *s, int64_t b, void *part,
                         void (*xfer)(cdrt_xfer *, void *));
void cdrt_mpi_share_blocks(cdrt_block_bytes *x); /* on every rank, after its blocks */
void cdrt_mpi_unpack_block(cdrt_block_bytes *x, cdrt_csv_source *s, int64_t b, void *part,
                           void (*xfer)(cdrt_xfer *, void *));
#endif
/* Exits with a message and the given code; never returns. */
_Noreturn void cdrt_fatal(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same for an error of the data that every rank meets at the same point (--mpi: the
 * frames made after the scans, from the same rows on every rank): rank 0 says it and stops
 * every rank, the others wait for it, so it is said once. Not for an error one rank can
 * meet alone (a file, memory): the others would wait for rank 0, which goes on. */
_Noreturn void cdrt_fatal_all(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* alloc.c: exits with CDRT_EXIT_MEMORY on failure; big blocks get transparent huge pages
 * (this VM's first touch of 4 KB pages is slow). Released with free(). */
void *cdrt_alloc(size_t bytes, const char *what);
/* The same from 2 MB on: memory that is written once, all of it (a block's value lists) */
void *cdrt_alloc_huge(size_t bytes, const char *what);
void cdrt_alloc_policy(void); /* malloc's thresholds, set once as the program starts */
void *cdrt_malloc(size_t bytes);
void *cdrt_calloc(size_t n, size_t size);
/* table_pool.c (with CDRT_WITH_CSV): a hash table's memory, zeroed, charged to the memory
 * limit (what: for its message); *got: the bytes to give back, maybe more than asked.
 * Given back, a big one is kept for the next table until the scan drains the pool.
 * cdrt_table_take_raw: the same, not zeroed (for arrays written before they are read). */
void *cdrt_table_take(size_t bytes, size_t *got, const char *what);
void *cdrt_table_take_raw(size_t bytes, size_t *got, const char *what);
void cdrt_table_give(void *p, size_t bytes);
void cdrt_table_pool_drain(void);
/* *hint = max(*hint, v), by any thread: a table's (or log's) size hint for the next block's,
 * which only saves growing steps (no result depends on it) */
void cdrt_hint_raise(int64_t *hint, int64_t v);
void *cdrt_realloc(void *p, size_t bytes);
/* A block that grows without being copied: a mapping of its own, with huge pages as
 * cdrt_alloc's; *bytes: its size (p NULL: none yet), then the new one, at least want */
void *cdrt_map_grow(void *p, size_t *bytes, size_t want, const char *what);
void cdrt_map_free(void *p, size_t bytes);
/* [p, p + bytes) of such a mapping faulted in without a byte changed (MADV_POPULATE_WRITE):
 * 0 if the kernel cannot (before Linux 5.14) */
int cdrt_map_populate(void *p, size_t bytes);
/* The dataframe scans' growing state (groupby tables, value counts, collected rows and the
 * frames merged from them) counted against --memory-limit: what the limit leaves after the
 * memory plan's peak (set by prog_check_memory before any work; a limit <= 0: none). A
 * charge past it stops the program (exit 5) naming `what` ("the groupby at x.lua:12"). */
void cdrt_state_set_budget(int64_t limit, int64_t planned);
void cdrt_state_charge(int64_t bytes, const char *what);
void cdrt_state_refund(int64_t bytes);
/* How many tasks a taskloop over n tiles should make: libgomp runs a taskloop of more
 * than 64 tasks per thread undeferred (serially), so tiles are grouped above 32 per thread. */
int64_t cdrt_num_tasks(int64_t n);
/* The box [lo, hi) of tile t: the tiles are the cells of the regular chunk grid that meet
 * the box [blo, bhi), in row-major order, clipped to it. */
void cdrt_tile_box(int64_t t, int ndim, const int64_t *blo, const int64_t *bhi,
                   const int64_t *chunk, int64_t *lo, int64_t *hi);

/* The same without counting it in --stats (diagnostics: a task's box). */
void cdrt_tile_cell(int64_t t, int ndim, const int64_t *blo, const int64_t *bhi,
                    const int64_t *chunk, int64_t *lo, int64_t *hi);

/* diag.c: what a run records for --progress, --profile, --resources, --memory-profile and
 * da.callbacks. Every task of a program runs through cdrt_task: with none of these on, one
 * predictable branch and a direct call (the function is a constant once inlined). */
typedef enum {
  CDRT_TASK_TILE,      /* index: the tile */
  CDRT_TASK_COMBINE,   /* index: the block of outputs a reduction's combine step makes */
  CDRT_TASK_TRANSFORM, /* an FFT group's transform, index 0 */
  CDRT_TASK_DELAYED,   /* a delayed call, index 0 (arg: its row) */
} cdrt_task_kind;
extern int cdrt_diag_on; /* set once before the run */
void cdrt_diag_task(cdrt_task_kind kind, int group, int64_t index, void (*fn)(int64_t),
                    int64_t arg);
CDRT_INLINE void cdrt_task(int group, int64_t t, void (*fn)(int64_t)) {
  if (__builtin_expect(cdrt_diag_on, 0))
    cdrt_diag_task(CDRT_TASK_TILE, group, t, fn, t);
  else
    fn(t);
}
/* --mpi, a tile that several ranks compute (cdrt_mpi_needed_tiles): t >= 0 runs as a task;
 * ~t, the same tile computed again here, runs unreported and uncounted (cdrt_quiet), so
 * that the trace, the hooks and --stats count each tile of the program once. */
extern _Thread_local int cdrt_quiet;
CDRT_INLINE void cdrt_task_shared(int group, int64_t t, void (*fn)(int64_t)) {
  if (t >= 0) {
    cdrt_task(group, t, fn);
  } else {
    cdrt_quiet = 1;
    fn(~t);
    cdrt_quiet = 0;
  }
}
/* Another kind of task: fn(arg) recorded as task `index` of that kind. */
CDRT_INLINE void cdrt_task_of(cdrt_task_kind kind, int group, int64_t index, void (*fn)(int64_t),
                              int64_t arg) {
  if (__builtin_expect(cdrt_diag_on, 0))
    cdrt_diag_task(kind, group, index, fn, arg);
  else
    fn(arg);
}
/* One recorded task: its kind, group and index, when it ran (seconds since the run began)
 * and on which thread. */
typedef struct {
  double start, end;
  int64_t index;
  int32_t group;
  int16_t kind, thread;
} cdrt_task_event;
/* One buffer's life (its first allocation; free_s < 0: alive at the end). */
typedef struct {
  double alloc_s, free_s;
  int allocated;
} cdrt_buffer_life;
typedef struct {
  double t, rss_mb, cpu_percent, plan_mb;
} cdrt_sample;
/* One rank's part of a run under --mpi, gathered to rank 0 for the trace and the report. */
typedef struct {
  int rank, nthreads;
  double duration, peak_rss_bytes;
  int64_t tiles; /* --stats' tile count */
  int64_t nevents;
  const cdrt_task_event *events;   /* sorted by start */
  const cdrt_mpi_traffic *traffic; /* per group, then the exchanges outside any group */
} cdrt_rank_record;
/* Everything recorded, for the writers (trace.c). */
typedef struct {
  const cdrt_program *p;
  int nthreads;
  double duration;
  int64_t nevents;
  cdrt_task_event *events; /* sorted by start */
  cdrt_buffer_life *lives; /* one per buffer */
  double peak_bytes_observed;
  double peak_rss_bytes;
  int nsamples;
  const cdrt_sample *samples;
  /* --mpi: every rank's part (rank 0 writes one trace, pid = rank); 0 and NULL without */
  int nranks;
  const cdrt_rank_record *ranks;
  int64_t progress_tasks; /* the tasks rank 0's bar counted at the end, all ranks' */
} cdrt_record;
/* Before the run: record tasks (and buffers) for nthreads threads; call hooks (may be
 * NULL). Turns cdrt_diag_on on. */
void cdrt_diag_start(const cdrt_program *p, int nthreads, int record);
/* Seconds since cdrt_diag_start (CLOCK_MONOTONIC); 0 before. */
double cdrt_diag_now(void);
int64_t cdrt_diag_done(void); /* tasks finished so far */
/* The tasks of all ranks finished so far, as rank 0 knows them: its own, plus, for every
 * group before the latest one it ran a task of (all ranks' tiles of those are done: their
 * exchanges completed), the group's tasks it did not run itself. One rank: cdrt_diag_done. */
int64_t cdrt_diag_done_all(void);
/* The run's end: every group is done (cdrt_diag_done_all then counts the program's tasks). */
void cdrt_diag_groups_done(void);
/* After the run: the hooks' finish, the events gathered into r (freed by cdrt_diag_free). */
void cdrt_diag_finish(cdrt_record *r, int errored);
void cdrt_diag_free(cdrt_record *r);
/* The run stops on an error (cdrt_fatal): the bar's last draw and the finish hook, errored. */
void cdrt_diag_fail(void);
/* The key of a task, "g2:mean:3", "g2:mean:combine:0", into buf. */
void cdrt_task_key(char *buf, size_t n, const cdrt_group *g, cdrt_task_kind kind, int64_t index);
/* buffer.c's events: buffer b born (alive 1) or dying now; and the plan's bytes alive now. */
void cdrt_diag_buffer(const cdrt_buffer *b, int alive);
double cdrt_buffer_live_bytes(void);

/* progress.c: --progress, Dask's ProgressBar on stderr. */
/* Dask's format_time: "1.20 s", "12.34 ms", "123.45 us", "20m 34s", "3hr 25m", "14d 6hr". */
void cdrt_format_time(char *buf, size_t n, double seconds);
/* "[####    ] | 10% Completed | 1.20 s" (40 columns) for frac in [0, 1]. */
void cdrt_progress_line(char *buf, size_t n, double frac, double elapsed);
/* Starts the thread redrawing the bar every 0.1 s after `minimum` seconds (redrawn with \r
 * on a terminal, else a line per 10%); the end draws 100% unless errored (nothing at all
 * when the run was shorter than minimum). */
void cdrt_progress_start(int64_t ntasks, double minimum);
void cdrt_progress_end(int errored);

/* resources.c: --resources, Dask's ResourceProfiler: a thread sampling RSS and CPU every dt
 * seconds, one sample at the start and one at the end. */
void cdrt_resources_start(double dt);
/* Stops the sampler (the last sample taken); the samples, valid until exit. */
const cdrt_sample *cdrt_resources_end(int *n);

/* ranks.c (--mpi): every rank's part of r (its events, threads, tiles, traffic) gathered to
 * rank 0, into r->ranks (every rank calls it; nothing changes elsewhere); freed by
 * cdrt_ranks_free. */
#ifdef CDRT_WITH_MPI
void cdrt_ranks_gather(cdrt_record *r, int64_t tiles);
void cdrt_ranks_free(cdrt_record *r);
#endif

/* trace.c: the files written from a record. */
/* The Chrome trace of --profile (arg: the cdrt_record). */
void cdrt_trace_write(FILE *out, void *arg);
/* --memory-profile: "name\tline\tbytes\talloc_s\tfree_s" lines. */
void cdrt_memory_profile_write(FILE *out, void *arg);
/* --resources: "time_s\trss_mb\tcpu_percent" lines. */
void cdrt_resources_write(FILE *out, void *arg);

/* halo.c: the blocks of map_blocks and map_overlap (a G_BLOCK group's tiles). A tile is
 * one output block: its inputs' blocks (with their halos, the boundary filled in by index
 * maps per axis) are gathered into contiguous buffers of exactly their size, the kernel
 * writes the output block into one (or straight into the array where that block is
 * contiguous and untrimmed), which is then copied, trimmed, into the output array. */
/* The box [lo, hi) of src (ndim axes of shape, elem bytes per element, C order) into dst,
 * contiguous; indices outside [0, shape) are mapped by b (NONE: clamped), CONSTANT ones
 * are *cval. Contiguous runs of a row are one memcpy, index maps only at the edges. */
void cdrt_halo_gather(void *dst, const void *src, int elem, int ndim, const int64_t *shape,
                      const int64_t *lo, const int64_t *hi, cdrt_boundary b, const void *cval);
/* The box of extents ext at soff of src (C order, shape sshape) into dst (shape dshape) at
 * dlo: one memcpy per row. */
void cdrt_block_copy(void *dst, const int64_t *dshape, const int64_t *dlo, const void *src,
                     const int64_t *sshape, const int64_t *soff, const int64_t *ext, int ndim,
                     int elem);
/* The index k of an axis of length n (n > 0) mapped inside by b; -1: CONSTANT's value. */
int64_t cdrt_halo_index(int64_t k, int64_t n, cdrt_boundary b);

typedef struct {
  int ndim, lead; /* its rank; loop axes before its axis 0 (inputs are aligned right) */
  int elem;       /* bytes per element */
  int64_t shape[CDRT_MAXDIM], chunk[CDRT_MAXDIM];
  int64_t depth[CDRT_MAXDIM]; /* the halo per axis (map_overlap) */
  cdrt_boundary boundary;
  const void *cval; /* CONSTANT: one element of its dtype */
  /* an array computed into the boxes instead of stored (compiler/memplan.c halo_inline):
   * writes the box [lo, hi) inside the array to out, rows stride[] elements apart (the
   * last stride 1); NULL: the array is gathered from its buffer */
  void (*eval)(void *out, const int64_t *stride, const int64_t *lo, const int64_t *hi);
} cdrt_bk_input;
typedef struct {
  const char *kernel;       /* its name, for messages */
  int nloop;                /* rank of the loop grid (the largest input's) */
  int ndim;                 /* the output's rank */
  int loop_of[CDRT_MAXDIM]; /* output axis -> loop axis, or -1 (a new axis) */
  unsigned dropped;         /* loop axes the output drops: inputs give them whole */
  int elem;
  int64_t shape[CDRT_MAXDIM], chunk[CDRT_MAXDIM]; /* the output array and its blocks */
  int trim; /* the kernel's output block has its input 0's halo, cut off after */
  int nin;
  const cdrt_bk_input *in;
} cdrt_bk_group;
/* Per-thread buffers of a group's tiles, reused while a block's size repeats. */
typedef struct cdrt_bk_pool cdrt_bk_pool;
cdrt_bk_pool *cdrt_bk_pool_new(int nslots); /* in the parallel region, before the tiles */
void cdrt_bk_pool_free(cdrt_bk_pool *p);
typedef struct {
  const void *in[16];                             /* the inputs' blocks */
  void *out;                                      /* where the kernel writes its output block */
  struct cdask_block *info;                       /* 1 + nin descriptions (cdask_kernel.h) */
  void *dst;                                      /* the output array */
  int direct;                                     /* out is inside dst: nothing to copy */
  int64_t lo[CDRT_MAXDIM], hi[CDRT_MAXDIM];       /* the output block in the array */
  int64_t oshape[CDRT_MAXDIM], toff[CDRT_MAXDIM]; /* the kernel's block, where to cut */
} cdrt_bk_tile;
/* Output block t of the blocks meeting [glo, ghi): gathers the inputs (src: the arrays;
 * NULL for a 0-d constant the kernel gets by value) and prepares the output. */
void cdrt_bk_begin(const cdrt_bk_group *g, cdrt_bk_pool *pool, int64_t t, const int64_t *glo,
                   const int64_t *ghi, const void *const *src, void *dst, cdrt_bk_tile *bt);
void cdrt_bk_end(const cdrt_bk_group *g, cdrt_bk_tile *bt); /* copies out (trimmed) */
/* A streamed block (begun with dst NULL) read where it is: element I of the output array
 * (inside the block) is at out[off + sum_d stride[d] * I[d]]. */
void cdrt_bk_view(const cdrt_bk_group *g, const cdrt_bk_tile *bt, int64_t *stride, int64_t *off);
void cdrt_bk_release(cdrt_bk_tile *bt); /* a tile's end without a copy */
#ifdef CDRT_WITH_MPI
/* --mpi, the planned exchange: what output block t reads of input i (its block with the
 * halo, and where the boundary maps the halo back inside: a box per combination of the
 * axes' parts; compiler/emit_exchange.c). */
void cdrt_bk_need(const cdrt_bk_group *g, int i, int64_t t, const int64_t *glo, const int64_t *ghi,
                  cdrt_needs *nd);
#endif
/* A kernel returned rc != 0: "kernel 'g' failed on block (1, 2): returned 3", exit 6. */
_Noreturn void cdrt_bk_failed(const cdrt_bk_group *g, const cdrt_bk_tile *bt, long long rc);

/* Elementwise helpers with NumPy's semantics: integers wrap (no C overflow), integer
 * division by zero gives 0, floor division and remainder take the divisor's sign. */
#define CDRT_INT_OPS(T, UT, S)                                                                     \
  CDRT_INLINE T cdrt_add_##S(T a, T b) {                                                           \
    return (T)((UT)a + (UT)b);                                                                     \
  }                                                                                                \
  CDRT_INLINE T cdrt_sub_##S(T a, T b) {                                                           \
    return (T)((UT)a - (UT)b);                                                                     \
  }                                                                                                \
  CDRT_INLINE T cdrt_mul_##S(T a, T b) {                                                           \
    return (T)((UT)a * (UT)b);                                                                     \
  }                                                                                                \
  CDRT_INLINE T cdrt_neg_##S(T a) {                                                                \
    return (T)(0 - (UT)a);                                                                         \
  }                                                                                                \
  CDRT_INLINE T cdrt_abs_##S(T a) {                                                                \
    return a < 0 ? (T)(0 - (UT)a) : a;                                                             \
  }                                                                                                \
  CDRT_INLINE T cdrt_floordiv_##S(T a, T b) {                                                      \
    if (b == 0) return 0;                                                                          \
    if (b == -1) return cdrt_neg_##S(a);                                                           \
    T q = a / b;                                                                                   \
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;                                       \
  }                                                                                                \
  CDRT_INLINE T cdrt_mod_##S(T a, T b) {                                                           \
    if (b == 0 || b == -1) return 0;                                                               \
    T r = a % b;                                                                                   \
    return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;                                           \
  }                                                                                                \
  CDRT_INLINE T cdrt_pow_##S(T a, T b) {                                                           \
    if (b < 0) return 0;                                                                           \
    UT r = 1, x = (UT)a;                                                                           \
    for (; b; b >>= 1, x *= x)                                                                     \
      if (b & 1) r *= x;                                                                           \
    return (T)r;                                                                                   \
  }
CDRT_INT_OPS(int32_t, uint32_t, i32)
CDRT_INT_OPS(int64_t, uint64_t, i64)

/* NumPy's npy_divmod for floating point. */
#define CDRT_FLOAT_OPS(T, S, FMOD, FLOOR, COPYSIGN)                                                \
  CDRT_INLINE T cdrt_mod_##S(T a, T b) {                                                           \
    if (b == 0) return FMOD(a, b);                                                                 \
    T mod = FMOD(a, b);                                                                            \
    if (mod != 0) {                                                                                \
      if ((b < 0) != (mod < 0)) mod += b;                                                          \
    } else {                                                                                       \
      mod = COPYSIGN((T)0, b);                                                                     \
    }                                                                                              \
    return mod;                                                                                    \
  }                                                                                                \
  CDRT_INLINE T cdrt_floordiv_##S(T a, T b) {                                                      \
    if (b == 0) return a / b;                                                                      \
    T mod = FMOD(a, b);                                                                            \
    T div = (a - mod) / b;                                                                         \
    if (mod != 0 && ((b < 0) != (mod < 0))) div -= 1;                                              \
    if (div != 0) {                                                                                \
      T fd = FLOOR(div);                                                                           \
      if (div - fd > (T)0.5) fd += 1;                                                              \
      return fd;                                                                                   \
    }                                                                                              \
    return COPYSIGN((T)0, a / b);                                                                  \
  }
#include <math.h>
CDRT_FLOAT_OPS(double, f64, fmod, floor, copysign)
CDRT_FLOAT_OPS(float, f32, fmodf, floorf, copysignf)
/* pandas' dt.floor (mode 0), dt.ceil (1) and dt.round (2: halves to even) of the datetime
 * x (ns, NaT stays) to a multiple of step ns */
CDRT_INLINE int64_t cdrt_dt_round(int64_t x, int64_t step, int mode) {
  if (x == INT64_MIN) return x; /* NaT */
  int64_t r = x % step;
  if (r < 0) r += step;
  int64_t down = x - r;
  int up = mode == 1 ? r != 0 : mode == 2 && (2 * r > step || (2 * r == step && (down / step) % 2));
  return up ? down + step : down;
}
/* resample's bin of the datetime x (NaT stays) for a step that does not divide a day:
 * pandas' origin "start_day", the midnight before first (the earliest timestamp), plus
 * whole steps */
CDRT_INLINE int64_t cdrt_dt_bin(int64_t x, int64_t first, int64_t step) {
  if (x == INT64_MIN || first == INT64_MIN) return INT64_MIN;
  int64_t origin = cdrt_dt_round(first, INT64_C(86400000000000), 0);
  int64_t d = x - origin, r = d % step;
  return x - (r < 0 ? r + step : r);
}
/* NumPy's round(x, decimals) (PyArray_Round): rint of x times (or, decimals < 0, divided
 * by) its power_of_ten, then divided (multiplied) back; halves go to even */
CDRT_INLINE double cdrt_round_f64(double x, int decimals) {
  int n = decimals < 0 ? -decimals : decimals;
  static const double p10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8};
  double f = n < 9 ? p10[n] : 1e9;
  for (int k = 9; k < n; k++) f *= 10.;
  return decimals >= 0 ? rint(x * f) / f : rint(x / f) * f;
}

/* Complex numbers as NumPy stores them (interleaved re, im, like fftw_complex), with
 * NumPy's formulas: the plain product, Smith's quotient, hypot for the modulus. */
typedef struct {
  float re, im;
} cdrt_c64;
typedef struct {
  double re, im;
} cdrt_c128;
#define CDRT_COMPLEX_OPS(C, T, S, HYPOT, ATAN2, FABS)                                              \
  CDRT_INLINE C cdrt_make_##S(T re, T im) {                                                        \
    C r = {re, im};                                                                                \
    return r;                                                                                      \
  }                                                                                                \
  CDRT_INLINE C cdrt_add_##S(C a, C b) {                                                           \
    return cdrt_make_##S(a.re + b.re, a.im + b.im);                                                \
  }                                                                                                \
  CDRT_INLINE C cdrt_sub_##S(C a, C b) {                                                           \
    return cdrt_make_##S(a.re - b.re, a.im - b.im);                                                \
  }                                                                                                \
  CDRT_INLINE C cdrt_mul_##S(C a, C b) {                                                           \
    return cdrt_make_##S(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re);                    \
  }                                                                                                \
  CDRT_INLINE C cdrt_div_##S(C a, C b) {                                                           \
    T br = FABS(b.re), bi = FABS(b.im);                                                            \
    if (br >= bi) {                                                                                \
      if (br == 0 && bi == 0) return cdrt_make_##S(a.re / br, a.im / bi);                          \
      T rat = b.im / b.re, scl = (T)1.0 / (b.re + b.im * rat);                                     \
      return cdrt_make_##S((a.re + a.im * rat) * scl, (a.im - a.re * rat) * scl);                  \
    }                                                                                              \
    T rat = b.re / b.im, scl = (T)1.0 / (b.im + b.re * rat);                                       \
    return cdrt_make_##S((a.re * rat + a.im) * scl, (a.im * rat - a.re) * scl);                    \
  }                                                                                                \
  CDRT_INLINE C cdrt_neg_##S(C a) {                                                                \
    return cdrt_make_##S(-a.re, -a.im);                                                            \
  }                                                                                                \
  CDRT_INLINE C cdrt_conj_##S(C a) {                                                               \
    return cdrt_make_##S(a.re, -a.im);                                                             \
  }                                                                                                \
  CDRT_INLINE T cdrt_abs_##S(C a) {                                                                \
    return HYPOT(a.re, a.im);                                                                      \
  }                                                                                                \
  CDRT_INLINE T cdrt_angle_##S(C a) {                                                              \
    return ATAN2(a.im, a.re);                                                                      \
  }                                                                                                \
  CDRT_INLINE uint8_t cdrt_eq_##S(C a, C b) {                                                      \
    return a.re == b.re && a.im == b.im;                                                           \
  }                                                                                                \
  CDRT_INLINE uint8_t cdrt_ne_##S(C a, C b) {                                                      \
    return (uint8_t)!cdrt_eq_##S(a, b);                                                            \
  }                                                                                                \
  /* bool(a): either part nonzero (a NaN part is nonzero) */                                       \
  CDRT_INLINE uint8_t cdrt_nonzero_##S(C a) {                                                      \
    return (uint8_t)(a.re != 0 || a.im != 0);                                                      \
  }
CDRT_COMPLEX_OPS(cdrt_c64, float, c64, hypotf, atan2f, fabsf)
CDRT_COMPLEX_OPS(cdrt_c128, double, c128, hypot, atan2, fabs)
/* complex128 -> complex64 -> complex128 in one expression: GCC 12 at -O3 folds the pair of
 * conversions away in the scalar copy of a loop (basic-block SLP); the empty asm keeps the
 * rounding (and keeps this rare cast out of vector loops). */
CDRT_INLINE cdrt_c128 cdrt_widen_rounded_c64(cdrt_c64 a) {
  __asm__("" : "+m"(a));
  return cdrt_make_c128(a.re, a.im);
}

/* maximum and minimum, in the form generated programs have always computed them (their
 * bits are the contract): a NaN operand propagates (a when both are NaN, its bits kept), and
 * of two equal operands a is returned, so maximum(-0.0, 0.0) is -0.0 where NumPy 1.24
 * returns its second operand (0.0; equal values, another sign bit). A reduction's update is
 * acc = cdrt_maximum_S(acc, v): for floats the very expression it had; for integers it had
 * acc = v > acc ? v : acc, which differs only when v == acc, and then both are the same
 * integer. Booleans use the u8 helpers. */
#define CDRT_MINMAX_FLOAT(T, S)                                                                    \
  CDRT_INLINE T cdrt_maximum_##S(T a, T b) {                                                       \
    return (a != a || a >= b) ? a : b;                                                             \
  }                                                                                                \
  CDRT_INLINE T cdrt_minimum_##S(T a, T b) {                                                       \
    return (a != a || a <= b) ? a : b;                                                             \
  }
#define CDRT_MINMAX_INT(T, S)                                                                      \
  CDRT_INLINE T cdrt_maximum_##S(T a, T b) {                                                       \
    return a >= b ? a : b;                                                                         \
  }                                                                                                \
  CDRT_INLINE T cdrt_minimum_##S(T a, T b) {                                                       \
    return a <= b ? a : b;                                                                         \
  }
CDRT_MINMAX_FLOAT(double, f64)
CDRT_MINMAX_FLOAT(float, f32)
CDRT_MINMAX_INT(int64_t, i64)
CDRT_MINMAX_INT(int32_t, i32)
CDRT_MINMAX_INT(uint8_t, u8)

/* argmin/argmax, one element at a time: 1 when (v, i) replaces the best so far (acc, acci),
 * acci < 0 meaning none yet. As NumPy: ties go to the smaller index, and for floats the
 * first NaN wins (a NaN replaces any number, a number never replaces a NaN). */
#define CDRT_ARG_FLOAT(T, S, NAME, CMP)                                                            \
  CDRT_INLINE int cdrt_##NAME##_takes_##S(T acc, int64_t acci, T v, int64_t i) {                   \
    return acci < 0 || (v != v ? (acc == acc || i < acci)                                          \
                               : (acc == acc && (v CMP acc || (v == acc && i < acci))));           \
  }
#define CDRT_ARG_INT(T, S, NAME, CMP)                                                              \
  CDRT_INLINE int cdrt_##NAME##_takes_##S(T acc, int64_t acci, T v, int64_t i) {                   \
    return acci < 0 || v CMP acc || (v == acc && i < acci);                                        \
  }
CDRT_ARG_FLOAT(double, f64, argmin, <)
CDRT_ARG_FLOAT(double, f64, argmax, >)
CDRT_ARG_FLOAT(float, f32, argmin, <)
CDRT_ARG_FLOAT(float, f32, argmax, >)
CDRT_ARG_INT(int64_t, i64, argmin, <)
CDRT_ARG_INT(int64_t, i64, argmax, >)
CDRT_ARG_INT(int32_t, i32, argmin, <)
CDRT_ARG_INT(int32_t, i32, argmax, >)
CDRT_ARG_INT(uint8_t, u8, argmin, <)
CDRT_ARG_INT(uint8_t, u8, argmax, >)

/* Float to integer conversion without C's undefined behaviour: NaN and out-of-range
 * values give the minimum integer, as x86 hardware does for NumPy. */
CDRT_INLINE int64_t cdrt_f2i64(double x) {
  return (x >= -9223372036854775808.0 && x < 9223372036854775808.0) ? (int64_t)x : INT64_MIN;
}
CDRT_INLINE int32_t cdrt_f2i32(double x) {
  return (x > -2147483649.0 && x < 2147483648.0) ? (int32_t)x : INT32_MIN;
}

/* The kinds of transform, one enum for the compiler (Node.fft.kind), the frontend and
 * fft.c: complex to complex, real to complex (half spectrum), complex to real. */
typedef enum { CDRT_FFT_C2C, CDRT_FFT_R2C, CDRT_FFT_C2R } cdrt_fft_kind;

/* fft.c (only with CDRT_WITH_FFT): FFTs over FFTW3, blocked and bitwise the same for every
 * thread count. Complex data is interleaved (re, im) pairs, arrays are C order. */
#ifdef CDRT_WITH_FFT
void cdrt_fft_set_measure(int on); /* 0: FFTW_ESTIMATE (default, deterministic); 1: FFTW_MEASURE */
int cdrt_fft_measure(void);        /* the current mode */
/* --mpi: the transforms below leave their output in slabs across the ranks (fft.c); this
 * gathers it whole on every rank. Called after a group's transform calls. */
void cdrt_fft_settle(void);
#ifdef CDRT_WITH_MPI
/* Instead of cdrt_fft_settle: each rank receives only what needs(rank) names (the
 * transform's readers, compiler/emit_exchange.c). */
void cdrt_fft_settle_needs(void (*needs)(int rank, cdrt_needs *nd));
/* An FFT group's tiles owned by the slabs of the transform's first pass (FFTW-MPI's
 * "transposed out" layout: what a transform leaves in slabs along an axis, the next one
 * reads where it lies). The first pass is along axis d of the array the tiles write
 * (shape): this rank computes the part of each tile inside its slab (cdrt_fft_clip, in the
 * tile), for the tiles meeting it; returned as cdrt_mpi_needed_tiles does (t: reported
 * here, ~t: by a lower rank that computes part of it too), *count of them, free() them. */
int64_t *cdrt_fft_slab_tiles(int ndim, const int64_t *shape, int d, const int64_t *blo,
                             const int64_t *bhi, const int64_t *chunk, int64_t ntiles,
                             int64_t *count);
void cdrt_fft_clip(int64_t *lo, int64_t *hi); /* a tile's box [lo, hi), cut to the slab */
/* After those tiles: the input is in the first pass's slabs (nothing to send). */
void cdrt_fft_in_slabs(void *data, int ndim, const int64_t *shape, size_t es, int d);
/* The box [blo, bhi) cut to rank's slab for a pass along axis d of an array of that shape
 * (all of it when the pass has no slabs); 0 if empty. */
int cdrt_fft_slab_box(int ndim, const int64_t *blo, const int64_t *bhi, const int64_t *shape, int d,
                      int rank, int64_t *lo, int64_t *hi);
#endif
/* --mpi: the transform's input is as the ranks' tiles wrote it (see cdrt_mpi_gather_tiles),
 * not yet whole: the first pass gathers the slabs it needs. */
void cdrt_fft_tiled(void *data, int ndim, const int64_t *shape, size_t es, const int64_t *blo,
                    const int64_t *bhi, const int64_t *chunk, int64_t ntiles);
/* FFTW wisdom text (embedded by the compiler); 0 on success, -1 if FFTW rejects it. */
int cdrt_fft_import_wisdom(const char *wisdom);
/* fft_wisdom.c: writes the wisdom of this run's plans (both precisions) to f (opened
 * before the run), whole or not at all; 0 on success, else -1 with a message in err. */
int cdrt_fft_export_wisdom(cdrt_outfile *f, char *err, size_t errlen);
/* 1 if one "(fftw... wisdom ...)" block has the form FFTW writes, with every entry's
 * fields in range (FFTW's importer aborts the process on some out-of-range fields). */
int cdrt_fft_wisdom_block_ok(const char *block);
/* In place: transform the axes set in `axes` (bit d = axis d) of the complex array; sign -1
 * forward (numpy.fft.fft), +1 backward (unnormalised inverse); every element is then
 * multiplied by scale (skip the multiply when scale == 1). */
void cdrt_fft_c2c_f64(double *data, int ndim, const int64_t *shape, unsigned axes, int sign,
                      double scale);
void cdrt_fft_c2c_f32(float *data, int ndim, const int64_t *shape, unsigned axes, int sign,
                      double scale);
/* Real to complex along one axis: in is real with shape `shape` (n = shape[axis]); out is
 * complex with the same shape except shape[axis] -> n/2+1. Output times scale. in is not
 * modified. */
void cdrt_fft_r2c_f64(const double *in, double *out, int ndim, const int64_t *shape, int axis,
                      double scale);
void cdrt_fft_r2c_f32(const float *in, float *out, int ndim, const int64_t *shape, int axis,
                      double scale);
/* The same along the last axis, in place in FFTW's layout: data holds the real array with
 * every row of n = shape[ndim-1] values padded to 2 (n/2+1) reals, and gets the complex
 * result (n/2+1 per row). shape is the real array's. */
void cdrt_fft_r2c_inplace_f64(double *data, int ndim, const int64_t *shape, double scale);
void cdrt_fft_r2c_inplace_f32(float *data, int ndim, const int64_t *shape, double scale);
/* Complex to real along one axis: out is real with shape `shape` (n = shape[axis], any
 * n >= 1); in is complex with shape[axis] -> n/2+1, and is not modified. Output times
 * scale. Like numpy.fft.irfft, the imaginary parts of in[0] and (n even) in[n/2] are
 * ignored. */
void cdrt_fft_c2r_f64(const double *in, double *out, int ndim, const int64_t *shape, int axis,
                      double scale);
void cdrt_fft_c2r_f32(const float *in, float *out, int ndim, const int64_t *shape, int axis,
                      double scale);
#endif

#endif
