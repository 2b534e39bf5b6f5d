/* text.c: db.read_text's files at run time: blocks of whole lines, and a block's lines.
 * A block starts after the first line end at or past a multiple of the block size (the
 * first at the file's start) and ends where the next one starts, so each line belongs to
 * exactly one block and no pass over the file comes first. A line is Python's in text
 * mode, as Dask reads it: "\n", "\r\n" and a lone "\r" end a line, and the element is the
 * line with "\n" in place of its end (none after a last line without one). An element that
 * ends in "\n" in the file is the file's bytes; the others are copied into the block's
 * arena. Each block is checked as UTF-8 (errors = "strict") before its lines are read.
 *
 * Blocks that need more are read the general way (text_next_general), chosen once per
 * block: a gzip file (one block, decompressed into a window of a few MB that slides over
 * it), a linedelimiter, a line too long for a cdask string, or invalid UTF-8 (each line
 * checked: an error under errors = "strict", else decoded as Python does into the arena).
 * There, a message's line is the element's number in the file. */
#include "cdrt.h"

#ifdef CDRT_WITH_CSV
#include <errno.h>
#include <fcntl.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef CDRT_WITH_GZIP
#include <zlib.h>
#endif
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

enum { TEXT_PEEK = 1 << 16, TEXT_MIN_BLOCK = 1 << 20, TEXT_MAX_BLOCK = 64 << 20 };
enum { TEXT_WINDOW = 4 << 20, TEXT_READ = 256 << 10 }; /* gzip: decompressed, compressed */
enum { TEXT_CHECK = 256 << 10 }; /* the plain way: bytes checked as UTF-8 at a time */
enum { TEXT_BUF = 256 << 10 };   /* a read block's buffer, at first */

/* A block read the general way */
typedef struct cdrt_text_state {
  int gzip;
  int check;        /* lines are checked as UTF-8 (the block was not, or is invalid) */
  int eof;          /* no bytes come after c->end (a mapped block: always) */
  int last_of_file; /* the block ends its file */
  int ended_delim;  /* the last element ended with a line end */
  int tail_done;    /* delim_tail's empty element was made */
  int64_t wbase;    /* gzip: the decompressed offset of the window's first byte */
  char *win;        /* gzip: the window (c->data), from the arena when strings are kept */
  int64_t cap;
  char zerr[200]; /* gzip: why the data cannot be decompressed past c->end ("": it can) */
#ifdef CDRT_WITH_GZIP
  z_stream z;
  unsigned char *in; /* compressed bytes read */
  int64_t in_at;     /* the file's next byte to read */
  int file_end, member_done;
#endif
} cdrt_text_state;

/* The function that made source s, for messages */
/* The first byte after the line end at or after pos (a "\r\n" is one end), or the size */
static int64_t text_after_end(const cdrt_csv_file *f, int64_t pos) {
  char buf[TEXT_PEEK + 1];
  while (pos < f->size) {
    ssize_t got = pread(f->fd, buf, TEXT_PEEK + 1, (off_t)pos);
    if (got <= 0) cdrt_fatal(CDRT_EXIT_INPUT, "%s: cannot read: %s", f->path, strerror(errno));
    for (ssize_t i = 0; i < got && i < TEXT_PEEK; i++) {
      if (buf[i] == '\n') return pos + i + 1;
      if (buf[i] == '\r') return pos + i + 1 + (i + 1 < got && buf[i + 1] == '\n');
    }
    pos += got < TEXT_PEEK ? got : TEXT_PEEK;
  }
  return f->size;
}

/* The first byte after the first delim at or after pos, or the size */
static int64_t text_after_delim(const cdrt_csv_file *f, const cdrt_csv_source *s, int64_t pos) {
  char buf[TEXT_PEEK];
  int64_t d = s->delim_len;
  while (pos < f->size) {
    ssize_t got = pread(f->fd, buf, TEXT_PEEK, (off_t)pos);
    if (got <= 0) cdrt_fatal(CDRT_EXIT_INPUT, "%s: cannot read: %s", f->path, strerror(errno));
    const char *m = memmem(buf, (size_t)got, s->delim, (size_t)d);
    if (m) return pos + (m - buf) + d;
    if (pos + got >= f->size) break;
    pos += got - (d - 1); /* a delim may begin in the last d - 1 bytes */
  }
  return f->size;
}

