/* csv.c: the rows of a CSV file's bytes, split into blocks that are read in parallel (only
 * with CDRT_WITH_CSV). The dialect is pandas' default: a separator, '"' quoting with a
 * doubled quote for a quote inside, rows ending in "\n" or "\r\n".
 *
 * A block cannot know by itself whether it starts inside a quoted field (a field may hold
 * newlines), so splitting is two passes (the idea of simdjson and simdcsv, whose quote
 * parity is an exclusive-or monoid; here a four-state machine, so that a quote inside an
 * unquoted field stays an ordinary character as pandas reads it, where parity alone would
 * start a quoted field). The first pass, in parallel, runs each fixed-size piece of the
 * file from each of the four states at once (one table lookup per byte; a chunk without a
 * quote in a few SIMD passes), reading it a 1 MB chunk at a time, recording for
 * each start state the state at the piece's end, its first row end and the newlines before
 * it. The second, in order, chains the pieces' states and so finds where each piece's first
 * row starts: a block is the rows that start in its piece. Each block also gets the file's
 * line number at its first row (every "\n" before it counts, quoted ones too, as an editor
 * counts lines), so errors name the line.
 *
 * Within a block, cdrt_csv_row cuts one row into fields: a field that starts with a quote
 * runs to the closing quote ("" is a quote inside it) and whatever follows up to the
 * separator is kept literally, as pandas and Python's csv module do; a quote elsewhere is
 * an ordinary character. A field with a doubled quote or text after its closing quote is
 * copied out by cdrt_csv_unquote. */
#ifdef CDRT_WITH_CSV
#include "cdrt.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* The reading states: at a field's start, in an unquoted field, in a quoted one, and just
 * after a quote in a quoted one (closing it, or the first of a doubled quote). */
enum { AT_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED, NSTATES };
enum { C_OTHER, C_QUOTE, C_SEP, C_NEWLINE, NCLASSES };

static const unsigned char csv_next[NSTATES][NCLASSES] = {
    [AT_START] = {UNQUOTED, QUOTED, AT_START, AT_START},
    [UNQUOTED] = {UNQUOTED, UNQUOTED, AT_START, AT_START},
    [QUOTED] = {QUOTED, QUOTE_IN_QUOTED, QUOTED, QUOTED},
    [QUOTE_IN_QUOTED] = {UNQUOTED, QUOTED, AT_START, AT_START},
};

/* The four machines as one: lane j (bits 2j and 2j + 1) started in state j. */
enum { LANES_START = 0 | 1 << 2 | 2 << 4 | 3 << 6 };
typedef struct {
  unsigned char next[NCLASSES][256]; /* the lanes' states after a byte of each class */
  unsigned char cls[256];            /* each byte's class */
  char sep, quote;
} csv_machine;

static void csv_machine_init(csv_machine *m, char sep, char quote) {
  for (int c = 0; c < 256; c++) m->cls[c] = C_OTHER;
  m->cls[(unsigned char)sep] = C_SEP, m->cls[(unsigned char)quote] = C_QUOTE;
  m->cls['\n'] = C_NEWLINE;
  m->sep = sep, m->quote = quote;
  for (int k = 0; k < NCLASSES; k++)
    for (int v = 0; v < 256; v++) {
      int w = 0;
      for (int j = 0; j < 4; j++) w |= csv_next[v >> 2 * j & 3][k] << 2 * j;
      m->next[k][v] = (unsigned char)w;
    }
}

/* The first pass over piece [begin, end), for each start state j. */
typedef struct {
  int64_t newlines;       /* every '\n' */
  int64_t row_end[4];     /* [j]: the first '\n' that ends a row, or -1 */
  int64_t nl_before[4];   /* [j]: the '\n' before it (quoted ones) */
  unsigned char state[4]; /* [j]: the state after the piece */
} csv_piece;

/* What the first pass needs of a piece without reading it byte by byte (SWAR, eight bytes
 * at a time: a byte of w ^ c is zero exactly where w holds c): its newlines, whether it
 * has a quote character, and whether it is all ASCII. */
