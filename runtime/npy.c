/* The .npy format (NumPy's numpy/lib/format.py), versions 1.0 to 3.0, little-endian
 * dtypes only: reading and validating headers, and writing C-order files atomically
 * (through outfile.c). */
#include "cdrt.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char npy_magic[6] = {'\x93', 'N', 'U', 'M', 'P', 'Y'};

/* Headers of arrays with at most CDRT_MAXDIM dimensions are a few hundred bytes; refuse
 * to allocate for absurd header lengths from corrupt files. */
#define NPY_MAX_HEADER (1 << 20)
#define NPY_ALIGN 64
/* numpy.save leaves room for the first axis to grow to this many digits. */
#define NPY_GROWTH_DIGITS 21

static int npy_fail(char *err, size_t errlen, const char *fmt, ...) {
  if (err && errlen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
  }
  return -1;
}

/* Reads up to n bytes at offset off; *got is how many were read (short only at EOF).
 * Returns 0 or an errno value. */
static int npy_pread_full(int fd, void *buf, size_t n, int64_t off, size_t *got) {
  size_t done = 0;
  while (done < n) {
    ssize_t r = pread(fd, (char *)buf + done, n - done, (off_t)(off + (int64_t)done));
    if (r < 0) {
      if (errno == EINTR) continue;
      *got = done;
      return errno;
    }
    if (r == 0) break;
    done += (size_t)r;
  }
  *got = done;
  return 0;
}

/* Copies at most max bytes of s into out (of size >= max + 4), printable ASCII only, with
 * "..." if cut, so that messages quoting header text stay short and safe to print. */
