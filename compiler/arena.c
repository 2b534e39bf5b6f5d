/* arena.c: one arena per compilation; everything is freed at once at the end. */
#include "cdask.h"

#include <stdlib.h>
#include <string.h>

typedef struct Block {
  struct Block *next;
  size_t used, cap;
  bool alone; /* holds one large array of arena_grow's, given back when it grows */
  _Alignas(16) unsigned char data[];
} Block;

struct Arena {
  Block *head;
};

Arena *arena_new(void) {
  Arena *a = calloc(1, sizeof *a);
  if (!a) abort();
  return a;
}

void arena_free(Arena *a) {
  if (!a) return;
  for (Block *b = a->head, *next; b; b = next) {
    next = b->next;
    free(b);
  }
  free(a);
}

void *arena_alloc(Arena *a, size_t n) {
  n = (n + 15) & ~(size_t)15;
  Block *b = a->head;
  if (!b || b->used + n > b->cap) {
    size_t cap = n > 65536 ? n : 65536;
    b = malloc(sizeof *b + cap);
    if (!b) {
      fprintf(stderr, "cdaskc: out of memory\n");
      exit(1);
    }
    b->next = a->head, b->used = 0, b->cap = cap, b->alone = false;
    a->head = b;
  }
  void *p = b->data + b->used;
  b->used += n;
  return memset(p, 0, n);
}

enum { ALONE_MIN = 1 << 20 /* bytes from which a growing array gets a block of its own */ };

/* Grows an array from arena_alloc or arena_grow (old bytes, or NULL) to n bytes: contents
 * kept, the rest zeroed. A large array lives alone in its block, which is reallocated:
 * an array grown by doubling then costs its final size, not the sum of all its sizes. */
void *arena_grow(Arena *a, void *p, size_t old, size_t n) {
  if (n < ALONE_MIN) {
    void *q = arena_alloc(a, n);
    return old ? memcpy(q, p, old < n ? old : n) : q;
  }
  Block **link = &a->head;
  while (p && *link && !((*link)->alone && (void *)(*link)->data == p)) link = &(*link)->next;
  Block *b = p && *link ? *link : NULL, *next = b ? b->next : a->head;
  Block *nb = realloc(b, sizeof *nb + n);
  if (!nb) {
    fprintf(stderr, "cdaskc: out of memory\n");
    exit(1);
  }
  if (!b) {
    if (old) memcpy(nb->data, p, old);
    nb->alone = true;
  }
  memset(nb->data + old, 0, n - old);
  nb->used = nb->cap = n, nb->next = next;
  if (b)
    *link = nb;
  else
    nb->next = a->head, a->head = nb;
  return nb->data;
}

char *arena_strdup(Arena *a, const char *s) {
  size_t n = strlen(s) + 1;
  return memcpy(arena_alloc(a, n), s, n);
}

char *arena_printf(Arena *a, const char *fmt, ...) {
  va_list ap, aq;
  va_start(ap, fmt);
  va_copy(aq, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *s = arena_alloc(a, (size_t)n + 1);
  vsnprintf(s, (size_t)n + 1, fmt, aq);
  va_end(aq);
  return s;
}
