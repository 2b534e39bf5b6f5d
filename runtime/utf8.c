/* utf8.c: is a CSV block valid UTF-8 (only with CDRT_WITH_CSV)? The rules are Unicode's
 * (table 3-7 of the standard): no overlong forms, no surrogates (U+D800 to U+DFFF), nothing
 * past U+10FFFF, no sequence cut short. A block starts at a row's start, after an ASCII
 * '\n', so a sequence never crosses blocks and blocks are checked in parallel.
 *
 * Text with a non-ASCII character every few dozen bytes (names with accents) is checked
 * 32 bytes at a time where the CPU has AVX2, 16 where it has SSSE3 (Keiser and Lemire, "Validating
 * UTF-8 in less than one instruction per byte", 2021: three table lookups on nibbles classify each
 * pair of bytes, and the lead bytes two and three back say where two continuations in a row are
 * due); only a block found invalid is read again byte by byte for the position. The byte-by-byte
 * reading skips ASCII runs 32 bytes at a time. Written here: the C libraries that validate UTF-8
 * (glib's g_utf8_validate) are byte by byte and would add a dependency, simdutf is C++, and iconv
 * reports no position. */
#ifdef CDRT_WITH_CSV
#include "cdrt.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define UTF8_SIMD 1

/* What can be wrong with a pair of bytes (the previous and this one), one bit each */
enum {
  TOO_SHORT = 1,       /* a lead byte, then no continuation */
  TOO_LONG = 2,        /* a continuation after ASCII */
  OVERLONG_3 = 4,      /* E0 80..9F */
  TOO_LARGE = 8,       /* F4 90..BF, F5.. */
  SURROGATE = 16,      /* ED A0..BF */
  OVERLONG_2 = 32,     /* C0, C1 */
  TOO_LARGE_1000 = 64, /* F5..FF 80..8F */
  OVERLONG_4 = 64,     /* F0 80..8F */
  TWO_CONTS = 128,     /* two continuations: right only two or three bytes after a lead */
  CARRY = TOO_SHORT | TOO_LONG | TWO_CONTS
};

/* The three tables, by the previous byte's high nibble, its low nibble and this byte's high
 * nibble; a pair of bytes is wrong where the three share a bit */
static const unsigned char b1_high[16] = {TOO_LONG,
                                          TOO_LONG,
                                          TOO_LONG,
                                          TOO_LONG,
                                          TOO_LONG,
                                          TOO_LONG,
                                          TOO_LONG,
                                          TOO_LONG, /* ASCII */
                                          TWO_CONTS,
                                          TWO_CONTS,
                                          TWO_CONTS,
                                          TWO_CONTS, /* a continuation */
                                          TOO_SHORT | OVERLONG_2,
                                          TOO_SHORT,
                                          TOO_SHORT | OVERLONG_3 | SURROGATE,
                                          TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4};
#define LARGE (CARRY | TOO_LARGE | TOO_LARGE_1000)
static const unsigned char b1_low[16] = {CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4,
                                         CARRY | OVERLONG_2,
                                         CARRY,
                                         CARRY,
                                         CARRY | TOO_LARGE,
                                         LARGE,
                                         LARGE,
                                         LARGE,
                                         LARGE,
                                         LARGE,
                                         LARGE,
                                         LARGE,
                                         LARGE,
                                         LARGE | SURROGATE,
                                         LARGE,
                                         LARGE};
#undef LARGE
static const unsigned char b2_high[16] = {
    TOO_SHORT,
    TOO_SHORT,
    TOO_SHORT,
    TOO_SHORT,
    TOO_SHORT,
    TOO_SHORT,
    TOO_SHORT,
    TOO_SHORT,
    TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4, /* 80..8F */
    TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE,                   /* 90..9F */
    TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,                    /* A0..AF */
    TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,                    /* B0..BF */
    TOO_SHORT,
    TOO_SHORT,
    TOO_SHORT,
    TOO_SHORT};

/* The check of 16 (or 32) bytes `in` after `prev`, whose last bytes prevN(k) reaches:
 * the error bits of each byte, zero where it is right so far. A byte two after a three- or
 * four-byte lead, or three after a four-byte lead, must be a second continuation
 * (TWO_CONTS there is right, anywhere else wrong). ASCII is checked the same way (no
 * branch: text with accents every few dozen bytes would mispredict it). */
#define UTF8_CHECK(V, P)                                                                           \
  __m##V##i lo4 = _mm##P##_set1_epi8(0x0f), prev1 = prevN(1);                                      \
  __m##V##i sc = _mm##P##_and_si##V(                                                               \
      _mm##P##_and_si##V(                                                                          \
          _mm##P##_shuffle_epi8(t1h, _mm##P##_and_si##V(_mm##P##_srli_epi16(prev1, 4), lo4)),      \
          _mm##P##_shuffle_epi8(t1l, _mm##P##_and_si##V(prev1, lo4))),                             \
      _mm##P##_shuffle_epi8(t2h, _mm##P##_and_si##V(_mm##P##_srli_epi16(in, 4), lo4)));            \
  __m##V##i third = _mm##P##_subs_epu8(prevN(2), _mm##P##_set1_epi8((char)(0xe0 - 0x80)));         \
  __m##V##i fourth = _mm##P##_subs_epu8(prevN(3), _mm##P##_set1_epi8((char)(0xf0 - 0x80)));        \
  __m##V##i must =                                                                                 \
      _mm##P##_and_si##V(_mm##P##_or_si##V(third, fourth), _mm##P##_set1_epi8((char)0x80));        \
  err = _mm##P##_or_si##V(err, _mm##P##_xor_si##V(must, sc))

