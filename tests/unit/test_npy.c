/* Unit tests of runtime/npy.c and runtime/dtype.c: round trips of every dtype and rank,
 * the exact header numpy.save writes, every rejection, atomic writes, and a fuzz of the
 * header reader. */
#include "cdrt.h"
#include "test.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static void path_in(char *buf, size_t n, const char *name) {
  snprintf(buf, n, "%s/%s", dir, name);
}

static void write_bytes(const char *path, const void *data, size_t n) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT(fd >= 0);
  if (fd < 0) return;
  ASSERT(write(fd, data, n) == (ssize_t)n);
  close(fd);
}

/* Writes a version-1.0 file with header text hdr (padded as NumPy pads it) and then
 * ndata zero bytes of data. */
static void write_npy(const char *path, const char *hdr, size_t ndata) {
  size_t hl = strlen(hdr), pad = (64 - (10 + hl + 1) % 64) % 64, total = 10 + hl + pad + 1;
  unsigned char *b = calloc(1, total + ndata);
  memcpy(b, "\x93NUMPY\x01\x00", 8);
  b[8] = (unsigned char)((hl + pad + 1) & 0xff);
  b[9] = (unsigned char)((hl + pad + 1) >> 8);
  memcpy(b + 10, hdr, hl);
  memset(b + 10 + hl, ' ', pad);
  b[total - 1] = '\n';
  write_bytes(path, b, total + ndata);
  free(b);
}

/* Reads the header of path: returns the reader's result, message in err. */
static int read_hdr(const char *path, cdrt_npy_header *h, char *err, size_t errlen) {
  int fd = open(path, O_RDONLY);
  ASSERT(fd >= 0);
  if (fd < 0) return -2;
  int rc = cdrt_npy_read_header(fd, h, err, errlen);
  close(fd);
  return rc;
}

/* Expects the header text hdr (with ndata bytes of data) to be rejected with a message
 * containing want. */
static void expect_reject(const char *hdr, size_t ndata, const char *want) {
  char path[128], err[256] = "";
  cdrt_npy_header h;
  path_in(path, sizeof path, "reject.npy");
  write_npy(path, hdr, ndata);
  int rc = read_hdr(path, &h, err, sizeof err);
  ASSERT(rc == -1);
  ASSERT(strstr(err, want) != NULL);
  if (rc != -1 || !strstr(err, want))
    fprintf(stderr, "  header %s\n  message '%s', wanted '%s'\n", hdr, err, want);
}

static int count_entries(const char *d) {
  DIR *dp = opendir(d);
  int n = 0;
  if (!dp) return -1;
  for (struct dirent *e; (e = readdir(dp));)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
  closedir(dp);
  return n;
}

static void test_dtype(void) {
  ASSERT(strcmp(cdrt_dtype_name(CDRT_FLOAT64), "float64") == 0);
  ASSERT(strcmp(cdrt_dtype_descr(CDRT_BOOL), "|b1") == 0);
  ASSERT(strcmp(cdrt_dtype_descr(CDRT_INT32), "<i4") == 0);
  ASSERT(cdrt_dtype_size(CDRT_INT64) == 8 && cdrt_dtype_size(CDRT_FLOAT32) == 4);
  ASSERT(cdrt_dtype_size(CDRT_BOOL) == 1);
  for (int t = 0; t < CDRT_NDTYPES; t++)
    ASSERT(cdrt_dtype_from_name(cdrt_dtype_name((cdrt_dtype)t)) == t);
  ASSERT(cdrt_dtype_from_name("float16") == -1);
  ASSERT(cdrt_dtype_from_name(NULL) == -1);
}

