/* buffer.c: the lives of the arrays a program keeps (see compiler/memplan.c). */
#include "cdrt.h"

#include <stdlib.h>

void cdrt_buffer_alloc(cdrt_buffer *b) {
  size_t n = cdrt_dtype_size(b->dtype);
  for (int d = 0; d < b->ndim; d++) n *= (size_t)b->shape[d];
  b->data = cdrt_alloc(n, b->name);
}

void cdrt_buffer_free(cdrt_buffer *b) {
  free(b->data);
  b->data = NULL;
}
