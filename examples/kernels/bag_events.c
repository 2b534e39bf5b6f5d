/* bag_events.c: the scoring functions of examples/bag_kernels.lua, called on each JSON
 * record's fields in the program's scan. */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>

/* A push's weight: its commits on a log scale, doubled for a public repository */
double weight(int64_t commits, bool public_repo) {
  return (public_repo ? 2.0 : 1.0) * log1p((double)commits);
}

/* Whether an event counts as activity: nonzero, as a C truth value */
int active(int64_t commits) {
  return commits > 0;
}
