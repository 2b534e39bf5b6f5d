/* delayed000.c: the functions of seed 000's dask.delayed example (examples/seed000_delayed.lua).
 * Dask's tutorial calls the second one `double` (it adds 2); C reserves that name. */
#include <stdint.h>

double inc(double x) {
  return x + 1;
}

double dbl(double x) {
  return x + 2;
}

double add(double x, double y) {
  return x + y;
}

/* Python's sum over a list: the list arrives as a C array and its length */
double sum(const double *xs, int64_t n) {
  double s = 0;
  for (int64_t i = 0; i < n; i++) s += xs[i];
  return s;
}
