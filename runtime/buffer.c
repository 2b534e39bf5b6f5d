/* buffer.c: the lives of the arrays a program keeps (see compiler/memplan.c), told to the
 * diagnostics (diag.c) when they are on. */
#include "cdrt.h"

#include <stdlib.h>
#include <string.h>

double cdrt_buffer_bytes(const cdrt_buffer *b) {
  double n = (double)cdrt_dtype_size(b->dtype);
  for (int d = 0; d < b->ndim; d++) n *= (double)b->shape[d];
  return n;
}

void cdrt_buffer_alloc_raw(cdrt_buffer *b) {
  b->data = cdrt_alloc((size_t)cdrt_buffer_bytes(b), b->name);
  if (cdrt_diag_on) cdrt_diag_buffer(b, 1);
}

void cdrt_buffer_alloc(cdrt_buffer *b) {
  cdrt_buffer_alloc_raw(b);
#ifdef CDRT_WITH_MPI
  memset(b->data, 0, (size_t)cdrt_buffer_bytes(b)); /* the other ranks' parts: or-ed in */
#endif
}

void cdrt_buffer_free(cdrt_buffer *b) {
  if (cdrt_diag_on && b->data) cdrt_diag_buffer(b, 0);
  free(b->data);
  b->data = NULL;
}

void cdrt_buffer_take(cdrt_buffer *b, const cdrt_buffer *donor) {
  b->data = donor->data;
  if (cdrt_diag_on) cdrt_diag_buffer(donor, 0), cdrt_diag_buffer(b, 1);
}

void cdrt_buffer_forget(cdrt_buffer *donor) {
  if (cdrt_diag_on && donor->data) cdrt_diag_buffer(donor, 0);
  donor->data = NULL;
}