/* A delimiter that can overlap itself ("||", "abab"): an occurrence found from a block's
 * cut may not be one that reading from the file's start finds */
static int delim_overlaps(const char *d, int n) {
  for (int k = 1; k < n; k++)
    if (memcmp(d, d + n - k, (size_t)k) == 0) return 1;
  return 0;
}

int cdrt_text_gzip(int compression, const char *path) {
  if (compression != CDRT_GZ_INFER) return compression == CDRT_GZ_ALL;
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  while (*base == '.') base++;
  const char *dot = strrchr(base, '.');
  return dot && strcasecmp(dot, ".gz") == 0;
}

/* The block size: blocksize if the script gave one, else about four blocks a thread for
 * the files together, between 1 and 64 MB */
static int64_t text_block_size(const cdrt_csv_source *s, int64_t total) {
  if (s->blocksize > 0) return s->blocksize;
  int64_t b = total / (4 * (int64_t)omp_get_max_threads());
  return b < TEXT_MIN_BLOCK ? TEXT_MIN_BLOCK : b > TEXT_MAX_BLOCK ? TEXT_MAX_BLOCK : b;
}

void cdrt_text_open(cdrt_csv_source *s) {
  s->nfiles = s->paths ? s->npaths : 1;
  s->files = cdrt_calloc((size_t)s->nfiles, sizeof *s->files);
  int64_t total = 0;
  for (int k = 0; k < s->nfiles; k++) {
    cdrt_csv_file *f = &s->files[k];
    f->path = s->paths ? s->paths[k] : s->path;
    f->fd = open(f->path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (f->fd < 0 || fstat(f->fd, &st) != 0)
      cdrt_fatal(CDRT_EXIT_INPUT, "%s: cannot open: %s (%s at %s)", f->path, strerror(errno),
                 cdrt_source_fn(s), s->where);
    if (!S_ISREG(st.st_mode))
      cdrt_fatal(CDRT_EXIT_INPUT, "%s: not a regular file (%s at %s)", f->path, cdrt_source_fn(s),
                 s->where);
    f->size = (int64_t)st.st_size;
    total += f->size;
  }
  int64_t bs = text_block_size(s, total), nb = 0, cap = 16;
  s->blocks.block = cdrt_malloc((size_t)cap * sizeof *s->blocks.block);
  s->block_file = cdrt_malloc((size_t)cap * sizeof *s->block_file);
  for (int k = 0; k < s->nfiles; k++) {
    cdrt_csv_file *f = &s->files[k];
    f->first = nb;
    int whole = cdrt_text_gzip(s->compression, f->path) ||
                (s->newline == CDRT_NL_EXACT && delim_overlaps(s->delim, s->delim_len));
    for (int64_t at = 0; at < f->size;) {
      int64_t end = whole || at + bs >= f->size   ? f->size
                    : s->newline == CDRT_NL_EXACT ? text_after_delim(f, s, at + bs - 1)
                                                  : text_after_end(f, at + bs - 1);
      if (nb == cap) {
        cap *= 2;
        s->blocks.block = cdrt_realloc(s->blocks.block, (size_t)cap * sizeof *s->blocks.block);
        s->block_file = cdrt_realloc(s->block_file, (size_t)cap * sizeof *s->block_file);
      }
      s->blocks.block[nb] = (cdrt_csv_block){at, end, 0};
      s->block_file[nb++] = k;
      at = end;
    }
  }
  s->fd = -1;
  s->blocks.n = nb;
  s->err = cdrt_calloc((size_t)(nb ? nb : 1), sizeof *s->err);
  s->rows = cdrt_calloc((size_t)(nb ? nb : 1) + 1, sizeof *s->rows);
  s->bad = cdrt_calloc((size_t)(nb ? nb : 1), sizeof *s->bad);
  s->arenas = cdrt_calloc((size_t)(nb ? nb : 1), sizeof *s->arenas);
  size_t n = strlen(s->path) + 64;
  char *what = cdrt_malloc(n);
  snprintf(what, n, "the lines copied while reading %s", s->path);
  for (int64_t b = 0; b < nb; b++) s->arenas[b].what = what;
}

/* The line (from 1) of byte pos of file f: its line ends before pos, counted (an error's) */
static int64_t text_line_of(const cdrt_csv_file *f, int64_t pos) {
  char buf[TEXT_PEEK];
  int64_t line = 1;
  char prev = 0;
  for (int64_t at = 0; at < pos;) {
    ssize_t got =
        pread(f->fd, buf, (size_t)(pos - at < TEXT_PEEK ? pos - at : TEXT_PEEK), (off_t)at);
    if (got <= 0) break;
    for (ssize_t i = 0; i < got; i++) {
      line += buf[i] == '\n' ? prev != '\r' : buf[i] == '\r';
      prev = buf[i];
    }
    at += got;
  }
  return line;
}

/* ---- the general way ---- */

/* The delims in file f before pos (a block's start: right after one), read from the start */
static int64_t text_delims_before(const cdrt_csv_file *f, const cdrt_csv_source *s, int64_t pos) {
  char buf[TEXT_PEEK];
  int64_t n = 0, d = s->delim_len;
  for (int64_t at = 0; at < pos;) {
    int64_t want = pos - at < TEXT_PEEK ? pos - at : TEXT_PEEK, i = 0;
    ssize_t got = pread(f->fd, buf, (size_t)want, (off_t)at);
    if (got <= 0) break;
    for (const char *m; (m = memmem(buf + i, (size_t)(got - i), s->delim, (size_t)d));)
      n++, i = m - buf + d;
    if (at + got >= pos) break;
    at += got - (d - 1) > i ? got - (d - 1) : i;
  }
  return n;
}

/* The number (from 1) of the block's first element in its file */
static int64_t text_first_line(const cdrt_scan *c) {
  const cdrt_csv_file *f = &c->s->files[c->s->block_file[c->block]];
  int64_t begin = c->s->blocks.block[c->block].begin;
  if (c->text->gzip || begin == 0) return 1;
  if (c->s->newline == CDRT_NL_EXACT) return text_delims_before(f, c->s, begin) + 1;
  return text_line_of(f, begin);
}

static cdrt_text_state *text_state_new(cdrt_scan *c) {
  c->text = cdrt_calloc(1, sizeof *c->text);
  return c->text;
}

/* The block's error, at the element being read (the line after c->row): 0 */
static int text_fail(cdrt_scan *c, const char *what) {
  if (!c->err->msg[0])
    snprintf(c->err->msg, sizeof c->err->msg, "%s:%lld: %s", c->path,
             (long long)(text_first_line(c) + c->row), what);
  c->at = c->end, c->text->eof = 1, c->text->tail_done = 1;
  return 0;
}

static int text_too_long(cdrt_scan *c) {
  char what[160];
  snprintf(what, sizeof what, "a line of more than %lld bytes", (long long)CDRT_TEXT_MAX_LINE);
  return text_fail(c, what);
}

#ifdef CDRT_WITH_GZIP
/* The gzip file's next compressed bytes into t->in (none: file_end) */
static void text_gz_read(cdrt_scan *c, cdrt_text_state *t) {
  const cdrt_csv_file *f = &c->s->files[c->s->block_file[c->block]];
  ssize_t got = pread(f->fd, t->in, TEXT_READ, (off_t)t->in_at);
  if (got < 0) cdrt_fatal(CDRT_EXIT_INPUT, "%s: cannot read: %s", f->path, strerror(errno));
  t->z.next_in = t->in, t->z.avail_in = (uInt)got, t->in_at += got;
  t->file_end = got == 0;
}

/* The data cannot be decompressed past here: the lines before are read, then the error is
 * the next line's (text_next_general) */
static int text_gz_fail(cdrt_scan *c, const char *why) {
  snprintf(c->text->zerr, sizeof c->text->zerr, "invalid gzip data: %s", why);
  c->text->eof = 1;
  return 1;
}

/* The window's free part [c->end, cap) filled with the file's next decompressed bytes (all
 * of them when they fit: eof). Members follow one another, zero bytes between them skipped,
 * as Python's gzip reads them. 1, or 0 with the block's error set. */
static int text_inflate(cdrt_scan *c, cdrt_text_state *t) {
  z_stream *z = &t->z;
  while (c->end < t->cap && !t->eof) {
    if (!z->avail_in && !t->file_end) text_gz_read(c, t);
    if (t->member_done) {
      while (z->avail_in && !*z->next_in) z->next_in++, z->avail_in--;
      if (z->avail_in) inflateReset(z), t->member_done = 0;
      t->eof = !z->avail_in && t->file_end;
      continue;
    }
    if (!z->avail_in && t->file_end)
      return text_gz_fail(c, "the file ends inside a compressed stream");
    int64_t room = t->cap - c->end;
    z->next_out = (Bytef *)t->win + c->end;
    z->avail_out = room > (1 << 30) ? 1u << 30 : (uInt)room;
    uInt before = z->avail_out;
    int rc = inflate(z, Z_NO_FLUSH);
    c->end += before - z->avail_out;
    if (rc == Z_STREAM_END)
      t->member_done = 1;
    else if (rc != Z_OK && rc != Z_BUF_ERROR)
      return text_gz_fail(c, z->msg ? z->msg : zError(rc));
  }
  return 1;
}

/* A new window of cap bytes: from the arena when results keep strings (the old windows
 * stay alive), else malloc'd */
static char *text_window(cdrt_scan *c, int64_t cap) {
  return c->s->keep ? cdrt_bytes_alloc(c->arena, (size_t)cap) : cdrt_malloc((size_t)cap);
}

/* The line left at the window's end moved to its front (into a new window twice as large
 * when it fills half of it), then the window filled: 1, or 0 with the block's error set */
static int text_refill(cdrt_scan *c, cdrt_text_state *t) {
  int64_t left = c->end - c->at, cap = t->cap;
  if (left > CDRT_TEXT_MAX_LINE) return text_too_long(c);
  if (left > cap / 2) cap *= 2;
  char *w = t->win;
  if (cap != t->cap || c->s->keep) w = text_window(c, cap);
  memmove(w, c->data + c->at, (size_t)left);
  if (w != t->win && !c->s->keep) free(t->win);
  t->win = w, t->cap = cap, t->wbase += c->at;
  c->data = w, c->at = 0, c->end = left;
  return text_inflate(c, t);
}

static void text_gz_begin(cdrt_scan *c, const cdrt_csv_file *f) {
  cdrt_text_state *t = text_state_new(c);
  t->gzip = 1, t->check = 1, t->last_of_file = 1, t->cap = TEXT_WINDOW;
  t->in = cdrt_malloc(TEXT_READ);
  if (inflateInit2(&t->z, 16 + MAX_WBITS) != Z_OK) /* 16: gzip only, as Python's gzip */
    cdrt_fatal(CDRT_EXIT_INPUT, "%s: cannot start zlib (%s at %s)", f->path, cdrt_source_fn(c->s),
               c->s->where);
  t->win = text_window(c, t->cap);
  c->data = t->win, c->at = c->end = 0;
  text_inflate(c, t);
}
#else
static int text_refill(cdrt_scan *c, cdrt_text_state *t) {
  (void)t;
  return text_fail(c, "gzip data, but the program was built without zlib");
}

static void text_gz_begin(cdrt_scan *c, const cdrt_csv_file *f) {
  (void)f;
  text_state_new(c)->eof = 1;
  text_refill(c, c->text);
}
#endif

static void text_state_free(cdrt_scan *c) {
  cdrt_text_state *t = c->text;
#ifdef CDRT_WITH_GZIP
  if (t->gzip) {
    inflateEnd(&t->z);
    free(t->in);
    if (!c->s->keep) free(t->win);
    c->data = "", c->at = c->end = 0;
  }
#endif
  free(t);
  c->text = NULL;
}

/* The next element at c->at: *body bytes, then *endlen bytes of line end. 1; 0: more bytes
 * must come first; -1: none left */
static int text_find(const cdrt_scan *c, int64_t *body, int64_t *endlen) {
  const cdrt_csv_source *s = c->s;
  const char *p = c->data + c->at;
  int64_t left = c->end - c->at;
  int eof = c->text->eof;
  if (!left) return eof ? -1 : 0;
  if (s->newline == CDRT_NL_EXACT) {
    const char *m = s->delim_len == 1 ? memchr(p, s->delim[0], (size_t)left)
                                      : memmem(p, (size_t)left, s->delim, (size_t)s->delim_len);
    if (m) return *body = m - p, *endlen = s->delim_len, 1;
  } else {
    const char *nl = memchr(p, '\n', (size_t)left);
    const char *cr = memchr(p, '\r', (size_t)(nl ? nl - p : left));
    if (cr && cr + 1 == p + left && !eof) return 0; /* a "\r\n" or a lone "\r"? */
    if (cr) return *body = cr - p, *endlen = 1 + (cr + 1 < p + left && cr[1] == '\n'), 1;
    if (nl) return *body = nl - p, *endlen = 1, 1;
  }
  if (!eof) return 0;
  return *body = left, *endlen = 0, 1;
}

/* The file's last element when delim_tail and the file ends with its delim: "" (Dask
 * splits the text at the delimiter) */
static int text_tail(cdrt_scan *c) {
  cdrt_text_state *t = c->text;
  if (!c->s->delim_tail || !t->last_of_file || !t->ended_delim || t->tail_done) return 0;
  t->tail_done = 1;
  c->item = (cdrt_str){c->data + c->at, 0};
  c->row_start = c->at;
  c->row++;
  return 1;
}

/* Line body[0, n) with invalid UTF-8 (bad: the first invalid byte): the error under
 * "strict", else decoded into e (room for 4 n bytes): its length, or -1 after the error */
static int64_t text_decode(cdrt_scan *c, const char *body, int64_t n, int64_t bad, char *e) {
  if (c->s->errors != CDRT_ERRORS_STRICT) return cdrt_utf8_clean(body, n, c->s->errors, e);
  char what[200];
  int64_t pos = (c->text->gzip ? c->text->wbase : c->base) + c->at + bad;
  snprintf(what, sizeof what, "invalid UTF-8 (byte %lld of the %s, 0x%02x; errors = \"strict\")",
           (long long)pos + 1, c->text->gzip ? "decompressed text" : "file",
           (unsigned char)body[bad]);
  text_fail(c, what);
  return -1;
}

/* cdrt_text_next the general way: a line found (refilling a gzip window), checked, decoded
 * and copied into the arena when it is not the file's bytes */
static int text_next_general(cdrt_scan *c) {
  cdrt_text_state *t = c->text;
  int64_t body, endlen;
  if (c->err->msg[0]) return 0; /* a JSON line's error stops the block (c->at = c->end) */
  for (int r; (r = text_find(c, &body, &endlen)) <= 0;) {
    if (r < 0) return t->zerr[0] ? text_fail(c, t->zerr) : text_tail(c);
    if (!text_refill(c, t)) return 0;
  }
  if (!endlen && t->zerr[0]) return text_fail(c, t->zerr); /* a line cut by the error */
  if (body + endlen > CDRT_TEXT_MAX_LINE) return text_too_long(c);
  const char *p = c->data + c->at;
  int translate =
      c->s->newline == CDRT_NL_UNIVERSAL && endlen && !(endlen == 1 && *(p + body) == '\n');
  int64_t bad = t->check ? cdrt_utf8_invalid(p, body) : -1;
  if (bad < 0 && !translate) {
    c->item = (cdrt_str){p, body + endlen};
  } else {
    char *e = cdrt_bytes_alloc(c->arena, (size_t)(bad < 0 ? body : 4 * body) + (size_t)endlen);
    int64_t m = bad < 0 ? (memcpy(e, p, (size_t)body), body) : text_decode(c, p, body, bad, e);
    if (m < 0) return 0;
    if (translate)
      e[m++] = '\n';
    else
      memcpy(e + m, p + body, (size_t)endlen), m += endlen;
    if (m > CDRT_TEXT_MAX_LINE) return text_too_long(c);
    c->item = (cdrt_str){e, m};
  }
  t->ended_delim = endlen > 0;
  c->row_start = c->at;
  c->at += body + endlen;
  c->row++;
  return 1;
}

/* The rest of a mapped block read the general way: its lines checked as UTF-8 (check) */
static void text_general(cdrt_scan *c, int check) {
  const cdrt_csv_block *k = &c->s->blocks.block[c->block];
  cdrt_text_state *t = text_state_new(c);
  t->check = check, t->eof = 1,
  t->last_of_file = k->end == c->s->files[c->s->block_file[c->block]].size;
}

/* The block's bytes from the file's byte `from` on, mapped (c->data, base, avail, at, end) */
static void text_map(cdrt_scan *c, int64_t from) {
  const cdrt_csv_block *k = &c->s->blocks.block[c->block];
  const cdrt_csv_file *f = &c->s->files[c->s->block_file[c->block]];
  int64_t page = sysconf(_SC_PAGESIZE), base = from / page * page;
  void *m = mmap(NULL, (size_t)(k->end - base), PROT_READ, MAP_PRIVATE, f->fd, (off_t)base);
  if (m == MAP_FAILED)
    cdrt_fatal(CDRT_EXIT_INPUT, "%s: cannot map: %s (%s at %s)", f->path, strerror(errno),
               cdrt_source_fn(c->s), c->s->where);
  madvise(m, (size_t)(k->end - base), MADV_SEQUENTIAL);
  c->data = m, c->base = base, c->avail = k->end - base;
  c->at = c->checked = from - base, c->end = k->end - base;
}

/* A read block (c->buf): the bytes not yet read moved to the buffer's start, and the
 * block's next bytes read after them, up to the last line end in the buffer (the buffer
 * grows for a longer line) or the block's end, checked as UTF-8: [c->at, c->checked).
 * Whatever still points into the buffer (a batch of rows, of strings to count) is done with
 * first (c->pending). 1, or 0 if the bytes are not valid: the rest of the block is then
 * mapped and read the general way, each line checked and decoded as errors says. */
static int text_buf_fill(cdrt_scan *c) {
  int64_t block_end = c->base + c->end, to = cdrt_scan_refill(c, c->at, block_end);
  c->end = block_end - c->base, c->at = 0;
  if (cdrt_utf8_invalid(c->buf, to) >= 0) {
    int64_t from = c->base;
    free(c->buf);
    c->buf = NULL;
    text_map(c, from);
    text_general(c, 1);
    return 0;
  }
  c->checked = to;
  return 1;
}

/* The plain way: the block's next bytes checked as UTF-8, up to the first "\n" at least
 * TEXT_CHECK bytes on (or the block's end), while they are in the cache for the lines read
 * from them: 1, or 0 if they are not valid (the rest of the block is then read the general
 * way, each line checked and decoded as errors says) */
static int text_check_more(cdrt_scan *c) {
  if (c->buf) return text_buf_fill(c);
  int64_t to = c->checked + TEXT_CHECK;
  const char *nl = to < c->end ? memchr(c->data + to, '\n', (size_t)(c->end - to)) : NULL;
  to = nl ? nl - c->data + 1 : c->end;
  if (cdrt_utf8_invalid(c->data + c->checked, to - c->checked) >= 0) {
    text_general(c, 1);
    return 0;
  }
  c->checked = to;
  return 1;
}

void cdrt_text_begin(cdrt_scan *c, cdrt_csv_source *s, int64_t b, void (*pending)(void *),
                     void *ctx) {
  memset(c, 0, sizeof *c);
  const cdrt_csv_block *k = &s->blocks.block[b];
  const cdrt_csv_file *f = &s->files[s->block_file[b]];
  c->s = s, c->block = b, c->path = f->path, c->data = "";
  c->err = &s->err[b];
  c->arena = &c->own;
  c->own.what = s->arenas[b].what;
  if (k->end == k->begin) return;
  if (cdrt_text_gzip(s->compression, f->path)) {
    text_gz_begin(c, f);
    return;
  }
  int plain = s->newline == CDRT_NL_UNIVERSAL && k->end - k->begin <= CDRT_TEXT_MAX_LINE;
  if (plain && pending && !s->keep) { /* read into a buffer that stays in the cache */
    c->pending = pending, c->pending_ctx = ctx;
    c->bufcap = TEXT_BUF, c->buf = cdrt_malloc(TEXT_BUF);
    c->data = c->buf, c->base = k->begin, c->end = k->end - k->begin;
    return;
  }
  text_map(c, k->begin);
  if (!plain) text_general(c, cdrt_utf8_invalid(c->data + c->at, c->end - c->at) >= 0);
}

int64_t cdrt_text_line(const cdrt_scan *c) {
  if (c->text) return text_first_line(c) + c->row - 1;
  return text_line_of(&c->s->files[c->s->block_file[c->block]], c->base + c->row_start);
}

/* What to do about a field every sampled record had that a record lacks: sample = "all"
 * (an int64 becomes float64, a bool needs pluck's default), or compile again when every
 * record was the sample */
static const char *json_missing_fix(const cdrt_csv_source *s, int col, char *buf, size_t n) {
  if (s->sampled_whole) {
    snprintf(buf, n,
             "every record had it when cdaskc read the files (sample = \"all\"): the "
             "files changed since, compile again");
    return buf;
  }
  char how[300], name[200];
  if (s->types[col] == CDRT_COL_BOOL)
    snprintf(how, sizeof how, " and pluck it with a default (pluck(\"%s\", false))",
             cdrt_json_dotted(s->names[col], name, sizeof name));
  else
    snprintf(how, sizeof how, " (then it is float64, NaN where it is missing, as in pandas)");
  snprintf(buf, n,
           "each of the %lld records cdaskc sampled (the first lines of %s) had it, so it was "
           "compiled as %s: read the file with sample = \"all\"%s",
           (long long)s->sampled, s->files[0].path, cdrt_coltype_name(s->types[col]), how);
  return buf;
}

int cdrt_json_missing(cdrt_scan *c, int col) {
  char fix[600], name[200];
  if (!c->err->msg[0])
    snprintf(c->err->msg, sizeof c->err->msg,
             "%s:%lld: the record has no field '%s' (or it is null), but %s", c->path,
             (long long)cdrt_text_line(c), cdrt_json_dotted(c->s->names[col], name, sizeof name),
             json_missing_fix(c->s, col, fix, sizeof fix));
  c->at = c->end;
  return 0;
}

#if defined(__SSE2__)
static __m128i text_load(const char *p) {
  return _mm_loadu_si128((const __m128i *)(const void *)p);
}
#endif

/* The first "\n" or "\r" in [p, p + n) (n: none), 16 bytes at a time */
static int64_t text_line_end(const char *p, int64_t n) {
  int64_t i = 0;
#if defined(__SSE2__)
  const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
  for (; i + 16 <= n; i += 16) {
    __m128i v = text_load(p + i);
    unsigned m =
        (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr)));
    if (m) return i + __builtin_ctz(m);
  }
