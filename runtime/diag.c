/* diag.c: what a run records for its diagnostics: every task's thread and times (in a
 * buffer per thread, owned by that thread: no lock on the way of a task), the tasks
 * finished (for the progress bar), the life of each of the plan's buffers, and the calls
 * of da.callbacks' hooks. Times are seconds of CLOCK_MONOTONIC since the run began. */
#include "cdrt.h"

#include <omp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int cdrt_diag_on;

/* One thread's events, on its own cache lines. */
typedef struct {
  cdrt_task_event *ev;
  int64_t n, cap;
  char pad[64];
} diag_thread;

static struct {
  const cdrt_program *p;
  const cdrt_callbacks *cb;
  int nthreads, record;
  struct timespec t0;
  diag_thread *threads;
  int64_t done; /* tasks finished: relaxed atomics */
  /* several ranks: tasks finished per group, and 1 + the latest group one of whose tasks
   * ran here (relaxed atomics), for rank 0's count of every rank's tasks */
  int64_t *group_done;
  int reached;
  /* the plan's buffers, changed under lock (allocations are rare, some in tasks) */
  pthread_mutex_t lock;
  cdrt_buffer_life *lives;
  double live, peak;
} diag = {.lock = PTHREAD_MUTEX_INITIALIZER};

double cdrt_diag_now(void) {
  if (!diag.p) return 0;
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)(t.tv_sec - diag.t0.tv_sec) + (double)(t.tv_nsec - diag.t0.tv_nsec) * 1e-9;
}

int64_t cdrt_diag_done(void) {
  return __atomic_load_n(&diag.done, __ATOMIC_RELAXED);
}

void cdrt_diag_start(const cdrt_program *p, int nthreads, int record) {
  diag.p = p;
  diag.cb = p->callbacks;
  diag.nthreads = nthreads;
  diag.record = record;
  diag.threads = calloc((size_t)nthreads, sizeof *diag.threads);
  diag.lives = calloc((size_t)(p->nbuffers > 0 ? p->nbuffers : 1), sizeof *diag.lives);
  if (cdrt_mpi_size() > 1)
    diag.group_done = calloc((size_t)p->ngroups + 1, sizeof *diag.group_done);
  if (!diag.threads || !diag.lives || (cdrt_mpi_size() > 1 && !diag.group_done))
    cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory (diagnostics)");
  for (int i = 0; i < p->nbuffers; i++) diag.lives[i].free_s = -1;
  clock_gettime(CLOCK_MONOTONIC, &diag.t0);
  cdrt_diag_on = 1;
  if (diag.cb && diag.cb->start) diag.cb->start(p->ntasks, nthreads);
}

void cdrt_task_key(char *buf, size_t n, const cdrt_group *g, cdrt_task_kind kind, int64_t index) {
  static const char *const infix[] = {"", "combine:", "transform:", ""};
  snprintf(buf, n, "%s:%s%lld", g->name, infix[kind], (long long)index);
}

/* A task of group k ran here: groups before k are done on every rank. */
static void diag_group_task(int k) {
  __atomic_fetch_add(&diag.group_done[k], 1, __ATOMIC_RELAXED);
  int s = __atomic_load_n(&diag.reached, __ATOMIC_RELAXED);
  while (s < k + 1 && !__atomic_compare_exchange_n(&diag.reached, &s, k + 1, 1, __ATOMIC_RELAXED,
                                                   __ATOMIC_RELAXED)) {
  }
}

static void diag_push(int thread, const cdrt_task_event *e) {
  diag_thread *t = &diag.threads[thread];
  if (t->n == t->cap) {
    int64_t cap = t->cap ? 2 * t->cap : 1024;
    cdrt_task_event *ev = realloc(t->ev, (size_t)cap * sizeof *ev);
    if (!ev) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory (recording tasks)");
    t->ev = ev, t->cap = cap;
  }
  t->ev[t->n++] = *e;
}

void cdrt_diag_task(cdrt_task_kind kind, int group, int64_t index, void (*fn)(int64_t),
                    int64_t arg) {
  int thread = omp_get_thread_num();
  const cdrt_callbacks *cb = diag.cb;
  /* every rank runs the combines and transforms (each on its whole copy): their hooks are
   * rank 0's, so that each task of the program is reported once */
  if ((kind == CDRT_TASK_COMBINE || kind == CDRT_TASK_TRANSFORM) && cdrt_mpi_rank() != 0) cb = NULL;
  char key[160];
  cdask_task info = {key, "", group, index, thread, ""};
  if (cb && (cb->pretask || cb->posttask)) {
    const cdrt_group *g = &diag.p->groups[group];
    cdrt_task_key(key, sizeof key, g, kind, index);
    info.group = g->name, info.where = g->where;
  }
  if (cb && cb->pretask) cb->pretask(&info);
  cdrt_task_event e = {
      .index = index, .group = group, .kind = (int16_t)kind, .thread = (int16_t)thread};
  e.start = cdrt_diag_now();
  fn(arg);
  e.end = cdrt_diag_now();
  if (cb && cb->posttask) cb->posttask(&info, e.end - e.start);
  if (diag.record && thread < diag.nthreads) diag_push(thread, &e);
  if (diag.group_done) diag_group_task(group);
  __atomic_fetch_add(&diag.done, 1, __ATOMIC_RELAXED);
}

