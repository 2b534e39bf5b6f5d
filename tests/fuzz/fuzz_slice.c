/* fuzz_slice: NumPy index strings (frontend/slice.c) on arbitrary text and shapes. An
 * accepted index gives a view whose every corner lies inside the indexed array. */
#include "frontend.h"
#include "fuzz_passes.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  FuzzBytes b = {data, size, 0};
  int ndim = (int)fuzz_pick(&b, MAXDIM + 1);
  int64_t shape[MAXDIM];
  for (int d = 0; d < ndim; d++) {
    unsigned k = fuzz_pick(&b, 8);
    shape[d] = k < 6 ? (int64_t)k : k == 6 ? 1000 : ((int64_t)1 << 40);
  }
  char *text = malloc(size - b.pos + 1);
  memcpy(text, data + b.pos, size - b.pos);
  text[size - b.pos] = 0;
  Arena *a = arena_new();
  Affine m;
  int out_ndim = -1;
  int64_t out_shape[MAXDIM];
  const char *err = fe_parse_index(a, text, ndim, shape, &m, &out_ndim, out_shape);
  if (!err) {
    if (out_ndim < 0 || out_ndim > MAXDIM || m.nin != ndim || m.nout != out_ndim) abort();
    bool empty = false;
    for (int k = 0; k < out_ndim; k++) {
      if (out_shape[k] < 0) abort();
      empty |= out_shape[k] == 0;
    }
    /* every corner of the output box maps into the input box (the map is affine) */
    for (unsigned corner = 0; !empty && corner < (1u << out_ndim); corner++) {
      for (int d = 0; d < ndim; d++) {
        __int128 in = m.off[d];
        for (int k = 0; k < out_ndim; k++)
          in += (__int128)m.a[d][k] * ((corner >> k & 1) ? out_shape[k] - 1 : 0);
        if (in < 0 || in >= shape[d]) abort();
      }
    }
  } else if (!*err) {
    abort();
  }
  arena_free(a);
  free(text);
  return 0;
}
