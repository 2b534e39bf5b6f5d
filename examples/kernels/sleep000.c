/* sleep000.c: seed 000's first delayed example, where inc and add each sleep one second
 * (sequential: 3 s; with two threads the two inc calls overlap: 2 s). */
#include <threads.h>
#include <time.h>

/* C11's sleep; resumed after a signal, for the rest of the time */
static void pause_for(double seconds) {
  struct timespec t = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
  while (thrd_sleep(&t, &t) == -1) {
  }
}

double inc(double x) {
  pause_for(1);
  return x + 1;
}

double add(double x, double y) {
  pause_for(1);
  return x + y;
}