static void test_roundtrip(void) {
  static const int64_t shapes[][4] = {{0}, {1, 7}, {1, 0}, {3, 2, 3, 4}, {3, 2, 0, 4}};
  unsigned char data[2 * 3 * 4 * 8], back[sizeof data];
  for (size_t i = 0; i < sizeof data; i++) data[i] = (unsigned char)(i * 37 + 11);
  for (int t = 0; t < CDRT_NDTYPES; t++) {
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
      int ndim = (int)shapes[s][0];
      const int64_t *shape = shapes[s] + 1;
      char path[128], err[256];
      path_in(path, sizeof path, "rt.npy");
      unlink(path);
      ASSERT(cdrt_npy_write(path, (cdrt_dtype)t, ndim, shape, data, err, sizeof err) == 0);
      ASSERT(count_entries(dir) == 1); /* no temporary file left */
      cdrt_npy_header h;
      int fd = open(path, O_RDONLY);
      ASSERT(fd >= 0);
      ASSERT(cdrt_npy_read_header(fd, &h, err, sizeof err) == 0);
      ASSERT(h.dtype == (cdrt_dtype)t && h.ndim == ndim && !h.fortran_order);
      int64_t n = 1;
      for (int d = 0; d < ndim; d++) {
        ASSERT(h.shape[d] == shape[d]);
        n *= shape[d];
      }
      ASSERT(h.nbytes == n * (int64_t)cdrt_dtype_size((cdrt_dtype)t));
      ASSERT(h.data_offset % 64 == 0);
      struct stat st;
      ASSERT(fstat(fd, &st) == 0 && st.st_size == h.data_offset + h.nbytes);
      /* The header ends with '\n' just before the data. */
      char c = 0;
      ASSERT(pread(fd, &c, 1, h.data_offset - 1) == 1 && c == '\n');
      ASSERT(pread(fd, back, (size_t)h.nbytes, h.data_offset) == h.nbytes);
      ASSERT(memcmp(back, data, (size_t)h.nbytes) == 0);
      close(fd);
    }
  }
}

/* The exact bytes numpy.save writes for a (3, 4) float64 array. */
static void test_exact_header(void) {
  char path[128], err[256];
  unsigned char buf[128];
  double v[12] = {0};
  int64_t shape[2] = {3, 4};
  path_in(path, sizeof path, "exact.npy");
  ASSERT(cdrt_npy_write(path, CDRT_FLOAT64, 2, shape, v, err, sizeof err) == 0);
  int fd = open(path, O_RDONLY);
  ASSERT(fd >= 0 && read(fd, buf, sizeof buf) == sizeof buf);
  close(fd);
  const char *dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }";
  ASSERT(memcmp(buf, "\x93NUMPY\x01\x00\x76\x00", 10) == 0);
  ASSERT(memcmp(buf + 10, dict, strlen(dict)) == 0);
  for (size_t i = 10 + strlen(dict); i < 127; i++) ASSERT(buf[i] == ' ');
  ASSERT(buf[127] == '\n');

  int64_t one = 5;
  ASSERT(cdrt_npy_write(path, CDRT_BOOL, 1, &one, "\1\0\1\0\1", err, sizeof err) == 0);
  fd = open(path, O_RDONLY);
  ASSERT(fd >= 0 && read(fd, buf, sizeof buf) == 128);
  close(fd);
  dict = "{'descr': '|b1', 'fortran_order': False, 'shape': (5,), }";
  ASSERT(memcmp(buf + 10, dict, strlen(dict)) == 0);

  ASSERT(cdrt_npy_write(path, CDRT_INT32, 0, NULL, "\1\0\0\0", err, sizeof err) == 0);
  fd = open(path, O_RDONLY);
  ASSERT(fd >= 0 && read(fd, buf, sizeof buf) == 128);
  close(fd);
  dict = "{'descr': '<i4', 'fortran_order': False, 'shape': (), }";
  ASSERT(memcmp(buf + 10, dict, strlen(dict)) == 0);
}

