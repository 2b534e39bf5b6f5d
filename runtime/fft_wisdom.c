/* fft_wisdom.c: saving the wisdom of a run's FFT plans (cdaskc --fft-wisdom embeds it). */
#ifdef CDRT_WITH_FFT
#include "cdrt.h"

#include <errno.h>
#include <fftw3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cdrt_fft_export_wisdom(const char *path, char *err, size_t errlen) {
  char *d = fftw_export_wisdom_to_string(), *f = fftwf_export_wisdom_to_string();
  size_t tmpcap = strlen(path) + 32;
  char *tmp = malloc(tmpcap);
  int e = d && f && tmp ? 0 : ENOMEM;
  FILE *out = NULL;
  if (!e) {
    snprintf(tmp, tmpcap, "%s.tmp.%ld", path, (long)getpid());
    out = fopen(tmp, "w");
    if (!out) e = errno;
  }
  if (out) {
    if (fputs(d, out) == EOF || fputs(f, out) == EOF) e = errno ? errno : EIO;
    if (fclose(out) != 0 && !e) e = errno;
    if (!e && rename(tmp, path) != 0) e = errno;
    if (e) unlink(tmp);
  }
  free(d), free(f), free(tmp);
  if (e) snprintf(err, errlen, "cannot write the FFTW wisdom %s: %s", path, strerror(e));
  return e ? -1 : 0;
}
#endif
