/* fuzz_npy_header: the .npy header reader (runtime/npy.c) on arbitrary file contents.
 * A refusal says why; a header it accepts describes a shape whose size fits in int64 and
 * data the file really holds. */
#include "cdrt.h"
#include "fuzz_passes.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int fd = -1;
  static char path[64];
  if (fd < 0 && (fd = fuzz_memfd("input.npy", "", 0, path, sizeof path)) < 0) abort();
  if (fuzz_memfd_set(fd, data, size) != 0) abort();
  cdrt_npy_header h;
  char err[256];
  if (cdrt_npy_read_header(fd, &h, err, sizeof err) != 0) {
    if (!err[0]) abort(); /* a refusal always says why */
    return 0;
  }
  if (h.ndim < 0 || h.ndim > CDRT_MAXDIM || h.data_offset < 10 || h.nbytes < 0 ||
      (uint64_t)h.data_offset + (uint64_t)h.nbytes > size)
    abort();
  int64_t count = 1;
  for (int d = 0; d < h.ndim; d++) {
    if (h.shape[d] < 0) abort();
    if (h.shape[d] == 0) count = 0;
  }
  for (int d = 0; d < h.ndim && count; d++) { /* without an axis of length 0, no overflow */
    if (count > INT64_MAX / h.shape[d]) abort();
    count *= h.shape[d];
  }
  if (count > INT64_MAX / (int64_t)cdrt_dtype_size(h.dtype) ||
      count * (int64_t)cdrt_dtype_size(h.dtype) != h.nbytes)
    abort();
  return 0;
}