static void test_accept(void) {
  char path[128], err[256];
  cdrt_npy_header h;
  path_in(path, sizeof path, "accept.npy");
  /* Any key order, spacing, double quotes, no trailing comma, Fortran order. */
  write_npy(path, "{ \"shape\" :( 2 ,3 ,) ,'fortran_order':True,'descr':'<i8'}", 48);
  ASSERT(read_hdr(path, &h, err, sizeof err) == 0);
  ASSERT(h.dtype == CDRT_INT64 && h.ndim == 2 && h.shape[0] == 2 && h.shape[1] == 3);
  ASSERT(h.fortran_order == 1 && h.data_offset == 128 && h.nbytes == 48);
  write_npy(path, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }", 4);
  ASSERT(read_hdr(path, &h, err, sizeof err) == 0 && h.ndim == 0 && h.nbytes == 4);
  /* A zero dimension makes the array empty, but the others still obey NumPy's rule (their
   * product times the item size fits in int64), as for the writer. */
  write_npy(path, "{'descr': '<f8', 'fortran_order': False, 'shape': (0, 1152921504606846975), }",
            0);
  ASSERT(read_hdr(path, &h, err, sizeof err) == 0 && h.nbytes == 0);
  write_npy(path, "{'descr': '<f8', 'fortran_order': False, 'shape': (0, 1152921504606846976), }",
            0);
  ASSERT(read_hdr(path, &h, err, sizeof err) != 0);
  ASSERT(strcmp(err, "shape (0, 1152921504606846976) overflows") == 0);
  /* Extra bytes after the data are allowed, as NumPy allows them. */
  write_npy(path, "{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", 10);
  ASSERT(read_hdr(path, &h, err, sizeof err) == 0 && h.nbytes == 3);

  /* Versions 2.0 and 3.0 have a 4-byte header length. */
  for (int major = 2; major <= 3; major++) {
    const char *d = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }";
    unsigned char b[128 + 16] = {0};
    size_t hl = strlen(d);
    memcpy(b, "\x93NUMPY", 6);
    b[6] = (unsigned char)major;
    b[8] = 128 - 12;
    memcpy(b + 12, d, hl);
    memset(b + 12 + hl, ' ', 128 - 12 - hl - 1);
    b[127] = '\n';
    write_bytes(path, b, sizeof b);
    ASSERT(read_hdr(path, &h, err, sizeof err) == 0);
    ASSERT(h.data_offset == 128 && h.nbytes == 16 && h.shape[0] == 2);
  }
}