static int64_t csv_piece_summary(const char *data, int64_t begin, int64_t end, char quote,
                                 int *has_quote, int *ascii) {
  const uint64_t ones = UINT64_C(0x0101010101010101), high = ones << 7;
  const uint64_t nl = ones * '\n', q = ones * (unsigned char)quote;
  int64_t i = begin, n = 0;
  uint64_t quotes = 0, bits = 0;
#if defined(__SSE2__) /* x86-64's baseline: 16 bytes at a time */
  const __m128i vnl = _mm_set1_epi8('\n'), vq = _mm_set1_epi8(quote);
  __m128i vquotes = _mm_setzero_si128(), vbits = _mm_setzero_si128();
  while (i + 16 <= end) {
    __m128i count = _mm_setzero_si128(); /* per byte lane: up to 255 newlines */
    for (int k = 0; k < 255 && i + 16 <= end; k++, i += 16) {
      __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(data + i));
      count = _mm_sub_epi8(count, _mm_cmpeq_epi8(x, vnl));
      vquotes = _mm_or_si128(vquotes, _mm_cmpeq_epi8(x, vq));
      vbits = _mm_or_si128(vbits, x);
    }
    __m128i sums = _mm_sad_epu8(count, _mm_setzero_si128());
    n += _mm_cvtsi128_si32(sums) + _mm_cvtsi128_si32(_mm_srli_si128(sums, 8));
  }
  quotes |= (uint64_t)_mm_movemask_epi8(vquotes);
  bits |= (uint64_t)_mm_movemask_epi8(vbits) ? high : 0;
#endif
  for (; i + 8 <= end; i += 8) {
    uint64_t w;
    memcpy(&w, data + i, 8);
    uint64_t a = w ^ nl, b = w ^ q;
    uint64_t za = ~(((a & ~high) + ~high) | a) & high; /* 0x80 at each newline */
    quotes |= ~(((b & ~high) + ~high) | b) & high;
    bits |= w;
    n += (int64_t)(((za >> 7) * ones) >> 56); /* the bytes' sum: the count */
  }
  for (; i < end; i++) {
    n += data[i] == '\n';
    quotes |= data[i] == quote;
    bits |= (unsigned char)data[i];
  }
  *has_quote = quotes != 0;
  *ascii = !(bits & high);
  return n;
}

/* Where the first pass reads bytes [off, off + len) of the text: in memory, or read with
 * pread from fd (at file offset base + off) into a buffer of CSV_CHUNK bytes, so that the
 * pass never holds more than a chunk per thread of a file that may not fit in memory. */
enum { CSV_CHUNK = 1 << 20 };
typedef struct {
  const char *data; /* the text in memory, or NULL */
  int fd;
  int64_t base;
} csv_input;

/* The bytes [off, off + len) (len <= CSV_CHUNK), or NULL when the file cannot be read. */
static const char *csv_read(const csv_input *in, char *buf, int64_t off, int64_t len) {
  if (in->data) return in->data + off;
  for (int64_t got = 0; got < len;) {
    ssize_t r = pread(in->fd, buf + got, (size_t)(len - got), (off_t)(in->base + off + got));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return NULL; /* an error, or the file shrank */
    got += r;
  }
  return buf;
}

/* A chunk without a quote character: no field opens or closes a quote in it, so a lane in a
 * quoted field stays there, and every other lane ends a row at the chunk's first newline
 * (if it has not ended one yet) and reaches one state after the chunk's last byte. */
static unsigned csv_plain_chunk(const char *d, int64_t at, int64_t len, char sep, csv_piece *p,
                                int *pending, unsigned v) {
  const char *nl = memchr(d, '\n', (size_t)len);
  char last = d[len - 1];
  unsigned after = last == sep || last == '\n' ? AT_START : UNQUOTED, w = 0;
  for (int j = 0; j < 4; j++) {
    unsigned s = v >> 2 * j & 3;
    if (s != QUOTED) {
      if (nl && p->row_end[j] < 0)
        p->row_end[j] = at + (nl - d), p->nl_before[j] = p->newlines, (*pending)--;
      s = after;
    }
    w |= s << 2 * j;
  }
  return w;
}

