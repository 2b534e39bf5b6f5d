/* trivial.c: the cheapest task there is, for the per-task overhead of bench/delayed/run.py */
#include <stdint.h>

double inc(double x) {
  return x + 1;
}

double total(const double *xs, int64_t n) {
  double s = 0;
  for (int64_t i = 0; i < n; i++) s += xs[i];
  return s;
}