/* The whole text is valid UTF-8: 16 bytes at a time, then the last ones padded with zeros
 * (ASCII, so a sequence cut at the end shows) */
__attribute__((target("ssse3"))) static bool utf8_valid_ssse3(const unsigned char *s, int64_t n) {
  const __m128i t1h = _mm_loadu_si128((const __m128i *)(const void *)b1_high);
  const __m128i t1l = _mm_loadu_si128((const __m128i *)(const void *)b1_low);
  const __m128i t2h = _mm_loadu_si128((const __m128i *)(const void *)b2_high);
  __m128i prev = _mm_setzero_si128(), err = prev, in;
  unsigned char tail[16] = {0};
  int64_t i = 0;
#define prevN(k) _mm_alignr_epi8(in, prev, 16 - (k))
  for (; i + 16 <= n; i += 16) {
    in = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
    UTF8_CHECK(128, );
    prev = in;
  }
  memcpy(tail, s + i, (size_t)(n - i));
  in = _mm_loadu_si128((const __m128i *)(const void *)tail);
  UTF8_CHECK(128, );
#undef prevN
  return _mm_movemask_epi8(_mm_cmpeq_epi8(err, _mm_setzero_si128())) == 0xffff;
}

/* The same 32 bytes at a time (each 16-byte lane with its own copy of the tables; `before`:
 * prev's high lane and in's low lane, the bytes before each lane) */
__attribute__((target("avx2"))) static bool utf8_valid_avx2(const unsigned char *s, int64_t n) {
  const __m256i t1h =
      _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)b1_high));
  const __m256i t1l =
      _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)b1_low));
  const __m256i t2h =
      _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)b2_high));
  __m256i prev = _mm256_setzero_si256(), err = prev, in, before;
  unsigned char tail[32] = {0};
  int64_t i = 0;
#define prevN(k) _mm256_alignr_epi8(in, before, 16 - (k))
  for (; i + 32 <= n; i += 32) {
    in = _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
    before = _mm256_permute2x128_si256(prev, in, 0x21);
    UTF8_CHECK(256, 256);
    prev = in;
  }
  memcpy(tail, s + i, (size_t)(n - i));
  in = _mm256_loadu_si256((const __m256i *)(const void *)tail);
  before = _mm256_permute2x128_si256(prev, in, 0x21);
  UTF8_CHECK(256, 256);
#undef prevN
  return _mm256_testz_si256(err, err);
}
#endif

/* The first invalid byte, read byte by byte (ASCII runs skipped a word at a time) */
static int64_t utf8_first_invalid(const char *text, int64_t n) {
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

int64_t cdrt_utf8_invalid_isa(const char *text, int64_t n, int isa) {
  if (isa == 0) return utf8_first_invalid(text, n);
#ifdef UTF8_SIMD
  const unsigned char *s = (const unsigned char *)text;
  if (isa == 1 && __builtin_cpu_supports("ssse3"))
    return utf8_valid_ssse3(s, n) ? -1 : utf8_first_invalid(text, n);
  if (isa == 2 && __builtin_cpu_supports("avx2"))
    return utf8_valid_avx2(s, n) ? -1 : utf8_first_invalid(text, n);
#endif
  return -2;
}

int64_t cdrt_utf8_invalid(const char *text, int64_t n) {
#ifdef UTF8_SIMD
  if (__builtin_cpu_supports("avx2")) return cdrt_utf8_invalid_isa(text, n, 2);
  if (__builtin_cpu_supports("ssse3")) return cdrt_utf8_invalid_isa(text, n, 1);
#endif
  return utf8_first_invalid(text, n);
}
/* The sequence at p[0, n) (n > 0): its length if it is valid, else minus the length of its
 * maximal invalid subpart (the longest start of a valid sequence, at least 1 byte), which
 * is what Python's utf-8 codec replaces with one U+FFFD */
static int utf8_step(const unsigned char *p, int64_t n) {
  unsigned c = p[0], lo = 0x80, hi = 0xbf;
  int need;
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf)
    need = 1;
  else if (c >= 0xe0 && c <= 0xef)
    need = 2, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
  else if (c >= 0xf0 && c <= 0xf4)
    need = 3, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
  else
    return -1;
  for (int k = 1; k <= need; k++) {
    if (k >= n) return -k;
    unsigned b = p[k];
    if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xbf)) return -k;
  }
  return need + 1;
}

int64_t cdrt_utf8_clean(const char *text, int64_t n, int errors, char *out) {
  const unsigned char *p = (const unsigned char *)text;
  int64_t o = 0;
  for (int64_t i = 0; i < n;) {
    int64_t ok = cdrt_utf8_invalid(text + i, n - i);
    int64_t run = ok < 0 ? n - i : ok;
    memcpy(out + o, text + i, (size_t)run), o += run, i += run;
    for (int first = 1; i < n; first = 0) { /* the invalid bytes, to the next valid one */
      int k = utf8_step(p + i, n - i);
      if (k > 0) { /* (a first one valid would be the two readers disagreeing: moved past) */
        if (first) memcpy(out + o, text + i, (size_t)k), o += k, i += k;
        break;
      }
      if (errors == CDRT_ERRORS_REPLACE) memcpy(out + o, "\xef\xbf\xbd", 3), o += 3;
      for (int64_t j = i; errors == CDRT_ERRORS_BACKSLASH && j < i - k; j++) {
        static const char hex[] = "0123456789abcdef";
        out[o++] = '\\', out[o++] = 'x', out[o++] = hex[p[j] >> 4], out[o++] = hex[p[j] & 15];
      }
      i -= k;
    }
  }
  return o;
}
#endif
