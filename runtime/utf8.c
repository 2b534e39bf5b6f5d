/* utf8.c: is a CSV block valid UTF-8 (only with CDRT_WITH_CSV)? The rules are Unicode's
 * (table 3-7 of the standard): no overlong forms, no surrogates (U+D800 to U+DFFF), nothing
 * past U+10FFFF, no sequence cut short. A block starts at a row's start, after an ASCII
 * '\n', so a sequence never crosses blocks and blocks are checked in parallel. ASCII runs
 * are skipped 32 bytes at a time. Written here: the C libraries that validate UTF-8
 * (glib's g_utf8_validate) would add a dependency for these forty lines, and iconv
 * reports no position. */
#ifdef CDRT_WITH_CSV
#include "cdrt.h"

#include <stdint.h>
#include <string.h>

int64_t cdrt_utf8_invalid(const char *text, int64_t n) {
  const unsigned char *s = (const unsigned char *)text;
  int64_t i = 0;
  while (i < n) {
    if (i + 32 <= n) { /* 32 ASCII bytes at once */
      uint64_t w[4];
      memcpy(w, s + i, 32);
      if (!((w[0] | w[1] | w[2] | w[3]) & UINT64_C(0x8080808080808080))) {
        i += 32;
        continue;
      }
    }
    if (i + 8 <= n) { /* eight */
      uint64_t w;
      memcpy(&w, s + i, 8);
      if (!(w & UINT64_C(0x8080808080808080))) {
        i += 8;
        continue;
      }
    }
    unsigned c = s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    /* the sequence's length, and the range its second byte must lie in */
    int len;
    unsigned lo = 0x80, hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) {
      len = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
      len = 3;
      if (c == 0xe0) lo = 0xa0; /* no overlong */
      if (c == 0xed) hi = 0x9f; /* no surrogate */
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4;
      if (c == 0xf0) lo = 0x90; /* no overlong */
      if (c == 0xf4) hi = 0x8f; /* nothing past U+10FFFF */
    } else {
      return i; /* a continuation byte first, 0xc0, 0xc1 or 0xf5 and above */
    }
    if (i + 1 >= n || s[i + 1] < lo || s[i + 1] > hi) return i;
    for (int k = 2; k < len; k++)
      if (i + k >= n || (s[i + k] & 0xc0) != 0x80) return i;
    i += len;
  }
  return -1;
}
#endif