/* A group's tasks in the program (the group table's), whichever rank runs them. */
static int64_t diag_group_tasks(int k) {
  const cdrt_group *g = &diag.p->groups[k];
  return g->tiles + g->combines + g->transforms;
}

int64_t cdrt_diag_done_all(void) {
  int64_t done = cdrt_diag_done();
  if (!diag.group_done) return done;
  int reached = __atomic_load_n(&diag.reached, __ATOMIC_RELAXED);
  for (int k = 0; k < reached - 1 && k < diag.p->ngroups; k++) {
    int64_t mine = __atomic_load_n(&diag.group_done[k], __ATOMIC_RELAXED);
    if (mine < diag_group_tasks(k)) done += diag_group_tasks(k) - mine;
  }
  return done < diag.p->ntasks ? done : diag.p->ntasks;
}

void cdrt_diag_groups_done(void) {
  if (diag.p) __atomic_store_n(&diag.reached, diag.p->ngroups + 1, __ATOMIC_RELAXED);
}

void cdrt_diag_fail(void) {
  static int failed;
  if (__atomic_exchange_n(&failed, 1, __ATOMIC_ACQ_REL)) return;
  cdrt_progress_end(1);
  if (diag.cb && diag.cb->finish) diag.cb->finish(cdrt_diag_now(), 1);
}

static int diag_by_start(const void *a, const void *b) {
  const cdrt_task_event *x = a, *y = b;
  return (x->start > y->start) - (x->start < y->start);
}

void cdrt_diag_finish(cdrt_record *r, int errored) {
  double end = cdrt_diag_now();
  if (diag.cb && diag.cb->finish) diag.cb->finish(end, errored);
  memset(r, 0, sizeof *r);
  r->p = diag.p;
  r->nthreads = diag.nthreads;
  r->duration = end;
  for (int t = 0; t < diag.nthreads; t++) r->nevents += diag.threads[t].n;
  r->events = malloc((size_t)(r->nevents ? r->nevents : 1) * sizeof *r->events);
  if (!r->events) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory (diagnostics)");
  int64_t k = 0;
  for (int t = 0; t < diag.nthreads; t++) {
    if (diag.threads[t].n) /* a thread that ran nothing has no buffer (memcpy from NULL) */
      memcpy(r->events + k, diag.threads[t].ev, (size_t)diag.threads[t].n * sizeof *r->events);
    k += diag.threads[t].n;
    free(diag.threads[t].ev);
  }
  free(diag.threads);
  diag.threads = NULL;
  qsort(r->events, (size_t)r->nevents, sizeof *r->events, diag_by_start);
  r->lives = diag.lives;
  r->peak_bytes_observed = diag.peak;
  cdrt_diag_on = 0;
}

void cdrt_diag_free(cdrt_record *r) {
  free(diag.group_done);
  diag.group_done = NULL;
  free(r->events);
  free(r->lives);
  diag.lives = NULL;
}

/* buffer.c's events: a buffer born, or dying, now. */
void cdrt_diag_buffer(const cdrt_buffer *b, int alive) {
  if (!diag.lives) return;
  int i = (int)(b - diag.p->buffers);
  if (i < 0 || i >= diag.p->nbuffers) return; /* not one of the plan's */
  pthread_mutex_lock(&diag.lock);
  cdrt_buffer_life *l = &diag.lives[i];
  double now = cdrt_diag_now();
  if (alive && !l->allocated) {
    l->allocated = 1, l->alloc_s = now;
    diag.live += cdrt_buffer_bytes(b);
    if (diag.live > diag.peak) diag.peak = diag.live;
  } else if (!alive && l->allocated && l->free_s < 0) {
    l->free_s = now;
    diag.live -= cdrt_buffer_bytes(b);
  }
  pthread_mutex_unlock(&diag.lock);
}

double cdrt_buffer_live_bytes(void) {
  pthread_mutex_lock(&diag.lock);
  double v = diag.live;
  pthread_mutex_unlock(&diag.lock);
  return v;
}
