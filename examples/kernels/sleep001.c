/* sleep001.c: seed 001's functions, which sleep to stand for real work (inc and dec 0.1 s,
 * add 0.2 s). Sleeping changes no data: the kernels stay pure (compiler/kernels.c). */
#include <threads.h>
#include <time.h>

/* C11's sleep; resumed after a signal, for the rest of the time */
static void pause_for(double seconds) {
  struct timespec t = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
  while (thrd_sleep(&t, &t) == -1) {
  }
}

double inc(double x) {
  pause_for(0.1);
  return x + 1;
}

double dec(double x) {
  pause_for(0.1);
  return x - 1;
}

double add(double x, double y) {
  pause_for(0.2);
  return x + y;
}
