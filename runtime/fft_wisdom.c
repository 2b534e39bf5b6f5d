/* fft_wisdom.c: saving the wisdom of a run's FFT plans (cdaskc --fft-wisdom embeds it),
 * and checking a wisdom block before FFTW's importer sees it. */
#ifdef CDRT_WITH_FFT
#include "cdrt.h"

#include <errno.h>
#include <fftw3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
