/* buffer.c: the lives of the arrays a program keeps (see compiler/memplan.c). */
#include "cdrt.h"

#include <stdlib.h>

double cdrt_buffer_bytes(const cdrt_buffer *b) {
  double n = (double)cdrt_dtype_size(b->dtype);
  for (int d = 0; d < b->ndim; d++) n *= (double)b->shape[d];
  return n;
}

void cdrt_buffer_alloc(cdrt_buffer *b) {
  b->data = cdrt_alloc((size_t)cdrt_buffer_bytes(b), b->name);
}

void cdrt_buffer_free(cdrt_buffer *b) {
  free(b->data);
  b->data = NULL;
}
