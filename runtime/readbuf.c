/* readbuf.c: a block read with pread() through a small buffer instead of mapped, for the
 * CSV and text scans. On this project's VMs a byte of page cache costs about three times as
 * much through a mapping (a page fault or populate per 4 kB, a TLB miss per page, the
 * hardware prefetcher stopping at each page, the pages zapped afterwards) as copied by the
 * kernel into a buffer that stays in L2 (bench/io/read_paths: 200 MB in 0.12 s mapped, 0.03 s
 * read). The buffer holds whole lines: a scan reads them, then the buffer is refilled. */
#include "cdrt.h"

#ifdef CDRT_WITH_CSV
#include <errno.h>
#include <string.h>
#include <unistd.h>

const char *cdrt_source_fn(const cdrt_csv_source *s) {
  return s->json ? "db.read_json_lines" : s->text ? "db.read_text" : "dd.read_csv";
}

int64_t cdrt_scan_refill(cdrt_scan *c, int64_t at, int64_t stop) {
  if (c->pending) c->pending(c->pending_ctx); /* nothing points into the buffer after */
  const cdrt_csv_file *f = &c->s->files[c->s->block_file[c->block]];
  int64_t left = c->fill - at;
  memmove(c->buf, c->buf + at, (size_t)left);
  c->base += at, c->fill = left;
  int64_t end = stop - c->base;
  for (;;) {
    while (c->fill < c->bufcap && c->fill < end) {
      int64_t want = (c->bufcap < end ? c->bufcap : end) - c->fill;
      ssize_t got = pread(f->fd, c->buf + c->fill, (size_t)want, (off_t)(c->base + c->fill));
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0)
        cdrt_fatal(CDRT_EXIT_INPUT, "%s: cannot read: %s (%s at %s)", f->path,
                   got ? strerror(errno) : "the file is shorter than when it was opened",
                   cdrt_source_fn(c->s), c->s->where);
      c->fill += got;
    }
    const char *nl = c->fill < end ? memrchr(c->buf, '\n', (size_t)c->fill) : NULL;
    if (c->fill == end || nl) {
      c->data = c->buf;
      return nl ? nl - c->buf + 1 : c->fill;
    }
    c->bufcap *= 2; /* a line longer than the buffer */
    c->buf = cdrt_realloc(c->buf, (size_t)c->bufcap);
  }
}
#endif
