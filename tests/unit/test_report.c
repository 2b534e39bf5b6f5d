/* Unit tests of runtime/report.c: the placeholder is replaced once, "</" and "<!--" in the
 * data are escaped (also across the edges of the data), a template without exactly one
 * placeholder is refused with nothing written, and cdrt_report_write writes the embedded
 * page atomically (a directory is refused, an old file stays whole on failure). */
#include "cdrt.h"
#include "test.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

/* The whole file at path (NUL-terminated), or NULL. */
static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *buf = NULL;
  size_t n = 0, cap = 0, got;
  char chunk[4096];
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (n + got + 1 > cap) buf = realloc(buf, cap = 2 * (n + got + 1));
    memcpy(buf + n, chunk, got);
    n += got;
  }
  fclose(f);
  if (!buf) buf = calloc(1, 1);
  buf[n] = 0;
  return buf;
}

static int files_in_dir(void) {
  DIR *d = opendir(dir);
  int n = 0;
  for (struct dirent *e; (e = readdir(d));)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
  closedir(d);
  return n;
}

/* Fills page with data into dir/fill.html; returns the file's text (NULL on failure). */
static char *fill(const char *page, const char *data, int *rc) {
  char path[128], err[256];
  snprintf(path, sizeof path, "%s/fill.html", dir);
  unlink(path);
  cdrt_outfile f;
  ASSERT(cdrt_outfile_open(&f, path, err, sizeof err) == 0);
  *rc = cdrt_report_fill(&f, page, data, strlen(data), err, sizeof err);
  if (*rc != 0) {
    cdrt_outfile_abort(&f);
    return NULL;
  }
  ASSERT(cdrt_outfile_commit(&f, 0, err, sizeof err) == 0);
  return slurp(path);
}

static void expect_fill(const char *data, const char *want) {
  int rc;
  char *got = fill("A /*CDASK_DATA*/null; B", data, &rc);
  ASSERT(rc == 0);
  char expected[512];
  snprintf(expected, sizeof expected, "A %s; B", want);
  ASSERT(got && strcmp(got, expected) == 0);
  if (got && strcmp(got, expected) != 0)
    fprintf(stderr, "  got [%s]\n  want [%s]\n", got, expected);
  free(got);
}

static void test_escaping(void) {
  expect_fill("{\"a\": 1}", "{\"a\": 1}");
  expect_fill("\"</script><script>x()</script>\"", "\"<\\/script><script>x()<\\/script>\"");
  expect_fill("\"<!--<script>\"", "\"\\u003c!--<script>\"");
  expect_fill("\"</\"", "\"<\\/\"");
  expect_fill("\"<\"", "\"<\"");       /* a lone '<' stays */
  expect_fill("\"<!-\"", "\"<!-\"");   /* not a comment opening */
  expect_fill("\"<</\"", "\"<<\\/\""); /* only the '<' before '/' */
  expect_fill("\"a<\"", "\"a<\"");     /* '<' as the last byte */
  expect_fill("\"<!--\"", "\"\\u003c!--\"");
  expect_fill("", "");
}

static void test_placeholder_count(void) {
  int rc;
  char *got = fill("no placeholder here", "1", &rc);
  ASSERT(rc == -1 && got == NULL);
  got = fill("/*CDASK_DATA*/null /*CDASK_DATA*/null", "1", &rc);
  ASSERT(rc == -1 && got == NULL);
  ASSERT(files_in_dir() == 0); /* nothing half-written: the temporary file is gone */
  /* the embedded page: a whole document with the placeholder exactly once, in a script */
  const char *at = strstr(cdrt_report_template, "const DATA = /*CDASK_DATA*/null;");
  ASSERT(strncmp(cdrt_report_template, "<!DOCTYPE html>", 15) == 0);
  const char *p = strstr(cdrt_report_template, "/*CDASK_DATA*/null");
  ASSERT(at && p == at + strlen("const DATA = ") && !strstr(p + 1, "/*CDASK_DATA*/null"));
  ASSERT(strstr(cdrt_report_template, "</html>"));
}

static void write_json(FILE *out, void *arg) {
  fputs((const char *)arg, out);
}

static void write_nothing(FILE *out, void *arg) {
  (void)out, (void)arg;
}

static void test_write(void) {
  char path[128], err[256];
  snprintf(path, sizeof path, "%s/report.html", dir);
  ASSERT(cdrt_report_write(path, write_json, "{\"s\": \"</b>\"}", err, sizeof err) == 0);
  char *got = slurp(path);
  const char *at = strstr(cdrt_report_template, "/*CDASK_DATA*/null");
  size_t head = (size_t)(at - cdrt_report_template);
  ASSERT(got && strncmp(got, cdrt_report_template, head) == 0);
  ASSERT(got && strncmp(got + head, "{\"s\": \"<\\/b>\"};", 15) == 0);
  ASSERT(got && strcmp(got + head + 14, at + strlen("/*CDASK_DATA*/null")) == 0);
  free(got);

  ASSERT(cdrt_report_write(path, write_nothing, NULL, err, sizeof err) == 0);
  got = slurp(path);
  ASSERT(got && strstr(got, "const DATA = null;"));
  free(got);
  ASSERT(files_in_dir() == 1);

  /* a directory is refused, with its name in the message, and left alone */
  char sub[128];
  snprintf(sub, sizeof sub, "%s/sub", dir);
  ASSERT(mkdir(sub, 0755) == 0);
  err[0] = 0;
  ASSERT(cdrt_report_write(sub, write_json, "1", err, sizeof err) == -1);
  ASSERT(strstr(err, sub) != NULL);
  struct stat st;
  ASSERT(stat(sub, &st) == 0 && S_ISDIR(st.st_mode));
  rmdir(sub);

  /* a missing directory */
  snprintf(sub, sizeof sub, "%s/none/report.html", dir);
  ASSERT(cdrt_report_write(sub, write_json, "1", err, sizeof err) == -1);
  ASSERT(strstr(err, "cannot write") != NULL);
  ASSERT(files_in_dir() == 1);
  unlink(path);
}

int main(void) {
  snprintf(dir, sizeof dir, "/tmp/cdask_report_XXXXXX");
  if (!mkdtemp(dir)) return 1;
  test_escaping();
  test_placeholder_count();
  test_write();
  rmdir(dir);
  TEST_END();
}
