/* slice.c: NumPy basic indexing written as a string, "7:-3:3, -1", "::-1, ...", "None, :",
 * turned into an affine index map (result index -> source index). */
#include "frontend.h"

#include <ctype.h>
#include <string.h>

typedef enum { IT_INT, IT_SLICE, IT_NEWAXIS, IT_ELLIPSIS } ItemKind;

typedef struct {
  ItemKind kind;
  bool has[3];
  int64_t v[3]; /* start, stop, step (slices) or the index (ints) */
} Item;

static const char *skip_ws(const char *p) {
  while (*p == ' ' || *p == '\t') p++;
  return p;
}

/* An optional signed integer; returns false on garbage. */
static bool parse_int(const char **pp, bool *has, int64_t *v) {
  const char *p = skip_ws(*pp);
  const char *start = p;
  int sign = 1;
  if (*p == '+' || *p == '-') sign = *p++ == '-' ? -1 : 1;
  if (!isdigit((unsigned char)*p)) {
    *has = false;
    *pp = skip_ws(start);
    return p == start; /* a lone sign is garbage */
  }
  int64_t x = 0;
  while (isdigit((unsigned char)*p)) {
    if (x > (INT64_MAX - 9) / 10) return false;
    x = x * 10 + (*p++ - '0');
  }
  *has = true, *v = sign * x;
  *pp = skip_ws(p);
  return true;
}

static const char *parse_item(const char **pp, Item *it) {
  const char *p = skip_ws(*pp);
  memset(it, 0, sizeof *it);
  if (strncmp(p, "...", 3) == 0) {
    it->kind = IT_ELLIPSIS;
    *pp = skip_ws(p + 3);
    return NULL;
  }
  if (strncmp(p, "None", 4) == 0 || strncmp(p, "newaxis", 7) == 0) {
    it->kind = IT_NEWAXIS;
    *pp = skip_ws(p + (p[0] == 'N' ? 4 : 7));
    return NULL;
  }
  if (!parse_int(&p, &it->has[0], &it->v[0])) return "expected an integer";
  if (*p != ':') {
    if (!it->has[0]) return "empty index";
    it->kind = IT_INT;
    *pp = p;
    return NULL;
  }
  it->kind = IT_SLICE;
  p++;
  if (!parse_int(&p, &it->has[1], &it->v[1])) return "expected an integer";
  if (*p == ':') {
    p++;
    if (!parse_int(&p, &it->has[2], &it->v[2])) return "expected an integer";
    if (it->has[2] && it->v[2] == 0) return "slice step cannot be zero";
  }
  *pp = p;
  return NULL;
}

/* Python's slice.indices(): clamps start/stop for the given length and step. */
static void slice_indices(const Item *it, int64_t len, int64_t *start, int64_t *step,
                          int64_t *count) {
  int64_t st = it->has[2] ? it->v[2] : 1;
  int64_t lo, hi;
  if (st > 0) {
    lo = it->has[0] ? it->v[0] : 0;
    hi = it->has[1] ? it->v[1] : len;
    if (lo < 0) lo = lo + len < 0 ? 0 : lo + len;
    if (lo > len) lo = len;
    if (hi < 0) hi = hi + len < 0 ? 0 : hi + len;
    if (hi > len) hi = len;
    *count = hi > lo ? (hi - lo - 1) / st + 1 : 0; /* no overflow for any step */
  } else {
    lo = it->has[0] ? it->v[0] : len - 1;
    hi = it->has[1] ? it->v[1] : -len - 1;
    if (lo < 0) lo = lo + len < 0 ? -1 : lo + len;
    if (lo >= len) lo = len - 1;
    if (hi < 0) hi = hi + len < 0 ? -1 : hi + len;
    if (hi >= len) hi = len - 1;
    *count = lo > hi ? (lo - hi - 1) / -st + 1 : 0;
  }
  *start = *count ? lo : 0;
  *step = st;
}

const char *fe_parse_index(Arena *ar, const char *text, int ndim, const int64_t *shape, Affine *m,
                           int *out_ndim, int64_t *out_shape) {
  Item items[2 * MAXDIM + 2];
  int nitems = 0, nreal = 0, nellipsis = 0;
  const char *p = skip_ws(text);
  if (*p == 0) return "empty index";
  for (;;) {
    if (nitems == (int)(sizeof items / sizeof items[0])) return "too many indices";
    const char *err = parse_item(&p, &items[nitems]);
    if (err) return arena_printf(ar, "bad index '%s': %s", text, err);
    if (items[nitems].kind == IT_ELLIPSIS) nellipsis++;
    if (items[nitems].kind == IT_INT || items[nitems].kind == IT_SLICE) nreal++;
    nitems++;
    if (*p == ',') {
      p = skip_ws(p + 1);
      if (*p == 0) break; /* trailing comma, as in "0," */
      continue;
    }
    if (*p == 0) break;
    return arena_printf(ar, "bad index '%s': unexpected '%c'", text, *p);
  }
  if (nellipsis > 1) return "an index can only have a single ellipsis ('...')";
  if (nreal > ndim)
    return arena_printf(ar,
                        "too many indices for array: array is %d-dimensional, but %d were "
                        "indexed",
                        ndim, nreal);
  memset(m, 0, sizeof *m);
  m->nin = ndim;
  int d = 0, k = 0;
  for (int i = 0; i < nitems; i++) {
    Item *it = &items[i];
    if (it->kind == IT_ELLIPSIS) {
      for (int fill = ndim - nreal; fill > 0; fill--, d++, k++) {
        if (k >= MAXDIM) return "too many dimensions";
        m->a[d][k] = 1, out_shape[k] = shape[d];
      }
    } else if (it->kind == IT_NEWAXIS) {
      if (k >= MAXDIM) return "too many dimensions";
      out_shape[k++] = 1;
    } else if (it->kind == IT_INT) {
      int64_t idx = it->v[0];
      if (idx < -shape[d] || idx >= shape[d])
        return arena_printf(ar, "index %lld is out of bounds for axis %d with size %lld",
                            (long long)idx, d, (long long)shape[d]);
      m->off[d] = idx < 0 ? idx + shape[d] : idx;
      d++;
    } else {
      int64_t start, step, count;
      slice_indices(it, shape[d], &start, &step, &count);
      if (k >= MAXDIM) return "too many dimensions";
      m->off[d] = start, m->a[d][k] = step, out_shape[k] = count;
      d++, k++;
    }
  }
  for (; d < ndim; d++, k++) { /* trailing axes are taken whole */
    if (k >= MAXDIM) return "too many dimensions";
    m->a[d][k] = 1, out_shape[k] = shape[d];
  }
  m->nout = *out_ndim = k;
  return NULL;
}
