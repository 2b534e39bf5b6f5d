/* strcase.c: Python's str.lower() and str.upper() (pandas' str.lower, db's str.lower) of
 * UTF-8 text. ASCII is mapped here; a string with any other character goes to libunistring's
 * full case mappings (Unicode's SpecialCasing: upper("ß") is "SS", lower("İ") is "i̇", a
 * capital sigma at a word's end lowers to the final sigma, by Python's rule), which are
 * Python's: both follow Unicode 14 on Debian 12, and tests/py/test_str_case.py compares
 * every code point and the sigma's contexts with pandas. */
#include "cdrt.h"

#ifdef CDRT_WITH_UNICASE
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <unistr.h>

/* Python's Final_Sigma (unicodeobject.c, handle_capital_sigma): the capital sigma at
 * [at, at + 2) of s lowers to ς when a cased letter comes before it, past case-ignorable
 * characters, and none comes after it. libunistring's own context reads U+0027 as not
 * case-ignorable (its properties, used here, agree with Python's). */
static bool final_sigma(const uint8_t *s, size_t n, size_t at) {
  ucs4_t c = 0;
  const uint8_t *p = s + at;
  bool before = false;
  while ((p = u8_prev(&c, p, s)) != NULL)
    if (!uc_is_property_case_ignorable(c)) {
      before = uc_is_property_cased(c);
      break;
    }
  if (!before) return false;
  for (size_t i = at + 2; i < n;) {
    int len = u8_mbtouc(&c, s + i, n - i);
    if (!uc_is_property_case_ignorable(c)) return !uc_is_property_cased(c);
    i += (size_t)len;
  }
  return true;
}

/* s's [0, n) mapped after out's [0, *used) (out has room for *room bytes; a bigger one from
 * the arena when libunistring needed more): the new out */
static char *case_into(char *out, size_t *used, size_t *room, const uint8_t *s, size_t n, int upper,
                       cdrt_bytes *arena) {
  size_t len = *room - *used;
  uint8_t *at = (uint8_t *)out + *used;
  uint8_t *r =
      upper ? u8_toupper(s, n, NULL, NULL, at, &len) : u8_tolower(s, n, NULL, NULL, at, &len);
  if (!r) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory in str.%s", upper ? "upper" : "lower");
  if (r != at) {
    *room = 2 * (*room + len);
    char *bigger = cdrt_bytes_alloc(arena, *room);
    memcpy(bigger, out, *used);
    memcpy(bigger + *used, r, len);
    free(r);
    out = bigger;
  }
  *used += len;
  return out;
}

cdrt_str cdrt_str_case(cdrt_str s, int upper, cdrt_bytes *arena) {
  if (!s.p) return s;
  const uint8_t *p = (const uint8_t *)s.p;
  size_t n = (size_t)s.n, i = 0;
  char *out = cdrt_bytes_alloc(arena, n + 1);
  if (upper) /* ASCII, the common case, in one pass (no library call) */
    for (; i < n && p[i] < 0x80; i++)
      out[i] = (char)(p[i] - ((unsigned)(p[i] - 'a') < 26u ? 32 : 0));
  else
    for (; i < n && p[i] < 0x80; i++)
      out[i] = (char)(p[i] + ((unsigned)(p[i] - 'A') < 26u ? 32 : 0));
  if (i == n) return (cdrt_str){out, s.n};
  /* Past ASCII, libunistring maps the whole string. A code point maps to at most three
   * (SpecialCasing), at most three times its bytes (ΐ's 2 bytes to 6). Lowering maps the
   * text between capital sigmas, and each sigma by Python's rule. */
  size_t room = n * 3 + 1, used = 0, from = 0;
  out = cdrt_bytes_alloc(arena, room);
  for (size_t j = 0; !upper && j + 1 < n; j++)
    if (p[j] == 0xce && p[j + 1] == 0xa3) { /* U+03A3 */
      out = case_into(out, &used, &room, p + from, j - from, 0, arena);
      out[used++] = (char)0xcf, out[used++] = (char)(final_sigma(p, n, j) ? 0x82 : 0x83);
      from = j + 2, j++;
    }
  out = case_into(out, &used, &room, p + from, n - from, upper, arena);
  return (cdrt_str){out, (int64_t)used};
}
#endif
