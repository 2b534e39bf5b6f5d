/* table_pool.c: big hash tables' memory (groupby, top-n), kept when a block's table is freed
 * for the next block's (with CDRT_WITH_CSV): fresh pages would be zeroed by the kernel (and
 * fetched again by the hypervisor) for every block, and on this project's VMs a first touch
 * runs at about 0.4 GB/s. Tables are made and freed by several threads: a spin lock guards
 * the pool. Memory kept here stays charged to the memory limit until it is drained. */
#include "cdrt.h"

#ifdef CDRT_WITH_CSV
#include <stdlib.h>
#include <string.h>

#define POOL_SIZE 8
#define POOL_MIN ((size_t)1 << 20)
static struct {
  void *p[POOL_SIZE];
  size_t bytes[POOL_SIZE];
  int n;
  unsigned char lock;
} pool;

static void pool_lock(void) {
  while (__atomic_test_and_set(&pool.lock, __ATOMIC_ACQUIRE)) continue;
}
static void pool_unlock(void) {
  __atomic_clear(&pool.lock, __ATOMIC_RELEASE);
}

void *cdrt_table_take_raw(size_t bytes, size_t *got, const char *what) {
  void *p = NULL;
  *got = bytes;
  if (bytes >= POOL_MIN) { /* the smallest kept block big enough */
    pool_lock();
    int best = -1;
    for (int i = 0; i < pool.n; i++)
      if (pool.bytes[i] >= bytes && (best < 0 || pool.bytes[i] < pool.bytes[best])) best = i;
    if (best >= 0) {
      p = pool.p[best], *got = pool.bytes[best];
      pool.n--;
      pool.p[best] = pool.p[pool.n], pool.bytes[best] = pool.bytes[pool.n];
    }
    pool_unlock();
  }
  if (!p) {
    cdrt_state_charge((int64_t)bytes, what);
    p = cdrt_alloc(bytes, what);
  }
  return p;
}

void *cdrt_table_take(size_t bytes, size_t *got, const char *what) {
  void *p = cdrt_table_take_raw(bytes, got, what);
  memset(p, 0, bytes);
  return p;
}

/* A full pool keeps the bigger block: a table that grows gives back each size it outgrew
 * (1, 2, 5, ... 92 MB for q10's 184 MB blocks), and those smaller ones, kept first, used to
 * fill the pool, so every later block's full-size table was freed and the next one's pages
 * were touched afresh (8 of q10's 16). */
void cdrt_table_give(void *p, size_t bytes) {
  if (!p) return;
  if (bytes >= POOL_MIN) {
    pool_lock();
    if (pool.n < POOL_SIZE) {
      pool.p[pool.n] = p, pool.bytes[pool.n++] = bytes;
      p = NULL;
    } else {
      int small = 0;
      for (int i = 1; i < pool.n; i++)
        if (pool.bytes[i] < pool.bytes[small]) small = i;
      if (pool.bytes[small] < bytes) { /* keep p, drop the smallest */
        void *q = pool.p[small];
        size_t qb = pool.bytes[small];
        pool.p[small] = p, pool.bytes[small] = bytes;
        p = q, bytes = qb;
      }
    }
    pool_unlock();
    if (!p) return;
  }
  free(p);
  cdrt_state_refund((int64_t)bytes);
}

void cdrt_hint_raise(int64_t *hint, int64_t v) {
  int64_t seen = __atomic_load_n(hint, __ATOMIC_RELAXED);
  while (seen < v &&
         !__atomic_compare_exchange_n(hint, &seen, v, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
  }
}

void cdrt_table_pool_drain(void) {
  pool_lock();
  for (int i = 0; i < pool.n; i++) free(pool.p[i]), cdrt_state_refund((int64_t)pool.bytes[i]);
  pool.n = 0;
  pool_unlock();
}
#endif
