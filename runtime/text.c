/* text.c: db.read_text's files at run time: blocks of whole lines, and a block's lines.
 * A block starts after the first line end at or past a multiple of the block size (the
 * first at the file's start) and ends where the next one starts, so each line belongs to
 * exactly one block and no pass over the file comes first. A line is Python's in text
 * mode, as Dask reads it: "\n", "\r\n" and a lone "\r" end a line, and the element is the
 * line with "\n" in place of its end (none after a last line without one). An element that
 * ends in "\n" in the file is the file's bytes; the others are copied into the block's
 * arena. Each block is checked as UTF-8 (errors = "strict") before its lines are read. */
#include "cdrt.h"

#ifdef CDRT_WITH_CSV
#include <errno.h>
#include <fcntl.h>
#include <omp.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

enum { TEXT_PEEK = 1 << 16, TEXT_MIN_BLOCK = 1 << 20, TEXT_MAX_BLOCK = 64 << 20 };

/* The function that made source s, for messages */
static const char *text_fn(const cdrt_csv_source *s) {
  return s->json ? "db.read_json_lines" : "db.read_text";
}

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
                 text_fn(s), s->where);
    if (!S_ISREG(st.st_mode))
      cdrt_fatal(CDRT_EXIT_INPUT, "%s: not a regular file (%s at %s)", f->path, text_fn(s),
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
    for (int64_t at = 0; at < f->size;) {
      int64_t end = at + bs >= f->size ? f->size : text_after_end(f, at + bs - 1);
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

void cdrt_text_begin(cdrt_scan *c, cdrt_csv_source *s, int64_t b) {
  memset(c, 0, sizeof *c);
  const cdrt_csv_block *k = &s->blocks.block[b];
  const cdrt_csv_file *f = &s->files[s->block_file[b]];
  c->s = s, c->block = b, c->path = f->path, c->data = "";
  c->err = &s->err[b];
  c->arena = &c->own;
  c->own.what = s->arenas[b].what;
  if (k->end == k->begin) return;
  int64_t page = sysconf(_SC_PAGESIZE), base = k->begin / page * page;
  void *m = mmap(NULL, (size_t)(k->end - base), PROT_READ, MAP_PRIVATE, f->fd, (off_t)base);
  if (m == MAP_FAILED)
    cdrt_fatal(CDRT_EXIT_INPUT, "%s: cannot map: %s (%s at %s)", f->path, strerror(errno),
               text_fn(s), s->where);
  madvise(m, (size_t)(k->end - base), MADV_SEQUENTIAL);
  c->data = m, c->base = base, c->avail = k->end - base;
  c->begin = c->at = k->begin - base, c->end = k->end - base;
  int64_t bad = cdrt_utf8_invalid(c->data + c->begin, c->end - c->begin);
  if (bad >= 0) {
    int64_t pos = k->begin + bad;
    snprintf(c->err->msg, sizeof c->err->msg,
             "%s:%lld: invalid UTF-8 (byte %lld of the file, 0x%02x; errors = \"strict\")", f->path,
             (long long)text_line_of(f, pos), (long long)pos + 1,
             (unsigned char)c->data[c->begin + bad]);
    c->at = c->end; /* no line of an invalid block is read */
  }
}

int64_t cdrt_text_line(const cdrt_scan *c) {
  return text_line_of(&c->s->files[c->s->block_file[c->block]], c->base + c->row_start);
}

int cdrt_json_missing(cdrt_scan *c, const char *field) {
  if (!c->err->msg[0])
    snprintf(c->err->msg, sizeof c->err->msg,
             "%s:%lld: the record has no field '%s' (or it is null), which the first records "
             "always had",
             c->path, (long long)cdrt_text_line(c), field);
  c->at = c->end;
  return 0;
}

int cdrt_text_next(cdrt_scan *c) {
  if (c->at >= c->end) return 0;
  c->row_start = c->at;
  const char *p = c->data + c->at;
  int64_t left = c->end - c->at;
  const char *nl = memchr(p, '\n', (size_t)left);
  int64_t len = nl ? nl - p : left;
  const char *cr = memchr(p, '\r', (size_t)len);
  if (!cr) { /* the common case: the element is the file's bytes, "\n" included */
    c->item = (cdrt_str){p, nl ? len + 1 : len};
    c->at += nl ? len + 1 : len;
  } else { /* a "\r\n" or a lone "\r" ends the line: the element ends in "\n" instead */
    len = cr - p;
    char *e = cdrt_bytes_alloc(c->arena, (size_t)len + 1);
    memcpy(e, p, (size_t)len);
    e[len] = '\n';
    c->item = (cdrt_str){e, len + 1};
    c->at += len + 1 + (len + 1 < left && p[len + 1] == '\n');
  }
  c->row++;
  return 1;
}

void cdrt_text_end(cdrt_scan *c) {
  c->s->rows[c->block] = c->row;
  if (!c->s->keep) cdrt_bytes_free(&c->own);
  c->s->arenas[c->block] = c->own;
  if (c->avail && !c->s->keep) munmap((void *)(uintptr_t)c->data, (size_t)c->avail);
  c->data = "", c->at = c->end = c->begin = c->avail = 0;
}
#endif