/* The first pass over piece [begin, end), chunk by chunk: 0, or -1 if it cannot be read. */
static int csv_scan_piece(const csv_machine *m, const csv_input *in, char *buf, int64_t begin,
                          int64_t end, csv_piece *p, unsigned char *ascii, unsigned char *quoted) {
  p->newlines = 0;
  int pending = 4; /* lanes without a row end yet */
  for (int j = 0; j < 4; j++) p->row_end[j] = -1, p->nl_before[j] = 0;
  unsigned v = LANES_START;
  int all_ascii = 1, any_quote = 0;
  for (int64_t at = begin; at < end; at += CSV_CHUNK) {
    int64_t len = end - at < CSV_CHUNK ? end - at : CSV_CHUNK;
    const char *d = csv_read(in, buf, at, len);
    if (!d) return -1;
    int has_quote, chunk_ascii;
    int64_t newlines = csv_piece_summary(d, 0, len, m->quote, &has_quote, &chunk_ascii);
    all_ascii &= chunk_ascii, any_quote |= has_quote;
    if (!has_quote) {
      v = csv_plain_chunk(d, at, len, m->sep, p, &pending, v);
      p->newlines += newlines;
      continue;
    }
    for (int64_t i = 0; i < len; i++) {
      unsigned c = m->cls[(unsigned char)d[i]];
      if (c == C_NEWLINE) {
        for (int j = 0; j < 4 && pending; j++)
          if ((v >> 2 * j & 3) != QUOTED && p->row_end[j] < 0)
            p->row_end[j] = at + i, p->nl_before[j] = p->newlines, pending--;
        p->newlines++;
      }
      v = m->next[c][v];
    }
  }
  for (int j = 0; j < 4; j++) p->state[j] = (unsigned char)(v >> 2 * j & 3);
  *ascii = (unsigned char)all_ascii, *quoted = (unsigned char)any_quote;
  return 0;
}

/* The line where the quoted field that never closes opens, reading from `from` (a row's
 * start, on line `line`) (a rare error: one more pass); -1 if the file cannot be read. */
static int64_t csv_open_quote_line(const csv_machine *m, const csv_input *in, char *buf,
                                   int64_t from, int64_t line, int64_t n) {
  int64_t where = line;
  unsigned s = AT_START;
  for (int64_t at = from; at < n; at += CSV_CHUNK) {
    int64_t len = n - at < CSV_CHUNK ? n - at : CSV_CHUNK;
    const char *d = csv_read(in, buf, at, len);
    if (!d) return -1;
    for (int64_t i = 0; i < len; i++) {
      unsigned c = m->cls[(unsigned char)d[i]];
      unsigned t = csv_next[s][c];
      if (t == QUOTED && s != QUOTED && s != QUOTE_IN_QUOTED) where = line;
      line += c == C_NEWLINE;
      s = t;
    }
  }
  return where;
}

/* The first pass over pieces [k0, np) of bytes [0, n), piece k0 read from `from` on (a
 * row's start), in parallel: ps, ascii and quoted of those pieces. 0, or the errno of a
 * failed read (-1: the file shrank, or no memory). */
static int csv_first_pass(const csv_machine *m, const csv_input *in, int64_t n, int64_t piece,
                          int64_t k0, int64_t from, csv_piece *ps, unsigned char *ascii,
                          unsigned char *quoted) {
  int64_t np = n ? (n - 1) / piece + 1 : 0;
  int unread = 0;
#pragma omp parallel
  {
    char *buf = in->data ? NULL : malloc(CSV_CHUNK);
#pragma omp for schedule(dynamic, 1)
    for (int64_t k = k0; k < np; k++) {
      int64_t begin = k == k0 ? from : k * piece,
              end = n - k * piece > piece ? k * piece + piece : n;
      errno = 0;
      if ((!in->data && !buf) ||
          csv_scan_piece(m, in, buf, begin, end, &ps[k], &ascii[k], &quoted[k]) != 0)
        __atomic_store_n(&unread, errno ? errno : -1, __ATOMIC_RELAXED);
    }
    free(buf);
  }
  return unread;
}

static int csv_unread(char *err, size_t errlen, int unread) {
  return cdrt_fail_msg(err, errlen, "cannot read the file (%s)",
                       unread > 0 ? strerror(unread) : "it shrank while being read");
}

