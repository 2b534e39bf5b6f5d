/* alloc.c: the runtime's allocator. Blocks of ALLOC_HUGE_MIN bytes or more are aligned to
 * 2 MB and marked MADV_HUGEPAGE: with transparent huge pages in "madvise" mode (a common
 * default) the kernel backs them with 2 MB pages, one fault and one memcg charge per 2 MB
 * instead of 512 the first time the memory is touched, and fewer TLB misses in the strided
 * passes of FFT columns. Measured on a 2-core VM: first touch of 512 MB in 0.07 s instead
 * of 0.18 s while the hypervisor still backs recently freed memory, but 0.5 to 1.3 s when
 * it must fetch the memory again (idle for a few seconds), where 4 KB pages were often
 * still served from warm memory. The bench fft suite's round trips were faster at the
 * median in most sessions, slower in some. Without THP madvise fails and the block is an
 * ordinary one. Every block is released with free(). */
#include "cdrt.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#if defined(CDRT_WITH_CSV) && defined(__GLIBC__)
#include <malloc.h>
#endif

/* Dataframe and bag programs: blocks of up to 32 MB come from malloc's heaps, and a freed
 * one stays there for the next block's state (a block's collected rows, value lists,
 * arrays grown by realloc). glibc's default maps each block of 128 kB or more afresh until
 * the first such mapping is freed, then raises the threshold to that block's size: whether
 * the blocks' rows got fresh pages (a first touch runs at 0.3 to 0.9 GB/s on this
 * project's VMs) depended on which allocation happened to be freed first. The thresholds
 * set here are the ones glibc's own adjustment ends at on 64-bit machines. */
void cdrt_alloc_policy(void) {
#if defined(CDRT_WITH_CSV) && defined(__GLIBC__)
  (void)mallopt(M_MMAP_THRESHOLD, 32 << 20);
  (void)mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
}

#define ALLOC_HUGE_MIN ((size_t)8 << 20)
#define ALLOC_HUGE_PAGE ((size_t)2 << 20)

static void *alloc_from(size_t bytes, size_t huge_min, const char *what) {
  void *p = NULL;
  if (bytes < huge_min) {
    p = malloc(bytes ? bytes : 1);
  } else if (posix_memalign(&p, ALLOC_HUGE_PAGE, bytes) == 0) {
    (void)madvise(p, bytes, MADV_HUGEPAGE); /* only a hint: ignore a refusal */
  } else {
    p = NULL;
  }
  if (!p) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory allocating %zu bytes for %s", bytes, what);
  return p;
}

void *cdrt_alloc(size_t bytes, const char *what) {
  return alloc_from(bytes, ALLOC_HUGE_MIN, what);
}

void *cdrt_alloc_huge(size_t bytes, const char *what) {
  return alloc_from(bytes, ALLOC_HUGE_PAGE, what);
}

/* A mapping of its own, marked MADV_HUGEPAGE as a whole (a mark on part of it would split
 * it in two, and mremap moves only a whole one), grown by mremap: its pages move without
 * being copied or touched. (glibc's realloc does the same for its own big blocks, but a
 * block of cdrt_alloc's, or one the huge-page mark split, is copied.) */
static size_t map_round(size_t bytes) {
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  return (bytes + page - 1) / page * page;
}

void *cdrt_map_grow(void *p, size_t *bytes, size_t want, const char *what) {
  size_t to = map_round(want ? want : 1);
  void *q = p ? mremap(p, *bytes, to, MREMAP_MAYMOVE)
              : mmap(NULL, to, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (q == MAP_FAILED)
    cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory allocating %zu bytes for %s", to, what);
  if (!p) (void)madvise(q, to, MADV_HUGEPAGE); /* only a hint; mremap keeps it */
  *bytes = to;
  return q;
}

void cdrt_map_free(void *p, size_t bytes) {
  if (p) munmap(p, bytes);
}

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14's value; older headers lack it */
#endif
int cdrt_map_populate(void *p, size_t bytes) {
  static int unable;
  if (__atomic_load_n(&unable, __ATOMIC_RELAXED)) return 0;
  if (madvise(p, bytes, MADV_POPULATE_WRITE) == 0) return 1;
  if (errno == EINVAL) __atomic_store_n(&unable, 1, __ATOMIC_RELAXED); /* not this kernel */
  return 0;
}

/* The runtime is amalgamated into one translation unit: keep our macros to ourselves. */
#undef ALLOC_HUGE_MIN
#undef ALLOC_HUGE_PAGE

/* malloc, calloc and realloc that exit with CDRT_EXIT_MEMORY on failure (the dataframe
 * runtime's growing tables and strings). */
void *cdrt_malloc(size_t bytes) {
  void *p = malloc(bytes ? bytes : 1);
  if (!p) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory allocating %zu bytes", bytes);
  return p;
}
void *cdrt_calloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory allocating %zu x %zu bytes", n, size);
  return p;
}
void *cdrt_realloc(void *p, size_t bytes) {
  void *q = realloc(p, bytes ? bytes : 1);
  if (!q) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory allocating %zu bytes", bytes);
  return q;
}

/* The growing state's bytes, charged on growth and refunded on free, by any thread */
static int64_t state_bytes, state_budget = -1, state_limit;

void cdrt_state_set_budget(int64_t limit, int64_t planned) {
  state_limit = limit;
  state_budget = limit > 0 ? (limit > planned ? limit - planned : 0) : -1;
}

void cdrt_state_charge(int64_t bytes, const char *what) {
  int64_t now = __atomic_add_fetch(&state_bytes, bytes, __ATOMIC_RELAXED);
  if (state_budget < 0 || now <= state_budget) return;
  char l[32], b[32];
  cdrt_format_bytes(l, sizeof l, (double)state_limit);
  cdrt_format_bytes(b, sizeof b, (double)state_budget);
  cdrt_fatal(CDRT_EXIT_MEMORY,
             "%s needs more than the memory limit of %s (--memory-limit; %s of it left after the "
             "arrays' memory plan); raise it with --memory-limit",
             what ? what : "a dataframe result", l, b);
}

void cdrt_state_refund(int64_t bytes) {
  __atomic_sub_fetch(&state_bytes, bytes, __ATOMIC_RELAXED);
}
