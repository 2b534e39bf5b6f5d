/* progress.c: --progress, Dask's ProgressBar (dask/diagnostics/progress.py) on stderr: a
 * thread of the program redraws "[####    ] | 10% Completed | 1.20 s" every 0.1 s once
 * `minimum` seconds have passed, in place (\r) on a terminal; elsewhere (a job's log) it
 * writes a line each time another tenth of the tasks is done. The end draws 100%, then a
 * newline; a run shorter than `minimum` draws nothing. Under --mpi rank 0 draws it, counting
 * every rank's tasks (diag.c's cdrt_diag_done_all). */
#include "cdrt.h"

#include <pthread.h>
#include <time.h>
#include <unistd.h>

enum { PBAR_WIDTH = 40 };
#define PBAR_DT 0.1 /* Dask's dt */

void cdrt_format_time(char *buf, size_t n, double s) {
  if (s > 24 * 60 * 60 * 2) {
    int d = (int)(s / 3600 / 24);
    snprintf(buf, n, "%dd %dhr", d, (int)((s - d * 3600.0 * 24) / 3600));
  } else if (s > 60 * 60 * 2) {
    int h = (int)(s / 3600);
    snprintf(buf, n, "%dhr %dm", h, (int)((s - h * 3600.0) / 60));
  } else if (s > 60 * 10) {
    int m = (int)(s / 60);
    snprintf(buf, n, "%dm %ds", m, (int)(s - m * 60.0));
  } else if (s >= 1) {
    snprintf(buf, n, "%.2f s", s);
  } else if (s >= 1e-3) {
    snprintf(buf, n, "%.2f ms", s * 1e3);
  } else {
    snprintf(buf, n, "%.2f us", s * 1e6);
  }
}

void cdrt_progress_line(char *buf, size_t n, double frac, double elapsed) {
  char bar[PBAR_WIDTH + 1], t[32];
  int filled = (int)(PBAR_WIDTH * frac);
  for (int i = 0; i < PBAR_WIDTH; i++) bar[i] = i < filled ? '#' : ' ';
  bar[PBAR_WIDTH] = '\0';
  cdrt_format_time(t, sizeof t, elapsed);
  snprintf(buf, n, "[%s] | %d%% Completed | %s", bar, (int)(100 * frac), t);
}

static struct {
  pthread_t thread;
  pthread_mutex_t lock;
  pthread_cond_t wake;
  int running, tty, started, active;
  int64_t ntasks;
  double minimum;
  int decile; /* not a terminal: the last tenth written */
} pbar = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

static void pbar_draw(double frac, double elapsed, int final) {
  char line[128];
  cdrt_progress_line(line, sizeof line, frac, elapsed);
  if (pbar.tty) {
    fprintf(stderr, "\r%s%s", line, final ? "\n" : "");
  } else {
    int decile = (int)(10 * frac);
    if (!final && decile <= pbar.decile) return;
    pbar.decile = decile;
    fprintf(stderr, "%s\n", line);
  }
  fflush(stderr);
}

/* Dask's _update_bar: drawn while tasks remain (the end draws 100%). */
static void pbar_update(double elapsed) {
  int64_t done = cdrt_diag_done_all(); /* every rank's, on several */
  if (pbar.ntasks == 0)
    pbar_draw(0, elapsed, 0);
  else if (done < pbar.ntasks)
    pbar_draw((double)done / (double)pbar.ntasks, elapsed, 0);
}

static void *pbar_thread(void *arg) {
  (void)arg;
  pthread_mutex_lock(&pbar.lock);
  while (pbar.running) {
    double elapsed = cdrt_diag_now();
    if (elapsed > pbar.minimum) pbar_update(elapsed);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += (long)(PBAR_DT * 1e9);
    if (until.tv_nsec >= 1000000000L) until.tv_sec++, until.tv_nsec -= 1000000000L;
    while (pbar.running && pthread_cond_timedwait(&pbar.wake, &pbar.lock, &until) == 0) {
    }
  }
  pthread_mutex_unlock(&pbar.lock);
  return NULL;
}

void cdrt_progress_start(int64_t ntasks, double minimum) {
  pbar.ntasks = ntasks;
  pbar.minimum = minimum;
  pbar.tty = isatty(2);
  pbar.decile = 0;
  pbar.running = 1;
  pbar.active = 1;
  pbar.started = pthread_create(&pbar.thread, NULL, pbar_thread, NULL) == 0;
}

void cdrt_progress_end(int errored) {
  if (!__atomic_exchange_n(&pbar.active, 0, __ATOMIC_ACQ_REL)) return; /* not on, or ended */
  pthread_mutex_lock(&pbar.lock);
  pbar.running = 0;
  pthread_cond_signal(&pbar.wake);
  pthread_mutex_unlock(&pbar.lock);
  if (pbar.started) pthread_join(pbar.thread, NULL);
  double elapsed = cdrt_diag_now();
  if (elapsed < pbar.minimum) return;
  if (!errored) {
    pbar_draw(1, elapsed, 1);
    return;
  }
  /* Dask's _update_bar, then the newline */
  int64_t done = cdrt_diag_done_all(); /* every rank's, on several */
  if (pbar.ntasks && done < pbar.ntasks)
    pbar_draw((double)done / (double)pbar.ntasks, elapsed, 1);
  else
    fputs("\n", stderr);
}
