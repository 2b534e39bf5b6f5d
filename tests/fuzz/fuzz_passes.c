/* fuzz_passes.c: the helpers of fuzz_passes.h. */
#include "fuzz_passes.h"
#include "cdask.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* emit.c amalgamates the runtime's source into every program; the harnesses never build
 * the program, so the runtime is left out. */
const char cdrt_source[] = "";
const char cdask_kernel_header[] = "";

unsigned fuzz_pick(FuzzBytes *b, unsigned n) {
  if (n <= 1 || b->pos >= b->size) return 0;
  unsigned v = b->data[b->pos++];
  if (n > 256 && b->pos < b->size) v = v << 8 | b->data[b->pos++];
  return v % n;
}

int64_t fuzz_int(FuzzBytes *b) {
  static const int64_t edges[] = {0,
                                  1,
                                  2,
                                  3,
                                  -1,
                                  -2,
                                  5,
                                  7,
                                  -3,
                                  64,
                                  1000,
                                  1 << 20,
                                  INT32_MAX,
                                  INT32_MIN,
                                  (int64_t)1 << 31,
                                  INT64_MAX,
                                  INT64_MIN,
                                  (int64_t)1 << 62,
                                  4294967297LL,
                                  -4294967295LL};
  unsigned k = fuzz_pick(b, 4);
  if (k == 0) return edges[fuzz_pick(b, sizeof edges / sizeof edges[0])];
  if (k == 3) return (int64_t)fuzz_pick(b, 65536) - 32768;
  return (int64_t)fuzz_pick(b, 9);
}

int fuzz_memfd(const char *name, const void *data, size_t len, char *path, size_t pathlen) {
  int fd = memfd_create(name, 0);
  if (fd < 0) return -1;
  if (fuzz_memfd_set(fd, data, len) != 0) {
    close(fd);
    return -1;
  }
  snprintf(path, pathlen, "/proc/self/fd/%d", fd);
  return fd;
}

int fuzz_memfd_set(int fd, const void *data, size_t len) {
  if (ftruncate(fd, 0) != 0) return -1;
  size_t done = 0;
  while (done < len) {
    ssize_t w = pwrite(fd, (const char *)data + done, len - done, (off_t)done);
    if (w <= 0) return -1;
    done += (size_t)w;
  }
  return 0;
}

int fuzz_compile_script(const char *text, size_t len) {
  static int fd = -1; /* one script file for the whole run */
  static char path[64];
  if (fd < 0 && (fd = fuzz_memfd("pipeline.lua", "", 0, path, sizeof path)) < 0) abort();
  if (fuzz_memfd_set(fd, text, len) != 0) abort();
  Options o = {.arena = arena_new(), .cc = "cc", .script = path};
  Lowering l = {.o = &o}; /* memory_limit 0 is none: fuse may store any intermediate */
  int rc = lower(&l, PASS_FRONTEND, PASS_COUNT);
  if (rc == 0) {
    o.script_sha256 = "0";
    o.c_name = "pipeline.c";
    size_t clen;
    free(emit_program(l.g, l.f, &o, &clen));
    (void)manifest_json(l.g, l.f, &o);
  } else if (!strstr(l.err, ": error: ")) {
    fprintf(stderr, "frontend error without a location: %s\n", l.err);
    abort();
  }
  arena_free(o.arena);
  return rc;
}
