/* fft_wisdom.c: saving the wisdom of a run's FFT plans (cdaskc --fft-wisdom embeds it). */
#ifdef CDRT_WITH_FFT
#include "cdrt.h"

#include <errno.h>
#include <fftw3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cdrt_fft_export_wisdom(cdrt_outfile *f, char *err, size_t errlen) {
  char *d = fftw_export_wisdom_to_string(), *s = fftwf_export_wisdom_to_string();
  int rc = -1;
  if (!d || !s)
    snprintf(err, errlen, "cannot write the FFTW wisdom %s: %s", f->path, strerror(ENOMEM));
  else if (cdrt_outfile_write(f, d, strlen(d), err, errlen) == 0 &&
           cdrt_outfile_write(f, s, strlen(s), err, errlen) == 0)
    rc = cdrt_outfile_commit(f, 1, err, errlen);
  if (rc != 0) cdrt_outfile_abort(f); /* a no-op once committed */
  free(d), free(s);
  return rc;
}
#endif