static void npy_quote_text(char *out, const char *s, size_t n, size_t max) {
  size_t k = 0;
  for (size_t i = 0; i < n && i < max; i++) {
    unsigned char c = (unsigned char)s[i];
    out[k++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
  }
  if (n > max) {
    memcpy(out + k, "...", 3);
    k += 3;
  }
  out[k] = '\0';
}

/* ---- parsing the header dict, a Python literal such as
 *      {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), } */

typedef struct {
  const char *p, *end;
} npy_scanner;

static void npy_skip_ws(npy_scanner *s) {
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r')) s->p++;
}

static int npy_peek(npy_scanner *s) {
  return s->p < s->end ? (unsigned char)*s->p : -1;
}

/* A quoted string without escapes; sets *str and *len to its contents. */
static int npy_scan_string(npy_scanner *s, const char **str, size_t *len) {
  int q = npy_peek(s);
  if (q != '\'' && q != '"') return -1;
  const char *start = ++s->p;
  while (s->p < s->end && *s->p != q) {
    if (*s->p == '\\') return -1;
    s->p++;
  }
  if (s->p >= s->end) return -1;
  *str = start;
  *len = (size_t)(s->p - start);
  s->p++;
  return 0;
}

static int npy_scan_word(npy_scanner *s, const char *w) {
  size_t n = strlen(w);
  if ((size_t)(s->end - s->p) < n || memcmp(s->p, w, n) != 0) return 0;
  /* The word must end here: "Falsey" is not False. */
  if ((size_t)(s->end - s->p) > n) {
    char c = s->p[n];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')
      return 0;
  }
  s->p += n;
  return 1;
}

typedef struct {
  int ndim;
  int64_t shape[CDRT_MAXDIM];
  int too_many;     /* more than CDRT_MAXDIM dimensions */
  int overflow;     /* a dimension does not fit in int64 */
  const char *text; /* the tuple's text, for messages */
  size_t textlen;
} npy_shape_lit;

/* A tuple of non-negative integers: (), (5,), (3, 4), (3, 4,). */
static int npy_scan_shape(npy_scanner *s, npy_shape_lit *sh, char *err, size_t errlen) {
  memset(sh, 0, sizeof *sh);
  sh->text = s->p;
  if (npy_peek(s) != '(') return npy_fail(err, errlen, "bad header: shape is not a tuple");
  s->p++;
  int n = 0, trailing_comma = 0;
  for (;;) {
    npy_skip_ws(s);
    if (npy_peek(s) == ')') break;
    if (n > 0 && !trailing_comma) return npy_fail(err, errlen, "bad header: expected ',' in shape");
    if (npy_peek(s) == '-') return npy_fail(err, errlen, "bad header: negative dimension in shape");
    if (npy_peek(s) < '0' || npy_peek(s) > '9')
      return npy_fail(err, errlen, "bad header: shape is not a tuple of integers");
    /* Python rejects "03"; so do we. */
    if (npy_peek(s) == '0' && s->p + 1 < s->end && s->p[1] >= '0' && s->p[1] <= '9')
      return npy_fail(err, errlen, "bad header: shape is not a tuple of integers");
    int64_t v = 0;
    while (npy_peek(s) >= '0' && npy_peek(s) <= '9') {
      int d = *s->p++ - '0';
      if (v > (INT64_MAX - d) / 10)
        sh->overflow = 1;
      else
        v = v * 10 + d;
    }
    if (npy_peek(s) == 'L') s->p++; /* Python 2 long literal, as old NumPy wrote */
    if (n < CDRT_MAXDIM)
      sh->shape[n] = v;
    else
      sh->too_many = 1;
    n++;
    npy_skip_ws(s);
    trailing_comma = 0;
    if (npy_peek(s) == ',') {
      s->p++;
      trailing_comma = 1;
    }
  }
  /* "(5)" is the integer 5 in Python, not a tuple. */
  if (n == 1 && !trailing_comma) return npy_fail(err, errlen, "bad header: shape is not a tuple");
  s->p++;
  sh->ndim = n;
  sh->textlen = (size_t)(s->p - sh->text);
  return 0;
}

/* Maps a descr to a dtype, or explains why it is not supported. */
static int npy_descr_dtype(const char *d, size_t n, cdrt_dtype *t, char *err, size_t errlen) {
  char q[48];
  npy_quote_text(q, d, n, 32);
  for (int i = 0; i < CDRT_NDTYPES; i++) {
    const char *want = cdrt_dtype_descr((cdrt_dtype)i);
    if (n == strlen(want) && memcmp(d, want, n) == 0) {
      *t = (cdrt_dtype)i;
      return 0;
    }
  }
  /* '>f8' is a type we know in the wrong byte order. */
  if (n >= 3 && d[0] == '>') {
    for (int i = 0; i < CDRT_NDTYPES; i++)
      if (n == strlen(cdrt_dtype_descr((cdrt_dtype)i)) &&
          memcmp(d + 1, cdrt_dtype_descr((cdrt_dtype)i) + 1, n - 1) == 0)
        return npy_fail(err, errlen, "unsupported dtype '%s' (big-endian)", q);
  }
  return npy_fail(err, errlen, "unsupported dtype '%s'", q);
}

static int npy_parse_header(const char *text, size_t len, cdrt_npy_header *h, char *err,
                            size_t errlen) {
  npy_scanner s = {text, text + len};
  int have_descr = 0, have_fortran = 0, have_shape = 0;
  npy_shape_lit sh;
  memset(&sh, 0, sizeof sh);
  npy_skip_ws(&s);
  if (npy_peek(&s) != '{') return npy_fail(err, errlen, "bad header: not a dict");
  s.p++;
  for (;;) {
    npy_skip_ws(&s);
    if (npy_peek(&s) == '}') break;
    const char *key;
    size_t keylen;
    if (npy_scan_string(&s, &key, &keylen) != 0)
      return npy_fail(err, errlen, "bad header: expected a quoted key");
    npy_skip_ws(&s);
    if (npy_peek(&s) != ':') return npy_fail(err, errlen, "bad header: expected ':' after key");
    s.p++;
    npy_skip_ws(&s);
    if (keylen == 5 && memcmp(key, "descr", 5) == 0) {
      const char *d;
      size_t dlen;
      if (npy_peek(&s) == '[') return npy_fail(err, errlen, "unsupported dtype (structured array)");
      if (npy_scan_string(&s, &d, &dlen) != 0)
        return npy_fail(err, errlen, "bad header: descr is not a string");
      if (npy_descr_dtype(d, dlen, &h->dtype, err, errlen) != 0) return -1;
      have_descr = 1;
    } else if (keylen == 13 && memcmp(key, "fortran_order", 13) == 0) {
      if (npy_scan_word(&s, "True"))
        h->fortran_order = 1;
      else if (npy_scan_word(&s, "False"))
        h->fortran_order = 0;
      else
        return npy_fail(err, errlen, "bad header: fortran_order is not True or False");
      have_fortran = 1;
    } else if (keylen == 5 && memcmp(key, "shape", 5) == 0) {
      if (npy_scan_shape(&s, &sh, err, errlen) != 0) return -1;
      have_shape = 1;
    } else {
      char q[48];
      npy_quote_text(q, key, keylen, 32);
      return npy_fail(err, errlen, "bad header: unexpected key '%s'", q);
    }
    npy_skip_ws(&s);
    if (npy_peek(&s) == ',')
      s.p++;
    else if (npy_peek(&s) != '}')
      return npy_fail(err, errlen, "bad header: expected ',' or '}'");
  }
  s.p++;
  npy_skip_ws(&s);
  if (s.p != s.end) return npy_fail(err, errlen, "bad header: junk after the dict");
  if (!have_descr) return npy_fail(err, errlen, "bad header: no 'descr'");
  if (!have_fortran) return npy_fail(err, errlen, "bad header: no 'fortran_order'");
  if (!have_shape) return npy_fail(err, errlen, "bad header: no 'shape'");

  char q[100];
  npy_quote_text(q, sh.text, sh.textlen, 80);
  if (sh.too_many)
    return npy_fail(err, errlen, "shape %s has more than %d dimensions", q, CDRT_MAXDIM);
  /* Element count and byte count must fit in int64 (a zero dimension makes them 0). */
  int64_t count = 1;
  int zero = 0;
  for (int i = 0; i < sh.ndim; i++) zero |= sh.shape[i] == 0;
  if (sh.overflow) return npy_fail(err, errlen, "shape %s overflows", q);
  if (zero)
    count = 0;
  else {
    for (int i = 0; i < sh.ndim; i++) {
      if (count > INT64_MAX / sh.shape[i]) return npy_fail(err, errlen, "shape %s overflows", q);
      count *= sh.shape[i];
    }
  }
  int64_t size = (int64_t)cdrt_dtype_size(h->dtype);
  if (count > (INT64_MAX - h->data_offset) / size)
    return npy_fail(err, errlen, "shape %s overflows", q);
  h->ndim = sh.ndim;
  memcpy(h->shape, sh.shape, sizeof h->shape);
  h->nbytes = count * size;
  return 0;
}

int cdrt_npy_read_header(int fd, cdrt_npy_header *h, char *err, size_t errlen) {
  unsigned char pre[12];
  size_t got;
  struct stat st;
  int e;

  memset(h, 0, sizeof *h);
  if (fstat(fd, &st) != 0) return npy_fail(err, errlen, "cannot stat: %s", strerror(errno));
  if ((e = npy_pread_full(fd, pre, sizeof pre, 0, &got)) != 0)
    return npy_fail(err, errlen, "cannot read: %s", strerror(e));
  if (got == 0) return npy_fail(err, errlen, "not a .npy file (empty)");
  if (memcmp(pre, npy_magic, got < 6 ? got : 6) != 0)
    return npy_fail(err, errlen, "not a .npy file (bad magic)");
  if (got < 8) return npy_fail(err, errlen, "not a .npy file (too short)");
  int major = pre[6], minor = pre[7];
  if (major < 1 || major > 3 || minor != 0)
    return npy_fail(err, errlen, "unsupported .npy version %d.%d", major, minor);
  size_t lensize = major == 1 ? 2 : 4;
  if (got < 8 + lensize) return npy_fail(err, errlen, "truncated header");
  uint32_t hlen = (uint32_t)pre[8] | (uint32_t)pre[9] << 8;
  if (lensize == 4) hlen |= (uint32_t)pre[10] << 16 | (uint32_t)pre[11] << 24;
  int64_t start = 8 + (int64_t)lensize;
  if (S_ISREG(st.st_mode) && start + (int64_t)hlen > (int64_t)st.st_size)
    return npy_fail(err, errlen,
                    "truncated header: %" PRIu32 " header bytes promised, %" PRId64 " present",
                    hlen, (int64_t)st.st_size - start);
  if (hlen > NPY_MAX_HEADER)
    return npy_fail(err, errlen, "bad header: length %" PRIu32 " is too large", hlen);

  char *text = malloc(hlen ? hlen : 1);
  if (!text) return npy_fail(err, errlen, "out of memory");
  if ((e = npy_pread_full(fd, text, hlen, start, &got)) != 0) {
    free(text);
    return npy_fail(err, errlen, "cannot read: %s", strerror(e));
  }
  if (got < hlen) {
    free(text);
    return npy_fail(err, errlen, "truncated header");
  }
  h->data_offset = start + hlen;
  int rc = npy_parse_header(text, hlen, h, err, errlen);
  free(text);
  if (rc != 0) return -1;

  if (S_ISREG(st.st_mode)) {
    int64_t have = (int64_t)st.st_size - h->data_offset;
    if (have < h->nbytes)
      return npy_fail(err, errlen,
                      "truncated: header promises %" PRId64 " bytes of data, file has %" PRId64,
                      h->nbytes, have < 0 ? 0 : have);
  }
  return 0;
}

/* ---- writing */

/* Formats the header exactly as numpy.save does: the dict, room for the first axis to
 * grow, then spaces and '\n' so that the data starts at a multiple of 64. Returns the
 * total header length (magic included), or 0 if buf is too small. */
static size_t npy_format_header(unsigned char *buf, size_t cap, cdrt_dtype t, int ndim,
                                const int64_t *shape) {
  char dict[512];
  int n = snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': False, 'shape': (",
                   cdrt_dtype_descr(t));
  for (int i = 0; i < ndim; i++)
    n += snprintf(dict + n, sizeof dict - (size_t)n, "%s%" PRId64, i ? ", " : "", shape[i]);
  n += snprintf(dict + n, sizeof dict - (size_t)n, "%s), }", ndim == 1 ? "," : "");
  if (ndim > 0) {
    char first[24];
    int pad = NPY_GROWTH_DIGITS - snprintf(first, sizeof first, "%" PRId64, shape[0]);
    while (pad-- > 0) dict[n++] = ' ';
  }
  size_t hlen = (size_t)n + 1; /* the final '\n' */
  size_t lensize = 2;
  size_t padlen = NPY_ALIGN - (8 + lensize + hlen) % NPY_ALIGN;
  if (hlen + padlen > 0xffff) { /* version 2.0: 4-byte header length */
    lensize = 4;
    padlen = NPY_ALIGN - (8 + lensize + hlen) % NPY_ALIGN;
  }
  size_t total = 8 + lensize + hlen + padlen;
  if (total > cap) return 0;
  uint32_t len = (uint32_t)(hlen + padlen);
  memcpy(buf, npy_magic, 6);
  buf[6] = lensize == 2 ? 1 : 2;
  buf[7] = 0;
  for (size_t i = 0; i < lensize; i++) buf[8 + i] = (unsigned char)(len >> (8 * i));
  memcpy(buf + 8 + lensize, dict, (size_t)n);
  memset(buf + 8 + lensize + n, ' ', padlen);
  buf[total - 1] = '\n';
  return total;
}