#endif
  while (i < n && p[i] != '\n' && p[i] != '\r') i++;
  return i;
}

/* The "\n" bytes in [p, p + n), and in *cr the "\r" bytes: 16 at a time, a byte's counter
 * per lane for up to 255 steps */
static int64_t text_count_ends(const char *p, int64_t n, int64_t *cr) {
  int64_t k = 0, r = 0, i = 0;
#if defined(__SSE2__)
  const __m128i lf = _mm_set1_epi8('\n'), cr1 = _mm_set1_epi8('\r'), zero = _mm_setzero_si128();
  while (i + 16 <= n) {
    __m128i nk = zero, nr = zero;
    for (int steps = 0; steps < 255 && i + 16 <= n; steps++, i += 16) {
      __m128i v = text_load(p + i);
      nk = _mm_sub_epi8(nk, _mm_cmpeq_epi8(v, lf)), nr = _mm_sub_epi8(nr, _mm_cmpeq_epi8(v, cr1));
    }
    __m128i sk = _mm_sad_epu8(nk, zero), sr = _mm_sad_epu8(nr, zero);
    k += _mm_cvtsi128_si64(sk) + _mm_cvtsi128_si64(_mm_unpackhi_epi64(sk, sk));
    r += _mm_cvtsi128_si64(sr) + _mm_cvtsi128_si64(_mm_unpackhi_epi64(sr, sr));
  }
#endif
  for (; i < n; i++) k += p[i] == '\n', r += p[i] == '\r';
  *cr = r;
  return k;
}