static void test_reject(void) {
  char path[128], err[256];
  cdrt_npy_header h;
  path_in(path, sizeof path, "bad.npy");

  write_bytes(path, "PK\x03\x04 not numpy at all", 22);
  ASSERT(read_hdr(path, &h, err, sizeof err) == -1);
  ASSERT(strcmp(err, "not a .npy file (bad magic)") == 0);
  write_bytes(path, "", 0);
  ASSERT(read_hdr(path, &h, err, sizeof err) == -1 && strstr(err, "not a .npy file"));
  write_bytes(path, "\x93NUMPY\x01", 7);
  ASSERT(read_hdr(path, &h, err, sizeof err) == -1 && strstr(err, "not a .npy file"));
  write_bytes(path, "\x93NUMPY\x07\x00\x10\x00{}", 12);
  ASSERT(read_hdr(path, &h, err, sizeof err) == -1);
  ASSERT(strcmp(err, "unsupported .npy version 7.0") == 0);
  /* Truncated header, and a huge header length. */
  write_bytes(path, "\x93NUMPY\x01\x00\x76\x00{'descr': '<f8'", 25);
  ASSERT(read_hdr(path, &h, err, sizeof err) == -1 && strstr(err, "truncated header"));
  write_bytes(path, "\x93NUMPY\x02\x00\xff\xff\xff\xff{'descr'", 20);
  ASSERT(read_hdr(path, &h, err, sizeof err) == -1 && strstr(err, "truncated header"));
  write_bytes(path, "\x93NUMPY\x01\x00", 8);
  ASSERT(read_hdr(path, &h, err, sizeof err) == -1 && strstr(err, "truncated header"));

  expect_reject("{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }", 16,
                "unsupported dtype '>f8' (big-endian)");
  expect_reject("{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }", 16,
                "unsupported dtype '>i4' (big-endian)");
  expect_reject("{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }", 16,
                "unsupported dtype '<i2'");
  expect_reject("{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }", 16,
                "unsupported dtype '|u1'");
  expect_reject("{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }", 64,
                "unsupported dtype '<f2'");
  expect_reject("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (2,), }", 16,
                "unsupported dtype");
  expect_reject("{'descr': '<f8', 'fortran_order': False, 'shape': (3037000500, 3037000500), }", 0,
                "shape (3037000500, 3037000500) overflows");
  expect_reject("{'descr': '<f8', 'fortran_order': False, 'shape': (1152921504606846976,), }", 0,
                "shape (1152921504606846976,) overflows");
  expect_reject("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,), }", 0,
                "overflows");
  expect_reject("{'descr': '<f8', 'fortran_order': False, 'shape': (1,1,1,1,1,1,1,1,1), }", 8,
                "more than 8 dimensions");
  expect_reject("{'descr': '<f8', 'fortran_order': False, 'shape': (-2,), }", 0,
                "bad header: negative dimension");
  expect_reject("{'descr': '<f8', 'fortran_order': False, 'shape': (10,), }", 79,
                "truncated: header promises 80 bytes of data, file has 79");
  /* Bad dicts. */
  expect_reject("", 0, "bad header");
  expect_reject("[1, 2, 3]", 0, "bad header");
  expect_reject("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), ", 16, "bad header");
  expect_reject("{'descr': '<f8', 'fortran_order': False}", 16, "bad header: no 'shape'");
  expect_reject("{'fortran_order': False, 'shape': (2,)}", 16, "bad header: no 'descr'");
  expect_reject("{'descr': '<f8', 'shape': (2,)}", 16, "bad header: no 'fortran_order'");
  expect_reject("{'descr': '<f8', 'fortran_order': 0, 'shape': (2,)}", 16, "fortran_order");
  expect_reject("{'descr': '<f8', 'fortran_order': Falsey, 'shape': (2,)}", 16, "fortran_order");
  expect_reject("{'descr': <f8, 'fortran_order': False, 'shape': (2,)}", 16, "descr");
  expect_reject("{'descr': '<f8', 'fortran_order': False, 'shape': (2)}", 16,
                "shape is not a tuple");
  expect_reject("{'descr': '<f8', 'fortran_order': False, 'shape': [2]}", 16,
                "shape is not a tuple");
  expect_reject("{'descr': '<f8', 'fortran_order': False, 'shape': (2 3)}", 48, "bad header");
  expect_reject("{'descr': '<f8', 'fortran_order': False, 'shape': (2,,)}", 16, "bad header");
  expect_reject("{'descr': '<f8', 'fortran_order': False, 'shape': (2.5,)}", 16, "bad header");
  expect_reject("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'x': 1}", 16,
                "unexpected key 'x'");
  expect_reject("{'descr': '<f8' 'fortran_order': False, 'shape': (2,)}", 16, "bad header");
  expect_reject("{'descr': '<f8', 'fortran_order': False, 'shape': (2,)} junk", 16, "bad header");
  expect_reject("{'descr: '<f8', 'fortran_order': False, 'shape': (2,)}", 16, "bad header");

  /* A short message buffer truncates, never overflows. */
  char small[8];
  memset(small, 'x', sizeof small);
  write_bytes(path, "PK\x03\x04 not numpy at all", 22);
  ASSERT(read_hdr(path, &h, small, 5) == -1 && strlen(small) == 4 && small[5] == 'x');
}

