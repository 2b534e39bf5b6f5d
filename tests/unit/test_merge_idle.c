/* The in-order merge of a scan's blocks (cdrt_inorder) with its idle work, and a groupby
 * total's records faulted in ahead of the merge (cdrt_gb_prefault) while another thread
 * adds groups: every block merged once and in order for any thread count, the idle work
 * done by threads that wait, and a total whose pages were faulted in beside its inserts
 * holding exactly the groups and counts inserted. */
#include "cdrt.h"
#include "test.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

enum { NBLOCKS = 40 };

typedef struct {
  int64_t order[NBLOCKS], n;
  int idle_calls, idle_work;
} merges;

static void sleep_us(long us) {
  struct timespec t = {0, us * 1000};
  nanosleep(&t, NULL);
}

/* merging is slower than scanning, so the scanning threads wait for it (q10's shape) */
static void merge_block(void *ctx, int64_t b) {
  merges *m = ctx;
  sleep_us(2000);
  m->order[m->n++] = b;
}

static int idle_work(void *ctx) {
  merges *m = ctx;
  int calls = __atomic_add_fetch(&m->idle_calls, 1, __ATOMIC_RELAXED);
  if (calls > 30) return 0; /* then the waiting thread sleeps as it did without work */
  __atomic_add_fetch(&m->idle_work, 1, __ATOMIC_RELAXED);
  sleep_us(200);
  return 1;
}

static void test_inorder(int threads) {
  merges m;
  memset(&m, 0, sizeof m);
  cdrt_inorder in;
  cdrt_inorder_init(&in, NBLOCKS, merge_block, &m);
  in.idle = idle_work;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (int64_t b = 0; b < NBLOCKS; b++) {
    sleep_us(100); /* the block's scan */
    cdrt_inorder_done(&in, b);
  }
  cdrt_inorder_finish(&in);
  ASSERT(m.n == NBLOCKS);
  int in_order = 1;
  for (int64_t k = 0; k < m.n; k++) in_order &= m.order[k] == k;
  ASSERT(in_order);
  if (threads > 1) ASSERT(m.idle_work > 0);    /* the scanning threads waited, and worked */
  if (threads == 1) ASSERT(m.idle_calls == 0); /* one thread merges as it goes */
}

static const unsigned char ktypes[] = {CDRT_COL_INT64, CDRT_COL_INT64};
static const char *const knames[] = {"a", "b"};
static const unsigned char kinds[] = {CDRT_G_COUNT};
static const unsigned char what[] = {0};
static const unsigned char rtypes[] = {CDRT_COL_INT64};
static const char *const anames[] = {"n"};
static const cdrt_gb_spec spec = {2, ktypes, knames, 1, kinds, what, rtypes, anames, NULL};

/* One thread adds groups (each key tuple twice: its count is 2) while the other faults the
 * total's records in until the first is done */
static void test_prefault(void) {
  enum { GROUPS = 300000 };
  cdrt_gb t;
  cdrt_gb_init(&t, &spec);
  t.total = 1;
  t.what = "test_merge_idle's total";
  int done = 0, faulted = 0;
#pragma omp parallel sections num_threads(2)
  {
#pragma omp section
    {
      for (int round = 0; round < 2; round++)
        for (int64_t i = 0; i < GROUPS; i++) {
          cdrt_gkey k[2] = {{i, 0, {NULL, 0}}, {i * 7 + 1, 0, {NULL, 0}}};
          char *r = cdrt_gb_find_hashed(&t, k, cdrt_gb_hash(&spec, k));
          (*(int64_t *)cdrt_gb_state(&t, r, 0))++;
        }
      __atomic_store_n(&done, 1, __ATOMIC_RELEASE);
    }
#pragma omp section
    {
      while (!__atomic_load_n(&done, __ATOMIC_ACQUIRE)) faulted += cdrt_gb_prefault(&t);
    }
  }
  ASSERT(t.n == GROUPS);
  int right = 1;
  for (int64_t g = 0; g < t.n; g++) {
    char *r = cdrt_gb_rec(&t, g);
    right &= cdrt_gb_key(&t, r, 0).i == g && cdrt_gb_key(&t, r, 1).i == g * 7 + 1 &&
             *(int64_t *)cdrt_gb_state(&t, r, 0) == 2;
  }
  ASSERT(right);
  /* a kernel that can fault a mapping in (Linux 5.14) did, and never past the mapping */
  size_t page = 4096;
  char *probe = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (probe != MAP_FAILED && cdrt_map_populate(probe, page)) {
    ASSERT(faulted > 0);
    ASSERT(t.faulted > 0 && t.faulted <= t.rec_bytes);
  }
  if (probe != MAP_FAILED) munmap(probe, page);
  /* a block's table (not a total) is never faulted in */
  cdrt_gb b;
  cdrt_gb_init(&b, &spec);
  ASSERT(cdrt_gb_prefault(&b) == 0);
  cdrt_gb_free(&b);
  cdrt_gb_free(&t);
}

int main(void) {
  for (int threads = 1; threads <= 3; threads++) test_inorder(threads);
  test_prefault();
  TEST_END();
}