/* The lines in [p, p + n), universal newlines: "\n", "\r\n" and a lone "\r" end one, and
 * a last line may have no end */
static int64_t text_count_lines(const char *p, int64_t n) {
  const char *end = p + n;
  int64_t cr, lines = text_count_ends(p, n, &cr);
  for (const char *q = p; cr && q < end; q++) lines += *q == '\r' && (q + 1 == end || q[1] != '\n');
  return lines + (n > 0 && end[-1] != '\n' && end[-1] != '\r');
}

int cdrt_text_next(cdrt_scan *c) {
  if (c->text) return text_next_general(c);
  if (c->at >= c->end) return 0;
  if (c->at >= c->checked && !text_check_more(c)) return text_next_general(c);
  c->row_start = c->at;
  const char *p = c->data + c->at;
  int64_t left = c->checked - c->at; /* (a line end, or the block's end) */
  int64_t len = text_line_end(p, left);
  if (len == left || p[len] == '\n') { /* the common case: the file's bytes, "\n" included */
    len += len < left;
    c->item = (cdrt_str){p, len};
    c->at += len;
  } else { /* a "\r\n" or a lone "\r" ends the line: the element ends in "\n" instead */
    char *e = cdrt_bytes_alloc(c->arena, (size_t)len + 1);
    memcpy(e, p, (size_t)len);
    e[len] = '\n';
    c->item = (cdrt_str){e, len + 1};
    c->at += len + 1 + (len + 1 < left && p[len + 1] == '\n');
  }
  c->row++;
  return 1;
}

int cdrt_text_span(cdrt_scan *c) {
  if (c->text) return text_next_general(c);
  if (c->at >= c->end) return 0;
  if (c->at >= c->checked && !text_check_more(c)) return text_next_general(c);
  c->row_start = c->at;
  c->item = (cdrt_str){c->data + c->at, c->checked - c->at};
  c->row += text_count_lines(c->item.p, c->item.n);
  c->at = c->checked;
  return 1;
}

void cdrt_text_end(cdrt_scan *c) {
  if (c->text) text_state_free(c);
  c->s->rows[c->block] = c->row;
  if (!c->s->keep) cdrt_bytes_free(&c->own);
  c->s->arenas[c->block] = c->own;
  if (c->avail && !c->s->keep) munmap((void *)(uintptr_t)c->data, (size_t)c->avail);
  free(c->buf);
  c->buf = NULL, c->data = "", c->at = c->end = c->begin = c->avail = 0;
}
#endif
