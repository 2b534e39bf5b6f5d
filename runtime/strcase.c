/* strcase.c: Python's str.lower() and str.upper() (pandas' str.lower, db's str.lower) of
 * UTF-8 text, for the scripts most text is written in: ASCII, Latin-1, Latin Extended-A,
 * Greek (a capital sigma at a word's end lowers to the final sigma, as Python does) and
 * Cyrillic (U+0400-U+04BF), with Python's full mappings there (upper("ß") is "SS",
 * lower("İ") is "i̇"). Left as they are, unlike Python: Greek's symbol forms (U+037B-037F,
 * U+03CF-U+03D7, U+03F0-U+03FF), ΐ and ΰ (three code points in Python), and every
 * character past U+04BF that Python maps. */
#include "cdrt.h"

#ifdef CDRT_WITH_CSV
#include <string.h>

/* The code point at p (valid UTF-8), its length in *len */
static uint32_t cp_at(const unsigned char *p, const unsigned char *end, int *len) {
  if (p[0] < 0x80 || end - p < 2) return *len = 1, p[0];
  if (p[0] < 0xe0) return *len = 2, (uint32_t)(p[0] & 0x1f) << 6 | (p[1] & 0x3f);
  if (p[0] < 0xf0 || end - p < 4)
    return *len = 3, (uint32_t)(p[0] & 0x0f) << 12 | (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
  return *len = 4, (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3f) << 12 |
                       (uint32_t)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
}

static char *put_cp(char *d, uint32_t c) {
  if (c < 0x80) {
    *d++ = (char)c;
  } else if (c < 0x800) {
    *d++ = (char)(0xc0 | c >> 6), *d++ = (char)(0x80 | (c & 0x3f));
  } else if (c < 0x10000) {
    *d++ = (char)(0xe0 | c >> 12), *d++ = (char)(0x80 | (c >> 6 & 0x3f));
    *d++ = (char)(0x80 | (c & 0x3f));
  } else {
    *d++ = (char)(0xf0 | c >> 18), *d++ = (char)(0x80 | (c >> 12 & 0x3f));
    *d++ = (char)(0x80 | (c >> 6 & 0x3f)), *d++ = (char)(0x80 | (c & 0x3f));
  }
  return d;
}

/* In a range of alternating capital (even or odd) and small letters */
static int pair_range(uint32_t c, uint32_t lo, uint32_t hi) {
  return c >= lo && c <= hi;
}

/* The lowercase of c, or c (one code point: the special ones are the caller's) */
static uint32_t lower_cp(uint32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c < 0xc0) return c;
  if ((c <= 0xde && c != 0xd7) || (c >= 0x391 && c <= 0x3ab && c != 0x3a2) ||
      (c >= 0x410 && c <= 0x42f))
    return c + 32;
  if (c >= 0x400 && c <= 0x40f) return c + 80;
  if (c == 0x178) return 0xff;
  if (c == 0x386) return 0x3ac;
  if (c >= 0x388 && c <= 0x38a) return c + 37;
  if (c == 0x38c) return 0x3cc;
  if (c == 0x38e || c == 0x38f) return c + 63;
  if ((pair_range(c, 0x100, 0x12f) || pair_range(c, 0x132, 0x137) || pair_range(c, 0x14a, 0x177) ||
       pair_range(c, 0x370, 0x373) || pair_range(c, 0x376, 0x377) || pair_range(c, 0x3d8, 0x3ef) ||
       pair_range(c, 0x460, 0x481) || pair_range(c, 0x48a, 0x4bf)) &&
      c % 2 == 0)
    return c + 1;
  if ((pair_range(c, 0x139, 0x148) || pair_range(c, 0x179, 0x17e)) && c % 2 == 1) return c + 1;
  return c;
}

/* The uppercase of c, or c */
static uint32_t upper_cp(uint32_t c) {
  if (c >= 'a' && c <= 'z') return c - 32;
  if (c < 0xb5) return c;
  if (c == 0xb5) return 0x39c;
  if (c == 0xff) return 0x178;
  if ((c >= 0xe0 && c <= 0xfe && c != 0xf7) || (c >= 0x3b1 && c <= 0x3cb && c != 0x3c2) ||
      (c >= 0x430 && c <= 0x44f))
    return c - 32;
  if (c == 0x3c2) return 0x3a3;
  if (c >= 0x450 && c <= 0x45f) return c - 80;
  if (c == 0x131) return 'I';
  if (c == 0x17f) return 'S';
  if (c == 0x3ac) return 0x386;
  if (c >= 0x3ad && c <= 0x3af) return c - 37;
  if (c == 0x3cc) return 0x38c;
  if (c == 0x3cd || c == 0x3ce) return c - 63;
  if ((pair_range(c, 0x100, 0x12f) || pair_range(c, 0x132, 0x137) || pair_range(c, 0x14a, 0x177) ||
       pair_range(c, 0x370, 0x373) || pair_range(c, 0x376, 0x377) || pair_range(c, 0x3d8, 0x3ef) ||
       pair_range(c, 0x460, 0x481) || pair_range(c, 0x48a, 0x4bf)) &&
      c % 2 == 1)
    return c - 1;
  if ((pair_range(c, 0x139, 0x148) || pair_range(c, 0x179, 0x17e)) && c % 2 == 0) return c - 1;
  return c;
}

/* Whether c is a letter with a case, for the final sigma's context */
static int cased(uint32_t c) {
  return lower_cp(c) != c || upper_cp(c) != c || c == 0xdf || c == 0x138 || c == 0x149;
}

cdrt_str cdrt_str_case(cdrt_str s, int upper, cdrt_bytes *arena) {
  if (!s.p) return s;
  /* a mapped character grows by half at most (2 bytes into 3) */
  char *out = cdrt_bytes_alloc(arena, (size_t)s.n * 2 + 1), *d = out;
  const unsigned char *p = (const unsigned char *)s.p, *end = p + s.n;
  uint32_t prev = 0;
  while (p < end) {
    if (*p < 0x80) { /* ASCII: the common case */
      unsigned char ch = *p++;
      *d++ = (char)(upper ? (ch >= 'a' && ch <= 'z' ? ch - 32 : ch)
                          : (ch >= 'A' && ch <= 'Z' ? ch + 32 : ch));
      prev = ch;
      continue;
    }
    int len;
    uint32_t c = cp_at(p, end, &len);
    p += len;
    if (upper && c == 0xdf) { /* ß */
      *d++ = 'S', *d++ = 'S';
    } else if (upper && c == 0x149) { /* ŉ: ʼN */
      d = put_cp(d, 0x2bc), *d++ = 'N';
    } else if (!upper && c == 0x130) { /* İ: i and a combining dot above */
      *d++ = 'i', d = put_cp(d, 0x307);
    } else if (!upper && c == 0x3a3) { /* Σ: final at a word's end */
      int next_len = 0;
      uint32_t next = p < end ? cp_at(p, end, &next_len) : 0;
      d = put_cp(d, cased(prev) && !(p < end && cased(next)) ? 0x3c2 : 0x3c3);
    } else {
      d = put_cp(d, upper ? upper_cp(c) : lower_cp(c));
    }
    prev = c;
  }
  return (cdrt_str){out, d - out};
}
#endif
