/* Unit tests of runtime/diag.c and progress.c: Dask's format_time and the progress bar's
 * line (expected strings printed by Debian's python3-dask 2022.12.1, dask.utils.format_time
 * and ProgressBar._draw_bar), and a hand-made program whose tasks run through cdrt_task:
 * the da.callbacks hooks see every task once, on its own thread, with its key; the record
 * has every task, none overlapping on a thread; the buffers' lives and peak. */
#include "cdrt.h"
#include "test.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>

static void test_format_time(void) {
  static const struct {
    double s;
    const char *text;
  } cases[] = {
      {0, "0.00 us"},
      {1e-07, "0.10 us"},
      {0.00012345, "123.45 us"},
      {0.000999994, "999.99 us"},
      {0.000999996, "1000.00 us"},
      {0.001, "1.00 ms"},
      {0.001234, "1.23 ms"},
      {0.0099999, "10.00 ms"},
      {0.5, "500.00 ms"},
      {0.999994, "999.99 ms"},
      {0.999996, "1000.00 ms"},
      {1, "1.00 s"},
      {1.2, "1.20 s"},
      {1.005, "1.00 s"},
      {59.999, "60.00 s"},
      {123.456, "123.46 s"},
      {599.999, "600.00 s"},
      {600, "600.00 s"},
      {600.5, "10m 0s"},
      {1234.567, "20m 34s"},
      {7199, "119m 59s"},
      {7200, "120m 0s"},
      {7200.5, "2hr 0m"},
      {12345.67, "3hr 25m"},
      {123456.78, "34hr 17m"},
      {172800, "48hr 0m"},
      {172800.5, "2d 0hr"},
      {1234567.89, "14d 6hr"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char buf[64];
    cdrt_format_time(buf, sizeof buf, cases[i].s);
    if (strcmp(buf, cases[i].text) != 0)
      fprintf(stderr, "format_time(%g) = '%s', Dask's '%s'\n", cases[i].s, buf, cases[i].text);
    ASSERT(strcmp(buf, cases[i].text) == 0);
  }
}

static void test_progress_line(void) {
  char buf[128];
  cdrt_progress_line(buf, sizeof buf, 1, 1.2);
  ASSERT(strcmp(buf, "[########################################] | 100% Completed | 1.20 s") == 0);
  cdrt_progress_line(buf, sizeof buf, 0, 0.0005);
  ASSERT(strcmp(buf, "[                                        ] | 0% Completed | 500.00 us") == 0);
  cdrt_progress_line(buf, sizeof buf, 2.0 / 3, 0.25);
  ASSERT(strcmp(buf, "[##########################              ] | 66% Completed | 250.00 ms") ==
         0);
  cdrt_progress_line(buf, sizeof buf, 0.999, 700);
  ASSERT(strcmp(buf, "[####################################### ] | 99% Completed | 11m 40s") == 0);
}

/* The hand-made program: group 0 has 40 tiles of a 2-D grid, group 1 five tiles and two
 * combine steps. */
enum { NTILES0 = 40, NTILES1 = 5, NCOMBINE1 = 2, NTASKS = NTILES0 + NTILES1 + NCOMBINE1 };
static const int64_t g0_lo[2] = {0, 0}, g0_hi[2] = {10, 7}, g0_chunk[2] = {2, 2};
static const int64_t g1_lo[1] = {0}, g1_hi[1] = {5}, g1_chunk[1] = {1};
static const cdrt_group groups[2] = {
    {"g0:add", "t.lua:3", NTILES0, 0, 0, 2, g0_lo, g0_hi, g0_chunk, 16, 8},
    {"g1:sum", "t.lua:4", NTILES1, NCOMBINE1, 0, 1, g1_lo, g1_hi, g1_chunk, 8, 8},
};
static cdrt_buffer buffers[2] = {
    {"t1_add", CDRT_FLOAT64, 2, {10, 7}, NULL, "t.lua:3"},
    {"t2_sum", CDRT_FLOAT64, 0, {0}, NULL, "t.lua:4"},
};

static int64_t ran[NTASKS];
static volatile double spun;
static void spin(void) {
  for (int i = 0; i < 20000; i++) spun = spun + i;
}
static void tile0(int64_t t) {
  __atomic_fetch_add(&ran[t], 1, __ATOMIC_RELAXED);
  spin();
}
static void tile1(int64_t t) {
  __atomic_fetch_add(&ran[NTILES0 + t], 1, __ATOMIC_RELAXED);
}
static void combine1(int64_t c) {
  __atomic_fetch_add(&ran[NTILES0 + NTILES1 + c], 1, __ATOMIC_RELAXED);
}

static void run(void) {
#pragma omp parallel
#pragma omp single
  {
    cdrt_buffer_alloc(&buffers[0]);
#pragma omp taskloop
    for (int64_t t = 0; t < NTILES0; t++) cdrt_task(0, t, tile0);
    cdrt_buffer_alloc(&buffers[1]);
#pragma omp taskloop
    for (int64_t t = 0; t < NTILES1; t++) cdrt_task(1, t, tile1);
    cdrt_buffer_free(&buffers[0]);
#pragma omp taskloop
    for (int64_t c = 0; c < NCOMBINE1; c++) cdrt_task_of(CDRT_TASK_COMBINE, 1, c, combine1, c);
  }
}

/* What the hooks saw. */
static struct {
  int64_t ntasks;
  int nthreads, starts, finishes, errored;
  int pre[NTASKS], post[NTASKS], thread[NTASKS], bad;
  double finish_sec;
} seen;

static int task_slot(const cdask_task *t) {
  char want[64];
  int combine = strstr(t->key, ":combine:") != NULL;
  int slot = t->group_id == 0 ? (int)t->tile : NTILES0 + (combine ? NTILES1 : 0) + (int)t->tile;
  if (combine)
    snprintf(want, sizeof want, "%s:combine:%lld", t->group, (long long)t->tile);
  else
    snprintf(want, sizeof want, "%s:%lld", t->group, (long long)t->tile);
  int ok = slot >= 0 && slot < NTASKS && strcmp(want, t->key) == 0 &&
           strcmp(t->group, groups[t->group_id].name) == 0 &&
           strcmp(t->where, groups[t->group_id].where) == 0 && t->thread == omp_get_thread_num();
  if (!ok) __atomic_fetch_add(&seen.bad, 1, __ATOMIC_RELAXED);
  return ok ? slot : -1;
}
static void on_start(int64_t ntasks, int nthreads) {
  seen.ntasks = ntasks, seen.nthreads = nthreads, seen.starts++;
}
static void on_pretask(const cdask_task *t) {
  int s = task_slot(t);
  if (s < 0) return;
  __atomic_fetch_add(&seen.pre[s], 1, __ATOMIC_RELAXED);
  seen.thread[s] = t->thread;
}
static void on_posttask(const cdask_task *t, double sec) {
  int s = task_slot(t);
  if (s < 0) return;
  if (sec < 0 || seen.thread[s] != t->thread || seen.pre[s] != 1)
    __atomic_fetch_add(&seen.bad, 1, __ATOMIC_RELAXED);
  __atomic_fetch_add(&seen.post[s], 1, __ATOMIC_RELAXED);
}
static void on_finish(double sec, int errored) {
  seen.finishes++, seen.finish_sec = sec, seen.errored = errored;
}
static const cdrt_callbacks hooks = {on_start, on_pretask, on_posttask, on_finish};

static void test_program(void) {
  cdrt_program p = {.script = "t.lua",
                    .manifest = "{}",
                    .nbuffers = 2,
                    .buffers = buffers,
                    .run = run,
                    .peak_bytes = 568,
                    .callbacks = &hooks,
                    .ngroups = 2,
                    .groups = groups,
                    .ntasks = NTASKS};
  omp_set_num_threads(2);
  ASSERT(cdrt_diag_on == 0);
  cdrt_diag_start(&p, omp_get_max_threads(), 1);
  ASSERT(cdrt_diag_on == 1);
  ASSERT(seen.starts == 1 && seen.ntasks == NTASKS && seen.nthreads == 2);
  p.run();
  ASSERT(cdrt_diag_done() == NTASKS);
  cdrt_record r;
  cdrt_diag_finish(&r, 0);
  ASSERT(cdrt_diag_on == 0);
  ASSERT(seen.finishes == 1 && seen.errored == 0 && seen.finish_sec > 0);
  ASSERT(seen.bad == 0);
  int once = 1;
  for (int i = 0; i < NTASKS; i++)
    once = once && ran[i] == 1 && seen.pre[i] == 1 && seen.post[i] == 1;
  ASSERT(once);
  /* the record: every task once, ordered by start, none overlapping on its thread */
  ASSERT(r.nevents == NTASKS && r.nthreads == 2);
  int count[NTASKS] = {0}, ordered = 1, apart = 1;
  double last_end[2] = {0, 0};
  for (int64_t i = 0; i < r.nevents; i++) {
    const cdrt_task_event *e = &r.events[i];
    int s = e->group == 0 ? (int)e->index
                          : NTILES0 + (e->kind == CDRT_TASK_COMBINE ? NTILES1 : 0) + (int)e->index;
    if (s >= 0 && s < NTASKS) count[s]++;
    if (i && e->start < r.events[i - 1].start) ordered = 0;
    if (e->thread < 0 || e->thread > 1 || e->start < last_end[e->thread] || e->end < e->start)
      apart = 0;
    else
      last_end[e->thread] = e->end;
  }
  int each = 1;
  for (int i = 0; i < NTASKS; i++) each = each && count[i] == 1;
  ASSERT(each && ordered && apart);
  /* the buffers: t1_add freed, t2_sum alive; the peak is both together */
  ASSERT(r.lives[0].allocated && r.lives[0].free_s >= r.lives[0].alloc_s);
  ASSERT(r.lives[1].allocated && r.lives[1].free_s < 0);
  ASSERT(r.lives[1].alloc_s >= r.lives[0].alloc_s);
  ASSERT(r.peak_bytes_observed == 568);
  /* keys */
  char key[64];
  cdrt_task_key(key, sizeof key, &groups[1], CDRT_TASK_COMBINE, 1);
  ASSERT(strcmp(key, "g1:sum:combine:1") == 0);
  cdrt_task_key(key, sizeof key, &groups[0], CDRT_TASK_TILE, 39);
  ASSERT(strcmp(key, "g0:add:39") == 0);
  cdrt_diag_free(&r);
  free(buffers[1].data);
}

int main(void) {
  test_format_time();
  test_progress_line();
  test_program();
  TEST_END();
}
