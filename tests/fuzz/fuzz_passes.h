/* fuzz_passes.h: what the fuzz harnesses share: reading the fuzzer's bytes as choices,
 * files in memory (memfd, named /proc/self/fd/N, gone with the process), and compiling a
 * script through every pass up to the emitted C (no C compiler run). */
#ifndef CDASK_FUZZ_PASSES_H
#define CDASK_FUZZ_PASSES_H

#include <stddef.h>
#include <stdint.h>

/* The fuzzer's bytes read as a stream of choices; once exhausted every choice is 0. */
typedef struct {
  const uint8_t *data;
  size_t size, pos;
} FuzzBytes;

unsigned fuzz_pick(FuzzBytes *b, unsigned n); /* in [0, n) */
int64_t fuzz_int(FuzzBytes *b);               /* small, edge and huge integers */

/* A file in memory holding data; its path (/proc/self/fd/N) is written to path. Returns
 * the descriptor, or -1. Rewriting it (fuzz_memfd_set) keeps the path. */
int fuzz_memfd(const char *name, const void *data, size_t len, char *path, size_t pathlen);
int fuzz_memfd_set(int fd, const void *data, size_t len);

/* Runs the Lua script text through the frontend and every pass up to emit_program, as
 * cdaskc does (the pass table, compiler/lower.c), without writing anything. Returns 0 when the
 * script compiled, 1 when it was refused with a "file:line: error:" message; anything
 * else (a crash, a sanitizer report, an internal error) is the fuzzer's finding. */
int fuzz_compile_script(const char *text, size_t len);

#endif
