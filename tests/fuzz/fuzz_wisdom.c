/* fuzz_wisdom: the FFTW wisdom reader (cdrt_fft_import_wisdom, which splits the text
 * into blocks for FFTW's own importers) on arbitrary text. It may refuse; it may not
 * crash, read out of bounds or leak. */
#include "cdrt.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1);
  memcpy(text, data, size);
  text[size] = 0;
  int rc = cdrt_fft_import_wisdom(text);
  if (rc != 0 && rc != -1) abort();
  free(text);
  return 0;
}
