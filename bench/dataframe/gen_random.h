/* gen_random.h: the seeded xorshift the table generators (gen_groupby.c, gen_join.c,
 * gen_squad.c) draw from, so each file is the same on every machine, and their output
 * file opened with a large buffer. Each generator sets gen_state before drawing. */
#include <stdint.h>
#include <stdio.h>

static uint64_t gen_state;

static inline uint64_t next(void) { /* xorshift64* */
  gen_state ^= gen_state >> 12, gen_state ^= gen_state << 25, gen_state ^= gen_state >> 27;
  return gen_state * 0x2545f4914f6cdd1dULL;
}

static inline uint64_t below(uint64_t n) { /* in [0, n) */
  return (next() >> 11) % n;
}

/* path opened for writing with a 1 MB buffer, or NULL after perror */
static inline FILE *gen_open(const char *path) {
  static char buf[1 << 20];
  FILE *f = fopen(path, "w");
  if (!f) {
    perror(path);
    return NULL;
  }
  setvbuf(f, buf, _IOFBF, sizeof buf);
  return f;
}
