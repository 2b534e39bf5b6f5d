/* split.c: Python's str.split() and str.split(sep), one piece at a time. Whitespace is
 * found 64 bytes at a time: a window's bytes become a mask (bit i: byte i is part of a
 * whitespace character, or lies past the string's end), and a word is the run of clear
 * bits between two set ones, so a word costs two count-trailing-zeros and no branch per
 * byte. A window holding a byte that can start a multi-byte space (0xc2, 0xe1-0xe3) is
 * settled byte by byte; a space that runs past the window's end carries into the next. */
#include "cdrt.h"

#ifdef CDRT_WITH_CSV
#include <math.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>

/* Bytes of v equal to c, or (u8)(x - lo) <= span for the ranges */
static unsigned split_in_range(__m128i v, char lo, char span) {
  __m128i d = _mm_sub_epi8(v, _mm_set1_epi8(lo));
  return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(span)), d));
}

/* The ASCII whitespace of w[0, 64) in *ws, the bytes that may start a wider space in *lead */
static void split_classify(const char *w, uint64_t *ws, uint64_t *lead) {
  uint64_t s = 0, l = 0;
  for (int k = 0; k < 4; k++) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(w + 16 * k));
    unsigned sp = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' '))) |
                  split_in_range(v, '\t', 4) | split_in_range(v, 0x1c, 3);
    unsigned ld = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xc2))) |
                  split_in_range(v, (char)0xe1, 2);
    s |= (uint64_t)sp << (16 * k), l |= (uint64_t)ld << (16 * k);
  }
  *ws = s, *lead = l;
}
#else
static void split_classify(const char *w, uint64_t *ws, uint64_t *lead) {
  uint64_t s = 0, l = 0;
  for (int i = 0; i < 64; i++) {
    unsigned char c = (unsigned char)w[i];
    s |= (uint64_t)(c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f)) << i;
    l |= (uint64_t)(c == 0xc2 || (c >= 0xe1 && c <= 0xe3)) << i;
  }
  *ws = s, *lead = l;
}
#endif

/* The window at it->base: it->ws (bits past the end set) and what carries into the next */
void cdrt_split_window(cdrt_split *it) {
  const char *w = it->base;
  int64_t left = it->end - w;
  char pad[64];
  if (left < 64) { /* the string's last bytes, padded with spaces: no read past its end */
    memcpy(pad, w, (size_t)left);
    memset(pad + left, ' ', (size_t)(64 - left));
    w = pad;
  }
  uint64_t ws, lead;
  split_classify(w, &ws, &lead);
  ws |= it->carry;
  it->carry = 0;
  for (; lead; lead &= lead - 1) { /* rare: settle each possible wide space */
    int i = __builtin_ctzll(lead);
    int k = cdrt_space_len(it->base + i, it->end);
    if (!k) continue;
    ws |= ((UINT64_C(1) << k) - 1) << i; /* its bytes past the window's end carry over */
    if (i + k > 64) it->carry = (UINT64_C(1) << (i + k - 64)) - 1;
  }
  it->ws = ws;
}

cdrt_split cdrt_split_init(cdrt_str s, cdrt_str sep) {
  cdrt_split it = {s.p, s.p + (s.p ? s.n : 0), sep, !s.p, s.p, 0, 0};
  if (!sep.p && s.p) cdrt_split_window(&it);
  return it;
}

/* pandas' s.str.split(sep).str.get(i): Python's s.split(sep)[i] (i < 0: from the end),
 * missing where s is or there is no piece i. A piece points into s. */
cdrt_str cdrt_str_split_get(cdrt_str s, cdrt_str sep, int64_t i) {
  cdrt_str piece = {NULL, 0}, none = {NULL, 0};
  if (!s.p) return none;
  if (i < 0) i += (int64_t)cdrt_str_split_len(s, sep);
  if (i < 0) return none;
  for (cdrt_split it = cdrt_split_init(s, sep); cdrt_split_next(&it, &piece); i--)
    if (i == 0) return piece;
  return none;
}

/* s.str.split(sep).str.len(): the number of pieces, NaN where s is missing */
double cdrt_str_split_len(cdrt_str s, cdrt_str sep) {
  if (!s.p) return NAN;
  cdrt_str piece;
  int64_t n = 0;
  for (cdrt_split it = cdrt_split_init(s, sep); cdrt_split_next(&it, &piece);) n++;
  return (double)n;
}

int cdrt_split_sep_next(cdrt_split *it, cdrt_str *piece) {
  const char *w = it->p, *q = it->p;
  for (; q + it->sep.n <= it->end; q++)
    if (memcmp(q, it->sep.p, (size_t)it->sep.n) == 0) break;
  if (q + it->sep.n > it->end) { /* the last piece */
    *piece = (cdrt_str){w, it->end - w};
    it->done = 1;
    return 1;
  }
  *piece = (cdrt_str){w, q - w};
  it->p = q + it->sep.n;
  return 1;
}
#endif