/* Checks the array, then writes the header and the data into f (not committed). */
static int npy_write_body(cdrt_outfile *f, cdrt_dtype t, int ndim, const int64_t *shape,
                          const void *data, char *err, size_t errlen) {
  const char *path = f->path;
  if ((int)t < 0 || t >= CDRT_NDTYPES)
    return npy_fail(err, errlen, "cannot write %s: invalid dtype", path);
  if (ndim < 0 || ndim > CDRT_MAXDIM || (ndim > 0 && !shape))
    return npy_fail(err, errlen, "cannot write %s: invalid number of dimensions", path);
  int64_t nbytes = (int64_t)cdrt_dtype_size(t);
  for (int i = 0; i < ndim; i++)
    if (shape[i] < 0) return npy_fail(err, errlen, "cannot write %s: negative dimension", path);
  for (int i = 0; i < ndim && nbytes; i++) {
    if (shape[i] == 0)
      nbytes = 0;
    else if (nbytes > INT64_MAX / shape[i])
      return npy_fail(err, errlen, "cannot write %s: shape overflows", path);
    else
      nbytes *= shape[i];
  }
  if (nbytes > 0 && !data) return npy_fail(err, errlen, "cannot write %s: no data", path);

  unsigned char head[1024];
  size_t headlen = npy_format_header(head, sizeof head, t, ndim, shape);
  if (headlen == 0) return npy_fail(err, errlen, "cannot write %s: header too long", path);

  if (cdrt_outfile_write(f, head, headlen, err, errlen) != 0) return -1;
  return cdrt_outfile_write(f, data, (size_t)nbytes, err, errlen);
}

int cdrt_npy_write_to(cdrt_outfile *f, cdrt_dtype t, int ndim, const int64_t *shape,
                      const void *data, char *err, size_t errlen) {
  if (npy_write_body(f, t, ndim, shape, data, err, errlen) != 0) {
    cdrt_outfile_abort(f);
    return -1;
  }
  return cdrt_outfile_commit(f, 1, err, errlen);
}

int cdrt_npy_write(const char *path, cdrt_dtype t, int ndim, const int64_t *shape, const void *data,
                   char *err, size_t errlen) {
  cdrt_outfile f;
  if (!path) return npy_fail(err, errlen, "cannot write: no path");
  if (cdrt_outfile_open(&f, path, err, errlen) != 0) return -1;
  return cdrt_npy_write_to(&f, t, ndim, shape, data, err, errlen);
}
