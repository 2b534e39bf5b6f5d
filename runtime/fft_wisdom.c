/* fft_wisdom.c: saving the wisdom of a run's FFT plans (cdaskc --fft-wisdom embeds it),
 * and checking a wisdom block before FFTW's importer sees it. */
#ifdef CDRT_WITH_FFT
#include "cdrt.h"

#include <errno.h>
#include <fftw3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *wisdom_ws(const char *p) {
  while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') p++;
  return p;
}

/* A token of at most max characters from set; returns its end, or NULL. */
static const char *wisdom_token(const char *p, const char *set, size_t max) {
  size_t n = strspn(p, set);
  return n >= 1 && n <= max ? p + n : NULL;
}

/* "#x" and at most 8 hex digits, at most limit; returns the end, or NULL. */
static const char *wisdom_hex(const char *p, unsigned long limit) {
  p = wisdom_ws(p);
  if (p[0] != '#' || p[1] != 'x') return NULL;
  const char *end = wisdom_token(p + 2, "0123456789abcdefABCDEF", 8);
  return end && strtoul(p + 2, NULL, 16) <= limit ? end : NULL;
}

int cdrt_fft_wisdom_block_ok(const char *block) {
  const char *p = wisdom_ws(block);
  if (*p++ != '(') return 0;
  while (*p && *p != '(' && *p != ')') p++; /* "fftw-3.3.10 fftw_wisdom #x... x4" */
  for (p = wisdom_ws(p); *p == '('; p = wisdom_ws(p)) {
    p = wisdom_ws(p + 1);
    size_t name = strcspn(p, " \t\r\n()"); /* a solver's name, e.g. fftw_codelet_r2cfII_2 */
    p = name >= 1 && name <= 64 ? wisdom_ws(p + name) : NULL;
    if (p && *p == '-') p++;
    if (p) p = wisdom_token(p, "0123456789", 9);
    /* planner.c keeps l and u in 20 bits and the time limit in 9 */
    static const unsigned long limits[7] = {0xfffff,    0xfffff,    0x1ff,     0xffffffff,
                                            0xffffffff, 0xffffffff, 0xffffffff};
    for (int k = 0; p && k < 7; k++) p = wisdom_hex(p, limits[k]);
    if (!p || *(p = wisdom_ws(p)) != ')') return 0;
    p++;
  }
  return *p == ')' && *wisdom_ws(p + 1) == 0;
}

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
