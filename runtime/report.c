/* report.c: the HTML report (--report FILE.html). The page is templates/report.html,
 * embedded at build time as cdrt_report_template; its placeholder REPORT_PLACEHOLDER
 * (inside a <script> element) is replaced by the trace JSON the caller writes, made safe to
 * sit in a script element: "</" becomes "<\/" (so "</script>" in a string cannot close the
 * element) and "<!--" becomes "\u003c!--" (which would start HTML's escaped script state).
 * Both occur only inside JSON strings, where the replacements mean the same characters. */
#include "cdrt.h"

#include <stdlib.h>
#include <string.h>

#define REPORT_PLACEHOLDER "/*CDASK_DATA*/null"

/* Writes n bytes of JSON to f, escaped for a <script> element. */
static int write_script_safe(cdrt_outfile *f, const char *s, size_t n, char *err, size_t errlen) {
  size_t start = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] != '<') continue;
    const char *with = NULL;
    size_t skip = 0;
    if (i + 1 < n && s[i + 1] == '/') {
      with = "<\\/";
      skip = 2;
    } else if (i + 3 < n && memcmp(s + i, "<!--", 4) == 0) {
      with = "\\u003c!--";
      skip = 4;
    }
    if (!with) continue;
    if (cdrt_outfile_write(f, s + start, i - start, err, errlen) != 0 ||
        cdrt_outfile_write(f, with, strlen(with), err, errlen) != 0)
      return -1;
    start = i + skip;
    i += skip - 1;
  }
  return cdrt_outfile_write(f, s + start, n - start, err, errlen);
}

int cdrt_report_fill(cdrt_outfile *f, const char *page, const char *data, size_t n, char *err,
                     size_t errlen) {
  const char *at = strstr(page, REPORT_PLACEHOLDER);
  if (!at || strstr(at + 1, REPORT_PLACEHOLDER))
    return cdrt_fail_msg(err, errlen, "cannot write %s: the report template has %s placeholder",
                         f->path, at ? "more than one" : "no");
  const char *rest = at + strlen(REPORT_PLACEHOLDER);
  if (cdrt_outfile_write(f, page, (size_t)(at - page), err, errlen) != 0 ||
      write_script_safe(f, data, n, err, errlen) != 0 ||
      cdrt_outfile_write(f, rest, strlen(rest), err, errlen) != 0)
    return -1;
  return 0;
}

int cdrt_report_write(const char *path, void (*write_data)(FILE *out, void *arg), void *arg,
                      char *err, size_t errlen) {
  cdrt_outfile f;
  if (cdrt_outfile_open(&f, path, err, errlen) != 0) return -1;
  /* the data in memory first: it is escaped as a whole, and a failure leaves no file */
  char *data = NULL;
  size_t n = 0;
  FILE *mem = open_memstream(&data, &n);
  if (!mem) {
    cdrt_outfile_abort(&f);
    return cdrt_fail_msg(err, errlen, "cannot write %s: out of memory", path);
  }
  write_data(mem, arg);
  if (ftell(mem) == 0) fputs("null", mem); /* no data: the page says so */
  int bad = ferror(mem);
  if (fclose(mem) != 0 || bad || !data) {
    free(data);
    cdrt_outfile_abort(&f);
    return cdrt_fail_msg(err, errlen, "cannot write %s: out of memory", path);
  }
  int rc = cdrt_report_fill(&f, cdrt_report_template, data, n, err, errlen);
  free(data);
  if (rc != 0) {
    cdrt_outfile_abort(&f);
    return -1;
  }
  return cdrt_outfile_commit(&f, 0, err, errlen);
}
