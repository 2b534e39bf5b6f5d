/* read_paths.c: what reading a file's bytes costs, before any parsing: each byte of the
 * file is loaded once (32 at a time, xor-folded so the loop is not removed), through
 *   mmap     one mapping of the whole file, read in order (MADV_SEQUENTIAL): how the text
 *            and CSV scans read a block today
 *   populate the same with MAP_POPULATE (the pages mapped before the loop)
 *   pread B  pread() into one reused buffer of B kB, then read from it while it is in cache
 * Usage: read_paths FILE [mmap|populate|pread] [B]. Prints the seconds and the fold.
 * Build: cc -O2 -mavx2 -o read_paths bench/io/read_paths.c
 * The file should be in the page cache (run twice): this measures the mapping, the page
 * faults and the memory traffic, not the disk. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static uint64_t fold(const char *p, size_t n) {
  __m256i acc = _mm256_setzero_si256();
  for (size_t i = 0; i + 32 <= n; i += 32)
    acc = _mm256_xor_si256(acc, _mm256_loadu_si256((const __m256i *)(const void *)(p + i)));
  uint64_t r[4];
  _mm256_storeu_si256((__m256i *)(void *)r, acc);
  return r[0] ^ r[1] ^ r[2] ^ r[3];
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: read_paths FILE mmap|populate|pread [KB]\n");
    return 2;
  }
  int fd = open(argv[1], O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    perror(argv[1]);
    return 1;
  }
  size_t n = (size_t)st.st_size, step = 256 << 10;
  uint64_t x = 0;
  double t = now();
  if (strcmp(argv[2], "pread") == 0) {
    size_t cap = (argc > 3 ? (size_t)atol(argv[3]) : 256) << 10;
    char *buf = malloc(cap);
    for (size_t at = 0; buf && at < n;) {
      ssize_t got = pread(fd, buf, cap, (off_t)at);
      if (got <= 0) break;
      x ^= fold(buf, (size_t)got);
      at += (size_t)got;
    }
    free(buf);
  } else {
    int flags = MAP_PRIVATE | (strcmp(argv[2], "populate") == 0 ? MAP_POPULATE : 0);
    char *m = mmap(NULL, n, PROT_READ, flags, fd, 0);
    if (m == MAP_FAILED) {
      perror("mmap");
      return 1;
    }
    madvise(m, n, MADV_SEQUENTIAL);
    for (size_t at = 0; at < n; at += step) x ^= fold(m + at, at + step <= n ? step : n - at);
    munmap(m, n);
  }
  printf("%s %.3f s (fold %llx)\n", argv[2], now() - t, (unsigned long long)x);
  close(fd);
  return 0;
}
