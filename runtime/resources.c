/* resources.c: --resources (and the counters of --profile), Dask's ResourceProfiler: a
 * thread of the program samples, every dt seconds, the resident memory (/proc/self/statm,
 * decimal MB as Dask's rss / 1e6), the CPU used since the previous sample (getrusage, in %
 * of one core: 200 with two cores busy; 0 in the first sample, as psutil's first
 * cpu_percent) and the plan's buffers alive; one sample at the start and one at the end. */
#include "cdrt.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static struct {
  pthread_t thread;
  pthread_mutex_t lock;
  pthread_cond_t wake;
  int running, started;
  double dt;
  cdrt_sample *s;
  int n, cap;
  double last_cpu, last_t;
} res = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

static double res_rss_mb(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  long long size = 0, resident = 0;
  if (f) {
    if (fscanf(f, "%lld %lld", &size, &resident) != 2) resident = 0;
    fclose(f);
  }
  return (double)resident * (double)sysconf(_SC_PAGESIZE) / 1e6;
}

static double res_cpu_seconds(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return (double)u.ru_utime.tv_sec + (double)u.ru_utime.tv_usec * 1e-6 + (double)u.ru_stime.tv_sec +
         (double)u.ru_stime.tv_usec * 1e-6;
}

/* Takes one sample (the sampler thread, or the main one before it starts / after it ends). */
static void res_sample(void) {
  if (res.n == res.cap) {
    int cap = res.cap ? 2 * res.cap : 256;
    cdrt_sample *s = realloc(res.s, (size_t)cap * sizeof *s);
    if (!s) return; /* out of memory: fewer samples */
    res.s = s, res.cap = cap;
  }
  double t = cdrt_diag_now(), cpu = res_cpu_seconds();
  cdrt_sample *x = &res.s[res.n];
  x->t = t;
  x->rss_mb = res_rss_mb();
  x->cpu_percent = res.n && t > res.last_t ? 100 * (cpu - res.last_cpu) / (t - res.last_t) : 0;
  if (x->cpu_percent < 0) x->cpu_percent = 0;
  /* getrusage's times move in uneven steps: over the short gap before the end's sample
   * they can show more than every core busy, which no process can be */
  double cores = (double)sysconf(_SC_NPROCESSORS_ONLN);
  if (cores >= 1 && x->cpu_percent > 100 * cores) x->cpu_percent = 100 * cores;
  x->plan_mb = cdrt_buffer_live_bytes() / 1e6;
  res.last_cpu = cpu, res.last_t = t;
  res.n++;
}

static void *res_thread(void *arg) {
  (void)arg;
  pthread_mutex_lock(&res.lock);
  /* samples at k * dt after the first: no drift */
  for (int k = 1; res.running; k++) {
    double at = res.s[0].t + k * res.dt, now = cdrt_diag_now();
    if (at > now) {
      struct timespec until;
      clock_gettime(CLOCK_REALTIME, &until);
      double wait = at - now;
      until.tv_sec += (time_t)wait;
      until.tv_nsec += (long)((wait - (double)(time_t)wait) * 1e9);
      if (until.tv_nsec >= 1000000000L) until.tv_sec++, until.tv_nsec -= 1000000000L;
      while (res.running && pthread_cond_timedwait(&res.wake, &res.lock, &until) == 0) {
      }
    }
    if (res.running) res_sample();
  }
  pthread_mutex_unlock(&res.lock);
  return NULL;
}

void cdrt_resources_start(double dt) {
  res.dt = dt;
  res.n = 0;
  res_sample();
  if (res.n == 0) return;
  res.running = 1;
  res.started = pthread_create(&res.thread, NULL, res_thread, NULL) == 0;
}

const cdrt_sample *cdrt_resources_end(int *n) {
  pthread_mutex_lock(&res.lock);
  res.running = 0;
  pthread_cond_signal(&res.wake);
  pthread_mutex_unlock(&res.lock);
  if (res.started) pthread_join(res.thread, NULL);
  res.started = 0;
  res_sample();
  *n = res.n;
  return res.s;
}