static void test_write_failures(void) {
  char path[200], err[256] = "";
  double v[2] = {1, 2};
  int64_t shape[1] = {2};

  /* Into a directory that does not exist. */
  path_in(path, sizeof path, "missing/x.npy");
  ASSERT(cdrt_npy_write(path, CDRT_FLOAT64, 1, shape, v, err, sizeof err) == -1);
  char want[256];
  snprintf(want, sizeof want, "cannot write %s: %s", path, strerror(ENOENT));
  ASSERT(strcmp(err, want) == 0);

  /* Over a directory: the rename fails after the data was written, and the temporary
   * file must go. */
  char sub[160];
  path_in(sub, sizeof sub, "sub");
  ASSERT(mkdir(sub, 0755) == 0);
  snprintf(path, sizeof path, "%s/target", sub);
  ASSERT(mkdir(path, 0755) == 0);
  ASSERT(cdrt_npy_write(path, CDRT_FLOAT64, 1, shape, v, err, sizeof err) == -1);
  ASSERT(strncmp(err, "cannot write ", 13) == 0 && strstr(err, path));
  ASSERT(count_entries(sub) == 1);
  rmdir(path);

  /* Into a read-only directory (root may write anyway). */
  if (geteuid() != 0) {
    ASSERT(chmod(sub, 0555) == 0);
    snprintf(path, sizeof path, "%s/x.npy", sub);
    ASSERT(cdrt_npy_write(path, CDRT_FLOAT64, 1, shape, v, err, sizeof err) == -1);
    ASSERT(strstr(err, strerror(EACCES)) != NULL);
    ASSERT(count_entries(sub) == 0);
    chmod(sub, 0755);
  }
  rmdir(sub);

  /* Invalid arguments. */
  int64_t neg[1] = {-1}, big[2] = {INT64_MAX / 2, 3};
  path_in(path, sizeof path, "inv.npy");
  ASSERT(cdrt_npy_write(path, CDRT_FLOAT64, 1, neg, v, err, sizeof err) == -1);
  ASSERT(cdrt_npy_write(path, CDRT_FLOAT64, 2, big, v, err, sizeof err) == -1);
  ASSERT(cdrt_npy_write(path, CDRT_FLOAT64, CDRT_MAXDIM + 1, big, v, err, sizeof err) == -1);
  ASSERT(cdrt_npy_write(path, CDRT_NDTYPES, 1, shape, v, err, sizeof err) == -1);
  ASSERT(access(path, F_OK) != 0);
}

/* Random bytes, truncations and byte flips of a valid file: the reader must return 0 or
 * -1 with a message, and never crash (run under sanitizers to check memory safety). */
static void test_fuzz(void) {
  char path[128], good[128], err[256];
  cdrt_npy_header h;
  double v[12] = {0};
  int64_t shape[2] = {3, 4};
  path_in(good, sizeof good, "good.npy");
  path_in(path, sizeof path, "fuzz.npy");
  ASSERT(cdrt_npy_write(good, CDRT_FLOAT64, 2, shape, v, err, sizeof err) == 0);
  unsigned char base[128 + 96];
  int fd = open(good, O_RDONLY);
  ASSERT(fd >= 0 && read(fd, base, sizeof base) == sizeof base);
  close(fd);
  uint32_t seed = 12345;
  int ok = 1;
  for (int it = 0; it < 3000; it++) {
    unsigned char b[sizeof base];
    size_t n = sizeof b;
    memcpy(b, base, sizeof b);
    seed = seed * 1664525u + 1013904223u;
    int kind = (int)(seed >> 28) % 4;
    if (kind == 0) {
      n = (seed >> 8) % sizeof b;
      for (size_t i = 0; i < n; i++)
        b[i] = (unsigned char)((seed = seed * 1664525u + 1013904223u) >> 24);
    } else if (kind == 1) {
      n = (seed >> 8) % sizeof b;
    } else {
      for (int k = 0; k < 1 + (int)((seed >> 4) % 4); k++) {
        seed = seed * 1664525u + 1013904223u;
        b[(seed >> 8) % 128] = (unsigned char)(seed >> 24);
      }
    }
    write_bytes(path, b, n);
    err[0] = '\0';
    int rc = read_hdr(path, &h, err, sizeof err);
    if (!(rc == 0 || (rc == -1 && err[0] != '\0'))) ok = 0;
    if (rc == 0 && (h.ndim < 0 || h.ndim > CDRT_MAXDIM || h.nbytes < 0)) ok = 0;
  }
  ASSERT(ok);
}

int main(void) {
  snprintf(dir, sizeof dir, "/tmp/cdask_test_npy_XXXXXX");
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  test_dtype();
  test_roundtrip();
  test_exact_header();
  test_accept();
  test_reject();
  test_write_failures();
  test_fuzz();
  /* Clean up. */
  DIR *dp = opendir(dir);
  for (struct dirent *e; dp && (e = readdir(dp));) {
    char p[400];
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    unlink(p);
  }
  if (dp) closedir(dp);
  rmdir(dir);
  TEST_END();
}