/* The error of a quoted field still open at the end, read from `from` on line `line` */
static int csv_never_closed(const csv_machine *m, const csv_input *in, int64_t from, int64_t line,
                            int64_t n, char *err, size_t errlen) {
  char *buf = in->data ? NULL : malloc(CSV_CHUNK);
  int64_t where = in->data || buf ? csv_open_quote_line(m, in, buf, from, line, n) : -1;
  free(buf);
  if (where < 0)
    return cdrt_fail_msg(err, errlen, "cannot read the file (it shrank while being read)");
  return cdrt_fail_msg(err, errlen,
                       "line %lld: a quoted field is never closed (its opening quote is on "
                       "this line)",
                       (long long)where);
}

static int csv_split(const csv_input *in, int64_t n, int64_t piece, char sep, char quote,
                     cdrt_csv_blocks *out, char *err, size_t errlen) {
  memset(out, 0, sizeof *out);
  if (piece < 1) piece = 1;
  int64_t np = n ? (n - 1) / piece + 1 : 0;
  csv_machine *m = malloc(sizeof *m);
  csv_piece *ps = calloc((size_t)(np ? np : 1), sizeof *ps);
  out->block = calloc((size_t)np + 1, sizeof *out->block);
  out->ascii = calloc((size_t)np + 1, 1);
  out->quoted = calloc((size_t)np + 1, 1);
  out->piece = piece;
  if (!m || !ps || !out->block || !out->ascii || !out->quoted) {
    free(m), free(ps), cdrt_csv_blocks_free(out);
    return cdrt_fail_msg(err, errlen, "out of memory (splitting the file into blocks)");
  }
  csv_machine_init(m, sep, quote);
  int unread = csv_first_pass(m, in, n, piece, 0, 0, ps, out->ascii, out->quoted);
  if (unread) {
    free(ps), free(m), cdrt_csv_blocks_free(out);
    return csv_unread(err, errlen, unread);
  }
  /* in order: each piece's state at its start, and where its first row starts */
  unsigned state = AT_START;
  int64_t line = 1, nb = 0;
  out->block[nb++] = (cdrt_csv_block){0, 0, 1};
  for (int64_t k = 0; k < np; k++) {
    const csv_piece *p = &ps[k];
    if (k > 0 && p->row_end[state] >= 0 && p->row_end[state] + 1 < n)
      out->block[nb++] = (cdrt_csv_block){p->row_end[state] + 1, 0, line + p->nl_before[state] + 1};
    line += p->newlines;
    state = p->state[state];
  }
  for (int64_t b = 0; b < nb; b++) out->block[b].end = b + 1 < nb ? out->block[b + 1].begin : n;
  out->n = nb;
  free(ps);
  int r = state == QUOTED ? csv_never_closed(m, in, 0, 1, n, err, errlen) : 0;
  free(m);
  if (r) cdrt_csv_blocks_free(out);
  return r;
}

int cdrt_csv_split(const char *data, int64_t n, int64_t piece, char sep, char quote,
                   cdrt_csv_blocks *out, char *err, size_t errlen) {
  csv_input in = {data, -1, 0};
  return csv_split(&in, n, piece, sep, quote, out, err, errlen);
}

int cdrt_csv_split_fd(int fd, int64_t base, int64_t n, int64_t piece, char sep, char quote,
                      cdrt_csv_blocks *out, char *err, size_t errlen) {
  csv_input in = {NULL, fd, base};
  return csv_split(&in, n, piece, sep, quote, out, err, errlen);
}

/* Block k of a guessed or re-cut file: [start[k], the next piece's start) (a piece without a
 * row's start: an empty block where the next one starts) */
static void csv_blocks_from_starts(cdrt_csv_blocks *b, const int64_t *start, int64_t k0,
                                   int64_t n) {
  int64_t end = n;
  for (int64_t k = b->n - 1; k >= k0; k--) {
    int64_t at = start[k] >= 0 ? start[k] : end;
    b->block[k] = (cdrt_csv_block){at, end, 0};
    end = at;
  }
}

/* The first '\n' in [begin, end) of the input, or -1; -2 if it cannot be read (buf: room
 * for GUESS_READ bytes, read at a time: a row is rarely longer) */
