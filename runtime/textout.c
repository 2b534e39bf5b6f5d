/* textout.c: a bag's partition written by to_textfiles as Dask writes it: the partition's
 * strings joined by "\n", and a last "\n" only with last_endline (even for an empty
 * partition). The result is a frame of (partition, string) rows in partition order, or
 * of strings only (a computed bag: one partition, 0). */
#include "cdrt.h"

#ifdef CDRT_WITH_CSV
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The first row of f whose partition is at least part (column 0 is non-decreasing) */
static int64_t first_row(const cdrt_frame *f, int64_t part) {
  const int64_t *p = f->cols[0].data;
  int64_t lo = 0, hi = f->n;
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    if (p[mid] < part)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

int cdrt_textfile_write(cdrt_outfile *file, const cdrt_frame *f, int64_t part, int last_endline,
                        char *err, size_t errlen) {
  bool parts = f->ncols == 2;
  int64_t lo = parts ? first_row(f, part) : part == 0 ? 0 : f->n;
  int64_t hi = parts ? first_row(f, part + 1) : f->n;
  const cdrt_str *s = f->cols[parts ? 1 : 0].data;
  for (int64_t i = lo; i < hi; i++) {
    if ((i > lo && cdrt_outfile_write(file, "\n", 1, err, errlen) != 0) ||
        (s[i].n && cdrt_outfile_write(file, s[i].p, (size_t)s[i].n, err, errlen) != 0))
      return cdrt_outfile_abort(file), -1;
  }
  if (last_endline && cdrt_outfile_write(file, "\n", 1, err, errlen) != 0)
    return cdrt_outfile_abort(file), -1;
  return cdrt_outfile_commit(file, 1, err, errlen);
}

int cdrt_make_parent_dirs(const char *path, size_t from, char *err, size_t errlen) {
  char *p = strdup(path);
  if (!p) return snprintf(err, errlen, "out of memory"), -1;
  for (char *slash = strchr(p + from, '/'); slash; slash = strchr(slash + 1, '/')) {
    *slash = 0;
    struct stat st;
    if (mkdir(p, 0777) != 0 && errno != EEXIST) {
      snprintf(err, errlen, "cannot make the directory %s: %s", p, strerror(errno));
      return free(p), -1;
    }
    if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode)) {
      snprintf(err, errlen, "cannot write %s: %s is not a directory", path, p);
      return free(p), -1;
    }
    *slash = '/';
  }
  free(p);
  return 0;
}
#endif