enum { GUESS_READ = 64 << 10 };
static int64_t csv_first_newline(const csv_input *in, char *buf, int64_t begin, int64_t end) {
  for (int64_t at = begin; at < end; at += GUESS_READ) {
    int64_t len = end - at < GUESS_READ ? end - at : GUESS_READ;
    const char *d = csv_read(in, buf, at, len);
    if (!d) return -2;
    const char *nl = memchr(d, '\n', (size_t)len);
    if (nl) return at + (nl - d);
  }
  return -1;
}

int cdrt_csv_guess_fd(int fd, int64_t base, int64_t n, int64_t piece, cdrt_csv_blocks *out,
                      char *err, size_t errlen) {
  memset(out, 0, sizeof *out);
  if (piece < 1) piece = 1;
  int64_t np = n ? (n - 1) / piece + 1 : 0, nb = np ? np : 1;
  csv_input in = {NULL, fd, base};
  out->block = calloc((size_t)nb + 1, sizeof *out->block);
  int64_t *start = calloc((size_t)nb, sizeof *start);
  out->piece = piece, out->n = nb;
  if (!out->block || !start) {
    free(start), cdrt_csv_blocks_free(out);
    return cdrt_fail_msg(err, errlen, "out of memory (splitting the file into blocks)");
  }
  int unread = 0;
#pragma omp parallel
  {
    char *buf = malloc(GUESS_READ);
#pragma omp for schedule(dynamic, 1)
    for (int64_t k = 1; k < np; k++) {
      int64_t end = n - k * piece > piece ? k * piece + piece : n;
      errno = 0;
      int64_t nl = buf ? csv_first_newline(&in, buf, k * piece, end) : -2;
      if (nl == -2) __atomic_store_n(&unread, errno ? errno : -1, __ATOMIC_RELAXED);
      start[k] = nl >= 0 && nl + 1 < n ? nl + 1 : -1;
    }
    free(buf);
  }
  if (unread) {
    free(start), cdrt_csv_blocks_free(out);
    return csv_unread(err, errlen, unread);
  }
  csv_blocks_from_starts(out, start, 0, n);
  free(start);
  return 0;
}

int cdrt_csv_recut_fd(int fd, int64_t base, int64_t n, char sep, char quote, int64_t k0,
                      int64_t line, cdrt_csv_blocks *b, char *err, size_t errlen) {
  int64_t np = b->n, piece = b->piece;
  csv_input in = {NULL, fd, base};
  if (!b->ascii) b->ascii = calloc((size_t)np + 1, 1);
  if (!b->quoted) b->quoted = calloc((size_t)np + 1, 1);
  csv_machine *m = malloc(sizeof *m);
  csv_piece *ps = calloc((size_t)np + 1, sizeof *ps);
  int64_t *start = calloc((size_t)np + 1, sizeof *start);
  int r = 0;
  if (!b->ascii || !b->quoted || !m || !ps || !start) {
    r = cdrt_fail_msg(err, errlen, "out of memory (splitting the file into blocks)");
    goto done;
  }
  csv_machine_init(m, sep, quote);
  int64_t from = b->block[k0].begin;
  int unread = csv_first_pass(m, &in, n, piece, k0, from, ps, b->ascii, b->quoted);
  if (unread) {
    r = csv_unread(err, errlen, unread);
    goto done;
  }
  unsigned state = AT_START;
  start[k0] = from;
  for (int64_t k = k0 + 1; k < np; k++) {
    state = ps[k - 1].state[state];
    int64_t e = ps[k].row_end[state];
    start[k] = e >= 0 && e + 1 < n ? e + 1 : -1;
  }
  if (np > k0 && ps[np - 1].state[state] == QUOTED) {
    r = csv_never_closed(m, &in, from, line, n, err, errlen);
    goto done;
  }
  csv_blocks_from_starts(b, start, k0, n);
done:
  free(start), free(ps), free(m);
  return r;
}

int cdrt_csv_tail_state(const char *d, int64_t from, int64_t to, char sep, char quote) {
  unsigned s = AT_START;
  for (int64_t i = from; i < to;) {
    const char *q = memchr(d + i, quote, (size_t)(to - i));
    int64_t stop = q ? q - d : to;
    /* bytes without a quote: a quoted field stays open; otherwise the last byte decides */
    if (stop > i && s != QUOTED)
      s = d[stop - 1] == sep || d[stop - 1] == '\n' ? AT_START : UNQUOTED;
    if (!q) break;
    s = csv_next[s][C_QUOTE];
    i = stop + 1;
  }
  return s == AT_START ? 0 : s == QUOTED ? 1 : 2;
}

int cdrt_csv_ascii(const cdrt_csv_blocks *b, int64_t begin, int64_t end) {
  if (!b->ascii || !b->piece || end <= begin) return end <= begin;
  for (int64_t k = begin / b->piece; k <= (end - 1) / b->piece; k++)
    if (!b->ascii[k]) return 0;
  return 1;
}

int cdrt_csv_plain(const cdrt_csv_blocks *b, int64_t begin, int64_t end) {
  if (!b->quoted || !b->piece || end <= begin) return end <= begin;
  for (int64_t k = begin / b->piece; k <= (end - 1) / b->piece; k++)
    if (b->quoted[k]) return 0;
  return 1;
}

void cdrt_csv_blocks_free(cdrt_csv_blocks *b) {
  free(b->quoted);
  free(b->ascii);
  free(b->block);
  memset(b, 0, sizeof *b);
}

/* The first sep or '\n' at or after i (or end), eight bytes at a time: a field's end. */
static inline int64_t csv_field_end(const char *data, int64_t i, int64_t end, char sep) {
  const uint64_t ones = UINT64_C(0x0101010101010101), high = ones << 7;
  const uint64_t s = ones * (unsigned char)sep, nl = ones * '\n';
  for (; i + 8 <= end; i += 8) {
    uint64_t w;
    memcpy(&w, data + i, 8);
    uint64_t a = w ^ s, b = w ^ nl; /* zero bytes where sep or '\n' are */
    uint64_t z = (~(((a & ~high) + ~high) | a) | ~(((b & ~high) + ~high) | b)) & high;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (z) return i + (__builtin_ctzll(z) >> 3); /* the first such byte */
#else
    if (z) break; /* found in these eight bytes: the loop below finds which */
#endif
  }
  while (i < end && data[i] != sep && data[i] != '\n') i++;
  return i;
}

int64_t cdrt_csv_row(const char *data, int64_t at, int64_t end, char sep, char quote,
                     cdrt_csv_field *fields, int cap, int *nfields, int64_t *newlines) {
  int nf = 0;
  int64_t i = at, nl = 0;
  for (;;) {
    cdrt_csv_field f = {i, i, CDRT_CSV_PLAIN};
    if (i < end && data[i] == quote) { /* quoted: to the closing quote */
      f.kind = CDRT_CSV_QUOTED;
      f.begin = ++i;
      for (;;) {
        while (i < end && data[i] != quote) nl += data[i++] == '\n';
        if (i + 1 < end && data[i + 1] == quote) { /* a doubled quote */
          f.kind = CDRT_CSV_COPY;
          i += 2;
          continue;
        }
        break;
      }
      f.end = i; /* the closing quote */
      if (i < end) i++;
      int64_t after = i; /* text after the closing quote, up to sep, is kept */
      while (i < end && data[i] != sep && data[i] != '\n') i++;
      int64_t stop = i;
      if ((i >= end || data[i] == '\n') && stop > after && data[stop - 1] == '\r') stop--;
      if (stop > after) f.kind = CDRT_CSV_COPY, f.end = stop;
    } else {
      i = csv_field_end(data, i, end, sep);
      f.end = i;
      if ((i >= end || data[i] == '\n') && f.end > f.begin && data[f.end - 1] == '\r')
        f.end--; /* "\r\n" */
    }
    if (nf < cap) fields[nf] = f;
    nf++;
    if (i >= end || data[i] == '\n') break;
    i++; /* the separator */
  }
  *nfields = nf;
  *newlines = nl + (i < end);
  return i < end ? i + 1 : end;
}

size_t cdrt_csv_unquote(const char *data, const cdrt_csv_field *f, char quote, char *out) {
  size_t n = 0;
  int inside = f->kind != CDRT_CSV_PLAIN;
  for (int64_t i = f->begin; i < f->end; i++) {
    if (inside && data[i] == quote) {
      if (i + 1 < f->end && data[i + 1] == quote)
        out[n++] = quote, i++; /* "" */
      else
        inside = 0; /* the closing quote */
      continue;
    }
    out[n++] = data[i];
  }
  return n;
}
#endif
